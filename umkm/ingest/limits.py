"""What an export may be, and how one is refused: the limits of an input (bytes, columns, rows, cells) and
``InputError``, the one refusal every reader of an input raises (exit 2, naming the file, sheet, row, column
and cell where known). ``shown`` makes text from an input safe to print on one log line."""

from __future__ import annotations

import re

MAX_EXPORT_BYTES = 2 * 1024**3  # what the nightly's fetch allows too
MAX_COLUMNS = 702  # columns A to ZZ: a register has a few dozen
MAX_ROWS = 2_000_000  # data rows (an .xlsx holds at most 1,048,576)
MAX_SHEET_CELLS = 50_000_000  # rows x columns of the area a sheet's cells span (calamine allocates all of it)
MAX_UNCOMPRESSED_XLSX = 2 * 1024**3  # a zip bomb stops here, before anything is inflated
MAX_COMPRESSION_RATIO = 200
MAX_CELL_CHARS = 32_767  # Excel's own limit for one cell: a longer one is damage, not data


class InputError(Exception):
    """A refused input: names the file, and the sheet, row, column and cell where known. The text holds no line
    break nor control character of the input (shown()), so that it is one log line that forms no command."""

    def __init__(
        self,
        file: str,
        message: str,
        *,
        row: int | None = None,
        column: str | None = None,
        sheet: str | None = None,
        cell: str | None = None,
    ):
        self.file, self.row, self.column, self.message = file, row, column, message
        self.sheet, self.cell = sheet, cell
        where = [shown(file)]
        if sheet is not None:
            where.append(f"sheet '{shown(sheet)}'")
        if cell is not None:
            where.append(f"cell {cell}")
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column '{shown(column)}'")
        super().__init__(f"{', '.join(where)}: {shown(message)}")


_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")


def shown(text: str) -> str:
    """Text from an input as it may appear in a message: control characters and line breaks escaped (\\n),
    and no "::" (a GitHub workflow command) left whole."""
    text = _UNPRINTABLE.sub(lambda m: f"\\x{ord(m.group()):02x}", str(text))
    return text.replace("::", ":\u200b:")
