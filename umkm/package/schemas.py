"""Table Schemas: the single source of every public column's type, constraints and meaning.

The package metadata, the site's data dictionary and the catalogue formats are all
generated from these declarations; titles and descriptions are in Bahasa Indonesia
(``title``, ``description``) and English (``title_en``, ``description_en``).
"""

from __future__ import annotations

import copy

from umkm.disclose import sdc_microdata, tables
from umkm.vocabulary import VALUE_LABELS, YES_NO_DIMENSIONS, YES_NO_LABELS

YES_NO_ENUM = [value for value, _, _ in YES_NO_LABELS]


def _f(name, type_, title, title_en, description, description_en, **extra) -> dict:
    field = {
        "name": name,
        "type": type_,
        "title": title,
        "description": description,
        "title_en": title_en,
        "description_en": description_en,
    }
    field.update(extra)
    return field


def categories(values, labelled=None, ordered: bool = False, **constraints) -> dict:
    """A coded field's Table Schema v2 ``categories`` and its ``constraints.enum``, derived from them.
    ``labelled``: ((value, label, English label), ...) of the vocabulary, given as {"value", "label",
    "label_en"} (v2 has one label; the English one is a custom property, as title_en is); else the bare
    values. ``ordered``: the values have an order (``categoriesOrdered``)."""
    values = list(values)
    if labelled is not None:
        assert [value for value, _, _ in labelled] == values, (values, labelled)
        listed: list = [{"value": value, "label": label, "label_en": label_en} for value, label, label_en in labelled]
    else:
        listed = values
    return {
        "categories": listed,
        **({"categoriesOrdered": True} if ordered else {}),
        "constraints": {**constraints, "enum": values},
    }


def _labelled(name: str, **options) -> dict:
    return categories([value for value, _, _ in VALUE_LABELS[name]], VALUE_LABELS[name], **options)


