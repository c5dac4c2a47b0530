"""The documentation states the code's numbers and settings: checked against the code, as Datasette's
tests/test_docs.py does.

- The methodology pages (docs/metodologi.md, docs/en/metodologi.md) state k, l, the cell key method's D, V and
  js, the magnitudes' noise share (p), the attack's thresholds and the PP 7/2021 size bounds in prose: each
  number must equal its constant.
- Every ``UMKM_*`` environment variable the code reads is documented in the README.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from umkm.disclose import ckm, sdc_releases
from umkm.disclose.sdc_microdata import K_ANONYMITY, L_DIVERSITY
from umkm.vocabulary import SIZE_CLASSES

ROOT = Path(__file__).resolve().parent.parent
PAGES = {"id": ROOT / "docs" / "metodologi.md", "en": ROOT / "docs" / "en" / "metodologi.md"}


def _page(lang: str) -> str:
    return PAGES[lang].read_text(encoding="utf-8")


def _percent(share: float) -> str:
    value = share * 100
    assert value == int(value), share
    return f"{int(value)}%"


def _rupiah(amount: int, lang: str) -> str:
    """Rp1 miliar / Rp1 billion, as the pages write a bound (whole billions)."""
    assert amount % 10**9 == 0, amount
    return f"Rp{amount // 10**9}"


def expected_statements(lang: str) -> list[str]:
    p = ckm.MAGNITUDE_SHARE
    if lang == "id":
        return [
            f"**k ≥ {K_ANONYMITY}**",
            f"sedikitnya {K_ANONYMITY} pelaku",
            f"**l ≥ {L_DIVERSITY}**",
            f"sedikitnya ada {L_DIVERSITY} nilai berbeda",
            f"k ≥ {K_ANONYMITY} dan l ≥ {L_DIVERSITY}",
            f"**D = {ckm.D_MAX}**",
            f"**V = {ckm.VARIANCE:g}**",
            f"**1 sampai js = {ckm.BLOCKED_MAX}**",
            f"**{_percent(p)} sampai {_percent(2 * p)} dari sumbangan terbesar**",
            f"p = {_percent(p)[:-1]}",
            f"lebih dekat dari {_percent(p)}",
            f"dalam {_percent(sdc_releases.EXACT_SHARE)} dari nilai sebenarnya",
            f"dalam {_percent(sdc_releases.CLOSE_SHARE)} dari nilai sebenarnya",
        ]
    return [
        f"**k ≥ {K_ANONYMITY}**",
        f"**l ≥ {L_DIVERSITY}**",
        f"at least {L_DIVERSITY} differ",
        f"k ≥ {K_ANONYMITY} and l ≥ {L_DIVERSITY}",
        f"**D = {ckm.D_MAX}**",
        f"**V = {ckm.VARIANCE:g}**",
        f"**1 to js = {ckm.BLOCKED_MAX}**",
        f"**{_percent(p)} to {_percent(2 * p)} of the cell's largest contribution**",
        f"p = {_percent(p)[:-1]}",
        f"closer than {_percent(p)}",
        f"within {_percent(sdc_releases.EXACT_SHARE)} of the true value",
        f"within {_percent(sdc_releases.CLOSE_SHARE)} of the true value",
    ]


def size_rows(lang: str) -> list[str]:
    """The PP 7/2021 table of the pages, row by row, from the vocabulary's bounds."""
    rows, low = [], None
    for s in SIZE_CLASSES:
        modal, omzet = _rupiah(s.max_modal, lang), _rupiah(s.max_omzet, lang)
        if lang == "id":
            cells = (
                (f"sampai {modal} miliar", f"sampai {omzet} miliar")
                if low is None
                else (
                    f"lebih dari {low[0]} miliar sampai {modal} miliar",
                    f"lebih dari {low[1]} miliar sampai {omzet} miliar",
                )
            )
            rows.append(f"| {s.code} | {cells[0]} | {cells[1]} |")
        else:
            cells = (
                (f"up to {modal} billion", f"up to {omzet} billion")
                if low is None
                else (f"over {low[0]} up to {modal} billion", f"over {low[1]} up to {omzet} billion")
            )
            rows.append(f"| {s.label_en.lower()} ({s.code}) | {cells[0]} | {cells[1]} |")
        low = (modal, omzet)
    return rows


@pytest.mark.parametrize("lang", sorted(PAGES))
def test_methodology_numbers_equal_the_constants(lang):
    page = _page(lang)
    missing = [s for s in expected_statements(lang) + size_rows(lang) if s not in page]
    assert not missing, f"{PAGES[lang].relative_to(ROOT)} does not state (or no longer equals): {missing}"


@pytest.mark.parametrize("lang", sorted(PAGES))
def test_methodology_check_fails_when_a_constant_changes(lang, monkeypatch):
    """The check above reads the constants: a changed constant is a page that no longer says it."""
    monkeypatch.setattr(ckm, "D_MAX", ckm.D_MAX + 1)
    assert f"**D = {ckm.D_MAX}**" not in _page(lang)
    assert any(s not in _page(lang) for s in expected_statements(lang))


# ------------------------------------------------------------------ environment variables


def environment_variables() -> set[str]:
    """Every ``UMKM_*`` name the code holds as a string (what it reads from os.environ, directly or through a
    constant such as state.KEY_ENV), over umkm/ and build_data.py."""
    names = set()
    for path in [ROOT / "build_data.py", *sorted((ROOT / "umkm").rglob("*.py"))]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and node.value.startswith("UMKM_")
                and node.value.replace("_", "").isalnum()
                and node.value.isupper()
            ):
                names.add(node.value)
    return names


def test_the_code_reads_the_environment_variables_we_know():
    assert {
        "UMKM_SITE_URL",
        "UMKM_CONTACT_EMAIL",
        "UMKM_PSEUDONYM_KEY",
        "UMKM_STATE_KEY",
        "UMKM_FONT_DIR",
    } <= environment_variables()


def test_every_environment_variable_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    undocumented = sorted(name for name in environment_variables() if f"`{name}`" not in readme)
    assert not undocumented, f"README.md does not document {undocumented}"
