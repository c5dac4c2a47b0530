"""Atomic output: a build that is killed, or whose gate fails, leaves the previous output as it was.

Everything is built in OUT/.staging and swapped in only when every gate passed; these tests
kill a real build (SIGKILL, no chance to clean up) while it writes into .staging, and make a
gate fail, then compare every file of the previous output byte for byte.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from umkm import paths
from umkm.build import cli
from umkm.gates import scanner, validation
from umkm.package import release_packages

BUILD_ARGS = ["--demo-rows", "1500", "--quiet"]
SWAPPED = ("datapackages", "private", "site", "docs")


def tree_hashes(folder: Path) -> dict[str, str]:
    """Every file of the output (what a build swaps in), by path, with its sha256."""
    hashes = {}
    for name in SWAPPED:
        for path in sorted((folder / name).rglob("*")):
            if path.is_file():
                hashes[str(path.relative_to(folder))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return hashes


def build_command(out: Path) -> list[str]:
    return [sys.executable, str(paths.REPO / "build_data.py"), *BUILD_ARGS, "--out", str(out)]


def build_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "UMKM_PSEUDONYM_KEY"}  # the demo key
    env["PYTHONUNBUFFERED"] = "1"
    return env


@pytest.fixture
def previous(previous_output) -> tuple[Path, dict[str, str]]:
    out, _ = previous_output  # tests/conftest.py: a copy of the demo build shared by the modules that need one
    return out, tree_hashes(out)


def _files_under(folder: Path) -> bool:
    try:
        return any(p.is_file() for p in folder.rglob("*"))
    except FileNotFoundError:  # a folder vanished while we looked: not yet
        return False


KILL_POINTS = {
    # .staging exists and the build has written its first file into it
    "staging-written": lambda staging: _files_under(staging),
    # the data packages are being written into .staging
    "packages-written": lambda staging: (staging / "datapackages").is_dir() and _files_under(staging / "datapackages"),
    # the MkDocs site is being built into .staging (a site build only)
    "site-building": lambda staging: (staging / "site").is_dir(),
}


def kill_build_when(out: Path, point: str, timeout: float = 300) -> None:
    """Start a build into ``out`` and SIGKILL it (and only it) once ``point`` is reached."""
    staging = out / ".staging"
    process = subprocess.Popen(
        build_command(out),
        cwd=paths.REPO,
        env=build_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + timeout
        while not KILL_POINTS[point](staging):
            if process.poll() is not None:
                pytest.fail(f"the build ended (exit {process.returncode}) before reaching {point}")
            if time.monotonic() > deadline:
                pytest.fail(f"the build did not reach {point} in {timeout} s")
            time.sleep(0.005)
        os.killpg(process.pid, signal.SIGKILL)  # the group of the build we started, nothing else
        process.wait(timeout=60)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL


def test_a_build_killed_midway_leaves_every_file_of_the_previous_output(previous):
    out, before = previous
    points = ["staging-written", "site-building" if (out / "site").is_dir() else "packages-written"]
    for point in points:
        kill_build_when(out, point)
        assert (out / ".staging").is_dir(), f"{point}: the killed build left no .staging (was it killed?)"
        assert tree_hashes(out) == before, f"killed at {point}: the previous output changed"
        assert not [p.name for p in out.iterdir() if p.name.startswith(".previous-")]

    # The next build clears the leftover .staging and succeeds.
    leftover = out / ".staging" / "leftover-from-the-killed-build.txt"
    leftover.write_text("x")
    result = subprocess.run(
        build_command(out), cwd=paths.REPO, env=build_env(), capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert not (out / ".staging").exists()
    after = tree_hashes(out)
    assert set(after) >= {k for k in before if not k.startswith("private/")}
    assert not [p for p in out.rglob("leftover-from-the-killed-build.txt")]


def test_a_failing_identifier_gate_exits_3_and_publishes_nothing(previous, monkeypatch, capsys):
    out, before = previous
    monkeypatch.delenv("UMKM_PSEUDONYM_KEY", raising=False)
    monkeypatch.setattr(
        scanner, "scan_identifiers", lambda folders, identifiers, **options: ["site/index.html: number 6471…"]
    )
    code = cli.main([*BUILD_ARGS, "--no-site", "--no-cache", "--out", str(out)])  # the gate runs without the site too
    err = capsys.readouterr().err
    assert code == cli.EXIT_GATE_FAILED == 3
    assert "gate failed, nothing published" in err and "6471…" in err
    assert tree_hashes(out) == before
    assert not (out / ".staging").exists()


def test_a_failing_validation_gate_exits_3_and_publishes_nothing(previous, monkeypatch, capsys):
    out, before = previous
    monkeypatch.delenv("UMKM_PSEUDONYM_KEY", raising=False)
    monkeypatch.setattr(
        validation.PackageValidation, "errors", lambda self: ["umkm-statistik/menurut_kecamatan: type error"]
    )
    code = cli.main([*BUILD_ARGS, "--no-site", "--no-cache", "--out", str(out)])
    assert code == cli.EXIT_GATE_FAILED
    assert "frictionless validation failed" in capsys.readouterr().err
    assert tree_hashes(out) == before
    assert not (out / ".staging").exists()


def test_a_crash_midway_leaves_the_previous_output(previous, monkeypatch):
    out, before = previous
    monkeypatch.delenv("UMKM_PSEUDONYM_KEY", raising=False)

    def crash(*args, **kwargs):
        raise RuntimeError("disk full (simulated)")

    monkeypatch.setattr(release_packages, "build_packages", crash)
    with pytest.raises(RuntimeError, match="simulated"):
        cli.main([*BUILD_ARGS, "--no-site", "--no-cache", "--out", str(out)])
    assert tree_hashes(out) == before
    assert not (out / ".staging").exists()


def test_a_failing_strict_mkdocs_build_exits_3_with_one_plain_line_and_publishes_nothing(previous, tmp_path):
    """Defect 1 of issue 18: the strict MkDocs build is a gate. A hand-written page with a broken link (in a copy of
    docs/) fails it: the command exits 3 with one plain error line, no traceback, and publishes nothing."""
    out, before = previous
    docs = tmp_path / "docs"
    shutil.copytree(paths.DOCS, docs, symlinks=True)
    page = docs / "tentang.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n[halaman yang hilang](tidak-ada.md)\n", encoding="utf-8")
    driver = (
        "import sys; from pathlib import Path; from umkm import paths; paths.DOCS = Path(sys.argv[1]); "
        "from umkm.build import cli; cli.cli(sys.argv[2:])"
    )
    result = subprocess.run(
        [sys.executable, "-c", driver, str(docs), *BUILD_ARGS, "--out", str(out)],
        cwd=paths.REPO,
        env=build_env(),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == cli.EXIT_GATE_FAILED == 3, result.stderr[-3000:]
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    errors = [line for line in result.stderr.splitlines() if line.startswith("build_data.py: error:")]
    assert len(errors) == 1 and "gate failed, nothing published" in errors[0], result.stderr[-3000:]
    assert "tidak-ada.md" in result.stderr, result.stderr[-3000:]
    assert tree_hashes(out) == before
    assert not (out / ".staging").exists()
