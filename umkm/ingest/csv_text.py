"""CSV bytes in, text and its cells out: the encoding told from the bytes (a byte order mark, UTF-32 or UTF-16
without one, UTF-8 with stray Windows-1252 bytes; binary and compressed files and NUL bytes refused), the
delimiter, the lines with any line end, and the data rows below a header read as columns of text (pyarrow's
reader, or Python's for rows of another width than the header). exports.py finds the header row and maps
the columns.
"""

from __future__ import annotations

import codecs
import csv
import re
from contextlib import contextmanager

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from umkm.ingest.limits import MAX_ROWS, InputError

# Bytes no text file holds (tab, line feed, carriage return and form feed excepted).
CONTROL_BYTES = bytes([*range(0, 9), 11, *range(14, 32)])
MAGIC = (  # files that staff may hand in by mistake, told apart by their first bytes
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "is an Excel 97-2003 workbook (.xls): save it as .xlsx (Excel Workbook) or CSV",
    ),
    (b"\x1f\x8b", "is gzip-compressed: unpack it first"),
    (b"%PDF", "is a PDF document, not a table: export the sheet as CSV or XLSX"),
    (b"Rar!", "is a RAR archive: unpack it first"),
    (b"7z\xbc\xaf\x27\x1c", "is a 7-Zip archive: unpack it first"),
)


