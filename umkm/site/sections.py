"""One site language in, its generated pages out: home, statistics, areas, sentra, data packages, quality.

Called by site_pages.build_pages once a language; every function returns
{docs path: content} for the pages (and charts, CSV files) it owns.
"""

from __future__ import annotations

import html
import json
import posixpath
import re
from dataclasses import dataclass

import pandas as pd
from markupsafe import Markup

from umkm.disclose.tables import CELL_STATUS, COUNT, TABLES_BY_NAME
from umkm.site import charts, dataset_page, maps
from umkm.site.pages import (
    Cell,
    Figure,
    Site,
    _csv,
    _safe_url,
    count_cell,
    esc,
    html_table,
    link,
    lower_first,
    protection_note,
    render_template,
    site_address,
    slugify,
    summary_1d,
    suppression_note,
    svg_size,
)


@dataclass(frozen=True)
class StatPage:
    slug: str
    table: str
    intro_id: str
    intro_en: str
    sort_by_value: bool = False
    map_level: str | None = None  # "kecamatan" or "kelurahan": add a choropleth
    group_dim: str | None = None  # two-dimension tables: the dimension along the chart's axis


STAT_PAGES = (
    StatPage("kecamatan", "menurut_kecamatan",
             "Jumlah pelaku UMKM menurut kecamatan tempat usaha.",
             "Number of UMKM actors by the kecamatan (district) where the business is.", True, "kecamatan"),
    StatPage("kelurahan", "menurut_kelurahan",
             "Jumlah pelaku UMKM menurut kelurahan tempat usaha (34 kelurahan).",
             "Number of UMKM actors by the kelurahan (urban village) where the business is (34 kelurahan).",
             True, "kelurahan"),
    StatPage("kbli", "menurut_kbli_kategori",
             "Jumlah pelaku UMKM menurut kategori lapangan usaha KBLI 2020 (Peraturan BPS 2/2020). Usaha kuliner "
             "(makanan dan minuman) ada di kategori I, penyediaan akomodasi dan makan minum.",
             "Number of UMKM actors by KBLI 2020 category (industrial classification, Peraturan BPS 2/2020). "
             "Culinary businesses (kuliner: food and drink) are in category I, accommodation and food service.",
             True),
    StatPage("skala-usaha", "menurut_skala_usaha",
             "Jumlah pelaku menurut skala usaha: mikro, kecil, menengah (PP 7/2021 Pasal 35).",
             "Number of actors by size class: micro, small, medium (PP 7/2021 Article 35)."),
    StatPage("pemilik", "menurut_jenis_kelamin_umur",
             "Jumlah pelaku UMKM menurut jenis kelamin dan kelompok umur pemilik.",
             "Number of UMKM actors by the owner's sex and age band.", group_dim="kelompok_umur"),
    StatPage("pemasaran-online", "pemasaran_online_keaktifan",
             "Adopsi digital: pelaku yang memasarkan secara online, menurut keaktifan usaha. Selama pandemi "
             "COVID-19, usaha yang bertahan sebagian besar memakai marketplace.",
             "Digital adoption: actors who sell online, by whether the business is still active. During the "
             "COVID-19 pandemic, the businesses that survived mostly sold through marketplaces.",
             group_dim="pemasaran_online"),
    StatPage("pelatihan", "menurut_pelatihan",
             "Pelaku UMKM yang pernah mengikuti pelatihan Dinas KUMKMP (misalnya pemasaran digital).",
             "UMKM actors who attended a training by Dinas KUMKMP (for example digital selling)."),
    StatPage("bantuan-modal", "menurut_bantuan_modal",
             "Pelaku UMKM yang menerima bantuan modal (hibah) Rp300.000 dari Pemerintah Kota Balikpapan.",
             "UMKM actors who received the Rp300,000 capital grant (hibah, bantuan modal) of the city government."),
    StatPage("nib", "menurut_punya_nib",
             "Pelaku UMKM yang memiliki Nomor Induk Berusaha (NIB) dari OSS.",
             "UMKM actors holding a business identification number (NIB) issued by OSS."),
)

SENTRA_TEXT = {
    "somber": ("Sentra industri kecil tahu dan tempe di Jl. Alam Baru, Kelurahan Batu Ampar, Balikpapan Utara.",
               "Small-industry centre for tofu and tempeh at Jl. Alam Baru, Kelurahan Batu Ampar, Balikpapan Utara."),
    "teritip": ("Sentra industri kecil olahan hasil laut (amplang, kerupuk) serta hasil pertanian dan perkebunan "
                "(kopi, camilan) di Kelurahan Teritip, Balikpapan Timur.",
                "Small-industry centre processing fish and seafood (amplang, crackers) and farm and plantation "
                "produce (coffee, snacks) into food products at Kelurahan Teritip, Balikpapan Timur."),
}


def all_pages(site: Site) -> dict[str, object]:
    from umkm.site import areas as site_areas
    from umkm.site import changelog
    from umkm.site import story as site_story  # they build on the figures below

    files: dict[str, object] = {}
    for builder in (site_story.home, *[_stat(sp) for sp in STAT_PAGES], site_areas.areas, sentra, catalogue,
                    packages, quality, changelog.pages):
        files.update(builder(site))
    return files


# ------------------------------------------------------------------ figures


