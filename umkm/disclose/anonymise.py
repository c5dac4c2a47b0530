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
- The disclosure-risk report (umkm/disclose/disclosure_risk.py): what the microdata, the tables and the gate
  achieved, published with the release.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from umkm.disclose import (
    disclosure_risk,
    sdc_microdata,
    sdc_microdata_releases,
    sdc_releases,
    sdc_specialise,
    sdc_tables,
    tables,
)
from umkm.disclose.sdc_microdata import (
    K_ANONYMITY,
    L_DIVERSITY,
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
    patterns = disclosure_risk.microdata_patterns(microdata)
    risk, risk_tables = disclosure_risk.risk_report(
        detail, microdata, found, keyed, published, retries, attack, patterns, repaired
    )
    failures = [f.message for f in attack.findings] + (repaired.failures if repaired is not None else [])
    k, l_div = disclosure_risk.achieved(microdata, disclosure_risk.class_ids(microdata, patterns)["\x00"], patterns)
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
