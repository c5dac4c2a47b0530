"""The reference code lists as resources of the packages (Kemendagri and BPS area codes, KBLI 2020, the PP 7/2021
size classes), and what ties a coded field to them: its foreign key, and the name column beside the code.
"""

from __future__ import annotations

import pandas as pd

from umkm.package import schemas
from umkm.package.packages import ResourceSpec
from umkm.vocabulary import SIZE_CLASSES

CODE_LISTS = {
    # coded field -> (code-list resource, its key field)
    "kecamatan_kode": "kode_kecamatan",
    "kelurahan_kode": "kode_kelurahan",
    "kbli_kategori": "kode_kbli_kategori",
    "kbli_golongan_pokok": "kode_kbli_golongan_pokok",
    "skala_usaha": "kode_skala_usaha",
}


def resources(reference) -> dict[str, ResourceSpec]:
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


def with_code_lists(specs: list[ResourceSpec], lists: dict[str, ResourceSpec]) -> list[ResourceSpec]:
    """The resources with their foreign keys, followed by the code lists (of ``lists``) they point at."""
    return [with_foreign_keys(s) for s in specs] + _needed_code_lists(specs, lists)