def _stat_spec(name: str):
    return TABLES_BY_NAME[name]


@dataclass(frozen=True)
class Chart:
    """One image of a figure: its file stem, the SVG file (framed: it carries its title and source), its title,
    and for a map the inline, clickable version for the page with the key of its numbered areas."""

    stem: str
    svg: str
    title: str
    inline: Markup | None = None
    key: Markup | None = None


def one_dim_figure(site: Site, page: str, stem: str, title: str, dim: str, cells: list[Cell], *,
                   sort_by_value: bool = False, link_to=None, map_level: str | None = None,
                   extra_downloads=()) -> Figure:
    """Bar chart (and a choropleth when ``map_level`` is given) + table + summary + CSV of one dimension."""
    items = list(cells)
    if sort_by_value:  # published from largest, then suppressed, then unknown
        items.sort(key=lambda c: (c.codes[0] == "", c.count is None, -(c.count or 0)))
    labels = [site.label(dim, c.codes[0]) for c in items]
    unknown = [c.count for c in items if c.codes[0] == ""]
    summary = summary_1d(site, [(label, c.count) for label, c in zip(labels, items) if c.codes[0] != ""],
                         lower_first(title), unknown[0] if unknown else 0)
    hidden = any(c.count is None for c in items)
    note = site.t("Arsir = disembunyikan (bukan nol)", "Hatched = suppressed (not zero)") if hidden else ""
    svg = charts.bar_chart([charts.Bar(label, c.count, site.num(c.count)) for label, c in zip(labels, items)],
                           title=title, desc=summary, note=note, frame=site.frame(title))
    rows = []
    for label, c in zip(labels, items):
        target = link_to(c.codes[0]) if link_to else None
        name = link(site.href(page, target), label) if target else label
        rows.append([name, c.codes[0] or "–", count_cell(site, c.count)])
    table = html_table(title, [site.header(dim), site.t("Kode", "Code"), site.t("Jumlah pelaku", "Actors")], rows,
                       numeric={2})
    csv_text = _csv([site.csv_name(dim), site.csv_label_name(dim), site.t(COUNT, "actors"),
                     site.t(CELL_STATUS, "cell_status")],
                    [[c.codes[0], label, "" if c.count is None else c.count, "" if c.count is not None
                      else site.suppressed_word] for label, c in zip(labels, items)])
    charts_ = [Chart(stem, svg, title)]
    if map_level:
        map_title = site.t("Peta: ", "Map: ") + title
        values = {c.codes[0]: c.count for c in cells if c.codes[0]}
        charts_.insert(0, map_chart(site, page, f"{stem}-peta", map_level, values, map_title, summary,
                                    link_to=link_to))
    notes = [suppression_note(site)] if hidden else []
    if map_level:
        notes.append(BOUNDARY_NOTE)
    return _figure(site, page, stem, charts_, summary, table, csv_text, notes, extra_downloads)


BOUNDARY_NOTE = ("Batas wilayah: cahyadsn/wilayah_boundaries (MIT), disederhanakan.",
                 "Boundaries: cahyadsn/wilayah_boundaries (MIT), simplified.")


def two_dim_figure(site: Site, page: str, stem: str, title: str, dims: tuple[str, str], cells: list[Cell],
                   group_dim: str, extra_downloads=()) -> Figure:
    """Grouped bar chart + cross table + summary + CSV (long form) of two dimensions."""
    g_i = dims.index(group_dim)
    s_i = 1 - g_i
    # Groups whose every cell is a published zero only add empty rows: name them in a note instead.
    empty = {c.codes[g_i] for c in cells} - {c.codes[g_i] for c in cells if c.count != 0}
    empty_labels = [site.label(dims[g_i], g) for g in sorted(empty, key=lambda v: site.order(dims[g_i], v))]
    cells = [c for c in cells if c.codes[g_i] not in empty]
    groups = sorted({c.codes[g_i] for c in cells}, key=lambda v: site.order(dims[g_i], v))
    series = sorted({c.codes[s_i] for c in cells}, key=lambda v: site.order(dims[s_i], v))
    by_key = {(c.codes[g_i], c.codes[s_i]): c.count for c in cells}
    g_labels = [site.label(dims[g_i], g) for g in groups]
    s_labels = [site.label(dims[s_i], s) for s in series]
    values = {(gi, si): charts.Bar("", by_key[(g, s)], site.num(by_key[(g, s)]))
              for gi, g in enumerate(groups) for si, s in enumerate(series) if (g, s) in by_key}
    # Ranked: the combinations of known categories only, named by both dimensions.
    items = [(f"{site.header_lower(dims[g_i])} {g_labels[gi]}, {site.header_lower(dims[s_i])} {s_labels[si]}",
              bar.value) for (gi, si), bar in sorted(values.items()) if groups[gi] != "" and series[si] != ""]
    unknown_cells = [bar.value for (gi, si), bar in values.items() if groups[gi] == "" or series[si] == ""]
    unknown = None if any(v is None for v in unknown_cells) else sum(unknown_cells)
    summary = summary_1d(site, items, lower_first(title), unknown)
    if groups:
        summary = _margins(site, dims[g_i], g_i, groups, g_labels, cells) + " " + summary
    hidden = any(bar.value is None for bar in values.values())
    note = site.t("Arsir = disembunyikan (bukan nol)", "Hatched = suppressed (not zero)") if hidden else ""
    svg = charts.grouped_bar_chart(g_labels, s_labels, values, title=title, desc=summary, note=note,
                                   legend_title=site.header(dims[s_i]), frame=site.frame(title))
    rows = [[g_labels[gi]] + [count_cell(site, by_key[(g, s)]) if (g, s) in by_key else "–" for s in series]
            for gi, g in enumerate(groups)]
    table = html_table(title, [site.header(dims[g_i])] + s_labels, rows, numeric=set(range(1, len(series) + 1)),
                       column_group=site.header(dims[s_i]))
    csv_rows = [[c.codes[0], site.label(dims[0], c.codes[0]), c.codes[1], site.label(dims[1], c.codes[1]),
                 "" if c.count is None else c.count, "" if c.count is not None else site.suppressed_word]
                for c in cells]
    csv_text = _csv([site.csv_name(dims[0]), site.csv_label_name(dims[0]), site.csv_name(dims[1]),
                     site.csv_label_name(dims[1]), site.t(COUNT, "actors"), site.t(CELL_STATUS, "cell_status")],
                    csv_rows)
    notes = [suppression_note(site)] if hidden else []
    if empty_labels:
        notes.append(site.t("Tanpa pelaku tercatat (0, tidak ditampilkan): ", "No actor recorded (0, not shown): ")
                     + "; ".join(empty_labels) + ".")
    if any((g, s) not in by_key for g in groups for s in series):
        notes.append(site.t("– : kombinasi tanpa pelaku tercatat.", "– : no actor recorded for this combination."))
    return _figure(site, page, stem, [Chart(stem, svg, title)], summary, table, csv_text, notes, extra_downloads)


