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
import http.server
import json
import shutil
import subprocess
import sys
import threading
import urllib.request
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

import build_data
from tests.support import tree_hashes as tree
from umkm import catalogue, package, reference, tables

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")  # its JSON-LD parser's own APIs

SPECS = Path(__file__).resolve().parent / "specs"
PACKAGES = ("umkm-kualitas-data", "umkm-mikrodata", "umkm-referensi", "umkm-risiko-pengungkapan", "umkm-statistik")
BASE = "https://data.example.org/umkm/"
FIRST, SECOND = "2026.09.30", "2026.10.31"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def releases(tmp_path_factory):
    """Two releases of a changed register into the same --out: 1200 rows on 2026-09-30, 1300 on 2026-10-31."""
    out = tmp_path_factory.mktemp("releases")
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("UMKM_PSEUDONYM_KEY", raising=False)
        patch.setenv("UMKM_SITE_URL", BASE.rstrip("/"))  # the trailing slash is added
        assert build_data.main(["--out", str(out), "--demo-rows", "1200", "--snapshot-date", "2026-09-30",
                                "--quiet"]) == 0
        first = SimpleNamespace(unduh=tree(out / "site" / "unduh" / FIRST),
                                feed=(out / "site" / "feed.xml").read_bytes(),
                                descriptors={p.parent.name: json.loads(p.read_text()) for p in
                                             (out / "datapackages").glob("*/datapackage.json")})
        assert build_data.main(["--out", str(out), "--demo-rows", "1300", "--snapshot-date", "2026-10-31",
                                "--quiet"]) == 0
    return SimpleNamespace(out=out, site=out / "site", docs=out / "docs", first=first)


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
    # the first release's files are carried forward unchanged: a fixed URL always serves the same bytes
    assert tree(unduh / FIRST) == releases.first.unduh
    # one full copy of each release: no unversioned folder; latest/ holds the newest release's zips
    # (copies, no symlink), its changelog, and descriptors that point to its fixed URLs
    assert sorted(p.name for p in unduh.iterdir()) == [FIRST, SECOND, "latest"]
    latest, second = tree(unduh / "latest"), tree(unduh / SECOND)
    assert sorted(latest) == sorted([f"{n}.zip" for n in PACKAGES] + [f"{n}/datapackage.json" for n in PACKAGES]
                                    + ["CHANGELOG.txt", "perubahan.json"])
    assert all(latest[f] == second[f] for f in latest if not f.endswith("datapackage.json"))
    for name in PACKAGES:
        pointer = json.loads((unduh / "latest" / name / "datapackage.json").read_text())
        fixed = json.loads((unduh / SECOND / name / "datapackage.json").read_text())
        assert pointer["version"] == SECOND and len(pointer["resources"]) == len(fixed["resources"])
        for r, f in zip(pointer["resources"], fixed["resources"]):
            assert r["path"] == f"{BASE}unduh/{SECOND}/{name}/{f['path']}" and r["scheme"] == "https"
            assert (r["hash"], r["bytes"]) == (f["hash"], f["bytes"])
            assert {fmt: url.removeprefix(f"{BASE}unduh/{SECOND}/{name}/") for fmt, url in r["formats"].items()} \
                == f["formats"]
            for url in r["formats"].values():
                assert (releases.site / url.removeprefix(BASE)).is_file()
    assert not any(p.is_symlink() for p in unduh.rglob("*"))
    for name in releases.first.descriptors:
        assert (releases.out / "datapackages" / name / "datapackage.json").read_bytes() == \
            (unduh / SECOND / name / "datapackage.json").read_bytes()
    index = catalogue.parse_index((releases.out / "private" / "releases.json").read_text())
    assert [e["version"] for e in index] == [FIRST, SECOND]
    assert (releases.site / "releases.json").read_bytes() == (releases.out / "private" / "releases.json").read_bytes()
    home = (releases.site / "index.html").read_text(encoding="utf-8")
    assert FIRST in home  # the site is told the previous version


