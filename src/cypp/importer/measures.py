"""Measures from the three layouts plans use: tables, target sentences, progress bullets.

Each function takes one source line and returns zero or more measures in the
gold schema (name, unit, polarity, baseline, target, breakdowns) plus a
``confidence``; the caller adds the quote, location and theme.
"""

from __future__ import annotations

import re
from typing import Any

from cypp.domain.targets import TargetKind
from cypp.domain.units import Polarity, Unit
from cypp.importer.grammar import (
    PERIOD_RE,
    Quantity,
    TargetParse,
    classify_target,
    clean_value,
    infer_polarity,
    infer_unit,
    labelled_values,
    parse_baseline,
    period_spans,
    quantities,
    series,
    word_number,
)

Measure = dict[str, Any]

_BULLETS = "•●▪◦·‣∙○■□➢➤✓-–*"
_VOICE = re.compile(
    r"^\s*(?:children(?:'s)?,?\s+(?:and\s+)?(?:young people|families|parents)['’]?s?|"
    r"young people['’]?s?|pupil|service user|residents['’]?)\s+voice\s*[:\-–]?\s*",
    re.I,
)
_FUNCTION_WORDS = {
    "the", "of", "by", "through", "and", "in", "with", "a", "an", "to", "for", "on", "at",
    "or", "from", "as", "into", "their", "its", "our", "is", "are", "be", "that", "who",
}  # fmt: skip
_DIRECTION = re.compile(
    r"^\s*(?:an?\s+)?(?:(?:further\s+)?(?:reduction|decrease|increase|improvement|fall|rise|"
    r"reduce|decrease|increase|improve|raise|lower|narrow|maintain|sustain)s?|"
    r"fewer|more|less|higher|lower)\b(?:\s+(?:in|of|on))?\s*",
    re.I,
)
_INDICATOR_PREFIX = re.compile(
    r"^\s*(?:the\s+)?(?:(?:percentage|proportion|number|rate|level|%)\s+(?:of\s+)?)", re.I
)


def _target_dict(parse: TargetParse | None) -> dict[str, Any] | None:
    if parse is None:
        return None
    return {
        "kind": parse.kind.value,
        "value": parse.value,
        "period": parse.period,
        "text": parse.text,
    }


def clean_name(text: str) -> str:
    """A measure's name: the indicator text without bullets, footnote marks or wrappers."""
    name = re.sub(r"\s+", " ", text).strip().strip(_BULLETS).strip()
    name = re.sub(r"\*+$", "", name).strip()
    return name.rstrip(".:;, ")


def _measure(
    name: str,
    unit: Unit | None,
    polarity: Polarity | None,
    baseline: tuple[float | int, str | None] | None,
    target: TargetParse | None,
    breakdowns: list[dict[str, Any]] | None = None,
    confidence: float = 0.8,
) -> Measure:
    return {
        "name": name,
        "unit": unit.value if unit else None,
        "polarity": polarity.value if polarity else None,
        "baseline": {"value": baseline[0], "period": baseline[1]} if baseline else None,
        "target": _target_dict(target),
        "breakdowns": breakdowns or [],
        "confidence": round(confidence, 2),
    }


# --- tables ---------------------------------------------------------------------------------

_HEAD_NAME = re.compile(
    r"^(?:measures?|indicators?|measuring (?:our )?success|performance (?:measures?|indicators?)|"
    r"key (?:performance )?indicators?|how (?:we|will) (?:we )?measure|success measures?|"
    r"description|what we will measure|kpis?|outcome measures?)\b",
    re.I,
)
_HEAD_BASELINE = re.compile(
    r"^(?:current(?: position| performance| value| level)?|baseline|latest(?: data| position)?|"
    r"actual|starting point|where we are(?: now)?|performance|position|\d{4}(?:/\d{2})?"
    r"(?: actual| baseline| outturn)?|outturn)\b",
    re.I,
)
_HEAD_TARGET = re.compile(
    r"^(?:targets?|ambition|goal|aim|where we want to be|(?:\d{4}(?:/\d{2})? )?target|"
    r"trajectory|expected)\b",
    re.I,
)
_HEAD_COMPARATORS = [
    (
        "statistical_neighbours",
        re.compile(
            r"^(?:statistical neighbou?rs?|stat\.? neighbou?rs?|sn|"
            r"sn average|similar (?:areas|authorities))\b",
            re.I,
        ),
    ),
    (
        "region",
        re.compile(
            r"^(?:region(?:al)?(?: average)?|east of england|south east|south west|"
            r"north east|north west|east midlands|west midlands|london|"
            r"yorkshire and (?:the )?humber)\b",
            re.I,
        ),
    ),
    ("england", re.compile(r"^(?:england|national|eng\.?)(?: average| avg\.?)?\b", re.I)),
]
_HEAD_POLARITY = re.compile(r"^(?:polarity|direction|good is|better is)\b", re.I)


