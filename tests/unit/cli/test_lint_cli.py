"""`cypp lint`: exit status, text and JSON reports, and unreadable input."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from cypp.cli import main
from tests.paths import EXAMPLES

WORCESTERSHIRE = str(EXAMPLES / "worcestershire-2014-17.yaml")

CLEAN_PLAN = """\
cypp_plan: 1
id: clean
area: {name: Testshire}
period: 2014-2017
themes:
  - id: safe
    title: Children are safe
    measures:
      - id: referrals
        name: Referrals to children's social care
        unit: rate_per_10000
        polarity: lower_is_better
        owner: Children's Social Care
        baseline: {value: 308, period: 2012/13}
        target: {kind: value, value: 261.8, period: 2014/15, text: "to 261.8 per 10,000"}
"""


def _run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["lint", *args], input=stdin)
    return result.exit_code, result.stdout, result.stderr


def test_a_clean_plan_exits_0(tmp_path: Path) -> None:
    path = tmp_path / "clean.yaml"
    path.write_text(CLEAN_PLAN, encoding="utf-8")
    code, out, _ = _run(str(path))
    assert code == 0
    assert out == f"{path}: no problems found.\n"


def test_findings_exit_1_and_name_the_measure() -> None:
    code, out, _ = _run(WORCESTERSHIRE)
    assert code == 1
    lines = out.splitlines()
    assert lines[-1] == f"{WORCESTERSHIRE}: 18 findings (4 errors, 14 warnings)."
    assert any(
        line.startswith("themes[0].measures[1].target: error: The plan speaks of 'reduction'")
        and line.endswith("[contradicts-wording]")
        for line in lines
    )
    assert any("'Permanent exclusions' is due in 2012/13" in line for line in lines)


def test_json_report_for_machines() -> None:
    code, out, _ = _run(WORCESTERSHIRE, "--format", "json")
    assert code == 1
    report = json.loads(out)
    assert report["valid"] is True
    assert report["plan"] == "worcestershire-2014-17"
    assert report["counts"] == {"error": 4, "warning": 14}
    year6 = next(f for f in report["findings"] if f["measure"] == "m02")
    assert year6 == {
        "code": "contradicts-wording",
        "severity": "error",
        "path": "themes[0].measures[1]",
        "measure": "m02",
        "field": "target",
        "message": year6["message"],
    }


def test_a_review_plan_is_clean() -> None:
    code, out, _ = _run(str(EXAMPLES / "leicestershire-2006-09-review.yaml"), "--format", "json")
    assert (code, json.loads(out)["findings"]) == (0, [])


def test_standard_input() -> None:
    code, out, _ = _run("-", stdin=CLEAN_PLAN)
    assert (code, out) == (0, "-: no problems found.\n")


def test_an_invalid_plan_exits_2_naming_the_problem(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(CLEAN_PLAN.replace("period: 2014/15", "period: Q5 2014"), encoding="utf-8")
    code, out, err = _run(str(path))
    assert code == 2
    assert out == ""
    assert err.splitlines() == [
        f"{path}: 1 problem",
        "  themes[0].measures[0].target.period: 'Q5 2014' is not a period: "
        "there is no quarter 5 (quarters are Q1 to Q4) (line 15)",
        f"{path}: nothing was linted.",
    ]
    assert "Traceback" not in err


def test_an_invalid_plan_in_json(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"cypp_plan": 1, "id": "x",\n "area": {"name": "A"},,}', encoding="utf-8")
    code, out, _ = _run(str(path), "--format", "json")
    assert code == 2
    assert json.loads(out) == {
        "plan_file": str(path),
        "valid": False,
        "problems": [
            {"path": "", "line": 2, "message": "not valid JSON: expected a key in double quotes"}
        ],
    }


def test_unreadable_input_exits_2(tmp_path: Path) -> None:
    code, _, err = _run(str(tmp_path / "missing.yaml"))
    assert code == 2
    assert "missing.yaml: no such file" in err
    binary = tmp_path / "binary.yaml"
    binary.write_bytes(b"\xff\xfe\x00\x01")
    code, _, err = _run(str(binary))
    assert code == 2
    assert "cannot read" in err and "Traceback" not in err
    code, _, err = _run(str(tmp_path))
    assert code == 2


def test_usage_errors_exit_2() -> None:
    code, _, err = _run(WORCESTERSHIRE, "--format", "xml")
    assert code == 2
    assert "'xml' is not one of 'text', 'json'" in err
