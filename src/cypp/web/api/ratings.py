"""Ratings of a measure from its stored figures, made by :mod:`cypp.stats` on request.

Nothing is stored or invented here: a measure without figures is rated "Awaiting data",
and every rating carries the inputs, comparators and rule version it came from.
"""

import math
from collections import defaultdict
from datetime import date
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from cypp.data.areas import UnknownAreaError, areas_frame, statistical_neighbours
from cypp.data.observations import ALL
from cypp.stats.assess import AssessmentContext, rate_measure
from cypp.stats.rating import Observation
from cypp.web.accounts.policy import measure_filter
from cypp.web.api.auth import caller, visible
from cypp.web.api.pagination import Pages
from cypp.web.api.params import Id, of_plan_and_measure, text_query
from cypp.web.api.schemas import RatingOut, StoredRatingOut
from cypp.web.data import models as dm
from cypp.web.performance.models import StoredRating
from cypp.web.plans import models as pm
from cypp.web.plans.actions import plan_to_domain

router = Router(tags=["ratings"])
STORED = StoredRating.objects.select_related("measure__theme__plan", "run")
ENGLAND = "E92000001"


def _clean(value: Any) -> Any:
    """JSON-safe provenance: non-finite floats become null, tuples lists."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


def _point(row: dm.Observation) -> Observation:
    return Observation.of(
        row.value,
        row.period,
        lower95=row.lower_ci95,
        upper95=row.upper_ci95,
        lower998=row.lower_ci998,
        upper998=row.upper_ci998,
        count=row.count,
        denominator=row.denominator,
        area_code=row.area_code,
        breakdown=row.breakdown,
    )


def _neighbour_average(rows: list[dm.Observation], area_code: str) -> list[Observation]:
    try:
        codes = {n.area.ons_code for n in statistical_neighbours(area_code)}
    except UnknownAreaError:
        return []
    values: dict[str, list[float]] = defaultdict(list)
    for row in rows:
        if row.area_code in codes and row.breakdown == ALL and row.value is not None:
            values[row.period].append(row.value)
    return [Observation.of(sum(v) / len(v), period) for period, v in values.items()]


@router.get(
    "/ratings",
    response=list[StoredRatingOut],
    summary="Stored ratings: the ones scorecards and board packs were made from",
)
@paginate(Pages)
def list_stored_ratings(
    request: HttpRequest,
    plan: str | None = text_query("Only this plan's ratings (plan id)"),
    measure: str | None = text_query("Measure database id, or its id in the plan file"),
    period: str | None = text_query("Only ratings of this reporting period", 100),
) -> Any:
    found = STORED.filter(measure_filter(caller(request), prefix="measure__"))
    found = of_plan_and_measure(found, plan, measure)
    if period:
        found = found.filter(run__period=period)
    return found.order_by("-run__computed_at", "run_id", "position", "id")


@router.get(
    "/measures/{measure_id}/ratings",
    response=list[RatingOut],
    summary="The measure's ratings against each of its targets",
)
def measure_ratings(
    request: HttpRequest,
    measure_id: Id,
    as_of: Annotated[date | None, Query(description="Rate with the figures known then")] = None,
) -> Any:
    stored = pm.Measure.objects.select_related("theme__plan").filter(pk=measure_id).first()
    stored = visible(request, "observation.view", stored, "measure")
    plan = stored.theme.plan
    domain = next(m for _, _, m in plan_to_domain(plan).measures() if m.id == stored.key)
    rows = list(dm.Observation.objects.filter(measure=stored))
    if as_of is not None:
        rows = [row for row in rows if row.period_end <= as_of]
    area = (plan.area_ons_code or "").upper() or None
    las = set(areas_frame().filter(areas_frame()["kind"] == "la")["ons_code"].to_list())
    context = AssessmentContext(
        area_code=area,
        as_of=as_of,
        benchmarks={
            "england": [_point(r) for r in rows if r.area_code == ENGLAND and r.breakdown == ALL],
            "statistical_neighbours": _neighbour_average(rows, area) if area else [],
        },
        peers=[_point(r) for r in rows if r.area_code in las and r.breakdown == ALL],
    )
    own = [_point(r) for r in rows if r.area_code == area]
    return [
        RatingOut(
            measure=stored.pk,
            area_code=rating.area_code or area,
            period=rating.period,
            status=rating.status.value,
            explanation=rating.explain(),
            target_kind=rating.kind.value,
            method=rating.method,
            rule_version=rating.rule_version,
            provenance=_clean(rating.as_dict()),
        )
        for rating in rate_measure(domain, own, context)
    ]
