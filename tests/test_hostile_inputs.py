"""Hostile inputs: a corpus of the ways an export can be broken, made by code (no binary files).

Every case has one expected outcome: parsed, with the values asserted, or refused with an
``ingest.InputError`` whose message names the file and, where it applies, the row and the
column. Anything else (another exception, a traceback, a value made up) fails the case.
After the corpus: a million-row export in bounded memory, bad exports through
``cli.main`` (exit 2, the earlier output untouched), and the guards that keep what
the project publishes free of formulas and of paths outside the output folder.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import gzip
import io
import json
import random
import struct
import subprocess
import sys
import textwrap
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook

from tests.support import tree_hashes
from umkm import paths, reference
from umkm.build import cli, files
from umkm.ingest import exports as ingest
from umkm.ingest import synthetic
from umkm.package.formats import xlsx_bytes
from umkm.reconcile import normalise as N
from umkm.xlsx import csv_bytes, safe_text

MAPPING = ingest.build_header_mapping(pd.read_csv(paths.HEADER_MAPPING, dtype=str, keep_default_na=False))
HEADER = ["Nama Usaha", "NAMA PEMILIK", "NIK", "Kelurahan", "No. HP"]
ROWS = [
    ["Warung Bu Sri", "Sri Wahyuni", "6471015508800002", "Gunung Samarinda", "0812-3456-7890"],
    ["Toko Berkah", "Budi Santoso", "6471011203850002", "Batu Ampar", "+62 813 1111 2222"],
    ["Kopi Gajah", "José Ñúñez", "6471012304850003", "Teritip", "08111111111"],
]
OWNERS = [r[1] for r in ROWS]
INJECTIONS = [
    "=1+1",
    "+6281234567890",
    "-2+3",
    "@SUM(A1:A9)",
    '=HYPERLINK("http://x.test","klik")',
    "=cmd|' /C calc'!A0",
    "\t=1+1",
    "-",
]
MARKUP = [
    "<script>alert('x')</script>",
    "**tebal** [tautan](javascript:alert(1))",
    "{{ config.items() }}",
    "{% raw %}{{ 7*7 }}{% endraw %}",
    "<img src=x onerror=alert(1)>",
    "# Judul\n\n| a | b |",
]


# ---------------------------------------------------------------------------
# Makers: CSV text and XLSX bytes, all from code
# ---------------------------------------------------------------------------


def csv_text(header=HEADER, rows=ROWS, delimiter=",", newline="\n", quoting=csv.QUOTE_MINIMAL) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=newline, quoting=quoting)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def xlsx(rows, sheets=(("Sheet1", None),), merge=(), formats=None) -> bytes:
    """An openpyxl workbook; each sheet is (name, rows or None for ``rows``)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, sheet_rows in sheets:
        sheet = workbook.create_sheet(name)
        for row in rows if sheet_rows is None else sheet_rows:
            sheet.append(row)
        if sheet_rows is None:
            for cells in merge:
                sheet.merge_cells(cells)
            for coordinate, number_format in (formats or {}).items():
                sheet[coordinate].number_format = number_format
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"


def _column_letter(index: int) -> str:
    letters, index = "", index + 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _cell_xml(ref: str, value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(value)}</t></is></c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value}</v></c>'
    kind, formula, cached = value
    f = "" if formula is None else f"<f>{escape(formula)}</f>"
    v = "" if cached is None else f"<v>{escape(cached)}</v>"
    return f'<c r="{ref}" t="{"e" if kind == "error" else "str"}">{f}{v}</c>'


def raw_xlsx(rows, dimension: str | None = None, sheet_xml: str | None = None) -> bytes:
    """A workbook written as XML by hand, for what openpyxl cannot write: formulas with a
    cached value as Excel saves them, and error cells. A cell is text, a number,
    ("formula", formula, cached value or None) or ("error", formula or None, "#REF!")."""
    sheet = (
        sheet_xml
        if sheet_xml is not None
        else "".join(
            f'<row r="{r + 1}">'
            + "".join(_cell_xml(f"{_column_letter(c)}{r + 1}", v) for c, v in enumerate(row))
            + "</row>"
            for r, row in enumerate(rows)
        )
    )
    declared = f'<dimension ref="{dimension}"/>' if dimension else ""
    head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    parts = {
        "[Content_Types].xml": head + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": head + f'<Relationships xmlns="{_PKG}"><Relationship Id="rId1" '
        f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": head + f'<workbook xmlns="{_NS}" xmlns:r="{_REL}"><sheets>'
        '<sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": head + f'<Relationships xmlns="{_PKG}"><Relationship Id="rId1" '
        f'Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": head
        + f'<worksheet xmlns="{_NS}">{declared}<sheetData>{sheet}</sheetData></worksheet>',
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), text.encode())
    return buffer.getvalue()


