"""Periods: every way the real plans write them parses, prints back, sorts and compares."""

from __future__ import annotations

import calendar
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cypp.domain.periods import Period, PeriodError, PeriodKind, parse_period

K = PeriodKind

# Every period string in the gold plans, with what it must mean.
GOLD_PERIODS: dict[str, tuple[PeriodKind, date | None, date | None]] = {
    "13/14": (K.FINANCIAL_YEAR, date(2013, 4, 1), date(2014, 3, 31)),
    "1st June 2007": (K.DATE, date(2007, 6, 1), date(2007, 6, 1)),
    "2006-2009": (K.RANGE, date(2006, 1, 1), date(2009, 12, 31)),
    "2008": (K.CALENDAR_YEAR, date(2008, 1, 1), date(2008, 12, 31)),
    "2009": (K.CALENDAR_YEAR, date(2009, 1, 1), date(2009, 12, 31)),
    "2010-13": (K.RANGE, date(2010, 1, 1), date(2013, 12, 31)),
    "2011-2014": (K.RANGE, date(2011, 1, 1), date(2014, 12, 31)),
    "2012/13": (K.FINANCIAL_YEAR, date(2012, 4, 1), date(2013, 3, 31)),
    "2013": (K.CALENDAR_YEAR, date(2013, 1, 1), date(2013, 12, 31)),
    "2013/14": (K.FINANCIAL_YEAR, date(2013, 4, 1), date(2014, 3, 31)),
    "2014-2017": (K.RANGE, date(2014, 1, 1), date(2017, 12, 31)),
    "2014/15": (K.FINANCIAL_YEAR, date(2014, 4, 1), date(2015, 3, 31)),
    "2015-2017": (K.RANGE, date(2015, 1, 1), date(2017, 12, 31)),
    "2020": (K.CALENDAR_YEAR, date(2020, 1, 1), date(2020, 12, 31)),
    "3 month average from November 2006": (K.RANGE, date(2006, 11, 1), date(2007, 1, 31)),
    "Apr 2012": (K.MONTH, date(2012, 4, 1), date(2012, 4, 30)),
    "Aug 10": (K.MONTH, date(2010, 8, 1), date(2010, 8, 31)),
    "March 2014": (K.MONTH, date(2014, 3, 1), date(2014, 3, 31)),
    "Q2 2012/13 (Mar 12)": (K.QUARTER, date(2012, 7, 1), date(2012, 9, 30)),
    "Q3": (K.UNANCHORED, None, None),
    "end of 2014/15": (K.DATE, date(2015, 3, 31), date(2015, 3, 31)),
    "over 5 years": (K.UNANCHORED, None, None),
}


