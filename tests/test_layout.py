"""The package's layout: one folder per stage, imports that run one way, no module too long to read.

The stage order is ingest -> reconcile -> disclose -> package -> catalogue -> site -> gates -> build (umkm/build/
stages.py, FLOW). A module may import from its own folder, from the folders before it and from the base modules
directly in umkm/ (paths, reference, xlsx, vocabulary), which import no stage. Every import counts, also one made
inside a function (a lazy import is still a dependency).
"""

from __future__ import annotations

import ast
from pathlib import Path

from umkm import paths
from umkm.build import stages

BASE = "base"
ORDER = {BASE: -1, **{folder: rank for rank, folder in enumerate(stages.FLOW)}}
LONG = 620  # lines: about 600, with a little room
LEFT_WHOLE = {"umkm/ingest/synthetic.py", "umkm/reconcile/normalise.py", "umkm/disclose/sdc_microdata.py"}


def modules() -> list[Path]:
    return sorted(p for p in paths.PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def name_of(path: Path) -> str:
    return path.relative_to(paths.PACKAGE.parent).as_posix()


def stage_of(module: str) -> str:
    """The stage folder of a dotted module name under umkm (BASE for umkm itself and the modules directly in it)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in stages.FLOW else BASE


def imports(path: Path) -> list[tuple[int, str]]:
    """Every module of the package that ``path`` imports (line, dotted name), anywhere in it."""
    package = ".".join(path.relative_to(paths.PACKAGE.parent).with_suffix("").parts[:-1])
    if path.name == "__init__.py":
        package = ".".join(path.relative_to(paths.PACKAGE.parent).parts[:-1])
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from the module's own package upwards
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, *([base] if base else [])])
            # "from umkm import paths" imports umkm.paths; "from umkm.ingest import exports" umkm.ingest.exports
            found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
    return [(line, name) for line, name in found if name == "umkm" or name.startswith("umkm.")]


def upward_imports() -> list[str]:
    """Each import that runs back up the flow: "file:line: imports module (stage -> later stage)"."""
    found = []
    for path in modules():
        own = stage_of(".".join(path.relative_to(paths.PACKAGE.parent).with_suffix("").parts))
        for line, module in imports(path):
            if ORDER[stage_of(module)] > ORDER[own]:
                found.append(f"{name_of(path)}:{line}: imports {module} ({own} -> {stage_of(module)})")
    return found


def test_every_folder_of_the_package_is_a_stage_of_the_flow():
    folders = {p.name for p in paths.PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").is_file()}
    assert folders == set(stages.FLOW)
    assert {f for s in stages.STAGES for f in s.folders} <= set(stages.FLOW)


def test_the_import_walker_sees_lazy_and_relative_imports(tmp_path, monkeypatch):
    package = tmp_path / "umkm"
    (package / "disclose").mkdir(parents=True)
    (package / "disclose" / "lazy.py").write_text(
        "from umkm import paths\n"
        "def later():\n    from umkm.package import schemas\n    import umkm.site.pages\n    from ..catalogue import x\n"
    )
    monkeypatch.setattr(paths, "PACKAGE", package)
    assert imports(package / "disclose" / "lazy.py") == [
        (1, "umkm.paths"),
        (3, "umkm.package.schemas"),
        (4, "umkm.site.pages"),
        (5, "umkm.catalogue.x"),
    ]
    assert [line.split(": ", 1)[1] for line in upward_imports()] == [
        "imports umkm.package.schemas (disclose -> package)",
        "imports umkm.site.pages (disclose -> site)",
        "imports umkm.catalogue.x (disclose -> catalogue)",
    ]


def test_no_import_runs_back_up_a_stage():
    """ingest -> reconcile -> disclose -> package -> catalogue -> site -> gates -> build, the base modules below all."""
    assert upward_imports() == []


def test_no_module_is_over_about_600_lines():
    """Except the three big modules that each do one thing (issue 18): the synthetic register, normalisation and
    the microdata's disclosure control."""
    long = {name_of(p): n for p in modules() if (n := len(p.read_text(encoding="utf-8").splitlines())) > LONG}
    assert {name: n for name, n in long.items() if name not in LEFT_WHOLE} == {}
