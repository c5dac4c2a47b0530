"""A package's Table Schema and address in; code that reads its tables with the declared types out (pandas,
polars, DuckDB, R, SQLite), as the lines a dataset page and a package README show.

Every sample reads the declared types from the schema (datapackage.json, or the R column types written
out from it): codes stay text (KBLI 01111 keeps its zero), counts and rupiah are integers, flags are
booleans, and an empty cell is missing (NA / null / NULL), the one missing value every format shares
(``missingValues: [""]``: empty in CSV, NULL in Parquet and SQLite, an empty cell in XLSX). The tests
run these lines against the served site.
"""

from __future__ import annotations

PANDAS = {"string": "string", "integer": "Int64", "number": "Float64", "boolean": "boolean"}
POLARS = {"string": "pl.String", "integer": "pl.Int64", "number": "pl.Float64", "boolean": "pl.Boolean"}
DUCKDB = {"string": "VARCHAR", "integer": "BIGINT", "number": "DOUBLE", "boolean": "BOOLEAN"}
R_READR = {
    "string": "col_character()",
    "integer": "col_integer()",
    "number": "col_double()",
    "boolean": "col_logical()",
}
R_READXL = {"string": "text", "integer": "numeric", "number": "numeric", "boolean": "logical"}
DATABASE = "umkm-balikpapan.sqlite"  # one typed database of every table of a release: unduh/<version>/


def _t(lang: str, id_text: str, en_text: str) -> str:
    return id_text if lang == "id" else en_text


IMPORTS = ["import json", "from urllib.parse import urljoin", "from urllib.request import urlopen", ""]


def _package_lines(base: str, package_name: str, version: str | None, lang: str) -> list[str]:
    """Where the package is, and its datapackage.json read (the lines every Python sample shares)."""
    lines = []
    if version:
        lines += [
            _t(
                lang,
                f"# versi {version} (alamat tetap); rilis terbaru: ganti {version} dengan latest;",
                f"# version {version} (fixed address); newest release: replace {version} by latest;",
            ),
            _t(
                lang,
                f'# tanpa internet: base = "{package_name}/" (folder ZIP yang diekstrak)',
                f'# offline: base = "{package_name}/" (the unzipped folder)',
            ),
        ]
    else:
        lines += [
            _t(
                lang,
                "# dijalankan di folder paket ini (hasil ekstrak ZIP)",
                "# run in this package's folder (the unzipped ZIP)",
            )
        ]
    lines += [
        f"base = {base!r}",
        'with (urlopen if "://" in base else open)(base + "datapackage.json") as f:',
        "    package = json.load(f)",
        "",
        "def resource(name):",
        '    return next(r for r in package["resources"] if r["name"] == name)',
        "",
    ]
    return lines


def _python(
    base: str,
    package_name: str,
    resource: dict,
    lang: str,
    version: str | None,
    *,
    library: str,
    comment: tuple[str, str],
    table: str,
    mapping: str,
    read: list[str],
    target: str,
    parquet: tuple[str, str, str],
    after: tuple[str, ...] = (),
) -> list[str]:
    """A Python sample: read datapackage.json, map each field's type through ``table`` (a dict literal named by
    its first word) into ``mapping``, read the CSV with ``read`` into ``target``, then the Parquet file."""
    name = resource["name"]
    table_name = table.split(" ", 1)[0]
    lines = IMPORTS + [library, ""] + _package_lines(base, package_name, version, lang)
    lines += [
        _t(lang, *comment),
        table,
        "",
        "def load(name):",
        f'    {mapping} = {{f["name"]: {table_name}[f["type"]] for f in resource(name)["schema"]["fields"]}}',
        *read,
        "",
        f"{target} = load({name!r})",
    ]
    if (resource.get("formats") or {}).get("parquet"):
        reader, extra, note = parquet
        lines += [
            _t(lang, *note.split(" | ")),
            f'{target} = {reader}(urljoin(base, resource({name!r})["formats"]["parquet"]){extra})',
        ]
    return lines + list(after)


def pandas(base: str, package_name: str, resource: dict, lang: str, version: str | None = None) -> list[str]:
    return _python(
        base,
        package_name,
        resource,
        lang,
        version,
        library="import pandas as pd",
        comment=(
            "# tipe dari skema: kode tetap teks (nol di depan, misalnya KBLI 01111, tidak hilang), jumlah "
            "bilangan bulat, sel kosong = <NA>",
            "# types from the schema: codes stay text (leading zeros, e.g. KBLI 01111, survive), counts are "
            "integers, an empty cell is <NA>",
        ),
        table=f"PANDAS = {PANDAS!r}",
        mapping="types",
        read=[
            '    return pd.read_csv(urljoin(base, resource(name)["path"]), dtype=types, keep_default_na=False,',
            '                       na_values=[""])',
        ],
        target="df",
        parquet=(
            "pd.read_parquet",
            ', dtype_backend="numpy_nullable"',
            "# atau Parquet: tipe yang sama, kosong = <NA> | # or Parquet: the same types, empty = <NA>",
        ),
    )


