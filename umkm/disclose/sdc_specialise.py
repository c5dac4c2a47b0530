"""k-anonymous, l-diverse levels in, the same records published in more detail wherever their classes stay good out.

The lattice search (umkm/disclose/sdc_microdata.py) picks one generalisation node for everybody, so a
quasi-identifier the node puts at "*" is blank in every row, although many classes could show it.
``specialise`` recodes locally, downwards: it lowers a quasi-identifier's level for the records whose
class stays good, and leaves the others where they are.

One step lowers one quasi-identifier q from level L to L-1 (a chain, kelurahan > kecamatan > *, one
link at a time). Within each class C (the records sharing every published quasi-identifier value), the
records at level L are split by their value at L-1 into sub-classes. A sub-class is good when, with
the records already published with that value (the class it joins: adding records never breaks a good
class), it holds K_ANONYMITY records and L_DIVERSITY known values of every sensitive attribute. The
records that stay (at level L, or whose value is the same at L-1, such as an unknown one: a blank is
a value of its own) form the leftover, a class of its own, which must be empty or good too. When it
is not, good sub-classes lend it records they can spare (each lent record only keeps its coarser
value), and failing that the smallest good sub-classes stay behind, whole, until it is; as the whole
of C is good, some choice always is.

Order: first every step that fills a blank column (the step from "*" to the coarsest published
level, and each link of a chain), the column with the largest share of suppressed cells first, round
after round while any step still moves a record; only then the steps that narrow a band already
published (20-year age bands to 10 to 5; start-year and workforce bands), each quasi-identifier's
first narrowing before any one's second; and again both while either moves a record. A blank cell
hides everything and a coarser band only detail, and every split spends anonymity that the next
column cannot use: so the columns that are still blank get it first, the emptiest first.

Speed: the classes are kept in a table updated as records move (records and per-bit counts of the
sensitive values, so a class can lose records), and a step looks again only at the classes that, or
whose landing classes, changed since it last ran: the others would get the same answer.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from umkm.disclose.sdc_microdata import (
    K_ANONYMITY,
    L_DIVERSITY,
    QUASI_IDENTIFIERS,
    Encoded,
    Result,
    _diverse,
    _first_rows,
    _multipliers,
    _result,
    class_key,
    level_values,
)

MAX_ROUNDS = 12  # rounds of filling and narrowing; levels only go down, so the loop ends anyway


# Suppressed cells -------------------------------------------------------------------------------------------------


def blank_tables(enc: Encoded, qis=QUASI_IDENTIFIERS) -> list[dict[str, np.ndarray]]:
    """Per quasi-identifier, per published column: (levels, distinct source values), True where the
    published cell is blank."""
    out = []
    for qi, sample in zip(qis, enc.samples):
        frames = [level_values(sample, qi, level) for level in range(len(qi.levels))]
        out.append({c: np.stack([f[c].isna().to_numpy() for f in frames]) for c in qi.columns})
    return out


def suppressed_cells(
    enc: Encoded, levels: np.ndarray, keep: np.ndarray, qis=QUASI_IDENTIFIERS, blanks=None
) -> pd.DataFrame:
    """The information loss per published quasi-identifier column: the records whose value is known (at full
    detail), the cells published blank although the value is known (a dropped record: all its cells), and
    their share of the known values. Columns: kolom, nilai_diketahui, sel_disembunyikan, bagian_disembunyikan."""
    rows = []
    for q, (qi, blank) in enumerate(zip(qis, blanks or blank_tables(enc, qis))):
        distinct = blank[qi.columns[0]].shape[1]
        published = np.where(keep, levels[:, q], len(qi.levels) - 1)  # a dropped record: at "*"
        count = np.bincount(published * distinct + enc.values[q], minlength=len(qi.levels) * distinct)
        count = count.reshape(len(qi.levels), distinct)
        for column in qi.columns:
            known = ~blank[column][0]
            hidden = int((count * (blank[column] & known)).sum())
            total = int(count[:, known].sum())
            rows.append((column, total, hidden, hidden / total if total else 0.0))
    return pd.DataFrame(rows, columns=["kolom", "nilai_diketahui", "sel_disembunyikan", "bagian_disembunyikan"])


def _steps(qis, blanks) -> tuple[list[tuple[int, int, str]], list[tuple[int, int]]]:
    """Steps (QI, from level) that fill a blank column (with the column they fill), and those that narrow a
    published band: each quasi-identifier's first narrowing before any one's second."""
    fill, narrow = [], []
    for q, (qi, blank) in enumerate(zip(qis, blanks)):
        for level in range(len(qi.levels) - 1, 0, -1):
            filled = [c for c in qi.columns if (blank[c][level] & ~blank[c][level - 1]).any()]
            if filled:
                fill.append((q, level, filled[0]))
            else:
                narrow.append((q, level))
    heights = [len(qi.levels) - 1 for qi in qis]
    return fill, sorted(narrow, key=lambda s: (heights[s[0]] - s[1], s[0]))


# Classes kept up to date ------------------------------------------------------------------------------------------


def bit_counts(bits: np.ndarray, group: np.ndarray, groups: int, nbits: int) -> np.ndarray:
    """(groups, nbits): records of each group holding each bit."""
    out = np.zeros((groups, nbits), dtype=np.int64)
    for b in range(nbits):
        out[:, b] = np.bincount(group, weights=(bits >> b) & 1, minlength=groups)
    return out


def _bits_of(counts: np.ndarray) -> np.ndarray:
    """The OR of the bits of each row's records, from its per-bit counts."""
    return (counts > 0).astype(np.int64) @ np.left_shift(1, np.arange(counts.shape[1], dtype=np.int64))


