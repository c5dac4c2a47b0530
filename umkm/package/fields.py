"""The field declarations of the public data: every column of the microdata, the statistics tables, the code lists
and the data-quality report, with its type, constraints and meaning (the disclosure-risk report's are
umkm/package/risk_fields.py; umkm/package/schemas.py builds the Table Schemas from both).

The package metadata, the site's data dictionary and the catalogue formats are all generated from these
declarations; titles and descriptions are in Bahasa Indonesia (``title``, ``description``) and English
(``title_en``, ``description_en``).
"""

from __future__ import annotations

from umkm.disclose import sdc_microdata, tables
from umkm.vocabulary import VALUE_LABELS, YES_NO_DIMENSIONS, YES_NO_LABELS

YES_NO_ENUM = [value for value, _, _ in YES_NO_LABELS]


def declare(name, type_, title, title_en, description, description_en, **extra) -> dict:
    """A field's descriptor: its name and type, title and description in both languages, and ``extra``
    properties (constraints, unit, categories)."""
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
        declare(
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
        declare(
            "kecamatan_kode",
            "string",
            "Kode kecamatan",
            "Kecamatan code",
            "Kode wilayah Kemendagri kecamatan tempat usaha (mis. 64.71.03).",
            "Kemendagri code of the business's kecamatan (district), e.g. 64.71.03.",
            constraints={"pattern": r"^64\.71\.0[1-6]$"},
        ),
        declare(
            "kelurahan_kode",
            "string",
            "Kode kelurahan",
            "Kelurahan code",
            "Kode wilayah Kemendagri kelurahan tempat usaha (mis. 64.71.03.1001).",
            "Kemendagri code of the business's kelurahan (urban village), e.g. 64.71.03.1001.",
            constraints={"pattern": r"^64\.71\.0[1-6]\.10[0-9]{2}$"},
        ),
        declare(
            "kbli_kategori",
            "string",
            "Kategori KBLI 2020",
            "KBLI 2020 category",
            "Kategori lapangan usaha menurut KBLI 2020 (Peraturan BPS 2/2020), huruf A sampai U.",
            "Economic activity category by KBLI 2020 (BPS Regulation 2/2020), letter A to U.",
            constraints={"pattern": "^[A-U]$"},
        ),
        declare(
            "skala_usaha",
            "string",
            "Skala usaha",
            "Size class",
            "Skala usaha menurut PP 7/2021 Pasal 35: mikro, kecil atau menengah (omzet tahunan; modal bila omzet "
            "tidak diketahui).",
            "Size class by PP 7/2021 Article 35: micro, small or medium (annual sales; capital when sales are unknown).",
            **_labelled("skala_usaha", ordered=True),
        ),
        declare(
            "jenis_kelamin",
            "string",
            "Jenis kelamin pemilik",
            "Owner's sex",
            "L (laki-laki) atau P (perempuan), dari NIK bila sah, selain itu dari isian.",
            "L (male) or P (female), from the NIK where valid, otherwise as recorded.",
            **_labelled("jenis_kelamin"),
        ),
        declare(
            "kbli_golongan_pokok",
            "string",
            "Golongan pokok KBLI 2020",
            "KBLI 2020 division",
            "Golongan pokok (2 digit) KBLI 2020; kosong bila tidak diketahui atau disembunyikan.",
            "KBLI 2020 division (2 digits); empty when unknown or suppressed.",
            constraints={"pattern": "^[0-9]{2}$"},
        ),
        declare(
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
        declare(
            "kelompok_tahun_mulai",
            "string",
            "Kelompok tahun mulai usaha",
            "Start-year band",
            "Tahun usaha dimulai, dalam kelompok (kelompok kasar bila digeneralisasi); kosong bila tidak diketahui atau "
            "disembunyikan.",
            "Year the business started, in bands (coarse bands where generalised); empty when unknown or suppressed.",
            **categories(dict.fromkeys(b[2] for level in sdc_microdata.START_YEAR_LEVELS for b in level)),
        ),
        declare(
            "kelompok_tenaga_kerja",
            "string",
            "Kelompok tenaga kerja",
            "Workforce band",
            "Jumlah tenaga kerja termasuk pemilik, dalam kelompok BPS (1-4 dan 5+ bila digeneralisasi).",
            "Number of workers including the owner, in BPS bands (1-4 and 5+ where generalised).",
            **categories(dict.fromkeys(b[2] for level in sdc_microdata.WORKER_LEVELS for b in level)),
        ),
        declare(
            "kelompok_omzet",
            "string",
            "Kelompok omzet tahunan",
            "Annual turnover band",
            "Omzet per tahun dalam rupiah, dalam kelompok (jt = juta, M = miliar).",
            "Annual turnover in rupiah, in bands (jt = million, M = billion).",
            **categories(b[2] for b in sdc_microdata.TURNOVER_BANDS),
        ),
        declare(
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
        declare(
            "punya_nib",
            "boolean",
            "Memiliki NIB",
            "Has an NIB",
            "Pelaku memiliki Nomor Induk Berusaha dari OSS.",
            "The actor holds a business identification number (NIB) from OSS.",
        ),
        declare(
            "pemasaran_online",
            "boolean",
            "Pemasaran online",
            "Sells online",
            "Pelaku memasarkan secara online (marketplace, media sosial, layanan antar).",
            "The actor sells online (marketplace, social media, delivery apps).",
        ),
        declare(
            "pelatihan",
            "boolean",
            "Pernah pelatihan",
            "Attended training",
            "Pelaku pernah mengikuti pelatihan atau pendampingan dinas.",
            "The actor attended the office's training or mentoring.",
        ),
        declare(
            "bantuan_modal",
            "boolean",
            "Menerima bantuan modal",
            "Received the capital grant",
            "Pelaku menerima bantuan modal Rp300.000 dari Pemerintah Kota.",
            "The actor received the city's Rp300,000 capital grant.",
        ),
        declare(
            "masih_aktif",
            "boolean",
            "Masih aktif",
            "Still active",
            "Usaha masih beroperasi menurut pemeriksaan dinas.",
            "The business still operates, as checked by the office.",
        ),
        declare(
            "sumber",
            "string",
            "Sumber data",
            "Data source",
            "Sumber catatan pelaku: ods, oss, atau ods+oss.",
            "Where the actor was recorded: ods, oss or ods+oss.",
            **categories(["ods", "oss", "ods+oss"], required=True),
        ),
        declare(
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
        declare(
            "kode",
            "string",
            "Kode",
            "Code",
            "Kode dalam daftar kode.",
            "Code in the code list.",
            constraints={"required": True, "unique": True},
        ),
        declare(
            "nama",
            "string",
            "Nama",
            "Name",
            "Nama atau judul resmi.",
            "Official name or title.",
            constraints={"required": True},
        ),
        declare(
            "kode_bps",
            "string",
            "Kode BPS",
            "BPS code",
            "Kode wilayah BPS (urutan BPS berbeda dari Kemendagri; jangan diturunkan satu dari yang lain).",
            "BPS area code (BPS numbers areas in another order than Kemendagri; never derive one from the other).",
            constraints={"pattern": "^[0-9]{7}([0-9]{3})?$"},
        ),
        declare(
            "kode_pos",
            "string",
            "Kode pos",
            "Postal code",
            "Kode pos kelurahan.",
            "Postal code of the kelurahan.",
            constraints={"pattern": "^[0-9]{5}$"},
        ),
        declare(
            "kategori",
            "string",
            "Kategori KBLI",
            "KBLI category",
            "Huruf kategori KBLI 2020 induknya.",
            "Letter of the parent KBLI 2020 category.",
            constraints={"pattern": "^[A-U]$"},
        ),
        declare(
            "batas_modal_rupiah",
            "integer",
            "Batas atas modal usaha",
            "Upper bound of capital",
            "Batas atas modal usaha di luar tanah dan bangunan (PP 7/2021 Pasal 35).",
            "Upper bound of business capital excluding land and buildings (PP 7/2021 Article 35).",
            unit="rupiah",
        ),
        declare(
            "batas_omzet_rupiah",
            "integer",
            "Batas atas omzet tahunan",
            "Upper bound of annual sales",
            "Batas atas hasil penjualan tahunan (PP 7/2021 Pasal 35).",
            "Upper bound of annual sales (PP 7/2021 Article 35).",
            unit="rupiah",
        ),
        declare(
            "metrik",
            "string",
            "Metrik",
            "Measure",
            "Kode ukuran.",
            "Code of the measure.",
            constraints={"required": True, "unique": True},
        ),
        declare(
            "label_id",
            "string",
            "Keterangan",
            "Label (Indonesian)",
            "Keterangan ukuran dalam Bahasa Indonesia.",
            "Label of the measure in Indonesian.",
        ),
        declare(
            "label_en",
            "string",
            "Keterangan (Inggris)",
            "Label",
            "Keterangan ukuran dalam Bahasa Inggris.",
            "Label of the measure in English.",
        ),
        declare("nilai", "integer", "Nilai", "Value", "Nilai ukuran.", "Value of the measure."),
        # Magnitude tables.
        declare(
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
        declare(
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
        declare(
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
    ]
}

# The name beside a code in the statistics tables (code_lists.with_code_names): what the code's list calls it.
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
    FIELDS[_name] = declare(
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
