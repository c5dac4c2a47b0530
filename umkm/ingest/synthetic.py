"""Deterministic synthetic UMKM register of Kota Balikpapan: an ODS export, an OSS export, and the truth.

The real register is confidential, so the pipeline is built, tested and demonstrated on this
stand-in. It is Balikpapan-sized and as messy as a hand-kept spreadsheet, and it comes with
ground truth: for every input row, the actor it belongs to or the reason it is not an actor.

    from umkm import reference
    from umkm.ingest import synthetic
    reg = synthetic.generate(reference.load())           # ~59,000 ODS rows, ~25,000 OSS rows
    synthetic.write(reg, Path("build/synthetic"))        # ods.csv/.xlsx, oss.csv/.xlsx, truth.csv
    python -m umkm.ingest.synthetic --out build/synthetic [--seed N] [--rows N] [--noise X]

Same seed, size, noise and snapshot date give byte-identical files (CSV and XLSX).

Structure at the default size (59,000 ODS rows; everything scales with ``ods_rows``)
------------------------------------------------------------------------------------
* ~47,100 true actors in ODS, one primary row each; ~8,900 duplicate rows of them (most actors
  0 or 1 extra row, some 2-3; training participants recorded again at each event).
* ~3,000 ODS rows that are not actors, each with its reason code in ``truth.true_reason``:
  bukan_usaha 1,250 (training participants without a business: nama_usaha blank/"-"/"Belum ada",
  no omzet), luar_wilayah 700 (kabupaten_kota Penajam Paser Utara, Samarinda, Kutai Kartanegara,
  Paser, Bontang, with their own kelurahan/kecamatan), badan_lain 500 (Koperasi/KSP/Kopwan,
  Dinas/UPTD/Kantor Kelurahan, BUMD/BUMN, Yayasan/Pondok Pesantren), usaha_besar 150 (PT/CV with
  sales > Rp50 bn or capital > Rp10 bn), tidak_valid 400 (test rows "TEST"/"coba"/"xxx"/"asdf",
  rows with nothing but a date, a pasted header row, a "JUMLAH" totals row at the very end).
* OSS: 40% of the ODS actors have a NIB (13 digits, one per actor); an ODS row shows it only if
  it was entered after the NIB was issued, and then in ~55% of rows. ~4,000 actors are known to
  OSS only. 8% of NIBs have a second row for a second KBLI (one row per NIB and KBLI). Plus
  ~600 OSS rows outside Balikpapan (kd_daerah 6409/6472/6402/6401/6474...: luar_wilayah),
  ~200 "Usaha Besar" rows (usaha_besar) and ~100 KOPERASI rows (badan_lain).
* Actors: kelurahan drawn with kecamatan population weights (2021) spread over its kelurahan
  (all 34 present); ~40% culinary (KBLI 561xx/563xx/56210 food stalls and cafes, 10xxx/11xxx
  food and drink manufacturing, 47xxx food retail); the rest trade, fashion (14xxx), crafts,
  repair (95xxx/454xx), beauty and laundry (96xxx), other services, transport, agriculture and
  fishery (01xxx/03xxx); real KBLI 2020 codes checked against the reference. Size class by
  PP 7/2021: ~93% mikro, 5.5% kecil, 1.5% menengah (capital and sales drawn inside the class).
  Owners: 58% women; NIK = province+city+kecamatan (mostly 6471 01..06, 15% migrants with
  other real prefixes such as 3578, 7371, 6402, 6409) + DDMMYY (day+40 for women) + serial,
  consistent with sex and birth date; names from Javanese, Bugis, Banjar, Sundanese/Minang,
  Dayak, Chinese-Indonesian, Batak and Toraja/Manado lists, so that different people share
  exact names. Online selling ~45% (more with training, younger owners); P(active | online) = 0.85 vs 0.45.
  Training ~35%; the Rp300,000 capital grant ~30% of micro businesses entered since 2021.
  Sentra Somber: 80 tofu/tempe producers (KBLI 10391/10392/10794) in Batu Ampar
  (64.71.03.1001), Jl. Alam Baru; Sentra Teritip: 24 processors (10213/10219/10299/10794/
  10761/10799) in Teritip (64.71.01.1003). Every member's primary row names its sentra.
* Traps that are not defects: ~1.5% of actors share their owner (same NIK, name, phone) with
  another actor (one person, two businesses); ~1% of people share a phone with another person
  (household); common names ("Sri Wahyuni", "Muhammad Noor") belong to several people.

Defects (rates are per row at noise=1, multiplied by ``noise``; noise=0 gives clean formats)
-------------------------------------------------------------------------------------------
Within each column the variant rates add up to the share of rows not in the clean format;
the clean format is named first.

* Duplicate rows (per duplicate row): a different tanggal_input (always, within +-400 days);
  verbatim copy 8% (identical in every column, not scaled by noise); name_typo 15% (one
  character substituted, dropped, doubled or swapped); usaha_typo 10%; usaha_variant 10%
  ("Warung Makan Bu Sri" -> "Bu Sri", "Toko ..." prefix, "&"/"dan"); nik_typo 6% (one digit
  changed or two swapped); nik_missing 6%; phone_changed 5% (another number); field_missing
  20% (one of email, no_hp, alamat, tanggal_lahir, jenis_kelamin, kbli blank); omzet_changed
  25%; status_changed 10%; address_changed 5%. Because every row is rendered independently,
  duplicates also differ in case, honorifics, phone, date and money formats.
* nama_pemilik: clean Title Case; upper 30%, lower 2%, honorific 8% (Bpk./Bapak/Pak/Bp./Sdr./
  H. or Ibu/Bu/Ny./Sdri./Hj.), spelling 3% (Muhammad/Muhamad/Moh./M., Ahmad/Achmad,
  Siti/Sitti, Nur/Noor, -uddin/-udin, Su-/Soe-, Wijaya/Widjaja ...), no_gelar 30% (academic
  title ", S.E." left off for the 6% of people who have one), whitespace 2% (leading/trailing,
  double or non-breaking space).
* nama_usaha: upper 25%, lower 3%, whitespace 2%, quotes 1% ('"Berkah Jaya"').
* nik: clean 16 digits; apostrophe 4% ("'6471..."), excel_sci 1.5% ("6.47101E+15"),
  excel_zeroed 2% (16th digit lost: "6471012304850000"), sci_expanded 0.5% ("6471010000000000"),
  spaced 1% ("6471 0123 0485 0001"), dotted 0.5% ("64.71.01.230485.0001"), blank 3%, dash 0.5%.
* jenis_kelamin: clean Laki-laki/Perempuan; LP 25% (L/P), LKPR 5% (LK/PR), upper 5%,
  pria_wanita 3%, lower_space 2% ("laki laki"), blank 4%, contradicts_nik 0.5% (wrong sex).
* tanggal_input: clean ISO YYYY-MM-DD; iso_time 15% ("2023-05-14 10:22:31"), dmy_slash 25%
  (14/05/2023), excel_serial 8% ("45060"), dmy_dash 5% (14-05-2023), indo_month 3%
  ("14 Mei 2023"). Always on or before the snapshot date.
* tanggal_lahir: dmy_slash 30%, excel_serial 6% ("29221"), dmy_dash 6%, indo_month 5%
  ("12 Januari 1980"), mdy_slash 1% (US order "05/14/1980"), two_digit_year 2% ("14/05/80"),
  blank 4%, wrong_vs_nik 0.5% (a birth date that disagrees with the NIK).
* no_hp: clean "08..." (10-13 digits); plus62_dashed 6% ("+62 812-3456-7890"), plus62 5%,
  c62 7% ("6281..."), spaced 5%, dashed 5%, lost_zero 3% ("81234567890", Excel), two_numbers
  1% ("0812... / 0857..."), apostrophe 1%, blank 4%. 2% of people only give a landline
  ("0542-7xxxxx", "(0542) 7xxxxx").
* email (45% of people have one): upper 3%, typo_domain 1% (gmial.com, gmail.con), no_domain
  1% ("nama@gmail"), dash 2%, tidak_ada 1% ("tidak ada"), whitespace 1%.
* alamat: clean "Jl. <street> No. <n>" (or Gg./Perum/Komp.), 30% with "RT 012"; jalan_spelled
  8% (Jalan/Jln./JL.), upper 12%, with_rt 15%, with_kelurahan 5% (", Kel. Batu Ampar"),
  no_number 5%, newline 0.3% (line break inside the cell), blank 2%.
* rt: clean "003"; plain 25% ("3"), two_digit 10% ("03"), prefixed 5% ("RT 03", "RT.003"),
  blank 5%. rw: Balikpapan addresses have no RW: mostly blank, some "000"/"0"/"001".."005";
  dash 3% ("-").
* kelurahan: clean reference name; upper 15%, lower 3%, kel_prefix 6% ("Kel. Batu Ampar",
  "Kelurahan ..."), nospace 5% ("Muararapak", "Gunungsari Ulu", "Margomulyo", "Mekarsari",
  and "Sungai Nangka" the other way), bps 4% ("LEMARU"), abbrev 4% ("Gn. Samarinda",
  "Sei Nangka"), misspelt 3% ("Karingau", "Kelandasan Ulu", "Sepingan"), with_kecamatan 1%
  ("Batu Ampar, Balikpapan Utara"), blank 2%, whitespace 2%.
* kecamatan: clean "Balikpapan Utara"; bpp 8% ("BPP Utara", "Bpp Utara", "Bpp. Utara"),
  kec_prefix 6% ("Kec. Balikpapan Utara"), upper 10%, lower 3%, short 2% ("Utara"), missing 8%;
  pre2012 15% of rows in Kecamatan Balikpapan Kota give "Balikpapan Selatan" (before 2012).
* kabupaten_kota: clean "Kota Balikpapan"; bare 15% ("Balikpapan"), upper 8%, kodya 1%
  ("Kodya Balikpapan"), abbr 2% ("BPP"), blank 5%.
* nib (ODS): clean 13 digits; apostrophe 5%, lost_leading_zero 30% of NIBs starting with 0
  (12 digits), excel_sci 2% ("9.12011E+12"), spaced 1%; rows without a NIB: placeholder 3%
  ("-", "Belum Ada", "Proses", "0").
* kbli: clean 5 digits; blank 20%, four_digit 3% ("5610"), with_title 5% ("56102 - Rumah/Warung
  Makan"), lost_leading_zero 50% of codes starting with 0 ("1464"), wrong_code 2% (a valid
  code of another sector), apostrophe 1%, two_digit 1% ("56").
* bidang_usaha: clean sector label; synonym 25% ("Mamin", "Makanan & Minuman", "Dagang",
  "Fesyen", "Kriya", "Bengkel" ...), upper 10%, blank 5%. produk_utama: upper 8%, lower 10%,
  blank 5%.
* status_badan_usaha: clean "Perorangan" (CV/PT/PT Perorangan/UD for some); synonym 10%
  ("Perseorangan", "Usaha Perorangan", "PERORANGAN", "Pribadi"), blank 15%.
* modal_usaha, omzet_per_tahun, aset (independently per cell): clean "5000000"; rp_dots 15%
  ("Rp 5.000.000"), rp_nospace_dash 5% ("Rp5.000.000,-"), dots 10% ("5.000.000"),
  dots_decimals 5% ("5.000.000,00"), comma_thousands 3% ("5,000,000"), juta_words 6% ("5 jt",
  "5jt", "2,5 juta", "500 rb", "1,5 M", "1,2 miliar"), decimal_float 2% ("5000000.0"), dash 3%,
  blank 5%, zero 1% ("0").
* tenaga_kerja: clean "2"; orang 5% ("2 orang"), float 2% ("2.0"), padded 1% ("02"), dash 2%,
  blank 5%. tahun_mulai: clean "2019"; float 3% ("2019.0"), thn 2% ("Thn 2019"), date 2%
  ("01/03/2019"), dash 1%, blank 6%.
* status_usaha: clean Aktif/Tidak Aktif; upper 8%, lower 4%, berjalan_tutup 6% ("Masih
  Berjalan"/"Tutup"), nonaktif 3% ("Non Aktif"/"Berhenti"), YT 2%, blank 5%.
* pemasaran_online, pelatihan, bantuan_modal: clean Ya/Tidak; YT 10% (Y/T), lower 5%, upper 5%,
  one_zero 5% (1/0), sudah_belum 3%, blank 6%, dash 3%; bantuan_modal also amount 3%
  ("Rp 300.000", "300000" for yes).
* marketplace (online sellers): clean "WhatsApp, Shopee"; separator 10% ("/", ";", " dan "),
  abbrev 10% (WA, IG, FB, Tokped, grab food), lower 8%, upper 3%, blank_when_online 8%,
  inconsistent 2% of offline sellers name a platform anyway.
* sentra: members' primary rows: clean "Somber"/"Teritip"; variant 30% ("Sentra Somber",
  "SENTRA INDUSTRI KECIL SOMBER", "KIKS Somber", "Sentra Tahu Tempe Somber", "Sentra IKM
  Teritip", "SIKT" ...); duplicate rows of members leave it blank 30%; non-members: "-" 2%,
  "Tidak" 1%.
* OSS rows are clean-ish: nama_pelaku_usaha upper case (the business name, "CV ..."/"PT ...", for
  Badan Usaha), "HJ."/"H." for half of the hajjis, the academic title for 70% of those who have
  one, spelling variants at the ODS rate; no_telp "62..." (60%) or "08...",
  phone_other 10% (another number than in ODS); kd_daerah_other 5% (kd_daerah of another
  Balikpapan kelurahan than ODS gives); every OSS row has an e-mail.

Frames hold Python ``str`` in object columns ("" for blank). XLSX files hold every cell as text
(blank cells empty), so they read back exactly like the CSV.
"""

from __future__ import annotations

import argparse
import io
import re
import sys
import time
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import cast

import numpy as np
import pandas as pd

from umkm.ingest.exports import ODS_COLUMNS, OSS_COLUMNS  # the columns the ingest stage reads
from umkm.vocabulary import LARGE, SIZE_CLASSES, SIZE_CODES
from umkm.xlsx import normalise_xlsx

TRUTH_COLUMNS: tuple[str, ...] = ("source", "source_row", "true_actor", "true_reason")
REASONS: tuple[str, ...] = ("usaha_besar", "bukan_usaha", "luar_wilayah", "badan_lain", "tidak_valid")

DEFAULT_SEED = 20261128
DEFAULT_ODS_ROWS = 59_000
DEFAULT_SNAPSHOT = date(2026, 10, 31)
MIN_ODS_ROWS = 200

# Counts at the default size (59,000 ODS rows); everything scales with ods_rows / 59,000.
_BASE_ROWS = 59_000
_BASE_ACTORS = 47_100
_BASE_REASONS = {"bukan_usaha": 1250, "luar_wilayah": 700, "badan_lain": 500, "usaha_besar": 150, "tidak_valid": 400}
_BASE_OSS_ONLY = 4_000
_BASE_OSS_REASONS = {"luar_wilayah": 600, "usaha_besar": 200, "badan_lain": 100}
_NIB_SHARE = 0.40  # of ODS actors
_NIB_SHOWN_IN_ODS = 0.55  # of ODS rows entered after the NIB was issued
_MULTI_KBLI = 0.08  # NIBs with a second OSS row for a second KBLI
_SHARED_OWNER = 0.015  # actors whose owner also owns another actor
_SHARED_PHONE = 0.01  # people sharing a phone with another person (household)
_VERBATIM_DUP = 0.08  # duplicate rows that copy their primary row exactly
_SOMBER, _TERITIP = 80, 24  # sentra members (balikpapan_sentra.csv: 80 producing, 24 built)
_SIZE_CLASS_P = (0.93, 0.055, 0.015)  # mikro, kecil, menengah among actors

# PP 7/2021 Pasal 35 bounds (capital excluding land and buildings; annual sales), rupiah.
_MODAL_MAX = tuple(s.max_modal for s in SIZE_CLASSES)
_OMZET_MAX = tuple(s.max_omzet for s in SIZE_CLASSES)

# Defect rates per row at noise=1 (the module docstring lists each of them).
RATES: dict[str, dict[str, float]] = {
    "dup": {
        "name_typo": 0.15,
        "usaha_typo": 0.10,
        "usaha_variant": 0.10,
        "nik_typo": 0.06,
        "nik_missing": 0.06,
        "phone_changed": 0.05,
        "field_missing": 0.20,
        "omzet_changed": 0.25,
        "status_changed": 0.10,
        "address_changed": 0.05,
    },
    "nama_pemilik": {
        "upper": 0.30,
        "lower": 0.02,
        "honorific": 0.08,
        "spelling": 0.03,
        "no_gelar": 0.30,
        "whitespace": 0.02,
    },
    "nama_usaha": {"upper": 0.25, "lower": 0.03, "whitespace": 0.02, "quotes": 0.01},
    "nik": {
        "apostrophe": 0.04,
        "excel_sci": 0.015,
        "excel_zeroed": 0.02,
        "sci_expanded": 0.005,
        "spaced": 0.01,
        "dotted": 0.005,
        "blank": 0.03,
        "dash": 0.005,
    },
    "jenis_kelamin": {
        "LP": 0.25,
        "LKPR": 0.05,
        "upper": 0.05,
        "pria_wanita": 0.03,
        "lower_space": 0.02,
        "blank": 0.04,
        "contradicts_nik": 0.005,
    },
    "tanggal_input": {"iso_time": 0.15, "dmy_slash": 0.25, "excel_serial": 0.08, "dmy_dash": 0.05, "indo_month": 0.03},
    "tanggal_lahir": {
        "dmy_slash": 0.30,
        "excel_serial": 0.06,
        "dmy_dash": 0.06,
        "indo_month": 0.05,
        "mdy_slash": 0.01,
        "two_digit_year": 0.02,
        "blank": 0.04,
        "wrong_vs_nik": 0.005,
    },
    "no_hp": {
        "plus62_dashed": 0.06,
        "plus62": 0.05,
        "c62": 0.07,
        "spaced": 0.05,
        "dashed": 0.05,
        "lost_zero": 0.03,
        "two_numbers": 0.01,
        "apostrophe": 0.01,
        "blank": 0.04,
    },
    "email": {
        "upper": 0.03,
        "typo_domain": 0.01,
        "no_domain": 0.01,
        "dash": 0.02,
        "tidak_ada": 0.01,
        "whitespace": 0.01,
    },
    "alamat": {
        "jalan_spelled": 0.08,
        "upper": 0.12,
        "with_rt": 0.15,
        "with_kelurahan": 0.05,
        "no_number": 0.05,
        "newline": 0.003,
        "blank": 0.02,
    },
    "rt": {"plain": 0.25, "two_digit": 0.10, "prefixed": 0.05, "blank": 0.05},
    "rw": {"dash": 0.03},
    "kelurahan": {
        "upper": 0.15,
        "lower": 0.03,
        "kel_prefix": 0.06,
        "nospace": 0.05,
        "bps": 0.04,
        "abbrev": 0.04,
        "misspelt": 0.03,
        "with_kecamatan": 0.01,
        "blank": 0.02,
        "whitespace": 0.02,
    },
    "kecamatan": {"bpp": 0.08, "kec_prefix": 0.06, "upper": 0.10, "lower": 0.03, "short": 0.02, "missing": 0.08},
    "kecamatan_kota": {"pre2012": 0.15},
    "kabupaten_kota": {"bare": 0.15, "upper": 0.08, "kodya": 0.01, "abbr": 0.02, "blank": 0.05},
    "nib": {"apostrophe": 0.05, "excel_sci": 0.02, "spaced": 0.01},
    "nib_zero": {"lost_leading_zero": 0.30},
    "nib_none": {"placeholder": 0.03},
    "kbli": {
        "blank": 0.20,
        "four_digit": 0.03,
        "with_title": 0.05,
        "wrong_code": 0.02,
        "apostrophe": 0.01,
        "two_digit": 0.01,
    },
    "kbli_zero": {"lost_leading_zero": 0.50},
    "bidang_usaha": {"synonym": 0.25, "upper": 0.10, "blank": 0.05},
    "produk_utama": {"upper": 0.08, "lower": 0.10, "blank": 0.05},
    "status_badan_usaha": {"synonym": 0.10, "blank": 0.15},
    "money": {
        "rp_dots": 0.15,
        "rp_nospace_dash": 0.05,
        "dots": 0.10,
        "dots_decimals": 0.05,
        "comma_thousands": 0.03,
        "juta_words": 0.06,
        "decimal_float": 0.02,
        "dash": 0.03,
        "blank": 0.05,
        "zero": 0.01,
    },
    "tenaga_kerja": {"orang": 0.05, "float": 0.02, "padded": 0.01, "dash": 0.02, "blank": 0.05},
    "tahun_mulai": {"float": 0.03, "thn": 0.02, "date": 0.02, "dash": 0.01, "blank": 0.06},
    "status_usaha": {"upper": 0.08, "lower": 0.04, "berjalan_tutup": 0.06, "nonaktif": 0.03, "YT": 0.02, "blank": 0.05},
    "yesno": {
        "YT": 0.10,
        "lower": 0.05,
        "upper": 0.05,
        "one_zero": 0.05,
        "sudah_belum": 0.03,
        "blank": 0.06,
        "dash": 0.03,
    },
    "bantuan_amount": {"amount": 0.03},
    "marketplace": {"separator": 0.10, "abbrev": 0.10, "lower": 0.08, "upper": 0.03, "blank_when_online": 0.08},
    "marketplace_offline": {"inconsistent": 0.02},
    "sentra": {"variant": 0.30},
    "sentra_dup": {"blank": 0.30},
    "sentra_none": {"dash": 0.02, "tidak": 0.01},
    "oss": {"phone_other": 0.10, "kd_daerah_other": 0.05},
}

