"""Normalised rows in, a cluster label per row out: which rows are the same UMKM actor.

Fellegi-Sunter record linkage with blocking, run by splink on its DuckDB backend (the
same settings would run on splink's Spark backend):

1. Blocking (umkm/reconcile/blocking.py, as splink blocking rules): only rows that share a
   NIB, a NIK, an owner name and birth date, an owner name and phone, ... are compared, in
   blocks of bounded size; the weak keys (a name or a birth date within a kelurahan, ...)
   pair a row only with rows whose NIK is unknown. So the number of pairs grows with the
   register, not with its square.
2. Comparison and scoring (splink comparisons, COMPARISONS): each candidate pair gets an
   agreement level per field (NIK, owner name, business name, phone, birth date,
   kelurahan, KBLI); the match weight is the sum of the levels' log2(m/u) under a model
   (umkm/reconcile/linkage_model.py): the fixed weights, set by hand, or m and u learnt from the
   register by splink and kept in a model file, with the owner's and business names'
   agreement weighed by how common the name is. Scoring never trains: a given model
   gives the same scores to the same rows. The prior is set so that splink's match
   probability is one half exactly where the weight is the model's threshold. A pair is
   a match only above the threshold: at the threshold itself (a tie, frequent with the
   fixed weights in steps of 0.5) the two rows are as likely the same actor as not, and
   merging two people hides one of them while a missed merge stays visible: the review
   workbook shows the pairs near the threshold, ties included, so staff can correct them.
   The NIB is not scored: a shared NIB links two rows by rule.
3. Clustering (here, not in splink: splink's clustering cannot refuse a merge): pairs are
   merged from the strongest down with union-find, refusing any merge that would put two
   different NIBs, two clearly different businesses of the same owner, or two clearly
   different NIKs (not one digit apart) into one actor. An actor is a business, not a
   person: one owner (one NIK) may run two businesses, and OSS gives each its own NIB; and
   a business has one owner, so a row that knows neither NIK cannot chain two owners'
   rows together. Where no merge can be refused (a connected group of pairs with one NIB
   and one NIK at most, and similar business names only), the group is the cluster.

Deterministic: pairs are processed in a fixed order (NIB first, then weight, then row
numbers), so the same input always gives the same clusters.

The comparisons use DuckDB's own SQL functions, except ``fuzz_ratio`` (rapidfuzz's ratio,
the normalised Indel similarity, 0-100) and ``same_business`` (umkm.reconcile.business_name.similar),
registered on the DuckDB connection; on Spark they would be registered the same way, as
pandas UDFs.
"""

from __future__ import annotations

import logging
import os

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from rapidfuzz import fuzz
from rapidfuzz.process import cpdist
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from umkm.reconcile import blocking, business_name
from umkm.reconcile.identity import arrow_array
from umkm.reconcile.linkage_model import FIXED, MATCH_THRESHOLD, TF_FIELDS, Model

NAME_RATIO = 80.05  # fuzz.ratio at or above which two spellings of an owner's name are similar
_MAX_NAMES = 50  # a component with more business names goes through the union-find without a check


def _either_within(left: str, right: str) -> str:
    """SQL: the words of one side all among the other's."""
    return f"list_has_all({left}, {right}) OR list_has_all({right}, {left})"


