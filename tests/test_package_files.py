"""The fast CSV and workbook writers of the package stage give the bytes of the slow, plain ones.

xlsx.csv_bytes writes all-text tables with Arrow instead of pandas' to_csv, and
xlsx.workbook_bytes writes cells column-wise instead of XlsxWriter's write_row: both must
stay byte-identical to what they replace, which these tests write here the plain way.
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from tests import support
from umkm import xlsx
from umkm.package import packages as package

PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
STAMP = pd.Timestamp("2000-01-01").to_pydatetime()
PROPERTIES = {"title": "uji", "author": "penerbit", "created": STAMP}

AWKWARD = [
    "biasa",
    "",
    " spasi depan",
    "spasi belakang ",
    "\xa0nbsp",
    "tab\tdi tengah",
    "baris\nbaru",
    "kendali \x01\x1f",
    "_x0041_ sudah lolos",
    "a & b < c > d",
    'kutip "ganda"',
    "koma, titik",
    "emoji 🙂",
    "\ufffe",
    "=1+1",
    "'=1+1",
    "Ünïcödé",
    "0123",
    "<r>bukan rich</r",
]
LONG = "x" * 40_000 + "🙂"  # over Excel's 32,767 characters a cell


def xlsxwriter_reference(sheets: list[tuple[str, pd.DataFrame]]) -> bytes:
    """What the package stage wrote before: XlsxWriter's write_row for every row, then normalise_xlsx."""
    return support.xlsxwriter_reference(sheets, PROPERTIES, STAMP)


def awkward_frame(rows: int, values: list[str] = AWKWARD) -> pd.DataFrame:
    rng = np.random.default_rng(3)
    text = [values[i] for i in rng.integers(0, len(values), rows)]
    sparse = [None if i % 3 else f"kode-{i % 7}" for i in range(rows)]
    numbers = pd.array(
        [None if i % 5 == 0 else int(v) for i, v in enumerate(rng.integers(-(10**17), 10**17, rows))], dtype="Int64"
    )
    return pd.DataFrame(
        {
            "teks": pd.array(text, dtype="string"),
            "jarang": pd.array(sparse, dtype="string"),
            "kosong": pd.array([None] * rows, dtype="string"),
            "angka": numbers,
            "pecahan": [np.nan if i % 4 == 0 else v for i, v in enumerate(rng.normal(0, 1e6, rows))],
            "bulat": np.arange(rows, dtype="int64"),
            "benar": pd.array([None if i % 6 == 0 else bool(i % 2) for i in range(rows)], dtype="boolean"),
        }
    )


@pytest.mark.parametrize("rows", [0, 1, 15, 16, 17, 70])
def test_workbook_bytes_equal_xlsxwriter_write_row(rows, monkeypatch):
    monkeypatch.setattr(xlsx, "ROW_CHUNK", 7)  # several chunks even in a small sheet
    frame = xlsx.for_text_output(awkward_frame(rows))
    if rows:  # the last rows without any cell: no <row> element, and the used range ends before them
        frame.iloc[-min(rows, 3) :, :] = None
    notes = pd.DataFrame(
        {"kolom": list(frame.columns), "keterangan": ["", *AWKWARD[: len(frame.columns) - 1]]}, dtype=object
    )
    sheets = [("data", frame), ("keterangan", notes)]
    assert xlsx.workbook_bytes(sheets, PROPERTIES, STAMP) == xlsxwriter_reference(sheets)


@pytest.mark.parametrize("empty", [slice(15, 49), slice(0, 60)])
def test_workbook_bytes_equal_xlsxwriter_with_rows_without_cells(empty, monkeypatch):
    # Whole blocks of 16 rows without a cell have no "spans"; a sheet of such rows is its header alone.
    monkeypatch.setattr(xlsx, "ROW_CHUNK", 11)
    frame = xlsx.for_text_output(awkward_frame(60).drop(columns=["bulat", "pecahan"]))
    frame.iloc[empty, :] = None
    sheets = [("data", frame)]
    assert xlsx.workbook_bytes(sheets, PROPERTIES, STAMP) == xlsxwriter_reference(sheets)


def test_workbook_reads_back_as_the_table():
    # (A string over Excel's limit is cut, and the cells after it stay: XlsxWriter's write_row dropped them.)
    readable = [v for v in AWKWARD if not any(c in v for c in "\x01\x1f\ufffe_")]  # openpyxl keeps _xHHHH_
    frame = xlsx.for_text_output(awkward_frame(40, readable))
    frame.loc[5, "teks"] = LONG
    data = load_workbook(io.BytesIO(xlsx.workbook_bytes([("data", frame)], PROPERTIES, STAMP)))["data"]
    rows = list(data.iter_rows(values_only=True))
    assert list(rows[0]) == list(frame.columns)
    assert len(rows) == 41
    for got, (_, want) in zip(rows[1:], frame.iterrows(), strict=True):
        expected = [None if pd.isna(v) or v == "" else v for v in want]
        expected[0] = expected[0][:32_767] if expected[0] else expected[0]
        assert [g if not isinstance(g, float) else pytest.approx(g) for g in got] == expected


