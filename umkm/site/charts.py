"""Numbers in, static SVG text out: bar charts, grouped bar charts and line charts (maps: umkm/site/maps.py).

Hand-written SVG from string templates (about 1 KB and well under a millisecond a
chart, no JavaScript, no fonts to load). Every chart carries a <title> and <desc>
so it reads on its own (it is embedded with <img alt=...> and offered as a
download); the page puts the same numbers in a table beside it. Given a ``Frame``,
the image also carries its title, source, release, licence and (in a demo) the
synthetic mark, so a saved or shared copy (SVG, or PNG from umkm/site/images.py) still
says what it shows and where it comes from.

Every text that reaches the SVG goes through ``xml_text`` (XML escaping). Output is
deterministic: no ids from counters or clocks, fixed float formatting.

Sized for phones: charts are drawn ``WIDTH`` (400) units wide with 14 px text, and the
page shows them at that size at most (never scaled up), so a 390 px phone, whose
content column is about 358 px, shows the text at about 12.5 px and a desktop at 14 px.
Category labels that do not fit beside the bars go on their own line above them
(wrapped, up to two lines), legends wrap, and the map's legend sits under the map.
"""

from __future__ import annotations

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
MARK = "#a50f15"  # the synthetic-data mark: 8.4:1 on white
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


def xml_text(text: object) -> str:
    return escape(str(text), quote=True)


