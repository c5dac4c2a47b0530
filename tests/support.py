"""Helpers shared by the test modules."""

import hashlib
import io
from pathlib import Path

LOCK = ".lock"  # OUT/.lock, the builds' lock file: made by the first build, never changed in content that matters


def tree_hashes(folder: Path) -> dict[str, str]:
    """sha256 of every file under folder, by relative path (OUT's lock file aside): equal dicts mean
    byte-identical trees."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and str(p.relative_to(folder)) != LOCK}


def xlsxwriter_reference(sheets, properties: dict, stamp, cell=lambda value: value) -> bytes:
    """A workbook the plain way: XlsxWriter's write_row for every row (each value through ``cell``), then
    normalise_xlsx: what the column-wise writer (umkm.xlsx.workbook_bytes) must equal byte for byte."""
    import xlsxwriter

    from umkm.xlsx import normalise_xlsx

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False,
                                            "strings_to_formulas": False, "strings_to_urls": False})
    workbook.set_properties(properties)
    for name, frame in sheets:
        sheet = workbook.add_worksheet(name)
        sheet.write_row(0, 0, list(frame.columns))
        columns = [frame[c].astype(object).where(frame[c].notna(), None).tolist() for c in frame.columns]
        for index, row in enumerate(zip(*columns), start=1):
            sheet.write_row(index, 0, [cell(value) for value in row])
    workbook.close()
    return normalise_xlsx(buffer.getvalue(), stamp)
