"""Numbers in, static SVG text out: bar charts, grouped bar charts, choropleth and locator maps.

Hand-written SVG from string templates (about 1 KB and well under a millisecond a
chart, no JavaScript, no fonts to load). Every chart carries a <title> and <desc>
so it reads on its own (it is embedded with <img alt=...> and offered as a
download); the page puts the same numbers in a table beside it.

Every text that reaches the SVG goes through ``_x`` (XML escaping). Output is
deterministic: no ids from counters or clocks, fixed float formatting.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"
TEXT = "#1a1a1a"
MUTED = "#595959"  # 7:1 on white
BAR = "#1f5f99"  # 6.6:1 on white
GRID = "#d9d9d9"
NO_DATA = "#f0f0f0"
# ColorBrewer "Blues", 5 classes (sequential, colour-blind safe).
PALETTE_5 = ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c")
SERIES = ("#1f5f99", "#b35806", "#595959", "#1b7837", "#542788")  # each >= 3:1 on white
HIGHLIGHT = "#d95f02"
LOCATOR_TOLERANCE = 1.5  # px: a 320 px locator map needs less detail than the 450 px choropleth

# A diagonal hatch marks a suppressed value (never a zero-length bar).
_HATCH = (
    '<pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
    'patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/>'
    '<line x1="0" y1="0" x2="0" y2="6" stroke="#595959" stroke-width="2"/></pattern>'
)


def _x(text: object) -> str:
    return escape(str(text), quote=True)


def _n(value: float) -> str:
    """Fixed, short number formatting for coordinates (deterministic)."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _open(width: float, height: float, title: str, desc: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_n(width)} {_n(height)}" '
        f'width="{_n(width)}" height="{_n(height)}" role="img" aria-labelledby="title desc" '
        f'font-family="{_x(FONT)}" font-size="13">'
        f'<title id="title">{_x(title)}</title><desc id="desc">{_x(desc)}</desc>'
        f"<defs>{_HATCH}</defs>"
        f'<rect width="100%" height="100%" fill="#ffffff"/>'
    )


def _clip(label: str, limit: int = 34) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _text_width(label: str) -> float:
    return 7.8 * len(label)  # about 7.8 px a character at 13 px in common sans fonts


def _nice_max(value: int) -> int:
    if value <= 0:
        return 1
    magnitude = 10 ** int(math.floor(math.log10(value)))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return int(step * magnitude)
    return 10 * magnitude


@dataclass(frozen=True)
class Bar:
    label: str
    value: int | None  # None: suppressed
    value_text: str  # formatted number, or the "suppressed" word


def bar_chart(bars: list[Bar], *, title: str, desc: str, note: str = "", width: int = 680) -> str:
    """Horizontal bars, one a category; suppressed values drawn as hatched stubs."""
    labels = [_clip(b.label) for b in bars]
    label_w = min(270.0, max([_text_width(t) for t in labels] + [40.0])) + 12
    value_w = max([_text_width(b.value_text) for b in bars] + [30.0]) + 10
    top, row, bar_h = 12, 24, 16
    plot_w = width - label_w - value_w - 10
    top_value = _nice_max(max([b.value for b in bars if b.value is not None] + [0]))
    height = top + row * len(bars) + (34 if note else 14)
    parts = [_open(width, height, title, desc)]
    for i, (bar, label) in enumerate(zip(bars, labels)):
        y = top + i * row
        parts.append(
            f'<text x="{_n(label_w - 8)}" y="{_n(y + bar_h - 3)}" text-anchor="end" fill="{TEXT}">'
            f"<title>{_x(bar.label)}</title>{_x(label)}</text>"
        )
        if bar.value is None:
            w = 18.0
            parts.append(
                f'<rect x="{_n(label_w)}" y="{y}" width="{_n(w)}" height="{bar_h}" fill="url(#hatch)" '
                f'stroke="{MUTED}"/>'
            )
            fill = MUTED
        else:
            w = plot_w * bar.value / top_value
            parts.append(f'<rect x="{_n(label_w)}" y="{y}" width="{_n(w)}" height="{bar_h}" fill="{BAR}"/>')
            fill = TEXT
        parts.append(
            f'<text x="{_n(label_w + w + 5)}" y="{_n(y + bar_h - 3)}" fill="{fill}">{_x(bar.value_text)}</text>'
        )
    parts.append(
        f'<line x1="{_n(label_w)}" y1="{top - 4}" x2="{_n(label_w)}" y2="{top + row * len(bars) - 4}" '
        f'stroke="{MUTED}"/>'
    )
    if note:
        parts.append(f'<text x="4" y="{height - 10}" fill="{MUTED}" font-size="12">{_x(note)}</text>')
    parts.append("</svg>\n")
    return "".join(parts)