def test_the_site_holds_one_copy_of_each_release(releases):
    """Outside the release folders only latest/'s zips and changelog (and the root satu-data.json) repeat a file."""
    unduh = releases.site / "unduh"
    second = set(tree(unduh / SECOND).values())
    repeated = sorted(rel for rel, digest in tree(releases.site).items()
                      if digest in second and not rel.startswith((f"unduh/{FIRST}/", f"unduh/{SECOND}/")))
    assert repeated == sorted([f"unduh/latest/{n}.zip" for n in PACKAGES]
                              + ["unduh/latest/CHANGELOG.txt", "unduh/latest/perubahan.json", "satu-data.json"])


def test_version_rule_same_date():
    descriptors = [{"name": "p", "resources": [{"name": "r", "hash": "sha256:aa"}]}]
    changed = [{"name": "p", "resources": [{"name": "r", "hash": "sha256:bb"}]}]
    assert catalogue.resolve_version("2026-10-31", descriptors, []) == "2026.10.31"
    index = [{"version": "2026.10.31", "fingerprint": catalogue.fingerprint(descriptors)}]
    assert catalogue.resolve_version("2026-10-31", descriptors, index) == "2026.10.31"  # a rebuild, same bytes
    assert catalogue.resolve_version("2026-10-31", changed, index) == "2026.10.31.2"
    index.append({"version": "2026.10.31.2", "fingerprint": catalogue.fingerprint(changed)})
    assert catalogue.resolve_version("2026-10-31", changed, index) == "2026.10.31.2"
    assert catalogue.resolve_version("2026-10-31", descriptors, index) == "2026.10.31.3"
    assert catalogue.resolve_version("2026-11-30", changed, index) == "2026.11.30"
    assert sorted(["2026.10.31.10", "2026.10.31.2", "2026.10.31", "2026.09.30"], key=catalogue.version_key) == \
        ["2026.09.30", "2026.10.31", "2026.10.31.2", "2026.10.31.10"]
    assert catalogue.previous_release(index, "2026.10.31.2")["version"] == "2026.10.31"


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
    micro = next(r for r in changes["resources"] if (r["package"], r["resource"]) == ("umkm-mikrodata",
                                                                                        "pelaku_umkm"))
    assert micro["status"] == "changed" and micro["rows_change"] == rows_after - rows_before
    # per kecamatan and per KBLI category, from the published statistics tables
    for table, dimension in catalogue.CHANGELOG_DIMENSIONS.items():
        old = pd.read_csv(releases.site / "unduh" / FIRST / "umkm-statistik" / f"{table}.csv", dtype=str,
                          keep_default_na=False).set_index(dimension)[tables.COUNT]
        new = pd.read_csv(releases.site / "unduh" / SECOND / "umkm-statistik" / f"{table}.csv", dtype=str,
                          keep_default_na=False).set_index(dimension)[tables.COUNT]
        differing = sorted(c for c in set(old.index) | set(new.index) if old.get(c, "0") != new.get(c, "0"))
        assert [r["code"] for r in changes[dimension]] == differing and differing
    kecamatan = next(r for r in changes["kecamatan_kode"] if r["code"])
    assert kecamatan["name"].startswith("Balikpapan")
    assert (releases.site / "unduh" / "latest" / "perubahan.json").read_bytes() == \
        (releases.site / "unduh" / SECOND / "perubahan.json").read_bytes()
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
    assert f"{BASE}unduh/{SECOND}/umkm-mikrodata.zip" in enclosures
    for href in enclosures:
        assert (releases.site / href.removeprefix(BASE)).is_file()


# ------------------------------------------------------------------ data packages


def _datapackage_validators():
    import jsonschema
    from referencing import Registry, Resource

    folder = SPECS / "datapackage-2.0"
    schemas = {p.name: json.loads(p.read_text()) for p in folder.glob("*.json")}
    # the profile URLs a descriptor names, and the relative $refs, both resolve to the vendored copies
    registry = Registry().with_resources(
        [(f"https://datapackage.org/profiles/2.0/{name}", Resource.from_contents(s)) for name, s in schemas.items()]
        + [(name, Resource.from_contents(s)) for name, s in schemas.items()])
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


