"""Reconciled rows and decisions in, the public data-quality report out (counts only).

This is the 59,000 rows to 47,000 actors story told with numbers: rows read per
source, actors found, duplicates, exclusions by reason, repairs and unusable values.
"""

from __future__ import annotations

import pandas as pd

from umkm.reconcile.exclusions import DEFERRED, REASONS
from umkm.reconcile.register import Reconciled

REASON_LABELS = {
    "usaha_besar": (
        "Dikecualikan: usaha besar (di atas batas menengah PP 7/2021)",
        "Excluded: large enterprise (above the PP 7/2021 medium bounds)",
    ),
    "bukan_usaha": (
        "Dikecualikan: bukan usaha (mis. peserta pelatihan)",
        "Excluded: no business (e.g. a training participant)",
    ),
    "luar_wilayah": ("Dikecualikan: di luar Kota Balikpapan", "Excluded: outside Kota Balikpapan"),
    "badan_lain": (
        "Dikecualikan: koperasi, instansi pemerintah atau yayasan",
        "Excluded: cooperative, government body or foundation",
    ),
    "tidak_valid": (
        "Dikecualikan: baris uji atau tanpa isi yang dapat dipakai",
        "Excluded: test row or nothing usable",
    ),
}


def quality_report(reconciled: Reconciled) -> pd.DataFrame:
    # The release describes the register at its snapshot date: rows entered later are not counted.
    current = ~reconciled.rows["reason"].eq(DEFERRED).to_numpy()
    rows, decisions, register = (
        reconciled.rows[current],
        reconciled.decisions[~reconciled.decisions["reason"].eq(DEFERRED)],
        reconciled.register,
    )
    ods = rows["source"].eq("ods")
    oss = rows["source"].eq("oss")
    measures: list[tuple[str, str, str, int]] = [
        ("baris_ods", "Baris dibaca dari ODS", "Rows read from ODS", int(ods.sum())),
        ("baris_oss", "Baris dibaca dari OSS", "Rows read from OSS", int(oss.sum())),
        ("pelaku_umkm", "Pelaku UMKM ditemukan", "UMKM actors found", len(register)),
        (
            "baris_duplikat",
            "Baris duplikat dari pelaku yang sama",
            "Duplicate rows of the same actor",
            int(decisions["status"].eq("duplicate").sum()),
        ),
    ]
    for reason in REASONS:
        label_id, label_en = REASON_LABELS[reason]
        measures.append((f"dikecualikan_{reason}", label_id, label_en, int(decisions["reason"].eq(reason).sum())))
    sources = register["sumber"].value_counts()
    measures += [
        ("pelaku_hanya_ods", "Pelaku hanya di ODS", "Actors only in ODS", int(sources.get("ods", 0))),
        ("pelaku_hanya_oss", "Pelaku hanya di OSS", "Actors only in OSS", int(sources.get("oss", 0))),
        ("pelaku_ods_dan_oss", "Pelaku di ODS dan OSS", "Actors in both ODS and OSS", int(sources.get("ods+oss", 0))),
        (
            "nik_rusak_excel",
            "NIK rusak oleh Excel (tidak dapat dipakai)",
            "NIKs destroyed by Excel (unusable)",
            int((ods & rows["nik_status"].eq("excel_destroyed")).sum()),
        ),
        (
            "nik_tidak_sah",
            "NIK tidak sah (panjang atau struktur)",
            "Invalid NIKs (length or structure)",
            int((ods & rows["nik_status"].eq("invalid")).sum()),
        ),
        ("nik_kosong", "NIK kosong", "Missing NIKs", int((ods & rows["nik_status"].eq("missing")).sum())),
        (
            "telepon_tidak_sah",
            "Nomor telepon tidak sah",
            "Invalid phone numbers",
            int(rows["phone_status"].eq("invalid").sum()),
        ),
        (
            "kelurahan_diperbaiki",
            "Nama kelurahan diperbaiki (ejaan)",
            "Kelurahan names repaired (spelling)",
            int(rows["region_status"].eq("repaired").sum()),
        ),
        (
            "kecamatan_disimpulkan",
            "Kecamatan disimpulkan dari kelurahan",
            "Kecamatan inferred from the kelurahan",
            int(rows["region_status"].eq("kecamatan_inferred").sum()),
        ),
        (
            "wilayah_bertentangan",
            "Kelurahan dan kecamatan bertentangan",
            "Kelurahan and kecamatan in conflict",
            int(rows["region_status"].eq("conflict").sum()),
        ),
        (
            "wilayah_tidak_dikenal",
            "Wilayah tidak dikenali",
            "Area not recognised",
            int(rows["region_status"].eq("unknown").sum()),
        ),
        (
            "kbli_dari_teks",
            "KBLI disimpulkan dari bidang usaha",
            "KBLI category inferred from the free text",
            int(rows["kbli_status"].eq("from_text").sum()),
        ),
    ]
    return pd.DataFrame(measures, columns=["metrik", "label_id", "label_en", "nilai"])
