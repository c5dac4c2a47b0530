"""Text from input files reaches the site only as text: never markup, Markdown, Jinja or a link.

Two ways in. End to end: ODS and OSS exports whose text fields (kelurahan spelling,
bidang usaha, product, business name, address, sentra, marketplace, an unmapped extra
column) carry HTML, Markdown, Jinja and formula payloads, built by cli.main; most
of that is never published (unknown kelurahan become "unknown", product names stay
private), and what is must show as text. Directly: the site stage given hostile values
wherever a value can come from data (dimension codes of count and magnitude tables,
reference names, sentra facts and sources, package descriptors, previews, quality labels),
built with MkDocs like a release. Every page is then parsed: the only <script> elements are
Material's own and the schema.org JSON-LD, no link points outside the expected hosts or
to javascript:, no payload is rendered (no <strong>bold</strong>, no "ZQ49QZ" from {{ 7*7 }},
no "RWWR" from a consumed {% raw %}) and the payload does show, as text, where its value is
published.
"""

from __future__ import annotations

import dataclasses
import html.parser
import json
import re
from pathlib import Path
from xml.etree import ElementTree

import pandas as pd
from test_site_pages import _docs_with_downloads, _table, site_input

from umkm import paths, reference
from umkm.build import cli
from umkm.ingest import synthetic
from umkm.site import mkdocs as site_mkdocs
from umkm.site.mkdocs import mkdocs_build
from umkm.site.pages import build_pages

SCRIPT = "<script>alert(1)</script>"
PAYLOADS = (
    SCRIPT,
    "**bold**",
    "_it_",
    "[x](http://evil.example/)",
    "ZQ{{ 7*7 }}QZ",
    "RW{% raw %}WR",
    "<img src=x onerror=alert(2)>",
    "`tick`",
    "| a | b |",
    "&amp;lt;",
)
HOSTILE = " ".join(PAYLOADS)
FORMULA = '=HYPERLINK("http://evil.example/","x")'
KEY = "test-key-for-the-escaping-suite"


# ------------------------------------------------------------------ what a page may contain


class _Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.scripts: list[tuple[dict, str]] = []
        self.links: list[str] = []
        self.text: list[str] = []
        self._script: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            self._script = attrs
            self.scripts.append((attrs, ""))
        for key in ("href", "src", "action", "formaction"):
            if attrs.get(key) is not None:
                self.links.append(attrs[key])
        self.links += [f"{key}=" for key in attrs if key.startswith("on")]  # event handler attributes

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = None

    def handle_data(self, data):
        if self._script is not None:
            attrs, body = self.scripts[-1]
            self.scripts[-1] = (attrs, body + data)
        else:
            self.text.append(data)


MATERIAL_INLINE = ("__md_scope=new URL(", "var target=document.getElementById(location.hash.slice(1))")


def _allowed_script(attrs: dict, body: str) -> bool:
    """Material's bundle, its two inline scripts and its configuration, the schema.org JSON-LD, and the
    site's own finder (docs/assets/cari.js)."""
    src = attrs.get("src") or ""
    if not attrs and body.strip().startswith(MATERIAL_INLINE) and "alert(" not in body:
        return True
    if re.fullmatch(r"(\.\./)*(/[\w.-]+)*/?assets/javascripts/bundle\.[0-9a-f]+\.min\.js", src) and not body.strip():
        return True
    if re.fullmatch(r"(\.\./)*(/[\w.-]+)*/?assets/cari\.js", src) and not body.strip():  # our kelurahan finder
        return True
    if attrs.get("id") == "__config" and attrs.get("type") == "application/json":
        json.loads(body)
        return True
    if attrs.get("type") == "application/ld+json" and not src:
        json.loads(body)
        return "</" not in body
    return False


def check_site(site: Path) -> dict[str, str]:
    """Every page of the built site free of injected markup; returns {page: its visible text}."""
    texts = {}
    problems = []
    for page in sorted(site.rglob("*.html")):
        name = str(page.relative_to(site))
        raw = page.read_text(encoding="utf-8")
        parsed = _Page()
        parsed.feed(raw)
        problems += [f"{name}: script {attrs}" for attrs, body in parsed.scripts if not _allowed_script(attrs, body)]
        problems += [
            f"{name}: link {link}"
            for link in parsed.links
            if link.strip().lower().startswith(("javascript:", "data:text", "vbscript:"))
            or "evil.example" in link
            or link.endswith("=")
            and link.startswith("on")
        ]
        for rendered in (
            "<strong>bold</strong>",
            "<em>bold</em>",
            "<b>bold</b>",
            "<em>it</em>",
            "ZQ49QZ",
            "RWWR",
            "<img src=x",
            "<code>tick</code>",
        ):
            if rendered in raw:
                problems.append(f"{name}: rendered {rendered!r}")
        texts[name] = " ".join(" ".join(parsed.text).split())
    for path in sorted(site.rglob("*")):
        if path.suffix in (".svg", ".xml", ".json", ".csv", ".txt", ".jsonld", ".ttl") and path.is_file():
            body = path.read_text(encoding="utf-8", errors="replace")
            if path.suffix == ".svg":  # parsed: text that reads like markup is fine, elements are not
                for element in ElementTree.fromstring(body).iter():
                    tag = element.tag.rsplit("}", 1)[-1]
                    if tag in ("script", "foreignObject", "image", "a", "img", "iframe") or any(
                        key.rsplit("}", 1)[-1].startswith("on") for key in element.attrib
                    ):
                        problems.append(f"{path.relative_to(site)}: <{tag}> in an SVG")
            if "ZQ49QZ" in body or "RWWR" in body:
                problems.append(f"{path.relative_to(site)}: Jinja ran")
            if path.suffix == ".csv" and re.search(r'(^|,)"?=HYPERLINK', body, re.M):
                problems.append(f"{path.relative_to(site)}: a formula cell")
    for index in site.rglob("search_index.json"):  # Material renders this as HTML in the results
        body = index.read_text(encoding="utf-8")
        if "<script>alert" in body or "<img src=x" in body:
            problems.append(f"{index.relative_to(site)}: markup in the search index")
    assert problems == []
    return texts