FIELDS: dict[str, dict] = {
    f["name"]: f
    for f in [
        _f(
            "pseudonim",
            "string",
            "Pseudonim pelaku",
            "Actor pseudonym",
            "Kode acak per pelaku usaha untuk rilis ini (HMAC-SHA256 berkunci; kunci berganti tiap rilis, "
            "sehingga baris tidak dapat dihubungkan antar-rilis).",
            "Random code per actor for this release (keyed HMAC-SHA256; the key changes every release, so rows "
            "cannot be linked across releases).",
            constraints={"required": True, "unique": True, "pattern": "^[0-9a-f]{16}$"},
        ),
        _f(
            "kecamatan_kode",
            "string",
            "Kode kecamatan",
            "Kecamatan code",
            "Kode wilayah Kemendagri kecamatan tempat usaha (mis. 64.71.03).",
            "Kemendagri code of the business's kecamatan (district), e.g. 64.71.03.",
            constraints={"pattern": r"^64\.71\.0[1-6]$"},
        ),
        _f(
            "kelurahan_kode",
            "string",
            "Kode kelurahan",
            "Kelurahan code",
            "Kode wilayah Kemendagri kelurahan tempat usaha (mis. 64.71.03.1001).",
            "Kemendagri code of the business's kelurahan (urban village), e.g. 64.71.03.1001.",
            constraints={"pattern": r"^64\.71\.0[1-6]\.10[0-9]{2}$"},
        ),
        _f(
            "kbli_kategori",
            "string",
            "Kategori KBLI 2020",
            "KBLI 2020 category",
            "Kategori lapangan usaha menurut KBLI 2020 (Peraturan BPS 2/2020), huruf A sampai U.",
            "Economic activity category by KBLI 2020 (BPS Regulation 2/2020), letter A to U.",
            constraints={"pattern": "^[A-U]$"},
        ),
        _f(
            "skala_usaha",
            "string",
            "Skala usaha",
            "Size class",
            "Skala usaha menurut PP 7/2021 Pasal 35: mikro, kecil atau menengah (omzet tahunan; modal bila omzet "
            "tidak diketahui).",
            "Size class by PP 7/2021 Article 35: micro, small or medium (annual sales; capital when sales are unknown).",
            **_labelled("skala_usaha", ordered=True),
        ),
        _f(
            "jenis_kelamin",
            "string",
            "Jenis kelamin pemilik",
            "Owner's sex",
            "L (laki-laki) atau P (perempuan), dari NIK bila sah, selain itu dari isian.",
            "L (male) or P (female), from the NIK where valid, otherwise as recorded.",
            **_labelled("jenis_kelamin"),
        ),
        _f(
            "kbli_golongan_pokok",
            "string",
            "Golongan pokok KBLI 2020",
            "KBLI 2020 division",
            "Golongan pokok (2 digit) KBLI 2020; kosong bila tidak diketahui atau disembunyikan.",
            "KBLI 2020 division (2 digits); empty when unknown or suppressed.",
            constraints={"pattern": "^[0-9]{2}$"},
        ),
        _f(
            "kelompok_umur",
            "string",
            "Kelompok umur pemilik",
            "Owner's age band",
            "Umur pemilik (tahun penuh) pada tanggal potret data, dalam kelompok. Tabel memakai kelompok 10 tahun; "
            "mikrodata memakai kelompok 5, 10 atau 20 tahun sesuai tingkat generalisasi rilis (lihat metadata "
            "sumber daya) dan dapat dikosongkan untuk melindungi kerahasiaan.",
            "Owner's age (whole years) at the snapshot date, in bands. Tables use 10-year bands; the microdata use "
            "5-, 10- or 20-year bands as the release's generalisation level says (see the resource metadata) and may "
            "be blank to protect confidentiality.",
            **categories(dict.fromkeys(b[2] for level in sdc_microdata.AGE_LEVELS for b in level)),
        ),
        _f(
            "kelompok_tahun_mulai",
            "string",
            "Kelompok tahun mulai usaha",
            "Start-year band",
            "Tahun usaha dimulai, dalam kelompok (kelompok kasar bila digeneralisasi); kosong bila tidak diketahui atau "
            "disembunyikan.",
            "Year the business started, in bands (coarse bands where generalised); empty when unknown or suppressed.",
            **categories(dict.fromkeys(b[2] for level in sdc_microdata.START_YEAR_LEVELS for b in level)),
        ),
        _f(
            "kelompok_tenaga_kerja",
            "string",
            "Kelompok tenaga kerja",
            "Workforce band",
            "Jumlah tenaga kerja termasuk pemilik, dalam kelompok BPS (1-4 dan 5+ bila digeneralisasi).",
            "Number of workers including the owner, in BPS bands (1-4 and 5+ where generalised).",
            **categories(dict.fromkeys(b[2] for level in sdc_microdata.WORKER_LEVELS for b in level)),
        ),
        _f(
            "kelompok_omzet",
            "string",
            "Kelompok omzet tahunan",
            "Annual turnover band",
            "Omzet per tahun dalam rupiah, dalam kelompok (jt = juta, M = miliar).",
            "Annual turnover in rupiah, in bands (jt = million, M = billion).",
            **categories(b[2] for b in sdc_microdata.TURNOVER_BANDS),
        ),
        _f(
            "sentra",
            "string",
            "Sentra",
            "Sentra (industry cluster)",
            "somber (Sentra Industri Kecil Somber, tahu dan tempe, Batu Ampar), teritip (Sentra Industri Kecil "
            "Teritip) atau bukan_sentra.",
            "somber (Somber small-industry cluster, tofu and tempeh, Batu Ampar), teritip (Teritip small-industry "
            "cluster) or bukan_sentra (not in a cluster).",
            **_labelled("sentra"),
        ),
        _f(
            "punya_nib",
            "boolean",
            "Memiliki NIB",
            "Has an NIB",
            "Pelaku memiliki Nomor Induk Berusaha dari OSS.",
            "The actor holds a business identification number (NIB) from OSS.",
        ),
        _f(
            "pemasaran_online",
            "boolean",
            "Pemasaran online",
            "Sells online",
            "Pelaku memasarkan secara online (marketplace, media sosial, layanan antar).",
            "The actor sells online (marketplace, social media, delivery apps).",
        ),
        _f(
            "pelatihan",
            "boolean",
            "Pernah pelatihan",
            "Attended training",
            "Pelaku pernah mengikuti pelatihan atau pendampingan dinas.",
            "The actor attended the office's training or mentoring.",
        ),
        _f(
            "bantuan_modal",
            "boolean",
            "Menerima bantuan modal",
            "Received the capital grant",
            "Pelaku menerima bantuan modal Rp300.000 dari Pemerintah Kota.",
            "The actor received the city's Rp300,000 capital grant.",
        ),
        _f(
            "masih_aktif",
            "boolean",
            "Masih aktif",
            "Still active",
            "Usaha masih beroperasi menurut pemeriksaan dinas.",
            "The business still operates, as checked by the office.",
        ),
        _f(
            "sumber",
            "string",
            "Sumber data",
            "Data source",
            "Sumber catatan pelaku: ods, oss, atau ods+oss.",
            "Where the actor was recorded: ods, oss or ods+oss.",
            **categories(["ods", "oss", "ods+oss"], required=True),
        ),
        _f(
            tables.COUNT,
            "integer",
            "Jumlah pelaku",
            "Number of actors",
            "Jumlah pelaku UMKM, setelah derau kecil metode kunci sel (cell key method) untuk melindungi "
            "kerahasiaan: paling banyak 5 lebih atau kurang; 1 dan 2 tidak pernah diterbitkan; nol tetap nol.",
            "Number of UMKM actors, after the cell key method's small noise that protects confidentiality: at most 5 "
            "up or down; 1 and 2 are never published; a zero stays zero.",
            constraints={"required": True, "minimum": 0},
            unit="pelaku usaha",
        ),
        _f(
            "kode",
            "string",
            "Kode",
            "Code",
            "Kode dalam daftar kode.",
            "Code in the code list.",
            constraints={"required": True, "unique": True},
        ),
        _f(
            "nama",
            "string",
            "Nama",
            "Name",
            "Nama atau judul resmi.",
            "Official name or title.",
            constraints={"required": True},
        ),
        _f(
            "kode_bps",
            "string",
            "Kode BPS",
            "BPS code",
            "Kode wilayah BPS (urutan BPS berbeda dari Kemendagri; jangan diturunkan satu dari yang lain).",
            "BPS area code (BPS numbers areas in another order than Kemendagri; never derive one from the other).",
            constraints={"pattern": "^[0-9]{7}([0-9]{3})?$"},
        ),
        _f(
            "kode_pos",
            "string",
            "Kode pos",
            "Postal code",
            "Kode pos kelurahan.",
            "Postal code of the kelurahan.",
            constraints={"pattern": "^[0-9]{5}$"},
        ),
        _f(
            "kategori",
            "string",
            "Kategori KBLI",
            "KBLI category",
            "Huruf kategori KBLI 2020 induknya.",
            "Letter of the parent KBLI 2020 category.",
            constraints={"pattern": "^[A-U]$"},
        ),
        _f(
            "batas_modal_rupiah",
            "integer",
            "Batas atas modal usaha",
            "Upper bound of capital",
            "Batas atas modal usaha di luar tanah dan bangunan (PP 7/2021 Pasal 35).",
            "Upper bound of business capital excluding land and buildings (PP 7/2021 Article 35).",
            unit="rupiah",
        ),
        _f(
            "batas_omzet_rupiah",
            "integer",
            "Batas atas omzet tahunan",
            "Upper bound of annual sales",
            "Batas atas hasil penjualan tahunan (PP 7/2021 Pasal 35).",
            "Upper bound of annual sales (PP 7/2021 Article 35).",
            unit="rupiah",
        ),
        _f(
            "metrik",
            "string",
            "Metrik",
            "Measure",
            "Kode ukuran.",
            "Code of the measure.",
            constraints={"required": True, "unique": True},
        ),
        _f(
            "label_id",
            "string",
            "Keterangan",
            "Label (Indonesian)",
            "Keterangan ukuran dalam Bahasa Indonesia.",
            "Label of the measure in Indonesian.",
        ),
        _f(
            "label_en",
            "string",
            "Keterangan (Inggris)",
            "Label",
            "Keterangan ukuran dalam Bahasa Inggris.",
            "Label of the measure in English.",
        ),
        _f("nilai", "integer", "Nilai", "Value", "Nilai ukuran.", "Value of the measure."),
        # Magnitude tables.
        _f(
            "jumlah_omzet_rupiah",
            "integer",
            "Jumlah omzet tahunan",
            "Total annual turnover",
            "Jumlah omzet per tahun pelaku yang omzetnya tercatat, dengan derau metode kunci sel sebesar 25% sampai "
            "50% dari kontribusi terbesar sel (naik atau turun).",
            "Sum of the annual turnover of the actors whose turnover is recorded, with the cell key method's noise "
            "of 25% to 50% of the cell's largest contribution (up or down).",
            constraints={"required": True, "minimum": 0},
            unit="rupiah",
        ),
        _f(
            "jumlah_modal_rupiah",
            "integer",
            "Jumlah modal usaha",
            "Total business capital",
            "Jumlah modal usaha pelaku yang modalnya tercatat, dengan derau metode kunci sel sebesar 25% sampai 50% "
            "dari kontribusi terbesar sel.",
            "Sum of the business capital of the actors whose capital is recorded, "
            "with the cell key method's noise of 25% to 50% of the cell's largest contribution.",
            constraints={"required": True, "minimum": 0},
            unit="rupiah",
        ),
        _f(
            "jumlah_tenaga_kerja",
            "integer",
            "Jumlah tenaga kerja",
            "Total workers",
            "Jumlah tenaga kerja (termasuk pemilik) pelaku yang tenaga kerjanya tercatat, dengan derau metode kunci "
            "sel sebesar 25% sampai 50% dari kontribusi terbesar sel (sedikitnya 1 sampai 2 orang).",
            "Sum of the workers (owner included) of the actors whose workforce is recorded, with the cell key "
            "method's noise of 25% to 50% of the cell's largest contribution (at least 1 to 2 persons).",
            constraints={"required": True, "minimum": 0},
            unit="orang",
        ),
        # Disclosure-risk report.
        _f(
            "nilai_risiko",
            "number",
            "Nilai",
            "Value",
            "Nilai ukuran (persen bila namanya berakhir _persen).",
            "Value of the measure (per cent where its name ends in _persen).",
        ),
        _f(
            "kuasi_identifier",
            "string",
            "Kuasi-identifier",
            "Quasi-identifier",
            "Atribut yang mungkin diketahui penyerang tentang seorang pelaku.",
            "An attribute an attacker may know about an actor.",
            constraints={"required": True, "unique": True},
        ),
        _f(
            "kolom",
            "string",
            "Kolom mikrodata",
            "Microdata columns",
            "Kolom mikrodata yang memuatnya.",
            "The microdata columns that carry it.",
        ),
        _f(
            "tingkat",
            "string",
            "Tingkat generalisasi",
            "Generalisation level",
            "Tingkat yang dipilih (* = tidak diterbitkan).",
            "Level chosen (* = not published).",
        ),
        _f("tingkat_ke", "integer", "Tingkat ke", "Level number", "0 = paling rinci.", "0 = most detailed."),
        _f(
            "tinggi",
            "integer",
            "Tinggi hierarki",
            "Hierarchy height",
            "Tingkat tertinggi (tidak diterbitkan).",
            "Top level (not published).",
        ),
        _f(
            "bobot",
            "number",
            "Bobot",
            "Weight",
            "Bobot dalam ukuran kehilangan informasi.",
            "Weight in the information-loss measure.",
        ),
        _f(
            "nilai_disembunyikan_lokal",
            "integer",
            "Nilai disembunyikan lokal",
            "Values locally suppressed",
            "Langkah generalisasi tambahan pada catatan tertentu (penyembunyian lokal).",
            "Extra generalisation steps on single records (local suppression).",
        ),
        _f(
            "ukuran_kelas",
            "string",
            "Ukuran kelas",
            "Class size",
            "Banyaknya catatan mikrodata yang berbagi kombinasi kuasi-identifier yang sama.",
            "Number of microdata records sharing one combination of quasi-identifiers.",
            constraints={"required": True, "unique": True},
        ),
        _f(
            "jumlah_kelas",
            "integer",
            "Jumlah kelas",
            "Classes",
            "Banyaknya kelas dengan ukuran ini.",
            "Number of classes of this size.",
            constraints={"minimum": 0},
        ),
        _f(
            "jumlah_catatan",
            "integer",
            "Jumlah catatan",
            "Records",
            "Banyaknya catatan dalam kelas itu.",
            "Number of records in those classes.",
            constraints={"minimum": 0},
        ),
        _f(
            "tabel",
            "string",
            "Tabel",
            "Table",
            "Nama sumber daya tabel statistik.",
            "Resource name of the statistics table.",
            constraints={"required": True, "unique": True},
        ),
        _f(
            "jenis_tabel",
            "string",
            "Jenis tabel",
            "Table kind",
            "jumlah (jumlah pelaku) atau besaran (omzet, modal, tenaga kerja).",
            "jumlah (counts of actors) or besaran (turnover, capital, workers).",
            **categories(["jumlah", "besaran"]),
        ),
        _f("jumlah_sel", "integer", "Jumlah sel", "Cells", "Banyaknya sel tabel.", "Number of cells of the table."),
        _f(
            "sel_berubah",
            "integer",
            "Sel berubah",
            "Cells changed",
            "Sel yang nilainya diubah oleh derau (sel lain diterbitkan sama dengan nilai sebenarnya).",
            "Cells whose value the noise changed (the others are published as they are).",
        ),
        _f(
            "rata_rata_perubahan",
            "number",
            "Rata-rata perubahan mutlak",
            "Mean absolute change",
            "Rata-rata selisih mutlak antara nilai terbit dan nilai sebenarnya (pelaku, rupiah atau orang).",
            "Mean absolute difference between the published and the true value (actors, rupiah or persons).",
        ),
        _f(
            "rata_rata_perubahan_persen",
            "number",
            "Rata-rata perubahan (persen)",
            "Mean change (per cent)",
            "Rata-rata perubahan mutlak sebagai persen dari nilai sebenarnya, atas sel yang tidak nol.",
            "Mean absolute change as a per cent of the true value, over the cells that are not zero.",
        ),
        _f(
            "persen_disembunyikan",
            "number",
            "Persen disembunyikan",
            "Per cent suppressed",
            "Persen sel kolom yang dikosongkan walaupun nilainya diketahui (generalisasi atau penyembunyian lokal).",
            "Per cent of the column's cells left blank although the value is known (generalised or locally "
            "suppressed).",
        ),
        _f(
            "persen_tidak_diketahui",
            "number",
            "Persen tidak diketahui",
            "Per cent unknown",
            "Persen sel kolom yang kosong karena nilainya tidak tercatat.",
            "Per cent of the column's cells blank because the value is not recorded.",
        ),
        _f(
            "rilis",
            "string",
            "Rilis terdahulu",
            "Earlier release",
            "Versi rilis terdahulu yang dibandingkan.",
            "Version of the earlier release compared.",
            constraints={"required": True, "unique": True},
        ),
        _f(
            "baris_baru",
            "integer",
            "Baris baru",
            "New rows",
            "Baris mikrodata rilis ini yang tidak ada di rilis terdahulu (selisih multihimpunan, tanpa pseudonim).",
            "Microdata rows of this release that the earlier one lacks (multiset difference, pseudonym aside).",
        ),
        _f(
            "baris_hilang",
            "integer",
            "Baris hilang",
            "Rows gone",
            "Baris mikrodata rilis terdahulu yang tidak ada di rilis ini.",
            "Microdata rows of the earlier release that this one lacks.",
        ),
        _f(
            "kelas_terkecil_baru",
            "integer",
            "Kelas terkecil baris baru",
            "Smallest class of the new rows",
            "Kelas kuasi-identifier terkecil di antara baris baru (0: tidak ada baris; selain itu sedikitnya 5).",
            "Smallest quasi-identifier class among the new rows (0: no row; otherwise at least 5).",
        ),
        _f(
            "kelas_terkecil_hilang",
            "integer",
            "Kelas terkecil baris hilang",
            "Smallest class of the rows gone",
            "Kelas kuasi-identifier terkecil di antara baris yang hilang (0: tidak ada baris; selain itu sedikitnya 5).",
            "Smallest quasi-identifier class among the rows gone (0: no row; otherwise at least 5).",
        ),
        _f(
            "catatan_dipindah",
            "integer",
            "Catatan dikasarkan",
            "Records coarsened",
            "Catatan rilis ini yang dikasarkan agar selisih dengan rilis itu k-anonim dan l-beragam.",
            "Records of this release coarsened so that the differences with that release are k-anonymous and "
            "l-diverse.",
        ),
        _f(
            "nilai_sel",
            "string",
            "Nilai sel sebenarnya",
            "True cell value",
            "Jumlah sebenarnya; baris terakhir (n+) berlaku untuk n dan seterusnya.",
            "True count; the last row (n+) applies to n and above.",
            constraints={"required": True},
        ),
        _f(
            "kunci_sel_dari",
            "integer",
            "Kunci sel dari",
            "Cell key from",
            "Batas bawah kunci sel (0 sampai 2^32 - 1).",
            "Lower bound of the cell key (0 to 2^32 - 1).",
            constraints={"required": True, "minimum": 0},
        ),
        _f(
            "kunci_sel_sampai",
            "integer",
            "Kunci sel sampai",
            "Cell key to",
            "Batas atas kunci sel (termasuk).",
            "Upper bound of the cell key (inclusive).",
            constraints={"required": True, "minimum": 0},
        ),
        _f(
            "perturbasi",
            "integer",
            "Perturbasi",
            "Perturbation",
            "Yang ditambahkan ke jumlah sebenarnya.",
            "What is added to the true count.",
            constraints={"required": True},
        ),
        _f(
            "peluang",
            "number",
            "Peluang",
            "Probability",
            "Peluang perturbasi ini untuk nilai sel ini.",
            "Probability of this perturbation for this cell value.",
            constraints={"required": True},
        ),
    ]
}

