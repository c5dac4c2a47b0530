"""One site language in, its area pages out: a profile of every kecamatan and kelurahan ("my area").

Each page answers a resident: how many actors, in which sectors, and how many sell online, received the
Rp300,000 grant, attended training, hold an NIB, by size class and still active, each beside the city's rate,
each with a chart and its table. The figures are the published, protected cells of the area tables
(``<level>_<attribute>`` of umkm-statistik) and, for the city, of the city-wide tables: never recomputed from
the register. Rates come from umkm/site/rates.py (unknowns apart, small bases flagged).
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

from markupsafe import Markup

from umkm.site import charts, images, maps
from umkm.site import rates as site_rates
from umkm.site.context import Cell, Site
from umkm.site.figures import (
    Chart,
    PngOf,
    boundary_areas,
    dataset_link,
    figure,
    map_chart,
    one_dim_figure,
    render_page,
)
from umkm.site.rates import Rate
from umkm.site.render import Figure, html_table, link, svg_size, to_csv


@dataclass(frozen=True)
class Indicator:
    key: str  # the attribute of the area tables
    label_id: str
    label_en: str
    city_table: str  # the city-wide table of the same attribute
    city_dim: int  # its dimension index in that table


INDICATORS = (
    Indicator("pemasaran_online", "Berjualan online", "Sell online", "pemasaran_online_keaktifan", 0),
    Indicator(
        "bantuan_modal",
        "Menerima bantuan modal (hibah) Rp300.000",
        "Received the Rp300,000 capital grant",
        "menurut_bantuan_modal",
        0,
    ),
    Indicator("pelatihan", "Pernah ikut pelatihan", "Attended training", "menurut_pelatihan", 0),
    Indicator("punya_nib", "Memiliki NIB", "Hold an NIB", "menurut_punya_nib", 0),
    Indicator("masih_aktif", "Masih aktif", "Still active", "pemasaran_online_keaktifan", 1),
)
TOP_SECTORS = 7  # sectors drawn one by one in an area's chart; the rest as "other" (the table lists all)


def city_rates(site: Site) -> dict[str, Rate]:
    """The city's rate of each indicator, from the city-wide tables."""
    out = {}
    for ind in INDICATORS:
        cells = site.cells(ind.city_table)
        if cells is not None:
            out[ind.key] = site_rates.yes_rate(cells, ind.city_dim)
    return out


def _area_cells(site: Site, level: str, attribute: str, code: str) -> list[Cell] | None:
    """The cells of one area in ``<level>_<attribute>``, as one-dimension cells of the attribute."""
    cells = site.cells(f"{level}_{attribute}")
    if cells is None:
        return None
    return [Cell(c.codes[1:], c.count) for c in cells if c.codes[0] == code]


def area_total(site: Site, level: str, code: str) -> int | None:
    """Actors of the area: its cell of menurut_<level> (what the statistics pages show)."""
    cells = site.cells(f"menurut_{level}")
    found = [c.count for c in cells or [] if c.codes[0] == code]
    return found[0] if found else None


# ------------------------------------------------------------------ figures of one area


def _profile_items(site: Site, level: str, code: str) -> list[tuple[str, str, Rate, Rate]]:
    """(key, label, area rate, city rate): the five yes/no rates, then the share of each size class."""
    city = city_rates(site)
    items = []
    for ind in INDICATORS:
        cells = _area_cells(site, level, ind.key, code)
        if cells is not None and ind.key in city:
            items.append((ind.key, site.t(ind.label_id, ind.label_en), site_rates.yes_rate(cells), city[ind.key]))
    cells, city_cells = _area_cells(site, level, "skala_usaha", code), site.cells("menurut_skala_usaha")
    if cells is not None and city_cells is not None:
        area_sizes, city_sizes = site_rates.shares(cells), site_rates.shares(city_cells)
        for size in sorted(set(area_sizes) | set(city_sizes), key=lambda c: site.order("skala_usaha", c)):
            if size in city_sizes:
                area = area_sizes.get(size, Rate(0, next(iter(area_sizes.values())).base if area_sizes else 0))
                items.append(
                    (
                        f"skala_usaha={size}",
                        site.t("Usaha ", "") + site.label("skala_usaha", size).lower() + site.t("", " businesses"),
                        area,
                        city_sizes[size],
                    )
                )
    return items


