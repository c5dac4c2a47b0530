"""Messy spreadsheet cells in, clean typed values out: vectorised normalisers for ODS and OSS columns.

Every public function takes pandas Series of text ("" or NA for blank) and returns a
Series or DataFrame on the same index. They are pure (no file I/O) and built for
1,000,000 rows: the work runs as Arrow compute kernels (RE2 regular expressions),
either on every row (identifiers, where nearly every value is distinct) or on the
distinct values only, mapped back to the rows (everything else). Python per value
runs only over distinct values of low-cardinality columns (regions, KBLI, flags).

Rule everywhere: never invent a digit. A value that cannot be read without guessing
becomes NA (and, where a status column exists, says why).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from umkm import reference

# The year against which two-digit NIK birth years are read (YY above its last two
# digits means 19YY). A parameter, not the wall clock, so that builds are repeatable.
REFERENCE_YEAR = 2026

NIK_STATUSES = ("valid", "excel_destroyed", "invalid", "missing")
PHONE_STATUSES = ("mobile", "landline", "invalid", "missing")
REGION_STATUSES = ("ok", "repaired", "kecamatan_inferred", "conflict", "outside", "unknown")
KBLI_STATUSES = ("valid", "from_text", "invalid", "missing")

_LS = pa.large_string()

# Placeholders the office types into an empty cell (compared after upper-casing).
_NULL_TOKENS = (
    "",
    "-",
    "--",
    "---",
    "_",
    "—",
    "–",
    ".",
    "..",
    "...",
    "?",
    "/",
    "N/A",
    "NA",
    "#N/A",
    "NULL",
    "NAN",
    "NONE",
    "NIL",
    "KOSONG",
    "TIDAK ADA",
    "TDK ADA",
    "BELUM ADA",
    "X",
    "XX",
    "XXX",
)

# Whitespace other than the plain space, Unicode included (RE2 syntax: these patterns
# run in Arrow, where \s would miss most of them).
_OTHER_WS = r"[\t\n\v\f\r\x{00A0}\x{1680}\x{2000}-\x{200B}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}\x{FEFF}]"
_WS = r"(?:" + _OTHER_WS + "| )+"
_QUOTES = "'`\"\u2018\u2019\u201c\u201d"


# ---------------------------------------------------------------------------
# Arrow plumbing
# ---------------------------------------------------------------------------


def _text(s: pd.Series) -> pa.Array:
    """A Series as an Arrow large_string array with "" for NA."""
    if not (isinstance(s.dtype, pd.StringDtype) and s.dtype.storage == "pyarrow"):
        s = s.astype("str")
    arr = pa.array(s)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    if arr.type != _LS:
        arr = arr.cast(_LS)
    return pc.fill_null(arr, "")


def _squash(a: pa.Array) -> pa.Array:
    """Every run of whitespace to one space, trimmed."""
    return pc.utf8_trim(_sub_some(a, _WS, " ", when=_OTHER_WS + "|  "), " ")


def _np(b: pa.Array) -> np.ndarray:
    return b.to_numpy(zero_copy_only=False)


def _match(a: pa.Array, pattern: str) -> np.ndarray:
    return _np(pc.match_substring_regex(a, pattern))


def _sub(a: pa.Array, pattern: str, repl: str = "") -> pa.Array:
    return pc.replace_substring_regex(a, pattern, repl)


def _sub_rows(a: pa.Array, rows: np.ndarray, pattern: str, repl: str = "") -> pa.Array:
    """Replace only in the rows flagged: a match costs half a replacement, so this
    pays off whenever few rows need the change."""
    if not rows.any():
        return a
    if rows.all():
        return _sub(a, pattern, repl)
    where = pa.array(rows)
    return pc.replace_with_mask(a, where, _sub(pc.filter(a, where), pattern, repl))


def _sub_some(
    a: pa.Array, pattern: str, repl: str = "", when: str | None = None, literal: str | None = None
) -> pa.Array:
    """``_sub`` on the rows matching ``when`` (default: the pattern) or containing ``literal``."""
    rows = _np(pc.match_substring(a, literal)) if literal is not None else _match(a, when or pattern)
    return _sub_rows(a, rows, pattern, repl)


def _digit_matrix(a: pa.Array, width: int) -> np.ndarray:
    """(rows, width) digit values of an array whose every value is ``width`` ASCII digits."""
    a = pa.concat_arrays([a]) if a.offset else a
    offsets = np.frombuffer(a.buffers()[1], dtype=np.int64)[: len(a) + 1]
    data = np.frombuffer(a.buffers()[2], dtype=np.uint8) if len(a) else np.zeros(0, np.uint8)
    return (data[offsets[0] : offsets[0] + width * len(a)].reshape(len(a), width) - 48).astype(np.int16)


def _pairs(m: np.ndarray, start: int) -> np.ndarray:
    return m[:, start] * 10 + m[:, start + 1]


def _is_null_token(upper: pa.Array, tokens=_NULL_TOKENS) -> np.ndarray:
    return _np(pc.is_in(upper, value_set=pa.array(tokens, _LS)))


def _encode(a: pa.Array) -> tuple[pa.Array, pa.Array]:
    """(indices, distinct values) so that work runs once per distinct value."""
    enc = pc.dictionary_encode(a)
    return enc.indices, enc.dictionary


def _distinct(a: pa.Array, sample: int = 20000) -> tuple[np.ndarray | None, pa.Array]:
    """(row -> distinct value positions, distinct values), or (None, a) for columns whose
    values are nearly all distinct (identifiers), where hashing costs more than it saves.
    The sample overstates distinctness of name-like columns, hence the high threshold."""
    head = a.slice(0, sample)
    if len(head) > 1000 and len(pc.unique(head)) > 0.85 * len(head):
        return None, a
    idx, uniq = _encode(a)
    return _np(idx).astype(np.intp), uniq


def _on_distinct(a: pa.Array, fn) -> pa.Array:
    """``fn`` (text array -> array of the same length) once per distinct value."""
    take, values = _distinct(a)
    out = fn(values)
    return out if take is None else pc.take(out, pa.array(take))


def _labels(codes: np.ndarray, labels) -> pa.Array:
    """Small integer codes to text labels; a negative code gives null."""
    codes = np.asarray(codes)
    idx = pa.array(codes, mask=codes < 0)
    return pc.take(pa.array(list(labels), _LS), idx)


def _str_series(a: pa.Array, index) -> pd.Series:
    """Arrow text to a pandas str Series, "" becoming NA."""
    a = pc.if_else(pc.equal(a, ""), pa.scalar(None, _LS), a)
    return pd.Series(pd.array(a, dtype="str"), index=index)


def _with_mask(values: np.ndarray, valid: np.ndarray, index, dtype: str) -> pd.Series:
    return pd.Series(pd.array(values, dtype=dtype), index=index).where(valid)


def _numbers(a: pa.Array) -> np.ndarray:
    """Decimal strings (at most 18 digits) to int64; anything else to 0."""
    ok = pc.and_(pc.ascii_is_decimal(a), pc.less_equal(pc.utf8_length(a), 18))
    return _np(pc.cast(pc.if_else(ok, a, pa.scalar("0", _LS)), pa.int64())).copy()


def _days_in_month(year: np.ndarray, month: np.ndarray) -> np.ndarray:
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    table = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
    return table[np.clip(month, 0, 12)] + ((month == 2) & leap)


def _ymd_valid(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    return (
        (year >= 1800)
        & (year <= 2200)
        & (month >= 1)
        & (month <= 12)
        & (day >= 1)
        & (day <= _days_in_month(year, month))
    )


def _ymd_to_datetime(year: np.ndarray, month: np.ndarray, day: np.ndarray, valid: np.ndarray) -> np.ndarray:
    y = np.where(valid, year, 1970)
    m = np.where(valid, month, 1)
    d = np.where(valid, day, 1)
    out = ((y - 1970).astype("M8[Y]") + (m - 1).astype("m8[M]")).astype("M8[D]") + (d - 1).astype("m8[D]")
    out = out.astype("M8[ns]")
    out[~valid] = np.datetime64("NaT")
    return out


# ---------------------------------------------------------------------------
# NIK and NIB
# ---------------------------------------------------------------------------

# Kemendagri province codes run from 11 (Aceh) to 94 (Papua Tengah, 2022).
_NIK_PROVINCE_MIN, _NIK_PROVINCE_MAX = 11, 94
_FLOAT_EXACT_LIMIT = 2**53  # float64 holds every integer below this exactly


def normalise_nik(s: pd.Series, reference_year: int = REFERENCE_YEAR) -> pd.DataFrame:
    """NIK cells to ``nik`` (16 digits, only when valid) and ``nik_status``.

    excel_destroyed: scientific notation ("6.47101E+15"), a 16-digit value whose
    serial is 0000 (never issued: Excel keeps 15 significant digits and zeroes the
    16th, so serials 0001 to 0009 come out as 0000), or a float-formatted value
    ("...0.0") or a number shown with thousands separators ("6.471.014.101.900.010": a
    number format, so the 16th digit went through Excel's 15 significant digits) whose
    last digit precision cannot vouch for. A label before it ("NIK 6471...", "No. KTP:")
    is dropped. Digits are never repaired. invalid: not 16 digits, or province/birth date
    impossible (FACTS.md).
    """
    a = _text(s)
    n = len(a)
    status = np.full(n, 2, dtype=np.int8)  # invalid unless shown otherwise
    float_origin = np.zeros(n, dtype=bool)
    destroyed = np.zeros(n, dtype=bool)
    # Fast path: most cells are already 16 digits; only the rest are cleaned.
    clean16 = _np(pc.and_(pc.equal(pc.utf8_length(a), 16), pc.ascii_is_decimal(a)))
    digits = a
    messy = np.flatnonzero(~clean16)
    if len(messy):
        m = pc.take(a, pa.array(messy))
        blank = _is_null_token(pc.utf8_upper(_squash(m)), _NULL_TOKENS + ("0",))
        t = _sub_some(m, _WS)
        t = _sub_some(t, "^[" + _QUOTES + "]+|[" + _QUOTES + "]+$")
        t = _sub_some(t, r"^(?i:NO\.?)?(?i:NIK|KTP)[:.]?")
        sci = _match(t, r"^[0-9]+(?:[.,][0-9]*)?[eE]\+?15$")
        floaty = _match(t, r"^[0-9]+[.,]0+$|^[0-9](?:[.,][0-9]{3}){5}$")
        thousands = _match(t, r"^[0-9](?:[.,][0-9]{3}){5}$")
        t = _sub_rows(t, floaty & ~thousands, r"[.,]0+$")
        t = _sub_rows(t, ~floaty | thousands, r"[.,\-]")
        t = pc.if_else(pc.ascii_is_decimal(t), t, pa.scalar("", _LS))
        digits = pc.replace_with_mask(a, pa.array(~clean16), t)
        status[messy[blank]] = 3
        destroyed[messy[sci & ~blank]] = True
        float_origin[messy[floaty]] = True

    is16 = clean16.copy()
    if len(messy):
        is16 |= _np(pc.and_(pc.equal(pc.utf8_length(digits), 16), pc.ascii_is_decimal(digits)))
    rows = np.flatnonzero(is16)
    d = _digit_matrix(pc.take(digits, pa.array(rows)), 16)
    province, dd, mm, yy = _pairs(d, 0), _pairs(d, 6), _pairs(d, 8), _pairs(d, 10)
    serial_zero = (d[:, 12:] == 0).all(axis=1)
    day = np.where(dd > 40, dd - 40, dd)
    year = np.where(yy > reference_year % 100, 1900, 2000) + yy
    structure_ok = (
        (province >= _NIK_PROVINCE_MIN)
        & (province <= _NIK_PROVINCE_MAX)
        & (((dd >= 1) & (dd <= 31)) | ((dd >= 41) & (dd <= 71)))
        & _ymd_valid(year, mm, day)
    )
    lost = serial_zero
    fo = float_origin[rows]
    if fo.any():
        big = province >= _FLOAT_EXACT_LIMIT // 10**14  # 90 and above: float64 rounds the last digit
        lost = lost | (fo & ((d[:, 15] == 0) | big))
    status[rows[structure_ok]] = 0
    destroyed[rows[lost]] = True
    status[destroyed] = 1
    nik = pc.if_else(pa.array(status == 0), digits, pa.scalar("", _LS))
    return pd.DataFrame(
        {"nik": _str_series(nik, s.index), "nik_status": _str_series(_labels(status, NIK_STATUSES), s.index)},
        index=s.index,
    )


def nik_parts(nik: pd.Series, reference_year: int = REFERENCE_YEAR) -> pd.DataFrame:
    """Birth date, sex and registration region (first 6 digits) read from a 16-digit NIK.

    Women's NIKs carry the birth day + 40. Two-digit years above ``reference_year``'s
    last two digits are 19YY, the others 20YY. NaT/NA where the NIK cannot say.
    """
    a = _text(nik)
    n = len(a)
    is16 = _np(pc.and_(pc.equal(pc.utf8_length(a), 16), pc.ascii_is_decimal(a)))
    rows = np.flatnonzero(is16)
    d = _digit_matrix(pc.take(a, pa.array(rows)), 16)
    dd, mm, yy = _pairs(d, 6), _pairs(d, 8), _pairs(d, 10)
    female = (dd >= 41) & (dd <= 71)
    male = (dd >= 1) & (dd <= 31)
    day = np.where(female, dd - 40, dd)
    year = np.where(yy > reference_year % 100, 1900, 2000) + yy
    born = np.full(n, np.datetime64("NaT"), dtype="M8[ns]")
    born[rows] = _ymd_to_datetime(year, mm, day, (male | female) & _ymd_valid(year, mm, day))
    sex = np.full(n, -1, dtype=np.int8)
    sex[rows] = np.where(female, 1, np.where(male, 0, -1))
    region = pc.if_else(pa.array(is16), pc.utf8_slice_codeunits(a, 0, 6), pa.scalar("", _LS))
    return pd.DataFrame(
        {
            "nik_birth_date": pd.Series(born, index=nik.index),
            "nik_sex": _str_series(_labels(sex, ("L", "P")), nik.index),
            "nik_region": _str_series(region, nik.index),
        },
        index=nik.index,
    )


def normalise_nib(s: pd.Series, restore_leading_zero: bool = True) -> pd.Series:
    """NIB cells to 13-digit text or NA (scientific notation and other lengths are NA).

    OSS RBA numbers may start with 0, which Excel drops; NIBs have one length, so a
    12-digit value is that NIB with its 0 put back (``restore_leading_zero=False`` to
    refuse, as for KBLI "1111" -> "01111").
    """
    a = _text(s)
    length = pc.utf8_length(a)
    messy = ~_np(pc.and_(pc.equal(length, 13), pc.ascii_is_decimal(a))) & _np(pc.greater(length, 0))
    t = _sub_rows(a, messy, _WS)
    t = _sub_rows(t, messy, "^[" + _QUOTES + "]+|[" + _QUOTES + "]+$|[.,]0+$" + r"|[.\-]")
    if restore_leading_zero:
        lost = pc.and_(pc.equal(pc.utf8_length(t), 12), pc.ascii_is_decimal(t))
        t = pc.if_else(lost, pc.binary_join_element_wise(pa.scalar("0", _LS), t, pa.scalar("", _LS)), t)
    ok = pc.and_(pc.equal(pc.utf8_length(t), 13), pc.ascii_is_decimal(t))
    return _str_series(pc.if_else(ok, t, pa.scalar("", _LS)), s.index)


# ---------------------------------------------------------------------------
# Phone numbers
# ---------------------------------------------------------------------------

# FACTS.md: mobiles match ^(?:\+62|62|0)8[1-9][0-9]{6,10}$. Fixed lines: area code
# (2 to 4 digits, not 08) and subscriber number, 8 to 10 digits after the trunk 0;
# Balikpapan is 0542 + 6 or 7 digits. One pattern splits the prefix (+62/0062/62 or
# the trunk 0, then a stray 0 as in "+62 0812") from the national number.
_PHONE_PARTS = (
    r"^(?P<p>\+62|0062|62|0|)(?P<z>0?)"
    r"(?:(?P<mobile>8[1-9][0-9]{6,10})|(?P<landline>[2-79][0-9]{7,9}))$"
)
PHONE_SEPARATORS = r"[/,;&]|\b(?:ATAU|DAN|OR)\b"  # between two numbers of one cell (upper case)
# A label before the number ("HP:", "WA"), or a second number after it.
_PHONE_NOISE = r"^[^0-9+]+|\s*(?:" + PHONE_SEPARATORS + r").*$"


def _is_mobile_08(t: pa.Array, length: pa.Array) -> pa.Array:
    """^08[1-9][0-9]{6,10}$ with cheap kernels instead of a regex pass."""
    return pc.and_(
        pc.and_(pc.starts_with(t, "08"), pc.invert(pc.starts_with(t, "080"))),
        pc.and_(pc.and_(pc.greater_equal(length, 9), pc.less_equal(length, 13)), pc.ascii_is_decimal(t)),
    )


def _phone_parts(t: pa.Array) -> tuple[np.ndarray, pa.Array]:
    """(0 mobile / 1 landline / 2 invalid, "+62..." or "") of separator-free numbers."""
    length = pc.utf8_length(t)
    # The common shapes first, without extracting groups: 08..., 628..., +628...
    m08 = _is_mobile_08(t, length)
    m62 = pc.and_(
        pc.and_(pc.starts_with(t, "628"), pc.invert(pc.starts_with(t, "6280"))),
        pc.and_(pc.and_(pc.greater_equal(length, 10), pc.less_equal(length, 14)), pc.ascii_is_decimal(t)),
    )
    mp62 = pc.match_substring_regex(t, r"^\+628[1-9][0-9]{6,10}$")
    empty = pa.scalar("", _LS)
    phone = pc.if_else(
        m08,
        pc.utf8_replace_slice(t, 0, 1, "+62"),
        pc.if_else(m62, pc.utf8_replace_slice(t, 0, 0, "+"), pc.if_else(mp62, t, empty)),
    )
    common = _np(pc.or_(pc.or_(m08, m62), mp62))
    code = np.where(common, 0, 2).astype(np.int8)
    residue = np.flatnonzero(~common)
    if len(residue):
        parts = pc.extract_regex(pc.take(t, pa.array(residue)), _PHONE_PARTS)
        prefix = pc.fill_null(parts.field("p"), "")
        mobile_nsn = pc.fill_null(parts.field("mobile"), "")
        landline_nsn = pc.fill_null(parts.field("landline"), "")
        intl = _np(pc.is_in(prefix, value_set=pa.array(["+62", "0062", "62"], _LS)))
        sane = intl | _np(pc.equal(pc.fill_null(parts.field("z"), ""), ""))  # "00..." is no trunk prefix
        mobile = sane & _np(pc.not_equal(mobile_nsn, ""))
        # A fixed line needs its area code, so a prefix (0 or 62) must be there.
        landline = sane & _np(pc.not_equal(landline_nsn, "")) & _np(pc.not_equal(prefix, ""))
        code[residue] = np.where(mobile, 0, np.where(landline, 1, 2))
        found = pc.binary_join_element_wise(pa.scalar("+62", _LS), mobile_nsn, landline_nsn, empty)
        phone = pc.replace_with_mask(phone, pa.array(~common), pc.if_else(pa.array(mobile | landline), found, empty))
    return code, phone


def normalise_phone(s: pd.Series) -> pd.DataFrame:
    """Phone cells to ``phone`` ("+62" + national number) and ``phone_status``.

    Accepts 08..., +62 8..., 62 8..., 0062..., bare 8..., "+62 0812...", spaces,
    dashes, dots, parentheses, a label before the number ("HP:") and several numbers
    in one cell (the first is kept). A fixed line needs its area code ("0542-...");
    a bare local number is invalid: the area code would be a guess.
    """
    a = _text(s)
    n = len(a)
    length = pc.utf8_length(a)
    status = np.full(n, 3, dtype=np.int8)  # blank cells stay "missing"
    # Fast path: the common clean mobile "08..." typed as digits only.
    fast = _np(_is_mobile_08(a, length))
    status[fast] = 0
    phone = pc.if_else(pa.array(fast), pc.utf8_replace_slice(a, 0, 1, "+62"), pa.scalar("", _LS))

    rest_mask = ~fast & _np(pc.greater(length, 0))
    rest = np.flatnonzero(rest_mask)
    if len(rest):
        t = pc.utf8_upper(pc.utf8_trim_whitespace(pc.take(a, pa.array(rest))))
        blank = _is_null_token(t, _NULL_TOKENS + ("0",))
        t = _sub_some(t, _PHONE_NOISE)
        t = _sub_rows(t, _np(pc.ends_with(t, ".0")), r"^(\+?[0-9]+)\.0+$", r"\1")  # a float from Excel
        plain = _match(t, r"^\+?[0-9]*$")
        if not plain.all():
            where = pa.array(~plain)
            u = pc.filter(t, where)
            for separator in (" ", "-", ".", "(", ")"):  # literal replacement is 3x faster than a regex
                u = pc.replace_substring(u, separator, "")
            u = _sub_some(u, _OTHER_WS + "|[\\[\\]_" + _QUOTES + "]+")
            t = pc.replace_with_mask(t, where, u)
        code, found = _phone_parts(t)
        status[rest] = np.where(code < 2, code, np.where(blank, 3, 2))
        phone = pc.replace_with_mask(phone, pa.array(rest_mask), found)
    return pd.DataFrame(
        {"phone": _str_series(phone, s.index), "phone_status": _str_series(_labels(status, PHONE_STATUSES), s.index)},
        index=s.index,
    )


# ---------------------------------------------------------------------------
# Person names
# ---------------------------------------------------------------------------

# Honorifics before a name (a dot or a space must follow, so HASAN keeps its H).
_HONORIFICS = (
    "BPK",
    "BAPAK",
    "BP",
    "PAK",
    "IBU",
    "BU",
    "IB",
    "SDR",
    "SDRI",
    "SAUDARA",
    "SAUDARI",
    "HAJI",
    "HAJJAH",
    "HAJAH",
    "HJ",
    "H",
    "DR",
    "DRS",
    "DRA",
    "DRG",
    "IR",
    "PROF",
    "NY",
    "NYONYA",
    "TN",
    "TUAN",
    "NN",
    "NONA",
    "USTADZ",
    "USTAZ",
    "USTADZAH",
    "USTAZAH",
)
# Academic titles written without dots (with dots they are caught by their shape).
_TITLES = (
    "SE",
    "SH",
    "ST",
    "SP",
    "SS",
    "SPD",
    "SPDI",
    "SKOM",
    "SSOS",
    "SAG",
    "SKM",
    "SIP",
    "SSI",
    "SHI",
    "SKEP",
    "SFARM",
    "SPSI",
    "SAK",
    "STP",
    "SST",
    "SKED",
    "SGZ",
    "SPT",
    "SPI",
    "SHUT",
    "SIKOM",
    "MM",
    "MPD",
    "MPDI",
    "MSI",
    "MH",
    "MT",
    "MKES",
    "MAK",
    "MKOM",
    "MAG",
    "MBA",
    "MSC",
    "MA",
    "PHD",
    "AMD",
    "AMK",
    "AMDKEB",
    "AMDKEP",
    "AMA",
    "NS",
    "APT",
    "BSC",
    "DRS",
    "DRA",
    "IR",
    "DR",
    "CPNS",
)
# The second part of dotted titles (S.Pd, S.E., M.M., A.Md.Keb, M.Pd.I), for titles at
# the end of a name without a comma, where "M. NUR" must stay a name.
_DOTTED_TITLE_TAILS = (
    "PD",
    "E",
    "H",
    "T",
    "KOM",
    "SOS",
    "AG",
    "FARM",
    "KEP",
    "KM",
    "PSI",
    "IP",
    "HUT",
    "P",
    "SI",
    "TR",
    "AP",
    "AK",
    "KED",
    "GZ",
    "PT",
    "PI",
    "TH",
    "DS",
    "SN",
    "HUM",
    "STAT",
    "MD",
    "MA",
    "M",
    "KES",
    "SC",
    "BA",
    "HI",
    "ST",
    "IKOM",
    "TP",
    "KEB",
)
_NO_DOT_TITLE = r"(?:" + "|".join(_TITLES) + r")\b\.?"
_TITLE_TOKEN = r"(?:[A-Z]{1,5}\.(?:\s?[A-Z]{1,5}\.?)*|" + _NO_DOT_TITLE + ")"
_RE_TITLES_AFTER_COMMA = r"\s*,\s*" + _TITLE_TOKEN + r"(?:[\s,]*" + _TITLE_TOKEN + r")*[\s.,]*$"
_RE_TRAILING_TITLES = (
    r"(?:\s+(?:[SMAD]\.\s?(?:" + "|".join(_DOTTED_TITLE_TAILS) + r")(?:\.\s?[A-Z]{1,4})*\.?|" + _NO_DOT_TITLE + r"))+$"
)
_RE_HONORIFICS = r"^(?:(?:" + "|".join(_HONORIFICS) + r")(?:\.\s*|\s+))+"


def _name_core(a: pa.Array, key: bool) -> pa.Array:
    foreign = ~_np(pc.string_is_ascii(a))
    if foreign.any():  # accents (split off by NFKD) and non-Latin letters go
        where = pa.array(foreign)
        a = pc.replace_with_mask(a, where, _sub(pc.utf8_normalize(pc.filter(a, where), "NFKD"), r"[^\x00-\x7F]+"))
    t = pc.ascii_upper(a)
    # Most names are letters and single spaces: punctuation work runs on the others only.
    dirty = _match(t, "[^A-Z ]|  |^ | $")
    if dirty.any():
        where = pa.array(dirty)
        d = _squash(pc.filter(t, where))
        for quote in ("'", "`", '"') if key else ("`", '"'):  # literal: cheaper than a regex pass
            d = pc.replace_substring(d, quote, "")
        d = _sub_some(d, _RE_TITLES_AFTER_COMMA, literal=",")
        d = _sub_some(d, _RE_HONORIFICS)
        d = _sub_some(d, _RE_TRAILING_TITLES)
        d = _sub(d, r"[^A-Z ]+" if key else r"[^A-Z '\-.]+", " ")
        d = _sub_some(d, " {2,}", " ", literal="  ")
        t = pc.replace_with_mask(t, where, pc.utf8_trim(d, " ."))
    # Honorifics and dotless titles in otherwise clean names ("IBU ANI", "BUDI SE").
    words = _match(t, _RE_HONORIFICS + "|" + _RE_TRAILING_TITLES)
    if words.any():
        where = pa.array(words)
        w = _sub_some(_sub_some(pc.filter(t, where), _RE_HONORIFICS), _RE_TRAILING_TITLES)
        t = pc.replace_with_mask(t, where, pc.utf8_trim(w, " ."))
    return t


def normalise_name(s: pd.Series) -> pd.Series:
    """A name as a matching key: upper case, honorifics and academic titles removed,
    letters only, single spaces ("Hj. Siti Aminah, S.Pd." -> "SITI AMINAH")."""
    return _str_series(_on_distinct(_text(s), lambda a: _name_core(a, key=True)), s.index)


# "SITI AMINAH BINTI ABDULLAH": the father's name after bin/binti (bt) is written on some rows
# of a person and left off on others; the key keeps the person's own name.
_RE_PATRONYMIC = r" (?:BINTI|BIN|BT) [A-Z].*$"


def normalise_person_name(s: pd.Series) -> pd.Series:
    """A person's name as a matching key: normalise_name without "bin"/"binti" and the
    father's name ("Siti Aminah binti Abdullah" -> "SITI AMINAH")."""
    return _str_series(
        _on_distinct(_text(s), lambda a: _sub_some(_name_core(a, key=True), _RE_PATRONYMIC, when=" (?:BINTI|BIN|BT) ")),
        s.index,
    )


def display_name(s: pd.Series) -> pd.Series:
    """A name for display: titles and honorifics removed, title-cased ("Siti Aminah")."""
    return _str_series(_on_distinct(_text(s), lambda a: pc.utf8_title(_name_core(a, key=False))), s.index)


# ---------------------------------------------------------------------------
# Regions (kelurahan, kecamatan, kabupaten/kota)
# ---------------------------------------------------------------------------

# Spellings seen in real data that the reference names do not cover (FACTS.md);
# variants that differ only by spaces, case or "Gn." are covered by the key itself.
# reference/kelurahan_aliases.csv: a name, or None where the spelling names two kelurahan (not enough to choose).
KELURAHAN_ALIASES = reference.kelurahan_aliases()

# Places near Balikpapan that appear in its register but lie outside it (keys).
OUTSIDE_PLACES = reference.outside_places()  # reference/outside_places.csv
# Kecamatan Balikpapan Kota was carved out of Balikpapan Selatan in 2012 (Perda 8/2012):
# its kelurahan with "Balikpapan Selatan" follow the old map and are no conflict.
_PRE_2012 = ("64.71.06", "64.71.05")
# Values of kabupaten_kota that name no city or regency (no information).
_NOT_A_CITY = ("", "KOTA", "KAB", "KABUPATEN", "KALTIM", "KALIMANTANTIMUR", "INDONESIA", "KOTAMADYA")
_FUZZY_CUTOFF = 0.85


def _is_outside_place(key: str) -> bool:
    """A neighbouring place, also as the start of a longer name ("Samarinda Seberang")."""
    return key in OUTSIDE_PLACES or any(len(p) >= 5 and key.startswith(p) for p in OUTSIDE_PLACES)


def _place_words(text: str) -> str:
    t = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().upper()
    t = re.sub(r"[^A-Z0-9]+", " ", t)
    t = re.sub(r"\b(?:RT|RW|NO)\b.*$", "", t)  # address fragments after the name
    t = re.sub(r"\b(?:G|GN|GNG|GUNUNG)\b(?= [A-Z])", "GUNUNG", t)
    t = re.sub(r"\b(?:SEI|SG|SUNGEI)\b", "SUNGAI", t)
    t = re.sub(r"\bBR\b", "BARU", t)
    t = re.sub(r"\b(?:BPP|BPN|BLKPPN|BALIKPAPAN)\b", "BALIKPAPAN", t)
    return t.strip()


def _letters(words: str) -> str:
    # Old spellings (before 1972) write u as OE and j as DJ: "Lamaroe", "Karang Djoang".
    return re.sub(r"[^A-Z]", "", words).replace("OE", "U").replace("DJ", "J")


def _kelurahan_key(text: str) -> str:
    return _letters(re.sub(r"^(?:(?:KELURAHAN|KELURAN|KEL|KLH|DESA|DS)\s+)+", "", _place_words(text) + " "))


def _kecamatan_key(text: str) -> str:
    words = re.sub(r"^(?:(?:KECAMATAN|KEC|KEC\s+AMATAN)\s+)+", "", _place_words(text) + " ").strip()
    key = _letters(words)
    if key in ("BALIKPAPAN", "KOTABALIKPAPAN"):
        return ""  # the city, not a kecamatan
    return key[len("BALIKPAPAN") :] if key.startswith("BALIKPAPAN") else key


def _city_key(text: str) -> str:
    return _letters(re.sub(r"^(?:(?:KOTA|KAB|KABUPATEN|KOTAMADYA|KOTIF|KOT)\s+)+", "", _place_words(text) + " "))


@dataclass(frozen=True)
class _RegionTables:
    kel_codes: tuple[str, ...]  # Kemendagri kelurahan codes, reference order
    kel_kec: np.ndarray  # kecamatan index of each kelurahan
    kec_codes: tuple[str, ...]
    kel_keys: dict  # key -> kelurahan index (-2: ambiguous)
    kec_keys: dict  # key -> kecamatan index
    kel_nodot: dict  # 6471011001 -> kelurahan index


_TABLE_CACHE: dict[int, tuple[object, _RegionTables]] = {}


def _region_tables(ref) -> _RegionTables:
    hit = _TABLE_CACHE.get(id(ref))
    if hit is not None and hit[0] is ref:
        return hit[1]
    kec = ref.kecamatan.reset_index(drop=True)
    kel = ref.kelurahan.reset_index(drop=True)
    kec_codes = tuple(kec["kode_kemendagri"])
    kec_index = {code: i for i, code in enumerate(kec_codes)}
    kel_keys: dict[str, int] = {}
    for i, row in kel.iterrows():
        for name in (row["nama"], row["nama_kepmendagri_2022"], row["nama_bps"]):
            if name:
                key = _kelurahan_key(name)
                assert kel_keys.get(key, i) == i, f"kelurahan key {key} names two kelurahan"
                kel_keys[key] = i
    by_name = {_kelurahan_key(name): i for i, name in enumerate(kel["nama"])}
    for alias, name in KELURAHAN_ALIASES.items():
        kel_keys.setdefault(_kelurahan_key(alias), by_name[_kelurahan_key(name)] if name else -2)
    kec_keys: dict[str, int] = {}
    for i, row in kec.iterrows():
        for name in (row["nama"], row["nama_bps"]):
            kec_keys[_kecamatan_key(name)] = i
            kec_keys[_letters(_place_words(name))] = i
    tables = _RegionTables(
        kel_codes=tuple(kel["kode_kemendagri"]),
        kel_kec=np.array([kec_index[c] for c in kel["kode_kecamatan"]]),
        kec_codes=kec_codes,
        kel_keys=kel_keys,
        kec_keys=kec_keys,
        kel_nodot={code: i for i, code in enumerate(kel["kode_kemendagri_nodot"])},
    )
    _TABLE_CACHE.clear()
    _TABLE_CACHE[id(ref)] = (ref, tables)
    return tables


def _lookup(key: str, keys: dict) -> tuple[int, bool]:
    """(index or -1, repaired) for a key: exact first, then one close spelling."""
    if not key:
        return -1, False
    if key in keys:
        return keys[key], False
    if len(key) < 4:
        return -1, False
    close = difflib.get_close_matches(key, list(keys), n=3, cutoff=_FUZZY_CUTOFF)
    if not close:
        return -1, False
    scores = {c: difflib.SequenceMatcher(None, key, c).ratio() for c in close}
    best = max(scores.values())
    found = {keys[c] for c, score in scores.items() if score == best}
    if len(found) != 1 or -2 in found:
        return -1, False
    return found.pop(), True


def _classify_kelurahan(text: str, tables: _RegionTables) -> tuple[int, bool, bool, int, bool]:
    """(kelurahan index, repaired, outside, kecamatan index named in this field, kec repaired)."""
    words = _place_words(text)
    if not words:
        return -1, False, False, -1, False
    candidates = [_kelurahan_key(text)]
    head = re.split(r",|/|\(|\bKEC\b|\bKECAMATAN\b|\bBALIKPAPAN\b", text.upper().replace("BPP", "BALIKPAPAN"))[0]
    if head.strip() and _kelurahan_key(head) != candidates[0]:
        candidates.append(_kelurahan_key(head))
    for key in candidates:
        if key in tables.kel_keys and tables.kel_keys[key] >= 0:
            return tables.kel_keys[key], False, False, -1, False
    for key in candidates:
        idx, repaired = _lookup(key, tables.kel_keys)
        if idx >= 0:
            return idx, repaired, False, -1, False
    if any(_is_outside_place(key) for key in candidates):
        return -1, False, True, -1, False
    # A kecamatan typed into the kelurahan column ("Balikpapan Utara", "Kec. Utara").
    if re.match(r"^(?:BALIKPAPAN|KEC|KECAMATAN)\b", words):
        kec, repaired = _lookup(_kecamatan_key(text), tables.kec_keys)
        return -1, False, False, kec, repaired
    return -1, False, False, -1, False


def _classify_kecamatan(text: str, tables: _RegionTables) -> tuple[int, bool, bool]:
    """(kecamatan index, repaired, outside)."""
    key = _kecamatan_key(text)
    idx, repaired = _lookup(key, tables.kec_keys)
    if idx < 0 and _is_outside_place(key):
        return -1, False, True
    return idx, repaired, False


def _classify_city(text: str) -> int:
    """0: says nothing, 1: Balikpapan, 2: somewhere else."""
    key = _city_key(text)
    if key in _NOT_A_CITY or len(key) < 3:
        return 0
    if "BALIKPAPAN" in key or difflib.get_close_matches(key, ["BALIKPAPAN"], n=1, cutoff=0.8):
        return 1
    return 2


def _per_unique(s: pd.Series | None, n: int, fn, width: int, fill) -> list[np.ndarray]:
    """Run ``fn`` (text -> tuple of ``width`` values) once per distinct value of ``s``."""
    if s is None:
        return [np.full(n, f) for f in fill]
    idx, uniq = _encode(_text(s))
    rows = [fn(value) for value in uniq.to_pylist()]
    cols = [np.array([r[k] for r in rows] or [fill[k]]) for k in range(width)]
    take = _np(idx).astype(np.intp)
    return [col[take] if len(rows) else np.full(n, fill[k]) for k, col in enumerate(cols)]


def _region_frame(kel_idx, kec_idx, status, tables: _RegionTables, index) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "kelurahan_code": _str_series(_labels(kel_idx, tables.kel_codes), index),
            "kecamatan_code": _str_series(_labels(kec_idx, tables.kec_codes), index),
            "region_status": _str_series(_labels(status, REGION_STATUSES), index),
        },
        index=index,
    )