def header_columns(cells: tuple[str, ...]) -> dict[str, int] | None:
    """Map a header row's cells to name, baseline and target columns, or None if not a header."""
    roles: dict[str, int] = {}
    for index, cell in enumerate(cells):
        c = cell.strip().strip(_BULLETS).strip()
        if not c:
            continue
        if quantities(c, bare=True) and not _HEAD_BASELINE.match(c) and not _HEAD_TARGET.match(c):
            return None
        if len(c.split()) > 6:
            return None
        if "name" not in roles and _HEAD_NAME.match(c):
            roles["name"] = index
        elif _HEAD_TARGET.match(c):
            roles["target"] = index
        elif _HEAD_BASELINE.match(c):
            roles["baseline"] = index
        elif _HEAD_POLARITY.match(c):
            roles["polarity"] = index
        else:
            for comparator, pattern in _HEAD_COMPARATORS:
                if pattern.match(c):
                    roles.setdefault(f"comparator:{comparator}", index)
                    break
    if "target" in roles or ("name" in roles and len(roles) >= 2):
        roles.setdefault("name", 0)
        return roles
    return None


_PAGE_REF = re.compile(
    r"^(?:pages?|pp?\.?)\s*\d+(?:\s*[-–]\s*\d+)?$|^\d{1,3}(?:\s*[-–]\s*\d{1,3})?$", re.I
)


def is_contents_row(cells: tuple[str, ...]) -> bool:
    """A table-of-contents line ("Welcome<tab>Page 3"): a title and nothing but page numbers."""
    rest = [c.strip() for c in cells[1:] if c.strip()]
    return (
        bool(rest)
        and all(_PAGE_REF.match(c) for c in rest)
        and any(re.match(r"(?:pages?|pp?\.)", c, re.I) for c in rest)
    )


def default_columns(count: int) -> dict[str, int]:
    if count <= 1:
        return {"name": 0}
    if count == 2:
        return {"name": 0, "target": 1}
    return {"name": 0, "baseline": 1, "target": count - 1}


def _split_run_on(text: str) -> list[str]:
    """Split several indicators run together in one cell at lower→Capital word boundaries."""
    words = text.split(" ")
    parts: list[list[str]] = [[]]
    for i, word in enumerate(words):
        prev = words[i - 1] if i else ""
        if (
            parts[-1]
            and word[:1].isupper()
            and len(word) > 1
            and word[1:2].islower() | (word[1:2] == "'")
            and prev[:1].islower()
            and prev.lower().strip(",;") not in _FUNCTION_WORDS
            and not prev.endswith(",")
        ):
            parts.append([])
        parts[-1].append(word)
    return [" ".join(p) for p in parts if p]


def _split_targets(text: str) -> list[str]:
    parts = re.split(r"(?<=[a-z%\d])\s+(?=[A-Z][a-z])", text.strip())
    return [p for p in (x.strip() for x in parts) if p]


def _assign_targets(names: list[str], targets: list[str]) -> list[str | None]:
    """Pair each indicator in a multi-indicator row with its target phrase."""
    if len(targets) == 1:
        return [targets[0]] * len(names)
    if len(targets) == len(names):
        return list(targets)
    result: list[str | None] = [None] * len(names)
    remaining = list(targets)
    for t in list(remaining):
        if re.search(r"narrative|report", t, re.I):
            for i, n in enumerate(names):
                if result[i] is None and re.search(r"report|narrative", n, re.I):
                    result[i] = t
                    remaining.remove(t)
                    break
    for i in range(len(names)):
        if result[i] is None and remaining:
            result[i] = remaining.pop(0)
    return result


def table_row_measures(
    cells: tuple[str, ...],
    items: tuple[tuple[str, ...], ...],
    columns: dict[str, int],
    periods: dict[str, str] | None = None,
) -> list[Measure]:
    """Measures from one table row, given which column holds what.

    ``periods`` are the periods written in the header ("Target 2015/16"), used
    when a cell gives a figure without one.
    """

    def cell(role: str) -> str:
        index = columns.get(role)
        if index is None or index >= len(cells):
            return ""
        return cells[index].strip()

    name_index = columns.get("name", 0)
    name_cell = cell("name")
    target_text = cell("target")
    baseline_text = cell("baseline") if "baseline" in columns else ""
    if not clean_name(name_cell):
        return []
    name_items = list(items[name_index]) if name_index < len(items) else [name_cell]
    names: list[str]
    voice = _VOICE.match(name_cell)
    if voice or (len(name_items) > 1 and _VOICE.match(name_items[0])):
        if len(name_items) > 1 and _VOICE.fullmatch(name_items[0] + " "):
            names = [clean_name(n) for n in name_items[1:]]
            if len(names) == 1:
                names = [clean_name(n) for n in _split_run_on(names[0])]
        elif len(name_items) > 1 and _VOICE.match(name_items[0]):
            names = [clean_name(_VOICE.sub("", name_items[0]))] + [
                clean_name(n) for n in name_items[1:]
            ]
        else:
            names = [clean_name(n) for n in _split_run_on(_VOICE.sub("", name_cell))]
        names = [n for n in names if n]
    else:
        names = [clean_name(name_cell)]
    if not names:
        return []
    if len(names) > 1:
        pairs = _assign_targets(names, _split_targets(target_text) if target_text else [])
        out = []
        for name, t in zip(names, pairs, strict=True):
            out.extend(_single_row(name, baseline_text, t or "", confidence=0.6))
        measures = out
    else:
        measures = _single_row(names[0], baseline_text, target_text)
    stated = polarity_of_cell(cell("polarity")) if "polarity" in columns else None
    for measure in measures:
        _apply_header_periods(measure, periods or {})
        if stated is not None:
            measure["polarity"] = stated.value
        if measure["unit"] == Unit.RANK.value and measure["polarity"] is None:
            measure["polarity"] = Polarity.LOWER_IS_BETTER.value  # first place is best
    if len(measures) == 1:
        comparators = []
        for role in columns:
            if role.startswith("comparator:"):
                value = parse_baseline(cell(role))
                if value is not None:
                    comparators.append(
                        {"comparator": role.split(":", 1)[1], "value": value[0], "period": value[1]}
                    )
        measures[0]["comparators"] = comparators
    return measures


