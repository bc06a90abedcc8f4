"""The measure page: commentary sent with returns, and data quality flags."""

from __future__ import annotations

from datetime import date

import pytest

from cypp.web.data import actions as data
from cypp.web.data.actions import import_observations

from .conftest import SLUG, WORCESTERSHIRE, batch, m01

pytestmark = pytest.mark.django_db


def test_commentary_from_returns_is_shown_but_drafts_are_not(client, figures, officer):
    police = data.create_organisation("West Mercia Police", kind="police", user=officer)
    data.assign_measure_owner(data.plan_measures(figures)["m01"], police, user=officer)
    collection = data.open_collection(
        figures, "Q1 2025/26", due=date(2030, 7, 31), opens=date(2025, 7, 1), user=officer
    )
    ret = collection.returns.get(organisation=police)
    item = ret.items.get(measure__key="m01")
    data.save_return(ret, {item.pk: data.ItemAnswer("12.5", "Draft words")}, actor="link")
    client.force_login(officer)
    html = client.get(f"/plans/{SLUG}/measures/m01/").content.decode()
    assert "Draft words" not in html
    assert "No commentary has been sent" in html
    assert "West Mercia Police" in html  # the owner named on the page
    data.submit_return(ret, {item.pk: data.ItemAnswer("12.5", "Two new officers")}, actor="link")
    html = client.get(f"/plans/{SLUG}/measures/m01/").content.decode()
    assert "Q1 2025/26: West Mercia Police" in html and "Two new officers" in html


def test_provisional_revised_and_suppressed_figures_are_flagged(client, figures, officer):
    rows = [
        m01(WORCESTERSHIRE, "2015/16", "399.9", "provisional"),
        {"measure": "m01", "area_code": WORCESTERSHIRE, "period": "2016/17", "value": "c"},
    ]
    import_observations(batch(rows), plan=figures, actor="test")
    import_observations(
        batch([m01(WORCESTERSHIRE, "2013/14", "402")], "fix.csv"),
        plan=figures,
        actor="test",
        reason="publisher corrected the count",
    )
    client.force_login(officer)
    html = client.get(f"/plans/{SLUG}/measures/m01/").content.decode()
    flags = html.split("Data quality", 1)[1].split("Commentary", 1)[0]
    assert ">Provisional<" in flags
    assert "Suppressed (confidential" in flags
    assert ">Revised<" in flags and "401 → 402" in flags
    assert "publisher corrected the count" in flags