def test_workbook_refuses_more_rows_than_a_sheet_holds(monkeypatch):
    monkeypatch.setattr(xlsx, "EXCEL_MAX_ROWS", 10)
    frame = pd.DataFrame({"a": pd.array([str(i) for i in range(10)], dtype="string")})
    with pytest.raises(ValueError, match="do not fit"):
        xlsx.workbook_bytes([("data", frame)], PROPERTIES, STAMP)


TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)


@PROPERTY
@given(
    st.lists(
        st.tuples(
            st.one_of(st.none(), TEXT),
            st.one_of(st.none(), st.integers(-(2**62), 2**62)),
            st.one_of(st.none(), st.sampled_from(["mikro", "kecil", " x", "a&b"])),
        ),
        max_size=40,
    )
)
def test_workbook_bytes_equal_xlsxwriter_on_any_text(rows):
    frame = pd.DataFrame(
        {
            "teks": pd.array([r[0] for r in rows], dtype="string"),
            "angka": pd.array([r[1] for r in rows], dtype="Int64"),
            "kode": pd.array([r[2] for r in rows], dtype="string"),
        }
    )
    frame = xlsx.for_text_output(frame)
    # XlsxWriter writes a string shaped "<r>...</r>" as raw XML (its rich strings); ours escapes it.
    rich = frame["teks"].str.startswith("<r>").fillna(False) & frame["teks"].str.endswith("</r>").fillna(False)
    frame = frame[~rich.to_numpy(dtype=bool)]
    sheets = [("data", frame)]
    assert xlsx.workbook_bytes(sheets, PROPERTIES, STAMP) == xlsxwriter_reference(sheets)


@PROPERTY
@given(
    st.lists(
        st.tuples(
            st.one_of(st.none(), TEXT),
            st.one_of(st.none(), st.sampled_from(["", ",", '"', "a\nb"])),
            st.one_of(st.none(), st.booleans()),
        ),
        max_size=30,
    ),
    st.booleans(),
)
def test_csv_bytes_equal_pandas_to_csv(rows, lone):
    frame = pd.DataFrame(
        {
            "teks": pd.array([r[0] for r in rows], dtype="string"),
            "tanda": pd.array([r[1] for r in rows], dtype="string"),
            "ya": pd.array([r[2] for r in rows], dtype="boolean"),
        }
    )
    if lone:  # one column: the csv module quotes an empty row
        frame = frame[["tanda"]]
    text = xlsx.for_text_output(frame)
    assert xlsx.csv_bytes(frame) == text.to_csv(index=False, lineterminator="\n", na_rep="").encode("utf-8")


def test_text_output_guards_formulas_and_line_ends():
    frame = pd.DataFrame(
        {
            "t": pd.array(["=1", "\r\n=2", "\r-3", "ok", None, "\t@x"], dtype="string"),
            "b": pd.array([True, False, None, True, False, None], dtype="boolean"),
        }
    )
    text = xlsx.for_text_output(frame)
    assert text["t"].tolist()[:4] == ["'=1", "\n=2", "\n-3", "ok"] and pd.isna(text["t"][4])
    assert text["t"][5] == "'\t@x"
    assert text["b"].tolist()[:2] == ["true", "false"] and pd.isna(text["b"][2])
    expected = [
        xlsx.safe_text(v) if isinstance(v, str) else v
        for v in frame["t"].str.replace("\r\n", "\n").str.replace("\r", "\n")
    ]
    assert text["t"].tolist()[:4] + text["t"].tolist()[5:] == expected[:4] + expected[5:]


def test_chunks_made_ahead_come_in_order_and_carry_errors():
    assert list(xlsx._made_ahead(iter(range(50)))) == list(range(50))

    def failing():
        yield b"a"
        raise RuntimeError("rusak")

    with pytest.raises(RuntimeError, match="rusak"):
        list(xlsx._made_ahead(failing()))
    ahead = xlsx._made_ahead(iter(range(1000)))
    assert next(ahead) == 0
    ahead.close()  # the maker thread stops instead of waiting for room forever
    import threading

    assert not any(t.name == "xlsx-chunks" for t in threading.enumerate())


