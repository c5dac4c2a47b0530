"""One site language and a table's cells in; a figure out: chart (or map), table, summary, notes and downloads.

The pieces every page kind puts on its pages: ``one_dim_figure``, ``two_dim_figure``,
``magnitude_figure``, ``map_chart``, and ``render_page``, a page template filled with what
every page shows. A PNG is asked for as ``PngOf``; umkm/site/pages.py renders them all.
"""

from __future__ import annotations

import html
import posixpath
from dataclasses import dataclass

from markupsafe import Markup

from umkm.disclose.tables import CELL_STATUS, COUNT
from umkm.site import charts, maps
from umkm.site.context import (
    Cell,
    Site,
    count_cell,
    lower_first,
    protection_note,
    summary_1d,
    suppression_note,
)
from umkm.site.render import Figure, esc, html_table, link, render_template, svg_size, to_csv
from umkm.vocabulary import LICENCE


@dataclass(frozen=True)
class Chart:
    """One image of a figure: its file stem, the SVG file (framed: it carries its title and source), its title,
    and for a map the inline, clickable version for the page with the key of its numbered areas."""

    stem: str
    svg: str
    title: str
    inline: Markup | None = None
    key: Markup | None = None


def one_dim_figure(
    site: Site,
    page: str,
    stem: str,
    title: str,
    dim: str,
    cells: list[Cell],
    *,
    sort_by_value: bool = False,
    link_to=None,
    map_level: str | None = None,
    extra_downloads=(),
) -> Figure:
    """Bar chart (and a choropleth when ``map_level`` is given) + table + summary + CSV of one dimension."""
    items = list(cells)
    if sort_by_value:  # published from largest, then suppressed, then unknown
        items.sort(key=lambda c: (c.codes[0] == "", c.count is None, -(c.count or 0)))
    labels = [site.label(dim, c.codes[0]) for c in items]
    unknown = [c.count for c in items if c.codes[0] == ""]
    summary = summary_1d(
        site,
        [(label, c.count) for label, c in zip(labels, items) if c.codes[0] != ""],
        lower_first(title),
        unknown[0] if unknown else 0,
    )
    hidden = any(c.count is None for c in items)
    note = site.t("Arsir = disembunyikan (bukan nol)", "Hatched = suppressed (not zero)") if hidden else ""
    svg = charts.bar_chart(
        [charts.Bar(label, c.count, site.num(c.count)) for label, c in zip(labels, items)],
        title=title,
        desc=summary,
        note=note,
        frame=site.frame(title),
    )
    rows = []
    for label, c in zip(labels, items):
        target = link_to(c.codes[0]) if link_to else None
        name = link(site.href(page, target), label) if target else label
        rows.append([name, c.codes[0] or "–", count_cell(site, c.count)])
    table = html_table(
        title, [site.header(dim), site.t("Kode", "Code"), site.t("Jumlah pelaku", "Actors")], rows, numeric={2}
    )
    csv_text = to_csv(
        [site.csv_name(dim), site.csv_label_name(dim), site.t(COUNT, "actors"), site.t(CELL_STATUS, "cell_status")],
        [
            [c.codes[0], label, "" if c.count is None else c.count, "" if c.count is not None else site.suppressed_word]
            for label, c in zip(labels, items)
        ],
    )
    charts_ = [Chart(stem, svg, title)]
    if map_level:
        map_title = site.t("Peta: ", "Map: ") + title
        values = {c.codes[0]: c.count for c in cells if c.codes[0]}
        charts_.insert(0, map_chart(site, page, f"{stem}-peta", map_level, values, map_title, summary, link_to=link_to))
    notes = [suppression_note(site)] if hidden else []
    if map_level:
        notes.append(BOUNDARY_NOTE)
    return figure(site, page, stem, charts_, summary, table, csv_text, notes, extra_downloads)


BOUNDARY_NOTE = (
    "Batas wilayah: cahyadsn/wilayah_boundaries (MIT), disederhanakan.",
    "Boundaries: cahyadsn/wilayah_boundaries (MIT), simplified.",
)


