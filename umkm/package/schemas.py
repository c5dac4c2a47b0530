"""Table Schemas: the single source of every public column's type, constraints and meaning.

The fields are declared in umkm/package/fields.py (the public data) and umkm/package/risk_fields.py (the
disclosure-risk report); here they are put together into the schema of each resource. The package metadata, the
site's data dictionary and the catalogue formats are all generated from them.
"""

from __future__ import annotations

import copy

from umkm.disclose import tables
from umkm.package import fields, risk_fields

FIELDS: dict[str, dict] = {**fields.FIELDS, **risk_fields.FIELDS}  # every field a schema can declare, by name

MICRODATA_COLUMNS = tables.MICRODATA_COLUMNS
RISK_RESOURCES = tables.RISK_RESOURCES


def field(name: str, *, table_dimension: bool = False) -> dict:
    """A copy of a field's descriptor; yes/no dimensions of count tables are text."""
    if table_dimension and name + "_ya_tidak" in FIELDS:
        return copy.deepcopy(FIELDS[name + "_ya_tidak"])
    return copy.deepcopy(FIELDS[name])


def schema(columns, *, table_dimensions=(), primary_key=None, foreign_keys=None) -> dict:
    result = {
        "fields": [field(c, table_dimension=c in table_dimensions) for c in columns],
        "missingValues": [""],
    }
    if primary_key:
        result["primaryKey"] = list(primary_key)
    if foreign_keys:
        result["foreignKeys"] = foreign_keys
    return result


def magnitude_table_schema(spec: tables.MagnitudeSpec) -> dict:
    """Dimensions and the perturbed sum."""
    columns = list(spec.dimensions) + [spec.value]
    return schema(columns, table_dimensions=spec.dimensions)


def risk_schema(name: str) -> dict:
    """Schema of a resource of the disclosure-risk report (its first column is the key, or the first three for
    the perturbation table)."""
    columns = RISK_RESOURCES[name]
    result = schema(columns, primary_key=list(columns[:3]) if name == "tabel_perturbasi" else [columns[0]])
    result["fields"] = [
        dict(field("nilai_risiko"), name="nilai") if f["name"] == "nilai" else f for f in result["fields"]
    ]
    return result


def count_table_schema(spec: tables.TableSpec) -> dict:
    """Dimensions and the perturbed count. An empty dimension is "unknown"."""
    columns = list(spec.dimensions) + [tables.COUNT]
    return schema(columns, table_dimensions=spec.dimensions)
