"""Paths in the output folder in, their bytes or a copy out, never through a link: the safe reads of a build.

The output folder (OUT) holds what earlier builds left and, in the nightly, a site restored from a
tar that anyone who can publish an artifact may have shaped. So nothing there is read, copied or
deleted through a symbolic link (a link to /proc/self/environ would publish the environment), a
private file or cache that another user can write is not trusted, and private files are made
readable by their owner only (files 600, folders 700) whatever the umask.

Everything here uses the standard library only (no pandas): the publish step imports it in a
process of its own in the tests.
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
from collections.abc import Callable, Iterable
from pathlib import Path

PRIVATE_FILE_MODE = 0o600
PRIVATE_FOLDER_MODE = 0o700


class Refused(Exception):
    """Something in the output folder that the build will not read (a link, a file others can write)."""

    def __init__(self, path: Path | str, message: str):
        self.path = str(path)
        super().__init__(f"{path}: {message}")


def _link_message(path: Path | str) -> str:
    try:
        target = os.readlink(path)
    except OSError:
        target = "?"
    return (
        f"is a symbolic link (to {target!r}): refused, the build never reads through a link. Remove it "
        "(or restore the site again) and run the build again"
    )


def _others_can_write(info: os.stat_result) -> bool:
    """Writable by anyone but the owner: world-writable, or group-writable where the group has other members
    (a user private group, as Debian makes one for each user, has none)."""
    if info.st_mode & stat.S_IWOTH:
        return True
    if not info.st_mode & stat.S_IWGRP:
        return False
    import grp
    import pwd

    try:
        group = grp.getgrgid(info.st_gid)
        owner = pwd.getpwuid(info.st_uid).pw_name
    except KeyError:
        return True
    if set(group.gr_mem) - {owner}:
        return True
    return any(user.pw_gid == info.st_gid and user.pw_uid != info.st_uid for user in pwd.getpwall())


def trust_problem(info: os.stat_result) -> str | None:
    """Why a private file or folder (or a cache) with this status is not trusted, or None."""
    if info.st_uid != os.geteuid():
        return f"belongs to another user (uid {info.st_uid})"
    if _others_can_write(info):
        return f"can be written by other users (mode {stat.S_IMODE(info.st_mode):04o})"
    return None


def links_under(folder: Path) -> Iterable[Path]:
    """Every symbolic link at or under ``folder`` (and anything that is neither a file nor a folder), without
    following one."""
    try:
        info = os.lstat(folder)
    except FileNotFoundError:
        return
    if stat.S_ISLNK(info.st_mode):
        yield folder
        return
    if not stat.S_ISDIR(info.st_mode):
        if not stat.S_ISREG(info.st_mode):
            yield folder
        return
    stack = [folder]
    while stack:
        current = stack.pop()
        with os.scandir(current) as entries:
            for entry in sorted(entries, key=lambda e: e.name):
                if entry.is_symlink():
                    yield Path(entry.path)
                elif entry.is_dir(follow_symlinks=False):
                    stack.append(Path(entry.path))
                elif not entry.is_file(follow_symlinks=False):
                    yield Path(entry.path)


def refuse_links(paths: Iterable[Path]) -> None:
    """Refused for the first link (or special file: a fifo, a device) at or under any of ``paths``."""
    for path in paths:
        for found in links_under(path):
            if os.path.islink(found):
                raise Refused(found, _link_message(found))
            raise Refused(found, "is neither a file nor a folder (a fifo or device?): refused")


def untrusted_under(folder: Path) -> tuple[Path, str] | None:
    """The first file or folder at or under ``folder`` that trust_problem() refuses, with why."""
    if not os.path.lexists(folder):
        return None
    for root, folders, files in os.walk(folder, followlinks=False):
        for name in [None, *sorted(folders), *sorted(files)]:
            path = Path(root) if name is None else Path(root) / name
            problem = trust_problem(os.lstat(path))
            if problem:
                return path, problem
    return None


def read_bytes(path: Path, *, private: bool = False, limit: int | None = None) -> bytes:
    """A file's bytes, read through one descriptor opened without following a link; ``private``: refused
    unless only its owner can write it. ``limit``: refused when larger."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC | getattr(os, "O_NONBLOCK", 0))
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise Refused(path, _link_message(path)) from None
        raise
    with os.fdopen(descriptor, "rb") as stream:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise Refused(path, "is not a plain file: refused")
        if private and (problem := trust_problem(info)):
            raise Refused(
                path,
                f"{problem}: refused. Make the private folder private again (chmod -R go-rwx) and run the build again",
            )
        if limit is not None and info.st_size > limit:
            raise Refused(path, f"is {info.st_size:,} bytes, more than the {limit:,} expected: refused")
        return stream.read()


def read_text(path: Path, **options) -> str:
    return read_bytes(path, **options).decode("utf-8")


def copy_tree(
    source: Path, target: Path, *, link: bool = True, ignore: Callable[[Path, list[str]], Iterable[str]] | None = None
) -> None:
    """Copy a folder, hard-linking each file where ``link`` (the files of a build are never changed in
    place), without following a link: a symbolic link or special file anywhere is Refused, before or
    while copying."""
    refuse_links([source])
    for root, folders, files in os.walk(source, followlinks=False):
        here = Path(root)
        relative = here.relative_to(source)
        skipped = set(ignore(here, sorted(folders + files))) if ignore else set()
        folders[:] = sorted(f for f in folders if f not in skipped)
        os.makedirs(target / relative, exist_ok=True)
        for name in sorted(files):
            if name in skipped:
                continue
            _copy_file(here / name, target / relative / name, link)


def _copy_file(source: Path, target: Path, link: bool) -> None:
    if link:
        try:
            os.link(source, target, follow_symlinks=False)  # links a link itself, never its target
        except OSError as error:
            if error.errno in (errno.ENOSPC, errno.EDQUOT, errno.EROFS):
                raise
        else:
            if os.path.islink(target):  # the name became a link between the walk and now
                os.unlink(target)
                raise Refused(source, _link_message(source))
            return
    data = read_bytes(source)
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    with os.fdopen(descriptor, "wb") as stream:
        stream.write(data)


def make_private(folder: Path) -> None:
    """Folders 700 and files 600 at and under ``folder`` (never through a link). A file hard-linked from
    elsewhere (a published table kept in private/) gets a copy of its own first, so that the published
    one keeps its mode."""
    if not os.path.isdir(folder) or os.path.islink(folder):
        return
    os.chmod(folder, PRIVATE_FOLDER_MODE)
    for root, folders, files in os.walk(folder, followlinks=False):
        for name in folders:
            path = os.path.join(root, name)
            if not os.path.islink(path):
                os.chmod(path, PRIVATE_FOLDER_MODE)
        for name in files:
            path = os.path.join(root, name)
            info = os.lstat(path)
            if not stat.S_ISREG(info.st_mode) or stat.S_IMODE(info.st_mode) == PRIVATE_FILE_MODE:
                continue
            if info.st_nlink > 1:
                fresh = path + ".private-copy"
                shutil.copyfile(path, fresh, follow_symlinks=False)
                os.chmod(fresh, PRIVATE_FILE_MODE)
                os.replace(fresh, path)
            else:
                os.chmod(path, PRIVATE_FILE_MODE)


def remove(path: Path) -> None:
    """Delete a file, link or folder at ``path`` (a link itself, never what it leads to)."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    if stat.S_ISDIR(info.st_mode):
        shutil.rmtree(path)  # fd-based on Linux: never follows a link inside
    else:
        os.unlink(path)
