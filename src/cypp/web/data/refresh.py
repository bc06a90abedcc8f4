"""Fetch the national figures for every plan measure mapped to a published indicator.

A measure names its Fingertips indicator or EES series in the plan (or in a mapping
file); :func:`fetch_national` asks each service once per series for the plan area,
England, its region and its statistical neighbours, and joins the answers into one
batch, so a refresh is stored whole by :func:`cypp.web.data.actions.import_observations`
or not at all. LAIT has no API: its measures are listed as needing a file import, as are EES series
whose API data-set id the mapping does not give (``ees_dataset_id``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import polars as pl

from cypp.data.clients import EesClient, FingertipsClient
from cypp.data.errors import DataImportError, PublicDataError
from cypp.data.indicators import IndicatorMapping, Publisher, measure_specs
from cypp.data.observations import KEY, ObservationBatch, empty_observations
from cypp.web.plans import models as pm
from cypp.web.plans.actions import plan_to_domain

__all__ = ["Refresh", "fetch_national"]


@dataclass
class Refresh:
    """What a refresh fetched, what it could not, and what it left for a file import."""

    batch: ObservationBatch
    fetched: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    needs_file: list[str] = field(default_factory=list)
    #: EES series whose API data-set id is not known, each with what to do about it.
    needs_id: list[str] = field(default_factory=list)


def fetch_national(
    plan: pm.Plan,
    *,
    mapping: IndicatorMapping | None = None,
    fingertips: FingertipsClient | None = None,
    ees: EesClient | None = None,
    model: str = "2025",
) -> Refresh:
    """Download every mapped series; failures are collected, not raised, so all are named."""
    if not plan.area_ons_code:
        raise PublicDataError(f"the plan {plan.slug!r} has no ONS area code to fetch figures for")
    specs = measure_specs(plan_to_domain(plan), mapping)
    fingertips = fingertips or FingertipsClient()
    ees = ees or EesClient()
    frames: list[pl.DataFrame] = []
    result = Refresh(ObservationBatch(empty_observations(), "refresh", f"refresh of {plan.slug}"))
    for key, spec in specs.items():
        for ref in spec.indicators:
            label = f"{key} ← {ref}"
            if ref.publisher is Publisher.EES and ref.api_dataset_id is None:
                result.needs_id.append(
                    f"{label}: no Explore Education Statistics API data-set id for the measure "
                    f"{key}; add `ees_dataset_id: ID` to {key} in the mapping file (the id is "
                    "on the data set's page in the EES data catalogue), or import the "
                    "data set's file with `cypp data import`"
                )
                continue
            try:
                batch = _fetch(ref, key, spec.unit, plan.area_ons_code, fingertips, ees, model)
            except (PublicDataError, DataImportError) as error:
                result.failures.append(f"{label}: {error}")
                continue
            if batch is None:
                result.needs_file.append(label)
                continue
            frames.append(batch.frame)
            result.fetched.append(f"{label}: {batch.frame.height} figures")
            result.batch.notes.extend(f"{key}: {note}" for note in batch.notes)
    if frames:
        frame = pl.concat(frames)
        unique = frame.unique(subset=list(KEY), keep="first", maintain_order=True)
        if unique.height < frame.height:
            result.batch.notes.append(
                f"{frame.height - unique.height} figures given by two series for the same "
                "measure were taken from the first series only"
            )
        result.batch.frame = unique
    return result


def _fetch(
    ref: Any,
    measure: str,
    unit: Any,
    area: str,
    fingertips: FingertipsClient,
    ees: EesClient,
    model: str,
) -> ObservationBatch | None:
    if ref.publisher is Publisher.FINGERTIPS:
        return fingertips.observations(int(ref.code), area, measure=measure, unit=unit, model=model)
    if ref.publisher is Publisher.EES:
        return ees.observations(
            ref.api_dataset_id, ref, area, measure=measure, unit=unit, model=model
        )
    return None
