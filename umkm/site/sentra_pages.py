"""One site language in, a page a sentra (small-industry centre) out: sentra/<slug>.md, with its map and card.

The facts come from reference/balikpapan_sentra.csv; the introduction and the free-text columns
are written per language in reference/balikpapan_sentra_teks.csv.
"""

from __future__ import annotations

from markupsafe import Markup

from umkm.disclose.tables import TABLES_BY_NAME
from umkm.site import images, maps
from umkm.site.context import Site, count_cell
from umkm.site.figures import PngOf, boundary_areas, dataset_link, one_dim_figure, render_page
from umkm.site.render import esc, link, safe_url, svg_size

SENTRA_FACTS = (
    ("nama_lain", "Nama lain", "Other names"),
    ("alamat", "Alamat", "Address"),
    ("kelurahan", "Kelurahan", "Kelurahan"),
    ("kecamatan", "Kecamatan", "Kecamatan"),
    ("luas_ha", "Luas (ha)", "Area (ha)"),
    ("fokus_produk", "Fokus produk", "Main products"),
    ("kbli_relevan", "KBLI 2020 terkait", "Related KBLI 2020 codes"),
    ("unit_rumah_produksi", "Rumah produksi", "Production houses"),
    ("catatan", "Catatan", "Notes"),
)
# Reference columns written in Indonesian whatever the page's language (names, KBLI titles): marked lang="id"
# on the English page. Free-text columns (products, units, notes) are written per language in
# reference/balikpapan_sentra_teks.csv; a sentra without that text shows the reference's words marked lang="id".
SENTRA_NAMES_ID = {"nama_lain", "alamat", "kelurahan", "kecamatan", "kbli_relevan"}
INTRO = "pengantar"  # the row of reference/balikpapan_sentra_teks.csv that introduces a sentra (else: its products)


def sentra_texts(site: Site) -> dict[tuple[str, str], tuple[str, str]]:
    """(sentra, kolom) -> (Indonesian, English) of reference/balikpapan_sentra_teks.csv."""
    return {(r["sentra"], r["kolom"]): (r["id"], r["en"]) for r in site.ref.sentra_teks.to_dict("records")}


def _sentra_facts(site: Site, slug: str, row: dict, kel_page: str | None, page: str) -> list[tuple[str, Markup]]:
    texts = sentra_texts(site)
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


def sentra_recorded(site: Site) -> bool:
    """Does this release's register record sentra membership at all (an actor in a sentra, or a hidden cell)?"""
    return any(c.codes[0] in site.sentra and c.count != 0 for c in site.cells("menurut_sentra") or [])


def sentra(site: Site) -> dict[str, object]:
    files: dict[str, object] = {}
    cells = site.cells("menurut_sentra")
    recorded = sentra_recorded(site)
    kel_areas = boundary_areas(site, "kelurahan")
    for slug, row in sorted(site.sentra.items()):
        page = f"sentra/{slug}.md"
        fig, outside = None, []
        if cells is not None and recorded:
            # The sentra side by side; the actors outside any sentra (nearly all) in a sentence, not a bar
            # that would flatten the two sentra to slivers.
            in_sentra = [c for c in cells if c.codes[0] in site.sentra]
            outside = [
                (site.label("sentra", c.codes[0]), count_cell(site, c.count))
                for c in cells
                if c.codes[0] not in site.sentra and (c.codes[0] or c.count)
            ]
            fig = one_dim_figure(
                site,
                page,
                "sentra",
                site.table_title(TABLES_BY_NAME["menurut_sentra"]),
                "sentra",
                in_sentra,
                extra_downloads=[dataset_link(site, page)],
            )
            files.update(fig.files)
        count = next((c.count for c in cells or [] if c.codes[0] == slug), "absent") if recorded else "not recorded"
        locator = maps.locator_map(
            boundary_areas(site, "kecamatan"),
            [a for a in kel_areas if a.code == row["kode_kelurahan"]],
            title=site.t(f"Letak {row['sentra']}", f"Location of {row['sentra']}"),
            desc=site.t(
                f"Kelurahan {row['kelurahan']} disorot pada peta Kota Balikpapan.",
                f"Kelurahan {row['kelurahan']} highlighted on a map of Balikpapan.",
            ),
        )
        files[f"sentra/{slug}-peta.svg"] = locator
        intro = sentra_texts(site).get((slug, INTRO), (row.get("fokus_produk", ""), row.get("fokus_produk", "")))
        sources = [(u, safe_url(u)) for u in str(row.get("sumber", "")).split(";") if u.strip()]
        kel_page = site.kelurahan_page(row["kode_kelurahan"]) if row["kode_kelurahan"] in site.kelurahan else None
        image = f"sentra/{slug}-kartu.png"
        files[image] = PngOf.card(
            images.card(
                row["sentra"],
                site.t("Sentra industri kecil", "Small-industry centre"),
                [(site.num(count), site.t("pelaku UMKM di sentra ini", "UMKM actors in this sentra"))]
                if isinstance(count, int)
                else [],
                site.frame(row["sentra"]),
                site.t("Data UMKM Kota Balikpapan", "UMKM data of Kota Balikpapan"),
            )
        )
        files[page] = render_page(
            site,
            "sentra.md.j2",
            page,
            row=row,
            slug=slug,
            intro=site.t(*intro),
            count=count,
            figure=fig,
            outside=outside,
            sources=sources,
            image=image,
            facts=_sentra_facts(site, slug, row, kel_page, page),
            locator=f"{slug}-peta.svg",
            locator_size=svg_size(locator),
            citation=site.citation(),
        )
    return files
