"""Draft → plan file data: fill the details each target kind needs and keep every quote.

The extractor reads the plan's words into kinds and figures; the plan file
also wants the structured details a rating rule uses (which comparator, which
way a trend should go, which side of a quartile). Those are read here from the
target's own text. Anything that cannot be represented (a period written in a
way the period parser does not know) is kept in words and reported as a
warning instead of being dropped silently.
"""

from __future__ import annotations

import re
from typing import Any

from cypp.domain.periods import PeriodError, parse_period
from cypp.domain.planfile import FORMAT_KEY, FORMAT_VERSION

Warning = dict[str, Any]

_SLUG = re.compile(r"[^a-z0-9]+")


def slug(text: str, words: int = 6) -> str:
    parts = [p for p in _SLUG.split(text.lower()) if p][:words]
    return "-".join(parts) or "item"


def _unique(base: str, used: set[str]) -> str:
    candidate, n = base, 2
    while candidate in used:
        candidate = f"{base}-{n}"
        n += 1
    used.add(candidate)
    return candidate


def _period(text: Any) -> tuple[str | None, str | None]:
    """(period for the file, problem) — a period that does not parse is reported, not kept."""
    if text is None:
        return None, None
    text = str(text).strip()
    if not text:
        return None, None
    try:
        parse_period(text)
    except PeriodError as error:
        return None, str(error)
    return text, None


def _number(value: Any) -> int | float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return value
    return None


def _bound(text: str) -> str | None:
    t = text.lower()
    if re.search(
        r"\bor (?:fewer|less|lower|below)\b|\bno more than\b|\bnot more than\b|"
        r"\bat most\b|\bmaximum of\b|≤|<=",
        t,
    ):
        return "at_most"
    if re.search(
        r"\bor (?:more|higher|above|greater|better)\b|\bat least\b|\bno less than\b|"
        r"\bnot less than\b|\bminimum of\b|≥|>=",
        t,
    ):
        return "at_least"
    if re.search(r"<|\bbelow\b|\bunder\b|\bless than\b|\bfewer than\b", t):
        return "below"
    if re.search(r">|\babove\b|\bover\b|\bmore than\b|\bexceed", t):
        return "above"
    return None


def _comparator(text: str) -> str | None:
    t = text.lower()
    if re.search(r"statistical neighbou?r|similar (?:areas|authorities|councils)|comparator", t):
        return "statistical_neighbours"
    if re.search(r"national (?:target|milestone)", t):
        return "national_target"
    if re.search(r"\bregion(?:al)?\b|east of england|south east|north west|west midlands", t):
        return "region"
    if re.search(r"\bnational(?:ly)?\b|\bengland\b|\bcountry\b", t):
        return "england"
    return None


def _relation(text: str, value: Any) -> str:
    t = text.lower()
    if value is not None:
        if re.search(r"\bbelow\b|\blower\b|\bunder\b|\bless\b|\bfewer\b", t):
            return "below_by_percent"
        return "above_by_percent"
    if re.search(r"not significantly different", t):
        return "not_significantly_different"
    if re.search(r"\bbetter\b|\babove\b|\bexceed|\bhigher\b|\bbelow\b|\blower\b|\bless\b", t):
        return "better_than"
    if re.search(r"\bmeet|\bachiev|\breach", t):
        return "meets"
    return "in_line"


def _direction(text: str, polarity: str | None) -> tuple[str, bool]:
    """Trend direction from the words; the bool says whether it was stated or assumed."""
    t = text.lower()
    if re.search(r"\bmaintain|\bsustain|\bkeep\b|\bremain", t):
        return "maintain", True
    if re.search(r"\breduc|\bdecreas|\bfewer\b|\blower\b|\bfall|\bdown", t):
        return "decrease", True
    if re.search(r"\bincreas|\brais|\bmore\b|\bhigher\b|\brise|\bup\b|\bgrow", t):
        return "increase", True
    return "improve", bool(re.search(r"\bimprov|\bbetter\b", t))


