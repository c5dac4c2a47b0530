"""Clusters of rows in, actor ids that stay the same across nightly runs out.

Each input row gets a fingerprint: a hash of what identifies it (source, NIK, NIB,
owner and business names, phone, birth date), not of its row number, so re-sorted or
re-exported files keep their fingerprints. The previous run's map (fingerprint ->
actor id, kept in private/actor_ids.csv, never published) decides the ids:

- a cluster takes the id most of its rows had last time (ties: the smallest id);
- an id goes to one cluster only (the one with most rows carrying it); when an actor
  splits, the larger part keeps the id and the rest gets new ones;
- a cluster none of whose rows was seen before gets a new id derived from its anchor
  (its NIB, else its owner's NIK and business name, else its first row).

Rows that disappear keep their entry in the map, so an actor that comes back gets its
old id again.
"""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

FINGERPRINT_FIELDS = ("source", "nik", "nib", "nama_pemilik_key", "nama_usaha_key", "phone", "tanggal_lahir")


def _arrow(column: pd.Series) -> pa.Array:
    """A text column as one arrow array of large_string (missing values stay missing)."""
    array = pa.array((column if isinstance(column.dtype, pd.StringDtype) else column.astype("string")).array)
    return (array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array).cast(pa.large_string())


def _as_text(column: pd.Series) -> pa.Array:
    """column.astype("string").fillna("") as an arrow array, formatting each distinct value once."""
    if isinstance(column.dtype, pd.StringDtype):
        return _arrow(column).fill_null("")
    codes, values = pd.factorize(column)
    text = pd.Series(values).astype("string").fillna("").to_numpy(dtype=object)
    return pa.array(np.append(text, "")[codes], type=pa.large_string())


def _hex20(texts: list[str]) -> np.ndarray:
    """The first 20 hex digits of the SHA-256 of each text (UTF-8)."""
    return np.array([hashlib.sha256(t.encode("utf-8")).hexdigest()[:20] for t in texts], dtype=object)


def fingerprints(rows: pd.DataFrame) -> pd.Series:
    parts = [_as_text(rows[c]) for c in FINGERPRINT_FIELDS]
    joined = pc.binary_join_element_wise(*parts, pa.scalar("\x1f", pa.large_string()))
    encoded = pc.dictionary_encode(joined)  # each distinct text hashed once
    digest = _hex20(encoded.dictionary.to_pylist())
    return pd.Series(digest[encoded.indices.to_numpy()], index=rows.index, dtype="str")


def new_actor_id(anchor: str) -> str:
    return "A" + hashlib.sha256(anchor.encode("utf-8")).hexdigest()[:15]


def assign_ids(cluster: pd.Series, fingerprint: pd.Series, anchor: pd.Series, previous: dict[str, str]) -> pd.Series:
    """Actor id per cluster (index of the result: the cluster labels of `anchor`).

    cluster and fingerprint are per row (members of clusters only); anchor is per cluster.
    """
    votes = pd.DataFrame({"cluster": cluster.to_numpy(), "old": fingerprint.map(previous).to_numpy()}).dropna()
    ids: dict = {}
    if not votes.empty:
        tally = votes.value_counts(["cluster", "old"]).rename("n").reset_index()
        # Strongest claims first; ties broken by id and cluster so the result never depends on order.
        tally = tally.sort_values(["n", "old", "cluster"], ascending=[False, True, True], kind="stable")
        granted_ids: set[str] = set()
        for cluster_label, old in zip(tally["cluster"].to_numpy(), tally["old"].to_numpy()):
            if cluster_label in ids or old in granted_ids:
                continue
            ids[cluster_label] = old
            granted_ids.add(old)
    result = np.array([ids.get(label) for label in anchor.index.tolist()] if ids else [None] * len(anchor),
                      dtype=object)
    fresh = np.flatnonzero(pd.isna(result))
    keys = anchor.to_numpy(dtype=object)[fresh].tolist()
    plain = ["A" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:15] for key in keys]  # new_actor_id
    taken = set(previous.values())
    taken.update(ids.values())
    if len(set(plain)) == len(plain) and taken.isdisjoint(plain):
        result[fresh] = plain  # what the loop below gives when no id collides
    else:
        for k, key, candidate in zip(fresh.tolist(), keys, plain):
            salt = 0
            while candidate in taken:
                salt += 1
                candidate = new_actor_id(f"{key}|{salt}")
            taken.add(candidate)
            result[k] = candidate
    return pd.Series(result, index=anchor.index, dtype="string")


def id_map(fingerprint: pd.Series, actor_id: pd.Series, previous: dict[str, str]) -> pd.DataFrame:
    """The map to keep for the next run: this run's rows, plus earlier rows not seen now."""
    fingerprints = pa.concat_arrays([pa.array(list(previous), type=pa.large_string()), _arrow(fingerprint)])
    ids = pa.concat_arrays([pa.array(list(previous.values()), type=pa.large_string()), _arrow(actor_id)])
    # This run's rows win; a fingerprint seen twice in this run keeps its last row's id: the
    # last of its run in a stable sort.
    order = pc.sort_indices(fingerprints)
    ordered = fingerprints.take(order)
    last = np.r_[pc.not_equal(ordered[:-1], ordered[1:]).to_numpy(zero_copy_only=False), True] if len(order) else \
        np.zeros(0, dtype=bool)
    keep = order.filter(pa.array(last))
    return pd.DataFrame({"fingerprint": pd.array(fingerprints.take(keep), dtype="str"),
                         "actor_id": pd.array(ids.take(keep), dtype="str")})
