"""The block stream every reader produces, whatever the file format.

Extraction works on blocks rather than on formats, so a plan reads the same
whether it arrived as text, Markdown, PDF, Word or HTML.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class BlockKind(StrEnum):
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    BULLET = "bullet"
    TABLE_ROW = "table_row"


@dataclass(frozen=True)
class Block:
    """One line of the document's logical layout.

    ``text`` is cleaned (markup removed); ``quote`` is what a reviewer sees in the
    source (for table rows the cells joined by tabs). ``level`` is the heading
    level (1 = top) or the bullet depth (0 = top level). ``cells`` holds the
    cells of a table row; each cell's list items are kept apart in ``cell_items``.
    """

    kind: BlockKind
    text: str
    quote: str
    line: int | None = None
    page: int | None = None
    level: int = 0
    bold: bool = False
    cells: tuple[str, ...] = ()
    cell_items: tuple[tuple[str, ...], ...] = field(default=())

    @property
    def location(self) -> dict[str, int | None]:
        return {"line": self.line, "page": self.page}
