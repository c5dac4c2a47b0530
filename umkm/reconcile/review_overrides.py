"""Reconciled rows and linkage models in, the review workbook's sheets on exclusions and weights out; staff answers back in.

Sheets, beside those of umkm/reconcile/review.py:
- ``pengecualian``: every row set aside, and every row whose exclusion staff overruled: its
  reason, the kind of rule that fired (``aturan``: pola_nama, bentuk_badan, ukuran, wilayah,
  kosong, or keputusan_staf), the rule explained with the row's own values, the row as typed,
  and ``keputusan_staf``: write ``pelaku`` (it is a UMKM actor after all) or a reason code (set
  it aside for that reason instead); empty the cell to give the row back to the rules. The
  next build obeys, as it obeys ``sama``/``beda``, and keeps the decisions in
  private/keputusan_pengecualian.csv.
- ``bobot_tautan``: the linkage weights per field and level: the fixed ones, those in use, and
  those learnt from this register when a model was proposed (with m and u).
- ``persetujuan_bobot``: the proposed model and ``keputusan_staf``: ``pakai`` to link with it from
  the next build on, ``tolak`` to keep the weights in use.
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd

from umkm.ingest.exports import InputError
from umkm.reconcile import linkage_model
from umkm.reconcile.exclusions import ACTOR_WORD, DEFERRED, EXCLUSION_RULES, REASONS, STAFF_RULE
from umkm.xlsx import _column_name

EXCLUSIONS, WEIGHTS, APPROVAL = "pengecualian", "bobot_tautan", "persetujuan_bobot"
OVERRIDE_COLUMNS = ["fingerprint", "keputusan"]
OVERRIDE_WORDS = (ACTOR_WORD, *REASONS)
USE, REJECT = "pakai", "tolak"
# The row as typed, per source: (label, column of the export).
AS_TYPED = {
    "ods": (
        ("nama_usaha", "nama_usaha"),
        ("nama_pemilik", "nama_pemilik"),
        ("kelurahan", "kelurahan"),
        ("kabupaten_kota", "kabupaten_kota"),
        ("status_badan_usaha", "status_badan_usaha"),
        ("modal_usaha", "modal_usaha"),
        ("omzet_per_tahun", "omzet_per_tahun"),
    ),
    "oss": (
        ("nama_usaha", "nama_pelaku_usaha"),
        ("nama_pemilik", "nama_pelaku_usaha"),
        ("kelurahan", "kd_daerah"),
        ("kabupaten_kota", "kd_daerah"),
        ("status_badan_usaha", "jenis_pelaku_usaha"),
        ("modal_usaha", "jumlah_investasi"),
        ("omzet_per_tahun", "skala_usaha"),
    ),
}


def _rupiah(value) -> str:
    return f"{int(value):,}".replace(",", ".") if pd.notna(value) else "?"


def _explain(rule: str, row: dict) -> str:
    """The rule that set a row aside, in words, with the row's values."""
    if rule == STAFF_RULE:
        return "keputusan staf di buku kerja tinjauan"
    values = {**row, "modal_usaha": _rupiah(row["modal_usaha"]), "omzet_per_tahun": _rupiah(row["omzet_per_tahun"])}
    return EXCLUSION_RULES[rule][2].format(
        **{k: "(kosong)" if v is None or v is pd.NA or v == "" else v for k, v in values.items()}
    )


def exclusion_sheet(rows: pd.DataFrame, raw: dict[str, pd.DataFrame], overrides: pd.DataFrame) -> pd.DataFrame:
    """One line per row set aside or overruled by staff, sorted by source and row. A row that only waits for a
    later release (entered after the snapshot date) is not set aside: that release's review lists it."""
    shown = (rows["reason"].ne("") & rows["reason"].ne(DEFERRED)) | rows["exclusion_rule"].eq(STAFF_RULE)
    chosen = rows.loc[shown].sort_values(["source", "source_row"], kind="stable")
    kept = overrides.drop_duplicates("fingerprint", keep="last").set_index("fingerprint")["keputusan"].astype(object)
    fields = ["nama_usaha_key", "nama_pemilik_key", "status_badan_usaha", "modal_usaha", "omzet_per_tahun"]
    records = chosen[fields].astype(object).where(chosen[fields].notna(), None).to_dict("records")
    sheet = pd.DataFrame(
        {
            "sumber": chosen["source"].to_numpy(dtype=object),
            "baris": chosen["source_row"].to_numpy(),
            "alasan": chosen["reason"].fillna("").to_numpy(dtype=object),
            "aturan": [STAFF_RULE if r == STAFF_RULE else EXCLUSION_RULES[r][1] for r in chosen["exclusion_rule"]],
            "keterangan": [_explain(rule, record) for rule, record in zip(chosen["exclusion_rule"], records)],
        }
    )
    typed = {label: np.full(len(chosen), None, dtype=object) for label, _ in AS_TYPED["ods"]}
    for source, frame in raw.items():
        mine = np.flatnonzero(chosen["source"].to_numpy() == source)
        at = pd.Index(frame["source_row"]).get_indexer(chosen["source_row"].to_numpy()[mine])
        found = at >= 0
        for label, column in AS_TYPED[source]:
            typed[label][mine[found]] = frame[column].iloc[at[found]].to_numpy(dtype=object)
    for label, values in typed.items():
        sheet[label] = values
    sheet["keputusan_staf"] = chosen["fingerprint"].map(kept).astype(object).fillna("").to_numpy(dtype=object)
    sheet["fingerprint"] = chosen["fingerprint"].to_numpy(dtype=object)
    return sheet


