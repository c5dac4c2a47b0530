"""The published site read by the real clients of researchers, portals and data engineers, offline.

The session's site (tests/conftest.py: two releases, built for the address it is served at) is
served by a host that behaves like GitHub Pages (tests/static_host.py: a sub-path, GET only, no
folder listing). Clients and what they must get:

- urllib: every URL in every citation, catalogue file, sitemap and page answers 200 (no redirect);
- frictionless: every package of every release, and the latest/ pointers, valid over HTTP;
- pandas, polars and DuckDB, running the dataset pages' own code: every table with its declared
  types, and the CSV equal to the Parquet file, missing values (NULL) included;
- R (Rscript with readr and readxl): the page's R code, columns of the declared classes, rupiah
  totals as numbers;
- ckanext-dcat's RDF parser (CKAN's DCAT harvester, in .venv-ckan): catalog.ttl and catalog.jsonld
  give the 5 datasets once however many releases, each with license_id cc-by and its resources;
- sqlite3 and Datasette: the release's database holds every table with its types and values,
  Datasette shows the descriptions of the metadata file; frictionless's own SQL route, with the
  README's two-line fix of its REGEXP function;
- openpyxl: every workbook laid out for a person, its cells typed as the schema says;
- pybtex, rispy, PyYAML, json: the citation files parse and cite the version's page;
- pip: the project installs into a fresh virtualenv and its console command builds the demo.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd
import pytest

from umkm import paths, reference
from umkm.catalogue import sqlite_db
from umkm.catalogue.config import DEFAULT_BASE_URL
from umkm.catalogue.downloads import DATABASE_FILE, DATABASE_METADATA
from umkm.package import citation, code_samples

PACKAGES = ("umkm-kualitas-data", "umkm-mikrodata", "umkm-referensi", "umkm-risiko-pengungkapan", "umkm-statistik")
CKAN_PYTHON = paths.REPO / ".venv-ckan" / "bin" / "python"
# Hosts the site names but a test cannot reach offline: vocabularies, the licence, standards, sources.
OUTSIDE_HOSTS = {
    "creativecommons.org",
    "www.opendefinition.org",
    "publications.europa.eu",
    "purl.org",
    "www.w3.org",
    "schema.org",
    "datapackage.org",
    "project-open-data.cio.gov",
    "www.iana.org",
    "spdx.org",
    "data.europa.eu",
    "xmlns.com",
    "www.opengis.net",
    "oss.go.id",
    "github.com",
    "www.sitemaps.org",
    "raw.githubusercontent.com",
    "www.mkdocs.org",
    "squidfunk.github.io",
    "opendefinition.org",
    "json-schema.org",
}
URL = re.compile(r"https?://[^\s\"'<>`{}\\|^]+")


def _missing(what: str) -> None:
    message = f"{what}: run scripts/setup --dev"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect is answered as it is: the URLs must answer 200 themselves


_OPENER = urllib.request.build_opener(_NoRedirect)


def _get(url: str, method: str = "GET", headers: dict | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, method=method, headers=headers or {})
    try:
        with _OPENER.open(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@pytest.fixture(scope="module")
def site(published):
    return published


def _version(site) -> str:
    return site.versions[-1]


def _descriptor(site, name: str, version: str | None = None) -> dict:
    return json.loads((site.site / "unduh" / (version or _version(site)) / name / "datapackage.json").read_text())


# ------------------------------------------------------------------ the host and every URL


def test_the_test_host_behaves_like_github_pages(site):
    base = site.base
    assert _get(base)[0] == 200 and _get(base + "index.html")[0] == 200
    assert _get(base + "unduh/latest/")[0] == 404  # a folder without index.html: no listing
    assert _get(base + f"unduh/{_version(site)}/umkm-statistik")[0] == 301  # a folder's address without the slash
    assert _get(base + "releases.json?x=1")[1] == (site.site / "releases.json").read_bytes()  # query ignored
    status, body = _get(base + "releases.json", headers={"Range": "bytes=0-9"})
    assert status == 206 and body == (site.site / "releases.json").read_bytes()[:10]
    # what a CKAN client (ckanapi) sends to a CKAN site: a POST to the action API; a static host refuses it,
    # and the site offers no static imitation of that API (README: harvest catalog.ttl instead)
    assert _get(base + "api/action/package_list", method="POST")[0] == 405
    assert _get(base + "api/3/action/package_list")[0] == 404


def _page_links(text: str) -> list[str]:
    return [html.unescape(m) for m in re.findall(r'\s(?:href|src)="([^"]*)"', text)]


def _urls_of_site(site) -> dict[str, str]:
    """Every URL the site gives: in its pages' links, in every citation, catalogue and metadata file, in
    the sitemaps and robots.txt -> where it was found first."""
    found: dict[str, str] = {}
    base, root = site.base, site.site

    def add(url: str, where: str) -> None:
        url = url.rstrip(".,;)")
        found.setdefault(urllib.parse.urldefrag(url)[0], where)

    for page in sorted(root.rglob("*.html")):
        relative = page.relative_to(root).as_posix()
        text = page.read_text(encoding="utf-8")
        for link in _page_links(text):
            if link.startswith(("mailto:", "data:", "javascript:", "#")) or not link:
                continue
            add(urllib.parse.urljoin(base + relative, link), relative)
        for url in URL.findall(html.unescape(text)):  # JSON-LD, citations and code printed in the page (its
            add(url, relative)  # embed snippets are HTML shown as text: read as it reads)
    suffixes = {".txt", ".bib", ".cff", ".ris", ".json", ".jsonld", ".ttl", ".xml"}
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.suffix in suffixes and "search" not in path.parts:
            relative = path.relative_to(root).as_posix()
            for url in URL.findall(path.read_text(encoding="utf-8")):
                add(url, relative)
    for entry in json.loads((root / "releases.json").read_text())["releases"]:  # paths relative to the root
        for info in entry["packages"].values():
            add(base + info["zip"]["path"], "releases.json")
    for path in sorted(root.glob("unduh/*/*/datapackage.json")):  # the resources a descriptor names
        folder = base + path.parent.relative_to(root).as_posix() + "/"
        for resource in json.loads(path.read_text())["resources"]:
            for file in [resource["path"], *(resource.get("formats") or {}).values()]:
                add(urllib.parse.urljoin(folder, file), path.relative_to(root).as_posix())
    return found


def test_every_url_of_every_citation_catalogue_file_and_page_answers_200(site):
    found = _urls_of_site(site)
    base = urllib.parse.urlsplit(site.base)
    local = sorted(u for u in found if urllib.parse.urlsplit(u).netloc == base.netloc)
    outside = sorted({urllib.parse.urlsplit(u).hostname for u in found} - {base.hostname})
    sources = {
        urllib.parse.urlsplit(u).hostname for text in reference.load().sentra["sumber"] for u in URL.findall(text)
    }
    allowed = OUTSIDE_HOSTS | sources  # the sentra pages cite their sources (reference/balikpapan_sentra.csv)
    assert set(outside) <= allowed, f"links to hosts nobody checked: {set(outside) - allowed}"
    assert all(urllib.parse.urlsplit(u).path.startswith(base.path) for u in local), "a URL leaves the sub-path"
    # what must be among them: the cited version pages, the release pages and every citation file
    version = _version(site)
    for name in PACKAGES:
        assert f"{site.base}unduh/{version}/{name}/" in found
        for file in citation.FILES:
            assert f"{site.base}unduh/{version}/{name}/{file}" in found
    assert f"{site.base}unduh/{version}/" in found and f"{site.base}en/sitemap.xml" in found
    with ThreadPoolExecutor(6) as pool:
        statuses = dict(zip(local, pool.map(lambda u: _get(u, "HEAD")[0], local)))
    assert {u: (s, found[u]) for u, s in statuses.items() if s != 200} == {}
    assert len(local) > 500


def test_robots_and_the_sitemaps_of_both_languages_and_the_downloads(site):
    status, robots = _get(site.base + "robots.txt")
    maps = re.findall(r"^Sitemap: (\S+)$", robots.decode(), re.M)
    assert status == 200 and maps == [
        site.base + "sitemap.xml",
        site.base + "en/sitemap.xml",
        site.base + "unduh/sitemap.xml",
    ]
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    locations = []
    for url in maps:
        status, body = _get(url)
        assert status == 200
        locations += [loc.text for loc in ET.fromstring(body).iter(f"{ns}loc")]
    assert (
        f"{site.base}en/statistik/kecamatan.html" in locations and f"{site.base}data/umkm-mikrodata.html" in locations
    )
    for version in site.versions:
        assert f"{site.base}unduh/{version}/umkm-statistik/" in locations
    with ThreadPoolExecutor(6) as pool:
        assert set(pool.map(lambda u: _get(u, "HEAD")[0], locations)) == {200}


# ------------------------------------------------------------------ frictionless over HTTP


def test_frictionless_validates_every_package_of_every_release_over_http(site):
    from frictionless import Package

    urls = [f"{site.base}unduh/{v}/{name}/datapackage.json" for v in site.versions for name in PACKAGES]
    urls += [f"{site.base}unduh/latest/{name}/datapackage.json" for name in PACKAGES]
    keys = 0
    for url in urls:
        package = Package(url)
        keys += sum(len(r.schema.foreign_keys) for r in package.resources)
        report = package.validate()
        assert report.valid, (url, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5])
    assert keys > 20


# ------------------------------------------------------------------ pandas, polars, DuckDB: the pages' code


def _samples(site, name: str, lang_prefix: str = "") -> dict[str, str]:
    """The code blocks of a dataset page, by what they start with."""
    text = (site.site / f"{lang_prefix}data/{name}.html").read_text(encoding="utf-8")
    blocks = [html.unescape(b) for b in re.findall(r"<pre><code>(.*?)</code></pre>", text, re.S)]
    kinds = {
        "pandas": "import pandas as pd\n\n",
        "polars": "import polars as pl",
        "duckdb": "import duckdb",
        "r": "library(readr)",
        "sqlite": "import sqlite3",
    }
    found = {kind: next((b for b in blocks if marker in b), None) for kind, marker in kinds.items()}
    assert all(found.values()), f"data/{name}.html lacks {[k for k, v in found.items() if v is None]}"
    return found


PANDAS_TYPES = {
    "string": pd.StringDtype(),
    "integer": pd.Int64Dtype(),
    "boolean": pd.BooleanDtype(),
    "number": pd.Float64Dtype(),
}


@pytest.mark.parametrize("name", PACKAGES)
def test_pandas_reads_every_table_with_its_types_and_the_csv_equals_the_parquet(site, name):
    namespace: dict = {}
    exec(compile(_samples(site, name)["pandas"], f"{name}.py", "exec"), namespace)  # noqa: S102 - the page's code
    assert namespace["package"]["version"] == _version(site)
    for resource in namespace["package"]["resources"]:
        from_csv = namespace["load"](resource["name"])
        fields = resource["schema"]["fields"]
        assert list(from_csv.columns) == [f["name"] for f in fields]
        assert [from_csv[f["name"]].dtype for f in fields] == [PANDAS_TYPES[f["type"]] for f in fields]
        from_parquet = pd.read_parquet(
            urllib.parse.urljoin(namespace["base"], resource["formats"]["parquet"]), dtype_backend="numpy_nullable"
        )
        pd.testing.assert_frame_equal(from_csv, from_parquet, check_dtype=True)
        assert len(from_csv) == resource["rows"]
        filled = {f["name"]: int(from_csv[f["name"]].notna().sum()) for f in fields}
        assert filled == resource["fieldsFilled"]  # what the page prints as each column's completeness
        for f in fields:  # numbers add up as numbers (not text): the sum is an integer, the mean a number
            if f["type"] == "integer" and from_csv[f["name"]].notna().any():
                assert pd.api.types.is_integer(from_csv[f["name"]].sum()) and from_csv[f["name"]].mean() >= 0
    assert (namespace["df"].dtypes == PANDAS_TYPES["string"]).any()  # the page's Parquet line ran too


POLARS_TYPES = {"string": "String", "integer": "Int64", "boolean": "Boolean", "number": "Float64"}


@pytest.mark.parametrize("name", ["umkm-mikrodata", "umkm-statistik", "umkm-risiko-pengungkapan"])
def test_polars_reads_every_table_with_its_types_and_the_csv_equals_the_parquet(site, name):
    import polars as pl

    namespace: dict = {}
    exec(compile(_samples(site, name)["polars"], f"{name}.py", "exec"), namespace)  # noqa: S102 - the page's code
    for resource in namespace["package"]["resources"]:
        from_csv = namespace["load"](resource["name"])
        declared = [(f["name"], POLARS_TYPES[f["type"]]) for f in resource["schema"]["fields"]]
        assert [(n, str(t)) for n, t in from_csv.schema.items()] == declared
        from_parquet = pl.read_parquet(urllib.parse.urljoin(namespace["base"], resource["formats"]["parquet"]))
        assert from_csv.equals(from_parquet, null_equal=True), resource["name"]
        assert from_csv.null_count().row(0) == from_parquet.null_count().row(0)


DUCKDB_TYPES = {"string": "VARCHAR", "integer": "BIGINT", "boolean": "BOOLEAN", "number": "DOUBLE"}


def _download_package(site, name: str, folder: Path) -> Path:
    """Every file of a package version, fetched over HTTP into ``folder/name``."""
    target = folder / name
    target.mkdir(parents=True)
    base = f"{site.base}unduh/{_version(site)}/{name}/"
    descriptor = json.loads(_get(base + "datapackage.json")[1])
    (target / "datapackage.json").write_text(json.dumps(descriptor))
    for resource in descriptor["resources"]:
        for path in resource["formats"].values():
            status, body = _get(base + path)
            assert status == 200
            (target / path).write_bytes(body)
    return target


@pytest.mark.parametrize("name", ["umkm-mikrodata", "umkm-statistik"])
def test_duckdb_reads_every_table_with_its_types_and_the_csv_equals_the_parquet(site, name, tmp_path):
    """DuckDB reads an http(s) address through its httpfs extension, which it downloads on first use: not
    possible offline. The files are fetched over HTTP first, and the page's code runs on that folder."""
    import duckdb

    folder = _download_package(site, name, tmp_path)
    code = _samples(site, name)["duckdb"]
    code = re.sub(r"^base = .*$", f"base = {str(folder) + '/'!r}", code, count=1, flags=re.M)
    namespace: dict = {}
    exec(compile(code, f"{name}.py", "exec"), namespace)  # noqa: S102 - the page's code
    for resource in namespace["package"]["resources"]:
        rel = namespace["load"](resource["name"])
        declared = [DUCKDB_TYPES[f["type"]] for f in resource["schema"]["fields"]]
        assert [str(t) for t in rel.types] == declared and rel.columns == [
            f["name"] for f in resource["schema"]["fields"]
        ]
        parquet = duckdb.read_parquet(str(folder / resource["formats"]["parquet"]))
        assert [str(t) for t in parquet.types] == declared
        assert rel.fetchall() == parquet.fetchall()  # None for NULL on both sides
        nulls = ", ".join(f'count(*) FILTER (WHERE "{c}" IS NULL)' for c in rel.columns)
        assert (
            duckdb.sql(f"SELECT {nulls} FROM rel").fetchall() == duckdb.sql(f"SELECT {nulls} FROM parquet").fetchall()
        )


