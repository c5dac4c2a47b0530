"""The private register in, anonymised microdata and protected count tables out.

- Direct identifiers never leave this stage: the microdata are built column by column
  from generalised attributes only; the actor id becomes a keyed HMAC-SHA256 pseudonym
  (the key comes from the environment and rotates per release, so rows cannot be
  linked across releases).
- Microdata: quasi-identifiers generalised along their hierarchies, then local
  suppression until every combination holds at least K_ANONYMITY actors and every
  sensitive attribute shows at least L_DIVERSITY values in it.
- Count tables: counts 1 to 4 suppressed (primary), then enough neighbours that no
  suppressed cell can be recovered from a line total (secondary).
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

import numpy as np
import pandas as pd

from umkm import tables

K_ANONYMITY = 5
L_DIVERSITY = 2
MIN_PUBLISHED_COUNT = 5  # counts 1..4 are suppressed
MAX_SUPPRESSED_SHARE = 0.05

QUASI_IDENTIFIERS = (
    "kecamatan_kode", "kbli_kategori", "skala_usaha", "jenis_kelamin", "kelompok_umur",
    "kelompok_tahun_mulai", "kelompok_tenaga_kerja", "sentra",
)
# Suppressed first: the attributes a user of the microdata misses least.
SUPPRESSION_ORDER = (
    "kelompok_tahun_mulai", "kelompok_tenaga_kerja", "kelompok_umur", "kbli_kategori",
    "jenis_kelamin", "kecamatan_kode", "skala_usaha", "sentra",
)
SENSITIVE = ("kelompok_omzet", "bantuan_modal", "pelatihan", "pemasaran_online")

AGE_BANDS = ((0, 25, "<25"), (25, 35, "25-34"), (35, 45, "35-44"), (45, 55, "45-54"), (55, 65, "55-64"),
             (65, 200, "65+"))
START_YEAR_BANDS = ((0, 2000, "<2000"), (2000, 2010, "2000-2009"), (2010, 2015, "2010-2014"),
                    (2015, 2020, "2015-2019"), (2020, 2023, "2020-2022"), (2023, 3000, "2023+"))
# BPS's workforce bands for micro (1-4), small (5-19), medium (20-99) and large (100+) industry.
WORKER_BANDS = ((0, 2, "1"), (2, 5, "2-4"), (5, 20, "5-19"), (20, 100, "20-99"), (100, 10**9, "100+"))
TURNOVER_BANDS = ((0, 50_000_000, "<50jt"), (50_000_000, 300_000_000, "50jt-300jt"),
                  (300_000_000, 2_000_000_000, "300jt-2M"), (2_000_000_000, 10**15, ">2M"))
YES_NO = {True: "ya", False: "tidak"}


@dataclass(frozen=True)
class Disclosed:
    microdata: pd.DataFrame
    tables: dict[str, pd.DataFrame]
    risk: pd.DataFrame  # one row per measure: metrik, nilai


def pseudonym(actor_ids: pd.Series, key: bytes) -> pd.Series:
    return actor_ids.map(lambda a: hmac.new(key, a.encode("utf-8"), hashlib.sha256).hexdigest()[:16])


def _band(values: pd.Series, bands) -> pd.Series:
    out = pd.Series(pd.NA, index=values.index, dtype="string")
    for low, high, label in bands:
        out[values.ge(low).fillna(False) & values.lt(high).fillna(False)] = label
    return out


def generalise(register: pd.DataFrame, snapshot_year: int) -> pd.DataFrame:
    """Private register to the public attributes of each actor (no identifier survives)."""
    age = snapshot_year - register["tanggal_lahir"].dt.year
    kbli = register["kbli"].astype("string")
    return pd.DataFrame({
        "kecamatan_kode": register["kecamatan_code"].astype("string"),
        "kelurahan_kode": register["kelurahan_code"].astype("string"),
        "kbli_kategori": register["kbli_kategori"].astype("string"),
        "kbli_golongan_pokok": kbli.str[:2],
        "skala_usaha": register["skala_usaha"].astype("string"),
        "jenis_kelamin": register["jenis_kelamin"].astype("string"),
        "kelompok_umur": _band(age.astype("Float64"), AGE_BANDS),
        "kelompok_tahun_mulai": _band(register["tahun_mulai"].astype("Float64"), START_YEAR_BANDS),
        "kelompok_tenaga_kerja": _band(register["tenaga_kerja"].astype("Float64"), WORKER_BANDS),
        "kelompok_omzet": _band(register["omzet_per_tahun"].astype("Float64"), TURNOVER_BANDS),
        "sentra": register["sentra"].fillna("bukan_sentra").astype("string"),
        "punya_nib": register["nib"].notna().astype("boolean"),
        "pemasaran_online": register["pemasaran_online"].astype("boolean"),
        "pelatihan": register["pelatihan"].astype("boolean"),
        "bantuan_modal": register["bantuan_modal"].astype("boolean"),
        "masih_aktif": register["masih_aktif"].astype("boolean"),
        "sumber": register["sumber"].astype("string"),
    }, index=register.index)


def _bad_classes(frame: pd.DataFrame) -> pd.Series:
    """Rows whose quasi-identifier class is smaller than k or not l-diverse."""
    keys = frame[list(QUASI_IDENTIFIERS)].fillna("*")
    groups = keys.groupby(list(QUASI_IDENTIFIERS), sort=False, dropna=False).ngroup()
    bad = groups.map(groups.value_counts()) < K_ANONYMITY
    for column in SENSITIVE:
        distinct = frame[column].astype("string").fillna("*").groupby(groups).transform("nunique")
        bad |= distinct < L_DIVERSITY
    return bad


def anonymise_microdata(public: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Local suppression of quasi-identifiers until k-anonymity and l-diversity hold."""
    frame = public.drop(columns=["kelurahan_kode", "kbli_golongan_pokok"]).copy()
    cells_before = frame[list(QUASI_IDENTIFIERS)].notna().sum().sum()
    suppressed_by = {}
    for column in SUPPRESSION_ORDER:
        bad = _bad_classes(frame)
        if not bad.any():
            break
        hit = bad & frame[column].notna()
        suppressed_by[column] = int(hit.sum())
        frame.loc[hit, column] = pd.NA
    bad = _bad_classes(frame)
    dropped = int(bad.sum())
    frame = frame[~bad]
    cells_suppressed = sum(suppressed_by.values())
    risk = pd.DataFrame(
        [("k_anonymity_target", K_ANONYMITY), ("l_diversity_target", L_DIVERSITY),
         ("records_dropped", dropped), ("qi_values_suppressed", cells_suppressed),
         ("qi_values_total", int(cells_before))]
        + [(f"suppressed_{c}", n) for c, n in suppressed_by.items()],
        columns=["metrik", "nilai"],
    )
    return frame, risk


