"""Release descriptors in, the machine-readable catalogue and release history out (file contents only).

build_data.py reads the previous release index and writes what ``build`` returns; nothing
here touches a file or reads the clock. From the same Frictionless descriptors it makes:

- one download layout (``download_files``): ``unduh/<version>/`` holds every file of the
  release, each package as a folder ``unduh/<version>/<package>/...`` and a zip
  ``unduh/<version>/<package>.zip``; these URLs never change once published, and the
  pages, citations and catalogues all point to them. ``unduh/latest/`` is small and is
  replaced by each release: a copy of each package's zip (one stable URL a script can
  fetch; static hosts follow no symlink nor redirect) and a pointer
  ``unduh/latest/<package>/datapackage.json`` whose files are the fixed URLs of the
  newest release. There is no unversioned copy;
- the release index (``releases.json``, public, and ``private/releases.json``), the
  changelog against the previous release (``unduh/<version>/perubahan.json`` and
  ``CHANGELOG.txt``, the pages ``data/perubahan.md`` and ``en/data/perubahan.md``) and an
  Atom feed of releases (``feed.xml``);
- DCAT-AP 3 (``catalog.jsonld``, and ``catalog.ttl`` serialised by rdflib from the same
  graph: the harvesting route, see ``dcat_graph``), Project Open Data 1.1 (``data.json``),
  citations per package version (umkm.package.citation: ``CITATION.txt``, ``.bib``, ``.cff``, ``.ris``,
  ``.csl.json``), a page for every download folder (umkm.catalogue.version_pages: a static host lists
  no folder), one typed SQLite database of the release with its Datasette metadata
  (umkm.catalogue.sqlite_db), schema.org ``Dataset`` JSON-LD per package (``data/<package>.jsonld``,
  and ``schema_org_script`` for embedding), Satu Data / BPS metadata of every package
  (umkm.catalogue.satu_data: ``satu-data.json``), ``robots.txt`` and a sitemap of the release pages.

No CKAN action API: a static host answers neither POST nor a query string (``package_show?id=``
would be one file for every id), so CKAN portals harvest the DCAT catalogue (README).

Absolute URIs use ``Config.base_url`` (env UMKM_SITE_URL, read by build_data.py); links
inside pages are relative. Every date is the register's snapshot date, never the time of
the build, and every identifier is an IRI or a name-based UUID (no blank nodes), so the same
release and history give the same bytes.
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import json
import re
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from urllib.parse import quote

from umkm import vocabulary
from umkm.catalogue import satu_data, sqlite_db, version_pages
from umkm.disclose import tables
from umkm.package import citation
from umkm.package import packages as pkgmod

DEFAULT_BASE_URL = citation.DEFAULT_BASE_URL
# Placeholder until the office names a public address (set UMKM_CONTACT_EMAIL for a real release).
DEFAULT_CONTACT_EMAIL = "data-umkm@example.org"
PUBLISHER = vocabulary.PUBLISHER
PUBLISHER_SHORT = vocabulary.PUBLISHER_SHORT
SITE_TITLE = vocabulary.SITE_TITLE
UUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/dinas-kumkmp-balikpapan/data-umkm")
VERSION_RE = re.compile(r"^(\d{4})\.(\d{2})\.(\d{2})(?:\.(\d+))?$")
STATS_PACKAGE = "umkm-statistik"
MICRODATA = ("umkm-mikrodata", "pelaku_umkm")
CHANGELOG_DIMENSIONS = {  # count table -> its dimension, compared release to release
    "menurut_kecamatan": "kecamatan_kode",
    "menurut_kbli_kategori": "kbli_kategori",
}
# Yes/no attributes whose city-wide counts the changelog states in words (summed over the table's other
# dimension): count table -> (attribute, what "ya" means in Indonesian, in English).
CHANGELOG_YES_NO = {
    "pemasaran_online_keaktifan": ("pemasaran_online", "berjualan online", "selling online"),
    "menurut_bantuan_modal": ("bantuan_modal", "menerima bantuan modal Rp300.000",
                              "receiving the Rp300,000 capital grant"),
    "menurut_pelatihan": ("pelatihan", "pernah ikut pelatihan", "having attended training"),
}
MEDIA_TYPES = {
    "csv": "text/csv",
    "parquet": "application/vnd.apache.parquet",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "zip": "application/zip",
    "json": "application/json",
    "sqlite": "application/vnd.sqlite3",
}
EU_FILE_TYPES = {"csv": "CSV", "parquet": "PARQUET", "xlsx": "XLSX", "zip": "ZIP", "json": "JSON"}
# The licence as CKAN's licence register names it: ckanext-dcat fills a harvested dataset's license_id by
# matching a distribution's dct:license against the register's URLs (then titles), and CKAN's "cc-by" has
# this URL. The node says it is the EU vocabulary's CC BY 4.0 (skos:exactMatch) for DCAT-AP readers.
LICENCE_IRI = vocabulary.LICENCE.opendefinition_iri
LICENCE_CKAN_TITLE = vocabulary.LICENCE.ckan_title
EU = "http://publications.europa.eu/resource/authority/"
DATAPACKAGE_PROFILE = pkgmod.PROFILE


@dataclass(frozen=True)
class Config:
    base_url: str = DEFAULT_BASE_URL
    contact_email: str = DEFAULT_CONTACT_EMAIL

    @classmethod
    def from_env(cls, environ) -> "Config":
        """UMKM_SITE_URL (where the site is published) and UMKM_CONTACT_EMAIL, with defaults."""
        base = (environ.get("UMKM_SITE_URL") or DEFAULT_BASE_URL).strip()
        email = (environ.get("UMKM_CONTACT_EMAIL") or DEFAULT_CONTACT_EMAIL).strip()
        return cls(base_url=base if base.endswith("/") else base + "/", contact_email=email.removeprefix("mailto:"))


# ------------------------------------------------------------------ versions


def base_version(snapshot_date) -> str:
    """YYYY.MM.DD of the register's snapshot date (package.release_version)."""
    return pkgmod.release_version(snapshot_date)


def version_key(version: str) -> tuple[int, int, int, int]:
    match = VERSION_RE.match(version)
    if not match:
        raise ValueError(f"not a release version: {version!r}")
    year, month, day, n = match.groups()
    return int(year), int(month), int(day), int(n or 1)


def fingerprint(descriptors: list[dict]) -> str:
    """What a release publishes, as one hash: every package's resources and their CSV hashes."""
    lines = sorted(f"{d['name']}/{r['name']}:{r.get('hash', '')}" for d in descriptors for r in d["resources"])
    return "sha256:" + hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def resolve_version(snapshot_date, content: str, index: list[dict]) -> str:
    """The version of the release being built, from its content fingerprint (disclose.content_fingerprint:
    every table and the microdata without their per-release pseudonyms).

    Rule: the version is the register's snapshot date as YYYY.MM.DD. When the index
    already holds a release of the same snapshot date, a build that publishes exactly
    the same data (same fingerprint) as the newest of them is that release again (a nightly
    rebuild inside the period) and keeps its version; a build whose data differ is a revision
    of that release and gets the next suffix: YYYY.MM.DD.2, then .3, and so on. A version,
    once published, therefore always names the same bytes.
    """
    base = base_version(snapshot_date)
    same_date = [e for e in index if version_key(e["version"])[:3] == version_key(base)[:3]]
    if not same_date:
        return base
    newest = max(same_date, key=lambda e: version_key(e["version"]))
    if newest.get("fingerprint") == content:
        return newest["version"]
    return f"{base}.{version_key(newest['version'])[3] + 1}"


def previous_release(index: list[dict], version: str) -> dict | None:
    """The release this one follows: the last one published before it (index order), not itself."""
    earlier = [e for e in index if e["version"] != version]
    return earlier[-1] if earlier else None


def parse_index(text: str) -> list[dict]:
    data = json.loads(text)
    entries = data["releases"] if isinstance(data, dict) else data
    for entry in entries:
        version_key(entry["version"])
    return entries


def index_bytes(index: list[dict]) -> bytes:
    document = {"description": "Rilis Data UMKM Kota Balikpapan, urut terbit (terbaru terakhir) / releases, "
                               "in order of publication (newest last)", "releases": index}
    return _json_bytes(document)


def with_release(index: list[dict], entry: dict) -> list[dict]:
    """The index after publishing ``entry``: a rebuild of a version replaces it and moves it last."""
    return [e for e in index if e["version"] != entry["version"]] + [entry]


# ------------------------------------------------------------------ release entry and changelog


