"""Units of measurement and polarity, shared by plans, data and ratings."""

from __future__ import annotations

from enum import StrEnum


class Unit(StrEnum):
    PERCENT = "percent"
    RATE_PER_1000 = "rate_per_1000"
    RATE_PER_10000 = "rate_per_10000"
    RATE_PER_100000 = "rate_per_100000"
    COUNT = "count"
    DAYS = "days"
    RANK = "rank"
    SCORE = "score"
    RATIO = "ratio"
    OTHER = "other"

    @property
    def multiplier(self) -> float | None:
        """What a proportion is multiplied by to give a value in this unit (None: not a rate)."""
        return _MULTIPLIERS.get(self)


_MULTIPLIERS = {
    Unit.PERCENT: 100.0,
    Unit.RATE_PER_1000: 1_000.0,
    Unit.RATE_PER_10000: 10_000.0,
    Unit.RATE_PER_100000: 100_000.0,
}


class Polarity(StrEnum):
    HIGHER_IS_BETTER = "higher_is_better"
    LOWER_IS_BETTER = "lower_is_better"
    NONE = "none"
