"""One site language in, the home page out: the register's story in plain words, a way in for residents (a
kelurahan finder and a clickable map), and what changed since the previous release (with a trend chart where
several releases are published).

Every sentence is generated from published figures: rates from one table's cells (site_rates), unknowns
reported apart and never ranked, "tidak tercatat" where the register does not record something (never 0).
"""

from __future__ import annotations

import unicodedata

from markupsafe import Markup

from umkm.disclose.tables import TABLES_BY_NAME
from umkm.site import charts, images
from umkm.site import rates as site_rates
from umkm.site.areas import INDICATORS, city_rates
from umkm.site.context import Cell, Site, table_cells
from umkm.site.figures import Chart, PngOf, dataset_link, figure, map_chart, render_page
from umkm.site.render import esc, html_table, to_csv
from umkm.site.sentra_pages import sentra_recorded
from umkm.site.stat_pages import STAT_PAGES, active_by_online

KULINER = "I"  # KBLI 2020 kategori I, Penyediaan Akomodasi dan Penyediaan Makan Minum: where culinary UMKM are


def total_actors(site: Site) -> tuple[int, bool]:
    """(total, exact): exact from a one-dimension table without suppressed cells, else a lower bound."""
    best = 0
    for name in (
        "menurut_skala_usaha",
        "menurut_kecamatan",
        "menurut_sentra",
        "menurut_pelatihan",
        "menurut_bantuan_modal",
        "menurut_kbli_kategori",
        "menurut_kelurahan",
    ):
        cells = site.cells(name)
        if not cells:
            continue
        published = sum(c.count for c in cells if c.count is not None)
        if all(c.count is not None for c in cells):
            return published, True
        best = max(best, published)
    return best, False


# ------------------------------------------------------------------ the story


def online_and_active(site: Site, page: str):
    """The seed's story as a figure: the share still active among online sellers and among the rest."""
    sentence, online, offline = active_by_online(site)
    if sentence is None:
        return None, None
    title = site.t(
        "Masih aktif: yang berjualan online dan yang tidak (persen)",
        "Still active: actors who sell online and those who do not (percent)",
    )
    labels = (site.t("Berjualan online", "Sell online"), site.t("Tidak berjualan online", "Do not sell online"))
    svg = charts.bar_chart(
        [
            charts.Bar(labels[0], online.value, site.rate(online), online.uncertain),
            charts.Bar(labels[1], offline.value, site.rate(offline), offline.uncertain),
        ],
        title=title,
        desc=sentence,
        frame=site.frame(title),
        top=100.0,
    )
    rows = [
        [label, site.rate(rate), site.num(rate.part), site.num(rate.base), site.num(rate.unknown)]
        for label, rate in zip(labels, (online, offline))
    ]
    table = html_table(
        title,
        [
            site.t("Pemasaran online", "Online selling"),
            site.t("Masih aktif", "Still active"),
            site.t("Aktif (pelaku)", "Active (actors)"),
            site.t("Keaktifan tercatat", "Activity recorded"),
            site.t("Keaktifan tidak diketahui", "Activity unknown"),
        ],
        rows,
        numeric={1, 2, 3, 4},
    )
    csv_text = to_csv(
        [
            site.t("pemasaran_online", "sells_online"),
            site.t("masih_aktif", "active"),
            site.t("keaktifan_tercatat", "activity_recorded"),
            site.t("persen_aktif", "percent_active"),
        ],
        [
            [code, rate.part, rate.base, "" if rate.value is None else f"{rate.value:.1f}"]
            for code, rate in (("ya", online), ("tidak", offline))
        ],
    )
    fig = figure(
        site,
        page,
        "aktif-online",
        [Chart("aktif-online", svg, title)],
        sentence,
        table,
        csv_text,
        [],
        [dataset_link(site, page)],
        show_summary=False,
    )  # the story above says it
    return sentence, fig


