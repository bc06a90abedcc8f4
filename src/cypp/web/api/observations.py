"""Observations: read the published (or permitted) figures; send new ones.

A performance officer's figures are stored at once, as an import would store them. A
measure owner's figures go into their organisation's return for the period and wait
for the officer's approval, exactly as if typed into the return form. Either way the
request is checked whole first: one wrong figure and nothing is written.
"""

from typing import Any

import polars as pl
from django.db import transaction
from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from cypp.data.errors import DataImportError
from cypp.data.observations import ObservationBatch, validate_observations
from cypp.data.periods import read_period
from cypp.domain.periods import PeriodError
from cypp.web.accounts.policy import can, measure_filter
from cypp.web.api.auth import caller, require, visible
from cypp.web.api.pagination import Pages
from cypp.web.api.params import Id, of_plan_and_measure, text_query
from cypp.web.api.schemas import (
    ErrorOut,
    FieldError,
    ObservationIn,
    ObservationOut,
    SubmissionIn,
    SubmissionOut,
)
from cypp.web.data import actions
from cypp.web.data import models as dm
from cypp.web.plans import models as pm

router = Router(tags=["observations"])

OBSERVATIONS = dm.Observation.objects.select_related("measure__theme__plan")


class Invalid(Exception):
    """The request names fields that are wrong: ``errors`` is a list of (field, message)."""

    def __init__(self, errors: list[tuple[str, str]]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{f}: {m}" for f, m in errors))


@router.get("/observations", response=list[ObservationOut], summary="Stored figures")
@paginate(Pages)
def list_observations(
    request: HttpRequest,
    plan: str | None = text_query("Only this plan's measures (plan id)"),
    measure: str | None = text_query("Measure database id, or its id in the plan file"),
    area: str | None = text_query("ONS area code", 20),
    period: str | None = text_query("Period as written (2014/15, Q1 2025/26)", 100),
    breakdown: str | None = text_query("Breakdown (all for the whole population)"),
) -> Any:
    found = OBSERVATIONS.filter(measure_filter(caller(request), prefix="measure__"))
    found = of_plan_and_measure(found, plan, measure)
    if area:
        found = found.filter(area_code=area.upper())
    if period:
        try:
            label = read_period(period)[0]
        except PeriodError:
            label = period
        found = found.filter(period=label)
    if breakdown:
        found = found.filter(breakdown=breakdown)
    return found.order_by("measure_id", "area_code", "period_start", "breakdown", "id")


@router.get("/observations/{observation_id}", response=ObservationOut, summary="One figure")
def get_observation(request: HttpRequest, observation_id: Id) -> Any:
    found = OBSERVATIONS.filter(pk=observation_id).first()
    return visible(request, "observation.view", found, "observation")


# --- sending figures -----------------------------------------------------------------------


def _raw_frame(plan: pm.Plan, period: str, rows: list[ObservationIn]) -> pl.DataFrame:
    """The rows as text cells in the long format, each with its index as ``_row``."""
    columns = ("count", "denominator", "lower_ci95", "upper_ci95", "quality")
    records = [
        {
            "_row": index,
            "measure": row.measure,
            "area_code": row.area_code or plan.area_ons_code or "",
            "period": period,
            "breakdown": row.breakdown,
            "value": row.value,
            **{name: getattr(row, name) for name in columns},
            "source": "API",
            "note": row.commentary or None,
        }
        for index, row in enumerate(rows)
    ]
    schema = {name: pl.String for name in records[0]} | {"_row": pl.Int64}
    return pl.DataFrame(records, schema=schema)


def _store_directly(request: HttpRequest, plan: pm.Plan, body: SubmissionIn) -> SubmissionOut:
    measures = actions.plan_measures(plan)
    try:
        frame = validate_observations(
            _raw_frame(plan, body.period, body.observations),
            file="request",
            units={k: m.unit for k, m in measures.items() if m.unit},
            known_measures=set(measures),
        )
        batch = ObservationBatch(frame=frame, format="API", file="request")
        summary = actions.import_observations(
            batch, plan=plan, user=caller(request), reason=body.reason, source="API"
        )
    except DataImportError as error:
        raise Invalid(
            [
                (
                    f"observations[{p.row}].{p.column}" if p.row is not None else p.column or "",
                    p.message,
                )
                for p in error.problems
            ]
        ) from None
    return SubmissionOut(
        outcome="stored",
        created=summary.created,
        revised=summary.revised,
        unchanged=summary.unchanged,
    )


def _into_returns(request: HttpRequest, plan: pm.Plan, body: SubmissionIn) -> SubmissionOut:
    """A measure owner's figures: answers in their organisations' returns for the period."""
    user = caller(request)
    try:
        label = read_period(body.period)[0]
    except PeriodError as error:
        raise Invalid([("period", str(error))]) from None
    collection = dm.Collection.objects.filter(plan=plan, period=label).first()
    if collection is None or not collection.is_open:
        raise Invalid([("period", f"no collection is open for {label} in this plan")])
    items = {
        (item.measure.key, item.breakdown): item
        for item in dm.ReturnItem.objects.filter(data_return__collection=collection).select_related(
            "measure__theme__plan", "data_return__organisation"
        )
    }
    errors: list[tuple[str, str]] = []
    chosen: dict[int, tuple[int, dm.ReturnItem]] = {}
    for index, row in enumerate(body.observations):
        item = items.get((row.measure, row.breakdown))
        if item is None:
            errors.append((f"observations[{index}].measure", "not due in this collection"))
        elif not can(user, "return.submit", item.data_return):
            errors.append((f"observations[{index}].measure", "your organisation does not own it"))
        elif row.area_code and row.area_code.upper() != (plan.area_ons_code or "").upper():
            errors.append((f"observations[{index}].area_code", "returns are for the plan's area"))
        elif item.pk in chosen:
            errors.append((f"observations[{index}].measure", "given twice"))
        else:
            chosen[item.pk] = (index, item)
    if errors:
        raise Invalid(errors)
    by_return: dict[int, Any] = {}
    for _, item in chosen.values():
        by_return.setdefault(item.data_return_id, item.data_return)
    send = actions.submit_return if body.submit else actions.save_return
    try:
        with transaction.atomic():
            for data_return in by_return.values():
                answers = {
                    pk: actions.ItemAnswer(
                        body.observations[i].value, body.observations[i].commentary
                    )
                    for pk, (i, item) in chosen.items()
                    if item.data_return_id == data_return.pk
                }
                send(data_return, answers, commentary=body.commentary, user=user)
    except actions.ReturnFormError as error:
        index_of = {f"value-{pk}": i for pk, (i, _) in chosen.items()}
        raise Invalid(
            [
                (f"observations[{index_of[k]}].value" if k in index_of else k, message)
                for k, message in error.errors.items()
            ]
        ) from None
    except actions.ActionError as error:
        raise Invalid([("period", str(error))]) from None
    return SubmissionOut(outcome="submitted" if body.submit else "saved", returns=sorted(by_return))


@router.post(
    "/observations",
    response={200: SubmissionOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Send figures for one plan and period (all or nothing)",
)
def send_observations(request: HttpRequest, body: SubmissionIn) -> Any:
    plan = visible(request, "plan.view", pm.Plan.objects.filter(slug=body.plan).first(), "plan")
    require(request, "observation.submit", plan)
    try:
        if can(caller(request), "observation.import", plan):
            return _store_directly(request, plan, body)
        return _into_returns(request, plan, body)
    except Invalid as error:
        return Status(
            422,
            ErrorOut(
                detail="nothing was stored: " + str(error),
                errors=[FieldError(field=f, message=m) for f, m in error.errors],
            ),
        )
