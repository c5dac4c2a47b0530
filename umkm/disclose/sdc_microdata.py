"""Actor attributes at full detail in, k-anonymous and l-diverse microdata out.

Each quasi-identifier (an attribute an attacker may know about a target: area, sector,
size, the owner's sex and age, start year, workforce, sentra, NIB, whether the business
still operates) has a generalisation hierarchy, from the published detail up to "not
published" (*): kelurahan > kecamatan > *; KBLI golongan pokok (2 digits) > category
letter > * (5-digit classes are never offered: with the kecamatan they single out most
actors); age in 5 > 10 > 20-year bands > *; start year in bands > coarse bands > *;
BPS workforce bands > 1-4 / 5+ > *. A node of the lattice picks one level per
quasi-identifier (3*3*2*2*4*3*3*2*2*2 = 10,368 nodes). The search:

1. beam search down the lattice from "everything suppressed": each round specialises the
   best nodes by one level of one quasi-identifier, scoring a node by its generalisation
   loss plus an estimate for the records in classes that are too small or not diverse
   (nodes with more such records than the suppression budget allows are dead ends);
2. local suppression on the best-scored nodes: each offending class moves, whole, to the
   cheapest generalisation (one or two quasi-identifiers up) where it forms or joins a class
   of at least K_ANONYMITY records with L_DIVERSITY known values of every sensitive attribute;
   classes that find none go up one level where they land among the most records, and repeat;
   the all-suppressed class, if it offends, borrows the cheapest records that other classes
   can spare, and only then are records dropped;
3. the node with the least information loss whose local suppression stays within
   MAX_SUPPRESSED_SHARE of the quasi-identifier values wins.

Information loss is the weighted mean, over records and quasi-identifiers, of the
generalisation height reached (h / H: 0 at full detail, 1 when suppressed); a dropped
record counts as fully suppressed. Weights: KBLI 2, area 1.5, NIB and still-active 0.5,
the others 1 (the sector and the area are what users of the microdata ask for first).

A blank is a value of its own in a class (unknown or suppressed look the same), both here
and in any check that groups the published CSV by its columns. l-diversity counts known
values: in every class each sensitive attribute has no recorded value at all, or at
least L_DIVERSITY distinct recorded values (a blank is "unknown", not a second value).

Speed: codes are worked out once per distinct source value, and the search counts "units"
(records that agree on every quasi-identifier from the node's levels up, with their number of
records and the OR of their sensitive bits) instead of records: records of a unit always land
in the same class, so every count and every move is the one record by record would give. Only
a donation to the all-suppressed class picks single records; it runs on the records.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from umkm.vocabulary import SIZE

K_ANONYMITY = 5
L_DIVERSITY = 2
MAX_SUPPRESSED_SHARE = 0.05  # of quasi-identifier values, locally suppressed or dropped
MAX_ITERATIONS = 40

SENSITIVE = ("kelompok_omzet", "bantuan_modal", "pelatihan", "pemasaran_online")

# Bands as half-open intervals [low, high). A label means the same interval at every level.
AGE_LEVELS = (
    tuple([(0, 25, "<25")] + [(a, a + 5, f"{a}-{a + 4}") for a in range(25, 65, 5)] + [(65, 200, "65+")]),
    ((0, 25, "<25"), (25, 35, "25-34"), (35, 45, "35-44"), (45, 55, "45-54"), (55, 65, "55-64"), (65, 200, "65+")),
    ((0, 35, "<35"), (35, 55, "35-54"), (55, 200, "55+")),
)
START_YEAR_LEVELS = (
    (
        (0, 2000, "<2000"),
        (2000, 2010, "2000-2009"),
        (2010, 2015, "2010-2014"),
        (2015, 2020, "2015-2019"),
        (2020, 2023, "2020-2022"),
        (2023, 3000, "2023+"),
    ),
    ((0, 2010, "<2010"), (2010, 2020, "2010-2019"), (2020, 3000, "2020+")),
)
# BPS's workforce bands for micro (1-4), small (5-19), medium (20-99) and large (100+) industry.
WORKER_LEVELS = (
    ((0, 2, "1"), (2, 5, "2-4"), (5, 20, "5-19"), (20, 100, "20-99"), (100, 10**9, "100+")),
    ((0, 5, "1-4"), (5, 10**9, "5+")),
)
TURNOVER_BANDS = (
    (0, 50_000_000, "<50jt"),
    (50_000_000, 300_000_000, "50jt-300jt"),
    (300_000_000, SIZE["mikro"].max_omzet, "300jt-2M"),
    (SIZE["mikro"].max_omzet, 10**15, ">2M"),
)


def band_intervals(levels) -> dict[str, tuple[int, int]]:
    return {label: (low, high) for bands in levels for low, high, label in bands}


@dataclass(frozen=True)
class QuasiIdentifier:
    name: str  # attribute name in the metadata
    columns: tuple[str, ...]  # published columns, finest first (a chain: the coarser is filled when the finer is)
    levels: tuple[str, ...]  # level names, the last is "*" (not published)
    weight: float  # its share of the information-loss measure
    source: str  # column of the detail frame it is built from
    bands: tuple = ()  # for banded attributes: the bands of each level


QUASI_IDENTIFIERS: tuple[QuasiIdentifier, ...] = (
    QuasiIdentifier(
        "wilayah", ("kelurahan_kode", "kecamatan_kode"), ("kelurahan", "kecamatan", "*"), 1.5, "kelurahan_kode"
    ),
    QuasiIdentifier(
        "kbli",
        ("kbli_golongan_pokok", "kbli_kategori"),
        ("golongan_pokok", "kategori", "*"),
        2.0,
        "kbli_golongan_pokok",
    ),
    QuasiIdentifier("skala_usaha", ("skala_usaha",), ("skala", "*"), 1.0, "skala_usaha"),
    QuasiIdentifier("jenis_kelamin", ("jenis_kelamin",), ("jenis_kelamin", "*"), 1.0, "jenis_kelamin"),
    QuasiIdentifier(
        "kelompok_umur", ("kelompok_umur",), ("5_tahun", "10_tahun", "20_tahun", "*"), 1.0, "umur", AGE_LEVELS
    ),
    QuasiIdentifier(
        "kelompok_tahun_mulai",
        ("kelompok_tahun_mulai",),
        ("kelompok", "kelompok_kasar", "*"),
        1.0,
        "tahun_mulai",
        START_YEAR_LEVELS,
    ),
    QuasiIdentifier(
        "kelompok_tenaga_kerja",
        ("kelompok_tenaga_kerja",),
        ("kelompok_bps", "kelompok_kasar", "*"),
        1.0,
        "tenaga_kerja",
        WORKER_LEVELS,
    ),
    QuasiIdentifier("sentra", ("sentra",), ("sentra", "*"), 1.0, "sentra"),
    QuasiIdentifier("punya_nib", ("punya_nib",), ("nilai", "*"), 0.5, "punya_nib"),
    QuasiIdentifier("masih_aktif", ("masih_aktif",), ("nilai", "*"), 0.5, "masih_aktif"),
)
QI_COLUMNS = tuple(c for q in QUASI_IDENTIFIERS for c in q.columns)


def band(values: pd.Series, bands) -> pd.Series:
    numbers = pd.to_numeric(values, errors="coerce").astype("Float64").to_numpy(dtype="float64", na_value=np.nan)
    which = np.full(len(numbers), len(bands))  # the last label is <NA>
    for i, (low, high, _) in enumerate(bands):  # a later band wins, as a later assignment would
        which[(numbers >= low) & (numbers < high)] = i
    labels = pd.array([label for _, _, label in bands] + [pd.NA], dtype="string")
    return pd.Series(labels.take(which), index=values.index)


def _text(values: pd.Series) -> pd.Series:
    if pd.api.types.is_bool_dtype(values.dtype):
        return values.map({True: "true", False: "false"}, na_action="ignore").astype("string")
    return values.astype("string")


def level_values(detail: pd.DataFrame, qi: QuasiIdentifier, level: int) -> pd.DataFrame:
    """The published columns of one quasi-identifier with every record at one level."""
    height = len(qi.levels) - 1
    empty = pd.Series(pd.NA, index=detail.index, dtype="string")
    if level >= height:
        return pd.DataFrame({c: empty for c in qi.columns})
    if qi.bands:
        return pd.DataFrame({qi.columns[0]: band(detail[qi.source], qi.bands[level])})
    if len(qi.columns) == 2:  # a chain: finest column blank from level 1 on
        fine, coarse = qi.columns
        return pd.DataFrame({fine: _text(detail[fine]) if level == 0 else empty, coarse: _text(detail[coarse])})
    return pd.DataFrame({qi.columns[0]: _text(detail[qi.source])})


@dataclass
class Encoded:
    """Integer codes of every quasi-identifier at every level, and the sensitive attributes as bits."""

    codes: list[np.ndarray]  # per QI: (levels, n) codes, the same code for the same published values
    radix: list[int]
    bits: np.ndarray  # per record: one bit per known value of each sensitive attribute
    masks: list[int]  # per sensitive attribute: its bits
    popcount: np.ndarray
    heights: np.ndarray  # per QI: index of its "*" level
    step_cost: np.ndarray  # per QI: loss of one level up, weight / height / total weight
    values: list[np.ndarray] = field(default_factory=list)  # per QI: (n,) index of the record's source values
    value_codes: list[np.ndarray] = field(default_factory=list)  # per QI: (levels, distinct source values) codes
    samples: list[pd.DataFrame] = field(default_factory=list)  # per QI: one detail row per distinct source value


def _first_rows(code: np.ndarray) -> np.ndarray:
    """pd.factorize numbers codes in order of first appearance: the first record of each code."""
    if not len(code):
        return np.zeros(0, dtype=np.int64)
    return np.flatnonzero(code > np.maximum.accumulate(np.r_[-1, code[:-1]]))


def combine(parts) -> tuple[np.ndarray, np.ndarray]:
    """One code per distinct tuple of the parts' codes (each part: codes 0..radix-1 and its radix), numbered
    in order of first appearance, and the first record of each code."""
    key, span = None, 1
    for code, radix in parts:
        if key is None:
            key, span = code.astype(np.int64), int(radix)
            continue
        if span * int(radix) >= 2**62:  # compact the running key before it overflows
            key, uniques = pd.factorize(key)
            span = len(uniques)
        key = key * int(radix) + code
        span *= int(radix)
    code, _ = pd.factorize(key)
    return code.astype(np.int64), _first_rows(code)


def factorize_rows(columns) -> tuple[np.ndarray, np.ndarray]:
    """Per record: a code of its tuple of values (a missing value is a value of its own), and the first
    record of each code."""
    if len(columns) == 1:  # already numbered in order of first appearance
        code = pd.factorize(columns[0], use_na_sentinel=False)[0].astype(np.int64)
        return code, _first_rows(code)
    parts = []
    for values in columns:
        code, uniques = pd.factorize(values)  # NA -> -1
        parts.append((code.astype(np.int64) + 1, len(uniques) + 1))
    return combine(parts)


def _factorize_text(values: pd.Series) -> tuple[np.ndarray, int]:
    """pd.factorize(_text(values), sort=True), computed on the distinct values only."""
    code, uniques = pd.factorize(values)  # NA -> -1
    rank, _ = pd.factorize(_text(pd.Series(uniques)), sort=True)
    return np.where(code >= 0, rank[np.maximum(code, 0)], -1) if len(uniques) else code, len(uniques)


def _source_columns(qi: QuasiIdentifier) -> tuple[str, ...]:
    return qi.columns if len(qi.columns) == 2 and not qi.bands else (qi.source,)


def encode(detail: pd.DataFrame, qis=QUASI_IDENTIFIERS, sensitive=SENSITIVE) -> Encoded:
    """Codes are computed once per distinct combination of a quasi-identifier's source values and spread
    to the records: the same codes as factorising every record's published values."""
    n = len(detail)
    codes, radix, values, value_codes, samples = [], [], [], [], []
    for qi in qis:
        value, first = factorize_rows([detail[c] for c in _source_columns(qi)])
        sample = detail.iloc[first]
        keys = []
        for level in range(len(qi.levels)):
            frame = level_values(sample, qi, level).fillna("\x00")
            key = frame.iloc[:, 0].astype(str)
            for column in frame.columns[1:]:
                key = key + "\x01" + frame[column].astype(str)
            keys.append(key)
        stacked = pd.concat(keys, ignore_index=True).astype(str)
        code, uniques = pd.factorize(stacked, sort=True)
        per_value = code.reshape(len(qi.levels), len(first)).astype(np.int64)
        codes.append(per_value[:, value] if n else np.zeros((len(qi.levels), 0), dtype=np.int64))
        radix.append(len(uniques))
        values.append(value)
        value_codes.append(per_value)
        samples.append(sample)
    bits = np.zeros(n, dtype=np.int64)
    masks, offset = [], 0
    for column in sensitive:
        code, distinct = _factorize_text(detail[column])  # NA -> -1: not a known value
        bits |= np.where(code >= 0, np.left_shift(1, offset + np.maximum(code, 0)), 0)
        masks.append(((1 << distinct) - 1) << offset)
        offset += distinct
    popcount = np.array([bin(i).count("1") for i in range(1 << offset)], dtype=np.int64)
    heights = np.array([len(q.levels) - 1 for q in qis])
    weights = np.array([q.weight for q in qis])
    return Encoded(
        codes, radix, bits, masks, popcount, heights, weights / heights / weights.sum(), values, value_codes, samples
    )