def two_dim_figure(
    site: Site,
    page: str,
    stem: str,
    title: str,
    dims: tuple[str, str],
    cells: list[Cell],
    group_dim: str,
    extra_downloads=(),
) -> Figure:
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
    values = {
        (gi, si): charts.Bar("", by_key[(g, s)], site.num(by_key[(g, s)]))
        for gi, g in enumerate(groups)
        for si, s in enumerate(series)
        if (g, s) in by_key
    }
    # Ranked: the combinations of known categories only, named by both dimensions.
    items = [
        (f"{site.header_lower(dims[g_i])} {g_labels[gi]}, {site.header_lower(dims[s_i])} {s_labels[si]}", bar.value)
        for (gi, si), bar in sorted(values.items())
        if groups[gi] != "" and series[si] != ""
    ]
    unknown_cells = [bar.value for (gi, si), bar in values.items() if groups[gi] == "" or series[si] == ""]
    unknown = None if any(v is None for v in unknown_cells) else sum(unknown_cells)
    summary = summary_1d(site, items, lower_first(title), unknown)
    if groups:
        summary = _margins(site, dims[g_i], g_i, groups, g_labels, cells) + " " + summary
    hidden = any(bar.value is None for bar in values.values())
    note = site.t("Arsir = disembunyikan (bukan nol)", "Hatched = suppressed (not zero)") if hidden else ""
    svg = charts.grouped_bar_chart(
        g_labels,
        s_labels,
        values,
        title=title,
        desc=summary,
        note=note,
        legend_title=site.header(dims[s_i]),
        frame=site.frame(title),
    )
    rows = [
        [g_labels[gi]] + [count_cell(site, by_key[(g, s)]) if (g, s) in by_key else "–" for s in series]
        for gi, g in enumerate(groups)
    ]
    table = html_table(
        title,
        [site.header(dims[g_i])] + s_labels,
        rows,
        numeric=set(range(1, len(series) + 1)),
        column_group=site.header(dims[s_i]),
    )
    csv_rows = [
        [
            c.codes[0],
            site.label(dims[0], c.codes[0]),
            c.codes[1],
            site.label(dims[1], c.codes[1]),
            "" if c.count is None else c.count,
            "" if c.count is not None else site.suppressed_word,
        ]
        for c in cells
    ]
    csv_text = to_csv(
        [
            site.csv_name(dims[0]),
            site.csv_label_name(dims[0]),
            site.csv_name(dims[1]),
            site.csv_label_name(dims[1]),
            site.t(COUNT, "actors"),
            site.t(CELL_STATUS, "cell_status"),
        ],
        csv_rows,
    )
    notes = [suppression_note(site)] if hidden else []
    if empty_labels:
        notes.append(
            site.t("Tanpa pelaku tercatat (0, tidak ditampilkan): ", "No actor recorded (0, not shown): ")
            + "; ".join(empty_labels)
            + "."
        )
    if any((g, s) not in by_key for g in groups for s in series):
        notes.append(site.t("– : kombinasi tanpa pelaku tercatat.", "– : no actor recorded for this combination."))
    return figure(site, page, stem, [Chart(stem, svg, title)], summary, table, csv_text, notes, extra_downloads)


def _margins(site: Site, dim: str, g_i: int, groups: list[str], labels: list[str], cells: list[Cell]) -> str:
    """'By <dim>: A 1,234 (40.1%); B ≥ 567; ...': totals along the chart's axis (≥ where a cell is suppressed)."""
    totals = []
    for g, label in zip(groups, labels):
        mine = [c for c in cells if c.codes[g_i] == g]
        totals.append((label, sum(c.count for c in mine if c.count is not None), any(c.count is None for c in mine)))
    grand = sum(total for _, total, _ in totals)
    exact = not any(partial for _, _, partial in totals)
    parts = [
        f"{label} {'≥ ' if partial else ''}{site.num(total)}"
        + (f" ({site.pct(total, grand)})" if exact and grand else "")
        for label, total, partial in totals
    ]
    return site.t(f"Menurut {site.header_lower(dim)}: ", f"By {site.header_lower(dim)}: ") + "; ".join(parts) + "."


