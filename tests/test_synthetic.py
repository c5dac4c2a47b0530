"""The synthetic register: determinism, shape, realism, and every documented defect."""

from __future__ import annotations

import re
from datetime import date

import numpy as np
import pandas as pd
import pytest

from umkm import reference
from umkm.ingest import exports as ingest
from umkm.ingest import synthetic

SMALL = 3000


@pytest.fixture(scope="module")
def ref():
    return reference.load()


@pytest.fixture(scope="module")
def small(ref):
    return synthetic._generate(ref, ods_rows=SMALL)


@pytest.fixture(scope="module")
def clean(ref):
    return synthetic._generate(ref, ods_rows=SMALL, noise=0.0)


@pytest.fixture(scope="module")
def full(ref):
    """The default, Balikpapan-sized register (one generation shared by the size tests)."""
    return synthetic._generate(ref)


def _ods_with_truth(reg):
    t = reg.truth[reg.truth["source"] == "ods"].reset_index(drop=True)
    return reg.ods.assign(_actor=t["true_actor"], _reason=t["true_reason"])


def _oss_with_truth(reg):
    t = reg.truth[reg.truth["source"] == "oss"].reset_index(drop=True)
    return reg.oss.assign(_actor=t["true_actor"], _reason=t["true_reason"])


# ---------------------------------------------------------------- determinism and files


def test_same_seed_gives_identical_files(ref, tmp_path):
    a = synthetic.generate(ref, ods_rows=1000)
    b = synthetic.generate(ref, ods_rows=1000)
    pa = synthetic.write(a, tmp_path / "a")
    pb = synthetic.write(b, tmp_path / "b")
    assert sorted(pa) == ["ods.csv", "ods.xlsx", "oss.csv", "oss.xlsx", "truth.csv"]
    for name in pa:
        assert pa[name].read_bytes() == pb[name].read_bytes(), name


def test_different_seed_gives_different_data(ref, small):
    other = synthetic.generate(ref, ods_rows=SMALL, seed=1)
    assert not other.ods.equals(small[0].ods)
    assert not other.oss.equals(small[0].oss)


def test_csv_is_utf8_without_bom_with_lf(small, tmp_path):
    paths = synthetic.write(small[0], tmp_path, formats=("csv",))
    assert sorted(paths) == ["ods.csv", "oss.csv", "truth.csv"]
    for p in paths.values():
        data = p.read_bytes()
        assert not data.startswith(b"\xef\xbb\xbf")
        assert b"\r" not in data
        data.decode("utf-8")
    back = pd.read_csv(paths["ods.csv"], dtype=str, keep_default_na=False)
    assert back.equals(small[0].ods.astype(str))


def test_xlsx_reads_back_as_the_same_text(ref, tmp_path):
    reg = synthetic.generate(ref, ods_rows=1000)
    paths = synthetic.write(reg, tmp_path, formats=("xlsx",))
    for name, df in (("ods.xlsx", reg.ods), ("oss.xlsx", reg.oss)):
        back = pd.read_excel(paths[name], engine="calamine", dtype=str).fillna("")
        assert list(back.columns) == list(df.columns)
        assert back.equals(df.astype(str)), name


def test_write_rejects_unknown_format(small, tmp_path):
    with pytest.raises(ValueError):
        synthetic.write(small[0], tmp_path, formats=("ods",))


# ---------------------------------------------------------------- shape


def test_columns_are_exactly_canonical_and_text(small):
    reg = small[0]
    assert tuple(reg.ods.columns) == ingest.ODS_COLUMNS  # the columns the ingest stage reads
    assert tuple(reg.oss.columns) == ingest.OSS_COLUMNS
    assert tuple(reg.truth.columns) == synthetic.TRUTH_COLUMNS
    for df in (reg.ods, reg.oss):
        for c in df.columns:
            assert df[c].map(type).eq(str).all(), c
    assert len(reg.ods) == SMALL


