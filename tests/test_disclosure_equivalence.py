"""The fast paths of the disclosure stage give the answers of the plain computations they replace.

1. Pseudonyms from precomputed HMAC pad states are hmac.new's.
2. Count and magnitude tables counted from factorised categories are the pandas value_counts /
   groupby tables, column types included.
3. Microdata patterns grouped through rows of equal values are groupby(sort=False, dropna=False)'s.
4. The lattice search counts offenders and runs local suppression on units of records that share
   their levels: the same counts and the same result as one record per unit, a donation to the
   all-suppressed class included.
"""

import hashlib
import hmac

import numpy as np
import pandas as pd
import pytest

from umkm import reference
from umkm.disclose import anonymise as disclose
from umkm.disclose import sdc_microdata, sdc_tables, tables


@pytest.fixture(scope="module")
def ref():
    return reference.load()


# 1. Pseudonyms ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", [b"k", b"DEMO-KEY-synthetic-data-only-NOT-SECRET", b"z" * 64, b"y" * 65, b"q" * 300])
def test_pseudonym_is_hmac_sha256(key):
    ids = pd.Series(["A000055429c84924", "Ω-ü", "x" * 200, ""], index=[5, 3, 9, 1]).astype(str)
    got = disclose.pseudonym(ids, key)
    assert got.tolist() == [hmac.new(key, a.encode("utf-8"), hashlib.sha256).hexdigest()[:16] for a in ids]
    assert got.index.equals(ids.index)


def test_hex_order_is_text_order():
    rng = np.random.default_rng(3)
    names = np.array(
        [f"{v:016x}" for v in rng.integers(0, 2**63, 500, dtype=np.int64)] + ["ffffffffffffffff", "0000000000000000"]
    )
    assert (np.argsort(disclose._hex_order(names), kind="stable") == np.argsort(names, kind="stable")).all()


# 2. Tables --------------------------------------------------------------------------------------------------------


def _plain_keyed(detail, dims):
    out = pd.DataFrame(index=detail.index)
    for d in dims:
        values = detail[d]
        if d in sdc_tables.YES_NO_DIMENSIONS:
            values = values.map(sdc_tables.YES_NO, na_action="ignore")
        out[d] = values.astype("string").fillna("")
    return out


def _plain_levels(keyed, dims, cats):
    levels = []
    for d in dims:
        seen = sorted(set(keyed[d].unique().tolist()) - {""})
        known = list(cats.get(d, seen))
        levels.append(known + [v for v in seen if v not in known] + [""])
    return levels


def _plain_count_table(detail, dims, cats):
    keyed = _plain_keyed(detail, dims)
    index = pd.MultiIndex.from_product(_plain_levels(keyed, dims, cats), names=list(dims))
    counts = keyed.value_counts(dropna=False)
    return counts.reindex(index, fill_value=0).astype("int64").reset_index(name=tables.COUNT)


def _plain_magnitude_table(detail, spec, cats):
    dims = list(spec.dimensions)
    keyed = _plain_keyed(detail, dims)
    amount = pd.to_numeric(detail[spec.measure], errors="coerce")
    known = amount.notna()
    frame = keyed[known].assign(v=amount[known].astype("float64"))
    frame = frame.sort_values(dims + ["v"], ascending=[True] * len(dims) + [False], kind="stable")
    frame["rank"] = frame.groupby(dims, sort=False).cumcount()
    index = pd.MultiIndex.from_product(_plain_levels(keyed, dims, cats), names=dims)

    def by_cell(series):
        keys = (
            pd.MultiIndex.from_frame(series.index.to_frame(index=False))
            if series.index.nlevels > 1
            else pd.MultiIndex.from_arrays([series.index], names=dims)
        )
        return pd.Series(series.to_numpy(), index=keys).reindex(index).fillna(0.0)

    grouped = frame.groupby(dims, sort=False)["v"]
    stats = pd.DataFrame({"total": by_cell(grouped.sum()), "n": by_cell(grouped.size().astype("float64"))})
    for rank, name in ((0, "x1"), (1, "x2")):
        stats[name] = by_cell(frame[frame["rank"] == rank].set_index(dims)["v"])
    return stats.reset_index()


