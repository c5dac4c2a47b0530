"""The data-stage cache: a rebuild after a template-only change skips the data stages and is
byte-identical to a full build; anything the data stages read invalidates it."""

import json
import shutil

import pytest

from tests.conftest import DEMO_BUILD_ARGS
from tests.support import tree_hashes
from umkm.build import cache, cli, files
from umkm.site import render as site_render

ROWS = DEMO_BUILD_ARGS  # the options of the demo build the tests start from
OUTPUTS = ("datapackages", "site", "docs", "private")


def build(out, *extra, timings=None):
    arguments = ["--out", str(out), *ROWS, *extra]
    if timings is not None:
        arguments += ["--timings-json", str(timings)]
    assert cli.main(arguments) == 0
    return json.loads(timings.read_text()) if timings is not None else None


@pytest.fixture(scope="module")
def first_build(demo_output):
    """tests/conftest.py's demo build: ``ROWS`` with the demo key, its cache kept; copied before a build."""
    return demo_output


@pytest.fixture
def changed_template(tmp_path, monkeypatch):
    """A copy of the page templates with one visible change on the home page."""
    templates = tmp_path / "templates"
    shutil.copytree(site_render.TEMPLATES, templates)
    home = templates / "beranda.md.j2"
    home.write_text(home.read_text(encoding="utf-8") + "\nPENANDA-TEMPLAT-BARU\n", encoding="utf-8")
    monkeypatch.setattr(site_render, "TEMPLATES", templates)
    monkeypatch.setattr(site_render, "_ENV", [])  # the Jinja environment is made once per process
    monkeypatch.delenv("UMKM_PSEUDONYM_KEY", raising=False)
    return templates


def copy_of(out, target):
    shutil.copytree(out, target, symlinks=True)
    return target


def test_template_only_rebuild_skips_the_data_stages_and_equals_a_full_build(first_build, changed_template, tmp_path):
    cached, full = copy_of(first_build, tmp_path / "a"), copy_of(first_build, tmp_path / "b")
    timings = build(cached, timings=tmp_path / "cached.json")
    assert "cached data" in timings and not {"ingest", "reconcile", "disclose", "package"} & set(timings)
    full_timings = build(full, "--no-cache", timings=tmp_path / "full.json")
    assert "reconcile" in full_timings and "cached data" not in full_timings
    assert "PENANDA-TEMPLAT-BARU" in (cached / "site" / "index.html").read_text(encoding="utf-8")
    for folder in OUTPUTS:
        assert tree_hashes(cached / folder) == tree_hashes(full / folder), folder


@pytest.mark.parametrize("change", ["input option", "key", "private state", "published tables"])
def test_anything_the_data_stages_read_invalidates_the_cache(first_build, tmp_path, monkeypatch, change):
    out = copy_of(first_build, tmp_path / "out")
    monkeypatch.delenv("UMKM_PSEUDONYM_KEY", raising=False)
    extra = []
    if change == "input option":
        extra = ["--demo-seed", "8"]
    elif change == "key":
        monkeypatch.setenv("UMKM_PSEUDONYM_KEY", "another-key-for-this-test")
    elif change == "private state":
        ids = out / "private" / "actor_ids.csv"  # a row that left the exports keeps its entry
        first_id = ids.read_text(encoding="utf-8").splitlines()[1].split(",")[1]
        ids.write_text(ids.read_text(encoding="utf-8") + f"gone-row-fingerprint,{first_id}\n", encoding="utf-8")
    else:
        table = next((out / "datapackages" / "umkm-statistik").glob("*.csv"))
        table.write_bytes(table.read_bytes() + b"\n")
    timings = build(out, *extra, timings=tmp_path / "t.json")
    assert "cached data" not in timings and "reconcile" in timings


def test_a_damaged_cache_is_a_cache_miss(first_build, tmp_path, monkeypatch):
    out = copy_of(first_build, tmp_path / "out")
    monkeypatch.delenv("UMKM_PSEUDONYM_KEY", raising=False)
    (out / cache.CACHE / "data.pickle").write_bytes(b"not a pickle")
    timings = build(out, timings=tmp_path / "t.json")
    assert "cached data" not in timings and "reconcile" in timings
    assert tree_hashes(out / "datapackages") == tree_hashes(first_build / "datapackages")


def test_unchanged_files_are_linked_and_nothing_is_written_through_a_link(tmp_path):
    previous, folder = tmp_path / "lama", tmp_path / "baru"
    files.write_files(previous, {"a.csv": b"sama", "b/c.csv": b"lama"})
    files.write_files(folder, {"a.csv": b"sama", "b/c.csv": b"baru"}, previous)
    assert (folder / "a.csv").samefile(previous / "a.csv")  # the same bytes: a hard link
    assert not (folder / "b/c.csv").samefile(previous / "b/c.csv") and (folder / "b/c.csv").read_bytes() == b"baru"
    files.write_files(folder, {"a.csv": b"berubah"})  # replaced, not written through the link
    assert (previous / "a.csv").read_bytes() == b"sama" and (folder / "a.csv").read_bytes() == b"berubah"


def test_a_rebuild_is_the_same_release_and_a_correction_a_revision(first_build, tmp_path, monkeypatch):
    """A rebuild of a release's data (no cache) publishes the same bytes under the same version; changed data
    of the same snapshot date are a revision (.2), attacked against the release it corrects."""
    import pandas as pd

    monkeypatch.setenv("UMKM_PSEUDONYM_KEY", "differencing-test-key")
    inputs, out = first_build / "private" / "demo-input", tmp_path / "out"
    ods = pd.read_csv(inputs / "ods.csv", dtype=str, keep_default_na=False)
    ods.drop(index=ods.index[::25]).to_csv(tmp_path / "ods-earlier.csv", index=False)  # a month ago: 4% fewer

    def release(ods_file, date, *extra):
        assert (
            cli.main(
                [
                    "--ods",
                    str(ods_file),
                    "--oss",
                    str(inputs / "oss.csv"),
                    "--out",
                    str(out),
                    "--snapshot-date",
                    date,
                    "--no-site",
                    "--quiet",
                    *extra,
                ]
            )
            == 0
        )
        return json.loads((out / "datapackages" / "umkm-statistik" / "datapackage.json").read_text())["version"]

    assert release(tmp_path / "ods-earlier.csv", "2026-09-30") == "2026.09.30"
    assert release(inputs / "ods.csv", "2026-10-31") == "2026.10.31"
    risk = pd.read_csv(out / "datapackages" / "umkm-risiko-pengungkapan" / "ringkasan_risiko.csv").set_index("metrik")
    assert risk.loc["rilis_dibandingkan", "nilai"] == 1 and risk.loc["baris_tabel_berubah", "nilai"] > 0
    first = tree_hashes(out / "datapackages")
    assert release(inputs / "ods.csv", "2026-10-31", "--no-cache") == "2026.10.31"  # the same data: the same release
    assert tree_hashes(out / "datapackages") == first
    ods.iloc[:-3].to_csv(tmp_path / "ods-corrected.csv", index=False)  # staff removed three rows
    assert release(tmp_path / "ods-corrected.csv", "2026-10-31") == "2026.10.31.2"
    assert sorted(p.name for p in (out / "private" / "rilis").glob("*.json")) == [
        "2026.09.30.json",
        "2026.10.31.2.json",
        "2026.10.31.json",
    ]