def normalise_region(
    kelurahan: pd.Series,
    kecamatan: pd.Series | None,
    kabupaten_kota: pd.Series | None,
    ref,
) -> pd.DataFrame:
    """Kelurahan/kecamatan/kabupaten-kota cells to Kemendagri codes and a status.

    ok: the kelurahan was recognised and the kecamatan, when given, agrees.
    repaired: as ok, but a name was matched by one close spelling (a typo).
    kecamatan_inferred: the kelurahan was recognised, the kecamatan was blank or
    unreadable and is taken from the kelurahan.
    conflict: kelurahan and kecamatan disagree; the kelurahan's codes are kept (a
    Balikpapan Kota kelurahan with "Balikpapan Selatan", the map before 2012, is ok).
    outside: another city or regency is named (any value of kabupaten_kota other
    than Balikpapan, or a known neighbouring place as kelurahan/kecamatan); no codes.
    unknown: no kelurahan recognised; kecamatan_code is still set when the
    kecamatan was recognised. Every status but unknown/outside has a kelurahan_code.
    """
    tables = _region_tables(ref)
    n = len(kelurahan)
    for other in (kecamatan, kabupaten_kota):
        if other is not None and len(other) != n:
            raise ValueError("kelurahan, kecamatan and kabupaten_kota must have the same length")
    kel_idx, kel_rep, kel_out, kec_from_kel, kec_from_kel_rep = _per_unique(
        kelurahan, n, lambda v: _classify_kelurahan(v, tables), 5, (-1, False, False, -1, False)
    )
    kec_idx, kec_rep, kec_out = _per_unique(
        kecamatan, n, lambda v: _classify_kecamatan(v, tables), 3, (-1, False, False)
    )
    (city,) = _per_unique(kabupaten_kota, n, lambda v: (_classify_city(v),), 1, (0,))

    use_kel_field = (kec_idx < 0) & (kec_from_kel >= 0)
    kec_idx = np.where(use_kel_field, kec_from_kel, kec_idx)
    kec_rep = np.where(use_kel_field, kec_from_kel_rep, kec_rep)
    kel_ok = kel_idx >= 0
    kec_ok = kec_idx >= 0
    kel_kec = np.where(kel_ok, tables.kel_kec[np.maximum(kel_idx, 0)], -1)
    conflict = kel_ok & kec_ok & (kel_kec != kec_idx)
    if all(code in tables.kec_codes for code in _PRE_2012):
        kota, selatan = (tables.kec_codes.index(code) for code in _PRE_2012)
        conflict &= ~((kel_kec == kota) & (kec_idx == selatan))
    outside = (city == 2) | (~kel_ok & (kel_out | (kec_out & ~kec_ok)))

    status = np.select(
        [outside, ~kel_ok, conflict, kel_rep | (kec_ok & kec_rep), ~kec_ok],
        [4, 5, 3, 1, 2],
        default=0,
    ).astype(np.int8)
    kec_final = np.where(kel_ok, kel_kec, kec_idx)
    kel_final = np.where(outside, -1, kel_idx)
    kec_final = np.where(outside, -1, kec_final)
    return _region_frame(kel_final, kec_final, status, tables, kelurahan.index)