def test_zip_bundle_opens_in_pandas_and_frictionless_in_one_line(releases):
    import frictionless

    path = releases.site / "unduh" / SECOND / "umkm-mikrodata.zip"
    # the lines the package README documents
    df = pd.read_csv(zipfile.ZipFile(path).open("umkm-mikrodata/pelaku_umkm.csv"))
    package_ = frictionless.Package(str(path), control=frictionless.formats.ZipControl(
        innerpath="umkm-mikrodata/datapackage.json"))
    rows = next(r["rows"] for r in package_.to_descriptor()["resources"] if r["name"] == "pelaku_umkm")
    assert len(df) == rows > 0
    assert len(package_.get_resource("pelaku_umkm").read_rows()) == rows
    names = zipfile.ZipFile(path).namelist()
    assert {"umkm-mikrodata/CITATION.cff", "umkm-mikrodata/CITATION.bib", "umkm-mikrodata/README.md"} <= set(names)
    readme = zipfile.ZipFile(path).read("umkm-mikrodata/README.md").decode()
    assert 'zipfile.ZipFile("umkm-mikrodata.zip").open("umkm-mikrodata/pelaku_umkm.csv")' in readme


# ------------------------------------------------------------------ catalogue formats


def _pod_validator(waive: bool):
    import jsonschema
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT4

    folder = SPECS / "project-open-data-1.1"
    schemas = {p.name: json.loads(p.read_text()) for p in folder.glob("*.json")}
    if waive:  # bureauCode and programCode: US federal agencies only
        schemas["dataset.json"] = copy.deepcopy(schemas["dataset.json"])
        schemas["dataset.json"]["required"] = [r for r in schemas["dataset.json"]["required"]
                                               if r not in ("bureauCode", "programCode")]
    # the relative $refs (dataset.json, ...) resolve against each schema's id: map those URLs to the copies
    registry = Registry().with_resources(
        (schema["id"].rstrip("#"), Resource.from_contents(schema, default_specification=DRAFT4))
        for schema in schemas.values())
    return jsonschema.Draft4Validator(schemas["catalog.json"], registry=registry,
                                      format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)


def test_data_json_validates_against_project_open_data_1_1(releases):
    document = json.loads((releases.site / "data.json").read_text())
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in _pod_validator(waive=True).iter_errors(document)]
    assert not errors, errors[:5]
    strict = list(_pod_validator(waive=False).iter_errors(document))
    assert strict and all("bureauCode" in e.message or "programCode" in e.message for e in strict)
    assert len(document["dataset"]) == len(PACKAGES)
    for dataset in document["dataset"]:
        assert dataset["identifier"].startswith(BASE)
        for distribution in dataset["distribution"]:
            assert (releases.site / distribution["downloadURL"].removeprefix(BASE)).is_file()


def test_dcat_ap_3_conforms_to_the_shacl_shapes(releases, capsys):
    import pyshacl
    import rdflib
    from rdflib.compare import isomorphic

    data = rdflib.Graph().parse(releases.site / "catalog.jsonld", format="json-ld")
    turtle = rdflib.Graph().parse(releases.site / "catalog.ttl", format="turtle")
    assert len(data) > 200 and isomorphic(data, turtle)
    for shapes in ("shapes.ttl", "range.ttl"):
        conforms, _, text = pyshacl.validate(data, shacl_graph=str(SPECS / "dcat-ap-3.0.1" / shapes),
                                             shacl_graph_format="turtle", inference="none")
        assert conforms, f"{shapes}:\n{text[:3000]}"
    conforms, results, text = pyshacl.validate(
        data, shacl_graph=str(SPECS / "dcat-ap-3.0.1" / "shapes_recommended.ttl"), shacl_graph_format="turtle",
        inference="none")
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    paths = sorted({str(results.value(r, sh.resultPath)) for r in results.subjects(rdflib.RDF.type,
                                                                                    sh.ValidationResult)})
    with capsys.disabled():
        print(f"\nDCAT-AP 3 recommended shapes: conforms={conforms}; paths with results: {paths or 'none'}")
    dcat = rdflib.Namespace("http://www.w3.org/ns/dcat#")
    datasets = set(data.objects(None, dcat.dataset))
    assert len(datasets) == len(PACKAGES)
    versions = list(data.subjects(dcat.version, rdflib.Literal(FIRST)))
    assert len(versions) == len(PACKAGES)  # the first release's datasets, linked as earlier versions
    for url in data.objects(None, dcat.downloadURL):
        assert str(url).startswith(BASE) and (releases.site / str(url).removeprefix(BASE)).is_file(), url


