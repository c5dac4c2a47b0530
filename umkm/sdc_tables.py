"""Actor attributes in, the statistics tables and the attacker's model of them out.

- ``count_table`` and ``magnitude_table``: every cell of the full cross product of the
  dimensions' categories, the unknown category ("") included, so each table adds up to the
  city total.
- ``microdata_bounds``: what the published microdata say about a table cell.
- ``build_model``: all tables as one sdc_audit.Model, with their additive relations.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

from umkm import sdc_audit, sdc_microdata, tables

MIN_PUBLISHED_COUNT = 5  # counts 1..4 are suppressed
MIN_CONTRIBUTORS = 3  # magnitude cells: threshold rule
P_PERCENT = 10  # magnitude cells: p% rule
MAX_TURNOVER = 50_000_000_000  # PP 7/2021: no UMKM sells more a year (bounds the microdata's top band)
MAX_CAPITAL = 10_000_000_000  # PP 7/2021: nor has more capital
MAX_WORKERS = 1_000_000  # no bound in law: only "no actors, no workers"
PER_ACTOR_MAX = {"omzet_per_tahun": MAX_TURNOVER, "modal_usaha": MAX_CAPITAL, "tenaga_kerja": MAX_WORKERS}
YES_NO = {True: "ya", False: "tidak"}
YES_NO_DIMENSIONS = ("pemasaran_online", "masih_aktif", "pelatihan", "bantuan_modal", "punya_nib")


def categories(reference) -> dict[str, list[str]]:
    return {
        "kecamatan_kode": sorted(reference.kecamatan["kode_kemendagri"]),
        "kelurahan_kode": sorted(reference.kelurahan["kode_kemendagri"]),
        "kbli_kategori": sorted(reference.kbli_kategori["kategori"]),
        "kbli_golongan_pokok": sorted(reference.kbli_golongan_pokok["golongan_pokok"]),
        "skala_usaha": ["mikro", "kecil", "menengah"],
        "jenis_kelamin": ["L", "P"],
        "kelompok_umur": [b[2] for b in sdc_microdata.AGE_LEVELS[1]],
        **{d: ["ya", "tidak"] for d in YES_NO_DIMENSIONS},
        "sentra": ["somber", "teritip", "bukan_sentra"],
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


def magnitude_protection(total, n, x1, x2) -> np.ndarray:
    """0 for a safe cell; else the protection level the p% rule asks for (at least 1 unit)."""
    total, n, x1, x2 = (np.asarray(a, dtype="float64") for a in (total, n, x1, x2))
    rest = total - x1 - x2
    level = P_PERCENT / 100.0 * x1 - rest
    sensitive = (n > 0) & ((n < MIN_CONTRIBUTORS) | (level > 0))
    return np.where(sensitive, np.maximum(level, 1.0), 0.0)


def _compatible(dim: str, pattern: dict, cats_of: list[str], parent_of) -> tuple[list[str], bool]:
    """The table categories a published record may fall in, and whether that is certain."""
    value = pattern.get(dim)
    if dim in ("pemasaran_online", "pelatihan", "bantuan_modal"):  # sensitive: never suppressed, blank = unknown
        return ([YES_NO[bool(value)]] if not _na(value) else [""]), True
    if dim in YES_NO_DIMENSIONS:
        return ([YES_NO[bool(value)]], True) if not _na(value) else (cats_of, False)
    if dim in ("kelurahan_kode", "kbli_golongan_pokok"):
        coarse = pattern.get("kecamatan_kode" if dim == "kelurahan_kode" else "kbli_kategori")
        if not _na(value):
            return [value], True
        if not _na(coarse):
            return [c for c in cats_of if c and parent_of(dim, c) == coarse] + [""], False
        return cats_of, False
    if dim == "kelompok_umur":
        if _na(value):
            return cats_of, False
        low, high = AGE_INTERVALS[value]
        inside = [c for c in cats_of if c and AGE_INTERVALS[c][0] < high and AGE_INTERVALS[c][1] > low]
        return inside, len(inside) == 1 and low >= AGE_INTERVALS[inside[0]][0] and high <= AGE_INTERVALS[inside[0]][1]
    return ([value], True) if not _na(value) else (cats_of, False)


AGE_INTERVALS = sdc_microdata.band_intervals(sdc_microdata.AGE_LEVELS)
WORKER_INTERVALS = {label: (low, high - 1) for label, (low, high) in
                    sdc_microdata.band_intervals(sdc_microdata.WORKER_LEVELS).items()}
TURNOVER_INTERVALS = {label: (low, min(high, MAX_TURNOVER)) for label, (low, high) in
                      sdc_microdata.band_intervals((sdc_microdata.TURNOVER_BANDS,)).items()}


def _na(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value))


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
            code, first = sdc_microdata.combine(parts) if parts else (np.zeros(len(self.microdata), np.int64),
                                                                      np.zeros(min(len(self.microdata), 1), np.int64))
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


def microdata_bounds(microdata: pd.DataFrame, dims, rows: pd.DataFrame, cats, parent_of, dropped: int,
                     amount: str | None = None, patterns: Patterns | None = None) -> tuple[np.ndarray, np.ndarray]:
    """What the published microdata say about each cell of a table: [certainly in, possibly in].

    For a count table, records; for a magnitude table (amount = turnover or workers), the sum of
    the records' band limits (a blank band adds nothing for turnover, which is never suppressed,
    and anything for workers). The dropped records may be anywhere.
    """
    columns = sorted({c for d in dims for c in _columns_for(d)} | ({_band_column(amount)} if amount else set()))
    keys, counts = (patterns or Patterns(microdata))(columns)
    position = {tuple(r): i for i, r in enumerate(rows[list(dims)].itertuples(index=False, name=None))}
    low = np.zeros(len(rows))
    high = np.zeros(len(rows))
    levels = [list(dict.fromkeys(rows[d])) for d in dims]
    for key, count in zip(keys, counts.tolist()):
        pattern = dict(zip(columns, key))
        options = [_compatible(d, pattern, lv, parent_of) for d, lv in zip(dims, levels)]
        lo_each, hi_each = (1.0, 1.0) if amount is None else _amount_interval(amount, pattern)
        certain = all(ok for _, ok in options)
        for combo in itertools.product(*[o for o, _ in options]):
            i = position.get(combo)
            if i is None:
                continue
            high[i] += count * hi_each
            if certain:
                low[i] += count * lo_each
    extra = dropped * (1.0 if amount is None else _amount_interval(amount, {})[1])
    return low, high + extra


def _columns_for(dim: str) -> tuple[str, ...]:
    return {"kelurahan_kode": ("kelurahan_kode", "kecamatan_kode"),
            "kbli_golongan_pokok": ("kbli_golongan_pokok", "kbli_kategori")}.get(dim, (dim,))


def _band_column(amount: str) -> str:
    return {"omzet_per_tahun": "kelompok_omzet", "tenaga_kerja": "kelompok_tenaga_kerja"}[amount]


def _amount_interval(amount: str, pattern: dict) -> tuple[float, float]:
    label = pattern.get(_band_column(amount))
    if amount == "omzet_per_tahun":
        return (0.0, float(MAX_TURNOVER)) if not pattern else (
            (0.0, 0.0) if _na(label) else tuple(float(v) for v in TURNOVER_INTERVALS[label]))
    if _na(label):
        return 0.0, np.inf
    low, high = WORKER_INTERVALS[label]
    return float(low), float(high) if high < 10**8 else np.inf


# The attacker's model -------------------------------------------------------------------------------------------

class TableState:
    """One published table as the audit sees it: true values, which cells are hidden and why."""

    def __init__(self, name: str, kind: str, frame: pd.DataFrame, value: np.ndarray, dims):
        self.name, self.kind, self.frame, self.dims = name, kind, frame, tuple(dims)
        self.value = np.asarray(value, dtype="float64")
        n = len(frame)
        self.rule = np.array([""] * n, dtype=object)  # "", primer, sekunder, selisih_rilis
        self.lower_protection = np.full(n, np.nan)
        self.upper_protection = np.full(n, np.nan)
        self.lower_bound = np.zeros(n)
        self.upper_bound = np.full(n, np.inf)

    @property
    def suppressed(self) -> np.ndarray:
        return self.rule != ""

    def mark(self, rows, rule: str, lower, upper) -> None:
        """Suppress the cells (first rule wins) and ask for at least this protection."""
        rows = np.asarray(rows, dtype=np.int64)
        lower = np.broadcast_to(np.asarray(lower, dtype="float64"), rows.shape)
        upper = np.broadcast_to(np.asarray(upper, dtype="float64"), rows.shape)
        self.rule[rows[self.rule[rows] == ""]] = rule
        self.lower_protection[rows] = np.fmax(self.lower_protection[rows], np.minimum(lower, self.value[rows]))
        self.upper_protection[rows] = np.fmax(self.upper_protection[rows], upper)


def parent_of(reference):
    kategori = dict(zip(reference.kbli_golongan_pokok["golongan_pokok"], reference.kbli_golongan_pokok["kategori"]))

    def parent(dim: str, code: str) -> str | None:
        if dim == "kelurahan_kode":
            return code[:8]
        if dim == "kbli_golongan_pokok":
            return kategori.get(code)
        raise KeyError(dim)

    return parent


def _marginal_relations(model: sdc_audit.Model, fine: TableState, coarse: TableState) -> None:
    """Each cell of the coarse table is the sum of the fine cells that agree with it."""
    dims = list(coarse.dims)
    position = {tuple(r): i for i, r in enumerate(coarse.frame[dims].itertuples(index=False, name=None))}
    members: dict[int, list[int]] = {}
    for j, r in enumerate(fine.frame[dims].itertuples(index=False, name=None)):
        members.setdefault(position[tuple(r)], []).append(model.index[f"{fine.name}|{j}"])
    for i, parts in sorted(members.items()):
        model.relate(model.index[f"{coarse.name}|{i}"], parts)


def _hierarchy_relations(model: sdc_audit.Model, fine: TableState, coarse: TableState, parent) -> None:
    """Fine codes add up to their parent plus a hidden count of the parent's actors whose fine code is
    unknown; the unknown fine code is those hidden counts plus the unknown parent."""
    (fdim,), (cdim,) = fine.dims, coarse.dims
    fine_codes = list(fine.frame[fdim])
    coarse_index = {c: i for i, c in enumerate(coarse.frame[cdim])}
    hidden = []
    for code, i in coarse_index.items():
        if code == "":
            continue
        children = [j for j, f in enumerate(fine_codes) if f and parent(fdim, f) == code]
        rest = coarse.value[i] - fine.value[children].sum()
        if rest < 0:
            raise ValueError(f"{fine.name} does not add up within {coarse.name} {code}")
        h = model.add(f"~{fine.name}|{code}", rest, hidden=True)
        hidden.append(h)
        model.relate(model.index[f"{coarse.name}|{i}"], [model.index[f"{fine.name}|{j}"] for j in children] + [h])
    unknown_fine = fine_codes.index("")
    model.relate(model.index[f"{fine.name}|{unknown_fine}"], hidden + [model.index[f"{coarse.name}|{coarse_index['']}"]])


def build_model(states: dict[str, TableState], reference) -> sdc_audit.Model:
    """Every table's cells as variables (published ones constant) and every relation between them."""
    model = sdc_audit.Model()
    for state in states.values():
        scale = 1.0 if state.kind == "count" else max(1.0, float(state.value.max(initial=0.0)))
        for i in range(len(state.frame)):
            model.add(f"{state.name}|{i}", state.value[i], suppressed=bool(state.suppressed[i]),
                      lower_protection=state.lower_protection[i], upper_protection=state.upper_protection[i],
                      lower_bound=state.lower_bound[i], upper_bound=state.upper_bound[i], scale=scale)
    # Every count table adds up to the number of actors; the magnitude tables of one amount to its total.
    counts = [s for s in states.values() if s.kind == "count"]
    if counts:
        city = model.add("~kota|jumlah_pelaku", counts[0].value.sum(), hidden=True)
        for s in counts:
            model.relate(city, [model.index[f"{s.name}|{i}"] for i in range(len(s.frame))])
    by_measure: dict[str, list[TableState]] = {}
    for s in states.values():
        if s.kind != "count":
            by_measure.setdefault(s.kind, []).append(s)
    for measure, group in sorted(by_measure.items()):
        total = model.add(f"~kota|{measure}", group[0].value.sum(), hidden=True, scale=max(
            1.0, float(max(g.value.max(initial=0.0) for g in group))))
        for s in group:
            model.relate(total, [model.index[f"{s.name}|{i}"] for i in range(len(s.frame))])
    # Cross tables add up to the tables over fewer of their dimensions.
    for fine in counts:
        for coarse in counts:
            if fine is not coarse and set(coarse.dims) < set(fine.dims):
                _marginal_relations(model, fine, coarse)
    # A magnitude cell holds at most the cell's actors times the most one actor can have (0 without actors).
    for s in states.values():
        if s.kind == "count":
            continue
        count_table = [c for c in counts if c.dims == s.dims]
        if not count_table:
            continue
        c = count_table[0]
        position = {tuple(r): i for i, r in enumerate(c.frame[list(c.dims)].itertuples(index=False, name=None))}
        cap = float(PER_ACTOR_MAX[s.kind])
        for i, key in enumerate(s.frame[list(s.dims)].itertuples(index=False, name=None)):
            j = position[tuple(key)]
            slack_value = cap * c.value[j] - s.value[i]
            if slack_value < 0:
                raise ValueError(f"{s.name}: an actor above the legal maximum of {s.kind}")
            scale = model.scale[model.index[f"{s.name}|{i}"]]
            slack = model.add(f"~{s.name}|{i}|ruang", slack_value, hidden=True, scale=scale)
            model.relate_linear({model.index[f"{c.name}|{j}"]: cap, model.index[f"{s.name}|{i}"]: -1.0, slack: -1.0})
    parent = parent_of(reference)
    for fine_dim, coarse_dim in (("kelurahan_kode", "kecamatan_kode"), ("kbli_golongan_pokok", "kbli_kategori")):
        fine = [s for s in counts if s.dims == (fine_dim,)]
        coarse = [s for s in counts if s.dims == (coarse_dim,)]
        if fine and coarse:
            _hierarchy_relations(model, fine[0], coarse[0], parent)
    return model