def _detail(n, seed, *, every_cell=False):
    rng = np.random.default_rng(seed)
    kecamatan = [f"64.71.0{i}" for i in range(1, 7)]
    if every_cell:  # every category present, the first ones most often, the unknown least often
        kec = np.array(kecamatan)[np.minimum(rng.geometric(0.35, n) - 1, 5)].astype(object)
        kec[:6] = kecamatan
        kec[-3:] = None
        skala = np.array(["mikro", "kecil", "menengah"])[np.minimum(rng.geometric(0.6, n) - 1, 2)].astype(object)
        skala[-3:] = None
    else:
        kec = rng.choice(kecamatan + [None], n)
        skala = rng.choice(["mikro", "kecil", "menengah", "besar", None], n)
    amount = rng.choice([0, 5, 10, 10, 250, 1_000, 40_000, 10**9], n).astype(object)
    amount[rng.random(n) < 0.1] = None
    return pd.DataFrame(
        {
            "kecamatan_kode": pd.array(kec, dtype="string"),
            "kbli_kategori": pd.array(rng.choice(["A", "C", "G", "I", "ZZ", None], n), dtype="string"),
            "skala_usaha": pd.array(skala, dtype="string"),
            "pemasaran_online": pd.array(rng.choice([True, False, None], n), dtype="boolean"),
            "masih_aktif": pd.array(rng.choice([True, False, None], n), dtype="boolean"),
            "omzet_per_tahun": pd.array(amount, dtype="Int64"),
        },
        index=pd.RangeIndex(100, 100 + n),
    )


@pytest.mark.parametrize("seed,every_cell", [(1, False), (2, False), (3, True), (4, True)])
def test_tables_are_the_plain_pandas_tables(ref, seed, every_cell):
    detail = _detail(3_000, seed, every_cell=every_cell)
    cats = sdc_tables.categories(ref)
    keys = sdc_tables.Keys(detail)
    for dims in (
        ("kecamatan_kode",),
        ("skala_usaha",),
        ("kecamatan_kode", "kbli_kategori", "skala_usaha"),
        ("pemasaran_online", "masih_aktif"),
    ):
        got, want = sdc_tables.count_table(detail, dims, cats, keys), _plain_count_table(detail, dims, cats)
        pd.testing.assert_frame_equal(got, want, check_exact=True)
    for spec in tables.MAGNITUDE_TABLES:
        if spec.measure != "omzet_per_tahun":
            continue
        got, want = sdc_tables.magnitude_table(detail, spec, cats, keys), _plain_magnitude_table(detail, spec, cats)
        pd.testing.assert_frame_equal(got, want, check_exact=True)


def test_a_table_listing_every_cell_in_order_keeps_its_text_columns(ref):
    """value_counts in the table's own order: pandas keeps the counts' index, with its column type."""
    detail = _detail(3_000, 3, every_cell=True)
    got = sdc_tables.count_table(detail, ("skala_usaha",), sdc_tables.categories(ref))
    want = _plain_count_table(detail, ("skala_usaha",), sdc_tables.categories(ref))
    assert str(got["skala_usaha"].dtype) == str(want["skala_usaha"].dtype) == "string"


# 3. Microdata patterns --------------------------------------------------------------------------------------------


def test_patterns_are_groupby_in_order_of_first_appearance():
    detail = _detail(2_000, 5)
    columns = ["kecamatan_kode", "skala_usaha", "pemasaran_online"]
    for grouped_over in (None, list(detail.columns)):
        keys, counts = sdc_tables.Patterns(detail, grouped_over)(columns)
        plain = detail[columns].astype(object).where(detail[columns].notna(), None)
        want = plain.groupby(columns, dropna=False, sort=False).size()
        assert keys == [tuple(None if pd.isna(v) else v for v in k) for k in want.index]
        assert counts.tolist() == want.tolist()


# 4. Lattice search on units ---------------------------------------------------------------------------------------


