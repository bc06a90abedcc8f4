"""Board pack of a 60-measure plan with 10 years of data and 11 comparators per measure.

The plan has six priorities of ten measures; each measure has ten financial
years of values with 95 % limits for the area, England and its ten DfE
statistical neighbours (11 comparators), and every English LA in the latest
year for rank and quartile. The goal is a PDF board pack in under 10 s. Each
step is timed in the same process and set against the HTML render (charts
included), so ``ratio`` stays comparable on a slower or busier machine.

Run with ``python -m bench reports`` or ``python bench/bench_reports.py``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date
from typing import Any

import numpy as np
import polars as pl

from bench import size
from cypp.data.areas import areas_frame, statistical_neighbours
from cypp.data.observations import validate_observations
from cypp.domain.periods import Period
from cypp.domain.plan import Action, ActionStatus, Area, Baseline, Measure, Outcome, Plan, Theme
from cypp.domain.targets import Target, TargetKind
from cypp.domain.units import Polarity, Unit
from cypp.reports.charts import chart_png, forget_drawn_charts, has_chart
from cypp.reports.docx import render_docx
from cypp.reports.html import render_charts, render_html
from cypp.reports.inputs import ENGLAND, rate_plan, series_from_observations
from cypp.reports.model import BoardPack, build_board_pack
from cypp.reports.pdf import render_pdf
from cypp.reports.xlsx import render_xlsx

MEASURES_ENV = "CYPP_BENCH_REPORT_MEASURES"
AREA = "E10000034"
YEARS = 10
FIRST_YEAR = 2005
GOAL_PDF_SECONDS = 10.0


def make_plan(measures: int) -> Plan:
    """A plan of ``measures`` value-target measures in priorities of ten."""
    themes = []
    per_theme = 10
    for t in range((measures + per_theme - 1) // per_theme):
        items = []
        for i in range(t * per_theme, min(measures, (t + 1) * per_theme)):
            items.append(
                Measure(
                    id=f"m{i:02d}",
                    name=f"Measure {i + 1}: children and young people supported (indicator {i})",
                    unit=Unit.PERCENT,
                    polarity=Polarity.HIGHER_IS_BETTER if i % 2 else Polarity.LOWER_IS_BETTER,
                    owner=f"Service {t + 1}",
                    baseline=Baseline(50, Period.financial_year(FIRST_YEAR + 5)),
                    target=Target(
                        TargetKind.VALUE,
                        55 if i % 2 else 45,
                        Period.financial_year(FIRST_YEAR + YEARS - 1),
                    ),
                )
            )
        themes.append(
            Theme(
                id=f"priority-{t + 1}",
                title=f"Priority {t + 1}",
                outcomes=tuple(Outcome(f"Outcome {t + 1}.{k}") for k in range(1, 4)),
                actions=tuple(
                    Action(
                        f"Action {t + 1}.{k}",
                        owner="Partnership",
                        due=Period.financial_year(FIRST_YEAR + YEARS - 1),
                        status=ActionStatus.ON_TRACK,
                    )
                    for k in range(1, 6)
                ),
                measures=tuple(items),
            )
        )
    return Plan(
        id="bench",
        area=Area("Worcestershire", AREA),
        title="Benchmark Children and Young People's Plan",
        period=Period.between(Period.financial_year(FIRST_YEAR), Period.financial_year(2015)),
        themes=tuple(themes),
    )


def make_observations(plan: Plan, seed: int = 7) -> pl.DataFrame:
    """Raw text cells, as a CSV reader hands them to the checks (vectorised build)."""
    rng = np.random.default_rng(seed)
    ids = [m.id for _, _, m in plan.measures()]
    comparators = [AREA, ENGLAND] + [n.area.ons_code for n in statistical_neighbours(AREA)]
    las = areas_frame().filter(pl.col("kind") == "la", pl.col("valid_to").is_null())
    others = [c for c in las["ons_code"].to_list() if c not in comparators]
    labels = [Period.financial_year(FIRST_YEAR + y).label for y in range(YEARS)]
    grid = (
        pl.DataFrame({"measure": ids})
        .join(pl.DataFrame({"area_code": comparators}), how="cross")
        .join(pl.DataFrame({"period": labels}), how="cross")
    )
    latest = (
        pl.DataFrame({"measure": ids})
        .join(pl.DataFrame({"area_code": others}), how="cross")
        .with_columns(pl.lit(labels[-1]).alias("period"))
    )
    frame = pl.concat([grid, latest])
    value = rng.normal(50, 6, frame.height).clip(1, 99)
    half = rng.uniform(1.0, 3.0, frame.height)
    return frame.with_columns(
        pl.Series("value", value).round(2).cast(pl.String),
        pl.Series("lower_ci95", value - half).round(2).cast(pl.String),
        pl.Series("upper_ci95", value + half).round(2).cast(pl.String),
    )


def _timed(action: Callable[[], Any], *, cold: bool = True) -> tuple[float, float, Any]:
    """Wall-clock and CPU seconds (all threads of the process) of one call, and its result;
    ``cold`` empties the cache of drawn charts first."""
    if cold:
        forget_drawn_charts()
    started, cpu = time.perf_counter(), time.process_time()
    result = action()
    return time.perf_counter() - started, time.process_time() - cpu, result


def _pack(plan: Plan, raw: pl.DataFrame) -> BoardPack:
    period = Period.financial_year(FIRST_YEAR + YEARS - 1)
    frame = validate_observations(
        raw, file="bench", known_measures={m.id for _, _, m in plan.measures()}
    )
    series = series_from_observations(plan, frame, period)
    ratings = rate_plan(plan, frame, period, series)
    return build_board_pack(plan, ratings, series, period, generated=date(2015, 6, 1))


def run() -> list[dict[str, Any]]:
    """Rows name, seconds, ratio (to the HTML render) for each step of a board pack."""
    measures = size(MEASURES_ENV, 60, 12)
    plan = make_plan(measures)
    raw = make_observations(plan)
    _pack(make_plan(2), make_observations(make_plan(2)))  # warm the chart engine and caches
    prepare = _timed(lambda: _pack(plan, raw))
    pack = prepare[2]
    charted = [m for m in pack.measures() if has_chart(m)]
    html = _timed(lambda: render_html(pack))
    svg = _timed(lambda: render_charts(pack.measures(), inline=False))
    pdf = _timed(lambda: render_pdf(pack))
    pdf_again = _timed(lambda: render_pdf(pack), cold=False)
    png = _timed(lambda: {m.id: chart_png(m) for m in charted})
    docx = _timed(lambda: render_docx(pack, charts=png[2]))
    xlsx = _timed(lambda: render_xlsx(pack))

    def row(name: str, timing: tuple[float, float, Any], **extra: Any) -> dict[str, Any]:
        seconds, cpu, _ = timing
        return {"name": name, "seconds": round(seconds, 3), "cpu_seconds": round(cpu, 3),
                "ratio": round(seconds / html[0], 2), **extra}  # fmt: skip

    detail = f"{measures} measures, {YEARS} years, {raw.height:,} observations"
    return [
        row("inputs: check observations, series, ratings, pack", prepare, detail=detail),
        row("HTML board pack (inline SVG charts)", html, charts=len(charted)),
        row("charts as JPEG pictures (for print)", svg, charts=len(charted)),
        row(
            "PDF/UA board pack (charts included)",
            pdf,
            goal=f"< {GOAL_PDF_SECONDS} s",
            ok=pdf[0] < GOAL_PDF_SECONDS,
            bytes=len(pdf[2]),
            note="charts drawn in worker processes, whose CPU time is not counted",
        ),
        row("PDF/UA board pack again (charts drawn before)", pdf_again),
        row("charts as PNG (for Word)", png, charts=len(charted)),
        row("Word board pack (PNG charts drawn)", docx),
        row("Excel board pack", xlsx),
    ]


if __name__ == "__main__":
    for result in run():
        print(result)
