"""A corpus of broken files, made here: each is refused naming the place, or read correctly."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from cypp.data.errors import DataImportError, Problem
from cypp.data.formats import read_observations

ROWS = [
    ("m01", "E10000034", "2014/15", "416"),
    ("m01", "E92000001", "2014/15", "352.3"),
    ("m02", "E10000034", "2013/14 (academic year)", "c"),
]
HEADER = ("measure", "area_code", "period", "value")


def csv_text(delimiter: str = ",") -> str:
    return "\n".join(delimiter.join(r) for r in [HEADER, *ROWS]) + "\n"


def refused(path: Path) -> list[Problem]:
    with pytest.raises(DataImportError) as caught:
        read_observations(path)
    return caught.value.problems


def assert_good(frame: pl.DataFrame) -> None:
    assert frame["measure"].to_list() == ["m01", "m01", "m02"]
    assert frame["value"].to_list() == [416.0, 352.3, None]
    assert frame["suppression_code"].to_list() == [None, None, "c"]


def test_truncated_csv_names_the_cut_row(tmp_path: Path) -> None:
    path = tmp_path / "cut.csv"
    path.write_text(csv_text()[:-12])  # cut inside the last row
    (problem,) = refused(path)
    assert problem.row == 4
    assert "cut off" in problem.message
    assert problem.column == "value"


def test_csv_cut_inside_a_quoted_value(tmp_path: Path) -> None:
    path = tmp_path / "cut.csv"
    path.write_text('measure,area_code,period,value,note\nm01,E10000034,2014/15,4,"a long no')
    (problem,) = refused(path)
    assert problem.row == 2 and "inside a quoted value" in problem.message


@pytest.mark.parametrize(("delimiter", "name"), [(";", "semicolon"), ("\t", "tab"), ("|", "pipe")])
def test_other_delimiters_are_read_and_noted(tmp_path: Path, delimiter: str, name: str) -> None:
    path = tmp_path / "semi.csv"
    path.write_text(csv_text(delimiter))
    batch = read_observations(path)
    assert_good(batch.frame)
    assert any(name in note for note in batch.notes)


def test_semicolon_file_with_decimal_commas_names_each_cell(tmp_path: Path) -> None:
    path = tmp_path / "euro.csv"
    path.write_text("measure;area_code;period;value\nm01;E10000034;2014/15;41,6\n")
    (problem,) = refused(path)
    assert (problem.row, problem.column) == (2, "value")
    assert "'41,6' is not a number" in problem.message


def test_a_row_with_too_many_cells_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    path.write_text(csv_text() + "m03,E10000034,2014/15,4,extra,cells\n")
    (problem,) = refused(path)
    assert "more cells than the header" in problem.message


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig", "cp1252"])
def test_other_encodings_are_read(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / f"{encoding}.csv"
    path.write_bytes(csv_text().replace("416", "416").encode(encoding))
    batch = read_observations(path)
    assert_good(batch.frame)
    if encoding == "utf-16":
        assert "read as UTF-16 text" in batch.notes


def test_empty_and_header_only_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert "empty" in refused(empty)[0].message
    header = tmp_path / "header.csv"
    header.write_text("measure,area_code,period,value\n")
    assert "no data rows" in refused(header)[0].message


def workbook(path: Path, rows: list[tuple[object, ...]]) -> openpyxl.Workbook:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Returns"
    for row in rows:
        sheet.append(list(row))
    return book


def test_xlsx_reads_typed_cells(tmp_path: Path) -> None:
    path = tmp_path / "good.xlsx"
    rows: list[tuple[object, ...]] = [
        HEADER,
        ("m01", "E10000034", "2014/15", 416),
        ("m01", "E92000001", "2014/15", 352.3),
        ("m02", "E10000034", "2013/14 (academic year)", "c"),
    ]
    workbook(path, rows).save(path)
    batch = read_observations(path)
    assert_good(batch.frame)
    assert batch.frame["source_row"].to_list() == [2, 3, 4]


def test_xlsx_with_merged_header_cells_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "merged.xlsx"
    book = workbook(
        path, [("measure", "area_code", "", "value"), ("m01", "E10000034", "2014/15", 4)]
    )
    book.active.merge_cells("B1:C1")  # type: ignore[union-attr]
    book.save(path)
    (problem,) = refused(path)
    assert (problem.row, problem.column) == (1, "B")
    assert "merged header cells B1:C1" in problem.message
    assert "sheet 'Returns'" in problem.file


def test_xlsx_formula_without_a_saved_result_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "formula.xlsx"
    workbook(path, [HEADER, ("m01", "E10000034", "2014/15", "=400+16")]).save(path)
    (problem,) = refused(path)
    assert (problem.row, problem.column) == (2, "D")
    assert "formula with no saved result" in problem.message


def test_xlsx_formula_with_a_saved_result_is_read_as_that_result(tmp_path: Path) -> None:
    path = tmp_path / "saved.xlsx"
    workbook(path, [HEADER, ("m01", "E10000034", "2014/15", "=400+16")]).save(path)
    # Add the cached result a spreadsheet program saves beside the formula.
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    parts[sheet] = parts[sheet].replace(b"<f>400+16</f><v></v>", b"<f>400+16</f><v>416</v>")
    parts[sheet] = parts[sheet].replace(b"<f>400+16</f></c>", b"<f>400+16</f><v>416</v></c>")
    with zipfile.ZipFile(path, "w") as target:
        for name, data in parts.items():
            target.writestr(name, data)
    batch = read_observations(path)
    assert batch.frame["value"].to_list() == [416.0]
    assert any("formula" in note for note in batch.notes)


def test_empty_sheet_is_refused_by_name(tmp_path: Path) -> None:
    path = tmp_path / "empty.xlsx"
    workbook(path, []).save(path)
    (problem,) = refused(path)
    assert "sheet 'Returns' is empty" in problem.message


def test_header_below_title_rows_and_blank_rows_between_records(tmp_path: Path) -> None:
    path = tmp_path / "titled.xlsx"
    book = workbook(path, [])
    sheet = book.active
    assert sheet is not None
    sheet.append([])
    sheet.append(list(HEADER))
    sheet.append(["m01", "E10000034", "2014/15", 5])
    sheet.append([])
    sheet.append(["m01", "E10000034", "2015/16", "x"])
    book.save(path)
    frame = read_observations(path).frame
    assert frame["source_row"].to_list() == [3, 5]


def write_ods(
    path: Path, rows: list[list[str]], spans: dict[tuple[int, int], int] | None = None
) -> None:
    """A minimal OpenDocument spreadsheet (content.xml only), as LibreOffice writes one."""
    spans = spans or {}
    body = []
    for r, row in enumerate(rows):
        cells = []
        for c, value in enumerate(row):
            span = spans.get((r, c))
            extra = f' table:number-columns-spanned="{span}"' if span else ""
            if value == "":
                cells.append("<table:table-cell/>")
            else:
                cells.append(
                    f'<table:table-cell office:value-type="string"{extra}><text:p>{value}'
                    "</text:p></table:table-cell>"
                )
        body.append(f"<table:table-row>{''.join(cells)}</table:table-row>")
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="Returns">'
        f"{''.join(body)}</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            "mimetype",
            "application/vnd.oasis.opendocument.spreadsheet",
            compress_type=zipfile.ZIP_STORED,
        )
        archive.writestr("content.xml", content)
        archive.writestr("META-INF/manifest.xml", manifest)


def test_ods_is_read(tmp_path: Path) -> None:
    path = tmp_path / "returns.ods"
    write_ods(path, [list(HEADER), *[list(r) for r in ROWS]])
    assert_good(read_observations(path).frame)


def test_ods_with_a_header_cell_spanning_two_columns_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "merged.ods"
    write_ods(
        path,
        [["measure", "area and period", "", "value"], ["m01", "E10000034", "2014/15", "4"]],
        spans={(0, 1): 2},
    )
    problems = refused(path)
    assert any(p.row == 1 and p.column in ("B", "C") for p in problems)


def test_a_file_that_is_not_a_spreadsheet(tmp_path: Path) -> None:
    path = tmp_path / "fake.xlsx"
    path.write_text("this is not a zip file")
    assert "could not be opened" in refused(path)[0].message


@pytest.mark.slow
def test_a_million_row_file_is_read_whole(tmp_path: Path) -> None:
    rows = 1_000_000
    areas = ["E10000034", "E92000001", "E12000005", "E06000060"]
    frame = pl.DataFrame(
        {
            "measure": [f"m{i % 250:03d}" for i in range(rows)],
            "area_code": [areas[(i // 250) % 4] for i in range(rows)],
            "period": [
                f"{2000 + (i // 1000) % 26}/{(1 + (i // 1000) % 26) % 100:02d}" for i in range(rows)
            ],
            "breakdown": [f"b{i // 26000}" for i in range(rows)],
            "value": [str(i % 997) for i in range(rows)],
        }
    )
    path = tmp_path / "million.csv"
    frame.write_csv(path)
    batch = read_observations(path)
    assert batch.frame.height == rows
    assert batch.frame["value"].sum() == sum(i % 997 for i in range(rows))
