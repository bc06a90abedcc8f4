"""A measure's trend chart written directly as SVG.

A chart engine that runs a JavaScript runtime spent about 60 ms drawing each chart
(seconds for a board pack of 60 measures). This chart is a fixed design,
values with their confidence band, the target trajectory, England and the
statistical-neighbour average over an ordinal period axis, so it is written here as a few
dozen plain SVG elements, which every renderer draws quickly: browsers, WeasyPrint (print)
and resvg (pictures for Word).

Series differ by dash pattern and point shape as well as colour, and the legend shows
both, so the chart reads in greyscale. The text alternative is the SVG's ``<title>``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape

__all__ = ["SERIES", "Series", "nice_ticks", "text_width", "trend_svg"]


@dataclass(frozen=True)
class Series:
    """How one line is drawn."""

    name: str
    colour: str
    dash: str | None
    shape: str


# GOV.UK palette: blue, green, black, orange; chosen to stay apart in greyscale too.
SERIES = (
    Series("Value", "#1d70b8", None, "circle"),
    Series("Target", "#00703c", "8 4", "triangle"),
    Series("England", "#0b0c0c", "2 2", "square"),
    Series("Statistical neighbours", "#f47738", "6 2 2 2", "diamond"),
)
BAND_COLOUR = "#1d70b8"
GRID_COLOUR = "#dddddd"
TEXT_COLOUR = "#0b0c0c"
#: Arial where it is installed; on Linux its metric twin Liberation Sans (named, so that a
#: renderer without fontconfig's aliases finds it without searching every font).
FONT = "Arial, Helvetica, 'Liberation Sans', 'DejaVu Sans', sans-serif"
FONT_SIZE = 12
#: Period labels are a little smaller, so that ten financial years ("2014/15") fit.
PERIOD_FONT_SIZE = 11
#: DejaVu Sans is up to this much wider than Arial.
_WIDER = 1.12
PLOT_WIDTH, PLOT_HEIGHT = 480, 200
#: Point markers cover about 40 square pixels, as the earlier charts' points did.
MARKER = 3.6

# Advance widths of Helvetica/Arial in thousandths of an em (the common characters of
# labels; others take an average). Used to place labels without a font engine.
_WIDTHS = {
    **dict.fromkeys("0123456789", 556),
    **dict.fromkeys(" ./:,;!'|ijlI", 278),
    **dict.fromkeys("()-[]ft", 333),
    "r": 333,
    "%": 889,
    "m": 833,
    "M": 833,
    "W": 944,
    **dict.fromkeys("ABEKPSVXY", 667),
    **dict.fromkeys("CDHNRUw", 722),
    **dict.fromkeys("FTZ", 611),
    **dict.fromkeys("GOQ", 778),
    "J": 500,
    "L": 556,
    **dict.fromkeys("cksxyzv", 500),
}


def text_width(text: str, size: float = FONT_SIZE, bold: bool = False) -> float:
    """Width of ``text`` in pixels at ``size``: Arial's, widened to leave room for DejaVu
    Sans, the font a Linux server without Arial or Liberation Sans draws pictures in."""
    units = sum(_WIDTHS.get(character, 556) for character in text)
    return units * size / 1000 * _WIDER * (1.05 if bold else 1.0)


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering ``low``..``high`` (about ``count`` of them, as d3 picks)."""
    if not (math.isfinite(low) and math.isfinite(high)):
        raise ValueError("tick limits must be finite numbers")
    if high < low:
        low, high = high, low
    if high == low:
        spread = abs(low) * 0.1 or 1.0
        low, high = low - spread, high + spread
    raw = (high - low) / count
    power = 10 ** math.floor(math.log10(raw))
    error = raw / power
    step = power * (
        10 if error >= 50**0.5 else 5 if error >= 10**0.5 else 2 if error >= 2**0.5 else 1
    )
    first, last = math.floor(low / step), math.ceil(high / step)
    return [round(i * step, _decimals(step)) for i in range(first, last + 1)]


def _decimals(step: float) -> int:
    """Decimal places that tell ticks ``step`` apart (0.5 → 1, 5 → 0)."""
    return max(0, -math.floor(math.log10(step) + 1e-9))


def _tick_text(value: float, ticks: Sequence[float]) -> str:
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1.0
    return f"{value:,.{_decimals(step)}f}"


