"""Fixtures shared by the test modules: one published site per test session (two releases), served like
GitHub Pages; and one small demo build per session for the tests that need a real build's output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.static_host import PagesHost
from tests.support import tree_hashes
from umkm import paths

SUB_PATH = "data-umkm"
FIRST, SECOND = "2026.09.30", "2026.10.31"
CONTACT = "data-umkm@example.org"
DEMO_BUILD_ARGS = ["--demo-rows", "1500", "--quiet"]


@pytest.fixture(scope="session", autouse=True)
def shared_png_renders(tmp_path_factory):
    """One folder of PNG renders for every build of the session (in this process and its forks): a build
    draws a chart only if no earlier build drew the same SVG. A build keeps its renders by content in
    OUT/.build-cache/png (umkm/site/images.py); here the session's folder stands in for that folder, so that
    builds into fresh folders share them. Any other render (no cache, or another folder) is left as it is."""
    from umkm.build import cache as build_cache
    from umkm.site import images

    base = tmp_path_factory.getbasetemp()
    shared = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "png-renders"
    shared.mkdir(exist_ok=True)
    render = images.render_png

    def render_png(svg, *, scale=images.SCALE, cache=None, crisp_text=False):
        if (
            cache is not None
            and Path(cache).name == build_cache.PNG_CACHE
            and Path(cache).parent.name == build_cache.CACHE
        ):
            cache = shared
        return render(svg, scale=scale, cache=cache, crisp_text=crisp_text)

    render_png.__wrapped__ = render  # for a test that must draw every PNG itself
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(images, "render_png", render_png)
        yield shared


@pytest.fixture(scope="session")
def published(tmp_path_factory):
    """Two demo releases built into one --out folder (1,200 ODS rows on 2026-09-30, then 1,300 on 2026-10-31),
    the site served by a GitHub-Pages-like host under /data-umkm/ at the address the build was told
    (UMKM_SITE_URL), so every absolute URL the site prints can be fetched here. ``first`` keeps what the
    first build published (less its folders' pages, removed as if it predated them), to compare with what
    the second carried forward."""
    from umkm.build import cli

    out = tmp_path_factory.mktemp("published")
    host = PagesHost(out / "site", SUB_PATH)
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.delenv("UMKM_PSEUDONYM_KEY", raising=False)  # the demo key
            patch.setenv("UMKM_SITE_URL", host.base_url.rstrip("/"))  # the trailing slash is added
            patch.setenv("UMKM_CONTACT_EMAIL", CONTACT)
            assert cli.main(["--out", str(out), "--demo-rows", "1200", "--snapshot-date", "2026-09-30", "--quiet"]) == 0
            # as a release published before its folders had pages: the second build must give them theirs
            for page in [
                out / "site" / "unduh" / FIRST / "index.html",
                *(out / "site" / "unduh" / FIRST).glob("*/index.html"),
            ]:
                page.unlink()
            first = SimpleNamespace(
                unduh=tree_hashes(out / "site" / "unduh" / FIRST),
                feed=(out / "site" / "feed.xml").read_bytes(),
                descriptors={
                    p.parent.name: json.loads(p.read_text()) for p in (out / "datapackages").glob("*/datapackage.json")
                },
            )
            assert cli.main(["--out", str(out), "--demo-rows", "1300", "--snapshot-date", "2026-10-31", "--quiet"]) == 0
        yield SimpleNamespace(
            out=out, site=out / "site", docs=out / "docs", base=host.base_url, first=first, versions=(FIRST, SECOND)
        )
    finally:
        host.close()


@pytest.fixture(scope="session")
def demo_output(tmp_path_factory, shared_png_renders) -> Path:
    """A small demo build (site included), made once per test session; copy it before changing it."""
    import shutil

    out = tmp_path_factory.mktemp("demo-output") / "out"
    env = {k: v for k, v in os.environ.items() if k != "UMKM_PSEUDONYM_KEY"}  # the demo key
    result = subprocess.run(
        [sys.executable, str(paths.REPO / "build_data.py"), *DEMO_BUILD_ARGS, "--out", str(out)],
        cwd=paths.REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert (out / "datapackages").is_dir() and (out / "private").is_dir() and (out / "site").is_dir()
    # its renders (made in a process of its own) for the session's later builds of the same charts
    shutil.copytree(out / ".build-cache" / "png", shared_png_renders, dirs_exist_ok=True)
    return out


@pytest.fixture
def previous_output(demo_output, tmp_path) -> tuple[Path, dict[str, str]]:
    """A copy of the demo build, as the previous output of the next build, with the hashes of its files."""
    import shutil

    out = tmp_path / "out"
    shutil.copytree(demo_output, out, symlinks=True)
    before = tree_hashes(out)
    assert len(before) > 50
    return out, before