# The agreement levels of each field, strongest first, as SQL over the left (_l) and right
# (_r) row; a field not equal and in no level is "different", one with a side unknown "missing".
_OWNER_WORDS = ("str_split(nama_pemilik_key_l, ' ')", "str_split(nama_pemilik_key_r, ' ')")
COMPARISONS = {
    "nik": (
        "nik",
        [
            # One mistyped digit, or two neighbouring digits swapped.
            (
                "near",
                "length(nik_l) = length(nik_r) AND (hamming(nik_l, nik_r) = 1 "
                "OR hamming(nik_l, nik_r) = 2 AND damerau_levenshtein(nik_l, nik_r) = 1)",
            ),
        ],
    ),
    "name": (
        "nama_pemilik_key",
        [
            # One name's words all in the other ("SITI AMINAH" / "HJ SITI AMINAH"), or a typo.
            (
                "similar",
                f"{_either_within(*_OWNER_WORDS)} "
                f"OR fuzz_ratio(nama_pemilik_key_l, nama_pemilik_key_r) >= {NAME_RATIO}",
            ),
        ],
    ),
    "business": (
        "nama_usaha_key",
        [
            # The same business written two ways (umkm.reconcile.business_name.similar): a typo, the kind
            # of place renamed or dropped, the city added, the words swapped.
            ("similar", "same_business(nama_usaha_key_l, nama_usaha_key_r)"),
        ],
    ),
    "phone": ("phone", []),
    # Either birth date of one row equal to either of the other's ("equal"; missing when a row has none).
    "birth": ("tanggal_lahir", []),
    "kelurahan": ("kelurahan_code", []),
    # The same KBLI kategori (letter) counts a little even where a code is missing.
    "kbli": ("kbli", [("kategori", "kbli_kategori_l = kbli_kategori_r")]),
}
INPUT_COLUMNS = (
    "nik",
    "nib",
    "nama_pemilik_key",
    "nama_usaha_key",
    "phone",
    "tanggal_lahir",
    "tanggal_lahir_ketik",
    "kelurahan_code",
    "kbli",
    "kbli_kategori",
)  # the columns of `rows` that link() reads
# The columns splink compares: the inputs but the NIB (not scored), business_core beside the business name.
_COLUMNS = tuple(
    out
    for column in INPUT_COLUMNS
    if column != "nib"
    for out in ((column, "business_core") if column == "nama_usaha_key" else (column,))
)


_EQUAL = {
    "birth": " OR ".join(
        f"{a}_l = {b}_r"
        for a in ("tanggal_lahir", "tanggal_lahir_ketik")
        for b in ("tanggal_lahir", "tanggal_lahir_ketik")
    )
}


similar_business = business_name.similar


def _fuzz_ratio(a: pa.Array, b: pa.Array) -> pa.Array:
    """fuzz.ratio per row of two string vectors (a DuckDB arrow function: one call per vector)."""
    valid = np.asarray(pc.and_(a.is_valid(), b.is_valid()), dtype=bool)
    scores = cpdist(a.fill_null("").to_pylist(), b.fill_null("").to_pylist(), scorer=fuzz.ratio, dtype=np.float64)
    return pa.Array.from_buffers(
        pa.float64(),
        len(scores),
        [pa.py_buffer(np.packbits(valid, bitorder="little")), pa.py_buffer(np.ascontiguousarray(scores))],
    )


def _same_business(a: pa.Array, b: pa.Array) -> pa.Array:
    """business_name.similar per row of two string vectors (a DuckDB arrow function); NULL where a side is."""
    return pa.array(
        [None if x is None or y is None else similar_business(x, y) for x, y in zip(a.to_pylist(), b.to_pylist())],
        pa.bool_(),
    )


def _m_u(weight: float) -> dict:
    """m and u probabilities whose log2 ratio is exactly `weight` (only the ratio enters the score)."""
    if weight >= 0:
        return {"m_probability": 1.0, "u_probability": 2.0**-weight}
    return {"m_probability": 2.0**weight, "u_probability": 1.0}


def _level_m_u(model: Model, field: str, level: str) -> dict:
    """A level's m and u for splink: their log2 ratio is the model's weight exactly; a learnt
    level keeps its u, which the term-frequency adjustment compares the value's frequency with."""
    weight = model.weights[field][level]
    u = model.u.get(field, {}).get(level)
    if u is None:
        return _m_u(weight)
    return {"m_probability": min(1.0, u * 2.0**weight), "u_probability": u}


