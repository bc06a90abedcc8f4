"""Blocks → plan draft: area, period, vision, values, themes, outcomes, actions, measures.

Plans signal their structure with a small vocabulary of lead-in lines ("Outcomes",
"What will be done?", "How will success be measured?", "Progress includes:").
Each lead-in sets the role of the lines that follow until the next lead-in or
heading, so the same rules read plans laid out in very different ways.
"""

from __future__ import annotations

import re
from collections import Counter
from enum import StrEnum
from typing import Any

from cypp.importer.blocks import Block, BlockKind
from cypp.importer.measures import (
    Measure,
    cited_statistic,
    consultation_measure,
    default_columns,
    header_columns,
    header_periods,
    is_contents_row,
    progress_measure,
    sentence_measure,
    table_row_measures,
)

DRAFT_VERSION = 1


class Role(StrEnum):
    NONE = "none"
    MEASURES = "measures"
    PROGRESS = "progress"
    ACTIONS = "actions"
    OUTCOMES = "outcomes"
    AIMS = "aims"
    VALUES = "values"
    CONTEXT = "context"
    THEME_NEXT = "theme_next"


_CUES: list[tuple[Role, re.Pattern[str]]] = [
    (
        Role.MEASURES,
        re.compile(
            r"^(?:measuring (?:our )?success|measures?|how (?:will|we will|do we|can we) "
            r"(?:success|progress|we|it) (?:be )?(?:measured?|know)|how will we (?:know|measure)|"
            r"how we will (?:measure|know)|performance (?:measures|indicators)|"
            r"key (?:performance )?indicators|success (?:measures|criteria|indicators)|"
            r"indicators(?: and targets)?|"
            r"targets|measures and targets|scorecard|what we will measure)\b",
            re.I,
        ),
    ),
    (
        Role.PROGRESS,
        re.compile(
            r"(?:^|\b)(?:progress (?:includes|so far|to date|made)|we achieved|"
            r"what we have achieved|our achievements|achievements (?:include|so far)|"
            r"how well have we done)\b",
            re.I,
        ),
    ),
    (
        Role.ACTIONS,
        re.compile(
            r"^(?:partners will work together to|what will (?:be done|we do)|key actions|actions|"
            r"what (?:are|we are) we going to do|what we will do|the way we will do this|"
            r"how (?:will )?we (?:will )?(?:do|achieve) (?:this|it)|we will:|"
            r"we plan to build on|key actions for the future|building on the existing priorities|"
            r"we are continuing to build on|our actions|priority actions)",
            re.I,
        ),
    ),
    (
        Role.OUTCOMES,
        re.compile(
            r"^(?:outcomes|what will success look like|we expect that this will mean|"
            r"what (?:difference|success) will (?:we|it) (?:make|see|look like)|expected outcomes|"
            r"the outcomes we want)\b",
            re.I,
        ),
    ),
    (Role.AIMS, re.compile(r"^(?:aims?|objectives)\s*:?$", re.I)),
    (Role.VALUES, re.compile(r"^(?:(?:our )?values\b|.*\bour values\b.*\bare:?$)", re.I)),
    (Role.THEME_NEXT, re.compile(r"^(?:outcome|priority|theme)(?:\s+\d+)?\s*:$", re.I)),
    (
        Role.CONTEXT,
        re.compile(
            r"^(?:why (?:is this|are we doing this|this is) important|why are we doing this|"
            r"our areas of focus|background|context|introduction|approach|contact us|"
            r"what else is needed|we said|the (?:current|local) picture|what (?:the data|we know))",
            re.I,
        ),
    ),
]
_CROSS = re.compile(r"^cross[- ]cutting(?: themes?)?\s*:\s*(?P<rest>.*)$", re.I)


