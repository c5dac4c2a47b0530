"""Linkage: splink's levels and weights against the model's definitions, and the clustering against a plain union-find."""

import numpy as np
import pandas as pd
import pytest
from rapidfuzz import fuzz
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from umkm.reconcile import blocking, business_name, linkage, linkage_model

COLUMNS = linkage.INPUT_COLUMNS
# One owner's row, every compared field known (no NIB).
SLAMET = {
    "nik": "6471031203700011",
    "nama_pemilik_key": "SLAMET RIYADI",
    "nama_usaha_key": "TAHU SOMBER",
    "phone": "+6281255550000",
    "tanggal_lahir": "1970-03-12",
    "kelurahan_code": "64.71.03.1001",
    "kbli": "10392",
    "kbli_kategori": "C",
}
SHOPS = ("TOKO MAJU", "MAJU JAYA", "LAUNDRY BERSIH", "WARUNG BAROKAH", "BAROKAH", "KEDAI KOPI", "BENGKEL ANDI")


def frame(records):
    """Rows for link(); the typed birth date is the NIK's (tanggal_lahir) unless given, as in reconcile."""
    records = [{"tanggal_lahir_ketik": r.get("tanggal_lahir"), **r} for r in records]
    rows = pd.DataFrame([{c: r.get(c) for c in COLUMNS} for r in records])
    for column in COLUMNS:
        rows[column] = (
            rows[column].astype("str") if not column.startswith("tanggal_lahir") else pd.to_datetime(rows[column])
        )
    return rows


def test_weights_are_the_fixed_log_ratios():
    pairs = linkage.score_pairs(frame([SLAMET, SLAMET]))
    assert len(pairs) == 1
    assert pairs.loc[0, "weight"] == sum(levels["equal"] for levels in linkage_model.WEIGHTS.values())
    assert pairs.loc[0, "nib"] == "missing"


def test_weights_do_not_depend_on_the_other_rows():
    """Nothing is estimated from the data (no EM): a pair scores the same alone and among
    unrelated rows that make pairs of their own (which training would learn from)."""
    pair = [
        SLAMET,
        {
            "nik": "6471031203700017",
            "nama_pemilik_key": "SLAMET",
            "nama_usaha_key": "TAHU SUMBER",
            "phone": "+6281255550000",
            "tanggal_lahir": "1970-03-12",
            "kelurahan_code": "64.71.03.1002",
            "kbli": "10391",
            "kbli_kategori": "C",
        },
    ]
    others = []
    for k in range(12):  # pairs sharing a phone, agreeing on little else
        phone = f"+628129990{k:04d}"
        others += [
            {
                "nik": f"64710{k % 4 + 1}1505800{k:03d}",
                "nama_pemilik_key": f"ORANG {k}",
                "phone": phone,
                "nama_usaha_key": SHOPS[k % 7],
                "tanggal_lahir": "1958-05-15",
                "kelurahan_code": "64.71.01.1001",
                "kbli": "47111",
                "kbli_kategori": "G",
            },
            {
                "nik": f"64720{k % 3 + 1}4108900{k:03d}",
                "nama_pemilik_key": f"LAIN {k}",
                "phone": phone,
                "nama_usaha_key": SHOPS[(k + 3) % 7],
                "tanggal_lahir": "1989-08-01",
                "kelurahan_code": "64.71.02.1002",
                "kbli": "56101",
                "kbli_kategori": "I",
            },
        ]
    alone = linkage.score_pairs(frame(pair))
    among = linkage.score_pairs(frame(others[:10] + pair + others[10:]))
    assert len(alone) == 1 and len(among) > len(alone)  # the other rows make pairs of their own
    ours = among[(among["i"] == 10) & (among["j"] == 11)].reset_index(drop=True)
    pd.testing.assert_frame_equal(ours.drop(columns=["i", "j"]), alone.drop(columns=["i", "j"]))


def similar_name(a: str, b: str) -> bool:
    """The same owner written two ways (the "similar" name level of COMPARISONS, in Python)."""
    if a == b:
        return True
    ta, tb = set(a.split()), set(b.split())
    if ta and tb and (ta <= tb or tb <= ta):
        return True
    return fuzz.ratio(a, b) >= linkage.NAME_RATIO


def nik_level(a: str, b: str) -> str:
    """Two 16-digit NIKs: equal, near (one digit off, or two neighbours swapped) or different."""
    diff = [p for p in range(16) if a[p] != b[p]]
    near = len(diff) == 1 or (
        len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
    )
    return "equal" if not diff else "near" if near else "different"


