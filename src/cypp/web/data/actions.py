"""The only code that writes observations, collections and returns.

Views, CLI commands and tests call these functions. Each runs in one transaction and
writes an :class:`~cypp.web.audit.models.AuditEvent`, so a file, a return or a
correction is stored whole or not at all. A stored figure is never overwritten
silently: a changed figure keeps its row and gains a :class:`~.models.Revision`.
"""

from __future__ import annotations

import math
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import polars as pl
from django.core import signing
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from cypp.data.errors import DataImportError, Problem
from cypp.data.observations import (
    ALL,
    OBSERVATION_SCHEMA,
    SUPPRESSION_CODES,
    ObservationBatch,
    Quality,
)
from cypp.data.periods import read_period
from cypp.domain.periods import PeriodError
from cypp.web.audit.models import record
from cypp.web.data import models as dm
from cypp.web.data.permissions import is_performance_officer
from cypp.web.plans import models as pm

__all__ = [
    "ActionError",
    "ImportSummary",
    "ReturnFormError",
    "approve_return",
    "assign_measure_owner",
    "close_collection",
    "correct_after_close",
    "create_access_link",
    "create_organisation",
    "import_observations",
    "open_collection",
    "redeem_access_link",
    "return_with_comment",
    "save_return",
    "submit_return",
]

ACCESS_SALT = "cypp.data.access-link"
BATCH_SIZE = 2000
_TEXT_FIGURES = ("quality", "suppression_code", "suppression_reason")
PROGRESS_STEP = 5000


class ActionError(ValueError):
    """The action was refused (wrong state, no permission, missing reason); nothing changed."""


