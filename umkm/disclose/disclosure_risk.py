"""The disclosure-risk report of a release: the microdata's equivalence classes (the k-anonymity and
l-diversity achieved, the class sizes), the suppression per column, the perturbation per table, the cell key
method's parameters and p-table, and the figures of the differencing gate (umkm/disclose/anonymise.py runs it)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from umkm.disclose import ckm, sdc_microdata, sdc_releases, sdc_tables
from umkm.disclose.sdc_microdata import (
    K_ANONYMITY,
    L_DIVERSITY,
    MAX_SUPPRESSED_SHARE,
    QI_COLUMNS,
    QUASI_IDENTIFIERS,
    SENSITIVE,
)
from umkm.disclose.tables import RISK_RESOURCES

# The microdata's classes -----------------------------------------------------------------------------------------


def _text_codes(patterns: sdc_tables.Patterns, column: str, blank: str | None) -> tuple[np.ndarray, int]:
    """Per row of ``patterns`` a code of the column's value read as text (astype("string")): a blank reads as
    ``blank``, or stays -1 (None). Returns the codes and how many there are."""
    uniques, code = patterns.factorized(column)[1], patterns.row_codes(column)  # NA -> -1
    text = pd.Series(uniques).astype("string").tolist() + ([] if blank is None else [blank])
    same, distinct = pd.factorize(pd.Series(text, dtype=object))  # two values may read the same
    if blank is None:
        return (np.where(code >= 0, same[np.maximum(code, 0)], -1) if len(same) else code), len(distinct)
    return same[np.where(code < 0, len(uniques), code)], len(distinct)


def class_ids(microdata: pd.DataFrame, patterns: sdc_tables.Patterns) -> dict[str, np.ndarray]:
    """Per row of ``patterns`` its class (rows whose quasi-identifier columns read the same as text), with a
    blank read as "" (as grouping ``astype("string").fillna("")`` would) and as "\\x00". Unless a value
    reads as one of those, both are the same classes: the blank is a value of its own."""
    if not len(microdata):
        return {blank: np.zeros(0, dtype=np.int64) for blank in ("", "\x00")}
    texts = {v for c in QI_COLUMNS for v in pd.Series(patterns.factorized(c)[1]).astype("string").tolist()}
    out: dict[str, np.ndarray] = {}
    for blank in ("", "\x00"):
        out[blank] = sdc_microdata.combine([_text_codes(patterns, column, blank) for column in QI_COLUMNS])[0]
        if not texts & {"", "\x00"}:
            out["\x00"] = out[blank]
            break
    return out


def _class_sizes(microdata: pd.DataFrame, group: np.ndarray, patterns: sdc_tables.Patterns) -> np.ndarray:
    return np.bincount(group, weights=patterns.rows()[1]).astype(np.int64) if len(group) else np.zeros(0, np.int64)


def class_size_histogram(microdata: pd.DataFrame, sizes: np.ndarray | None = None) -> pd.DataFrame:
    if sizes is None:
        patterns = microdata_patterns(microdata)
        sizes = _class_sizes(microdata, class_ids(microdata, patterns)[""], patterns)
    bins = [
        (1, 4, "1-4"),
        (5, 5, "5"),
        (6, 6, "6"),
        (7, 7, "7"),
        (8, 8, "8"),
        (9, 9, "9"),
        (10, 19, "10-19"),
        (20, 49, "20-49"),
        (50, 99, "50-99"),
        (100, 999, "100-999"),
        (1000, 10**9, "1000+"),
    ]
    rows = [
        (label, int(((sizes >= lo) & (sizes <= hi)).sum()), int(sizes[(sizes >= lo) & (sizes <= hi)].sum()))
        for lo, hi, label in bins
    ]
    return pd.DataFrame(rows, columns=list(RISK_RESOURCES["ukuran_kelas"]))


def microdata_patterns(microdata: pd.DataFrame) -> sdc_tables.Patterns:
    return sdc_tables.Patterns(microdata, [c for c in microdata.columns if c != "pseudonim"])


def achieved(microdata: pd.DataFrame, group: np.ndarray, patterns: sdc_tables.Patterns) -> tuple[int, int]:
    """Smallest class, and fewest distinct known values of a sensitive attribute in a class with any
    (group: the class of each row of ``patterns``)."""
    sizes = _class_sizes(microdata, group, patterns)
    k = int(sizes.min()) if len(group) else 0
    l_min = None
    for column in SENSITIVE:
        code, values = _text_codes(patterns, column, None)  # -1: no known value
        known = code >= 0
        seen = np.zeros(len(sizes) * max(values, 1), dtype=bool)
        seen[group[known] * max(values, 1) + code[known]] = True
        distinct = seen.reshape(len(sizes), max(values, 1)).sum(axis=1)
        if distinct.any():
            least = int(distinct[distinct > 0].min())
            l_min = least if l_min is None else min(l_min, least)
    return k, l_min or 0


# The disclosure-risk report ---------------------------------------------------------------------------------------


def column_suppression(detail: pd.DataFrame, microdata: pd.DataFrame, rows: np.ndarray | None = None) -> pd.DataFrame:
    """Per quasi-identifier column of the microdata: the share of its cells left blank although the value is
    known (suppressed or generalised away), and the share blank because it is not known."""
    out = []
    for q in QUASI_IDENTIFIERS:
        for column in q.columns:
            source = detail[q.source if q.bands else column]
            known = source.notna().to_numpy()
            if rows is not None:
                known = known[rows]
            blank = microdata[column].isna().to_numpy()
            n = max(len(blank), 1)
            out.append(
                (column, round(100 * float((blank & known).sum()) / n, 2), round(100 * float((~known).sum()) / n, 2))
            )
    return pd.DataFrame(out, columns=list(RISK_RESOURCES["kolom_mikrodata"]))


def perturbation_summary(keyed, published) -> pd.DataFrame:
    """Per table: how many cells the noise changed and by how much on average. Which cells, or which rows had
    their keys moved on, is never said: that would tell where actors changed."""
    rows = []
    for name, table in keyed.items():
        change = published[name].astype(np.float64) - np.round(table.value)
        kind = "jumlah" if table.kind == "count" else "besaran"
        relative = np.abs(change) / np.maximum(table.value, 1.0)
        rows.append(
            (
                name,
                kind,
                len(table.value),
                int((change != 0).sum()),
                round(float(np.abs(change).mean()), 2) if len(change) else 0.0,
                round(100 * float(relative[table.value > 0].mean()), 2) if (table.value > 0).any() else 0.0,
            )
        )
    return pd.DataFrame(
        rows,
        columns=list(RISK_RESOURCES["perturbasi_tabel"]),
    )


def ckm_parameters() -> pd.DataFrame:
    p = [
        ("d_maksimum", "Perubahan maksimum sel jumlah", "Maximum perturbation of a count", ckm.D_MAX),
        ("varians", "Varians perubahan sel jumlah", "Variance of the perturbation of a count", ckm.VARIANCE),
        (
            "js_terlarang",
            "Jumlah 1 sampai js tidak pernah diterbitkan",
            "Counts 1 to js are never published",
            ckm.BLOCKED_MAX,
        ),
        (
            "m_besaran",
            "Skala derau besaran: bagian dari kontribusi terbesar",
            "Noise scale of magnitudes: share of the largest contribution",
            ckm.MAGNITUDE_SHARE,
        ),
        (
            "m_besaran_maks",
            "Derau besaran paling besar: bagian dari kontribusi terbesar",
            "Largest magnitude noise: share of the largest contribution",
            2 * ckm.MAGNITUDE_SHARE,
        ),
        (
            "satuan_minimum_tenaga_kerja",
            "Skala derau tenaga kerja paling kecil (orang)",
            "Smallest noise scale of workforce (persons)",
            ckm.MAGNITUDE_MIN_UNIT["tenaga_kerja"],
        ),
        ("bit_kunci_rekaman", "Bit kunci rekaman", "Bits of a record key", ckm.RECORD_KEY_BITS),
        (
            "ambang_tepat_persen",
            "Estimasi dalam persen ini dianggap tepat (gerbang)",
            "An estimate within this per cent counts as exact (gate)",
            100 * sdc_releases.EXACT_SHARE,
        ),
        ("k_anonimitas", "Target k-anonimitas mikrodata", "k-anonymity target of the microdata", K_ANONYMITY),
        ("l_diversitas", "Target l-diversitas mikrodata", "l-diversity target of the microdata", L_DIVERSITY),
    ]
    frame = pd.DataFrame(p, columns=list(RISK_RESOURCES["parameter_ckm"]))
    frame["nilai"] = frame["nilai"].astype("float64")
    return frame


def ptable_frame() -> pd.DataFrame:
    import io

    frame = pd.read_csv(io.StringIO(ckm.ptable_csv(ckm.ptable())), dtype={"nilai_sel": str})
    return frame


def risk_report(detail, microdata, found, keyed, published, retries, attack, patterns=None, repaired=None):
    best = found.best
    n_qi = len(QUASI_IDENTIFIERS)
    patterns = patterns or microdata_patterns(microdata)
    group = class_ids(microdata, patterns)
    k, l_div = achieved(microdata, group["\x00"], patterns)
    sizes = _class_sizes(microdata, group[""], patterns)
    histogram = class_size_histogram(microdata, sizes)
    steps = (best.levels - np.asarray(best.node)).clip(min=0)
    generalisation = pd.DataFrame(
        [
            (q.name, ", ".join(q.columns), q.levels[level], level, len(q.levels) - 1, q.weight, int(steps[:, i].sum()))
            for i, (q, level) in enumerate(zip(QUASI_IDENTIFIERS, best.node))
        ],
        columns=list(RISK_RESOURCES["generalisasi"]),
    )
    per_table = perturbation_summary(keyed, published)
    columns = column_suppression(detail, microdata, np.flatnonzero(best.kept))
    count_tables = per_table[per_table["jenis_tabel"] == "jumlah"]
    magnitude_tables = per_table[per_table["jenis_tabel"] == "besaran"]
    count_change = np.concatenate([published[n].astype(np.float64) - keyed[n].value for n in count_tables["tabel"]])
    figures = sdc_releases.report(attack)
    total_values = len(detail) * n_qi
    m = [
        ("k_anonimitas_target", "Target k-anonimitas", "k-anonymity target", K_ANONYMITY),
        ("k_anonimitas_tercapai", "k-anonimitas tercapai (kelas terkecil)", "k-anonymity achieved (smallest class)", k),
        ("l_diversitas_target", "Target l-diversitas", "l-diversity target", L_DIVERSITY),
        (
            "l_diversitas_tercapai",
            "l-diversitas tercapai (nilai diketahui)",
            "l-diversity achieved (known values)",
            l_div,
        ),
        ("jumlah_kuasi_identifier", "Jumlah kuasi-identifier", "Quasi-identifiers", n_qi),
        ("pelaku_register", "Pelaku dalam register", "Actors in the register", len(detail)),
        ("catatan_mikrodata", "Catatan dalam mikrodata", "Records in the microdata", len(microdata)),
        (
            "catatan_dihapus",
            "Catatan dihapus dari mikrodata",
            "Records dropped from the microdata",
            best.records_dropped,
        ),
        ("jumlah_kelas", "Jumlah kelas kesetaraan", "Equivalence classes", len(sizes)),
        (
            "persen_nilai_qi_disembunyikan",
            "Persen nilai kuasi-identifier disembunyikan lokal",
            "Per cent of quasi-identifier values locally suppressed",
            round(100 * best.values_suppressed / max(total_values, 1), 2),
        ),
        (
            "batas_persen_disembunyikan",
            "Batas persen nilai disembunyikan",
            "Ceiling on per cent suppressed",
            100 * MAX_SUPPRESSED_SHARE,
        ),
        (
            "persen_sel_kolom_mikrodata_disembunyikan_maks",
            "Persen sel disembunyikan pada kolom mikrodata yang paling banyak",
            "Per cent of cells suppressed in the most suppressed microdata column",
            float(columns["persen_disembunyikan"].max()) if len(columns) else 0.0,
        ),
        (
            "kehilangan_informasi_persen",
            "Kehilangan informasi (persen)",
            "Information loss (per cent)",
            round(100 * best.loss, 2),
        ),
        (
            "sel_tabel_jumlah",
            "Sel tabel jumlah pelaku",
            "Cells of the count tables",
            int(count_tables["jumlah_sel"].sum()),
        ),
        (
            "sel_tabel_besaran",
            "Sel tabel besaran (omzet, modal, tenaga kerja)",
            "Cells of the magnitude tables (turnover, capital, workers)",
            int(magnitude_tables["jumlah_sel"].sum()),
        ),
        ("persen_sel_diterbitkan", "Persen sel tabel yang diterbitkan", "Per cent of table cells published", 100.0),
        (
            "persen_sel_jumlah_berubah",
            "Persen sel jumlah yang diubah oleh derau",
            "Per cent of count cells the noise changed",
            round(100 * float((count_change != 0).mean()), 2) if len(count_change) else 0.0,
        ),
        (
            "rata_rata_perubahan_mutlak_jumlah",
            "Rata-rata perubahan mutlak sel jumlah (pelaku)",
            "Mean absolute perturbation of a count cell (actors)",
            round(float(np.abs(count_change).mean()), 3) if len(count_change) else 0.0,
        ),
        (
            "rata_rata_perubahan_besaran_persen",
            "Rata-rata perubahan sel besaran (persen dari nilainya)",
            "Mean perturbation of a magnitude cell (per cent of its value)",
            round(float(magnitude_tables["rata_rata_perubahan_persen"].mean()), 2) if len(magnitude_tables) else 0.0,
        ),
        (
            "rilis_dibandingkan",
            "Rilis terdahulu yang diserang",
            "Earlier releases attacked",
            figures["releases_compared"],
        ),
        (
            "rilis_diperkirakan",
            "Rilis terdahulu tanpa catatan pribadinya (diperkirakan)",
            "Earlier releases without their private record (approximated)",
            figures["releases_approximated"],
        ),
        (
            "estimasi_selisih",
            "Estimasi nilai satu pelaku dari selisih dua rilis",
            "Estimates of one actor's amount from the difference of two releases",
            figures["estimates"],
        ),
        (
            "estimasi_selisih_tepat",
            "Estimasi yang tepat (dalam 1%)",
            "Estimates that are exact (within 1%)",
            figures["estimates_exact"],
        ),
        (
            "estimasi_selisih_dekat_persen",
            "Persen estimasi dalam 10% dari nilai sebenarnya",
            "Per cent of estimates within 10% of the true value",
            figures["estimates_close_share"],
        ),
        (
            "tebakan_tanpa_selisih_dekat_persen",
            "Persen tebakan tanpa selisih (rata-rata sel) dalam 10%",
            "Per cent of guesses without differencing (the cell's mean) within 10%",
            figures["naive_close_share"],
        ),
        (
            "baris_tabel_berubah",
            "Baris tabel yang pelakunya berubah sejak rilis terdahulu",
            "Table rows whose actors changed since an earlier release",
            figures["rows_with_changes"],
        ),
        (
            "baris_menunjuk_pelaku",
            "Baris yang hanya menggerakkan sel pelaku yang berubah (harus 0)",
            "Rows that moved only the cells of the actors who changed (must be 0)",
            figures["rows_pointing"],
        ),
        (
            "catatan_mikrodata_dikasarkan_antarrilis",
            "Catatan mikrodata dikasarkan agar selisih dengan rilis terdahulu tetap k-anonim dan l-beragam",
            "Microdata records coarsened so that the differences with earlier releases stay k-anonymous and l-diverse",
            repaired.records_moved if repaired is not None else 0,
        ),
        (
            "catatan_mikrodata_ditahan_antarrilis",
            "Catatan mikrodata ditahan (tidak diterbitkan) karena selisih antarrilis",
            "Microdata records withheld because of the differences between releases",
            repaired.records_withheld if repaired is not None else 0,
        ),
        (
            "kunci_sel_diulang",
            "Kunci baris atau sel yang diulang melawan penyerang",
            "Row or cell keys moved on against the attacker",
            int(sum((r > 0).sum() for r in retries.values())),
        ),
        (
            "lulus",
            "Lulus semua pemeriksaan (1 = ya)",
            "Passed every check (1 = yes)",
            int(k >= K_ANONYMITY and (l_div >= L_DIVERSITY or l_div == 0) and not attack.findings),
        ),
    ]
    risk = pd.DataFrame(m, columns=list(RISK_RESOURCES["ringkasan_risiko"]))
    risk["nilai"] = risk["nilai"].astype("float64")
    columns_of = {
        "rilis": "str",
        "baris_baru": "int64",
        "baris_hilang": "int64",
        "kelas_terkecil_baru": "int64",
        "kelas_terkecil_hilang": "int64",
        "catatan_dipindah": "int64",
    }
    differences = repaired.releases if repaired is not None else pd.DataFrame(columns=list(columns_of))
    # A release with no row new or gone is this release itself, rebuilt inside its period: not a comparison.
    differences = differences[(differences["baris_baru"] > 0) | (differences["baris_hilang"] > 0)]
    differences = differences.reset_index(drop=True).astype(columns_of)
    return risk, {
        "ringkasan_risiko": risk,
        "generalisasi": generalisation,
        "ukuran_kelas": histogram,
        "kolom_mikrodata": columns,
        "perturbasi_tabel": per_table,
        "selisih_mikrodata": differences,
        "parameter_ckm": ckm_parameters(),
        "tabel_perturbasi": ptable_frame(),
    }
