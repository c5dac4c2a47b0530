"""Published count cells in, rates and shares with their reliability out (for the area profiles and the home page).

A rate is computed from the published cells of one table only: the "ya" cells over the "ya" and "tidak"
cells, with the unknown ("") cells reported beside it, never in the base and never ranked. Published cells
may be perturbed (the cell key method adds a little noise to each cell) or, in older releases, suppressed;
so a rate over a small base is flagged, and one over a tiny base is not shown as a number at all, rather than
as a confident 0% or 100%.
"""

from __future__ import annotations

from dataclasses import dataclass

from umkm.site.context import Cell

# A proportion over fewer than 30 actors is too noisy to quote plainly (the usual rule of thumb for a
# proportion's normal approximation; a perturbed count of a few actors can move it by several points): it
# is shown, but flagged. Under 10 actors it is not shown as a number.
RELIABLE_BASE = 30
MIN_BASE = 10
YES, NO, UNKNOWN = "ya", "tidak", ""


@dataclass(frozen=True)
class Rate:
    """``part`` of ``base`` (both published, None when a cell is suppressed), and the actors recorded as unknown."""

    part: int | None
    base: int | None
    unknown: int | None = 0
    partial: bool = False  # the base leaves out suppressed cells (older releases): an estimate only

    @property
    def value(self) -> float | None:
        """The share in percent; None when it cannot be shown (no base, a suppressed cell, or too few actors)."""
        if self.part is None or self.base is None or self.base < MIN_BASE:
            return None
        return 100 * self.part / self.base

    @property
    def uncertain(self) -> bool:
        """Shown, but over a small base (or over one that includes suppressed cells)."""
        return self.value is not None and (self.base < RELIABLE_BASE or self.partial)

    @property
    def recorded(self) -> bool:
        """Does the register record this at all (any published actor with a known answer)?"""
        return self.base is not None and self.base > 0


def _sum(cells: list[Cell]) -> int | None:
    """The sum of published cells; None if any is suppressed (a lower bound is not a count)."""
    counts = [c.count for c in cells]
    if any(n is None for n in counts):
        return None
    return sum(max(n, 0) for n in counts if n is not None)  # a cell below 0 (never published) counts as 0


def _published_sum(cells: list[Cell]) -> int:
    return sum(max(c.count, 0) for c in cells if c.count is not None)


def yes_rate(cells: list[Cell], dim: int = 0, where: dict[int, str] | None = None) -> Rate:
    """Share of "ya" among "ya" and "tidak" along dimension ``dim``, over the cells matching ``where``
    ({dimension index: code}); cells of other codes along ``dim`` count in neither."""
    chosen = [c for c in cells if all(c.codes[i] == code for i, code in (where or {}).items())]
    yes_cells = [c for c in chosen if c.codes[dim] == YES]
    no_cells = [c for c in chosen if c.codes[dim] == NO]
    yes, no = _sum(yes_cells), _sum(no_cells)
    unknown = _sum([c for c in chosen if c.codes[dim] == UNKNOWN])
    if yes is not None and no is None:  # "tidak" suppressed (a few actors): over the published cells, flagged
        return Rate(yes, yes + _published_sum(no_cells), unknown, partial=True)
    base = None if yes is None or no is None else yes + no
    return Rate(yes, base, unknown)


def shares(cells: list[Cell], dim: int = 0, where: dict[int, str] | None = None) -> dict[str, Rate]:
    """Each known code's share of the known codes along ``dim`` (size classes, KBLI categories); the unknown
    cells are in every share's ``unknown``, not in its base."""
    chosen = [c for c in cells if all(c.codes[i] == code for i, code in (where or {}).items())]
    known = [c for c in chosen if c.codes[dim] != UNKNOWN]
    base = _sum(known)
    partial = base is None  # some categories suppressed: shares of the published ones, flagged as estimates
    if partial:
        base = _published_sum(known)
    unknown = _sum([c for c in chosen if c.codes[dim] == UNKNOWN])
    out: dict[str, Rate] = {}
    for code in dict.fromkeys(c.codes[dim] for c in known):
        out[code] = Rate(_sum([c for c in known if c.codes[dim] == code]), base, unknown, partial)
    return out


def total(cells: list[Cell], where: dict[int, str] | None = None) -> int | None:
    """All actors in the matching cells, unknown included (None if a cell is suppressed)."""
    return _sum([c for c in cells if all(c.codes[i] == code for i, code in (where or {}).items())])


def difference_words(area: Rate, city: Rate, threshold: float = 5.0) -> str | None:
    """ "higher" / "lower" / "similar" when both rates are shown and the area's is reliable, else None.

    Differences under ``threshold`` points are called similar: perturbation and the register's own gaps make
    smaller ones meaningless.
    """
    if area.value is None or city.value is None or area.uncertain:
        return None
    gap = area.value - city.value
    return "similar" if abs(gap) < threshold else ("higher" if gap > 0 else "lower")
