"""Disclosure control: the published microdata and tables of a demo build leak nobody.

1. pyCANON (an independent library, in its own virtualenv .venv-pycanon made by
   scripts/setup-pycanon) confirms k >= 5 and l >= 2 over the declared quasi-identifiers.
2. A linkage attack with the private register finds no unique match.
3. The LP audit passes on all published tables together; a planted unsafe table fails.
4. Magnitude rules (threshold and p%) on hand-made data.
5. Differencing between two hand-made releases.
"""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import build_data
from umkm import disclose, reference, sdc_audit, sdc_microdata, sdc_tables, tables

REPO = Path(__file__).resolve().parents[1]
ROWS = 20_000

PYCANON_CHECK = r"""
import json, sys
import pandas as pd
from pycanon import anonymity
data = pd.read_csv(sys.argv[1], dtype=str, keep_default_na=False)
meta = json.loads(sys.argv[2])
qi = meta["quasiIdentifiers"]
out = {"k": int(anonymity.k_anonymity(data, qi)), "l": {}}
for column in meta["sensitiveAttributes"]:
    known = data[data[column] != ""].reset_index(drop=True)  # over recorded values: a blank is "unknown"
    out["l"][column] = int(anonymity.l_diversity(known, qi, [column]))
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("disclosure-build")
    assert build_data.main(["--out", str(out), "--demo-rows", str(ROWS), "--quiet", "--no-site"]) == 0
    return out


@pytest.fixture(scope="module")
def ref():
    return reference.load()


@pytest.fixture(scope="module")
def published(built):
    folder = built / "datapackages"
    descriptor = json.loads((folder / "umkm-mikrodata" / "datapackage.json").read_text())
    resource = next(r for r in descriptor["resources"] if r["name"] == "pelaku_umkm")
    microdata = pd.read_parquet(folder / "umkm-mikrodata" / "pelaku_umkm.parquet")
    statistics = {p.stem: pd.read_csv(p, dtype=str, keep_default_na=False)
                  for p in sorted((folder / "umkm-statistik").glob("*.csv"))}
    register = pd.read_parquet(built / "private" / "register.parquet")
    snapshot = pd.Timestamp(descriptor["created"][:10])
    return {"resource": resource, "microdata": microdata, "statistics": statistics, "register": register,
            "snapshot": snapshot, "folder": folder}


# 1. pyCANON -------------------------------------------------------------------------------------------------------

def test_pycanon_confirms_k_anonymity_and_l_diversity(published):
    subprocess.run([str(REPO / "scripts" / "setup-pycanon")], check=True, cwd=REPO)
    python = REPO / ".venv-pycanon" / "bin" / "python"
    resource = published["resource"]
    assert resource["kAnonymity"] == 5 and resource["lDiversity"] == 2
    assert {"kecamatan_kode", "kbli_kategori", "skala_usaha", "jenis_kelamin", "kelompok_umur",
            "kelompok_tahun_mulai", "kelompok_tenaga_kerja", "sentra"} <= set(resource["quasiIdentifiers"])
    assert set(resource["sensitiveAttributes"]) == {"kelompok_omzet", "bantuan_modal", "pelatihan",
                                                    "pemasaran_online"}
    csv = published["folder"] / "umkm-mikrodata" / "pelaku_umkm.csv"
    meta = json.dumps({k: resource[k] for k in ("quasiIdentifiers", "sensitiveAttributes")})
    result = subprocess.run([str(python), "-c", PYCANON_CHECK, str(csv), meta], check=True, capture_output=True,
                            text=True)
    measured = json.loads(result.stdout)
    assert measured["k"] >= 5
    # A class in which nobody's value is recorded discloses nothing; where any value is recorded, two differ.
    assert min(measured["l"].values()) >= 2, measured


def test_no_identifier_or_nik_derived_value_is_published(published):
    microdata = published["microdata"]
    assert list(microdata.columns) == list(disclose_columns())
    assert microdata["pseudonim"].str.fullmatch(r"[0-9a-f]{16}").all() and microdata["pseudonim"].is_unique
    text = (published["folder"] / "umkm-mikrodata" / "pelaku_umkm.csv").read_text()
    register = published["register"]
    for nik in register["nik"].dropna().astype(str).head(500):
        assert nik not in text
    # Unkeyed hashes of the actor id are not the pseudonym.
    import hashlib

    unkeyed = {hashlib.sha256(a.encode()).hexdigest()[:16] for a in register["actor_id"].astype(str)}
    assert not unkeyed & set(microdata["pseudonim"])


def disclose_columns():
    from umkm import schemas

    return schemas.MICRODATA_COLUMNS


# 2. Linkage attack ------------------------------------------------------------------------------------------------

def _compatible(known: pd.Series, published_values: pd.Series, match) -> np.ndarray:
    """(actors, patterns) matrix: the attacker's value agrees with the published one (a blank agrees)."""
    out = np.ones((len(known), len(published_values)), dtype=bool)
    for j, value in enumerate(published_values):
        if pd.isna(value):
            continue
        out[:, j] = match(known, value)
    return out


