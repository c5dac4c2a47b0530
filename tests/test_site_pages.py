"""site_pages: small hand-made tables in, a strict MkDocs build of both languages out, checked page by page."""

from __future__ import annotations

import dataclasses
import datetime
import json
import re
import shutil
import time
from pathlib import Path

import pandas as pd
import pytest

from umkm import paths, reference
from umkm.catalogue import version_pages
from umkm.catalogue.config import DEFAULT_BASE_URL, DEFAULT_CONTACT_EMAIL
from umkm.catalogue.downloads import DATABASE_FILE
from umkm.disclose.tables import CELL_STATUS, COUNT, COUNT_TABLES, SUPPRESSED
from umkm.package import citation
from umkm.site import charts, maps
from umkm.site.context import Release, SiteInput, table_cells
from umkm.site.mkdocs import SiteBuildError, broken_links, mkdocs_build
from umkm.site.pages import build_pages
from umkm.site.render import esc

REACH = version_pages.Reach(DEFAULT_BASE_URL, DEFAULT_CONTACT_EMAIL)
HOSTILE = "<script>alert(1)</script> *bold* [x](y) {{ x }} {% x %} `tick` _u_"
REF = reference.load()
KECAMATAN = sorted(REF.kecamatan["kode_kemendagri"])
KELURAHAN = sorted(REF.kelurahan["kode_kemendagri"])


def _table(dims: tuple[str, ...], rows: list[tuple]) -> pd.DataFrame:
    """rows: (*codes, count or None); None -> suppressed cell."""
    frame = pd.DataFrame([r[:-1] for r in rows], columns=list(dims))
    frame[COUNT] = pd.array([r[-1] for r in rows], dtype="Int64")
    frame[CELL_STATUS] = [SUPPRESSED if r[-1] is None else "" for r in rows]
    return frame


def _tables() -> dict[str, pd.DataFrame]:
    kec = [(k, 1000 + 37 * i) for i, k in enumerate(KECAMATAN)] + [("", None)]
    kel = [(k, None if i % 9 == 4 else 100 + 13 * i) for i, k in enumerate(KELURAHAN)]
    kbli = [("C", 2500), ("G", 4100), ("I", 3300), ("S", 700), ("B", None), ("U", None), (HOSTILE, 12), ("", 40)]
    cross = [
        (k, cat, size, None if (i + j) % 5 == 0 else 10 + i + j)
        for i, k in enumerate(KECAMATAN)
        for j, cat in enumerate(["C", "G", "I"])
        for size in ("mikro", "kecil")
    ]
    return {
        "menurut_kecamatan": _table(("kecamatan_kode",), kec),
        "menurut_kelurahan": _table(("kelurahan_kode",), kel),
        "menurut_kbli_kategori": _table(("kbli_kategori",), kbli),
        "menurut_skala_usaha": _table(("skala_usaha",), [("mikro", 9800), ("kecil", 520), ("menengah", None)]),
        "menurut_jenis_kelamin_umur": _table(
            ("jenis_kelamin", "kelompok_umur"),
            [
                (s, a, None if a == "65+" and s == "L" else 300 + 10 * i)
                for i, a in enumerate(["<25", "25-34", "35-44", "45-54", "55-64", "65+"])
                for s in ("L", "P")
            ],
        ),
        "pemasaran_online_keaktifan": _table(
            ("pemasaran_online", "masih_aktif"),
            [
                ("ya", "ya", 4200),
                ("ya", "tidak", 310),
                ("tidak", "ya", 5100),
                ("tidak", "tidak", 700),
                ("", "ya", None),
            ],
        ),
        "menurut_pelatihan": _table(("pelatihan",), [("ya", 2100), ("tidak", 8200), ("", None)]),
        "menurut_bantuan_modal": _table(("bantuan_modal",), [("ya", 1500), ("tidak", 8820)]),
        "menurut_sentra": _table(("sentra",), [("somber", 61), ("teritip", None), ("bukan_sentra", 10250)]),
        "kecamatan_kbli_skala": _table(("kecamatan_kode", "kbli_kategori", "skala_usaha"), cross),
        "menurut_punya_nib": _table(("punya_nib",), [("ya", 6100), ("tidak", 4220)]),
        **_area_tables(),
    }


SMALL_BASE = KELURAHAN[1]  # 5 actors answer: no rate shown
ROUGH_BASE = KELURAHAN[2]  # 20 actors answer: a rate shown as an estimate (≈)


def _area_tables() -> dict[str, pd.DataFrame]:
    """Every <level>_<attribute> table: yes/no answers with unknowns, a suppressed size class, four sectors."""
    out = {}
    for level, codes in (("kelurahan", KELURAHAN), ("kecamatan", KECAMATAN)):
        dim = f"{level}_kode"
        for attribute in ("pemasaran_online", "bantuan_modal", "pelatihan", "punya_nib", "masih_aktif"):
            rows = []
            for i, code in enumerate(codes):
                yes, no = (2, 3) if code == SMALL_BASE else (12, 8) if code == ROUGH_BASE else (100 + i, 200)
                rows += [(code, "ya", yes), (code, "tidak", no), (code, "", 30)]
            out[f"{level}_{attribute}"] = _table((dim, attribute), rows)
        out[f"{level}_skala_usaha"] = _table(
            (dim, "skala_usaha"),
            [
                row
                for code in codes
                for row in ((code, "mikro", 300), (code, "kecil", 20), (code, "menengah", None), (code, "", 5))
            ],
        )
        out[f"{level}_kbli_kategori"] = _table(
            (dim, "kbli_kategori"),
            [row for code in codes for row in ((code, "C", 50), (code, "G", 120), (code, "I", 80), (code, "", 10))],
        )
    return out


def _field(name: str, type_: str = "string") -> dict:
    return {
        "name": name,
        "type": type_,
        "title": f"Judul {name}",
        "title_en": f"Title {name}",
        "description": f"Keterangan {name}",
        "description_en": f"Description of {name}",
    }


