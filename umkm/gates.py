"""Built output folders in, a list of failures out: the checks a release must pass before it is swapped in.

- ``validate_packages``: frictionless validation of every datapackage.json (schema,
  types, constraints, bytes and hash).
- ``scan_identifiers``: every file of the public output, read as text, against every
  NIK, NIB, phone number, e-mail and owner name of the input.
"""

from __future__ import annotations

import hashlib
import io
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
        def text(series: pd.Series) -> pd.Series:
            return series.dropna().astype(str)

        def values(series: pd.Series) -> set[str]:
            return set(series.tolist())  # not set(series): iterating Arrow strings one by one is slow

        numbers: set[str] = set()
        for column in ("nik", "nib"):
            numbers |= values(text(normalised[column]))
        phones = text(normalised["phone"]).str.lstrip("+")
        numbers |= values(phones) | values("0" + phones.str[2:])
        names: set[str] = set()
        emails: set[str] = set()
        for frame in raw_frames:
            for column in ("nik", "nib", "no_hp", "no_telp"):
                if column in frame:
                    digits = text(frame[column]).str.replace(r"\D", "", regex=True)
                    numbers |= values(digits[digits.str.len() >= 10])
            for column in ("nama_pemilik", "nama_pelaku_usaha"):
                if column in frame:
                    keys = text(frame[column]).str.upper().str.replace(r"[^A-Z]+", " ", regex=True).str.strip()
                    names |= values(keys[keys.str.contains(" ", regex=False)])
            if "email" in frame:
                emails |= {e for e in values(text(frame["email"]).str.strip().str.lower()) if "@" in e}
        # A header row pasted into the data ("NAMA PEMILIK") is not a person's name.
        names -= {_name_key(h) for h in header_words}
        return cls(frozenset(numbers), frozenset(names), frozenset(emails))


def _name_key(text: str) -> str:
    return " ".join(re.sub(r"[^A-Z ]+", " ", text.upper()).split())


CHUNK = 8 << 20  # big files are read in pieces of this size...
OVERLAP = 1024  # ...each starting with the end of the one before, longer than any identifier
_DIGITS = re.compile(rb"\d{10,}")
_LETTERS_ONLY = bytes(c if 65 <= c <= 90 else 32 for c in range(256))  # after upper(): A-Z kept, all else a space
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*")


def _pieces(stream):
    """Overlapping pieces of a binary stream, so a 1 GB file never sits in memory at once."""
    tail = b""
    while piece := stream.read(CHUNK):
        yield tail + piece
        tail = piece[-OVERLAP:]


def _parquet_pieces(stream):
    """A Parquet table as CSV text, batch by batch."""
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    for batch in pq.ParquetFile(stream).iter_batches(batch_size=100_000):
        buffer = io.BytesIO()
        try:
            pacsv.write_csv(batch, buffer)
        except (ValueError, NotImplementedError):  # nested types: let pandas spell them out
            buffer = io.BytesIO(batch.to_pandas().astype("string").to_csv(index=False).encode("utf-8"))
        yield buffer.getvalue()


class _Scanner:
    """Finds identifiers in byte pieces; remembers what it found per content digest."""

    def __init__(self, identifiers: Identifiers, memo: dict | None = None):
        self.identifiers = identifiers
        # Every name has two words or more: a text holds a name only if it holds its first two words.
        self.first_pairs = frozenset(tuple(name.encode("ascii", "ignore").split()[:2]) for name in identifiers.names)
        self.first_words = frozenset(first for first, _ in self.first_pairs)
        self.seen: dict[str, list[tuple[str, str]]] = {} if memo is None else memo

    def hits(self, piece: bytes) -> set[str]:
        ids = self.identifiers
        found = {f"number {n[:4]}…" for n in {r.decode("ascii") for r in set(_DIGITS.findall(piece))} & ids.numbers}
        words = piece.upper().translate(_LETTERS_ONLY).split()
        if not self.first_pairs.isdisjoint(zip(words, words[1:])):  # only then look for whole names
            for i in (i for i, w in enumerate(words) if w in self.first_words):
                for n in (2, 3, 4):
                    candidate = b" ".join(words[i:i + n]).decode("ascii")
                    if candidate in ids.names:
                        found.add(f"name {candidate[:3]}…")
        if b"@" in piece and ids.emails:
            windows = [piece[max(0, m.start() - 128):m.start() + 320] for m in re.finditer(rb"@", piece)]
            text = "\n".join(w.decode("utf-8", errors="replace") for w in windows).lower()
            found |= {f"e-mail {e[:3]}…" for e in set(_EMAIL.findall(text)) & ids.emails}
        return found

    def scan(self, name: str, open_stream) -> list[tuple[str, str]]:
        """(inner path, hit) of one file or zip member, read through open_stream() (cached by digest)."""
        digest = hashlib.sha256()
        with open_stream() as stream:
            for block in iter(lambda: stream.read(CHUNK), b""):
                digest.update(block)
        key = digest.hexdigest()
        if key not in self.seen:
            self.seen[key] = self._scan_new(name, open_stream)
        return self.seen[key]

    def _scan_new(self, name: str, open_stream) -> list[tuple[str, str]]:
        import zipfile

        suffix = Path(name).suffix.lower()
        found: list[tuple[str, str]] = []
        if suffix in TEXT_SUFFIXES | {".rels"}:
            with open_stream() as stream:
                hits = set().union(*map(self.hits, _pieces(stream)))
            found = [("", hit) for hit in sorted(hits)]
        elif suffix == ".parquet":
            with open_stream() as stream:
                hits = set().union(*map(self.hits, _parquet_pieces(stream)))
            found = [("", hit) for hit in sorted(hits)]
        elif suffix in ZIP_SUFFIXES:
            with open_stream() as raw, zipfile.ZipFile(raw) as archive:
                for info in archive.infolist():
                    if Path(info.filename).suffix.lower() in ZIP_SUFFIXES | {".parquet"}:
                        data = archive.read(info)  # nested zips need seeking: read the member whole

                        def member(data=data):
                            return io.BytesIO(data)
                    else:
                        def member(info=info, archive=archive):
                            return archive.open(info)
                    found += [(info.filename + ("/" + inner if inner else ""), hit)
                              for inner, hit in self.scan(info.filename, member)]
        return found


def scan_identifiers(folders: list[Path], identifiers: Identifiers, memo: dict | None = None) -> list[str]:
    """Every identifier of the input found in a public file, as 'file: kind value-prefix'.

    Text files, the members of zips and workbooks (nested ones too) and Parquet tables are
    all read, in overlapping pieces so that memory stays flat for any file size. The same
    bytes are scanned once (the downloads sit in datapackages/, docs/ and site/, and a
    package's workbook sits inside its zip too). ``memo`` (content digest -> findings) carries
    what an earlier scan with the same identifiers found, and takes this scan's findings.
    """
    scanner = _Scanner(identifiers, memo)
    found = []
    for folder in folders:
        if not folder.exists():
            continue
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            found += [f"{path}{'/' + inner if inner else ''}: {hit}"
                      for inner, hit in scanner.scan(path.name, lambda path=path: path.open("rb"))]
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