def _settings(model: Model | None):
    """splink's settings: the comparisons with the model's m and u (None: none, for training),
    term-frequency adjusted where the model is (always when training), and the blocking rules."""
    from splink import SettingsCreator
    from splink.comparison_level_library import CustomLevel, ElseLevel, NullLevel
    from splink.comparison_library import CustomComparison

    def configured(level, field: str, label: str):
        options = {} if model is None else _level_m_u(model, field, label)
        if label == "equal" and field in (TF_FIELDS if model is None else model.tf_fields):
            options.update(tf_adjustment_column=COMPARISONS[field][0], tf_adjustment_weight=1.0)
        return level.configure(**options) if options else level

    comparisons = []
    for field, (column, levels) in COMPARISONS.items():
        steps = [NullLevel(column)] if field != "kbli" else []
        steps.append(configured(CustomLevel(_EQUAL.get(field, f"{column}_l = {column}_r"), "equal"), field, "equal"))
        steps += [configured(CustomLevel(sql, label), field, label) for label, sql in levels]
        if field == "kbli":  # the kategori counts even where a code is missing
            steps.append(NullLevel(column))
        steps.append(configured(ElseLevel().configure(label_for_charts="different"), field, "different"))
        comparisons.append(CustomComparison(steps, output_column_name=field))
    threshold = (model or FIXED).threshold
    return SettingsCreator(
        link_type="dedupe_only",
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=blocking.splink_rules(),
        # Prior log2 odds of -threshold: match probability 0.5 is the threshold.
        probability_two_random_records_match=1.0 / (1.0 + 2.0**threshold),
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=True,  # each field's weight (mw_<field>, mw_tf_adj_<field>)
        unique_id_column_name="unique_id",
    )


def input_table(rows: pd.DataFrame) -> tuple[pa.Table, dict[str, np.ndarray]]:
    """The compared columns (_COLUMNS) and the blocks of each blocking rule (blocking.blocks: block_k).

    unique_id is the row position, plus the row count for the rows without a NIK.
    Also returns the columns' codes (blocking.blocks) for the caller's own comparisons.
    """
    n = len(rows)
    source = {column: arrow_array(rows[column]) for column in _COLUMNS if column != "business_core"}
    core, names = blocking.business_core(source["nama_usaha_key"])
    source["business_core"] = core.dictionary_decode()
    no_nik = rows["nik"].isna().to_numpy()
    table = {"unique_id": pa.array(np.arange(n, dtype=np.int64) + n * no_nik)}
    table.update({column: source[column] for column in _COLUMNS})
    block_columns, codes = blocking.blocks(rows, source, core, names)
    table.update(block_columns)
    return pa.table(table), codes


def _level_names(model: Model, field: str) -> dict[float, str]:
    """A field's weight -> its level name (a weight of 0 is the "missing" level)."""
    names = {0.0: "missing", **{round(w, 6): level for level, w in model.weights[field].items()}}
    assert len(names) == len(model.weights[field]) + 1, f"two levels of {field} weigh the same"
    return names


def connect(rows: pd.DataFrame, *, threads: int):
    """A DuckDB connection holding the rows to compare (table linkage_rows, see input_table) and
    the functions the comparisons call; and the columns' codes."""
    import duckdb

    table, codes = input_table(rows)
    # The pairs are sorted after, so DuckDB need not keep any order.
    con = duckdb.connect(config={"threads": threads, "preserve_insertion_order": False})
    con.execute("SET enable_progress_bar = false")
    con.create_function("fuzz_ratio", _fuzz_ratio, ["VARCHAR", "VARCHAR"], "DOUBLE", type="arrow", side_effects=False)
    con.create_function(
        "same_business", _same_business, ["VARCHAR", "VARCHAR"], "BOOLEAN", type="arrow", side_effects=False
    )
    con.register("linkage_rows", table)
    return con, codes