def coord(value: float) -> str:
    """Fixed, short number formatting for coordinates (deterministic)."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _open(width: float, height: float, title: str, desc: str, role: str = "img") -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {coord(width)} {coord(height)}" '
        f'width="{coord(width)}" height="{coord(height)}" role="{role}" aria-labelledby="title desc" '
        f'font-family="{xml_text(FONT)}" font-size="{FONT_SIZE}">'
        f'<title id="title">{xml_text(title)}</title><desc id="desc">{xml_text(desc)}</desc>'
        f"<defs>{_HATCH}</defs>"
        f'<rect width="100%" height="100%" fill="#ffffff"/>'
    )


@dataclass(frozen=True)
class Frame:
    """What an image says about itself, drawn inside it: title on top (with the synthetic mark under it in a
    demo), source and release (with licence and address) at the bottom. ``key``: lines under the chart before
    the source (a map's numbered areas)."""

    title: str
    source: str
    release: str
    mark: str = ""
    key: tuple[str, ...] = ()


TITLE_SIZE, TITLE_LINE = 15, 19


def _header(frame: Frame, width: float) -> tuple[str, float]:
    """Title (bold, wrapped) and the synthetic mark; their SVG and height."""
    lines = wrap_label(frame.title, int((width - 8) / (0.68 * TITLE_SIZE)), lines=3)  # bold letters are wider
    spans = "".join(
        f'<tspan x="4" dy="{0 if i == 0 else TITLE_LINE}">{xml_text(line)}</tspan>' for i, line in enumerate(lines)
    )
    out = [
        f'<text class="judul" x="4" y="{coord(8 + TITLE_SIZE)}" font-size="{TITLE_SIZE}" font-weight="bold" '
        f'fill="{TEXT}">{spans}</text>'
    ]
    height = 8 + TITLE_LINE * len(lines) + 4
    if frame.mark:
        out.append(
            f'<text class="sintetis" x="4" y="{coord(height + SMALL)}" font-size="{SMALL}" font-weight="bold" '
            f'fill="{MARK}">{xml_text(frame.mark)}</text>'
        )
        height += 18
    return "".join(out), height + 6


def _footer(frame: Frame, width: float, y: float) -> tuple[str, float]:
    """The key (if any), then source and release lines in small grey text under a rule; SVG and height."""
    out = [f'<line x1="4" x2="{coord(width - 4)}" y1="{coord(y + 4)}" y2="{coord(y + 4)}" stroke="{GRID}"/>']
    top = y + 8
    for css, text, colour in [("kunci", line, TEXT) for line in frame.key] + [
        ("sumber", frame.source, MUTED),
        ("rilis", frame.release, MUTED),
    ]:
        lines = wrap_label(text, _chars(width - 8, 12), lines=12 if css == "kunci" else 4)
        spans = "".join(
            f'<tspan x="4" dy="{0 if i == 0 else 15}">{xml_text(line)}</tspan>' for i, line in enumerate(lines)
        )
        out.append(f'<text class="{css}" x="4" y="{coord(top + 12)}" font-size="12" fill="{colour}">{spans}</text>')
        top += 15 * len(lines) + 2
    return "".join(out), top + 4 - y


def document(
    width: float, height: float, title: str, desc: str, body: str, frame: Frame | None = None, role: str = "img"
) -> str:
    """The whole SVG: ``body`` (drawn from y = 0 to ``height``) under the frame's header and above its footer."""
    if frame is None:
        return _open(width, height, title, desc, role) + body + "</svg>\n"
    header, top = _header(frame, width)
    footer, bottom = _footer(frame, width, top + height)
    return (
        _open(width, top + height + bottom, title, desc, role)
        + header
        + f'<g transform="translate(0 {coord(top)})">{body}</g>'
        + footer
        + "</svg>\n"
    )


def _clip(label: str, limit: int = 34) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def text_width(label: str, size: float = FONT_SIZE) -> float:
    return 0.6 * size * len(label)  # about 0.6 em a character in common sans fonts


def _chars(width: float, size: float = FONT_SIZE) -> int:
    """How many characters fit in ``width`` (the inverse of text_width)."""
    return max(4, int(width / (0.6 * size)))


def wrap_label(label: str, limit: int, lines: int = 2) -> list[str]:
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
    spans = "".join(
        f'<tspan x="{coord(x)}" dy="{0 if i == 0 else LINE}">{xml_text(line)}</tspan>' for i, line in enumerate(lines)
    )
    return (
        f'<text x="{coord(x)}" y="{coord(y)}" text-anchor="{anchor}" fill="{TEXT}"><title>{xml_text(full)}</title>'
        f"{spans}</text>"
    )


def _note(width: float, y: float, note: str) -> tuple[str, float]:
    """A note under the chart (wrapped); its SVG and height."""
    lines = wrap_label(note, _chars(width - 8, SMALL), lines=3)
    spans = "".join(f'<tspan x="4" dy="{0 if i == 0 else 16}">{xml_text(line)}</tspan>' for i, line in enumerate(lines))
    return (f'<text x="4" y="{coord(y + 13)}" fill="{MUTED}" font-size="{SMALL}">{spans}</text>', 16 * len(lines) + 8)


def _top(values) -> int:
    """The largest published value: it fills the plot (no axis to round to)."""
    return max([v for v in values if v is not None] + [1])


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # None: suppressed (or too few actors to show)
    value_text: str  # formatted number, or the "suppressed" word
    uncertain: bool = False  # a value over a small base: drawn hollow (an outline, no fill)


def _label_layout(labels: list[str], width: float) -> tuple[bool, float, list[list[str]]]:
    """Labels beside the bars (True, their column width, one line each) or above them (False, 0, wrapped)."""
    widest = max([text_width(t) for t in labels] + [40.0])
    if widest <= SIDE_LABELS * width:
        return True, widest + 12, [[t] for t in labels]
    return False, 0.0, [wrap_label(t, _chars(width - 8)) for t in labels]


def _bar(x: float, y: float, w: float, h: float, bar: Bar, colour: str, size: int) -> str:
    """One bar and its value after it; a suppressed value is a hatched stub and the word."""
    if bar.value is None:
        w = 18.0
        mark = f'<rect x="{coord(x)}" y="{coord(y)}" width="{coord(w)}" height="{coord(h)}" fill="url(#hatch)" stroke="{MUTED}"/>'
        fill = MUTED
    elif bar.uncertain:
        mark = (
            f'<rect x="{coord(x + 0.75)}" y="{coord(y + 0.75)}" width="{coord(max(w - 1.5, 1))}" height="{coord(h - 1.5)}" '
            f'fill="#ffffff" stroke="{colour}" stroke-width="1.5"/>'
        )
        fill = TEXT
    else:
        mark = f'<rect x="{coord(x)}" y="{coord(y)}" width="{coord(w)}" height="{coord(h)}" fill="{colour}"/>'
        fill = TEXT
    return mark + (
        f'<text x="{coord(x + w + 5)}" y="{coord(y + h / 2 + size * 0.35)}" font-size="{size}" '
        f'fill="{fill}">{xml_text(bar.value_text)}</text>'
    )


def _value_width(bars, size: int) -> float:
    """Room after the longest bar for its value (a suppressed word sits after a short stub instead)."""
    return max([text_width(b.value_text, size) for b in bars if b.value is not None] + [24.0]) + 10


def bar_chart(
    bars: list[Bar],
    *,
    title: str,
    desc: str,
    note: str = "",
    width: int = WIDTH,
    frame: Frame | None = None,
    top: float | None = None,
) -> str:
    """Horizontal bars, one a category; suppressed values drawn as hatched stubs.

    Short labels stand beside the bars; long ones (KBLI titles) on their own lines above each bar.
    ``top``: the value that fills the plot (100 for percentages); default the largest value.
    """
    side, label_w, lines = _label_layout([b.label for b in bars], width)
    value_w = _value_width(bars, FONT_SIZE)
    bar_h = 18
    x0 = label_w if side else 4.0
    plot_w = width - x0 - value_w - 6
    top_value = top or _top(b.value for b in bars)
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
        parts.append(f'<line x1="{coord(x0)}" y1="6" x2="{coord(x0)}" y2="{coord(y - 4)}" stroke="{MUTED}"/>')
    height = y + 4
    if note:
        text, extra = _note(width, height, note)
        parts.append(text)
        height += extra
    return document(width, height, title, desc, "".join(parts), frame)


def legend_svg(entries: list[tuple[str, str]], width: float, y: float, title: str = "") -> tuple[str, float]:
    """Swatch-and-name entries flowing left to right, wrapping to new lines; after an optional bold title.
    Returns the SVG and the y below the legend."""
    parts, x, row = [], 4.0, 0
    if title:
        parts.append(f'<text x="4" y="{coord(y + 13)}" font-weight="bold" fill="{TEXT}">{xml_text(title)}:</text>')
        x += text_width(title + ":") + 10
    for fill, name in entries:
        w = 20 + text_width(name) + 14
        if x > 4 and x + w - 14 > width - 4:
            x, row = 4.0, row + 1
        top = y + row * 22
        parts.append(
            f'<rect x="{coord(x)}" y="{coord(top + 1)}" width="14" height="14" fill="{fill}" stroke="{MUTED}"/>'
        )
        parts.append(f'<text x="{coord(x + 20)}" y="{coord(top + 13)}" fill="{TEXT}">{xml_text(name)}</text>')
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
    frame: Frame | None = None,
    top: float | None = None,
) -> str:
    """Horizontal bars grouped by ``groups``, one bar a series; legend (named ``legend_title``) on top.

    ``values`` maps (group index, series index) to a Bar (label unused); a missing
    key means the combination is not in the table and is drawn as a gap. Group labels
    stand beside their bars when short, else on their own lines above them.
    """
    legend, y = legend_svg([(SERIES[s % len(SERIES)], name) for s, name in enumerate(series)], width, 6.0, legend_title)
    side, label_w, lines = _label_layout(groups, width)
    value_w = _value_width(values.values(), SMALL)
    bar_h, step, gap = 13, 15, 12
    x0 = label_w if side else 4.0
    plot_w = width - x0 - value_w - 6
    top_value = top or _top(b.value for b in values.values())
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
        parts.append(
            f'<line x1="{coord(x0)}" y1="{coord(axis_top)}" x2="{coord(x0)}" y2="{coord(y - gap)}" stroke="{MUTED}"/>'
        )
    height = y
    if note:
        text, extra = _note(width, height, note)
        parts.append(text)
        height += extra
    return document(width, height, title, desc, "".join(parts), frame)


