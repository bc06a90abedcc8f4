"""Read a CSV, XLSX, ODS or Parquet file into a frame of text cells, naming every place it fails.

Readers of the data formats work on text so that a cell like ``c`` or ``<5`` survives
to validation instead of being lost to type inference. The frame carries ``_row``,
the row a spreadsheet user sees (the header is the first row), so that every problem
can point at a cell.

Handled here once for all formats: UTF-8 with or without BOM, UTF-16 (BOM), Windows-1252;
comma, semicolon, tab or pipe delimiters (whichever the header uses); a file cut off in
the middle of its last row; spreadsheets with merged header cells or formula cells
without a saved result; empty files and empty sheets.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

import polars as pl
import python_calamine

from cypp.data.errors import DataImportError, Problem

__all__ = ["Columns", "Table", "as_text", "column_letter", "read_csv_bytes", "read_table"]

#: Given a file's header, the columns worth reading (None: all of them). A format that
#: needs a few columns of a wide file saves reading and checking the others.
Columns = Callable[[list[str]], Sequence[str] | None]

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
_DELIMITERS = (",", ";", "\t", "|")
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}


@dataclass
class Table:
    """Text cells of one sheet or CSV file, with ``_row`` and what was done to read it."""

    frame: pl.DataFrame
    file: str
    notes: list[str] = field(default_factory=list)


def column_letter(index: int) -> str:
    """Spreadsheet column letters for a 0-based index (0 → A, 27 → AB)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def read_table(
    path: Path, *, name: str | None = None, columns: Columns | None = None, native: bool = False
) -> Table:
    """The file's first sheet (or the whole CSV) as text cells; raises DataImportError.

    ``columns`` picks the columns to read from CSV and Parquet headers (spreadsheets are
    read whole). With ``native``, Parquet columns keep their types (a reader that can use
    a number saves printing and parsing it again); :func:`as_text` turns them to text."""
    file = name or path.name
    suffix = path.suffix.lower()
    if not path.is_file():
        raise DataImportError([Problem(file, None, None, "the file does not exist")])
    if path.stat().st_size == 0:
        raise DataImportError([Problem(file, None, None, "the file is empty")])
    if suffix == ".parquet":
        return _read_parquet(path, file, columns, native)
    if suffix in SPREADSHEET_SUFFIXES:
        return _read_spreadsheet(path, file)
    return _read_csv(path, file, columns)


# --- CSV -------------------------------------------------------------------------------


