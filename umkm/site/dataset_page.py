"""A package descriptor, the release's download sizes and one site language in; what a dataset page says about
its downloads out: each file with its size, each column's completeness, the citation and its files, and code
that opens the tables with their types (pandas, polars, DuckDB, R, SQLite; Excel in words).

The layout is site_sections' and paket.md.j2's; this module only gives the content, as plain values
and escaped HTML pieces, so the page and its wording can change apart.
"""

from __future__ import annotations

import html
import posixpath

from markupsafe import Markup

from umkm.catalogue.version_pages import human_size
from umkm.package import citation, code_samples
from umkm.site.context import site_address


def _href(site, page: str, target: str) -> str:
    """A link from ``page`` to ``target``, a file at the root of the Indonesian site (unduh/ downloads)."""
    return site.href(page, target, shared=True)


def _size(site, path: str) -> str:
    size = site.si.download_sizes.get(path)
    return human_size(size, site.lang) if size is not None else ""


def downloads(site, page: str, package: dict) -> list[tuple[str, str, list[tuple[str, str, str]]]]:
    """(resource name, title, [(format, href, size)]) of every resource, at this release's fixed URLs."""
    version = site.si.release.version
    out = []
    for res in package.get("resources", []):
        formats = dict(res.get("formats") or {})
        if res.get("path") and res.get("path") not in formats.values():
            formats.setdefault(str(res.get("format") or posixpath.splitext(res["path"])[1][1:] or "file"), res["path"])
        links = []
        for fmt, path in sorted(formats.items()):
            if isinstance(path, str):
                target = f"unduh/{version}/{package['name']}/{path}"
                links.append((fmt.upper(), _href(site, page, target), _size(site, target)))
        out.append((res.get("name", ""), res.get("title", res.get("name", "")), links))
    return out


def package_files(site, page: str, package: dict) -> dict[str, tuple[str, str]]:
    """The package's zip, descriptor and version page: name -> (href, size)."""
    version, name = site.si.release.version, package["name"]
    folder = f"unduh/{version}/{name}/"
    return {
        "zip": (_href(site, page, f"unduh/{version}/{name}.zip"), _size(site, f"unduh/{version}/{name}.zip")),
        "datapackage.json": (_href(site, page, folder + "datapackage.json"), _size(site, folder + "datapackage.json")),
        "page": (_href(site, page, folder + "index.html"), ""),
        "database": (
            _href(site, page, f"unduh/{version}/{code_samples.DATABASE}"),
            _size(site, f"unduh/{version}/{code_samples.DATABASE}"),
        ),
    }


def completeness(site, resource: dict) -> Markup | None:
    """'Kolom terisi: a 100%, b 97,3%, ...': the share of the rows of this release that hold a value in each
    column (the rest are empty: unknown, or suppressed to protect confidentiality)."""
    filled, rows = resource.get("fieldsFilled"), resource.get("rows")
    if not filled or not rows:
        return None

    def share(n: int) -> str:
        text = f"{100 * n / rows:.1f}".rstrip("0").rstrip(".")
        return (text.replace(".", ",") if site.lang == "id" else text) + "%"

    parts = [f"<code>{html.escape(name)}</code>&nbsp;{share(n)}" for name, n in filled.items()]
    label = site.t("Kolom terisi (bagian baris yang berisi nilai)", "Columns filled (share of rows holding a value)")
    return Markup(f"{html.escape(label)}: " + ", ".join(parts) + ".")


def cite(site, page: str, package: dict) -> dict:
    """The package version's citation (text in the page's language) and links to its files."""
    record = citation.of(package, _address(site))
    folder = f"unduh/{site.si.release.version}/{package['name']}/"
    links = [(label, _href(site, page, folder + name)) for name, label in citation.FORMAT_LABELS.items()]
    return {"text": citation.text(record, site.lang), "url": record.url, "links": links}


def _address(site) -> str:
    return site_address(site.si.base_url)


def _block(lines: list[str]) -> Markup:
    # Raw HTML block: Markdown leaves it alone; no blank line inside (it would end the block).
    body = "\n".join(
        html.escape(line, quote=False).replace("{", "&#123;").replace("}", "&#125;") or " " for line in lines
    )
    return Markup(f"<pre><code>{body}</code></pre>")


def code(site, page: str, package: dict) -> dict[str, object]:
    """How to open the package in Python (pandas, polars, DuckDB), R, SQLite and Excel, the first resource as
    the example, reading this release's files at their fixed URLs (what the citation names)."""
    resources = package.get("resources") or [{}]
    res = resources[0]
    name, version = package.get("name", ""), site.si.release.version
    folder = f"{_address(site)}unduh/{version}/{name}/"
    formats = dict(res.get("formats") or {})
    blocks = {
        kind: _block(make(folder, name, res, site.lang, version))
        for kind, make in (
            ("python", code_samples.pandas),
            ("polars", code_samples.polars),
            ("duckdb", code_samples.duckdb),
            ("r", code_samples.r),
        )
    }
    blocks["sqlite"] = _block(code_samples.sqlite(f"{_address(site)}unduh/{version}/", res, site.lang, version))
    xlsx = formats.get("xlsx")
    return {
        **blocks,
        "resource": res.get("name", ""),
        "others": len(resources) > 1,
        "xlsx_href": _href(site, page, f"unduh/{version}/{name}/{xlsx}") if xlsx else None,
    }