def figure(
    site: Site,
    page: str,
    stem: str,
    chart_list: list[Chart],
    summary: str,
    table: Markup,
    csv_text: str,
    notes,
    extra_downloads,
    show_summary: bool = True,
) -> Figure:
    """The chart(s) beside the table, the summary, notes and downloads: CSV, and SVG and PNG of each image
    (the PNG rendered from the SVG by build_pages), with the code to embed it elsewhere."""
    folder = posixpath.dirname(page)
    files: dict[str, object] = {}
    images, maps_, downloads, embeds = [], [], [], []
    csv_path = posixpath.join(folder, f"{stem}.csv")
    files[csv_path] = csv_text
    downloads.append(
        link(site.href(page, csv_path), site.t("CSV (angka grafik ini)", "CSV (this chart's numbers)"), "md-button")
    )
    for chart in chart_list:
        path = posixpath.join(folder, f"{chart.stem}.svg")
        png = path[:-4] + ".png"
        files[path], files[png] = chart.svg, PngOf(chart.svg)
        width, height = svg_size(chart.svg)
        if chart.inline is not None:  # a map takes the column's width, above the chart and its table
            maps_.append(
                f'<div class="umkm-figur-peta"><figure class="umkm-peta">{chart.inline}{chart.key or ""}'
                f"</figure></div>\n\n"
            )
        else:
            images.append(
                f'<figure class="umkm-grafik"><img src="{html.escape(site.href(page, path))}" '
                f'alt="{esc(chart.title + ". " + summary)}" width="{width}" height="{height}"></figure>'
            )
        is_map = chart.inline is not None or chart.stem.endswith("-peta")
        kind = site.t("peta", "map") if is_map else site.t("grafik", "chart")
        downloads.append(link(site.href(page, path), f"SVG {kind}", "md-button"))
        downloads.append(link(site.href(page, png), f"PNG {kind}", "md-button"))
        embeds.append(embed_snippet(site, page, png, chart.title, width, height))
    downloads += list(extra_downloads)
    body = (
        "".join(maps_) + f'<div class="umkm-figur"><div class="umkm-grafik-kolom">{"".join(images)}</div>'
        f'<div class="umkm-tabel" tabindex="0" role="region" aria-label="{esc(chart_list[-1].title)}">{table}</div>'
        f"</div>\n\n"
        + (f'<p class="umkm-ringkasan">{esc(summary)}</p>\n\n' if show_summary else "")
        + "".join(f'<p class="umkm-catatan">{esc(site.t(*n) if isinstance(n, tuple) else n)}</p>\n\n' for n in notes)
        + f'<p class="umkm-unduh">{" ".join(downloads)}</p>\n\n'
        + "".join(embeds)
    )
    return Figure(Markup(body), summary, files)


def embed_snippet(site: Site, page: str, png: str, title: str, width: str, height: str) -> str:
    """The HTML another site pastes to show this chart: the PNG at its fixed address, a caption with the
    source, licence and a link back (a <details>, closed: it costs the reader nothing)."""
    code = (
        f'<figure><img src="{site.page_url(png)}" alt="{html.escape(title)}" width="{width}" '
        f'height="{height}" style="max-width:100%;height:auto"><figcaption><a href="{site.page_url(page)}">'
        f"{html.escape(title)}</a>. {html.escape(site.t('Sumber', 'Source'))}: {html.escape(site.publisher)}, "
        f"{html.escape(site.t('rilis', 'release'))} {site.si.release.version}. {LICENCE.short_title}.</figcaption></figure>"
    )
    return (
        f'<details class="umkm-sematkan"><summary>{esc(site.t("Sematkan grafik ini di situs Anda", "Embed this chart on your site"))}'
        f": {esc(title)}</summary><p>{esc(site.t('Salin kode HTML ini:', 'Copy this HTML code:'))}</p>"
        f"<pre><code>{esc(code)}</code></pre></details>\n\n"
    )


@dataclass(frozen=True)
class PngOf:
    """A PNG file to render from this SVG (build_pages renders every one, with its cache); ``is_card``: a
    preview card (umkm/site/images.py card), rendered at 1200 x 630."""

    svg: str
    is_card: bool = False

    @classmethod
    def card(cls, svg: str) -> "PngOf":
        return cls(svg, is_card=True)


def boundary_areas(site: Site, level: str) -> list[maps.Area]:
    geojson = site.ref.kecamatan_geojson if level == "kecamatan" else site.ref.kelurahan_geojson
    return [
        maps.Area(str(f["properties"]["kode"]), str(f["properties"]["nama"]), f["geometry"])
        for f in sorted(geojson["features"], key=lambda f: str(f["properties"]["kode"]))
    ]