def test_truth_has_one_row_per_input_row(small):
    reg = small[0]
    t = reg.truth
    for src, df in (("ods", reg.ods), ("oss", reg.oss)):
        s = t[t["source"] == src]
        assert len(s) == len(df)
        assert s["source_row"].tolist() == list(range(1, len(df) + 1))
    assert set(t["source"]) == {"ods", "oss"}
    is_actor = t["true_actor"] != ""
    assert (t.loc[is_actor, "true_reason"] == "").all()
    assert set(t.loc[~is_actor, "true_reason"]) <= set(synthetic.REASONS)
    assert (t.loc[~is_actor, "true_reason"] != "").all()
    assert t.loc[is_actor, "true_actor"].str.fullmatch(r"A\d{7}").all()


def test_every_reason_code_present(small):
    d = _ods_with_truth(small[0])
    assert set(d["_reason"]) - {""} == set(synthetic.REASONS)
    o = _oss_with_truth(small[0])
    assert {"luar_wilayah", "usaha_besar", "badan_lain"} <= set(o["_reason"])


def test_dates_never_after_snapshot(small):
    reg = small[0]
    snap = pd.Timestamp(reg.snapshot_date)
    ti = reg.ods["tanggal_input"]
    iso = pd.to_datetime(ti.str.slice(0, 10).where(ti.str.match(r"\d{4}-\d{2}-\d{2}")), errors="coerce")
    dmy = pd.to_datetime(ti.where(ti.str.fullmatch(r"\d{2}/\d{2}/\d{4}")), format="%d/%m/%Y", errors="coerce")
    serial = pd.to_numeric(ti.where(ti.str.fullmatch(r"\d{5}")), errors="coerce")
    serial = pd.Timestamp("1899-12-30") + pd.to_timedelta(serial, unit="D")
    parsed = iso.fillna(dmy).fillna(serial)
    assert parsed.notna().mean() > 0.8
    assert parsed.max() <= snap
    oss = pd.to_datetime(reg.oss["tgl_terbit_nib"], format="%Y-%m-%d")
    assert oss.max() <= snap and oss.min() >= pd.Timestamp("2018-01-01")


def test_snapshot_date_is_respected(ref):
    snap = date(2025, 6, 30)
    reg = synthetic.generate(ref, ods_rows=500, snapshot_date=snap)
    assert reg.snapshot_date == snap
    ti = reg.ods["tanggal_input"]
    iso = pd.to_datetime(ti.str.slice(0, 10).where(ti.str.match(r"\d{4}-\d{2}-\d{2}")), errors="coerce")
    assert iso.max() <= pd.Timestamp(snap)
    assert pd.to_datetime(reg.oss["tgl_terbit_nib"]).max() <= pd.Timestamp(snap)


def test_too_small_or_negative_noise_is_refused(ref):
    with pytest.raises(ValueError):
        synthetic.generate(ref, ods_rows=10)
    with pytest.raises(ValueError):
        synthetic.generate(ref, ods_rows=500, noise=-1)


# ---------------------------------------------------------------- counts at the default size


def test_default_size_counts(full):
    s = synthetic.summary(full[0])
    assert s["ods_rows"] == 59_000
    assert 46_000 <= s["ods_actors"] <= 48_000
    assert 8_000 <= s["ods_duplicate_rows"] <= 9_500
    non_actors = sum(s[f"ods_{r}"] for r in synthetic.REASONS)
    assert 2_900 <= non_actors <= 4_000
    for reason, target in (
        ("bukan_usaha", 1200),
        ("luar_wilayah", 700),
        ("badan_lain", 500),
        ("usaha_besar", 150),
        ("tidak_valid", 400),
    ):
        assert 0.8 * target <= s[f"ods_{reason}"] <= 1.2 * target, reason
    oss_only = s["actors_total"] - s["ods_actors"]
    assert 3_000 <= oss_only <= 5_000
    assert 20_000 <= s["oss_rows"] <= 32_000
    assert s["oss_luar_wilayah"] > 0 and s["oss_usaha_besar"] > 0


