"""Helpers shared by the test modules."""

import hashlib
import io
from pathlib import Path

LOCK = ".lock"  # OUT/.lock, the builds' lock file: made by the first build, never changed in content that matters


def tree_hashes(folder: Path) -> dict[str, str]:
    """sha256 of every file under folder, by relative path (OUT's lock file aside): equal dicts mean
    byte-identical trees."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and str(p.relative_to(folder)) != LOCK
    }


def xlsxwriter_reference(sheets, properties: dict, stamp, cell=lambda value: value, layouts=None) -> bytes:
    """A workbook the plain way: XlsxWriter's write_row for every row (each value through ``cell``), each sheet
    laid out by ``layouts`` (sheet name -> umkm.xlsx.Layout), then normalise_xlsx: what the column-wise
    writer (umkm.xlsx.workbook_bytes) must equal byte for byte."""
    import xlsxwriter

    from umkm.xlsx import apply_layout, normalise_xlsx

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False}
    )
    workbook.set_properties(properties)
    for name, frame in sheets:
        sheet = workbook.add_worksheet(name)
        header_format = apply_layout(workbook, sheet, (layouts or {}).get(name), list(frame.columns), len(frame))
        sheet.write_row(0, 0, list(frame.columns), header_format)
        columns = [frame[c].astype(object).where(frame[c].notna(), None).tolist() for c in frame.columns]
        for index, row in enumerate(zip(*columns), start=1):
            sheet.write_row(index, 0, [cell(value) for value in row])
    workbook.close()
    return normalise_xlsx(buffer.getvalue(), stamp)


def actors_with_first_input(exports, reference):
    """A synthetic register's exports reconciled into actors, each with ``first_input``: the earliest input
    date of its rows (so the register can be cut at an earlier date)."""
    import pandas as pd

    from umkm import paths
    from umkm.ingest import exports as ingest
    from umkm.reconcile import register as reconcile

    mapping = ingest.build_header_mapping(pd.read_csv(paths.HEADER_MAPPING, dtype=str, keep_default_na=False))
    ods = ingest.parse_export(exports.ods.to_csv(index=False).encode(), "ods.csv", "ods", mapping)
    oss = ingest.parse_export(exports.oss.to_csv(index=False).encode(), "oss.csv", "oss", mapping)
    result = reconcile.reconcile(ods, oss, reference)
    rows = result.rows[["source", "source_row", "tanggal_input"]].merge(
        result.decisions[["source", "source_row", "actor_id"]], on=["source", "source_row"]
    )
    first = rows[rows["actor_id"].ne("")].groupby("actor_id")["tanggal_input"].min()
    actors = result.register.copy()
    actors["first_input"] = actors["actor_id"].astype(str).map(first)
    return actors


def registers_at(actors, dates, seed: int = 29, leave: float = 0.01, change: float = 0.01):
    """The register at each date: an actor is in once its first input is on or before it; a share ``leave``
    of those present leaves after each release but the last two, and a share ``change`` of those present
    flips whether it sells online at each release but the first and the last."""
    import numpy as np

    rng = np.random.default_rng(seed)
    ids = actors["actor_id"].astype(str).to_numpy()
    left: set[str] = set()
    online = actors["pemasaran_online"].copy()
    out = []
    for i, date in enumerate(dates):
        present = (actors["first_input"] <= date).to_numpy() & ~np.isin(ids, list(left))
        if 0 < i < len(dates) - 1:
            flip = rng.choice(np.flatnonzero(present), size=int(present.sum() * change), replace=False)
            online.iloc[flip] = ~online.iloc[flip].astype("boolean")
        out.append(actors[present].assign(pemasaran_online=online[present]).reset_index(drop=True))
        if i < len(dates) - 2:
            left |= set(rng.choice(ids[present], size=int(present.sum() * leave), replace=False).tolist())
    return out
