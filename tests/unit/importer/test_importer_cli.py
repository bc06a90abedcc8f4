"""`cypp import-plan`: plan files out, clear messages and exit code 2 for bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from cypp.cli import main
from cypp.domain.planfile import load_plan
from tests.paths import SHARED

DOC = SHARED / "plans" / "docs" / "002_c99d9787d6d769f6.txt"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["import-plan", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def test_json_to_standard_output() -> None:
    code, out, err = run(str(DOC), "--quiet")
    assert code == 0
    data = json.loads(out)
    assert data["cypp_plan"] == 1
    assert data["area"]["name"] == "Worcestershire"
    measures = [m for t in data["themes"] for m in t.get("measures", [])]
    assert len(measures) == 32
    assert all(m["quote"] and m["location"]["line"] >= 1 for m in measures)
    assert err == ""


@pytest.mark.parametrize("name", ["plan.yaml", "plan.json"])
def test_writes_a_plan_file_that_loads(tmp_path: Path, name: str) -> None:
    output = tmp_path / name
    code, out, err = run(str(DOC), "-o", str(output))
    assert code == 0, err
    assert out == ""
    assert "Worcestershire" in err and "32 measures" in err
    plan = load_plan(output)
    assert len(plan.themes) == 7
    assert all(outcome.quote for theme in plan.themes for outcome in theme.outcomes)


def test_draft_keeps_locations_and_confidence(tmp_path: Path) -> None:
    output = tmp_path / "draft.json"
    code, _, _ = run(str(DOC), "--draft", "-o", str(output), "-q")
    assert code == 0
    draft = json.loads(output.read_text(encoding="utf-8"))["draft"]
    action = draft["themes"][0]["action_items"][0]
    assert set(action) >= {"text", "quote", "location", "confidence"}


def test_existing_output_is_kept_without_force(tmp_path: Path) -> None:
    output = tmp_path / "plan.yaml"
    output.write_text("mine", encoding="utf-8")
    code, _, err = run(str(DOC), "-o", str(output))
    assert code == 2
    assert "already exists" in err
    assert output.read_text(encoding="utf-8") == "mine"
    assert run(str(DOC), "-o", str(output), "--force", "-q")[0] == 0
    assert load_plan(output).area.name == "Worcestershire"


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "empty.txt", "empty.txt: the file is empty"),
        (bytes(range(256)) * 40, "binary.txt", "binary.txt: the file holds binary data"),
        (b"%PDF-1.4 broken", "broken.docx", None),
    ],
)
def test_bad_input_exits_2_with_a_message(
    tmp_path: Path, content: bytes, name: str, message: str | None
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    output = tmp_path / "plan.yaml"
    code, out, err = run(str(path), "-o", str(output))
    assert code == 2
    assert err.startswith("Error: " + name)
    if message:
        assert message in err
    assert "Traceback" not in err + out
    assert not output.exists()


def test_missing_document_and_bad_output_suffix(tmp_path: Path) -> None:
    code, _, err = run(str(tmp_path / "nope.txt"))
    assert (code, "does not exist" in err) == (2, True)
    code, _, err = run(str(DOC), "-o", str(tmp_path / "plan.txt"))
    assert (code, ".yaml, .yml or .json" in err) == (2, True)
