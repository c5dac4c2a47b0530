"""What the builds keep in private/ and never publish: the actor ids and the staff's decisions read back, the
linkage models, the record keys of the cell key method, the truths of the published releases; and what the
private outputs stage writes there, with the identifiers the gates look for."""

from __future__ import annotations

import io
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from umkm.build import files, history, safe_files
from umkm.gates import identifiers as identifier_gate

if TYPE_CHECKING:
    from umkm.reconcile.linkage_model import Model

ACTOR_IDS = "actor_ids.csv"  # fingerprint -> actor id, so ids survive tomorrow's exports
STAFF_DECISIONS = "keputusan_staf.csv"  # "same / not the same actor" decisions from the review
EXCLUSION_OVERRIDES = "keputusan_pengecualian.csv"  # staff decisions on why a row is set aside (or not)
MODEL = "model-tautan.json"  # the linkage weights staff approved: in use
PROPOSED_MODEL = "model-tautan-usulan.json"  # learnt weights waiting for the staff's answer
REJECTED_MODEL = "model-tautan-ditolak.json"  # the last proposal staff turned down (none is proposed again unasked)
RECORD_KEYS = "kunci_rekaman.csv"  # actor id -> the secret record keys of the cell key method


def private_table(private: Path, name: str, columns: list[str]):
    """A CSV table the builds keep in private/ (None if there is none), read without following a link; a table
    that cannot be read, or lacks a column, stops the build naming the file (review.staff_file_error)."""
    import pandas as pd

    from umkm.reconcile import review

    if not os.path.lexists(private / name):
        return None
    try:
        frame = pd.read_csv(
            io.BytesIO(safe_files.read_bytes(private / name, private=True)), dtype=str, keep_default_na=False
        )
    except (ValueError, pd.errors.ParserError) as error:
        raise review.staff_file_error(private / name, f"is not a readable CSV table ({error})") from None
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise review.staff_file_error(
            private / name, f"column '{missing[0]}' is missing (found: {', '.join(map(str, frame.columns))})", row=1
        )
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


@dataclass
class LinkageState:
    """What the previous builds and the staff decided about exclusions and linkage weights."""

    exclusion_overrides: Any  # DataFrame fingerprint, keputusan
    approved: Model | None = None  # in use
    proposed: Model | None = None  # waiting for approval
    rejected: Model | None = None


def read_linkage_state(private: Path, staff=None) -> LinkageState:
    """The staff's exclusion overrides (kept and in the review workbook), the model files, and the
    answer to a proposed model (a "pakai" makes it the approved one, a "tolak" sets it aside). ``staff``: the
    review workbook as read once for this build (publish.StaffWorkbook)."""
    import pandas as pd

    from umkm.build import publish
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
    state = LinkageState(
        review_overrides.merge_exclusion_overrides(kept, filled, listed),
        approved=model(MODEL),
        proposed=model(PROPOSED_MODEL),
        rejected=model(REJECTED_MODEL),
    )
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


def release_memory() -> None:
    """Give back to the system what Arrow's allocator keeps of freed buffers (else the process holds it)."""
    import pyarrow as pa

    pa.default_memory_pool().release_unused()


