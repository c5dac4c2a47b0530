"""Releases and the machine-readable catalogue: two consecutive demo builds into one folder.

Validators (the vendored specifications in tests/specs/, see its README):
- datapackage.json: the Data Package v2 JSON Schemas (Draft 7) and ``frictionless validate``
  with foreign keys checked;
- data.json: the Project Open Data 1.1 JSON Schemas (Draft 4). bureauCode and programCode are
  required only of US federal agencies, so they are waived: we validate against a copy of
  dataset.json without them in ``required`` (and check they are the only failures of the original);
- catalog.jsonld / catalog.ttl: the DCAT-AP 3.0.1 SHACL shapes with pyshacl, no violation of
  shapes.ttl (mandatory) nor range.ttl; the results of shapes_recommended.ttl are printed;
- feed.xml: parsed as XML in the Atom namespace.
"""

import copy
import html
import json
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from tests.support import tree_hashes as tree
from umkm import catalogue, paths, reference, vocabulary
from umkm.catalogue import satu_data
from umkm.catalogue.dcat import schema_org_script
from umkm.catalogue.releases import (
    CHANGELOG_DIMENSIONS,
    CHANGELOG_YES_NO,
    changelog_summary,
    count_text,
    parse_index,
    previous_release,
    resolve_version,
    version_key,
)
from umkm.disclose import tables
from umkm.package import citation
from umkm.package import packages as package

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")  # its JSON-LD parser's own APIs

SPECS = Path(__file__).resolve().parent / "specs"
PACKAGES = ("umkm-kualitas-data", "umkm-mikrodata", "umkm-referensi", "umkm-risiko-pengungkapan", "umkm-statistik")
FIRST, SECOND = "2026.09.30", "2026.10.31"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def releases(published):
    """The session's two releases (tests/conftest.py): 1200 rows on 2026-09-30, then 1300 on 2026-10-31."""
    return published


def descriptor_paths(site: Path) -> list[Path]:
    return sorted(site.glob("unduh/*/*/datapackage.json"))


# ------------------------------------------------------------------ versions and fixed URLs


def test_each_release_keeps_fixed_urls_and_latest_is_the_newest(releases):
    unduh = releases.site / "unduh"
    assert (unduh / FIRST).is_dir() and (unduh / SECOND).is_dir()
    for version in (FIRST, SECOND):
        for name in PACKAGES:
            descriptor = json.loads((unduh / version / name / "datapackage.json").read_text())
            assert descriptor["version"] == version and descriptor["id"].endswith("/" + version)
            assert zipfile.ZipFile(unduh / version / f"{name}.zip").testzip() is None
    # the first release's files are carried forward unchanged: a fixed URL always serves the same bytes; only
    # the pages its folders lacked are added
    carried = tree(unduh / FIRST)
    assert {k: carried[k] for k in releases.first.unduh} == releases.first.unduh
    assert sorted(set(carried) - set(releases.first.unduh)) == sorted(
        ["index.html"] + [f"{n}/index.html" for n in PACKAGES]
    )
    # one full copy of each release: no unversioned folder; latest/ holds the newest release's zips
    # (copies, no symlink), its changelog, and descriptors that point to its fixed URLs
    assert sorted(p.name for p in unduh.iterdir()) == [FIRST, SECOND, "index.html", "latest", "sitemap.xml"]
    latest, second = tree(unduh / "latest"), tree(unduh / SECOND)
    assert sorted(latest) == sorted(
        [f"{n}.zip" for n in PACKAGES]
        + [f"{n}/datapackage.json" for n in PACKAGES]
        + ["CHANGELOG.txt", "perubahan.json"]
    )
    assert all(latest[f] == second[f] for f in latest if not f.endswith("datapackage.json"))
    for name in PACKAGES:
        pointer = json.loads((unduh / "latest" / name / "datapackage.json").read_text())
        fixed = json.loads((unduh / SECOND / name / "datapackage.json").read_text())
        assert pointer["version"] == SECOND and len(pointer["resources"]) == len(fixed["resources"])
        for r, f in zip(pointer["resources"], fixed["resources"]):
            assert r["path"] == f"{releases.base}unduh/{SECOND}/{name}/{f['path']}" and r["scheme"] == "http"
            assert (r["hash"], r["bytes"]) == (f["hash"], f["bytes"])
            assert {
                fmt: url.removeprefix(f"{releases.base}unduh/{SECOND}/{name}/") for fmt, url in r["formats"].items()
            } == f["formats"]
            for url in r["formats"].values():
                assert (releases.site / url.removeprefix(releases.base)).is_file()
    assert not any(p.is_symlink() for p in unduh.rglob("*"))
    for name in releases.first.descriptors:
        assert (releases.out / "datapackages" / name / "datapackage.json").read_bytes() == (
            unduh / SECOND / name / "datapackage.json"
        ).read_bytes()
    index = parse_index((releases.out / "private" / "releases.json").read_text())
    assert [e["version"] for e in index] == [FIRST, SECOND]
    assert (releases.site / "releases.json").read_bytes() == (releases.out / "private" / "releases.json").read_bytes()
    home = (releases.site / "index.html").read_text(encoding="utf-8")
    assert FIRST in home  # the site is told the previous version


