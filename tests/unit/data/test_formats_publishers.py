"""Reading the real Fingertips, EES and LAIT files, with and without a plan's mapping."""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl
import pytest

from cypp.data.errors import DataImportError
from cypp.data.formats import read_observations, sniff_format
from cypp.data.formats.ees import ees_period
from cypp.data.formats.lait import _area_numbers, lait_period
from cypp.data.frames import factorize
from cypp.data.indicators import IndicatorRef, MeasureSpec
from cypp.data.observations import OBSERVATION_SCHEMA
from cypp.domain.units import Unit

FT = "fingertips/fingertips_all_data_csv_iid90284_counties_ua_parent_{}.csv"


def one(frame: pl.DataFrame, **where: str) -> dict[str, object]:
    rows = frame.filter(*(pl.col(k) == v for k, v in where.items()))
    assert rows.height == 1, rows
    return rows.row(0, named=True)


@pytest.mark.parametrize("parent", ["england", "regions"])
def test_fingertips_export_reads_whatever_the_parent_area_type(
    public_data: Path, parent: str
) -> None:
    batch = read_observations(public_data / FT.format(parent))
    frame = batch.frame
    assert batch.format == "fingertips"
    assert frame.schema == pl.Schema(OBSERVATION_SCHEMA)
    worcs = one(
        frame,
        area_code="E10000034",
        period="2023/24",
        breakdown="all",
        measure="fingertips:90284",
    )
    raw = pl.read_csv(public_data / FT.format(parent), infer_schema=False).filter(
        (pl.col("Area Code") == "E10000034")
        & (pl.col("Time period") == "2023/24")
        & (pl.col("Sex") == "Persons")
    )
    assert worcs["value"] == pytest.approx(float(raw["Value"][0]))
    assert worcs["lower_ci95"] == pytest.approx(float(raw["Lower CI 95.0 limit"][0]))
    assert worcs["count"] == pytest.approx(float(raw["Count"][0]))
    assert worcs["denominator"] == pytest.approx(float(raw["Denominator"][0]))
    assert worcs["source"] == "OHID Fingertips"
    assert one(frame, area_code="E92000001", period="2023/24", breakdown="Female")["value"]


def test_fingertips_duplicate_england_rows_are_read_once_and_said_so(public_data: Path) -> None:
    batch = read_observations(public_data / FT.format("england"))
    england = batch.frame.filter(
        (pl.col("area_code") == "E92000001") & (pl.col("breakdown") == "all")
    )
    assert england.height == 14  # one per year, 2010/11 to 2023/24
    assert any("703 repeated rows" in note for note in batch.notes)


def test_fingertips_regions_and_deprivation_deciles(public_data: Path) -> None:
    frame = read_observations(public_data / FT.format("regions")).frame
    assert frame.filter(pl.col("area_code") == "E12000005").height == 38  # West Midlands
    deciles = frame.filter(pl.col("breakdown").cast(pl.String).str.contains("Most deprived decile"))
    assert deciles.height > 0
    assert deciles["area_code"].unique().to_list() == ["E92000001"]


def test_fingertips_blank_value_with_a_note_is_stored_as_suppressed(public_data: Path) -> None:
    frame = read_observations(public_data / FT.format("england")).frame
    suppressed = frame.filter(pl.col("quality") == "suppressed")
    assert suppressed.height > 0
    assert suppressed["value"].null_count() == suppressed.height
    assert suppressed["suppression_reason"].null_count() == 0
    assert suppressed["note"].cast(pl.String).str.contains("disclosure control").any()


def test_fingertips_mapped_to_a_plan_measure(public_data: Path) -> None:
    specs = {"m99": MeasureSpec("m99", Unit.RATE_PER_10000, (IndicatorRef.fingertips(90284),))}
    batch = read_observations(public_data / FT.format("england"), plan_measures=specs)
    assert batch.frame["measure"].unique().to_list() == ["m99"]
    assert batch.frame["unit"].unique().to_list() == ["rate_per_10000"]


