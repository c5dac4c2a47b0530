"""Helpers shared by the test modules."""

import hashlib
from pathlib import Path


def tree_hashes(folder: Path) -> dict[str, str]:
    """sha256 of every file under folder, by relative path: equal dicts mean byte-identical trees."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}