def test_the_site_holds_one_copy_of_each_release(releases):
    """Outside the release folders only latest/'s zips and changelog repeat a file."""
    unduh = releases.site / "unduh"
    second = set(tree(unduh / SECOND).values())
    repeated = sorted(
        rel
        for rel, digest in tree(releases.site).items()
        if digest in second and not rel.startswith((f"unduh/{FIRST}/", f"unduh/{SECOND}/"))
    )
    assert repeated == sorted(
        [f"unduh/latest/{n}.zip" for n in PACKAGES] + ["unduh/latest/CHANGELOG.txt", "unduh/latest/perubahan.json"]
    )


def test_version_rule_same_date():
    descriptors, changed = "sha256:aa", "sha256:bb"  # content fingerprints (disclose.content_fingerprint)
    assert resolve_version("2026-10-31", descriptors, []) == "2026.10.31"
    index = [{"version": "2026.10.31", "fingerprint": descriptors}]
    assert resolve_version("2026-10-31", descriptors, index) == "2026.10.31"  # a rebuild, same bytes
    assert resolve_version("2026-10-31", changed, index) == "2026.10.31.2"
    index.append({"version": "2026.10.31.2", "fingerprint": changed})
    assert resolve_version("2026-10-31", changed, index) == "2026.10.31.2"
    assert resolve_version("2026-10-31", descriptors, index) == "2026.10.31.3"
    assert resolve_version("2026-11-30", changed, index) == "2026.11.30"
    assert sorted(["2026.10.31.10", "2026.10.31.2", "2026.10.31", "2026.09.30"], key=version_key) == [
        "2026.09.30",
        "2026.10.31",
        "2026.10.31.2",
        "2026.10.31.10",
    ]
    assert previous_release(index, "2026.10.31.2")["version"] == "2026.10.31"


# ------------------------------------------------------------------ changelog and feed


def test_changelog_names_what_changed(releases):
    changes = json.loads((releases.site / "unduh" / SECOND / "perubahan.json").read_text())
    assert changes["previous_version"] == FIRST and not changes["first_release"]
    before = releases.first.descriptors["umkm-mikrodata"]
    after = json.loads((releases.site / "unduh" / SECOND / "umkm-mikrodata" / "datapackage.json").read_text())
    rows_before = next(r["rows"] for r in before["resources"] if r["name"] == "pelaku_umkm")
    rows_after = next(r["rows"] for r in after["resources"] if r["name"] == "pelaku_umkm")
    assert rows_before != rows_after
    assert changes["total"] == {"before": rows_before, "after": rows_after, "change": rows_after - rows_before}
    micro = next(r for r in changes["resources"] if (r["package"], r["resource"]) == ("umkm-mikrodata", "pelaku_umkm"))
    assert micro["status"] == "changed" and micro["rows_change"] == rows_after - rows_before
    # per kecamatan and per KBLI category, from the published statistics tables
    for table, dimension in CHANGELOG_DIMENSIONS.items():
        old = pd.read_csv(
            releases.site / "unduh" / FIRST / "umkm-statistik" / f"{table}.csv", dtype=str, keep_default_na=False
        ).set_index(dimension)[tables.COUNT]
        new = pd.read_csv(
            releases.site / "unduh" / SECOND / "umkm-statistik" / f"{table}.csv", dtype=str, keep_default_na=False
        ).set_index(dimension)[tables.COUNT]
        differing = sorted(c for c in set(old.index) | set(new.index) if old.get(c, "0") != new.get(c, "0"))
        assert [r["code"] for r in changes[dimension]] == differing and differing
    kecamatan = next(r for r in changes["kecamatan_kode"] if r["code"])
    assert kecamatan["name"].startswith("Balikpapan")
    assert (releases.site / "unduh" / "latest" / "perubahan.json").read_bytes() == (
        releases.site / "unduh" / SECOND / "perubahan.json"
    ).read_bytes()
    text = (releases.site / "unduh" / SECOND / "CHANGELOG.txt").read_text()
    assert f"dibanding {FIRST}" in text and f"compared with {FIRST}" in text and kecamatan["name"] in text
    # the page: every release, newest first, with its fixed downloads (both languages)
    for page, up in (("data/perubahan.html", "../"), ("en/data/perubahan.html", "../../")):
        html_text = (releases.site / page).read_text(encoding="utf-8")
        assert html_text.index('id="rilis-2026-10-31"') < html_text.index('id="rilis-2026-09-30"')
        assert f'href="{up}unduh/{FIRST}/umkm-mikrodata.zip"' in html_text
        assert f'href="{up}feed.xml"' in html_text
    first_changes = json.loads((releases.site / "unduh" / FIRST / "perubahan.json").read_text())
    assert first_changes["first_release"] and first_changes["previous_version"] is None


