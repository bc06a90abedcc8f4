"""The only code that writes performance records.

Each action checks the policy, runs in one transaction and writes an
:class:`~cypp.web.audit.models.AuditEvent`. Views, the command line, benchmarks and
tests call these functions; none of them saves the models directly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from cypp.domain.plan import ActionStatus
from cypp.stats.rating import RULE_VERSION
from cypp.web.accounts.policy import can, subject
from cypp.web.audit.models import record
from cypp.web.performance import figures
from cypp.web.performance import models as pm
from cypp.web.plans import models as plans
from cypp.web.plans.actions import plan_to_domain

__all__ = [
    "COMMENT_MAX",
    "NoteError",
    "PerformanceError",
    "SignOffRefused",
    "add_action_update",
    "add_comment",
    "calculate_ratings",
    "publish_review",
    "save_exception_note",
    "save_review_entry",
    "sign_off_exceptions",
]


class PerformanceError(ValueError):
    """The action was refused (no permission, wrong input); nothing changed."""


class NoteError(PerformanceError):
    """Fields of a form are wrong; ``errors`` maps each field name to its message."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{name}: {message}" for name, message in errors.items()))


class SignOffRefused(PerformanceError):
    """Exceptions still lack details; ``missing`` maps each measure name to what it lacks."""

    def __init__(self, missing: dict[str, tuple[str, ...]], message: str | None = None) -> None:
        self.missing = missing
        lines = [f"{name}: {', '.join(fields)}" for name, fields in missing.items()]
        super().__init__(
            message or "the exception report cannot be signed off yet: " + "; ".join(lines)
        )


def _who(user: Any) -> Any:
    return user if getattr(user, "pk", None) else None


def _word(value: Any) -> str:
    return "" if value is None else str(value.value)


def _require(user: Any, action: str, obj: Any) -> None:
    """Refuse unless the policy allows; ``user=None`` is the system (CLI, demo, tests)."""
    if user is not None and not can(user, action, obj):
        raise PerformanceError("you do not have permission to do this")


# --------------------------------------------------------------------------- ratings


def calculate_ratings(
    plan: plans.Plan, period: str, *, user: Any = None, actor: str = ""
) -> pm.RatingRun:
    """Rate every measure of ``plan`` for ``period`` from the stored figures and keep the
    result with its provenance, the ids of the observations read and the series shown."""
    _require(user, "plan.edit", plan)
    domain = plan_to_domain(plan)
    frame = figures.observation_frame(plan.pk)
    try:
        calc = figures.calculate(domain, frame, period)
    except ValueError as error:
        raise PerformanceError(f"'{period}' is not a reporting period: {error}") from None
    rows = {row.key: row for row in plans.Measure.objects.filter(theme__plan=plan)}
    now = timezone.now()
    with transaction.atomic():
        run = pm.RatingRun.objects.create(
            plan=plan,
            period=period,
            period_end=calc.period.end,
            computed_at=now,
            rule_version=RULE_VERSION,
            actor=_who(user),
            actor_label=actor,
        )
        stored = []
        for position, (_, _, measure) in enumerate(domain.measures()):
            rating = calc.ratings[measure.id]
            series = calc.series.get(measure.id)
            latest = rating.inputs.get("latest") if rating.inputs else None
            comparison = rating.comparison
            stored.append(
                pm.StoredRating(
                    run=run,
                    measure=rows[measure.id],
                    position=position,
                    area_code=rating.area_code or "",
                    period=rating.period or "",
                    status=rating.status.value,
                    direction=_word(rating.direction_since_previous),
                    direction_since_baseline=_word(rating.direction_since_baseline),
                    significance=comparison.label if comparison is not None else "",
                    latest_value=latest.get("value") if isinstance(latest, dict) else None,
                    explanation=rating.explain(),
                    provenance=figures.provenance(rating),
                    rule_version=rating.rule_version,
                    computed_at=now,
                    observation_ids=calc.observation_ids.get(measure.id, []),
                    series=figures.series_to_json(series) if series is not None else {},
                )
            )
        pm.StoredRating.objects.bulk_create(stored)
        counts: dict[str, int] = {}
        for row in stored:
            counts[row.status] = counts.get(row.status, 0) + 1
        record(
            "ratings.calculate",
            run,
            user=user,
            actor_label=actor,
            detail={"period": period, "rule_version": RULE_VERSION, "statuses": counts},
        )
    return run