def region_from_kd_daerah(s: pd.Series, ref) -> pd.DataFrame:
    """OSS kd_daerah (Kemendagri code without dots, 10 digits for a kelurahan) to the
    same frame as ``normalise_region``: ok for a Balikpapan kelurahan, outside for a
    code outside 6471, unknown for a blank, malformed or unlisted Balikpapan code."""
    tables = _region_tables(ref)

    def classify(value: str) -> tuple[int, int, int]:
        code = re.sub(r"[.\s]", "", re.sub(r"\.0+$", "", value.strip()))
        if not code.isascii() or not code.isdigit():
            return -1, -1, 5
        if not code.startswith("6471"):
            return -1, -1, 4 if len(code) >= 2 else 5
        kel = tables.kel_nodot.get(code, -1)
        if kel >= 0:
            return kel, int(tables.kel_kec[kel]), 0
        kec = tables.kec_codes.index(f"64.71.{code[4:6]}") if f"64.71.{code[4:6]}" in tables.kec_codes else -1
        return -1, kec, 5

    kel_idx, kec_idx, status = _per_unique(s, len(s), classify, 3, (-1, -1, 5))
    return _region_frame(kel_idx, kec_idx, status, tables, s.index)


# ---------------------------------------------------------------------------
# KBLI
# ---------------------------------------------------------------------------

