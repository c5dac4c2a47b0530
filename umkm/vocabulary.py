"""The domain's words, each written once: who publishes, under which licence, under which title, the size
classes of PP 7/2021 with their bounds, the yes/no dimensions, the sentra codes, the value labels of the coded
fields, and the one citation text.

A base module: every stage may import it, and it imports nothing from the stages. The packages' Table Schemas
(umkm/package/fields.py) carry the value labels as Table Schema v2 ``categories``; the register
(umkm/reconcile/register.py) classifies by the bounds; the code list ``kode_skala_usaha`` publishes them.
"""

from __future__ import annotations

from dataclasses import dataclass

# ------------------------------------------------------------------ publisher, site, licence

PUBLISHER = "Dinas Koperasi, Usaha Mikro, Kecil dan Menengah, dan Perindustrian (KUMKMP) Kota Balikpapan"
PUBLISHER_SHORT = "Dinas KUMKMP Kota Balikpapan"  # where a page names the office in passing
SITE_TITLE = {"id": "Data UMKM Kota Balikpapan", "en": "UMKM data of Kota Balikpapan"}


@dataclass(frozen=True)
class Licence:
    spdx: str  # the Data Package's licenses[].name, CITATION.cff's license
    url: str  # the licence's canonical address (the descriptor's path)
    title: str  # its full name (the descriptor's title)
    short_title: str  # as a citation or a page footer names it
    ckan_id: str  # the id in CKAN's licence register
    ckan_title: str  # the title in CKAN's licence register
    opendefinition_iri: str  # the URL CKAN's "cc-by" has: ckanext-dcat matches dct:license against it
    eu_iri: str  # the EU Publications Office's authority table "licence"
    licence_type: str  # the ADMS licence type (DCAT-AP's dct:type of the licence)

    def descriptor(self) -> dict[str, str]:
        """The Data Package ``licenses`` entry."""
        return {"name": self.spdx, "path": self.url, "title": self.title}


LICENCE = Licence(
    spdx="CC-BY-4.0",
    url="https://creativecommons.org/licenses/by/4.0/",
    title="Creative Commons Attribution 4.0 International",
    short_title="CC BY 4.0",
    ckan_id="cc-by",
    ckan_title="Creative Commons Attribution",
    opendefinition_iri="http://www.opendefinition.org/licenses/cc-by",
    eu_iri="http://publications.europa.eu/resource/authority/licence/CC_BY_4_0",
    licence_type="http://purl.org/adms/licencetype/Attribution",
)
# Every licence the catalogue formats can name, by SPDX id: a package under another stops the catalogue build.
LICENCES = {LICENCE.spdx: LICENCE}

# ------------------------------------------------------------------ size classes (PP 7/2021)


@dataclass(frozen=True)
class SizeClass:
    code: str
    name: str  # the class's name in PP 7/2021
    label: str  # the value label, Indonesian
    label_en: str  # the value label, English
    max_modal: int  # upper bound of business capital excluding land and buildings, rupiah (inclusive)
    max_omzet: int  # upper bound of annual sales, rupiah (inclusive)


# PP 7/2021 Pasal 35 ayat (3)-(5): capital excluding land and buildings, and annual sales.
SIZE_CLASSES = (
    SizeClass("mikro", "Usaha Mikro", "Mikro", "Micro", 1_000_000_000, 2_000_000_000),
    SizeClass("kecil", "Usaha Kecil", "Kecil", "Small", 5_000_000_000, 15_000_000_000),
    SizeClass("menengah", "Usaha Menengah", "Menengah", "Medium", 10_000_000_000, 50_000_000_000),
)
SIZE_CODES = tuple(s.code for s in SIZE_CLASSES)  # mikro, kecil, menengah: smallest first
SIZE = {s.code: s for s in SIZE_CLASSES}
LARGE = "besar"  # Usaha Besar: above the medium bounds, not an UMKM (OSS records it so)

# ------------------------------------------------------------------ yes/no dimensions, sentra

YES, NO = "ya", "tidak"  # a yes/no attribute as a statistics table's dimension
YES_NO_DIMENSIONS = ("pemasaran_online", "masih_aktif", "pelatihan", "bantuan_modal", "punya_nib")
SENTRA_CODES = ("somber", "teritip")  # reference/balikpapan_sentra.csv, in its order
NOT_IN_SENTRA = "bukan_sentra"

# ------------------------------------------------------------------ value labels of the coded fields

# field -> ((value, label, English label), ...), in the values' order. The Table Schemas publish them as
# ``categories`` (with ``constraints.enum`` derived from them); the site labels its tables with them.
YES_NO_LABELS = ((YES, "Ya", "Yes"), (NO, "Tidak", "No"))
VALUE_LABELS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "skala_usaha": tuple((s.code, s.label, s.label_en) for s in SIZE_CLASSES),
    "jenis_kelamin": (("L", "Laki-laki", "Male"), ("P", "Perempuan", "Female")),
    "sentra": (
        ("somber", "Sentra Industri Kecil Somber", "Somber small-industry cluster"),
        ("teritip", "Sentra Industri Kecil Teritip", "Teritip small-industry cluster"),
        (NOT_IN_SENTRA, "Bukan sentra", "Not in a sentra"),
    ),
    **{dimension: YES_NO_LABELS for dimension in YES_NO_DIMENSIONS},
}
assert tuple(v for v, _, _ in VALUE_LABELS["sentra"]) == (*SENTRA_CODES, NOT_IN_SENTRA)


def labels(field: str) -> dict[str, tuple[str, str]]:
    """A coded field's value -> (label, English label)."""
    return {value: (label, label_en) for value, label, label_en in VALUE_LABELS[field]}


# ------------------------------------------------------------------ the citation


def citation_text(
    *,
    publisher: str,
    year: str,
    title: str,
    version: str,
    date: str,
    url: str,
    synthetic: bool,
    lang: str = "id",
    whole_release: bool = False,
) -> str:
    """How to cite a package version (or with ``whole_release`` a whole release) in one line (APA-like), in
    Bahasa Indonesia (``lang="id"``) or English: the one text of CITATION.txt, the zip's README, the workbooks'
    cover sheet and the site's pages. ``title`` is in the language asked for."""
    if lang == "id":
        container = "" if whole_release else f" {SITE_TITLE['id']}."
        mark = " Data sintetis (demo), bukan data nyata." if synthetic else ""
        return (
            f"{publisher} ({year}). {title} (versi {version}, data per {date}) [Data set].{container} "
            f"{url}.{mark} Lisensi {LICENCE.short_title}."
        )
    container = "" if whole_release else f" {SITE_TITLE['en']}."
    mark = " Synthetic demo data, not real data." if synthetic else ""
    return (
        f"{publisher} ({year}). {title} (version {version}, data as of {date}) [Data set]."
        f"{container} {url}.{mark} Licence {LICENCE.short_title}."
    )


# ------------------------------------------------------------------ the demo

# The pseudonymisation key of the synthetic demo build (no UMKM_PSEUDONYM_KEY set): public on purpose, so it is
# never a secret the identifier gate looks for; a build from real exports refuses to run without a real key.
DEMO_KEY = "DEMO-KEY-synthetic-data-only-NOT-SECRET"
