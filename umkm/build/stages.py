"""The build's stages, declared: each a record with its name, its function, the fields of the build it reads and
writes, and whether it is a data stage (cached). The progress bar's total, the stages a cached rebuild skips, the
code outside the data-stage cache key and the README's stage table are all derived from STAGES; run() runs them.

A stage's function (umkm/build/stage_functions.py) takes the Build (the run's state, umkm/build/run_state.py) and
sets the fields named as its outputs. The data stages (ingest -> reconcile -> private outputs -> disclose -> package
-> catalogue) end in a DataResult, which the cache keeps (umkm/build/cache.py); the stages after them (the site, the
gates, publishing) run on every build.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from umkm.build.run_state import Build
from umkm.build.stage_functions import (
    cached_data,
    catalogue,
    demo_register,
    disclose,
    gate,
    ingest,
    mkdocs_build,
    package,
    private_outputs,
    publish,
    read_inputs,
    reconcile,
    site_pages,
)

FLOW = ("ingest", "reconcile", "disclose", "package", "catalogue", "site", "gates", "build")  # umkm/'s folders


@dataclass(frozen=True)
class Stage:
    """One stage of the build. ``inputs`` and ``outputs`` name fields of Build; ``folders`` the folders of umkm/
    whose code it runs (its own first); ``cached``: a data stage, skipped when the cache holds its result."""

    name: str
    function: Callable[[Build], None]
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]
    folders: tuple[str, ...]
    cached: bool = False
    only: str = ""  # "demo": a demo build only; "site": not with --no-site; "cache hit": only when the cache is used

    def runs(self, *, demo: bool, site: bool, cache_hit: bool) -> bool:
        if self.only == "cache hit":
            return cache_hit
        return not (self.cached and cache_hit) and (demo or self.only != "demo") and (site or self.only != "site")


INITIAL = ("args", "demo", "key", "out", "staging", "staff", "ref", "site", "timer", "swapped")  # before any stage
STAGES = (
    Stage(
        "read inputs",
        read_inputs,
        ("args", "demo", "key", "out"),
        ("raw", "cache_key", "data", "from_cache"),
        ("build", "ingest"),
    ),
    Stage("cached data", cached_data, ("data", "out", "staff"), (), ("build",), only="cache hit"),
    Stage(
        "demo register",
        demo_register,
        ("args", "ref", "staging"),
        ("raw", "generated"),
        ("ingest",),
        cached=True,
        only="demo",
    ),
    Stage(
        "ingest",
        ingest,
        ("raw", "args", "out", "staff"),
        ("exports", "mapping_frame", "previous_ids", "staff_decisions", "linkage_state"),
        ("ingest", "build"),
        cached=True,
    ),
    Stage(
        "reconcile",
        reconcile,
        ("exports", "ref", "previous_ids", "staff_decisions", "linkage_state", "generated"),
        ("snapshot", "reconciled", "summary", "report"),
        ("reconcile", "ingest", "build"),
        cached=True,
    ),
    Stage(
        "private outputs",
        private_outputs,
        ("reconciled", "exports", "staff_decisions", "snapshot", "mapping_frame", "linkage_state", "staging"),
        ("identifiers", "keys", "counts", "actors"),
        ("build", "reconcile", "disclose", "package", "gates"),
        cached=True,
    ),
    Stage(
        "disclose",
        disclose,
        ("actors", "keys", "ref", "snapshot", "out"),
        ("release_index", "release_folders", "disclosed", "fingerprint", "release", "microdata", "report"),
        ("disclose", "catalogue", "package", "build"),
        cached=True,
    ),
    Stage(
        "package",
        package,
        (
            "microdata",
            "disclosed",
            "report",
            "ref",
            "release",
            "site",
            "identifiers",
            "counts",
            "summary",
            "release_index",
            "release_folders",
        ),
        ("data",),
        ("package", "gates", "catalogue", "build"),
        cached=True,
    ),
    Stage("catalogue", catalogue, ("data", "site", "ref"), ("data",), ("catalogue",), cached=True, only="site"),
    Stage(
        "site pages",
        site_pages,
        ("data", "site", "ref", "staging", "out"),
        ("english",),
        ("site", "build"),
        only="site",
    ),
    Stage("mkdocs build", mkdocs_build, ("english", "staging"), ("swapped",), ("site",), only="site"),
    Stage("gates", gate, ("data", "staging"), (), ("gates", "build")),
    Stage("publish", publish, ("data", "cache_key", "swapped", "staff", "from_cache"), ("warnings",), ("build",)),
)
STAGE = {stage.name: stage for stage in STAGES}
# The folders whose code only the stages after the data stages run: outside the data-stage cache key.
SITE_ONLY_FOLDERS = frozenset(f for s in STAGES if not s.cached for f in s.folders) - frozenset(
    f for s in STAGES if s.cached for f in s.folders
)


def plan(*, demo: bool, site: bool, cache_hit: bool) -> list[Stage]:
    """The stages a build runs, in order."""
    return [s for s in STAGES if s.runs(demo=demo, site=site, cache_hit=cache_hit)]


def progress_total(*, demo: bool, site: bool) -> int:
    """The progress bar's total: the stages of a build without the cache (a cache hit fills the bar the same)."""
    return len(plan(demo=demo, site=site, cache_hit=False))


def run(b: Build) -> None:
    """Every stage of the build in order: after the first (read inputs, which looks for the cached result), the
    data stages, or the one stage that reuses their cached result."""
    site = not b.args.no_site
    full = plan(demo=b.demo, site=site, cache_hit=False)
    with b.timer.stage(full[0].name):
        full[0].function(b)
    planned = plan(demo=b.demo, site=site, cache_hit=b.from_cache)
    for stage in planned[1:]:
        with b.timer.stage(stage.name):
            stage.function(b)
        if stage.only == "cache hit":  # it stands for the data stages: the bar moves past them
            b.timer.bar.update(len(full) - len(planned))
