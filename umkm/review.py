"""Reconciled rows in, the staff review workbook out (private/review.xlsx), and staff decisions back in.

Sheets:
- ``tautan_ragu``: pairs whose match weight lies in the grey band around the threshold,
  the two source rows side by side, what the build decided, and an empty
  ``keputusan_staf`` column: write ``sama`` (same actor) or ``beda`` (different actors).
- ``konflik``: actors whose rows disagree on the kelurahan or on the owner's sex.
- ``nik_tidak_terpakai``: rows whose NIK was destroyed by Excel or is invalid, to fix at source.

The next build reads the decisions back (from this workbook and from
private/keputusan_staf.csv, where they are kept) and obeys them before any score.
"""

from __future__ import annotations

import io

import pandas as pd

from umkm import linkage
from umkm.package import safe_text
from umkm.xlsx import normalise_xlsx

GREY_BAND = 4.0  # match weights within this distance of the threshold are shown to staff
SIDE_BY_SIDE = {
    "ods": ("nama_pemilik", "nama_usaha", "nik", "nib", "no_hp", "kelurahan", "tanggal_lahir", "kbli", "alamat"),
    "oss": ("nama_pelaku_usaha", "nama_pelaku_usaha", "nik", "nib", "no_telp", "kd_daerah", "", "kbli", "alamat"),
}
LABELS = ("nama_pemilik", "nama_usaha", "nik", "nib", "telepon", "kelurahan", "tanggal_lahir", "kbli", "alamat")
DECISION_COLUMNS = ["fingerprint_a", "fingerprint_b", "keputusan"]


