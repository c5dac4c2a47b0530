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
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from pathlib import Path

from umkm.ingest import cadence

DEMO_KEY = "DEMO-KEY-synthetic-data-only-NOT-SECRET"
EXIT_BAD_INPUT = 2  # an export, a staff file or something in OUT is refused: the message names it
EXIT_GATE_FAILED = 3  # a gate (validation, identifier scan, disclosure) failed: nothing published
EXIT_LOCKED = 4  # another build is writing the same OUT: nothing changed
EXIT_ENVIRONMENT = 5  # the machine: a full disk, a permission, a read-only or busy file: nothing published


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="build_data.py",
        description=__doc__.split("\n\n")[0] + "\n\n" + "\n\n".join(__doc__.split("\n\n")[1:]),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Exit status: 0 built and swapped in; 2 bad input (an export, the review workbook or a file in "
               "OUT; the message names file, sheet, row and column); 3 a gate failed; 4 another build is writing "
               "the same OUT; 5 the machine failed (disk full, permission, read-only or busy file). On any "
               "status but 0 the previous output is as it was. Example: python build_data.py --ods ods.xlsx "
               "--oss oss.csv --out /tmp/umkm",
    )
    parser.add_argument("--ods", type=Path, help="ODS export (.xlsx or .csv). Without --ods/--oss: the demo register.")
    parser.add_argument("--oss", type=Path, help="OSS export (.xlsx or .csv), one row per NIB.")
    parser.add_argument("--ods-sheet", metavar="NAME",
                        help="the sheet of an .xlsx ODS export to read, when it has several data sheets (a hidden "
                             "sheet is read only when named here)")
    parser.add_argument("--oss-sheet", metavar="NAME", help="the same for the OSS export")
    parser.add_argument("--out", type=Path, default=None,
                        help="output folder for datapackages/, site/, docs/ and private/ (default: the repository "
                             "when run from a checkout, else the current folder)")
    parser.add_argument("--snapshot-date", default=None,
                        help="the release's snapshot date YYYY-MM-DD: it dates the release and its version, and "
                             "rows entered after it wait for a later release (default: the end of the last period "
                             "before the period of the newest valid input date, see --cadence; the demo: the "
                             "generator's date)")
    parser.add_argument("--cadence", choices=sorted(cadence.CADENCES), default="monthly",
                        help="how often a statistical release is made (default monthly): a nightly run inside a "
                             "period rebuilds that period's release with the same figures")
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
    parser.add_argument("--wait", type=float, default=0.0, metavar="SECONDS",
                        help="when another build is writing the same output folder, wait up to SECONDS for it "
                             "(default: stop at once with exit status 4)")
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
        self.png: dict[str, float] = {}  # PNG images of the site pages stage: rendered, from the cache, seconds
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
    _say(f"build_data.py: error: {message}")
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


ACTOR_IDS = "actor_ids.csv"  # fingerprint -> actor id, so ids survive tomorrow's exports
STAFF_DECISIONS = "keputusan_staf.csv"  # "same / not the same actor" decisions from the review


def private_table(private: Path, name: str, columns: list[str]):
    """A CSV table the builds keep in private/ (None if there is none), read without following a link; a table
    that cannot be read, or lacks a column, stops the build naming the file (review.staff_file_error)."""
    import io

    import pandas as pd

    from umkm.build import safe_files
    from umkm.reconcile import review

    if not os.path.lexists(private / name):
        return None
    try:
        frame = pd.read_csv(io.BytesIO(safe_files.read_bytes(private / name, private=True)), dtype=str,
                            keep_default_na=False)
    except (ValueError, pd.errors.ParserError) as error:
        raise review.staff_file_error(private / name, f"is not a readable CSV table ({error})") from None
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise review.staff_file_error(private / name, f"column '{missing[0]}' is missing (found: "
                                                      f"{', '.join(map(str, frame.columns))})", row=1)
    return frame


def read_private_state(private: Path, staff=None):
    """The previous run's actor-id map and the staff's review decisions (both stay private). ``staff``: the
    review workbook (publish.StaffWorkbook), read once and remembered so that a save during the build is kept."""
    from umkm.build import publish
    from umkm.reconcile import review

    staff = staff or publish.StaffWorkbook(private)

    ids = private_table(private, ACTOR_IDS, ["fingerprint", "actor_id"])
    previous_ids = dict(zip(ids["fingerprint"], ids["actor_id"])) if ids is not None else {}
    kept = private_table(private, STAFF_DECISIONS, review.DECISION_COLUMNS)
    workbook = staff.read()
    filled = None if workbook is None else review.decisions_from_workbook(workbook, str(private / staff.NAME))
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