def test_atom_feed_has_one_entry_per_release_dated_by_snapshot(releases):
    root = ET.fromstring((releases.site / "feed.xml").read_bytes())
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text.split()[1] for e in entries] == [SECOND, FIRST]
    assert [e.find(f"{ATOM}updated").text for e in entries] == ["2026-10-31T00:00:00Z", "2026-09-30T00:00:00Z"]
    assert root.find(f"{ATOM}updated").text == "2026-10-31T00:00:00Z"
    ids = [e.find(f"{ATOM}id").text for e in entries]
    assert len(set(ids)) == 2 and all(i.startswith("urn:uuid:") for i in ids)
    # ids are stable: the first release's entry has the same id in the first build's feed
    old = ET.fromstring(releases.first.feed)
    assert old.find(f"{ATOM}id").text == root.find(f"{ATOM}id").text
    assert [e.find(f"{ATOM}id").text for e in old.findall(f"{ATOM}entry")] == ids[1:]
    enclosures = [link.get("href") for link in entries[0].findall(f"{ATOM}link") if link.get("rel") == "enclosure"]
    assert f"{releases.base}unduh/{SECOND}/umkm-mikrodata.zip" in enclosures
    for href in enclosures:
        assert (releases.site / href.removeprefix(releases.base)).is_file()


# ------------------------------------------------------------------ data packages


def _datapackage_validators():
    import jsonschema
    from referencing import Registry, Resource

    folder = SPECS / "datapackage-2.0"
    schemas = {p.name: json.loads(p.read_text()) for p in folder.glob("*.json")}
    # the profile URLs a descriptor names, and the relative $refs, both resolve to the vendored copies
    registry = Registry().with_resources(
        [(f"https://datapackage.org/profiles/2.0/{name}", Resource.from_contents(s)) for name, s in schemas.items()]
        + [(name, Resource.from_contents(s)) for name, s in schemas.items()]
    )
    return {name: jsonschema.Draft7Validator(s, registry=registry) for name, s in schemas.items()}


def test_every_datapackage_json_validates_against_the_data_package_v2_schemas(releases):
    validators = _datapackage_validators()
    paths = descriptor_paths(releases.site) + sorted((releases.out / "datapackages").glob("*/datapackage.json"))
    assert len(paths) >= 4 * 4  # two versions, the pointers in latest/ and datapackages/, four packages each
    for path in paths:
        descriptor = json.loads(path.read_text())
        assert descriptor["$schema"] == package.PROFILE
        profile = descriptor["$schema"].rsplit("/", 1)[1]
        errors = [e.message for e in validators[profile].iter_errors(descriptor)]
        for resource in descriptor["resources"]:
            errors += [e.message for e in validators["dataresource.json"].iter_errors(resource)]
            errors += [e.message for e in validators["tableschema.json"].iter_errors(resource["schema"])]
            errors += [e.message for e in validators["tabledialect.json"].iter_errors(resource["dialect"])]
        assert not errors, f"{path}: {errors[:3]}"


def test_frictionless_validates_every_release_with_foreign_keys(releases, tmp_path):
    from frictionless import Package, system

    checked_keys = 0
    for path in descriptor_paths(releases.site):
        if path.parent.parent.name not in (FIRST, SECOND):
            continue
        descriptor = json.loads(path.read_text())
        checked_keys += sum(len(r["schema"].get("foreignKeys", [])) for r in descriptor["resources"])
        with system.use_context(trusted=True):
            report = Package(str(path)).validate()
        assert report.valid, (path, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5])
    assert checked_keys > 10
    # the foreign-key check is live: a code list missing a kecamatan breaks the statistics package
    broken = tmp_path / "umkm-statistik"
    shutil.copytree(releases.site / "unduh" / SECOND / "umkm-statistik", broken)
    codes = (broken / "kode_kecamatan.csv").read_text().splitlines()
    (broken / "kode_kecamatan.csv").write_text("\n".join(codes[:-1]) + "\n")
    descriptor = json.loads((broken / "datapackage.json").read_text())
    for r in descriptor["resources"]:
        r.pop("bytes", None), r.pop("hash", None)
    (broken / "datapackage.json").write_text(json.dumps(descriptor))
    with system.use_context(trusted=True):
        report = Package(str(broken / "datapackage.json")).validate()
    assert not report.valid and "foreign-key" in {row[0] for row in report.flatten(["type"])}


