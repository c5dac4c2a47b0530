"""A release's packages, files and citations in; the static pages of its download folders out (HTML text).

A static host serves a folder's ``index.html`` at the folder's address and has no directory
listing, so each folder a citation or a catalogue names gets one: ``unduh/<version>/<package>/``
(the package version: what it is, how to cite it, every file with its size and hash),
``unduh/<version>/`` (the release: its packages, database and changelog) and ``unduh/`` (every
release). The pages stand alone (no theme, no script, no outside resource) and link only inside
the downloads and to the site's home page, so a page carried into later sites never breaks.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from urllib.parse import quote

from umkm.package import citation

STYLE = (
    "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;max-width:62rem;margin:0 auto;"
    "padding:1rem;line-height:1.5;color:#1b1b1b}a{color:#1a4fa0}table{border-collapse:collapse;margin:1rem 0;"
    "width:100%}caption{text-align:left;font-weight:600;padding:.25rem 0}th,td{border-bottom:1px solid #ccc;"
    "padding:.3rem .5rem;text-align:left;vertical-align:top}.angka{text-align:right;white-space:nowrap}"
    ".umkm-banner{background:#fff4ce;border-left:4px solid #8a6100;padding:.5rem 1rem}"
    "code{word-break:break-all}.en{color:#444}nav{font-size:.9rem}td,th{overflow-wrap:anywhere}"
    # a phone: a wide table scrolls within itself, the page never gets wider than the screen
    "@media (max-width:40rem){table{display:block;overflow-x:auto;max-width:100%}}"
)


def human_size(size: int | None, lang: str = "id") -> str:
    """1234567 -> '1,2 MB' (Indonesian) or '1.2 MB' (English); decimal units, as file managers show them."""
    if size is None:
        return ""
    value, unit = float(size), "B"
    for unit in ("B", "kB", "MB", "GB"):
        if value < 1000 or unit == "GB":
            break
        value /= 1000
    text = f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
    return text.replace(".", ",") if lang == "id" else text


def _e(value) -> str:
    return html.escape(str(value), quote=True)


@dataclass(frozen=True)
class Reach:
    """Where the site lives and who answers for it: the preview card every page names (the home page's,
    absolute, for a link shared in a chat) and the contact address every page ends with."""

    base_url: str
    email: str

    @property
    def card(self) -> str:
        return self.base_url + CARD


CARD = "kartu-beranda.png"  # the home page's 1200 x 630 preview card (umkm/site/story.py)


def _page(
    title: str, description: str, canonical: str, body: list[str], home: str, reach: Reach, json_ld: dict | None = None
) -> str:
    head = [
        "<!doctype html>",
        '<html lang="id">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width,initial-scale=1">',
        f"<title>{_e(title)}</title>",
        f'<meta name="description" content="{_e(description)}">',
        f'<link rel="canonical" href="{_e(canonical)}">',
        f'<meta property="og:type" content="website"><meta property="og:title" content="{_e(title)}">',
        f'<meta property="og:description" content="{_e(description)}">',
        f'<meta property="og:url" content="{_e(canonical)}"><meta property="og:image" content="{_e(reach.card)}">',
        '<meta property="og:image:width" content="1200"><meta property="og:image:height" content="630">',
        f'<meta name="twitter:card" content="summary_large_image"><meta name="twitter:image" '
        f'content="{_e(reach.card)}">',
        f"<style>{STYLE}</style>",
    ]
    if json_ld is not None:
        text = json.dumps(json_ld, ensure_ascii=False, indent=1)
        text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        head.append(f'<script type="application/ld+json">\n{text}\n</script>')
    nav = (
        f'<nav aria-label="Jalur / breadcrumb"><a href="{home}index.html">{_e(citation.SITE_TITLE["id"])}</a>'
        f' / <a href="{home}unduh/index.html">Unduhan / downloads</a></nav>'
    )
    subject = quote(f"Laporan kesalahan data: {canonical}")
    contact = (
        f'<aside aria-label="Kontak / contact"><p>Menemukan kesalahan data atau punya pertanyaan? '
        f'<a href="mailto:{_e(reach.email)}?subject={subject}">Laporkan kesalahan data</a> atau tulis ke '
        f'<a href="mailto:{_e(reach.email)}">{_e(reach.email)}</a>. <span lang="en" class="en">A mistake in the '
        "data, or a question? Write to the address above.</span></p></aside>"
    )
    return (
        "\n".join(head + ["</head>", "<body>", nav, "<main>", *body, "</main>", contact, "</body>", "</html>"]) + "\n"
    )


def _synthetic(synthetic: bool) -> list[str]:
    if not synthetic:
        return []
    return [
        '<p class="umkm-banner" role="note"><strong>DATA SINTETIS (demo)</strong>: dibuat oleh generator proyek, '
        'bukan data nyata. <span lang="en" class="en"><strong>SYNTHETIC DATA</strong>: made by the project\'s '
        "generator, not real data.</span></p>"
    ]


def _citation_block(cite: citation.Citation, links: str) -> list[str]:
    return [
        '<h2 id="sitasi">Sitasi <span lang="en" class="en">/ citation</span></h2>',
        f"<p>{_e(citation.text(cite, 'id'))}</p>",
        f'<p lang="en" class="en">{_e(citation.text(cite, "en"))}</p>',
        f"<p>{links}</p>",
    ]


@dataclass(frozen=True)
class FileInfo:
    size: int
    sha256: str  # "sha256:..."


def package_page(
    descriptor: dict,
    files: dict[str, FileInfo],
    zip_info: FileInfo,
    cite: citation.Citation,
    reach: Reach,
    schema_org: dict | None = None,
) -> str:
    """``unduh/<version>/<package>/index.html``: the package version, its citation and every file."""
    name, version = descriptor["name"], descriptor["version"]
    home = "../../../"
    rows = []
    for r in descriptor["resources"]:
        formats = r.get("formats") or {r.get("format", "csv"): r["path"]}
        cells = []
        for fmt in ("csv", "parquet", "xlsx"):
            path = formats.get(fmt)
            info = files.get(path) if path else None
            cells.append(
                f'<td><a href="{quote(path)}">{fmt.upper()}</a> <span class="ukuran">'
                f"{_e(human_size(info.size))}</span></td>"
                if info
                else "<td>–</td>"
            )
        count = f"{r.get('rows', 0):,}".replace(",", ".")
        rows.append(
            f'<tr><th scope="row">{_e(r["title"])}<br><span lang="en" class="en">{_e(r.get("title_en", ""))}'
            f'</span><br><code>{_e(r["name"])}</code></th><td class="angka">{count}</td>' + "".join(cells) + "</tr>"
        )
    others = sorted(
        n for n in files if n not in {p for r in descriptor["resources"] for p in (r.get("formats") or {}).values()}
    )
    other_rows = [
        f'<tr><td><a href="{quote(n)}"><code>{_e(n)}</code></a></td><td class="angka">'
        f"{_e(human_size(files[n].size))}</td><td><code>{_e(files[n].sha256)}</code></td></tr>"
        for n in others
    ]
    cite_links = " · ".join(
        f'<a href="{quote(n)}">{_e(label)}</a>' for n, label in citation.FORMAT_LABELS.items() if n in files
    )
    licence = descriptor.get("licenses", [{}])[0]
    body = [
        f"<h1>{_e(descriptor['title'])}</h1>",
        f'<p lang="en" class="en">{_e(descriptor.get("title_en", ""))}</p>',
        *_synthetic(bool(descriptor.get("synthetic"))),
        f"<p>{_e(descriptor.get('description', ''))}</p>",
        f'<p lang="en" class="en">{_e(descriptor.get("description_en", ""))}</p>',
        '<table><caption>Versi ini <span lang="en" class="en">/ this version</span></caption><tbody>',
        f'<tr><th scope="row">Paket / package</th><td><code>{_e(name)}</code></td></tr>',
        f'<tr><th scope="row">Versi / version</th><td>{_e(version)}</td></tr>',
        f'<tr><th scope="row">Data per / as of</th><td>{_e(descriptor["created"][:10])}</td></tr>',
        f'<tr><th scope="row">Penerbit / publisher</th><td>{_e(cite.publisher)}</td></tr>',
        f'<tr><th scope="row">Lisensi / licence</th><td><a href="{_e(licence.get("path", ""))}">'
        f"{_e(licence.get('title', licence.get('name', '')))}</a></td></tr>",
        f'<tr><th scope="row">Paket lengkap / complete package</th><td><a href="../{quote(name)}.zip">'
        f"{_e(name)}.zip</a> ({_e(human_size(zip_info.size))}, <code>{_e(zip_info.sha256)}</code>)</td></tr>",
        '<tr><th scope="row">Metadata</th><td><a href="datapackage.json">datapackage.json</a> (Frictionless Data '
        "Package v2)"
        + (' · <a href="satu-data.json">satu-data.json</a> (Satu Data / BPS)' if "satu-data.json" in files else "")
        + "</td></tr>",
        "</tbody></table>",
        *_citation_block(cite, "Unduh sitasi / download the citation: " + cite_links),
        '<h2 id="berkas">Tabel <span lang="en" class="en">/ tables</span></h2>',
        "<p>Setiap tabel dalam tiga format; sel kosong (CSV), NULL (Parquet) dan sel kosong (XLSX) berarti tidak "
        'ada nilai. <span lang="en" class="en">Every table in three formats; an empty CSV field, a Parquet NULL and '
        "an empty XLSX cell all mean no value.</span></p>",
        '<table><caption>Tabel dan berkasnya <span lang="en" class="en">/ tables and their files</span></caption>'
        '<thead><tr><th scope="col">Tabel / table</th><th scope="col" class="angka">Baris / rows</th>'
        '<th scope="col">CSV</th><th scope="col">Parquet</th><th scope="col">XLSX</th></tr></thead><tbody>',
        *rows,
        "</tbody></table>",
        '<table><caption>Berkas lain <span lang="en" class="en">/ other files</span></caption><thead><tr>'
        '<th scope="col">Berkas / file</th><th scope="col" class="angka">Ukuran / size</th>'
        '<th scope="col">SHA-256</th></tr></thead><tbody>',
        *other_rows,
        "</tbody></table>",
        f'<p>Rilis ini: <a href="../index.html">{_e(version)}</a>. Semua rilis: <a href="../../index.html">'
        'unduhan</a>. <span lang="en" class="en">This release; every release.</span></p>',
    ]
    return _page(
        f"{descriptor['title']}, versi {version}",
        descriptor.get("description", ""),
        cite.url,
        body,
        home,
        reach,
        schema_org,
    )


def release_page(
    version: str,
    date: str,
    synthetic: bool,
    packages: list[tuple[dict, FileInfo]],
    extra: dict[str, tuple[FileInfo, str]],
    cite: citation.Citation,
    reach: Reach,
) -> str:
    """``unduh/<version>/index.html``: the release's packages, its database and its changelog."""
    rows = [
        f'<tr><th scope="row"><a href="{quote(d["name"])}/index.html">{_e(d["title"])}</a><br>'
        f'<span lang="en" class="en">{_e(d.get("title_en", ""))}</span></th><td><code>{_e(d["name"])}</code></td>'
        f'<td><a href="{quote(d["name"])}.zip">ZIP</a> {_e(human_size(z.size))}</td></tr>'
        for d, z in packages
    ]
    extra_rows = [
        f'<tr><td><a href="{quote(n)}"><code>{_e(n)}</code></a></td><td>{_e(what)}</td>'
        f'<td class="angka">{_e(human_size(info.size))}</td></tr>'
        for n, (info, what) in sorted(extra.items())
    ]
    body = [
        f"<h1>{_e(citation.SITE_TITLE['id'])}: rilis {_e(version)}</h1>",
        f'<p lang="en" class="en">{_e(citation.SITE_TITLE["en"])}: release {_e(version)}</p>',
        *_synthetic(synthetic),
        f'<p>Data per {_e(date)}. <span lang="en" class="en">Data as of {_e(date)}.</span></p>',
        '<table><caption>Paket data <span lang="en" class="en">/ data packages</span></caption><thead><tr>'
        '<th scope="col">Paket / package</th><th scope="col">Nama / name</th><th scope="col">Unduh / download</th>'
        "</tr></thead><tbody>",
        *rows,
        "</tbody></table>",
        '<table><caption>Berkas rilis <span lang="en" class="en">/ files of the release</span></caption><thead><tr>'
        '<th scope="col">Berkas / file</th><th scope="col">Isi / content</th><th scope="col" class="angka">'
        "Ukuran / size</th></tr></thead><tbody>",
        *extra_rows,
        "</tbody></table>",
        *_citation_block(
            cite,
            'Sitasi setiap paket ada di halaman paketnya. <span lang="en" class="en">Each '
            "package's page has its own citation.</span>",
        ),
    ]
    return _page(
        f"{citation.SITE_TITLE['id']}: rilis {version}",
        f"Semua paket data rilis {version}",
        cite.url,
        body,
        "../../",
        reach,
    )