# Free-text bidang usaha -> KBLI 2020 kategori, used only when no valid code is given.
# Keys are whole words or phrases of the upper-cased text; the first key (in this
# order) found in the text wins, so specific phrases come before general words.
BIDANG_USAHA_KATEGORI = reference.bidang_usaha_kategori()  # reference/bidang_usaha_kbli.csv
_KATEGORI_PRIORITY = {key: (rank, kat) for rank, (key, kat) in enumerate(BIDANG_USAHA_KATEGORI.items())}
_MAX_PHRASE = max(len(key.split()) for key in BIDANG_USAHA_KATEGORI)


def _kategori_from_text(text: str) -> str | None:
    words = re.sub(r"[^A-Z]+", " ", text.upper()).split()
    best = None
    for size in range(1, _MAX_PHRASE + 1):
        for start in range(len(words) - size + 1):
            hit = _KATEGORI_PRIORITY.get(" ".join(words[start : start + size]))
            if hit and (best is None or hit[0] < best[0]):
                best = hit
    return best[1] if best else None


@dataclass(frozen=True)
class _KbliTables:
    kategori: dict  # 5-digit kode -> kategori
    higher: dict  # 2-, 3- and 4-digit code -> kategori, when the code exists in KBLI 2020
    ambiguous: frozenset  # 4-digit codes that are both a subgolongan and a kelompok minus its 0


