"""A package's descriptor (Table Schemas) and the activity's facts in; its Satu Data Indonesia statistical
metadata out: MS-Kegiatan, MS-Variabel and MS-Indikator (Perpres 39/2019; Peraturan BPS 5/2020).

Every package gets the activity it comes from (``satu_data_kegiatan.yml``, edited by the office, plus
what the release itself says: version, reference date, frequency, licence, contact), one variable
(MS-Variabel) per field of its tables, and, for the statistics tables, one indicator (MS-Indikator) each.
The fields of the BPS forms that do not apply to an administrative register (sampling design, question
wording, response rate) are left out; the ones the office must fill in and has not are published as
null with ``belum_diisi`` naming them.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from umkm.catalogue import licences
from umkm.catalogue.descriptor import PUBLISHER_SHORT
from umkm.disclose import tables
from umkm.package import citation

ACTIVITY_FILE = Path(__file__).resolve().parent / "satu_data_kegiatan.yml"
STANDARD = (
    "Metadata statistik Satu Data Indonesia (Perpres 39/2019) menurut Peraturan BPS 5/2020: MS-Kegiatan, "
    "MS-Variabel, MS-Indikator"
)
CONCEPT_ID = (
    "Pelaku UMKM: pelaku usaha mikro, kecil atau menengah menurut PP 7/2021 Pasal 35 yang tercatat di "
    f"register {PUBLISHER_SHORT} (ODS dan OSS), dihitung satu kali per pelaku usaha setelah "
    "deduplikasi."
)
CONCEPT_EN = (
    "UMKM actor: a micro, small or medium business actor by PP 7/2021 Article 35 recorded in the "
    f"register of {PUBLISHER_SHORT} (ODS and OSS), counted once per business actor after "
    "de-duplication."
)
PRODUCTS = {  # package -> what the activity publishes in it (ketersediaan produk)
    "umkm-mikrodata": "Mikrodata anonim",
    "umkm-statistik": "Tabulasi (tabel statistik)",
    "umkm-kualitas-data": "Laporan kualitas data",
    "umkm-referensi": "Daftar kode (klasifikasi) yang dipakai",
    "umkm-risiko-pengungkapan": "Laporan pengendalian pengungkapan statistik",
}


def activity_facts(path: Path = ACTIVITY_FILE) -> dict:
    """The activity's facts the office keeps in ``satu_data_kegiatan.yml``."""
    with open(path, encoding="utf-8") as stream:
        return yaml.safe_load(stream)


def _classification(field_: dict, resource: dict, descriptor: dict) -> dict:
    """How a dimension is classified: its code list (foreign key) or its enumerated values."""
    for key in resource["schema"].get("foreignKeys", []):
        if key["fields"] == [field_["name"]]:
            target = next((r for r in descriptor["resources"] if r["name"] == key["reference"]["resource"]), None)
            if target:
                return {
                    "jenis": "daftar kode",
                    "type": "code list",
                    "nama": target["title"],
                    "name": target["title_en"],
                    "keterangan": target["description"],
                    "description": target["description_en"],
                    "sumber_daya": target["name"],
                }
    enum = field_.get("constraints", {}).get("enum")
    if enum is not None:
        return {"jenis": "nilai tetap", "type": "enumeration", "nilai": [v for v in enum]}
    pattern = field_.get("constraints", {}).get("pattern")
    return {"jenis": "bebas", "type": "free", **({"pola": pattern} if pattern else {})}


def _level(dimensions: list[str]) -> tuple[str, str]:
    if "kelurahan_kode" in dimensions:
        return "Kelurahan", "Kelurahan (urban village)"
    if "kecamatan_kode" in dimensions:
        return "Kecamatan", "Kecamatan (district)"
    return "Kota", "City"


def _lower_first(text: str) -> str:
    """'Kategori KBLI 2020' -> 'kategori KBLI 2020' (acronyms stay upper case)."""
    return text[0].lower() + text[1:] if len(text) > 1 and text[1].islower() else text


def _statistical_tables() -> dict[str, tuple[tuple[str, ...], str, bool]]:
    """Resource name -> (dimensions, value column, is a count) of every published statistics table."""
    specs = {t.name: (tuple(t.dimensions), tables.COUNT, True) for t in tables.COUNT_TABLES}
    for t in getattr(tables, "MAGNITUDE_TABLES", ()):  # sums of an amount (e.g. rupiah), where declared
        specs[t.name] = (tuple(t.dimensions), t.value, False)
    return specs


