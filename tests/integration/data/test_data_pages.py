"""The data pages through Django's test client: who may see what, and each form's errors."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cypp.web.data import actions
from cypp.web.data.models import Observation, Return

pytestmark = pytest.mark.django_db

GOOD_CSV = b"measure,area_code,period,value\nm02,E10000034,2013/14,61.5\nm02,E92000001,2013/14,60\n"
BAD_CSV = (
    b"measure,area_code,period,value\n"
    b"m02,E10000034,2013/14,161.5\n"
    b"m02,E10000034,2013/14,60\n"
    b"m02,E92000001,someday,abc\n"
)


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


def test_officer_pages_ask_for_sign_in_and_refuse_others(client, plan, django_user_model) -> None:
    url = reverse("data:upload", args=[plan.slug])
    response = client.get(url)
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    client.force_login(django_user_model.objects.create_user("partner", password="pw-long-1234"))
    assert client.get(url).status_code == 403
    assert "no returns to send" in client.get(reverse("data:home")).text


def test_sign_in_page(client, officer) -> None:
    response = client.post(reverse("account_login"), {"login": "officer", "password": "wrong"})
    assert response.status_code == 200 and "There is a problem" in response.text
    response = client.post(
        reverse("account_login"),
        {"login": "officer", "password": "a-long-test-password", "next": "/data/"},
    )
    assert response.status_code == 302 and response["Location"] == "/data/"


def test_upload_lists_every_problem_and_stores_nothing(officer_client, plan) -> None:
    response = officer_client.post(
        reverse("data:upload", args=[plan.slug]),
        {"file": SimpleUploadedFile("bad.csv", BAD_CSV, "text/csv")},
    )
    assert response.status_code == 400
    text = response.text
    assert "There is a problem" in text and "nothing was imported" in text
    for place in (
        "row 2, column &#39;value&#39;",
        "row 3, column &#39;measure&#39;",
        "row 4, column &#39;period&#39;",
        "row 4, column &#39;value&#39;",
    ):
        assert place in text
    assert len(re.findall(r'id="problem-\d+"', text)) == 4
    assert Observation.objects.count() == 0


def test_upload_success_shows_counts_and_reimport_changes_nothing(officer_client, plan) -> None:
    url = reverse("data:upload", args=[plan.slug])
    response = officer_client.post(url, {"file": SimpleUploadedFile("good.csv", GOOD_CSV)})
    assert response.status_code == 200
    assert "Figures imported" in response.text and "2 new, 0 revised, 0 unchanged" in response.text
    response = officer_client.post(url, {"file": SimpleUploadedFile("good.csv", GOOD_CSV)})
    assert "0 new, 0 revised, 2 unchanged" in response.text
    assert Observation.objects.count() == 2


def test_upload_without_a_file(officer_client, plan) -> None:
    response = officer_client.post(reverse("data:upload", args=[plan.slug]), {})
    assert response.status_code == 400 and "Select a file to upload" in response.text


def test_open_collection_form(officer_client, plan, partners) -> None:
    url = reverse("data:collections", args=[plan.slug])
    response = officer_client.post(url, {"period": "whenever", "due_day": "31"})
    assert response.status_code == 400
    assert "Enter the date returns are due" in response.text
    response = officer_client.post(
        url, {"period": "Q2 2025/26", "due_day": "31", "due_month": "10", "due_year": "2030"}
    )
    assert response.status_code == 302
    page = officer_client.get(response["Location"])
    assert "West Mercia Police" in page.text and "No return is overdue" in page.text
    again = officer_client.post(
        url, {"period": "Q2 2025/26", "due_day": "1", "due_month": "1", "due_year": "2031"}
    )
    assert again.status_code == 400 and "already exists" in again.text


def test_return_by_one_time_link_then_officer_approves(client, officer, collection) -> None:
    ret = collection.returns.get(organisation__slug="police")
    form_url = reverse("data:return", args=[ret.pk])
    assert client.get(form_url).status_code == 302  # no link, no account: sign in
    token = actions.create_access_link(ret, user=officer)
    response = client.get(reverse("data:link", args=[token]))
    assert response.status_code == 302 and response["Location"] == form_url
    assert client.get(reverse("data:link", args=[token])).status_code == 403
    items = {i.measure.key: i for i in ret.items.select_related("measure")}
    page = client.get(form_url)
    assert page.status_code == 200 and items["m01"].measure.name in page.text
    bad = {f"value-{items['m01'].pk}": "lots", f"value-{items['m02'].pk}": "", "action": "submit"}
    response = client.post(form_url, bad)
    assert response.status_code == 400
    assert f'href="#value-{items["m01"].pk}"' in response.text
    assert "Enter a number for" in response.text
    good = {
        f"value-{items['m01'].pk}": "35.2",
        f"value-{items['m02'].pk}": "48.5",
        f"commentary-{items['m02'].pk}": "new team in post",
        "action": "submit",
    }
    response = client.post(form_url, good)
    assert response.status_code == 302
    assert "Figures sent" in client.get(response["Location"]).text

    client.force_login(officer)
    review = reverse("data:review", args=[ret.pk])
    assert "new team in post" in client.get(review).text
    response = client.post(review, {"action": "approve"})
    assert response.status_code == 302
    assert Return.objects.get(pk=ret.pk).status == "approved"
    assert Observation.objects.filter(measure__key="m02").get().value == 48.5


def test_other_organisations_cannot_open_a_return(client, collection, django_user_model) -> None:
    ret = collection.returns.get(organisation__slug="police")
    nhs = collection.returns.get(organisation__slug="nhs").organisation
    member = django_user_model.objects.create_user("nurse", password="pw-long-1234")
    nhs.members.add(member)
    client.force_login(member)
    assert client.get(reverse("data:return", args=[ret.pk])).status_code == 403
    own = collection.returns.get(organisation__slug="nhs")
    assert client.get(reverse("data:return", args=[own.pk])).status_code == 200
    listing = client.get(reverse("data:home"))
    assert listing.status_code == 200 and "Your returns" in listing.text
    assert reverse("data:return", args=[own.pk]) in listing.text
    assert reverse("data:return", args=[ret.pk]) not in listing.text


def test_officer_returns_with_comment_and_sees_overdue(officer_client, collection) -> None:
    ret = collection.returns.get(organisation__slug="police")
    review = reverse("data:review", args=[ret.pk])
    items = list(ret.items.all())
    actions.submit_return(ret, {i.pk: actions.ItemAnswer("12") for i in items}, actor="test")
    response = officer_client.post(review, {"action": "return", "comment": ""})
    assert (
        response.status_code == 400 and "Say what the organisation needs to change" in response.text
    )
    officer_client.post(review, {"action": "return", "comment": "check m01"})
    assert Return.objects.get(pk=ret.pk).status == "returned"
    home = officer_client.get(reverse("data:home"))
    assert "Overdue returns" in home.text and "West Mercia Police" in home.text


def test_officer_chooses_who_reports_a_measure(officer_client, plan) -> None:
    from cypp.web.data.models import MeasureOwner, Organisation

    url = reverse("data:collections", args=[plan.slug])
    response = officer_client.post(url, {"action": "owner", "measure": "m01"})
    assert response.status_code == 400
    assert "Select an organisation, or enter the name of a new one" in response.text
    response = officer_client.post(
        url,
        {
            "action": "owner",
            "measure": "m01",
            "new_organisation": "Worcs Schools",
            "kind": "schools",
        },
    )
    assert response.status_code == 302
    schools = Organisation.objects.get(name="Worcs Schools")
    assert schools.kind == "schools"
    response = officer_client.post(
        url, {"action": "owner", "measure": "m02", "organisation": str(schools.pk)}
    )
    assert response.status_code == 302
    assert sorted(
        MeasureOwner.objects.filter(organisation=schools).values_list("measure__key", flat=True)
    ) == ["m01", "m02"]
    assert "Worcs Schools" in officer_client.get(url).text


def test_correction_after_close_needs_a_reason(officer_client, officer, collection) -> None:
    from cypp.web.data.models import Revision

    ret = collection.returns.get(organisation__slug="police")
    actions.submit_return(ret, {i.pk: actions.ItemAnswer("20") for i in ret.items.all()}, actor="t")
    actions.approve_return(ret, user=officer)
    actions.close_collection(collection, user=officer)
    page = officer_client.get(reverse("data:collection", args=[collection.pk]))
    obs = Observation.objects.get(measure__key="m01")
    assert reverse("data:correct", args=[obs.pk]) in page.text
    url = reverse("data:correct", args=[obs.pk])
    response = officer_client.post(url, {"value": "21", "reason": ""})
    assert response.status_code == 400 and "Say why the figure is being corrected" in response.text
    response = officer_client.post(url, {"value": "21", "reason": "late police data"})
    assert response.status_code == 302
    revision = Revision.objects.get()
    assert (revision.old_value, revision.new_value, revision.reason) == (20, 21, "late police data")
    assert "late police data" in officer_client.get(url).text
