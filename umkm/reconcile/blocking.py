"""Normalised rows in, the blocks of each blocking rule out: which rows linkage compares at all.

Only rows that share a NIB, a NIK, an owner name and birth date, an owner name and phone, a
phone and birth date, a business name and kelurahan, ... are compared (BLOCKING_RULES, as
splink blocking rules: splink_rules). A block of more than MAX_BLOCK rows under a rule (a shared
office phone, a common name) is not compared under that rule. The weak keys (WEAK_RULES: a name
or a birth date within a kelurahan, ...) pair a row only with rows whose NIK is unknown, in blocks
of MAX_WEAK_BLOCK rows at most; two more rules find the NIKs mistyped in one part. So the number
of pairs grows with the register, not with its square.

Each rule's block is a number per row (blocks: block_k), found by numbering the values of the
rule's columns in numpy and arrow; a business name blocks also by its distinctive words
(business_core). umkm/reconcile/linkage.py puts the blocks beside the compared columns
(input_table), scores the pairs and clusters them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from umkm.reconcile import business_name
from umkm.reconcile.identity import arrow_array

MAX_BLOCK = 60  # a shared office phone or a common name must not explode into thousands of pairs
MAX_WEAK_BLOCK = 20  # the same for WEAK_RULES: a name shared by more rows in one kelurahan is no lead
# A row has two birth dates: tanggal_lahir (the NIK's, else the typed one) and
# tanggal_lahir_ketik (the typed one, else the NIK's). They differ only where both are known
# and disagree (a digit of the NIK or of the date mistyped); each rule on a birth date is
# there for both, so that a row whose NIK's date is mistyped still meets its other rows.
BLOCKING_RULES = (
    ("nib",),
    ("nik",),
    ("nama_pemilik_key", "tanggal_lahir"),
    ("nama_pemilik_key", "tanggal_lahir_ketik"),
    ("nama_pemilik_key", "phone"),
    ("nama_pemilik_key", "business_core"),
    ("phone", "tanggal_lahir"),
    ("phone", "tanggal_lahir_ketik"),
    ("nama_usaha_key", "kelurahan_code"),
    ("nama_pemilik_key", "kelurahan_code"),
    ("phone",),
    ("business_core", "kelurahan_code"),
    ("business_core", "phone"),
    ("business_core", "tanggal_lahir"),
    ("business_core", "tanggal_lahir_ketik"),
    ("tanggal_lahir", "kelurahan_code"),
    ("tanggal_lahir_ketik", "kelurahan_code"),
    # A NIK mistyped in its region digits, or in its birth-date digits (then the typed birth
    # date, or the same owner name, finds the rows); a typo in the serial leaves the birth
    # date, found with the owner name by rule 3.
    ("nik_birth_serial",),
    ("nama_pemilik_key", "nik_region_serial"),
    ("nik_region_serial", "tanggal_lahir_ketik"),
)
# Parts of a NIK (16 digits): region (1-6), birth date (7-12, day +40 for women), serial (13-16).
_NIK_PARTS = {"nik_birth_serial": ((6, 16),), "nik_region_serial": ((0, 6), (12, 16))}
# Keys that do not point at one person: a name or a birth date shared within a kelurahan,
# a business name shared within a kelurahan, an owner's name with a business's distinctive
# words ("SITI" of "WARUNG BU SITI"). A big register holds many strangers under such keys,
# and two known, different NIKs (-6) outweigh what the key says unless a stronger key (NIK,
# phone, owner name with birth date or phone) is shared too, which another rule finds. So
# these rules pair a row only with rows whose NIK is unknown. (A business's words with its
# KBLI paired 9,000 rows of the demo register to find one pair no other rule found: gone.)
WEAK_RULES = (
    ("nama_pemilik_key", "business_core"),
    ("nama_usaha_key", "kelurahan_code"),
    ("nama_pemilik_key", "kelurahan_code"),
    ("business_core", "kelurahan_code"),
    ("tanggal_lahir", "kelurahan_code"),
    ("tanggal_lahir_ketik", "kelurahan_code"),
)


def business_core(names: pa.Array) -> tuple[pa.DictionaryArray, pa.DictionaryArray]:
    """The distinctive words of each business name of an arrow text array, sorted ("TOKO RESTO
    MAMA" and "RESTO MAMA" meet), and the names, both dictionary-encoded (each distinct name read once)."""
    encoded = pc.dictionary_encode(names)
    codes, cores = pd.factorize(np.array([*map(business_name.core, encoded.dictionary.to_pylist())], dtype=object))
    indices = _int64_array(codes, codes >= 0).take(encoded.indices)
    return pa.DictionaryArray.from_arrays(indices, pa.array(cores, type=pa.string())), encoded


def splink_rules() -> list:
    """splink's blocking rules: block_k of BLOCKING_RULES[k] (see blocks), equal on both sides. Rows without a
    NIK come last in unique_id order, so in a pair with one it is the right side (r)."""
    from splink.blocking_rule_library import CustomRule

    return [
        CustomRule(f"l.block_{k} = r.block_{k}" + ("_nik_unknown" if rule in WEAK_RULES else ""))
        for k, rule in enumerate(BLOCKING_RULES)
    ]


_DENSE = 1 << 22  # integer values spread over at most this range are their own codes (less their minimum)


def _shared(key: np.ndarray) -> np.ndarray:
    """Per value (int64), False where no other value can equal it (it is alone in its hash
    bucket, of about 4 buckets per value)."""
    bits = max(10, int(len(key)).bit_length() + 2)
    bucket = ((key.view(np.uint64) * np.uint64(0x9E3779B97F4A7C15)) >> np.uint64(64 - bits)).astype(np.intp)
    return np.bincount(bucket, minlength=1 << bits)[bucket] > 1


def _factorize(key: np.ndarray) -> np.ndarray:
    """A number per distinct value of `key` (int64), below len(key); pd.factorize on the
    values that may repeat, and a number of their own for the others."""
    shared = _shared(key)
    codes = np.empty(len(key), dtype=np.int64)
    codes[shared] = pd.factorize(key[shared])[0]
    alone = np.flatnonzero(~shared)
    codes[alone] = (int(codes[shared].max()) + 1 if shared.any() else 0) + np.arange(len(alone))
    return codes


def _codes(values) -> np.ndarray:
    """A number (0 or more) per distinct value, -1 for a missing one; below _DENSE or the
    row count, whichever is larger."""
    array = arrow_array(values) if isinstance(values, pd.Series) else values
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    if pa.types.is_timestamp(array.type):  # at midnight (a date): its day number
        day = 86_400 * {"s": 1, "ms": 10**3, "us": 10**6, "ns": 10**9}[array.type.unit]
        array, days = array.cast(pa.int64()), pc.divide(array.cast(pa.int64()), day)
        if pc.all(pc.equal(pc.multiply(days, day), array)).as_py() is not False:
            array = days
    elif pa.types.is_date(array.type):
        array = array.cast(pa.int64() if pa.types.is_date64(array.type) else pa.int32()).cast(pa.int64())
    if pa.types.is_integer(array.type):
        known = array.is_valid().to_numpy(zero_copy_only=False)
        number = array.drop_null().to_numpy()
        codes = np.full(len(array), -1, dtype=np.int64)
        if len(number):
            low, high = int(number.min()), int(number.max())
            codes[known] = number - low if high - low < max(_DENSE, len(array)) else _factorize(number)
        return codes
    return pc.dictionary_encode(array).indices.fill_null(-1).to_numpy().astype(np.int64)


def _int64_array(values: np.ndarray, valid: np.ndarray) -> pa.Array:
    """values (int64) as an arrow array, NULL where not valid (pa.array(values, mask=~valid), without its slow mask)."""
    values = np.ascontiguousarray(values, dtype=np.int64)
    bitmap = np.packbits(valid, bitorder="little")
    return pa.Array.from_buffers(pa.int64(), len(values), [pa.py_buffer(bitmap), pa.py_buffer(values)])


def _nik_parts(nik: pd.Series) -> dict[str, pa.Array]:
    """The NIK parts of _NIK_PARTS as numbers (a normalised NIK is 16 digits)."""
    number = pc.cast(pa.array(nik, from_pandas=True), pa.int64())
    parts = {}
    for name, spans in _NIK_PARTS.items():
        value = pa.scalar(0, pa.int64())
        for start, stop in spans:
            digits = pc.divide(
                pc.subtract(number, pc.multiply(pc.divide(number, 10 ** (16 - start)), 10 ** (16 - start))),
                10 ** (16 - stop),
            )
            value = pc.add(pc.multiply(value, 10 ** (stop - start)), digits)
        parts[name] = value
    return parts


def blocks(
    rows: pd.DataFrame, columns: dict[str, pa.Array], core: pa.DictionaryArray, names: pa.DictionaryArray
) -> tuple[dict[str, pa.Array], dict[str, np.ndarray]]:
    """Per blocking rule k, block_k: a number shared by the rows that agree on the rule's columns, where 2 to
    MAX_BLOCK rows do (NULL elsewhere); for a weak rule also block_k_nik_unknown, the same on the rows without
    a NIK. And the codes (_codes) of the rules' columns, for the caller's own comparisons.

    columns: the rows' columns as arrow arrays (arrow_array), those of the rules among them; core, names: the
    business names' business_core.
    """
    n = len(rows)
    source = {**columns, "nib": arrow_array(rows["nib"]), **_nik_parts(rows["nik"])}
    no_nik = rows["nik"].isna().to_numpy()
    source["nik"] = pc.cast(source["nik"], pa.int64())  # quicker to number than text
    codes = {
        column: _codes(source[column])
        for column in {c for rule in BLOCKING_RULES for c in rule}
        if column not in ("business_core", "nama_usaha_key")
    }
    for column, encoded in (("business_core", core), ("nama_usaha_key", names)):
        codes[column] = encoded.indices.fill_null(-1).to_numpy().astype(np.int64)
    table = {}
    for k, rule in enumerate(BLOCKING_RULES):
        key, known = np.zeros(n, dtype=np.int64), np.ones(n, dtype=bool)
        for column in rule:
            key = key * (int(codes[column].max()) + 2) + codes[column]
            known &= codes[column] >= 0
        where = np.flatnonzero(known)
        if len(rule) == 1:
            block = key[where]
        else:  # rows alone in their hash bucket are alone in their block: not numbered
            where = where[_shared(key[where])]
            block = pd.factorize(key[where])[0]
        sizes = np.bincount(block)
        compared = (sizes[block] >= 2) & (sizes[block] <= (MAX_WEAK_BLOCK if rule in WEAK_RULES else MAX_BLOCK))
        block_k = np.full(n, -1, dtype=np.int64)
        block_k[where[compared]] = block[compared]
        table[f"block_{k}"] = _int64_array(block_k, block_k >= 0)
        if rule in WEAK_RULES:
            table[f"block_{k}_nik_unknown"] = _int64_array(block_k, (block_k >= 0) & no_nik)
    return table, codes
