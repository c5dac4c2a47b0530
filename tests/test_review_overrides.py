"""The review workbook loop for exclusions and linkage weights: staff overrule, approve, and the next builds obey."""

import pandas as pd
import pytest
from openpyxl import load_workbook

from tests import support
from umkm import reference
from umkm.build import cli, private
from umkm.ingest import synthetic
from umkm.reconcile import linkage_model

REF = reference.load()


def decisions(out):
    return pd.read_csv(out / "private" / "decisions.csv", dtype=str, keep_default_na=False).set_index(
        ["source", "source_row"]
    )


def sheet_rows(path, name):
    sheet = load_workbook(path)[name]
    header = [c.value for c in sheet[1]]
    return sheet, header, [dict(zip(header, [c.value for c in row])) for row in sheet.iter_rows(min_row=2)]


def write_cell(path, name, line, column, value):
    workbook = load_workbook(path)
    sheet = workbook[name]
    header = [c.value for c in sheet[1]]
    sheet.cell(row=line, column=header.index(column) + 1, value=value)
    workbook.save(path)


@pytest.fixture(scope="module")
def loop(tmp_path_factory):
    """Build 1 proposes weights; staff overrule two exclusions and approve the weights; build 2 obeys."""
    folder = tmp_path_factory.mktemp("review-loop")
    exports = synthetic.write(synthetic.generate(REF, seed=12, ods_rows=3000), folder / "in", formats=("csv",))
    out = folder / "out"
    args = [
        "--ods",
        str(exports["ods.csv"]),
        "--oss",
        str(exports["oss.csv"]),
        "--out",
        str(out),
        "--quiet",
        "--no-site",
        "--train-min-rows",
        "1000",
    ]
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("UMKM_PSEUDONYM_KEY", "k")
        assert cli.main(args) == 0
        first = decisions(out)
        proposal = linkage_model.from_json((out / "private" / private.PROPOSED_MODEL).read_text(), "usulan")
        workbook = out / "private" / "review.xlsx"
        _, _, excluded = sheet_rows(workbook, "pengecualian")
        chosen = {}
        for number, line in enumerate(excluded, start=2):
            if line["alasan"] in ("badan_lain", "luar_wilayah") and line["alasan"] not in chosen:
                chosen[line["alasan"]] = (number, line)
        write_cell(workbook, "pengecualian", chosen["badan_lain"][0], "keputusan_staf", "Pelaku")
        write_cell(workbook, "pengecualian", chosen["luar_wilayah"][0], "keputusan_staf", "tidak_valid ")
        _, _, approval = sheet_rows(workbook, "persetujuan_bobot")
        assert approval[0]["model"] == proposal.fingerprint
        write_cell(workbook, "persetujuan_bobot", 2, "keputusan_staf", "pakai")
        assert cli.main(args) == 0
        yield {"out": out, "args": args, "first": first, "proposal": proposal, "chosen": chosen, "patch": patch}


def test_the_first_build_explains_every_exclusion_and_proposes_weights(loop):
    first, chosen = loop["first"], loop["chosen"]
    excluded = first[first["status"].eq("excluded")]
    for reason, (_, line) in chosen.items():
        assert first.loc[(line["sumber"], str(line["baris"])), "reason"] == reason
        assert line["aturan"] == {"badan_lain": "pola_nama", "luar_wilayah": "wilayah"}[reason]
        assert line["keterangan"]
    # every row set aside is in the sheet, once, with the reason the decisions give
    assert loop["proposal"].kind == "dipelajari"
    assert len(excluded) > 50


def test_staff_overrules_are_obeyed_and_kept(loop):
    out, chosen = loop["out"], loop["chosen"]
    second = decisions(out)
    _, line = chosen["badan_lain"]
    assert second.loc[(line["sumber"], str(line["baris"])), "status"] in ("actor", "duplicate")
    _, line = chosen["luar_wilayah"]
    assert second.loc[(line["sumber"], str(line["baris"])), "reason"] == "tidak_valid"
    kept = pd.read_csv(out / "private" / private.EXCLUSION_OVERRIDES, dtype=str)
    assert sorted(kept["keputusan"]) == ["pelaku", "tidak_valid"]
    _, _, excluded = sheet_rows(out / "private" / "review.xlsx", "pengecualian")
    shown = {(r["sumber"], r["baris"]): r for r in excluded}
    overruled = shown[(line["sumber"], line["baris"])]
    assert (overruled["aturan"], overruled["keputusan_staf"]) == ("keputusan_staf", "tidak_valid")


def test_approved_weights_are_used_and_the_same_inputs_give_the_same_bytes(loop):
    out, proposal = loop["out"], loop["proposal"]
    kept = out / "private"
    approved = linkage_model.from_json((kept / private.MODEL).read_text(), "model")
    assert approved == proposal and not (kept / private.PROPOSED_MODEL).exists()
    _, _, weights = sheet_rows(kept / "review.xlsx", "bobot_tautan")
    assert weights[0]["kolom"] == "ambang" and weights[0]["bobot_dipakai"] == round(proposal.threshold, 2)
    reconciled = (
        "decisions.csv",
        "register.parquet",
        "actor_ids.csv",
        "review.xlsx",
        private.MODEL,
        private.EXCLUSION_OVERRIDES,
    )
    before = {name: digest for name, digest in support.tree_hashes(kept).items() if name in reconciled}
    assert cli.main(loop["args"] + ["--no-cache"]) == 0  # the same inputs, the approved model file
    after = {name: digest for name, digest in support.tree_hashes(kept).items() if name in reconciled}
    assert len(before) == len(reconciled) and after == before


def test_an_unknown_word_is_refused_naming_file_sheet_and_cell(loop, capsys):
    workbook = loop["out"] / "private" / "review.xlsx"
    write_cell(workbook, "pengecualian", 3, "keputusan_staf", "mungkin")
    sheet, header, _ = sheet_rows(workbook, "pengecualian")
    column = chr(ord("A") + header.index("keputusan_staf"))
    assert cli.main(loop["args"]) == cli.EXIT_BAD_INPUT
    message = capsys.readouterr().err
    assert "review.xlsx" in message and f"sheet pengecualian, cell {column}3" in message and "'mungkin'" in message


def test_the_exclusion_sheet_lists_every_row_set_aside_and_none_that_only_waits(tmp_path):
    """Rows entered after the snapshot date wait for a later release (status deferred): they are not set aside,
    so staff are not asked to overrule them; every row that is set aside is listed, once."""
    exports = synthetic.write(synthetic.generate(REF, seed=5, ods_rows=1500), tmp_path / "in", formats=("csv",))
    out = tmp_path / "out"
    entered = pd.read_csv(exports["ods.csv"], dtype=str)["tanggal_input"]
    snapshot = sorted(pd.to_datetime(entered, errors="coerce").dropna())[-200].strftime("%Y-%m-%d")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("UMKM_PSEUDONYM_KEY", "k")
        assert (
            cli.main(
                [
                    "--ods",
                    str(exports["ods.csv"]),
                    "--oss",
                    str(exports["oss.csv"]),
                    "--out",
                    str(out),
                    "--quiet",
                    "--no-site",
                    "--weights",
                    "fixed",
                    "--snapshot-date",
                    snapshot,
                ]
            )
            == 0
        )
    rows = decisions(out)
    assert rows["status"].eq("deferred").sum() >= 100
    _, _, listed = sheet_rows(out / "private" / "review.xlsx", "pengecualian")
    keys = [(line["sumber"], str(line["baris"])) for line in listed]
    assert len(keys) == len(set(keys))
    assert set(keys) == set(rows.index[rows["status"].eq("excluded")])
