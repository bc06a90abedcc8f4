"""Errors raised by the data layer.

An import either succeeds whole or fails with every problem listed, so a person
can fix the file in one pass; a web layer shows ``DataImportError.problems`` as
a table.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DataImportError", "Problem", "PublicDataError"]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an input file, at a place a spreadsheet user can find.

    ``row`` counts as a spreadsheet does (the header is row 1, the first data row
    is row 2); ``None`` means the problem concerns the whole file or column.
    """

    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        place = self.file
        if self.row is not None:
            place += f", row {self.row}"
        if self.column is not None:
            place += f", column {self.column!r}"
        return f"{place}: {self.message}"


class DataImportError(ValueError):
    """A file was rejected; ``problems`` lists everything found, in file order."""

    def __init__(self, problems: list[Problem]) -> None:
        if not problems:
            raise ValueError("DataImportError needs at least one problem")
        self.problems = sorted(problems, key=lambda p: (p.file, p.row or 0, p.column or ""))
        shown = "\n".join(f"  - {problem}" for problem in self.problems[:20])
        more = len(self.problems) - 20
        tail = f"\n  … and {more} more" if more > 0 else ""
        super().__init__(f"{len(self.problems)} problem(s); nothing was imported:\n{shown}{tail}")


class PublicDataError(RuntimeError):
    """A public-data service (Fingertips, Explore Education Statistics) could not be used."""
