"""Consultations, stories, moderation and the children's page through the web app."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.test import Client

from cypp.domain.plan import Plan
from cypp.voice.readability import CHILD_GRADE, assess
from cypp.web.audit.models import AuditEvent
from cypp.web.plans import models as pm
from cypp.web.plans.actions import store_plan
from cypp.web.voice import actions
from cypp.web.voice import models as vm

pytestmark = pytest.mark.django_db

CHILD_WORDS = {
    0: ("Eating well, moving more and being healthy.", "More of you play sport now."),
    1: ("Doing your best at school.", "More of you got good marks this year."),
    2: ("Getting help early when things go wrong.", "Help now comes sooner."),
    3: ("Being kept safe from harm.", "Fewer of you were hurt at home."),
    4: ("Living in a safe and happy home.", "More of you found a new family."),
    5: ("Being ready for work and grown-up life.", "More of you have a job or a course."),
    6: ("Knowing where to go for help.", "It is now easier to find help online."),
}


@pytest.fixture
def plan(worcestershire: Plan) -> pm.Plan:
    store_plan(worcestershire, actor="test")
    return pm.Plan.objects.get(slug=worcestershire.id)


@pytest.fixture
def themes(plan: pm.Plan) -> list[pm.Theme]:
    return list(pm.Theme.objects.filter(plan=plan, section=pm.Theme.THEMES).order_by("position"))


@pytest.fixture
def officer(django_user_model) -> Client:  # type: ignore[no-untyped-def]
    user = django_user_model.objects.create_user("officer", password="x", is_staff=True)
    client = Client()
    client.force_login(user)
    return client


def _story(client: Client, plan: pm.Plan, theme: pm.Theme, text: str, **extra: str):  # type: ignore[no-untyped-def]
    data = {
        "teller": "child or young person",
        "theme": theme.key,
        "what_changed": text,
        "for_whom": "me and my friends",
        "consent": "yes",
        "age_group": "11 to 15",
    } | extra
    return client.post(f"/children/{plan.slug}/tell-us/", data)


def test_consultation_recorded_and_shown_to_officers(
    plan: pm.Plan, themes: list[pm.Theme], officer: Client
) -> None:
    form = {
        "title": "Make Your Mark 2013",
        "run_by": "Worcestershire Youth Cabinet",
        "held_from": "2013-09-01",
        "held_to": "2013-10-31",
        "method": "ballot",
        "age_0": "20",
        "age_1": "150",
        "age_2": "30",
        f"agreed_{themes[1].key}": "180",
        f"asked_{themes[1].key}": "197",
        "issues": "Bullying\nWork experience\nMental health",
    }
    response = officer.post(f"/voice/{plan.slug}/consultations/new/", form)
    assert response.status_code == 302
    consultation = vm.Consultation.objects.get(plan=plan)
    assert consultation.participants == 200
    agreement = consultation.agreements.get()
    assert (agreement.theme, agreement.agreed, agreement.asked) == (themes[1], 180, 197)
    assert [i.issue for i in consultation.ranked_issues.all()] == [
        "Bullying",
        "Work experience",
        "Mental health",
    ]
    assert AuditEvent.objects.filter(verb="voice.consultation.record").count() == 1
    page = officer.get(f"/voice/{plan.slug}/").content.decode()
    assert "180 of 197 (91.4%)" in page


def test_impossible_consultation_is_refused_and_nothing_written(
    plan: pm.Plan, themes: list[pm.Theme], officer: Client
) -> None:
    form = {"title": "Survey", "run_by": "Council", "held_from": "2014-01-01",
            "held_to": "2014-01-31", "method": "survey", "age_1": "50",
            f"agreed_{themes[0].key}": "60", f"asked_{themes[0].key}": "50"}  # fmt: skip
    response = officer.post(f"/voice/{plan.slug}/consultations/new/", form)
    assert response.status_code == 400
    assert "must be between 0 and" in response.content.decode()
    assert vm.Consultation.objects.count() == 0


def test_staff_pages_need_a_staff_login(plan: pm.Plan) -> None:
    for path in ("", "consultations/new/", "stories/", "summary/2026/10/"):
        response = Client().get(f"/voice/{plan.slug}/{path}")
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]


def test_story_is_screened_moderated_and_published_without_names(
    plan: pm.Plan, themes: list[pm.Theme], officer: Client
) -> None:
    response = _story(
        Client(), plan, themes[1], "My friend Tyler and I feel safer walking home now"
    )
    assert response.status_code == 302
    story = vm.Story.objects.get()
    assert story.status == "pending" and [f["text"] for f in story.flags] == ["Tyler"]
    children = Client().get(f"/children/{plan.slug}/").content.decode()
    assert "walking home" not in children  # nothing unmoderated is public

    page = officer.get(f"/voice/{plan.slug}/stories/{story.pk}/").content.decode()
    assert "possible name “Tyler”" in page
    refused = officer.post(f"/voice/{plan.slug}/stories/{story.pk}/", {"decision": "published"})
    assert refused.status_code == 400
    assert vm.Story.objects.get(pk=story.pk).status == "pending"
    done = officer.post(
        f"/voice/{plan.slug}/stories/{story.pk}/",
        {"decision": "published", "cleared_flags": "on", "note": "name removed"},
    )
    assert done.status_code == 302
    event = AuditEvent.objects.get(verb="voice.story.moderate")
    assert event.detail["to"] == "published" and event.actor.username == "officer"
    children = Client().get(f"/children/{plan.slug}/").content.decode()
    assert "My friend [name removed] and I feel safer walking home now" in children
    assert "Tyler" not in children


def test_bad_and_flooding_submissions_are_refused_with_messages(
    plan: pm.Plan, themes: list[pm.Theme]
) -> None:
    client = Client()
    empty = _story(client, plan, themes[0], "")
    assert empty.status_code == 400 and "Tell us what changed" in empty.content.decode()
    huge = _story(client, plan, themes[0], "x" * 2001)
    assert huge.status_code == 400 and "2,000 characters or fewer" in huge.content.decode()
    robot = _story(client, plan, themes[0], "Buy cheap things at my shop today", website="x")
    assert "could not be sent" in robot.content.decode()
    assert vm.Story.objects.count() == 0
    for n in range(actions.STORIES_PER_HOUR):
        assert _story(client, plan, themes[0], f"Story number {n} about school").status_code == 302
    flood = _story(client, plan, themes[0], "One story too many about school")
    assert flood.status_code == 429
    assert "the ones you sent are safe" in flood.content.decode()
    assert vm.Story.objects.count() == actions.STORIES_PER_HOUR


def test_monthly_summary_counts_by_priority(
    plan: pm.Plan, themes: list[pm.Theme], officer: Client
) -> None:
    now = datetime(2026, 10, 5, 9, tzinfo=UTC)
    for n, theme in enumerate([themes[0], themes[0], themes[3]]):
        actions.submit_story(plan, theme, teller=actions.s.Teller.PARENT,
                             what_changed=f"Things got better at home, story {n}",
                             for_whom="my son", consent_to_publish=True, age_group="",
                             address=f"10.0.0.{n}", now=now)  # fmt: skip
    page = officer.get(f"/voice/{plan.slug}/summary/2026/10/").content.decode()
    rows = re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", page, re.S)
    cells = [re.findall(r">([^<>]+)</t[hd]>", row) for row in rows[1:]]
    assert [c[1:] for c in cells] == [["2", "0"], ["1", "0"]]


def test_children_page_reads_at_age_ten_and_shows_the_village(
    plan: pm.Plan, themes: list[pm.Theme], officer: Client
) -> None:
    for index, theme in enumerate(themes):
        words, changed = CHILD_WORDS[index]
        response = officer.post(
            f"/voice/{plan.slug}/wording/{theme.key}/",
            {"plain_words": words, "what_changed": changed},
        )
        assert response.status_code == 302, response.content.decode()[:2000]
    neet = pm.Measure.objects.get(theme__plan=plan, key="m27")
    would = "would not be in education, employment or training"
    vm.VillageFigure.objects.create(plan=plan, measure=neet, would=would)
    page = Client().get(f"/children/{plan.slug}/").content.decode()
    main = re.search(r"<main.*?</main>", page, re.S).group(0)  # type: ignore[union-attr]
    text = re.sub(r"<svg.*?</svg>|<span class=\"govuk-body-s\">.*?</span>", " ", main, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    reading = assess(text)
    assert reading.grade <= CHILD_GRADE, reading
    assert "5 children would not be in education, employment or training." in page
    assert "4.7% of 100 children is 4.7; rounded to 5" in page
    assert actions.latest_value(neet, plan.area_ons_code) == (Decimal("4.7"), "2012/13")


def test_hard_officer_wording_needs_confirmation(
    plan: pm.Plan, themes: list[pm.Theme], officer: Client
) -> None:
    hard = ("The partnership will commission evidence-based interventions addressing the "
            "differential prevalence of excess weight between deprivation quintiles.")  # fmt: skip
    response = officer.post(f"/voice/{plan.slug}/wording/{themes[3].key}/", {"plain_words": hard})
    assert response.status_code == 400
    assert "pages should read at age 10" in response.content.decode()
    assert not vm.ChildWording.objects.exists()
    kept = officer.post(
        f"/voice/{plan.slug}/wording/{themes[3].key}/",
        {"plain_words": hard, "accept_reading_age": "on"},
    )
    assert kept.status_code == 302 and vm.ChildWording.objects.count() == 1


def test_admin_edits_of_childrens_wording_are_in_the_audit_log(
    plan: pm.Plan, themes: list[pm.Theme]
) -> None:
    from cypp.web.accounts import actions as accounts
    from cypp.web.accounts.roles import Role

    row = actions.set_child_wording(
        themes[0], title="Being healthy", plain_words="Eating well.", what_changed="", actor="t"
    )
    admin_user = accounts.add_user("admin", Role.ADMINISTRATOR, password="an-admin-password")
    client = Client()
    client.force_login(admin_user)
    url = f"/admin/voice/childwording/{row.pk}/change/"
    form = {"theme": themes[0].pk, "title": "Being healthy and happy",
            "plain_words": "Eating well.", "what_changed": ""}  # fmt: skip
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.filter(verb="admin.change").get()
    assert event.actor == admin_user and event.object_type == "voice.childwording"
    assert event.object_id == str(row.pk) and "Title" in str(event.detail["change"])
    client.post(f"/admin/voice/childwording/{row.pk}/delete/", {"post": "yes"})
    deleted = AuditEvent.objects.get(verb="admin.delete")
    assert deleted.object_id == str(row.pk) and deleted.actor == admin_user
