"""The input's identifiers in, what the public output must never hold out: the Identifiers record.

``Identifiers.from_rows`` takes every NIK, NIB, phone number, e-mail and owner name of the input
(the numbers as ``Numbers``: one sorted array of fixed-width bytes), each with the input cell that
holds it, so that a finding names the row for staff to look at; owner "names" made only of ordinary
words (a kelurahan such as "Mekar Sari", "Usaha Mikro": ``ordinary_words``, ``site_words``) are not
looked for, as the site writes them itself. ``environment_secrets`` picks the secrets of the build's
environment (the pseudonymisation key, tokens). umkm/gates/scanner.py looks for all of them in the
built files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from umkm import paths
from umkm.reconcile import normalise

MIN_DIGITS = 10  # a run of fewer digits is no identifier


class Numbers:
    """A set of numbers written as ASCII digits, MIN_DIGITS or more (no other can be found in a text), kept as
    one sorted array of fixed-width bytes: a register's millions take tens of megabytes, not hundreds, and
    forked scan workers share them as they are."""

    def __init__(self, table: np.ndarray, where: np.ndarray | None = None):
        self.table = table
        self.where = where  # per number, the Origins code of the first input cell that holds it (or None)

    @classmethod
    def of(cls, values, where: list[np.ndarray] | None = None) -> "Numbers":
        """From a list of Arrow string arrays, or any iterable of str; the values that are no number are left out.
        ``where``: per array, the Origins code of each value (the first one is kept for a number)."""
        values = list(values)
        if not all(isinstance(v, (pa.Array, pa.ChunkedArray)) for v in values):
            values = [pa.array(values, type=pa.large_string())]
        parts, codes = [np.empty(0, dtype="S1")], [np.empty(0, dtype=np.int64)]
        for index, part in enumerate(values):  # one at a time: Arrow's copies stay small
            array = part.combine_chunks() if isinstance(part, pa.ChunkedArray) else part
            kept = _numbers_mask(array)
            parts.append(_fixed_width(array.filter(kept)))
            if where is not None:
                codes.append(np.asarray(where[index], dtype=np.int64)[kept.to_numpy(zero_copy_only=False)])
            pa.default_memory_pool().release_unused()
        table = np.concatenate(parts)  # the widest part's width
        parts.clear()
        located = np.concatenate(codes) if where is not None else None
        # Each number once, at its first known input cell (a value from the normalised rows may carry none).
        order = np.lexsort((located < 0, table)) if located is not None else np.argsort(table, kind="stable")
        table = table[order]
        distinct = np.ones(len(table), dtype=np.bool_)
        distinct[1:] = table[1:] != table[:-1]
        return cls(table[distinct], located[order][distinct] if located is not None else None)

    def among(self, candidates) -> set[str]:
        """The candidates (bytes) that are in the set."""
        return set(self.located(candidates))

    def located(self, candidates) -> dict[str, int]:
        """The candidates (bytes) that are in the set, with the Origins code of each (-1: unknown)."""
        width = self.table.dtype.itemsize
        candidates = [c for c in candidates if len(c) <= width]
        if not candidates or not len(self.table):
            return {}
        wanted = np.array(candidates, dtype=self.table.dtype)
        at = np.minimum(np.searchsorted(self.table, wanted), len(self.table) - 1)
        where = self.where if self.where is not None else np.full(len(self.table), -1, dtype=np.int64)
        return {
            c.decode("ascii"): int(where[i])
            for c, i, hit in zip(candidates, at.tolist(), (self.table[at] == wanted).tolist(), strict=True)
            if hit
        }

    def __len__(self) -> int:
        return len(self.table)


def _numbers_mask(values: pa.Array) -> pa.Array:
    """True where a value is a string of ASCII digits, MIN_DIGITS or more."""
    values = values.cast(pa.large_string())
    return pc.fill_null(
        pc.and_(pc.greater_equal(pc.utf8_length(values), MIN_DIGITS), pc.match_substring_regex(values, "^[0-9]+$")),
        False,
    )


def _fixed_width(values: pa.Array) -> np.ndarray:
    """The strings of ASCII digits (all MIN_DIGITS or more: _numbers_mask) as fixed-width bytes (numpy "S")."""
    values = values.cast(pa.large_string())
    if not len(values):
        return np.empty(0, dtype="S1")
    width = pc.max(pc.utf8_length(values)).as_py()
    padded = pc.utf8_rpad(values, width=width, padding="\x00")  # each value `width` bytes, one after another
    offsets = np.frombuffer(padded.buffers()[1], dtype=np.int64)[padded.offset : padded.offset + len(padded) + 1]
    return np.frombuffer(padded.buffers()[2], dtype=f"S{width}", count=len(padded), offset=int(offsets[0])).copy()


_LOOKED_AT = ("nik", "nib", "no_hp", "no_telp", "nama_pemilik", "nama_pelaku_usaha", "email")  # column codes


def _code(frame: int, column: str, rows) -> np.ndarray:
    """Origins codes of input cells: the frame's index, the column and the data row (source_row)."""
    return (np.int64(frame) << 48) | (np.int64(_LOOKED_AT.index(column)) << 40) | np.asarray(rows, dtype=np.int64)


