"""A private folder in, one sealed file out (and back): the register's memory carried between nightly runs on a
GitHub-hosted runner, never as plain text.

The private folder (actor ids, record keys, staff decisions, the review workbook, each release's truth) holds
personal data (UU PDP 27/2022). The recommended setup keeps it on the office's own machine (a self-hosted
runner with a persistent folder). Where a hosted runner is used, the folder travels only sealed: a tar of its
regular files, encrypted and authenticated with AES-256-GCM under a 32-byte key from the secret
``UMKM_STATE_KEY`` (base64 or hex). The file is ``MAGIC`` + a random 12-byte nonce + the ciphertext; the magic
is the associated data, so a file of another format or a tampered one is refused, never half-read.

    python -m umkm.build.state seal OUT/private state.bin      # key in UMKM_STATE_KEY
    python -m umkm.build.state unseal state.bin OUT/private
    python -m umkm.build.state new-key                          # a fresh key, to store as the secret
"""

from __future__ import annotations

import argparse
import base64
import binascii
import io
import os
import sys
import tarfile
from pathlib import Path

MAGIC = b"UMKM-STATE-1\n"
NONCE_BYTES = 12
KEY_ENV = "UMKM_STATE_KEY"


class StateError(Exception):
    """The sealed state cannot be made or read (wrong key, damaged file, unsafe member)."""


def parse_key(text: str | None) -> bytes:
    if not text:
        raise StateError(f"{KEY_ENV} is not set: the private state cannot be sealed or unsealed without it")
    text = text.strip()
    for decode in (lambda t: binascii.unhexlify(t), lambda t: base64.b64decode(t, validate=True)):
        try:
            key = decode(text)
        except (binascii.Error, ValueError):
            continue
        if len(key) == 32:
            return key
    raise StateError(
        f"{KEY_ENV} must be 32 bytes, written as 64 hex digits or base64 (python -m umkm.build.state new-key)"
    )


def _tar(folder: Path) -> bytes:
    """The folder's regular files (links and other special files are refused), in name order, with fixed
    owners and times (the same folder gives the same tar)."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for path in sorted(folder.rglob("*")):
            relative = path.relative_to(folder).as_posix()
            if path.is_symlink():
                raise StateError(f"{path}: a link in the private folder; the state is not sealed")
            info = tarfile.TarInfo(relative)
            info.mtime, info.uid, info.gid, info.uname, info.gname = 0, 0, 0, "", ""
            if path.is_dir():
                info.type, info.mode = tarfile.DIRTYPE, 0o700
                tar.addfile(info)
            elif path.is_file():
                data = path.read_bytes()
                info.size, info.mode = len(data), 0o600
                tar.addfile(info, io.BytesIO(data))
            else:
                raise StateError(f"{path}: not a regular file; the state is not sealed")
    return buffer.getvalue()


def seal(folder: Path, key: bytes) -> bytes:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    nonce = os.urandom(NONCE_BYTES)
    return MAGIC + nonce + AESGCM(key).encrypt(nonce, _tar(folder), MAGIC)


def unseal(data: bytes, key: bytes, folder: Path) -> list[str]:
    """Decrypt and unpack into ``folder`` (which must not exist yet); returns the files written."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    if not data.startswith(MAGIC) or len(data) < len(MAGIC) + NONCE_BYTES + 16:
        raise StateError("not a sealed private state of this project (wrong file or format)")
    nonce = data[len(MAGIC) : len(MAGIC) + NONCE_BYTES]
    try:
        plain = AESGCM(key).decrypt(nonce, data[len(MAGIC) + NONCE_BYTES :], MAGIC)
    except InvalidTag:
        raise StateError("the sealed private state does not open with this key, or it was altered") from None
    if folder.exists():
        raise StateError(f"{folder} exists already: unseal into a new folder")
    written = []
    with tarfile.open(fileobj=io.BytesIO(plain), mode="r") as tar:
        members = tar.getmembers()
        for member in members:  # checked before anything is written
            if (
                not (member.isfile() or member.isdir())
                or member.name.startswith("/")
                or ".." in Path(member.name).parts
            ):
                raise StateError(f"unsafe entry in the sealed state: {member.name!r}")
        folder.mkdir(parents=True, mode=0o700)
        for member in members:
            target = folder / member.name
            if member.isdir():
                target.mkdir(parents=True, exist_ok=True, mode=0o700)
                continue
            target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            source = tar.extractfile(member)
            with open(target, "wb", opener=lambda p, f: os.open(p, f, 0o600)) as stream:
                stream.write(source.read() if source else b"")
            written.append(member.name)
    return written


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m umkm.build.state",
        description=__doc__.split("\n\n")[0],
        epilog=f"The key comes from the environment variable {KEY_ENV}. Exit status: "
        "0 done; 2 the state cannot be sealed or opened (the message says why).",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("seal", help="seal a private folder into one encrypted file")
    s.add_argument("folder", type=Path)
    s.add_argument("sealed", type=Path)
    u = sub.add_parser("unseal", help="open a sealed file into a new private folder")
    u.add_argument("sealed", type=Path)
    u.add_argument("folder", type=Path)
    sub.add_parser("new-key", help="print a fresh random key (64 hex digits) to store as the secret")
    args = parser.parse_args(argv)
    try:
        if args.command == "new-key":
            print(os.urandom(32).hex())
            return 0
        key = parse_key(os.environ.get(KEY_ENV))
        if args.command == "seal":
            if not args.folder.is_dir():
                raise StateError(f"{args.folder}: no such folder")
            data = seal(args.folder, key)
            fresh = args.sealed.with_name(args.sealed.name + ".new")
            fresh.write_bytes(data)
            fresh.replace(args.sealed)
            print(f"sealed {args.folder} into {args.sealed} ({len(data):,} bytes)", file=sys.stderr)
        else:
            written = unseal(args.sealed.read_bytes(), key, args.folder)
            print(f"unsealed {len(written)} files into {args.folder}", file=sys.stderr)
    except (StateError, OSError) as error:
        print(f"umkm.build.state: error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
