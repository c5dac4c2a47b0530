"""The README's stage table is generated from the declared stage list (umkm/build/stages.py) and names every
module of the package, each in its own stage folder's row (issue 18, defect 5: it had left out site_sections)."""

from __future__ import annotations

import re

from umkm import paths
from umkm.build import readme, stages


def table_rows() -> dict[str, list[str]]:
    """The README's stage table as written: each folder's row and the modules it names."""
    text = (paths.REPO / "README.md").read_text(encoding="utf-8")
    table = text[text.index(readme.BEGIN) + len(readme.BEGIN) : text.index(readme.END)]
    rows = {}
    for line in table.strip().splitlines()[2:]:
        cells = [c.strip() for c in line.strip("|").split("|")]
        rows[cells[0]] = re.findall(r"`([^`]+)`", cells[2])
    return rows


def test_the_readme_stage_table_is_current():
    """Else: python -m umkm.build.readme"""
    text = (paths.REPO / "README.md").read_text(encoding="utf-8")
    assert readme.with_table(text) == text


def test_the_stage_table_names_exactly_the_modules_of_each_stage_folder():
    rows = table_rows()
    assert list(rows) == [*stages.FLOW, readme.BASE]
    for folder in stages.FLOW:
        on_disk = sorted(
            f"umkm/{folder}/{p.name}" for p in (paths.PACKAGE / folder).glob("*.py") if p.name != "__init__.py"
        )
        assert sorted(rows[folder]) == on_disk, folder
    assert sorted(rows[readme.BASE]) == sorted(
        f"umkm/{p.name}" for p in paths.PACKAGE.glob("*.py") if p.name != "__init__.py"
    )


def test_every_module_of_the_package_is_named_once():
    named = [m for modules in table_rows().values() for m in modules]
    every = sorted(
        p.relative_to(paths.PACKAGE.parent).as_posix()
        for p in paths.PACKAGE.rglob("*.py")
        if p.name != "__init__.py" and "__pycache__" not in p.parts
    )
    assert sorted(named) == every
    assert "umkm/site/data_pages.py" in named  # the page kinds of site_sections.py, missing from the hand-written table


def test_the_stage_table_names_each_build_stage_in_its_folder():
    text = (paths.REPO / "README.md").read_text(encoding="utf-8")
    for stage in stages.STAGES:
        row = next(line for line in text.splitlines() if line.startswith(f"| {stage.folders[0]} |"))
        assert stage.name in row.split("|")[2], stage.name


def test_no_module_cites_a_design_document_the_repository_lacks():
    """Defect 5: umkm/__init__.py and the reconcile module cited a DESIGN.md; the README is the design document."""
    assert not (paths.REPO / "DESIGN.md").exists()
    citing = [
        p.relative_to(paths.REPO).as_posix()
        for p in sorted(paths.PACKAGE.rglob("*.py"))
        if "DESIGN.md" in p.read_text(encoding="utf-8")
    ]
    assert citing == []
