"""An .xlsx export's zip archive in, its parts checked and read out, before and after calamine reads a sheet.

``open_archive`` refuses a damaged zip, a zip bomb, an OpenDocument file or a zip that is no workbook;
``sheet_parts`` maps sheet names to their XML parts; ``check_sheet_bounds`` finds, in a sheet's XML, a cell
far outside the table before calamine allocates the whole area it spans; ``fill_merged`` gives every cell of
a merged range below the header the value of its top-left cell. ``column_letters`` and ``column_number``
convert between Excel's column letters and numbers (1 is A). exports.parse_export reads a workbook with them.
"""

from __future__ import annotations

import io
import re
import zipfile

from umkm.ingest.limits import MAX_COLUMNS, MAX_COMPRESSION_RATIO, MAX_SHEET_CELLS, MAX_UNCOMPRESSED_XLSX, InputError


def open_archive(data: bytes, file: str) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except zipfile.BadZipFile:
        raise InputError(file, "is not a valid Excel workbook (damaged zip archive)") from None
    total = sum(i.file_size for i in infos)
    packed = max(1, sum(i.compress_size for i in infos))
    if total > MAX_UNCOMPRESSED_XLSX or (total > 100 * 1024**2 and total / packed > MAX_COMPRESSION_RATIO):
        raise InputError(file, f"unpacks to {total:,} bytes from {packed:,}: refused as a possible zip bomb")
    if not any(i.filename.startswith("xl/") for i in infos):
        if any(i.filename == "mimetype" for i in infos) and archive.read("mimetype").startswith(
            b"application/vnd.oasis.opendocument"
        ):
            raise InputError(file, "is an OpenDocument file (.ods): save it as .xlsx (Excel Workbook) or CSV")
        raise InputError(file, "is a zip archive but not an Excel workbook")
    return archive


_ATTRIBUTE = re.compile(rb'([\w:.-]+)\s*=\s*"([^"]*)"')
_PREFIX = rb"<(?:[A-Za-z_][\w.-]*:)?"


def _attributes(tag: bytes) -> dict[str, str]:
    return {
        k.decode("utf-8", "replace").split(":")[-1]: v.decode("utf-8", "replace") for k, v in _ATTRIBUTE.findall(tag)
    }


def sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> the zip member of its XML (from xl/workbook.xml and its relationships)."""
    from xml.sax.saxutils import unescape

    try:
        workbook = archive.read("xl/workbook.xml")
        relations = archive.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return {}
    targets = {}
    for tag in re.findall(_PREFIX + rb"Relationship\b[^>]*>", relations):
        attributes = _attributes(tag)
        target = attributes.get("Target", "")
        targets[attributes.get("Id")] = target.lstrip("/") if target.startswith("/") else "xl/" + target
    parts = {}
    for tag in re.findall(_PREFIX + rb"sheet\b[^>]*>", workbook):
        attributes = _attributes(tag)
        name = unescape(attributes.get("name", ""), {"&quot;": '"', "&apos;": "'"})
        if attributes.get("id") in targets:
            parts[name] = targets[attributes["id"]]
    return parts


# Searches that start with a literal (r=), so that the regex engine skips ahead: the cell references of two
# letters or more (only cells have them), with the rest of their tag to tell an empty cell (<c .../>); the row
# numbers (digits only: rows); cells past row 999,999. A sheet that spaces its attributes (r = "A1") gets the
# slower, tolerant searches.
_WIDE_CELL = re.compile(rb'r=["\']([A-Z]{2,})([0-9]+)["\']([^>]*)>')
_ROW = re.compile(rb'r=["\']([0-9]+)["\']')
_LOW_CELL = re.compile(rb'r=["\'][A-Z]+([0-9]{7,})["\']')
_SPACED = re.compile(rb"r\s+=|r=\s")
_TOLERANT = tuple(re.compile(x.pattern.replace(b"r=", rb"\br\s*=\s*")) for x in (_WIDE_CELL, _ROW, _LOW_CELL))


def column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def check_sheet_bounds(archive: zipfile.ZipFile, part: str | None, file: str, sheet: str) -> None:
    """Before calamine reads a sheet (it allocates every cell of the area its cells span, whatever the sheet's
    declared dimension says): the farthest column and row that hold something, from the sheet's XML."""
    if part is None or part not in archive.NameToInfo:
        return
    import zlib

    far_column, far_cell, far_row = 0, "", 0
    tail = b""
    try:
        with archive.open(part) as stream:
            while block := stream.read(1 << 23):
                piece = tail + block
                wide, row_tags, low = _TOLERANT if _SPACED.search(piece) else (_WIDE_CELL, _ROW, _LOW_CELL)
                for letters, row, rest in set(wide.findall(piece)):
                    if rest.endswith(b"/"):  # an empty cell (a format only): calamine reads no value there
                        continue
                    column = column_number(letters.decode("ascii"))
                    if column > far_column:
                        far_column, far_cell = column, (letters + row).decode("ascii")
                    far_row = max(far_row, int(row))
                rows = row_tags.findall(piece) + low.findall(piece)
                if rows:
                    far_row = max(far_row, max(map(int, rows)))
                tail = piece[-512:]
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as error:
        raise InputError(file, f"is not a readable Excel workbook (damaged sheet: {error})", sheet=sheet) from None
    if far_column > MAX_COLUMNS:
        raise InputError(
            file,
            f"a cell far to the right of the table (column {far_column:,}; a register has at "
            f"most {MAX_COLUMNS:,} columns, A to {column_letters(MAX_COLUMNS)}): delete it, or "
            "the columns right of the table, and save again",
            sheet=sheet,
            cell=far_cell,
        )
    area = far_row * max(far_column, 26)
    if far_row > 1_048_576 or area > MAX_SHEET_CELLS:
        raise InputError(
            file,
            f"the sheet's cells reach row {far_row:,}: an area of about {area:,} cells, more "
            f"than the {MAX_SHEET_CELLS:,} a register needs. Delete the stray rows far below "
            "the table (Ctrl+End shows the last cell) and save again",
            sheet=sheet,
            row=far_row,
        )


def fill_merged(rows: list[list], merged, header_index: int, file: str, sheet: str) -> tuple[int, int]:
    """Merged ranges below the header unmerged in ``rows`` (in place), every cell given the value of the
    range's top-left cell (Excel keeps the value there only). Returns (ranges, cells filled)."""
    ranges = cells = 0
    width = max((len(r) for r in rows), default=0)
    for (top, left), (bottom, right) in merged:
        if bottom <= header_index or top >= len(rows) or left >= width:
            continue  # title rows above the header, or outside the sheet's cells
        reference = f"{column_letters(left + 1)}{top + 1}:{column_letters(right + 1)}{bottom + 1}"
        if top <= header_index:
            raise InputError(
                file,
                f"merged cells {reference} join the header row with data rows: unmerge them and save again",
                sheet=sheet,
                row=top + 1,
            )
        bottom, right = min(bottom, len(rows) - 1), min(right, width - 1)
        cells += (bottom - top + 1) * (right - left + 1) - 1
        if cells > MAX_SHEET_CELLS:
            raise InputError(file, "merged ranges cover more cells than the sheet holds", sheet=sheet)
        value = rows[top][left] if left < len(rows[top]) else None
        for index in range(top, bottom + 1):
            row = rows[index]
            if len(row) <= right:
                row.extend([None] * (right + 1 - len(row)))
            row[left : right + 1] = [value] * (right - left + 1)
        ranges += 1
    return ranges, cells