# --------------------------------------------------------------------------------------------
# Word lists
# --------------------------------------------------------------------------------------------

# group: (weight, male first, female first, male second, female second, P(second name),
#         NIK prefixes of migrants from that group)
_NAME_GROUPS: tuple[tuple, ...] = (
    (
        "jawa",
        0.36,
        "Slamet Budi Agus Joko Bambang Sugeng Wahyu Eko Heru Hadi Sutrisno Purwanto Supriyadi Suyanto "
        "Sumarno Teguh Bayu Dwi Tri Adi Rudi Hendro Widodo Santoso Setiawan Prasetyo Nugroho Kurniawan "
        "Susilo Yulianto Haryanto Mulyono Sukardi Darmaji Suparman Gatot Priyo Aris Dedi Imam Rohmat "
        "Arif Anto Wawan Sugiarto Sunarto Subagyo",
        "Sri Siti Endang Sulastri Wahyuni Tri Rina Dewi Sumiati Suparmi Ningsih Lestari Yuliani Sutarmi "
        "Suwarni Puji Rahayu Wulan Indah Astuti Handayani Kartini Purwati Sumarni Rini Yanti Tutik Eka "
        "Ratna Diah Fitri Nur Dwi Murni Partini Winarsih Suryani Setyowati Sulis Sunarsih",
        "Santoso Setiawan Prasetyo Nugroho Kurniawan Susilo Wibowo Hidayat Saputra Purnomo Riyadi "
        "Widodo Sutrisno Haryanto Wijaya Pratama Hartono Suprapto Raharjo Utomo",
        "Wahyuni Lestari Rahayu Astuti Handayani Ningsih Purwanti Suryani Wulandari Kusumawati "
        "Mulyani Rahmawati Susanti Yuliana Hartati Sulistyowati Widiastuti Setyaningsih Puspitasari "
        "Anggraini",
        0.6,
        ("3578", "3507", "3374", "3509", "3313", "3471", "6409", "6472"),
    ),
    (
        "bugis",
        0.20,
        "Muhammad Ahmad Andi Syamsul Arifuddin Baharuddin Amiruddin Jamaluddin Hasanuddin Abdul Rusli "
        "Sudirman Jufri Hamzah Ridwan Syahrir Nasrullah Irwan Anwar Muhlis Firman Akbar Ilham Haerul "
        "Sahabuddin",
        "Sitti Nurhayati Hasnah Ratna Hasnawati Rahmawati Andi Nurlina Hasmiati Nurjannah Suriani "
        "Megawati Haslinda Nurmala Darmawati Jumriani Kasmawati Asriani Hamsinah Nuraeni",
        "Rahman Hamid Latif Karim Malik Said Basri Arsyad Mappa Tahir Kadir Hafid Sultan Syarif Amir "
        "Rasyid Husain Yusuf Saleh",
        "Aminah Rahma Nur Syamsiah Sari Dewi Hasan Mappa Amir Ramlah",
        0.55,
        ("7371", "7311", "7313", "7315", "7372", "6409"),
    ),
    (
        "banjar",
        0.14,
        "Muhammad Ahmad Abdul Noor Rusdi Saifullah Gusti Rahmadi Fahrianoor Khairul Zainal Syahrani "
        "Mahdi Rizali Aspihani Norhadi Fauzi Hairil Iberahim Jumberi",
        "Norhayati Masliani Raudah Jamilah Rahmah Norma Siti Aluh Mariana Fatimah Halimah Rusmini "
        "Nurul Hairiyah Lailatul Nor Mardiana Salmah Rabiatul Syarifah",
        "Noor Rifani Hidayatullah Arsyad Zainuddin Effendi Fauzan Ansyari Rahman Taufik Syarifuddin "
        "Saleh Muslim Maulana Syahrani",
        "Hidayah Aulia Fitriani Noor Maulida Rahmah Khadijah Hasanah Zahra Jannah",
        0.6,
        ("6371", "6303", "6372", "6472"),
    ),
    (
        "sunda_minang_lain",
        0.13,
        "Dadang Asep Ujang Cecep Dede Yusrizal Fadli Rizki Fajar Rahmat Dani Ilham Reza Aditya Fikri "
        "Rizal Hendra Andri Irfan Yoga",
        "Euis Neneng Yeni Dian Nia Lina Rini Putri Ayu Nurul Anisa Fitria Dinda Intan Novi Rizka Mega Citra Tika Wulan",
        "Hidayat Saputra Maulana Ramadhan Firmansyah Permana Gunawan Kusnadi Sopian Rachman Nugraha "
        "Syahputra Fauzi Pratama Putra",
        "Lestari Sari Rahmawati Permatasari Utami Safitri Maharani Oktaviani Amelia Pertiwi Fitriani "
        "Nurhaliza Ramadhani Agustina Putri",
        0.75,
        ("3273", "3201", "1371", "3175", "3671", "6472"),
    ),
    (
        "dayak",
        0.04,
        "Yohanes Paulus Stefanus Markus Petrus Yosef Andreas Lukas Simon Matius Ignasius Agustinus "
        "Antonius Thomas Benediktus",
        "Maria Yuliana Agustina Theresia Veronika Katarina Margareta Lusia Elisabet Monika Rosalina Yosefina",
        "Lawing Ingan Jalung Lusang Njuk Bilung Apui Lahang Ajang Irang Usat Lencau",
        "Lawing Ingan Jalung Lusang Njuk Bilung Apui Lahang Ajang Irang Usat Lencau",
        0.85,
        ("6402", "6407", "6411", "6472"),
    ),
    (
        "tionghoa",
        0.04,
        "Hendra Susanto Herman Ferry Budi Andi Hendrik Rudy Johan Ricky Wilson Steven Kevin Hengky "
        "Anton Tommy Edwin Yohanes",
        "Lily Linda Yenny Vivi Susan Meiliana Lanny Fenny Shinta Jessica Melinda Sherly Cindy Wenny Lusiana",
        "Wijaya Gunawan Halim Tanoto Santoso Kurniawan Hartono Tanuwijaya Salim Lim Tan Liem Sugianto "
        "Setiadi Chandra Limanto Gozali Susilo Sutanto",
        "Wijaya Gunawan Halim Tanoto Santoso Kurniawan Hartono Tanuwijaya Salim Lim Tan Liem Sugianto "
        "Setiadi Chandra Limanto Gozali Susilo Sutanto",
        0.9,
        ("6472", "3578", "3173", "1271"),
    ),
    (
        "batak",
        0.04,
        "Roy Junianto Parlindungan Maruli Tigor Hotman Sahat Bonar Jhon Rudolf Daniel Saut Togar Poltak Benny",
        "Rosmawati Tiurma Rosdiana Nurmaida Lamria Dumaria Rotua Tiarma Sondang Romauli Erni Helena",
        "Siregar Simanjuntak Nainggolan Sinaga Harahap Lubis Nasution Hutapea Pasaribu Situmorang "
        "Sitompul Manurung Simatupang Silalahi Sihombing Panjaitan Hutagalung Sitorus Tampubolon "
        "Napitupulu",
        "Siregar Simanjuntak Nainggolan Sinaga Harahap Lubis Nasution Hutapea Pasaribu Situmorang "
        "Sitompul Manurung Simatupang Silalahi Sihombing Panjaitan Hutagalung Sitorus Tampubolon "
        "Napitupulu",
        0.95,
        ("1271", "1212", "1202"),
    ),
    (
        "toraja_manado",
        0.05,
        "Stevanus Ferdinand Yusuf Rommy Jemmy Frangky Hendrik Arnold Max Jefry Ronald Yohanis",
        "Meiske Yuli Grace Olivia Deisy Natalia Martha Yuliana Novita Christin",
        "Wowor Pongtiku Rantelino Tandiarrang Sumolang Tumbelaka Mandagi Palar Lumenta Rompas "
        "Tangkilisan Pakasi Sarungallo Paembonan Pasanda",
        "Wowor Pongtiku Rantelino Tandiarrang Sumolang Tumbelaka Mandagi Palar Lumenta Rompas "
        "Tangkilisan Pakasi Sarungallo Paembonan Pasanda",
        0.9,
        ("7318", "7171", "7326"),
    ),
)
_PREFIX_NAMES = (
    "Sri",
    "Siti",
    "Sitti",
    "Dwi",
    "Tri",
    "Eka",
    "Andi",
    "Muhammad",
    "Ahmad",
    "Abdul",
    "Nur",
    "Noor",
    "Nor",
    "Gusti",
    "Puji",
    "Syarifah",
)
_MIGRANT_SHARE = 0.15
_FEMALE_SHARE = 0.58
_GELAR = (", S.E.", ", S.Pd.", ", S.Kom.", ", A.Md.", ", S.H.", ", S.T.", ", S.Sos.", ", Amd.Keb.")
_GELAR_SHARE = 0.06

_WORDS = (
    "Berkah Barokah Jaya Makmur Sejahtera Mandiri Abadi Amanah Sentosa Lestari Mulia Indah Mekar "
    "Maju Cahaya Bintang Sinar Harapan Bahagia Idaman Nusantara Borneo Beriman Manuntung Etam "
    "Kaltim Putra Putri Ananda Rizki Rezeki Family Mama Bunda Sakinah Mawar Melati Anggrek Kenanga "
    "Pelangi Mentari Fajar Sentral Prima Utama Permata Karya Bersama Sederhana Nikmat Lezat Sedap "
    "Mantap Ceria Teluk Pesisir Samudra Barakah Hikmah Rahmat Amalia Azzahra Annisa Bening"
).split()
_WORDS += [
    "Sumber Rejeki",
    "Dua Saudara",
    "Tiga Putri",
    "Al-Ikhlas",
    "Jaya Abadi",
    "Sumber Makmur",
    "Berkah Jaya",
    "Maju Jaya",
    "Karya Mandiri",
    "Sinar Jaya",
    "Kota Minyak",
    "Anak Rantau",
]
_WORDS2 = "Jaya Abadi Makmur Mandiri Sentosa Sejahtera Utama Indah Lestari Berkah 88 99 Group Mart Store".split()

_STREETS = (
    "Jenderal Sudirman",
    "MT Haryono",
    "Soekarno Hatta",
    "Ahmad Yani",
    "Letjen Suprapto",
    "Mulawarman",
    "Marsma R. Iswahyudi",
    "Syarifuddin Yoes",
    "Pupuk Raya",
    "Gunung Guntur",
    "Gunung Pasir",
    "Gunung Malang",
    "Sepinggan Pratama",
    "Indrakila",
    "Manunggal",
    "Projakal",
    "Transad",
    "Telindung",
    "Strat II",
    "Prapatan Dalam",
    "Pangeran Antasari",
    "Beller",
    "Wiluyo Puspoyudo",
    "Sungai Ampal",
    "Ruhui Rahayu",
    "DI Panjaitan",
    "Imam Bonjol",
    "Pattimura",
    "Pelita",
    "Banua Patra",
    "Yos Sudarso",
    "Kampung Baru",
    "Gatot Subroto",
    "Cipto Mangunkusumo",
    "Dahor",
    "Mayjend Sutoyo",
    "Tanjungpura",
    "Perintis",
    "AMD",
    "Sultan Hasanuddin",
    "Batu Ampar",
    "Karang Anyar",
    "Damai",
    "Flamboyan",
    "Kartini",
    "Sepinggan Baru",
    "Manggar Raya",
    "Teritip",
    "Lamaru",
    "Ciptomangunkusumo",
    "Mekar Sari",
    "Sumber Rejo",
    "Rapak Indah",
    "Graha Indah",
    "Soekarno Hatta Km. 5",
    "Soekarno Hatta Km. 8",
    "Soekarno Hatta Km. 15",
    "Kariangau Km. 5",
)
_GANG = "Mawar Melati Kenanga Masjid Damai Rukun Keluarga Bersama Harapan Sederhana Mangga Rambutan Kelapa Swadaya Pinang".split()
_PERUM = (
    "Balikpapan Baru",
    "Griya Permata",
    "Korpri",
    "Wika",
    "Graha Indah",
    "BDS",
    "Pondok Karya Lestari",
    "Bukit Damai Indah",
    "Citra Bukit Indah",
    "Grand City",
    "Sepinggan Pratama",
    "Telaga Mas",
    "Batakan Indah",
    "Taman Sari Bukit Damai",
)