def _sha256(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def _counts(csv_data: bytes, dimension: str) -> dict[str, int | None]:
    """Published cells of a count table: code -> count (None where suppressed); "" is unknown."""
    counts: dict[str, int | None] = {}
    for row in csv.DictReader(io.StringIO(csv_data.decode("utf-8"))):
        value, code = row.get(tables.COUNT, ""), row.get(dimension, "")
        # a table of two dimensions: the cells of one code are summed (suppressed if any is)
        before = counts.get(code, 0)
        counts[code] = None if before is None or not value.strip() else before + int(value)
    return dict(sorted(counts.items()))


def release_entry(packages: list[pkgmod.Package], release, bundles: dict[str, bytes]) -> dict:
    """One release in the index: what it published (rows, fields, hashes, zips) and its headline counts."""
    version = release.version
    entry = {
        "version": version,
        "snapshot_date": _date(release.snapshot_date),
        "synthetic": bool(release.is_demo),
        "fingerprint": getattr(release, "fingerprint", None) or fingerprint([p.descriptor for p in packages]),
        "packages": {},
        "counts": {},
    }
    for p in sorted(packages, key=lambda p: p.name):
        d = p.descriptor
        zip_data = bundles[p.name]
        entry["packages"][p.name] = {
            "title": d["title"], "title_en": d["title_en"],
            "description": d["description"], "description_en": d["description_en"],
            "keywords": list(d.get("keywords", [])),
            "zip": {"path": f"unduh/{version}/{p.name}.zip", "bytes": len(zip_data), "hash": _sha256(zip_data)},
            "resources": {r["name"]: {"title": r["title"], "title_en": r["title_en"], "rows": r.get("rows"),
                                      "bytes": r.get("bytes"), "hash": r.get("hash"),
                                      "fields": [f["name"] for f in r["schema"]["fields"]]}
                          for r in d["resources"]},
        }
    by_name = {p.name: p for p in packages}
    micro = entry["packages"].get(MICRODATA[0], {}).get("resources", {}).get(MICRODATA[1])
    entry["counts"]["pelaku_umkm"] = micro["rows"] if micro else None
    stats = by_name.get(STATS_PACKAGE)
    for table, dimension in [*CHANGELOG_DIMENSIONS.items(), *((t, d[0]) for t, d in CHANGELOG_YES_NO.items())]:
        if stats is not None and f"{table}.csv" in stats.files:
            entry["counts"][dimension] = _counts(stats.files[f"{table}.csv"], dimension)
    return entry


def _diff(before, after):
    return after - before if isinstance(before, int) and isinstance(after, int) else None


def changelog(entry: dict, previous: dict | None, names: dict[str, dict[str, str]] | None = None) -> dict:
    """What changed from ``previous`` to ``entry``: packages, resources (rows, fields), kecamatan and KBLI counts."""
    names = names or {}
    changes = {"version": entry["version"], "snapshot_date": entry["snapshot_date"],
               "previous_version": previous["version"] if previous else None, "first_release": previous is None}
    if previous is None:
        changes["total"] = {"before": None, "after": entry["counts"].get("pelaku_umkm"), "change": None}
        return changes
    before_total, after_total = previous.get("counts", {}).get("pelaku_umkm"), entry["counts"].get("pelaku_umkm")
    changes["total"] = {"before": before_total, "after": after_total, "change": _diff(before_total, after_total)}
    old_pkgs, new_pkgs = previous.get("packages", {}), entry["packages"]
    changes["packages_added"] = sorted(set(new_pkgs) - set(old_pkgs))
    changes["packages_removed"] = sorted(set(old_pkgs) - set(new_pkgs))
    resources = []
    for name in sorted(set(old_pkgs) | set(new_pkgs)):
        old_res = old_pkgs.get(name, {}).get("resources", {})
        new_res = new_pkgs.get(name, {}).get("resources", {})
        for res in sorted(set(old_res) | set(new_res)):
            old, new = old_res.get(res), new_res.get(res)
            status = "added" if old is None else "removed" if new is None else (
                "changed" if old.get("hash") != new.get("hash") or old.get("fields") != new.get("fields")
                else "unchanged")
            old_fields, new_fields = (old or {}).get("fields", []), (new or {}).get("fields", [])
            resources.append({
                "package": name, "resource": res, "status": status,
                "rows_before": (old or {}).get("rows"), "rows_after": (new or {}).get("rows"),
                "rows_change": _diff((old or {}).get("rows"), (new or {}).get("rows")),
                "fields_added": [f for f in new_fields if f not in old_fields] if old else [],
                "fields_removed": [f for f in old_fields if f not in new_fields] if new else [],
            })
    changes["resources"] = [r for r in resources if r["status"] != "unchanged"]
    changes["resources_unchanged"] = sum(r["status"] == "unchanged" for r in resources)
    for dimension in CHANGELOG_DIMENSIONS.values():
        old, new = previous.get("counts", {}).get(dimension, {}), entry["counts"].get(dimension, {})
        rows = []
        for code in sorted(set(old) | set(new)):
            before, after = old.get(code, 0), new.get(code, 0)  # a code missing from a count table has none
            if before != after:  # None (suppressed) differs from every number
                rows.append({"code": code, "name": names.get(dimension, {}).get(code, ""),
                             "before": before, "after": after, "change": _diff(before, after)})
        changes[dimension] = rows
    for attribute, _, _ in CHANGELOG_YES_NO.values():  # every answer (ya, tidak, unknown) when any changed
        old, new = previous.get("counts", {}).get(attribute), entry["counts"].get(attribute)
        if old is None or new is None:
            continue
        rows = [{"code": code, "before": old.get(code, 0), "after": new.get(code, 0),
                 "change": _diff(old.get(code, 0), new.get(code, 0))} for code in sorted(set(old) | set(new))]
        changes[attribute] = rows if any(r["before"] != r["after"] for r in rows) else []
    return changes


def code_names(reference) -> dict[str, dict[str, str]]:
    """Names of the codes the changelog compares (kecamatan, KBLI categories), from the reference data."""
    return {
        "kecamatan_kode": dict(zip(reference.kecamatan["kode_kemendagri"], reference.kecamatan["nama"])),
        "kbli_kategori": dict(zip(reference.kbli_kategori["kategori"], reference.kbli_kategori["judul"])),
    }


def _num(n, lang: str, signed: bool = False) -> str:
    if n is None:
        return "disembunyikan" if lang == "id" else "suppressed"
    text = f"{n:+,}" if signed and n else f"{n:,}"
    return text.replace(",", ".") if lang == "id" else text


def changelog_summary(changes: dict, lang: str = "id") -> str:
    """One paragraph of what changed, for the feed, the DCAT version notes and CHANGELOG.txt."""
    t = (lambda a, b: a if lang == "id" else b)
    head = t(f"Rilis {changes['version']} (data register per {changes['snapshot_date']})",
             f"Release {changes['version']} (register data as of {changes['snapshot_date']})")
    total = changes.get("total", {})
    if changes["first_release"]:
        return head + t(f": rilis pertama; {_num(total.get('after'), lang)} pelaku UMKM.",
                        f": first release; {_num(total.get('after'), lang)} UMKM actors.")
    parts = [t(f"dibanding {changes['previous_version']}: ", f"compared with {changes['previous_version']}: ")
             + t("jumlah pelaku UMKM ", "UMKM actors ") + _num(total.get("after"), lang)
             + (f" ({_num(total['change'], lang, signed=True)})" if total.get("change") is not None else "")]
    resources = changes.get("resources", [])
    rows_changed = [r for r in resources if r["status"] == "changed" and r["rows_change"]]
    content_only = [r for r in resources if r["status"] == "changed" and not r["rows_change"]]
    if rows_changed:
        parts.append(t(f"{len(rows_changed)} tabel berubah jumlah barisnya", f"{len(rows_changed)} tables changed "
                                                                              f"their number of rows"))
    if content_only:
        parts.append(t(f"{len(content_only)} tabel berubah isinya", f"{len(content_only)} tables changed content"))
    for key, id_word, en_word in (("added", "tabel baru", "new tables"), ("removed", "tabel dihapus",
                                                                           "tables removed")):
        items = [f"{r['package']}/{r['resource']}" for r in resources if r["status"] == key]
        if items:
            parts.append(t(id_word, en_word) + ": " + ", ".join(items))
    for key, id_word, en_word in (("fields_added", "kolom ditambah", "fields added"),
                                  ("fields_removed", "kolom dihapus", "fields removed")):
        items = [f"{r['package']}/{r['resource']}.{f}" for r in resources for f in r[key]]
        if items:
            parts.append(t(id_word, en_word) + ": " + ", ".join(items))
    for pkg_key, id_word, en_word in (("packages_added", "paket baru", "new packages"),
                                      ("packages_removed", "paket dihapus", "packages removed")):
        if changes.get(pkg_key):
            parts.append(t(id_word, en_word) + ": " + ", ".join(changes[pkg_key]))
    for dimension, id_word, en_word in (("kecamatan_kode", "kecamatan", "kecamatan"),
                                        ("kbli_kategori", "kategori KBLI", "KBLI categories")):
        rows = changes.get(dimension, [])
        if rows:
            unknown = t("tidak diketahui", "unknown")
            label = (lambda r: r["name"] or r["code"] or unknown) if dimension == "kecamatan_kode" else (
                lambda r: r["code"] or unknown)  # KBLI titles are long: the letter says enough here
            listed = ", ".join(f"{label(r)} " + (_num(r["change"], lang, signed=True) if r["change"] is not None
                                                  else f"{_num(r['before'], lang)} -> {_num(r['after'], lang)}")
                               for r in rows[:8])
            more = t(f" dan {len(rows) - 8} lainnya", f" and {len(rows) - 8} more") if len(rows) > 8 else ""
            parts.append(t(f"jumlah berubah di {len(rows)} {id_word}", f"counts changed in {len(rows)} {en_word}")
                         + f" ({listed}{more})")
    for attribute, id_what, en_what in CHANGELOG_YES_NO.values():
        yes = next((r for r in changes.get(attribute, []) if r["code"] == "ya"), None)
        if yes is not None:
            shift = f" ({_num(yes['change'], lang, signed=True)})" if yes["change"] is not None else ""
            parts.append(t(f"pelaku {id_what} {_num(yes['before'], lang)} menjadi {_num(yes['after'], lang)}",
                           f"actors {en_what} {_num(yes['before'], lang)} to {_num(yes['after'], lang)}") + shift)
    if not resources and not any(changes.get(d) for d in [*CHANGELOG_DIMENSIONS.values(),
                                                          *(a for a, _, _ in CHANGELOG_YES_NO.values())]):
        parts.append(t("tidak ada perubahan data", "no change in the data"))
    return head + " " + "; ".join(parts) + "."


def changelog_text(changes: dict) -> str:
    """CHANGELOG.txt of a release folder: the summary in both languages and the change tables as text."""
    lines = [changelog_summary(changes, "id"), "", changelog_summary(changes, "en"), ""]
    if not changes["first_release"]:
        resources = changes.get("resources", [])
        if resources:
            lines += ["Tabel / tables (status, baris sebelum -> sesudah / rows before -> after):"]
            for r in resources:
                extra = "".join(f"; {label}: {', '.join(r[key])}" for key, label in
                                (("fields_added", "+kolom/fields"), ("fields_removed", "-kolom/fields")) if r[key])
                lines.append(f"  {r['package']}/{r['resource']}: {r['status']}, "
                             f"{_num(r['rows_before'], 'en')} -> {_num(r['rows_after'], 'en')}{extra}")
        for dimension in CHANGELOG_DIMENSIONS.values():
            if changes.get(dimension):
                lines += ["", f"{dimension} (sebelum -> sesudah / before -> after):"]
                lines += [f"  {r['code'] or '(kosong/unknown)'}{(' ' + r['name']) if r['name'] else ''}: "
                          f"{_num(r['before'], 'en')} -> {_num(r['after'], 'en')}" for r in changes[dimension]]
    return "\n".join(lines).rstrip() + "\n"


# ------------------------------------------------------------------ URLs


@dataclass(frozen=True)
class Urls:
    base: str

    def abs(self, relative: str) -> str:
        return self.base + quote(relative, safe="/#:=?&")

    @staticmethod
    def package_dir(version: str, name: str) -> str:
        return f"unduh/{version}/{name}/"

    @staticmethod
    def zip(version: str, name: str) -> str:
        return f"unduh/{version}/{name}.zip"

    @staticmethod
    def landing(name: str) -> str:
        return f"data/{name}.html"

    def dataset(self, name: str) -> str:
        return self.abs(self.landing(name)) + "#dataset"

    def dataset_version(self, version: str, name: str) -> str:
        """The IRI of one package version: its page (``unduh/<version>/<package>/``, an index.html)."""
        return self.abs(self.package_dir(version, name)) + "#dataset"

    def series(self, name: str) -> str:
        return self.abs(self.landing(name)) + "#rilis"

    @staticmethod
    def anchor(version: str) -> str:
        return "rilis-" + version.replace(".", "-")

    def changelog(self, version: str | None = None) -> str:
        return self.abs("data/perubahan.html") + (f"#{self.anchor(version)}" if version else "")


def _date(value) -> str:
    import pandas as pd

    return pd.Timestamp(value).strftime("%Y-%m-%d")


def _json_bytes(document) -> bytes:
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _synthetic_note(lang: str) -> str:
    return ("DATA SINTETIS (demo): dibuat oleh generator proyek, bukan data nyata. " if lang == "id" else
            "SYNTHETIC DATA (demo): made by the project's generator, not real data. ")


def _description(d: dict, lang: str, synthetic: bool) -> str:
    text = d["description"] if lang == "id" else d["description_en"]
    return (_synthetic_note(lang) + text) if synthetic else text


def _uuid(*parts: str) -> str:
    return str(uuid.uuid5(UUID_NAMESPACE, "/".join(parts)))


def _files_of(descriptor: dict) -> list[tuple[dict, str, str]]:
    """(resource, format, file name) of every data file of a package, in descriptor order."""
    out = []
    for r in descriptor["resources"]:
        formats = r.get("formats") or {r.get("format", "csv"): r["path"]}
        for fmt in ("csv", "parquet", "xlsx"):
            if fmt in formats:
                out.append((r, fmt, formats[fmt]))
    return out


# ------------------------------------------------------------------ citations


def citation_files(descriptor: dict, urls: "Urls") -> dict[str, bytes]:
    """CITATION.txt, .bib, .cff, .ris and .csl.json of a package version (umkm.package.citation, the one citation)."""
    return citation.files(citation.of(descriptor, urls.base))


# ------------------------------------------------------------------ schema.org


def schema_org(descriptor: dict, release, base_url: str, page: str | None = None,
               sizes: dict[str, int] | None = None) -> dict:
    """schema.org ``Dataset`` of one package version, to embed as JSON-LD in its dataset page (``page``: the
    page it is embedded in, default the dataset page; ``sizes``: file name -> bytes)."""
    urls = Urls(base_url if base_url.endswith("/") else base_url + "/")
    name, version, date = descriptor["name"], release.version, _date(release.snapshot_date)
    cite = citation.of(dict(descriptor, version=version), urls.base)
    sizes = sizes or {}
    mime = {"csv": "text/csv", "parquet": MEDIA_TYPES["parquet"], "xlsx": MEDIA_TYPES["xlsx"]}
    distribution = [{"@type": "DataDownload", "name": f"{descriptor['name']}.zip",
                     "encodingFormat": MEDIA_TYPES["zip"], "contentUrl": urls.abs(urls.zip(version, name)),
                     **({"contentSize": f"{sizes[f'{name}.zip']} B"} if f"{name}.zip" in sizes else {})}]
    for r, fmt, path in _files_of(descriptor):
        size = sizes.get(path, r.get("bytes") if fmt == "csv" else None)
        distribution.append({"@type": "DataDownload", "name": path, "description": r["title"],
                             "encodingFormat": mime[fmt], "contentUrl": urls.abs(urls.package_dir(version, name) + path),
                             **({"contentSize": f"{size} B"} if size else {})})
    variables, seen = [], set()
    for r in descriptor["resources"]:
        for f in r["schema"]["fields"]:
            if f["name"] not in seen:
                seen.add(f["name"])
                variables.append({"@type": "PropertyValue", "name": f["name"], "alternateName": f.get("title_en"),
                                  "description": f.get("description"),
                                  **({"unitText": f["unit"]} if f.get("unit") else {})})
    publisher = {"@type": "GovernmentOrganization", "name": cite.publisher, "alternateName": PUBLISHER_SHORT}
    return {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "@id": urls.dataset(name) if page is None else urls.dataset_version(version, name),
        "name": descriptor["title"],
        "alternateName": descriptor["title_en"],
        "description": _description(descriptor, "id", release.is_demo),
        "url": page or urls.abs(urls.landing(name)),
        "sameAs": cite.url,
        "identifier": [f"umkm-balikpapan/{name}/{version}", cite.url],
        "version": version,
        "datePublished": date,
        "dateModified": date,
        "temporalCoverage": date,
        "inLanguage": ["id", "en"],
        "keywords": list(descriptor.get("keywords", [])),
        "license": vocabulary.LICENCE.url,
        "isAccessibleForFree": True,
        "creator": publisher,
        "publisher": publisher,
        "spatialCoverage": {"@type": "Place", "name": "Kota Balikpapan, Kalimantan Timur, Indonesia"},
        "includedInDataCatalog": {"@type": "DataCatalog", "name": SITE_TITLE["id"], "url": urls.base},
        "citation": citation.text(cite, "id"),
        "distribution": distribution,
        "variableMeasured": variables,
    }


def schema_org_script(descriptor: dict, release, base_url: str) -> str:
    """The schema.org JSON-LD as an HTML ``<script>`` element, safe to paste into a page."""
    text = json.dumps(schema_org(descriptor, release, base_url), ensure_ascii=False, indent=1)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/ld+json">\n{text}\n</script>'


# ------------------------------------------------------------------ DCAT-AP 3

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "dcatap": "http://data.europa.eu/r5r/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "spdx": "http://spdx.org/rdf/terms#",
    "adms": "http://www.w3.org/ns/adms#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "locn": "http://www.w3.org/ns/locn#",
    "gsp": "http://www.opengis.net/ont/geosparql#",
    "dctype": "http://purl.org/dc/dcmitype/",
}


