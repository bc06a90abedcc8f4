"""Every published method vector, computed by cypp.stats.vectors.evaluate.

The vectors (``data/vectors.json``) are a copy of the OHID/PHE, Fingertips and
NHS "Making Data Count" test vectors: see ``data/README.md`` for where they come from.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import pytest

from cypp.stats.vectors import METHODS, UnsupportedVector, evaluate, notes_rounding

VECTORS: list[dict[str, Any]] = json.loads(
    (Path(__file__).parent / "data" / "vectors.json").read_text(encoding="utf-8")
)
REL = 1e-6


def _id(index: int, vector: dict[str, Any]) -> str:
    return vector.get("id") or f"{index:03d}-{vector['method']}"


def _close(got: Any, want: Any, places: int | None) -> bool:
    if want is None:
        return got is None
    if isinstance(want, (bool, str)):
        return bool(got == want)
    if isinstance(want, list):
        return (
            isinstance(got, list)
            and len(got) == len(want)
            and all(_close(g, w, places) for g, w in zip(got, want, strict=True))
        )
    if got is None:
        return False
    if places is not None:
        return round(float(got), places) == pytest.approx(round(float(want), places), abs=1e-12)
    return math.isclose(float(got), float(want), rel_tol=REL, abs_tol=1e-12)


@pytest.mark.parametrize("vector", [pytest.param(v, id=_id(i, v)) for i, v in enumerate(VECTORS)])
def test_vector(vector: dict[str, Any]) -> None:
    got = evaluate(vector)
    want = vector["expected"]
    assert set(got) == set(want), f"missing fields {set(want) - set(got)}"
    places = notes_rounding(vector.get("notes"))
    if vector["method"] == "xmr_process_limits":
        places = 2  # published as chart captions to 2 d.p.
    for key, value in want.items():
        assert _close(got[key], value, places), f"{key}: got {got[key]!r}, expected {value!r}"


def test_every_shared_method_is_supported() -> None:
    assert {v["method"] for v in VECTORS} <= set(METHODS)


def test_unknown_method_is_refused() -> None:
    with pytest.raises(UnsupportedVector, match="not supported"):
        evaluate({"method": "no_such_method", "inputs": {}, "confidence": 0.95})


def test_without_expected_all_fields_come_back() -> None:
    out = evaluate({"method": "crude_rate_ci", "inputs": {"x": 0, "n": 1000}, "confidence": 95})
    assert out["lower"] == 0.0
    assert out["ci_method"] == "Exact"
    assert out["upper"] == pytest.approx(368.8879454113935, rel=REL)


def test_notes_rounding() -> None:
    assert notes_rounding("Package test rounds to 4 d.p. The stored ...") == 4
    assert notes_rounding("expected values stored to 8 d.p.; variance") == 8
    assert notes_rounding("file values rounded to 6 d.p.") == 6
    assert notes_rounding("points exactly on the mean break a run") is None


_LIMITS = re.compile(r"(-?\d+\.\d+)\.\.(-?\d+\.\d+)")


@pytest.mark.parametrize(
    "vector",
    [
        pytest.param(v, id=_id(i, v))
        for i, v in enumerate(VECTORS)
        if v["method"].startswith("fingertips_significance_spc") and _LIMITS.search(v["notes"])
    ],
)
def test_spc_control_limits_match_the_notes(vector: dict[str, Any]) -> None:
    """The SPC vectors' notes give the control limits (4 d.p.); ours must agree."""
    match = _LIMITS.search(vector["notes"])
    assert match is not None
    out = evaluate({**vector, "expected": None})
    assert round(out["lower_limit"], 4) == pytest.approx(float(match.group(1)), abs=1e-9)
    assert round(out["upper_limit"], 4) == pytest.approx(float(match.group(2)), abs=1e-9)