_KBLI_CACHE: dict[int, tuple[object, _KbliTables]] = {}


def _kbli_tables(ref) -> _KbliTables:
    hit = _KBLI_CACHE.get(id(ref))
    if hit is not None and hit[0] is ref:
        return hit[1]
    k = ref.kbli_kelompok
    kategori = dict(zip(k["kode"], k["kategori"]))
    higher = {}
    for col in ("golongan_pokok", "golongan", "subgolongan"):
        if col in k:
            higher.update(zip(k[col], k["kategori"]))
    ambiguous = frozenset(c for c in higher if len(c) == 4 and "0" + c in kategori)
    tables = _KbliTables(kategori, higher, ambiguous)
    _KBLI_CACHE.clear()
    _KBLI_CACHE[id(ref)] = (ref, tables)
    return tables


_KATEGORI_LETTERS = "ABCDEFGHIJKLMNOPQRSTU"


def _classify_kbli_code(value: str, tables: _KbliTables) -> tuple[str, int, int]:
    """(5-digit code or "", kategori number (A=0) or -1, 0 valid / 2 invalid / 3 blank)."""
    t = re.sub(r"\s+", " ", value).strip().strip(_QUOTES)
    if t.upper() in _NULL_TOKENS:
        return "", -1, 3
    numbers = re.findall(r"[0-9]+(?:\.[0-9]+)?", t)  # "10391 - Tempe", "10391, 10392": the first
    first = re.sub(r"\.0+$", "", numbers[0]) if numbers else t
    if not (first.isascii() and first.isdigit()):
        return "", -1, 2
    kategori = tables.kategori
    if len(first) == 5 and first in kategori:
        return first, _KATEGORI_LETTERS.index(kategori[first]), 0
    # Leading zero lost ("1111" for 01111), unless the 4 digits are also a real
    # subgolongan (e.g. 1411 konveksi vs 01411): then nothing is certain.
    if len(first) == 4 and "0" + first in kategori and first not in tables.ambiguous:
        return "0" + first, _KATEGORI_LETTERS.index(kategori["0" + first]), 0
    # A truncated but real higher-level code still tells the kategori.
    if len(first) in (2, 3, 4) and first in tables.higher and first not in tables.ambiguous:
        return "", _KATEGORI_LETTERS.index(tables.higher[first]), 2
    return "", -1, 2


