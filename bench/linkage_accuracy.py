#!/usr/bin/env python3
"""Score linkage and exclusions on both synthetic registers, with the fixed and with learnt weights, and time training.

For each generator (A: umkm.ingest.synthetic, the register the fixed weights were set on; B:
umkm.ingest.synthetic_independent, written apart from it) it generates a register, ingests it,
reconciles it with the fixed weights, trains a model on the rows to link (splink: u by
random sampling, m by EM, term-frequency adjusted names), reconciles again with that
model, and scores both against the generator's truth (umkm.reconcile.score): pairwise precision and
recall, the actor count against the truth, and the worst exclusion reason (the lowest of
its recall and precision). Times are wall seconds, with the process's CPU seconds for
training; the machine's load average is printed before and after, since a shared machine
inflates wall times.

    .venv/bin/python bench/linkage_accuracy.py                          # demo size, noise 1.5
    .venv/bin/python bench/linkage_accuracy.py --rows 12000 --noise 1.0 --json /tmp/acc.json
    .venv/bin/python bench/linkage_accuracy.py --sizes 2000 5000 10000 20000 40000   # learnt vs fixed by size
    .venv/bin/python bench/linkage_accuracy.py --generators A --rows 1000000          # training at 1M rows
    .venv/bin/python bench/linkage_accuracy.py --sizes 6000 12000 24000 --spread 1 2 3  # weights' spread by size

Not a test: it measures, it asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def _timed(function):
    start, cpu = time.perf_counter(), time.process_time()
    result = function()
    return result, round(time.perf_counter() - start, 1), round(time.process_time() - cpu, 1)


def _scores(figures: dict) -> dict:
    worst = min(min(r["recall"], r["precision"]) for r in figures["reasons"].values())
    return {
        "precision": round(figures["pairwise_precision"], 4),
        "recall": round(figures["pairwise_recall"], 4),
        "actors": figures["actors_found"],
        "actors_true": figures["actors_true"],
        "actor_error_pct": round(100 * figures["actor_count_error"], 3),
        "worst_reason": round(worst, 4),
    }


def measure(generator: str, rows: int, noise: float, seed: int, *, learnt: bool = True) -> dict:
    import pandas as pd

    from umkm import paths, reference
    from umkm.ingest import exports as ingest
    from umkm.ingest import synthetic, synthetic_independent
    from umkm.reconcile import linkage, linkage_model, score
    from umkm.reconcile import register as reconcile

    ref = reference.load()
    make = {"A": synthetic, "B": synthetic_independent}[generator]
    register, generate_seconds, _ = _timed(lambda: make.generate(ref, seed=seed, ods_rows=rows, noise=noise))
    mapping = ingest.build_header_mapping(pd.read_csv(paths.HEADER_MAPPING, dtype=str, keep_default_na=False))
    ods = ingest.parse_export(register.ods.to_csv(index=False).encode(), "ods.csv", "ods", mapping)
    oss = ingest.parse_export(register.oss.to_csv(index=False).encode(), "oss.csv", "oss", mapping)
    fixed, fixed_seconds, _ = _timed(lambda: reconcile.reconcile(ods, oss, ref))
    out = {
        "generator": generator,
        "ods_rows": rows,
        "noise": noise,
        "seed": seed,
        "rows": len(fixed.rows),
        "generate_seconds": generate_seconds,
        "fixed": {**_scores(score.score(fixed.decisions, register.truth)), "seconds": fixed_seconds},
    }
    if learnt:
        members = fixed.rows.loc[fixed.rows["reason"].eq(""), list(linkage.INPUT_COLUMNS)].reset_index(drop=True)
        del fixed
        model, train_seconds, train_cpu = _timed(lambda: linkage_model.train(members))
        result, learnt_seconds, _ = _timed(lambda: reconcile.reconcile(ods, oss, ref, model=model))
        out["learnt"] = {
            **_scores(score.score(result.decisions, register.truth)),
            "seconds": learnt_seconds,
            "train_seconds": train_seconds,
            "train_cpu_seconds": train_cpu,
            "threshold": model.threshold,
            "model": model.fingerprint,
        }
    out["peak_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return out


def spread(generator: str, rows: int, noise: float, seeds: list[int]) -> dict:
    """How much the learnt weights vary from one register of this size to the next (seeds): the
    standard deviation, in bits, of the threshold and of the most variable level."""
    import statistics

    import pandas as pd

    from umkm import paths, reference
    from umkm.ingest import exports as ingest
    from umkm.ingest import synthetic, synthetic_independent
    from umkm.reconcile import linkage, linkage_model
    from umkm.reconcile import register as reconcile

    ref = reference.load()
    mapping = ingest.build_header_mapping(pd.read_csv(paths.HEADER_MAPPING, dtype=str, keep_default_na=False))
    models = []
    for seed in seeds:
        register = {"A": synthetic, "B": synthetic_independent}[generator].generate(
            ref, seed=seed, ods_rows=rows, noise=noise
        )
        ods = ingest.parse_export(register.ods.to_csv(index=False).encode(), "ods.csv", "ods", mapping)
        oss = ingest.parse_export(register.oss.to_csv(index=False).encode(), "oss.csv", "oss", mapping)
        rows_ = reconcile.reconcile(ods, oss, ref).rows
        models.append(
            linkage_model.train(rows_.loc[rows_["reason"].eq(""), list(linkage.INPUT_COLUMNS)].reset_index(drop=True))
        )
    levels = {
        (f, level): statistics.stdev(m.weights[f][level] for m in models)
        for f, values in linkage_model.WEIGHTS.items()
        for level in values
    }
    worst = max(levels, key=levels.get)
    return {
        "generator": generator,
        "ods_rows": rows,
        "rows_to_link": models[0].training["rows"],
        "seeds": seeds,
        "threshold_sd": round(statistics.stdev(m.threshold for m in models), 2),
        "worst_level": "/".join(worst),
        "worst_level_sd": round(levels[worst], 2),
        "levels_sd_over_1_bit": sorted("/".join(k) for k, v in levels.items() if v > 1),
    }


def table(results: list[dict]) -> str:
    lines = [
        "| generator | ODS rows | weights | precision | recall | actors (truth) | worst exclusion reason | "
        "reconcile s | training s (cpu) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        for weights in ("fixed", "learnt"):
            if weights not in r:
                continue
            f = r[weights]
            training = f"{f['train_seconds']} ({f['train_cpu_seconds']})" if weights == "learnt" else ""
            lines.append(
                f"| {r['generator']} | {r['ods_rows']:,} | {weights} | {f['precision']:.4f} | "
                f"{f['recall']:.4f} | {f['actors']:,} ({f['actors_true']:,}, {f['actor_error_pct']:+.2f}%) | "
                f"{f['worst_reason']:.4f} | {f['seconds']} | {training} |"
            )
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--generators", nargs="+", default=["A", "B"], choices=["A", "B"])
    parser.add_argument("--rows", type=int, default=59_000, help="ODS rows (default 59000, the demo size)")
    parser.add_argument("--sizes", type=int, nargs="+", help="several ODS row counts instead of --rows")
    parser.add_argument("--noise", type=float, default=1.5, help="defect rate multiplier (default 1.5)")
    parser.add_argument("--seed-a", type=int, default=20261128, help="seed of generator A")
    parser.add_argument("--seed-b", type=int, default=77, help="seed of generator B")
    parser.add_argument("--fixed-only", action="store_true", help="no training: the fixed weights only")
    parser.add_argument(
        "--spread",
        type=int,
        nargs="+",
        metavar="SEED",
        help="instead: train on registers of these seeds at each size and print how much the learnt "
        "weights vary (the basis of linkage_model.MIN_TRAINING_ROWS)",
    )
    parser.add_argument("--json", type=Path, help="write the results here")
    args = parser.parse_args(argv)

    print(f"load average before: {os.getloadavg()}", file=sys.stderr)
    if args.spread:
        spreads = [
            spread(g, rows, args.noise, args.spread) for rows in args.sizes or [args.rows] for g in args.generators
        ]
        for line in spreads:
            print(json.dumps(line))
        print(f"load average after: {os.getloadavg()}", file=sys.stderr)
        if args.json:
            args.json.write_text(json.dumps(spreads, indent=1) + "\n")
        return 0
    results = []
    for rows in args.sizes or [args.rows]:
        for generator in args.generators:
            seed = args.seed_a if generator == "A" else args.seed_b
            results.append(measure(generator, rows, args.noise, seed, learnt=not args.fixed_only))
            print(json.dumps(results[-1]), file=sys.stderr)
    print(f"load average after: {os.getloadavg()}", file=sys.stderr)
    print(table(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