def _margins(site: Site, dim: str, g_i: int, groups: list[str], labels: list[str], cells: list[Cell]) -> str:
    """'By <dim>: A 1,234 (40.1%); B ≥ 567; ...': totals along the chart's axis (≥ where a cell is suppressed)."""
    totals = []
    for g, label in zip(groups, labels):
        mine = [c for c in cells if c.codes[g_i] == g]
        totals.append((label, sum(c.count for c in mine if c.count is not None), any(c.count is None for c in mine)))
    grand = sum(total for _, total, _ in totals)
    exact = not any(partial for _, _, partial in totals)
    parts = [f"{label} {'≥ ' if partial else ''}{site.num(total)}"
             + (f" ({site.pct(total, grand)})" if exact and grand else "") for label, total, partial in totals]
    return site.t(f"Menurut {site.header_lower(dim)}: ", f"By {site.header_lower(dim)}: ") + "; ".join(parts) + "."


def _figure(site: Site, page: str, stem: str, chart_list: list[Chart], summary: str, table: Markup, csv_text: str,
            notes, extra_downloads, show_summary: bool = True) -> Figure:
    """The chart(s) beside the table, the summary, notes and downloads: CSV, and SVG and PNG of each image
    (the PNG rendered from the SVG by build_pages), with the code to embed it elsewhere."""
    folder = posixpath.dirname(page)
    files: dict[str, object] = {}
    images, maps_, downloads, embeds = [], [], [], []
    csv_path = posixpath.join(folder, f"{stem}.csv")
    files[csv_path] = csv_text
    downloads.append(link(site.href(page, csv_path), site.t("CSV (angka grafik ini)", "CSV (this chart's numbers)"),
                          "md-button"))
    for chart in chart_list:
        path = posixpath.join(folder, f"{chart.stem}.svg")
        png = path[:-4] + ".png"
        files[path], files[png] = chart.svg, PngOf(chart.svg)
        width, height = svg_size(chart.svg)
        if chart.inline is not None:  # a map takes the column's width, above the chart and its table
            maps_.append(f'<div class="umkm-figur-peta"><figure class="umkm-peta">{chart.inline}{chart.key or ""}'
                         f"</figure></div>\n\n")
        else:
            images.append(
                f'<figure class="umkm-grafik"><img src="{html.escape(site.href(page, path))}" '
                f'alt="{esc(chart.title + ". " + summary)}" width="{width}" height="{height}"></figure>')
        is_map = chart.inline is not None or chart.stem.endswith("-peta")
        kind = site.t("peta", "map") if is_map else site.t("grafik", "chart")
        downloads.append(link(site.href(page, path), f"SVG {kind}", "md-button"))
        downloads.append(link(site.href(page, png), f"PNG {kind}", "md-button"))
        embeds.append(embed_snippet(site, page, png, chart.title, width, height))
    downloads += list(extra_downloads)
    body = ("".join(maps_) + f'<div class="umkm-figur"><div class="umkm-grafik-kolom">{"".join(images)}</div>'
            f'<div class="umkm-tabel" tabindex="0" role="region" aria-label="{esc(chart_list[-1].title)}">{table}</div>'
            f'</div>\n\n'
            + (f'<p class="umkm-ringkasan">{esc(summary)}</p>\n\n' if show_summary else "")
            + "".join(f'<p class="umkm-catatan">{esc(site.t(*n) if isinstance(n, tuple) else n)}</p>\n\n'
                      for n in notes)
            + f'<p class="umkm-unduh">{" ".join(downloads)}</p>\n\n'
            + "".join(embeds))
    return Figure(Markup(body), summary, files)


