"""The project's long format: every rule, every problem named by file, row and column."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from cypp.data.errors import DataImportError, Problem
from cypp.data.formats import read_observations
from cypp.data.indicators import MeasureSpec
from cypp.data.observations import validate_observations
from cypp.domain.units import Unit

HEADER = "measure,area_code,period,value,count,denominator,unit,quality,note\n"


def write(tmp_path: Path, body: str, name: str = "returns.csv", header: str = HEADER) -> Path:
    path = tmp_path / name
    path.write_text(header + body, encoding="utf-8")
    return path


def problems(path: Path, **kwargs: object) -> list[Problem]:
    with pytest.raises(DataImportError) as caught:
        read_observations(path, **kwargs)  # type: ignore[arg-type]
    return caught.value.problems


def test_a_good_file_reads_with_types_and_canonical_periods(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "m01,E10000034,2014-15,416,,,rate_per_10000,provisional,first return\n"
        'm01,885,2015/16,"1,020.5",,,rate_per_10000,,\n'
        "m02,E10000034,2013/14 (academic year),31.9%,120,376,percent,,\n"
        "m02,E92000001,2013/14 (academic year),c,,,percent,,\n",
    )
    batch = read_observations(path)
    frame = batch.frame
    assert batch.format == "long"
    assert frame["period"].to_list() == [
        "2014/15",
        "2015/16",
        "2013/14 (academic year)",
        "2013/14 (academic year)",
    ]
    assert frame["area_code"].to_list() == ["E10000034"] * 3 + ["E92000001"]
    assert frame["value"].to_list() == [416.0, 1020.5, 31.9, None]
    assert frame["quality"].cast(pl.String).to_list() == [
        "provisional",
        "final",
        "final",
        "suppressed",
    ]
    assert frame["suppression_code"][3] == "c"
    assert frame["source_row"].to_list() == [2, 3, 4, 5]


def test_every_problem_is_listed_with_its_row_and_column(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "m01,E99999999,2014/15,10,,,count,,\n"  # unknown area
        "m01,E10000034,2014/15,ten,,,count,,\n"  # not a number
        "m02,E10000034,2014/15,104,,,percent,,\n"  # percentage above 100
        "m02,E10000034,2015/16,40,50,20,percent,,\n"  # count above denominator
        "m03,E10000034,2014/15,1,,,count,,\n"
        "m03,E10000034,2014-15,2,,,count,,\n"  # duplicate key (same period written differently)
        "m04,E10000034,Q3,5,,,count,,\n"  # period without a year
        "m04,E10000034,someday,5,,,count,,\n"  # unknown period
        "m05,E10000034,2014/15,,,,count,,\n"  # empty value
        "m05,E10000034,2015/16,5,,,furlongs,maybe,\n",  # bad unit and quality
    )
    found = problems(path)
    places = {(p.row, p.column) for p in found}
    assert places == {
        (2, "area_code"),
        (3, "value"),
        (4, "value"),
        (5, "count"),
        (7, "measure"),
        (8, "period"),
        (9, "period"),
        (10, "value"),
        (11, "unit"),
        (11, "quality"),
    }
    text = {(p.row, p.column): p.message for p in found}
    assert "E99999999" in text[(2, "area_code")]
    assert "'ten' is not a number" in text[(3, "value")]
    assert "percentage above 100" in text[(4, "value")]
    assert "larger than its denominator" in text[(5, "count")]
    assert "duplicate of row 6" in text[(7, "measure")]
    assert all(p.file == "returns.csv" for p in found)


def test_the_error_message_lists_places_and_says_nothing_was_imported(tmp_path: Path) -> None:
    path = write(tmp_path, "m01,E10000034,2014/15,abc,,,count,,\n")
    with pytest.raises(DataImportError) as caught:
        read_observations(path)
    message = str(caught.value)
    assert "nothing was imported" in message
    assert "returns.csv, row 2, column 'value'" in message


def test_plan_measures_reject_unknown_ids_and_supply_units(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "m01,E10000034,2014/15,101,,,,,\nmXX,E10000034,2014/15,5,,,,,\n",
        header="measure,area_code,period,value,count,denominator,unit,quality,note\n",
    )
    specs = {"m01": MeasureSpec("m01", Unit.PERCENT)}
    found = problems(path, plan_measures=specs)
    assert {(p.row, p.column) for p in found} == {(2, "value"), (3, "measure")}


def test_headers_are_matched_loosely(tmp_path: Path) -> None:
    path = write(tmp_path, "m01,E10000034,2014/15,3\n", header="Measure,Area Code,Period,Value\n")
    assert read_observations(path).frame["value"].to_list() == [3.0]


def test_missing_required_columns_are_named(tmp_path: Path) -> None:
    path = write(
        tmp_path, "m01,E10000034,2014/15,3,x\n", header="measure,area_code,period,value,z\n"
    )
    batch = read_observations(path)
    assert any("not part of the long format" in n for n in batch.notes)
    path = write(tmp_path, "m01,E10000034\n", name="short.csv", header="measure,area\n")
    with pytest.raises(DataImportError, match="no known format"):
        read_observations(path)


def test_reimporting_the_same_file_gives_the_same_frame(tmp_path: Path) -> None:
    path = write(tmp_path, "m01,E10000034,2014/15,3,,,count,,\n")
    assert read_observations(path).frame.equals(read_observations(path).frame)


def test_suppression_codes_each_keep_their_reason(tmp_path: Path) -> None:
    body = "".join(
        f"m{i:02d},E10000034,2014/15,{code},,,count,,\n"
        for i, code in enumerate(["c", "x", "z", "*", "<5", "U", "k"])
    )
    frame = read_observations(write(tmp_path, body)).frame
    assert frame["suppression_code"].to_list() == ["c", "x", "z", "*", "<5", "u", "k"]
    assert frame["suppression_reason"].null_count() == 0
    assert frame["value"].null_count() == 7
    assert (frame["quality"] == "suppressed").all()


def test_two_headers_for_the_same_column_are_refused(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "m01,E10000034,E10000034,2014/15,3\n",
        header="measure,area_code,Area Code,period,value\n",
    )
    (problem,) = problems(path)
    assert (problem.row, problem.column) == (1, "Area Code")


def test_a_repeated_key_is_found_where_other_columns_hold_one_text(tmp_path: Path) -> None:
    """Columns with one text in every row tell no rows apart; the others still must."""
    good = write(
        tmp_path,
        "m01,E10000034,2014/15,1,,,count,,\nm01,E10000034,2015/16,2,,,count,,\n",
        name="good.csv",
    )
    assert read_observations(good).frame["value"].to_list() == [1.0, 2.0]
    repeated = write(
        tmp_path,
        "m01,E10000034,2014/15,1,,,count,,\nm01,E10000034,2014-15,2,,,count,,\n",
        name="repeated.csv",
    )
    found = problems(repeated)
    assert [(p.row, p.column) for p in found] == [(3, "measure")]
    assert "duplicate of row 2" in found[0].message


def test_the_packed_duplicate_key_agrees_with_comparing_the_columns() -> None:
    from cypp.data.coded import Coded
    from cypp.data.screen import _packed_duplicates

    def coded(texts: list[str | None], group: pl.Series | None = None) -> Coded:
        values = pl.Series([t for t in dict.fromkeys(texts) if t is not None], dtype=pl.String)
        codes = pl.Series([None if t is None else values.index_of(t) for t in texts])
        return Coded(values, codes.cast(pl.UInt32), group)

    def grouped(columns: list[list[str | None]]) -> list[Coded]:
        """The first two columns kept per group (each distinct pair of cells is a group)."""
        pairs = list(zip(columns[0], columns[1], strict=True))
        table = list(dict.fromkeys(pairs))
        group = pl.Series([table.index(pair) for pair in pairs], dtype=pl.UInt32)
        first, second = ([pair[i] for pair in table] for i in (0, 1))
        return [coded(first, group), coded(second, group)] + [coded(c) for c in columns[2:]]

    cases = [
        [["a", "a", "b"], ["x", "y", "x"], ["k", "k", "k"]],  # all keys differ
        [["a", "b", "a"], ["x", "y", "x"], ["k", "k", "k"]],  # rows 1 and 3 alike
        [["a", "a"], [None, "y"]],  # an empty cell differs from a text
        [["a", "a"], [None, None]],  # two empty cells are alike
        [["k", "k"]],  # one text everywhere
        [["a", "a", "b", "b"], ["x", "x", "y", "y"], ["1", "2", "1", "1"]],  # rows 3 and 4
        [["a", "a", "b", "b"], ["x", "x", "y", "y"], ["1", "2", "1", "2"]],  # none alike
    ]
    for columns in cases:
        expected = pl.DataFrame({str(i): c for i, c in enumerate(columns)}).is_duplicated().any()
        assert _packed_duplicates([coded(c) for c in columns]) is expected, columns
        if len(columns) > 1:
            assert _packed_duplicates(grouped(columns)) is expected, columns


def test_a_missing_value_among_one_suppression_code_is_named() -> None:
    """Where every unread value is the same code ("c"), a cell with no value at all is
    still an error, not a suppressed figure."""
    raw = pl.DataFrame(
        {
            "measure": ["m1"] * 4,
            "area_code": ["E10000034", "E06000019", "E06000051", "E08000025"],
            "period": ["2023/24"] * 4,
            "value": ["12.5", "c", None, "c"],
        }
    )
    with pytest.raises(DataImportError) as caught:
        validate_observations(raw, file="returns.csv")
    found = [(p.row, p.column) for p in caught.value.problems]
    assert found == [(4, "value")]
