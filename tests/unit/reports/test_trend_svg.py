"""The trend chart's SVG: round ticks, points where the figures are, gaps kept, legend
readable without colour, and a title as its text alternative."""

from __future__ import annotations

import io
import itertools
import re

import pytest
from lxml import etree
from PIL import Image

from cypp.reports.pictures import svg_png
from cypp.reports.trend_svg import (
    MARKER,
    PERIOD_FONT_SIZE,
    PLOT_HEIGHT,
    SERIES,
    nice_ticks,
    text_width,
    trend_svg,
)

NS = {"s": "http://www.w3.org/2000/svg"}
PERIODS = ["2010/11", "2011/12", "2012/13", "2013/14", "2014/15"]


def _chart(**lines: list[float | None]) -> etree._Element:
    named = {name.replace("_", " "): values for name, values in lines.items()}
    band = [(v - 2, v + 2) if v is not None else None for v in named.get("Value", [])]
    svg = trend_svg(
        PERIODS, named, band, y_title="Value (%)", title="Rates fell & rose", title_id="c-title"
    )
    return etree.fromstring(svg.encode())


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [
        (36.2, 61.9, [35, 40, 45, 50, 55, 60, 65]),
        (0.12, 0.57, [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]),
        (1200, 9800, [0, 2000, 4000, 6000, 8000, 10000]),
        (-3.5, 2.1, [-4, -3, -2, -1, 0, 1, 2, 3]),
    ],
)
def test_ticks_are_round_and_cover_the_figures(
    low: float, high: float, expected: list[float]
) -> None:
    assert nice_ticks(low, high) == expected


def test_one_figure_still_gets_an_axis() -> None:
    ticks = nice_ticks(50, 50)
    assert ticks[0] < 50 < ticks[-1] and len(ticks) >= 3


def test_ticks_refuse_a_missing_figure() -> None:
    with pytest.raises(ValueError, match="finite"):
        nice_ticks(float("nan"), 3)


def test_the_title_is_the_text_alternative_and_named_by_aria() -> None:
    svg = _chart(Value=[40, 45, 50, 55, 60])
    assert svg.get("role") == "img"
    title = svg.find("s:title", NS)
    assert title is not None and title.text == "Rates fell & rose"
    assert svg.get("aria-labelledby") == title.get("id") == "c-title"


def _value_points(svg: etree._Element) -> list[tuple[float, float]]:
    """Centres of the value markers (circles drawn as two arcs from their left edge)."""
    paths = [p for p in svg.findall("s:path", NS) if p.get("fill") == SERIES[0].colour]
    found = re.findall(r"M([\d.]+) ([\d.]+)a", paths[0].get("d"))
    return [(float(x) + MARKER, float(y)) for x, y in found]


def test_points_sit_where_their_figures_are() -> None:
    svg = _chart(Value=[40, 45, 50, 55, 60])
    points = _value_points(svg)
    assert len(points) == 5
    xs, ys = [x for x, _ in points], [y for _, y in points]
    assert ys == sorted(ys, reverse=True)  # higher figures are drawn higher
    steps = {round(b - a, 1) for a, b in itertools.pairwise(xs)}
    assert len(steps) == 1  # periods are evenly spaced
    labels = {t.text: float(t.get("y")) for t in svg.findall("s:text", NS) if t.get("y")}
    # The 40 and 60 gridlines' labels line up with the points of 40 and 60.
    assert labels["40"] - 4 == pytest.approx(ys[0], abs=0.1)
    assert labels["60"] - 4 == pytest.approx(ys[-1], abs=0.1)
    assert labels["60"] - labels["40"] == pytest.approx(-PLOT_HEIGHT * 20 / 30, abs=0.2)


def test_each_series_has_its_own_marker_shape_in_the_legend_too() -> None:
    svg = _chart(Value=[40, 45, 50, 55, 60], Target=[50] * 5, England=[45] * 5,
                 Statistical_neighbours=[47] * 5)  # fmt: skip
    marks: dict[str, str] = {}
    for path in svg.findall("s:path", NS):
        marks[path.get("fill")] = marks.get(path.get("fill"), "") + path.get("d")
    # circle arcs, a triangle, a square and a diamond; six markers each (five points and
    # the legend's)
    assert marks[SERIES[0].colour].count("a") == 12
    assert marks[SERIES[1].colour].count("M") == 6 and "H" in marks[SERIES[1].colour]
    assert marks[SERIES[2].colour].count("h") == 12
    assert marks[SERIES[3].colour].count("L") == 18


