"""The rules of an import review, without the database: which items there are, how a
correction is checked, and how the final plan data is built from the decisions.

Every check uses the plan file's own validation (:func:`validate_plan_data`), so a
correction is refused for exactly the reasons a plan file would be, and the message names
the field on the page it came from.
"""

from __future__ import annotations

import copy
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from cypp.domain.planfile import FORMAT_KEY, FORMAT_VERSION, validate_plan_data
from cypp.domain.targets import (
    Bound,
    Comparator,
    ComparatorRelation,
    QuartileSide,
    TargetKind,
    TrendDirection,
)
from cypp.domain.units import Polarity, Unit
from cypp.importer.pipeline import LOW_CONFIDENCE, ImportResult

KINDS = ("outcome", "action", "measure")
#: Where each kind of item sits in a plan-file theme.
LISTS = {"outcome": "outcomes", "action": "actions", "measure": "measures"}
DECISIONS = ("accepted", "rejected", "corrected")
HEADER_FIELDS = ("id", "title", "area", "period", "vision")

#: Target details that only some kinds carry, with the form field that edits each.
DETAIL_FIELDS = {
    "bound": "bound",
    "comparator": "comparator",
    "relation": "relation",
    "direction": "direction",
    "side": "side",
}
#: Which details each kind keeps (the plan file refuses the others).
KIND_DETAILS: dict[str, frozenset[str]] = {
    "value": frozenset({"bound"}),
    "relative_change": frozenset(),
    "rank": frozenset({"out_of", "bound"}),
    "quartile": frozenset({"quartile", "side", "share"}),
    "comparator": frozenset({"comparator", "relation"}),
    "gap": frozenset({"between", "gap_direction", "bound"}),
    "trend": frozenset({"direction", "from_value"}),
    "narrative": frozenset(),
    "no_target": frozenset(),
    "tbc": frozenset(),
}
_ALL_DETAILS = frozenset().union(*KIND_DETAILS.values())
#: Kinds that have no figure and no due period.
_NO_PERIOD = frozenset({"no_target", "tbc"})

#: Labels of the measure form's fields, used in every message about them.
MEASURE_LABELS = {
    "name": "Measure name",
    "unit": "Unit",
    "polarity": "Polarity",
    "baseline_value": "Baseline value",
    "baseline_period": "Baseline period",
    "target_kind": "Target kind",
    "target_value": "Target value",
    "target_period": "Target period",
    "target_text": "Target as written",
    "bound": "Bound",
    "comparator": "Comparator",
    "relation": "Relation to the comparator",
    "direction": "Trend direction",
    "side": "Quartile side",
}
HEADER_LABELS = {
    "id": "Plan id",
    "title": "Plan title",
    "area": "Area",
    "period": "Plan period",
    "vision": "Vision",
}
ITEM_LABELS = {"title": "Title"}

#: Plan-file paths inside a measure → the form field that edits them.
_MEASURE_PATHS = {
    "name": "name",
    "unit": "unit",
    "polarity": "polarity",
    "baseline": "baseline_value",
    "baseline.value": "baseline_value",
    "baseline.period": "baseline_period",
    "target": "target_kind",
    "target.kind": "target_kind",
    "target.value": "target_value",
    "target.period": "target_period",
    "target.text": "target_text",
    "target.bound": "bound",
    "target.comparator": "comparator",
    "target.relation": "relation",
    "target.direction": "direction",
    "target.side": "side",
    "target.quartile": "side",
}
_HEADER_PATHS = {"id": "id", "title": "title", "area": "area", "area.name": "area"}
_HEADER_PATHS |= {"period": "period", "vision": "vision"}

_SLUG = re.compile(r"^[-a-zA-Z0-9_]{1,200}$")
_PLAIN = re.compile(r"^[-+]?(\d+(\.\d+)?|\.\d+)$")
_THOUSANDS = re.compile(r"^[-+]?\d{1,3}(,\d{3})+(\.\d+)?$")


def choices(enum: type) -> list[tuple[str, str]]:
    """(value, words) pairs for a select or radios, in the enum's order."""
    return [(member.value, member.value.replace("_", " ").capitalize()) for member in enum]