def test_linkage_attack_finds_no_unique_match(published, ref):
    register, microdata, snapshot = published["register"], published["microdata"], published["snapshot"]
    qi = [c for q in sdc_microdata.QUASI_IDENTIFIERS for c in q.columns]
    patterns = microdata[qi].astype(object).where(microdata[qi].notna(), None)
    grouped = patterns.groupby(qi, dropna=False, sort=False).size()
    classes = pd.DataFrame(list(grouped.index), columns=qi)
    sizes = grouped.to_numpy()
    # What the attacker knows of every actor: kelurahan (so kecamatan), sector, sex, birth year, start year.
    kbli = register["kbli"].astype("string")
    parent = dict(zip(ref.kbli_golongan_pokok["golongan_pokok"], ref.kbli_golongan_pokok["kategori"]))
    known = pd.DataFrame({
        "kelurahan": register["kelurahan_code"].astype("string"),
        "kecamatan": register["kelurahan_code"].astype("string").str[:8].fillna(register["kecamatan_code"]),
        "golongan": kbli.str[:2],
        "kategori": kbli.str[:2].map(parent).fillna(register["kbli_kategori"]).astype("string"),
        "sex": register["jenis_kelamin"].astype("string"),
        "birth_year": register["tanggal_lahir"].dt.year.astype("Float64"),
        "start": register["tahun_mulai"].astype("Float64"),
    })
    ages = sdc_microdata.band_intervals(sdc_microdata.AGE_LEVELS)
    starts = sdc_microdata.band_intervals(sdc_microdata.START_YEAR_LEVELS)

    def equal(column):
        return lambda k, v: (k[column] == v).fillna(False).to_numpy()

    def age_band(k, v):  # birth year only: the age at the snapshot is one of two values
        low, high = ages[v]
        age_a = snapshot.year - k["birth_year"]
        return (((age_a >= low) & (age_a < high)) | ((age_a - 1 >= low) & (age_a - 1 < high))).fillna(False).to_numpy()

    def start_band(k, v):
        low, high = starts[v]
        return ((k["start"] >= low) & (k["start"] < high)).fillna(False).to_numpy()

    match = np.ones((len(known), len(classes)), dtype=bool)
    for column, rule in (("kelurahan_kode", equal("kelurahan")), ("kecamatan_kode", equal("kecamatan")),
                         ("kbli_golongan_pokok", equal("golongan")), ("kbli_kategori", equal("kategori")),
                         ("jenis_kelamin", equal("sex")), ("kelompok_umur", age_band),
                         ("kelompok_tahun_mulai", start_band)):
        match &= _compatible(known, classes[column], rule)
    candidates = match.astype(np.int64) @ sizes
    assert (candidates != 1).all(), f"{int((candidates == 1).sum())} actors matched uniquely"
    assert candidates[candidates > 0].min() >= 5
    # Every actor's own record is among its candidates (the attacker reads the generalisation right).
    assert (candidates >= 5).mean() >= len(microdata) / len(register)


# 3. LP audit ------------------------------------------------------------------------------------------------------

def _published_states(published, ref):
    detail = disclose.generalise(published["register"], published["snapshot"], ref)
    dropped = len(detail) - len(published["microdata"])
    states = disclose.build_states(detail, published["microdata"], dropped, ref)
    names = [s.name for s in tables.COUNT_TABLES] + [s.name for s in tables.MAGNITUDE_TABLES]
    for name in names:
        frame = published["statistics"][name]
        state = states[name]
        hidden = frame[tables.CELL_STATUS].eq(tables.SUPPRESSED).to_numpy()
        assert len(frame) == len(state.frame)
        assert not (state.suppressed & ~hidden).any(), f"{name}: a primary cell is published"
        state.rule[hidden & ~state.suppressed] = disclose.SECONDARY
        shown = ~hidden
        value_column = tables.COUNT if name in tables.TABLES_BY_NAME else tables.MAGNITUDE_BY_NAME[name].value
        assert np.allclose(frame.loc[shown, value_column].astype(float), np.round(state.value[shown]))
    return states