def _gold_periods(value: Any) -> Iterator[str]:
    """Every value of a key named period (or plan_period) anywhere in a gold file."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key in ("period", "plan_period") and item is not None:
                yield item
            yield from _gold_periods(item)
    elif isinstance(value, list):
        for item in value:
            yield from _gold_periods(item)


def test_every_period_in_the_gold_plans_is_known_here(shared_dir: Path) -> None:
    found: set[str] = set()
    for path in sorted((shared_dir / "plans" / "gold").glob("*.json")):
        found.update(_gold_periods(json.loads(path.read_text(encoding="utf-8"))))
    assert found == set(GOLD_PERIODS)


@pytest.mark.parametrize("text", sorted(GOLD_PERIODS))
def test_gold_period_parses_to_the_time_it_means(text: str) -> None:
    period = parse_period(text)
    assert (period.kind, period.start, period.end) == GOLD_PERIODS[text]
    assert str(period) == text
    assert parse_period(str(period)) == period


@pytest.mark.parametrize(
    ("text", "kind", "start", "end"),
    [
        ("2014/15", K.FINANCIAL_YEAR, date(2014, 4, 1), date(2015, 3, 31)),
        ("2014-15", K.FINANCIAL_YEAR, date(2014, 4, 1), date(2015, 3, 31)),
        ("2014/2015", K.FINANCIAL_YEAR, date(2014, 4, 1), date(2015, 3, 31)),
        ("FY 2014/15", K.FINANCIAL_YEAR, date(2014, 4, 1), date(2015, 3, 31)),
        ("1999/00", K.FINANCIAL_YEAR, date(1999, 4, 1), date(2000, 3, 31)),
        ("13/14 (academic year)", K.ACADEMIC_YEAR, date(2013, 9, 1), date(2014, 8, 31)),
        ("2013/14 (Academic Year)", K.ACADEMIC_YEAR, date(2013, 9, 1), date(2014, 8, 31)),
        ("academic year 2013/14", K.ACADEMIC_YEAR, date(2013, 9, 1), date(2014, 8, 31)),
        ("AY 13/14", K.ACADEMIC_YEAR, date(2013, 9, 1), date(2014, 8, 31)),
        ("2014 (calendar year)", K.CALENDAR_YEAR, date(2014, 1, 1), date(2014, 12, 31)),
        ("Q2 2012/13", K.QUARTER, date(2012, 7, 1), date(2012, 9, 30)),
        ("Q4 2012/13", K.QUARTER, date(2013, 1, 1), date(2013, 3, 31)),
        ("Q1 2013/14 (academic year)", K.QUARTER, date(2013, 9, 1), date(2013, 11, 30)),
        ("Q2 2014", K.QUARTER, date(2014, 4, 1), date(2014, 6, 30)),
        ("March 2014", K.MONTH, date(2014, 3, 1), date(2014, 3, 31)),
        ("Sept 2014", K.MONTH, date(2014, 9, 1), date(2014, 9, 30)),
        ("Sep. 2014", K.MONTH, date(2014, 9, 1), date(2014, 9, 30)),
        ("february 2016", K.MONTH, date(2016, 2, 1), date(2016, 2, 29)),
        ("at 31 March 2014", K.DATE, date(2014, 3, 31), date(2014, 3, 31)),
        ("as at 31/03/2014", K.DATE, date(2014, 3, 31), date(2014, 3, 31)),
        ("2014-03-31", K.DATE, date(2014, 3, 31), date(2014, 3, 31)),
        ("end of March 2014", K.DATE, date(2014, 3, 31), date(2014, 3, 31)),
        ("12 months to March 2014", K.RANGE, date(2013, 4, 1), date(2014, 3, 31)),
        ("April 2013 to March 2014", K.RANGE, date(2013, 4, 1), date(2014, 3, 31)),
        ("2012/13 – 2014/15", K.RANGE, date(2012, 4, 1), date(2015, 3, 31)),
        ("at 31 March", K.UNANCHORED, None, None),
        ("within 3 years", K.UNANCHORED, None, None),
    ],
)
def test_written_forms(text: str, kind: PeriodKind, start: date, end: date) -> None:
    period = parse_period(text)
    assert (period.kind, period.start, period.end) == (kind, start, end)
    assert str(period) == text


def test_print_back_keeps_the_writing_and_only_tidies_spaces() -> None:
    assert str(parse_period("  Q2   2012/13 ")) == "Q2 2012/13"
    assert str(parse_period("Sept 2014")) == "Sept 2014"
    assert parse_period("Sept 2014").canonical_label == "September 2014"
    assert parse_period("13/14 (academic year)").canonical_label == "2013/14 (academic year)"
    assert parse_period("2010-13").canonical_label == "2010-2013"


def test_the_same_time_written_differently_is_equal() -> None:
    assert parse_period("2014/15") == parse_period("2014-15") == parse_period("FY 14/15")
    assert hash(parse_period("2014/15")) == hash(parse_period("2014-15"))
    assert parse_period("13/14 (academic year)") == parse_period("AY 2013/14")
    assert parse_period("over 5 years") == parse_period("Over  5 years")


def test_different_kinds_of_year_are_different_periods() -> None:
    assert parse_period("2013/14") != parse_period("13/14 (academic year)")
    assert parse_period("2014") != parse_period("2014/15")
    assert parse_period("Q1 2014") != parse_period("Q1 2014/15")


def test_sorting_mixed_periods_by_when_they_end() -> None:
    written = [
        "over 5 years",
        "2014/15",
        "13/14 (academic year)",
        "Q2 2012/13",
        "March 2014",
        "Apr 2012",
        "Sept 2014",
        "2011-2014",
        "at 31 March 2014",
        "2013",
        "Q3",
    ]
    ordered = [str(period) for period in sorted(parse_period(text) for text in written)]
    assert ordered == [
        "Apr 2012",  # ends 30 April 2012
        "Q2 2012/13",  # ends 30 September 2012
        "2013",  # ends 31 December 2013
        "March 2014",  # ends 31 March 2014 too, but starts earlier
        "at 31 March 2014",  # the one day
        "13/14 (academic year)",  # ends 31 August 2014
        "Sept 2014",  # ends 30 September 2014
        "2011-2014",  # ends 31 December 2014
        "2014/15",  # ends 31 March 2015
        "over 5 years",  # unanchored periods come last, by wording
        "Q3",
    ]


def test_comparisons_between_kinds() -> None:
    financial = parse_period("2014/15")
    academic = parse_period("13/14 (academic year)")
    quarter = parse_period("Q2 2012/13")
    assert quarter < academic < financial
    assert financial > academic >= academic
    assert not academic < academic
    assert parse_period("2012/13") < parse_period("2013/14")
    assert parse_period("Q4 2012/13") < parse_period("Q1 2013/14")


def test_containment_and_overlap() -> None:
    year = parse_period("2014/15")
    assert year.contains(parse_period("Q2 2014/15"))
    assert year.contains(parse_period("March 2015"))
    assert year.contains(date(2014, 4, 1))
    assert not year.contains(parse_period("March 2014"))
    assert not year.contains(parse_period("Q3"))
    plan = parse_period("2014-2017")
    assert plan.overlaps(parse_period("13/14"))
    assert not plan.overlaps(parse_period("2012/13"))
    assert not plan.overlaps(parse_period("over 5 years"))


def test_comparing_with_other_types_is_refused() -> None:
    assert parse_period("2014/15") != "2014/15"
    with pytest.raises(TypeError):
        _ = parse_period("2014/15") < "2015/16"  # type: ignore[operator]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Q5 2014", "there is no quarter 5 (quarters are Q1 to Q4)"),
        ("Q0 2013/14", "there is no quarter 0"),
        ("Q12 2014", "there is no quarter 12"),
        ("2013/15", "a year runs over two consecutive years, like 2013/14"),
        ("31 February 2014", "31 February 2014 is not a date"),
        ("Smarch 2014", "write it like 2014/15"),
        ("academic year 2014", "write the academic year as a pair, like 2014/15"),
        ("2014-2012", "the span ends before it starts"),
        ("March 2015 to March 2014", "ends before"),
        ("Q2 March 2014", "a quarter needs a year"),
        ("9999/00", "outside the years 1900 to 2199"),
        ("at some point", "'at' needs a date"),
        ("end of Q3", "the end of an unanchored period is not a date"),
        ("3 months from 2014/15", "a rolling period is counted from a month"),
    ],
)
def test_impossible_periods_are_refused_with_the_reason(text: str, reason: str) -> None:
    with pytest.raises(PeriodError) as error:
        parse_period(text)
    message = str(error.value)
    assert message.startswith(f"{text!r} is not a period: ")
    assert reason in message


@pytest.mark.parametrize("value", ["", "   ", None, 2014])
def test_empty_or_non_text_is_refused(value: object) -> None:
    with pytest.raises(PeriodError):
        parse_period(value)  # type: ignore[arg-type]


def test_constructors_check_their_input() -> None:
    with pytest.raises(PeriodError):
        Period.quarter(5, 2014)
    with pytest.raises(PeriodError):
        Period(K.RANGE, date(2015, 1, 1), date(2014, 1, 1))
    with pytest.raises(PeriodError):
        Period(K.MONTH, date(2015, 1, 1), None)
    with pytest.raises(PeriodError):
        Period.unanchored("")
    with pytest.raises(PeriodError):
        Period.quarter(1, Period.unanchored("Q1"))
    assert str(Period.quarter(1, 2014)) == "Q1 2014"
    assert str(Period.financial_year(2014)) == "2014/15"


# --- properties ----------------------------------------------------------------------------------

years = st.integers(min_value=1950, max_value=2098)
months = st.integers(min_value=1, max_value=12)


@st.composite
def periods(draw: st.DrawFn) -> Period:
    """Any anchored period a plan could hold, built from the constructors."""
    year = draw(years)
    choice = draw(st.sampled_from(["fy", "ay", "cy", "q", "aq", "month", "day", "range"]))
    if choice == "fy":
        return Period.financial_year(year)
    if choice == "ay":
        return Period.academic_year(year)
    if choice == "cy":
        return Period.calendar_year(year)
    if choice in ("q", "aq"):
        base = Period.financial_year(year) if choice == "q" else Period.academic_year(year)
        return Period.quarter(draw(st.integers(1, 4)), base)
    if choice == "month":
        return Period.month(year, draw(months))
    if choice == "day":
        return Period.on(draw(st.dates(date(1950, 1, 1), date(2099, 12, 31))))
    last = draw(st.integers(min_value=year + 1, max_value=2099))
    return Period.between(Period.calendar_year(year), Period.calendar_year(last))


@given(periods())
def test_canonical_labels_read_back_to_the_same_period(period: Period) -> None:
    again = parse_period(period.canonical_label)
    assert again == period
    assert (again.kind, again.start, again.end) == (period.kind, period.start, period.end)
    assert str(again) == period.canonical_label


@given(periods())
def test_labels_read_back_as_written(period: Period) -> None:
    assert str(parse_period(str(period))) == str(period)
    assert parse_period(str(period)) == period


@st.composite
def written_months(draw: st.DrawFn) -> tuple[str, int, int]:
    year, month = draw(years), draw(months)
    names = [calendar.month_name[month], calendar.month_abbr[month]] + (["Sept"] * (month == 9))
    name = draw(st.sampled_from(names))
    short_year = 1970 <= year <= 2069 and draw(st.booleans())
    return f"{name} {year % 100:02d}" if short_year else f"{name} {year}", year, month


@given(written_months())
def test_months_written_any_way_cover_the_month(case: tuple[str, int, int]) -> None:
    text, year, month = case
    period = parse_period(text)
    assert period.kind is K.MONTH
    assert (period.start, period.end) == (
        date(year, month, 1),
        date(year, month, calendar.monthrange(year, month)[1]),
    )
    assert str(period) == text


@given(years, st.sampled_from(["/", "-"]), st.booleans())
def test_financial_years_written_any_way(year: int, separator: str, short: bool) -> None:
    second = f"{(year + 1) % 100:02d}" if short else str(year + 1)
    text = f"{year}{separator}{second}"
    period = parse_period(text)
    if separator == "-" and not short:
        assert period.kind is K.RANGE  # 2014-2015 spans two calendar years
    else:
        assert (period.kind, period.start) == (K.FINANCIAL_YEAR, date(year, 4, 1))
    assert str(period) == text


@given(periods(), periods())
def test_order_is_total_and_agrees_with_equality(a: Period, b: Period) -> None:
    assert sum([a < b, a == b, a > b]) == 1
    assert (a == b) == (hash(a) == hash(b)) or a != b
    if a.end is not None and b.end is not None and a.end < b.end:
        assert a < b


@given(st.lists(periods(), min_size=2, max_size=8))
def test_sorting_is_by_end_then_start(items: list[Period]) -> None:
    ordered = sorted(items)
    keys = [(p.end, p.start) for p in ordered]
    assert keys == sorted(keys)


@given(years, st.integers(1, 4))
def test_quarters_lie_inside_their_year(year: int, number: int) -> None:
    for base in (Period.financial_year(year), Period.academic_year(year)):
        quarter = Period.quarter(number, base)
        assert base.contains(quarter)
        assert quarter.end is not None and quarter.start is not None
        assert (quarter.end - quarter.start).days in range(88, 92)


@given(st.text(max_size=30))
def test_any_text_parses_or_raises_period_error(text: str) -> None:
    try:
        period = parse_period(text)
    except PeriodError as error:
        assert str(error)
    else:
        assert str(period) == " ".join(text.split())
        assert parse_period(str(period)) == period