def count_table(public: pd.DataFrame, spec: tables.TableSpec, categories: dict[str, list[str]]) -> pd.DataFrame:
    """Counts over the full cross product of the dimensions' categories (zeros included)."""
    dims = list(spec.dimensions)
    keyed = public[dims].astype("string").fillna("")
    counts = keyed.value_counts(dropna=False)
    levels = []
    for dim in dims:
        seen = sorted(set(keyed[dim]) - {""})
        known = categories.get(dim, seen)
        extra = [v for v in seen if v not in known]
        level = list(known) + extra + ([""] if (keyed[dim] == "").any() else [])
        levels.append(level)
    index = pd.MultiIndex.from_product(levels, names=dims)
    full = counts.reindex(index, fill_value=0).astype("int64").reset_index(name=tables.COUNT)
    return full


def suppress_small_cells(table: pd.DataFrame, dims: list[str]) -> pd.DataFrame:
    """Primary suppression of counts 1-4, then secondary: no line holds a single suppressed cell."""
    counts = table[tables.COUNT].to_numpy()
    suppressed = (counts > 0) & (counts < MIN_PUBLISHED_COUNT)
    # Each line (all dimensions fixed but one) sums to a margin that may be published.
    # A line with exactly one suppressed cell lets anyone recover it; suppress its smallest
    # non-zero neighbour as well, and repeat until no line has a lone suppressed cell.
    lines = [table.groupby([d for d in dims if d != free], sort=False).ngroup().to_numpy() if len(dims) > 1
             else np.zeros(len(table), dtype=np.int64) for free in dims]
    changed = True
    while changed:
        changed = False
        for line in lines:
            frame = pd.DataFrame({"line": line, "s": suppressed})
            lone = frame.groupby("line")["s"].transform("sum").to_numpy() == 1
            for line_id in np.unique(line[lone & suppressed]):
                members = np.flatnonzero((line == line_id) & ~suppressed & (counts > 0))
                if len(members) == 0:
                    continue
                pick = members[np.lexsort((members, counts[members]))[0]]
                suppressed[pick] = True
                changed = True
    out = table.copy()
    out[tables.COUNT] = pd.array(np.where(suppressed, 0, counts), dtype="Int64")
    out.loc[suppressed, tables.COUNT] = pd.NA
    out[tables.CELL_STATUS] = np.where(suppressed, tables.SUPPRESSED, "")
    return out


def _categories(reference) -> dict[str, list[str]]:
    return {
        "kecamatan_kode": sorted(reference.kecamatan["kode_kemendagri"]),
        "kelurahan_kode": sorted(reference.kelurahan["kode_kemendagri"]),
        "kbli_kategori": sorted(reference.kbli_kategori["kategori"]),
        "skala_usaha": ["mikro", "kecil", "menengah"],
        "jenis_kelamin": ["L", "P"],
        "kelompok_umur": [b[2] for b in AGE_BANDS],
        "pemasaran_online": ["ya", "tidak"],
        "masih_aktif": ["ya", "tidak"],
        "pelatihan": ["ya", "tidak"],
        "bantuan_modal": ["ya", "tidak"],
        "punya_nib": ["ya", "tidak"],
        "sentra": ["somber", "teritip", "bukan_sentra"],
    }


def disclose(register: pd.DataFrame, key: bytes, reference, snapshot_year: int) -> Disclosed:
    # Load inputs.
    public = generalise(register, snapshot_year)
    public.insert(0, "pseudonim", pseudonym(register["actor_id"], key))

    # Process data.
    counted = public.copy()
    for column in ("pemasaran_online", "masih_aktif", "pelatihan", "bantuan_modal", "punya_nib"):
        counted[column] = public[column].map(YES_NO, na_action="ignore").astype("string")
    categories = _categories(reference)
    published = {}
    for spec in tables.COUNT_TABLES:
        raw = count_table(counted, spec, categories)
        published[spec.name] = suppress_small_cells(raw, list(spec.dimensions))
    microdata, risk = anonymise_microdata(public)
    microdata = microdata.sort_values("pseudonim", kind="stable").reset_index(drop=True)

    # Save outputs (to the caller).
    suppressed_cells = sum(int(t[tables.CELL_STATUS].eq(tables.SUPPRESSED).sum()) for t in published.values())
    risk = pd.concat([risk, pd.DataFrame([("table_cells_suppressed", suppressed_cells),
                                          ("microdata_records", len(microdata))], columns=["metrik", "nilai"])],
                     ignore_index=True)
    return Disclosed(microdata=microdata, tables=published, risk=risk)