UNIT_CHOICES = choices(Unit)
POLARITY_CHOICES = choices(Polarity)
KIND_CHOICES = choices(TargetKind)
BOUND_CHOICES = choices(Bound)
COMPARATOR_CHOICES = choices(Comparator)
RELATION_CHOICES = choices(ComparatorRelation)
DIRECTION_CHOICES = choices(TrendDirection)
SIDE_CHOICES = choices(QuartileSide)


# --- items ---------------------------------------------------------------------------------


def item_key(kind: str, theme: int, index: int) -> str:
    """A key that is stable for a draft and safe as an HTML id: ``t2-m4``."""
    return f"t{theme}-{kind[0]}{index}"


def review_items(result: ImportResult) -> list[dict[str, Any]]:
    """Every outcome, action and measure of an import, with its quote, location and
    confidence, in the plan's order (theme by theme)."""
    items: list[dict[str, Any]] = []
    draft_themes = result.draft.get("themes") or []
    for t, theme in enumerate(result.plan.get("themes") or []):
        source = draft_themes[t] if t < len(draft_themes) else {}
        for kind in KINDS:
            found = [] if kind == "measure" else (source.get(f"{kind}_items") or [])
            for i, entry in enumerate(theme.get(LISTS[kind]) or []):
                if kind == "measure":
                    info = entry
                else:
                    info = found[i] if i < len(found) else {}
                    if isinstance(entry, dict) and entry.get("quote"):
                        info = {**info, "quote": entry["quote"]}
                confidence = info.get("confidence")
                items.append(
                    {
                        "key": item_key(kind, t, i),
                        "kind": kind,
                        "theme": t,
                        "index": i,
                        "quote": info.get("quote") or "",
                        "location": _location(info.get("location")),
                        "confidence": confidence,
                        "low": confidence is None or confidence < LOW_CONFIDENCE,
                    }
                )
    return items


def _location(location: Any) -> dict[str, int]:
    if not isinstance(location, dict):
        return {}
    return {k: v for k, v in location.items() if k in ("line", "page") and isinstance(v, int)}


def extracted(plan_data: dict[str, Any], item: dict[str, Any]) -> Any:
    """The item as the importer produced it (a plan-file outcome, action or measure)."""
    return plan_data["themes"][item["theme"]][LISTS[item["kind"]]][item["index"]]


def initial_header(plan_data: dict[str, Any]) -> dict[str, str]:
    return {
        "id": str(plan_data.get("id") or ""),
        "title": str(plan_data.get("title") or ""),
        "area": str((plan_data.get("area") or {}).get("name") or ""),
        "period": str(plan_data.get("period") or ""),
        "vision": str(plan_data.get("vision") or ""),
    }


# --- numbers -------------------------------------------------------------------------------


def parse_number(text: str) -> int | Decimal:
    """A figure as typed: whole numbers stay whole, decimals keep their digits.

    Thousands separators are allowed ("1,234"); units and words are not, so "64%" or
    "about 40" are refused rather than guessed.
    """
    cleaned = text.strip()
    if _THOUSANDS.match(cleaned):
        cleaned = cleaned.replace(",", "")
    if not _PLAIN.match(cleaned):
        raise ValueError("must be a number, like 12 or 12.5, without units or % signs")
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError("must be a number, like 12 or 12.5") from None
    if "." not in cleaned:
        return int(number)
    return number


def number_text(value: Any) -> str:
    """A figure from plan data as a person would type it back."""
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(value)


# --- measures ------------------------------------------------------------------------------


def measure_values(measure: dict[str, Any]) -> dict[str, str]:
    """The measure form's fields filled from plan-file measure data."""
    baseline = measure.get("baseline") or {}
    target = measure.get("target") or {}
    return {
        "name": str(measure.get("name") or ""),
        "unit": str(measure.get("unit") or ""),
        "polarity": str(measure.get("polarity") or ""),
        "baseline_value": number_text(baseline.get("value")),
        "baseline_period": str(baseline.get("period") or ""),
        "target_kind": str(target.get("kind") or ""),
        "target_value": number_text(target.get("value")),
        "target_period": str(target.get("period") or ""),
        "target_text": str(target.get("text") or ""),
        **{name: str(target.get(detail) or "") for detail, name in DETAIL_FIELDS.items()},
    }


def _figure(text: str) -> int | Decimal | None:
    return parse_number(text) if text.strip() else None