def _search_detail(ref, n, seed):
    rng = np.random.default_rng(seed)
    kelurahan = sorted(ref.kelurahan["kode_kemendagri"])[:12]
    golongan = sorted(ref.kbli_golongan_pokok["golongan_pokok"])[:15]
    kel = rng.choice(kelurahan, n)
    gol = rng.choice(golongan, n)
    parent = dict(zip(ref.kbli_golongan_pokok["golongan_pokok"], ref.kbli_golongan_pokok["kategori"]))
    age = rng.integers(18, 80, n)
    turnover = rng.choice([10_000_000, 100_000_000, 500_000_000, 3_000_000_000], n)
    return pd.DataFrame(
        {
            "kelurahan_kode": pd.array(kel, dtype="string"),
            "kecamatan_kode": pd.array([k[:8] for k in kel], "string"),
            "kbli_golongan_pokok": pd.array(gol, dtype="string"),
            "kbli_kategori": pd.array([parent[g] for g in gol], dtype="string"),
            "skala_usaha": pd.array(rng.choice(["mikro", "kecil"], n), dtype="string"),
            "jenis_kelamin": pd.array(rng.choice(["L", "P"], n), dtype="string"),
            "umur": pd.array(age, dtype="Int64"),
            "tahun_mulai": pd.array(rng.integers(1995, 2026, n), dtype="Int64"),
            "tenaga_kerja": pd.array(rng.choice([1, 2, 3, 7, 30], n), dtype="Int64"),
            "sentra": pd.array(rng.choice(["bukan_sentra", "somber"], n, p=[0.9, 0.1]), dtype="string"),
            "punya_nib": pd.array(rng.random(n) < 0.5, dtype="boolean"),
            "masih_aktif": pd.array(rng.choice([True, False, None], n), dtype="boolean"),
            "kelompok_omzet": sdc_microdata.band(pd.Series(turnover), sdc_microdata.TURNOVER_BANDS),
            "bantuan_modal": pd.array(rng.choice([True, False, None], n), dtype="boolean"),
            "pelatihan": pd.array(rng.choice([True, False], n), dtype="boolean"),
            "pemasaran_online": pd.array(rng.choice([True, False, None], n), dtype="boolean"),
        }
    )


def _same_result(a: sdc_microdata.Result, b: sdc_microdata.Result):
    assert a.node == b.node and a.iterations == b.iterations
    assert np.array_equal(a.levels, b.levels) and np.array_equal(a.kept, b.kept)
    assert (a.loss, a.values_suppressed, a.records_touched, a.records_dropped) == (
        b.loss,
        b.values_suppressed,
        b.records_touched,
        b.records_dropped,
    )


def _walk(heights, steps, seed):
    """Nodes from "everything suppressed" down to full detail and on at random, each one or two
    quasi-identifiers away from the one before: the offender count then derives most class keys from a
    node it kept, and now and then a node below the units' floor splits the units."""
    rng = np.random.default_rng(seed)
    node = [int(h) for h in heights]
    nodes = [tuple(node)]
    for _ in range(steps):
        for q in rng.choice(len(heights), int(rng.integers(1, 3)), replace=False):
            node[q] = int(rng.choice([v for v in range(heights[q] + 1) if v != node[q]]))
        nodes.append(tuple(node))
    return nodes


def test_offenders_counted_on_units_are_the_records_in_bad_classes(ref):
    enc = sdc_microdata.encode(_search_detail(ref, 3_000, 7))
    count = sdc_microdata._Offenders(enc)
    derived, plain_key = [], count._key

    class Kept(dict):  # the kept keys: a read is a key derived from a node asked before
        def __getitem__(self, node):
            derived.append(node)
            return super().__getitem__(node)

    def checked_key(node):
        count.keys = Kept(count.keys)
        key = plain_key(node)
        levels = np.tile(np.asarray(node), (len(count.group.weight), 1))
        assert np.array_equal(key, sdc_microdata.class_key(count.group.enc, levels)), node
        return key

    count._key = checked_key
    for node in _walk(enc.heights, 60, 1):
        levels = np.tile(np.asarray(node), (len(enc.bits), 1))
        plain = int(sdc_microdata.classes(enc, sdc_microdata.class_key(enc, levels)).bad.sum())
        assert count(node) == plain, node
    assert len(derived) >= 30, len(derived)


