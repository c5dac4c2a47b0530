"""Build the Data UMKM Balikpapan release: ODS + OSS exports -> register -> data packages -> site.

With no arguments, builds everything from the embedded synthetic demo register
(Balikpapan-sized: about 59,000 ODS rows plus an OSS export), labelled as synthetic on
every page. With --ods and --oss, builds from the office's real exports (.xlsx or .csv).

Everything is written into a fresh staging folder first; only when every gate passes
(frictionless validation, the identifier scan, a strict MkDocs build) are
datapackages/, site/, docs/ and private/ swapped in. A failed or interrupted build
leaves the previous output as it was.

The pseudonymisation key comes from UMKM_PSEUDONYM_KEY. The demo build uses a
clearly named demo key when none is set; a build from real exports without it stops.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from umkm.ingest import cadence
from umkm.vocabulary import DEMO_KEY

EXIT_BAD_INPUT = 2  # an export, a staff file or something in OUT is refused: the message names it
EXIT_GATE_FAILED = (
    3  # a gate (validation, identifier scan, disclosure, the strict MkDocs build) failed: nothing published
)
EXIT_LOCKED = 4  # another build is writing the same OUT: nothing changed
EXIT_ENVIRONMENT = 5  # the machine: a full disk, a permission, a read-only or busy file: nothing published


DOC = __doc__ or ""


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="build_data.py",
        description=DOC.split("\n\n")[0] + "\n\n" + "\n\n".join(DOC.split("\n\n")[1:]),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Exit status: 0 built and swapped in; 2 bad input (an export, the review workbook or a file in "
        "OUT; the message names file, sheet, row and column); 3 a gate failed; 4 another build is writing "
        "the same OUT; 5 the machine failed (disk full, permission, read-only or busy file). On any "
        "status but 0 the previous output is as it was. Example: python build_data.py --ods ods.xlsx "
        "--oss oss.csv --out /tmp/umkm",
    )
    parser.add_argument("--ods", type=Path, help="ODS export (.xlsx or .csv). Without --ods/--oss: the demo register.")
    parser.add_argument("--oss", type=Path, help="OSS export (.xlsx or .csv), one row per NIB.")
    parser.add_argument(
        "--ods-sheet",
        metavar="NAME",
        help="the sheet of an .xlsx ODS export to read, when it has several data sheets (a hidden "
        "sheet is read only when named here)",
    )
    parser.add_argument("--oss-sheet", metavar="NAME", help="the same for the OSS export")
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="output folder for datapackages/, site/, docs/ and private/ (default: the repository "
        "when run from a checkout, else the current folder)",
    )
    parser.add_argument(
        "--snapshot-date",
        default=None,
        help="the release's snapshot date YYYY-MM-DD: it dates the release and its version, and "
        "rows entered after it wait for a later release (default: the end of the last period "
        "before the period of the newest valid input date, see --cadence; the demo: the "
        "generator's date)",
    )
    parser.add_argument(
        "--cadence",
        choices=sorted(cadence.CADENCES),
        default="monthly",
        help="how often a statistical release is made (default monthly): a nightly run inside a "
        "period rebuilds that period's release with the same figures",
    )
    parser.add_argument("--demo-rows", type=int, default=59_000, help="ODS rows of the demo register (default 59000)")
    parser.add_argument("--demo-seed", type=int, default=20261128, help="seed of the demo register")
    parser.add_argument("--demo-noise", type=float, default=1.0, help="defect rate multiplier of the demo register")
    parser.add_argument(
        "--weights",
        choices=("auto", "fixed", "learnt"),
        default="auto",
        help="linkage weights: fixed (set by hand), learnt (m and u learnt from the register by "
        "splink, kept in private/model-tautan*.json), or auto (default): the learnt weights "
        "once staff approved them in the review workbook, the fixed ones until then; a build "
        "from real exports proposes learnt weights for approval when none are proposed yet",
    )
    parser.add_argument(
        "--train-weights",
        action="store_true",
        help="learn new weights from this register and propose them in the review workbook, even "
        "where weights were approved before (those stay in use until the new ones are)",
    )
    parser.add_argument(
        "--train-min-rows",
        type=int,
        default=None,
        metavar="N",
        help="rows to link (after exclusions) below which no weights are learnt (default "
        "20000: fewer give too few rows of one actor to estimate the weights)",
    )
    parser.add_argument("--no-site", action="store_true", help="build the data packages only, no MkDocs site")
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="run every stage even when nothing the data stages read has changed (by default such a "
        "rebuild reuses their result, kept in OUT/.build-cache/, and redoes only the site and "
        "the gates); the cache is refreshed either way",
    )
    parser.add_argument(
        "--wait",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="when another build is writing the same output folder, wait up to SECONDS for it "
        "(default: stop at once with exit status 4)",
    )
    parser.add_argument("--timings-json", type=Path, help="write the time of each stage (seconds) to this file")
    parser.add_argument("--quiet", action="store_true", help="no progress bars")
    args = parser.parse_args(argv)
    if (args.ods is None) != (args.oss is None):
        parser.error("--ods and --oss go together: give both exports, or neither for the demo register")
    return args


def _fail(message: str, code: int) -> int:
    _say(f"build_data.py: error: {message}")
    return code


def main(argv=None) -> int:
    args = parse_args(argv)
    from umkm import paths
    from umkm.build import publish, safe_files

    demo = args.ods is None
    out = (args.out or (paths.REPO if paths.CHECKOUT else Path.cwd())).resolve()
    key = os.environ.get("UMKM_PSEUDONYM_KEY")
    if not key:
        if not demo:
            return _fail(
                "UMKM_PSEUDONYM_KEY is not set: a build from real exports needs the release's secret "
                "pseudonymisation key in the environment",
                EXIT_BAD_INPUT,
            )
        key = DEMO_KEY
    publish.die_with_parent()  # no worker outlives a killed build
    try:
        out.mkdir(parents=True, exist_ok=True)
        with publish.OutLock(out, wait=args.wait):  # before anything in OUT is read
            return build(args, demo, key, out)
    except publish.BuildLocked as error:
        return _fail(str(error), EXIT_LOCKED)
    except safe_files.Refused as error:
        return _fail(f"{error}; nothing published", EXIT_BAD_INPUT)
    except (OSError, MemoryError, publish.EnvironmentFailure) as error:
        return _fail(
            f"{publish.environment_message(error)}; nothing published, the previous output is as it was",
            EXIT_ENVIRONMENT,
        )


def build(args, demo: bool, key: str, out: Path) -> int:
    """The build, under OUT's lock: every stage (umkm/build/stages.py) into OUT/.staging, then swapped in by
    publish.publish()."""
    from umkm import paths, reference
    from umkm.build import cache, files, publish, run_state, stages
    from umkm.catalogue.config import Config
    from umkm.gates import GateError
    from umkm.ingest import exports as ingest
    from umkm.site import mkdocs as site_mkdocs

    for note in publish.recover(out):
        _say(f"build_data.py: {note}")
    for note in publish.check_output_folder(out, caches=(cache.CACHE,)):
        _say(f"build_data.py: warning: {note}")
    if demo and (real := publish.real_releases(out)):
        return _fail(
            f"{out} holds releases built from real exports ({', '.join(real[-3:])}): the synthetic demo "
            "is never published beside them. Give --ods and --oss, or another --out",
            EXIT_BAD_INPUT,
        )
    timer = run_state.Timer(args.quiet, total=stages.progress_total(demo=demo, site=not args.no_site))
    staging = out / publish.STAGING
    run = run_state.Build(
        args=args,
        demo=demo,
        key=key,
        out=out,
        staging=staging,
        staff=publish.StaffWorkbook(out / paths.PRIVATE),
        ref=None,
        site=Config.from_env(os.environ),
        timer=timer,
    )
    try:
        files.safe_remove(staging)
        staging.mkdir(mode=0o700)
        run.ref = reference.load()
        stages.run(run)
        timer.close()
    except ingest.InputError as error:
        timer.close()
        return _fail(str(error), EXIT_BAD_INPUT)
    except (GateError, site_mkdocs.SiteBuildError) as error:  # the strict MkDocs build is a gate too
        timer.close()
        return _fail(f"gate failed, nothing published: {error}", EXIT_GATE_FAILED)
    finally:
        try:
            files.safe_remove(staging)
        except OSError:  # a full or read-only disk: the next build clears it
            pass
    # Past the commit point: nothing below may fail the build.
    report(args, demo, out, run)
    return 0


def report(args, demo: bool, out: Path, run) -> None:
    """The build's report on stderr (and the timings in --timings-json): never fails."""
    data, timer = run.result(), run.timer
    for line in (*run.warnings, *filter(None, [run.staff.notice])):
        _say(f"build_data.py: warning: {line}")
    _say(
        f"Built release {data.release.version} ({'synthetic demo' if demo else 'real exports'}): "
        f"{data.counts['actors']:,} actors from {data.counts['ods']:,} ODS + {data.counts['oss']:,} OSS rows "
        f"-> {out}{' (data stages from the cache)' if run.from_cache else ''}"
    )
    for line in data.input_summary:
        _say(f"  {line}")
    for name, seconds in timer.times.items():
        _say(f"  {name:<14} {seconds:7.2f} s")
    if timer.png:
        _say(
            f"  (site pages: {timer.png['rendered']:.0f} PNG images rendered, {timer.png['from_cache']:.0f} from the "
            f"cache, {timer.png['seconds']:.2f} s of rendering over both languages' processes)"
        )
    if args.timings_json:
        figures: dict[str, dict] = {
            name: {"seconds": seconds, "peak_rss_bytes": timer.peak_rss.get(name, 0)}
            for name, seconds in timer.times.items()
        }
        if timer.png:
            figures["png images"] = timer.png
        try:
            args.timings_json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
        except OSError as error:
            _say(f"build_data.py: warning: the timings were not written ({error})")


def cli(argv=None) -> None:
    """The command (``python build_data.py``, the console command ``umkm-build`` of pyproject.toml): ``main``
    with the command line, then exit."""
    status = main(argv)
    # Every file is written and closed and every worker process joined: skip the interpreter's
    # teardown, which frees each object of the build one by one.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


def _say(line: str) -> None:
    """A line of the build's report on stderr; never fails (the release is published when it runs)."""
    try:
        print(loggable(line), file=sys.stderr)
    except (OSError, ValueError):
        pass


def loggable(text: str) -> str:
    """Text safe for a CI log: no workflow command (a line starting with ::) can be formed from input."""
    return "\n".join(f" {line}" if line.lstrip().startswith("::") else line for line in text.split("\n"))