def write_private_outputs(
    private: Path, reconciled, exports: dict, staff_decisions, snapshot, mapping_frame, linkage_state: LinkageState
):
    """private/: decisions, register, actor ids, staff decisions, the linkage models, the review workbook; the
    identifiers the gates look for."""
    from umkm import xlsx
    from umkm.ingest import exports as ingest
    from umkm.reconcile import review, review_overrides

    release_memory()  # what reconcile freed
    private.mkdir(parents=True, exist_ok=True)
    (private / "decisions.csv").write_bytes(xlsx.plain_csv_bytes(reconciled.decisions))
    reconciled.register.drop(columns=["_cluster"]).to_parquet(private / "register.parquet", index=False)
    (private / ACTOR_IDS).write_bytes(xlsx.plain_csv_bytes(reconciled.id_map))
    (private / STAFF_DECISIONS).write_bytes(xlsx.plain_csv_bytes(staff_decisions))
    members = reconciled.rows["reason"].eq("")
    actor_of_row = reconciled.rows.loc[members, "cluster"].map(reconciled.register.set_index("_cluster")["actor_id"])
    raw = {s: e.frame for s, e in exports.items()}
    sheets = review.build_review(reconciled.rows, reconciled.pairs, raw, actor_of_row, reconciled.model.threshold)
    overrides = linkage_state.exclusion_overrides
    (private / EXCLUSION_OVERRIDES).write_bytes(xlsx.plain_csv_bytes(overrides))
    sheets[review_overrides.EXCLUSIONS] = review_overrides.exclusion_sheet(reconciled.rows, raw, overrides)
    proposed = reconciled.proposed_model or linkage_state.proposed  # waits for the staff's answer
    for name, model in (
        (MODEL, linkage_state.approved),
        (PROPOSED_MODEL, proposed),
        (REJECTED_MODEL, linkage_state.rejected),
    ):
        if model is not None:
            (private / name).write_text(model.to_json(), encoding="utf-8")
    sheets.update(review_overrides.weight_sheets(reconciled.model, proposed))
    (private / "review.xlsx").write_bytes(review.review_xlsx(sheets, snapshot))

    del sheets
    release_memory()
    headers = tuple(mapping_frame["header"]) + tuple(
        c.replace("_", " ") for c in ingest.ODS_COLUMNS + ingest.OSS_COLUMNS
    )
    return identifier_gate.Identifiers.from_rows(
        [e.frame for e in exports.values()],
        reconciled.rows,
        headers,
        origins=tuple((e.file, e.header_row) for e in exports.values()),
        sources=tuple(exports),
        ordinary=identifier_gate.site_words(),
    )


def record_keys(private: Path, actor_ids, secret: bytes):
    """Every actor's record keys: the ones kept in private/ (so a new secret never re-draws them), and for a new
    actor the ones its id and the secret give (ckm.record_keys). Leavers keep theirs: they may come back."""
    import numpy as np
    import pandas as pd

    from umkm.disclose import ckm

    kept = None
    if (private / RECORD_KEYS).is_file():
        kept = pd.read_csv(
            private / RECORD_KEYS,
            dtype={"actor_id": str, "kunci_sel": np.int64, "kunci_baris": np.int64},
            keep_default_na=False,
        )
    new = pd.Index(actor_ids.astype(str).unique())
    if kept is not None:
        new = new.difference(pd.Index(kept["actor_id"]))
    cell, row = ckm.record_keys(new, secret)
    fresh = pd.DataFrame({"actor_id": new.astype(str), "kunci_sel": cell, "kunci_baris": row})
    keys = fresh if kept is None else pd.concat([kept, fresh], ignore_index=True)
    return keys.sort_values("actor_id", kind="stable").reset_index(drop=True)


def carry_release_truths(private: Path, staging_private: Path) -> None:
    """The truths of the earlier releases, kept from one build to the next (private, never published)."""
    if (private / history.TRUTHS).is_dir():
        files.safe_copy_tree(private / history.TRUTHS, staging_private / history.TRUTHS)


def write_release_truth(private: Path, version: str, snapshot, disclosed, statistics, microdata, quality) -> None:
    """private/rilis/<version>.parquet and .json: this release's truth for the differencing gate of later ones,
    and a copy of its published statistics and microdata (builds without a site keep no unduh/<version>/)."""
    import pandas as pd

    folder = private / history.TRUTHS
    folder.mkdir(parents=True, exist_ok=True)
    files.write_files(
        folder / version / "umkm-statistik",
        {name: data for name, data in statistics.files.items() if name.endswith(".csv")},
    )
    files.write_files(
        folder / version,
        {
            history.MICRODATA_CSV: microdata.files["pelaku_umkm.csv"],
            history.QUALITY_CSV: quality.files["kualitas_data.csv"],
        },
    )
    disclosed.truth.to_parquet(folder / f"{version}.parquet", index=False)
    meta = {"version": version, "snapshot_date": str(pd.Timestamp(snapshot).date()), "retries": disclosed.retries}
    (folder / f"{version}.json").write_text(json.dumps(meta, indent=1, sort_keys=True) + "\n", encoding="utf-8")