def target_data(
    target: dict[str, Any],
    polarity: str | None,
    baseline: dict[str, Any] | None,
    where: str,
    warnings: list[Warning],
) -> dict[str, Any]:
    """A plan-file target from an extracted one, with the details its kind needs."""
    kind = target.get("kind") or "narrative"
    text = target.get("text") or ""
    value = _number(target.get("value"))
    out: dict[str, Any] = {"kind": kind}

    def warn(message: str) -> None:
        warnings.append({"path": where, "message": message})

    if kind == "relative_change" and value is None:
        kind = out["kind"] = "trend"
        warn("relative change without a figure read as a trend")
    if kind in ("value", "relative_change", "gap") and value is not None:
        out["value"] = value
    if kind == "value":
        bound = _bound(text)
        if bound:
            out["bound"] = bound
    elif kind == "rank":
        if isinstance(value, int) and value >= 1:
            out["value"] = value
        elif value is not None:
            warn(f"rank {value} is not a whole number; left out")
        out_of = re.search(
            r"\bout of (\d+)|\bof (?:the )?(\d+) (?:local )?(?:authorit|councils|areas)", text, re.I
        )
        if out_of:
            total = int(out_of.group(1) or out_of.group(2))
            if total >= 1 and not (isinstance(out.get("value"), int) and out["value"] > total):
                out["out_of"] = total
    elif kind == "quartile":
        t = text.lower()
        number = re.search(r"\b(first|second|third|fourth|1st|2nd|3rd|4th)\s+quartile", t)
        ordinal = {
            "first": 1,
            "1st": 1,
            "second": 2,
            "2nd": 2,
            "third": 3,
            "3rd": 3,
            "fourth": 4,
            "4th": 4,
        }
        if number:
            out["quartile"] = ordinal[number.group(1)]
        if re.search(r"\b(?:top|upper|highest|best)\b", t):
            out["side"] = "top"
        elif re.search(r"\b(?:bottom|lowest|worst)\b", t):
            out["side"] = "bottom"
        share = re.search(r"(?:top|bottom)\s+(\d+(?:\.\d+)?)\s?%", t)
        if share and 0 < float(share.group(1)) <= 100:
            out["share"] = _number(
                float(share.group(1)) if "." in share.group(1) else int(share.group(1))
            )
        if "quartile" not in out and "side" not in out:
            out["side"] = "top"
            warn("quartile target without a stated side; read as the top quartile")
    elif kind == "comparator":
        comparator = _comparator(text)
        if comparator is None:
            comparator = "england"
            warn("comparator not named; read as England")
        out["comparator"] = comparator
        out["relation"] = _relation(text, value)
        if value is not None:
            out["value"] = abs(value)
    elif kind == "gap":
        out["gap_direction"] = (
            "close" if re.search(r"\bclose\b|\beliminat", text, re.I) else "narrow"
        )
    elif kind == "trend":
        direction, stated = _direction(text, polarity)
        out["direction"] = direction
        if not stated:
            warn("trend target without a stated direction; read as improve")
        from_value = re.search(r"\bfrom\s+([-+]?\d+(?:\.\d+)?)", text, re.I)
        if from_value:
            out["from_value"] = _number(
                float(from_value.group(1))
                if "." in from_value.group(1)
                else int(from_value.group(1))
            )
        elif (
            baseline
            and _number(baseline.get("value")) is not None
            and re.search(r"\bfrom\b", text, re.I)
        ):
            out["from_value"] = baseline["value"]
    if kind not in ("no_target", "tbc"):
        period, problem = _period(target.get("period"))
        if period:
            out["period"] = period
        elif problem:
            warn(f"target period {target.get('period')!r} left in the text: {problem}")
    if text:
        out["text"] = text
    return out


def baseline_data(
    baseline: dict[str, Any] | None, where: str, warnings: list[Warning]
) -> dict[str, Any] | None:
    if not baseline:
        return None
    out: dict[str, Any] = {}
    value = _number(baseline.get("value"))
    if value is not None:
        out["value"] = value
    period, problem = _period(baseline.get("period"))
    if period:
        out["period"] = period
    elif problem:
        out["text"] = str(baseline.get("period"))
        warnings.append({"path": where, "message": f"baseline period kept as text: {problem}"})
    return out or None


