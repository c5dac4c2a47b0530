"""A built staging folder in, the output folder (OUT) replaced by it out: one writer at a time, all or nothing.

- ``OutLock``: an exclusive lock (flock) on OUT/.lock, held for the whole build, taken before
  anything in OUT is read; a second build waits for it or stops (exit 4).
- ``check_output_folder``: before a build reads OUT, no link anywhere in what it reads or
  writes there, and no private file or cache that other users can write.
- ``publish``: the swap. The staging folder is flushed to disk (fsync), then a journal is
  written atomically (a temporary file, fsync, rename, fsync of OUT) before the first
  rename; each OUT/<name> is moved aside and the staged one moved in; removing the journal
  is the commit point. Before it, any failure rolls back to the previous output; after it,
  nothing can fail (the old folders are deleted, or reported where they cannot be).
- ``recover``: at the start of every build, under the lock. A journal is acted on only when
  it is one this program wrote for this very folder (format, checksum, the folder's device
  and inode, names among the four it swaps); an empty, damaged or foreign journal is set
  aside with a message and never followed out of OUT.
- ``StaffWorkbook``: private/review.xlsx as staff last saved it. If it is saved again
  during the build (or is open in an office program), the swap keeps it as it is and puts
  the build's new workbook beside it as review-baru.xlsx.
- ``die_with_parent``: every process the build forks dies with it (PR_SET_PDEATHSIG), so a
  build started right after a kill never meets a worker of the killed one.

Standard library only: the tests run the publish step in processes of their own and kill them.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import stat
import sys
import time
from collections.abc import Callable
from pathlib import Path

from umkm.build import safe_files
from umkm.build.safe_files import Refused

SWAPPED = ("datapackages", "private", "site", "docs")  # the folders a build replaces, in this order
STAGING = ".staging"
LOCK = ".lock"
JOURNAL = ".swap-journal.json"
REJECTED_JOURNAL = ".swap-journal.rejected"
JOURNAL_FORMAT = "umkm-swap-journal/1"
_BACKUP = re.compile(r"\.previous-(" + "|".join(SWAPPED) + r")(?:-(\d{1,3}))?")
MAX_JOURNAL_BYTES = 65536


class BuildLocked(Exception):
    """Another build holds OUT's lock."""


class EnvironmentFailure(Exception):
    """The machine, not the input: a full disk, a permission, a read-only or busy file."""


_ADVICE = {
    errno.ENOSPC: "the disk is full: free some space (a build needs about twice the size of its output) and "
    "run it again",
    errno.EDQUOT: "the disk quota is used up: free some space and run it again",
    errno.EFBIG: "the file is larger than the system allows (a file size limit, ulimit -f?)",
    errno.EROFS: "the file system is read-only: give --out a writable folder",
    errno.EACCES: "permission denied: run the build as the user who owns the output folder, or give --out a "
    "folder you can write",
    errno.EPERM: "operation not permitted (an immutable or locked file?)",
    errno.EBUSY: "the file or folder is in use by another program: close it and run the build again",
    errno.ETXTBSY: "the file is in use by another program: close it and run the build again",
    errno.EIO: "input/output error: the disk may be failing",
    errno.EMFILE: "too many open files (ulimit -n)",
}


def environment_message(error: BaseException) -> str:
    """One line for a failure of the machine: what, where, and what to do."""
    if isinstance(error, MemoryError):
        return "out of memory: close other programs or run the build on a machine with more memory"
    where = getattr(error, "filename", None)
    reason = getattr(error, "strerror", None) or str(error)
    advice = _ADVICE.get(getattr(error, "errno", None) or 0, "")
    text = f"{where}: {reason}" if where else reason
    return f"{text} ({advice})" if advice else text


def fsync_path(path: Path, *, folder: bool = False) -> None:
    flags = os.O_RDONLY | os.O_CLOEXEC | os.O_NOFOLLOW | (os.O_DIRECTORY if folder else 0)
    descriptor = os.open(path, flags)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def sync_tree(folder: Path) -> None:
    """Every file and folder under ``folder`` on the disk. One syncfs() of its file system where Linux has it
    (a build writes thousands of files: one fsync each costs far more), else fsync of each."""
    if _syncfs(folder):
        return
    for root, folders, files in os.walk(folder, followlinks=False):
        for name in files:
            path = Path(root) / name
            if not os.path.islink(path):
                fsync_path(path)
        fsync_path(Path(root), folder=True)


def _syncfs(folder: Path) -> bool:
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        call = libc.syncfs
    except (OSError, AttributeError):
        return False
    descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC | os.O_NOFOLLOW)
    try:
        if call(descriptor) != 0:
            number = ctypes.get_errno()
            raise OSError(number, os.strerror(number), str(folder))
    finally:
        os.close(descriptor)
    return True


