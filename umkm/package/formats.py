"""A package's files in their formats: Parquet (typed from the Table Schema), the Excel workbook (a cover sheet,
the data, the field descriptions), the zip with fixed timestamps, and the zip's README.

The CSV writer lives in the base module umkm/xlsx.py (disclose reads it too). Nothing here reads the clock:
every zip (XLSX included) carries fixed timestamps, so the same tables give the same bytes.
"""

from __future__ import annotations

import io
import zipfile
from typing import TYPE_CHECKING

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from umkm.package import citation, code_samples
from umkm.vocabulary import LICENCE, PUBLISHER
from umkm.xlsx import Layout, as_arrow, fitting_widths, for_text_output, workbook_bytes

if TYPE_CHECKING:
    from umkm.package.packages import Package

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
# deflate level of the download zips: 6 deflates the large CSVs several times as fast as 9, for a zip
# only a little larger
ZIP_LEVEL = 6


ARROW_TYPES = {"string": pa.string(), "integer": pa.int64(), "number": pa.float64(), "boolean": pa.bool_()}


def parquet_bytes(frame: pd.DataFrame, schema: dict | None = None, text: pd.DataFrame | None = None) -> bytes:
    """The table as Parquet (zstd). With its Table Schema: every column of its declared type, an empty
    text a NULL (the schema's missing value), text as the CSV has it (``text``: for_text_output)."""
    if schema is None:
        table = pa.Table.from_pandas(frame.reset_index(drop=True), preserve_index=False)
    else:
        columns = {}
        for f in schema["fields"]:
            kind = ARROW_TYPES.get(f["type"], pa.string())
            if f["type"] == "string" or kind == pa.string():
                values = as_arrow((text if text is not None else frame)[f["name"]].astype("string"), pa.string())
                columns[f["name"]] = pc.if_else(pc.equal(values, ""), pa.scalar(None, pa.string()), values)
            else:  # the values' own Arrow type, cast to the declared one (an integer column declared a number)
                values = as_arrow(frame[f["name"]])
                columns[f["name"]] = values if values.type == kind else values.cast(kind, safe=False)
        table = pa.table(columns)
    buffer = io.BytesIO()
    pq.write_table(table, buffer, compression="zstd")
    return buffer.getvalue()