_POLARITY_CELL = [
    (
        Polarity.HIGHER_IS_BETTER,
        re.compile(
            r"^(?:high(?:er)?|up|↑|⬆|▲|\+|bigger|more|increase)\b|"
            r"^(?:high|higher|bigger) (?:is )?better",
            re.I,
        ),
    ),
    (
        Polarity.LOWER_IS_BETTER,
        re.compile(
            r"^(?:low(?:er)?|down|↓|⬇|▼|-|smaller|less|fewer|"
            r"decrease)\b|^(?:low|lower|smaller) (?:is )?better",
            re.I,
        ),
    ),
    (Polarity.NONE, re.compile(r"^(?:n/?a|none|neither|no polarity|context)\b", re.I)),
]


def polarity_of_cell(text: str) -> Polarity | None:
    """A polarity column's entry ("Higher is better", "Low", "↑") as a polarity."""
    t = text.strip()
    for polarity, pattern in _POLARITY_CELL:
        if t and pattern.search(t):
            return polarity
    return None


def header_periods(cells: tuple[str, ...], columns: dict[str, int]) -> dict[str, str]:
    """Periods named in the header cells of the baseline and target columns."""
    out: dict[str, str] = {}
    for role in ("baseline", "target"):
        index = columns.get(role)
        if index is not None and index < len(cells):
            spans = period_spans(cells[index])
            if spans:
                out[role] = spans[-1][2]
    return out


def _apply_header_periods(measure: Measure, periods: dict[str, str]) -> None:
    target, baseline = measure.get("target"), measure.get("baseline")
    if (
        target
        and "target" in periods
        and target.get("period") is None
        and target.get("kind") not in ("tbc", "no_target", "narrative")
    ):
        target["period"] = periods["target"]
    if baseline and "baseline" in periods and baseline.get("period") is None:
        baseline["period"] = periods["baseline"]


def _single_row(
    name: str, baseline_text: str, target_text: str, confidence: float = 0.85
) -> list[Measure]:
    target = classify_target(target_text, name) if target_text.strip() else None
    if (
        target is not None
        and target.kind is TargetKind.VALUE
        and target.value is not None
        and target.unit is None
        and re.search(r"\brank", name, re.I)
    ):
        target.kind = TargetKind.RANK
    if not target_text.strip():
        target = None
    baseline = parse_baseline(baseline_text) if baseline_text else None
    breakdowns: list[dict[str, Any]] = []
    base_labels = labelled_values(baseline_text) if baseline_text else []
    if len(base_labels) >= 2:
        target_labels = dict(labelled_values(target_text))
        target_plain = quantities(target_text, bare=True) if target_text else []
        for i, (label, value) in enumerate(base_labels):
            tv: float | int | None = target_labels.get(label)
            if tv is None and not target_labels and len(target_plain) == len(base_labels):
                tv = clean_value(target_plain[i].value)
            breakdowns.append({"label": label, "baseline": value, "target": tv})
        baseline = None
        if target is not None and (target_labels or len(target_plain) > 1):
            target.value = None
    elif target_text and len(labelled_values(target_text)) >= 2:
        breakdowns = [
            {"label": label, "baseline": None, "target": value}
            for label, value in labelled_values(target_text)
        ]
        if target is not None:
            target.value = None
    runs = series(baseline_text) if baseline_text else []
    if len(runs) >= 2:
        ref = re.search(r"against\s+((?:19|20)\d{2}(?:/\d{2})?)\s+baseline", target_text, re.I)
        chosen = next((r for r in runs if ref and r[0] == ref.group(1)), runs[-1])
        baseline = (chosen[1], chosen[0])
    if baseline is None and target is not None and target.baseline is not None:
        baseline = target.baseline
    found = quantities(baseline_text + " " + target_text, bare=True)
    unit = infer_unit(name, baseline_text + " " + target_text, found)
    polarity = infer_polarity(name, name)
    if polarity is None and target_text:
        polarity = infer_polarity(f"{name} {target_text}", name)
    if target is not None and target.kind is TargetKind.NO_TARGET:
        polarity = Polarity.NONE  # a monitoring measure: no direction is sought
    return [_measure(name, unit, polarity, baseline, target, breakdowns, confidence)]