def read_linkage_state(private: Path, staff=None) -> LinkageState:
    """The staff's exclusion overrides (kept and in the review workbook), the model files, and the
    answer to a proposed model (a "pakai" makes it the approved one, a "tolak" sets it aside). ``staff``: the
    review workbook as read once for this build (publish.StaffWorkbook)."""
    import pandas as pd

    from umkm.build import publish, safe_files
    from umkm.reconcile import linkage_model, review_overrides

    def model(name: str):
        path = private / name
        if not os.path.lexists(path):
            return None
        return linkage_model.from_json(safe_files.read_bytes(path, private=True).decode("utf-8"), str(path))

    kept = private_table(private, EXCLUSION_OVERRIDES, review_overrides.OVERRIDE_COLUMNS)
    filled, listed, answer = pd.DataFrame(columns=review_overrides.OVERRIDE_COLUMNS), set(), None
    staff = staff or publish.StaffWorkbook(private)
    data = staff.read()
    if data is not None:
        workbook = str(private / staff.NAME)
        filled, listed = review_overrides.read_exclusion_overrides(data, workbook)
        answer = review_overrides.read_approval(data, workbook)
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
    from umkm.reconcile import linkage_model

    if args.weights == "fixed":
        return linkage_model.FIXED, False, False
    if args.weights == "learnt":
        ready = state.approved or state.proposed
        return (ready, args.train_weights, False) if ready else (linkage_model.FIXED, True, True)
    first = not demo and state.approved is None and state.proposed is None and state.rejected is None
    return state.approved or linkage_model.FIXED, args.train_weights or first, False


GENERATED_DOC_PARTS = {"index.md", "en", "statistik", "data", "wilayah", "sentra", "unduh", "generated"}


def copy_handwritten_docs(source: Path, target: Path) -> None:
    """The hand-written pages (and theme overrides) of docs/, without any generated page (a link is refused)."""
    from umkm.build import safe_files

    def ignore(folder, names):
        relative = Path(folder).relative_to(source)
        if relative in (Path("."), Path("en")):
            return [n for n in names if n in GENERATED_DOC_PARTS - {"en"}]
        if relative in (Path("assets"), Path("en/assets")):
            return [n for n in names if n == "generated"]
        return []

    safe_files.copy_tree(source, target, link=False, ignore=ignore)


def fill_methodology(docs: Path, packages, version: str) -> None:
    """The methodology pages get this release's protection figures (umkm/site/protection.py)."""
    from umkm.site import protection as site_protection

    risk = next((p for p in packages if p.name == site_protection.RISK_PACKAGE), None)
    for lang, page in (("id", docs / "metodologi.md"), ("en", docs / "en" / "metodologi.md")):
        if risk is not None and page.is_file():
            page.write_text(site_protection.fill(page.read_text(encoding="utf-8"), risk.files, lang, version),
                            encoding="utf-8")


RELEASES = "releases.json"


def lacks_pages(folder: Path) -> bool:
    """Whether an earlier release's folder, or one of its package folders, has no index.html."""
    return not (folder / "index.html").is_file() or any(
        not (package / "index.html").is_file() for package in folder.iterdir()
        if (package / "datapackage.json").is_file())


