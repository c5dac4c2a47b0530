#!/usr/bin/env python3
"""Attack every release the nightly published, the way the privacy tests do, and print what the attacker got.

Runs the nightly scenario of tests/test_releases.py (a 6,000-row synthetic register exported on five nights,
each OUT holding only the restored site and the private state) and then, over every pair of published releases:

- magnitude differencing: for every actor who joined, left or changed, the difference of its cells between two
  releases taken as an estimate of its amount (turnover, capital, workers): how many land exactly (within 1%)
  or within 10% of the truth, for all of them and for the lone changers (the actor was the cell's only change:
  without noise the difference would be its amount), beside a guess without differencing for the same actors
  (the cell's published total over its contributors);
- count differencing: rows of tables crossing what the attacker knows with what it does not, where only the
  changed neighbour's cell moved (a pinned hidden attribute);
- the count perturbation: the mean absolute difference between published and true counts, and the share of
  count cells that differ from the truth.

    .venv/bin/python bench/release_attacks.py [--keep /tmp/nightly]

Not a test: it measures and prints; the assertions are in tests/test_releases.py.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", type=Path, help="build the nights here and keep them (default: a temporary folder)")
    args = parser.parse_args(argv)

    import numpy as np
    import pandas as pd
    import pytest

    from tests import nightly
    from tests import test_releases as scenario_of
    from umkm.disclose import tables

    work = args.keep or Path(tempfile.mkdtemp(prefix="release-attacks-"))
    work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    scenario, previous, mp = scenario_of._scenario(), None, pytest.MonkeyPatch()
    try:
        for night in scenario_of.NIGHTS:
            status, out = nightly.run_night(scenario, night, work, previous, "a", mp)
            print(f"night {night}: exit {status}", flush=True)
            if status != 0:
                return status
            previous = out
    finally:
        mp.undo()
    built = time.perf_counter() - started
    folders = nightly.release_folders(previous)
    releases = {
        "folders": folders,
        "last": previous,
        "truths": {v: pd.read_parquet(previous / "private" / "rilis" / f"{v}.parquet") for v in folders},
    }

    estimates = np.array(scenario_of._magnitude_estimates(releases), dtype=np.float64)
    truth, guess, alone = estimates[:, 0], estimates[:, 1], estimates[:, 2].astype(bool)
    exact = np.abs(guess - truth) <= 0.01 * truth
    close = np.abs(guess - truth) <= 0.10 * truth

    chance_close = (np.abs(estimates[:, 3] - truth) <= 0.10 * truth).mean()

    moved, cells, deviation = 0, 0, []
    for version, folder in folders.items():
        frame = releases["truths"][version]
        for spec in tables.COUNT_TABLES:
            published = scenario_of._cells(scenario_of._published(folder, spec.name), spec.dimensions, tables.COUNT)
            sizes = frame.groupby([frame[d].astype(str) for d in spec.dimensions], observed=True).size()
            true = {(k if isinstance(k, tuple) else (k,)): v for k, v in sizes.items()}
            for cell, value in published.items():
                actual = float(true.get(cell, 0))
                cells += 1
                moved += value != actual
                deviation.append(abs(value - actual))

    pinned, tried = scenario_of._pinned(releases)

    print()
    print(f"releases: {', '.join(folders)} (five nights built in {built:.0f} s in {work})")
    print(f"magnitude estimates over every pair of releases: {len(estimates):,} (lone changers {int(alone.sum()):,})")
    print(f"  within 1% of the truth: {int(exact.sum())} (lone changers {int((exact & alone).sum())})")
    print(
        f"  within 10% of the truth: {close.mean():.2%} (lone changers {close[alone].mean():.2%})"
        f"; a guess without differencing (the cell's published mean) for the same actors: {chance_close:.2%}"
    )
    print(f"count rows pinning a hidden attribute: {len(pinned)} of {tried:,} rows of changed actors tried")
    print(
        f"count cells: {cells:,}; differing from the truth {moved / cells:.1%}; "
        f"mean |published - true| {np.mean(deviation):.2f}"
    )
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