# ---------------------------------------------------------------------------
# One writer at a time
# ---------------------------------------------------------------------------


class OutLock:
    """An exclusive lock on OUT for the whole build (flock on OUT/.lock, which is never deleted). Forked
    workers share it: it is released when the build and every process it forked are gone."""

    def __init__(self, out: Path, wait: float = 0.0, say: Callable[[str], None] | None = None):
        self.out, self.wait, self.say = out, wait, say or (lambda text: print(text, file=sys.stderr))
        self.descriptor: int | None = None

    def __enter__(self) -> OutLock:
        import fcntl
        import socket

        path = self.out / LOCK
        try:
            descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
        except OSError as error:
            if error.errno == errno.ELOOP:
                raise Refused(
                    path, "is a symbolic link: refused (the lock file is never read through a link)"
                ) from None
            raise
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            os.close(descriptor)
            raise Refused(path, "is not a plain file: refused")
        deadline, told = time.monotonic() + max(0.0, self.wait), False
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                holder = os.pread(descriptor, 200, 0).decode("utf-8", "replace").strip() or "a build"
                if time.monotonic() >= deadline:
                    os.close(descriptor)
                    raise BuildLocked(
                        f"another build is writing {self.out} ({holder}): nothing was changed. Wait until it "
                        "ends and run again, or give --wait SECONDS to wait for it"
                    ) from None
                if not told:
                    self.say(
                        f"build_data.py: waiting up to {self.wait:g} s for the build that is writing "
                        f"{self.out} ({holder})"
                    )
                    told = True
                time.sleep(0.1)
        os.ftruncate(descriptor, 0)
        started = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())
        os.pwrite(descriptor, f"pid {os.getpid()} on {socket.gethostname()}, started {started}\n".encode(), 0)
        self.descriptor = descriptor
        return self

    def __exit__(self, *exc) -> None:
        if self.descriptor is not None:
            os.close(self.descriptor)
            self.descriptor = None


def check_output_folder(
    out: Path, private_names: tuple[str, ...] = ("private",), caches: tuple[str, ...] = ()
) -> list[str]:
    """Before a build reads OUT (under the lock): Refused for a link in any folder it reads or replaces, or
    for a private file others can write; a cache that is not trusted is deleted (it is only a cache).
    Returns the warnings to show."""
    notes = []
    fixed = [LOCK, JOURNAL + ".tmp", STAGING, *(f"{c}.new" for c in caches)]  # (a linked journal: recover())
    for name in fixed:
        path = out / name
        if os.path.islink(path):
            raise Refused(
                path,
                "is a symbolic link: refused, the build never writes through a link. Remove it and run the build again",
            )
    for cache in caches:
        path = out / cache
        problem = next(iter(safe_files.links_under(path)), None)
        untrusted = None if problem else safe_files.untrusted_under(path)
        if problem is not None or untrusted is not None:
            where, why = (problem, "a link or special file") if problem else untrusted
            safe_files.remove(path)
            notes.append(f"{where}: {why}: the build cache is not trusted and was deleted (every stage runs)")
    safe_files.refuse_links([out / name for name in SWAPPED])
    for name in private_names:
        untrusted = safe_files.untrusted_under(out / name)
        if untrusted:
            where, why = untrusted
            raise Refused(
                where,
                f"{why}: refused, private files must be writable by their owner only. Run "
                f"chmod -R go-w {out / name} (or check who changed it) and run the build again",
            )
    return notes


# ---------------------------------------------------------------------------
# The journal and the swap
# ---------------------------------------------------------------------------


class _Rejected(Exception):
    pass


def _identity(out: Path) -> list[int]:
    info = os.stat(out)
    return [info.st_dev, info.st_ino]


def _checksum(body: dict) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode("utf-8")).hexdigest()


def _write_journal(out: Path, entries: list[dict]) -> None:
    body = {"format": JOURNAL_FORMAT, "out": _identity(out), "entries": entries}
    data = json.dumps({**body, "sha256": _checksum(body)}, sort_keys=True).encode("utf-8")
    temporary = out / (JOURNAL + ".tmp")
    safe_files.remove(temporary)
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(descriptor, view) :]
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    os.replace(temporary, out / JOURNAL)
    fsync_path(out, folder=True)