def embed_snippet(site: Site, page: str, png: str, title: str, width: str, height: str) -> str:
    """The HTML another site pastes to show this chart: the PNG at its fixed address, a caption with the
    source, licence and a link back (a <details>, closed: it costs the reader nothing)."""
    code = (f'<figure><img src="{site.page_url(png)}" alt="{html.escape(title)}" width="{width}" '
            f'height="{height}" style="max-width:100%;height:auto"><figcaption><a href="{site.page_url(page)}">'
            f'{html.escape(title)}</a>. {html.escape(site.t("Sumber", "Source"))}: {html.escape(site.publisher)}, '
            f'{html.escape(site.t("rilis", "release"))} {site.si.release.version}. CC BY 4.0.</figcaption></figure>')
    return (f'<details class="umkm-sematkan"><summary>{esc(site.t("Sematkan grafik ini di situs Anda", "Embed this chart on your site"))}'
            f': {esc(title)}</summary><p>{esc(site.t("Salin kode HTML ini:", "Copy this HTML code:"))}</p>'
            f"<pre><code>{esc(code)}</code></pre></details>\n\n")


@dataclass(frozen=True)
class PngOf:
    """A PNG file to render from this SVG (build_pages renders every one, with its cache); ``is_card``: a
    preview card (umkm/site/images.py card), rendered at 1200 x 630."""

    svg: str
    is_card: bool = False

    @classmethod
    def card(cls, svg: str) -> "PngOf":
        return cls(svg, is_card=True)


def _areas(site: Site, level: str) -> list[maps.Area]:
    geojson = site.ref.kecamatan_geojson if level == "kecamatan" else site.ref.kelurahan_geojson
    return [maps.Area(str(f["properties"]["kode"]), str(f["properties"]["nama"]), f["geometry"])
            for f in sorted(geojson["features"], key=lambda f: str(f["properties"]["kode"]))]


def map_chart(site: Site, page: str, stem: str, level: str, values: dict[str, int | None], title: str,
              summary: str, *, link_to=None, mapped: set[str] | None = None) -> Chart:
    """A choropleth twice: framed as a file (SVG, PNG) and inline for the page, each area a link to its page,
    with the key of its numbered areas as a list of links."""
    areas = _areas(site, level)
    options = dict(title=title, desc=summary, legend_title=site.t("Jumlah pelaku", "Actors"),
                   suppressed_label=site.suppressed_word, no_data_label=site.t("tidak ada data", "no data"),
                   format_number=site.num, mapped=mapped)
    svg = maps.choropleth(areas, values, frame=site.frame(title), **options)
    links = {}
    for area in areas:
        target = link_to(area.code) if link_to else None
        if target and (mapped is None or area.code in mapped):
            links[area.code] = site.href(page, target)
    inline = maps.choropleth(areas, values, links=links, link_label=lambda a, shown: f"{a.name}: {shown}",
                             **options)
    # In the page: no namespace needed, and ids of its own (a page may hold other SVG).
    inline = (inline.replace('<svg xmlns="http://www.w3.org/2000/svg" ', '<svg ', 1)
              .replace('aria-labelledby="title desc"', f'aria-labelledby="{stem}-judul"', 1)
              .replace('<title id="title">', f'<title id="{stem}-judul">', 1).replace(' id="desc"', "", 1))
    numbered = maps.numbered_areas(areas, mapped)
    key = None
    if numbered:
        items = "".join(f'<li value="{i}">{link(links[a.code], a.name) if a.code in links else esc(a.name)}</li>'
                        for i, a in enumerate(numbered, start=1))
        key = Markup(f'<figcaption><span class="umkm-kunci-judul">{esc(site.t("Nomor pada peta", "Numbers on the map"))}'
                     f'</span><ol class="umkm-kunci">{items}</ol></figcaption>')
    return Chart(stem, svg, title, Markup(inline), key)


def _dataset_link(site: Site, page: str) -> Markup:
    return link(site.href(page, "data/umkm-statistik.md"), site.t("Paket data statistik", "Statistics data package"),
                "md-button")


def _render(site: Site, template: str, page: str, **context) -> str:
    release = site.si.release
    return render_template(template, site=site, page=page, release=release, lang=site.lang,
                           publisher=site.publisher, protection=protection_note(site, page), **context)


# ------------------------------------------------------------------ pages


