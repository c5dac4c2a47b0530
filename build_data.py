#!/usr/bin/env python3
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
import shutil
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from pathlib import Path

DEMO_KEY = "DEMO-KEY-synthetic-data-only-NOT-SECRET"
EXIT_BAD_INPUT = 2
EXIT_GATE_FAILED = 3


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="build_data.py",
        description=__doc__.split("\n\n")[0] + "\n\n" + "\n\n".join(__doc__.split("\n\n")[1:]),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Exit status: 0 built and swapped in; 2 bad input (the message names file, row and column); "
               "3 a gate failed (nothing published). Example: python build_data.py --ods ods.xlsx --oss oss.csv "
               "--out /tmp/umkm",
    )
    parser.add_argument("--ods", type=Path, help="ODS export (.xlsx or .csv). Without --ods/--oss: the demo register.")
    parser.add_argument("--oss", type=Path, help="OSS export (.xlsx or .csv), one row per NIB.")
    parser.add_argument("--out", type=Path, default=None,
                        help="output folder for datapackages/, site/, docs/ and private/ (default: this repository)")
    parser.add_argument("--snapshot-date", default=None,
                        help="the register's snapshot date YYYY-MM-DD (default: the latest input date in the "
                             "exports; it dates the release and its version)")
    parser.add_argument("--demo-rows", type=int, default=59_000, help="ODS rows of the demo register (default 59000)")
    parser.add_argument("--demo-seed", type=int, default=20261128, help="seed of the demo register")
    parser.add_argument("--demo-noise", type=float, default=1.0, help="defect rate multiplier of the demo register")
    parser.add_argument("--weights", choices=("auto", "fixed", "learnt"), default="auto",
                        help="linkage weights: fixed (set by hand), learnt (m and u learnt from the register by "
                             "splink, kept in private/model-tautan*.json), or auto (default): the learnt weights "
                             "once staff approved them in the review workbook, the fixed ones until then; a build "
                             "from real exports proposes learnt weights for approval when none are proposed yet")
    parser.add_argument("--train-weights", action="store_true",
                        help="learn new weights from this register and propose them in the review workbook, even "
                             "where weights were approved before (those stay in use until the new ones are)")
    parser.add_argument("--train-min-rows", type=int, default=None, metavar="N",
                        help="rows to link (after exclusions) below which no weights are learnt (default "
                             "20000: fewer give too few rows of one actor to estimate the weights)")
    parser.add_argument("--no-site", action="store_true", help="build the data packages only, no MkDocs site")
    parser.add_argument("--no-cache", action="store_true",
                        help="run every stage even when nothing the data stages read has changed (by default such a "
                             "rebuild reuses their result, kept in OUT/.build-cache/, and redoes only the site and "
                             "the gates); the cache is refreshed either way")
    parser.add_argument("--timings-json", type=Path, help="write the time of each stage (seconds) to this file")
    parser.add_argument("--quiet", action="store_true", help="no progress bars")
    args = parser.parse_args(argv)
    if (args.ods is None) != (args.oss is None):
        parser.error("--ods and --oss go together: give both exports, or neither for the demo register")
    return args


def _rss_bytes() -> int:
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:  # not Linux: no per-stage memory figure
        return 0


class Stages:
    """Times each stage, samples its peak memory (RSS) and shows progress."""

    def __init__(self, quiet: bool, total: int):
        from tqdm import tqdm

        self.times: dict[str, float] = {}
        self.peak_rss: dict[str, int] = {}
        self.bar = tqdm(total=total, disable=quiet, unit="stage", file=sys.stderr,
                        bar_format="{desc:<28}{bar:20}| {n_fmt}/{total_fmt} [{elapsed}]")

    @contextmanager
    def stage(self, name: str):
        import threading

        self.bar.set_description(name)
        peak = [_rss_bytes()]
        done = threading.Event()

        def sample():
            while not done.wait(0.05):
                peak[0] = max(peak[0], _rss_bytes())

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        start = time.perf_counter()
        try:
            yield
        finally:
            done.set()
            sampler.join()
        self.times[name] = round(time.perf_counter() - start, 3)
        self.peak_rss[name] = max(peak[0], _rss_bytes())
        self.bar.update(1)

    def close(self):
        self.bar.close()


def _fail(message: str, code: int) -> int:
    print(f"build_data.py: error: {message}", file=sys.stderr)
    return code


