"""One vocabulary (umkm/vocabulary.py): the domain's words are written once and everything else refers to them.

- The licence URL, the PP 7/2021 size bounds and the publisher's full name are literals of the vocabulary only
  (a grep of the code finds each in one place).
- The coded fields of the Table Schemas carry Table Schema v2 ``categories`` (value, label and, as the custom
  property ``label_en``, the English label) and their ``constraints.enum`` is derived from them.
- One formula guard: the site's CSVs guard a cell as the packages do ("-5" too).
- disclose never imports package (not even inside a function).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from umkm import vocabulary
from umkm.package import citation, schemas
from umkm.site import context, render
from umkm.xlsx import safe_text

ROOT = Path(__file__).resolve().parent.parent
CODE = [ROOT / "build_data.py", *sorted((ROOT / "umkm").rglob("*.py")), *sorted((ROOT / "umkm").rglob("*.j2"))]


def _holding(pattern: str) -> list[str]:
    return sorted(str(p.relative_to(ROOT)) for p in CODE if re.search(pattern, p.read_text(encoding="utf-8")))


# Not a size bound: the synthetic generator writes amounts of a miliar or more as "1,5 M".
ONE_MILIAR_AS_A_UNIT = {"umkm/ingest/synthetic.py"}


@pytest.mark.parametrize(
    "pattern",
    [
        re.escape(vocabulary.LICENCE.url),
        re.escape(vocabulary.PUBLISHER),
        *(
            rf"\b{re.escape(f'{bound:_}')}\b|\b{bound}\b"
            for s in vocabulary.SIZE_CLASSES
            for bound in (s.max_modal, s.max_omzet)
        ),
    ],
)
def test_the_vocabulary_is_written_once(pattern):
    found = set(_holding(pattern))
    if "1_000_000_000" in pattern:
        found -= ONE_MILIAR_AS_A_UNIT
    assert sorted(found) == ["umkm/vocabulary.py"]


def test_coded_fields_carry_categories_and_their_enum_is_derived():
    coded = {name: f for name, f in schemas.FIELDS.items() if "enum" in f.get("constraints", {})}
    assert {
        "skala_usaha",
        "jenis_kelamin",
        "sentra",
        "kelompok_umur",
        "kelompok_omzet",
        "sumber",
        "pelatihan_ya_tidak",
    } <= set(coded)
    for name, f in coded.items():
        values = [c["value"] if isinstance(c, dict) else c for c in f["categories"]]
        assert f["constraints"]["enum"] == values, name
        assert f["type"] == "string", name  # v2 allows categories on string (and integer) fields
    size = schemas.FIELDS["skala_usaha"]
    assert size["categories"] == [
        {"value": s.code, "label": s.label, "label_en": s.label_en} for s in vocabulary.SIZE_CLASSES
    ]
    assert size["categoriesOrdered"] is True
    assert [c["label_en"] for c in schemas.field("masih_aktif", table_dimension=True)["categories"]] == ["Yes", "No"]


def test_the_site_labels_come_from_the_vocabulary():
    assert context.FIXED_LABELS["skala_usaha"] == {s.code: (s.label, s.label_en) for s in vocabulary.SIZE_CLASSES}
    assert set(vocabulary.YES_NO_DIMENSIONS) <= set(context.FIXED_LABELS)


@pytest.mark.parametrize(
    "value", ["-5", "-", "-2+3+cmd|' /C calc'!A0", "=1+1", "+62", "@SUM(A1)", "\tx", "\rx", "5", "", "abc", 5, -5, None]
)
def test_one_formula_guard_for_packages_and_site(value):
    assert render._csv_cell(value) == safe_text(value)
    if isinstance(value, str) and value[:1] in ("-", "=", "+", "@", "\t", "\r"):
        assert render._csv_cell(value) == "'" + value


def test_the_site_csv_guards_a_minus_and_a_digit():
    assert render.to_csv(["a"], [["-2+3+cmd|' /C calc'!A0"], [-5]]) == "a\n'-2+3+cmd|' /C calc'!A0\n-5\n"


def test_one_citation_text():
    cite = citation.Citation(
        key="k",
        title="Judul",
        title_en="Title",
        version="2026.10.31",
        date="2026-10-31",
        publisher=vocabulary.PUBLISHER,
        url="https://example.org/x/",
        zip_url=None,
        synthetic=True,
    )
    for lang, title in (("id", "Judul"), ("en", "Title")):
        assert citation.text(cite, lang) == vocabulary.citation_text(
            publisher=vocabulary.PUBLISHER,
            year="2026",
            title=title,
            version="2026.10.31",
            date="2026-10-31",
            url="https://example.org/x/",
            synthetic=True,
            lang=lang,
        )
    files = citation.files(cite)
    assert files["CITATION.txt"].decode() == citation.text(cite, "id") + "\n\n" + citation.text(cite, "en") + "\n"


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):  # function bodies too (lazy imports)
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", sorted((ROOT / "umkm" / "disclose").glob("*.py")), ids=lambda p: p.name)
def test_disclose_never_imports_package(path):
    later = ("umkm.package", "umkm.catalogue", "umkm.site", "umkm.gates", "umkm.build")
    assert not [n for n in _imports(path) if n.startswith(later)]


def test_package_takes_the_size_bounds_from_the_vocabulary_not_reconcile():
    assert not [n for n in _imports(ROOT / "umkm" / "package" / "code_lists.py") if n.startswith("umkm.reconcile")]


def test_the_vocabulary_imports_no_stage():
    assert not [n for n in _imports(ROOT / "umkm" / "vocabulary.py") if n.startswith("umkm")]
