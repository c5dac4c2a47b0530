#!/usr/bin/env python3
"""Benchmark the whole build at several register sizes and print where the time goes.

For each size it generates a register with the project's generator (CSV), times
pyarrow's plain CSV read of the same ODS file (the I/O floor on this machine), runs
the whole build (build_data.py --ods --oss, site included) in a fresh process, and
prints per stage: wall time, peak memory (RSS) and the ratio of the stage's time to the
I/O floor. The table is also written as JSON so runs can be compared.

    .venv/bin/python bench/run_bench.py                       # 59,000, 250,000 and 1,000,000 rows
    .venv/bin/python bench/run_bench.py --rows 59000 --json bench/results/demo.json
    .venv/bin/python bench/run_bench.py --demo --rows       # the demo as a user runs it, a template-only
                                                            # rebuild, and MkDocs with one and two languages

Not a test: it measures, it asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def io_floor(csv_path: Path) -> float:
    import pyarrow.csv as pacsv

    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        # The same parse options as ingest: addresses hold line breaks inside quotes.
        pacsv.read_csv(csv_path, parse_options=pacsv.ParseOptions(newlines_in_values=True))
        best = min(best, time.perf_counter() - start)
    return best


def run_size(rows: int, workdir: Path, *, site: bool) -> dict:
    from umkm import reference
    from umkm.ingest import synthetic

    inputs = workdir / f"in-{rows}"
    start = time.perf_counter()
    register = synthetic.generate(reference.load(), ods_rows=rows)
    files = synthetic.write(register, inputs, formats=("csv",))
    generate_seconds = time.perf_counter() - start
    del register
    floor = io_floor(files["ods.csv"])
    timings = workdir / f"timings-{rows}.json"
    # The fixed weights: a nightly build with approved learnt weights scores as quickly; learning them is a
    # one-off (the first build of real exports, or --train-weights), timed by bench/linkage_accuracy.py.
    command = [
        sys.executable,
        str(REPO / "build_data.py"),
        "--ods",
        str(files["ods.csv"]),
        "--oss",
        str(files["oss.csv"]),
        "--out",
        str(workdir / f"out-{rows}"),
        "--quiet",
        "--timings-json",
        str(timings),
        "--weights",
        "fixed",
    ]
    if not site:
        command.append("--no-site")
    env = dict(os.environ, UMKM_PSEUDONYM_KEY="benchmark-key")
    start = time.perf_counter()
    completed = subprocess.run(command, env=env, capture_output=True, text=True)
    total = time.perf_counter() - start
    if completed.returncode != 0:
        raise SystemExit(f"build of {rows:,} rows failed:\n{completed.stderr[-3000:]}")
    stages = json.loads(timings.read_text())
    png = stages.pop("png images", None)
    return {
        "ods_rows": rows,
        "png": png,
        "input_bytes": files["ods.csv"].stat().st_size,
        "generate_seconds": round(generate_seconds, 2),
        "io_floor_seconds": round(floor, 4),
        "build_seconds": round(total, 2),
        "stages": {
            name: {**figures, "ratio_to_io_floor": round(figures["seconds"] / floor, 1)}
            for name, figures in stages.items()
        },
    }


def _timed_build(command: list[str], timings: Path, env: dict) -> tuple[float, dict]:
    start = time.perf_counter()
    completed = subprocess.run(
        [*command, "--quiet", "--timings-json", str(timings)], env=env, capture_output=True, text=True
    )
    seconds = time.perf_counter() - start
    if completed.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{completed.stderr[-3000:]}")
    return round(seconds, 2), json.loads(timings.read_text())


def run_demo(workdir: Path) -> dict:
    """The demo as a user runs it (python build_data.py: generation, every stage, the site), then, in the
    same working copy (a copy of the repository), a rebuild after a template-only change."""
    env = {k: v for k, v in os.environ.items() if k != "UMKM_PSEUDONYM_KEY"}
    out = workdir / "demo"
    checkout = workdir / "checkout"
    tracked = subprocess.run(["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=True).stdout.split()
    for name in tracked:
        (checkout / name).parent.mkdir(parents=True, exist_ok=True)
        if (REPO / name).is_file():
            (checkout / name).write_bytes((REPO / name).read_bytes())
    # A working copy has its modules' bytecode once anything ran in it: compile it before timing.
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(checkout / "build_data.py"), str(checkout / "umkm")], check=True
    )
    full, full_stages = _timed_build(
        [sys.executable, str(checkout / "build_data.py"), "--out", str(out), "--no-cache"],
        workdir / "demo-full.json",
        env,
    )
    template = checkout / "umkm" / "site" / "templates" / "beranda.md.j2"
    template.write_text(
        template.read_text(encoding="utf-8") + "\n<!-- template change for the benchmark -->\n", encoding="utf-8"
    )
    rebuild, rebuild_stages = _timed_build(
        [sys.executable, str(checkout / "build_data.py"), "--out", str(out)], workdir / "demo-rebuild.json", env
    )
    return {
        "demo_build_seconds": full,
        "demo_stages": full_stages,
        "template_rebuild_seconds": rebuild,
        "template_rebuild_stages": rebuild_stages,
        "template_rebuild_used_cache": "cached data" in rebuild_stages,
        "mkdocs_languages": mkdocs_languages(out / "docs", workdir / "mk"),
    }


def mkdocs_languages(docs: Path, workdir: Path) -> dict:
    """The MkDocs build of the Indonesian site alone, and of both languages (the English one beside it)."""
    from umkm import paths
    from umkm.site import context as site_context
    from umkm.site import mkdocs as site_mkdocs

    # An untimed build first: imports and module-level caches are then warm for both timings.
    site_mkdocs.build_language(paths.MKDOCS_CONFIG, docs, workdir / "warm-up", site_context.site_address(None), True)
    start = time.perf_counter()
    site_mkdocs.build_language(paths.MKDOCS_CONFIG, docs, workdir / "id-only", site_context.site_address(None), True)
    indonesian = time.perf_counter() - start
    start = time.perf_counter()
    site_mkdocs.mkdocs_build(paths.MKDOCS_CONFIG, docs, workdir / "both", synthetic=True)
    both = time.perf_counter() - start
    return {"indonesian_only_seconds": round(indonesian, 2), "both_languages_seconds": round(both, 2)}


def print_demo(demo: dict) -> None:
    print(f"demo build (python build_data.py, 59,000 ODS rows, site included): {demo['demo_build_seconds']:.1f} s")
    for name, figures in demo["demo_stages"].items():
        if name == "png images":
            continue
        print(f"    {name:<14} {figures['seconds']:7.2f} s {figures['peak_rss_bytes'] / 2**20:8.0f} MB")
    png = demo["demo_stages"].get("png images")
    if png:
        print(
            f"    PNG charts and preview cards (inside site pages): {png['rendered']:.0f} rendered, "
            f"{png['seconds']:.2f} s of rendering summed over the two language processes "
            f"({1000 * png['seconds'] / max(png['rendered'], 1):.0f} ms an image)"
        )
    print(
        f"rebuild after a template-only change: {demo['template_rebuild_seconds']:.1f} s "
        f"(data stages {'from the cache' if demo['template_rebuild_used_cache'] else 'NOT cached'})"
    )
    for name, figures in demo["template_rebuild_stages"].items():
        if name == "png images":
            print(f"    PNG: {figures['rendered']:.0f} rendered, {figures['from_cache']:.0f} from the cache")
            continue
        print(f"    {name:<14} {figures['seconds']:7.2f} s")
    languages = demo["mkdocs_languages"]
    print(
        f"mkdocs build: Indonesian only {languages['indonesian_only_seconds']:.1f} s, both languages "
        f"{languages['both_languages_seconds']:.1f} s (broken-link check included)\n"
    )


def print_table(results: list[dict]) -> None:
    print(f"{'rows':>10} {'stage':<14} {'seconds':>9} {'peak RSS':>10} {'x I/O floor':>12}")
    for result in results:
        for name, figures in result["stages"].items():
            print(
                f"{result['ods_rows']:>10,} {name:<14} {figures['seconds']:>9.2f} "
                f"{figures['peak_rss_bytes'] / 2**20:>8.0f}MB {figures['ratio_to_io_floor']:>12.1f}"
            )
        if result.get("png"):
            print(
                f"{result['ods_rows']:>10,} {'(PNG images)':<14} {result['png']['seconds']:>9.2f} "
                f"{result['png']['rendered']:>8.0f} rendered (inside site pages, both language processes)"
            )
        print(
            f"{result['ods_rows']:>10,} {'whole build':<14} {result['build_seconds']:>9.2f} "
            f"{max(f['peak_rss_bytes'] for f in result['stages'].values()) / 2**20:>8.0f}MB "
            f"{'(floor ' + format(result['io_floor_seconds'], '.3f') + ' s)':>12}"
        )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--rows",
        type=int,
        nargs="*",
        default=[59_000, 250_000, 1_000_000],
        help="ODS rows of each register to benchmark",
    )
    parser.add_argument("--no-site", action="store_true", help="skip the site stages")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="also time the demo as a user runs it, a template-only rebuild and MkDocs per language",
    )
    parser.add_argument(
        "--json", type=Path, default=REPO / "bench" / "results" / "latest.json", help="where to write the table as JSON"
    )
    args = parser.parse_args(argv)
    results, demo = [], None
    with tempfile.TemporaryDirectory(prefix="umkm-bench-") as tmp:
        if args.demo:
            demo = run_demo(Path(tmp))
            print_demo(demo)
        for rows in args.rows:
            results.append(run_size(rows, Path(tmp), site=not args.no_site))
            print(f"done: {rows:,} rows in {results[-1]['build_seconds']:.1f} s", file=sys.stderr)
    print_table(results)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(
        json.dumps(
            {
                "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
                "demo": demo,
                "results": results,
            },
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"\nwritten: {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