def linker(con, model: Model | None, log_level: int = logging.WARNING):
    """A splink Linker over connect()'s rows with the model's settings (None: untrained, for training)."""
    from splink import DuckDBAPI, Linker

    return Linker(DuckDBAPI(con).register("linkage_rows"), _settings(model), log_level=log_level)


def score_pairs(rows: pd.DataFrame, model: Model = FIXED) -> pd.DataFrame:
    """Every candidate pair (i < j, row positions) with its agreement level per field and its
    weight under the model (term-frequency adjusted where the model is)."""
    columns = ["i", "j", "nik", "nib", *[f for f in COMPARISONS if f != "nik"], "weight"]
    if len(rows) < 2:
        return pd.DataFrame({c: np.empty(0, dtype=np.int64 if c in "ij" else object) for c in columns}).assign(
            weight=np.empty(0)
        )
    con, codes = connect(rows, threads=min(4, os.cpu_count() or 1))
    try:
        predictions = linker(con, model).inference.predict(warning_mode="never")
        weights = [f"mw_{field}" for field in COMPARISONS] + [f"mw_tf_adj_{field}" for field in model.tf_fields]
        result = con.sql(
            f"SELECT unique_id_l, unique_id_r, {', '.join(weights)} FROM {predictions.physical_name}"
        ).fetchnumpy()
    finally:
        con.close()
    n = len(rows)
    left, right = (np.asarray(result[f"unique_id_{side}"], dtype=np.int64) % n for side in "lr")
    i, j = np.minimum(left, right), np.maximum(left, right)
    order = np.lexsort((j, i))
    i, j = i[order], j[order]
    nib_i, nib_j = codes["nib"][i], codes["nib"][j]
    pairs = pd.DataFrame({"i": i, "j": j})
    pairs["nib"] = np.where((nib_i < 0) | (nib_j < 0), "missing", np.where(nib_i == nib_j, "equal", "different"))
    weight = np.zeros(len(pairs))
    for field in COMPARISONS:
        field_weight = np.round(np.asarray(result[f"mw_{field}"], dtype=np.float64)[order], 6)
        names = _level_names(model, field)
        values = np.array(sorted(names))
        level = np.searchsorted(values, field_weight).clip(0, len(values) - 1)
        assert (values[level] == field_weight).all(), f"a {field} weight of no level"
        pairs[field] = np.array([names[v] for v in values], dtype=object)[level]
        weight += field_weight
        if field in model.tf_fields:  # the value's frequency in place of the level's u
            weight += np.round(np.nan_to_num(np.asarray(result[f"mw_tf_adj_{field}"], dtype=np.float64)[order]), 6)
    # The sum of the fields' weights: splink's match weight without its prior.
    pairs["weight"] = weight
    return pairs[columns]


def same_nik(a: str, b: str) -> bool:
    """One NIK, perhaps mistyped: equal, one digit off, or two neighbouring digits swapped (the
    "near" NIK level of COMPARISONS, in Python)."""
    if a == b:
        return True
    if len(a) != len(b):
        return False
    diff = [k for k in range(len(a)) if a[k] != b[k]]
    return len(diff) == 1 or (
        len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
    )


def _licences(rows: pd.DataFrame) -> np.ndarray:
    """What each row says of the licence its business needs: "name:" and the KBLI golongan
    pokok its business name's kinds are licensed under, or, for a row without a business name
    (an OSS row of a person), "kbli:" and the golongan of its KBLI; None where it says neither."""
    codes, names = pd.factorize(rows["nama_usaha_key"])  # each name read once
    by_name = [business_name.licensed_under(name) for name in names]
    by_name = np.array([None, *("name:" + ",".join(sorted(c)) if c else None for c in by_name)], dtype=object)
    licence = by_name[codes + 1]
    kbli = rows["kbli"]
    from_kbli = (codes < 0) & kbli.notna().to_numpy()
    licence[from_kbli] = ("kbli:" + kbli[from_kbli].str[:2]).to_numpy(dtype=object)
    return licence