def headline_rates(site: Site) -> list[tuple[str, str, str]]:
    """(rate, what, statistics page) of each yes/no indicator of the city."""
    pages = {
        "pemasaran_online": "statistik/pemasaran-online.md",
        "bantuan_modal": "statistik/bantuan-modal.md",
        "pelatihan": "statistik/pelatihan.md",
        "punya_nib": "statistik/nib.md",
        "masih_aktif": "statistik/pemasaran-online.md",
    }
    words = {
        "pemasaran_online": ("berjualan online", "sell online"),
        "bantuan_modal": ("menerima bantuan modal (hibah) Rp300.000", "received the Rp300,000 capital grant"),
        "pelatihan": ("pernah ikut pelatihan", "attended training"),
        "punya_nib": ("memiliki NIB", "hold an NIB"),
        "masih_aktif": ("masih aktif", "are still active"),
    }
    return [
        (site.rate(rate), site.t(*words[key]), pages[key]) for key, rate in city_rates(site).items() if rate.recorded
    ]


def kuliner_sentence(site: Site) -> str:
    cells = site.cells("menurut_kbli_kategori")
    if not cells:
        return ""
    share = site_rates.shares(cells).get(KULINER)
    if share is None or share.value is None:
        return ""
    return site.t(
        f"{site.rate(share)} pelaku yang lapangan usahanya tercatat bergerak di kategori I, penyediaan akomodasi dan "
        f"makan minum: di sinilah usaha kuliner.",
        f"{site.rate(share)} of the actors whose sector is recorded are in category I, accommodation and food "
        f"service: where the culinary (kuliner) businesses are.",
    )


# ------------------------------------------------------------------ releases


def _history_cells(site: Site, version: str, table: str) -> list[Cell] | None:
    if version == site.si.release.version:
        return site.cells(table)
    frame = site.si.history.get(version, {}).get(table)
    spec = TABLES_BY_NAME.get(table)
    if frame is None or spec is None:
        return None
    return table_cells(frame, spec.dimensions)


def trend(site: Site, page: str):
    """Actors and the online, grant and training rates release by release (None with fewer than 2 releases)."""
    releases = [e for e in site.si.releases if e.get("version")]
    if len(releases) < 2:
        return None
    versions = [e["version"] for e in releases]
    totals = [_release_total(site, e) for e in releases]
    series = []
    for ind in INDICATORS[:3]:
        values = []
        for version in versions:
            cells = _history_cells(site, version, ind.city_table)
            values.append(site_rates.yes_rate(cells, ind.city_dim).value if cells else None)
        series.append((site.t(ind.label_id, ind.label_en).split(" (")[0].replace(" Rp300.000", ""), values))
    title_n = site.t("Pelaku UMKM per rilis", "UMKM actors by release")
    title_r = site.t(
        "Berjualan online, bantuan modal dan pelatihan per rilis (persen)",
        "Online selling, capital grant and training by release (percent)",
    )
    summary = (
        site.t(f"Rilis {versions[0]} sampai {versions[-1]}: ", f"Releases {versions[0]} to {versions[-1]}: ")
        + "; ".join(f"{v} {site.num(n)}" for v, n in zip(versions, totals) if n is not None)
        + "."
    )
    svg_n = charts.line_chart(
        versions,
        [(site.t("Pelaku", "Actors"), totals)],
        title=title_n,
        desc=summary,
        format_value=lambda v: site.num(round(v)),
        frame=site.frame(title_n),
    )
    svg_r = charts.line_chart(
        versions,
        series,
        title=title_r,
        desc=summary,
        format_value=lambda v: site.percent(v, 0),
        frame=site.frame(title_r),
    )
    rows = [
        [v, site.num(n)] + [site.percent(s[1][i]) if s[1][i] is not None else "–" for s in series]
        for i, (v, n) in enumerate(zip(versions, totals))
    ]
    table = html_table(
        site.t("Angka per rilis", "Figures by release"),
        [site.t("Rilis", "Release"), site.t("Pelaku", "Actors")] + [name for name, _ in series],
        rows,
        numeric=set(range(1, 2 + len(series))),
    )
    csv_text = to_csv(
        [site.t("rilis", "release"), site.t("pelaku", "actors")]
        + [site.t(f"persen_{i.key}", f"percent_{i.key}") for i in INDICATORS[:3]],
        [
            [v, "" if n is None else n] + ["" if s[1][i] is None else f"{s[1][i]:.1f}" for s in series]
            for i, (v, n) in enumerate(zip(versions, totals))
        ],
    )
    return figure(
        site,
        page,
        "tren",
        [Chart("tren-pelaku", svg_n, title_n), Chart("tren-persen", svg_r, title_r)],
        summary,
        table,
        csv_text,
        [],
        [],
    )