def measure_data(
    measure: dict[str, Any], measure_id: str, where: str, warnings: list[Warning]
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": measure_id,
        "name": measure.get("name") or measure.get("quote") or measure_id,
    }
    for key in ("unit", "polarity"):
        if measure.get(key):
            out[key] = measure[key]
    baseline = baseline_data(measure.get("baseline"), f"{where}.baseline", warnings)
    if baseline:
        out["baseline"] = baseline
    if measure.get("target"):
        out["target"] = target_data(
            measure["target"],
            measure.get("polarity"),
            measure.get("baseline"),
            f"{where}.target",
            warnings,
        )
    breakdowns = []
    seen: set[str] = set()
    for item in measure.get("breakdowns") or []:
        label = str(item.get("label") or "").strip()
        if not label or label in seen:
            continue
        seen.add(label)
        entry: dict[str, Any] = {"label": label}
        if _number(item.get("baseline")) is not None:
            entry["baseline"] = {"value": item["baseline"]}
        if _number(item.get("target")) is not None:
            entry["target"] = {"kind": "value", "value": item["target"]}
        breakdowns.append(entry)
    if breakdowns:
        out["breakdowns"] = breakdowns
    comparators = []
    for item in measure.get("comparators") or []:
        entry = {"comparator": item["comparator"]}
        if _number(item.get("value")) is not None:
            entry["value"] = item["value"]
        period, _ = _period(item.get("period"))
        if period:
            entry["period"] = period
        comparators.append(entry)
    if comparators:
        out["comparators"] = comparators
    if measure.get("quote"):
        out["quote"] = measure["quote"]
    location = {
        k: v for k, v in (measure.get("location") or {}).items() if isinstance(v, int) and v >= 1
    }
    if location:
        out["location"] = location
    if measure.get("confidence") is not None:
        out["confidence"] = measure["confidence"]
    return out


def _item(entry: dict[str, Any]) -> dict[str, Any]:
    """An outcome or action with the verbatim line it was read from."""
    out = {"title": entry["text"]}
    if entry.get("quote"):
        out["quote"] = entry["quote"]
    return out


def plan_data(draft: dict[str, Any], warnings: list[Warning]) -> dict[str, Any]:
    """Plan file data (format version 1) from an extraction draft."""
    document = draft.get("document") or "plan"
    area = draft.get("area")
    if not area:
        area = "Unknown area"
        warnings.append({"path": "area", "message": "the area was not found; set area.name"})
    period, problem = _period(draft.get("plan_period"))
    if problem:
        warnings.append({"path": "period", "message": f"plan period left out: {problem}"})
    data: dict[str, Any] = {
        FORMAT_KEY: FORMAT_VERSION,
        "id": slug(f"{area} {period or ''}", 8),
        "area": {"name": area},
        "status": "draft",
        "source": {"file": document},
    }
    if period:
        data["period"] = period
    else:
        warnings.append({"path": "period", "message": "the plan period was not found"})
    if draft.get("vision"):
        data["vision"] = draft["vision"]
    else:
        warnings.append({"path": "vision", "message": "no vision statement was found"})
    if draft.get("values"):
        data["values"] = list(draft["values"])
    theme_ids: set[str] = set()
    themes: list[dict[str, Any]] = []
    by_title: dict[str, dict[str, Any]] = {}
    for theme in draft.get("themes", []):
        entry: dict[str, Any] = {
            "id": _unique(slug(theme["title"]), theme_ids),
            "title": theme["title"],
        }
        if theme.get("aims"):
            entry["aims"] = list(theme["aims"])
        if theme.get("outcome_items"):
            entry["outcomes"] = [_item(o) for o in theme["outcome_items"]]
        if theme.get("action_items"):
            entry["actions"] = [_item(a) for a in theme["action_items"]]
        entry["measures"] = []
        themes.append(entry)
        by_title[theme["title"]] = entry
    orphans: list[dict[str, Any]] = []
    for number, measure in enumerate(draft.get("measures", []), start=1):
        owner = by_title.get(measure.get("theme") or "")
        if owner is None:
            orphans.append(measure)
            continue
        where = f"themes[{themes.index(owner)}].measures[{len(owner['measures'])}]"
        owner["measures"].append(measure_data(measure, f"m{number:02d}", where, warnings))
    if orphans:
        entry = {
            "id": _unique("other-measures", theme_ids),
            "title": "Measures outside any theme",
            "measures": [],
        }
        themes.append(entry)
        warnings.append(
            {
                "path": f"themes[{len(themes) - 1}]",
                "message": f"{len(orphans)} measure(s) were found outside any theme",
            }
        )
        for measure in orphans:
            number = draft["measures"].index(measure) + 1
            where = f"themes[{len(themes) - 1}].measures[{len(entry['measures'])}]"
            entry["measures"].append(measure_data(measure, f"m{number:02d}", where, warnings))
    for entry in themes:
        if not entry["measures"]:
            del entry["measures"]
    data["themes"] = themes
    cross_ids: set[str] = set(theme_ids)
    if draft.get("cross_cutting"):
        data["cross_cutting"] = [
            {"id": _unique(slug(title), cross_ids), "title": title}
            for title in draft["cross_cutting"]
        ]
    return data
