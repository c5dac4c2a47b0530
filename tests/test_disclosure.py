"""Disclosure control: the published microdata and tables of a demo build leak nobody.

1. pyCANON (an independent library, installed into .venv from requirements-dev.txt by scripts/setup --dev, run
   in a process of its own) confirms k >= 5 and l >= 2 over the declared quasi-identifiers.
2. A linkage attack with the private register finds no unique match.
3. Every published table is its true table perturbed by the cell key method, recomputed plainly from the
   register and the record keys; the perturbation table's properties; consistency and fresh noise.
"""

import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from umkm import reference
from umkm.build import cli, private
from umkm.disclose import anonymise as disclose
from umkm.disclose import ckm, sdc_microdata, sdc_tables, tables

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
    assert cli.main(["--out", str(out), "--demo-rows", str(ROWS), "--quiet", "--no-site"]) == 0
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
    statistics = {
        p.stem: pd.read_csv(p, dtype=str, keep_default_na=False)
        for p in sorted((folder / "umkm-statistik").glob("*.csv"))
    }
    register = pd.read_parquet(built / "private" / "register.parquet")
    snapshot = pd.Timestamp(descriptor["created"][:10])
    return {
        "resource": resource,
        "microdata": microdata,
        "statistics": statistics,
        "register": register,
        "snapshot": snapshot,
        "folder": folder,
    }


# 1. pyCANON -------------------------------------------------------------------------------------------------------


def test_pycanon_confirms_k_anonymity_and_l_diversity(published):
    resource = published["resource"]
    assert resource["kAnonymity"] == 5 and resource["lDiversity"] == 2
    assert {
        "kecamatan_kode",
        "kbli_kategori",
        "skala_usaha",
        "jenis_kelamin",
        "kelompok_umur",
        "kelompok_tahun_mulai",
        "kelompok_tenaga_kerja",
        "sentra",
    } <= set(resource["quasiIdentifiers"])
    assert set(resource["sensitiveAttributes"]) == {"kelompok_omzet", "bantuan_modal", "pelatihan", "pemasaran_online"}
    csv = published["folder"] / "umkm-mikrodata" / "pelaku_umkm.csv"
    meta = json.dumps({k: resource[k] for k in ("quasiIdentifiers", "sensitiveAttributes")})
    result = subprocess.run(
        [sys.executable, "-c", PYCANON_CHECK, str(csv), meta], check=True, capture_output=True, text=True
    )
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
    from umkm.package import schemas

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
    known = pd.DataFrame(
        {
            "kelurahan": register["kelurahan_code"].astype("string"),
            "kecamatan": register["kelurahan_code"].astype("string").str[:8].fillna(register["kecamatan_code"]),
            "golongan": kbli.str[:2],
            "kategori": kbli.str[:2].map(parent).fillna(register["kbli_kategori"]).astype("string"),
            "sex": register["jenis_kelamin"].astype("string"),
            "birth_year": register["tanggal_lahir"].dt.year.astype("Float64"),
            "start": register["tahun_mulai"].astype("Float64"),
        }
    )
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
    for column, rule in (
        ("kelurahan_kode", equal("kelurahan")),
        ("kecamatan_kode", equal("kecamatan")),
        ("kbli_golongan_pokok", equal("golongan")),
        ("kbli_kategori", equal("kategori")),
        ("jenis_kelamin", equal("sex")),
        ("kelompok_umur", age_band),
        ("kelompok_tahun_mulai", start_band),
    ):
        match &= _compatible(known, classes[column], rule)
    candidates = match.astype(np.int64) @ sizes
    assert (candidates != 1).all(), f"{int((candidates == 1).sum())} actors matched uniquely"
    assert candidates[candidates > 0].min() >= 5
    # Every actor's own record is among its candidates (the attacker reads the generalisation right).
    assert (candidates >= 5).mean() >= len(microdata) / len(register)


# 3. The cell key method -------------------------------------------------------------------------------------------