def _write_files(folder: Path, files: dict[str, bytes | str], previous: Path | None = None) -> None:
    """Write each file under ``folder`` (never outside it, symlinks followed).

    ``previous``: the same folder as the last build left it. A file whose bytes are already
    there is hard-linked instead of written: on some disks creating a file costs many times
    more than linking one, and most files of a rebuild are unchanged. Nothing is ever written
    through a link: an existing file is replaced, not overwritten.
    """
    root = os.path.realpath(folder)
    old_root = os.path.realpath(previous) if previous is not None and os.path.isdir(previous) else None
    parents: dict[str, str] = {}  # each folder resolved once
    for relative, content in sorted(files.items()):
        parent, name = os.path.split(os.path.join(root, relative))
        if parent not in parents:
            parents[parent] = os.path.realpath(parent)
        target = os.path.join(parents[parent], name)
        if os.path.islink(target):
            target = os.path.realpath(target)
        if not name or not target.startswith(root + os.sep):
            raise ValueError(f"refusing to write outside {folder}: {relative}")
        os.makedirs(parents[parent], exist_ok=True)
        data = content.encode("utf-8") if isinstance(content, str) else content
        if os.path.lexists(target):
            os.unlink(target)
        if old_root is not None and _link_if_same(os.path.join(old_root, target[len(root) + 1:]), data, target):
            continue
        with open(target, "wb") as stream:
            stream.write(data)


def _link_if_same(old: str, data: bytes, target: str) -> bool:
    """Hard-link ``old`` at ``target`` if it is a plain file holding exactly ``data``."""
    try:
        if os.path.islink(old) or not os.path.isfile(old) or os.path.getsize(old) != len(data):
            return False
        with open(old, "rb") as stream:
            if stream.read() != data:
                return False
        os.link(old, target)
        return True
    except OSError:  # no hard links on this file system, or the old file went away: write it
        return False