class ReturnFormError(ActionError):
    """Figures in a return are wrong; ``errors`` maps each field name to its message."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{name}: {message}" for name, message in errors.items()))


def _user(user: Any) -> Any:
    return user if getattr(user, "pk", None) else None


def _actor(user: Any, actor: str) -> dict[str, Any]:
    """Keyword arguments for :func:`record`."""
    return {"user": _user(user), "actor_label": actor}


def _require_officer(user: Any) -> None:
    if user is not None and not is_performance_officer(user):
        raise ActionError("only a performance officer can do this")


# --- storing figures ---------------------------------------------------------------------


@dataclass
class ImportSummary:
    """What a store did: counts, and the import row that records it."""

    data_import: dm.DataImport
    created: int = 0
    revised: int = 0
    unchanged: int = 0
    revisions: list[dm.Revision] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return self.created + self.revised + self.unchanged


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, float) and isinstance(new, float):
        return old == new or (math.isnan(old) and math.isnan(new))
    return old == new


#: The rows a store takes: the observation columns it writes, with their types (texts as
#: plain strings, as the database holds them).
STORE_SCHEMA: dict[str, pl.DataType] = {
    name: pl.String() if name in _TEXT_FIGURES or dtype == pl.Categorical else dtype
    for name, dtype in OBSERVATION_SCHEMA.items()
    if name not in ("unit", "source_row")
}

_KEY = ["measure_id", "area_code", "period", "breakdown"]
_NUMBERS = [name for name in dm.FIGURE_FIELDS if name not in _TEXT_FIGURES]


def _empty_to(name: str, default: str) -> pl.Expr:
    text = pl.col(name).cast(pl.String)
    return pl.when(text.is_null() | (text == "")).then(pl.lit(default)).otherwise(text).alias(name)


def _incoming(frame: pl.DataFrame, measure_ids: Mapping[str, int], source: str) -> pl.DataFrame:
    """The rows as they are stored: measure ids, defaults for empty cells, file order kept."""
    frame = frame.select(
        pl.col(name).cast(dtype) if name in frame.columns else pl.lit(None, dtype).alias(name)
        for name, dtype in STORE_SCHEMA.items()
    )
    return frame.select(
        pl.col("measure").replace_strict(measure_ids, return_dtype=pl.Int64).alias("measure_id"),
        "area_code",
        "period",
        "period_start",
        "period_end",
        _empty_to("breakdown", ALL),
        *_NUMBERS,
        _empty_to("quality", Quality.FINAL.value),
        _empty_to("suppression_code", ""),
        _empty_to("suppression_reason", ""),
        _empty_to("source", source),
        _empty_to("note", ""),
    )


#: Columns written for a new observation, in the order :func:`_insert` passes them.
_INSERT_COLUMNS = (
    "measure_id",
    "area_code",
    "period",
    "period_start",
    "period_end",
    "breakdown",
    *dm.FIGURE_FIELDS,
    "source",
    "note",
    "data_import_id",
    "created_at",
    "updated_at",
)


def _insert(
    new: pl.DataFrame, data_import: dm.DataImport, now: Any, progress: Callable[[int], None] | None
) -> None:
    """Insert new observations with one prepared statement per chunk.

    The ORM's bulk_create spends most of its time compiling SQL for each row; a single
    parameterised INSERT run with ``executemany`` is many times faster on SQLite, and
    ``COPY`` many times faster again on PostgreSQL; both run inside the caller's
    transaction. The rows go in key order, so the key index grows at its end instead of
    being split all over.
    """
    ops = connection.ops
    dates = isinstance(ops.adapt_datefield_value(date(2000, 1, 1)), str)
    stamp = ops.adapt_datetimefield_value(now)
    rows = (
        new.sort(_KEY)
        .select(
            *(
                pl.col(name).cast(pl.String) if dates and name.startswith("period_") else name
                for name in _INSERT_COLUMNS[:-3]
            ),
            pl.lit(data_import.pk, pl.Int64).alias("data_import_id"),
            pl.lit(stamp).alias("created_at"),
            pl.lit(stamp).alias("updated_at"),
        )
        .rows()
    )
    quote = ops.quote_name
    table = quote(dm.Observation._meta.db_table)
    columns = ", ".join(quote(c) for c in _INSERT_COLUMNS)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(_INSERT_COLUMNS))})"
    with connection.cursor() as cursor:
        # PostgreSQL (psycopg 3) takes rows fastest through COPY, in the same transaction.
        copy = getattr(cursor.cursor, "copy", None) if connection.vendor == "postgresql" else None
        for start in range(0, len(rows), PROGRESS_STEP):
            chunk = rows[start : start + PROGRESS_STEP]
            if copy is None:
                cursor.executemany(sql, chunk)
            else:
                with (
                    connection.wrap_database_errors,
                    copy(f"COPY {table} ({columns}) FROM STDIN") as stream,
                ):
                    for row in chunk:
                        stream.write_row(row)
            if progress is not None:
                progress(len(chunk))


_STORED = ("id", *_KEY, *dm.FIGURE_FIELDS)


def _existing(incoming: pl.DataFrame) -> pl.DataFrame:
    """Stored figures of the measures and periods in ``incoming``, locked until commit."""
    query = (
        dm.Observation.objects.select_for_update()
        .filter(
            measure_id__in=incoming["measure_id"].unique().to_list(),
            period__in=incoming["period"].unique().to_list(),
        )
        .values_list(*_STORED)
        .query
    )
    sql, params = query.get_compiler(connection=connection).as_sql()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    schema: dict[str, pl.DataType] = {"id": pl.Int64(), "measure_id": pl.Int64()}
    schema |= {name: STORE_SCHEMA[name] for name in _STORED[2:]}
    return pl.DataFrame(rows, schema=schema, orient="row")


def _store(
    frame: pl.DataFrame,
    measures: Mapping[str, pm.Measure],
    data_import: dm.DataImport,
    *,
    reason: str,
    user: Any,
    actor: str,
    progress: Callable[[int], None] | None = None,
) -> ImportSummary:
    """Insert new figures, revise changed ones, leave equal ones alone (inside a transaction).

    ``frame`` has the columns of :data:`STORE_SCHEMA` (those of
    :data:`cypp.data.observations.OBSERVATION_SCHEMA`). The stored figures are read in
    one query and compared with the new ones column by column; only changed figures
    become Python objects, for their revisions.
    """
    summary = ImportSummary(data_import)
    incoming = _incoming(frame, {key: m.pk for key, m in measures.items()}, data_import.source)
    existing = _existing(incoming)
    now = timezone.now()
    if existing.height:
        matched = incoming.join(
            existing, on=_KEY, how="left", suffix="_stored", maintain_order="left"
        )
        found = pl.col("id").is_not_null()
        same = pl.all_horizontal(
            pl.col(name).eq_missing(pl.col(f"{name}_stored")) for name in dm.FIGURE_FIELDS
        )
        matched = matched.with_columns(found.alias("_found"), (found & ~same).alias("_changed"))
        new = matched.filter(~pl.col("_found")).select(incoming.columns)
        changed_rows = matched.filter(pl.col("_changed"))
        compared = matched.height - new.height
        summary.unchanged = compared - changed_rows.height
    else:
        new, changed_rows, compared = incoming, incoming.clear(), 0
    if progress is not None:
        for start in range(0, compared, PROGRESS_STEP):
            progress(min(PROGRESS_STEP, compared - start))
    by_id = {m.pk: m for m in measures.values()}
    changed: list[dm.Observation] = []
    revisions: list[dm.Revision] = []
    for row in changed_rows.iter_rows(named=True):
        figures = {name: row[name] for name in dm.FIGURE_FIELDS}
        changes = {
            name: [row[f"{name}_stored"], new_value]
            for name, new_value in figures.items()
            if not _same(row[f"{name}_stored"], new_value)
        }
        observation = dm.Observation(
            pk=row["id"],
            measure=by_id[row["measure_id"]],
            area_code=row["area_code"],
            period=row["period"],
            breakdown=row["breakdown"],
            source=row["source"],
            note=row["note"],
            data_import=data_import,
            updated_at=now,
            **figures,
        )
        changed.append(observation)
        revisions.append(
            dm.Revision(
                observation=observation,
                at=now,
                actor=_user(user),
                actor_label=actor,
                reason=reason,
                old_value=row["value_stored"],
                new_value=figures["value"],
                changes=changes,
                data_import=data_import,
            )
        )
    _insert(new, data_import, now, progress)
    dm.Observation.objects.bulk_update(
        changed,
        [*dm.FIGURE_FIELDS, "source", "note", "data_import", "updated_at"],
        batch_size=BATCH_SIZE,
    )
    dm.Revision.objects.bulk_create(revisions, batch_size=BATCH_SIZE)
    summary.created, summary.revised = new.height, len(changed)
    summary.revisions = revisions
    data_import.created, data_import.revised = summary.created, summary.revised
    data_import.unchanged, data_import.rows = summary.unchanged, summary.rows
    data_import.save(update_fields=["created", "revised", "unchanged", "rows"])
    return summary


def plan_measures(plan: pm.Plan) -> dict[str, pm.Measure]:
    """The plan's measures by their key in the plan file."""
    return {m.key: m for m in pm.Measure.objects.filter(theme__plan=plan)}