def _release_total(site: Site, entry: dict) -> int | None:
    """The actors of a release: its microdata rows (the index's count, exact), else its kecamatan table's cells."""
    counted = entry.get("counts", {}).get("pelaku_umkm")
    if isinstance(counted, int):
        return counted
    return site_rates.total(_history_cells(site, entry["version"], "menurut_kecamatan") or [])


def changes(site: Site, page: str) -> dict | None:
    """What changed since the previous release: totals, kecamatan and sectors (more or fewer actors), and rates."""
    releases = site.si.releases
    if len(releases) < 2:
        return None
    before, after = releases[-2], releases[-1]
    out = {"version": before["version"], "snapshot": before.get("snapshot_date", ""), "rows": {}}

    def compare(table: str, dim: str, limit: int = 3):
        old, new = _history_cells(site, before["version"], table), _history_cells(site, after["version"], table)
        if old is None or new is None:
            return [], []
        old_n = {c.codes[0]: c.count for c in old}
        new_n = {c.codes[0]: c.count for c in new}
        diffs = [
            (code, new_n[code] - old_n.get(code, 0))
            for code in new_n
            if code and new_n[code] is not None and old_n.get(code, 0) is not None
        ]
        rows = [
            [
                site.label(dim, code),
                site.num(old_n.get(code, 0)),
                site.num(new_n[code]),
                f"{d:+,}".replace(",", "." if site.lang == "id" else ","),
            ]
            for code, d in sorted(diffs, key=lambda item: site.order(dim, item[0]))
            if d
        ]
        more = sorted([(d, code) for code, d in diffs if d > 0], reverse=True)[:limit]
        fewer = sorted([(d, code) for code, d in diffs if d < 0])[:limit]
        return rows, [(site.label(dim, code), d) for d, code in more + fewer]

    old_total, new_total = _release_total(site, before), _release_total(site, after)
    sentences = []
    if old_total is not None and new_total is not None:
        change = new_total - old_total
        word = site.t("bertambah", "rose by") if change > 0 else site.t("berkurang", "fell by")
        sentences.append(
            site.t(
                f"Sejak rilis {before['version']}, jumlah pelaku UMKM {word} {site.num(abs(change))} menjadi "
                f"{site.num(new_total)}."
                if change
                else f"Sejak rilis {before['version']}, jumlah pelaku UMKM tetap {site.num(new_total)}.",
                f"Since release {before['version']}, the number of UMKM actors {word} {site.num(abs(change))} to "
                f"{site.num(new_total)}."
                if change
                else f"Since release {before['version']}, the number of UMKM actors stayed at {site.num(new_total)}.",
            )
        )
    for table, dim, id_what, en_what in (
        ("menurut_kecamatan", "kecamatan_kode", "kecamatan", "kecamatan"),
        ("menurut_kbli_kategori", "kbli_kategori", "lapangan usaha", "sectors"),
    ):
        rows, movers = compare(table, dim)
        out["rows"][dim] = rows
        up = [f"{label} ({d:+,})".replace(",", "." if site.lang == "id" else ",") for label, d in movers if d > 0]
        down = [f"{label} ({d:+,})".replace(",", "." if site.lang == "id" else ",") for label, d in movers if d < 0]
        if up:
            sentences.append(
                site.t(f"Bertambah paling banyak menurut {id_what}: ", f"Most added, by {en_what}: ")
                + "; ".join(up)
                + "."
            )
        if down:
            sentences.append(site.t(f"Berkurang menurut {id_what}: ", f"Fewer, by {en_what}: ") + "; ".join(down) + ".")
    for ind in INDICATORS[:3]:
        old = _history_cells(site, before["version"], ind.city_table)
        new = site.cells(ind.city_table)
        if old and new:
            a, b = site_rates.yes_rate(old, ind.city_dim), site_rates.yes_rate(new, ind.city_dim)
            if a.value is not None and b.value is not None and site.rate(a) != site.rate(b):
                sentences.append(f"{site.t(ind.label_id, ind.label_en)}: {site.rate(a)} → {site.rate(b)}.")
    out["sentences"] = sentences
    headers = [site.t("Sebelum", "Before"), site.t("Sesudah", "After"), site.t("Selisih", "Change")]
    out["tables"] = [
        html_table(caption, [site.header(dim)] + headers, out["rows"][dim], numeric={1, 2, 3})
        for dim, caption in (
            ("kecamatan_kode", site.t("Perubahan menurut kecamatan", "Change by kecamatan")),
            ("kbli_kategori", site.t("Perubahan menurut lapangan usaha (KBLI)", "Change by sector (KBLI)")),
        )
        if out["rows"].get(dim)
    ]
    return out


