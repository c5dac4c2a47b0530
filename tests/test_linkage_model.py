"""Linkage models: the learnt one is deterministic, its file reads back to the same scores, and names weigh by how common they are."""

import json

import pandas as pd
import pytest

from umkm import paths, reference
from umkm.ingest import exports as ingest
from umkm.ingest import synthetic
from umkm.reconcile import linkage, linkage_model
from umkm.reconcile import register as reconcile

REF = reference.load()
MAPPING = ingest.build_header_mapping(pd.read_csv(paths.HEADER_MAPPING, dtype=str, keep_default_na=False))


@pytest.fixture(scope="module")
def to_link():
    """The rows to link of a small register (after exclusions), as reconcile hands them to linkage."""
    register = synthetic.generate(REF, seed=4, ods_rows=3000, noise=1.0)
    ods = ingest.parse_export(register.ods.to_csv(index=False).encode(), "ods.csv", "ods", MAPPING)
    oss = ingest.parse_export(register.oss.to_csv(index=False).encode(), "oss.csv", "oss", MAPPING)
    rows = reconcile.reconcile(ods, oss, REF).rows
    return rows.loc[rows["reason"].eq(""), list(linkage.INPUT_COLUMNS)].reset_index(drop=True)


@pytest.fixture(scope="module")
def learnt(to_link):
    return linkage_model.train(to_link)


def test_training_twice_gives_the_same_model_to_the_last_byte(to_link, learnt):
    again = linkage_model.train(to_link)
    assert again.to_json() == learnt.to_json()
    assert learnt.kind == "dipelajari" and learnt.tf_fields == linkage_model.TF_FIELDS
    assert learnt.training["rows"] == len(to_link) and learnt.training["seed"] == linkage_model.SEED
    other_seed = linkage_model.train(to_link, seed=linkage_model.SEED + 1)
    assert other_seed.to_json() != learnt.to_json()  # the seed is what fixes the sample


def test_the_learnt_weights_say_what_the_data_says(learnt):
    weights = learnt.weights
    for field, levels in weights.items():
        assert levels["equal"] > 0 > levels["different"], field  # agreeing is evidence for, disagreeing against
    assert weights["nik"]["equal"] > weights["kelurahan"]["equal"]  # a shared NIK is rarer by chance than a kelurahan
    assert learnt.threshold != linkage_model.FIXED.threshold


def test_a_model_file_reads_back_and_scores_the_same(to_link, learnt, tmp_path):
    text = learnt.to_json()
    back = linkage_model.from_json(text, "model-tautan.json")
    assert back == learnt and back.fingerprint == learnt.fingerprint
    first = linkage.score_pairs(to_link, learnt)
    pd.testing.assert_frame_equal(first, linkage.score_pairs(to_link, back))
    fixed = linkage.score_pairs(to_link, linkage_model.FIXED)
    assert first[["i", "j"]].equals(fixed[["i", "j"]])  # the same pairs, other weights
    assert not first["weight"].equals(fixed["weight"])


@pytest.mark.parametrize(
    "damage, message",
    [
        (lambda d: d.update(format="other/1"), "format"),
        (lambda d: d["weights"]["nik"].pop("near"), "fields and levels"),
        (lambda d: d.update(threshold="inf"), "not usable"),
        (lambda d: d["weights"]["kbli"].update(kategori=0.0), "weigh the same"),
    ],
)
def test_a_damaged_model_file_is_refused_naming_the_file(learnt, damage, message):
    data = json.loads(learnt.to_json())
    damage(data)
    with pytest.raises(ingest.InputError, match=f"private/model-tautan.json: .*{message}"):
        linkage_model.from_json(json.dumps(data), "private/model-tautan.json")
    with pytest.raises(ingest.InputError, match="private/model-tautan.json"):
        linkage_model.from_json("{not json", "private/model-tautan.json")


def test_a_common_name_weighs_less_than_a_rare_one(learnt):
    """Term-frequency adjustment: two rows agreeing on "SITI AMINAH", which 40 rows of the
    register carry, are weaker evidence than two agreeing on a name no other row has."""

    def row(name, phone, kelurahan="64.71.03.1001"):
        return {"nama_pemilik_key": name, "phone": phone, "kelurahan_code": kelurahan}

    rows = [row("SITI AMINAH", f"+62812000{k:05d}", f"64.71.0{k % 6 + 1}.100{k % 4 + 1}") for k in range(40)]
    rows += [
        row("SITI AMINAH", "+6281299990001"),
        row("SITI AMINAH", "+6281299990001"),
        row("RABIATUL ADAWIYAH", "+6281299990002"),
        row("RABIATUL ADAWIYAH", "+6281299990002"),
    ]
    frame = pd.DataFrame([{c: r.get(c) for c in linkage.INPUT_COLUMNS} for r in rows])
    frame = frame.astype({c: "str" for c in frame.columns if not c.startswith("tanggal_lahir")})
    frame["tanggal_lahir"] = frame["tanggal_lahir_ketik"] = pd.NaT
    pairs = linkage.score_pairs(frame, learnt).set_index(["i", "j"])
    common, rare = pairs.loc[(40, 41)], pairs.loc[(42, 43)]
    assert common["name"] == rare["name"] == "equal" and common["phone"] == rare["phone"] == "equal"
    assert rare["weight"] > common["weight"]
    fixed = linkage.score_pairs(frame, linkage_model.FIXED).set_index(["i", "j"])
    assert fixed.loc[(42, 43), "weight"] == fixed.loc[(40, 41), "weight"]  # the fixed weights do not know


def test_a_level_the_data_cannot_estimate_keeps_its_fixed_weight(learnt):
    settings = {
        "probability_two_random_records_match": 1e-5,
        "comparisons": [
            {
                "output_column_name": field,
                "comparison_levels": [
                    {
                        "label_for_charts": level,
                        "m_probability": None if (field, level) == ("nik", "near") else 0.5,
                        "u_probability": 0.25 if level == "equal" else 0.5 if level != "different" else 0.7,
                    }
                    for level in levels
                ],
            }
            for field, levels in linkage_model.WEIGHTS.items()
        ],
    }
    model = linkage_model.from_trained(settings, 100, 1, 1e6, "test")
    assert model.weights["nik"]["near"] == linkage_model.WEIGHTS["nik"]["near"]
    assert model.weights["nik"]["equal"] == 1.0
    assert "near" not in model.m["nik"]
    # weights that would read as one level are kept apart, and apart from the missing level's 0
    assert model.weights["phone"]["different"] != 0 and len({*model.weights["kbli"].values()}) == 3