def rates_figure(site: Site, page: str, stem: str, name: str, level: str, code: str) -> Figure | None:
    """The area's yes/no rates and size classes beside the city's: grouped bars (percent) and a table."""
    items = _profile_items(site, level, code)
    if not items:
        return None
    labels = [label for _, label, _, _ in items]
    bars, rows, words = {}, [], []
    for i, (key, label, area, city) in enumerate(items):
        bars[(i, 0)] = charts.Bar("", area.value, site.rate(area), area.uncertain)
        bars[(i, 1)] = charts.Bar("", city.value, site.rate(city), city.uncertain)
        base = (
            ""
            if area.base is None or area.part is None
            else site.t(
                f" ({site.num(area.part)} dari {site.num(area.base)})",
                f" ({site.num(area.part)} of {site.num(area.base)})",
            )
        )
        rows.append(
            [
                label,
                site.rate(area) + base,
                site.rate(city),
                site.num(area.unknown) if area.unknown is not None else site.suppressed_word,
            ]
        )
        words.append(_rate_sentence(site, label, area, city))
    title = site.t(
        f"Profil pelaku UMKM {name} dibanding Kota Balikpapan (persen)",
        f"UMKM actors of {name} against the city (percent)",
    )
    summary = " ".join(words)
    uncertain = any(b.uncertain or b.value is None for b in bars.values())
    note = site.t(*HOLLOW) if uncertain else ""
    svg = charts.grouped_bar_chart(
        labels,
        [name, "Kota Balikpapan"],
        bars,
        title=title,
        desc=summary,
        note=note,
        frame=site.frame(title),
        top=100.0,
    )
    table = html_table(
        title,
        [
            site.t("Indikator", "Indicator"),
            name,
            "Kota Balikpapan",
            site.t("Tidak diketahui (pelaku)", "Unknown (actors)"),
        ],
        rows,
        numeric={1, 2, 3},
        stack=True,
    )
    csv_rows = [[key, code, name, *_rate_csv(area), *_rate_csv(city)] for key, _, area, city in items]
    csv_text = to_csv(
        [
            site.t("indikator", "indicator"),
            site.t(f"{level}_kode", f"{level}_code"),
            site.t(f"{level}_nama", f"{level}_name"),
            site.t("ya", "yes"),
            site.t("dasar", "base"),
            site.t("tidak_diketahui", "unknown"),
            site.t("persen", "percent"),
            site.t("kota_ya", "city_yes"),
            site.t("kota_dasar", "city_base"),
            site.t("kota_tidak_diketahui", "city_unknown"),
            site.t("kota_persen", "city_percent"),
        ],
        csv_rows,
    )
    notes = [
        site.t(
            "Persen = pelaku yang menjawab ya (atau pada skala usaha itu) dari pelaku yang jawabannya tercatat; "
            "yang tidak diketahui dihitung terpisah.",
            "Percent = actors answering yes (or in that size class) among the actors whose answer is "
            "recorded; unknowns are counted apart.",
        )
    ]
    if uncertain:
        notes.append(site.t(*ESTIMATE))
    return figure(
        site, page, stem, [Chart(stem, svg, title)], summary, table, csv_text, notes, [dataset_link(site, page)]
    )


HOLLOW = ("Batang kosong: hanya perkiraan.", "Hollow bar: an estimate only.")
ESTIMATE = (
    "≈ dan batang kosong: hanya perkiraan, karena dihitung dari kurang dari 30 pelaku atau tanpa sel yang "
    "disembunyikan; dari kurang dari 10 pelaku tidak ditampilkan.",
    "≈ and hollow bars: an estimate only, as it comes from fewer than 30 actors or leaves out suppressed "
    "cells; from fewer than 10 actors it is not shown.",
)