# --- target sentences -----------------------------------------------------------------------


def _period_after(text: str, pos: int, limit: int = 30) -> tuple[str | None, int]:
    """A period introduced right after position ``pos`` ("in 2012/13", "by the end of 2014/15")."""
    window = text[pos : pos + limit + 40]
    m = re.match(r"\s*(?:[a-z,]+\s+){0,3}?(?:in|at|by|for|during|of|as at)\s+", window, re.I)
    start = m.end() if m else 0
    p = PERIOD_RE.match(window, start)
    if p and p.start() <= limit:
        return p.group(0).strip(), pos + p.end()
    return None, pos


def _name_from_sentence(text: str, cut: int) -> str:
    head = text[:cut]
    head = _DIRECTION.sub("", head, count=1)
    head = re.sub(r"\s+(?:from|to|of|at|by|so that|to be|in)\s*$", "", head.strip(), flags=re.I)
    # "… fell from 220 to 150": the verb reports the change, it is not part of the name.
    head = re.sub(
        r"\s+(?:has\s+|have\s+)?(?:fell|fallen|rose|risen|increased|decreased|reduced|improved|"
        r"went (?:up|down)|dropped|grew|grown)\s*$",
        "",
        head,
        flags=re.I,
    )
    return clean_name(head)


def sentence_measure(text: str, *, require_figure: bool = False) -> Measure | None:
    """A measure stated as a sentence: "A decrease in X from 33 per 10,000 in March 2014 to 31…".

    Returns None when the sentence states no indicator (an activity or a remark).
    """
    t = re.sub(r"\s+", " ", text).strip()
    body = _ENSURE.sub("", t.rstrip("."), count=1)
    found = quantities(body)
    direction = _DIRECTION.match(body)
    direction_text = direction.group(0) if direction else ""
    baseline: tuple[float | int, str | None] | None = None
    target: TargetParse | None = None
    cut = len(body)
    tbc = re.search(r"\(?[^()]*\b(?:to be (?:set|confirmed|agreed)|tbc)\b[^()]*\)?", body, re.I)
    from_q = next((q for q in found if re.search(r"\bfrom\s*$", body[: q.start], re.I)), None)
    to_q = next(
        (
            q
            for q in found
            if re.search(
                r"\b(?:to|to be|to below|to under|to above|to at least)\s*$", body[: q.start], re.I
            )
            and (from_q is None or q.start > from_q.start)
        ),
        None,
    )
    paren = re.search(
        r"\(\s*(?P<a>[\d.,]+\s?(?:%|per ?cent)?)\s*(?:to|→|->|–|-)\s*"
        r"(?P<b>[\d.,]+\s?(?:%|per ?cent)?)\s*\)",
        body,
        re.I,
    )
    target_of = _TARGET_OF.search(body)
    achieved_before = [q for q in found if target_of and q.end <= target_of.start()]
    labels = labelled_values(body)
    if target_of and achieved_before:
        return _achieved_against_target(body, achieved_before[0], target_of)
    share = _SHARE_WILL.match(body)
    if share and not (from_q or to_q):
        return _share_will(body, share, found)
    multiple = _MULTIPLE.match(body)
    if multiple:
        factor = -50 if multiple.group("verb").lower().startswith("halv") else 100
        change = TargetParse(TargetKind.RELATIVE_CHANGE, factor, None, body)
        spans = period_spans(body)
        change.period = spans[-1][2] if spans else None
        name_text = PERIOD_RE.sub("", body[multiple.end() :])
        name_text = re.sub(r"\s+(?:by|in|during)\s*$", "", name_text.strip())
        return _finish(name_text, body, multiple.group("verb"), None, change, found)
    if len(labels) >= 2 and not (from_q or to_q):
        return _breakdown_sentence(body, labels, found)
    if tbc and not to_q:
        target = TargetParse(TargetKind.TBC, None, None, tbc.group(0).strip())
        cut = tbc.start()
    elif paren:
        a = quantities(paren.group("a"), bare=True)
        b = quantities(paren.group("b"), bare=True)
        if a and b:
            baseline = (clean_value(a[0].value), None)
            target = TargetParse(TargetKind.VALUE, clean_value(b[0].value), None, paren.group(0))
            cut = paren.start()
    elif from_q or to_q:
        if from_q:
            bp, _ = _period_after(body, from_q.end)
            baseline = (clean_value(from_q.value), bp)
            cut = body.rfind("from", 0, from_q.start)
        if to_q:
            to_start = re.search(
                r"\bto(?: be| below| under| above| at least)?\s*$", body[: to_q.start], re.I
            )
            start = to_start.start() if to_start else to_q.start
            clause = body[start:]
            target = classify_target(re.sub(r"^to(?: be)?\s+", "", clause, flags=re.I), body)
            if target.kind not in (TargetKind.GAP, TargetKind.TBC):
                target.kind = TargetKind.VALUE
            target.value = clean_value(to_q.value)
            tp, _ = _period_after(body, to_q.end, 45)
            target.period = tp
            target.text = clause
            if not from_q:
                cut = min(cut, start)
        elif from_q:
            target = classify_target(body, body)
            if target.kind is TargetKind.TREND:
                target.text = body[cut:].strip() or body
            else:
                rest = (
                    classify_target(body[from_q.end :], body)
                    if body[from_q.end :].strip()
                    else None
                )
                target = rest
    if target is None:
        bound = re.match(
            r"^(?P<q>[\d.,]+\s?(?:%|per ?cent)?)\s+or\s+"
            r"(?:fewer|less|lower|more|higher|greater|above|below)",
            body,
            re.I,
        )
        lead_count = re.match(
            r"^(?P<n>\d[\d,]*)\s+(?P<what>[a-z][\w' ]{2,60}?)\s+(?:are|will be|to be|is)\b", body
        )
        comp = re.search(
            r"\b(?:so that|to be|to remain|to stay|remains?)\b[^.]*?\b(?:national|england|regional|"
            r"statistical neighbou?rs?|comparators?|similar areas)\b[^.]*$",
            body,
            re.I,
        ) or _COMPARED.search(body)
        if bound:
            q = quantities(bound.group("q"), bare=True)
            if q:
                spans = period_spans(body)
                target = TargetParse(
                    TargetKind.VALUE,
                    clean_value(q[0].value),
                    spans[-1][2] if spans else None,
                    bound.group(0),
                )
                name_part = body[bound.end() :]
                name_part = re.sub(r"^\s*(?:of\s+)?", "", name_part)
                name_part = PERIOD_RE.sub("", name_part)
                name_part = re.sub(r"\s+(?:in|by|during)\s*$", "", name_part.strip())
                return _finish(
                    name_part, body, direction_text + " " + bound.group(0), baseline, target, found
                )
        elif lead_count:
            spans = period_spans(body)
            target = TargetParse(
                TargetKind.VALUE,
                clean_value(float(lead_count.group("n").replace(",", ""))),
                spans[-1][2] if spans else None,
                body,
            )
            measure = _finish(lead_count.group("what"), body, "more", None, target, found)
            measure["unit"] = Unit.COUNT.value
            return measure
        elif comp:
            target = TargetParse(TargetKind.COMPARATOR, None, None, comp.group(0).strip())
            cut = comp.start()
        elif target_of:
            q = quantities(target_of.group("q"), bare=True)
            if q:
                target = TargetParse(
                    TargetKind.VALUE, clean_value(q[0].value), None, target_of.group(0).strip()
                )
                achieved = [x for x in found if x.start < target_of.start()]
                if achieved:
                    baseline = (clean_value(achieved[0].value), None)
                    cut = achieved[0].start
                else:
                    cut = target_of.start()
        else:
            rel = classify_target(body, body)
            if rel.kind in (TargetKind.RELATIVE_CHANGE, TargetKind.QUARTILE, TargetKind.RANK):
                target = rel
                place = _RANK_PLACE.search(body)
                if place and rel.kind is not TargetKind.RELATIVE_CHANGE:
                    cut = place.start()
                    target.text = body[place.start() :].strip()
                if rel.kind is TargetKind.RELATIVE_CHANGE:
                    by = _BY_PERCENT.search(body)
                    lead = _LEADING_CHANGE.match(body)
                    if by:
                        cut = by.start()
                    elif lead:
                        return _finish(
                            body[lead.end() :], body, lead.group("dir"), None, target, found
                        )
            elif found and not require_figure and direction:
                last = found[-1]
                relation = _RELATION_BEFORE.search(body[: last.start])
                start = relation.start() if relation else last.start
                target = TargetParse(
                    TargetKind.VALUE, clean_value(last.value), None, body[start:].strip()
                )
                cut = start
                direction_text = f"{direction_text} {body[start : last.start]}"
    if target is None and baseline is None:
        if require_figure or not direction:
            return None
        target = TargetParse(TargetKind.TREND, None, None, direction_text.strip())
    if (
        target is not None
        and re.search(r"\bgap\b|difference between", body, re.I)
        and target.kind in (TargetKind.VALUE, TargetKind.TREND)
    ):
        target.kind = TargetKind.GAP
    return _finish(body[:cut], body, direction_text, baseline, target, found)


