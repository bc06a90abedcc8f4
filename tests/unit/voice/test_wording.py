"""The shipped children's words for the example plans, and the wording file reader."""

from __future__ import annotations

from pathlib import Path

import pytest

from cypp.domain.planfile import load_plan
from cypp.voice.files import VoiceFileError
from cypp.voice.readability import CHILD_GRADE, assess
from cypp.voice.wording import read_wording_file
from tests.paths import EXAMPLES

WORDING_FILES = sorted((EXAMPLES / "voice").glob("*.wording.yaml"))


def _plan_of(path: Path) -> tuple[str, list[str]]:
    plan = load_plan(EXAMPLES / path.name.replace(".wording.yaml", ".yaml"))
    return plan.id, [theme.id for theme in plan.themes]


def test_buckinghamshire_and_worcestershire_are_shipped() -> None:
    names = {path.name for path in WORDING_FILES}
    assert {"buckinghamshire-2011-14.wording.yaml", "worcestershire-2014-17.wording.yaml"} <= names


@pytest.mark.parametrize("path", WORDING_FILES, ids=lambda path: path.name)
def test_every_priority_has_words_a_ten_year_old_can_read(path: Path) -> None:
    plan, priorities = _plan_of(path)
    wording = read_wording_file(path, plan, priorities)
    assert [w.priority for w in wording.priorities] == priorities
    for item in wording.priorities:
        reading = assess(item.words)
        assert reading.grade <= CHILD_GRADE, (item.priority, reading)
        assert reading.child_friendly, (item.priority, reading)
        as_shown = assess(f"{item.title}. {item.words} {item.what_changed}")
        assert as_shown.grade <= CHILD_GRADE, (item.priority, as_shown)
        assert len(item.title.split()) <= 6, item.title
        assert 1 <= item.words.count(".") <= 2, item.words


def test_words_are_not_the_plans_own_titles() -> None:
    path = EXAMPLES / "voice" / "buckinghamshire-2011-14.wording.yaml"
    plan = load_plan(EXAMPLES / "buckinghamshire-2011-14.yaml")
    wording = read_wording_file(path, plan.id, [t.id for t in plan.themes])
    official = {theme.id: theme.title for theme in plan.themes}
    assert all(w.title != official[w.priority] for w in wording.priorities)
    early = next(w for w in wording.priorities if w.priority.startswith("early-intervention"))
    assert early.title == "Getting help early"


def test_problems_name_the_file_and_the_priority(tmp_path: Path) -> None:
    path = tmp_path / "bucks.wording.yaml"
    path.write_text(
        "plan: buckinghamshire-2011-14\n"
        "colour: blue\n"
        "priorities:\n"
        "  closing-the-gap: {title: Doing well}\n"
        "  no-such-priority: {title: Hello, words: Hello there.}\n"
        "  transitions: {title: Change, words: Help at times of change., mood: happy}\n",
        encoding="utf-8",
    )
    with pytest.raises(VoiceFileError) as raised:
        read_wording_file(path, "buckinghamshire-2011-14", ["closing-the-gap", "transitions"])
    assert raised.value.problems == [
        f"{path}: colour: unknown section; use plan, priorities",
        f"{path}: priorities.closing-the-gap.words: required",
        f"{path}: priorities.no-such-priority: not a priority (theme id) of "
        "buckinghamshire-2011-14",
        f"{path}: priorities.transitions.mood: unknown; use title, words, what_changed",
    ]


def test_a_file_for_another_plan_or_too_long_words_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "w.wording.yaml"
    path.write_text(
        f"plan: worcestershire-2014-17\npriorities:\n  a: {{title: '{'x' * 121}', words: Hi.}}\n",
        encoding="utf-8",
    )
    with pytest.raises(VoiceFileError) as raised:
        read_wording_file(path, "buckinghamshire-2011-14", ["a"])
    assert raised.value.problems == [
        f"{path}: plan: 'worcestershire-2014-17' is not 'buckinghamshire-2011-14'",
        f"{path}: priorities.a.title: 121 characters; at most 120",
    ]


def test_unreadable_yaml_is_reported_with_the_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.wording.yaml"
    path.write_text("plan: [unclosed\n", encoding="utf-8")
    with pytest.raises(VoiceFileError, match=f"{path}: cannot read the file"):
        read_wording_file(path, "p", [])
