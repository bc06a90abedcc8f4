"""The shipped reference tables: every English upper-tier LA, code changes and neighbours."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from cypp.data.areas import (
    ENGLAND,
    AreaKind,
    UnknownAreaError,
    all_areas,
    area_by_dfe,
    area_by_ons,
    area_for,
    areas_frame,
    current_area,
    neighbours_frame,
    region_of,
    statistical_neighbours,
)
from cypp.data.build_reference import (
    REFERENCE_DIR,
    build_areas,
    build_lait_measures,
    build_neighbours,
)


@pytest.fixture(scope="module")
def reference_source(shared_dir: Path) -> Path:
    return shared_dir / "data" / "reference"


def test_shipped_tables_are_exactly_what_the_build_makes_from_the_published_files(
    reference_source: Path,
) -> None:
    assert_frame_equal(build_areas(reference_source), areas_frame(), check_dtypes=True)
    assert_frame_equal(build_neighbours(reference_source), neighbours_frame())
    lait = build_lait_measures(reference_source.parent / "lait" / "lait_data_dictionary.csv")
    shipped = pl.read_csv(REFERENCE_DIR / "lait_measures.csv", infer_schema=False)
    assert_frame_equal(lait, shipped)


def test_every_current_upper_tier_la_in_the_ons_lookup_is_present_with_its_codes(
    reference_source: Path,
) -> None:
    # The ONS LTLA→UTLA lookup (April 2023) lists every English upper-tier LA by code.
    ons = pl.read_csv(reference_source / "ons_ltla_to_utla_apr2023_lookup.csv")
    english_utlas = set(ons.filter(pl.col("UTLA23CD").str.starts_with("E"))["UTLA23CD"])
    current = {a.ons_code for a in all_areas() if a.kind is AreaKind.LA and a.is_current}
    assert current == english_utlas
    assert len(current) == 153
    # The smallest ones too, though DfE often reports them with Hackney and Cornwall.
    assert {"E09000001", "E06000053"} <= current
    for area in all_areas():
        if area.kind is AreaKind.LA:
            assert area.dfe_code is not None and 200 <= area.dfe_code < 970
            assert area.la_type in {"UA", "SC", "MD", "ILB", "OLB"}
            assert area.region_code is not None and area.region_code.startswith("E12")


def test_la_types_follow_the_ons_code_prefix() -> None:
    prefixes = {"UA": "E06", "MD": "E08", "ILB": "E09", "OLB": "E09", "SC": "E10"}
    for area in all_areas():
        if area.la_type:
            assert area.ons_code.startswith(prefixes[area.la_type]), area


def test_england_and_regions_have_ons_and_lait_codes(reference_source: Path) -> None:
    assert area_by_ons(ENGLAND).dfe_code == 970
    regions = [a for a in all_areas() if a.kind is AreaKind.REGION]
    assert len(regions) == 9
    assert {a.ons_code for a in regions} == {f"E1200000{i}" for i in range(1, 10)}
    lait = pl.read_csv(reference_source / "lait_la_code_list.csv")
    lait_codes = dict(lait.select("LA Number", "LA Name").iter_rows())
    for area in [*regions, area_by_ons(ENGLAND)]:
        assert area.dfe_code in lait_codes
    assert area_by_dfe(987).kind is AreaKind.LONDON_SUBREGION
    assert region_of("E13000001").ons_code == "E12000007"


def test_worcestershire_has_both_codes_and_its_region() -> None:
    worcs = area_by_ons("E10000034")
    assert (worcs.dfe_code, worcs.name, worcs.la_type) == (885, "Worcestershire", "SC")
    assert area_for(885) == worcs
    assert region_of("E10000034").name == "West Midlands"


@pytest.mark.parametrize(
    ("old", "new", "changed"),
    [
        ("E10000002", "E06000060", date(2020, 4, 1)),  # Buckinghamshire became unitary
        ("E10000023", "E06000065", date(2023, 4, 1)),  # North Yorkshire
        ("E10000027", "E06000066", date(2023, 4, 1)),  # Somerset
    ],
)
def test_an_la_that_changed_ons_code_keeps_its_dfe_code(old: str, new: str, changed: str) -> None:
    before, after = area_by_ons(old), area_by_ons(new)
    assert before.dfe_code == after.dfe_code
    assert current_area(old) == after
    assert before.valid_to is not None and before.valid_to < changed  # type: ignore[operator]
    assert after.valid_from == changed
    assert area_by_dfe(before.dfe_code, on=date(2019, 6, 1)) == before  # type: ignore[arg-type]
    assert area_by_dfe(before.dfe_code) == after  # type: ignore[arg-type]
    with pytest.raises(UnknownAreaError, match=f"use {new}"):
        area_by_ons(old, on=date(2024, 6, 1))


def test_abolished_las_end_and_their_successors_begin() -> None:
    northants = area_by_ons("E10000021")
    assert northants.valid_to == date(2021, 3, 31)
    north, west = area_by_ons("E06000061"), area_by_ons("E06000062")
    assert north.valid_from == west.valid_from == date(2021, 4, 1)
    assert current_area("E10000021") == northants  # no single successor
    cumbria = area_by_ons("E10000006")
    assert cumbria.valid_to == date(2023, 3, 31)
    assert {area_by_ons(c).valid_from for c in ("E06000063", "E06000064")} == {date(2023, 4, 1)}
    # Bournemouth, Poole and Dorset county to March 2019; BCP and Dorset UA from April 2019.
    for old in ("E06000028", "E06000029", "E10000009"):
        assert area_by_ons(old).valid_to == date(2019, 3, 31)
    for new in ("E06000058", "E06000059"):
        assert area_by_ons(new).valid_from == date(2019, 4, 1)
    with pytest.raises(UnknownAreaError, match="did not exist"):
        area_by_dfe(940, on=date(2019, 1, 1))


def test_unknown_codes_are_refused_with_a_message() -> None:
    with pytest.raises(UnknownAreaError, match="E99999999"):
        area_by_ons("E99999999")
    with pytest.raises(UnknownAreaError, match="DfE"):
        area_for("999")


@pytest.mark.parametrize("model", ["2021", "2025"])
def test_statistical_neighbours_match_dfe_files_by_code(model: str, reference_source: Path) -> None:
    wide_file = {
        "2021": "dfe_statistical_neighbours_april2021_wide.csv",
        "2025": "dfe_statistical_neighbours_2025_wide.csv",
    }[model]
    wide = pl.read_csv(reference_source / wide_file, infer_schema=False)
    code_column = "old_la_code" if "old_la_code" in wide.columns else wide.columns[0]
    first_sn = "SN_1" if "SN_1" in wide.columns else "SN1"
    row = wide.filter(pl.col(code_column).str.strip_chars() == "885").row(0, named=True)
    neighbours = statistical_neighbours("E10000034", model)
    assert len(neighbours) == 10
    assert [n.rank for n in neighbours] == list(range(1, 11))
    assert neighbours[0].area.dfe_code == int(str(row[first_sn]).strip())
    assert all(n.area.kind is AreaKind.LA for n in neighbours)
    assert all(
        n.closeness in {"Extremely close", "Very close", "Close", "Somewhat close", "Not close"}
        for n in neighbours
    )


def test_every_current_la_has_2025_neighbours_and_new_las_lack_2021_ones() -> None:
    for area in all_areas():
        if area.kind is AreaKind.LA and area.is_current:
            assert len(statistical_neighbours(area.ons_code, "2025")) == 10, area.name
    with pytest.raises(UnknownAreaError, match="2021"):
        statistical_neighbours("E06000063", "2021")  # Cumberland, created 2023
    with pytest.raises(ValueError, match="model"):
        statistical_neighbours("E10000034", "2019")


def test_neighbour_names_in_the_source_differ_but_codes_join(reference_source: Path) -> None:
    long = pl.read_csv(reference_source / "dfe_statistical_neighbours_long.csv", infer_schema=False)
    bristol = long.filter(pl.col("neighbour_name").str.contains("Bristol"))
    assert bristol.height > 0
    names = set(bristol["neighbour_name"])
    assert {area_by_dfe(int(c)).name for c in bristol["neighbour_dfe_la_code"]} - names or names
    # Every neighbour code in the source resolves to an area by code, whatever its name.
    codes = {int(c) for c in long["neighbour_dfe_la_code"] if c.strip() != "-"}
    assert all(area_by_dfe(code) for code in codes)
