"""Outcome stories: checks, screening, moderation and the monthly summary."""

from datetime import date, datetime

import pytest

from cypp.voice.stories import (
    MAX_TEXT,
    Moderation,
    StoryError,
    Teller,
    moderate,
    monthly_summary,
    receive,
)

PRIORITIES = ["Be healthy", "Stay safe"]


def _story(text: str, priority: str = "Stay safe", consent: bool = True, day: int = 3):  # type: ignore[no-untyped-def]
    return receive(
        teller=Teller.CHILD,
        priority=priority,
        what_changed=text,
        for_whom="me",
        consent_to_publish=consent,
        priorities=PRIORITIES,
        received=datetime(2026, 10, day, 12, 0),
        age_group="11-15",
    )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"what_changed": "ok"}, "what_changed"),
        ({"what_changed": "x" * (MAX_TEXT + 1)}, "what_changed"),
        ({"what_changed": "see http://a.example and http://b.example now"}, "what_changed"),
        ({"for_whom": "  "}, "for_whom"),
        ({"priority": "Be rich"}, "priority"),
    ],
)
def test_bad_submissions_name_the_field(changes: dict[str, str], field: str) -> None:
    values = {"what_changed": "I feel safer walking to school now", "for_whom": "me",
              "priority": "Stay safe"} | changes  # fmt: skip
    with pytest.raises(StoryError) as caught:
        receive(teller=Teller.PARENT, consent_to_publish=True, priorities=PRIORITIES,
                received=datetime(2026, 10, 1), **values)  # fmt: skip
    assert caught.value.field == field


def test_publishing_needs_consent_and_cleared_flags() -> None:
    story = _story("My friend Tyler and I feel safer walking to school now")
    assert [f.text for f in story.flags] == ["Tyler"]
    with pytest.raises(StoryError, match="Tyler"):
        moderate(story, Moderation.PUBLISHED)
    published = moderate(story, Moderation.PUBLISHED, cleared_flags=True)
    assert (
        published.public_text == "My friend [name removed] and I feel safer walking to school now"
    )
    no_consent = _story("The youth club helps me a lot every week", consent=False)
    with pytest.raises(StoryError, match="did not agree"):
        moderate(no_consent, Moderation.PUBLISHED)
    assert moderate(no_consent, Moderation.KEPT_PRIVATE).status is Moderation.KEPT_PRIVATE


def test_monthly_summary_counts_by_priority_and_quotes_only_published() -> None:
    stories = [
        moderate(_story("I feel safer walking to school now"), Moderation.PUBLISHED),
        _story("Pending story about feeling safe online"),
        moderate(_story("I eat more fruit at lunch now", "Be healthy"), Moderation.REJECTED),
        _story("A story from the next month about safety", day=3).__class__(
            **{**_story("A story from November about safety").__dict__,
               "received": datetime(2026, 11, 1)}
        ),
    ]  # fmt: skip
    summary = monthly_summary(stories, date(2026, 10, 1))
    assert [(s.priority, s.received, s.published) for s in summary] == [
        ("Be healthy", 1, 0),
        ("Stay safe", 2, 1),
    ]
    assert summary[1].quotes == ["I feel safer walking to school now"]
    assert summary[1].by_teller == {"child or young person": 2}


def test_an_example_story_says_so_wherever_it_is_quoted() -> None:
    from dataclasses import replace

    from cypp.voice.stories import EXAMPLE_LABEL

    real = moderate(
        receive(
            teller=Teller.CHILD,
            priority="Healthy",
            what_changed="My friend Sam and I swim every week now",
            for_whom="me",
            consent_to_publish=True,
            priorities=["Healthy"],
            received=datetime(2015, 3, 2, 12),
        ),
        Moderation.PUBLISHED,
        cleared_flags=True,
    )
    example = replace(real, example=True)
    assert real.quote == "My friend [name removed] and I swim every week now"
    assert example.quote == f"{real.quote} {EXAMPLE_LABEL}"
    summary = monthly_summary([example], date(2015, 3, 1))
    assert summary[0].quotes == [example.quote]
