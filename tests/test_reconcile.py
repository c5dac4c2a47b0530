"""Reconcile: hand-made tricky cases, the scores against the generator's truth, stable ids, the review loop."""

import pandas as pd
import pytest
from openpyxl import load_workbook

from umkm import paths, reference
from umkm.build import cli
from umkm.ingest import exports as ingest
from umkm.ingest import synthetic, synthetic_independent
from umkm.reconcile import exclusions, score
from umkm.reconcile import register as reconcile

REF = reference.load()
MAPPING = ingest.build_header_mapping(pd.read_csv(paths.HEADER_MAPPING, dtype=str, keep_default_na=False))
ODS_HEADER = list(ingest.ODS_COLUMNS)
OSS_HEADER = list(ingest.OSS_COLUMNS)


def table(source, records):
    columns = ODS_HEADER if source == "ods" else OSS_HEADER
    frame = pd.DataFrame([{c: r.get(c, "") for c in columns} for r in records], columns=columns)
    return ingest.parse_export(frame.to_csv(index=False).encode(), f"{source}.csv", source, MAPPING)


def ods_row(**values):
    base = {
        "tanggal_input": "2026-01-05",
        "kabupaten_kota": "Kota Balikpapan",
        "omzet_per_tahun": "60 jt",
        "modal_usaha": "5 jt",
        "status_usaha": "Aktif",
    }
    return {**base, **values}


# An OSS export needs a row: one actor of its own, linked to nothing else.
OSS_FILLER = [
    {
        "nib": "9999999999999",
        "nik": "6471050101700001",
        "kd_daerah": "6471051002",
        "kbli": "47111",
        "nama_pelaku_usaha": "PENGISI",
        "skala_usaha": "Usaha Mikro",
        "jenis_pelaku_usaha": "Orang Perseorangan",
    }
]


def actors_of(records_ods, records_oss=()):
    result = reconcile.reconcile(table("ods", records_ods), table("oss", list(records_oss) or OSS_FILLER), REF)
    return result.decisions


def test_same_name_different_people_stay_apart():
    decisions = actors_of(
        [
            ods_row(
                nama_usaha="Warung Makan Barokah",
                nama_pemilik="SITI AMINAH",
                nik="6471034505800003",
                no_hp="081250001111",
                kelurahan="Batu Ampar",
                kbli="56101",
            ),
            ods_row(
                nama_usaha="Laundry Bersih",
                nama_pemilik="Siti Aminah",
                nik="6471036212950002",
                no_hp="081398882222",
                kelurahan="Batu Ampar",
                kbli="96200",
            ),
        ]
    )
    ods = decisions[decisions["source"].eq("ods")]
    assert ods["actor_id"].nunique() == 2 and set(ods["status"]) == {"actor"}


def test_same_person_with_another_phone_and_honorific_is_one_actor():
    decisions = actors_of(
        [
            ods_row(
                nama_usaha="Amplang Kepiting Teritip",
                nama_pemilik="Hj. Rahmawati",
                nik="'6471015008750004",
                no_hp="0812-5000-1234",
                kelurahan="Teritip",
                kbli="10794",
            ),
            ods_row(
                nama_usaha="AMPLANG KEPITING TERITIP",
                nama_pemilik="RAHMAWATI",
                nik="6471015008750004",
                no_hp="+62 853 9000 4321",
                kelurahan="Kel. Teritip",
                kbli="10794",
                tanggal_input="2026-03-01",
            ),
        ]
    )
    ods = decisions[decisions["source"].eq("ods")]
    assert ods["actor_id"].nunique() == 1
    assert sorted(ods["status"]) == ["actor", "duplicate"]


def test_mistyped_nik_digit_is_the_same_actor():
    decisions = actors_of(
        [
            ods_row(
                nama_usaha="Tahu Somber Pak Slamet",
                nama_pemilik="SLAMET RIYADI",
                nik="6471031203700011",
                no_hp="081255550000",
                kelurahan="Batu Ampar",
                kbli="10392",
                sentra="Somber",
            ),
            ods_row(
                nama_usaha="Tahu Somber Pak Slamet",
                nama_pemilik="Bpk. Slamet Riyadi",
                nik="6471031203700017",
                no_hp="",
                kelurahan="Batu Ampar",
                kbli="10392",
                sentra="Sentra Tahu Tempe Somber",
            ),
        ]
    )
    assert decisions.loc[decisions["source"].eq("ods"), "actor_id"].nunique() == 1