def test_turtle_is_stable_across_processes(releases):
    """rdflib's Turtle does not depend on the hash seed (no blank nodes): same graph, same bytes."""
    code = ("import json,sys; from umkm import catalogue; "
            "sys.stdout.write(catalogue.dcat_turtle(json.load(open(sys.argv[1]))))")
    for seed in ("1", "2"):
        result = subprocess.run([sys.executable, "-c", code, str(releases.site / "catalog.jsonld")], check=True,
                                capture_output=True, env={"PYTHONHASHSEED": seed, "PATH": ""},
                                cwd=Path(build_data.__file__).parent)
        assert result.stdout == (releases.site / "catalog.ttl").read_bytes()


def test_static_ckan_api(releases):
    action = releases.site / "api" / "3" / "action"
    listing = json.loads((action / "package_list").read_text())
    assert listing["success"] and listing["result"] == sorted(PACKAGES)
    assert (action / "package_list.json").read_bytes() == (action / "package_list").read_bytes()
    for name in listing["result"]:
        show = (action / "package_show" / f"{name}.json").read_bytes()
        assert show == (action / f"package_show?id={name}").read_bytes()
        result = json.loads(show)["result"]
        assert result["name"] == name and result["version"] == SECOND and result["license_id"] == "cc-by"
        for resource in result["resources"]:
            assert resource["url"].startswith(BASE) and (releases.site / resource["url"].removeprefix(BASE)).is_file()
    # a host that decodes the path serves the literal file at .../package_show%3Fid=NAME
    handler_class = type("Quiet", (http.server.SimpleHTTPRequestHandler,), {
        "log_message": lambda self, *a: None,
        "__init__": lambda self, *a, **k: http.server.SimpleHTTPRequestHandler.__init__(
            self, *a, directory=str(releases.site), **k)})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler_class)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        port = server.server_address[1]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/3/action/package_show%3Fid=umkm-mikrodata",
                                    timeout=10) as response:
            assert json.loads(response.read())["result"]["name"] == "umkm-mikrodata"
    finally:
        server.shutdown()
        server.server_close()