@dataclass
class Units:
    """Records that agree on every quasi-identifier at every level from a floor node up, as one row each.

    While no record goes below the floor, the records of a unit always share a class and move together,
    so the search and local suppression can count units (with their weight) instead of records; the
    sensitive bits of a unit are the OR of its records' bits, all a class needs of them."""

    enc: Encoded  # one row per unit
    weight: np.ndarray  # records in each unit
    record_unit: np.ndarray  # per record: its unit
    floor: np.ndarray | None = None


def _unit_rows(enc: Encoded, record_unit: np.ndarray, first: np.ndarray, floor=None) -> Units:
    bits = np.zeros(len(first), dtype=np.int64)
    np.bitwise_or.at(bits, record_unit, enc.bits)
    unit_enc = Encoded(
        [c[:, first] for c in enc.codes], enc.radix, bits, enc.masks, enc.popcount, enc.heights, enc.step_cost
    )
    return Units(unit_enc, np.bincount(record_unit, minlength=len(first)), record_unit, floor)


def units(enc: Encoded, floor, within: Units | None = None) -> Units:
    """The units of a floor node; floor None: every record a unit of its own. within: units of a floor
    at or above this one, split by the quasi-identifiers whose floor is lower (the same units)."""
    if floor is None:
        rows = np.arange(len(enc.bits))
        return _unit_rows(enc, rows, rows)
    floor = np.asarray(floor, dtype=np.int64)
    parts, lower = [], range(len(floor))
    if within is not None and within.floor is not None and (floor <= within.floor).all():
        parts, lower = [(within.record_unit, len(within.weight))], np.flatnonzero(floor < within.floor)
    for q in lower:
        above = enc.value_codes[q][int(floor[q]) :].T  # (distinct values, levels from the floor up)
        _, signature = np.unique(above, axis=0, return_inverse=True)
        signature = signature.reshape(-1)
        parts.append((signature[enc.values[q]], int(signature.max(initial=-1)) + 1))
    record_unit, first = combine(parts)
    return _unit_rows(enc, record_unit, first, floor)


