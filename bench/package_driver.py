"""Time the package stage of build_data.py on a microdata table of any size.

The demo register is built up to disclose once (cached with pickle, as the stage's input); its
microdata is then copied ``--copies`` times with fresh pseudonyms (17 copies: about 870,000 rows,
what 1,000,000 ODS rows give) and the stage runs as build_data.py runs it: descriptors and CSVs,
written; frictionless validation in worker processes while the Parquet files and workbooks are
made and written. Prints one JSON line: seconds, CPU seconds of the main process (by phase and
format) and of the workers, peak RSS of the main process (sampled) and of the largest worker, and
an estimate of the wall time on two idle cores: the main process's CPU before the workers start,
plus half of all CPU after (main and workers then share both cores; the estimate assumes they
keep both busy until the end, which the slices are cut for).

    .venv/bin/python bench/package_driver.py --copies 17 --out /tmp/package-bench
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import pickle
import resource
import shutil
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pandas as pd  # noqa: E402

from umkm import paths, reference, vocabulary
from umkm.build import cli, files, private, run_state  # noqa: E402
from umkm.disclose import anonymise as disclose
from umkm.gates import validation
from umkm.ingest import exports as ingest
from umkm.ingest import synthetic  # noqa: E402
from umkm.package import formats as package_formats
from umkm.package import packages as package
from umkm.package import release_packages
from umkm.reconcile import quality
from umkm.reconcile import register as reconcile


def stage_input(cache: Path) -> dict:
    """What the package stage gets from the demo build: disclosed tables, quality report, release."""
    if cache.exists():
        with cache.open("rb") as file:
            return pickle.load(file)
    args = cli.parse_args([])
    ref = reference.load()
    register = synthetic.generate(ref, seed=args.demo_seed, ods_rows=args.demo_rows, noise=args.demo_noise)
    written = synthetic.write(register, cache.parent / "demo-input", formats=("csv",))
    mapping = ingest.build_header_mapping(pd.read_csv(paths.HEADER_MAPPING, dtype=str, keep_default_na=False))
    exports = {s: ingest.parse_export(written[f"{s}.csv"].read_bytes(), f"{s}.csv", s, mapping) for s in ("ods", "oss")}
    previous_ids, staff = private.read_private_state(cache.parent / "no-private-state")
    reconciled = reconcile.reconcile(
        exports["ods"], exports["oss"], ref, previous_ids=previous_ids, staff_decisions=staff
    )
    release = package.Release(
        version=package.release_version(register.snapshot_date),
        snapshot_date=pd.Timestamp(register.snapshot_date),
        is_demo=True,
    )
    keys = private.record_keys(
        cache.parent / "no-private-state", reconciled.register["actor_id"], vocabulary.DEMO_KEY.encode()
    )
    disclosed = disclose.disclose(reconciled.register, keys, ref, release.snapshot_date)
    disclosed.microdata = disclose.with_pseudonyms(
        disclosed.microdata, disclosed.microdata_actors, vocabulary.DEMO_KEY.encode(), release.version
    )
    state = {"disclosed": disclosed, "report": quality.quality_report(reconciled), "release": release}
    with cache.open("wb") as file:
        pickle.dump(state, file)
    return state


def copied(microdata: pd.DataFrame, copies: int) -> pd.DataFrame:
    """The microdata ``copies`` times, each copy with fresh pseudonyms, sorted by pseudonym as published."""
    parts = []
    for copy in range(copies):
        part = microdata.copy()
        part["pseudonim"] = pd.array(
            [hashlib.sha256(f"{copy}:{p}".encode()).hexdigest()[:16] for p in microdata["pseudonim"]],
            dtype=microdata["pseudonim"].dtype,
        )
        parts.append(part)
    return pd.concat(parts, ignore_index=True).sort_values("pseudonim", ignore_index=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    state = stage_input(args.out / "stage.pkl")
    disclosed = state["disclosed"]
    if args.copies > 1:
        disclosed = dataclasses.replace(disclosed, microdata=copied(disclosed.microdata, args.copies))
    ref = reference.load()
    folder = args.out / "datapackages"
    if folder.exists():
        shutil.rmtree(folder)

    base = run_state.rss_bytes()
    peak = [base]
    done = threading.Event()

    def sample():
        while not done.wait(0.05):
            peak[0] = max(peak[0], run_state.rss_bytes())

    threading.Thread(target=sample, daemon=True).start()

    def cpu() -> tuple[float, float]:
        own, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime, workers.ru_utime + workers.ru_stime

    spent = {"parquet": 0.0, "xlsx": 0.0}  # CPU of the main process (and its threads) making each format

    def timed(kind, make):
        def wrapper(*args, **kwargs):
            before = cpu()[0]
            try:
                return make(*args, **kwargs)
            finally:
                spent[kind] += cpu()[0] - before

        return wrapper

    package_formats.parquet_bytes = timed("parquet", package_formats.parquet_bytes)
    package_formats.xlsx_of_text = timed("xlsx", package_formats.xlsx_of_text)

    start, cpu_start = time.perf_counter(), cpu()
    packages = release_packages.build_packages(
        disclosed.microdata,
        disclosed.tables,
        state["report"],
        disclosed.risk,
        ref,
        state["release"],
        magnitude_tables=disclosed.magnitude,
        risk_tables=disclosed.risk_tables,
        microdata_properties=disclosed.microdata_properties,
        formats=False,
    )
    for pkg in packages:
        files.write_files(folder / pkg.name, pkg.files)
    csvs, cpu_csvs = time.perf_counter(), cpu()
    with validation.PackageValidation(folder) as package_validation:
        cpu_forked = cpu()
        for pkg in packages:
            files.write_files(folder / pkg.name, package.other_formats(pkg))
        formats, cpu_formats = time.perf_counter(), cpu()
        errors = package_validation.errors()
    end, cpu_end = time.perf_counter(), cpu()
    done.set()
    before_workers = cpu_forked[0] - cpu_start[0]  # one core works, the other waits
    beside_workers = cpu_end[0] - cpu_forked[0] + cpu_end[1] - cpu_start[1]  # main and workers share both cores
    print(
        json.dumps(
            {
                "microdata_rows": len(disclosed.microdata),
                "seconds": round(end - start, 2),
                "csv_seconds": round(csvs - start, 2),
                "other_formats_seconds": round(formats - csvs, 2),
                "cpu_main_seconds": round(cpu_end[0] - cpu_start[0], 2),
                "cpu_workers_seconds": round(cpu_end[1] - cpu_start[1], 2),  # frictionless, in the worker processes
                "cpu_workers_us_per_row": round((cpu_end[1] - cpu_start[1]) / max(len(disclosed.microdata), 1) * 1e6),
                "cpu_main": {
                    "csv_and_descriptors": round(cpu_csvs[0] - cpu_start[0], 2),
                    "plan_and_fork": round(cpu_forked[0] - cpu_csvs[0], 2),
                    "parquet": round(spent["parquet"], 2),
                    "xlsx": round(spent["xlsx"], 2),
                    "other_formats_rest": round(cpu_formats[0] - cpu_forked[0] - spent["parquet"] - spent["xlsx"], 2),
                    "results_and_cross_slice_checks": round(cpu_end[0] - cpu_formats[0], 2),
                },
                "estimate_two_idle_cores_seconds": round(before_workers + beside_workers / 2, 1),
                "rss_main_start_mib": round(base / 2**20),
                "rss_main_peak_mib": round(peak[0] / 2**20),
                "rss_worker_peak_mib": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024),
                "errors": len(errors),
            }
        )
    )


if __name__ == "__main__":
    main()