def _resource(name: str, fields: list[dict], formats: bool = True) -> dict:
    res = {
        "name": name,
        "path": f"{name}.csv",
        "format": "csv",
        "title": f"Sumber {name}",
        "title_en": f"Resource {name}",
        "bytes": 1234,
        "hash": "sha256:00",
        "schema": {"fields": fields},
    }
    if formats:
        res["formats"] = {"csv": f"{name}.csv", "parquet": f"{name}.parquet", "xlsx": f"{name}.xlsx"}
    return res


MICRO_COLUMNS = [
    "pseudonim",
    "kecamatan_kode",
    "kbli_kategori",
    "kbli_golongan_pokok",
    "skala_usaha",
    "jenis_kelamin",
    "kelompok_umur",
    "kelompok_tahun_mulai",
    "kelompok_tenaga_kerja",
    "kelompok_omzet",
    "sentra",
    "punya_nib",
    "pemasaran_online",
    "pelatihan",
    "bantuan_modal",
    "masih_aktif",
    "sumber",
]


def _packages() -> list[dict]:
    def package(name, resources, description="Deskripsi paket."):
        return {
            "name": name,
            "title": f"Paket {name}",
            "title_en": f"Package {name}",
            "description": description,
            "description_en": "Package description.",
            "version": "2026.10.31",
            "created": "2026-10-31T00:00:00Z",
            "licenses": [
                {
                    "name": "CC-BY-4.0",
                    "title": "Creative Commons Attribution 4.0",
                    "path": "https://creativecommons.org/licenses/by/4.0/",
                }
            ],
            "sources": [{"title": "Register sintetis"}],
            "resources": resources,
        }

    micro_fields = [_field(c) for c in MICRO_COLUMNS]
    micro_fields[2]["description"] = HOSTILE
    stat_resources = [
        _resource(spec.name, [_field(d) for d in spec.dimensions] + [_field(COUNT, "integer"), _field(CELL_STATUS)])
        for spec in COUNT_TABLES
    ]
    return [
        package("umkm-mikrodata", [_resource("pelaku_umkm", micro_fields)]),
        package("umkm-statistik", stat_resources),
        package("umkm-kualitas-data", [_resource("kualitas_data", [_field("metrik"), _field("nilai", "integer")])]),
        package(
            "umkm-referensi",
            [
                _resource("kecamatan", [_field("kode_kemendagri"), _field("nama")], False),
                _resource("kbli_kategori", [_field("kategori"), _field("judul")], False),
            ],
        ),
    ]


def site_input(is_demo: bool = True) -> SiteInput:
    preview = pd.DataFrame(
        [
            {c: ("" if c != "kbli_kategori" else HOSTILE) if i == 0 else f"v{i}" for c in MICRO_COLUMNS}
            for i in range(10)
        ]
    )
    quality = pd.DataFrame(
        {
            "metrik": ["baris_ods", "pelaku_umkm", "dikecualikan_usaha_besar"],
            "label_id": ["Baris dibaca dari ODS", "Pelaku UMKM ditemukan", "Dikecualikan: usaha besar"],
            "label_en": ["Rows read from ODS", "UMKM actors found", "Excluded: large enterprise"],
            "nilai": [59000, 47000, 120],
        }
    )
    release = Release("2026.10.31", datetime.date(2026, 10, 31), is_demo, None if is_demo else "2026.09.30")
    # A hostile name in the reference too: it reaches titles, headings, maps and the search index.
    kelurahan = REF.kelurahan.copy()
    kelurahan.loc[kelurahan["kode_kemendagri"] == "64.71.06.1005", "nama"] = "Damai " + HOSTILE
    ref = dataclasses.replace(REF, kelurahan=kelurahan)
    releases, history = ([], {}) if is_demo else _history()
    return SiteInput(
        release,
        _tables(),
        _packages(),
        {"umkm-mikrodata/pelaku_umkm": preview},
        quality,
        ref,
        releases=releases,
        history=history,
    )


def _history() -> tuple[list[dict], dict[str, dict[str, pd.DataFrame]]]:
    """An earlier release (2026.09.30) with fewer actors in the first kecamatan, more in the second, and a
    lower online rate; its tables as read back from unduh/ (text)."""
    tables = _tables()
    kec = tables["menurut_kecamatan"].copy()
    kec.loc[0, "jumlah_pelaku"] += 250  # Timur loses 250 actors by 2026.10.31
    kec.loc[1, "jumlah_pelaku"] -= 90  # Barat gains 90
    online = tables["pemasaran_online_keaktifan"].copy()
    online.loc[0, "jumlah_pelaku"] = 3000
    old = {
        "menurut_kecamatan": kec,
        "pemasaran_online_keaktifan": online,
        "menurut_kbli_kategori": tables["menurut_kbli_kategori"],
        "menurut_bantuan_modal": tables["menurut_bantuan_modal"],
        "menurut_pelatihan": tables["menurut_pelatihan"],
    }
    as_text = {name: frame.astype("string").fillna("") for name, frame in old.items()}
    releases = [
        {"version": "2026.09.30", "snapshot_date": "2026-09-30", "counts": {"pelaku_umkm": 10480}},
        {"version": "2026.10.31", "snapshot_date": "2026-10-31", "counts": {"pelaku_umkm": 10320}},
    ]
    return releases, {"2026.09.30": as_text}