def normalise_kbli(kbli: pd.Series, bidang_usaha: pd.Series | None, ref) -> pd.DataFrame:
    """KBLI cells (and free-text bidang usaha) to ``kbli``, ``kbli_kategori``, ``kbli_status``.

    valid: a 5-digit KBLI 2020 kelompok of the reference list ("10391", "10391.0",
    "1111" for 01111). from_text: no valid code; the kategori comes from
    ``BIDANG_USAHA_KATEGORI``. invalid: a code was given but is not a kelompok; when it
    is a real higher-level code ("1039", "56") kbli_kategori still carries its kategori.
    missing: no code.
    """
    tables = _kbli_tables(ref)
    idx, uniq = _encode(_text(kbli))
    values = uniq.to_pylist()
    rows = [_classify_kbli_code(v, tables) for v in values]
    take = _np(idx).astype(np.intp)
    code = pc.take(pa.array([r[0] for r in rows], _LS), idx)
    kat = np.array([r[1] for r in rows] or [-1], dtype=np.int8)[take]
    status = np.array([r[2] for r in rows] or [3], dtype=np.int8)[take]
    # Words typed into the code column ("Kuliner") count as text when bidang usaha says nothing.
    text_kat = np.array([_KATEGORI_LETTERS.find(_kategori_from_text(v) or "-") for v in values] or [-1], dtype=np.int8)[
        take
    ]
    if bidang_usaha is not None:
        b_idx, b_uniq = _encode(_text(bidang_usaha))
        b_kat = np.array(
            [_KATEGORI_LETTERS.find(_kategori_from_text(v) or "-") for v in b_uniq.to_pylist()] or [-1],
            dtype=np.int8,
        )[_np(b_idx).astype(np.intp)]
        text_kat = np.where(b_kat >= 0, b_kat, text_kat)
    use_text = (status != 0) & (kat < 0) & (text_kat >= 0)
    kat = np.where(use_text, text_kat, kat)
    status = np.where(use_text, 1, status)
    return pd.DataFrame(
        {
            "kbli": _str_series(code, kbli.index),
            "kbli_kategori": _str_series(_labels(kat, _KATEGORI_LETTERS), kbli.index),
            "kbli_status": _str_series(_labels(status, KBLI_STATUSES), kbli.index),
        },
        index=kbli.index,
    )


