"""Every path the project uses, as constants. Depends on nothing else in the package.

From a checkout, the repository's root holds reference/, docs/ and the MkDocs configurations;
installed (``pip install .``), the same files are data files under <prefix>/share/umkm-balikpapan/
(pyproject.toml) and REPO names that folder.
"""

import site
import sys
import sysconfig
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
SHARE = Path("share") / "umkm-balikpapan"


def _root() -> tuple[Path, bool]:
    """The folder holding reference/, docs/ and mkdocs.yml, and whether it is a checkout."""
    checkout = PACKAGE.parent
    if (checkout / "mkdocs.yml").is_file() and (checkout / "reference").is_dir():
        return checkout, True
    for prefix in (sys.prefix, sysconfig.get_path("data"), site.USER_BASE or ""):
        if prefix and (Path(prefix) / SHARE / "mkdocs.yml").is_file():
            return Path(prefix) / SHARE, False
    return checkout, True  # neither: the errors then name the checkout's paths


REPO, CHECKOUT = _root()
REFERENCE = REPO / "reference"
DOCS = REPO / "docs"
MKDOCS_CONFIG = REPO / "mkdocs.yml"
MKDOCS_CONFIG_EN = REPO / "mkdocs.en.yml"
HEADER_MAPPING = PACKAGE / "ingest" / "header_mapping.csv"

KECAMATAN_CSV = REFERENCE / "balikpapan_kecamatan.csv"
KELURAHAN_CSV = REFERENCE / "balikpapan_kelurahan.csv"
KECAMATAN_GEOJSON = REFERENCE / "balikpapan_kecamatan.geojson"
KELURAHAN_GEOJSON = REFERENCE / "balikpapan_kelurahan.geojson"
SENTRA_CSV = REFERENCE / "balikpapan_sentra.csv"
SENTRA_TEKS_CSV = REFERENCE / "balikpapan_sentra_teks.csv"
KBLI_KELOMPOK_CSV = REFERENCE / "kbli2020_kelompok_5digit.csv"
KBLI_GOLONGAN_POKOK_CSV = REFERENCE / "kbli2020_golongan_pokok.csv"
KBLI_KATEGORI_CSV = REFERENCE / "kbli2020_kategori.csv"
KBLI_KATEGORI_EN_CSV = REFERENCE / "kbli2020_kategori_en.csv"
KBLI_ALL_LEVELS_CSV = REFERENCE / "kbli2020_all_levels.csv"
MOBILE_PREFIXES_CSV = REFERENCE / "indonesia_mobile_prefixes.csv"
POPULATION_CSV = REFERENCE / "balikpapan_kecamatan_penduduk_2021_dewiki.csv"
# The normaliser's editable mappings (umkm/reconcile/normalise.py reads them through umkm/reference.py).
KELURAHAN_ALIASES_CSV = REFERENCE / "kelurahan_aliases.csv"
OUTSIDE_PLACES_CSV = REFERENCE / "outside_places.csv"
BIDANG_USAHA_KBLI_CSV = REFERENCE / "bidang_usaha_kbli.csv"

# Output folders, relative to the build's --out folder (the repo root by default).
DATAPACKAGES = "datapackages"
SITE = "site"
PRIVATE = "private"
GENERATED_DOCS = "docs"
