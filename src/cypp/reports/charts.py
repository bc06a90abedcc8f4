"""Trend charts for board reports: Altair specs drawn by vl-convert as SVG or PNG.

Each chart shows the measure's values with their confidence band, the target
trajectory, England and the statistical-neighbour average. Lines differ by dash
pattern and point shape as well as colour, so the chart can be read without
colour; the same figures are always given as a table and a sentence
(:attr:`~cypp.reports.model.MeasureLine.chart_alt`) beside it.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
import threading
from collections import OrderedDict
from functools import lru_cache
from typing import Any, cast

import vl_convert as vlc

from cypp.reports.model import MeasureLine

__all__ = [
    "chart_caption",
    "chart_img",
    "chart_png",
    "chart_spec",
    "chart_svg",
    "forget_drawn_charts",
    "has_chart",
    "keep_picture",
    "print_key",
    "print_spec",
    "printed_picture",
]

# GOV.UK palette: blue, black, orange, green; chosen to stay apart in greyscale too.
_SERIES = (
    ("Value", "#1d70b8", [1, 0], "circle"),
    ("Target", "#00703c", [8, 4], "triangle-up"),
    ("England", "#0b0c0c", [2, 2], "square"),
    ("Statistical neighbours", "#f47738", [6, 2, 2, 2], "diamond"),
)
_WIDTH, _HEIGHT = 480, 200
# High enough that thin lines and small labels print without visible artefacts.
_JPEG_QUALITY = 92
_SCHEMA = "https://vega.github.io/schema/vega-lite/v6.4.1.json"


def has_chart(line: MeasureLine) -> bool:
    """A chart needs at least one value."""
    return any(p.value is not None for p in line.series)


def _rows(line: MeasureLine) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    lines: list[dict[str, Any]] = []
    band: list[dict[str, Any]] = []
    for point in line.series:
        for name, value in (
            ("Value", point.value),
            ("Target", point.target),
            ("England", point.england),
            ("Statistical neighbours", point.sn_average),
        ):
            if value is not None:
                lines.append({"period": point.period, "series": name, "value": value})
        if point.lower_ci is not None and point.upper_ci is not None:
            band.append({"period": point.period, "low": point.lower_ci, "high": point.upper_ci})
    return lines, band


def _scale(index: int, present: list[tuple[str, str, list[int], str]]) -> dict[str, Any]:
    return {"domain": [s[0] for s in present], "range": [s[index] for s in present]}


def chart_spec(line: MeasureLine) -> dict[str, Any]:
    """The Vega-Lite specification of a measure's trend chart.

    Written out as a plain dictionary (what Altair would emit) because building it
    through Altair's schema classes costs more than drawing the chart.
    """
    rows, band_rows = _rows(line)
    order = [p.period for p in line.series]
    present = [s for s in _SERIES if any(r["series"] == s[0] for r in rows)]
    x = {
        "axis": {"labelAngle": 0},
        "field": "period",
        "sort": order,
        "title": "Period",
        "type": "ordinal",
    }
    y_title = f"Value ({line.unit_words})" if line.unit_words else "Value"
    layers: list[dict[str, Any]] = []
    if band_rows:
        layers.append(
            {
                "data": {"values": band_rows},
                "mark": {"type": "area", "color": "#1d70b8", "opacity": 0.25},
                "encoding": {
                    "x": x,
                    "y": {"field": "low", "title": y_title, "type": "quantitative"},
                    "y2": {"field": "high"},
                },
            }
        )
    series = {"field": "series", "type": "nominal"}
    layers.append(
        {
            "data": {"values": rows},
            "mark": {"type": "line", "point": {"filled": True, "size": 40}, "strokeWidth": 2},
            "encoding": {
                "color": {
                    **series,
                    "legend": {"orient": "bottom"},
                    "scale": _scale(1, present),
                    "title": None,
                },
                "shape": {**series, "legend": None, "scale": _scale(3, present)},
                "strokeDash": {**series, "legend": None, "scale": _scale(2, present)},
                "x": x,
                "y": {
                    "field": "value",
                    "scale": {"zero": False},
                    "title": y_title,
                    "type": "quantitative",
                },
            },
        }
    )
    return {
        "$schema": _SCHEMA,
        "config": {
            "font": "Arial, Helvetica, sans-serif",
            "axis": {"labelFontSize": 12, "titleFontSize": 12},
            "legend": {"labelFontSize": 12},
        },
        "layer": layers,
        "height": _HEIGHT,
        "width": _WIDTH,
        "description": line.chart_alt,
    }


def _draw(spec: dict[str, Any], kind: str, scale: float = 1.0) -> str | bytes:
    """The chart drawn by vl-convert; the same spec is drawn once (web pages and packs
    of an unchanged plan ask for the same charts again)."""
    return _drawn(json.dumps(spec, sort_keys=True), kind, scale)


@lru_cache(maxsize=256)
def _drawn(spec: str, kind: str, scale: float) -> str | bytes:
    if kind == "svg":
        return vlc.vegalite_to_svg(spec)
    if kind == "jpeg":
        return vlc.vegalite_to_jpeg(spec, scale=scale, quality=_JPEG_QUALITY)
    return vlc.vegalite_to_png(spec, scale=scale)


def forget_drawn_charts() -> None:
    """Empty the caches of drawn charts (to time drawing from cold, or free memory)."""
    _drawn.cache_clear()
    with _PICTURES_LOCK:
        _PICTURES.clear()


# --------------------------------------------------------------------------- print pictures

#: Print pictures by :func:`print_key`: the key holds every figure of the chart, so a
#: picture is used again only while the measure's data are the same.
_PICTURES: OrderedDict[str, bytes] = OrderedDict()
_PICTURES_SIZE = 512
_PICTURES_LOCK = threading.Lock()


def print_spec(line: MeasureLine) -> str:
    """The chart's specification as the JSON text the print picture is drawn from."""
    return json.dumps(chart_spec(line), sort_keys=True)