def test_class_keys_kept_by_local_suppression_are_the_keys_of_the_levels(ref, monkeypatch):
    """Every move updates the class keys of the rows it moves: after each, they are class_key's."""
    checked = {}

    def checking(name):
        move = getattr(sdc_microdata, name)

        def moved(enc, levels, key, *rest):
            before = key.copy()
            out = move(enc, levels, key, *rest)
            assert np.array_equal(key, sdc_microdata.class_key(enc, levels)), name
            checked[name] = checked.get(name, 0) + int((key != before).sum())
            return out

        monkeypatch.setattr(sdc_microdata, name, moved)

    for name in ("_merge_offenders", "_step_towards_each_other"):
        checking(name)
    enc = sdc_microdata.encode(_search_detail(ref, 3_000, 8))
    for node in [(0,) * len(enc.heights), (1, 1, 0, 0, 3, 1, 1, 0, 0, 1), (1, 0, 1, 1, 2, 2, 0, 1, 0, 0)]:
        sdc_microdata.local_suppression(enc, node)
        sdc_microdata.local_suppression(enc, node, group=sdc_microdata.units(enc, None))
    sdc_microdata.local_suppression(sdc_microdata.encode(_lender_and_strays(ref)), (0,) * len(enc.heights))
    assert checked.get("_merge_offenders", 0) > 0 and checked.get("_step_towards_each_other", 0) > 0, checked


