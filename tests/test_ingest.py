"""Ingest: every way an export arrives, read into the canonical columns or refused with file, row and column."""

import io

import pandas as pd
import pytest
from openpyxl import Workbook

from umkm import paths
from umkm.ingest import exports as ingest

MAPPING = ingest.build_header_mapping(pd.read_csv(paths.HEADER_MAPPING, dtype=str, keep_default_na=False))
HEADER = "Nama Usaha,NAMA PEMILIK,NIK,Kelurahan,No. HP"
ROWS = [
    "Warung Bu Sri,Sri Wahyuni,'6471015508800002,Gn. Samarinda,0812-3456-7890",
    "Toko Berkah,Budi Santoso,6.47101E+15,Batu Ampar,+62 813 1111 2222",
]


def parse(data: bytes, name="ods.csv", source="ods"):
    return ingest.parse_export(data, name, source, MAPPING)


def xlsx(rows, sheet_names=("Sheet1",), data_sheet=0) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for index, name in enumerate(sheet_names):
        sheet = workbook.create_sheet(name)
        for row in rows if index == data_sheet else [["catatan"], ["lembar lain"]]:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
def test_csv_in_every_encoding_reads_the_same(encoding):
    text = "\n".join([HEADER, *ROWS, "Kopi Gajah,José Ñ,6471012304850003,Teritip,08111111111"]) + "\n"
    table = parse(text.encode(encoding))
    assert table.frame["nama_pemilik"].tolist() == ["Sri Wahyuni", "Budi Santoso", "José Ñ"]
    assert table.frame["nik"].tolist()[:2] == ["'6471015508800002", "6.47101E+15"]
    assert table.frame["source_row"].tolist() == [1, 2, 3]
    assert list(table.frame.columns[1:]) == list(ingest.ODS_COLUMNS)


def test_utf8_with_stray_windows_1252_bytes_keeps_both():
    data = (
        (HEADER + "\n").encode() + "Café,Ani,1,Damai,\n".encode("utf-8") + "Caf\xe9 2,Ani,2,Damai,\n".encode("cp1252")
    )
    table = parse(data)
    assert table.frame["nama_usaha"].tolist() == ["Café", "Café 2"]
    assert table.encoding == "utf-8+windows-1252"


def test_header_below_title_rows_and_semicolons():
    text = (
        "DATA UMKM KOTA BALIKPAPAN;;;;\nper 31 Oktober 2026;;;;\n"
        + HEADER.replace(",", ";")
        + "\n"
        + ROWS[0].replace(",", ";")
        + "\n"
    )
    table = parse(text.encode())
    assert table.header_row == 3
    assert table.file_row(1) == 4
    assert table.frame.loc[0, "kelurahan"] == "Gn. Samarinda"


def test_quoted_newlines_and_quotes_survive():
    text = HEADER + '\n"Warung ""Enak""\nCabang 2",Sri,1,Damai,\n'
    assert parse(text.encode()).frame.loc[0, "nama_usaha"] == 'Warung "Enak"\nCabang 2'


def test_extra_columns_are_reported_and_missing_optional_columns_are_blank():
    table = parse((HEADER + ",Catatan Petugas\n" + ROWS[0] + ",cek lagi\n").encode())
    assert table.unmapped_columns == ("Catatan Petugas",)
    assert "omzet_per_tahun" in table.missing_columns
    assert table.frame.loc[0, "omzet_per_tahun"] == ""


@pytest.mark.parametrize(
    "data, message, row, column",
    [
        (b"", "empty", None, None),
        (b"   \n\n", "empty", None, None),
        ((HEADER + "\n").encode(), "no data rows", 1, None),
        (b"Nama Usaha,NIK,Kelurahan,No HP\nA,1,Damai,0812\n", "required column missing", 1, "nama_pemilik"),
        ((HEADER + ",Nama Lengkap\n" + ROWS[0] + ",x\n").encode(), "both map to 'nama_pemilik'", 1, "Nama Lengkap"),
        ((HEADER + "\n" + ROWS[0] + ",extra,cells\n").encode(), "not a consistent CSV", 2, None),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20, "binary", None, None),
        (b"tanggal,angka\n1,2\n", "no header row", None, None),
    ],
)
def test_refusals_name_file_row_and_column(data, message, row, column):
    with pytest.raises(ingest.InputError) as caught:
        parse(data)
    error = caught.value
    assert message in str(error)
    assert error.file == "ods.csv" and str(error).startswith("ods.csv")
    assert (error.row, error.column) == (row, column)


def test_xlsx_on_a_later_sheet_with_typed_cells():
    rows = [
        ["Rekap UMKM"],
        ["Nama Usaha", "Nama Pemilik", "NIK", "Kelurahan", "Tanggal Lahir", "No HP", "KBLI"],
        ["Warung", "Sri", 6471015508800002, "Damai", pd.Timestamp("1980-08-15").to_pydatetime(), 81234567890, "01111"],
    ]
    table = parse(xlsx(rows, ("Petunjuk", "Data"), data_sheet=1), name="ods.xlsx")
    assert table.sheet == "Data" and table.header_row == 2
    record = table.frame.iloc[0]
    # A 16-digit NIK stored as a number has lost a digit in Excel: it is handed on marked as such.
    assert "E+15" in record["nik"]
    assert record["tanggal_lahir"] == "1980-08-15"
    assert record["no_hp"] == "81234567890"
    assert record["kbli"] == "01111"


def test_xlsx_formula_errors_become_text_not_crashes():
    rows = [["Nama Usaha", "Nama Pemilik", "NIK", "Kelurahan"], ["Warung", "=#REF!", "1", "Damai"]]
    table = parse(xlsx(rows), name="ods.xlsx")
    assert len(table.frame) == 1


def test_renamed_non_excel_and_zip_bomb_are_refused():
    with pytest.raises(ingest.InputError, match="not an Excel workbook"):
        parse(b"Nama Usaha,Nama Pemilik\n", name="ods.xlsx")
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (300 * 1024**2))
    with pytest.raises(ingest.InputError, match="zip bomb"):
        parse(buffer.getvalue(), name="ods.xlsx")
