"""A release's packages in; one typed SQLite database of every table, and its Datasette metadata, out (bytes).

Each resource is one table named after it (a code list that several packages carry is one table),
with the columns and types of its Table Schema: TEXT, INTEGER, REAL, and BOOLEAN (0 or 1), a CHECK
on each column that holds it to its type, NOT NULL where a field is required, the primary key and
the foreign keys. A missing value is NULL, as in Parquet (the rows come from the Parquet files).
Two more tables say what the database is: ``tentang`` (title, release, licence, citation) and
``keterangan_kolom`` (every column's title, description and unit). The Datasette metadata
(``--metadata``) gives the same titles and descriptions from the Table Schema.

The bytes are SQLite's own (an in-memory database, serialised): the same tables give the same file.
"""

from __future__ import annotations

import io
import json
import sqlite3

import pyarrow.parquet as pq

from umkm.catalogue import licences
from umkm.package import citation
from umkm.vocabulary import Licence

DATABASE = "umkm-balikpapan"  # the file's stem: Datasette names the database after it
SQL_TYPES = {"string": "TEXT", "integer": "INTEGER", "number": "REAL", "boolean": "BOOLEAN"}
STORAGE = {"string": "'text', 'null'", "integer": "'integer', 'null'", "number": "'real', 'null'"}
BATCH = 50_000  # rows inserted at once: bounds the memory of a large table


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def create_table(resource: dict) -> str:
    """The CREATE TABLE statement of a resource, from its Table Schema."""
    schema = resource["schema"]
    lines = []
    for f in schema["fields"]:
        name, kind = _quote(f["name"]), f["type"]
        check = (
            f"{name} IN (0, 1)" if kind == "boolean" else f"typeof({name}) IN ({STORAGE.get(kind, STORAGE['string'])})"
        )
        required = " NOT NULL" if (f.get("constraints") or {}).get("required") else ""
        lines.append(f"  {name} {SQL_TYPES.get(kind, 'TEXT')}{required} CHECK ({check})")
    if schema.get("primaryKey"):
        lines.append(f"  PRIMARY KEY ({', '.join(_quote(k) for k in schema['primaryKey'])})")
    for key in schema.get("foreignKeys", []):
        target = key["reference"]
        lines.append(
            f"  FOREIGN KEY ({', '.join(_quote(k) for k in key['fields'])}) REFERENCES "
            f"{_quote(target['resource'])} ({', '.join(_quote(k) for k in target['fields'])})"
        )
    return f"CREATE TABLE {_quote(resource['name'])} (\n" + ",\n".join(lines) + "\n)"


def tables_of(packages) -> list[tuple[dict, dict, bytes]]:
    """(package descriptor, resource, Parquet bytes) of every distinct table; a name two packages share must
    be the same table (same schema, same CSV hash)."""
    chosen: dict[str, tuple[dict, dict, bytes]] = {}
    for p in sorted(packages, key=lambda p: p.name):
        for resource in p.descriptor["resources"]:
            name = resource["name"]
            if name in chosen:
                _, other, _ = chosen[name]
                if (other["hash"], other["schema"]) != (resource["hash"], resource["schema"]):
                    raise ValueError(f"two different tables named {name!r} ({p.name} and another package)")
                continue
            chosen[name] = (p.descriptor, resource, p.files[resource["formats"]["parquet"]])
    return [chosen[name] for name in sorted(chosen)]


def _licences(packages) -> list[Licence]:
    """The licences of the release's packages (their descriptors), each once."""
    return licences.of_packages([p.descriptor for p in packages])


