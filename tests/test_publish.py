"""Publishing that nothing can corrupt: the OUT lock, the swap journal, kill -9 at every file operation of the
publish step, a full disk, planted symlinks, private file modes, and the workers of a killed build.

The kills are real SIGKILLs of real processes running the real publish step on real folders; the full disk is a
real one (a small tmpfs mounted for the test when the machine lets us, as root does; else a file size limit,
`ulimit -f`, which makes writes fail the same way the build must handle).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.support import tree_hashes
from umkm import paths
from umkm.build import cli, files, publish, safe_files

BUILD_ARGS = ["--demo-rows", "1500", "--quiet"]


def build_command(out: Path, *extra: str) -> list[str]:
    return [sys.executable, str(paths.REPO / "build_data.py"), *BUILD_ARGS, "--out", str(out), *extra]


def build_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "UMKM_PSEUDONYM_KEY"}
    env.update(PYTHONUNBUFFERED="1", **extra)
    return env


def run_build(out: Path, *extra: str, timeout: float = 600, **env) -> subprocess.CompletedProcess:
    return subprocess.run(
        build_command(out, *extra),
        cwd=paths.REPO,
        env=build_env(**env),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def wait_for(predicate, process: subprocess.Popen, what: str, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if process.poll() is not None:
            pytest.fail(f"the build ended (exit {process.returncode}) before {what}")
        if time.monotonic() > deadline:
            pytest.fail(f"no {what} in {timeout} s")
        time.sleep(0.01)


# ---------------------------------------------------------------------------
# One writer at a time
# ---------------------------------------------------------------------------


def test_two_builds_at_once_one_refuses_or_waits_and_nothing_is_lost(previous_output):
    out, _ = previous_output
    first = subprocess.Popen(
        build_command(out, "--no-cache"),
        cwd=paths.REPO,
        env=build_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for(lambda: (out / ".staging").is_dir(), first, "staging folder")
        refused = run_build(out)  # no --wait: stops at once
        assert refused.returncode == cli.EXIT_LOCKED == 4, refused.stderr[-2000:]
        assert "another build is writing" in refused.stderr and f"pid {first.pid}" in refused.stderr
        assert "Traceback" not in refused.stderr
        waiting = subprocess.Popen(
            build_command(out, "--wait", "600"),
            cwd=paths.REPO,
            env=build_env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert first.wait(timeout=600) == 0, first.stderr.read()[-3000:]
        _, err = waiting.communicate(timeout=600)
        assert waiting.returncode == 0, err[-3000:]
        assert "waiting up to 600 s for the build" in err
    finally:
        for process in (first,):
            if process.poll() is None:
                process.kill()
    private = {p.name for p in (out / "private").iterdir()}
    assert {
        "decisions.csv",
        "register.parquet",
        "actor_ids.csv",
        "keputusan_staf.csv",
        "review.xlsx",
        "releases.json",
    } <= private
    versions = {json.loads(p.read_text())["version"] for p in (out / "datapackages").glob("*/datapackage.json")}
    assert len(versions) == 1  # one build's packages, never a mix
    assert not (out / ".staging").exists() and not list(out.glob(".previous-*"))


def test_the_lock_is_taken_before_anything_is_read_and_a_linked_lock_is_refused(tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    outside = tmp_path / "outside.txt"
    outside.write_text("tetap")
    (out / ".lock").symlink_to(outside)
    code = cli.main([*BUILD_ARGS, "--out", str(out)])
    assert code == cli.EXIT_BAD_INPUT
    assert ".lock" in capsys.readouterr().err and outside.read_text() == "tetap"


# ---------------------------------------------------------------------------
# kill -9 at every file operation of the publish step
# ---------------------------------------------------------------------------

KILL_DRIVER = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    from umkm.build import publish

    out, kill_at = Path(sys.argv[1]), int(sys.argv[2])
    count = 0

    def counted(function):
        def wrapper(*args, **kwargs):
            global count
            count += 1
            if count == kill_at:
                os.kill(os.getpid(), signal.SIGKILL)
            return function(*args, **kwargs)
        return wrapper

    staff = publish.StaffWorkbook(out / "private")
    staff.read()
    for name in ("open", "write", "fsync", "rename", "replace", "unlink", "rmdir", "link", "mkdir", "chmod",
                 "ftruncate", "close"):
        setattr(os, name, counted(getattr(os, name)))
    warnings = publish.publish(out, out / ".staging", list(publish.SWAPPED), carry=staff.carry)
    print(count, len(warnings))
""")