def _stat(sp: StatPage):
    def build(site: Site) -> dict[str, str]:
        page = f"statistik/{sp.slug}.md"
        spec = _stat_spec(sp.table)
        title = site.table_title(spec)
        cells = site.cells(sp.table)
        files: dict[str, str] = {}
        figures = []
        if cells is not None and len(spec.dimensions) == 1:
            dim = spec.dimensions[0]
            link_to = None
            if sp.map_level == "kecamatan":
                link_to = lambda code: site.kecamatan_page(code) if code in site.kecamatan else None  # noqa: E731
            elif sp.map_level == "kelurahan":
                link_to = lambda code: site.kelurahan_page(code) if code in site.kelurahan else None  # noqa: E731
            fig = one_dim_figure(site, page, sp.slug, title, dim, cells, sort_by_value=sp.sort_by_value,
                                 link_to=link_to, map_level=sp.map_level,
                                 extra_downloads=[_dataset_link(site, page)])
            figures.append(fig)
        elif cells is not None:
            figures.append(two_dim_figure(site, page, sp.slug, title, spec.dimensions, cells, sp.group_dim,
                                          extra_downloads=[_dataset_link(site, page)]))
        for fig in figures:
            files.update(fig.files)
        magnitude = magnitude_figure(site, page, f"{sp.slug}-besaran", spec.dimensions)
        if magnitude is not None:
            files.update(magnitude.files)
        image = None
        if figures:
            from umkm.site import images

            image = f"statistik/{sp.slug}-kartu.png"
            files[image] = PngOf.card(images.card(title, site.t("Statistik UMKM", "UMKM statistics"),
                                             _card_figures(site, spec, cells or []), site.frame(title),
                                             site.t("Data UMKM Kota Balikpapan", "UMKM data of Kota Balikpapan")))
        intro = site.t(sp.intro_id, sp.intro_en)
        if sp.table == "pemasaran_online_keaktifan":
            from umkm.site.story import active_by_online

            intro += " " + (active_by_online(site)[0] or "")
        files[page] = _render(site, "statistik.md.j2", page, title=title, intro=intro.strip(),
                              figures=figures, magnitude=magnitude, citation=site.citation(),
                              table_name=spec.name, image=image)
        return files
    return build


def _card_figures(site: Site, spec, cells: list[Cell]) -> list[tuple[str, str]]:
    """The largest known categories of a statistics table, for its page's preview card (never the unknowns)."""
    known = sorted((c for c in cells if all(c.codes) and c.count is not None), key=lambda c: -c.count)[:4]
    return [(site.num(c.count), " / ".join(site.label(d, v) for d, v in zip(spec.dimensions, c.codes)))
            for c in known]


# value column -> column header (id, en); *_rupiah values are shown in millions
MAGNITUDE_COLUMNS = {
    "jumlah_omzet_rupiah": ("Omzet tahunan (juta Rp)", "Annual turnover (Rp million)"),
    "jumlah_modal_rupiah": ("Modal usaha (juta Rp)", "Business capital (Rp million)"),
    "jumlah_tenaga_kerja": ("Tenaga kerja (orang)", "Workers (persons)"),
}


def magnitude_figure(site: Site, page: str, stem: str, dims: tuple[str, ...]) -> Figure | None:
    """Sums of turnover, capital and workers by the page's dimension: one table, its CSV, the rule of suppression.

    None when no magnitude table of this dimension is in the release (tables.MAGNITUDE_TABLES).
    """
    specs = [spec for spec, _ in site.magnitude.values() if spec.dimensions == tuple(dims)]
    if len(dims) != 1 or not specs:
        return None
    dim = dims[0]
    columns = [(spec, {c.codes[0]: c.count for c in site.magnitude_cells(spec.name)}) for spec in specs]
    codes = sorted({code for _, values in columns for code in values}, key=lambda code: site.order(dim, code))

    def shown(spec, value: int | None) -> Markup:
        if value is None:
            return count_cell(site, None)
        return esc(site.dec(value / 1e6, 1) if spec.value.endswith("_rupiah") else site.num(value))

    def header(spec) -> str:
        pair = MAGNITUDE_COLUMNS.get(spec.value)
        if pair:
            return site.t(*pair)
        return site.t(spec.title_id, spec.title_en)

    title = site.t("Omzet, modal dan tenaga kerja menurut ", "Turnover, capital and workers by ") + \
        site.header_lower(dim)
    rows = [[site.label(dim, code), code or "–"]
            + [shown(spec, values[code]) if code in values else "–" for spec, values in columns] for code in codes]
    table = html_table(title, [site.header(dim), site.t("Kode", "Code")] + [header(spec) for spec, _ in columns],
                       rows, numeric=set(range(2, 2 + len(columns))))
    csv_rows = [[code, site.label(dim, code), spec.name, spec.title_id
                 if site.lang == "id" else spec.title_en,
                 "" if values[code] is None else values[code],
                 "rupiah" if spec.value.endswith("_rupiah") else site.t("orang", "persons"),
                 "" if values[code] is not None else site.suppressed_word]
                for code in codes for spec, values in columns if code in values]
    csv_text = _csv([site.csv_name(dim), site.csv_label_name(dim), site.t("ukuran", "measure"),
                     site.t("judul", "title"), site.t("nilai", "value"), site.t("satuan", "unit"),
                     site.t(CELL_STATUS, "cell_status")], csv_rows)
    folder = posixpath.dirname(page)
    csv_path = posixpath.join(folder, f"{stem}.csv")
    notes = [site.t(
        "Jumlah atas pelaku yang nilainya tercatat di register (nilai yang dilaporkan sendiri, belum diverifikasi). "
        "Sel disembunyikan bila kurang dari 3 pelaku menyumbang atau satu pelaku mendominasi jumlahnya (aturan p%, "
        "p = 10), dan sel lain yang dapat membukanya kembali.",
        "Sums over the actors whose value is recorded in the register (self-reported, not verified). A cell is "
        "suppressed when fewer than 3 actors contribute or one actor dominates the sum (p% rule, p = 10), as is any "
        "cell that would reveal it.")]
    downloads = [link(site.href(page, csv_path), site.t("CSV (tabel ini)", "CSV (this table)"), "md-button"),
                 _dataset_link(site, page)]
    body = (f'<div class="umkm-gulir" tabindex="0" role="region" aria-label="{esc(title)}">{table}</div>\n\n'
            + "".join(f'<p class="umkm-catatan">{esc(n)}</p>\n\n' for n in notes)
            + f'<p class="umkm-unduh">{" ".join(downloads)}</p>\n')
    return Figure(Markup(body), title, {csv_path: csv_text})


