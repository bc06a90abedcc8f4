"""Storing plans in the database: exact round trips, updates in place, all or nothing, audit."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from pathlib import Path

import pytest

from cypp.domain.plan import Plan
from cypp.domain.planfile import dump_plan, load_plan
from cypp.web.audit.models import AuditEvent
from cypp.web.plans import actions
from cypp.web.plans import models as m
from cypp.web.plans.actions import plan_to_domain, store_plan
from tests.integration.conftest import EXAMPLE_FILES

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda path: path.stem)
def test_example_plan_comes_back_exactly(path: Path) -> None:
    plan = load_plan(path)
    stored = store_plan(plan, actor="test", source=path.name)
    assert stored.change == "created"
    back = plan_to_domain(m.Plan.objects.get(pk=stored.plan.pk))
    assert back == plan
    assert dump_plan(back) == dump_plan(plan)


def test_all_five_plans_are_stored_side_by_side(example_plans: dict[str, Plan]) -> None:
    for plan in example_plans.values():
        store_plan(plan, actor="test")
    assert m.Plan.objects.count() == 5
    stored_measures = m.Measure.objects.count()
    assert stored_measures == sum(plan.measure_count() for plan in example_plans.values())
    for slug, plan in example_plans.items():
        assert plan_to_domain(m.Plan.objects.get(slug=slug)) == plan


def test_storing_the_same_plan_again_changes_nothing_but_the_audit_log(worcestershire: Plan):
    first = store_plan(worcestershire, actor="test")
    measure_ids = sorted(m.Measure.objects.values_list("pk", flat=True))
    history_rows = m.Measure.history.count() + m.Target.history.count()
    again = store_plan(worcestershire, actor="test")
    assert again.change == "unchanged"
    assert again.plan.pk == first.plan.pk
    assert sorted(m.Measure.objects.values_list("pk", flat=True)) == measure_ids
    assert m.Measure.history.count() + m.Target.history.count() == history_rows
    verbs = list(AuditEvent.objects.order_by("id").values_list("verb", flat=True))
    assert verbs == ["plan.create", "plan.unchanged"]


def _with_first_target(plan: Plan, value: Decimal) -> Plan:
    theme = plan.themes[0]
    measure = theme.measures[0]
    assert measure.target is not None
    measure = dataclasses.replace(measure, target=dataclasses.replace(measure.target, value=value))
    theme = dataclasses.replace(theme, measures=(measure, *theme.measures[1:]))
    return dataclasses.replace(plan, themes=(theme, *plan.themes[1:]))


def test_a_changed_target_updates_the_measure_in_place(worcestershire: Plan) -> None:
    store_plan(worcestershire, actor="test")
    key = worcestershire.themes[0].measures[0].id
    before = m.Measure.objects.get(key=key)
    other_ids = set(m.Measure.objects.exclude(key=key).values_list("pk", flat=True))

    revised = _with_first_target(worcestershire, Decimal("350.5"))
    result = store_plan(revised, actor="test")

    assert result.change == "updated"
    assert (result.measures_changed, result.measures_added, result.measures_removed) == (1, 0, 0)
    assert m.Measure.objects.get(key=key).pk == before.pk
    assert set(m.Measure.objects.exclude(key=key).values_list("pk", flat=True)) == other_ids
    assert plan_to_domain(result.plan) == revised
    event = AuditEvent.objects.filter(verb="plan.update").get()
    assert event.detail["measures_changed"] == 1
    # The replaced target is kept in history with its old value.
    old_values = set(m.Target.history.filter(measure_id=before.pk).values_list("value", flat=True))
    assert {"377.5", "350.5"} <= {str(value) for value in old_values}


def test_themes_can_be_reordered_removed_and_measures_moved(worcestershire: Plan) -> None:
    store_plan(worcestershire, actor="test")
    first, second, *rest = worcestershire.themes
    moved = first.measures[0]
    kept_id = m.Measure.objects.get(key=moved.id).pk
    gone = second.measures
    # Swap the first two themes; the second loses its measures and the first gains one.
    new_second = dataclasses.replace(first, measures=first.measures[1:])
    new_first = dataclasses.replace(second, measures=(moved,))
    revised = dataclasses.replace(worcestershire, themes=(new_first, new_second, *rest))

    result = store_plan(revised, actor="test")

    assert plan_to_domain(result.plan) == revised
    assert m.Measure.objects.get(key=moved.id).pk == kept_id
    assert not m.Measure.objects.filter(key__in=[measure.id for measure in gone]).exists()
    assert result.measures_removed == len(gone)

    without_theme = dataclasses.replace(revised, themes=(new_first, *rest))
    assert plan_to_domain(store_plan(without_theme, actor="test").plan) == without_theme
    assert not m.Theme.objects.filter(key=second.id).exists() or second.id == new_first.id


def test_a_failure_part_way_leaves_nothing_behind(
    worcestershire: Plan, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr(actions, "record", fail)
    with pytest.raises(RuntimeError):
        store_plan(worcestershire, actor="test")
    assert not m.Plan.objects.exists()
    assert not m.Measure.objects.exists()
    assert not m.Theme.objects.exists()


def test_deleting_a_plan_removes_everything_and_is_audited(worcestershire: Plan) -> None:
    row = store_plan(worcestershire, actor="test").plan
    actions.delete_plan(row, actor="test")
    assert not m.Measure.objects.exists()
    assert not m.Target.objects.exists()
    assert AuditEvent.objects.filter(verb="plan.delete", detail__slug=worcestershire.id).exists()


def _store_figures(measure: m.Measure, count: int) -> None:
    from datetime import date

    from cypp.web.data.models import Observation

    for year in range(count):
        Observation.objects.create(
            measure=measure,
            area_code="E10000034",
            period=f"{2010 + year}/{(11 + year) % 100:02d}",
            period_start=date(2010 + year, 4, 1),
            period_end=date(2011 + year, 3, 31),
            value=10.0 + year,
        )


def _without_first_measure(plan: Plan) -> Plan:
    theme = plan.themes[0]
    theme = dataclasses.replace(theme, measures=theme.measures[1:])
    return dataclasses.replace(plan, themes=(theme, *plan.themes[1:]))


def test_a_measure_holding_figures_is_not_removed_without_being_asked(
    worcestershire: Plan,
) -> None:
    from cypp.web.data.models import Observation

    row = store_plan(worcestershire, actor="test").plan
    first = worcestershire.themes[0].measures[0]
    _store_figures(m.Measure.objects.get(theme__plan=row, key=first.id), 3)
    events = AuditEvent.objects.count()

    with pytest.raises(actions.MeasuresHoldData) as refused:
        store_plan(_without_first_measure(worcestershire), actor="test")

    message = str(refused.value)
    assert f"{first.id} (" in message and "3 stored figures" in message
    assert "--remove-figures" in message
    assert plan_to_domain(m.Plan.objects.get(pk=row.pk)) == worcestershire
    assert Observation.objects.count() == 3
    assert AuditEvent.objects.count() == events


def test_removing_a_measure_with_its_figures_when_asked_is_audited(worcestershire: Plan) -> None:
    from cypp.web.data.models import Observation

    row = store_plan(worcestershire, actor="test").plan
    first = worcestershire.themes[0].measures[0]
    second = worcestershire.themes[0].measures[1]
    _store_figures(m.Measure.objects.get(theme__plan=row, key=first.id), 3)
    _store_figures(m.Measure.objects.get(theme__plan=row, key=second.id), 2)

    result = store_plan(_without_first_measure(worcestershire), actor="test", remove_figures=True)

    assert result.measures_removed == 1
    assert result.data_removed == {first.id: {"figures": 3, "return_items": 0}}
    assert Observation.objects.count() == 2
    event = AuditEvent.objects.filter(verb="plan.update").get()
    assert event.detail["data_removed"] == {first.id: {"figures": 3, "return_items": 0}}


def test_deleting_a_plan_with_figures_deletes_them_too(worcestershire: Plan) -> None:
    from cypp.web.data.models import Observation

    row = store_plan(worcestershire, actor="test").plan
    first = worcestershire.themes[0].measures[0]
    _store_figures(m.Measure.objects.get(theme__plan=row, key=first.id), 4)

    actions.delete_plan(row, actor="test")

    assert not Observation.objects.exists()
    assert not m.Plan.objects.exists()
    event = AuditEvent.objects.get(verb="plan.delete")
    assert event.detail["data_removed"] == {first.id: {"figures": 4, "return_items": 0}}