def _rate_csv(rate: Rate) -> list[object]:
    value = "" if rate.value is None else f"{rate.value:.1f}"
    return [
        "" if rate.part is None else rate.part,
        "" if rate.base is None else rate.base,
        "" if rate.unknown is None else rate.unknown,
        value,
    ]


def _rate_sentence(site: Site, label: str, area: Rate, city: Rate) -> str:
    """ "Berjualan online: 49,8% (kota 38,2%), lebih tinggi dari kota." """
    compare = site_rates.difference_words(area, city)
    words = {
        "higher": site.t("lebih tinggi dari kota", "higher than the city"),
        "lower": site.t("lebih rendah dari kota", "lower than the city"),
        "similar": site.t("hampir sama dengan kota", "about the same as the city"),
    }
    text = f"{label}: {site.rate(area)} ({site.t('kota', 'city')} {site.rate(city)})"
    return text + (f", {words[compare]}." if compare else ".")


def shares_figure(
    site: Site,
    page: str,
    stem: str,
    name: str,
    level: str,
    code: str,
    attribute: str,
    city_table: str,
    title: str,
    *,
    top: int | None = None,
) -> Figure | None:
    """The area's mix along ``attribute`` (size class, KBLI category) against the city's, in percent of the actors
    whose category is recorded."""
    cells = _area_cells(site, level, attribute, code)
    city_cells = site.cells(city_table)
    if cells is None or city_cells is None:
        return None
    area, city = site_rates.shares(cells), site_rates.shares(city_cells)
    codes = sorted(set(area) | set(city), key=lambda c: site.order(attribute, c))
    codes = [c for c in codes if (area.get(c) and area[c].part) or (city.get(c) and city[c].part)]
    drawn = codes
    other_area = other_city = None
    if top is not None and len(codes) > top + 1:
        drawn = sorted(codes, key=lambda c: (-(area[c].part or 0) if c in area else 0, site.order(attribute, c)))[:top]
        drawn = sorted(drawn, key=lambda c: site.order(attribute, c))
        rest = [c for c in codes if c not in drawn]
        other_area = _combined([area[c] for c in rest if c in area])
        other_city = _combined([city[c] for c in rest if c in city])
    labels = [site.label(attribute, c) for c in drawn]
    bars = {}
    for i, c in enumerate(drawn):
        for s, rates in enumerate((area, city)):
            rate = rates.get(c)
            if rate is not None:
                bars[(i, s)] = charts.Bar("", rate.value, site.rate(rate), rate.uncertain)
    if other_area is not None:
        labels.append(site.t("Lainnya", "Other"))
        bars[(len(drawn), 0)] = charts.Bar("", other_area.value, site.rate(other_area), other_area.uncertain)
        bars[(len(drawn), 1)] = charts.Bar("", other_city.value, site.rate(other_city), other_city.uncertain)
    known = [(site.label(attribute, c), area[c]) for c in codes if c in area and area[c].part]
    summary = _mix_sentence(site, name, known, next(iter(area.values())).unknown if area else 0)
    uncertain = any(b.uncertain for b in bars.values())
    svg = charts.grouped_bar_chart(
        labels,
        [name, "Kota Balikpapan"],
        bars,
        title=title,
        desc=summary,
        note=site.t(*HOLLOW) if uncertain else "",
        frame=site.frame(title),
        top=max([b.value for b in bars.values() if b.value is not None] + [1.0]),
    )
    rows = [
        [
            site.label(attribute, c),
            site.num(area[c].part) if c in area else "0",
            site.rate(area[c]) if c in area else "–",
            site.rate(city[c]) if c in city else "–",
        ]
        for c in codes
    ]
    table = html_table(
        title,
        [site.header(attribute), site.t("Pelaku", "Actors"), name, "Kota Balikpapan"],
        rows,
        numeric={1, 2, 3},
        stack=True,
    )
    csv_text = to_csv(
        [
            site.csv_name(attribute),
            site.csv_label_name(attribute),
            site.t("pelaku", "actors"),
            site.t("persen", "percent"),
            site.t("kota_persen", "city_percent"),
        ],
        [
            [
                c,
                site.label(attribute, c),
                "" if c not in area or area[c].part is None else area[c].part,
                "" if c not in area or area[c].value is None else f"{area[c].value:.1f}",
                "" if c not in city or city[c].value is None else f"{city[c].value:.1f}",
            ]
            for c in codes
        ],
    )
    notes = [
        site.t(
            "Persen dari pelaku yang kategorinya tercatat; yang tidak diketahui tidak dihitung.",
            "Percent of the actors whose category is recorded; unknowns are not counted.",
        )
    ]
    if uncertain:
        notes.append(site.t(*ESTIMATE))
    return figure(
        site, page, stem, [Chart(stem, svg, title)], summary, table, csv_text, notes, [dataset_link(site, page)]
    )


