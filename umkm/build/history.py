"""The releases already published, read from OUT: the release index, each release's unduh/<version>/ folder, the
tables the site's history and the differencing gate compare with, and a published release's quality report."""

from __future__ import annotations

import io
import json
from pathlib import Path

from umkm import paths
from umkm.build import safe_files

RELEASES = "releases.json"
TRUTHS = "rilis"  # private/rilis/<version>.parquet and .json: what each published release's tables were made of
MICRODATA_CSV = "umkm-mikrodata/pelaku_umkm.csv"  # a release's microdata, as published
QUALITY_CSV = "umkm-kualitas-data/kualitas_data.csv"  # a release's data-quality report, as published


def lacks_pages(folder: Path) -> bool:
    """Whether an earlier release's folder, or one of its package folders, has no index.html."""
    return not (folder / "index.html").is_file() or any(
        not (package / "index.html").is_file()
        for package in folder.iterdir()
        if (package / "datapackage.json").is_file()
    )


def release_folder(folder: Path) -> tuple[dict, dict[str, dict]]:
    """An earlier release's folder as the catalogue sees it: each file's size and hash (relative path), and each
    package's datapackage.json."""
    import hashlib

    from umkm.catalogue import version_pages

    present, descriptors = {}, {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        relative = path.relative_to(folder).as_posix()
        data = path.read_bytes()
        present[relative] = version_pages.FileInfo(len(data), "sha256:" + hashlib.sha256(data).hexdigest())
        if path.name == "datapackage.json" and path.parent.parent == folder:
            descriptors[path.parent.name] = json.loads(data)
    return present, descriptors


def read_release_history(out: Path) -> tuple[list[dict], dict[str, Path]]:
    """The previous output's release index and the unduh/<version>/ folder of each release it published.

    The index is private/releases.json (else the public releases.json in docs/ or site/); the
    folders are read from the previous docs/ (else site/) before the swap: they are part of
    the published history and are carried into the new site.
    """
    from umkm.catalogue import releases

    index: list[dict] = []
    for candidate in (
        out / paths.PRIVATE / RELEASES,
        out / paths.GENERATED_DOCS / RELEASES,
        out / paths.SITE / RELEASES,
    ):
        if candidate.is_file() and not candidate.is_symlink():
            index = releases.parse_index(safe_files.read_text(candidate))
            break
    folders = {}
    for entry in index:
        for root in (out / paths.GENERATED_DOCS / "unduh", out / paths.SITE / "unduh"):
            if (
                (root / entry["version"]).is_dir()
                and "/" not in entry["version"]
                and not (root / entry["version"]).is_symlink()
            ):
                folders[entry["version"]] = root / entry["version"]
                break
    return index, folders


def read_published_history(docs: Path, index: list[dict], current: str) -> dict:
    """The city-wide count tables (umkm.site.pages.HISTORY_TABLES) each earlier release published, read from its
    unduh/<version>/umkm-statistik/ folder in ``docs``: the home page's trend and what changed."""
    import pandas as pd

    from umkm.site import pages as site_pages

    history = {}
    for entry in index:
        folder = docs / "unduh" / entry["version"] / "umkm-statistik"
        if entry["version"] == current or not folder.is_dir():
            continue
        history[entry["version"]] = {
            name: pd.read_csv(folder / f"{name}.csv", dtype=str, keep_default_na=False)
            for name in site_pages.HISTORY_TABLES
            if (folder / f"{name}.csv").is_file()
        }
    return history


def earlier_releases(out: Path, release_index: list[dict], release_folders: dict) -> list:
    """Every release already published, oldest first: its statistics as published (from the site's
    unduh/<version>/, else from the copy private/rilis/<version>/ keeps, which also remembers releases a new
    site history no longer carries: someone may still hold them), with its private truth where private/rilis/
    keeps it (else None: approximated from this register)."""
    import pandas as pd

    from umkm.catalogue import releases
    from umkm.disclose import sdc_microdata_releases, sdc_releases

    kept = out / paths.PRIVATE / TRUTHS
    snapshots = {e["version"]: e["snapshot_date"] for e in release_index}
    if kept.is_dir():
        for meta in kept.glob("*.json"):
            snapshots.setdefault(meta.stem, json.loads(meta.read_text(encoding="utf-8"))["snapshot_date"])
    earlier = []
    for version in sorted(snapshots, key=releases.version_key):
        folder = release_folders.get(version)
        if folder is None or not (folder / "umkm-statistik").is_dir():
            folder = kept / version
        if not (folder / "umkm-statistik").is_dir():
            continue
        published = {
            p.stem: pd.read_csv(p, dtype=str, keep_default_na=False)
            for p in sorted((folder / "umkm-statistik").glob("*.csv"))
        }
        truth = None
        frame, meta_file = kept / f"{version}.parquet", kept / f"{version}.json"
        if frame.is_file() and meta_file.is_file():
            meta = json.loads(meta_file.read_text(encoding="utf-8"))
            truth = sdc_releases.ReleaseTruth(version, meta["snapshot_date"], pd.read_parquet(frame), meta["retries"])
        micro = folder / MICRODATA_CSV
        earlier.append(
            sdc_releases.Earlier(
                version,
                snapshots[version],
                published,
                truth,
                sdc_microdata_releases.read_published(micro) if micro.is_file() else None,
            )
        )
    return earlier


def published_quality(folders: list, report):
    """The data-quality report of a release already published (in the first of ``folders`` that holds it: the
    site's unduh/<version>/, private/rilis/<version>/), typed as built; else ``report``."""
    import pandas as pd

    path = next((f / QUALITY_CSV for f in folders if f is not None and (f / QUALITY_CSV).is_file()), None)
    if path is None:
        return report
    kept = pd.read_csv(
        io.BytesIO(safe_files.read_bytes(path)),
        dtype={"metrik": str, "label_id": str, "label_en": str},
        keep_default_na=False,
    )
    return kept.astype(report.dtypes.to_dict())
