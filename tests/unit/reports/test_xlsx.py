"""Excel board pack: one table per sheet from A1, frozen header, numbers stored as numbers."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from cypp.reports.model import BoardPack
from cypp.reports.xlsx import render_xlsx


@pytest.fixture(scope="module")
def workbook(pack: BoardPack):
    return load_workbook(io.BytesIO(render_xlsx(pack)))


def test_one_table_per_sheet_with_frozen_header(workbook) -> None:
    assert workbook.sheetnames == ["Scorecard", "Figures", "Exceptions", "Annual review",
                                   "Actions", "About"]  # fmt: skip
    for sheet in workbook.worksheets:
        assert len(sheet.tables) == 1, sheet.title
        table = next(iter(sheet.tables.values()))
        assert table.ref.startswith("A1:")
        assert (
            table.ref.split(":")[1]
            == f"{sheet.cell(1, sheet.max_column).column_letter}{sheet.max_row}"
        )
        assert sheet.freeze_panes == "A2"


def _rows(sheet) -> list[dict[str, object]]:
    values = list(sheet.iter_rows(values_only=True))
    return [dict(zip(values[0], row, strict=True)) for row in values[1:]]


def test_scorecard_has_every_measure_with_numeric_values(workbook, pack: BoardPack) -> None:
    rows = _rows(workbook["Scorecard"])
    assert [r["Measure ID"] for r in rows] == [m.id for m in pack.measures()]
    m01 = rows[0]
    assert m01["Latest value"] == 405 and isinstance(m01["Latest value"], (int, float))
    assert m01["Rating"] == "Red" and m01["Unit"] == "rate_per_10000"
    assert m01["Rank"] == 10 and m01["Quartile"] is None  # neighbours only


def test_figures_sheet_holds_each_point_with_comparators(workbook) -> None:
    rows = [r for r in _rows(workbook["Figures"]) if r["Measure ID"] == "m01"]
    assert [r["Period"] for r in rows] == ["2011/12", "2012/13", "2013/14", "2014/15"]
    assert rows[-1]["England"] == 350 and rows[-1]["Lower 95% CI"] == 395
    assert rows[-1]["Target"] == 377.5


def test_exceptions_sheet_says_what_is_still_to_record(workbook) -> None:
    rows = {r["Measure ID"]: r for r in _rows(workbook["Exceptions"])}
    assert rows["m01"]["Still to record"] is None
    assert rows["m04"]["Still to record"] == "cause, recovery action, owner, review date"