def _regroup(
    enc: Encoded, group: Units, unit_levels: np.ndarray, record_levels: np.ndarray, record_keep: np.ndarray
) -> tuple[Units, np.ndarray, np.ndarray]:
    """Split the units whose records no longer share their level or keep flag (after donations)."""
    changed = (record_levels != unit_levels[group.record_unit]).any(axis=1)
    record_unit, first = combine(
        [(group.record_unit, len(group.weight)), (changed.astype(np.int64), 2), (record_keep.astype(np.int64), 2)]
    )
    return _unit_rows(enc, record_unit, first), record_levels[first].copy(), record_keep[first].copy()


@dataclass
class Classes:
    key: np.ndarray  # per record
    unique: np.ndarray  # sorted class keys
    size: np.ndarray
    bits: np.ndarray  # OR of the members' bits
    bad_class: np.ndarray
    bad: np.ndarray  # per record: in a class that is too small or not diverse


def _diverse(enc: Encoded, bits: np.ndarray) -> np.ndarray:
    ok = np.ones(len(bits), dtype=bool)
    for mask in enc.masks:
        known = enc.popcount[bits & mask]
        ok &= (known == 0) | (known >= L_DIVERSITY)
    return ok


def class_key(enc: Encoded, levels: np.ndarray, rows: np.ndarray | None = None) -> np.ndarray:
    """Mixed-radix key of each record's published quasi-identifier values (levels: (n, QI))."""
    index = np.arange(levels.shape[0]) if rows is None else rows
    key = np.zeros(levels.shape[0], dtype=np.int64)
    for q, (codes, radix) in enumerate(zip(enc.codes, enc.radix)):
        key = key * radix + codes[levels[:, q], index]
    return key


