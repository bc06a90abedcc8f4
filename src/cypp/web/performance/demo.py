"""Demo figures for `cypp demo`: the Worcestershire plan's real published figures, rated."""

from __future__ import annotations

from pathlib import Path

from cypp.data.demo import DEMO_PLAN, demo_observations
from cypp.web.data.actions import import_observations
from cypp.web.data.models import Observation
from cypp.web.performance import figures
from cypp.web.performance.actions import calculate_ratings
from cypp.web.performance.models import RatingRun
from cypp.web.plans.models import Plan

#: The plan's own last year; the latest period with figures is rated too.
DEMO_PERIODS = ("2014/15",)


def load_demo_figures(examples: Path | None = None) -> str:
    """Store the demo figures (once) and rate the demo plan; returns what was done."""
    plan = Plan.objects.filter(slug=DEMO_PLAN.stem).first()
    if plan is None:
        return "demo figures: the Worcestershire plan is not loaded"
    done = []
    if not Observation.objects.filter(measure__theme__plan=plan).exists():
        summary = import_observations(demo_observations(examples), plan=plan, actor="demo")
        done.append(f"{summary.created} figures stored")
    if not RatingRun.objects.filter(plan=plan).exists():
        frame = figures.observation_frame(plan.pk)
        available = figures.reporting_periods(frame, plan.area_ons_code)
        wanted = [p for p in DEMO_PERIODS if p in available] + available[:1]
        for period in dict.fromkeys(wanted):
            calculate_ratings(plan, period, actor="demo")
            done.append(f"rated {period}")
    return f"{plan.slug}: " + (", ".join(done) if done else "figures and ratings already stored")