def test_levels_of_splink_match_the_python_definitions():
    """Each pair of records shares a phone (one blocking rule), so it is compared; others meet on their NIK."""
    names = [
        ("SITI AMINAH", "HJ SITI AMINAH"),
        ("SITI AMINAH", "SITI AMINA"),
        ("SITI AMINAH", "RAHMAWATI"),
        ("ANDI MAPPA", "ANDI"),
        ("BUDI SANTOSO", "BUDI SANTOSA PUTRA"),
        ("RUSDI", "RUSDI"),
        ("NURHAYATI", "NURHAYATI HASAN"),
        ("HASAN BASRI", "BASRI HASAN"),
    ]
    businesses = [
        ("TOKO RESTO MAMA", "RESTO MAMA"),
        ("WARUNG BAROKAH", "BAROKAH JAYA"),
        ("AMPLANG TERITIP", "LAUNDRY"),
        ("KEDAI KOPI", "TOKO"),
        ("BENGKEL MOTOR ANDI", "BENGKEL MOTR ANDI"),
        ("UD SINAR", "CV SINAR"),
        # similar by the spelling alone (fuzz.ratio): the words are not within each other
        ("AMPLANG TERITIP", "AMPLANG TERITIB"),
        ("SOTO BANJAR", "SOTO BANJAR"),
    ]
    niks = [
        ("6471031203700011", "6471031203700017"),
        ("6471031203700011", "6471031203700101"),
        ("6471031203700011", "6471031203701100"),
        ("6471031203700011", "6471041203700011"),
        ("6471031203700011", "6471031203700011"),
        ("6471031203700011", "6471031203700022"),
        ("6471031203700132", "6471031203700012"),  # neighbours changed, not swapped: different
        ("6471031203700011", "6471031203700017"),
    ]
    records = []
    for k, ((a, b), (x, y), (m, n)) in enumerate(zip(names, businesses, niks, strict=True)):
        phone = f"+62812000000{k:02d}"
        records += [
            {"nama_pemilik_key": a, "nama_usaha_key": x, "nik": m, "phone": phone},
            {"nama_pemilik_key": b, "nama_usaha_key": y, "nik": n, "phone": phone},
        ]
    pairs = linkage.score_pairs(frame(records))
    assert {(k, k + 1) for k in range(0, len(records), 2)} <= set(zip(pairs["i"], pairs["j"]))
    for _, pair in pairs.iterrows():
        left, right = records[pair["i"]], records[pair["j"]]
        owner_a, owner_b = left["nama_pemilik_key"], right["nama_pemilik_key"]
        want = "equal" if owner_a == owner_b else "similar" if similar_name(owner_a, owner_b) else "different"
        assert pair["name"] == want, (owner_a, owner_b)
        business_a, business_b = left["nama_usaha_key"], right["nama_usaha_key"]
        want = (
            "equal"
            if business_a == business_b
            else "similar"
            if business_name.similar(business_a, business_b)
            else "different"
        )
        assert pair["business"] == want, (business_a, business_b)
        assert pair["nik"] == nik_level(left["nik"], right["nik"]), (left["nik"], right["nik"])
    levels = pairs.set_index(["i", "j"])["business"]
    assert levels[(12, 13)] == "similar" and levels[(14, 15)] == "equal"