# ------------------------------------------------------------------ finder


def _fold(text: str) -> str:
    """Lower case, no accents, no spaces or dots: "Gunung Samarinda" and "Gunungsamarinda" meet."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return "".join(ch for ch in text if ch.isalnum())


def finder(site: Site, page: str) -> Markup:
    """A search box over the kelurahan and kecamatan (with their other spellings) and the list it filters: the
    list is the fallback without JavaScript (docs/assets/cari.js filters it as one types)."""
    items = []
    for code, kel in sorted(site.kelurahan.items(), key=lambda item: str(item[1]["nama"])):
        names = {kel["nama"], kel.get("nama_kepmendagri_2022", ""), kel.get("nama_bps", "")}
        keys = " ".join(sorted({_fold(n) for n in names if n} | {_fold(kel["nama_kecamatan"])}))
        items.append(
            f'<li data-cari="{esc(keys)}"><a href="{esc(site.href(page, site.kelurahan_page(code)))}">'
            f"{esc(kel['nama'])}</a> <span>{esc(site.t('Kel.', 'Kel.'))}, {esc(kel['nama_kecamatan'])}"
            f"</span></li>"
        )
    for code, kec in sorted(site.kecamatan.items(), key=lambda item: str(item[1]["nama"])):
        keys = " ".join(sorted({_fold(kec["nama"]), _fold(kec.get("nama_bps", ""))}))
        items.append(
            f'<li data-cari="{esc(keys)}"><a href="{esc(site.href(page, site.kecamatan_page(code)))}">'
            f"{esc(kec['nama'])}</a> <span>{esc(site.t('Kecamatan', 'Kecamatan'))}</span></li>"
        )
    label = site.t("Ketik nama kelurahan atau kecamatan Anda", "Type the name of your kelurahan or kecamatan")
    return Markup(
        f'<div class="umkm-cari" data-umkm-cari data-kata-cocok="{esc(site.t("cocok", "matching"))}" '
        f'data-kata-tidak="{esc(site.t("Tidak ada yang cocok. Periksa ejaannya atau pilih dari daftar.", "Nothing matches. Check the spelling or choose from the list."))}">'
        f'<label for="umkm-cari-input">{esc(label)}</label>'
        f'<input id="umkm-cari-input" type="search" autocomplete="off" spellcheck="false" '
        f'placeholder="{esc(site.t("mis. Karang Rejo", "e.g. Karang Rejo"))}" aria-controls="umkm-cari-daftar">'
        f'<p class="umkm-cari-status" role="status" aria-live="polite"></p>'
        f'<details class="umkm-cari-semua"><summary>{esc(site.t("Semua wilayah", "Every area"))} '
        f"({len(site.kelurahan)} {esc(site.t('kelurahan', 'kelurahan'))}, {len(site.kecamatan)} "
        f"{esc(site.t('kecamatan', 'kecamatan'))})</summary>"
        f'<ul id="umkm-cari-daftar" class="umkm-cari-daftar">{"".join(items)}</ul></details></div>'
    )


# ------------------------------------------------------------------ the page


def home(site: Site) -> dict[str, object]:
    page = "index.md"
    files: dict[str, object] = {}
    total, exact = total_actors(site)
    sizes = [
        (site.label("skala_usaha", c.codes[0]), c.count) for c in site.cells("menurut_skala_usaha") or [] if c.codes[0]
    ]
    sentra_cells = {c.codes[0]: c.count for c in site.cells("menurut_sentra") or []}
    recorded = sentra_recorded(site)
    sentra_rows = [
        (slug, row, sentra_cells.get(slug, "absent") if recorded else "not recorded")
        for slug, row in sorted(site.sentra.items())
    ]
    story, active_fig = online_and_active(site, page)
    trend_fig = trend(site, page)
    changed = changes(site, page)
    kel_cells = {c.codes[0]: c.count for c in site.cells("menurut_kelurahan") or [] if c.codes[0]}
    map_fig = None
    if kel_cells:
        title = site.t(
            "Peta pelaku UMKM menurut kelurahan: pilih wilayah Anda",
            "Map of UMKM actors by kelurahan: choose your area",
        )
        chart = map_chart(
            site,
            page,
            "peta-kelurahan",
            "kelurahan",
            kel_cells,
            title,
            site.t(
                "Klik atau pilih kelurahan untuk membuka profilnya.", "Click or choose a kelurahan to open its profile."
            ),
            link_to=lambda k: site.kelurahan_page(k) if k in site.kelurahan else None,
        )
        map_fig = chart
        files["peta-kelurahan.svg"], files["peta-kelurahan.png"] = chart.svg, PngOf(chart.svg)
    for fig in (active_fig, trend_fig):
        if fig is not None:
            files.update(fig.files)
    rates = headline_rates(site)
    card_figures = [(("≥ " if not exact else "") + site.num(total), site.t("pelaku UMKM", "UMKM actors"))]
    card_figures += [(rate, what) for rate, what, _ in rates[:3]]
    files["kartu-beranda.png"] = PngOf.card(
        images.card(
            site.t("Data UMKM Kota Balikpapan", "UMKM data of Kota Balikpapan"),
            site.t("Statistik dan data terbuka", "Statistics and open data"),
            card_figures,
            site.frame(site.t("Data UMKM Kota Balikpapan", "UMKM data of Kota Balikpapan")),
            site.t("Data UMKM Kota Balikpapan", "UMKM data of Kota Balikpapan"),
        )
    )
    files[page] = render_page(
        site,
        "beranda.md.j2",
        page,
        total=total,
        total_exact=exact,
        sizes=sizes,
        rates=rates,
        story=story,
        active_fig=active_fig,
        kuliner=kuliner_sentence(site),
        trend_fig=trend_fig,
        changed=changed,
        finder=finder(site, page),
        map_fig=map_fig,
        sentra_rows=sentra_rows,
        stat_pages=STAT_PAGES,
        stat_title=lambda sp: site.table_title(TABLES_BY_NAME[sp.table]),
        packages=[p for _, p in sorted(site.packages.items())],
        image="kartu-beranda.png",
        citation=site.citation(),
    )
    return files