def _combined(rates: list[Rate]) -> Rate | None:
    if not rates:
        return None
    parts = [r.part for r in rates]
    return Rate(None if None in parts else sum(parts), rates[0].base, rates[0].unknown)


def _mix_sentence(site: Site, name: str, known: list[tuple[str, Rate]], unknown: int | None) -> str:
    """The largest categories of the area in words (known categories only: unknowns are never ranked)."""
    shown = sorted([(label, r) for label, r in known if r.value is not None], key=lambda item: -item[1].value)
    if not shown:
        return site.t(
            f"Kategori pelaku di {name} tidak tercatat atau terlalu sedikit untuk ditampilkan.",
            f"The categories of the actors in {name} are not recorded or too few to show.",
        )
    listed = "; ".join(f"{label} {site.rate(rate)}" for label, rate in shown[:3])
    text = site.t(f"Terbanyak di {name}: {listed}.", f"Largest in {name}: {listed}.")
    if unknown:
        text += site.t(f" Tidak diketahui: {site.num(unknown)} pelaku.", f" Unknown: {site.num(unknown)} actors.")
    return text


def profile_figures(site: Site, page: str, prefix: str, name: str, level: str, code: str) -> list[tuple[str, Figure]]:
    """(heading, figure) of an area's profile: rates, size class, sector mix (those whose tables are published)."""
    out = []
    rates = rates_figure(site, page, f"{prefix}-profil", name, level, code)
    if rates is not None:
        out.append(
            (
                site.t(
                    "Berjualan online, bantuan modal, pelatihan, NIB, keaktifan dan skala usaha",
                    "Online selling, capital grant, training, NIB, activity and size class",
                ),
                rates,
            )
        )
    sectors = shares_figure(
        site,
        page,
        f"{prefix}-kbli",
        name,
        level,
        code,
        "kbli_kategori",
        "menurut_kbli_kategori",
        site.t(
            f"Lapangan usaha (kategori KBLI 2020) di {name} dibanding kota (persen)",
            f"Sectors (KBLI 2020 categories) in {name} against the city (percent)",
        ),
        top=TOP_SECTORS,
    )
    if sectors is not None:
        out.append((site.t("Lapangan usaha", "Sectors"), sectors))
    return out


def headline(site: Site, name: str, level: str, code: str) -> str:
    """The profile in two or three plain sentences (the top of the page)."""
    city = city_rates(site)
    parts = []
    for ind in INDICATORS[:3]:
        cells = _area_cells(site, level, ind.key, code)
        if cells is None or ind.key not in city:
            continue
        area = site_rates.yes_rate(cells)
        if area.value is None:
            continue
        compare = site_rates.difference_words(area, city[ind.key])
        lead = {
            "pemasaran_online": site.t("berjualan online", "sell online"),
            "bantuan_modal": site.t("menerima bantuan modal Rp300.000", "received the Rp300,000 grant"),
            "pelatihan": site.t("pernah ikut pelatihan", "attended training"),
        }[ind.key]
        words = {
            "higher": site.t("di atas", "above"),
            "lower": site.t("di bawah", "below"),
            "similar": site.t("sekitar", "about"),
        }
        city_part = (
            f" ({words[compare]} {site.t('angka kota', 'the city rate of')} {site.rate(city[ind.key])})"
            if compare
            else ""
        )
        parts.append(f"{site.rate(area)} {lead}{city_part}")
    if not parts:
        return ""
    return (
        site.t(
            f"Dari pelaku yang jawabannya tercatat di {name}: ", f"Of the actors in {name} whose answer is recorded: "
        )
        + "; ".join(parts)
        + "."
    )