def classes(enc: Encoded, key: np.ndarray, keep: np.ndarray | None = None, weight: np.ndarray | None = None) -> Classes:
    """weight: records per row (rows are units); None: one record per row."""
    keep = np.ones(len(key), dtype=bool) if keep is None else keep
    rows = np.flatnonzero(keep)
    order = rows[np.argsort(key[rows], kind="stable")]
    sorted_keys = key[order]
    starts = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]]) if len(order) else np.array([], int)
    count = np.diff(np.r_[starts, len(order)])
    if weight is None:
        size = count
    else:
        size = np.add.reduceat(weight[order], starts) if len(order) else np.array([], np.int64)
    bits = np.bitwise_or.reduceat(enc.bits[order], starts) if len(order) else np.array([], np.int64)
    bad_class = (size < K_ANONYMITY) | ~_diverse(enc, bits)
    bad = np.zeros(len(key), dtype=bool)
    bad[order] = np.repeat(bad_class, count)
    return Classes(key, sorted_keys[starts], size, bits, bad_class, bad)


def generalisation_loss(enc: Encoded, node) -> float:
    return float(np.dot(np.asarray(node), enc.step_cost))


@dataclass
class Result:
    node: tuple[int, ...]
    levels: np.ndarray  # (n, QI) level of each record after local suppression
    kept: np.ndarray  # records published (not dropped)
    loss: float
    generalisation_loss: float
    values_suppressed: int  # QI values moved up by local suppression (a dropped record counts all its QIs)
    records_touched: int
    records_dropped: int
    iterations: int