def _docs_with_downloads(tmp: Path, files: dict[str, str | bytes], si: SiteInput) -> Path:
    docs = tmp / "docs"
    shutil.copytree(
        paths.DOCS, docs, ignore=shutil.ignore_patterns("unduh", "statistik", "wilayah", "sentra", "data", "index.md")
    )
    for rel, content in files.items():
        target = docs / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    for pkg in si.packages:  # what the catalogue writes: unduh/<version>/ (folder and zip), unduh/latest/
        folder = docs / "unduh" / si.release.version / pkg["name"]
        for target in (folder, docs / "unduh" / "latest" / pkg["name"]):
            target.mkdir(parents=True, exist_ok=True)
            (target / "datapackage.json").write_text(json.dumps(pkg), encoding="utf-8")
            (target.parent / f"{pkg['name']}.zip").write_bytes(b"PK")
        for res in pkg["resources"]:
            for rel in {res["path"], *(res.get("formats") or {}).values()}:
                (folder / rel).write_text("placeholder", encoding="utf-8")
        for rel in citation.FILES:  # the citations and the version's page
            (folder / rel).write_text("placeholder", encoding="utf-8")
        labelled = dict(pkg, synthetic=si.release.is_demo)
        (folder / "index.html").write_text(
            version_pages.package_page(
                labelled, {}, version_pages.FileInfo(2, "sha256:00"), citation.of(labelled, DEFAULT_BASE_URL), REACH
            ),
            encoding="utf-8",
        )
    version, date, demo = si.release.version, str(si.release.snapshot_date), si.release.is_demo
    (docs / "unduh" / version / DATABASE_FILE).write_bytes(b"SQLite")
    (docs / "unduh" / version / "index.html").write_text(
        version_pages.release_page(
            version,
            date,
            demo,
            [(p, version_pages.FileInfo(2, "sha256:00")) for p in si.packages],
            {},
            citation.of_release(version, date, demo, DEFAULT_BASE_URL),
            REACH,
        ),
        encoding="utf-8",
    )
    (docs / "unduh" / "index.html").write_text(
        version_pages.index_page(
            [
                {
                    "version": version,
                    "snapshot_date": date,
                    "synthetic": demo,
                    "packages": {p["name"]: {} for p in si.packages},
                }
            ],
            REACH,
        ),
        encoding="utf-8",
    )
    # what the changelog page links: the catalogue files and each release's page, changes and zips
    for name in ("catalog.jsonld", "catalog.ttl", "data.json", "feed.xml", "releases.json", "satu-data.json"):
        (docs / name).write_text("placeholder", encoding="utf-8")
    for entry in si.releases:
        folder = docs / "unduh" / entry["version"]
        folder.mkdir(parents=True, exist_ok=True)
        if not (folder / "index.html").exists():  # an earlier release's page, as the catalogue wrote it
            entry_date, entry_demo = str(entry["snapshot_date"]), bool(entry.get("synthetic", demo))
            (folder / "index.html").write_text(
                version_pages.release_page(
                    entry["version"],
                    entry_date,
                    entry_demo,
                    [],
                    {},
                    citation.of_release(entry["version"], entry_date, entry_demo, DEFAULT_BASE_URL),
                    REACH,
                ),
                encoding="utf-8",
            )
        for rel in ["perubahan.json", *(f"{name}.zip" for name in entry.get("packages", {}))]:
            if not (folder / rel).exists():
                (folder / rel).write_text("placeholder", encoding="utf-8")
    return docs


@pytest.fixture(scope="module", params=[True, False], ids=["demo", "real"])
def built(request, tmp_path_factory, shared_png_renders):
    tmp = tmp_path_factory.mktemp("demo" if request.param else "real")
    si = dataclasses.replace(site_input(request.param), png_cache=shared_png_renders)  # tests/conftest.py
    files = build_pages(si)
    docs = _docs_with_downloads(tmp, files, si)
    start = time.perf_counter()
    mkdocs_build(paths.MKDOCS_CONFIG, docs, tmp / "site", synthetic=request.param)
    print(f"\nmkdocs build (id + en): {time.perf_counter() - start:.2f} s")
    return request.param, files, tmp / "site"


def _html_pages(site: Path) -> dict[str, str]:
    return {str(p.relative_to(site)): p.read_text(encoding="utf-8") for p in sorted(site.rglob("*.html"))}


def test_column_headers_are_the_schema_titles():
    """A dimension's column header is its field's title in the Table Schema, in both languages (one wording:
    the site once said "Holds an NIB" where the schema says "Has an NIB"); the areas' columns show names."""
    from umkm.package.schemas import FIELDS
    from umkm.site.context import AREA_HEADERS, Site

    si = site_input()
    dims = {d for spec in COUNT_TABLES for d in spec.dimensions}
    for lang, key in (("id", "title"), ("en", "title_en")):
        site = Site(si, lang)
        for dim in sorted(dims - set(AREA_HEADERS)):
            assert site.header(dim) == FIELDS[dim][key], (lang, dim)
        assert site.header("kecamatan_kode") == ("Kecamatan" if lang == "id" else "Kecamatan (district)")
    assert "Has an NIB" in build_pages(dataclasses.replace(si, png=False), langs=("en",))["en/statistik/nib.md"]


def test_english_kbli_titles_and_sentra_texts_are_reference_data():
    """The English KBLI titles and the sentra texts are read from reference/ (data staff and translators
    review), complete for the codes they translate, and what the pages show."""
    from umkm.site.context import Site, sentra_slug
    from umkm.site.sentra_pages import INTRO, SENTRA_FACTS

    assert list(REF.kbli_kategori_en["kategori"]) == list(REF.kbli_kategori["kategori"])
    assert all(REF.kbli_kategori_en["judul_en"])
    slugs = {sentra_slug(name) for name in REF.sentra["sentra"]}
    texts = REF.sentra_teks
    assert set(texts["sentra"]) == slugs and set(texts["kolom"]) <= {INTRO} | {key for key, _, _ in SENTRA_FACTS}
    assert not texts.duplicated(["sentra", "kolom"]).any() and all(texts["id"]) and all(texts["en"])
    assert {s for s, k in zip(texts["sentra"], texts["kolom"]) if k == INTRO} == slugs

    kbli_en = REF.kbli_kategori_en.copy()
    kbli_en.loc[kbli_en["kategori"] == "C", "judul_en"] = "Making things"
    teks = texts.copy()
    teks.loc[(teks["sentra"] == "somber") & (teks["kolom"] == INTRO), "en"] = "A tofu village."
    si = dataclasses.replace(site_input(), png=False)
    si = dataclasses.replace(
        si, reference=dataclasses.replace(si.reference, kbli_kategori_en=kbli_en, sentra_teks=teks)
    )
    assert Site(si, "en").label("kbli_kategori", "C") == "C Making things"
    assert "A tofu village." in build_pages(si, langs=("en",))["en/sentra/somber.md"]


