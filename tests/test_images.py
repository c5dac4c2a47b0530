"""Charts that travel: every chart's SVG and PNG carry its title, source, release, licence and (demo) the
synthetic mark; preview cards are 1200 x 630. The PNG is checked without OCR: it is compared with a render of
the same SVG without those texts, and the pixels that differ must lie in the header and the footer."""

from __future__ import annotations

import dataclasses
import io
import re

import pytest
from test_site_pages import site_input

from umkm.site import charts, images
from umkm.site.pages import build_pages

PIL = pytest.importorskip("PIL.Image")
from PIL import ImageChops  # noqa: E402

FRAME_TEXT = re.compile(r'<text class="(?:judul|sintetis|sumber|rilis|kunci)".*?</text>', re.S)


def _pixels(png: bytes):
    return PIL.open(io.BytesIO(png)).convert("RGB")


def _bands(svg: str) -> tuple[float, float, float]:
    """(header bottom, footer top, height) in chart units, read from the framed SVG."""
    top = float(re.search(r'<g transform="translate\(0 ([\d.]+)\)">', svg).group(1))
    footer = float(re.findall(r'<line x1="4" x2="[\d.]+" y1="([\d.]+)"', svg)[-1])
    height = float(re.search(r'viewBox="0 0 [\d.]+ ([\d.]+)"', svg).group(1))
    return top, footer, height


def _frame_pixels_only(svg: str, png: bytes, scale: float) -> tuple[bool, bool, bool]:
    """Do the frame's texts change pixels (vs a render without them), only in the header and footer bands?"""
    bare = images.render_png(FRAME_TEXT.sub("", svg), scale=scale)
    diff = ImageChops.difference(_pixels(png), _pixels(bare))
    top, footer, height = _bands(svg)
    width = diff.width
    header_box = diff.crop((0, 0, width, int(top * scale))).getbbox()
    footer_box = diff.crop((0, int(footer * scale), width, int(height * scale) + 1)).getbbox()
    body_box = diff.crop((0, int(top * scale) + 1, width, int(footer * scale) - 1)).getbbox()
    return header_box is not None, footer_box is not None, body_box is None


@pytest.fixture(scope="module")
def demo_files(shared_png_renders):
    # through the session's PNG cache (tests/conftest.py); the reproducibility test below renders again without
    return build_pages(dataclasses.replace(site_input(True), png_cache=shared_png_renders), langs=("id",))


def test_every_chart_carries_title_source_release_licence_and_the_synthetic_mark(demo_files):
    pngs = {path: data for path, data in demo_files.items() if path.endswith(".png") and "kartu" not in path}
    assert len(pngs) > 40
    for path, png in sorted(pngs.items()):
        svg = demo_files[path[:-4] + ".svg"]
        title = re.search(r"<title id=\"title\">(.*?)</title>", svg).group(1)
        texts = " ".join(re.sub(r"<[^>]+>", " ", t) for t in FRAME_TEXT.findall(svg))
        words = " ".join(texts.split())
        assert " ".join(title.split()[:3]) in words, (path, title)
        for expected in (
            "Sumber: Dinas KUMKMP Kota Balikpapan",
            "Rilis 2026.10.31",
            "CC BY 4.0",
            "DATA SINTETIS: bukan data nyata",
        ):
            assert expected in words, (path, expected)
        width, height = images.png_size(png)
        svg_width, svg_height = (float(v) for v in re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', svg).groups())
        assert abs(width - svg_width * images.SCALE) < 2 and abs(height - svg_height * images.SCALE) < 2, path
        header, footer, body_untouched = _frame_pixels_only(svg, png, images.SCALE)
        assert header and footer and body_untouched, path


def test_a_real_release_has_no_synthetic_mark_and_the_mark_draws_pixels():
    real = build_pages(dataclasses.replace(site_input(False), png=False), langs=("en",))
    svg = real["en/statistik/kecamatan.svg"]
    assert "Source: Dinas KUMKMP Kota Balikpapan" in svg and 'class="sintetis"' not in svg
    frame = charts.Frame("A title", "Source: x", "Release 1", mark="SYNTHETIC DATA: not real")
    chart = charts.bar_chart([charts.Bar("a", 3, "3")], title="A title", desc="d", frame=frame)
    plain = charts.bar_chart(
        [charts.Bar("a", 3, "3")], title="A title", desc="d", frame=dataclasses.replace(frame, mark="")
    )
    with_mark = _pixels(images.render_png(chart, scale=1))
    # the mark is red text under the title: its pixels are there, and only in the marked image
    red = [p for p in with_mark.get_flattened_data() if p[0] > 120 and p[1] < 60 and p[2] < 60]
    assert len(red) > 30
    assert not [
        p
        for p in _pixels(images.render_png(plain, scale=1)).get_flattened_data()
        if p[0] > 120 and p[1] < 60 and p[2] < 60
    ]


def test_preview_cards_are_1200_by_630_and_every_png_is_reproducible(demo_files):
    cards = {
        path: data
        for path, data in demo_files.items()
        if path.endswith("kartu.png") or path.endswith("kartu-beranda.png")
    }
    assert "kartu-beranda.png" in cards and len(cards) >= 1 + 9 + 6 + 34 + 2
    for path, png in cards.items():
        assert images.png_size(png) == images.CARD, path
    again = build_pages(site_input(True), langs=("id",))
    assert {p: d for p, d in again.items() if p.endswith(".png")} == {
        p: d for p, d in demo_files.items() if p.endswith(".png")
    }


def test_the_png_cache_returns_the_same_bytes(tmp_path):
    svg = charts.bar_chart([charts.Bar("a", 3, "3")], title="t", desc="d", frame=charts.Frame("t", "s", "r"))
    first = images.render_png(svg, cache=tmp_path)
    assert len(list(tmp_path.rglob("*.png"))) == 1
    assert images.render_png(svg, cache=tmp_path) == first == images.render_png(svg)


def test_a_missing_font_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(images, "FONT_DIRS", ("/nonexistent",))
    monkeypatch.setenv("UMKM_FONT_DIR", "/also-nonexistent")
    with pytest.raises(images.ImageError, match="fonts-liberation"):
        images.font_files()