def _variable(f: dict, resource: dict, descriptor: dict, date: str) -> dict:
    """MS-Variabel of one field."""
    constraints = f.get("constraints", {})
    return {
        "nama_variabel": f["name"],
        "alias": f["title"],
        "alias_en": f.get("title_en"),
        "konsep": f["title"],
        "definisi": f["description"],
        "definisi_en": f.get("description_en"),
        "referensi_waktu": date,
        "tipe_data": f["type"],
        "klasifikasi_isian": _classification(f, resource, descriptor),
        "aturan_validasi": {**constraints, "nilai_kosong": "sel kosong (CSV), NULL (Parquet, SQLite)"},
        "wajib_diisi": bool(constraints.get("required")),
        "satuan": f.get("unit"),
        "kalimat_pertanyaan": None,  # a register field, not a survey question
        "akses_umum": True,
        "tabel": [resource["name"]],
    }


def _indicator(r: dict, descriptor: dict, spec, date: str, url: str) -> dict:
    """MS-Indikator of one statistics table."""
    fields = {f["name"]: f for f in r["schema"]["fields"]}
    dims, value_name, is_count = spec
    dims = [d for d in dims if d in fields]
    value = fields[value_name]
    dim_titles = [_lower_first(fields[d]["title"]) for d in dims]
    dim_titles_en = [fields[d]["title_en"] for d in dims]
    level_id, level_en = _level(dims)
    if is_count:
        method = (
            "Cacah pelaku UMKM (satu baris mikrodata per pelaku) pada setiap kombinasi "
            + ", ".join(dim_titles)
            + "; tanpa pembobotan (sensus register).",
            "Count of UMKM actors (one microdata row per actor) in each combination of "
            + ", ".join(dim_titles_en)
            + "; unweighted (register census).",
        )
        measure, unit_en = ("Jumlah", "Count"), "business actors"
        meaning = (
            "Makin besar nilainya, makin banyak pelaku UMKM terdaftar pada sel tersebut",
            "The larger the value, the more registered UMKM actors in the cell",
        )
    else:
        method = (
            f"Jumlah {_lower_first(value['title'])} atas pelaku UMKM yang nilainya tercatat, pada setiap "
            "kombinasi " + ", ".join(dim_titles) + "; tanpa pembobotan.",
            f"Sum of {_lower_first(value['title_en'])} over the UMKM actors with a recorded amount, in each "
            "combination of " + ", ".join(dim_titles_en) + "; unweighted.",
        )
        measure, unit_en = ("Total", "Sum"), value.get("unit", "")
        meaning = (
            "Makin besar nilainya, makin besar total pada sel tersebut",
            "The larger the value, the larger the total in the cell",
        )
    return {
        "kode": r["name"],
        "nama_indikator": r["title"],
        "nama_indikator_en": r["title_en"],
        "konsep": CONCEPT_ID,
        "konsep_en": CONCEPT_EN,
        "definisi": f"{value['description']} Disajikan menurut {', '.join(dim_titles)}.",
        "definisi_en": f"{value['description_en']} Presented by {', '.join(dim_titles_en)}.",
        "interpretasi": meaning[0] + "; sel yang dapat mengungkap pelaku dilindungi sebelum terbit (lihat halaman "
        "Metodologi).",
        "interpretasi_en": meaning[1] + "; cells that could disclose an actor are protected before publication "
        "(see the Methodology page).",
        "metode_perhitungan": method[0],
        "metode_perhitungan_en": method[1],
        "ukuran": measure[0],
        "ukuran_en": measure[1],
        "satuan": value.get("unit", "pelaku usaha" if is_count else ""),
        "satuan_en": unit_en,
        "klasifikasi_penyajian": [
            {
                "variabel": d,
                "judul": fields[d]["title"],
                "title": fields[d]["title_en"],
                "klasifikasi": _classification(fields[d], r, descriptor),
            }
            for d in dims
        ],
        "indikator_komposit": False,
        "indikator_pembangun": [],
        "variabel_pembangun": dims + [value_name],
        "kegiatan_penghasil": None,  # filled from the activity by satu_data()
        "level_estimasi": level_id,
        "level_estimasi_en": level_en,
        "periode_data": date,
        "akses_umum": True,
        "berkas": url + r["path"],
    }


