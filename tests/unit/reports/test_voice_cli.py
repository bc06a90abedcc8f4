"""`cypp report --voice`: consultations and the village of 100 from a file, checked first."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from cypp.cli import main
from cypp.domain.planfile import load_plan
from cypp.voice.files import VoiceFileError, read_voice_file
from tests.paths import EXAMPLES

PLAN = EXAMPLES / "worcestershire-2014-17.yaml"
VOICE = """
consultations:
  - title: Make Your Mark 2014
    run_by: Worcestershire Youth Cabinet
    held_from: 2014-09-01
    held_to: 2014-10-31
    method: ballot
    age_groups: {"11 to 15": 150, "16 to 18": 50}
    agreement:
      children-and-young-people-have: {agreed: 180, asked: 200}
      children-and-young-people-are-2: {percent: 95.5, asked: 200}
    ranked_issues: [Bullying, Mental health]
    themes: [Safe parks]
village:
  - {measure: m20, would: "would not be in education, employment or training"}
  - {measure: m01, would: "would be admitted to hospital after harming themselves"}
  - {measure: m24, would: "would go missing"}
"""


def _ids() -> tuple[list[str], list[str]]:
    plan = load_plan(PLAN)
    return [t.id for _, _, t in plan.all_themes()], [m.id for _, _, m in plan.measures()]


def test_voice_file_is_read_with_counts_from_percentages(tmp_path: Path) -> None:
    path = tmp_path / "voice.yaml"
    path.write_text(VOICE, "utf-8")
    found = read_voice_file(path, *_ids())
    consultation = found.consultations[0]
    assert consultation.participants == 200
    assert [(a.priority, a.agreed, a.asked) for a in consultation.agreements] == [
        ("children-and-young-people-have", 180, 200),
        ("children-and-young-people-are-2", 191, 200),
    ]
    assert [i.issue for i in consultation.top_issues()] == ["Bullying", "Mental health"]
    assert [v.measure for v in found.village] == ["m20", "m01", "m24"]


def test_every_problem_is_named_and_nothing_is_read(tmp_path: Path) -> None:
    path = tmp_path / "voice.yaml"
    path.write_text(
        VOICE.replace("children-and-young-people-have:", "no-such-priority:").replace("m20", "m99"),
        "utf-8",
    )
    with pytest.raises(VoiceFileError) as raised:
        read_voice_file(path, *_ids())
    assert raised.value.problems == [
        f"{path}: consultations[0].agreement.no-such-priority: not a priority (theme id) "
        "of the plan",
        f"{path}: village[0].measure: 'm99' is not a measure of the plan",
    ]


def test_report_with_voice_file_has_the_section(tmp_path: Path) -> None:
    path = tmp_path / "voice.yaml"
    path.write_text(VOICE, "utf-8")
    out = tmp_path / "pack.xlsx"
    result = CliRunner().invoke(
        main,
        ["report", str(PLAN), "--period", "2014/15", "-o", str(out), "--voice", str(path)],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    book = load_workbook(io.BytesIO(out.read_bytes()))
    rows = list(book["Agreement"].iter_rows(values_only=True))
    assert [r[3:5] for r in rows[1:]] == [(180, 200), (191, 200)]
    village = list(book["Village of 100"].iter_rows(values_only=True))
    assert village[1][1:3] == (5, "5 children would not be in education, employment or training.")
    assert village[2][1:3] == (
        4,
        "4 children would be admitted to hospital after harming themselves.",
    )
    assert village[2][3] == "416 per 10,000 is 4.16 per 100; rounded to 4 (2012/13)."
    assert (
        "Village of 100: Children and young people who go missing (per month): no figure yet"
        in (result.stderr)
    )


def test_report_refuses_a_bad_voice_file(tmp_path: Path) -> None:
    path = tmp_path / "voice.yaml"
    path.write_text("consultations:\n  - title: Only a title\n", "utf-8")
    out = tmp_path / "pack.html"
    result = CliRunner().invoke(
        main, ["report", str(PLAN), "--period", "2014/15", "-o", str(out), "--voice", str(path)]
    )
    assert result.exit_code != 0
    assert "consultations[0].run_by: required" in result.output + result.stderr
    assert "No report was written." in result.output + result.stderr
    assert not out.exists()
