"""Record keys and true cell values in, perturbed cell values out: the cell key method.

The cell key method (ABS TableBuilder; ONS, Census 2021; Eurostat's guidelines; the
sdcTools ``ptable`` and ``cellKey`` packages) adds noise to every published cell so that
the same contributors always give the same figure and different contributors give fresh
noise:

- every actor has a fixed secret record key (``RECORD_KEY_BITS`` bits), kept in private/;
- a cell's key is the sum of its contributors' record keys, modulo 2^32;
- a published perturbation table (``PTABLE``) maps (true count, cell key) to the
  perturbation of a count;
- a magnitude (turnover, capital, workers) gets noise scaled to its largest contributor.

A rebuild with the same contributors cannot average the noise away (it is the same
noise); a release with one more or one less contributor gets a new cell key and so fresh
noise, so subtracting two releases, or two overlapping tables, never gives an exact
difference.

Rows. For a table that crosses what an attacker knows about a neighbour (area, sector,
sex, age band, sentra) with what they do not (online selling, the grant, training, NIB,
size class, still active), the cells sharing the known categories form a row; every cell
key of the row also adds the second record keys of everyone in the row. When anybody
joins, leaves or changes within a row, every cell of that row is perturbed afresh, so the
one cell that really changed does not stand out ("the neighbour joined, and only the
'grant = yes' cell of their kelurahan moved").

Parameters (published in the disclosure-risk package; the record keys never are):

- counts: maximum deviation D = 5, variance V = 3, and no published count of 1 or 2
  (js = 2): the example parameters of the sdcTools ``ptable`` package (Enderle,
  Giessing, Tent), whose maximum-entropy construction is used here. The noise has mean 0
  (unbiased), a standard deviation of 1.7 and never moves a count by more than 5; a zero
  stays zero. A published 3 can be a true 1 to 8.
- magnitudes: noise = s * z, s = M * (largest contribution), at least one unit for
  workers, and |z| between 1 and 2 (a random sign): every cell moves by at least M of
  its largest contribution, so no contributor, not even the only one, can be estimated
  closer than M (the p% rule's aim with p = 100 * M), and at most by 2M.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

MODULUS = 1 << 32  # cell keys are sums of 32-bit record keys modulo 2^32
RECORD_KEY_BITS = 32
D_MAX = 5  # counts: maximum perturbation
VARIANCE = 3.0  # counts: perturbation variance
BLOCKED_MAX = 2  # counts: no published count of 1..2 (js)
MAGNITUDE_SHARE = 0.25  # magnitudes: M, the noise scale as a share of the largest contribution
MAGNITUDE_MIN_UNIT = {"tenaga_kerja": 1.0}  # at least one worker of noise scale
RETRY_STEP = 0x9E3779B9  # a retried row or cell adds this (2^32 / golden ratio) to its key per retry
PTABLE_CSV = Path(__file__).resolve().parent / "ptable_jumlah.csv"


# Record keys ------------------------------------------------------------------------------------------------------


def record_keys(actor_ids, secret: bytes) -> tuple[np.ndarray, np.ndarray]:
    """Each actor's two secret record keys (cell key, row key): 32-bit integers from HMAC-SHA256 of the actor id
    under the secret. Deterministic, so a lost private/ with the same secret gives the same keys back; kept in
    private/ so that a new secret does not re-draw them (a re-draw would give fresh noise to unchanged cells)."""
    if not secret:
        raise ValueError("the record-key secret is empty")
    cell, row = [], []
    for actor in actor_ids:
        digest = hmac.new(secret, b"kunci-rekaman\x00" + str(actor).encode("utf-8"), hashlib.sha256).digest()
        cell.append(int.from_bytes(digest[:4], "big"))
        row.append(int.from_bytes(digest[4:8], "big"))
    return np.array(cell, dtype=np.int64), np.array(row, dtype=np.int64)


def key_sums(cells: np.ndarray, keys: np.ndarray, n_cells: int) -> np.ndarray:
    """Per cell, the sum of its records' keys modulo 2^32 (cells: each record's cell, or -1 for none)."""
    inside = cells >= 0
    # float64 sums are exact below 2^53: up to 2^21 records of 32-bit keys; larger inputs are summed in parts.
    total = np.zeros(n_cells, dtype=np.int64)
    idx, k = cells[inside], keys[inside]
    for start in range(0, len(idx), 1 << 20):
        part = np.bincount(
            idx[start : start + (1 << 20)], weights=k[start : start + (1 << 20)].astype(np.float64), minlength=n_cells
        )
        total = (total + part.astype(np.int64)) % MODULUS
    return total


def value_key(values: np.ndarray) -> np.ndarray:
    """A 32-bit key of each (integer) cell value, so a magnitude cell whose amounts change gets fresh noise even
    when its contributors do not."""
    out = np.empty(len(values), dtype=np.int64)
    for i, v in enumerate(np.asarray(values, dtype=np.float64)):
        out[i] = int.from_bytes(hashlib.sha256(b"nilai\x00%d" % int(round(v))).digest()[:4], "big")
    return out


# The perturbation table of counts ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PTable:
    """Per true count (rows 0..last; larger counts use the last row), the perturbations and the cell-key bounds:
    a cell key k in [bounds[j], bounds[j + 1]) (integers of 0..2^32) gets perturbation values[j]."""

    rows: tuple[tuple[tuple[int, ...], tuple[int, ...]], ...]  # (values, bounds) per row

    @property
    def last(self) -> int:
        return len(self.rows) - 1

    def perturb(self, counts: np.ndarray, cell_keys: np.ndarray) -> np.ndarray:
        counts = np.asarray(counts, dtype=np.int64)
        keys = np.asarray(cell_keys, dtype=np.int64) % MODULUS
        row = np.minimum(counts, self.last)
        out = np.zeros(len(counts), dtype=np.int64)
        for r, (values, bounds) in enumerate(self.rows):
            at = np.flatnonzero(row == r)
            if len(at):
                j = np.searchsorted(np.asarray(bounds[1:-1], dtype=np.int64), keys[at], side="right")
                out[at] = np.asarray(values, dtype=np.int64)[j]
        return counts + out


def max_entropy_row(
    count: int, d_max: int = D_MAX, variance: float = VARIANCE, blocked_max: int = BLOCKED_MAX
) -> tuple[np.ndarray, np.ndarray]:
    """The perturbations allowed for a true count and their probabilities: maximum entropy subject to mean 0 and
    variance at most ``variance`` (Giessing 2016; the ptable package's construction), over targets 0 and
    max(count - D, 0)..count + D without 1..js. The maximum-entropy law is p(v) ~ exp(a v + b v^2): found by
    Newton's method on the convex dual, with b = 0 when the variance bound does not bind."""
    if count == 0:
        return np.array([0]), np.array([1.0])
    targets = [t for t in range(max(count - d_max, 0), count + d_max + 1) if not 1 <= t <= blocked_max]
    v = np.array(targets, dtype=np.float64) - count

    def solve(free: list[int]) -> np.ndarray:
        lam = np.zeros(2)
        feats = np.stack([v, v * v])
        goal = np.array([0.0, variance])
        for _ in range(200):
            e = lam @ feats
            p = np.exp(e - e.max())
            p /= p.sum()
            mean = feats @ p
            grad = (mean - goal)[free]
            if np.abs(grad).max() < 1e-13:
                break
            cov = (feats * p) @ feats.T - np.outer(mean, mean)
            step = np.linalg.solve(cov[np.ix_(free, free)], grad)
            lam[free] -= step
        return p

    p = solve([0])  # mean 0 only
    if p @ (v * v) > variance + 1e-12:
        p = solve([0, 1])
    return v.astype(np.int64), p


def build_ptable(d_max: int = D_MAX, variance: float = VARIANCE, blocked_max: int = BLOCKED_MAX) -> PTable:
    """Rows 0 .. D + js + 1 (from there on every row is the same law, shifted); the cumulative probabilities as
    cell-key bounds in units of 2^-32."""
    rows = []
    for count in range(d_max + blocked_max + 2):
        values, p = max_entropy_row(count, d_max, variance, blocked_max)
        cum = np.concatenate([[0.0], np.cumsum(p)])
        bounds = np.round(cum * MODULUS).astype(np.int64)
        bounds[-1] = MODULUS
        rows.append((tuple(int(x) for x in values), tuple(int(b) for b in bounds)))
    return PTable(tuple(rows))


def ptable_csv(table: PTable) -> str:
    """The table as published (as Cantabular reads it: cell value, cell key range, perturbation)."""
    lines = ["nilai_sel,kunci_sel_dari,kunci_sel_sampai,perturbasi,peluang"]
    for count, (values, bounds) in enumerate(table.rows):
        label = f"{count}+" if count == table.last else str(count)
        for j, value in enumerate(values):
            low, high = bounds[j], bounds[j + 1]
            if high > low:
                lines.append(f"{label},{low},{high - 1},{value},{(high - low) / MODULUS:.10f}")
    return "\n".join(lines) + "\n"


def read_ptable(path: Path = PTABLE_CSV) -> PTable:
    rows: dict[int, tuple[list[int], list[int]]] = {}
    with open(path, encoding="utf-8", newline="") as stream:
        for record in csv.DictReader(stream):
            count = int(record["nilai_sel"].rstrip("+"))
            values, bounds = rows.setdefault(count, ([], [0]))
            values.append(int(record["perturbasi"]))
            bounds.append(int(record["kunci_sel_sampai"]) + 1)
    if sorted(rows) != list(range(len(rows))):
        raise ValueError(f"{path}: the rows of the perturbation table are not 0..n")
    return PTable(tuple((tuple(rows[c][0]), tuple(rows[c][1])) for c in range(len(rows))))


@lru_cache(maxsize=1)
def ptable() -> PTable:
    """The published perturbation table of counts (umkm/disclose/ptable_jumlah.csv, made by ``python -m umkm.disclose.ckm``)."""
    return read_ptable()


# Magnitudes ---------------------------------------------------------------------------------------------------------


def magnitude_noise(largest: np.ndarray, cell_keys: np.ndarray, measure: str) -> np.ndarray:
    """Noise of magnitude cells: s * z with s = M * largest contribution (at least the measure's minimum unit
    where it has one) and z = +-(1 + u), u uniform in [0, 1) from the cell key; 0 for a cell without
    contributions."""
    largest = np.asarray(largest, dtype=np.float64)
    scale = np.maximum(MAGNITUDE_SHARE * largest, MAGNITUDE_MIN_UNIT.get(measure, 0.0))
    u = (np.asarray(cell_keys, dtype=np.int64) % MODULUS).astype(np.float64) / MODULUS
    half = u >= 0.5
    z = np.where(half, -1.0, 1.0) * (1.0 + 2.0 * (u - np.where(half, 0.5, 0.0)))
    return np.where(largest > 0, scale * z, 0.0)


def perturb_magnitude(total: np.ndarray, largest: np.ndarray, cell_keys: np.ndarray, measure: str) -> np.ndarray:
    """The published magnitude: the true sum plus its noise, rounded to a whole unit, never below 0."""
    noisy = np.asarray(total, dtype=np.float64) + magnitude_noise(largest, cell_keys, measure)
    return np.maximum(np.round(noisy), 0.0).astype(np.int64)


def main() -> int:
    """Write umkm/disclose/ptable_jumlah.csv from the parameters above."""
    PTABLE_CSV.write_text(ptable_csv(build_ptable()), encoding="utf-8")
    print(f"wrote {PTABLE_CSV}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
