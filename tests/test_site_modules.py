"""The site stage's modules import one way: no cycle (not even through a lazy import inside a function),
and no private name (leading underscore) used from another module."""

from __future__ import annotations

import ast
from pathlib import Path

from umkm import paths

SITE = paths.PACKAGE / "site"


def _site_imports(path: Path) -> tuple[set[str], list[str]]:
    """(site modules imported anywhere in the file, private names it takes from another site module)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported, private = set(), []
    aliases: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "umkm.site":
            for alias in node.names:
                imported.add(alias.name)
                aliases[alias.asname or alias.name] = alias.name
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("umkm.site."):
            module = node.module.split(".")[2]
            imported.add(module)
            private += [f"{module}.{a.name}" for a in node.names if a.name.startswith("_")]
        elif isinstance(node, ast.Import):
            imported.update(a.name.split(".")[2] for a in node.names if a.name.startswith("umkm.site."))
    for node in ast.walk(tree):  # module._name through an imported site module
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in aliases
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
        ):
            private.append(f"{aliases[node.value.id]}.{node.attr}")
    imported.discard(path.stem)
    return imported, private


def _graph() -> dict[str, set[str]]:
    return {path.stem: _site_imports(path)[0] for path in sorted(SITE.glob("*.py")) if path.stem != "__init__"}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}  # 1: on the path, 2: done

    def visit(node: str, path: list[str]) -> list[str] | None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return path + [node, nxt]
            if nxt not in state and (found := visit(nxt, path + [node])):
                return found
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (found := visit(start, [])):
            return found
    return None


def test_site_modules_import_one_way():
    graph = _graph()
    assert {"render", "context", "figures", "pages", "mkdocs"} <= set(graph)
    assert _cycle(graph) is None, f"import cycle in umkm/site: {' -> '.join(_cycle(graph))}"
    # the entry point is imported by no page kind, and the MkDocs build by none of the page modules
    assert not [m for m, deps in graph.items() if "pages" in deps]
    assert not [m for m, deps in graph.items() if "mkdocs" in deps]


def test_no_private_name_crosses_site_modules():
    private = {path.name: found for path in sorted(SITE.glob("*.py")) if (found := _site_imports(path)[1])}
    assert not private, f"private names used from another site module: {private}"


def test_cycle_finder_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None