# ------------------------------------------------------------------ R


R_CLASSES = {"string": "character", "integer": "integer", "boolean": "logical", "number": "numeric"}
R_EXCEL = {"string": "character", "integer": "numeric", "boolean": "logical", "number": "numeric"}
R_REPORT = """
cat(sapply(df, function(x) class(x)[1]), sep = "\\n")
cat("\\nrows", nrow(df), "\\n")
numbers <- sapply(df, is.numeric)
cat("sum", format(sum(unlist(lapply(df[numbers], sum, na.rm = TRUE))), scientific = FALSE), "\\n")
cat("na", sum(is.na(df)), "\\n")
"""


def _run_r(code: str, folder: Path) -> list[str]:
    script = folder / "sample.R"
    script.write_text(code + R_REPORT)
    result = subprocess.run(["Rscript", str(script)], cwd=folder, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout.split("\n")


def test_r_reads_the_tables_with_their_classes_and_rupiah_totals_as_numbers(site, tmp_path):
    """The page's R code run by Rscript: readr over HTTP, then readxl on the downloaded workbook; each column
    of its declared class, as many missing values (NA) as the Parquet file's NULLs, and a rupiah total (over
    2^31, beyond R's integers) a number, not an NA."""
    if shutil.which("Rscript") is None:
        _missing("Rscript (Debian's r-base-core, r-cran-readr, r-cran-readxl) is not installed")
    version = _version(site)
    stats = _descriptor(site, "umkm-statistik")
    omzet = next(r for r in stats["resources"] if r["name"] == "omzet_menurut_kecamatan")
    folder = f"{site.base}unduh/{version}/umkm-statistik/"
    cases = [
        ("umkm-statistik", _samples(site, "umkm-statistik")["r"], stats["resources"][0]),
        ("umkm-mikrodata", _samples(site, "umkm-mikrodata")["r"], _descriptor(site, "umkm-mikrodata")["resources"][0]),
        ("umkm-statistik", "\n".join(code_samples.r(folder, "umkm-statistik", omzet, "id", version)), omzet),
    ]
    for name, code, resource in cases:
        fields = resource["schema"]["fields"]
        parquet = pd.read_parquet(site.site / "unduh" / version / name / resource["formats"]["parquet"])
        readr_part, excel_part = code.split("\n# atau XLSX")
        for part, classes in ((readr_part, R_CLASSES), (code, R_EXCEL)):
            lines = _run_r(part, tmp_path)
            expected = [
                ("numeric" if f.get("unit") == "rupiah" and part is readr_part else classes[f["type"]]) for f in fields
            ]
            assert lines[: len(fields)] == expected, (resource["name"], part is readr_part, lines[: len(fields)])
            report = "\n".join(lines[len(fields) :])
            assert f"rows {resource['rows']} " in report
            assert f"na {int(parquet.isna().sum().sum())} " in report
            if resource is omzet:
                total = int(parquet["jumlah_omzet_rupiah"].sum())
                assert total > 2**31 and f"sum {total} " in report
        assert (tmp_path / resource["formats"]["xlsx"]).is_file()  # readxl read the downloaded workbook


# ------------------------------------------------------------------ CKAN's DCAT harvester


CKAN_PARSE = """
import json, sys, urllib.request
from ckanext.dcat.processors import RDFParser
parser = RDFParser()
with urllib.request.urlopen(sys.argv[1]) as response:
    parser.parse(response.read().decode("utf-8"), _format=sys.argv[2])
out = []
for d in parser.datasets():
    extras = {e["key"]: e["value"] for e in d.get("extras", [])}
    out.append({"title": d.get("title"), "license_id": d.get("license_id"), "version": d.get("version"),
                "identifier": extras.get("identifier"), "uri": extras.get("uri"),
                "resources": [{"url": r.get("url"), "format": r.get("format"), "size": r.get("size"),
                               "mimetype": r.get("mimetype")} for r in d.get("resources", [])]})
print(json.dumps(out))
"""


@pytest.mark.parametrize("fmt", ["turtle", "json-ld"])
def test_ckanext_dcat_reads_five_datasets_with_their_licence_and_resources(site, fmt):
    """CKAN's DCAT harvester's parser (ckanext-dcat 2.4 on CKAN 2.12, in .venv-ckan) over the catalogue at its
    URL: after two releases, still the 5 datasets (each release a version of them), license_id cc-by."""
    if not CKAN_PYTHON.exists():
        _missing(".venv-ckan (CKAN and ckanext-dcat) is missing")
    url = site.base + ("catalog.ttl" if fmt == "turtle" else "catalog.jsonld")
    result = subprocess.run([str(CKAN_PYTHON), "-c", CKAN_PARSE, url, fmt], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    datasets = json.loads(result.stdout.strip().splitlines()[-1])
    assert sorted(d["identifier"] for d in datasets) == [f"umkm-balikpapan/{n}" for n in PACKAGES]
    assert {d["license_id"] for d in datasets} == {"cc-by"} and {d["version"] for d in datasets} == {_version(site)}
    for d in datasets:
        name = d["identifier"].split("/")[1]
        descriptor = _descriptor(site, name)
        files = sum(len(r["formats"]) for r in descriptor["resources"])
        assert len(d["resources"]) == files + 2  # every file, the zip and datapackage.json
        assert {r["format"] for r in d["resources"]} <= {"ZIP", "JSON", "CSV", "PARQUET", "XLSX"}
        assert all(r["url"].startswith(f"{site.base}unduh/{_version(site)}/") and r["size"] for r in d["resources"])
        assert d["uri"] == f"{site.base}data/{name}.html#dataset"


# ------------------------------------------------------------------ SQLite, Datasette, frictionless's SQL route


SQL_TYPES = {"string": "TEXT", "integer": "INTEGER", "boolean": "BOOLEAN", "number": "REAL"}


def test_the_sqlite_database_holds_every_table_with_its_types_and_values(site, tmp_path):
    import sqlite3

    version = _version(site)
    status, data = _get(f"{site.base}unduh/{version}/{DATABASE_FILE}")
    assert status == 200
    database = tmp_path / DATABASE_FILE
    database.write_bytes(data)
    con = sqlite3.connect(database)
    tables = {row[0] for row in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    checked = 0
    for name in PACKAGES:
        folder = site.site / "unduh" / version / name
        for resource in _descriptor(site, name)["resources"]:
            assert resource["name"] in tables
            columns = [(row[1], row[2]) for row in con.execute(f'PRAGMA table_info("{resource["name"]}")')]
            fields = resource["schema"]["fields"]
            assert columns == [(f["name"], SQL_TYPES[f["type"]]) for f in fields]
            from_sql = pd.read_sql_query(f'SELECT * FROM "{resource["name"]}"', con)
            parquet = pd.read_parquet(folder / resource["formats"]["parquet"])
            assert len(from_sql) == resource["rows"]
            for f in fields:  # booleans are 0 and 1 in SQLite; a NULL is None/NaN on both sides
                mine, theirs = from_sql[f["name"]], parquet[f["name"]]
                if f["type"] == "boolean":
                    theirs = theirs.map({True: 1, False: 0})
                assert mine.isna().tolist() == theirs.isna().tolist(), (resource["name"], f["name"])
                assert [v for v in mine.dropna()] == [v for v in theirs.dropna()], (resource["name"], f["name"])
            checked += 1
    assert checked > 40
    described = con.execute("SELECT count(*) FROM keterangan_kolom").fetchone()[0]
    assert described == sum(len(r["schema"]["fields"]) for r in _distinct_resources(site))
    with pytest.raises(sqlite3.IntegrityError):  # the columns hold their types: no text in an INTEGER column
        con.execute("INSERT INTO \"kode_skala_usaha\" VALUES ('x', 'y', 'banyak', 1)")
    con.close()
    # Datasette with the metadata file: the table's columns described from the Table Schema
    status, metadata = _get(f"{site.base}unduh/{version}/{DATABASE_METADATA}")
    (tmp_path / DATABASE_METADATA).write_bytes(metadata)
    datasette = Path(sys.executable).with_name("datasette")
    page = subprocess.run(
        [
            str(datasette),
            str(database),
            "--metadata",
            str(tmp_path / DATABASE_METADATA),
            "--get",
            f"/{sqlite_db.DATABASE}/omzet_menurut_kecamatan",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert page.returncode == 0, page.stderr[-2000:]
    assert "Sum of the annual turnover" in html.unescape(page.stdout) and "Satuan / unit: rupiah" in page.stdout
    query = urllib.parse.quote("select count(*) as n, sum(pelatihan) as trained from pelaku_umkm")
    rows = subprocess.run(
        [str(datasette), str(database), "--get", f"/{sqlite_db.DATABASE}.json?sql={query}&_shape=array"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    micro = pd.read_parquet(site.site / "unduh" / version / "umkm-mikrodata" / "pelaku_umkm.parquet")
    assert rows.returncode == 0, rows.stderr[-2000:]
    assert json.loads(rows.stdout) == [{"n": len(micro), "trained": int(micro["pelatihan"].sum())}]


def _distinct_resources(site) -> list[dict]:
    seen = {}
    for name in PACKAGES:
        for resource in _descriptor(site, name)["resources"]:
            seen.setdefault(resource["name"], resource)
    return list(seen.values())


def _rows(site, name: str, resource: str) -> int:
    return next(r["rows"] for r in _descriptor(site, name)["resources"] if r["name"] == resource)


def _readme_block(containing: str) -> str:
    text = (paths.REPO / "README.md").read_text(encoding="utf-8")
    blocks = [b for b in re.findall(r"```python\n(.*?)```", text, re.S) if containing in b]
    assert len(blocks) == 1, f"the README has no single Python block with {containing!r}"
    return blocks[0]


def test_frictionless_sql_route_with_the_readmes_fix(site, tmp_path):
    """frictionless's own route to SQLite (Package.publish): frictionless 5.21 registers a REGEXP function
    for the pattern constraints that raises on NULL, so a package with an empty value in a column with a
    pattern fails; the README says so and gives the fix, run here as written."""
    import sqlite3

    from frictionless import Package, system

    version = _version(site)
    failing = set()
    for name in PACKAGES:
        with system.use_context(trusted=True):
            try:
                Package(str(site.site / "unduh" / version / name / "datapackage.json")).publish(
                    f"sqlite:///{tmp_path / (name + '-plain.db')}"
                )
            except Exception as error:  # noqa: BLE001 - what frictionless raises is what the README explains
                assert "user-defined function raised exception" in str(error), str(error)[:500]
                failing.add(name)
    assert failing == {"umkm-mikrodata", "umkm-statistik"}, "frictionless changed: update the README's SQL route"
    readme = _readme_block("publish(")
    for name in PACKAGES:
        shutil.copytree(site.site / "unduh" / version / name, tmp_path / name)
    namespace: dict = {}
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        with system.use_context(trusted=True):
            exec(compile(readme, "README.md", "exec"), namespace)  # noqa: S102 - the README's own code
    finally:
        os.chdir(cwd)
    for name in PACKAGES:
        con = sqlite3.connect(tmp_path / f"{name}.db")
        for resource in _descriptor(site, name)["resources"]:
            assert con.execute(f'SELECT count(*) FROM "{resource["name"]}"').fetchone()[0] == resource["rows"]
        con.close()


# ------------------------------------------------------------------ workbooks


def test_every_workbook_is_laid_out_for_a_person_and_typed_as_the_schema_says(site):
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    version = _version(site)
    checked = 0
    for name in PACKAGES:
        descriptor = _descriptor(site, name)
        cite = citation.of(descriptor, site.base)
        for resource in descriptor["resources"]:
            folder = site.site / "unduh" / version / name
            book = load_workbook(folder / resource["formats"]["xlsx"])
            assert book.sheetnames == ["tentang", "data", "keterangan"]
            about = "\n".join(" ".join(str(v) for v in row if v) for row in book["tentang"].iter_rows(values_only=True))
            for needed in (
                resource["title"],
                version,
                "CC BY 4.0",
                cite.url,
                citation.text(cite, "id"),
                "DATA SINTETIS",
                descriptor["sources"][0]["title"],
            ):
                assert needed in about, (resource["name"], needed)
            sheet = book["data"]
            fields = resource["schema"]["fields"]
            last = get_column_letter(len(fields))
            assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == f"A1:{last}{resource['rows'] + 1}"
            assert all(
                sheet.column_dimensions[get_column_letter(i + 1)].width >= len(f["name"]) for i, f in enumerate(fields)
            )
            assert [c.value for c in sheet[1]] == [f["name"] for f in fields] and all(c.font.b for c in sheet[1])
            parquet = pd.read_parquet(folder / resource["formats"]["parquet"])
            for index, f in enumerate(fields):
                cells = [row[index] for row in sheet.iter_rows(min_row=2)]
                values = [c.value for c in cells]
                expected = [
                    None if pd.isna(v) else (bool(v) if f["type"] == "boolean" else v) for v in parquet[f["name"]]
                ]
                present = [c for c in cells if c.value is not None]  # an empty cell is no cell: no format
                if f["type"] == "string":  # text as text (a formula-looking text keeps its guard, as in the CSV)
                    assert values == expected, (resource["name"], f["name"])
                    assert all(c.number_format == "@" and c.data_type == "s" for c in present)
                elif f["type"] == "integer":
                    assert values == expected, (resource["name"], f["name"])
                    assert all(c.number_format == "#,##0" and isinstance(c.value, int) for c in present)
                elif f["type"] == "boolean":
                    assert values == expected and all(c.data_type == "b" for c in cells if c.value is not None)
                else:
                    assert values == pytest.approx(expected, nan_ok=True)
            checked += 1
    assert checked > 50


# ------------------------------------------------------------------ citations


def test_the_citation_files_parse_and_cite_the_versions_page(site):
    import rispy
    import yaml
    from pybtex.database import parse_string

    version = _version(site)
    for name in PACKAGES:
        cite = citation.of(_descriptor(site, name), site.base)
        base = f"{site.base}unduh/{version}/{name}/"
        files = {f: _get(base + f)[1].decode("utf-8") for f in citation.FILES}
        entry = parse_string(files["CITATION.bib"], "bibtex").entries[cite.key]
        assert entry.fields["url"] == cite.url == base and entry.fields["version"] == version
        (author,) = entry.persons["author"]  # one body, its whole name braced: not split into persons
        assert str(author) == "{" + cite.publisher + "}"
        (record,) = rispy.loads(files["CITATION.ris"])
        assert record["type_of_reference"] == "DATA" and record["urls"] == [base] and record["edition"] == version
        (item,) = json.loads(files["CITATION.csl.json"])
        assert item["type"] == "dataset" and item["URL"] == base and item["version"] == version
        assert item["issued"]["date-parts"] == [[int(p) for p in version.split(".")[:3]]]
        cff = yaml.safe_load(files["CITATION.cff"])
        assert cff["cff-version"] == "1.2.0" and cff["url"] == base and cff["type"] == "dataset"
        assert files["CITATION.txt"].splitlines()[0] == citation.text(cite, "id") and base in files["CITATION.txt"]
        # the dataset page prints the same citation, with its URL, and links each citation file
        page = html.unescape((site.site / "data" / f"{name}.html").read_text(encoding="utf-8"))
        assert citation.text(cite, "id") in page
        assert all(f'href="../unduh/{version}/{name}/{f}"' in page for f in citation.FILES)


def test_dataset_pages_show_sizes_and_completeness(site):
    from umkm.catalogue.version_pages import human_size

    version = _version(site)
    for name in PACKAGES:
        page = html.unescape((site.site / "data" / f"{name}.html").read_text(encoding="utf-8"))
        for resource in _descriptor(site, name)["resources"]:
            for path in resource["formats"].values():
                size = (site.site / "unduh" / version / name / path).stat().st_size
                assert re.search(
                    rf'href="../unduh/{re.escape(version)}/{re.escape(name)}/{re.escape(path)}">'
                    rf'[A-Z]+</a> <span class="umkm-ukuran">{re.escape(human_size(size))}</span>',
                    page,
                )
            line = re.search(r"Kolom terisi[^<]*(?:<code>[^<]*</code>[^<]*)+", page)
            assert line
        micro = _descriptor(site, "umkm-mikrodata")["resources"][0]
        if name == "umkm-mikrodata":
            for field, filled in micro["fieldsFilled"].items():
                share = f"{100 * filled / micro['rows']:.1f}".rstrip("0").rstrip(".").replace(".", ",")
                assert f"<code>{field}</code>\xa0{share}%" in page


# ------------------------------------------------------------------ pip install


@pytest.mark.slow
def test_pip_install_in_a_fresh_virtualenv_then_the_console_command_builds_the_demo(tmp_path):
    """The project from a copy of its files, installed by pip into a fresh virtualenv (offline: the
    dependencies come from this project's .venv through a .pth file, setuptools too, no build isolation),
    then ``umkm-build`` run from another folder builds the demo there, reading its data files from the
    installation, not from the repository."""
    source = tmp_path / "source"
    listed = (
        subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=paths.REPO,
            capture_output=True,
            check=True,
        )
        .stdout.decode()
        .split("\0")
    )
    for relative in filter(None, listed):
        if (paths.REPO / relative).is_file():
            (source / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(paths.REPO / relative, source / relative)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    ours = subprocess.run(
        [sys.executable, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    subprocess.run([str(python), "-m", "pip", "uninstall", "-q", "-y", "setuptools"], capture_output=True)
    Path(purelib, "project-dependencies.pth").write_text(ours + "\n")
    installed = subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "--disable-pip-version-check",
            "-q",
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert installed.returncode == 0, installed.stderr[-3000:]
    where = subprocess.run(
        [str(python), "-c", "from umkm import paths; print(paths.REPO, paths.CHECKOUT)"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert where == [str(venv / "share" / "umkm-balikpapan"), "False"]
    work = tmp_path / "work"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("UMKM_")}
    build = subprocess.run(
        [str(venv / "bin" / "umkm-build"), "--demo-rows", "1500", "--quiet"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert build.returncode == 0, build.stderr[-3000:]
    assert (work / "site" / "index.html").is_file() and (work / "site" / "en" / "index.html").is_file()
    assert sorted(p.parent.name for p in (work / "datapackages").glob("*/datapackage.json")) == list(PACKAGES)
    assert "Built release" in build.stderr
    with zipfile.ZipFile(next((work / "site" / "unduh").glob("*/umkm-statistik.zip"))) as archive:
        assert "umkm-statistik/README.md" in archive.namelist()
    assert not (source / "site").exists() and not (venv / "share" / "umkm-balikpapan" / "site").exists()


def test_the_readmes_pandas_lines_read_the_types(site):
    code = _readme_block('na_values=[""]').replace(DEFAULT_BASE_URL, site.base)
    code = code.replace("unduh/2026.10.31/", f"unduh/{_version(site)}/")
    namespace: dict = {}
    exec(compile(code, "README.md", "exec"), namespace)  # noqa: S102 - the README's own code
    df = namespace["df"]
    assert df["kecamatan_kode"].dtype == pd.StringDtype() and df["jumlah_pelaku"].dtype == pd.Int64Dtype()
    assert df["kecamatan_kode"].str.startswith("64.71.").all() and df["jumlah_pelaku"].sum() > 0


def test_every_data_file_of_the_package_is_installed():
    """A file the code reads from umkm/ (a CSV, a template) must be package data, or `pip install .` loses it."""
    import fnmatch
    import tomllib

    declared = tomllib.loads((paths.REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    tracked = subprocess.run(
        ["git", "ls-files", "umkm"], cwd=paths.REPO, capture_output=True, text=True, check=True
    ).stdout.split()
    data = [Path(p) for p in tracked if not p.endswith(".py")]
    assert data, "no data file found under umkm/"
    missing = []
    for path in data:  # declared under its (sub)package: the nearest folder with an __init__.py
        package = next(f for f in path.parents if (paths.REPO / f / "__init__.py").is_file())
        patterns = declared.get(".".join(package.parts), [])
        if not any(fnmatch.fnmatch(path.relative_to(package).as_posix(), pattern) for pattern in patterns):
            missing.append(path.as_posix())
    assert not missing, f"not declared as package data in pyproject.toml: {missing}"


def test_every_file_the_build_reads_from_the_root_is_installed():
    """The hand-written pages, theme overrides, site assets and reference data under docs/ and reference/ must
    be data files, or an installed `umkm-build` builds a site whose pages link to files it never copied."""
    import fnmatch
    import tomllib

    declared = tomllib.loads((paths.REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["data-files"]
    patterns = [pattern for listed in declared.values() for pattern in listed]
    tracked = subprocess.run(
        ["git", "ls-files", "docs", "reference", "mkdocs*.yml"],
        cwd=paths.REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert any(p.startswith("docs/assets/") for p in tracked)
    missing = [p for p in tracked if not any(fnmatch.fnmatchcase(p, pattern) for pattern in patterns)]
    assert not missing, f"not declared as data-files in pyproject.toml: {missing}"
