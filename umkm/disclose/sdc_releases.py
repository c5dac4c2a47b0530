"""This release's tables and every earlier published release in, the retries of the cell keys and the attacker's
report out: the differencing gate.

The attacker holds every release ever published (``unduh/<version>/``) and knows, about a neighbour, where the
business is, its kind of business, the owner's sex and rough age, and that the neighbour joined, left or changed
between two releases. Against each earlier release this module plays that attacker on the candidate:

- magnitudes: a cell whose contributors (or their amounts) differ by exactly one actor gives, by subtraction,
  an estimate of that actor's turnover, capital or workforce (or of its change);
- counts: in a table that crosses known categories with an unknown one (the grant, online selling, ...), the
  cells of a row that changed between the two releases point at the unknown value of whoever changed, when
  they are exactly the cells the changers moved.

The cell key method (umkm/disclose/ckm.py) already gives fresh noise wherever contributors differ. Where by chance the
fresh noise still lets an estimate land within ``EXACT_SHARE`` of the truth, or leaves exactly the changers'
cells of a row moved, the cell's (or row's) key is moved on by a fixed step and drawn again (a "retry"). A row
or cell whose key is made of the same contributors as in an earlier release (for a magnitude cell: its own,
and the members of its row where the table is keyed by rows) keeps that release's retry, so it publishes the
same figure. What an earlier release's contributors were comes from its private truth (``ReleaseTruth``,
kept in private/rilis/); without it the earlier release is approximated by the actors of this register entered
by its snapshot date, with their attributes of today (joiners only), and the report says so.

The gate fails (the build publishes nothing) if, after the retries, any estimate is still within EXACT_SHARE or
any row still points at its changers. The report also gives how close the estimates come: the share within 10%
of the truth, beside the share a guess without differencing (the cell's mean per actor) gets.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from umkm.disclose import ckm, tables
from umkm.disclose.sdc_tables import KNOWN_DIMENSIONS, Keys, TableKeys

EXACT_SHARE = 0.01  # an estimate within 1% of the truth is an exact recovery
CLOSE_SHARE = 0.10  # the report's "close" estimates
MAX_RETRIES = 64
MEASURES = ("omzet_per_tahun", "modal_usaha", "tenaga_kerja")
SEP = "\x1f"


@dataclass
class ReleaseTruth:
    """What a release's tables were made of (private): per actor its record keys, its category in every table
    dimension (as the tables label it: codes, "ya"/"tidak", "" unknown) and its amounts; and the retries the
    release used, by table and row (count tables) or cell (magnitude tables), labels joined by \\x1f."""

    version: str
    snapshot: str
    actors: pd.DataFrame
    retries: dict[str, dict[str, int]] = field(default_factory=dict)
    approximate: bool = False


def dimensions() -> list[str]:
    return sorted({d for spec in tables.COUNT_TABLES + tables.MAGNITUDE_TABLES for d in spec.dimensions})


def truth_frame(
    actor_ids: pd.Series, detail: pd.DataFrame, record_keys: np.ndarray, row_keys: np.ndarray, keys: Keys | None = None
) -> pd.DataFrame:
    """The per-actor part of a ReleaseTruth (records in ``detail``'s order)."""
    keys = keys or Keys(detail)
    out = {
        "actor_id": pd.array(actor_ids.astype(str).to_numpy(), dtype="str"),
        "kunci_sel": record_keys.astype(np.int64),
        "kunci_baris": row_keys.astype(np.int64),
    }
    for dim in dimensions():
        code, labels = keys(dim)
        out[dim] = pd.array(np.asarray(labels, dtype=object)[code], dtype="str")
    for measure in MEASURES:
        out[measure] = pd.to_numeric(detail[measure], errors="coerce").astype("float64").to_numpy()
    return pd.DataFrame(out)


def _label_key(frame: pd.DataFrame, dims) -> np.ndarray:
    """Each row's labels over ``dims`` joined into one text (\\x1f between)."""
    if not len(dims):
        return np.full(len(frame), "", dtype=object)
    joined = frame[dims[0]].astype(str)
    for d in dims[1:]:
        joined = joined + SEP + frame[d].astype(str)
    return joined.to_numpy(dtype=object)


def _known_dims(table: TableKeys) -> list[str]:
    return [d for d in table.dims if d in KNOWN_DIMENSIONS]


def retry_labels(table: TableKeys) -> np.ndarray:
    """The label of each retry counter: its row's known labels (counts) or its cell's labels (magnitudes)."""
    cells = _label_key(table.frame, list(table.dims))
    if table.kind != "count":
        return cells
    rows = np.full(table.retry_size, "", dtype=object)
    known = _known_dims(table)
    rows[table.row] = _label_key(table.frame, known)
    return rows


@dataclass
class Earlier:
    """An earlier published release: its published tables (text) and its truth (None until approximated)."""

    version: str
    snapshot: str
    published: dict[str, pd.DataFrame]
    truth: ReleaseTruth | None = None
    microdata: pd.DataFrame | None = None  # its published microdata (text, no pseudonym)


def with_truths(earlier: list[Earlier], candidate: pd.DataFrame, registered: pd.Series) -> list[Earlier]:
    """The earlier releases to attack, each with its truth: kept (exact) or approximated from this register. A
    release made of exactly the candidate's actors and values is the candidate itself (a rebuild inside its
    period): there is nothing to subtract, and it is left out."""
    out = []
    for e in earlier:
        if e.truth is None:
            e = Earlier(
                e.version,
                e.snapshot,
                e.published,
                approximate_truth(candidate, registered, e.version, e.snapshot),
                e.microdata,
            )
        elif _same_actors(e.truth.actors, candidate):
            continue
        out.append(e)
    return out


def _same_actors(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    if len(a) != len(b) or list(a.columns) != list(b.columns):
        return False
    a = a.sort_values("actor_id", kind="stable").reset_index(drop=True)
    b = b.sort_values("actor_id", kind="stable").reset_index(drop=True)
    return bool(a.astype("string").fillna("").equals(b.astype("string").fillna("")))


@dataclass
class _Pair:
    """One table against one earlier release: each actor's cell (or -1) then and now, their amounts, and the
    earlier published value of each of this table's cells (NaN where the earlier release had no such cell)."""

    before_cell: np.ndarray
    after_cell: np.ndarray
    before_amount: np.ndarray
    after_amount: np.ndarray
    before_published: np.ndarray


class _Codes:
    """Each release's actors' category codes per dimension, in the candidate's list of categories (-1 for a
    category the candidate's tables do not have), worked out once per release and dimension."""

    def __init__(self, candidate: pd.DataFrame):
        self.candidate = candidate
        self._codes: dict[tuple, np.ndarray] = {}
        self._union: dict[str, tuple[pd.Index, np.ndarray, np.ndarray]] = {}

    def union(self, earlier: Earlier) -> tuple[pd.Index, np.ndarray, np.ndarray]:
        """Every actor of either release (the candidate's first), and where each release's actors sit in it."""
        version = earlier.version
        if version not in self._union:
            now = pd.Index(self.candidate["actor_id"])
            then = pd.Index(earlier.truth.actors["actor_id"])
            ids = now.append(then[~then.isin(now)])
            self._union[version] = (ids, ids.get_indexer(now), ids.get_indexer(then))
        return self._union[version]

    def codes(self, frame: pd.DataFrame, tag: str, dim: str, levels: list[str]) -> np.ndarray:
        key = (tag, dim, tuple(levels))
        if key not in self._codes:
            self._codes[key] = pd.Index(levels).get_indexer(frame[dim].astype(str))
        return self._codes[key]

    def cells(self, frame: pd.DataFrame, tag: str, table: TableKeys) -> np.ndarray:
        cell = np.zeros(len(frame), dtype=np.int64)
        missing = np.zeros(len(frame), dtype=bool)
        for dim, levels in zip(table.dims, table.levels):
            code = self.codes(frame, tag, dim, levels)
            missing |= code < 0
            cell = cell * len(levels) + np.maximum(code, 0)
        return np.where(missing, -2, cell)


def _pair(table: TableKeys, codes: _Codes, earlier: Earlier) -> _Pair | None:
    frame = earlier.published.get(table.name)
    value_column = tables.COUNT if table.kind == "count" else tables.MAGNITUDE_BY_NAME[table.name].value
    if frame is None or value_column not in frame or any(d not in frame for d in table.dims):
        return None  # the table was not published then
    dims = list(table.dims)
    text = frame[value_column].astype(str)
    at = pd.Index(_label_key(table.frame, dims)).get_indexer(_label_key(frame, dims))
    found = (at >= 0) & text.ne("").to_numpy()
    before_published = np.full(len(table.value), np.nan)
    before_published[at[found]] = text[found].astype(float).to_numpy()
    ids, now_at, then_at = codes.union(earlier)

    def spread(cell: np.ndarray, amount: np.ndarray, where: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        full_cell = np.full(len(ids), -1, dtype=np.int64)
        full_amount = np.zeros(len(ids))
        full_cell[where], full_amount[where] = cell, np.nan_to_num(amount)
        return full_cell, full_amount

    before = earlier.truth.actors
    before_cell = codes.cells(before, earlier.version, table)
    if table.kind == "count":
        before_amount, after_amount = np.ones(len(before)), np.ones(len(codes.candidate))
    else:
        before_amount = before[table.kind].to_numpy(dtype=np.float64)
        after_amount = codes.candidate[table.kind].to_numpy(dtype=np.float64)
        before_cell = np.where(np.isnan(before_amount), -1, before_cell)
    before_cell, before_amount = spread(before_cell, before_amount, then_at)
    after_cell, after_amount = spread(table.record_cell, after_amount, now_at)
    return _Pair(before_cell, after_cell, before_amount, after_amount, before_published)


@dataclass
class Finding:
    table: str
    unit: int  # the retry counter: a row of a count table, a cell of a magnitude table
    version: str
    kind: str  # "baris" (a row points at its changers) or "besaran" (an amount recovered)
    message: str


@dataclass
class Estimate:
    """The attacker's estimate of one actor's amount (or change) from one cell of two releases."""

    table: str
    version: str
    truth: float
    estimate: float
    naive: float  # a guess without differencing: the cell's published total per published actor
    alone: bool  # the actor was the cell's only change between the two releases


def _changes(pair: _Pair) -> np.ndarray:
    """The actors whose cell or amount differs between the two releases."""
    return (pair.before_cell != pair.after_cell) | ((pair.before_cell >= 0) & (pair.before_amount != pair.after_amount))


def _row_findings(table: TableKeys, pair: _Pair, now: np.ndarray, version: str) -> tuple[list[Finding], int]:
    """Rows of a count table where exactly one cell moved between the two releases and it is a cell some
    changer moved into or out of: the attacker who knows that neighbour changed reads its unknown value. A row
    with only one cell above zero in both releases is not counted: its value was no secret in either.
    Returns the findings and how many rows had changers."""
    changed = _changes(pair)
    affected = np.unique(np.concatenate([pair.after_cell[changed], pair.before_cell[changed]]))
    affected = affected[affected >= 0]
    if not len(affected):
        return [], 0
    before = pair.before_published
    comparable = ~np.isnan(before)
    moved = comparable & (now != np.nan_to_num(before))
    findings, rows_seen = [], 0
    cell_row = table.row
    for row in np.unique(cell_row[affected]):
        rows_seen += 1
        cells = np.flatnonzero(cell_row == row)
        if not comparable[cells].all():
            continue
        shown = (now[cells] > 0) | (np.nan_to_num(before[cells]) > 0)
        moved_cells = cells[moved[cells]]
        if shown.sum() >= 2 and len(moved_cells) == 1 and moved_cells[0] in affected:
            label = str(_label_key(table.frame.iloc[moved_cells], list(table.dims))[0]).replace(SEP, "/")
            findings.append(
                Finding(
                    table.name,
                    int(row),
                    version,
                    "baris",
                    f"{table.name} ({label}): the only cell of its row that moved since {version}, "
                    "and an actor who changed is in it",
                )
            )
    return findings, rows_seen


def _magnitude_findings(
    table: TableKeys, pair: _Pair, now: np.ndarray, version: str, counts_now: np.ndarray | None
) -> tuple[list[Finding], list[Estimate]]:
    """The attacker who knows that a neighbour joined, left or changed takes the difference of the neighbour's
    cell between the two releases as the neighbour's amount (or its change). Every such estimate, of every
    actor who changed in a cell, is scored. Where the neighbour is the cell's only change, the difference
    without noise would be exactly its amount: there an estimate within EXACT_SHARE is a finding. Where several
    changed, an estimate that lands on one of them is chance, which the report compares with a guess."""
    changed = np.flatnonzero(_changes(pair))
    if not len(changed):
        return [], []
    findings, estimates = [], []
    flagged = set()
    touched = np.concatenate(
        [pair.after_cell[changed], pair.before_cell[changed[pair.before_cell[changed] != pair.after_cell[changed]]]]
    )
    changers = np.bincount(touched[touched >= 0], minlength=len(now))
    for side in (pair.after_cell, pair.before_cell):
        for a in changed:
            cell = side[a]
            if cell < 0 or np.isnan(pair.before_published[cell]):
                continue
            if side is pair.before_cell and pair.after_cell[a] == cell:
                continue  # the same cell seen from both sides: scored once
            target = abs(
                (pair.after_amount[a] if pair.after_cell[a] == cell else 0.0)
                - (pair.before_amount[a] if pair.before_cell[a] == cell else 0.0)
            )
            if target == 0:
                continue
            estimate = abs(float(now[cell] - pair.before_published[cell]))
            per_actor = now[cell] / counts_now[cell] if counts_now is not None and counts_now[cell] > 0 else np.nan
            estimates.append(
                Estimate(table.name, version, float(target), estimate, float(per_actor), bool(changers[cell] == 1))
            )
            if changers[cell] == 1 and abs(estimate - target) <= EXACT_SHARE * target and cell not in flagged:
                flagged.add(cell)
                labels = str(_label_key(table.frame.iloc[[cell]], list(table.dims))[0]).replace(SEP, "/")
                findings.append(
                    Finding(
                        table.name,
                        int(cell),
                        version,
                        "besaran",
                        f"{table.name} ({labels}): the difference with release {version} gives an "
                        f"actor's {table.kind} (or its change) within {EXACT_SHARE:.0%}",
                    )
                )
    return findings, estimates


def _count_values(keyed: dict[str, TableKeys], retries: dict[str, np.ndarray], name: str) -> np.ndarray | None:
    table = keyed.get(name)
    return None if table is None else table.published(retries.get(name)).astype(np.float64)


def _counts_for(spec_dims, keyed, retries) -> np.ndarray | None:
    """The published counts of the count table over the same dimensions (the attacker's actor count per cell)."""
    for spec in tables.COUNT_TABLES:
        if tuple(spec.dimensions) == tuple(spec_dims):
            return _count_values(keyed, retries, spec.name)
    return None


@dataclass
class Attack:
    findings: list[Finding]
    estimates: list[Estimate]
    rows_with_changes: int
    compared: list[tuple[str, bool]]  # (version, approximate)


def attack(
    keyed: dict[str, TableKeys],
    retries: dict[str, np.ndarray],
    candidate: pd.DataFrame,
    earlier: list[Earlier],
    pairs: dict | None = None,
) -> Attack:
    """The candidate (its tables with these retries; ``candidate`` its truth frame, in the tables' record order)
    against every earlier release."""
    findings, estimates, rows = [], [], 0
    codes = _Codes(candidate)
    published = {name: t.published(retries.get(name)).astype(np.float64) for name, t in keyed.items()}
    for e in earlier:
        for name, table in keyed.items():
            key = (e.version, name)
            pair = pairs[key] if pairs is not None and key in pairs else _pair(table, codes, e)
            if pairs is not None:
                pairs[key] = pair
            if pair is None:
                continue
            if table.kind == "count":
                if table.row is not None:
                    found, seen = _row_findings(table, pair, published[name], e.version)
                    findings += found
                    rows += seen
            else:
                counts = _counts_for(table.dims, keyed, retries)
                found, est = _magnitude_findings(table, pair, published[name], e.version, counts)
                findings += found
                estimates += est
    return Attack(findings, estimates, rows, [(e.version, e.truth.approximate) for e in earlier])


def _locked(
    keyed: dict[str, TableKeys], candidate: pd.DataFrame, earlier: list[Earlier], pairs: dict
) -> dict[str, dict[int, int]]:
    """Retry counters whose cells are drawn from the same inputs as in an earlier release (_kept_units): they take
    that release's retry (the newest such release), so the same contributors give the same figure."""
    locked: dict[str, dict[int, int]] = {}
    codes = _Codes(candidate)
    for e in earlier:  # oldest first: a newer release overrides
        if e.truth.approximate:  # its contributors and retries are not known for sure: nothing to keep
            continue
        for name, table in keyed.items():
            if table.retry_size == 0:
                continue
            pair = pairs.get((e.version, name))
            if pair is None:
                pair = pairs[(e.version, name)] = _pair(table, codes, e)
            if pair is None:
                continue
            stored = e.truth.retries.get(name, {})
            labels = retry_labels(table)
            for unit in np.flatnonzero(_kept_units(table, pair, e, codes)):
                locked.setdefault(name, {})[int(unit)] = int(stored.get(labels[unit], 0))
    return locked


def _kept_units(table: TableKeys, pair: _Pair, earlier: Earlier, codes: _Codes) -> np.ndarray:
    """Per retry counter, whether each of its cells is drawn from the inputs it had in the earlier release: the
    same true value, the same key before any retry (TableKeys.cell_keys: the cell's record keys, its value's key,
    its row's key) and, for a magnitude, the same largest contribution. Then the earlier retry gives the earlier
    figure, which is what a kept counter must do."""
    cells, amount = pair.before_cell, pair.before_amount
    if (cells == -2).any():  # an earlier actor in a category the candidate's table lacks: nothing is comparable
        return np.zeros(table.retry_size, dtype=bool)
    ids, _, then_at = codes.union(earlier)
    n = len(table.value)
    inside = cells >= 0
    value = np.bincount(cells[inside], weights=amount[inside], minlength=n)
    record_keys = np.zeros(len(ids), dtype=np.int64)
    record_keys[then_at] = earlier.truth.actors["kunci_sel"].to_numpy(dtype=np.int64)
    keys = ckm.key_sums(cells, record_keys, n)
    if table.kind != "count":
        keys = keys + ckm.value_key(value)
    if table.row is not None:
        row_keys = np.zeros(len(ids), dtype=np.int64)
        row_keys[then_at] = earlier.truth.actors["kunci_baris"].to_numpy(dtype=np.int64)
        rows = np.where(inside, table.row[np.maximum(cells, 0)], -1)
        keys = keys + ckm.key_sums(rows, row_keys, len(table.row_sum))[table.row]
    same = (keys % ckm.MODULUS == table.cell_keys()) & (np.round(value) == np.round(table.value))
    if table.kind != "count":
        largest = np.zeros(n)
        np.maximum.at(largest, cells[inside], amount[inside])
        same &= largest == table.largest
        return same
    return np.bincount(table.row, weights=~same, minlength=table.retry_size) == 0


def choose_retries(
    keyed: dict[str, TableKeys], candidate: pd.DataFrame, earlier: list[Earlier]
) -> tuple[dict[str, np.ndarray], Attack]:
    """The retries that leave no finding against any earlier release (or the best found), and the final attack."""
    pairs: dict = {}
    locked = _locked(keyed, candidate, earlier, pairs)
    retries = {name: np.zeros(t.retry_size, dtype=np.int64) for name, t in keyed.items() if t.retry_size}
    for name, units in locked.items():
        for unit, value in units.items():
            retries[name][unit] = value
    result = attack(keyed, retries, candidate, earlier, pairs)
    for _ in range(MAX_RETRIES):
        movable = [f for f in result.findings if f.unit not in locked.get(f.table, {})]
        if not movable:
            break
        for f in {(f.table, f.unit) for f in movable}:
            retries[f[0]][f[1]] += 1
        result = attack(keyed, retries, candidate, earlier, pairs)
    return retries, result


def retries_by_label(keyed: dict[str, TableKeys], retries: dict[str, np.ndarray]) -> dict[str, dict[str, int]]:
    """The nonzero retries, by table and row or cell label (what a ReleaseTruth keeps)."""
    out: dict[str, dict[str, int]] = {}
    for name, values in sorted(retries.items()):
        labels = retry_labels(keyed[name])
        nonzero = {str(labels[i]): int(values[i]) for i in np.flatnonzero(values)}
        if nonzero:
            out[name] = dict(sorted(nonzero.items()))
    return out


def approximate_truth(candidate: pd.DataFrame, registered: pd.Series, version: str, snapshot: str) -> ReleaseTruth:
    """An earlier release without its private truth: this register's actors entered by its snapshot date."""
    keep = (pd.to_datetime(registered, errors="coerce") <= pd.Timestamp(snapshot)).fillna(False).to_numpy()
    return ReleaseTruth(version, snapshot, candidate[keep].reset_index(drop=True), approximate=True)


def report(result: Attack) -> dict[str, float]:
    """The attacker's figures for the risk report."""
    est = result.estimates
    truth = np.array([e.truth for e in est])
    guess = np.array([e.estimate for e in est])
    naive = np.array([e.naive for e in est])
    alone = np.array([e.alone for e in est], dtype=bool)
    close = np.abs(guess - truth) <= CLOSE_SHARE * truth if len(est) else np.zeros(0, bool)
    exact = (np.abs(guess - truth) <= EXACT_SHARE * truth) & alone if len(est) else np.zeros(0, bool)
    naive_ok = ~np.isnan(naive)
    chance = np.abs(naive - truth) <= CLOSE_SHARE * truth
    return {
        "releases_compared": len(result.compared),
        "releases_approximated": sum(1 for _, approx in result.compared if approx),
        "estimates": len(est),
        "estimates_alone": int(alone.sum()),
        "estimates_exact": int(exact.sum()),
        "estimates_close_share": round(float(close.mean()) * 100, 2) if len(est) else 0.0,
        "naive_close_share": round(float(chance[naive_ok].mean()) * 100, 2) if naive_ok.any() else 0.0,
        "rows_with_changes": result.rows_with_changes,
        "rows_pointing": sum(1 for f in result.findings if f.kind == "baris"),
        "findings": len(result.findings),
    }
