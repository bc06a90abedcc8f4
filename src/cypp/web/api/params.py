"""Bounded parameter types: ids that fit the database, text without control characters."""

from __future__ import annotations

from typing import Annotated

from ninja import Path, Query

MAX_ID = 2**31 - 1
#: Printable text only: control characters (NUL above all) never reach the database.
PRINTABLE = r"^[^\x00-\x1f\x7f]*$"

Id = Annotated[int, Path(ge=1, le=MAX_ID)]
Slug = Annotated[str, Path(max_length=200, pattern=r"^[-a-zA-Z0-9_]+$")]


def text_query(description: str, max_length: int = 200):  # type: ignore[no-untyped-def]
    return Query(None, max_length=max_length, pattern=PRINTABLE, description=description)