def test_ees_wide_file_becomes_one_series_per_indicator_column(public_data: Path) -> None:
    path = public_data / "dfe_ees/cla_number_and_rate_per_10k_children.csv"
    batch = read_observations(path)
    frame = batch.frame
    assert batch.format == "ees"
    series = set(frame["measure"].unique())
    prefix = "ees:cla_number_and_rate_per_10k_children:"
    assert series == {
        prefix + c for c in ("population_estimate", "children_count", "rate_per_10000")
    }
    rate = one(
        frame,
        measure=prefix + "rate_per_10000",
        area_code="E10000034",
        period="2024/25",
        breakdown="Children looked after on 31 March each year",
    )
    raw = pl.read_csv(path, infer_schema=False).filter(
        (pl.col("new_la_code") == "E10000034")
        & (pl.col("time_period") == "2025")
        & (pl.col("population_type") == "Children looked after on 31 March each year")
    )
    assert rate["value"] == float(raw["rate_per_10000"][0])
    assert rate["unit"] == "rate_per_10000"
    england = frame.filter(pl.col("area_code") == "E92000001")
    regions = frame.filter(pl.col("area_code").cast(pl.String).str.starts_with("E12"))
    assert england.height > 0 and regions["area_code"].n_unique() == 9


def test_ees_filter_picked_by_mapping_and_suppression_kept(public_data: Path) -> None:
    path = public_data / "dfe_ees/cla_number_and_rate_per_10k_children.csv"
    ref = IndicatorRef.ees(
        "cla_number_and_rate_per_10k_children:rate_per_10000"
        "[population_type=Children looked after on 31 March each year]"
    )
    specs = {"m25": MeasureSpec("m25", Unit.RATE_PER_10000, (ref,))}
    batch = read_observations(path, plan_measures=specs)
    frame = batch.frame
    assert frame["breakdown"].unique().to_list() == ["all"]
    assert one(frame, area_code="E92000001", period="2024/25")["value"] == 67
    assert any("not mapped" in note for note in batch.notes)


def test_ees_suppression_codes_are_stored_with_reasons(public_data: Path) -> None:
    frame = read_observations(public_data / "dfe_ees/ks4_la.csv").frame
    suppressed = frame.filter(pl.col("quality") == "suppressed")
    codes = set(suppressed["suppression_code"].unique())
    assert {"c", "x"} <= codes
    reasons = dict(suppressed.select("suppression_code", "suppression_reason").unique().iter_rows())
    assert reasons["c"].startswith("confidential")
    assert suppressed["value"].null_count() == suppressed.height


def test_ees_academic_years_and_version_quality(public_data: Path) -> None:
    frame = read_observations(public_data / "dfe_ees/ks2_la.csv").frame
    assert "2024/25 (academic year)" in set(frame["period"])
    assert {"final", "revised"} <= set(frame["quality"].cast(pl.String))


def test_ees_old_codes_are_stored_under_the_current_code(public_data: Path) -> None:
    batch = read_observations(public_data / "dfe_ees/b1_children_in_need_2013_to_2025.csv")
    bucks = batch.frame.filter(pl.col("area_code") == "E06000060")["period"].unique()
    assert {"2013/14", "2024/25"} <= set(bucks)
    assert "E10000002" not in set(batch.frame["area_code"])
    assert any("E10000002 → E06000060" in note for note in batch.notes)


@pytest.mark.parametrize(
    ("period", "identifier", "label"),
    [
        ("2025", "Reporting year", "2024/25"),
        ("202425", "Academic year", "2024/25 (academic year)"),
        ("202324", "Financial year", "2023/24"),
        ("2024", "Calendar year", "2024"),
    ],
)
def test_ees_periods(period: str, identifier: str, label: str) -> None:
    assert ees_period(period, identifier) == label