def union_find(rows, pairs, must_link, cannot_link):
    """The clustering as first written: every accepted pair in order, with a full check of each merge."""
    parent = list(range(len(rows)))
    nib = [v if isinstance(v, str) else None for v in rows["nib"]]
    business = [v if isinstance(v, str) else None for v in rows["nama_usaha_key"]]
    nibs = [{v} if v else set() for v in nib]
    names = [{v} if v else set() for v in business]
    niks = [{v} if isinstance(v, str) else set() for v in rows["nik"]]
    # What a row says of its licence: the KBLI golongan its business name's kinds allow, or
    # (no business name) its own KBLI's golongan.
    kinds = [
        {("name", business_name.licensed_under(b))}
        if b and business_name.licensed_under(b)
        else {("kbli", k[:2])}
        if not b and isinstance(k, str)
        else set()
        for b, k in zip(business, rows["kbli"])
    ]

    def licence_refused(a, b):
        across = [(x, y) for x in kinds[a] for y in kinds[b] if x[0] != y[0]]
        return across and not any((x if x[0] == "kbli" else y)[1] in (y if x[0] == "kbli" else x)[1] for x, y in across)

    def find(i):
        while parent[i] != i:
            i = parent[i]
        return i

    def union(i, j, force=False):
        a, b = find(i), find(j)
        if a == b:
            return
        if not force and (
            len(nibs[a] | nibs[b]) > 1
            or any(not business_name.similar(x, y) for x in names[a] for y in names[b])
            or niks[a]
            and niks[b]
            and all(nik_level(x, y) == "different" for x in niks[a] for y in niks[b])
            or licence_refused(a, b)
        ):
            return
        a, b = min(a, b), max(a, b)
        parent[b] = a
        nibs[a] |= nibs[b]
        names[a] |= names[b]
        niks[a] |= niks[b]
        kinds[a] |= kinds[b]

    forbidden = {tuple(sorted(p)) for p in cannot_link}
    for i, j in sorted(tuple(sorted(p)) for p in must_link):
        union(i, j, force=True)
    accepted = pairs[pairs["nib"].eq("equal") | (pairs["weight"] > linkage.MATCH_THRESHOLD)]
    accepted = accepted.assign(_nib=~accepted["nib"].eq("equal")).sort_values(
        ["_nib", "weight", "i", "j"], ascending=[True, False, True, True], kind="stable"
    )
    for i, j, level in zip(accepted["i"], accepted["j"], accepted["nib"]):
        if (i, j) in forbidden:
            continue
        if level != "equal" and any({find(i), find(j)} == {find(a), find(b)} for a, b in forbidden):
            continue
        union(i, j, force=level == "equal")
    return np.array([find(i) for i in range(len(rows))])


@pytest.fixture(scope="module")
def crowded():
    """Rows built to collide: few owners, businesses, NIBs and phones, so clusters meet refused merges."""
    rng = np.random.default_rng(3)
    n = 600
    owners = [f"OWNER {k}" for k in range(40)]
    records = []
    for _ in range(n):
        owner = int(rng.integers(len(owners)))
        records.append(
            {
                "nik": f"64710312037{owner:05d}" if rng.random() < 0.9 else None,
                "nib": f"{int(rng.integers(30)):013d}" if rng.random() < 0.3 else None,
                "nama_pemilik_key": owners[owner],
                "nama_usaha_key": SHOPS[int(rng.integers(len(SHOPS)))] if rng.random() < 0.9 else None,
                "phone": f"+62812{owner:06d}" if rng.random() < 0.7 else None,
                "tanggal_lahir": "1970-03-12",
                "kelurahan_code": f"64.71.03.10{int(rng.integers(3)):02d}",
                "kbli": "47111",
                "kbli_kategori": "G",
            }
        )
    rows = frame(records)
    return rows, linkage.score_pairs(rows)


def test_clustering_equals_the_plain_union_find(crowded):
    rows, pairs = crowded
    labels = linkage.cluster(rows, pairs)
    assert (labels == union_find(rows, pairs, (), ())).all()
    assert 1 < len(set(labels)) < len(rows)


def test_clustering_with_staff_decisions_equals_the_plain_union_find(crowded):
    rows, pairs = crowded
    accepted = pairs[(pairs["weight"] > linkage.MATCH_THRESHOLD) & pairs["nib"].eq("missing")]
    accepted = accepted[rows["nib"].isna().to_numpy()[accepted["i"]] & rows["nib"].isna().to_numpy()[accepted["j"]]]
    cannot = [tuple(p) for p in accepted[["i", "j"]].to_numpy()[:15]]
    must = [(0, 599), (5, 17), (17, 300)]
    labels = linkage.cluster(rows, pairs, must_link=must, cannot_link=cannot)
    assert (labels == union_find(rows, pairs, must, cannot)).all()
    for i, j in must:
        assert labels[i] == labels[j]
    for i, j in cannot:
        assert labels[i] != labels[j]