def corrected_measure(original: dict[str, Any], values: dict[str, str]) -> dict[str, Any]:
    """Plan-file measure data: the original with the reviewer's values in place.

    What the form does not show (breakdowns, comparators, quote, location, confidence,
    target details of the chosen kind) is kept; details that do not fit the chosen kind
    are cleared, because the reviewer changed the kind. Raises ValueError naming the
    field for a figure that is not a number.
    """
    measure = copy.deepcopy(original)
    _put(measure, "name", values.get("name", "").strip())
    _put(measure, "unit", values.get("unit", "").strip())
    _put(measure, "polarity", values.get("polarity", "").strip())
    baseline = dict(measure.get("baseline") or {})
    _put(baseline, "value", _numeric(values, "baseline_value"))
    _put(baseline, "period", values.get("baseline_period", "").strip())
    if baseline.get("period") and "text" in baseline:
        # The period now reads; the unreadable wording it replaces goes.
        del baseline["text"]
    _put(measure, "baseline", baseline or None)
    kind = values.get("target_kind", "").strip()
    if not kind:
        measure.pop("target", None)
        return measure
    target = dict(measure.get("target") or {})
    if target.get("kind") != kind:
        for detail in _ALL_DETAILS - KIND_DETAILS.get(kind, frozenset()):
            target.pop(detail, None)
    target["kind"] = kind
    _put(target, "value", _numeric(values, "target_value"))
    _put(target, "period", values.get("target_period", "").strip())
    _put(target, "text", values.get("target_text", "").strip())
    for detail, name in DETAIL_FIELDS.items():
        if detail in KIND_DETAILS.get(kind, frozenset()):
            _put(target, detail, values.get(name, "").strip())
    if kind in _NO_PERIOD:
        target.pop("period", None)
    measure["target"] = target
    return measure


def _numeric(values: dict[str, str], name: str) -> int | Decimal | None:
    try:
        return _figure(values.get(name, ""))
    except ValueError as error:
        raise FieldError(name, f"{MEASURE_LABELS[name]} {error}") from None


def _put(mapping: dict[str, Any], key: str, value: Any) -> None:
    if value in (None, ""):
        mapping.pop(key, None)
    else:
        mapping[key] = value


