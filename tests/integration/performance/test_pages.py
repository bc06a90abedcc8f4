"""The officer's pages: scorecard sorting and filters, calculation, annual review, actions
tracker and board pack downloads."""

from __future__ import annotations

import io
import re

import pytest
from docx import Document
from openpyxl import load_workbook

from cypp.web.audit.models import AuditEvent
from cypp.web.performance.actions import calculate_ratings
from cypp.web.performance.models import ActionUpdate, RatingRun, ReviewEntry, ReviewPublication
from cypp.web.plans.models import Action, Theme

from .conftest import SLUG

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, figures, officer):
    client.force_login(officer)
    return client


def _scorecard_names(html: str) -> list[str]:
    body = html.split('id="scorecard"', 1)[1]
    return re.findall(r'<th scope="row" class="govuk-table__header"><a [^>]*>([^<]+)</a>', body)


def test_the_scorecard_lists_every_measure_and_filters_by_rating(signed_in):
    html = signed_in.get(f"/plans/{SLUG}/scorecard/").content.decode()
    assert len(_scorecard_names(html)) == 32
    assert "Showing 32 of 32 measures." in html
    red = signed_in.get(f"/plans/{SLUG}/scorecard/?period=2014/15&rating=Red").content.decode()
    names = _scorecard_names(red)
    assert names == ["Hospital admissions as a result of self-harm (10-24 years)"]


def test_the_scorecard_sorts_on_the_server_and_says_so(signed_in):
    url = f"/plans/{SLUG}/scorecard/?period=2014/15&sort=measure"
    up = _scorecard_names(signed_in.get(url + "&order=asc").content.decode())
    down = _scorecard_names(signed_in.get(url + "&order=desc").content.decode())
    assert up == sorted(up, key=str.lower) and down == list(reversed(up))
    html = signed_in.get(url + "&order=asc").content.decode()
    assert 'aria-sort="ascending"' in html
    first = _scorecard_names(signed_in.get(url.replace("measure", "rating")).content.decode())
    assert first[0].startswith("Hospital admissions")


def test_the_scorecard_filters_by_theme_and_owner(signed_in, figures):
    theme = Theme.objects.filter(plan=figures).first()
    html = signed_in.get(f"/plans/{SLUG}/scorecard/", {"theme": theme.title}).content.decode()
    assert len(_scorecard_names(html)) == theme.measures.count()
    html = signed_in.get(f"/plans/{SLUG}/scorecard/", {"owner": "Nobody"}).content.decode()
    assert "No measure matches these filters." in html


def test_officers_calculate_ratings_from_the_page(signed_in):
    html = signed_in.get(f"/plans/{SLUG}/scorecard/").content.decode()
    assert "have not been stored" in html
    response = signed_in.post(f"/plans/{SLUG}/ratings/", {"period": "2014/15"})
    assert response.status_code == 302
    run = RatingRun.objects.get()
    assert run.period == "2014/15"
    html = signed_in.get(response["Location"]).content.decode()
    assert "as calculated on" in html and "Ratings for 2014/15 calculated and stored." in html
    refused = signed_in.post(f"/plans/{SLUG}/ratings/", {"period": "1999"})
    assert refused.status_code == 400 and "Select the period to rate" in refused.content.decode()
    assert RatingRun.objects.count() == 1


def test_the_measure_page_shows_chart_table_and_provenance(signed_in, figures):
    calculate_ratings(figures, "2014/15", actor="test")
    html = signed_in.get(f"/plans/{SLUG}/measures/m01/?period=2014/15").content.decode()
    assert 'role="img"' in html and "<svg" in html
    assert "Figures for Hospital admissions" in html
    assert '<th scope="row" class="govuk-table__header">2013/14</th>' in html
    assert "Rule version" in html and "cypp-ratings/" in html
    assert "Figures read" in html
    assert signed_in.get(f"/plans/{SLUG}/measures/nope/").status_code == 404


