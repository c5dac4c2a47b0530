"""End to end: a small generated register through every stage into a temporary folder."""

import hashlib
import inspect
import json
import re
import shutil

import pandas as pd
import pytest

from tests.support import tree_hashes
from umkm import paths, reference
from umkm.build import cli
from umkm.ingest import synthetic

ROWS = 2500
KEY = "test-key-for-this-suite-only"


@pytest.fixture(scope="module")
def exports(tmp_path_factory):
    folder = tmp_path_factory.mktemp("exports")
    register = synthetic.generate(reference.load(), seed=7, ods_rows=ROWS)
    paths = synthetic.write(register, folder, formats=("csv", "xlsx"))
    return register, paths


@pytest.fixture(scope="module")
def built(exports, tmp_path_factory, monkeypatch_module):
    register, paths = exports
    out = tmp_path_factory.mktemp("build")
    monkeypatch_module.setenv("UMKM_PSEUDONYM_KEY", KEY)
    code = cli.main(["--ods", str(paths["ods.xlsx"]), "--oss", str(paths["oss.csv"]), "--out", str(out), "--quiet"])
    assert code == 0
    return out


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def test_build_writes_every_output(built, exports):
    register, _ = exports
    names = sorted(p.parent.name for p in (built / "datapackages").glob("*/datapackage.json"))
    assert {"umkm-mikrodata", "umkm-statistik", "umkm-kualitas-data"} <= set(names)
    assert (built / "site" / "index.html").is_file()
    assert (built / "private" / "register.parquet").is_file()
    assert not (built / ".staging").exists()
    decisions = pd.read_csv(built / "private" / "decisions.csv", dtype=str, keep_default_na=False)
    assert list(decisions.columns) == ["source", "source_row", "actor_id", "status", "reason"]
    assert (decisions["source"] == "ods").sum() == len(register.ods)
    assert (decisions["source"] == "oss").sum() == len(register.oss)
    assert set(decisions["status"]) <= {"actor", "duplicate", "excluded", "deferred"}
    deferred = decisions["status"] == "deferred"  # entered after the snapshot date: the next release's
    assert (decisions.loc[deferred, "reason"] == "setelah_tanggal_data").all()
    assert (decisions.loc[deferred, "actor_id"] == "").all()
    decisions = decisions[~deferred]
    excluded = decisions["status"] == "excluded"
    assert (decisions.loc[excluded, "actor_id"] == "").all() and (decisions.loc[~excluded, "actor_id"] != "").all()
    assert set(decisions.loc[excluded, "reason"]) <= {
        "usaha_besar",
        "bukan_usaha",
        "luar_wilayah",
        "badan_lain",
        "tidak_valid",
    }


def test_packages_are_valid_frictionless_v2(built):
    from frictionless import Package, system

    for descriptor_path in (built / "datapackages").glob("*/datapackage.json"):
        descriptor = json.loads(descriptor_path.read_text())
        assert descriptor["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"
        assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
        assert descriptor["version"] and descriptor["created"].startswith("2026-")
        for resource in descriptor["resources"]:
            data = (descriptor_path.parent / resource["path"]).read_bytes()
            assert resource["bytes"] == len(data)
            assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
            assert not data.startswith(b"\xef\xbb\xbf")
        with system.use_context(trusted=True):
            report = Package(str(descriptor_path)).validate()
        assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]


def test_no_identifier_of_the_input_reaches_public_output(built, exports):
    register, _ = exports
    niks = set(register.ods["nik"].str.replace(r"\D", "", regex=True)) | set(register.oss["nik"])
    nibs = set(register.oss["nib"]) | set(register.ods["nib"])
    phones = {re.sub(r"\D", "", p)[-9:] for p in pd.concat([register.ods["no_hp"], register.oss["no_telp"]])}
    numbers = {n for n in niks | nibs if len(n) >= 10}
    phones = {p for p in phones if len(p) == 9}
    # A header row pasted into the data ("NAMA PEMILIK") is not a person's name.
    headers = {h.upper() for h in pd.read_csv(paths.HEADER_MAPPING, dtype=str)["header"]}
    names = {
        n.upper()
        for n in pd.concat([register.ods["nama_pemilik"], register.oss["nama_pelaku_usaha"]])
        if len(n.split()) >= 2
    } - headers
    checked = 0
    for folder in ("datapackages", "site", "docs"):
        for path in (built / folder).rglob("*"):
            if not path.is_file() or path.suffix in {".png", ".woff2", ".woff", ".ico", ".parquet", ".xlsx", ".zip"}:
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
            runs = set(re.findall(r"\d{10,}", text))
            assert not runs & numbers, f"{path} holds a NIK or NIB of the input"
            assert not {r[-9:] for r in runs} & phones, f"{path} holds a phone number of the input"
            upper = text.upper()
            leaked = [n for n in names if n in upper]
            assert not leaked, f"{path} holds owner names such as {leaked[:1]}"
            checked += 1
    assert checked > 20


def test_a_build_from_real_exports_has_no_synthetic_banner(built):
    pages = list((built / "site").rglob("*.html"))
    assert len(pages) > 20
    assert not [p for p in pages if 'class="umkm-banner"' in p.read_text(encoding="utf-8")]


