"""The board pack as accessible HTML (GOV.UK Design System markup).

Headings run h1 → h4 without gaps, every table has a caption and header cells
with ``scope``, ratings are written in words inside their coloured tag, and each
chart is inline SVG with ``role="img"``, a ``<title>`` and a caption sentence,
followed by the same figures as a table. The PDF renderer prints this same HTML.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from importlib.resources import files
from itertools import groupby

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from cypp.reports.charts import chart_caption, chart_img, chart_svg, has_chart
from cypp.reports.model import STATUS_ORDER, ActionRow, BoardPack, MeasureLine
from cypp.stats.rating import Status

__all__ = ["PRINT_PERIODS", "render_charts", "render_html", "stylesheet"]

# Periods in each measure's figures table in print; the Excel pack holds them all.
PRINT_PERIODS = 5

_TAG_CLASS = {
    Status.RED: "govuk-tag--red",
    Status.AMBER: "govuk-tag--yellow",
    Status.GREEN: "govuk-tag--green",
}


def _tag_class(status: Status) -> str:
    return _TAG_CLASS.get(status, "govuk-tag--grey")


def _long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _groupby_theme(rows: Iterable[ActionRow]) -> list[tuple[str, list[ActionRow]]]:
    return [(title, list(items)) for title, items in groupby(rows, key=lambda r: r.theme_title)]


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("cypp.reports", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["tag_class"] = _tag_class
    env.filters["long_date"] = _long_date
    env.filters["groupby_theme"] = _groupby_theme
    env.filters["chart_caption"] = chart_caption
    return env


_ENV = _environment()


def stylesheet(name: str = "report.css") -> str:
    """One of the stylesheets shipped with the templates."""
    return files("cypp.reports").joinpath("templates", name).read_text(encoding="utf-8")


def render_charts(measures: Iterable[MeasureLine], *, inline: bool = True) -> dict[str, str]:
    """Each measure's chart, keyed by measure id: inline SVG, or (``inline=False``) an
    ``<img>`` with an SVG data URI for print."""
    if inline:
        return {m.id: chart_svg(m, f"chart-{m.id}") for m in measures if has_chart(m)}
    return {m.id: chart_img(m) for m in measures if has_chart(m)}


def render_html(
    pack: BoardPack,
    *,
    standalone: bool = True,
    for_print: bool = False,
    charts: Mapping[str, str] | None = None,
) -> str:
    """The pack as an HTML document, or (``standalone=False``) as a fragment for a page
    that already loads the GOV.UK styles."""
    if charts is None:
        charts = render_charts(pack.measures(), inline=not for_print)
    css = stylesheet() + (stylesheet("print.css") if for_print else "")
    context = {
        "pack": pack,
        "charts": charts,
        "statuses": [s for s in STATUS_ORDER if s.is_rag or s in pack.counts()],
        "not_recorded": Markup('<strong class="cypp-missing">Not yet recorded</strong>'),
        "css": css,
        "for_print": for_print,
        "print_periods": PRINT_PERIODS,
    }
    template = _ENV.get_template("pack.html" if standalone else "_body.html")
    return template.render(context)
