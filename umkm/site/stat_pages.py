"""One site language in, the statistics pages out: one page a city-wide count table (statistik/<slug>.md).

Each page shows its table as a chart (and a map for the areas) with its table, summary and
downloads, the sums of turnover, capital and workers by the same dimension where published,
and a preview card.
"""

from __future__ import annotations

from dataclasses import dataclass

from umkm.disclose.tables import TABLES_BY_NAME
from umkm.site import images
from umkm.site import rates as site_rates
from umkm.site.context import Cell, Site
from umkm.site.figures import PngOf, dataset_link, magnitude_figure, one_dim_figure, render_page, two_dim_figure


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
    StatPage(
        "kecamatan",
        "menurut_kecamatan",
        "Jumlah pelaku UMKM menurut kecamatan tempat usaha.",
        "Number of UMKM actors by the kecamatan (district) where the business is.",
        True,
        "kecamatan",
    ),
    StatPage(
        "kelurahan",
        "menurut_kelurahan",
        "Jumlah pelaku UMKM menurut kelurahan tempat usaha (34 kelurahan).",
        "Number of UMKM actors by the kelurahan (urban village) where the business is (34 kelurahan).",
        True,
        "kelurahan",
    ),
    StatPage(
        "kbli",
        "menurut_kbli_kategori",
        "Jumlah pelaku UMKM menurut kategori lapangan usaha KBLI 2020 (Peraturan BPS 2/2020). Usaha kuliner "
        "(makanan dan minuman) ada di kategori I, penyediaan akomodasi dan makan minum.",
        "Number of UMKM actors by KBLI 2020 category (industrial classification, Peraturan BPS 2/2020). "
        "Culinary businesses (kuliner: food and drink) are in category I, accommodation and food service.",
        True,
    ),
    StatPage(
        "skala-usaha",
        "menurut_skala_usaha",
        "Jumlah pelaku menurut skala usaha: mikro, kecil, menengah (PP 7/2021 Pasal 35).",
        "Number of actors by size class: micro, small, medium (PP 7/2021 Article 35).",
    ),
    StatPage(
        "pemilik",
        "menurut_jenis_kelamin_umur",
        "Jumlah pelaku UMKM menurut jenis kelamin dan kelompok umur pemilik.",
        "Number of UMKM actors by the owner's sex and age band.",
        group_dim="kelompok_umur",
    ),
    StatPage(
        "pemasaran-online",
        "pemasaran_online_keaktifan",
        "Adopsi digital: pelaku yang memasarkan secara online, menurut keaktifan usaha. Selama pandemi "
        "COVID-19, usaha yang bertahan sebagian besar memakai marketplace.",
        "Digital adoption: actors who sell online, by whether the business is still active. During the "
        "COVID-19 pandemic, the businesses that survived mostly sold through marketplaces.",
        group_dim="pemasaran_online",
    ),
    StatPage(
        "pelatihan",
        "menurut_pelatihan",
        "Pelaku UMKM yang pernah mengikuti pelatihan Dinas KUMKMP (misalnya pemasaran digital).",
        "UMKM actors who attended a training by Dinas KUMKMP (for example digital selling).",
    ),
    StatPage(
        "bantuan-modal",
        "menurut_bantuan_modal",
        "Pelaku UMKM yang menerima bantuan modal (hibah) Rp300.000 dari Pemerintah Kota Balikpapan.",
        "UMKM actors who received the Rp300,000 capital grant (hibah, bantuan modal) of the city government.",
    ),
    StatPage(
        "nib",
        "menurut_punya_nib",
        "Pelaku UMKM yang memiliki Nomor Induk Berusaha (NIB) dari OSS.",
        "UMKM actors holding a business identification number (NIB) issued by OSS.",
    ),
)


def statistics(site: Site) -> dict[str, object]:
    """Every statistics page (STAT_PAGES), with its charts, CSV files and card."""
    files: dict[str, object] = {}
    for sp in STAT_PAGES:
        files.update(stat_page(site, sp))
    return files


def active_by_online(site: Site):
    """(sentence, online rate, offline rate): among actors who sell online, how many are still active, against
    the rest; (None, None, None) when the table or a rate is missing."""
    cells = site.cells("pemasaran_online_keaktifan")
    if not cells:
        return None, None, None
    online = site_rates.yes_rate(cells, 1, {0: "ya"})
    offline = site_rates.yes_rate(cells, 1, {0: "tidak"})
    if online.value is None or offline.value is None:
        return None, None, None
    sentence = site.t(
        f"Dari pelaku yang berjualan online, {site.rate(online)} masih aktif; dari yang tidak berjualan online, "
        f"{site.rate(offline)} masih aktif.",
        f"Of the actors who sell online, {site.rate(online)} are still active; of those who do not, "
        f"{site.rate(offline)} are.",
    )
    return sentence, online, offline


def stat_page(site: Site, sp: StatPage) -> dict[str, object]:
    page = f"statistik/{sp.slug}.md"
    spec = TABLES_BY_NAME[sp.table]
    title = site.table_title(spec)
    cells = site.cells(sp.table)
    files: dict[str, object] = {}
    figures = []
    if cells is not None and len(spec.dimensions) == 1:
        dim = spec.dimensions[0]
        link_to = None
        if sp.map_level == "kecamatan":
            link_to = lambda code: site.kecamatan_page(code) if code in site.kecamatan else None  # noqa: E731
        elif sp.map_level == "kelurahan":
            link_to = lambda code: site.kelurahan_page(code) if code in site.kelurahan else None  # noqa: E731
        fig = one_dim_figure(
            site,
            page,
            sp.slug,
            title,
            dim,
            cells,
            sort_by_value=sp.sort_by_value,
            link_to=link_to,
            map_level=sp.map_level,
            extra_downloads=[dataset_link(site, page)],
        )
        figures.append(fig)
    elif cells is not None:
        figures.append(
            two_dim_figure(
                site,
                page,
                sp.slug,
                title,
                spec.dimensions,
                cells,
                sp.group_dim,
                extra_downloads=[dataset_link(site, page)],
            )
        )
    for fig in figures:
        files.update(fig.files)
    magnitude = magnitude_figure(site, page, f"{sp.slug}-besaran", spec.dimensions)
    if magnitude is not None:
        files.update(magnitude.files)
    image = None
    if figures:
        image = f"statistik/{sp.slug}-kartu.png"
        files[image] = PngOf.card(
            images.card(
                title,
                site.t("Statistik UMKM", "UMKM statistics"),
                _card_figures(site, spec, cells or []),
                site.frame(title),
                site.t("Data UMKM Kota Balikpapan", "UMKM data of Kota Balikpapan"),
            )
        )
    intro = site.t(sp.intro_id, sp.intro_en)
    if sp.table == "pemasaran_online_keaktifan":
        intro += " " + (active_by_online(site)[0] or "")
    files[page] = render_page(
        site,
        "statistik.md.j2",
        page,
        title=title,
        intro=intro.strip(),
        figures=figures,
        magnitude=magnitude,
        citation=site.citation(),
        table_name=spec.name,
        image=image,
    )
    return files


def _card_figures(site: Site, spec, cells: list[Cell]) -> list[tuple[str, str]]:
    """The largest known categories of a statistics table, for its page's preview card (never the unknowns)."""
    known = sorted((c for c in cells if all(c.codes) and c.count is not None), key=lambda c: -c.count)[:4]
    return [(site.num(c.count), " / ".join(site.label(d, v) for d, v in zip(spec.dimensions, c.codes))) for c in known]
