"""decisions.csv and the generator's truth.csv in, linkage and classification scores out.

Pairwise precision and recall of grouping rows into actors (a pair is two input rows
placed in the same actor), the actor count against the truth, and for each exclusion
reason the share of its rows classified right (recall) and the share of rows given
that reason that truly have it (precision).

    python -m umkm.reconcile.score --decisions private/decisions.csv --truth private/demo-input/truth.csv
"""

from __future__ import annotations

import argparse
import json
import sys

import pandas as pd

from umkm.reconcile.exclusions import REASONS


def _pairs(labels: pd.Series) -> int:
    counts = labels[labels != ""].value_counts()
    return int((counts * (counts - 1) // 2).sum())


def score(decisions: pd.DataFrame, truth: pd.DataFrame) -> dict:
    merged = decisions.merge(truth, on=["source", "source_row"], how="inner", validate="one_to_one")
    if len(merged) != len(decisions) or len(merged) != len(truth):
        raise ValueError(f"decisions ({len(decisions)} rows) and truth ({len(truth)} rows) do not cover the same rows")
    predicted = merged["actor_id"].fillna("").astype(str)
    true = merged["true_actor"].fillna("").astype(str)
    both = (predicted != "") & (true != "")
    together = _pairs(predicted[both] + "|" + true[both])
    predicted_pairs, true_pairs = _pairs(predicted), _pairs(true)
    found, real = predicted[predicted != ""].nunique(), true[true != ""].nunique()
    result = {
        "rows": int(len(merged)),
        "pairwise_precision": together / predicted_pairs if predicted_pairs else 1.0,
        "pairwise_recall": together / true_pairs if true_pairs else 1.0,
        "actors_found": int(found),
        "actors_true": int(real),
        "actor_count_error": (found - real) / real if real else 0.0,
        "reasons": {},
    }
    got = merged["reason"].fillna("").astype(str)
    want = merged["true_reason"].fillna("").astype(str)
    for reason in REASONS:
        truly, given = want == reason, got == reason
        result["reasons"][reason] = {
            "true_rows": int(truly.sum()),
            "recall": float((given & truly).sum() / truly.sum()) if truly.any() else 1.0,
            "precision": float((given & truly).sum() / given.sum()) if given.any() else 1.0,
        }
    return result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--decisions", required=True, help="private/decisions.csv of a build")
    parser.add_argument(
        "--truth", required=True, help="truth.csv written by the generator (python -m umkm.ingest.synthetic)"
    )
    args = parser.parse_args(argv)
    read = lambda p: pd.read_csv(p, dtype={"source_row": "int64"}, keep_default_na=False)  # noqa: E731
    print(json.dumps(score(read(args.decisions), read(args.truth)), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