def _id(iri: str) -> dict:
    return {"@id": iri}


def _lit(text: str, lang: str | None = None) -> dict:
    return {"@value": text, "@language": lang} if lang else {"@value": text}


def _period(iri: str, start: str, end: str) -> dict:
    """A dct:PeriodOfTime from ``start`` to ``end`` (dates)."""
    return {"@id": iri, "@type": "dct:PeriodOfTime", "dcat:startDate": _typed(start, "xsd:date"),
            "dcat:endDate": _typed(end, "xsd:date")}


def _typed(value: str, datatype: str) -> dict:
    return {"@value": value, "@type": datatype}


def _both(id_text: str, en_text: str) -> list[dict]:
    return [_lit(id_text, "id"), _lit(en_text, "en")]


def _bbox(reference) -> tuple[float, float, float, float] | None:
    if reference is None:
        return None
    xs, ys = [], []

    def walk(coords):
        if coords and isinstance(coords[0], (int, float)):
            xs.append(coords[0])
            ys.append(coords[1])
        else:
            for c in coords:
                walk(c)

    for feature in reference.kecamatan_geojson.get("features", []):
        walk(feature["geometry"]["coordinates"])
    return (min(xs), min(ys), max(xs), max(ys)) if xs else None


def _concept(iri: str, label_en: str, scheme: str | None = None) -> dict:
    node = {"@id": iri, "@type": "skos:Concept", "skos:prefLabel": _lit(label_en, "en")}
    if scheme:
        node["skos:inScheme"] = _id(scheme)
    return node


