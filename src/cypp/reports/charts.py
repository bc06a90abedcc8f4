"""Trend charts for board reports, web pages and print, from a measure's series.

Each chart shows the measure's values with their confidence band, the target
trajectory, England and the statistical-neighbour average
(:mod:`cypp.reports.trend_svg` draws it). Lines differ by dash pattern and point
shape as well as colour, so the chart can be read without colour; the same figures
are always given as a table and a sentence (:attr:`~cypp.reports.model.MeasureLine.chart_alt`)
beside it.
"""

from __future__ import annotations

import base64
import hashlib
import html
import threading
from collections import OrderedDict
from functools import lru_cache

from cypp.reports.model import MeasureLine
from cypp.reports.pictures import PRINT_SCALE, print_picture, svg_png
from cypp.reports.trend_svg import trend_svg

__all__ = [
    "chart_caption",
    "chart_img",
    "chart_png",
    "chart_svg",
    "forget_drawn_charts",
    "has_chart",
    "keep_picture",
    "print_key",
    "print_svg",
    "printed_picture",
]


def has_chart(line: MeasureLine) -> bool:
    """A chart needs at least one value."""
    return any(p.value is not None for p in line.series)


def _lines(line: MeasureLine) -> dict[str, list[float | None]]:
    """Each chart line's figure per period, by its name in the chart's legend."""
    points = line.series
    return {
        "Value": [p.value for p in points],
        "Target": [p.target for p in points],
        "England": [p.england for p in points],
        "Statistical neighbours": [p.sn_average for p in points],
    }


def _band(line: MeasureLine) -> list[tuple[float, float] | None]:
    return [
        (p.lower_ci, p.upper_ci) if p.lower_ci is not None and p.upper_ci is not None else None
        for p in line.series
    ]


def chart_svg(line: MeasureLine, element_id: str) -> str:
    """The chart as inline SVG with ``role="img"`` and a ``<title>`` holding its text
    alternative (WeasyPrint and screen readers read that title)."""
    y_title = f"Value ({line.unit_words})" if line.unit_words else "Value"
    return trend_svg(
        [p.period for p in line.series],
        _lines(line),
        _band(line),
        y_title=y_title,
        title=line.chart_alt,
        title_id=f"{element_id}-title",
    )


def forget_drawn_charts() -> None:
    """Empty the caches of drawn pictures (to time drawing from cold, or free memory)."""
    _png.cache_clear()
    with _PICTURES_LOCK:
        _PICTURES.clear()


@lru_cache(maxsize=256)
def _png(svg: str, scale: float) -> bytes:
    return svg_png(svg, scale)


def chart_png(line: MeasureLine, scale: float = PRINT_SCALE) -> bytes:
    """The chart as PNG (for Word), drawn at ``scale`` times its size for print."""
    return _png(chart_svg(line, f"chart-{line.id}"), scale)


# --------------------------------------------------------------------------- print pictures

#: Print pictures by :func:`print_key`: the key holds every figure of the chart, so a
#: picture is used again only while the measure's data are the same.
_PICTURES: OrderedDict[str, bytes] = OrderedDict()
_PICTURES_SIZE = 512
_PICTURES_LOCK = threading.Lock()


def print_svg(line: MeasureLine) -> str:
    """The SVG text the chart's print picture is drawn from."""
    return chart_svg(line, "chart")


def print_key(svg: str) -> str:
    return hashlib.sha256(svg.encode()).hexdigest()[:40]


def printed_picture(key: str) -> bytes | None:
    """A print picture kept from an earlier pack, by :func:`print_key`."""
    with _PICTURES_LOCK:
        found = _PICTURES.get(key)
        if found is not None:
            _PICTURES.move_to_end(key)
        return found


def keep_picture(key: str, picture: bytes) -> None:
    with _PICTURES_LOCK:
        _PICTURES[key] = picture
        while len(_PICTURES) > _PICTURES_SIZE:
            _PICTURES.popitem(last=False)


def chart_img(line: MeasureLine) -> str:
    """The chart as an ``<img>`` with a JPEG data URI and the chart sentence as ``alt``.

    Used for print: WeasyPrint places a picture far faster than it draws an SVG node
    by node, and copies a JPEG into the PDF as it is. It tags the picture as a Figure
    with that alternate text.
    """
    svg = print_svg(line)
    key = print_key(svg)
    jpeg = printed_picture(key)
    if jpeg is None:
        jpeg = print_picture(svg)
        keep_picture(key, jpeg)
    data = base64.b64encode(jpeg).decode("ascii")
    alt = html.escape(line.chart_alt, quote=True)
    return f'<img class="cypp-chart__image" src="data:image/jpeg;base64,{data}" alt="{alt}">'


def chart_caption(line: MeasureLine) -> str:
    """What the chart shows, for its caption (the figures themselves are in its alternative)."""
    shown = {name for name, values in _lines(line).items() if any(v is not None for v in values)}
    parts = [f"{line.name} by period"]
    if any(_band(line)):
        parts.append("shaded band: 95% confidence interval")
    if "Target" in shown:
        parts.append("long dashes: target")
    if "England" in shown:
        parts.append("short dashes: England")
    if "Statistical neighbours" in shown:
        parts.append("dash-dot: statistical-neighbour average")
    return "; ".join(parts) + "."