def line_chart(
    x_labels: list[str],
    series: list[tuple[str, list[float | None]]],
    *,
    title: str,
    desc: str,
    format_value,
    note: str = "",
    width: int = WIDTH,
    frame: Frame | None = None,
    bottom: float = 0.0,
) -> str:
    """One line a series over ``x_labels`` (releases), each point marked and its value written beside it.

    A missing value (None) breaks the line. The y axis runs from ``bottom`` (0 by default) to the largest
    value, with three grid lines; the legend sits on top when there is more than one series.
    """
    legend, y0 = ("", 6.0)
    if len(series) > 1:
        legend, y0 = legend_svg([(SERIES[i % len(SERIES)], name) for i, (name, _) in enumerate(series)], width, 6.0)
    values = [v for _, line in series for v in line if v is not None]
    high = max(values + [bottom + 1])
    label_w = max([text_width(format_value(high), SMALL)] + [24.0]) + 8
    left, right = label_w + 4, width - 12 - text_width(x_labels[-1], SMALL) / 2
    top, plot_h = y0 + 12, 150.0
    parts = [legend]

    def y_of(v: float) -> float:
        return top + plot_h * (1 - (v - bottom) / ((high - bottom) or 1))

    for k in range(3):
        v = bottom + (high - bottom) * k / 2
        parts.append(
            f'<line x1="{coord(left)}" x2="{coord(width - 4)}" y1="{coord(y_of(v))}" y2="{coord(y_of(v))}" '
            f'stroke="{GRID}"/>'
        )
        parts.append(
            f'<text x="{coord(left - 6)}" y="{coord(y_of(v) + 4)}" text-anchor="end" font-size="{SMALL}" '
            f'fill="{MUTED}">{xml_text(format_value(v))}</text>'
        )
    step = (right - left) / max(len(x_labels) - 1, 1)
    xs = [left + step * i if len(x_labels) > 1 else (left + right) / 2 for i in range(len(x_labels))]
    for x, label in zip(xs, x_labels):
        parts.append(
            f'<text x="{coord(x)}" y="{coord(top + plot_h + 18)}" text-anchor="middle" font-size="{SMALL}" '
            f'fill="{TEXT}">{xml_text(label)}</text>'
        )
    for i, (name, line) in enumerate(series):
        colour = SERIES[i % len(SERIES)]
        runs, run = [], []
        for x, v in zip(xs, line):
            if v is None:
                runs, run = runs + [run] if run else runs, []
            else:
                run.append((x, y_of(v)))
        runs += [run] if run else []
        for run in runs:
            if len(run) > 1:
                points = " ".join(f"{coord(x)},{coord(y)}" for x, y in run)
                parts.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2.5"/>')
        for x, v in zip(xs, line):
            if v is not None:
                parts.append(
                    f'<circle cx="{coord(x)}" cy="{coord(y_of(v))}" r="4" fill="{colour}"><title>{xml_text(name)}, '
                    f"{xml_text(format_value(v))}</title></circle>"
                )
                parts.append(
                    f'<text x="{coord(x)}" y="{coord(y_of(v) - 9)}" text-anchor="middle" font-size="{SMALL}" '
                    f'fill="{TEXT}" stroke="#ffffff" stroke-width="3" paint-order="stroke">'
                    f"{xml_text(format_value(v))}</text>"
                )
    height = top + plot_h + 28
    if note:
        text, extra = _note(width, height, note)
        parts.append(text)
        height += extra
    return document(width, height, title, desc, "".join(parts), frame)
