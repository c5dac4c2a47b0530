"""The private register in, anonymised microdata, perturbed tables and a disclosure-risk report out.

Threat model. The attacker holds every release ever published (every ``unduh/<version>/`` folder
and every page of the site) and wants to learn something about one actor, a neighbour. About the
neighbour they know what anybody can see: the kelurahan (so the kecamatan), the owner's sex and
rough age, the kind of business (KBLI category or division), whether it sits in a sentra, and that
the neighbour joined or left the register (or changed) between two releases. They know our methods
and their published parameters, but not the secret key. Protection must hold against all releases
together: comparing any two releases, or a release with its own tables, must not give an actor's
turnover, capital or workforce, nor an attribute the attacker does not already know.

- Identifiers: nothing derived from a NIK is published except the owner's sex and the age band at
  the snapshot date. The actor id becomes a keyed HMAC-SHA256 pseudonym under a key derived from
  the secret and the release version (``release_key``), so no two releases share a pseudonym and
  rows cannot be linked across releases; never an unkeyed hash.
- Microdata (umkm/disclose/sdc_microdata.py): generalisation levels searched over their lattice, local
  suppression bringing every class to k >= 5 and l >= 2 for every sensitive attribute, then every
  column filled record by record wherever its class stays so (umkm/disclose/sdc_specialise.py). The rows of
  this release and of every earlier published release that differ (either way) are themselves
  k >= 5 and l >= 2: records of this release are coarsened (or, last, withheld) until they are
  (umkm/disclose/sdc_microdata_releases.py).
- Tables: the cell key method (umkm/disclose/ckm.py): every count and magnitude cell is published with
  noise that is the same for the same contributors and fresh for different ones; no cell is
  suppressed. Cells that share the known categories of a row are re-noised together when anyone
  in the row changes.
- The differencing gate (umkm/disclose/sdc_releases.py) plays the attacker against every earlier release
  and moves a cell's key on where chance noise still leaves an estimate within 1% or a row that
  points at its changers; the build stops if any remains.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from umkm.disclose import ckm, sdc_microdata, sdc_microdata_releases, sdc_releases, sdc_specialise, sdc_tables, tables
from umkm.disclose.sdc_microdata import (
    K_ANONYMITY,
    L_DIVERSITY,
    MAX_SUPPRESSED_SHARE,
    QI_COLUMNS,
    QUASI_IDENTIFIERS,
    SENSITIVE,
)
from umkm.vocabulary import NOT_IN_SENTRA, YES_NO_DIMENSIONS

MICRODATA_BOOLEANS = YES_NO_DIMENSIONS  # booleans in the microdata (true/false), ya/tidak in the tables


@dataclass
class Disclosed:
    microdata: pd.DataFrame  # without the pseudonym (with_pseudonyms adds it once the version is known)
    microdata_actors: pd.Series  # the actor id of each microdata row (private)
    tables: dict[str, pd.DataFrame]
    risk: pd.DataFrame  # metrik, label_id, label_en, nilai
    magnitude: dict[str, pd.DataFrame] = field(default_factory=dict)
    risk_tables: dict[str, pd.DataFrame] = field(default_factory=dict)  # resources of the risk report
    microdata_properties: dict = field(default_factory=dict)  # custom properties of the microdata resource
    truth: pd.DataFrame | None = None  # sdc_releases.truth_frame of this release (private)
    retries: dict[str, dict[str, int]] = field(default_factory=dict)
    passed: bool = True
    audit_failures: list[str] = field(default_factory=list)


def release_key(secret: bytes, version: str) -> bytes:
    """The pseudonym key of one release: HMAC-SHA256 of the version under the secret."""
    if not secret:
        raise ValueError("the secret is empty: an unkeyed hash is not a pseudonym")
    return hmac.new(secret, b"pseudonim\x00" + version.encode("utf-8"), hashlib.sha256).digest()


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
    boolean = {
        c: register[c].astype("boolean") for c in ("pemasaran_online", "pelatihan", "bantuan_modal", "masih_aktif")
    }
    return pd.DataFrame(
        {
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
            "kelompok_omzet": _per_distinct(
                lambda a: sdc_microdata.band(a, sdc_microdata.TURNOVER_BANDS), register["omzet_per_tahun"]
            ),
            "sentra": _per_distinct(lambda s: s.astype("string").fillna(NOT_IN_SENTRA), register["sentra"]),
            "punya_nib": register["nib"].notna().astype("boolean"),
            **boolean,
        },
        index=register.index,
    )


def _hex_order(pseudonyms: np.ndarray) -> np.ndarray:
    """Pseudonyms (16 hex digits each) as unsigned integers: the same order as their text."""
    if not pd.Series(pseudonyms, dtype="string").str.len().eq(16).all():
        raise ValueError("a pseudonym is not 16 hex digits")
    return np.frombuffer(bytes.fromhex("".join(pseudonyms)), dtype=">u8")


def anonymise_microdata(
    detail: pd.DataFrame, earlier: list[pd.DataFrame] | None = None, names: list[str] | None = None
):
    """The published records without their pseudonyms, in the register's order: the kept records' positions,
    their columns, the encoding, the search (its best result specialised, then repaired against every earlier
    release's published microdata, ``earlier``: text frames, oldest first) and the repair (None without
    earlier releases)."""
    enc = sdc_microdata.encode(detail)
    found = sdc_microdata.search(enc)
    # Under the cell key method no table cell is hidden, so filling a column needs no guard for table cells.
    found.best = sdc_specialise.specialise(enc, found.best)
    repaired = None
    if earlier:
        repaired = sdc_microdata_releases.repair(
            enc, found.best, sdc_microdata_releases.sensitive_text(detail), earlier, names
        )
        found.best = repaired.result
    rows = np.flatnonzero(found.best.kept)
    return rows, _microdata_frame(detail, enc, found.best, rows), enc, found, repaired


def _microdata_frame(detail: pd.DataFrame, enc, result, rows: np.ndarray) -> pd.DataFrame:
    out = dict(sdc_microdata.publish(enc, result, rows))
    for column in SENSITIVE:
        out[column] = detail[column].iloc[rows].reset_index(drop=True)
    for column in MICRODATA_BOOLEANS:
        values = out[column]
        if not pd.api.types.is_bool_dtype(values.dtype):  # published as text "true"/"false"
            values = values.eq("true")
        out[column] = values.astype("boolean")
    out["kelompok_omzet"] = out["kelompok_omzet"].astype("string")
    return pd.DataFrame(out)[[c for c in tables.MICRODATA_COLUMNS if c != "pseudonim"]]


def with_pseudonyms(microdata: pd.DataFrame, actors: pd.Series, secret: bytes, version: str) -> pd.DataFrame:
    """The microdata with each row's pseudonym under this release's key, first, and sorted by it."""
    pseudonyms = pseudonym(actors.astype(str).reset_index(drop=True), release_key(secret, version))
    order = np.argsort(_hex_order(pseudonyms.to_numpy()), kind="stable")
    out = microdata.iloc[order].reset_index(drop=True)
    out.insert(0, "pseudonim", pseudonyms.iloc[order].reset_index(drop=True))
    return out


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
        "generalisationNote": "the levels the lattice search chose for every record; each column is then published "
        "finer record by record where classes stay k-anonymous and l-diverse, and records "
        "are made coarser where the differences with an earlier release need it",
    }


# The microdata's classes -----------------------------------------------------------------------------------------


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
    bins = [
        (1, 4, "1-4"),
        (5, 5, "5"),
        (6, 6, "6"),
        (7, 7, "7"),
        (8, 8, "8"),
        (9, 9, "9"),
        (10, 19, "10-19"),
        (20, 49, "20-49"),
        (50, 99, "50-99"),
        (100, 999, "100-999"),
        (1000, 10**9, "1000+"),
    ]
    rows = [
        (label, int(((sizes >= lo) & (sizes <= hi)).sum()), int(sizes[(sizes >= lo) & (sizes <= hi)].sum()))
        for lo, hi, label in bins
    ]
    return pd.DataFrame(rows, columns=["ukuran_kelas", "jumlah_kelas", "jumlah_catatan"])


def _patterns(microdata: pd.DataFrame) -> sdc_tables.Patterns:
    return sdc_tables.Patterns(microdata, [c for c in microdata.columns if c != "pseudonim"])


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


# Published tables -----------------------------------------------------------------------------------------------


def published_count_table(table: sdc_tables.TableKeys, values: np.ndarray) -> pd.DataFrame:
    out = table.frame[list(table.dims)].copy()
    out[tables.COUNT] = pd.array(values.astype("int64"), dtype="Int64")
    return out.reset_index(drop=True)


def published_magnitude_table(
    table: sdc_tables.TableKeys, values: np.ndarray, spec: tables.MagnitudeSpec
) -> pd.DataFrame:
    out = table.frame[list(table.dims)].copy()
    out[spec.value] = pd.array(values.astype("int64"), dtype="Int64")
    return out.reset_index(drop=True)


# The stage ------------------------------------------------------------------------------------------------------


def disclose(
    register: pd.DataFrame,
    record_keys: pd.DataFrame,
    reference,
    snapshot,
    earlier: list[sdc_releases.Earlier] | None = None,
) -> Disclosed:
    """snapshot: the register's snapshot date (an int is read as the end of that year). record_keys: actor_id,
    kunci_sel, kunci_baris for every actor of the register (private). earlier: every release already
    published, with its published tables and its truth (exact from private/, or approximated)."""
    # Load inputs.
    detail = generalise(register, snapshot, reference)
    keys = record_keys.set_index("actor_id").reindex(register["actor_id"].astype(str))
    if keys["kunci_sel"].isna().any():
        raise ValueError("an actor of the register has no record key")
    cell_keys = keys["kunci_sel"].to_numpy(dtype=np.int64)
    row_keys = keys["kunci_baris"].to_numpy(dtype=np.int64)

    # Process data: microdata.
    earlier = list(earlier or [])
    with_microdata = [e for e in earlier if e.microdata is not None]
    rows, microdata, enc, found, repaired = anonymise_microdata(
        detail, [e.microdata for e in with_microdata], [e.version for e in with_microdata]
    )
    actors = register["actor_id"].astype(str).iloc[rows].reset_index(drop=True)

    # Process data: tables, their keys, and the retries that beat the attacker on every earlier release.
    category_keys = sdc_tables.Keys(detail)
    keyed = sdc_tables.table_keys(detail, reference, cell_keys, row_keys, category_keys)
    truth = sdc_releases.truth_frame(register["actor_id"], detail, cell_keys, row_keys, category_keys)
    registered = (
        register["tanggal_terdaftar"] if "tanggal_terdaftar" in register else pd.Series(pd.NaT, index=register.index)
    )
    earlier = sdc_releases.with_truths(earlier, truth, registered)
    retries, attack = sdc_releases.choose_retries(keyed, truth, earlier)
    published = {name: t.published(retries.get(name)) for name, t in keyed.items()}
    counts = {spec.name: published_count_table(keyed[spec.name], published[spec.name]) for spec in tables.COUNT_TABLES}
    magnitude = {
        spec.name: published_magnitude_table(keyed[spec.name], published[spec.name], spec)
        for spec in tables.MAGNITUDE_TABLES
    }

    # Save outputs (to the caller).
    patterns = _patterns(microdata)
    risk, risk_tables = risk_report(detail, microdata, found, keyed, published, retries, attack, patterns, repaired)
    failures = [f.message for f in attack.findings] + (repaired.failures if repaired is not None else [])
    k, l_div = _achieved(microdata, _class_ids(microdata, patterns)["\x00"], patterns)
    if k < K_ANONYMITY or (0 < l_div < L_DIVERSITY):
        failures.append(f"microdata: smallest class {k}, fewest known values {l_div}")
    return Disclosed(
        microdata=microdata,
        microdata_actors=actors,
        tables=counts,
        risk=risk,
        magnitude=magnitude,
        risk_tables=risk_tables,
        microdata_properties=microdata_properties(found),
        truth=truth,
        retries=sdc_releases.retries_by_label(keyed, retries),
        passed=not failures,
        audit_failures=failures,
    )


def content_fingerprint(disclosed: Disclosed) -> str:
    """What a release publishes, without the pseudonyms (which depend on its version): the microdata rows in
    order of their text, and every table. Two builds with the same fingerprint publish the same release."""
    digest = hashlib.sha256()
    text = disclosed.microdata.astype("string").fillna("")
    lines: list[str] = []
    if len(text) and len(text.columns):
        joined = text.iloc[:, 0]
        for column in text.columns[1:]:  # column by column: a row-wise apply costs a minute at 1,000,000 rows
            joined = joined + "\x1f" + text[column]
        lines = joined.astype(str).tolist()
    for line in sorted(lines):
        digest.update(line.encode("utf-8") + b"\n")
    for name, frame in sorted({**disclosed.tables, **disclosed.magnitude}.items()):
        digest.update(name.encode("utf-8") + b"\0" + frame.to_csv(index=False).encode("utf-8"))
    return "sha256:" + digest.hexdigest()


# The disclosure-risk report ---------------------------------------------------------------------------------------


def column_suppression(detail: pd.DataFrame, microdata: pd.DataFrame, rows: np.ndarray | None = None) -> pd.DataFrame:
    """Per quasi-identifier column of the microdata: the share of its cells left blank although the value is
    known (suppressed or generalised away), and the share blank because it is not known."""
    out = []
    for q in QUASI_IDENTIFIERS:
        for column in q.columns:
            source = detail[q.source if q.bands else column]
            known = source.notna().to_numpy()
            if rows is not None:
                known = known[rows]
            blank = microdata[column].isna().to_numpy()
            n = max(len(blank), 1)
            out.append(
                (column, round(100 * float((blank & known).sum()) / n, 2), round(100 * float((~known).sum()) / n, 2))
            )
    return pd.DataFrame(out, columns=["kolom", "persen_disembunyikan", "persen_tidak_diketahui"])


def perturbation_summary(keyed, published) -> pd.DataFrame:
    """Per table: how many cells the noise changed and by how much on average. Which cells, or which rows had
    their keys moved on, is never said: that would tell where actors changed."""
    rows = []
    for name, table in keyed.items():
        change = published[name].astype(np.float64) - np.round(table.value)
        kind = "jumlah" if table.kind == "count" else "besaran"
        relative = np.abs(change) / np.maximum(table.value, 1.0)
        rows.append(
            (
                name,
                kind,
                len(table.value),
                int((change != 0).sum()),
                round(float(np.abs(change).mean()), 2) if len(change) else 0.0,
                round(100 * float(relative[table.value > 0].mean()), 2) if (table.value > 0).any() else 0.0,
            )
        )
    return pd.DataFrame(
        rows,
        columns=[
            "tabel",
            "jenis_tabel",
            "jumlah_sel",
            "sel_berubah",
            "rata_rata_perubahan",
            "rata_rata_perubahan_persen",
        ],
    )


def ckm_parameters() -> pd.DataFrame:
    p = [
        ("d_maksimum", "Perubahan maksimum sel jumlah", "Maximum perturbation of a count", ckm.D_MAX),
        ("varians", "Varians perubahan sel jumlah", "Variance of the perturbation of a count", ckm.VARIANCE),
        (
            "js_terlarang",
            "Jumlah 1 sampai js tidak pernah diterbitkan",
            "Counts 1 to js are never published",
            ckm.BLOCKED_MAX,
        ),
        (
            "m_besaran",
            "Skala derau besaran: bagian dari kontribusi terbesar",
            "Noise scale of magnitudes: share of the largest contribution",
            ckm.MAGNITUDE_SHARE,
        ),
        (
            "m_besaran_maks",
            "Derau besaran paling besar: bagian dari kontribusi terbesar",
            "Largest magnitude noise: share of the largest contribution",
            2 * ckm.MAGNITUDE_SHARE,
        ),
        (
            "satuan_minimum_tenaga_kerja",
            "Skala derau tenaga kerja paling kecil (orang)",
            "Smallest noise scale of workforce (persons)",
            ckm.MAGNITUDE_MIN_UNIT["tenaga_kerja"],
        ),
        ("bit_kunci_rekaman", "Bit kunci rekaman", "Bits of a record key", ckm.RECORD_KEY_BITS),
        (
            "ambang_tepat_persen",
            "Estimasi dalam persen ini dianggap tepat (gerbang)",
            "An estimate within this per cent counts as exact (gate)",
            100 * sdc_releases.EXACT_SHARE,
        ),
        ("k_anonimitas", "Target k-anonimitas mikrodata", "k-anonymity target of the microdata", K_ANONYMITY),
        ("l_diversitas", "Target l-diversitas mikrodata", "l-diversity target of the microdata", L_DIVERSITY),
    ]
    frame = pd.DataFrame(p, columns=["metrik", "label_id", "label_en", "nilai"])
    frame["nilai"] = frame["nilai"].astype("float64")
    return frame


def ptable_frame() -> pd.DataFrame:
    import io

    frame = pd.read_csv(io.StringIO(ckm.ptable_csv(ckm.ptable())), dtype={"nilai_sel": str})
    return frame


def risk_report(detail, microdata, found, keyed, published, retries, attack, patterns=None, repaired=None):
    best = found.best
    n_qi = len(QUASI_IDENTIFIERS)
    patterns = patterns or _patterns(microdata)
    group = _class_ids(microdata, patterns)
    k, l_div = _achieved(microdata, group["\x00"], patterns)
    sizes = _class_sizes(microdata, group[""], patterns)
    histogram = class_size_histogram(microdata, sizes)
    steps = (best.levels - np.asarray(best.node)).clip(min=0)
    generalisation = pd.DataFrame(
        [
            (q.name, ", ".join(q.columns), q.levels[level], level, len(q.levels) - 1, q.weight, int(steps[:, i].sum()))
            for i, (q, level) in enumerate(zip(QUASI_IDENTIFIERS, best.node))
        ],
        columns=["kuasi_identifier", "kolom", "tingkat", "tingkat_ke", "tinggi", "bobot", "nilai_disembunyikan_lokal"],
    )
    per_table = perturbation_summary(keyed, published)
    columns = column_suppression(detail, microdata, np.flatnonzero(best.kept))
    count_tables = per_table[per_table["jenis_tabel"] == "jumlah"]
    magnitude_tables = per_table[per_table["jenis_tabel"] == "besaran"]
    count_change = np.concatenate([published[n].astype(np.float64) - keyed[n].value for n in count_tables["tabel"]])
    figures = sdc_releases.report(attack)
    total_values = len(detail) * n_qi
    m = [
        ("k_anonimitas_target", "Target k-anonimitas", "k-anonymity target", K_ANONYMITY),
        ("k_anonimitas_tercapai", "k-anonimitas tercapai (kelas terkecil)", "k-anonymity achieved (smallest class)", k),
        ("l_diversitas_target", "Target l-diversitas", "l-diversity target", L_DIVERSITY),
        (
            "l_diversitas_tercapai",
            "l-diversitas tercapai (nilai diketahui)",
            "l-diversity achieved (known values)",
            l_div,
        ),
        ("jumlah_kuasi_identifier", "Jumlah kuasi-identifier", "Quasi-identifiers", n_qi),
        ("pelaku_register", "Pelaku dalam register", "Actors in the register", len(detail)),
        ("catatan_mikrodata", "Catatan dalam mikrodata", "Records in the microdata", len(microdata)),
        (
            "catatan_dihapus",
            "Catatan dihapus dari mikrodata",
            "Records dropped from the microdata",
            best.records_dropped,
        ),
        ("jumlah_kelas", "Jumlah kelas kesetaraan", "Equivalence classes", len(sizes)),
        (
            "persen_nilai_qi_disembunyikan",
            "Persen nilai kuasi-identifier disembunyikan lokal",
            "Per cent of quasi-identifier values locally suppressed",
            round(100 * best.values_suppressed / max(total_values, 1), 2),
        ),
        (
            "batas_persen_disembunyikan",
            "Batas persen nilai disembunyikan",
            "Ceiling on per cent suppressed",
            100 * MAX_SUPPRESSED_SHARE,
        ),
        (
            "persen_sel_kolom_mikrodata_disembunyikan_maks",
            "Persen sel disembunyikan pada kolom mikrodata yang paling banyak",
            "Per cent of cells suppressed in the most suppressed microdata column",
            float(columns["persen_disembunyikan"].max()) if len(columns) else 0.0,
        ),
        (
            "kehilangan_informasi_persen",
            "Kehilangan informasi (persen)",
            "Information loss (per cent)",
            round(100 * best.loss, 2),
        ),
        (
            "sel_tabel_jumlah",
            "Sel tabel jumlah pelaku",
            "Cells of the count tables",
            int(count_tables["jumlah_sel"].sum()),
        ),
        (
            "sel_tabel_besaran",
            "Sel tabel besaran (omzet, modal, tenaga kerja)",
            "Cells of the magnitude tables (turnover, capital, workers)",
            int(magnitude_tables["jumlah_sel"].sum()),
        ),
        ("persen_sel_diterbitkan", "Persen sel tabel yang diterbitkan", "Per cent of table cells published", 100.0),
        (
            "persen_sel_jumlah_berubah",
            "Persen sel jumlah yang diubah oleh derau",
            "Per cent of count cells the noise changed",
            round(100 * float((count_change != 0).mean()), 2) if len(count_change) else 0.0,
        ),
        (
            "rata_rata_perubahan_mutlak_jumlah",
            "Rata-rata perubahan mutlak sel jumlah (pelaku)",
            "Mean absolute perturbation of a count cell (actors)",
            round(float(np.abs(count_change).mean()), 3) if len(count_change) else 0.0,
        ),
        (
            "rata_rata_perubahan_besaran_persen",
            "Rata-rata perubahan sel besaran (persen dari nilainya)",
            "Mean perturbation of a magnitude cell (per cent of its value)",
            round(float(magnitude_tables["rata_rata_perubahan_persen"].mean()), 2) if len(magnitude_tables) else 0.0,
        ),
        (
            "rilis_dibandingkan",
            "Rilis terdahulu yang diserang",
            "Earlier releases attacked",
            figures["releases_compared"],
        ),
        (
            "rilis_diperkirakan",
            "Rilis terdahulu tanpa catatan pribadinya (diperkirakan)",
            "Earlier releases without their private record (approximated)",
            figures["releases_approximated"],
        ),
        (
            "estimasi_selisih",
            "Estimasi nilai satu pelaku dari selisih dua rilis",
            "Estimates of one actor's amount from the difference of two releases",
            figures["estimates"],
        ),
        (
            "estimasi_selisih_tepat",
            "Estimasi yang tepat (dalam 1%)",
            "Estimates that are exact (within 1%)",
            figures["estimates_exact"],
        ),
        (
            "estimasi_selisih_dekat_persen",
            "Persen estimasi dalam 10% dari nilai sebenarnya",
            "Per cent of estimates within 10% of the true value",
            figures["estimates_close_share"],
        ),
        (
            "tebakan_tanpa_selisih_dekat_persen",
            "Persen tebakan tanpa selisih (rata-rata sel) dalam 10%",
            "Per cent of guesses without differencing (the cell's mean) within 10%",
            figures["naive_close_share"],
        ),
        (
            "baris_tabel_berubah",
            "Baris tabel yang pelakunya berubah sejak rilis terdahulu",
            "Table rows whose actors changed since an earlier release",
            figures["rows_with_changes"],
        ),
        (
            "baris_menunjuk_pelaku",
            "Baris yang hanya menggerakkan sel pelaku yang berubah (harus 0)",
            "Rows that moved only the cells of the actors who changed (must be 0)",
            figures["rows_pointing"],
        ),
        (
            "catatan_mikrodata_dikasarkan_antarrilis",
            "Catatan mikrodata dikasarkan agar selisih dengan rilis terdahulu tetap k-anonim dan l-beragam",
            "Microdata records coarsened so that the differences with earlier releases stay k-anonymous and l-diverse",
            repaired.records_moved if repaired is not None else 0,
        ),
        (
            "catatan_mikrodata_ditahan_antarrilis",
            "Catatan mikrodata ditahan (tidak diterbitkan) karena selisih antarrilis",
            "Microdata records withheld because of the differences between releases",
            repaired.records_withheld if repaired is not None else 0,
        ),
        (
            "kunci_sel_diulang",
            "Kunci baris atau sel yang diulang melawan penyerang",
            "Row or cell keys moved on against the attacker",
            int(sum((r > 0).sum() for r in retries.values())),
        ),
        (
            "lulus",
            "Lulus semua pemeriksaan (1 = ya)",
            "Passed every check (1 = yes)",
            int(k >= K_ANONYMITY and (l_div >= L_DIVERSITY or l_div == 0) and not attack.findings),
        ),
    ]
    risk = pd.DataFrame(m, columns=["metrik", "label_id", "label_en", "nilai"])
    risk["nilai"] = risk["nilai"].astype("float64")
    columns_of = {
        "rilis": "str",
        "baris_baru": "int64",
        "baris_hilang": "int64",
        "kelas_terkecil_baru": "int64",
        "kelas_terkecil_hilang": "int64",
        "catatan_dipindah": "int64",
    }
    differences = repaired.releases if repaired is not None else pd.DataFrame(columns=list(columns_of))
    # A release with no row new or gone is this release itself, rebuilt inside its period: not a comparison.
    differences = differences[(differences["baris_baru"] > 0) | (differences["baris_hilang"] > 0)]
    differences = differences.reset_index(drop=True).astype(columns_of)
    return risk, {
        "ringkasan_risiko": risk,
        "generalisasi": generalisation,
        "ukuran_kelas": histogram,
        "kolom_mikrodata": columns,
        "perturbasi_tabel": per_table,
        "selisih_mikrodata": differences,
        "parameter_ckm": ckm_parameters(),
        "tabel_perturbasi": ptable_frame(),
    }