def import_observations(
    batch: ObservationBatch,
    *,
    plan: pm.Plan,
    user: Any = None,
    actor: str = "",
    source: str = "",
    reason: str = "",
    progress: Callable[[int], None] | None = None,
) -> ImportSummary:
    """Store a validated file for ``plan``, all or nothing.

    Figures new to the store are inserted; figures equal to the stored ones change
    nothing (re-importing a file is harmless); a figure that differs becomes a
    revision whose reason is ``reason`` or, by default, names the file it came from.
    Measure keys the plan does not hold are rejected with their rows. ``progress`` is
    called with the number of rows compared since its last call (for a progress bar).
    """
    _require_officer(user)
    frame = batch.frame
    measures = plan_measures(plan)
    unknown = (
        frame.select("measure", "source_row")
        .filter(~frame["measure"].is_in(list(measures)))
        .iter_rows()
    )
    problems = [
        Problem(batch.file, row, "measure", f"the plan '{plan.slug}' has no measure '{key}'")
        for key, row in unknown
    ]
    if problems:
        raise DataImportError(problems)
    source = source or batch.format
    why = reason.strip() or f"revised by import of {batch.file}" + (
        f" ({source})" if source else ""
    )
    with transaction.atomic():
        data_import = dm.DataImport.objects.create(
            plan=plan,
            file=batch.file,
            format=batch.format,
            source=source,
            notes=list(batch.notes),
            actor=_user(user),
            actor_label=actor,
        )
        summary = _store(
            frame,
            measures,
            data_import,
            reason=why,
            user=user,
            actor=actor,
            progress=progress,
        )
        record(
            "data.import",
            data_import,
            **_actor(user, actor),
            detail={
                "file": batch.file,
                "format": batch.format,
                "source": source,
                "created": summary.created,
                "revised": summary.revised,
                "unchanged": summary.unchanged,
            },
        )
    return summary


