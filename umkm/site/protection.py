"""The published disclosure-risk package in, the methodology page's table of protection figures out.

The methodology page (docs/metodologi.md and docs/en/metodologi.md, written by hand) explains the method;
the figures of this release (what the noise cost, what the attacker got, how much of each microdata column
is suppressed) are filled in at the marker ``MARKER`` from the package ``umkm-risiko-pengungkapan`` as
published, so the page never states a figure the release does not.
"""

from __future__ import annotations

import io

import pandas as pd

MARKER = "<!-- angka-perlindungan-rilis-ini -->"
RISK_PACKAGE = "umkm-risiko-pengungkapan"
SUMMARY_ROWS = (
    "persen_sel_diterbitkan",
    "persen_sel_jumlah_berubah",
    "rata_rata_perubahan_mutlak_jumlah",
    "rata_rata_perubahan_besaran_persen",
    "k_anonimitas_tercapai",
    "l_diversitas_tercapai",
    "kehilangan_informasi_persen",
    "rilis_dibandingkan",
    "rilis_diperkirakan",
    "estimasi_selisih",
    "estimasi_selisih_tepat",
    "estimasi_selisih_dekat_persen",
    "tebakan_tanpa_selisih_dekat_persen",
    "baris_tabel_berubah",
    "baris_menunjuk_pelaku",
    "kunci_sel_diulang",
)


def _number(value: float, lang: str) -> str:
    text = f"{value:,.2f}".rstrip("0").rstrip(".") if value != int(value) else f"{int(value):,}"
    return text.translate(str.maketrans({",": ".", ".": ","})) if lang == "id" else text


def _frame(files: dict[str, bytes], name: str) -> pd.DataFrame | None:
    data = files.get(f"{name}.csv")
    return None if data is None else pd.read_csv(io.BytesIO(data), dtype={"kolom": str, "metrik": str})


def figures(files: dict[str, bytes], lang: str, version: str) -> str:
    """Markdown: the release's protection figures (from the risk package's CSV files, by file name)."""
    summary, columns = _frame(files, "ringkasan_risiko"), _frame(files, "kolom_mikrodata")
    if summary is None:
        return ""
    label = "label_id" if lang == "id" else "label_en"
    by_name = summary.set_index("metrik")
    lines = [
        ("Angka rilis " if lang == "id" else "Figures of release ") + f"**{version}**:",
        "",
        "| " + ("ukuran | nilai" if lang == "id" else "measure | value") + " |",
        "|---|---:|",
    ]
    for name in SUMMARY_ROWS:
        if name in by_name.index:
            lines.append(f"| {by_name.loc[name, label]} | {_number(float(by_name.loc[name, 'nilai']), lang)} |")
    if columns is not None and len(columns):
        lines += [
            "",
            (
                "Kolom kuasi-identifier mikrodata: persen sel yang dikosongkan walaupun nilainya diketahui "
                "(kehilangan informasi) dan yang kosong karena tidak tercatat."
                if lang == "id"
                else "The microdata's quasi-identifier columns: per cent of cells left blank although the value is "
                "known (information loss), and blank because it is not recorded."
            ),
            "",
            "| "
            + (
                "kolom | disembunyikan (%) | tidak tercatat (%)"
                if lang == "id"
                else "column | suppressed (%) | not recorded (%)"
            )
            + " |",
            "|---|---:|---:|",
        ]
        for row in columns.itertuples(index=False):
            lines.append(
                f"| `{row.kolom}` | {_number(float(row.persen_disembunyikan), lang)} | "
                f"{_number(float(row.persen_tidak_diketahui), lang)} |"
            )
    return "\n".join(lines) + "\n"


def fill(text: str, files: dict[str, bytes], lang: str, version: str) -> str:
    """The page with the marker replaced by the figures (a page without the marker is returned unchanged)."""
    return text.replace(MARKER, figures(files, lang, version)) if MARKER in text else text