def test_pages_are_deterministic_and_within_budget(shared_png_renders):
    # PNG files included: the second build draws every PNG again (no cache); the first keeps its PNGs, or takes
    # those an earlier render drew, in the session's cache (tests/conftest.py)
    first = build_pages(dataclasses.replace(site_input(), png_cache=shared_png_renders))
    second = build_pages(site_input())
    assert first == second and list(first) == sorted(first)
    pages = [p for p in first if p.endswith(".md")]
    assert len(pages) + 4 <= 124  # + the hand-written metodologi and tentang, twice
    for key in (
        "index.md",
        "statistik/kecamatan.md",
        "statistik/kecamatan.svg",
        "statistik/kecamatan.csv",
        "data/umkm-mikrodata.md",
        "en/index.md",
        "wilayah/balikpapan-utara/batu-ampar.md",
        "sentra/somber.md",
        "en/sentra/teritip.md",
        "data/kualitas.md",
    ):
        assert key in first, key


def test_strict_build_pages_small_and_links_resolve(built):
    _, _, site = built
    pages = _html_pages(site)
    assert "index.html" in pages and "en/index.html" in pages and "en/wilayah/balikpapan-utara/batu-ampar.html" in pages
    too_big = {name: len(html.encode()) for name, html in pages.items() if len(html.encode()) > 150_000}
    assert too_big == {}
    assert broken_links(site) == []


def test_synthetic_banner_on_every_page_only_for_demo(built):
    is_demo, _, site = built
    for name, html in _html_pages(site).items():
        assert ('class="umkm-banner"' in html) == is_demo, name


def test_no_outside_resource_loads(built):
    _, _, site = built
    # <link rel="canonical"> names the published address (site_url); it is not a load
    outside = re.compile(
        r'<(?:script|img|link(?![^>]*rel="canonical")|iframe|source|audio|video)\b[^>]*\s'
        r'(?:src|href)="(?:https?:)?//',
        re.I,
    )
    css_import = re.compile(r"@import|url\((['\"]?)(?:https?:)?//", re.I)
    for name, html in _html_pages(site).items():
        assert not outside.search(html), name
        assert "fonts.googleapis" not in html and "fonts.gstatic" not in html, name
    for svg in site.rglob("*.svg"):
        assert not re.search(r'(?:href|src)="(?:https?:)?//', svg.read_text(encoding="utf-8")), svg
    for css in site.rglob("*.css"):
        assert not css_import.search(css.read_text(encoding="utf-8")), css


def test_suppressed_cells_never_zero(built):
    _, files, site = built
    pages = _html_pages(site)
    html = pages["statistik/skala-usaha.html"]
    assert 'Menengah</th><td>menengah</td><td class="angka"><span class="umkm-disembunyikan">disembunyikan' in html
    assert (
        'Medium</th><td>menengah</td><td class="angka"><span class="umkm-disembunyikan">suppressed'
        in pages["en/statistik/skala-usaha.html"]
    )
    # In CSV: empty count and the status word; never 0.
    assert "menengah,Menengah,,disembunyikan" in files["statistik/skala-usaha.csv"]
    assert "menengah,Medium,,suppressed" in files["en/statistik/skala-usaha.csv"]
    for path, content in files.items():
        if path.endswith(".csv"):
            assert not re.search(r",0,(disembunyikan|suppressed)", content), path
            assert not re.search(r"(?m),0$", content.replace(",0,", ",x,")), path
    # In the chart: a hatched mark and the word, not a zero-length bar.
    svg = files["statistik/skala-usaha.svg"]
    assert 'fill="url(#hatch)"' in svg and ">disembunyikan</text>" in svg and ">0</text>" not in svg
    assert "umkm-disembunyikan" in pages["statistik/kelurahan.html"]