def test_a_nik_mistyped_in_its_birth_date_digits_keeps_the_typed_birth_date():
    """The issue's cases: a NIK typo in the birth-date digits, a name typo on top, and nothing
    else shared that a blocking rule keys on (another phone; for Siti, a reworded business).
    Both birth dates are kept: the typed one still meets the other row's, the actor's date is
    the one most rows give, and the review lists the row whose two dates disagree."""
    rahma = {"kelurahan": "Gunung Samarinda", "kbli": "10792", "tanggal_lahir": "15/03/1985"}
    siti = {"kelurahan": "Sepinggan Raya", "kbli": "96200", "tanggal_lahir": "02-11-1979"}
    ods = [
        ods_row(
            nama_usaha="Kue Basah Rahma",
            nama_pemilik="Rahmawati Gunawan",
            nik="6471055503850004",
            no_hp="081250001111",
            **rahma,
        ),
        ods_row(
            nama_usaha="KUE BASAH RAHMA",
            nama_pemilik="RAHMAWATI GUNAWN",
            nik="6471055803850004",
            no_hp="085390002222",
            tanggal_input="2026-02-01",
            **rahma,
        ),
        ods_row(
            nama_usaha="Laundry Latifah",
            nama_pemilik="Siti Latif",
            nik="6471064211790012",
            no_hp="081350003333",
            **siti,
        ),
        ods_row(
            nama_usaha="LATIFAH LAUNDRY KILAT",
            nama_pemilik="SITI LATF",
            nik="6471064211970012",
            no_hp="",
            tanggal_input="2026-02-01",
            **siti,
        ),
    ]
    result = reconcile.reconcile(table("ods", ods), table("oss", OSS_FILLER), REF)
    actor = result.decisions.set_index(["source", "source_row"])["actor_id"]
    assert actor[("ods", 1)] == actor[("ods", 2)] and actor[("ods", 3)] == actor[("ods", 4)]
    assert actor[("ods", 1)] != actor[("ods", 3)]
    births = result.register.set_index("actor_id")["tanggal_lahir"]
    assert births[actor[("ods", 1)]] == pd.Timestamp("1985-03-15")
    assert births[actor[("ods", 3)]] == pd.Timestamp("1979-11-02")
    rows = result.rows.set_index("source_row")
    assert rows.loc[2, "tanggal_lahir"] == pd.Timestamp("1985-03-18")  # the NIK's date, kept beside the typed one
    assert rows.loc[2, "tanggal_lahir_ketik"] == pd.Timestamp("1985-03-15")
    assert list(rows["tanggal_lahir_beda"].iloc[:4]) == [False, True, False, True]


def test_one_owner_with_two_businesses_is_two_actors_each_with_its_own_nib():
    owner = {"nama_pemilik": "ANDI MAPPA", "nik": "6471050808690005", "no_hp": "081244443333"}
    decisions = actors_of(
        [
            ods_row(nama_usaha="Bengkel Motor Andi", kelurahan="Sepinggan", kbli="45407", **owner),
            ods_row(nama_usaha="Kopi Tubruk Mappa", kelurahan="Damai", kbli="56303", **owner),
        ],
        [
            {
                "nib": "1111111111111",
                "nik": owner["nik"],
                "nama_pelaku_usaha": "ANDI MAPPA",
                "kd_daerah": "6471051002",
                "kbli": "45407",
                "skala_usaha": "Usaha Mikro",
                "jenis_pelaku_usaha": "Orang Perseorangan",
                "no_telp": owner["no_hp"],
            },
            {
                "nib": "2222222222222",
                "nik": owner["nik"],
                "nama_pelaku_usaha": "ANDI MAPPA",
                "kd_daerah": "6471061005",
                "kbli": "56303",
                "skala_usaha": "Usaha Mikro",
                "jenis_pelaku_usaha": "Orang Perseorangan",
                "no_telp": owner["no_hp"],
            },
        ],
    )
    by_row = decisions.set_index(["source", "source_row"])["actor_id"]
    assert by_row[("ods", 1)] != by_row[("ods", 2)]
    assert by_row[("ods", 1)] == by_row[("oss", 1)]  # the workshop holds NIB 1111..., in Sepinggan
    assert by_row[("ods", 2)] == by_row[("oss", 2)]