def test_local_suppression_on_units_is_local_suppression_on_records(ref):
    enc = sdc_microdata.encode(_search_detail(ref, 3_000, 8))
    moves = sdc_microdata._moves(enc.heights)
    for node in [
        (0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
        (1, 1, 0, 0, 3, 1, 1, 0, 0, 1),
        (1, 0, 1, 1, 2, 2, 0, 1, 0, 0),
        tuple(int(h) for h in enc.heights),
    ]:
        units = sdc_microdata.local_suppression(enc, node, moves)
        records = sdc_microdata.local_suppression(enc, node, moves, sdc_microdata.units(enc, None))
        _same_result(units, records)


def _lender_and_strays(ref):
    """Twelve records alike but for diverse sensitive values, and two that fit nowhere else."""
    big = pd.concat([_search_detail(ref, 1, 9)] * 12, ignore_index=True)
    big["bantuan_modal"] = pd.array([True, False] * 6, dtype="boolean")
    big["pelatihan"] = pd.array([True, False, False] * 4, dtype="boolean")
    big["pemasaran_online"] = pd.array([False, True] * 6, dtype="boolean")
    big["kelompok_omzet"] = pd.array(["<50jt", "50jt-300jt"] * 6, dtype="string")
    return pd.concat([big, _search_detail(ref, 2, 10)], ignore_index=True)


def test_donation_to_the_all_suppressed_class_on_units(ref):
    """The two strays reach "*" everywhere; the large class lends them records."""
    enc = sdc_microdata.encode(_lender_and_strays(ref))
    node = (0,) * len(enc.heights)
    units = sdc_microdata.local_suppression(enc, node)
    records = sdc_microdata.local_suppression(enc, node, group=sdc_microdata.units(enc, None))
    _same_result(units, records)
    at_top = (units.levels == enc.heights).all(axis=1) & units.kept
    assert at_top[:12].sum() == 3 and at_top[12:].all(), "the large class lent three records"


def _recount(enc, index, still, classes):
    """Per class (index: each record's class): its records still there, how many of them have each
    sensitive bit, and its distinct known values of each sensitive attribute."""
    members = np.flatnonzero(still)
    size = np.bincount(index[members], minlength=classes)
    nbits = int(np.log2(len(enc.popcount)))
    counts = np.zeros((classes, nbits), dtype=np.int64)
    for b in range(nbits):
        has = (enc.bits[members] >> b) & 1 == 1
        np.add.at(counts[:, b], index[members[has]], 1)
    distinct = np.stack(
        [((counts[:, [b for b in range(nbits) if (mask >> b) & 1]] > 0).sum(axis=1)) for mask in enc.masks], axis=1
    )
    return size, counts, distinct


def test_lending_a_record_counts_it_out_of_its_class(ref):
    """After each loan the class sizes, sensitive-bit counts and distinct values are a recount's."""
    enc = sdc_microdata.encode(_search_detail(ref, 200, 12))
    node = np.asarray(enc.heights).copy()
    node[0] = 0  # classes by kelurahan: about 17 records each
    levels = np.tile(node, (len(enc.bits), 1))
    cls = sdc_microdata.classes(enc, sdc_microdata.class_key(enc, levels))
    index = np.searchsorted(cls.unique, cls.key)
    in_top = np.zeros(len(enc.bits), dtype=bool)
    _, counts, distinct = _recount(enc, index, ~in_top, len(cls.unique))
    for donor in np.random.default_rng(2).permutation(len(enc.bits))[:150]:
        sdc_microdata.lend(enc, int(donor), int(index[donor]), levels, in_top, cls, counts, distinct)
        size, want_counts, want_distinct = _recount(enc, index, ~in_top, len(cls.unique))
        assert (levels[donor] == enc.heights).all() and in_top[donor]
        assert np.array_equal(cls.size, size) and np.array_equal(counts, want_counts)
        assert np.array_equal(distinct, want_distinct)
    assert (distinct < _recount(enc, index, np.ones(len(enc.bits), bool), len(cls.unique))[2]).any()


def _plain_donate_to_top(enc, levels, keep, top_rows):
    """The donation as first written: every record looked at in every round for the cheapest donor, the
    classes it may come from recounted each round from their members still there."""
    key = sdc_microdata.class_key(enc, levels)
    cls = sdc_microdata.classes(enc, key, keep)
    top_key = key[top_rows[0]]
    index = np.searchsorted(cls.unique, key)
    cost = ((enc.heights - levels) * enc.step_cost).sum(axis=1)
    in_top = key == top_key
    for _ in range(4 * sdc_microdata.K_ANONYMITY):
        size, bits = int((keep & in_top).sum()), int(np.bitwise_or.reduce(enc.bits[keep & in_top]))
        need_bits = [mask & ~bits for mask in enc.masks if 0 < enc.popcount[bits & mask] < sdc_microdata.L_DIVERSITY]
        if size >= sdc_microdata.K_ANONYMITY and not need_bits:
            return True
        class_size, counts, distinct = _recount(enc, index, keep & ~in_top, len(cls.unique))
        wanted = np.ones(len(key), dtype=bool) if not need_bits else np.zeros(len(key), dtype=bool)
        for mask in need_bits:
            wanted |= (enc.bits & mask) != 0
        c = index
        removable = keep & ~in_top & wanted & (class_size[c] > sdc_microdata.K_ANONYMITY)
        for a, mask in enumerate(enc.masks):
            own = enc.bits & mask
            bit_index = np.where(own > 0, np.log2(np.maximum(own, 1)).astype(np.int64), 0)
            last = (own > 0) & (counts[c, bit_index] == 1)
            removable &= ~(last & (distinct[c, a] - last == 1))
        candidates = np.flatnonzero(removable)
        if len(candidates) == 0:
            return False
        donor = candidates[np.argmin(cost[candidates])]
        levels[donor] = enc.heights
        in_top[donor] = True
    return False


def test_donation_picks_the_donors_every_record_would(ref, monkeypatch):
    """The cheapest-first scan in blocks lends the same records as looking at every record each round."""
    calls = []
    donate = sdc_microdata._donate_to_top

    def both(enc, levels, keep, top_rows):
        before, plain_levels, plain_keep = levels.copy(), levels.copy(), keep.copy()
        plain = _plain_donate_to_top(enc, plain_levels, plain_keep, top_rows)
        got = donate(enc, levels, keep, top_rows)
        calls.append((got == plain and np.array_equal(levels, plain_levels), int((levels != before).any(axis=1).sum())))
        return got

    monkeypatch.setattr(sdc_microdata, "_donate_to_top", both)
    mixed = pd.concat([_search_detail(ref, 1_500, 11)] + [_search_detail(ref, 1, 9)] * 12, ignore_index=True)
    for detail in (_lender_and_strays(ref), mixed):
        sdc_microdata.local_suppression(sdc_microdata.encode(detail), (0,) * len(sdc_microdata.QUASI_IDENTIFIERS))
    assert [donors for _, donors in calls] == [3, 1] and all(same for same, _ in calls), calls