# --------------------------------------------------------------------------- exceptions


@dataclass(frozen=True)
class NoteInput:
    cause: str = ""
    recovery_action: str = ""
    owner: str = ""
    review_date: str = ""


def _parse_date(text: str) -> date | None:
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise NoteError(
            {"review_date": "Review date must be a real date, like 2015-09-30"}
        ) from None


def save_exception_note(
    plan: plans.Plan,
    period: str,
    measure: plans.Measure,
    note: NoteInput,
    *,
    user: Any = None,
    actor: str = "",
) -> pm.ExceptionNote:
    """Record cause, recovery action, owner and review date of an exception (blanks allowed
    while it is being written; sign-off needs all four)."""
    _require(user, "plan.edit", plan)
    review_date = _parse_date(note.review_date)
    with transaction.atomic():
        row, _ = pm.ExceptionNote.objects.get_or_create(plan=plan, period=period, measure=measure)
        before = {
            "cause": row.cause,
            "recovery_action": row.recovery_action,
            "owner": row.owner,
            "review_date": row.review_date.isoformat() if row.review_date else None,
        }
        row.cause = note.cause.strip()
        row.recovery_action = note.recovery_action.strip()
        row.owner = note.owner.strip()
        row.review_date = review_date
        row.updated_at = timezone.now()
        row.updated_by = _who(user)
        row.save()
        after = {
            "cause": row.cause,
            "recovery_action": row.recovery_action,
            "owner": row.owner,
            "review_date": review_date.isoformat() if review_date else None,
        }
        record(
            "exception.note",
            row,
            user=user,
            actor_label=actor,
            detail={
                "period": period,
                "measure": measure.key,
                "changes": {k: [before[k], after[k]] for k in after if before[k] != after[k]},
            },
        )
    return row


def sign_off_exceptions(
    plan: plans.Plan, period: str, *, user: Any = None, actor: str = ""
) -> pm.ExceptionSignOff:
    """Sign off the exception report of ``period`` against its latest stored ratings.

    Refused, with every missing detail listed, while any red, worsening or significantly
    worse measure lacks a cause, recovery action, owner or review date.
    """
    from cypp.web.performance.pages import load_pack

    _require(user, "plan.edit", plan)
    view = load_pack(plan, period)
    if view.run is None or view.pack is None:
        raise SignOffRefused(
            {}, "the ratings of this period have not been calculated and stored yet"
        )
    pack = view.pack
    missing = {item.measure.name: item.missing for item in pack.exceptions if item.missing}
    if missing:
        raise SignOffRefused(missing)
    notes = {
        item.measure.id: {
            "reasons": list(item.reasons),
            "cause": item.cause,
            "recovery_action": item.recovery_action,
            "owner": item.owner,
            "review_date": item.review_date.isoformat() if item.review_date else None,
        }
        for item in pack.exceptions
    }
    with transaction.atomic():
        sign_off = pm.ExceptionSignOff.objects.create(
            plan=plan, period=period, run=view.run, signed_by=_who(user), notes=notes
        )
        record(
            "exceptions.sign_off",
            sign_off,
            user=user,
            actor_label=actor,
            detail={"period": period, "run": view.run.pk, "exceptions": sorted(notes)},
        )
    return sign_off


# --------------------------------------------------------------------------- annual review


