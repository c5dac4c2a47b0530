"""normalise: every rule on the variants seen in real registers, plus properties
(never crash, never invent a digit, idempotence, a batch equals its rows one by one)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from umkm import reference
from umkm.reconcile import normalise as N

PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def ref():
    return reference.load()


def one(fn, value, *args):
    """The result of ``fn`` for a single cell: a scalar, or a dict for frame outputs."""
    out = fn(pd.Series([value], dtype="object"), *args)
    if isinstance(out, pd.DataFrame):
        return {k: (None if pd.isna(v) else v) for k, v in out.iloc[0].items()}
    v = out.iloc[0]
    return None if pd.isna(v) else v


def ascii_digits(text: str) -> str:
    return re.sub(r"[^0-9]", "", text)


def is_subsequence(small: str, big: str) -> bool:
    it = iter(big)
    return all(ch in it for ch in small)


# ---------------------------------------------------------------------------
# NIK
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, nik, status",
    [
        ("6471014101900001", "6471014101900001", "valid"),  # woman, born 1 Jan 1990
        ("6471011203850002", "6471011203850002", "valid"),  # man, born 12 Mar 1985
        ("'6471014101900001", "6471014101900001", "valid"),  # Excel text apostrophe
        ("6471 0141 0190 0001", "6471014101900001", "valid"),
        ("6471.0141.0190.0001", "6471014101900001", "valid"),
        (" 6471014101900001 ", "6471014101900001", "valid"),
        ("6471014101900001.0", "6471014101900001", "valid"),  # exact float from pandas
        ("6.47101E+15", None, "excel_destroyed"),
        ("6,47101E+15", None, "excel_destroyed"),
        ("6.471014E+15", None, "excel_destroyed"),
        ("6471014101900000", None, "excel_destroyed"),  # serial 0000: 16th digit zeroed
        ("6471010000000000", None, "excel_destroyed"),
        ("6471014101900010.0", None, "excel_destroyed"),  # float, last digit unverifiable
        ("647101410190001", None, "invalid"),  # 15 digits
        ("64710141019000011", None, "invalid"),  # 17 digits
        ("0971014101900001", None, "invalid"),  # province 09
        ("9971014101900001", None, "invalid"),  # province 99
        ("6471013201900001", None, "invalid"),  # day 32
        ("6471017201900001", None, "invalid"),  # day 72 (woman's 32)
        ("6471013113900001", None, "invalid"),  # month 13
        ("6471013102900001", None, "invalid"),  # 31 February
        ("6471012902010001", None, "invalid"),  # 29 February 2001
        ("6471012902000001", "6471012902000001", "valid"),  # 29 February 2000
        ("6471016902960001", "6471016902960001", "valid"),  # woman, 29 February 1996
        ("64710141O1900001", None, "invalid"),  # letter O for zero: not repaired
        ("NIK 6471014101900001", "6471014101900001", "valid"),  # a label before it
        ("No. KTP: 6471014101900001", "6471014101900001", "valid"),
        ("6.471.014.101.900.010", None, "excel_destroyed"),  # thousands dots: a number, 16th digit lost
        ("6.471.014.101.900.001", "6471014101900001", "valid"),  # a 1 there was typed, not computed
        ("NIK6471O14101900001", None, "invalid"),
        ("", None, "missing"),
        (None, None, "missing"),
        ("-", None, "missing"),
        ("0", None, "missing"),
        ("tidak ada", None, "missing"),
    ],
)
def test_normalise_nik(raw, nik, status):
    assert one(N.normalise_nik, raw) == {"nik": nik, "nik_status": status}


def test_normalise_nik_keeps_index_and_mixes_fast_and_slow_rows():
    s = pd.Series(["6471014101900001", "6.47101E+15", "'6471011203850002", None], index=[10, 20, 30, 40])
    out = N.normalise_nik(s)
    assert list(out.index) == [10, 20, 30, 40]
    assert out["nik"].tolist()[0] == "6471014101900001"
    assert out["nik"].tolist()[2] == "6471011203850002"
    assert out["nik_status"].tolist() == ["valid", "excel_destroyed", "valid", "missing"]


@pytest.mark.parametrize(
    "nik, born, sex, region",
    [
        ("6471014101900001", "1990-01-01", "P", "647101"),
        ("6471011203850002", "1985-03-12", "L", "647101"),
        ("6471011203260002", "2026-03-12", "L", "647101"),  # YY 26 = reference year: 2026
        ("6471011203270002", "1927-03-12", "L", "647101"),  # YY 27 > 26: 1927
        ("3275014101000001", "2000-01-01", "P", "327501"),
        ("6471013202900001", None, None, "647101"),  # impossible date
        (None, None, None, None),
        ("123", None, None, None),
    ],
)
def test_nik_parts(nik, born, sex, region):
    out = one(N.nik_parts, nik)
    assert out["nik_birth_date"] == (pd.Timestamp(born) if born else None)
    assert out["nik_sex"] == sex
    assert out["nik_region"] == region


def test_nik_parts_reference_year_sets_the_century():
    out = N.nik_parts(pd.Series(["6471011203200002"]), reference_year=2019)
    assert out["nik_birth_date"].iloc[0] == pd.Timestamp("1920-03-12")
    assert out["nik_birth_date"].dtype == "datetime64[ns]"


# ---------------------------------------------------------------------------
# NIB
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("9120001234567", "9120001234567"),
        ("0220001234567", "0220001234567"),
        ("'9120001234567", "9120001234567"),
        ("9120 0012 34567", "9120001234567"),
        ("9120001234567.0", "9120001234567"),
        ("9.12E+12", None),
        ("220001234567", "0220001234567"),  # Excel dropped the leading 0
        ("91200012345", None),
        ("", None),
        (None, None),
    ],
)
def test_normalise_nib(raw, expected):
    assert one(N.normalise_nib, raw) == expected


# ---------------------------------------------------------------------------
# Phone
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, phone, status",
    [
        ("081234567890", "+6281234567890", "mobile"),
        ("0812-3456-7890", "+6281234567890", "mobile"),
        ("0812 3456 7890", "+6281234567890", "mobile"),
        ("0812.3456.7890", "+6281234567890", "mobile"),
        ("(0812) 3456 7890", "+6281234567890", "mobile"),
        ("+62 812-3456-7890", "+6281234567890", "mobile"),
        ("+6281234567890", "+6281234567890", "mobile"),
        ("62 812 3456 7890", "+6281234567890", "mobile"),
        ("6281234567890", "+6281234567890", "mobile"),
        ("0062 812 3456 7890", "+6281234567890", "mobile"),
        ("+62 0812 3456 7890", "+6281234567890", "mobile"),
        ("81234567890", "+6281234567890", "mobile"),
        ("8123 4567 890", "+6281234567890", "mobile"),
        ("6281234567890.0", "+6281234567890", "mobile"),  # float from Excel
        ("HP: 0812-3456-7890", "+6281234567890", "mobile"),
        ("0812-3456-7890 / 0813-1111-2222", "+6281234567890", "mobile"),
        ("0812 3456 7890 atau 0813 1111 2222", "+6281234567890", "mobile"),
        ("0542-123456", "+62542123456", "landline"),
        ("(0542) 7123456", "+625427123456", "landline"),
        ("0542 712 3456", "+625427123456", "landline"),
        ("+62 542 123456", "+62542123456", "landline"),
        ("021-5551234", "+62215551234", "landline"),
        ("7123456", None, "invalid"),  # no area code: not guessed
        ("0801234567", None, "invalid"),  # 080 is no mobile prefix
        ("0812345", None, "invalid"),  # too short
        ("08123456789012345", None, "invalid"),  # too long
        ("0082123456789", None, "invalid"),  # 00 + 82: not a trunk prefix
        ("6.28123E+11", None, "invalid"),
        ("+60 12 345 6789", None, "invalid"),  # Malaysia
        ("tidak punya", None, "invalid"),
        ("", None, "missing"),
        (None, None, "missing"),
        ("-", None, "missing"),
        ("0", None, "missing"),
    ],
)
def test_normalise_phone(raw, phone, status):
    assert one(N.normalise_phone, raw) == {"phone": phone, "phone_status": status}


# ---------------------------------------------------------------------------
# Names
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, key",
    [
        ("Siti Aminah", "SITI AMINAH"),
        ("  siti   aminah ", "SITI AMINAH"),
        ("Hj. Siti Aminah, S.Pd.", "SITI AMINAH"),
        ("HJ SITI AMINAH", "SITI AMINAH"),
        ("Hajjah Siti Aminah", "SITI AMINAH"),
        ("Ibu Siti Aminah", "SITI AMINAH"),
        ("IB. SITI AMINAH", "SITI AMINAH"),
        ("BPK AHMAD", "AHMAD"),
        ("Bpk. Ahmad", "AHMAD"),
        ("Bapak Ahmad", "AHMAD"),
        ("Bp. Ahmad", "AHMAD"),
        ("H. Ahmad", "AHMAD"),
        ("H.Ahmad", "AHMAD"),
        ("Haji Ahmad", "AHMAD"),
        ("Sdr. Joko", "JOKO"),
        ("SDRI RINA", "RINA"),
        ("Dr. Ir. Budi Santoso, M.M.", "BUDI SANTOSO"),
        ("Drs. H. Mulyadi", "MULYADI"),
        ("Budi Santoso, S.E.", "BUDI SANTOSO"),
        ("Budi Santoso, SE, MM", "BUDI SANTOSO"),
        ("Budi Santoso SE", "BUDI SANTOSO"),
        ("Budi Santoso S.Pd", "BUDI SANTOSO"),
        ("Rina Wati, A.Md.Keb", "RINA WATI"),
        ("Hasan Basri", "HASAN BASRI"),  # H of Hasan is no honorific
        ("M. Nur", "M NUR"),  # initials stay
        ("Ahmad M. Nur", "AHMAD M NUR"),
        ("Santoso, Budi", "SANTOSO BUDI"),  # a name after the comma is kept
        ("Ma'ruf Amin", "MARUF AMIN"),
        ("Siti-Aminah", "SITI AMINAH"),
        ("José", "JOSE"),
        ("", None),
        (None, None),
    ],
)
def test_normalise_name(raw, key):
    assert one(N.normalise_name, raw) == key


@pytest.mark.parametrize(
    "raw, key",
    [
        ("Siti Aminah binti Abdullah", "SITI AMINAH"),
        ("Hj. SITI AMINAH BT. ABDULLAH", "SITI AMINAH"),
        ("Hasanuddin bin Muhammad Saleh", "HASANUDDIN"),
        ("Siti Aminah", "SITI AMINAH"),
        ("Robin Tan", "ROBIN TAN"),  # BIN inside a word
        ("Bin Laden", "BIN LADEN"),  # no name before it
        ("", None),
    ],
)
def test_normalise_person_name_leaves_off_the_father(raw, key):
    assert one(N.normalise_person_name, raw) == key


@pytest.mark.parametrize(
    "raw, shown",
    [("HJ. SITI AMINAH, S.PD.", "Siti Aminah"), ("bpk ahmad", "Ahmad"), ("M. NUR", "M. Nur"), ("", None)],
)
def test_display_name(raw, shown):
    assert one(N.display_name, raw) == shown


# ---------------------------------------------------------------------------
# Regions
# ---------------------------------------------------------------------------

BATU_AMPAR = "64.71.03.1001"
UTARA = "64.71.03"


@pytest.mark.parametrize(
    "kel, kec, kab, kel_code, kec_code, status",
    [
        ("Batu Ampar", "Balikpapan Utara", "Balikpapan", BATU_AMPAR, UTARA, "ok"),
        ("BATU AMPAR", "BPP Utara", "Kota Balikpapan", BATU_AMPAR, UTARA, "ok"),
        ("Kel. Batu Ampar", "Bpp. Utara", "", BATU_AMPAR, UTARA, "ok"),
        ("Kelurahan Batu Ampar", "Kec. Balikpapan Utara", "", BATU_AMPAR, UTARA, "ok"),
        ("Batuampar", "Utara", "", BATU_AMPAR, UTARA, "ok"),
        ("Gunungsamarinda", "Balikpapan Utara", "", "64.71.03.1002", UTARA, "ok"),
        ("Gunung Samarinda", "Balikpapan Utara", "", "64.71.03.1002", UTARA, "ok"),
        ("Gn. Samarinda", "Balikpapan Utara", "", "64.71.03.1002", UTARA, "ok"),
        ("Gn Samarinda Baru", "Balikpapan Utara", "", "64.71.03.1005", UTARA, "ok"),
        ("Muararapak", "Balikpapan Utara", "", "64.71.03.1004", UTARA, "ok"),
        ("Muara Rapak", "Balikpapan Utara", "", "64.71.03.1004", UTARA, "ok"),
        ("Gunungsari Ulu", "Balikpapan Tengah", "", "64.71.04.1001", "64.71.04", "ok"),
        ("Gunung Sari Ilir", "Balikpapan Tengah", "", "64.71.04.1002", "64.71.04", "ok"),
        ("Sungainangka", "Balikpapan Selatan", "", "64.71.05.1010", "64.71.05", "ok"),
        ("Sungai Nangka", "Balikpapan Selatan", "", "64.71.05.1010", "64.71.05", "ok"),
        ("LEMARU", "Balikpapan Timur", "", "64.71.01.1002", "64.71.01", "ok"),
        ("Lamaru", "Balikpapan Timur", "", "64.71.01.1002", "64.71.01", "ok"),
        ("Karingau", "Balikpapan Barat", "", "64.71.02.1004", "64.71.02", "ok"),
        ("Kariangau", "Balikpapan Barat", "", "64.71.02.1004", "64.71.02", "ok"),
        ("Mekarsari", "Balikpapan Tengah", "", "64.71.04.1005", "64.71.04", "ok"),
        ("Mekar Sari", "Balikpapan Tengah", "", "64.71.04.1005", "64.71.04", "ok"),
        ("Margomulyo", "Balikpapan Barat", "", "64.71.02.1005", "64.71.02", "ok"),
        ("Margo Mulyo", "Balikpapan Barat", "", "64.71.02.1005", "64.71.02", "ok"),
        ("Damai", "Balikpapan Kota", "", "64.71.06.1005", "64.71.06", "ok"),
        ("Damai Baru", "Selatan", "", "64.71.05.1011", "64.71.05", "ok"),
        ("Teritip", "", "", "64.71.01.1003", "64.71.01", "kecamatan_inferred"),
        ("Graha Indah", "Balikpapan", "Balikpapan", "64.71.03.1006", UTARA, "kecamatan_inferred"),
        ("Batu Ampr", "Balikpapan Utara", "", BATU_AMPAR, UTARA, "repaired"),
        ("Sepingan", "Balikpapan Selatan", "", "64.71.05.1002", "64.71.05", "repaired"),
        ("Batu Ampar", "Balikpapan Utra", "", BATU_AMPAR, UTARA, "repaired"),
        ("Batu Ampar", "Balikpapan Selatan", "", BATU_AMPAR, UTARA, "conflict"),
        ("Prapatan", "Balikpapan Selatan", "", "64.71.06.1001", "64.71.06", "ok"),  # before 2012
        ("Damai Br.", "Balikpapan Selatan", "", "64.71.05.1011", "64.71.05", "ok"),
        ("Karang Juang", "Balikpapan Utara", "", "64.71.03.1003", UTARA, "ok"),
        ("Karang Djoang", "Balikpapan Utara", "", "64.71.03.1003", UTARA, "ok"),
        ("Lamaroe", "Balikpapan Timur", "", "64.71.01.1002", "64.71.01", "ok"),
        ("G. Sari Ulu", "Balikpapan Tengah", "", "64.71.04.1001", "64.71.04", "ok"),
        ("GSB", "Balikpapan Utara", "", "64.71.03.1005", UTARA, "ok"),
        ("Sempaja", "Samarinda Utara", "Samarinda", None, None, "outside"),
        ("", "", "Kab. Penajam Paser Utara", None, None, "outside"),
        ("", "", "PPU", None, None, "outside"),
        ("", "", "Kutai Kartanegara", None, None, "outside"),
        ("Sepaku", "", "", None, None, "outside"),
        ("Samarinda Seberang", "", "", None, None, "outside"),
        ("", "Samboja", "", None, None, "outside"),
        ("", "Balikpapan Tengah", "", None, "64.71.04", "unknown"),
        ("Gunung Sari", "Balikpapan Tengah", "", None, "64.71.04", "unknown"),  # Ulu or Ilir?
        ("Balikpapan Utara", "", "", None, UTARA, "unknown"),  # kecamatan in the kelurahan column
        ("xyz", "", "", None, None, "unknown"),
        ("", "", "", None, None, "unknown"),
        (None, None, None, None, None, "unknown"),
    ],
)
def test_normalise_region(ref, kel, kec, kab, kel_code, kec_code, status):
    out = N.normalise_region(
        pd.Series([kel], dtype="object"), pd.Series([kec], dtype="object"), pd.Series([kab], dtype="object"), ref
    )
    row = {k: (None if pd.isna(v) else v) for k, v in out.iloc[0].items()}
    assert row == {"kelurahan_code": kel_code, "kecamatan_code": kec_code, "region_status": status}


def test_normalise_region_every_reference_spelling(ref):
    kel = ref.kelurahan
    for column in ("nama", "nama_kepmendagri_2022", "nama_bps"):
        out = N.normalise_region(kel[column], kel["nama_kecamatan"], None, ref)
        assert out["kelurahan_code"].tolist() == kel["kode_kemendagri"].tolist(), column
        assert set(out["region_status"]) == {"ok"}


def test_normalise_region_without_kecamatan_column(ref):
    out = N.normalise_region(pd.Series(["Batu Ampar"]), None, None, ref)
    assert out.iloc[0].tolist() == [BATU_AMPAR, UTARA, "kecamatan_inferred"]


@pytest.mark.parametrize(
    "raw, kel_code, kec_code, status",
    [
        ("6471031001", BATU_AMPAR, UTARA, "ok"),
        ("6471031001.0", BATU_AMPAR, UTARA, "ok"),
        ("64.71.03.1001", BATU_AMPAR, UTARA, "ok"),
        ("6472011001", None, None, "outside"),
        ("3171011001", None, None, "outside"),
        ("6471039999", None, UTARA, "unknown"),
        ("6471", None, None, "unknown"),
        ("", None, None, "unknown"),
        (None, None, None, "unknown"),
    ],
)
def test_region_from_kd_daerah(ref, raw, kel_code, kec_code, status):
    out = N.region_from_kd_daerah(pd.Series([raw], dtype="object"), ref)
    row = {k: (None if pd.isna(v) else v) for k, v in out.iloc[0].items()}
    assert row == {"kelurahan_code": kel_code, "kecamatan_code": kec_code, "region_status": status}


# ---------------------------------------------------------------------------
# KBLI
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "code, bidang, kbli, kategori, status",
    [
        ("10391", "", "10391", "C", "valid"),
        ("10391.0", "", "10391", "C", "valid"),
        (" 10392 ", "", "10392", "C", "valid"),
        ("56101", "Kuliner", "56101", "I", "valid"),  # a valid code beats the text
        ("1111", "", "01111", "A", "valid"),  # leading zero lost
        ("01111", "", "01111", "A", "valid"),
        ("10391 - Industri Tempe", "", "10391", "C", "valid"),
        ("10391, 10392", "", "10391", "C", "valid"),
        ("1039", "", None, "C", "invalid"),  # subgolongan: kategori only
        ("5610", "", None, "I", "invalid"),
        ("56", "", None, "I", "invalid"),
        ("1411", "", None, None, "invalid"),  # 1411 konveksi or 01411 ternak: unknowable
        ("99999", "", None, None, "invalid"),
        ("abc", "", None, None, "invalid"),
        ("", "", None, None, "missing"),
        (None, None, None, None, "missing"),
        ("", "Kuliner", None, "I", "from_text"),
        ("", "Warung Makan", None, "I", "from_text"),
        ("", "Makanan dan Minuman", None, "C", "from_text"),
        ("", "Fashion", None, "C", "from_text"),
        ("", "Kerajinan", None, "C", "from_text"),
        ("", "Jasa", None, "S", "from_text"),
        ("", "Perdagangan", None, "G", "from_text"),
        ("", "Toko Kue", None, "G", "from_text"),
        ("", "Pertanian", None, "A", "from_text"),
        ("", "Perikanan", None, "A", "from_text"),
        ("", "Otomotif/Bengkel", None, "G", "from_text"),
        ("", "Salon", None, "S", "from_text"),
        ("", "Laundry", None, "S", "from_text"),
        ("", "Jasa Konstruksi", None, "F", "from_text"),
        ("99999", "Laundry", None, "S", "from_text"),
        ("", "Lainnya", None, None, "missing"),
        ("Kuliner", "", None, "I", "from_text"),  # words in the code column
    ],
)
def test_normalise_kbli(ref, code, bidang, kbli, kategori, status):
    out = N.normalise_kbli(pd.Series([code], dtype="object"), pd.Series([bidang], dtype="object"), ref)
    row = {k: (None if pd.isna(v) else v) for k, v in out.iloc[0].items()}
    assert row == {"kbli": kbli, "kbli_kategori": kategori, "kbli_status": status}


def test_bidang_usaha_mapping_uses_real_kategori(ref):
    assert set(N.BIDANG_USAHA_KATEGORI.values()) <= set(ref.kbli_kategori["kategori"])


# ---------------------------------------------------------------------------
# Money, counts
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("Rp 5.000.000", 5_000_000),
        ("Rp5.000.000,-", 5_000_000),
        ("Rp. 5.000.000", 5_000_000),
        ("Rp 5.000.000.-", 5_000_000),
        ("5.000.000,00", 5_000_000),
        ("5,000,000", 5_000_000),
        ("5,000,000.00", 5_000_000),
        ("5000000", 5_000_000),
        ("5000000.0", 5_000_000),
        ("5 jt", 5_000_000),
        ("5jt", 5_000_000),
        ("5 juta", 5_000_000),
        ("5 Juta Rupiah", 5_000_000),
        ("1,5 jt", 1_500_000),
        ("2.5jt", 2_500_000),
        ("1,25 jt", 1_250_000),
        ("1 M", 1_000_000_000),
        ("1 miliar", 1_000_000_000),
        ("1,2 milyar", 1_200_000_000),
        ("500 rb", 500_000),
        ("500ribu", 500_000),
        ("0", 0),
        ("Rp 0", 0),
        ("-", None),
        ("", None),
        (None, None),
        ("2.5", None),  # 2.5 rupiah or 2.5 juta? not guessed
        ("1.234,56", None),  # sen: not a whole rupiah
        ("1,255 jt", None),
        ("5jt/bulan", None),  # a month's figure is no year's: not multiplied
        ("Rp 60 jt/tahun", 60_000_000),
        ("-5000", None),
        ("1-5 juta", None),
        ("lima juta", None),
        ("99999999999999999999", None),
    ],
)
def test_parse_money(raw, expected):
    assert one(N.parse_money, raw) == expected


def test_parse_money_dtype_and_index():
    out = N.parse_money(pd.Series(["5 jt", ""], index=["a", "b"]))
    assert str(out.dtype) == "Int64" and list(out.index) == ["a", "b"]


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("3", 3),
        ("02", 2),
        ("Thn 2019", 2019),
        ("Th. 2019", 2019),
        ("Tahun 2019", 2019),
        ("2019.0", 2019),
        ("3 orang", 3),
        ("3 org", 3),
        ("3.0", 3),
        ("3 (tiga)", 3),
        ("0", 0),
        ("", None),
        (None, None),
        ("tiga", None),
        ("1.5", None),
        ("-2", None),
        ("2-3", None),
    ],
)
def test_parse_int(raw, expected):
    assert one(N.parse_int, raw) == expected


# ---------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("12/01/1980", "1980-01-12"),
        ("1/2/1980", "1980-02-01"),
        ("12-01-1980", "1980-01-12"),
        ("12.01.1980", "1980-01-12"),
        ("1980-01-12", "1980-01-12"),
        ("1980-01-12 00:00:00", "1980-01-12"),
        ("1980/01/12", "1980-01-12"),
        ("29221", "1980-01-01"),  # Excel serial
        ("29221.0", "1980-01-01"),
        ("61", "1900-03-01"),
        ("1", "1900-01-01"),
        ("60", None),  # Excel's 29 February 1900 never was
        ("12 Januari 1980", "1980-01-12"),
        ("12 januari 1980", "1980-01-12"),
        ("12 Jan 1980", "1980-01-12"),
        ("12-Jan-1980", "1980-01-12"),
        ("12 Februari 1980", "1980-02-12"),
        ("12 Pebruari 1980", "1980-02-12"),
        ("12 Maret 1980", "1980-03-12"),
        ("12 Mei 1980", "1980-05-12"),
        ("12 Agustus 1980", "1980-08-12"),
        ("12 Agt 1980", "1980-08-12"),
        ("12 Agu 1980", "1980-08-12"),
        ("12 August 1980", "1980-08-12"),
        ("12 Sept 1980", "1980-09-12"),
        ("12 Oktober 1980", "1980-10-12"),
        ("12 Okt 1980", "1980-10-12"),
        ("12 Nopember 1980", "1980-11-12"),
        ("12 Nop 1980", "1980-11-12"),
        ("12 Desember 1980", "1980-12-12"),
        ("12 Des 1980", "1980-12-12"),
        ("Senin, 12 Januari 1980", "1980-01-12"),
        ("31/02/1980", None),
        ("29/02/1981", None),
        ("29/02/1980", "1980-02-29"),
        ("12/01/80", None),  # two-digit year: century not guessed
        ("1980", None),  # a year, not serial 1980
        ("12 Foo 1980", None),
        ("", None),
        (None, None),
        ("kemarin", None),
    ],
)
def test_parse_date(raw, expected):
    assert one(N.parse_date, raw) == (pd.Timestamp(expected) if expected else None)


def test_parse_date_dtype():
    assert N.parse_date(pd.Series(["12/01/1980", ""])).dtype == "datetime64[ns]"


# ---------------------------------------------------------------------------
# Sex and yes/no
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("L", "L"),
        ("l", "L"),
        ("LK", "L"),
        ("Laki-laki", "L"),
        ("LAKI LAKI", "L"),
        ("Pria", "L"),
        ("M", "L"),
        ("Male", "L"),
        ("P", "P"),
        ("PR", "P"),
        ("Perempuan", "P"),
        ("Wanita", "P"),
        ("F", "P"),
        ("Female", "P"),
        ("", None),
        (None, None),
        ("-", None),
        ("X", None),
    ],
)
def test_normalise_sex(raw, expected):
    assert one(N.normalise_sex, raw) == expected


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("Ya", True),
        ("Y", True),
        ("YA", True),
        ("ya", True),
        ("1", True),
        ("1.0", True),
        ("True", True),
        ("Sudah", True),
        ("Pernah", True),
        ("Ada", True),
        ("Ya, Shopee", True),
        ("Aktif", True),
        ("Masih Berjalan", True),
        ("Tidak Aktif", False),
        ("Berhenti", False),
        ("Tidak", False),
        ("T", False),
        ("TDK", False),
        ("0", False),
        ("0.0", False),
        ("False", False),
        ("Belum", False),
        ("Tidak Ada", False),
        ("Belum pernah", False),
        ("", None),
        ("-", None),
        (None, None),
        ("mungkin", None),
    ],
)
def test_parse_bool(raw, expected):
    out = N.parse_bool(pd.Series([raw], dtype="object"))
    assert out.dtype == "boolean"
    assert (None if pd.isna(out.iloc[0]) else bool(out.iloc[0])) == expected


# ---------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------

NIK_DIGITS = st.from_regex(r"\A[1-9][0-9]{15}\Z")
NIKISH = st.one_of(
    NIK_DIGITS,
    NIK_DIGITS.map(lambda v: f"'{v}"),
    NIK_DIGITS.map(lambda v: f"{v[:4]} {v[4:8]} {v[8:12]} {v[12:]}"),
    NIK_DIGITS.map(lambda v: f"{v}.0"),
    st.from_regex(r"\A[0-9][.,][0-9]{1,6}[eE]\+1[4-6]\Z"),
    st.from_regex(r"\A['\s]?[0-9 .\-]{0,22}\Z"),
    st.text(),
    st.text(alphabet="0123456789٠١٢٣٤٥٦٧٨٩０１２ .,-'+Ee"),
)


@PROPERTY
@given(st.lists(NIKISH, max_size=6))
def test_nik_never_invents_digits(values):
    out = N.normalise_nik(pd.Series(values, dtype="object"))
    assert set(out["nik_status"]) <= set(N.NIK_STATUSES)
    for raw, nik, status in zip(values, out["nik"], out["nik_status"]):
        if pd.isna(nik):
            assert status != "valid"
            continue
        assert status == "valid" and re.fullmatch(r"[0-9]{16}", nik)
        digits = ascii_digits(raw)
        # Exactly the input's digits; a float's ".0" adds zeros that are dropped.
        assert digits == nik or (re.search(r"[.,]0+\s*$", raw) and digits.startswith(nik) and set(digits[16:]) <= {"0"})
    # A batch gives what its rows give one by one (fast and slow paths merge right).
    singles = [one(N.normalise_nik, v) for v in values]
    assert [
        {"nik": None if pd.isna(a) else a, "nik_status": b} for a, b in zip(out["nik"], out["nik_status"])
    ] == singles


@PROPERTY
@given(st.lists(st.one_of(NIK_DIGITS, st.text(max_size=20)), max_size=6))
def test_nik_parts_never_crash(values):
    out = N.nik_parts(pd.Series(values, dtype="object"))
    assert out["nik_birth_date"].dtype == "datetime64[ns]"
    assert set(out["nik_sex"].dropna()) <= {"L", "P"}


PHONEISH = st.one_of(
    st.from_regex(r"\A(?:\+62|62|0|0062|\+62 0)?8[1-9][0-9]{6,11}\Z"),
    st.from_regex(r"\A\(?0542\)?[ \-]?[0-9]{5,8}\Z"),
    st.from_regex(r"\A[+(]?[0-9 ().\-]{0,20}\Z"),
    st.text(),
    st.text(alphabet="0123456789٠١٢+ -./()E"),
)


@PROPERTY
@given(st.lists(PHONEISH, max_size=6))
def test_phone_never_invents_digits_and_is_idempotent(values):
    out = N.normalise_phone(pd.Series(values, dtype="object"))
    assert set(out["phone_status"]) <= set(N.PHONE_STATUSES)
    for raw, phone, status in zip(values, out["phone"], out["phone_status"]):
        if pd.isna(phone):
            assert status in ("invalid", "missing")
            continue
        assert status in ("mobile", "landline")
        assert re.fullmatch(r"\+62[0-9]{8,12}", phone)
        assert is_subsequence(phone[3:], ascii_digits(raw))
    again = N.normalise_phone(out["phone"].dropna())
    assert again["phone"].tolist() == out["phone"].dropna().tolist()
    assert again["phone_status"].tolist() == out["phone_status"][out["phone"].notna()].tolist()
    singles = [one(N.normalise_phone, v) for v in values]
    assert [
        {"phone": None if pd.isna(a) else a, "phone_status": b} for a, b in zip(out["phone"], out["phone_status"])
    ] == singles


MONEYISH = st.one_of(
    st.from_regex(r"\A(?:Rp\.? ?)?[0-9]{1,3}(?:[.,][0-9]{3}){0,4}(?:,-|,00|\.0)?\Z"),
    st.from_regex(r"\A[0-9]{1,4}(?:[.,][0-9]{1,3})? ?(?:jt|juta|rb|ribu|M|miliar|milyar)\Z"),
    st.text(),
    st.text(alphabet="0123456789.,- RpjtMrb"),
)


@PROPERTY
@given(st.lists(MONEYISH, max_size=6))
def test_money_never_invents_digits(values):
    out = N.parse_money(pd.Series(values, dtype="object"))
    assert str(out.dtype) == "Int64"
    for raw, value in zip(values, out):
        if pd.isna(value):
            continue
        assert value >= 0
        digits = ascii_digits(raw)
        assert digits, "a value from a cell without digits"
        # Units only append zeros: the significant digits come from the input, in order.
        assert is_subsequence(str(int(value)).rstrip("0"), digits)
    assert [None if pd.isna(v) else int(v) for v in out] == [one(N.parse_money, v) for v in values]


DATEISH = st.one_of(
    st.dates().map(lambda d: d.strftime("%d/%m/%Y")),
    st.dates().map(lambda d: d.isoformat()),
    st.dates().map(lambda d: f"{d.day} {['Januari', 'Pebruari', 'Agt', 'Sept', 'Nop', 'Des'][d.month % 6]} {d.year}"),
    st.integers(-10, 100000).map(str),
    st.text(),
    st.text(alphabet="0123456789/-. :JanuriDesAgt"),
)


@PROPERTY
@given(st.lists(DATEISH, max_size=6))
def test_dates_never_crash_and_need_digits(values):
    out = N.parse_date(pd.Series(values, dtype="object"))
    assert out.dtype == "datetime64[ns]"
    for raw, value in zip(values, out):
        if not ascii_digits(raw):
            assert pd.isna(value)
        if pd.notna(value):
            assert 1800 <= value.year <= 2200
    assert [None if pd.isna(v) else v for v in out] == [one(N.parse_date, v) for v in values]


@PROPERTY
@given(st.dates(min_value=pd.Timestamp("1900-03-01").date(), max_value=pd.Timestamp("2100-12-31").date()))
def test_dates_round_trip(day):
    ts = pd.Timestamp(day)
    serial = str((ts - pd.Timestamp("1899-12-30")).days)
    for text in (day.strftime("%d/%m/%Y"), day.isoformat(), serial, f"{day.day} {day.strftime('%b')} {day.year}"):
        if text == serial and 1900 <= int(serial) <= 2100:
            continue  # read as a year, by design
        assert one(N.parse_date, text) == ts, text


@PROPERTY
@given(st.lists(st.tuples(st.text(max_size=25), st.text(max_size=25), st.text(max_size=25)), max_size=6))
def test_region_never_crashes_and_keeps_its_invariants(ref, rows):
    kel, kec, kab = (pd.Series([r[i] for r in rows], dtype="object") for i in range(3))
    out = N.normalise_region(kel, kec, kab, ref)
    assert set(out["region_status"]) <= set(N.REGION_STATUSES)
    codes = set(ref.kelurahan["kode_kemendagri"])
    for kel_code, kec_code, status in out.itertuples(index=False):
        if status in ("ok", "repaired", "kecamatan_inferred", "conflict"):
            assert kel_code in codes and kec_code == kel_code[:8]
        elif status == "outside":
            assert pd.isna(kel_code) and pd.isna(kec_code)
        else:
            assert pd.isna(kel_code)


@PROPERTY
@given(st.data())
def test_kelurahan_spelling_variants(ref, data):
    row = ref.kelurahan.iloc[data.draw(st.integers(0, len(ref.kelurahan) - 1))]
    name = data.draw(st.sampled_from([row["nama"], row["nama_kepmendagri_2022"], row["nama_bps"]]))
    name = data.draw(
        st.sampled_from(
            [
                name,
                name.upper(),
                name.lower(),
                name.replace(" ", ""),
                f"Kel. {name}",
                f"Kelurahan {name}",
                f"  {name}  ",
                name.replace("Gunung ", "Gn. "),
            ]
        )
    )
    out = N.normalise_region(pd.Series([name]), pd.Series([row["nama_kecamatan"]]), pd.Series(["Balikpapan"]), ref)
    assert out.iloc[0].tolist() == [row["kode_kemendagri"], row["kode_kecamatan"], "ok"]


NAMEISH = st.one_of(
    st.text(),
    st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ .,'-éü"),
    st.tuples(
        st.sampled_from(["", "Ibu ", "Bpk. ", "Hj. ", "H.", "Dr. Ir. "]),
        st.from_regex(r"\A[A-Z][a-z]{1,8}(?: [A-Z][a-z]{1,8}){0,2}\Z"),
        st.sampled_from(["", ", S.Pd.", " SE", ", A.Md.Keb", ", SE, MM"]),
    ).map("".join),
)


@PROPERTY
@given(st.lists(NAMEISH, max_size=10))
def test_name_key_is_idempotent(values):
    key = N.normalise_name(pd.Series(values, dtype="object"))
    for k in key.dropna():
        assert re.fullmatch(r"[A-Z]+(?: [A-Z]+)*", k)
    again = N.normalise_name(key.dropna())
    assert again.tolist() == key.dropna().tolist()


def test_empty_series_everywhere(ref):
    empty = pd.Series([], dtype="str")
    assert len(N.normalise_nik(empty)) == 0
    assert len(N.nik_parts(empty)) == 0
    assert len(N.normalise_nib(empty)) == 0
    assert len(N.normalise_phone(empty)) == 0
    assert len(N.normalise_name(empty)) == 0
    assert len(N.normalise_region(empty, empty, empty, ref)) == 0
    assert len(N.region_from_kd_daerah(empty, ref)) == 0
    assert len(N.normalise_kbli(empty, empty, ref)) == 0
    assert len(N.parse_money(empty)) == 0
    assert len(N.parse_date(empty)) == 0
    assert len(N.normalise_sex(empty)) == 0
    assert len(N.parse_bool(empty)) == 0
    assert len(N.parse_int(empty)) == 0


def test_numeric_input_is_read_as_text():
    assert N.parse_money(pd.Series([5000000, np.nan])).tolist()[0] == 5000000
    assert N.normalise_nib(pd.Series([9120001234567])).iloc[0] == "9120001234567"
