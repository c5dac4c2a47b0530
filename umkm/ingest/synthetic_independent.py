"""Reference data in, a second synthetic register out (ODS export, OSS export, truth), with its own noise model.

umkm/ingest/synthetic.py made the register the linkage model was tuned on. A model tuned on one
generator learns that generator's habits, so this module was written separately, without
its code, lists or rates: other names (Banjar, Bugis, Kutai, Toraja, Chinese-Indonesian,
with "bin"/"binti" and the father's name on some rows only), other businesses, other typo
kinds, other missing-field rates, other ways Excel mangles a NIK, people who moved to another
kelurahan, and business names reworded between rows. Both generators give the same files
(SyntheticRegister: ods, oss, truth) and are scored the same way (umkm.reconcile.score). The word lists
are in synthetic_independent_words.py, the clean entities and the seeded source they are drawn from in
synthetic_independent_world.py, the noise rates and the noisy cells in synthetic_independent_noise.py; the
rows and the register are here.

    python -m umkm.ingest.synthetic_independent --out /tmp/register-b [--seed N] [--rows N] [--noise X]

Same arguments give byte-identical files. Rates are per row at noise 1 and scale with noise
(capped at 0.9); noise 0 gives rows in clean formats, still with their duplicates.

Register (at 59,000 ODS rows; counts scale with the rows)
* 46,000 actors in ODS, 9,870 duplicate rows of them (an actor has 1 + Poisson(0.21) rows; a
  duplicate is entered later), 3,130 rows that are not actors: bukan_usaha 1,300, luar_wilayah
  700, badan_lain 520, usaha_besar 230, tidak_valid 380.
* OSS: 35% of ODS actors hold a NIB, plus 3,500 actors known to OSS only; 10% of NIBs have a
  second row for a second KBLI; 500 OSS rows outside Balikpapan, 250 large companies (PT ... Tbk
  among them) and 150 cooperatives and state or regional enterprises.
* 2.5% of actors share their owner with another actor (one person, two businesses); 1.5% of
  people share a phone with someone else; 55% of owners are women.

Noise on every row
* nama_pemilik: upper case 35%, honorific (Hj./H./Ibu/Pak/Acil/Daeng) 10%, "binti"/"bin" and
  the father's name on the rows of the 25% of Muslim owners who use it, in half of their rows.
* nik: blank 8%; Excel with an Indonesian locale: "6,47106E+15" 1.5%; seven significant digits
  "6.471064E+15" 0.5%; cut to 15 digits 0.5%; a number format with thousands dots, the 16th
  digit lost ("6.471.064.211.790.010") 1%; "NIK " written before it 0.5%; a trailing space 2%.
* tanggal_lahir: DD-MM-YYYY, D/M/YYYY, DD.MM.YYYY, "15 Maret 1985", YYYY-MM-DD; the place of
  birth before it ("Balikpapan, 15-03-1985") 3%; blank 10%; day and month swapped 1%.
* no_hp: 08..., "0812-5000-1111", "62812...", "+62 812 ..."; "(WA)" after it 1%; blank 12%.
* kelurahan: reference name, upper case, "Kel. X", "Kelurahan X", one letter dropped 2%,
  blank 4%; kecamatan blank 10%; kabupaten_kota blank 8%.

Noise on duplicate rows, on top (per duplicate row)
* owner name: a letter replaced by its keyboard neighbour 5%, a vowel dropped 4%, a letter
  doubled or undoubled 3%, old spelling (oe/u, dj/j, tj/c) 2%, two words joined or split 2%,
  the last word cut short 2%, first and last names swapped 1%.
* business name reworded 20% (the kind of place renamed: Warung Makan / Rumah Makan / RM /
  Depot, Toko / Tk. / Kios, Laundry / Laundri; the kind dropped; "Balikpapan" or the kelurahan
  added; the kind put after the name; "UD" or "Usaha" before it), a typo 5%.
* nik: one digit replaced 3%, two neighbouring digits swapped 2%, a digit of the birth date
  replaced 2% (the typed birth date stays right); blank 5% more.
* moved: 6% of the actors with more than one row moved between them: 70% of their later rows
  give another kelurahan and address, half of those another phone (OSS holds the newest place).
* phone changed 10%, birth date blank 5% more.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date, timedelta
from pathlib import Path

import pandas as pd

from umkm.ingest.exports import ODS_COLUMNS, OSS_COLUMNS
from umkm.ingest.synthetic import DEFAULT_SNAPSHOT, MIN_ODS_ROWS, SyntheticRegister, summary, write
from umkm.ingest.synthetic_independent_noise import (
    RATES,
    date_cell,
    kelurahan_cell,
    mistyped_nik,
    money,
    nik_cell,
    owner_name,
    phone_cell,
    reworded,
    typo,
)
from umkm.ingest.synthetic_independent_words import BRANDS, KINDS, OUTSIDE
from umkm.ingest.synthetic_independent_world import Actor, Maker

DEFAULT_SEED = 77
BASE_ROWS = 59_000
BASE = {
    "actors": 46_000,
    "oss_only": 3_500,
    "bukan_usaha": 1_300,
    "luar_wilayah": 700,
    "badan_lain": 520,
    "usaha_besar": 230,
    "tidak_valid": 380,
    "oss_luar_wilayah": 500,
    "oss_usaha_besar": 250,
    "oss_badan_lain": 150,
}
NIB_SHARE, SECOND_KBLI, SHARED_OWNER, SHARED_PHONE = 0.35, 0.10, 0.025, 0.015


# --------------------------------------------------------------------------------------------
# Rows
# --------------------------------------------------------------------------------------------


def _ods_row(m: Maker, actor: Actor, entered: date, duplicate: bool) -> dict[str, str]:
    rnd, owner = m.random, actor.owner
    moved = duplicate and actor.moved_to is not None and rnd.random() < 0.7
    kelurahan = actor.moved_to if moved and actor.moved_to is not None else actor.kelurahan
    nik = owner.nik
    if duplicate:
        nik = "" if m.rate("dup_nik_blank") else mistyped_nik(m, nik)
    business = actor.business
    if duplicate and m.rate("reword"):
        business = reworded(m, actor, kelurahan)
    if duplicate:
        business = typo(m, business) if m.rate("business_typo") else business
    phone = m.phone() if duplicate and (moved and rnd.random() < 0.5 or m.rate("phone_changed")) else owner.phone
    birth_blank = m.rate("birth_blank") or duplicate and m.rate("dup_birth_blank")
    shown_nib = actor.nib if actor.nib_date and entered >= actor.nib_date and rnd.random() < 0.5 else ""
    return {
        "tanggal_input": date_cell(m, entered, birth=False),
        "nama_usaha": business.upper() if m.rate("upper") else business,
        "nama_pemilik": owner_name(m, owner, duplicate),
        "nik": nik_cell(m, nik),
        "jenis_kelamin": m.pick(
            ("P", "Perempuan", "PEREMPUAN", "Wanita", "Pr")
            if owner.woman
            else ("L", "Laki-laki", "LAKI-LAKI", "Pria", "Lk")
        )
        if rnd.random() > 0.05
        else "",
        "tanggal_lahir": "" if birth_blank else date_cell(m, owner.birth, birth=True),
        "no_hp": phone_cell(m, phone),
        "email": "",
        "alamat": actor.moved_address if moved else actor.address,
        "rt": str(rnd.randint(1, 60)) if rnd.random() < 0.6 else "",
        "rw": "",
        "kelurahan": kelurahan_cell(m, kelurahan),
        "kecamatan": ""
        if m.rate("kec_blank")
        else m.pick(
            (m.kel_kec[kelurahan], m.kel_kec[kelurahan].upper(), m.kel_kec[kelurahan].replace("Balikpapan", "Bpp"))
        ),
        "kabupaten_kota": "" if m.rate("kota_blank") else m.pick(("Balikpapan", "Kota Balikpapan", "BALIKPAPAN")),
        "nib": shown_nib,
        "bidang_usaha": KINDS[actor.kind][0],
        "kbli": actor.kbli if rnd.random() < 0.7 else "",
        "produk_utama": "",
        "status_badan_usaha": actor.badan if rnd.random() < 0.85 else "",
        "modal_usaha": money(m, actor.modal) if rnd.random() < 0.9 else "",
        "omzet_per_tahun": money(m, actor.omzet) if rnd.random() < 0.92 else "",
        "aset": "",
        "tenaga_kerja": str(actor.workers) if rnd.random() < 0.9 else "",
        "tahun_mulai": str(rnd.randint(2005, m.snapshot.year)) if rnd.random() < 0.8 else "",
        "status_usaha": m.pick(("Aktif", "aktif", "Masih Aktif", "Tidak Aktif")),
        "pemasaran_online": m.pick(("Ya", "Tidak", "ya", "tidak", "")),
        "marketplace": "",
        "pelatihan": m.pick(("Ya", "Tidak", "")),
        "bantuan_modal": m.pick(("Ya", "Tidak", "", "Rp300.000")),
        "sentra": "",
    }


def _not_actor_row(m: Maker, reason: str, entered: date) -> dict[str, str]:
    """An ODS row that is not a UMKM actor, for `reason`, in this generator's own words."""
    rnd = m.random
    stand_in = m.actor(0)
    row = _ods_row(m, stand_in, entered, duplicate=False)
    row["nib"] = ""
    if reason == "bukan_usaha":
        row["nama_usaha"] = m.pick(
            (
                "",
                "-",
                "belum ada usaha",
                "Belum Punya Usaha",
                "masih rencana usaha",
                "Rencana buka warung",
                "tidak ada",
                "BELUM ADA",
                "Peserta Pelatihan",
                "--",
            )
        )
        row["omzet_per_tahun"] = m.pick(("", "0", "-"))
        row["modal_usaha"] = m.pick(("", "0"))
        row["kbli"] = row["bidang_usaha"] = ""
    elif reason == "luar_wilayah":
        names, prefix, places = m.pick(OUTSIDE)
        row["kabupaten_kota"] = m.pick(names)
        row["kelurahan"] = m.pick(places)
        row["kecamatan"] = m.pick(("", names[-1]))
        birth = stand_in.owner.birth
        row["nik"] = (
            m.nik(prefix + f"{rnd.randint(1, 9):02d}", birth, stand_in.owner.woman)
            if rnd.random() < 0.8
            else row["nik"]
        )
    elif reason == "badan_lain":
        brand = m.pick(BRANDS)
        row["nama_usaha"] = m.pick(
            (
                f"Koperasi Serba Usaha {brand}",
                f"KSU {brand}",
                f"Koperasi Wanita {brand}",
                f"Kopwan {brand}",
                f"Yayasan {brand}",
                f"Perumda {brand}",
                f"PT {brand} Nusantara (Persero)",
                f"UPT Dinas {brand}",
                f"Koperasi Konsumen {brand}",
                f"BUMD Balikpapan {brand}",
                f"Koperasi Pondok Pesantren {brand}",
            )
        )
        row["status_badan_usaha"] = m.pick(("Koperasi", "", "Yayasan", "BUMD", ""))
    elif reason == "usaha_besar":
        big = m.actor(0, size="besar")
        row["nama_usaha"] = m.pick(
            (
                f"PT {m.pick(BRANDS)} Tbk",
                f"PT. {m.pick(BRANDS).upper()} SEJAHTERA TBK",
                f"PT {m.pick(BRANDS)} Indah",
                f"CV {m.pick(BRANDS)} Abadi",
            )
        )
        row["status_badan_usaha"] = "PT" if row["nama_usaha"].upper().startswith("PT") else "CV"
        row["omzet_per_tahun"] = money(m, big.omzet)
        row["modal_usaha"] = money(m, big.modal)
    elif reason == "tidak_valid":
        kind = rnd.random()
        if kind < 0.4:
            row["nama_usaha"] = m.pick(("percobaan", "Data Uji", "tes tes", "contoh data", "TESTING", "coba"))
            row["nama_pemilik"] = m.pick(("operator", "admin dinas", "tes", row["nama_pemilik"]))
        elif kind < 0.7:
            row.update({c: "" for c in ODS_COLUMNS if c != "tanggal_input"})
        elif kind < 0.85:
            row["nama_usaha"], row["nama_pemilik"] = m.pick((("zzz", "zzz"), ("aaa", "aaa"), ("x", "x"), ("-", "-")))
            row["nik"] = row["no_hp"] = ""
        else:
            row.update({c: c.replace("_", " ").title() for c in ODS_COLUMNS})  # the header pasted again
    return row