def fixed_zip(entries: list[tuple[str, bytes]]) -> bytes:
    """A zip with fixed timestamps and the given entry order: same entries, same bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data, compresslevel=ZIP_LEVEL)
    return buffer.getvalue()


def xlsx_bytes(frame: pd.DataFrame, schema: dict, title: str, cover: list[tuple[str, str]] | None = None) -> bytes:
    """The table on sheet "data", its field descriptions on sheet "keterangan", after a cover sheet "tentang"
    of ``cover`` lines (XlsxWriter's bytes)."""
    return xlsx_of_text(for_workbook(frame, for_text_output(frame)), schema, title, cover or [("Judul / title", title)])


def for_workbook(frame: pd.DataFrame, text: pd.DataFrame) -> pd.DataFrame:
    """The text output with its booleans back: a workbook holds TRUE and FALSE cells."""
    flags = [c for c in frame.columns if pd.api.types.is_bool_dtype(frame[c].dtype)]
    return text.assign(**{c: frame[c].astype("boolean") for c in flags}) if flags else text


HEADER_FORMAT = {"bold": True, "bottom": 1, "bg_color": "#DDEBF7"}


def _column_formats(schema: dict) -> dict[str, dict]:
    """Codes and text as Text ("@": nothing typed in the column becomes a number or a date), whole numbers
    (counts, rupiah) with thousands separators."""
    formats = {}
    for f in schema["fields"]:
        if f["type"] == "string":
            formats[f["name"]] = {"num_format": "@"}
        elif f["type"] == "integer":
            formats[f["name"]] = {"num_format": "#,##0"}
    return formats


def xlsx_of_text(text: pd.DataFrame, schema: dict, title: str, cover: list[tuple[str, str]]) -> bytes:
    fixed = pd.Timestamp("2000-01-01").to_pydatetime()
    notes = pd.DataFrame(
        [
            [f["name"], f["title"], f["title_en"], f["type"], f.get("unit", ""), f["description"], f["description_en"]]
            for f in schema["fields"]
        ],
        columns=["kolom / column", "judul", "title", "tipe / type", "satuan / unit", "keterangan", "description"],
        dtype=object,
    )
    about = pd.DataFrame(cover, columns=["butir / item", "isi / content"], dtype=object)
    formats = _column_formats(schema)
    wrapped = {"text_wrap": True, "valign": "top"}
    layouts = {
        "tentang": Layout(
            header=HEADER_FORMAT,
            widths={"butir / item": 30.0, "isi / content": 100.0},
            formats={"butir / item": {"bold": True, "valign": "top"}, "isi / content": wrapped},
        ),
        "data": Layout(
            header=HEADER_FORMAT,
            freeze_header=True,
            autofilter=True,
            widths=fitting_widths(text, formats),
            formats=formats,
        ),
        "keterangan": Layout(
            header=HEADER_FORMAT,
            freeze_header=True,
            autofilter=True,
            widths={**fitting_widths(notes, most=28), "keterangan": 60.0, "description": 60.0},
            formats={"keterangan": wrapped, "description": wrapped},
        ),
    }
    return workbook_bytes(
        [("tentang", about), ("data", text), ("keterangan", notes)],
        {"title": title, "author": PUBLISHER, "created": fixed},
        fixed,
        layouts=layouts,
    )


def workbook_cover(descriptor: dict, resource: dict, base_url: str) -> list[tuple[str, str]]:
    """The cover sheet of a resource's workbook: what it is, which release, source, licence, how to cite."""
    cite = citation.of(descriptor, base_url)
    lines = [("Judul", resource["title"]), ("Title", resource.get("title_en", resource["title"]))]
    if descriptor.get("synthetic"):
        lines.insert(
            0,
            (
                "DATA SINTETIS / SYNTHETIC DATA",
                "Dibuat oleh generator demo proyek, bukan data nyata. / "
                "Made by the project's demo generator, not real data.",
            ),
        )
    lines += [
        ("Keterangan / description", f"{resource.get('description', '')} / {resource.get('description_en', '')}"),
        ("Tabel / table", f"{resource['name']} ({resource.get('rows', 0)} baris / rows)"),
        ("Paket / package", f"{descriptor['title']} ({descriptor['name']}) / {descriptor.get('title_en', '')}"),
        ("Versi rilis / release", descriptor["version"]),
        ("Data per / as of", descriptor["created"][:10]),
        ("Penerbit / publisher", cite.publisher),
        ("Sumber / source", "; ".join(s.get("title", "") for s in descriptor.get("sources", []))),
        ("Lisensi / licence", f"{LICENCE.title} ({LICENCE.spdx}), {LICENCE.url}"),
        ("Sitasi", citation.text(cite, "id")),
        ("Citation", citation.text(cite, "en")),
        ("Alamat / address", cite.url),
        (
            "Lembar / sheets",
            "data: tabelnya, satu baris per baris CSV / the table, one row per CSV row; "
            "keterangan: arti, tipe dan satuan setiap kolom / each column's meaning, type and unit",
        ),
        (
            "Sel kosong / empty cell",
            "Tidak ada nilai (tidak diketahui atau disembunyikan), sama dengan kosong di CSV "
            "dan NULL di Parquet / no value (unknown or suppressed), as empty in the CSV and "
            "NULL in Parquet",
        ),
    ]
    return lines


def readme(pkg: Package, base_url: str | None = None) -> str:
    """The README.md of the package's zip: what it is, its files, how to load them with their types, how to
    cite it (the one citation, citation.of)."""
    d = pkg.descriptor
    cite = citation.of(d, base_url or citation.DEFAULT_BASE_URL)
    lines = [
        f"# {d['title']}",
        "",
        f"*{d['title_en']}*",
        "",
        d["description"],
        "",
        d["description_en"],
        "",
        f"- Versi / version: {d['version']} (data per / as of {d['created'][:10]})",
        f"- Lisensi / licence: {LICENCE.title} ({LICENCE.spdx}), {LICENCE.url}",
        f"- Penerbit / publisher: {cite.publisher}",
        f"- Halaman versi ini / this version's page: {cite.url}",
        "",
    ]
    if d.get("synthetic"):
        lines += [
            "**DATA SINTETIS / SYNTHETIC DATA**: dibuat oleh generator demo, bukan data nyata. "
            "Generated by the demo generator, not real data.",
            "",
        ]
    lines += ["## Berkas / files", ""]
    for r in d["resources"]:
        lines.append(
            f"- `{r['path']}` ({r['rows']} baris / rows): {r['title']} / {r['title_en']}; "
            f"juga / also `{r['formats']['parquet']}`, `{r['formats']['xlsx']}`"
        )
    lines += [
        "",
        "Sel kosong di CSV, NULL di Parquet dan sel kosong di XLSX berarti tidak ada nilai (tidak diketahui "
        'atau disembunyikan): skema menyatakannya sebagai `missingValues: [""]`. / An empty CSV field, a NULL '
        "in Parquet and an empty XLSX cell all mean no value (unknown or suppressed): the schema declares "
        '`missingValues: [""]`.',
        "",
    ]
    first = d["resources"][0]
    samples = [
        ("Python (pandas)", "python", code_samples.pandas),
        ("Python (polars)", "python", code_samples.polars),
        ("Python (DuckDB)", "python", code_samples.duckdb),
        ("R (readr, readxl)", "r", code_samples.r),
    ]
    lines += [
        "## Cara memuat / how to load",
        "",
        "Di folder hasil ekstrak ZIP ini, dengan tipe kolom dari skema / in the folder of this unzipped ZIP, "
        "with the column types of the schema:",
        "",
    ]
    for title, language, sample in samples:
        lines += [f"{title}:", "", f"```{language}", *sample("", pkg.name, first, "id"), "```", ""]
    lines += [
        "Python (frictionless):",
        "",
        "```python",
        "import frictionless",
        "",
        'package = frictionless.Package("datapackage.json")',
        "# atau langsung dari ZIP, di folder yang memuatnya / or straight from the ZIP, in the folder holding it:",
        f'# package = frictionless.Package("{pkg.name}.zip", control=frictionless.formats.ZipControl('
        f'innerpath="{pkg.name}/datapackage.json"))',
        "```",
        "",
        "Excel: buka berkas `.xlsx`; lembar *tentang* menjelaskan berkasnya, lembar *data* berisi tabelnya, "
        "lembar *keterangan* menjelaskan setiap kolom. / Open the `.xlsx` file; the *tentang* sheet says what "
        "it is, the *data* sheet holds the table, the *keterangan* sheet describes every column.",
        "",
        "## Sitasi / citation",
        "",
        citation.text(cite, "id"),
        "",
        citation.text(cite, "en"),
        "",
        "BibTeX, CFF, RIS, CSL-JSON: " + ", ".join(f"`{name}`" for name in citation.FILES),
        "",
    ]
    return "\n".join(lines)


def bundle(pkg: Package, extra: dict[str, bytes] | None = None, base_url: str | None = None) -> bytes:
    """The package as one zip: datapackage.json, its data files, a README and ``extra`` files (citations)."""
    files = {**pkg.files, **(extra or {})}
    entries = [("README.md", readme(pkg, base_url).encode("utf-8"))]
    entries += [(name, files[name]) for name in sorted(files)]
    return fixed_zip([(f"{pkg.name}/{name}", data) for name, data in entries])
