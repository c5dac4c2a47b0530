"""Normalised rows in, a linkage model out: the fixed weights, or m and u learnt from the rows by splink; and its file.

A model is, per compared field and agreement level, a weight log2(m/u) (m: how often the
rows of one actor agree so; u: how often two unrelated rows do), and the match threshold.

The fixed model (FIXED) was set by hand on the first synthetic register: weights in steps of
0.5, threshold 8. It needs no training and gives the same scores whatever the rest of the
register holds; it is the fallback for registers too small to learn from (MIN_TRAINING_ROWS).

A learnt model (train) takes its numbers from the register at hand, with splink:
- u by random sampling: pairs of random rows are nearly all of two actors, so the share of
  them agreeing at a level is u (a fixed SEED; U_PAIRS_PER_ROW pairs per row: two random rows
  share a NIK about once in as many pairs as the register has rows, and that rarest
  agreement should be seen a couple of hundred times; at most U_MAX_PAIRS, where it is still
  seen about seventy times at a million rows: its weight then varies by less than the
  threshold does from one register to the next);
- m by expectation maximisation over the pairs that share a NIK, then over those that share
  the owner's name and kelurahan (EM_RULES: each session learns the fields its rule does not
  fix), on EM_MAX_PAIRS of them at most (splink's deterministic sample of the rows);
- term-frequency adjustments on the owner's and the business name: an exact agreement on
  "SRI WAHYUNI" or "TOKO BAROKAH", common in Balikpapan, is weaker evidence than on a rare
  name (the weight uses the value's frequency in the register scored, in place of u);
- the threshold: splink's prior log2 odds that two random rows are one actor (from the EM
  sessions, their blocking reversed), and MATCH_ODDS more: a pair is a match when its
  weight makes it at least four times as likely one actor as two (match probability 0.8).
  Odds of 1 would do if the fields were independent given the actor, as Fellegi-Sunter
  assumes; they are not (an owner's name is often in the business name, "Warung Bu Sri"
  of Sri), so the summed weights overstate the evidence of such pairs.
A level the data cannot estimate (never observed, or m or u of zero) keeps the fixed weight.
Training runs DuckDB on one thread, so the same rows, seed and splink version give the same
model to the last digit; numbers are stored rounded (ROUND_DIGITS significant digits).

The model is kept as JSON (to_json, from_json) in the register's private folder; a build
scoring with a model file gives the same output as the build that wrote it, whatever rows
were added since.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
from dataclasses import dataclass, field

MATCH_THRESHOLD = 8.0
# log2(m/u) per agreement level; "missing" (either side unknown) weighs 0. Within a field
# the weights differ, so a level can be read back from its weight.
WEIGHTS = {
    "nik": {"equal": 10.0, "near": 5.0, "different": -6.0},
    "name": {"equal": 4.0, "similar": 2.0, "different": -6.0},
    "business": {"equal": 5.0, "similar": 3.0, "different": -4.0},
    "phone": {"equal": 4.0, "different": -1.0},
    "birth": {"equal": 4.0, "different": -4.0},
    "kelurahan": {"equal": 3.0, "different": -2.0},
    "kbli": {"equal": 3.0, "kategori": 0.5, "different": -1.5},
}
TF_FIELDS = ("name", "business")  # term-frequency adjusted on their "equal" level, when learnt
# Below this many rows to link (after exclusions) the register is not trained on: EM has too
# few rows of one actor per level to estimate m (a few dozen NIK typos, owner-name typos or
# moved owners), and the learnt weights of the rarer levels vary more from one register to
# the next than the fixed ones are off (bench/linkage_accuracy.py --sizes measures it).
MIN_TRAINING_ROWS = 20_000
SEED = 20261128
U_PAIRS_PER_ROW, U_MIN_PAIRS, U_MAX_PAIRS = 200, 1_000_000, 100_000_000
EM_MAX_PAIRS = 2_000_000
EM_RULES = ("l.nik = r.nik", "l.nama_pemilik_key = r.nama_pemilik_key AND l.kelurahan_code = r.kelurahan_code")
MATCH_ODDS = 4.0
ROUND_DIGITS = 6
FORMAT = "umkm-model-tautan/1"


@dataclass(frozen=True)
class Model:
    kind: str  # "tetap" (FIXED) or "dipelajari" (learnt)
    weights: dict[str, dict[str, float]]  # field -> level -> log2(m/u)
    threshold: float  # a pair is a match when its weight is above it
    m: dict[str, dict[str, float]] = field(default_factory=dict)  # learnt only
    u: dict[str, dict[str, float]] = field(default_factory=dict)
    tf_fields: tuple[str, ...] = ()
    training: dict = field(default_factory=dict)  # rows, seed, pairs sampled, rules, splink version, ...

    def to_json(self) -> str:
        """The model as the text of its file (sorted keys, fixed digits: same model, same bytes)."""
        return (
            json.dumps(
                {
                    "format": FORMAT,
                    "kind": self.kind,
                    "threshold": self.threshold,
                    "weights": self.weights,
                    "m": self.m,
                    "u": self.u,
                    "tf_fields": list(self.tf_fields),
                    "training": self.training,
                },
                indent=1,
                sort_keys=True,
                ensure_ascii=False,
            )
            + "\n"
        )

    @property
    def fingerprint(self) -> str:
        """A short id of the model's numbers, shown to staff and named when they approve it."""
        return hashlib.sha256(self.to_json().encode("utf-8")).hexdigest()[:12]


