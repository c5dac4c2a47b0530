"""The private register in, anonymised microdata, protected tables and a disclosure-risk report out.

- Identifiers: nothing derived from a NIK is published except the owner's sex (a
  quasi-identifier, protected as one) and the age band at the snapshot date. The actor id
  becomes a keyed HMAC-SHA256 pseudonym (the key comes from the environment and changes
  every release, so rows cannot be linked across releases); never an unkeyed hash.
- Microdata (umkm/sdc_microdata.py): the generalisation levels of the quasi-identifiers are
  searched over their lattice and local suppression brings every class to k >= 5 and
  l >= 2 for every sensitive attribute, within 5% of the quasi-identifier values; then
  umkm/sdc_specialise.py publishes each column in more detail record by record wherever the
  classes stay k >= 5 and l >= 2, so no column is blank where it need not be.
- Count tables: counts 1 to 4 suppressed (primary). Both answers of a yes/no question and
  the unknowns are published, so every table adds up to the city and the complement of a
  cell is always in the audit.
- Magnitude tables: sums of turnover, capital and workers; a cell needs at least 3
  contributors and must pass the p% rule (p = 10).
- Releases: a cell published in the previous release and in this one whose count changed
  by 1 or 2 is suppressed (and a magnitude cell whose count cell did).
- Secondary suppression over all tables together, proved by the linear-programming audit
  of umkm/sdc_audit.py; the build stops (a gate) when the audit fails.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from umkm import sdc_audit, sdc_microdata, sdc_specialise, sdc_tables, tables
from umkm.sdc_microdata import K_ANONYMITY, L_DIVERSITY, MAX_SUPPRESSED_SHARE, QI_COLUMNS, QUASI_IDENTIFIERS, SENSITIVE
from umkm.sdc_tables import MIN_PUBLISHED_COUNT, TableState

DIFFERENCE_LIMIT = 2  # a change of 1..2 actors between releases is not published
SMALL_GROUP = 10  # 0% / 100% cells in groups under 10 are flagged
MICRODATA_BOOLEANS = ("punya_nib", "masih_aktif", "pemasaran_online", "pelatihan", "bantuan_modal")

# Rule codes of the risk report (status of why a cell was suppressed).
PRIMARY, SECONDARY, DIFFERENCE = "primer", "sekunder", "selisih_rilis"


@dataclass(frozen=True)
class Disclosed:
    microdata: pd.DataFrame
    tables: dict[str, pd.DataFrame]
    risk: pd.DataFrame  # metrik, label_id, label_en, nilai
    magnitude: dict[str, pd.DataFrame] = field(default_factory=dict)
    risk_tables: dict[str, pd.DataFrame] = field(default_factory=dict)  # resources of the risk report
    microdata_properties: dict = field(default_factory=dict)  # custom properties of the microdata resource
    passed: bool = True
    audit_failures: list[str] = field(default_factory=list)


_INNER_PAD = bytes(b ^ 0x36 for b in range(256))
_OUTER_PAD = bytes(b ^ 0x5C for b in range(256))


def pseudonym(actor_ids: pd.Series, key: bytes) -> pd.Series:
    """HMAC-SHA256 (RFC 2104) of each actor id under the key, its first 16 hex digits.

    The same digests as hmac.new(key, id, sha256), in a third of the time: the key's two padded blocks
    are hashed once, and each id continues from copies of those two states."""
    if not key:
        raise ValueError("the pseudonym key is empty: an unkeyed hash is not a pseudonym")
    block = hashlib.sha256().block_size
    key = (hashlib.sha256(key).digest() if len(key) > block else key).ljust(block, b"\0")
    inner, outer = hashlib.sha256(key.translate(_INNER_PAD)).copy, hashlib.sha256(key.translate(_OUTER_PAD)).copy
    out = []
    for actor in actor_ids.tolist():
        digest = inner()
        digest.update(actor.encode("utf-8"))
        mac = outer()
        mac.update(digest.digest())
        out.append(mac.hexdigest()[:16])
    return pd.Series(out, index=actor_ids.index, name=actor_ids.name)


def _age(birth: pd.Series, snapshot: pd.Timestamp) -> pd.Series:
    """Whole years at the snapshot date."""
    birth = pd.to_datetime(birth)
    before = (birth.dt.month > snapshot.month) | ((birth.dt.month == snapshot.month) & (birth.dt.day > snapshot.day))
    return (snapshot.year - birth.dt.year - before.astype("Int64")).astype("Int64")


def _per_distinct(derive, *columns: pd.Series) -> pd.Series:
    """derive(*columns) for an element-wise derive, worked out once per distinct combination of values."""
    code, first = sdc_microdata.factorize_rows(list(columns))
    result = derive(*(c.iloc[first].reset_index(drop=True) for c in columns))
    return pd.Series(result.array.take(code), index=columns[0].index)


def generalise(register: pd.DataFrame, snapshot, reference) -> pd.DataFrame:
    """Private register to the attributes of each actor that may be published, at full detail."""
    snapshot = pd.Timestamp(f"{snapshot}-12-31") if isinstance(snapshot, int) else pd.Timestamp(snapshot)
    parent = dict(zip(reference.kbli_golongan_pokok["golongan_pokok"], reference.kbli_golongan_pokok["kategori"]))

    def kecamatan(kelurahan, kecamatan_code):
        return kelurahan.astype("string").str[:8].fillna(kecamatan_code.astype("string"))

    def golongan(kbli):
        return kbli.astype("string").str[:2]

    def golongan_pokok(kbli):
        return golongan(kbli).where(golongan(kbli).isin(parent.keys()))

    def kategori(kbli, kbli_kategori):
        return golongan(kbli).map(parent).astype("string").fillna(kbli_kategori.astype("string"))

    age = _age(register["tanggal_lahir"], snapshot)
    boolean = {c: register[c].astype("boolean") for c in ("pemasaran_online", "pelatihan", "bantuan_modal",
                                                         "masih_aktif")}
    return pd.DataFrame({
        "kelurahan_kode": register["kelurahan_code"].astype("string"),
        "kecamatan_kode": _per_distinct(kecamatan, register["kelurahan_code"], register["kecamatan_code"]),
        "kbli_golongan_pokok": _per_distinct(golongan_pokok, register["kbli"]),
        "kbli_kategori": _per_distinct(kategori, register["kbli"], register["kbli_kategori"]),
        "skala_usaha": register["skala_usaha"].astype("string"),
        "jenis_kelamin": register["jenis_kelamin"].astype("string"),
        "umur": age,
        "kelompok_umur": _per_distinct(lambda a: sdc_microdata.band(a, sdc_microdata.AGE_LEVELS[1]), age),
        "tahun_mulai": register["tahun_mulai"].astype("Int64"),
        "tenaga_kerja": register["tenaga_kerja"].astype("Int64"),
        "omzet_per_tahun": register["omzet_per_tahun"].astype("Int64"),
        "modal_usaha": register["modal_usaha"].astype("Int64"),
        "kelompok_omzet": _per_distinct(lambda a: sdc_microdata.band(a, sdc_microdata.TURNOVER_BANDS),
                                        register["omzet_per_tahun"]),
        "sentra": _per_distinct(lambda s: s.astype("string").fillna("bukan_sentra"), register["sentra"]),
        "punya_nib": register["nib"].notna().astype("boolean"),
        **boolean,
    }, index=register.index)


def _hex_order(pseudonyms: np.ndarray) -> np.ndarray:
    """Pseudonyms (16 hex digits each) as unsigned integers: the same order as their text."""
    if not pd.Series(pseudonyms, dtype="string").str.len().eq(16).all():
        raise ValueError("a pseudonym is not 16 hex digits")
    return np.frombuffer(bytes.fromhex("".join(pseudonyms)), dtype=">u8")


def anonymise_microdata(detail: pd.DataFrame, pseudonyms: pd.Series):
    """The published records, sorted by pseudonym: each column is taken once, in that order."""
    enc = sdc_microdata.encode(detail)
    found = sdc_microdata.search(enc)
    # Each column filled wherever classes stay good, but never into a small hidden cell of a count table.
    guard = sdc_specialise.table_guard(enc, detail, [s.dimensions for s in tables.COUNT_TABLES], MIN_PUBLISHED_COUNT)
    found.best = sdc_specialise.specialise(enc, found.best, guard=guard)
    kept = np.flatnonzero(found.best.kept)
    rows = kept[np.argsort(_hex_order(pseudonyms.to_numpy()[kept]), kind="stable")]
    out = {"pseudonim": pseudonyms.iloc[rows].reset_index(drop=True)}
    out.update(sdc_microdata.publish(enc, found.best, rows))
    for column in SENSITIVE:
        out[column] = detail[column].iloc[rows].reset_index(drop=True)
    for column in MICRODATA_BOOLEANS:
        values = out[column]
        if not pd.api.types.is_bool_dtype(values.dtype):  # published as text "true"/"false"
            values = values.eq("true")
        out[column] = values.astype("boolean")
    out["kelompok_omzet"] = out["kelompok_omzet"].astype("string")
    return pd.DataFrame(out), enc, found




def microdata_properties(found: sdc_microdata.Search) -> dict:
    node = found.best.node
    return {
        "quasiIdentifiers": [c for q in QUASI_IDENTIFIERS for c in q.columns],
        "sensitiveAttributes": list(SENSITIVE),
        "kAnonymity": K_ANONYMITY,
        "lDiversity": L_DIVERSITY,
        "lDiversityRule": "distinct known values: in every class each sensitive attribute has no known value "
                          "or at least 2 distinct known values (a blank is unknown, not a value)",
        "missingValueInClasses": "a blank quasi-identifier (unknown or suppressed) is a value of its own",
        "generalisation": {q.name: q.levels[level] for q, level in zip(QUASI_IDENTIFIERS, node)},
    }


# Releases -------------------------------------------------------------------------------------------------------

def _previous_counts(previous: dict[str, pd.DataFrame], name: str, value_column: str, dims) -> dict | None:
    frame = None if previous is None else previous.get(name)
    if frame is None or value_column not in frame or any(d not in frame for d in dims):
        return None
    frame = frame.astype("string").fillna("")
    published = frame[value_column].ne("") & frame.get(tables.CELL_STATUS, pd.Series("", index=frame.index)).eq("")
    return {tuple(r[d] for d in dims): float(r[value_column]) for _, r in frame[published].iterrows()}


def differencing(states: dict[str, TableState], previous: dict[str, pd.DataFrame] | None) -> dict[str, int]:
    """Suppress cells published in both releases whose count changed by 1 or 2 (and the magnitude cells over
    the same categories, whose change would be those actors' amounts). The hidden cell must stay compatible
    with "nothing changed": its feasible interval has to reach back to the previous value.

    A change the microdata already show (their bounds exclude the previous value) is not hidden, as hiding
    it would protect nothing; it is counted under "<table>|mikrodata" for the risk report.
    Returns cells per table."""
    hit: dict[str, int] = {}
    if not previous:
        return hit
    changed_keys: dict[tuple, set] = {}

    def mark(state, rows, before_values, name):
        rows, before_values = np.asarray(rows, dtype=np.int64), np.asarray(before_values, dtype="float64")
        shown = (state.lower_bound[rows] > before_values) | (state.upper_bound[rows] < before_values)
        if shown.any():
            hit[f"{name}|mikrodata"] = int(shown.sum())
        rows, before_values = rows[~shown], before_values[~shown]
        if len(rows):
            change = state.value[rows] - before_values
            state.mark(rows, DIFFERENCE, np.maximum(change, 0), np.maximum(-change, 0))
            hit[name] = len(rows)

    for spec in tables.COUNT_TABLES:
        state = states.get(spec.name)
        before = _previous_counts(previous, spec.name, tables.COUNT, spec.dimensions)
        if state is None or before is None:
            continue
        rows, values = [], []
        for i, key in enumerate(state.frame[list(spec.dimensions)].itertuples(index=False, name=None)):
            if key in before and not state.suppressed[i] and 1 <= abs(state.value[i] - before[key]) <= DIFFERENCE_LIMIT:
                rows.append(i)
                values.append(before[key])
                changed_keys.setdefault(spec.dimensions, set()).add(key)
        mark(state, rows, values, spec.name)
    for spec in tables.MAGNITUDE_TABLES:
        state = states.get(spec.name)
        before = _previous_counts(previous, spec.name, spec.value, spec.dimensions)
        keys = changed_keys.get(spec.dimensions, set())
        if state is None or before is None or not keys:
            continue
        rows, values = [], []
        for i, key in enumerate(state.frame[list(spec.dimensions)].itertuples(index=False, name=None)):
            if key in keys and key in before and not state.suppressed[i] and state.value[i] != before[key]:
                rows.append(i)
                values.append(before[key])
        mark(state, rows, values, spec.name)
    return hit


# Published frames and checks ------------------------------------------------------------------------------------

def published_count_table(state: TableState) -> pd.DataFrame:
    out = state.frame[list(state.dims)].copy()
    out[tables.COUNT] = pd.array(np.where(state.suppressed, 0, state.value).astype("int64"), dtype="Int64")
    out.loc[state.suppressed, tables.COUNT] = pd.NA
    out[tables.CELL_STATUS] = np.where(state.suppressed, tables.SUPPRESSED, "")
    return out.reset_index(drop=True)


def published_magnitude_table(state: TableState, spec: tables.MagnitudeSpec) -> pd.DataFrame:
    out = state.frame[list(state.dims)].copy()
    out[spec.value] = pd.array(np.where(state.suppressed, 0, np.round(state.value)).astype("int64"), dtype="Int64")
    out.loc[state.suppressed, spec.value] = pd.NA
    out[tables.CELL_STATUS] = np.where(state.suppressed, tables.SUPPRESSED, "")
    return out.reset_index(drop=True)


def homogeneous_small_groups(state: TableState) -> int:
    """Published cells that are 0% or 100% of a group (a line of the table) of 1 to 9 actors."""
    flagged = np.zeros(len(state.frame), dtype=bool)
    dims = list(state.dims)
    for free in dims:
        others = [d for d in dims if d != free]
        line = (state.frame.groupby(others, sort=False).ngroup().to_numpy() if others
                else np.zeros(len(state.frame), dtype=np.int64))
        total = np.bincount(line, weights=state.value)[line]
        small = (total > 0) & (total < SMALL_GROUP)
        flagged |= small & ~state.suppressed & ((state.value == 0) | (state.value == total))
    return int(flagged.sum())


def _text_codes(patterns: sdc_tables.Patterns, column: str, blank: str | None) -> tuple[np.ndarray, int]:
    """Per row of ``patterns`` a code of the column's value read as text (astype("string")): a blank reads as
    ``blank``, or stays -1 (None). Returns the codes and how many there are."""
    uniques, code = patterns.factorized(column)[1], patterns.row_codes(column)  # NA -> -1
    text = pd.Series(uniques).astype("string").tolist() + ([] if blank is None else [blank])
    same, distinct = pd.factorize(pd.Series(text, dtype=object))  # two values may read the same
    if blank is None:
        return (np.where(code >= 0, same[np.maximum(code, 0)], -1) if len(same) else code), len(distinct)
    return same[np.where(code < 0, len(uniques), code)], len(distinct)


def _class_ids(microdata: pd.DataFrame, patterns: sdc_tables.Patterns) -> dict[str, np.ndarray]:
    """Per row of ``patterns`` its class (rows whose quasi-identifier columns read the same as text), with a
    blank read as "" (as grouping ``astype("string").fillna("")`` would) and as "\\x00". Unless a value
    reads as one of those, both are the same classes: the blank is a value of its own."""
    if not len(microdata):
        return {blank: np.zeros(0, dtype=np.int64) for blank in ("", "\x00")}
    texts = {v for c in QI_COLUMNS for v in pd.Series(patterns.factorized(c)[1]).astype("string").tolist()}
    out: dict[str, np.ndarray] = {}
    for blank in ("", "\x00"):
        out[blank] = sdc_microdata.combine([_text_codes(patterns, column, blank) for column in QI_COLUMNS])[0]
        if not texts & {"", "\x00"}:
            out["\x00"] = out[blank]
            break
    return out


def _class_sizes(microdata: pd.DataFrame, group: np.ndarray, patterns: sdc_tables.Patterns) -> np.ndarray:
    return np.bincount(group, weights=patterns.rows()[1]).astype(np.int64) if len(group) else np.zeros(0, np.int64)


def class_size_histogram(microdata: pd.DataFrame, sizes: np.ndarray | None = None) -> pd.DataFrame:
    if sizes is None:
        patterns = _patterns(microdata)
        sizes = _class_sizes(microdata, _class_ids(microdata, patterns)[""], patterns)
    bins = [(1, 4, "1-4"), (5, 5, "5"), (6, 6, "6"), (7, 7, "7"), (8, 8, "8"), (9, 9, "9"), (10, 19, "10-19"),
            (20, 49, "20-49"), (50, 99, "50-99"), (100, 999, "100-999"), (1000, 10**9, "1000+")]
    rows = [(label, int(((sizes >= lo) & (sizes <= hi)).sum()), int(sizes[(sizes >= lo) & (sizes <= hi)].sum()))
            for lo, hi, label in bins]
    return pd.DataFrame(rows, columns=["ukuran_kelas", "jumlah_kelas", "jumlah_catatan"])


def _patterns(microdata: pd.DataFrame) -> sdc_tables.Patterns:
    return sdc_tables.Patterns(microdata, [c for c in microdata.columns if c != "pseudonim"])


# The stage ------------------------------------------------------------------------------------------------------

def build_states(detail: pd.DataFrame, microdata: pd.DataFrame, dropped: int, reference,
                 patterns: sdc_tables.Patterns | None = None) -> dict[str, TableState]:
    """Every table with its primary suppressions and the bounds the microdata put on its cells."""
    cats = sdc_tables.categories(reference)
    parent = sdc_tables.parent_of(reference)
    keys, patterns = sdc_tables.Keys(detail), patterns or _patterns(microdata)
    states: dict[str, TableState] = {}
    for spec in tables.COUNT_TABLES:
        frame = sdc_tables.count_table(detail, spec.dimensions, cats, keys)
        state = TableState(spec.name, "count", frame, frame[tables.COUNT].to_numpy(), spec.dimensions)
        v = state.value
        small = np.flatnonzero((v > 0) & (v < MIN_PUBLISHED_COUNT))
        state.mark(small, PRIMARY, v[small], MIN_PUBLISHED_COUNT - v[small])
        state.lower_bound, state.upper_bound = sdc_tables.microdata_bounds(
            microdata, spec.dimensions, frame, cats, parent, dropped, patterns=patterns)
        states[spec.name] = state
    for spec in tables.MAGNITUDE_TABLES:
        frame = sdc_tables.magnitude_table(detail, spec, cats, keys)
        state = TableState(spec.name, spec.measure, frame, frame["total"].to_numpy(), spec.dimensions)
        level = sdc_tables.magnitude_protection(frame["total"], frame["n"], frame["x1"], frame["x2"])
        rows = np.flatnonzero(level > 0)
        state.mark(rows, PRIMARY, level[rows], level[rows])
        if spec.measure in ("omzet_per_tahun", "tenaga_kerja"):
            state.lower_bound, state.upper_bound = sdc_tables.microdata_bounds(
                microdata, spec.dimensions, frame, cats, parent, dropped, amount=spec.measure, patterns=patterns)
        states[spec.name] = state
    return states


def disclose(register: pd.DataFrame, key: bytes, reference, snapshot,
             previous: dict[str, pd.DataFrame] | None = None,
             same_date: dict[str, pd.DataFrame] | None = None) -> Disclosed:
    """snapshot: the register's snapshot date (an int is read as the end of that year).
    previous: the statistics tables (as published, text, by resource name) of the newest release of an
    earlier snapshot date; same_date: those of a release of this snapshot date already published (this
    release is its rebuild or correction). A cell published in either that changed by 1-2 actors is hidden,
    so a rebuild of the same data is the same release, hiding what it hid against ``previous``."""
    # Load inputs.
    detail = generalise(register, snapshot, reference)
    pseudonyms = pseudonym(register["actor_id"].astype(str), key)

    # Process data.
    microdata, _, found = anonymise_microdata(detail, pseudonyms)
    patterns = _patterns(microdata)  # the microdata's rows, grouped once for the tables and the report
    states = build_states(detail, microdata, found.best.records_dropped, reference, patterns)
    differenced = differencing(states, previous)
    for name, cells in differencing(states, same_date).items():  # a cell hidden already is not counted twice
        differenced[name] = differenced.get(name, 0) + cells
    model = sdc_tables.build_model(states, reference)
    inconsistent = model.check_consistent()
    if inconsistent:
        raise ValueError("disclosure model does not hold for the true values: " + "; ".join(inconsistent[:5]))
    protection = sdc_audit.protect(model)
    for state in states.values():
        for i in range(len(state.frame)):
            if model.suppressed[model.index[f"{state.name}|{i}"]] and not state.suppressed[i]:
                state.rule[i] = SECONDARY
    published = {spec.name: published_count_table(states[spec.name]) for spec in tables.COUNT_TABLES}
    magnitude = {spec.name: published_magnitude_table(states[spec.name], spec) for spec in tables.MAGNITUDE_TABLES}

    # Save outputs (to the caller).
    result = protection.audit
    compared = any(spec.name in (previous or {}) for spec in tables.COUNT_TABLES)
    risk, risk_tables = risk_report(detail, microdata, found, states, differenced, protection, compared, patterns)
    passed = bool(risk.loc[risk["metrik"] == "lulus", "nilai"].iloc[0] == 1)
    return Disclosed(microdata=microdata, tables=published, risk=risk, magnitude=magnitude, risk_tables=risk_tables,
                     microdata_properties=microdata_properties(found), passed=passed,
                     audit_failures=[f"{c.name}: value {c.value:g}, feasible [{c.low:g}, {c.high:g}], needs "
                                     f"-{c.lower_protection:g}/+{c.upper_protection:g}" for c in result.failures])


def _achieved(microdata: pd.DataFrame, group: np.ndarray, patterns: sdc_tables.Patterns) -> tuple[int, int]:
    """Smallest class, and fewest distinct known values of a sensitive attribute in a class with any
    (group: the class of each row of ``patterns``)."""
    sizes = _class_sizes(microdata, group, patterns)
    k = int(sizes.min()) if len(group) else 0
    l_min = None
    for column in SENSITIVE:
        code, values = _text_codes(patterns, column, None)  # -1: no known value
        known = code >= 0
        seen = np.zeros(len(sizes) * max(values, 1), dtype=bool)
        seen[group[known] * max(values, 1) + code[known]] = True
        distinct = seen.reshape(len(sizes), max(values, 1)).sum(axis=1)
        if distinct.any():
            least = int(distinct[distinct > 0].min())
            l_min = least if l_min is None else min(l_min, least)
    return k, l_min or 0


def risk_report(detail, microdata, found, states, differenced, protection, compared: bool,
                patterns: sdc_tables.Patterns | None = None):
    best = found.best
    n_qi = len(QUASI_IDENTIFIERS)
    patterns = patterns or _patterns(microdata)
    group = _class_ids(microdata, patterns)
    k, l_div = _achieved(microdata, group["\x00"], patterns)
    sizes = _class_sizes(microdata, group[""], patterns)
    histogram = class_size_histogram(microdata, sizes)
    audit = protection.audit
    failed = {c.name.split("|")[0] for c in audit.failures}
    per_table = []
    for name, state in states.items():
        kind = "jumlah" if state.kind == "count" else "besaran"
        per_table.append((name, kind, len(state.frame), int((state.rule == PRIMARY).sum()),
                          int((state.rule == SECONDARY).sum()), int((state.rule == DIFFERENCE).sum()),
                          homogeneous_small_groups(state) if state.kind == "count" else 0,
                          sum(1 for c in audit.failures if c.name.split("|")[0] == name)))
    per_table = pd.DataFrame(per_table, columns=["tabel", "jenis_tabel", "jumlah_sel", "sel_primer", "sel_sekunder",
                                                 "sel_selisih_rilis", "sel_homogen_kelompok_kecil",
                                                 "sel_gagal_audit"])
    steps = (best.levels - np.asarray(best.node)).clip(min=0)
    generalisation = pd.DataFrame([
        (q.name, ", ".join(q.columns), q.levels[level], level, len(q.levels) - 1, q.weight, int(steps[:, i].sum()))
        for i, (q, level) in enumerate(zip(QUASI_IDENTIFIERS, best.node))],
        columns=["kuasi_identifier", "kolom", "tingkat", "tingkat_ke", "tinggi", "bobot", "nilai_disembunyikan_lokal"])
    count_tables = per_table[per_table["jenis_tabel"] == "jumlah"]
    magnitude_tables = per_table[per_table["jenis_tabel"] == "besaran"]
    total_values = len(detail) * n_qi
    m = [
        ("k_anonimitas_target", "Target k-anonimitas", "k-anonymity target", K_ANONYMITY),
        ("k_anonimitas_tercapai", "k-anonimitas tercapai (kelas terkecil)", "k-anonymity achieved (smallest class)", k),
        ("l_diversitas_target", "Target l-diversitas", "l-diversity target", L_DIVERSITY),
        ("l_diversitas_tercapai", "l-diversitas tercapai (nilai diketahui)", "l-diversity achieved (known values)",
         l_div),
        ("jumlah_kuasi_identifier", "Jumlah kuasi-identifier", "Quasi-identifiers", n_qi),
        ("pelaku_register", "Pelaku dalam register", "Actors in the register", len(detail)),
        ("catatan_mikrodata", "Catatan dalam mikrodata", "Records in the microdata", len(microdata)),
        ("catatan_dihapus", "Catatan dihapus dari mikrodata", "Records dropped from the microdata",
         best.records_dropped),
        ("catatan_kelas_di_bawah_5", "Catatan dalam kelas di bawah 5", "Records in classes under 5",
         int(sizes[sizes < 5].sum())),
        ("catatan_kelas_di_bawah_10", "Catatan dalam kelas di bawah 10", "Records in classes under 10",
         int(sizes[sizes < 10].sum())),
        ("jumlah_kelas", "Jumlah kelas kesetaraan", "Equivalence classes", len(sizes)),
        ("nilai_qi_disembunyikan", "Nilai kuasi-identifier disembunyikan lokal", "Quasi-identifier values locally "
         "suppressed", best.values_suppressed),
        ("persen_nilai_qi_disembunyikan", "Persen nilai kuasi-identifier disembunyikan lokal",
         "Per cent of quasi-identifier values locally suppressed", round(100 * best.values_suppressed / max(
             total_values, 1), 2)),
        ("batas_persen_disembunyikan", "Batas persen nilai disembunyikan", "Ceiling on per cent suppressed",
         100 * MAX_SUPPRESSED_SHARE),
        ("catatan_disentuh", "Catatan dengan nilai disembunyikan lokal", "Records with a locally suppressed value",
         best.records_touched),
        ("kehilangan_informasi_persen", "Kehilangan informasi (persen)", "Information loss (per cent)",
         round(100 * best.loss, 2)),
        ("kehilangan_generalisasi_persen", "Kehilangan informasi dari generalisasi global (persen)",
         "Information loss from global generalisation (per cent)", round(100 * best.generalisation_loss, 2)),
        ("simpul_kisi", "Simpul kisi generalisasi", "Nodes of the generalisation lattice", found.nodes_total),
        ("simpul_diperiksa", "Simpul diperiksa", "Nodes checked", found.nodes_checked),
        ("simpul_penyembunyian_lokal", "Simpul dengan penyembunyian lokal", "Nodes given local suppression",
         found.nodes_suppressed),
        ("sel_tabel_jumlah", "Sel tabel jumlah pelaku", "Cells of the count tables", int(count_tables["jumlah_sel"].sum())),
        ("sel_jumlah_primer", "Sel jumlah disembunyikan: 1-4 pelaku", "Count cells suppressed: 1-4 actors",
         int(count_tables["sel_primer"].sum())),
        ("sel_jumlah_sekunder", "Sel jumlah disembunyikan: pelindung (sekunder)",
         "Count cells suppressed: complementary (secondary)", int(count_tables["sel_sekunder"].sum())),
        ("sel_tabel_besaran", "Sel tabel besaran (omzet, modal, tenaga kerja)",
         "Cells of the magnitude tables (turnover, capital, workers)", int(magnitude_tables["jumlah_sel"].sum())),
        ("sel_besaran_primer", "Sel besaran disembunyikan: < 3 pelaku atau aturan p%",
         "Magnitude cells suppressed: < 3 actors or the p% rule", int(magnitude_tables["sel_primer"].sum())),
        ("sel_besaran_sekunder", "Sel besaran disembunyikan: pelindung (sekunder)",
         "Magnitude cells suppressed: complementary (secondary)", int(magnitude_tables["sel_sekunder"].sum())),
        ("sel_homogen_kelompok_kecil", "Sel 0% atau 100% dalam kelompok di bawah 10 pelaku (ditandai)",
         "Cells at 0% or 100% of a group under 10 actors (flagged)",
         int(count_tables["sel_homogen_kelompok_kecil"].sum())),
        ("selisih_rilis_dibandingkan", "Dibandingkan dengan rilis tanggal data sebelumnya (1 = ya)",
         "Compared with the release of an earlier snapshot date (1 = yes)", int(compared)),
        ("sel_selisih_rilis", "Sel disembunyikan: berubah 1-2 pelaku sejak rilis sebelumnya",
         "Cells suppressed: changed by 1-2 actors since the previous release",
         int(sum(v for k, v in differenced.items() if "|" not in k))),
        ("sel_selisih_terbaca_mikrodata", "Sel berubah 1-2 pelaku yang sudah terbaca dari mikrodata (diterbitkan)",
         "Cells changed by 1-2 actors that the microdata already show (published)",
         int(sum(v for k, v in differenced.items() if "|" in k))),
        ("audit_sel_diperiksa", "Audit LP: sel tersembunyi diperiksa", "LP audit: suppressed cells checked",
         len(audit.cells)),
        ("audit_sel_gagal", "Audit LP: sel yang dapat dipersempit", "LP audit: cells that can be narrowed down",
         len(audit.failures)),
        ("audit_program_linear", "Audit LP: program linear diselesaikan", "LP audit: linear programs solved",
         audit.linear_programs),
        ("audit_relasi", "Audit LP: relasi penjumlahan", "LP audit: additive relations", audit.relations),
        ("audit_kelompok", "Audit LP: kelompok sel terhubung", "LP audit: connected groups of cells", audit.groups),
        ("audit_putaran", "Putaran penyembunyian sekunder", "Rounds of secondary suppression", protection.rounds),
        ("lulus", "Lulus semua pemeriksaan (1 = ya)", "Passed every check (1 = yes)",
         int(audit.passed and k >= K_ANONYMITY and (l_div >= L_DIVERSITY or l_div == 0) and not failed)),
    ]
    risk = pd.DataFrame(m, columns=["metrik", "label_id", "label_en", "nilai"])
    risk["nilai"] = risk["nilai"].astype("float64")
    return risk, {"ringkasan_risiko": risk, "generalisasi": generalisation, "ukuran_kelas": histogram,
                  "penyembunyian_tabel": per_table}