_TARGET_OF = re.compile(
    r"(?:,?\s*(?:which|and|but|so)?\s*(?:has\s+|have\s+)?(?:exceed\w*|met|meet\w*|miss\w*|"
    r"achiev\w*|beat\w*|reach\w*|surpass\w*|compared\s+(?:with|to)|against|above|below)\s+)?"
    r"(?:the\s+|a\s+|an\s+|its\s+|our\s+)?(?:local\s+|national\s+|annual\s+|\d{4}(?:/\d{2})?\s+)?"
    r"target\s*(?:of|was|is|:|for \S+ (?:of|was|is))?\s+(?P<q>[\d.,]+\s?(?:%|per ?cent)?)",
    re.I,
)
_COMPARED = re.compile(
    r"\b(?:(?:to be|to remain|to stay|remains?|is|are)\s+)?(?:in line with|better than|"
    r"(?:at or )?(?:above|below)|at least (?:equal to|as good as)|equal to|matching|close to|"
    r"no worse than|lower than|higher than)\s+(?:the\s+)?(?:national|england|english|regional|"
    r"statistical neighbou?rs?|comparators?|similar (?:areas|authorities)|shire counties|"
    r"(?:our\s+)?(?:statistical\s+)?neighbou?rs)\b[^.]*$",
    re.I,
)
_SHARE_WILL = re.compile(
    r"^(?:(?:by|in)\s+(?P<period>[^,]{2,25}),\s*)?(?P<bound>at least|over|more than|fewer than|"
    r"less than|no more than|under)?\s*(?P<q>\d+(?:\.\d+)?\s?(?:%|per ?cent))\s+of\s+"
    r"(?P<who>.+?)\s+"
    r"(?P<verb>will|to|should|are to|must|have|has|are|is|receive|achieve|attend)\s+(?P<what>.+)$",
    re.I,
)
_ENSURE = re.compile(r"^(?:ensure|make sure|see)\s+(?:that\s+)?", re.I)
_MULTIPLE = re.compile(
    r"^(?P<verb>halve|halving|double|doubling)\s+(?:the\s+)?(?:number|rate|percentage|"
    r"proportion|level)?\s*(?:of\s+)?",
    re.I,
)
_RELATION_BEFORE = re.compile(
    r"\s+(?:(?:to|at|of|be)\s+)?(?:or\s+)?(?:at or (?:below|above|under|over)|at least|at most|"
    r"no more than|no less than|below|above|under|over|less than|more than|fewer than|at|to|of)"
    r"\s*$",
    re.I,
)
_RANK_PLACE = re.compile(
    r"\s+(?:to\s+(?:be|remain|stay|reach|move)\s+)?(?:in|into|within|among)\s+(?:the\s+)?"
    r"(?:top|bottom|upper|lower|best|first|second|third|fourth)\b",
    re.I,
)


