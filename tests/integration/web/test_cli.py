"""`cypp plan load|dump|list` against the test database, and `cypp demo` in a fresh folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from cypp.cli import main
from cypp.domain.planfile import dump_plan, load_plan
from cypp.web.audit.models import AuditEvent
from cypp.web.plans import models as m
from tests.paths import EXAMPLES, REPO_ROOT

WORCESTERSHIRE = EXAMPLES / "worcestershire-2014-17.yaml"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.django_db
def test_load_then_reload_is_idempotent_and_audited() -> None:
    code, out, _ = run("plan", "load", str(WORCESTERSHIRE))
    assert code == 0
    assert "worcestershire-2014-17 (Worcestershire): created" in out
    measures = sorted(m.Measure.objects.values_list("pk", flat=True))

    code, out, _ = run("plan", "load", str(WORCESTERSHIRE))
    assert code == 0
    assert "worcestershire-2014-17 (Worcestershire): unchanged" in out
    assert sorted(m.Measure.objects.values_list("pk", flat=True)) == measures
    events = AuditEvent.objects.order_by("id")
    assert [event.verb for event in events] == ["plan.create", "plan.unchanged"]
    assert all(event.actor_label == "cli" for event in events)
    assert events[0].detail["source"] == str(WORCESTERSHIRE)


@pytest.mark.django_db
def test_a_bad_file_names_the_field_and_loads_nothing(tmp_path: Path) -> None:
    text = WORCESTERSHIRE.read_text(encoding="utf-8")
    assert "      period: 2012/13\n" in text
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace("      period: 2012/13\n", "      period: Q5 2014\n", 1))

    code, _, err = run("plan", "load", str(EXAMPLES / "buckinghamshire-2011-14.yaml"), str(bad))

    assert code == 2
    assert "themes[0].measures[0].baseline.period" in err
    assert "Q5 2014" in err
    assert "(line 65)" in err
    assert "Nothing was loaded." in err
    assert not m.Plan.objects.exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_a_missing_file_is_reported_and_nothing_loaded(tmp_path: Path) -> None:
    code, _, err = run("plan", "load", str(WORCESTERSHIRE), str(tmp_path / "nope.yaml"))
    assert code == 2
    assert "nope.yaml" in err
    assert not m.Plan.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("suffix", ["yaml", "json"])
def test_dump_writes_the_plan_file_it_was_loaded_from(tmp_path: Path, suffix: str) -> None:
    run("plan", "load", str(WORCESTERSHIRE))
    out = tmp_path / f"plan.{suffix}"
    code, _, err = run("plan", "dump", "worcestershire-2014-17", "-o", str(out))
    assert code == 0, err
    assert out.read_text(encoding="utf-8") == dump_plan(load_plan(WORCESTERSHIRE), suffix)
    assert load_plan(out) == load_plan(WORCESTERSHIRE)


@pytest.mark.django_db
def test_dump_by_database_number_and_to_standard_output() -> None:
    run("plan", "load", str(WORCESTERSHIRE))
    pk = m.Plan.objects.get().pk
    code, out, _ = run("plan", "dump", str(pk))
    assert code == 0
    assert out == dump_plan(load_plan(WORCESTERSHIRE))


@pytest.mark.django_db
def test_dump_of_an_unknown_plan_says_so() -> None:
    code, _, err = run("plan", "dump", "nowhere-2020")
    assert code == 1
    assert "no plan with id or slug 'nowhere-2020'" in err


@pytest.mark.django_db
def test_list_shows_each_plan_with_its_measure_count() -> None:
    code, out, _ = run("plan", "list")
    assert "No plans stored" in out
    run("plan", "load", str(WORCESTERSHIRE))
    code, out, _ = run("plan", "list")
    assert code == 0
    header, row = out.splitlines()
    assert header.split() == ["ID", "AREA", "PERIOD", "STATUS", "MEASURES"]
    count = load_plan(WORCESTERSHIRE).measure_count()
    assert row.split() == [
        "worcestershire-2014-17",
        "Worcestershire",
        "2014-2017",
        "adopted",
        str(count),
    ]


def _demo(folder: Path) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("CYPP_")}
    env.pop("DATABASE_URL", None)  # the demo's own SQLite database, whatever the suite uses
    env.pop("DJANGO_SETTINGS_MODULE", None)
    cypp = Path(sys.executable).with_name("cypp")
    return subprocess.run(
        [str(cypp), "demo", "--no-serve"],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_demo_sets_up_a_fresh_folder_and_is_safe_to_run_again(tmp_path: Path) -> None:
    first = _demo(tmp_path)
    assert first.returncode == 0, first.stderr
    database = tmp_path / "var" / "cypp.sqlite3"
    assert f"SQLite database {database}: created" in first.stdout
    assert first.stdout.count(": created") == 6  # the database and five plans
    assert first.stdout.count("children's words set (") == 5
    assert database.is_file()

    second = _demo(tmp_path)
    assert second.returncode == 0, second.stderr
    assert f"SQLite database {database}: ready" in second.stdout
    assert second.stdout.count(": unchanged") == 5
    assert second.stdout.count("children's words already set") == 5
    assert "warning" not in (first.stderr + second.stderr).lower()
    assert not (REPO_ROOT / "examples" / "var").exists()


@pytest.mark.django_db
def test_reload_that_drops_a_measure_with_figures_says_so_and_loads_nothing(
    tmp_path: Path,
) -> None:
    import dataclasses
    from datetime import date

    from cypp.web.data.models import Observation

    assert run("plan", "load", str(WORCESTERSHIRE))[0] == 0
    plan = load_plan(WORCESTERSHIRE)
    dropped = plan.themes[0].measures[0]
    measure = m.Measure.objects.get(key=dropped.id, theme__plan__slug=plan.id)
    Observation.objects.create(
        measure=measure,
        area_code="E10000034",
        period="2013/14",
        period_start=date(2013, 4, 1),
        period_end=date(2014, 3, 31),
        value=12.5,
    )
    theme = dataclasses.replace(plan.themes[0], measures=plan.themes[0].measures[1:])
    shorter = tmp_path / "shorter.yaml"
    shorter.write_text(dump_plan(dataclasses.replace(plan, themes=(theme, *plan.themes[1:]))))

    code, _, err = run("plan", "load", str(shorter))

    assert code == 2
    assert f"{dropped.id} (" in err and "1 stored figures" in err
    assert "Nothing was loaded." in err
    assert Observation.objects.count() == 1

    code, out, _ = run("plan", "load", "--remove-figures", str(shorter))

    assert code == 0
    assert "1 removed" in out and "deleted 1 figures and 0 return items" in out
    assert not Observation.objects.exists()