class _Classes:
    """The classes of the kept records as records move: per class (an id that never changes) its key, its
    records and, per bit of the sensitive values, how many of them hold it (so a class can lose records),
    and when it last changed. A class that loses every record stays, with no record: no class at all."""

    def __init__(self, key: np.ndarray, bits: np.ndarray, nbits: int):
        self.nbits = nbits
        self.keys, self.of_record = np.unique(key, return_inverse=True)
        self.size = np.bincount(self.of_record, minlength=len(self.keys))
        self.counts = bit_counts(bits, self.of_record, len(self.keys), nbits)
        self.changed = np.zeros(len(self.keys), dtype=np.int64)
        self.index = pd.Index(self.keys)

    def find(self, keys: np.ndarray) -> np.ndarray:
        """The id of the class at each key, -1 where there is none."""
        return self.index.get_indexer(keys)

    def move(self, old: np.ndarray, new: np.ndarray, bits: np.ndarray, when: int) -> np.ndarray:
        """Records (their bits) leave the classes ``old`` (ids) for those at the keys ``new``, at time
        ``when``. Returns the records' new class ids."""
        n = len(self.keys)
        self.size -= np.bincount(old, minlength=n)
        self.counts -= bit_counts(bits, old, n, self.nbits)
        self.changed[old] = when
        target = self.find(new)
        if (target < 0).any():
            unknown = pd.unique(new[target < 0])
            self.keys = np.concatenate([self.keys, unknown])
            self.size = np.concatenate([self.size, np.zeros(len(unknown), dtype=self.size.dtype)])
            self.counts = np.concatenate([self.counts, np.zeros((len(unknown), self.nbits), dtype=np.int64)])
            self.changed = np.concatenate([self.changed, np.zeros(len(unknown), dtype=np.int64)])
            self.index = pd.Index(self.keys)
            target = self.find(new)
        self.size += np.bincount(target, minlength=len(self.keys))
        self.counts += bit_counts(bits, target, len(self.keys), self.nbits)
        self.changed[target] = when
        return target


class _State:
    def __init__(self, enc: Encoded, levels: np.ndarray, keep: np.ndarray):
        self.enc, self.levels, self.keep = enc, levels, keep
        self.mult = _multipliers(enc)
        self.key = class_key(enc, levels)
        self.nbits = int(np.log2(len(enc.popcount)))
        kept = np.flatnonzero(keep)
        self.classes = _Classes(self.key[kept], enc.bits[kept], self.nbits)
        self.class_of = np.full(len(keep), -1, dtype=np.int64)
        self.class_of[kept] = self.classes.of_record
        self.clock = 1  # goes on whenever a level changes
        self.ran: dict[tuple[int, int], int] = {}  # step -> the clock when it last ran


def _good(enc: Encoded, size: np.ndarray, bits: np.ndarray) -> np.ndarray:
    return (size >= K_ANONYMITY) & _diverse(enc, bits)


# One step ---------------------------------------------------------------------------------------------------------


