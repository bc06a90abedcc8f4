"""`cypp data import|organisation|owner` through click's CliRunner, against the test database."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner

from cypp.cli import data as cli_data
from cypp.cli import main
from cypp.web.data.models import MeasureOwner, Observation, Organisation, Revision
from tests.paths import SHARED

pytestmark = pytest.mark.django_db

LONG = "measure,area_code,period,value\nm02,E10000034,2013/14,61.5\nm02,E92000001,2013/14,60\n"


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_import_then_reimport_then_revise(plan, tmp_path: Path) -> None:
    path = tmp_path / "figures.csv"
    path.write_text(LONG)
    result = run("data", "import", str(path), "--plan", plan.slug)
    assert result.exit_code == 0, result.stderr
    assert "2 new, 0 revised, 0 unchanged" in result.stdout
    result = run("data", "import", str(path), "--plan", plan.slug)
    assert "0 new, 0 revised, 2 unchanged" in result.stdout
    path.write_text(LONG.replace("61.5", "61.0"))
    result = run("data", "import", str(path), "--plan", plan.slug, "--reason", "DfE revision")
    assert "0 new, 1 revised, 1 unchanged" in result.stdout
    revision = Revision.objects.get()
    assert (revision.old_value, revision.new_value, revision.reason) == (61.5, 61.0, "DfE revision")
    assert revision.who == "cli"


def test_invalid_file_lists_every_problem_and_exits_2(plan, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(LONG + "m02,E10000034,2014/15,abc\nm99,E10000034,2014/15,5\n")
    result = run("data", "import", str(path), "--plan", plan.slug)
    assert result.exit_code == 2
    assert "bad.csv, row 4, column 'value'" in result.stderr
    assert "bad.csv, row 5, column 'measure'" in result.stderr
    assert "nothing was imported" in result.stderr
    assert Observation.objects.count() == 0


def test_unknown_plan_and_measure(plan, tmp_path: Path) -> None:
    path = tmp_path / "figures.csv"
    path.write_text(LONG)
    result = run("data", "import", str(path), "--plan", "nowhere")
    assert result.exit_code == 1 and "no plan with id 'nowhere'" in result.stderr
    result = run("data", "import", str(path), "--plan", plan.slug, "--measure", "m999")
    assert result.exit_code == 1 and "has no measure 'm999'" in result.stderr


def test_lait_file_under_one_measure_with_progress(plan, tmp_path: Path, monkeypatch) -> None:
    """One indicator's rows from the real LAIT big data set, put under plan measure m02."""
    source = SHARED / "data" / "lait" / "lait_bds_long.parquet"
    frame = pl.read_parquet(source).filter(pl.col("Short Desc") == "16-17 NEET")
    path = tmp_path / "lait_neet.csv"
    frame.write_csv(path)
    monkeypatch.setattr(cli_data, "PROGRESS_FROM", 10)
    result = run("data", "import", str(path), "--plan", plan.slug, "--measure", "m02")
    assert result.exit_code == 0, result.stderr
    assert "Storing" in result.stdout
    stored = Observation.objects.filter(measure__key="m02")
    assert 100 < stored.count() <= frame.height
    worcs = stored.filter(area_code="E10000034")
    assert worcs.count() >= 3 and all(o.source for o in worcs)
    again = run("data", "import", str(path), "--plan", plan.slug, "--measure", "m02")
    assert f"0 new, 0 revised, {stored.count()} unchanged" in again.stdout


def test_organisation_and_owner(plan) -> None:
    result = run("data", "organisation", "West Mercia Police", "--kind", "police")
    assert result.exit_code == 0 and "slug west-mercia-police" in result.stdout
    again = run("data", "organisation", "west mercia police")
    assert again.exit_code == 1 and "already exists" in again.stderr
    result = run("data", "owner", plan.slug, "west-mercia-police", "m01", "m02")
    assert result.exit_code == 0, result.stderr
    assert MeasureOwner.objects.filter(organisation__slug="west-mercia-police").count() == 2
    bad = run("data", "owner", plan.slug, "west-mercia-police", "m01", "zzz")
    assert bad.exit_code == 1 and "zzz" in bad.stderr
    assert Organisation.objects.count() == 1