def decode(data: bytes, file: str) -> tuple[str, str]:
    """The text of a CSV file's bytes and the encoding it was read as; an InputError for binary data."""
    if data.startswith(codecs.BOM_UTF8):
        return _decode_utf8_with_fallback(data[3:]), "utf-8-sig"
    for bom, codec in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return _without_nul(data.decode(codec), file), codec
            except UnicodeDecodeError as error:
                raise InputError(
                    file,
                    f"declares {codec.upper()} but is not valid {codec.upper()} "
                    f"({error.reason} at byte {error.start:,})",
                ) from None
    for magic, message in MAGIC:
        if data.startswith(magic):
            raise InputError(file, message)
    head = data[:65536]
    utf32 = _utf32_without_bom(head)
    if utf32 and len(data) % 4 == 0:
        try:
            return _without_nul(data.decode(utf32), file), "utf-32"
        except UnicodeDecodeError:
            pass
    if b"\x00" in head:
        # UTF-16 without a BOM shows as every other byte NUL; anything else is binary.
        if head.count(b"\x00") * 3 > len(head) and (head[1:2] == b"\x00" or head[0:1] == b"\x00"):
            try:
                return _without_nul(data.decode("utf-16-le" if head[1:2] == b"\x00" else "utf-16-be"), file), "utf-16"
            except UnicodeDecodeError:
                pass
        controls = sum(head.count(bytes([b])) for b in CONTROL_BYTES)
        if controls <= max(3, len(head) // 1000):
            # A text file with a few NUL bytes (a damaged save): say where the first one is.
            at = data.index(b"\x00")
            raise InputError(
                file,
                "holds a NUL byte (binary data) in a text file; remove it or export the sheet again",
                row=data.count(b"\n", 0, at) + 1,
            )
        raise InputError(file, "is not a text CSV file (it holds binary data); export the sheet as CSV or XLSX")
    if b"\x00" in data:  # past the first 64 KiB: the same refusal, wherever it is
        _without_nul(data.decode("utf-8", errors="replace"), file)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return _decode_utf8_with_fallback(data), "utf-8+windows-1252"


def _utf32_without_bom(head: bytes) -> str | None:
    """ "utf-32-le" or "utf-32-be" for text that is UTF-32 without a byte order mark (mostly ASCII: three NUL
    bytes in every four), else None."""
    if len(head) < 8:
        return None
    quads = len(head) // 4 * 4
    for codec, zeros in (("utf-32-le", (1, 2, 3)), ("utf-32-be", (0, 1, 2))):
        if all(head[i:quads:4].count(0) * 10 >= quads // 4 * 9 for i in zeros) and head[0:4] != b"\x00" * 4:
            return codec
    return None


def _without_nul(text: str, file: str) -> str:
    """The text, refused if it holds a NUL character anywhere (damage or binary data), naming the row."""
    at = text.find("\x00")
    if at >= 0:
        row = len(_NEWLINE.findall(text, 0, at)) + 1
        raise InputError(
            file, "holds a NUL byte (binary data) in a text file; remove it or export the sheet again", row=row
        )
    return text


def _cp1252_fallback(error: UnicodeError) -> tuple[str, int]:
    # A file saved partly by Excel on Windows: keep UTF-8 where it is UTF-8 and read the
    # stray bytes as Windows-1252 (undefined bytes of that code page become U+FFFD).
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return error.object[error.start : error.end].decode("cp1252", errors="replace"), error.end


codecs.register_error("umkm_cp1252_fallback", _cp1252_fallback)


def _decode_utf8_with_fallback(data: bytes) -> str:
    return data.decode("utf-8", errors="umkm_cp1252_fallback")


def sniff_delimiter(text: str) -> str:
    """The commonest of comma, semicolon, tab and pipe near the start (a comma on a tie)."""
    sample = text[:20000]
    counts = {d: sample.count(d) for d in (",", ";", "\t", "|")}
    return max(counts, key=lambda d: (counts[d], d == ","))


_NEWLINE = re.compile(r"\r\n|\r|\n")


class Lines:
    """The lines of a text, each with its line end (\\r\\n, \\n, or \\r as old Mac Excel writes),
    counting how far they have been handed out: the data starts where the header record ends."""

    def __init__(self, text: str, start: int = 0):
        self.text, self.position = text, start

    def __iter__(self) -> Lines:
        return self

    def __next__(self) -> str:
        if self.position >= len(self.text):
            raise StopIteration
        found = _NEWLINE.search(self.text, self.position)
        end = found.end() if found else len(self.text)
        line, self.position = self.text[self.position : end], end
        return line


@contextmanager
def field_limit(limit: int):
    """Python's csv module reading cells of up to ``limit`` characters, for the time of a with block."""
    previous = csv.field_size_limit(limit)
    try:
        yield
    finally:
        csv.field_size_limit(previous)


def read_body(
    text: str,
    start: int,
    delimiter: str,
    header: list[str],
    file: str,
    header_row: int,
    encoding: str,
    data: bytes | None,
) -> pd.DataFrame:
    """The rows of ``text`` from ``start`` (where the header record ends) as columns of text named c0, c1, ...
    (one per header cell); ``data``: the file's bytes, read as they are when the text is their UTF-8."""
    if encoding == "utf-8" and data is not None:
        body = memoryview(data)[len(text[:start].encode("utf-8")) :]  # the bytes as they are, not copied
    else:
        body = memoryview(text[start:].encode("utf-8"))
    names = [f"c{i}" for i in range(len(header))]
    whole: bytes = body.obj  # type: ignore[assignment]  # body is the end of it: counted without a copy
    offset = len(whole) - len(body)
    lines_after = max(whole.count(b"\n", offset), whole.count(b"\r", offset))
    if lines_after > MAX_ROWS + 1:
        raise InputError(
            file,
            f"has {lines_after:,} lines after the header, more than the {MAX_ROWS:,} rows a "
            "register may have: split the export",
        )
    try:
        table = (
            pacsv.read_csv(
                pa.BufferReader(pa.py_buffer(body)),
                read_options=pacsv.ReadOptions(
                    column_names=names, block_size=max(1 << 24, min(len(body) + 1, 1 << 30))
                ),
                # Empty lines stay rows, so that source_row is the row a person sees in the file.
                parse_options=pacsv.ParseOptions(
                    delimiter=delimiter, newlines_in_values=True, ignore_empty_lines=False
                ),
                convert_options=pacsv.ConvertOptions(
                    column_types={n: pa.string() for n in names},
                    strings_can_be_null=False,
                    quoted_strings_can_be_null=False,
                ),
            )
            if body
            else None
        )
    except pa.ArrowInvalid:
        # Rows of another width: short rows (Excel drops trailing empty cells) are padded and
        # trailing empty cells dropped; a row with more filled cells than the header is refused.
        table = _read_ragged(text, start, delimiter, header, file, header_row)
    del body
    if table is None:
        frame = pd.DataFrame({n: pd.Series([], dtype=pd.StringDtype("pyarrow")) for n in names})
    else:
        frame = table.to_pandas(types_mapper=lambda t: pd.StringDtype("pyarrow") if t == pa.string() else None)
    return frame


def _read_ragged(text: str, start: int, delimiter: str, header: list[str], file: str, header_row: int) -> pa.Table:
    """The slow path for rows of another width than the header, in chunks to bound memory."""
    width = len(header)
    chunks: list[pa.Table] = []
    columns: list[list[str]] = [[] for _ in range(width)]
    record = header_row
    reader = csv.reader(Lines(text, start), delimiter=delimiter)
    with field_limit(1 << 30):
        try:
            for record, row in enumerate(reader, start=header_row + 1):
                if len(row) != width and any("\n" in cell or "\r" in cell for cell in row):
                    raise InputError(
                        file,
                        f"is not a consistent CSV table: a row of {len(row)} cells where the "
                        f"header has {width}, with a line break inside a cell (a quote that is "
                        "never closed?)",
                        row=record,
                    )
                if len(row) > width:
                    extra = [index for index, cell in enumerate(row[width:], start=width + 1) if cell.strip()]
                    if extra:  # (never the value: it may be an e-mail or a name, and this goes to a log)
                        raise InputError(
                            file,
                            f"is not a consistent CSV table: a row of {len(row)} cells where "
                            f"the header has {width}; cell {extra[0]} of the row is not empty",
                            row=record,
                        )
                for index in range(width):
                    columns[index].append(row[index] if index < len(row) else "")
                if len(columns[0]) >= 100_000:
                    chunks.append(pa.table({f"c{i}": pa.array(c, pa.string()) for i, c in enumerate(columns)}))
                    columns = [[] for _ in range(width)]
        except csv.Error as error:
            raise InputError(file, f"is not readable as CSV ({error})", row=record + 1) from None
    chunks.append(pa.table({f"c{i}": pa.array(c, pa.string()) for i, c in enumerate(columns)}))
    return pa.concat_tables(chunks)