def _licence_fits(a: str, b: str) -> bool:
    """A business name's kinds and an OSS row's KBLI agree (two names, or two KBLIs, always do)."""
    if a[:4] == b[:4]:
        return True
    name, kbli = (a, b) if a.startswith("name:") else (b, a)
    return kbli[5:] in name[5:].split(",")


def _every(fits, left, right) -> bool:
    return all(fits(x, y) for x in left for y in right)


def _some(fits, left, right) -> bool:
    return any(fits(x, y) for x in left for y in right)


def _some_across(fits, left, right) -> bool:
    pairs = [(x, y) for x in left for y in right if x[:4] != y[:4]]
    return not pairs or any(fits(x, y) for x, y in pairs)


# What one actor cannot hold twice: two NIBs; two clearly different businesses (one owner may
# run two, each an actor); two clearly different NIKs (an actor has one owner); a business
# name and an OSS licence of kinds that do not fit ("SALON ..." and KBLI 10794 crackers: the
# owner's other business, known to OSS only). Per column of `rows`: whether two values fit
# one actor, and whether two clusters may merge given their values: when every pair fits,
# when some pair does (a NIK mistyped in two ways is near the NIK typed right, not near the
# other), or when some pair of a name and a licence does (where there is one).
_COMPATIBLE = {
    "nib": (str.__eq__, _every),
    "nama_usaha_key": (similar_business, _every),
    "nik": (same_nik, _some),
    "licence": (_licence_fits, _some_across),
}


class _Clusters:
    """Union-find that keeps, per cluster, its values of each _COMPATIBLE column and the rows it must not join."""

    def __init__(self, members: np.ndarray, values: dict[str, np.ndarray], cannot_link):
        self.parent: dict[int, int] = {}
        self.values = {
            column: {i: {v} for i, v in zip(members.tolist(), column_values[members].tolist()) if v is not None}
            for column, column_values in values.items()
        }
        self.avoid: dict[int, set[int]] = {}
        for a, b in cannot_link:
            self.avoid.setdefault(a, set()).add(b)
            self.avoid.setdefault(b, set()).add(a)

    def find(self, i: int) -> int:
        parent = self.parent
        root = i
        while root in parent:
            root = parent[root]
        while i != root:
            parent[i], i = root, parent[i]
        return root

    def forbidden(self, a: int, b: int) -> bool:
        """Whether clusters a and b (roots) hold the two rows of a staff "beda" decision."""
        return any(self.find(x) == b for x in self.avoid.get(a, ())) or any(
            self.find(x) == a for x in self.avoid.get(b, ())
        )

    def union(self, i: int, j: int, *, force: bool = False) -> None:
        """Merge the clusters of rows i and j; unless forced (a shared NIB, a staff "sama"), not
        where they hold two values one actor cannot hold (_COMPATIBLE) or a staff "beda" decision."""
        a, b = self.find(i), self.find(j)
        if a == b:
            return
        if not force:
            for column, values in self.values.items():
                fits, mergeable = _COMPATIBLE[column]
                if a in values and b in values and not mergeable(fits, values[a], values[b]):
                    return
            if self.forbidden(a, b):
                return
        a, b = min(a, b), max(a, b)
        self.parent[b] = a
        for sets in (*self.values.values(), self.avoid):
            if b in sets:
                sets.setdefault(a, set()).update(sets.pop(b))


def _values(rows: pd.DataFrame, column: str) -> np.ndarray:
    return rows[column].astype(object).where(rows[column].notna(), None).to_numpy()