@pytest.mark.parametrize(
    ("years", "kind", "label"),
    [
        ("2019", "academic", "2018/19 (academic year)"),
        ("2019 (Rev)", "academic", "2018/19 (academic year)"),
        ("2019", "financial", "2018/19"),
        ("2016-17 (OT)", "financial", "2016/17"),
        ("2021/22-23/24", "financial", "1 April 2021 to 31 March 2024"),
        ("2014-16", "calendar", "2014-2016"),
        ("2019", "september", "at 30 September 2019"),
        ("0", "academic", None),
    ],
)
def test_lait_year_labels(years: str, kind: str, label: str | None) -> None:
    assert lait_period(years, kind) == label


def test_lait_subset_with_mapping(public_data: Path, tmp_path: Path) -> None:
    full = pl.read_parquet(public_data / "lait/lait_bds_long.parquet")
    subset = full.filter(pl.col("Short Desc").is_in(["LAC", "ExcessYr6", "KS2RWM_Expected_STD"]))
    path = tmp_path / "lait.csv"
    subset.write_csv(path)
    specs = {
        "cla": MeasureSpec("cla", Unit.RATE_PER_10000, (IndicatorRef.lait("LAC"),)),
        "y6": MeasureSpec("y6", Unit.PERCENT, (IndicatorRef.lait("ExcessYr6"),)),
    }
    batch = read_observations(path, plan_measures=specs)
    frame = batch.frame
    assert batch.format == "lait"
    assert set(frame["measure"]) == {"cla", "y6"}
    worcs = one(frame, measure="cla", area_code="E10000034", period="2024/25")
    raw = subset.filter(
        (pl.col("Short Desc") == "LAC") & (pl.col("LA Number") == 885) & (pl.col("Years") == "2025")
    )
    assert worcs["value"] == float(raw["Values"][0])
    # Year 6 excess weight is an academic-year measure in LAIT's dictionary.
    assert "2023/24 (academic year)" in set(frame.filter(pl.col("measure") == "y6")["period"])
    assert any("KS2RWM" not in note and "not mapped" in note for note in batch.notes)


def test_lait_missing_values_are_suppressed_not_zero(public_data: Path, tmp_path: Path) -> None:
    full = pl.read_parquet(public_data / "lait/lait_bds_long.parquet")
    path = tmp_path / "breast.csv"
    full.filter(pl.col("Short Desc") == "6wksBreast").write_csv(path)
    frame = read_observations(path).frame
    dashes = (full.filter(pl.col("Short Desc") == "6wksBreast")["Values"] == "-").sum()
    suppressed = frame.filter(pl.col("suppression_code") == "-")
    assert suppressed.height == dashes > 0
    assert (suppressed["value"].is_null()).all()


@pytest.mark.slow
def test_full_lait_data_set_imports_with_notes(public_data: Path) -> None:
    batch = read_observations(public_data / "lait/lait_bds_long.parquet")
    assert batch.frame.height == 641_070 - 170
    assert any("(0)" in note for note in batch.notes)
    assert any("percentages above 100 kept as published" in note for note in batch.notes)


def test_format_is_sniffed_from_the_header_not_the_name(public_data: Path, tmp_path: Path) -> None:
    path = tmp_path / "download.csv"
    shutil.copy(public_data / FT.format("regions"), path)
    assert read_observations(path).format == "fingertips"
    assert sniff_format(["a", "b"]) is None
    bad = tmp_path / "other.csv"
    bad.write_text("a,b\n1,2\n")
    with pytest.raises(DataImportError, match="matches no known format"):
        read_observations(bad)


def test_default_measure_takes_a_one_series_file(public_data: Path) -> None:
    batch = read_observations(public_data / FT.format("england"), default_measure="m01")
    assert batch.frame["measure"].unique().to_list() == ["m01"]
    with pytest.raises(DataImportError, match="holds 3 series"):
        read_observations(
            public_data / "dfe_ees/cla_number_and_rate_per_10k_children.csv", default_measure="m"
        )


