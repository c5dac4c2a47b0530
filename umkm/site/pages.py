"""Release, count tables, package descriptors and reference in; the site's pages, SVG charts and CSV files out.

``build_pages`` is pure: it returns {path relative to the docs folder: content} for
both languages (Bahasa Indonesia at the root, English under ``en/``); build_data.py
writes the files (and the catalogue's ``unduh/`` downloads) and calls ``mkdocs_build``.

Every value that comes from data (codes, names, descriptions, table cells) is
escaped by ``esc`` for HTML, Markdown and Jinja at once, or by the template
environment, which escapes every ``{{ }}`` that is not already ``Markup``.
Suppressed cells are shown as suppressed, never as 0 (see methodology page).
"""

from __future__ import annotations

import csv
import datetime
import html
import io
import json
import logging
import os
import posixpath
import re
import shutil
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from umkm.disclose import tables as table_specs
from umkm.disclose.tables import CELL_STATUS, COUNT, SUPPRESSED, TABLES_BY_NAME, TableSpec
from umkm.reference import Reference
from umkm.vocabulary import LICENCE, PUBLISHER_SHORT, YES_NO_DIMENSIONS, YES_NO_LABELS, labels
from umkm.xlsx import safe_text

TEMPLATES = Path(__file__).resolve().parent / "templates"
# The city-wide tables read from every earlier release (build_data.read_published_history) for the home page.
HISTORY_TABLES = ("menurut_kecamatan", "menurut_kbli_kategori", "pemasaran_online_keaktifan", "menurut_bantuan_modal",
                  "menurut_pelatihan")
LANGS = ("id", "en")
PUBLISHER = PUBLISHER_SHORT  # unless a package names its publisher (contributors)


@dataclass(frozen=True)
class Release:
    version: str  # e.g. "2026.10.31" (date-based)
    snapshot_date: datetime.date
    is_demo: bool  # synthetic demo register -> banner on every page
    previous_version: str | None


@dataclass(frozen=True)
class SiteInput:
    release: Release
    tables: dict[str, pd.DataFrame]  # count tables of umkm/disclose/tables.py
    packages: list[dict]  # datapackage.json descriptors (Frictionless v2)
    previews: dict[str, pd.DataFrame]  # "package/resource" -> first rows
    quality: pd.DataFrame  # metrik, label_id, label_en, nilai
    reference: Reference
    # Sums of turnover, capital and workers (tables.MAGNITUDE_TABLES, by name), shown on the statistics
    # page of the same dimension; a magnitude table found in ``tables`` is used as well.
    magnitude: dict[str, pd.DataFrame] = field(default_factory=dict)
    # Where the site is published (absolute, ends in /): the schema.org Dataset of each data page
    # names its files by it. None: UMKM_SITE_URL, else the catalogue's default (site_address()).
    base_url: str | None = None
    # Bytes of every download of this release, by docs path (unduh/<version>/...; umkm.catalogue.Catalogue.sizes):
    # the data pages show each file's size.
    download_sizes: dict[str, int] = field(default_factory=dict)
    # The published releases, oldest first (releases.json entries, this release last), and for each
    # version the city-wide count tables it published (umkm-statistik CSVs of unduh/<version>/, by name):
    # the home page's trend and "what changed since the previous release".
    releases: list[dict] = field(default_factory=list)
    history: dict[str, dict[str, pd.DataFrame]] = field(default_factory=dict)
    # Images (charts as PNG, Open Graph cards): rendered when True (umkm/site/images.py needs resvg and a font);
    # a folder keeps the PNG of each SVG between builds.
    png: bool = True
    png_cache: Path | None = None


# ------------------------------------------------------------------ escaping

