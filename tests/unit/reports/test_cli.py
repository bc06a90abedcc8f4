"""`cypp report`: a board pack in each format from a plan file and an observations CSV."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from cypp.cli import main
from tests.paths import EXAMPLES

PLAN = str(EXAMPLES / "worcestershire-2014-17.yaml")


def _run(*args: str):
    return CliRunner().invoke(main, ["report", PLAN, *args], catch_exceptions=False)


def test_report_is_a_registered_command() -> None:
    assert "report" in main.commands


def test_excel_pack_from_plan_and_observations(observations_csv: Path, tmp_path: Path) -> None:
    out = tmp_path / "pack.xlsx"
    result = _run("--period", "2014/15", "-o", str(out), "--observations", str(observations_csv))
    assert result.exit_code == 0, result.output
    assert "32 measures (2 red, 2 green" in result.output
    assert "4 exceptions" in result.output
    book = load_workbook(io.BytesIO(out.read_bytes()))
    assert book["Scorecard"]["I2"].value == "Red"


def test_format_option_overrides_the_extension(observations_csv: Path, tmp_path: Path) -> None:
    out = tmp_path / "pack.out"
    result = _run("--period", "2014/15", "--format", "html", "-o", str(out),
                  "--observations", str(observations_csv))  # fmt: skip
    assert result.exit_code == 0, result.output
    assert out.read_text("utf-8").startswith("<!DOCTYPE html>")


@pytest.mark.slow
def test_word_and_pdf_packs(observations_csv: Path, tmp_path: Path) -> None:
    for name, magic in (("pack.docx", b"PK"), ("pack.pdf", b"%PDF-")):
        out = tmp_path / name
        result = _run("--period", "2014/15", "-o", str(out), "--observations",
                      str(observations_csv))  # fmt: skip
        assert result.exit_code == 0, result.output
        assert out.read_bytes().startswith(magic)


def test_without_observations_every_measure_awaits_data(tmp_path: Path) -> None:
    out = tmp_path / "pack.html"
    result = _run("--period", "2014/15", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "0 exceptions" in result.output and "red" not in result.output


def test_unknown_extension_needs_a_format(tmp_path: Path) -> None:
    result = _run("--period", "2014/15", "-o", str(tmp_path / "pack.txt"))
    assert result.exit_code == 2
    assert "give --format pdf|docx|xlsx|html" in result.output


def test_bad_period_and_bad_data_write_nothing(tmp_path: Path) -> None:
    out = tmp_path / "pack.xlsx"
    result = _run("--period", "sometime", "-o", str(out))
    assert result.exit_code == 2 and "--period" in result.output
    bad = tmp_path / "bad.csv"
    bad.write_text("measure_id,area_code,period,value\nm01,E10000034,2014/15,lots\n", "utf-8")
    result = _run("--period", "2014/15", "-o", str(out), "--observations", str(bad))
    assert result.exit_code == 1
    assert "row 2" in result.output and "No report was written" in result.output
    assert not out.exists()
