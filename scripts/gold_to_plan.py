"""One-off conversion of the hand-labelled gold plans into the example plan files.

Run from the repository root:  .venv/bin/python scripts/gold_to_plan.py GOLD_DIR
It writes examples/*.yaml. The gold files record each measure's target kind,
value, period and text; this script adds the structured details the plan file
keeps for each kind (bound, comparator and relation, quartile side, trend
direction...), read from the target text by the few fixed phrasings the five
plans use, and gives themes and measures stable ids.
"""

from __future__ import annotations

import json
import re
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

from cypp.domain.periods import parse_period
from cypp.domain.plan import (
    Action,
    Area,
    Baseline,
    Breakdown,
    Measure,
    Outcome,
    Plan,
    PlanStatus,
    SourceDocument,
    Theme,
)
from cypp.domain.planfile import dump_plan, load_plan
from cypp.domain.targets import (
    Bound,
    Comparator,
    ComparatorRelation,
    GapDirection,
    QuartileSide,
    Target,
    TargetKind,
    TrendDirection,
)
from cypp.domain.units import Polarity, Unit

PLANS = {
    "000_b6f99d2380cd7db8": {
        "id": "central-bedfordshire-2015-17",
        "title": "Central Bedfordshire Children and Young People's Plan 2015-2017",
        "ons_code": "E06000056",
        "status": PlanStatus.ADOPTED,
        "rank_out_of": 151,
    },
    "001_a7c67a801fa7e664": {
        "id": "central-bedfordshire-2013-draft",
        "title": "Central Bedfordshire Draft Outcomes Framework (Appendix A, March 2013)",
        "ons_code": "E06000056",
        "status": PlanStatus.DRAFT,
    },
    "002_c99d9787d6d769f6": {
        "id": "worcestershire-2014-17",
        "title": "Worcestershire Children and Young People's Plan 2014-2017",
        "ons_code": "E10000034",
        "status": PlanStatus.ADOPTED,
    },
    "003_7d696cc3b8ce19dd": {
        "id": "buckinghamshire-2011-14",
        "title": "Buckinghamshire Children and Young People's Plan 2011-2014",
        "ons_code": "E06000060",
        "status": PlanStatus.ADOPTED,
        "area_note": "Buckinghamshire has been a unitary authority (E06000060) since April 2020; "
        "when this plan was written it was a county council, E10000002.",
        # The child-poverty statistic sits under the 'Tackling Child Poverty' belief.
        "orphan_theme": 1,
    },
    "004_26c1e7d5e326071f": {
        "id": "leicestershire-2006-09-review",
        "title": "Leicestershire Children and Young People's Plan 2006/09: review (June 2007)",
        "ons_code": "E10000018",
        "status": PlanStatus.REVIEW,
        # "Both values are reductions, written unsigned": the plan file signs a relative change.
        "signed_reductions": {"First time entrants to the youth justice system"},
    },
}


def number(value: Any) -> int | Decimal | None:
    if value is None or isinstance(value, int):
        return value
    return Decimal(value)


def slug(text: str, taken: set[str]) -> str:
    words = re.findall(r"[a-z0-9]+", text.lower())
    base = "-".join(words[:5]) or "theme"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate


def period(text: str | None):  # type: ignore[no-untyped-def]
    return None if text is None else parse_period(text)


def target_details(gold: dict[str, Any], config: dict[str, Any], name: str) -> Target:
    kind = TargetKind(gold["kind"])
    text = gold.get("text") or ""
    lower = text.lower()
    value = number(gold.get("value"))
    details: dict[str, Any] = {}
    if kind is TargetKind.VALUE:
        if "or fewer" in lower or "or less" in lower:
            details["bound"] = Bound.AT_MOST
        elif lower.startswith("<") or "below" in lower:
            details["bound"] = Bound.BELOW
        elif "or more" in lower:
            details["bound"] = Bound.AT_LEAST
    elif kind is TargetKind.RANK:
        details["out_of"] = config.get("rank_out_of")
    elif kind is TargetKind.QUARTILE:
        match = re.search(r"(top|bottom) (\d+)%", lower)
        if match:
            details["side"] = QuartileSide(match[1])
            details["share"] = int(match[2])
    elif kind is TargetKind.COMPARATOR:
        if "statistical neighbour" in lower:
            details["comparator"] = Comparator.STATISTICAL_NEIGHBOURS
        elif "national target" in lower or "national milestone" in lower:
            details["comparator"] = Comparator.NATIONAL_TARGET
        else:
            details["comparator"] = Comparator.ENGLAND
        if "not significantly different" in lower:
            details["relation"] = ComparatorRelation.NOT_SIGNIFICANTLY_DIFFERENT
        elif "% above" in lower:
            details["relation"] = ComparatorRelation.ABOVE_BY_PERCENT
        elif "in line" in lower:
            details["relation"] = ComparatorRelation.IN_LINE
        else:
            details["relation"] = ComparatorRelation.MEETS
    elif kind is TargetKind.GAP:
        if "narrow" in lower:
            details["gap_direction"] = GapDirection.NARROW
    elif kind is TargetKind.TREND:
        if "reduction" in lower or "decrease" in lower:
            details["direction"] = TrendDirection.DECREASE
        elif "increase" in lower:
            details["direction"] = TrendDirection.INCREASE
        else:
            details["direction"] = TrendDirection.IMPROVE
        match = re.search(r"from (\d+(?:\.\d+)?)", lower)
        if match:
            details["from_value"] = number(match[1]) if "." in match[1] else int(match[1])
    elif kind is TargetKind.RELATIVE_CHANGE and name in config.get("signed_reductions", ()):
        assert value is not None
        value = -value
    return Target(
        kind=kind,
        value=value,
        period=period(gold.get("period")),
        text=gold.get("text"),
        **details,
    )