def release_folder(folder: Path) -> tuple[dict, dict[str, dict]]:
    """An earlier release's folder as the catalogue sees it: each file's size and hash (relative path), and each
    package's datapackage.json."""
    import hashlib

    from umkm.catalogue import version_pages

    present, descriptors = {}, {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        relative = path.relative_to(folder).as_posix()
        data = path.read_bytes()
        present[relative] = version_pages.FileInfo(len(data), "sha256:" + hashlib.sha256(data).hexdigest())
        if path.name == "datapackage.json" and path.parent.parent == folder:
            descriptors[path.parent.name] = json.loads(data)
    return present, descriptors


def read_release_history(out: Path) -> tuple[list[dict], dict[str, Path]]:
    """The previous output's release index and the unduh/<version>/ folder of each release it published.

    The index is private/releases.json (else the public releases.json in docs/ or site/); the
    folders are read from the previous docs/ (else site/) before the swap: they are part of
    the published history and are carried into the new site.
    """
    from umkm import paths
    from umkm.build import safe_files
    from umkm.catalogue import releases

    index: list[dict] = []
    for candidate in (out / paths.PRIVATE / RELEASES, out / paths.GENERATED_DOCS / RELEASES,
                      out / paths.SITE / RELEASES):
        if candidate.is_file() and not candidate.is_symlink():
            index = releases.parse_index(safe_files.read_text(candidate))
            break
    folders = {}
    for entry in index:
        for root in (out / paths.GENERATED_DOCS / "unduh", out / paths.SITE / "unduh"):
            if (root / entry["version"]).is_dir() and "/" not in entry["version"] and \
                    not (root / entry["version"]).is_symlink():
                folders[entry["version"]] = root / entry["version"]
                break
    return index, folders


def read_published_history(docs: Path, index: list[dict], current: str) -> dict:
    """The city-wide count tables (site_pages.HISTORY_TABLES) each earlier release published, read from its
    unduh/<version>/umkm-statistik/ folder in ``docs``: the home page's trend and what changed."""
    import pandas as pd

    from umkm.site import pages as site_pages

    history = {}
    for entry in index:
        folder = docs / "unduh" / entry["version"] / "umkm-statistik"
        if entry["version"] == current or not folder.is_dir():
            continue
        history[entry["version"]] = {name: pd.read_csv(folder / f"{name}.csv", dtype=str, keep_default_na=False)
                                     for name in site_pages.HISTORY_TABLES if (folder / f"{name}.csv").is_file()}
    return history


def read_exports(ods: Path, oss: Path) -> dict[str, tuple[bytes, str]]:
    """The bytes and file name of each export."""
    from umkm.ingest import exports as ingest

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
    catalogue: object = None  # umkm.catalogue.Catalogue of a site build: downloads, DCAT, data.json, feed
    clean_files: dict = field(default_factory=dict)  # content digest -> no identifier found (gates memo)
    input_summary: list = field(default_factory=list)  # lines: rows read per sheet, rows skipped and why


def write_private_outputs(private: Path, reconciled, exports: dict, staff_decisions, snapshot, mapping_frame,
                          linkage_state: LinkageState):
    """private/: decisions, register, actor ids, staff decisions, the linkage models, the review workbook; the
    identifiers the gates look for."""
    from umkm.gates import identifiers as identifier_gate
    from umkm.ingest import exports as ingest
    from umkm.package import packages as package
    from umkm.reconcile import review, review_overrides

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
    return identifier_gate.Identifiers.from_rows([e.frame for e in exports.values()], reconciled.rows, headers,
                                                 origins=tuple((e.file, e.header_row) for e in exports.values()),
                                                 sources=tuple(exports), ordinary=site_vocabulary())


def site_vocabulary() -> frozenset[str]:
    """The words the site writes by itself (reference data, hand-written pages, page templates): an owner
    "name" made only of them ("Mekar Sari", "Usaha Mikro") is not looked for by the identifier gate."""
    from umkm import paths
    from umkm.gates import identifiers as identifier_gate

    files = [p for p in sorted(paths.REFERENCE.glob("*.csv")) if not p.name.startswith("indonesia_mobile")]
    files += sorted(paths.DOCS.rglob("*.md")) + sorted((paths.PACKAGE / "site" / "templates").rglob("*"))
    return identifier_gate.ordinary_words(p.read_text(encoding="utf-8", errors="replace") for p in files
                                          if p.is_file() and not p.is_symlink())


RECORD_KEYS = "kunci_rekaman.csv"  # actor id -> the secret record keys of the cell key method
MICRODATA_CSV = "umkm-mikrodata/pelaku_umkm.csv"  # a release's microdata, as published
QUALITY_CSV = "umkm-kualitas-data/kualitas_data.csv"  # a release's data-quality report, as published
TRUTHS = "rilis"  # private/rilis/<version>.parquet and .json: what each published release's tables were made of


def record_keys(private: Path, actor_ids, secret: bytes):
    """Every actor's record keys: the ones kept in private/ (so a new secret never re-draws them), and for a new
    actor the ones its id and the secret give (ckm.record_keys). Leavers keep theirs: they may come back."""
    import numpy as np
    import pandas as pd

    from umkm.disclose import ckm

    kept = None
    if (private / RECORD_KEYS).is_file():
        kept = pd.read_csv(private / RECORD_KEYS, dtype={"actor_id": str, "kunci_sel": np.int64,
                                                          "kunci_baris": np.int64}, keep_default_na=False)
    new = pd.Index(actor_ids.astype(str).unique())
    if kept is not None:
        new = new.difference(pd.Index(kept["actor_id"]))
    cell, row = ckm.record_keys(new, secret)
    fresh = pd.DataFrame({"actor_id": new.astype(str), "kunci_sel": cell, "kunci_baris": row})
    keys = fresh if kept is None else pd.concat([kept, fresh], ignore_index=True)
    return keys.sort_values("actor_id", kind="stable").reset_index(drop=True)


def earlier_releases(out: Path, release_index: list[dict], release_folders: dict) -> list:
    """Every release already published, oldest first: its statistics as published (from the site's
    unduh/<version>/, else from the copy private/rilis/<version>/ keeps, which also remembers releases a new
    site history no longer carries: someone may still hold them), with its private truth where private/rilis/
    keeps it (else None: approximated from this register)."""
    import pandas as pd

    from umkm import paths
    from umkm.catalogue import releases
    from umkm.disclose import sdc_microdata_releases, sdc_releases

    kept = out / paths.PRIVATE / TRUTHS
    snapshots = {e["version"]: e["snapshot_date"] for e in release_index}
    if kept.is_dir():
        for meta in kept.glob("*.json"):
            snapshots.setdefault(meta.stem, json.loads(meta.read_text(encoding="utf-8"))["snapshot_date"])
    earlier = []
    for version in sorted(snapshots, key=releases.version_key):
        folder = release_folders.get(version)
        if folder is None or not (folder / "umkm-statistik").is_dir():
            folder = kept / version
        if not (folder / "umkm-statistik").is_dir():
            continue
        published = {p.stem: pd.read_csv(p, dtype=str, keep_default_na=False)
                     for p in sorted((folder / "umkm-statistik").glob("*.csv"))}
        truth = None
        frame, meta = kept / f"{version}.parquet", kept / f"{version}.json"
        if frame.is_file() and meta.is_file():
            meta = json.loads(meta.read_text(encoding="utf-8"))
            truth = sdc_releases.ReleaseTruth(version, meta["snapshot_date"], pd.read_parquet(frame), meta["retries"])
        micro = folder / MICRODATA_CSV
        earlier.append(sdc_releases.Earlier(version, snapshots[version], published, truth,
                                            sdc_microdata_releases.read_published(micro) if micro.is_file() else None))
    return earlier


def published_quality(folders: list, report):
    """The data-quality report of a release already published (in the first of ``folders`` that holds it: the
    site's unduh/<version>/, private/rilis/<version>/), typed as built; else ``report``."""
    import pandas as pd

    from umkm.build import safe_files

    path = next((f / QUALITY_CSV for f in folders if f is not None and (f / QUALITY_CSV).is_file()), None)
    if path is None:
        return report
    import io

    kept = pd.read_csv(io.BytesIO(safe_files.read_bytes(path)), dtype={"metrik": str, "label_id": str,
                                                                      "label_en": str}, keep_default_na=False)
    return kept.astype(report.dtypes.to_dict())


def carry_release_truths(private: Path, staging_private: Path) -> None:
    """The truths of the earlier releases, kept from one build to the next (private, never published)."""
    if (private / TRUTHS).is_dir():
        safe_copy_tree(private / TRUTHS, staging_private / TRUTHS)


def write_release_truth(private: Path, version: str, snapshot, disclosed, statistics, microdata, quality) -> None:
    """private/rilis/<version>.parquet and .json: this release's truth for the differencing gate of later ones,
    and a copy of its published statistics and microdata (builds without a site keep no unduh/<version>/)."""
    import pandas as pd

    folder = private / TRUTHS
    folder.mkdir(parents=True, exist_ok=True)
    _write_files(folder / version / "umkm-statistik",
                 {name: data for name, data in statistics.files.items() if name.endswith(".csv")})
    _write_files(folder / version, {MICRODATA_CSV: microdata.files["pelaku_umkm.csv"],
                                    QUALITY_CSV: quality.files["kualitas_data.csv"]})
    disclosed.truth.to_parquet(folder / f"{version}.parquet", index=False)
    meta = {"version": version, "snapshot_date": str(pd.Timestamp(snapshot).date()), "retries": disclosed.retries}
    (folder / f"{version}.json").write_text(json.dumps(meta, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def snapshot_date(args, exports: dict, today):
    """The release's snapshot date: --snapshot-date, else the end of the last period closed by the day after the
    newest valid input date (ODS tanggal_input, OSS tgl_terbit_nib; umkm/ingest/input_summary.py says which dates can
    be true): an export taken on 1 November whose rows end on 31 October makes the October release."""
    import pandas as pd

    from umkm.ingest import exports as ingest
    from umkm.ingest import input_summary
    from umkm.reconcile import normalise

    if args.snapshot_date:
        return pd.Timestamp(args.snapshot_date)
    rows = pd.concat([pd.DataFrame({"source": source, "tanggal_input": normalise.parse_date(
        exports[source].frame[column])}) for source, column in input_summary.DATE_COLUMNS.items()],
        ignore_index=True)
    newest = input_summary.newest_valid_input_date(rows, today)
    if newest is None:
        raise ingest.InputError(exports["ods"].file, f"no input date in column 'tanggal_input' (nor in the OSS "
                                                     f"'tgl_terbit_nib') is a possible date up to {today.date()}: "
                                                     "give the release's date with --snapshot-date YYYY-MM-DD")
    return cadence.default_snapshot(newest, args.cadence)


def release_memory() -> None:
    """Give back to the system what Arrow's allocator keeps of freed buffers (else the process holds it)."""
    import pyarrow as pa

    pa.default_memory_pool().release_unused()


def run_data_stages(args, demo: bool, key: str, raw, ref, out: Path, staging: Path, stages: Stages,
                    staff=None) -> DataResult:
    """read inputs, ingest, reconcile, disclose, package: staging/datapackages/ and staging/private/ written."""
    import pandas as pd

    from umkm import catalogue, paths
    from umkm.catalogue import releases
    from umkm.disclose import anonymise as disclose
    from umkm.gates import GateError
    from umkm.gates import validation as validation_gate
    from umkm.ingest import exports as ingest
    from umkm.ingest import input_summary, synthetic
    from umkm.package import packages as package
    from umkm.reconcile import quality
    from umkm.reconcile import register as reconcile

    if demo:
        with stages.stage("demo register"):
            register = synthetic.generate(ref, seed=args.demo_seed, ods_rows=args.demo_rows, noise=args.demo_noise)
            written = synthetic.write(register, staging / paths.PRIVATE / "demo-input", formats=("csv",))
            raw = read_exports(written["ods.csv"], written["oss.csv"])
    with stages.stage("ingest"):
        mapping_frame = pd.read_csv(paths.HEADER_MAPPING, dtype=str, keep_default_na=False)
        previous_ids, staff_decisions = read_private_state(out / paths.PRIVATE, staff)
        linkage_state = read_linkage_state(out / paths.PRIVATE, staff)
        mapping = ingest.build_header_mapping(mapping_frame)
        exports = {source: ingest.parse_export(data, name, source, mapping, sheet=getattr(args, f"{source}_sheet", None))
                   for source, (data, name) in raw.items()}
        raw.clear()  # the caller's too: the export bytes are not needed any more

    # Process data.
    with stages.stage("reconcile"):
        today = input_summary.build_date()
        snapshot = register.snapshot_date if demo and not args.snapshot_date else snapshot_date(args, exports, today)
        snapshot = pd.Timestamp(snapshot)
        model, propose, use_proposed = choose_weights(args, demo, linkage_state)
        reconciled = reconcile.reconcile(exports["ods"], exports["oss"], ref, previous_ids=previous_ids,
                                         staff_decisions=staff_decisions, snapshot=snapshot, today=today,
                                         exclusion_overrides=linkage_state.exclusion_overrides, model=model,
                                         propose_model=propose, use_proposed=use_proposed,
                                         min_training_rows=args.train_min_rows)
        # Input dates that cannot be true (after the build date, before the register existed) are reported
        # and never date the release.
        invalid_dates = input_summary.invalid_dates(reconciled.rows, today, exports)
        summary = input_summary.summary_lines(exports, invalid_dates, today)
        report = pd.concat([quality.quality_report(reconciled), input_summary.quality_measures(exports, invalid_dates)],
                           ignore_index=True)
    # Save outputs (private first: it is what staff read when something looks wrong). Then only the register
    # is kept: the exports, the rows and the pairs are freed before disclosure.
    with stages.stage("private outputs"):
        identifiers = write_private_outputs(staging / paths.PRIVATE, reconciled, exports, staff_decisions,
                                            snapshot, mapping_frame, linkage_state)
        keys = record_keys(out / paths.PRIVATE, reconciled.register["actor_id"], key.encode("utf-8"))
        (staging / paths.PRIVATE / RECORD_KEYS).write_bytes(package.plain_csv_bytes(keys))
        counts = {"actors": len(reconciled.register), "ods": len(exports["ods"].frame),
                  "oss": len(exports["oss"].frame)}
        actors = reconciled.register
        del exports, reconciled
        release_memory()
    with stages.stage("disclose"):
        release_index, release_folders = read_release_history(out)
        if not args.no_site:  # a site build publishes only the releases whose files it carries forward
            release_index = [e for e in release_index if e["version"] in release_folders]
        earlier = earlier_releases(out, release_index, release_folders)
        disclosed = disclose.disclose(actors, keys, ref, snapshot, earlier=earlier)
        if not disclosed.passed:
            raise GateError("disclosure control failed (k-anonymity, l-diversity or the differencing "
                            "attack on an earlier release):\n  " + "\n  ".join(disclosed.audit_failures[:20]))
        fingerprint = disclose.content_fingerprint(disclosed)
        version = releases.resolve_version(snapshot, fingerprint, release_index)
        previous = releases.previous_release(release_index, version)
        release = package.Release(version=version, snapshot_date=snapshot, is_demo=demo,
                                  previous_version=previous["version"] if previous else None, fingerprint=fingerprint)
        microdata = disclose.with_pseudonyms(disclosed.microdata, disclosed.microdata_actors, key.encode("utf-8"),
                                             version)
        # A rebuild of a published release (same content) publishes its quality report as it was: tonight's
        # export may hold more blank rows or later rows, which belong to no published figure of this release.
        report = published_quality([release_folders.get(version), out / paths.PRIVATE / TRUTHS / version], report)
        carry_release_truths(out / paths.PRIVATE, staging / paths.PRIVATE)
    site = catalogue.Config.from_env(os.environ)  # the site's address and contact: cited in the workbooks too
    with stages.stage("package"):
        packages = package.build_packages(microdata, disclosed.tables, report, disclosed.risk, ref,
                                          release, magnitude_tables=disclosed.magnitude,
                                          risk_tables=disclosed.risk_tables,
                                          microdata_properties=disclosed.microdata_properties, formats=False)
        write_release_truth(staging / paths.PRIVATE, version, snapshot, disclosed,
                            next(p for p in packages if p.name == "umkm-statistik"),
                            next(p for p in packages if p.name == "umkm-mikrodata"),
                            next(p for p in packages if p.name == "umkm-kualitas-data"))
        datapackages = staging / paths.DATAPACKAGES
        for pkg in packages:
            _write_files(datapackages / pkg.name, pkg.files, out / paths.DATAPACKAGES / pkg.name)
        with validation_gate.PackageValidation(datapackages) as validation:  # frictionless in worker processes; meanwhile
            for pkg in packages:  # the Parquet files and workbooks
                _write_files(datapackages / pkg.name, package.other_formats(pkg, site.base_url),
                             out / paths.DATAPACKAGES / pkg.name)
            errors = validation.errors()
        if errors:
            raise GateError("frictionless validation failed:\n  " + "\n  ".join(errors[:20]))
    published = None
    if not args.no_site:
        with stages.stage("catalogue"):  # unduh/<version>/, unduh/latest/ (zips, pointers), DCAT, data.json
            published = catalogue.build(packages, release, release_index, site, ref)
    else:  # no downloads: the index still records the release, so the next build knows its date and content
        release_index = releases.with_release(release_index, {
            "version": release.version, "snapshot_date": str(snapshot.date()), "synthetic": demo,
            "fingerprint": fingerprint})
    return DataResult(release=release, release_index=release_index, release_folders=release_folders,
                      packages=packages, tables=disclosed.tables, magnitude=disclosed.magnitude, report=report,
                      identifiers=identifiers, catalogue=published, counts=counts, input_summary=summary)


# The data-stage cache: when nothing the data stages read has changed (inputs, key, options,
# their code, the reference data, the private state and the published tables), a rebuild
# reuses their result and redoes only the site and the gates. It lives in OUT/.build-cache/,
# private like private/ (it holds the identifiers the gates look for) and never published.
CACHE = ".build-cache"
SITE_ONLY = "site"  # umkm/site/: the code that runs after the data stages, outside their cache key
TEMPLATE_CACHE = "templates"  # Jinja's compiled templates of the MkDocs theme and the site pages
PNG_CACHE = "png"  # the PNG of each chart SVG, by content (umkm/site/images.py)


def _digest_files(digest, files, root: Path | None) -> None:
    """Each file's name (relative to ``root``, or its own name) and bytes into the digest."""
    for path in files:
        digest.update((path.relative_to(root).as_posix() if root else path.name).encode("utf-8") + b"\0")
        if path.is_file():
            with path.open("rb") as stream:
                for block in iter(lambda: stream.read(1 << 22), b""):
                    digest.update(block)
        digest.update(b"\0")


def data_cache_key(args, key: str, raw) -> str:
    """What decides the data stages' result, apart from the state of the output folder."""
    import hashlib

    from umkm import paths
    from umkm.catalogue.config import Config

    digest = hashlib.sha256()
    options = {"no_site": args.no_site, "snapshot_date": args.snapshot_date, "python": sys.version,
               "weights": [args.weights, args.train_weights, args.train_min_rows],
               "key": hashlib.sha256(key.encode("utf-8")).hexdigest(),
               "catalogue": vars(Config.from_env(os.environ))}
    if raw is None:
        options.update(demo=[args.demo_seed, args.demo_rows, args.demo_noise])
    digest.update(json.dumps(options, sort_keys=True).encode("utf-8"))
    for source, (data, name) in sorted((raw or {}).items()):
        digest.update(f"{source}:{name}:{len(data)}:".encode("utf-8") + hashlib.sha256(data).digest())
    # The code and data of the data stages, by name: the same whether run from a checkout or installed.
    code = [Path(__file__).resolve(), paths.REPO / "requirements.txt"]
    _digest_files(digest, code, None)
    # Every module and data file of the package, in every subfolder but the site's, by its path in the package.
    package = sorted(p for p in paths.PACKAGE.rglob("*") if p.suffix in (".py", ".yml", ".csv", ".j2")
                     and p.relative_to(paths.PACKAGE).parts[0] != SITE_ONLY and "__pycache__" not in p.parts)
    _digest_files(digest, package, paths.PACKAGE)
    _digest_files(digest, sorted(p for p in paths.REFERENCE.rglob("*") if p.is_file()), paths.REFERENCE)
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

    from umkm.build import safe_files

    folder = out / CACHE
    if not (folder / "meta.json").is_file():
        return None
    try:
        meta = json.loads(safe_files.read_text(folder / "meta.json", private=True))
        if meta.get("key") != cache_key or meta.get("state") != output_state(out):
            return None
        # Written by this program and writable by its owner only (check_output_folder deletes any other).
        return DataResult(**pickle.loads(safe_files.read_bytes(folder / "data.pickle", private=True)))
    except (OSError, ValueError, TypeError, pickle.UnpicklingError, EOFError, AttributeError, ImportError,
            safe_files.Refused):
        return None  # a damaged cache is a cache miss


def save_cached_data(out: Path, cache_key: str, data: DataResult, *, reused: bool = False) -> None:
    """Keep this build's data-stage result for the next build (one entry; written whole or not at all).

    ``reused``: ``data`` came from the cache (same key): only the output state is renewed.
    """
    import pickle

    from umkm.build import safe_files

    folder = out / CACHE
    if reused and (folder / "data.pickle").is_file():
        fresh_meta = folder / "meta.json.new"
        fresh_meta.write_text(json.dumps({"key": cache_key, "state": output_state(out)}), encoding="utf-8")
        fresh_meta.replace(folder / "meta.json")
        return
    fresh = out / f"{CACHE}.new"
    safe_files.remove(fresh)
    fresh.mkdir(mode=0o700)
    with (fresh / "data.pickle").open("wb") as stream:
        # A plain dict: DataResult is __main__.DataResult when build_data.py runs as a script.
        pickle.dump({f.name: getattr(data, f.name) for f in fields(data)}, stream, protocol=pickle.HIGHEST_PROTOCOL)
    (fresh / "meta.json").write_text(json.dumps({"key": cache_key, "state": output_state(out)}), encoding="utf-8")
    for kept in (TEMPLATE_CACHE, PNG_CACHE):  # compiled page templates and rendered charts outlive the data
        if (folder / kept).is_dir():
            (folder / kept).rename(fresh / kept)
    safe_files.remove(folder)
    fresh.rename(folder)


def main(argv=None) -> int:
    args = parse_args(argv)
    from umkm import paths
    from umkm.build import publish, safe_files

    demo = args.ods is None
    out = (args.out or (paths.REPO if paths.CHECKOUT else Path.cwd())).resolve()
    key = os.environ.get("UMKM_PSEUDONYM_KEY")
    if not key:
        if not demo:
            return _fail("UMKM_PSEUDONYM_KEY is not set: a build from real exports needs the release's secret "
                         "pseudonymisation key in the environment", EXIT_BAD_INPUT)
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
        return _fail(f"{publish.environment_message(error)}; nothing published, the previous output is as it was",
                     EXIT_ENVIRONMENT)


def build(args, demo: bool, key: str, out: Path) -> int:
    """The build, under OUT's lock: everything in OUT/.staging, then swapped in by publish.publish()."""
    import pandas as pd

    from umkm import catalogue, paths, reference
    from umkm.build import publish
    from umkm.catalogue import downloads, releases
    from umkm.gates import GateError
    from umkm.gates import identifiers as identifier_gate
    from umkm.ingest import exports as ingest
    from umkm.site import mkdocs as site_mkdocs
    from umkm.site import pages as site_pages
    from umkm.site.context import SiteInput

    for note in publish.recover(out):
        _say(f"build_data.py: {note}")
    for note in publish.check_output_folder(out, caches=(CACHE,)):
        _say(f"build_data.py: warning: {note}")
    if demo and (real := publish.real_releases(out)):
        return _fail(f"{out} holds releases built from real exports ({', '.join(real[-3:])}): the synthetic demo "
                     "is never published beside them. Give --ods and --oss, or another --out", EXIT_BAD_INPUT)
    stages = Stages(args.quiet, total=(11 if not args.no_site else 8) + demo)
    staging = out / publish.STAGING
    staff = publish.StaffWorkbook(out / paths.PRIVATE)
    try:
        safe_remove(staging)
        staging.mkdir(mode=0o700)
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
                staff.read()  # to notice a save of the review workbook during this build
                safe_copy_tree(out / paths.PRIVATE, staging / paths.PRIVATE)
            stages.bar.update(stages.bar.total - stages.bar.n - (2 if args.no_site else 4))  # data stages skipped
        else:
            data = run_data_stages(args, demo, key, raw, ref, out, staging, stages, staff)
        release, release_index, packages = data.release, data.release_index, data.packages

        swapped = [paths.DATAPACKAGES, paths.PRIVATE]
        if not args.no_site:
            docs = staging / paths.GENERATED_DOCS
            datapackages = staging / paths.DATAPACKAGES
            site = catalogue.Config.from_env(os.environ)
            with stages.stage("site pages"):
                copy_handwritten_docs(paths.DOCS, docs)
                fill_methodology(docs, packages, release.version)
                published = data.catalogue
                # unduh/<version>/, unduh/latest/ (zips, pointers), the catalogue files
                _write_files(docs, published.files, out / paths.GENERATED_DOCS)
                entries = {e["version"]: e for e in published.index}
                for earlier, folder in sorted(data.release_folders.items()):  # earlier releases stay published
                    if earlier != release.version and earlier in entries:
                        safe_copy_tree(folder, docs / "unduh" / earlier)
                        # a release published before its folders had pages gets them (files are only added)
                        if lacks_pages(docs / "unduh" / earlier):
                            _write_files(docs, downloads.missing_pages(earlier, entries[earlier],
                                                                       *release_folder(docs / "unduh" / earlier),
                                                                       site.base_url, site.contact_email))
                release_index = published.index
                site_input = SiteInput(
                    release=release, tables=data.tables, packages=[p.descriptor for p in packages],
                    previews={f"{p.name}/{r['name']}": pd.read_csv(datapackages / p.name / r["path"], dtype=str,
                                                                   keep_default_na=False, nrows=10)
                              for p in packages for r in p.descriptor["resources"]},
                    quality=data.report, reference=ref, magnitude=data.magnitude,
                    base_url=site.base_url, download_sizes=data.catalogue.sizes,
                    releases=release_index, history=read_published_history(docs, release_index, release.version),
                    png_cache=out / CACHE / PNG_CACHE)
                templates, previous_docs = out / CACHE / TEMPLATE_CACHE, out / paths.GENERATED_DOCS

                def write_pages(langs: tuple[str, ...]) -> None:
                    from umkm.site import images

                    images.STATS.update(rendered=0, from_cache=0, seconds=0.0)  # this build's half only
                    pages = site_pages.build_pages(site_input, template_cache=templates, langs=langs)
                    _write_files(docs, pages, previous_docs)
                    # the PNG cost of this half (the English half runs in a forked process)
                    (staging / f".png-{'-'.join(langs)}.json").write_text(json.dumps(images.STATS), encoding="utf-8")

                # The English half (pages, then its MkDocs build) runs in a forked process beside the
                # Indonesian one: this stage and the next time the Indonesian half and the wait.
                english = site_mkdocs.EnglishBuild(paths.MKDOCS_CONFIG, docs, staging / paths.SITE, synthetic=demo,
                                                   template_cache=templates, before=lambda: write_pages(("en",)))
                try:
                    write_pages(("id",))
                except BaseException:
                    english.wait()
                    raise
            with stages.stage("mkdocs build"):
                site_mkdocs.mkdocs_build(paths.MKDOCS_CONFIG, docs, staging / paths.SITE, synthetic=demo,
                                         template_cache=templates, english=english)
            swapped += [paths.SITE, paths.GENERATED_DOCS]
            png = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(staging.glob(".png-*.json"))]
            stages.png = {key: round(sum(half[key] for half in png), 3) for key in ("rendered", "from_cache", "seconds")}
        # Replaced, not written in place: staging/private/ may hold links to the published files.
        _write_files(staging / paths.PRIVATE, {RELEASES: releases.index_bytes(release_index)})
        with stages.stage("gates"):
            public = [staging / paths.DATAPACKAGES, staging / paths.SITE, staging / paths.GENERATED_DOCS]
            leaks = identifier_gate.scan_identifiers(
                public, data.identifiers, memo=data.clean_files,
                secrets=identifier_gate.environment_secrets(os.environ, exclude=(DEMO_KEY,)))
            if leaks:
                raise GateError("identifiers of the input found in public output:\n  " + "\n  ".join(leaks[:20]))
        with stages.stage("publish"):
            make_private(staging / paths.PRIVATE, out / CACHE)
            warnings = publish.publish(out, staging, swapped, carry=staff.carry)  # the commit point is inside
            if staff.notice is None:
                warnings += save_cache_after_commit(out, cache_key, data, reused="cached data" in stages.times)
            # else: the staff's workbook kept at the swap holds decisions no stage has read: no cache, so that
            # the next build runs every stage and reads them.
        stages.close()
    except ingest.InputError as error:
        stages.close()
        return _fail(str(error), EXIT_BAD_INPUT)
    except (GateError, site_mkdocs.SiteBuildError) as error:  # the strict MkDocs build is a gate too
        stages.close()
        return _fail(f"gate failed, nothing published: {error}", EXIT_GATE_FAILED)
    finally:
        try:
            safe_remove(staging)
        except OSError:  # a full or read-only disk: the next build clears it
            pass
    # Past the commit point: nothing below may fail the build.
    for line in (*warnings, *filter(None, [staff.notice])):
        _say(f"build_data.py: warning: {line}")
    _say(f"Built release {release.version} ({'synthetic demo' if demo else 'real exports'}): "
         f"{data.counts['actors']:,} actors from {data.counts['ods']:,} ODS + {data.counts['oss']:,} OSS rows "
         f"-> {out}{' (data stages from the cache)' if 'cached data' in stages.times else ''}")
    for line in data.input_summary:
        _say(f"  {line}")
    for name, seconds in stages.times.items():
        _say(f"  {name:<14} {seconds:7.2f} s")
    if stages.png:
        _say(f"  (site pages: {stages.png['rendered']:.0f} PNG images rendered, {stages.png['from_cache']:.0f} from the "
             f"cache, {stages.png['seconds']:.2f} s of rendering over both languages' processes)")
    if args.timings_json:
        figures = {name: {"seconds": seconds, "peak_rss_bytes": stages.peak_rss.get(name, 0)}
                   for name, seconds in stages.times.items()}
        if stages.png:
            figures["png images"] = stages.png
        try:
            args.timings_json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
        except OSError as error:
            _say(f"build_data.py: warning: the timings were not written ({error})")
    return 0


def cli() -> None:
    """The console command ``umkm-build`` (pyproject.toml): ``main`` with the command line, then exit."""
    status = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)  # as below: every file is written and closed, every worker joined


def _say(line: str) -> None:
    """A line of the build's report on stderr; never fails (the release is published when it runs)."""
    try:
        print(loggable(line), file=sys.stderr)
    except (OSError, ValueError):
        pass


def loggable(text: str) -> str:
    """Text safe for a CI log: no workflow command (a line starting with ::) can be formed from input."""
    return "\n".join(f" {line}" if line.lstrip().startswith("::") else line for line in text.split("\n"))


def safe_remove(path: Path) -> None:
    from umkm.build import safe_files

    safe_files.remove(path)


def safe_copy_tree(source: Path, target: Path) -> None:
    """A folder of OUT copied (hard-linked) into staging; a link anywhere in it is refused, never followed."""
    from umkm.build import safe_files

    safe_files.copy_tree(source, target)


def make_private(*folders: Path) -> None:
    from umkm.build import safe_files

    for folder in folders:
        safe_files.make_private(folder)


def save_cache_after_commit(out: Path, cache_key: str, data, reused: bool) -> list[str]:
    """Keep the data stages' result for the next build; after the commit point, so a failure is a warning."""
    from umkm.build import safe_files

    try:
        save_cached_data(out, cache_key, data, reused=reused)
        safe_files.make_private(out / CACHE)
    except Exception as error:  # noqa: BLE001  published already: the next build just runs every stage
        return [f"the data-stage cache was not saved ({type(error).__name__}: {error})"]
    return []


if __name__ == "__main__":
    status = main()
    # Every file is written and closed and every worker process joined: skip the interpreter's
    # teardown, which frees each object of the build one by one.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)