def _read_journal(out: Path) -> list[dict]:
    """The journal's entries, if this program wrote it for this folder; else _Rejected with why."""
    path = out / JOURNAL
    try:
        data = safe_files.read_bytes(path, private=True, limit=MAX_JOURNAL_BYTES)
    except Refused as refused:
        raise _Rejected(str(refused).removeprefix(f"{path}: ")) from None
    if not data.strip():
        raise _Rejected("it is empty (left by a full disk or a crash?)")
    try:
        journal = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise _Rejected("it is not a journal (not JSON)") from None
    if not isinstance(journal, dict):
        raise _Rejected("it is not a journal")
    if set(journal) == {"names", "had"}:  # written by the build before the journal had a checksum
        names, had = journal["names"], journal["had"]
        if not (
            isinstance(names, list)
            and isinstance(had, dict)
            and all(n in SWAPPED for n in names)
            and set(had) == set(names)
            and all(isinstance(v, bool) for v in had.values())
        ):
            raise _Rejected("it names folders this program never swaps")
        return [{"name": n, "backup": f".previous-{n}", "had": had[n]} for n in names]
    body = {k: v for k, v in journal.items() if k != "sha256"}
    if journal.get("format") != JOURNAL_FORMAT or journal.get("sha256") != _checksum(body):
        raise _Rejected("it is not a journal this program wrote, or it is damaged (format or checksum)")
    if journal.get("out") != _identity(out):
        raise _Rejected("it was written for another folder (device and inode differ)")
    entries = journal.get("entries")
    if not isinstance(entries, list) or not entries:
        raise _Rejected("it lists nothing")
    for entry in entries:
        match = _BACKUP.fullmatch(str(entry.get("backup"))) if isinstance(entry, dict) else None
        if (
            match is None
            or entry.get("name") != match.group(1)
            or not isinstance(entry.get("had"), bool)
            or set(entry) != {"name", "backup", "had"}
        ):
            raise _Rejected("it names folders this program never swaps")
    return entries


def _backup_name(out: Path, name: str) -> str:
    for number in range(1, 1000):
        candidate = f".previous-{name}" + (f"-{number}" if number > 1 else "")
        if not os.path.lexists(out / candidate):
            return candidate
    raise EnvironmentFailure(f"{out}: too many leftover .previous-{name}* folders: delete them")


def publish(
    out: Path, staging: Path, names: list[str], carry: Callable[[Path | None, Path], None] | None = None
) -> list[str]:
    """Replace each OUT/<name> by staging/<name>: all of them or none. ``carry(old_private, new_private)`` runs
    once the old private/ is moved aside and before the new one is moved in (the staff's files).
    Returns the warnings of the cleanup after the commit point (nothing after it raises)."""
    if any(name not in SWAPPED for name in names):
        raise ValueError(f"publish swaps only {SWAPPED}")
    sync_tree(staging)
    entries = [{"name": n, "backup": _backup_name(out, n), "had": os.path.lexists(out / n)} for n in names]
    _write_journal(out, entries)
    try:
        for entry in entries:
            target, fresh = out / entry["name"], staging / entry["name"]
            old = out / entry["backup"] if entry["had"] else None
            if old is not None:
                os.rename(target, old)
            if carry is not None and entry["name"] == "private":
                carry(old, fresh)
            os.rename(fresh, target)
        fsync_path(out, folder=True)
    except BaseException as failure:
        try:
            recover(out)
        except OSError as error:  # the next build rolls back from the journal
            failure.add_note(f"the roll-back failed too ({environment_message(error)}); the next build finishes it")
        raise
    os.unlink(out / JOURNAL)  # the commit point
    warnings = []
    try:
        fsync_path(out, folder=True)
    except OSError as error:
        warnings.append(f"{out}: {environment_message(error)}")
    for entry in entries:
        if entry["had"]:
            try:
                safe_files.remove(out / entry["backup"])
            except OSError as error:
                warnings.append(
                    f"the previous {entry['name']}/ was not deleted ({environment_message(error)}): "
                    f"the next build deletes {out / entry['backup']}"
                )
    return warnings


def recover(out: Path) -> list[str]:
    """Roll back a publish that did not reach its commit point, and clear what a committed one left. Returns
    what it did, for the log."""
    notes = []
    journal = out / JOURNAL
    if os.path.lexists(journal):
        try:
            entries = _read_journal(out)
        except _Rejected as why:
            os.replace(journal, out / REJECTED_JOURNAL)  # renames a link itself, never its target
            fsync_path(out, folder=True)
            notes.append(f"{journal} was not acted on: {why}. It is kept as {out / REJECTED_JOURNAL}")
            entries = None
        if entries is not None:
            for entry in reversed(entries):
                target, backup = out / entry["name"], out / entry["backup"]
                if entry["had"]:
                    if os.path.lexists(backup):
                        safe_files.remove(target)
                        os.rename(backup, target)
                else:
                    safe_files.remove(target)
            fsync_path(out, folder=True)
            os.unlink(journal)
            fsync_path(out, folder=True)
            notes.append("a publish that was interrupted was rolled back: the previous output is in place")
    safe_files.remove(out / (JOURNAL + ".tmp"))
    for name in sorted(os.listdir(out)):
        match = _BACKUP.fullmatch(name)
        if match is None:
            continue
        target = out / match.group(1)
        try:
            if not os.path.lexists(target) and os.path.isdir(out / name) and not os.path.islink(out / name):
                os.rename(out / name, target)  # the only copy there is: keep it
                notes.append(f"{target} was missing: put back from {name}")
            else:
                safe_files.remove(out / name)
        except OSError as error:
            notes.append(f"{out / name} (left by an earlier build) was not deleted: {environment_message(error)}")
    return notes


