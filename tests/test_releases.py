"""Privacy across every release: the nightly run night after night, attacked with every release it published.

The scenario (tests/nightly.py): a 6,000-row synthetic register exported on five nights, each night's OUT
holding only the restored site and the private state (setup "a": a self-hosted runner's folder):

    1 Sep  -> release 2026.08.31
    30 Sep -> the same release rebuilt (September's rows wait): byte-identical
    1 Oct  -> release 2026.09.30 (a day apart; actors joined, six left, six changed)
    1 Nov  -> release 2026.10.31 (a month apart; more joined, left and changed)
    2 Nov  -> release 2026.10.31.2 (a day apart: a staff correction of one actor's turnover, a revision)

The attacker holds every release (every unduh/<version>/ folder) and knows who joined, left or changed. It
subtracts every pair of releases, cell by cell; the ground truth (each release's private register) only scores
it. It must recover no amount exactly and no hidden attribute, and fewer than 10% of its estimates of the
changed actors' amounts may land within 10% of the truth.
"""

from __future__ import annotations

import itertools
import json
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests import nightly
from tests.support import tree_hashes
from umkm.disclose import tables
from umkm.disclose.sdc_tables import KNOWN_DIMENSIONS

NIGHTS = [date(2026, 9, 1), date(2026, 9, 30), date(2026, 10, 1), date(2026, 11, 1), date(2026, 11, 2)]
RELEASES = ["2026.08.31", "2026.09.30", "2026.10.31", "2026.10.31.2"]


def _scenario() -> nightly.Scenario:
    reg = nightly.register()
    early = nightly.actors_entered(reg, date(2025, 1, 1), date(2026, 6, 30))
    rng = np.random.default_rng(5)
    picked = list(rng.choice(early, size=26, replace=False))
    leavers = {a: date(2026, 10, 1) for a in picked[:6]} | {a: date(2026, 11, 1) for a in picked[6:10]}
    changes = []
    for i, actor in enumerate(picked[10:16]):
        changes.append(
            nightly.Change(
                actor,
                date(2026, 10, 1),
                [
                    {"pemasaran_online": "Ya"},
                    {"status_usaha": "Tidak Aktif"},
                    {"omzet_per_tahun": "95000000"},
                    {"bantuan_modal": "Ya"},
                    {"pelatihan": "Ya"},
                    {"omzet_per_tahun": "412000000"},
                ][i],
            )
        )
    for i, actor in enumerate(picked[16:20]):
        changes.append(
            nightly.Change(
                actor,
                date(2026, 11, 1),
                [
                    {"pemasaran_online": "Tidak"},
                    {"status_usaha": "Aktif"},
                    {"modal_usaha": "150000000"},
                    {"tenaga_kerja": "7"},
                ][i],
            )
        )
    # The revision: staff correct one actor's turnover on 2 November.
    changes.append(nightly.Change(picked[20], date(2026, 11, 2), {"omzet_per_tahun": "1250000000"}))
    return nightly.Scenario(reg, leavers, changes)


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    work = tmp_path_factory.mktemp("nightly")
    scenario = _scenario()
    mp = pytest.MonkeyPatch()
    outs, statuses, previous = {}, {}, None
    try:
        for night in NIGHTS:
            statuses[night], out = nightly.run_night(scenario, night, work, previous, "a", mp)
            outs[night] = out
            previous = out
    finally:
        mp.undo()
    return {"work": work, "outs": outs, "statuses": statuses, "scenario": scenario}


@pytest.fixture(scope="module")
def releases(run):
    """Per published version: its folder (from the last night's site) and its truth (the private record)."""
    last = run["outs"][NIGHTS[-1]]
    folders = nightly.release_folders(last)
    truths = {v: pd.read_parquet(last / "private" / "rilis" / f"{v}.parquet") for v in folders}
    return {"folders": folders, "truths": truths, "last": last}


