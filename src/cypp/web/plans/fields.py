"""Model fields that keep plan values exactly as the domain holds them.

Figures keep the digits the plan wrote (``14.50`` stays ``14.50``, ``33`` stays a whole
number) and periods keep the plan's wording, so a plan read from the database dumps to
the same plan file it was loaded from.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from cypp.domain.periods import Period, PeriodError, parse_period


def number_from_text(text: str) -> int | Decimal:
    """``"33"`` → 33, ``"14.50"`` → Decimal("14.50")."""
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return Decimal(text)
    except InvalidOperation as error:
        raise ValidationError(f"{text!r} is not a number") from error


class NumberField(models.CharField):
    """An ``int | Decimal`` stored as its exact text."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 50)
        kwargs.setdefault("null", True)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> Any:
        return None if value is None else number_from_text(value)

    def to_python(self, value: Any) -> Any:
        if value is None or value == "":
            return None
        if isinstance(value, int | Decimal):
            return value
        return number_from_text(str(value))

    def get_prep_value(self, value: Any) -> str | None:
        if value is None or value == "":
            return None
        if isinstance(value, bool) or not isinstance(value, int | Decimal):
            value = number_from_text(str(value))
        return str(value)


class PeriodField(models.CharField):
    """A :class:`~cypp.domain.periods.Period` stored as the wording the plan used."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 200)
        kwargs.setdefault("null", True)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> Any:
        return None if value is None else parse_period(value)

    def to_python(self, value: Any) -> Any:
        if value is None or value == "" or isinstance(value, Period):
            return value or None
        try:
            return parse_period(str(value))
        except PeriodError as error:
            raise ValidationError(str(error)) from error

    def get_prep_value(self, value: Any) -> str | None:
        if value is None or value == "":
            return None
        return str(value)