def print_key(spec: str) -> str:
    return hashlib.sha256(spec.encode()).hexdigest()[:40]


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


_SVG_OPEN = re.compile(r"<svg\b[^>]*>")


def chart_svg(line: MeasureLine, element_id: str) -> str:
    """The chart as inline SVG with ``role="img"`` and a ``<title>`` holding its text alternative.

    WeasyPrint reads that title as the figure's alternate text in tagged PDF.
    """
    svg = cast(str, _draw(chart_spec(line), "svg"))
    match = _SVG_OPEN.search(svg)
    if match is None:
        raise ValueError("the chart renderer returned no SVG element")
    opening = match.group(0)
    opening = opening.replace(' class="marks"', "")
    opening = opening[:-1] + f' role="img" aria-labelledby="{element_id}-title" focusable="false">'
    title = f'<title id="{element_id}-title">{html.escape(line.chart_alt)}</title>'
    return svg[: match.start()] + opening + title + svg[match.end() :]


def chart_img(line: MeasureLine, scale: float = 2.0) -> str:
    """The chart as an ``<img>`` with a JPEG data URI and the chart sentence as ``alt``.

    Used for print: WeasyPrint places a picture far faster than it draws an SVG node
    by node, and copies a JPEG into the PDF as it is (a PNG it decodes and compresses
    again). It tags the picture as a Figure with that alternate text.
    """
    jpeg = cast(bytes, _draw(chart_spec(line), "jpeg", scale))
    data = base64.b64encode(jpeg).decode("ascii")
    alt = html.escape(line.chart_alt, quote=True)
    return f'<img class="cypp-chart__image" src="data:image/jpeg;base64,{data}" alt="{alt}">'


def chart_caption(line: MeasureLine) -> str:
    """What the chart shows, for its caption (the figures themselves are in its alternative)."""
    shown = {"Value": False, "Target": False, "England": False, "Statistical neighbours": False}
    band = False
    for point in line.series:
        shown["Value"] |= point.value is not None
        shown["Target"] |= point.target is not None
        shown["England"] |= point.england is not None
        shown["Statistical neighbours"] |= point.sn_average is not None
        band |= point.lower_ci is not None and point.upper_ci is not None
    parts = [f"{line.name} by period"]
    if band:
        parts.append("shaded band: 95% confidence interval")
    if shown["Target"]:
        parts.append("long dashes: target")
    if shown["England"]:
        parts.append("short dashes: England")
    if shown["Statistical neighbours"]:
        parts.append("dash-dot: statistical-neighbour average")
    return "; ".join(parts) + "."


def chart_png(line: MeasureLine, scale: float = 2.0) -> bytes:
    """The chart as PNG (for Word), drawn at ``scale`` times its size for print."""
    png = cast(bytes, _draw(chart_spec(line), "png", scale))
    return png