def _link_or_copy(source: str, target: str) -> None:
    """copytree's copy function for files that are never changed in place (published, private)."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


ACTOR_IDS = "actor_ids.csv"  # fingerprint -> actor id, so ids survive tomorrow's exports
STAFF_DECISIONS = "keputusan_staf.csv"  # "same / not the same actor" decisions from the review


def read_private_state(private: Path):
    """The previous run's actor-id map and the staff's review decisions (both stay private)."""
    import pandas as pd

    from umkm import review

    previous_ids: dict[str, str] = {}
    if (private / ACTOR_IDS).exists():
        frame = pd.read_csv(private / ACTOR_IDS, dtype=str, keep_default_na=False)
        previous_ids = dict(zip(frame["fingerprint"], frame["actor_id"]))
    kept = None
    if (private / STAFF_DECISIONS).exists():
        kept = pd.read_csv(private / STAFF_DECISIONS, dtype=str, keep_default_na=False)
    filled = None
    if (private / "review.xlsx").exists():
        filled = review.decisions_from_workbook((private / "review.xlsx").read_bytes())
    return previous_ids, review.merge_decisions(kept, filled)


EXCLUSION_OVERRIDES = "keputusan_pengecualian.csv"  # staff decisions on why a row is set aside (or not)
MODEL = "model-tautan.json"  # the linkage weights staff approved: in use
PROPOSED_MODEL = "model-tautan-usulan.json"  # learnt weights waiting for the staff's answer
REJECTED_MODEL = "model-tautan-ditolak.json"  # the last proposal staff turned down (none is proposed again unasked)


@dataclass
class LinkageState:
    """What the previous builds and the staff decided about exclusions and linkage weights."""

    exclusion_overrides: object  # DataFrame fingerprint, keputusan
    approved: object = None  # linkage_model.Model in use
    proposed: object = None  # waiting for approval
    rejected: object = None


def read_linkage_state(private: Path) -> LinkageState:
    """The staff's exclusion overrides (kept and in the review workbook), the model files, and the
    answer to a proposed model (a "pakai" makes it the approved one, a "tolak" sets it aside)."""
    import pandas as pd

    from umkm import linkage_model, review_overrides

    def model(name: str):
        path = private / name
        return linkage_model.from_json(path.read_text(encoding="utf-8"), str(path)) if path.is_file() else None

    kept = None
    if (private / EXCLUSION_OVERRIDES).is_file():
        kept = pd.read_csv(private / EXCLUSION_OVERRIDES, dtype=str, keep_default_na=False)
    filled, listed, answer = pd.DataFrame(columns=review_overrides.OVERRIDE_COLUMNS), set(), None
    workbook = private / "review.xlsx"
    if workbook.is_file():
        data = workbook.read_bytes()
        filled, listed = review_overrides.read_exclusion_overrides(data, str(workbook))
        answer = review_overrides.read_approval(data, str(workbook))
    state = LinkageState(review_overrides.merge_exclusion_overrides(kept, filled, listed), approved=model(MODEL),
                         proposed=model(PROPOSED_MODEL), rejected=model(REJECTED_MODEL))
    if answer and state.proposed is not None and answer[0] == state.proposed.fingerprint:
        if answer[1] == review_overrides.USE:
            state.approved, state.proposed = state.proposed, None
        else:
            state.rejected, state.proposed = state.proposed, None
    return state


def choose_weights(args, demo: bool, state: LinkageState):
    """The model to link with, whether to learn one from this register, and whether to link with that one."""
    from umkm import linkage_model

    if args.weights == "fixed":
        return linkage_model.FIXED, False, False
    if args.weights == "learnt":
        ready = state.approved or state.proposed
        return (ready, args.train_weights, False) if ready else (linkage_model.FIXED, True, True)
    first = not demo and state.approved is None and state.proposed is None and state.rejected is None
    return state.approved or linkage_model.FIXED, args.train_weights or first, False


GENERATED_DOC_PARTS = {"index.md", "en", "statistik", "data", "wilayah", "sentra", "unduh", "generated"}


def copy_handwritten_docs(source: Path, target: Path) -> None:
    """The hand-written pages (and theme overrides) of docs/, without any generated page."""
    def ignore(folder, names):
        relative = Path(folder).relative_to(source)
        if relative in (Path("."), Path("en")):
            return [n for n in names if n in GENERATED_DOC_PARTS - {"en"}]
        if relative in (Path("assets"), Path("en/assets")):
            return [n for n in names if n == "generated"]
        return []

    shutil.copytree(source, target, ignore=ignore, dirs_exist_ok=True)


RELEASES = "releases.json"


def read_release_history(out: Path) -> tuple[list[dict], dict[str, Path]]:
    """The previous output's release index and the unduh/<version>/ folder of each release it published.

    The index is private/releases.json (else the public releases.json in docs/ or site/); the
    folders are read from the previous docs/ (else site/) before the swap: they are part of
    the published history and are carried into the new site.
    """
    from umkm import catalogue, paths

    index: list[dict] = []
    for candidate in (out / paths.PRIVATE / RELEASES, out / paths.GENERATED_DOCS / RELEASES,
                      out / paths.SITE / RELEASES):
        if candidate.is_file():
            index = catalogue.parse_index(candidate.read_text(encoding="utf-8"))
            break
    folders = {}
    for entry in index:
        for root in (out / paths.GENERATED_DOCS / "unduh", out / paths.SITE / "unduh"):
            if (root / entry["version"]).is_dir():
                folders[entry["version"]] = root / entry["version"]
                break
    return index, folders


SWAP_JOURNAL = ".swap-journal.json"


def swap_in(staging: Path, out: Path, names: list[str]) -> None:
    """Replace each out/<name> by staging/<name>, keeping the old one until all are in place.

    A journal written before the first rename lets recover_interrupted_swap() roll a swap
    that was killed halfway back to the previous output. Removing the journal is the
    commit point; the old folders are deleted after it.
    """
    journal = out / SWAP_JOURNAL
    journal.write_text(json.dumps({"names": names, "had": {n: (out / n).exists() for n in names}}),
                       encoding="utf-8")
    backups = []
    try:
        for name in names:
            target, fresh = out / name, staging / name
            if target.exists():
                backup = out / f".previous-{name}"
                if backup.exists():
                    shutil.rmtree(backup)
                target.rename(backup)
                backups.append((backup, target))
            fresh.rename(target)
    except BaseException:
        recover_interrupted_swap(out)
        raise
    journal.unlink()
    for backup, _ in backups:
        shutil.rmtree(backup)


def recover_interrupted_swap(out: Path) -> None:
    """Put the previous output back after a swap that did not finish; drop leftovers of one that did."""
    journal = out / SWAP_JOURNAL
    if journal.exists():
        state = json.loads(journal.read_text(encoding="utf-8"))
        for name in state["names"]:
            target, backup = out / name, out / f".previous-{name}"
            if state["had"][name]:
                if backup.exists():
                    if target.exists():
                        shutil.rmtree(target)
                    backup.rename(target)
            elif target.exists():
                shutil.rmtree(target)
        journal.unlink()
    for leftover in out.glob(".previous-*"):
        shutil.rmtree(leftover)


def read_exports(ods: Path, oss: Path) -> dict[str, tuple[bytes, str]]:
    """The bytes and file name of each export."""
    from umkm import ingest

    raw = {}
    for source, path in (("ods", ods), ("oss", oss)):
        try:
            raw[source] = (path.read_bytes(), path.name)
        except OSError as error:
            raise ingest.InputError(str(path), f"cannot be read ({error.strerror})") from None
    return raw


@dataclass
class DataResult:
    """What the data stages hand to the site and the gates (private: it holds the identifiers)."""

    release: object
    release_index: list
    release_folders: dict
    packages: list
    tables: dict
    magnitude: dict
    report: object
    identifiers: object
    counts: dict
    catalogue: object = None  # catalogue.Catalogue of a site build: downloads, DCAT, data.json, feed
    clean_files: dict = field(default_factory=dict)  # content digest -> no identifier found (gates memo)


def write_private_outputs(private: Path, reconciled, exports: dict, staff_decisions, snapshot, mapping_frame,
                          linkage_state: LinkageState):
    """private/: decisions, register, actor ids, staff decisions, the linkage models, the review workbook; the
    identifiers the gates look for."""
    from umkm import gates, ingest, package, review, review_overrides

    release_memory()  # what reconcile freed
    private.mkdir(parents=True, exist_ok=True)
    (private / "decisions.csv").write_bytes(package.plain_csv_bytes(reconciled.decisions))
    reconciled.register.drop(columns=["_cluster"]).to_parquet(private / "register.parquet", index=False)
    (private / ACTOR_IDS).write_bytes(package.plain_csv_bytes(reconciled.id_map))
    (private / STAFF_DECISIONS).write_bytes(package.plain_csv_bytes(staff_decisions))
    members = reconciled.rows["reason"].eq("")
    actor_of_row = reconciled.rows.loc[members, "cluster"].map(reconciled.register.set_index("_cluster")["actor_id"])
    raw = {s: e.frame for s, e in exports.items()}
    sheets = review.build_review(reconciled.rows, reconciled.pairs, raw, actor_of_row, reconciled.model.threshold)
    overrides = linkage_state.exclusion_overrides
    (private / EXCLUSION_OVERRIDES).write_bytes(package.plain_csv_bytes(overrides))
    sheets[review_overrides.EXCLUSIONS] = review_overrides.exclusion_sheet(reconciled.rows, raw, overrides)
    proposed = reconciled.proposed_model or linkage_state.proposed  # waits for the staff's answer
    for name, model in ((MODEL, linkage_state.approved), (PROPOSED_MODEL, proposed),
                        (REJECTED_MODEL, linkage_state.rejected)):
        if model is not None:
            (private / name).write_text(model.to_json(), encoding="utf-8")
    sheets.update(review_overrides.weight_sheets(reconciled.model, proposed))
    (private / "review.xlsx").write_bytes(review.review_xlsx(sheets, snapshot))

    del sheets
    release_memory()
    headers = tuple(mapping_frame["header"]) + tuple(c.replace("_", " ") for c in ingest.ODS_COLUMNS +
                                                     ingest.OSS_COLUMNS)
    return gates.Identifiers.from_rows([e.frame for e in exports.values()], reconciled.rows, headers)


STATISTICS = "umkm-statistik"  # the package of count tables the differencing check compares
PREVIOUS_STATISTICS = "statistik-rilis-sebelumnya"  # private/: those of the newest release of an earlier date


def differencing_bases(out: Path, snapshot) -> tuple[Path | None, Path | None]:
    """The statistics the differencing check compares this release with: those of the newest release of an
    earlier snapshot date (published in datapackages/, or kept in private/ by the build that replaced them
    with a release of a later date), and those of a release of this snapshot date already published (this
    build is its rebuild or correction). Comparing a rebuild with itself alone would publish the cells the
    first build hid against the earlier release."""
    import pandas as pd

    from umkm import paths

    def snapshot_of(folder: Path):
        try:
            created = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))["created"]
            return pd.Timestamp(created[:10])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    published, kept = out / paths.DATAPACKAGES / STATISTICS, out / paths.PRIVATE / PREVIOUS_STATISTICS
    snapshot, dates = pd.Timestamp(snapshot), {published: snapshot_of(published), kept: snapshot_of(kept)}
    earlier = next((f for f in (published, kept) if dates[f] is not None and dates[f] < snapshot), None)
    return earlier, published if dates[published] == snapshot else None


def statistics_tables(folder: Path | None) -> dict | None:
    """A statistics package's tables as published (text), by resource name."""
    import pandas as pd

    if folder is None:
        return None
    return {p.stem: pd.read_csv(p, dtype=str, keep_default_na=False) for p in sorted(folder.glob("*.csv"))}