def test_nib_share_and_oss_links(full):
    reg, actors = full
    ods_actors = actors[actors["in_ods"]]
    assert 0.35 <= (ods_actors["nib"] != "").mean() <= 0.45
    o = _oss_with_truth(reg)
    linked = o[o["_actor"] != ""]
    # A NIB belongs to one actor; an actor has one NIB.
    assert linked.groupby("nib")["_actor"].nunique().max() == 1
    assert linked.groupby("_actor")["nib"].nunique().max() == 1
    assert linked["nib"].str.fullmatch(r"\d{13}").all()
    assert reg.oss["kd_daerah"].str.fullmatch(r"\d{10}").all()
    # OSS carries the true NIK.
    j = linked.merge(actors[["actor_id", "nik"]], left_on="_actor", right_on="actor_id")
    assert (j["nik_x"] == j["nik_y"]).all()
    # Some ODS rows carry the NIB, most do not.
    d = _ods_with_truth(reg)
    nib_digits = d["nib"].str.replace(r"\D", "", regex=True)
    shown = d["_actor"].isin(linked["_actor"]) & (nib_digits.str.len() >= 12)
    with_nib = d["_actor"].isin(linked["_actor"])
    assert 0.2 < shown.sum() / with_nib.sum() < 0.8


def test_oss_phone_mostly_matches_ods(full):
    reg, _ = full
    d = _ods_with_truth(reg)
    o = _oss_with_truth(reg)

    def last9(s):
        return s.str.replace(r"\D", "", regex=True).str[-9:]

    ods_phones = set(zip(d["_actor"], last9(d["no_hp"])))
    linked = o[(o["_actor"] != "") & o["_actor"].isin(d["_actor"])]
    same = [(a, p) in ods_phones for a, p in zip(linked["_actor"], last9(linked["no_telp"]))]
    assert 0.7 < np.mean(same) < 0.99


# ---------------------------------------------------------------- realism of the actors


def test_size_classes_mostly_mikro(full):
    _, actors = full
    a = actors[actors["in_ods"]]
    share = a["skala_usaha"].value_counts(normalize=True)
    assert 0.91 <= share["mikro"] <= 0.95
    assert share["kecil"] > share["menengah"] > 0
    assert "besar" not in share
    mikro = a[a["skala_usaha"] == "mikro"]
    assert mikro["modal_usaha"].max() <= 1_000_000_000 and mikro["omzet_per_tahun"].max() <= 2_000_000_000
    kecil = a[a["skala_usaha"] == "kecil"]
    assert kecil["omzet_per_tahun"].between(2_000_000_001, 15_000_000_000).all()
    assert (a["tenaga_kerja"] <= 4).mean() > 0.8


def test_about_forty_percent_culinary(full):
    _, actors = full
    assert 0.37 <= actors.loc[actors["in_ods"], "kuliner"].mean() <= 0.43


def test_kbli_codes_are_real(full, ref):
    _, actors = full
    assert set(actors["kbli"]) <= set(ref.kbli_kelompok["kode"])


def test_online_sellers_far_more_often_active(full):
    _, actors = full
    a = actors[actors["in_ods"]]
    on = a.loc[a["pemasaran_online"], "aktif"].mean()
    off = a.loc[~a["pemasaran_online"], "aktif"].mean()
    assert on > 0.8 and off < 0.5
    # ... and it shows in the rendered ODS columns too.
    d = _ods_with_truth(full[0])
    online = d["pemasaran_online"].str.lower().isin(["ya", "y", "1", "sudah"])
    offline = d["pemasaran_online"].str.lower().isin(["tidak", "t", "0", "belum"])
    active = d["status_usaha"].str.lower().isin(["aktif", "masih berjalan", "y"])
    assert active[online].mean() > active[offline].mean() + 0.25


def test_all_kelurahan_present_with_plausible_weights(full, ref):
    _, actors = full
    counts = actors["kelurahan_kode"].value_counts()
    assert set(counts.index) == set(ref.kelurahan["kode_kemendagri"])
    assert counts.min() > 0.2 * counts.mean()
    d = full[0].ods
    assert set(ref.kelurahan["nama"]) <= set(d["kelurahan"])


def test_sentra_sizes(full, small):
    for reg, actors in (full, small):
        som = actors[actors["sentra"] == "Somber"]
        ter = actors[actors["sentra"] == "Teritip"]
        assert len(som) == 80 and len(ter) == 24
        assert (som["kelurahan_kode"] == "64.71.03.1001").all()
        assert (ter["kelurahan_kode"] == "64.71.01.1003").all()
        assert set(som["kbli"]) <= {"10391", "10392", "10794"}
        assert set(ter["kbli"]) <= {"10213", "10219", "10299", "10794", "10761", "10799"}
        d = _ods_with_truth(reg)
        named = d["sentra"].str.contains("somber", case=False)
        assert d.loc[named, "_actor"].nunique() == 80
        assert d.loc[d["sentra"].str.contains("teritip|SIKT", case=False), "_actor"].nunique() == 24


