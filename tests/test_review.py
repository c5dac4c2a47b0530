"""The review workbook: the rows shown side by side, and its bytes equal to XlsxWriter's cell by cell."""

import io

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from openpyxl import load_workbook

from tests import support
from umkm.reconcile import linkage, review
from umkm.xlsx import safe_text

STAMP = pd.Timestamp("2026-11-28")


def xlsxwriter_cell_by_cell(sheets: dict[str, pd.DataFrame], stamp) -> bytes:
    """The workbook as review_xlsx wrote it before it was built column-wise: one write_row per row."""
    fixed = pd.Timestamp(stamp).to_pydatetime()
    return support.xlsxwriter_reference(
        list(sheets.items()),
        {"created": fixed},
        fixed,
        cell=lambda v: v if v is None or isinstance(v, (int, float)) else safe_text(str(v)),
    )


HOSTILE = [
    '=HYPERLINK("http://x")',
    "+62 812",
    "-5",
    "@SUM(A1)",
    "\tTab",
    "\rCR",
    "a & b < c > d",
    "_x0041_",
    " lead",
    "trail ",
    "ctl\x01\x1f",
    "Ünïcødé 𝔘",
    "",
    None,
    np.nan,
    "http://example.org",
    "1e5",
    "0812",
]


def test_review_workbook_is_byte_identical_to_xlsxwriter_cell_by_cell():
    rng = np.random.default_rng(3)
    n = 400
    text = pd.Series(rng.choice(np.array(HOSTILE, dtype=object), n), dtype=object)
    sheets = {
        "tautan_ragu": pd.DataFrame(
            {
                "bobot": np.round(rng.normal(0, 3, n), 2),
                "keputusan_sistem": np.where(rng.random(n) < 0.5, "sama", "beda"),
                "keputusan_staf": "",
                "baris_a": rng.integers(1, 10**6, n),
                "nama_pemilik_a": text,
                "nik_a": pd.array(text.where(text.notna(), None), dtype="string"),
                "tanggal_lahir_b": pd.Series(["", "1990-01-01"] * (n // 2), dtype="str"),
            }
        ),
        "konflik": pd.DataFrame(columns=["actor_id", "kolom", "nilai", "baris"]),  # no conflicts
        "chunked": pd.DataFrame({"x": pd.arrays.ArrowStringArray(pa.chunked_array([["a", None], ["=b", ""]]))}),
        "nik_tidak_terpakai": pd.DataFrame(
            {
                "sumber": pd.Categorical(["ods", "oss", "ods"]),
                "baris": [3, 1, 7],
                "nama_pemilik": [None, "=1+1", "X"],
                "nik_tertulis": ["3.2E+15", "", "-"],
                "status": ["excel_destroyed", "invalid", "invalid"],
            }
        ),
    }
    assert review.review_xlsx(sheets, STAMP) == xlsxwriter_cell_by_cell(sheets, STAMP)


def test_review_workbook_refuses_what_it_would_write_differently():
    with pytest.raises(TypeError, match="numbers in a text column"):
        review.review_xlsx({"s": pd.DataFrame({"x": pd.Series(["a", 1], dtype=object)})}, STAMP)
    with pytest.raises(TypeError, match="booleans"):
        review.review_xlsx({"s": pd.DataFrame({"x": [True, False]})}, STAMP)


def _case():
    """Four ODS rows and two OSS rows; grey pairs (1, 4) and (0, 2), a sure pair (2, 3), one below the band."""
    raw = {
        "ods": pd.DataFrame(
            {
                "source_row": [1, 2, 3, 4],
                "nama_pemilik": ["SITI A", "BUDI", "=EVIL", "SITI AMINAH"],
                "nama_usaha": ["w1", "w2", "w3", "w4"],
                "nik": ["1", "3.2E+15", "3", "4"],
                "nib": [""] * 4,
                "no_hp": ["081"] * 4,
                "kelurahan": ["k"] * 4,
                "tanggal_lahir": ["1990-01-0" + str(i) for i in range(1, 5)],
                "kbli": [""] * 4,
                "alamat": ["jl 1", "jl 2", "jl 3", "jl 4"],
            }
        ),
        "oss": pd.DataFrame(
            {
                "source_row": [1, 2],
                "nama_pelaku_usaha": ["SITI AMINAH", "PT X"],
                "nik": ["9", ""],
                "nib": ["123", "456"],
                "no_telp": ["", "0812"],
                "kd_daerah": ["6471", "6471"],
                "kbli": ["10", "47"],
                "alamat": ["jl 9", "jl 8"],
            }
        ),
    }
    rows = pd.DataFrame(
        {
            "source": ["ods"] * 4 + ["oss"] * 2,
            "source_row": [1, 2, 3, 4, 1, 2],
            "fingerprint": [f"f{i}" for i in range(6)],
            "reason": [""] * 6,
            "nik_status": ["valid", "excel_destroyed", "valid", "valid", "invalid", "valid"],
            "kelurahan_code": ["a", "a", "b", "c", "a", None],
            "jenis_kelamin": ["P"] * 6,
            "tanggal_lahir": pd.to_datetime(["1990-01-01", None, "1990-03-01", "1990-01-04", None, None]),
            "tanggal_lahir_beda": [False, False, True, False, False, False],
        }
    )
    t = linkage.MATCH_THRESHOLD
    pairs = pd.DataFrame(
        {"a": [1, 0, 2, 0], "b": [4, 2, 3, 5], "weight": [t + 1, t - 1, t + 1, t - 10], "nib": ["", "", "equal", ""]}
    )
    actor_of_row = pd.Series(["A1", "A2", "A2", "A2", "A2", "A3"])
    return rows, pairs, raw, actor_of_row


def test_review_shows_grey_pairs_side_by_side_as_typed():
    sheets = review.build_review(*_case())
    grey = sheets["tautan_ragu"]
    assert list(zip(grey["baris_a"], grey["baris_b"])) == [(1, 3), (2, 1)]  # by weight; sure and far pairs left out
    assert list(grey["sumber_b"]) == ["ods", "oss"]
    assert list(grey["keputusan_sistem"]) == ["beda", "sama"]
    assert list(grey["nama_pemilik_a"]) == ["SITI A", "BUDI"]
    assert list(grey["nama_pemilik_b"]) == ["=EVIL", "SITI AMINAH"]
    assert list(grey["tanggal_lahir_b"]) == ["1990-01-03", ""]  # OSS has no birth date
    assert list(grey["kelurahan_b"]) == ["k", "6471"]
    assert list(grey["fingerprint_b"]) == ["f2", "f4"]
    bad = sheets["nik_tidak_terpakai"]
    assert list(zip(bad["sumber"], bad["baris"], bad["nama_pemilik"], bad["nik_tertulis"])) == [
        ("ods", 2, "BUDI", "3.2E+15"),
        ("oss", 1, "SITI AMINAH", "9"),
    ]
    births = sheets["tanggal_lahir_beda"]  # the typed date beside the NIK's
    assert births.to_dict("records") == [
        {
            "sumber": "ods",
            "baris": 3,
            "actor_id": "A2",
            "nama_pemilik": "=EVIL",
            "nik_tertulis": "3",
            "tanggal_lahir_tertulis": "1990-01-03",
            "tanggal_lahir_menurut_nik": "1990-03-01",
        }
    ]
    conflicts = sheets["konflik"]
    assert list(conflicts["actor_id"]) == ["A2"] and conflicts.loc[0, "nilai"] == "a | b | c"

    cells = load_workbook(io.BytesIO(review.review_xlsx(sheets, STAMP)))["tautan_ragu"]
    header = [c.value for c in cells[1]]
    assert cells.cell(2, header.index("nama_pemilik_b") + 1).value == "'=EVIL"  # text, never a formula
    assert cells.cell(2, header.index("baris_a") + 1).value == 1


def test_review_leaves_blank_a_row_missing_from_its_export():
    rows, pairs, raw, actor_of_row = _case()
    raw["ods"] = raw["ods"][raw["ods"]["source_row"] != 3]
    grey = review.build_review(rows, pairs, raw, actor_of_row)["tautan_ragu"]
    assert pd.isna(grey.loc[0, "nama_pemilik_b"]) and grey.loc[1, "nama_pemilik_b"] == "SITI AMINAH"