def zip_bomb(megabytes: int, forge_size: int | None = None) -> bytes:
    """A real workbook whose sheet XML is inflated with blanks to ``megabytes`` (streamed, so
    making it costs no memory); with ``forge_size`` the zip headers lie about the size."""
    base = zipfile.ZipFile(io.BytesIO(xlsx([HEADER, ROWS[0]])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for info in base.infolist():
            data = base.read(info)
            if info.filename != "xl/worksheets/sheet1.xml":
                archive.writestr(info.filename, data)
                continue
            xml = data.decode()
            cut = xml.index("<sheetData>") + len("<sheetData>")
            entry = zipfile.ZipInfo(info.filename, (1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            with archive.open(entry, "w", force_zip64=True) as stream:
                stream.write(xml[:cut].encode())
                blanks = b" " * (1 << 20)
                for _ in range(megabytes):
                    stream.write(blanks)
                stream.write(xml[cut:].encode())
    data = bytearray(out.getvalue())
    if forge_size is not None:
        name = b"xl/worksheets/sheet1.xml"
        info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo(name.decode())
        struct.pack_into("<I", data, info.header_offset + 22, forge_size)  # local header
        at = data.find(b"PK\x01\x02")
        while at >= 0:  # central directory
            length = struct.unpack_from("<H", data, at + 28)[0]
            if bytes(data[at + 46 : at + 46 + length]) == name:
                struct.pack_into("<I", data, at + 24, forge_size)
            at = data.find(b"PK\x01\x02", at + 4)
    return bytes(data)


def opendocument() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("ods.csv", csv_text())
    return buffer.getvalue()


def utf16_no_bom(text: str, order: str) -> bytes:
    return text.encode(f"utf-16-{order}")


def mixed_utf8_cp1252() -> bytes:
    lines = csv_text().splitlines(keepends=True)
    return "".join(lines[:3]).encode("utf-8") + lines[3].encode("cp1252")


# ---------------------------------------------------------------------------
# The corpus
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Parsed:
    values: dict[str, list[str]]  # canonical column -> its first values
    header_row: int = 1
    rows: int | None = None
    encoding: str | None = None
    sheet: str | None = None
    check: Callable[[ingest.ExportTable], None] | None = None


@dataclass(frozen=True)
class Refused:
    message: str
    row: int | None = None
    column: str | None = None


@dataclass(frozen=True)
class Case:
    id: str
    make: Callable[[], bytes]
    expect: Parsed | Refused
    file: str = "ods.csv"
    source: str = "ods"
    marks: tuple = field(default_factory=tuple)
    sheet: str | None = None  # the sheet asked for (--ods-sheet)
    check_text: Callable[[str], bool] | None = None  # on the refusal's message


NAMES = Parsed({"nama_pemilik": OWNERS, "nik": [r[2] for r in ROWS], "no_hp": [r[4] for r in ROWS]}, rows=3)


def names(**changes) -> Parsed:
    return Parsed(**{**NAMES.__dict__, **changes})


def nik_status(expected: str) -> Callable[[ingest.ExportTable], None]:
    def check(table):
        assert N.normalise_nik(table.frame["nik"])["nik_status"].iloc[0] == expected

    return check


def dates_read_as(day: str) -> Callable[[ingest.ExportTable], None]:
    def check(table):
        parsed = N.parse_date(table.frame["tanggal_lahir"])
        assert (parsed == pd.Timestamp(day)).all(), parsed.tolist()

    return check


def long_text() -> str:
    return "Usaha " * 5000  # 30,000 characters: long, but within what one Excel cell holds


DATE_HEADER = ["Nama Usaha", "Nama Pemilik", "NIK", "Kelurahan", "Tanggal Lahir"]
XLSX_TYPED = [
    [
        "Nama Usaha",
        "Nama Pemilik",
        "NIK",
        "Kelurahan",
        "No HP",
        "KBLI",
        "Tanggal Lahir",
        "Tanggal Input",
        "Modal Usaha",
        "Omzet per Tahun",
        "Pelatihan",
    ],
    [
        "Warung",
        "Sri Wahyuni",
        6471015508800002,
        "Damai",
        81234567890,
        1111,
        dt.datetime(1980, 8, 15),
        dt.datetime(2024, 3, 1, 10, 30),
        5000000.0,
        2.5,
        True,
    ],
]

CASES = [
    # Encodings and byte order marks
    Case("utf-8", lambda: csv_text().encode(), names(encoding="utf-8")),
    Case("utf-8-bom", lambda: csv_text().encode("utf-8-sig"), names(encoding="utf-8-sig")),
    Case("windows-1252", lambda: csv_text().encode("cp1252"), names(encoding="utf-8+windows-1252")),
    Case("utf-16-le-bom", lambda: csv_text().encode("utf-16"), names(encoding="utf-16")),
    Case("utf-16-be-bom", lambda: codecs.BOM_UTF16_BE + csv_text().encode("utf-16-be"), names(encoding="utf-16")),
    Case("utf-16-le-no-bom", lambda: utf16_no_bom(csv_text(), "le"), names(encoding="utf-16")),
    Case("utf-16-be-no-bom", lambda: utf16_no_bom(csv_text(), "be"), names(encoding="utf-16")),
    Case(
        "excel-unicode-text",
        lambda: csv_text(delimiter="\t", newline="\r\n").encode("utf-16"),
        names(encoding="utf-16"),
    ),
    Case("utf-32-bom", lambda: csv_text().encode("utf-32"), names(encoding="utf-32")),
    Case("mixed-utf-8-and-windows-1252", mixed_utf8_cp1252, names(encoding="utf-8+windows-1252")),
    Case("utf-8-bom-then-windows-1252", lambda: codecs.BOM_UTF8 + mixed_utf8_cp1252(), names()),
    Case(
        "windows-1252-smart-quotes",
        lambda: csv_text(rows=[["Warung \u201cEnak\u201d \u2013 2", "Sri", "1", "Damai", ""]]).encode("cp1252"),
        Parsed({"nama_usaha": ["Warung \u201cEnak\u201d \u2013 2"]}),
    ),
    Case(
        "windows-1252-undefined-byte",
        lambda: csv_text(rows=[]).encode() + b"Caf\x81,Sri,1,Damai,\n",
        Parsed({"nama_usaha": ["Caf\ufffd"], "nama_pemilik": ["Sri"]}),
    ),
    Case(
        "utf-16-truncated",
        lambda: csv_text().encode("utf-16") + b"\x00",
        Refused("declares UTF-16 but is not valid UTF-16"),
    ),
    # Line ends and separators
    Case("crlf", lambda: csv_text(newline="\r\n").encode(), names()),
    Case("cr-only-old-mac-excel", lambda: csv_text(newline="\r").encode(), names()),
    Case("semicolons", lambda: csv_text(delimiter=";").encode(), names()),
    Case("tabs", lambda: csv_text(delimiter="\t").encode(), names()),
    Case("pipes", lambda: csv_text(delimiter="|").encode(), names()),
    Case("no-final-newline", lambda: csv_text().rstrip("\n").encode(), names()),
    Case("every-cell-quoted", lambda: csv_text(quoting=csv.QUOTE_ALL).encode(), names()),
    # Columns
    Case(
        "missing-required-column",
        lambda: csv_text(
            [h for h in HEADER if h != "NIK"], [[c for i, c in enumerate(r) if i != 2] for r in ROWS]
        ).encode(),
        Refused("required column missing", 1, "nik"),
    ),
    Case(
        "missing-required-column-oss",
        lambda: b"NIB,NIK,KBLI,Alamat\n9120001234567,6471015508800002,56101,x\n",
        Refused("required column missing", 1, "kd_daerah"),
        file="oss.csv",
        source="oss",
    ),
    Case(
        "duplicated-column",
        lambda: csv_text([*HEADER, "NIK"], [[*r, r[2]] for r in ROWS]).encode(),
        Refused("both map to 'nik'", 1, "NIK"),
    ),
    Case(
        "two-spellings-of-one-column",
        lambda: csv_text([*HEADER, "No HP"], [[*r, ""] for r in ROWS]).encode(),
        Refused("both map to 'no_hp'", 1, "No HP"),
    ),
    Case(
        "extra-columns",
        lambda: csv_text(
            [*HEADER, "Catatan Petugas", "../../etc/passwd"], [[*r, "cek lagi", "x"] for r in ROWS]
        ).encode(),
        names(
            check=lambda t: (
                t.unmapped_columns == ("Catatan Petugas", "../../etc/passwd") or pytest.fail(str(t.unmapped_columns))
            )
        ),
    ),
    Case("unnamed-column-with-values", lambda: csv_text([*HEADER, ""], [[*r, "?"] for r in ROWS]).encode(), names()),
    Case(
        "headers-with-odd-spacing-and-case",
        lambda: csv_text(["  nama\u00a0usaha ", "Nama  Pemilik", "nik", "KELURAHAN", "no hp"]).encode(),
        names(),
    ),
    Case(
        "export-of-the-other-register",
        lambda: csv_text(list(ingest.OSS_COLUMNS), [["1"] * 15]).encode(),
        Refused("required column missing", 1, "nama_usaha"),
    ),
    # Where the header is
    Case(
        "title-rows-above-header-csv",
        lambda: ("DATA UMKM KOTA BALIKPAPAN,,,,\nper 31 Oktober 2026,,,,\n" + csv_text()).encode(),
        names(header_row=3, check=lambda t: t.file_row(1) == 4 or pytest.fail("file_row")),
    ),
    Case(
        "multi-line-merged-title-csv",
        lambda: ('"DATA UMKM\nKOTA BALIKPAPAN",,,,\n,,,,\n' + csv_text()).encode(),
        names(header_row=3),
    ),
    Case(
        "title-rows-merged-xlsx",
        lambda: xlsx([["DATA UMKM KOTA BALIKPAPAN"], ["per 31 Oktober 2026"], HEADER, *ROWS], merge=("A1:E1", "A2:E2")),
        names(header_row=3, sheet="Sheet1"),
        file="ods.xlsx",
    ),
    Case(
        "header-below-the-search-window",
        lambda: ("catatan\n" * 30 + csv_text()).encode(),
        Refused("no header row with the ODS columns found in the first 30 rows"),
    ),
    Case("not-a-register", lambda: b"tanggal,angka\n1,2\n", Refused("no header row")),
    # Empty and nearly empty
    Case("empty-file", lambda: b"", Refused("the file is empty")),
    Case("only-blanks", lambda: b"  \r\n\n\t\n", Refused("the file is empty")),
    Case("header-only", lambda: csv_text(rows=[]).encode(), Refused("has a header row but no data rows", 1)),
    Case(
        "header-and-blank-rows",
        lambda: (csv_text(rows=[]) + ",,,,\n\n,,,,\n").encode(),
        Refused("has a header row but no data rows", 1),
    ),
    # Rows: blank ones, short and long ones, quotes
    # Blank rows are no records: skipped, counted in the summary, and the rows after them keep their numbers.
    Case(
        "blank-row-in-the-middle",
        lambda: csv_text(rows=[ROWS[0], [""] * 5, ROWS[1]]).encode(),
        Parsed(
            {"nama_pemilik": OWNERS[:2]},
            rows=2,
            check=lambda t: (t.frame["source_row"].tolist(), t.blank_rows) == ([1, 3], 1) or pytest.fail("source_row"),
        ),
    ),
    Case(
        "empty-line-in-the-middle",
        lambda: csv_text(rows=ROWS[:1]).encode() + b"\n" + csv_text(rows=ROWS[1:2]).split("\n", 1)[1].encode(),
        Parsed({"nama_pemilik": OWNERS[:2]}, rows=2, check=lambda t: t.blank_rows == 1 or pytest.fail()),
    ),
    Case(
        "rows-of-spaces-are-blank",
        lambda: csv_text(rows=[ROWS[0], [" ", "\t", "", " ", ""], ROWS[1]]).encode(),
        Parsed(
            {"nama_pemilik": OWNERS[:2]},
            rows=2,
            check=lambda t: "1 blank rows skipped" in t.summary() or pytest.fail(t.summary()),
        ),
    ),
    Case(
        "short-rows-excel-dropped-trailing-cells",
        lambda: csv_text(rows=[ROWS[0][:3], ROWS[1]]).encode(),
        Parsed({"nama_pemilik": OWNERS[:2], "kelurahan": ["", ROWS[1][3]], "no_hp": ["", ROWS[1][4]]}, rows=2),
    ),
    Case(
        "trailing-empty-cells",
        lambda: csv_text(rows=[[*ROWS[0], "", ""], ROWS[1]]).encode(),
        Parsed({"nama_pemilik": OWNERS[:2]}, rows=2),
    ),
    Case(
        "row-with-more-cells-than-the-header",
        lambda: csv_text(rows=[ROWS[0], ROWS[1] + ["extra", "cells"]]).encode(),
        Refused("is not a consistent CSV table", 3),
    ),
    Case(
        "quote-never-closed",
        lambda: (
            csv_text(rows=ROWS[:1]) + '"Toko Berkah,Budi,1,Damai,\n' + csv_text(rows=ROWS[2:]).split("\n", 1)[1]
        ).encode(),
        Refused("a quote that is never closed", 3),
    ),
    Case(
        "quotes-and-newlines-in-cells",
        lambda: csv_text(rows=[['Warung "Enak"\nCabang 2', "Sri, S.Pd.", "1", "Damai", "0812\r\n0813"]]).encode(),
        Parsed({"nama_usaha": ['Warung "Enak"\nCabang 2'], "nama_pemilik": ["Sri, S.Pd."], "no_hp": ["0812\r\n0813"]}),
    ),
    Case(
        "nul-byte-in-a-text-file",
        lambda: csv_text().encode().replace(b"Toko", b"To\x00ko"),
        Refused("holds a NUL byte", 3),
    ),
    Case(
        "cell-of-50-mb",
        lambda: csv_text(rows=[ROWS[0], ["W" * (50 << 20), *ROWS[1][1:]]]).encode(),
        Refused("longer than the 32,767 Excel allows in one cell", 3, "Nama Usaha"),
    ),
    Case(
        "cell-of-30000-characters",
        lambda: csv_text(rows=[[long_text(), *ROWS[0][1:]]]).encode(),
        Parsed({"nama_usaha": [long_text()], "nama_pemilik": OWNERS[:1]}),
    ),
    # Text that is code somewhere else: kept as the text it is
    Case(
        "formula-injection-csv",
        lambda: csv_text(rows=[[v, v, "1", "Damai", v] for v in INJECTIONS]).encode(),
        Parsed({"nama_usaha": INJECTIONS, "nama_pemilik": INJECTIONS, "no_hp": INJECTIONS}),
    ),
    Case(
        "formula-injection-xlsx-text-cells",
        lambda: raw_xlsx([HEADER, *[[v, v, "1", "Damai", v] for v in INJECTIONS]]),
        Parsed({"nama_usaha": INJECTIONS, "nama_pemilik": INJECTIONS}),
        file="ods.xlsx",
    ),
    Case(
        "html-markdown-jinja",
        lambda: csv_text(rows=[[v, v, "1", "Damai", ""] for v in MARKUP]).encode(),
        Parsed({"nama_usaha": MARKUP, "nama_pemilik": MARKUP}),
    ),
    # Excel: sheets, formulas, errors, typed cells
    Case(
        "data-on-a-later-sheet",
        lambda: xlsx(
            [HEADER, *ROWS],
            sheets=(
                ("Petunjuk", [["Isi lembar Data"]]),
                ("Rekap", [["Kecamatan", "Jumlah"], ["A", 1]]),
                ("Data", None),
            ),
        ),
        names(sheet="Data"),
        file="ods.xlsx",
    ),
    Case(
        "formulas-without-cached-values",
        lambda: xlsx([HEADER, ['=B2&"x"', "Sri", "=1+1", "Damai", "=#REF!"]]),
        Parsed({"nama_usaha": [""], "nama_pemilik": ["Sri"], "nik": [""], "no_hp": [""]}),
        file="ods.xlsx",
    ),
    Case(
        "formulas-with-cached-values",
        lambda: raw_xlsx(
            [
                HEADER,
                [
                    ("formula", '"Warung "&"Sri"', "Warung Sri"),
                    "Sri",
                    ("formula", "TEXT(Z1)", "6471015508800002"),
                    "Damai",
                    ("formula", "Z2", None),
                ],
            ]
        ),
        Parsed({"nama_usaha": ["Warung Sri"], "nik": ["6471015508800002"], "no_hp": [""]}),
        file="ods.xlsx",
    ),
    Case(
        "error-cells",
        lambda: raw_xlsx(
            [
                HEADER,
                [
                    ("error", None, "#REF!"),
                    "Sri",
                    ("error", "1/0", "#DIV/0!"),
                    ("error", "VLOOKUP(A1,Z:Z,2)", "#N/A"),
                    "0812",
                ],
            ]
        ),
        Parsed({"nama_usaha": [""], "nama_pemilik": ["Sri"], "nik": [""], "kelurahan": [""], "no_hp": ["0812"]}),
        file="ods.xlsx",
    ),
    Case(
        "nik-as-number-cell",
        lambda: xlsx([HEADER, ["Warung", "Sri", 6471015508800002, "Damai", "0812"]]),
        Parsed({"nik": ["6.47101550880000E+15"]}, check=nik_status("excel_destroyed")),
        file="ods.xlsx",
    ),
    Case(
        "nik-as-scientific-text",
        lambda: csv_text(rows=[["Warung", "Sri", "6.47101E+15", "Damai", ""]]).encode(),
        Parsed({"nik": ["6.47101E+15"]}, check=nik_status("excel_destroyed")),
    ),
    Case(
        "nik-with-apostrophe",
        lambda: csv_text(rows=[["Warung", "Sri", "'6471015508800002", "Damai", ""]]).encode(),
        Parsed({"nik": ["'6471015508800002"]}, check=nik_status("valid")),
    ),
    Case(
        "typed-cells",
        lambda: xlsx(XLSX_TYPED),
        Parsed(
            {
                "nik": ["6.47101550880000E+15"],
                "no_hp": ["81234567890"],
                "kbli": ["1111"],
                "tanggal_lahir": ["1980-08-15"],
                "tanggal_input": ["2024-03-01 10:30:00"],
                "modal_usaha": ["5000000"],
                "omzet_per_tahun": ["2.5"],
                "pelatihan": ["1"],
            }
        ),
        file="ods.xlsx",
    ),
    Case(
        "date-as-serial-number",
        lambda: xlsx([DATE_HEADER, ["Warung", "Sri", "1", "Damai", 29448]]),
        Parsed({"tanggal_lahir": ["29448"]}, check=dates_read_as("1980-08-15")),
        file="ods.xlsx",
    ),
    Case(
        "date-cell-with-date-format",
        lambda: xlsx([DATE_HEADER, ["Warung", "Sri", "1", "Damai", 29448]], formats={"E2": "dd/mm/yyyy"}),
        Parsed({"tanggal_lahir": ["1980-08-15"]}),
        file="ods.xlsx",
    ),
    Case(
        "dates-as-text",
        lambda: csv_text(
            DATE_HEADER,
            [
                ["W", "S", "1", "Damai", d]
                for d in ("15/08/1980", "15 Agustus 1980", "1980-08-15", "29448", "15-08-1980")
            ],
        ).encode(),
        Parsed(
            {"tanggal_lahir": ["15/08/1980", "15 Agustus 1980", "1980-08-15", "29448", "15-08-1980"]},
            check=dates_read_as("1980-08-15"),
        ),
    ),
    Case(
        "trailing-empty-area-xlsx",
        lambda: xlsx([HEADER, ROWS[0], *[[None] * 5] * 40, [None, None, None, None, ""]]),
        Parsed({"nama_pemilik": OWNERS[:1]}, rows=1),
        file="ods.xlsx",
    ),
    Case("header-only-xlsx", lambda: xlsx([["Rekap"], HEADER]), Refused("no data rows", 2), file="ods.xlsx"),
    Case(
        "duplicated-column-xlsx",
        lambda: xlsx([["Rekap"], [*HEADER, "Nama Lengkap"], [*ROWS[0], "x"]]),
        Refused("both map to 'nama_pemilik'", 2, "Nama Lengkap"),
        file="ods.xlsx",
    ),
    Case(
        "no-register-in-any-sheet",
        lambda: xlsx([["a", "b"], [1, 2]], sheets=(("S1", None), ("S2", [["x"]]))),
        Refused("no header row"),
        file="ods.xlsx",
    ),
    Case("empty-workbook", lambda: xlsx([]), Refused("the workbook has no rows in any sheet"), file="ods.xlsx"),
    # Files that are not what their name says
    Case(
        "csv-named-xlsx",
        lambda: csv_text().encode(),
        Refused("is named .xlsx but is not an Excel workbook"),
        file="ods.xlsx",
    ),
    Case("xlsx-named-csv", lambda: xlsx([HEADER, *ROWS]), names(sheet="Sheet1")),
    Case("truncated-xlsx", lambda: xlsx([HEADER, *ROWS])[:3000], Refused("damaged zip archive"), file="ods.xlsx"),
    Case("zip-bomb", lambda: zip_bomb(150), Refused("refused as a possible zip bomb"), file="ods.xlsx"),
    Case(
        "zip-bomb-with-forged-sizes",
        lambda: zip_bomb(150, forge_size=4000),
        Refused("is not a readable Excel workbook"),
        file="ods.xlsx",
    ),
    Case(
        "zip-that-is-not-a-workbook", plain_zip, Refused("is a zip archive but not an Excel workbook"), file="ods.xlsx"
    ),
    Case("opendocument-spreadsheet", opendocument, Refused("is an OpenDocument file (.ods)"), file="ods.xlsx"),
    Case(
        "excel-97-xls",
        lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096),
        Refused("Excel 97-2003 workbook (.xls)"),
        file="ods.csv",
    ),
    Case("gzip-compressed-csv", lambda: gzip.compress(csv_text().encode(), mtime=0), Refused("is gzip-compressed")),
    Case("pdf", lambda: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", Refused("is a PDF document")),
    Case("png-named-csv", lambda: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 64, Refused("holds binary data")),
    Case("random-bytes-named-csv", lambda: random.Random(7).randbytes(100_000), Refused("holds binary data")),
    Case(
        "random-high-bytes-named-csv",
        lambda: bytes(random.Random(8).randrange(128, 256) for _ in range(20_000)),
        Refused("no header row"),
    ),
    # Issue 17: what was once read wrong without a word
    Case(
        "hidden-stale-sheet-is-not-read",
        lambda: hidden_sheet_workbook(),
        names(sheet="Data", rows=3, check=lambda t: t.hidden_sheets == ("Lama",) or pytest.fail(str(t.hidden_sheets))),
        file="ods.xlsx",
    ),
    Case(
        "hidden-sheet-read-when-named",
        lambda: hidden_sheet_workbook(),
        Parsed({"nama_pemilik": ["Lama Sekali"]}, rows=1, sheet="Lama"),
        file="ods.xlsx",
        sheet="Lama",
    ),
    Case(
        "two-data-sheets-are-refused",
        lambda: xlsx([HEADER, *ROWS], sheets=(("Data", None), ("Data2", [HEADER, ROWS[0]]))),
        Refused("has 2 sheets with the ODS columns: 'Data', 'Data2'. Name the one to read with --ods-sheet NAME"),
        file="ods.xlsx",
    ),
    Case(
        "two-data-sheets-one-named",
        lambda: xlsx([HEADER, *ROWS], sheets=(("Data", None), ("Data2", [HEADER, ROWS[0]]))),
        Parsed({"nama_pemilik": OWNERS[:1]}, rows=1, sheet="Data2"),
        file="ods.xlsx",
        sheet="Data2",
    ),
    Case(
        "a-sheet-that-does-not-exist",
        lambda: xlsx([HEADER, *ROWS]),
        Refused("has no sheet 'Data' (its sheets: 'Sheet1')"),
        file="ods.xlsx",
        sheet="Data",
    ),
    Case(
        "merged-kelurahan-filled-down",
        lambda: xlsx(
            [HEADER, *[[*r[:3], "Damai" if i == 0 else None, r[4]] for i, r in enumerate(ROWS)]], merge=("D2:D4",)
        ),
        Parsed(
            {"kelurahan": ["Damai"] * 3},
            rows=3,
            check=lambda t: (t.merged_ranges, t.merged_cells) == (1, 2) or pytest.fail(t.summary()),
        ),
        file="ods.xlsx",
    ),
    Case(
        "merged-header-and-data-refused",
        lambda: xlsx([HEADER, *ROWS], merge=("D1:D3",)),
        Refused("merged cells D1:D3 join the header row with data rows", 1),
        file="ods.xlsx",
    ),
    Case(
        "nul-after-the-first-64-kib",
        lambda: (
            csv_text(rows=ROWS * 800)
            + csv_text(rows=[["Warung", "Sri", "64710155\x0008800002", "Damai", ""]]).split("\n", 1)[1]
        ).encode(),
        Refused("holds a NUL byte", 2402),
    ),
    Case(
        "control-characters-removed",
        lambda: csv_text(rows=[["Warung\x1b[31m Merah\x07", "Sri", "1", "Damai", ""]]).encode(),
        Parsed({"nama_usaha": ["Warung[31m Merah"]}, check=lambda t: t.control_cells == 1 or pytest.fail()),
    ),
    Case("utf-32-le-no-bom", lambda: csv_text().encode("utf-32-le"), names(encoding="utf-32")),
    Case("utf-32-be-no-bom", lambda: csv_text().encode("utf-32-be"), names(encoding="utf-32")),
    Case(
        "one-cell-at-XFD1048576",
        lambda: raw_xlsx_cells([*[(f"{_column_letter(c)}1", h) for c, h in enumerate(HEADER)], ("XFD1048576", "x")]),
        Refused("a cell far to the right of the table (column 16,384"),
        file="ods.xlsx",
    ),
    Case(
        "stray-cell-at-XFD6000",
        lambda: raw_xlsx_cells(
            [
                *[(f"{_column_letter(c)}1", h) for c, h in enumerate(HEADER)],
                *[(f"{_column_letter(c)}2", v) for c, v in enumerate(ROWS[0])],
                ("XFD6000", 1),
            ]
        ),
        Refused("a cell far to the right of the table"),
        file="ods.xlsx",
    ),
    Case(
        "far-cell-with-spaced-attributes",
        lambda: raw_xlsx(
            [],
            sheet_xml='<row r="1">'
            + "".join(_cell_xml(f"{_column_letter(c)}1", h) for c, h in enumerate(HEADER))
            + "</row><row r = \"2\"><c r = 'XFD2'>"
            "<v>1</v></c></row>",
        ),
        Refused("a cell far to the right of the table"),
        file="ods.xlsx",
    ),
    Case(
        "declared-dimension-not-trusted",
        lambda: raw_xlsx([HEADER, *ROWS], dimension="A1:XFD1048576"),
        names(sheet="Data"),
        file="ods.xlsx",
    ),
    Case(
        "cells-reaching-row-2-million",
        lambda: raw_xlsx_cells([*[(f"{_column_letter(c)}1", h) for c, h in enumerate(HEADER)], ("AB2000000", 1)]),
        Refused("the sheet's cells reach row 2,000,000", 2_000_000),
        file="ods.xlsx",
    ),
    Case(
        "header-of-100000-columns",
        lambda: (",".join([*HEADER, *[f"k{i}" for i in range(100_000)]]) + "\n" + ",".join(ROWS[0]) + "\n").encode(),
        Refused("the header row has 100,005 cells", 1),
    ),
    Case(
        "a-header-cell-with-a-workflow-command",
        lambda: csv_text(
            ["Nama Usaha", "NAMA PEMILIK", "Kelurahan", "Catatan\n::warning::disuntik"], [r[:4] for r in ROWS]
        ).encode(),
        Refused("required column missing", 1, "nik"),
        check_text=lambda text: "\n" not in text and "::" not in text,
    ),
    Case(
        "a-row-too-wide-never-quotes-the-cell",
        lambda: csv_text(rows=[ROWS[0], [*ROWS[1], "budi.santoso@contoh.id"]]).encode(),
        Refused("cell 6 of the row is not empty", 3),
        check_text=lambda text: "@" not in text and "budi" not in text,
    ),
]


def hidden_sheet_workbook() -> bytes:
    """A visible sheet "Data" and a hidden, stale copy "Lama" with the same columns."""
    workbook = Workbook()
    workbook.active.title = "Data"
    for row in [HEADER, *ROWS]:
        workbook.active.append(row)
    stale = workbook.create_sheet("Lama")
    stale.append(HEADER)
    stale.append(["Warung Lama", "Lama Sekali", "6471010101010001", "Damai", ""])
    stale.sheet_state = "hidden"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def raw_xlsx_cells(cells: list[tuple[str, object]]) -> bytes:
    """A workbook whose cells sit where their references say (rows kept apart, as Excel writes them)."""
    rows: dict[int, list[str]] = {}
    for ref, value in cells:
        number = int("".join(ch for ch in ref if ch.isdigit()))
        rows.setdefault(number, []).append(_cell_xml(ref, value))
    sheet = "".join(f'<row r="{n}">{"".join(c)}</row>' for n, c in sorted(rows.items()))
    return raw_xlsx([], sheet_xml=sheet)


@pytest.mark.parametrize("case", [pytest.param(c, id=c.id, marks=c.marks) for c in CASES])
def test_hostile_input(case: Case):
    data = case.make()
    if isinstance(case.expect, Refused):
        with pytest.raises(ingest.InputError) as caught:
            ingest.parse_export(data, case.file, case.source, MAPPING, sheet=case.sheet)
        error = caught.value
        if case.check_text is not None:
            assert case.check_text(str(error)), str(error)
        located = error.row is not None or error.sheet is not None or error.cell is not None
        assert error.file == case.file and str(error).startswith(case.file + ("," if located else ":"))
        assert case.expect.message in error.message, str(error)
        assert (error.row, error.column) == (case.expect.row, case.expect.column), str(error)
        if error.row is not None:
            assert f"row {error.row}" in str(error)
        if error.column is not None:
            assert f"column '{error.column}'" in str(error)
        return
    table = ingest.parse_export(data, case.file, case.source, MAPPING, sheet=case.sheet)
    expect = case.expect
    assert list(table.frame.columns) == ["source_row", *ingest.COLUMNS[case.source]]
    for column, values in expect.values.items():
        assert table.frame[column].tolist()[: len(values)] == values, column
    assert table.header_row == expect.header_row
    if expect.rows is not None:
        assert len(table.frame) == expect.rows
    if expect.encoding is not None:
        assert table.encoding == expect.encoding
    if expect.sheet is not None:
        assert table.sheet == expect.sheet
    if expect.check is not None:
        expect.check(table)
    rows = table.frame["source_row"].tolist()
    assert rows == sorted(set(rows)) and rows[-1] == len(rows) + table.blank_rows  # blank rows keep their numbers


def test_the_corpus_is_large_and_covers_both_outcomes():
    assert len(CASES) >= 50 and len({c.id for c in CASES}) == len(CASES)
    assert sum(isinstance(c.expect, Refused) for c in CASES) >= 20
    assert sum(isinstance(c.expect, Parsed) for c in CASES) >= 20


def test_a_header_mapping_cannot_name_a_column_outside_the_canonical_ones():
    frame = pd.DataFrame({"source": ["ods"], "header": ["Berkas"], "canonical": ["../../etc/passwd"]})
    with pytest.raises(ingest.InputError) as caught:
        ingest.build_header_mapping(frame)
    assert caught.value.file == "header_mapping.csv" and caught.value.column == "canonical"


# ---------------------------------------------------------------------------
# A million rows in bounded memory (run by default; marked slow)
# ---------------------------------------------------------------------------

MILLION = textwrap.dedent("""
    import json, resource, sys, time
    import pandas as pd
    from umkm import paths
    from umkm.ingest import exports as ingest
    mapping = ingest.build_header_mapping(pd.read_csv(paths.HEADER_MAPPING, dtype=str, keep_default_na=False))
    header = ",".join(ingest.ODS_COLUMNS)
    row = ("2024-03-01,Warung Makan Bu Sri,Sri Wahyuni,6471015508800002,P,1980-08-15,0812-3456-7890,"
           "sri@contoh.id,\\"Jl. Mulawarman No. 12, Gg. Mawar\\",003,007,Damai,Balikpapan Kota,Balikpapan,"
           "9120001234567,Kuliner,56101,Nasi kuning,Perorangan,\\"Rp 5.000.000\\",60000000,10000000,2,2015,"
           "Aktif,Ya,Shopee,Ya,Tidak,")
    data = (header + "\\n" + (row + "\\n") * 1_000_000).encode()
    start = time.perf_counter()
    table = ingest.parse_export(data, "ods-besar.csv", "ods", mapping)
    seconds = time.perf_counter() - start
    last = table.frame.iloc[-1]
    print(json.dumps({"rows": len(table.frame), "bytes": len(data), "seconds": seconds,
                      "last_row": int(last["source_row"]), "alamat": last["alamat"], "nik": last["nik"],
                      "peak_rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}))
""")


@pytest.mark.slow
def test_a_million_row_export_parses_in_bounded_memory():
    result = subprocess.run(
        [sys.executable, "-c", MILLION], capture_output=True, text=True, timeout=300, cwd=paths.REPO
    )
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["rows"] == report["last_row"] == 1_000_000
    assert report["alamat"] == "Jl. Mulawarman No. 12, Gg. Mawar" and report["nik"] == "6471015508800002"
    assert report["bytes"] > 250e6
    # The export itself is ~300 MB; the whole process (Python, pandas, the export's bytes and
    # the table) stays far below what a 24 GB machine or a CI runner has.
    assert report["peak_rss"] < 3 * 1024**3, report


# ---------------------------------------------------------------------------
# End to end: bad exports through cli.main
# ---------------------------------------------------------------------------

KEY = "test-key-hostile-inputs"


@pytest.fixture(scope="module")
def register():
    return synthetic.generate(reference.load(), seed=11, ods_rows=1500)


@pytest.fixture(scope="module")
def good_exports(register, tmp_path_factory):
    return synthetic.write(register, tmp_path_factory.mktemp("exports"), formats=("csv",))


def earlier_output(out: Path) -> dict[str, str]:
    """An output folder as a previous release left it (its content does not matter here)."""
    for name, text in {
        "datapackages/umkm-mikrodata/datapackage.json": "{}",
        "private/decisions.csv": "a\n",
        "site/index.html": "<html></html>",
        "docs/index.md": "# lama\n",
    }.items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_text(text)
    return tree_hashes(out)


def _ods_text(register, change: Callable[[pd.DataFrame], pd.DataFrame] = lambda f: f) -> str:
    return change(register.ods.copy()).to_csv(index=False, lineterminator="\n")


def _ragged(register) -> bytes:
    lines = _ods_text(register).split("\n")
    lines[100] += ",sel,lebih"  # data row 100 is line 101 of the file
    return "\n".join(lines).encode()


def _huge_cell(register) -> bytes:
    def change(frame):
        frame.loc[9, "nama_usaha"] = "A" * 40_000
        return frame

    return _ods_text(register, change).encode()


def _duplicated_column_xlsx(register) -> bytes:
    frame = register.ods.head(50)
    rows = [
        ["DATA UMKM KOTA BALIKPAPAN"],
        [*frame.columns, "NIK"],
        *[[*r, r[3]] for r in frame.itertuples(index=False)],
    ]
    return xlsx(rows)


E2E = [
    ("ods_baris_rusak.csv", "ods", _ragged, "is not a consistent CSV table", 101, None),
    ("ods_sel_panjang.csv", "ods", _huge_cell, "longer than the 32,767", 11, "nama_usaha"),
    ("ods_kolom_ganda.xlsx", "ods", _duplicated_column_xlsx, "both map to 'nik'", 2, "NIK"),
    ("oss_sampah.csv", "oss", lambda r: random.Random(3).randbytes(50_000), "binary data", None, None),
    ("ods_bom.xlsx", "ods", lambda r: zip_bomb(120), "zip bomb", None, None),
    ("ods_kosong.csv", "ods", lambda r: b"", "the file is empty", None, None),
]


@pytest.mark.parametrize("name, source, make, message, row, column", E2E, ids=[e[0] for e in E2E])
def test_a_bad_export_stops_the_build_with_exit_2_and_leaves_the_output(
    register, good_exports, tmp_path, capsys, monkeypatch, name, source, make, message, row, column
):
    out = tmp_path / "out"
    before = earlier_output(out)
    bad = tmp_path / name
    bad.write_bytes(make(register))
    exports = {"ods": good_exports["ods.csv"], "oss": good_exports["oss.csv"], source: bad}
    monkeypatch.setenv("UMKM_PSEUDONYM_KEY", KEY)
    code = cli.main(
        ["--ods", str(exports["ods"]), "--oss", str(exports["oss"]), "--out", str(out), "--quiet", "--no-site"]
    )
    err = capsys.readouterr().err
    assert code == cli.EXIT_BAD_INPUT, err
    assert "Traceback" not in err
    line = err.strip().splitlines()[-1]
    assert line.startswith(f"build_data.py: error: {name}"), line
    assert message in line
    if row is not None:
        assert f"row {row}" in line
    if column is not None:
        assert f"column '{column}'" in line
    assert tree_hashes(out) == before
    assert not (out / ".staging").exists()


def test_a_missing_export_is_named(good_exports, tmp_path, capsys, monkeypatch):
    out = tmp_path / "out"
    before = earlier_output(out)
    monkeypatch.setenv("UMKM_PSEUDONYM_KEY", KEY)
    code = cli.main(
        [
            "--ods",
            str(tmp_path / "tidak-ada.xlsx"),
            "--oss",
            str(good_exports["oss.csv"]),
            "--out",
            str(out),
            "--quiet",
            "--no-site",
        ]
    )
    err = capsys.readouterr().err
    assert code == cli.EXIT_BAD_INPUT and "tidak-ada.xlsx" in err and "cannot be read" in err
    assert "Traceback" not in err
    assert tree_hashes(out) == before


# ---------------------------------------------------------------------------
# What is published: never a formula, never a path outside the output folder
# ---------------------------------------------------------------------------

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@pytest.mark.parametrize("value", [*INJECTIONS, "\r=1+1", "+", "@", "=", *MARKUP])
def test_safe_text_never_lets_a_formula_start_a_cell(value):
    guarded = safe_text(value)
    assert not guarded.startswith(FORMULA_START)
    assert guarded.endswith(value) and len(guarded) - len(value) <= 1


def test_csv_and_xlsx_downloads_keep_hostile_text_as_inert_text():
    # (A value holding a bare carriage return is left out: csv_bytes writes it unquoted.)
    values = [*INJECTIONS, *MARKUP, "Warung Biasa"]
    frame = pd.DataFrame({"teks": pd.array(values, dtype="string"), "angka": range(len(values))})
    rows = list(csv.reader(io.StringIO(csv_bytes(frame).decode("utf-8"), newline="")))
    assert rows[0] == ["teks", "angka"] and len(rows) == len(values) + 1
    for (text, _), value in zip(rows[1:], values, strict=True):
        assert not text.startswith(FORMULA_START), text
        assert text.endswith(value)
    schema = {
        "fields": [
            {"name": n, "title": n, "title_en": n, "type": t, "description": "", "description_en": ""}
            for n, t in (("teks", "string"), ("angka", "integer"))
        ]
    }
    sheet = load_workbook(io.BytesIO(xlsx_bytes(frame, schema, "uji")))["data"]
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert len(cells) == len(values)
    for cell, value in zip(cells, values, strict=True):
        assert cell.data_type == "s", (cell.value, cell.data_type)  # text, never a formula ("f")
        assert not str(cell.value).startswith(FORMULA_START) and str(cell.value).endswith(value)


@pytest.mark.parametrize(
    "relative", ["../lolos.txt", "a/../../lolos.txt", "/tmp/umkm-lolos-absolut.txt", "a/b/../../../lolos.txt"]
)
def test_write_files_refuses_paths_outside_the_folder(tmp_path, relative):
    folder = tmp_path / "keluaran"
    folder.mkdir()
    with pytest.raises(ValueError, match="refusing to write outside"):
        files.write_files(folder, {relative: b"x"})
    assert not (tmp_path / "lolos.txt").exists() and not Path("/tmp/umkm-lolos-absolut.txt").exists()
    assert not any(folder.rglob("*.txt"))


def test_write_files_refuses_a_symlink_that_leads_outside(tmp_path):
    folder, outside = tmp_path / "keluaran", tmp_path / "luar"
    folder.mkdir()
    outside.mkdir()
    (folder / "tautan").symlink_to(outside, target_is_directory=True)
    with pytest.raises(ValueError, match="refusing to write outside"):
        files.write_files(folder, {"tautan/berkas.csv": b"x"})
    assert not any(outside.iterdir())
    files.write_files(folder, {"a/../tetap-di-dalam.csv": b"ok"})
    assert (folder / "tetap-di-dalam.csv").read_bytes() == b"ok"


def _hostile_register(register) -> tuple[pd.DataFrame, pd.DataFrame]:
    ods, oss = register.ods.copy(), register.oss.copy()
    hostile = INJECTIONS + MARKUP
    for column in ("nama_usaha", "produk_utama", "alamat", "marketplace", "bidang_usaha", "sentra"):
        ods.loc[: len(hostile) * 20 - 1, column] = [hostile[i % len(hostile)] for i in range(len(hostile) * 20)]
    oss.loc[: len(hostile) - 1, "alamat"] = hostile
    return ods, oss


def test_a_build_from_hostile_but_readable_exports_publishes_nothing_that_starts_a_formula(
    register, tmp_path, monkeypatch
):
    ods, oss = _hostile_register(register)
    exports = tmp_path / "ekspor"
    exports.mkdir()
    # As an Indonesian Excel saves it: Windows-1252 where it can, semicolons, title rows, CRLF.
    title = "DATA UMKM KOTA BALIKPAPAN" + ";" * (len(ods.columns) - 1) + "\r\n"
    ods_text = title + ods.to_csv(index=False, sep=";", lineterminator="\r\n")
    (exports / "ods.csv").write_bytes(ods_text.encode("cp1252", errors="replace"))
    (exports / "oss.csv").write_bytes(oss.to_csv(index=False).encode("utf-16"))
    out = tmp_path / "lewat" / ".." / "keluaran"  # --out through ../ is fine
    monkeypatch.setenv("UMKM_PSEUDONYM_KEY", KEY)
    assert (
        cli.main(
            [
                "--ods",
                str(exports / "ods.csv"),
                "--oss",
                str(exports / "oss.csv"),
                "--out",
                str(out),
                "--quiet",
                "--no-site",
            ]
        )
        == 0
    )
    published = tmp_path / "keluaran" / "datapackages"
    assert published.is_dir() and not (tmp_path / "lewat").exists()
    checked = 0
    for path in sorted(published.rglob("*")):
        if path.suffix == ".csv":
            for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")):
                for cell in row:
                    assert not cell.startswith(("=", "+", "@", "\t", "\r")), (path, cell)
                    # A leading minus is only a negative number, never text.
                    assert not cell.startswith("-") or cell[1:].replace(".", "", 1).isdigit(), (path, cell)
                    checked += 1
        elif path.suffix == ".xlsx":
            for sheet in load_workbook(path):
                for row in sheet.iter_rows():
                    for cell in row:
                        assert cell.data_type != "f", (path, cell.coordinate, cell.value)
                        if isinstance(cell.value, str):
                            assert not cell.value.startswith(FORMULA_START), (path, cell.value)
        elif path.name == "datapackage.json":
            descriptor = json.loads(path.read_text(encoding="utf-8"))
            for resource in descriptor["resources"]:
                target = (path.parent / resource["path"]).resolve()
                assert path.parent.resolve() in target.parents and target.is_file(), resource["path"]
        if path.is_file() and path.suffix in {".csv", ".json", ".md", ".html"}:
            text = path.read_text(encoding="utf-8")
            for value in INJECTIONS[:-1] + MARKUP:
                assert value not in text, (path, value)
    assert checked > 1000