def _moves(heights: np.ndarray, most: int = 2) -> np.ndarray:
    """Level increments that raise one, two or three quasi-identifiers."""
    nq = len(heights)
    moves = []
    for count in range(1, most + 1):
        for qs in itertools.combinations(range(nq), count):
            for steps in itertools.product(*[range(1, heights[q] + 1) for q in qs]):
                inc = np.zeros(nq, dtype=np.int64)
                inc[list(qs)] = steps
                moves.append(inc)
    return np.array(moves)


def _multipliers(enc: Encoded) -> np.ndarray:
    nq = len(enc.radix)
    return np.array(
        [int(np.prod(enc.radix[q + 1 :], dtype=np.int64)) if q + 1 < nq else 1 for q in range(nq)], dtype=np.int64
    )


def _group_targets(target: np.ndarray, weight: np.ndarray, bits: np.ndarray):
    """Rows grouped by target key: group of each row, the keys, records and OR of bits per group."""
    ids, keys = pd.factorize(target)
    size = np.bincount(ids, weights=weight, minlength=len(keys)).astype(np.int64)
    group_bits = np.zeros(len(keys), dtype=np.int64)
    np.bitwise_or.at(group_bits, ids, bits)
    return ids, keys, size, group_bits


def _join_classes(
    keys: np.ndarray,
    size: np.ndarray,
    bits: np.ndarray,
    class_keys: np.ndarray,
    class_size: np.ndarray,
    class_bits: np.ndarray,
):
    """Add the records and bits of the classes (sorted keys) that already sit at each key."""
    if not len(class_keys):
        return size, bits
    pos = np.minimum(np.searchsorted(class_keys, keys), len(class_keys) - 1)
    exists = class_keys[pos] == keys
    return size + np.where(exists, class_size[pos], 0), bits | np.where(exists, class_bits[pos], 0)


def _merge_offenders(
    enc: Encoded,
    levels: np.ndarray,
    key: np.ndarray,
    cls: Classes,
    offenders: np.ndarray,
    moves: np.ndarray,
    move_cost: np.ndarray,
    mult: np.ndarray,
    weight: np.ndarray,
) -> np.ndarray:
    """Cheapest moves first: offenders whose common generalisation forms (or joins) a good class move there.

    For each move (a raise of one to three quasi-identifiers), the offenders not yet placed are grouped
    by the key they would get; a group that, with the good class already at that key, holds K_ANONYMITY
    records and L_DIVERSITY known values of every sensitive attribute moves together. Returns, per
    offender, whether it is still unplaced. The keys of the rows that move are updated in place.
    """
    free = np.ones(len(offenders), dtype=bool)
    off_levels = levels[offenders]
    off_key = key[offenders]
    off_weight = weight[offenders]
    off_bits = enc.bits[offenders]
    good = ~cls.bad_class
    good_keys, good_size, good_bits = cls.unique[good], cls.size[good], cls.bits[good]
    room = enc.heights - off_levels  # per offender and QI: levels it can still go up
    step: dict[tuple[int, int], tuple[np.ndarray, np.ndarray]] = {}  # (QI, levels up): can go, key change

    def raise_by(q: int, up: int) -> tuple[np.ndarray, np.ndarray]:
        if (q, up) not in step:
            old = off_levels[:, q]
            new = np.minimum(old + up, enc.heights[q])
            step[q, up] = room[:, q] >= up, (enc.codes[q][new, offenders] - enc.codes[q][old, offenders]) * mult[q]
        return step[q, up]

    for m in np.argsort(move_cost, kind="stable"):
        raised = [(int(q), int(moves[m][q])) for q in np.flatnonzero(moves[m])]
        valid = free.copy()
        for q, up in raised:
            valid &= raise_by(q, up)[0]
        idx = np.flatnonzero(valid)
        if not len(idx):
            continue
        target = off_key[idx].copy()
        for q, up in raised:
            target += raise_by(q, up)[1][idx]
        inverse, keys, size, bits = _group_targets(target, off_weight[idx], off_bits[idx])
        size, bits = _join_classes(keys, size, bits, good_keys, good_size, good_bits)
        ok = (size >= K_ANONYMITY) & _diverse(enc, bits)
        moving = ok[inverse]
        go = idx[moving]
        if len(go):
            levels[offenders[go]] = off_levels[go] + moves[m]
            key[offenders[go]] = target[moving]
            free[go] = False
            if not free.any():
                break
    return free