@pytest.fixture(scope="module")
def many_owners():
    """Many small groups: 150 owners of four rows each on average, one or two NIBs and two
    shops each, so some groups hold no refusable merge and others do."""
    rng = np.random.default_rng(3)
    records = []
    for _ in range(600):
        o = int(rng.integers(150))
        records.append(
            {
                "nik": f"64710312037{o:05d}" if rng.random() < 0.9 else None,
                "nib": f"{2 * o + int(rng.integers(2)):013d}" if rng.random() < 0.3 else None,
                "nama_pemilik_key": f"OWNER {o}",
                "nama_usaha_key": SHOPS[(o + int(rng.integers(2))) % 7] if rng.random() < 0.9 else None,
                "phone": f"+62812{o:06d}" if rng.random() < 0.7 else None,
                "tanggal_lahir": f"19{50 + o % 40}-03-12",
                "kelurahan_code": f"64.71.03.10{o % 3:02d}",
                "kbli": "47111",
                "kbli_kategori": "G",
            }
        )
    rows = frame(records)
    return rows, linkage.score_pairs(rows)


def _components(rows, pairs):
    """The connected groups of the accepted pairs, and per group whether no merge in it can be
    refused (one NIB at most, all its business names similar), by their plain definitions."""
    accepted = pairs[pairs["nib"].eq("equal") | (pairs["weight"] > linkage.MATCH_THRESHOLD)]
    graph = coo_matrix((np.ones(len(accepted)), (accepted["i"], accepted["j"])), shape=(len(rows), len(rows)))
    _, component = connected_components(graph, directed=False)
    free = {}
    for c, group in rows.groupby(component):
        nibs, names = set(group["nib"].dropna()), sorted(set(group["nama_usaha_key"].dropna()))
        niks = sorted(set(group["nik"].dropna()))
        free[c] = (
            len(nibs) <= 1
            and all(business_name.similar(x, y) for x in names for y in names)
            and all(nik_level(x, y) != "different" for x in niks for y in niks)
        )
    return component, free


def test_clustering_of_many_small_groups_equals_the_plain_union_find(many_owners):
    rows, pairs = many_owners
    component, free = _components(rows, pairs)
    sizes = np.bincount(component)
    assert any(free[c] and sizes[c] > 1 for c in free), "no free group of several rows"
    assert any(not free[c] and sizes[c] > 1 for c in free), "no group with a merge to refuse"
    labels = linkage.cluster(rows, pairs)
    assert (labels == union_find(rows, pairs, (), ())).all()


def test_a_pair_at_exactly_the_threshold_is_two_actors():
    """Two different Heru Syahrani in Lamaru, each with a workshop named after himself, the
    same KBLI, no NIK, other phones and birth dates: 4 + 3 + 3 + 3 - 1 - 4, exactly the
    threshold. A tie is as likely the same actor as not: the rows stay apart (and the
    review workbook shows the pair); a little more evidence, here the same phone, links them."""
    heru = {
        "nama_pemilik_key": "HERU SYAHRANI",
        "kelurahan_code": "64.71.01.1002",
        "kbli": "45407",
        "kbli_kategori": "G",
    }
    rows = frame(
        [
            {**heru, "nama_usaha_key": "BENGKEL HERU", "phone": "+6281250001111", "tanggal_lahir": "1979-04-02"},
            {**heru, "nama_usaha_key": "BENGKEL HERU MOTOR", "phone": "+6285390002222", "tanggal_lahir": "1984-11-23"},
        ]
    )
    pairs = linkage.score_pairs(rows)
    assert list(pairs[["name", "business", "phone", "birth", "kelurahan", "kbli"]].iloc[0]) == [
        "equal",
        "similar",
        "different",
        "different",
        "equal",
        "equal",
    ]
    assert pairs.loc[0, "weight"] == linkage.MATCH_THRESHOLD
    assert (linkage.cluster(rows, pairs) == [0, 1]).all()
    rows.loc[1, "phone"] = rows.loc[0, "phone"]
    assert (linkage.cluster(rows, linkage.score_pairs(rows)) == [0, 0]).all()


def test_two_nibs_of_one_owner_stay_apart():
    """Two rows with different NIBs and one without, all of one owner: the row without a NIB
    joins the first, the second NIB stays alone."""
    rows = frame([{**SLAMET, "nib": "1234567890123"}, {**SLAMET, "nib": "2234567890123"}, SLAMET])
    pairs = linkage.score_pairs(rows)
    assert (linkage.cluster(rows, pairs) == [0, 1, 0]).all()


def test_a_staff_beda_keeps_its_rows_apart_through_a_third_row():
    """Three rows of one owner, staff said rows 0 and 2 differ: 1 joins 0, and 2 cannot join them through 1."""
    rows = frame([SLAMET, SLAMET, SLAMET])
    pairs = linkage.score_pairs(rows)
    assert (linkage.cluster(rows, pairs) == [0, 0, 0]).all()
    assert (linkage.cluster(rows, pairs, cannot_link=[(2, 0)]) == [0, 0, 2]).all()


