"""Ranks, quartiles and statistical-neighbour positions, one area at a time and all at once."""

from __future__ import annotations

import math

import numpy as np
import polars as pl
import pytest

from cypp.domain.units import Polarity
from cypp.stats.peers import (
    fingertips_category,
    neighbour_position,
    peer_table,
    quartile_band,
    rank,
    rank_of,
)

LOW, HIGH, NONE = Polarity.LOWER_IS_BETTER, Polarity.HIGHER_IS_BETTER, Polarity.NONE


def test_rank_ties_share_the_best_place() -> None:
    assert list(rank([5, 3, 3, 9, np.nan], LOW)) == [3, 1, 1, 4, 0]
    assert list(rank([5, 3, 3, 9, np.nan], HIGH)) == [2, 3, 3, 1, 0]
    assert list(rank([5, 3], NONE)) == [0, 0]
    assert rank_of(3, [5, 3, 3, 9], LOW) == 1


def test_quartile_bands_a_is_best() -> None:
    values = np.arange(1.0, 13.0)
    assert list(quartile_band([1, 4, 7, 12], values, LOW)) == ["A", "B", "C", "D"]
    assert list(quartile_band([1, 4, 7, 12], values, HIGH)) == ["D", "C", "B", "A"]
    assert list(quartile_band([3.75, 6.5], values, LOW)) == ["A", "B"]  # a bound: lower band
    assert list(quartile_band([1], values, NONE)) == ["Not applicable"]


def test_fingertips_quintiles_need_five_values() -> None:
    assert list(fingertips_category([1, 2], [1, 2, 3, 4], 5, HIGH)) == [0, 0]


def test_neighbour_position() -> None:
    pos = neighbour_position(10.0, [8.0, 12.0, None, 15.0], LOW)
    assert pos.neighbour_mean == pytest.approx(35 / 3)
    assert pos.neighbour_median == 12.0
    assert pos.position == 2 and pos.group_size == 4
    assert pos.neighbours_with_data == 3 and pos.neighbours_total == 4
    assert pos.versus_mean == "Better"
    assert neighbour_position(None, [1.0], LOW).versus_mean == "Not compared"


def _frame(seed: int) -> tuple[pl.DataFrame, dict[str, Polarity], dict[str, list[str]]]:
    rng = np.random.default_rng(seed)
    areas = [f"A{i:02d}" for i in range(30)]
    rows = []
    for ind in ("high", "low", "none"):
        for period in ("2023", "2024"):
            for area in areas:
                v = float(rng.integers(0, 15))  # many ties
                if rng.random() < 0.15:
                    v = None  # type: ignore[assignment]
                rows.append((ind, period, area, v))
    data = pl.DataFrame(rows, schema=["indicator", "period", "area", "value"], orient="row")
    polarity = {"high": HIGH, "low": LOW}
    groups = {a: [*rng.choice(areas, 8, replace=False), "Z99"] for a in areas[:-1]}
    return data, polarity, groups


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_peer_table_matches_the_one_area_functions(seed: int) -> None:
    data, polarity, groups = _frame(seed)
    out = peer_table(data, polarity, groups)
    assert out.height == data.height
    for (ind, _period), group in out.group_by("indicator", "period"):
        pol = polarity.get(str(ind), NONE)
        values = group["value"].to_numpy().astype(float)
        by_area = dict(zip(group["area"], values, strict=True))
        ranks = rank(values, pol)
        bands = quartile_band(values, values, pol)
        for i, row in enumerate(group.iter_rows(named=True)):
            has = row["value"] is not None
            assert row["peer_count"] == int(np.count_nonzero(~np.isnan(values)))
            if pol is NONE or not has:
                assert row["rank"] is None and row["quartile"] is None
            else:
                assert row["rank"] == ranks[i]
                assert row["quartile"] == bands[i]
            if row["area"] not in groups:
                assert row["sn_count"] is None and row["sn_mean"] is None
                continue
            nb = [by_area.get(n, np.nan) for n in groups[row["area"]]]
            expect = neighbour_position(row["value"], nb, pol)
            assert row["sn_count"] == expect.neighbours_with_data
            _same(row["sn_mean"], expect.neighbour_mean)
            _same(row["sn_median"], expect.neighbour_median)
            assert (row["sn_position"] or 0) == expect.position


def test_peer_table_takes_a_neighbour_frame() -> None:
    data, polarity, groups = _frame(4)
    frame = pl.DataFrame(
        [(a, n) for a, ns in groups.items() for n in ns], schema=["area", "neighbour"], orient="row"
    )
    assert peer_table(data, polarity, frame).equals(peer_table(data, polarity, groups))


def _same(got: float | None, want: float | None) -> None:
    if want is None or (isinstance(want, float) and math.isnan(want)):
        assert got is None
    else:
        assert got == pytest.approx(want)