# The name beside a code in the statistics tables (package.with_code_names): what the code's list calls it.
for _name, _title, _title_en, _what, _what_en in (
    ("kecamatan_nama", "Nama kecamatan", "Kecamatan name", "Nama kecamatan", "Name of the kecamatan"),
    ("kelurahan_nama", "Nama kelurahan", "Kelurahan name", "Nama kelurahan", "Name of the kelurahan"),
    (
        "kbli_kategori_nama",
        "Judul kategori KBLI 2020",
        "KBLI 2020 category title",
        "Judul kategori KBLI 2020 (Peraturan BPS 2/2020)",
        "Title of the KBLI 2020 category (BPS Regulation 2/2020)",
    ),
    (
        "kbli_golongan_pokok_nama",
        "Judul golongan pokok KBLI 2020",
        "KBLI 2020 division title",
        "Judul golongan pokok KBLI 2020",
        "Title of the KBLI 2020 division",
    ),
):
    FIELDS[_name] = _f(
        _name,
        "string",
        _title,
        _title_en,
        f"{_what} dari kode di kolom sebelumnya; kosong bila kodenya tidak diketahui.",
        f"{_what_en} of the code in the column before; empty when the code is unknown.",
    )

for _name in YES_NO_DIMENSIONS:  # a yes/no attribute as a statistics table's dimension: text ya/tidak
    FIELDS[_name + "_ya_tidak"] = dict(
        FIELDS[_name], name=_name, type="string", **categories(YES_NO_ENUM, YES_NO_LABELS)
    )

