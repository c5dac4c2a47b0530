"""The build's file operations: files written into a staging folder (hard-linked where the last build left the
same bytes), folders of OUT copied into staging without following a link, folders made private."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from umkm.build import safe_files


def write_files(folder: Path, files: Mapping[str, bytes | str], previous: Path | None = None) -> None:
    """Write each file under ``folder`` (never outside it, symlinks followed).

    ``previous``: the same folder as the last build left it. A file whose bytes are already
    there is hard-linked instead of written: on some disks creating a file costs many times
    more than linking one, and most files of a rebuild are unchanged. Nothing is ever written
    through a link: an existing file is replaced, not overwritten.
    """
    root = os.path.realpath(folder)
    old_root = os.path.realpath(previous) if previous is not None and os.path.isdir(previous) else None
    parents: dict[str, str] = {}  # each folder resolved once
    for relative, content in sorted(files.items()):
        parent, name = os.path.split(os.path.join(root, relative))
        if parent not in parents:
            parents[parent] = os.path.realpath(parent)
        target = os.path.join(parents[parent], name)
        if os.path.islink(target):
            target = os.path.realpath(target)
        if not name or not target.startswith(root + os.sep):
            raise ValueError(f"refusing to write outside {folder}: {relative}")
        os.makedirs(parents[parent], exist_ok=True)
        data = content.encode("utf-8") if isinstance(content, str) else content
        if os.path.lexists(target):
            os.unlink(target)
        if old_root is not None and link_if_same(os.path.join(old_root, target[len(root) + 1 :]), data, target):
            continue
        with open(target, "wb") as stream:
            stream.write(data)


def link_if_same(old: str, data: bytes, target: str) -> bool:
    """Hard-link ``old`` at ``target`` if it is a plain file holding exactly ``data``."""
    try:
        if os.path.islink(old) or not os.path.isfile(old) or os.path.getsize(old) != len(data):
            return False
        with open(old, "rb") as stream:
            if stream.read() != data:
                return False
        os.link(old, target)
        return True
    except OSError:  # no hard links on this file system, or the old file went away: write it
        return False


def safe_remove(path: Path) -> None:
    safe_files.remove(path)


def safe_copy_tree(source: Path, target: Path) -> None:
    """A folder of OUT copied (hard-linked) into staging; a link anywhere in it is refused, never followed."""
    safe_files.copy_tree(source, target)


def make_private(*folders: Path) -> None:
    for folder in folders:
        safe_files.make_private(folder)


GENERATED_DOC_PARTS = {"index.md", "en", "statistik", "data", "wilayah", "sentra", "unduh", "generated"}


def copy_handwritten_docs(source: Path, target: Path) -> None:
    """The hand-written pages (and theme overrides) of docs/, without any generated page (a link is refused)."""

    def ignore(folder, names):
        relative = Path(folder).relative_to(source)
        if relative in (Path("."), Path("en")):
            return [n for n in names if n in GENERATED_DOC_PARTS - {"en"}]
        if relative in (Path("assets"), Path("en/assets")):
            return [n for n in names if n == "generated"]
        return []

    safe_files.copy_tree(source, target, link=False, ignore=ignore)


def read_exports(ods: Path, oss: Path) -> dict[str, tuple[bytes, str]]:
    """The bytes and file name of each export."""
    from umkm.ingest import exports as ingest

    raw = {}
    for source, path in (("ods", ods), ("oss", oss)):
        try:
            raw[source] = (path.read_bytes(), path.name)
        except OSError as error:
            raise ingest.InputError(str(path), f"cannot be read ({error.strerror})") from None
    return raw