def release_memory() -> None:
    """Give back to the system what Arrow's allocator keeps of freed buffers (else the process holds it)."""
    import pyarrow as pa

    pa.default_memory_pool().release_unused()


def run_data_stages(args, demo: bool, key: str, raw, ref, out: Path, staging: Path, stages: Stages) -> DataResult:
    """read inputs, ingest, reconcile, disclose, package: staging/datapackages/ and staging/private/ written."""
    import pandas as pd

    from umkm import catalogue, disclose, gates, ingest, package, paths, quality, reconcile, synthetic

    if demo:
        with stages.stage("demo register"):
            register = synthetic.generate(ref, seed=args.demo_seed, ods_rows=args.demo_rows, noise=args.demo_noise)
            written = synthetic.write(register, staging / paths.PRIVATE / "demo-input", formats=("csv",))
            raw = read_exports(written["ods.csv"], written["oss.csv"])
    with stages.stage("ingest"):
        mapping_frame = pd.read_csv(paths.HEADER_MAPPING, dtype=str, keep_default_na=False)
        previous_ids, staff_decisions = read_private_state(out / paths.PRIVATE)
        linkage_state = read_linkage_state(out / paths.PRIVATE)
        mapping = ingest.build_header_mapping(mapping_frame)
        exports = {source: ingest.parse_export(data, name, source, mapping) for source, (data, name) in raw.items()}
        raw.clear()  # the caller's too: the export bytes are not needed any more

    # Process data.
    with stages.stage("reconcile"):
        model, propose, use_proposed = choose_weights(args, demo, linkage_state)
        reconciled = reconcile.reconcile(exports["ods"], exports["oss"], ref, previous_ids=previous_ids,
                                         staff_decisions=staff_decisions,
                                         exclusion_overrides=linkage_state.exclusion_overrides, model=model,
                                         propose_model=propose, use_proposed=use_proposed,
                                         min_training_rows=args.train_min_rows)
        report = quality.quality_report(reconciled)
        snapshot = pd.Timestamp(args.snapshot_date) if args.snapshot_date else (
            register.snapshot_date if demo else reconciled.rows["tanggal_input"].max())
        release = package.Release(version=package.release_version(snapshot), snapshot_date=pd.Timestamp(snapshot),
                                  is_demo=demo)
    # Save outputs (private first: it is what staff read when something looks wrong). Then only the register
    # is kept: the exports, the rows and the pairs are freed before disclosure.
    with stages.stage("private outputs"):
        identifiers = write_private_outputs(staging / paths.PRIVATE, reconciled, exports, staff_decisions,
                                            release.snapshot_date, mapping_frame, linkage_state)
        counts = {"actors": len(reconciled.register), "ods": len(exports["ods"].frame),
                  "oss": len(exports["oss"].frame)}
        actors = reconciled.register
        del exports, reconciled
        release_memory()
    with stages.stage("disclose"):
        earlier, same_date = differencing_bases(out, release.snapshot_date)
        disclosed = disclose.disclose(actors, key.encode("utf-8"), ref, release.snapshot_date,
                                      previous=statistics_tables(earlier), same_date=statistics_tables(same_date))
        if earlier is not None:  # kept for a rebuild of this date, which replaces the published one
            shutil.copytree(earlier, staging / paths.PRIVATE / PREVIOUS_STATISTICS, copy_function=_link_or_copy,
                            ignore=lambda folder, names: [n for n in names if not n.endswith((".csv", ".json"))])
        if not disclosed.passed:
            raise gates.GateError("disclosure control failed (k-anonymity, l-diversity or the LP audit):\n  "
                                  + "\n  ".join(disclosed.audit_failures[:20]))
    with stages.stage("package"):
        packages = package.build_packages(disclosed.microdata, disclosed.tables, report, disclosed.risk, ref,
                                          release, magnitude_tables=disclosed.magnitude,
                                          risk_tables=disclosed.risk_tables,
                                          microdata_properties=disclosed.microdata_properties, formats=False)
        release_index, release_folders = read_release_history(out)
        if not args.no_site:  # a site build publishes only the releases whose files it carries forward
            release_index = [e for e in release_index if e["version"] in release_folders]
        version = catalogue.resolve_version(release.snapshot_date, [p.descriptor for p in packages],
                                            release_index)
        previous = catalogue.previous_release(release_index, version)
        release = package.Release(version=version, snapshot_date=release.snapshot_date, is_demo=demo,
                                  previous_version=previous["version"] if previous else None)
        packages = [p if p.descriptor["version"] == version else package.with_version(p, version)
                    for p in packages]
        datapackages = staging / paths.DATAPACKAGES
        for pkg in packages:
            _write_files(datapackages / pkg.name, pkg.files, out / paths.DATAPACKAGES / pkg.name)
        with gates.PackageValidation(datapackages) as validation:  # frictionless in worker processes; meanwhile
            for pkg in packages:  # the Parquet files and workbooks
                _write_files(datapackages / pkg.name, package.other_formats(pkg), out / paths.DATAPACKAGES / pkg.name)
            errors = validation.errors()
        if errors:
            raise gates.GateError("frictionless validation failed:\n  " + "\n  ".join(errors[:20]))
    published = None
    if not args.no_site:
        with stages.stage("catalogue"):  # unduh/<version>/, unduh/latest/ (zips, pointers), DCAT, data.json
            published = catalogue.build(packages, release, release_index, catalogue.Config.from_env(os.environ), ref)
    return DataResult(release=release, release_index=release_index, release_folders=release_folders,
                      packages=packages, tables=disclosed.tables, magnitude=disclosed.magnitude, report=report,
                      identifiers=identifiers, catalogue=published, counts=counts)


