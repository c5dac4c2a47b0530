"""The statistics tables the project publishes: names, dimensions and titles, in one place.

disclose computes them, package writes them, site_pages draws them; all three read
these declarations so a table is declared once.

Every count table is a DataFrame with its dimension columns (text codes, in the
order given), then ``jumlah_pelaku`` (integer, perturbed by the cell key method).

Every magnitude table is a DataFrame with its dimension columns, then its value
column (the sum of one amount over the actors with a recorded amount, perturbed).
The empty category of a dimension ("") is "unknown", so the true cells of every
table add up to the city; the published ones, each perturbed on its own, nearly do.
"""

from __future__ import annotations

from dataclasses import dataclass

COUNT = "jumlah_pelaku"
# Releases before the cell key method suppressed cells: their tables have this column ("disembunyikan" in a
# suppressed cell, whose count is empty). Readers of earlier releases (the changelog, the site) still meet it.
CELL_STATUS = "status_sel"
SUPPRESSED = "disembunyikan"
# The published microdata's columns, in order (umkm/package/fields.py declares each one).
MICRODATA_COLUMNS = (
    "pseudonim",
    "kelurahan_kode",
    "kecamatan_kode",
    "kbli_golongan_pokok",
    "kbli_kategori",
    "skala_usaha",
    "jenis_kelamin",
    "kelompok_umur",
    "kelompok_tahun_mulai",
    "kelompok_tenaga_kerja",
    "sentra",
    "punya_nib",
    "masih_aktif",
    "kelompok_omzet",
    "pemasaran_online",
    "pelatihan",
    "bantuan_modal",
)
# The resources of the disclosure-risk report and their columns, in order: the disclose stage makes them, the
# package stage declares their schemas (umkm/package/risk_fields.py).
RISK_RESOURCES = {
    "ringkasan_risiko": ("metrik", "label_id", "label_en", "nilai"),
    "generalisasi": (
        "kuasi_identifier",
        "kolom",
        "tingkat",
        "tingkat_ke",
        "tinggi",
        "bobot",
        "nilai_disembunyikan_lokal",
    ),
    "ukuran_kelas": ("ukuran_kelas", "jumlah_kelas", "jumlah_catatan"),
    "kolom_mikrodata": ("kolom", "persen_disembunyikan", "persen_tidak_diketahui"),
    "perturbasi_tabel": (
        "tabel",
        "jenis_tabel",
        "jumlah_sel",
        "sel_berubah",
        "rata_rata_perubahan",
        "rata_rata_perubahan_persen",
    ),
    "selisih_mikrodata": (
        "rilis",
        "baris_baru",
        "baris_hilang",
        "kelas_terkecil_baru",
        "kelas_terkecil_hilang",
        "catatan_dipindah",
    ),
    "parameter_ckm": ("metrik", "label_id", "label_en", "nilai"),
    "tabel_perturbasi": ("nilai_sel", "kunci_sel_dari", "kunci_sel_sampai", "perturbasi", "peluang"),
}


@dataclass(frozen=True)
class TableSpec:
    name: str  # resource name, file stem and page slug
    dimensions: tuple[str, ...]  # microdata columns the table counts by
    title_id: str
    title_en: str


@dataclass(frozen=True)
class MagnitudeSpec:
    name: str  # resource name and file stem
    dimensions: tuple[str, ...]
    measure: str  # column of the private register that is summed
    value: str  # value column of the published table (schemas.FIELDS has it, with its unit)
    title_id: str
    title_en: str