# ------------------------------------------------------------------ pages


def areas(site: Site) -> dict[str, object]:
    files: dict[str, object] = {}
    kec_cells = {c.codes[0]: c.count for c in site.cells("menurut_kecamatan") or []}
    kel_cells = {c.codes[0]: c.count for c in site.cells("menurut_kelurahan") or []}
    kel_areas = boundary_areas(site, "kelurahan")
    published = sorted((n for n in kec_cells.values() if n is not None), reverse=True)
    city_total = site_rates.total(site.cells("menurut_kecamatan") or [])
    for code, kec in sorted(site.kecamatan.items()):
        page = site.kecamatan_page(code)
        name = kec["nama"]
        slug = site.kecamatan_slug(code)
        n = kec_cells.get(code, "absent")
        kel_codes = sorted(k for k, row in site.kelurahan.items() if row["kode_kecamatan"] == code)
        kec_areas = boundary_areas(site, "kecamatan")
        locator = maps.locator_map(
            kec_areas,
            [a for a in kec_areas if a.code == code],
            title=site.t(f"Letak Kecamatan {name}", f"Location of {name}"),
            desc=site.t(
                f"Peta Kota Balikpapan; Kecamatan {name} disorot.",
                f"Map of Kota Balikpapan with Kecamatan {name} highlighted.",
            ),
        )
        locator_path = page[:-3] + "-peta.svg"
        files[locator_path] = locator
        figures = []
        map_title = site.t(
            f"Peta pelaku UMKM menurut kelurahan di Kecamatan {name}", f"Map of UMKM actors by kelurahan in {name}"
        )
        values = {k: kel_cells[k] for k in kel_codes if k in kel_cells}
        kel_fig = one_dim_figure(
            site,
            page,
            f"{slug}-kelurahan",
            site.t(f"Pelaku UMKM menurut kelurahan di Kecamatan {name}", f"UMKM actors by kelurahan in {name}"),
            "kelurahan_kode",
            [Cell((k,), kel_cells[k]) for k in kel_codes if k in kel_cells],
            sort_by_value=True,
            link_to=lambda k: site.kelurahan_page(k),
        )
        area_map = map_chart(
            site,
            page,
            f"{slug}-peta-kelurahan",
            "kelurahan",
            values,
            map_title,
            kel_fig.summary,
            link_to=lambda k: site.kelurahan_page(k) if k in site.kelurahan else None,
            mapped=set(kel_codes),
        )
        files[posixpath.join(posixpath.dirname(page), f"{slug}-peta-kelurahan.svg")] = area_map.svg
        files[posixpath.join(posixpath.dirname(page), f"{slug}-peta-kelurahan.png")] = PngOf(area_map.svg)
        figures.append((site.t("Kelurahan", "Kelurahan"), kel_fig))
        figures += profile_figures(site, page, slug, name, "kecamatan", code)
        for _, fig in figures:
            files.update(fig.files)
        rank = published.index(n) + 1 if isinstance(n, int) and n in published else None
        sentra_here = [(s, row) for s, row in sorted(site.sentra.items()) if row["kode_kecamatan"] == code]
        card = _card(
            site, page, f"{slug}-kartu", site.t(f"Kecamatan {name}", f"{name} (kecamatan)"), n, "kecamatan", code
        )
        files.update(card)
        files[page] = render_page(
            site,
            "kecamatan.md.j2",
            page,
            name=name,
            kec=kec,
            count=n,
            rank=rank,
            n_kecamatan=len(site.kecamatan),
            city_total=city_total,
            figures=figures,
            area_map=area_map,
            locator=posixpath.basename(locator_path),
            locator_size=svg_size(locator),
            map_links=_map_downloads(site, page, f"{slug}-peta-kelurahan"),
            headline=headline(site, name, "kecamatan", code),
            image=_image_path(page, f"{slug}-kartu"),
            sentra_here=sentra_here,
            citation=site.citation(),
        )
        for k in kel_codes:
            files.update(_kelurahan_page(site, k, kel_cells, kec_cells, kel_areas, kel_codes))
    return files