def _share_will(body: str, share: re.Match[str], found: list[Quantity]) -> Measure:
    """ "By 2020, 75% of pupils will achieve …", "at least 90% of children in care have …"."""
    q = quantities(share.group("q"), bare=True)
    spans = period_spans(share.group("period") or "") or period_spans(body)
    target = TargetParse(
        TargetKind.VALUE,
        clean_value(q[0].value) if q else None,
        spans[0][2] if spans else None,
        body,
    )
    what = PERIOD_RE.sub("", share.group("what"))
    what = re.sub(r"\s+(?:by|in|during)\s*$", "", what.strip())
    name_text = f"{share.group('who')} {share.group('verb')} {what}"
    if share.group("verb").lower() in ("will", "to", "should", "must", "are to"):
        name_text = f"{share.group('who')} {what}"
    direction = share.group("bound") or ""
    measure = _finish(name_text, body, direction, None, target, found)
    measure["unit"] = Unit.PERCENT.value
    return measure


_BY_PERCENT = re.compile(r"\s+by\s+[-+−]?\d+(?:\.\d+)?\s?(?:%|per ?cent)", re.I)
_LEADING_CHANGE = re.compile(
    r"^(?:an?\s+)?[-+−]?\d+(?:\.\d+)?\s?(?:%|per ?cent)\s+(?P<dir>reduction|decrease|increase|"
    r"improvement|fall|rise|cut)\s+(?:in|of)\s+",
    re.I,
)


def _achieved_against_target(body: str, achieved: Quantity, target_of: re.Match[str]) -> Measure:
    """ "96.7 per cent of X …, which exceeded the target of 95 per cent": level and target."""
    q = quantities(target_of.group("q"), bare=True)
    target = TargetParse(
        TargetKind.VALUE,
        clean_value(q[0].value) if q else None,
        None,
        re.sub(r"^(?:[,\s]|which\b|and\b|but\b|so\b|has\b|have\b)+", "", target_of.group(0)),
    )
    after = body[achieved.end : target_of.start()]
    after = re.sub(r"^\s*(?:of\s+)?", "", after)
    after = re.sub(r"[,;\s]*(?:which|and|but|so|this|that)?\s*$", "", after, flags=re.I)
    before = body[: achieved.start]
    spans = period_spans(body[: target_of.start()])
    before_name = PERIOD_RE.sub("", before)
    before_name = re.sub(
        r"^\s*(?:in|during|by|at|for)?\s*[,:]?\s*|\s*(?:was|were|is|are|stood at|reached|"
        r"achieved|of|at|:|–|-)\s*$",
        "",
        before_name.strip(" ,"),
        flags=re.I,
    )
    name_text = after if len(after.split()) >= 2 else before_name
    name_text = PERIOD_RE.sub("", name_text)
    name_text = re.sub(r"\s+(?:in|during|by|at)\s*$", "", name_text.strip(" ,"))
    baseline = (clean_value(achieved.value), spans[0][2] if spans else None)
    measure = _finish(name_text, body, "", baseline, target, [achieved, *(q or [])])
    if measure["unit"] is None and achieved.unit is not None:
        measure["unit"] = achieved.unit.value
    measure["confidence"] = 0.7
    return measure


