"""The data-return workflow: open, answer, submit, approve or return, correct after close."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from cypp.web.audit.models import AuditEvent
from cypp.web.data import actions
from cypp.web.data.actions import ItemAnswer
from cypp.web.data.models import AccessLink, Observation, Return, Revision

pytestmark = pytest.mark.django_db


def police_return(collection) -> Return:
    return collection.returns.get(organisation__slug="police")


def answers(data_return: Return, **values: str) -> dict[int, ItemAnswer]:
    return {
        item.pk: ItemAnswer(values.get(item.measure.key, ""), f"about {item.measure.key}")
        for item in data_return.items.select_related("measure")
    }


def test_opening_a_collection_asks_each_owner_for_their_measures(collection) -> None:
    returns = {r.organisation.slug: r for r in collection.returns.all()}
    assert set(returns) == {"police", "nhs"}
    assert sorted(i.measure.key for i in returns["police"].items.all()) == ["m01", "m02"]
    assert [i.measure.key for i in returns["nhs"].items.all()] == ["m03"]
    assert collection.period == "Q1 2025/26"
    assert AuditEvent.objects.filter(verb="data.collection.open").count() == 1


def test_submit_needs_every_figure_and_refuses_wrong_ones(collection) -> None:
    ret = police_return(collection)
    with pytest.raises(actions.ReturnFormError) as caught:
        actions.submit_return(ret, answers(ret, m01="35.2", m02="140"), actor="link")
    [(field, message)] = caught.value.errors.items()
    m02 = ret.items.get(measure__key="m02")
    assert field == f"value-{m02.pk}" and "between 0 and 100" in message
    with pytest.raises(actions.ReturnFormError) as caught:
        actions.submit_return(ret, answers(ret, m01="35.2"), actor="link")
    assert "Enter a figure" in caught.value.errors[f"value-{m02.pk}"]
    ret.refresh_from_db()
    assert ret.status == "draft"
    assert not any(i.is_answered for i in ret.items.all())


def test_approval_turns_a_return_into_observations(collection, officer) -> None:
    ret = police_return(collection)
    actions.submit_return(ret, answers(ret, m01="35.2", m02="c"), actor="link", commentary="ok")
    ret.refresh_from_db()
    assert (ret.status, ret.submitted_by) == ("submitted", "link")
    summary = actions.approve_return(ret, user=officer)
    assert (summary.created, summary.revised) == (2, 0)
    stored = {o.measure.key: o for o in Observation.objects.select_related("measure")}
    assert stored["m01"].value == 35.2 and stored["m01"].area_code == "E10000034"
    assert stored["m01"].period == "Q1 2025/26" and stored["m01"].note == "about m01"
    assert stored["m02"].quality == "suppressed" and stored["m02"].value is None
    assert "West Mercia Police" in stored["m01"].source
    ret.refresh_from_db()
    assert (ret.status, ret.decided_by) == ("approved", officer)
    with pytest.raises(actions.ActionError):
        actions.approve_return(ret, user=officer)


def test_returned_with_comment_then_resubmitted(collection, officer) -> None:
    ret = police_return(collection)
    actions.submit_return(ret, answers(ret, m01="35.2", m02="50"), actor="link")
    with pytest.raises(actions.ReturnFormError):
        actions.return_with_comment(ret, "   ", user=officer)
    actions.return_with_comment(ret, "m02 looks too high", user=officer)
    ret.refresh_from_db()
    assert (ret.status, ret.officer_comment) == ("returned", "m02 looks too high")
    assert ret.is_editable
    actions.submit_return(ret, answers(ret, m01="35.2", m02="5.0"), actor="link")
    ret.refresh_from_db()
    assert ret.status == "submitted"
    assert Observation.objects.count() == 0


def test_a_later_approved_figure_is_a_revision(collection, officer) -> None:
    ret = police_return(collection)
    actions.submit_return(ret, answers(ret, m01="35.2", m02="50"), actor="link")
    actions.approve_return(ret, user=officer)
    actions.close_collection(collection, user=officer)
    obs = Observation.objects.get(measure__key="m01")
    with pytest.raises(actions.ActionError):
        actions.correct_after_close(obs, value=36.0, reason="", user=officer)
    actions.correct_after_close(obs, value=36.0, reason="police recounted", user=officer)
    revision = Revision.objects.get()
    assert (revision.old_value, revision.new_value, revision.reason) == (
        35.2,
        36.0,
        "police recounted",
    )
    ret.refresh_from_db()
    assert not ret.is_editable
    with pytest.raises(actions.ActionError):
        actions.submit_return(ret, answers(ret, m01="1", m02="1"), actor="link")


def test_overdue_returns(collection) -> None:
    ret = police_return(collection)
    assert ret.is_overdue(collection.due + timedelta(days=1))
    assert not ret.is_overdue(collection.due)


def test_one_time_link_works_once_and_expires(collection, officer) -> None:
    ret = police_return(collection)
    token = actions.create_access_link(ret, user=officer, sent_to="data@police.example")
    assert AccessLink.objects.get().token_digest != token
    assert actions.redeem_access_link(token) == ret
    with pytest.raises(actions.ActionError, match="already been used"):
        actions.redeem_access_link(token)
    with pytest.raises(actions.ActionError, match="not valid"):
        actions.redeem_access_link(token[:-2] + "xx")
    late = actions.create_access_link(ret, user=officer)
    AccessLink.objects.filter(used_at__isnull=True).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    with pytest.raises(actions.ActionError, match="expired"):
        actions.redeem_access_link(late)
