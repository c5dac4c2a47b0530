"""Catalogue: a release's packages and the index of earlier releases in; every machine-readable file that
publishes them out (file contents only: build_data.py reads the previous release index and writes what
``build`` returns; nothing here touches a file or reads the clock).

One module per format family, in the order ``build`` makes them:

- ``releases``: the release's version, its entry in the release index (``releases.json``, public, and
  ``private/releases.json``) and its changes against the previous release;
- ``citations``: the citation files of each package version (``CITATION.txt``, ``.bib``, ``.cff``, ``.ris``,
  ``.csl.json``; the citation itself is umkm.package.citation);
- ``satu_data``: Satu Data / BPS metadata of every package (``satu-data.json``);
- ``downloads``: the ``unduh/`` folders (every file of the release at a fixed URL, the zips, ``unduh/latest/``,
  a page for every folder (``version_pages``), the SQLite database (``sqlite_db``), ``perubahan.json`` and
  ``CHANGELOG.txt``);
- ``dcat``: DCAT-AP 3 (``catalog.jsonld``, ``catalog.ttl``) and schema.org (``data/<package>.jsonld``);
- ``data_json``: Project Open Data 1.1 (``data.json``);
- ``feed``: the Atom feed of releases (``feed.xml``), ``robots.txt`` and the sitemap of the download pages.

Shared by them: ``config`` (where the catalogue is published, the address of everything), ``descriptor``
(what every format reads from a package descriptor) and ``licences`` (the descriptor's licence in the other
vocabularies). The page of every release and its changes (``data/perubahan.md``) is a site page:
umkm.site.changelog.

Every date is the register's snapshot date, never the time of the build, and every identifier is an IRI or a
name-based UUID (no blank nodes), so the same release and history give the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from umkm.catalogue import citations, releases, satu_data, version_pages
from umkm.catalogue.config import Config, Urls
from umkm.catalogue.data_json import data_json
from umkm.catalogue.dcat import dcat_graph, dcat_turtle, schema_org
from umkm.catalogue.descriptor import json_bytes, sha256
from umkm.catalogue.downloads import download_files, release_files
from umkm.catalogue.feed import atom_feed, downloads_sitemap, robots_txt
from umkm.package.formats import bundle
from umkm.package.packages import Package

__all__ = ["Catalogue", "Config", "Urls", "build"]


@dataclass
class Catalogue:
    files: dict[str, bytes] = field(default_factory=dict)  # path relative to the docs folder -> bytes
    index: list[dict] = field(default_factory=list)  # the release index after this release
    sizes: dict[str, int] = field(default_factory=dict)  # every file of unduh/<version>/ -> bytes (the pages show it)


def build(packages: list[Package], release, index: list[dict], config: Config, reference=None) -> Catalogue:
    """Every catalogue file of the release ``release`` (its packages), given the index of earlier releases.

    ``index`` holds only releases whose ``unduh/<version>/`` folders build_data.py carries
    forward; the result's ``index`` is that index with this release added (last).
    """
    urls = Urls(config.base_url)
    version = release.version
    names = releases.code_names(reference) if reference is not None else {}
    files: dict[str, bytes] = {}
    extras: dict[str, dict[str, bytes]] = {}
    bundles: dict[str, bytes] = {}
    facts = satu_data.activity_facts()
    documents = []
    for p in sorted(packages, key=lambda p: p.name):
        extra = citations.files(p.descriptor, urls)
        documents.append(satu_data.satu_data(p.descriptor, urls.base, config.contact_email, facts))
        extra["satu-data.json"] = json_bytes(documents[-1])
        extras[p.name] = extra
        bundles[p.name] = bundle(p, extra, urls.base)
    files["satu-data.json"] = json_bytes(satu_data.catalogue_document(documents))
    entry = releases.release_entry(packages, release, bundles)
    previous = releases.previous_release(index, version)
    entry["previous_version"] = previous["version"] if previous else None
    entry["changes"] = releases.changelog(entry, previous, names)
    new_index = releases.with_release(index, entry)

    downloads = download_files(packages, version, extras, bundles, entry["changes"], urls)
    downloads.update(release_files(packages, release, extras, bundles, urls, config.contact_email))
    files.update(downloads)
    file_info = {
        path: (len(data), sha256(data)) for path, data in downloads.items() if path.startswith(f"unduh/{version}/")
    }
    for p in packages:
        files[f"data/{p.name}.jsonld"] = json_bytes(schema_org(p.descriptor, release, config.base_url))
    files["releases.json"] = releases.index_bytes(new_index)
    files["feed.xml"] = atom_feed(new_index, config, [p.descriptor for p in sorted(packages, key=lambda p: p.name)])
    graph = dcat_graph(packages, release, new_index, config, reference, file_info)
    files["catalog.jsonld"] = json_bytes(graph)
    files["catalog.ttl"] = dcat_turtle(graph).encode("utf-8")
    files["data.json"] = json_bytes(data_json(packages, release, new_index, config))
    files["unduh/index.html"] = version_pages.index_page(
        new_index, version_pages.Reach(urls.base, config.contact_email)
    ).encode("utf-8")
    files["unduh/sitemap.xml"] = downloads_sitemap(new_index, urls)
    files["robots.txt"] = robots_txt(urls).encode("utf-8")
    return Catalogue(
        files=dict(sorted(files.items())),
        index=new_index,
        sizes={path: size for path, (size, _) in sorted(file_info.items())},
    )