def test_hostile_values_show_as_text(built):
    _, files, site = built
    assert str(esc(HOSTILE)).count("<") == 0 and "{{" not in esc(HOSTILE) and "{%" not in esc(HOSTILE)
    for name, html in _html_pages(site).items():
        assert "<script>alert" not in html, name
        assert "<em>bold</em>" not in html and "<strong>bold</strong>" not in html, name
        assert '<a href="y">' not in html, name
    kbli = _html_pages(site)["statistik/kbli.html"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in kbli
    assert "&#123;&#123; x &#125;&#125;" in kbli and "&#123;% x %&#125;" in kbli
    assert "&lt;script&gt;" in _html_pages(site)["data/umkm-mikrodata.html"]  # field description and preview
    svg = files["statistik/kbli.svg"]
    assert "<script" not in svg and "&lt;script&gt;" in svg
    damai = [name for name in _html_pages(site) if name.startswith("wilayah/balikpapan-kota/damai-script")]
    assert len(damai) == 1 and "<title>Kelurahan Damai &lt;script&gt;" in _html_pages(site)[damai[0]]
    for index_file in site.rglob("search_index.json"):
        assert "<script>alert" not in index_file.read_text(encoding="utf-8")


def test_search_index_finds_kelurahan_kbli_dataset_and_field(built):
    _, _, site = built
    for index_file in (site / "search" / "search_index.json", site / "en" / "search" / "search_index.json"):
        text = index_file.read_text(encoding="utf-8")
        for word in (
            "Batu Ampar",
            "Industri Pengolahan" if "/en/" not in str(index_file) else "Manufacturing",
            "umkm-mikrodata",
            "kelompok_tenaga_kerja",
        ):
            assert word in text, (index_file, word)


def test_language_switch_keeps_the_page(built):
    _, _, site = built
    pages = _html_pages(site)
    assert 'href="../en/statistik/kecamatan.html" hreflang="en"' in pages["statistik/kecamatan.html"]
    assert 'href="../../statistik/kecamatan.html" hreflang="id"' in pages["en/statistik/kecamatan.html"]
    assert (
        'href="../../en/wilayah/balikpapan-utara/batu-ampar.html" hreflang="en"'
        in pages["wilayah/balikpapan-utara/batu-ampar.html"]
    )


def _contrast(a: str, b: str) -> float:
    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b_ = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * r + 0.7152 * g + 0.0722 * b_

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_accessibility_basics(built):
    _, files, site = built
    for name, html in _html_pages(site).items():
        for img in re.findall(r"<img\b[^>]*>", html):
            assert re.search(r'\salt="[^"]+"', img), (name, img)
        for table in re.findall(r'<table class="umkm-data.*?</table>', html, re.S):
            assert "<caption>" in table, name
            assert not re.search(r"<th(?=[\s>])(?![^>]*\bscope=)", table), name
    for path, svg in files.items():
        if path.endswith(".svg"):
            assert "<title" in svg and "<desc" in svg and 'role="img"' in svg, path
    # text 4.5:1 (WCAG AA), chart marks 3:1 (non-text contrast)
    assert _contrast(charts.TEXT, "#ffffff") >= 4.5 and _contrast(charts.MUTED, "#ffffff") >= 4.5
    assert _contrast("#1a1a1a", "#fff3c4") >= 4.5  # banner
    assert all(_contrast(c, "#ffffff") >= 3 for c in (charts.BAR, maps.HIGHLIGHT, *charts.SERIES))
    assert _contrast(charts.MARK, "#ffffff") >= 4.5  # the synthetic mark inside every image


def test_choropleth_classes_and_polygons():
    assert maps.class_breaks([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) == [2, 4, 6, 8, 10]
    assert maps.class_breaks([5, 5, 5]) == [5]
    multi = {
        "type": "MultiPolygon",
        "coordinates": [[[[0, 0], [1, 0], [1, 1], [0, 0]]], [[[2, 2], [3, 2], [3, 3], [2, 2]]]],
    }
    svg = maps.choropleth(
        [maps.Area("a", "A <b>", multi)],
        {"a": None},
        title="t",
        desc="d",
        legend_title="n",
        suppressed_label="disembunyikan",
        no_data_label="-",
        format_number=str,
    )
    assert svg.count("M") >= 2 and "url(#hatch)" in svg and "A &lt;b&gt;" in svg


def _texts_fit(svg: str) -> list[str]:
    """Every left-anchored text (line) of a chart whose estimated end passes the chart's width."""
    import xml.etree.ElementTree as ET

    root = ET.fromstring(svg)
    width = float(root.get("viewBox").split()[2])
    over = []
    for text in root.iter("{http://www.w3.org/2000/svg}text"):
        if text.get("text-anchor", "start") != "start":
            continue
        size = float(text.get("font-size", root.get("font-size")))
        lines = [(t.get("x"), t.text or "") for t in text.iter("{http://www.w3.org/2000/svg}tspan")]
        for x, line in lines or [(text.get("x"), text.text or "")]:
            if float(x) + charts.text_width(line, size) > width:
                over.append(line)
    return over


def test_charts_are_drawn_for_a_phone_width():
    kbli = "G Perdagangan Besar dan Eceran; Reparasi dan Perawatan Mobil dan Sepeda Motor"
    long = charts.bar_chart(
        [charts.Bar(kbli, 669, "669"), charts.Bar("C Industri Pengolahan", None, "disembunyikan")],
        title="t",
        desc="d",
        note="Arsir = disembunyikan (bukan nol). " * 3,
    )
    short = charts.bar_chart(
        [charts.Bar("Balikpapan Utara", 577, "577"), charts.Bar("Balikpapan Kota", None, "x")], title="t", desc="d"
    )
    grouped = charts.grouped_bar_chart(
        ["Perempuan", "Laki-laki"],
        ["<25", "25-34", "35-44", "45-54", "55-64", "65+", "tidak diketahui"],
        {(0, 0): charts.Bar("", 3, "3"), (1, 6): charts.Bar("", None, "disembunyikan")},
        title="t",
        desc="d",
        legend_title="Kelompok umur pemilik",
    )
    for svg in (long, short, grouped):
        assert f'viewBox="0 0 {charts.WIDTH} ' in svg and f'font-size="{charts.FONT_SIZE}"' in svg
        assert _texts_fit(svg) == []
    # a long label goes above its bar, wrapped (its full text in <title>); short ones beside the bars
    assert f"<title>{kbli}</title>" in long and long.count('<tspan x="4"') >= 2 + 2
    assert '<tspan x="4"' not in short and 'text-anchor="end"' in short
    assert grouped.count("<rect") - 1 >= 7 + 2  # background, 7 legend swatches (wrapped), 2 bars


def test_table_cells_hide_suppressed_counts_even_if_a_number_leaked():
    frame = _table(("skala_usaha",), [("mikro", 7), ("kecil", 3)])
    frame.loc[1, CELL_STATUS] = SUPPRESSED  # a count present but flagged: still hidden
    assert [c.count for c in table_cells(frame, ("skala_usaha",))] == [7, None]


def test_whats_new_links_the_changelog_and_data_pages_carry_schema_org(built):
    is_demo, _, site = built
    pages = _html_pages(site)
    # the "real" release has a previous version: its home page says what changed, with a link
    assert ('<a href="data/perubahan.html">Apa yang berubah dari versi 2026.09.30</a>' in pages["index.html"]) == (
        not is_demo
    )
    assert ('<a href="data/perubahan.html">What changed since version 2026.09.30</a>' in pages["en/index.html"]) == (
        not is_demo
    )
    for name in ("data/umkm-statistik.html", "en/data/umkm-mikrodata.html", "data/umkm-referensi.html"):
        scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', pages[name], re.S)
        assert len(scripts) == 1, name
        document = json.loads(scripts[0])
        assert document["@type"] == "Dataset" and document["version"] == "2026.10.31", name
        assert document["url"].endswith(name.removeprefix("en/")), name
    assert "application/ld+json" not in pages["statistik/kecamatan.html"]
    # the schema.org text is not in the search index (it is in <head>, not the page's text)
    assert '"@context"' not in (site / "search" / "search_index.json").read_text(encoding="utf-8")


def test_magnitude_tables_on_the_statistics_page_of_their_dimension():
    sums = _table(("kecamatan_kode",), [(KECAMATAN[0], 1_234_500_000), (KECAMATAN[1], None), ("", 0)])
    workers = _table(("skala_usaha",), [("mikro", 4098), ("kecil", None), ("menengah", 1905)])
    si = dataclasses.replace(
        site_input(),
        png=False,
        magnitude={
            "omzet_menurut_kecamatan": sums.rename(columns={COUNT: "jumlah_omzet_rupiah"}),
            "tenaga_kerja_menurut_skala_usaha": workers.rename(columns={COUNT: "jumlah_tenaga_kerja"}),
        },
    )
    files = build_pages(si)
    kecamatan = files["statistik/kecamatan.md"]
    assert "## Omzet, modal dan tenaga kerja" in kecamatan and "Omzet tahunan (juta Rp)" in kecamatan
    assert '<td class="angka">1.234,5</td>' in kecamatan
    assert '<span class="umkm-disembunyikan">disembunyikan</span>' in kecamatan.split("## Omzet")[1]
    assert "Annual turnover (Rp million)" in files["en/statistik/kecamatan.md"]
    assert '<td class="angka">1,234.5</td>' in files["en/statistik/kecamatan.md"]
    assert "Tenaga kerja (orang)" in files["statistik/skala-usaha.md"]
    assert "## Omzet" not in files["statistik/kbli.md"]  # no magnitude table of that dimension in this release
    csv_text = files["statistik/kecamatan-besaran.csv"]
    assert (
        f"{KECAMATAN[0]},Balikpapan Timur,omzet_menurut_kecamatan,Jumlah omzet tahunan menurut kecamatan,"
        "1234500000,rupiah," in csv_text
    )
    assert f"{KECAMATAN[1]},Balikpapan Barat,omzet_menurut_kecamatan" in csv_text
    assert ",,rupiah,disembunyikan" in csv_text and ",0,rupiah,disembunyikan" not in csv_text


def _two_language_project(tmp_path, english_page: str):
    (tmp_path / "docs" / "en").mkdir(parents=True)
    (tmp_path / "docs" / "index.md").write_text("# Beranda\n\n[Tentang](tentang.md)\n")
    (tmp_path / "docs" / "tentang.md").write_text("# Tentang\n")
    (tmp_path / "docs" / "en" / "index.md").write_text(english_page)
    (tmp_path / "mkdocs.yml").write_text("site_name: t\ntheme: mkdocs\nexclude_docs: |\n  /en/\n")
    (tmp_path / "mkdocs.en.yml").write_text("INHERIT: mkdocs.yml\nsite_name: t-en\nexclude_docs: ''\n")
    return tmp_path / "mkdocs.yml", tmp_path / "docs", tmp_path / "out" / "site"


def test_both_languages_are_built_into_one_site(tmp_path):
    config, docs, site = _two_language_project(tmp_path, "# Home\n")
    mkdocs_build(config, docs, site, synthetic=False, site_url="http://127.0.0.1/x/")
    assert (site / "tentang" / "index.html").is_file() and (site / "en" / "index.html").is_file()
    assert "t-en" in (site / "en" / "index.html").read_text()
    assert sorted(p.name for p in site.parent.iterdir()) == ["site"]  # the second build's folder is moved in


def test_a_strict_warning_in_the_english_build_fails_the_build(tmp_path):
    config, docs, site = _two_language_project(tmp_path, "# Home\n\n[gone](missing.md)\n")
    with pytest.raises(SiteBuildError, match="mkdocs.en.yml"):
        mkdocs_build(config, docs, site, synthetic=False, site_url="http://127.0.0.1/x/")
    assert not (site.parent / ".site-en").exists()


def test_the_template_cache_keeps_compiled_templates_and_changes_no_page(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764288000")  # the mkdocs theme prints the build date
    config, docs, site = _two_language_project(tmp_path, "# Home\n")
    mkdocs_build(config, docs, site, synthetic=False, site_url="http://127.0.0.1/x/")
    plain = {p.relative_to(site): p.read_bytes() for p in site.rglob("*.html")}
    cache = tmp_path / "templates"
    written = []
    for _ in range(2):  # the first build fills the cache, the second reads from it
        shutil.rmtree(site)
        mkdocs_build(config, docs, site, synthetic=False, site_url="http://127.0.0.1/x/", template_cache=cache)
        assert {p.relative_to(site): p.read_bytes() for p in site.rglob("*.html")} == plain
        written.append({p.name: p.stat().st_mtime_ns for p in cache.iterdir()})
    assert written[0] and all(name.endswith(".cache") for name in written[0])
    assert written[1] == written[0]  # read, not compiled and written again


def test_static_files_of_the_docs_are_linked_into_the_site_and_the_theme_copied(tmp_path):
    import mkdocs.utils

    config, docs, site = _two_language_project(tmp_path, "# Home\n")
    (docs / "data.csv").write_text("a\n1\n")
    copy_file = mkdocs.utils.copy_file
    mkdocs_build(config, docs, site, synthetic=False, site_url="http://127.0.0.1/x/")
    assert (site / "data.csv").samefile(docs / "data.csv")
    theme_css = next(site.rglob("*.css"))
    assert theme_css.stat().st_nlink == 1  # the theme's own files are copies, not links into the package
    assert mkdocs.utils.copy_file is copy_file  # MkDocs is left as it was


# ------------------------------------------------------------------ area profiles, story, way in


def test_rates_keep_unknowns_apart_and_flag_small_bases():
    from umkm.site.context import Cell
    from umkm.site.rates import yes_rate

    rate = yes_rate([Cell(("ya",), 30), Cell(("tidak",), 70), Cell(("",), 900)])
    assert (rate.part, rate.base, rate.unknown, rate.value, rate.uncertain) == (30, 100, 900, 30.0, False)
    assert yes_rate([Cell(("ya",), 12), Cell(("tidak",), 8)]).uncertain  # 20 answers: an estimate
    assert yes_rate([Cell(("ya",), 0), Cell(("tidak",), 5)]).value is None  # never a confident 0%
    assert not yes_rate([Cell(("",), 40)]).recorded  # only unknowns: not recorded, not 0%
    partial = yes_rate([Cell(("ya",), 500), Cell(("tidak",), None)])  # older releases: "tidak" suppressed
    assert partial.value == 100.0 and partial.uncertain


def test_every_area_page_shows_its_rates_beside_the_city(built):
    _, files, _ = built
    city_online = "43,7%"  # 4510 of 10310 sell online (pemasaran_online_keaktifan, unknowns apart)
    for code in (KELURAHAN[0], KELURAHAN[20]):
        kel = REF.kelurahan.set_index("kode_kemendagri").loc[code]
        page = files[f"wilayah/{_slug(kel['nama_kecamatan'])}/{_slug(kel['nama'])}.md"]
        i = KELURAHAN.index(code)
        online = f"{100 * (100 + i) / (300 + i):.1f}".replace(".", ",") + "%"
        assert f"{online} ({100 + i} dari {300 + i})" in page and city_online in page
        for heading in (
            "Berjualan online",
            "Menerima bantuan modal (hibah) Rp300.000",
            "Pernah ikut pelatihan",
            "Memiliki NIB",
            "Masih aktif",
            "Usaha mikro",
            "Lapangan usaha",
        ):
            assert heading in page, (code, heading)
        assert "Kategori KBLI 2020" in page and "I Penyediaan Akomodasi" in page  # the sector mix, named
        assert "angka kecil disamarkan sedikit" in page and 'href="../../metodologi.html"' in page
    small = REF.kelurahan.set_index("kode_kemendagri").loc[SMALL_BASE]
    page = files[f"wilayah/{_slug(small['nama_kecamatan'])}/{_slug(small['nama'])}.md"]
    assert "terlalu sedikit pelaku" in page and "40,0%" not in page  # 2 of 5: not shown as a rate
    rough = REF.kelurahan.set_index("kode_kemendagri").loc[ROUGH_BASE]
    page = files[f"wilayah/{_slug(rough['nama_kecamatan'])}/{_slug(rough['nama'])}.md"]
    assert "≈ 60%" in page and "60,0%" not in page
    kecamatan = files["wilayah/balikpapan-utara.md"]
    assert "Berjualan online" in kecamatan and city_online in kecamatan and "umkm-peta" in kecamatan
    assert (
        "Sell online" in files["en/wilayah/balikpapan-utara.md"] and "43.7%" in files["en/wilayah/balikpapan-utara.md"]
    )


def _slug(name: str) -> str:
    from umkm.site.context import slugify

    return slugify(name)


def test_summaries_never_rank_the_unknown_category_and_keep_acronyms(built):
    _, files, site = built
    pages = _html_pages(site)
    for name, html in pages.items():
        for sentence in re.findall(r"(?:Terkecil|Smallest|Jumlah terbanyak|Largest)[^.]*\.", html):
            assert "tidak diketahui" not in sentence and "unknown" not in sentence, (name, sentence)
        assert "kategori kbli" not in html and "kbli 2020" not in html, name
    kbli = files["statistik/kbli.md"]
    assert "Tidak diketahui (tidak tercatat di register): 40 pelaku" in kbli
    assert "pelaku UMKM menurut kategori KBLI 2020" in files["statistik/kbli.svg"] or "KBLI 2020" in kbli
    home = files["en/index.md"]
    assert "Small businesses" in home and "smallbusinesses" not in home and "unknownbusinesses" not in home


def test_home_tells_the_story_with_search_words(built):
    is_demo, files, site = built
    home = files["index.md"]
    assert "Dari pelaku yang berjualan online, 93,1% masih aktif; dari yang tidak berjualan online, 87,9%" in home
    for word in ("pandemi", "kuliner", "hibah", "bantuan modal"):
        assert word in home, word
    index = (site / "search" / "search_index.json").read_text(encoding="utf-8")
    for word in ("pandemi", "kuliner", "hibah", "bantuan modal"):
        assert word in index, word
    assert "data-umkm-cari" in home and home.count("<li data-cari=") == 34 + 6
    assert 'data-cari="' in home and "gunungsamarinda" in home  # other spellings meet
    # the clickable map: each kelurahan a link to its page, the numbered key as links too
    assert home.count('<a href="wilayah/') >= 34 and 'role="group"' in home


def test_what_changed_and_the_trend_appear_only_with_several_releases(built):
    is_demo, files, _ = built
    home, english = files["index.md"], files["en/index.md"]
    if is_demo:  # one release: no trend, no comparison
        assert "Yang berubah sejak rilis sebelumnya" not in home and "tren-pelaku.svg" not in files
        return
    assert "Yang berubah sejak rilis sebelumnya" in home and "What changed since the previous release" in english
    assert "Sejak rilis 2026.09.30, jumlah pelaku UMKM berkurang 160" in home  # -250 + 90
    assert "Balikpapan Barat (+90)" in home and "Balikpapan Timur (-250)" in home
    assert "Berjualan online: 36,3% → 43,7%" in home  # 3310 of 9110, then 4510 of 10310
    assert "Menerima bantuan modal (hibah) Rp300.000: 14,5%" not in home  # unchanged: not listed
    assert "tren-pelaku.svg" in files and "tren-persen.svg" in files and "tren-persen.png" in files
    assert "2026.09.30" in files["tren-pelaku.svg"] and "2026.10.31" in files["tren-pelaku.svg"]


def test_every_page_names_a_preview_image_of_the_right_size(built):
    from umkm.site import images

    _, files, site = built
    for name, html in _html_pages(site).items():
        found = re.findall(r'<meta property="og:image" content="([^"]+)"', html)
        assert len(found) == 1, name
        assert re.search(r'<meta name="twitter:card" content="summary_large_image">', html), name
        assert '<meta property="og:image:width" content="1200">' in html, name
        address = found[0]
        assert address.startswith("https://") and "/data-umkm/" in address, (name, address)
        relative = address.split("/data-umkm/", 1)[1]
        assert (site / relative).is_file(), (name, relative)
        assert images.png_size((site / relative).read_bytes()) == images.CARD, (name, relative)
    assert "og:image" in _html_pages(site)["404.html"]


def test_every_page_has_the_contact_and_a_report_link(built):
    _, _, site = built
    for name, html in _html_pages(site).items():
        assert "mailto:data-umkm@example.org" in html, name
        assert ("Laporkan kesalahan data" in html) != ("Report a data error" in html), name
    assert "Halaman tidak ditemukan" in _html_pages(site)["404.html"]
    assert "Page not found" in _html_pages(site)["en/404.html"]


def test_sentra_without_records_says_not_recorded_never_zero():
    si = site_input()
    tables = dict(si.tables)
    tables["menurut_sentra"] = _table(("sentra",), [("somber", 0), ("teritip", 0), ("bukan_sentra", 10320), ("", 0)])
    files = build_pages(dataclasses.replace(si, tables=tables, png=False), langs=("id",))
    assert "keanggotaan sentra tidak tercatat" in files["index.md"] and "0 pelaku" not in files["index.md"]
    assert "tidak mencatat keanggotaan sentra" in files["sentra/somber.md"]
    assert "sentra/sentra.svg" not in files


# ------------------------------------------------------------------ one language a page

# Words that mark a sentence's language: common function words, and the words of the reference files'
# English notes (the sentra facts). A sentence with two markers of the other language and none of its own
# is a slip. Text marked with a lang attribute (a title in the other language, KBLI titles), code and the
# search box are left out.
ENGLISH_MARKERS = {
    "the",
    "and",
    "of",
    "from",
    "with",
    "built",
    "this",
    "that",
    "which",
    "are",
    "is",
    "was",
    "for",
    "not",
    "plan",
    "units",
    "near",
    "tenants",
    "including",
    "only",
    "release",
    "actors",
    "sell",
    "businesses",
    "unknown",
    "relocation",
    "members",
    "city-wide",
    "day",
}
INDONESIAN_MARKERS = {
    "dan",
    "yang",
    "dari",
    "dengan",
    "untuk",
    "tidak",
    "pelaku",
    "ini",
    "itu",
    "di",
    "ke",
    "adalah",
    "rumah",
    "produksi",
    "berproduksi",
    "dibangun",
    "rilis",
    "menurut",
    "sebelum",
    "sesudah",
    "juga",
    "atau",
    "pada",
    "jumlah",
    "diketahui",
    "tercatat",
    "perajin",
    "unit",
}


def _sentences(page_html: str, lang: str) -> list[str]:
    """The page's visible sentences in its own language (no script, style, code, nav, or lang-marked text)."""
    import html.parser as parser_module

    skip_tags = {"script", "style", "code", "pre", "svg", "nav", "label", "title", "head"}

    class Text(parser_module.HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.stack: list[tuple[str, bool]] = []
            self.parts: list[str] = []

        def handle_starttag(self, tag, attrs):
            if tag in ("br", "img", "input", "meta", "link", "hr", "source", "wbr"):
                return
            attrs = dict(attrs)
            other = attrs.get("lang") not in (None, lang)
            css = attrs.get("class") or ""
            # a preview table holds the data's own values (codes, Indonesian labels), not the page's words
            self.stack.append((tag, other or tag in skip_tags or "md-search" in css or "umkm-pratinjau" in css))
            if tag in ("p", "li", "tr", "td", "th", "h1", "h2", "h3", "div", "figcaption", "caption", "summary"):
                self.parts.append("\n")

        def handle_endtag(self, tag):
            while self.stack:
                if self.stack.pop()[0] == tag:
                    break

        def handle_data(self, data):
            if not any(hidden for _, hidden in self.stack):
                self.parts.append(data)

    parser = Text()
    parser.feed(page_html)
    text = "".join(parser.parts)
    return [" ".join(s.split()) for s in re.split(r"[.!?;:\n]+(?:\s|$)", text) if len(s.split()) >= 3]


def _language_slips(pages: dict[str, str]) -> list[tuple[str, str]]:
    slips = []
    for name, page_html in pages.items():
        lang = "en" if name.startswith("en/") else "id"
        own, other = (ENGLISH_MARKERS, INDONESIAN_MARKERS) if lang == "en" else (INDONESIAN_MARKERS, ENGLISH_MARKERS)
        for sentence in _sentences(page_html, lang):
            words = set(re.findall(r"[a-z][a-z-]*", sentence.lower()))
            if len(words & other) >= 2 and not words & own:
                slips.append((name, sentence))
    return slips


def test_each_page_speaks_its_own_language(built):
    _, _, site = built
    pages = _html_pages(site)
    assert _language_slips(pages) == []
    # the reference files' English notes never reach an Indonesian page, nor their Indonesian an English one
    sentra = REF.sentra.to_dict("records")
    for row in sentra:
        english_notes = [
            part.strip()
            for part in re.split(r"[;(]", row["catatan"] + ";" + row["unit_rumah_produksi"])
            if len(part.split()) >= 3 and set(part.lower().split()) & {"built", "site", "plan", "from"}
        ]
        assert english_notes
        for name, page_html in pages.items():
            if not name.startswith("en/"):
                assert not any(note in page_html for note in english_notes), (name, english_notes)
    assert "94 production houses" in pages["en/sentra/somber.html"]
    assert (
        "94 rumah produksi" in pages["sentra/somber.html"] and "94 rumah produksi" not in pages["en/sentra/somber.html"]
    )


def test_the_language_check_finds_a_slip():
    english_in_id = (
        "<html><body><p>Kota ini punya 12 unit.</p><p>built from 1998, relocation from 2000</p></body></html>"
    )
    indonesian_in_en = "<html><body><p>The city has 12 units.</p><p>94 rumah produksi, 80 berproduksi</p></body></html>"
    marked = '<html><body><p lang="en">built from 1998, relocation from 2000</p></body></html>'
    assert _language_slips({"sentra/x.html": english_in_id}) == [
        ("sentra/x.html", "built from 1998, relocation from 2000")
    ]
    assert _language_slips({"en/sentra/x.html": indonesian_in_en}) == [
        ("en/sentra/x.html", "94 rumah produksi, 80 berproduksi")
    ]
    assert _language_slips({"sentra/x.html": marked}) == []