def _random_rows(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)

    def pick(values, missing=0.2):
        return [None if rng.random() < missing else values[int(rng.integers(0, len(values)))] for _ in range(n)]

    nik = [
        f"6471{rng.integers(0, 3):02d}{rng.integers(1, 4):02d}0{rng.integers(1, 3)}80{rng.integers(0, 3):04d}"
        for _ in range(n)
    ]
    birth = pd.to_datetime(pick(["1980-01-01", "1975-06-30", "1969-12-31", "2001-02-03"]))
    if n:  # one birth "date" off midnight: it must not meet the same day at midnight
        birth = birth.where(np.arange(n) != 0, pd.Timestamp("1980-01-01 06:00"))
    return pd.DataFrame(
        {
            "nik": pd.Series([None if rng.random() < 0.3 else v for v in nik], dtype="str"),
            "nib": pd.Series(pick(["1234567890123", "0234567890123"], 0.6), dtype="str"),
            "nama_pemilik_key": pd.Series(pick(["SITI AMINAH", "BUDI", "HJ SITI AMINAH"]), dtype="str"),
            "nama_usaha_key": pd.Series(pick(["TOKO MAMA", "MAMA", "WARUNG MAMA", "UD SUMBER", "TOKO"]), dtype="str"),
            "phone": pd.Series(pick(["+62812345", "+62812346", "+6281234"]), dtype="str"),
            "tanggal_lahir": birth,
            # the typed date: the NIK's, but for some rows another (a mistyped NIK or date)
            "tanggal_lahir_ketik": birth.where(rng.random(n) < 0.7, pd.Timestamp("1975-06-30")),
            "kelurahan_code": pd.Series(pick(["64.71.01.1001", "64.71.02.1002"]), dtype="str"),
            "kbli": pd.Series(pick(["47111", "01111"]), dtype="str"),
            "kbli_kategori": pd.Series(pick(["G", "A"]), dtype="str"),
        }
    )


@pytest.mark.parametrize("seed", range(6))
def test_block_numbers_group_the_rows_that_share_each_rule(seed):
    """block_k against its plain definition: the rows agreeing on the rule's columns, where
    2 to MAX_BLOCK (MAX_WEAK_BLOCK) of them do; for a weak rule also on the rows without a NIK."""
    rows = _random_rows(int(np.random.default_rng(seed).integers(30, 400)), seed)
    plain = rows.assign(
        business_core=rows["nama_usaha_key"].map(business_name.core, na_action="ignore"),
        nik_birth_serial=rows["nik"].str[6:16],
        nik_region_serial=rows["nik"].str[:6] + rows["nik"].str[12:16],
    )
    table, codes = linkage.input_table(rows)
    for k, rule in enumerate(blocking.BLOCKING_RULES):
        limit = blocking.MAX_WEAK_BLOCK if rule in blocking.WEAK_RULES else blocking.MAX_BLOCK
        key = plain[list(rule)].astype(object).where(plain[list(rule)].notna(), None).apply(tuple, axis=1)
        known = plain[list(rule)].notna().all(axis=1)
        size = key[known].map(key[known].value_counts())
        compared = pd.Series(False, index=rows.index)
        compared[size.index[(size >= 2) & (size <= limit)]] = True
        block = pd.Series(table[f"block_{k}"].to_pandas(), index=rows.index)
        assert block.notna().equals(compared), rule
        for a in np.flatnonzero(compared):
            same = (key[compared] == key[a]).to_numpy()
            assert (block[compared].to_numpy() == block[a])[same].all() and (block[compared].to_numpy() != block[a])[
                ~same
            ].all(), rule
        if rule in blocking.WEAK_RULES:
            unknown = pd.Series(table[f"block_{k}_nik_unknown"].to_pandas(), index=rows.index)
            assert unknown.equals(block.where(rows["nik"].isna())), rule
    nib = rows["nib"].to_numpy(dtype=object)
    same_nib = (codes["nib"][:, None] == codes["nib"][None, :]) & (codes["nib"][:, None] >= 0)
    assert np.array_equal(same_nib, (nib[:, None] == nib[None, :]) & pd.notna(nib)[:, None])