def _free_components(component: np.ndarray, values: dict[str, np.ndarray]) -> np.ndarray:
    """Per component, whether no merge inside it can be refused: all its values of each
    _COMPATIBLE column compatible with each other, two by two (checked for up to _MAX_NAMES values)."""
    free = np.ones(int(component.max()) + 1 if len(component) else 0, dtype=bool)
    for column, column_values in values.items():
        known = pd.notna(column_values)
        distinct = pd.DataFrame({"c": component[known], "v": column_values[known]}).drop_duplicates()
        counts = distinct["c"].value_counts()
        free[counts.index[counts > _MAX_NAMES].to_numpy()] = False
        distinct = distinct[distinct["c"].isin(counts.index[(counts > 1) & (counts <= _MAX_NAMES)])]
        both = distinct.merge(distinct, on="c")
        both = both[both["v_x"] < both["v_y"]]
        unique = both[["v_x", "v_y"]].drop_duplicates()
        compatible = _COMPATIBLE[column][0]
        ok = [compatible(x, y) for x, y in zip(unique["v_x"].tolist(), unique["v_y"].tolist())]
        apart = unique[~np.array(ok, dtype=bool)]
        free[both.merge(apart, on=["v_x", "v_y"])["c"].unique()] = False
    return free


def cluster(
    rows: pd.DataFrame, pairs: pd.DataFrame, *, threshold: float = MATCH_THRESHOLD, must_link=(), cannot_link=()
) -> np.ndarray:
    """Cluster label (the smallest row position of its cluster) per row.

    The union-find runs only where a merge may be refused (a component of the accepted
    pairs holding two values one actor cannot hold, or a staff decision); elsewhere it
    would accept every merge, and the component is the cluster.
    """
    n = len(rows)
    must = sorted(tuple(sorted((int(a), int(b)))) for a, b in must_link)
    cannot = sorted({tuple(sorted((int(a), int(b)))) for a, b in cannot_link})
    same_nib = pairs["nib"].eq("equal").to_numpy()
    accepted = pairs[same_nib | (pairs["weight"].to_numpy() > threshold)]  # a tie is no match
    edges = np.vstack([accepted[["i", "j"]].to_numpy(np.int64).reshape(-1, 2), np.array(must, np.int64).reshape(-1, 2)])
    graph = coo_matrix((np.ones(len(edges), np.int8), (edges[:, 0], edges[:, 1])), shape=(n, n))
    _, component = connected_components(graph, directed=False)
    values = {column: _values(rows, column) for column in _COMPATIBLE if column != "licence"}
    values["licence"] = _licences(rows)
    free = _free_components(component, values)
    for pair in must + cannot:
        free[component[list(pair)]] = False
    # Free components: every row takes the smallest row position of its component.
    smallest = np.full(len(free), n, dtype=np.int64)
    np.minimum.at(smallest, component, np.arange(n, dtype=np.int64))
    labels = smallest[component]
    # The others: union-find over their pairs, NIB first, then strongest first.
    held = ~free[component[accepted["i"].to_numpy()]]
    todo = accepted[held]
    todo = todo.assign(_other=~todo["nib"].eq("equal")).sort_values(
        ["_other", "weight", "i", "j"], ascending=[True, False, True, True], kind="stable"
    )
    rows_held = np.flatnonzero(~free[component])
    clusters = _Clusters(rows_held, values, cannot)
    forbidden = set(cannot)
    for i, j in must:
        clusters.union(i, j, force=True)
    for i, j, other in zip(todo["i"].tolist(), todo["j"].tolist(), todo["_other"].tolist()):
        if (i, j) in forbidden:
            continue
        clusters.union(i, j, force=not other)
    labels[rows_held] = [clusters.find(int(i)) for i in rows_held]
    return labels


def link(rows: pd.DataFrame, *, model: Model = FIXED, must_link=(), cannot_link=()) -> tuple[np.ndarray, pd.DataFrame]:
    """Cluster label per row (positions 0..n-1), and the scored candidate pairs.

    must_link and cannot_link are pairs of row positions decided by staff in the review
    workbook: they are obeyed before any score.
    """
    pairs = score_pairs(rows, model)
    return cluster(rows, pairs, threshold=model.threshold, must_link=must_link, cannot_link=cannot_link), pairs
