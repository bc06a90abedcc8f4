"""Real published figures for the Worcestershire example plan, for ``cypp demo``.

``examples/data/worcestershire-national.csv`` (long format) holds LAIT and Fingertips
values for Worcestershire, England, the West Midlands and Worcestershire's DfE
statistical neighbours for every plan measure that has a national equivalent
(``examples/data/worcestershire-national-indicators.yaml``). It is made from the public files
by ``examples/data/build_worcestershire_demo.py``; this module only reads it, through the
same validation as any upload.
"""

from __future__ import annotations

from pathlib import Path

from cypp.data.formats import read_observations
from cypp.data.indicators import load_mapping, measure_specs
from cypp.data.observations import ObservationBatch
from cypp.domain.planfile import load_plan

__all__ = ["DEMO_AREA", "DEMO_DATA", "DEMO_MAPPING", "DEMO_PLAN", "demo_observations"]

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
DEMO_PLAN = EXAMPLES / "worcestershire-2014-17.yaml"
DEMO_MAPPING = EXAMPLES / "data" / "worcestershire-national-indicators.yaml"
DEMO_DATA = EXAMPLES / "data" / "worcestershire-national.csv"
DEMO_AREA = "E10000034"


def demo_observations(examples: Path | None = None) -> ObservationBatch:
    """The demo figures, validated against the Worcestershire plan's measures."""
    base = examples or EXAMPLES
    specs = measure_specs(
        load_plan(base / DEMO_PLAN.name), load_mapping(base / "data" / DEMO_MAPPING.name)
    )
    return read_observations(base / "data" / DEMO_DATA.name, plan_measures=specs)