def correct_after_close(
    observation: dm.Observation,
    *,
    value: float | None,
    reason: str,
    user: Any = None,
    actor: str = "",
    suppression_code: str = "",
) -> dm.Revision:
    """Correct a stored figure once its period is closed; the reason is required."""
    _require_officer(user)
    if not reason or not reason.strip():
        raise ActionError("say why the figure is being corrected")
    if value is None and not suppression_code:
        raise ActionError("give the corrected figure or a suppression code")
    if value is not None and not math.isfinite(value):
        raise ActionError("the corrected figure must be a finite number")
    code = suppression_code.strip().lower()
    if code and code not in SUPPRESSION_CODES:
        raise ActionError(f"{suppression_code!r} is not a suppression code")
    with transaction.atomic():
        obs = dm.Observation.objects.select_for_update().get(pk=observation.pk)
        old = obs.figures()
        obs.value = None if code else value
        obs.suppression_code = code
        obs.suppression_reason = SUPPRESSION_CODES.get(code, "")
        obs.quality = Quality.SUPPRESSED.value if code else Quality.REVISED.value
        new = obs.figures()
        changes = {k: [old[k], new[k]] for k in new if not _same(old[k], new[k])}
        if not changes:
            raise ActionError("the corrected figure is the same as the stored one")
        obs.updated_at = timezone.now()
        obs.save()
        revision = dm.Revision.objects.create(
            observation=obs,
            at=obs.updated_at,
            reason=reason.strip(),
            old_value=old["value"],
            new_value=obs.value,
            changes=changes,
            actor=_user(user),
            actor_label=actor,
        )
        record(
            "data.correct",
            obs,
            **_actor(user, actor),
            detail={"reason": reason.strip(), "changes": changes},
        )
    observation.refresh_from_db()
    return revision


# --- organisations and collections ---------------------------------------------------------


def create_organisation(
    name: str,
    *,
    kind: str = dm.Organisation.Kind.OTHER,
    email: str = "",
    user: Any = None,
    actor: str = "",
) -> dm.Organisation:
    """Add a partner organisation (its slug comes from its name)."""
    _require_officer(user)
    name = " ".join(name.split())
    if not name:
        raise ReturnFormError({"name": "Enter the organisation's name"})
    if kind not in dm.Organisation.Kind.values:
        raise ReturnFormError(
            {"kind": f"{kind!r} is not one of {', '.join(dm.Organisation.Kind.values)}"}
        )
    if dm.Organisation.objects.filter(name__iexact=name).exists():
        raise ReturnFormError({"name": f"an organisation called {name!r} already exists"})
    with transaction.atomic():
        organisation = dm.Organisation.objects.create(
            name=name, slug=_unique_slug(name), kind=kind, contact_email=email
        )
        record("data.organisation.create", organisation, **_actor(user, actor))
    return organisation


def _unique_slug(name: str) -> str:
    base = slugify(name)[:190] or "organisation"
    slug, n = base, 1
    while dm.Organisation.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def assign_measure_owner(
    measure: pm.Measure, organisation: dm.Organisation, *, user: Any = None, actor: str = ""
) -> dm.MeasureOwner:
    """Make ``organisation`` the one that reports ``measure``."""
    _require_officer(user)
    with transaction.atomic():
        owner, _ = dm.MeasureOwner.objects.update_or_create(
            measure=measure, defaults={"organisation": organisation}
        )
        record(
            "data.measure_owner",
            measure,
            **_actor(user, actor),
            detail={"organisation": organisation.name},
        )
    return owner


def open_collection(
    plan: pm.Plan,
    period: str,
    *,
    due: date,
    opens: date | None = None,
    user: Any = None,
    actor: str = "",
) -> dm.Collection:
    """Ask every organisation that owns a measure of ``plan`` for its figures for ``period``."""
    _require_officer(user)
    try:
        label, start, end = read_period(period)
    except PeriodError as error:
        raise ReturnFormError({"period": str(error)}) from error
    opens = opens or timezone.localdate()
    if due < opens:
        raise ReturnFormError({"due": "the due date must be on or after the opening date"})
    if dm.Collection.objects.filter(plan=plan, period=label).exists():
        raise ReturnFormError({"period": f"a collection for {label} already exists"})
    owners = list(
        dm.MeasureOwner.objects.filter(measure__theme__plan=plan).select_related("measure")
    )
    if not owners:
        raise ActionError("no measure of this plan has an owning organisation yet")
    with transaction.atomic():
        collection = dm.Collection.objects.create(
            plan=plan,
            period=label,
            period_start=start,
            period_end=end,
            opens=opens,
            due=due,
            opened_by=_user(user),
        )
        returns: dict[int, dm.Return] = {}
        for owner in owners:
            if owner.organisation_id not in returns:
                returns[owner.organisation_id] = dm.Return.objects.create(
                    collection=collection, organisation_id=owner.organisation_id
                )
        dm.ReturnItem.objects.bulk_create(
            dm.ReturnItem(data_return=returns[o.organisation_id], measure=o.measure) for o in owners
        )
        record(
            "data.collection.open",
            collection,
            **_actor(user, actor),
            detail={"period": label, "due": due.isoformat(), "returns": len(returns)},
        )
    return collection


