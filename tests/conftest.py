"""Fixtures shared by the test modules: one published site per test session (two releases), served like
GitHub Pages."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from tests.static_host import PagesHost
from tests.support import tree_hashes

SUB_PATH = "data-umkm"
FIRST, SECOND = "2026.09.30", "2026.10.31"
CONTACT = "data-umkm@example.org"


@pytest.fixture(scope="session")
def published(tmp_path_factory):
    """Two demo releases built into one --out folder (1,200 ODS rows on 2026-09-30, then 1,300 on 2026-10-31),
    the site served by a GitHub-Pages-like host under /data-umkm/ at the address the build was told
    (UMKM_SITE_URL), so every absolute URL the site prints can be fetched here. ``first`` keeps what the
    first build published (less its folders' pages, removed as if it predated them), to compare with what
    the second carried forward."""
    import build_data

    out = tmp_path_factory.mktemp("published")
    host = PagesHost(out / "site", SUB_PATH)
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.delenv("UMKM_PSEUDONYM_KEY", raising=False)  # the demo key
            patch.setenv("UMKM_SITE_URL", host.base_url.rstrip("/"))  # the trailing slash is added
            patch.setenv("UMKM_CONTACT_EMAIL", CONTACT)
            assert build_data.main(["--out", str(out), "--demo-rows", "1200", "--snapshot-date", "2026-09-30",
                                    "--quiet"]) == 0
            # as a release published before its folders had pages: the second build must give them theirs
            for page in [out / "site" / "unduh" / FIRST / "index.html",
                         *(out / "site" / "unduh" / FIRST).glob("*/index.html")]:
                page.unlink()
            first = SimpleNamespace(unduh=tree_hashes(out / "site" / "unduh" / FIRST),
                                    feed=(out / "site" / "feed.xml").read_bytes(),
                                    descriptors={p.parent.name: json.loads(p.read_text()) for p in
                                                 (out / "datapackages").glob("*/datapackage.json")})
            assert build_data.main(["--out", str(out), "--demo-rows", "1300", "--snapshot-date", "2026-10-31",
                                    "--quiet"]) == 0
        yield SimpleNamespace(out=out, site=out / "site", docs=out / "docs", base=host.base_url, first=first,
                              versions=(FIRST, SECOND))
    finally:
        host.close()