SENTRA_FACTS = (("nama_lain", "Nama lain", "Other names"), ("alamat", "Alamat", "Address"),
                ("kelurahan", "Kelurahan", "Kelurahan"), ("kecamatan", "Kecamatan", "Kecamatan"),
                ("luas_ha", "Luas (ha)", "Area (ha)"), ("fokus_produk", "Fokus produk", "Main products"),
                ("kbli_relevan", "KBLI 2020 terkait", "Related KBLI 2020 codes"),
                ("unit_rumah_produksi", "Rumah produksi", "Production houses"), ("catatan", "Catatan", "Notes"))
# Reference columns written in Indonesian whatever the page's language (names, KBLI titles): marked lang="id"
# on the English page. Free-text columns (products, units, notes) are written per language in
# umkm/site/templates/sentra_teks.csv; a sentra without that text shows the reference's words marked lang="id".
SENTRA_NAMES_ID = {"nama_lain", "alamat", "kelurahan", "kecamatan", "kbli_relevan"}


def _sentra_texts() -> dict[tuple[str, str], tuple[str, str]]:
    import csv as csv_module

    from umkm.site.pages import TEMPLATES

    with open(TEMPLATES / "sentra_teks.csv", encoding="utf-8", newline="") as stream:
        return {(r["sentra"], r["kolom"]): (r["id"], r["en"]) for r in csv_module.DictReader(stream)}


def _sentra_facts(site: Site, slug: str, row: dict, kel_page: str | None, page: str) -> list[tuple[str, Markup]]:
    texts = _sentra_texts()
    facts = []
    for key, id_label, en_label in SENTRA_FACTS:
        if not row.get(key):
            continue
        translated = texts.get((slug, key))
        if translated is not None:
            value, lang = site.t(*translated), None
        else:
            value, lang = row[key], ("id" if site.lang != "id" else None)
        if key == "kbli_relevan" or (translated is None and key not in SENTRA_NAMES_ID and site.lang == "en"):
            lang = "id" if site.lang != "id" else None
        text = link(site.href(page, kel_page), value) if key == "kelurahan" and kel_page else esc(value)
        facts.append((site.t(id_label, en_label), Markup(f'<span lang="{lang}">{text}</span>') if lang else text))
    return facts


def sentra(site: Site) -> dict[str, object]:
    from umkm.site import images
    from umkm.site.story import sentra_recorded

    files: dict[str, object] = {}
    cells = site.cells("menurut_sentra")
    recorded = sentra_recorded(site)
    kel_areas = _areas(site, "kelurahan")
    for slug, row in sorted(site.sentra.items()):
        page = f"sentra/{slug}.md"
        fig, outside = None, []
        if cells is not None and recorded:
            # The sentra side by side; the actors outside any sentra (nearly all) in a sentence, not a bar
            # that would flatten the two sentra to slivers.
            in_sentra = [c for c in cells if c.codes[0] in site.sentra]
            outside = [(site.label("sentra", c.codes[0]), count_cell(site, c.count)) for c in cells
                       if c.codes[0] not in site.sentra and (c.codes[0] or c.count)]
            fig = one_dim_figure(site, page, "sentra", site.table_title(TABLES_BY_NAME["menurut_sentra"]), "sentra",
                                 in_sentra, extra_downloads=[_dataset_link(site, page)])
            files.update(fig.files)
        count = next((c.count for c in cells or [] if c.codes[0] == slug), "absent") if recorded else "not recorded"
        locator = maps.locator_map(_areas(site, "kecamatan"),
                                   [a for a in kel_areas if a.code == row["kode_kelurahan"]],
                                   title=site.t(f"Letak {row['sentra']}", f"Location of {row['sentra']}"),
                                   desc=site.t(f"Kelurahan {row['kelurahan']} disorot pada peta Kota Balikpapan.",
                                               f"Kelurahan {row['kelurahan']} highlighted on a map of Balikpapan."))
        files[f"sentra/{slug}-peta.svg"] = locator
        intro = SENTRA_TEXT.get(slug, (row.get("fokus_produk", ""), row.get("fokus_produk", "")))
        sources = [(u, _safe_url(u)) for u in str(row.get("sumber", "")).split(";") if u.strip()]
        kel_page = site.kelurahan_page(row["kode_kelurahan"]) if row["kode_kelurahan"] in site.kelurahan else None
        image = f"sentra/{slug}-kartu.png"
        files[image] = PngOf.card(images.card(
            row["sentra"], site.t("Sentra industri kecil", "Small-industry centre"),
            [(site.num(count), site.t("pelaku UMKM di sentra ini", "UMKM actors in this sentra"))]
            if isinstance(count, int) else [], site.frame(row["sentra"]),
            site.t("Data UMKM Kota Balikpapan", "UMKM data of Kota Balikpapan")))
        files[page] = _render(site, "sentra.md.j2", page, row=row, slug=slug, intro=site.t(*intro), count=count,
                              figure=fig, outside=outside, sources=sources, image=image,
                              facts=_sentra_facts(site, slug, row, kel_page, page), locator=f"{slug}-peta.svg",
                              locator_size=svg_size(locator), citation=site.citation())
    return files


