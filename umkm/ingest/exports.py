"""Raw export bytes in, a table of text in the canonical columns out (ODS or OSS).

Reads CSV (UTF-8, UTF-8 with BOM, UTF-16 or UTF-32 with or without a BOM,
Windows-1252, or UTF-8 with stray Windows-1252 bytes; comma, semicolon, tab or pipe;
\n, \r\n or old Mac \r line ends; short rows padded as Excel writes them) and XLSX
(the one visible sheet whose header is found, or the sheet named; formulas read as their
cached value; merged cells filled from their top-left cell), finds the header row even
below title rows, maps the human headers onto the
canonical columns through the mapping file staff can extend, and keeps every
value as text: typing a NIK or a KBLI code as a number destroys it, so the
values are parsed by the normalisers in reconcile, not here. Text that looks like a
formula or markup ("=1+1", "<script>") stays the text it is; escaping it is the
publisher's job (package.safe_text). A CSV file's bytes are decoded and its rows read in
csv_text.py, a workbook's sheets checked in xlsx_sheets.py; the header row is found and the columns
mapped here.

Every refusal is an ``InputError`` that names the file, and the sheet, row and column
where there is one: binary or compressed files, .xls and .ods workbooks, zip bombs,
rows wider than the header, quotes never closed, cells longer than Excel allows, a NUL
byte anywhere, several data sheets, a cell far outside the table (checked in the sheet's
XML before the sheet is read: its declared dimension is not trusted), more columns or
rows than a register has. Row numbers are the rows a person sees in the file (the header
row counted). Blank rows are skipped (counted in the table's summary); other control
characters are removed from the cells and counted. Messages never quote a cell's value
(it may be personal data) and never hold a line break from the input.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from umkm.ingest import csv_text, xlsx_sheets
from umkm.ingest.limits import MAX_CELL_CHARS, MAX_COLUMNS, MAX_EXPORT_BYTES, InputError, shown

ODS_COLUMNS = (
    "tanggal_input",
    "nama_usaha",
    "nama_pemilik",
    "nik",
    "jenis_kelamin",
    "tanggal_lahir",
    "no_hp",
    "email",
    "alamat",
    "rt",
    "rw",
    "kelurahan",
    "kecamatan",
    "kabupaten_kota",
    "nib",
    "bidang_usaha",
    "kbli",
    "produk_utama",
    "status_badan_usaha",
    "modal_usaha",
    "omzet_per_tahun",
    "aset",
    "tenaga_kerja",
    "tahun_mulai",
    "status_usaha",
    "pemasaran_online",
    "marketplace",
    "pelatihan",
    "bantuan_modal",
    "sentra",
)
OSS_COLUMNS = (
    "nib",
    "tgl_terbit_nib",
    "nama_pelaku_usaha",
    "nik",
    "jenis_pelaku_usaha",
    "status_penanaman_modal",
    "kd_daerah",
    "alamat",
    "kbli",
    "skala_usaha",
    "jumlah_investasi",
    "jumlah_tki_l",
    "jumlah_tki_p",
    "no_telp",
    "email",
)
COLUMNS = {"ods": ODS_COLUMNS, "oss": OSS_COLUMNS}
# Without these a row cannot be told apart from another or placed in the city.
REQUIRED = {
    "ods": ("nama_usaha", "nama_pemilik", "nik", "kelurahan"),
    "oss": ("nib", "nik", "kd_daerah", "kbli"),
}
# Columns whose values are identifiers: a number cell there was typed by Excel.
IDENTIFIER_COLUMNS = {"nik", "nib", "no_hp", "no_telp", "kbli", "kd_daerah", "rt", "rw"}

HEADER_SEARCH_ROWS = 30
EXCEL_EPOCH = dt.datetime(1899, 12, 30)
CONTROL_CHARACTERS = "[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]"  # removed from cells (NUL is refused)


@dataclass(frozen=True)
class ExportTable:
    """One export as text in the canonical columns, with where it came from."""

    source: str  # "ods" or "oss"
    file: str
    frame: pd.DataFrame  # canonical columns (all text, "" for blank) + source_row (1-based data row)
    header_row: int  # 1-based row of the header in the file or sheet
    sheet: str | None
    encoding: str | None
    unmapped_columns: tuple[str, ...] = ()
    missing_columns: tuple[str, ...] = field(default_factory=tuple)
    blank_rows: int = 0  # blank rows between the header and the last record, skipped (not records)
    control_cells: int = 0  # cells whose control characters were removed
    merged_ranges: int = 0  # merged ranges below the header, unmerged...
    merged_cells: int = 0  # ...and the cells filled from their top-left cell
    hidden_sheets: tuple[str, ...] = ()  # hidden sheets of the workbook, not read

    def file_row(self, source_row: int) -> int:
        """The row a person sees in a spreadsheet for a data row (header counted)."""
        return self.header_row + source_row

    def summary(self) -> str:
        """One line for the build's input summary (no value of a cell)."""
        where = f"{shown(self.file)}" + (f", sheet '{shown(self.sheet)}'" if self.sheet is not None else "")
        parts = [f"{len(self.frame):,} rows read (header on row {self.header_row})"]
        if self.blank_rows:
            parts.append(f"{self.blank_rows:,} blank rows skipped")
        if self.merged_ranges:
            parts.append(
                f"{self.merged_ranges:,} merged ranges unmerged, {self.merged_cells:,} cells filled from "
                "their top-left cell"
            )
        if self.control_cells:
            parts.append(f"control characters removed from {self.control_cells:,} cells")
        if self.hidden_sheets:
            parts.append(f"hidden sheets not read: {', '.join(repr(shown(n)) for n in self.hidden_sheets)}")
        return f"{self.source.upper()} {where}: " + "; ".join(parts)