# ---------------------------------------------------------------------------
# Money and counts
# ---------------------------------------------------------------------------

_MONEY_UNITS = {
    "RB": 10**3,
    "RIBU": 10**3,
    "K": 10**3,
    "JT": 10**6,
    "JUTA": 10**6,
    "M": 10**9,
    "MILIAR": 10**9,
    "MILYAR": 10**9,
    "MLY": 10**9,
    "MLYR": 10**9,
    "MILIYAR": 10**9,
    "T": 10**12,
    "TRILIUN": 10**12,
    "TRILYUN": 10**12,
}
_MONEY_UNIT_NAMES = sorted(_MONEY_UNITS, key=len, reverse=True)


def _grouped_integers(t: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(value, ok) for whole numbers written plainly or with thousands separators.

    "5000000", "5.000.000", "5,000,000", "5.000.000,00", "5,000,000.00", "5000000.0".
    A non-zero fractional part without a unit is not read: "2.5" may mean 2.5 juta.
    """
    plain = _match(t, r"^[0-9]+$")
    dots = _match(t, r"^[0-9]{1,3}(?:\.[0-9]{3})+(?:,0+)?$")
    commas = _match(t, r"^[0-9]{1,3}(?:,[0-9]{3})+(?:\.0+)?$")
    zero_fraction = _match(t, r"^[0-9]+[.,]0+$") & ~dots & ~commas
    ok = plain | dots | commas | zero_fraction
    digits = pc.if_else(
        pa.array(dots),
        _sub(_sub(t, ",0+$"), r"\."),
        pc.if_else(pa.array(commas), _sub(_sub(t, r"\.0+$"), ","), _sub(t, r"[.,]0+$")),
    )
    ok &= _np(pc.less_equal(pc.utf8_length(digits), 18))
    return _numbers(digits), ok


def _money_core(u: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    t = pc.utf8_upper(u)
    t = _sub(t, _WS)
    t = _sub(t, r"^(?:RP|IDR)\.?|RUPIAH|(?:/|PER)(?:TAHUN|THN|TH)$")  # per year is the columns' unit
    t = _sub(t, r"[,.]?-+$|[,.]-*$")
    value, ok = _grouped_integers(t)
    unit_re = r"^([0-9]{1,6})(?:[.,]([0-9]{1,2}))?(" + "|".join(_MONEY_UNIT_NAMES) + r")\.?$"
    with_unit = _match(t, unit_re) & ~ok
    if with_unit.any():
        sub = pc.filter(t, pa.array(with_unit))
        parts = pc.extract_regex(sub, r"^(?P<i>[0-9]+)(?:[.,](?P<f>[0-9]*))?(?P<u>[A-Z]+)")
        whole = _numbers(parts.field("i"))
        frac_text = parts.field("f")
        frac = _numbers(frac_text)
        frac_len = _np(pc.utf8_length(frac_text))
        unit = np.array([_MONEY_UNITS[x] for x in parts.field("u").to_pylist()], dtype=np.int64)
        scale = 10**frac_len
        exact = (unit % scale) == 0
        value[with_unit] = whole * unit + frac * (unit // scale)
        ok[with_unit] = exact
    return value, ok


def parse_money(s: pd.Series) -> pd.Series:
    """Rupiah amounts to nullable Int64: "Rp 5.000.000,-", "5,000,000", "1,5 jt", "1 M"
    (miliar), "500 rb", "5000000.0"; "0" is 0; "-", blanks and anything ambiguous NA."""
    take, values = _distinct(_text(s))
    value, ok = _money_core(values)
    if take is not None:
        value, ok = value[take], ok[take]
    return _with_mask(value, ok, s.index, "Int64")


_COUNT_UNITS = r"(?:ORANG|ORG|OR|JIWA|PEKERJA|KARYAWAN|TK|TENAGA KERJA|PERSON|PEOPLE)"


def parse_int(s: pd.Series) -> pd.Series:
    """Counts and years to nullable Int64: "3", "3 orang", "3.0", "02", "Thn 2019"; NA when unreadable."""
    take, values = _distinct(_text(s))
    t = pc.utf8_upper(_squash(values))
    t = _sub(t, r"\s*\([^)]*\)$")  # "3 (tiga)"
    t = _sub(t, r"\s*" + _COUNT_UNITS + r"\.?$|^(?:TAHUN|THN|TH)\.?\s*")  # "3 orang", "Thn 2019"
    value, ok = _grouped_integers(t)
    if take is not None:
        value, ok = value[take], ok[take]
    return _with_mask(value, ok, s.index, "Int64")


# ---------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------

MONTHS = {
    "JANUARI": 1,
    "JANUARY": 1,
    "JAN": 1,
    "FEBRUARI": 2,
    "PEBRUARI": 2,
    "FEBRUARY": 2,
    "FEB": 2,
    "PEB": 2,
    "MARET": 3,
    "MARCH": 3,
    "MAR": 3,
    "APRIL": 4,
    "APR": 4,
    "MEI": 5,
    "MAY": 5,
    "JUNI": 6,
    "JUNE": 6,
    "JUN": 6,
    "JULI": 7,
    "JULY": 7,
    "JUL": 7,
    "AGUSTUS": 8,
    "AUGUST": 8,
    "AGU": 8,
    "AGT": 8,
    "AGS": 8,
    "AGST": 8,
    "AUG": 8,
    "SEPTEMBER": 9,
    "SEP": 9,
    "SEPT": 9,
    "OKTOBER": 10,
    "OCTOBER": 10,
    "OKT": 10,
    "OCT": 10,
    "NOVEMBER": 11,
    "NOPEMBER": 11,
    "NOV": 11,
    "NOP": 11,
    "DESEMBER": 12,
    "DECEMBER": 12,
    "DES": 12,
    "DEC": 12,
}
_WEEKDAYS = (
    r"(?:SENIN|SELASA|RABU|KAMIS|JUMAT|JUM'AT|SABTU|MINGGU"
    r"|MONDAY|TUESDAY|WEDNESDAY|THURSDAY|FRIDAY|SATURDAY|SUNDAY)"
)
# Excel's 1900 date system: serial 1 is 1900-01-01 and serial 60 is a 29 February 1900
# that never was (kept from Lotus 1-2-3), so from serial 61 on day 0 is 1899-12-30.
# A bare 1900..2100 is read as a year, not a serial: too ambiguous to date.
_EXCEL_EPOCH = np.datetime64("1899-12-30", "D")
_EXCEL_SERIAL_MAX = 80000
_TIME = r"(?:[ T][0-9]{1,2}[:.][0-9]{2}(?:[:.][0-9]{2}(?:\.[0-9]+)?)?)?"


def _date_core(u: pa.Array) -> np.ndarray:
    t = pc.utf8_upper(_squash(u))
    t = _sub_some(t, "^" + _WEEKDAYS + r"[,\s]*")
    n = len(t)
    year = np.zeros(n, dtype=np.int64)
    month = np.zeros(n, dtype=np.int64)
    day = np.zeros(n, dtype=np.int64)
    found = np.zeros(n, dtype=bool)

    targets = {"y": year, "m": month, "d": day}

    def take_parts(pattern: str, month_names: bool = False) -> None:
        mask = _match(t, pattern) & ~found
        if not mask.any():
            return
        parts = pc.extract_regex(pc.filter(t, pa.array(mask)), pattern)
        for field, target in targets.items():
            raw = parts.field(field)
            if field == "m" and month_names:
                target[mask] = np.array([MONTHS.get(x, 0) for x in raw.to_pylist()], dtype=np.int64)
            else:
                target[mask] = _numbers(raw)
        found[mask] = True

    take_parts(r"^(?P<y>[0-9]{4})[-/.](?P<m>[0-9]{1,2})[-/.](?P<d>[0-9]{1,2})" + _TIME + "$")
    take_parts(r"^(?P<d>[0-9]{1,2})[-/.](?P<m>[0-9]{1,2})[-/.](?P<y>[0-9]{4})" + _TIME + "$")
    take_parts(r"^(?P<d>[0-9]{1,2})[\s\-./]*(?P<m>[A-Z]+)\.?[\s\-./,]*(?P<y>[0-9]{4})$", month_names=True)
    take_parts(r"^(?P<y>(?:19|20)[0-9]{2})(?P<m>[0-9]{2})(?P<d>[0-9]{2})$")
    valid = found & _ymd_valid(year, month, day)
    out = _ymd_to_datetime(year, month, day, valid)

    # Excel serial numbers ("29221", "29221.0"); a bare year such as "1980" is not read.
    serial_mask = _match(t, r"^[0-9]{1,5}(?:\.[0-9]+)?$") & ~found
    if serial_mask.any():
        whole = _numbers(_sub(pc.filter(t, pa.array(serial_mask)), r"\.[0-9]+$"))
        good = (whole >= 1) & (whole <= _EXCEL_SERIAL_MAX) & (whole != 60) & ~((whole >= 1900) & (whole <= 2100))
        days = np.where(whole < 60, whole + 1, whole)  # before the phantom 1900-02-29
        dates = (_EXCEL_EPOCH + days.astype("m8[D]")).astype("M8[ns]")
        dates[~good] = np.datetime64("NaT")
        out[serial_mask] = dates
    return out


def parse_date(s: pd.Series) -> pd.Series:
    """Dates to datetime64[ns] (NaT when unreadable): DD/MM/YYYY, D-M-YYYY, YYYY-MM-DD
    (with or without time), Excel serials, "12 Januari 1980", "12 Agt 1980", "12 Jan 1980".
    Two-digit years are not read (the century would be a guess)."""
    take, values = _distinct(_text(s))
    out = _date_core(values)
    return pd.Series(out if take is None else out[take], index=s.index, dtype="datetime64[ns]")


# ---------------------------------------------------------------------------
# Sex and yes/no
# ---------------------------------------------------------------------------

_SEX = {
    "L": "L",
    "LK": "L",
    "LAKI": "L",
    "LAKI LAKI": "L",
    "LAKILAKI": "L",
    "PRIA": "L",
    "M": "L",
    "MALE": "L",
    "COWOK": "L",
    "P": "P",
    "PR": "P",
    "PEREMPUAN": "P",
    "WANITA": "P",
    "F": "P",
    "FEMALE": "P",
    "W": "P",
    "CEWEK": "P",
}

_TRUE_WORDS = (
    "YA",
    "Y",
    "IYA",
    "YES",
    "1",
    "TRUE",
    "SUDAH",
    "PERNAH",
    "ADA",
    "AKTIF",
    "MASIH AKTIF",
    "MASIH BERJALAN",
    "BERJALAN",
    "SDH",
    "BENAR",
    "V",
)
_FALSE_WORDS = (
    "TIDAK",
    "T",
    "TDK",
    "TAK",
    "NO",
    "N",
    "0",
    "FALSE",
    "BELUM",
    "BLM",
    "TIDAK ADA",
    "TDK ADA",
    "BELUM PERNAH",
    "TIDAK PERNAH",
    "TIDAK AKTIF",
    "NONAKTIF",
    "NON AKTIF",
    "GAK",
    "ENGGAK",
    "NGGAK",
    "TUTUP",
    "BERHENTI",
    "SALAH",
)


def _flag_words(text: str) -> str:
    t = re.sub(r"[^A-Z0-9]+", " ", text.upper()).strip()
    return re.sub(r"^([01])(?: 0+)?$", r"\1", t)  # "1.0", "0.0" from Excel


def _map_per_unique(s: pd.Series, fn, dtype: str) -> pd.Series:
    idx, uniq = _encode(_text(s))
    mapped = pd.array([fn(v) for v in uniq.to_pylist()], dtype=dtype)
    return pd.Series(mapped.take(_np(idx).astype(np.intp)), index=s.index)


def normalise_sex(s: pd.Series) -> pd.Series:
    """L/P from L, P, LK, PR, Laki-laki, Pria, Perempuan, Wanita, M/F, Male/Female; else NA."""
    return _map_per_unique(s, lambda v: _SEX.get(_flag_words(v)), "str")


def _bool(value: str):
    words = _flag_words(value)
    if words in _TRUE_WORDS:
        return True
    if words in _FALSE_WORDS:
        return False
    first = words.split(" ", 1)[0]
    if len(first) > 1 and first in _FALSE_WORDS:  # "Tidak pernah ikut", "Belum, rencana"
        return False
    if len(first) > 1 and first in _TRUE_WORDS:  # "Ya, Shopee", "Sudah 2 kali"
        return True
    return None


def parse_bool(s: pd.Series) -> pd.Series:
    """Yes/no cells to the "boolean" dtype: Ya/Y/1/True/Sudah/Pernah/Ada -> True,
    Tidak/T/TDK/0/False/Belum/Tidak Ada -> False, blank, "-" and anything else NA."""
    return _map_per_unique(s, _bool, "boolean")