def test_a_listed_company_is_classed_by_its_size_and_a_state_enterprise_is_another_body():
    """ "PT ... Tbk" is a large private company (usaha_besar by its turnover), not "badan_lain";
    a Persero (BUMN, listed or not) and a Perumda are."""
    decisions = actors_of(
        [
            ods_row(
                nama_usaha="PT Sumber Alfaria Trijaya Tbk",
                nama_pemilik="Budi Santoso",
                status_badan_usaha="PT",
                omzet_per_tahun="Rp 85.000.000.000",
                modal_usaha="12 M",
                kelurahan="Klandasan Ilir",
            ),
            ods_row(
                nama_usaha="PT. MITRA ADIPERKASA, TBK",
                nama_pemilik="Rina",
                status_badan_usaha="PT Tbk",
                omzet_per_tahun="60 M",
                kelurahan="Gunung Bahagia",
            ),
            ods_row(
                nama_usaha="PT Bank Rakyat Indonesia (Persero) Tbk",
                nama_pemilik="Agus",
                omzet_per_tahun="900 M",
                kelurahan="Klandasan Ilir",
            ),
            ods_row(nama_usaha="Perumda Tirta Manuntung Balikpapan", nama_pemilik="Yanti", kelurahan="Damai"),
            ods_row(nama_usaha="Warung Makan Barokah", nama_pemilik="SITI AMINAH", kelurahan="Batu Ampar"),
        ],
        [
            {
                "nib": "9120000000001",
                "nama_pelaku_usaha": "PT SUMBER ALFARIA TRIJAYA TBK",
                "kd_daerah": "6471051002",
                "kbli": "47111",
                "skala_usaha": "Usaha Besar",
                "jenis_pelaku_usaha": "Badan Usaha",
            }
        ],
    )
    reasons = decisions.set_index(["source", "source_row"])["reason"]
    assert list(reasons[["ods"]]) == ["usaha_besar", "usaha_besar", "badan_lain", "badan_lain", ""]
    assert reasons[("oss", 1)] == "usaha_besar"


@pytest.mark.parametrize(
    "values, reason, rule",
    [
        ({"nama_usaha": "COBA INPUT"}, "tidak_valid", "uji_nama_usaha"),
        ({"nama_usaha": "Percobaan", "nama_pemilik": "Budi"}, "tidak_valid", "uji_nama_usaha"),
        ({"nama_pemilik": "admin dinas"}, "tidak_valid", "uji_nama_pemilik"),
        ({"nama_usaha": "NAMA USAHA", "nama_pemilik": "NAMA PEMILIK"}, "tidak_valid", "baris_judul"),
        (
            {"kabupaten_kota": "Kab. Penajam Paser Utara", "kelurahan": "Nipah Nipah", "kecamatan": "Penajam"},
            "luar_wilayah",
            "luar_wilayah",
        ),
        ({"nama_usaha": "Koperasi Serba Usaha Maju"}, "badan_lain", "nama_badan_lain"),
        ({"status_badan_usaha": "Yayasan"}, "badan_lain", "bentuk_badan_lain"),
        ({"modal_usaha": "12 M"}, "usaha_besar", "modal_besar"),
        ({"omzet_per_tahun": "Rp 60.000.000.000"}, "usaha_besar", "omzet_besar"),
        ({"nama_pemilik": "", "nik": "", "no_hp": ""}, "tidak_valid", "kosong"),
        ({"nama_usaha": "masih rencana usaha", "omzet_per_tahun": ""}, "bukan_usaha", "tanpa_usaha"),
        ({}, "", ""),
    ],
)
def test_each_exclusion_says_which_rule_set_it_aside(values, reason, rule):
    base = ods_row(
        nama_usaha="Warung Makan Barokah",
        nama_pemilik="SITI AMINAH",
        nik="6471034505800003",
        no_hp="081250001111",
        kelurahan="Batu Ampar",
        kbli="56101",
    )
    result = reconcile.reconcile(table("ods", [{**base, **values}]), table("oss", OSS_FILLER), REF)
    assert (result.rows.loc[0, "reason"], result.rows.loc[0, "exclusion_rule"]) == (reason, rule)
    if rule:
        assert exclusions.EXCLUSION_RULES[rule][0] == reason