def _oss_row(m: Maker, actor: Actor, kbli: str) -> dict[str, str]:
    owner = actor.owner
    company = actor.badan in ("CV", "PT")
    name = owner.name + (f" {'BINTI' if owner.woman else 'BIN'} {owner.father}" if owner.father else "")
    kelurahan = actor.moved_to if actor.moved_to is not None else actor.kelurahan
    workers_l = m.random.randint(0, actor.workers)
    return {
        "nib": actor.nib,
        "tgl_terbit_nib": actor.nib_date.isoformat() if actor.nib_date else "",
        "nama_pelaku_usaha": (f"{actor.badan} {actor.business}" if company else name).upper(),
        "nik": owner.nik,
        "jenis_pelaku_usaha": "Badan Usaha" if company else "Orang Perseorangan",
        "status_penanaman_modal": "PMDN",
        "kd_daerah": m.kel_code[kelurahan],
        "alamat": (actor.moved_address if actor.moved_to is not None else actor.address).upper(),
        "kbli": kbli,
        "skala_usaha": (
            "Usaha Mikro"
            if actor.omzet <= 2e9
            else "Usaha Kecil"
            if actor.omzet <= 15e9
            else "Usaha Menengah"
            if actor.omzet <= 50e9
            else "Usaha Besar"
        ),
        "jumlah_investasi": str(actor.modal),
        "jumlah_tki_l": str(workers_l),
        "jumlah_tki_p": str(actor.workers - workers_l),
        "no_telp": "62" + owner.phone[1:],
        "email": "",
    }


