"""Outcome stories: what changed, for whom, under which priority — and who may see it.

A story is published only after a moderator has cleared every screening flag and
consent allows it; the public text is always the redacted one. The monthly summary
counts stories by priority and picks published quotes only.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum

from cypp.voice.screening import Flag, find_flags, redact

MAX_TEXT = 2000
#: Added to every quote of an example story, so it is never taken for a real one.
EXAMPLE_LABEL = "(An example story for the demonstration, not told by a real person.)"
MIN_TEXT = 10


class Teller(StrEnum):
    CHILD = "child or young person"
    PARENT = "parent or carer"
    STAFF = "member of staff"


class Moderation(StrEnum):
    PENDING = "pending"
    PUBLISHED = "published"
    KEPT_PRIVATE = "kept private"
    REJECTED = "rejected"


class StoryError(ValueError):
    """A story that cannot be accepted; ``field`` names the form field."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(f"{field_name}: {message}")
        self.field = field_name
        self.message = message


@dataclass(frozen=True)
class Story:
    teller: Teller
    priority: str
    what_changed: str
    for_whom: str
    received: datetime
    consent_to_publish: bool
    age_group: str | None = None
    status: Moderation = Moderation.PENDING
    flags: tuple[Flag, ...] = ()
    themes: tuple[str, ...] = field(default=())
    #: Made up to show how stories look (``cypp demo``): always labelled where quoted.
    example: bool = False

    @property
    def public_text(self) -> str:
        return redact(self.what_changed, list(self.flags))

    @property
    def quote(self) -> str:
        """The text as quoted on pages and in packs; an example story says it is one."""
        return f"{self.public_text} {EXAMPLE_LABEL}" if self.example else self.public_text


def check_story(what_changed: str, for_whom: str, priority: str, priorities: Iterable[str]) -> None:
    """Reject what cannot be a genuine story, naming the field; never trims silently."""
    text = what_changed.strip()
    if len(text) < MIN_TEXT:
        raise StoryError("what_changed", f"Tell us what changed in at least {MIN_TEXT} characters")
    if len(what_changed) > MAX_TEXT:
        raise StoryError(
            "what_changed",
            f"What changed must be {MAX_TEXT:,} characters or fewer (it is {len(what_changed):,})",
        )
    if text.lower().count("http") > 1:
        raise StoryError("what_changed", "Remove the web links from your story")
    if not for_whom.strip():
        raise StoryError("for_whom", "Tell us who it changed things for")
    if priority not in set(priorities):
        raise StoryError("priority", "Choose which priority the story is about")


def receive(
    *,
    teller: Teller,
    priority: str,
    what_changed: str,
    for_whom: str,
    consent_to_publish: bool,
    priorities: Iterable[str],
    received: datetime,
    age_group: str | None = None,
) -> Story:
    """A checked, screened story awaiting moderation."""
    check_story(what_changed, for_whom, priority, priorities)
    return Story(
        teller=teller,
        priority=priority,
        what_changed=what_changed.strip(),
        for_whom=for_whom.strip(),
        received=received,
        consent_to_publish=consent_to_publish,
        age_group=age_group,
        flags=tuple(find_flags(what_changed.strip())),
    )


def moderate(story: Story, decision: Moderation, cleared_flags: bool = False) -> Story:
    """Apply a moderator's decision; publishing needs consent and every flag seen."""
    if decision is Moderation.PUBLISHED:
        if not story.consent_to_publish:
            raise StoryError("decision", "The teller did not agree to the story being published")
        if story.flags and not cleared_flags:
            raise StoryError(
                "decision",
                "Check every highlighted name, address or number before publishing: "
                + "; ".join(flag.describe() for flag in story.flags),
            )
    return replace(story, status=decision)


@dataclass(frozen=True)
class PriorityMonth:
    priority: str
    received: int
    published: int
    by_teller: dict[str, int]
    themes: list[tuple[str, int]]
    quotes: list[str]


def monthly_summary(stories: Iterable[Story], month: date, quotes: int = 3) -> list[PriorityMonth]:
    """Counts, themes and published quotes by priority for one calendar month."""
    chosen = [
        s for s in stories if (s.received.year, s.received.month) == (month.year, month.month)
    ]
    summary = []
    for priority in sorted({s.priority for s in chosen}):
        mine = [s for s in chosen if s.priority == priority]
        published = [s for s in mine if s.status is Moderation.PUBLISHED]
        summary.append(
            PriorityMonth(
                priority=priority,
                received=len(mine),
                published=len(published),
                by_teller=dict(Counter(str(s.teller) for s in mine)),
                themes=Counter(t for s in mine for t in s.themes).most_common(),
                quotes=[s.quote for s in published[:quotes]],
            )
        )
    return summary