@dataclass(frozen=True)
class Identifiers:
    """What must never be published: digit strings and owner names from the input, and where each came from."""

    numbers: Numbers  # NIK (16), NIB (13) and phone digits, in every written form (any iterable of str is taken)
    names: frozenset[str]  # owner names of two or more words, upper case
    emails: frozenset[str]
    where: dict = field(default_factory=dict)  # name or e-mail -> Origins code of its first input cell
    origins: tuple = ()  # per input frame: (file name, 1-based row of its header), to name a row as staff see it
    skipped_names: int = 0  # owner "names" made only of ordinary words, not looked for

    def __post_init__(self):
        if not isinstance(self.numbers, Numbers):
            object.__setattr__(self, "numbers", Numbers.of(self.numbers))

    def describe(self, code: int) -> str:
        """'ods.xlsx row 18, column nama_pemilik' for an Origins code ('' when unknown)."""
        frame, column, row = code >> 48, (code >> 40) & 0xFF, code & ((1 << 40) - 1)
        if code < 0 or frame >= len(self.origins):
            return ""
        file, header_row = self.origins[frame]
        return f"{file} row {header_row + row}, column {_LOOKED_AT[column]}"

    @classmethod
    def from_rows(
        cls,
        raw_frames: list[pd.DataFrame],
        normalised: pd.DataFrame,
        header_words: tuple[str, ...] = (),
        origins: tuple = (),
        sources: tuple[str, ...] = (),
        ordinary: frozenset[str] = frozenset(),
    ) -> "Identifiers":
        """``origins``: per raw frame, (file name, header row); ``sources``: per raw frame, its source ("ods",
        "oss"), to place the rows of ``normalised`` (its source and source_row columns); ``ordinary``: words
        the site writes itself (ordinary_words): a name made only of them is not looked for."""

        def text(series: pd.Series, distinct: bool = False) -> pd.Series:
            if distinct:  # each value once (the first): the steps after are value by value, and names repeat
                series = series.dropna()
                series = series[~series.duplicated()]
            return series.dropna().astype(str)

        found: dict[str, list[pa.Array]] = {"numbers": [], "names": [], "emails": []}
        located: dict[str, list[np.ndarray]] = {"numbers": [], "names": [], "emails": []}

        def add(kind: str, series: pd.Series, codes) -> None:
            values = pa.array(series, type=pa.large_string(), from_pandas=True)
            found[kind].append(values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values)
            located[kind].append(np.asarray(codes, dtype=np.int64))

        def rows_of(frame: pd.DataFrame, series: pd.Series) -> np.ndarray:
            if "source_row" not in frame:
                return np.full(len(series), -1, dtype=np.int64)
            return frame["source_row"].reindex(series.index).to_numpy(dtype=np.int64)

        frame_of = {source: index for index, source in enumerate(sources)}
        if "source" in normalised and "source_row" in normalised and sources:
            frames = normalised["source"].map(frame_of).fillna(-1).to_numpy(dtype=np.int64)
        else:
            frames = np.full(len(normalised), -1, dtype=np.int64)

        def normalised_codes(series: pd.Series, column: str) -> np.ndarray:
            at = normalised.index.get_indexer(series.index)
            rows = normalised["source_row"].to_numpy(dtype=np.int64)[at] if "source_row" in normalised else at
            codes = _code(0, column, rows) | (frames[at] << 48)
            return np.where(frames[at] >= 0, codes, -1)

        for column in ("nik", "nib"):
            values = text(normalised[column])
            add("numbers", values, normalised_codes(values, column))
        phones = text(normalised["phone"]).str.lstrip("+")
        add("numbers", phones, normalised_codes(phones, "no_hp"))
        add("numbers", "0" + phones.str[2:], normalised_codes(phones, "no_hp"))
        for index, frame in enumerate(raw_frames):
            for column in ("nik", "nib", "no_hp", "no_telp"):
                if column in frame:  # each number of a cell ("0811... / 0812..."), digits only
                    values = text(frame[column])
                    several = values.str.contains(_SEPARATORS)
                    values = pd.concat([values[~several], values[several].str.split(_SEPARATORS).explode()])
                    add(
                        "numbers",
                        values.str.replace(r"\D", "", regex=True),
                        _code(index, column, rows_of(frame, values)),
                    )
            for column in ("nama_pemilik", "nama_pelaku_usaha"):
                if column in frame:
                    original = text(frame[column], distinct=True)
                    keys = original.str.upper().str.replace(r"[^A-Z]+", " ", regex=True).str.strip()
                    keys = keys[keys.str.contains(" ", regex=False)]
                    add("names", keys, _code(index, column, rows_of(frame, keys)))
            if "email" in frame:
                emails = text(frame["email"], distinct=True).str.strip().str.lower()
                emails = emails[emails.str.contains("@", regex=False)]
                add("emails", emails, _code(index, "email", rows_of(frame, emails)))
        numbers = Numbers.of(found["numbers"], located["numbers"])
        where: dict[str, int] = {}
        kept: dict[str, set[str]] = {}
        for kind in ("names", "emails"):
            values = pa.concat_arrays(found[kind] or [pa.array([], pa.large_string())]).to_numpy(zero_copy_only=False)
            codes = np.concatenate(located[kind] or [np.empty(0, dtype=np.int64)])
            for value, code in zip(values.tolist()[::-1], codes.tolist()[::-1], strict=True):  # the first wins
                where[value] = code
            kept[kind] = set(values.tolist())
        found.clear()
        pa.default_memory_pool().release_unused()
        names = kept["names"]
        # A header row pasted into the data ("NAMA PEMILIK") is not a person's name; nor is a kelurahan
        # ("MEKAR SARI") or "USAHA MIKRO": the site writes those itself, and a match would be a false alarm.
        names -= {_name_key(h) for h in header_words}
        plain = {n for n in names if ordinary and all(word in ordinary for word in n.split())}
        names -= plain
        where = {k: v for k, v in where.items() if k in names or k in kept["emails"]}
        return cls(numbers, frozenset(names), frozenset(kept["emails"]), where, tuple(origins), len(plain))


