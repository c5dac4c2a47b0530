"""Reconciled rows in, the staff review workbook out (private/review.xlsx), and staff decisions back in.

Sheets:
- ``tautan_ragu``: pairs whose match weight lies in the grey band around the threshold,
  the two source rows side by side, what the build decided, and an empty
  ``keputusan_staf`` column: write ``sama`` (same actor) or ``beda`` (different actors).
- ``konflik``: actors whose rows disagree on the kelurahan or on the owner's sex.
- ``nik_tidak_terpakai``: rows whose NIK was destroyed by Excel or is invalid, to fix at source.
- ``tanggal_lahir_beda``: rows whose typed birth date disagrees with the one in their NIK (a
  digit of one of them mistyped), to fix at source; the actor takes the date most of its rows give.

The next build reads the decisions back (from this workbook and from
private/keputusan_staf.csv, where they are kept) and obeys them before any score.
umkm/reconcile/review_overrides.py adds the sheets on exclusions and linkage weights.
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from umkm.reconcile import linkage
from umkm.xlsx import safe_text, safe_texts, workbook_bytes

GREY_BAND = 4.0  # match weights within this distance of the threshold are shown to staff
SIDE_BY_SIDE = {
    "ods": ("nama_pemilik", "nama_usaha", "nik", "nib", "no_hp", "kelurahan", "tanggal_lahir", "kbli", "alamat"),
    "oss": ("nama_pelaku_usaha", "nama_pelaku_usaha", "nik", "nib", "no_telp", "kd_daerah", "", "kbli", "alamat"),
}
LABELS = ("nama_pemilik", "nama_usaha", "nik", "nib", "telepon", "kelurahan", "tanggal_lahir", "kbli", "alamat")
DECISION_COLUMNS = ["fingerprint_a", "fingerprint_b", "keputusan"]


def _raw_view(rows: pd.DataFrame, raw: dict[str, pd.DataFrame], wanted: np.ndarray) -> pd.DataFrame:
    """The values as staff typed them, per row of `rows` at the positions `wanted` (sorted, unique), under
    common labels; indexed by those positions."""
    source = rows["source"].to_numpy()[wanted]
    source_row = rows["source_row"].to_numpy()[wanted]
    columns: dict[str, np.ndarray] = {label: np.full(len(wanted), np.nan, dtype=object) for label in LABELS}
    for name, frame in raw.items():
        mine = np.flatnonzero(source == name)
        at = pd.Index(frame["source_row"]).get_indexer(source_row[mine])
        found = at >= 0
        for label, column in zip(LABELS, SIDE_BY_SIDE[name]):
            if column:
                columns[label][mine[found]] = frame[column].iloc[at[found]].to_numpy(dtype=object)
            else:
                columns[label][mine] = ""
    return pd.DataFrame(columns, index=pd.Index(wanted))


def build_review(
    rows: pd.DataFrame,
    pairs: pd.DataFrame,
    raw: dict[str, pd.DataFrame],
    actor_of_row: pd.Series,
    threshold: float = linkage.MATCH_THRESHOLD,
) -> dict[str, pd.DataFrame]:
    """threshold: the match threshold of the model the pairs were scored with."""
    low, high = threshold - GREY_BAND, threshold + GREY_BAND
    grey = pairs[(pairs["weight"] >= low) & (pairs["weight"] < high) & pairs["nib"].ne("equal")]
    grey = grey.sort_values(["weight", "a", "b"], kind="stable")
    a, b = grey["a"].to_numpy(), grey["b"].to_numpy()
    bad_nik = rows["nik_status"].isin(["excel_destroyed", "invalid"]).to_numpy()
    two_births = rows["tanggal_lahir_beda"].fillna(False).to_numpy(dtype=bool)
    wanted = np.unique(np.concatenate([a, b, np.flatnonzero(bad_nik), np.flatnonzero(two_births)]).astype(np.int64))
    view = _raw_view(rows, raw, wanted)  # only the rows shown: a fraction of a large register
    same = actor_of_row.reindex(a).to_numpy() == actor_of_row.reindex(b).to_numpy()
    uncertain = pd.DataFrame(
        {
            "bobot": grey["weight"].round(2).to_numpy(),
            "keputusan_sistem": np.where(same, "sama", "beda").astype(object),
            "keputusan_staf": "",
            "sumber_a": rows["source"].to_numpy()[a],
            "baris_a": rows["source_row"].to_numpy()[a],
            "sumber_b": rows["source"].to_numpy()[b],
            "baris_b": rows["source_row"].to_numpy()[b],
        }
    )
    at_a, at_b = np.searchsorted(wanted, a), np.searchsorted(wanted, b)
    for label in LABELS:
        uncertain[f"{label}_a"] = view[label].to_numpy()[at_a]
        uncertain[f"{label}_b"] = view[label].to_numpy()[at_b]
    uncertain["fingerprint_a"] = rows["fingerprint"].to_numpy()[a]
    uncertain["fingerprint_b"] = rows["fingerprint"].to_numpy()[b]

    members = rows.loc[rows["reason"].eq(""), ["source", "source_row", "kelurahan_code", "jenis_kelamin"]].assign(
        actor_id=actor_of_row
    )
    conflicts = []
    for field, label in (("kelurahan_code", "kelurahan"), ("jenis_kelamin", "jenis_kelamin")):
        known = members.dropna(subset=[field])
        distinct = known.groupby("actor_id", sort=False)[field].nunique()
        torn = distinct.index[distinct > 1]
        if not len(torn):
            continue
        values = (
            known.loc[known["actor_id"].isin(torn), ["actor_id", field]]
            .astype(str)
            .drop_duplicates()
            .sort_values(["actor_id", field])
        )
        values = _joined(values[field], values["actor_id"], " | ", sort=True)
        rows_of = members[members["actor_id"].isin(torn)]
        listing = _joined(
            rows_of["source"].astype(str) + ":" + rows_of["source_row"].astype(str),
            rows_of["actor_id"],
            "; ",
            sort=False,
        )
        conflicts.append(
            pd.DataFrame(
                {
                    "actor_id": values.index,
                    "kolom": label,
                    "nilai": values.to_numpy(),
                    "baris": listing.reindex(values.index).to_numpy(),
                }
            )
        )
    conflict_frame = (
        pd.concat(conflicts, ignore_index=True)
        if conflicts
        else pd.DataFrame(columns=["actor_id", "kolom", "nilai", "baris"])
    )

    at_bad = np.searchsorted(wanted, np.flatnonzero(bad_nik))
    unusable = pd.DataFrame(
        {
            "sumber": rows.loc[bad_nik, "source"],
            "baris": rows.loc[bad_nik, "source_row"],
            "nama_pemilik": view["nama_pemilik"].to_numpy()[at_bad],
            "nik_tertulis": view["nik"].to_numpy()[at_bad],
            "status": rows.loc[bad_nik, "nik_status"],
        }
    )
    at_two = np.searchsorted(wanted, np.flatnonzero(two_births))
    births = pd.DataFrame(
        {
            "sumber": rows.loc[two_births, "source"],
            "baris": rows.loc[two_births, "source_row"],
            "actor_id": actor_of_row.reindex(np.flatnonzero(two_births)).to_numpy(dtype=object),
            "nama_pemilik": view["nama_pemilik"].to_numpy()[at_two],
            "nik_tertulis": view["nik"].to_numpy()[at_two],
            "tanggal_lahir_tertulis": view["tanggal_lahir"].to_numpy()[at_two],
            "tanggal_lahir_menurut_nik": _iso_dates(rows.loc[two_births, "tanggal_lahir"]),
        }
    )
    return {
        "tautan_ragu": uncertain,
        "konflik": conflict_frame,
        "nik_tidak_terpakai": unusable,
        "tanggal_lahir_beda": births,
    }


def _iso_dates(dates: pd.Series) -> np.ndarray:
    """Dates as YYYY-MM-DD text (None where missing)."""
    return dates.dt.strftime("%Y-%m-%d").astype(object).where(dates.notna(), None).to_numpy(dtype=object)


def _joined(values: pd.Series, groups: pd.Series, separator: str, sort: bool) -> pd.Series:
    """groupby(groups, sort=sort)[values].agg(separator.join) for text, at once: each group's values in their
    order, the groups sorted or in order of appearance; missing groups left out."""
    codes, uniques = pd.factorize(groups, sort=sort)
    kept = codes >= 0
    codes = codes[kept]
    order = np.argsort(codes, kind="stable")
    offsets = np.concatenate([[0], np.cumsum(np.bincount(codes, minlength=len(uniques)))]).astype(np.int32)
    items = pa.array(values.to_numpy(dtype=object)[kept][order], type=pa.string())
    joined = pc.binary_join(pa.ListArray.from_arrays(pa.array(offsets), items), separator)
    return pd.Series(joined.to_numpy(zero_copy_only=False), index=pd.Index(uniques, name=groups.name))


def review_xlsx(sheets: dict[str, pd.DataFrame], stamp) -> bytes:
    """The workbook XlsxWriter writes with ``write_row`` for every row, built column-wise (xlsx.workbook_bytes):
    numbers stay numbers; everything else is text, never a formula, number or link; a missing value is no cell."""
    fixed = pd.Timestamp(stamp).to_pydatetime()
    return workbook_bytes([(name, _as_cells(frame)) for name, frame in sheets.items()], {"created": fixed}, fixed)


def _as_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """Number columns as they are; any other value as its text (str), guarded against formulas (safe_text)."""
    out = {}
    for column in frame.columns:
        values = frame[column]
        if pd.api.types.is_bool_dtype(values.dtype):
            raise TypeError(f"column {column!r}: a review sheet holds no booleans")
        if pd.api.types.is_numeric_dtype(values.dtype):
            out[column] = values
            continue
        try:
            text = pa.array(values, from_pandas=True)
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            text = None
        if isinstance(text, pa.ChunkedArray):  # what Arrow-backed pandas strings may give
            text = text.combine_chunks()
        if text is not None and (
            pa.types.is_string(text.type) or pa.types.is_large_string(text.type) or pa.types.is_null(text.type)
        ):
            out[column] = safe_texts(text.cast(pa.large_string())).to_numpy(zero_copy_only=False)
            continue
        if (
            values.dtype == object
            and values.map(lambda v: isinstance(v, (int, float, np.number)) and not pd.isna(v)).any()
        ):
            raise TypeError(f"column {column!r}: numbers in a text column")  # they would be number cells
        present = values.notna().to_numpy()
        text = np.full(len(values), None, dtype=object)
        text[present] = [safe_text(v if isinstance(v, str) else str(v)) for v in values.to_numpy(dtype=object)[present]]
        out[column] = text
    return pd.DataFrame(out, columns=frame.columns)


# What the build reads back from a review workbook: per sheet, the columns it needs and, per decision
# column, the words staff may write there (compared without case or surrounding spaces; empty = no decision).
READ_BACK = {
    "tautan_ragu": {
        "columns": ("fingerprint_a", "fingerprint_b", "keputusan_staf"),
        "decisions": {"keputusan_staf": {"sama": "the same actor", "beda": "different actors"}},
    },
}


def staff_file_error(file, message: str, **where):
    """The refusal of a staff file (review workbook, kept decisions): exit 2, the file as it is (nothing lost)."""
    from umkm.ingest.exports import InputError

    return InputError(str(file), message + ". Nothing was changed: correct it and run the build again", **where)


def _cell(row: int, column: int) -> str:
    from umkm.ingest.xlsx_sheets import column_letters

    return f"{column_letters(column + 1)}{row}"


def decisions_from_workbook(data: bytes, file: str = "review.xlsx") -> pd.DataFrame:
    """The keputusan_staf cells staff filled in a review workbook. A renamed sheet or column, a word that is no
    decision, a decision without its pair: an InputError naming the file, sheet and cell."""
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = list(workbook.sheet_names)
    except Exception as error:  # calamine raises its own types for damaged parts
        raise staff_file_error(
            file,
            f"is not a readable Excel workbook ({type(error).__name__}); save it again "
            "from Excel, or move it away to have a fresh one written",
        ) from None
    missing = [sheet for sheet in READ_BACK if sheet not in names]
    if missing:
        raise staff_file_error(
            file,
            f"sheet '{missing[0]}' is missing (the sheets: {', '.join(map(repr, names))}); "
            "was it renamed? Give it back its name",
            sheet=missing[0],
        )
    found = []
    for sheet, expected in READ_BACK.items():
        try:
            rows = workbook.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        except Exception as error:
            raise staff_file_error(file, f"the sheet is not readable ({type(error).__name__})", sheet=sheet) from None
        header = [str(c).strip() if c is not None else "" for c in (rows[0] if rows else [])]
        for column in expected["columns"]:
            if column not in header:
                raise staff_file_error(
                    file,
                    f"column '{column}' is missing from the header row (found: "
                    f"{', '.join(h for h in header if h)}); was it renamed? Give it back "
                    "its name",
                    sheet=sheet,
                    row=1,
                    column=column,
                )
        at = {c: header.index(c) for c in expected["columns"]}
        for column, words in expected["decisions"].items():
            problems = []
            decided_at: dict[tuple[str, ...], tuple[int, str]] = {}
            for number, row in enumerate(rows[1:], start=2):
                value = row[at[column]] if at[column] < len(row) else None
                word = "" if value is None else str(value).strip().casefold()
                if not word:
                    continue
                if word not in words:
                    problems.append(
                        (
                            number,
                            at[column],
                            f"'{str(value)[:30]}' is not a decision: write "
                            + " or ".join(f"{w} ({meaning})" for w, meaning in words.items())
                            + ", or leave the cell empty",
                        )
                    )
                    continue
                pair = [
                    str(row[at[c]]).strip() if at[c] < len(row) and row[at[c]] is not None else ""
                    for c in ("fingerprint_a", "fingerprint_b")
                ]
                if not all(pair):
                    problems.append(
                        (
                            number,
                            at["fingerprint_a"],
                            "a decision whose pair of rows is gone (its fingerprint cells are empty)",
                        )
                    )
                    continue
                key = tuple(sorted(pair))
                if key in decided_at and decided_at[key][1] != word:
                    problems.append(
                        (
                            number,
                            at[column],
                            f"the same pair of rows is decided '{decided_at[key][1]}' "
                            f"in row {decided_at[key][0]} and '{word}' here: keep one decision",
                        )
                    )
                    continue
                decided_at[key] = (number, word)
                found.append((*pair, word))
            if problems:
                number, position, message = problems[0]
                more = f" (and {len(problems) - 1} more cells)" if len(problems) > 1 else ""
                raise staff_file_error(
                    file, message + more, sheet=sheet, cell=_cell(number, position), row=number, column=header[position]
                )
    return pd.DataFrame(found, columns=DECISION_COLUMNS)


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