def test_lp_audit_passes_on_every_published_table_together(published, ref):
    states = _published_states(published, ref)
    model = sdc_tables.build_model(states, ref)
    assert model.check_consistent() == []
    result = sdc_audit.audit(model)
    assert result.cells, "nothing was suppressed: the audit proved nothing"
    assert result.passed, [f"{c.name} [{c.low}, {c.high}]" for c in result.failures[:10]]
    summary = published["folder"] / "umkm-risiko-pengungkapan" / "ringkasan_risiko.csv"
    risk = pd.read_csv(summary).set_index("metrik")["nilai"]
    assert risk["lulus"] == 1 and risk["audit_sel_gagal"] == 0 and risk["catatan_kelas_di_bawah_5"] == 0


def test_lp_audit_fails_when_a_complement_is_published(published, ref):
    states = _published_states(published, ref)
    secondary = [(s, i) for s in states.values() for i in np.flatnonzero(s.rule == disclose.SECONDARY)]
    assert secondary
    state, i = secondary[0]
    state.rule[i] = ""  # publish one complementary cell again
    result = sdc_audit.audit(sdc_tables.build_model(states, ref))
    assert not result.passed


def test_planted_unsafe_table_fails_and_protect_repairs_it():
    model = sdc_audit.Model()
    total = model.add("t|total", 33)
    cells = [model.add("t|a", 3, suppressed=True, lower_protection=3, upper_protection=2),
             model.add("t|b", 10), model.add("t|c", 20)]
    model.relate(total, cells)
    result = sdc_audit.audit(model)
    assert not result.passed and result.failures[0].low == result.failures[0].high == 3
    protection = sdc_audit.protect(model)
    assert protection.audit.passed
    assert [model.names[j] for j in protection.secondary] == ["t|b"]  # the smallest cell that covers it


def test_audit_sees_two_tables_sharing_a_margin():
    """A cell hidden in a cross table but recoverable through a one-way table over the same margin."""
    model = sdc_audit.Model()
    a, b = model.add("one|A", 12), model.add("one|B", 30)
    cross = {k: model.add(f"two|{k}", v, suppressed=k in ("A1", "A2"), lower_protection=2 if k == "A1" else np.nan,
                          upper_protection=3 if k == "A1" else np.nan)
             for k, v in (("A1", 2), ("A2", 10), ("B1", 15), ("B2", 15))}
    model.relate(a, [cross["A1"], cross["A2"]])
    model.relate(b, [cross["B1"], cross["B2"]])
    col1 = model.add("col|1", 17)
    model.relate(col1, [cross["A1"], cross["B1"]])
    assert not sdc_audit.audit(model).passed  # A1 = col1 - B1
    assert sdc_audit.protect(model).audit.passed


# 4. Magnitude rules -----------------------------------------------------------------------------------------------

def test_magnitude_threshold_and_p_percent_rules():
    total = np.array([300.0, 109.0, 100.0, 0.0, 150.0, 0.0])
    n = np.array([3, 3, 2, 0, 1, 2])
    x1 = np.array([100.0, 100.0, 60.0, 0.0, 150.0, 0.0])
    x2 = np.array([100.0, 5.0, 40.0, 0.0, 0.0, 0.0])
    level = sdc_tables.magnitude_protection(total, n, x1, x2)
    assert level[0] == 0  # 3 even contributors
    assert level[1] == pytest.approx(10 - 4)  # the other two add 4 < 10% of 100: protect by 6
    assert level[2] == pytest.approx(6)  # two contributors: each knows the other, 10% of 60
    assert level[3] == 0  # no contributor: a true zero
    assert level[4] == pytest.approx(15)
    assert level[5] == 1  # two zero turnovers are still two actors' figures


