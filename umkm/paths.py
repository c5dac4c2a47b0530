"""Every path the project uses, as constants. Depends on nothing else in the package."""

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
REFERENCE = REPO / "reference"
DOCS = REPO / "docs"
MKDOCS_CONFIG = REPO / "mkdocs.yml"
MKDOCS_CONFIG_EN = REPO / "mkdocs.en.yml"
HEADER_MAPPING = Path(__file__).resolve().parent / "header_mapping.csv"

KECAMATAN_CSV = REFERENCE / "balikpapan_kecamatan.csv"
KELURAHAN_CSV = REFERENCE / "balikpapan_kelurahan.csv"
KECAMATAN_GEOJSON = REFERENCE / "balikpapan_kecamatan.geojson"
KELURAHAN_GEOJSON = REFERENCE / "balikpapan_kelurahan.geojson"
SENTRA_CSV = REFERENCE / "balikpapan_sentra.csv"
KBLI_KELOMPOK_CSV = REFERENCE / "kbli2020_kelompok_5digit.csv"
KBLI_GOLONGAN_POKOK_CSV = REFERENCE / "kbli2020_golongan_pokok.csv"
KBLI_KATEGORI_CSV = REFERENCE / "kbli2020_kategori.csv"
KBLI_ALL_LEVELS_CSV = REFERENCE / "kbli2020_all_levels.csv"
MOBILE_PREFIXES_CSV = REFERENCE / "indonesia_mobile_prefixes.csv"
POPULATION_CSV = REFERENCE / "balikpapan_kecamatan_penduduk_2021_dewiki.csv"

# Output folders, relative to the build's --out folder (the repo root by default).
DATAPACKAGES = "datapackages"
SITE = "site"
PRIVATE = "private"
GENERATED_DOCS = "docs"
