"""Built data packages in, a list of failures out: frictionless validation of every datapackage.json
(schema, types, constraints, foreign keys, row count, bytes and hash), in worker processes and, for a large
CSV, in slices of whole rows (``validate_packages``, ``PackageValidation``).
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pandas as pd


def validate_packages(folder: Path, workers: int | None = None) -> list[str]:
    """Frictionless validation of every package under the folder: one line per error.

    Each package's descriptor, and each resource's schema, types, constraints, foreign keys,
    row count, bytes and hash. The work runs in ``workers`` processes (default: one per
    core). A resource that several packages hold with the same descriptor and bytes (the
    code lists) is validated once. A large CSV is validated in slices of whole rows, each a
    frictionless validation within its package (header row included); what one slice cannot
    see is checked across them here: primary key and unique fields, row count, bytes, hash.
    """
    with PackageValidation(folder, workers) as validation:
        return validation.errors()


class PackageValidation:
    """validate_packages started in worker processes, so that the caller can work meanwhile (on files
    that the descriptors do not name as a resource's path)::

        with PackageValidation(folder) as validation:
            ...
            errors = validation.errors()
    """

    def __init__(self, folder: Path, workers: int | None = None):
        import gc
        import multiprocessing
        import os

        from frictionless import Package, system

        with system.use_context(trusted=True):  # frictionless loads its plugins and profiles once, before forking
            Package(
                {"resources": [{"name": "x", "path": "x.csv", "schema": {"fields": [{"name": "x"}]}}]}
            ).to_descriptor(validate=True)
        workers = max(1, workers or os.cpu_count() or 1)
        self.plans = [_PackagePlan(path, workers) for path in sorted(folder.glob("*/datapackage.json"))]
        seen: dict[str, tuple[_PackagePlan, str]] = {}
        for plan in self.plans:
            plan.share(seen)
        self.tasks = sorted((task for plan in self.plans for task in plan.tasks), key=lambda t: -t.cost)
        self.pool = None
        self.pending: dict = {}
        if workers > 1 and len(self.tasks) > 1:
            gc.freeze()  # the workers then do not copy the parent's objects by touching them
            try:
                self.pool = multiprocessing.get_context("fork").Pool(min(workers, len(self.tasks)))
            finally:
                gc.unfreeze()
            try:
                self.pending = {task.key: self.pool.apply_async(task.run) for task in self.tasks}
            except BaseException:
                self.__exit__()
                raise

    def errors(self) -> list[str]:
        for plan in self.plans:
            plan.check_whole_files()
        if self.pool is None:
            results = {task.key: task.run() for task in self.tasks}
        else:
            results = {key: pending.get() for key, pending in self.pending.items()}
            self.pool.close()
            self.pool.join()
            self.pool = None
        return [line for plan in self.plans for line in plan.report(results)]

    def __enter__(self) -> "PackageValidation":
        return self

    def __exit__(self, *exc) -> None:
        if self.pool is not None:  # left early: the workers stop now
            self.pool.terminate()
            self.pool.join()
            self.pool = None


ERRORS_SHOWN = 5  # lines per resource (and per package descriptor)
SLICE_BYTES = 1_000_000  # a CSV is validated in slices of at least this size (about 12,000 microdata rows)
_ROW_POSITION = re.compile(r'([Rr]ow at position "?)(\d+)')


class _Task:
    """One frictionless validation in a worker: a package's descriptor and whole resources, or a slice."""

    def __init__(
        self,
        key: tuple,
        cost: int,
        descriptor: Path,
        names: list[str] | None = None,
        piece: tuple[str, int, int, int] | None = None,
    ):
        self.key, self.cost, self.descriptor, self.names, self.piece = key, cost, str(descriptor), names, piece

    def run(self) -> dict:
        from frictionless import FrictionlessException, Package, system

        with system.use_context(trusted=True):
            try:
                package = Package(self.descriptor)
            except FrictionlessException as error:
                return {"package": [error.error.message]}
            if self.piece is None:
                return _validate_whole(package, self.names or [])
            return _validate_slice(package, *self.piece)


def _validate_whole(package, names: list[str]) -> dict:
    from frictionless import FrictionlessException

    try:
        package.to_descriptor(validate=True)
        problems = []
    except FrictionlessException as exception:
        problems = [error.message for error in exception.to_errors()]
    found = {}
    for name in names:
        report = package.get_resource(name).validate()
        found[name] = [e.message for task in report.tasks for e in task.errors] + [e.message for e in report.errors]
    return {"package": problems, "resources": found}


def _validate_slice(package, name: str, header_end: int, start: int, stop: int) -> dict:
    """Bytes start..stop (whole rows) of one CSV resource after its header row (bytes 0..header_end),
    validated by frictionless in the package; row numbers as if the slice were the whole file (report()
    shifts them)."""
    from array import array

    from frictionless.resources import TableResource

    whole = package.get_resource(name)
    with open(whole.normpath, "rb") as file:
        header = file.read(header_end)
        file.seek(start)
        data = file.read(stop - start)
    piece = TableResource(
        name=name, data=header + data, format="csv", encoding=whole.encoding, dialect=whole.dialect, schema=whole.schema
    )
    package.set_resource(piece)  # so the foreign keys find the code lists
    keys = list(dict.fromkeys(fields for fields, _ in _key_fields(piece.schema)))
    numbers, values = array("q"), [[] for _ in keys]

    if [len(fields) for fields in keys] == [1]:  # one key of one field (the microdata's pseudonym): the short way
        field, column = keys[0][0], values[0]

        def collect(row):
            numbers.append(row.row_number)
            column.append(row[field])
    else:

        def collect(row):
            numbers.append(row.row_number)
            for column, fields in zip(values, keys, strict=True):
                column.append(row[fields[0]] if len(fields) == 1 else tuple(row[f] for f in fields))

    report = piece.validate(on_row=collect)
    task = report.tasks[0] if report.tasks else None
    return {
        "resources": {name: [e.message for e in task.errors] if task else [e.message for e in report.errors]},
        "rows": task.stats.get("rows", 0) if task else 0,
        "records": _records(data),
        "keys": (numbers, dict(zip(keys, values, strict=True))),
    }


def _key_fields(schema) -> list[tuple[tuple[str, ...], str]]:
    """What must not repeat between rows: the primary key, then each unique field (as frictionless words it)."""
    keys = [(tuple(schema.primary_key), "violates the primary key")] if schema.primary_key else []
    return keys + [
        ((f.name,), f'has unique constraint violation in field "{f.name}" at position "{number}"')
        for number, f in enumerate(schema.fields, start=1)
        if f.constraints.get("unique")
    ]


def _records(data: bytes) -> int:
    """CSV records in whole rows of bytes: line ends outside quoted fields."""
    if b'"' not in data:
        return data.count(b"\n") + (not data.endswith(b"\n") and bool(data))
    import csv
    import io

    return sum(1 for _ in csv.reader(io.StringIO(data.decode("utf-8", errors="replace"), newline="")))


def _row_end(data: bytes, position: int, quotes: int) -> tuple[int, int]:
    """The position after the first line end at or past ``position`` outside quoted fields, given the count of
    quote characters before ``position``; and the count of quotes before the returned position."""
    while True:
        end = data.find(b"\n", position)
        if end < 0:
            return len(data), quotes + data.count(b'"', position)
        quotes += data.count(b'"', position, end)
        position = end + 1
        if quotes % 2 == 0:
            return position, quotes


def _slices(data: bytes, count: int) -> list[tuple[int, int]]:
    """About ``count`` byte ranges of whole CSV rows after the header row."""
    cuts = [_row_end(data, 0, 0)]
    for i in range(1, count):
        target = cuts[0][0] + (len(data) - cuts[0][0]) * i // count
        if target > cuts[-1][0]:
            cut = _row_end(data, target, cuts[-1][1] + data.count(b'"', cuts[-1][0], target))
            if cut[0] < len(data):
                cuts.append(cut)
    ends = [cut for cut, _ in cuts] + [len(data)]
    return [(a, b) for a, b in zip(ends, ends[1:], strict=False) if b > a]


def _refers_to_itself(name: str, schema: dict) -> bool:
    """A foreign key into the same table needs the whole table: such a resource is not sliced."""
    keys = schema.get("foreignKeys", [])
    return not isinstance(keys, list) or any(
        not isinstance(k, dict)
        or not isinstance(k.get("reference"), dict)
        or k["reference"].get("resource", "") in ("", name)
        for k in keys
    )


class _PackagePlan:
    """What to validate of one package, and how its results read."""

    def __init__(self, path: Path, workers: int):
        import json

        self.path, self.name = path, path.parent.name
        try:
            descriptor = json.loads(path.read_text(encoding="utf-8"))
        except ValueError:
            descriptor = {}  # frictionless says what is wrong with it
        resources = [
            r for r in descriptor.get("resources", []) if isinstance(r, dict) and isinstance(r.get("name"), str)
        ]
        self.order = [r["name"] for r in resources]
        self.resources = {r["name"]: r for r in resources}
        self.sliced: dict[str, list[tuple[int, int]]] = {}
        for name, resource in self.resources.items():
            file = self._file(resource)
            schema = resource.get("schema")
            if (
                file is not None
                and workers > 1
                and isinstance(schema, dict)
                and file.suffix == ".csv"
                and resource.get("format", "csv") == "csv"
                and resource.get("scheme", "file") == "file"
                and not _refers_to_itself(name, schema)
            ):
                count = min(workers * 4, file.stat().st_size // SLICE_BYTES)
                if count >= 2:
                    self.sliced[name] = _slices(file.read_bytes(), count)
        self.whole = [n for n in self.order if n not in self.sliced]
        self.aliases: dict[str, tuple[_PackagePlan, str]] = {}
        self.problems: list[str] = []

    def _file(self, resource: dict) -> Path | None:
        path = resource.get("path")
        if not isinstance(path, str) or "://" in path:
            return None
        file = (self.path.parent / path).resolve()
        return file if file.is_file() and self.path.parent.resolve() in file.parents else None

    def _identity(self, name: str, depth: int = 0) -> str | None:
        """Same identity, same validation: the descriptor, the file's bytes and those of its references."""
        import json

        resource = self.resources.get(name)
        file = self._file(resource) if resource else None
        if resource is None or file is None or depth > 3:
            return None
        parts = [json.dumps(resource, sort_keys=True), hashlib.sha256(file.read_bytes()).hexdigest()]
        schema = resource.get("schema")
        for key in schema.get("foreignKeys", []) if isinstance(schema, dict) else []:
            reference = key.get("reference", {}).get("resource", "") if isinstance(key, dict) else ""
            if reference and reference != name:
                parts.append(self._identity(reference, depth + 1) or "?")
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()

    def share(self, seen: dict[str, tuple[_PackagePlan, str]]) -> None:
        """Leave to an earlier package the resources it validates already."""
        for name in list(self.whole):
            identity = self._identity(name)
            if identity is None:
                continue
            if identity in seen:
                self.aliases[name] = seen[identity]
                self.whole.remove(name)
            else:
                seen[identity] = (self, name)

    @property
    def tasks(self) -> list[_Task]:
        cost = sum(f.stat().st_size for n in self.whole if (f := self._file(self.resources[n])) is not None)
        tasks = [_Task((self.name,), cost, self.path, names=self.whole)]
        for name, slices in self.sliced.items():
            tasks += [
                _Task((self.name, name, i), stop - start, self.path, piece=(name, slices[0][0], start, stop))
                for i, (start, stop) in enumerate(slices)
            ]
        return tasks

    def check_whole_files(self) -> None:
        """Bytes and hash of the files validated in slices."""
        from frictionless import errors

        self.problems = []
        for name in self.sliced:
            resource, file = self.resources[name], self._file(self.resources[name])
            data = file.read_bytes() if file else b""
            if resource.get("bytes") and resource["bytes"] != len(data):
                note = f'expected is "{resource["bytes"]}" and actual is "{len(data)}"'
                self.problems.append(f"{self.name}/{name}: {errors.ByteCountError(note=note).message}")
            if isinstance(resource.get("hash"), str):
                algorithm, _, expected = resource["hash"].rpartition(":")
                if (algorithm or "md5") in ("md5", "sha256"):
                    actual = hashlib.new(algorithm or "md5", data).hexdigest()
                    if actual != expected:
                        note = f'expected is "{expected}" and actual is "{actual}"'
                        self.problems.append(f"{self.name}/{name}: {errors.HashCountError(note=note).message}")

    def report(self, results: dict) -> list[str]:
        lines = list(self.problems)
        package = results[(self.name,)]
        for name in self.order:
            if name in self.aliases:
                owner, owner_name = self.aliases[name]
                found = results[(owner.name,)].get("resources", {}).get(owner_name, [])
            elif name in self.sliced:
                found = self._sliced_errors(
                    name, [results[(self.name, name, i)] for i in range(len(self.sliced[name]))]
                )
            else:
                found = package.get("resources", {}).get(name, [])
            lines += [f"{self.name}/{name}: {message}" for message in found[:ERRORS_SHOWN]]
        lines += [f"{self.name}: {message}" for message in package.get("package", [])[:ERRORS_SHOWN]]
        return lines

    def _sliced_errors(self, name: str, parts: list[dict]) -> list[str]:
        """The slices' errors with the file's row numbers; keys repeated between slices; the row count."""
        from frictionless import Schema, errors

        found: dict[str, None] = {}  # a header error shows in every slice: once
        offsets = [0]
        for part in parts:
            offsets.append(offsets[-1] + part.get("records", 0))
        for part, offset in zip(parts, offsets, strict=False):
            for message in part.get("resources", {}).get(name, []) + part.get("package", []):
                found[_ROW_POSITION.sub(lambda m, o=offset: m.group(1) + str(int(m.group(2)) + o), message)] = None
        keys = (
            _key_fields(Schema.from_descriptor(self.resources[name]["schema"]))
            if all("keys" in part for part in parts)
            else []
        )
        for fields in dict.fromkeys(fields for fields, _ in keys):
            for number, earlier in _repeated_between(parts, offsets[:-1], fields):
                for wording in (wording for key, wording in keys if key == fields):
                    found[f'Row at position "{number}" {wording}: the same as in the row at position {earlier}'] = None
        rows = sum(part.get("rows", 0) for part in parts)
        if self.resources[name].get("rows") and self.resources[name]["rows"] != rows:
            note = f'expected is "{self.resources[name]["rows"]}" and actual is "{rows}"'
            found[errors.RowCountError(note=note).message] = None
        return list(found)


def _repeated_between(parts: list[dict], offsets: list[int], fields: tuple[str, ...]):
    """(row, earlier row) for each key that repeats one in another slice, as frictionless would say it when
    validating the file whole (the earlier row is the key's last one before). Repeats within a slice are left
    to frictionless."""
    import numpy as np

    values = [v for part in parts for v in part["keys"][1][fields]]
    if not values:
        return
    piece = np.repeat(np.arange(len(parts)), [len(part["keys"][0]) for part in parts])
    numbers = np.concatenate(
        [np.asarray(part["keys"][0], dtype=np.int64) + offset for part, offset in zip(parts, offsets, strict=True)]
    )
    missing = np.array([v is None or (isinstance(v, tuple) and all(x is None for x in v)) for v in values])
    codes, _ = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=False)
    codes = np.where(missing, -1, codes)
    kept = codes >= 0
    first, last = (
        np.full(codes.max() + 1 if kept.any() else 0, len(parts)),
        np.full(codes.max() + 1 if kept.any() else 0, -1),
    )
    np.minimum.at(first, codes[kept], piece[kept])
    np.maximum.at(last, codes[kept], piece[kept])
    spread = np.flatnonzero(first != last)  # keys in two slices or more
    seen: dict[int, tuple[int, int]] = {}
    for at in np.flatnonzero(np.isin(codes, spread)):
        code, number, index = int(codes[at]), int(numbers[at]), int(piece[at])
        earlier = seen.get(code)
        seen[code] = (number, index)
        if earlier is not None and earlier[1] != index:
            yield number, earlier[0]