# Sectors: key, share of actors, bidang label, bidang synonyms, P(online), lines. A line is
# (weight, KBLI codes, products, business-name templates): names and products match the KBLI.
# Placeholders: {W} word, {W2} suffix word, {P} Pak/Bu/..., {O} owner's first name,
# {PR} product, {K} kelurahan.
_SECTORS: tuple[tuple, ...] = (
    (
        "warung",
        0.17,
        "Kuliner",
        ("Makanan dan Minuman", "Makanan & Minuman", "Mamin", "Kuliner/Makanan", "Usaha Makanan"),
        0.42,
        (
            (
                50,
                ("56102",),
                (
                    "Nasi campur",
                    "Nasi kuning",
                    "Soto Banjar",
                    "Coto Makassar",
                    "Sop konro",
                    "Ikan bakar",
                    "Ayam penyet",
                    "Nasi pecel",
                    "Lalapan",
                    "Nasi goreng",
                    "Pecel lele",
                    "Ayam geprek",
                    "Gado-gado",
                ),
                (
                    "Warung Makan {P} {O}",
                    "Warung {P} {O}",
                    "Rumah Makan {W}",
                    "RM {W}",
                    "Warung {PR} {P} {O}",
                    "{PR} {W}",
                    "Warung Makan {W}",
                    "Lesehan {W}",
                    "{PR} {P} {O}",
                    "Warung {PR} {K}",
                ),
            ),
            (
                20,
                ("56103",),
                ("Bakso", "Mie ayam", "Martabak", "Sate ayam", "Pentol", "Seblak", "Roti bakar"),
                ("Kedai {W}", "{PR} {W}", "{PR} {P} {O}", "Kedai {PR} {W}", "Depot {W}"),
            ),
            (
                15,
                ("56104",),
                ("Gorengan", "Pentol", "Sate ayam", "Nasi kuning", "Jajanan pasar", "Cilok"),
                ("{PR} {P} {O}", "Gerobak {PR} {W}", "{PR} Keliling {O}", "Angkringan {W}"),
            ),
            (
                15,
                ("56101", "56109"),
                ("Seafood", "Ayam bakar", "Masakan Padang", "Masakan Banjar", "Iga bakar"),
                ("Restoran {W}", "RM {W}", "Rumah Makan {PR} {W}", "{PR} {W}", "Resto {W}"),
            ),
        ),
    ),
    (
        "minuman",
        0.04,
        "Kuliner",
        ("Minuman", "Makanan & Minuman", "Mamin", "Cafe"),
        0.55,
        (
            (
                40,
                ("56303",),
                ("Kopi", "Minuman kekinian", "Teh tarik", "Jus buah"),
                ("Cafe {W}", "Kopi {W}", "Kedai Kopi {W}", "Warkop {W}"),
            ),
            (
                60,
                ("56304", "56306"),
                ("Es teh", "Thai tea", "Es kelapa muda", "Boba", "Es cincau", "Jus buah"),
                ("{PR} {W}", "Kedai {W}", "{PR} {P} {O}", "Es {W}"),
            ),
        ),
    ),
    (
        "kue_catering",
        0.05,
        "Kuliner",
        ("Catering", "Makanan dan Minuman", "Kue", "Mamin"),
        0.55,
        (
            (
                50,
                ("56210",),
                ("Nasi kotak", "Tumpeng", "Nasi box", "Prasmanan"),
                ("Catering {W}", "Catering {P} {O}", "Dapur {P} {O}", "Dapur {W}"),
            ),
            (
                20,
                ("10710",),
                ("Roti", "Bolu", "Brownies", "Kue kering"),
                ("Roti {W}", "Bakery {W}", "{PR} {W}", "Kue {P} {O}"),
            ),
            (
                30,
                ("10792",),
                ("Kue basah", "Amparan tatak", "Bingka", "Kue lapis", "Jajanan pasar", "Kue talam"),
                ("Kue {P} {O}", "Aneka Kue {W}", "{PR} {W}", "Dapur {P} {O}"),
            ),
        ),
    ),
    (
        "makanan_olahan",
        0.05,
        "Industri Makanan",
        ("Olahan Pangan", "Industri Pengolahan", "Makanan Olahan", "Mamin"),
        0.6,
        (
            (
                35,
                ("10794",),
                ("Amplang", "Keripik pisang", "Keripik singkong", "Kerupuk ikan", "Kerupuk udang", "Keripik tempe"),
                ("{PR} {W}", "{PR} {P} {O}", "Snack {W}", "Oleh-Oleh {W}", "{PR} Khas Balikpapan"),
            ),
            (
                20,
                ("10799", "10750"),
                ("Frozen food", "Dimsum", "Bakso beku", "Nugget", "Sambal botol"),
                ("{PR} {W}", "Dapur {W}", "{W} Frozen Food", "{PR} {P} {O}"),
            ),
            (
                15,
                ("10219", "10130"),
                ("Abon ikan", "Ikan asin", "Abon sapi", "Bakso ikan"),
                ("{PR} {W}", "{PR} {P} {O}", "Olahan {W}"),
            ),
            (10, ("10772",), ("Sambal", "Bumbu pecel", "Bumbu masak"), ("Sambal {W}", "Bumbu {P} {O}", "{PR} {W}")),
            (10, ("10733", "10796"), ("Dodol", "Manisan buah", "Selai"), ("{PR} {W}", "{PR} {P} {O}")),
            (10, ("11040",), ("Minuman herbal", "Sari buah", "Sirup"), ("{PR} {W}", "{W} Drink")),
        ),
    ),
    (
        "toko_makanan",
        0.08,
        "Perdagangan",
        ("Dagang", "Toko Kelontong", "Sembako", "Retail", "Perdagangan Eceran"),
        0.3,
        (
            (
                45,
                ("47112",),
                ("Sembako", "Kebutuhan pokok", "Kelontong"),
                (
                    "Toko {W}",
                    "Toko Sembako {W}",
                    "Warung Kelontong {P} {O}",
                    "UD {W}",
                    "Toko {W} {W2}",
                    "Warung {W}",
                    "Toko {P} {O}",
                    "Kios {W}",
                ),
            ),
            (
                15,
                ("47249", "47245"),
                ("Frozen food", "Makanan ringan", "Daging olahan"),
                ("{W} Frozen", "Toko {PR} {W}", "Kios {W}"),
            ),
            (10, ("47242",), ("Kue", "Roti"), ("Toko Kue {W}", "Toko Roti {W}")),
            (
                10,
                ("47215",),
                ("Ikan segar", "Udang", "Kepiting"),
                ("Lapak Ikan {P} {O}", "Ikan Segar {W}", "Kios Ikan {W}"),
            ),
            (
                10,
                ("47213", "47991"),
                ("Sayur mayur", "Buah"),
                ("Lapak Sayur {P} {O}", "Sayur Keliling {O}", "Kios {W}"),
            ),
            (10, ("47241",), ("Beras", "Telur"), ("Toko Beras {W}", "UD {W}", "Agen Beras {W}")),
        ),
    ),
    (
        "retail",
        0.19,
        "Perdagangan",
        ("Dagang", "Retail", "Perdagangan Eceran", "Jual Beli", "Toko"),
        0.55,
        (
            (
                30,
                ("47711",),
                ("Pakaian", "Hijab", "Baju anak", "Gamis"),
                ("Butik {W}", "{W} Collection", "{W} Fashion", "{O} Olshop", "Toko Baju {W}", "Galeri {W}"),
            ),
            (
                8,
                ("47712", "47714"),
                ("Sepatu", "Sandal", "Tas", "Dompet"),
                ("Toko {PR} {W}", "{W} Shoes", "{W} Bag", "{W} Store"),
            ),
            (
                15,
                ("47724",),
                ("Kosmetik", "Skincare", "Parfum"),
                ("{W} Beauty", "{W} Skincare", "Toko Kosmetik {W}", "{O} Cosmetic"),
            ),
            (
                15,
                ("47414",),
                ("Pulsa", "Aksesoris HP", "Voucher data"),
                ("{W} Cell", "Konter {W}", "{W} Ponsel", "{O} Cell"),
            ),
            (
                10,
                ("47599", "47611"),
                ("Perabot", "Alat tulis", "Peralatan dapur", "Plastik"),
                ("Toko {W}", "Toko {PR} {W}", "UD {W}"),
            ),
            (
                7,
                ("47302",),
                ("Bensin eceran", "Gas LPG", "Pertamini"),
                ("Pertamini {W}", "Pangkalan Gas {P} {O}", "Agen LPG {W}"),
            ),
            (5, ("47754",), ("Pakan ternak", "Pakan ikan", "Pakan kucing"), ("Toko Pakan {W}", "{W} Petshop")),
            (5, ("47735",), ("Emas", "Perhiasan"), ("Toko Emas {W}", "Toko Perhiasan {W}")),
            (5, ("47912",), ("Pakaian", "Hijab"), ("{O} Olshop", "{W} Store", "{W} Shop")),
        ),
    ),
    (
        "fashion",
        0.06,
        "Fashion",
        ("Fesyen", "Konveksi", "Jahit", "Busana"),
        0.45,
        (
            (
                45,
                ("14120",),
                ("Jahit pakaian", "Kebaya", "Seragam sekolah"),
                ("Penjahit {P} {O}", "Jahit {W}", "{W} Tailor", "Modiste {O}"),
            ),
            (
                30,
                ("14111",),
                ("Konveksi seragam", "Kaos", "Baju muslim"),
                ("Konveksi {W}", "{W} Konveksi", "Sablon & Konveksi {W}"),
            ),
            (10, ("14302",), ("Bordir", "Sulaman"), ("Bordir {W}", "{W} Bordir")),
            (5, ("13134",), ("Batik", "Batik Kaltim"), ("Batik {W}", "Galeri Batik {W}")),
            (10, ("95291",), ("Vermak jeans", "Permak pakaian"), ("Vermak {W}", "Permak {P} {O}")),
        ),
    ),
    (
        "kerajinan",
        0.03,
        "Kerajinan",
        ("Kriya", "Handicraft", "Kerajinan Tangan"),
        0.5,
        (
            (
                40,
                ("32903",),
                ("Kerajinan manik-manik", "Souvenir", "Tas manik"),
                ("Kerajinan {W}", "Manik-Manik {W}", "{W} Craft", "Souvenir {W}"),
            ),
            (15, ("16291",), ("Anyaman rotan", "Anyaman bambu"), ("Anyaman {W}", "Rotan {W}")),
            (10, ("16293",), ("Ukiran kayu", "Patung kayu"), ("Ukiran {W}", "Galeri {W}")),
            (15, ("32120",), ("Aksesoris", "Gelang", "Bros"), ("{W} Aksesoris", "{W} Craft")),
            (20, ("31001",), ("Mebel", "Lemari", "Kursi kayu"), ("Mebel {W}", "{W} Furniture", "Meubel {W}")),
        ),
    ),
    (
        "reparasi",
        0.06,
        "Jasa Reparasi",
        ("Bengkel", "Otomotif", "Servis", "Jasa"),
        0.2,
        (
            (30, ("95120",), ("Servis HP", "Ganti LCD"), ("Servis HP {W}", "{W} Service", "{W} Cell Service")),
            (20, ("95210",), ("Servis elektronik", "Servis TV"), ("{W} Elektronik", "Servis Elektronik {W}")),
            (10, ("95220",), ("Servis AC", "Servis kulkas", "Servis mesin cuci"), ("Service AC {W}", "{W} Teknik")),
            (
                30,
                ("45407",),
                ("Bengkel motor", "Tambal ban", "Ganti oli"),
                ("Bengkel {W}", "{W} Motor", "Tambal Ban {P} {O}", "Bengkel {P} {O}"),
            ),
            (10, ("45201",), ("Bengkel mobil", "Spooring"), ("Bengkel Mobil {W}", "{W} Auto Service")),
        ),
    ),
    (
        "kecantikan",
        0.08,
        "Jasa",
        ("Jasa Kecantikan", "Salon", "Jasa Lainnya", "Laundry"),
        0.45,
        (
            (
                35,
                ("96112",),
                ("Salon kecantikan", "Rias pengantin", "Makeup"),
                ("Salon {O}", "{W} Salon", "Rias Pengantin {O}", "MUA {O}", "Salon {W}"),
            ),
            (25, ("96111",), ("Pangkas rambut", "Barbershop"), ("Barbershop {W}", "Pangkas Rambut {W}", "{W} Barber")),
            (
                30,
                ("96200",),
                ("Laundry kiloan", "Laundry sepatu", "Dry cleaning"),
                (
                    "Laundry {W}",
                    "{W} Laundry",
                    "Laundry {P} {O}",
                    "{W} Wash",
                    "Laundry Kilat",
                    "Laundry Kilat {W}",
                    "Laundry {W} {W2}",
                ),
            ),
            (5, ("96122",), ("Spa", "Pijat refleksi"), ("{W} Spa", "Refleksi {W}")),
            (5, ("96990",), ("Jasa titip", "Jasa bersih rumah"), ("Jastip {W}", "{W} Jasa")),
        ),
    ),
    (
        "jasa",
        0.07,
        "Jasa",
        ("Jasa Lainnya", "Jasa Usaha"),
        0.4,
        (
            (25, ("82190",), ("Fotokopi", "Print dan jilid"), ("{W} Fotocopy", "Fotokopi {W}")),
            (10, ("74201",), ("Foto studio", "Foto wisuda"), ("Studio Foto {W}", "{W} Photography")),
            (
                15,
                ("18111",),
                ("Percetakan", "Digital printing", "Sablon"),
                ("Percetakan {W}", "{W} Digital Printing", "Sablon {W}"),
            ),
            (10, ("85500",), ("Les privat", "Bimbel"), ("Bimbel {W}", "Les Privat {O}")),
            (10, ("77291",), ("Sewa tenda", "Sewa alat pesta"), ("Sewa Tenda {W}", "{W} Dekorasi")),
            (5, ("81290",), ("Jasa kebersihan",), ("{W} Cleaning Service",)),
            (5, ("62090",), ("Jasa IT", "Servis komputer"), ("{W} Komputer", "{W} Tech")),
            (5, ("73100",), ("Periklanan", "Desain grafis"), ("{W} Advertising", "{W} Kreatif")),
            (5, ("79111",), ("Travel umroh", "Tiket pesawat"), ("{W} Tour & Travel", "{W} Travel")),
            (
                10,
                ("55130", "68111"),
                ("Kos-kosan", "Penginapan", "Rumah kos"),
                ("Kost {W}", "Wisma {W}", "Kos {P} {O}"),
            ),
        ),
    ),
    (
        "transport",
        0.03,
        "Transportasi",
        ("Jasa Angkutan", "Jasa", "Transportasi/Ekspedisi"),
        0.35,
        (
            (30, ("49424",), ("Ojek",), ("Ojek {P} {O}", "Ojek {W}")),
            (30, ("49422",), ("Rental mobil",), ("Rental {W}", "{W} Rent Car", "{W} Trans")),
            (20, ("49431",), ("Angkutan barang", "Pick up"), ("Jasa Angkut {P} {O}", "{W} Trans", "Ekspedisi {W}")),
            (10, ("53201",), ("Jasa antar", "Kurir"), ("{W} Express", "Kurir {W}")),
            (10, ("45202",), ("Cuci motor", "Cuci mobil"), ("Cucian Motor {W}", "{W} Car Wash", "Doorsmeer {W}")),
        ),
    ),
    (
        "pertanian",
        0.06,
        "Pertanian",
        ("Peternakan", "Perikanan", "Agribisnis", "Budidaya"),
        0.2,
        (
            (
                30,
                ("01131", "01139"),
                ("Sayuran hidroponik", "Sayur", "Cabai"),
                ("Kebun {W}", "Hidroponik {W}", "Tani {W}"),
            ),
            (25, ("01464", "01462"), ("Ayam kampung", "Telur ayam"), ("Ternak {P} {O}", "Peternakan {W}", "{W} Farm")),
            (15, ("03221",), ("Ikan lele", "Ikan nila"), ("Budidaya {W}", "Kolam {P} {O}", "{W} Fish Farm")),
            (15, ("03111",), ("Tangkapan ikan laut",), ("Nelayan {P} {O}", "Perahu {W}")),
            (10, ("01301",), ("Tanaman hias",), ("Florist {W}", "Tanaman Hias {W}", "Kebun {W}")),
            (5, ("01497",), ("Sarang walet",), ("Walet {W}", "Rumah Walet {P} {O}")),
        ),
    ),
    (
        "lainnya",
        0.03,
        "Lainnya",
        ("Jasa", "Perdagangan", "Lain-lain"),
        0.3,
        (
            (40, ("11052",), ("Air minum isi ulang",), ("Depot Air {W}", "Air Isi Ulang {W}", "Depot Air Minum {W}")),
            (20, ("32909",), ("Sabun", "Lilin aromaterapi", "Kerajinan daur ulang"), ("{W} Handmade", "{W} Mandiri")),
            (20, ("47302",), ("Gas LPG", "Pangkalan gas"), ("Pangkalan Gas {P} {O}", "Pangkalan {W}")),
            (20, ("55900",), ("Kos-kosan",), ("Kost {W}", "Kos {P} {O}")),
        ),
    ),
)
_SENTRA_SECTORS: tuple[tuple, ...] = (
    (
        "somber",
        0.0,
        "Industri Makanan",
        ("Olahan Pangan", "Industri Pengolahan", "Tahu Tempe"),
        0.25,
        (
            (
                45,
                ("10392",),
                ("Tahu", "Tahu putih", "Tahu goreng"),
                ("Tahu Somber {P} {O}", "Tahu {W}", "Pabrik Tahu {W}", "Tahu {P} {O}"),
            ),
            (45, ("10391",), ("Tempe", "Tempe daun"), ("Tempe {P} {O}", "Tempe Somber {W}", "Tempe {W}")),
            (10, ("10794",), ("Keripik tempe",), ("Keripik Tempe {W}", "Keripik Tempe {P} {O}")),
        ),
    ),
    (
        "teritip",
        0.0,
        "Industri Makanan",
        ("Olahan Hasil Laut", "Olahan Pangan", "Mamin"),
        0.5,
        (
            (
                30,
                ("10794",),
                ("Amplang", "Kerupuk ikan"),
                ("Amplang Kepiting Teritip", "Amplang {W}", "Kerupuk Ikan {W}", "Amplang {P} {O}"),
            ),
            (
                35,
                ("10213", "10219"),
                ("Abon ikan", "Ikan beku", "Ikan asin"),
                ("Abon {P} {O}", "Olahan Ikan {W}", "{PR} {W}"),
            ),
            (
                15,
                ("10299",),
                ("Olahan kepiting", "Olahan rumput laut", "Terasi"),
                ("Olahan Hasil Laut {W}", "{PR} {W}"),
            ),
            (10, ("10761",), ("Kopi bubuk",), ("Kopi {W}", "Kopi {P} {O}")),
            (10, ("10799",), ("Snack", "Kue kering"), ("Snack {W}", "{W} Snack")),
        ),
    ),
)
_SENTRA_VARIANTS = {
    1: (
        "Sentra Somber",
        "SENTRA INDUSTRI KECIL SOMBER",
        "KIKS Somber",
        "Sentra Tahu Tempe Somber",
        "somber",
        "SOMBER",
        "Somber, Batu Ampar",
        "Sentra Industri Kecil Somber",
    ),
    2: ("Sentra IKM Teritip", "SIKT", "Sentra Industri Kecil Teritip", "TERITIP", "teritip", "Sentra Teritip"),
}
_SENTRA_BASE = {1: "Somber", 2: "Teritip"}

_PLATFORMS = (  # name, P(used | online, not food), P(used | online, food), abbreviations
    ("WhatsApp", 0.70, 0.70, ("WA", "Whatsapp", "wa")),
    ("Facebook", 0.45, 0.40, ("FB", "fb", "Facebook")),
    ("Instagram", 0.45, 0.40, ("IG", "ig", "Insta")),
    ("Shopee", 0.35, 0.20, ("shopee", "Shopee")),
    ("Tokopedia", 0.15, 0.05, ("Tokped", "tokped")),
    ("GrabFood", 0.00, 0.35, ("Grab", "grab food", "Grabfood")),
    ("GoFood", 0.00, 0.40, ("Gofood", "Go Food", "gofood")),
    ("TikTok Shop", 0.10, 0.05, ("Tiktok", "TikTok")),
    ("Lazada", 0.05, 0.00, ("lazada",)),
)

_MONTHS_ID = (
    "",
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)

_KEL_MISSPELT = {
    "Manggar": ("Mangar",),
    "Lamaru": ("Lemaru", "Lamaroe"),
    "Teritip": ("Tritip", "Teritib"),
    "Manggar Baru": ("Mangar Baru",),
    "Baru Ilir": ("Baru Hilir",),
    "Baru Tengah": ("Baru Tenga",),
    "Baru Ulu": ("Baru Hulu",),
    "Kariangau": ("Karingau", "Kariyangau"),
    "Margo Mulyo": ("Margo Mulya", "Margomulya"),
    "Marga Sari": ("Margosari",),
    "Batu Ampar": ("Batuampar", "Batu Ampa"),
    "Gunung Samarinda": ("Gunung Smarinda",),
    "Karang Joang": ("Karang Juang",),
    "Muara Rapak": ("Muara Rapa",),
    "Gunung Samarinda Baru": ("GSB", "Gunung Samarinda Bru"),
    "Graha Indah": ("Grha Indah",),
    "Gunung Sari Ulu": ("Gunung Sari Hulu",),
    "Gunung Sari Ilir": ("Gunung Sari Hilir",),
    "Karang Rejo": ("Karang Redjo",),
    "Karang Jati": ("Karang Djati",),
    "Mekar Sari": ("Mekar Sarie",),
    "Sumber Rejo": ("Sumberejo", "Sumber Redjo"),
    "Sepinggan": ("Sepingan",),
    "Gunung Bahagia": ("Gunung Bahagya",),
    "Sepinggan Baru": ("Sepingan Baru",),
    "Sepinggan Raya": ("Sepingan Raya",),
    "Sungainangka": ("Sungai Nanka",),
    "Damai Baru": ("Damay Baru",),
    "Damai Bahagia": ("Damai Bhagia",),
    "Prapatan": ("Perapatan",),
    "Telaga Sari": ("Telaga Sarie",),
    "Klandasan Ulu": ("Kelandasan Ulu", "Klandasan Hulu"),
    "Klandasan Ilir": ("Kelandasan Ilir", "Klandasan Hilir"),
    "Damai": ("Damay",),
}

# Regions around Balikpapan for luar_wilayah rows: kabupaten/kota spellings, Kemendagri
# prefix, weight, {kecamatan: kelurahan/desa}.
_FOREIGN = (
    (
        ("Kab. Penajam Paser Utara", "Penajam Paser Utara", "PPU", "Kabupaten Penajam Paser Utara", "Kab. PPU"),
        "6409",
        0.45,
        {
            "Penajam": (
                "Penajam",
                "Nipah-Nipah",
                "Gunung Seteleng",
                "Sungai Parit",
                "Nenang",
                "Buluminung",
                "Petung",
                "Saloloang",
            ),
            "Sepaku": ("Pemaluan", "Sepaku", "Mentawir"),
            "Babulu": ("Babulu Darat",),
            "Waru": ("Waru",),
        },
    ),
    (
        ("Samarinda", "Kota Samarinda", "SAMARINDA"),
        "6472",
        0.25,
        {
            "Samarinda Ulu": ("Air Hitam", "Dadi Mulya", "Air Putih"),
            "Sungai Kunjang": ("Loa Bakung", "Karang Asam Ulu"),
            "Samarinda Seberang": ("Baqa", "Mesjid"),
            "Samarinda Utara": ("Sempaja Selatan", "Lempake"),
        },
    ),
    (
        ("Kutai Kartanegara", "Kab. Kutai Kartanegara", "Kukar"),
        "6402",
        0.20,
        {
            "Samboja": ("Sungai Merdeka", "Karya Merdeka", "Wonotirto", "Samboja Kuala"),
            "Tenggarong": ("Melayu", "Panji", "Timbau"),
        },
    ),
    (("Kab. Paser", "Paser"), "6401", 0.05, {"Tanah Grogot": ("Tanah Grogot", "Jone")}),
    (("Bontang", "Kota Bontang"), "6474", 0.05, {"Bontang Utara": ("Api-Api", "Guntung")}),
)

_ODS_HEADER_ROW = {c: c.upper().replace("_", " ") for c in ODS_COLUMNS}

# --------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------

_YS = np.array([str(y) for y in range(1900, 2101)], dtype=object)
_D2 = np.array([f"{i:02d}" for i in range(100)], dtype=object)
_D3 = np.array([f"{i:03d}" for i in range(1000)], dtype=object)
_DN = np.array([str(i) for i in range(1000)], dtype=object)
_MN = np.array(_MONTHS_ID, dtype=object)
_EXCEL_EPOCH = np.datetime64("1899-12-30", "D")
_NAT = np.datetime64("NaT", "D")


def _obj(n: int, fill: str = "") -> np.ndarray:
    return np.full(n, fill, dtype=object)


def _arr(seq) -> np.ndarray:
    a = np.empty(len(seq), dtype=object)
    a[:] = list(seq)
    return a


def _map_unique(values: np.ndarray, fn) -> np.ndarray:
    """Apply ``fn`` to each distinct value only (fast for repetitive columns)."""
    if len(values) == 0:
        return _obj(0)
    codes, uniques = pd.factorize(np.asarray(values), sort=False)
    out = _arr([fn(x) for x in uniques.tolist()])
    return out[codes]


def _upper(a: np.ndarray) -> np.ndarray:
    return _map_unique(a, str.upper)


def _lower(a: np.ndarray) -> np.ndarray:
    return _map_unique(a, str.lower)


def _ymd(d: np.ndarray):
    y = d.astype("datetime64[Y]").astype(np.int64) + 1970
    m = d.astype("datetime64[M]").astype(np.int64) % 12 + 1
    dd = (d - d.astype("datetime64[M]")).astype(np.int64) + 1
    return y, m, dd


