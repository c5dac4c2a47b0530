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
import os

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

FINGERPRINT_FIELDS = ("source", "nik", "nib", "nama_pemilik_key", "nama_usaha_key", "phone", "tanggal_lahir")


def arrow_array(values, cast: pa.DataType | None = None) -> pa.Array:
    """A pandas Series or array as one arrow array (not chunked; missing values null), cast to `cast` if given."""
    array = pa.array(values, from_pandas=True)
    array = array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array
    return array if cast is None else array.cast(cast)


def _arrow(column: pd.Series) -> pa.Array:
    """A text column as one arrow array of large_string (missing values stay missing)."""
    return arrow_array(
        column if isinstance(column.dtype, pd.StringDtype) else column.astype("string"), pa.large_string()
    )


def _as_text(column: pd.Series) -> pa.Array:
    """column.astype("string").fillna("") as an arrow array, formatting each distinct value once."""
    if isinstance(column.dtype, pd.StringDtype):
        return _arrow(column).fill_null("")
    codes, values = pd.factorize(column)
    text = pd.Series(values).astype("string").fillna("").to_numpy(dtype=object)
    return pa.array(np.append(text, "")[codes], type=pa.large_string())


def _sha256_hex(texts: pa.Array, digits: int, prefix: str = "") -> pa.Array:
    """prefix + the first `digits` hex digits of the SHA-256 of each text (UTF-8), as
    hashlib gives them; by DuckDB's sha256 (in insertion order, which DuckDB keeps by default)."""
    import duckdb

    con = duckdb.connect(config={"threads": min(4, os.cpu_count() or 1)})
    try:
        con.register("texts", pa.table({"t": texts}))
        hex_ = con.sql(f"SELECT '{prefix}' || left(sha256(t), {int(digits)}) AS h FROM texts").to_arrow_table()["h"]
    finally:
        con.close()
    return hex_.combine_chunks().cast(pa.large_string())


def fingerprints(rows: pd.DataFrame) -> pd.Series:
    parts = [_as_text(rows[c]) for c in FINGERPRINT_FIELDS]
    joined = pc.binary_join_element_wise(*parts, pa.scalar("\x1f", pa.large_string()))
    encoded = pc.dictionary_encode(joined)  # each distinct text hashed once
    digest = _sha256_hex(encoded.dictionary, 20)
    return pd.Series(pd.array(digest.take(encoded.indices), dtype="str"), index=rows.index)


def new_actor_id(anchor: str) -> str:
    return "A" + hashlib.sha256(anchor.encode("utf-8")).hexdigest()[:15]


def _grant(cluster: pd.Series, fingerprint: pd.Series, previous: dict[str, str]) -> tuple[np.ndarray, np.ndarray]:
    """The clusters that keep a previous id, and their ids. The claims (a cluster, an old id, and how
    many of the cluster's rows carried it) are granted strongest first (most rows, then
    smallest id, then smallest cluster), each cluster and each old id at most once.

    Walking the claims in that order and granting each whose cluster and id are both still
    free gives the same as these rounds: a claim that comes first among the open claims of
    its cluster and among those of its id is granted by the walk, and closes the other
    claims of both.
    """
    none = np.zeros(0, dtype=object), np.zeros(0, dtype=object)
    if not previous or not len(fingerprint):
        return none
    seen = pc.index_in(_arrow(fingerprint), value_set=pa.array(list(previous), type=pa.large_string()))
    voted = np.flatnonzero(seen.is_valid().to_numpy(zero_copy_only=False))
    if not len(voted):
        return none
    old = pc.dictionary_encode(pa.array(list(previous.values()), type=pa.large_string()).take(seen.drop_null()))
    by_id = _sort_indices(old.dictionary)
    ids = old.dictionary.take(by_id)  # the old ids, sorted (UTF-8 bytes: code point order, as Python sorts)
    old_rank = np.empty(len(ids), dtype=np.int64)
    old_rank[by_id.to_numpy()] = np.arange(len(ids))
    old_rank = old_rank[old.indices.to_numpy()]
    labels, cluster_rank = np.unique(cluster.to_numpy()[voted], return_inverse=True)
    cluster_rank = cluster_rank.reshape(-1).astype(np.int64)
    n_old = len(ids)
    claim, n = np.unique(cluster_rank * n_old + old_rank, return_counts=True)
    claim_cluster, claim_old = claim // n_old, claim % n_old
    order = np.lexsort((claim_cluster, claim_old, -n))  # strongest first
    claim_cluster, claim_old = claim_cluster[order], claim_old[order]
    granted = np.full(len(labels), -1, dtype=np.int64)  # per cluster rank, its old id rank
    taken = np.zeros(n_old, dtype=bool)
    while len(claim_cluster):
        grant = ~pd.Series(claim_cluster).duplicated().to_numpy() & ~pd.Series(claim_old).duplicated().to_numpy()
        granted[claim_cluster[grant]] = claim_old[grant]
        taken[claim_old[grant]] = True
        still_open = (granted[claim_cluster] < 0) & ~taken[claim_old]
        claim_cluster, claim_old = claim_cluster[still_open], claim_old[still_open]
    winners = np.flatnonzero(granted >= 0)
    return labels[winners], ids.take(pa.array(granted[winners])).to_numpy(zero_copy_only=False)


