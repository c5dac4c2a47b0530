"""Numbers in, static SVG text out: bar charts, grouped bar charts, choropleth and locator maps.

Hand-written SVG from string templates (about 1 KB and well under a millisecond a
chart, no JavaScript, no fonts to load). Every chart carries a <title> and <desc>
so it reads on its own (it is embedded with <img alt=...> and offered as a
download); the page puts the same numbers in a table beside it.

Every text that reaches the SVG goes through ``_x`` (XML escaping). Output is
deterministic: no ids from counters or clocks, fixed float formatting.

Sized for phones: charts are drawn ``WIDTH`` (400) units wide with 14 px text, and the
page shows them at that size at most (never scaled up), so a 390 px phone, whose
content column is about 358 px, shows the text at about 12.5 px and a desktop at 14 px.
Category labels that do not fit beside the bars go on their own line above them
(wrapped, up to two lines), legends wrap, and the map's legend sits under the map.
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
LOCATOR_TOLERANCE = 1.5  # px: a 320 px locator map needs less detail than the 400 px choropleth
WIDTH = 400  # chart width: shown at most this wide, 358 px on a 390 px phone
FONT_SIZE = 14  # labels and values (px at full size)
SMALL = 13  # notes and the values of grouped bars
LINE = 17  # line height of a label
SIDE_LABELS = 0.45  # labels beside the bars when the longest fits in this share of the width

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
        f'font-family="{_x(FONT)}" font-size="{FONT_SIZE}">'
        f'<title id="title">{_x(title)}</title><desc id="desc">{_x(desc)}</desc>'
        f"<defs>{_HATCH}</defs>"
        f'<rect width="100%" height="100%" fill="#ffffff"/>'
    )


def _clip(label: str, limit: int = 34) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _text_width(label: str, size: float = FONT_SIZE) -> float:
    return 0.6 * size * len(label)  # about 0.6 em a character in common sans fonts


def _chars(width: float, size: float = FONT_SIZE) -> int:
    """How many characters fit in ``width`` (the inverse of _text_width)."""
    return max(4, int(width / (0.6 * size)))


def _wrap(label: str, limit: int, lines: int = 2) -> list[str]:
    """``label`` in lines of up to ``limit`` characters, at spaces; the last line clipped with "…"."""
    out: list[str] = []
    words = label.split()
    while words and len(out) < lines:
        line = words.pop(0)
        while words and len(line) + 1 + len(words[0]) <= limit:
            line += " " + words.pop(0)
        out.append(line)
    if words:
        out[-1] = _clip(out[-1] + " " + " ".join(words), limit)
    return [_clip(line, limit) for line in out] or [""]


def _label(x: float, y: float, lines: list[str], full: str, anchor: str = "start") -> str:
    """A category label of one or more lines (baseline of the first at y); <title> holds the full text."""
    spans = "".join(f'<tspan x="{_n(x)}" dy="{0 if i == 0 else LINE}">{_x(line)}</tspan>'
                    for i, line in enumerate(lines))
    return (f'<text x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}" fill="{TEXT}"><title>{_x(full)}</title>'
            f"{spans}</text>")


def _note(width: float, y: float, note: str) -> tuple[str, float]:
    """A note under the chart (wrapped); its SVG and height."""
    lines = _wrap(note, _chars(width - 8, SMALL), lines=3)
    spans = "".join(f'<tspan x="4" dy="{0 if i == 0 else 16}">{_x(line)}</tspan>' for i, line in enumerate(lines))
    return (f'<text x="4" y="{_n(y + 13)}" fill="{MUTED}" font-size="{SMALL}">{spans}</text>',
            16 * len(lines) + 8)


def _top(values) -> int:
    """The largest published value: it fills the plot (no axis to round to)."""
    return max([v for v in values if v is not None] + [1])


@dataclass(frozen=True)
class Bar:
    label: str
    value: int | None  # None: suppressed
    value_text: str  # formatted number, or the "suppressed" word


def _label_layout(labels: list[str], width: float) -> tuple[bool, float, list[list[str]]]:
    """Labels beside the bars (True, their column width, one line each) or above them (False, 0, wrapped)."""
    widest = max([_text_width(t) for t in labels] + [40.0])
    if widest <= SIDE_LABELS * width:
        return True, widest + 12, [[t] for t in labels]
    return False, 0.0, [_wrap(t, _chars(width - 8)) for t in labels]


def _bar(x: float, y: float, w: float, h: float, bar: Bar, colour: str, size: int) -> str:
    """One bar and its value after it; a suppressed value is a hatched stub and the word."""
    if bar.value is None:
        w = 18.0
        mark = f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(w)}" height="{_n(h)}" fill="url(#hatch)" stroke="{MUTED}"/>'
        fill = MUTED
    else:
        mark = f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(w)}" height="{_n(h)}" fill="{colour}"/>'
        fill = TEXT
    return mark + (f'<text x="{_n(x + w + 5)}" y="{_n(y + h / 2 + size * 0.35)}" font-size="{size}" '
                   f'fill="{fill}">{_x(bar.value_text)}</text>')


def _value_width(bars, size: int) -> float:
    """Room after the longest bar for its value (a suppressed word sits after a short stub instead)."""
    return max([_text_width(b.value_text, size) for b in bars if b.value is not None] + [24.0]) + 10


def bar_chart(bars: list[Bar], *, title: str, desc: str, note: str = "", width: int = WIDTH) -> str:
    """Horizontal bars, one a category; suppressed values drawn as hatched stubs.

    Short labels stand beside the bars; long ones (KBLI titles) on their own lines above each bar.
    """
    side, label_w, lines = _label_layout([b.label for b in bars], width)
    value_w = _value_width(bars, FONT_SIZE)
    bar_h = 18
    x0 = label_w if side else 4.0
    plot_w = width - x0 - value_w - 6
    top_value = _top(b.value for b in bars)
    parts, y = [], 10.0
    for bar, label in zip(bars, lines):
        if side:
            parts.append(_label(label_w - 8, y + bar_h / 2 + 5, label, bar.label, "end"))
        else:
            parts.append(_label(4, y + 13, label, bar.label))
            y += LINE * len(label) + 2
        w = plot_w * bar.value / top_value if bar.value is not None else 0
        parts.append(_bar(x0, y, w, bar_h, bar, BAR, FONT_SIZE))
        y += bar_h + (8 if side else 12)
    if side:
        parts.append(f'<line x1="{_n(x0)}" y1="6" x2="{_n(x0)}" y2="{_n(y - 4)}" stroke="{MUTED}"/>')
    height = y + 4
    if note:
        text, extra = _note(width, height, note)
        parts.append(text)
        height += extra
    return _open(width, height, title, desc) + "".join(parts) + "</svg>\n"


def _legend(entries: list[tuple[str, str]], width: float, y: float, title: str = "") -> tuple[str, float]:
    """Swatch-and-name entries flowing left to right, wrapping to new lines; after an optional bold title.
    Returns the SVG and the y below the legend."""
    parts, x, row = [], 4.0, 0
    if title:
        parts.append(f'<text x="4" y="{_n(y + 13)}" font-weight="bold" fill="{TEXT}">{_x(title)}:</text>')
        x += _text_width(title + ":") + 10
    for fill, name in entries:
        w = 20 + _text_width(name) + 14
        if x > 4 and x + w - 14 > width - 4:
            x, row = 4.0, row + 1
        top = y + row * 22
        parts.append(f'<rect x="{_n(x)}" y="{_n(top + 1)}" width="14" height="14" fill="{fill}" stroke="{MUTED}"/>')
        parts.append(f'<text x="{_n(x + 20)}" y="{_n(top + 13)}" fill="{TEXT}">{_x(name)}</text>')
        x += w
    return "".join(parts), y + (row + 1) * 22


def grouped_bar_chart(
    groups: list[str],
    series: list[str],
    values: dict[tuple[int, int], Bar],
    *,
    title: str,
    desc: str,
    note: str = "",
    legend_title: str = "",
    width: int = WIDTH,
) -> str:
    """Horizontal bars grouped by ``groups``, one bar a series; legend (named ``legend_title``) on top.

    ``values`` maps (group index, series index) to a Bar (label unused); a missing
    key means the combination is not in the table and is drawn as a gap. Group labels
    stand beside their bars when short, else on their own lines above them.
    """
    legend, y = _legend([(SERIES[s % len(SERIES)], name) for s, name in enumerate(series)], width, 6.0,
                        legend_title)
    side, label_w, lines = _label_layout(groups, width)
    value_w = _value_width(values.values(), SMALL)
    bar_h, step, gap = 13, 15, 12
    x0 = label_w if side else 4.0
    plot_w = width - x0 - value_w - 6
    top_value = _top(b.value for b in values.values())
    parts, y = [legend], y + 6
    axis_top = y - 4
    for g, label in enumerate(lines):
        if side:
            parts.append(_label(label_w - 8, y + step * len(series) / 2 + 4, label, groups[g], "end"))
        else:
            parts.append(_label(4, y + 13, label, groups[g]))
            y += LINE * len(label) + 2
        for s in range(len(series)):
            bar = values.get((g, s))
            if bar is not None:
                w = plot_w * bar.value / top_value if bar.value is not None else 0
                parts.append(_bar(x0, y + s * step, w, bar_h, bar, SERIES[s % len(SERIES)], SMALL))
        y += step * len(series) + gap
    if side:
        parts.append(f'<line x1="{_n(x0)}" y1="{_n(axis_top)}" x2="{_n(x0)}" y2="{_n(y - gap)}" stroke="{MUTED}"/>')
    height = y
    if note:
        text, extra = _note(width, height, note)
        parts.append(text)
        height += extra
    return _open(width, height, title, desc) + "".join(parts) + "</svg>\n"


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
    width: int = WIDTH,
) -> str:
    """Filled map, 5-class sequential palette; suppressed areas hatched, absent ones grey; legend below."""
    published = [v for v in values.values() if v is not None]
    bounds = class_breaks(published)
    palette = PALETTE_5[-len(bounds):] if bounds else ()
    proj = _Projection(areas, width, 1.1 * width)
    parts = []
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
            if box_w < _text_width(area.name, SMALL):
                continue
            parts.append(
                f'<text x="{_n(cx)}" y="{_n(cy)}" text-anchor="middle" font-size="{SMALL}" fill="{TEXT}" '
                f'stroke="#ffffff" stroke-width="3" paint-order="stroke">{_x(area.name)}</text>'
            )
    low = min(published) if published else 0
    entries = []
    for i, bound in enumerate(bounds):
        start = low if i == 0 else bounds[i - 1] + 1
        text = format_number(bound) if start >= bound else f"{format_number(start)}–{format_number(bound)}"
        entries.append((palette[i], text))
    entries.append(("url(#hatch)", suppressed_label))
    if any(area.code not in values for area in areas):
        entries.append((NO_DATA, no_data_label))
    legend, height = _legend(entries, width, proj.height + 6, legend_title)
    return _open(width, height + 4, title, desc) + "".join(parts) + legend + "</svg>\n"


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
