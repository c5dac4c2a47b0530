"""The statistics tables the project publishes: names, dimensions and titles, in one place.

disclose computes them, package writes them, site_pages draws them; all three read
these declarations so a table is declared once.

Every count table is a DataFrame with its dimension columns (text codes, in the
order given), then ``jumlah_pelaku`` (nullable integer: <NA> where suppressed)
and ``status_sel`` ("" for a published cell, "disembunyikan" for a suppressed one).
"""

from __future__ import annotations

from dataclasses import dataclass

COUNT = "jumlah_pelaku"
CELL_STATUS = "status_sel"
SUPPRESSED = "disembunyikan"


@dataclass(frozen=True)
class TableSpec:
    name: str  # resource name, file stem and page slug
    dimensions: tuple[str, ...]  # microdata columns the table counts by
    title_id: str
    title_en: str


COUNT_TABLES: tuple[TableSpec, ...] = (
    TableSpec("menurut_kecamatan", ("kecamatan_kode",),
              "Pelaku UMKM menurut kecamatan", "UMKM actors by kecamatan (district)"),
    TableSpec("menurut_kelurahan", ("kelurahan_kode",),
              "Pelaku UMKM menurut kelurahan", "UMKM actors by kelurahan (urban village)"),
    TableSpec("menurut_kbli_kategori", ("kbli_kategori",),
              "Pelaku UMKM menurut kategori KBLI 2020", "UMKM actors by KBLI 2020 category"),
    TableSpec("menurut_skala_usaha", ("skala_usaha",),
              "Pelaku UMKM menurut skala usaha (PP 7/2021)", "UMKM actors by size class (PP 7/2021)"),
    TableSpec("menurut_jenis_kelamin_umur", ("jenis_kelamin", "kelompok_umur"),
              "Pelaku UMKM menurut jenis kelamin dan kelompok umur pemilik",
              "UMKM actors by owner's sex and age band"),
    TableSpec("pemasaran_online_keaktifan", ("pemasaran_online", "masih_aktif"),
              "Pemasaran online dan keaktifan usaha", "Online selling and whether the business is active"),
    TableSpec("menurut_pelatihan", ("pelatihan",),
              "Pelaku UMKM yang pernah mengikuti pelatihan", "UMKM actors who attended training"),
    TableSpec("menurut_bantuan_modal", ("bantuan_modal",),
              "Penerima bantuan modal Rp300.000", "Recipients of the Rp300,000 capital grant"),
    TableSpec("menurut_punya_nib", ("punya_nib",),
              "Pelaku UMKM menurut kepemilikan NIB", "UMKM actors by whether they hold an NIB"),
    TableSpec("menurut_sentra", ("sentra",),
              "Pelaku UMKM di sentra industri kecil", "UMKM actors in the small-industry sentra"),
    TableSpec("kecamatan_kbli_skala", ("kecamatan_kode", "kbli_kategori", "skala_usaha"),
              "Pelaku UMKM menurut kecamatan, kategori KBLI dan skala usaha",
              "UMKM actors by kecamatan, KBLI category and size class"),
)

TABLES_BY_NAME = {spec.name: spec for spec in COUNT_TABLES}
