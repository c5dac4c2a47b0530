"""The input summary: what was read and what was not, printed by the build and kept in the quality report;
input dates that cannot be true never date a release."""

from __future__ import annotations

import csv
import io
import re

import pandas as pd

from umkm import paths, reference
from umkm.build import cli
from umkm.ingest import input_summary, synthetic

KEY = "test-key-input-summary"


def test_impossible_dates_never_date_the_release_and_are_reported(tmp_path, monkeypatch, capsys):
    register = synthetic.generate(reference.load(), seed=31, ods_rows=1500)
    ods, oss = register.ods.copy(), register.oss.copy()
    ods.loc[10, "tanggal_input"] = "31-12-2099"  # one cell in the future
    oss.loc[3, "tgl_terbit_nib"] = "56103"  # a stray number read as an Excel date: 2053-08-07
    ods_text = ods.to_csv(index=False, lineterminator="\n").split("\n")
    ods_text.insert(21, "," * (len(ods.columns) - 1))  # a blank row between records (data row 20)
    (tmp_path / "ods.csv").write_text("\n".join(ods_text))
    oss.to_csv(tmp_path / "oss.csv", index=False)
    monkeypatch.setenv("UMKM_PSEUDONYM_KEY", KEY)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1796083200")  # 2026-12-01 in Balikpapan
    out = tmp_path / "out"
    code = cli.main(
        [
            "--ods",
            str(tmp_path / "ods.csv"),
            "--oss",
            str(tmp_path / "oss.csv"),
            "--out",
            str(out),
            "--quiet",
            "--no-site",
        ]
    )
    err = capsys.readouterr().err
    assert code == 0, err
    from umkm.reconcile import normalise

    newest = max(
        normalise.parse_date(register.ods["tanggal_input"]).max(),
        normalise.parse_date(register.oss["tgl_terbit_nib"]).max(),
    )  # the untouched register's newest
    assert newest <= pd.Timestamp(register.snapshot_date)
    from umkm.ingest import cadence

    release = cadence.default_snapshot(newest)  # the month the newest true date closes (monthly cadence)
    assert f"Built release {release:%Y.%m.%d} " in err  # not 2099.12.31, not 2053.08.07
    assert "ODS ods.csv: 1,500 rows read (header on row 1); 1 blank rows skipped" in err
    assert re.search(
        r"ODS ods\.csv: 1 dates in column 'tanggal_input' after the build date 2026-12-01 or before "
        r"2000-01-01, not used to date the release \(rows 12\)",
        err,
    ), err
    assert re.search(r"OSS oss\.csv: 1 dates in column 'tgl_terbit_nib' .* \(rows 5\)", err), err
    assert "2099" not in err.split("Built release")[1].split("rows 12")[0].replace("2099-12-31", "")
    quality = {
        row["metrik"]: int(row["nilai"])
        for row in csv.DictReader(
            io.StringIO((out / "datapackages" / "umkm-kualitas-data" / "kualitas_data.csv").read_text(encoding="utf-8"))
        )
    }
    assert quality["tanggal_tidak_sah"] == 2 and quality["baris_kosong_ods"] == 1 and quality["baris_kosong_oss"] == 0
    decisions = pd.read_csv(out / "private" / "decisions.csv", dtype=str, keep_default_na=False)
    assert len(decisions[decisions["source"] == "ods"]) == 1500  # the blank row is no record
    # the release counts the rows up to its snapshot date (the row dated 2099 is one of them: its date is unknown)
    in_release = decisions[(decisions["source"] == "ods") & (decisions["status"] != "deferred")]
    assert quality["baris_ods"] == len(in_release) and (decisions["status"] == "deferred").any()


def test_the_newest_valid_date_leaves_out_the_future_and_the_time_before_the_register():
    rows = pd.DataFrame(
        {
            "source": ["ods", "ods", "oss", "oss", "ods"],
            "source_row": [1, 2, 1, 2, 3],
            "tanggal_input": pd.to_datetime(["2026-10-31", "2099-12-31", "2053-08-07", "2017-01-01", "1900-01-01"]),
        }
    )
    today = pd.Timestamp("2026-12-01")
    assert input_summary.newest_valid_input_date(rows, today) == pd.Timestamp("2026-10-31")
    assert input_summary.valid_input_dates(rows, today).notna().tolist() == [True, False, False, False, False]
    assert input_summary.newest_valid_input_date(rows.iloc[1:], today) is None


def test_the_readme_documents_every_exit_status_the_build_returns():
    readme = (paths.REPO / "README.md").read_text(encoding="utf-8")
    statuses = {name: value for name, value in vars(cli).items() if name.startswith("EXIT_")}
    assert sorted(statuses.values()) == [2, 3, 4, 5]
    for value in (0, 1, *statuses.values()):
        assert re.search(rf"^\| {value} \| .+ \| .+ \|$", readme, re.M), value
    help_text = cli.parse_args.__code__.co_consts  # the epilog names each status
    epilog = next(c for c in help_text if isinstance(c, str) and c.startswith("Exit status"))
    assert all(f"{value} " in epilog for value in statuses.values())
    for option in ("--wait", "--ods-sheet", "--oss-sheet"):
        assert option in readme, option
