"""One site language in, the pages under data/ out: the catalogue, one page a data package, the quality report.

A package page shows what the package is, its downloads (with sizes and hashes), a field table and
a preview a resource, how to cite it and the code to read it; its schema.org Dataset goes into the
page's front matter.
"""

from __future__ import annotations

import json
import re

import pandas as pd
from markupsafe import Markup

from umkm.site import dataset_page
from umkm.site.context import Site, site_address, slugify
from umkm.site.figures import render_page
from umkm.site.render import esc, html_table, link, safe_url, to_csv


def _unduh(site: Site, page: str, target: str, *, version: str | None = None) -> str:
    """Link from ``page`` to a download of this release (``unduh/<version>/<target>``, its fixed URL),
    or of ``version="latest"`` (umkm.catalogue.downloads.download_files writes both)."""
    return site.href(page, f"unduh/{version or site.si.release.version}/{target}", shared=True)


def catalogue(site: Site) -> dict[str, str]:
    page = "data/index.md"
    rows = []
    for name, pkg in sorted(site.packages.items()):
        title = pkg.get(site.t("title", "title_en")) or pkg.get("title") or name
        rows.append(
            [
                link(site.href(page, f"data/{name}.md"), title),
                name,
                pkg.get(site.t("description", "description_en")) or pkg.get("description", ""),
                str(len(pkg.get("resources", []))),
                Markup(
                    " ".join(
                        [
                            link(_unduh(site, page, f"{name}.zip"), "ZIP"),
                            link(_unduh(site, page, f"{name}/datapackage.json"), "datapackage.json"),
                        ]
                    )
                ),
            ]
        )
    table = html_table(
        site.t("Paket data", "Data packages"),
        [
            site.t("Paket", "Package"),
            site.t("Nama", "Name"),
            site.t("Keterangan", "Description"),
            site.t("Sumber daya", "Resources"),
            site.t("Unduh", "Download"),
        ],
        rows,
        numeric={3},
        stack=True,
    )
    return {page: render_page(site, "katalog.md.j2", page, table=table, citation=site.citation(None))}


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
        main, other = (
            (f.get("title", ""), f.get("title_en", ""))
            if site.lang == "id"
            else (f.get("title_en") or f.get("title", ""), f.get("title", ""))
        )
        other_lang = "en" if site.lang == "id" else "id"
        title = Markup(f'{esc(main)}<br><small lang="{other_lang}">{esc(other)}</small>') if other else esc(main)
        desc = f.get(site.t("description", "description_en")) or f.get("description", "")
        rows.append(
            [
                Markup(f"<code>{esc(f.get('name', ''))}</code>"),
                f.get("type", "string"),
                title,
                desc,
                "; ".join(constraints),
            ]
        )
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
        document = {
            **document,
            "distribution": [
                d
                for d in document["distribution"]
                if not isinstance(d, dict)
                or d.get("encodingFormat") in ("text/csv", "application/zip", "application/json")
            ],
        }
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
    return html_table(
        caption,
        [
            site.t("Kolom", "Field"),
            site.t("Tipe", "Type"),
            site.t("Judul (ID / EN)", "Title (EN / ID)"),
            site.t("Keterangan", "Description"),
            site.t("Batasan / satuan", "Constraints / unit"),
        ],
        _field_rows(site, {"fields": fields}),
        row_header=False,
        stack=True,
    )


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
            resources.append(
                {
                    "name": res_name,
                    "anchor": "tabel-" + slugify(res_name),
                    "title": res.get(site.t("title", "title_en")) or res.get("title") or res_name,
                    "description": res.get(site.t("description", "description_en")) or res.get("description", ""),
                    "bytes": res.get("bytes"),
                    "hash": res.get("hash"),
                    "downloads": downloads.get(res_name, []),
                    "completeness": dataset_page.completeness(site, res),
                    "fields": _fields_table(site, site.t(f"Kolom {res_name}", f"Fields of {res_name}"), own)
                    if own
                    else None,
                    "shared": [f.get("name", "") for f in fields if f not in own],
                    "preview": None
                    if preview is None
                    else _preview_table(
                        site,
                        site.t(f"Pratinjau: {len(preview)} baris pertama", f"Preview: first {len(preview)} rows"),
                        preview,
                    ),
                }
            )
        licences = [
            (lic.get("title") or lic.get("name", ""), safe_url(str(lic.get("path", ""))))
            for lic in pkg.get("licenses", [])
        ]
        sources = [(src.get("title", ""), safe_url(str(src.get("path", "")))) for src in pkg.get("sources", [])]
        title = pkg.get(site.t("title", "title_en")) or pkg.get("title") or name
        files[page] = render_page(
            site,
            "paket.md.j2",
            page,
            pkg=pkg,
            name=name,
            title=title,
            description=pkg.get(site.t("description", "description_en")) or pkg.get("description", ""),
            resources=resources,
            licences=licences,
            sources=sources,
            code=dataset_page.code(site, page, pkg),
            package_files=dataset_page.package_files(site, page, pkg),
            cite=dataset_page.cite(site, page, pkg),
            many=count > MANY_RESOURCES,
            shared_fields=_fields_table(
                site, site.t("Kolom yang sama di beberapa tabel", "Fields shared by several tables"), shared
            )
            if shared
            else None,
            schema_org=schema_org_front_matter(site, pkg),
            zip_href=_unduh(site, page, f"{name}.zip"),
            json_href=_unduh(site, page, f"{name}/datapackage.json"),
            latest_zip_href=_unduh(site, page, f"{name}.zip", version="latest"),
            latest_json_href=_unduh(site, page, f"{name}/datapackage.json", version="latest"),
            releases_href=site.href(page, "data/perubahan.md"),
            citation=site.citation(name),
        )
    return files


def quality(site: Site) -> dict[str, str]:
    page = "data/kualitas.md"
    frame = site.si.quality
    label_col = site.t("label_id", "label_en")
    rows = [
        [r.get(label_col, ""), Markup(f"<code>{esc(r.get('metrik', ''))}</code>"), site.num(int(r["nilai"]))]
        for r in frame.to_dict("records")
    ]
    table = html_table(
        site.t("Laporan kualitas data", "Data-quality report"),
        [site.t("Ukuran", "Measure"), site.t("Kode", "Code"), site.t("Nilai", "Value")],
        rows,
        numeric={2},
        stack=True,
    )
    csv_path = "data/kualitas.csv"
    csv_text = to_csv(
        ["metrik", site.t("label", "label"), site.t("nilai", "value")],
        [[r.get("metrik", ""), r.get(label_col, ""), int(r["nilai"])] for r in frame.to_dict("records")],
    )
    return {
        page: render_page(
            site,
            "kualitas.md.j2",
            page,
            table=table,
            csv_href=site.href(page, csv_path),
            citation=site.citation("umkm-kualitas-data"),
        ),
        csv_path: csv_text,
    }