# ------------------------------------------------------------------ data packages


def _unduh(site: Site, page: str, target: str, *, version: str | None = None) -> str:
    """Link from ``page`` to a download of this release (``unduh/<version>/<target>``, its fixed URL),
    or of ``version="latest"`` (umkm.catalogue.downloads.download_files writes both)."""
    return site.href(page, f"unduh/{version or site.si.release.version}/{target}", shared=True)


def catalogue(site: Site) -> dict[str, str]:
    page = "data/index.md"
    rows = []
    for name, pkg in sorted(site.packages.items()):
        title = pkg.get(site.t("title", "title_en")) or pkg.get("title") or name
        rows.append([link(site.href(page, f"data/{name}.md"), title), name,
                     pkg.get(site.t("description", "description_en")) or pkg.get("description", ""),
                     str(len(pkg.get("resources", []))),
                     Markup(" ".join([link(_unduh(site, page, f"{name}.zip"), "ZIP"),
                                      link(_unduh(site, page, f"{name}/datapackage.json"), "datapackage.json")]))])
    table = html_table(site.t("Paket data", "Data packages"),
                       [site.t("Paket", "Package"), site.t("Nama", "Name"), site.t("Keterangan", "Description"),
                        site.t("Sumber daya", "Resources"), site.t("Unduh", "Download")], rows, numeric={3},
                       stack=True)
    return {page: _render(site, "katalog.md.j2", page, table=table,
                          citation=site.citation(None))}


def _field_rows(site: Site, schema: dict) -> list[list[object]]:
    """Name, type, title (page language, then the other), description, constraints and unit of each field."""
    rows = []
    for f in schema.get("fields", []):
        constraints = []
        for key, value in sorted((f.get("constraints") or {}).items()):
            if value is True:
                constraints.append(key)
            elif value is not False:
                constraints.append(f"{key}: {', '.join(map(str, value)) if isinstance(value, list) else value}")
        if f.get("unit"):
            constraints.append(f"unit: {f['unit']}")
        main, other = (f.get("title", ""), f.get("title_en", "")) if site.lang == "id" else \
            (f.get("title_en") or f.get("title", ""), f.get("title", ""))
        other_lang = "en" if site.lang == "id" else "id"
        title = Markup(f'{esc(main)}<br><small lang="{other_lang}">{esc(other)}</small>') if other else esc(main)
        desc = f.get(site.t("description", "description_en")) or f.get("description", "")
        rows.append([Markup(f"<code>{esc(f.get('name', ''))}</code>"), f.get("type", "string"), title, desc,
                     "; ".join(constraints)])
    return rows


def _preview_table(site: Site, title: str, frame: pd.DataFrame) -> Markup:
    rows = [["" if pd.isna(v) else v for v in record] for record in frame.itertuples(index=False, name=None)]
    return html_table(title, [str(c) for c in frame.columns], rows, row_header=False, css="umkm-pratinjau")


_YAML_UNSAFE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def schema_org_front_matter(site: Site, package: dict) -> Markup:
    """The package's schema.org Dataset (umkm.catalogue.dcat.schema_org) as one line of JSON for the page's front matter.

    JSON is YAML, so MkDocs reads it into page.meta.schema_org, and docs/overrides/main.html writes it into
    the page's <head> as <script type="application/ld+json"> with Jinja's tojson, which escapes < > & '
    (no "</script>" can end the block early). In the page's body the search index would take it for text.
    """
    from umkm.catalogue.dcat import schema_org

    document = schema_org(package, site.si.release, site_address(site.si.base_url))
    # In the page, the downloads are the package's zip and descriptor and each table's CSV (a package of
    # many tables listed every format of every table: a third of the page's weight); the full document,
    # every format included, is data/<package>.jsonld.
    if isinstance(document.get("distribution"), list) and len(document["distribution"]) > PAGE_DISTRIBUTIONS:
        document = {**document, "distribution": [
            d for d in document["distribution"] if not isinstance(d, dict)
            or d.get("encodingFormat") in ("text/csv", "application/zip", "application/json")]}
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    # characters YAML does not allow in a document, escaped as JSON (and YAML) \u escapes
    return Markup(_YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text))


PAGE_DISTRIBUTIONS = 30  # a Dataset with more downloads than this lists only zip, descriptor and CSVs in its page
MANY_RESOURCES = 20  # a package page with more tables lists them at its top instead of in the side contents
SHARED_FIELD_MIN = 3  # a field described identically in this many resources of a package is listed once
PREVIEW_ROWS = (10, 5, 3)  # preview rows of a package with up to 4 resources, up to 20, and a larger one


def _shared_fields(package: dict) -> list[dict]:
    """Fields (same name, type, titles, description, constraints) repeated in SHARED_FIELD_MIN+ resources."""
    seen: dict[str, list[dict]] = {}
    for res in package.get("resources", []):
        for f in (res.get("schema") or {}).get("fields", []):
            seen.setdefault(json.dumps(f, sort_keys=True, default=str), []).append(f)
    return [found[0] for found in seen.values() if len(found) >= SHARED_FIELD_MIN]


