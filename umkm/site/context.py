"""Release, count tables, package descriptors and reference in; ``Site``, one language's view of them, out.

A ``Site`` is what every page builder is given: code -> name lookups, column headers, number
and percentage formats, links between pages, the citation text and the chart frame, in
Bahasa Indonesia or English. Suppressed cells are shown as suppressed, never as 0 (see the
methodology page).
"""

from __future__ import annotations

import datetime
import html
import os
import posixpath
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from markupsafe import Markup

from umkm.disclose import tables as table_specs
from umkm.disclose.tables import CELL_STATUS, COUNT, SUPPRESSED, TABLES_BY_NAME, TableSpec
from umkm.package.schemas import FIELDS
from umkm.reference import Reference
from umkm.site.render import esc
from umkm.vocabulary import LICENCE, PUBLISHER_SHORT, YES_NO_DIMENSIONS, YES_NO_LABELS, labels

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


# ------------------------------------------------------------------ labels

YES_NO = {value: (label, label_en) for value, label, label_en in YES_NO_LABELS}
FIXED_LABELS = {  # the vocabulary's value labels (a sentra's own name comes from the reference list)
    "skala_usaha": labels("skala_usaha"),
    "jenis_kelamin": labels("jenis_kelamin"),
    "kelompok_umur": {},
    "sentra": {"bukan_sentra": labels("sentra")["bukan_sentra"]},
    **{dim: YES_NO for dim in YES_NO_DIMENSIONS},
}
AGE_ORDER = ("<25", "25-34", "35-44", "45-54", "55-64", "65+")
# A dimension's column header is its field's title in the Table Schema (umkm/package/fields.py: title,
# title_en), but for the areas: the site's column shows the area's name (its code is in the "Kode" column
# beside it), where the schema's field (kecamatan_kode: "Kode kecamatan") is the code itself.
AREA_HEADERS = {
    "kecamatan_kode": ("Kecamatan", "Kecamatan (district)"),
    "kelurahan_kode": ("Kelurahan", "Kelurahan (urban village)"),
}
# The English name of a dimension's column in the site's CSV files (the Indonesian one is the field's name).
CSV_NAMES_EN = {
    "kecamatan_kode": "kecamatan_code",
    "kelurahan_kode": "kelurahan_code",
    "kbli_kategori": "kbli_category",
    "skala_usaha": "size_class",
    "jenis_kelamin": "owner_sex",
    "kelompok_umur": "owner_age_band",
    "pemasaran_online": "sells_online",
    "masih_aktif": "active",
    "pelatihan": "training",
    "bantuan_modal": "capital_grant",
    "sentra": "sentra",
    "punya_nib": "has_nib",
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
        hidden = (
            str(row.get(CELL_STATUS, "") or "") == SUPPRESSED
            or count is None
            or pd.isna(count)
            or str(count).strip() == ""
        )  # a table read as text: "" where suppressed
        cells.append(Cell(codes, None if hidden else int(count)))
    return cells


class Site:
    """Lookups and formatting for one language."""

    def __init__(self, si: SiteInput, lang: str):
        self.si, self.lang, self.ref = si, lang, si.reference
        self.kecamatan = {r["kode_kemendagri"]: r for r in si.reference.kecamatan.to_dict("records")}
        self.kelurahan = {r["kode_kemendagri"]: r for r in si.reference.kelurahan.to_dict("records")}
        self.kbli = {r["kategori"]: r["judul"] for r in si.reference.kbli_kategori.to_dict("records")}
        self.kbli_en = dict(zip(si.reference.kbli_kategori_en["kategori"], si.reference.kbli_kategori_en["judul_en"]))
        self.sentra = {sentra_slug(r["sentra"]): r for r in si.reference.sentra.to_dict("records")}
        self.packages = {p["name"]: p for p in si.packages}
        magnitude_specs = {spec.name: spec for spec in getattr(table_specs, "MAGNITUDE_TABLES", ())}
        self.magnitude = {
            name: (magnitude_specs[name], frame)
            for name, frame in {**si.tables, **(getattr(si, "magnitude", None) or {})}.items()
            if name in magnitude_specs
        }
        stamp = pd.Timestamp(si.release.snapshot_date)  # a date, or the pandas Timestamp package.Release holds
        self.snapshot, self.year = stamp.strftime("%Y-%m-%d"), stamp.year
        self.previous_version = getattr(si.release, "previous_version", None)
        self.publisher = next(
            (
                c["title"]
                for p in si.packages
                for c in p.get("contributors", [])
                if "publisher" in c.get("roles", []) and c.get("title")
            ),
            PUBLISHER,
        )
        self._known = {
            "kecamatan_kode": sorted(self.kecamatan),
            "kelurahan_kode": sorted(self.kelurahan),
            "kbli_kategori": sorted(self.kbli),
            "kelompok_umur": list(AGE_ORDER),
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
            source=self.t(
                f"Sumber: {self.publisher}, register UMKM (ekspor ODS dan OSS), diolah.",
                f"Source: {self.publisher}, UMKM register (ODS and OSS exports), processed.",
            ),
            release=self.t(
                f"Rilis {release.version}, data per {self.snapshot}. Lisensi {LICENCE.short_title}. {address}",
                f"Release {release.version}, data as of {self.snapshot}. Licence {LICENCE.short_title}. {address}",
            ),
            mark=self.t("DATA SINTETIS: bukan data nyata", "SYNTHETIC DATA: not real") if release.is_demo else "",
        )

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
            return f"{code} {self.kbli[code] if self.lang == 'id' else self.kbli_en.get(code, self.kbli[code])}"
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
        """A dimension's column header: its field's title in the Table Schema (AREA_HEADERS for the areas)."""
        if dim in AREA_HEADERS:
            return self.t(*AREA_HEADERS[dim])
        field = FIELDS.get(dim)
        return self.t(field["title"], field["title_en"]) if field else dim

    def header_lower(self, dim: str) -> str:
        return lower_first(self.header(dim))

    def csv_name(self, dim: str) -> str:
        return dim if self.lang == "id" else CSV_NAMES_EN.get(dim, dim)

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
        return sorted(
            table_cells(table, spec.dimensions),
            key=lambda c: tuple(self.order(d, v) for d, v in zip(spec.dimensions, c.codes)),
        )

    def magnitude_cells(self, name: str) -> list[Cell] | None:
        """Cells of a magnitude table (value: the sum, None where suppressed), in the dimension's order."""
        if name not in self.magnitude:
            return None
        spec, table = self.magnitude[name]
        return sorted(
            table_cells(table, spec.dimensions, spec.value),
            key=lambda c: tuple(self.order(d, v) for d, v in zip(spec.dimensions, c.codes)),
        )

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
            cite = citation.of_release(
                self.si.release.version,
                self.snapshot,
                bool(self.si.release.is_demo),
                site_address(self.si.base_url),
                self.publisher,
            )
        return citation.text(cite, self.lang)


def count_cell(site: Site, n: int | None) -> Markup:
    if n is None:
        return Markup(f'<span class="umkm-disembunyikan">{esc(site.suppressed_word)}</span>')
    return esc(site.num(n))


# ------------------------------------------------------------------ summaries


def summary_1d(site: Site, items: list[tuple[str, int | None]], what: str, unknown: int | None = 0) -> str:
    """Largest and smallest published category in words. ``items`` are the known categories only: the
    unknown ones ("tidak diketahui", ``unknown`` actors) are reported after them, never ranked."""
    published = [(label, n) for label, n in items if n is not None]
    hidden = len(items) - len(published)
    if not items and not unknown:
        return site.t("Tidak ada pelaku tercatat.", "No actor recorded.")
    if not published:
        return site.t(
            f"Semua {len(items)} sel {what} disembunyikan.", f"All {len(items)} cells of {what} are suppressed."
        )
    total = sum(n for _, n in published)
    top_label, top = max(published, key=lambda item: item[1])  # first of equals: max is stable
    parts = [
        site.t(
            f"Jumlah terbanyak: {top_label}, {site.num(top)} pelaku ({site.pct(top, total)} dari {site.num(total)} "
            f"pelaku yang kategorinya tercatat).",
            f"Largest: {top_label}, {site.num(top)} actors ({site.pct(top, total)} of {site.num(total)} actors "
            f"whose category is recorded).",
        )
    ]
    if len(published) > 1:
        low_label, low = min(published, key=lambda item: item[1])
        parts.append(site.t(f"Terkecil: {low_label}, {site.num(low)}.", f"Smallest: {low_label}, {site.num(low)}."))
    if unknown:
        parts.append(
            site.t(
                f"Tidak diketahui (tidak tercatat di register): {site.num(unknown)} pelaku.",
                f"Unknown (not recorded in the register): {site.num(unknown)} actors.",
            )
        )
    elif unknown is None:
        parts.append(site.t("Jumlah yang tidak diketahui disembunyikan.", "The number of unknowns is suppressed."))
    if hidden:
        parts.append(
            site.t(
                f"{hidden} sel disembunyikan untuk melindungi kerahasiaan.",
                f"{hidden} cell(s) suppressed to protect confidentiality.",
            )
        )
    return " ".join(parts)


def suppression_note(site: Site) -> str:
    return site.t(
        "Disembunyikan: sel berisi 1 sampai 4 pelaku (dan sel lain yang dapat membukanya kembali) tidak "
        "dipublikasikan; garis arsir pada grafik menandai sel itu, bukan angka nol.",
        "Suppressed: cells of 1 to 4 actors (and any cell that would reveal them) are not published; the hatched "
        "mark in the chart flags such a cell, it is not a zero.",
    )


def protection_note(site: Site, page: str) -> Markup:
    """The plain sentence, near the figures, that small numbers are adjusted to protect people (with the link)."""
    return Markup(
        f'<p class="umkm-perlindungan">{esc(site.t(PROTECTION[0], PROTECTION[1]))} '
        f'<a href="{html.escape(site.href(page, "metodologi.md"), quote=True)}">'
        f"{esc(site.t('Cara angka dilindungi', 'How the numbers are protected'))}</a>.</p>"
    )


PROTECTION = (
    "Untuk melindungi pelaku usaha, angka kecil disamarkan sedikit, sehingga jumlah bagian bisa sedikit berbeda "
    "dari totalnya, dan persentase dari sedikit pelaku hanya perkiraan.",
    "To protect the businesses, small numbers are slightly adjusted, so parts may not add up exactly to their "
    "total, and a percentage of a few actors is only an estimate.",
)


# ------------------------------------------------------------------ where the site is


def site_address(base_url: str | None = None) -> str:
    """Where the site is published (ends in /): ``base_url``, else UMKM_SITE_URL, else the catalogue's default."""
    from umkm.catalogue.config import Config

    if base_url:
        return base_url if base_url.endswith("/") else base_url + "/"
    return Config.from_env(os.environ).base_url


def contact_email() -> str:
    """The address every page names for questions and data errors: UMKM_CONTACT_EMAIL, else the catalogue's."""
    from umkm.catalogue.config import Config

    return Config.from_env(os.environ).contact_email
