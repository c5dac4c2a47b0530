"""Built output folders in, a list of failures out: the checks a release must pass before it is swapped in.

- ``validate_packages``: frictionless validation of every datapackage.json (schema,
  types, constraints, bytes and hash).
- ``scan_identifiers``: every file of the public output, read as text, against every
  NIK, NIB, phone number, e-mail and owner name of the input.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

TEXT_SUFFIXES = {".csv", ".json", ".md", ".html", ".xml", ".txt", ".svg", ".js", ".yml", ".yaml", ".ttl",
                 ".jsonld", ".cff", ".bib", ".atom", ".tsv"}
ZIP_SUFFIXES = {".xlsx", ".zip"}


class GateError(Exception):
    pass


@dataclass(frozen=True)
class Identifiers:
    """What must never be published: digit strings and owner names from the input."""

    numbers: frozenset[str]  # NIK (16), NIB (13) and phone digits, in every written form
    names: frozenset[str]  # owner names of two or more words, upper case
    emails: frozenset[str]

    @classmethod
    def from_rows(cls, raw_frames: list[pd.DataFrame], normalised: pd.DataFrame,
                  header_words: tuple[str, ...] = ()) -> "Identifiers":
        numbers: set[str] = set()
        for column in ("nik", "nib"):
            numbers |= set(normalised[column].dropna().astype(str))
        for phone in normalised["phone"].dropna().astype(str):
            digits = phone.lstrip("+")
            numbers |= {digits, "0" + digits[2:]}
        names: set[str] = set()
        emails: set[str] = set()
        for frame in raw_frames:
            for column in ("nik", "nib", "no_hp", "no_telp"):
                if column in frame:
                    for value in frame[column].dropna().astype(str):
                        digits = re.sub(r"\D", "", value)
                        if len(digits) >= 10:
                            numbers.add(digits)
            for column in ("nama_pemilik", "nama_pelaku_usaha"):
                if column in frame:
                    names |= {n for n in (_name_key(v) for v in frame[column].dropna().astype(str)) if n.count(" ") >= 1}
            if "email" in frame:
                emails |= {e.strip().lower() for e in frame["email"].dropna().astype(str) if "@" in e}
        # A header row pasted into the data ("NAMA PEMILIK") is not a person's name.
        names -= {_name_key(h) for h in header_words}
        return cls(frozenset(numbers), frozenset(names), frozenset(emails))


def _name_key(text: str) -> str:
    return " ".join(re.sub(r"[^A-Z ]+", " ", text.upper()).split())


def _texts_of(path: Path, data: bytes):
    """The readable text inside one public file: itself, its zip members, or its Parquet table."""
    import io
    import zipfile

    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        yield path, data.decode("utf-8", errors="replace")
    elif suffix in ZIP_SUFFIXES:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for info in archive.infolist():
                inner = Path(info.filename)
                if inner.suffix.lower() in ZIP_SUFFIXES | {".parquet"}:
                    yield from _texts_of(path / inner, archive.read(info))
                elif inner.suffix.lower() in TEXT_SUFFIXES | {".xml", ".rels"}:
                    yield path / inner, archive.read(info).decode("utf-8", errors="replace")
    elif suffix == ".parquet":
        yield path, pd.read_parquet(io.BytesIO(data)).astype("string").to_csv(index=False)


def _names_in(words: list[str], names: frozenset[str], first_words: frozenset[str]) -> set[str]:
    found = set()
    for i, word in enumerate(words):
        if word in first_words:
            for n in (2, 3, 4):
                candidate = " ".join(words[i:i + n])
                if candidate in names:
                    found.add(candidate)
    return found


def _hits(text: str, identifiers: Identifiers, first_words: frozenset[str]) -> list[str]:
    hits = [f"number {run[:4]}…" for run in sorted(set(re.findall(r"\d{10,}", text)) & identifiers.numbers)]
    words = re.sub(r"[^A-Z ]+", " ", text.upper()).split()
    hits += [f"name {name[:3]}…" for name in sorted(_names_in(words, identifiers.names, first_words))]
    emails = set(re.findall(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*", text.lower()))
    hits += [f"e-mail {email[:3]}…" for email in sorted(emails & identifiers.emails)]
    return hits


def scan_identifiers(folders: list[Path], identifiers: Identifiers) -> list[str]:
    """Every identifier of the input found in a public file, as 'file: kind value-prefix'.

    Text files, the members of zips and workbooks (nested ones too) and Parquet tables are
    all read. The same bytes are scanned once (the downloads sit in datapackages/, docs/
    and site/).
    """
    found = []
    first_words = frozenset(name.split()[0] for name in identifiers.names)
    seen: dict[str, list[tuple[str, str]]] = {}
    for folder in folders:
        if not folder.exists():
            continue
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            data = path.read_bytes()
            digest = hashlib.sha256(data).hexdigest()
            if digest not in seen:
                seen[digest] = [(str(inner.relative_to(path)) if inner != path else "", hit)
                                for inner, text in _texts_of(path, data)
                                for hit in _hits(text, identifiers, first_words)]
            found += [f"{path}{'/' + inner if inner else ''}: {hit}" for inner, hit in seen[digest]]
    return found


def validate_packages(folder: Path) -> list[str]:
    """Frictionless validation of every package under the folder: one line per error."""
    from frictionless import Package, system

    errors = []
    for descriptor in sorted(folder.glob("*/datapackage.json")):
        with system.use_context(trusted=True):
            package = Package(str(descriptor))
            report = package.validate()
        if not report.valid:
            for task in report.tasks:
                for error in task.errors[:5]:
                    errors.append(f"{descriptor.parent.name}/{task.name}: {error.message}")
            for error in report.errors[:5]:
                errors.append(f"{descriptor.parent.name}: {error.message}")
    return errors
