"""Fingerprints, actor ids and the id map: the arrow code paths against their plain definitions."""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd

from umkm.reconcile import identity


def _rows(dtype: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "source": pd.Series(["ods", "oss", "ods", "ods"], dtype=dtype),
            "nik": pd.Series(["6471010101800001", None, "6471010101800001", None], dtype=dtype),
            "nib": pd.Series([None, "1234567890123", None, None], dtype=dtype),
            "nama_pemilik_key": pd.Series(["SITI AMINAH", "BUDI", "SITI AMINAH", None], dtype=dtype),
            "nama_usaha_key": pd.Series(["TOKO É", None, "TOKO É", "WARUNG"], dtype=dtype),
            "phone": pd.Series(["6281234", None, "6281234", None], dtype=dtype),
            "tanggal_lahir": pd.to_datetime(["1980-01-01", None, "1980-01-01", "1990-12-31"]),
        }
    )


def _plain_fingerprint(row: pd.Series) -> str:
    parts = [
        "" if pd.isna(row[c]) else (row[c].strftime("%Y-%m-%d") if c == "tanggal_lahir" else str(row[c]))
        for c in identity.FINGERPRINT_FIELDS
    ]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:20]


def test_fingerprints_hash_the_identifying_fields_whatever_the_text_dtype():
    expected = [_plain_fingerprint(row) for _, row in _rows("object").iterrows()]
    for dtype in ("object", "str", "string"):
        result = identity.fingerprints(_rows(dtype))
        assert result.tolist() == expected
        assert str(result.dtype) == "str"
    assert expected[0] == expected[2] and len(set(expected)) == 3


def test_a_new_id_that_is_taken_gets_a_salted_one():
    anchor = pd.Series(["nib:1", "nib:2", "nib:1"], index=[10, 20, 30], dtype="string")
    cluster = pd.Series([10, 20, 30])
    fingerprint = pd.Series(["f1", "f2", "f3"], dtype="str")
    # Without previous ids: the third cluster's anchor repeats the first's, so its id is salted.
    ids = identity.assign_ids(cluster, fingerprint, anchor, {})
    assert ids.tolist() == [
        identity.new_actor_id("nib:1"),
        identity.new_actor_id("nib:2"),
        identity.new_actor_id("nib:1|1"),
    ]
    # An id kept from last time (for a row not seen now) is not handed out again.
    ids = identity.assign_ids(
        cluster.iloc[:2], fingerprint.iloc[:2], anchor.iloc[:2], {"gone": identity.new_actor_id("nib:2")}
    )
    assert ids.tolist() == [identity.new_actor_id("nib:1"), identity.new_actor_id("nib:2|1")]


def test_ids_follow_the_majority_of_previous_rows_and_each_goes_to_one_cluster():
    cluster = pd.Series([1, 1, 1, 2, 2, 3])
    fingerprint = pd.Series(["a", "b", "c", "d", "e", "f"], dtype="str")
    previous = {"a": "A-old", "b": "A-old", "c": "B-old", "d": "A-old", "e": "A-old", "f": "B-old"}
    anchor = pd.Series(["row:1", "row:2", "row:3"], index=[1, 2, 3], dtype="string")
    ids = identity.assign_ids(cluster, fingerprint, anchor, previous)
    # Clusters 1 and 2 both claim A-old twice: the tie goes to the smaller cluster; cluster 2
    # then has no claim left and gets a new id; cluster 3 keeps B-old.
    assert ids.tolist() == ["A-old", identity.new_actor_id("row:2"), "B-old"]


def test_id_map_keeps_this_runs_rows_then_earlier_ones_sorted():
    fingerprint = pd.Series(["b", "a", "b"], dtype="str")
    actor = pd.Series(["X", "Y", "Z"], dtype="string")
    result = identity.id_map(fingerprint, actor, {"c": "Q", "b": "R"})
    assert result.to_dict("list") == {"fingerprint": ["a", "b", "c"], "actor_id": ["Y", "Z", "Q"]}
    assert [str(t) for t in result.dtypes] == ["str", "str"]
    assert identity.id_map(fingerprint.iloc[:0], actor.iloc[:0], {}).empty
    assert np.array_equal(result.index, np.arange(3))