def _step_towards_each_other(
    enc: Encoded,
    levels: np.ndarray,
    key: np.ndarray,
    cls: Classes,
    offenders: np.ndarray,
    mult: np.ndarray,
    weight: np.ndarray,
) -> None:
    """One level up for every offender, on the quasi-identifier whose landing class is then good
    (cheapest step first) or else the largest."""
    nq = len(enc.codes)
    best_score = np.full(len(offenders), np.inf)
    best_q = np.full(len(offenders), -1)
    for q in range(nq):
        can = levels[offenders, q] < enc.heights[q]
        rows = offenders[can]
        if len(rows) == 0:
            continue
        lv = levels[rows, q]
        target = key[rows] + (enc.codes[q][lv + 1, rows] - enc.codes[q][lv, rows]) * mult[q]
        inverse, keys, size, bits = _group_targets(target, weight[rows], enc.bits[rows])
        total, bits = _join_classes(keys, size, bits, cls.unique, cls.size, cls.bits)
        good = (total >= K_ANONYMITY) & _diverse(enc, bits)
        score = np.where(good[inverse], enc.step_cost[q], 1.0 + 1.0 / (1.0 + total[inverse]))
        better = score < best_score[can]
        idx = np.flatnonzero(can)[better]
        best_score[idx] = score[better]
        best_q[idx] = q
    for q in np.unique(best_q):  # the keys follow the levels
        rows = offenders[best_q == q]
        lv = levels[rows, q]
        key[rows] += (enc.codes[q][lv + 1, rows] - enc.codes[q][lv, rows]) * mult[q]
    levels[offenders, best_q] += 1


def _donate_to_top(enc: Encoded, levels: np.ndarray, keep: np.ndarray, top_rows: np.ndarray) -> bool:
    """Make the all-suppressed class good by moving in records from classes that stay good without them.

    Each donor is the cheapest record (least detail lost; the first such record on a tie) that adds a
    missing record or a missing sensitive value. Returns False when no donor can help (the caller then
    drops the class). The records are looked at cheapest first, a block at a time, until one can give.
    """
    key = class_key(enc, levels)
    cls = classes(enc, key, keep)
    top_key = key[top_rows[0]]
    nbits = int(np.log2(len(enc.popcount)))
    index = np.minimum(np.searchsorted(cls.unique, key), max(len(cls.unique) - 1, 0))  # kept records: exact
    counts = np.zeros((len(cls.unique), nbits), dtype=np.int64)
    members = np.flatnonzero(keep)
    for b in range(nbits):
        has = (enc.bits[members] >> b) & 1 == 1
        counts[:, b] = np.bincount(index[members[has]], minlength=len(cls.unique))
    distinct = np.stack(
        [((counts[:, [b for b in range(nbits) if (mask >> b) & 1]] > 0).sum(axis=1)) for mask in enc.masks], axis=1
    )
    own = [enc.bits & mask for mask in enc.masks]  # each record's known value of each attribute (one bit)
    own_bit = [np.where(o > 0, np.log2(np.maximum(o, 1)).astype(np.int64), 0) for o in own]
    by_cost = np.argsort(((enc.heights - levels) * enc.step_cost).sum(axis=1), kind="stable")
    in_top = key == top_key

    def removable(rows: np.ndarray, need_bits: list[int]) -> np.ndarray:
        c = index[rows]
        wanted = np.ones(len(rows), dtype=bool) if not need_bits else np.zeros(len(rows), dtype=bool)
        for mask in need_bits:
            wanted |= (enc.bits[rows] & mask) != 0
        ok = keep[rows] & ~in_top[rows] & wanted & (cls.size[c] > K_ANONYMITY)
        for a in range(len(enc.masks)):
            last = (own[a][rows] > 0) & (counts[c, own_bit[a][rows]] == 1)
            left = distinct[c, a] - last
            ok &= ~(last & (left == 1))
        return ok

    for _ in range(4 * K_ANONYMITY):
        size, bits = int((keep & in_top).sum()), int(np.bitwise_or.reduce(enc.bits[keep & in_top]))
        need_bits = []
        for mask in enc.masks:
            known = enc.popcount[bits & mask]
            if 0 < known < L_DIVERSITY:
                need_bits.append(mask & ~bits)
        if size >= K_ANONYMITY and not need_bits:
            return True

        donor, start, block = None, 0, 1024
        while donor is None and start < len(by_cost):
            rows = by_cost[start : start + block]
            ok = removable(rows, need_bits)
            if ok.any():
                donor = int(rows[np.argmax(ok)])
            start, block = start + block, block * 4
        if donor is None:
            return False
        lend(enc, donor, index[donor], levels, in_top, cls, counts, distinct)
    return False


def lend(
    enc: Encoded,
    donor: int,
    ci: int,
    levels: np.ndarray,
    in_top: np.ndarray,
    cls: Classes,
    counts: np.ndarray,
    distinct: np.ndarray,
) -> None:
    """Move a record from its class ci to the all-suppressed class, and count it out of ci."""
    levels[donor] = enc.heights
    in_top[donor] = True
    cls.size[ci] -= 1
    nbits = counts.shape[1]
    for b in range(nbits):
        if (enc.bits[donor] >> b) & 1:
            counts[ci, b] -= 1
    distinct[ci] = [((counts[ci, [b for b in range(nbits) if (mask >> b) & 1]] > 0).sum()) for mask in enc.masks]