def assign_ids(cluster: pd.Series, fingerprint: pd.Series, anchor: pd.Series, previous: dict[str, str]) -> pd.Series:
    """Actor id per cluster (index of the result: the cluster labels of `anchor`).

    cluster and fingerprint are per row (members of clusters only); anchor is per cluster.
    """
    kept_labels, kept_ids = _grant(cluster, fingerprint, previous)
    result = np.full(len(anchor), None, dtype=object)
    if len(kept_labels):
        where = anchor.index.get_indexer(kept_labels)
        result[where[where >= 0]] = kept_ids[where >= 0]
    fresh = np.flatnonzero(pd.isna(result))
    keys = _arrow(anchor).take(pa.array(fresh))
    plain = _sha256_hex(keys, 15, "A")  # new_actor_id of each key
    previous_ids = pa.array(list(previous.values()), type=pa.large_string())
    if pc.count_distinct(plain).as_py() == len(plain) and not pc.any(pc.is_in(plain, value_set=previous_ids)).as_py():
        result[fresh] = plain.to_numpy(zero_copy_only=False)  # what the loop below gives when no id collides
    else:
        taken = set(previous.values())  # the kept ids among them
        for k, key, candidate in zip(fresh.tolist(), keys.to_pylist(), plain.to_pylist()):
            salt = 0
            while candidate in taken:
                salt += 1
                candidate = new_actor_id(f"{key}|{salt}")
            taken.add(candidate)
            result[k] = candidate
    return pd.Series(result, index=anchor.index, dtype="string")


def _sort_indices(texts: pa.Array) -> pa.Array:
    """pc.sort_indices(texts) (stable); where all texts are of one byte length, without a
    NUL byte or a missing value, numpy sorts them quicker as fixed-width bytes."""
    offsets = (
        np.frombuffer(texts.buffers()[1], dtype=np.int64)[texts.offset : texts.offset + len(texts) + 1]
        if pa.types.is_large_string(texts.type) and len(texts)
        else np.zeros(0, dtype=np.int64)
    )
    width = int(offsets[1] - offsets[0]) if len(offsets) > 1 else 0
    if (
        width
        and not texts.null_count
        and offsets[-1] - offsets[0] == width * len(texts)
        and (np.diff(offsets) == width).all()
    ):
        data = np.frombuffer(texts.buffers()[2], dtype=np.uint8, count=width * len(texts), offset=int(offsets[0]))
        if not (data == 0).any():
            return pa.array(np.argsort(data.view(f"S{width}"), kind="stable"))
    return pc.sort_indices(texts)


def id_map(fingerprint: pd.Series, actor_id: pd.Series, previous: dict[str, str]) -> pd.DataFrame:
    """The map to keep for the next run: this run's rows, plus earlier rows not seen now."""
    fingerprints = pa.concat_arrays([pa.array(list(previous), type=pa.large_string()), _arrow(fingerprint)])
    ids = pa.concat_arrays([pa.array(list(previous.values()), type=pa.large_string()), _arrow(actor_id)])
    # This run's rows win; a fingerprint seen twice in this run keeps its last row's id: the
    # last of its run in a stable sort.
    order = _sort_indices(fingerprints)
    ordered = fingerprints.take(order)
    last = (
        np.r_[pc.not_equal(ordered[:-1], ordered[1:]).to_numpy(zero_copy_only=False), True]
        if len(order)
        else np.zeros(0, dtype=bool)
    )
    keep = order.filter(pa.array(last))
    return pd.DataFrame(
        {
            "fingerprint": pd.array(fingerprints.take(keep), dtype="str"),
            "actor_id": pd.array(ids.take(keep), dtype="str"),
        }
    )