COUNT_TABLES: tuple[TableSpec, ...] = (
    TableSpec(
        "menurut_kecamatan", ("kecamatan_kode",), "Pelaku UMKM menurut kecamatan", "UMKM actors by kecamatan (district)"
    ),
    TableSpec(
        "menurut_kelurahan",
        ("kelurahan_kode",),
        "Pelaku UMKM menurut kelurahan",
        "UMKM actors by kelurahan (urban village)",
    ),
    TableSpec(
        "menurut_kbli_kategori",
        ("kbli_kategori",),
        "Pelaku UMKM menurut kategori KBLI 2020",
        "UMKM actors by KBLI 2020 category",
    ),
    TableSpec(
        "menurut_kbli_golongan_pokok",
        ("kbli_golongan_pokok",),
        "Pelaku UMKM menurut golongan pokok KBLI 2020",
        "UMKM actors by KBLI 2020 division (2 digits)",
    ),
    TableSpec(
        "menurut_skala_usaha",
        ("skala_usaha",),
        "Pelaku UMKM menurut skala usaha (PP 7/2021)",
        "UMKM actors by size class (PP 7/2021)",
    ),
    TableSpec(
        "menurut_jenis_kelamin_umur",
        ("jenis_kelamin", "kelompok_umur"),
        "Pelaku UMKM menurut jenis kelamin dan kelompok umur pemilik",
        "UMKM actors by owner's sex and age band",
    ),
    TableSpec(
        "pemasaran_online_keaktifan",
        ("pemasaran_online", "masih_aktif"),
        "Pemasaran online dan keaktifan usaha",
        "Online selling and whether the business is active",
    ),
    TableSpec(
        "menurut_pelatihan",
        ("pelatihan",),
        "Pelaku UMKM yang pernah mengikuti pelatihan",
        "UMKM actors who attended training",
    ),
    TableSpec(
        "menurut_bantuan_modal",
        ("bantuan_modal",),
        "Penerima bantuan modal Rp300.000",
        "Recipients of the Rp300,000 capital grant",
    ),
    TableSpec(
        "menurut_punya_nib",
        ("punya_nib",),
        "Pelaku UMKM menurut kepemilikan NIB",
        "UMKM actors by whether they hold an NIB",
    ),
    TableSpec(
        "menurut_sentra",
        ("sentra",),
        "Pelaku UMKM di sentra industri kecil",
        "UMKM actors in the small-industry sentra",
    ),
    TableSpec(
        "kecamatan_kbli_skala",
        ("kecamatan_kode", "kbli_kategori", "skala_usaha"),
        "Pelaku UMKM menurut kecamatan, kategori KBLI dan skala usaha",
        "UMKM actors by kecamatan, KBLI category and size class",
    ),
)

# Area profiles: for every kelurahan and kecamatan, the count of actors by each attribute a resident asks
# about ("in my kelurahan, how many sell online, how many got the grant?").
AREA_LEVELS = (
    ("kelurahan", "kelurahan_kode", "kelurahan", "kelurahan (urban village)"),
    ("kecamatan", "kecamatan_kode", "kecamatan", "kecamatan (district)"),
)
AREA_ATTRIBUTES = (
    ("pemasaran_online", "yang berjualan online", "selling online"),
    ("bantuan_modal", "penerima bantuan modal Rp300.000", "receiving the Rp300,000 capital grant"),
    ("pelatihan", "yang pernah mengikuti pelatihan", "who attended training"),
    ("punya_nib", "menurut kepemilikan NIB", "by whether they hold an NIB"),
    ("skala_usaha", "menurut skala usaha (PP 7/2021)", "by size class (PP 7/2021)"),
    ("kbli_kategori", "menurut kategori KBLI 2020", "by KBLI 2020 category"),
    ("masih_aktif", "menurut keaktifan usaha", "by whether the business is still active"),
)
AREA_TABLES: tuple[TableSpec, ...] = tuple(
    TableSpec(
        f"{level}_{attribute}",
        (dimension, attribute),
        f"Pelaku UMKM {title_id} per {level_id}",
        f"UMKM actors {title_en}, by {level_en}",
    )
    for level, dimension, level_id, level_en in AREA_LEVELS
    for attribute, title_id, title_en in AREA_ATTRIBUTES
)
COUNT_TABLES = COUNT_TABLES + AREA_TABLES

TABLES_BY_NAME = {spec.name: spec for spec in COUNT_TABLES}

# Sums of turnover, capital and workers, perturbed by the cell key method: see umkm/disclose/ckm.py.
_MEASURES = (
    ("omzet", "omzet_per_tahun", "jumlah_omzet_rupiah", "Jumlah omzet tahunan", "Total annual turnover"),
    ("modal", "modal_usaha", "jumlah_modal_rupiah", "Jumlah modal usaha", "Total business capital"),
    ("tenaga_kerja", "tenaga_kerja", "jumlah_tenaga_kerja", "Jumlah tenaga kerja", "Total workers"),
)
_BY = (
    ("kecamatan", ("kecamatan_kode",), "menurut kecamatan", "by kecamatan (district)"),
    ("kbli_kategori", ("kbli_kategori",), "menurut kategori KBLI 2020", "by KBLI 2020 category"),
    ("skala_usaha", ("skala_usaha",), "menurut skala usaha", "by size class"),
)
MAGNITUDE_TABLES: tuple[MagnitudeSpec, ...] = tuple(
    MagnitudeSpec(f"{short}_menurut_{by}", dims, measure, value, f"{title_id} {by_id}", f"{title_en} {by_en}")
    for short, measure, value, title_id, title_en in _MEASURES
    for by, dims, by_id, by_en in _BY
)

