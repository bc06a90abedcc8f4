"""Storing observations: all or nothing, idempotent, and every change a revision."""

from __future__ import annotations

import polars as pl
import pytest
from data_helpers import ENGLAND, WORCESTERSHIRE, batch_from_rows
from django.db import IntegrityError

from cypp.data.errors import DataImportError
from cypp.data.observations import ObservationBatch
from cypp.web.audit.models import AuditEvent
from cypp.web.data import actions
from cypp.web.data.models import DataImport, Observation, Revision

pytestmark = pytest.mark.django_db

ROWS = [
    {
        "measure": "m02",
        "area_code": WORCESTERSHIRE,
        "period": "2013/14",
        "value": "61.5",
        "count": "123",
        "denominator": "200",
    },
    {"measure": "m02", "area_code": ENGLAND, "period": "2013/14", "value": "60.25"},
    {"measure": "m01", "area_code": "885", "period": "2013/14", "value": "c"},
]


def counts() -> tuple[int, int, int]:
    return Observation.objects.count(), Revision.objects.count(), DataImport.objects.count()


def test_import_stores_every_figure_exactly(plan, officer) -> None:
    summary = actions.import_observations(batch_from_rows(ROWS), plan=plan, user=officer)
    assert (summary.created, summary.revised, summary.unchanged) == (3, 0, 0)
    stored = {
        (o.measure.key, o.area_code): o for o in Observation.objects.select_related("measure")
    }
    assert stored["m02", WORCESTERSHIRE].value == 61.5
    assert stored["m02", WORCESTERSHIRE].count == 123
    assert stored["m02", ENGLAND].value == 60.25
    # The DfE code 885 is read as Worcestershire; the suppressed cell is kept, not zero.
    suppressed = stored["m01", WORCESTERSHIRE]
    assert suppressed.value is None
    assert (suppressed.quality, suppressed.suppression_code) == ("suppressed", "c")
    assert "confidential" in suppressed.suppression_reason
    event = AuditEvent.objects.get(verb="data.import")
    assert event.actor == officer and event.detail["created"] == 3


def test_reimporting_the_same_file_changes_nothing(plan, officer) -> None:
    actions.import_observations(batch_from_rows(ROWS), plan=plan, user=officer)
    before = list(Observation.objects.values().order_by("pk"))
    again = actions.import_observations(batch_from_rows(ROWS), plan=plan, user=officer)
    assert (again.created, again.revised, again.unchanged) == (0, 0, 3)
    after = list(Observation.objects.values().order_by("pk"))
    for row in (*before, *after):
        row.pop("data_import_id"), row.pop("updated_at")
    assert after == before
    assert Revision.objects.count() == 0


def test_a_changed_figure_becomes_a_revision_with_who_and_why(plan, officer) -> None:
    actions.import_observations(batch_from_rows(ROWS), plan=plan, user=officer)
    changed = [dict(ROWS[0], value="62.0", quality="revised"), *ROWS[1:]]
    summary = actions.import_observations(
        batch_from_rows(changed, file="figures-v2.csv"),
        plan=plan,
        user=officer,
        reason="DfE revised the 2013/14 figures",
    )
    assert (summary.created, summary.revised, summary.unchanged) == (0, 1, 2)
    revision = Revision.objects.get()
    assert (revision.old_value, revision.new_value) == (61.5, 62.0)
    assert revision.actor == officer and revision.who == "Pat Officer"
    assert revision.reason == "DfE revised the 2013/14 figures"
    assert revision.changes == {"value": [61.5, 62.0], "quality": ["final", "revised"]}
    assert revision.observation.value == 62.0
    assert Observation.objects.count() == 3


def test_revision_reason_names_the_file_when_none_is_given(plan, officer) -> None:
    actions.import_observations(batch_from_rows(ROWS), plan=plan, user=officer)
    changed = [*ROWS[:2], dict(ROWS[2], value="7")]
    actions.import_observations(batch_from_rows(changed, file="v2.csv"), plan=plan, actor="cli")
    revision = Revision.objects.get()
    assert "v2.csv" in revision.reason and revision.who == "cli"
    assert revision.changes["suppression_code"] == ["c", ""]


def test_unknown_measure_rejects_the_whole_file(plan, officer) -> None:
    rows = [
        *ROWS,
        {"measure": "not-in-plan", "area_code": ENGLAND, "period": "2013/14", "value": "1"},
    ]
    with pytest.raises(DataImportError) as caught:
        actions.import_observations(batch_from_rows(rows), plan=plan, user=officer)
    [problem] = caught.value.problems
    assert (problem.row, problem.column) == (5, "measure")
    assert counts() == (0, 0, 0)


def test_a_database_failure_part_way_writes_nothing(plan, officer) -> None:
    """More rows than one insert chunk, with a duplicate key in the second chunk."""
    actions.import_observations(batch_from_rows(ROWS[:1]), plan=plan, user=officer)
    before = counts()
    good = batch_from_rows(
        [
            {
                "measure": "m02",
                "area_code": ENGLAND,
                "period": f"{2000 + i % 20}",
                "breakdown": f"group {i}",
                "value": str(i % 100),
            }
            for i in range(6000)
        ]
    )
    # Bypass validation: the last row repeats the first, so the second insert chunk fails.
    frame = pl.concat([good.frame, good.frame.head(1)])
    changed = ObservationBatch(frame=frame, format="long", file="big.csv")
    with pytest.raises(IntegrityError):
        actions.import_observations(changed, plan=plan, user=officer)
    assert counts() == before
    assert AuditEvent.objects.filter(verb="data.import").count() == 1


def test_only_an_officer_may_import(plan, django_user_model) -> None:
    someone = django_user_model.objects.create_user("someone", password="x-long-password-1")
    with pytest.raises(actions.ActionError):
        actions.import_observations(batch_from_rows(ROWS), plan=plan, user=someone)
    assert counts() == (0, 0, 0)


def test_correction_after_close_needs_a_reason(plan, officer) -> None:
    actions.import_observations(batch_from_rows(ROWS), plan=plan, user=officer)
    obs = Observation.objects.get(measure__key="m02", area_code=ENGLAND)
    with pytest.raises(actions.ActionError):
        actions.correct_after_close(obs, value=59.0, reason="  ", user=officer)
    assert Revision.objects.count() == 0
    revision = actions.correct_after_close(
        obs, value=59.0, reason="typing error in the return", user=officer
    )
    obs.refresh_from_db()
    assert (obs.value, obs.quality) == (59.0, "revised")
    assert (revision.old_value, revision.new_value, revision.actor) == (60.25, 59.0, officer)
    assert AuditEvent.objects.filter(verb="data.correct").count() == 1