def test_the_annual_review_is_generated_edited_and_published(signed_in, figures):
    html = signed_in.get(f"/plans/{SLUG}/review/?period=2014/15").content.decode()
    assert "We said" in html and "Outcome:" in html
    assert "Hospital admissions as a result of self-harm (10-24 years): 409.1 per 10,000" in html
    theme = Theme.objects.filter(plan=figures).order_by("position").first()
    url = f"/plans/{SLUG}/review/{theme.pk}/?period=2014/15"
    assert (
        signed_in.post(url, {"period": "2014/15", "we_said": "", "we_did": "x"}).status_code == 400
    )
    response = signed_in.post(url, {"period": "2014/15", "we_said": "Said one\nSaid two",
                                    "we_did": "Did one"})  # fmt: skip
    assert response.status_code == 302
    assert ReviewEntry.objects.get().we_said == "Said one\nSaid two"
    html = signed_in.get(f"/plans/{SLUG}/review/?period=2014/15").content.decode()
    assert "<li>Said two</li>" in html
    signed_in.post(f"/plans/{SLUG}/review/", {"period": "2014/15"})
    published = ReviewPublication.objects.get()
    assert published.sections[0]["we_did"] == ["Did one"]
    assert AuditEvent.objects.filter(verb="review.publish").count() == 1
    assert AuditEvent.objects.filter(verb="review.edit").count() == 1


def test_action_updates_change_the_tracker_and_survive_a_reload(signed_in, figures):
    action = Action.objects.filter(theme__plan=figures).first()
    url = f"/plans/{SLUG}/actions/{action.pk}/"
    response = signed_in.post(url, {"status": "", "text": ""})
    assert response.status_code == 400
    assert "Select the action&#39;s status" in response.content.decode()
    response = signed_in.post(url, {"status": "at_risk", "text": "Recruitment delayed"})
    assert response.status_code == 302
    html = signed_in.get(f"/plans/{SLUG}/actions/").content.decode()
    assert "Recruitment delayed" in html and ">At risk</strong>" in html
    update = ActionUpdate.objects.get()
    assert update.action_title == action.title
    assert AuditEvent.objects.get(verb="action.update").detail["status"] == "at_risk"


@pytest.mark.parametrize(
    ("fmt", "media"),
    [
        ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("html", "text/html; charset=utf-8"),
    ],
)
def test_board_pack_downloads(signed_in, figures, fmt, media):
    calculate_ratings(figures, "2014/15", actor="test")
    response = signed_in.get(f"/plans/{SLUG}/board-pack.{fmt}?period=2014/15")
    assert response.status_code == 200
    assert response["Content-Type"] == media
    assert f"board-pack-2014-15.{fmt}" in response["Content-Disposition"]
    body = response.content
    if fmt == "docx":
        text = "\n".join(p.text for p in Document(io.BytesIO(body)).paragraphs)
        assert "board report for 2014/15" in text
    elif fmt == "xlsx":
        sheets = load_workbook(io.BytesIO(body)).sheetnames
        assert "Scorecard" in sheets and "Exceptions" in sheets
    else:
        assert b"Hospital admissions as a result of self-harm" in body
    assert signed_in.get(f"/plans/{SLUG}/board-pack.txt").status_code == 404


def test_the_overview_names_the_figure_a_rating_judged_when_a_newer_one_exists(signed_in, figures):
    from cypp.web.data.actions import import_observations

    from .conftest import WORCESTERSHIRE, batch, m01

    import_observations(batch([m01(WORCESTERSHIRE, "2017/18", "344.1")]), plan=figures, actor="t")
    calculate_ratings(figures, "2017/18", actor="test")
    html = signed_in.get(f"/plans/{SLUG}/performance/?period=2017/18").content.decode()
    row = html.split("Hospital admissions as a result of self-harm", 1)[1].split("</tr>", 1)[0]
    assert "344.1 per 10,000" in row and "(2017/18)" in row
    assert "Rated on 409.1 per 10,000 (2014/15)" in row