def lower(state: _State, q: int, level: int) -> int:
    """Records at ``level`` of quasi-identifier q go to level - 1 wherever every class stays good. Returns how
    many records changed their published value."""
    enc, levels, key, table = state.enc, state.levels, state.key, state.classes
    since, state.ran[q, level] = state.ran.get((q, level), 0), state.clock
    if since == state.clock:  # nothing at all changed since it last ran
        return 0
    cand = np.flatnonzero(state.keep & (levels[:, q] == level))
    delta = (enc.codes[q][level - 1, cand] - enc.codes[q][level, cand]) * state.mult[q]
    if (delta == 0).any():  # the same published value one level down: the class stays, the level goes down
        levels[cand[delta == 0], q] = level - 1
        state.clock += 1
        table.changed[state.class_of[cand[delta == 0]]] = state.clock  # new candidates one level down
    movers = cand[delta != 0]
    new = key[movers] + delta[delta != 0]
    home = state.class_of[movers]
    if since:  # only the classes that, or whose landing classes, changed since the step last ran
        target = table.find(new)
        fresh = (table.changed[home] >= since) | ((target >= 0) & (table.changed[np.maximum(target, 0)] >= since))
        look = np.zeros(len(table.keys), dtype=bool)
        look[home[fresh]] = True
        look = look[home]
        movers, new, home = movers[look], new[look], home[look]
    if not len(movers):
        return 0

    # Sub-classes: the movers by their new key. A finer value determines the coarser one, so each sub-class
    # comes from one class C, and the class it joins (if any) loses nobody in this step.
    sub, sub_keys = pd.factorize(new)
    nsub = len(sub_keys)
    sub_size = np.bincount(sub, minlength=nsub)
    sub_counts = bit_counts(enc.bits[movers], sub, nsub, state.nbits)
    joins = table.find(sub_keys)
    total = sub_size + np.where(joins >= 0, table.size[joins], 0)
    counts = sub_counts + np.where((joins >= 0)[:, None], table.counts[joins], 0)
    good = _good(enc, total, _bits_of(counts))

    # The leftover of each class C: the records that stay, with the sub-classes that are not good.
    touched, where = np.unique(home[_first_rows(sub)], return_inverse=True)
    nt = len(touched)
    leaving = np.where(good, sub_size, 0)
    left_size = table.size[touched] - np.bincount(where, weights=leaving, minlength=nt).astype(np.int64)
    left_counts = table.counts[touched] - _bit_counts_sum(sub_counts * good[:, None], where, nt)
    left_bits = _bits_of(left_counts)
    ok = (left_size == 0) | _good(enc, left_size, left_bits)

    lent = np.zeros(len(movers), dtype=bool)  # movers that stay behind in their leftover
    if not ok.all():
        lent, ok = _lend(state, movers, sub, good, where, ok, left_size, left_bits, total, counts)
    moving = good & ok[where]
    if not ok.all():  # the smallest good sub-classes stay behind, whole, until the leftover is good
        moving |= _keep_back(
            enc, state.nbits, good & ~ok[where], where, sub_size, _bits_of(sub_counts), left_size, left_bits
        )
    go = moving[sub] & ~lent
    if go.any():
        state.clock += 1
        state.class_of[movers[go]] = table.move(home[go], new[go], enc.bits[movers[go]], state.clock)
        levels[movers[go], q] = level - 1
        key[movers[go]] = new[go]
    return int(go.sum())


def _bit_counts_sum(values: np.ndarray, group: np.ndarray, groups: int) -> np.ndarray:
    """Rows of per-bit counts summed per group."""
    out = np.zeros((groups, values.shape[1]), dtype=np.int64)
    for column in range(values.shape[1]):
        out[:, column] = np.bincount(group, weights=values[:, column], minlength=groups)
    return out


def own_bit(bits: np.ndarray, mask: int) -> np.ndarray:
    """Per record: the bit of its known value of one sensitive attribute, or -1."""
    own = bits & mask
    return np.where(own > 0, np.log2(np.maximum(own, 1)).astype(np.int64), -1)