def _oss_not_actor(m: Maker, reason: str) -> dict[str, str]:
    rnd = m.random
    actor = m.actor(0, size="besar" if reason == "usaha_besar" else "")
    actor.nib, actor.nib_date = m.nib(), m.day_between(date(2019, 1, 1), m.snapshot)
    row = _oss_row(m, actor, actor.kbli)
    if reason == "luar_wilayah":
        _, prefix, _ = m.pick(OUTSIDE)
        row["kd_daerah"] = f"{prefix}{rnd.randint(1, 12):02d}{rnd.choice('12')}{rnd.randint(1, 20):03d}"
    elif reason == "usaha_besar":
        row["nama_pelaku_usaha"] = m.pick(
            (f"PT {m.pick(BRANDS)} TBK", f"PT {m.pick(BRANDS)} KALTIM", f"PT {m.pick(BRANDS)} BORNEO PERKASA")
        ).upper()
        row["jenis_pelaku_usaha"], row["skala_usaha"] = "Badan Usaha", "Usaha Besar"
    else:
        row["nama_pelaku_usaha"] = m.pick(
            (
                f"KOPERASI SERBA USAHA {m.pick(BRANDS)}",
                f"KSP {m.pick(BRANDS)}",
                f"PERUMDA {m.pick(BRANDS)}",
                f"PT {m.pick(BRANDS)} (PERSERO)",
            )
        ).upper()
        row["jenis_pelaku_usaha"], row["kbli"] = "Badan Usaha", "64141"
    return row


