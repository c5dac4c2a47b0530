"""The build's declared stage list (umkm/build/stages.py): what is derived from it (the progress total, the stages a
cached rebuild skips, the code outside the data-stage cache key) and the cache key itself (issue 18, defect 2)."""

from __future__ import annotations

import dataclasses
import shutil
from types import SimpleNamespace

import pytest

from umkm import paths
from umkm.build import cache, cli, run_state, stages

BUILDS = [(demo, site) for demo in (True, False) for site in (True, False)]


@pytest.mark.parametrize(("demo", "site"), BUILDS)
def test_the_progress_total_is_the_stages_a_build_runs(demo, site):
    """As counted by hand before: 11 stages with the site, 8 without, one more for the demo register."""
    assert stages.progress_total(demo=demo, site=site) == (11 if site else 8) + demo


@pytest.mark.parametrize(("demo", "site"), BUILDS)
@pytest.mark.parametrize("cache_hit", [False, True])
def test_every_stage_reads_only_what_is_set_before_it(demo, site, cache_hit):
    have = set(stages.INITIAL) | {o for s in stages.STAGES if s.only == "demo" for o in s.outputs}  # None if not
    fields = {f.name for f in dataclasses.fields(run_state.Build)}
    for stage in stages.plan(demo=demo, site=site, cache_hit=cache_hit):
        assert set(stage.inputs) <= have, (stage.name, set(stage.inputs) - have)
        assert set(stage.inputs) | set(stage.outputs) <= fields, stage.name
        have |= set(stage.outputs)


def test_the_data_stages_follow_the_first_and_only_the_site_is_outside_the_cache_key():
    names = [s.name for s in stages.STAGES if s.cached]
    assert names == ["demo register", "ingest", "reconcile", "private outputs", "disclose", "package", "catalogue"]
    first = [s.name for s in stages.plan(demo=True, site=True, cache_hit=False)]
    assert first[1 : 1 + len(names)] == names and first[0] == "read inputs"
    assert stages.SITE_ONLY_FOLDERS == {"site"}


@pytest.mark.parametrize(("demo", "site"), BUILDS)
@pytest.mark.parametrize("cache_hit", [False, True])
def test_the_runner_runs_the_planned_stages_and_fills_the_bar(monkeypatch, demo, site, cache_hit):
    ran = []

    def fake(stage):
        def function(b):
            ran.append(stage.name)
            if stage.name == "read inputs":
                b.from_cache = cache_hit

        return dataclasses.replace(stage, function=function)

    monkeypatch.setattr(stages, "STAGES", tuple(fake(s) for s in stages.STAGES))
    timer = run_state.Timer(quiet=False, total=stages.progress_total(demo=demo, site=site))  # quiet: no count
    build = SimpleNamespace(args=SimpleNamespace(no_site=not site), demo=demo, timer=timer, from_cache=False)
    stages.run(build)
    assert ran == [s.name for s in stages.plan(demo=demo, site=site, cache_hit=cache_hit)]
    assert ("cached data" in ran) == cache_hit and ("demo register" in ran) == (demo and not cache_hit)
    assert timer.bar.n == timer.bar.total
    timer.close()


def test_the_cache_key_sees_every_data_stage_module_in_any_subfolder_and_not_the_site(tmp_path, monkeypatch):
    """Defect 2: the key hashed umkm/*.py only, so a change in umkm/reconcile/ (or deeper) reused a stale result.
    Run on a copy of the package."""
    package = tmp_path / "umkm"
    shutil.copytree(paths.PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(paths, "PACKAGE", package)
    args = cli.parse_args([])

    def key() -> str:
        return cache.data_cache_key(args, "kunci", None, outside=stages.SITE_ONLY_FOLDERS)

    first = key()
    assert key() == first
    site_module = package / "site" / "pages.py"
    site_module.write_text(site_module.read_text(encoding="utf-8") + "\n# a change to the site only\n")
    assert key() == first
    module = package / "reconcile" / "normalise.py"
    module.write_text(module.read_text(encoding="utf-8") + "\n# a change to a data stage\n")
    changed = key()
    assert changed != first
    (package / "disclose" / "deeper").mkdir()
    (package / "disclose" / "deeper" / "helper.py").write_text("LIMIT = 5\n")
    assert key() not in (first, changed)
