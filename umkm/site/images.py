"""SVG in, PNG out (charts that travel), and page facts in, Open Graph card SVG out (a shared link's preview).

PNG files are rendered by resvg (resvg-py: one self-contained wheel, no system library), with one font
given by path and no system font looked up, so the same SVG gives the same bytes on every machine with
that font file: Liberation Sans (Debian's fonts-liberation, installed by scripts/setup; metric-compatible
with Arial, which the charts' text widths assume). A folder (``cache``) keeps each PNG under the hash of what
made it, so a rebuild renders only what changed.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from umkm.site.charts import MARK, MUTED, TEXT, Frame, coord, wrap_label, xml_text

SCALE = 1.5  # PNG pixels a chart unit: 600 px wide, sharp on a phone; a cost of the build (bench/run_bench.py)
CARD = (1200, 630)  # Open Graph image size (1.91:1), also Twitter's summary_large_image
FONT_NAME = "Liberation Sans"
FONT_FILES = ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf")
FONT_DIRS = (
    "/usr/share/fonts/truetype/liberation",
    "/usr/share/fonts/truetype/liberation2",
    "/usr/share/fonts/liberation",
    "/usr/local/share/fonts",
)


class ImageError(RuntimeError):
    """No PNG renderer or no font: the message says what to install."""


def font_files() -> list[str]:
    """The font files the renderer uses (UMKM_FONT_DIR first, then Debian's places)."""
    dirs = ([os.environ["UMKM_FONT_DIR"]] if os.environ.get("UMKM_FONT_DIR") else []) + list(FONT_DIRS)
    for folder in dirs:
        found = [os.path.join(folder, name) for name in FONT_FILES]
        if all(os.path.isfile(p) for p in found):
            return found
    raise ImageError(
        f"the PNG charts need the font {FONT_NAME} ({', '.join(FONT_FILES)}) in one of "
        f"{', '.join(dirs)}: run scripts/setup as root, or apt-get install fonts-liberation, "
        "or set UMKM_FONT_DIR to a folder holding those files"
    )


def _key(svg: str, scale: float, fonts: list[str]) -> str:
    import resvg_py

    digest = hashlib.sha256()
    digest.update(f"{getattr(resvg_py, '__version__', '')}|{scale}|".encode())
    for path in fonts:
        digest.update(f"{os.path.basename(path)}:{os.path.getsize(path)}:{os.stat(path).st_mtime_ns}|".encode())
    digest.update(svg.encode("utf-8"))
    return digest.hexdigest()


# Renders and their time in this process (build_data.py reports them; bench/run_bench.py prints them).
STATS = {"rendered": 0, "from_cache": 0, "seconds": 0.0}


def render_png(svg: str, *, scale: float = SCALE, cache: Path | None = None, crisp_text: bool = False) -> bytes:
    """The SVG drawn as PNG at ``scale`` pixels a unit (``cache``: a folder of earlier renders by content).

    ``crisp_text``: text without anti-aliasing (a preview card's large letters: a third less time, a third of
    the bytes, and a platform shows the card scaled down anyway).
    """
    import time

    start = time.perf_counter()
    try:
        return _render_png(svg, scale, cache, crisp_text)
    finally:
        STATS["seconds"] += time.perf_counter() - start


def _render_png(svg: str, scale: float, cache: Path | None, crisp_text: bool) -> bytes:
    try:
        import resvg_py
    except ImportError as error:  # pragma: no cover - requirements.txt has it
        raise ImageError("the PNG charts need resvg-py: run scripts/setup") from error
    fonts = font_files()
    key = _key(svg + ("crisp" if crisp_text else ""), scale, fonts) if cache is not None else ""
    if cache is not None:
        kept = Path(cache) / key[:2] / f"{key}.png"
        if kept.is_file():
            STATS["from_cache"] += 1
            return kept.read_bytes()
    STATS["rendered"] += 1
    png = bytes(
        resvg_py.svg_to_bytes(
            svg_string=svg,
            zoom=scale,
            skip_system_fonts=True,
            font_files=fonts,
            font_family=FONT_NAME,
            sans_serif_family=FONT_NAME,
            background="#ffffff",
            text_rendering="optimize_speed" if crisp_text else "optimize_legibility",
        )
    )
    if cache is not None:
        kept.parent.mkdir(parents=True, exist_ok=True)
        fresh = kept.with_suffix(f".{os.getpid()}.new")
        fresh.write_bytes(png)
        fresh.replace(kept)
    return png


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height from the PNG header (IHDR)."""
    if png[:8] != b"\x89PNG\r\n\x1a\n" or png[12:16] != b"IHDR":
        raise ValueError("not a PNG")
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def render_card(svg: str, *, cache: Path | None = None) -> bytes:
    """A preview card (``card``) as its 1200 x 630 PNG."""
    return render_png(svg, scale=2, cache=cache, crisp_text=True)


def card(
    title: str, kicker: str, figures: list[tuple[str, str]], frame: Frame, site_name: str, chart: str | None = None
) -> str:
    """A 1200 x 630 preview: site name and kicker, the title, up to four big figures (value, what), or a chart
    drawn small on the right; the source, release and (demo) synthetic mark along the bottom. Drawn at half
    size (600 x 315 units) and rendered at scale 2."""
    w, h = CARD[0] / 2, CARD[1] / 2
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {coord(w)} {coord(h)}" width="{coord(w)}" '
        f'height="{coord(h)}" font-family="{FONT_NAME}, Arial, sans-serif">',
        f"<title>{xml_text(title)}</title>",
        '<rect width="100%" height="100%" fill="#ffffff"/><rect width="100%" height="8" fill="#3f51b5"/>',
        f'<text x="24" y="34" font-size="13" font-weight="bold" fill="#3f51b5">{xml_text(site_name)}</text>',
        f'<text x="24" y="52" font-size="12" fill="{MUTED}">{xml_text(kicker)}</text>',
    ]
    text_w = 300 if chart else 552
    lines = wrap_label(title, int(text_w / (0.55 * 24)), lines=2)
    for i, line in enumerate(lines):
        parts.append(
            f'<text class="judul" x="24" y="{84 + 28 * i}" font-size="24" font-weight="bold" '
            f'fill="{TEXT}">{xml_text(line)}</text>'
        )
    y = 84 + 28 * len(lines) + 10
    if figures:
        columns = 1 if chart else 2
        for i, (value, what) in enumerate(figures[:4]):
            x = 24 + (i % columns) * 280
            top = y + (i // columns) * (56 if columns == 2 else 46)
            parts.append(
                f'<text x="{x}" y="{top + 26}" font-size="26" font-weight="bold" fill="#1f5f99">'
                f"{xml_text(value)}</text>"
            )
            what_lines = wrap_label(what, int(250 / (0.55 * 11)), lines=1)
            parts.append(f'<text x="{x}" y="{top + 42}" font-size="11" fill="{TEXT}">{xml_text(what_lines[0])}</text>')
    if chart:
        # The page's chart, scaled into the right half (nested SVG keeps its own coordinates).
        inner = chart.split(">", 1)[1].rsplit("</svg>", 1)[0]
        box = _viewbox(chart)
        parts.append(
            f'<svg x="330" y="24" width="250" height="236" viewBox="{box}" '
            f'preserveAspectRatio="xMidYMin meet">{inner}</svg>'
        )
    if frame.mark:
        parts.append(
            f'<rect x="0" y="{coord(h - 62)}" width="{coord(w)}" height="22" fill="{MARK}"/>'
            f'<text class="sintetis" x="24" y="{coord(h - 47)}" font-size="12" font-weight="bold" '
            f'fill="#ffffff">{xml_text(frame.mark)}</text>'
        )
    parts.append(f'<line x1="24" x2="{coord(w - 24)}" y1="{coord(h - 36)}" y2="{coord(h - 36)}" stroke="#d9d9d9"/>')
    parts.append(
        f'<text class="sumber" x="24" y="{coord(h - 22)}" font-size="9" fill="{MUTED}">'
        f"{xml_text(wrap_label(frame.source, 110, 1)[0])}</text>"
    )
    parts.append(
        f'<text class="rilis" x="24" y="{coord(h - 10)}" font-size="9" fill="{MUTED}">'
        f"{xml_text(wrap_label(frame.release, 110, 1)[0])}</text>"
    )
    parts.append("</svg>\n")
    return "".join(parts)


def _viewbox(svg: str) -> str:
    import re

    match = re.search(r'viewBox="([^"]+)"', svg)
    return match.group(1) if match else "0 0 400 300"
