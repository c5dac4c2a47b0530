"""Staff files are safe: the review workbook is validated (file, sheet and cell named), a workbook saved or open
during a build is kept beside the new one, and nothing staff wrote is lost."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook

from tests.support import tree_hashes
from umkm import paths
from umkm.build import cli, publish
from umkm.ingest import exports as ingest
from umkm.reconcile import review

REVIEW = ["bobot", "keputusan_sistem", "keputusan_staf", "baris_a", "fingerprint_a", "fingerprint_b"]


def workbook(rows, header=REVIEW, sheet="tautan_ragu") -> bytes:
    book = Workbook()
    book.active.title = sheet
    book.active.append(header)
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_decisions_are_read_whatever_their_case_and_spaces():
    data = workbook(
        [
            [1.5, "beda", " Sama ", 3, "fa", "fb"],
            [2.0, "sama", "BEDA", 4, "fc", "fd"],
            [2.5, "sama", None, 5, "fe", "ff"],
        ]
    )
    frame = review.decisions_from_workbook(data, "private/review.xlsx")
    assert frame.values.tolist() == [["fa", "fb", "sama"], ["fc", "fd", "beda"]]


@pytest.mark.parametrize(
    "data, message, sheet, cell",
    [
        (workbook([[1.5, "beda", "sma", 3, "fa", "fb"]]), "'sma' is not a decision: write sama", "tautan_ragu", "C2"),
        (
            workbook(
                [[1, "beda", "sama", 3, "fa", "fb"], [1, "beda", "ya", 3, "fc", "fd"], [1, "beda", "x", 3, "f", "g"]]
            ),
            "'ya' is not a decision",
            "tautan_ragu",
            "C3",
        ),
        (
            workbook([[1.5, "beda", "sama", 3, "fa", "fb"]], sheet="Tautan ragu (cek)"),
            "sheet 'tautan_ragu' is missing",
            "tautan_ragu",
            None,
        ),
        (
            workbook([[1.5, "beda", "sama", 3, "fa", "fb"]], header=[*REVIEW[:2], "keputusan", *REVIEW[3:]]),
            "column 'keputusan_staf' is missing from the header row",
            "tautan_ragu",
            None,
        ),
        (
            workbook([[1.5, "beda", "sama", 3, None, "fb"]]),
            "a decision whose pair of rows is gone",
            "tautan_ragu",
            "E2",
        ),
        (
            workbook([[1.5, "beda", "sama", 3, "fa", "fb"], [1.5, "beda", "beda", 3, "fb", "fa"]]),
            "the same pair of rows is decided 'sama' in row 2 and 'beda' here",
            "tautan_ragu",
            "C3",
        ),
        (b"PK\x03\x04 not really a workbook", "is not a readable Excel workbook", None, None),
    ],
)
def test_a_wrong_review_workbook_names_the_file_sheet_and_cell(data, message, sheet, cell):
    with pytest.raises(ingest.InputError) as caught:
        review.decisions_from_workbook(data, "private/review.xlsx")
    error = caught.value
    assert message in str(error) and str(error).startswith("private/review.xlsx")
    assert (error.sheet, error.cell) == (sheet, cell)
    assert "Nothing was changed" in str(error)
    if "'ya'" in message:  # the first of two wrong words named, the other counted
        assert "and 1 more cells" in str(error)


def test_the_carry_keeps_a_workbook_saved_or_open_during_the_build(tmp_path):
    old, new = tmp_path / ".previous-private", tmp_path / "staging-private"
    for folder in (old, new):
        folder.mkdir()
    (old / "review.xlsx").write_bytes(b"as read")
    (new / "review.xlsx").write_bytes(b"the build's new workbook")
    staff = publish.StaffWorkbook(old)
    assert staff.read() == b"as read"
    staff.carry(old, new)  # unchanged and not open: the new one replaces it
    assert (new / "review.xlsx").read_bytes() == b"the build's new workbook" and staff.notice is None

    (old / ".~lock.review.xlsx#").write_text("staf,pc,01.12.2026")  # LibreOffice has it open
    staff.carry(old, new)
    assert (new / "review.xlsx").read_bytes() == b"as read"
    assert (new / "review-baru.xlsx").read_bytes() == b"the build's new workbook"
    assert (new / ".~lock.review.xlsx#").is_file() and "is open in an office program" in staff.notice

    for name in ("review.xlsx", "review-baru.xlsx", ".~lock.review.xlsx#"):
        (new / name).unlink()
    (new / "review.xlsx").write_bytes(b"the build's new workbook")
    (old / ".~lock.review.xlsx#").unlink()
    (old / "review.xlsx").write_bytes(b"saved by staff during the build")
    staff.carry(old, new)
    assert (new / "review.xlsx").read_bytes() == b"saved by staff during the build"
    assert (new / "review-baru.xlsx").read_bytes() == b"the build's new workbook"
    assert "was saved while this build ran" in staff.notice
    assert oct((new / "review.xlsx").stat().st_mode & 0o777) == "0o600"


def _build(out: Path, *extra: str) -> list[str]:
    return [
        sys.executable,
        str(paths.REPO / "build_data.py"),
        "--demo-rows",
        "1500",
        "--quiet",
        "--out",
        str(out),
        *extra,
    ]


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != "UMKM_PSEUDONYM_KEY"}


def test_a_review_workbook_saved_during_a_build_is_kept_and_its_decisions_are_read_next(tmp_path):
    out = tmp_path / "out"
    first = subprocess.run(
        _build(out, "--no-site"), cwd=paths.REPO, env=_env(), capture_output=True, text=True, timeout=600
    )
    assert first.returncode == 0, first.stderr[-3000:]
    sheet = pd.read_excel(out / "private" / "review.xlsx", sheet_name="tautan_ragu", dtype=str, engine="openpyxl")
    assert len(sheet) >= 4, "the demo register has uncertain pairs to decide"
    # Staff open the workbook and decide four pairs while the next build runs.
    book = load_workbook(out / "private" / "review.xlsx")
    column = [c.value for c in book["tautan_ragu"][1]].index("keputusan_staf") + 1
    decided, seen = [], set()
    for index, pair in enumerate(zip(sheet["fingerprint_a"], sheet["fingerprint_b"], strict=True)):
        if tuple(sorted(pair)) in seen or len(decided) == 4:  # four different pairs (a pair may be listed twice)
            continue
        seen.add(tuple(sorted(pair)))
        word = "sama" if len(decided) % 2 else "beda"
        book["tautan_ragu"].cell(index + 2, column, word)
        decided.append((*pair, word))
    assert len(decided) == 4
    saved = io.BytesIO()
    book.save(saved)

    process = subprocess.Popen(
        _build(out, "--no-site", "--no-cache"),
        cwd=paths.REPO,
        env=_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 600
    while not (out / ".staging" / "private" / "review.xlsx").is_file():  # the build has read the old one
        assert process.poll() is None and time.monotonic() < deadline, "the build ended before writing its workbook"
        time.sleep(0.01)
    fresh = out / "private" / "review.xlsx.tmp"
    fresh.write_bytes(saved.getvalue())
    os.replace(fresh, out / "private" / "review.xlsx")  # saved as an office program saves: a new file
    _, err = process.communicate(timeout=600)
    assert process.returncode == 0, err[-3000:]
    assert "was saved while this build ran" in err and "review-baru.xlsx" in err
    assert (out / "private" / "review.xlsx").read_bytes() == saved.getvalue()  # never overwritten
    assert (out / "private" / "review-baru.xlsx").is_file()

    third = subprocess.run(
        _build(out, "--no-site"), cwd=paths.REPO, env=_env(), capture_output=True, text=True, timeout=600
    )
    assert third.returncode == 0, third.stderr[-3000:]
    kept = pd.read_csv(out / "private" / "keputusan_staf.csv", dtype=str)
    pairs = {tuple(sorted((a, b))) + (w,) for a, b, w in decided}
    assert pairs <= {(r.fingerprint_a, r.fingerprint_b, r.keputusan) for r in kept.itertuples()}  # 4 of 4 kept


def test_a_renamed_sheet_in_the_review_workbook_stops_the_build_and_loses_nothing(tmp_path, monkeypatch, capsys):
    out = tmp_path / "out"
    monkeypatch.delenv("UMKM_PSEUDONYM_KEY", raising=False)
    assert cli.main(["--demo-rows", "1500", "--quiet", "--no-site", "--out", str(out)]) == 0
    book = load_workbook(out / "private" / "review.xlsx")
    book["tautan_ragu"].title = "ragu"
    book.save(out / "private" / "review.xlsx")
    capsys.readouterr()
    before = tree_hashes(out)
    code = cli.main(["--demo-rows", "1500", "--quiet", "--no-site", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == cli.EXIT_BAD_INPUT, err
    assert "review.xlsx, sheet 'tautan_ragu': sheet 'tautan_ragu' is missing" in err and "Traceback" not in err
    assert tree_hashes(out) == before


@pytest.mark.parametrize(
    "name, text",
    [
        ("keputusan_pengecualian.csv", "sidik,keputusan\nabc,pelaku\n"),  # a renamed column
        ("actor_ids.csv", "fingerprint\nabc\n"),
        ("keputusan_staf.csv", '"unclosed,quote\n'),
    ],
)
def test_a_damaged_kept_table_stops_the_build_naming_it_and_loses_nothing(tmp_path, monkeypatch, capsys, name, text):
    """Every table the builds keep in private/ is read the same way: a missing column or an unreadable file is
    exit 2 naming the file, never a traceback, and the output stays as it was."""
    out = tmp_path / "out"
    monkeypatch.delenv("UMKM_PSEUDONYM_KEY", raising=False)
    assert cli.main(["--demo-rows", "1500", "--quiet", "--no-site", "--out", str(out)]) == 0
    (out / "private" / name).write_text(text, encoding="utf-8")
    capsys.readouterr()
    before = tree_hashes(out)
    code = cli.main(["--demo-rows", "1500", "--quiet", "--no-site", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == cli.EXIT_BAD_INPUT, err
    assert name in err and "Traceback" not in err
    assert tree_hashes(out) == before