def close_collection(collection: dm.Collection, *, user: Any = None, actor: str = "") -> None:
    """Close the period: no more returns; later changes are corrections with a reason."""
    _require_officer(user)
    with transaction.atomic():
        collection.status = dm.Collection.Status.CLOSED
        collection.closed_at = timezone.now()
        collection.save(update_fields=["status", "closed_at"])
        record("data.collection.close", collection, **_actor(user, actor))


# --- returns -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemAnswer:
    """What a partner typed for one measure."""

    value: str = ""
    commentary: str = ""


def _read_answer(item: dm.ReturnItem, answer: ItemAnswer, name: str) -> dict[str, str]:
    """Check one typed figure and copy it onto ``item``; return field errors."""
    text = answer.value.strip()
    item.commentary = answer.commentary.strip()
    item.value_text = text
    item.value, item.suppression_code = None, ""
    if not text:
        return {}
    if text.lower() in SUPPRESSION_CODES:
        item.suppression_code = text.lower()
        return {}
    try:
        number = float(text.replace(",", "").removesuffix("%"))
    except ValueError:
        return {name: f"Enter a number for ‘{item.measure.name}’, like 12 or 12.5"}
    if not math.isfinite(number):
        return {name: f"Enter a number for ‘{item.measure.name}’, like 12 or 12.5"}
    if item.measure.unit == "percent" and not 0 <= number <= 100:
        return {name: f"The percentage for ‘{item.measure.name}’ must be between 0 and 100"}
    item.value = number
    return {}


def _apply_answers(
    data_return: dm.Return, answers: Mapping[int, ItemAnswer], *, require_all: bool
) -> list[dm.ReturnItem]:
    items = list(data_return.items.select_related("measure"))
    errors: dict[str, str] = {}
    for item in items:
        name = f"value-{item.pk}"
        answer = answers.get(item.pk, ItemAnswer(item.value_text, item.commentary))
        errors.update(_read_answer(item, answer, name))
        if require_all and name not in errors and not item.is_answered:
            errors[name] = f"Enter a figure for ‘{item.measure.name}’"
    if errors:
        raise ReturnFormError(errors)
    return items


def save_return(
    data_return: dm.Return,
    answers: Mapping[int, ItemAnswer],
    *,
    commentary: str = "",
    actor: str = "",
    user: Any = None,
) -> dm.Return:
    """Save a draft return (figures may be missing); wrong figures are refused."""
    if not data_return.is_editable:
        raise ActionError("this return can no longer be changed")
    items = _apply_answers(data_return, answers, require_all=False)
    with transaction.atomic():
        dm.ReturnItem.objects.bulk_update(
            items, ["value", "value_text", "suppression_code", "commentary"]
        )
        data_return.commentary = commentary.strip()
        data_return.save(update_fields=["commentary"])
        record("data.return.save", data_return, **_actor(user, actor))
    return data_return


def submit_return(
    data_return: dm.Return,
    answers: Mapping[int, ItemAnswer],
    *,
    commentary: str = "",
    actor: str = "",
    user: Any = None,
) -> dm.Return:
    """Send a return to the officer: every due measure needs a figure or a suppression code."""
    if not data_return.is_editable:
        raise ActionError("this return can no longer be changed")
    items = _apply_answers(data_return, answers, require_all=True)
    who = actor or (user.get_username() if getattr(user, "pk", None) else "")
    with transaction.atomic():
        dm.ReturnItem.objects.bulk_update(
            items, ["value", "value_text", "suppression_code", "commentary"]
        )
        data_return.commentary = commentary.strip()
        data_return.status = dm.Return.Status.SUBMITTED
        data_return.submitted_at = timezone.now()
        data_return.submitted_by = who
        data_return.save()
        record(
            "data.return.submit",
            data_return,
            **_actor(user, actor),
            detail={"items": len(items)},
        )
    return data_return


