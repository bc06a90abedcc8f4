""" "If our area were a village of 100 children": plan figures as numbers a child can picture.

Each statement shows its arithmetic, because a rounded picture is only honest when
the reader can see what was rounded: 0.58 per 100 becomes "fewer than 1 in 100
(about 1 in 172)", never 0 and never 1.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from html import escape

from cypp.domain.units import Unit

VILLAGE = 100

_PER_HUNDRED = {
    Unit.PERCENT: Decimal(1),
    Unit.RATE_PER_1000: Decimal(10),
    Unit.RATE_PER_10000: Decimal(100),
    Unit.RATE_PER_100000: Decimal(1000),
}


class VillageError(ValueError):
    """A figure that cannot be shown as children in a village; the message says why."""


@dataclass(frozen=True)
class Figure:
    """One measure's latest value and how to say it ("would be overweight")."""

    measure: str
    value: Decimal
    unit: Unit
    would: str
    period: str
    population: int | None = None  # needed for counts only


@dataclass(frozen=True)
class Villager:
    figure: Figure
    per_hundred: Decimal
    children: int
    arithmetic: str

    @property
    def sentence(self) -> str:
        if self.children == 0:
            one_in = (Decimal(VILLAGE) / self.per_hundred).to_integral_value(ROUND_HALF_UP)
            who = f"Fewer than 1 child in 100 (about 1 in {one_in:,})"
        else:
            who = f"{self.children} {'child' if self.children == 1 else 'children'}"
        return f"{who} {self.figure.would}."


def villager(figure: Figure) -> Villager:
    """Scale one figure to a village of 100 children, keeping the working."""
    per_hundred = _per_hundred(figure)
    if per_hundred < 0 or per_hundred > VILLAGE:
        raise VillageError(
            f"{figure.measure}: {figure.value} ({figure.unit}) is {per_hundred} in 100, "
            "which is not a number of children in a village of 100"
        )
    children = int(per_hundred.to_integral_value(ROUND_HALF_UP))
    if children == 0 and per_hundred > 0:
        rounded = "less than half a child, so fewer than 1"
    else:
        rounded = f"rounded to {children}"
    return Villager(
        figure=figure,
        per_hundred=per_hundred,
        children=children,
        arithmetic=f"{_working(figure, per_hundred)}; {rounded} ({figure.period}).",
    )


def _per_hundred(figure: Figure) -> Decimal:
    if figure.unit in _PER_HUNDRED:
        return figure.value / _PER_HUNDRED[figure.unit]
    if figure.unit is Unit.COUNT:
        if not figure.population:
            raise VillageError(
                f"{figure.measure}: a count needs the number of children in the area "
                "(population) to be shown in a village of 100"
            )
        return figure.value * VILLAGE / Decimal(figure.population)
    raise VillageError(f"{figure.measure}: a {figure.unit} cannot be shown as children")


def _working(figure: Figure, per_hundred: Decimal) -> str:
    shown = _plain(per_hundred)
    if figure.unit is Unit.PERCENT:
        return f"{_plain(figure.value)}% of 100 children is {shown}"
    if figure.unit is Unit.COUNT:
        return f"{_plain(figure.value)} of {figure.population:,} children is {shown} in every 100"
    divisor = _PER_HUNDRED[figure.unit]
    return f"{_plain(figure.value)} per {divisor * VILLAGE:,} is {shown} per 100"


def _plain(value: Decimal) -> str:
    text = f"{value.quantize(Decimal('0.01'), ROUND_HALF_UP):,}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def village(figures: list[Figure]) -> list[Villager]:
    return [villager(figure) for figure in figures]


def village_svg(person: Villager, *, ident: str) -> str:
    """A 10 × 10 grid of children with the counted ones filled; the sentence is its title.

    Filled and unfilled children differ in shape as well as colour (a filled circle
    against a ring), so the picture does not rely on colour alone.
    """
    cells = []
    for index in range(VILLAGE):
        x, y = 12 + (index % 10) * 22, 12 + (index // 10) * 22
        if index < person.children:
            cells.append(f'<circle cx="{x}" cy="{y}" r="8" class="cypp-village__counted"/>')
        else:
            cells.append(
                f'<circle cx="{x}" cy="{y}" r="7" fill="none" stroke-width="2" '
                'class="cypp-village__other"/>'
            )
    title = escape(person.sentence)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 222 222" width="222" '
        f'height="222" role="img" aria-labelledby="{ident}-title">'
        f'<title id="{ident}-title">{title}</title>{"".join(cells)}</svg>'
    )
