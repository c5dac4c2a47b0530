"""``python -m umkm.gates scan OUT --ods FILE --oss FILE``: the identifier gate over a built output folder, as
the nightly runs it on exactly the files it is about to publish (``--help`` says what it does).

The exports in, a list of problems and an exit status out: every NIK, NIB, phone number,
e-mail and owner name of the two exports (identifiers.Identifiers.from_rows, each named by
its input row) and every secret of the environment (identifiers.environment_secrets, the
demo key left out: it is public) is looked for in OUT/datapackages and OUT/site
(scanner.scan_identifiers); a private file found there (the register, the decisions, the
actor ids, the staff's decisions and workbook, the record keys, the demo's input) is a
problem too, and so is a site without its index.html.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from umkm.vocabulary import DEMO_KEY

EXIT_CLEAN, EXIT_BAD_INPUT, EXIT_FOUND = 0, 2, 3  # as the build's: 2 a bad input, 3 a gate failed
PRIVATE_NAMES = frozenset(
    {"register.parquet", "decisions.csv", "actor_ids.csv", "keputusan_staf.csv", "review.xlsx", "kunci_rekaman.csv"}
)  # files of OUT/private/ that must never be public
SHOWN = 50  # problems printed (all are counted)

DESCRIPTION = """\
Scan a built output folder once more, exactly as it will be published, for the identifiers of the
input and the secrets of the environment.

Reads the two exports the folder was built from (--ods, --oss: .xlsx or .csv, as build_data.py
takes them; for the demo, OUT/private/demo-input/ods.csv and oss.csv) and looks in every file of
OUT/datapackages and OUT/site (text, zip and workbook members, Parquet tables) for each NIK, NIB,
phone number (in every written form), e-mail and owner name of two words or more (a header row
pasted into the data, "NAMA PEMILIK", is no name), and for the
value of every environment variable named like a key, token, secret or password (UMKM_PSEUDONYM_KEY
among them; the demo key is public and left out). A private file in the public folders (the
register, decisions, actor ids, staff decisions, review workbook, record keys, the demo's input)
and a missing OUT/site/index.html are problems too.

Each problem is one line naming the file and what was found, never the identifier itself: its
first characters and the input row that holds it ("site/x.html: number 6471... (input: ods.csv
row 18, column nik)"), or the secret's variable name."""

EPILOG = """\
exit status:
  0  clean: nothing found
  2  bad arguments or inputs (a missing folder or file, an export that cannot be read)
  3  findings: an identifier, a secret or a private file in the public output, or no index.html

example (the nightly's gate):
  python -m umkm.gates scan out --ods exports/ods.xlsx --oss exports/oss.csv --github"""


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(
        prog="python -m umkm.gates",
        description="The gates of a built output folder.",
        epilog="python -m umkm.gates scan --help: what the scan reads, reports and exits "
        "with (0 clean, 3 findings, 2 bad arguments or inputs).",
    )
    commands = main.add_subparsers(dest="command", required=True, metavar="COMMAND")
    scan = commands.add_parser(
        "scan",
        help="identifier and secret scan of OUT/datapackages and OUT/site",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    scan.add_argument("out", type=Path, metavar="OUT", help="the build's output folder (build_data.py --out)")
    scan.add_argument("--ods", type=Path, required=True, metavar="FILE", help="the ODS export it was built from")
    scan.add_argument("--oss", type=Path, required=True, metavar="FILE", help="the OSS export it was built from")
    scan.add_argument(
        "--github", action="store_true", help="print each problem as a GitHub Actions error annotation (::error::)"
    )
    return main


def export_identifiers(ods: Path, oss: Path):
    """The identifiers of the two exports, each placed at its input row (file, row, column)."""
    import pandas as pd

    from umkm import paths
    from umkm.gates import identifiers
    from umkm.ingest import exports as ingest
    from umkm.reconcile import normalise

    mapping_frame = pd.read_csv(paths.HEADER_MAPPING, dtype=str, keep_default_na=False)
    mapping = ingest.build_header_mapping(mapping_frame)
    exports = [
        ingest.parse_export(path.read_bytes(), path.name, source, mapping)
        for source, path in (("ods", ods), ("oss", oss))
    ]
    tables = [export.frame for export in exports]
    ods_frame, oss_frame = tables

    def both(ods_column: str, oss_column: str) -> pd.Series:
        return pd.concat([ods_frame[ods_column], oss_frame[oss_column]], ignore_index=True)

    normalised = pd.DataFrame(
        {
            "nik": normalise.normalise_nik(both("nik", "nik"))["nik"],
            "nib": normalise.normalise_nib(both("nib", "nib")),
            "phone": normalise.normalise_phone(both("no_hp", "no_telp"))["phone"],
        }
    )
    # A header row pasted into the data ("NAMA PEMILIK") is no owner's name: as the build's own gate.
    headers = tuple(mapping_frame["header"]) + tuple(
        c.replace("_", " ") for c in ingest.ODS_COLUMNS + ingest.OSS_COLUMNS
    )
    return identifiers.Identifiers.from_rows(
        tables,
        normalised,
        headers,
        sources=("ods", "oss"),
        origins=tuple((e.file, e.header_row) for e in exports),
        ordinary=identifiers.site_words(),
    )


def scan(out: Path, ods: Path, oss: Path, environ=None) -> tuple[list[str], list[Path]]:
    """The problems of the public output (one line each) and the folders scanned."""
    from umkm import paths
    from umkm.gates import identifiers, scanner

    found = export_identifiers(ods, oss)
    public = [out / paths.DATAPACKAGES, out / paths.SITE]
    secrets = identifiers.environment_secrets(os.environ if environ is None else environ, exclude=(DEMO_KEY,))
    problems = scanner.scan_identifiers(public, found, secrets=secrets)
    problems += [
        f"{p}: a private file in the public output"
        for folder in public
        for p in sorted(folder.rglob("*"))
        if p.name in PRIVATE_NAMES or "demo-input" in p.parts
    ]
    if not (out / paths.SITE / "index.html").is_file():
        problems.append(f"{out / paths.SITE / 'index.html'}: missing")
    return problems, public


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)  # bad arguments: exit 2, with the usage
    from umkm.ingest import exports as ingest

    bad = [
        f"{what}: no such {kind}: {path}"
        for what, path, kind in (("OUT", args.out, "folder"), ("--ods", args.ods, "file"), ("--oss", args.oss, "file"))
        if not (path.is_dir() if kind == "folder" else path.is_file())
    ]
    if bad:
        print(*(f"error: {ingest.shown(line)}" for line in bad), sep="\n", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        problems, public = scan(args.out, args.ods, args.oss)
    except ingest.InputError as error:
        print(f"error: {error}", file=sys.stderr)  # names the file, sheet, row and column
        return EXIT_BAD_INPUT
    except OSError as error:
        print(f"error: {ingest.shown(error)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    for problem in problems[:SHOWN]:
        print(f"{'::error::' if args.github else ''}{ingest.shown(problem)}")  # one line each, whatever a path holds
    print(f"identifier scan of {', '.join(map(str, public))}: {len(problems)} problem(s)")
    return EXIT_FOUND if problems else EXIT_CLEAN


if __name__ == "__main__":
    sys.exit(main())