def header_key(header: str) -> str:
    return re.sub(r"[^0-9a-z]+", "_", str(header).strip().casefold()).strip("_")


def build_header_mapping(mapping: pd.DataFrame) -> dict[str, dict[str, str]]:
    """Mapping rows (source, header, canonical) to {source: {header_key: canonical}}."""
    result: dict[str, dict[str, str]] = {}
    for source, columns in COLUMNS.items():
        keys = {header_key(c): c for c in columns}
        for row in mapping.itertuples(index=False):
            if row.source != source:
                continue
            if row.canonical not in columns:
                raise InputError(
                    "header_mapping.csv", f"unknown canonical column {row.canonical!r} for {source}", column="canonical"
                )
            keys[header_key(row.header)] = row.canonical
        result[source] = keys
    return result


def parse_export(
    data: bytes, file: str, source: str, header_mapping: dict[str, dict[str, str]], sheet: str | None = None
) -> ExportTable:
    """Parse the bytes of one export (CSV or XLSX, told apart by content, not name). ``sheet``: the sheet of a
    workbook to read (else the one visible sheet that has the header; a hidden sheet is read only if named)."""
    if source not in COLUMNS:
        raise ValueError(f"unknown source {source!r}")
    if not data.strip():
        raise InputError(file, "the file is empty")
    if len(data) > MAX_EXPORT_BYTES:
        raise InputError(file, f"is {len(data):,} bytes, more than the {MAX_EXPORT_BYTES:,} an export may be")
    mapping = header_mapping[source]
    if data[:4] == b"PK\x03\x04":
        return _parse_xlsx(data, file, source, mapping, sheet)
    if file.lower().endswith((".xlsx", ".xlsm")):
        raise InputError(file, "is named .xlsx but is not an Excel workbook (not a zip archive)")
    text, encoding = csv_text.decode(data, file)
    return _parse_csv_text(text, encoding, file, source, mapping, data)


def _check_width(width: int, file: str, header_row: int) -> None:
    if width > MAX_COLUMNS:
        raise InputError(
            file,
            f"the header row has {width:,} cells, more than the {MAX_COLUMNS:,} columns a register "
            "may have: delete the empty columns right of the table and export again",
            row=header_row,
        )


def _is_header(row: list, mapping: dict[str, str]) -> bool:
    mapped = {mapping.get(header_key(cell)) for cell in row if isinstance(cell, str) and cell.strip()}
    mapped.discard(None)
    return len(mapped) >= 3