def convert(gold_path: Path) -> Plan:
    gold = json.loads(gold_path.read_text(encoding="utf-8"), parse_float=Decimal)
    config = PLANS[gold_path.stem]
    taken: set[str] = set()
    themes: list[dict[str, Any]] = []
    for item in gold["themes"]:
        note = item.get("note")
        aims: list[str] = []
        if note and "AIMS (not outcomes): '" in note:
            aims_text = note.split("AIMS (not outcomes): '", 1)[1].rstrip(".").rstrip("'")
            aims = aims_text.split("'; '")
        themes.append(
            {
                "id": slug(item["title"], taken),
                "title": item["title"],
                "note": note,
                "aims": tuple(aims),
                "outcomes": tuple(Outcome(title=o) for o in item["outcomes"]),
                "actions": tuple(Action(title=a) for a in item["actions"]),
                "measures": [],
            }
        )
    cross = [
        {"id": slug(title, taken), "title": title, "measures": []}
        for title in gold["cross_cutting"]
    ]
    by_title = {theme["title"]: theme for theme in themes}
    for index, item in enumerate(gold["measures"], start=1):
        baseline = item.get("baseline")
        target = item.get("target")
        measure = Measure(
            id=f"m{index:02d}",
            name=item["name"],
            unit=Unit(item["unit"]) if item.get("unit") else None,
            polarity=Polarity(item["polarity"]) if item.get("polarity") else None,
            baseline=None
            if baseline is None
            else Baseline(
                value=number(baseline.get("value")), period=period(baseline.get("period"))
            ),
            target=None if target is None else target_details(target, config, item["name"]),
            breakdowns=tuple(
                Breakdown(
                    label=b["label"],
                    baseline=None
                    if b.get("baseline") is None
                    else Baseline(value=number(b["baseline"])),
                    target=None
                    if b.get("target") is None
                    else Target(kind=TargetKind(target["kind"]), value=number(b["target"])),
                )
                for b in item.get("breakdowns") or []
            ),
            quote=item.get("quote"),
            note=item.get("note"),
        )
        if item["theme"] is None:
            cross[config["orphan_theme"]]["measures"].append(measure)
        else:
            by_title[item["theme"]]["measures"].append(measure)
    notes = [n for n in (gold.get("note"), config.get("area_note")) if n]
    return Plan(
        id=config["id"],
        title=config["title"],
        area=Area(name=gold["area"], ons_code=config["ons_code"]),
        period=parse_period(gold["plan_period"]) if gold["plan_period"] else None,
        status=config["status"],
        vision=gold.get("vision"),
        themes=tuple(Theme(**{**t, "measures": tuple(t["measures"])}) for t in themes),
        cross_cutting=tuple(Theme(**{**t, "measures": tuple(t["measures"])}) for t in cross),
        source=SourceDocument(file=gold["document"]),
        note="\n\n".join(notes) or None,
    )


def main(gold_dir: str) -> None:
    out = Path("examples")
    out.mkdir(exist_ok=True)
    for path in sorted(Path(gold_dir).glob("*.json")):
        plan = convert(path)
        text = dump_plan(plan)
        assert load_plan(text) == plan, path
        target = out / f"{plan.id}.yaml"
        target.write_text(text, encoding="utf-8")
        print(f"{target}: {plan.measure_count()} measures")


if __name__ == "__main__":
    main(sys.argv[1])