class FieldError(ValueError):
    """A value the reviewer typed that cannot be used; ``field`` is the form field."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(message)


def _one_measure_plan(measure: dict[str, Any]) -> dict[str, Any]:
    return {
        FORMAT_KEY: FORMAT_VERSION,
        "id": "check",
        "area": {"name": "check"},
        "themes": [{"id": "check", "title": "check", "measures": [measure]}],
    }


def check_measure(
    original: dict[str, Any], values: dict[str, str]
) -> tuple[dict[str, Any] | None, dict[str, list[str]]]:
    """(corrected measure, {}) or (None, {form field: [messages]}) by the plan-file rules."""
    errors: dict[str, list[str]] = {}
    if not values.get("name", "").strip():
        errors["name"] = ["Enter the measure name"]
    try:
        measure = corrected_measure(original, values)
    except FieldError as error:
        errors.setdefault(error.field, []).append(error.message)
        return None, errors
    prefix = "themes[0].measures[0]"
    for problem in validate_plan_data(_one_measure_plan(measure)):
        path = problem.path[len(prefix) :].lstrip(".") if problem.path.startswith(prefix) else ""
        name = _MEASURE_PATHS.get(path) or ("target_kind" if path.startswith("target") else "")
        name = name or ("baseline_value" if path.startswith("baseline") else "name")
        if name in errors:
            continue
        errors[name] = [f"{MEASURE_LABELS[name]}: {_plain(problem.message)}"]
    return (None, errors) if errors else (measure, {})


def _plain(message: str) -> str:
    """Plan-file wording for a form: enum names with spaces, first letter kept."""
    return message.replace("_", " ")


def corrected_item(original: Any, values: dict[str, str]) -> Any:
    """An outcome or action with its title corrected (the quote is kept)."""
    title = values.get("title", "").strip()
    if isinstance(original, dict):
        return {**original, "title": title}
    return title


def check_item(original: Any, values: dict[str, str]) -> tuple[Any, dict[str, list[str]]]:
    title = values.get("title", "").strip()
    if not title:
        return None, {"title": ["Enter the title"]}
    return corrected_item(original, values), {}


# --- the plan header -----------------------------------------------------------------------


def header_data(plan_data: dict[str, Any], header: dict[str, str]) -> dict[str, Any]:
    """The plan's top-level fields with the reviewer's header in place."""
    data = {k: v for k, v in plan_data.items() if k not in ("themes", "cross_cutting")}
    data["id"] = header.get("id", "").strip()
    data["area"] = {**(plan_data.get("area") or {}), "name": header.get("area", "").strip()}
    for key in ("title", "period", "vision"):
        _put(data, key, header.get(key, "").strip())
    return data


def check_header(plan_data: dict[str, Any], header: dict[str, str]) -> dict[str, list[str]]:
    """{header field: [messages]} by the plan-file rules (empty when the header is fine)."""
    errors: dict[str, list[str]] = {}
    if not header.get("id", "").strip():
        errors["id"] = ["Enter a plan id, like worcestershire-2014-17"]
    elif not _SLUG.match(header["id"].strip()):
        errors["id"] = [
            "Plan id must use only letters, numbers, hyphens and underscores (up to 200), "
            "like worcestershire-2014-17"
        ]
    if not header.get("area", "").strip():
        errors["area"] = ["Enter the area the plan covers"]
    for problem in validate_plan_data(header_data(plan_data, header)):
        name = _HEADER_PATHS.get(problem.path) or _HEADER_PATHS.get(problem.path.split(".")[0])
        name = name or "id"
        if name not in errors:
            errors[name] = [f"{HEADER_LABELS[name]}: {_plain(problem.message)}"]
    return errors


# --- decisions and the final plan ----------------------------------------------------------


def current(plan_data: dict[str, Any], item: dict[str, Any], decision: dict[str, Any] | None):
    """The item as it will be stored: corrected values when corrected, else as extracted."""
    original = extracted(plan_data, item)
    if not decision or decision.get("decision") != "corrected":
        return original
    values = decision.get("values") or {}
    if item["kind"] == "measure":
        return corrected_measure(original, values)
    return corrected_item(original, values)


@dataclass
class Built:
    """The plan data built from a review, with the counts shown before it is stored."""

    data: dict[str, Any]
    counts: Counter[str] = field(default_factory=Counter)
    by_kind: dict[str, Counter[str]] = field(default_factory=dict)
    undecided: list[dict[str, Any]] = field(default_factory=list)
    #: Plan-file path prefix in ``data`` → the item key it came from.
    paths: dict[str, str] = field(default_factory=dict)

    def item_for(self, path: str) -> str | None:
        """The key of the item a plan-file error path points into, if any."""
        for prefix, key in self.paths.items():
            if path == prefix or path.startswith((prefix + ".", prefix + "[")):
                return key
        return None


def build_plan(
    plan_data: dict[str, Any],
    items: list[dict[str, Any]],
    decisions: dict[str, dict[str, Any]],
    header: dict[str, str],
) -> Built:
    """Plan data from the accepted and corrected items; rejected items are left out.

    Themes and cross-cutting themes are kept as extracted (a theme whose items were all
    rejected stays, with its title). Undecided items are listed in ``undecided`` and
    left out; the caller refuses to store a plan while there are any.
    """
    data = header_data(plan_data, header)
    themes = copy.deepcopy(plan_data.get("themes") or [])
    for theme in themes:
        for name in LISTS.values():
            theme.pop(name, None)
    built = Built(data, by_kind={kind: Counter() for kind in KINDS})
    for item in items:
        decision = decisions.get(item["key"]) or {}
        verdict = decision.get("decision")
        if verdict not in DECISIONS:
            built.undecided.append(item)
            continue
        built.counts[verdict] += 1
        built.by_kind[item["kind"]][verdict] += 1
        if verdict == "rejected":
            continue
        theme = themes[item["theme"]]
        kept = theme.setdefault(LISTS[item["kind"]], [])
        built.paths[f"themes[{item['theme']}].{LISTS[item['kind']]}[{len(kept)}]"] = item["key"]
        kept.append(current(plan_data, item, decision))
    data["themes"] = themes
    if plan_data.get("cross_cutting"):
        data["cross_cutting"] = copy.deepcopy(plan_data["cross_cutting"])
    return built


def low_confidence_first(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The items to check: low confidence, in the plan's order."""
    return [item for item in items if item["low"]]
