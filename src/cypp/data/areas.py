"""English areas for children's services data: England, regions and upper-tier LAs.

Statistics arrive keyed by ONS codes (Fingertips, EES ``new_la_code``) or DfE 3-digit
codes (LAIT, EES ``old_la_code``), and area names differ between publishers
("Bristol, City of" / "Bristol"), so everything here joins on codes, never on names.
Some LAs changed ONS code while keeping their DfE code (Buckinghamshire in 2020, North
Yorkshire and Somerset in 2023); each code is one :class:`Area` with the dates it was
in use, and :func:`current_area` follows a DfE code to the code in use today.

The tables are package data derived from DfE and ONS publications (Open Government
Licence v3.0); see ``reference/NOTICE.md``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cache
from importlib import resources

import polars as pl

from cypp.data.build_reference import AREA_SCHEMA

__all__ = [
    "ENGLAND",
    "Area",
    "AreaKind",
    "Neighbour",
    "UnknownAreaError",
    "all_areas",
    "area_by_dfe",
    "area_by_ons",
    "area_for",
    "areas_frame",
    "comparison_areas",
    "current_area",
    "neighbours_frame",
    "region_of",
    "statistical_neighbours",
]

ENGLAND = "E92000001"
NEIGHBOUR_MODELS = ("2021", "2025")


class AreaKind(StrEnum):
    COUNTRY = "country"
    REGION = "region"
    #: Inner and Outer London: DfE publishes figures for them (LAIT 987, 988).
    LONDON_SUBREGION = "london_subregion"
    LA = "la"


LA_TYPES = {
    "UA": "Unitary authority",
    "SC": "Shire county",
    "MD": "Metropolitan district",
    "ILB": "Inner London borough",
    "OLB": "Outer London borough",
}


class UnknownAreaError(KeyError):
    """A code is not an English upper-tier LA, region or England (or not on that date)."""

    def __str__(self) -> str:
        return str(self.args[0])


@dataclass(frozen=True)
class Area:
    ons_code: str
    dfe_code: int | None
    name: str
    kind: AreaKind
    #: LAIT's type: UA, SC, MD, ILB or OLB (see ``LA_TYPES``); None for England and regions.
    la_type: str | None
    #: The ONS region (E12) an LA or London sub-region lies in; None for England and regions.
    region_code: str | None
    #: First and last day this ONS code was used for the area; None where it predates or
    #: outlives the reference data.
    valid_from: date | None
    valid_to: date | None

    @property
    def is_current(self) -> bool:
        return self.valid_to is None

    def valid_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


@dataclass(frozen=True)
class Neighbour:
    rank: int
    area: Area
    #: DfE's wording: Extremely close, Very close, Close, Somewhat close, Not close.
    closeness: str


def _reference_csv(name: str, schema: dict[str, pl.DataType] | None = None) -> pl.DataFrame:
    path = resources.files("cypp.data").joinpath("reference", name)
    with resources.as_file(path) as real:
        return pl.read_csv(real, schema=schema) if schema else pl.read_csv(real)


@cache
def areas_frame() -> pl.DataFrame:
    """Every area code as a polars frame (schema as :class:`Area`), for vectorised joins."""
    return _reference_csv("areas.csv", dict(AREA_SCHEMA))  # type: ignore[arg-type]


@cache
def neighbours_frame() -> pl.DataFrame:
    """Statistical neighbours: ``model, dfe_code, rank, neighbour_dfe_code, closeness``."""
    return _reference_csv(
        "statistical_neighbours.csv",
        {
            "model": pl.String(),
            "dfe_code": pl.Int64(),
            "rank": pl.Int64(),
            "neighbour_dfe_code": pl.Int64(),
            "closeness": pl.String(),
        },
    )


@cache
def all_areas() -> tuple[Area, ...]:
    return tuple(
        Area(**{**row, "kind": AreaKind(row["kind"])})
        for row in areas_frame().iter_rows(named=True)
    )


@cache
def _by_ons() -> dict[str, Area]:
    return {area.ons_code: area for area in all_areas()}


@cache
def _by_dfe() -> dict[int, tuple[Area, ...]]:
    lineage: dict[int, list[Area]] = {}
    for area in all_areas():
        if area.dfe_code is not None:
            lineage.setdefault(area.dfe_code, []).append(area)
    # Oldest first: an LA without an end date is the one in use now.
    return {
        code: tuple(sorted(items, key=lambda a: (a.valid_to is None, a.valid_to or date.min)))
        for code, items in lineage.items()
    }


def _clean_ons(code: str) -> str:
    return code.strip().upper()


def _clean_dfe(code: int | str) -> int:
    try:
        return int(str(code).strip())
    except ValueError:
        raise UnknownAreaError(f"{code!r} is not a DfE LA code (three digits, like 885)") from None


def area_by_ons(code: str, on: date | None = None) -> Area:
    """The area with this ONS code; with ``on``, only if the code was in use that day."""
    area = _by_ons().get(_clean_ons(code))
    if area is None:
        raise UnknownAreaError(
            f"{code!r} is not the ONS code of England, an English region or upper-tier LA"
        )
    if on is not None and not area.valid_on(on):
        successor = current_area(area.ons_code)
        hint = f"; on that day use {successor.ons_code}" if successor.valid_on(on) else ""
        raise UnknownAreaError(
            f"{area.ons_code} ({area.name}) was not in use on {on.isoformat()} "
            f"(in use {area.valid_from or 'before 2012'} to {area.valid_to or 'now'}){hint}"
        )
    return area


def area_by_dfe(code: int | str, on: date | None = None) -> Area:
    """The area with this DfE code: the code in use on ``on`` (default: the latest one)."""
    lineage = _by_dfe().get(_clean_dfe(code))
    if not lineage:
        raise UnknownAreaError(f"{code!r} is not a DfE code of England, a region or an LA")
    if on is None:
        return lineage[-1]
    for area in lineage:
        if area.valid_on(on):
            return area
    raise UnknownAreaError(f"DfE LA {code} ({lineage[-1].name}) did not exist on {on.isoformat()}")


def area_for(code: str | int) -> Area:
    """An area from either kind of code: ONS (``E10000034``) or DfE (``885``)."""
    text = str(code).strip()
    return area_by_dfe(text) if text.isdigit() else area_by_ons(text)


def current_area(code: str | int) -> Area:
    """The code in use now for the same LA (Buckinghamshire E10000002 → E06000060).

    LAs that were abolished (Northamptonshire, Cumbria, the pre-2019 Dorset LAs) are
    returned as they were: they have no single successor.
    """
    area = area_for(code)
    if area.dfe_code is None:
        return area
    return _by_dfe()[area.dfe_code][-1]


def region_of(code: str | int) -> Area:
    """The ONS region (E12) an LA or London sub-region lies in; a region is its own."""
    area = area_for(code)
    if area.kind is AreaKind.REGION:
        return area
    if area.region_code is None:
        raise UnknownAreaError(f"{area.name} ({area.ons_code}) is not inside a region")
    return area_by_ons(area.region_code)


def statistical_neighbours(code: str | int, model: str = "2025") -> list[Neighbour]:
    """DfE children's services statistical neighbours, closest first (ranks 1 to 10).

    Neighbours are given by their current code. An LA that did not exist when a model
    was built (Cumberland in the 2021 model) has none, which raises.
    """
    if model not in NEIGHBOUR_MODELS:
        raise ValueError(
            f"statistical-neighbour model {model!r} unknown; use one of {NEIGHBOUR_MODELS}"
        )
    area = area_for(code)
    rows = _neighbour_rows(model).get(area.dfe_code or -1, ())
    if not rows:
        raise UnknownAreaError(
            f"the {model} DfE model has no statistical neighbours for {area.name}"
        )
    return [
        Neighbour(rank, area_by_dfe(neighbour), closeness) for rank, neighbour, closeness in rows
    ]


@cache
def _neighbour_rows(model: str) -> dict[int, Sequence[tuple[int, int, str]]]:
    result: dict[int, list[tuple[int, int, str]]] = {}
    frame = neighbours_frame().filter(pl.col("model") == model).sort("dfe_code", "rank")
    for dfe, rank, neighbour, closeness in frame.select(
        "dfe_code", "rank", "neighbour_dfe_code", "closeness"
    ).iter_rows():
        result.setdefault(dfe, []).append((rank, neighbour, closeness))
    return dict(result)


def comparison_areas(code: str | int, model: str = "2025") -> list[Area]:
    """The areas a plan area is compared with, itself first: the area, England, its
    region and its DfE statistical neighbours (closest first). The set a data refresh
    fetches for every mapped measure."""
    area = current_area(code)
    result = [area, area_by_ons(ENGLAND)]
    if area.kind is AreaKind.LA:
        result.append(region_of(area.ons_code))
        result += [n.area for n in statistical_neighbours(area.ons_code, model)]
    elif area.kind is AreaKind.LONDON_SUBREGION:
        result.append(region_of(area.ons_code))
    return list(dict.fromkeys(result))
