"""Candidate microdata and every earlier published microdata release in, the candidate's records to generalise out.

The attacker holds every release ever published. Rows of actors present in two releases are the same
rows, so the multiset difference of two releases (the rows of one that the other lacks, counted with
their multiplicity) is the joiners' rows one way and the leavers' the other way, and a joiner's row
that is alone in its class there is a joiner pinned down, with its sensitive values. So for every
earlier published release P and the candidate N, both differences N\\P and P\\N must themselves be
k-anonymous and l-diverse on the declared quasi-identifiers, with the release's own rules: rows
compared on every published column (as text, the pseudonym aside: it changes every release), classes
formed by the quasi-identifier columns (a blank is a value of its own), and in every class each
sensitive attribute has no known value or at least L_DIVERSITY distinct known ones.

``release_differences`` checks one pair of published releases (text frames). ``repair`` changes only
N (P is published and stays as it is), in a monotone fixpoint: records of N only go up (coarser), or
as a last resort are withheld, so it ends.

- A bad class of N\\P: its excess rows (the rows N has more of than P) are moved, so the class has no
  row in N\\P at all. Which of the equal rows moves is immaterial to what is published: the last
  records in register order.
- A bad class of P\\N: N records that match its P rows are moved, so more of those P rows are
  unmatched, one at a time, the one that brings a sensitive value the class lacks first, until the
  class is good; when that cannot be reached, every matching record moves (then the class in P\\N is
  the whole class of P, which is good since P is).
- A record moves one rung up its ladder: by default straight to "*" on every quasi-identifier (the
  one class every release shares; ``ladder`` can put cheaper rungs, such as the chosen node's
  levels, below it). A record already at "*" that must move again is withheld.
- N itself stays k >= K_ANONYMITY and l >= L_DIVERSITY: a class of N that lost records and is no
  longer good moves whole, one rung up; an all-"*" class the repair started with too few records is
  withheld.

Every pair is checked again after each round of moves, until none needs one. Same inputs, same output:
every choice is made in a fixed order (stable sorts, register order on ties).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from umkm.disclose.sdc_microdata import (
    K_ANONYMITY,
    L_DIVERSITY,
    QI_COLUMNS,
    QUASI_IDENTIFIERS,
    SENSITIVE,
    Encoded,
    Result,
    _result,
    _text,
    class_key,
    classes,
    combine,
    level_values,
    publish,
)
from umkm.disclose.sdc_specialise import bit_counts, own_bit
from umkm.disclose.tables import RISK_RESOURCES
from umkm.xlsx import csv_bytes

PSEUDONYM = "pseudonim"
MAX_ROUNDS = 200  # rounds of checking every pair and moving records; each moves a record up, so it ends anyway

# The rungs a moved record climbs before "*" on every quasi-identifier; each is at least as coarse as the one
# before, and a record goes to max(its levels, the rung). First the release's chosen node (the global
# generalisation: most records there share wide classes in every release); then the kecamatan and the KBLI
# category with the attributes of few values (size, sex, 20-year age band, coarse workforce band, sentra,
# NIB), then the kecamatan, category, sex and sentra only (at most 6 x 21 x 2 x 3 classes): the records
# moved in a release pool into classes that are wide in its differences too. Measured on the demo register
# (bench/microdata_releases.py), keeping sentra and NIB on the rungs halves their suppressed share after
# the repair (9% -> 3%, 10% -> 6%) for the same records moved, and withholds none.
LADDER = (
    "node",
    {
        "wilayah": "kecamatan",
        "kbli": "kategori",
        "skala_usaha": "skala",
        "jenis_kelamin": "jenis_kelamin",
        "kelompok_umur": "20_tahun",
        "kelompok_tenaga_kerja": "kelompok_kasar",
        "sentra": "sentra",
        "punya_nib": "nilai",
    },
    {"wilayah": "kecamatan", "kbli": "kategori", "jenis_kelamin": "jenis_kelamin", "sentra": "sentra"},
)


def default_ladder(node, qis=QUASI_IDENTIFIERS, rungs=LADDER) -> list[np.ndarray]:
    """LADDER as level vectors for a release whose chosen node is ``node``: a quasi-identifier a rung does not
    name is at "*"; each rung is at least as coarse as the one before."""
    out, previous = [], np.zeros(len(qis), dtype=np.int64)
    for rung in rungs:
        if rung == "node":
            levels = np.asarray(node, dtype=np.int64)
        else:
            levels = np.array(
                [qi.levels.index(rung[qi.name]) if qi.name in rung else len(qi.levels) - 1 for qi in qis],
                dtype=np.int64,
            )
        previous = np.maximum(previous, levels)
        out.append(previous)
    return out


# Checking a pair of published releases ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Difference:
    """The rows of one release that another lacks (a multiset difference), grouped by the quasi-identifiers."""

    rows: int
    classes: int
    smallest_class: int  # 0 when there is no row
    fewest_values: int  # fewest distinct known values of a sensitive attribute in a class with any (0: none)
    bad: pd.DataFrame  # the classes that are too small or not diverse: their quasi-identifiers and rows

    @property
    def passed(self) -> bool:
        return self.bad.empty


@dataclass(frozen=True)
class Differences:
    added: Difference  # rows of the newer release that the older lacks (joiners, changed rows)
    removed: Difference  # rows of the older release that the newer lacks (leavers, changed rows)

    @property
    def passed(self) -> bool:
        return self.added.passed and self.removed.passed


def read_published(path) -> pd.DataFrame:
    """A published microdata CSV as the attacker reads it: every value text, a blank "", no pseudonym."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    return frame.drop(columns=[PSEUDONYM], errors="ignore")