def _tree(root: Path, marker: str) -> None:
    for name in publish.SWAPPED:
        for relative in ("a.txt", "sub/b.csv", "sub/deeper/c.json"):
            path = root / name / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(f"{marker} {name}/{relative}\n")
    (root / "private" / "review.xlsx").write_bytes(f"workbook {marker}".encode())


def _swapped(out: Path) -> dict[str, str]:
    return {k: v for k, v in tree_hashes(out).items() if k.split("/")[0] in publish.SWAPPED}


def test_a_kill_at_every_file_operation_of_the_publish_step_leaves_old_or_new_in_full(tmp_path):
    reference_old, reference_new = tmp_path / "old", tmp_path / "new"
    _tree(reference_old, "lama")
    _tree(reference_new, "baru")
    old, new = _swapped(reference_old), _swapped(reference_new)

    def prepared() -> Path:
        out = tmp_path / "out"
        if out.exists():
            shutil.rmtree(out)
        shutil.copytree(reference_old, out)
        shutil.copytree(reference_new, out / ".staging")
        return out

    def drive(out: Path, kill_at: int) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-c", KILL_DRIVER, str(out), str(kill_at)],
            cwd=paths.REPO,
            capture_output=True,
            text=True,
            timeout=60,
        )

    whole = drive(prepared(), 10**9)
    assert whole.returncode == 0, whole.stderr
    operations = int(whole.stdout.split()[0])
    assert operations > 40, operations  # journal, renames, fsyncs, the deletion of every old file
    assert _swapped(tmp_path / "out") == new
    outcomes = {"old": 0, "new": 0}
    for kill_at in range(1, operations + 1):
        out = prepared()
        result = drive(out, kill_at)
        assert result.returncode == -signal.SIGKILL, (kill_at, result.stderr)
        notes = publish.recover(out)  # what the next build does first, under the lock
        after = _swapped(out)
        assert after in (old, new), f"killed at operation {kill_at}: a mix of old and new ({notes})"
        outcomes["old" if after == old else "new"] += 1
        assert (out / "private" / "review.xlsx").read_bytes() in (b"workbook lama", b"workbook baru")
        leftovers = sorted(p.name for p in out.iterdir() if p.name not in publish.SWAPPED and p.name != ".staging")
        assert leftovers == [], (kill_at, leftovers)
    assert outcomes["old"] > 5 and outcomes["new"] > 5, outcomes  # kills before and after the commit point


def test_a_build_killed_inside_the_swap_is_rolled_back_by_the_next_build(previous_output):
    out, before = previous_output
    driver = textwrap.dedent("""
        import os, signal, sys
        from umkm.build import cli
        from umkm.build import publish
        real = publish.publish

        def killed_after_first_rename(out, staging, names, carry=None):
            rename = os.rename
            def once(a, b):
                rename(a, b)
                if str(b).endswith("datapackages") and ".staging" not in str(b):
                    os.kill(os.getpid(), signal.SIGKILL)
            os.rename = once
            return real(out, staging, names, carry)

        publish.publish = killed_after_first_rename
        sys.exit(cli.main(sys.argv[1:]))
    """)
    killed = subprocess.run(
        [sys.executable, "-c", driver, *BUILD_ARGS, "--no-cache", "--out", str(out)],
        cwd=paths.REPO,
        env=build_env(),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-2000:]
    assert (out / publish.JOURNAL).is_file() and (out / ".previous-datapackages").is_dir()
    result = run_build(out, "--no-site")  # no site: the old site/ and docs/ must still be the previous ones
    assert result.returncode == 0, result.stderr[-3000:]
    assert "was rolled back" in result.stderr
    after = tree_hashes(out)
    assert {k: v for k, v in after.items() if k.startswith(("site/", "docs/"))} == {
        k: v for k, v in before.items() if k.startswith(("site/", "docs/"))
    }


