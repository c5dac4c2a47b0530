"""Properties of the normalisers that tests/test_normalise.py does not cover yet: NIB, whole
numbers, KBLI, kd_daerah, sex and yes/no, and idempotence of NIK and kelurahan.
Each one: never crash, never invent digits, and a batch gives what its rows give one by one.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from umkm import reference
from umkm.reconcile import normalise as N

PROPERTY = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)


@pytest.fixture(scope="module")
def ref():
    return reference.load()


def digits(text) -> str:
    return re.sub(r"[^0-9]", "", text)


def single(fn, value, *args):
    out = fn(pd.Series([value], dtype="object"), *args)
    if isinstance(out, pd.DataFrame):
        return {k: (None if pd.isna(v) else v) for k, v in out.iloc[0].items()}
    return None if pd.isna(out.iloc[0]) else out.iloc[0]


NIB_DIGITS = st.from_regex(r"\A[0-9]{13}\Z")
NIBISH = st.one_of(
    NIB_DIGITS,
    NIB_DIGITS.map(lambda v: f"'{v}"),
    NIB_DIGITS.map(lambda v: f"{v}.0"),
    NIB_DIGITS.map(lambda v: f"{v[:4]} {v[4:8]} {v[8:]}"),
    NIB_DIGITS.map(lambda v: v[1:]),  # Excel dropped a leading digit
    st.from_regex(r"\A[0-9][.,][0-9]{1,6}[eE]\+1[12]\Z"),
    st.text(alphabet="0123456789 .,-'Ee+"),
    st.text(),
)


@PROPERTY
@given(st.lists(NIBISH, max_size=6))
def test_nib_never_invents_digits(values):
    out = N.normalise_nib(pd.Series(values, dtype="object"))
    for raw, nib in zip(values, out, strict=True):
        if pd.isna(nib):
            continue
        assert re.fullmatch(r"[0-9]{13}", nib)
        found = digits(raw)
        # The input's digits; a float's ".0" is dropped; only a lost leading 0 is put back.
        assert nib in (found, "0" + found) or (found.startswith(nib) and set(found[13:]) <= {"0"})
    assert [None if pd.isna(v) else v for v in out] == [single(N.normalise_nib, v) for v in values]
    again = N.normalise_nib(out.dropna())
    assert again.tolist() == out.dropna().tolist()


INTISH = st.one_of(
    st.integers(0, 10**6).map(str),
    st.from_regex(r"\A(?:Thn\.? |Tahun )?[0-9]{1,4}(?:\.0| orang)?\Z"),
    st.text(alphabet="0123456789 .,-orangThu()"),
    st.text(),
)


@PROPERTY
@given(st.lists(INTISH, max_size=6))
def test_parse_int_never_invents_digits(values):
    out = N.parse_int(pd.Series(values, dtype="object"))
    for raw, value in zip(values, out, strict=True):
        if pd.isna(value):
            continue
        assert value >= 0
        assert str(int(value)) in digits(raw).lstrip("0") or int(value) == 0
    assert [None if pd.isna(v) else int(v) for v in out] == [single(N.parse_int, v) for v in values]


@PROPERTY
@given(
    st.lists(
        st.tuples(st.one_of(st.from_regex(r"\A[0-9]{2,5}(?:\.0)?\Z"), st.text(max_size=12)), st.text(max_size=20)),
        max_size=6,
    )
)
def test_kbli_never_crashes_and_only_gives_reference_codes(ref, rows):
    codes, bidang = pd.Series([r[0] for r in rows], dtype="object"), pd.Series([r[1] for r in rows], dtype="object")
    out = N.normalise_kbli(codes, bidang, ref)
    assert set(out["kbli_status"]) <= set(N.KBLI_STATUSES)
    assert set(out["kbli_kategori"].dropna()) <= set(ref.kbli_kategori["kategori"])
    for raw, kbli, status in zip(codes, out["kbli"], out["kbli_status"], strict=True):
        if pd.notna(kbli):
            assert status == "valid" and re.fullmatch(r"[0-9]{5}", kbli)
            assert digits(raw).startswith(kbli.lstrip("0")) or kbli.lstrip("0") in digits(raw)


@PROPERTY
@given(
    st.lists(
        st.one_of(
            st.from_regex(r"\A64\.?71\.?0[1-6]\.?[12]00[1-9]\Z"),
            st.from_regex(r"\A[0-9]{2,12}\Z"),
            st.text(max_size=15),
        ),
        max_size=6,
    )
)
def test_kd_daerah_never_crashes_and_only_gives_reference_codes(ref, values):
    out = N.region_from_kd_daerah(pd.Series(values, dtype="object"), ref)
    assert set(out["region_status"]) <= set(N.REGION_STATUSES)
    codes = set(ref.kelurahan["kode_kemendagri"])
    for raw, kel in zip(values, out["kelurahan_code"], strict=True):
        if pd.notna(kel):
            assert kel in codes and digits(kel) == digits(raw)[:10]


@PROPERTY
@given(st.lists(st.text(max_size=12), max_size=8))
def test_sex_and_yes_no_never_crash_and_stay_in_their_domain(values):
    series = pd.Series(values, dtype="object")
    assert set(N.normalise_sex(series).dropna()) <= {"L", "P"}
    flags = N.parse_bool(series)
    assert flags.dtype == "boolean" and len(flags) == len(values)


@PROPERTY
@given(st.lists(st.from_regex(r"\A[1-9][0-9]{15}\Z"), max_size=6))
def test_a_valid_nik_normalises_to_itself(values):
    out = N.normalise_nik(pd.Series(values, dtype="object"))
    valid = out[out["nik_status"] == "valid"]
    again = N.normalise_nik(valid["nik"])
    assert again["nik"].tolist() == valid["nik"].tolist() and set(again["nik_status"]) <= {"valid"}


@PROPERTY
@given(st.data())
def test_kelurahan_names_never_come_from_text_without_letters(ref, data):
    text = data.draw(st.text(alphabet="0123456789 .,-/()'", max_size=20))
    out = N.normalise_region(pd.Series([text]), pd.Series([""]), pd.Series([""]), ref)
    assert pd.isna(out["kelurahan_code"].iloc[0])
