"""Numbers in explanations: rounded for display only, never in stored values."""

from __future__ import annotations

import math

from cypp.domain.units import Unit


def format_number(x: float, decimals: int | None = None) -> str:
    """Thousands separators and no trailing zeros: 33 -> '33', 28.25 -> '28.3', 0.0123 -> '0.0123'.

    Without ``decimals``, values of 10 or more keep one decimal place, smaller
    values keep three significant figures, so small rates are not shown as 0.
    """
    if x is None or not math.isfinite(x):
        return "no value"
    if decimals is None:
        ax = abs(x)
        decimals = 1 if ax >= 10 or ax == 0 else max(1, 2 - math.floor(math.log10(ax)))
    text = f"{x:,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


_RATE_WORDS = {
    Unit.RATE_PER_1000: "per 1,000",
    Unit.RATE_PER_10000: "per 10,000",
    Unit.RATE_PER_100000: "per 100,000",
}


def format_value(x: float | None, unit: Unit | None = None, decimals: int | None = None) -> str:
    """A value with its unit as people write it: '33 per 10,000', '64.5%', '12 days'."""
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "no value"
    number = format_number(x, decimals)
    if unit is Unit.PERCENT:
        return f"{number}%"
    if unit in _RATE_WORDS:
        return f"{number} {_RATE_WORDS[unit]}"
    if unit is Unit.DAYS:
        return f"{number} day" if number == "1" else f"{number} days"
    if unit is Unit.RANK:
        return f"rank {number}"
    return number
