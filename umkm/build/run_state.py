"""One run of the build: the Build handed from stage to stage (the state the stages read and set, umkm/build/stages.py
names the fields each reads and writes), the DataResult the data stages end in (the cache keeps it,
umkm/build/cache.py) and the Timer that times each stage, samples its peak memory and shows progress."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from umkm import paths


def rss_bytes() -> int:
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:  # not Linux: no per-stage memory figure
        return 0


class Timer:
    """Times each stage, samples its peak memory (RSS) and shows progress."""

    def __init__(self, quiet: bool, total: int):
        from tqdm import tqdm

        self.times: dict[str, float] = {}
        self.peak_rss: dict[str, int] = {}
        self.png: dict[str, float] = {}  # PNG images of the site pages stage: rendered, from the cache, seconds
        self.bar = tqdm(
            total=total,
            disable=quiet,
            unit="stage",
            file=sys.stderr,
            bar_format="{desc:<28}{bar:20}| {n_fmt}/{total_fmt} [{elapsed}]",
        )

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        import threading

        self.bar.set_description(name)
        peak = [rss_bytes()]
        done = threading.Event()

        def sample():
            while not done.wait(0.05):
                peak[0] = max(peak[0], rss_bytes())

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        start = time.perf_counter()
        try:
            yield
        finally:
            done.set()
            sampler.join()
        self.times[name] = round(time.perf_counter() - start, 3)
        self.peak_rss[name] = max(peak[0], rss_bytes())
        self.bar.update(1)

    def close(self) -> None:
        self.bar.close()


@dataclass
class DataResult:
    """What the data stages hand to the site and the gates (private: it holds the identifiers)."""

    release: Any  # package.Release
    release_index: list
    release_folders: dict
    packages: list
    tables: dict
    magnitude: dict
    report: Any  # DataFrame: the data-quality report
    identifiers: Any  # gates.Identifiers
    counts: dict
    catalogue: Any = None  # catalogue.Catalogue of a site build: downloads, DCAT, data.json, feed
    clean_files: dict = field(default_factory=dict)  # content digest -> no identifier found (gates memo)
    input_summary: list = field(default_factory=list)  # lines: rows read per sheet, rows skipped and why


@dataclass
class Build:
    """One build's state, handed from stage to stage: the first fields are set before any stage, the others are
    the stages' outputs (Stage.outputs names them)."""

    args: Any  # argparse.Namespace of umkm/build/cli.py
    demo: bool
    key: str
    out: Path
    staging: Path
    staff: Any  # publish.StaffWorkbook
    ref: Any  # reference.Reference
    site: Any  # catalogue.Config: the site's address and contact (cited in the workbooks too)
    timer: Timer
    # read inputs, demo register, ingest
    raw: Any = None
    cache_key: str = ""
    generated: Any = None  # the demo register's own snapshot date
    exports: Any = None
    mapping_frame: Any = None
    previous_ids: Any = None
    staff_decisions: Any = None
    linkage_state: Any = None
    # reconcile, private outputs
    snapshot: Any = None
    reconciled: Any = None
    summary: list = field(default_factory=list)
    report: Any = None
    identifiers: Any = None
    keys: Any = None
    counts: dict = field(default_factory=dict)
    actors: Any = None
    # disclose, package, catalogue
    release_index: list = field(default_factory=list)
    release_folders: dict = field(default_factory=dict)
    disclosed: Any = None
    fingerprint: str = ""
    release: Any = None
    microdata: Any = None
    data: DataResult | None = None  # the data stages' result (from the cache on a cache hit)
    from_cache: bool = False
    # site pages, mkdocs build, publish
    english: Any = None
    swapped: list = field(default_factory=lambda: [paths.DATAPACKAGES, paths.PRIVATE])
    warnings: list = field(default_factory=list)

    def result(self) -> DataResult:
        if self.data is None:
            raise RuntimeError("no data stage has run")
        return self.data