def test_published_tables_are_the_true_tables_perturbed_by_their_cell_keys(published, ref):
    """Recompute every table plainly from the register and the kept record keys: the published value is the
    true value plus the perturbation the published table gives its cell key (counts), or lies 25% to 50% of the
    largest contribution away from the true sum (magnitudes)."""
    register, snapshot = published["register"], published["snapshot"]
    keys = pd.read_csv(published["folder"].parent / "private" / "kunci_rekaman.csv", dtype={"actor_id": str})
    keys = keys.set_index("actor_id").reindex(register["actor_id"].astype(str))
    truth = pd.read_parquet(
        published["folder"].parent
        / "private"
        / "rilis"
        / f"{json.loads((published['folder'] / 'umkm-statistik' / 'datapackage.json').read_text())['version']}.parquet"
    )
    detail = disclose.generalise(register, snapshot, ref)
    ptable = pd.read_csv(
        published["folder"] / "umkm-risiko-pengungkapan" / "tabel_perturbasi.csv", dtype={"nilai_sel": str}
    )
    last = int(ptable["nilai_sel"].str.rstrip("+").astype(int).max())
    checked = 0
    for spec in tables.COUNT_TABLES:
        frame = published["statistics"][spec.name]
        labels = truth[list(spec.dimensions)].astype(str)
        cell = labels.apply(tuple, axis=1)
        true = cell.value_counts()
        key_sum = pd.Series(truth["kunci_sel"].to_numpy(), index=cell).groupby(level=0).sum() % (1 << 32)
        known = [d for d in spec.dimensions if d in sdc_tables.KNOWN_DIMENSIONS]
        for row in frame.itertuples(index=False):
            c = tuple(str(getattr(row, d)) for d in spec.dimensions)
            value, published_value = int(true.get(c, 0)), int(getattr(row, tables.COUNT))
            assert published_value >= 0 and published_value not in (1, 2), (spec.name, c)
            assert abs(published_value - value) <= 5, (spec.name, c, value, published_value)
            if value == 0:
                assert published_value == 0
            if len(known) == len(spec.dimensions) and value:  # no row key: the textbook cell key
                k = int(key_sum[c])
                lookup = ptable[
                    (ptable["nilai_sel"].str.rstrip("+").astype(int) == min(value, last))
                    & (ptable["kunci_sel_dari"] <= k)
                    & (ptable["kunci_sel_sampai"] >= k)
                ]
                assert published_value == value + int(lookup["perturbasi"].iloc[0]), (spec.name, c)
                checked += 1
    assert checked > 100
    for spec in tables.MAGNITUDE_TABLES:
        frame = published["statistics"][spec.name]
        amounts = pd.to_numeric(detail[spec.measure], errors="coerce").astype("float64")
        cell = truth[list(spec.dimensions)].astype(str).apply(tuple, axis=1)
        grouped = amounts.groupby(cell.to_numpy())
        total, largest = grouped.sum(), grouped.max()
        for row in frame.itertuples(index=False):
            c = tuple(str(getattr(row, d)) for d in spec.dimensions)
            value = float(total.get(c, 0.0))
            top = float(largest.get(c, 0.0) or 0.0)
            noise = abs(int(getattr(row, spec.value)) - value)
            if top == 0:
                assert noise == 0
                continue
            scale = max(ckm.MAGNITUDE_SHARE * top, ckm.MAGNITUDE_MIN_UNIT.get(spec.measure, 0.0))
            if int(getattr(row, spec.value)) > 0:  # not clipped at zero
                assert scale - 0.5 <= noise <= 2 * scale + 0.5, (spec.name, c, value, top, noise)


def test_perturbation_table_is_unbiased_bounded_and_blocks_one_and_two():
    table = ckm.ptable()
    assert table == ckm.build_ptable()  # the file is what the parameters give
    for count, (values, bounds) in enumerate(table.rows):
        p = np.diff(np.asarray(bounds, dtype=np.float64)) / (1 << 32)
        v = np.asarray(values)
        assert abs(p.sum() - 1) < 1e-9 and abs(p @ v) < 1e-6
        assert p @ (v * v) <= ckm.VARIANCE + 1e-6
        assert np.abs(v).max() <= ckm.D_MAX
        assert not set((count + v)[p > 0].tolist()) & {1, 2}
        assert (count + v >= 0).all()
    assert table.rows[0] == ((0,), (0, 1 << 32))