# The data-stage cache: when nothing the data stages read has changed (inputs, key, options,
# their code, the reference data, the private state and the published tables), a rebuild
# reuses their result and redoes only the site and the gates. It lives in OUT/.build-cache/,
# private like private/ (it holds the identifiers the gates look for) and never published.
CACHE = ".build-cache"
SITE_ONLY_MODULES = {"site_pages.py", "site_sections.py", "charts.py"}  # run after the data stages
TEMPLATE_CACHE = "templates"  # Jinja's compiled templates of the MkDocs theme and the site pages


def _digest_files(digest, files, root: Path) -> None:
    for path in files:
        digest.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0")
        if path.is_file():
            with path.open("rb") as stream:
                for block in iter(lambda: stream.read(1 << 22), b""):
                    digest.update(block)
        digest.update(b"\0")


def data_cache_key(args, key: str, raw) -> str:
    """What decides the data stages' result, apart from the state of the output folder."""
    import hashlib

    from umkm import catalogue, paths

    digest = hashlib.sha256()
    options = {"no_site": args.no_site, "snapshot_date": args.snapshot_date, "python": sys.version,
               "weights": [args.weights, args.train_weights, args.train_min_rows],
               "key": hashlib.sha256(key.encode("utf-8")).hexdigest(),
               "catalogue": vars(catalogue.Config.from_env(os.environ))}
    if raw is None:
        options.update(demo=[args.demo_seed, args.demo_rows, args.demo_noise])
    digest.update(json.dumps(options, sort_keys=True).encode("utf-8"))
    for source, (data, name) in sorted((raw or {}).items()):
        digest.update(f"{source}:{name}:{len(data)}:".encode("utf-8") + hashlib.sha256(data).digest())
    code = [paths.REPO / "build_data.py", paths.REPO / "requirements.txt", paths.HEADER_MAPPING]
    code += sorted(p for p in (paths.REPO / "umkm").glob("*.py") if p.name not in SITE_ONLY_MODULES)
    code += sorted(p for p in paths.REFERENCE.rglob("*") if p.is_file())
    _digest_files(digest, code, paths.REPO)
    return digest.hexdigest()