def _fields_table(site: Site, caption: str, fields: list[dict]) -> Markup:
    return html_table(caption, [site.t("Kolom", "Field"), site.t("Tipe", "Type"),
                                site.t("Judul (ID / EN)", "Title (EN / ID)"), site.t("Keterangan", "Description"),
                                site.t("Batasan / satuan", "Constraints / unit")],
                      _field_rows(site, {"fields": fields}), row_header=False, stack=True)


def packages(site: Site) -> dict[str, str]:
    """One page a data package: about, downloads, and a field table and preview a resource.

    A package of many tables (the statistics) stays well under the page budget: a field that
    several tables share word for word (jumlah_pelaku, status_sel) is described once, and the
    previews are shorter.
    """
    files = {}
    for name, pkg in sorted(site.packages.items()):
        page = f"data/{name}.md"
        downloads = {res_name: links for res_name, _, links in dataset_page.downloads(site, page, pkg)}
        shared = _shared_fields(pkg)
        shared_keys = {json.dumps(f, sort_keys=True, default=str) for f in shared}
        count = len(pkg.get("resources", []))
        preview_rows = PREVIEW_ROWS[0] if count <= 4 else PREVIEW_ROWS[1] if count <= 20 else PREVIEW_ROWS[2]
        resources = []
        for res in pkg.get("resources", []):
            res_name = res.get("name", "")
            # A package of many tables shows no previews (each table's CSV is one click away): the page stays light.
            preview = None if count > MANY_RESOURCES else site.si.previews.get(f"{name}/{res_name}")
            if preview is not None:
                preview = preview.head(preview_rows)
            fields = (res.get("schema") or {}).get("fields", [])
            own = [f for f in fields if json.dumps(f, sort_keys=True, default=str) not in shared_keys]
            resources.append({
                "name": res_name, "anchor": "tabel-" + slugify(res_name),
                "title": res.get(site.t("title", "title_en")) or res.get("title") or res_name,
                "description": res.get(site.t("description", "description_en")) or res.get("description", ""),
                "bytes": res.get("bytes"), "hash": res.get("hash"),
                "downloads": downloads.get(res_name, []),
                "completeness": dataset_page.completeness(site, res),
                "fields": _fields_table(site, site.t(f"Kolom {res_name}", f"Fields of {res_name}"), own)
                if own else None,
                "shared": [f.get("name", "") for f in fields if f not in own],
                "preview": None if preview is None else _preview_table(
                    site, site.t(f"Pratinjau: {len(preview)} baris pertama", f"Preview: first {len(preview)} rows"),
                    preview),
            })
        licences = [(lic.get("title") or lic.get("name", ""), _safe_url(str(lic.get("path", ""))))
                    for lic in pkg.get("licenses", [])]
        sources = [(src.get("title", ""), _safe_url(str(src.get("path", "")))) for src in pkg.get("sources", [])]
        title = pkg.get(site.t("title", "title_en")) or pkg.get("title") or name
        files[page] = _render(
            site, "paket.md.j2", page, pkg=pkg, name=name, title=title,
            description=pkg.get(site.t("description", "description_en")) or pkg.get("description", ""),
            resources=resources, licences=licences, sources=sources, code=dataset_page.code(site, page, pkg),
            package_files=dataset_page.package_files(site, page, pkg), cite=dataset_page.cite(site, page, pkg),
            many=count > MANY_RESOURCES,
            shared_fields=_fields_table(site, site.t("Kolom yang sama di beberapa tabel",
                                                     "Fields shared by several tables"), shared) if shared else None,
            schema_org=schema_org_front_matter(site, pkg),
            zip_href=_unduh(site, page, f"{name}.zip"), json_href=_unduh(site, page, f"{name}/datapackage.json"),
            latest_zip_href=_unduh(site, page, f"{name}.zip", version="latest"),
            latest_json_href=_unduh(site, page, f"{name}/datapackage.json", version="latest"),
            releases_href=site.href(page, "data/perubahan.md"),
            citation=site.citation(name))
    return files


def quality(site: Site) -> dict[str, str]:
    page = "data/kualitas.md"
    frame = site.si.quality
    label_col = site.t("label_id", "label_en")
    rows = [[r.get(label_col, ""), Markup(f"<code>{esc(r.get('metrik', ''))}</code>"), site.num(int(r["nilai"]))]
            for r in frame.to_dict("records")]
    table = html_table(site.t("Laporan kualitas data", "Data-quality report"),
                       [site.t("Ukuran", "Measure"), site.t("Kode", "Code"), site.t("Nilai", "Value")], rows,
                       numeric={2}, stack=True)
    csv_path = "data/kualitas.csv"
    csv_text = _csv(["metrik", site.t("label", "label"), site.t("nilai", "value")],
                    [[r.get("metrik", ""), r.get(label_col, ""), int(r["nilai"])] for r in frame.to_dict("records")])
    return {page: _render(site, "kualitas.md.j2", page, table=table, csv_href=site.href(page, csv_path),
                          citation=site.citation("umkm-kualitas-data")),
            csv_path: csv_text}