def _parse_csv_text(
    text: str, encoding: str, file: str, source: str, mapping: dict[str, str], data: bytes | None = None
) -> ExportTable:
    delimiter = csv_text.sniff_delimiter(text)
    head_rows: list[list[str]] = []
    lines = csv_text.Lines(text)
    reader = csv.reader(lines, delimiter=delimiter)
    header_index = None
    with csv_text.field_limit(MAX_CELL_CHARS * 4):
        try:
            for row in reader:
                head_rows.append(row)
                if _is_header(row, mapping):
                    header_index = len(head_rows) - 1
                    break
                if len(head_rows) >= HEADER_SEARCH_ROWS:
                    break
        except csv.Error as error:
            raise InputError(file, f"is not readable as CSV ({error})", row=len(head_rows) + 1) from None
    if header_index is None:
        raise _no_header_error(file, source, mapping, head_rows)
    header, header_row, start = head_rows[header_index], header_index + 1, lines.position
    _check_width(len(header), file, header_row)
    frame = csv_text.read_body(text, start, delimiter, header, file, header_row, encoding, data)
    frame.columns = [str(h) for h in header]
    return _finish(frame, header, file, source, mapping, header_row, None, encoding)


def _parse_xlsx(data: bytes, file: str, source: str, mapping: dict[str, str], wanted: str | None) -> ExportTable:
    archive = xlsx_sheets.open_archive(data, file)
    from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum  # only needed for Excel

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        metadata = list(workbook.sheets_metadata)
    except Exception as error:  # calamine raises its own types for damaged parts
        raise InputError(file, f"is not a readable Excel workbook ({type(error).__name__}: {error})") from None
    names = [m.name for m in metadata]
    hidden = [m.name for m in metadata if m.visible != SheetVisibleEnum.Visible]
    if wanted is not None:
        if wanted not in names:
            raise InputError(file, f"has no sheet '{wanted}' (its sheets: {', '.join(repr(n) for n in names)})")
        candidates = [wanted]
    else:  # a hidden sheet is often an old copy: never read unless named
        candidates = [
            m.name for m in metadata if m.visible == SheetVisibleEnum.Visible and m.typ == SheetTypeEnum.WorkSheet
        ]
    parts = xlsx_sheets.sheet_parts(archive)
    found, first_rows = [], None
    for name in candidates:
        xlsx_sheets.check_sheet_bounds(archive, parts.get(name), file, name)
        try:
            sheet = workbook.get_sheet_by_name(name)
            rows = sheet.to_python(skip_empty_area=False)
            merged = sheet.merged_cell_ranges or []
        except Exception as error:
            raise InputError(
                file, f"is not a readable Excel workbook ({type(error).__name__}: {error})", sheet=name
            ) from None
        header_index = _find_header(rows, mapping)
        if header_index is not None:
            found.append((name, rows, header_index, merged))
        elif first_rows is None and rows:
            first_rows = rows
    if not found:
        if first_rows is None and not any(n in hidden for n in candidates):
            raise InputError(file, "the workbook has no rows in any sheet")
        raise _no_header_error(file, source, mapping, first_rows or [])
    if len(found) > 1:
        raise InputError(
            file,
            f"has {len(found)} sheets with the {source.upper()} columns: "
            f"{', '.join(repr(f[0]) for f in found)}. Name the one to read with "
            f"--{source}-sheet NAME (or delete the others)",
        )
    name, rows, header_index, merged = found[0]
    filled, cells = xlsx_sheets.fill_merged(rows, merged, header_index, file, name)
    table = _to_table(rows[header_index], rows[header_index + 1 :], file, source, mapping, header_index + 1, name, None)
    return dataclasses.replace(
        table, merged_ranges=filled, merged_cells=cells, hidden_sheets=tuple(n for n in hidden if n != name)
    )


def _find_header(rows: list[list], mapping: dict[str, str]) -> int | None:
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if _is_header(row, mapping):
            return index
    return None


def _no_header_error(file: str, source: str, mapping: dict[str, str], rows: list[list]) -> InputError:
    if rows and len(rows) == 1 and not any(str(c).strip() for c in rows[0]):
        return InputError(file, "the file is empty")
    return InputError(
        file,
        f"no header row with the {source.upper()} columns found in the first {HEADER_SEARCH_ROWS} rows "
        f"(expected e.g. {', '.join(REQUIRED[source])}; add other spellings to umkm/ingest/header_mapping.csv)",
    )


def _cell_text(value, column: str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        if column == "nik" and abs(value) >= 1e15:
            # Excel keeps 15 significant digits: a 16-digit NIK stored as a number has
            # lost its last digit. Hand it on in the form that marks it as destroyed.
            return f"{value:.14E}"
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.timedelta):  # a date cell that calamine saw as a duration
        return (EXCEL_EPOCH + value).date().isoformat()
    return str(value)