def index_page(index: list[dict], reach: Reach) -> str:
    """``unduh/index.html``: every release, newest first, and the newest release's fixed pointers."""
    rows = []
    for e in reversed(index):
        names = " · ".join(
            f'<a href="{quote(e["version"])}/{quote(n)}/index.html">{_e(n)}</a>' for n in sorted(e.get("packages", {}))
        )
        rows.append(
            f'<tr><th scope="row"><a href="{quote(e["version"])}/index.html">{_e(e["version"])}</a></th>'
            f"<td>{_e(e['snapshot_date'])}</td><td>{names}</td></tr>"
        )
    synthetic = bool(index and index[-1].get("synthetic"))
    body = [
        f"<h1>Unduhan {_e(citation.SITE_TITLE['id'])}</h1>",
        f'<p lang="en" class="en">Downloads of {_e(citation.SITE_TITLE["en"])}</p>',
        *_synthetic(synthetic),
        "<p>Setiap rilis tetap di alamatnya dan tidak pernah diubah. Skrip yang selalu mengambil rilis terbaru "
        "memakai <code>latest/&lt;paket&gt;.zip</code> dan <code>latest/&lt;paket&gt;/datapackage.json</code>. "
        '<span lang="en" class="en">Every release stays at its address and never changes. Scripts that always '
        "take the newest release use latest/&lt;package&gt;.zip and latest/&lt;package&gt;/datapackage.json."
        "</span></p>",
        '<table><caption>Rilis, terbaru dahulu <span lang="en" class="en">/ releases, newest first</span>'
        '</caption><thead><tr><th scope="col">Versi / version</th><th scope="col">Data per / as of</th>'
        '<th scope="col">Paket / packages</th></tr></thead><tbody>',
        *rows,
        "</tbody></table>",
    ]
    return _page(
        f"Unduhan {citation.SITE_TITLE['id']}",
        "Setiap rilis data UMKM Kota Balikpapan",
        reach.base_url + "unduh/",
        body,
        "../",
        reach,
    )
