"""The public page: published plans and checked figures only, in plain words, no login."""

from __future__ import annotations

import pytest

from cypp.domain.planfile import load_plan
from cypp.web.data.actions import import_observations
from cypp.web.performance.actions import calculate_ratings
from cypp.web.plans.actions import create_plan_from_domain
from tests.paths import EXAMPLES

from .conftest import SLUG, WORCESTERSHIRE, batch, m01

pytestmark = pytest.mark.django_db

DRAFT = "central-bedfordshire-2013-draft"


def test_published_plans_are_listed_and_drafts_are_not(client, plan):
    create_plan_from_domain(load_plan(EXAMPLES / f"{DRAFT}.yaml"), actor="test")
    response = client.get("/public/")
    assert response.status_code == 200
    text = response.content.decode()
    assert f"/public/{SLUG}/" in text
    assert DRAFT not in text
    assert client.get(f"/public/{DRAFT}/").status_code == 404


def test_the_page_says_results_in_words_without_login(client, figures):
    response = client.get(f"/public/{SLUG}/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Not on track." in text
    assert (
        "409.1 per 10,000 in 2014/15; our target was 377.5 per 10,000 or lower by 2014/15." in text
    )
    assert '<strong class="govuk-tag govuk-tag--red">Red</strong>' in text
    assert "Compared with the year before, this is getting worse." in text


def test_provisional_figures_never_reach_the_public_page(client, figures, officer):
    import_observations(
        batch([m01(WORCESTERSHIRE, "2015/16", "333.3", "provisional")], file="provisional.csv"),
        plan=figures,
        actor="test",
    )
    calculate_ratings(figures, "2015/16", actor="test")
    text = client.get(f"/public/{SLUG}/").content.decode()
    assert "333.3" not in text and "2015/16" not in text
    assert "409.1 per 10,000 in 2014/15" in text
    assert client.get(f"/public/{SLUG}/?period=2015/16").content.decode().count("333.3") == 0
    # Staff see the provisional figure on their own pages.
    client.force_login(officer)
    staff = client.get(f"/plans/{SLUG}/measures/m01/?period=2015/16").content.decode()
    assert "333.3" in staff and "Provisional" in staff


def test_a_plan_that_goes_back_to_draft_disappears(client, figures):
    figures.status = "draft"
    figures.save()
    assert client.get(f"/public/{SLUG}/").status_code == 404
    assert SLUG not in client.get("/public/").content.decode()


def test_internal_pages_ask_the_public_to_sign_in(client, figures):
    for page in ("performance", "scorecard", "exceptions", "review", "actions", "measures/m01"):
        response = client.get(f"/plans/{SLUG}/{page}/")
        assert response.status_code == 302, page
        assert "/sign-in/" in response["Location"]
    assert client.get(f"/plans/{SLUG}/board-pack.pdf").status_code == 302