def test_same_contributors_same_value_fresh_noise_for_others():
    rng = np.random.default_rng(1)
    keys = rng.integers(1, 1 << 32, 400)
    base = np.sort(rng.choice(400, 60, replace=False))
    cell = np.full(400, -1)
    cell[base] = 0
    first = ckm.key_sums(cell, keys, 1)
    again = ckm.key_sums(cell.copy(), keys, 1)
    assert first[0] == again[0]
    table = ckm.ptable()
    assert table.perturb([60], first)[0] == table.perturb([60], again)[0]
    values = []
    for joiner in np.setdiff1d(np.arange(400), base)[:200]:
        plus = cell.copy()
        plus[joiner] = 0
        values.append(table.perturb([61], ckm.key_sums(plus, keys, 1))[0])
    assert len(set(values)) >= 5  # one more contributor: fresh noise, many different figures


def test_magnitude_noise_never_lets_the_only_contributor_be_read_within_a_quarter():
    keys = np.arange(0, 1 << 32, 1 << 20, dtype=np.int64)
    amount = np.full(len(keys), 416_000_000.0)
    published_value = ckm.perturb_magnitude(amount, amount, keys, "omzet_per_tahun")
    error = np.abs(published_value - amount) / amount
    assert error.min() >= ckm.MAGNITUDE_SHARE - 1e-9 and error.max() <= 2 * ckm.MAGNITUDE_SHARE + 1e-9
    workers = ckm.perturb_magnitude(np.ones(len(keys)), np.ones(len(keys)), keys, "tenaga_kerja")
    assert (workers != 1).all()  # at least one worker of noise: a lone worker is never published as 1


def test_record_keys_come_back_with_the_secret_and_stay_when_kept(tmp_path):
    ids = pd.Series(["A1", "A2", "A3"])
    first = private.record_keys(tmp_path, ids, b"secret-one")
    assert (first.to_numpy() == private.record_keys(tmp_path, ids, b"secret-one").to_numpy()).all()
    assert not (
        first["kunci_sel"].to_numpy() == private.record_keys(tmp_path, ids, b"secret-two")["kunci_sel"].to_numpy()
    ).all()
    (tmp_path / private.RECORD_KEYS).write_text(first.to_csv(index=False))
    rotated = private.record_keys(tmp_path, pd.Series(["A1", "A2", "A3", "A4"]), b"secret-two")
    assert rotated.iloc[:3].reset_index(drop=True).equals(first)  # a new secret never re-draws kept keys
    assert len(rotated) == 4


def test_pseudonyms_differ_between_releases_and_the_fingerprint_ignores_them():
    ids = pd.Series([f"A{i:05d}" for i in range(50)])
    frame = pd.DataFrame({"kecamatan_kode": ["64.71.01"] * 50})
    one = disclose.with_pseudonyms(frame, ids, b"s", "2026.09.30")
    two = disclose.with_pseudonyms(frame, ids, b"s", "2026.10.31")
    assert not set(one["pseudonim"]) & set(two["pseudonim"])
    assert one["pseudonim"].is_monotonic_increasing
    assert disclose.release_key(b"s", "2026.09.30") == disclose.release_key(b"s", "2026.09.30")


def test_the_content_fingerprint_is_the_digest_of_the_rows_text_whatever_their_order():
    """The fingerprint (it decides a release's version) is the SHA-256 of the microdata rows' text (fields joined
    by \\x1f, missing as empty, rows sorted), then every table's CSV: computed here plainly, row by row."""
    import hashlib
    from types import SimpleNamespace

    micro = pd.DataFrame(
        {
            "a": pd.array(["x", None, "z", "x"], dtype="string"),
            "b": pd.array([1, None, 3, 1], dtype="Int64"),
            "c": pd.array([True, False, None, True], dtype="boolean"),
            "d": [1.5, np.nan, 2.0, 1.5],
        }
    )
    tables = {"t": pd.DataFrame({"k": ["01"], "jumlah_pelaku": [3]})}
    digest = hashlib.sha256()
    rows = ["\x1f".join("" if pd.isna(v) else str(v) for v in row) for row in micro.itertuples(index=False)]
    for line in sorted(rows):
        digest.update(line.encode() + b"\n")
    digest.update(b"t\0" + tables["t"].to_csv(index=False).encode())
    found = disclose.content_fingerprint(SimpleNamespace(microdata=micro, tables=tables, magnitude={}))
    assert found == "sha256:" + digest.hexdigest()
    shuffled = SimpleNamespace(microdata=micro.iloc[[3, 1, 0, 2]], tables=tables, magnitude={})
    assert disclose.content_fingerprint(shuffled) == found
