"""Evaluate a published test vector with cypp's own statistics.

A vector is a mapping with ``method``, ``inputs``, ``confidence`` and
``expected`` (the format of the OHID/PHE method vectors). :func:`evaluate`
computes the result with the functions in :mod:`cypp.stats` and returns the
fields named in ``expected`` (all fields it knows when there is no
``expected``), so any vector of a supported method can be checked, not only
the ones shipped with the tests. Missing results (suppressed or undefined
values) come back as ``None``, as ``null`` in the vectors.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from cypp.domain.units import Polarity
from cypp.stats import ci, compare, peers, trends

__all__ = ["METHODS", "UnsupportedVector", "evaluate", "notes_rounding"]

type Inputs = Mapping[str, Any]
type Result = dict[str, Any]


class UnsupportedVector(ValueError):
    """The vector names a method cypp does not implement, or lacks an input it needs."""


# --------------------------------------------------------------------------- reading inputs


def _num(x: Any) -> float | None:
    """A finite float, or None for null / NaN (the vectors write NA as null)."""
    if x is None:
        return None
    f = float(x)
    return f if math.isfinite(f) else None


def _out(x: Any) -> float | None:
    """A result number for JSON: NaN and infinities become None."""
    if x is None:
        return None
    f = float(np.asarray(x, dtype=np.float64))
    return f if math.isfinite(f) else None


def _band_list(x: Any) -> list[float]:
    return [math.nan if v is None else float(v) for v in x]


def _values(x: Any) -> list[float]:
    """A list of numbers, also from the vectors' shorthand ``"1..50 (integers)"``."""
    if isinstance(x, str):
        m = re.match(r"\s*(-?\d+)\s*\.\.\s*(-?\d+)", x)
        if not m:
            raise UnsupportedVector(f"cannot read the values {x!r}")
        lo, hi = int(m.group(1)), int(m.group(2))
        return [float(v) for v in range(lo, hi + 1)]
    return _band_list(x)


def _pick(inputs: Inputs, *names: str, prefix: str | None = None) -> Any:
    """The first input present under one of ``names`` (or starting with ``prefix``)."""
    for name in names:
        if name in inputs:
            return inputs[name]
    if prefix is not None:
        for key, value in inputs.items():
            if key.startswith(prefix):
                return value
    raise UnsupportedVector(f"the inputs need one of {', '.join(names)}")


def _confidences(confidence: Any, default: float = 0.95) -> list[float]:
    if confidence is None:
        return [default]
    if isinstance(confidence, list | tuple):
        return [ci.normalise_confidence(float(c)) for c in confidence]
    return [ci.normalise_confidence(float(confidence))]


def _conf(confidence: Any, default: float = 0.95) -> float:
    return _confidences(confidence, default)[0]


#: Fingertips polarity wording and ids. None means "not applicable": nothing is compared.
_POLARITY_WORDS: tuple[tuple[str, Polarity | None], ...] = (
    ("low is good", Polarity.LOWER_IS_BETTER),
    ("lower_is_better", Polarity.LOWER_IS_BETTER),
    ("high is good", Polarity.HIGHER_IS_BETTER),
    ("higher_is_better", Polarity.HIGHER_IS_BETTER),
    ("bob", Polarity.NONE),
    ("blue", Polarity.NONE),
    ("no judgement", Polarity.NONE),
    ("none", Polarity.NONE),
    ("not applicable", None),
)
_POLARITY_IDS: dict[int, Polarity | None] = {
    0: Polarity.LOWER_IS_BETTER,
    1: Polarity.HIGHER_IS_BETTER,
    99: Polarity.NONE,
    -1: None,
}


def _polarity(x: Any) -> Polarity | None:
    """Read a Fingertips polarity ("RAG - Low is good", 0, 1, 99, -1) or a cypp one."""
    if x is None:
        return None
    if isinstance(x, int | float):
        return _POLARITY_IDS.get(int(x))
    text = str(x).strip().lower()
    for word, polarity in _POLARITY_WORDS:
        if word in text:
            return polarity
    raise UnsupportedVector(f"unknown polarity {x!r}")


_SIG_NAMES = {
    compare.Significance.NONE: "None",
    compare.Significance.WORSE: "Worse",
    compare.Significance.SAME: "Same",
    compare.Significance.BETTER: "Better",
    compare.Significance.WORST: "Worst",
    compare.Significance.BEST: "Best",
}


def _significance(code: Any, polarity: Polarity | None) -> Result:
    """Fingertips significance name and the label users see."""
    sig = compare.Significance(int(np.asarray(code)))
    if polarity is None:
        sig = compare.Significance.NONE
    shown = compare.label(int(sig), Polarity.NONE if polarity is None else polarity)
    return {"significance": _SIG_NAMES[sig], "label": shown}