def grouped_bar_chart(
    groups: list[str],
    series: list[str],
    values: dict[tuple[int, int], Bar],
    *,
    title: str,
    desc: str,
    note: str = "",
    legend_title: str = "",
    width: int = 680,
) -> str:
    """Horizontal bars grouped by ``groups``, one bar a series; legend (named ``legend_title``) on top.

    ``values`` maps (group index, series index) to a Bar (label unused); a missing
    key means the combination is not in the table and is drawn as a gap.
    """
    labels = [_clip(g, 28) for g in groups]
    label_w = min(220.0, max([_text_width(t) for t in labels] + [40.0])) + 12
    value_w = max([_text_width(b.value_text) for b in values.values()] + [30.0]) + 10
    bar_h, gap = 12, 10
    legend_h = 26
    top = legend_h + 8
    group_h = bar_h * len(series) + gap
    plot_w = width - label_w - value_w - 10
    top_value = _nice_max(max([b.value for b in values.values() if b.value is not None] + [0]))
    height = top + group_h * len(groups) + (30 if note else 10)
    parts = [_open(width, height, title, desc)]
    x = 4.0
    if legend_title:
        parts.append(f'<text x="{_n(x)}" y="17" font-weight="bold" fill="{TEXT}">{_x(legend_title)}:</text>')
        x += _text_width(legend_title) + 12
    for s, name in enumerate(series):
        colour = SERIES[s % len(SERIES)]
        parts.append(f'<rect x="{_n(x)}" y="6" width="12" height="12" fill="{colour}"/>')
        parts.append(f'<text x="{_n(x + 17)}" y="17" fill="{TEXT}">{_x(name)}</text>')
        x += 17 + _text_width(name) + 16
    for g, label in enumerate(labels):
        y0 = top + g * group_h
        parts.append(
            f'<text x="{_n(label_w - 8)}" y="{_n(y0 + group_h / 2)}" text-anchor="end" fill="{TEXT}">'
            f"<title>{_x(groups[g])}</title>{_x(label)}</text>"
        )
        for s in range(len(series)):
            bar = values.get((g, s))
            if bar is None:
                continue
            y = y0 + s * bar_h
            if bar.value is None:
                w = 18.0
                parts.append(
                    f'<rect x="{_n(label_w)}" y="{y}" width="{_n(w)}" height="{bar_h - 2}" '
                    f'fill="url(#hatch)" stroke="{MUTED}"/>'
                )
            else:
                w = plot_w * bar.value / top_value
                colour = SERIES[s % len(SERIES)]
                parts.append(
                    f'<rect x="{_n(label_w)}" y="{y}" width="{_n(w)}" height="{bar_h - 2}" fill="{colour}"/>'
                )
            parts.append(
                f'<text x="{_n(label_w + w + 4)}" y="{y + bar_h - 3}" font-size="11" fill="{TEXT}">'
                f"{_x(bar.value_text)}</text>"
            )
    parts.append(
        f'<line x1="{_n(label_w)}" y1="{top - 4}" x2="{_n(label_w)}" y2="{top + group_h * len(groups) - gap}" '
        f'stroke="{MUTED}"/>'
    )
    if note:
        parts.append(f'<text x="4" y="{height - 8}" fill="{MUTED}" font-size="12">{_x(note)}</text>')
    parts.append("</svg>\n")
    return "".join(parts)