def _plain_assign_ids(cluster: pd.Series, fingerprint: pd.Series, anchor: pd.Series, previous: dict) -> list:
    """assign_ids as first written: the claims walked strongest first in a loop."""
    votes = pd.DataFrame({"cluster": cluster.to_numpy(), "old": fingerprint.map(previous).to_numpy()}).dropna()
    ids: dict = {}
    if not votes.empty:
        tally = votes.value_counts(["cluster", "old"]).rename("n").reset_index()
        tally = tally.sort_values(["n", "old", "cluster"], ascending=[False, True, True], kind="stable")
        granted: set = set()
        for label, old in zip(tally["cluster"].to_numpy(), tally["old"].to_numpy()):
            if label in ids or old in granted:
                continue
            ids[label] = old
            granted.add(old)
    taken = set(previous.values()) | set(ids.values())
    result = []
    for label, key in zip(anchor.index.tolist(), anchor.tolist()):
        if label in ids:
            result.append(ids[label])
            continue
        candidate, salt = identity.new_actor_id(key), 0
        while candidate in taken:
            salt += 1
            candidate = identity.new_actor_id(f"{key}|{salt}")
        taken.add(candidate)
        result.append(candidate)
    return result


def test_assign_ids_grants_the_claims_as_the_plain_loop_does():
    rng = np.random.default_rng(7)
    for case in range(300):
        n_rows = int(rng.integers(0, 60))
        n_clusters = int(rng.integers(1, 12))
        labels = rng.choice(np.arange(1000, 1000 + 3 * n_clusters, 3), size=n_clusters, replace=False)
        cluster = pd.Series(rng.choice(labels, size=n_rows))
        fingerprint = pd.Series([f"f{k}" for k in rng.integers(0, 40, size=n_rows)], dtype="str")
        # Few old ids, so clusters compete for them and ties are common; some fingerprints unseen.
        olds = [f"A{chr(ord('a') + k)}{'x' * (k % 3)}" for k in range(int(rng.integers(1, 8)))]
        previous = {f"f{k}": olds[int(rng.integers(0, len(olds)))] for k in range(40) if rng.random() < 0.7}
        present = sorted(set(cluster.tolist())) or sorted(labels.tolist())[:1]
        anchor = pd.Series([f"row:{label % 5}" for label in present], index=present, dtype="string")
        expected = _plain_assign_ids(cluster, fingerprint, anchor, previous)
        assert identity.assign_ids(cluster, fingerprint, anchor, previous).tolist() == expected, case


def test_sha256_hex_is_hashlibs_in_row_order():
    texts = ["", "É", "toko 😀", "a\x1fb", "nib:1|1", *[f"row:{k}" for k in range(3000)]]
    expected = ["A" + hashlib.sha256(t.encode("utf-8")).hexdigest()[:15] for t in texts]
    import pyarrow as pa

    assert identity._sha256_hex(pa.array(texts, pa.large_string()), 15, "A").to_pylist() == expected


def test_sort_indices_is_arrows_stable_sort():
    import pyarrow as pa
    import pyarrow.compute as pc

    rng = np.random.default_rng(3)
    for texts in (
        ["b1", "a2", "b1", "A9", "a2", "zz"],  # one width: the numpy path
        ["b", "a2", "b", None, "a"],  # not: arrow's
        [f"{rng.integers(0, 50):02x}{rng.choice(['é', 'e'])}" for _ in range(500)],
    ):
        array = pa.array(texts, pa.large_string())
        for part in (array, array[1:]):  # with an offset too
            expected = pc.sort_indices(part).to_pylist()
            assert identity._sort_indices(part).to_pylist() == expected