def test_zip_bundle_opens_in_frictionless_and_its_readme_code_runs_in_the_unzipped_folder(releases, tmp_path):
    import re

    import frictionless

    path = releases.site / "unduh" / SECOND / "umkm-mikrodata.zip"
    package_ = frictionless.Package(
        str(path), control=frictionless.formats.ZipControl(innerpath="umkm-mikrodata/datapackage.json")
    )  # the line the README gives
    rows = next(r["rows"] for r in package_.to_descriptor()["resources"] if r["name"] == "pelaku_umkm")
    assert len(package_.get_resource("pelaku_umkm").read_rows()) == rows > 0
    archive = zipfile.ZipFile(path)
    assert {f"umkm-mikrodata/{name}" for name in ("README.md", *citation.FILES)} <= set(archive.namelist())
    readme = archive.read("umkm-mikrodata/README.md").decode()
    assert 'innerpath="umkm-mikrodata/datapackage.json"' in readme
    archive.extractall(tmp_path)
    # every Python sample of the README, run as written in the unzipped folder: the microdata with its types
    blocks = re.findall(r"```python\n(.*?)```", readme, re.S)
    assert len(blocks) == 4
    check = (
        "\nimport sys\nt = globals().get('df', globals().get('rel'))\n"
        "kind = type(t).__module__.split('.')[0]\n"
        "print(kind, len(t) if kind != 'duckdb' else t.count('*').fetchall()[0][0])\n"
    )
    for block in blocks:
        code = block + (check if "frictionless" not in block else "\nassert package.get_resource('pelaku_umkm')")
        result = subprocess.run(
            [sys.executable, "-c", code], cwd=tmp_path / "umkm-mikrodata", capture_output=True, text=True, timeout=120
        )
        assert result.returncode == 0, result.stderr[-2000:]
        if "frictionless" not in block:
            kind, count = result.stdout.split()[-2:]
            assert int(count) == rows, (kind, count)


# ------------------------------------------------------------------ catalogue formats


def _pod_validator(waive: bool):
    import jsonschema
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT4

    folder = SPECS / "project-open-data-1.1"
    schemas = {p.name: json.loads(p.read_text()) for p in folder.glob("*.json")}
    if waive:  # bureauCode and programCode: US federal agencies only
        schemas["dataset.json"] = copy.deepcopy(schemas["dataset.json"])
        schemas["dataset.json"]["required"] = [
            r for r in schemas["dataset.json"]["required"] if r not in ("bureauCode", "programCode")
        ]
    # the relative $refs (dataset.json, ...) resolve against each schema's id: map those URLs to the copies
    registry = Registry().with_resources(
        (schema["id"].rstrip("#"), Resource.from_contents(schema, default_specification=DRAFT4))
        for schema in schemas.values()
    )
    return jsonschema.Draft4Validator(
        schemas["catalog.json"], registry=registry, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER
    )


def test_data_json_validates_against_project_open_data_1_1(releases):
    document = json.loads((releases.site / "data.json").read_text())
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in _pod_validator(waive=True).iter_errors(document)]
    assert not errors, errors[:5]
    strict = list(_pod_validator(waive=False).iter_errors(document))
    assert strict and all("bureauCode" in e.message or "programCode" in e.message for e in strict)
    assert len(document["dataset"]) == len(PACKAGES)
    for dataset in document["dataset"]:
        assert dataset["identifier"].startswith(releases.base)
        for distribution in dataset["distribution"]:
            assert (releases.site / distribution["downloadURL"].removeprefix(releases.base)).is_file()


def test_dcat_ap_3_conforms_to_the_shacl_shapes(releases, capsys):
    import pyshacl
    import rdflib
    from rdflib.compare import isomorphic

    data = rdflib.Graph().parse(releases.site / "catalog.jsonld", format="json-ld")
    turtle = rdflib.Graph().parse(releases.site / "catalog.ttl", format="turtle")
    assert len(data) > 200 and isomorphic(data, turtle)
    for shapes in ("shapes.ttl", "range.ttl"):
        conforms, _, text = pyshacl.validate(
            data, shacl_graph=str(SPECS / "dcat-ap-3.0.1" / shapes), shacl_graph_format="turtle", inference="none"
        )
        assert conforms, f"{shapes}:\n{text[:3000]}"
    conforms, results, text = pyshacl.validate(
        data,
        shacl_graph=str(SPECS / "dcat-ap-3.0.1" / "shapes_recommended.ttl"),
        shacl_graph_format="turtle",
        inference="none",
    )
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    paths = sorted(
        {str(results.value(r, sh.resultPath)) for r in results.subjects(rdflib.RDF.type, sh.ValidationResult)}
    )
    with capsys.disabled():
        print(f"\nDCAT-AP 3 recommended shapes: conforms={conforms}; paths with results: {paths or 'none'}")
    assert conforms, f"shapes_recommended.ttl: {paths}\n{text[:3000]}"
    dcat = rdflib.Namespace("http://www.w3.org/ns/dcat#")
    datasets = set(data.objects(None, dcat.dataset))
    assert len(datasets) == len(PACKAGES)
    versions = list(data.subjects(dcat.version, rdflib.Literal(FIRST)))
    assert len(versions) == len(PACKAGES)  # the first release's datasets, linked as earlier versions
    for url in data.objects(None, dcat.downloadURL):
        assert (
            str(url).startswith(releases.base) and (releases.site / str(url).removeprefix(releases.base)).is_file()
        ), url


