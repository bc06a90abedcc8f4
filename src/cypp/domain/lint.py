"""The plan linter: SMART problems in a plan, in plain English, beside the item they concern.

A plan can be perfectly well-formed and still fail the people who use it: a
measure with no baseline cannot show progress, a target with no date cannot be
late, and a target that rises while the plan promises "a reduction" says two
things at once. :func:`lint_plan` reads a loaded :class:`~cypp.domain.plan.Plan`
and returns one :class:`Finding` for each such problem. It is a pure function:
the command line, the web pages and the importer all show the same findings.

Each finding has a stable ``code`` (listed in :data:`CHECKS` and in
``docs/plan-linter.md``), a severity, the ``path`` of the item it concerns
(``themes[2].measures[4]``; ``themes[1]`` for a theme; empty for the whole plan)
and, for measures, the measure id and the field at fault.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from cypp.domain.periods import Period
from cypp.domain.plan import Baseline, Measure, Plan, PlanStatus, Theme
from cypp.domain.targets import Number, Target, TargetKind, TrendDirection
from cypp.domain.units import Polarity, Unit

__all__ = ["CHECKS", "Finding", "Severity", "lint_plan"]


class Severity(StrEnum):
    #: The plan contradicts itself or the calendar: a reader cannot tell what is meant.
    ERROR = "error"
    #: Something a SMART plan needs is missing.
    WARNING = "warning"


#: Every check the linter makes: code -> (severity, what it means).
CHECKS: dict[str, tuple[Severity, str]] = {
    "no-plan-period": (Severity.WARNING, "the plan does not say which years it covers"),
    "theme-without-measures": (Severity.WARNING, "a theme has no measure"),
    "outcome-without-measures": (Severity.WARNING, "an outcome no measure is linked to"),
    "no-owners": (Severity.WARNING, "no measure in the plan names an owner"),
    "no-owner": (Severity.WARNING, "a measure names no owner while others do"),
    "no-baseline": (Severity.WARNING, "a measure has no baseline figure"),
    "no-target": (Severity.WARNING, "a measure has no target"),
    "target-to-be-set": (Severity.WARNING, "the target is still to be confirmed"),
    "no-target-period": (Severity.WARNING, "a target has no date"),
    "target-not-after-baseline": (Severity.ERROR, "a target falls due before its baseline ends"),
    "target-before-plan": (Severity.ERROR, "a target falls due before the plan starts"),
    "target-after-plan": (Severity.WARNING, "a target falls due after the plan ends"),
    "contradicts-wording": (Severity.ERROR, "the target moves against the plan's own words"),
    "contradicts-polarity": (Severity.ERROR, "the target moves the wrong way for the measure"),
    "unit-mismatch": (Severity.ERROR, "baseline and target are in different units"),
    "duplicate-measure": (Severity.WARNING, "the same measure appears twice in one theme"),
    "conflicting-repeat": (Severity.ERROR, "a measure repeated elsewhere with other figures"),
}


@dataclass(frozen=True)
class Finding:
    """One problem the linter found."""

    code: str
    path: str
    message: str
    measure: str | None = None
    field: str | None = None

    @property
    def severity(self) -> Severity:
        return CHECKS[self.code][0]

    def as_dict(self) -> dict[str, str | None]:
        return {
            "code": self.code,
            "severity": self.severity.value,
            "path": self.path,
            "measure": self.measure,
            "field": self.field,
            "message": self.message,
        }

    def __str__(self) -> str:
        where = self.path or "plan"
        if self.field:
            where += f".{self.field}"
        return f"{where}: {self.severity}: {self.message} [{self.code}]"


def lint_plan(plan: Plan) -> list[Finding]:
    """Every SMART problem in ``plan``, in the order the plan lists the items.

    A review of an earlier plan (status ``review``) reports what was achieved, not
    targets, so only the checks of its structure apply to it.
    """
    review = plan.status is PlanStatus.REVIEW
    findings: list[Finding] = []
    if plan.period is None and not review:
        findings.append(
            Finding(
                "no-plan-period",
                "",
                "The plan does not say which years it covers, so target dates cannot be "
                "checked against it.",
            )
        )
    if not review:
        findings += _owner_findings(plan)
    findings += _outcome_findings(plan)
    repeats = _RepeatTracker()
    for key, index, theme in plan.all_themes():
        if key == "themes" and not theme.measures:
            findings.append(
                Finding(
                    "theme-without-measures",
                    f"themes[{index}]",
                    f"The theme '{theme.title}' has no measure, so its progress cannot be shown.",
                )
            )
        for position, measure in enumerate(theme.measures):
            path = f"{key}[{index}].measures[{position}]"
            check = _MeasureCheck(plan, measure, path)
            if not review:
                check.smart()
            check.units()
            findings += check.findings
            findings += repeats.see(path, theme, measure)
    return findings


# --- plan-wide checks ----------------------------------------------------------------------------


def _owner_findings(plan: Plan) -> list[Finding]:
    measures = list(plan.measures())
    if not measures:
        return []
    if all(measure.owner is None for _, _, measure in measures):
        count = len(measures)
        return [
            Finding(
                "no-owners",
                "",
                f"None of the {count} measure{'s' if count != 1 else ''} names the organisation "
                "that owns it, so nobody is answerable for the figures.",
            )
        ]
    return [
        Finding(
            "no-owner",
            path,
            f"'{measure.name}' names no owner.",
            measure.id,
            "owner",
        )
        for path, _, measure in measures
        if measure.owner is None
    ]


def _outcome_findings(plan: Plan) -> list[Finding]:
    """Outcomes no measure refers to, when the plan links measures to outcomes at all."""
    linked = {measure.outcome for _, _, measure in plan.measures() if measure.outcome}
    if not linked:
        return []
    findings = []
    for key, index, theme in plan.all_themes():
        for position, outcome in enumerate(theme.outcomes):
            if outcome.id is None or outcome.id not in linked:
                findings.append(
                    Finding(
                        "outcome-without-measures",
                        f"{key}[{index}].outcomes[{position}]",
                        f"No measure shows progress towards the outcome '{outcome.title}'.",
                    )
                )
    return findings


class _RepeatTracker:
    """Spots a measure listed twice: in one theme it is a slip; across themes it must agree."""

    def __init__(self) -> None:
        self.seen: dict[tuple[str, Unit | None], tuple[str, Theme, Measure]] = {}

    def see(self, path: str, theme: Theme, measure: Measure) -> list[Finding]:
        key = (" ".join(measure.name.lower().split()), measure.unit)
        first = self.seen.setdefault(key, (path, theme, measure))
        first_path, first_theme, first_measure = first
        if first_measure is measure:
            return []
        if first_theme is theme:
            return [
                Finding(
                    "duplicate-measure",
                    path,
                    f"'{measure.name}' is listed twice in this theme (first at {first_path}).",
                    measure.id,
                )
            ]
        if _figures(first_measure) == _figures(measure):
            return []  # the same indicator serving two themes, with the same figures
        return [
            Finding(
                "conflicting-repeat",
                path,
                f"'{measure.name}' also appears under '{first_theme.title}' ({first_path}) with "
                f"{_describe(first_measure)}; here it has {_describe(measure)}. "
                "One of them is wrong.",
                measure.id,
            )
        ]


def _figures(measure: Measure) -> tuple[object, ...]:
    return (measure.baseline, measure.targets, measure.breakdowns)


def _describe(measure: Measure) -> str:
    parts = []
    if measure.baseline is not None and measure.baseline.value is not None:
        parts.append(f"baseline {_at(measure.baseline.value, measure.baseline.period, measure)}")
    for target in measure.targets:
        if target.value is not None:
            parts.append(f"target {_at(target.value, target.period, measure)}")
        elif target.text:
            parts.append(f"target '{target.text}'")
    return " and ".join(parts) or "no figures"


# --- one measure ---------------------------------------------------------------------------------

_STATED_ZERO = Decimal(0)


class _MeasureCheck:
    def __init__(self, plan: Plan, measure: Measure, path: str) -> None:
        self.plan = plan
        self.measure = measure
        self.path = path
        self.findings: list[Finding] = []

    def add(self, code: str, message: str, field: str | None = None) -> None:
        self.findings.append(Finding(code, self.path, message, self.measure.id, field))

    # SMART: baseline, target, dates and direction ------------------------------------------------

    def smart(self) -> None:
        measure = self.measure
        target = measure.target
        if target is not None and target.kind is TargetKind.TBC:
            self.add(
                "target-to-be-set",
                f"The target for '{measure.name}' is still to be set"
                + (f" ('{target.text}')." if target.text else "."),
                "target",
            )
        elif (target is None or target.kind in _MEASURED_KINDS) and not _has_baseline(measure):
            self.add(
                "no-baseline",
                f"'{measure.name}' has no baseline figure, so progress cannot be measured "
                "from a starting point.",
                "baseline",
            )
        if target is None or (target.kind is TargetKind.NO_TARGET and not target.text):
            self.add("no-target", f"'{measure.name}' has no target.", "target")
        for field, each in self.targets():
            self.target_dates(field, each)
        for field, each, baseline in self.comparisons():
            self.direction(field, each, baseline)

    def targets(self) -> Iterator[tuple[str, Target]]:
        if self.measure.target is not None:
            yield "target", self.measure.target
        for index, target in enumerate(self.measure.further_targets):
            yield f"further_targets[{index}]", target

    def comparisons(self) -> Iterator[tuple[str, Target, Baseline | None]]:
        """Each target with the baseline it moves from."""
        for field, target in self.targets():
            yield field, target, self.measure.baseline
        for index, breakdown in enumerate(self.measure.breakdowns):
            if breakdown.target is not None:
                yield f"breakdowns[{index}].target", breakdown.target, breakdown.baseline

    def target_dates(self, field: str, target: Target) -> None:
        if target.kind not in _DATED_KINDS:
            return
        measure, period = self.measure, target.period
        if period is None:
            plan_period = self.plan.period
            within = f" (the plan runs {plan_period})" if plan_period else ""
            self.add(
                "no-target-period",
                f"The target for '{measure.name}' does not say when it is due{within}.",
                f"{field}.period",
            )
            return
        if period.start is None or period.end is None:
            return
        baseline = measure.baseline
        if (
            baseline is not None
            and baseline.period is not None
            and baseline.period.end is not None
            and period.end <= baseline.period.end
        ):
            self.add(
                "target-not-after-baseline",
                f"The target for '{measure.name}' is due in {period}, which does not come after "
                f"its baseline ({baseline.period}).",
                f"{field}.period",
            )
        plan_period = self.plan.period
        if plan_period is None or plan_period.start is None or plan_period.end is None:
            return
        if period.end < plan_period.start:
            self.add(
                "target-before-plan",
                f"The target for '{measure.name}' is due in {period}, before the plan starts "
                f"({plan_period}); it cannot be a target of this plan.",
                f"{field}.period",
            )
        elif period.start > plan_period.end:
            self.add(
                "target-after-plan",
                f"The target for '{measure.name}' is due in {period}, after the plan ends "
                f"({plan_period}), so the plan will not report whether it was met.",
                f"{field}.period",
            )

    def direction(self, field: str, target: Target, baseline: Baseline | None) -> None:
        """Whether the target moves the way the plan's words and the measure's polarity say."""
        measure = self.measure
        moves = _movement(target, baseline)
        if moves is None:
            return
        better = _BETTER.get(measure.polarity) if measure.polarity else None
        stated = _stated_direction(measure, target, better)
        where = "" if field == "target" else f" ({field.split('.')[0]})"
        if stated is not None and moves != stated[0]:
            word = stated[1]
            self.add(
                "contradicts-wording",
                f"The plan speaks of '{word}' in '{measure.name}'{where}, but the target "
                f"{_movement_text(target, baseline, moves, measure)}.",
                field,
            )
        elif better is not None and moves == -better:
            self.add(
                "contradicts-polarity",
                f"'{measure.name}' is better when {'lower' if better < 0 else 'higher'}, but the "
                f"target{where} {_movement_text(target, baseline, moves, measure)}.",
                field,
            )

    # units ---------------------------------------------------------------------------------------

    def units(self) -> None:
        measure = self.measure
        target = measure.target
        baseline_unit = _unit_in(measure.baseline.text if measure.baseline else None)
        target_unit = (
            _unit_in(target.text) if target is not None and target.kind in _LEVEL_KINDS else None
        )
        quoted = _QUOTED_FIGURES.search(measure.quote or "")
        if quoted:
            baseline_unit = baseline_unit or _unit_in(quoted["from_unit"])
            target_unit = target_unit or _unit_in(quoted["to_unit"])
        if baseline_unit and target_unit and baseline_unit is not target_unit:
            self.add(
                "unit-mismatch",
                f"The baseline of '{measure.name}' is written {_UNIT_WORDS[baseline_unit]} but "
                f"its target {_UNIT_WORDS[target_unit]}.",
                "target",
            )
            return
        written = baseline_unit or target_unit
        if written and measure.unit in _UNIT_WORDS and written is not measure.unit:
            role = "baseline" if baseline_unit else "target"
            self.add(
                "unit-mismatch",
                f"The {role} of '{measure.name}' is written {_UNIT_WORDS[written]} but the "
                f"measure's unit is {_UNIT_WORDS[measure.unit]}.",
                role,
            )


# --- reading directions and units ----------------------------------------------------------------

#: Kinds of target that should say when they are due (trends are yearly, narratives and
#: "no target" have no date).
_DATED_KINDS = frozenset(
    {
        TargetKind.VALUE,
        TargetKind.RELATIVE_CHANGE,
        TargetKind.RANK,
        TargetKind.QUARTILE,
        TargetKind.COMPARATOR,
        TargetKind.GAP,
    }
)
#: Kinds of target whose progress is measured from a starting figure.
_MEASURED_KINDS = _DATED_KINDS | {TargetKind.TREND}
#: Kinds whose value is a level of the measure itself (so written in its unit).
_LEVEL_KINDS = frozenset({TargetKind.VALUE, TargetKind.GAP})

_BETTER = {Polarity.HIGHER_IS_BETTER: 1, Polarity.LOWER_IS_BETTER: -1}

_DOWN_WORDS = (
    r"reduc\w*|decreas\w*|lower(?:ing)?|fewer|less|cut|narrow\w*|clos(?:e|ing) the gap|"
    r"fall\w*|drop\w*|declin\w*|minimis\w*"
)
_UP_WORDS = r"increas\w*|rais\w*|ris(?:e|ing)|more|higher|grow\w*|boost\w*|maximis\w*"
_BETTER_WORDS = r"improv\w*"
_DIRECTION_WORD = re.compile(rf"\b(?:{_DOWN_WORDS}|{_UP_WORDS}|{_BETTER_WORDS})\b", re.IGNORECASE)
#: Phrases that bound a figure rather than give a direction ("14% or fewer", "no more than 5").
_BOUND_PHRASE = re.compile(
    r"\bor (?:fewer|less|more|higher|lower)\b|\b(?:no )?(?:less|more|fewer|higher|lower) than\b",
    re.IGNORECASE,
)


def _stated_direction(
    measure: Measure, target: Target, better: int | None
) -> tuple[int, str] | None:
    """The direction the plan's own words give the target, with the word that says so.

    The target's text is read first, then the quote when it is prose (a table row's first
    column names the indicator, whose words, like "reporting a reduction in drug use", say
    nothing about the target). The first direction word counts; "improve" means the better
    direction of the measure's polarity.
    """
    for text in (target.text, measure.quote):
        if not text or (text is measure.quote and "\t" in text):
            continue
        for match in _DIRECTION_WORD.finditer(_BOUND_PHRASE.sub(" ", text)):
            word = match.group()
            if re.fullmatch(_BETTER_WORDS, word, re.IGNORECASE):
                if better is None:
                    continue
                return better, word
            if re.fullmatch(_DOWN_WORDS, word, re.IGNORECASE):
                return -1, word
            return 1, word
    return None


def _movement(target: Target, baseline: Baseline | None) -> int | None:
    """+1 if the target asks for a rise, -1 for a fall, 0 for no change; None if it cannot say."""
    if target.kind in _LEVEL_KINDS:
        if target.value is None or baseline is None or baseline.value is None:
            return None
        return _sign(Decimal(target.value) - Decimal(baseline.value))
    if target.kind is TargetKind.RELATIVE_CHANGE and target.value is not None:
        return _sign(Decimal(target.value))
    if target.kind is TargetKind.TREND:
        return {TrendDirection.INCREASE: 1, TrendDirection.DECREASE: -1}.get(
            target.direction or TrendDirection.IMPROVE
        )
    return None


def _sign(number: Decimal) -> int:
    return (number > _STATED_ZERO) - (number < _STATED_ZERO)


def _movement_text(target: Target, baseline: Baseline | None, moves: int, measure: Measure) -> str:
    if target.kind in _LEVEL_KINDS and baseline is not None and baseline.value is not None:
        assert target.value is not None
        relation = {1: "is higher than", -1: "is lower than", 0: "is the same as"}[moves]
        return (
            f"({_at(target.value, target.period, measure)}) {relation} the baseline "
            f"({_at(baseline.value, baseline.period, measure)})"
        )
    if target.kind is TargetKind.RELATIVE_CHANGE:
        return f"asks for a change of {target.value}%"
    return f"asks for a {'rise' if moves > 0 else 'fall'} ('{target.text or target.direction}')"


_UNIT_WORDS = {
    Unit.PERCENT: "as a percentage",
    Unit.RATE_PER_1000: "per 1,000",
    Unit.RATE_PER_10000: "per 10,000",
    Unit.RATE_PER_100000: "per 100,000",
    Unit.DAYS: "in days",
}
_UNIT_RE = re.compile(
    r"(?P<percent>%|\bper ?cent\b)|\bper (?P<rate>1,?000|10,?000|100,?000)\b|(?P<days>\bdays?\b)",
    re.IGNORECASE,
)
_RATES = {"1000": Unit.RATE_PER_1000, "10000": Unit.RATE_PER_10000, "100000": Unit.RATE_PER_100000}
#: "from 33 per 10,000 in March 2014 to 31 per 10,000 in 2014/15": the unit after each figure.
_FIGURE = r"-?\d[\d,]*(?:\.\d+)?"
_AFTER = r"(?:%|\s*per ?cent\b|\s+per \d[\d,]*|\s+days?\b)?"
_QUOTED_FIGURES = re.compile(
    rf"\bfrom {_FIGURE}(?P<from_unit>{_AFTER})\b.*?\bto (?:be )?(?:below )?{_FIGURE}"
    rf"(?P<to_unit>{_AFTER})",
    re.IGNORECASE,
)


def _unit_in(text: str | None) -> Unit | None:
    """The unit a piece of text writes its figure in, if it says."""
    match = _UNIT_RE.search(text or "")
    if match is None:
        return None
    if match["percent"]:
        return Unit.PERCENT
    if match["rate"]:
        return _RATES[match["rate"].replace(",", "")]
    return Unit.DAYS


def _has_baseline(measure: Measure) -> bool:
    if measure.baseline is not None and measure.baseline.value is not None:
        return True
    return any(b.baseline is not None and b.baseline.value is not None for b in measure.breakdowns)


def _at(value: Number, period: Period | None, measure: Measure) -> str:
    figure = f"{value}%" if measure.unit is Unit.PERCENT else str(value)
    if measure.unit in _RATES.values():
        figure += f" {_UNIT_WORDS.get(measure.unit or Unit.OTHER, '')}"
    return f"{figure} in {period}" if period is not None else figure
