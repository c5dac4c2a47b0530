"""Release, count tables, package descriptors and reference in; the site's pages, SVG charts and CSV files out.

``build_pages`` is pure: it returns {path relative to the docs folder: content} for
both languages (Bahasa Indonesia at the root, English under ``en/``); build_data.py
writes the files (and the catalogue's ``unduh/`` downloads) and calls
umkm/site/mkdocs.py's ``mkdocs_build``.

The site stage, in the order it is built (each module imports only those above it):
  render.py      escaping, CSV, HTML tables and links, the page templates
  context.py     SiteInput and Site: one language's lookups, labels and formats
  figures.py     a chart (or map) with its table, summary, notes and downloads
  stat_pages.py, sentra_pages.py, data_pages.py, areas.py, story.py
                 the page kinds: statistics, sentra, data packages and quality, areas, home
  pages.py       this module: every page kind, both languages, the images rendered
  mkdocs.py      the strict MkDocs build of both languages
"""

from __future__ import annotations

from pathlib import Path

from umkm.site import areas, changelog, data_pages, images, sentra_pages, stat_pages, story
from umkm.site.context import Site, SiteInput
from umkm.site.figures import PngOf
from umkm.site.render import environment

# The city-wide tables read from every earlier release (umkm.build.history.read_published_history) for the home page.
HISTORY_TABLES = (
    "menurut_kecamatan",
    "menurut_kbli_kategori",
    "pemasaran_online_keaktifan",
    "menurut_bantuan_modal",
    "menurut_pelatihan",
)
LANGS = ("id", "en")
# The page builders, one function a page kind: each takes a Site and returns {docs path: content}.
PAGE_KINDS = (
    story.home,
    stat_pages.statistics,
    areas.areas,
    sentra_pages.sentra,
    data_pages.catalogue,
    data_pages.packages,
    data_pages.quality,
    changelog.pages,
)


def build_pages(
    site_input: SiteInput, *, template_cache: Path | None = None, langs: tuple[str, ...] = LANGS
) -> dict[str, str | bytes]:
    """All generated pages, charts and CSV files of both languages (or of ``langs``), keyed by docs path.

    ``template_cache``: a folder that keeps the compiled page templates between builds (same pages).
    """
    environment(template_cache)
    files: dict[str, str | bytes] = {}
    for lang in langs:
        site = Site(site_input, lang)
        prefix = "" if lang == "id" else "en/"
        for builder in PAGE_KINDS:
            for path, content in builder(site).items():
                files[prefix + path] = content
    return dict(sorted(render_images(files, site_input).items()))


def render_images(files: dict, site_input: SiteInput) -> dict[str, str | bytes]:
    """Every image a page builder asked for (figures.PngOf) rendered as PNG (or left out, with
    ``site_input.png`` False: the pages still link them, so only a test of the pages alone does that)."""
    out = {}
    for path, content in files.items():
        if isinstance(content, PngOf):
            if not site_input.png:
                continue
            if content.is_card:
                out[path] = images.render_card(content.svg, cache=site_input.png_cache)
            else:
                out[path] = images.render_png(content.svg, cache=site_input.png_cache)
        else:
            out[path] = content
    return out