def _nan(x: float | None) -> float:
    return math.nan if x is None else x


# --------------------------------------------------------------------------- confidence intervals


def _byars_count(inputs: Inputs, confidence: Any) -> Result:
    lower, upper = ci.byar_limits(float(_pick(inputs, "x", "count", "observed")), _conf(confidence))
    return {"lower_count": _out(lower), "upper_count": _out(upper)}


def _wilson(inputs: Inputs, confidence: Any) -> Result:
    x = float(_pick(inputs, "x", "numerator", "count"))
    n = float(_pick(inputs, "n", "denominator"))
    res = ci.wilson(x, n, _conf(confidence), float(inputs.get("multiplier", 1)))
    return {
        "value": _out(res.value),
        "lower": _out(res.lower),
        "upper": _out(res.upper),
        "ci_method": "Wilson",
    }


def _crude_rate(inputs: Inputs, confidence: Any) -> Result:
    x = float(_pick(inputs, "x", "numerator", "count", "observed"))
    n = float(_pick(inputs, "n", "denominator", "population"))
    res = ci.crude_rate(x, n, _conf(confidence), float(inputs.get("multiplier", 100_000)))
    return {
        "value": _out(res.value),
        "lower": _out(res.lower),
        "upper": _out(res.upper),
        "ci_method": str(ci.poisson_method(x)),
    }


#: European Standard Population 1976 (19 bands: 0, 1-4, 5-9, ..., 80-84, 85+).
ESP1976_19 = (1600, 6400, 7000, 7000, 7000, 7000, 7000, 7000, 7000,
              7000, 7000, 7000, 6000, 5000, 4000, 3000, 2000, 1000, 1000)  # fmt: skip
#: European Standard Population 1976 in 18 five-year bands (0-4 ... 85+).
ESP1976_18 = (8000, *ESP1976_19[2:])


def _standard_pop(inputs: Inputs, bands: int) -> Sequence[float]:
    if "stdpop_values" in inputs:
        return _band_list(inputs["stdpop_values"])
    named = str(inputs.get("stdpop", "ESP2013"))
    if "1976" in named:
        return ESP1976_19 if bands == 19 else ESP1976_18
    return ci.ESP2013


def _dsr_result(res: ci.StandardisedRate) -> Result:
    return {
        "total_count": res.total_count,
        "total_pop": res.total_pop,
        "value": _out(res.value),
        "lower": _out(res.lower),
        "upper": _out(res.upper),
        "note": res.note or None,
    }


def _dsr(inputs: Inputs, confidence: Any) -> Result:
    counts = _band_list(_pick(inputs, "counts", "observed", "x"))
    pops = _band_list(_pick(inputs, "pops", "populations", "n"))
    res = ci.dsr(
        counts,
        pops,
        _conf(confidence),
        float(inputs.get("multiplier", 100_000)),
        _standard_pop(inputs, len(pops)),
    )
    return _dsr_result(res)


def _dsr_nonindependent(inputs: Inputs, confidence: Any) -> Result:
    persons = {k: _band_list(v) for k, v in inputs["persons_by_event_frequency"].items()}
    pops = _band_list(_pick(inputs, "pops", "populations", "n"))
    res = ci.dsr_non_independent(
        persons,
        pops,
        _conf(confidence),
        float(inputs.get("multiplier", 100_000)),
        _standard_pop(inputs, len(pops)),
    )
    return _dsr_result(res)


def _observed_total(inputs: Inputs) -> float:
    obs = _pick(inputs, "observed", "observed_totals", "x", "counts")
    if isinstance(obs, list | tuple):
        return float(np.nansum(_band_list(obs)))
    return float(obs)


def _isr_common(res: ci.IndirectResult) -> Result:
    return {
        "observed": res.observed,
        "expected_events": res.expected,
        "value": _out(res.value),
        "lower": _out(res.lower),
        "upper": _out(res.upper),
        "ci_method": res.method,
    }


def _isr_ratio(inputs: Inputs, confidence: Any) -> Result:
    res = ci.isr_ratio(
        _observed_total(inputs),
        _band_list(inputs["pops"]),
        _band_list(inputs["ref_counts"]),
        _band_list(inputs["ref_pops"]),
        _conf(confidence),
        float(inputs.get("refvalue", 1)),
    )
    return _isr_common(res)