def cue_of(block: Block) -> Role | None:
    """The role a lead-in line sets for the lines after it, or None if it is not a lead-in."""
    if block.kind in (BlockKind.TABLE_ROW, BlockKind.BULLET):
        return None
    text = block.text.strip()
    candidates = []
    if len(text.split()) <= 12:
        candidates.append(text)
    if text.endswith(":"):
        sentences = re.split(r"(?<=[.!?])\s+", text)
        candidates.append(sentences[-1])
    for candidate in candidates:
        c = candidate.strip().strip("*").strip()
        for role, pattern in _CUES:
            if pattern.search(c):
                return role
    return None


def _is_title(block: Block) -> bool:
    if block.kind is BlockKind.HEADING:
        return True
    if block.kind is not BlockKind.PARAGRAPH:
        return False
    text = block.text.strip()
    words = text.split()
    return (
        1 <= len(words) <= 14
        and not text.endswith((".", ":", ",", ";"))
        and not _CROSS.match(text)
        and bool(re.match(r"[A-Za-z]", text))
    )


_LIST_ROLES = (Role.ACTIONS, Role.OUTCOMES, Role.AIMS, Role.MEASURES, Role.PROGRESS)
_SECTION_PREFIX = re.compile(
    r"^(?:(?i:draft\s*:|(?:priority|theme|outcome|section|chapter|part|objective)\s+\d+\s*[:.\-–])|"
    r"\d+(?:\.\d+)*\.?\s+[A-Z])",
)
_SUBHEADING = re.compile(
    r"^(?:children|young people|pupils?|families|parents|service users?)\b[^.]{0,40}\bvoice\b", re.I
)


def _ends_list(block: Block, role: Role, last_item: Block | None) -> bool:
    """Whether a line under a list lead-in is the title of the next section, not an item.

    A list ends at a numbered or "DRAFT:" section title, at a title in capitals,
    and at a short unpunctuated line that breaks the list's style: after bullets,
    or bold after plain items.
    """
    if block.kind is not BlockKind.PARAGRAPH or not _is_title(block):
        return False
    text = block.text.strip()
    if _SUBHEADING.match(text):
        return False  # a group inside the list ("Children and young people's voice")
    return bool(
        _SECTION_PREFIX.match(text)
        or _shouted(text)
        or (
            role is not Role.MEASURES
            and last_item is not None
            and (last_item.kind is BlockKind.BULLET or (block.bold and not last_item.bold))
        )
    )