def local_suppression(enc: Encoded, node, moves: np.ndarray | None = None, group: Units | None = None) -> Result:
    """Runs on units (by default the node's: records that share every level from the node up); a donation
    to the all-suppressed class picks single records, so it runs on the records and the units are split."""
    moves = _moves(enc.heights) if moves is None else moves
    mult = _multipliers(enc)
    move_cost = moves @ enc.step_cost
    node_levels = np.asarray(node, dtype=np.int64)
    group = units(enc, node_levels) if group is None else group
    levels = np.tile(node_levels, (len(group.weight), 1))
    keep = np.ones(len(group.weight), dtype=bool)
    iterations = 0
    key = class_key(group.enc, levels)  # kept up to date by the moves
    for iterations in range(1, MAX_ITERATIONS + 1):
        unit_enc, weight = group.enc, group.weight
        cls = classes(unit_enc, key, keep, weight)
        offenders = np.flatnonzero(cls.bad)
        if len(offenders) == 0:
            break
        movable = (levels[offenders] < enc.heights).any(axis=1)
        if not movable.any():  # at "*" everywhere and still offending: borrow records, else drop
            record_levels, record_keep = levels[group.record_unit], keep[group.record_unit]
            top_rows = np.flatnonzero(np.isin(group.record_unit, offenders))
            if not _donate_to_top(enc, record_levels, record_keep, top_rows):
                record_keep[top_rows] = False
            group, levels, keep = _regroup(enc, group, levels, record_levels, record_keep)
            key = class_key(group.enc, levels)
            continue
        offenders = offenders[movable]
        unplaced = _merge_offenders(unit_enc, levels, key, cls, offenders, moves, move_cost, mult, weight)
        rest = offenders[unplaced & (levels[offenders] < enc.heights).any(axis=1)]
        if len(rest):
            _step_towards_each_other(unit_enc, levels, key, cls, rest, mult, weight)
    else:
        cls = classes(group.enc, key, keep, group.weight)
        keep &= ~cls.bad
    return _result(enc, node, levels[group.record_unit], keep[group.record_unit], iterations)


def _result(enc: Encoded, node, levels: np.ndarray, keep: np.ndarray, iterations: int) -> Result:
    n, nq = levels.shape
    node_arr = np.asarray(node)
    steps = (levels - node_arr).clip(min=0)
    levels = np.where(keep[:, None], levels, enc.heights)  # a dropped record: everything suppressed
    moved = np.where(keep[:, None], steps > 0, node_arr < enc.heights)
    heights_frac = levels / enc.heights
    weights = enc.step_cost * enc.heights  # weight / total weight
    loss = float((heights_frac * weights).sum() / n)
    return Result(
        tuple(int(v) for v in node),
        levels,
        keep,
        loss,
        generalisation_loss(enc, node),
        int(moved.sum()),
        int(moved.any(axis=1).sum()),
        int((~keep).sum()),
        iterations,
    )


@dataclass
class Search:
    best: Result
    nodes_total: int
    nodes_checked: int  # nodes whose classes were counted
    nodes_suppressed: int  # nodes on which local suppression ran
    candidates: list[tuple[tuple[int, ...], float, int, int]] = field(default_factory=list)
    # (node, loss after local suppression, records offending before it, values suppressed)


BEAM_WIDTH = 3
CANDIDATES = 3
LOSS_PER_OFFENDER = 0.2  # first estimate of the loss local suppression adds per offending record
VALUES_PER_OFFENDER = 2.0  # first estimate of the values it suppresses per offending record
MAX_RUNS = 8


