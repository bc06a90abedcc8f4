"""A small grammar of the phrases plans use for figures, periods and targets.

Plans write the same ideas in many ways ("14% or fewer", "96.7 per cent",
"from 416 per 10,000 in 2012/13 to 377.5 per 10,000 in 2014/15", "-5%",
"In top 25% of local authorities"). Each phrase type is recognised here once,
independent of any one document, and extraction composes them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cypp.domain.targets import TargetKind
from cypp.domain.units import Polarity, Unit

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
# Longest forms first: a period is matched once and its digits are never read as values.
PERIOD_RE = re.compile(
    r"(?:(?:the\s+)?end\s+of\s+)?(?:"
    rf"\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}\s+(?:19|20)\d{{2}}"
    rf"|Q[1-4]\s+(?:(?:19|20)\d{{2}}/\d{{2}}|(?:19|20)\d{{2}})(?:\s*\({_MONTH}\s+\d{{2,4}}\))?"
    rf"|{_MONTH}\s+(?:(?:19|20)\d{{2}}|\d{{2}})(?![\d%])"
    r"|(?:19|20)\d{2}(?:[/\-–](?:19|20)?\d{2}|\s+[-–]\s+(?:19|20)\d{2})(?![\d.])"
    r"|(?<![\d.])\d{2}/\d{2}(?![\d/])(?:\s*\(academic year\))?"
    r"|Q[1-4](?!\d)"
    r"|(?<![\d.,£$])(?:19|20)\d{2}(?![\d%.,]|\s*(?:per|%))"
    r"|over\s+\d+\s+years"
    r")",
    re.I,
)

_NUMBER = r"[-+−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_RATE_UNIT = (
    r"(?:\s*per\s+(?P<per>1,?000|10,?000|100,?000|thousand|hundred thousand|ten thousand)"
    r")"
)
QUANTITY_RE = re.compile(
    rf"(?<![\w.,/£$])(?P<num>{_NUMBER})"
    rf"(?P<unit>\s?%|\s?per\s?cent\b|\s?percentage\s+points?\b|\s?pp\b|{_RATE_UNIT}|"
    r"\s*days?\b|(?=\s*:\s*\d))?",
    re.I,
)
_RATIO_RE = re.compile(r"(?<![\d.])1\s?:\s?(\d+(?:\.\d+)?)(?![\d.])")
# Numbers that describe who or what is measured rather than a level.
_CONTEXT_BEFORE = re.compile(
    r"(?:aged?|ages|years?|key\s+stages?|stages?|levels?|tier|under|over|top|bottom|"
    r"within|at\s+least|out\s+of|of\s+the|first|x|\bq|grade|phase|step|no\.?|page|pages|"
    r"section|programme|between|and|or|up\s+to|(?<!from )(?<![/\d.])\b\d{1,3}\s*to|from\s+the|"
    r"(?<![/\d.])\b\d{1,2}[-–]|"
    r"(?:aged?|ages|years?|key\s+stages?)\s+\d+\s*(?:[-–]|to))\s*$",
    re.I,
)
_CONTEXT_AFTER = re.compile(
    r"^\s*(?:[-–]\s?\d|to\s+\d+\s*(?:years?|year\s+olds?)|years?\b|year[- ]olds?|yrs?\b|months?\b|"
    r"weeks?\b|hours?\b|minutes?\b|working\s+days|or\s+more|or\s+above|x\s|\+|"
    r"[a-z]\*|a\*|gcses?|a\s+levels?|th\b|st\b|nd\b|rd\b)",
    re.I,
)

_WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "twenty": 20,
}  # fmt: skip


@dataclass(frozen=True)
class Quantity:
    """A figure found in a phrase, with its unit and place in the text."""

    value: float
    unit: Unit | None
    start: int
    end: int
    text: str

    def with_value(self, value: float) -> Quantity:
        return Quantity(value, self.unit, self.start, self.end, self.text)


def parse_number(text: str) -> float:
    return float(text.replace(",", "").replace("−", "-").replace("+", ""))


def clean_value(value: float) -> float | int:
    return int(value) if float(value).is_integer() else round(value, 6)


def period_spans(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group(0).strip()) for m in PERIOD_RE.finditer(text)]


def _in_spans(pos: int, spans: list[tuple[int, int, str]]) -> bool:
    return any(s <= pos < e for s, e, _ in spans)


def _unit_of(unit_text: str | None, per: str | None) -> Unit | None:
    if not unit_text:
        return None
    u = unit_text.strip().lower()
    if u.startswith(("%", "per cent", "percent", "pp")):
        return Unit.PERCENT
    if per:
        p = per.replace(",", "").lower()
        if p in ("1000", "thousand"):
            return Unit.RATE_PER_1000
        if p in ("10000", "ten thousand"):
            return Unit.RATE_PER_10000
        return Unit.RATE_PER_100000
    if u.startswith("day"):
        return Unit.DAYS
    return None


def quantities(text: str, *, bare: bool = False) -> list[Quantity]:
    """Figures in ``text``, skipping dates, ages, key stages and similar descriptors.

    ``bare`` accepts plain numbers without a unit (table cells hold them); in
    prose a plain number counts only after words that introduce a level
    ("from", "to", "be", "of", "below").
    """
    spans = period_spans(text)
    found: list[Quantity] = []
    for m in QUANTITY_RE.finditer(text):
        if _in_spans(m.start("num"), spans):
            continue
        unit = _unit_of(m.group("unit"), m.group("per"))
        before = text[: m.start()]
        after = text[m.end() :]
        if unit is None:
            if _CONTEXT_AFTER.match(after) or (
                _CONTEXT_BEFORE.search(before[-25:]) and not (bare and not before.strip())
            ):
                continue
            if not bare and not re.search(
                r"(?:\bfrom|\bto|\bbe|\bof|\bbelow|\babove|\bunder|\bthan|\bat|\bwas|\bis|"
                r"\bby|\bonly|–|-|:|<|>|≤|≥)\s*$",
                before[-12:],
                re.I,
            ):
                continue
        if (
            unit is Unit.PERCENT
            and _CONTEXT_BEFORE.search(before[-12:])
            and re.search(r"(?:top|bottom|within)\s*$", before[-12:], re.I)
        ):
            continue
        value = parse_number(m.group("num"))
        found.append(Quantity(value, unit, m.start("num"), m.end(), m.group(0).strip()))
    ratios = [
        Quantity(float(r.group(1)), Unit.RATIO, r.start(), r.end(), r.group(0))
        for r in _RATIO_RE.finditer(text)
    ]
    if ratios:
        # "1:4" is one ratio, not the figures 1 and 4.
        found = [q for q in found if not any(r.start <= q.start < r.end for r in ratios)]
        found.extend(ratios)
    found.sort(key=lambda q: q.start)
    return found


def word_number(text: str) -> int | None:
    return _WORD_NUMBERS.get(text.lower())


# --- units and polarity -----------------------------------------------------------------

_LOWER_WORDS = re.compile(
    r"\b(obes|excess weight|overweight|smok|not in (?:education|employment)|neet\b|absen|"
    r"exclu|offend|custody|conception|teenage pregnan|pregnanc|admission|self[- ]harm|"
    r"alcohol|substance|drug|low[- ]income|poverty|deprivation|domestic (?:abuse|violence)|"
    r"missing|killed|injur|time in days|days between|waiting|delay|entering care|"
    r"looked after children rate|moves?\b|move\b|bullying|second or subsequent|"
    r"re-?referral|mortality|deaths?|homeless|unemploy|decay|caries|"
    r"strengths (?:and|&) difficulties|sdq\b)",
    re.I,
)
_HIGHER_WORDS = re.compile(
    r"\b(achiev|attain|good level of development|breastfeed|breast feeding|employment|"
    r"in education|outstanding|good\b|immunis|vaccinat|health assessment|adopt|particip|"
    r"supported|stability|same placement|within|reviewed|satisf|feel|reporting improved|"
    r"reporting a reduction|improv|progress|engage|take[- ]up|uptake|detection|"
    r"suitable accommodation|attendance|level [234]|threshold|rating|identified|"
    r"success|qualif|placed|completed|views|voice|opportunit|meeting (?:their |the )?needs|"
    r"registered with|accessing|reached)",
    re.I,
)
_DOWN = re.compile(
    r"\b(reduc\w*|decreas\w*|fewer|lower\w*|less|below|under|cut\w*|halv\w*|minimi[sz]\w*|"
    r"narrow\w*|tackl\w*)\b",
    re.I,
)
_UP = re.compile(
    r"\b(increas\w*|more|rais\w*|higher|above|improv\w*|doubl\w*|grow\w*|maximi[sz]\w*)\b", re.I
)


def infer_unit(name: str, values_text: str, found: list[Quantity]) -> Unit | None:
    """The unit of the indicator, from its name first and then from its figures."""
    n = name.lower()
    rate = re.search(r"per\s+(1,?000|10,?000|100,?000)\b", n)
    if rate:
        return {"1000": Unit.RATE_PER_1000, "10000": Unit.RATE_PER_10000}.get(
            rate.group(1).replace(",", ""), Unit.RATE_PER_100000
        )
    for q in found:
        if q.unit in (Unit.RATE_PER_1000, Unit.RATE_PER_10000, Unit.RATE_PER_100000):
            return q.unit
    if re.search(r"%|\bpercentage\b|\bproportion\b|\bper cent\b|\bpercent\b", n):
        return Unit.PERCENT
    if any(q.unit is Unit.PERCENT for q in found) or re.search(r"%|per cent", values_text):
        return Unit.PERCENT
    if any(q.unit is Unit.RATIO for q in found) or re.search(r"\bratio\b", n):
        return Unit.RATIO
    if re.search(r"\bdays\b|time in days", n) or any(q.unit is Unit.DAYS for q in found):
        return Unit.DAYS
    if re.search(r"\bscores?\b|questionnaire|\bsdq\b", n):
        return Unit.SCORE
    if re.search(r"\brank(?:ing|ed)?\b", n):
        return Unit.RANK
    if (
        re.search(r"\bnumbers? of\b|\bcount\b|^\s*\d+\s+\w+", n)
        or re.search(
            r"\b\d[\d,]*\s+(?:families|children|young people|pupils|schools|places|"
            r"apprenticeships|people|referrals|cases|carers)\b",
            values_text,
            re.I,
        )
        or re.search(r"\bper (?:month|week|year|annum)\b", n + " " + values_text.lower())
    ):
        return Unit.COUNT
    return None


_COHORT = re.compile(
    r"\b(?:aged\s+)?(?:under|over|below|above)[- ]?\d+s?\b(?:\s*(?:year[- ]olds?|years?))?|"
    r"\b\d+%\s+(?:most|least)\s+deprived\b",
    re.I,
)
#: Indicators where neither direction is better: conversion rates and shares of a caseload.
_BALANCE = re.compile(
    r"\b(?:that|which) (?:led|lead|leads) to\b|\bconversion rate|\bas a factor\b", re.I
)


def infer_polarity(name: str, direction_text: str = "") -> Polarity | None:
    """Which way the indicator improves: stated direction first, then indicator vocabulary.

    Cohort descriptions ("aged under 16", "the 40% most deprived") say who is
    counted, not which way is better, so they are set aside first.
    """
    name = _COHORT.sub(" ", name)
    if _BALANCE.search(name) and not _DOWN.search(_COHORT.sub(" ", direction_text)):
        return Polarity.NONE
    d = _COHORT.sub(" ", direction_text)
    down, up = _DOWN.search(d), _UP.search(d)
    if down and (not up or down.start() < up.start()):
        # "reporting a reduction in drug use" improves when it rises.
        if re.search(r"reporting a reduction", name, re.I):
            return Polarity.HIGHER_IS_BETTER
        return Polarity.LOWER_IS_BETTER
    if up:
        return Polarity.HIGHER_IS_BETTER
    n = name
    if re.search(r"reporting a reduction|reporting improved", n, re.I):
        return Polarity.HIGHER_IS_BETTER
    if re.search(r"\bgap\b|difference between", n, re.I):
        return Polarity.LOWER_IS_BETTER
    low = _LOWER_WORDS.search(n)
    high = _HIGHER_WORDS.search(n)
    if low and not re.search(
        r"(?<!not )\b(?:in|into) (?:education|employment|training|ete)\b", n, re.I
    ):
        return Polarity.LOWER_IS_BETTER
    if high or low:
        return Polarity.HIGHER_IS_BETTER
    return None


# --- targets ----------------------------------------------------------------------------

_TBC = re.compile(
    r"\btbc\b|\bt\.b\.c\b|to be (?:confirmed|set|agreed|determined|decided|defined|developed)|"
    r"baseline (?:year|to be)|new measures?\b|not yet (?:set|agreed|available)|"
    r"awaiting|under development|^\s*\*+\s*$",
    re.I,
)
_NO_TARGET = re.compile(
    r"\bno target\b|\bnot targeted\b|monitor(?:ing)? only|^\s*(?:n/?a|none|-|–)\s*$|"
    r"\bcontext(?:ual)? (?:measure|indicator)",
    re.I,
)
_QUARTILE = re.compile(
    r"\b(?:top|bottom|upper|lower|first|second|third|fourth)\s+(?:quartile|quarter|25\s?%)|"
    r"\bquartile\b",
    re.I,
)
_RANK = re.compile(r"\brank(?:ed|ing)?\b|\btop\s+(?:\d+|ten|five|three|twenty)\b(?!\s*%)", re.I)
_COMPARATOR = re.compile(
    r"\bnational(?:ly)?\b|\bengland\b|\bregional\b|\bstatistical neighbou?rs?\b|\bcomparators?\b|"
    r"\bsimilar (?:areas|authorities|councils)\b|\bshire counties\b|\bcore cities\b|"
    r"\bin line with\b|\bbenchmark",
    re.I,
)
_COMPARATOR_RELATION = re.compile(
    rf"(?P<num>{_NUMBER})\s?(?:%|per\s?cent|points?|pp)?\s*(?:above|below|higher than|lower than|"
    r"better than|worse than|over|under|of|within)\s+(?:the\s+)?(?:national|england|regional|"
    r"statistical|comparator|similar|average)",
    re.I,
)
_TREND = re.compile(
    r"year[- ]on[- ]year|trajectory|\bannual(?:ly)? (?:increase|decrease|reduction|improvement)|"
    r"\bcontinue to\b|\bmaintain|\bsustain|\bimprov(?:e|ing|ement)\b|\breduc(?:e|ing|tion)\b|"
    r"\bincreas(?:e|ing)\b|\bdecreas(?:e|ing)\b|\bupward\b|\bdownward\b|\btrend\b",
    re.I,
)
_NARRATIVE = re.compile(r"narrative|case stud|surveys? and audits|qualitative|annual report", re.I)
_RELATIVE = re.compile(
    r"^\s*(?P<sign>[-+−])\s?(?P<num>\d+(?:\.\d+)?)\s?%\s*$|"
    r"(?:reduc\w*|decreas\w*|cut|increas\w*|rais\w*|improv\w*)\s+(?:[\w'’-]+\s+){0,14}?by\s+"
    r"(?P<num2>\d+(?:\.\d+)?)\s?(?:%|per\s?cent)|"
    r"(?P<num3>\d+(?:\.\d+)?)\s?(?:%|per\s?cent)\s+(?P<dir>reduction|decrease|increase|"
    r"improvement|fall|rise|cut)\b",
    re.I,
)
_GAP = re.compile(r"\bgap\b|\bnarrow(?:ing|ed)?\b|difference between", re.I)
_BOUND = re.compile(
    rf"(?:(?P<pre><|>|≤|≥|below|above|under|over|less than|more than|fewer than|at least|"
    rf"at most|no more than|no less than|not more than|not less than|maximum of|minimum of)\s*"
    rf"(?P<num1>{_NUMBER}))|(?:(?P<num2>{_NUMBER})\s?(?:%|per\s?cent)?\s*"
    rf"(?P<post>or (?:fewer|less|lower|below|more|higher|above|better|greater)))",
    re.I,
)


@dataclass
class TargetParse:
    kind: TargetKind
    value: float | int | None
    period: str | None
    text: str | None
    unit: Unit | None = None
    baseline: tuple[float | int, str | None] | None = None
    direction: str = ""


def _first_period(text: str) -> str | None:
    spans = period_spans(text)
    return spans[0][2] if spans else None


def classify_target(text: str, name: str = "") -> TargetParse:
    """Read a target cell or clause into kind, value and period.

    Precedence follows how plans are reviewed: "to be confirmed" and "no target"
    say there is nothing to rate against yet, so they win over anything else;
    a gap measure is a gap whatever its figures; a figure relative to a
    benchmark is a comparator; a bare figure is a value.
    """
    t = text.strip()
    tl = t.lower()
    found = quantities(t, bare=True)
    period = _first_period(t)
    if not t or _TBC.search(t):
        return TargetParse(TargetKind.TBC, None, None, t)
    if _NO_TARGET.search(t):
        return TargetParse(TargetKind.NO_TARGET, None, None, t)
    if _GAP.search(t) or _GAP.search(name):
        value = found[0].value if found else None
        return TargetParse(
            TargetKind.GAP, clean_value(value) if value is not None else None, period, t
        )
    if _QUARTILE.search(t):
        return TargetParse(TargetKind.QUARTILE, None, period, t)
    rel = _RELATIVE.search(t)
    if rel:
        if rel.group("num") is not None:
            value = parse_number(rel.group("num"))
            if rel.group("sign") in ("-", "−"):
                value = -value
        else:
            value = parse_number(rel.group("num2") or rel.group("num3"))
            words = (rel.group(0) + " " + (rel.group("dir") or "")).lower()
            if re.search(r"reduc|decreas|cut|fall", words):
                value = -value
        return TargetParse(TargetKind.RELATIVE_CHANGE, clean_value(value), period, t, Unit.PERCENT)
    relation = _COMPARATOR_RELATION.search(t)
    if relation:
        value = parse_number(relation.group("num"))
        return TargetParse(TargetKind.COMPARATOR, clean_value(value), period, t)
    if re.search(r"year[- ]on[- ]year|trajectory", t, re.I) and all(
        re.search(r"from\s*$", t[: q.start]) for q in found
    ):
        trend_from: tuple[float | int, str | None] | None = (
            (clean_value(found[0].value), None) if found else None
        )
        return TargetParse(TargetKind.TREND, None, period, t, None, trend_from)
    runs = series(t)
    if runs:
        return TargetParse(TargetKind.VALUE, runs[0][1], runs[0][0], t)
    if found and not re.match(r"\s*(?:in line with|achieve|match)\b", tl):
        if _RANK.search(name) and len(found) == 1 and found[0].unit is None:
            return TargetParse(TargetKind.RANK, clean_value(found[0].value), period, t, Unit.RANK)
        quantity = _target_quantity(t, found)
        baseline: tuple[float | int, str | None] | None = None
        bound = _BOUND.search(t)
        if bound and period and re.search(r"\(\s*" + re.escape(period) + r"\s*\)", t):
            # "<23.2 (2013)": the bound is the level reached in that period.
            baseline = (clean_value(quantity.value), period)
            period = None
        return TargetParse(
            TargetKind.VALUE, clean_value(quantity.value), period, t, quantity.unit, baseline
        )
    if _RANK.search(t):
        number = re.search(r"\btop\s+(\w+)", t, re.I)
        value = None
        if number:
            value = word_number(number.group(1)) or (
                int(number.group(1)) if number.group(1).isdigit() else None
            )
        return TargetParse(TargetKind.RANK, value, period, t, Unit.RANK)
    if _COMPARATOR.search(t):
        return TargetParse(TargetKind.COMPARATOR, None, period, t)
    if _NARRATIVE.search(t):
        return TargetParse(TargetKind.NARRATIVE, None, None, t)
    if _TREND.search(t):
        from_match = re.search(rf"from\s+({_NUMBER})", t, re.I)
        from_baseline: tuple[float | int, str | None] | None = (
            (clean_value(parse_number(from_match.group(1))), None) if from_match else None
        )
        return TargetParse(TargetKind.TREND, None, period, t, None, from_baseline)
    return TargetParse(TargetKind.NARRATIVE, None, None, t)


def _target_quantity(text: str, found: list[Quantity]) -> Quantity:
    """The figure a target is about: the one after "–" in "2013 – 30.5", else the first."""
    return found[0]


# --- labelled figures (breakdowns and series) ---------------------------------------------

_LABEL_AFTER = re.compile(rf"(?P<num>{_NUMBER})\s?%?\s*\((?P<label>[^()\d][^()]{{0,30}})\)")
_LABEL_BEFORE = re.compile(rf"(?P<label>[A-Z][\w&/ ]{{0,30}}?)\s*:\s*(?P<num>{_NUMBER})\s?%?")
_LABEL_BARE = re.compile(
    rf"(?P<num>{_NUMBER})\s?%\s+(?P<label>[A-Z][\w&/]*(?:\s(?:[A-Z][\w&]*|\d+(?![\d.]*\s?%)))?)"
)
_LABEL_FOR = re.compile(
    rf"(?P<num>{_NUMBER})\s?%\s+for\s+(?P<label>[\w ]{{2,30}}?)(?=,|;|$|\s+against)"
)
_SERIES = re.compile(
    rf"(?P<period>(?:19|20)\d{{2}}(?:/\d{{2}})?|Q[1-4])(?:\s*:\s*|\s+[-–]\s+)(?P<num>{_NUMBER})"
)


def labelled_values(text: str) -> list[tuple[str, float | int]]:
    """Figures tagged with a group label: "82.9% (BHT)", "English: 85%", "88% English"."""
    for pattern in (_LABEL_AFTER, _LABEL_BEFORE, _LABEL_FOR, _LABEL_BARE):
        pairs = []
        for m in pattern.finditer(text):
            label = m.group("label").strip()
            if PERIOD_RE.fullmatch(label) or re.search(
                r"^(?:latest|data|current|target|annual|quarterly|frequency|national|of|above|below)",
                label,
                re.I,
            ):
                continue
            pairs.append((label, clean_value(parse_number(m.group("num")))))
        if len(pairs) >= 2:
            return pairs
    return []


def series(text: str) -> list[tuple[str, float | int]]:
    """A run of period–value pairs: "2009 – 32.5 2010 – 35.7" or "Q2 - 15.8 Q3 - 14.0"."""
    return [
        (m.group("period"), clean_value(parse_number(m.group("num"))))
        for m in _SERIES.finditer(text)
    ]


def parse_baseline(text: str) -> tuple[float | int, str | None] | None:
    """The current position in a baseline cell, with its period when one is given."""
    t = text.strip()
    if (
        not t
        or (_TBC.search(t) and not quantities(t, bare=True))
        or re.search(r"not avail", t, re.I)
    ):
        return None
    runs = series(t)
    if len(runs) >= 2:
        period, value = runs[-1]
        return value, period
    found = quantities(t, bare=True)
    if not found:
        return None
    q = found[0]
    before = t[: q.start]
    spans = period_spans(before)
    if spans:
        return clean_value(q.value), spans[-1][2]
    after = t[q.end :]
    lead = re.match(r"\s*[(,]?\s*(?:(?:in|at|as at|for|during)\s+)?", after, re.I)
    following = PERIOD_RE.match(after, lead.end() if lead else 0)
    return clean_value(q.value), (following.group(0).strip() if following else None)