def _isr_rate(inputs: Inputs, confidence: Any) -> Result:
    res = ci.isr_rate(
        _observed_total(inputs),
        _band_list(inputs["pops"]),
        _band_list(inputs["ref_counts"]),
        _band_list(inputs["ref_pops"]),
        _conf(confidence),
        float(inputs.get("multiplier", 100_000)),
    )
    return {**_isr_common(res), "ref_rate": res.ref_rate}


def _mean(inputs: Inputs, confidence: Any) -> Result:
    res = ci.mean_ci(_band_list(inputs["values"]), _conf(confidence))
    return {
        "value": res.value,
        "stdev": res.stdev,
        "lower": res.lower,
        "upper": res.upper,
        "count": res.count,
    }


def _life_expectancy(inputs: Inputs, confidence: Any) -> Result:
    ages = _band_list(_pick(inputs, "startage_bands", "start_ages", "ages"))
    res = ci.life_expectancy(
        ages,
        _band_list(inputs["pops"]),
        _band_list(inputs["deaths"]),
        _conf(confidence),
    )
    age = float(inputs.get("le_age", ages[0]))
    value, lower, upper = res.at(age)
    return {"value": _out(value), "lower": _out(lower), "upper": _out(upper)}


# --------------------------------------------------------------------------- comparisons


def _one_level(inputs: Inputs, confidence: Any) -> Result:
    pol = _polarity(inputs.get("polarity"))
    code = compare.single_ci(
        _nan(_num(inputs.get("value"))),
        _nan(_num(inputs.get("lo95"))),
        _nan(_num(inputs.get("hi95"))),
        _nan(_num(_pick(inputs, "comparator_value", "comparator"))),
        pol or Polarity.NONE,
    )
    return _significance(code, pol)


def _two_levels(inputs: Inputs, confidence: Any) -> Result:
    pol = _polarity(inputs.get("polarity"))
    code = compare.two_ci_levels(
        _nan(_num(inputs.get("value"))),
        _nan(_num(inputs.get("lo95"))),
        _nan(_num(inputs.get("hi95"))),
        _nan(_num(inputs.get("lo998"))),
        _nan(_num(inputs.get("hi998"))),
        _nan(_num(_pick(inputs, "comparator_value", "comparator"))),
        pol or Polarity.NONE,
    )
    return _significance(code, pol)


def _double_overlap(inputs: Inputs, confidence: Any) -> Result:
    pol = _polarity(inputs.get("polarity"))
    data, comp = inputs["data"], inputs["comparator"]
    code = compare.double_overlap(
        _nan(_num(data.get("value"))),
        _nan(_num(data.get("lo95"))),
        _nan(_num(data.get("hi95"))),
        _nan(_num(comp.get("value"))),
        _nan(_num(comp.get("lo95"))),
        _nan(_num(comp.get("hi95"))),
        pol or Polarity.NONE,
    )
    return _significance(code, pol)


def _spc_proportions(inputs: Inputs, confidence: Any) -> Result:
    pol = _polarity(inputs.get("polarity"))
    unit = float(inputs.get("unit", 100))
    z = inputs.get("confidence_variable_z", inputs.get("z"))
    zz = ci.z_value(_conf(confidence)) if z is None else float(z)
    comparator = _nan(_num(_pick(inputs, "comparator_percent", prefix="comparator")))
    denominator = _nan(_num(inputs.get("denominator")))
    code = compare.spc_proportion(
        _nan(_num(_pick(inputs, "value_percent", "value", prefix="value"))),
        denominator,
        comparator,
        pol or Polarity.NONE,
        unit=unit,
        z=zz,
    )
    lower, upper = compare.spc_proportion_limits(denominator, comparator, zz, unit)
    return {**_significance(code, pol), "lower_limit": _out(lower), "upper_limit": _out(upper)}


def _spc_dsr(inputs: Inputs, confidence: Any) -> Result:
    pol = _polarity(inputs.get("polarity"))
    unit = float(inputs.get("unit", 100_000))
    tail = inputs.get("tail_probability")
    p = (1.0 - _conf(confidence)) / 2.0 if tail is None else float(tail)
    n2 = _nan(_num(_pick(inputs, "denominator2_population", "denominator2", "population")))
    comparator = _nan(_num(_pick(inputs, "comparator_per_100000", prefix="comparator")))
    code = compare.spc_dsr(
        _nan(_num(_pick(inputs, "value_per_100000", "value", prefix="value"))),
        n2,
        comparator,
        pol or Polarity.NONE,
        unit=unit,
        tail=p,
    )
    lower, upper = compare.spc_dsr_limits(n2, comparator, p, unit)
    return {**_significance(code, pol), "lower_limit": _out(lower), "upper_limit": _out(upper)}