FIXED = Model(kind="tetap", weights=WEIGHTS, threshold=MATCH_THRESHOLD)


def levels(field_name: str) -> tuple[str, ...]:
    """A field's agreement levels, strongest first (the keys of WEIGHTS)."""
    return tuple(WEIGHTS[field_name])


def from_json(text: str, file: str) -> Model:
    """A model file read back; a file that is not one, or whose fields or levels are not the
    linkage's, is refused (ingest.InputError naming the file)."""
    from umkm.ingest.exports import InputError

    try:
        data = json.loads(text)
        if data.get("format") != FORMAT:
            raise ValueError(f"format is {data.get('format')!r}, not {FORMAT!r}")
        weights = {f: {level: float(w) for level, w in values.items()} for f, values in data["weights"].items()}
        if {f: set(v) for f, v in weights.items()} != {f: set(v) for f, v in WEIGHTS.items()}:
            raise ValueError(
                "its fields and levels are not those of the linkage (umkm/reconcile/linkage_model.py WEIGHTS)"
            )
        model = Model(
            kind=str(data["kind"]),
            weights=weights,
            threshold=float(data["threshold"]),
            m=data.get("m") or {},
            u=data.get("u") or {},
            tf_fields=tuple(data.get("tf_fields") or ()),
            training=data.get("training") or {},
        )
        if (
            not all(math.isfinite(w) for values in weights.values() for w in values.values())
            or not math.isfinite(model.threshold)
            or set(model.tf_fields) - set(TF_FIELDS)
        ):
            raise ValueError("a weight, the threshold or a term-frequency field is not usable")
        _check_levels_apart(model.weights)
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise InputError(file, f"not a linkage model this version can use: {error}") from None
    return model


def _round(value: float) -> float:
    return float(f"{value:.{ROUND_DIGITS}g}")


def _check_levels_apart(weights: dict[str, dict[str, float]]) -> None:
    """Every level's weight differs from the others' and from 0 (the missing level) at 6 decimals,
    so that a level is read back from its weight."""
    for name, values in weights.items():
        rounded = [round(w, 6) for w in values.values()] + [0.0]
        if len(set(rounded)) != len(rounded):
            raise ValueError(f"two levels of {name} weigh the same")


