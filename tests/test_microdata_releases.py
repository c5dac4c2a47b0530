"""Microdata across releases: filled columns, and differences between releases that single nobody out.

1. release_differences on hand-made releases: multiset differences, grouped as the release is.
2. specialise on hand-made classes (the leftover rule; no record into a small hidden table cell) and on a
   synthetic register (no column left empty, every class still k >= 5 and l >= 2, only ever more detail).
3. Releases a month and a day apart from one synthetic register (actors joining, leaving and changing):
   without the repair the joiners' own rows stand alone in the difference; with it every pair of
   releases passes both ways, and pyCANON still confirms each release.
4. The repair on hand-made releases: a lone joiner, an earlier release that is itself unsafe.
"""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from tests import support
from tests.test_disclosure import PYCANON_CHECK
from umkm import reference, xlsx
from umkm.disclose import anonymise as disclose
from umkm.disclose import sdc_microdata, sdc_specialise
from umkm.disclose import sdc_microdata_releases as releases
from umkm.disclose.sdc_microdata import K_ANONYMITY, L_DIVERSITY, QI_COLUMNS, SENSITIVE
from umkm.ingest import synthetic

REF = reference.load()
SNAPSHOT = pd.Timestamp("2026-10-31")
# Release dates: two a month apart, then one a day before the last.
DATES = (pd.Timestamp("2026-08-31"), pd.Timestamp("2026-09-30"), pd.Timestamp("2026-10-30"), SNAPSHOT)


# 1. Checking a pair -----------------------------------------------------------------------------------------------


