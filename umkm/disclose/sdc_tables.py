"""Actor attributes and record keys in, the statistics tables' true and perturbed cells out.

- ``count_table`` and ``magnitude_table``: every cell of the full cross product of the
  dimensions' categories, the unknown category ("") included, so the true cells of each
  table add up to the city total.
- ``TableKeys``: one table's true cells with what the cell key method (umkm/disclose/ckm.py) needs:
  each cell's key (its contributors' record keys), each row's key (the second record keys of
  everyone in the cells that share the attacker-known categories), and the published value
  for any choice of retries.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from umkm.disclose import ckm, sdc_microdata, tables
from umkm.vocabulary import NO, NOT_IN_SENTRA, SENTRA_CODES, SIZE_CODES, VALUE_LABELS, YES, YES_NO_DIMENSIONS

YES_NO = {True: YES, False: NO}


def categories(reference) -> dict[str, list[str]]:
    return {
        "kecamatan_kode": sorted(reference.kecamatan["kode_kemendagri"]),
        "kelurahan_kode": sorted(reference.kelurahan["kode_kemendagri"]),
        "kbli_kategori": sorted(reference.kbli_kategori["kategori"]),
        "kbli_golongan_pokok": sorted(reference.kbli_golongan_pokok["golongan_pokok"]),
        "skala_usaha": list(SIZE_CODES),
        "jenis_kelamin": [value for value, _, _ in VALUE_LABELS["jenis_kelamin"]],
        "kelompok_umur": [b[2] for b in sdc_microdata.AGE_LEVELS[1]],
        **{d: [YES, NO] for d in YES_NO_DIMENSIONS},
        "sentra": [*SENTRA_CODES, NOT_IN_SENTRA],
    }


class Keys:
    """Each dimension's table category of every record ("" unknown; yes/no as ya/tidak), worked out once
    per distinct value of the frame's column and kept for the next table over the same dimension."""

    def __init__(self, frame: pd.DataFrame):
        self.frame, self._cache, self._amounts, self._cells = frame, {}, {}, {}

    def cells(self, dims, cats) -> tuple[np.ndarray, list[list[str]]]:
        """_cells(self, dims, cats), kept for the next table over the same dimensions."""
        if tuple(dims) not in self._cells:
            self._cells[tuple(dims)] = _cells(self, dims, cats)
        return self._cells[tuple(dims)]

    def amounts(self, measure: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The records with a recorded amount, their amounts, and those records ordered by amount, the
        largest first (stable: ties keep the frame's order)."""
        if measure not in self._amounts:
            amount = pd.to_numeric(self.frame[measure], errors="coerce")
            known = amount.notna().to_numpy()
            v = amount[known].astype("float64").to_numpy()
            self._amounts[measure] = (known, v, np.argsort(-v, kind="stable"))
        return self._amounts[measure]

    def __call__(self, dim: str) -> tuple[np.ndarray, list[str]]:
        """Per record the index of its category in the list of categories (the last one is "")."""
        if dim not in self._cache:
            code, uniques = pd.factorize(self.frame[dim])  # NA -> -1
            values = pd.Series(uniques)
            if dim in YES_NO_DIMENSIONS:
                values = values.map(YES_NO, na_action="ignore")
            labels = values.astype("string").fillna("").tolist() + [""]
            self._cache[dim] = (np.where(code < 0, len(uniques), code), labels)
        return self._cache[dim]


def _cells(keys: Keys, dims, cats) -> tuple[np.ndarray, list[list[str]]]:
    """Per record its cell in the full cross product of the dimensions' categories (row-major, as
    pd.MultiIndex.from_product orders them), and those categories: the reference's, then any other value
    seen, then the unknown ("")."""
    cell = np.zeros(len(keys.frame), dtype=np.int64)
    levels = []
    for d in dims:
        code, labels = keys(d)
        seen = sorted(set(labels[:-1]) - {""})
        known = list(cats.get(d, seen))
        level = known + [v for v in seen if v not in known] + [""]
        position = {v: i for i, v in enumerate(level)}
        cell = cell * len(level) + np.array([position[v] for v in labels], dtype=np.int64)[code]
        levels.append(level)
    return cell, levels


def _cell_index(cells: np.ndarray, levels: list[list[str]], dims) -> pd.MultiIndex:
    """The cells' categories as a MultiIndex of text columns (as a groupby over the text columns has it)."""
    arrays = []
    for level in reversed(levels):
        arrays.append(pd.array(np.asarray(level, dtype=object)[cells % len(level)], dtype="string"))
        cells = cells // len(level)
    return pd.MultiIndex.from_arrays(arrays[::-1], names=list(dims))


def _table_index(cells: np.ndarray, levels, dims) -> pd.MultiIndex:
    """The index ``pd.Series(..., index=<the cells' categories>).reindex(<every cell>)`` ends with: the
    cells' own when they list every cell in order (so the dimension columns of the table keep the type
    they always had), else the full cross product."""
    size = int(np.prod([len(level) for level in levels]))
    if len(cells) == size and np.array_equal(cells, np.arange(size)):
        return _cell_index(cells, levels, dims)
    return pd.MultiIndex.from_product(levels, names=list(dims))


def count_table(detail: pd.DataFrame, dims, cats, keys: Keys | None = None) -> pd.DataFrame:
    """Counts over the full cross product of the dimensions' categories, unknown ("") included, zeros too."""
    cell, levels = (keys or Keys(detail)).cells(dims, cats)
    counts = np.bincount(cell, minlength=int(np.prod([len(level) for level in levels]))).astype("int64")
    # The cells seen, in the order DataFrame.value_counts lists them (first seen, then the largest first).
    first = np.full(len(counts), len(cell))
    np.minimum.at(first, cell, np.arange(len(cell)))
    seen = np.flatnonzero(counts)
    seen = seen[np.argsort(first[seen], kind="stable")]
    seen = seen[np.argsort(-counts[seen], kind="stable")]
    return pd.Series(counts, index=_table_index(seen, levels, dims)).reset_index(name=tables.COUNT)


def magnitude_table(detail: pd.DataFrame, spec: tables.MagnitudeSpec, cats, keys: Keys | None = None) -> pd.DataFrame:
    """Sum, contributors and the two largest contributions per cell (actors with a recorded amount)."""
    dims = list(spec.dimensions)
    keys = keys or Keys(detail)
    cell, levels = keys.cells(dims, cats)
    known, v, by_amount = keys.amounts(spec.measure)
    cell = cell[known]
    small = cell.astype(np.min_scalar_type(max(int(cell.max(initial=0)), 1)))  # a radix sort for small codes
    order = by_amount[np.argsort(small[by_amount], kind="stable")]  # by cell, the largest amount first
    cell, v = cell[order], v[order]
    starts = np.flatnonzero(np.r_[True, cell[1:] != cell[:-1]]) if len(cell) else np.zeros(0, dtype=np.int64)
    n = np.diff(np.r_[starts, len(cell)])
    total = pd.Series(v).groupby(cell, sort=False).sum().to_numpy()  # pandas' (compensated) sum, cell by cell
    # Cells in the order of their categories' text (as sorting the actors by them lists them).
    at = cell[starts]
    text = list(_cell_index(at, levels, dims))
    by_text = sorted(range(len(at)), key=text.__getitem__)
    at, starts, n, total = at[by_text], starts[by_text], n[by_text], total[by_text]
    second = n > 1
    size = int(np.prod([len(level) for level in levels]))
    stats = {name: np.zeros(size) for name in ("total", "n", "x1", "x2")}
    stats["total"][at], stats["n"][at], stats["x1"][at] = total, n, v[starts]
    stats["x2"][at[second]] = v[starts[second] + 1]
    return pd.DataFrame(stats, index=_table_index(at, levels, dims)).reset_index()


class Patterns:
    """Distinct combinations of published microdata values over some columns, with their records.

    The records are first grouped into rows that agree on every column of ``columns`` (all but
    identifiers: the published records fall into few such rows), in order of first appearance; a
    combination over some of those columns is then a grouping of those rows, in the same order as
    ``groupby(sort=False, dropna=False)`` over the records gives it, with a blank as None."""

    def __init__(self, microdata: pd.DataFrame, columns=None):
        self.microdata, self._codes, self._values = microdata, {}, {}
        self.columns = list(microdata.columns if columns is None else columns)
        self._rows: tuple[np.ndarray, np.ndarray] | None = None

    def factorized(self, column: str) -> tuple[np.ndarray, object]:
        """pd.factorize of a microdata column (NA -> -1), kept."""
        if column not in self._codes:
            self._codes[column] = pd.factorize(self.microdata[column])
        return self._codes[column]

    def rows(self) -> tuple[np.ndarray, np.ndarray]:
        """The first record of each row and the records in it."""
        if self._rows is None:
            parts = [(self.factorized(c)[0].astype(np.int64) + 1, len(self.factorized(c)[1]) + 1) for c in self.columns]
            code, first = (
                sdc_microdata.combine(parts)
                if parts
                else (np.zeros(len(self.microdata), np.int64), np.zeros(min(len(self.microdata), 1), np.int64))
            )
            self._rows = first, np.bincount(code, minlength=len(first))
        return self._rows

    def row_codes(self, column: str) -> np.ndarray:
        """The column's factorised value in each row (NA -> -1)."""
        return self.factorized(column)[0][self.rows()[0]]

    def row_values(self, column: str) -> np.ndarray:
        """The column's value in each row as a Python object (a blank as None), kept."""
        if column not in self._values:
            values = self.microdata[column].iloc[self.rows()[0]]
            self._values[column] = values.astype(object).where(values.notna(), None).to_numpy()
        return self._values[column]

    def __call__(self, columns: list[str]) -> tuple[list[tuple], np.ndarray]:
        if not set(columns) <= set(self.columns):
            raise KeyError(f"not among the grouped columns: {sorted(set(columns) - set(self.columns))}")
        first, weight = self.rows()
        parts = [(self.row_codes(c).astype(np.int64) + 1, len(self.factorized(c)[1]) + 1) for c in columns]
        code, representative = sdc_microdata.combine(parts)
        keys = list(zip(*(self.row_values(c)[representative] for c in columns)))
        return keys, np.bincount(code, weights=weight, minlength=len(representative)).astype(np.int64)


# The cell key method over the tables --------------------------------------------------------------------------

# What an attacker knows about a neighbour (the threat model in umkm/disclose/anonymise.py): where the business is, its kind
# of business, the owner's sex and rough age, and whether it sits in a sentra. The other dimensions (online
# selling, the grant, training, NIB, size class, still active) are what the tables must not give away.
KNOWN_DIMENSIONS = frozenset(
    {
        "kecamatan_kode",
        "kelurahan_kode",
        "kbli_kategori",
        "kbli_golongan_pokok",
        "jenis_kelamin",
        "kelompok_umur",
        "sentra",
    }
)


class TableKeys:
    """One table's true cells and their keys (umkm/disclose/ckm.py).

    ``record_cell``: each record's cell (-1 for a magnitude table's records without the amount). ``row``: each
    cell's row, the cells that share the table's known dimensions, when the table has an unknown dimension
    (else None: each cell is keyed by its own contributors only). ``retry``: per row (count tables) or per cell
    (magnitude tables), how many times the key was moved on (umkm/disclose/sdc_releases.py chooses it).
    """

    def __init__(
        self,
        name: str,
        kind: str,
        dims,
        frame: pd.DataFrame,
        value: np.ndarray,
        record_cell: np.ndarray,
        levels: list[list[str]],
        record_keys: np.ndarray,
        row_keys: np.ndarray,
        largest: np.ndarray | None = None,
    ):
        self.name, self.kind, self.dims, self.frame = name, kind, tuple(dims), frame
        self.value = np.asarray(value, dtype=np.float64)
        self.record_cell, self.levels = record_cell, levels
        self.largest = largest
        n = len(self.value)
        self.cell_sum = ckm.key_sums(record_cell, record_keys, n)
        sizes = [len(level) for level in levels]
        known = [i for i, d in enumerate(self.dims) if d in KNOWN_DIMENSIONS]
        if len(known) == len(self.dims):
            self.row, self.row_sum = None, np.zeros(0, dtype=np.int64)
        else:
            codes = np.arange(n)
            per_dim = []
            for size in reversed(sizes):
                per_dim.append(codes % size)
                codes = codes // size
            per_dim = per_dim[::-1]
            row = np.zeros(n, dtype=np.int64)
            for i in known:
                row = row * sizes[i] + per_dim[i]
            self.row = row
            n_rows = int(np.prod([sizes[i] for i in known])) if known else 1
            record_row = np.where(record_cell >= 0, row[np.maximum(record_cell, 0)], -1)
            self.row_sum = ckm.key_sums(record_row, row_keys, n_rows)
        self.value_key = ckm.value_key(self.value) if kind != "count" else np.zeros(n, dtype=np.int64)

    @property
    def retry_size(self) -> int:
        """How many retry counters the table has: one per row (counts), one per cell (magnitudes), else none."""
        if self.kind != "count":
            return len(self.value)
        return 0 if self.row is None else len(self.row_sum)

    def cell_keys(self, retry: np.ndarray | None = None) -> np.ndarray:
        keys = self.cell_sum + self.value_key
        if self.row is not None:
            keys = keys + self.row_sum[self.row]
        if retry is not None and len(retry):
            keys = keys + ckm.RETRY_STEP * (retry[self.row] if self.kind == "count" else retry)
        return keys % ckm.MODULUS

    def published(self, retry: np.ndarray | None = None) -> np.ndarray:
        keys = self.cell_keys(retry)
        if self.kind == "count":
            return ckm.ptable().perturb(self.value.astype(np.int64), keys)
        return ckm.perturb_magnitude(self.value, self.largest, keys, self.kind)


def table_keys(
    detail: pd.DataFrame, reference, record_keys: np.ndarray, row_keys: np.ndarray, keys: Keys | None = None
) -> dict[str, TableKeys]:
    """Every count and magnitude table of the release, true values and keys (records in ``detail``'s order)."""
    cats = categories(reference)
    keys = keys or Keys(detail)
    out: dict[str, TableKeys] = {}
    for spec in tables.COUNT_TABLES:
        frame = count_table(detail, spec.dimensions, cats, keys)
        cell, levels = keys.cells(spec.dimensions, cats)
        out[spec.name] = TableKeys(
            spec.name,
            "count",
            spec.dimensions,
            frame,
            frame[tables.COUNT].to_numpy(),
            cell,
            levels,
            record_keys,
            row_keys,
        )
    for spec in tables.MAGNITUDE_TABLES:
        frame = magnitude_table(detail, spec, cats, keys)
        cell, levels = keys.cells(spec.dimensions, cats)
        known = keys.amounts(spec.measure)[0]
        out[spec.name] = TableKeys(
            spec.name,
            spec.measure,
            spec.dimensions,
            frame,
            frame["total"].to_numpy(),
            np.where(known, cell, -1),
            levels,
            record_keys,
            row_keys,
            largest=frame["x1"].to_numpy(),
        )
    return out