def _distribution(urls: Urls, relative: str, fmt: str, title: tuple[str, str], description: tuple[str, str],
                  date: str, size: int | None, digest: str | None, landing: str) -> dict:
    url = urls.abs(relative)
    node = {
        "@id": url + "#distribusi",
        "@type": "dcat:Distribution",
        "dct:title": _both(*title),
        "dct:description": _both(*description),
        "dcat:accessURL": _id(url),
        "dcat:downloadURL": _id(url),
        "dct:format": _id(f"{EU}file-type/{EU_FILE_TYPES[fmt]}"),
        "dcat:mediaType": _id(f"https://www.iana.org/assignments/media-types/{MEDIA_TYPES[fmt]}"),
        "dct:license": _id(LICENCE_IRI),
        "dct:issued": _typed(date, "xsd:date"),
        "dcatap:availability": _id(f"{EU}planned-availability/STABLE"),
        "foaf:page": _id(landing),
    }
    if fmt == "json":
        node["dct:conformsTo"] = _id(DATAPACKAGE_PROFILE)
    if size is not None:
        node["dcat:byteSize"] = _typed(str(size), "xsd:nonNegativeInteger")
    if digest and digest.startswith("sha256:"):
        node["spdx:checksum"] = {"@id": url + "#checksum", "@type": "spdx:Checksum",
                                 "spdx:algorithm": _id("http://spdx.org/rdf/terms#checksumAlgorithm_sha256"),
                                 "spdx:checksumValue": _typed(digest.split(":", 1)[1], "xsd:hexBinary")}
    return node


