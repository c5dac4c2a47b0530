#!/usr/bin/env python3
"""Time build_data.py's "private outputs" and "gates" stages on saved inputs, with their peak memory.

    # ingest + reconcile once, keep what the private outputs stage reads (a pickle, private data):
    .venv/bin/python bench/private_driver.py prepare --ods ODS.csv --oss OSS.csv --pickle /tmp/priv.pkl
    # the private outputs stage on it (writes OUT/private/):
    .venv/bin/python bench/private_driver.py private --pickle /tmp/priv.pkl --out /tmp/priv-out [--profile]
    # the gates stage on a finished build's output folder (identifiers from its .build-cache/):
    .venv/bin/python bench/private_driver.py gates --out /tmp/p1m [--profile]

The peak RSS is sampled every 50 ms during the stage, as build_data.py's --timings-json does
("before" is the RSS when the stage starts). Not a test: it measures, it asserts nothing.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import pickle
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def prepare(args) -> None:
    import pandas as pd

    from umkm import paths, reference
    from umkm.build import files, private
    from umkm.ingest import exports as ingest
    from umkm.reconcile import register as reconcile

    ref = reference.load()
    raw = files.read_exports(args.ods, args.oss)
    mapping_frame = pd.read_csv(paths.HEADER_MAPPING, dtype=str, keep_default_na=False)
    mapping = ingest.build_header_mapping(mapping_frame)
    _, staff_decisions = private.read_private_state(Path("/nonexistent"))
    exports = {source: ingest.parse_export(data, name, source, mapping) for source, (data, name) in raw.items()}
    del raw
    start = time.perf_counter()
    reconciled = reconcile.reconcile(exports["ods"], exports["oss"], ref, staff_decisions=staff_decisions)
    print(f"reconcile {time.perf_counter() - start:.1f} s", file=sys.stderr)
    with args.pickle.open("wb") as stream:
        pickle.dump(
            {
                "exports": exports,
                "reconciled": reconciled,
                "staff_decisions": staff_decisions,
                "snapshot": reconciled.rows["tanggal_input"].max(),
                "mapping_frame": mapping_frame,
            },
            stream,
            protocol=pickle.HIGHEST_PROTOCOL,
        )


def _measured(name: str, run, profile: bool):
    from umkm.build import run_state

    stages = run_state.Timer(quiet=True, total=1)
    before = run_state.rss_bytes()
    cpu_before = os.times()
    if profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        with stages.stage(name):
            result = profiler.runcall(run)
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(35)
    else:
        with stages.stage(name):
            result = run()
    cpu = [after - earlier for after, earlier in zip(os.times(), cpu_before)]
    print(
        f"{name}: {stages.times[name]:.2f} s, RSS before {before / 2**30:.2f} GiB, "
        f"peak {stages.peak_rss[name] / 2**30:.2f} GiB; CPU {cpu[0] + cpu[1]:.1f} s, "
        f"of its worker processes {cpu[2] + cpu[3]:.1f} s",
        file=sys.stderr,
    )
    return result


def private(args) -> None:
    from umkm import paths
    from umkm.build import private as build_private

    with args.pickle.open("rb") as stream:
        state = pickle.load(stream)
    folder = args.out / paths.PRIVATE
    folder.mkdir(parents=True, exist_ok=True)
    exports, reconciled = state.pop("exports"), state.pop("reconciled")
    _measured(
        "private outputs",
        lambda: build_private.write_private_outputs(
            folder, reconciled, exports, state["staff_decisions"], state["snapshot"], state["mapping_frame"]
        ),
        args.profile,
    )
    for path in sorted(folder.iterdir()):
        print(f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {path.name}")


def gates(args) -> None:
    from umkm import paths
    from umkm.build import cache
    from umkm.gates import scanner

    with (args.out / cache.CACHE / "data.pickle").open("rb") as stream:
        identifiers = pickle.load(stream)["identifiers"]
    folders = [args.out / paths.DATAPACKAGES, args.out / paths.SITE, args.out / paths.GENERATED_DOCS]
    leaks = _measured("gates", lambda: scanner.scan_identifiers(folders, identifiers), args.profile)
    print(f"{len(leaks)} leaks", *leaks[:10], sep="\n", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("what", choices=["prepare", "private", "gates"])
    parser.add_argument("--ods", type=Path)
    parser.add_argument("--oss", type=Path)
    parser.add_argument("--pickle", type=Path)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--profile", action="store_true", help="cProfile the stage (slower), top 35 by cumulative")
    args = parser.parse_args()
    {"prepare": prepare, "private": private, "gates": gates}[args.what](args)


if __name__ == "__main__":
    main()
