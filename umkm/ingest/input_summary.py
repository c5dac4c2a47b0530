"""Parsed exports and their reconciled rows in, the input summary and the newest valid input date out.

The summary says what was read and what was not: rows read per file and sheet, blank rows
skipped, merged cells filled, control characters removed, hidden sheets left unread, and
input dates that cannot be true. A date after the build date, or before the register
existed, is an invalid cell: it is listed here and never dates a release (one cell dated
31-12-2099, or a stray 56103 read as an Excel date, would otherwise make release 2099.12.31).
The summary is printed by the build and kept, as counts, in the public data-quality report.
"""

from __future__ import annotations

import datetime as dt
import os

import pandas as pd

from umkm.ingest.exports import ExportTable

DATE_COLUMNS = {"ods": "tanggal_input", "oss": "tgl_terbit_nib"}
# The earliest date an input row can carry. OSS issued its first NIBs in July 2018 (PP 24/2018, OSS launched
# 9 July 2018); for the office's own records (ODS) a date before 2000 is Excel's day zero or a typo.
REGISTER_START = {"ods": pd.Timestamp("2000-01-01"), "oss": pd.Timestamp("2018-07-01")}
WITA = dt.timezone(dt.timedelta(hours=8))  # Balikpapan
SHOWN_ROWS = 5  # rows named per kind of problem in a summary line


def build_date() -> pd.Timestamp:
    """Today in Balikpapan, or the day of SOURCE_DATE_EPOCH when it is set (reproducible builds, tests)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    now = dt.datetime.fromtimestamp(int(epoch), WITA) if epoch.isdigit() else dt.datetime.now(WITA)
    return pd.Timestamp(now.date())


def valid_input_dates(rows: pd.DataFrame, today: pd.Timestamp) -> pd.Series:
    """rows["tanggal_input"] (the parsed input date of each ODS and OSS row) where it can be true, else NaT."""
    start = rows["source"].map(REGISTER_START)
    dates = rows["tanggal_input"]
    return dates.where((dates >= start) & (dates <= today))


def newest_valid_input_date(rows: pd.DataFrame, today: pd.Timestamp) -> pd.Timestamp | None:
    """The newest input date that can be true (what dates a release when no snapshot date is given)."""
    newest = valid_input_dates(rows, today).max()
    return None if pd.isna(newest) else pd.Timestamp(newest)


def invalid_dates(rows: pd.DataFrame, today: pd.Timestamp, exports: dict[str, ExportTable]) -> dict[str, list[int]]:
    """Per source, the file rows (as a person sees them) whose input date was read but cannot be true."""
    parsed = rows["tanggal_input"].notna()
    bad = parsed & valid_input_dates(rows, today).isna()
    found = {}
    for source, table in exports.items():
        mine = rows.loc[bad & rows["source"].eq(source), "source_row"].astype("int64")
        found[source] = sorted(table.file_row(int(r)) for r in mine)
    return found


def summary_lines(exports: dict[str, ExportTable], invalid: dict[str, list[int]], today: pd.Timestamp) -> list[str]:
    """The input summary, a line per export and per kind of invalid cell (row numbers, never values)."""
    lines = [table.summary() for table in exports.values()]
    for source, found in invalid.items():
        if found:
            shown = ", ".join(f"{r:,}" for r in found[:SHOWN_ROWS]) + (", ..." if len(found) > SHOWN_ROWS else "")
            lines.append(
                f"{source.upper()} {exports[source].file}: {len(found):,} dates in column "
                f"'{DATE_COLUMNS[source]}' after the build date {today.date()} or before "
                f"{REGISTER_START[source].date()}, not used to date the release (rows {shown})"
            )
    return lines


def quality_measures(exports: dict[str, ExportTable], invalid: dict[str, list[int]]) -> pd.DataFrame:
    """The summary's counts as rows of the data-quality report (metrik, label_id, label_en, nilai)."""
    tables = list(exports.values())
    measures = [
        *[
            (
                f"baris_kosong_{t.source}",
                f"Baris kosong dilewati ({t.source.upper()})",
                f"Blank rows skipped ({t.source.upper()})",
                t.blank_rows,
            )
            for t in tables
        ],
        (
            "sel_gabungan_diisi",
            "Sel gabungan (merge) diisi dari sel kiri atasnya",
            "Merged cells filled from their top-left cell",
            sum(t.merged_cells for t in tables),
        ),
        (
            "sel_karakter_kontrol",
            "Sel yang karakter kontrolnya dihapus",
            "Cells whose control characters were removed",
            sum(t.control_cells for t in tables),
        ),
        (
            "lembar_tersembunyi_dilewati",
            "Lembar tersembunyi yang tidak dibaca",
            "Hidden sheets not read",
            sum(len(t.hidden_sheets) for t in tables),
        ),
        (
            "tanggal_tidak_sah",
            "Tanggal input di luar rentang yang mungkin (tidak dipakai untuk tanggal rilis)",
            "Input dates outside the possible range (not used to date the release)",
            sum(len(found) for found in invalid.values()),
        ),
    ]
    return pd.DataFrame(measures, columns=["metrik", "label_id", "label_en", "nilai"])