def dcat_graph(packages: list[pkgmod.Package], release, index: list[dict], config: Config,
               reference=None, file_info: dict[str, tuple[int, str]] | None = None) -> dict:
    """The DCAT-AP 3 catalogue as JSON-LD, every node an IRI.

    Releases as series, each release a version of the same datasets: one ``dcat:Dataset`` per
    package (a stable IRI and ``dct:identifier``, carrying the newest release: its version, its
    distributions at their fixed URLs), so a harvester keeps one dataset per package and updates
    it with each release; one ``dcat:DatasetSeries`` per package (its releases, ``dcat:first``
    and ``dcat:last``), which the dataset is ``dcat:inSeries``; and each published release a
    version of that dataset (``dcat:hasVersion``, ``dcat:hasCurrentVersion``,
    ``dcat:previousVersion``), described as a ``dctype:Dataset`` with its fixed zip and page, not
    as a ``dcat:Dataset`` (a harvester makes a dataset of every ``dcat:Dataset`` it reads).
    Formats and media types carry labels (a harvester shows "CSV", not an IRI), and the licence
    is the IRI CKAN's licence register knows (LICENCE_IRI).
    """
    urls = Urls(config.base_url)
    file_info = file_info or {}
    version, date = release.version, _date(release.snapshot_date)
    first_date = min([e["snapshot_date"] for e in index] + [date])
    publisher, contact = urls.base + "#penerbit", urls.base + "#kontak"
    location = urls.base + "#wilayah-kota-balikpapan"
    provenance = urls.abs("metodologi.html") + "#asal-data"
    theme_scheme = f"{EU}data-theme"
    themes = [f"{EU}data-theme/ECON", f"{EU}data-theme/REGI"]
    languages = [f"{EU}language/IND", f"{EU}language/ENG"]
    frequency = f"{EU}frequency/MONTHLY"  # one statistical release a month (README, release cadence)
    graph: list[dict] = []
    datasets = []
    entries = {e["version"]: e for e in index}
    for p in sorted(packages, key=lambda p: p.name):
        d, name = p.descriptor, p.name
        landing = urls.abs(urls.landing(name))
        dataset_iri, series_iri = urls.dataset(name), urls.series(name)
        distributions = []
        zip_rel = urls.zip(version, name)
        zip_size, zip_hash = file_info.get(zip_rel, (None, None))
        distributions.append(_distribution(
            urls, zip_rel, "zip", (f"{d['title']}: paket lengkap (ZIP)", f"{d['title_en']}: complete package (ZIP)"),
            ("Semua berkas paket (CSV, Parquet, XLSX, datapackage.json, README, sitasi) dalam satu ZIP.",
             "Every file of the package (CSV, Parquet, XLSX, datapackage.json, README, citation) in one ZIP."),
            date, zip_size, zip_hash, landing))
        json_rel = urls.package_dir(version, name) + "datapackage.json"
        json_size, json_hash = file_info.get(json_rel, (None, None))
        distributions.append(_distribution(
            urls, json_rel, "json", ("Deskriptor Frictionless Data Package v2", "Frictionless Data Package v2 "
                                                                                 "descriptor"),
            ("Metadata paket: skema tabel, tipe, batasan, satuan, kunci asing.",
             "Package metadata: table schemas, types, constraints, units, foreign keys."),
            date, json_size, json_hash, landing))
        for r, fmt, path in _files_of(d):
            rel = urls.package_dir(version, name) + path
            size, digest = file_info.get(rel, (r.get("bytes"), r.get("hash")) if fmt == "csv" else (None, None))
            distributions.append(_distribution(
                urls, rel, fmt, (f"{r['title']} ({fmt.upper()})", f"{r['title_en']} ({fmt.upper()})"),
                (r["description"], r["description_en"]), date, size, digest, landing))
        graph += distributions
        versions = []
        previous_iri = None
        for e in index:
            if name not in e.get("packages", {}):
                continue
            info = e["packages"][name]
            v_iri = urls.dataset_version(e["version"], name)
            page = urls.abs(urls.package_dir(e["version"], name))
            node = {
                "@id": v_iri, "@type": "dctype:Dataset",
                "dct:title": _both(f"{info['title']} (versi {e['version']})", f"{info['title_en']} "
                                                                               f"(version {e['version']})"),
                "dct:description": _both(_description(info, "id", e.get("synthetic")),
                                         _description(info, "en", e.get("synthetic"))),
                "dcat:version": _lit(e["version"]),
                "dct:issued": _typed(e["snapshot_date"], "xsd:date"),
                "dct:isVersionOf": _id(dataset_iri),
                "dct:publisher": _id(publisher),
                "dcat:landingPage": _id(page),
                "dcat:distribution": [_id(urls.abs(info["zip"]["path"]) + "#distribusi")],
            }
            if e.get("changes"):
                node["adms:versionNotes"] = _both(changelog_summary(e["changes"], "id"),
                                                  changelog_summary(e["changes"], "en"))
            if previous_iri:
                node["dcat:previousVersion"] = _id(previous_iri)
            if e["version"] != version:  # the current version's ZIP is described above
                graph.append(_distribution(
                    urls, info["zip"]["path"], "zip",
                    (f"{info['title']} versi {e['version']} (ZIP)", f"{info['title_en']} version {e['version']} (ZIP)"),
                    ("Paket lengkap versi ini, pada URL tetap.", "The complete package of this version, at a fixed "
                                                                 "URL."),
                    e["snapshot_date"], info["zip"].get("bytes"), info["zip"].get("hash"), landing))
            graph += [node, {"@id": page, "@type": "foaf:Document",
                             "dct:title": _both(f"{info['title']} versi {e['version']}",
                                                f"{info['title_en']} version {e['version']}")}]
            versions.append(v_iri)
            previous_iri = v_iri
        current = entries.get(version, {})
        issued = min([e["snapshot_date"] for e in index if name in e.get("packages", {})] + [date])
        dataset = {
            "@id": dataset_iri, "@type": "dcat:Dataset",
            "dct:title": _both(d["title"], d["title_en"]),
            "dct:description": _both(_description(d, "id", release.is_demo), _description(d, "en", release.is_demo)),
            "dct:identifier": _lit(f"umkm-balikpapan/{name}"),
            "dcat:version": _lit(version),
            "dct:issued": _typed(issued, "xsd:date"),
            "dct:modified": _typed(date, "xsd:date"),
            "dcat:keyword": [_lit(k) for k in d.get("keywords", [])],
            "dct:publisher": _id(publisher),
            "dct:creator": _id(publisher),
            "dcat:contactPoint": _id(contact),
            "dct:spatial": _id(location),
            # The register's state on its snapshot date: a period of one day (DCAT-AP recommends a start).
            "dct:temporal": _period(landing + "#periode", date, date),
            "dcat:theme": [_id(t) for t in themes],
            "dcat:landingPage": _id(landing),
            "foaf:page": [_id(urls.changelog()), _id(urls.abs(urls.package_dir(version, name)))],
            "dct:language": [_id(lang) for lang in languages],
            "dct:accrualPeriodicity": _id(frequency),
            "dct:accessRights": _id(f"{EU}access-right/PUBLIC"),
            "dct:conformsTo": _id(DATAPACKAGE_PROFILE),
            "dct:provenance": _id(provenance),
            "dcat:distribution": [_id(n["@id"]) for n in distributions],
            "dcat:inSeries": _id(series_iri),
            "dcat:hasVersion": [_id(v) for v in versions],
            "dcat:hasCurrentVersion": _id(urls.dataset_version(version, name)),
        }
        if len(versions) > 1:
            dataset["dcat:previousVersion"] = _id(versions[-2])
        if current.get("changes"):
            dataset["adms:versionNotes"] = _both(changelog_summary(current["changes"], "id"),
                                                 changelog_summary(current["changes"], "en"))
        series = {
            "@id": series_iri, "@type": "dcat:DatasetSeries",
            "dct:title": _both(f"{d['title']}: semua rilis", f"{d['title_en']}: every release"),
            "dct:description": _both(f"Rilis bulanan paket {name}; setiap rilis tetap di alamatnya (unduh/<versi>/).",
                                     f"Monthly releases of the package {name}; every release stays at its address "
                                     "(unduh/<version>/)."),
            "dct:publisher": _id(publisher),
            "dcat:contactPoint": _id(contact),
            "dct:accrualPeriodicity": _id(frequency),
            "dct:spatial": _id(location),
            "dct:temporal": _period(series_iri + "-periode", issued, date),
            "dct:issued": _typed(issued, "xsd:date"),
            "dct:modified": _typed(date, "xsd:date"),
        }
        if versions:
            series["dcat:first"], series["dcat:last"] = _id(versions[0]), _id(versions[-1])
        graph += [dataset, series,
                  {"@id": landing, "@type": "foaf:Document", "dct:title": _both(d["title"], d["title_en"])}]
        datasets.append(dataset_iri)

    catalog = {
        "@id": urls.base + "#katalog", "@type": "dcat:Catalog",
        "dct:title": _both(SITE_TITLE["id"], SITE_TITLE["en"]),
        "dct:description": _both(
            "Katalog data terbuka register UMKM Dinas KUMKMP Kota Balikpapan: mikrodata anonim, statistik, "
            "laporan kualitas data dan kode referensi, dengan semua versi yang pernah terbit."
            + (" " + _synthetic_note("id").strip() if release.is_demo else ""),
            "Open-data catalogue of the UMKM register of Dinas KUMKMP Kota Balikpapan: anonymised microdata, "
            "statistics, data-quality report and reference codes, with every version ever released."
            + (" " + _synthetic_note("en").strip() if release.is_demo else "")),
        "dct:publisher": _id(publisher),
        "foaf:homepage": _id(urls.base),
        "dct:language": [_id(lang) for lang in languages],
        "dct:license": _id(LICENCE_IRI),
        "dct:issued": _typed(first_date, "xsd:date"),
        "dct:modified": _typed(date, "xsd:date"),
        "dct:spatial": _id(location),
        "dcat:themeTaxonomy": _id(theme_scheme),
        "dcat:dataset": [_id(i) for i in datasets],
    }
    location_node = {"@id": location, "@type": "dct:Location", "skos:prefLabel": _both("Kota Balikpapan",
                                                                                         "City of Balikpapan"),
                     "locn:geographicName": _lit("Kota Balikpapan, Kalimantan Timur, Indonesia")}
    box = _bbox(reference)
    if box:
        x0, y0, x1, y1 = (round(v, 6) for v in box)
        location_node["dcat:bbox"] = _typed(f"POLYGON(({x0} {y0},{x1} {y0},{x1} {y1},{x0} {y1},{x0} {y0}))",
                                            "gsp:wktLiteral")
        location_node["dcat:centroid"] = _typed(f"POINT({round((x0 + x1) / 2, 6)} {round((y0 + y1) / 2, 6)})",
                                                "gsp:wktLiteral")
    shared = [
        catalog,
        {"@id": urls.base, "@type": "foaf:Document", "dct:title": _both(SITE_TITLE["id"], SITE_TITLE["en"])},
        {"@id": urls.changelog(), "@type": "foaf:Document", "dct:title": _both("Perubahan antar-rilis",
                                                                               "Changes between releases")},
        {"@id": publisher, "@type": ["foaf:Agent", "foaf:Organization"], "foaf:name": _lit(PUBLISHER),
         "dct:type": _id("http://purl.org/adms/publishertype/LocalAuthority")},
        _concept("http://purl.org/adms/publishertype/LocalAuthority", "Local Authority"),
        {"@id": contact, "@type": ["vcard:Kind", "vcard:Organization"], "vcard:fn": _lit(PUBLISHER),
         "vcard:hasEmail": _id("mailto:" + config.contact_email), "vcard:hasURL": _id(urls.abs("tentang.html"))},
        {"@id": LICENCE_IRI, "@type": "dct:LicenseDocument", "dct:title": _lit(LICENCE_CKAN_TITLE),
         "rdfs:label": _lit("Creative Commons Attribution 4.0 International", "en"),
         "skos:exactMatch": _id(vocabulary.LICENCE.eu_iri),
         "rdfs:seeAlso": _id(vocabulary.LICENCE.url),
         "dct:type": _id("http://purl.org/adms/licencetype/Attribution")},
        _concept("http://purl.org/adms/licencetype/Attribution", "Attribution"),
        {"@id": f"{EU}access-right/PUBLIC", "@type": "dct:RightsStatement", "rdfs:label": _lit("public", "en")},
        location_node,
        {"@id": theme_scheme, "@type": "skos:ConceptScheme", "dct:title": _lit("Data theme", "en")},
        _concept(themes[0], "Economy and finance", theme_scheme),
        _concept(themes[1], "Regions and cities", theme_scheme),
        {"@id": frequency, "@type": "dct:Frequency", "skos:prefLabel": _lit("monthly", "en")},
        {"@id": f"{EU}planned-availability/STABLE", "@type": "skos:Concept", "skos:prefLabel": _lit("stable", "en")},
        {"@id": DATAPACKAGE_PROFILE, "@type": "dct:Standard", "dct:title": _lit("Frictionless Data Package 2.0")},
        {"@id": provenance, "@type": "dct:ProvenanceStatement", "rdfs:label": _both(
            "Dari ekspor ODS dan OSS Dinas KUMKMP: dibaca, dinormalkan, dihubungkan dan dideduplikasi menjadi satu "
            "baris per pelaku usaha, lalu dianonimkan (pseudonim, generalisasi, derau metode kunci sel).",
            "From the office's ODS and OSS exports: read, normalised, linked and de-duplicated into one row per "
            "business actor, then anonymised (pseudonyms, generalisation, cell key method noise).")},
    ]
    shared += [{"@id": lang, "@type": "dct:LinguisticSystem"} for lang in languages]
    # A file type is a dct:IMT (a dct:MediaTypeOrExtent, as DCMI Terms say) with its label and media type:
    # ckanext-dcat reads an IMT's label as the resource's format ("PARQUET", which CKAN's format list lacks,
    # instead of the IRI).
    shared.append({"@id": "dct:IMT", "rdfs:subClassOf": _id("dct:MediaTypeOrExtent")})
    for fmt, code in sorted(EU_FILE_TYPES.items()):
        shared.append({"@id": f"{EU}file-type/{code}", "@type": "dct:IMT", "rdfs:label": _lit(code),
                       "rdf:value": _lit(MEDIA_TYPES[fmt])})
        shared.append({"@id": f"https://www.iana.org/assignments/media-types/{MEDIA_TYPES[fmt]}",
                       "@type": "dct:MediaType", "rdfs:label": _lit(MEDIA_TYPES[fmt])})
    return {"@context": CONTEXT, "@graph": shared + graph}


