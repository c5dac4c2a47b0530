#!/usr/bin/env python3
"""Time disclose.disclose on a saved register and report its peak memory.

    .venv/bin/python bench/disclose_driver.py /tmp/dx/private/register.parquet
    .venv/bin/python bench/disclose_driver.py REGISTER --copies 18 --shuffle   # ~900,000 actors
    .venv/bin/python bench/disclose_driver.py REGISTER --digest /tmp/d.txt     # hash of every output
    .venv/bin/python bench/disclose_driver.py REGISTER --previous-drop 300     # with an earlier release

--copies N concatenates the register N times with fresh actor ids; --shuffle also permutes the
birth dates, start years, workforce and kelurahan of every copy after the first among its rows, so
the copies make new combinations of quasi-identifiers instead of repeating the same classes.
--previous-drop N first discloses the register without N rows (seeded), writes its statistics tables
as CSV and reads them back as build_data does, and passes them with its truth as an earlier published
release (the differencing gate attacks it); that first run is not timed.

Not a test: it measures, it asserts nothing. The peak RSS is the process's (ru_maxrss), which
includes reading the register.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.common import frame_hash  # noqa: E402
from umkm import vocabulary  # noqa: E402

DEMO_KEY = vocabulary.DEMO_KEY.encode("utf-8")


def enlarge(register, copies: int, shuffle: bool, seed: int = 7):
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    parts = []
    for c in range(copies):
        part = register.copy()
        if c:
            part["actor_id"] = (part["actor_id"].astype("string") + f"-{c:02d}").astype(register["actor_id"].dtype)
            if shuffle:
                for column in ("tanggal_lahir", "tahun_mulai", "tenaga_kerja", "kelurahan_code"):
                    part[column] = part[column].to_numpy()[rng.permutation(len(part))]
                part["kecamatan_code"] = part["kelurahan_code"].str[:8].fillna(part["kecamatan_code"])
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def digest(result) -> dict[str, str]:
    out = {}
    out["microdata"] = frame_hash(result.microdata)
    for group in ("tables", "magnitude", "risk_tables"):
        for name, frame in sorted(getattr(result, group).items()):
            out[f"{group}/{name}"] = frame_hash(frame)
    out["risk"] = frame_hash(result.risk)
    out["microdata_properties"] = hashlib.sha256(
        json.dumps(result.microdata_properties, sort_keys=True, default=str).encode()
    ).hexdigest()
    out["passed"] = str(result.passed)
    out["audit_failures"] = hashlib.sha256("\n".join(result.audit_failures).encode()).hexdigest()
    return out


def record_keys(register):
    import pandas as pd

    from umkm.disclose import ckm

    cell, row = ckm.record_keys(register["actor_id"].astype(str), DEMO_KEY)
    return pd.DataFrame({"actor_id": register["actor_id"].astype(str), "kunci_sel": cell, "kunci_baris": row})


def previous_release(register, ref, snapshot, drop: int, workdir: Path):
    import numpy as np
    import pandas as pd

    from umkm.disclose import anonymise as disclose
    from umkm.disclose import sdc_releases

    rng = np.random.default_rng(11)
    rows = np.sort(rng.choice(len(register), size=len(register) - drop, replace=False))
    part = register.iloc[rows].reset_index(drop=True)
    earlier = disclose.disclose(part, record_keys(part), ref, snapshot)
    workdir.mkdir(parents=True, exist_ok=True)
    out = {}
    for name, frame in {**earlier.tables, **earlier.magnitude}.items():
        path = workdir / f"{name}.csv"
        frame.to_csv(path, index=False)
        out[name] = pd.read_csv(path, dtype=str, keep_default_na=False)
    version = "earlier"
    truth = sdc_releases.ReleaseTruth(version, str(snapshot.date()), earlier.truth, earlier.retries)
    return [sdc_releases.Earlier(version, str(snapshot.date()), out, truth)]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("register", type=Path)
    parser.add_argument("--copies", type=int, default=1)
    parser.add_argument("--shuffle", action="store_true")
    parser.add_argument("--snapshot", default="2026-10-31")
    parser.add_argument("--digest", type=Path, help="write the hash of every output here (JSON)")
    parser.add_argument("--previous-drop", type=int, default=0)
    parser.add_argument("--profile", type=Path, help="write cProfile stats here")
    args = parser.parse_args(argv)

    import pandas as pd

    from umkm import reference
    from umkm.disclose import anonymise as disclose

    ref = reference.load()
    register = pd.read_parquet(args.register)
    if args.copies > 1:
        register = enlarge(register, args.copies, args.shuffle)
    snapshot = pd.Timestamp(args.snapshot)
    previous = (
        previous_release(register, ref, snapshot, args.previous_drop, Path("/tmp/disclose-previous"))
        if args.previous_drop
        else None
    )
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    start, cpu = time.perf_counter(), time.process_time()
    keys = record_keys(register)
    result = disclose.disclose(register, keys, ref, snapshot, earlier=previous)
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu
    if args.profile:
        profiler.disable()
        profiler.dump_stats(args.profile)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "actors": len(register),
                "records": len(result.microdata),
                "passed": result.passed,
                "seconds": round(seconds, 2),
                "cpu_seconds": round(cpu_seconds, 2),
                "peak_rss_mib_before": round(rss_before / 1024),
                "peak_rss_mib": round(peak / 1024),
                "search_nodes": result.microdata_properties.get("generalisation"),
            }
        )
    )
    if args.digest:
        args.digest.write_text(json.dumps(digest(result), indent=1, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
