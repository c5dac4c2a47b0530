"""The release index (each release's changes, umkm.catalogue.releases) in; the site's page of every release and
what it changed out (``data/perubahan.md`` of each language), newest first.

Every text from the data goes through the site's one escaper (``esc``) once, and every table through
``html_table``, as on the other pages.
"""

from __future__ import annotations

import json
from urllib.parse import quote

from markupsafe import Markup

from umkm.catalogue.config import Urls
from umkm.catalogue.descriptor import synthetic_note
from umkm.catalogue.releases import CHANGELOG_YES_NO, changelog_summary, count_text
from umkm.site.context import Site
from umkm.site.render import esc, html_table

PAGE = "data/perubahan.md"


def pages(site: Site) -> dict[str, str]:
    """The changelog page of ``site``'s language, from the published releases (this one last)."""
    return {PAGE: changelog_page(site.si.releases, site.lang, bool(site.si.release.is_demo))}


def _table(caption: str, headers: list[str], rows: list[list[object]]) -> str:
    """A change table (the last three columns are numbers) that scrolls within itself on a phone."""
    return (
        f'<div class="umkm-gulir" tabindex="0" role="region" aria-label="{esc(caption)}">'
        f"{html_table(caption, headers, rows, numeric={2, 3, 4})}</div>"
    )


def _change(n, lang: str) -> str:
    return count_text(n, lang, signed=True) if n is not None else "–"


