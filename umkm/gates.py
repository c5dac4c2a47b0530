"""Built output folders in, a list of failures out: the checks a release must pass before it is swapped in.

- ``validate_packages``: frictionless validation of every datapackage.json (schema,
  types, constraints, bytes and hash).
- ``scan_identifiers``: every file of the public output, read as text, against every
  NIK, NIB, phone number, e-mail and owner name of the input.
"""

from __future__ import annotations

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
    def from_rows(cls, raw_frames: list[pd.DataFrame], normalised: pd.DataFrame) -> "Identifiers":
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
        return cls(frozenset(numbers), frozenset(names), frozenset(emails))


def _name_key(text: str) -> str:
    return " ".join(re.sub(r"[^A-Z ]+", " ", text.upper()).split())


def _texts(folder: Path):
    import zipfile

    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        if path.suffix.lower() in TEXT_SUFFIXES:
            yield path, path.read_text(encoding="utf-8", errors="replace")
        elif path.suffix.lower() in ZIP_SUFFIXES:
            with zipfile.ZipFile(path) as archive:
                for info in archive.infolist():
                    if Path(info.filename).suffix.lower() in TEXT_SUFFIXES | {".xml", ".rels"}:
                        yield path / info.filename, archive.read(info).decode("utf-8", errors="replace")
        elif path.suffix.lower() == ".parquet":
            yield path, pd.read_parquet(path).astype("string").to_csv(index=False)


def scan_identifiers(folders: list[Path], identifiers: Identifiers) -> list[str]:
    """Every identifier of the input found in a public file, as 'file: kind value-prefix'."""
    found = []
    for folder in folders:
        if not folder.exists():
            continue
        for path, text in _texts(folder):
            for run in set(re.findall(r"\d{10,}", text)):
                if run in identifiers.numbers:
                    found.append(f"{path}: number {run[:4]}…")
            upper = text.upper()
            words = re.sub(r"[^A-Z ]+", " ", upper).split()
            grams = {" ".join(words[i:i + n]) for n in (2, 3, 4) for i in range(len(words) - n + 1)}
            for name in sorted(grams & identifiers.names):
                found.append(f"{path}: name {name[:3]}…")
            lower = text.lower()
            for email in identifiers.emails:
                if email in lower:
                    found.append(f"{path}: e-mail {email[:3]}…")
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