def _shouted(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 4 and all(c.isupper() for c in letters)


def _title_case_from(title: str, blocks: list[Block]) -> str:
    """Recover a title's own capitalisation when a heading shouts it or a lead-in lowers it."""
    base = re.sub(
        r"^(?:draft|priority|theme|outcome)\s*\d*\s*[:\-–]\s*", "", title, flags=re.I
    ).strip()
    if base.isupper() or base[:1].islower():
        low = base.lower()
        for b in blocks:
            for candidate in (b.text, re.sub(r"^\W+", "", b.text)):
                head = candidate[: len(base)]
                if (
                    head.lower() == low
                    and head != base
                    and not head.isupper()
                    and head[:1].isupper()
                ):
                    return head
        return base[:1].upper() + base[1:] if base[:1].islower() else base.title()
    return base


class _Theme:
    def __init__(self, title: str, block: Block) -> None:
        self.title = title
        self.block = block
        self.outcomes: list[Block] = []
        self.actions: list[Block] = []
        self.aims: list[Block] = []
        self.measures: int = 0

    def to_dict(self) -> dict[str, Any]:
        def items(blocks: list[Block]) -> list[dict[str, Any]]:
            return [
                {"text": b.text, "quote": b.quote, "location": b.location, "confidence": 0.8}
                for b in blocks
            ]

        return {
            "title": self.title,
            "outcomes": [b.text for b in self.outcomes],
            "actions": [b.text for b in self.actions],
            "aims": [b.text for b in self.aims],
            "quote": self.block.quote,
            "location": self.block.location,
            "confidence": 0.7,
            "outcome_items": items(self.outcomes),
            "action_items": items(self.actions),
        }


def _join_continuations(blocks: list[Block]) -> list[Block]:
    """Join a list item that a page or line break split: the tail starts in lower case."""
    out: list[Block] = []
    for b in blocks:
        if (
            out
            and b.kind is BlockKind.PARAGRAPH
            and out[-1].kind is BlockKind.PARAGRAPH
            and _shouted(b.text)
            and _shouted(out[-1].text)
            and re.search(r"\b(?:AND|OF|THE|FOR|IN|TO|WITH|ON|&)$", out[-1].text.strip())
        ):
            prev = out[-1]
            out[-1] = Block(
                prev.kind,
                f"{prev.text} {b.text}",
                f"{prev.quote} {b.quote}",
                prev.line,
                prev.page,
                prev.level,
                prev.bold,
            )
            continue
        if (
            out
            and b.kind is BlockKind.PARAGRAPH
            and out[-1].kind in (BlockKind.BULLET, BlockKind.PARAGRAPH)
            and b.text[:1].islower()
            and not b.bold
            and cue_of(out[-1]) is None
            and not out[-1].text.rstrip().endswith((".", ":", ";", "?"))
        ):
            prev = out[-1]
            out[-1] = Block(
                prev.kind,
                f"{prev.text} {b.text}",
                f"{prev.quote} {b.quote}",
                prev.line,
                prev.page,
                prev.level,
                prev.bold,
            )
            continue
        out.append(b)
    return out


def extract(blocks: list[Block], document: str) -> dict[str, Any]:
    """Build a plan draft (gold schema plus quotes, locations and confidences) from blocks."""
    blocks = _join_continuations(blocks)
    has_forward_measures = _has_forward_measures(blocks)
    role = Role.NONE
    themes: list[_Theme] = []
    theme: _Theme | None = None
    pending_title: Block | None = None
    last_item: Block | None = None
    theme_next = False
    cross: list[str] = []
    cross_active = False
    values: list[Block] = []
    measures: list[Measure] = []
    columns: dict[str, int] | None = None
    periods: dict[str, str] = {}
    in_table = False

    def open_theme(block: Block) -> _Theme:
        title = _title_case_from(block.text, blocks)
        for t in themes:
            if t.title.lower() == title.lower():
                return t
        t = _Theme(title, block)
        themes.append(t)
        return t

    def add_measures(found: list[Measure], block: Block) -> None:
        for m in found:
            m["quote"] = block.quote
            m["theme"] = theme.title if theme else None
            m["location"] = block.location
            measures.append(m)
            if theme:
                theme.measures += 1

    for block in blocks:
        if block.kind is not BlockKind.TABLE_ROW:
            in_table = False
            columns = None
        text = block.text.strip()
        cross_match = _CROSS.match(text) if block.kind is not BlockKind.TABLE_ROW else None
        if cross_match:
            rest = cross_match.group("rest").strip(" -–")
            if rest and rest not in cross:
                cross.append(rest)
            cross_active = True
            continue
        if cross_active and block.bold and block.kind is BlockKind.PARAGRAPH:
            if text not in cross:
                cross.append(text)
            continue
        if cross_active and block.kind is BlockKind.BULLET and role is not Role.ACTIONS:
            item = text.strip(" -–")
            if item and item not in cross:
                cross.append(item)
            continue
        cross_active = False
        cue = cue_of(block)
        if cue is not None:
            if cue is Role.THEME_NEXT:
                theme_next = True
                role = Role.NONE
                continue
            if pending_title is not None and cue in (
                Role.MEASURES,
                Role.ACTIONS,
                Role.OUTCOMES,
                Role.AIMS,
                Role.PROGRESS,
            ):
                theme = open_theme(pending_title)
                pending_title = None
            role = cue
            last_item = None
            if block.kind is BlockKind.HEADING and cue is Role.MEASURES:
                in_table = False
            continue
        if theme_next and block.kind in (BlockKind.PARAGRAPH, BlockKind.HEADING):
            theme = open_theme(block)
            theme_next = False
            pending_title = None
            role = Role.NONE
            continue
        if block.kind is BlockKind.HEADING:
            role = Role.NONE
            pending_title = block
            continue
        if block.kind is BlockKind.TABLE_ROW and is_contents_row(block.cells):
            continue
        if block.kind is BlockKind.TABLE_ROW:
            cells = block.cells
            header = header_columns(cells)
            if header is not None:
                columns = header
                periods = header_periods(cells, header)
                in_table = True
                continue
            if not in_table or columns is None:
                columns = default_columns(len(cells))
                periods = {}
                in_table = True
            if all(not c.strip() for i, c in enumerate(cells) if i != columns.get("name", 0)):
                continue
            if pending_title is not None:
                theme = open_theme(pending_title)
                pending_title = None
            add_measures(table_row_measures(cells, block.cell_items, columns, periods), block)
            continue
        consulted = consultation_measure(text, theme.title if theme else None)
        if consulted is not None and role is not Role.CONTEXT:
            add_measures([consulted], block)
            continue
        if role in _LIST_ROLES and _ends_list(block, role, last_item):
            pending_title = block
            role = Role.NONE
            last_item = None
            continue
        if role in _LIST_ROLES and block.kind in (BlockKind.BULLET, BlockKind.PARAGRAPH):
            last_item = block
        if role is Role.MEASURES:
            if block.kind is BlockKind.BULLET or block.kind is BlockKind.PARAGRAPH:
                m = sentence_measure(text, require_figure=block.kind is BlockKind.PARAGRAPH)
                if m is not None:
                    add_measures([m], block)
            continue
        if role is Role.PROGRESS:
            if not has_forward_measures and block.kind is BlockKind.BULLET:
                m = progress_measure(text)
                if m is not None:
                    add_measures([m], block)
            continue
        if role is Role.ACTIONS and block.kind in (BlockKind.BULLET, BlockKind.PARAGRAPH):
            if theme is not None and not (
                block.kind is BlockKind.PARAGRAPH and _is_title(block) and block.bold
            ):
                theme.actions.append(block)
            continue
        if role is Role.OUTCOMES and block.kind in (BlockKind.BULLET, BlockKind.PARAGRAPH):
            if theme is not None:
                theme.outcomes.append(block)
            continue
        if role is Role.AIMS and block.kind in (BlockKind.BULLET, BlockKind.PARAGRAPH):
            if theme is not None:
                theme.aims.append(block)
            continue
        if role is Role.VALUES and block.kind is BlockKind.BULLET:
            values.append(block)
            continue
        if block.kind is BlockKind.PARAGRAPH:
            stat = cited_statistic(text) if not has_forward_measures else None
            if stat is not None:
                add_measures([stat], block)
                continue
        if _is_title(block):
            pending_title = block
            if role not in (Role.CONTEXT,):
                role = Role.NONE
    kept = [t for t in themes if t.actions or t.measures]
    return {
        "draft_version": DRAFT_VERSION,
        "document": document,
        "area": find_area(blocks),
        "plan_period": find_period(blocks),
        "vision": find_vision(blocks),
        "values": [b.text.rstrip(";.") for b in values],
        "themes": [t.to_dict() for t in kept],
        "cross_cutting": cross,
        "measures": measures,
    }


def _has_forward_measures(blocks: list[Block]) -> bool:
    """Whether the plan sets targets; if it does, its review sections are context, not measures."""
    role = Role.NONE
    for b in blocks:
        if b.kind is BlockKind.TABLE_ROW and len(b.cells) >= 2 and not is_contents_row(b.cells):
            return True
        cue = cue_of(b)
        if cue is not None:
            role = cue
            continue
        if b.kind is BlockKind.HEADING or (
            b.kind is BlockKind.PARAGRAPH and (_is_title(b) or b.text.rstrip().endswith("?"))
        ):
            role = Role.NONE
        if (
            role is Role.MEASURES
            and b.kind is BlockKind.BULLET
            and sentence_measure(b.text, require_figure=True) is not None
        ):
            return True
    return False


# --- document facts -------------------------------------------------------------------------

_PLACE = r"[A-Z][a-z]+(?:[ \-](?:upon[ \-])?[A-Z][a-z]+){0,2}"
_AREA_PATTERNS = [
    re.compile(rf"\b(?P<a>{_PLACE})['’]s Children and Young People['’]s Plan"),
    re.compile(rf"\bChildren and Young People['’]s Plan (?:for|in) (?P<a>{_PLACE})"),
    re.compile(rf"\b(?P<a>{_PLACE}) (?:County |Borough |City |Metropolitan )*Council\b"),
    re.compile(rf"\b(?P<a>{_PLACE}) Children['’]s Trust\b"),
    re.compile(rf"\b(?P<a>{_PLACE}) Children and Young People['’]s (?:Trust|Plan|Partnership)"),
    re.compile(
        rf"\b(?:in|across|for|the) (?P<a>{_PLACE}(?:shire|ham|ton|pool|land|wall|set|sex|folk))\b"
    ),
]
_NOT_AREA = {"The", "Our", "This", "Children", "Young", "Local", "National", "County", "A", "Every"}


def find_area(blocks: list[Block]) -> str | None:
    """The local authority the plan belongs to: the place named most often in plan phrases."""
    counts: Counter[str] = Counter()
    for b in blocks[:400]:
        for weight, pattern in zip((5, 5, 2, 2, 3, 1), _AREA_PATTERNS, strict=True):
            for m in pattern.finditer(b.text):
                area = m.group("a").strip()
                if area.split()[0] in _NOT_AREA or area.lower().endswith("children"):
                    continue
                counts[area] += weight
    if not counts:
        return None
    return counts.most_common(1)[0][0]


_RANGE = re.compile(
    r"(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\s+)?(?P<a>(?:19|20)\d{2})"
    r"\s*(?:[-–/]|to)\s*(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\s+)?"
    r"(?P<b>(?:19|20)?\d{1,2}(?:\d{2})?)\b",
    re.I,
)


def find_period(blocks: list[Block]) -> str | None:
    """The plan's period ("2015-2017") from the title pages or the plan's own description."""
    for index, b in enumerate(blocks[:120]):
        if index > 25 and not re.search(r"plan|cypp", b.text, re.I):
            continue
        for m in _RANGE.finditer(b.text):
            start = int(m.group("a"))
            end_text = m.group("b")
            if len(end_text) == 4:
                end = int(end_text)
            elif len(end_text) == 2:
                end = start // 100 * 100 + int(end_text)
            else:
                end = start // 10 * 10 + int(end_text)
                if end < start:
                    end += 10
            if 1 <= end - start <= 10:
                return f"{start}-{end}"
    return None


def find_vision(blocks: list[Block]) -> str | None:
    """The vision statement: the text after a lead-in such as "Our vision is:"."""
    for index, b in enumerate(blocks):
        t = b.text.strip()
        lead = re.search(r"\bvision\b", t, re.I) and (
            t.endswith(":") or re.fullmatch(r"[\w'’ ]*vision statement", t, re.I)
        )
        if not lead:
            continue
        following = blocks[index + 1 : index + 4]
        quoted = [f for f in following if re.match(r"\s*[\"“]", f.text)]
        chosen = quoted[0] if quoted else (following[0] if following else None)
        if chosen is None:
            continue
        if not quoted and re.search(r"\bvision\b", chosen.text, re.I) and len(following) > 1:
            chosen = following[1]
        return chosen.text.strip().strip('"“”*').strip()
    return None
