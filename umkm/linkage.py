"""Normalised rows in, a cluster label per row out: which rows are the same UMKM actor.

Fellegi-Sunter record linkage with blocking, written for this register:

1. Blocking: only rows that share a NIB, a NIK, an owner name and birth date, an owner
   name and phone, a phone and birth date, or a business name and kelurahan are compared.
2. Comparison: each candidate pair gets an agreement level per field (NIK, NIB, owner
   name, business name, phone, birth date, kelurahan, KBLI); the match weight is the sum
   of the log2 likelihood ratios of those levels (WEIGHTS below: m and u probabilities
   estimated on the generator's ground truth and rounded; the review workbook shows
   the pairs near the threshold so staff can correct them).
3. Clustering: pairs are merged from the strongest down with union-find, refusing any
   merge that would put two different NIBs, or two clearly different businesses of the
   same owner, into one actor. An actor is a business, not a person: one owner (one
   NIK) may run two businesses, and OSS gives each its own NIB.

Deterministic: pairs are processed in a fixed order (weight, then row numbers), so the
same input always gives the same clusters.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd
from rapidfuzz import fuzz

MATCH_THRESHOLD = 8.0
MAX_BLOCK = 60  # a shared office phone or a common name must not explode into thousands of pairs
# log2(m/u) per agreement level.
WEIGHTS = {
    "nik": {"equal": 10.0, "near": 5.0, "different": -6.0},
    "name": {"equal": 4.0, "similar": 2.0, "different": -6.0},
    "business": {"equal": 5.0, "similar": 3.0, "different": -4.0},
    "phone": {"equal": 4.0, "different": -1.0},
    "birth": {"equal": 4.0, "different": -4.0},
    "kelurahan": {"equal": 3.0, "different": -2.0},
    "kbli": {"equal": 3.0, "kategori": 0.5, "different": -1.5},
}
BLOCKING_RULES = (
    ("nib",),
    ("nik",),
    ("nama_pemilik_key", "tanggal_lahir"),
    ("nama_pemilik_key", "phone"),
    ("phone", "tanggal_lahir"),
    ("nama_usaha_key", "kelurahan_code"),
    ("nama_pemilik_key", "kelurahan_code"),
    ("phone",),
    ("business_core", "kelurahan_code"),
    ("business_core", "phone"),
    ("business_core", "tanggal_lahir"),
    ("business_core", "kbli"),
    ("tanggal_lahir", "kelurahan_code"),
)
# Words that say what kind of place a business is, not which one.
_GENERIC = {
    "UD", "CV", "PT", "TOKO", "WARUNG", "WARUNG MAKAN", "KEDAI", "DAPUR", "RUMAH", "BU", "PAK", "MBAK", "MAS",
    "IBU", "BAPAK", "BUNDA", "MAMA", "MAK", "JULAK", "ACIL", "THE", "DAN", "&",
}


def _tokens(text: str) -> frozenset[str]:
    return frozenset(t for t in text.split() if t not in _GENERIC)


@lru_cache(maxsize=500_000)
def similar_business(a: str, b: str) -> bool:
    """The same business written two ways: a typo, a dropped legal form, a reworded name."""
    if a == b:
        return True
    ta, tb = _tokens(a), _tokens(b)
    if ta and tb and (ta <= tb or tb <= ta or len(ta & tb) / len(ta | tb) >= 0.5):
        return True
    return fuzz.ratio(a, b) >= 80.0


@lru_cache(maxsize=500_000)
def similar_name(a: str, b: str) -> bool:
    if a == b:
        return True
    ta, tb = set(a.split()), set(b.split())
    if ta and tb and (ta <= tb or tb <= ta):
        return True
    return fuzz.ratio(a, b) >= 80.05


def _near_nik(a: str, b: str) -> bool:
    """One mistyped digit, or two neighbouring digits swapped."""
    if len(a) != len(b):
        return False
    diff = [i for i in range(len(a)) if a[i] != b[i]]
    if len(diff) == 1:
        return True
    return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]


def business_core(names: pd.Series) -> pd.Series:
    """The distinctive words of a business name, sorted: "TOKO RESTO MAMA" and "RESTO MAMA" meet."""
    def core(text):
        words = sorted(_tokens(text))
        return " ".join(words) if words else None

    unique = names.dropna().unique()
    return names.map(dict(zip(unique, map(core, unique))))


def candidate_pairs(rows: pd.DataFrame) -> pd.DataFrame:
    """Every pair (i < j) of rows sharing a blocking key, once."""
    if "business_core" not in rows:
        rows = rows.assign(business_core=business_core(rows["nama_usaha_key"]))
    found = []
    positions = pd.Series(np.arange(len(rows)), index=rows.index)
    for rule in BLOCKING_RULES:
        keys = rows[list(rule)]
        usable = keys.notna().all(axis=1).to_numpy()
        if not usable.any():
            continue
        block = keys[usable].groupby(list(rule), sort=False, dropna=True).ngroup()
        frame = pd.DataFrame({"key": block.to_numpy(), "pos": positions[usable].to_numpy()})
        sizes = frame.groupby("key")["pos"].transform("size")
        frame = frame[(sizes > 1) & (sizes <= MAX_BLOCK)]
        if frame.empty:
            continue
        merged = frame.merge(frame, on="key", suffixes=("_i", "_j"))
        merged = merged[merged["pos_i"] < merged["pos_j"]]
        found.append(merged[["pos_i", "pos_j"]].to_numpy())
    if not found:
        return pd.DataFrame({"i": np.empty(0, np.int64), "j": np.empty(0, np.int64)})
    pairs = np.unique(np.vstack(found), axis=0)
    return pd.DataFrame({"i": pairs[:, 0], "j": pairs[:, 1]})


def _level(a: np.ndarray, b: np.ndarray, near=None) -> np.ndarray:
    """Per pair: "missing" (either side unknown), "equal", "near" (near(a, b) holds) or "different"."""
    missing = pd.isna(a) | pd.isna(b)
    equal = ~missing & (a == b)
    out = np.where(missing, "missing", np.where(equal, "equal", "different")).astype(object)
    if near is not None:
        rest = np.flatnonzero(~missing & ~equal)
        if len(rest):
            hits = np.fromiter((near(x, y) for x, y in zip(a[rest], b[rest])), dtype=bool, count=len(rest))
            out[rest[hits]] = "near"
    return out


def compare(rows: pd.DataFrame, pairs: pd.DataFrame) -> pd.DataFrame:
    """Agreement levels and match weight of every candidate pair."""
    i, j = pairs["i"].to_numpy(), pairs["j"].to_numpy()

    def values(column):
        series = rows[column].astype(object).where(rows[column].notna(), None).to_numpy()
        return series[i], series[j]

    levels = pd.DataFrame(index=pairs.index)
    levels["nik"] = _level(*values("nik"), _near_nik)
    levels["nib"] = _level(*values("nib"))
    levels["name"] = _level(*values("nama_pemilik_key"), similar_name)
    levels["business"] = _level(*values("nama_usaha_key"), similar_business)
    for field, column in (("phone", "phone"), ("birth", "tanggal_lahir"), ("kelurahan", "kelurahan_code")):
        levels[field] = _level(*values(column))
    kbli = _level(*values("kbli"))
    kategori = _level(*values("kbli_kategori"))
    levels["kbli"] = np.where((kbli != "equal") & (kategori == "equal"), "kategori", kbli)
    for field in ("name", "business"):
        levels[field] = levels[field].replace("near", "similar")
    weight = np.zeros(len(pairs))
    for field, table in WEIGHTS.items():
        weight += levels[field].map(table).fillna(0.0).to_numpy()
    levels["weight"] = weight
    return pd.concat([pairs, levels], axis=1)


class _Clusters:
    """Union-find that keeps, per cluster, its NIBs and its business names."""

    def __init__(self, rows: pd.DataFrame):
        n = len(rows)
        self.parent = np.arange(n)
        nib = rows["nib"].astype(object).where(rows["nib"].notna(), None).to_numpy()
        business = rows["nama_usaha_key"].astype(object).where(rows["nama_usaha_key"].notna(), None).to_numpy()
        self.nibs = [{v} if v else set() for v in nib]
        self.businesses = [{v} if v else set() for v in business]

    def find(self, i: int) -> int:
        root = i
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[i] != root:
            self.parent[i], i = root, self.parent[i]
        return root

    def union(self, i: int, j: int, *, force: bool = False) -> bool:
        a, b = self.find(i), self.find(j)
        if a == b:
            return True
        if not force:
            if len(self.nibs[a] | self.nibs[b]) > 1:
                return False
            if any(not similar_business(x, y) for x in self.businesses[a] for y in self.businesses[b]):
                return False
        a, b = min(a, b), max(a, b)
        self.parent[b] = a
        self.nibs[a] |= self.nibs[b]
        self.businesses[a] |= self.businesses[b]
        self.nibs[b], self.businesses[b] = set(), set()
        return True


def link(rows: pd.DataFrame, *, must_link=(), cannot_link=()) -> tuple[np.ndarray, pd.DataFrame]:
    """Cluster label per row (positions 0..n-1), and the scored candidate pairs.

    must_link and cannot_link are pairs of row positions decided by staff in the review
    workbook: they are obeyed before any score.
    """
    pairs = compare(rows, candidate_pairs(rows))
    clusters = _Clusters(rows)
    forbidden = {tuple(sorted(p)) for p in cannot_link}
    for i, j in sorted(tuple(sorted(p)) for p in must_link):
        clusters.union(i, j, force=True)
    same_nib = pairs["nib"].eq("equal")
    accepted = pairs[same_nib | (pairs["weight"] >= MATCH_THRESHOLD)]
    accepted = accepted.assign(_nib=~accepted["nib"].eq("equal")).sort_values(
        ["_nib", "weight", "i", "j"], ascending=[True, False, True, True], kind="stable")
    for i, j, nib_level in zip(accepted["i"].to_numpy(), accepted["j"].to_numpy(), accepted["nib"].to_numpy()):
        if (int(i), int(j)) in forbidden:
            continue
        if nib_level != "equal" and any(clusters.find(i) == clusters.find(a) and clusters.find(j) == clusters.find(b)
                                        or clusters.find(i) == clusters.find(b) and clusters.find(j) == clusters.find(a)
                                        for a, b in forbidden):
            continue
        clusters.union(int(i), int(j), force=nib_level == "equal")
    labels = np.array([clusters.find(i) for i in range(len(rows))])
    return labels, pairs