class _Offenders:
    """Records in classes that are too small or not diverse, per node, counted on units whose floor is the
    finest node asked so far (lowered, and the units split, when a finer node comes). A node's class keys
    are those of a node asked before, changed on the quasi-identifiers where the two differ."""

    KEPT = 24  # class keys kept for the next nodes

    def __init__(self, enc: Encoded):
        self.enc, self.group = enc, None
        self.mult = _multipliers(enc)
        self.keys: dict[tuple[int, ...], np.ndarray] = {}

    def _key(self, node: tuple[int, ...]) -> np.ndarray:
        codes = self.group.enc.codes
        near = min(self.keys, key=lambda k: sum(a != b for a, b in zip(k, node)), default=None)
        if near is None or sum(a != b for a, b in zip(near, node)) > 2:
            key = np.zeros(len(self.group.weight), dtype=np.int64)
            for q, level in enumerate(node):
                key += codes[q][level] * self.mult[q]
        else:
            key = self.keys[near].copy()
            for q in (q for q in range(len(node)) if node[q] != near[q]):
                key += (codes[q][node[q]] - codes[q][near[q]]) * self.mult[q]
        if len(self.keys) >= self.KEPT:
            del self.keys[next(iter(self.keys))]
        self.keys[node] = key
        return key

    def __call__(self, node) -> int:
        node = tuple(int(v) for v in node)
        if self.group is None or (np.asarray(node) < self.group.floor).any():
            floor = np.asarray(node) if self.group is None else np.minimum(self.group.floor, node)
            self.group, self.keys = units(self.enc, floor, self.group), {}
        unit_enc, weight = self.group.enc, self.group.weight
        ids, uniques = pd.factorize(self._key(node))
        size = np.bincount(ids, weights=weight, minlength=len(uniques))
        bits = np.zeros(len(uniques), dtype=np.int64)
        np.bitwise_or.at(bits, ids, unit_enc.bits)
        bad = (size < K_ANONYMITY) | ~_diverse(unit_enc, bits)
        return int(size[bad].sum())


def search(enc: Encoded) -> Search:
    """Beam search down the lattice from "everything suppressed", then exact evaluation of the best.

    Each round specialises the BEAM_WIDTH best nodes by one level of one quasi-identifier; a node's
    estimated loss is its generalisation loss plus LOSS_PER_OFFENDER for each record in a class that
    is too small or not diverse. Nodes whose offenders exceed the suppression budget are dead ends.
    The CANDIDATES nodes with the lowest estimate get local suppression; the least loss within
    budget wins.
    """
    n, nq = len(enc.bits), len(enc.codes)
    budget = MAX_SUPPRESSED_SHARE * n * nq
    top = tuple(int(h) for h in enc.heights)
    estimate: dict[tuple[int, ...], tuple[float, int]] = {}
    count_offenders = _Offenders(enc)

    def check(node):
        if node not in estimate:
            offenders = count_offenders(node)
            estimate[node] = (generalisation_loss(enc, node) + LOSS_PER_OFFENDER * offenders / n, offenders)
        return estimate[node]

    check(top)
    frontier = [top]
    best_estimate = estimate[top][0]
    while frontier:
        children = set()
        for node in frontier:
            for q in range(nq):
                if node[q] > 0:
                    children.add(node[:q] + (node[q] - 1,) + node[q + 1 :])
        scored = sorted((check(c)[0], c) for c in sorted(children) if check(c)[1] * VALUES_PER_OFFENDER <= budget)
        if not scored or scored[0][0] > best_estimate + LOSS_PER_OFFENDER * 0.25:
            break
        best_estimate = min(best_estimate, scored[0][0])
        frontier = [c for _, c in scored[:BEAM_WIDTH]]
    moves = _moves(enc.heights)
    ranked = sorted((est, node) for node, (est, off) in estimate.items() if off <= budget)
    best: Result | None = None
    candidates = []
    per_offender, loss_per = VALUES_PER_OFFENDER, LOSS_PER_OFFENDER
    feasible_runs = 0
    for _, node in ranked:
        offenders = estimate[node][1]
        predicted = generalisation_loss(enc, node) + loss_per * offenders / n
        if offenders * per_offender > budget or (best is not None and predicted >= best.loss):
            continue
        result = local_suppression(enc, node, moves)
        candidates.append((result.node, result.loss, offenders, result.values_suppressed))
        if offenders:  # learn from what local suppression really cost
            per_offender = max(per_offender, result.values_suppressed / offenders)
            loss_per = (result.loss - result.generalisation_loss) * n / offenders
        if result.values_suppressed <= budget:
            feasible_runs += 1
            if best is None or result.loss < best.loss:
                best = result
        if feasible_runs >= CANDIDATES or len(candidates) >= MAX_RUNS:
            break
    if best is None:  # nothing within budget (a tiny register): everything at "*"
        best = local_suppression(enc, top, moves)
    total = int(np.prod(enc.heights + 1))
    return Search(best, total, len(estimate), len(candidates), candidates)


def publish(enc: Encoded, result: Result, rows: np.ndarray, qis=QUASI_IDENTIFIERS) -> dict[str, pd.Series]:
    """The published quasi-identifier columns of some records (rows: their positions), each at its own level."""
    out = {}
    levels = result.levels[rows]
    for q, qi in enumerate(qis):
        sample, value = enc.samples[q], enc.values[q]
        per_level = [level_values(sample, qi, level) for level in range(len(qi.levels))]
        at = levels[:, q] * len(sample) + value[rows]
        for column in qi.columns:
            table = pd.concat([frame[column] for frame in per_level], ignore_index=True).astype("string").array
            out[column] = pd.Series(table.take(at))
    return out
