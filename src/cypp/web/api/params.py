"""Bounded parameter types: ids that fit the database, text without control characters."""

from __future__ import annotations

from typing import Annotated, Any

from ninja import Path, Query

MAX_ID = 2**31 - 1
#: Printable text only: control characters (NUL above all) never reach the database.
PRINTABLE = r"^[^\x00-\x1f\x7f]*$"

Id = Annotated[int, Path(ge=1, le=MAX_ID)]
Slug = Annotated[str, Path(max_length=200, pattern=r"^[-a-zA-Z0-9_]+$")]


def text_query(description: str, max_length: int = 200):  # type: ignore[no-untyped-def]
    return Query(None, max_length=max_length, pattern=PRINTABLE, description=description)


def of_plan_and_measure(found: Any, plan: str | None, measure: str | None) -> Any:
    """Rows of ``found`` (with a ``measure``) narrowed to a plan id and a measure, given by
    its database id or its id in the plan file."""
    if plan:
        found = found.filter(measure__theme__plan__slug=plan)
    if measure:
        by_id = measure.isdigit() and len(measure) < 10
        found = (
            found.filter(measure_id=int(measure)) if by_id else found.filter(measure__key=measure)
        )
    return found
