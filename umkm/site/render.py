"""Values in, safe text out: the escaper, the CSV writer, HTML tables and links, and the page templates.

Every value that comes from data (codes, names, descriptions, table cells) is escaped by ``esc``
for HTML, Markdown and Jinja at once, or by the template environment, which escapes every
``{{ }}`` that is not already ``Markup``. Nothing here knows a language or a page: the
lookups of one language are umkm/site/context.py's ``Site``.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from umkm.vocabulary import LICENCE, PUBLISHER_SHORT
from umkm.xlsx import safe_text

TEMPLATES = Path(__file__).resolve().parent / "templates"

# ------------------------------------------------------------------ escaping

_ESCAPES = {ord(c): f"&#{ord(c)};" for c in "\\`*_{}[]|~^=#!'"}
_ESCAPES.update({ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;", ord('"'): "&quot;"})


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")  # Unicode category Cc


def esc(value: object) -> Markup:
    """Text from data -> safe in HTML, Markdown and Jinja alike (one line, entities only)."""
    text = " ".join(str(value).split())  # a blank line would end a raw HTML block
    return Markup(_CONTROL.sub("", text).translate(_ESCAPES))


def safe_url(url: str) -> str | None:
    url = url.strip()
    return url if re.fullmatch(r"https?://[^\s<>\"'`{}]+", url) else None


def _csv_cell(value: object) -> object:
    return safe_text(value)  # the packages' formula guard (umkm/xlsx.py)


def to_csv(header: list[str], rows: list[list[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([[_csv_cell(v) for v in row] for row in rows])
    return out.getvalue()


# ------------------------------------------------------------------ HTML pieces


def html_table(
    caption: str,
    headers: list[str],
    rows: list[list[object]],
    *,
    numeric: set[int] = frozenset(),
    row_header: bool = True,
    css: str = "",
    column_group: str | None = None,
    stack: bool = False,
) -> Markup:
    """A data table with scoped headers; cells are escaped unless they are Markup.

    ``column_group``: a header row above the columns after the first (the second dimension of a cross table).
    ``stack``: on a phone each row becomes a block, each cell under its column's name (docs/assets/site.css),
    for tables of long text (the catalogue, a data dictionary) that no width makes readable side by side.
    """
    if stack:
        css = (css + " umkm-susun").strip()

    def cell(v: object) -> Markup:
        return v if isinstance(v, Markup) else esc(v)

    out = [f'<table class="umkm-data{(" " + css) if css else ""}"><caption>{esc(caption)}</caption><thead>']
    if column_group:
        out.append(f'<tr><td></td><th scope="colgroup" colspan="{len(headers) - 1}">{esc(column_group)}</th></tr>')
    out.append("<tr>")
    num_cls = ' class="angka"'
    out += [f'<th scope="col"{num_cls if i in numeric else ""}>{esc(h)}</th>' for i, h in enumerate(headers)]
    out.append("</tr></thead><tbody>")
    for row in rows:
        out.append("<tr>")
        for i, v in enumerate(row):
            cls = ' class="angka"' if i in numeric else ""
            label = f' data-label="{esc(headers[i])}"' if stack and i < len(headers) else ""
            if i == 0 and row_header:
                out.append(f'<th scope="row"{cls}{label}>{cell(v)}</th>')
            else:
                out.append(f"<td{cls}{label}>{cell(v)}</td>")
        out.append("</tr>")
    out.append("</tbody></table>")
    return Markup("".join(out))


def link(href: str, text: object, css: str = "") -> Markup:
    cls = f' class="{css}"' if css else ""
    return Markup(f'<a href="{html.escape(href, quote=True)}"{cls}>{esc(text)}</a>')


@dataclass(frozen=True)
class Figure:
    """A chart with its table, summary, notes and downloads, ready for a page."""

    html: Markup
    summary: str
    files: dict[str, str]  # docs path (this language) -> content


def svg_size(svg: str) -> tuple[str, str]:
    match = re.search(r'width="([\d.]+)" height="([\d.]+)"', svg)
    return (match.group(1), match.group(2)) if match else ("640", "400")


# ------------------------------------------------------------------ templates


def render_template(template_name: str, /, **context) -> str:
    return environment().get_template(template_name).render(**context)


_ENV: list[Environment] = []


def environment(template_cache: Path | None = None) -> Environment:
    if not _ENV:
        env = Environment(
            loader=FileSystemLoader(str(TEMPLATES)),
            autoescape=True,
            undefined=StrictUndefined,
            finalize=lambda v: v if isinstance(v, Markup) else esc("" if v is None else v),
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        env.filters["e"] = esc
        env.filters["json_title"] = lambda v: Markup(json.dumps(str(esc(v)), ensure_ascii=False))
        env.globals["licence"] = LICENCE  # umkm/vocabulary.py
        env.globals["publisher_short"] = PUBLISHER_SHORT
        _ENV.append(env)
    if template_cache is not None and _ENV[0].bytecode_cache is None:
        _ENV[0].bytecode_cache = bytecode_cache(template_cache)
    return _ENV[0]


def bytecode_cache(folder: Path):
    """Compiled Jinja templates kept in ``folder`` between builds (each checked against its source)."""
    from jinja2 import FileSystemBytecodeCache

    Path(folder).mkdir(parents=True, exist_ok=True)
    return FileSystemBytecodeCache(str(folder))