def _fmt_date(d: np.ndarray, style: str, rng: np.random.Generator) -> np.ndarray:
    y, m, dd = _ymd(d)
    ys = _YS[y - 1900]
    if style == "iso":
        return ys + "-" + _D2[m] + "-" + _D2[dd]
    if style == "iso_time":
        hh = rng.integers(7, 21, len(d))
        mi = rng.integers(0, 60, len(d))
        ss = rng.integers(0, 60, len(d))
        return ys + "-" + _D2[m] + "-" + _D2[dd] + " " + _D2[hh] + ":" + _D2[mi] + ":" + _D2[ss]
    if style == "dmy_slash":
        return _D2[dd] + "/" + _D2[m] + "/" + ys
    if style == "dmy_dash":
        return _D2[dd] + "-" + _D2[m] + "-" + ys
    if style == "mdy_slash":
        return _D2[m] + "/" + _D2[dd] + "/" + ys
    if style == "two_digit_year":
        return _D2[dd] + "/" + _D2[m] + "/" + _D2[y % 100]
    if style == "indo_month":
        return _DN[dd] + " " + _MN[m] + " " + ys
    if style == "excel_serial":
        return _map_unique((d - _EXCEL_EPOCH).astype(np.int64), str)
    raise ValueError(style)


def _dots(v: int) -> str:
    return f"{v:,}".replace(",", ".")


def _num_id(x: float) -> str:
    """2.5 -> '2,5', 5.0 -> '5' (Indonesian decimal comma)."""
    s = f"{x:.2f}".rstrip("0").rstrip(".")
    return s.replace(".", ",")


def _round_sig(x: np.ndarray, sig: int = 2) -> np.ndarray:
    x = np.maximum(np.asarray(x, dtype=np.float64), 1.0)
    mag = 10 ** (np.floor(np.log10(x)) - (sig - 1))
    return (np.round(x / mag) * mag).astype(np.int64)


def _typo(s: str, r1: float, r2: float, r3: float) -> str:
    """One-character typo: substitute, drop, double or swap a letter."""
    pos = [i for i, c in enumerate(s) if c.isalpha()]
    if len(pos) < 3:
        return s
    i = pos[min(int(r1 * len(pos)), len(pos) - 1)]
    op = int(r2 * 4)
    if op == 0:
        pool = "aeiouynmrstlkhd"
        c = pool[int(r3 * len(pool))]
        if c == s[i].lower():
            c = "e" if c != "e" else "a"
        if s[i].isupper():
            c = c.upper()
        out = s[:i] + c + s[i + 1 :]
    elif op == 1:
        out = s[:i] + s[i + 1 :]
    elif op == 2:
        out = s[:i] + s[i] + s[i:]
    else:
        out = s[:i] + s[i + 1] + s[i] + s[i + 2 :] if i + 1 < len(s) else s[:i]
    return out if out != s else s[:i] + s[i + 1 :]


_SPELLING = (
    (re.compile(r"\bMuhammad\b"), ("Muhamad", "Mohammad", "Moh.", "M.", "Muhammat")),
    (re.compile(r"\bAhmad\b"), ("Achmad", "Akhmad")),
    (re.compile(r"\bSiti\b"), ("Sitti",)),
    (re.compile(r"\bSitti\b"), ("Siti",)),
    (re.compile(r"\bNoor\b"), ("Nur",)),
    (re.compile(r"\bNur\b"), ("Noor",)),
    (re.compile(r"\bAbdul\b"), ("Abd.",)),
    (re.compile(r"\bYusuf\b"), ("Yusup",)),
    (re.compile(r"\bRahmat\b"), ("Rachmat",)),
    (re.compile(r"\bRahman\b"), ("Rachman",)),
    (re.compile(r"\bIberahim\b"), ("Ibrahim",)),
    (re.compile(r"\bSyamsul\b"), ("Samsul",)),
    (re.compile(r"uddin\b"), ("udin",)),
    (re.compile(r"\bYohanes\b"), ("Johanes", "Yohanis")),
    (re.compile(r"\bWijaya\b"), ("Widjaja", "Wijaja")),
    (re.compile(r"\bSu(?=[a-z])"), ("Soe",)),
    (re.compile(r"\bJ(?=[aou])"), ("Dj",)),
    (re.compile(r"\bNorhayati\b"), ("Nurhayati",)),
)


def _spelling(s: str, r: float) -> str:
    hits = [(rx, alts) for rx, alts in _SPELLING if rx.search(s)]
    if not hits:
        return s
    rx, alts = hits[min(int(r * len(hits)), len(hits) - 1)]
    alt = alts[min(int(r * 7919) % len(alts), len(alts) - 1)]
    return rx.sub(alt, s, count=1)


class _Ctx:
    """Random source, noise level and reference-derived lookups shared by the generators."""

    def __init__(self, ref, seed: int, noise: float, snapshot: date):
        self.rng = np.random.default_rng(seed)
        self.noise = float(noise)
        self.snapshot = np.datetime64(snapshot, "D")
        # OSS issued its first NIBs in July 2018 (OSS 1.0).
        self.oss_start = min(np.datetime64("2018-07-01", "D"), self.snapshot - 365)
        kel = ref.kelurahan
        self.kel_name = _arr(kel["nama"])
        self.kel_code = _arr(kel["kode_kemendagri"])
        self.kel_code_nodot = _arr(kel["kode_kemendagri_nodot"])
        kec = ref.kecamatan
        kec_codes = list(kec["kode_kemendagri"])
        self.kec_name = _arr(kec["nama"])
        self.kel_kec = np.array([kec_codes.index(c) for c in kel["kode_kecamatan"]], dtype=np.int64)
        self.kec_nik = np.array([c.replace(".", "")[-2:] for c in kec_codes], dtype=object)
        # Kelurahan weights: kecamatan population (2021) spread over its kelurahan with fixed
        # factors (independent of the seed: the city's geography does not change with it).
        pop = dict(zip(ref.population["kode_kemendagri"], ref.population["penduduk_2021"].astype(float)))
        geo = np.random.default_rng(647100)
        spread = geo.uniform(0.55, 1.45, len(kel))
        w = np.zeros(len(kel))
        for k in range(len(kec_codes)):
            m = self.kel_kec == k
            w[m] = pop.get(kec_codes[k], 1.0) * spread[m] / spread[m].sum()
        self.kel_weight = w / w.sum()
        idx = {n: i for i, n in enumerate(self.kel_name.tolist())}
        self.somber_kel = idx.get("Batu Ampar", 0)
        self.teritip_kel = idx.get("Teritip", 0)
        for s in ref.sentra.itertuples():
            code = getattr(s, "kode_kelurahan", "")
            hit = np.flatnonzero(self.kel_code == code)
            if hit.size and "Somber" in s.sentra:
                self.somber_kel = int(hit[0])
            elif hit.size and "Teritip" in s.sentra:
                self.teritip_kel = int(hit[0])
        self.kota_kec = [i for i, n in enumerate(self.kec_name.tolist()) if n.endswith(" Kota")]
        self.selatan_name = next((n for n in self.kec_name.tolist() if n.endswith("Selatan")), "Balikpapan Selatan")
        self.kel_variants = self._kelurahan_variants(kel)
        self.kec_variants = self._kecamatan_variants()
        # KBLI titles (for "56102 - Rumah/Warung Makan") and the validity check.
        self.kbli_title = dict(zip(ref.kbli_kelompok["kode"], ref.kbli_kelompok["judul"]))
        mp = ref.mobile_prefixes
        op_w = {"Telkomsel": 0.5, "Indosat": 0.2, "XL": 0.12, "Axis": 0.05, "Tri": 0.07, "Smartfren": 0.06}
        weights = []
        for o in mp["operator"]:
            key = next((k for k in op_w if k.lower() in o.lower()), None)
            weights.append(op_w[key] if key is not None else 0.05)
        ww = np.array(weights, dtype=float)
        counts = {}
        for o in mp["operator"]:
            counts[o] = counts.get(o, 0) + 1
        ww = ww / np.array([counts[o] for o in mp["operator"]], dtype=float)
        self.mobile_prefix = _arr(mp["prefix"])
        self.mobile_p = ww / ww.sum()
        # Sector tables (validated against the reference).
        self.sectors = _SECTORS + _SENTRA_SECTORS
        for s in self.sectors:
            for line in s[5]:
                for code in line[1]:
                    if code not in self.kbli_title:
                        raise ValueError(f"KBLI {code} of sector {s[0]} is not in the KBLI reference")
        self.all_codes = sorted({c for s in _SECTORS for line in s[5] for c in line[1]})

    def p(self, rate: float) -> float:
        return min(1.0, rate * self.noise)

    def coin(self, n: int, rate: float, scaled: bool = True) -> np.ndarray:
        return self.rng.random(n) < (self.p(rate) if scaled else rate)

    def pick(self, n: int, spec: dict[str, float]) -> np.ndarray:
        """0 for the clean form, i for the i-th variant of ``spec`` (rates scaled by noise)."""
        rates = np.array(list(spec.values()), dtype=float) * self.noise
        tot = rates.sum()
        if tot > 1:
            rates, tot = rates / tot, 1.0
        p = np.concatenate([[max(0.0, 1.0 - tot)], rates])
        return self.rng.choice(len(p), size=n, p=p / p.sum())

    def choose(self, options, n: int, p=None) -> np.ndarray:
        opts = _arr(options)
        return opts[self.rng.choice(len(opts), size=n, p=p)]

    def _kelurahan_variants(self, kel) -> dict[str, list[tuple[str, ...]]]:
        out: dict[str, list[tuple[str, ...]]] = {k: [] for k in RATES["kelurahan"]}
        for name, kep, bps in zip(kel["nama"], kel["nama_kepmendagri_2022"], kel["nama_bps"]):
            out["upper"].append((name.upper(),))
            out["lower"].append((name.lower(),))
            out["kel_prefix"].append((f"Kel. {name}", f"Kelurahan {name}", f"KEL. {name.upper()}", f"Kel {name}"))
            if " " in name:
                words = name.split()
                joined = words[0] + "".join(w.lower() for w in words[1:])  # "Margomulyo"
                out["nospace"].append(tuple(dict.fromkeys([kep if kep != name else joined, joined])))
            else:
                spaced = bps.title() if bps.replace(" ", "").lower() == name.lower() and " " in bps else name.upper()
                out["nospace"].append((spaced,))
            out["bps"].append((bps, bps.title()))
            ab = []
            if "Gunung" in name:
                ab += [name.replace("Gunung", "Gn."), name.replace("Gunung", "Gn"), name.replace("Gunung ", "G. ")]
            if bps.startswith("SUNGAI ") or name.startswith("Sungai"):
                base = bps.title() if bps.startswith("SUNGAI ") else name
                ab += [base.replace("Sungai", "Sei"), base.replace("Sungai", "Sei."), base.replace("Sungai", "Sg.")]
            if "Baru" in name and not ab:
                ab += [name.replace("Baru", "Br.")]
            out["abbrev"].append(tuple(ab) if ab else (f"Kel. {name}",))
            out["misspelt"].append(_KEL_MISSPELT.get(name, (name.upper(),)))
            out["with_kecamatan"].append(())  # filled per row (needs the kecamatan)
            out["blank"].append(("",))
            out["whitespace"].append((name + " ", " " + name, name.replace(" ", "  ") if " " in name else name + "  "))
        return out

    def _kecamatan_variants(self) -> dict[str, list[tuple[str, ...]]]:
        out: dict[str, list[tuple[str, ...]]] = {k: [] for k in RATES["kecamatan"]}
        for name in self.kec_name.tolist():
            suffix = name.split(" ", 1)[1] if " " in name else name
            out["bpp"].append((f"BPP {suffix}", f"Bpp {suffix}", f"Bpp. {suffix}", f"BPP. {suffix.upper()}"))
            out["kec_prefix"].append((f"Kec. {name}", f"Kecamatan {name}", f"KEC. {name.upper()}", f"Kec {name}"))
            out["upper"].append((name.upper(),))
            out["lower"].append((name.lower(),))
            out["short"].append((suffix,))
            out["missing"].append(("",))
        return out


def _from_variants(ctx: _Ctx, table: list[tuple[str, ...]], idx: np.ndarray) -> np.ndarray:
    """For each row index into ``table`` (one tuple of spellings per entity), pick a spelling."""
    if idx.size == 0:
        return _obj(0)
    lens = np.array([len(t) for t in table], dtype=np.int64)
    flat = _arr([s for t in table for s in t])
    start = np.concatenate([[0], np.cumsum(lens)[:-1]])
    k = (ctx.rng.random(idx.size) * lens[idx]).astype(np.int64)
    return flat[start[idx] + k]


def _fill_templates(ctx: _Ctx, templates: tuple[str, ...], fields: dict[str, np.ndarray]) -> np.ndarray:
    n = len(next(iter(fields.values())))
    t = ctx.rng.integers(0, len(templates), n)
    out = _obj(n)
    for k, tpl in enumerate(templates):
        rows = np.flatnonzero(t == k)
        if rows.size == 0:
            continue
        acc = _obj(rows.size)
        for part in re.split(r"(\{\w+\})", tpl):
            if not part:
                continue
            if part.startswith("{"):
                acc = acc + fields[part[1:-1]][rows]
            else:
                acc = acc + part
        out[rows] = acc
    return out


# --------------------------------------------------------------------------------------------
# People
# --------------------------------------------------------------------------------------------

_GROUP_LISTS = [
    (g[0], g[1], _arr(g[2].split()), _arr(g[3].split()), _arr(g[4].split()), _arr(g[5].split()), g[6], g[7])
    for g in _NAME_GROUPS
]