def approve_return(data_return: dm.Return, *, user: Any, actor: str = "") -> ImportSummary:
    """Accept a submitted return: its figures become observations for the plan's area."""
    _require_officer(user)
    if data_return.status != dm.Return.Status.SUBMITTED:
        raise ActionError("only a submitted return can be approved")
    collection = data_return.collection
    plan = collection.plan
    if not plan.area_ons_code:
        raise ActionError("the plan has no ONS area code, so its figures cannot be stored")
    items = list(data_return.items.select_related("measure"))
    source = f"data return: {data_return.organisation.name}"
    rows = [
        {
            "measure": item.measure.key,
            "area_code": plan.area_ons_code,
            "period": collection.period,
            "period_start": collection.period_start,
            "period_end": collection.period_end,
            "breakdown": item.breakdown,
            "value": item.value,
            "count": item.count,
            "denominator": item.denominator,
            "quality": Quality.SUPPRESSED.value if item.suppression_code else Quality.FINAL.value,
            "suppression_code": item.suppression_code,
            "suppression_reason": SUPPRESSION_CODES.get(item.suppression_code, ""),
            "source": source,
            "note": item.commentary,
        }
        for item in items
    ]
    with transaction.atomic():
        data_import = dm.DataImport.objects.create(
            plan=plan,
            file="",
            format="data return",
            source=source,
            actor=_user(user),
            actor_label=actor,
        )
        summary = _store(
            pl.DataFrame(rows, schema=STORE_SCHEMA),
            {item.measure.key: item.measure for item in items},
            data_import,
            reason=f"approved return from {data_return.organisation.name}",
            user=user,
            actor=actor,
        )
        data_return.status = dm.Return.Status.APPROVED
        data_return.decided_at = timezone.now()
        data_return.decided_by = _user(user)
        data_return.save()
        record(
            "data.return.approve",
            data_return,
            **_actor(user, actor),
            detail={"created": summary.created, "revised": summary.revised},
        )
    return summary


def return_with_comment(
    data_return: dm.Return, comment: str, *, user: Any, actor: str = ""
) -> dm.Return:
    """Send a submitted return back to its organisation with the officer's comment."""
    _require_officer(user)
    if data_return.status != dm.Return.Status.SUBMITTED:
        raise ActionError("only a submitted return can be returned")
    if not comment or not comment.strip():
        raise ReturnFormError({"comment": "Say what the organisation needs to change"})
    with transaction.atomic():
        data_return.status = dm.Return.Status.RETURNED
        data_return.officer_comment = comment.strip()
        data_return.decided_at = timezone.now()
        data_return.decided_by = _user(user)
        data_return.save()
        record(
            "data.return.return",
            data_return,
            **_actor(user, actor),
            detail={"comment": comment.strip()},
        )
    return data_return


# --- one-time links ------------------------------------------------------------------------


def create_access_link(
    data_return: dm.Return,
    *,
    user: Any = None,
    actor: str = "",
    valid_for: timedelta = timedelta(days=14),
    sent_to: str = "",
) -> str:
    """A signed one-time token that opens ``data_return`` without an account."""
    _require_officer(user)
    token = signing.dumps(
        {"r": data_return.pk, "n": secrets.token_urlsafe(24)}, salt=ACCESS_SALT, compress=True
    )
    with transaction.atomic():
        link = dm.AccessLink.objects.create(
            data_return=data_return,
            token_digest=dm.AccessLink.digest(token),
            expires_at=timezone.now() + valid_for,
            created_by=_user(user),
            sent_to=sent_to,
        )
        record(
            "data.link.create",
            data_return,
            **_actor(user, actor),
            detail={"link": link.pk, "expires": link.expires_at.isoformat(), "to": sent_to},
        )
    return token


def redeem_access_link(token: str) -> dm.Return:
    """Spend a one-time link and return the return it opens; raise ActionError if it cannot."""
    try:
        payload = signing.loads(token, salt=ACCESS_SALT)
    except signing.BadSignature as error:
        raise ActionError("this link is not valid") from error
    with transaction.atomic():
        link = (
            dm.AccessLink.objects.select_for_update()
            .select_related("data_return__organisation")
            .filter(token_digest=dm.AccessLink.digest(token))
            .first()
        )
        if link is None or link.data_return_id != payload.get("r"):
            raise ActionError("this link is not valid")
        if link.used_at is not None:
            raise ActionError("this link has already been used: ask for a new one")
        if link.expires_at < timezone.now():
            raise ActionError("this link has expired: ask for a new one")
        link.used_at = timezone.now()
        link.save(update_fields=["used_at"])
        record(
            "data.link.use",
            link.data_return,
            actor_label=f"link for {link.data_return.organisation.name}",
            detail={"link": link.pk},
        )
    return link.data_return