# ---------------------------------------------------------------------------
# The journal cannot be forged or torn
# ---------------------------------------------------------------------------


def _old_output(out: Path) -> dict[str, str]:
    for name in publish.SWAPPED:
        (out / name).mkdir(parents=True)
        (out / name / "x.txt").write_text(name)
    return tree_hashes(out)


def test_an_empty_journal_is_set_aside_with_a_message_and_blocks_nothing(tmp_path):
    out = tmp_path / "out"
    before = _old_output(out)
    (out / publish.JOURNAL).write_bytes(b"")
    notes = publish.recover(out)
    assert any("it is empty" in n for n in notes), notes
    assert not (out / publish.JOURNAL).exists() and (out / publish.REJECTED_JOURNAL).exists()
    assert {k: v for k, v in tree_hashes(out).items() if not k.startswith(".swap")} == before


@pytest.mark.parametrize(
    "journal",
    [
        {"names": ["../korban"], "had": {"../korban": True}},  # the old format, with a name outside OUT
        {"format": publish.JOURNAL_FORMAT, "out": [0, 0], "entries": [], "sha256": "0" * 64},
        "not json {",
    ],
)
def test_a_forged_journal_never_touches_anything_outside_out(tmp_path, journal):
    out, victim = tmp_path / "out", tmp_path / "korban"
    before = _old_output(out)
    victim.mkdir()
    (victim / "penting.txt").write_text("jangan dihapus")
    (out / publish.JOURNAL).write_text(journal if isinstance(journal, str) else json.dumps(journal))
    notes = publish.recover(out)
    assert any("was not acted on" in n for n in notes), notes
    assert (victim / "penting.txt").read_text() == "jangan dihapus"
    assert {k: v for k, v in tree_hashes(out).items() if not k.startswith(".swap")} == before


def test_a_journal_written_for_another_folder_is_refused(tmp_path):
    one, other = tmp_path / "satu", tmp_path / "dua"
    for out in (one, other):
        _old_output(out)
    # A real journal of `one` (copied while its swap ran) planted in `other`.
    publish._write_journal(one, [{"name": "site", "backup": ".previous-site", "had": True}])
    shutil.copy(one / publish.JOURNAL, other / publish.JOURNAL)
    (other / "site").rename(other / ".previous-site-x")
    notes = publish.recover(other)
    assert any("another folder" in n for n in notes), notes
    assert publish.recover(one) and (one / "site" / "x.txt").read_text() == "site"


def test_a_linked_journal_is_set_aside_without_following_it(tmp_path):
    out = tmp_path / "out"
    _old_output(out)
    target = tmp_path / "luar.json"
    target.write_text(json.dumps({"names": ["site"], "had": {"site": False}}))
    (out / publish.JOURNAL).symlink_to(target)
    notes = publish.recover(out)
    assert any("symbolic link" in n for n in notes), notes
    assert (out / "site" / "x.txt").read_text() == "site" and target.is_file()


# ---------------------------------------------------------------------------
# A full disk, a read-only folder
# ---------------------------------------------------------------------------