# --------------------------------------------------------------------------------------------
# The register
# --------------------------------------------------------------------------------------------


def generate(
    reference,
    *,
    seed: int = DEFAULT_SEED,
    ods_rows: int = BASE_ROWS,
    noise: float = 1.0,
    snapshot_date: date = DEFAULT_SNAPSHOT,
) -> SyntheticRegister:
    """A synthetic ODS export, OSS export and ground truth (see the module docstring)."""
    if ods_rows < MIN_ODS_ROWS:
        raise ValueError(f"ods_rows must be at least {MIN_ODS_ROWS}, got {ods_rows}")
    if noise < 0:
        raise ValueError(f"noise must be >= 0, got {noise}")
    m = Maker(reference, seed, noise, snapshot_date, RATES)
    rnd = m.random
    scale = ods_rows / BASE_ROWS
    count = {key: max(1, round(value * scale)) for key, value in BASE.items()}
    start = date(snapshot_date.year - 6, 1, 1)

    # Load inputs: actors (ODS ones first, then those known to OSS only).
    actors: list[Actor] = []
    for number in range(1, count["actors"] + count["oss_only"] + 1):
        shared = actors and rnd.random() < SHARED_OWNER
        actor = m.actor(number, owner=rnd.choice(actors).owner if shared else None)
        if rnd.random() < SHARED_PHONE and actors:
            actor.owner.phone = rnd.choice(actors).owner.phone
        in_ods = number <= count["actors"]
        if not in_ods or rnd.random() < NIB_SHARE:
            actor.nib, actor.nib_date = m.nib(), m.day_between(date(2019, 1, 1), snapshot_date)
        actors.append(actor)

    # Process data: ODS rows (each actor's first row, its duplicates, the rows that are not actors).
    ods, ods_truth = [], []
    exclusions = sum(count[r] for r in ("bukan_usaha", "luar_wilayah", "badan_lain", "usaha_besar", "tidak_valid"))
    duplicates = ods_rows - count["actors"] - exclusions
    extra = [0] * count["actors"]
    for _ in range(max(0, duplicates)):
        extra[rnd.randrange(count["actors"])] += 1
    for actor, copies in zip(actors, extra):
        first = m.day_between(start, snapshot_date - timedelta(days=30))
        if copies and m.rate("moved"):
            actor.moved_to, actor.moved_address = m.kelurahan(), m.address()
        ods.append((first, _ods_row(m, actor, first, duplicate=False)))
        ods_truth.append((actor.actor_id, ""))
        for _ in range(copies):
            later = m.day_between(first, snapshot_date)
            ods.append((later, _ods_row(m, actor, later, duplicate=True)))
            ods_truth.append((actor.actor_id, ""))
    for reason in ("bukan_usaha", "luar_wilayah", "badan_lain", "usaha_besar", "tidak_valid"):
        for _ in range(count[reason]):
            entered = m.day_between(start, snapshot_date)
            ods.append((entered, _not_actor_row(m, reason, entered)))
            ods_truth.append(("", reason))
    order = sorted(range(len(ods)), key=lambda k: (ods[k][0], k))
    ods_frame = pd.DataFrame([ods[k][1] for k in order], columns=list(ODS_COLUMNS))

    oss, oss_truth = [], []
    for actor in actors:
        if actor.nib:
            oss.append((actor.nib_date, _oss_row(m, actor, actor.kbli)))
            oss_truth.append((actor.actor_id, ""))
            if rnd.random() < SECOND_KBLI:
                other = m.pick([c for k in KINDS for c in k[2] if c != actor.kbli])
                oss.append((actor.nib_date, _oss_row(m, actor, other)))
                oss_truth.append((actor.actor_id, ""))
    for reason in ("luar_wilayah", "usaha_besar", "badan_lain"):
        for _ in range(count["oss_" + reason]):
            row = _oss_not_actor(m, reason)
            oss.append((date.fromisoformat(row["tgl_terbit_nib"]), row))
            oss_truth.append(("", reason))
    oss_order = sorted(range(len(oss)), key=lambda k: (oss[k][0], oss[k][1]["nib"], k))
    oss_frame = pd.DataFrame([oss[k][1] for k in oss_order], columns=list(OSS_COLUMNS))

    # Save outputs.
    truth = pd.DataFrame(
        {
            "source": ["ods"] * len(order) + ["oss"] * len(oss_order),
            "source_row": list(range(1, len(order) + 1)) + list(range(1, len(oss_order) + 1)),
            "true_actor": [ods_truth[k][0] for k in order] + [oss_truth[k][0] for k in oss_order],
            "true_reason": [ods_truth[k][1] for k in order] + [oss_truth[k][1] for k in oss_order],
        }
    )
    return SyntheticRegister(
        ods=ods_frame.astype(object),
        oss=oss_frame.astype(object),
        truth=truth.astype({"source": object, "true_actor": object, "true_reason": object}),
        snapshot_date=snapshot_date,
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m umkm.ingest.synthetic_independent",
        description=(
            "Write a second synthetic register (ods.csv/.xlsx, oss.csv/.xlsx, truth.csv) whose noise model was "
            "written independently of umkm.ingest.synthetic: score the linkage on both (python -m umkm.reconcile.score)."
        ),
    )
    parser.add_argument("--out", required=True, type=Path, metavar="DIR", help="folder to write into")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, metavar="N", help=f"seed (default {DEFAULT_SEED})")
    parser.add_argument("--rows", type=int, default=BASE_ROWS, metavar="N", help=f"ODS rows (default {BASE_ROWS:,})")
    parser.add_argument("--noise", type=float, default=1.0, metavar="X", help="defect rate multiplier (default 1)")
    parser.add_argument("--formats", default="csv", metavar="LIST", help="csv, xlsx or csv,xlsx (default csv)")
    args = parser.parse_args(argv)
    from umkm import reference

    register = generate(reference.load(), seed=args.seed, ods_rows=args.rows, noise=args.noise)
    written = write(register, args.out, tuple(f.strip() for f in args.formats.split(",") if f.strip()))
    counts = summary(register)
    print(f"ODS {counts['ods_rows']:,} rows, OSS {counts['oss_rows']:,} rows, {counts['actors_total']:,} actors")
    for path in written.values():
        print(f"  {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