def _to_table(
    header: list,
    body: list[list],
    file: str,
    source: str,
    mapping: dict[str, str],
    header_row: int,
    sheet: str | None,
    encoding: str | None,
) -> ExportTable:
    header = ["" if h is None else str(h) for h in header]
    width = len(header)
    _check_width(width, file, header_row)
    canonical = [mapping.get(header_key(h)) for h in header]
    columns = {}
    for index in range(width):
        values = [_cell_text(r[index] if index < len(r) else None, canonical[index]) for r in body]
        columns[f"{index}"] = values
    frame = pd.DataFrame(columns, dtype=pd.StringDtype("pyarrow"))
    frame.columns = header[:width]
    return _finish(frame, header, file, source, mapping, header_row, sheet, encoding)


def _finish(
    frame: pd.DataFrame,
    header: list[str],
    file: str,
    source: str,
    mapping: dict[str, str],
    header_row: int,
    sheet: str | None,
    encoding: str | None,
) -> ExportTable:
    # Rows that are blank in every cell (spaces only count as blank) are not records: the ones between
    # records are counted in the summary, those after the last (Excel's trailing empty area) are not.
    frame = frame.fillna("")
    source_rows = np.arange(1, len(frame) + 1)
    blank_rows = 0
    if len(frame.columns):
        filled = np.zeros(len(frame), dtype=np.bool_)
        for position in range(len(frame.columns)):
            filled |= (frame.iloc[:, position].str.strip() != "").to_numpy(dtype=np.bool_)
        last = int(filled.nonzero()[0].max()) + 1 if filled.any() else 0
        blank_rows = int((~filled[:last]).sum())
        if blank_rows or last < len(frame):
            frame, source_rows = frame.iloc[filled], source_rows[filled]
    if frame.empty:
        raise InputError(file, "has a header row but no data rows", row=header_row)
    seen: dict[str, str] = {}
    selected: dict[str, pd.Series] = {}
    unmapped = []
    for position, human in enumerate(header):
        target = mapping.get(header_key(human))
        if target is None:
            if human.strip():
                unmapped.append(human)
            continue
        if target in seen:
            raise InputError(
                file,
                f"columns '{seen[target]}' and '{human}' both map to '{target}'; keep one",
                row=header_row,
                column=human,
                sheet=sheet,
            )
        seen[target] = human
        selected[target] = frame.iloc[:, position]
    controls = 0
    for target, values in list(selected.items()):
        lengths = values.str.len()
        if len(lengths) and lengths.max() > MAX_CELL_CHARS:
            at = int((lengths.to_numpy(dtype="int64", na_value=0) > MAX_CELL_CHARS).argmax())  # the first
            raise InputError(
                file,
                f"a cell of {int(lengths.iloc[at]):,} characters, longer than the "
                f"{MAX_CELL_CHARS:,} Excel allows in one cell: the file is damaged or a quote "
                "is never closed",
                row=header_row + int(source_rows[at]),
                column=seen[target],
                sheet=sheet,
            )
        nul = values.str.contains("\x00", regex=False).to_numpy(dtype=np.bool_, na_value=False)
        if nul.any():
            raise InputError(
                file,
                "a cell holds a NUL character (binary data): remove it or export the sheet again",
                row=header_row + int(source_rows[nul.argmax()]),
                column=seen[target],
                sheet=sheet,
            )
        control = values.str.contains(CONTROL_CHARACTERS, regex=True).to_numpy(dtype=np.bool_, na_value=False)
        if control.any():  # invisible, and they would garble a log or a terminal: removed, counted
            controls += int(control.sum())
            selected[target] = values.str.replace(CONTROL_CHARACTERS, "", regex=True)
    missing_required = [c for c in REQUIRED[source] if c not in selected]
    if missing_required:
        raise InputError(
            file,
            f"required column missing (found: {', '.join(h for h in header if h.strip())})",
            row=header_row,
            column=missing_required[0],
            sheet=sheet,
        )
    missing = tuple(c for c in COLUMNS[source] if c not in selected)
    empty = pd.Series([""] * len(frame), index=frame.index, dtype=pd.StringDtype("pyarrow"))
    out = pd.DataFrame({c: selected.get(c, empty).astype(pd.StringDtype("pyarrow")) for c in COLUMNS[source]})
    out = out.reset_index(drop=True)
    out.insert(0, "source_row", pd.Series(source_rows, dtype="int64"))
    return ExportTable(source, file, out, header_row, sheet, encoding, tuple(unmapped), missing, blank_rows, controls)