def save_review_entry(
    plan: plans.Plan,
    period: str,
    theme: plans.Theme,
    we_said: str,
    we_did: str,
    *,
    user: Any = None,
    actor: str = "",
) -> pm.ReviewEntry:
    """Keep an edited "we said / we did" of one priority (one line per item)."""
    _require(user, "plan.edit", plan)
    errors = {}
    if not we_said.strip():
        errors["we_said"] = "Enter what the plan said for this priority"
    if not we_did.strip():
        errors["we_did"] = "Enter what was done for this priority"
    if errors:
        raise NoteError(errors)
    with transaction.atomic():
        row, created = pm.ReviewEntry.objects.get_or_create(
            plan=plan,
            period=period,
            theme=theme,
            defaults={"we_said": we_said.strip(), "we_did": we_did.strip()},
        )
        before = {"we_said": row.we_said, "we_did": row.we_did}
        row.we_said, row.we_did = we_said.strip(), we_did.strip()
        row.updated_at, row.updated_by = timezone.now(), _who(user)
        row.save()
        record(
            "review.edit",
            row,
            user=user,
            actor_label=actor,
            detail={"period": period, "theme": theme.key, "before": None if created else before},
        )
    return row


def publish_review(
    plan: plans.Plan,
    period: str,
    sections: list[dict[str, Any]],
    *,
    user: Any = None,
    actor: str = "",
) -> pm.ReviewPublication:
    """Publish the annual review as it reads now (``sections`` from the review page)."""
    _require(user, "plan.edit", plan)
    if not sections:
        raise PerformanceError("there is nothing to publish: the plan has no priorities")
    with transaction.atomic():
        publication = pm.ReviewPublication.objects.create(
            plan=plan, period=period, published_by=_who(user), sections=sections
        )
        record(
            "review.publish",
            publication,
            user=user,
            actor_label=actor,
            detail={"period": period, "priorities": len(sections)},
        )
    return publication


# --------------------------------------------------------------------------- actions


def action_ref(action: plans.Action) -> str:
    """How an update finds its action again after the plan is re-loaded."""
    return action.key or f"#{action.position}"


def add_action_update(
    action: plans.Action, status: str, text: str, *, user: Any = None, actor: str = ""
) -> pm.ActionUpdate:
    """Record progress on a plan action: its status now and what has happened."""
    plan = action.theme.plan
    _require(user, "plan.edit", plan)
    errors = {}
    if status not in {s.value for s in ActionStatus}:
        errors["status"] = "Select the action's status"
    if not text.strip():
        errors["text"] = "Enter what has happened since the last update"
    if errors:
        raise NoteError(errors)
    with transaction.atomic():
        update = pm.ActionUpdate.objects.create(
            plan=plan,
            theme_key=action.theme.key,
            action_ref=action_ref(action),
            action_title=action.title,
            by=_who(user),
            status=status,
            text=text.strip(),
        )
        record(
            "action.update",
            update,
            user=user,
            actor_label=actor,
            detail={"action": action.title, "status": status, "previous": action.status},
        )
    return update


# --------------------------------------------------------------------------- comments

#: Longest comment accepted (a few paragraphs; longer belongs in a report).
COMMENT_MAX = 2000


def add_comment(
    measure: plans.Measure, text: str, *, user: Any, actor: str = ""
) -> pm.MeasureComment:
    """Add ``user``'s comment to a measure: administrators, officers and board members on
    any measure, measure owners on their organisation's measures (``comment.add``)."""
    if user is None or not can(user, "comment.add", measure):
        raise PerformanceError("you do not have permission to comment on this measure")
    text = text.strip()
    if not text:
        raise NoteError({"text": "Enter your comment"})
    if len(text) > COMMENT_MAX:
        raise NoteError({"text": f"Comment must be {COMMENT_MAX:,} characters or fewer"})
    with transaction.atomic():
        comment = pm.MeasureComment.objects.create(
            measure=measure,
            text=text,
            by=_who(user),
            by_name=user.get_full_name() or user.get_username(),
            by_role=subject(user).role.label,
        )
        record(
            "measure.comment",
            comment,
            user=user,
            actor_label=actor,
            detail={"measure": measure.key, "plan": measure.theme.plan.slug, "text": text},
        )
    return comment