def _marker(shape: str, x: float, y: float) -> str:
    """Path data of one point marker: a series' markers share one ``<path>``, which every
    renderer draws far faster than one element per point."""
    r = MARKER
    if shape == "circle":
        return f"M{x - r:.1f} {y:.1f}a{r} {r} 0 1 0 {2 * r:.1f} 0a{r} {r} 0 1 0 {-2 * r:.1f} 0Z"
    if shape == "square":
        side = r * 1.8
        return f"M{x - side / 2:.1f} {y - side / 2:.1f}h{side:.1f}v{side:.1f}h{-side:.1f}Z"
    if shape == "triangle":
        h = r * 1.25
        return f"M{x:.1f} {y - h:.1f}L{x + h:.1f} {y + h * 0.8:.1f}H{x - h:.1f}Z"
    d = r * 1.35  # diamond
    return f"M{x:.1f} {y - d:.1f}L{x + d:.1f} {y:.1f}L{x:.1f} {y + d:.1f}L{x - d:.1f} {y:.1f}Z"


def _markers(series: Series, points: Sequence[tuple[float, float]]) -> str:
    marks = "".join(_marker(series.shape, x, y) for x, y in points)
    return f'<path d="{marks}" fill="{series.colour}"/>'


def _label_every(labels: Sequence[str], step: float) -> int:
    """Show every n-th period label so that neighbours do not overlap."""
    widest = max((text_width(label, PERIOD_FONT_SIZE) for label in labels), default=0.0)
    return max(1, math.ceil((widest + 3) / step)) if step > 0 else 1


@dataclass(frozen=True)
class _Frame:
    """Where the plot sits and how values map onto it."""

    left: float
    top: float
    ticks: list[float]
    step: float

    def x(self, index: int) -> float:
        return self.left + self.step * (index + 0.5)

    def y(self, value: float) -> float:
        low, high = self.ticks[0], self.ticks[-1]
        return self.top + PLOT_HEIGHT * (high - value) / (high - low)


def trend_svg(
    periods: Sequence[str],
    lines: Mapping[str, Sequence[float | None]],
    band: Sequence[tuple[float, float] | None],
    *,
    y_title: str,
    title: str,
    title_id: str,
) -> str:
    """The chart as one ``<svg>`` element.

    ``lines`` maps a :data:`SERIES` name to one value (or None) per period; ``band``
    gives each period's confidence limits (or None). ``title`` is the text alternative.
    """
    shown = [s for s in SERIES if any(v is not None for v in lines.get(s.name, ()))]
    values = [v for s in shown for v in lines[s.name] if v is not None]
    values += [limit for pair in band if pair is not None for limit in pair]
    if not values:
        raise ValueError("a trend chart needs at least one value")
    ticks = nice_ticks(min(values), max(values))
    tick_texts = [_tick_text(t, ticks) for t in ticks]
    title_lines = _title_lines(y_title, PLOT_HEIGHT)
    title_width = len(title_lines) * (FONT_SIZE + 2)
    left = 4 + title_width + 6 + max(text_width(t) for t in tick_texts) + 2 + 5
    step = PLOT_WIDTH / max(1, len(periods))
    frame = _Frame(left=math.ceil(left), top=8, ticks=ticks, step=step)
    bottom = frame.top + PLOT_HEIGHT
    legend_y = bottom + 5 + 3 + FONT_SIZE + 6 + FONT_SIZE + 16
    width = math.ceil(frame.left + PLOT_WIDTH + 10)
    height = math.ceil(legend_y + FONT_SIZE + 4)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="{title_id}" '
        f'focusable="false" font-family="{FONT}" font-size="{FONT_SIZE}" fill="{TEXT_COLOUR}">',
        f'<title id="{title_id}">{escape(title)}</title>',
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
    ]
    parts += _grid_and_axes(frame, periods, tick_texts, title_lines, bottom)
    parts += _band(frame, band)
    for series in shown:
        parts += _line(frame, series, lines[series.name])
    parts += _legend(shown, frame.left, legend_y)
    parts.append("</svg>")
    return "".join(parts)


def _title_lines(title: str, room: float) -> list[str]:
    """The axis title on one line, or two if it is longer than ``room``; a title too long
    even for two ends with an ellipsis (the caption and table give it in full)."""
    if text_width(title, bold=True) <= room:
        return [title]
    words, first = title.split(), ""
    for count in range(len(words), 0, -1):
        first = " ".join(words[:count])
        if text_width(first, bold=True) <= room:
            break
    rest = title[len(first) :].strip()
    while rest and text_width(rest + "…", bold=True) > room:
        rest = rest[:-1]
    if rest != title[len(first) :].strip():
        rest = rest.rstrip() + "…"
    return [first, rest] if rest else [first]


