"""Build ``worcestershire-national.csv``: real published figures for the Worcestershire plan.

Run from the repository root::

    python examples/data/build_worcestershire_demo.py [SHARED_DATA_DIR]

It reads the plan (``examples/worcestershire-2014-17.yaml``) and its mapping to national
indicators (``examples/data/worcestershire-national-indicators.yaml``), imports the LAIT data
set through cypp's own LAIT reader, keeps the mapped measures for Worcestershire
(E10000034), England, the West Midlands and Worcestershire's DfE statistical neighbours
(2021 and 2025 models), and writes them in cypp's long format. Self-harm admissions
(m01, Fingertips indicator 90813) are not in LAIT; they come from the Fingertips extract
saved by Trafford Data Lab (to 2017/18). Nothing is computed: every figure is as
published (Open Government Licence v3.0; DfE, OHID).
"""

from __future__ import annotations

import sys
from pathlib import Path

import polars as pl

from cypp.data.areas import comparison_areas
from cypp.data.formats import read_observations
from cypp.data.indicators import load_mapping, measure_specs
from cypp.domain.planfile import load_plan

ROOT = Path(__file__).resolve().parents[2]
PLAN = ROOT / "examples" / "worcestershire-2014-17.yaml"
MAPPING = ROOT / "examples" / "data" / "worcestershire-national-indicators.yaml"
OUTPUT = Path(__file__).resolve().with_name("worcestershire-national.csv")
AREA = "E10000034"
COLUMNS = [
    "measure",
    "area_code",
    "period",
    "breakdown",
    "value",
    "unit",
    "quality",
    "source",
    "note",
]


def _long(frame: pl.DataFrame) -> pl.DataFrame:
    """Validated observations back as long-format text (suppressed cells keep their code)."""
    frame = frame.with_columns(pl.col(pl.Categorical).cast(pl.String))
    return frame.select(
        "measure",
        "area_code",
        "period",
        "breakdown",
        pl.when(pl.col("suppression_code").is_not_null())
        .then(pl.col("suppression_code"))
        .otherwise(pl.col("value").cast(pl.String))
        .alias("value"),
        pl.col("unit").cast(pl.String),
        pl.when(pl.col("quality") == "suppressed")
        .then(None)
        .otherwise(pl.col("quality").cast(pl.String))
        .alias("quality"),
        "source",
        "note",
    )


def _self_harm(shared: Path, areas: list[str]) -> pl.DataFrame:
    raw = pl.read_csv(
        shared / "trafford" / "fingertips_iid90813_self_harm_10_24_counties_ua_2011-2018.csv",
        infer_schema=False,
    )
    return raw.filter(pl.col("area_code").is_in(areas)).select(
        pl.lit("m01").alias("measure"),
        "area_code",
        "period",
        pl.lit("all").alias("breakdown"),
        "value",
        pl.lit("rate_per_100000").alias("unit"),
        pl.lit(None, pl.String).alias("quality"),
        pl.lit("OHID Fingertips indicator 90813 (via Trafford Data Lab)").alias("source"),
        pl.lit(None, pl.String).alias("note"),
    )


def build(shared: Path) -> pl.DataFrame:
    specs = measure_specs(load_plan(PLAN), load_mapping(MAPPING))
    lait_only = {
        m: type(s)(s.id, s.unit, tuple(r for r in s.indicators if r.publisher.value == "lait"))
        for m, s in specs.items()
    }
    areas = list(
        dict.fromkeys(
            a.ons_code for model in ("2025", "2021") for a in comparison_areas(AREA, model)
        )
    )
    lait = read_observations(shared / "lait" / "lait_bds_long.parquet", plan_measures=lait_only)
    kept = _long(lait.frame.filter(pl.col("area_code").is_in(areas)))
    combined = pl.concat([kept, _self_harm(shared, areas)])
    return combined.sort("measure", "area_code", "period")


def main(argv: list[str]) -> int:
    shared = Path(argv[0]) if argv else ROOT.parent / "shared" / "data"
    frame = build(shared)
    frame.select(COLUMNS).write_csv(OUTPUT)
    print(f"wrote {frame.height} rows to {OUTPUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
