"""Comments on the measure page and on the measure's comments page."""

from __future__ import annotations

import pytest

from cypp.web.accounts import actions as accounts
from cypp.web.accounts.roles import Role
from cypp.web.audit.models import AuditEvent
from cypp.web.data import actions as data
from cypp.web.performance.models import MeasureComment

from .conftest import SLUG

pytestmark = pytest.mark.django_db
MEASURE = f"/plans/{SLUG}/measures/m01/"
COMMENTS = f"/plans/{SLUG}/measures/m01/comments/"


def test_board_member_comments_from_the_measure_page(client, figures, board_member):
    client.force_login(board_member)
    page = client.get(MEASURE).text
    assert 'id="comments"' in page and "No one has commented on this measure yet" in page
    assert 'class="govuk-textarea govuk-js-character-count' in page and 'name="text"' in page
    response = client.post(
        COMMENTS, {"text": "Why did admissions rise?\nPlease explain.", "back": "measure"}
    )
    assert response.status_code == 302 and response["Location"] == MEASURE + "#comments"
    page = client.get(MEASURE).text
    assert "board, board member" in page
    assert '<p class="govuk-body">Why did admissions rise?</p>' in page
    assert "Your comment has been added." in page
    event = AuditEvent.objects.get(verb="measure.comment")
    assert event.actor == board_member and event.detail["measure"] == "m01"


def test_an_empty_comment_is_an_error_linked_to_the_field(client, figures, board_member):
    client.force_login(board_member)
    response = client.post(COMMENTS, {"text": "   ", "back": "measure"})
    assert response.status_code == 400
    assert "There is a problem" in response.text and 'href="#text"' in response.text
    assert "<title>Error: Comments on" in response.text
    too_long = client.post(COMMENTS, {"text": "x" * 2001})
    assert too_long.status_code == 400 and "2,000 characters or fewer" in too_long.text
    assert not MeasureComment.objects.exists()


def test_measure_owner_comments_on_own_measures_only(client, figures, officer):
    police = data.create_organisation("West Mercia Police", kind="police", user=officer)
    data.assign_measure_owner(data.plan_measures(figures)["m01"], police, user=officer)
    owner = accounts.add_user("owner", Role.MEASURE_OWNER, organisation=police)
    client.force_login(owner)
    assert client.get(MEASURE).status_code == 403  # the board's page is not theirs to read
    response = client.post(COMMENTS, {"text": "Figures come in June."})
    assert response.status_code == 302 and response["Location"] == COMMENTS
    page = client.get(COMMENTS).text
    assert "Figures come in June." in page and "owner, measure owner" in page
    assert client.post(f"/plans/{SLUG}/measures/m02/comments/", {"text": "x"}).status_code == 403
    assert MeasureComment.objects.count() == 1


def test_public_is_sent_to_sign_in_and_cannot_comment(client, figures):
    response = client.post(COMMENTS, {"text": "hello"})
    assert response.status_code == 302 and "/account/sign-in/" in response["Location"]
    assert not MeasureComment.objects.exists()


def test_officer_sees_comments_and_form(client, figures, officer, board_member):
    from cypp.web.performance.actions import add_comment
    from cypp.web.plans.models import Measure

    add_comment(Measure.objects.get(key="m01"), "Board view", user=board_member)
    client.force_login(officer)
    page = client.get(MEASURE).text
    assert "Board view" in page and 'name="text"' in page


def test_the_comment_forms_carry_the_csrf_token(figures, board_member):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(board_member)
    for page in (MEASURE, COMMENTS):
        assert 'name="csrfmiddlewaretoken"' in client.get(page).text.split('name="text"')[0]