def test_every_night_builds_and_the_cadence_makes_one_release_a_month(run, releases):
    assert all(status == 0 for status in run["statuses"].values()), run["statuses"]
    assert list(releases["folders"]) == RELEASES
    index = json.loads((releases["last"] / "site" / "releases.json").read_text())["releases"]
    assert [e["version"] for e in index] == RELEASES
    assert [e["snapshot_date"] for e in index] == ["2026-08-31", "2026-09-30", "2026-10-31", "2026-10-31"]


def test_a_rebuild_inside_the_month_is_byte_identical(run):
    first, again = run["outs"][date(2026, 9, 1)], run["outs"][date(2026, 9, 30)]
    assert tree_hashes(first / "datapackages") == tree_hashes(again / "datapackages")
    assert tree_hashes(first / "site" / "unduh" / "2026.08.31") == tree_hashes(again / "site" / "unduh" / "2026.08.31")
    # September's rows were read but wait for the next release.
    decisions = pd.read_csv(again / "private" / "decisions.csv", dtype=str, keep_default_na=False)
    assert decisions["status"].eq("deferred").sum() > 0


def test_actor_ids_and_record_keys_survive_the_night(run):
    ids = {}
    for night in NIGHTS:
        register = pd.read_parquet(run["outs"][night] / "private" / "register.parquet")
        ids[night] = set(register["actor_id"])
    assert ids[date(2026, 9, 1)] == ids[date(2026, 9, 30)]
    keys = [pd.read_csv(run["outs"][n] / "private" / "kunci_rekaman.csv", dtype=str) for n in NIGHTS]
    for before, after in zip(keys, keys[1:]):
        merged = before.merge(after, on="actor_id", suffixes=("_a", "_b"))
        assert len(merged) == len(before)  # nobody's key is forgotten, leavers included
        assert (merged["kunci_sel_a"] == merged["kunci_sel_b"]).all()


def test_no_two_releases_share_a_pseudonym(releases):
    seen = {}
    for version, folder in releases["folders"].items():
        seen[version] = set(pd.read_csv(folder / "umkm-mikrodata" / "pelaku_umkm.csv", dtype=str)["pseudonim"])
    for a, b in itertools.combinations(seen, 2):
        assert not seen[a] & seen[b], (a, b)