def as_published(microdata: pd.DataFrame) -> pd.DataFrame:
    """Microdata as its CSV will read back (read_published of the packages' writer, xlsx.csv_bytes), without
    writing a file."""
    return read_published(io.BytesIO(csv_bytes(microdata)))


def release_differences(
    a: pd.DataFrame,
    b: pd.DataFrame,
    qi=QI_COLUMNS,
    sensitive=SENSITIVE,
    k: int = K_ANONYMITY,
    l_diversity: int = L_DIVERSITY,
) -> Differences:
    """The differences between two published releases (text frames, ``a`` the older): b\\a (added) and a\\b
    (removed), rows compared on every column both share but the pseudonym, each grouped by ``qi``."""
    columns = [c for c in a.columns if c in b.columns and c != PSEUDONYM]
    missing = [c for c in (*qi, *sensitive) if c not in columns]
    if missing:
        raise ValueError(f"release_differences: column(s) {missing} not in both releases")
    both = pd.concat([a[columns], b[columns]], ignore_index=True).astype(str)
    row = combine([_codes(both[c]) for c in columns])[0]
    group = combine([_codes(both[c]) for c in qi])[0]
    bits, masks = _sensitive_bits([both[c] for c in sensitive])
    nrows = int(row.max(initial=-1)) + 1
    older, newer = np.bincount(row[: len(a)], minlength=nrows), np.bincount(row[len(a) :], minlength=nrows)
    first = np.unique(row, return_index=True)[1]  # a row of each distinct row value
    row_group, row_bits = group[first], bits[first]
    group_first = np.unique(group, return_index=True)[1]
    ngroups = len(group_first)

    def difference(extra: np.ndarray) -> Difference:
        size, values = _classes_of(extra, row_group, row_bits, ngroups, masks)
        bad_class = _bad(size, values, k, l_diversity)
        present = size > 0
        known = values[present][values[present] > 0]
        bad = both.loc[group_first[bad_class], list(qi)].reset_index(drop=True)
        bad["baris"] = size[bad_class]
        return Difference(
            int(extra.sum()),
            int(present.sum()),
            int(size[present].min()) if present.any() else 0,
            int(known.min()) if len(known) else 0,
            bad,
        )

    return Differences(added=difference(np.maximum(newer - older, 0)), removed=difference(np.maximum(older - newer, 0)))


def _classes_of(extra, row_group, row_bits, ngroups, masks) -> tuple[np.ndarray, np.ndarray]:
    """Rows in a difference (``extra`` of each distinct row) per class, and the distinct known values of each
    sensitive attribute per class."""
    size = np.bincount(row_group, weights=extra, minlength=ngroups).astype(np.int64)
    counts = bit_counts(row_bits[extra > 0], row_group[extra > 0], ngroups, _width(masks))
    return size, _distinct_values(counts, masks)