def test_staff_overrule_an_exclusion_as_they_decide_pairs():
    """A cooperative's shop that staff know to be a member's own business: "pelaku" brings it
    back (and it links with the member's other row); another row gets another reason."""
    rows = [
        ods_row(
            nama_usaha="Koperasi Wanita Sejahtera",
            nama_pemilik="Siti Aminah",
            nik="6471034505800003",
            no_hp="081250001111",
            kelurahan="Batu Ampar",
            kbli="47111",
        ),
        ods_row(
            nama_usaha="Koperasi Wanita Sejahtera",
            nama_pemilik="SITI AMINAH",
            nik="6471034505800003",
            no_hp="081250001111",
            kelurahan="Batu Ampar",
            kbli="47111",
            tanggal_input="2026-02-01",
        ),
        ods_row(
            nama_usaha="Bengkel Las Jaya",
            nama_pemilik="Andi",
            nik="6471050808690005",
            kelurahan="Damai",
            omzet_per_tahun="60 M",
        ),
    ]
    first = reconcile.reconcile(table("ods", rows), table("oss", OSS_FILLER), REF)
    assert list(first.rows["reason"].iloc[:3]) == ["badan_lain", "badan_lain", "usaha_besar"]
    fingerprints = first.rows["fingerprint"]
    overrides = pd.DataFrame(
        {
            "fingerprint": [fingerprints[0], fingerprints[1], fingerprints[2]],
            "keputusan": ["pelaku", "pelaku", "tidak_valid"],
        }
    )
    second = reconcile.reconcile(table("ods", rows), table("oss", OSS_FILLER), REF, exclusion_overrides=overrides)
    assert list(second.rows["reason"].iloc[:3]) == ["", "", "tidak_valid"]
    assert list(second.rows["exclusion_rule"].iloc[:3]) == [exclusions.STAFF_RULE] * 3
    ods = second.decisions[second.decisions["source"].eq("ods")]
    assert (
        list(ods["status"]) == ["actor", "duplicate", "excluded"] and ods["actor_id"].iloc[0] == ods["actor_id"].iloc[1]
    )


@pytest.mark.parametrize(
    "generator, weights, seed, noise",
    [
        (synthetic, "fixed", 20261128, 1.0),
        (synthetic, "fixed", 3, 1.5),
        (synthetic_independent, "fixed", 3, 1.5),
        (synthetic, "learnt", 3, 1.5),
        (synthetic_independent, "learnt", 3, 1.5),
    ],
)
def test_linkage_and_exclusions_score_against_the_truth(generator, weights, seed, noise):
    """Both generators (the second written apart from the first), the fixed and learnt weights,
    on 12,000-row registers; the demo-size figures (bench/linkage_accuracy.py) are in the README."""
    register = generator.generate(REF, seed=seed, ods_rows=12000, noise=noise)
    ods = ingest.parse_export(register.ods.to_csv(index=False).encode(), "ods.csv", "ods", MAPPING)
    oss = ingest.parse_export(register.oss.to_csv(index=False).encode(), "oss.csv", "oss", MAPPING)
    learnt = weights == "learnt"
    reconciled = reconcile.reconcile(ods, oss, REF, use_proposed=learnt, min_training_rows=0)
    assert (reconciled.model.kind == "dipelajari") == learnt
    result = score.score(reconciled.decisions, register.truth)
    assert result["pairwise_precision"] >= 0.99
    assert result["pairwise_recall"] >= 0.99
    assert abs(result["actor_count_error"]) <= 0.005
    for reason, figures in result["reasons"].items():
        assert figures["recall"] >= 0.98 and figures["precision"] >= 0.98, (reason, figures)


