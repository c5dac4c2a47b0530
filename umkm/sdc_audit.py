"""Published tables in, proof out: no suppressed cell can be narrowed down from what is published.

The attacker's model: every published number of every table, every additive relation
between the tables (each table adds up to the city; kelurahan add up to their kecamatan
plus the actors whose kelurahan is unknown; golongan pokok add up to their KBLI category;
kecamatan x KBLI x size class adds up to each one-way table; the three magnitude tables
of one amount share its city total), every bound the microdata give (how many published
records certainly or possibly fall in a cell) and that no cell is negative. For every
cell that needs protection, a linear program (scipy.optimize.linprog, HiGHS) finds the
least and the greatest value the cell can take; the cell is safe when

    lower bound <= value - lower protection   and   upper bound >= value + upper protection.

Protection required (see umkm/disclose.py for where the numbers come from):
- a count of 1 to 4 actors: lower protection = the count, upper = 5 - count, so nobody can
  rule out that the cell is empty nor that it holds 5 or more actors;
- a magnitude cell with fewer than 3 contributors or failing the p% rule: p% of the largest
  contribution less what the others beyond the second add (the p% rule's protection level),
  both ways, so the second largest contributor cannot estimate the largest within p%;
- a cell hidden because its change since the previous release would expose one or two
  actors: the interval must reach back to the previous release's value, so that "nothing
  changed" stays possible.

``protect`` adds complementary (secondary) suppressions until the audit passes: first a
cheap pass over single relations (a protected cell alone, or short of protection, in a
relation gets its smallest sufficient published cell suppressed with it); then the linear
programs run, and for each side of each failing cell a further linear program (the
incremental heuristic of Fischetti and Salazar) finds the cheapest change of all cells that
keeps every relation and bound and moves the failing cell by its protection: the published
cells that have to move are suppressed. Repeat until nothing fails.

Only unknowns are variables: published cells are constants, so each linear program
is small, and it is solved per connected group of unknowns. The least and greatest value of
every protected cell of a group are linear programs over the same constraints with a different
objective: the group is loaded into HiGHS once (the bindings scipy ships) and each program
starts from the previous one's basis; scipy.optimize.linprog solves them one by one when those
bindings are missing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from scipy.optimize import linprog
from scipy.sparse.csgraph import connected_components

try:  # the HiGHS bindings bundled with scipy (pinned): one model per group, objectives changed in place
    from scipy.optimize._highspy import _core as highs
except ImportError:  # pragma: no cover - a scipy without them: linprog, one model per program
    highs = None

TOLERANCE = 1e-6


@dataclass
class Model:
    """Cells of every table (and hidden unknowns) and the additive relations between them."""

    names: list[str] = field(default_factory=list)  # "table|row" or "~hidden"
    value: list[float] = field(default_factory=list)  # true value (hidden: the true value too, for checks)
    hidden: list[bool] = field(default_factory=list)
    suppressed: list[bool] = field(default_factory=list)
    lower_protection: list[float] = field(default_factory=list)  # nan: no protection needed
    upper_protection: list[float] = field(default_factory=list)
    lower_bound: list[float] = field(default_factory=list)  # what the microdata (or the domain) allow
    upper_bound: list[float] = field(default_factory=list)
    scale: list[float] = field(default_factory=list)  # unit of the cell's relation group (magnitudes are large)
    rows: list[dict[int, float]] = field(default_factory=list)  # each relation: sum(coef * x) == 0
    index: dict[str, int] = field(default_factory=dict)

    def add(self, name: str, value: float, *, hidden: bool = False, suppressed: bool = False,
            lower_protection: float = np.nan, upper_protection: float = np.nan,
            lower_bound: float = 0.0, upper_bound: float = np.inf, scale: float = 1.0) -> int:
        if name in self.index:
            raise ValueError(f"cell {name} added twice")
        i = len(self.names)
        self.index[name] = i
        self.names.append(name)
        self.value.append(float(value))
        self.hidden.append(hidden)
        self.suppressed.append(suppressed or hidden)
        self.lower_protection.append(lower_protection)
        self.upper_protection.append(upper_protection)
        self.lower_bound.append(lower_bound)
        self.upper_bound.append(upper_bound)
        self.scale.append(scale)
        return i

    def relate(self, total: int, parts: list[int]) -> None:
        """total == sum(parts)."""
        row: dict[int, float] = {total: -1.0}
        for p in parts:
            row[p] = row.get(p, 0.0) + 1.0
        self.rows.append(row)

    def relate_linear(self, row: dict[int, float]) -> None:
        """sum(coefficient * cell) == 0."""
        self.rows.append(dict(row))

    def protected(self) -> np.ndarray:
        return np.flatnonzero(~np.isnan(np.array(self.lower_protection)) & np.array(self.suppressed))

    def check_consistent(self) -> list[str]:
        """The true values satisfy every relation (a modelling error otherwise)."""
        value = np.array(self.value)
        bad = []
        for row in self.rows:
            residual = sum(c * value[i] for i, c in row.items())
            if abs(residual) > TOLERANCE * max(1.0, max(abs(value[i]) for i in row)):
                bad.append(" + ".join(f"{c:+g}*{self.names[i]}" for i, c in row.items()) + f" = {residual:g}")
        return bad


@dataclass
class CellBounds:
    name: str
    value: float
    low: float
    high: float
    lower_protection: float
    upper_protection: float

    @property
    def safe(self) -> bool:
        slack = TOLERANCE * max(1.0, abs(self.value))
        return (self.low <= self.value - self.lower_protection + slack
                and self.high >= self.value + self.upper_protection - slack)


@dataclass
class Audit:
    cells: list[CellBounds]
    unknowns: int
    relations: int
    groups: int
    linear_programs: int

    @property
    def failures(self) -> list[CellBounds]:
        return [c for c in self.cells if not c.safe]

    @property
    def passed(self) -> bool:
        return not self.failures


def _presolve(model: Model, suppressed: np.ndarray) -> np.ndarray:
    """Hidden unknowns that a relation pins down exactly (its only unknown) become known."""
    unknown = suppressed.copy()
    hidden = np.array(model.hidden)
    changed = True
    while changed:
        changed = False
        for row in model.rows:
            free = [i for i in row if unknown[i]]
            if len(free) == 1 and hidden[free[0]]:
                unknown[free[0]] = False
                changed = True
    return unknown


def _groups(model: Model, unknown: np.ndarray):
    """Relations reduced to the unknowns, split into connected groups."""
    position = -np.ones(len(model.names), dtype=np.int64)
    position[unknown] = np.arange(len(unknown))
    value = np.array(model.value)
    data, row_index, col_index, rhs = [], [], [], []
    r = 0
    for row in model.rows:
        known = [(i, c) for i, c in row.items() if position[i] < 0]
        free = [(position[i], c) for i, c in row.items() if position[i] >= 0]
        if not free:
            continue
        for j, c in free:
            data.append(c)
            row_index.append(r)
            col_index.append(j)
        rhs.append(-sum(c * value[i] for i, c in known))
        r += 1
    a = sp.csr_matrix((data, (row_index, col_index)), shape=(r, len(unknown)))
    rhs = np.array(rhs)
    if len(unknown) == 0:
        return a, rhs, np.zeros(0, dtype=np.int64), 0
    adjacency = (a.T @ a) if r else sp.csr_matrix((len(unknown), len(unknown)))
    count, labels = connected_components(adjacency, directed=False)
    return a, rhs, labels, count


def _scaled(a: sp.csr_matrix, rhs: np.ndarray, scale: np.ndarray):
    """Variables in their own unit (x = scale * z), each relation divided by its largest coefficient."""
    a = sp.csr_matrix(a @ sp.diags(np.asarray(scale, dtype="float64")))
    norm = np.maximum(abs(a).max(axis=1).toarray().ravel(), 1e-300)
    return sp.csr_matrix(sp.diags(1.0 / norm) @ a), rhs / norm


class _Extremes:
    """Least and greatest value of single variables subject to A_eq x = b and bounds: one group's programs.

    A bound that is nan means none, as linprog reads it."""

    def __init__(self, a_eq, b_eq, bounds: np.ndarray, *, persistent: bool = True):
        self.a_eq, self.b_eq, self.bounds, self.previous = a_eq, b_eq, bounds, None
        self.solver = None
        if persistent and highs is not None:
            n = len(bounds)
            a = sp.csc_matrix(a_eq) if a_eq is not None else sp.csc_matrix((0, n))
            b = np.asarray(b_eq, dtype="float64") if b_eq is not None else np.zeros(0)
            lp = highs.HighsLp()
            lp.num_col_, lp.num_row_ = n, a.shape[0]
            lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = n, a.shape[0]
            lp.a_matrix_.format_ = highs.MatrixFormat.kColwise
            lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = a.indptr, a.indices, a.data
            lp.col_cost_ = np.zeros(n)
            lp.col_lower_ = np.where(np.isnan(bounds[:, 0]), -np.inf, bounds[:, 0])
            lp.col_upper_ = np.where(np.isnan(bounds[:, 1]), np.inf, bounds[:, 1])
            lp.row_lower_, lp.row_upper_ = b, b
            self.solver = highs._Highs()
            self.solver.setOptionValue("output_flag", False)
            if self.solver.passModel(lp) == highs.HighsStatus.kError:
                raise RuntimeError("disclosure audit: HiGHS rejected the model")

    def solve(self, k: int, sign: float) -> tuple[str, float]:
        """Minimise sign * x_k: ("optimal", the minimum), ("unbounded", nan) or (what failed, nan)."""
        if self.solver is None:
            c = np.zeros(len(self.bounds))
            c[k] = sign
            res = linprog(c, A_eq=self.a_eq, b_eq=self.b_eq, bounds=self.bounds, method="highs")
            return {0: "optimal", 3: "unbounded"}.get(res.status, res.message), res.fun if res.status == 0 else np.nan
        if self.previous is not None and self.previous != k:
            self.solver.changeColCost(self.previous, 0.0)
        self.solver.changeColCost(k, sign)
        self.previous = k
        self.solver.run()
        status = self.solver.getModelStatus()
        if status == highs.HighsModelStatus.kOptimal:
            return "optimal", self.solver.getInfo().objective_function_value
        if status in (highs.HighsModelStatus.kUnbounded, highs.HighsModelStatus.kUnboundedOrInfeasible):
            return "unbounded", np.nan  # the true values are feasible: not infeasible
        return self.solver.modelStatusToString(status), np.nan


def audit(model: Model, only: set[int] | None = None, *, persistent: bool = True) -> Audit:
    """Min and max of every protected suppressed cell given everything published.

    persistent=False solves every program with its own scipy.optimize.linprog call (a check of the
    persistent HiGHS model)."""
    unknown = np.flatnonzero(_presolve(model, np.array(model.suppressed)))
    a, rhs, labels, count = _groups(model, unknown)
    protected = set(model.protected().tolist())
    if only is not None:
        protected &= only
    lower = np.array(model.lower_bound)[unknown]
    upper = np.array(model.upper_bound)[unknown]
    scale = np.array(model.scale)[unknown]
    results, solves = [], 0
    row_group = np.full(a.shape[0], -1)
    if a.shape[0]:
        coo = a.tocoo()
        row_group[coo.row] = labels[coo.col]
    for g in range(count):
        cols = np.flatnonzero(labels == g)
        targets = [j for j in cols if unknown[j] in protected]
        if not targets:
            continue
        rows_g = np.flatnonzero(row_group == g)
        a_g, b_g = _scaled(a[rows_g][:, cols], rhs[rows_g], scale[cols]) if len(rows_g) else (None, None)
        s = scale[cols]
        bounds = np.column_stack([lower[cols] / s, np.where(np.isinf(upper[cols]), np.inf, upper[cols] / s)])
        programs = _Extremes(a_g, b_g, bounds, persistent=persistent)
        for j in targets:
            k = int(np.flatnonzero(cols == j)[0])
            lo_hi = []
            for sign in (1.0, -1.0):
                status, fun = programs.solve(k, sign)
                solves += 1
                if status == "unbounded":
                    lo_hi.append(-np.inf if sign > 0 else np.inf)
                elif status != "optimal":
                    raise RuntimeError(f"disclosure audit: linear program failed for {model.names[unknown[j]]}: "
                                       f"{status}")
                else:
                    lo_hi.append(sign * fun * s[k])
            i = unknown[j]
            results.append(CellBounds(model.names[i], model.value[i], lo_hi[0], lo_hi[1],
                                      model.lower_protection[i], model.upper_protection[i]))
    return Audit(results, len(unknown), a.shape[0], count, solves)


def _line_pass(model: Model) -> int:
    """Cheap first round: a relation whose unknowns are a protected cell alone, or too small to cover its
    protection, gets its smallest sufficient published cell suppressed (one relation at a time)."""
    value = np.array(model.value)
    added = 0
    changed = True
    while changed:
        changed = False
        for row in model.rows:
            unknown = [j for j in row if model.suppressed[j]]
            if not unknown or any(model.hidden[j] for j in unknown):
                continue
            for i in unknown:
                if np.isnan(model.lower_protection[i]):
                    continue
                others = sum(value[j] for j in unknown if j != i)
                need = max(model.upper_protection[i], model.lower_protection[i]) - others
                if len(unknown) >= 2 and need <= TOLERANCE * max(1.0, value[i]):
                    continue
                published = [j for j in row if not model.suppressed[j] and value[j] > 0]
                if not published:
                    continue
                enough = [j for j in published if value[j] >= need]
                pick = (min(enough, key=lambda j: (value[j], j)) if enough
                        else max(published, key=lambda j: (value[j], -j)))
                model.suppressed[pick] = True
                added += 1
                changed = True
                break
    return added


def _relations(model: Model) -> tuple[sp.csr_matrix, np.ndarray]:
    """Every relation as a row of a matrix over all cells, and the connected part of each cell."""
    n = len(model.names)
    data, rows, cols = [], [], []
    for r, row in enumerate(model.rows):
        for j, c in row.items():
            rows.append(r)
            cols.append(j)
            data.append(c)
    a = sp.csr_matrix((data, (rows, cols)), shape=(len(model.rows), n))
    _, labels = connected_components((a.T @ a) + sp.identity(n, format="csr"), directed=False)
    return a, labels


def _complements(model: Model, i: int, amount: float,
                 relations: tuple[sp.csr_matrix, np.ndarray] | None = None) -> list[int]:
    """Published cells whose suppression lets cell i move by ``amount`` (>0 up, <0 down).

    The incremental heuristic of Fischetti and Salazar: a linear program finds the cheapest change
    of all cells that keeps every relation and bound and moves cell i by the amount; cost is the
    movement of published cells weighted by their size (unknown cells move for free). The published
    cells that move are the complements: once they are suppressed, that change is possible for the
    attacker too, so cell i can no longer be pinned down on that side.
    """
    value = np.array(model.value)
    scale = np.array(model.scale)
    lower = np.array(model.lower_bound)
    upper = np.array(model.upper_bound)
    free = np.array(model.suppressed)
    a, labels = _relations(model) if relations is None else relations
    # Only the connected part of the model around i matters.
    part = np.flatnonzero(labels == labels[i])
    a_part = a[:, part]
    used_rows = np.flatnonzero(np.diff(a_part.tocsr().indptr) > 0)
    a_part = a_part[used_rows]
    k = int(np.flatnonzero(part == i)[0])
    s = scale[part]
    a_part, _ = _scaled(a_part, np.zeros(a_part.shape[0]), s)
    cost = np.where(free[part], 0.0, (value[part] + 1.0) / s)
    up_cap = (upper[part] - value[part]) / s
    down_cap = (value[part] - lower[part]) / s
    bounds_p = [(0, None if np.isinf(u) else max(u, 0.0)) for u in up_cap]
    bounds_q = [(0, max(d, 0.0)) for d in down_cap]
    step = amount / s[k]
    if step > 0:
        bounds_p[k] = (step, step)
        bounds_q[k] = (0, 0)
    else:
        bounds_p[k] = (0, 0)
        bounds_q[k] = (-step, -step)
    a_eq = sp.hstack([a_part, -a_part], format="csr")
    res = linprog(np.r_[cost, cost], A_eq=a_eq, b_eq=np.zeros(a_eq.shape[0]), bounds=bounds_p + bounds_q,
                  method="highs")
    if res.status != 0:
        return []
    moved = np.abs(res.x[:len(part)]) + np.abs(res.x[len(part):])
    return [int(part[j]) for j in np.flatnonzero(moved > 1e-9) if not free[part[j]]]


@dataclass
class Protection:
    secondary: list[int]
    rounds: int
    audit: Audit


def protect(model: Model, max_rounds: int = 20) -> Protection:
    """Complementary suppression until every protected cell passes the audit."""
    before = np.array(model.suppressed).copy()
    _line_pass(model)
    rounds = 0
    result = audit(model)
    relations = _relations(model) if not result.passed else None  # the relations do not change
    while not result.passed and rounds < max_rounds:
        rounds += 1
        progress = False
        for cell in result.failures:
            i = model.index[cell.name]
            wants = []
            if cell.high < cell.value + cell.upper_protection - TOLERANCE * max(1.0, cell.value):
                wants.append(cell.upper_protection)
            if cell.low > cell.value - cell.lower_protection + TOLERANCE * max(1.0, cell.value):
                wants.append(-cell.lower_protection)
            for amount in wants:
                for j in _complements(model, i, amount, relations):
                    model.suppressed[j] = True
                    progress = True
        if not progress:
            break
        result = audit(model)
    secondary = np.flatnonzero(np.array(model.suppressed) & ~before & ~np.array(model.hidden)).tolist()
    return Protection(secondary, rounds, result)