def dcat_turtle(graph: dict) -> str:
    """The same graph as Turtle, parsed and serialised by rdflib (every node an IRI: stable output)."""
    import warnings

    import rdflib

    g = rdflib.Graph()
    with warnings.catch_warnings():  # rdflib's JSON-LD parser uses its own deprecated APIs
        warnings.simplefilter("ignore", DeprecationWarning)
        g.parse(data=json.dumps(graph), format="json-ld")
    for prefix, namespace in CONTEXT.items():
        g.bind(prefix, rdflib.Namespace(namespace), override=True, replace=True)
    return g.serialize(format="turtle")


# ------------------------------------------------------------------ Project Open Data 1.1


def data_json(packages: list[pkgmod.Package], release, index: list[dict], config: Config) -> dict:
    """data.json (Project Open Data metadata schema 1.1). bureauCode and programCode, required for
    US federal agencies only, are left out: the publisher is an Indonesian city office."""
    urls = Urls(config.base_url)
    version, date = release.version, _date(release.snapshot_date)
    datasets = []
    for p in sorted(packages, key=lambda p: p.name):
        d, name = p.descriptor, p.name
        package_dir = urls.package_dir(version, name)
        distribution = [{"@type": "dcat:Distribution", "title": f"{d['title']} (ZIP)",
                         "description": "Paket lengkap / complete package", "downloadURL":
                         urls.abs(urls.zip(version, name)), "mediaType": MEDIA_TYPES["zip"], "format": "ZIP"},
                        {"@type": "dcat:Distribution", "title": "datapackage.json",
                         "description": "Deskriptor Frictionless Data Package v2 / descriptor",
                         "downloadURL": urls.abs(package_dir + "datapackage.json"),
                         "mediaType": MEDIA_TYPES["json"], "format": "JSON",
                         "conformsTo": DATAPACKAGE_PROFILE}]
        distribution += [{"@type": "dcat:Distribution", "title": f"{r['title']} ({fmt.upper()})",
                          "description": r["description"], "downloadURL": urls.abs(package_dir + path),
                          "mediaType": MEDIA_TYPES[fmt], "format": fmt.upper(),
                          "describedBy": urls.abs(package_dir + "datapackage.json"),
                          "describedByType": MEDIA_TYPES["json"]}
                         for r, fmt, path in _files_of(d)]
        issued = min([e["snapshot_date"] for e in index if name in e.get("packages", {})] + [date])
        datasets.append({
            "@type": "dcat:Dataset",
            "title": d["title"],
            "description": _description(d, "id", release.is_demo) + " / " + _description(d, "en", release.is_demo),
            "keyword": list(d.get("keywords", [])) or ["UMKM"],
            "modified": date,
            "issued": issued,
            "publisher": {"@type": "org:Organization", "name": PUBLISHER},
            "contactPoint": {"@type": "vcard:Contact", "fn": PUBLISHER, "hasEmail": "mailto:" + config.contact_email},
            "identifier": urls.dataset(name),
            "accessLevel": "public",
            "license": vocabulary.LICENCE.url,
            "rights": "Terbuka untuk umum, lisensi CC BY 4.0 / open to the public, CC BY 4.0 licence.",
            "spatial": "Kota Balikpapan, Kalimantan Timur, Indonesia",
            "accrualPeriodicity": "R/P1M",  # monthly (ISO 8601), the release cadence
            "language": ["id", "en"],
            "landingPage": urls.abs(urls.landing(name)),
            "conformsTo": DATAPACKAGE_PROFILE,
            "describedBy": urls.abs(package_dir + "datapackage.json"),
            "describedByType": MEDIA_TYPES["json"],
            "theme": ["UMKM", "Ekonomi / economy"],
            "references": [urls.changelog(), urls.abs("metodologi.html")],
            "distribution": distribution,
        })
    return {
        "@context": "https://project-open-data.cio.gov/v1.1/schema/catalog.jsonld",
        "@id": urls.abs("data.json"),
        "@type": "dcat:Catalog",
        "conformsTo": "https://project-open-data.cio.gov/v1.1/schema",
        "describedBy": "https://project-open-data.cio.gov/v1.1/schema/catalog.json",
        "dataset": datasets,
    }


# ------------------------------------------------------------------ Atom feed

ATOM = "http://www.w3.org/2005/Atom"


def atom_feed(index: list[dict], config: Config) -> bytes:
    """Atom feed of releases, newest first: one entry per release, ids from the version, updated = snapshot date."""
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
    sub(feed, "subtitle", "Setiap rilis data terbuka register UMKM dan perubahannya / every open-data release of "
                          "the UMKM register and its changes")
    stamps = [f"{e['snapshot_date']}T00:00:00Z" for e in index]
    sub(feed, "updated", max(stamps) if stamps else "1970-01-01T00:00:00Z")
    sub(feed, "link", rel="self", type="application/atom+xml", href=urls.abs("feed.xml"))
    sub(feed, "link", rel="alternate", type="text/html", href=urls.changelog())
    author = sub(feed, "author")
    sub(author, "name", PUBLISHER)
    sub(author, "uri", urls.base)
    sub(feed, "rights", "CC BY 4.0")
    for e in reversed(index):
        entry = sub(feed, "entry")
        sub(entry, "id", "urn:uuid:" + _uuid("release", e["version"]))
        sub(entry, "title", f"Rilis {e['version']} (data per {e['snapshot_date']})"
                            + (" [data sintetis]" if e.get("synthetic") else ""))
        sub(entry, "updated", f"{e['snapshot_date']}T00:00:00Z")
        sub(entry, "published", f"{e['snapshot_date']}T00:00:00Z")
        sub(entry, "link", rel="alternate", type="text/html", href=urls.changelog(e["version"]))
        sub(entry, "link", rel="related", type="application/json",
            href=urls.abs(f"unduh/{e['version']}/perubahan.json"))
        for name, info in sorted(e.get("packages", {}).items()):
            attrs = {"rel": "enclosure", "type": MEDIA_TYPES["zip"], "href": urls.abs(info["zip"]["path"]),
                     "title": name}
            if info["zip"].get("bytes") is not None:
                attrs["length"] = str(info["zip"]["bytes"])
            sub(entry, "link", **attrs)
        if e.get("synthetic"):
            sub(entry, "category", term="data-sintetis", label="Data sintetis (demo)")
        changes = e.get("changes") or {"version": e["version"], "snapshot_date": e["snapshot_date"],
                                       "first_release": True, "total": {}}
        sub(entry, "summary", changelog_summary(changes, "id"))
        sub(entry, "content", changelog_summary(changes, "id") + "\n\n" + changelog_summary(changes, "en"),
            type="text")
    ET.indent(feed, space="  ")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"


# ------------------------------------------------------------------ changelog page

_MD_ESCAPES = {ord(c): f"&#{ord(c)};" for c in "\\`*_{}[]|~^=#!'"}


def _h(value) -> str:
    """Text -> safe in HTML and Markdown (entities only). The Markdown escapes go on the text, not on
    html.escape's entities: escaping the '#' of "&#x27;" showed an apostrophe as &#x27;."""
    text = html.escape(" ".join(str(value).split()), quote=False).replace('"', "&quot;")
    return text.translate(_MD_ESCAPES)


