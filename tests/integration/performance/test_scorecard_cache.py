"""The kept scorecard: served again while nothing changed, made again at once when figures,
ratings, the plan, owners or admin edits change, and never shown to someone it was not
made for."""

from __future__ import annotations

import dataclasses
import re

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cypp.web.data.actions import assign_measure_owner, create_organisation, import_observations
from cypp.web.performance.actions import calculate_ratings, publish_review
from cypp.web.performance.pages import data_version
from cypp.web.plans.actions import plan_to_domain, store_plan
from cypp.web.plans.models import Measure

from .conftest import SLUG, WORCESTERSHIRE, batch, m01

pytestmark = pytest.mark.django_db

URL = f"/plans/{SLUG}/scorecard/?period=2014/15"
SELF_HARM = "Hospital admissions as a result of self-harm (10-24 years)"


@pytest.fixture
def stored(client, figures, officer):
    calculate_ratings(figures, "2014/15", actor="test")
    client.force_login(officer)
    return client


def _row(html: str, name: str) -> str:
    """The scorecard row of the measure called ``name``."""
    found = re.search(rf"<tr[^>]*>\s*<th[^>]*><a [^>]*>{re.escape(name)}</a>.*?</tr>", html, re.S)
    assert found, f"no row for {name}"
    return found.group(0)


def _page(client, url: str = URL) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_same_page_is_served_again_with_fewer_queries(stored):
    first = _page(stored)
    with CaptureQueriesContext(connection) as again:
        second = _page(stored)
    assert second == first
    # Session, user, roles (2), plan (policy and page), runs with the data version.
    assert not any("performance_storedrating" in q["sql"] for q in again.captured_queries)
    assert len(again.captured_queries) <= 7


def test_a_new_rating_run_shows_at_once(stored, figures):
    assert "409.1" in _row(_page(stored), SELF_HARM)
    import_observations(batch([m01(WORCESTERSHIRE, "2014/15", "300.5")]), plan=figures,
                        actor="test")  # fmt: skip
    # The stored run is shown as it was calculated until the next run.
    assert "409.1" in _row(_page(stored), SELF_HARM)
    calculate_ratings(figures, "2014/15", actor="test")
    row = _row(_page(stored), SELF_HARM)
    assert "300.5" in row and "409.1" not in row


def test_figures_without_a_stored_run_show_at_once(client, figures, officer):
    client.force_login(officer)
    assert "409.1" in _row(_page(client), SELF_HARM)
    import_observations(batch([m01(WORCESTERSHIRE, "2014/15", "300.5")]), plan=figures,
                        actor="test")  # fmt: skip
    assert "300.5" in _row(_page(client), SELF_HARM)


def test_a_plan_edit_shows_at_once(stored, figures):
    _page(stored)
    domain = plan_to_domain(figures)
    theme = domain.themes[0]
    renamed = [
        dataclasses.replace(m, name="Self-harm admissions, renamed") if m.id == "m01" else m
        for m in theme.measures
    ]
    themes = (dataclasses.replace(theme, measures=tuple(renamed)), *domain.themes[1:])
    store_plan(dataclasses.replace(domain, themes=themes), actor="test")
    html = _page(stored)
    assert "Self-harm admissions, renamed" in html and SELF_HARM not in html


def test_a_new_owner_shows_at_once(stored, figures, officer):
    assert "Children&#39;s Services" not in _row(_page(stored), SELF_HARM)
    organisation = create_organisation("Children's Services", user=officer)
    assign_measure_owner(Measure.objects.get(theme__plan=figures, key="m01"), organisation,
                         user=officer)  # fmt: skip
    assert "Children&#39;s Services" in _row(_page(stored), SELF_HARM)


def test_an_admin_site_edit_shows_at_once(stored, figures, officer):
    _page(stored)
    measure = Measure.objects.get(theme__plan=figures, key="m01")
    measure.name = "Renamed on the admin site"
    measure.save()
    LogEntry.objects.create(
        user=officer,
        content_type=ContentType.objects.get_for_model(measure),
        object_id=str(measure.pk),
        object_repr=str(measure),
        action_flag=CHANGE,
    )
    assert "Renamed on the admin site" in _page(stored)


def test_every_audited_action_changes_the_data_version(stored, figures):
    before = data_version()
    section = {"title": "Priority", "we_said": ["Fewer admissions"], "we_did": ["Opened a clinic"]}
    publish_review(figures, "2014/15", [section], actor="test")
    assert data_version() != before


def test_people_with_other_permissions_get_their_own_page(stored, client, board_member):
    assert "Calculate again" in _page(stored)
    client.force_login(board_member)
    html = _page(client)
    assert "Calculate again" not in html and "as calculated on" in html


def test_a_waiting_message_is_shown_on_a_kept_page(stored):
    _page(stored)
    response = stored.post(f"/plans/{SLUG}/ratings/", {"period": "2014/15"})
    assert "Ratings for 2014/15 calculated and stored." in _page(stored, response["Location"])
    assert "calculated and stored." not in _page(stored, response["Location"])


def test_calculating_starts_drawing_the_print_charts(client, figures, officer):
    from cypp.reports import charts, print_charts
    from cypp.reports.charts import has_chart, print_key, print_svg
    from cypp.web.performance.pages import load_pack

    charts.forget_drawn_charts()
    client.force_login(officer)
    assert client.post(f"/plans/{SLUG}/ratings/", {"period": "2014/15"}).status_code == 302
    lines = [m for m in load_pack(figures, "2014/15").pack.measures() if has_chart(m)]
    keys = [print_key(print_svg(m)) for m in lines]
    assert keys and all(k in print_charts._DRAWING or charts.printed_picture(k) for k in keys)
    pictures = print_charts.PrintCharts(lines)
    assert all(pictures.picture(k)[:3] == b"\xff\xd8\xff" for k in keys)
