"""Reporting periods as plans write them.

Plans mix financial years (``2014/15``), academic years (``13/14 (academic
year)``), calendar years, quarters (``Q2 2012/13``), months (``March 2014``,
``Apr 2012``, ``Aug 10``), snapshots (``at 31 March 2014``, ``end of 2014/15``),
spans (``2011-2014``, ``3 month average from November 2006``) and a few
unanchored phrases (``Q3``, ``over 5 years``). A period is parsed once into a
:class:`Period` with a start and an end, so periods compare and sort by the time
they cover, while ``str()`` keeps the wording the plan used.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from functools import total_ordering

__all__ = [
    "Period",
    "PeriodError",
    "PeriodKind",
    "parse_period",
]


class PeriodError(ValueError):
    """A piece of text is not a period this product understands."""


class PeriodKind(StrEnum):
    FINANCIAL_YEAR = "financial_year"
    ACADEMIC_YEAR = "academic_year"
    CALENDAR_YEAR = "calendar_year"
    QUARTER = "quarter"
    MONTH = "month"
    RANGE = "range"
    DATE = "date"
    #: A phrase that names a length or part of a year but no place in time
    #: (``over 5 years``, ``Q3``, ``at 31 March``); it has no start or end.
    UNANCHORED = "unanchored"


# Month a year of each kind starts in: April for financial, September for academic.
_YEAR_START_MONTH = {
    PeriodKind.FINANCIAL_YEAR: 4,
    PeriodKind.ACADEMIC_YEAR: 9,
    PeriodKind.CALENDAR_YEAR: 1,
}

_MONTHS: dict[str, int] = {}
for _number in range(1, 13):
    _MONTHS[calendar.month_name[_number].lower()] = _number
    _MONTHS[calendar.month_abbr[_number].lower()] = _number
_MONTHS["sept"] = 9
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))

_KIND_ORDER = {kind: index for index, kind in enumerate(PeriodKind)}


@total_ordering
@dataclass(frozen=True, eq=False)
class Period:
    """A span of time with the label the plan wrote for it.

    Two periods are equal when they are the same kind and cover the same days,
    whatever their wording (``2014/15`` equals ``2014-15``); unanchored periods
    are equal when their wording is. Periods sort by (end, start): the one that
    finishes first comes first, and unanchored periods come last.
    """

    kind: PeriodKind
    start: date | None
    end: date | None
    label: str = field(default="")

    def __post_init__(self) -> None:
        if (self.start is None) != (self.end is None):
            raise PeriodError(f"period {self.label!r} needs both a start and an end, or neither")
        if self.kind is PeriodKind.UNANCHORED:
            if self.start is not None:
                raise PeriodError(f"unanchored period {self.label!r} cannot have dates")
            if not self.label:
                raise PeriodError("an unanchored period needs its wording as label")
        elif self.start is None or self.end is None:
            raise PeriodError(f"a {self.kind} period needs a start and an end")
        elif self.start > self.end:
            raise PeriodError(
                f"period {self.label!r} ends ({self.end}) before it starts ({self.start})"
            )
        if not self.label:
            object.__setattr__(self, "label", _canonical_label(self))

    # --- constructors -----------------------------------------------------------------------

    @classmethod
    def financial_year(cls, start_year: int, label: str = "") -> Period:
        """The financial year from 1 April ``start_year`` (``2014`` gives ``2014/15``)."""
        return cls._year(PeriodKind.FINANCIAL_YEAR, start_year, label)

    @classmethod
    def academic_year(cls, start_year: int, label: str = "") -> Period:
        """The academic year from 1 September ``start_year``."""
        return cls._year(PeriodKind.ACADEMIC_YEAR, start_year, label)

    @classmethod
    def calendar_year(cls, year: int, label: str = "") -> Period:
        return cls._year(PeriodKind.CALENDAR_YEAR, year, label)

    @classmethod
    def quarter(cls, number: int, year: Period | int, label: str = "") -> Period:
        """Quarter ``number`` (1-4) of a year period, or of a calendar year given as an int."""
        if not 1 <= number <= 4:
            raise PeriodError(f"quarter must be 1 to 4, not {number}")
        year_period = cls.calendar_year(year) if isinstance(year, int) else year
        if year_period.kind not in _YEAR_START_MONTH or year_period.start is None:
            raise PeriodError(f"a quarter belongs to a year, not to {year_period.label!r}")
        start = _add_months(year_period.start, 3 * (number - 1))
        end = _add_months(start, 3) - timedelta(days=1)
        return cls(PeriodKind.QUARTER, start, end, label or f"Q{number} {year_period.label}")

    @classmethod
    def month(cls, year: int, month: int, label: str = "") -> Period:
        start = _date(year, month, 1)
        return cls(PeriodKind.MONTH, start, _add_months(start, 1) - timedelta(days=1), label)

    @classmethod
    def on(cls, day: date, label: str = "") -> Period:
        """A snapshot: the position on one day (``at 31 March 2014``)."""
        return cls(PeriodKind.DATE, day, day, label)

    @classmethod
    def between(cls, first: Period, last: Period, label: str = "") -> Period:
        """The span from the start of ``first`` to the end of ``last``."""
        if first.start is None or last.end is None:
            raise PeriodError(f"cannot span unanchored periods {first.label!r} and {last.label!r}")
        if first.start > last.end:
            raise PeriodError(f"{last.label!r} ends before {first.label!r} starts")
        return cls(PeriodKind.RANGE, first.start, last.end, label)

    @classmethod
    def unanchored(cls, label: str) -> Period:
        return cls(PeriodKind.UNANCHORED, None, None, label)

    @classmethod
    def _year(cls, kind: PeriodKind, start_year: int, label: str) -> Period:
        start = _date(start_year, _YEAR_START_MONTH[kind], 1)
        return cls(kind, start, _add_months(start, 12) - timedelta(days=1), label)

    # --- behaviour ------------------------------------------------------------------------------

    @property
    def is_anchored(self) -> bool:
        return self.start is not None

    def contains(self, other: Period | date) -> bool:
        """Whether ``other`` lies wholly inside this period (unanchored periods contain nothing)."""
        if self.start is None or self.end is None:
            return False
        if isinstance(other, date):
            return self.start <= other <= self.end
        if other.start is None or other.end is None:
            return False
        return self.start <= other.start and other.end <= self.end

    def overlaps(self, other: Period) -> bool:
        if self.start is None or self.end is None or other.start is None or other.end is None:
            return False
        return self.start <= other.end and other.start <= self.end

    def with_label(self, label: str) -> Period:
        return Period(self.kind, self.start, self.end, label)

    @property
    def canonical_label(self) -> str:
        return _canonical_label(self)

    def _identity(self) -> tuple[object, ...]:
        if self.kind is PeriodKind.UNANCHORED:
            return (self.kind, " ".join(self.label.lower().split()))
        return (self.kind, self.start, self.end)

    def _sort_key(self) -> tuple[object, ...]:
        far = date.max
        return (
            self.end or far,
            self.start or far,
            _KIND_ORDER[self.kind],
            "" if self.is_anchored else " ".join(self.label.lower().split()),
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return self._identity() == other._identity()

    def __hash__(self) -> int:
        return hash(self._identity())

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return self._sort_key() < other._sort_key()

    def __str__(self) -> str:
        return self.label


# --- helpers -------------------------------------------------------------------------------------


#: Years a plan can speak of; anything outside is taken as a typing mistake.
FIRST_YEAR, LAST_YEAR = 1900, 2199


def _date(year: int, month: int, day: int) -> date:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise PeriodError(f"{year} is outside the years {FIRST_YEAR} to {LAST_YEAR}")
    try:
        return date(year, month, day)
    except ValueError as error:
        raise PeriodError(
            f"{day} {calendar.month_name[month] if 1 <= month <= 12 else month} "
            f"{year} is not a date ({error})"
        ) from None


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _year_label(start_year: int) -> str:
    return f"{start_year}/{(start_year + 1) % 100:02d}"


def _canonical_label(period: Period) -> str:
    start, end = period.start, period.end
    if start is None or end is None:
        return period.label
    kind = period.kind
    if kind is PeriodKind.FINANCIAL_YEAR:
        return _year_label(start.year)
    if kind is PeriodKind.ACADEMIC_YEAR:
        return f"{_year_label(start.year)} (academic year)"
    if kind is PeriodKind.CALENDAR_YEAR:
        return str(start.year)
    if kind is PeriodKind.MONTH:
        return f"{calendar.month_name[start.month]} {start.year}"
    if kind is PeriodKind.DATE:
        return f"at {start.day} {calendar.month_name[start.month]} {start.year}"
    if kind is PeriodKind.QUARTER:
        # Financial-year quarters start in April, July, October and January; academic-year
        # quarters in September, December, March and June.
        if start.month in (4, 7, 10, 1):
            year_start = start.year if start.month >= 4 else start.year - 1
            return f"Q{(start.month - 4) % 12 // 3 + 1} {_year_label(year_start)}"
        year_start = start.year if start.month >= 9 else start.year - 1
        return f"Q{(start.month - 9) % 12 // 3 + 1} {_year_label(year_start)} (academic year)"
    # A range: whole calendar years print as 2011-2014; anything else by its days.
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
        return f"{start.year}-{end.year}"
    return (
        f"{start.day} {calendar.month_name[start.month]} {start.year} to "
        f"{end.day} {calendar.month_name[end.month]} {end.year}"
    )


def _full_year(text: str) -> int:
    """A four-digit year, or a two-digit one read as 1970-2069."""
    if len(text) == 4:
        return int(text)
    if len(text) == 2:
        number = int(text)
        return 2000 + number if number < 70 else 1900 + number
    raise PeriodError(f"{text!r} is not a year")


# --- parsing -------------------------------------------------------------------------------------

_SPACE = re.compile(r"\s+")
_YEAR_PAIR = re.compile(r"(?P<a>\d{4}|\d{2})\s*[/\-–]\s*(?P<b>\d{4}|\d{2})")
_QUALIFIER = re.compile(
    r"^(?P<body>.*?)\s*\(\s*(?P<q>academic|financial|calendar)(?:\s+year)?\s*\)$", re.IGNORECASE
)
_PREFIX_KIND = re.compile(
    r"^(?P<q>academic|financial|calendar)\s+year\s+(?P<body>.+)$|^(?P<abbr>AY|FY)\s*(?P<body2>.+)$",
    re.IGNORECASE,
)
_DAY_MONTH_YEAR = re.compile(
    rf"^(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m>{_MONTH_RE})\.?(?:\s+(?P<y>\d{{4}}|\d{{2}}))?$",
    re.IGNORECASE,
)
_NUMERIC_DATE = re.compile(r"^(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})$")
_ISO_DATE = re.compile(r"^(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})$")
_MONTH_YEAR = re.compile(rf"^(?P<m>{_MONTH_RE})\.?\s+(?P<y>\d{{4}}|\d{{2}})$", re.IGNORECASE)
_QUARTER = re.compile(r"^Q(?P<q>\d+)(?:\s+(?P<rest>.+))?$", re.IGNORECASE)
_ROLLING = re.compile(
    r"^(?P<n>\d{1,2})[\s-]months?(?:\s+(?:average|rolling average|rolling))?\s+"
    r"(?P<dir>from|to|ending)\s+(?P<rest>.+)$",
    re.IGNORECASE,
)
_DURATION = re.compile(
    r"^(?:over\s+|within\s+|in\s+)?(?:the\s+)?(?:next\s+)?(?P<n>\d{1,2}|one|two|three|four|five)"
    r"\s+(?P<u>years?|months?|weeks?)$",
    re.IGNORECASE,
)
_SNAPSHOT = re.compile(
    r"^(?:as\s+)?at\s+(?P<rest>.+)$|^(?:the\s+)?end\s+of\s+(?P<end>.+)$", re.IGNORECASE
)
_RANGE_SPLIT = re.compile(r"\s+(?:to|until)\s+|\s+[-–]\s+|\s*–\s*", re.IGNORECASE)
_NOTE = re.compile(r"^(?P<body>.+?)\s*\((?P<note>[^()]*)\)$")


def parse_period(text: str) -> Period:
    """Read a period the way plans write it; raise :class:`PeriodError` naming the problem.

    The returned period keeps ``text`` (with spacing tidied) as its label. The error reads
    ``'Q5 2014' is not a period: there is no quarter 5 (quarters are Q1 to Q4)``.
    """
    if not isinstance(text, str):
        raise PeriodError(f"a period is written as text, not {type(text).__name__}")
    label = _SPACE.sub(" ", text).strip()
    if not label:
        raise PeriodError("a period cannot be empty")
    try:
        period = _parse(label)
    except PeriodError as error:
        raise PeriodError(f"{label!r} is not a period: {error}") from None
    return period.with_label(label)


def _parse(body: str) -> Period:
    qualified = _QUALIFIER.match(body)
    if qualified:
        return _parse_year_kind(qualified["body"], qualified["q"].lower())
    prefixed = _PREFIX_KIND.match(body)
    if prefixed:
        if prefixed["abbr"]:
            kind = "academic" if prefixed["abbr"].upper() == "AY" else "financial"
            return _parse_year_kind(prefixed["body2"], kind)
        return _parse_year_kind(prefixed["body"], prefixed["q"].lower())
    try:
        return _parse_simple(body)
    except PeriodError:
        # A trailing note in brackets, as in "Q2 2012/13 (Mar 12)", does not change the period.
        noted = _NOTE.match(body)
        if noted and noted["note"].strip():
            try:
                return _parse_simple(noted["body"])
            except PeriodError:
                pass
        raise


def _parse_year_kind(body: str, kind_word: str) -> Period:
    body = body.strip()
    kind = {
        "academic": PeriodKind.ACADEMIC_YEAR,
        "financial": PeriodKind.FINANCIAL_YEAR,
        "calendar": PeriodKind.CALENDAR_YEAR,
    }[kind_word]
    quarter = _QUARTER.match(body)
    if quarter and quarter["rest"]:
        return Period.quarter(
            _quarter_number(quarter["q"]), _parse_year_kind(quarter["rest"], kind_word)
        )
    if kind is PeriodKind.CALENDAR_YEAR:
        if re.fullmatch(r"\d{4}", body):
            return Period.calendar_year(int(body))
        raise PeriodError("a calendar year is written as four digits, like 2013")
    pair = _YEAR_PAIR.fullmatch(body)
    if pair:
        return Period._year(kind, _consecutive(pair["a"], pair["b"]), "")
    if re.fullmatch(r"\d{4}", body):
        # A single year could name the year that starts or the one that ends in it: refuse to guess.
        raise PeriodError(f"write the {kind_word} year as a pair, like {_year_label(int(body))}")
    raise PeriodError(f"not a {kind_word} year (write it like 2013/14)")


def _second_year(start_year: int, text: str) -> int:
    """The year a pair like 2014/15 or 1999/00 ends in."""
    if len(text) == 4:
        return int(text)
    end_year = start_year // 100 * 100 + int(text)
    return end_year + 100 if end_year < start_year else end_year


def _consecutive(first: str, second: str) -> int:
    start_year = _full_year(first)
    if _second_year(start_year, second) != start_year + 1:
        raise PeriodError(f"a year runs over two consecutive years, like {_year_label(start_year)}")
    return start_year


def _quarter_number(text: str) -> int:
    number = int(text)
    if not 1 <= number <= 4:
        raise PeriodError(f"there is no quarter {number} (quarters are Q1 to Q4)")
    return number


def _parse_simple(body: str) -> Period:
    if re.fullmatch(r"\d{4}", body):
        return Period.calendar_year(int(body))
    pair = _YEAR_PAIR.fullmatch(body)
    if pair:
        return _parse_pair(body, pair["a"], pair["b"])
    quarter = _QUARTER.match(body)
    if quarter:
        number = _quarter_number(quarter["q"])
        if not quarter["rest"]:
            return Period.unanchored(body)
        year = _parse(quarter["rest"].strip())
        if year.kind not in _YEAR_START_MONTH:
            raise PeriodError(f"a quarter needs a year, like Q{number} 2014/15")
        return Period.quarter(number, year)
    month = _MONTH_YEAR.match(body)
    if month:
        return Period.month(_full_year(month["y"]), _MONTHS[month["m"].lower()])
    day = _parse_day(body)
    if day is not None:
        return day
    snapshot = _SNAPSHOT.match(body)
    if snapshot:
        return _parse_snapshot(body, snapshot)
    rolling = _ROLLING.match(body)
    if rolling:
        return _parse_rolling(rolling)
    if _DURATION.match(body):
        return Period.unanchored(body)
    parts = _RANGE_SPLIT.split(body)
    if len(parts) == 2 and all(parts):
        return Period.between(_parse(parts[0].strip()), _parse(parts[1].strip()))
    raise PeriodError(
        "write it like 2014/15, 13/14 (academic year), Q2 2012/13, March 2014, "
        "at 31 March 2014, 2013 or 2011-2014"
    )


def _parse_pair(body: str, a: str, b: str) -> Period:
    """2014/15, 13/14 and 2012-13 are financial years; 2010-13 and 2011-2014 span calendar years."""
    separator = body[len(a) : len(body) - len(b)].strip()
    if len(b) == 4 and len(a) == 4 and separator != "/":
        first, last = int(a), int(b)
        if last <= first:
            raise PeriodError("the span ends before it starts")
        return Period.between(Period.calendar_year(first), Period.calendar_year(last))
    start_year = _full_year(a)
    end_year = _second_year(start_year, b)
    if end_year == start_year + 1:
        return Period.financial_year(start_year)
    if separator != "/" and len(a) == 4 and end_year > start_year:
        return Period.between(Period.calendar_year(start_year), Period.calendar_year(end_year))
    raise PeriodError(f"a year runs over two consecutive years, like {_year_label(start_year)}")


def _parse_snapshot(body: str, snapshot: re.Match[str]) -> Period:
    if snapshot["end"]:
        inner = _parse(snapshot["end"].strip())
        if inner.end is None:
            raise PeriodError("the end of an unanchored period is not a date")
        return Period.on(inner.end)
    rest = snapshot["rest"].strip()
    loose = _DAY_MONTH_YEAR.match(rest)
    if loose and not loose["y"]:
        return Period.unanchored(body)
    day = _parse_day(rest)
    if day is None:
        raise PeriodError("'at' needs a date, like at 31 March 2014")
    return day


def _parse_rolling(rolling: re.Match[str]) -> Period:
    months = int(rolling["n"])
    anchor = _parse(rolling["rest"].strip())
    if anchor.kind is not PeriodKind.MONTH or anchor.start is None or anchor.end is None:
        raise PeriodError("a rolling period is counted from a month, like November 2006")
    if months < 1:
        raise PeriodError("a rolling period lasts at least one month")
    if rolling["dir"].lower() == "from":
        end = _add_months(anchor.start, months) - timedelta(days=1)
        return Period(PeriodKind.RANGE, anchor.start, end)
    return Period(PeriodKind.RANGE, _add_months(anchor.start, 1 - months), anchor.end)


def _parse_day(body: str) -> Period | None:
    match = _DAY_MONTH_YEAR.match(body)
    if match and match["y"]:
        return Period.on(
            _date(_full_year(match["y"]), _MONTHS[match["m"].lower()], int(match["d"]))
        )
    match = _NUMERIC_DATE.match(body) or _ISO_DATE.match(body)
    if match:
        return Period.on(_date(int(match["y"]), int(match["m"]), int(match["d"])))
    return None