def _breakdown_sentence(
    body: str, labels: list[tuple[str, float | int]], found: list[Quantity]
) -> Measure:
    """ "Breastfeeding at 6-8 weeks: 82.9% (BHT) 68.5% (L&D)": one level per group."""
    first = min((q.start for q in found), default=len(body))
    name_text = re.sub(r"[\s:–-]*$", "", body[:first])
    measure = _finish(name_text, body, "", None, None, found)
    measure["breakdowns"] = [
        {"label": label, "baseline": value, "target": None} for label, value in labels
    ]
    measure["confidence"] = 0.65
    return measure


def _finish(
    name_text: str,
    body: str,
    direction_text: str,
    baseline: tuple[float | int, str | None] | None,
    target: TargetParse | None,
    found: list[Quantity],
) -> Measure:
    name = _name_from_sentence(name_text, len(name_text))
    name = _INDICATOR_PREFIX.sub("", name, count=1) if len(name.split()) > 3 else name
    unit = infer_unit(name_text, body, found)
    if target is not None and target.kind is TargetKind.VALUE and target.unit and unit is None:
        unit = target.unit
    polarity = infer_polarity(name, direction_text)
    return _measure(name or clean_name(body), unit, polarity, baseline, target, [], 0.75)


# --- progress statements in reviews -----------------------------------------------------------

_PROGRESS_SIGNAL = re.compile(
    r"\b(?:national|england|regional)\s+(?:average|levels?|figures?|target|milestone|trend|outcomes)|"
    r"\bthan\s+(?:the\s+)?(?:national|england|regional|similar|comparators)|"
    r"\b(?:similar areas|comparators|statistical neighbou?rs?)\b|\btarget\b|"
    r"\btop\s+\w+\s+authorities|"
    r"\b(?:reduc|lower|decreas|increas|doubl|halv|rais)\w*\s+(?:the\s+)?(?:overall\s+)?"
    r"(?:number|rate|proportion|percentage|times|level|take[- ]up)s?\b|"
    r"\b(?:rates?|ratio|rating)\b|\battendance\b",
    re.I,
)


_FROM_TO = re.compile(
    r"\bfrom\s+[-+]?\d[\d.,]*\s?(?:%|per ?cent)?[^.;]*?\bto\s+(?P<to>[-+]?\d[\d.,]*[^.;,]*)", re.I
)