# ------------------------------------------------------------------ end to end, from exports


def _hostile_exports(folder: Path) -> dict[str, Path]:
    register = synthetic.generate(reference.load(), seed=11, ods_rows=1200)
    ods, oss = register.ods.copy(), register.oss.copy()
    rows = ods.index[::9]
    ods.loc[rows, "kelurahan"] = "Batu Ampar " + HOSTILE  # a kelurahan spelling nobody can match
    ods.loc[ods.index[1::9], "kelurahan"] = SCRIPT
    for column in ("bidang_usaha", "produk_utama", "alamat", "marketplace", "status_badan_usaha"):
        ods.loc[rows, column] = HOSTILE
    ods.loc[rows, "nama_usaha"] = ods.loc[rows, "nama_usaha"] + " " + HOSTILE
    ods.loc[ods.index[2::9], "sentra"] = "Sentra " + HOSTILE
    ods.loc[ods.index[3::9], "bidang_usaha"] = FORMULA
    ods["Catatan staf " + SCRIPT] = HOSTILE  # a column the header mapping does not know
    oss.loc[oss.index[::7], "alamat"] = HOSTILE
    oss.loc[oss.index[::11], "jenis_pelaku_usaha"] = HOSTILE
    folder.mkdir(parents=True, exist_ok=True)
    ods.to_csv(folder / "ods.csv", index=False)
    oss.to_csv(folder / "oss.csv", index=False)
    return {"ods": folder / "ods.csv", "oss": folder / "oss.csv"}


def test_hostile_exports_reach_the_site_only_as_text(tmp_path, monkeypatch):
    exports = _hostile_exports(tmp_path / "exports")
    out = tmp_path / "out"
    monkeypatch.setenv("UMKM_PSEUDONYM_KEY", KEY)
    code = cli.main(["--ods", str(exports["ods"]), "--oss", str(exports["oss"]), "--out", str(out), "--quiet"])
    assert code == 0
    site = out / paths.SITE
    texts = check_site(site)
    assert len(texts) > 100
    # Nothing of the free text is published: not as text either (the kelurahan became "unknown").
    for name, text in texts.items():
        assert "alert(1)" not in text and "evil.example" not in text, name
    assert "tidak diketahui" in texts["statistik/kelurahan.html"]


# ------------------------------------------------------------------ the site stage, given hostile values