def _decode(data: bytes, file: str) -> tuple[bytes, str | None]:
    """UTF-8 bytes for polars, and a note when the file was in another encoding."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16").encode("utf-8"), "read as UTF-16 text"
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:], None
    if data.isascii():
        return data, None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        if b"\x00" in data[:4096]:
            raise DataImportError(
                [Problem(file, None, None, "this is not a text (CSV) file; save it as CSV or XLSX")]
            ) from None
        try:
            return data.decode("cp1252").encode("utf-8"), "read as Windows-1252 text"
        except UnicodeDecodeError:
            line = data[: error.start].count(b"\n") + 1
            raise DataImportError(
                [Problem(file, line, None, "the text is not UTF-8; save the file as CSV UTF-8")]
            ) from None
    return data, None


def _delimiter(header: str) -> str:
    counts = {d: header.count(d) for d in _DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > counts[","] else ","


def _read_csv(path: Path, file: str, columns: Columns | None = None) -> Table:
    """Plain UTF-8 files that end with a line break go straight to polars (the common,
    large case); anything else is read into memory first and checked byte by byte."""
    size = path.stat().st_size
    with path.open("rb") as handle:
        head = handle.read(65536)
        handle.seek(max(0, size - 1))
        last = handle.read(1)
    plain = (
        head.isascii()
        and last in (b"\n", b"\r")
        and b"\n" in head
        and not head[: head.find(b"\n")].isspace()
    )
    if not plain:
        return read_csv_bytes(path.read_bytes(), file, columns)
    first_line = head[: head.find(b"\n")].decode("ascii")
    delimiter = _delimiter(first_line)
    header = next(csv.reader([first_line], delimiter=delimiter))
    problems = _header_problems(header, file, row=1)
    if problems:
        raise DataImportError(problems)
    wanted = _wanted(header, columns)
    try:
        frame = pl.read_csv(path, separator=delimiter, infer_schema=False, columns=wanted)
    except pl.exceptions.ComputeError as error:
        if "utf" in str(error).lower():  # not UTF-8 after all: decode it ourselves
            return read_csv_bytes(path.read_bytes(), file, columns)
        raise DataImportError([Problem(file, None, None, _polars_message(error))]) from None
    except pl.exceptions.NoDataError as error:
        raise DataImportError([Problem(file, None, None, _polars_message(error))]) from None
    if frame.height == 0:
        raise DataImportError([Problem(file, 2, None, "the file has a header but no data rows")])
    notes = [f"columns separated by {_DELIMITER_NAMES[delimiter]}s"] if delimiter != "," else []
    return Table(frame.with_row_index("_row", offset=2).cast({"_row": pl.Int64}), file, notes)


def _wanted(header: list[str], columns: Columns | None) -> list[str] | None:
    """The columns to read: those ``columns`` picks, if the header has each just once."""
    if columns is None:
        return None
    picked = columns(header)
    if picked is None or any(header.count(name) != 1 for name in picked):
        return None
    return list(picked)


def read_csv_bytes(raw: bytes, file: str, columns: Columns | None = None) -> Table:
    """CSV text (e.g. an API response body) as a table; ``file`` names it in messages."""
    if not raw or (raw[:65536].isspace() and raw.isspace()):
        raise DataImportError([Problem(file, None, None, "the file is empty")])
    data, encoding_note = _decode(raw, file)
    notes = [encoding_note] if encoding_note else []
    end = data.find(b"\n")
    first_line = (data if end < 0 else data[:end]).decode("utf-8", "replace")
    if not first_line.strip():
        raise DataImportError([Problem(file, 1, None, "the first row (the header) is empty")])
    delimiter = _delimiter(first_line)
    if delimiter != ",":
        notes.append(f"columns separated by {_DELIMITER_NAMES[delimiter]}s")
    header = next(csv.reader([first_line], delimiter=delimiter))
    problems = _header_problems(header, file, row=1)
    problems += _truncation_problems(data, header, delimiter, file)
    if problems:
        raise DataImportError(problems)
    try:
        frame = pl.read_csv(
            io.BytesIO(data),
            separator=delimiter,
            infer_schema=False,
            columns=_wanted(header, columns),
        )
    except (pl.exceptions.ComputeError, pl.exceptions.NoDataError) as error:
        raise DataImportError([Problem(file, None, None, _polars_message(error))]) from None
    if frame.height == 0:
        raise DataImportError([Problem(file, 2, None, "the file has a header but no data rows")])
    return Table(frame.with_row_index("_row", offset=2).cast({"_row": pl.Int64}), file, notes)


def _polars_message(error: Exception) -> str:
    text = str(error).splitlines()[0] if str(error) else type(error).__name__
    found = re.search(r"found more fields than defined in 'Schema'", text)
    if found:
        return "a row has more cells than the header has columns (is a delimiter inside a value?)"
    return f"the CSV could not be read: {text}"


def _truncation_problems(
    data: bytes, header: list[str], delimiter: str, file: str
) -> list[Problem]:
    """A file that does not end with a line break may have been cut off mid-row."""
    if data.endswith((b"\n", b"\r")):
        return []
    stripped = data.rstrip(b"\r\n")
    if not stripped:
        return []
    tail = stripped[-65536:].rsplit(b"\n", 1)[-1].decode("utf-8", "replace")
    if tail.count('"') % 2:
        rows = stripped.count(b"\n") + 1
        return [Problem(file, rows, None, "the file ends inside a quoted value: it looks cut off")]
    cells = next(csv.reader([tail], delimiter=delimiter), [])
    if stripped.count(b"\n") and len(cells) < len(header):
        rows = stripped.count(b"\n") + 1
        missing = header[len(cells)] if len(cells) < len(header) else None
        return [
            Problem(
                file,
                rows,
                missing,
                f"the last row has {len(cells)} of {len(header)} cells: the file looks cut off",
            )
        ]
    return []


def _header_problems(header: list[str], file: str, *, row: int) -> list[Problem]:
    problems = []
    seen: dict[str, int] = {}
    for index, cell in enumerate(header):
        name = cell.strip()
        if not name:
            continue
        if name in seen:
            problems.append(
                Problem(
                    file,
                    row,
                    name,
                    f"column {column_letter(index)} repeats the header of column "
                    f"{column_letter(seen[name])}",
                )
            )
        seen.setdefault(name, index)
    return problems


# --- spreadsheets ------------------------------------------------------------------------


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return str(value).strip()


def _read_spreadsheet(path: Path, file: str) -> Table:
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    except Exception as error:  # calamine raises several error types for unreadable files
        raise DataImportError(
            [Problem(file, None, None, f"the spreadsheet could not be opened: {error}")]
        ) from None
    sheets = [s.name for s in workbook.sheets_metadata]
    if not sheets:
        raise DataImportError([Problem(file, None, None, "the workbook has no sheets")])
    sheet = workbook.get_sheet_by_index(0)
    where = f"{file} [sheet {sheet.name!r}]"
    rows = sheet.to_python(skip_empty_area=False)
    notes = []
    if len(sheets) > 1:
        notes.append(f"read the first sheet, {sheet.name!r}, of {len(sheets)}")
    texts = [[_cell_text(v) for v in row] for row in rows]
    first = next((i for i, row in enumerate(texts) if any(row)), None)
    if first is None:
        raise DataImportError([Problem(where, None, None, f"the sheet {sheet.name!r} is empty")])
    header = texts[first]
    width = max(len(row) for row in texts)
    header += [""] * (width - len(header))
    header_row = first + 1
    problems = _header_problems(header, where, row=header_row)
    problems += _merged_header_problems(sheet, header_row, where)
    formula_problems, formula_note = _formula_problems(path, where)
    problems += formula_problems
    body = texts[first + 1 :]
    for index, name in enumerate(header):
        merged = any(p.row == header_row and p.message.startswith("merged") for p in problems)
        if not name.strip() and not merged and any(index < len(r) and r[index] for r in body):
            problems.append(
                Problem(
                    where,
                    header_row,
                    column_letter(index),
                    f"column {column_letter(index)} has data but no header",
                )
            )
    if problems:
        raise DataImportError(problems)
    if formula_note:
        notes.append(formula_note)
    if not body:
        raise DataImportError(
            [Problem(where, header_row + 1, None, "the sheet has a header but no data rows")]
        )
    keep = [i for i, name in enumerate(header) if name.strip()]
    columns = {header[i].strip(): [row[i] if i < len(row) else "" for row in body] for i in keep}
    frame = pl.DataFrame(columns, schema={name: pl.String for name in columns})
    frame = frame.with_row_index("_row", offset=header_row + 1).cast({"_row": pl.Int64})
    # Rows left wholly blank between records are not records.
    frame = frame.filter(pl.any_horizontal(pl.exclude("_row").str.len_chars() > 0))
    return Table(frame, where, notes)


def _merged_header_problems(
    sheet: python_calamine.CalamineSheet, header_row: int, where: str
) -> list[Problem]:
    problems = []
    for (top, left), (bottom, right) in sheet.merged_cell_ranges or []:
        if top + 1 <= header_row <= bottom + 1:
            cells = f"{column_letter(left)}{top + 1}:{column_letter(right)}{bottom + 1}"
            problems.append(
                Problem(
                    where,
                    header_row,
                    column_letter(left),
                    f"merged header cells {cells}: give each column its own header cell",
                )
            )
    return problems


_CELL = re.compile(rb'<c r="([A-Z]+)(\d+)"[^>]*?(?:/>|>(.*?)</c>)', re.S)


def _formula_problems(path: Path, where: str) -> tuple[list[Problem], str | None]:
    """Formula cells: their saved results are read; a formula never calculated is refused."""
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return [], None
    try:
        with zipfile.ZipFile(path) as archive:
            names = sorted(
                n for n in archive.namelist() if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n)
            )
            if not names:
                return [], None
            data = archive.read(names[0])
    except (zipfile.BadZipFile, KeyError):
        return [], None
    if b"<f" not in data:
        return [], None
    problems, calculated = [], 0
    for match in _CELL.finditer(data):
        inner = match.group(3) or b""
        if b"<f" not in inner:
            continue
        letter, row = match.group(1).decode(), int(match.group(2))
        if re.search(rb"<v(?: [^>]*)?>[^<]+</v>", inner):
            calculated += 1
        else:
            problems.append(
                Problem(
                    where,
                    row,
                    letter,
                    f"cell {letter}{row} holds a formula with no saved result: open and save "
                    "the file in a spreadsheet program, or paste the values",
                )
            )
    note = f"{calculated} formula cell(s) read as their saved results" if calculated else None
    return problems, note


# --- parquet -----------------------------------------------------------------------------


def _read_parquet(
    path: Path, file: str, columns: Columns | None = None, native: bool = False
) -> Table:
    try:
        header = list(pl.read_parquet_schema(path)) if columns is not None else []
        wanted = _wanted(header, columns)
        frame = pl.scan_parquet(path).select(pl.all() if wanted is None else wanted).collect()
        # Row numbers made apart from the scan: in it they slow the read down.
        rows = pl.int_range(2, frame.height + 2, dtype=pl.Int64, eager=True)
        frame = frame.insert_column(0, rows.alias("_row"))
    except Exception as error:  # pyarrow and polars raise many kinds for a bad file
        raise DataImportError(
            [Problem(file, None, None, f"the Parquet file could not be read: {error}")]
        ) from None
    return Table(frame if native else as_text(frame), file)


def as_text(frame: pl.DataFrame, names: Sequence[str] | None = None) -> pl.DataFrame:
    """``frame`` with ``names`` (default: all but ``_row``) as text cells, as a CSV shows them."""
    names = [n for n in frame.columns if n != "_row"] if names is None else names
    # A text column without empty cells is already as it should be.
    todo = [n for n in names if frame.schema[n] != pl.String or frame[n].null_count()]
    if not todo:
        return frame
    return frame.with_columns(_as_text(name, frame.schema[name]) for name in todo)


def _as_text(name: str, dtype: pl.DataType) -> pl.Expr:
    column = pl.col(name)
    if dtype.is_float():
        # Whole numbers print without ".0", as a spreadsheet shows them (LA codes like 885).
        return (
            pl.when(column == column.round(0))
            .then(column.cast(pl.Int64, strict=False).cast(pl.String))
            .otherwise(column.cast(pl.String))
            .fill_null("")
            .alias(name)
        )
    return column.cast(pl.String).fill_null("").alias(name)
