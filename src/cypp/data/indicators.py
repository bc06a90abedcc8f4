"""Which published indicator a plan measure corresponds to, and mapping files that say so.

A plan measure can name its national equivalent (``Measure.national_indicator``) or a
separate mapping file can (``examples/data/*-national-indicators.yaml``): a Fingertips
indicator ID, a LAIT measure code (``Short Desc``) or an Explore Education Statistics
indicator. Each becomes an :class:`IndicatorRef`, whose :attr:`~IndicatorRef.key` is the
text that readers put in the ``indicator`` column of a publisher's file, so mapping rows
to plan measures is one join.

EES references are written ``DATASET:INDICATOR`` or ``DATASET:INDICATOR[FILTER=VALUE; …]``,
for example ``cla_number_and_rate_per_10k_children:rate_per_10000[population_type=Children
looked after at 31 March each year]``: the data set (file stem or API data-set id), the
indicator column and the filter values that pick one series out of a wide file.

Mapping file (YAML)::

    cypp_indicator_mapping: 1
    plan: worcestershire-2014-17
    measures:
      m16: {lait: "CPP_Total_Rateper10,000", note: "referrals per 10,000 children"}
      m01: {fingertips: 90813}
      m17:
        ees: d3_cpps_subsequent_plan_2013_to_2025:CPP_subsequent_percent
        ees_dataset_id: 01234567-89ab-cdef-0123-456789abcdef   # from the data set's EES page

``ees_dataset_id`` is the API data-set id that ``cypp data refresh`` downloads for the
measure's EES series when DATASET is a file name (what an upload is matched on); an EES
reference whose DATASET is itself an API id needs none.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path
from typing import Any

import yaml

from cypp.domain.plan import NationalIndicator, Plan
from cypp.domain.units import Unit

__all__ = [
    "IndicatorMapping",
    "IndicatorRef",
    "MappingError",
    "MeasureSpec",
    "Publisher",
    "is_api_id",
    "load_mapping",
    "measure_specs",
]


class Publisher(StrEnum):
    FINGERTIPS = "fingertips"
    LAIT = "lait"
    EES = "ees"


class MappingError(ValueError):
    """A mapping file or reference is malformed; the message names the place."""


#: An EES API data-set id: a GUID, as shown on the data set's page in the EES data catalogue.
_API_ID = re.compile(r"^[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}$")
_EES = re.compile(r"^(?P<dataset>[^:\[\]]+):(?P<indicator>[^:\[\]]+)(?:\[(?P<filters>[^\]]*)\])?$")


@dataclass(frozen=True)
class IndicatorRef:
    """One published series: publisher, code and (EES) data set and filter values."""

    publisher: Publisher
    code: str
    dataset: str | None = None
    filters: tuple[tuple[str, str], ...] = ()
    #: EES: the API data-set id to download the series from, when ``dataset`` is a file name.
    dataset_id: str | None = None

    @property
    def api_dataset_id(self) -> str | None:
        """The EES API data-set id of this series, if known (None: it must come from a file)."""
        if self.dataset_id:
            return self.dataset_id
        return self.dataset if self.dataset and is_api_id(self.dataset) else None

    @property
    def key(self) -> str:
        """The text readers write in the ``indicator`` column for rows of this series."""
        if self.publisher is Publisher.EES:
            return f"ees:{self.dataset}:{self.code}"
        return f"{self.publisher.value}:{self.code}"

    @classmethod
    def fingertips(cls, indicator_id: int | str) -> IndicatorRef:
        text = str(indicator_id).strip()
        if not text.isdigit():
            raise MappingError(f"{indicator_id!r} is not a Fingertips indicator ID (a number)")
        return cls(Publisher.FINGERTIPS, text)

    @classmethod
    def lait(cls, measure: str) -> IndicatorRef:
        if not str(measure).strip():
            raise MappingError("a LAIT measure code cannot be empty")
        return cls(Publisher.LAIT, str(measure).strip())

    @classmethod
    def ees(cls, text: str) -> IndicatorRef:
        match = _EES.match(str(text).strip())
        if not match:
            raise MappingError(
                f"{text!r} is not an EES reference: write DATASET:INDICATOR or "
                "DATASET:INDICATOR[FILTER=VALUE; …]"
            )
        filters = []
        for part in (match["filters"] or "").split(";"):
            if not part.strip():
                continue
            name, equals, value = part.partition("=")
            if not equals or not name.strip():
                raise MappingError(f"{text!r}: filter {part.strip()!r} is not FILTER=VALUE")
            filters.append((name.strip(), value.strip()))
        return cls(
            Publisher.EES, match["indicator"].strip(), match["dataset"].strip(), tuple(filters)
        )

    def __str__(self) -> str:
        if self.filters:
            inner = "; ".join(f"{k}={v}" for k, v in self.filters)
            return f"{self.key}[{inner}]"
        return self.key


@dataclass(frozen=True)
class MeasureSpec:
    """What the data layer needs to know about a plan measure to import its figures."""

    id: str
    unit: Unit | None = None
    indicators: tuple[IndicatorRef, ...] = ()


@dataclass(frozen=True)
class IndicatorMapping:
    """A mapping file: plan measure id → its published equivalents (and why)."""

    plan: str | None
    indicators: Mapping[str, tuple[IndicatorRef, ...]]
    notes: Mapping[str, str] = field(default_factory=dict)
    #: Measures with no national equivalent, and why.
    unmapped: Mapping[str, str] = field(default_factory=dict)


def is_api_id(text: str) -> bool:
    """Whether ``text`` is written as an EES API data-set id (a GUID)."""
    return bool(_API_ID.match(text.strip()))


def refs_from_national(indicator: NationalIndicator | None) -> tuple[IndicatorRef, ...]:
    if indicator is None:
        return ()
    refs = []
    if indicator.fingertips_indicator_id is not None:
        refs.append(IndicatorRef.fingertips(indicator.fingertips_indicator_id))
    if indicator.lait_measure:
        refs.append(IndicatorRef.lait(indicator.lait_measure))
    if indicator.ees:
        refs.append(IndicatorRef.ees(indicator.ees))
    return tuple(refs)


def _refs_from_entry(entry: Mapping[str, Any], where: str) -> tuple[IndicatorRef, ...]:
    unknown = set(entry) - {"fingertips", "lait", "ees", "ees_dataset_id", "note"}
    if unknown:
        raise MappingError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    refs: list[IndicatorRef] = []
    try:
        for name, build in (
            ("fingertips", IndicatorRef.fingertips),
            ("lait", IndicatorRef.lait),
            ("ees", IndicatorRef.ees),
        ):
            value = entry.get(name)
            values = value if isinstance(value, list) else [] if value is None else [value]
            refs.extend(build(v) for v in values)
    except MappingError as error:
        raise MappingError(f"{where}: {error}") from None
    if not refs:
        raise MappingError(f"{where}: names no indicator (fingertips, lait or ees)")
    api_id = entry.get("ees_dataset_id")
    if api_id is not None:
        if not entry.get("ees"):
            raise MappingError(f"{where}: ees_dataset_id is given but no ees series")
        if not is_api_id(str(api_id)):
            raise MappingError(
                f"{where}: ees_dataset_id {api_id!r} is not an EES API data-set id (a GUID "
                "such as the one on the data set's page in the EES data catalogue)"
            )
        refs = [
            replace(r, dataset_id=str(api_id).strip()) if r.publisher is Publisher.EES else r
            for r in refs
        ]
    return tuple(refs)


def load_mapping(path: Path) -> IndicatorMapping:
    """Read a mapping file; raises :class:`MappingError` naming the measure at fault."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise MappingError(f"{path.name}: not valid YAML: {error}") from None
    if not isinstance(data, dict) or data.get("cypp_indicator_mapping") != 1:
        raise MappingError(f"{path.name}: not a mapping file (needs 'cypp_indicator_mapping: 1')")
    unmapped = data.get("unmapped") or {}
    if not isinstance(unmapped, dict):
        raise MappingError(f"{path.name}: 'unmapped' must map measure ids to reasons")
    measures = data.get("measures")
    if not isinstance(measures, dict) or not measures:
        raise MappingError(f"{path.name}: 'measures' must map measure ids to indicators")
    indicators, notes = {}, {}
    for measure, entry in measures.items():
        where = f"{path.name}, measures.{measure}"
        if not isinstance(entry, dict):
            raise MappingError(f"{where}: expected fingertips/lait/ees keys")
        indicators[str(measure)] = _refs_from_entry(entry, where)
        if entry.get("note"):
            notes[str(measure)] = str(entry["note"])
    both = sorted(set(indicators) & {str(m) for m in unmapped})
    if both:
        raise MappingError(f"{path.name}: mapped and unmapped at once: {', '.join(both)}")
    return IndicatorMapping(
        data.get("plan"), indicators, notes, {str(k): str(v) for k, v in unmapped.items()}
    )


def measure_specs(
    plan: Plan | Iterable[MeasureSpec], mapping: IndicatorMapping | None = None
) -> dict[str, MeasureSpec]:
    """Every plan measure with its unit and national indicators (plan file, then mapping).

    A mapping entry for a measure the plan lacks is an error: it is almost always a typo.
    """
    if isinstance(plan, Plan):
        specs = {
            measure.id: MeasureSpec(
                measure.id, measure.unit, refs_from_national(measure.national_indicator)
            )
            for _path, _theme, measure in plan.measures()
        }
    else:
        specs = {spec.id: spec for spec in plan}
    if mapping is not None:
        unknown = sorted(set(mapping.indicators) - set(specs))
        if unknown:
            raise MappingError(f"the mapping names measures the plan lacks: {', '.join(unknown)}")
        for measure, refs in mapping.indicators.items():
            spec = specs[measure]
            # A mapping may add an API id to a series the plan names already.
            with_ids = {replace(r, dataset_id=None): r for r in refs}
            kept = tuple(with_ids.pop(replace(r, dataset_id=None), r) for r in spec.indicators)
            merged = kept + tuple(r for r in with_ids.values() if r not in kept)
            specs[measure] = MeasureSpec(spec.id, spec.unit, merged)
    return specs
