"""Built output folders and the input's identifiers in, findings out: the identifier scan.

``scan_identifiers`` reads every file of the public output as text against every NIK, NIB,
phone number, e-mail and owner name of the input (umkm/gates/identifiers.py's Identifiers) and
against the secrets of the build's environment: text files, the members of zips and workbooks
(nested ones too) and Parquet tables, in overlapping pieces so that memory stays flat, each
content once, in forked worker processes. Each finding names the input row that holds the
identifier, so staff can look at it. ``python -m umkm.gates scan`` runs it from the command line
(umkm/gates/__main__.py).
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa

from umkm.gates.identifiers import MIN_DIGITS, Identifiers

TEXT_SUFFIXES = {
    ".csv",
    ".json",
    ".md",
    ".html",
    ".xml",
    ".txt",
    ".svg",
    ".js",
    ".yml",
    ".yaml",
    ".ttl",
    ".ris",
    ".sqlite",
    ".jsonld",
    ".cff",
    ".bib",
    ".atom",
    ".tsv",
}
ZIP_SUFFIXES = {".xlsx", ".zip"}
MAX_NAME_WORDS = 8  # an owner name is looked for with up to this many words (titles included)


def _secret_forms(value: str) -> set[bytes]:
    """A secret as it may be written in a text file: as it is, JSON- and URL-escaped (its first 1000 bytes,
    shorter than the overlap of the scan's pieces)."""
    import json
    from urllib.parse import quote

    forms = {value, json.dumps(value)[1:-1], quote(value, safe=""), value.replace("&", "&amp;").replace("<", "&lt;")}
    return {form.encode("utf-8")[:1000] for form in forms if form}


def _finding(what: str, where: str) -> str:
    return f"{what} (input: {where})" if where else what


CHUNK = 8 << 20  # big files are read in pieces of this size...
OVERLAP = 1024  # ...each starting with the end of the one before, longer than any identifier
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*")
_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing of word keys
_BLOOM_BITS = 22
_KEEP_BYTES = np.array([(1 << (8 * n)) - 1 for n in range(9)], dtype=np.uint64)  # the first n bytes of 8


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
        # Floats as pandas writes them ("6471015508800002.0"); Arrow would write 6.471015508800002e+15,
        # and the digits of a NIK or phone that became a float would be missed.
        batch = pa.RecordBatch.from_arrays(
            [
                pa.array(c.to_pandas().astype("string"), type=pa.string(), from_pandas=True)
                if pa.types.is_floating(c.type)
                else c
                for c in batch.columns
            ],
            names=batch.schema.names,
        )
        buffer = io.BytesIO()
        try:
            pacsv.write_csv(batch, buffer)
        except (ValueError, NotImplementedError):  # nested types: let pandas spell them out
            buffer = io.BytesIO(batch.to_pandas().astype("string").to_csv(index=False).encode("utf-8"))
        yield buffer.getvalue()


def _runs(mask: np.ndarray, minimum: int) -> tuple[np.ndarray, np.ndarray]:
    """Start and end (exclusive) of each run of True at least ``minimum`` long."""
    edges = np.flatnonzero(np.diff(mask, prepend=False, append=False))
    starts, ends = edges[0::2], edges[1::2]
    if minimum > 1:
        keep = ends - starts >= minimum
        starts, ends = starts[keep], ends[keep]
    return starts, ends


def _word_key(word: bytes) -> int:
    """A word's first 8 letters as a number (_word_keys of one word)."""
    return int.from_bytes(word[:8], "little")


def _word_keys(upper: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """_word_key of each word upper[start:end], at once."""
    padded = np.zeros(len(upper) + 8, dtype=np.uint8)
    padded[: len(upper)] = upper
    at_each_byte = np.ndarray(shape=(len(upper),), dtype="<u8", buffer=padded, strides=(1,))  # 8 bytes from each
    return at_each_byte[starts] & _KEEP_BYTES[np.minimum(ends - starts, 8)]


def _bloom_slot(keys: np.ndarray) -> np.ndarray:
    return (keys * _MULTIPLIER) >> np.uint64(64 - _BLOOM_BITS)


def _bloom(keys: list[int]) -> np.ndarray:
    table = np.zeros(1 << _BLOOM_BITS, dtype=np.bool_)
    table[_bloom_slot(np.array(keys, dtype=np.uint64))] = True
    return table


class _Scanner:
    """Finds identifiers in byte pieces; remembers what it found per content digest."""

    def __init__(self, identifiers: Identifiers, memo: dict | None = None, secrets: dict[str, str] | None = None):
        self.identifiers = identifiers
        self.secrets = sorted((form, name) for name, value in (secrets or {}).items() for form in _secret_forms(value))
        # The memo's findings hold for the same identifiers and secrets: its keys carry the secrets' digest.
        self.salt = hashlib.sha256(repr(self.secrets).encode()).hexdigest()[:16] if self.secrets else ""
        # Every name has two words or more: a text holds a name only if it holds its first two words. The
        # words of a text are its runs of ASCII letters, upper-cased; a word's key is its first 8 letters.
        self.first_pairs = frozenset(tuple(name.encode("ascii", "ignore").split()[:2]) for name in identifiers.names)
        self.pair_keys = frozenset((_word_key(a), _word_key(b)) for a, b in self.first_pairs)
        self.first_word_bloom = _bloom([a for a, _ in self.pair_keys])  # no false negative: a cheap first sieve
        # Names run to several words with their titles ("BAPAK BAHARUDDIN HUSAIN AMD KEB"): all are tried.
        self.most_words = min(MAX_NAME_WORDS, max((name.count(" ") + 1 for name in identifiers.names), default=2))
        self.seen: dict[str, list] = {} if memo is None else memo  # kind:digest -> findings
        self.known: set[str] = set()  # the keys of the files of this scan (each scanned as a file of its own)
        self.sizes: set[int] = set()  # the sizes of the contents scanned or known in this scan
        self.new: list[str] = []  # the keys this scanner added to seen

    def hits(self, piece: bytes) -> set[str]:
        ids = self.identifiers
        data = np.frombuffer(piece, dtype=np.uint8)
        starts, ends = _runs((data - np.uint8(48)) < np.uint8(10), MIN_DIGITS)  # ASCII digits
        runs = {piece[s:e] for s, e in zip(starts.tolist(), ends.tolist(), strict=True)}
        found = {_finding(f"number {n[:4]}…", ids.describe(code)) for n, code in ids.numbers.located(runs).items()}
        starts, ends = _runs(((data | np.uint8(0x20)) - np.uint8(97)) < np.uint8(26), 1)  # ASCII letters
        if len(starts) > 1:
            keys = _word_keys(data & np.uint8(0xDF), starts, ends)
            maybe = np.flatnonzero(self.first_word_bloom[_bloom_slot(keys[:-1])])
            pair_keys = self.pair_keys
            for i in (
                i
                for i, a, b in zip(maybe.tolist(), keys[maybe].tolist(), keys[maybe + 1].tolist(), strict=True)
                if (a, b) in pair_keys
            ):
                last = i + self.most_words
                words = [
                    piece[s:e].upper() for s, e in zip(starts[i:last].tolist(), ends[i:last].tolist(), strict=True)
                ]
                for n in range(2, len(words) + 1):
                    candidate = b" ".join(words[:n]).decode("ascii")
                    if candidate in ids.names:
                        found.add(_finding(f"name {candidate[:3]}…", ids.describe(ids.where.get(candidate, -1))))
        if b"@" in piece and ids.emails:
            windows = [piece[max(0, m.start() - 128) : m.start() + 320] for m in re.finditer(rb"@", piece)]
            text = "\n".join(w.decode("utf-8", errors="replace") for w in windows).lower()
            found |= {
                _finding(f"e-mail {e[:3]}…", ids.describe(ids.where.get(e, -1)))
                for e in set(_EMAIL.findall(text)) & ids.emails
            }
        for form, name in self.secrets:
            if form in piece:
                found.add(f"secret {name} (from the environment)")
        return found

    def key(self, kind: str, digest: str) -> str:
        return f"{kind}:{self.salt}{digest}"

    def scan(self, name: str, open_stream, size: int | None = None) -> list:
        """(inner path, hit or _Same) of one zip member, read through open_stream(), of ``size`` bytes when
        known. The same content is scanned once: a member that is the content of a file of this scan
        (``known``) is left to that file (_Same); if no content seen has its size, it is hashed as it is
        scanned, else hashed first."""
        kind = _kind(name)
        if kind is None:
            return []
        if kind == "text" and size is not None and size not in self.sizes:  # no need to hash it first
            digest = hashlib.sha256()
            found = self._scan_new(kind, lambda: _Hashing(open_stream(), digest))
            key = self.key(kind, digest.hexdigest())
            self._keep(key, found, size)
            return self.seen[key]
        key = self.key(kind, _digest(open_stream))
        if key in self.known:
            return [("", _Same(key))]
        if key not in self.seen:
            self._keep(key, self._scan_new(kind, open_stream), size)
        return self.seen[key]

    def scan_file(self, path: Path, key: str) -> dict[str, list]:
        """Scan one file of this scan (its content key ``key``): what this scanner added to seen."""
        self.new = []
        self._keep(key, self._scan_new(key.split(":")[0], lambda: path.open("rb")), path.stat().st_size)
        return {key: self.seen[key] for key in self.new}

    def _keep(self, key: str, found: list, size: int | None) -> None:
        if key not in self.seen:
            self.seen[key] = found
            self.new.append(key)
        if size is not None:
            self.sizes.add(size)

    def _scan_new(self, kind: str, open_stream) -> list:
        """The findings in one content of a kind."""
        import zipfile

        found: list = []
        if kind in ("text", "parquet"):
            with open_stream() as stream:
                hits = set().union(*map(self.hits, _pieces(stream) if kind == "text" else _parquet_pieces(stream)))
            found = [("", hit) for hit in sorted(hits)]
        elif kind == "zip":
            with open_stream() as raw, zipfile.ZipFile(raw) as archive:
                for info in archive.infolist():
                    if _kind(info.filename) in ("zip", "parquet"):
                        data = archive.read(info)  # these need seeking: read the member whole

                        def member(data=data):
                            return io.BytesIO(data)
                    else:

                        def member(info=info, archive=archive):
                            return archive.open(info)

                    found += [
                        (info.filename + ("/" + inner if inner else ""), hit)
                        for inner, hit in self.scan(info.filename, member, info.file_size)
                    ]
        return found


@dataclass(frozen=True)
class _Same:
    """The findings of another content (by its key), as found when that content is scanned."""

    key: str


class _Hashing:
    """A binary stream read from start to end that feeds what is read from it to a hash."""

    def __init__(self, stream, digest):
        self.stream, self.digest = stream, digest

    def read(self, size: int = -1) -> bytes:
        block = self.stream.read(size)
        self.digest.update(block)
        return block

    def __enter__(self) -> "_Hashing":
        return self

    def __exit__(self, *exc) -> None:
        self.stream.close()


def _kind(name: str) -> str | None:
    """How a file is read by its name: "text", "parquet", "zip" or not at all (None)."""
    suffix = Path(name).suffix.lower()
    if suffix in TEXT_SUFFIXES or suffix == ".rels":
        return "text"
    if suffix == ".parquet":
        return "parquet"
    return "zip" if suffix in ZIP_SUFFIXES else None


def _digest(open_stream) -> str:
    digest = hashlib.sha256()
    with open_stream() as stream:
        for block in iter(lambda: stream.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def _resolved(key: str, seen: dict[str, list], done: dict[str, list]) -> list[tuple[str, str]]:
    """The findings of a content with those of the contents it holds (_Same) put in."""
    if key not in done:
        out = []
        for inner, hit in seen[key]:
            if isinstance(hit, _Same):
                out += [
                    (f"{inner}/{deeper}" if inner and deeper else inner or deeper, deeper_hit)
                    for deeper, deeper_hit in _resolved(hit.key, seen, done)
                ]
            else:
                out.append((inner, hit))
        done[key] = out
    return done[key]


SCAN_WORKERS = 2  # processes of the identifier scan (at most one per core)


def scan_identifiers(
    folders: list[Path],
    identifiers: Identifiers,
    memo: dict | None = None,
    workers: int | None = None,
    secrets: dict[str, str] | None = None,
) -> list[str]:
    """Every identifier of the input found in a public file, as 'file: kind value-prefix (input: file row N,
    column C)', and every secret (name -> value, e.g. environment_secrets()) as 'file: secret NAME'.

    Text files, the members of zips and workbooks (nested ones too) and Parquet tables are
    all read, in overlapping pieces so that memory stays flat for any file size. The same
    bytes are scanned once (the downloads sit in datapackages/, docs/ and site/, and a
    package's workbook sits inside its zip too). ``memo`` (content key -> findings) carries
    what an earlier scan with the same identifiers found, and takes this scan's findings.
    The files are scanned in ``workers`` processes (default: SCAN_WORKERS, at most one a core).
    """
    import os

    scanner = _Scanner(identifiers, memo, secrets)
    files = [
        path for folder in folders if folder.exists() for path in sorted(p for p in folder.rglob("*") if p.is_file())
    ]
    key_of: dict[Path, str] = {}
    todo: dict[str, Path] = {}  # each content not in the memo, at its first file
    for path in files:
        kind = _kind(path.name)
        if kind is None:
            continue
        digest = _digest(lambda path=path: path.open("rb"))
        key_of[path] = key = scanner.key(kind, digest)
        if key not in scanner.seen and key not in todo:
            todo[key] = path
    scanner.known = set(todo)
    scanner.sizes = {path.stat().st_size for path in key_of}
    workers = min(workers or min(SCAN_WORKERS, os.cpu_count() or 1), len(todo))
    tasks = sorted(todo.items(), key=lambda item: -_cost(item[1]))
    if workers > 1:
        results = _in_processes(scanner, tasks, workers)
    else:
        results = [scanner.scan_file(path, key) for key, path in tasks]
    for result in results:
        for key, found in result.items():
            scanner.seen.setdefault(key, found)
    done: dict[str, list] = {}
    for key in list(scanner.seen):
        if key in todo or any(isinstance(hit, _Same) for _, hit in scanner.seen[key]):
            scanner.seen[key] = _resolved(key, scanner.seen, done)
    return [
        f"{path}{'/' + inner if inner else ''}: {hit}"
        for path in files
        if path in key_of
        for inner, hit in scanner.seen[key_of[path]]
    ]


def _cost(path: Path) -> int:
    """About the bytes a file's scan reads: a zip's members uncompressed."""
    import zipfile

    if _kind(path.name) == "zip":
        try:
            with zipfile.ZipFile(path) as archive:
                return sum(info.file_size for info in archive.infolist())
        except (zipfile.BadZipFile, OSError):
            pass
    return path.stat().st_size


_worker_scanner: _Scanner | None = None


def _scan_in_worker(key: str, path: Path) -> dict[str, list]:
    return _worker_scanner.scan_file(path, key)


def _in_processes(scanner: _Scanner, tasks: list[tuple[str, Path]], workers: int) -> list[dict[str, list]]:
    """scan_file of each task in forked worker processes, the largest first, each worker taking the next
    task when it is done (the workers inherit the scanner: its identifiers are not copied)."""
    import gc
    import multiprocessing

    global _worker_scanner
    _worker_scanner = scanner
    gc.freeze()  # the workers then do not copy the parent's objects by touching them
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            return pool.starmap(_scan_in_worker, tasks, chunksize=1)
    finally:
        gc.unfreeze()
        _worker_scanner = None