MAGNITUDE_BY_NAME = {spec.name: spec for spec in MAGNITUDE_TABLES}

# Resources of the disclosure-risk report (package umkm-risiko-pengungkapan): title, title_en, description,
# description_en.
RISK_TITLES = {
    "ringkasan_risiko": (
        "Ringkasan risiko pengungkapan",
        "Disclosure-risk summary",
        "Ukuran perlindungan rilis ini: k-anonimitas, l-diversitas, kehilangan informasi mikrodata, derau tabel, "
        "serangan selisih terhadap setiap rilis terdahulu dan lulus/gagal.",
        "This release's protection measures: k-anonymity, l-diversity, the microdata's information loss, the "
        "tables' noise, the differencing attack on every earlier release and pass/fail.",
    ),
    "generalisasi": (
        "Kuasi-identifier dan tingkat generalisasinya",
        "Quasi-identifiers and their generalisation levels",
        "Tingkat yang dipilih pencarian kisi untuk setiap kuasi-identifier mikrodata.",
        "The level the lattice search chose for each quasi-identifier of the microdata.",
    ),
    "ukuran_kelas": (
        "Sebaran ukuran kelas mikrodata",
        "Class-size histogram of the microdata",
        "Banyaknya kelas kesetaraan (catatan dengan kombinasi kuasi-identifier yang sama) menurut ukurannya.",
        "Number of equivalence classes (records sharing one combination of quasi-identifiers) by size.",
    ),
    "kolom_mikrodata": (
        "Penyembunyian per kolom mikrodata",
        "Suppression by microdata column",
        "Persen sel tiap kolom kuasi-identifier mikrodata yang dikosongkan walaupun nilainya diketahui (kehilangan "
        "informasi), dan yang kosong karena tidak tercatat.",
        "Per cent of each quasi-identifier column's cells left blank although the value is known (information "
        "loss), and blank because it is not recorded.",
    ),
    "perturbasi_tabel": (
        "Derau per tabel statistik",
        "Noise by statistics table",
        "Per tabel: sel yang diubah derau metode kunci sel, dan rata-rata perubahan mutlak dan persen.",
        "Per table: cells the cell key method's noise changed, and the mean absolute and per cent change.",
    ),
    "selisih_mikrodata": (
        "Selisih mikrodata dengan rilis terdahulu",
        "Microdata differences with earlier releases",
        "Untuk setiap rilis terdahulu: baris mikrodata yang baru dan yang hilang (selisih multihimpunan), kelas "
        "terkecilnya (sedikitnya 5 bila ada), dan catatan rilis ini yang dikasarkan agar selisih itu aman.",
        "For every earlier release: the microdata rows new and gone (multiset differences), their smallest class "
        "(at least 5 where there are any), and the records of this release coarsened to make them safe.",
    ),
    "parameter_ckm": (
        "Parameter metode kunci sel",
        "Parameters of the cell key method",
        "Parameter yang diterbitkan (seperti ABS): perubahan maksimum dan varians jumlah, jumlah yang tidak pernah "
        "diterbitkan, skala derau besaran, dan target mikrodata. Kunci rahasia tidak pernah diterbitkan.",
        "The published parameters (as the ABS does): maximum change and variance of counts, counts never "
        "published, the noise scale of magnitudes, and the microdata targets. The secret key is never published.",
    ),
    "tabel_perturbasi": (
        "Tabel perturbasi jumlah",
        "Perturbation table of counts",
        "Untuk setiap jumlah sebenarnya dan rentang kunci sel: perturbasi yang ditambahkan dan peluangnya "
        "(entropi maksimum, rata-rata 0).",
        "For each true count and range of cell keys: the perturbation added and its probability (maximum "
        "entropy, mean 0).",
    ),
}
