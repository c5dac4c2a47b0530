"""validation.validate_packages finds what frictionless finds validating each package whole.

It validates in worker processes, a large CSV in slices of rows, and a resource that two
packages share once; these tests cut the CSV into many slices and compare its lines with
those of a plain ``frictionless.Package(...).validate()`` of every package.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

from umkm.gates import validation
from umkm.package import packages as package

RELEASE = package.Release(version="2026.01.31", snapshot_date=pd.Timestamp("2026-01-31"), is_demo=True)
ROWS = 600


def field(name: str, kind: str = "string", **constraints) -> dict:
    described = {
        "name": name,
        "type": kind,
        "title": name,
        "title_en": name,
        "description": name,
        "description_en": name,
    }
    return dict(described, constraints=constraints) if constraints else described


def codes() -> package.ResourceSpec:
    frame = pd.DataFrame(
        {
            "kode": pd.array(["A", "B", "C"], dtype="string"),
            "nama": pd.array(["satu", "dua, tiga", 'kutip "ini"'], dtype="string"),
        }
    )
    schema = {"fields": [field("kode", required=True), field("nama")], "missingValues": [""], "primaryKey": ["kode"]}
    return package.ResourceSpec("kode", "Kode", "Codes", "Kode.", "Codes.", frame, schema)


def actors() -> package.ResourceSpec:
    ids = [f"{i:06x}" for i in range(ROWS)]
    text = ["biasa" if i % 7 else f'baris\nbaru, "kutip" {i}' for i in range(ROWS)]  # records over two lines
    frame = pd.DataFrame(
        {
            "id": pd.array(ids, dtype="string"),
            "kode": pd.array(["ABC"[i % 3] for i in range(ROWS)], dtype="string"),
            "nilai": pd.array(range(ROWS), dtype="Int64"),
            "teks": pd.array(text, dtype="string"),
        }
    )
    schema = {
        "fields": [
            field("id", required=True, unique=True, pattern="^[0-9a-f]{6}$"),
            field("kode"),
            field("nilai", "integer", minimum=0),
            field("teks"),
        ],
        "missingValues": [""],
        "primaryKey": ["id"],
        "foreignKeys": [{"fields": ["kode"], "reference": {"resource": "kode", "fields": ["kode"]}}],
    }
    return package.ResourceSpec(
        "pelaku", "Pelaku", "Actors", "Pelaku.", "Actors.", frame, schema, properties={"rows": ROWS}
    )


def write(folder, pkg: package.Package) -> None:
    (folder / pkg.name).mkdir(parents=True)
    for name, data in pkg.files.items():
        (folder / pkg.name / name).write_bytes(data)


@pytest.fixture
def packages(tmp_path, monkeypatch):
    monkeypatch.setattr(validation, "SLICE_BYTES", 1_500)  # the 600 rows (13 kB) in 8 slices
    monkeypatch.setattr(validation, "ERRORS_SHOWN", 10_000)  # every line, to compare with every error
    for pkg in (
        package.build_package("paket-a", "A", "A", "A.", "A.", [actors(), codes()], RELEASE, [], []),
        package.build_package("paket-b", "B", "B", "B.", "B.", [codes()], RELEASE, [], []),
    ):
        write(tmp_path, pkg)
    return tmp_path


def whole_package_lines(folder) -> set[str]:
    """The reference: frictionless validating each package at once, every error."""
    from frictionless import Package, system

    lines = set()
    for descriptor in sorted(folder.glob("*/datapackage.json")):
        with system.use_context(trusted=True):
            report = Package(str(descriptor)).validate()
        lines |= {
            f"{descriptor.parent.name}/{task.name}: {error.message}" for task in report.tasks for error in task.errors
        }
        lines |= {f"{descriptor.parent.name}: {error.message}" for error in report.errors}
    return lines


def edit_rows(path, change) -> None:
    """Change the records (not lines) of a CSV file: change(list of records) -> list of records."""
    import csv
    import io

    records = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(change(records))
    path.write_text(out.getvalue(), encoding="utf-8")


def set_cell(row: int, column: int, value: str):
    def change(records):
        records[row - 1][column] = value
        return records

    return change


def second_key_repeated(folder) -> None:
    """nilai made unique too (two keys: the slices collect both), then repeated between slices."""
    path = folder / "paket-a" / "datapackage.json"
    descriptor = json.loads(path.read_text())
    nilai = descriptor["resources"][0]["schema"]["fields"][2]
    nilai["constraints"] = dict(nilai["constraints"], unique=True)
    path.write_text(json.dumps(descriptor))
    edit_rows(folder / "paket-a" / "pelaku.csv", set_cell(560, 2, "3"))


CASES = {
    "clean": lambda f: None,
    "bad cells in a late slice": lambda f: edit_rows(
        f / "paket-a" / "pelaku.csv", lambda r: set_cell(590, 2, "-4")(set_cell(585, 0, "XYZ")(r))
    ),
    "key repeated between slices": lambda f: edit_rows(f / "paket-a" / "pelaku.csv", set_cell(550, 0, "000005")),
    "key repeated within a slice and a row more": lambda f: edit_rows(
        f / "paket-a" / "pelaku.csv", lambda r: r[:300] + [r[299]] + r[300:]
    ),
    "second unique field repeated between slices": second_key_repeated,
    "unknown code late": lambda f: edit_rows(f / "paket-a" / "pelaku.csv", set_cell(520, 1, "Z")),
    "code list broken in both packages": lambda f: [
        edit_rows(f / p / "kode.csv", set_cell(3, 0, "")) for p in ("paket-a", "paket-b")
    ],
    "code list broken in one package": lambda f: edit_rows(f / "paket-b" / "kode.csv", set_cell(2, 0, "B")),
    "missing file": lambda f: (f / "paket-b" / "kode.csv").unlink(),
}


@pytest.mark.parametrize("case", list(CASES))
def test_parallel_sliced_validation_reports_what_frictionless_does(packages, case):
    CASES[case](packages)
    plan = validation._PackagePlan(packages / "paket-a" / "datapackage.json", workers=2)
    assert len(plan.sliced.get("pelaku", [])) >= 4  # the test cuts the table for real
    found = validation.validate_packages(packages, workers=2)
    assert set(found) == whole_package_lines(packages)
    assert len(found) == len(set(found))
    assert (case == "clean") == (found == [])


def test_one_worker_gives_the_same_lines(packages):
    CASES["bad cells in a late slice"](packages)
    CASES["code list broken in one package"](packages)
    assert sorted(validation.validate_packages(packages, workers=1)) == sorted(
        validation.validate_packages(packages, workers=2)
    )


def test_a_table_with_a_key_into_itself_is_validated_whole(packages):
    descriptor_path = packages / "paket-a" / "datapackage.json"
    descriptor = json.loads(descriptor_path.read_text())
    schema = descriptor["resources"][0]["schema"]
    schema["foreignKeys"].append({"fields": ["kode"], "reference": {"resource": "", "fields": ["id"]}})
    descriptor_path.write_text(json.dumps(descriptor))
    assert validation._PackagePlan(descriptor_path, workers=2).sliced == {}
    assert set(validation.validate_packages(packages, workers=2)) == whole_package_lines(packages) != set()


def test_slices_are_whole_records():
    import csv
    import io

    text = 'a,b\n1,"x\ny"\n2,z\n3,"""q""\n\n"\n4,w\n'.encode()
    for count in range(1, 6):
        slices = validation._slices(text, count)
        assert slices[0][0] == len(b"a,b\n") and slices[-1][1] == len(text)
        assert all(a[1] == b[0] for a, b in zip(slices, slices[1:], strict=False))
        records = [row for start, stop in slices for row in csv.reader(io.StringIO(text[start:stop].decode()))]
        assert records == list(csv.reader(io.StringIO(text.decode())))[1:]
        assert sum(validation._records(text[start:stop]) for start, stop in slices) == 4


def test_a_few_lines_a_resource(packages, monkeypatch):
    monkeypatch.setattr(validation, "ERRORS_SHOWN", 5)
    CASES["code list broken in both packages"](packages)  # 200 rows of paket-a/pelaku lose their code
    found = validation.validate_packages(packages, workers=2)
    assert sum(line.startswith("paket-a/pelaku: ") for line in found) == 5
    assert any(line.startswith("paket-b/kode: ") for line in found)


def test_leaving_early_stops_the_workers(packages):
    import multiprocessing

    with pytest.raises(RuntimeError, match="gagal"):
        with validation.PackageValidation(packages, workers=2) as running:
            assert running.pool is not None and len(multiprocessing.active_children()) == 2
            raise RuntimeError("gagal membuat workbook")
    assert running.pool is None and multiprocessing.active_children() == []
