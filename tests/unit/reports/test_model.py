"""The board pack model: what the builder decides before any format is drawn."""

from __future__ import annotations

from datetime import date

from cypp.domain.periods import parse_period
from cypp.domain.plan import Plan
from cypp.reports.model import (
    BoardPack,
    ExceptionNote,
    MeasureSeries,
    SeriesPoint,
    build_board_pack,
    measure_trajectory,
    trajectory,
)
from cypp.reports.wording import describe_target
from cypp.stats.rating import Status


def _line(pack: BoardPack, measure_id: str):
    return next(m for m in pack.measures() if m.id == measure_id)


def test_every_measure_of_the_plan_is_in_the_pack(plan: Plan, pack: BoardPack) -> None:
    assert [m.id for m in pack.measures()] == [m.id for _, _, m in plan.measures()]
    assert [t.title for t in pack.themes] == [t.title for t in plan.themes]
    assert len(pack.actions) == sum(len(t.actions) for t in plan.themes)


def test_header_names_the_partnership_plan_and_period(pack: BoardPack) -> None:
    assert pack.partnership == "Worcestershire"
    assert pack.period == "2014/15"
    assert pack.plan_period == "2014-2017"
    assert pack.heading.endswith("board report for 2014/15")


def test_red_worsening_measure_is_rated_and_explained(pack: BoardPack) -> None:
    m01 = _line(pack, "m01")
    assert m01.status is Status.RED
    assert m01.latest_value == 405.0
    assert m01.latest_text == "405 per 10,000"
    assert m01.target_text == "377.5 per 10,000 or lower by 2014/15"
    assert m01.direction == "Worsening"
    assert m01.explanation.startswith("Red: 405 per 10,000 against a target of 377.5 by 2014/15")
    assert "significantly worse than England (350)" in m01.explanation
    assert m01.explanation_detail.startswith("405 per 10,000")


def test_series_carry_ci_england_neighbours_and_trajectory(pack: BoardPack) -> None:
    m01 = _line(pack, "m01")
    assert [p.period for p in m01.series] == ["2011/12", "2012/13", "2013/14", "2014/15"]
    last = m01.series[-1]
    assert (last.lower_ci, last.upper_ci, last.england) == (395.0, 415.0, 350.0)
    # Neighbours are England x (0.90, 0.93, ... 1.17): their mean is England x 1.035.
    assert last.sn_average is not None and abs(last.sn_average - 350.0 * 1.035) < 1e-6
    # Straight line from the baseline (416 in 2012/13) to the target (377.5 in 2014/15).
    assert m01.series[1].target == 416.0
    assert m01.series[3].target == 377.5
    assert m01.series[2].target is not None and 377.5 < m01.series[2].target < 416.0
    assert m01.series[0].target is None


def test_rank_among_neighbours_only_is_not_given_a_national_quartile(pack: BoardPack) -> None:
    m01 = _line(pack, "m01")
    # Worcestershire (405) against ten neighbours from 315 to 409.5: 10th of 11, low is good;
    # eleven authorities are not England, so no quartile.
    assert (m01.rank, m01.out_of, m01.quartile) == (10, 11, None)
    assert m01.position_text == (
        "Rank 10 of 11 local authorities with figures held, not all of England"
    )


def test_rank_and_quartile_when_every_english_la_has_a_figure(plan: Plan) -> None:
    import polars as pl

    from cypp.data.areas import areas_frame
    from cypp.reports.inputs import report_period, series_from_observations

    codes = areas_frame().filter(pl.col("kind") == "la")["ons_code"].to_list()
    others = [code for code in codes if code != "E10000034"]
    # Self-harm admissions, lower is better: the others from 300 upwards in steps of 1.
    values = [300.0 + i for i in range(len(others))]
    frame = pl.DataFrame(
        {
            "measure": "m01",
            "area_code": ["E10000034", *others],
            "period": "2014/15",
            "period_end": date(2015, 3, 31),
            "breakdown": "all",
            "value": [350.0, *values],
            "lower_ci95": None,
            "upper_ci95": None,
        },
        schema_overrides={"lower_ci95": pl.Float64, "upper_ci95": pl.Float64},
    )
    series = series_from_observations(plan, frame, report_period("2014/15"))["m01"]
    better = sum(value < 350.0 for value in values)
    assert (series.rank, series.out_of) == (better + 1, len(codes))
    assert series.quartile == "B"


def test_exceptions_list_red_worsening_and_significantly_worse(pack: BoardPack) -> None:
    reasons = {e.measure.id: e.reasons for e in pack.exceptions}
    assert reasons["m01"] == (
        "Red rating",
        "Worsening since the previous period",
        "Significantly worse than England",
    )
    assert reasons["m04"] == ("Red rating",)
    assert reasons["m05"] == ("Significantly worse than England",)  # Green but worse than England
    assert reasons["m06"] == ("Worsening since the previous period",)
    assert set(reasons) == {"m01", "m04", "m05", "m06"}


