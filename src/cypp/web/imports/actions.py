"""The only code that writes import drafts, and the step that turns a draft into a plan.

Each function runs in one transaction and records an audit event. Reading the document
happens before anything is written, so a file that cannot be read leaves no trace but
the message shown to the person who uploaded it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from cypp.domain.planfile import plan_from_data, validate_plan_data
from cypp.importer.pipeline import import_document
from cypp.web.audit.models import record
from cypp.web.imports import review
from cypp.web.imports.models import ImportDraft
from cypp.web.plans import models as pm
from cypp.web.plans.actions import store_plan

__all__ = [
    "CreateRefused",
    "accept_high_confidence",
    "correct_item",
    "create_plan",
    "discard_draft",
    "save_review",
    "start_import",
]


def start_import(file_name: str, data: bytes, *, user: Any = None) -> ImportDraft:
    """Read a document and keep what was extracted as a draft to review.

    Raises :class:`~cypp.importer.errors.DocumentError` (naming the file and the problem)
    when the document cannot be read; nothing is stored then.
    """
    result = import_document(file_name, data)
    items = review.review_items(result)
    with transaction.atomic():
        draft = ImportDraft.objects.create(
            file_name=file_name,
            file_size=len(data),
            file_sha256=hashlib.sha256(data).hexdigest(),
            plan_data=result.plan,
            items=items,
            warnings=result.warnings,
            header=review.initial_header(result.plan),
            decisions={},
            created_by=user if getattr(user, "pk", None) else None,
        )
        record(
            "import.upload",
            draft,
            user=user,
            detail={
                "file": file_name,
                "bytes": len(data),
                "sha256": draft.file_sha256,
                "items": len(items),
                "low_confidence": sum(1 for item in items if item["low"]),
                "warnings": len(result.warnings),
            },
        )
    return draft


def _locked(draft: ImportDraft) -> ImportDraft:
    return ImportDraft.objects.select_for_update().get(pk=draft.pk)


def save_review(
    draft: ImportDraft, header: dict[str, str], verdicts: dict[str, str], *, user: Any = None
) -> dict[str, list[str]]:
    """Store the header and the accept/reject choices; returns header errors (then nothing
    is stored). Choosing "corrected" keeps the stored correction; accepting or rejecting
    a corrected item sets the correction aside."""
    errors = review.check_header(draft.plan_data, header)
    if errors:
        return errors
    with transaction.atomic():
        row = _locked(draft)
        if not row.is_open:
            return {"__all__": ["This import has already been finished"]}
        known = {item["key"] for item in row.items}
        decisions = dict(row.decisions)
        for key, verdict in verdicts.items():
            if key not in known or verdict not in review.DECISIONS:
                continue
            if verdict == "corrected":
                if (decisions.get(key) or {}).get("decision") == "corrected":
                    continue
                verdict = "accepted"
            decisions[key] = {"decision": verdict}
        row.header = {name: header.get(name, "").strip() for name in review.HEADER_FIELDS}
        row.decisions = decisions
        row.save(update_fields=["header", "decisions", "updated_at"])
    draft.refresh_from_db()
    return {}


def accept_high_confidence(draft: ImportDraft, *, user: Any = None) -> int:
    """Accept every undecided item the importer was confident about; returns how many."""
    with transaction.atomic():
        row = _locked(draft)
        if not row.is_open:
            return 0
        decisions = dict(row.decisions)
        accepted = 0
        for item in row.items:
            if not item["low"] and item["key"] not in decisions:
                decisions[item["key"]] = {"decision": "accepted"}
                accepted += 1
        row.decisions = decisions
        row.save(update_fields=["decisions", "updated_at"])
        record("import.accept_confident", row, user=user, detail={"accepted": accepted})
    draft.refresh_from_db()
    return accepted


def correct_item(
    draft: ImportDraft, key: str, values: dict[str, str], *, user: Any = None
) -> dict[str, list[str]]:
    """Check a correction with the plan-file rules and keep it; returns {field: [messages]}
    (then nothing is stored)."""
    item = next(item for item in draft.items if item["key"] == key)
    original = review.extracted(draft.plan_data, item)
    if item["kind"] == "measure":
        _, errors = review.check_measure(original, values)
        names = review.MEASURE_LABELS
    else:
        _, errors = review.check_item(original, values)
        names = review.ITEM_LABELS
    if errors:
        return errors
    kept = {name: values.get(name, "").strip() for name in names}
    with transaction.atomic():
        row = _locked(draft)
        if not row.is_open:
            return {"__all__": ["This import has already been finished"]}
        row.decisions = {**row.decisions, key: {"decision": "corrected", "values": kept}}
        row.save(update_fields=["decisions", "updated_at"])
        record("import.correct", row, user=user, detail={"item": key, "values": kept})
    draft.refresh_from_db()
    return {}


@dataclass
class CreateRefused(Exception):
    """The plan was not created; ``errors`` are ``{"text", "item"?}`` for the page."""

    errors: list[dict[str, str]] = field(default_factory=list)


def create_plan(draft: ImportDraft, *, user: Any = None) -> tuple[pm.Plan, bool]:
    """Store the reviewed plan; returns (plan, created now).

    All or nothing: any undecided item, header problem, plan id already in use or
    plan-file error refuses the whole plan (:class:`CreateRefused`). A draft that already
    made its plan returns that plan again, so submitting twice stores one plan.
    """
    with transaction.atomic():
        row = _locked(draft)
        if row.status == ImportDraft.Status.CREATED and row.plan is not None:
            return row.plan, False
        if not row.is_open:
            raise CreateRefused([{"text": "This import was discarded"}])
        built = review.build_plan(row.plan_data, row.items, row.decisions, row.header)
        problems = _problems(row, built)
        if problems:
            raise CreateRefused(problems)
        plan = plan_from_data(built.data, origin=row.file_name)
        try:
            with transaction.atomic():
                stored = store_plan(plan, user=user, source=row.file_name)
        except IntegrityError:
            raise CreateRefused(
                [{"text": f"A plan with the id {plan.id} was stored meanwhile: change the plan id"}]
            ) from None
        counts = {name: built.counts[name] for name in review.DECISIONS}
        row.status = ImportDraft.Status.CREATED
        row.plan = stored.plan
        row.plan_slug = stored.plan.slug
        row.completed_by = user if getattr(user, "pk", None) else None
        row.completed_at = timezone.now()
        row.outcome_counts = counts
        row.save()
        record(
            "import.create_plan",
            row,
            user=user,
            detail={"plan": stored.plan.slug, "file": row.file_name, **counts},
        )
    draft.refresh_from_db()
    return stored.plan, True


def _problems(row: ImportDraft, built: review.Built) -> list[dict[str, str]]:
    problems: list[dict[str, str]] = []
    for item in built.undecided:
        problems.append(
            {"text": f"Accept, correct or reject {_describe(row, item)}", "item": item["key"]}
        )
    for name, messages in review.check_header(row.plan_data, row.header).items():
        problems.extend({"text": message, "field": name} for message in messages)
    slug = row.header.get("id", "")
    if slug and pm.Plan.objects.filter(slug=slug).exists():
        problems.append(
            {
                "text": f"A plan with the id {slug} already exists: change the plan id",
                "field": "id",
            }
        )
    if not problems:
        for error in validate_plan_data(built.data):
            entry = {"text": f"{error.path}: {error.message}" if error.path else error.message}
            key = built.item_for(error.path)
            if key:
                entry["item"] = key
            problems.append(entry)
    return problems


def _describe(row: ImportDraft, item: dict[str, Any]) -> str:
    value = review.extracted(row.plan_data, item)
    if item["kind"] == "measure":
        text = value.get("name", "")
    else:
        text = value.get("title", "") if isinstance(value, dict) else str(value)
    text = text if len(text) <= 80 else text[:77] + "…"
    return f"the {item['kind']} “{text}”"


def discard_draft(draft: ImportDraft, *, user: Any = None) -> None:
    """Give up an import: the draft is kept, closed, for the record."""
    with transaction.atomic():
        row = _locked(draft)
        if not row.is_open:
            return
        row.status = ImportDraft.Status.DISCARDED
        row.completed_by = user if getattr(user, "pk", None) else None
        row.completed_at = timezone.now()
        row.save()
        record("import.discard", row, user=user, detail={"file": row.file_name})
    draft.refresh_from_db()
