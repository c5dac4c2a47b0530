"""Fixtures shared by the test modules that need a real build's output."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from umkm import paths

DEMO_BUILD_ARGS = ["--demo-rows", "1500", "--quiet"]


@pytest.fixture(scope="session")
def demo_output(tmp_path_factory) -> Path:
    """A small demo build (site included), made once per test session; copy it before changing it."""
    out = tmp_path_factory.mktemp("demo-output") / "out"
    env = {k: v for k, v in os.environ.items() if k != "UMKM_PSEUDONYM_KEY"}  # the demo key
    result = subprocess.run([sys.executable, str(paths.REPO / "build_data.py"), *DEMO_BUILD_ARGS, "--out", str(out)],
                            cwd=paths.REPO, env=env, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]
    assert (out / "datapackages").is_dir() and (out / "private").is_dir() and (out / "site").is_dir()
    return out


@pytest.fixture
def previous_output(demo_output, tmp_path) -> tuple[Path, dict[str, str]]:
    """A copy of the demo build, as the previous output of the next build, with the hashes of its files."""
    import shutil

    from tests.support import tree_hashes

    out = tmp_path / "out"
    shutil.copytree(demo_output, out, symlinks=True)
    before = tree_hashes(out)
    assert len(before) > 50
    return out, before