def test_demo_build_labels_every_page_synthetic(demo_output):
    pages = list((demo_output / "site").rglob("*.html"))  # tests/conftest.py: a 1,500-row demo build
    assert len(pages) > 20
    unlabelled = [p for p in pages if 'class="umkm-banner"' not in p.read_text(encoding="utf-8")]
    assert not unlabelled, unlabelled[:3]
    descriptor = json.loads((demo_output / "datapackages" / "umkm-mikrodata" / "datapackage.json").read_text())
    assert descriptor["synthetic"] is True and "sintetis" in descriptor["sources"][0]["title"]


def test_two_builds_from_the_same_input_and_key_are_byte_identical(built, exports, tmp_path, monkeypatch):
    from umkm.site import images

    _, paths = exports
    monkeypatch.setenv("UMKM_PSEUDONYM_KEY", KEY)
    # every PNG drawn again, not taken from the session's renders (tests/conftest.py): their bytes are compared too
    monkeypatch.setattr(images, "render_png", inspect.unwrap(images.render_png))
    assert (
        cli.main(["--ods", str(paths["ods.xlsx"]), "--oss", str(paths["oss.csv"]), "--out", str(tmp_path), "--quiet"])
        == 0
    )
    for folder in ("datapackages", "site"):
        assert tree_hashes(tmp_path / folder) == tree_hashes(built / folder), folder


def test_bad_input_exits_non_zero_naming_file_and_leaves_output_untouched(
    built, exports, tmp_path, capsys, monkeypatch
):
    _, paths = exports
    out = tmp_path / "out"
    shutil.copytree(built, out)
    before = tree_hashes(out)
    broken = tmp_path / "ods_tanpa_nik.csv"
    frame = pd.read_csv(paths["ods.csv"], dtype=str, keep_default_na=False).drop(columns=["nik"])
    frame.to_csv(broken, index=False)
    monkeypatch.setenv("UMKM_PSEUDONYM_KEY", KEY)
    code = cli.main(["--ods", str(broken), "--oss", str(paths["oss.csv"]), "--out", str(out), "--quiet"])
    assert code == cli.EXIT_BAD_INPUT
    message = capsys.readouterr().err
    assert "ods_tanpa_nik.csv" in message and "'nik'" in message and "row 1" in message
    assert tree_hashes(out) == before


def test_real_exports_without_a_key_are_refused(exports, tmp_path, capsys, monkeypatch):
    _, paths = exports
    monkeypatch.delenv("UMKM_PSEUDONYM_KEY", raising=False)
    code = cli.main(["--ods", str(paths["ods.csv"]), "--oss", str(paths["oss.csv"]), "--out", str(tmp_path), "--quiet"])
    assert code == cli.EXIT_BAD_INPUT
    assert "UMKM_PSEUDONYM_KEY" in capsys.readouterr().err
    assert not (tmp_path / "datapackages").exists()


def test_a_swap_killed_halfway_is_rolled_back_by_the_next_build(tmp_path):
    from umkm.build import publish

    out, staging = tmp_path / "out", tmp_path / "out" / ".staging"
    for name in ("datapackages", "site"):
        (out / name).mkdir(parents=True)
        (out / name / "old.txt").write_text("previous release")
        (staging / name).mkdir(parents=True)
        (staging / name / "new.txt").write_text("new release")
    before = tree_hashes(out / "datapackages") | tree_hashes(out / "site")
    # Simulate a kill after the first folder was swapped: journal written, one rename done.
    publish._write_journal(
        out, [{"name": n, "backup": f".previous-{n}", "had": True} for n in ("datapackages", "site")]
    )
    (out / "datapackages").rename(out / ".previous-datapackages")
    (staging / "datapackages").rename(out / "datapackages")
    assert publish.recover(out)
    assert (tree_hashes(out / "datapackages") | tree_hashes(out / "site")) == before
    assert not list(out.glob(".previous-*")) and not (out / publish.JOURNAL).exists()


def test_the_statistics_package_says_how_its_cells_are_protected_as_the_risk_report_measures(demo_output):
    """The package description a researcher reads (datapackage.json, and from it DCAT, data.json and the data page)
    tells what the risk report measures: every cell published, perturbed by the cell key method within its
    parameters, none suppressed (it once still said counts of 1 to 4 were suppressed)."""
    from umkm.disclose import ckm

    risk = pd.read_csv(demo_output / "datapackages" / "umkm-risiko-pengungkapan" / "ringkasan_risiko.csv")
    published = risk.set_index("metrik")["nilai"]["persen_sel_diterbitkan"]
    descriptor = json.loads((demo_output / "datapackages" / "umkm-statistik" / "datapackage.json").read_text())
    texts = (descriptor["description"], descriptor["description_en"])
    assert published == 100.0
    assert not any(word in text.lower() for text in texts for word in ("disembunyikan", "suppressed"))
    assert f"paling banyak {ckm.D_MAX}" in texts[0] and f"1 sampai {ckm.BLOCKED_MAX}" in texts[0]
    assert f"at most {ckm.D_MAX}" in texts[1] and f"1 to {ckm.BLOCKED_MAX}" in texts[1]
