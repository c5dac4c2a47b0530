"""Public tables in, Frictionless Data Package v2 packages out (descriptors and file bytes).

Every resource is written as CSV (UTF-8, no BOM, "\\n"), Parquet (typed from the Table Schema)
and an Excel workbook (a cover sheet, the data, the field descriptions: umkm/package/formats.py); the descriptor
records bytes and sha256 of the CSV, and how many rows fill each field (``fieldsFilled``). One missing
value everywhere, declared as ``missingValues: [""]``: an empty CSV field, a NULL in Parquet, an
empty cell in the workbook. Nothing here reads the clock: ``created`` is the register's snapshot
date, and every zip (XLSX included) carries fixed timestamps, so the same tables give the same bytes.
Which packages a release publishes is umkm/package/release_packages.py.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

import pandas as pd

from umkm.package import citation, formats
from umkm.vocabulary import LICENCE, PUBLISHER
from umkm.xlsx import csv_of_text, for_text_output

PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
RESOURCE_PROFILE = "https://datapackage.org/profiles/2.0/dataresource.json"


@dataclass(frozen=True)
class Release:
    version: str
    snapshot_date: "pd.Timestamp | object"
    is_demo: bool
    previous_version: str | None = None
    fingerprint: str | None = None  # disclose.content_fingerprint: what decides the version


@dataclass
class ResourceSpec:
    name: str
    title: str
    title_en: str
    description: str
    description_en: str
    frame: pd.DataFrame
    schema: dict
    properties: dict = field(default_factory=dict)  # custom descriptor properties (e.g. quasiIdentifiers)


@dataclass
class Package:
    name: str
    descriptor: dict
    files: dict[str, bytes] = field(default_factory=dict)  # path inside the package folder -> bytes
    # resources whose Parquet and workbook are still to be made (other_formats): (ResourceSpec, text frame)
    pending: list = field(default_factory=list, repr=False, compare=False)


def release_version(snapshot_date) -> str:
    """Date-based: the snapshot date of the register as YYYY.MM.DD."""
    return pd.Timestamp(snapshot_date).strftime("%Y.%m.%d")


def _sha256(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def build_package(
    name: str,
    title: str,
    title_en: str,
    description: str,
    description_en: str,
    resources: list[ResourceSpec],
    release: Release,
    sources: list[dict],
    keywords: list[str],
    formats: bool = True,
) -> Package:
    """The package's descriptor and CSVs, and unless ``formats`` is false its Parquet files and workbooks
    (else other_formats makes them later: a caller can validate the CSVs meanwhile)."""
    package = Package(name=name, descriptor={})
    descriptors = []
    for spec in resources:
        frame = spec.frame[[f["name"] for f in spec.schema["fields"]]]
        text = for_text_output(frame)
        csv_data = csv_of_text(text)
        package.files[f"{spec.name}.csv"] = csv_data
        package.pending.append((spec, frame, text))
        descriptors.append(
            {
                "name": spec.name,
                "type": "table",
                "path": f"{spec.name}.csv",
                "scheme": "file",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "title": spec.title,
                "description": spec.description,
                "title_en": spec.title_en,
                "description_en": spec.description_en,
                "bytes": len(csv_data),
                "hash": _sha256(csv_data),
                "dialect": {"header": True, "delimiter": ",", "lineTerminator": "\n"},
                "schema": spec.schema,
                "formats": {"csv": f"{spec.name}.csv", "parquet": f"{spec.name}.parquet", "xlsx": f"{spec.name}.xlsx"},
                "rows": int(len(frame)),
                "fieldsFilled": _filled(text),
                **spec.properties,
            }
        )
    snapshot = pd.Timestamp(release.snapshot_date)
    package.descriptor = {
        "$schema": PROFILE,
        "name": name,
        "id": f"umkm-balikpapan/{name}/{release.version}",
        "title": title,
        "description": description,
        "title_en": title_en,
        "description_en": description_en,
        "version": release.version,
        "created": snapshot.strftime("%Y-%m-%dT00:00:00Z"),
        "keywords": keywords,
        "licenses": [LICENCE.descriptor()],
        "contributors": [
            {"title": PUBLISHER, "roles": ["publisher", "rightsHolder"]},
            {"title": "Data UMKM Balikpapan (pipeline)", "roles": ["processor"]},
        ],
        "sources": sources,
        "synthetic": bool(release.is_demo),
        "resources": descriptors,
    }
    package.descriptor = {k: v for k, v in package.descriptor.items() if v is not None}
    package.files["datapackage.json"] = descriptor_bytes(package.descriptor)
    if formats:
        other_formats(package)
    return package


def _filled(text: pd.DataFrame) -> dict[str, int]:
    """How many rows hold a value in each field (not missing: not empty)."""
    return {
        str(c): int(len(text) - text[c].isna().sum() - (text[c].astype("string") == "").sum()) for c in text.columns
    }


def other_formats(pkg: Package, base_url: str | None = None) -> dict[str, bytes]:
    """Make the Parquet files and workbooks that build_package(formats=False) left: into ``pkg.files``
    (nothing reads its order: writers and the zip sort the paths), and returned. ``base_url``: the site's
    address, which the workbooks' cover sheet cites (default: the catalogue's)."""
    base_url = base_url or citation.DEFAULT_BASE_URL
    made = {}
    resources = {r["name"]: r for r in pkg.descriptor["resources"]}
    for spec, frame, text in pkg.pending:
        made[f"{spec.name}.parquet"] = formats.parquet_bytes(frame, spec.schema, text)
        cover = formats.workbook_cover(pkg.descriptor, resources[spec.name], base_url)
        made[f"{spec.name}.xlsx"] = formats.xlsx_of_text(
            formats.for_workbook(frame, text), spec.schema, spec.title, cover
        )
    pkg.pending.clear()
    pkg.files.update(made)
    return made


def descriptor_bytes(descriptor: dict) -> bytes:
    return (json.dumps(descriptor, ensure_ascii=False, indent=2, sort_keys=False) + "\n").encode("utf-8")


def with_version(pkg: Package, version: str) -> Package:
    """The same package labelled as another release version (see catalogue.resolve_version)."""
    descriptor = dict(pkg.descriptor, version=version, id=f"umkm-balikpapan/{pkg.name}/{version}")
    return Package(
        name=pkg.name,
        descriptor=descriptor,
        files=dict(pkg.files, **{"datapackage.json": descriptor_bytes(descriptor)}),
        pending=list(pkg.pending),
    )
