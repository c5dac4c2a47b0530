#!/usr/bin/env python3
"""Measure the microdata's utility within a release and across monthly releases.

Generates a synthetic register (--rows ODS rows), reconciles it into actors and cuts it at three month
ends (actors join on their first input date; 1% leave after the first release; 1% change whether they
sell online at the second). For each release it runs the lattice search, specialise and the repair against
every earlier release, as disclose does, and prints, per quasi-identifier column, the share of suppressed cells
(blank where the value is known) after the search, after specialise and after the repair, the records
the repair moved and withheld, and the differences with each earlier release (rows and smallest class,
both ways) before and after the repair, checked on the published text.

    .venv/bin/python bench/microdata_releases.py                    # the demo size, 59,000 ODS rows
    .venv/bin/python bench/microdata_releases.py --rows 20000 --json /tmp/releases-20k.json

Not a test: it measures, it asserts nothing. Times are wall-clock on this machine.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

DATES = ("2026-08-31", "2026-09-30", "2026-10-31")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=59_000, help="ODS rows of the synthetic register")
    parser.add_argument("--seed", type=int, default=20261128)
    parser.add_argument("--json", type=Path, help="write the figures here as well")
    args = parser.parse_args(argv)

    import pandas as pd

    from tests.support import actors_with_first_input, registers_at
    from umkm import reference
    from umkm.disclose import anonymise as disclose
    from umkm.disclose import sdc_microdata, sdc_specialise
    from umkm.disclose import sdc_microdata_releases as releases
    from umkm.ingest import synthetic

    ref = reference.load()
    actors = actors_with_first_input(synthetic.generate(ref, seed=args.seed, ods_rows=args.rows), ref)
    dates = [pd.Timestamp(d) for d in DATES]
    published, figures = [], []
    for register, date in zip(registers_at(actors, dates), dates):
        detail = disclose.generalise(register, date, ref)
        sensitive = releases.sensitive_text(detail)
        start = time.perf_counter()
        enc = sdc_microdata.encode(detail)
        found = sdc_microdata.search(enc)
        searched = time.perf_counter()
        special = sdc_specialise.specialise(enc, found.best)
        specialised = time.perf_counter()
        fixed = releases.repair(enc, special, sensitive, published, [str(d.date()) for d in dates[: len(published)]])
        repaired = time.perf_counter()
        shares = {}
        for label, result in (("pencarian", found.best), ("spesialisasi", special), ("perbaikan", fixed.result)):
            cells = sdc_specialise.suppressed_cells(enc, result.levels, result.kept)
            shares[label] = dict(zip(cells["kolom"], (100 * cells["bagian_disembunyikan"]).round(1)))
        rows = releases.published_rows(enc, fixed.result, sensitive)
        unrepaired = releases.published_rows(enc, special, sensitive)
        pairs = []
        for earlier, earlier_date in zip(published, dates):
            before = releases.release_differences(earlier, unrepaired)
            after = releases.release_differences(earlier, rows)
            pairs.append(
                {
                    "rilis_sebelumnya": str(earlier_date.date()),
                    "sebelum_perbaikan": _pair(before),
                    "sesudah_perbaikan": _pair(after),
                }
            )
        figures.append(
            {
                "rilis": str(date.date()),
                "pelaku": len(register),
                "catatan_diterbitkan": int(fixed.result.kept.sum()),
                "simpul": list(found.best.node),
                "persen_sel_disembunyikan": shares,
                "catatan_dipindah_perbaikan": fixed.records_moved,
                "catatan_ditahan_perbaikan": fixed.records_withheld,
                "putaran_perbaikan": fixed.rounds,
                "lulus": fixed.passed,
                "selisih": pairs,
                "detik": {
                    "pencarian": round(searched - start, 2),
                    "spesialisasi": round(specialised - searched, 2),
                    "perbaikan": round(repaired - specialised, 2),
                },
            }
        )
        published.append(rows)
        print(json.dumps(figures[-1], indent=1), flush=True)
    if args.json:
        args.json.write_text(json.dumps({"ods_rows": args.rows, "seed": args.seed, "releases": figures}, indent=1))
    return 0


def _pair(found) -> dict:
    return {
        "lulus": found.passed,
        "baru": {
            "baris": found.added.rows,
            "kelas_terkecil": found.added.smallest_class,
            "kelas_gagal": len(found.added.bad),
        },
        "hilang": {
            "baris": found.removed.rows,
            "kelas_terkecil": found.removed.smallest_class,
            "kelas_gagal": len(found.removed.bad),
        },
    }


if __name__ == "__main__":
    sys.exit(main())
