"""Why an input row is not a UMKM actor: the reason codes, the rules that set a row aside and the staff's overrides.

Each rule (EXCLUSION_RULES, the first that holds wins) gives a reason code (REASONS, README.md,
"Reconciliation"), the kind of rule that fired and the words the review workbook explains it with:
test rows, a pasted header row, a region outside the city, a cooperative, foundation, government
body or state enterprise, a size above the medium bounds (PP 7/2021 Pasal 35), a row with nothing
usable, no business yet. Staff overrule a rule in the review workbook (ACTOR_WORD or a reason code,
STAFF_RULE). A row entered after the release's snapshot date waits for a later one (DEFERRED:
umkm/reconcile/register.py sets it).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from umkm.reconcile import identity
from umkm.vocabulary import LARGE, SIZE_CLASSES

REASONS = ("usaha_besar", "bukan_usaha", "luar_wilayah", "badan_lain", "tidak_valid")
DEFERRED = "setelah_tanggal_data"  # entered after the release's snapshot date: in a later release

_LARGEST = SIZE_CLASSES[-1]  # above its bounds (PP 7/2021 Pasal 35): Usaha Besar, not an UMKM

# Test rows as staff type them: "COBA INPUT", "Test", "uji coba", owner "admin"; and a pasted header row.
_TEST_WORDS = (
    r"\b(?:TEST\w*|TES|COBA|PERCOBAAN|UJI ?COBA|UJICOBA|DATA UJI|UJI DATA|DUMMY|CONTOH|ASDF\w*|QWERTY|"
    r"SAMPLE)\b"
)
_TEST_OWNERS = r"^(?:(?:ADMIN\w*|OPERATOR|PETUGAS)(?: \w+)?|USER|ASD\w*|[A-Z]|X+|XX+|ZZZ+|ABC|AAA+|NA|N A|-+)$"
_HEADER_WORDS = r"^(?:NAMA USAHA|NAMA PEMILIK|NAMA PELAKU USAHA|NAMA)$"
# Cooperatives, foundations, government bodies and state or regional enterprises (badan_lain):
# BUMN, BUMD, Persero, Perumda. A listed company ("PT ... Tbk") is a private company like any
# PT: it is classed by its size (PP 7/2021 Pasal 35), not here; "(Persero) Tbk" is a state
# enterprise and stays here through PERSERO.
_OTHER_BODY_NAMES = (
    r"^(?:KOPERASI|KOP|KOPWAN|KOPKAR|KSP|KSU|KUD|KSPPS|PRIMKOPTI|INKOPTI|YAYASAN|PONDOK PESANTREN|PONPES|DINAS|"
    r"DKUMKMP|DISKOP\w*|DISPERINDAG|UPTD|UPT|BADAN|KANTOR|SEKRETARIAT|PUSKESMAS|SEKOLAH|SD|SDN|SMP|SMPN|SMA|SMAN|"
    r"SMK|SMKN|MASJID|GEREJA|PEMKOT|PEMERINTAH|PERUMDA|PDAM|PD|BUMD|BUMN|KELURAHAN|KECAMATAN|POSYANDU|PKK|"
    r"KARANG TARUNA|LEMBAGA|PERKUMPULAN|PANTI|DEKRANASDA|PERUSDA|PEGADAIAN|BANK|BRI|BNI|BTN|BPJS|PLN|TELKOM|"
    r"PERTAMINA|POLRES|POLSEK|KODIM|KORAMIL|RSUD)\b|\bPERSERO\b"
)
_OTHER_BODY_FORMS = (
    r"^(?:KOPERASI|YAYASAN|BUMD|BUMN|BUMDES|PERUMDA|PERSERO|INSTANSI|PEMERINTAH|LEMBAGA|"
    r"PERKUMPULAN|UPTD|UPT|DINAS|PD)\b"
)
# No business yet: training participants and plans ("RENCANA USAHA", "BELUM PUNYA USAHA").
_NO_BUSINESS = (
    r"^(?:|-+|TIDAK ADA|TIDAK PUNYA\b.*|BELUM\b.*|(?:MASIH )?RENCANA\b.*|NIHIL|PESERTA\b.*|CALON\b.*|"
    r"INGIN USAHA|AKAN USAHA.*)$"
)


class _Distinct:
    """A text column's distinct values, each test run once per distinct value. The column has
    no missing value (fillna("") first)."""

    def __init__(self, text: pd.Series):
        encoded = pc.dictionary_encode(identity.arrow_array(text))
        self.codes = encoded.indices.to_numpy()  # fails on a missing value (a null index)
        self.values = pd.Series(pd.array(encoded.dictionary.cast(pa.large_string()), dtype="str"))
        self.index = text.index

    def test(self, test) -> pd.Series:
        """test (Series of text -> Series of bool) per row."""
        return pd.Series(test(self.values).to_numpy(dtype=bool)[self.codes], index=self.index)


# Why a row is set aside: per rule (the first that holds wins), its reason code, the kind of
# rule that fired (what the review workbook shows staff: a name pattern, the legal form, the
# size, the region, an empty row), and how the review explains it ({column}: the row's value).
EXCLUSION_RULES = {
    "uji_nama_usaha": (
        "tidak_valid",
        "pola_nama",
        "nama usaha seperti baris uji (TEST, COBA, CONTOH, ...): {nama_usaha_key}",
    ),
    "uji_nama_pemilik": (
        "tidak_valid",
        "pola_nama",
        "nama pemilik seperti baris uji (ADMIN, OPERATOR, XXX, ...): {nama_pemilik_key}",
    ),
    "baris_judul": ("tidak_valid", "pola_nama", "baris judul kolom yang tertempel di tengah data"),
    "luar_wilayah": ("luar_wilayah", "wilayah", "kabupaten/kota, kelurahan atau kd_daerah di luar Kota Balikpapan"),
    "nama_badan_lain": (
        "badan_lain",
        "pola_nama",
        "nama usaha menyebut koperasi, yayasan, instansi pemerintah atau BUMN/BUMD/Persero/Perumda: {nama_usaha_key}",
    ),
    "bentuk_badan_lain": (
        "badan_lain",
        "bentuk_badan",
        "bentuk badan usaha koperasi, yayasan, instansi atau BUMN/BUMD: {status_badan_usaha}",
    ),
    "modal_besar": (
        "usaha_besar",
        "ukuran",
        f"modal usaha Rp{{modal_usaha}} di atas Rp{_LARGEST.max_modal // 10**9} miliar (PP 7/2021 Pasal 35)",
    ),
    "omzet_besar": (
        "usaha_besar",
        "ukuran",
        f"omzet per tahun Rp{{omzet_per_tahun}} di atas Rp{_LARGEST.max_omzet // 10**9} miliar (PP 7/2021 Pasal 35)",
    ),
    "skala_oss_besar": ("usaha_besar", "ukuran", "OSS mencatat skala usaha besar"),
    "kosong": ("tidak_valid", "kosong", "tanpa NIK, NIB, telepon maupun nama pemilik yang dapat dipakai"),
    "tanpa_usaha": ("bukan_usaha", "pola_nama", "belum ada usaha: nama usaha {nama_usaha_key}, omzet kosong atau nol"),
}
STAFF_RULE = "keputusan_staf"  # the rule of a row whose reason staff set in the review workbook
ACTOR_WORD = "pelaku"  # what staff write to overrule an exclusion: the row is a UMKM actor


def _exclusion(rows: pd.DataFrame) -> pd.Series:
    """Per row the EXCLUSION_RULES key that sets it aside ("" for the rows that are actors)."""
    owner = rows["nama_pemilik_key"].fillna("")
    business = rows["nama_usaha_key"].fillna("")
    owners, businesses = _Distinct(owner), _Distinct(business)
    is_ods = rows["source"].eq("ods")
    nothing_usable = ~(rows["nik"].notna() | rows["nib"].notna() | rows["phone"].notna() | (owner != "")) | (
        (owner == "") & businesses.test(lambda v: v.str.fullmatch(_NO_BUSINESS + "|^X+$"))
    )
    rules = {
        "uji_nama_usaha": businesses.test(lambda v: v.str.contains(_TEST_WORDS, regex=True)),
        "uji_nama_pemilik": (
            owners.test(lambda v: v.str.contains(_TEST_WORDS, regex=True))
            | (is_ods & owners.test(lambda v: v.str.fullmatch(_TEST_OWNERS)))
        ),
        "baris_judul": (
            businesses.test(lambda v: v.str.fullmatch(_HEADER_WORDS))
            | owners.test(lambda v: v.str.fullmatch(_HEADER_WORDS))
        ),
        "luar_wilayah": rows["region_status"].eq("outside"),
        "nama_badan_lain": businesses.test(lambda v: v.str.contains(_OTHER_BODY_NAMES, regex=True)),
        "bentuk_badan_lain": _Distinct(rows["status_badan_usaha"].fillna("")).test(
            lambda v: v.str.contains(_OTHER_BODY_FORMS, regex=True)
        ),
        # PP 7/2021 Pasal 35: above the medium bounds of capital or of annual sales.
        "modal_besar": rows["modal_usaha"].gt(_LARGEST.max_modal).fillna(False),
        "omzet_besar": rows["omzet_per_tahun"].gt(_LARGEST.max_omzet).fillna(False),
        "skala_oss_besar": rows["skala_oss"].eq(LARGE).fillna(False),
        "kosong": nothing_usable,
        "tanpa_usaha": (
            is_ods & businesses.test(lambda v: v.str.fullmatch(_NO_BUSINESS)) & rows["omzet_per_tahun"].fillna(0).eq(0)
        ),
    }
    assert list(rules) == list(EXCLUSION_RULES)
    rule = np.select([c.to_numpy(bool) for c in rules.values()], list(rules), default="")
    return pd.Series(rule, index=rows.index, dtype="string")


def set_aside(rows: pd.DataFrame, overrides: pd.DataFrame | None) -> tuple[pd.Series, pd.Series]:
    """reason and rule per row (EXCLUSION_RULES), staff overrides applied: an override names the
    row by its fingerprint, with ACTOR_WORD (it is an actor) or a reason code."""
    rule = _exclusion(rows)
    reason = rule.map({key: value[0] for key, value in EXCLUSION_RULES.items()}).fillna("").astype("string")
    if overrides is not None and len(overrides):
        decided = rows["fingerprint"].map(
            overrides.drop_duplicates("fingerprint", keep="last").set_index("fingerprint")["keputusan"]
        )
        has = decided.notna().to_numpy()
        reason = reason.mask(has, decided.where(decided != ACTOR_WORD, "")).astype("string")
        rule = rule.mask(has, STAFF_RULE).astype("string")
    return reason, rule
