"""The packages a release publishes: the anonymised microdata, the statistics tables, the data-quality report, the
reference code lists and (when the release has one) the disclosure-risk report, each with its titles, description,
sources and keywords.
"""

from __future__ import annotations

import functools

import pandas as pd

from umkm.disclose import ckm, tables
from umkm.package import code_lists, schemas
from umkm.package.packages import Package, Release, ResourceSpec, build_package
from umkm.vocabulary import PUBLISHER_SHORT


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
    lists = code_lists.resources(reference)
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
            code_lists.with_code_lists(
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
            "bantuan modal dan sentra. Semua sel diterbitkan, masing-masing disesuaikan sedikit dengan metode kunci "
            f"sel untuk melindungi pelaku: jumlah bergeser paling banyak {ckm.D_MAX}, angka 1 sampai "
            f"{ckm.BLOCKED_MAX} tidak pernah muncul, dan jumlah bagian tidak selalu sama persis dengan totalnya.",
            "Counts of UMKM actors by area, activity, size, owner, online selling, training, grant and sentra. "
            "Every cell is published, each adjusted slightly by the cell key method to protect the businesses: a "
            f"count moves by at most {ckm.D_MAX}, the numbers 1 to {ckm.BLOCKED_MAX} never appear, and parts do not "
            "always add up exactly to their total.",
            code_lists.with_code_lists(
                [
                    code_lists.with_code_names(
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
                    code_lists.with_code_names(
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