def test_formats_made_later_are_the_same_files():
    release = package.Release(version="2026.01.31", snapshot_date=pd.Timestamp("2026-01-31"), is_demo=True)
    frame = xlsx.for_text_output(awkward_frame(30)).drop(columns=["benar"])
    schema = {
        "fields": [
            {
                "name": c,
                "type": "string" if c in ("teks", "jarang", "kosong") else "number",
                "title": c,
                "title_en": c,
                "description": c,
                "description_en": c,
            }
            for c in frame.columns
        ]
    }
    specs = [package.ResourceSpec(name, name, name, name, name, frame, schema) for name in ("satu", "dua")]
    now = package.build_package("p", "P", "P", "P.", "P.", specs, release, [], [])
    later = package.build_package("p", "P", "P", "P.", "P.", specs, release, [], [], formats=False)
    assert sorted(later.files) == ["datapackage.json", "dua.csv", "satu.csv"] and len(later.pending) == 2
    relabelled = package.with_version(later, "2026.01.31-2")
    made = package.other_formats(relabelled)
    assert sorted(made) == ["dua.parquet", "dua.xlsx", "satu.parquet", "satu.xlsx"] and not relabelled.pending
    assert len(later.pending) == 2 and sorted(later.files) == ["datapackage.json", "dua.csv", "satu.csv"], (
        "the relabelled package has its own list of formats to make"
    )
    assert {k: v for k, v in relabelled.files.items() if k != "datapackage.json" and not k.endswith(".xlsx")} == {
        k: v for k, v in now.files.items() if k != "datapackage.json" and not k.endswith(".xlsx")
    }
    for name in ("satu.xlsx", "dua.xlsx"):  # the same sheets; the cover names the version each was made for
        books = [load_workbook(io.BytesIO(files[name])) for files in (relabelled.files, now.files)]
        for sheet in ("data", "keterangan"):
            assert [list(b[sheet].values) for b in books][0] == [list(b[sheet].values) for b in books][1]
        covers = [dict(b["tentang"].values) for b in books]
        assert (
            covers[0]["Versi rilis / release"] == "2026.01.31-2" and covers[1]["Versi rilis / release"] == "2026.01.31"
        )


CSV_CASES = {
    "text and numbers": pd.DataFrame(
        {"a": ["x", None, "", "é"], "b": [1, 2, 3, 4], "c": pd.array(["p", pd.NA, "q", "r"], dtype="string")}
    ),
    "chunked": pd.DataFrame({"a": pd.arrays.ArrowStringArray(pa.chunked_array([["x", None], ["y"]])), "b": [1, 2, 3]}),
    "quotes": pd.DataFrame({"a": ['x"y', "a,b", "c\rd", "e\nf"], "b": [1, 2, 3, 4]}),
    "lone column": pd.DataFrame({"a": ["x", ""]}),
    "mixed": pd.DataFrame({"a": pd.Series(["x", 1], dtype=object), "b": [1.5, np.nan]}),
    "empty": pd.DataFrame(columns=["fingerprint_a", "fingerprint_b", "keputusan"]),
}


@pytest.mark.parametrize("case", CSV_CASES)
def test_plain_csv_bytes_are_what_pandas_writes(tmp_path, case):
    frame = CSV_CASES[case]
    frame.to_csv(tmp_path / "pandas.csv", index=False, lineterminator="\n")
    assert xlsx.plain_csv_bytes(frame) == (tmp_path / "pandas.csv").read_bytes()


@pytest.mark.parametrize("rows", [0, 1, 17, 70])
def test_laid_out_workbook_with_booleans_equals_xlsxwriter_write_row(rows, monkeypatch):
    # A frozen header, a filter, widths and column formats (a grouped number, text, wrapped text) set on the
    # skeleton give every cell of a formatted column its format, as XlsxWriter does; booleans are TRUE/FALSE.
    monkeypatch.setattr(xlsx, "ROW_CHUNK", 7)
    frame = xlsx.for_text_output(awkward_frame(rows).drop(columns=["benar"]))
    frame["benar"] = awkward_frame(rows)["benar"]
    formats = {"angka": {"num_format": "#,##0"}, "jarang": {"num_format": "@"}, "teks": {"text_wrap": True}}
    layout = xlsx.Layout(
        header={"bold": True},
        freeze_header=True,
        autofilter=True,
        widths=xlsx.fitting_widths(frame, formats),
        formats=formats,
    )
    notes = pd.DataFrame({"kolom": list(frame.columns), "keterangan": ["x"] * len(frame.columns)}, dtype=object)
    sheets = [("tentang", notes), ("data", frame)]
    layouts = {"data": layout, "tentang": xlsx.Layout(widths={"kolom": 30.0})}
    made = xlsx.workbook_bytes(sheets, PROPERTIES, STAMP, layouts=layouts)
    assert made == support.xlsxwriter_reference(sheets, PROPERTIES, STAMP, layouts=layouts)
    sheet = load_workbook(io.BytesIO(made))["data"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == f"A1:G{rows + 1}"
    if rows > 5:
        numbers = [c for c in sheet["D"][1:] if c.value is not None]
        assert numbers and all(c.number_format == "#,##0" and c.data_type == "n" for c in numbers)
        flags = [c.value for c in sheet["G"][1:]]
        assert set(flags) - {None} <= {True, False} and any(v is True for v in flags)
