#!/usr/bin/env python3
"""Time ingest and reconcile.reconcile on an ODS/OSS export pair, step by step, and report peak memory.

    .venv/bin/python bench/reconcile_driver.py --ods /work/bench-inputs/r250000/ods.csv \
        --oss /work/bench-inputs/r250000/oss.csv
    .venv/bin/python bench/reconcile_driver.py --ods ... --oss ... --digest /tmp/r.json   # hash of every output
    .venv/bin/python bench/reconcile_driver.py --ods ... --oss ... --rerun                # again, with the ids of run 1
    .venv/bin/python bench/reconcile_driver.py --ods ... --oss ... --profile /tmp/r.prof

Each step (normalise ODS and OSS, fingerprints, exclusion reasons, scoring the pairs in
splink, clustering, merging the clusters, assigning ids, decisions, id map) is timed by
wrapping the module function that does it, so the driver runs the real reconcile(); a
step nested in another (score_pairs and cluster in link, assign_ids in merge) is printed
indented, and "other" is what the top-level steps leave of the whole. CPU seconds are
the process's (DuckDB's threads included). --rerun runs reconcile a second time with the
first run's id map as the previous ids (the nightly case); its outputs are hashed too.
--digest writes the sha256 of decisions.csv, register.parquet and actor_ids.csv as
build_data writes them, and of the rows and pairs frames (CSV text and dtypes).

Not a test: it measures, it asserts nothing. The peak RSS is the process's (ru_maxrss),
which includes the raw bytes and the parsed exports.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import io
import json
import resource
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.common import frame_hash  # noqa: E402

# (module, function, nested in): the steps of reconcile() as the modules name them.
STEPS = (
    ("reconcile", "_normalise_ods", None),
    ("reconcile", "_normalise_oss", None),
    ("identity", "fingerprints", None),
    ("exclusions", "set_aside", None),
    ("reconcile", "_link", None),
    ("linkage", "score_pairs", "_link"),
    ("linkage", "cluster", "_link"),
    ("reconcile", "_merge_clusters", None),
    ("identity", "assign_ids", "_merge_clusters"),
    ("reconcile", "_decisions", None),
    ("identity", "id_map", None),
)


class Timer:
    def __init__(self):
        self.seconds: dict[str, list[float]] = {}

    def wrap(self, module, name: str) -> None:
        function = getattr(module, name)  # a step renamed away must not go untimed unnoticed

        @functools.wraps(function)
        def timed(*args, **kwargs):
            start, cpu = time.perf_counter(), time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                spent = self.seconds.setdefault(name, [0.0, 0.0])
                spent[0] += time.perf_counter() - start
                spent[1] += time.process_time() - cpu

        setattr(module, name, timed)


def digest(result) -> dict[str, str]:
    """The files build_data writes from the result, and the frames handed on to quality and review."""

    def sha(data: bytes) -> str:
        return hashlib.sha256(data).hexdigest()

    from umkm import xlsx

    parquet = io.BytesIO()
    result.register.drop(columns=["_cluster"]).to_parquet(parquet, index=False)
    return {
        "decisions.csv": sha(xlsx.plain_csv_bytes(result.decisions)),
        "register.parquet": sha(parquet.getvalue()),
        "actor_ids.csv": sha(xlsx.plain_csv_bytes(result.id_map)),
        "register": frame_hash(result.register),
        "rows": frame_hash(result.rows),
        "pairs": frame_hash(result.pairs),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ods", type=Path, required=True)
    parser.add_argument("--oss", type=Path, required=True)
    parser.add_argument("--digest", type=Path, help="write the hash of every output here (JSON)")
    parser.add_argument("--rerun", action="store_true", help="run reconcile again with the first run's ids")
    parser.add_argument("--profile", type=Path, help="write cProfile stats of the (first) reconcile here")
    args = parser.parse_args(argv)

    import pandas as pd

    from umkm import paths, reference
    from umkm.ingest import exports as ingest
    from umkm.reconcile import exclusions, identity, linkage
    from umkm.reconcile import register as reconcile

    modules = {"reconcile": reconcile, "exclusions": exclusions, "identity": identity, "linkage": linkage}
    timer = Timer()
    for module, name, _ in STEPS:
        timer.wrap(modules[module], name)

    ref = reference.load()
    start, cpu = time.perf_counter(), time.process_time()
    mapping = ingest.build_header_mapping(pd.read_csv(paths.HEADER_MAPPING, dtype=str, keep_default_na=False))
    exports = {
        source: ingest.parse_export(path.read_bytes(), path.name, source, mapping)
        for source, path in (("ods", args.ods), ("oss", args.oss))
    }
    ingest_seconds = (time.perf_counter() - start, time.process_time() - cpu)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    runs, digests = [], {}
    previous = None
    for run in range(2 if args.rerun else 1):
        timer.seconds = {}
        profiler = None
        if args.profile and run == 0:
            import cProfile

            profiler = cProfile.Profile()
            profiler.enable()
        start, cpu = time.perf_counter(), time.process_time()
        result = reconcile.reconcile(exports["ods"], exports["oss"], ref, previous_ids=previous)
        total = (time.perf_counter() - start, time.process_time() - cpu)
        if profiler:
            profiler.disable()
            profiler.dump_stats(args.profile)
        steps = {name: [round(s, 2) for s in timer.seconds.get(name, (0.0, 0.0))] for _, name, _ in STEPS}
        top = [timer.seconds.get(name, (0.0, 0.0)) for _, name, parent in STEPS if parent is None]
        steps["other"] = [round(total[0] - sum(t[0] for t in top), 2), round(total[1] - sum(t[1] for t in top), 2)]
        runs.append(
            {
                "run": run + 1,
                "seconds": round(total[0], 2),
                "cpu_seconds": round(total[1], 2),
                "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
                "steps (wall, cpu)": steps,
            }
        )
        if args.digest:
            digests[f"run{run + 1}"] = digest(result)
        previous = dict(zip(result.id_map["fingerprint"], result.id_map["actor_id"]))
        counts = {"rows": len(result.rows), "actors": len(result.register), "pairs": len(result.pairs)}
        del result

    print(
        json.dumps(
            {
                **counts,
                "ingest (wall, cpu)": [round(s, 2) for s in ingest_seconds],
                "peak_rss_mib_after_ingest": round(rss_before / 1024),
            }
        )
    )
    for run in runs:
        steps = run.pop("steps (wall, cpu)")
        print(json.dumps(run))
        for _, name, parent in STEPS:
            print(
                f"  {'  ' if parent else ''}{name:<{20 if parent else 22}} wall {steps[name][0]:7.2f}  "
                f"cpu {steps[name][1]:7.2f}"
            )
        print(f"  {'other':<22} wall {steps['other'][0]:7.2f}  cpu {steps['other'][1]:7.2f}")
    if args.digest:
        args.digest.write_text(json.dumps(digests, indent=1, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
