"""The nightly as it really runs, on a synthetic register: each night's exports, and an OUT folder that holds only
what the workflow carries from the night before.

- the published site (restored from the last Pages artifact): ``site/`` with every ``unduh/<version>/``;
- the private state, in one of the two setups of the README:
  "a": a self-hosted runner's persistent folder (the private folder as the last night left it);
  "b": a hosted runner: the private folder sealed (AES-GCM, umkm.build.state) and unsealed into the new OUT;
  None: no private state at all (what the old nightly did).

Each night's exports are the register as the office would have exported it that night: the ODS rows entered
before it (tanggal_input) and the OSS rows issued before it (tgl_terbit_nib), without the actors who have left, and
with the changes some actors made since (online selling, still active, turnover).
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from umkm import paths
from umkm.build import cli, state
from umkm.ingest import synthetic
from umkm.reconcile import normalise

SECRET = "tests-nightly-secret-not-the-demo-key"
STATE_KEY = "11" * 32


@dataclass
class Change:
    """From ``night`` on, the actor's rows read differently (clean values, as the office would correct them)."""

    actor: str
    night: date
    values: dict[str, str]


@dataclass
class Scenario:
    register: synthetic.SyntheticRegister
    leavers: dict[str, date] = field(default_factory=dict)  # actor -> first night without its rows
    changes: list[Change] = field(default_factory=list)

    def exports(self, night: date) -> tuple[pd.DataFrame, pd.DataFrame]:
        reg = self.register
        truth = reg.truth
        ods_actor = truth.loc[truth["source"] == "ods", "true_actor"].to_numpy()
        oss_actor = truth.loc[truth["source"] == "oss", "true_actor"].to_numpy()
        cut = pd.Timestamp(night)
        ods_date = normalise.parse_date(reg.ods["tanggal_input"])
        oss_date = normalise.parse_date(reg.oss["tgl_terbit_nib"])
        gone = {a for a, when in self.leavers.items() if when <= night}
        # The nightly runs at 02:30: the rows entered by the evening before.
        ods_keep = ~(ods_date >= cut).to_numpy() & ~pd.Series(ods_actor).isin(gone).to_numpy()
        oss_keep = ~(oss_date >= cut).to_numpy() & ~pd.Series(oss_actor).isin(gone).to_numpy()
        ods, oss = reg.ods.copy(), reg.oss.copy()
        for change in self.changes:
            if change.night <= night:
                rows = ods_actor == change.actor
                for column, value in change.values.items():
                    ods.loc[rows, column] = value
        return ods[ods_keep].reset_index(drop=True), oss[oss_keep].reset_index(drop=True)


def register(rows: int = 6000, seed: int = 7) -> synthetic.SyntheticRegister:
    from umkm import reference

    return synthetic.generate(reference.load(), seed=seed, ods_rows=rows)


def actors_entered(reg: synthetic.SyntheticRegister, start: date, end: date) -> list[str]:
    """Actors whose first ODS row was entered in [start, end] (and who have no OSS row: they join then)."""
    truth = reg.truth
    ods = truth[truth["source"] == "ods"].reset_index(drop=True)
    when = normalise.parse_date(reg.ods["tanggal_input"])
    first = pd.Series(when.to_numpy(), index=ods["true_actor"]).groupby(level=0).min()
    in_oss = set(truth.loc[truth["source"] == "oss", "true_actor"])
    chosen = first[(first >= pd.Timestamp(start)) & (first <= pd.Timestamp(end))]
    return sorted(a for a in chosen.index if a and a not in in_oss)


def run_night(
    scenario: Scenario, night: date, work: Path, previous: Path | None, setup: str | None, monkeypatch
) -> tuple[int, Path]:
    """Build one night into a fresh OUT holding only what the nightly carries; returns (exit status, OUT)."""
    out = work / f"out-{night.isoformat()}"
    if previous is not None and (previous / paths.SITE).is_dir():
        shutil.copytree(previous / paths.SITE, out / paths.SITE, symlinks=True)  # the restored Pages artifact
    if previous is not None and setup == "a":
        shutil.copytree(previous / paths.PRIVATE, out / paths.PRIVATE)
    elif previous is not None and setup == "b":
        sealed = work / f"state-{night.isoformat()}.bin"
        sealed.write_bytes(state.seal(previous / paths.PRIVATE, bytes.fromhex(STATE_KEY)))
        assert b"actor_id" not in sealed.read_bytes()  # nothing readable travels
        state.unseal(sealed.read_bytes(), bytes.fromhex(STATE_KEY), out / paths.PRIVATE)
    out.mkdir(parents=True, exist_ok=True)
    ods, oss = scenario.exports(night)
    exports = work / f"exports-{night.isoformat()}"
    exports.mkdir(exist_ok=True)
    synthetic._write_csv(ods, exports / "ods.csv")
    synthetic._write_csv(oss, exports / "oss.csv")
    monkeypatch.setenv("UMKM_PSEUDONYM_KEY", SECRET)
    for name in ("UMKM_SITE_URL", "UMKM_CONTACT_EMAIL"):
        monkeypatch.delenv(name, raising=False)
    status = cli.main(
        ["--ods", str(exports / "ods.csv"), "--oss", str(exports / "oss.csv"), "--out", str(out), "--quiet"]
    )
    return status, out


def release_folders(out: Path) -> dict[str, Path]:
    root = out / paths.SITE / "unduh"
    return {p.name: p for p in sorted(root.iterdir()) if p.is_dir() and p.name[0].isdigit()}


def environment_clean() -> None:
    os.environ.pop("UMKM_PSEUDONYM_KEY", None)