def test_turtle_is_stable_across_processes(releases):
    """rdflib's Turtle does not depend on the hash seed (no blank nodes): same graph, same bytes."""
    code = (
        "import json,sys; from umkm.catalogue.dcat import dcat_turtle; "
        "sys.stdout.write(dcat_turtle(json.load(open(sys.argv[1]))))"
    )
    for seed in ("1", "2"):
        result = subprocess.run(
            [sys.executable, "-c", code, str(releases.site / "catalog.jsonld")],
            check=True,
            capture_output=True,
            env={"PYTHONHASHSEED": seed, "PATH": ""},
            cwd=paths.REPO,
        )
        assert result.stdout == (releases.site / "catalog.ttl").read_bytes()


def test_no_static_ckan_api(releases):
    """A static host answers neither a POST nor a query string, so the site offers no CKAN action API (CKAN
    portals harvest catalog.ttl: tests/test_clients.py runs ckanext-dcat's parser over it)."""
    assert not (releases.site / "api").exists()
    assert "api/3/action" not in (releases.site / "data" / "perubahan.html").read_text(encoding="utf-8")


def test_citations_schema_org_and_satu_data(releases):
    import yaml

    folder = releases.site / "unduh" / SECOND / "umkm-statistik"
    cff = yaml.safe_load((folder / "CITATION.cff").read_text())
    assert cff["cff-version"] == "1.2.0" and cff["type"] == "dataset" and cff["version"] == SECOND
    assert str(cff["date-released"]) == "2026-10-31" and cff["authors"][0]["name"] == vocabulary.PUBLISHER
    cited = f"{releases.base}unduh/{SECOND}/umkm-statistik/"
    assert cff["license"] == "CC-BY-4.0" and cff["identifiers"][0]["value"] == cff["url"] == cited
    bib = (folder / "CITATION.bib").read_text()
    assert bib.startswith("@misc{umkm_statistik_2026_10_31,") and f"version = {{{SECOND}}}" in bib
    assert bib.count("{") == bib.count("}")
    assert (
        f"(versi {SECOND}, data per 2026-10-31) [Data set]. Data UMKM Kota Balikpapan. {cited}."
        in (folder / "CITATION.txt").read_text()
    )
    # schema.org Dataset beside each dataset page
    for name in ("umkm-mikrodata", "umkm-statistik"):
        ld = json.loads((releases.docs / "data" / f"{name}.jsonld").read_text())
        assert ld["@type"] == "Dataset" and ld["version"] == SECOND and ld["url"] == f"{releases.base}data/{name}.html"
        assert ld["license"].startswith("https://creativecommons.org/licenses/by/4.0")
        assert all((releases.site / d["contentUrl"].removeprefix(releases.base)).is_file() for d in ld["distribution"])
    descriptor = json.loads((folder / "datapackage.json").read_text())
    release = package.Release(version=SECOND, snapshot_date=pd.Timestamp("2026-10-31"), is_demo=True)
    script = schema_org_script(dict(descriptor, title="A </script><b>"), release, releases.base)
    assert script.count("</script>") == 1 and script.startswith('<script type="application/ld+json">')
    # Satu Data: one indicator per count table, with concept, definition, classification, measure, unit
    satu = json.loads((folder / "satu-data.json").read_text())
    assert satu in json.loads((releases.site / "satu-data.json").read_text())["paket"]
    statistical = satu_data._statistical_tables()
    published = {r["name"] for r in descriptor["resources"]} & set(statistical)
    assert {i["kode"] for i in satu["indikator"]} == published >= set(tables.TABLES_BY_NAME) & published
    for indicator in satu["indikator"]:
        assert indicator["konsep"] and indicator["definisi"] and indicator["ukuran"] and indicator["satuan"]
        assert [c["variabel"] for c in indicator["klasifikasi_penyajian"]] == list(statistical[indicator["kode"]][0])
        if indicator["kode"] in tables.TABLES_BY_NAME:
            assert (indicator["ukuran"], indicator["satuan"]) == ("Jumlah", "pelaku usaha")
    kbli = next(i for i in satu["indikator"] if i["kode"] == "menurut_kbli_kategori")
    assert kbli["klasifikasi_penyajian"][0]["klasifikasi"]["sumber_daya"] == "kode_kbli_kategori"
    assert {v["nama_variabel"] for v in satu["variabel"]} >= {"kecamatan_kode", tables.COUNT}