def _hostile_site_input():
    si = site_input(False)
    tables = dict(si.tables)
    tables["menurut_sentra"] = _table(("sentra",), [("somber", 61), (HOSTILE, 7), ("bukan_sentra", 10250)])
    tables["menurut_kecamatan"] = pd.concat(
        [tables["menurut_kecamatan"], _table(("kecamatan_kode",), [(HOSTILE, 9)])], ignore_index=True
    )
    tables["menurut_jenis_kelamin_umur"] = pd.concat(
        [
            tables["menurut_jenis_kelamin_umur"],
            _table(("jenis_kelamin", "kelompok_umur"), [(HOSTILE, "<25", 8), ("L", HOSTILE, None)]),
        ],
        ignore_index=True,
    )
    tables["menurut_pelatihan"] = _table(("pelatihan",), [("ya", 2100), (HOSTILE, 8200)])
    magnitude = _table(("kecamatan_kode",), [("64.71.01", 123_400_000), (HOSTILE, 5_000_000), ("", None)])
    magnitude = magnitude.rename(columns={"jumlah_pelaku": "jumlah_omzet_rupiah"})
    ref = si.reference
    sentra = ref.sentra.copy()
    sentra.loc[0, ["catatan", "alamat", "fokus_produk", "nama_lain"]] = HOSTILE
    sentra.loc[0, "sumber"] = f"javascript:alert(3) ; {HOSTILE} ; https://example.org/ok"
    sentra.loc[1, "sentra"] = "Sentra Industri Kecil " + HOSTILE + " Teritip"
    kecamatan = ref.kecamatan.copy()
    kecamatan.loc[kecamatan["kode_kemendagri"] == "64.71.02", "nama"] = "Balikpapan Barat " + SCRIPT
    ref = dataclasses.replace(ref, sentra=sentra, kecamatan=kecamatan)
    packages = json.loads(json.dumps(si.packages))
    stats = next(p for p in packages if p["name"] == "umkm-statistik")
    stats["title"] = stats["title_en"] = "Statistik " + HOSTILE
    stats["description"] = stats["description_en"] = HOSTILE
    stats["licenses"].append({"name": "x", "title": HOSTILE, "path": "javascript:alert(4)"})
    stats["sources"].append({"title": HOSTILE, "path": "javascript:alert(5)"})
    stats["keywords"] = [HOSTILE]
    stats["resources"][0]["title"] = HOSTILE
    stats["resources"][0]["description"] = HOSTILE
    stats["resources"][0]["schema"]["fields"][0]["description"] = HOSTILE
    stats["resources"][0]["schema"]["fields"][0]["unit"] = HOSTILE
    stats["resources"][0]["schema"]["fields"][0]["constraints"] = {"enum": [HOSTILE, FORMULA]}
    stats["resources"][0]["formats"] = {"csv": "menurut_kecamatan.csv", HOSTILE: "x.csv"}
    preview = si.previews["umkm-mikrodata/pelaku_umkm"].copy()
    preview.iloc[1, :] = HOSTILE
    preview.iloc[2, 0] = FORMULA
    quality = si.quality.copy()
    quality.loc[0, ["label_id", "label_en", "metrik"]] = HOSTILE
    return dataclasses.replace(
        si,
        tables=tables,
        reference=ref,
        packages=packages,
        quality=quality,
        previews={**si.previews, "umkm-mikrodata/pelaku_umkm": preview},
        magnitude={"omzet_menurut_kecamatan": magnitude},
    )


def _renamed_in_nav(nav, old: str, new: str):
    """The menu with the page ``old`` named ``new``, as a maintainer renaming a kecamatan updates mkdocs.yml
    (a generated page outside the menu fails the strict build)."""
    if isinstance(nav, list):
        return [_renamed_in_nav(item, old, new) for item in nav]
    if isinstance(nav, dict):
        return {title: _renamed_in_nav(target, old, new) for title, target in nav.items()}
    return new if nav == old else nav


def test_hostile_values_given_to_the_site_stage_show_as_text(tmp_path, monkeypatch):
    si = _hostile_site_input()
    with_pages = site_mkdocs.nav_with_pages
    monkeypatch.setattr(
        site_mkdocs,
        "nav_with_pages",
        lambda nav, docs: with_pages(
            _renamed_in_nav(nav, "wilayah/balikpapan-barat.md", "wilayah/balikpapan-barat-script-alert-1-script.md"),
            docs,
        ),
    )
    files = build_pages(si)
    for path, content in files.items():  # charts and CSV files of the stage itself
        if path.endswith(".svg"):
            assert "<script" not in content and "<img" not in content, path
        if path.endswith(".csv"):
            assert not re.search(r'(^|,)"?=HYPERLINK', content, re.M), path
    docs = _docs_with_downloads(tmp_path, files, si)
    mkdocs_build(paths.MKDOCS_CONFIG, docs, tmp_path / "site", synthetic=False)
    site = tmp_path / "site"
    texts = check_site(site)

    def shows(page: str, payload: str = SCRIPT) -> bool:
        return payload in texts[page]

    # the values are published, as the text they are
    assert shows("statistik/kecamatan.html") and shows("statistik/pelatihan.html")
    assert shows("statistik/pemilik.html") and shows("en/statistik/pemilik.html")
    assert shows("statistik/kecamatan.html", "ZQ{{ 7*7 }}QZ") and shows("statistik/kecamatan.html", "RW{% raw %}WR")
    assert shows("statistik/kecamatan.html", "**bold**") and shows("statistik/kecamatan.html", "[x](http://evil")
    assert "Omzet, modal dan tenaga kerja" in texts["statistik/kecamatan.html"]  # the magnitude table, escaped
    assert shows("wilayah/balikpapan-barat-script-alert-1-script.html")
    sentra_pages = [name for name in texts if name.startswith("sentra/") and "teritip" in name]
    assert sentra_pages and shows(sentra_pages[0])
    assert shows("sentra/somber.html") and shows("sentra/somber.html", "javascript:alert(3)")  # as text, not a link
    assert shows("data/umkm-statistik.html") and shows("data/umkm-mikrodata.html") and shows("data/kualitas.html")
    assert shows("data/index.html") and shows("en/data/index.html")
    # The schema.org JSON-LD carries the hostile title as data, escaped for the script element.
    page = (site / "data" / "umkm-statistik.html").read_text(encoding="utf-8")
    body = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1)
    assert "\\u003cscript\\u003e" in body and "<" not in body
    assert json.loads(body)["name"] == "Statistik " + HOSTILE
    # the home page's SVG-free summary and the menu are untouched
    assert "ZQ49QZ" not in texts["index.html"]