def test_same_name_different_people_and_one_owner_two_businesses(full):
    _, actors = full
    by_name = actors.groupby("nama_pemilik")["nik"].nunique()
    assert (by_name > 1).sum() > 100  # common names belong to several people
    by_nik = actors.groupby("nik")["actor_id"].nunique()
    assert (by_nik > 1).sum() > 100  # one person, two businesses


# ---------------------------------------------------------------- NIK consistency


def _nik_consistent(df):
    """For rows with a clean 16-digit NIK, full sex and ISO birth date: consistent?"""
    m = (
        df["nik"].str.fullmatch(r"64\d{14}|[1-9]\d{15}")
        & df["jenis_kelamin"].isin(["Laki-laki", "Perempuan"])
        & df["tanggal_lahir"].str.fullmatch(r"\d{4}-\d{2}-\d{2}")
    )
    s = df[m]
    dd = s["nik"].str[6:8].astype(int)
    fem = dd > 40
    ok_sex = fem == (s["jenis_kelamin"] == "Perempuan")
    b = s["tanggal_lahir"]
    ok_date = (
        ((dd - 40 * fem).map("{:02d}".format) == b.str[8:10])
        & (s["nik"].str[8:10] == b.str[5:7])
        & (s["nik"].str[10:12] == b.str[2:4])
    )
    return len(s), ok_sex & ok_date


def test_nik_consistent_with_sex_and_birth_date_when_clean(clean):
    d = _ods_with_truth(clean[0])
    d = d[d["_reason"] != "tidak_valid"]
    n, ok = _nik_consistent(d)
    assert n > 0.9 * len(d)
    assert ok.all()


def test_nik_mostly_consistent_with_noise(small):
    d = _ods_with_truth(small[0])
    n, ok = _nik_consistent(d[d["_reason"] != "tidak_valid"])
    assert n > 500
    assert ok.mean() > 0.97


def test_owner_attributes_consistent_with_nik(full):
    _, actors = full
    a = actors
    dd = a["nik"].str[6:8].astype(int)
    assert ((dd > 40) == a["perempuan"]).all()
    birth = a["tanggal_lahir"]
    assert ((dd - 40 * (dd > 40)) == birth.dt.day).all()
    assert (a["nik"].str[8:10].astype(int) == birth.dt.month).all()
    assert (a["nik"].str[10:12].astype(int) == birth.dt.year % 100).all()
    assert (a["nik"].str[:4] == "6471").mean() > 0.8
    assert a.loc[a["nik"].str[:4] == "6471", "nik"].str[4:6].isin(["01", "02", "03", "04", "05", "06"]).all()
    assert {"3578", "7371", "6402", "6409"} & set(a["nik"].str[:4])


# ---------------------------------------------------------------- noise


def test_noise_zero_is_clean(clean):
    reg, _ = clean
    d = _ods_with_truth(reg)
    ok = d[d["_reason"] == ""]
    assert ok["tanggal_input"].str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()
    assert ok["omzet_per_tahun"].str.fullmatch(r"\d*").all()
    assert ok["no_hp"].str.fullmatch(r"(08\d{8,11}|0542-\d{6})?").all()
    assert ok["jenis_kelamin"].isin(["Laki-laki", "Perempuan", ""]).all()
    assert ok["kecamatan"].str.startswith("Balikpapan ").all()
    assert ok["kabupaten_kota"].eq("Kota Balikpapan").all()
    assert ok["nik"].str.fullmatch(r"\d{16}").all()
    for c in ("pemasaran_online", "pelatihan", "bantuan_modal"):
        assert ok[c].isin(["Ya", "Tidak", ""]).all(), c
    # Duplicates are still there, as exact copies apart from the entry date.
    assert ok["_actor"].duplicated().sum() > 0.1 * len(ok)