def map_chart(
    site: Site,
    page: str,
    stem: str,
    level: str,
    values: dict[str, int | None],
    title: str,
    summary: str,
    *,
    link_to=None,
    mapped: set[str] | None = None,
) -> Chart:
    """A choropleth twice: framed as a file (SVG, PNG) and inline for the page, each area a link to its page,
    with the key of its numbered areas as a list of links."""
    areas = boundary_areas(site, level)
    options = dict(
        title=title,
        desc=summary,
        legend_title=site.t("Jumlah pelaku", "Actors"),
        suppressed_label=site.suppressed_word,
        no_data_label=site.t("tidak ada data", "no data"),
        format_number=site.num,
        mapped=mapped,
    )
    svg = maps.choropleth(areas, values, frame=site.frame(title), **options)
    links = {}
    for area in areas:
        target = link_to(area.code) if link_to else None
        if target and (mapped is None or area.code in mapped):
            links[area.code] = site.href(page, target)
    inline = maps.choropleth(areas, values, links=links, link_label=lambda a, shown: f"{a.name}: {shown}", **options)
    # In the page: no namespace needed, and ids of its own (a page may hold other SVG).
    inline = (
        inline.replace('<svg xmlns="http://www.w3.org/2000/svg" ', "<svg ", 1)
        .replace('aria-labelledby="title desc"', f'aria-labelledby="{stem}-judul"', 1)
        .replace('<title id="title">', f'<title id="{stem}-judul">', 1)
        .replace(' id="desc"', "", 1)
    )
    numbered = maps.numbered_areas(areas, mapped)
    key = None
    if numbered:
        items = "".join(
            f'<li value="{i}">{link(links[a.code], a.name) if a.code in links else esc(a.name)}</li>'
            for i, a in enumerate(numbered, start=1)
        )
        key = Markup(
            f'<figcaption><span class="umkm-kunci-judul">{esc(site.t("Nomor pada peta", "Numbers on the map"))}'
            f'</span><ol class="umkm-kunci">{items}</ol></figcaption>'
        )
    return Chart(stem, svg, title, Markup(inline), key)


def dataset_link(site: Site, page: str) -> Markup:
    return link(
        site.href(page, "data/umkm-statistik.md"),
        site.t("Paket data statistik", "Statistics data package"),
        "md-button",
    )


def render_page(site: Site, template: str, page: str, **context) -> str:
    release = site.si.release
    return render_template(
        template,
        site=site,
        page=page,
        release=release,
        lang=site.lang,
        publisher=site.publisher,
        protection=protection_note(site, page),
        **context,
    )


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

    title = site.t("Omzet, modal dan tenaga kerja menurut ", "Turnover, capital and workers by ") + site.header_lower(
        dim
    )
    rows = [
        [site.label(dim, code), code or "–"]
        + [shown(spec, values[code]) if code in values else "–" for spec, values in columns]
        for code in codes
    ]
    table = html_table(
        title,
        [site.header(dim), site.t("Kode", "Code")] + [header(spec) for spec, _ in columns],
        rows,
        numeric=set(range(2, 2 + len(columns))),
    )
    csv_rows = [
        [
            code,
            site.label(dim, code),
            spec.name,
            spec.title_id if site.lang == "id" else spec.title_en,
            "" if values[code] is None else values[code],
            "rupiah" if spec.value.endswith("_rupiah") else site.t("orang", "persons"),
            "" if values[code] is not None else site.suppressed_word,
        ]
        for code in codes
        for spec, values in columns
        if code in values
    ]
    csv_text = to_csv(
        [
            site.csv_name(dim),
            site.csv_label_name(dim),
            site.t("ukuran", "measure"),
            site.t("judul", "title"),
            site.t("nilai", "value"),
            site.t("satuan", "unit"),
            site.t(CELL_STATUS, "cell_status"),
        ],
        csv_rows,
    )
    folder = posixpath.dirname(page)
    csv_path = posixpath.join(folder, f"{stem}.csv")
    notes = [
        site.t(
            "Jumlah atas pelaku yang nilainya tercatat di register (nilai yang dilaporkan sendiri, belum diverifikasi). "
            "Sel disembunyikan bila kurang dari 3 pelaku menyumbang atau satu pelaku mendominasi jumlahnya (aturan p%, "
            "p = 10), dan sel lain yang dapat membukanya kembali.",
            "Sums over the actors whose value is recorded in the register (self-reported, not verified). A cell is "
            "suppressed when fewer than 3 actors contribute or one actor dominates the sum (p% rule, p = 10), as is any "
            "cell that would reveal it.",
        )
    ]
    downloads = [
        link(site.href(page, csv_path), site.t("CSV (tabel ini)", "CSV (this table)"), "md-button"),
        dataset_link(site, page),
    ]
    body = (
        f'<div class="umkm-gulir" tabindex="0" role="region" aria-label="{esc(title)}">{table}</div>\n\n'
        + "".join(f'<p class="umkm-catatan">{esc(n)}</p>\n\n' for n in notes)
        + f'<p class="umkm-unduh">{" ".join(downloads)}</p>\n'
    )
    return Figure(Markup(body), title, {csv_path: csv_text})