@contextlib.contextmanager
def small_disk(folder: Path, megabytes: int):
    """A real small file system at ``folder`` (tmpfs), or None when this machine does not let us mount one."""
    folder.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={megabytes}m,mode=0755", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        yield None
        return
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def _size_mb(folder: Path) -> int:
    """Megabytes ``folder`` takes on tmpfs, which gives every file whole 4 KiB pages (a site of many small
    pages and images takes far more than the sum of its file sizes)."""
    pages = sum(-(-p.stat().st_size // 4096) for p in folder.rglob("*") if p.is_file() and not p.is_symlink())
    return pages * 4096 // (1 << 20) + 1


def test_a_full_disk_gives_one_line_exit_5_and_leaves_the_old_output(demo_output, tmp_path):
    size = _size_mb(demo_output)
    with small_disk(tmp_path / "disk", size + 3) as disk:
        if disk is not None:
            out = disk / "out"
            shutil.copytree(demo_output, out, symlinks=True)
            before = tree_hashes(out)
            result = run_build(out, "--no-cache")
            how = "tmpfs"
        else:  # not allowed to mount: the file size limit (ulimit -f), writes fail with EFBIG instead
            out = tmp_path / "out"
            shutil.copytree(demo_output, out, symlinks=True)
            before = tree_hashes(out)
            limit = (
                "import resource, signal; signal.signal(signal.SIGXFSZ, signal.SIG_IGN); "
                "resource.setrlimit(resource.RLIMIT_FSIZE, (1 << 20, 1 << 20)); "
            )
            result = subprocess.run(
                [
                    sys.executable,
                    "-c",
                    limit + "import runpy, sys; sys.argv = sys.argv[1:]; "
                    "runpy.run_path(sys.argv[0], run_name='__main__')",
                    *build_command(out, "--no-cache")[1:],
                ],
                cwd=paths.REPO,
                env=build_env(),
                capture_output=True,
                text=True,
                timeout=600,
            )
            how = "ulimit -f"
        assert result.returncode == cli.EXIT_ENVIRONMENT == 5, (how, result.stderr[-3000:])
        assert "Traceback" not in result.stderr
        error = [line for line in result.stderr.splitlines() if "error:" in line]
        assert len(error) == 1 and ("disk is full" in error[0] or "larger than the system allows" in error[0])
        assert "nothing published" in error[0]
        assert tree_hashes(out) == before, how
        assert not (out / ".staging").exists() and not (out / publish.JOURNAL).exists()


def test_a_read_only_output_folder_gives_exit_5(demo_output, tmp_path):
    with small_disk(tmp_path / "disk", _size_mb(demo_output) + 40) as disk:
        if disk is None:
            pytest.fail("this test needs to mount a tmpfs (run as root, as CI does)")
        out = disk / "out"
        shutil.copytree(demo_output, out, symlinks=True)
        before = tree_hashes(out)
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        result = run_build(out)
        assert result.returncode == cli.EXIT_ENVIRONMENT, result.stderr[-2000:]
        assert "read-only" in result.stderr and "Traceback" not in result.stderr
        assert tree_hashes(out) == before


# ---------------------------------------------------------------------------
# Links planted in every folder the build reads
# ---------------------------------------------------------------------------


def _secret_env(tmp_path: Path) -> tuple[Path, bytes]:
    outside = tmp_path / "di-luar" / "rahasia.txt"
    outside.parent.mkdir()
    marker = b"RAHASIA-DI-LUAR-OUT-7f3a9c"
    outside.write_bytes(marker + b"\n")
    return outside, marker


def _release_folder(out: Path, root: str) -> Path:
    return next(p for p in sorted((out / root / "unduh").iterdir()) if p.is_dir() and p.name != "latest")


PLANTS = {
    "site/unduh/<release>/x.txt -> environ": lambda out, o: (
        _release_folder(out, "site") / "x.txt",
        Path("/proc/self/environ"),
    ),
    "site/unduh/<release>/x.txt -> outside file": lambda out, o: (_release_folder(out, "site") / "x.txt", o),
    "docs/unduh/<release>/y.csv": lambda out, o: (_release_folder(out, "docs") / "y.csv", o),
    "site/unduh/<release> itself": lambda out, o: (_release_folder(out, "site"), o.parent),
    "site/releases.json": lambda out, o: (out / "site" / "releases.json", o),
    "datapackages/umkm-statistik/z.csv": lambda out, o: (out / "datapackages" / "umkm-statistik" / "z.csv", o),
    "private/actor_ids.csv": lambda out, o: (out / "private" / "actor_ids.csv", o),
    "private/review.xlsx": lambda out, o: (out / "private" / "review.xlsx", o),
    "private itself": lambda out, o: (out / "private", o.parent),
    ".staging": lambda out, o: (out / ".staging", o.parent),
    ".build-cache.new": lambda out, o: (out / ".build-cache.new", o.parent),
}


@pytest.mark.parametrize("plant", list(PLANTS))
def test_a_planted_link_is_refused_with_its_name_and_nothing_outside_is_read_or_touched(
    previous_output, tmp_path, plant
):
    out, _ = previous_output
    outside, marker = _secret_env(tmp_path)
    link, target = PLANTS[plant](out, outside)
    safe_files.remove(link)
    link.symlink_to(target)
    before = tree_hashes(out)
    outside_before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in outside.parent.rglob("*") if p.is_file()}
    result = run_build(out, UMKM_EXTRA_SECRET_KEY="kunci-rahasia-12345")
    assert result.returncode == cli.EXIT_BAD_INPUT, result.stderr[-2000:]
    assert "symbolic link" in result.stderr and str(link) in result.stderr and "Traceback" not in result.stderr
    assert tree_hashes(out) == before
    assert {
        p: (p.read_bytes(), p.stat().st_mtime_ns) for p in outside.parent.rglob("*") if p.is_file()
    } == outside_before


def test_links_to_the_cache_and_journal_are_set_aside_and_the_build_publishes_nothing_from_outside(
    previous_output, tmp_path
):
    out, _ = previous_output
    outside, marker = _secret_env(tmp_path)
    shutil.rmtree(out / ".build-cache")
    (out / ".build-cache").symlink_to(outside.parent, target_is_directory=True)
    (out / publish.JOURNAL).symlink_to(outside)
    listing = sorted(p.name for p in outside.parent.iterdir())
    result = run_build(out, "--no-site")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "the build cache is not trusted" in result.stderr and "was not acted on" in result.stderr
    assert sorted(p.name for p in outside.parent.iterdir()) == listing and outside.read_bytes() == marker + b"\n"
    for folder in ("datapackages", "site", "docs"):
        for path in (out / folder).rglob("*"):
            assert not path.is_symlink(), path
            if path.is_file():
                assert marker not in path.read_bytes(), path
    assert (out / ".build-cache").is_dir() and not (out / ".build-cache").is_symlink()


def test_the_hand_written_docs_are_copied_without_following_a_link(tmp_path):
    source, target = tmp_path / "docs", tmp_path / "staging-docs"
    (source / "assets").mkdir(parents=True)
    (source / "metodologi.md").write_text("# Metodologi\n")
    (source / "assets" / "bocor.txt").symlink_to("/proc/self/environ")
    with pytest.raises(safe_files.Refused, match="symbolic link"):
        files.copy_handwritten_docs(source, target)
    assert not (target / "assets" / "bocor.txt").exists()


def test_the_demo_is_never_published_over_real_releases(tmp_path, capsys):
    out = tmp_path / "out"
    (out / "site").mkdir(parents=True)
    index = {"releases": [{"version": "2026.09.30", "synthetic": False}]}
    (out / "site" / "releases.json").write_text(json.dumps(index))
    before = tree_hashes(out)
    code = cli.main([*BUILD_ARGS, "--out", str(out)])
    err = capsys.readouterr().err
    assert code == cli.EXIT_BAD_INPUT and "holds releases built from real exports (2026.09.30)" in err
    assert tree_hashes(out) == before


# ---------------------------------------------------------------------------
# Private modes; caches and private files others can write
# ---------------------------------------------------------------------------


def test_private_files_are_600_and_folders_700_under_a_lax_umask(demo_output):
    for folder in (demo_output / "private", demo_output / ".build-cache"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
        for path in folder.rglob("*"):
            mode = stat.S_IMODE(path.lstat().st_mode)
            assert mode == (0o700 if path.is_dir() else 0o600), (path, oct(mode))
    published = next((demo_output / "datapackages").rglob("*.csv"))
    assert stat.S_IMODE(published.stat().st_mode) & 0o044  # public files stay readable


def test_a_cache_that_others_can_write_is_deleted_not_loaded(tmp_path):
    out = tmp_path / "out"
    (out / ".build-cache").mkdir(parents=True)
    pickle_file = out / ".build-cache" / "data.pickle"
    pickle_file.write_bytes(b"not loaded")
    os.chmod(pickle_file, 0o666)
    notes = publish.check_output_folder(out, caches=(".build-cache",))
    assert notes and "can be written by other users" in notes[0] and not (out / ".build-cache").exists()


def test_a_private_file_that_others_can_write_is_refused(tmp_path):
    out = tmp_path / "out"
    (out / "private").mkdir(parents=True)
    (out / "private" / "actor_ids.csv").write_text("fingerprint,actor_id\n")
    os.chmod(out / "private" / "actor_ids.csv", 0o646)
    with pytest.raises(safe_files.Refused, match="can be written by other users"):
        publish.check_output_folder(out)


# ---------------------------------------------------------------------------
# The workers of a killed build die with it
# ---------------------------------------------------------------------------


def _children(pid: int) -> set[int]:
    found = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            found |= {int(c) for c in (task / "children").read_text().split()}
    return found


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"
    except (OSError, IndexError):
        return False


def test_the_workers_of_a_killed_build_die_with_it_and_the_next_build_runs_at_once(previous_output):
    out, _ = previous_output
    process = subprocess.Popen(
        build_command(out, "--no-cache"),
        cwd=paths.REPO,
        env=build_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    workers: set[int] = set()
    try:
        wait_for(
            lambda: bool(workers.update(_children(process.pid)) or len(workers) >= 2),
            process,
            "two worker processes",
            timeout=600,
        )
    finally:
        os.kill(process.pid, signal.SIGKILL)  # the build alone, not its process group
        process.wait(timeout=60)
    deadline = time.monotonic() + 1.0
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not [w for w in workers if _alive(w)], "workers outlived the killed build"
    result = run_build(out)  # at once: no --wait needed, the lock is free
    assert result.returncode == 0, result.stderr[-3000:]


# ---------------------------------------------------------------------------
# Locked files (chattr +i: nobody, root included, may change or delete them)
# ---------------------------------------------------------------------------


@contextlib.contextmanager
def immutable(path: Path):
    done = subprocess.run(["chattr", "+i", str(path)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.fail(f"chattr +i is needed (root, on ext4 as CI has): {done.stderr.strip()}")
    try:
        yield path
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=False)


def test_a_locked_file_in_the_old_private_folder_is_reported_after_the_swap_not_fatal(previous_output):
    out, _ = previous_output
    with immutable(out / "private" / "review.xlsx"):
        result = run_build(out)
        assert result.returncode == 0, result.stderr[-3000:]
        assert "warning: the previous private/ was not deleted" in result.stderr
        assert (out / ".previous-private" / "review.xlsx").is_file()  # what could not be deleted, kept aside
        again = run_build(out)  # the leftover is in the way of nothing
        assert again.returncode == 0, again.stderr[-3000:]
        assert ".previous-private (left by an earlier build) was not deleted" in again.stderr
        assert not (out / ".previous-private-2").exists() and not (out / publish.JOURNAL).exists()


def test_a_locked_output_folder_before_the_commit_gives_exit_5_and_the_old_output(previous_output):
    out, _ = previous_output
    before = tree_hashes(out)
    with immutable(out / "private"):
        result = run_build(out)
        assert result.returncode == cli.EXIT_ENVIRONMENT, result.stderr[-3000:]
        assert "Operation not permitted" in result.stderr and "Traceback" not in result.stderr
        assert tree_hashes(out) == before
        assert not (out / publish.JOURNAL).exists() and not list(out.glob(".previous-*"))


def test_a_full_disk_in_the_forked_english_build_is_an_environment_failure_in_the_build(tmp_path):
    import errno

    from umkm.site import mkdocs as site_mkdocs

    def fill_the_disk():
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "site" / "en" / "index.html"))

    forked = site_mkdocs.Forked(fill_the_disk)
    with pytest.raises(OSError) as caught:
        forked.wait()
    assert caught.value.errno == errno.ENOSPC and caught.value.filename.endswith("index.html")
    assert "disk is full" in publish.environment_message(caught.value)
