"""Workbook bytes in, the same workbook with fixed timestamps out: same content, same bytes.

openpyxl stamps the document properties and every zip member with the wall clock;
both the generator and the package stage write workbooks that must be reproducible.

``workbook_bytes`` writes tables of text and numbers as the workbook XlsxWriter writes,
byte for byte, but column-wise: XlsxWriter writes the parts that do not depend on the
cells (styles, theme, properties, the sheet XML around the cells), and the cells and the
shared-string table are built here with Arrow compute, in chunks of rows. XlsxWriter
handles one cell at a time in Python, too slow and too large in memory for the workbook
of the microdata; column-wise, the cost is per column and chunk rather than per cell.

Also the text every published table is written as (``for_text_output``: booleans as true/false, one line
end, the formula guard ``safe_text``) and its CSV bytes (``csv_bytes``): the packages write them, and
disclose reads the microdata back as they will be published (sdc_microdata_releases.as_published).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

_CORE_DATES = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:(?:created|modified)>)")
EXCEL_MAX_ROWS = 1_048_576
EXCEL_MAX_STRING = 32_767  # UTF-16 code units; XlsxWriter truncates longer strings
ROW_CHUNK = 16_384  # rows of cells built at once (about 10 MB of XML): bounds the memory of a large sheet
SPAN_ROWS = 16  # XlsxWriter writes one "spans" attribute per block of 16 rows
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")  # a cell starting so is run as a formula


def safe_text(value):
    """The one formula-injection guard (OWASP's rule), for the packages, the workbooks and the site's CSVs: a
    text that starts with = + - @ a tab or a carriage return gets a leading apostrophe, so a spreadsheet shows
    it as text and never runs it ("-2+3+cmd|' /C calc'!A0" starts with a minus and a digit). Anything that is
    not a str (a number, a missing value) is returned as it is: numbers are written as numbers, not guarded."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def safe_texts(text: pa.Array) -> pa.Array:
    """``safe_text`` of each value of an Arrow large_string array."""
    formula = pc.starts_with(text, FORMULA_PREFIXES[0])
    for prefix in FORMULA_PREFIXES[1:]:
        formula = pc.or_(formula, pc.starts_with(text, prefix))
    if not pc.any(formula).as_py():
        return text
    return pc.if_else(formula, pc.binary_join_element_wise(_text("'"), text, _text("")), text)


# ------------------------------------------------------------------ text output and CSV (the packages' writer)

CSV_CHUNK = 65_536  # rows of a CSV made at once


def for_text_output(frame: pd.DataFrame) -> pd.DataFrame:
    """Booleans as "true"/"false", text with "\n" line ends and never starting as a formula; numbers kept.
    Text columns come out as Arrow-backed strings (pandas' "string" dtype), made with Arrow compute."""
    out = {}
    for column in frame.columns:
        values = frame[column]
        if pd.api.types.is_bool_dtype(values.dtype):
            flags = as_arrow(values.astype("boolean"))
            out[column] = _string_series(pc.if_else(flags, _text("true"), _text("false")), values)
        elif pd.api.types.is_string_dtype(values.dtype) or values.dtype == object:
            text = as_arrow(
                values if isinstance(values.dtype, pd.StringDtype) else values.astype("string"), pa.large_string()
            )
            if _holds(text, b"\r"):  # one line end everywhere: a bare "\r" would end a CSV row for many readers
                text = pc.replace_substring(pc.replace_substring(text, "\r\n", "\n"), "\r", "\n")
            out[column] = _string_series(safe_texts(text), values)
        else:
            out[column] = values
    return pd.DataFrame(out, index=frame.index, columns=frame.columns)


def as_arrow(values: pd.Series, kind: pa.DataType | None = None) -> pa.Array:
    array = pa.array(values, type=kind, from_pandas=True)
    return array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array


def _string_series(strings: pa.Array, like: pd.Series) -> pd.Series:
    return pd.Series(pd.arrays.ArrowStringArray(strings.cast(pa.large_string())), index=like.index, name=like.name)


def _holds(strings: pa.Array, *needles: bytes) -> bool:
    """Whether a value of the string array holds one of the byte strings: a search of all its bytes at once."""
    data = concatenated(strings)
    return any(needle in data for needle in needles)


def csv_bytes(frame: pd.DataFrame) -> bytes:
    return csv_of_text(for_text_output(frame))


def plain_csv_bytes(frame: pd.DataFrame) -> bytes:
    """``frame.to_csv(index=False, lineterminator="\n")``'s bytes, values as they are (no text conversion:
    the private files); text and integer columns via Arrow."""
    integers = [c for c in frame.columns if pd.api.types.is_integer_dtype(frame[c].dtype) and not frame[c].hasnans]
    return csv_of_text(frame.assign(**{c: frame[c].astype(str) for c in integers}) if integers else frame)


def csv_of_text(text: pd.DataFrame) -> bytes:
    """pandas' ``to_csv`` bytes (minimal quoting, "\n", missing as empty); all-text tables via Arrow."""
    if not len(text.columns) or not all(pd.api.types.is_string_dtype(text[c].dtype) for c in text.columns):
        return text.to_csv(index=False, lineterminator="\n", na_rep="").encode("utf-8")
    lone = len(text.columns) == 1  # the csv module quotes an empty field that is a whole row
    columns = [as_arrow(text[c], pa.large_string()) for c in text.columns]
    plain = [not lone and not _holds(column, b",", b'"', b"\n") for column in columns]  # never quoted
    header = ",".join(_csv_field(pa.array([str(c)], type=pa.large_string()), lone)[0].as_py() for c in text.columns)
    out = [(header + "\n").encode("utf-8")]
    for start in range(0, len(text), CSV_CHUNK):  # a chunk of rows at a time: bounds the memory
        cells = [
            column[start : start + CSV_CHUNK].fill_null("")
            if never
            else _csv_field(column[start : start + CSV_CHUNK].fill_null(""), lone)
            for column, never in zip(columns, plain, strict=True)
        ]
        out.append(
            concatenated(
                pc.binary_join_element_wise(pc.binary_join_element_wise(*cells, _text(",")), _text("\n"), _text(""))
            )
        )
    return b"".join(out)


def _csv_field(values: pa.Array, lone: bool) -> pa.Array:
    """Quote the fields holding a delimiter, a quote or a line end, doubling their quotes."""
    special = pc.match_substring_regex(values, '[,"\n]')
    if lone:
        special = pc.or_(special, pc.equal(values, ""))
    if not pc.any(special).as_py():
        return values
    quoted = pc.binary_join_element_wise(_text('"'), pc.replace_substring(values, '"', '""'), _text('"'), _text(""))
    return pc.if_else(special, quoted, values)


def _member(name: str, stamp: datetime) -> zipfile.ZipInfo:
    member = zipfile.ZipInfo(name, date_time=stamp.timetuple()[:6])
    member.compress_type = zipfile.ZIP_DEFLATED
    member.external_attr = 0o644 << 16
    return member


def _fixed_core(content: bytes, stamp: datetime) -> bytes:
    iso = stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    return _CORE_DATES.sub(lambda m: m.group(1) + iso + m.group(3), content)


def normalise_xlsx(data: bytes, stamp: datetime, compresslevel: int = 6) -> bytes:
    """Rewrite an xlsx with fixed member timestamps and document dates."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _fixed_core(content, stamp)
            target.writestr(_member(info.filename, stamp), content, compresslevel=compresslevel)
    return out.getvalue()


# ---------------------------------------------------------------------------
# Column-wise workbook writer
# ---------------------------------------------------------------------------

# A superset of the strings _si changes, in RE2 for Arrow: any that starts or ends with other than a letter or
# digit, or holds a control character, &, <, >, _ or a non-character.
_MAYBE_SPECIAL = r"^[^0-9A-Za-z]|[^0-9A-Za-z]$|[\x00-\x1f&<>_\x{fffe}\x{ffff}]"
_SPECIAL = re.compile(r"[\x00-\x1f&<>_\ufffe\uffff]|^\s|\s$")
_ESCAPED_ESCAPE = re.compile("(_x[0-9a-fA-F]{4}_)")
_CONTROL = re.compile(r"([\x00-\x08\x0b-\x1f])")


def _column_name(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        name = chr(65 + remainder) + name
    return name


def _truncated(text: str) -> str:
    """XlsxWriter's cut of a string longer than Excel's limit (UTF-16 units, whole characters)."""
    length = 0
    for index, char in enumerate(text):
        length += 2 if ord(char) > 0xFFFF else 1
        if length > EXCEL_MAX_STRING:
            return text[:index]
    return text


def _si(text: str) -> str:
    """One shared string as XlsxWriter writes it: control characters as _xHHHH_, &<> escaped."""
    if not _SPECIAL.search(text):
        return f"<si><t>{text}</t></si>"
    text = _ESCAPED_ESCAPE.sub(r"_x005F\1", text)
    text = _CONTROL.sub(lambda m: f"_x{ord(m.group(1)):04X}_", text)
    text = text.replace("\ufffe", "_xFFFE_").replace("\uffff", "_xFFFF_")
    preserve = ' xml:space="preserve"' if text and (text[0].isspace() or text[-1].isspace()) else ""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f"<si><t{preserve}>{text}</t></si>"


class _Column:
    """One column of a sheet: its header, and its cells: numbers, booleans (1 or 0), or strings as their index
    in the shared strings (the text of <v>); a missing or empty value is no cell. ``style``: the index of the
    column's format (XlsxWriter gives a cell its column's format), None for none."""

    def __init__(self, sheet: int, index: int, header: str, values: pd.Series):
        self.sheet, self.index, self.header = sheet, index, header
        self.letter = _column_name(index)
        self.style: int | None = None
        self.header_style: int | None = None
        self.numbers: pa.Array | None = None
        self.boolean = pd.api.types.is_bool_dtype(values.dtype)
        self.numeric = pd.api.types.is_numeric_dtype(values.dtype) and not self.boolean
        if self.boolean:
            flags = pa.array(values, type=pa.bool_(), from_pandas=True)
            if isinstance(flags, pa.ChunkedArray):
                flags = flags.combine_chunks()
            self.numbers = pc.if_else(flags, pa.scalar("1"), pa.scalar("0"))
            self.codes = self.uniques = None
            self.numeric = True  # written like a number, with t="b"
        elif self.numeric:
            present = values.notna().to_numpy()
            text = np.full(len(values), None, dtype=object)
            numbers = values[present].astype(object)
            if any(isinstance(v, float) and not np.isfinite(v) for v in numbers):
                raise TypeError(f"column {header!r}: an infinite number has no cell in a workbook")
            text[present] = [format(v, ".16G") for v in numbers]
            self.numbers = pa.array(text, type=pa.string())
            self.codes = self.uniques = None
        else:
            strings = pa.array(values, type=pa.large_string(), from_pandas=True)
            if isinstance(strings, pa.ChunkedArray):  # what some pandas string arrays give
                strings = strings.combine_chunks()
            strings = pc.if_else(pc.equal(strings, ""), pa.scalar(None, pa.large_string()), strings)  # "" is no cell
            if (pc.max(pc.utf8_length(strings)).as_py() or 0) > EXCEL_MAX_STRING // 2:
                strings = pa.array(
                    [None if s is None else _truncated(s) for s in strings.to_pylist()], type=pa.large_string()
                )
            encoded = pc.dictionary_encode(strings)  # codes in order of first appearance, like the SST
            self.codes = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int32, copy=False)
            self.uniques = encoded.dictionary
            self.numbers = None
        self.present = (
            (self.codes >= 0) if self.codes is not None else self.numbers.is_valid().to_numpy(zero_copy_only=False)
        )
        self.shared: np.ndarray | None = None  # index of each cell's string in the shared strings, -1 for none

    def first_rows(self) -> np.ndarray:
        """The data row where each unique string first appears (codes are numbered in that order)."""
        codes = self.codes
        if not len(codes):
            return np.empty(0, dtype=np.int64)
        running = np.maximum.accumulate(codes)
        new = np.empty(len(codes), dtype=np.bool_)
        new[0] = codes[0] >= 0
        new[1:] = codes[1:] > running[:-1]
        return np.flatnonzero(new)


def _shared_strings(columns: list[_Column]) -> tuple[pa.Array, int]:
    """Give every string cell its index in the shared-string table, numbered as XlsxWriter numbers them
    (first appearance, sheet by sheet, row by row, left to right); return the table and the count of cells."""
    strings, keys = [], []  # each column: its header (row 0), then its unique strings at their first rows
    for column in columns:
        strings.append(pa.array([column.header], type=pa.large_string()))
        rows = np.zeros(1, dtype=np.int64)
        if column.uniques is not None:
            strings.append(column.uniques)
            rows = np.concatenate([rows, column.first_rows() + 1])
        keys.append(np.stack([np.full(len(rows), column.sheet), rows, np.full(len(rows), column.index)]))
    sheet, row, col = np.concatenate(keys, axis=1)
    order = np.lexsort((col, row, sheet))
    encoded = pc.dictionary_encode(pa.concat_arrays(strings).take(pa.array(order)))
    index = np.empty(len(order), dtype=np.int64)
    index[order] = encoded.indices.to_numpy()
    count, start = 0, 0
    for column, key in zip(columns, keys, strict=True):
        block = index[start : start + key.shape[1]]
        start += key.shape[1]
        column.header_index = int(block[0])
        count += 1
        if column.uniques is not None:
            present = column.codes >= 0
            cells = np.full(len(column.codes), -1, dtype=np.int32)
            cells[present] = block[1:][column.codes[present]]
            column.shared = cells
            count += int(present.sum())
            column.codes = column.uniques = None
    return encoded.dictionary, count


def _spans(columns: list[_Column], rows: int) -> pa.Array:
    """The "spans" attribute of each block of 16 rows: first and last column holding a cell (1-based)."""
    blocks = (rows + SPAN_ROWS - 1) // SPAN_ROWS
    used = np.zeros((blocks * SPAN_ROWS, len(columns)), dtype=bool)
    for position, column in enumerate(columns):
        used[0, position] = True  # the header
        used[1:rows, position] = column.present
    any_cell = used.reshape(blocks, SPAN_ROWS, len(columns)).any(axis=1)
    first = any_cell.argmax(axis=1)
    last = len(columns) - 1 - any_cell[:, ::-1].argmax(axis=1)
    pairs, which = np.unique(first * len(columns) + last, return_inverse=True)
    names = pa.array([f"{p // len(columns) + 1}:{p % len(columns) + 1}" for p in pairs.tolist()])
    return names.take(pa.array(which.ravel(), mask=~any_cell.any(axis=1)))


def _sheet_rows(columns: list[_Column], rows: int, shared_count: int):
    """The <row> elements of one sheet as UTF-8 bytes, a chunk of rows at a time.

    Every piece of the XML is made once: each row's opening tag, each cell's '<c r="B' and row number,
    each shared-string index's '" t="s"><v>7</v></c>' (and each number's '"><v>..</v></c>'). A chunk
    is then one Arrow ``take`` of those pieces in document order, the pieces of a missing cell and of
    a row without cells being the empty string."""
    spans = _spans(columns, rows)
    header = "".join(f'<c r="{c.letter}1"{_style(c.header_style)} t="s"><v>{c.header_index}</v></c>' for c in columns)
    yield f'<row r="1" spans="{spans[0].as_py()}">{header}</row>'.encode()
    if rows < 2:
        return
    numbers = pc.cast(pa.array(np.arange(2, rows + 1)), pa.large_string())
    span_of_row = spans.take(pa.array(np.arange(1, rows) // SPAN_ROWS)).cast(pa.large_string())
    styles = sorted({c.style for c in columns if c.style is not None})
    pieces = [
        pa.array(
            ["", "</row>"] + [f'<c r="{c.letter}' for c in columns] + [f'" s="{style}' for style in styles],
            pa.large_string(),
        ),
        numbers,
        pc.binary_join_element_wise(
            _text('<row r="'), numbers, _text('" spans="'), span_of_row, _text('">'), _text("")
        ),
        pc.binary_join_element_wise(
            _text('" t="s"><v>'),
            pc.cast(pa.array(np.arange(shared_count)), pa.large_string()),
            _text("</v></c>"),
            _text(""),
        ),
    ]
    empty, end, letters = 0, 1, 2
    style_at = {style: letters + len(columns) + i for i, style in enumerate(styles)}
    number_at = letters + len(columns) + len(styles)
    opening_at = number_at + rows - 1
    value_at = [opening_at + rows - 1] * len(columns)  # where a column's cells find their '...</v></c>' pieces
    shared_at = value_at[0]
    offset = shared_at + shared_count
    for position, column in enumerate(columns):
        if column.numeric:
            kind = '" t="b"><v>' if column.boolean else '"><v>'
            pieces.append(
                pc.binary_join_element_wise(
                    _text(kind), column.numbers.cast(pa.large_string()), _text("</v></c>"), _text("")
                )
            )
            value_at[position] = offset
            offset += rows - 1
    table = pa.concat_arrays(pieces)
    width = 2 + 4 * len(columns)  # a row's opening, then each cell's letter, row number, style and value, the end
    for start in range(0, rows - 1, ROW_CHUNK):
        stop = min(start + ROW_CHUNK, rows - 1)
        row = np.arange(start, stop)
        present = np.stack([c.present[start:stop] for c in columns], axis=1)
        index = np.empty((stop - start, width), dtype=np.int64)
        index[:, 0] = opening_at + row
        index[:, 1:-1:4] = np.where(present, np.arange(letters, letters + len(columns)), empty)
        index[:, 2:-1:4] = np.where(present, (number_at + row)[:, None], empty)
        index[:, 3:-1:4] = np.where(present, np.array([style_at.get(c.style, empty) for c in columns]), empty)
        for position, column in enumerate(columns):
            values = row if column.numeric else column.shared[start:stop]
            index[:, 4 + 4 * position] = np.where(present[:, position], value_at[position] + values, empty)
        index[:, -1] = end
        index[~present.any(axis=1)] = empty  # a row without cells is no <row> element
        yield concatenated(table.take(pa.array(index.ravel())))


def _text(value: str) -> pa.Scalar:
    """A large_string scalar to join with large_string arrays (here and in package's CSV writer)."""
    return pa.scalar(value, pa.large_string())


def concatenated(strings: pa.Array) -> bytes:
    """The UTF-8 bytes of an Arrow string array's values, one after the other (nulls add nothing)."""
    if not len(strings):
        return b""
    offset_type = np.int64 if pa.types.is_large_string(strings.type) else np.int32
    offsets = np.frombuffer(strings.buffers()[1], dtype=offset_type)[strings.offset : strings.offset + len(strings) + 1]
    return strings.buffers()[2][int(offsets[0]) : int(offsets[-1])].to_pybytes()


def _dimension(columns: list[_Column], rows: int) -> str:
    """The used range: the header row and the last row holding a cell."""
    where = np.flatnonzero(np.logical_or.reduce([c.present for c in columns]))
    first = "A1"
    last = f"{columns[-1].letter}{int(where[-1]) + 2 if len(where) else 1}"
    return first if first == last else f"{first}:{last}"


@dataclass(frozen=True)
class Layout:
    """How a sheet is laid out for a person reading it: the header row's format, the header frozen in
    place, a filter on every column, column widths (characters) and column formats (XlsxWriter format
    properties, e.g. {"num_format": "#,##0"}; a cell takes its column's format, as in XlsxWriter)."""

    header: dict | None = None
    freeze_header: bool = False
    autofilter: bool = False
    widths: dict[str, float] = field(default_factory=dict)
    formats: dict[str, dict] = field(default_factory=dict)


def apply_layout(workbook, worksheet, layout: Layout | None, headers: list[str], rows: int):
    """Set ``layout`` on an XlsxWriter worksheet of ``headers`` and ``rows`` data rows (before any cell is
    written); returns the header row's format (None for none). Used by ``workbook_bytes`` on its skeleton,
    and by whoever writes the same sheet cell by cell with XlsxWriter."""
    if layout is None:
        return None
    formats = {name: workbook.add_format(dict(properties)) for name, properties in layout.formats.items()}
    for index, header in enumerate(headers):
        width, cell_format = layout.widths.get(header), formats.get(header)
        if width is not None or cell_format is not None:
            worksheet.set_column(index, index, width, cell_format)
    if layout.freeze_header:
        worksheet.freeze_panes(1, 0)
    if layout.autofilter:
        worksheet.autofilter(0, 0, rows, len(headers) - 1)
    return workbook.add_format(dict(layout.header)) if layout.header else None


def fitting_widths(
    frame: pd.DataFrame, formats: dict[str, dict] | None = None, *, least: float = 6, most: float = 60
) -> dict[str, float]:
    """A width (characters) for each column that shows its header and its longest value, within
    [least, most]; a number with the format "#,##0" is measured with its thousands separators."""
    formats = formats or {}
    widths = {}
    for column in frame.columns:
        values = frame[column]
        if pd.api.types.is_bool_dtype(values.dtype):
            longest = 5  # FALSE
        elif pd.api.types.is_numeric_dtype(values.dtype):
            present = values.dropna()
            grouped = formats.get(column, {}).get("num_format") == "#,##0"
            longest = (
                max(
                    (len(f"{v:,.0f}" if grouped else format(v, ".16G")) for v in (present.min(), present.max())),
                    default=0,
                )
                if len(present)
                else 0
            )
        else:
            strings = pa.array(values, type=pa.large_string(), from_pandas=True)
            longest = (pc.max(pc.utf8_length(strings)).as_py() or 0) if len(strings) else 0
        widths[str(column)] = float(min(most, max(least, len(str(column)) + 2, longest + 2)))
    return widths


def _style(index: int | None) -> str:
    return f' s="{index}"' if index is not None else ""


def workbook_bytes(
    sheets: list[tuple[str, pd.DataFrame]],
    properties: dict,
    stamp: datetime,
    compresslevel: int = 6,
    layouts: dict[str, Layout] | None = None,
) -> bytes:
    """Sheets of text, number and boolean columns (header row, then one row per frame row) as one workbook.

    The bytes are those of XlsxWriter's ``write_row`` for every row followed by
    ``normalise_xlsx``: text stays text (no number, formula or link guessing), an empty
    or missing value is no cell, numbers are written with 16 significant digits, booleans as
    TRUE or FALSE. ``layouts``: sheet name -> ``Layout`` (set with ``apply_layout``).
    """
    import xlsxwriter

    layouts = layouts or {}
    skeleton = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        skeleton,
        {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False},
    )
    workbook.set_properties(properties)
    columns_of, styled = [], []
    for number, (name, frame) in enumerate(sheets):
        if len(frame) + 1 > EXCEL_MAX_ROWS:
            raise ValueError(
                f"sheet {name!r}: {len(frame):,} rows do not fit in a workbook ({EXCEL_MAX_ROWS - 1:,} at most)"
            )
        headers = [str(c) for c in frame.columns]
        if not headers or not all(headers):
            raise ValueError(f"sheet {name!r}: every column needs a name (its header cell)")
        worksheet = workbook.add_worksheet(name)
        header_format = apply_layout(workbook, worksheet, layouts.get(name), headers, len(frame))
        worksheet.write_row(0, 0, headers, header_format)  # so the skeleton has a shared-string part
        columns = [_Column(number, index, header, frame.iloc[:, index]) for index, header in enumerate(headers)]
        columns_of.append(columns)
        styled.append((worksheet, header_format, columns))
    workbook.close()
    for worksheet, header_format, columns in styled:  # the format indices XlsxWriter gave while closing
        for column in columns:
            info = worksheet.col_info.get(column.index)
            cell_format = getattr(info, "column_format", None) if info is not None else None
            column.style = cell_format._get_xf_index() if cell_format is not None else None
            column.header_style = header_format._get_xf_index() if header_format is not None else None
    table, count = _shared_strings([c for columns in columns_of for c in columns])

    source = zipfile.ZipFile(io.BytesIO(skeleton.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            member = _member(info.filename, stamp)
            sheet = re.fullmatch(r"xl/worksheets/sheet(\d+)\.xml", info.filename)
            if info.filename == "xl/sharedStrings.xml":
                head = content[: content.index(b"<sst ")]
                start = (
                    f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{count}" '
                    f'uniqueCount="{len(table)}">'
                )
                _write_stream(target, member, compresslevel, [head, start.encode(), *_si_chunks(table), b"</sst>"])
            elif sheet:
                columns = columns_of[int(sheet.group(1)) - 1]
                rows = len(sheets[int(sheet.group(1)) - 1][1]) + 1
                before, rest = content.split(b"<sheetData>", 1)
                after = rest.split(b"</sheetData>", 1)[1]
                before = re.sub(
                    rb'<dimension ref="[^"]*"/>', f'<dimension ref="{_dimension(columns, rows)}"/>'.encode(), before
                )
                _write_stream(
                    target,
                    member,
                    compresslevel,
                    [before, b"<sheetData>", *_sheet_rows(columns, rows, len(table)), b"</sheetData>", after],
                )
            else:
                if info.filename == "docProps/core.xml":
                    content = _fixed_core(content, stamp)
                target.writestr(member, content, compresslevel=compresslevel)
    return out.getvalue()


def _si_chunks(table: pa.Array):
    """The <si> elements, a chunk at a time: the plain strings by Arrow, the few others as XlsxWriter does."""
    for start in range(0, len(table), ROW_CHUNK):
        chunk = table[start : start + ROW_CHUNK]
        elements = pc.binary_join_element_wise("<si><t>", chunk.cast(pa.string()), "</t></si>", "")
        special = pc.match_substring_regex(chunk, _MAYBE_SPECIAL).to_numpy(zero_copy_only=False)
        if special.any():
            rewritten = pa.array([_si(chunk[int(i)].as_py()) for i in np.flatnonzero(special)])
            elements = pc.replace_with_mask(elements, pa.array(special), rewritten)
        yield concatenated(elements)


def _write_stream(target: zipfile.ZipFile, member: zipfile.ZipInfo, compresslevel: int, chunks) -> None:
    """One zip member written from chunks: the same bytes as ``writestr`` of their concatenation."""
    member._compresslevel = compresslevel  # type: ignore[attr-defined]  # what writestr sets
    with target.open(member, "w") as stream:
        for chunk in _made_ahead(chunks):
            stream.write(chunk)


def _made_ahead(chunks, depth: int = 2):
    """The chunks, the next ones made in a thread while the caller deflates these: zlib and Arrow release
    the GIL, so a large sheet takes both cores."""
    import queue
    import threading

    made: queue.Queue = queue.Queue(depth)
    stop = threading.Event()
    end = object()
    failed: list[BaseException] = []

    def make():
        try:
            for chunk in chunks:
                while not stop.is_set():
                    try:
                        made.put(chunk, timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
        except BaseException as error:  # raised again in the caller
            failed.append(error)
        finally:
            made.put(end)

    worker = threading.Thread(target=make, name="xlsx-chunks", daemon=True)
    worker.start()
    try:
        while (chunk := made.get()) is not end:
            yield chunk
    finally:
        stop.set()
        while worker.is_alive():  # let it finish (it may wait for room to say it ended)
            try:
                made.get(timeout=0.1)
            except queue.Empty:
                pass
        worker.join()
    if failed:
        raise failed[0]
