"""Table Schemas: the single source of every public column's type, constraints and meaning.

The package metadata, the site's data dictionary and the catalogue formats are all
generated from these declarations; titles and descriptions are in Bahasa Indonesia
(``title``, ``description``) and English (``title_en``, ``description_en``).
"""

from __future__ import annotations

import copy

from umkm import tables

YES_NO_ENUM = ["ya", "tidak"]


def _f(name, type_, title, title_en, description, description_en, **extra) -> dict:
    field = {"name": name, "type": type_, "title": title, "description": description,
             "title_en": title_en, "description_en": description_en}
    field.update(extra)
    return field


FIELDS: dict[str, dict] = {f["name"]: f for f in [
    _f("pseudonim", "string", "Pseudonim pelaku", "Actor pseudonym",
       "Kode acak per pelaku usaha untuk rilis ini (HMAC-SHA256 berkunci; kunci berganti tiap rilis, "
       "sehingga baris tidak dapat dihubungkan antar-rilis).",
       "Random code per actor for this release (keyed HMAC-SHA256; the key changes every release, so rows "
       "cannot be linked across releases).",
       constraints={"required": True, "unique": True, "pattern": "^[0-9a-f]{16}$"}),
    _f("kecamatan_kode", "string", "Kode kecamatan", "Kecamatan code",
       "Kode wilayah Kemendagri kecamatan tempat usaha (mis. 64.71.03).",
       "Kemendagri code of the business's kecamatan (district), e.g. 64.71.03.",
       constraints={"pattern": r"^64\.71\.0[1-6]$"}),
    _f("kelurahan_kode", "string", "Kode kelurahan", "Kelurahan code",
       "Kode wilayah Kemendagri kelurahan tempat usaha (mis. 64.71.03.1001).",
       "Kemendagri code of the business's kelurahan (urban village), e.g. 64.71.03.1001.",
       constraints={"pattern": r"^64\.71\.0[1-6]\.10[0-9]{2}$"}),
    _f("kbli_kategori", "string", "Kategori KBLI 2020", "KBLI 2020 category",
       "Kategori lapangan usaha menurut KBLI 2020 (Peraturan BPS 2/2020), huruf A sampai U.",
       "Economic activity category by KBLI 2020 (BPS Regulation 2/2020), letter A to U.",
       constraints={"pattern": "^[A-U]$"}),
    _f("skala_usaha", "string", "Skala usaha", "Size class",
       "Skala usaha menurut PP 7/2021 Pasal 35: mikro, kecil atau menengah (omzet tahunan; modal bila omzet "
       "tidak diketahui).",
       "Size class by PP 7/2021 Article 35: micro, small or medium (annual sales; capital when sales are unknown).",
       constraints={"enum": ["mikro", "kecil", "menengah"]}),
    _f("jenis_kelamin", "string", "Jenis kelamin pemilik", "Owner's sex",
       "L (laki-laki) atau P (perempuan), dari NIK bila sah, selain itu dari isian.",
       "L (male) or P (female), from the NIK where valid, otherwise as recorded.",
       constraints={"enum": ["L", "P"]}),
    _f("kelompok_umur", "string", "Kelompok umur pemilik", "Owner's age band",
       "Umur pemilik pada tanggal potret data, dalam kelompok 10 tahun.",
       "Owner's age at the snapshot date, in 10-year bands.",
       constraints={"enum": ["<25", "25-34", "35-44", "45-54", "55-64", "65+"]}),
    _f("kelompok_tahun_mulai", "string", "Kelompok tahun mulai usaha", "Start-year band",
       "Tahun usaha dimulai, dalam kelompok.", "Year the business started, in bands.",
       constraints={"enum": ["<2000", "2000-2009", "2010-2014", "2015-2019", "2020-2022", "2023+"]}),
    _f("kelompok_tenaga_kerja", "string", "Kelompok tenaga kerja", "Workforce band",
       "Jumlah tenaga kerja termasuk pemilik, dalam kelompok BPS.", "Number of workers including the owner, "
       "in BPS bands.", constraints={"enum": ["1", "2-4", "5-19", "20-99", "100+"]}),
    _f("kelompok_omzet", "string", "Kelompok omzet tahunan", "Annual turnover band",
       "Omzet per tahun dalam rupiah, dalam kelompok (jt = juta, M = miliar).",
       "Annual turnover in rupiah, in bands (jt = million, M = billion).",
       constraints={"enum": ["<50jt", "50jt-300jt", "300jt-2M", ">2M"]}),
    _f("sentra", "string", "Sentra", "Sentra (industry cluster)",
       "somber (Sentra Industri Kecil Somber, tahu dan tempe, Batu Ampar), teritip (Sentra Industri Kecil "
       "Teritip) atau bukan_sentra.",
       "somber (Somber small-industry cluster, tofu and tempeh, Batu Ampar), teritip (Teritip small-industry "
       "cluster) or bukan_sentra (not in a cluster).",
       constraints={"enum": ["somber", "teritip", "bukan_sentra"]}),
    _f("punya_nib", "boolean", "Memiliki NIB", "Has an NIB",
       "Pelaku memiliki Nomor Induk Berusaha dari OSS.", "The actor holds a business identification number "
       "(NIB) from OSS."),
    _f("pemasaran_online", "boolean", "Pemasaran online", "Sells online",
       "Pelaku memasarkan secara online (marketplace, media sosial, layanan antar).",
       "The actor sells online (marketplace, social media, delivery apps)."),
    _f("pelatihan", "boolean", "Pernah pelatihan", "Attended training",
       "Pelaku pernah mengikuti pelatihan atau pendampingan dinas.",
       "The actor attended the office's training or mentoring."),
    _f("bantuan_modal", "boolean", "Menerima bantuan modal", "Received the capital grant",
       "Pelaku menerima bantuan modal Rp300.000 dari Pemerintah Kota.",
       "The actor received the city's Rp300,000 capital grant."),
    _f("masih_aktif", "boolean", "Masih aktif", "Still active",
       "Usaha masih beroperasi menurut pemeriksaan dinas.", "The business still operates, as checked by the "
       "office."),
    _f("sumber", "string", "Sumber data", "Data source",
       "Sumber catatan pelaku: ods, oss, atau ods+oss.", "Where the actor was recorded: ods, oss or ods+oss.",
       constraints={"required": True, "enum": ["ods", "oss", "ods+oss"]}),
    _f(tables.COUNT, "integer", "Jumlah pelaku", "Number of actors",
       "Jumlah pelaku UMKM; kosong bila sel disembunyikan untuk melindungi kerahasiaan.",
       "Number of UMKM actors; empty when the cell is suppressed to protect confidentiality.",
       constraints={"minimum": 0}, unit="pelaku usaha"),
    _f(tables.CELL_STATUS, "string", "Status sel", "Cell status",
       "Kosong untuk sel yang diterbitkan; 'disembunyikan' untuk sel yang disembunyikan (bukan nol).",
       "Empty for a published cell; 'disembunyikan' for a suppressed cell (not a zero).",
       constraints={"enum": ["", tables.SUPPRESSED]}),
    _f("kode", "string", "Kode", "Code", "Kode dalam daftar kode.", "Code in the code list.",
       constraints={"required": True, "unique": True}),
    _f("nama", "string", "Nama", "Name", "Nama atau judul resmi.", "Official name or title.",
       constraints={"required": True}),
    _f("kode_bps", "string", "Kode BPS", "BPS code",
       "Kode wilayah BPS (urutan BPS berbeda dari Kemendagri; jangan diturunkan satu dari yang lain).",
       "BPS area code (BPS numbers areas in another order than Kemendagri; never derive one from the other).",
       constraints={"pattern": "^[0-9]{7}([0-9]{3})?$"}),
    _f("kode_pos", "string", "Kode pos", "Postal code", "Kode pos kelurahan.", "Postal code of the kelurahan.",
       constraints={"pattern": "^[0-9]{5}$"}),
    _f("kategori", "string", "Kategori KBLI", "KBLI category", "Huruf kategori KBLI 2020 induknya.",
       "Letter of the parent KBLI 2020 category.", constraints={"pattern": "^[A-U]$"}),
    _f("batas_modal_rupiah", "integer", "Batas atas modal usaha", "Upper bound of capital",
       "Batas atas modal usaha di luar tanah dan bangunan (PP 7/2021 Pasal 35).",
       "Upper bound of business capital excluding land and buildings (PP 7/2021 Article 35).", unit="rupiah"),
    _f("batas_omzet_rupiah", "integer", "Batas atas omzet tahunan", "Upper bound of annual sales",
       "Batas atas hasil penjualan tahunan (PP 7/2021 Pasal 35).",
       "Upper bound of annual sales (PP 7/2021 Article 35).", unit="rupiah"),
    _f("metrik", "string", "Metrik", "Measure", "Kode ukuran.", "Code of the measure.",
       constraints={"required": True, "unique": True}),
    _f("label_id", "string", "Keterangan", "Label (Indonesian)", "Keterangan ukuran dalam Bahasa Indonesia.",
       "Label of the measure in Indonesian."),
    _f("label_en", "string", "Keterangan (Inggris)", "Label", "Keterangan ukuran dalam Bahasa Inggris.",
       "Label of the measure in English."),
    _f("nilai", "integer", "Nilai", "Value", "Nilai ukuran.", "Value of the measure."),
]}

for _name in ("pelatihan", "bantuan_modal", "pemasaran_online", "masih_aktif", "punya_nib"):
    FIELDS[_name + "_ya_tidak"] = dict(FIELDS[_name], name=_name, type="string",
                                      constraints={"enum": YES_NO_ENUM})

MICRODATA_COLUMNS = (
    "pseudonim", "kecamatan_kode", "kbli_kategori", "skala_usaha", "jenis_kelamin", "kelompok_umur",
    "kelompok_tahun_mulai", "kelompok_tenaga_kerja", "sentra", "kelompok_omzet", "punya_nib",
    "pemasaran_online", "pelatihan", "bantuan_modal", "masih_aktif", "sumber",
)


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


def count_table_schema(spec: tables.TableSpec) -> dict:
    """Dimensions, count and cell status. An empty dimension is "unknown"; an empty count is suppressed."""
    columns = list(spec.dimensions) + [tables.COUNT, tables.CELL_STATUS]
    return schema(columns, table_dimensions=spec.dimensions)