def polars(base: str, package_name: str, resource: dict, lang: str, version: str | None = None) -> list[str]:
    return _python(
        base,
        package_name,
        resource,
        lang,
        version,
        library="import polars as pl",
        comment=("# tipe dari skema; sel kosong = null", "# types from the schema; an empty cell is null"),
        table="POLARS = {" + ", ".join(f'"{k}": {v}' for k, v in POLARS.items()) + "}",
        mapping="schema",
        read=['    return pl.read_csv(urljoin(base, resource(name)["path"]), schema=schema)'],
        target="df",
        parquet=(
            "pl.read_parquet",
            "",
            "# atau Parquet (tipe tersimpan di berkas): | # or Parquet (types stored in the file):",
        ),
    )


def duckdb(base: str, package_name: str, resource: dict, lang: str, version: str | None = None) -> list[str]:
    return _python(
        base,
        package_name,
        resource,
        lang,
        version,
        library="import duckdb",
        comment=(
            "# alamat http(s): DuckDB memasang ekstensi httpfs sendiri saat pertama dipakai; kosong = NULL",
            "# an http(s) address: DuckDB installs its httpfs extension on first use; empty = NULL",
        ),
        table=f"DUCKDB = {DUCKDB!r}",
        mapping="columns",
        read=['    return duckdb.read_csv(urljoin(base, resource(name)["path"]), header=True, columns=columns)'],
        target="rel",
        parquet=("duckdb.read_parquet", "", "# atau Parquet: | # or Parquet:"),
        after=('print(duckdb.sql("SELECT * FROM rel LIMIT 5"))',),
    )


def _r_integer(field: dict) -> bool:
    """An integer R can hold: R's integers have 32 bits, so rupiah totals are read as doubles."""
    return field["type"] == "integer" and field.get("unit") != "rupiah"


def r(base: str, package_name: str, resource: dict, lang: str, version: str | None = None) -> list[str]:
    fields = resource["schema"]["fields"]
    readr = [
        f"{f['name']} = " + (R_READR[f["type"]] if f["type"] != "integer" or _r_integer(f) else "col_double()")
        for f in fields
    ]
    formats = resource.get("formats") or {}
    csv_file = formats.get("csv") or resource["path"]
    lines = [
        "library(readr)",
        f'base <- "{base}"'
        + (
            f'  # {_t(lang, "atau folder ZIP yang diekstrak:", "or the unzipped folder:")} "{package_name}/"'
            if version
            else ""
        ),
        _t(
            lang,
            "# tipe dari skema; rupiah sebagai double (integer R hanya 32 bit); kosong = NA",
            "# types from the schema; rupiah as doubles (R's integers have 32 bits); empty = NA",
        ),
        f'df <- read_csv(paste0(base, "{csv_file}"), na = "",',
        "               col_types = cols(" + ",\n                                ".join(readr) + "))",
    ]
    if formats.get("xlsx"):
        readxl = ", ".join(f'"{R_READXL[f["type"]]}"' for f in fields)
        lines += [_t(lang, "# atau XLSX (readxl membaca berkas lokal):", "# or the XLSX (readxl reads local files):")]
        if version:
            lines += [f'download.file(paste0(base, "{formats["xlsx"]}"), "{formats["xlsx"]}", mode = "wb")']
        lines += [f'df <- readxl::read_excel("{formats["xlsx"]}", sheet = "data", col_types = c({readxl}))']
    return lines


def sqlite(release_base: str, resource: dict, lang: str, version: str | None = None) -> list[str]:
    """Python's sqlite3 (and Datasette) over the release's database; booleans are 0 and 1 there."""
    name = resource["name"]
    lines = ["import sqlite3", "from urllib.request import urlretrieve", "", "import pandas as pd", ""]
    if version:
        lines += [
            _t(
                lang,
                f"# satu basis data SQLite bertipe berisi semua tabel rilis {version}",
                f"# one typed SQLite database holding every table of release {version}",
            ),
            f'urlretrieve({release_base + DATABASE!r}, "{DATABASE}")',
        ]
    lines += [
        f'con = sqlite3.connect("{DATABASE}")',
        f"df = pd.read_sql_query('SELECT * FROM \"{name}\"', con)",
        _t(
            lang,
            f"# Datasette: datasette {DATABASE} --metadata umkm-balikpapan.metadata.json",
            f"# Datasette: datasette {DATABASE} --metadata umkm-balikpapan.metadata.json",
        ),
    ]
    return lines