def test_catalogue_build_is_pure_and_deterministic(releases):
    """Same release, packages and index -> same files, whatever the clock says."""
    folder = releases.site / "unduh" / SECOND
    packages = []
    for path in sorted(folder.glob("*/datapackage.json")):
        descriptor = json.loads(path.read_text())
        files = {
            p.name: p.read_bytes()
            for p in path.parent.iterdir()
            if not p.name.startswith("CITATION.") and p.name not in ("satu-data.json", "index.html")
        }
        packages.append(package.Package(name=descriptor["name"], descriptor=descriptor, files=files))
    full = parse_index((releases.out / "private" / "releases.json").read_text())
    index = full[:1]
    release = package.Release(
        version=SECOND,
        snapshot_date=pd.Timestamp("2026-10-31"),
        is_demo=True,
        previous_version=FIRST,
        fingerprint=full[1]["fingerprint"],
    )
    config = catalogue.Config.from_env({"UMKM_SITE_URL": releases.base})
    ref = reference.load()
    one = catalogue.build(packages, release, index, config, ref)
    two = catalogue.build(packages, release, index, config, ref)
    assert one.files == two.files
    for name in (
        "feed.xml",
        "data.json",
        "catalog.ttl",
        "releases.json",
        "satu-data.json",
        "robots.txt",
        f"unduh/{SECOND}/index.html",
        f"unduh/{SECOND}/umkm-balikpapan.sqlite",
        f"unduh/{SECOND}/umkm-statistik/index.html",
        f"unduh/{SECOND}/umkm-statistik/CITATION.ris",
    ):
        assert one.files[name] == (releases.site / name).read_bytes(), name


def test_satu_data_describes_every_package_with_the_bps_activity_and_variable_metadata(releases):
    root = json.loads((releases.site / "satu-data.json").read_text())
    assert [d["kegiatan"]["produk"]["paket"] for d in root["paket"]] == list(PACKAGES)
    for document in root["paket"]:
        name = document["kegiatan"]["produk"]["paket"]
        descriptor = json.loads((releases.site / "unduh" / SECOND / name / "datapackage.json").read_text())
        activity = document["kegiatan"]
        # the MS-Kegiatan fields of Peraturan BPS 5/2020 that apply to a register
        for key in (
            "judul_kegiatan",
            "tahun_kegiatan",
            "kode_kegiatan",
            "sektor",
            "jenis_statistik",
            "cara_pengumpulan",
            "penyelenggara",
            "penanggung_jawab",
            "frekuensi_penyelenggaraan",
            "unit_pengumpulan",
            "unit_analisis",
            "tingkat_penyajian",
            "jadwal_rilis",
            "rilis_berikutnya",
            "referensi_waktu",
            "lisensi",
            "cakupan_wilayah",
            "metode_pengumpulan",
        ):
            assert key in activity, (name, key)
        assert activity["penyelenggara"]["email"] == "data-umkm@example.org"
        assert activity["frekuensi_penyelenggaraan"] == "Bulanan" and activity["rilis_berikutnya"] == "2026-11-30"
        assert activity["kode_kegiatan"] is None and "kode_kegiatan" in activity["belum_diisi"]  # not made up
        # MS-Variabel: every field of every table, its concept, definition, type and the tables holding it
        listed = {(v["nama_variabel"], t) for v in document["variabel"] for t in v["tabel"]}
        assert listed == {(f["name"], r["name"]) for r in descriptor["resources"] for f in r["schema"]["fields"]}
        assert all(v["definisi"] and v["konsep"] and v["tipe_data"] for v in document["variabel"])
        assert (name == "umkm-statistik") == bool(document["indikator"])


def test_every_download_folder_has_a_page_with_its_citation_and_files(releases):
    for version in (FIRST, SECOND):
        for name in PACKAGES:
            folder = releases.site / "unduh" / version / name
            page = (folder / "index.html").read_text(encoding="utf-8")
            descriptor = json.loads((folder / "datapackage.json").read_text())
            cite = citation.of(descriptor, releases.base)
            assert html.escape(citation.text(cite, "id")) in page and f'href="{html.escape(cite.url)}"' in page
            linked = set(re.findall(r'href="([^"/:]+)"', page))
            assert linked == {p.name for p in folder.iterdir() if p.name != "index.html"}  # every file, nothing else
            ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))
            assert ld["@type"] == "Dataset" and ld["version"] == version and ld["url"] == cite.url
        release_page = (releases.site / "unduh" / version / "index.html").read_text(encoding="utf-8")
        assert all(f'href="{name}/index.html"' in release_page for name in PACKAGES)
        assert 'href="umkm-balikpapan.sqlite"' in release_page
    index = (releases.site / "unduh" / "index.html").read_text(encoding="utf-8")
    assert index.index(f'href="{SECOND}/index.html"') < index.index(f'href="{FIRST}/index.html"')


