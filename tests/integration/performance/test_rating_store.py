"""Stored ratings: kept with their provenance, unchanged by later revisions of the figures."""

from __future__ import annotations

import pytest

from cypp.stats.rating import RULE_VERSION, Status
from cypp.web.audit.models import AuditEvent
from cypp.web.data.actions import import_observations
from cypp.web.data.models import Observation
from cypp.web.performance.actions import PerformanceError, calculate_ratings
from cypp.web.performance.models import RatingRun, StoredRating
from cypp.web.performance.pages import load_pack

from .conftest import ENGLAND, WORCESTERSHIRE, batch, m01

pytestmark = pytest.mark.django_db


def _m01(run: RatingRun) -> StoredRating:
    return run.ratings.get(measure__key="m01")


def test_a_run_stores_every_measure_with_its_provenance(figures):
    run = calculate_ratings(figures, "2014/15", actor="test")
    assert run.ratings.count() == 32
    assert run.rule_version == RULE_VERSION
    stored = _m01(run)
    assert stored.status == Status.RED.value
    assert stored.latest_value == pytest.approx(409.1)
    assert stored.period == "2014/15"
    assert stored.direction == "Worsening"
    assert stored.explanation.startswith("Red: 409.1 per 10,000 against a target of 377.5")
    assert stored.provenance["target"] == 377.5
    assert stored.provenance["comparison"]["benchmark_value"] == 350
    assert stored.provenance["rule_version"] == RULE_VERSION
    ids = set(Observation.objects.filter(measure__key="m01").values_list("id", flat=True))
    assert set(stored.observation_ids) == ids
    assert [p["period"] for p in stored.series["points"]] == ["2012/13", "2013/14", "2014/15"]
    event = AuditEvent.objects.get(verb="ratings.calculate")
    assert event.detail["period"] == "2014/15"
    assert event.detail["statuses"]["Red"] >= 1


def test_a_past_run_is_unchanged_after_a_revision_and_a_new_run_reflects_it(figures):
    before = calculate_ratings(figures, "2014/15", actor="test")
    snapshot = (_m01(before).explanation, dict(_m01(before).provenance), _m01(before).series)
    # The 2014/15 figure is revised down below the target.
    import_observations(
        batch([m01(WORCESTERSHIRE, "2014/15", "370.2", "revised")], file="revision.csv"),
        plan=figures,
        actor="test",
        reason="corrected by the publisher",
    )
    obs = Observation.objects.get(measure__key="m01", area_code=WORCESTERSHIRE, period="2014/15")
    assert obs.value == pytest.approx(370.2) and obs.revisions.count() == 1

    before.refresh_from_db()
    old = _m01(before)
    assert (old.explanation, old.provenance, old.series) == snapshot
    assert old.status == "Red" and old.latest_value == pytest.approx(409.1)

    after = calculate_ratings(figures, "2014/15", actor="test")
    new = _m01(after)
    assert new.status == "Green"
    assert new.latest_value == pytest.approx(370.2)
    assert new.explanation.startswith("Green: 370.2 per 10,000")
    assert obs.pk in new.observation_ids

    # Pages and packs show the run they are given: the past one exactly as it was.
    past = load_pack(figures, "2014/15", run=before)
    line = next(m for m in past.pack.measures() if m.id == "m01")
    assert line.status is Status.RED and line.latest_value == pytest.approx(409.1)
    latest = load_pack(figures, "2014/15")
    assert latest.run == after
    line = next(m for m in latest.pack.measures() if m.id == "m01")
    assert line.status is Status.GREEN


def test_a_stored_rating_rebuilds_the_same_explanation(figures):
    from cypp.web.performance.figures import rating_from_provenance

    run = calculate_ratings(figures, "2014/15", actor="test")
    for stored in run.ratings.all():
        assert rating_from_provenance(stored.provenance).explain() == stored.explanation


def test_a_later_period_is_left_out_of_an_earlier_report(figures):
    run = calculate_ratings(figures, "2013/14", actor="test")
    stored = _m01(run)
    assert stored.latest_value == pytest.approx(401)
    assert [p["period"] for p in stored.series["points"]] == ["2012/13", "2013/14"]
    later = Observation.objects.get(measure__key="m01", area_code=ENGLAND, period="2014/15")
    assert later.pk not in stored.observation_ids


def test_an_unreadable_period_is_refused_and_nothing_is_stored(figures):
    with pytest.raises(PerformanceError, match="not a reporting period"):
        calculate_ratings(figures, "sometime", actor="test")
    assert not RatingRun.objects.exists()
    assert not AuditEvent.objects.filter(verb="ratings.calculate").exists()


def test_only_staff_may_calculate(figures, board_member, officer):
    with pytest.raises(PerformanceError, match="permission"):
        calculate_ratings(figures, "2014/15", user=board_member)
    assert not RatingRun.objects.exists()
    run = calculate_ratings(figures, "2014/15", user=officer)
    assert run.actor == officer
