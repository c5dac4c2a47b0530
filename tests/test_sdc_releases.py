"""The differencing gate's locks (umkm/disclose/sdc_releases.py): a retry counter kept from an earlier release must give
that release's figure again, and only such counters are kept.

A magnitude table by size class crosses nothing the attacker knows, so the whole table is one row and the row's
key (the sum of its members' row keys) is part of every cell's key: an actor joining one size class moves the
keys of all of them."""

import numpy as np
import pandas as pd

from umkm.disclose import sdc_releases, tables
from umkm.disclose.sdc_tables import TableKeys

NAME = "tenaga_kerja_menurut_skala_usaha"
LEVELS = ["mikro", "kecil", "menengah"]
VALUE = tables.MAGNITUDE_BY_NAME[NAME].value


def actors(rows) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["actor_id", "skala_usaha", "tenaga_kerja"])
    rng = np.random.default_rng(11)  # any keys: the test compares a release with itself
    keys = {a: (int(k), int(r)) for a, k, r in zip("ABCDEFG", rng.integers(0, 2**32, 7), rng.integers(0, 2**32, 7))}
    frame["kunci_sel"] = [keys[a][0] for a in frame["actor_id"]]
    frame["kunci_baris"] = [keys[a][1] for a in frame["actor_id"]]
    return frame


def table(frame: pd.DataFrame) -> TableKeys:
    cell = pd.Index(LEVELS).get_indexer(frame["skala_usaha"])
    amount = frame["tenaga_kerja"].to_numpy(dtype=np.float64)
    value = np.bincount(cell, weights=amount, minlength=len(LEVELS))
    largest = np.array([amount[cell == i].max() if (cell == i).any() else 0.0 for i in range(len(LEVELS))])
    return TableKeys(
        NAME,
        "tenaga_kerja",
        ("skala_usaha",),
        pd.DataFrame({"skala_usaha": LEVELS, "total": value}),
        value,
        cell,
        [LEVELS],
        frame["kunci_sel"].to_numpy(np.int64),
        frame["kunci_baris"].to_numpy(np.int64),
        largest=largest,
    )


BEFORE = actors([("A", "menengah", 50), ("B", "menengah", 30), ("C", "mikro", 2), ("E", "kecil", 9)])
STORED = {"mikro": 0, "kecil": 5, "menengah": 3}


def locked_figures(after: pd.DataFrame) -> tuple[dict[int, int], np.ndarray, np.ndarray]:
    then = table(BEFORE)
    then_retries = np.array([STORED[label] for label in LEVELS])
    published = then.published(then_retries)
    earlier = sdc_releases.Earlier(
        "2026.08.31",
        "2026-08-31",
        {NAME: pd.DataFrame({"skala_usaha": LEVELS, VALUE: [str(v) for v in published]})},
        sdc_releases.ReleaseTruth("2026.08.31", "2026-08-31", BEFORE, retries={NAME: STORED}),
    )
    now = table(after)
    locked = sdc_releases._locked({NAME: now}, after, [earlier], {}).get(NAME, {})
    retries = np.zeros(now.retry_size, dtype=np.int64)
    for unit, value in locked.items():
        retries[unit] = value
    return locked, now.published(retries), published


def test_an_actor_joining_the_row_unlocks_every_cell_of_it():
    """D joins the micro class: the row's key moved, so no cell can give the earlier figure by keeping its retry
    (before the fix, kecil and menengah were kept and published a fresh figure under a kept retry)."""
    after = actors(
        [("A", "menengah", 50), ("B", "menengah", 30), ("C", "mikro", 2), ("E", "kecil", 9), ("D", "mikro", 3)]
    )
    locked, now, then = locked_figures(after)
    assert locked == {}
    assert table(after).row is not None and table(after).retry_size == 3


def test_an_amount_changing_inside_the_row_keeps_the_other_cells_and_their_figures():
    """C's workforce changes (2 to 4) in its own class: the row's members are the same, so kecil and menengah
    keep the earlier retries and publish exactly the earlier figures; mikro is drawn afresh."""
    after = actors([("A", "menengah", 50), ("B", "menengah", 30), ("C", "mikro", 4), ("E", "kecil", 9)])
    locked, now, then = locked_figures(after)
    assert locked == {1: STORED["kecil"], 2: STORED["menengah"]}
    for unit in locked:
        assert now[unit] == then[unit], LEVELS[unit]


def test_every_kept_retry_gives_the_earlier_figure():
    """Over many ways to change the register: a kept retry always reproduces the earlier published figure."""
    rng = np.random.default_rng(3)
    kept = 0
    for _ in range(200):
        rows = [list(r) for r in BEFORE[["actor_id", "skala_usaha", "tenaga_kerja"]].itertuples(index=False)]
        move = rng.integers(0, 4)
        if move == 0:
            rows.append(["D", LEVELS[rng.integers(0, 3)], int(rng.integers(1, 99))])  # a joiner
        elif move == 1:
            rows.pop(int(rng.integers(0, len(rows))))  # a leaver
        elif move == 2:
            rows[int(rng.integers(0, len(rows)))][2] += int(rng.integers(1, 20))  # a changed amount
        else:
            rows[int(rng.integers(0, len(rows)))][1] = LEVELS[rng.integers(0, 3)]  # a changed class
        locked, now, then = locked_figures(actors(rows))
        for unit in locked:
            assert now[unit] == then[unit], (rows, LEVELS[unit])
        kept += len(locked)
    assert kept > 50  # the locks were exercised
