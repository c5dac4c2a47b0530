"""The data-stage cache: when nothing the data stages read has changed (inputs, key, options, their code, the
reference data, the private state and the published tables), a rebuild reuses their result and redoes only the
stages after them (the site and the gates).

It lives in OUT/.build-cache/, private like private/ (it holds the identifiers the gates look for) and never
published. Which code is outside the key (the folders only the uncached stages run) is derived from the declared
stage list (umkm/build/stages.py) and handed in.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import sys
from collections.abc import Iterable
from dataclasses import fields
from pathlib import Path

from umkm import paths
from umkm.build import history, safe_files

CACHE = ".build-cache"
TEMPLATE_CACHE = "templates"  # Jinja's compiled templates of the MkDocs theme and the site pages
PNG_CACHE = "png"  # the PNG of each chart SVG, by content (umkm/site/images.py)


def _digest_files(digest, files: Iterable[Path], root: Path | None) -> None:
    """Each file's name (relative to ``root``, or its own name) and bytes into the digest."""
    for path in files:
        digest.update((path.relative_to(root).as_posix() if root else path.name).encode("utf-8") + b"\0")
        if path.is_file():
            with path.open("rb") as stream:
                for block in iter(lambda: stream.read(1 << 22), b""):
                    digest.update(block)
        digest.update(b"\0")


def code_files(outside: Iterable[str]) -> list[Path]:
    """Every module and data file of the package, in every folder (recursively) but the ``outside`` ones."""
    skip = set(outside)
    return sorted(
        p
        for p in paths.PACKAGE.rglob("*")
        if p.suffix in (".py", ".yml", ".csv", ".j2")
        and p.relative_to(paths.PACKAGE).parts[0] not in skip
        and "__pycache__" not in p.parts
    )


def data_cache_key(args, key: str, raw, outside: Iterable[str]) -> str:
    """What decides the data stages' result, apart from the state of the output folder. ``outside``: the folders
    of umkm/ whose code runs only after the data stages (stages.SITE_ONLY_FOLDERS)."""
    from umkm.catalogue.config import Config

    digest = hashlib.sha256()
    options = {
        "no_site": args.no_site,
        "snapshot_date": args.snapshot_date,
        "python": sys.version,
        "weights": [args.weights, args.train_weights, args.train_min_rows],
        "key": hashlib.sha256(key.encode("utf-8")).hexdigest(),
        "catalogue": vars(Config.from_env(os.environ)),
    }
    if raw is None:
        options.update(demo=[args.demo_seed, args.demo_rows, args.demo_noise])
    digest.update(json.dumps(options, sort_keys=True).encode("utf-8"))
    for source, (data, name) in sorted((raw or {}).items()):
        digest.update(f"{source}:{name}:{len(data)}:".encode() + hashlib.sha256(data).digest())
    # The code and data of the data stages, by name: the same whether run from a checkout or installed.
    _digest_files(digest, [paths.REPO / "requirements.txt"], None)
    _digest_files(digest, code_files(outside), paths.PACKAGE)
    _digest_files(digest, sorted(p for p in paths.REFERENCE.rglob("*") if p.is_file()), paths.REFERENCE)
    return digest.hexdigest()


def output_state(out: Path) -> str:
    """A digest of what the data stages read from the previous output (and of what they wrote there)."""
    digest = hashlib.sha256()
    files = sorted(p for p in (out / paths.PRIVATE).rglob("*") if p.is_file())
    files += sorted(p for p in (out / paths.DATAPACKAGES).rglob("*") if p.is_file())
    files += [out / paths.GENERATED_DOCS / history.RELEASES, out / paths.SITE / history.RELEASES]
    _digest_files(digest, files, out)
    for root in (out / paths.GENERATED_DOCS / "unduh", out / paths.SITE / "unduh"):
        names = sorted(p.name for p in root.iterdir() if p.is_dir()) if root.is_dir() else []
        digest.update(json.dumps([str(root.relative_to(out)), names]).encode("utf-8"))
    return digest.hexdigest()


def load_cached_data(out: Path, cache_key: str) -> dict | None:
    """The cached result's fields (run_state.DataResult), if it was made by the same key from the output folder as
    it is now."""
    folder = out / CACHE
    if not (folder / "meta.json").is_file():
        return None
    try:
        meta = json.loads(safe_files.read_text(folder / "meta.json", private=True))
        if meta.get("key") != cache_key or meta.get("state") != output_state(out):
            return None
        # Written by this program and writable by its owner only (check_output_folder deletes any other).
        result = pickle.loads(safe_files.read_bytes(folder / "data.pickle", private=True))
    except (
        OSError,
        ValueError,
        TypeError,
        pickle.UnpicklingError,
        EOFError,
        AttributeError,
        ImportError,
        safe_files.Refused,
    ):
        return None  # a damaged cache is a cache miss
    return result if isinstance(result, dict) else None


def save_cached_data(out: Path, cache_key: str, data, *, reused: bool = False) -> None:
    """Keep this build's data-stage result (a dataclass) for the next build (one entry; written whole or not at
    all).

    ``reused``: ``data`` came from the cache (same key): only the output state is renewed.
    """
    folder = out / CACHE
    if reused and (folder / "data.pickle").is_file():
        fresh_meta = folder / "meta.json.new"
        fresh_meta.write_text(json.dumps({"key": cache_key, "state": output_state(out)}), encoding="utf-8")
        fresh_meta.replace(folder / "meta.json")
        return
    fresh = out / f"{CACHE}.new"
    safe_files.remove(fresh)
    fresh.mkdir(mode=0o700)
    with (fresh / "data.pickle").open("wb") as stream:
        # A plain dict of the fields: loadable whatever module the result's class is defined in.
        pickle.dump({f.name: getattr(data, f.name) for f in fields(data)}, stream, protocol=pickle.HIGHEST_PROTOCOL)
    (fresh / "meta.json").write_text(json.dumps({"key": cache_key, "state": output_state(out)}), encoding="utf-8")
    for kept in (TEMPLATE_CACHE, PNG_CACHE):  # compiled page templates and rendered charts outlive the data
        if (folder / kept).is_dir():
            (folder / kept).rename(fresh / kept)
    safe_files.remove(folder)
    fresh.rename(folder)


def save_cache_after_commit(out: Path, cache_key: str, data, reused: bool) -> list[str]:
    """Keep the data stages' result for the next build; after the commit point, so a failure is a warning."""
    try:
        save_cached_data(out, cache_key, data, reused=reused)
        safe_files.make_private(out / CACHE)
    except Exception as error:  # noqa: BLE001  published already: the next build just runs every stage
        return [f"the data-stage cache was not saved ({type(error).__name__}: {error})"]
    return []
