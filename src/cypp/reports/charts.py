"""Trend charts for board reports: Altair specs drawn by vl-convert as SVG or PNG.

Each chart shows the measure's values with their confidence band, the target
trajectory, England and the statistical-neighbour average. Lines differ by dash
pattern and point shape as well as colour, so the chart can be read without
colour; the same figures are always given as a table and a sentence
(:attr:`~cypp.reports.model.MeasureLine.chart_alt`) beside it.
"""

from __future__ import annotations

import base64
import html
import re
from typing import Any

import altair as alt
import vl_convert as vlc

from cypp.reports.model import MeasureLine

__all__ = ["chart_caption", "chart_img", "chart_png", "chart_spec", "chart_svg", "has_chart"]

# GOV.UK palette: blue, black, orange, green; chosen to stay apart in greyscale too.
_SERIES = (
    ("Value", "#1d70b8", [1, 0], "circle"),
    ("Target", "#00703c", [8, 4], "triangle-up"),
    ("England", "#0b0c0c", [2, 2], "square"),
    ("Statistical neighbours", "#f47738", [6, 2, 2, 2], "diamond"),
)
_WIDTH, _HEIGHT = 480, 200


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


def _data(rows: list[dict[str, Any]]) -> alt.Data:
    return alt.Data(values=rows)  # type: ignore[no-untyped-call]


def chart_spec(line: MeasureLine) -> dict[str, Any]:
    """The Vega-Lite specification of a measure's trend chart."""
    rows, band_rows = _rows(line)
    order = [p.period for p in line.series]
    present = [s for s in _SERIES if any(r["series"] == s[0] for r in rows)]
    x = alt.X("period:O", sort=order, title="Period", axis=alt.Axis(labelAngle=0))
    y_title = f"Value ({line.unit_words})" if line.unit_words else "Value"
    layers: list[alt.Chart] = []
    if band_rows:
        layers.append(
            alt.Chart(_data(band_rows))
            .mark_area(opacity=0.25, color="#1d70b8")
            .encode(x=x, y=alt.Y("low:Q", title=y_title), y2="high:Q")
        )
    layers.append(
        alt.Chart(_data(rows))
        .mark_line(point=alt.OverlayMarkDef(size=40, filled=True), strokeWidth=2)
        .encode(
            x=x,
            y=alt.Y("value:Q", title=y_title, scale=alt.Scale(zero=False)),
            color=alt.Color(
                "series:N",
                title=None,
                scale=alt.Scale(domain=[s[0] for s in present], range=[s[1] for s in present]),
                legend=alt.Legend(orient="bottom"),
            ),
            strokeDash=alt.StrokeDash(
                "series:N",
                scale=alt.Scale(domain=[s[0] for s in present], range=[s[2] for s in present]),
                legend=None,
            ),
            shape=alt.Shape(
                "series:N",
                scale=alt.Scale(domain=[s[0] for s in present], range=[s[3] for s in present]),
                legend=None,
            ),
        )
    )
    chart = alt.layer(*layers).properties(width=_WIDTH, height=_HEIGHT)
    spec: dict[str, Any] = chart.to_dict(validate=False)
    spec["config"] = {
        "font": "Arial, Helvetica, sans-serif",
        "axis": {"labelFontSize": 12, "titleFontSize": 12},
        "legend": {"labelFontSize": 12},
    }
    spec["description"] = line.chart_alt
    return spec


_SVG_OPEN = re.compile(r"<svg\b[^>]*>")


def chart_svg(line: MeasureLine, element_id: str) -> str:
    """The chart as inline SVG with ``role="img"`` and a ``<title>`` holding its text alternative.

    WeasyPrint reads that title as the figure's alternate text in tagged PDF.
    """
    svg = vlc.vegalite_to_svg(chart_spec(line))
    match = _SVG_OPEN.search(svg)
    if match is None:
        raise ValueError("the chart renderer returned no SVG element")
    opening = match.group(0)
    opening = opening.replace(' class="marks"', "")
    opening = opening[:-1] + f' role="img" aria-labelledby="{element_id}-title" focusable="false">'
    title = f'<title id="{element_id}-title">{html.escape(line.chart_alt)}</title>'
    return svg[: match.start()] + opening + title + svg[match.end() :]


def chart_img(line: MeasureLine) -> str:
    """The chart as an ``<img>`` with an SVG data URI and the chart sentence as ``alt``.

    Used for print: WeasyPrint draws the image without styling each SVG node and
    tags it as a Figure with that alternate text.
    """
    svg = vlc.vegalite_to_svg(chart_spec(line))
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    alt = html.escape(line.chart_alt, quote=True)
    return f'<img class="cypp-chart__image" src="data:image/svg+xml;base64,{data}" alt="{alt}">'


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
    png: bytes = vlc.vegalite_to_png(chart_spec(line), scale=scale)
    return png
