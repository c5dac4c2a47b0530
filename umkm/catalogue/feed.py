"""The release index in; what announces the releases out: the Atom feed of releases (``feed.xml``),
``robots.txt`` and the sitemap of the download pages (``unduh/sitemap.xml``).

The feed's author and rights are the packages' publisher and licence (their descriptors). Its ids are
name-based UUIDs and its dates the snapshot dates, so the same history gives the same bytes.
"""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET

from umkm.catalogue import licences
from umkm.catalogue.config import Config, Urls
from umkm.catalogue.descriptor import MEDIA_TYPES, publisher
from umkm.catalogue.releases import changelog_summary

UUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/dinas-kumkmp-balikpapan/data-umkm")

ATOM = "http://www.w3.org/2005/Atom"


def _uuid(*parts: str) -> str:
    return str(uuid.uuid5(UUID_NAMESPACE, "/".join(parts)))


def atom_feed(index: list[dict], config: Config, descriptors: list[dict]) -> bytes:
    """Atom feed of releases, newest first: one entry per release, ids from the version, updated = snapshot date.
    ``descriptors``: the packages of this release (their publisher is the feed's author, their licence its rights).
    """
    urls = Urls(config.base_url)
    ET.register_namespace("", ATOM)

    def sub(parent, tag, text=None, **attrs):
        element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", {k.rstrip("_"): v for k, v in attrs.items()})
        if text is not None:
            element.text = text
        return element

    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "id"})
    sub(feed, "id", "urn:uuid:" + _uuid("feed", "releases"))
    sub(feed, "title", "Rilis Data UMKM Kota Balikpapan / UMKM data releases")
    sub(
        feed,
        "subtitle",
        "Setiap rilis data terbuka register UMKM dan perubahannya / every open-data release of "
        "the UMKM register and its changes",
    )
    stamps = [f"{e['snapshot_date']}T00:00:00Z" for e in index]
    sub(feed, "updated", max(stamps) if stamps else "1970-01-01T00:00:00Z")
    sub(feed, "link", rel="self", type="application/atom+xml", href=urls.abs("feed.xml"))
    sub(feed, "link", rel="alternate", type="text/html", href=urls.changelog())
    author = sub(feed, "author")
    sub(author, "name", publisher(descriptors[0] if descriptors else {}))
    sub(author, "uri", urls.base)
    sub(feed, "rights", ", ".join(licence.short_title for licence in licences.of_packages(descriptors)))
    for e in reversed(index):
        entry = sub(feed, "entry")
        sub(entry, "id", "urn:uuid:" + _uuid("release", e["version"]))
        sub(
            entry,
            "title",
            f"Rilis {e['version']} (data per {e['snapshot_date']})"
            + (" [data sintetis]" if e.get("synthetic") else ""),
        )
        sub(entry, "updated", f"{e['snapshot_date']}T00:00:00Z")
        sub(entry, "published", f"{e['snapshot_date']}T00:00:00Z")
        sub(entry, "link", rel="alternate", type="text/html", href=urls.changelog(e["version"]))
        sub(
            entry, "link", rel="related", type="application/json", href=urls.abs(f"unduh/{e['version']}/perubahan.json")
        )
        for name, info in sorted(e.get("packages", {}).items()):
            attrs = {
                "rel": "enclosure",
                "type": MEDIA_TYPES["zip"],
                "href": urls.abs(info["zip"]["path"]),
                "title": name,
            }
            if info["zip"].get("bytes") is not None:
                attrs["length"] = str(info["zip"]["bytes"])
            sub(entry, "link", **attrs)
        if e.get("synthetic"):
            sub(entry, "category", term="data-sintetis", label="Data sintetis (demo)")
        changes = e.get("changes") or {
            "version": e["version"],
            "snapshot_date": e["snapshot_date"],
            "first_release": True,
            "total": {},
        }
        sub(entry, "summary", changelog_summary(changes, "id"))
        sub(entry, "content", changelog_summary(changes, "id") + "\n\n" + changelog_summary(changes, "en"), type="text")
    ET.indent(feed, space="  ")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"


def robots_txt(urls: Urls) -> str:
    """robots.txt: everything may be crawled; the sitemaps of both languages and of the download pages. (A
    crawler reads robots.txt only at a host's root: under a sub-path, give the sitemaps to the search
    engines' consoles instead.)"""
    return (
        "\n".join(
            [
                "User-agent: *",
                "Allow: /",
                "",
                f"Sitemap: {urls.abs('sitemap.xml')}",
                f"Sitemap: {urls.abs('en/sitemap.xml')}",
                f"Sitemap: {urls.abs('unduh/sitemap.xml')}",
            ]
        )
        + "\n"
    )


def downloads_sitemap(index: list[dict], urls: Urls) -> bytes:
    """``unduh/sitemap.xml``: the page of every release and package version (MkDocs' sitemaps list the pages
    it builds, not these)."""
    ns = "http://www.sitemaps.org/schemas/sitemap/0.9"
    ET.register_namespace("", ns)
    root = ET.Element(f"{{{ns}}}urlset")

    def add(relative: str, date: str) -> None:
        entry = ET.SubElement(root, f"{{{ns}}}url")
        ET.SubElement(entry, f"{{{ns}}}loc").text = urls.abs(relative)
        ET.SubElement(entry, f"{{{ns}}}lastmod").text = date

    if index:
        add("unduh/", max(e["snapshot_date"] for e in index))
    for e in index:
        add(f"unduh/{e['version']}/", e["snapshot_date"])
        for name in sorted(e.get("packages", {})):
            add(urls.package_dir(e["version"], name), e["snapshot_date"])
    ET.indent(root, space="  ")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