def _activity(descriptor: dict, facts: dict, contact_email: str, next_release: str | None) -> dict:
    version, date = descriptor["version"], descriptor["created"][:10]
    licence = licences.of_package(descriptor)
    missing = sorted(k for k in ("kode_kegiatan", "penanggung_jawab", "alamat", "telepon") if not facts.get(k))
    return {
        "judul_kegiatan": facts["judul_kegiatan"],
        "judul_kegiatan_en": facts.get("judul_kegiatan_en"),
        "tahun_kegiatan": int(date[:4]),
        "kode_kegiatan": facts.get("kode_kegiatan"),
        "jenis_statistik": facts.get("jenis_statistik"),
        "sektor": facts.get("sektor"),
        "cara_pengumpulan": facts.get("cara_pengumpulan"),
        "jenis_kegiatan": facts.get("jenis_kegiatan"),
        "penyelenggara": {
            "instansi": facts.get("instansi"),
            "unit": facts.get("unit_penyelenggara") or citation.publisher(descriptor),
            "alamat": facts.get("alamat"),
            "telepon": facts.get("telepon"),
            "email": contact_email,
        },
        "penanggung_jawab": facts.get("penanggung_jawab"),
        "latar_belakang": facts.get("latar_belakang"),
        "tujuan": facts.get("tujuan"),
        "metode_pengumpulan": facts.get("metode_pengumpulan"),
        "sarana_pengumpulan": facts.get("sarana_pengumpulan"),
        "unit_pengumpulan": facts.get("unit_pengumpulan"),
        "unit_analisis": facts.get("unit_analisis"),
        "tipe_pengumpulan": facts.get("tipe_pengumpulan"),
        "frekuensi_penyelenggaraan": facts.get("frekuensi"),
        "frekuensi_en": facts.get("frekuensi_en"),
        "cakupan_wilayah": "Kota Balikpapan (Kemendagri 64.71, BPS 6471): 6 kecamatan, 34 kelurahan",
        "tingkat_penyajian": list(facts.get("tingkat_penyajian") or []),
        "referensi_waktu": date,
        "versi_rilis": version,
        "jadwal_rilis": facts.get("jadwal_rilis"),
        "rilis_berikutnya": next_release,
        "produk": {
            "paket": descriptor["name"],
            "judul": descriptor["title"],
            "judul_en": descriptor.get("title_en"),
            "jenis": PRODUCTS.get(descriptor["name"], descriptor["title"]),
        },
        "lisensi": f"{licence.spdx} ({licence.url})",
        "akses": "Terbuka / open",
        "data_sintetis": bool(descriptor.get("synthetic")),
        **({"belum_diisi": missing} if missing else {}),
    }


def next_release_date(snapshot_date: str) -> str:
    """The next month end after the snapshot date: the next planned release's reference date (monthly)."""
    import pandas as pd

    return (pd.Timestamp(snapshot_date) + pd.offsets.MonthEnd(1)).strftime("%Y-%m-%d")


def satu_data(descriptor: dict, base_url: str, contact_email: str, facts: dict | None = None) -> dict:
    """The Satu Data metadata of one package version: its activity, a variable per field, an indicator per
    statistics table."""
    facts = facts if facts is not None else activity_facts()
    date = descriptor["created"][:10]
    cite = citation.of(descriptor, base_url)
    activity = _activity(descriptor, facts, contact_email, next_release_date(date))
    variables, seen = [], {}
    for r in descriptor["resources"]:
        for f in r["schema"]["fields"]:
            key = (f["name"], f["type"], f.get("description"))
            if key in seen:  # the same variable in several tables: listed once, with every table
                seen[key]["tabel"].append(r["name"])
                continue
            seen[key] = _variable(f, r, descriptor, date)
            variables.append(seen[key])
    specs = _statistical_tables()
    indicators = [
        _indicator(r, descriptor, specs[r["name"]], date, cite.url)
        for r in descriptor["resources"]
        if r["name"] in specs
    ]
    for indicator in indicators:
        indicator["kegiatan_penghasil"] = activity["judul_kegiatan"]
        indicator["kode_kegiatan"] = activity["kode_kegiatan"]
    return {
        "standar": STANDARD,
        "kegiatan": activity,
        "variabel": variables,
        "indikator": indicators,
        "paket": cite.url + "datapackage.json",
        "sitasi": citation.text(cite, "id"),
    }


def catalogue_document(documents: list[dict]) -> dict:
    """satu-data.json at the site's root: every package's metadata of the release."""
    first = documents[0]["kegiatan"] if documents else {}
    return {
        "standar": STANDARD,
        "versi_rilis": first.get("versi_rilis"),
        "referensi_waktu": first.get("referensi_waktu"),
        "paket": documents,
    }