def test_sign_off_needs_every_exception_detail(pack: BoardPack) -> None:
    m01 = next(e for e in pack.exceptions if e.measure.id == "m01")
    assert m01.complete and m01.review_date == date(2015, 9, 30)
    m04 = next(e for e in pack.exceptions if e.measure.id == "m04")
    assert m04.missing == ("cause", "recovery action", "owner", "review date")
    assert not pack.ready_for_sign_off


def test_pack_is_ready_when_every_exception_is_filled_in(
    plan: Plan, pack: BoardPack, ratings, series, period
) -> None:
    full = ExceptionNote("cause", "action", "owner", date(2015, 10, 1))
    ids = [e.measure.id for e in pack.exceptions]
    assert ids  # the fixture has exceptions to fill
    ready = build_board_pack(plan, ratings, series, period, exception_notes={k: full for k in ids})
    assert ready.exceptions and ready.ready_for_sign_off


def test_measure_without_rating_is_awaiting_data_not_dropped(plan: Plan) -> None:
    series = {"m01": MeasureSeries((SeriesPoint("2013/14", 400.0),))}
    pack = build_board_pack(plan, {}, series, "2014/15")
    m01 = _line(pack, "m01")
    assert m01.status is Status.AWAITING_DATA
    assert m01.explanation == "Awaiting data: no rating has been calculated for 2014/15"
    assert _line(pack, "m02").explanation.endswith("no value has been recorded up to 2014/15")


def test_data_after_the_period_are_left_out(plan: Plan) -> None:
    points = (SeriesPoint("2013/14", 400.0), SeriesPoint("2015/16", 380.0))
    pack = build_board_pack(plan, {}, {"m01": MeasureSeries(points)}, "2014/15")
    m01 = _line(pack, "m01")
    assert [p.period for p in m01.series] == ["2013/14"]
    assert m01.latest_value == 400.0


def test_annual_review_says_and_does_per_priority(pack: BoardPack) -> None:
    first = pack.review[0]
    assert first.title == pack.themes[0].title
    assert any(s.startswith("Outcome: ") for s in first.we_said)
    assert (
        "Hospital admissions as a result of self-harm (10-24 years): "
        "377.5 per 10,000 or lower by 2014/15" in first.we_said
    )
    assert (
        "Hospital admissions as a result of self-harm (10-24 years): "
        "405 per 10,000 in 2014/15 (Red)" in first.we_did
    )


def test_chart_alternative_states_the_figures(pack: BoardPack) -> None:
    alt = _line(pack, "m01").chart_alt
    assert alt.startswith("Chart of Hospital admissions as a result of self-harm")
    assert "405 per 10,000 in 2014/15, down from 430 per 10,000 in 2011/12" in alt
    assert "England 350 per 10,000" in alt


def test_targets_in_plain_words(plan: Plan) -> None:
    measures = {m.id: m for _, _, m in plan.measures()}
    assert describe_target(measures["m05"]) == "14% or lower by 2014/15"
    assert describe_target(measures["m06"]) == "not significantly different from England"


def test_trajectory_is_linear_between_baseline_and_target() -> None:
    got = trajectory(
        (parse_period("2012/13"), 10.0),
        (parse_period("2014/15"), 20.0),
        ["2011/12", "2012/13", "2013/14", "2014/15", "2015/16"],
    )
    assert got[0] is None and got[4] is None
    assert got[1] == 10.0 and got[3] == 20.0
    assert got[2] is not None and abs(got[2] - 15.0) < 0.1


def test_target_line_without_baseline_is_the_target_level(plan: Plan) -> None:
    m05 = next(m for _, _, m in plan.measures() if m.id == "m05")  # no baseline, 14% by 2014/15
    assert measure_trajectory(m05, ["2013/14", "2014/15", "2015/16"]) == [14.0, 14.0, None]


def test_the_judged_figure_is_kept_beside_the_latest(pack: BoardPack) -> None:
    import dataclasses

    from cypp.web.performance.wording import public_line

    m01 = _line(pack, "m01")
    assert (m01.rated_period, m01.rated_text) == ("2014/15", "405 per 10,000")
    # A later figure than the one the target year was judged on is shown as the latest,
    # never passed off as the judged one.
    later = dataclasses.replace(m01, latest_period="2017/18", latest_text="344.1 per 10,000")
    assert public_line(later).sentence.startswith(
        "405 per 10,000 in 2014/15 (latest figure: 344.1 per 10,000 in 2017/18); our target was"
    )
    assert public_line(m01).sentence.startswith("405 per 10,000 in 2014/15; our target was")