def _frame(rows: list[tuple[str, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["q", "s"])


def test_release_differences_are_multiset_differences_grouped_like_the_release():
    older = _frame([("x", "1"), ("x", "2")] * 3 + [("y", "1"), ("y", "2"), ("y", "1"), ("y", ""), ("y", "2")])
    newer = pd.concat(
        [older.iloc[1:], _frame([("z", "1"), ("y", "1"), ("", "1"), ("", "2")] + [("w", "1")] * 5)], ignore_index=True
    )
    found = releases.release_differences(older, newer, ["q"], ["s"])
    # Added: y (a third "y,1" where the older had two), z, the blank class (its own value) and w.
    assert (found.added.rows, found.added.classes, found.added.smallest_class) == (9, 4, 1)
    # w has 5 rows but one known value only: not diverse.
    assert found.added.bad.sort_values("q").to_dict("list") == {"q": ["", "w", "y", "z"], "baris": [2, 5, 1, 1]}
    assert found.added.fewest_values == 1
    # Removed: the one "x,1" row taken out (the multiset keeps the other two).
    assert (found.removed.rows, found.removed.smallest_class) == (1, 1)
    assert found.removed.bad.to_dict("list") == {"q": ["x"], "baris": [1]}
    assert not found.passed
    same = releases.release_differences(older, older.iloc[::-1].reset_index(drop=True), ["q"], ["s"])
    assert same.passed and same.added.rows == same.removed.rows == 0


def test_release_differences_passes_a_wide_diverse_difference():
    older = _frame([("x", "1"), ("x", "2")] * 3)
    newer = pd.concat([older, _frame([("x", "1"), ("x", "2"), ("x", "1"), ("x", ""), ("x", "2")])], ignore_index=True)
    found = releases.release_differences(older, newer, ["q"], ["s"])
    assert found.passed and (found.added.rows, found.added.smallest_class, found.added.fewest_values) == (5, 5, 2)
    with pytest.raises(ValueError, match="not in both releases"):
        releases.release_differences(older, newer.drop(columns="s"), ["q"], ["s"])


# 2. specialise ----------------------------------------------------------------------------------------------------


def _detail(ages, n_unknown_age=0) -> pd.DataFrame:
    """A detail frame (the columns disclose.generalise makes) of records equal but for their age."""
    n = len(ages) + n_unknown_age
    text = lambda v: pd.array([v] * n, dtype="string")  # noqa: E731
    flags = pd.array([i % 2 == 0 for i in range(n)], dtype="boolean")
    return pd.DataFrame(
        {
            "kelurahan_kode": text("64.71.01.1001"),
            "kecamatan_kode": text("64.71.01"),
            "kbli_golongan_pokok": text("56"),
            "kbli_kategori": text("I"),
            "skala_usaha": text("mikro"),
            "jenis_kelamin": text("P"),
            "umur": pd.array(list(ages) + [None] * n_unknown_age, dtype="Int64"),
            "tahun_mulai": pd.array([2015] * n, dtype="Int64"),
            "tenaga_kerja": pd.array([1] * n, dtype="Int64"),
            "kelompok_omzet": pd.array(["<50jt", "50jt-300jt"] * (n // 2) + ["<50jt"] * (n % 2), dtype="string"),
            "sentra": text("bukan_sentra"),
            "punya_nib": pd.array([True] * n, dtype="boolean"),
            "masih_aktif": pd.array([True] * n, dtype="boolean"),
            "pemasaran_online": flags,
            "pelatihan": flags,
            "bantuan_modal": flags,
        }
    )


def test_specialise_keeps_the_leftover_a_good_class():
    # 6 aged 30, 5 aged 40, 2 of unknown age, all at "*" on age. Split by 20-year band: "<35" (6) and
    # "35-54" (5) are good, but the 2 unknown (blank at every level) would be left alone. "<35" can spare
    # one record, not three, so the smallest good sub-class, "35-54", stays blank with them (7 records).
    detail = _detail([30] * 6 + [40] * 5, n_unknown_age=2)
    enc = sdc_microdata.encode(detail)
    node = tuple(
        int(h) if q.name == "kelompok_umur" else 0 for q, h in zip(sdc_microdata.QUASI_IDENTIFIERS, enc.heights)
    )
    start = sdc_microdata.local_suppression(enc, node)
    assert start.kept.all() and (start.levels == node).all()
    done = sdc_specialise.specialise(enc, start)
    published = sdc_microdata.publish(enc, done, np.arange(len(detail)))["kelompok_umur"]
    # The six narrow on down to 5-year bands: nothing else is published at those levels.
    assert published.fillna("").tolist() == ["30-34"] * 6 + [""] * 7
    cells = sdc_specialise.suppressed_cells(enc, done.levels, done.kept).set_index("kolom")
    assert cells.loc["kelompok_umur"].tolist()[:2] == [11, 5]


@pytest.fixture(scope="module")
def register():
    """A synthetic register reconciled into actors, with each actor's first input date."""
    actors = support.actors_with_first_input(synthetic.generate(REF, seed=13, ods_rows=6000), REF)
    assert actors["first_input"].notna().all()
    return actors


def test_specialise_fills_every_column_and_keeps_every_class_good(register):
    detail = disclose.generalise(register, SNAPSHOT, REF)
    enc = sdc_microdata.encode(detail)
    found = sdc_microdata.search(enc)
    before = sdc_specialise.suppressed_cells(enc, found.best.levels, found.best.kept).set_index("kolom")
    done = sdc_specialise.specialise(enc, found.best)
    after = sdc_specialise.suppressed_cells(enc, done.levels, done.kept).set_index("kolom")
    assert before["bagian_disembunyikan"].max() == 1.0  # a column the node left empty
    assert (after["bagian_disembunyikan"] < 1.0).all(), after  # none is now
    assert (after["sel_disembunyikan"] <= before["sel_disembunyikan"]).all()
    assert after["sel_disembunyikan"].sum() < before["sel_disembunyikan"].sum()
    assert (done.levels <= found.best.levels).all() and (done.kept == found.best.kept).all()
    cls = sdc_microdata.classes(enc, sdc_microdata.class_key(enc, done.levels), done.kept)
    assert not cls.bad_class.any() and cls.size.min() >= K_ANONYMITY
    assert done.loss < found.best.loss
    again = sdc_specialise.specialise(enc, found.best)
    assert (again.levels == done.levels).all()
    # The published columns say the same: no column is blank in every row.
    published = releases.published_rows(enc, done, releases.sensitive_text(detail))
    assert all(published[c].ne("").any() for c in QI_COLUMNS)


def test_published_rows_are_the_csv_rows(register):
    detail = disclose.generalise(register, SNAPSHOT, REF)
    rows, microdata, enc, found, _ = disclose.anonymise_microdata(detail)
    microdata = disclose.with_pseudonyms(microdata, register["actor_id"].iloc[rows], b"k", "2026.10.31")
    mine = releases.published_rows(enc, found.best, releases.sensitive_text(detail))
    theirs = releases.as_published(microdata)
    assert list(theirs.columns) == [c for c in microdata.columns if c != "pseudonim"]
    order = list(theirs.columns)
    assert (
        mine[order].sort_values(order).reset_index(drop=True).equals(theirs.sort_values(order).reset_index(drop=True))
    )


# 3. Releases from one register ------------------------------------------------------------------------------------


def _registers(actors: pd.DataFrame) -> list[pd.DataFrame]:
    """The register at each date: 1% leave after each of the first two releases, 1% change whether they sell
    online at the second and the third."""
    return support.registers_at(actors, DATES)


def _release(register: pd.DataFrame, date, earlier: list[pd.DataFrame], repair: bool = True):
    """One release as published (text, no pseudonym), and the repair's figures."""
    detail = disclose.generalise(register, date, REF)
    enc = sdc_microdata.encode(detail)
    result = sdc_specialise.specialise(enc, sdc_microdata.search(enc).best)
    sensitive = releases.sensitive_text(detail)
    fixed = releases.repair(enc, result, sensitive, earlier) if repair and earlier else None
    rows = releases.published_rows(enc, fixed.result if fixed else result, sensitive)
    return (
        rows,
        fixed,
        register["actor_id"].astype(str).to_numpy()[np.flatnonzero((fixed.result if fixed else result).kept)],
    )


@pytest.fixture(scope="module")
def published(register):
    out = []
    for actors, date in zip(_registers(register), DATES):
        rows, fixed, ids = _release(actors, date, [r for r, _, _ in out])
        out.append((rows, fixed, ids))
    return out


def test_without_the_repair_a_joiners_row_stands_alone(register):
    before, after = _registers(register)[:2]
    older = _release(before, DATES[0], [])[0]
    newer, _, ids = _release(after, DATES[1], [], repair=False)
    found = releases.release_differences(older, newer)
    assert not found.passed and found.added.smallest_class == 1
    # The attack: the joiners' rows that are alone in their class of the difference.
    joiners = ~np.isin(ids, before["actor_id"].astype(str))
    assert joiners.sum() >= 20
    # The attacker knows a joiner's quasi-identifiers: where its class of the difference holds one row, that
    # row is the joiner's, with its turnover band and the rest.
    alone = found.added.bad.loc[found.added.bad["baris"] == 1, list(QI_COLUMNS)]
    pinned = newer[joiners].merge(alone, on=list(QI_COLUMNS))
    assert len(pinned) >= 5, "the joiners would not be found: the test proves nothing"


def test_every_pair_of_releases_passes_after_the_repair(published):
    assert len(published) == 4
    for j, (newer, fixed, _) in enumerate(published):
        if j:
            assert fixed.passed, fixed.failures
            smallest = fixed.releases[["kelas_terkecil_baru", "kelas_terkecil_hilang"]]
            assert len(fixed.releases) == j and ((smallest == 0) | (smallest >= K_ANONYMITY)).all().all()
        for i in range(j):
            found = releases.release_differences(published[i][0], newer)
            assert found.passed, (i, j, found.added.bad.head(), found.removed.bad.head())
            if j < 3:  # a month apart: joiners one way, leavers and changers the other
                assert found.added.smallest_class >= K_ANONYMITY and found.removed.smallest_class >= K_ANONYMITY
            for difference in (found.added, found.removed):
                assert difference.fewest_values == 0 or difference.fewest_values >= L_DIVERSITY
    # The repair moved some records and kept most of the detail.
    moved = [fixed.records_moved for _, fixed, _ in published[1:]]
    assert all(m > 0 for m in moved) and max(m / len(r) for (r, _, _), m in zip(published[1:], moved)) < 0.5


def test_pycanon_confirms_each_repaired_release(published, tmp_path):
    meta = json.dumps({"quasiIdentifiers": list(QI_COLUMNS), "sensitiveAttributes": list(SENSITIVE)})
    for i, (rows, _, _) in enumerate(published):
        csv = tmp_path / f"rilis-{i}.csv"
        csv.write_bytes(xlsx.csv_bytes(rows.assign(pseudonim=[f"{n:016x}" for n in range(len(rows))])))
        out = subprocess.run(
            [sys.executable, "-c", PYCANON_CHECK, str(csv), meta], check=True, capture_output=True, text=True
        )
        measured = json.loads(out.stdout)
        assert measured["k"] >= K_ANONYMITY and min(measured["l"].values()) >= L_DIVERSITY, (i, measured)


def test_the_repair_is_deterministic(register, published):
    actors = _registers(register)
    again = _release(actors[2], DATES[2], [published[0][0], published[1][0]])
    assert again[0].equals(published[2][0])
    assert again[1].releases.equals(published[2][1].releases)


# 4. The repair on hand-made releases ------------------------------------------------------------------------------


def test_a_lone_joiner_is_withheld_when_nothing_can_hide_it():
    detail = _detail([30] * 6 + [40] * 6)
    enc = sdc_microdata.encode(detail.iloc[:11].reset_index(drop=True))  # the earlier release lacks the last
    older = releases.published_rows(enc, sdc_microdata.search(enc).best, releases.sensitive_text(detail.iloc[:11]))
    enc = sdc_microdata.encode(detail)
    best = sdc_microdata.search(enc).best
    assert not releases.release_differences(
        older, releases.published_rows(enc, best, releases.sensitive_text(detail))
    ).passed
    fixed = releases.repair(enc, best, releases.sensitive_text(detail), [older], ["2026.09.30"])
    assert fixed.passed and fixed.records_withheld == 1
    newer = releases.published_rows(enc, fixed.result, releases.sensitive_text(detail))
    assert len(newer) == 11 and releases.release_differences(older, newer).passed
    assert fixed.releases["rilis"].tolist() == ["2026.09.30"]


def test_an_unsafe_earlier_release_is_reported_not_looped_on():
    detail = _detail([30] * 6 + [40] * 6)
    enc = sdc_microdata.encode(detail)
    best = sdc_microdata.search(enc).best
    sensitive = releases.sensitive_text(detail)
    rows = releases.published_rows(enc, best, sensitive)
    unsafe = pd.concat([rows, rows.iloc[:2].assign(kelurahan_kode="64.71.09.9999")], ignore_index=True)
    fixed = releases.repair(enc, best, sensitive, [unsafe])
    assert not fixed.passed and "class(es) of the rows hilang" in fixed.failures[0]
