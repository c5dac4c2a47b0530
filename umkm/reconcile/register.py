"""ODS and OSS export tables in, the register of actors and one decision per input row out.

Steps, top to bottom: normalise every field; set aside the records that are not UMKM
actors (the reason codes of README.md, "Reconciliation"), each with the rule that fired
(umkm/reconcile/exclusions.py), unless staff overruled it in the review workbook; link the remaining
rows into actors (same NIB, same NIK, or strong agreement of name, phone, birth date and
place, under the fixed or a learnt linkage model); merge each cluster into one actor row;
classify its size by PP 7/2021 Pasal 35.

Which source wins when a cluster's rows disagree (also stated on the methodology page):
- OSS for the NIB, the KBLI code and the legal data (it is the licensing record);
- the freshest ODS row (latest tanggal_input) for contact, marketing, training, grant,
  turnover and workforce data (the office updates those by hand);
- otherwise the first non-empty value in the order OSS, then ODS by freshness.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pandas.api.extensions import take

from umkm.ingest.exports import ExportTable
from umkm.reconcile import exclusions, identity, linkage, linkage_model, normalise
from umkm.reference import Reference
from umkm.vocabulary import SENTRA_CODES, SIZE_CLASSES, SIZE_CODES

# Usaha Ultra Mikro is not a PP 7/2021 class: it is the Ministry of Finance's UMi financing
# target, micro businesses needing at most Rp20 million (PMK 193/2020). We flag micro
# actors whose capital is at most that ceiling.
ULTRA_MIKRO_MAX_MODAL = 20_000_000


@dataclass(frozen=True)
class Reconciled:
    register: pd.DataFrame  # one row per actor
    decisions: pd.DataFrame  # source, source_row, actor_id, status, reason
    rows: pd.DataFrame  # every input row, normalised (private; the review workbook and quality report use it)
    pairs: pd.DataFrame  # scored candidate pairs (row indexes a, b of `rows`), for the review workbook
    id_map: pd.DataFrame  # fingerprint -> actor_id, kept privately for the next run
    model: linkage_model.Model = linkage_model.FIXED  # the weights the pairs were scored with
    proposed_model: linkage_model.Model | None = None  # learnt from these rows, when asked


def reconcile(
    ods: ExportTable,
    oss: ExportTable,
    reference: Reference,
    *,
    previous_ids: dict[str, str] | None = None,
    staff_decisions: pd.DataFrame | None = None,
    snapshot=None,
    today=None,
    exclusion_overrides: pd.DataFrame | None = None,
    model: linkage_model.Model = linkage_model.FIXED,
    propose_model: bool = False,
    use_proposed: bool = False,
    min_training_rows: int | None = None,
) -> Reconciled:
    """previous_ids: the last run's fingerprint -> actor id map; staff_decisions: rows
    fingerprint_a, fingerprint_b, keputusan ("sama" or "beda") that staff decided in the review;
    exclusion_overrides: rows fingerprint, keputusan (exclusions.ACTOR_WORD or a reason code) with which
    staff overruled why a row was set aside (or not).
    snapshot: the release's snapshot date: a row entered after it (ODS tanggal_input, OSS tgl_terbit_nib) waits
    for a later release (status "deferred", reason "setelah_tanggal_data"); today: the build date: a date after
    it cannot be true (a typo such as 2099), so it defers nothing (umkm/ingest/input_summary.py reports it).
    model: the linkage weights (linkage_model); propose_model: also learn a model from the rows
    to link, when there are at least min_training_rows of them (default
    linkage_model.MIN_TRAINING_ROWS); use_proposed: link with that model (when one was learnt)
    instead of `model`."""
    # Normalise.
    ods_rows = _normalise_ods(ods.frame, reference)
    oss_rows = _normalise_oss(oss.frame, reference)
    rows = pd.concat([ods_rows, oss_rows], ignore_index=True)
    rows["fingerprint"] = identity.fingerprints(rows)

    # Classify records that are not actors (and obey the staff's overrides), and set aside those entered after
    # the snapshot date (whatever else they are: a later release classifies them).
    rows["reason"], rows["exclusion_rule"] = exclusions.set_aside(rows, exclusion_overrides)
    if snapshot is not None:
        entered = rows["tanggal_input"].dt.normalize()
        later = entered.gt(pd.Timestamp(snapshot).normalize())
        if today is not None:
            later &= entered.le(pd.Timestamp(today).normalize())
        later = later.fillna(False).to_numpy(dtype=bool)
        rows.loc[later, "reason"] = exclusions.DEFERRED

    # Link.
    proposed = None
    if propose_model or use_proposed:
        to_link = rows.loc[rows["reason"].eq(""), list(linkage.INPUT_COLUMNS)].reset_index(drop=True)
        if len(to_link) >= (linkage_model.MIN_TRAINING_ROWS if min_training_rows is None else min_training_rows):
            proposed = linkage_model.train(to_link)
        del to_link
    if use_proposed and proposed is not None:
        model = proposed
    rows["cluster"], pairs = _link(rows, staff_decisions, model)

    # Merge and classify size.
    register = _merge_clusters(rows, previous_ids or {})
    decisions = _decisions(rows, register)
    members = rows["reason"].eq("")
    actor_of_row = rows.loc[members, "cluster"].map(register.set_index("_cluster")["actor_id"])
    id_map = identity.id_map(rows.loc[members, "fingerprint"], actor_of_row, previous_ids or {})
    return Reconciled(
        register=register,
        decisions=decisions,
        rows=rows,
        pairs=pairs,
        id_map=id_map,
        model=model,
        proposed_model=proposed,
    )


def _text(frame: pd.DataFrame, column: str) -> pd.Series:
    return frame[column].fillna("").astype(str).str.strip()


def _identity_columns(
    frame: pd.DataFrame, nik: pd.DataFrame, phone: pd.DataFrame, region: pd.DataFrame, kbli: pd.DataFrame
) -> dict[str, pd.Series]:
    """The normalised identifying and classifying columns both sources share."""
    return {
        "nik": nik["nik"],
        "nik_status": nik["nik_status"],
        "nib": normalise.normalise_nib(frame["nib"]),
        "phone": phone["phone"],
        "phone_status": phone["phone_status"],
        "email": _text(frame, "email").str.lower().replace("", pd.NA),
        "kelurahan_code": region["kelurahan_code"],
        "kecamatan_code": region["kecamatan_code"],
        "region_status": region["region_status"],
        "kbli": kbli["kbli"],
        "kbli_kategori": kbli["kbli_kategori"],
        "kbli_status": kbli["kbli_status"],
    }


def _normalise_ods(frame: pd.DataFrame, reference: Reference) -> pd.DataFrame:
    nik = normalise.normalise_nik(frame["nik"])
    parts = normalise.nik_parts(nik["nik"])
    phone = normalise.normalise_phone(frame["no_hp"])
    region = normalise.normalise_region(frame["kelurahan"], frame["kecamatan"], frame["kabupaten_kota"], reference)
    kbli = normalise.normalise_kbli(frame["kbli"], frame["bidang_usaha"], reference)
    birth = normalise.parse_date(frame["tanggal_lahir"])
    sex = normalise.normalise_sex(frame["jenis_kelamin"])
    out = pd.DataFrame(
        {
            "source": "ods",
            "source_row": frame["source_row"].astype("int64"),
            "tanggal_input": normalise.parse_date(frame["tanggal_input"]),
            "nama_usaha_key": normalise.normalise_name(frame["nama_usaha"]),
            "nama_pemilik_key": normalise.normalise_person_name(frame["nama_pemilik"]),
            **_identity_columns(frame, nik, phone, region, kbli),
            # Both birth dates are kept: the one in the NIK first (tanggal_lahir), the one typed
            # first (tanggal_lahir_ketik). Either may be the mistyped one (a digit of the NIK's
            # date, a day and month swapped): linkage compares and blocks on both, the register
            # takes the date most of an actor's rows give, and the review lists the rows whose
            # two dates disagree.
            "tanggal_lahir": parts["nik_birth_date"].fillna(birth),
            "tanggal_lahir_ketik": birth.fillna(parts["nik_birth_date"]),
            "tanggal_lahir_beda": parts["nik_birth_date"].notna() & birth.notna() & (parts["nik_birth_date"] != birth),
            "jenis_kelamin": parts["nik_sex"].fillna(sex),
            "jenis_kelamin_conflict": parts["nik_sex"].notna() & sex.notna() & (parts["nik_sex"] != sex),
            "status_badan_usaha": _text(frame, "status_badan_usaha").str.upper(),
            "modal_usaha": normalise.parse_money(frame["modal_usaha"]),
            "omzet_per_tahun": normalise.parse_money(frame["omzet_per_tahun"]),
            "aset": normalise.parse_money(frame["aset"]),
            "tenaga_kerja": normalise.parse_int(frame["tenaga_kerja"]),
            # A year ("2019", "Thn 2019"), or a full date typed where a year was asked for.
            "tahun_mulai": normalise.parse_int(frame["tahun_mulai"]).fillna(
                normalise.parse_date(frame["tahun_mulai"]).dt.year.astype("Int64")
            ),
            "masih_aktif": _active(frame["status_usaha"]),
            "pemasaran_online": normalise.parse_bool(frame["pemasaran_online"]),
            "pelatihan": normalise.parse_bool(frame["pelatihan"]),
            "bantuan_modal": _grant(frame["bantuan_modal"]),
            "sentra": _sentra(frame["sentra"]),
            "skala_oss": pd.Series(pd.NA, index=frame.index, dtype="string"),
        }
    )
    # A marketplace named counts as selling online even where the yes/no column is blank.
    marketplace = _text(frame, "marketplace").str.upper().str.strip(" -")
    out["pemasaran_online"] = out["pemasaran_online"].mask(out["pemasaran_online"].isna() & (marketplace != ""), True)
    return out


def _normalise_oss(frame: pd.DataFrame, reference: Reference) -> pd.DataFrame:
    nik = normalise.normalise_nik(frame["nik"])
    parts = normalise.nik_parts(nik["nik"])
    phone = normalise.normalise_phone(frame["no_telp"])
    region = normalise.region_from_kd_daerah(frame["kd_daerah"], reference)
    empty = pd.Series("", index=frame.index, dtype="string")
    kbli = normalise.normalise_kbli(frame["kbli"], empty, reference)
    workers = normalise.parse_int(frame["jumlah_tki_l"]).fillna(0) + normalise.parse_int(frame["jumlah_tki_p"]).fillna(
        0
    )
    na_bool = pd.Series(pd.NA, index=frame.index, dtype="boolean")
    jenis = _text(frame, "jenis_pelaku_usaha").str.upper()
    return pd.DataFrame(
        {
            "source": "oss",
            "source_row": frame["source_row"].astype("int64"),
            "tanggal_input": normalise.parse_date(frame["tgl_terbit_nib"]),
            "nama_usaha_key": normalise.normalise_name(frame["nama_pelaku_usaha"]).where(
                ~jenis.str.contains("PERSEORANGAN"), pd.NA
            ),
            "nama_pemilik_key": normalise.normalise_person_name(frame["nama_pelaku_usaha"]).where(
                jenis.str.contains("PERSEORANGAN") | (jenis == ""), pd.NA
            ),
            **_identity_columns(frame, nik, phone, region, kbli),
            "tanggal_lahir": parts["nik_birth_date"],
            "tanggal_lahir_ketik": parts["nik_birth_date"],  # OSS has no typed birth date
            "tanggal_lahir_beda": pd.Series(False, index=frame.index),
            "jenis_kelamin": parts["nik_sex"],
            "jenis_kelamin_conflict": pd.Series(False, index=frame.index),
            "status_badan_usaha": jenis,
            "modal_usaha": normalise.parse_money(frame["jumlah_investasi"]),
            "omzet_per_tahun": pd.Series(pd.NA, index=frame.index, dtype="Int64"),
            "aset": pd.Series(pd.NA, index=frame.index, dtype="Int64"),
            "tenaga_kerja": workers.astype("Int64"),
            "tahun_mulai": normalise.parse_date(frame["tgl_terbit_nib"]).dt.year.astype("Int64"),
            "masih_aktif": na_bool,
            "pemasaran_online": na_bool,
            "pelatihan": na_bool,
            "bantuan_modal": na_bool,
            "sentra": pd.Series(pd.NA, index=frame.index, dtype="string"),
            "skala_oss": _text(frame, "skala_usaha")
            .str.upper()
            .str.replace("USAHA ", "", regex=False)
            .str.lower()
            .replace("", pd.NA),
        }
    )


def _active(status: pd.Series) -> pd.Series:
    text = status.fillna("").astype(str).str.strip().str.upper()
    result = pd.Series(pd.NA, index=status.index, dtype="boolean")
    result[text.str.contains(r"TIDAK|TUTUP|NON|BERHENTI|VAKUM|MATI", regex=True)] = False
    result[text.str.fullmatch(r"AKTIF|MASIH AKTIF|BEROPERASI|JALAN|BUKA|YA|Y|1")] = True
    return result


def _grant(value: pd.Series) -> pd.Series:
    # The grant column holds yes/no or the amount received ("Rp300.000").
    as_bool = normalise.parse_bool(value)
    amount = normalise.parse_money(value)
    return as_bool.mask(as_bool.isna() & amount.notna(), amount.gt(0).astype("boolean"))


def _sentra(value: pd.Series) -> pd.Series:
    text = value.fillna("").astype(str).str.upper()
    result = pd.Series(pd.NA, index=value.index, dtype="string")
    somber, teritip = SENTRA_CODES
    result[text.str.contains("SOMBER|TAHU TEMPE|SIKS|KIKS", regex=True)] = somber
    result[text.str.contains("TERITIP|TETIRIP|SIKT", regex=True)] = teritip
    return result


def _link(
    rows: pd.DataFrame, staff_decisions: pd.DataFrame | None, model: linkage_model.Model
) -> tuple[pd.Series, pd.DataFrame]:
    """Cluster per row: linkage over the rows that are actors; each excluded row stays alone."""
    members = np.flatnonzero(rows["reason"].eq("").to_numpy())
    must, cannot = [], []
    if staff_decisions is not None and len(staff_decisions):
        position = pd.Series(np.arange(len(members)), index=rows["fingerprint"].to_numpy()[members])
        position = position[~position.index.duplicated()]
        for a, b, decision in staff_decisions[["fingerprint_a", "fingerprint_b", "keputusan"]].itertuples(index=False):
            if a in position.index and b in position.index:
                (must if decision == "sama" else cannot).append((int(position[a]), int(position[b])))
    labels, pairs = linkage.link(
        rows[list(linkage.INPUT_COLUMNS)].iloc[members].reset_index(drop=True),
        model=model,
        must_link=must,
        cannot_link=cannot,
    )
    cluster = np.arange(len(rows)) + len(rows)  # excluded rows: a cluster of their own
    cluster[members] = members[labels]
    pairs = pairs.assign(a=members[pairs["i"].to_numpy()], b=members[pairs["j"].to_numpy()]).drop(columns=["i", "j"])
    return pd.Series(cluster, index=rows.index), pairs


def size_class(modal: pd.Series, omzet: pd.Series, skala_oss: pd.Series) -> pd.Series:
    """PP 7/2021 Pasal 35: sales decide for running businesses, capital where sales are unknown."""
    omzet_class = pd.Series(
        np.select([omzet.le(s.max_omzet).fillna(False) for s in SIZE_CLASSES], list(SIZE_CODES), default=""),
        index=omzet.index,
    ).where(omzet.notna(), "")
    modal_class = pd.Series(
        np.select([modal.le(s.max_modal).fillna(False) for s in SIZE_CLASSES], list(SIZE_CODES), default=""),
        index=modal.index,
    ).where(modal.notna(), "")
    oss_class = skala_oss.fillna("").where(skala_oss.fillna("").isin(list(SIZE_CODES)), "")
    result = omzet_class.where(omzet_class != "", modal_class)
    result = result.where(result != "", oss_class)
    # Nothing known: the register is overwhelmingly micro, but we say unknown, not guess.
    return result.replace("", pd.NA).astype("string")


def _first_valid(values: pd.Series, order: np.ndarray, group: np.ndarray, n_groups: int) -> np.ndarray:
    """Per group (0 .. n_groups - 1), the position of the first non-missing value of `values`
    in `order` (row positions; group[k] is the group of order[k], non-decreasing); -1 where
    the group has none."""
    valid = values.notna().to_numpy()[order]
    rows, groups = order[valid], group[valid]
    first = np.r_[True, groups[1:] != groups[:-1]] if len(groups) else np.zeros(0, dtype=bool)
    position = np.full(n_groups, -1, dtype=np.int64)
    position[groups[first]] = rows[first]
    return position


def _birth_by_vote(rows: pd.DataFrame, order: np.ndarray, group: np.ndarray, n_groups: int) -> np.ndarray:
    """Per group (as in _first_valid), the birth date most of its rows give: each row votes once
    for each of its dates (the NIK's and the typed one); a tie goes to the row first in `order`,
    and within a row to the NIK's date. NaT where no row gives a date."""
    rank = np.arange(len(order))
    votes = (
        pd.DataFrame(
            {
                "group": np.r_[group, group],
                "date": np.r_[rows["tanggal_lahir"].to_numpy()[order], rows["tanggal_lahir_ketik"].to_numpy()[order]],
                "row": np.r_[rank, rank],
                "first": np.r_[2 * rank, 2 * rank + 1],  # the NIK's date (tanggal_lahir) before the typed one
            }
        )
        .dropna(subset=["date"])
        .drop_duplicates(["row", "date"])
    )  # a row whose dates agree votes once
    tally = votes.groupby(["group", "date"], sort=False).agg(n=("row", "size"), first=("first", "min")).reset_index()
    best = tally.sort_values(["group", "n", "first"], ascending=[True, False, True], kind="stable").drop_duplicates(
        "group"
    )
    birth = np.full(n_groups, np.datetime64("NaT"), dtype="datetime64[ns]")
    birth[best["group"].to_numpy()] = best["date"].to_numpy(dtype="datetime64[ns]")
    return birth


def _gather(values: pd.Series, position: np.ndarray):
    """values at `position` (row positions; -1: missing), an array of the same dtype."""
    if isinstance(values.dtype, pd.StringDtype) and values.dtype.storage == "pyarrow":
        data = pa.array(values.array)
        chunks = data.chunks if isinstance(data, pa.ChunkedArray) else [data]
        # A missing value points at a null appended: arrow takes much quicker without null indices.
        data = pa.concat_arrays([*chunks, pa.nulls(1, data.type)])
        return pd.array(data.take(np.where(position < 0, len(values), position)), dtype=values.dtype)
    return take(values.array, position, allow_fill=True)


def _concat(*parts) -> pa.Array:
    """The texts (arrow arrays or str) joined row by row; missing where a part is."""
    return pc.binary_join_element_wise(
        *[pa.scalar(p, pa.large_string()) if isinstance(p, str) else p.cast(pa.large_string()) for p in parts],
        pa.scalar("", pa.large_string()),
    )


def _merge_clusters(rows: pd.DataFrame, previous_ids: dict[str, str]) -> pd.DataFrame:
    member = np.flatnonzero(rows["reason"].eq("").to_numpy())  # positions in rows
    cluster = rows["cluster"].to_numpy()[member]
    is_ods = rows["source"].eq("ods").to_numpy()[member]
    source_row = rows["source_row"].to_numpy()[member]
    fresh = rows["tanggal_input"].fillna(pd.Timestamp("1900-01-01")).to_numpy().view(np.int64)[member]
    # Priority: OSS first, then ODS from the freshest input date; ties by row order.
    by_priority = np.lexsort((source_row, -fresh, is_ods, cluster))
    order, sorted_cluster = member[by_priority], cluster[by_priority]
    new_group = np.r_[True, sorted_cluster[1:] != sorted_cluster[:-1]] if len(order) else np.zeros(0, dtype=bool)
    labels = sorted_cluster[new_group]  # the clusters, ascending
    group = np.cumsum(new_group) - 1  # of order[k], 0 .. len(labels) - 1
    n_groups = len(labels)
    ods_sorted = is_ods[by_priority]
    ods_order, ods_group = order[ods_sorted], group[ods_sorted]

    oss_fields = [
        "nib",
        "kbli",
        "kbli_kategori",
        "skala_oss",
        "status_badan_usaha",
        "nik",
        "tanggal_lahir",
        "jenis_kelamin",
        "kelurahan_code",
        "kecamatan_code",
        "modal_usaha",
    ]
    ods_fields = [
        "phone",
        "email",
        "omzet_per_tahun",
        "aset",
        "tenaga_kerja",
        "tahun_mulai",
        "masih_aktif",
        "pemasaran_online",
        "pelatihan",
        "bantuan_modal",
        "sentra",
        "nama_pemilik_key",
        "nama_usaha_key",
    ]
    positions = {}  # per field, the row each cluster takes its value from (-1: none)
    for column in oss_fields + ods_fields:
        position = _first_valid(rows[column], order, group, n_groups)
        if column in ods_fields:  # the freshest ODS value, else the first in the general order
            ods_position = _first_valid(rows[column], ods_order, ods_group, n_groups)
            position = np.where(ods_position >= 0, ods_position, position)
        positions[column] = position
    has_ods = np.zeros(n_groups, dtype=bool)
    has_ods[ods_group] = True
    has_oss = np.zeros(n_groups, dtype=bool)
    has_oss[group[~ods_sorted]] = True
    # Each actor's rows as "source:row", sorted by source then row.
    by_tag = np.lexsort((source_row, ~is_ods, cluster))  # "ods" sorts before "oss"
    tags = _concat(
        pc.if_else(pa.array(is_ods[by_tag]), "ods:", "oss:"), pc.cast(pa.array(source_row[by_tag]), pa.string())
    )
    starts = np.flatnonzero(new_group)  # the clusters have as many rows in either order
    ends = np.r_[starts[1:], len(tags)]
    joined = pc.binary_join(
        pa.LargeListArray.from_arrays(pa.array(np.r_[starts, len(tags)]), tags), pa.scalar(";", pa.large_string())
    )
    # The anchor of an actor's id: its NIB, else its NIK, else its first source row.
    # One owner (NIK) may run several businesses, so the NIK anchor carries the business name.
    nib, nik, business = (
        identity.arrow_array(_gather(rows[c], positions[c]), pa.large_string())
        for c in ("nib", "nik", "nama_usaha_key")
    )
    anchor = pc.coalesce(
        _concat("nib:", nib),
        _concat("nik:", nik, "|", business.fill_null("")),
        _concat("row:", tags.take(pa.array(starts))),
    )
    actor_id = identity.assign_ids(
        rows["cluster"].iloc[member],
        rows["fingerprint"].iloc[member],
        pd.Series(pd.array(anchor, dtype="string"), index=pd.Index(labels, name="cluster")),
        previous_ids,
    )
    # The register is sorted by actor id: each column is gathered once, in that order.
    by_id = actor_id.reset_index(drop=True).sort_values(kind="stable").index.to_numpy()
    register = pd.DataFrame(
        {
            "_cluster": labels[by_id],
            **{column: _gather(rows[column], positions[column][by_id]) for column in oss_fields + ods_fields},
            "sumber": np.select([has_ods & has_oss, has_oss], ["ods+oss", "oss"], default="ods")[by_id],
            "source_rows": pd.array(joined.take(by_id), dtype="str"),
            "n_rows": (ends - starts)[by_id],
            "actor_id": actor_id.array.take(by_id),
            # The earliest date any of its rows was entered (ODS) or its NIB issued (OSS): when it joined.
            "tanggal_terdaftar": rows["tanggal_input"]
            .iloc[member]
            .groupby(cluster)
            .min()
            .reindex(labels[by_id])
            .to_numpy(),
        }
    )
    register["tanggal_lahir"] = _birth_by_vote(rows, order, group, n_groups)[by_id]
    register["skala_usaha"] = size_class(register["modal_usaha"], register["omzet_per_tahun"], register["skala_oss"])
    register["ultra_mikro"] = (
        register["skala_usaha"].eq(SIZE_CODES[0]) & register["modal_usaha"].le(ULTRA_MIKRO_MAX_MODAL)
    ).astype("boolean")
    assert register["actor_id"].is_unique, "two clusters share an anchor: linkage is inconsistent"
    return register


def _decisions(rows: pd.DataFrame, register: pd.DataFrame) -> pd.DataFrame:
    cluster_to_actor = register.set_index("_cluster")["actor_id"]
    members = rows["reason"].eq("").to_numpy()
    actor = rows["cluster"].map(cluster_to_actor).where(members, pd.NA)
    # The row that represents the actor is the one its fields come from first: OSS, else the first ODS row.
    cluster = rows["cluster"].to_numpy()
    order = np.lexsort((rows["source_row"].to_numpy(), rows["source"].ne("oss").to_numpy(), cluster))
    is_first = np.zeros(len(rows), dtype=bool)
    is_first[order[np.r_[True, cluster[order][1:] != cluster[order][:-1]]]] = True
    status = np.where(
        ~members,
        np.where(rows["reason"].eq(exclusions.DEFERRED), "deferred", "excluded"),
        np.where(is_first, "actor", "duplicate"),
    )
    decisions = pd.DataFrame(
        {
            "source": rows["source"],
            "source_row": rows["source_row"],
            "actor_id": actor.fillna(""),
            "status": status,
            "reason": rows["reason"].fillna(""),
        }
    )
    by_row = np.lexsort((rows["source_row"].to_numpy(), rows["source"].eq("oss").to_numpy()))
    return decisions.iloc[by_row].reset_index(drop=True)
