"""The second synthetic register: deterministic, complete ground truth, and the defects its noise model promises."""

import pandas as pd
import pytest

from tests import support
from umkm import reference
from umkm.ingest import exports as ingest
from umkm.ingest import synthetic, synthetic_independent
from umkm.reconcile import normalise

REF = reference.load()


@pytest.fixture(scope="module")
def register():
    return synthetic_independent.generate(REF, seed=5, ods_rows=4000, noise=1.5)


def test_same_arguments_give_byte_identical_files(tmp_path, register):
    again = synthetic_independent.generate(REF, seed=5, ods_rows=4000, noise=1.5)
    synthetic.write(register, tmp_path / "a", formats=("csv",))
    synthetic.write(again, tmp_path / "b", formats=("csv",))
    assert support.tree_hashes(tmp_path / "a") == support.tree_hashes(tmp_path / "b")
    other = synthetic_independent.generate(REF, seed=6, ods_rows=4000, noise=1.5)
    assert not other.ods.equals(register.ods)


def test_the_truth_covers_every_row_once(register):
    assert list(register.ods.columns) == list(ingest.ODS_COLUMNS)
    assert list(register.oss.columns) == list(ingest.OSS_COLUMNS)
    assert len(register.ods) == 4000
    truth = register.truth
    for source, frame in (("ods", register.ods), ("oss", register.oss)):
        rows = truth[truth["source"] == source]
        assert list(rows["source_row"]) == list(range(1, len(frame) + 1))
    # every row is an actor's or has one reason, never both
    assert ((truth["true_actor"] != "") != (truth["true_reason"] != "")).all()
    assert set(truth["true_reason"]) - {""} == set(synthetic.REASONS)
    counts = synthetic.summary(register)
    assert counts["ods_duplicate_rows"] > 0.1 * counts["ods_rows"]
    assert counts["oss_actors"] > 0.3 * counts["ods_actors"]


def _actor_rows(register):
    truth = register.truth
    ods = register.ods.assign(actor=truth.loc[truth["source"] == "ods", "true_actor"].to_numpy())
    return ods[ods["actor"] != ""]


def test_the_promised_defects_are_there(register):
    ods = _actor_rows(register)
    nik = ods["nik"]
    assert nik.str.fullmatch(r"\d,\d{5}E\+15").any()  # Excel with a comma decimal
    assert nik.str.fullmatch(r"\d\.\d{6}E\+15").any()  # seven significant digits
    assert nik.str.fullmatch(r"\d(?:\.\d{3}){5}").any()  # thousands dots
    assert nik.str.startswith("NIK ").any() and (nik == "").mean() > 0.05
    assert ods["tanggal_lahir"].str.match(r"[A-Z][a-z]+, ").any()  # the place of birth before the date
    assert ods["no_hp"].str.endswith(" (WA)").any()
    owners = ods["nama_pemilik"].str.upper()
    with_father = ods[owners.str.contains(" BINTI ")]["actor"]
    assert len(with_father) and (~owners[ods["actor"].isin(with_father)].str.contains(" BINTI ")).any()
    per_actor = ods.groupby("actor").agg(
        kelurahan=("kelurahan", lambda v: normalise.normalise_name(v).nunique()),
        business=("nama_usaha", lambda v: normalise.normalise_name(v).nunique()),
    )
    assert (per_actor["kelurahan"] > 1).sum() > 10  # moved, or one row's kelurahan misspelt
    assert (per_actor["business"] > 1).sum() > 0.1 * (ods.groupby("actor").size() > 1).sum()  # reworded
    large = register.oss["nama_pelaku_usaha"].str.endswith(" TBK")
    truth = register.truth[register.truth["source"] == "oss"]
    assert large.any() and (truth.loc[large.to_numpy(), "true_reason"] == "usaha_besar").all()


def test_noise_zero_gives_clean_identifiers():
    register = synthetic_independent.generate(REF, seed=3, ods_rows=1000, noise=0)
    ods = _actor_rows(register)
    status = normalise.normalise_nik(pd.Series(ods["nik"].to_numpy()))["nik_status"]
    assert (status == "valid").all()
    assert ods["tanggal_lahir"].ne("").all() and ods["no_hp"].ne("").all()
