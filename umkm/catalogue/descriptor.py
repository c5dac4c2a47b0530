"""What every catalogue format reads from a package descriptor the same way (its data files, its description,
its publisher, its media types), and the forms every catalogue file writes (JSON bytes, dates, hashes).

The licence is read by umkm.catalogue.licences; the release's versions and changes by umkm.catalogue.releases.
"""

from __future__ import annotations

import hashlib
import json

from umkm import vocabulary
from umkm.package import citation, packages

MEDIA_TYPES = {
    "csv": "text/csv",
    "parquet": "application/vnd.apache.parquet",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "zip": "application/zip",
    "json": "application/json",
    "sqlite": "application/vnd.sqlite3",
}
DATAPACKAGE_PROFILE = packages.PROFILE
# How the publisher calls itself in short (schema.org alternateName, the catalogue's prose).
PUBLISHER_SHORT = vocabulary.PUBLISHER_SHORT
# The package's publisher: the title of its contributor in the role "publisher" (as its citation says).
publisher = citation.publisher


def data_files(descriptor: dict) -> list[tuple[dict, str, str]]:
    """(resource, format, file name) of every data file of a package, in descriptor order."""
    out = []
    for r in descriptor["resources"]:
        formats = r.get("formats") or {r.get("format", "csv"): r["path"]}
        for fmt in ("csv", "parquet", "xlsx"):
            if fmt in formats:
                out.append((r, fmt, formats[fmt]))
    return out


def synthetic_note(lang: str) -> str:
    return (
        "DATA SINTETIS (demo): dibuat oleh generator proyek, bukan data nyata. "
        if lang == "id"
        else "SYNTHETIC DATA (demo): made by the project's generator, not real data. "
    )


def description(d: dict, lang: str, synthetic: bool) -> str:
    """A package's (or a release entry's) description in ``lang``, marked when the data are synthetic."""
    text = d["description"] if lang == "id" else d["description_en"]
    return (synthetic_note(lang) + text) if synthetic else text


def iso_date(value) -> str:
    """A date (the register's snapshot date) as YYYY-MM-DD."""
    import pandas as pd

    return pd.Timestamp(value).strftime("%Y-%m-%d")


def json_bytes(document) -> bytes:
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def sha256(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()