def test_changelog_escapes_once_and_says_what_changed_for_online_grant_and_training(releases):
    """The English page showed &#x27; for each apostrophe (the Markdown escape hit html.escape's '#'), and the
    online, grant and training tables appeared only as "berubah"/"changed": now their counts are in words."""
    import html as html_module

    for page in ("data/perubahan.html", "en/data/perubahan.html"):
        text = html_module.unescape((releases.site / page).read_text(encoding="utf-8"))
        assert "&#x27;" not in text and "&#39;" not in text and "&amp;" not in text, page
    english = html_module.unescape((releases.site / "en/data/perubahan.html").read_text(encoding="utf-8"))
    assert "the project's generator" in english
    changes = json.loads((releases.site / "unduh" / SECOND / "perubahan.json").read_text())
    for table, (attribute, id_what, en_what) in CHANGELOG_YES_NO.items():
        old = pd.read_csv(
            releases.site / "unduh" / FIRST / "umkm-statistik" / f"{table}.csv", dtype=str, keep_default_na=False
        )
        new = pd.read_csv(
            releases.site / "unduh" / SECOND / "umkm-statistik" / f"{table}.csv", dtype=str, keep_default_na=False
        )
        yes = [sum(int(v) for v in frame.loc[frame[attribute] == "ya", tables.COUNT] if v) for frame in (old, new)]
        row = next(r for r in changes[attribute] if r["code"] == "ya")
        assert (row["before"], row["after"]) == tuple(yes) and yes[0] != yes[1], attribute
        summary = changelog_summary(changes, "id")
        assert f"pelaku {id_what} {count_text(yes[0], 'id')} menjadi {count_text(yes[1], 'id')}" in summary
        assert f"actors {en_what} " in changelog_summary(changes, "en")
    indonesian = html_module.unescape((releases.site / "data/perubahan.html").read_text(encoding="utf-8"))
    assert "Berjualan online, bantuan modal dan pelatihan: yang berubah" in indonesian


def test_changelog_page_escapes_a_value_with_an_apostrophe_once():
    """The site's changelog page (umkm.site.changelog) escapes every value from the data once, with the site's
    one escaper and table helper: an apostrophe, '#' or '<' in a name reads as itself after one unescape, in the
    summary and in the change tables alike."""
    import html as html_module

    from umkm.site.changelog import changelog_page

    name = "Balikpapan's <b>#1</b>"
    changes = {
        "version": SECOND,
        "snapshot_date": "2026-10-31",
        "previous_version": FIRST,
        "first_release": False,
        "total": {"before": 1, "after": 2, "change": 1},
        "packages_added": [],
        "packages_removed": [],
        "resources": [
            {
                "package": "umkm-statistik",
                "resource": "o'clock",
                "status": "changed",
                "rows_before": 1,
                "rows_after": 2,
                "rows_change": 1,
                "fields_added": ["it's"],
                "fields_removed": [],
            }
        ],
        "resources_unchanged": 0,
        "kbli_kategori": [],
        "kecamatan_kode": [{"code": "6471010", "name": name, "before": 1, "after": 2, "change": 1}],
    }
    index = [
        {"version": FIRST, "snapshot_date": "2026-09-30", "packages": {"umkm-statistik": {}}},
        {"version": SECOND, "snapshot_date": "2026-10-31", "packages": {"umkm-statistik": {}}, "changes": changes},
    ]
    for lang in ("id", "en"):
        page = changelog_page(index, lang, synthetic=True)
        once = "Balikpapan&#39;s &lt;b&gt;&#35;1&lt;/b&gt;"
        assert page.count(once) == 2, lang  # the summary and the kecamatan table
        assert f'<th scope="row">6471010</th><td>{once}</td>' in page
        assert "<code>umkm-statistik/o&#39;clock</code>" in page and "<td>it&#39;s</td>" in page
        assert "project&#39;s" in page or lang == "id"
        text = html_module.unescape(page)
        assert name in text and "&#39;" not in text and "&#35;" not in text and "&amp;" not in text, lang