# ---------------------------------------------------------------------------
# The staff's review workbook
# ---------------------------------------------------------------------------


class StaffWorkbook:
    """private/review.xlsx as the build read it. If staff save it again before the swap (or have it open: an
    office lock file beside it), the swap keeps theirs as review.xlsx and puts the build's new one beside it
    as review-baru.xlsx; the next build reads their decisions."""

    NAME = "review.xlsx"
    NEW_NAME = "review-baru.xlsx"
    OFFICE_LOCKS = (".~lock.review.xlsx#", "~$review.xlsx")  # LibreOffice, Excel

    def __init__(self, private: Path):
        self.private = private
        self.digest: str | None = None  # of the bytes read (None: there was no workbook)
        self.notice: str | None = None
        self._read = False
        self._data: bytes | None = None

    def read(self) -> bytes | None:
        """The workbook's bytes (None if there is none), read once per build (every reader sees the same
        bytes) and remembered to be compared at the swap."""
        if self._read:
            return self._data
        path = self.private / self.NAME
        data = safe_files.read_bytes(path, private=True) if os.path.lexists(path) else None
        self.digest = None if data is None else hashlib.sha256(data).hexdigest()
        self._read, self._data = True, data
        return data

    def carry(self, old: Path | None, new: Path) -> None:
        """At the swap: keep the staff's workbook if it changed since it was read, or is open."""
        if old is None:
            return
        current = old / self.NAME
        saved = safe_files.read_bytes(current, private=True) if os.path.lexists(current) else None
        open_in = [name for name in self.OFFICE_LOCKS if os.path.lexists(old / name)]
        changed = saved is not None and hashlib.sha256(saved).hexdigest() != self.digest
        if saved is None or not (changed or open_in):
            return
        if os.path.lexists(new / self.NAME):
            os.rename(new / self.NAME, new / self.NEW_NAME)
        for name, data in [(self.NAME, saved)] + [(n, safe_files.read_bytes(old / n)) for n in open_in]:
            descriptor = os.open(new / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
            with os.fdopen(descriptor, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(descriptor)
        why = (
            f"is open in an office program ({open_in[0]})"
            if open_in and not changed
            else "was saved while this build ran"
        )
        self.notice = (
            f"{self.private / self.NAME} {why}: it is kept as it is, and the next build reads its "
            f"decisions. This build's new review workbook is {self.private / self.NEW_NAME}."
        )


# ---------------------------------------------------------------------------
# Children die with the build
# ---------------------------------------------------------------------------

_death_signal_set = False


def die_with_parent() -> None:
    """Every process forked from now on (multiprocessing workers, the English MkDocs build) is killed when
    its parent dies, even by SIGKILL (Linux PR_SET_PDEATHSIG). Only forks from the main thread: the signal
    follows the thread that forked, and a helper thread may end before its children."""
    global _death_signal_set
    if _death_signal_set or not sys.platform.startswith("linux"):
        return
    import ctypes
    import signal
    import threading

    libc = ctypes.CDLL(None, use_errno=True)
    parent: dict[str, object] = {}

    def before() -> None:
        parent["pid"] = os.getpid()
        parent["main"] = threading.current_thread() is threading.main_thread()

    def in_child() -> None:
        if parent.get("main"):
            libc.prctl(1, int(signal.SIGKILL), 0, 0, 0)  # PR_SET_PDEATHSIG
            if os.getppid() != parent.get("pid"):  # the parent died before the line above
                os._exit(1)

    os.register_at_fork(before=before, after_in_child=in_child)
    _death_signal_set = True


# ---------------------------------------------------------------------------
# Never the demo over real releases
# ---------------------------------------------------------------------------

RELEASE_INDEXES = ("private/releases.json", "docs/releases.json", "site/releases.json")


def real_releases(out: Path) -> list[str]:
    """The versions of releases built from real exports that OUT (or a site restored into it) holds."""
    found: list[str] = []
    for relative in RELEASE_INDEXES:
        path = out / relative
        if not os.path.lexists(path):
            continue
        try:
            data = json.loads(safe_files.read_bytes(path, limit=64 << 20).decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise Refused(path, "is not a readable release index (JSON): refused") from None
        entries = data.get("releases", []) if isinstance(data, dict) else data
        for entry in entries if isinstance(entries, list) else []:
            if isinstance(entry, dict) and entry.get("synthetic") is not True:
                version = str(entry.get("version", "?"))
                if version not in found:
                    found.append(version)
    return found
