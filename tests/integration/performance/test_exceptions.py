"""Exception report: sign-off needs cause, recovery action, owner and review date for every
red, worsening or significantly worse measure; refused with what is missing, audited."""

from __future__ import annotations

import pytest

from cypp.web.audit.models import AuditEvent
from cypp.web.performance.actions import (
    NoteError,
    NoteInput,
    SignOffRefused,
    calculate_ratings,
    save_exception_note,
    sign_off_exceptions,
)
from cypp.web.performance.models import ExceptionNote, ExceptionSignOff
from cypp.web.performance.pages import load_pack
from cypp.web.plans.models import Measure

from .conftest import SLUG

pytestmark = pytest.mark.django_db

NAME = "Hospital admissions as a result of self-harm (10-24 years)"
FULL = NoteInput("More admissions of 15-17 year olds", "Targeted support in schools",
                 "Public health lead", "2015-09-30")  # fmt: skip


@pytest.fixture
def rated(figures):
    calculate_ratings(figures, "2014/15", actor="test")
    return figures


def _m01(plan):
    return Measure.objects.get(theme__plan=plan, key="m01")


def test_the_red_worsening_measure_is_an_exception_with_its_reasons(rated):
    pack = load_pack(rated, "2014/15").pack
    item = next(e for e in pack.exceptions if e.measure.id == "m01")
    assert item.reasons == (
        "Red rating",
        "Worsening since the previous period",
    )
    # The plan names no owner for this measure, so all four are missing.
    assert item.missing == ("cause", "recovery action", "owner", "review date")
    assert not pack.ready_for_sign_off


def test_sign_off_is_refused_listing_what_is_missing_and_changes_nothing(rated):
    with pytest.raises(SignOffRefused) as refused:
        sign_off_exceptions(rated, "2014/15", actor="test")
    assert refused.value.missing[NAME] == ("cause", "recovery action", "owner", "review date")
    assert NAME in str(refused.value)
    assert not ExceptionSignOff.objects.exists()
    assert not AuditEvent.objects.filter(verb="exceptions.sign_off").exists()

    save_exception_note(rated, "2014/15", _m01(rated), NoteInput(cause="A cause"), actor="test")
    with pytest.raises(SignOffRefused) as refused:
        sign_off_exceptions(rated, "2014/15", actor="test")
    assert refused.value.missing[NAME] == ("recovery action", "owner", "review date")


def test_sign_off_succeeds_once_every_exception_is_complete_and_is_audited(rated):
    pack = load_pack(rated, "2014/15").pack
    for item in pack.exceptions:
        measure = Measure.objects.get(theme__plan=rated, key=item.measure.id)
        save_exception_note(rated, "2014/15", measure, FULL, actor="test")
    sign_off = sign_off_exceptions(rated, "2014/15", actor="test")
    assert sign_off.run == load_pack(rated, "2014/15").run
    assert sign_off.notes["m01"]["cause"] == FULL.cause
    assert sign_off.notes["m01"]["review_date"] == "2015-09-30"
    event = AuditEvent.objects.get(verb="exceptions.sign_off")
    assert "m01" in event.detail["exceptions"]
    assert AuditEvent.objects.filter(verb="exception.note").count() == len(pack.exceptions)


def test_sign_off_needs_stored_ratings(figures):
    with pytest.raises(SignOffRefused, match="not been calculated"):
        sign_off_exceptions(figures, "2014/15", actor="test")


def test_a_bad_review_date_is_refused_and_nothing_is_saved(rated):
    with pytest.raises(NoteError) as error:
        save_exception_note(rated, "2014/15", _m01(rated), NoteInput(review_date="31/09/2015"))
    assert "review_date" in error.value.errors
    assert not ExceptionNote.objects.exists()


def test_the_page_refuses_sign_off_with_an_error_summary(client, rated, officer):
    client.force_login(officer)
    url = f"/plans/{SLUG}/exceptions/"
    response = client.post(url, {"period": "2014/15"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "There is a problem" in text
    assert f"{NAME}: enter the cause, recovery action, owner, review date" in text
    assert not ExceptionSignOff.objects.exists()


def test_the_note_form_saves_and_shows_date_errors(client, rated, officer):
    client.force_login(officer)
    url = f"/plans/{SLUG}/exceptions/m01/?period=2014/15"
    bad = {
        "period": "2014/15",
        "cause": "c",
        "recovery_action": "r",
        "owner": "o",
        "review_date-day": "31",
        "review_date-month": "9",
        "review_date-year": "2015",
    }
    response = client.post(url, bad)
    assert response.status_code == 400
    assert "Review date must be a real date" in response.content.decode()
    good = {**bad, "review_date-day": "30"}
    response = client.post(url, good)
    assert response.status_code == 302
    note = ExceptionNote.objects.get()
    assert (note.cause, note.review_date.isoformat()) == ("c", "2015-09-30")


def test_board_members_read_but_cannot_sign_off(client, rated, board_member):
    client.force_login(board_member)
    assert client.get(f"/plans/{SLUG}/exceptions/").status_code == 200
    assert client.post(f"/plans/{SLUG}/exceptions/", {"period": "2014/15"}).status_code == 403
    assert client.get(f"/plans/{SLUG}/exceptions/m01/").status_code == 403
    assert not ExceptionSignOff.objects.exists()