def _bad(size: np.ndarray, values: np.ndarray, k: int = K_ANONYMITY, l_diversity: int = L_DIVERSITY) -> np.ndarray:
    return (size > 0) & ((size < k) | ((values > 0) & (values < l_diversity)).any(axis=1))


def _codes(values: pd.Series) -> tuple[np.ndarray, int]:
    code, uniques = pd.factorize(values)
    return code.astype(np.int64), len(uniques)


def _sensitive_bits(columns) -> tuple[np.ndarray, list[int]]:
    """Per row: one bit per known value (not "") of each sensitive attribute; and each attribute's bits."""
    bits = np.zeros(len(columns[0]) if columns else 0, dtype=np.int64)
    masks, offset = [], 0
    for values in columns:
        code, uniques = pd.factorize(values.where(values != "", None), sort=True)  # "" -> -1: not known
        bits |= np.where(code >= 0, np.left_shift(1, offset + np.maximum(code, 0)), 0)
        masks.append(((1 << len(uniques)) - 1) << offset)
        offset += len(uniques)
    if offset > 62:
        raise ValueError("too many distinct sensitive values to count as bits")
    return bits, masks


def _width(masks: list[int]) -> int:
    return max((m.bit_length() for m in masks), default=0)


def _distinct_values(counts: np.ndarray, masks: list[int]) -> np.ndarray:
    """(groups, attributes): distinct known values of each sensitive attribute in each group."""
    nbits = counts.shape[1]
    return (
        np.stack([(counts[:, [b for b in range(nbits) if (m >> b) & 1]] > 0).sum(axis=1) for m in masks], axis=1)
        if masks
        else np.zeros((len(counts), 0), dtype=np.int64)
    )


# Repairing the candidate ------------------------------------------------------------------------------------------


def sensitive_text(detail: pd.DataFrame, sensitive=SENSITIVE) -> pd.DataFrame:
    """The sensitive columns of every record as its CSV will read them: "true"/"false", a blank ""."""
    return pd.DataFrame({c: _text(detail[c]).fillna("").astype(str) for c in sensitive}, index=detail.index)


def published_rows(enc: Encoded, result: Result, sensitive: pd.DataFrame, qis=QUASI_IDENTIFIERS) -> pd.DataFrame:
    """The candidate's published rows (kept records, in register order) as text, the pseudonym aside."""
    rows = np.flatnonzero(result.kept)
    out = {c: v.fillna("").astype(str).to_numpy() for c, v in publish(enc, result, rows, qis).items()}
    for column in sensitive.columns:
        out[column] = sensitive[column].to_numpy()[rows]
    return pd.DataFrame(out)


@dataclass
class Repair:
    result: Result  # the candidate's levels and kept records after the repair
    releases: pd.DataFrame  # per earlier release: the differences after the repair and the records moved for it
    records_moved: int  # records whose published quasi-identifiers the repair coarsened (withheld ones aside)
    records_withheld: int  # records the repair took out of the release
    rounds: int
    passed: bool  # every pair holds
    failures: list[str] = field(default_factory=list)


class _Coded:
    """An earlier release in the candidate's codes: per row its class key (negative for a class the candidate
    can never publish: a value it does not have), its level of each quasi-identifier (the coarsest level at
    which the candidate would publish that value; -1: never), and its sensitive values (a code, and bits)."""

    def __init__(self, enc: Encoded, frame: pd.DataFrame, sens: np.ndarray, bits: np.ndarray, qis):
        self.sens, self.bits = sens, bits
        mult = np.array([int(np.prod(enc.radix[q + 1 :], dtype=np.int64)) for q in range(len(qis))], dtype=np.int64)
        self.levels = np.zeros((len(frame), len(qis)), dtype=np.int64)
        self.key = np.zeros(len(frame), dtype=np.int64)
        for q, qi in enumerate(qis):
            code, level = _published_codes(enc, q, qi, frame)
            self.levels[:, q] = level
            self.key += np.maximum(code, 0) * mult[q]
        foreign = (self.levels < 0).any(axis=1)
        if foreign.any():
            other = combine([_codes(frame.loc[foreign, c]) for qi in qis for c in qi.columns])[0]
            self.key[foreign] = -1 - other


