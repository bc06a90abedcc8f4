"""Limit/offset pages with bounds, so no request asks the database for absurd slices."""

from __future__ import annotations

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

MAX_LIMIT = 500
MAX_OFFSET = 10_000_000


class Pages(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(50, ge=1, le=MAX_LIMIT, description="Items per page (at most 500).")
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Items to skip.")

    def __init__(self, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(max_limit=MAX_LIMIT, **kwargs)