def _raw_view(rows: pd.DataFrame, raw: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The values as staff typed them, per row of `rows`, under common labels."""
    parts = []
    for source, frame in raw.items():
        mine = rows[rows["source"].eq(source)]
        by_row = frame.set_index("source_row")
        view = pd.DataFrame(index=mine.index)
        for label, column in zip(LABELS, SIDE_BY_SIDE[source]):
            view[label] = by_row[column].reindex(mine["source_row"]).to_numpy() if column else ""
        parts.append(view)
    return pd.concat(parts).reindex(rows.index)


def build_review(rows: pd.DataFrame, pairs: pd.DataFrame, raw: dict[str, pd.DataFrame],
                 actor_of_row: pd.Series) -> dict[str, pd.DataFrame]:
    view = _raw_view(rows, raw)
    low, high = linkage.MATCH_THRESHOLD - GREY_BAND, linkage.MATCH_THRESHOLD + GREY_BAND
    grey = pairs[(pairs["weight"] >= low) & (pairs["weight"] < high) & pairs["nib"].ne("equal")]
    grey = grey.sort_values(["weight", "a", "b"], kind="stable")
    a, b = grey["a"].to_numpy(), grey["b"].to_numpy()
    same = actor_of_row.reindex(a).to_numpy() == actor_of_row.reindex(b).to_numpy()
    uncertain = pd.DataFrame({
        "bobot": grey["weight"].round(2).to_numpy(),
        "keputusan_sistem": ["sama" if s else "beda" for s in same],
        "keputusan_staf": "",
        "sumber_a": rows["source"].to_numpy()[a], "baris_a": rows["source_row"].to_numpy()[a],
        "sumber_b": rows["source"].to_numpy()[b], "baris_b": rows["source_row"].to_numpy()[b],
    })
    for label in LABELS:
        uncertain[f"{label}_a"] = view[label].to_numpy()[a]
        uncertain[f"{label}_b"] = view[label].to_numpy()[b]
    uncertain["fingerprint_a"] = rows["fingerprint"].to_numpy()[a]
    uncertain["fingerprint_b"] = rows["fingerprint"].to_numpy()[b]

    members = rows.loc[rows["reason"].eq(""), ["source", "source_row", "kelurahan_code", "jenis_kelamin"]].assign(
        actor_id=actor_of_row)
    conflicts = []
    for field, label in (("kelurahan_code", "kelurahan"), ("jenis_kelamin", "jenis_kelamin")):
        known = members.dropna(subset=[field])
        counts = known.groupby("actor_id")[field].nunique()
        torn = counts.index[counts > 1]
        if not len(torn):
            continue
        values = (known.loc[known["actor_id"].isin(torn), ["actor_id", field]].astype(str).drop_duplicates()
                  .sort_values(["actor_id", field]).groupby("actor_id")[field].agg(" | ".join))
        rows_of = members[members["actor_id"].isin(torn)]
        listing = (rows_of["source"].astype(str) + ":" + rows_of["source_row"].astype(str)).groupby(
            rows_of["actor_id"], sort=False).agg("; ".join)
        conflicts.append(pd.DataFrame({"actor_id": values.index, "kolom": label, "nilai": values.to_numpy(),
                                       "baris": listing.reindex(values.index).to_numpy()}))
    conflict_frame = (pd.concat(conflicts, ignore_index=True) if conflicts
                      else pd.DataFrame(columns=["actor_id", "kolom", "nilai", "baris"]))

    bad_nik = rows["nik_status"].isin(["excel_destroyed", "invalid"])
    unusable = pd.DataFrame({
        "sumber": rows.loc[bad_nik, "source"], "baris": rows.loc[bad_nik, "source_row"],
        "nama_pemilik": view.loc[bad_nik, "nama_pemilik"], "nik_tertulis": view.loc[bad_nik, "nik"],
        "status": rows.loc[bad_nik, "nik_status"],
    })
    return {"tautan_ragu": uncertain, "konflik": conflict_frame, "nik_tidak_terpakai": unusable}


def review_xlsx(sheets: dict[str, pd.DataFrame], stamp) -> bytes:
    import xlsxwriter

    fixed = pd.Timestamp(stamp).to_pydatetime()
    buffer = io.BytesIO()
    # Staff open this in Excel: identifiers stay text, never numbers, formulas or links.
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False,
                                            "strings_to_formulas": False, "strings_to_urls": False})
    workbook.set_properties({"created": fixed})
    for name, frame in sheets.items():
        sheet = workbook.add_worksheet(name)
        sheet.write_row(0, 0, list(frame.columns))
        for index, row in enumerate(frame.itertuples(index=False), start=1):
            sheet.write_row(index, 0, [None if pd.isna(v) else (safe_text(str(v)) if not isinstance(v, (int, float))
                                                                else v) for v in row])
    workbook.close()
    return normalise_xlsx(buffer.getvalue(), fixed)


def decisions_from_workbook(data: bytes) -> pd.DataFrame:
    """The keputusan_staf cells staff filled in a review workbook."""
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    if "tautan_ragu" not in workbook.sheet_names:
        return pd.DataFrame(columns=DECISION_COLUMNS)
    rows = workbook.get_sheet_by_name("tautan_ragu").to_python()
    if not rows:
        return pd.DataFrame(columns=DECISION_COLUMNS)
    frame = pd.DataFrame(rows[1:], columns=rows[0]).astype(str)
    decided = frame["keputusan_staf"].str.strip().str.lower().isin(["sama", "beda"])
    return pd.DataFrame({"fingerprint_a": frame.loc[decided, "fingerprint_a"],
                         "fingerprint_b": frame.loc[decided, "fingerprint_b"],
                         "keputusan": frame.loc[decided, "keputusan_staf"].str.strip().str.lower()})


def merge_decisions(*frames: pd.DataFrame) -> pd.DataFrame:
    """All decisions, the later frame winning for the same pair; sorted, one row per pair."""
    frames = [f[DECISION_COLUMNS] for f in frames if f is not None and len(f)]
    if not frames:
        return pd.DataFrame(columns=DECISION_COLUMNS)
    merged = pd.concat(frames, ignore_index=True).astype(str)
    pair = merged[["fingerprint_a", "fingerprint_b"]].apply(lambda r: tuple(sorted(r)), axis=1)
    merged["fingerprint_a"], merged["fingerprint_b"] = pair.str[0], pair.str[1]
    merged = merged.drop_duplicates(["fingerprint_a", "fingerprint_b"], keep="last")
    return merged.sort_values(["fingerprint_a", "fingerprint_b"]).reset_index(drop=True)