# ---------------------------------------------------------------- maps


@dataclass(frozen=True)
class Area:
    code: str
    name: str
    geometry: dict  # GeoJSON Polygon or MultiPolygon, [lon, lat]


def _polygons(geometry: dict) -> list[list[list[list[float]]]]:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        return list(geometry["coordinates"])
    raise ValueError(f"unsupported geometry type {geometry['type']!r}")


class _Projection:
    """Equirectangular, x scaled by cos(mean latitude): true enough for a 30 km city."""

    def __init__(self, areas: list[Area], width: float, height: float, pad: float = 6):
        lons, lats = [], []
        for area in areas:
            for polygon in _polygons(area.geometry):
                for ring in polygon:
                    for lon, lat, *_ in ring:
                        lons.append(lon)
                        lats.append(lat)
        self.lon0, self.lat1 = min(lons), max(lats)
        self.kx = math.cos(math.radians((min(lats) + max(lats)) / 2))
        span_x = (max(lons) - self.lon0) * self.kx or 1e-9
        span_y = (self.lat1 - min(lats)) or 1e-9
        self.scale = min((width - 2 * pad) / span_x, (height - 2 * pad) / span_y)
        self.pad = pad
        self.height = span_y * self.scale + 2 * pad
        self.width = span_x * self.scale + 2 * pad

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        return (self.pad + (lon - self.lon0) * self.kx * self.scale, self.pad + (self.lat1 - lat) * self.scale)

    def path(self, geometry: dict, tolerance: float = 0.6) -> str:
        """SVG path data; points closer than ``tolerance`` px to the last kept one are dropped."""
        out = []
        for polygon in _polygons(geometry):
            for ring in polygon:
                points = [self(lon, lat) for lon, lat, *_ in ring]
                kept = [points[0]]
                for p in points[1:-1]:
                    if abs(p[0] - kept[-1][0]) + abs(p[1] - kept[-1][1]) >= tolerance:
                        kept.append(p)
                if len(kept) < 3:
                    continue
                out.append("M" + "L".join(f"{_n(x)},{_n(y)}" for x, y in kept) + "Z")
        return "".join(out)

    def label_box(self, geometry: dict) -> tuple[float, float, float]:
        """Centre x, centre y and width of the bounding box of the largest polygon (to place a label)."""
        largest = max(_polygons(geometry), key=lambda poly: len(poly[0]))
        xs = [self(lon, lat)[0] for lon, lat, *_ in largest[0]]
        ys = [self(lon, lat)[1] for lon, lat, *_ in largest[0]]
        return ((min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2, max(xs) - min(xs))


def class_breaks(values: list[int], classes: int = 5) -> list[int]:
    """Upper bounds of up to ``classes`` quantile classes (nearest rank), without repeats."""
    data = sorted(values)
    if not data:
        return []
    bounds: list[int] = []
    for i in range(1, classes + 1):
        bound = data[max(0, math.ceil(i * len(data) / classes) - 1)]
        if not bounds or bound > bounds[-1]:
            bounds.append(bound)
    return bounds


def choropleth(
    areas: list[Area],
    values: dict[str, int | None],
    *,
    title: str,
    desc: str,
    legend_title: str,
    suppressed_label: str,
    no_data_label: str,
    format_number,
    labels: bool = False,
    width: int = 640,
) -> str:
    """Filled map, 5-class sequential palette; suppressed areas hatched, absent ones grey."""
    published = [v for v in values.values() if v is not None]
    bounds = class_breaks(published)
    palette = PALETTE_5[-len(bounds):] if bounds else ()
    legend_w = 190
    proj = _Projection(areas, width - legend_w, 520)
    height = max(proj.height, 40 + 22 * (len(bounds) + 2))
    parts = [_open(width, height, title, desc)]
    for area in areas:
        value = values.get(area.code, "absent")
        if value == "absent":
            fill, shown = NO_DATA, no_data_label
        elif value is None:
            fill, shown = "url(#hatch)", suppressed_label
        else:
            cls = next(i for i, b in enumerate(bounds) if value <= b)
            fill, shown = palette[cls], format_number(value)
        parts.append(
            f'<path d="{proj.path(area.geometry)}" fill="{fill}" fill-rule="evenodd" stroke="#ffffff" '
            f'stroke-width="1"><title>{_x(area.name)}: {_x(shown)}</title></path>'
        )
    if labels:
        for area in areas:  # only where the name fits; the table names every area anyway
            cx, cy, box_w = proj.label_box(area.geometry)
            if box_w < 6.2 * len(area.name):
                continue
            parts.append(
                f'<text x="{_n(cx)}" y="{_n(cy)}" text-anchor="middle" font-size="11" fill="{TEXT}" '
                f'stroke="#ffffff" stroke-width="3" paint-order="stroke">{_x(area.name)}</text>'
            )
    lx = proj.width + 14
    parts.append(f'<text x="{_n(lx)}" y="20" font-weight="bold" fill="{TEXT}">{_x(legend_title)}</text>')
    low = min(published) if published else 0
    entries = []
    for i, bound in enumerate(bounds):
        start = low if i == 0 else bounds[i - 1] + 1
        text = format_number(bound) if start >= bound else f"{format_number(start)}–{format_number(bound)}"
        entries.append((palette[i], text))
    entries.append(("url(#hatch)", suppressed_label))
    if any(area.code not in values for area in areas):
        entries.append((NO_DATA, no_data_label))
    for i, (fill, text) in enumerate(entries):
        y = 34 + 22 * i
        parts.append(f'<rect x="{_n(lx)}" y="{y}" width="16" height="16" fill="{fill}" stroke="{MUTED}"/>')
        parts.append(f'<text x="{_n(lx + 22)}" y="{y + 13}" fill="{TEXT}">{_x(text)}</text>')
    parts.append("</svg>\n")
    return "".join(parts)


_LOCATOR_BACKGROUNDS: dict = {}


def _locator_background(background: tuple[Area, ...], width: int) -> tuple[_Projection, list[str]]:
    """The projection and the path of each background area: the same for every page's locator map."""
    key = (tuple((a.code, id(a.geometry)) for a in background), width)
    if key not in _LOCATOR_BACKGROUNDS:
        proj = _Projection(list(background), width, 320)
        _LOCATOR_BACKGROUNDS.clear()  # one city map at a time
        # The areas are kept with their paths, so no id in the key can be reused by another object.
        _LOCATOR_BACKGROUNDS[key] = (background, proj, [proj.path(a.geometry, LOCATOR_TOLERANCE) for a in background])
    return _LOCATOR_BACKGROUNDS[key][1:]


def locator_map(background: list[Area], highlight: list[Area], *, title: str, desc: str, width: int = 320) -> str:
    """Small map of the whole city (``background``) with ``highlight`` drawn over it."""
    proj, background_paths = _locator_background(tuple(background), width)
    parts = [_open(proj.width, proj.height, title, desc)]
    for area, path in zip(background, background_paths):
        parts.append(
            f'<path d="{path}" fill="#e6e6e6" fill-rule="evenodd" '
            f'stroke="#ffffff" stroke-width="1.5"><title>{_x(area.name)}</title></path>'
        )
    for area in highlight:
        parts.append(
            f'<path d="{proj.path(area.geometry, LOCATOR_TOLERANCE)}" fill="{HIGHLIGHT}" fill-rule="evenodd" '
            f'stroke="{TEXT}" stroke-width="1"><title>{_x(area.name)}</title></path>'
        )
    parts.append("</svg>\n")
    return "".join(parts)