def _published_packages(folder: Path) -> list:
    packages = []
    for path in sorted(folder.glob("*/datapackage.json")):
        descriptor = json.loads(path.read_text())
        files = {p.name: p.read_bytes() for p in path.parent.iterdir() if p.is_file()}
        packages.append(package.Package(name=descriptor["name"], descriptor=descriptor, files=files))
    return packages


def test_every_catalogue_format_reads_the_licence_and_publisher_from_the_descriptor(releases, monkeypatch):
    """DCAT (and the CKAN licence it names), schema.org, data.json, Satu Data, the feed and the database's
    metadata say the licence and publisher the packages' descriptors say: none has its own copy."""
    from umkm import vocabulary
    from umkm.catalogue import dcat, licences, sqlite_db
    from umkm.catalogue.data_json import data_json
    from umkm.catalogue.feed import atom_feed

    monkeypatch.setitem(
        vocabulary.LICENCES,
        "CC0-1.0",
        vocabulary.Licence(
            spdx="CC0-1.0",
            url="https://creativecommons.org/publicdomain/zero/1.0/",
            title="CC0 1.0 Universal",
            short_title="CC0 1.0",
            ckan_id="cc-zero",
            ckan_title="Creative Commons CCZero",
            opendefinition_iri="http://www.opendefinition.org/licenses/cc-zero",
            eu_iri="http://publications.europa.eu/resource/authority/licence/CC0",
            licence_type="http://purl.org/adms/licencetype/PublicDomain",
        ),
    )
    cc0 = {
        "name": "CC0-1.0",
        "path": "https://creativecommons.org/publicdomain/zero/1.0/",
        "title": "CC0 1.0 Universal",
    }
    office = "Dinas Contoh Kota Uji"
    packages = _published_packages(releases.site / "unduh" / SECOND)
    for p in packages:
        p.descriptor["licenses"] = [cc0]
        p.descriptor["contributors"] = [{"title": office, "roles": ["publisher", "rightsHolder"]}]
    descriptors = [p.descriptor for p in packages]
    release = package.Release(version=SECOND, snapshot_date=pd.Timestamp("2026-10-31"), is_demo=True)
    config = catalogue.Config.from_env({"UMKM_SITE_URL": releases.base})
    index = parse_index((releases.out / "private" / "releases.json").read_text())

    ld = dcat.schema_org(descriptors[0], release, releases.base)
    assert ld["license"] == cc0["path"] and ld["publisher"]["name"] == office
    pod = data_json(packages, release, index, config)
    assert {d["license"] for d in pod["dataset"]} == {cc0["path"]}
    assert {(d["publisher"]["name"], d["contactPoint"]["fn"]) for d in pod["dataset"]} == {(office, office)}
    assert all("CC0 1.0" in d["rights"] for d in pod["dataset"])
    graph = dcat.dcat_graph(packages, release, index, config)
    nodes = {n["@id"]: n for n in graph["@graph"]}
    ckan = "http://www.opendefinition.org/licenses/cc-zero"
    assert nodes[ckan]["skos:exactMatch"] == {"@id": "http://publications.europa.eu/resource/authority/licence/CC0"}
    assert (
        nodes[ckan]["rdfs:seeAlso"] == {"@id": cc0["path"]}
        and nodes[ckan]["dct:title"]["@value"] == "Creative Commons CCZero"
    )
    assert {n["dct:license"]["@id"] for n in graph["@graph"] if "dct:license" in n} == {ckan}
    assert nodes[releases.base + "#penerbit"]["foaf:name"]["@value"] == office
    feed = ET.fromstring(atom_feed(index, config, descriptors))
    assert feed.find(f"{ATOM}author/{ATOM}name").text == office and feed.find(f"{ATOM}rights").text == "CC0 1.0"
    satu = satu_data.satu_data(descriptors[0], releases.base, "x@example.org")
    assert satu["kegiatan"]["lisensi"] == f"CC0-1.0 ({cc0['path']})"
    metadata = sqlite_db.datasette_metadata(packages, citation.of(descriptors[0], releases.base), releases.base)
    assert (metadata["license"], metadata["license_url"]) == ("CC0 1.0", cc0["path"])
    # (the citation text, umkm.package.citation's, still names its own licence: left out here)
    cited = {"citation", "sitasi"}
    everything = json.dumps(
        [
            {k: v for k, v in ld.items() if k not in cited},
            pod,
            graph,
            {k: v for k, v in satu.items() if k not in cited},
        ],
        ensure_ascii=False,
    )
    assert "CC BY" not in everything and "licenses/by" not in everything and "cc-by" not in everything
    assert "KUMKMP" not in json.dumps([ld["publisher"]["name"], pod["dataset"][0]["publisher"]])
    with pytest.raises(KeyError, match="MIT"):  # a licence the table cannot name: no catalogue, not a wrong one
        licences.of({"name": "MIT", "path": "https://opensource.org/license/mit"})