_ESCAPES = {ord(c): f"&#{ord(c)};" for c in "\\`*_{}[]|~^=#!'"}
_ESCAPES.update({ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;", ord('"'): "&quot;"})


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")  # Unicode category Cc


def esc(value: object) -> Markup:
    """Text from data -> safe in HTML, Markdown and Jinja alike (one line, entities only)."""
    text = " ".join(str(value).split())  # a blank line would end a raw HTML block
    return Markup(_CONTROL.sub("", text).translate(_ESCAPES))


def _safe_url(url: str) -> str | None:
    url = url.strip()
    return url if re.fullmatch(r"https?://[^\s<>\"'`{}]+", url) else None


def _csv_cell(value: object) -> object:
    return safe_text(value)  # the packages' formula guard (umkm/xlsx.py)


def _csv(header: list[str], rows: list[list[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([[_csv_cell(v) for v in row] for row in rows])
    return out.getvalue()


# ------------------------------------------------------------------ labels

KBLI_EN = {  # ISIC Rev. 4 section titles: KBLI 2020 kategori A-U follow ISIC Rev. 4 sections.
    "A": "Agriculture, forestry and fishing", "B": "Mining and quarrying", "C": "Manufacturing",
    "D": "Electricity, gas, steam and air conditioning supply",
    "E": "Water supply; sewerage, waste management and remediation activities", "F": "Construction",
    "G": "Wholesale and retail trade; repair of motor vehicles and motorcycles",
    "H": "Transportation and storage", "I": "Accommodation and food service activities",
    "J": "Information and communication", "K": "Financial and insurance activities",
    "L": "Real estate activities", "M": "Professional, scientific and technical activities",
    "N": "Administrative and support service activities",
    "O": "Public administration and defence; compulsory social security", "P": "Education",
    "Q": "Human health and social work activities", "R": "Arts, entertainment and recreation",
    "S": "Other service activities",
    "T": "Activities of households as employers; undifferentiated goods- and services-producing "
         "activities of households for own use",
    "U": "Activities of extraterritorial organizations and bodies",
}
YES_NO = {value: (label, label_en) for value, label, label_en in YES_NO_LABELS}
FIXED_LABELS = {  # the vocabulary's value labels (a sentra's own name comes from the reference list)
    "skala_usaha": labels("skala_usaha"),
    "jenis_kelamin": labels("jenis_kelamin"),
    "kelompok_umur": {},
    "sentra": {"bukan_sentra": labels("sentra")["bukan_sentra"]},
    **{dim: YES_NO for dim in YES_NO_DIMENSIONS},
}
AGE_ORDER = ("<25", "25-34", "35-44", "45-54", "55-64", "65+")
# (column header id, en; CSV column name in English)
DIMENSIONS = {
    "kecamatan_kode": ("Kecamatan", "Kecamatan (district)", "kecamatan_code"),
    "kelurahan_kode": ("Kelurahan", "Kelurahan (urban village)", "kelurahan_code"),
    "kbli_kategori": ("Kategori KBLI 2020", "KBLI 2020 category", "kbli_category"),
    "skala_usaha": ("Skala usaha", "Size class", "size_class"),
    "jenis_kelamin": ("Jenis kelamin pemilik", "Owner's sex", "owner_sex"),
    "kelompok_umur": ("Kelompok umur pemilik", "Owner's age band", "owner_age_band"),
    "pemasaran_online": ("Pemasaran online", "Sells online", "sells_online"),
    "masih_aktif": ("Masih aktif", "Still active", "active"),
    "pelatihan": ("Pernah ikut pelatihan", "Attended training", "training"),
    "bantuan_modal": ("Menerima bantuan modal", "Received capital grant", "capital_grant"),
    "sentra": ("Sentra", "Sentra", "sentra"),
    "punya_nib": ("Memiliki NIB", "Holds an NIB", "has_nib"),
}


def lower_first(text: str) -> str:
    """A title inside a sentence: "Kategori KBLI 2020" -> "kategori KBLI 2020"; acronyms (UMKM, NIB) stay."""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def slugify(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def sentra_slug(name: str) -> str:
    """'Sentra Industri Kecil Somber' -> 'somber' (the code the sentra column uses)."""
    return slugify(name.split()[-1])


# ------------------------------------------------------------------ table access


@dataclass(frozen=True)
class Cell:
    codes: tuple[str, ...]
    count: int | None  # None: suppressed


def table_cells(table: pd.DataFrame, dims: tuple[str, ...], value: str = COUNT) -> list[Cell]:
    """Rows of a count (or magnitude) table; a suppressed cell (or a missing value) is None, never 0."""
    cells = []
    for row in table.to_dict("records"):
        codes = tuple("" if pd.isna(row.get(d)) else str(row.get(d)) for d in dims)
        count = row.get(value)
        hidden = (str(row.get(CELL_STATUS, "") or "") == SUPPRESSED or count is None or pd.isna(count)
                  or str(count).strip() == "")  # a table read as text: "" where suppressed
        cells.append(Cell(codes, None if hidden else int(count)))
    return cells


class Site:
    """Lookups and formatting for one language."""

    def __init__(self, si: SiteInput, lang: str):
        self.si, self.lang, self.ref = si, lang, si.reference
        self.kecamatan = {r["kode_kemendagri"]: r for r in si.reference.kecamatan.to_dict("records")}
        self.kelurahan = {r["kode_kemendagri"]: r for r in si.reference.kelurahan.to_dict("records")}
        self.kbli = {r["kategori"]: r["judul"] for r in si.reference.kbli_kategori.to_dict("records")}
        self.sentra = {sentra_slug(r["sentra"]): r for r in si.reference.sentra.to_dict("records")}
        self.packages = {p["name"]: p for p in si.packages}
        magnitude_specs = {spec.name: spec for spec in getattr(table_specs, "MAGNITUDE_TABLES", ())}
        self.magnitude = {name: (magnitude_specs[name], frame)
                          for name, frame in {**si.tables, **(getattr(si, "magnitude", None) or {})}.items()
                          if name in magnitude_specs}
        stamp = pd.Timestamp(si.release.snapshot_date)  # a date, or the pandas Timestamp package.Release holds
        self.snapshot, self.year = stamp.strftime("%Y-%m-%d"), stamp.year
        self.previous_version = getattr(si.release, "previous_version", None)
        self.publisher = next((c["title"] for p in si.packages for c in p.get("contributors", [])
                               if "publisher" in c.get("roles", []) and c.get("title")), PUBLISHER)
        self._known = {
            "kecamatan_kode": sorted(self.kecamatan), "kelurahan_kode": sorted(self.kelurahan),
            "kbli_kategori": sorted(self.kbli), "kelompok_umur": list(AGE_ORDER),
            "sentra": sorted(self.sentra) + ["bukan_sentra"],
            **{dim: list(labels) for dim, labels in FIXED_LABELS.items() if labels},
        }

    def t(self, id_text: str, en_text: str) -> str:
        return id_text if self.lang == "id" else en_text

    # numbers
    def num(self, n: int | None) -> str:
        if n is None:
            return self.suppressed_word
        text = f"{n:,}"
        return text.replace(",", ".") if self.lang == "id" else text

    def dec(self, value: object, digits: int = 1) -> str:
        """A decimal from text or number, in the page's notation (138,3 / 138.3); text kept if not a number."""
        try:
            text = f"{float(str(value)):,.{digits}f}"
        except ValueError:
            return str(value)
        return text.translate(str.maketrans(",.", ".,")) if self.lang == "id" else text

    def pct(self, part: float, whole: float) -> str:
        text = f"{100 * part / whole:.1f}" if whole else "0.0"
        return (text.replace(".", ",") if self.lang == "id" else text) + "%"

    def percent(self, value: float, digits: int = 1) -> str:
        """A percentage already computed: 84.0 -> "84,0%" / "84.0%"."""
        return self.dec(value, digits) + "%"

    def rate(self, rate) -> str:
        """A site_rates.Rate as text: "49,8%", "≈ 42%" over a small base, or why there is no number."""
        if rate.base is None or rate.part is None:
            return self.suppressed_word
        if not rate.recorded:
            return self.t("tidak tercatat", "not recorded")
        if rate.value is None:
            return self.t("terlalu sedikit pelaku", "too few actors")
        return ("≈ " + self.percent(rate.value, 0)) if rate.uncertain else self.percent(rate.value)

    def frame(self, title: str):
        """What a chart image says about itself: title, source, release, licence, address, synthetic mark."""
        from umkm.site.charts import Frame

        release = self.si.release
        address = re.sub(r"^https?://", "", site_address(self.si.base_url)).rstrip("/")
        return Frame(
            title=title,
            source=self.t(f"Sumber: {self.publisher}, register UMKM (ekspor ODS dan OSS), diolah.",
                          f"Source: {self.publisher}, UMKM register (ODS and OSS exports), processed."),
            release=self.t(f"Rilis {release.version}, data per {self.snapshot}. Lisensi CC BY 4.0. {address}",
                           f"Release {release.version}, data as of {self.snapshot}. Licence CC BY 4.0. {address}"),
            mark=self.t("DATA SINTETIS: bukan data nyata", "SYNTHETIC DATA: not real") if release.is_demo else "")

    def page_url(self, page: str) -> str:
        """The absolute address of a docs path of this language (a page's .md becomes .html)."""
        if page.endswith(".md"):
            page = page[:-3] + ".html"
        return site_address(self.si.base_url) + ("" if self.lang == "id" else "en/") + page

    @property
    def suppressed_word(self) -> str:
        return self.t("disembunyikan", "suppressed")

    @property
    def unknown_word(self) -> str:
        return self.t("tidak diketahui", "unknown")

    # codes -> names
    def label(self, dim: str, code: str) -> str:
        if code == "":
            return self.unknown_word
        if dim == "kecamatan_kode" and code in self.kecamatan:
            return self.kecamatan[code]["nama"]
        if dim == "kelurahan_kode" and code in self.kelurahan:
            return self.kelurahan[code]["nama"]
        if dim == "kbli_kategori" and code in self.kbli:
            return f"{code} {self.kbli[code] if self.lang == 'id' else KBLI_EN.get(code, self.kbli[code])}"
        if dim == "sentra" and code in self.sentra:
            return self.sentra[code]["sentra"]
        pair = FIXED_LABELS.get(dim, {}).get(code)
        return pair[0 if self.lang == "id" else 1] if pair else code

    def order(self, dim: str, code: str) -> tuple:
        """Sort key: known codes in their natural order, then unexpected codes, then unknown ("")."""
        known = self._known.get(dim, [])
        if code == "":
            return (2, "")
        return (0, known.index(code), "") if code in known else (1, 0, code)

    def header(self, dim: str) -> str:
        id_text, en_text, _ = DIMENSIONS.get(dim, (dim, dim, dim))
        return self.t(id_text, en_text)

    def header_lower(self, dim: str) -> str:
        return lower_first(self.header(dim))

    def csv_name(self, dim: str) -> str:
        return dim if self.lang == "id" else DIMENSIONS.get(dim, (dim, dim, dim))[2]

    def csv_label_name(self, dim: str) -> str:
        """Column of the names beside the codes: kecamatan_kode -> kecamatan_nama / kecamatan_name."""
        code = self.csv_name(dim)
        return code.removesuffix(self.t("_kode", "_code")) + self.t("_nama", "_name")

    def table_title(self, spec: TableSpec) -> str:
        return self.t(spec.title_id, spec.title_en)

    def cells(self, name: str) -> list[Cell] | None:
        spec = TABLES_BY_NAME.get(name)
        table = self.si.tables.get(name)
        if spec is None or table is None:
            return None
        return sorted(table_cells(table, spec.dimensions),
                      key=lambda c: tuple(self.order(d, v) for d, v in zip(spec.dimensions, c.codes)))

    def magnitude_cells(self, name: str) -> list[Cell] | None:
        """Cells of a magnitude table (value: the sum, None where suppressed), in the dimension's order."""
        if name not in self.magnitude:
            return None
        spec, table = self.magnitude[name]
        return sorted(table_cells(table, spec.dimensions, spec.value),
                      key=lambda c: tuple(self.order(d, v) for d, v in zip(spec.dimensions, c.codes)))

    def kecamatan_slug(self, code: str) -> str:
        return slugify(self.kecamatan[code]["nama"])

    def kecamatan_page(self, code: str) -> str:
        return f"wilayah/{self.kecamatan_slug(code)}.md"

    def kelurahan_page(self, code: str) -> str:
        row = self.kelurahan[code]
        return f"wilayah/{self.kecamatan_slug(row['kode_kecamatan'])}/{slugify(row['nama'])}.md"

    # links (use_directory_urls: false, so a page foo/bar.md is served as foo/bar.html)
    def href(self, page: str, target: str, *, shared: bool = False) -> str:
        """Relative link from ``page`` to ``target`` (docs paths of this language).

        ``shared``: the target lives once at the root of the Indonesian site (the
        downloads in unduh/), so the English site, built to en/, goes one level up.
        """
        if target.endswith(".md"):
            target = target[:-3] + ".html"
        rel = posixpath.relpath(target, posixpath.dirname(page) or ".")
        return ("../" + rel) if shared and self.lang == "en" else rel

    def citation(self, package: str | None = "umkm-statistik") -> str:
        """How to cite what a page shows: the package version it comes from (the statistics by default), or
        with ``package=None`` the whole release; umkm.package.citation's one text, with the version's fixed URL."""
        from umkm.package import citation

        descriptor = self.packages.get(package) if package else None
        if descriptor is not None:
            cite = citation.of(descriptor, site_address(self.si.base_url))
        else:
            cite = citation.of_release(self.si.release.version, self.snapshot, bool(self.si.release.is_demo),
                                       site_address(self.si.base_url), self.publisher)
        return citation.text(cite, self.lang)


# ------------------------------------------------------------------ HTML pieces


def html_table(caption: str, headers: list[str], rows: list[list[object]], *, numeric: set[int] = frozenset(),
               row_header: bool = True, css: str = "", column_group: str | None = None,
               stack: bool = False) -> Markup:
    """A data table with scoped headers; cells are escaped unless they are Markup.

    ``column_group``: a header row above the columns after the first (the second dimension of a cross table).
    ``stack``: on a phone each row becomes a block, each cell under its column's name (docs/assets/site.css),
    for tables of long text (the catalogue, a data dictionary) that no width makes readable side by side.
    """
    if stack:
        css = (css + " umkm-susun").strip()
    def cell(v: object) -> Markup:
        return v if isinstance(v, Markup) else esc(v)

    out = [f'<table class="umkm-data{(" " + css) if css else ""}"><caption>{esc(caption)}</caption><thead>']
    if column_group:
        out.append(f'<tr><td></td><th scope="colgroup" colspan="{len(headers) - 1}">{esc(column_group)}</th></tr>')
    out.append("<tr>")
    num_cls = ' class="angka"'
    out += [f'<th scope="col"{num_cls if i in numeric else ""}>{esc(h)}</th>' for i, h in enumerate(headers)]
    out.append("</tr></thead><tbody>")
    for row in rows:
        out.append("<tr>")
        for i, v in enumerate(row):
            cls = ' class="angka"' if i in numeric else ""
            label = f' data-label="{esc(headers[i])}"' if stack and i < len(headers) else ""
            if i == 0 and row_header:
                out.append(f'<th scope="row"{cls}{label}>{cell(v)}</th>')
            else:
                out.append(f"<td{cls}{label}>{cell(v)}</td>")
        out.append("</tr>")
    out.append("</tbody></table>")
    return Markup("".join(out))


def count_cell(site: Site, n: int | None) -> Markup:
    if n is None:
        return Markup(f'<span class="umkm-disembunyikan">{esc(site.suppressed_word)}</span>')
    return esc(site.num(n))


def link(href: str, text: object, css: str = "") -> Markup:
    cls = f' class="{css}"' if css else ""
    return Markup(f'<a href="{html.escape(href, quote=True)}"{cls}>{esc(text)}</a>')


@dataclass(frozen=True)
class Figure:
    """A chart with its table, summary, notes and downloads, ready for a page."""

    html: Markup
    summary: str
    files: dict[str, str]  # docs path (this language) -> content


def svg_size(svg: str) -> tuple[str, str]:
    match = re.search(r'width="([\d.]+)" height="([\d.]+)"', svg)
    return (match.group(1), match.group(2)) if match else ("640", "400")


# ------------------------------------------------------------------ summaries


def summary_1d(site: Site, items: list[tuple[str, int | None]], what: str, unknown: int | None = 0) -> str:
    """Largest and smallest published category in words. ``items`` are the known categories only: the
    unknown ones ("tidak diketahui", ``unknown`` actors) are reported after them, never ranked."""
    published = [(label, n) for label, n in items if n is not None]
    hidden = len(items) - len(published)
    if not items and not unknown:
        return site.t("Tidak ada pelaku tercatat.", "No actor recorded.")
    if not published:
        return site.t(f"Semua {len(items)} sel {what} disembunyikan.",
                      f"All {len(items)} cells of {what} are suppressed.")
    total = sum(n for _, n in published)
    top_label, top = max(published, key=lambda item: item[1])  # first of equals: max is stable
    parts = [site.t(
        f"Jumlah terbanyak: {top_label}, {site.num(top)} pelaku ({site.pct(top, total)} dari {site.num(total)} "
        f"pelaku yang kategorinya tercatat).",
        f"Largest: {top_label}, {site.num(top)} actors ({site.pct(top, total)} of {site.num(total)} actors "
        f"whose category is recorded).")]
    if len(published) > 1:
        low_label, low = min(published, key=lambda item: item[1])
        parts.append(site.t(f"Terkecil: {low_label}, {site.num(low)}.", f"Smallest: {low_label}, {site.num(low)}."))
    if unknown:
        parts.append(site.t(f"Tidak diketahui (tidak tercatat di register): {site.num(unknown)} pelaku.",
                            f"Unknown (not recorded in the register): {site.num(unknown)} actors."))
    elif unknown is None:
        parts.append(site.t("Jumlah yang tidak diketahui disembunyikan.", "The number of unknowns is suppressed."))
    if hidden:
        parts.append(site.t(f"{hidden} sel disembunyikan untuk melindungi kerahasiaan.",
                            f"{hidden} cell(s) suppressed to protect confidentiality."))
    return " ".join(parts)


def suppression_note(site: Site) -> str:
    return site.t(
        "Disembunyikan: sel berisi 1 sampai 4 pelaku (dan sel lain yang dapat membukanya kembali) tidak "
        "dipublikasikan; garis arsir pada grafik menandai sel itu, bukan angka nol.",
        "Suppressed: cells of 1 to 4 actors (and any cell that would reveal them) are not published; the hatched "
        "mark in the chart flags such a cell, it is not a zero.")


def protection_note(site: Site, page: str) -> Markup:
    """The plain sentence, near the figures, that small numbers are adjusted to protect people (with the link)."""
    return Markup(
        f'<p class="umkm-perlindungan">{esc(site.t(PROTECTION[0], PROTECTION[1]))} '
        f'<a href="{html.escape(site.href(page, "metodologi.md"), quote=True)}">'
        f'{esc(site.t("Cara angka dilindungi", "How the numbers are protected"))}</a>.</p>')


PROTECTION = (
    "Untuk melindungi pelaku usaha, angka kecil disamarkan sedikit, sehingga jumlah bagian bisa sedikit berbeda "
    "dari totalnya, dan persentase dari sedikit pelaku hanya perkiraan.",
    "To protect the businesses, small numbers are slightly adjusted, so parts may not add up exactly to their "
    "total, and a percentage of a few actors is only an estimate.")


def render_template(template_name: str, /, **context) -> str:
    return _environment().get_template(template_name).render(**context)


_ENV: list[Environment] = []


def _environment(template_cache: Path | None = None) -> Environment:
    if not _ENV:
        env = Environment(
            loader=FileSystemLoader(str(TEMPLATES)), autoescape=True, undefined=StrictUndefined,
            finalize=lambda v: v if isinstance(v, Markup) else esc("" if v is None else v),
            keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True,
        )
        env.filters["e"] = esc
        env.filters["json_title"] = lambda v: Markup(json.dumps(str(esc(v)), ensure_ascii=False))
        env.globals["licence"] = LICENCE  # umkm/vocabulary.py
        _ENV.append(env)
    if template_cache is not None and _ENV[0].bytecode_cache is None:
        _ENV[0].bytecode_cache = _bytecode_cache(template_cache)
    return _ENV[0]


def _bytecode_cache(folder: Path):
    """Compiled Jinja templates kept in ``folder`` between builds (each checked against its source)."""
    from jinja2 import FileSystemBytecodeCache

    Path(folder).mkdir(parents=True, exist_ok=True)
    return FileSystemBytecodeCache(str(folder))


# ------------------------------------------------------------------ entry points


def build_pages(site_input: SiteInput, *, template_cache: Path | None = None,
                langs: tuple[str, ...] = LANGS) -> dict[str, str | bytes]:
    """All generated pages, charts and CSV files of both languages (or of ``langs``), keyed by docs path.

    ``template_cache``: a folder that keeps the compiled page templates between builds (same pages).
    """
    from umkm.site import sections as site_sections  # the page builders, one function a page kind

    _environment(template_cache)
    files: dict[str, str | bytes] = {}
    for lang in langs:
        site = Site(site_input, lang)
        prefix = "" if lang == "id" else "en/"
        for path, content in site_sections.all_pages(site).items():
            files[prefix + path] = content
    return dict(sorted(render_images(files, site_input).items()))


def render_images(files: dict, site_input: SiteInput) -> dict[str, str | bytes]:
    """Every image a page builder asked for (site_sections.PngOf) rendered as PNG (or left out, with
    ``site_input.png`` False: the pages still link them, so only a test of the pages alone does that)."""
    from umkm.site import images
    from umkm.site.sections import PngOf

    out = {}
    for path, content in files.items():
        if isinstance(content, PngOf):
            if not site_input.png:
                continue
            if content.is_card:
                out[path] = images.render_card(content.svg, cache=site_input.png_cache)
            else:
                out[path] = images.render_png(content.svg, cache=site_input.png_cache)
        else:
            out[path] = content
    return out


def site_address(base_url: str | None = None) -> str:
    """Where the site is published (ends in /): ``base_url``, else UMKM_SITE_URL, else the catalogue's default."""
    from umkm.catalogue.config import Config

    if base_url:
        return base_url if base_url.endswith("/") else base_url + "/"
    return Config.from_env(os.environ).base_url


def mkdocs_build(config_file: Path, docs_dir: Path, site_dir: Path, *, synthetic: bool,
                 site_url: str | None = None, template_cache: Path | None = None,
                 english: "EnglishBuild | None" = None) -> None:
    """Build the Indonesian site into site_dir and the English one into site_dir/en (strict).

    The English configuration is the file beside ``config_file`` named <stem>.en.yml
    (INHERIT of the Indonesian one). Raises on any MkDocs warning or broken local link.
    ``site_url`` (default: ``site_address()``) gives the canonical links and the sitemap, and
    the absolute paths of 404.html, the one page a host serves at any address: it must name
    the folder the site is published under (e.g. /data-umkm/), or 404.html loses its styles.
    ``template_cache``: a folder that keeps the theme's compiled Jinja templates between builds
    (the output is the same with or without it; only the compiling is saved).
    ``english``: the English build already started by ``EnglishBuild`` (else it starts here).
    """
    config_file, docs_dir, site_dir = Path(config_file), Path(docs_dir), Path(site_dir)
    address = site_address(site_url)
    if english is None and english_config(config_file).exists():
        english = EnglishBuild(config_file, docs_dir, site_dir, synthetic=synthetic, site_url=address,
                               template_cache=template_cache)
    try:
        _build_language(config_file, docs_dir, site_dir, address, synthetic, template_cache)
    finally:
        if english is not None:
            english.wait()
    if english is not None:
        english.move_in()
    broken = broken_links(site_dir)
    if broken:
        raise SiteBuildError("broken local links in the built site:\n  " + "\n  ".join(broken[:50]))


def contact_email() -> str:
    """The address every page names for questions and data errors: UMKM_CONTACT_EMAIL, else the catalogue's."""
    from umkm.catalogue.config import Config

    return Config.from_env(os.environ).contact_email


def english_config(config_file: Path) -> Path:
    return Path(config_file).with_name(f"{Path(config_file).stem}.en{Path(config_file).suffix}")


class EnglishBuild:
    """The English MkDocs build (``before()`` first: e.g. writing the English pages), in a forked process.

    The two languages are independent builds: the English one runs beside the Indonesian one,
    into a folder of its own that ``move_in`` puts at site_dir/en (the Indonesian build empties
    site_dir). MkDocs is already imported in the forked process.
    """

    def __init__(self, config_file: Path, docs_dir: Path, site_dir: Path, *, synthetic: bool,
                 site_url: str | None = None, template_cache: Path | None = None, before=None):
        self.site_dir = Path(site_dir)
        self.en_site = self.site_dir.with_name(f".{self.site_dir.name}-en")
        shutil.rmtree(self.en_site, ignore_errors=True)
        self.error: str | None = None
        self.process = _Forked(self._run, before, english_config(config_file), Path(docs_dir) / "en",
                               self.en_site, site_address(site_url) + "en/", synthetic, template_cache)
        self.waited = False

    @staticmethod
    def _run(before, *arguments) -> None:
        if before is not None:
            before()
        _build_language(*arguments)

    def wait(self) -> None:
        if not self.waited:
            self.error, self.waited = self.process.wait(), True
            if self.error is not None:
                shutil.rmtree(self.en_site, ignore_errors=True)

    def move_in(self) -> None:
        self.wait()
        if self.error is not None:
            raise SiteBuildError(self.error)
        self.en_site.rename(self.site_dir / "en")


class _Forked:
    """``function(*arguments)`` in a forked child process; ``wait()`` gives None or its error, on one line."""

    def __init__(self, function, *arguments):
        import gc
        import multiprocessing

        context = multiprocessing.get_context("fork")
        self.receive, send = context.Pipe(duplex=False)
        self.process = context.Process(target=self._run, args=(send, function, arguments), daemon=True)
        # The child's garbage collector must not finalise the parent's objects: some (a DuckDB
        # connection, a thread pool) crash the child when freed without the threads they had.
        gc.freeze()
        try:
            self.process.start()
        finally:
            gc.unfreeze()
        send.close()

    @staticmethod
    def _run(send, function, arguments) -> None:
        try:
            function(*arguments)
        except OSError as error:  # a failure of the machine (full disk...): raised again in the parent as it was
            send.send(("OSError", error.errno, error.strerror, error.filename))
        except BaseException as error:  # noqa: BLE001 - every failure goes back to the parent as text
            send.send(" ".join(str(error).split()) or type(error).__name__)
        else:
            send.send(None)

    def wait(self) -> str | None:
        try:
            error, told = self.receive.recv(), True
        except EOFError:  # the child died without a word (killed, out of memory)
            error, told = None, False
        self.process.join()
        self.receive.close()
        if isinstance(error, tuple):
            raise OSError(*error[1:])
        if error is None and (not told or self.process.exitcode != 0):
            error = f"the forked build process ended without a result (exit {self.process.exitcode})"
        return error


def _build_language(config_file: Path, docs_dir: Path, site_dir: Path, site_url: str, synthetic: bool,
                    template_cache: Path | None = None) -> None:
    """One strict MkDocs build (one language), then the theme assets no page loads are pruned."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, BuildError, ConfigurationError

    warnings = _WarningLog()
    logging.getLogger("mkdocs").addHandler(warnings)
    try:
        config = load_config(config_file=str(config_file), docs_dir=str(docs_dir), site_dir=str(site_dir),
                             strict=True, site_url=site_url)
        config.extra["synthetic"] = bool(synthetic)
        config.extra["contact_email"] = contact_email()
        config["nav"] = nav_with_pages(config["nav"], docs_dir)
        if template_cache is not None:
            config.plugins["umkm-template-cache"] = _template_cache_plugin(template_cache)
        with _static_files_linked(docs_dir):
            build(config)
        prune_theme_assets(site_dir, _search_languages(config))
    except (Abort, ConfigurationError, BuildError) as error:  # Abort is a SystemExit: make it an error
        raise SiteBuildError(f"mkdocs build of {config_file.name} failed: {error}\n  "
                             + "\n  ".join(warnings.lines)) from error
    finally:
        logging.getLogger("mkdocs").removeHandler(warnings)


@contextmanager
def _static_files_linked(docs_dir: Path):
    """While MkDocs builds, a static file of ``docs_dir`` (a download, a chart, a CSV) is hard-linked
    into the site instead of copied: the same bytes without a new file (on some disks creating
    one costs many times more than a link). docs_dir is the build's own staging copy, never changed
    in place afterwards; the theme's files are still copied.
    """
    from mkdocs import utils

    copy_file = utils.copy_file
    root = os.path.realpath(docs_dir) + os.sep

    def link_file(source_path: str, output_path: str) -> None:
        if not os.path.realpath(source_path).startswith(root) or os.path.isdir(output_path):
            return copy_file(source_path, output_path)
        os.makedirs(os.path.dirname(output_path), exist_ok=True)
        try:
            os.link(source_path, output_path)
        except OSError:  # already there, or no hard links on this file system
            copy_file(source_path, output_path)

    utils.copy_file = link_file
    try:
        yield
    finally:
        utils.copy_file = copy_file


def _template_cache_plugin(folder: Path):
    """An MkDocs plugin that keeps the theme's compiled templates in ``folder`` (Jinja checks each
    against its source, so a changed template is compiled again)."""
    from mkdocs.plugins import BasePlugin

    class TemplateCache(BasePlugin):
        def on_env(self, env, config, files):
            env.bytecode_cache = _bytecode_cache(folder)
            return env

    return TemplateCache()


def nav_with_pages(nav, docs_dir: Path):
    """The menu without the entries whose Markdown page is not in docs_dir (and without sections left empty).

    Optional pages (the disclosure-risk package, the changelog) are named in the configuration once
    and shown when a build produces them; a nav entry without its page would fail the strict build.
    """
    if nav is None:
        return None
    kept = []
    for item in nav:
        if isinstance(item, dict):
            (title, target), = item.items()
            if isinstance(target, list):
                target = nav_with_pages(target, docs_dir)
                if target:
                    kept.append({title: target})
            elif not _missing_page(target, docs_dir):
                kept.append(item)
        elif not _missing_page(item, docs_dir):
            kept.append(item)
    return kept


def _missing_page(target: object, docs_dir: Path) -> bool:
    if not isinstance(target, str) or re.match(r"^[a-z][a-z0-9+.-]*:", target) or not target.endswith(".md"):
        return False  # an outside link or not a page: kept as written
    return not (Path(docs_dir) / target).is_file()


def _search_languages(config) -> list[str]:
    search = config.plugins.get("search") if hasattr(config.plugins, "get") else None
    langs = getattr(search, "config", {}).get("lang") if search is not None else None
    return list(langs) if isinstance(langs, (list, tuple)) else [langs or "en"]


def prune_theme_assets(site_dir: Path, search_languages: list[str]) -> list[Path]:
    """Delete what the theme copies but no page loads: source maps and other languages' search files.

    The browser fetches a .map file only while its developer tools are open, and the search
    worker loads lunr/min/lunr.<lang>.min.js (plus tinyseg.js or wordcut.js) only for the
    languages the search plugin names; the rest is about 2 MB a language site.
    """
    javascripts = Path(site_dir) / "assets" / "javascripts"
    removed = [p for p in (Path(site_dir) / "assets").rglob("*.map") if p.is_file()]
    langs = [lang for lang in search_languages if lang != "en"]
    keep = set()
    if langs:
        keep = {"min/lunr.stemmer.support.min.js", *(f"min/lunr.{lang}.min.js" for lang in langs)}
        keep |= {"min/lunr.multi.min.js"} if len(search_languages) > 1 else set()
        keep |= {"tinyseg.js"} if "ja" in langs else set()
        keep |= {"wordcut.js"} if {"hi", "th"} & set(langs) else set()
    lunr = javascripts / "lunr"
    if lunr.is_dir():
        removed += [p for p in lunr.rglob("*") if p.is_file() and p.relative_to(lunr).as_posix() not in keep]
    for path in removed:
        path.unlink()
    return removed


class SiteBuildError(RuntimeError):
    """The MkDocs build failed (a strict-mode warning, a configuration error) or left a broken link."""


class _WarningLog(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


_LINK = re.compile(r'\s(?:href|src)="([^"]*)"')


def broken_links(site_dir: Path) -> list[str]:
    """Relative href/src in the built HTML that point at no file (MkDocs does not check raw HTML)."""
    root = os.path.abspath(site_dir)
    files, folders = set(), set()
    for folder, _, names in os.walk(root):
        folders.add(folder)
        files.update(os.path.join(folder, name) for name in names)
    broken = []
    for page in sorted((p for p in files if p.endswith(".html")), key=lambda p: Path(p).parts):
        with open(page, encoding="utf-8") as stream:
            links = set(_LINK.findall(stream.read()))
        for raw in sorted(links):
            target = re.split(r"[#?]", html.unescape(raw), maxsplit=1)[0]
            if not target or re.match(r"^[a-z][a-z0-9+.-]*:", target) or target.startswith("/"):
                continue
            path = os.path.normpath(os.path.join(os.path.dirname(page), target))
            if target.endswith("/") or path in folders:
                path = os.path.join(path, "index.html")
            if path not in files:  # a missing file, or one above the root (that breaks under a sub-path)
                broken.append(f"{Path(page).relative_to(root).as_posix()} -> {target}")
    return broken
