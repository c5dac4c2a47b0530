"""Boundaries (GeoJSON) and values in, SVG maps out: labelled choropleths (a file, or clickable in a page) and
locator maps.

Every area of a choropleth is labelled: by its name where the name fits inside it, else by a number that a key
under the map names (in a page, a list of links; in a file, lines of text above the source). In a page the map
is inline SVG: each area is a link (Tab reaches it, Enter opens its page) named by its name and value, the
labels lie over the areas without catching the pointer, and the map scales with the page.

Labels sit at the point of the area farthest from its edge among a grid of candidates (a small "pole of
inaccessibility" search on the drawn, simplified outline), found once a process for a set of areas.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from umkm.site.charts import TEXT, Frame, coord, document, legend_svg, text_width, xml_text

NO_DATA = "#f0f0f0"
# ColorBrewer "Blues", 5 classes (sequential, colour-blind safe).
PALETTE_5 = ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c")
HIGHLIGHT = "#d95f02"
OTHER = "#e6e6e6"  # areas outside the one mapped (a kecamatan's neighbours)
LOCATOR_TOLERANCE = 1.5  # px: a 320 px locator map needs less detail than the 400 px choropleth
WIDTH = 400
LABEL_SIZE = 11  # map labels are short (a name that fits, or a number)
LEGEND_SIZE = 12
GRID_STEPS = 12  # candidate label points a side of an area's bounding box


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

    def rings(self, geometry: dict, tolerance: float = 0.6) -> list[list[tuple[float, float]]]:
        """The rings in page units; points closer than ``tolerance`` px to the last kept one are dropped."""
        out = []
        for polygon in _polygons(geometry):
            for ring in polygon:
                points = [self(lon, lat) for lon, lat, *_ in ring]
                kept = [points[0]]
                for p in points[1:-1]:
                    if abs(p[0] - kept[-1][0]) + abs(p[1] - kept[-1][1]) >= tolerance:
                        kept.append(p)
                if len(kept) >= 3:
                    out.append(kept)
        return out

    def path(self, geometry: dict, tolerance: float = 0.6) -> str:
        """SVG path data of the rings (see ``rings``)."""
        return "".join(
            "M" + "L".join(f"{coord(x)},{coord(y)}" for x, y in ring) + "Z" for ring in self.rings(geometry, tolerance)
        )


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


# ------------------------------------------------------------------ labels


def _inside(points: np.ndarray, ring: np.ndarray) -> np.ndarray:
    """Even-odd test of each point (n, 2) against one closed ring (m, 2)."""
    x, y = points[:, :1], points[:, 1:]
    x1, y1 = ring[:, 0], ring[:, 1]
    x2, y2 = np.roll(x1, -1), np.roll(y1, -1)
    crosses = ((y1 > y) != (y2 > y)) & (x < (x2 - x1) * (y - y1) / np.where(y2 == y1, 1e-12, y2 - y1) + x1)
    return crosses.sum(axis=1) % 2 == 1


def _edge_distance(points: np.ndarray, ring: np.ndarray) -> np.ndarray:
    """Distance from each point to the nearest edge of the ring."""
    a, b = ring, np.roll(ring, -1, axis=0)
    ab = b - a
    length = (ab**2).sum(axis=1)
    t = ((points[:, None, :] - a[None]) * ab[None]).sum(axis=2) / np.where(length == 0, 1, length)[None]
    nearest = a[None] + np.clip(t, 0, 1)[..., None] * ab[None]
    return np.sqrt(((points[:, None, :] - nearest) ** 2).sum(axis=2)).min(axis=1)


@dataclass(frozen=True)
class Label:
    x: float
    y: float
    fits: tuple[bool, ...]  # does a box (w, h) fit, for each box asked


def _label_point(rings: list[list[tuple[float, float]]], boxes: tuple[tuple[float, float], ...]) -> Label:
    """The grid point of the largest ring farthest from its edge, and whether boxes (w, h) centred there fit."""
    ring = np.array(max(rings, key=lambda r: _ring_area(r)))
    (x0, y0), (x1, y1) = ring.min(axis=0), ring.max(axis=0)
    gx, gy = np.meshgrid(np.linspace(x0, x1, GRID_STEPS + 2)[1:-1], np.linspace(y0, y1, GRID_STEPS + 2)[1:-1])
    candidates = np.column_stack([gx.ravel(), gy.ravel()])
    candidates = candidates[_inside(candidates, ring)]
    if not len(candidates):
        centre = ring.mean(axis=0)
        return Label(float(centre[0]), float(centre[1]), tuple(False for _ in boxes))
    room = _edge_distance(candidates, ring)
    best = int(room.argmax())
    x, y = candidates[best]
    fits = []
    for w, h in boxes:
        xs, ys = np.linspace(x - w / 2, x + w / 2, 5), (y - h / 2, y, y + h / 2)
        box = np.array([[bx, by] for bx in xs for by in ys])
        fits.append(bool(_inside(box, ring).all() and room[best] >= LABEL_SIZE * 0.6))
    return Label(float(x), float(y), tuple(fits))


def _two_lines(name: str) -> list[str]:
    """A name split at the space nearest its middle (one line if it has no space)."""
    words = name.split()
    if len(words) < 2:
        return [name]
    cut = min(range(1, len(words)), key=lambda i: abs(len(" ".join(words[:i])) - len(" ".join(words[i:]))))
    return [" ".join(words[:cut]), " ".join(words[cut:])]


def _label_text(name: str, label: Label) -> list[str] | None:
    """The name on one line or two, whichever fits (``label.fits`` is (one line, two lines)); None: number it."""
    if label.fits[0]:
        return [name]
    if label.fits[1]:
        return _two_lines(name)
    return None


def _boxes(name: str) -> tuple[tuple[float, float], ...]:
    lines = _two_lines(name)
    return (
        (text_width(name, LABEL_SIZE) + 4, LABEL_SIZE * 1.2),
        (max(text_width(line, LABEL_SIZE) for line in lines) + 4, LABEL_SIZE * 1.2 * len(lines)),
    )


def _ring_area(ring: list[tuple[float, float]]) -> float:
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]))) / 2


_LAYOUTS: dict = {}


def _layout(areas: tuple[Area, ...], width: int, height: float, tolerance: float, frame: tuple[str, ...] | None = None):
    """The projection (fitted to the areas whose codes are in ``frame``, else to all), each area's path and its
    label point: the same for every map of these areas."""
    key = (tuple((a.code, a.name, id(a.geometry)) for a in areas), width, height, tolerance, frame)
    if key not in _LAYOUTS:
        proj = _Projection([a for a in areas if frame is None or a.code in frame], width, height)
        drawn = []
        for area in areas:
            rings = proj.rings(area.geometry, tolerance)
            path = "".join("M" + "L".join(f"{coord(x)},{coord(y)}" for x, y in ring) + "Z" for ring in rings)
            label = _label_point(rings, _boxes(area.name))
            drawn.append((path, label))
        if len(_LAYOUTS) > 8:
            _LAYOUTS.clear()
        # The areas are kept with their paths, so no id in the key can be reused by another object.
        _LAYOUTS[key] = (areas, proj, drawn)
    return _LAYOUTS[key][1:]


def numbered_areas(areas: list[Area], mapped: set[str] | None = None, width: int = WIDTH) -> list[Area]:
    """The (mapped) areas whose names do not fit on a choropleth of ``width``: numbered 1, 2, ... in this order."""
    _, drawn = _layout(tuple(areas), width, 1.1 * width, 0.6, _frame_key(mapped))
    return [
        area
        for area, (_, label) in zip(areas, drawn)
        if _label_text(area.name, label) is None and (mapped is None or area.code in mapped)
    ]


def _frame_key(mapped: set[str] | None) -> tuple[str, ...] | None:
    return None if mapped is None else tuple(sorted(mapped))


# ------------------------------------------------------------------ maps


def choropleth(
    areas: list[Area],
    values: dict[str, float | None],
    *,
    title: str,
    desc: str,
    legend_title: str,
    suppressed_label: str,
    no_data_label: str,
    format_number,
    links: dict[str, str] | None = None,
    link_label=None,
    mapped: set[str] | None = None,
    frame: Frame | None = None,
    key_label=None,
    width: int = WIDTH,
) -> str:
    """Filled map, 5-class sequential palette; suppressed areas hatched, absent ones grey; legend below.

    Every area is labelled, by name where it fits, else by its number in ``numbered_areas``. ``links``
    (code -> href): the areas are links (a clickable map for a page, ``link_label(area, shown)`` naming each).
    ``mapped``: the codes this map is about; the others are drawn plain grey (neighbours). ``frame``: title,
    source and release drawn in the image, with the numbered areas' key (``key_label(number, area)``).
    """
    published = [v for code, v in values.items() if v is not None and (mapped is None or code in mapped)]
    bounds = class_breaks(published)
    palette = PALETTE_5[-len(bounds) :] if bounds else ()
    proj, drawn = _layout(tuple(areas), width, 1.1 * width, 0.6, _frame_key(mapped))
    numbers = {a.code: i + 1 for i, a in enumerate(numbered_areas(areas, mapped, width))}
    shapes, labels = [], []
    for area, (path, label) in zip(areas, drawn):
        value = values.get(area.code, "absent")
        if mapped is not None and area.code not in mapped:
            fill, shown = OTHER, None
        elif value == "absent":
            fill, shown = NO_DATA, no_data_label
        elif value is None:
            fill, shown = "url(#hatch)", suppressed_label
        else:
            cls = next(i for i, b in enumerate(bounds) if value <= b)
            fill, shown = palette[cls], format_number(value)
        tip = f"{area.name}: {shown}" if shown is not None else area.name
        shape = (
            f'<path d="{path}" fill="{fill}" fill-rule="evenodd" stroke="#ffffff" stroke-width="1">'
            f"<title>{xml_text(tip)}</title></path>"
        )
        href = (links or {}).get(area.code)
        if href is not None:
            name = link_label(area, shown) if link_label else tip
            shape = f'<a href="{xml_text(href)}" aria-label="{xml_text(name)}">{shape}</a>'
        shapes.append(shape)
        if mapped is not None and area.code not in mapped:
            continue
        dark = fill in palette[-2:] and fill != palette[0]
        lines = [str(numbers[area.code])] if area.code in numbers else _label_text(area.name, label)
        colour, halo = ("#ffffff", "#08306b") if dark else (TEXT, "#ffffff")
        first = label.y + LABEL_SIZE * 0.35 - (len(lines) - 1) * LABEL_SIZE * 0.6
        spans = "".join(
            f'<tspan x="{coord(label.x)}" dy="{0 if i == 0 else coord(LABEL_SIZE * 1.2)}">{xml_text(line)}</tspan>'
            for i, line in enumerate(lines)
        )
        labels.append(
            f'<text x="{coord(label.x)}" y="{coord(first)}" text-anchor="middle" font-size="{LABEL_SIZE}" '
            f'fill="{colour}" stroke="{halo}" stroke-width="2.5" paint-order="stroke">{spans}</text>'
        )
    low = min(published) if published else 0
    entries = []
    for i, bound in enumerate(bounds):
        start = low if i == 0 else bounds[i - 1] + 1
        text = format_number(bound) if start >= bound else f"{format_number(start)}–{format_number(bound)}"
        entries.append((palette[i], text))
    if any(values.get(a.code, 0) is None for a in areas if mapped is None or a.code in mapped):
        entries.append(("url(#hatch)", suppressed_label))
    if any(area.code not in values for area in areas if mapped is None or area.code in mapped):
        entries.append((NO_DATA, no_data_label))
    legend, height = legend_svg(entries, width, proj.height + 6, legend_title)
    # A map shown wider than it is drawn (up to the column's width) keeps its legend's text moderate.
    legend = f'<g font-size="{LEGEND_SIZE}">{legend}</g>'
    # Labels never catch the pointer (a click on a label opens the area under it) and are not read out
    # twice (each link, or the file's description, names its area).
    # The map in a nested <svg> of its own size, which clips the neighbours a kecamatan's map shows around it.
    body = (
        f'<svg width="{coord(width)}" height="{coord(proj.height)}" overflow="hidden">'
        + "".join(shapes)
        + f'<g pointer-events="none" aria-hidden="true">{"".join(labels)}</g></svg>'
        + legend
    )
    if frame is not None and numbers:
        by_code = {a.code: a for a in areas}
        key = "; ".join((key_label or (lambda n, a: f"{n} {a.name}"))(n, by_code[c]) for c, n in numbers.items())
        frame = Frame(frame.title, frame.source, frame.release, frame.mark, (key,))
    return document(width, height + 4, title, desc, body, frame, role="group" if links else "img")


def locator_map(background: list[Area], highlight: list[Area], *, title: str, desc: str, width: int = 320) -> str:
    """Small map of the whole city (``background``) with ``highlight`` drawn over it."""
    proj, drawn = _layout(tuple(background), width, 320, LOCATOR_TOLERANCE)
    parts = []
    for area, (path, _) in zip(background, drawn):
        parts.append(
            f'<path d="{path}" fill="{OTHER}" fill-rule="evenodd" '
            f'stroke="#ffffff" stroke-width="1.5"><title>{xml_text(area.name)}</title></path>'
        )
    for area in highlight:
        parts.append(
            f'<path d="{proj.path(area.geometry, LOCATOR_TOLERANCE)}" fill="{HIGHLIGHT}" fill-rule="evenodd" '
            f'stroke="{TEXT}" stroke-width="1"><title>{xml_text(area.name)}</title></path>'
        )
    return document(proj.width, proj.height, title, desc, "".join(parts))