def weight_sheets(in_use: linkage_model.Model, proposed: linkage_model.Model | None) -> dict[str, pd.DataFrame]:
    """The weights per field and level (fixed, in use, proposed) and the approval line of the proposal."""
    used = {(r["kolom"], r["tingkat"]): r for r in linkage_model.summary(in_use)}
    new = {(r["kolom"], r["tingkat"]): r for r in linkage_model.summary(proposed)} if proposed else {}
    lines = [
        {
            "kolom": "ambang",
            "tingkat": "",
            "bobot_tetap": linkage_model.FIXED.threshold,
            "bobot_dipakai": round(in_use.threshold, 2),
            "bobot_usulan": round(proposed.threshold, 2) if proposed else None,
            "m_usulan": None,
            "u_usulan": None,
            "frekuensi_nilai": "",
        }
    ]
    for key, line in used.items():
        lines.append(
            {
                "kolom": key[0],
                "tingkat": key[1],
                "bobot_tetap": line["bobot_tetap"],
                "bobot_dipakai": line["bobot_model"],
                "bobot_usulan": new[key]["bobot_model"] if new else None,
                "m_usulan": new[key]["m"] if new else None,
                "u_usulan": new[key]["u"] if new else None,
                "frekuensi_nilai": (new[key] if new else line)["frekuensi_nilai"],
            }
        )
    weights = pd.DataFrame(lines)
    for column in ("bobot_usulan", "m_usulan", "u_usulan"):
        weights[column] = weights[column].astype("float64")
    approval = pd.DataFrame(
        {
            "model": [proposed.fingerprint] if proposed else [],
            "dipakai_sekarang": [in_use.fingerprint] if proposed else [],
            "baris_latih": [proposed.training.get("rows")] if proposed else [],
            "keputusan_staf": [""] if proposed else [],
            "petunjuk": [
                f"tulis {USE} untuk menautkan dengan bobot usulan mulai build berikutnya, {REJECT} untuk "
                f"tetap memakai bobot sekarang"
            ]
            if proposed
            else [],
        }
    )
    return {WEIGHTS: weights, APPROVAL: approval}


def _sheet(data: bytes, name: str) -> list[list] | None:
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    if name not in workbook.sheet_names:
        return None
    return workbook.get_sheet_by_name(name).to_python()


def _decisions(data: bytes, file: str, sheet: str, key: str, words: tuple[str, ...]) -> list[tuple[str, str]]:
    """(key, decision) per line of a sheet, the decision lower-cased ("" where empty); a word that is
    not one of `words` is refused, naming the file, sheet and cell."""
    cells = _sheet(data, sheet)
    if not cells:
        return []
    header = [str(c) for c in cells[0]]
    if "keputusan_staf" not in header or key not in header:
        raise InputError(file, f"sheet {sheet} has no column keputusan_staf or {key}", row=1)
    at, key_at = header.index("keputusan_staf"), header.index(key)
    out = []
    for number, line in enumerate(cells[1:], start=2):
        word = str(line[at] if at < len(line) else "").strip().lower()
        if word not in ("", *words):
            raise InputError(
                file,
                f"sheet {sheet}, cell {_column_name(at)}{number}: {word!r} is not a decision; "
                f"write one of {', '.join(words)} or leave it empty",
                row=number,
                column="keputusan_staf",
            )
        out.append((str(line[key_at]).strip(), word))
    return out


def read_exclusion_overrides(data: bytes, file: str) -> tuple[pd.DataFrame, set[str]]:
    """The keputusan_staf cells of the pengecualian sheet: the decisions made, and every row's
    fingerprint listed (an empty cell there withdraws a kept decision)."""
    lines = _decisions(data, file, EXCLUSIONS, "fingerprint", OVERRIDE_WORDS)
    decided = pd.DataFrame([line for line in lines if line[1]], columns=OVERRIDE_COLUMNS)
    return decided, {fingerprint for fingerprint, _ in lines}


def merge_exclusion_overrides(kept: pd.DataFrame | None, filled: pd.DataFrame, listed: set[str]) -> pd.DataFrame:
    """The kept decisions, less those of rows the workbook listed, plus the workbook's; sorted."""
    kept = kept if kept is not None else pd.DataFrame(columns=OVERRIDE_COLUMNS)
    kept = kept.loc[~kept["fingerprint"].isin(listed), OVERRIDE_COLUMNS]
    merged = pd.concat([kept, filled[OVERRIDE_COLUMNS]], ignore_index=True).astype(str)
    merged = merged.drop_duplicates("fingerprint", keep="last")
    return merged.sort_values(["fingerprint", "keputusan"]).reset_index(drop=True)


def read_approval(data: bytes, file: str) -> tuple[str, str] | None:
    """(model fingerprint, pakai or tolak) from the persetujuan_bobot sheet, or None (no sheet, no decision)."""
    decided = [line for line in _decisions(data, file, APPROVAL, "model", (USE, REJECT)) if line[1]]
    return decided[-1] if decided else None