def _people(
    ctx: _Ctx,
    ref_dates: np.ndarray,
    kec_home: np.ndarray,
    *,
    nik_prefix=None,
    female_share: float = _FEMALE_SHARE,
    group_p=None,
) -> dict[str, np.ndarray]:
    """Owners: sex, birth date, NIK consistent with both, name, phone, e-mail."""
    rng = ctx.rng
    n = len(ref_dates)
    female = rng.random(n) < female_share
    age_days = (np.clip(rng.normal(42.0, 11.0, n), 18.0, 78.0) * 365.25).astype(np.int64)
    birth = ref_dates - age_days
    gw = np.array([g[1] for g in _GROUP_LISTS]) if group_p is None else np.asarray(group_p, float)
    group = rng.choice(len(_GROUP_LISTS), size=n, p=gw / gw.sum())
    first = _obj(n)
    second = _obj(n)
    prefix = _obj(n)
    for gi, (_, _, mf, ff, ms, fs, p_second, migr) in enumerate(_GROUP_LISTS):
        for fem, firsts, seconds in ((False, mf, ms), (True, ff, fs)):
            rows = np.flatnonzero((group == gi) & (female == fem))
            if rows.size == 0:
                continue
            first[rows] = firsts[rng.integers(0, len(firsts), rows.size)]
            sec = seconds[rng.integers(0, len(seconds), rows.size)]
            # "Sri", "Siti", "Muhammad", "Andi" ... are rarely a whole name.
            has2 = (rng.random(rows.size) < p_second) | np.isin(first[rows], _PREFIX_NAMES)
            second[rows] = np.where(has2 & (sec != first[rows]), " " + sec, "")
        rows = np.flatnonzero(group == gi)
        prefix[rows] = _arr(migr)[rng.integers(0, len(migr), rows.size)]
    name = first + second
    # NIK: province+city (4) + kecamatan (2) + DD(+40 for women) MM YY + serial (4).
    migrant = rng.random(n) < _MIGRANT_SHARE
    same_kec = rng.random(n) < 0.65
    kec_nik = np.where(same_kec, ctx.kec_nik[kec_home], ctx.kec_nik[rng.integers(0, len(ctx.kec_nik), n)])
    kec_other = _D2[rng.integers(1, 25, n)]
    region = np.where(migrant, prefix + kec_other, "6471" + kec_nik)
    if nik_prefix is not None:
        region = np.where(nik_prefix != "", nik_prefix + kec_other, region)
    y, m, d = _ymd(birth)
    date_part = _D2[d + 40 * female] + _D2[m] + _D2[y % 100]
    serial = rng.integers(1, 3000, n)
    nik = region + date_part + _D3[serial // 10] + _DN[serial % 10]
    # Unique NIKs: redraw serials that collide (different people never share a NIK).
    for _ in range(50):
        dup = pd.Series(nik, dtype=object).duplicated().to_numpy()
        if not dup.any():
            break
        s2 = rng.integers(1, 10000, int(dup.sum()))
        nik[dup] = region[dup] + date_part[dup] + _D3[s2 // 10] + _DN[s2 % 10]
    hajj = (age_days > 45 * 365) & (rng.random(n) < 0.18)
    gelar = np.where(rng.random(n) < _GELAR_SHARE, _arr(_GELAR)[rng.integers(0, len(_GELAR), n)], "")
    # Phones: mobile prefix + 6..9 digits; 2% landline only.
    pref = ctx.mobile_prefix[rng.choice(len(ctx.mobile_prefix), size=n, p=ctx.mobile_p)]
    length = rng.choice([10, 11, 12, 13], size=n, p=[0.05, 0.2, 0.55, 0.2])
    rest = rng.integers(0, 10**9, n)
    phone = _arr([p + f"{r:09d}"[: ln - 4] for p, r, ln in zip(pref.tolist(), rest.tolist(), length.tolist())])
    land = rng.random(n) < 0.02
    if land.any():
        ln = rng.integers(700000, 880000, int(land.sum()))
        phone[land] = _arr(["0542" + str(x) for x in ln.tolist()])
    # Household phones: a few people give their partner's number.
    share = np.flatnonzero(rng.random(n) < _SHARED_PHONE)
    if share.size and n > 1:
        phone[share] = phone[rng.integers(0, n, share.size)]
    # E-mail for 45%.
    has_mail = rng.random(n) < 0.45
    local = _lower(first + np.where(rng.random(n) < 0.5, second, "")).astype(object)
    local = _map_unique(local, lambda s: s.replace(" ", _email_sep(s)).replace("'", ""))
    suffix = np.where(rng.random(n) < 0.6, _D2[y % 100], _DN[rng.integers(1, 999, n)])
    suffix = np.where(rng.random(n) < 0.2, "", suffix)
    domain = ctx.choose(
        ["gmail.com", "yahoo.com", "yahoo.co.id", "ymail.com", "hotmail.com", "outlook.com"],
        n,
        p=[0.8, 0.07, 0.05, 0.02, 0.03, 0.03],
    )
    email = np.where(has_mail, local + suffix + "@" + domain, "")
    return {
        "female": female,
        "birth": birth,
        "group": group,
        "first": first,
        "name": name,
        "nik": nik,
        "hajj": hajj,
        "gelar": gelar,
        "phone": phone,
        "email": email,
    }


def _email_sep(s: str) -> str:
    """Separator between the names in an e-mail address (depends on the name only)."""
    return ("", ".", "_")[len(s) % 3]


# --------------------------------------------------------------------------------------------
# Entities (actors and the records that look like them)
# --------------------------------------------------------------------------------------------


def _is_food(code: str) -> bool:
    """Culinary: food and drink service (56), manufacturing (10, 11), food retail (472, 47111/2, 4799x)."""
    return code[:2] in ("56", "10", "11") or code[:3] == "472" or code in ("47111", "47112", "47911", "47991", "47992")


_BIG_KBLI = ("46900", "46311", "46319", "47111", "41011", "46610", "49431", "10794", "46411", "52101")


def _random_dates(ctx: _Ctx, n: int, start: np.datetime64, a: float = 1.6, b: float = 1.3) -> np.ndarray:
    span = int((ctx.snapshot - start).astype(np.int64))
    off = (ctx.rng.beta(a, b, n) * span).astype(np.int64)
    return start + off


def _money_class(ctx: _Ctx, cls: np.ndarray):
    """Capital and annual sales inside each PP 7/2021 class (0 mikro, 1 kecil, 2 menengah, 3 besar)."""
    rng = ctx.rng
    n = len(cls)
    modal = np.zeros(n, np.int64)
    omzet = np.zeros(n, np.int64)
    m0 = cls == 0
    k = int(m0.sum())
    monthly = np.exp(rng.normal(np.log(5e6), 0.9, k))
    annual = np.where(rng.random(k) < 0.5, _round_sig(monthly) * 12, _round_sig(monthly * 12))
    omzet[m0] = np.clip(annual, 1_200_000, _OMZET_MAX[0])
    modal[m0] = np.clip(_round_sig(np.exp(rng.normal(np.log(1e7), 1.0, k))), 500_000, _MODAL_MAX[0])
    for c, (lo_o, hi_o, lo_m, hi_m) in {
        1: (2e9, 15e9, 1e8, 5e9),
        2: (15e9, 50e9, 1e9, 10e9),
        3: (55e9, 400e9, 10.5e9, 80e9),
    }.items():
        mc = cls == c
        k = int(mc.sum())
        if k == 0:
            continue
        o = _round_sig(np.exp(rng.uniform(np.log(lo_o), np.log(hi_o), k)), 3)
        mo = _round_sig(np.exp(rng.uniform(np.log(lo_m), np.log(hi_m), k)), 2)
        o = np.clip(o, int(lo_o) + 100_000_000, int(hi_o))
        mo = np.clip(mo, 0, int(hi_m))
        if c == 3:  # usaha besar: by sales, by capital or both
            by = rng.choice(3, size=k, p=[0.3, 0.2, 0.5])
            o = np.where(by == 1, _round_sig(rng.uniform(5e9, 45e9, k)), o)
            mo = np.where(by == 0, _round_sig(rng.uniform(2e9, 9.5e9, k)), mo)
        omzet[mc] = o
        modal[mc] = mo
    aset = _round_sig(modal * rng.uniform(1.0, 3.0, n))
    return modal, omzet, aset


def _entities(
    ctx: _Ctx,
    n: int,
    *,
    ref_dates: np.ndarray,
    sector: np.ndarray | None = None,
    kel: np.ndarray | None = None,
    cls: np.ndarray | None = None,
) -> dict[str, np.ndarray]:
    """Business entities with their owner (all the clean attributes of an actor)."""
    rng = ctx.rng
    if kel is None:
        kel = rng.choice(len(ctx.kel_name), size=n, p=ctx.kel_weight)
    if sector is None:
        sw = np.array([s[1] for s in _SECTORS])
        sector = rng.choice(len(_SECTORS), size=n, p=sw / sw.sum())
    if cls is None:
        cls = rng.choice(3, size=n, p=_SIZE_CLASS_P)
    e: dict[str, np.ndarray] = {
        "kel": kel.astype(np.int64),
        "sector": sector.astype(np.int64),
        "cls": cls.astype(np.int64),
        "ref_date": ref_dates,
    }
    people = _people(ctx, ref_dates, ctx.kel_kec[kel])
    e.update(people)
    # KBLI, bidang, produk.
    kbli = _obj(n)
    bidang = _obj(n)
    produk = _obj(n)
    usaha = _obj(n)
    online_p = np.zeros(n)
    call = _call(ctx, people["female"], people["group"])
    kel_names = ctx.kel_name[kel]
    for si, sct in enumerate(ctx.sectors):
        rows = np.flatnonzero(sector == si)
        if rows.size == 0:
            continue
        kbli[rows], produk[rows], usaha[rows] = _business(ctx, sct, call[rows], people["first"][rows], kel_names[rows])
        bidang[rows] = sct[2]
        online_p[rows] = sct[4]
    e.update(kbli=kbli, bidang=bidang, produk=produk, usaha=usaha)
    modal, omzet, aset = _money_class(ctx, cls)
    tk = np.where(
        cls == 0,
        np.clip(rng.geometric(0.5, n), 1, 9),
        np.where(cls == 1, rng.integers(5, 20, n), rng.integers(20, 100, n)),
    )
    ref_year = ref_dates.astype("datetime64[Y]").astype(np.int64) + 1970
    tahun = np.clip(ref_year - np.floor(rng.exponential(5.0, n)).astype(np.int64), 1990, ref_year)
    badan = np.where(
        cls == 0,
        np.where(rng.random(n) < 0.03, "PT Perorangan", np.where(rng.random(n) < 0.04, "UD", "Perorangan")),
        ctx.choose(["CV", "CV", "PT", "Perorangan", "UD"], n),
    )
    pelatihan = rng.random(n) < 0.35
    young = (ref_dates - people["birth"]).astype(np.int64) < 35 * 365
    p_online = np.clip(online_p + 0.15 * pelatihan + 0.10 * young - 0.05, 0.02, 0.95)
    online = rng.random(n) < p_online
    active = rng.random(n) < np.where(online, 0.85, 0.45)
    since_2021 = ref_year >= 2021
    bantuan = rng.random(n) < np.where((cls == 0) & since_2021, 0.30, 0.04)
    food = _map_unique(kbli, _is_food).astype(bool)
    # Marketplaces.
    mask = np.zeros(n, np.int64)
    for bit, (_, p_other, p_food, _) in enumerate(_PLATFORMS):
        use = online & (rng.random(n) < np.where(food, p_food, p_other))
        mask |= use.astype(np.int64) << bit
    mask = np.where(online & (mask == 0), 1, mask)  # at least WhatsApp
    plat = _map_unique(mask, lambda b: ", ".join(p[0] for i, p in enumerate(_PLATFORMS) if b >> i & 1))
    # Address.
    kind = rng.choice(3, size=n, p=[0.75, 0.13, 0.12])
    street = _arr(_STREETS)[rng.integers(0, len(_STREETS), n)]
    no = _DN[rng.integers(1, 300, n)]
    gang = _arr(_GANG)[rng.integers(0, len(_GANG), n)]
    perum = _arr(_PERUM)[rng.integers(0, len(_PERUM), n)]
    blok = _arr(list("ABCDEFGHJK"))[rng.integers(0, 10, n)] + _DN[rng.integers(1, 20, n)]
    alamat = _obj(n)
    k0, k1, k2 = (np.flatnonzero(kind == k) for k in range(3))
    alamat[k0] = "Jl. " + street[k0] + " No. " + no[k0]
    alamat[k1] = "Jl. " + street[k1] + " Gg. " + gang[k1] + " No. " + no[k1]
    alamat[k2] = "Perum " + perum[k2] + " Blok " + blok[k2] + " No. " + no[k2]
    rt = rng.integers(1, 75, n)
    rt_in = np.flatnonzero(rng.random(n) < 0.30)
    alamat[rt_in] = alamat[rt_in] + " RT " + _D2[rt[rt_in]]
    rw = np.where(rng.random(n) < 0.85, -1, np.where(rng.random(n) < 0.5, 0, rng.integers(1, 6, n)))
    e.update(
        modal=modal,
        omzet=omzet,
        aset=aset,
        tk=tk.astype(np.int64),
        tahun=tahun,
        badan=badan.astype(object),
        pelatihan=pelatihan,
        online=online,
        active=active,
        bantuan=bantuan,
        marketplace=plat,
        alamat=alamat,
        rt=rt,
        rw=rw,
        food=food,
    )
    return e


_CALLS = {  # how customers address the owner: (women, men) by name group, "Bu"/"Pak" otherwise
    "jawa": (("Bu", "Bu", "Mbak"), ("Pak", "Pak", "Mas")),
    "bugis": (("Bu",), ("Pak", "Pak", "Daeng")),
    "banjar": (("Bu", "Acil"), ("Pak", "Pak", "Julak")),
    "batak": (("Bu", "Inang"), ("Pak", "Bang")),
}


def _call(ctx: _Ctx, female: np.ndarray, group: np.ndarray) -> np.ndarray:
    out = np.where(female, "Bu", "Pak").astype(object)
    for gi, g in enumerate(_GROUP_LISTS):
        if g[0] not in _CALLS:
            continue
        women, men = _CALLS[g[0]]
        for fem, opts in ((True, women), (False, men)):
            rows = np.flatnonzero((group == gi) & (female == fem))
            out[rows] = _arr(opts)[ctx.rng.integers(0, len(opts), rows.size)]
    return out


def _capitalise_words(s: str) -> str:
    """ "Kerupuk ikan" -> "Kerupuk Ikan" (keeps "HP", unlike str.title)."""
    return " ".join(w[:1].upper() + w[1:] for w in s.split(" "))


def _business(ctx: _Ctx, sct: tuple, call: np.ndarray, first: np.ndarray, kel_names: np.ndarray):
    """KBLI, main products and business name for rows of one sector (names match the KBLI)."""
    rng = ctx.rng
    n = len(call)
    kbli, produk, usaha = _obj(n), _obj(n), _obj(n)
    lines = sct[5]
    w = np.array([ln[0] for ln in lines], dtype=float)
    li = rng.choice(len(lines), size=n, p=w / w.sum())
    words, words2 = _arr(_WORDS), _arr(_WORDS2)
    for k, (_, codes, prods, templates) in enumerate(lines):
        rows = np.flatnonzero(li == k)
        if rows.size == 0:
            continue
        kbli[rows] = _arr(codes)[rng.integers(0, len(codes), rows.size)]
        prods = _arr(prods)
        pr = prods[rng.integers(0, len(prods), rows.size)]
        pr2 = prods[rng.integers(0, len(prods), rows.size)]
        two = (rng.random(rows.size) < 0.2) & (pr2 != pr)
        produk[rows] = np.where(two, pr + ", " + _lower(pr2), pr)
        fields = {
            "W": words[rng.integers(0, len(words), rows.size)],
            "W2": words2[rng.integers(0, len(words2), rows.size)],
            "P": call[rows],
            "O": first[rows],
            "PR": _map_unique(pr, _capitalise_words),
            "K": kel_names[rows],
        }
        usaha[rows] = _fill_templates(ctx, templates, fields)
    return kbli, produk, usaha


def _apply_sentra(ctx: _Ctx, e: dict, rows: np.ndarray, which: int) -> None:
    """Make entity ``rows`` members of a sentra (1 Somber, 2 Teritip)."""
    rng = ctx.rng
    n = rows.size
    if n == 0:
        return
    si = len(_SECTORS) + which - 1
    s = ctx.sectors[si]
    kel = ctx.somber_kel if which == 1 else ctx.teritip_kel
    e["kel"][rows] = kel
    e["sector"][rows] = si
    e["cls"][rows] = np.where(rng.random(n) < 0.9, 0, 1)
    modal, omzet, aset = _money_class(ctx, e["cls"][rows])
    e["modal"][rows], e["omzet"][rows], e["aset"][rows] = modal, omzet, aset
    # Tofu and tempe makers are mostly Javanese and men; Teritip's processors mostly women.
    gp = [0.85, 0.05, 0.05, 0.05, 0, 0, 0, 0] if which == 1 else [0.3, 0.35, 0.3, 0.05, 0, 0, 0, 0]
    ppl = _people(
        ctx, e["ref_date"][rows], ctx.kel_kec[np.full(n, kel)], female_share=0.3 if which == 1 else 0.65, group_p=gp
    )
    for k, v in ppl.items():
        e[k][rows] = v
    call = np.where(e["female"][rows], "Bu", "Pak")
    e["kbli"][rows], e["produk"][rows], e["usaha"][rows] = _business(
        ctx, s, call, e["first"][rows], ctx.kel_name[np.full(n, kel)]
    )
    e["bidang"][rows] = s[2]
    e["food"][rows] = True
    e["tk"][rows] = np.clip(rng.geometric(0.35, n), 1, 12)
    street = "Alam Baru" if which == 1 else "Mulawarman"
    e["alamat"][rows] = "Jl. " + street + " No. " + _DN[rng.integers(1, 120, n)] + " RT " + _D2[rng.integers(1, 60, n)]
    ref_year = e["ref_date"][rows].astype("datetime64[Y]").astype(np.int64) + 1970
    lo, hi = (1998, 2016) if which == 1 else (2017, 2022)
    e["tahun"][rows] = np.minimum(rng.integers(lo, hi, n), ref_year)
    e["badan"][rows] = "Perorangan"


# --------------------------------------------------------------------------------------------
# ODS rows (typed), then rendering to text
# --------------------------------------------------------------------------------------------

_ROW_KEYS = (
    "actor",
    "reason",
    "special",
    "t_input",
    "usaha",
    "pemilik",
    "gelar",
    "hajj",
    "female",
    "birth",
    "nik",
    "phone",
    "email",
    "alamat",
    "rt",
    "rw",
    "kel",
    "kel_foreign",
    "kec_foreign",
    "kota_foreign",
    "nib",
    "bidang",
    "kbli",
    "produk",
    "badan",
    "modal",
    "omzet",
    "aset",
    "tk",
    "tahun",
    "status",
    "online",
    "marketplace",
    "pelatihan",
    "bantuan",
    "sentra",
    "sentra_primary",
)


def _rows_from_entities(e: dict, idx: np.ndarray, t_input: np.ndarray) -> dict[str, np.ndarray]:
    n = idx.size
    r = {
        "actor": np.full(n, -1, np.int64),
        "reason": _obj(n),
        "special": np.zeros(n, np.int64),
        "t_input": t_input,
        "usaha": e["usaha"][idx].copy(),
        "pemilik": e["name"][idx].copy(),
        "gelar": e["gelar"][idx].copy(),
        "hajj": e["hajj"][idx].copy(),
        "female": e["female"][idx].astype(np.int64),
        "birth": e["birth"][idx].copy(),
        "nik": e["nik"][idx].copy(),
        "phone": e["phone"][idx].copy(),
        "email": e["email"][idx].copy(),
        "alamat": e["alamat"][idx].copy(),
        "rt": e["rt"][idx].copy(),
        "rw": e["rw"][idx].copy(),
        "kel": e["kel"][idx].copy(),
        "kel_foreign": _obj(n),
        "kec_foreign": _obj(n),
        "kota_foreign": _obj(n),
        "nib": _obj(n),
        "bidang": e["bidang"][idx].copy(),
        "kbli": e["kbli"][idx].copy(),
        "produk": e["produk"][idx].copy(),
        "badan": e["badan"][idx].copy(),
        "modal": e["modal"][idx].copy(),
        "omzet": e["omzet"][idx].copy(),
        "aset": e["aset"][idx].copy(),
        "tk": e["tk"][idx].copy(),
        "tahun": e["tahun"][idx].copy(),
        "status": e["active"][idx].astype(np.int64),
        "online": e["online"][idx].astype(np.int64),
        "marketplace": e["marketplace"][idx].copy(),
        "pelatihan": e["pelatihan"][idx].astype(np.int64),
        "bantuan": e["bantuan"][idx].astype(np.int64),
        "sentra": e.get("sentra", np.zeros(len(e["kel"]), np.int64))[idx].copy(),
        "sentra_primary": np.zeros(n, bool),
    }
    return r


def _concat_rows(parts: list[dict]) -> dict[str, np.ndarray]:
    return {k: np.concatenate([p[k] for p in parts]) for k in _ROW_KEYS}


def _non_actor_rows(ctx: _Ctx, reason: str, n: int, start: np.datetime64) -> dict[str, np.ndarray]:
    rng = ctx.rng
    t = np.sort(_random_dates(ctx, n, start))  # rows come in entry order (cheap final sort)
    cls = None
    if reason == "usaha_besar":
        cls = np.full(n, 3)
    e = _entities(ctx, n, ref_dates=t, cls=cls)
    e["sentra"] = np.zeros(n, np.int64)
    r = _rows_from_entities(e, np.arange(n), t)
    r["reason"][:] = reason
    if reason == "bukan_usaha":
        r["usaha"] = ctx.choose(
            [
                "",
                "",
                "",
                "-",
                "Belum Ada",
                "belum punya usaha",
                "BELUM ADA USAHA",
                "Rencana Usaha",
                "Peserta Pelatihan",
                "-",
                "Belum ada",
            ],
            n,
        )
        blank = rng.random(n) < 0.7
        r["omzet"] = np.where(blank, -1, 0)
        r["modal"] = np.where(rng.random(n) < 0.8, -1, 0)
        r["aset"][:] = -1
        r["kbli"][:] = ""
        r["bidang"] = np.where(rng.random(n) < 0.5, "", r["bidang"])
        r["produk"] = np.where(rng.random(n) < 0.7, "", r["produk"])
        r["badan"][:] = ""
        r["tk"] = np.where(rng.random(n) < 0.7, -1, 0)
        r["tahun"][:] = -1
        r["status"] = np.where(rng.random(n) < 0.5, -1, 2)  # 2: "Belum Berjalan"
        r["online"] = np.where(rng.random(n) < 0.6, -1, 0)
        r["marketplace"][:] = ""
        r["pelatihan"] = np.where(rng.random(n) < 0.9, 1, -1)
        r["bantuan"] = np.where(rng.random(n) < 0.7, -1, 0)
    elif reason == "luar_wilayah":
        fw = np.array([f[2] for f in _FOREIGN])
        reg = rng.choice(len(_FOREIGN), size=n, p=fw / fw.sum())
        r["kel"][:] = -1
        for i, (kotas, prefix, _, kecs) in enumerate(_FOREIGN):
            rows = np.flatnonzero(reg == i)
            if rows.size == 0:
                continue
            r["kota_foreign"][rows] = ctx.choose(kotas, rows.size)
            pairs = [(k, kl) for k, kls in cast(dict, kecs).items() for kl in kls]
            j = rng.integers(0, len(pairs), rows.size)
            r["kec_foreign"][rows] = _arr([pairs[x][0] for x in j.tolist()])
            r["kel_foreign"][rows] = _arr([pairs[x][1] for x in j.tolist()])
            local = rng.random(rows.size) < 0.8
            people = _people(ctx, t[rows], np.zeros(rows.size, np.int64), nik_prefix=np.where(local, prefix, ""))
            r["nik"][rows] = people["nik"]
            r["birth"][rows] = people["birth"]
            r["female"][rows] = people["female"].astype(np.int64)
        r["kec_foreign"] = np.where(rng.random(n) < 0.15, "", r["kec_foreign"])
    elif reason == "badan_lain":
        kind = rng.choice(5, size=n, p=[0.45, 0.2, 0.07, 0.08, 0.2])
        words = _arr(_WORDS)[rng.integers(0, len(_WORDS), n)]
        keln = ctx.kel_name[r["kel"]]
        names = {
            0: (
                [
                    "Koperasi ",
                    "Koperasi Serba Usaha ",
                    "KSP ",
                    "Koperasi Wanita ",
                    "Kopwan ",
                    "KSU ",
                    "Koperasi Konsumen ",
                    "Koperasi Karyawan ",
                    "KUD ",
                ],
                "Koperasi",
            ),
            1: (
                [
                    "Dinas Koperasi UMKM dan Perindustrian",
                    "DKUMKMP Kota Balikpapan",
                    "UPTD Sentra Industri Kecil Somber",
                    "UPTD Pasar ",
                    "Kantor Kelurahan ",
                    "Dinas Ketahanan Pangan",
                    "Puskesmas ",
                    "Dekranasda Kota Balikpapan",
                ],
                "Instansi Pemerintah",
            ),
            2: (["Perumda Tirta Manuntung Balikpapan", "Perusda Manuntung Sukses", "PD Pasar "], "BUMD"),
            3: (["Rumah BUMN Balikpapan", "PT Pos Indonesia (Persero)", "Pegadaian Cabang ", "BRI Unit "], "BUMN"),
            4: (
                ["Yayasan ", "Yayasan Pendidikan ", "Yayasan Panti Asuhan ", "Pondok Pesantren ", "Yayasan Al-"],
                "Yayasan",
            ),
        }
        for k, (prefixes, badan) in names.items():
            rows = np.flatnonzero(kind == k)
            if rows.size == 0:
                continue
            pre = ctx.choose(prefixes, rows.size)
            tail = np.where(k == 0, words[rows], np.where(k == 4, words[rows], keln[rows]))
            r["usaha"][rows] = np.where(_map_unique(pre, lambda s: s.endswith(" ") or s.endswith("-")), pre + tail, pre)
            badan_v = {
                "Koperasi": ["Koperasi", "KOPERASI", "Koperasi"],
                "Instansi Pemerintah": ["Instansi Pemerintah", "Pemerintah", "UPTD", "Dinas"],
                "BUMD": ["BUMD", "Perumda"],
                "BUMN": ["BUMN", "Persero"],
                "Yayasan": ["Yayasan", "YAYASAN"],
            }[badan]
            r["badan"][rows] = ctx.choose(badan_v, rows.size)
            r["kbli"][rows] = {0: "64141", 1: "", 2: "", 3: "", 4: "88992"}[k]
        r["badan"] = np.where(rng.random(n) < 0.2, "", r["badan"])
        nocontact = rng.random(n) < 0.4
        r["pemilik"] = np.where(nocontact, "", r["pemilik"])
        r["nik"] = np.where(nocontact | (rng.random(n) < 0.3), "", r["nik"])
        r["omzet"] = np.where(rng.random(n) < 0.6, -1, r["omzet"])
        r["bidang"] = ctx.choose(["Jasa", "Koperasi", "Lainnya", "", "Perdagangan"], n)
        r["sentra"][:] = 0
    elif reason == "usaha_besar":
        w = _arr(_WORDS)[rng.integers(0, len(_WORDS), n)]
        w2 = _arr(_WORDS2)[rng.integers(0, len(_WORDS2), n)]
        pre = ctx.choose(["PT ", "PT ", "PT Kaltim ", "CV ", "PT Borneo "], n)
        r["usaha"] = pre + w + " " + w2
        r["badan"] = np.where(_map_unique(pre, lambda s: s.startswith("CV")), "CV", "PT")
        r["kbli"] = ctx.choose(_BIG_KBLI, n)
        r["bidang"] = ctx.choose(["Perdagangan", "Perdagangan Besar", "Industri", "Jasa", "Konstruksi"], n)
        r["tk"] = rng.integers(100, 900, n)
        r["bantuan"][:] = 0
    elif reason == "tidak_valid":
        r["special"][:] = np.where(rng.random(n) < 0.65, 1, 2)  # 1 test row, 2 nothing usable
        if n >= 5:
            r["special"][0] = 3  # pasted header row
        if n >= 10:
            r["special"][1] = 4  # totals row (sorted to the end)
    return r


def _dup_dates(ctx: _Ctx, t0: np.ndarray, start: np.datetime64) -> np.ndarray:
    """Entry dates of duplicate rows: another day within 400 days of the primary row."""
    rng = ctx.rng
    n = t0.size
    off = rng.integers(1, 400, n) * np.where(rng.random(n) < 0.7, 1, -1)
    t = t0 + off
    t = np.where((t < start) | (t > ctx.snapshot), t0 - off, t)  # reflect into the window
    return np.clip(t, start, ctx.snapshot)


def _dup_rows(ctx: _Ctx, e: dict, primary: dict, dup_of: np.ndarray, t: np.ndarray) -> dict:
    """Duplicate rows of actors (``dup_of``: index into the primary rows; ``t``: their dates)."""
    rng = ctx.rng
    n = dup_of.size
    r = {k: (v[dup_of].copy() if isinstance(v, np.ndarray) else v) for k, v in primary.items()}
    r["t_input"] = t
    r["sentra_primary"][:] = False
    verbatim = rng.random(n) < _VERBATIM_DUP
    r["special"] = np.where(verbatim, 9, 0)  # 9: copy the rendered primary row
    v = ~verbatim
    spec = RATES["dup"]
    u = {k: ctx.coin(n, p) & v for k, p in spec.items()}
    rr = rng.random((n, 3))
    for key, col in (("name_typo", "pemilik"), ("usaha_typo", "usaha")):
        rows = np.flatnonzero(u[key])
        if rows.size:
            r[col][rows] = _arr(
                [_typo(s, a, b, c) for s, a, b, c in zip(r[col][rows].tolist(), rr[rows, 0], rr[rows, 1], rr[rows, 2])]
            )
    rows = np.flatnonzero(u["usaha_variant"])
    if rows.size:

        def variant(s: str, x: float) -> str:
            parts = s.split(" ")
            if x < 0.4 and len(parts) >= 3:
                return " ".join(
                    parts[2:]
                    if parts[0] in ("Warung", "Rumah", "Toko") and parts[1] in ("Makan", "Sembako")
                    else parts[1:]
                )
            if x < 0.6:
                return ("Toko " if x < 0.5 else "UD ") + s
            if " dan " in s:
                return s.replace(" dan ", " & ")
            return s + (" Balikpapan" if x < 0.8 else " 2")

        r["usaha"][rows] = _arr([variant(s, x) for s, x in zip(r["usaha"][rows].tolist(), rr[rows, 0])])
    rows = np.flatnonzero(u["nik_typo"] & (r["nik"] != ""))
    if rows.size:

        def nik_typo(s: str, a: float, b: float) -> str:
            i = int(a * 15)
            if b < 0.5 and s[i] != s[i + 1]:
                return s[:i] + s[i + 1] + s[i] + s[i + 2 :]
            return s[:i] + str((int(s[i]) + 1 + int(b * 9)) % 10) + s[i + 1 :]

        r["nik"][rows] = _arr([nik_typo(s, a, b) for s, a, b in zip(r["nik"][rows].tolist(), rr[rows, 0], rr[rows, 1])])
    r["nik"][u["nik_missing"]] = ""
    rows = np.flatnonzero(u["phone_changed"])
    if rows.size:
        pref = ctx.mobile_prefix[rng.choice(len(ctx.mobile_prefix), size=rows.size, p=ctx.mobile_p)]
        r["phone"][rows] = pref + _arr([f"{x:08d}" for x in rng.integers(0, 10**8, rows.size).tolist()])
    rows = np.flatnonzero(u["field_missing"])
    if rows.size:
        which = rng.integers(0, 6, rows.size)
        for k, col in enumerate(("email", "phone", "alamat", "birth", "female", "kbli")):
            sel = rows[which == k]
            if col == "birth":
                r[col][sel] = _NAT
            elif col == "female":
                r[col][sel] = -1
            else:
                r[col][sel] = ""
    rows = np.flatnonzero(u["omzet_changed"] & (r["omzet"] > 0))
    if rows.size:
        f = rng.uniform(0.5, 1.6, rows.size)
        cls = e["cls"][r["actor"][rows]]
        hi = np.array(_OMZET_MAX)[np.minimum(cls, 2)]
        new = np.minimum(_round_sig(r["omzet"][rows] * f), hi)
        lo = np.where(cls == 0, 1, np.array((0,) + _OMZET_MAX)[np.minimum(cls, 2)] + 1)
        r["omzet"][rows] = np.maximum(new, lo)
    rows = np.flatnonzero(u["status_changed"])
    if rows.size:
        r["status"][rows] = (rng.random(rows.size) < 0.6).astype(np.int64)
        r["online"][rows] = np.where(rng.random(rows.size) < 0.5, r["online"][rows], 1 - r["online"][rows])
        r["marketplace"][rows] = np.where(
            r["online"][rows] == 1, np.where(r["marketplace"][rows] == "", "WhatsApp", r["marketplace"][rows]), ""
        )
    rows = np.flatnonzero(u["address_changed"])
    if rows.size:
        r["alamat"][rows] = (
            "Jl. "
            + _arr(_STREETS)[rng.integers(0, len(_STREETS), rows.size)]
            + " No. "
            + _DN[rng.integers(1, 300, rows.size)]
        )
    return r


def _render_money(ctx: _Ctx, v: np.ndarray) -> np.ndarray:
    """Rupiah amounts (-1 = unknown) in the many ways people type them."""
    rng = ctx.rng
    n = len(v)
    out = _obj(n)
    kind = ctx.pick(n, RATES["money"])
    names = list(RATES["money"])
    known = v >= 0
    base = known & (kind == 0)
    out[base] = _map_unique(v[base], str)

    def fmt(name: str, x: int, style: int) -> str:
        if name == "rp_dots":
            return "Rp " + _dots(x) if style else "Rp. " + _dots(x)
        if name == "rp_nospace_dash":
            return "Rp" + _dots(x) + ",-"
        if name == "dots":
            return _dots(x)
        if name == "dots_decimals":
            return _dots(x) + ",00"
        if name == "comma_thousands":
            return f"{x:,}"
        if name == "decimal_float":
            return f"{x}.0"
        if name == "juta_words":
            if x >= 1_000_000_000:
                return _num_id(x / 1e9) + (" M", " miliar", " milyar", "M")[style]
            if x >= 1_000_000 and x % 100_000 == 0:
                return _num_id(x / 1e6) + (" jt", "jt", " juta", " Juta")[style]
            if x >= 1000 and x % 1000 == 0 and x < 1_000_000:
                return str(x // 1000) + (" rb", "rb", " ribu", "rb")[style]
            return "Rp " + _dots(x)
        raise ValueError(name)

    for k, name in enumerate(names, 1):
        rows = np.flatnonzero((kind == k) & known)
        if rows.size == 0:
            continue
        if name in ("dash", "blank", "zero"):
            out[rows] = {"dash": "-", "blank": "", "zero": "0"}[name]
            continue
        style = rng.integers(0, 4, rows.size)
        key = v[rows] * 4 + style
        out[rows] = _map_unique(key, lambda z, nm=name: fmt(nm, int(z) // 4, int(z) % 4))
    return out


def _render_yesno(ctx: _Ctx, v: np.ndarray, *, amount: bool = False) -> np.ndarray:
    n = len(v)
    kind = ctx.pick(n, RATES["yesno"])
    forms = {
        0: ("Ya", "Tidak"),
        1: ("Y", "T"),
        2: ("ya", "tidak"),
        3: ("YA", "TIDAK"),
        4: ("1", "0"),
        5: ("Sudah", "Belum"),
        6: ("", ""),
        7: ("-", "-"),
    }
    out = _obj(n)
    for k, (yes, no) in forms.items():
        m = kind == k
        out[m & (v == 1)] = yes
        out[m & (v == 0)] = no
    out[v < 0] = np.where(ctx.rng.random(int((v < 0).sum())) < 0.8, "", "-")
    if amount:
        m = (v == 1) & (ctx.pick(n, RATES["bantuan_amount"]) == 1)
        out[m] = ctx.choose(["Rp 300.000", "300000", "Ya (Rp300.000)", "300.000"], int(m.sum()))
    return out


def _render_ods(ctx: _Ctx, r: dict) -> dict[str, np.ndarray]:
    rng = ctx.rng
    n = len(r["actor"])
    out: dict[str, np.ndarray] = {}

    # tanggal_input
    names = list(RATES["tanggal_input"])
    kind = ctx.pick(n, RATES["tanggal_input"])
    ti = _obj(n)
    for k, style in enumerate(["iso"] + names):
        rows = np.flatnonzero(kind == k)
        if rows.size:
            ti[rows] = _fmt_date(r["t_input"][rows], style, rng)
    out["tanggal_input"] = ti

    # nama_usaha
    s = r["usaha"].copy()
    kind = ctx.pick(n, RATES["nama_usaha"])
    s[kind == 1] = _upper(s[kind == 1])
    s[kind == 2] = _lower(s[kind == 2])
    ws = np.flatnonzero((kind == 3) & (s != ""))
    s[ws] = _whitespace(ctx, s[ws])
    s[kind == 4] = '"' + s[kind == 4] + '"'
    out["nama_usaha"] = s

    # nama_pemilik
    s = r["pemilik"].copy()
    spec = RATES["nama_pemilik"]
    has = s != ""
    gel = r["gelar"] != ""
    drop_gelar = ctx.coin(n, spec["no_gelar"])
    s = np.where(has & gel & ~drop_gelar, s + r["gelar"], s)
    sp = np.flatnonzero(has & ctx.coin(n, spec["spelling"]))
    if sp.size:
        rs = rng.random(sp.size)
        s[sp] = _arr([_spelling(x, q) for x, q in zip(s[sp].tolist(), rs)])
    hon = np.flatnonzero(has & ctx.coin(n, spec["honorific"]))
    if hon.size:
        fem = r["female"][hon] == 1
        hj = r["hajj"][hon]
        male_t = ctx.choose(["Bpk.", "Bapak", "Pak", "Bp.", "Sdr."], hon.size)
        fem_t = ctx.choose(["Ibu", "Ibu.", "Bu", "Ny.", "Sdri."], hon.size)
        title = np.where(fem, np.where(hj, "Hj.", fem_t), np.where(hj, "H.", male_t))
        s[hon] = title + " " + s[hon]
    case = rng.random(n)
    up = has & (case < ctx.p(spec["upper"]))
    lo = has & ~up & (case < ctx.p(spec["upper"]) + ctx.p(spec["lower"]))
    s[up] = _upper(s[up])
    s[lo] = _lower(s[lo])
    ws = np.flatnonzero(has & ctx.coin(n, spec["whitespace"]))
    s[ws] = _whitespace(ctx, s[ws])
    out["nama_pemilik"] = s

    # nik
    nik = r["nik"]
    kind = np.where(nik == "", -1, ctx.pick(n, RATES["nik"]))
    s = nik.copy()
    for k, name in enumerate(RATES["nik"], 1):
        rows = np.flatnonzero(kind == k)
        if rows.size == 0:
            continue
        x = nik[rows]
        if name == "apostrophe":
            s[rows] = "'" + x
        elif name == "excel_sci":
            s[rows] = _map_unique(x, lambda z: f"{int(z):.5E}")
        elif name == "excel_zeroed":
            s[rows] = _map_unique(x, lambda z: z[:15] + "0")
        elif name == "sci_expanded":
            s[rows] = _map_unique(x, lambda z: str(int(float(f"{int(z):.5E}"))))
        elif name == "spaced":
            s[rows] = _map_unique(x, lambda z: f"{z[:4]} {z[4:8]} {z[8:12]} {z[12:]}")
        elif name == "dotted":
            s[rows] = _map_unique(x, lambda z: f"{z[:2]}.{z[2:4]}.{z[4:6]}.{z[6:12]}.{z[12:]}")
        elif name == "blank":
            s[rows] = ""
        elif name == "dash":
            s[rows] = "-"
    out["nik"] = s

    # jenis_kelamin
    fem = r["female"]
    kind = ctx.pick(n, RATES["jenis_kelamin"])
    forms = [
        ("Laki-laki", "Perempuan"),
        ("L", "P"),
        ("LK", "PR"),
        ("LAKI-LAKI", "PEREMPUAN"),
        ("Pria", "Wanita"),
        ("laki laki", "perempuan"),
        ("", ""),
        ("Perempuan", "Laki-laki"),
    ]
    s = _obj(n)
    for k, (male, female) in enumerate(forms):
        m = kind == k
        s[m & (fem == 0)] = male
        s[m & (fem == 1)] = female
    s[fem < 0] = ""
    out["jenis_kelamin"] = s

    # tanggal_lahir
    birth = r["birth"].copy()
    names = list(RATES["tanggal_lahir"])
    kind = ctx.pick(n, RATES["tanggal_lahir"])
    wrong = kind == names.index("wrong_vs_nik") + 1
    birth[wrong] = birth[wrong] + rng.integers(30, 900, int(wrong.sum())) * np.where(
        rng.random(int(wrong.sum())) < 0.5, 1, -1
    )
    s = _obj(n)
    styles = ["iso"] + names
    for k, style in enumerate(styles):
        rows = np.flatnonzero((kind == k) & ~np.isnat(birth))
        if rows.size == 0 or style == "blank":
            continue
        st = "dmy_slash" if style == "wrong_vs_nik" else style
        s[rows] = _fmt_date(birth[rows], st, rng)
    out["tanggal_lahir"] = s

    # no_hp
    out["no_hp"] = _render_phone(ctx, r["phone"])

    # email
    em = r["email"].copy()
    kind = np.where(em == "", -1, ctx.pick(n, RATES["email"]))
    for k, name in enumerate(RATES["email"], 1):
        rows = np.flatnonzero(kind == k)
        if rows.size == 0:
            continue
        x = em[rows]
        if name == "upper":
            em[rows] = _upper(x)
        elif name == "typo_domain":
            em[rows] = _map_unique(
                x,
                lambda z: (
                    z.replace("gmail.com", "gmial.com").replace("yahoo.com", "yaho.com")
                    if "gmail.com" in z or "yahoo.com" in z
                    else z.replace(".com", ".con")
                ),
            )
        elif name == "no_domain":
            em[rows] = _map_unique(x, lambda z: z.rsplit(".", 1)[0])
        elif name == "dash":
            em[rows] = "-"
        elif name == "tidak_ada":
            em[rows] = ctx.choose(["tidak ada", "Tidak Ada", "tdk ada", "-"], rows.size)
        elif name == "whitespace":
            em[rows] = " " + x + " "
    out["email"] = em

    # alamat
    al = r["alamat"].copy()
    kel_idx = r["kel"]
    kel_txt = np.where(kel_idx >= 0, ctx.kel_name[np.maximum(kel_idx, 0)], r["kel_foreign"])
    kind = np.where(al == "", -1, ctx.pick(n, RATES["alamat"]))
    for k, name in enumerate(RATES["alamat"], 1):
        rows = np.flatnonzero(kind == k)
        if rows.size == 0:
            continue
        x = al[rows]
        if name == "jalan_spelled":
            rep = ctx.choose(["Jalan ", "Jln. ", "JL. ", "Jl ", "jl. "], rows.size)
            al[rows] = _arr([z.replace("Jl. ", q, 1) for z, q in zip(x.tolist(), rep.tolist())])
        elif name == "upper":
            al[rows] = _upper(x)
        elif name == "with_rt":
            rt = r["rt"][rows]
            has_rt = _map_unique(x, lambda z: " RT " in z).astype(bool)
            al[rows] = np.where(
                has_rt, x, x + ctx.choose([" RT ", " RT.", " Rt. ", ", RT "], rows.size) + _D3[rt % 1000]
            )
        elif name == "with_kelurahan":
            al[rows] = x + ", Kel. " + kel_txt[rows]
        elif name == "no_number":
            al[rows] = _map_unique(x, lambda z: re.sub(r"\s*No\. \d+", "", z))
        elif name == "newline":
            al[rows] = _map_unique(x, lambda z: z.replace(" No. ", "\nNo. ", 1) if " No. " in z else z + "\n")
        elif name == "blank":
            al[rows] = ""
    out["alamat"] = al

    # rt / rw
    rt = r["rt"]
    kind = ctx.pick(n, RATES["rt"])
    s = _obj(n)
    s[kind == 0] = _D3[rt[kind == 0] % 1000]
    s[kind == 1] = _DN[rt[kind == 1] % 1000]
    s[kind == 2] = _D2[rt[kind == 2] % 100]
    m = kind == 3
    s[m] = ctx.choose(["RT ", "RT.", "Rt "], int(m.sum())) + _D2[rt[m] % 100]
    s[rt < 0] = ""
    out["rt"] = s
    rw = r["rw"]
    s = np.where(rw < 0, "", np.where(rw == 0, ctx.choose(["000", "0", "00"], n), _D3[np.maximum(rw, 0) % 1000]))
    s = np.where(ctx.coin(n, RATES["rw"]["dash"]) & (rw < 0), "-", s).astype(object)
    out["rw"] = s

    # kelurahan / kecamatan / kabupaten_kota
    out["kelurahan"], out["kecamatan"] = _render_place(ctx, r)
    kota = _obj(n, "Kota Balikpapan")
    kind = ctx.pick(n, RATES["kabupaten_kota"])
    kota_forms = {
        1: ["Balikpapan"],
        2: ["KOTA BALIKPAPAN", "BALIKPAPAN"],
        3: ["Kodya Balikpapan"],
        4: ["BPP", "Bpp"],
        5: [""],
    }
    for k, f in kota_forms.items():
        m = kind == k
        kota[m] = ctx.choose(f, int(m.sum()))
    foreign = r["kota_foreign"] != ""
    kota[foreign] = r["kota_foreign"][foreign]
    out["kabupaten_kota"] = kota

    # nib
    nib = r["nib"]
    s = nib.copy()
    has = nib != ""
    kind = np.where(has, ctx.pick(n, RATES["nib"]), -1)
    m = kind == 1
    s[m] = "'" + nib[m]
    m = kind == 2
    s[m] = _map_unique(nib[m], lambda z: f"{int(z):.5E}")
    m = kind == 3
    s[m] = _map_unique(nib[m], lambda z: f"{z[:4]} {z[4:8]} {z[8:]}")
    zero = np.flatnonzero(has & (kind == 0) & _map_unique(nib, lambda z: z.startswith("0")).astype(bool))
    lost = zero[ctx.coin(zero.size, RATES["nib_zero"]["lost_leading_zero"])]
    s[lost] = _map_unique(nib[lost], lambda z: z.lstrip("0"))
    none = np.flatnonzero(~has & (r["special"] == 0))
    ph = none[ctx.coin(none.size, RATES["nib_none"]["placeholder"])]
    s[ph] = ctx.choose(["-", "Belum Ada", "Proses", "0", "belum ada", "Dalam Proses"], ph.size)
    out["nib"] = s

    # bidang_usaha, kbli, produk, status badan
    b = r["bidang"].copy()
    kind = np.where(b == "", -1, ctx.pick(n, RATES["bidang_usaha"]))
    syn = {}
    for sct in ctx.sectors:
        syn.setdefault(sct[2], [])
        syn[sct[2]] += [x for x in sct[3] if x not in syn[sct[2]]]
    rows = np.flatnonzero(kind == 1)
    if rows.size:
        rsel = rng.random(rows.size)
        b[rows] = _arr([syn.get(x, [x])[int(q * len(syn.get(x, [x])))] for x, q in zip(b[rows].tolist(), rsel)])
    b[kind == 2] = _upper(b[kind == 2])
    b[kind == 3] = ""
    out["bidang_usaha"] = b

    kb = r["kbli"].copy()
    kind = np.where(kb == "", -1, ctx.pick(n, RATES["kbli"]))
    names = list(RATES["kbli"])
    for k, name in enumerate(names, 1):
        rows = np.flatnonzero(kind == k)
        if rows.size == 0:
            continue
        x = kb[rows]
        if name == "blank":
            kb[rows] = ""
        elif name == "four_digit":
            kb[rows] = _map_unique(x, lambda z: z[:4])
        elif name == "with_title":
            kb[rows] = _map_unique(x, lambda z: f"{z} - {ctx.kbli_title.get(z, '')}")
        elif name == "wrong_code":
            kb[rows] = _arr(ctx.all_codes)[rng.integers(0, len(ctx.all_codes), rows.size)]
        elif name == "apostrophe":
            kb[rows] = "'" + x
        elif name == "two_digit":
            kb[rows] = _map_unique(x, lambda z: z[:2])
    zero = np.flatnonzero((kind == 0) & _map_unique(r["kbli"], lambda z: z.startswith("0")).astype(bool))
    lost = zero[ctx.coin(zero.size, RATES["kbli_zero"]["lost_leading_zero"])]
    kb[lost] = _map_unique(kb[lost], lambda z: z.lstrip("0"))
    out["kbli"] = kb

    p = r["produk"].copy()
    kind = np.where(p == "", -1, ctx.pick(n, RATES["produk_utama"]))
    p[kind == 1] = _upper(p[kind == 1])
    p[kind == 2] = _lower(p[kind == 2])
    p[kind == 3] = ""
    out["produk_utama"] = p

    bd = r["badan"].copy()
    kind = np.where(bd == "", -1, ctx.pick(n, RATES["status_badan_usaha"]))
    m = (kind == 1) & (bd == "Perorangan")
    bd[m] = ctx.choose(["Perseorangan", "Usaha Perorangan", "PERORANGAN", "Pribadi", "perorangan"], int(m.sum()))
    bd[kind == 2] = ""
    out["status_badan_usaha"] = bd

    # money
    out["modal_usaha"] = _render_money(ctx, r["modal"])
    out["omzet_per_tahun"] = _render_money(ctx, r["omzet"])
    out["aset"] = _render_money(ctx, r["aset"])

    # tenaga_kerja, tahun_mulai
    tk = r["tk"]
    kind = ctx.pick(n, RATES["tenaga_kerja"])
    s = _obj(n)
    known = tk >= 0
    tkc = np.clip(tk, 0, 999)
    for k, f in enumerate(
        [
            lambda z: _DN[z],
            lambda z: _DN[z] + " orang",
            lambda z: _DN[z] + ".0",
            lambda z: _D2[np.minimum(z, 99)],
            lambda z: _obj(len(z), "-"),
            lambda z: _obj(len(z)),
        ]
    ):
        m = (kind == k) & known
        s[m] = f(tkc[m])
    out["tenaga_kerja"] = s
    th = r["tahun"]
    kind = ctx.pick(n, RATES["tahun_mulai"])
    s = _obj(n)
    known = th > 0
    thc = np.clip(th, 1900, 2100) - 1900
    m = (kind == 0) & known
    s[m] = _YS[thc[m]]
    m = (kind == 1) & known
    s[m] = _YS[thc[m]] + ".0"
    m = (kind == 2) & known
    s[m] = ctx.choose(["Thn ", "Th. ", "Tahun ", "thn "], int(m.sum())) + _YS[thc[m]]
    m = (kind == 3) & known
    s[m] = _D2[rng.integers(1, 29, int(m.sum()))] + "/" + _D2[rng.integers(1, 13, int(m.sum()))] + "/" + _YS[thc[m]]
    m = (kind == 4) & known
    s[m] = "-"
    out["tahun_mulai"] = s

    # status_usaha
    st = r["status"]
    kind = ctx.pick(n, RATES["status_usaha"])
    forms = [
        ("Aktif", "Tidak Aktif"),
        ("AKTIF", "TIDAK AKTIF"),
        ("aktif", "tidak aktif"),
        ("Masih Berjalan", "Tutup"),
        ("Aktif", "Non Aktif"),
        ("Y", "T"),
        ("", ""),
    ]
    s = _obj(n)
    for k, (yes, no) in enumerate(forms):
        m = kind == k
        s[m & (st == 1)] = yes
        s[m & (st == 0)] = no
    m = (kind == 4) & (st == 0)
    s[m] = ctx.choose(["Non Aktif", "Berhenti", "Nonaktif"], int(m.sum()))
    m = st == 2
    s[m] = ctx.choose(["Belum Berjalan", "Belum Usaha", "Rencana"], int(m.sum()))
    out["status_usaha"] = s

    # yes/no columns and marketplace
    out["pemasaran_online"] = _render_yesno(ctx, r["online"])
    out["pelatihan"] = _render_yesno(ctx, r["pelatihan"])
    out["bantuan_modal"] = _render_yesno(ctx, r["bantuan"], amount=True)
    out["marketplace"] = _render_marketplace(ctx, r)

    # sentra
    sn = r["sentra"]
    s = _obj(n)
    for k in (1, 2):
        m = sn == k
        s[m] = _SENTRA_BASE[k]
        var = np.flatnonzero(m & ctx.coin(n, RATES["sentra"]["variant"]))
        s[var] = ctx.choose(_SENTRA_VARIANTS[k], var.size)
    dropped = np.flatnonzero((sn > 0) & ~r["sentra_primary"] & ctx.coin(n, RATES["sentra_dup"]["blank"]))
    s[dropped] = ""
    kind = np.where(sn > 0, -1, ctx.pick(n, RATES["sentra_none"]))
    s[kind == 1] = "-"
    s[kind == 2] = "Tidak"
    out["sentra"] = s
    return out


def _whitespace(ctx: _Ctx, x: np.ndarray) -> np.ndarray:
    if x.size == 0:
        return x
    k = ctx.rng.integers(0, 4, x.size)
    return _arr(
        [
            (
                s + " "
                if kk == 0
                else " " + s
                if kk == 1
                else s.replace(" ", "  ", 1)
                if kk == 2
                else s.replace(" ", "\u00a0", 1)
            )
            for s, kk in zip(x.tolist(), k.tolist())
        ]
    )


def _render_phone(ctx: _Ctx, ph: np.ndarray) -> np.ndarray:
    n = len(ph)
    s = ph.copy()
    mobile = _map_unique(ph, lambda z: z.startswith("08")).astype(bool)
    land = (ph != "") & ~mobile
    kind = np.where(mobile, ctx.pick(n, RATES["no_hp"]), -1)
    for k, name in enumerate(RATES["no_hp"], 1):
        rows = np.flatnonzero(kind == k)
        if rows.size == 0:
            continue
        x = ph[rows]
        if name == "plus62_dashed":
            s[rows] = _map_unique(x, lambda z: f"+62 {z[1:4]}-{z[4:8]}-{z[8:]}")
        elif name == "plus62":
            s[rows] = "+62" + _map_unique(x, lambda z: z[1:])
        elif name == "c62":
            s[rows] = "62" + _map_unique(x, lambda z: z[1:])
        elif name == "spaced":
            s[rows] = _map_unique(x, lambda z: f"{z[:4]} {z[4:8]} {z[8:]}")
        elif name == "dashed":
            s[rows] = _map_unique(x, lambda z: f"{z[:4]}-{z[4:8]}-{z[8:]}")
        elif name == "lost_zero":
            s[rows] = _map_unique(x, lambda z: z[1:])
        elif name == "two_numbers":
            other = ctx.mobile_prefix[ctx.rng.choice(len(ctx.mobile_prefix), size=rows.size, p=ctx.mobile_p)]
            s[rows] = x + " / " + other + _arr([f"{v:08d}" for v in ctx.rng.integers(0, 10**8, rows.size).tolist()])
        elif name == "apostrophe":
            s[rows] = "'" + x
        elif name == "blank":
            s[rows] = ""
    rows = np.flatnonzero(land)
    if rows.size:
        form = np.where(ctx.coin(rows.size, 0.5), ctx.rng.integers(1, 3, rows.size), 0)
        x = ph[rows]
        s[rows] = _arr(
            [(f"0542-{z[4:]}", f"(0542) {z[4:]}", f"0542 {z[4:]}")[kk] for z, kk in zip(x.tolist(), form.tolist())]
        )
    return s


def _render_place(ctx: _Ctx, r: dict):
    n = len(r["kel"])
    kel = r["kel"]
    local = kel >= 0
    kl = _obj(n)
    kind = np.where(local, ctx.pick(n, RATES["kelurahan"]), -1)
    kl[kind == 0] = ctx.kel_name[kel[kind == 0]]
    kec_of = ctx.kel_kec[np.maximum(kel, 0)]
    for k, name in enumerate(RATES["kelurahan"], 1):
        rows = np.flatnonzero(kind == k)
        if rows.size == 0:
            continue
        if name == "with_kecamatan":
            kl[rows] = ctx.kel_name[kel[rows]] + ", " + ctx.kec_name[kec_of[rows]]
        else:
            kl[rows] = _from_variants(ctx, ctx.kel_variants[name], kel[rows])
    kl[~local] = r["kel_foreign"][~local]
    kc = _obj(n)
    kind = np.where(local, ctx.pick(n, RATES["kecamatan"]), -1)
    kc[kind == 0] = ctx.kec_name[kec_of[kind == 0]]
    for k, name in enumerate(RATES["kecamatan"], 1):
        rows = np.flatnonzero(kind == k)
        if rows.size:
            kc[rows] = _from_variants(ctx, ctx.kec_variants[name], kec_of[rows])
    if ctx.kota_kec:
        pre = np.flatnonzero(
            local & np.isin(kec_of, ctx.kota_kec) & (kind == 0) & ctx.coin(n, RATES["kecamatan_kota"]["pre2012"])
        )
        kc[pre] = ctx.selatan_name
    kc[~local] = r["kec_foreign"][~local]
    return kl, kc


def _render_marketplace(ctx: _Ctx, r: dict) -> np.ndarray:
    mp = r["marketplace"].copy()
    n = len(mp)
    on = (r["online"] == 1) & (mp != "")
    kind = np.where(on, ctx.pick(n, RATES["marketplace"]), -1)
    rows = np.flatnonzero(kind == 1)
    if rows.size:
        sep = ctx.choose(["/", "; ", " dan ", ",", " & "], rows.size)
        mp[rows] = _arr([z.replace(", ", q) for z, q in zip(mp[rows].tolist(), sep.tolist())])
    rows = np.flatnonzero(kind == 2)
    if rows.size:
        abbrev = {p[0]: p[3] for p in _PLATFORMS}
        rs = ctx.rng.random(rows.size)
        mp[rows] = _arr(
            [
                ", ".join(abbrev[w][int(q * len(abbrev[w]))] for w in z.split(", "))
                for z, q in zip(mp[rows].tolist(), rs)
            ]
        )
    mp[kind == 3] = _lower(mp[kind == 3])
    mp[kind == 4] = _upper(mp[kind == 4])
    mp[kind == 5] = ""
    off = np.flatnonzero((r["online"] != 1) & (r["special"] == 0) & (r["reason"] == ""))
    inc = off[ctx.coin(off.size, RATES["marketplace_offline"]["inconsistent"])]
    mp[inc] = ctx.choose(["WhatsApp", "Facebook", "WA", "Instagram"], inc.size)
    mp[(r["online"] != 1) & ~np.isin(np.arange(n), inc)] = ""
    return mp


def _special_rows(ctx: _Ctx, r: dict, out: dict[str, np.ndarray]) -> None:
    """tidak_valid rows: test input, empty rows, a pasted header and a totals row."""
    rng = ctx.rng
    sp = r["special"]
    cols = [c for c in ODS_COLUMNS if c != "tanggal_input"]
    rows = np.flatnonzero(sp == 1)
    if rows.size:
        k = rows.size
        blank_mask = rng.random((k, len(cols))) < 0.6
        for j, c in enumerate(cols):
            out[c][rows[blank_mask[:, j]]] = ""
        out["nama_usaha"][rows] = ctx.choose(
            [
                "TEST",
                "test",
                "Test Input",
                "coba",
                "Coba",
                "COBA INPUT",
                "xxx",
                "XXX",
                "asdf",
                "tes",
                "tes 123",
                "uji coba",
                "dummy",
                "-",
            ],
            k,
        )
        out["nama_pemilik"][rows] = ctx.choose(
            ["test", "admin", "xxx", "coba", "Operator", "tes", "-", "asd", "a", "TEST"], k
        )
        out["nik"][rows] = ctx.choose(
            ["1234567890123456", "0000000000000000", "1111111111111111", "123", "", "-", "6471000000000000", "xxx"], k
        )
        out["no_hp"][rows] = ctx.choose(["08123456789", "0", "", "1234", "-", "081111111111"], k)
        out["omzet_per_tahun"][rows] = ctx.choose(["1", "0", "", "123", "-", "1000"], k)
    rows = np.flatnonzero(sp == 2)
    for c in cols:
        out[c][rows] = ""
    keep = rows[rng.random(rows.size) < 0.4]
    out["kabupaten_kota"][keep] = "Kota Balikpapan"
    rows = np.flatnonzero(sp == 3)
    for c in ODS_COLUMNS:
        out[c][rows] = _ODS_HEADER_ROW[c]
    rows = np.flatnonzero(sp == 4)
    if rows.size:
        for c in ODS_COLUMNS:
            out[c][rows] = ""
        act = r["actor"] >= 0
        out["nama_usaha"][rows] = "JUMLAH"
        out["modal_usaha"][rows] = str(int(r["modal"][act & (r["modal"] > 0)].sum()))
        out["omzet_per_tahun"][rows] = str(int(r["omzet"][act & (r["omzet"] > 0)].sum()))
        out["tenaga_kerja"][rows] = str(int(r["tk"][act & (r["tk"] > 0)].sum()))


# --------------------------------------------------------------------------------------------
# OSS
# --------------------------------------------------------------------------------------------


def _nibs(ctx: _Ctx, issued: np.ndarray) -> np.ndarray:
    """Distinct 13-digit NIBs; OSS 1.1 (before Aug 2021) numbers start 91/81, OSS RBA 0/1/2."""
    rng = ctx.rng
    n = len(issued)
    rba = issued >= np.datetime64("2021-08-02")
    body = rng.integers(0, 10**11, n)
    lead = np.where(rba, ctx.choose(["02", "12", "11", "22", "03", "13"], n), ctx.choose(["91", "81", "91", "92"], n))
    nib = lead + _arr([f"{b:011d}" for b in body.tolist()])
    for _ in range(50):
        dup = pd.Series(nib, dtype=object).duplicated().to_numpy()
        if not dup.any():
            break
        nib[dup] = lead[dup] + _arr([f"{b:011d}" for b in rng.integers(0, 10**11, int(dup.sum())).tolist()])
    return nib


def _oss_name(ctx: _Ctx, name: np.ndarray, gelar: np.ndarray, hajj: np.ndarray, female: np.ndarray) -> np.ndarray:
    rng = ctx.rng
    n = len(name)
    s = name.copy()
    sp = np.flatnonzero(ctx.coin(n, RATES["nama_pemilik"]["spelling"]))
    if sp.size:
        s[sp] = _arr([_spelling(x, q) for x, q in zip(s[sp].tolist(), rng.random(sp.size))])
    s = np.where((gelar != "") & (rng.random(n) < 0.7), s + gelar, s)
    hj = hajj & (rng.random(n) < 0.5)
    s = np.where(hj, np.where(female, "HJ. ", "H. ") + s, s)
    return _upper(s)


def _build_oss(ctx: _Ctx, e: dict, nib_actor: np.ndarray, scale: float):
    """OSS rows: NIB holders (plus second-KBLI rows) and the OSS-only exclusions."""
    rng = ctx.rng
    a = nib_actor[np.argsort(e["nib_date"][nib_actor], kind="stable")]  # export order, mostly
    n = a.size
    # Values per NIB (identical on every row of that NIB).
    female = e["female"][a]
    name = _oss_name(ctx, e["name"][a], e["gelar"][a], e["hajj"][a], female)
    badan = e["badan"][a]
    is_bu = np.isin(badan, ["CV", "PT", "PT Perorangan"])
    bu = np.flatnonzero(is_bu)
    name[bu] = _upper(np.where(badan[bu] == "PT Perorangan", "PT ", badan[bu] + " ") + e["usaha"][a[bu]])
    phone = e["phone"][a].copy()
    mobile = _map_unique(phone, lambda z: z.startswith("08")).astype(bool)
    other = np.flatnonzero(ctx.coin(n, RATES["oss"]["phone_other"]) | ~mobile)
    pref = ctx.mobile_prefix[rng.choice(len(ctx.mobile_prefix), size=other.size, p=ctx.mobile_p)]
    phone[other] = pref + _arr([f"{x:08d}" for x in rng.integers(0, 10**8, other.size).tolist()])
    c62 = np.flatnonzero(rng.random(n) < 0.6)
    phone[c62] = "62" + _map_unique(phone[c62], lambda z: z[1:])
    email = e["email"][a].copy()
    gen = np.flatnonzero(email == "")
    email[gen] = (
        _lower(_map_unique(e["first"][a[gen]], lambda z: z.replace(" ", "")))
        + _DN[rng.integers(10, 999, gen.size)]
        + "@gmail.com"
    )
    kel = e["kel"][a].copy()
    moved = ctx.coin(n, RATES["oss"]["kd_daerah_other"])
    kel[moved] = rng.choice(len(ctx.kel_name), size=int(moved.sum()), p=ctx.kel_weight)
    tki = e["tk"][a]
    tki_l = rng.binomial(tki, np.where(female, 0.35, 0.6))
    # One row per NIB, plus a second row for a second KBLI.
    multi = np.flatnonzero(rng.random(n) < _MULTI_KBLI)
    pos = np.concatenate([np.arange(n), multi])
    rows_actor = a[pos]
    m = pos.size
    kbli = e["kbli"][rows_actor].copy()
    sec = np.arange(n, m)
    alt = _arr(ctx.all_codes)[rng.integers(0, len(ctx.all_codes), sec.size)]
    kbli[sec] = np.where(alt == kbli[sec], "47112", alt)
    skala = _arr(["Usaha Mikro", "Usaha Kecil", "Usaha Menengah", "Usaha Besar"])[e["cls"][a]]
    per_nib = {
        "nib": e["nib"][a],
        "tgl_terbit_nib": _fmt_date(e["nib_date"][a], "iso", rng),
        "nama_pelaku_usaha": name,
        "nik": e["nik"][a],
        "jenis_pelaku_usaha": _arr(["Orang Perseorangan", "Badan Usaha"])[is_bu.astype(np.int64)],
        "status_penanaman_modal": _obj(n, "PMDN"),
        "kd_daerah": ctx.kel_code_nodot[kel],
        "alamat": _oss_address(e["alamat"][a], e["rt"][a]),
        "skala_usaha": skala,
        "jumlah_investasi": _map_unique(e["modal"][a], str),
        "jumlah_tki_l": _DN[np.clip(tki_l, 0, 999)],
        "jumlah_tki_p": _DN[np.clip(tki - tki_l, 0, 999)],
        "no_telp": phone,
        "email": email,
    }
    oss = {c: (kbli if c == "kbli" else per_nib[c][pos]) for c in OSS_COLUMNS}
    meta = {"actor": rows_actor, "reason": _obj(m), "date": e["nib_date"][rows_actor]}
    parts = [(oss, meta)]
    for reason, base in _BASE_OSS_REASONS.items():
        k = max(1, round(base * scale))
        parts.append(_oss_exclusions(ctx, reason, k))
    cols = {c: np.concatenate([p[0][c] for p in parts]) for c in OSS_COLUMNS}
    meta = {k: np.concatenate([p[1][k] for p in parts]) for k in ("actor", "reason", "date")}
    order = np.lexsort(
        (
            _map_unique(cols["kbli"], int).astype(np.int64),
            _map_unique(cols["nib"], int).astype(np.int64),
            meta["date"].astype(np.int64),
        )
    )
    cols = {c: v[order] for c, v in cols.items()}
    meta = {k: v[order] for k, v in meta.items()}
    return cols, meta


def _oss_address(alamat: np.ndarray, rt: np.ndarray) -> np.ndarray:
    """OSS style: upper case, RT appended as three digits unless the address has one."""
    has_rt = _map_unique(alamat, lambda z: " RT " in z).astype(bool)
    return _upper(np.where(has_rt, alamat, alamat + " RT " + _D3[rt % 1000]))


def _oss_exclusions(ctx: _Ctx, reason: str, k: int):
    rng = ctx.rng
    issued = _random_dates(ctx, k, ctx.oss_start, 2.0, 1.5)
    cls = np.full(k, 3) if reason == "usaha_besar" else None
    e = _entities(ctx, k, ref_dates=issued, cls=cls)
    nib = _nibs(ctx, issued)
    kd = ctx.kel_code_nodot[e["kel"]]
    name = _oss_name(ctx, e["name"], e["gelar"], e["hajj"], e["female"])
    jenis = _obj(k, "Orang Perseorangan")
    skala = _arr(["Usaha Mikro", "Usaha Kecil", "Usaha Menengah", "Usaha Besar"])[e["cls"]]
    nik = e["nik"]
    alamat = _oss_address(e["alamat"], e["rt"])
    if reason == "luar_wilayah":
        fw = np.array([f[2] for f in _FOREIGN])
        reg = rng.choice(len(_FOREIGN), size=k, p=fw / fw.sum())
        pre = _arr([_FOREIGN[i][1] for i in reg.tolist()])
        kd = pre + _D2[rng.integers(1, 8, k)] + _arr(["1", "2"])[rng.integers(0, 2, k)] + _D3[rng.integers(1, 15, k)]
        ppl = _people(ctx, issued, np.zeros(k, np.int64), nik_prefix=np.where(rng.random(k) < 0.8, pre, ""))
        nik = ppl["nik"]
        kota = _arr([_FOREIGN[i][0][0] for i in reg.tolist()])
        alamat = alamat + ", " + _upper(kota)
    elif reason == "usaha_besar":
        jenis[:] = "Badan Usaha"
        words = _arr(_WORDS)[rng.integers(0, len(_WORDS), k)]
        name = _upper(
            ctx.choose(["PT ", "PT ", "PT KALTIM ", "PT BORNEO "], k)
            + words
            + " "
            + _arr(_WORDS2)[rng.integers(0, len(_WORDS2), k)]
        )
        skala[:] = "Usaha Besar"
        e["kbli"] = ctx.choose(_BIG_KBLI, k)
        e["tk"] = rng.integers(100, 900, k)
        e["modal"] = _round_sig(np.exp(rng.uniform(np.log(10.5e9), np.log(80e9), k)))
    elif reason == "badan_lain":
        jenis[:] = "Badan Usaha"
        words = _arr(_WORDS)[rng.integers(0, len(_WORDS), k)]
        name = _upper(
            ctx.choose(["KOPERASI ", "KOPERASI SERBA USAHA ", "KOPERASI KONSUMEN ", "KSP ", "KOPERASI PRODUSEN "], k)
            + words
        )
    tki = e["tk"]
    tki_l = rng.binomial(tki, 0.5)
    gen = _lower(_map_unique(e["first"], lambda z: z.replace(" ", "")))
    email = np.where(e["email"] == "", gen + _DN[rng.integers(10, 999, k)] + "@gmail.com", e["email"])
    oss = {
        "nib": nib,
        "tgl_terbit_nib": _fmt_date(issued, "iso", rng),
        "nama_pelaku_usaha": name,
        "nik": nik,
        "jenis_pelaku_usaha": jenis,
        "status_penanaman_modal": _obj(k, "PMDN"),
        "kd_daerah": kd,
        "alamat": alamat,
        "kbli": e["kbli"] if reason != "badan_lain" else _obj(k, "64141"),
        "skala_usaha": skala,
        "jumlah_investasi": _map_unique(e["modal"], str),
        "jumlah_tki_l": _DN[np.clip(tki_l, 0, 999)],
        "jumlah_tki_p": _DN[np.clip(tki - tki_l, 0, 999)],
        "no_telp": np.where(rng.random(k) < 0.6, "62" + _map_unique(e["phone"], lambda z: z[1:]), e["phone"]),
        "email": email,
    }
    return oss, {"actor": np.full(k, -1, np.int64), "reason": _obj(k, reason), "date": issued}


# --------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SyntheticRegister:
    ods: pd.DataFrame  # every column text ("" for blank), exactly ODS_COLUMNS in order
    oss: pd.DataFrame  # the same, OSS_COLUMNS
    truth: pd.DataFrame  # source, source_row (1-based data row), true_actor ("A0000123" or ""), true_reason
    snapshot_date: date  # every tanggal_input and tgl_terbit_nib is on or before it


def _frame(cols: dict[str, np.ndarray], names: tuple[str, ...]) -> pd.DataFrame:
    # object dtype holding Python str ("" for blank): cheap to build, exact to write.
    return pd.DataFrame({c: pd.Series(cols[c], dtype=object) for c in names})


def _generate(
    ref,
    *,
    seed: int = DEFAULT_SEED,
    ods_rows: int = DEFAULT_ODS_ROWS,
    noise: float = 1.0,
    snapshot_date: date = DEFAULT_SNAPSHOT,
    actors: bool = True,
) -> tuple[SyntheticRegister, pd.DataFrame | None]:
    """The register plus (``actors=True``) one row per actor with its clean attributes, for tests and audits."""
    if ods_rows < MIN_ODS_ROWS:
        raise ValueError(f"ods_rows must be at least {MIN_ODS_ROWS}, got {ods_rows}")
    if noise < 0:
        raise ValueError(f"noise must be >= 0, got {noise}")
    if isinstance(snapshot_date, datetime):
        snapshot_date = snapshot_date.date()
    ctx = _Ctx(ref, seed, noise, snapshot_date)
    rng = ctx.rng
    scale = ods_rows / _BASE_ROWS
    reason_n = {k: max(1, round(v * scale)) for k, v in _BASE_REASONS.items()}
    n_ods_act = round(ods_rows * _BASE_ACTORS / _BASE_ROWS)
    n_dup = ods_rows - n_ods_act - sum(reason_n.values())
    n_oss_only = max(1, round(_BASE_OSS_ONLY * scale))
    n_act = n_ods_act + n_oss_only
    start = np.datetime64(date(snapshot_date.year - 6, 1, 1), "D")

    # Actors: ODS actors first, then OSS-only actors.
    in_ods = np.arange(n_act) < n_ods_act
    t_input = _random_dates(ctx, n_act, start)
    t_input[:n_ods_act] = np.sort(t_input[:n_ods_act])  # actors numbered in entry order
    nib_date = _random_dates(ctx, n_act, ctx.oss_start, 2.2, 1.6)
    has_nib = np.where(in_ods, rng.random(n_act) < _NIB_SHARE, True)
    ref_dates = np.where(in_ods, t_input, nib_date)
    e = _entities(ctx, n_act, ref_dates=ref_dates)
    e["sentra"] = np.zeros(n_act, np.int64)
    n_som = min(_SOMBER, n_ods_act // 20)
    n_ter = min(_TERITIP, n_ods_act // 50)
    members = rng.permutation(n_ods_act)[: n_som + n_ter]
    _apply_sentra(ctx, e, members[:n_som], 1)
    _apply_sentra(ctx, e, members[n_som:], 2)
    e["sentra"][members[:n_som]] = 1
    e["sentra"][members[n_som:]] = 2
    # One person, two businesses: copy the owner of another actor.
    share = np.flatnonzero((rng.random(n_act) < _SHARED_OWNER) & (e["sentra"] == 0))
    if share.size:
        src = rng.integers(0, n_act, share.size)
        ok = src != share
        share, src = share[ok], src[ok]
        for k in ("female", "birth", "group", "first", "name", "nik", "hajj", "gelar", "phone", "email"):
            e[k][share] = e[k][src]
    e["nib_date"] = nib_date
    e["nib"] = _obj(n_act)
    nib_idx = np.flatnonzero(has_nib)
    e["nib"][nib_idx] = _nibs(ctx, nib_date[nib_idx])
    e["actor_id"] = _arr([f"A{i:07d}" for i in range(1, n_act + 1)])

    # ODS rows: primary rows, duplicates, exclusions.
    ods_idx = np.arange(n_ods_act)
    primary = _rows_from_entities(e, ods_idx, t_input[ods_idx])
    primary["actor"] = ods_idx.copy()
    primary["sentra_primary"] = e["sentra"][ods_idx] > 0
    w = 1.0 + 1.5 * e["pelatihan"][ods_idx]
    dup_of = rng.choice(n_ods_act, size=n_dup, p=w / w.sum())
    t_dup = _dup_dates(ctx, primary["t_input"][dup_of], start)
    by_date = np.argsort(t_dup, kind="stable")
    dup_of, t_dup = dup_of[by_date], t_dup[by_date]
    dups = _dup_rows(ctx, e, primary, dup_of, t_dup)
    parts = [primary, dups]
    for reason in ("bukan_usaha", "luar_wilayah", "badan_lain", "usaha_besar", "tidak_valid"):
        parts.append(_non_actor_rows(ctx, reason, reason_n[reason], start))
    r = _concat_rows(parts)
    n = len(r["actor"])
    # NIB shown on ODS rows entered after it was issued, in some of them.
    act = r["actor"]
    has = act >= 0
    show = np.zeros(n, bool)
    show[has] = (e["nib"][act[has]] != "") & (r["t_input"][has] >= e["nib_date"][act[has]])
    show &= rng.random(n) < _NIB_SHOWN_IN_ODS
    r["nib"][show] = e["nib"][act[show]]
    out = _render_ods(ctx, r)
    # Verbatim duplicates copy the primary row as rendered.
    verb = np.flatnonzero(r["special"] == 9)
    src_rows = dup_of[verb - n_ods_act]
    for c in ODS_COLUMNS:
        out[c][verb] = out[c][src_rows]
    _special_rows(ctx, r, out)
    # Keep usaha_besar rows decidable by PP 7/2021 (capital or sales): a blanked money column is
    # written back as plain digits, since either one may be the one above the medium bounds.
    big = np.flatnonzero(r["reason"] == "usaha_besar")
    for column, value in (("omzet_per_tahun", "omzet"), ("modal_usaha", "modal")):
        gone = big[np.isin(out[column][big], ["", "-", "0"])]
        out[column][gone] = _map_unique(r[value][gone], str)
    total_last = (r["special"] == 4).astype(np.int64)
    order = np.lexsort((rng.random(n), r["t_input"].astype(np.int64), total_last))
    ods = _frame({c: out[c][order] for c in ODS_COLUMNS}, ODS_COLUMNS)
    act_o = r["actor"][order]
    ods_truth = pd.DataFrame(
        {
            "source": "ods",
            "source_row": np.arange(1, n + 1, dtype=np.int64),
            "true_actor": pd.Series(np.where(act_o >= 0, e["actor_id"][np.maximum(act_o, 0)], ""), dtype=object),
            "true_reason": pd.Series(r["reason"][order], dtype=object),
        }
    )

    oss_cols, meta = _build_oss(ctx, e, nib_idx, scale)
    m = len(meta["actor"])
    oss = _frame(oss_cols, OSS_COLUMNS)
    oa = meta["actor"]
    oss_truth = pd.DataFrame(
        {
            "source": "oss",
            "source_row": np.arange(1, m + 1, dtype=np.int64),
            "true_actor": pd.Series(np.where(oa >= 0, e["actor_id"][np.maximum(oa, 0)], ""), dtype=object),
            "true_reason": pd.Series(meta["reason"], dtype=object),
        }
    )
    truth = pd.concat([ods_truth, oss_truth], ignore_index=True)
    truth["source"] = truth["source"].astype(object)

    register = SyntheticRegister(ods=ods, oss=oss, truth=truth, snapshot_date=snapshot_date)
    if not actors:
        return register, None
    skala = _arr([*SIZE_CODES, LARGE])
    table = pd.DataFrame(
        {
            "actor_id": pd.Series(e["actor_id"], dtype="str"),
            "in_ods": in_ods,
            "in_oss": has_nib,
            "nib": pd.Series(e["nib"], dtype="str"),
            "nik": pd.Series(e["nik"], dtype="str"),
            "nama_pemilik": pd.Series(e["name"], dtype="str"),
            "nama_usaha": pd.Series(e["usaha"], dtype="str"),
            "perempuan": e["female"].astype(bool),
            "tanggal_lahir": e["birth"].astype("datetime64[s]"),
            "kelurahan_kode": pd.Series(ctx.kel_code[e["kel"]], dtype="str"),
            "kbli": pd.Series(e["kbli"], dtype="str"),
            "kuliner": e["food"].astype(bool),
            "skala_usaha": pd.Series(skala[e["cls"]], dtype="str"),
            "modal_usaha": e["modal"],
            "omzet_per_tahun": e["omzet"],
            "tenaga_kerja": e["tk"],
            "pemasaran_online": e["online"].astype(bool),
            "aktif": e["active"].astype(bool),
            "pelatihan": e["pelatihan"].astype(bool),
            "bantuan_modal": e["bantuan"].astype(bool),
            "sentra": pd.Series(_arr(["", "Somber", "Teritip"])[e["sentra"]], dtype="str"),
        }
    )
    return register, table


def generate(
    reference,
    *,
    seed: int = DEFAULT_SEED,
    ods_rows: int = DEFAULT_ODS_ROWS,
    noise: float = 1.0,
    snapshot_date: date = DEFAULT_SNAPSHOT,
) -> SyntheticRegister:
    """A synthetic ODS export, OSS export and ground truth (see the module docstring)."""
    return _generate(reference, seed=seed, ods_rows=ods_rows, noise=noise, snapshot_date=snapshot_date, actors=False)[0]


# --------------------------------------------------------------------------------------------
# Files
# --------------------------------------------------------------------------------------------


def _replace(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file: never a half-written file."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def _write_csv(df: pd.DataFrame, path: Path) -> None:
    _replace(path, df.to_csv(index=False, lineterminator="\n").encode("utf-8"))


def _write_xlsx(df: pd.DataFrame, path: Path, sheet: str, stamp: datetime) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    wb.properties.creator = "umkm.ingest.synthetic"
    wb.properties.created = stamp
    wb.properties.modified = stamp
    ws = wb.create_sheet(sheet)
    ws.append(list(df.columns))
    for row in zip(*(df[c].tolist() for c in df.columns)):
        ws.append([None if (v == "" or v is None or v != v) else v for v in row])
    buf = io.BytesIO()
    wb.save(buf)
    _replace(path, normalise_xlsx(buf.getvalue(), stamp))


def write(register: SyntheticRegister, folder: Path, formats=("csv", "xlsx")) -> dict[str, Path]:
    """Write ods/oss as CSV (UTF-8, no BOM, "\\n") and/or XLSX, and truth.csv; return the paths."""
    formats = tuple(formats)
    bad = [f for f in formats if f not in ("csv", "xlsx")]
    if bad:
        raise ValueError(f"unknown format(s) {bad}; use csv and/or xlsx")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    snap = register.snapshot_date
    stamp = datetime(snap.year, snap.month, snap.day)
    paths: dict[str, Path] = {}
    for name, df in (("ods", register.ods), ("oss", register.oss)):
        if "csv" in formats:
            p = folder / f"{name}.csv"
            _write_csv(df, p)
            paths[p.name] = p
        if "xlsx" in formats:
            p = folder / f"{name}.xlsx"
            _write_xlsx(df, p, name.upper(), stamp)
            paths[p.name] = p
    p = folder / "truth.csv"
    _write_csv(register.truth, p)
    paths[p.name] = p
    return paths


def summary(register: SyntheticRegister) -> dict[str, int]:
    """Counts for reports: rows, actors, duplicates and rows per exclusion reason, per source."""
    t = register.truth
    out: dict[str, int] = {}
    for src in ("ods", "oss"):
        s = t[t["source"] == src]
        act = s[s["true_actor"] != ""]
        out[f"{src}_rows"] = len(s)
        out[f"{src}_actors"] = int(act["true_actor"].nunique())
        out[f"{src}_duplicate_rows"] = len(act) - out[f"{src}_actors"]
        for reason in REASONS:
            out[f"{src}_{reason}"] = int((s["true_reason"] == reason).sum())
    out["actors_total"] = int(t.loc[t["true_actor"] != "", "true_actor"].nunique())
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m umkm.ingest.synthetic",
        description=(
            "Write a deterministic synthetic UMKM register of Kota Balikpapan: ods.csv/.xlsx (the "
            "hand-kept ODS export, messy on purpose), oss.csv/.xlsx (the OSS NIB export) and truth.csv "
            "(for every row: the actor it belongs to, or why it is not an actor). Same arguments give "
            "byte-identical files. The defects are listed in the module docstring "
            "(python -c 'import umkm.ingest.synthetic as s; help(s)')."
        ),
    )
    parser.add_argument(
        "--out",
        required=True,
        type=Path,
        metavar="DIR",
        help="folder to write into (created if missing; existing files are replaced)",
    )
    parser.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, metavar="N", help=f"random seed (default {DEFAULT_SEED})"
    )
    parser.add_argument(
        "--rows",
        type=int,
        default=DEFAULT_ODS_ROWS,
        metavar="N",
        help=f"number of ODS rows; everything else scales with it (default {DEFAULT_ODS_ROWS:,})",
    )
    parser.add_argument(
        "--noise",
        type=float,
        default=1.0,
        metavar="X",
        help="defect level: 0 = clean formats, 1 = realistic (default), 2 = twice the defect rates",
    )
    parser.add_argument(
        "--snapshot",
        type=date.fromisoformat,
        default=DEFAULT_SNAPSHOT,
        metavar="YYYY-MM-DD",
        help=f"snapshot date; no date in the data is later (default {DEFAULT_SNAPSHOT})",
    )
    parser.add_argument(
        "--formats",
        default="csv,xlsx",
        metavar="LIST",
        help="comma-separated: csv, xlsx or both (default csv,xlsx); truth.csv is always written. "
        "XLSX is slow: about 1 s per 1,000 ODS rows (openpyxl)",
    )
    args = parser.parse_args(argv)
    formats = tuple(f.strip() for f in args.formats.split(",") if f.strip())
    if not formats or any(f not in ("csv", "xlsx") for f in formats):
        parser.error(f"--formats must name csv and/or xlsx, got {args.formats!r}")
    if args.rows < MIN_ODS_ROWS:
        parser.error(f"--rows must be at least {MIN_ODS_ROWS}")
    if args.noise < 0:
        parser.error("--noise must be >= 0")
    from umkm import reference

    t0 = time.perf_counter()
    reg = generate(reference.load(), seed=args.seed, ods_rows=args.rows, noise=args.noise, snapshot_date=args.snapshot)
    t1 = time.perf_counter()
    paths = write(reg, args.out, formats)
    t2 = time.perf_counter()
    s = summary(reg)
    print(f"generated in {t1 - t0:.1f} s, written in {t2 - t1:.1f} s")
    print(
        f"ODS {s['ods_rows']:,} rows: {s['ods_actors']:,} actors, {s['ods_duplicate_rows']:,} duplicate rows, "
        + ", ".join(f"{r} {s['ods_' + r]:,}" for r in REASONS)
    )
    print(
        f"OSS {s['oss_rows']:,} rows: {s['oss_actors']:,} actors, {s['oss_duplicate_rows']:,} second-KBLI rows, "
        + ", ".join(f"{r} {s['oss_' + r]:,}" for r in REASONS if s["oss_" + r])
    )
    print(f"actors in total: {s['actors_total']:,}")
    for p in paths.values():
        print(f"  {p}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
