"""Public tables in, Frictionless Data Package v2 packages out (descriptors and file bytes).

Every resource is written as CSV (UTF-8, no BOM, "\\n"), Parquet (typed from the Table Schema)
and an Excel workbook (a cover sheet, the data, the field descriptions); the descriptor records
bytes and sha256 of the CSV, and how many rows fill each field (``fieldsFilled``). One missing
value everywhere, declared as ``missingValues: [""]``: an empty CSV field, a NULL in Parquet, an
empty cell in the workbook. Nothing here reads the clock: ``created`` is the register's snapshot
date, and every zip (XLSX included) carries fixed timestamps, so the same tables give the same bytes.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import zipfile
from dataclasses import dataclass, field

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from umkm.disclose import tables
from umkm.package import citation, code_samples, schemas
from umkm.vocabulary import LICENCE, PUBLISHER, PUBLISHER_SHORT, SIZE_CLASSES
from umkm.xlsx import (  # noqa: F401  (the CSV writer lives in the base module xlsx: disclose reads it too)
    CSV_CHUNK,
    FORMULA_PREFIXES,
    Layout,
    _arrow,
    _csv_field,
    _csv_of_text,
    _for_text_output,
    _holds,
    _string_series,
    _text,
    concatenated,
    csv_bytes,
    fitting_widths,
    plain_csv_bytes,
    safe_text,
    safe_texts,
    workbook_bytes,
)

PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
RESOURCE_PROFILE = "https://datapackage.org/profiles/2.0/dataresource.json"
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
# deflate level of the download zips: 6 deflates the large CSVs several times as fast as 9, for a zip
# only a little larger
ZIP_LEVEL = 6


@dataclass(frozen=True)
class Release:
    version: str
    snapshot_date: "pd.Timestamp | object"
    is_demo: bool
    previous_version: str | None = None
    fingerprint: str | None = None  # disclose.content_fingerprint: what decides the version


@dataclass
class ResourceSpec:
    name: str
    title: str
    title_en: str
    description: str
    description_en: str
    frame: pd.DataFrame
    schema: dict
    properties: dict = field(default_factory=dict)  # custom descriptor properties (e.g. quasiIdentifiers)


@dataclass
class Package:
    name: str
    descriptor: dict
    files: dict[str, bytes] = field(default_factory=dict)  # path inside the package folder -> bytes
    # resources whose Parquet and workbook are still to be made (other_formats): (ResourceSpec, text frame)
    pending: list = field(default_factory=list, repr=False, compare=False)


def release_version(snapshot_date) -> str:
    """Date-based: the snapshot date of the register as YYYY.MM.DD."""
    return pd.Timestamp(snapshot_date).strftime("%Y.%m.%d")


ARROW_TYPES = {"string": pa.string(), "integer": pa.int64(), "number": pa.float64(), "boolean": pa.bool_()}


def parquet_bytes(frame: pd.DataFrame, schema: dict | None = None, text: pd.DataFrame | None = None) -> bytes:
    """The table as Parquet (zstd). With its Table Schema: every column of its declared type, an empty
    text a NULL (the schema's missing value), text as the CSV has it (``text``: _for_text_output)."""
    if schema is None:
        table = pa.Table.from_pandas(frame.reset_index(drop=True), preserve_index=False)
    else:
        columns = {}
        for f in schema["fields"]:
            kind = ARROW_TYPES.get(f["type"], pa.string())
            if f["type"] == "string" or kind == pa.string():
                values = _arrow((text if text is not None else frame)[f["name"]].astype("string"), pa.string())
                columns[f["name"]] = pc.if_else(pc.equal(values, ""), pa.scalar(None, pa.string()), values)
            else:  # the values' own Arrow type, cast to the declared one (an integer column declared a number)
                values = _arrow(frame[f["name"]])
                columns[f["name"]] = values if values.type == kind else values.cast(kind, safe=False)
        table = pa.table(columns)
    buffer = io.BytesIO()
    pq.write_table(table, buffer, compression="zstd")
    return buffer.getvalue()


def fixed_zip(entries: list[tuple[str, bytes]]) -> bytes:
    """A zip with fixed timestamps and the given entry order: same entries, same bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data, compresslevel=ZIP_LEVEL)
    return buffer.getvalue()


def xlsx_bytes(frame: pd.DataFrame, schema: dict, title: str, cover: list[tuple[str, str]] | None = None) -> bytes:
    """The table on sheet "data", its field descriptions on sheet "keterangan", after a cover sheet "tentang"
    of ``cover`` lines (XlsxWriter's bytes)."""
    return _xlsx_of_text(
        _for_workbook(frame, _for_text_output(frame)), schema, title, cover or [("Judul / title", title)]
    )


def _for_workbook(frame: pd.DataFrame, text: pd.DataFrame) -> pd.DataFrame:
    """The text output with its booleans back: a workbook holds TRUE and FALSE cells."""
    flags = [c for c in frame.columns if pd.api.types.is_bool_dtype(frame[c].dtype)]
    return text.assign(**{c: frame[c].astype("boolean") for c in flags}) if flags else text


HEADER_FORMAT = {"bold": True, "bottom": 1, "bg_color": "#DDEBF7"}


def _column_formats(schema: dict) -> dict[str, dict]:
    """Codes and text as Text ("@": nothing typed in the column becomes a number or a date), whole numbers
    (counts, rupiah) with thousands separators."""
    formats = {}
    for f in schema["fields"]:
        if f["type"] == "string":
            formats[f["name"]] = {"num_format": "@"}
        elif f["type"] == "integer":
            formats[f["name"]] = {"num_format": "#,##0"}
    return formats


def _xlsx_of_text(text: pd.DataFrame, schema: dict, title: str, cover: list[tuple[str, str]]) -> bytes:
    fixed = pd.Timestamp("2000-01-01").to_pydatetime()
    notes = pd.DataFrame(
        [
            [f["name"], f["title"], f["title_en"], f["type"], f.get("unit", ""), f["description"], f["description_en"]]
            for f in schema["fields"]
        ],
        columns=["kolom / column", "judul", "title", "tipe / type", "satuan / unit", "keterangan", "description"],
        dtype=object,
    )
    about = pd.DataFrame(cover, columns=["butir / item", "isi / content"], dtype=object)
    formats = _column_formats(schema)
    wrapped = {"text_wrap": True, "valign": "top"}
    layouts = {
        "tentang": Layout(
            header=HEADER_FORMAT,
            widths={"butir / item": 30.0, "isi / content": 100.0},
            formats={"butir / item": {"bold": True, "valign": "top"}, "isi / content": wrapped},
        ),
        "data": Layout(
            header=HEADER_FORMAT,
            freeze_header=True,
            autofilter=True,
            widths=fitting_widths(text, formats),
            formats=formats,
        ),
        "keterangan": Layout(
            header=HEADER_FORMAT,
            freeze_header=True,
            autofilter=True,
            widths={**fitting_widths(notes, most=28), "keterangan": 60.0, "description": 60.0},
            formats={"keterangan": wrapped, "description": wrapped},
        ),
    }
    return workbook_bytes(
        [("tentang", about), ("data", text), ("keterangan", notes)],
        {"title": title, "author": PUBLISHER, "created": fixed},
        fixed,
        layouts=layouts,
    )


def workbook_cover(descriptor: dict, resource: dict, base_url: str) -> list[tuple[str, str]]:
    """The cover sheet of a resource's workbook: what it is, which release, source, licence, how to cite."""
    cite = citation.of(descriptor, base_url)
    lines = [("Judul", resource["title"]), ("Title", resource.get("title_en", resource["title"]))]
    if descriptor.get("synthetic"):
        lines.insert(
            0,
            (
                "DATA SINTETIS / SYNTHETIC DATA",
                "Dibuat oleh generator demo proyek, bukan data nyata. / "
                "Made by the project's demo generator, not real data.",
            ),
        )
    lines += [
        ("Keterangan / description", f"{resource.get('description', '')} / {resource.get('description_en', '')}"),
        ("Tabel / table", f"{resource['name']} ({resource.get('rows', 0)} baris / rows)"),
        ("Paket / package", f"{descriptor['title']} ({descriptor['name']}) / {descriptor.get('title_en', '')}"),
        ("Versi rilis / release", descriptor["version"]),
        ("Data per / as of", descriptor["created"][:10]),
        ("Penerbit / publisher", cite.publisher),
        ("Sumber / source", "; ".join(s.get("title", "") for s in descriptor.get("sources", []))),
        ("Lisensi / licence", f"{LICENCE.title} ({LICENCE.spdx}), {LICENCE.url}"),
        ("Sitasi", citation.text(cite, "id")),
        ("Citation", citation.text(cite, "en")),
        ("Alamat / address", cite.url),
        (
            "Lembar / sheets",
            "data: tabelnya, satu baris per baris CSV / the table, one row per CSV row; "
            "keterangan: arti, tipe dan satuan setiap kolom / each column's meaning, type and unit",
        ),
        (
            "Sel kosong / empty cell",
            "Tidak ada nilai (tidak diketahui atau disembunyikan), sama dengan kosong di CSV "
            "dan NULL di Parquet / no value (unknown or suppressed), as empty in the CSV and "
            "NULL in Parquet",
        ),
    ]
    return lines


def _sha256(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def build_package(
    name: str,
    title: str,
    title_en: str,
    description: str,
    description_en: str,
    resources: list[ResourceSpec],
    release: Release,
    sources: list[dict],
    keywords: list[str],
    formats: bool = True,
) -> Package:
    """The package's descriptor and CSVs, and unless ``formats`` is false its Parquet files and workbooks
    (else other_formats makes them later: a caller can validate the CSVs meanwhile)."""
    package = Package(name=name, descriptor={})
    descriptors = []
    for spec in resources:
        frame = spec.frame[[f["name"] for f in spec.schema["fields"]]]
        text = _for_text_output(frame)
        csv_data = _csv_of_text(text)
        package.files[f"{spec.name}.csv"] = csv_data
        package.pending.append((spec, frame, text))
        descriptors.append(
            {
                "name": spec.name,
                "type": "table",
                "path": f"{spec.name}.csv",
                "scheme": "file",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "title": spec.title,
                "description": spec.description,
                "title_en": spec.title_en,
                "description_en": spec.description_en,
                "bytes": len(csv_data),
                "hash": _sha256(csv_data),
                "dialect": {"header": True, "delimiter": ",", "lineTerminator": "\n"},
                "schema": spec.schema,
                "formats": {"csv": f"{spec.name}.csv", "parquet": f"{spec.name}.parquet", "xlsx": f"{spec.name}.xlsx"},
                "rows": int(len(frame)),
                "fieldsFilled": _filled(text),
                **spec.properties,
            }
        )
    snapshot = pd.Timestamp(release.snapshot_date)
    package.descriptor = {
        "$schema": PROFILE,
        "name": name,
        "id": f"umkm-balikpapan/{name}/{release.version}",
        "title": title,
        "description": description,
        "title_en": title_en,
        "description_en": description_en,
        "version": release.version,
        "created": snapshot.strftime("%Y-%m-%dT00:00:00Z"),
        "keywords": keywords,
        "licenses": [LICENCE.descriptor()],
        "contributors": [
            {"title": PUBLISHER, "roles": ["publisher", "rightsHolder"]},
            {"title": "Data UMKM Balikpapan (pipeline)", "roles": ["processor"]},
        ],
        "sources": sources,
        "synthetic": bool(release.is_demo),
        "resources": descriptors,
    }
    package.descriptor = {k: v for k, v in package.descriptor.items() if v is not None}
    package.files["datapackage.json"] = descriptor_bytes(package.descriptor)
    if formats:
        other_formats(package)
    return package


def _filled(text: pd.DataFrame) -> dict[str, int]:
    """How many rows hold a value in each field (not missing: not empty)."""
    return {
        str(c): int(len(text) - text[c].isna().sum() - (text[c].astype("string") == "").sum()) for c in text.columns
    }


def other_formats(pkg: Package, base_url: str | None = None) -> dict[str, bytes]:
    """Make the Parquet files and workbooks that build_package(formats=False) left: into ``pkg.files``
    (nothing reads its order: writers and the zip sort the paths), and returned. ``base_url``: the site's
    address, which the workbooks' cover sheet cites (default: the catalogue's)."""
    base_url = base_url or citation.DEFAULT_BASE_URL
    made = {}
    resources = {r["name"]: r for r in pkg.descriptor["resources"]}
    for spec, frame, text in pkg.pending:
        made[f"{spec.name}.parquet"] = parquet_bytes(frame, spec.schema, text)
        cover = workbook_cover(pkg.descriptor, resources[spec.name], base_url)
        made[f"{spec.name}.xlsx"] = _xlsx_of_text(_for_workbook(frame, text), spec.schema, spec.title, cover)
    pkg.pending.clear()
    pkg.files.update(made)
    return made


def descriptor_bytes(descriptor: dict) -> bytes:
    return (json.dumps(descriptor, ensure_ascii=False, indent=2, sort_keys=False) + "\n").encode("utf-8")


def sources(is_demo: bool) -> list[dict]:
    if is_demo:
        return [
            {
                "title": "Register sintetis (demo) dari generator proyek ini, bukan data nyata / synthetic demo "
                "register from this project's generator, not real data"
            }
        ]
    return [
        {"title": f"ODS: sistem pendataan UMKM {PUBLISHER_SHORT}"},
        {"title": "OSS RBA: Online Single Submission Berbasis Risiko (NIB)", "path": "https://oss.go.id/"},
    ]


CODE_LISTS = {
    # coded field -> (code-list resource, its key field)
    "kecamatan_kode": "kode_kecamatan",
    "kelurahan_kode": "kode_kelurahan",
    "kbli_kategori": "kode_kbli_kategori",
    "kbli_golongan_pokok": "kode_kbli_golongan_pokok",
    "skala_usaha": "kode_skala_usaha",
}


def code_lists(reference) -> dict[str, ResourceSpec]:
    """The reference code lists as resources (Kemendagri and BPS codes, KBLI 2020, PP 7/2021 classes)."""
    kec = reference.kecamatan.sort_values("kode_kemendagri")
    kel = reference.kelurahan.sort_values("kode_kemendagri")
    kat = reference.kbli_kategori.sort_values("kategori")
    gol = reference.kbli_golongan_pokok.sort_values("golongan_pokok")
    return {
        "kode_kecamatan": ResourceSpec(
            "kode_kecamatan",
            "Kode kecamatan Kota Balikpapan",
            "Kecamatan codes of Kota Balikpapan",
            "Kode Kemendagri dan BPS keenam kecamatan.",
            "Kemendagri and BPS codes of the six kecamatan.",
            pd.DataFrame({"kode": kec["kode_kemendagri"], "nama": kec["nama"], "kode_bps": kec["kode_bps"]}),
            schemas.schema(["kode", "nama", "kode_bps"], primary_key=["kode"]),
        ),
        "kode_kelurahan": ResourceSpec(
            "kode_kelurahan",
            "Kode kelurahan Kota Balikpapan",
            "Kelurahan codes of Kota Balikpapan",
            "Kode Kemendagri, BPS dan kode pos ke-34 kelurahan.",
            "Kemendagri, BPS and postal codes of the 34 kelurahan.",
            pd.DataFrame(
                {
                    "kode": kel["kode_kemendagri"],
                    "nama": kel["nama"],
                    "kecamatan_kode": kel["kode_kecamatan"],
                    "kode_bps": kel["kode_bps"],
                    "kode_pos": kel["kode_pos"],
                }
            ),
            schemas.schema(
                ["kode", "nama", "kecamatan_kode", "kode_bps", "kode_pos"],
                primary_key=["kode"],
                foreign_keys=[
                    {"fields": ["kecamatan_kode"], "reference": {"resource": "kode_kecamatan", "fields": ["kode"]}}
                ],
            ),
        ),
        "kode_kbli_kategori": ResourceSpec(
            "kode_kbli_kategori",
            "Kategori KBLI 2020",
            "KBLI 2020 categories",
            "21 kategori KBLI 2020 (Peraturan BPS 2/2020).",
            "The 21 KBLI 2020 categories (BPS Regulation 2/2020).",
            pd.DataFrame({"kode": kat["kategori"], "nama": kat["judul"]}),
            schemas.schema(["kode", "nama"], primary_key=["kode"]),
        ),
        "kode_kbli_golongan_pokok": ResourceSpec(
            "kode_kbli_golongan_pokok",
            "Golongan pokok KBLI 2020",
            "KBLI 2020 divisions (2 digits)",
            "88 golongan pokok KBLI 2020 dengan kategorinya.",
            "The 88 KBLI 2020 divisions with their category.",
            pd.DataFrame({"kode": gol["golongan_pokok"], "nama": gol["judul"], "kategori": gol["kategori"]}),
            schemas.schema(
                ["kode", "nama", "kategori"],
                primary_key=["kode"],
                foreign_keys=[
                    {"fields": ["kategori"], "reference": {"resource": "kode_kbli_kategori", "fields": ["kode"]}}
                ],
            ),
        ),
        "kode_skala_usaha": ResourceSpec(
            "kode_skala_usaha",
            "Skala usaha (PP 7/2021)",
            "Size classes (PP 7/2021)",
            "Batas atas modal dan omzet tahunan tiap skala usaha menurut PP 7/2021 Pasal 35.",
            "Upper bounds of capital and annual sales of each size class by PP 7/2021 Article 35.",
            pd.DataFrame(
                {
                    "kode": [s.code for s in SIZE_CLASSES],
                    "nama": [s.name for s in SIZE_CLASSES],
                    "batas_modal_rupiah": [s.max_modal for s in SIZE_CLASSES],
                    "batas_omzet_rupiah": [s.max_omzet for s in SIZE_CLASSES],
                }
            ),
            schemas.schema(["kode", "nama", "batas_modal_rupiah", "batas_omzet_rupiah"], primary_key=["kode"]),
        ),
    }


NAMED_CODES = {  # code field -> (its name field, the reference table and its code and name columns)
    "kecamatan_kode": ("kecamatan_nama", "kecamatan", "kode_kemendagri", "nama"),
    "kelurahan_kode": ("kelurahan_nama", "kelurahan", "kode_kemendagri", "nama"),
    "kbli_kategori": ("kbli_kategori_nama", "kbli_kategori", "kategori", "judul"),
    "kbli_golongan_pokok": ("kbli_golongan_pokok_nama", "kbli_golongan_pokok", "golongan_pokok", "judul"),
}


def with_code_names(spec: ResourceSpec, reference) -> ResourceSpec:
    """A name column right after each code column a reader cannot read without the code list (kecamatan,
    kelurahan, KBLI): kecamatan_nama beside kecamatan_kode, declared in the schema. An unknown code has no
    name (missing, like the code)."""
    fields = [f["name"] for f in spec.schema["fields"]]
    named = [c for c in fields if c in NAMED_CODES]
    if not named:
        return spec
    frame, schema = spec.frame.copy(), dict(spec.schema)
    out_fields = []
    for f in spec.schema["fields"]:
        out_fields.append(f)
        if f["name"] in NAMED_CODES:
            name_field, table, code_column, name_column = NAMED_CODES[f["name"]]
            codes = getattr(reference, table)
            names = dict(zip(codes[code_column].astype(str), codes[name_column].astype(str)))
            codes_text = frame[f["name"]].astype("string").fillna("")
            frame.insert(
                frame.columns.get_loc(f["name"]) + 1, name_field, codes_text.map(names).fillna("").astype("string")
            )
            out_fields.append(schemas.field(name_field))
    schema["fields"] = out_fields
    return ResourceSpec(
        spec.name,
        spec.title,
        spec.title_en,
        spec.description,
        spec.description_en,
        frame,
        schema,
        dict(spec.properties),
    )


def with_foreign_keys(spec: ResourceSpec) -> ResourceSpec:
    """Point every coded field of the resource at its code list (included in the same package)."""
    fields = [f["name"] for f in spec.schema["fields"]]
    keys = [
        {"fields": [f], "reference": {"resource": CODE_LISTS[f], "fields": ["kode"]}} for f in fields if f in CODE_LISTS
    ]
    if keys:
        spec.schema = dict(spec.schema, foreignKeys=keys)
    return spec


def _needed_code_lists(specs: list[ResourceSpec], lists: dict[str, ResourceSpec]) -> list[ResourceSpec]:
    names = sorted({CODE_LISTS[f["name"]] for s in specs for f in s.schema["fields"] if f["name"] in CODE_LISTS})
    if "kode_kelurahan" in names and "kode_kecamatan" not in names:
        names.append("kode_kecamatan")
    return [lists[n] for n in sorted(names)]


def build_packages(
    microdata: pd.DataFrame,
    count_tables: dict[str, pd.DataFrame],
    quality: pd.DataFrame,
    risk: pd.DataFrame,
    reference,
    release: Release,
    magnitude_tables: dict | None = None,
    risk_tables: dict | None = None,
    microdata_properties: dict | None = None,
    formats: bool = True,
) -> list[Package]:
    """The packages of a release (see build_package for ``formats``)."""
    src = sources(release.is_demo)
    build = functools.partial(build_package, formats=formats)
    lists = code_lists(reference)
    packages = []
    packages.append(
        build(
            "umkm-mikrodata",
            "Mikrodata pelaku UMKM Kota Balikpapan (anonim)",
            "Anonymised microdata of UMKM actors in Kota Balikpapan",
            "Satu baris per pelaku UMKM, tanpa identitas langsung; atribut digeneralisasi dan disembunyikan "
            "sebagian sehingga setiap kombinasi kuasi-identifier memuat sedikitnya 5 pelaku.",
            "One row per UMKM actor, without direct identifiers; attributes generalised and partly suppressed so "
            "that every combination of quasi-identifiers holds at least 5 actors.",
            _with_code_lists(
                [
                    ResourceSpec(
                        "pelaku_umkm",
                        "Pelaku UMKM",
                        "UMKM actors",
                        "Mikrodata anonim, satu baris per pelaku.",
                        "Anonymised microdata, one row per actor.",
                        microdata,
                        schemas.schema(schemas.MICRODATA_COLUMNS, primary_key=["pseudonim"]),
                        properties=dict(microdata_properties or {}),
                    )
                ],
                lists,
            ),
            release,
            src,
            ["UMKM", "Balikpapan", "mikrodata", "microdata"],
        )
    )
    packages.append(
        build(
            "umkm-statistik",
            "Statistik pelaku UMKM Kota Balikpapan",
            "Statistics of UMKM actors in Kota Balikpapan",
            "Tabel jumlah pelaku UMKM menurut wilayah, lapangan usaha, skala, pemilik, pemasaran online, pelatihan, "
            "bantuan modal dan sentra. Jumlah 1 sampai 4 dan sel yang dapat dihitung balik disembunyikan.",
            "Counts of UMKM actors by area, activity, size, owner, online selling, training, grant and sentra. "
            "Counts of 1 to 4, and cells that could be recovered from totals, are suppressed.",
            _with_code_lists(
                [
                    with_code_names(
                        ResourceSpec(
                            spec.name,
                            spec.title_id,
                            spec.title_en,
                            spec.title_id + ".",
                            spec.title_en + ".",
                            count_tables[spec.name],
                            schemas.count_table_schema(spec),
                        ),
                        reference,
                    )
                    for spec in tables.COUNT_TABLES
                ]
                + [
                    with_code_names(
                        ResourceSpec(
                            spec.name,
                            spec.title_id,
                            spec.title_en,
                            spec.title_id + ".",
                            spec.title_en + ".",
                            magnitude_tables[spec.name],
                            schemas.magnitude_table_schema(spec),
                        ),
                        reference,
                    )
                    for spec in tables.MAGNITUDE_TABLES
                    if spec.name in (magnitude_tables or {})
                ],
                lists,
            ),
            release,
            src,
            ["UMKM", "Balikpapan", "statistik", "statistics"],
        )
    )
    packages.append(
        build(
            "umkm-kualitas-data",
            "Laporan kualitas data register UMKM",
            "Data-quality report of the UMKM register",
            "Dari baris masukan ODS dan OSS ke pelaku UMKM: duplikat, pengecualian menurut alasan, perbaikan.",
            "From ODS and OSS input rows to UMKM actors: duplicates, exclusions by reason, repairs.",
            [
                ResourceSpec(
                    "kualitas_data",
                    "Kualitas data",
                    "Data quality",
                    "Ukuran kualitas data.",
                    "Data-quality measures.",
                    quality,
                    schemas.schema(["metrik", "label_id", "label_en", "nilai"], primary_key=["metrik"]),
                )
            ],
            release,
            src,
            ["UMKM", "kualitas data", "data quality"],
        )
    )
    packages.append(
        build(
            "umkm-referensi",
            "Kode referensi: wilayah, KBLI 2020, skala usaha",
            "Reference code lists: areas, KBLI 2020, size classes",
            "Daftar kode yang dipakai semua paket: kecamatan dan kelurahan Kota Balikpapan (kode Kemendagri dan BPS), "
            "kategori dan golongan pokok KBLI 2020, skala usaha PP 7/2021. Kode BPS dari edwardsamuel/Wilayah-"
            "Administratif-Indonesia (ODbL-1.0); lihat halaman Tentang.",
            "The code lists every package uses: Balikpapan's kecamatan and kelurahan (Kemendagri and BPS codes), KBLI "
            "2020 categories and divisions, PP 7/2021 size classes. BPS codes from edwardsamuel/Wilayah-Administratif-"
            "Indonesia (ODbL-1.0); see the About page.",
            [lists[n] for n in sorted(lists)],
            release,
            src,
            ["kode wilayah", "KBLI 2020", "code lists"],
        )
    )
    if risk_tables:
        packages.append(
            build(
                "umkm-risiko-pengungkapan",
                "Laporan risiko pengungkapan rilis ini",
                "Disclosure-risk report of this release",
                "Bagaimana kerahasiaan dilindungi dalam rilis ini: kuasi-identifier dan tingkat generalisasinya, sebaran "
                "ukuran kelas mikrodata, penyembunyian sel per aturan dan per tabel, hasil audit program linear dan "
                "perbandingan dengan rilis sebelumnya.",
                "How confidentiality is protected in this release: quasi-identifiers and their generalisation levels, the "
                "microdata's class sizes, cell suppressions by rule and by table, the linear-programming audit and the "
                "comparison with the previous release.",
                [
                    ResourceSpec(name, *tables.RISK_TITLES[name], risk_tables[name], schemas.risk_schema(name))
                    for name in schemas.RISK_RESOURCES
                ],
                release,
                src,
                ["UMKM", "kerahasiaan", "disclosure control"],
            )
        )
    return packages


def _with_code_lists(specs: list[ResourceSpec], lists: dict[str, ResourceSpec]) -> list[ResourceSpec]:
    return [with_foreign_keys(s) for s in specs] + _needed_code_lists(specs, lists)


def readme(pkg: Package, base_url: str | None = None) -> str:
    """The README.md of the package's zip: what it is, its files, how to load them with their types, how to
    cite it (the one citation, citation.of)."""
    d = pkg.descriptor
    cite = citation.of(d, base_url or citation.DEFAULT_BASE_URL)
    lines = [
        f"# {d['title']}",
        "",
        f"*{d['title_en']}*",
        "",
        d["description"],
        "",
        d["description_en"],
        "",
        f"- Versi / version: {d['version']} (data per / as of {d['created'][:10]})",
        f"- Lisensi / licence: {LICENCE.title} ({LICENCE.spdx}), {LICENCE.url}",
        f"- Penerbit / publisher: {cite.publisher}",
        f"- Halaman versi ini / this version's page: {cite.url}",
        "",
    ]
    if d.get("synthetic"):
        lines += [
            "**DATA SINTETIS / SYNTHETIC DATA**: dibuat oleh generator demo, bukan data nyata. "
            "Generated by the demo generator, not real data.",
            "",
        ]
    lines += ["## Berkas / files", ""]
    for r in d["resources"]:
        lines.append(
            f"- `{r['path']}` ({r['rows']} baris / rows): {r['title']} / {r['title_en']}; "
            f"juga / also `{r['formats']['parquet']}`, `{r['formats']['xlsx']}`"
        )
    lines += [
        "",
        "Sel kosong di CSV, NULL di Parquet dan sel kosong di XLSX berarti tidak ada nilai (tidak diketahui "
        'atau disembunyikan): skema menyatakannya sebagai `missingValues: [""]`. / An empty CSV field, a NULL '
        "in Parquet and an empty XLSX cell all mean no value (unknown or suppressed): the schema declares "
        '`missingValues: [""]`.',
        "",
    ]
    first = d["resources"][0]
    samples = [
        ("Python (pandas)", "python", code_samples.pandas),
        ("Python (polars)", "python", code_samples.polars),
        ("Python (DuckDB)", "python", code_samples.duckdb),
        ("R (readr, readxl)", "r", code_samples.r),
    ]
    lines += [
        "## Cara memuat / how to load",
        "",
        "Di folder hasil ekstrak ZIP ini, dengan tipe kolom dari skema / in the folder of this unzipped ZIP, "
        "with the column types of the schema:",
        "",
    ]
    for title, language, sample in samples:
        lines += [f"{title}:", "", f"```{language}", *sample("", pkg.name, first, "id"), "```", ""]
    lines += [
        "Python (frictionless):",
        "",
        "```python",
        "import frictionless",
        "",
        'package = frictionless.Package("datapackage.json")',
        "# atau langsung dari ZIP, di folder yang memuatnya / or straight from the ZIP, in the folder holding it:",
        f'# package = frictionless.Package("{pkg.name}.zip", control=frictionless.formats.ZipControl('
        f'innerpath="{pkg.name}/datapackage.json"))',
        "```",
        "",
        "Excel: buka berkas `.xlsx`; lembar *tentang* menjelaskan berkasnya, lembar *data* berisi tabelnya, "
        "lembar *keterangan* menjelaskan setiap kolom. / Open the `.xlsx` file; the *tentang* sheet says what "
        "it is, the *data* sheet holds the table, the *keterangan* sheet describes every column.",
        "",
        "## Sitasi / citation",
        "",
        citation.text(cite, "id"),
        "",
        citation.text(cite, "en"),
        "",
        "BibTeX, CFF, RIS, CSL-JSON: " + ", ".join(f"`{name}`" for name in citation.FILES),
        "",
    ]
    return "\n".join(lines)


def bundle(pkg: Package, extra: dict[str, bytes] | None = None, base_url: str | None = None) -> bytes:
    """The package as one zip: datapackage.json, its data files, a README and ``extra`` files (citations)."""
    files = {**pkg.files, **(extra or {})}
    entries = [("README.md", readme(pkg, base_url).encode("utf-8"))]
    entries += [(name, files[name]) for name in sorted(files)]
    return fixed_zip([(f"{pkg.name}/{name}", data) for name, data in entries])


def with_version(pkg: Package, version: str) -> Package:
    """The same package labelled as another release version (see catalogue.resolve_version)."""
    descriptor = dict(pkg.descriptor, version=version, id=f"umkm-balikpapan/{pkg.name}/{version}")
    return Package(
        name=pkg.name,
        descriptor=descriptor,
        files=dict(pkg.files, **{"datapackage.json": descriptor_bytes(descriptor)}),
        pending=list(pkg.pending),
    )