def _published(folder: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(folder / "umkm-statistik" / f"{name}.csv", dtype=str, keep_default_na=False)


def _cells(frame: pd.DataFrame, dims, value: str) -> dict[tuple, float]:
    return {tuple(r[:-1]): float(r[-1]) for r in frame[list(dims) + [value]].itertuples(index=False, name=None)}


def _contributions(truth: pd.DataFrame, dims, measure: str | None) -> pd.DataFrame:
    """Per actor: its cell (tuple of labels) and what it adds there (1 for counts, its amount for magnitudes)."""
    frame = truth[["actor_id"] + list(dims) + ([measure] if measure else [])].copy()
    if measure:
        frame = frame[frame[measure].notna()]
    frame["cell"] = list(frame[list(dims)].astype(str).itertuples(index=False, name=None))
    frame["amount"] = frame[measure].astype(float) if measure else 1.0
    return frame.set_index("actor_id")[["cell", "amount"]]


def _magnitude_estimates(releases) -> list[tuple[float, float, bool, float]]:
    """(truth, estimate, alone, guess) of every changed actor's amount in every magnitude cell, over every pair of
    releases; alone: the actor was the cell's only change (without noise the difference would be its amount);
    guess: what an attacker gets without differencing, the cell's published total over its contributors."""
    out = []
    for a, b in itertools.combinations(releases["folders"], 2):
        for spec in tables.MAGNITUDE_TABLES:
            pub_a = _cells(_published(releases["folders"][a], spec.name), spec.dimensions, spec.value)
            pub_b = _cells(_published(releases["folders"][b], spec.name), spec.dimensions, spec.value)
            ca = _contributions(releases["truths"][a], spec.dimensions, spec.measure)
            cb = _contributions(releases["truths"][b], spec.dimensions, spec.measure)
            both = ca.merge(cb, how="outer", left_index=True, right_index=True, suffixes=("_a", "_b"))
            found = []
            n_a, n_b = ca["cell"].value_counts(), cb["cell"].value_counts()
            for cell_a, amount_a, cell_b, amount_b in both.itertuples(index=False, name=None):
                for cell in {c for c in (cell_a, cell_b) if isinstance(c, tuple)}:
                    change = (amount_b if cell_b == cell else 0.0) - (amount_a if cell_a == cell else 0.0)
                    if change and cell in pub_a and cell in pub_b:
                        found.append((cell, abs(change), abs(pub_b[cell] - pub_a[cell])))
            changers = pd.Series([c for c, _, _ in found], dtype=object).value_counts()
            # the guess: the cell's mean in the later release (the earlier one if nobody is left in it)
            out += [
                (
                    change,
                    estimate,
                    changers[cell] == 1,
                    pub_b[cell] / n_b[cell] if cell in n_b.index else pub_a[cell] / n_a[cell],
                )
                for cell, change, estimate in found
            ]
    return out


def test_differencing_recovers_no_amount(releases):
    estimates = np.array(_magnitude_estimates(releases), dtype=np.float64)
    assert len(estimates) > 50  # joiners, leavers and changers in every magnitude table
    truth, guess, alone = estimates[:, 0], estimates[:, 1], estimates[:, 2].astype(bool)
    assert alone.sum() >= 10  # cells where the neighbour was the only change: differencing's best case
    exact = np.abs(guess - truth) <= 0.01 * truth
    close = np.abs(guess - truth) <= 0.10 * truth
    assert (exact & alone).sum() == 0, f"{(exact & alone).sum()} amounts recovered within 1%"
    assert close.mean() < 0.10, f"{close.mean():.1%} of the estimates within 10%"
    assert close[alone].mean() < 0.10, f"{close[alone].mean():.1%} of the lone changers' estimates within 10%"


def _pinned(releases) -> tuple[list[tuple], int]:
    """In a table that crosses what the attacker knows (area, sector, sex, age, sentra) with what it does not,
    the rows where only the changed neighbour's cell moved (pinned), and how many rows were tried."""
    pinned, tried = [], 0
    for a, b in itertools.combinations(releases["folders"], 2):
        for spec in tables.COUNT_TABLES:
            known = [d for d in spec.dimensions if d in KNOWN_DIMENSIONS]
            if len(known) == len(spec.dimensions):
                continue
            pub_a = _cells(_published(releases["folders"][a], spec.name), spec.dimensions, tables.COUNT)
            pub_b = _cells(_published(releases["folders"][b], spec.name), spec.dimensions, tables.COUNT)
            ca = _contributions(releases["truths"][a], spec.dimensions, None)
            cb = _contributions(releases["truths"][b], spec.dimensions, None)
            both = ca.merge(cb, how="outer", left_index=True, right_index=True, suffixes=("_a", "_b"))
            changed = both[both["cell_a"].astype(str) != both["cell_b"].astype(str)]
            position = [spec.dimensions.index(d) for d in known]
            for cell_a, _, cell_b, _ in changed.itertuples(index=False, name=None):
                target = cell_b if isinstance(cell_b, tuple) else cell_a
                row = tuple(target[i] for i in position)
                cells = [c for c in pub_b if tuple(c[i] for i in position) == row and c in pub_a]
                moved = [c for c in cells if pub_a[c] != pub_b[c]]
                shown = [c for c in cells if pub_a[c] > 0 or pub_b[c] > 0]
                tried += 1
                if len(shown) >= 2 and moved == [target]:
                    pinned.append((a, b, spec.name, target))
    return pinned, tried


def test_differencing_pins_no_hidden_attribute(releases):
    """The row of the changed neighbour must not move in exactly the one cell that holds the neighbour."""
    pinned, tried = _pinned(releases)
    assert tried > 100
    assert not pinned, pinned[:10]


def test_the_rows_that_differ_between_any_two_releases_are_k_anonymous_and_l_diverse(releases):
    """The attacker takes the multiset difference of two releases' microdata (pseudonyms aside): the joiners',
    leavers' and changers' rows. Grouped by the quasi-identifiers they must hold k >= 5 and l >= 2, both ways,
    for every pair of releases."""
    from umkm.disclose import sdc_microdata_releases

    rows = {
        v: sdc_microdata_releases.read_published(f / "umkm-mikrodata" / "pelaku_umkm.csv")
        for v, f in releases["folders"].items()
    }
    differing = 0
    for a, b in itertools.combinations(rows, 2):
        found = sdc_microdata_releases.release_differences(rows[a], rows[b])
        differing += found.added.rows + found.removed.rows
        assert found.passed, (a, b, found.added.bad.head(), found.removed.bad.head())
        for side in (found.added, found.removed):
            assert side.rows == 0 or side.smallest_class >= 5
    assert differing > 100  # actors did join, leave and change


def test_no_label_says_which_cells_changed(releases):
    for path in sorted(releases["last"].joinpath("site").rglob("*")):
        if path.suffix in (".html", ".csv", ".json", ".txt", ".xml", ".ttl", ".jsonld"):
            text = path.read_text(encoding="utf-8", errors="replace").lower()
            for phrase in ("selisih_rilis", "1-2 pelaku sejak", "1-2 actors since", "for a 1-2 change", "sel kecil"):
                assert phrase not in text, (path, phrase)


def test_the_risk_report_says_what_the_attacker_got(releases):
    last = releases["folders"][RELEASES[-1]]
    risk = pd.read_csv(last / "umkm-risiko-pengungkapan" / "ringkasan_risiko.csv").set_index("metrik")["nilai"]
    assert risk["rilis_dibandingkan"] == 3 and risk["rilis_diperkirakan"] == 0
    assert risk["estimasi_selisih_tepat"] == 0 and risk["baris_menunjuk_pelaku"] == 0
    assert risk["persen_sel_diterbitkan"] == 100 and risk["lulus"] == 1
    assert 0 < risk["rata_rata_perubahan_mutlak_jumlah"] < 2


# The two setups of the private state ------------------------------------------------------------------------------


def test_sealed_state_on_a_hosted_runner_gives_the_same_releases(run, tmp_path):
    """Setup b: the private folder travels sealed (AES-GCM); the releases are the bytes setup a published."""
    scenario, mp = run["scenario"], pytest.MonkeyPatch()
    previous = None
    try:
        for night in NIGHTS[:3]:
            status, out = nightly.run_night(scenario, night, tmp_path, previous, "b", mp)
            assert status == 0
            previous = out
    finally:
        mp.undo()
    a = run["outs"][NIGHTS[2]]
    for version in ("2026.08.31", "2026.09.30"):
        assert tree_hashes(previous / "site" / "unduh" / version) == tree_hashes(a / "site" / "unduh" / version)


def test_without_private_state_the_gate_still_attacks_every_published_release(run, tmp_path):
    """No private state (the old nightly): ids and record keys start afresh, the earlier releases' truth is
    approximated from this register, and the release is still attacked against all of them and passes."""
    mp = pytest.MonkeyPatch()
    try:
        status, out = nightly.run_night(run["scenario"], NIGHTS[3], tmp_path, run["outs"][NIGHTS[2]], None, mp)
    finally:
        mp.undo()
    assert status == 0
    risk = pd.read_csv(out / "datapackages" / "umkm-risiko-pengungkapan" / "ringkasan_risiko.csv").set_index("metrik")[
        "nilai"
    ]
    assert risk["rilis_dibandingkan"] == 2 and risk["rilis_diperkirakan"] == 2
    assert risk["estimasi_selisih_tepat"] == 0 and risk["baris_menunjuk_pelaku"] == 0