def progress_measure(text: str) -> Measure | None:
    """A measure from a review's progress bullet, or None when it only describes activity."""
    body = re.sub(r"\s+", " ", text).strip().rstrip(".")
    if body.endswith(":"):
        return None
    found = quantities(body)
    if not found and not _PROGRESS_SIGNAL.search(body):
        return None
    target_qs: list[Quantity] = []
    for q in found:
        after = body[q.end : q.end + 12]
        before = body[max(0, q.start - 30) : q.start]
        if re.match(r"\s*target", after, re.I) or re.search(
            r"target\b[\w\s]{0,20}(?:of|ratio of)?\s*$", before, re.I
        ):
            target_qs.append(q)
    achieved = [q for q in found if q not in target_qs]
    change = re.search(
        r"\b(?:increas\w*|decreas\w*|reduc\w+|ris\w+|rose|f[ae]ll\w*|cut\w*|lower\w*|rais\w+)\b"
        r"[^,;]{0,120}?\bby\s*$",
        body[: achieved[0].start] if achieved else "",
        re.I,
    ) or (
        achieved
        and re.match(
            r"\s*(?:increase|decrease|reduction|rise|fall)\b", body[achieved[0].end :], re.I
        )
    )
    target: TargetParse
    t_match = None
    if target_qs:
        q = target_qs[0]
        t_match = re.search(
            r"(?:(?:local|national)\s+)?target[\w\s]{0,25}?(?:of|ratio of)?\s*"
            + re.escape(body[q.start : q.end]).replace(r"\ ", r"\s*")
            + r"|"
            + re.escape(body[q.start : q.end])
            + r"\s*target",
            body,
            re.I,
        )
        kind = TargetKind.RELATIVE_CHANGE if change else TargetKind.VALUE
        target = TargetParse(
            kind, clean_value(q.value), None, t_match.group(0) if t_match else q.text
        )
    else:
        nat = re.search(r"\bnational\s+(?:target|milestone)\b", body, re.I)
        other = re.search(r"\bthe target for [^,;()]+", body, re.I)
        if nat:
            target = TargetParse(TargetKind.COMPARATOR, None, None, nat.group(0))
        elif other:
            target = TargetParse(TargetKind.VALUE, None, None, other.group(0).strip())
        else:
            target = TargetParse(TargetKind.NO_TARGET, None, None, None)
    baseline: tuple[float | int, str | None] | None = None
    breakdowns: list[dict[str, Any]] = []
    labels = labelled_values(body)
    only = re.search(r"\b(?:only|just|top)\s+(\w+)\b", body, re.I)
    if len(labels) >= 2:
        breakdowns = [{"label": lab, "baseline": v, "target": None} for lab, v in labels]
    elif (
        only
        and word_number(only.group(1)) is not None
        and (not achieved or only.start() < achieved[0].start)
    ):
        baseline = (word_number(only.group(1)) or 0, None)
    elif achieved:
        q = achieved[0]
        period, _ = _period_after(body, q.end)
        before = body[: q.start]
        pb = period_spans(before[-60:])
        if period is None and pb and re.search(r"\b(?:was|were|is)\s*$", before):
            lead = re.search(
                r"(?:the\s+)?([\w ]*?\bfrom\s+" + re.escape(pb[-1][2]) + r")", before, re.I
            )
            period = lead.group(1) if lead else pb[-1][2]
        baseline = (clean_value(q.value), period)
    moved = _FROM_TO.search(body)
    if moved and not breakdowns:
        # "from 450 in 2012 to 410 in 2014": the level reached is the later figure.
        reached = quantities(moved.group("to"), bare=True)
        if reached:
            period, _ = _period_after(moved.group("to"), reached[0].end)
            baseline = (clean_value(reached[0].value), period)
    name = re.split(r",(?!\d{3}\b)|[(;–]| - |\. ", body)[0]
    name = re.sub(r"\s+(?:to|by|from)\s+(?:only\s+|just\s+)?[-+]?\d[\d.,]*.*$", "", name)
    name = re.sub(r"^\s*[-+]?\d[\d.,]*\s?(?:%|per ?cent)\s+of\s+", "", name, flags=re.I)
    name = re.sub(
        r"^\s*(?:further\s+)?(?:achieving|maintaining|delivering|lowering|reducing|decreasing|"
        r"increasing|improving|gaining|exceeding|completing|doing better than|nearly doubling|"
        r"doubling|prioritising|supporting|reduced|increased|improved|raised|lowered|cut|"
        r"halved|doubled|maintained|achieved)\s+(?:the\s+)?",
        "",
        name,
        flags=re.I,
    )
    name = _name_from_sentence(name, len(name)) or name
    if len(name.split()) > 3:
        name = _INDICATOR_PREFIX.sub("", name, count=1)
    unit = infer_unit(body if found else name, body, found)
    if unit is None and re.search(r"\bnumber of\b", body, re.I):
        unit = Unit.COUNT
    polarity = infer_polarity(body, body)
    return _measure(clean_name(name), unit, polarity, baseline, target, breakdowns, 0.6)


# --- consultation results and cited statistics -------------------------------------------------

_CONSULTED = re.compile(
    r"(?P<v>\d+(?:\.\d+)?)\s?(?:%|per ?cent)\s+of\s+(?P<who>[^.]{3,80}?)\s+(?:consulted|surveyed|"
    r"asked|who responded|responding)\s+(?:\w+\s+){0,2}?(?:agreed|agree|supported|support)\s+"
    r"(?:with\s+)?(?:this|the)\s+(?P<what>priority|plan|outcome|aim|theme|proposals?|vision)",
    re.I,
)
_CITED = re.compile(
    r"(?P<v>\d+(?:\.\d+)?)\s?(?:%|per ?cent)\s+of\s+(?P<who>[^.;()]{5,160})"
    r"\((?:[^()]*\b(?:data|source|survey|census|statistics|figures)\b[^()]*?),?\s*"
    r"(?P<year>(?:19|20)\d{2}(?:/\d{2})?)\s*\)",
    re.I,
)


def consultation_measure(text: str, theme: str | None) -> Measure | None:
    m = _CONSULTED.search(text)
    if not m:
        return None
    name = f"{clean_name(m.group('who'))} consulted who agreed with the {m.group('what')}"
    if theme:
        name += f" ({theme})"
    target = TargetParse(TargetKind.NO_TARGET, None, None, None)
    return _measure(
        name, Unit.PERCENT, Polarity.NONE, (clean_value(float(m.group("v"))), None), target, [], 0.9
    )


def cited_statistic(text: str) -> Measure | None:
    """A headline statistic with its source and year, e.g. "10.5% of … (DWP data, 2008)"."""
    m = _CITED.search(text)
    if not m:
        return None
    who = re.split(
        r"\s+(?:amounting|which|totalling|equivalent|compared|against|an? (?:increase|decrease|"
        r"rise|fall))\b|,",
        m.group("who"),
    )[0]
    target = TargetParse(TargetKind.NO_TARGET, None, None, None)
    return _measure(
        clean_name(who),
        Unit.PERCENT,
        infer_polarity(who),
        (clean_value(float(m.group("v"))), m.group("year")),
        target,
        [],
        0.5,
    )