@pytest.fixture(scope="module")
def nightly(tmp_path_factory):
    """Two nightly builds: yesterday's exports, then today's with rows removed, added and re-sorted."""
    folder = tmp_path_factory.mktemp("nightly")
    register = synthetic.generate(REF, seed=5, ods_rows=3000)
    day1 = folder / "day1"
    paths1 = synthetic.write(register, day1, formats=("csv",))
    out = folder / "out"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("UMKM_PSEUDONYM_KEY", "k1")
        assert (
            cli.main(
                [
                    "--ods",
                    str(paths1["ods.csv"]),
                    "--oss",
                    str(paths1["oss.csv"]),
                    "--out",
                    str(out),
                    "--quiet",
                    "--no-site",
                ]
            )
            == 0
        )
    first = pd.read_csv(out / "private" / "decisions.csv", dtype=str, keep_default_na=False)
    ods = register.ods.iloc[100:].sample(frac=1.0, random_state=1)  # 100 rows gone, the rest re-sorted
    extra = synthetic.generate(REF, seed=6, ods_rows=300).ods.iloc[:50]
    day2 = folder / "day2"
    day2.mkdir()
    pd.concat([ods, extra]).to_csv(day2 / "ods.csv", index=False)
    register.oss.to_csv(day2 / "oss.csv", index=False)
    return out, first, day2


def test_actor_ids_survive_rows_removed_added_and_resorted(nightly):
    out, first, day2 = nightly
    ids_before = pd.read_csv(out / "private" / "actor_ids.csv", dtype=str)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("UMKM_PSEUDONYM_KEY", "k2")
        assert (
            cli.main(
                [
                    "--ods",
                    str(day2 / "ods.csv"),
                    "--oss",
                    str(day2 / "oss.csv"),
                    "--out",
                    str(out),
                    "--quiet",
                    "--no-site",
                ]
            )
            == 0
        )
    # Every OSS row is unchanged: its actor keeps its id, whatever happened to the ODS file.
    second = pd.read_csv(out / "private" / "decisions.csv", dtype=str, keep_default_na=False)
    oss_before = first[first["source"].eq("oss") & first["actor_id"].ne("")].set_index("source_row")["actor_id"]
    oss_after = second[second["source"].eq("oss") & second["actor_id"].ne("")].set_index("source_row")["actor_id"]
    common = oss_before.index.intersection(oss_after.index)
    assert len(common) > 500
    kept = (oss_before[common] == oss_after[common]).mean()
    assert kept >= 0.995, kept
    ids_after = pd.read_csv(out / "private" / "actor_ids.csv", dtype=str)
    assert set(ids_before["fingerprint"]) <= set(ids_after["fingerprint"])  # rows that left keep their entry


def test_staff_decisions_in_the_review_workbook_are_obeyed(tmp_path, monkeypatch):
    register = synthetic.generate(REF, seed=9, ods_rows=3000)
    exports = synthetic.write(register, tmp_path / "in", formats=("csv",))
    out = tmp_path / "out"
    monkeypatch.setenv("UMKM_PSEUDONYM_KEY", "k")
    args = [
        "--ods",
        str(exports["ods.csv"]),
        "--oss",
        str(exports["oss.csv"]),
        "--out",
        str(out),
        "--quiet",
        "--no-site",
    ]
    assert cli.main(args) == 0
    workbook_path = out / "private" / "review.xlsx"
    workbook = load_workbook(workbook_path)
    sheet = workbook["tautan_ragu"]
    header = [c.value for c in sheet[1]]
    assert {"keputusan_sistem", "keputusan_staf", "nama_pemilik_a", "nama_pemilik_b"} <= set(header)
    assert sheet.max_row > 2, "the demo register should give some uncertain pairs"
    row = sheet[2]
    values = dict(zip(header, [c.value for c in row]))
    flipped = "beda" if values["keputusan_sistem"] == "sama" else "sama"
    sheet.cell(row=2, column=header.index("keputusan_staf") + 1, value=flipped)
    workbook.save(workbook_path)
    assert cli.main(args) == 0
    assert same_actor(out, values) == (flipped == "sama")
    kept = pd.read_csv(out / "private" / "keputusan_staf.csv", dtype=str)
    assert len(kept) == 1 and kept.loc[0, "keputusan"] == flipped
    # The decision is kept: a third build (the workbook now rewritten, its cell empty) still obeys it.
    assert cli.main(args) == 0
    assert same_actor(out, values) == (flipped == "sama")


def same_actor(out, pair) -> bool:
    decisions = pd.read_csv(out / "private" / "decisions.csv", dtype=str, keep_default_na=False)
    actor = decisions.set_index(["source", "source_row"])["actor_id"]
    return actor[(pair["sumber_a"], str(pair["baris_a"]))] == actor[(pair["sumber_b"], str(pair["baris_b"]))]