def test_noise_scales_defect_rates(ref, clean, small):
    twice = synthetic.generate(ref, ods_rows=SMALL, noise=2.0)

    def messy(reg):
        return (~reg.ods["tanggal_input"].str.fullmatch(r"\d{4}-\d{2}-\d{2}")).mean()

    m0, m1, m2 = messy(clean[0]), messy(small[0]), messy(twice)
    assert m0 < 0.01 < m1 < m2


# ---------------------------------------------------------------- every defect kind


DEFECTS = {
    "nik excel_sci": ("nik", r"^\d\.\d{5}E\+15$"),
    "nik excel_zeroed": ("nik", r"^64\d{13}0$"),
    "nik apostrophe": ("nik", r"^'\d{16}$"),
    "nik spaced": ("nik", r"^\d{4} \d{4} \d{4} \d{4}$"),
    "nik dotted": ("nik", r"^\d\d\.\d\d\.\d\d\.\d{6}\.\d{4}$"),
    "money jt": ("omzet_per_tahun", r"^\d+(,\d+)? ?(jt|juta|Juta)$"),
    "money Rp dots": ("modal_usaha", r"^Rp\.? \d{1,3}(\.\d{3})+$"),
    "money Rp ,-": ("modal_usaha", r"^Rp\d{1,3}(\.\d{3})+,-$"),
    "money decimals": ("aset", r"^\d{1,3}(\.\d{3})+,00$"),
    "money dash": ("omzet_per_tahun", r"^-$"),
    "money rb": ("modal_usaha", r"^\d+ ?(rb|ribu)$"),
    "money miliar": ("omzet_per_tahun", r"^\d+(,\d+)? ?(M|miliar|milyar)$"),
    "date serial": ("tanggal_lahir", r"^\d{5}$"),
    "date dmy slash": ("tanggal_lahir", r"^\d{2}/\d{2}/\d{4}$"),
    "date dmy dash": ("tanggal_lahir", r"^\d{2}-\d{2}-\d{4}$"),
    "date indonesian month": (
        "tanggal_lahir",
        r"^\d{1,2} (Januari|Februari|Maret|April|Mei|Juni|Juli|Agustus|"
        r"September|Oktober|November|Desember) \d{4}$",
    ),
    "date two-digit year": ("tanggal_lahir", r"^\d{2}/\d{2}/\d{2}$"),
    "date with time": ("tanggal_input", r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$"),
    "kelurahan Gn.": ("kelurahan", r"^Gn\. "),
    "kelurahan Kel.": ("kelurahan", r"^(Kel\.|Kelurahan|KEL\.) "),
    "kelurahan LEMARU": ("kelurahan", r"^LEMARU$"),
    "kelurahan Muararapak": ("kelurahan", r"^Muararapak$"),
    "kelurahan Gunungsari Ulu": ("kelurahan", r"^Gunungsari Ulu$"),
    "kelurahan Sungai Nangka": ("kelurahan", r"^Sungai Nangka$"),
    "kelurahan Karingau": ("kelurahan", r"^Karingau$"),
    "kelurahan Margomulyo": ("kelurahan", r"^Margomulyo$"),
    "kelurahan upper": ("kelurahan", r"^BATU AMPAR$"),
    "kecamatan BPP": ("kecamatan", r"^(BPP|Bpp\.?) "),
    "kecamatan Kec.": ("kecamatan", r"^Kec\. Balikpapan"),
    "kecamatan missing": ("kecamatan", r"^$"),
    "phone +62": ("no_hp", r"^\+62 ?8"),
    "phone 628": ("no_hp", r"^628\d+$"),
    "phone dashed": ("no_hp", r"^08\d\d-\d{4}-\d+$"),
    "phone landline": ("no_hp", r"0542"),
    "phone lost zero": ("no_hp", r"^8\d{8,11}$"),
    "sex L/P": ("jenis_kelamin", r"^[LP]$"),
    "sex LK/PR": ("jenis_kelamin", r"^(LK|PR)$"),
    "yes/no 1/0": ("pelatihan", r"^[01]$"),
    "yes/no Y/T": ("pemasaran_online", r"^[YT]$"),
    "yes/no dash": ("bantuan_modal", r"^-$"),
    "rt unpadded": ("rt", r"^[1-9]\d?$"),
    "rt padded": ("rt", r"^0\d\d$"),
    "alamat newline": ("alamat", r"\n"),
    "alamat RT": ("alamat", r"RT"),
    "honorific": ("nama_pemilik", r"^(Bpk\.|Bapak|Ibu|Hj\.|H\.|Sdr\.) "),
    "academic title": ("nama_pemilik", r", (S\.E\.|S\.Pd\.|S\.Kom\.|A\.Md\.|S\.H\.|S\.T\.|S\.Sos\.|Amd\.Keb\.)$"),
    "kbli with title": ("kbli", r"^\d{5} - "),
    "kbli four digits": ("kbli", r"^\d{4}$"),
    "nib placeholder": ("nib", r"^(-|Belum Ada|Proses|belum ada|Dalam Proses)$"),
    "nib apostrophe": ("nib", r"^'\d{13}$"),
    "marketplace abbrev": ("marketplace", r"\b(WA|IG|FB)\b"),
    "kota luar": ("kabupaten_kota", r"Penajam|Samarinda|Kutai|PPU|Paser|Bontang"),
    "badan lain": ("nama_usaha", r"^(Koperasi|KSP|Yayasan|Dinas|UPTD)"),
    "test row": ("nama_usaha", r"^(TEST|test|coba|Coba|xxx|XXX|asdf)$"),
    "totals row": ("nama_usaha", r"^JUMLAH$"),
    "header row": ("nama_usaha", r"^NAMA USAHA$"),
    "sentra variant": ("sentra", r"^(Sentra Somber|SENTRA INDUSTRI KECIL SOMBER|KIKS Somber|SIKT)$"),
    "email upper": ("email", r"^[A-Z0-9._]+@"),
    "whitespace": ("nama_pemilik", r"^\s|\s$|\s\s|\u00a0"),
}


@pytest.mark.parametrize("label", sorted(DEFECTS))
def test_every_defect_kind_present(full, label):
    col, pattern = DEFECTS[label]
    pattern = re.sub(r"\((?!\?)", "(?:", pattern)  # non-capturing groups for str.contains
    assert full[0].ods[col].str.contains(pattern, regex=True).any(), label


def test_duplicates_vary(full):
    d = _ods_with_truth(full[0])
    act = d[d["_actor"] != ""]
    multi = act[act["_actor"].duplicated(keep=False)]
    g = multi.groupby("_actor")
    assert (g["tanggal_input"].nunique() > 1).mean() > 0.8
    assert (g["nama_pemilik"].nunique() > 1).mean() > 0.2
    assert (g["nik"].nunique() > 1).mean() > 0.1
    # A mistyped NIK: 16 digits, differs from the actor's NIK in one or two places.
    digits = multi[multi["nik"].str.fullmatch(r"\d{16}")]
    first = digits.groupby("_actor")["nik"].transform("first")
    diff = [sum(x != y for x, y in zip(a, b)) for a, b in zip(digits["nik"], first)]
    assert any(k in (1, 2) for k in diff)


def test_docstring_lists_every_defect():
    doc = synthetic.__doc__
    for column, variants in synthetic.RATES.items():
        for name in variants:
            assert re.search(rf"\b{re.escape(name)}\b", doc), f"{column}.{name} is not in the module docstring"


# ---------------------------------------------------------------- CLI


def test_cli_help(capsys):
    with pytest.raises(SystemExit) as e:
        synthetic.main(["--help"])
    assert e.value.code == 0
    out = capsys.readouterr().out
    for flag in ("--out", "--seed", "--rows", "--noise", "--formats"):
        assert flag in out


def test_cli_writes_files(tmp_path, capsys):
    assert synthetic.main(["--out", str(tmp_path), "--rows", "400", "--formats", "csv", "--seed", "7"]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ods.csv", "oss.csv", "truth.csv"]
    assert "ODS 400 rows" in capsys.readouterr().out


def test_cli_rejects_bad_format(tmp_path):
    with pytest.raises(SystemExit) as e:
        synthetic.main(["--out", str(tmp_path), "--formats", "pdf"])
    assert e.value.code != 0


def test_default_generation_is_fast(ref):
    import time

    t = time.perf_counter()
    synthetic.generate(ref, ods_rows=10_000)
    # ~0.5 s on an idle 2-core machine; generous for loaded CI.
    assert time.perf_counter() - t < 10