def _published_codes(enc: Encoded, q: int, qi, frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Per published row: the candidate's code of its value of one quasi-identifier and the coarsest level at
    which the candidate publishes that value (-1 and -1 for a value it never publishes). Worked out once per
    distinct value."""
    texts, codes, levels = [], [], []
    for level in range(len(qi.levels)):
        published = level_values(enc.samples[q], qi, level).fillna("\x00").astype(str)
        texts.append(_joined(published, qi.columns))
        codes.append(enc.value_codes[q][level])
        levels.append(np.full(len(published), level))
    table = pd.DataFrame(
        {"text": pd.concat(texts, ignore_index=True), "code": np.concatenate(codes), "level": np.concatenate(levels)}
    ).drop_duplicates("text", keep="last")
    value, first = combine([_codes(frame[c]) for c in qi.columns])
    distinct = frame.iloc[first][list(qi.columns)].astype(str).replace("", "\x00")
    at = pd.Index(table["text"]).get_indexer(_joined(distinct, qi.columns))[value]
    found = at >= 0
    code = np.where(found, table["code"].to_numpy()[np.maximum(at, 0)], -1)
    return code, np.where(found, table["level"].to_numpy()[np.maximum(at, 0)], -1)


def _joined(frame: pd.DataFrame, columns) -> pd.Series:
    text = frame[columns[0]].astype(str)
    for column in columns[1:]:
        text = text + "\x01" + frame[column].astype(str)
    return text.reset_index(drop=True)


def repair(
    enc: Encoded,
    result: Result,
    sensitive: pd.DataFrame,
    earlier: Sequence[pd.DataFrame],
    names: Sequence[str] | None = None,
    ladder: Sequence[Sequence[int]] | None = None,
    qis=QUASI_IDENTIFIERS,
    k: int = K_ANONYMITY,
    l_diversity: int = L_DIVERSITY,
) -> Repair:
    """Coarsen (or, last, withhold) records of the candidate until every difference with every earlier release
    is k-anonymous and l-diverse, and the candidate itself still is.

    enc, result: the candidate (umkm/disclose/sdc_microdata.py's codes, and the levels and kept records to publish);
    sensitive: sensitive_text of its records; earlier: each earlier published release as read_published
    reads it, oldest first; names: their versions, for the report; ladder: the rungs below "*" (level
    vectors, coarser and coarser; default: default_ladder of the result's node), "*" on every
    quasi-identifier is always the last."""
    names = list(names) if names is not None else [str(i + 1) for i in range(len(earlier))]
    published = {c for qi in qis for c in qi.columns} | set(sensitive.columns)
    for name, frame in zip(names, earlier):
        extra = sorted(set(frame.columns) - published - {PSEUDONYM})
        missing = sorted(published - set(frame.columns))
        if extra or missing:  # rows are compared on every published column: the candidate's must be the same
            raise ValueError(f"earlier release {name}: columns {extra or missing} differ from the candidate's")
    levels, keep = result.levels.copy(), result.kept.copy()
    ladder = default_ladder(result.node, qis) if ladder is None else ladder
    rungs = [np.asarray(r, dtype=np.int64) for r in ladder] + [np.asarray(enc.heights, dtype=np.int64)]
    # Sensitive values: one code per distinct tuple and one bit per known value, shared by every release.
    columns = list(sensitive.columns)
    texts = pd.concat([sensitive[columns].reset_index(drop=True)] + [p[columns] for p in earlier], ignore_index=True)
    sens = combine([_codes(texts[c]) for c in columns])[0]
    bits, masks = _sensitive_bits([texts[c] for c in columns])
    n = len(sensitive)
    coded, start = [], n
    for frame in earlier:
        coded.append(_Coded(enc, frame, sens[start : start + len(frame)], bits[start : start + len(frame)], qis))
        start += len(frame)
    own_sens, own_bits = sens[:n], bits[:n]
    moved_for = np.zeros((len(earlier), n), dtype=bool)
    failures: list[str] = []

    rounds = 0
    key = class_key(enc, levels)  # kept up to date as records move
    for rounds in range(1, MAX_ROUNDS + 1):
        marks = np.zeros(n, dtype=bool)
        for i, p in enumerate(coded):
            marked = _to_move(key, keep, own_sens, own_bits, p, masks, k, l_diversity)
            moved_for[i] |= marked
            marks |= marked
        if not marks.any():
            break
        _raise(enc, levels, keep, key, np.flatnonzero(marks), rungs)
        _keep_classes_good(enc, levels, keep, key, rungs)
    else:
        failures.append(f"no fixpoint after {MAX_ROUNDS} rounds")

    report = []
    for name, p in zip(names, coded):
        added, removed = _pair(key, keep, own_sens, own_bits, p, masks)
        for label, (size, values) in (("baru", added), ("hilang", removed)):
            bad = _bad(size, values, k, l_diversity)
            if bad.any():
                failures.append(f"release {name}: {int(bad.sum())} class(es) of the rows {label} fail k/l")
        report.append(
            (
                name,
                int(added[0].sum()),
                int(removed[0].sum()),
                _smallest(added[0]),
                _smallest(removed[0]),
                int((moved_for[names.index(name)]).sum()),
            )
        )
    releases = pd.DataFrame(
        report,
        columns=list(RISK_RESOURCES["selisih_mikrodata"]),
    )
    cls = classes(enc, key, keep)
    if cls.bad_class.any():
        failures.append(f"the candidate itself: {int(cls.bad_class.sum())} class(es) fail k/l")
    repaired = _result(enc, result.node, levels, keep, result.iterations)
    changed = keep & (levels != result.levels).any(axis=1)
    return Repair(
        repaired, releases, int(changed.sum()), int((result.kept & ~keep).sum()), rounds, not failures, failures
    )


def _smallest(size: np.ndarray) -> int:
    return int(size[size > 0].min()) if (size > 0).any() else 0


def _pair(key, keep, own_sens, own_bits, p: _Coded, masks):
    """Rows, distinct rows and classes of the candidate and one earlier release; per class of N\\P and P\\N its
    rows and the distinct known values of each sensitive attribute."""
    parts = _joint(key, keep, own_sens, own_bits, p)
    nrow, prow, row_group, row_bits, ngroups = parts[:5]
    return (
        _classes_of(np.maximum(nrow - prow, 0), row_group, row_bits, ngroups, masks),
        _classes_of(np.maximum(prow - nrow, 0), row_group, row_bits, ngroups, masks),
    )


def _joint(key, keep, own_sens, own_bits, p: _Coded):
    kept = np.flatnonzero(keep)
    group, ngroups = _codes(pd.Series(np.concatenate([key[kept], p.key])))
    row, nrows = combine([(group, ngroups), _codes(pd.Series(np.concatenate([own_sens[kept], p.sens])))])[0], None
    nrows = int(row.max(initial=-1)) + 1
    nrow = np.bincount(row[: len(kept)], minlength=nrows)
    prow = np.bincount(row[len(kept) :], minlength=nrows)
    first = np.unique(row, return_index=True)[1]
    all_bits = np.concatenate([own_bits[kept], p.bits])
    return nrow, prow, group[first], all_bits[first], ngroups, row[: len(kept)], kept, row[len(kept) :]


def _to_move(key, keep, own_sens, own_bits, p: _Coded, masks, k, l_diversity) -> np.ndarray:
    """The candidate's records to move for one earlier release: the excess rows of the bad classes of N\\P, and
    enough matching rows of the bad classes of P\\N."""
    nrow, prow, row_group, row_bits, ngroups, record_row, kept = _joint(key, keep, own_sens, own_bits, p)[:7]
    size, values = _classes_of(np.maximum(nrow - prow, 0), row_group, row_bits, ngroups, masks)
    bad = _bad(size, values, k, l_diversity)
    excess = np.where(bad[row_group], np.maximum(nrow - prow, 0), 0)  # records of each distinct row to move
    size, values = _classes_of(np.maximum(prow - nrow, 0), row_group, row_bits, ngroups, masks)
    bad = _bad(size, values, k, l_diversity)
    unmatch = (
        _unmatch(nrow, prow, row_group, row_bits, bad, masks, k, l_diversity) if bad.any() else np.zeros_like(excess)
    )
    # Of the records of each distinct row, the last ones in register order move (a row moved whole for P\N
    # takes its excess with it).
    take = np.maximum(excess, unmatch)
    some = np.flatnonzero(take[record_row] > 0)
    order = some[np.lexsort((-kept[some], record_row[some]))]
    sorted_rows = record_row[order]
    rank = np.arange(len(order)) - np.searchsorted(sorted_rows, sorted_rows)
    out = np.zeros(len(keep), dtype=bool)
    out[kept[order[rank < take[sorted_rows]]]] = True
    return out


def _unmatch(nrow, prow, row_group, row_bits, bad, masks, k, l_diversity) -> np.ndarray:
    """Per distinct row: how many candidate records to move so that the bad classes of P\\N become good.

    One P row at a time per class (a round): a row matched by at most as many candidate records as P has
    (so each record moved unmatches one more P row), the one that brings a sensitive value the class
    lacks first, never one that brings the first known value of an attribute the class has none of, the
    first row on a tie. A class that cannot be made so unmatches every P row it has."""
    nbits = _width(masks)
    extra = np.maximum(prow - nrow, 0)
    size = np.bincount(row_group, weights=extra, minlength=len(bad)).astype(np.int64)
    counts = bit_counts(row_bits[extra > 0], row_group[extra > 0], len(bad), nbits)
    take = np.zeros(len(nrow), dtype=np.int64)
    rows = np.flatnonzero(bad[row_group] & (nrow > 0) & (nrow <= prow))
    c = row_group[rows]
    for _ in range(k + l_diversity * len(masks)):
        values = _distinct_values(counts, masks)
        open_class = _bad(size, values, k, l_diversity)
        lacking = np.zeros(len(rows), dtype=bool)
        harmful = np.zeros(len(rows), dtype=bool)
        for a, mask in enumerate(masks):
            own = own_bit(row_bits[rows], mask)
            new_value = (own >= 0) & (counts[c, np.maximum(own, 0)] == 0)
            lacking |= new_value & (values[c, a] > 0) & (values[c, a] < l_diversity)
            harmful |= new_value & (values[c, a] == 0)
        useful = open_class[c] & (take[rows] < nrow[rows]) & ~harmful & (lacking | (size[c] < k))
        if not useful.any():
            break
        pick = np.flatnonzero(useful)
        order = pick[np.lexsort((rows[pick], ~lacking[pick], c[pick]))]
        first = order[np.r_[True, c[order][1:] != c[order][:-1]]]
        take[rows[first]] += 1
        size[c[first]] += 1
        counts[c[first]] += (row_bits[rows[first]][:, None] >> np.arange(nbits)) & 1
    values = _distinct_values(counts, masks)
    still = _bad(size, values, k, l_diversity) & bad
    whole = still[row_group] & (prow > 0)
    take[whole] = nrow[whole]
    return take


def _raise(enc: Encoded, levels: np.ndarray, keep: np.ndarray, key: np.ndarray, records: np.ndarray, rungs) -> None:
    """Each record one rung up its ladder (the first rung coarser than where it is); past "*": withheld. The
    records' class keys follow their levels."""
    pending = records
    for rung in rungs:
        if not len(pending):
            break
        new = np.maximum(levels[pending], rung)
        up = (new != levels[pending]).any(axis=1)
        levels[pending[up]] = new[up]
        key[pending[up]] = class_key(enc, new[up], pending[up])
        pending = pending[~up]
    keep[pending] = False


def _keep_classes_good(enc: Encoded, levels: np.ndarray, keep: np.ndarray, key: np.ndarray, rungs) -> None:
    """The candidate's own classes good again: a class that is not moves whole, one rung up. The all-"*"
    class only ever gains records here, so it is bad only when the repair started it with fewer than
    K_ANONYMITY: those records are withheld (borrowing others, as the release's own search does, would
    unmatch the rows the lenders share with earlier releases)."""
    for _ in range(len(rungs) + 2):  # enough for a record to climb every rung and be withheld
        bad = np.flatnonzero(classes(enc, key, keep).bad)
        if not len(bad):
            return
        _raise(enc, levels, keep, key, bad, rungs)