def _map_downloads(site: Site, page: str, stem: str) -> Markup:
    folder = posixpath.dirname(page)
    return Markup(
        " ".join(
            link(
                site.href(page, posixpath.join(folder, f"{stem}.{ext}")),
                f"{ext.upper()} " + site.t("peta", "map"),
                "md-button",
            )
            for ext in ("svg", "png")
        )
    )


def _image_path(page: str, stem: str) -> str:
    return posixpath.join(posixpath.dirname(page), f"{stem}.png")


def _card(site: Site, page: str, stem: str, title: str, count, level: str, code: str) -> dict[str, object]:
    """The Open Graph card of an area page: its name, its actors and three rates beside the city's."""
    city = city_rates(site)
    figures = []
    if isinstance(count, int):
        figures.append((site.num(count), site.t("pelaku UMKM", "UMKM actors")))
    for ind in INDICATORS[:3]:
        cells = _area_cells(site, level, ind.key, code)
        if cells is not None and ind.key in city:
            rate = site_rates.yes_rate(cells)
            figures.append(
                (
                    site.rate(rate),
                    site.t(ind.label_id, ind.label_en).split(" (")[0]
                    + site.t(f" (kota {site.rate(city[ind.key])})", f" (city {site.rate(city[ind.key])})"),
                )
            )
    svg = images.card(
        title,
        site.t("Profil UMKM", "UMKM profile"),
        figures[:4],
        site.frame(title),
        site.t("Data UMKM Kota Balikpapan", "UMKM data of Kota Balikpapan"),
    )
    return {_image_path(page, stem): PngOf.card(svg)}


def _kelurahan_page(site: Site, code: str, kel_cells, kec_cells, kel_areas, siblings) -> dict[str, object]:
    kel = site.kelurahan[code]
    page = site.kelurahan_page(code)
    name = kel["nama"]
    slug = posixpath.basename(page)[:-3]
    locator = maps.locator_map(
        boundary_areas(site, "kecamatan"),
        [a for a in kel_areas if a.code == code],
        title=site.t(f"Letak Kelurahan {name}", f"Location of {name}"),
        desc=site.t(
            f"Peta Kota Balikpapan; Kelurahan {name} disorot.",
            f"Map of Kota Balikpapan with Kelurahan {name} highlighted.",
        ),
    )
    locator_path = page[:-3] + "-peta.svg"
    n = kel_cells.get(code, "absent")
    sibling_counts = sorted((kel_cells[s] for s in siblings if isinstance(kel_cells.get(s), int)), reverse=True)
    rank = sibling_counts.index(n) + 1 if isinstance(n, int) else None
    kec_n = kec_cells.get(kel["kode_kecamatan"])
    sentra_here = [(s, row) for s, row in sorted(site.sentra.items()) if row["kode_kelurahan"] == code]
    figures = profile_figures(site, page, slug, name, "kelurahan", code)
    files: dict[str, object] = {locator_path: locator}
    for _, fig in figures:
        files.update(fig.files)
    files.update(
        _card(site, page, f"{slug}-kartu", site.t(f"Kelurahan {name}", f"{name} (kelurahan)"), n, "kelurahan", code)
    )
    files[page] = render_page(
        site,
        "kelurahan.md.j2",
        page,
        name=name,
        kel=kel,
        count=n,
        rank=rank,
        n_siblings=len(siblings),
        kec_count=kec_n if isinstance(kec_n, int) else None,
        kec_page=site.kecamatan_page(kel["kode_kecamatan"]),
        sentra_here=sentra_here,
        locator=posixpath.basename(locator_path),
        locator_size=svg_size(locator),
        figures=figures,
        headline=headline(site, name, "kelurahan", code),
        image=_image_path(page, f"{slug}-kartu"),
        citation=site.citation(),
    )
    return files