def _goal_range(inputs: Inputs, confidence: Any) -> Result:
    pol = _polarity(inputs.get("polarity"))
    code = compare.goal_range(
        _nan(_num(inputs.get("value"))),
        _nan(_num(_pick(inputs, "lower_limit", "lower"))),
        _nan(_num(_pick(inputs, "upper_limit", "upper"))),
        pol or Polarity.NONE,
    )
    sig = compare.Significance(int(code)) if pol is not None else compare.Significance.NONE
    return {"significance": _SIG_NAMES[sig], "label": str(compare.goal_labels(int(sig)))}


def _ratio_funnel(inputs: Inputs, confidence: Any) -> Result:
    label = compare.ratio_funnel_significance(
        _nan(_num(inputs["observed"])), _nan(_num(inputs["expected"]))
    )
    return {"significance": str(label)}


def _proportion_funnel(inputs: Inputs, confidence: Any) -> Result:
    average = float(_pick(inputs, "average_proportion", "average"))
    label = compare.proportion_funnel_significance(
        _nan(_num(inputs["numerator"])), _nan(_num(inputs["denominator"])), average
    )
    return {"significance": str(label)}


def _proportion_funnel_limits(inputs: Inputs, confidence: Any) -> Result:
    multiplier = float(inputs.get("multiplier", 100))
    average = float(_pick(inputs, "average_percent", "average", prefix="average"))
    population = float(_pick(inputs, "population", "denominator"))
    out: Result = {}
    for conf in _confidences(confidence or [0.95, 0.998]):
        lo, hi = compare.proportion_funnel_limits(population, average, conf, multiplier)
        tag = _conf_tag(conf)
        out[f"lower_{tag}"] = _out(lo)
        out[f"upper_{tag}"] = _out(hi)
    return out


def _conf_tag(conf: float) -> str:
    """0.95 -> '95', 0.998 -> '998' (the vectors' field suffixes)."""
    return f"{conf * 100:g}".replace(".", "")


# --------------------------------------------------------------------------- peers


def _bounds(parts: int) -> Callable[[Inputs, Any], Result]:
    def run(inputs: Inputs, confidence: Any) -> Result:
        bounds = peers.percentile_bounds(_values(inputs["values"]), parts)
        return {"bounds": None if bounds is None else [float(b) for b in bounds]}

    return run


def _category(parts: int) -> Callable[[Inputs, Any], Result]:
    def run(inputs: Inputs, confidence: Any) -> Result:
        pol = _polarity(inputs.get("polarity")) or Polarity.NONE
        tested = _values(_pick(inputs, "values_tested", "values"))
        cats = peers.fingertips_category(tested, _values(inputs["all_values"]), parts, pol)
        return {"categories": [int(c) for c in cats]}

    return run


# --------------------------------------------------------------------------- trends


def _sorted_points(inputs: Inputs) -> list[Mapping[str, Any]]:
    points = list(inputs["points"])
    if all("year" in p for p in points):
        points.sort(key=lambda p: p["year"])
    return points


def _trend_result(res: trends.TrendResult) -> Result:
    marker = trends.TrendMarker(int(res.marker[0]))
    chi2 = float(res.chi_square[0])
    names = {
        trends.TrendMarker.CANNOT_BE_CALCULATED: "CannotBeCalculated",
        trends.TrendMarker.INCREASING: "Increasing",
        trends.TrendMarker.DECREASING: "Decreasing",
        trends.TrendMarker.NO_CHANGE: "NoChange",
    }
    return {
        "chi_square": chi2,
        "chi_square_2dp": round(chi2, 2),
        "is_significant": marker in (trends.TrendMarker.INCREASING, trends.TrendMarker.DECREASING),
        "marker": names[marker],
        "slope": _out(res.slope[0]),
    }


def _trend_wls(inputs: Inputs, confidence: Any) -> Result:
    pts = _sorted_points(inputs)
    res = trends.recent_trend(
        [_nan(_num(p.get("value"))) for p in pts],
        [_nan(_num(p.get("lo95"))) for p in pts],
        [_nan(_num(p.get("hi95"))) for p in pts],
    )
    return _trend_result(res)


def _trend_proportion(inputs: Inputs, confidence: Any) -> Result:
    pts = _sorted_points(inputs)
    res = trends.recent_trend_proportion(
        [_nan(_num(p.get("count"))) for p in pts],
        [_nan(_num(p.get("denominator"))) for p in pts],
    )
    return _trend_result(res)


