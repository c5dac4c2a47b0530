"""The release's packages, the citation files and zips made for them, and its changes in; the ``unduh/``
download folders out (file contents only).

``unduh/<version>/`` holds every file of the release, each package as a folder
``unduh/<version>/<package>/...`` and a zip ``unduh/<version>/<package>.zip``; these URLs never change once
published, and the pages, citations and catalogues all point to them. Beside the packages: the release's
typed SQLite database with its Datasette metadata (umkm.catalogue.sqlite_db), its changes (``perubahan.json``,
``CHANGELOG.txt``) and a page for every folder (umkm.catalogue.version_pages: a static host lists no folder).
``unduh/latest/`` is small and is replaced by each release: a copy of each package's zip (one stable URL a
script can fetch; static hosts follow no symlink nor redirect) and a pointer
``unduh/latest/<package>/datapackage.json`` whose files are the fixed URLs of the newest release. There is
no unversioned copy.
"""

from __future__ import annotations

import json
from urllib.parse import quote

from umkm.catalogue import citations, sqlite_db, version_pages
from umkm.catalogue.config import Urls
from umkm.catalogue.dcat import schema_org
from umkm.catalogue.descriptor import iso_date, json_bytes, sha256
from umkm.catalogue.releases import changelog_text
from umkm.package.packages import Package, Release

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
    return json_bytes(descriptor)


def download_files(
    packages: list[Package],
    version: str,
    extras: dict[str, dict[str, bytes]],
    bundles: dict[str, bytes],
    changes: dict,
    urls: Urls,
) -> dict[str, bytes]:
    """The ``unduh/`` files of one release: everything once in ``unduh/<version>/`` (carried into
    every later site), and in ``unduh/latest/`` the zips and pointer descriptors of this release."""
    files = {}
    for p in sorted(packages, key=lambda p: p.name):
        for name, data in {**p.files, **extras[p.name]}.items():
            files[f"{urls.package_dir(version, p.name)}{name}"] = data
        files[urls.zip(version, p.name)] = files[f"{LATEST}{p.name}.zip"] = bundles[p.name]
        files[f"{LATEST}{p.name}/datapackage.json"] = latest_descriptor(p.files["datapackage.json"], version, urls)
    for prefix in (f"unduh/{version}/", LATEST):
        files[prefix + "perubahan.json"] = json_bytes(changes)
        files[prefix + "CHANGELOG.txt"] = changelog_text(changes).encode("utf-8")
    return files


DATABASE_FILE = f"{sqlite_db.DATABASE}.sqlite"
DATABASE_METADATA = f"{sqlite_db.DATABASE}.metadata.json"


def _info(data: bytes) -> version_pages.FileInfo:
    return version_pages.FileInfo(len(data), sha256(data))


def release_files(
    packages: list[Package],
    release,
    extras: dict[str, dict[str, bytes]],
    bundles: dict[str, bytes],
    urls: Urls,
    email: str,
) -> dict[str, bytes]:
    """What ``unduh/<version>/`` holds beside the packages: the typed SQLite database of every table and its
    Datasette metadata, and a page for the release folder and for each package folder (a static host lists
    no folder: the citations name these addresses)."""
    version, date = release.version, iso_date(release.snapshot_date)
    reach = version_pages.Reach(urls.base, email)
    whole = citations.of_release(version, date, bool(release.is_demo), [p.descriptor for p in packages], urls)
    files = {
        f"unduh/{version}/{DATABASE_FILE}": sqlite_db.database_bytes(packages, whole),
        f"unduh/{version}/{DATABASE_METADATA}": sqlite_db.metadata_bytes(
            sqlite_db.datasette_metadata(packages, whole, urls.base)
        ),
    }
    for p in sorted(packages, key=lambda p: p.name):
        folder = {name: _info(data) for name, data in {**p.files, **extras[p.name]}.items()}
        page_url = urls.abs(urls.package_dir(version, p.name))
        files[urls.package_dir(version, p.name) + "index.html"] = version_pages.package_page(
            p.descriptor,
            folder,
            _info(bundles[p.name]),
            citations.of_package(p.descriptor, urls),
            reach,
            schema_org(
                p.descriptor,
                release,
                urls.base,
                page=page_url,
                sizes={**{n: i.size for n, i in folder.items()}, f"{p.name}.zip": len(bundles[p.name])},
            ),
        ).encode("utf-8")
    extra = {
        DATABASE_FILE: "Basis data SQLite bertipe, semua tabel / typed SQLite database, every table",
        DATABASE_METADATA: "Metadata Datasette (datasette --metadata)",
        "perubahan.json": "Perubahan dari rilis sebelumnya / changes from the previous release (JSON)",
        "CHANGELOG.txt": "Perubahan (teks) / changes (text)",
    }
    known = {f"unduh/{version}/{n}": n for n in extra}
    files[f"unduh/{version}/index.html"] = version_pages.release_page(
        version,
        date,
        bool(release.is_demo),
        [(p.descriptor, _info(bundles[p.name])) for p in sorted(packages, key=lambda p: p.name)],
        {n: (_info(files[path]), extra[n]) for path, n in known.items() if path in files},
        whole,
        reach,
    ).encode("utf-8")
    return files


def missing_pages(
    version: str,
    entry: dict,
    present: dict[str, version_pages.FileInfo],
    descriptors: dict[str, dict],
    base_url: str,
    email: str,
) -> dict[str, bytes]:
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
        release = Release(
            version=version, snapshot_date=entry["snapshot_date"], is_demo=bool(descriptor.get("synthetic"))
        )
        sizes = {**{n: i.size for n, i in files.items()}, f"{name}.zip": present[f"{name}.zip"].size}
        pages[urls.package_dir(version, name) + "index.html"] = version_pages.package_page(
            descriptor,
            files,
            present[f"{name}.zip"],
            citations.of_package(descriptor, urls),
            reach,
            schema_org(descriptor, release, urls.base, page=urls.abs(urls.package_dir(version, name)), sizes=sizes),
        ).encode("utf-8")
    if "index.html" not in present and descriptors:
        extra = {n: (present[n], n) for n in ("perubahan.json", "CHANGELOG.txt", DATABASE_FILE) if n in present}
        pages[f"unduh/{version}/index.html"] = version_pages.release_page(
            version,
            entry["snapshot_date"],
            bool(entry.get("synthetic")),
            [(d, present[f"{n}.zip"]) for n, d in sorted(descriptors.items()) if f"{n}.zip" in present],
            extra,
            citations.of_release(
                version, entry["snapshot_date"], bool(entry.get("synthetic")), list(descriptors.values()), urls
            ),
            reach,
        ).encode("utf-8")
    return pages