def output_state(out: Path) -> str:
    """A digest of what the data stages read from the previous output (and of what they wrote there)."""
    import hashlib

    from umkm import paths

    digest = hashlib.sha256()
    files = sorted(p for p in (out / paths.PRIVATE).rglob("*") if p.is_file())
    files += sorted(p for p in (out / paths.DATAPACKAGES).rglob("*") if p.is_file())
    files += [out / paths.GENERATED_DOCS / RELEASES, out / paths.SITE / RELEASES]
    _digest_files(digest, files, out)
    for root in (out / paths.GENERATED_DOCS / "unduh", out / paths.SITE / "unduh"):
        names = sorted(p.name for p in root.iterdir() if p.is_dir()) if root.is_dir() else []
        digest.update(json.dumps([str(root.relative_to(out)), names]).encode("utf-8"))
    return digest.hexdigest()


def load_cached_data(out: Path, cache_key: str) -> DataResult | None:
    """The cached result, if it was made by the same key from the output folder as it is now."""
    import pickle

    folder = out / CACHE
    if not (folder / "meta.json").is_file():
        return None
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        if meta.get("key") != cache_key or meta.get("state") != output_state(out):
            return None
        with (folder / "data.pickle").open("rb") as stream:  # written by this program, private like private/
            return DataResult(**pickle.load(stream))
    except (OSError, ValueError, TypeError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None  # a damaged cache is a cache miss


def save_cached_data(out: Path, cache_key: str, data: DataResult, *, reused: bool = False) -> None:
    """Keep this build's data-stage result for the next build (one entry; written whole or not at all).

    ``reused``: ``data`` came from the cache (same key): only the output state is renewed.
    """
    import pickle

    folder = out / CACHE
    if reused and (folder / "data.pickle").is_file():
        fresh_meta = folder / "meta.json.new"
        fresh_meta.write_text(json.dumps({"key": cache_key, "state": output_state(out)}), encoding="utf-8")
        fresh_meta.replace(folder / "meta.json")
        return
    fresh = out / f"{CACHE}.new"
    shutil.rmtree(fresh, ignore_errors=True)
    fresh.mkdir()
    with (fresh / "data.pickle").open("wb") as stream:
        # A plain dict: DataResult is __main__.DataResult when build_data.py runs as a script.
        pickle.dump({f.name: getattr(data, f.name) for f in fields(data)}, stream, protocol=pickle.HIGHEST_PROTOCOL)
    (fresh / "meta.json").write_text(json.dumps({"key": cache_key, "state": output_state(out)}), encoding="utf-8")
    if (folder / TEMPLATE_CACHE).is_dir():  # compiled page templates outlive the data
        (folder / TEMPLATE_CACHE).rename(fresh / TEMPLATE_CACHE)
    shutil.rmtree(folder, ignore_errors=True)
    fresh.rename(folder)


def main(argv=None) -> int:
    args = parse_args(argv)
    import pandas as pd

    from umkm import catalogue, gates, ingest, paths, reference, site_pages

    demo = args.ods is None
    out = (args.out or paths.REPO).resolve()
    key = os.environ.get("UMKM_PSEUDONYM_KEY")
    if not key:
        if not demo:
            return _fail("UMKM_PSEUDONYM_KEY is not set: a build from real exports needs the release's secret "
                         "pseudonymisation key in the environment", EXIT_BAD_INPUT)
        key = DEMO_KEY

    stages = Stages(args.quiet, total=(11 if not args.no_site else 8) + demo)
    staging = out / ".staging"
    try:
        out.mkdir(parents=True, exist_ok=True)
        recover_interrupted_swap(out)
        if staging.exists():
            shutil.rmtree(staging)
        staging.mkdir()
        ref = reference.load()
        with stages.stage("read inputs"):
            raw = None if demo else read_exports(args.ods, args.oss)
            cache_key = data_cache_key(args, key, raw)
            data = None if args.no_cache else load_cached_data(out, cache_key)
        if data is not None:
            with stages.stage("cached data"):  # nothing the data stages read has changed
                for pkg in data.packages:
                    _write_files(staging / paths.DATAPACKAGES / pkg.name, pkg.files,
                                 out / paths.DATAPACKAGES / pkg.name)
                shutil.copytree(out / paths.PRIVATE, staging / paths.PRIVATE, copy_function=_link_or_copy)
            stages.bar.update(stages.bar.total - stages.bar.n - (2 if args.no_site else 4))  # data stages skipped
        else:
            data = run_data_stages(args, demo, key, raw, ref, out, staging, stages)
        release, release_index, packages = data.release, data.release_index, data.packages

        swapped = [paths.DATAPACKAGES, paths.PRIVATE]
        if not args.no_site:
            docs = staging / paths.GENERATED_DOCS
            datapackages = staging / paths.DATAPACKAGES
            with stages.stage("site pages"):
                site_input = site_pages.SiteInput(
                    release=release, tables=data.tables, packages=[p.descriptor for p in packages],
                    previews={f"{p.name}/{r['name']}": pd.read_csv(datapackages / p.name / r["path"], dtype=str,
                                                                   keep_default_na=False, nrows=10)
                              for p in packages for r in p.descriptor["resources"]},
                    quality=data.report, reference=ref, magnitude=data.magnitude,
                    base_url=catalogue.Config.from_env(os.environ).base_url)
                copy_handwritten_docs(paths.DOCS, docs)
                published = data.catalogue
                # unduh/<version>/, unduh/latest/ (zips, pointers), the catalogue files
                _write_files(docs, published.files, out / paths.GENERATED_DOCS)
                for earlier, folder in sorted(data.release_folders.items()):  # earlier releases stay published
                    if earlier != release.version and any(e["version"] == earlier for e in published.index):
                        shutil.copytree(folder, docs / "unduh" / earlier, copy_function=_link_or_copy)
                release_index = published.index
                templates, previous_docs = out / CACHE / TEMPLATE_CACHE, out / paths.GENERATED_DOCS

                def write_pages(langs: tuple[str, ...]) -> None:
                    pages = site_pages.build_pages(site_input, template_cache=templates, langs=langs)
                    _write_files(docs, pages, previous_docs)

                # The English half (pages, then its MkDocs build) runs in a forked process beside the
                # Indonesian one: this stage and the next time the Indonesian half and the wait.
                english = site_pages.EnglishBuild(paths.MKDOCS_CONFIG, docs, staging / paths.SITE, synthetic=demo,
                                                  template_cache=templates, before=lambda: write_pages(("en",)))
                try:
                    write_pages(("id",))
                except BaseException:
                    english.wait()
                    raise
            with stages.stage("mkdocs build"):
                site_pages.mkdocs_build(paths.MKDOCS_CONFIG, docs, staging / paths.SITE, synthetic=demo,
                                        template_cache=templates, english=english)
            swapped += [paths.SITE, paths.GENERATED_DOCS]
        # Replaced, not written in place: staging/private/ may hold links to the published files.
        _write_files(staging / paths.PRIVATE, {RELEASES: catalogue.index_bytes(release_index)})
        with stages.stage("gates"):
            public = [staging / paths.DATAPACKAGES, staging / paths.SITE, staging / paths.GENERATED_DOCS]
            leaks = gates.scan_identifiers(public, data.identifiers, memo=data.clean_files)
            if leaks:
                raise gates.GateError("identifiers of the input found in public output:\n  " + "\n  ".join(leaks[:20]))
        with stages.stage("publish"):
            swap_in(staging, out, swapped)
            try:
                save_cached_data(out, cache_key, data, reused="cached data" in stages.times)
            except OSError as error:  # published already; the next build just runs every stage
                print(f"build_data.py: warning: the data-stage cache was not saved ({error})", file=sys.stderr)
        stages.close()
    except ingest.InputError as error:
        stages.close()
        return _fail(str(error), EXIT_BAD_INPUT)
    except gates.GateError as error:
        stages.close()
        return _fail(f"gate failed, nothing published: {error}", EXIT_GATE_FAILED)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)

    print(f"Built release {release.version} ({'synthetic demo' if demo else 'real exports'}): "
          f"{data.counts['actors']:,} actors from {data.counts['ods']:,} ODS + {data.counts['oss']:,} OSS rows "
          f"-> {out}{' (data stages from the cache)' if 'cached data' in stages.times else ''}", file=sys.stderr)
    for name, seconds in stages.times.items():
        print(f"  {name:<14} {seconds:7.2f} s", file=sys.stderr)
    if args.timings_json:
        figures = {name: {"seconds": seconds, "peak_rss_bytes": stages.peak_rss.get(name, 0)}
                   for name, seconds in stages.times.items()}
        args.timings_json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    status = main()
    # Every file is written and closed and every worker process joined: skip the interpreter's
    # teardown, which frees each object of the build one by one.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)