def _table(caption: str, headers: list[str], rows: list[list[str]], numeric: set[int] = frozenset()) -> str:
    def cell(tag, i, v):
        css = ' class="angka"' if i in numeric else ""
        return f"<{tag}{css}>{v}</{tag}>"

    head = "".join(cell('th scope="col"', i, _h(h)) for i, h in enumerate(headers))
    body = "".join("<tr>" + "".join(cell("td", i, v) for i, v in enumerate(r)) + "</tr>" for r in rows)
    return (f'<div class="umkm-gulir" tabindex="0" role="region" aria-label="{_h(caption)}">'
            f'<table class="umkm-data"><caption>{_h(caption)}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>")


def changelog_page(index: list[dict], lang: str = "id", synthetic: bool = False) -> str:
    """The page of every release and what it changed, newest first (data/perubahan.md of each language)."""
    t = (lambda a, b: a if lang == "id" else b)
    up = "../" if lang == "id" else "../../"  # from data/perubahan.html (or en/data/) to the site root
    title = t("Perubahan antar-rilis", "Changes between releases")
    out = ["---", f"title: {json.dumps(title)}",
           "description: " + json.dumps(t("Setiap rilis data UMKM Kota Balikpapan, versinya, unduhan tetapnya dan "
                                          "apa yang berubah dari rilis sebelumnya.",
                                          "Every release of the UMKM data of Kota Balikpapan, its version, its "
                                          "fixed downloads and what changed from the release before.")),
           "---", "", f"# {title}", ""]
    if synthetic:
        out += [f'<p class="umkm-intro"><strong>{_h(_synthetic_note(lang).strip())}</strong></p>', ""]
    out += [
        "<p>" + _h(t("Versi mengikuti tanggal potret register (TTTT.BB.HH); rilis kedua untuk tanggal yang sama "
                     "mendapat akhiran .2, .3, dan seterusnya. Berkas setiap versi tetap di alamatnya dan tidak "
                     "pernah diubah: kutiplah versi dan alamat itu. Untuk skrip yang selalu mengambil rilis "
                     "terbaru, folder unduh/latest/ berisi ZIP setiap paket dari rilis terbaru dan "
                     "datapackage.json yang menunjuk ke berkas versinya.",
                     "Versions follow the register's snapshot date (YYYY.MM.DD); a second release for the same "
                     "date gets .2, .3 and so on. Every version's files stay at their address and never change: "
                     "cite the version and that address. For scripts that always take the newest release, the "
                     "folder unduh/latest/ holds each package's ZIP of the newest release and a datapackage.json "
                     "pointing to that version's files.")) + "</p>", "",
        '<p class="umkm-unduh">' + " ".join(
            f'<a class="md-button" href="{up}{href}">{_h(label)}</a>' for href, label in (
                ("feed.xml", t("Umpan Atom rilis", "Atom feed of releases")),
                ("releases.json", "releases.json"),
                ("catalog.jsonld", "DCAT-AP (JSON-LD)"), ("catalog.ttl", "DCAT-AP (Turtle)"),
                ("data.json", "data.json (Project Open Data)"),
                ("satu-data.json", t("Metadata Satu Data", "Satu Data metadata")),
                ("unduh/index.html", t("Semua unduhan", "Every download")),
                ("unduh/latest/umkm-statistik.zip", t("Statistik terbaru (ZIP)", "Latest statistics (ZIP)")))) +
        "</p>", ""]
    for e in reversed(index):
        changes = e.get("changes") or {"version": e["version"], "snapshot_date": e["snapshot_date"],
                                       "first_release": True, "total": {}}
        out += [f"## {t('Rilis', 'Release')} {_h(e['version'])} {{#{Urls.anchor(e['version'])}}}", ""]
        out += ["<p>" + _h(changelog_summary(changes, lang)) + "</p>", ""]
        links = [f'<a href="{up}unduh/{quote(e["version"])}/index.html">{_h(t("halaman rilis", "release page"))}</a>']
        links += [f'<a href="{up}unduh/{quote(e["version"])}/{quote(name)}.zip">{_h(name)} (ZIP)</a>'
                  for name in sorted(e.get("packages", {}))]
        links.append(f'<a href="{up}unduh/{quote(e["version"])}/perubahan.json">perubahan.json</a>')
        out += [f"<p>{_h(t('Unduhan tetap versi ini', 'Fixed downloads of this version'))}: "
                + " · ".join(links) + "</p>", ""]
        if changes["first_release"]:
            continue
        resources = changes.get("resources", [])
        if resources:
            status = {"added": t("baru", "added"), "removed": t("dihapus", "removed"),
                      "changed": t("berubah", "changed")}
            rows = [[f"<code>{_h(r['package'])}/{_h(r['resource'])}</code>", _h(status[r["status"]]),
                     _h(_num(r["rows_before"], lang) if r["rows_before"] is not None else "–"),
                     _h(_num(r["rows_after"], lang) if r["rows_after"] is not None else "–"),
                     _h(_num(r["rows_change"], lang, signed=True) if r["rows_change"] is not None else "–"),
                     _h(", ".join(r["fields_added"]) or "–"), _h(", ".join(r["fields_removed"]) or "–")]
                    for r in resources]
            out += [_table(t(f"Tabel yang berubah ({changes.get('resources_unchanged', 0)} lainnya tetap)",
                             f"Tables that changed ({changes.get('resources_unchanged', 0)} others unchanged)"),
                           [t("Tabel", "Table"), "Status", t("Baris sebelum", "Rows before"),
                            t("Baris sesudah", "Rows after"), t("Selisih", "Change"),
                            t("Kolom ditambah", "Fields added"), t("Kolom dihapus", "Fields removed")],
                           rows, numeric={2, 3, 4}), ""]
        for dimension, id_title, en_title in (("kecamatan_kode", "Pelaku UMKM menurut kecamatan: yang berubah",
                                               "UMKM actors by kecamatan: what changed"),
                                              ("kbli_kategori", "Pelaku UMKM menurut kategori KBLI: yang berubah",
                                               "UMKM actors by KBLI category: what changed")):
            rows = changes.get(dimension, [])
            if rows:
                out += [_table(t(id_title, en_title),
                               [t("Kode", "Code"), t("Nama", "Name"), t("Sebelum", "Before"),
                                t("Sesudah", "After"), t("Selisih", "Change")],
                               [[_h(r["code"] or "–"), _h(r["name"] or t("tidak diketahui", "unknown")),
                                 _h(_num(r["before"], lang)), _h(_num(r["after"], lang)),
                                 _h(_num(r["change"], lang, signed=True) if r["change"] is not None else "–")]
                                for r in rows], numeric={2, 3, 4}), ""]
        answers = {"ya": t("ya", "yes"), "tidak": t("tidak", "no"), "": t("tidak diketahui", "unknown")}
        rows = [[_h(t(id_what, en_what).capitalize()), _h(answers.get(r["code"], r["code"])),
                 _h(_num(r["before"], lang)), _h(_num(r["after"], lang)),
                 _h(_num(r["change"], lang, signed=True) if r["change"] is not None else "–")]
                for table, (attribute, id_what, en_what) in CHANGELOG_YES_NO.items()
                for r in changes.get(attribute, [])]
        if rows:
            out += [_table(t("Berjualan online, bantuan modal dan pelatihan: yang berubah",
                             "Online selling, capital grant and training: what changed"),
                           [t("Pelaku", "Actors"), t("Jawaban", "Answer"), t("Sebelum", "Before"),
                            t("Sesudah", "After"), t("Selisih", "Change")], rows, numeric={2, 3, 4}), ""]
    return "\n".join(out).rstrip() + "\n"


# ------------------------------------------------------------------ download folders

LATEST = "unduh/latest/"


def latest_descriptor(descriptor_json: bytes, version: str, urls: Urls) -> bytes:
    """``unduh/latest/<package>/datapackage.json``: the release's descriptor with every file named by
    its fixed URL in ``unduh/<version>/<package>/`` (a Data Package v2 path may be a URL), so
    ``frictionless.Package(".../unduh/latest/<package>/datapackage.json")`` or pandas read the newest
    release without a copy of its files."""
    descriptor = json.loads(descriptor_json)
    folder = urls.abs(urls.package_dir(version, descriptor["name"]))
    scheme = folder.split(":", 1)[0]
    for resource in descriptor.get("resources", []):
        resource["path"] = folder + quote(resource["path"])
        if isinstance(resource.get("formats"), dict):
            resource["formats"] = {fmt: folder + quote(path) for fmt, path in resource["formats"].items()}
        if resource.get("scheme") == "file":
            resource["scheme"] = scheme
    return _json_bytes(descriptor)


def download_files(packages: list[pkgmod.Package], version: str, extras: dict[str, dict[str, bytes]],
                   bundles: dict[str, bytes], changes: dict, urls: Urls) -> dict[str, bytes]:
    """The ``unduh/`` files of one release: everything once in ``unduh/<version>/`` (carried into
    every later site), and in ``unduh/latest/`` the zips and pointer descriptors of this release."""
    files = {}
    for p in sorted(packages, key=lambda p: p.name):
        for name, data in {**p.files, **extras[p.name]}.items():
            files[f"{urls.package_dir(version, p.name)}{name}"] = data
        files[urls.zip(version, p.name)] = files[f"{LATEST}{p.name}.zip"] = bundles[p.name]
        files[f"{LATEST}{p.name}/datapackage.json"] = latest_descriptor(p.files["datapackage.json"], version, urls)
    for prefix in (f"unduh/{version}/", LATEST):
        files[prefix + "perubahan.json"] = _json_bytes(changes)
        files[prefix + "CHANGELOG.txt"] = changelog_text(changes).encode("utf-8")
    return files


DATABASE_FILE = f"{sqlite_db.DATABASE}.sqlite"
DATABASE_METADATA = f"{sqlite_db.DATABASE}.metadata.json"


def _info(data: bytes) -> version_pages.FileInfo:
    return version_pages.FileInfo(len(data), _sha256(data))


def release_files(packages: list[pkgmod.Package], release, extras: dict[str, dict[str, bytes]],
                  bundles: dict[str, bytes], urls: Urls, email: str) -> dict[str, bytes]:
    """What ``unduh/<version>/`` holds beside the packages: the typed SQLite database of every table and its
    Datasette metadata, and a page for the release folder and for each package folder (a static host lists
    no folder: the citations name these addresses)."""
    version, date = release.version, _date(release.snapshot_date)
    reach = version_pages.Reach(urls.base, email)
    publisher = citation.of(packages[0].descriptor, urls.base).publisher if packages else citation.DEFAULT_PUBLISHER
    whole = citation.of_release(version, date, bool(release.is_demo), urls.base, publisher)
    files = {f"unduh/{version}/{DATABASE_FILE}": sqlite_db.database_bytes(packages, whole),
             f"unduh/{version}/{DATABASE_METADATA}": sqlite_db.metadata_bytes(
                 sqlite_db.datasette_metadata(packages, whole, urls.base))}
    for p in sorted(packages, key=lambda p: p.name):
        folder = {name: _info(data) for name, data in {**p.files, **extras[p.name]}.items()}
        page_url = urls.abs(urls.package_dir(version, p.name))
        files[urls.package_dir(version, p.name) + "index.html"] = version_pages.package_page(
            p.descriptor, folder, _info(bundles[p.name]), citation.of(p.descriptor, urls.base), reach,
            schema_org(p.descriptor, release, urls.base, page=page_url,
                       sizes={**{n: i.size for n, i in folder.items()}, f"{p.name}.zip": len(bundles[p.name])})
        ).encode("utf-8")
    extra = {DATABASE_FILE: "Basis data SQLite bertipe, semua tabel / typed SQLite database, every table",
             DATABASE_METADATA: "Metadata Datasette (datasette --metadata)",
             "perubahan.json": "Perubahan dari rilis sebelumnya / changes from the previous release (JSON)",
             "CHANGELOG.txt": "Perubahan (teks) / changes (text)"}
    known = {f"unduh/{version}/{n}": n for n in extra}
    files[f"unduh/{version}/index.html"] = version_pages.release_page(
        version, date, bool(release.is_demo),
        [(p.descriptor, _info(bundles[p.name])) for p in sorted(packages, key=lambda p: p.name)],
        {n: (_info(files[path]), extra[n]) for path, n in known.items() if path in files}, whole, reach).encode("utf-8")
    return files


def missing_pages(version: str, entry: dict, present: dict[str, version_pages.FileInfo],
                  descriptors: dict[str, dict], base_url: str, email: str) -> dict[str, bytes]:
    """The pages of an earlier release's folders that lack one (a release published before the folders had
    pages: its citations name ``unduh/<version>/<package>/``, which a static host lists not). ``present``:
    the files of ``unduh/<version>/`` (relative path -> size and hash); ``descriptors``: its packages'
    datapackage.json. Only pages are added; no published file changes."""
    urls = Urls(base_url)
    reach = version_pages.Reach(urls.base, email)
    pages = {}
    for name, descriptor in sorted(descriptors.items()):
        if f"{name}/index.html" in present or f"{name}.zip" not in present:
            continue
        files = {path.split("/", 1)[1]: info for path, info in present.items() if path.startswith(name + "/")}
        release = pkgmod.Release(version=version, snapshot_date=entry["snapshot_date"],
                                 is_demo=bool(descriptor.get("synthetic")))
        sizes = {**{n: i.size for n, i in files.items()}, f"{name}.zip": present[f"{name}.zip"].size}
        pages[urls.package_dir(version, name) + "index.html"] = version_pages.package_page(
            descriptor, files, present[f"{name}.zip"], citation.of(descriptor, urls.base), reach,
            schema_org(descriptor, release, urls.base, page=urls.abs(urls.package_dir(version, name)), sizes=sizes)
        ).encode("utf-8")
    if "index.html" not in present and descriptors:
        publisher = citation.of(next(iter(descriptors.values())), urls.base).publisher
        extra = {n: (present[n], n) for n in ("perubahan.json", "CHANGELOG.txt", DATABASE_FILE) if n in present}
        pages[f"unduh/{version}/index.html"] = version_pages.release_page(
            version, entry["snapshot_date"], bool(entry.get("synthetic")),
            [(d, present[f"{n}.zip"]) for n, d in sorted(descriptors.items()) if f"{n}.zip" in present], extra,
            citation.of_release(version, entry["snapshot_date"], bool(entry.get("synthetic")), urls.base, publisher),
            reach).encode("utf-8")
    return pages


def robots_txt(urls: Urls) -> str:
    """robots.txt: everything may be crawled; the sitemaps of both languages and of the download pages. (A
    crawler reads robots.txt only at a host's root: under a sub-path, give the sitemaps to the search
    engines' consoles instead.)"""
    return "\n".join(["User-agent: *", "Allow: /", "", f"Sitemap: {urls.abs('sitemap.xml')}",
                      f"Sitemap: {urls.abs('en/sitemap.xml')}", f"Sitemap: {urls.abs('unduh/sitemap.xml')}"]) + "\n"


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


# ------------------------------------------------------------------ everything


@dataclass
class Catalogue:
    files: dict[str, bytes] = field(default_factory=dict)  # path relative to the docs folder -> bytes
    index: list[dict] = field(default_factory=list)  # the release index after this release
    sizes: dict[str, int] = field(default_factory=dict)  # every file of unduh/<version>/ -> bytes (the pages show it)


def build(packages: list[pkgmod.Package], release, index: list[dict], config: Config, reference=None) -> Catalogue:
    """Every catalogue file of the release ``release`` (its packages), given the index of earlier releases.

    ``index`` holds only releases whose ``unduh/<version>/`` folders build_data.py carries
    forward; the result's ``index`` is that index with this release added (last).
    """
    urls = Urls(config.base_url)
    version = release.version
    names = code_names(reference) if reference is not None else {}
    files: dict[str, bytes] = {}
    extras: dict[str, dict[str, bytes]] = {}
    bundles: dict[str, bytes] = {}
    facts = satu_data.activity_facts()
    documents = []
    for p in sorted(packages, key=lambda p: p.name):
        extra = citation_files(p.descriptor, urls)
        documents.append(satu_data.satu_data(p.descriptor, urls.base, config.contact_email, facts))
        extra["satu-data.json"] = _json_bytes(documents[-1])
        extras[p.name] = extra
        bundles[p.name] = pkgmod.bundle(p, extra, urls.base)
    files["satu-data.json"] = _json_bytes(satu_data.catalogue_document(documents))
    entry = release_entry(packages, release, bundles)
    previous = previous_release(index, version)
    entry["previous_version"] = previous["version"] if previous else None
    entry["changes"] = changelog(entry, previous, names)
    new_index = with_release(index, entry)

    downloads = download_files(packages, version, extras, bundles, entry["changes"], urls)
    downloads.update(release_files(packages, release, extras, bundles, urls, config.contact_email))
    files.update(downloads)
    file_info = {path: (len(data), _sha256(data)) for path, data in downloads.items()
                 if path.startswith(f"unduh/{version}/")}
    for p in packages:
        files[f"data/{p.name}.jsonld"] = _json_bytes(schema_org(p.descriptor, release, config.base_url))
    files["releases.json"] = index_bytes(new_index)
    files["feed.xml"] = atom_feed(new_index, config)
    graph = dcat_graph(packages, release, new_index, config, reference, file_info)
    files["catalog.jsonld"] = _json_bytes(graph)
    files["catalog.ttl"] = dcat_turtle(graph).encode("utf-8")
    files["data.json"] = _json_bytes(data_json(packages, release, new_index, config))
    files["unduh/index.html"] = version_pages.index_page(
        new_index, version_pages.Reach(urls.base, config.contact_email)).encode("utf-8")
    files["unduh/sitemap.xml"] = downloads_sitemap(new_index, urls)
    files["robots.txt"] = robots_txt(urls).encode("utf-8")
    files["data/perubahan.md"] = changelog_page(new_index, "id", release.is_demo).encode("utf-8")
    files["en/data/perubahan.md"] = changelog_page(new_index, "en", release.is_demo).encode("utf-8")
    return Catalogue(files=dict(sorted(files.items())), index=new_index,
                     sizes={path: size for path, (size, _) in sorted(file_info.items())})
