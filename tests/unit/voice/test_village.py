"""The village of 100 children, with the arithmetic shown."""

from decimal import Decimal

import pytest

from cypp.domain.units import Unit
from cypp.voice.village import Figure, VillageError, village, village_svg, villager


def test_percentages_rates_and_counts_become_children() -> None:
    people = village(
        [
            Figure("Year 6 excess weight", Decimal("33.4"), Unit.PERCENT, "would be overweight",
                   "2013/14"),
            Figure("NEET", Decimal("4.7"), Unit.PERCENT,
                   "would not be in education, employment or training", "2012/13"),
            Figure("Looked after children", Decimal("58"), Unit.RATE_PER_10000,
                   "would be looked after by the council", "2014/15"),
            Figure("Child protection plans", Decimal("412"), Unit.COUNT,
                   "would have a child protection plan", "2014", population=120_000),
        ]
    )  # fmt: skip
    assert [p.children for p in people] == [33, 5, 1, 0]
    assert people[0].sentence == "33 children would be overweight."
    assert people[0].arithmetic == "33.4% of 100 children is 33.4; rounded to 33 (2013/14)."
    assert people[2].arithmetic == "58 per 10,000 is 0.58 per 100; rounded to 1 (2014/15)."
    assert people[2].sentence == "1 child would be looked after by the council."
    assert people[3].per_hundred == Decimal("412") * 100 / Decimal(120_000)
    assert people[3].sentence == (
        "Fewer than 1 child in 100 (about 1 in 291) would have a child protection plan."
    )
    assert "less than half a child" in people[3].arithmetic


def test_figures_that_are_not_children_are_refused() -> None:
    with pytest.raises(VillageError, match="needs the number of children"):
        villager(Figure("Adoptions", Decimal(70), Unit.COUNT, "would be adopted", "2014/15"))
    with pytest.raises(VillageError, match="not a number of children"):
        villager(Figure("Bad", Decimal(140), Unit.PERCENT, "would be counted", "2014"))
    with pytest.raises(VillageError, match="cannot be shown"):
        villager(Figure("Days", Decimal(12), Unit.DAYS, "would wait", "2014"))


def test_picture_has_a_title_and_does_not_rely_on_colour() -> None:
    person = villager(Figure("NEET", Decimal("4.7"), Unit.PERCENT, "would be NEET", "2013"))
    svg = village_svg(person, ident="neet")
    assert 'role="img"' in svg and 'aria-labelledby="neet-title"' in svg
    assert '<title id="neet-title">5 children would be NEET.</title>' in svg
    assert svg.count("cypp-village__counted") == 5
    assert svg.count('fill="none"') == 95