def _xmr(inputs: Inputs, confidence: Any) -> Result:
    lim = trends.xmr_limits(
        _band_list(inputs["values"]),
        screen_outliers=bool(inputs.get("screen_outliers", False)),
        baseline=inputs.get("baseline"),
    )
    # The published XmR figures are chart captions, given to 2 d.p.
    return {
        "mean": round(lim.mean, 2),
        "upl": round(lim.upper, 2),
        "lpl": round(lim.lower, 2),
        "upper_2sigma": round(lim.upper_2sigma, 2),
        "lower_2sigma": round(lim.lower_2sigma, 2),
    }


def _flags(x: Any) -> list[int]:
    return [int(abs(v)) for v in np.asarray(x)]


def _rule_trend(inputs: Inputs, confidence: Any) -> Result:
    run = int(inputs.get("run", 7))
    return {"flag_at_point": _flags(trends.rule_trend(_band_list(inputs["values"]), run))}


def _rule_shift(inputs: Inputs, confidence: Any) -> Result:
    run = int(inputs.get("run", 7))
    if "sign_relative_to_mean" in inputs:
        signs = _band_list(inputs["sign_relative_to_mean"])
    else:
        values = np.asarray(_band_list(inputs["values"]))
        signs = list(np.sign(values - np.nanmean(values)))
    return {"flag_at_point": _flags(trends.rule_shift(signs, run))}


def _rule_two_in_three(inputs: Inputs, confidence: Any) -> Result:
    close = _band_list(inputs["close_to_limits"])
    signs = _band_list(inputs["sign_relative_to_mean"])
    return {"window_flag": _flags(trends.rule_two_in_three(close, signs))}


# --------------------------------------------------------------------------- dispatch

METHODS: dict[str, Callable[[Inputs, Any], Result]] = {
    "byars_count_ci": _byars_count,
    "wilson_proportion_ci": _wilson,
    "crude_rate_ci": _crude_rate,
    "dsr_dobson": _dsr,
    "dsr_dobson_nonindependent": _dsr_nonindependent,
    "isr_ratio_smr": _isr_ratio,
    "isr_rate": _isr_rate,
    "mean_t_ci": _mean,
    "life_expectancy_chiang_silcocks": _life_expectancy,
    "fingertips_significance_single_overlapping_one_ci_level": _one_level,
    "fingertips_significance_single_overlapping_two_ci_levels": _two_levels,
    "fingertips_significance_double_overlapping_cis": _double_overlap,
    "fingertips_significance_spc_proportions": _spc_proportions,
    "fingertips_significance_spc_dsr_poisson": _spc_dsr,
    "fingertips_benchmark_against_goal_range": _goal_range,
    "fingertips_quintile_bounds": _bounds(5),
    "fingertips_quartile_bounds": _bounds(4),
    "fingertips_quintile_category": _category(5),
    "fingertips_quartile_category": _category(4),
    "fingertips_recent_trend_wls": _trend_wls,
    "fingertips_recent_trend_proportion_chisq": _trend_proportion,
    "ratio_significance_vs_1_funnel": _ratio_funnel,
    "proportion_significance_vs_average_funnel": _proportion_funnel,
    "proportion_funnel_limits": _proportion_funnel_limits,
    "xmr_process_limits": _xmr,
    "spc_rule_seven_point_trend": _rule_trend,
    "spc_rule_seven_points_one_side_of_mean": _rule_shift,
    "spc_rule_two_in_three_beyond_2sigma": _rule_two_in_three,
}

_ROUNDING = re.compile(r"(?:round(?:s|ed|ing)?|stored)\s+to\s+(\d+)\s*d\.?\s*p", re.IGNORECASE)


def notes_rounding(notes: str | None) -> int | None:
    """Decimal places a vector's notes say its expected figures were rounded to, if any."""
    if not notes:
        return None
    m = _ROUNDING.search(notes)
    return int(m.group(1)) if m else None


def _rounded(x: Any, places: int) -> Any:
    if isinstance(x, float):
        return round(x, places)
    if isinstance(x, list):
        return [_rounded(v, places) for v in x]
    return x


def evaluate(vector: Mapping[str, Any]) -> dict[str, Any]:
    """Compute a vector's result: the fields of its ``expected`` (or every field known).

    Where the vector's notes say its expected figures were rounded to some
    decimal places, the numbers returned are rounded the same way.
    """
    method = vector.get("method")
    if method not in METHODS:
        raise UnsupportedVector(f"method {method!r} is not supported")
    result = METHODS[method](vector.get("inputs") or {}, vector.get("confidence"))
    places = notes_rounding(vector.get("notes"))
    if places is not None:
        result = {k: _rounded(v, places) for k, v in result.items()}
    expected = vector.get("expected")
    if isinstance(expected, Mapping):
        return {k: result[k] for k in expected if k in result}
    return result