def ordinary_words(texts) -> frozenset[str]:
    """The words (runs of ASCII letters, upper case, two letters or more) of texts the site publishes by itself:
    the reference data (kelurahan and kecamatan names, KBLI titles), the hand-written pages and templates."""
    words: set[str] = set()
    for text in texts:
        words.update(re.findall(r"[A-Z]{2,}", text.upper()))
    return frozenset(words)


def site_words() -> frozenset[str]:
    """The words the site writes by itself (reference data, hand-written pages, page templates): an owner
    "name" made only of them ("Mekar Sari", "Usaha Mikro") is not looked for. The build's gate and
    ``python -m umkm.gates scan`` both use them."""
    files = [p for p in sorted(paths.REFERENCE.glob("*.csv")) if not p.name.startswith("indonesia_mobile")]
    files += sorted(paths.DOCS.rglob("*.md")) + sorted((paths.PACKAGE / "site" / "templates").rglob("*"))
    return ordinary_words(
        p.read_text(encoding="utf-8", errors="replace") for p in files if p.is_file() and not p.is_symlink()
    )


_SECRET_NAME = re.compile(r"KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|PRIVATE|COOKIE|SESSION|EXPORT_URL", re.I)
MIN_SECRET_CHARS = 8


def environment_secrets(environ, exclude=()) -> dict[str, str]:
    """Values of the environment that must never be published: UMKM_PSEUDONYM_KEY, tokens, passwords (by the
    variable's name), at least MIN_SECRET_CHARS long; ``exclude``: values that are public (the demo key)."""
    return {
        name: value
        for name, value in sorted(environ.items())
        if _SECRET_NAME.search(name) and len(value.strip()) >= MIN_SECRET_CHARS and value not in exclude
    }


_SEPARATORS = re.compile(normalise.PHONE_SEPARATORS, re.IGNORECASE)  # between two numbers of one cell


def _name_key(text: str) -> str:
    return " ".join(re.sub(r"[^A-Z ]+", " ", text.upper()).split())