MICRODATA_COLUMNS = tables.MICRODATA_COLUMNS
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


def field(name: str, *, table_dimension: bool = False) -> dict:
    """A copy of a field's descriptor; yes/no dimensions of count tables are text."""
    if table_dimension and name + "_ya_tidak" in FIELDS:
        return copy.deepcopy(FIELDS[name + "_ya_tidak"])
    return copy.deepcopy(FIELDS[name])


def schema(columns, *, table_dimensions=(), primary_key=None, foreign_keys=None) -> dict:
    result = {
        "fields": [field(c, table_dimension=c in table_dimensions) for c in columns],
        "missingValues": [""],
    }
    if primary_key:
        result["primaryKey"] = list(primary_key)
    if foreign_keys:
        result["foreignKeys"] = foreign_keys
    return result


def magnitude_table_schema(spec: tables.MagnitudeSpec) -> dict:
    """Dimensions and the perturbed sum."""
    columns = list(spec.dimensions) + [spec.value]
    return schema(columns, table_dimensions=spec.dimensions)


def risk_schema(name: str) -> dict:
    """Schema of a resource of the disclosure-risk report (its first column is the key, or the first three for
    the perturbation table)."""
    columns = RISK_RESOURCES[name]
    result = schema(columns, primary_key=list(columns[:3]) if name == "tabel_perturbasi" else [columns[0]])
    result["fields"] = [
        dict(field("nilai_risiko"), name="nilai") if f["name"] == "nilai" else f for f in result["fields"]
    ]
    return result


def count_table_schema(spec: tables.TableSpec) -> dict:
    """Dimensions and the perturbed count. An empty dimension is "unknown"."""
    columns = list(spec.dimensions) + [tables.COUNT]
    return schema(columns, table_dimensions=spec.dimensions)