def _apart(weights: dict[str, float]) -> dict[str, float]:
    """The weights at 6 decimals, each moved by a millionth of a bit where it would weigh as another level or 0."""
    taken, out = {0.0}, {}
    for level, weight in weights.items():
        weight = round(weight, 6)
        while weight in taken:
            weight = round(weight + (1e-6 if weight >= 0 else -1e-6), 6)
        taken.add(weight)
        out[level] = weight
    return out


def from_trained(settings: dict, rows: int, seed: int, u_max_pairs: float, splink_version: str) -> Model:
    """A Model from splink's trained settings (linker.misc.save_model_to_json()): per level m and u
    where estimated, the fixed weight elsewhere; the threshold from the prior."""
    m, u, weights = {}, {}, {}
    for comparison in settings["comparisons"]:
        name = comparison["output_column_name"]
        m[name], u[name], weights[name] = {}, {}, {}
        for level in comparison["comparison_levels"]:
            if level.get("is_null_level"):
                continue
            label = level["label_for_charts"]
            m_value, u_value = level.get("m_probability"), level.get("u_probability")
            if m_value and u_value and 0 < m_value <= 1 and 0 < u_value <= 1:
                m[name][label], u[name][label] = _round(m_value), _round(u_value)
                weights[name][label] = math.log2(m[name][label] / u[name][label])
            else:
                weights[name][label] = WEIGHTS[name][label]  # not estimable here: the prior
        weights[name] = _apart(weights[name])
    prior = settings["probability_two_random_records_match"]
    threshold = _round(math.log2(MATCH_ODDS) - math.log2(prior / (1 - prior)))
    _check_levels_apart(weights)
    return Model(
        kind="dipelajari",
        weights=weights,
        threshold=threshold,
        m=m,
        u=u,
        tf_fields=TF_FIELDS,
        training={
            "rows": int(rows),
            "seed": int(seed),
            "u_max_pairs": int(u_max_pairs),
            "em_rules": list(EM_RULES),
            "em_max_pairs": EM_MAX_PAIRS,
            "splink": splink_version,
            "probability_two_random_records_match": _round(prior),
            "match_odds": MATCH_ODDS,
        },
    )


def summary(model: Model) -> list[dict]:
    """One row per field and level: the fixed weight beside the model's (and m and u where learnt)."""
    rows = []
    for name, values in WEIGHTS.items():
        for level, fixed in values.items():
            rows.append(
                {
                    "kolom": name,
                    "tingkat": level,
                    "bobot_tetap": fixed,
                    "bobot_model": round(model.weights[name][level], 2),
                    "m": model.m.get(name, {}).get(level),
                    "u": model.u.get(name, {}).get(level),
                    "frekuensi_nilai": "ya" if name in model.tf_fields and level == "equal" else "tidak",
                }
            )
    return rows


def train(rows, *, seed: int = SEED, u_max_pairs: float | None = None) -> Model:
    """A model learnt from the rows to link (linkage.INPUT_COLUMNS), as the module docstring says."""
    import splink

    from umkm.reconcile import linkage

    if u_max_pairs is None:
        u_max_pairs = min(U_MAX_PAIRS, max(U_MIN_PAIRS, U_PAIRS_PER_ROW * len(rows)))
    con, _ = linkage.connect(rows, threads=1)  # one thread: sampling and sums in one order, the same model
    try:
        # Quiet: splink warns of each level one EM session cannot estimate (the next one does).
        trainer = linkage.linker(con, None, log_level=logging.ERROR)
        trainer.training.estimate_u_using_random_sampling(max_pairs=u_max_pairs, seed=seed)
        for k, rule in enumerate(EM_RULES):
            trainer.training.estimate_parameters_using_expectation_maximisation(
                rule,
                populate_probability_two_random_records_match_from_trained_values=k == len(EM_RULES) - 1,
                max_pairs=EM_MAX_PAIRS,
            )
        settings = trainer.misc.save_model_to_json()
    finally:
        con.close()
    return from_trained(settings, len(rows), seed, u_max_pairs, splink.__version__)