def _grid_and_axes(
    frame: _Frame, periods: Sequence[str], tick_texts: list[str], title: list[str], bottom: float
) -> list[str]:
    left, right = frame.left, frame.left + PLOT_WIDTH
    grid, labels = [], []
    for tick, text in zip(frame.ticks, tick_texts, strict=True):
        y = frame.y(tick)
        grid.append(f"M{left} {y:.1f}H{right}")
        labels.append(
            f'<text x="{left - 7}" y="{y + 4:.1f}" text-anchor="end">{escape(text)}</text>'
        )
    every = _label_every(periods, frame.step)
    ticks = []
    for index, period in enumerate(periods):
        x = frame.x(index)
        grid.append(f"M{x:.1f} {frame.top}V{bottom}")
        ticks.append(f"M{x:.1f} {bottom}v5")
        if index % every == 0:
            labels.append(
                f'<text x="{x:.1f}" y="{bottom + 5 + 3 + FONT_SIZE - 2}" '
                f'text-anchor="middle" font-size="{PERIOD_FONT_SIZE}">{escape(period)}</text>'
            )
    middle_y = frame.top + PLOT_HEIGHT / 2
    return [
        f'<path d="{"".join(grid)}" stroke="{GRID_COLOUR}" stroke-width="1" fill="none"/>',
        f'<path d="M{left} {frame.top}V{bottom}H{right}{"".join(ticks)}" '
        f'stroke="#505a5f" stroke-width="1" fill="none"/>',
        *labels,
        f'<text x="{left + PLOT_WIDTH / 2:.1f}" y="{bottom + 5 + 3 + FONT_SIZE + 6 + FONT_SIZE}" '
        'text-anchor="middle" font-weight="bold">Period</text>',
        *(
            f'<text transform="translate({4 + FONT_SIZE + i * (FONT_SIZE + 2)} {middle_y:.1f}) '
            f'rotate(-90)" text-anchor="middle" font-weight="bold">{escape(line)}</text>'
            for i, line in enumerate(title)
        ),
    ]


def _band(frame: _Frame, band: Sequence[tuple[float, float] | None]) -> list[str]:
    """The confidence band over each run of periods that has limits."""
    shapes, run = [], []
    for index, pair in enumerate([*band, None]):
        if pair is not None:
            run.append((index, pair))
            continue
        if len(run) == 1:  # one period: its interval as a bar across the point
            first, (low, high) = run[0]
            x = frame.x(first)
            shapes.append(
                f'<rect x="{x - 6:.1f}" y="{frame.y(high):.1f}" width="12" '
                f'height="{frame.y(low) - frame.y(high):.1f}" fill="{BAND_COLOUR}" '
                'fill-opacity="0.25"/>'
            )
            run = []
        elif run:
            upper = [f"{frame.x(i):.1f},{frame.y(high):.1f}" for i, (_, high) in run]
            lower = [f"{frame.x(i):.1f},{frame.y(low):.1f}" for i, (low, _) in reversed(run)]
            shapes.append(
                f'<polygon points="{" ".join(upper + lower)}" fill="{BAND_COLOUR}" '
                'fill-opacity="0.25"/>'
            )
            run = []
    return shapes


def _line(frame: _Frame, series: Series, values: Sequence[float | None]) -> list[str]:
    """The series as one line through its points (periods without a figure are skipped)."""
    points = [(frame.x(i), frame.y(v)) for i, v in enumerate(values) if v is not None]
    dash = f' stroke-dasharray="{series.dash}"' if series.dash else ""
    path = [
        f'<polyline points="{" ".join(f"{x:.1f},{y:.1f}" for x, y in points)}" fill="none" '
        f'stroke="{series.colour}" stroke-width="2"{dash}/>'
    ]
    return [*path, _markers(series, points)]


def _legend(shown: Sequence[Series], left: float, y: float) -> list[str]:
    parts, x = [], left
    for series in shown:
        dash = f' stroke-dasharray="{series.dash}"' if series.dash else ""
        parts.append(
            f'<path d="M{x:.1f} {y - 4}h24" stroke="{series.colour}" stroke-width="2"{dash}/>'
        )
        parts.append(_markers(series, [(x + 12, y - 4)]))
        parts.append(f'<text x="{x + 30:.1f}" y="{y}">{escape(series.name)}</text>')
        x += 30 + text_width(series.name) + 18
    return parts