def _lend(state: _State, movers, sub, good, where, ok, left_size, left_bits, total, counts):
    """Good sub-classes lend records to the leftovers that are not good, one record per leftover a round.

    A record can be lent when its sub-class (with the class it joins) stays good without it. The record
    lent is one that brings a sensitive value the leftover lacks, if it lacks one, and never one that
    brings the first known value of an attribute the leftover has none of (one known value is not
    diverse); the first record on a tie. Returns the movers lent and which leftovers are now good; a
    leftover that could not be made good lends nothing back."""
    enc, nbits = state.enc, state.nbits
    lent = np.zeros(len(movers), dtype=bool)
    left_size, left_bits, ok = left_size.copy(), left_bits.copy(), ok.copy()
    total, counts = total.copy(), counts.copy()
    rows = np.flatnonzero(~ok[where[sub]] & good[sub])  # the records that might be lent
    s, c, bits = sub[rows], where[sub[rows]], enc.bits[movers[rows]]
    own = [own_bit(bits, mask) for mask in enc.masks]
    attribute_bits = [np.flatnonzero((mask >> np.arange(nbits)) & 1) for mask in enc.masks]
    for _ in range(K_ANONYMITY + L_DIVERSITY * len(enc.masks)):
        distinct = [(counts[:, columns] > 0).sum(axis=1) for columns in attribute_bits]
        spare = total[s] - 1 >= K_ANONYMITY
        lacking = np.zeros(len(rows), dtype=bool)  # brings a value where the leftover has too few
        harmful = np.zeros(len(rows), dtype=bool)  # brings the first known value of an attribute
        for a, mask in enumerate(enc.masks):
            has, value = own[a] >= 0, np.maximum(own[a], 0)
            left = distinct[a][s] - (counts[s, value] == 1)  # the sub-class's values without the record
            spare &= ~has | (left >= L_DIVERSITY) | (left == 0)
            known = enc.popcount[left_bits[c] & mask]
            new_value = has & ((left_bits[c] >> value) & 1 == 0)
            lacking |= new_value & (known > 0) & (known < L_DIVERSITY)
            harmful |= new_value & (known == 0)
        useful = ~lent[rows] & ~ok[c] & spare & ~harmful & (lacking | (left_size[c] < K_ANONYMITY))
        if not useful.any():
            break
        pick = np.flatnonzero(useful)
        order = pick[np.lexsort((rows[pick], ~lacking[pick], c[pick]))]
        first = order[np.r_[True, c[order][1:] != c[order][:-1]]]  # one per leftover
        lent[rows[first]] = True
        total[s[first]] -= 1
        counts[s[first]] -= (bits[first][:, None] >> np.arange(nbits)) & 1  # one record per sub-class
        left_size[c[first]] += 1
        left_bits[c[first]] |= bits[first]
        ok[c[first]] = _good(enc, left_size[c[first]], left_bits[c[first]])
    lent[~ok[where[sub]]] = False
    return lent, ok


def _keep_back(enc: Encoded, nbits: int, candidates, where, sub_size, sub_bits, left_size, left_bits):
    """Good sub-classes of leftovers that are not good stay behind, smallest first (then the first), until
    the leftover is good. Returns, per sub-class, whether it still moves."""
    idx = np.flatnonzero(candidates)
    order = idx[np.lexsort((idx, sub_size[idx], where[idx]))]
    seg = where[order]
    start = np.r_[True, seg[1:] != seg[:-1]] if len(seg) else np.zeros(0, dtype=bool)
    starts = np.maximum.accumulate(np.where(start, np.arange(len(seg)), 0))
    size = np.cumsum(sub_size[order])
    size = size - np.r_[0, size][starts]
    held = np.zeros((len(order), nbits), dtype=np.int64)
    for b in range(nbits):
        has = np.cumsum((sub_bits[order] >> b) & 1)
        held[:, b] = has - np.r_[0, has][starts]
    enough = _good(enc, left_size[seg] + size, _bits_of(held) | left_bits[seg])
    # the first sub-class (in this order) whose staying behind, with those before it, makes the leftover good
    first = np.full(len(left_size), len(order))
    hit = np.flatnonzero(enough)
    np.minimum.at(first, seg[hit], hit)
    moves = np.zeros(len(candidates), dtype=bool)
    moves[order[np.arange(len(order)) > first[seg]]] = True
    return moves


# The whole --------------------------------------------------------------------------------------------------------


def _fill(state: _State, fill, blanks, qis) -> int:
    """Rounds of every step that fills a blank column, the column with the largest share of suppressed cells
    first (on a tie the first quasi-identifier, its coarser column first), until a round moves nobody."""
    moved = 0
    while True:
        shares = suppressed_cells(state.enc, state.levels, state.keep, qis, blanks).set_index("kolom")[
            "bagian_disembunyikan"
        ]
        filled = sum(lower(state, q, level) for q, level, _ in sorted(fill, key=lambda s: (-shares[s[2]], s[0], -s[1])))
        if not filled:
            return moved
        moved += filled


def specialise(enc: Encoded, result: Result, qis=QUASI_IDENTIFIERS) -> Result:
    """The result's records with each quasi-identifier as detailed as k-anonymity and l-diversity allow.

    Starts from the result's per-record levels (the chosen node after local suppression) and only lowers
    them, so every class keeps K_ANONYMITY records and L_DIVERSITY known values of every sensitive
    attribute (or none); dropped records stay dropped. The blank columns are filled first, then the
    published bands narrowed (see the module's docstring). Same inputs, same output: no randomness, and
    every tie broken by position. The result's loss is the information loss after specialisation; its
    values_suppressed and records_touched count the values and records still above the node."""
    state = _State(enc, np.array(result.levels, order="F"), result.kept.copy())  # a copy, column by column
    blanks = blank_tables(enc, qis)
    fill, narrow = _steps(qis, blanks)
    for _ in range(MAX_ROUNDS):
        moved = _fill(state, fill, blanks, qis)
        while narrowed := sum(lower(state, q, level) for q, level in narrow):
            moved += narrowed
        if not moved:
            break
    return _result(enc, result.node, state.levels, state.keep, result.iterations)