def test_magnitude_table_sums_contributors_and_largest(ref):
    detail = pd.DataFrame({"kecamatan_kode": pd.array(["64.71.01"] * 4 + ["64.71.02", None], dtype="string"),
                           "omzet_per_tahun": pd.array([10, 50, 40, None, 7, 3], dtype="Int64")})
    spec = tables.MAGNITUDE_BY_NAME["omzet_menurut_kecamatan"]
    frame = sdc_tables.magnitude_table(detail, spec, sdc_tables.categories(ref)).set_index("kecamatan_kode")
    assert frame.loc["64.71.01"].tolist() == [100.0, 3.0, 50.0, 40.0]
    assert frame.loc["64.71.02"].tolist() == [7.0, 1.0, 7.0, 0.0]
    assert frame.loc[""].tolist() == [3.0, 1.0, 3.0, 0.0]  # unknown kecamatan: its own cell
    assert frame.loc["64.71.06"].tolist() == [0.0, 0.0, 0.0, 0.0]
    level = sdc_tables.magnitude_protection(frame["total"], frame["n"], frame["x1"], frame["x2"])
    # 01: the rest, 100 - 50 - 40 = 10, is at least 10% of 50: safe. 02 and "": one contributor each.
    assert (level > 0).tolist() == [False, True, False, False, False, False, True]


def test_dominated_magnitude_cell_is_protected_in_the_audit():
    model = sdc_audit.Model()
    total = model.add("~m|total", 1300, hidden=True, scale=1000)
    cells = [model.add("m|a", 1000, suppressed=True, lower_protection=100, upper_protection=100, scale=1000),
             model.add("m|b", 200, scale=1000), model.add("m|c", 100, scale=1000)]
    model.relate(total, cells)
    other = [model.add("k|x", 650, scale=1000), model.add("k|y", 650, scale=1000)]
    model.relate(total, other)
    assert not sdc_audit.audit(model).passed
    protection = sdc_audit.protect(model)
    assert protection.audit.passed and len(protection.secondary) == 1


# 5. Differencing --------------------------------------------------------------------------------------------------

def _release(counts: dict[str, int]) -> pd.DataFrame:
    rows = [{"kecamatan_kode": k} for k, n in counts.items() for _ in range(n)]
    return pd.DataFrame(rows).astype("string")


def test_differencing_suppresses_a_change_of_one_or_two_actors(ref):
    cats = sdc_tables.categories(ref)
    spec = tables.TABLES_BY_NAME["menurut_kecamatan"]
    old = {"64.71.01": 100, "64.71.02": 50, "64.71.03": 70, "64.71.04": 40, "64.71.05": 60, "64.71.06": 30}
    new = dict(old, **{"64.71.01": 101, "64.71.03": 72, "64.71.05": 66})
    previous = sdc_tables.count_table(_release(old), spec.dimensions, cats)
    previous = disclose.published_count_table(
        sdc_tables.TableState(spec.name, "count", previous, previous[tables.COUNT].to_numpy(), spec.dimensions))
    previous = {spec.name: previous.astype("string").fillna("")}
    frame = sdc_tables.count_table(_release(new), spec.dimensions, cats)
    state = sdc_tables.TableState(spec.name, "count", frame, frame[tables.COUNT].to_numpy(), spec.dimensions)
    hit = disclose.differencing({spec.name: state}, previous)
    assert hit == {spec.name: 2}
    changed = dict(zip(frame["kecamatan_kode"], state.rule))
    assert changed["64.71.01"] == changed["64.71.03"] == disclose.DIFFERENCE  # +1 and +2
    assert changed["64.71.05"] == "" and changed["64.71.02"] == ""  # +6 and unchanged
    # With the city total published elsewhere, the two hidden cells protect each other (sum 173).
    model = sdc_tables.build_model({spec.name: state}, ref)
    model.suppressed[model.index["~kota|jumlah_pelaku"]] = False
    protection = sdc_audit.protect(model)
    assert protection.audit.passed
    before = {"tabel|0": 100, "tabel|2": 70}
    for cell in protection.audit.cells:  # "nothing changed" is still possible
        assert cell.low <= before[cell.name.replace(spec.name, "tabel")] <= cell.high


def test_no_previous_release_no_differencing(ref):
    cats = sdc_tables.categories(ref)
    spec = tables.TABLES_BY_NAME["menurut_kecamatan"]
    frame = sdc_tables.count_table(_release({"64.71.01": 10}), spec.dimensions, cats)
    state = sdc_tables.TableState(spec.name, "count", frame, frame[tables.COUNT].to_numpy(), spec.dimensions)
    assert disclose.differencing({spec.name: state}, None) == {}
    assert disclose.differencing({spec.name: state}, {}) == {}


if __name__ == "__main__":
    sys.exit(pytest.main([__file__, "-v"]))