def test_ees_problems_name_the_indicator_column(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    path.write_text(
        "time_period,time_identifier,geographic_level,country_code,region_code,new_la_code,"
        "old_la_code,la_name,rate,count\n"
        "2025,Reporting year,National,E92000001,,,,,45,12\n"
        "2025,Reporting year,Local authority,E92000001,E12000005,E10000034,885,Worcs,c,12\n"
        "2025,Reporting year,Local authority,E92000001,E12000005,E10000099,999,Nowhere,4,1\n"
        "2025,Reporting year,Local authority,E92000001,E12000005,E10000034,885,Worcs,3,n/a\n"
    )
    with pytest.raises(DataImportError) as caught:
        read_observations(path)
    places = {(p.row, p.column) for p in caught.value.problems}
    assert (5, "count") in places  # 'n/a' in the count column
    assert (4, "area_code") in places  # unknown LA code
    assert any(p.row == 5 and p.column == "measure" for p in caught.value.problems)  # repeat


def test_fingertips_pooled_years_and_missing_values(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(
        "Indicator ID,Indicator Name,Parent Code,Parent Name,Area Code,Area Name,Area Type,Sex,"
        "Age,Category Type,Category,Time period,Value,Lower CI 95.0 limit,Upper CI 95.0 limit,"
        "Count,Denominator,Value note,Compared to England value or percentiles,"
        "Compared to Regions (statistical) value or percentiles\n"
        "92904,Alcohol <18,E12000005,West Midlands,E10000034,Worcestershire,UA,Persons,<18 yrs,"
        ",,2016 - 18,30.5,25.1,36.7,95,311000,,Similar,Similar\n"
        "92904,Alcohol <18,E12000005,West Midlands,E10000034,Worcestershire,UA,Persons,<18 yrs,"
        ",,2017 - 19,,,,,,,Not compared,Not compared\n"
    )
    batch = read_observations(path)
    (row,) = batch.frame.to_dicts()
    assert row["period"] == "2016-2018"
    assert (row["value"], row["count"], row["denominator"]) == (30.5, 95.0, 311000.0)
    assert any("neither a value nor a value note" in n for n in batch.notes)


def test_lait_rows_in_any_order_read_alike(public_data: Path, tmp_path: Path) -> None:
    """Measures and years are coded per run of rows: shuffled rows must read the same."""
    full = pl.read_parquet(public_data / "lait/lait_bds_long.parquet")
    subset = full.filter(pl.col("Short Desc").is_in(["LAC", "ExcessYr6", "6wksBreast"]))
    grouped, shuffled = tmp_path / "grouped.parquet", tmp_path / "shuffled.parquet"
    subset.write_parquet(grouped)
    subset.sample(fraction=1.0, shuffle=True, seed=7).write_parquet(shuffled)
    key = ["measure", "area_code", "period"]
    first, second = read_observations(grouped), read_observations(shuffled)
    assert first.frame.height == second.frame.height > 0
    assert (
        first.frame.drop("source_row").sort(key).equals(second.frame.drop("source_row").sort(key))
    )
    assert first.notes == second.notes
    # Each row keeps its own figure: the run coding never lends one row's measure to another.
    lac = one(second.frame, measure="lait:LAC", area_code="E10000034", period="2024/25")
    raw = subset.filter(
        (pl.col("Short Desc") == "LAC") & (pl.col("LA Number") == 885) & (pl.col("Years") == "2025")
    )
    assert lac["value"] == float(raw["Values"][0])


@pytest.mark.parametrize(
    "cells",
    [
        ["885", "970", "885", "0"],
        ["885", "0885"],
        ["885", None, ""],
        [" 885", "885"],
        ["+885", "885"],
        ["885.0", "885"],
        ["1000000", "999999"],
        ["E10000034", "885"],
        [],
    ],
)
def test_lait_area_numbers_code_each_cell_as_its_text(cells: list[str | None]) -> None:
    """Plain numbers are coded as integers; every other text keeps its own code."""
    column = pl.Series("LA Number", cells, dtype=pl.String)
    texts, index, rows = _area_numbers(column)
    assert texts.gather(index).to_list() == cells
    assert texts.n_unique() == texts.len() == factorize(column)[0].len()
    if rows is not None:  # counted: each text's rows
        assert rows.tolist() == [cells.count(text) for text in texts.to_list()]