def changelog_page(index: list[dict], lang: str = "id", synthetic: bool = False) -> str:
    """The page of every release and what it changed, newest first (data/perubahan.md of each language)."""
    t = lambda a, b: a if lang == "id" else b
    up = "../" if lang == "id" else "../../"  # from data/perubahan.html (or en/data/) to the site root
    title = t("Perubahan antar-rilis", "Changes between releases")
    out = [
        "---",
        f"title: {json.dumps(title)}",
        "description: "
        + json.dumps(
            t(
                "Setiap rilis data UMKM Kota Balikpapan, versinya, unduhan tetapnya dan "
                "apa yang berubah dari rilis sebelumnya.",
                "Every release of the UMKM data of Kota Balikpapan, its version, its "
                "fixed downloads and what changed from the release before.",
            )
        ),
        "---",
        "",
        f"# {title}",
        "",
    ]
    if synthetic:
        out += [f'<p class="umkm-intro"><strong>{esc(synthetic_note(lang).strip())}</strong></p>', ""]
    versions = esc(
        t(
            "Versi mengikuti tanggal potret register (TTTT.BB.HH); rilis kedua untuk tanggal yang sama "
            "mendapat akhiran .2, .3, dan seterusnya. Berkas setiap versi tetap di alamatnya dan tidak "
            "pernah diubah: kutiplah versi dan alamat itu. Untuk skrip yang selalu mengambil rilis "
            "terbaru, folder unduh/latest/ berisi ZIP setiap paket dari rilis terbaru dan "
            "datapackage.json yang menunjuk ke berkas versinya.",
            "Versions follow the register's snapshot date (YYYY.MM.DD); a second release for the same "
            "date gets .2, .3 and so on. Every version's files stay at their address and never change: "
            "cite the version and that address. For scripts that always take the newest release, the "
            "folder unduh/latest/ holds each package's ZIP of the newest release and a datapackage.json "
            "pointing to that version's files.",
        )
    )
    buttons = " ".join(
        f'<a class="md-button" href="{up}{href}">{esc(label)}</a>'
        for href, label in (
            ("feed.xml", t("Umpan Atom rilis", "Atom feed of releases")),
            ("releases.json", "releases.json"),
            ("catalog.jsonld", "DCAT-AP (JSON-LD)"),
            ("catalog.ttl", "DCAT-AP (Turtle)"),
            ("data.json", "data.json (Project Open Data)"),
            ("satu-data.json", t("Metadata Satu Data", "Satu Data metadata")),
            ("unduh/index.html", t("Semua unduhan", "Every download")),
            ("unduh/latest/umkm-statistik.zip", t("Statistik terbaru (ZIP)", "Latest statistics (ZIP)")),
        )
    )
    out += [f"<p>{versions}</p>", "", f'<p class="umkm-unduh">{buttons}</p>', ""]
    for e in reversed(index):
        changes = e.get("changes") or {
            "version": e["version"],
            "snapshot_date": e["snapshot_date"],
            "first_release": True,
            "total": {},
        }
        folder = f"{up}unduh/{quote(e['version'])}/"
        out += [f"## {t('Rilis', 'Release')} {esc(e['version'])} {{#{Urls.anchor(e['version'])}}}", ""]
        out += [f"<p>{esc(changelog_summary(changes, lang))}</p>", ""]
        links = [f'<a href="{folder}index.html">{esc(t("halaman rilis", "release page"))}</a>']
        links += [
            f'<a href="{folder}{quote(name)}.zip">{esc(name)} (ZIP)</a>' for name in sorted(e.get("packages", {}))
        ]
        links.append(f'<a href="{folder}perubahan.json">perubahan.json</a>')
        out += [
            f"<p>{esc(t('Unduhan tetap versi ini', 'Fixed downloads of this version'))}: {' · '.join(links)}</p>",
            "",
        ]
        if changes["first_release"]:
            continue
        resources = changes.get("resources", [])
        if resources:
            status = {
                "added": t("baru", "added"),
                "removed": t("dihapus", "removed"),
                "changed": t("berubah", "changed"),
            }
            rows = [
                [
                    Markup(f"<code>{esc(r['package'])}/{esc(r['resource'])}</code>"),
                    status[r["status"]],
                    count_text(r["rows_before"], lang) if r["rows_before"] is not None else "–",
                    count_text(r["rows_after"], lang) if r["rows_after"] is not None else "–",
                    _change(r["rows_change"], lang),
                    ", ".join(r["fields_added"]) or "–",
                    ", ".join(r["fields_removed"]) or "–",
                ]
                for r in resources
            ]
            out += [
                _table(
                    t(
                        f"Tabel yang berubah ({changes.get('resources_unchanged', 0)} lainnya tetap)",
                        f"Tables that changed ({changes.get('resources_unchanged', 0)} others unchanged)",
                    ),
                    [
                        t("Tabel", "Table"),
                        "Status",
                        t("Baris sebelum", "Rows before"),
                        t("Baris sesudah", "Rows after"),
                        t("Selisih", "Change"),
                        t("Kolom ditambah", "Fields added"),
                        t("Kolom dihapus", "Fields removed"),
                    ],
                    rows,
                ),
                "",
            ]
        for dimension, id_title, en_title in (
            ("kecamatan_kode", "Pelaku UMKM menurut kecamatan: yang berubah", "UMKM actors by kecamatan: what changed"),
            (
                "kbli_kategori",
                "Pelaku UMKM menurut kategori KBLI: yang berubah",
                "UMKM actors by KBLI category: what changed",
            ),
        ):
            rows = [
                [
                    r["code"] or "–",
                    r["name"] or t("tidak diketahui", "unknown"),
                    count_text(r["before"], lang),
                    count_text(r["after"], lang),
                    _change(r["change"], lang),
                ]
                for r in changes.get(dimension, [])
            ]
            if rows:
                out += [
                    _table(
                        t(id_title, en_title),
                        [
                            t("Kode", "Code"),
                            t("Nama", "Name"),
                            t("Sebelum", "Before"),
                            t("Sesudah", "After"),
                            t("Selisih", "Change"),
                        ],
                        rows,
                    ),
                    "",
                ]
        answers = {"ya": t("ya", "yes"), "tidak": t("tidak", "no"), "": t("tidak diketahui", "unknown")}
        rows = [
            [
                t(id_what, en_what).capitalize(),
                answers.get(r["code"], r["code"]),
                count_text(r["before"], lang),
                count_text(r["after"], lang),
                _change(r["change"], lang),
            ]
            for attribute, id_what, en_what in CHANGELOG_YES_NO.values()
            for r in changes.get(attribute, [])
        ]
        if rows:
            out += [
                _table(
                    t(
                        "Berjualan online, bantuan modal dan pelatihan: yang berubah",
                        "Online selling, capital grant and training: what changed",
                    ),
                    [
                        t("Pelaku", "Actors"),
                        t("Jawaban", "Answer"),
                        t("Sebelum", "Before"),
                        t("Sesudah", "After"),
                        t("Selisih", "Change"),
                    ],
                    rows,
                ),
                "",
            ]
    return "\n".join(out).rstrip() + "\n"
