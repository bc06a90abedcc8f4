"""Import review through the web app: upload, decide, correct, create — on SQLite and
PostgreSQL (set DATABASE_URL)."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from cypp.importer.pipeline import import_document
from cypp.web.audit.models import AuditEvent
from cypp.web.imports.models import ImportDraft
from cypp.web.plans import models as pm
from tests.paths import SHARED

pytestmark = pytest.mark.django_db

PLAN_DOCS = sorted((SHARED / "plans" / "docs").glob("*.txt"))


@pytest.fixture(scope="module")
def plan_docs() -> list[Path]:
    if len(PLAN_DOCS) != 5:
        pytest.fail(f"expected the five shared plan texts, found {len(PLAN_DOCS)}")
    return PLAN_DOCS


@pytest.fixture
def officer(django_user_model) -> Client:  # type: ignore[no-untyped-def]
    user = django_user_model.objects.create_user("officer", password="x", is_staff=True)
    client = Client()
    client.force_login(user)
    client.user = user  # type: ignore[attr-defined]
    return client


def upload(client: Client, name: str, data: bytes):  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(reverse("imports:upload"), {"file": SimpleUploadedFile(name, data)})


def uploaded(client: Client, path: Path) -> ImportDraft:
    response = upload(client, path.name, path.read_bytes())
    assert response.status_code == 302, response.content.decode()[:2000]
    draft = ImportDraft.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))
    return draft


def review_post(client: Client, draft: ImportDraft, action: str = "save", **fields: str):  # type: ignore[no-untyped-def]
    data = {f"plan-{name}": value for name, value in draft.header.items()}
    data["action"] = action
    data.update(fields)
    return client.post(reverse("imports:review", args=[draft.pk]), data)


def accept_everything(client: Client, draft: ImportDraft) -> None:
    response = review_post(client, draft, "accept_high")
    assert response.status_code == 302
    draft.refresh_from_db()
    rest = {
        f"decision-{item['key']}": "accepted"
        for item in draft.items
        if item["key"] not in draft.decisions
    }
    assert review_post(client, draft, **rest).status_code == 302
    draft.refresh_from_db()
    assert len(draft.decisions) == len(draft.items)


def create(client: Client, draft: ImportDraft):  # type: ignore[no-untyped-def]
    return client.post(reverse("imports:create", args=[draft.pk]))


def measure_key(draft: ImportDraft, nth: int = 0) -> str:
    return [item["key"] for item in draft.items if item["kind"] == "measure"][nth]


def test_each_shared_plan_accepted_whole_has_its_measures(
    officer: Client, plan_docs: list[Path]
) -> None:
    for path in plan_docs:
        expected = import_document(path).plan
        draft = uploaded(officer, path)
        accept_everything(officer, draft)
        response = create(officer, draft)
        assert response.status_code == 302, response.content.decode()[:3000]
        plan = pm.Plan.objects.get(slug=expected["id"])
        assert response["Location"] == reverse("plans:detail", args=[plan.slug])
        assert plan.source_file == path.name
        assert plan.status == "draft"
        stored = {
            m.key: m
            for m in pm.Measure.objects.filter(theme__plan=plan).prefetch_related("targets")
        }
        extracted = [m for t in expected["themes"] for m in t.get("measures", [])]
        assert len(stored) == len(extracted), path.name
        assert len(extracted) > 0
        for m in extracted:
            row = stored[m["id"]]
            assert row.name == m["name"]
            assert row.quote == m.get("quote")
            baseline = (m.get("baseline") or {}).get("value")
            if baseline is not None:
                assert Decimal(str(row.baseline_value)) == Decimal(str(baseline)), m["id"]
            if m.get("target"):
                assert row.targets.first().kind == m["target"]["kind"]
        event = AuditEvent.objects.get(verb="plan.create", object_id=str(plan.pk))
        assert event.detail["source"] == path.name
        assert event.actor == officer.user  # type: ignore[attr-defined]
        draft.refresh_from_db()
        assert draft.status == "created" and draft.plan == plan
        assert draft.outcome_counts == {"accepted": len(draft.items), "corrected": 0, "rejected": 0}


def test_rejected_items_are_left_out_and_counted(officer: Client, plan_docs: list[Path]) -> None:
    draft = uploaded(officer, plan_docs[2])
    accept_everything(officer, draft)
    measure = measure_key(draft, 1)
    action = next(item["key"] for item in draft.items if item["kind"] == "action")
    review_post(
        officer, draft, **{f"decision-{measure}": "rejected", f"decision-{action}": "rejected"}
    )
    page = officer.get(reverse("imports:create", args=[draft.pk])).content.decode()
    assert "2 rejected items will be left out of the plan" in page
    assert create(officer, draft).status_code == 302
    plan = pm.Plan.objects.get(slug=draft.header["id"])
    item = next(item for item in draft.items if item["key"] == measure)
    gone = draft.plan_data["themes"][item["theme"]]["measures"][item["index"]]
    keys = set(pm.Measure.objects.filter(theme__plan=plan).values_list("key", flat=True))
    assert gone["id"] not in keys
    total = sum(len(t.get("measures", [])) for t in draft.plan_data["themes"])
    assert len(keys) == total - 1
    actions = pm.Action.objects.filter(theme__plan=plan).count()
    assert actions == sum(len(t.get("actions", [])) for t in draft.plan_data["themes"]) - 1
    draft.refresh_from_db()
    assert draft.outcome_counts["rejected"] == 2


def _measure_form(client: Client, draft: ImportDraft, key: str) -> dict[str, str]:
    page = client.get(reverse("imports:correct", args=[draft.pk, key]))
    assert page.status_code == 200
    from cypp.web.imports import review

    item = next(item for item in draft.items if item["key"] == key)
    return review.measure_values(review.extracted(draft.plan_data, item))


def test_correction_with_a_bad_period_is_refused_naming_the_field(
    officer: Client, plan_docs: list[Path]
) -> None:
    draft = uploaded(officer, plan_docs[2])
    key = measure_key(draft)
    values = _measure_form(officer, draft, key) | {
        "target_kind": "value",
        "target_period": "Q5 2014",
    }
    response = officer.post(reverse("imports:correct", args=[draft.pk, key]), values)
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert 'href="#target_period"' in page
    assert re.search(
        r'id="target_period-error"[^>]*>\s*<span[^>]*>Error:</span>\s*Target period:', page
    )
    assert "quarter 5" in page
    draft.refresh_from_db()
    assert draft.decisions == {}
    assert not AuditEvent.objects.filter(verb="import.correct").exists()
    assert pm.Plan.objects.count() == 0

    values["target_period"] = "2016/17"
    values["baseline_value"] = "about forty"
    response = officer.post(reverse("imports:correct", args=[draft.pk, key]), values)
    assert response.status_code == 400
    assert "Baseline value must be a number" in response.content.decode()

    values["target_kind"] = "comparator"
    values["baseline_value"] = "40"
    values["target_value"] = ""
    values["comparator"] = ""
    response = officer.post(reverse("imports:correct", args=[draft.pk, key]), values)
    assert response.status_code == 400
    assert "Comparator: a comparator target must name its comparator" in response.content.decode()
    draft.refresh_from_db()
    assert draft.decisions == {}


def test_a_correction_is_stored_exactly(officer: Client, plan_docs: list[Path]) -> None:
    draft = uploaded(officer, plan_docs[2])
    key = measure_key(draft)
    values = _measure_form(officer, draft, key) | {
        "name": "Children with a child protection plan (corrected)",
        "unit": "rate_per_10000",
        "polarity": "lower_is_better",
        "baseline_value": "1,377.50",
        "baseline_period": "March 2014",
        "target_kind": "value",
        "target_value": "31",
        "target_period": "2014/15",
        "bound": "at_most",
    }
    response = officer.post(reverse("imports:correct", args=[draft.pk, key]), values)
    assert response.status_code == 302
    assert response["Location"].endswith(f"#item-{key}")
    draft.refresh_from_db()
    assert draft.decisions[key]["decision"] == "corrected"
    accept_everything(officer, draft)
    assert draft.decisions[key]["decision"] == "corrected"
    assert create(officer, draft).status_code == 302
    item = next(item for item in draft.items if item["key"] == key)
    measure_id = draft.plan_data["themes"][item["theme"]]["measures"][item["index"]]["id"]
    row = pm.Measure.objects.get(theme__plan__slug=draft.header["id"], key=measure_id)
    assert row.name == "Children with a child protection plan (corrected)"
    assert (row.unit, row.polarity) == ("rate_per_10000", "lower_is_better")
    assert row.baseline_value == Decimal("1377.50")
    assert row.baseline_period.label == "March 2014"
    target = row.targets.get()
    assert (target.kind, target.value, target.period.label, target.bound) == (
        "value",
        31,
        "2014/15",
        "at_most",
    )
    event = AuditEvent.objects.get(verb="import.correct")
    assert event.detail["item"] == key


def test_outcome_title_correction(officer: Client, plan_docs: list[Path]) -> None:
    draft = uploaded(officer, plan_docs[0])
    key = next(item["key"] for item in draft.items if item["kind"] == "outcome")
    url = reverse("imports:correct", args=[draft.pk, key])
    assert officer.post(url, {"title": "  "}).status_code == 400
    assert officer.post(url, {"title": "Better achievement"}).status_code == 302
    accept_everything(officer, draft)
    create(officer, draft)
    titles = pm.Outcome.objects.filter(theme__plan__slug=draft.header["id"]).values_list(
        "title", flat=True
    )
    assert "Better achievement" in titles


def test_bad_header_is_refused_naming_the_field(officer: Client, plan_docs: list[Path]) -> None:
    draft = uploaded(officer, plan_docs[2])
    key = measure_key(draft)
    response = review_post(
        officer, draft, **{"plan-period": "sometime soon", f"decision-{key}": "rejected"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'href="#plan-period"' in page and "Plan period:" in page
    draft.refresh_from_db()
    assert draft.decisions == {}
    assert draft.header["period"] != "sometime soon"
    response = review_post(officer, draft, **{"plan-id": "not a slug!"})
    assert response.status_code == 400
    assert "Plan id must use only letters" in response.content.decode()


def test_undecided_items_refuse_the_plan(officer: Client, plan_docs: list[Path]) -> None:
    draft = uploaded(officer, plan_docs[4])
    review_post(officer, draft, "accept_high")
    draft.refresh_from_db()
    undecided = [item for item in draft.items if item["key"] not in draft.decisions]
    assert undecided, "the Leicestershire review has low-confidence measures"
    response = create(officer, draft)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Accept, correct or reject the measure" in page
    assert f"#item-{undecided[0]['key']}" in page
    assert pm.Plan.objects.count() == 0
    draft.refresh_from_db()
    assert draft.status == "reviewing"


def test_the_same_draft_creates_one_plan(officer: Client, plan_docs: list[Path]) -> None:
    draft = uploaded(officer, plan_docs[3])
    accept_everything(officer, draft)
    first = create(officer, draft)
    second = create(officer, draft)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert pm.Plan.objects.count() == 1
    assert AuditEvent.objects.filter(verb="plan.create").count() == 1
    assert AuditEvent.objects.filter(verb="plan.update").count() == 0
    # A finished draft shows what happened and takes no more decisions.
    page = officer.get(reverse("imports:review", args=[draft.pk])).content.decode()
    assert "Plan created" in page

    # The same document again is refused while its plan id is taken.
    again = uploaded(officer, plan_docs[3])
    accept_everything(officer, again)
    response = create(officer, again)
    assert response.status_code == 400
    assert f"A plan with the id {again.header['id']} already exists" in response.content.decode()
    assert pm.Plan.objects.count() == 1
    review_post(officer, again, **{"plan-id": "buckinghamshire-second-reading"})
    assert create(officer, again).status_code == 302
    assert pm.Plan.objects.count() == 2


@pytest.mark.parametrize(
    ("name", "data", "problem"),
    [
        ("empty.txt", b"", "the file is empty"),
        ("binary.txt", bytes(range(256)) * 40, "cannot be imported"),
        ("corrupt.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\ngarbage\x00\xff", "PDF"),
        ("locked.pdf", "encrypted", "protected by a password"),
        ("sheet.xlsx", b"PK\x03\x04", "must be a Word (.docx), PDF"),
    ],
)
def test_bad_files_get_a_clear_message_and_nothing_is_stored(
    officer: Client, name: str, data: bytes | str, problem: str
) -> None:
    if data == "encrypted":
        data = _locked_pdf()
    response = upload(officer, name, data)
    assert response.status_code == 400
    page = response.content.decode()
    summary = re.search(r'<div class="govuk-error-summary".*?</div>\s*</div>', page, re.S)
    assert summary, page[:3000]
    assert f"{name} cannot be imported" in summary.group(0)
    assert problem in summary.group(0)
    assert 'id="file-error"' in page
    assert "Traceback" not in page
    assert ImportDraft.objects.count() == 0
    assert not AuditEvent.objects.filter(verb="import.upload").exists()


def _locked_pdf() -> bytes:
    """A real password-protected PDF, written with pypdf."""
    from io import BytesIO

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.encrypt("secret", algorithm="RC4-128")
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def test_no_file_selected(officer: Client) -> None:
    response = officer.post(reverse("imports:upload"), {})
    assert response.status_code == 400
    assert "Select a plan document to upload" in response.content.decode()


def test_only_officers_may_import(client: Client, django_user_model, plan_docs) -> None:  # type: ignore[no-untyped-def]
    response = client.get(reverse("imports:upload"))
    assert response.status_code == 302 and "sign-in" in response["Location"]
    user = django_user_model.objects.create_user("someone", password="x")
    client.force_login(user)
    response = upload(client, plan_docs[0].name, plan_docs[0].read_bytes())
    assert response.status_code == 403
    assert ImportDraft.objects.count() == 0


def test_review_page_shows_quotes_locations_and_marks(officer: Client, plan_docs) -> None:  # type: ignore[no-untyped-def]
    draft = uploaded(officer, plan_docs[0])
    page = officer.get(reverse("imports:review", args=[draft.pk])).content.decode()
    low = [item for item in draft.items if item["low"]]
    assert low
    assert page.count(">\n  Check this\n<") + page.count(">Check this<") >= len(low) or (
        page.count("Check this") >= len(low)
    )
    what_to_check = page.index('id="decisions"')
    first_theme = page.index('id="theme-0"')
    for item in low:
        assert f'href="#item-{item["key"]}"' in page[what_to_check:first_theme]
    measure = next(item for item in draft.items if item["kind"] == "measure")
    assert f"Line {measure['location']['line']}" in page
    assert "Accept all high-confidence items" in page
    # Quotes are shown verbatim and escaped (some hold HTML from the source).
    assert "<b>Children and young people" not in page


def test_navigation_offers_import_to_officers_only(client: Client, django_user_model) -> None:  # type: ignore[no-untyped-def]
    assert "Import a plan" not in client.get("/").content.decode()
    client.force_login(django_user_model.objects.create_user("o", password="x", is_staff=True))
    assert "Import a plan" in client.get("/").content.decode()
