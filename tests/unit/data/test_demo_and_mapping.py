"""The Worcestershire mapping to national indicators and the demo figures built from it."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from cypp.data.areas import comparison_areas
from cypp.data.demo import DEMO_DATA, DEMO_MAPPING, DEMO_PLAN, demo_observations
from cypp.data.formats.lait import lait_measures
from cypp.data.indicators import (
    IndicatorRef,
    MappingError,
    MeasureSpec,
    Publisher,
    load_mapping,
    measure_specs,
)
from cypp.domain.planfile import load_plan
from tests.paths import EXAMPLES


def test_every_plan_measure_is_mapped_or_says_why_not() -> None:
    plan = load_plan(DEMO_PLAN)
    mapping = load_mapping(DEMO_MAPPING)
    ids = {measure.id for _, _, measure in plan.measures()}
    assert set(mapping.indicators) | set(mapping.unmapped) == ids
    assert not set(mapping.indicators) & set(mapping.unmapped)
    assert len(mapping.indicators) == 23


def test_mapped_lait_codes_exist_in_lait() -> None:
    known = set(lait_measures()["code"])
    refs = [r for refs in load_mapping(DEMO_MAPPING).indicators.values() for r in refs]
    lait = [r.code for r in refs if r.publisher is Publisher.LAIT]
    assert lait and set(lait) <= known


def test_ees_references_are_parsed_with_filters() -> None:
    ref = IndicatorRef.ees("cla:rate_per_10000[population_type=Children looked after; sex=Total]")
    assert ref.key == "ees:cla:rate_per_10000"
    assert ref.filters == (("population_type", "Children looked after"), ("sex", "Total"))
    with pytest.raises(MappingError, match="not an EES reference"):
        IndicatorRef.ees("rate_per_10000")
    with pytest.raises(MappingError, match="not a Fingertips indicator ID"):
        IndicatorRef.fingertips("abc")


#: A placeholder in the form of an EES API data-set id (a GUID); not a real data set.
PLACEHOLDER_ID = "8f2c2b6e-0000-4000-8000-000000000001"


def test_ees_dataset_id_gives_a_file_named_series_its_api_data_set(tmp_path: Path) -> None:
    path = tmp_path / "map.yaml"
    path.write_text(
        "cypp_indicator_mapping: 1\nmeasures:\n"
        "  m25:\n    ees: cla_number_and_rate_per_10k_children:rate_per_10000\n"
        f"    ees_dataset_id: {PLACEHOLDER_ID}\n    lait: LAC\n"
        "  m17: {ees: d3_cpps_subsequent_plan_2013_to_2025:CPP_subsequent_percent}\n"
    )
    mapping = load_mapping(path)
    lait, ees = mapping.indicators["m25"]
    assert ees.key == "ees:cla_number_and_rate_per_10k_children:rate_per_10000"
    assert ees.api_dataset_id == PLACEHOLDER_ID and lait.dataset_id is None
    [unnamed] = mapping.indicators["m17"]
    assert unnamed.api_dataset_id is None
    assert IndicatorRef.ees(f"{PLACEHOLDER_ID}:rate").api_dataset_id == PLACEHOLDER_ID
    # The plan's own reference to the same series gains the id instead of being doubled.
    plan_ref = IndicatorRef.ees("cla_number_and_rate_per_10k_children:rate_per_10000")
    plan = [MeasureSpec("m25", None, (plan_ref,)), MeasureSpec("m17")]
    specs = measure_specs(plan, mapping)
    assert [r.api_dataset_id for r in specs["m25"].indicators] == [PLACEHOLDER_ID, None]
    assert specs["m25"].indicators[1] == lait


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("{lait: LAC, ees_dataset_id: " + PLACEHOLDER_ID + "}", "no ees series"),
        ("{ees: 'cla:rate', ees_dataset_id: cla_2025}", "not an EES API data-set id"),
    ],
)
def test_a_wrong_ees_dataset_id_is_refused(tmp_path: Path, entry: str, message: str) -> None:
    path = tmp_path / "map.yaml"
    path.write_text(f"cypp_indicator_mapping: 1\nmeasures:\n  m25: {entry}\n")
    with pytest.raises(MappingError, match=rf"measures\.m25: .*{message}"):
        load_mapping(path)


def test_a_mapping_naming_a_measure_the_plan_lacks_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "map.yaml"
    path.write_text("cypp_indicator_mapping: 1\nmeasures:\n  m99: {lait: LAC}\n")
    with pytest.raises(MappingError, match="m99"):
        measure_specs(load_plan(DEMO_PLAN), load_mapping(path))
    path.write_text("cypp_indicator_mapping: 1\nmeasures:\n  m01: {lait: LAC, colour: red}\n")
    with pytest.raises(MappingError, match=r"measures\.m01: unknown key"):
        load_mapping(path)


def test_demo_figures_are_the_published_lait_values(shared_dir: Path) -> None:
    batch = demo_observations()
    frame = batch.frame
    lait = pl.read_parquet(shared_dir / "data" / "lait" / "lait_bds_long.parquet")
    published = lait.filter(
        (pl.col("Short Desc") == "LAC") & (pl.col("LA Number") == 885) & (pl.col("Years") == "2025")
    )["Values"][0]
    worcs = frame.filter(
        (pl.col("measure") == "m25")
        & (pl.col("area_code") == "E10000034")
        & (pl.col("period") == "2024/25")
    )
    assert worcs["value"].to_list() == [float(published)]


def test_demo_covers_the_area_england_region_and_neighbours() -> None:
    frame = demo_observations().frame
    wanted = {a.ons_code for a in comparison_areas("E10000034")}
    for measure in ("m07", "m21", "m25", "m30"):
        areas = set(frame.filter(pl.col("measure") == measure)["area_code"])
        assert wanted <= areas, measure
    with_data = set(frame["measure"])
    mapped = set(load_mapping(DEMO_MAPPING).indicators)
    assert mapped - with_data == {"m05"}  # smoking at delivery: Fingertips only, not in LAIT


def test_demo_says_where_units_differ_from_the_plan() -> None:
    notes = demo_observations().notes
    assert any(n.startswith("m01: the figures are rate_per_100000") for n in notes)


@pytest.mark.slow
def test_demo_file_is_exactly_what_the_build_script_makes(shared_dir: Path) -> None:
    import importlib.util

    script = EXAMPLES / "data" / "build_worcestershire_demo.py"
    spec = importlib.util.spec_from_file_location("build_demo", script)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    built = module.build(shared_dir / "data").select(module.COLUMNS)
    shipped = pl.read_csv(DEMO_DATA, infer_schema=False)
    assert built.height == shipped.height
    assert built.cast(pl.String).fill_null("").equals(shipped.fill_null(""))