def test_a_period_without_a_figure_is_skipped_and_splits_the_band() -> None:
    svg = _chart(Value=[40, None, 50, 55, None])
    value_line = next(
        p for p in svg.findall(".//s:polyline", NS) if p.get("stroke") == SERIES[0].colour
    )
    assert len(value_line.get("points").split()) == 3
    bands = svg.findall(".//s:polygon[@fill-opacity]", NS)
    assert [len(b.get("points").split()) for b in bands] == [4]  # 2012/13 to 2013/14
    bars = svg.findall(".//s:rect[@fill-opacity]", NS)  # 2010/11 alone: a bar
    assert len(bars) == 1 and float(bars[0].get("height")) > 0


def test_a_long_axis_title_takes_two_lines_and_never_runs_off() -> None:
    long = "Value (rate per 10,000 children aged under 18 years who were looked after)"
    svg = etree.fromstring(
        trend_svg(
            PERIODS, {"Value": [1.0] * 5}, [None] * 5, y_title=long, title="t", title_id="t"
        ).encode()
    )
    lines = [t.text for t in svg.findall("s:text", NS) if "rotate" in (t.get("transform") or "")]
    assert len(lines) == 2 and all(text_width(line, bold=True) <= PLOT_HEIGHT for line in lines)
    assert lines[0].startswith("Value (rate per") and lines[1].endswith("…")


def test_series_without_figures_are_left_out_of_lines_and_legend() -> None:
    svg = _chart(Value=[40, 45, 50, 55, 60], England=[None] * 5, Target=[None, None, None, 50, 55])
    legend = [t.text for t in svg.findall("s:text", NS) if t.text in {s.name for s in SERIES}]
    assert legend == ["Value", "Target"]
    dashes = {p.get("stroke-dasharray") for p in svg.findall(".//s:polyline", NS)}
    assert dashes == {None, "8 4"}


def test_crowded_period_labels_are_thinned_not_overlapped() -> None:
    periods = [f"{year} Q{q}" for year in range(2010, 2016) for q in range(1, 5)]
    svg = etree.fromstring(
        trend_svg(
            periods,
            {"Value": [float(i) for i in range(len(periods))]},
            [None] * len(periods),
            y_title="Count",
            title="t",
            title_id="t",
        ).encode()
    )
    shown = [t for t in svg.findall("s:text", NS) if t.text in periods]
    assert 1 < len(shown) < len(periods) and shown[0].text == periods[0]
    xs = [float(t.get("x")) for t in shown]
    assert min(b - a for a, b in itertools.pairwise(xs)) > text_width("2010 Q1", PERIOD_FONT_SIZE)


def test_the_chart_needs_a_figure() -> None:
    with pytest.raises(ValueError, match="at least one value"):
        trend_svg(PERIODS, {"Value": [None] * 5}, [None] * 5, y_title="v", title="t", title_id="t")


def test_text_is_escaped() -> None:
    svg = trend_svg(
        ["<2015>"],
        {"Value": [1.0]},
        [None],
        y_title="Rate <per 1,000>",
        title="a & b",
        title_id="t",
    )
    etree.fromstring(svg.encode())  # well-formed
    assert "&lt;2015&gt;" in svg and "Rate &lt;per 1,000&gt;" in svg


def test_the_chart_draws_as_a_picture() -> None:
    svg = trend_svg(
        PERIODS, {"Value": [40, 45, 50, 55, 60]}, [None] * 5, y_title="v", title="t", title_id="t"
    )
    width = int(re.search(r'width="(\d+)"', svg).group(1))  # type: ignore[union-attr]
    picture = Image.open(io.BytesIO(svg_png(svg, 2.0)))
    assert picture.format == "PNG" and picture.width == 2 * width
    blue = (0x1D, 0x70, 0xB8)
    colours = {c[:3] for _, c in picture.convert("RGBA").getcolors(1_000_000)}  # type: ignore[union-attr]
    assert blue in colours


def test_ten_financial_years_are_all_labelled() -> None:
    years = [f"{y}/{(y + 1) % 100:02d}" for y in range(2005, 2015)]
    svg = etree.fromstring(
        trend_svg(
            years, {"Value": [1.0] * 10}, [None] * 10, y_title="v", title="t", title_id="t"
        ).encode()
    )
    assert [t.text for t in svg.findall("s:text", NS) if t.text in years] == years


def test_a_space_is_narrower_than_a_letter() -> None:
    assert text_width(" ") < text_width("s") < text_width("w")