def test_citations_schema_org_and_satu_data(releases):
    import yaml

    folder = releases.site / "unduh" / SECOND / "umkm-statistik"
    cff = yaml.safe_load((folder / "CITATION.cff").read_text())
    assert cff["cff-version"] == "1.2.0" and cff["type"] == "dataset" and cff["version"] == SECOND
    assert str(cff["date-released"]) == "2026-10-31" and cff["authors"][0]["name"] == package.PUBLISHER
    assert cff["license"] == "CC-BY-4.0" and cff["identifiers"][0]["value"] == f"{BASE}unduh/{SECOND}/umkm-statistik/"
    bib = (folder / "CITATION.bib").read_text()
    assert bib.startswith("@misc{umkm_statistik_2026_10_31,") and f"version = {{{SECOND}}}" in bib
    assert bib.count("{") == bib.count("}")
    assert f"(versi {SECOND})" in (folder / "CITATION.txt").read_text()
    # schema.org Dataset beside each dataset page
    for name in ("umkm-mikrodata", "umkm-statistik"):
        ld = json.loads((releases.docs / "data" / f"{name}.jsonld").read_text())
        assert ld["@type"] == "Dataset" and ld["version"] == SECOND and ld["url"] == f"{BASE}data/{name}.html"
        assert ld["license"].startswith("https://creativecommons.org/licenses/by/4.0")
        assert all((releases.site / d["contentUrl"].removeprefix(BASE)).is_file() for d in ld["distribution"])
    descriptor = json.loads((folder / "datapackage.json").read_text())
    release = package.Release(version=SECOND, snapshot_date=pd.Timestamp("2026-10-31"), is_demo=True)
    script = catalogue.schema_org_script(dict(descriptor, title="A </script><b>"), release, BASE)
    assert script.count("</script>") == 1 and script.startswith('<script type="application/ld+json">')
    # Satu Data: one indicator per count table, with concept, definition, classification, measure, unit
    satu = json.loads((folder / "satu-data.json").read_text())
    assert satu == json.loads((releases.site / "satu-data.json").read_text())
    statistical = catalogue._statistical_tables()
    published = {r["name"] for r in descriptor["resources"]} & set(statistical)
    assert {i["kode"] for i in satu["indikator"]} == published >= set(tables.TABLES_BY_NAME) & published
    for indicator in satu["indikator"]:
        assert indicator["konsep"] and indicator["definisi"] and indicator["ukuran"] and indicator["satuan"]
        assert [c["variabel"] for c in indicator["klasifikasi_penyajian"]] == \
            list(statistical[indicator["kode"]][0])
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
        files = {p.name: p.read_bytes() for p in path.parent.iterdir()
                 if p.name not in ("CITATION.txt", "CITATION.bib", "CITATION.cff", "satu-data.json")}
        packages.append(package.Package(name=descriptor["name"], descriptor=descriptor, files=files))
    index = catalogue.parse_index((releases.out / "private" / "releases.json").read_text())[:1]
    release = package.Release(version=SECOND, snapshot_date=pd.Timestamp("2026-10-31"), is_demo=True,
                              previous_version=FIRST)
    config = catalogue.Config.from_env({"UMKM_SITE_URL": BASE})
    ref = reference.load()
    one = catalogue.build(packages, release, index, config, ref)
    two = catalogue.build(packages, release, index, config, ref)
    assert one.files == two.files
    for name in ("feed.xml", "data.json", "catalog.ttl", "releases.json"):
        assert one.files[name] == (releases.site / name).read_bytes(), name


def test_changelog_escapes_once_and_says_what_changed_for_online_grant_and_training(releases):
    """The English page showed &#x27; for each apostrophe (the Markdown escape hit html.escape's '#'), and the
    online, grant and training tables appeared only as "berubah"/"changed": now their counts are in words."""
    import html as html_module

    assert catalogue._h("the project's #1 <b>") == "the project&#39;s &#35;1 &lt;b&gt;"
    for page in ("data/perubahan.html", "en/data/perubahan.html"):
        text = html_module.unescape((releases.site / page).read_text(encoding="utf-8"))
        assert "&#x27;" not in text and "&#39;" not in text and "&amp;" not in text, page
    english = html_module.unescape((releases.site / "en/data/perubahan.html").read_text(encoding="utf-8"))
    assert "the project's generator" in english
    changes = json.loads((releases.site / "unduh" / SECOND / "perubahan.json").read_text())
    for table, (attribute, id_what, en_what) in catalogue.CHANGELOG_YES_NO.items():
        old = pd.read_csv(releases.site / "unduh" / FIRST / "umkm-statistik" / f"{table}.csv", dtype=str,
                          keep_default_na=False)
        new = pd.read_csv(releases.site / "unduh" / SECOND / "umkm-statistik" / f"{table}.csv", dtype=str,
                          keep_default_na=False)
        yes = [sum(int(v) for v in frame.loc[frame[attribute] == "ya", tables.COUNT] if v)
               for frame in (old, new)]
        row = next(r for r in changes[attribute] if r["code"] == "ya")
        assert (row["before"], row["after"]) == tuple(yes) and yes[0] != yes[1], attribute
        summary = catalogue.changelog_summary(changes, "id")
        assert f"pelaku {id_what} {catalogue._num(yes[0], 'id')} menjadi {catalogue._num(yes[1], 'id')}" in summary
        assert f"actors {en_what} " in catalogue.changelog_summary(changes, "en")
    indonesian = html_module.unescape((releases.site / "data/perubahan.html").read_text(encoding="utf-8"))
    assert "Berjualan online, bantuan modal dan pelatihan: yang berubah" in indonesian