def database_bytes(packages, release_citation: citation.Citation) -> bytes:
    """The release's database, every table typed and filled (see the module's docstring)."""
    con = sqlite3.connect(":memory:")
    try:
        con.execute("PRAGMA page_size = 4096")
        tables = tables_of(packages)
        about = [
            ("judul", citation.SITE_TITLE["id"]),
            ("title", citation.SITE_TITLE["en"]),
            ("versi", release_citation.version),
            ("data_per", release_citation.date),
            ("data_sintetis", "ya" if release_citation.synthetic else "tidak"),
            ("penerbit", release_citation.publisher),
            ("lisensi", "; ".join(f"{licence.short_title} {licence.url}" for licence in _licences(packages))),
            ("sitasi", citation.text(release_citation, "id")),
            ("citation", citation.text(release_citation, "en")),
            (
                "nilai_kosong",
                "NULL: tidak ada nilai (tidak diketahui atau disembunyikan) / no value (unknown or suppressed)",
            ),
            ("boolean", "1 = ya / true, 0 = tidak / false"),
        ]
        con.execute('CREATE TABLE "tentang" ("butir" TEXT PRIMARY KEY NOT NULL, "isi" TEXT NOT NULL)')
        con.executemany('INSERT INTO "tentang" VALUES (?, ?)', about)
        con.execute(
            'CREATE TABLE "keterangan_kolom" ("tabel" TEXT NOT NULL, "kolom" TEXT NOT NULL, '
            '"tipe" TEXT NOT NULL, "judul" TEXT, "title" TEXT, "keterangan" TEXT, "description" TEXT, '
            '"satuan" TEXT, "paket" TEXT NOT NULL, PRIMARY KEY ("tabel", "kolom"))'
        )
        for descriptor, resource, parquet in tables:
            con.execute(create_table(resource))
            fields = resource["schema"]["fields"]
            con.executemany(
                'INSERT INTO "keterangan_kolom" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
                [
                    (
                        resource["name"],
                        f["name"],
                        f["type"],
                        f.get("title"),
                        f.get("title_en"),
                        f.get("description"),
                        f.get("description_en"),
                        f.get("unit"),
                        descriptor["name"],
                    )
                    for f in fields
                ],
            )
            placeholders = ", ".join("?" for _ in fields)
            statement = f"INSERT INTO {_quote(resource['name'])} VALUES ({placeholders})"
            parquet_file = pq.ParquetFile(io.BytesIO(parquet))
            for batch in parquet_file.iter_batches(batch_size=BATCH, columns=[f["name"] for f in fields]):
                columns = [batch.column(i).to_pylist() for i in range(batch.num_columns)]
                con.executemany(statement, zip(*columns))
        con.commit()
        con.execute("VACUUM")
        return con.serialize()
    finally:
        con.close()


def datasette_metadata(packages, release_citation: citation.Citation, base_url: str) -> dict:
    """Datasette's metadata (``datasette FILE.sqlite --metadata FILE.metadata.json``) from the Table Schemas:
    the database's and each table's title and description, and every column's description (with its unit)."""
    tables = {}
    for descriptor, resource, _ in tables_of(packages):
        columns = {}
        for f in resource["schema"]["fields"]:
            unit = f" Satuan / unit: {f['unit']}." if f.get("unit") else ""
            columns[f["name"]] = (
                f"{f.get('title', '')} / {f.get('title_en', '')}: {f.get('description', '')} "
                f"/ {f.get('description_en', '')}{unit}"
            )
        tables[resource["name"]] = {
            "title": f"{resource['title']} / {resource.get('title_en', '')}",
            "description": f"{resource.get('description', '')} / {resource.get('description_en', '')} "
            f"(paket / package {descriptor['name']})",
            "columns": columns,
        }
    tables["tentang"] = {"title": "Tentang basis data ini / about this database"}
    tables["keterangan_kolom"] = {"title": "Keterangan setiap kolom / every column described"}
    synthetic = (
        " DATA SINTETIS (demo), bukan data nyata / synthetic demo data, not real data."
        if release_citation.synthetic
        else ""
    )
    return {
        "title": f"{citation.SITE_TITLE['id']} {release_citation.version}",
        "description": f"Semua tabel rilis {release_citation.version} (data per {release_citation.date}) / every "
        f"table of release {release_citation.version}.{synthetic} {citation.text(release_citation)}",
        # Datasette names one licence: the packages' (the project publishes every package under one licence)
        "license": _licences(packages)[0].short_title,
        "license_url": _licences(packages)[0].url,
        "source": release_citation.publisher,
        "source_url": base_url,
        "databases": {DATABASE: {"title": f"{citation.SITE_TITLE['id']} {release_citation.version}", "tables": tables}},
    }


def metadata_bytes(metadata: dict) -> bytes:
    return (json.dumps(metadata, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
