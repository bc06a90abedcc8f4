"""What children said, read from the database for the plan, performance and board-pack pages.

Stored rows become :mod:`cypp.voice` values and go through the same pure code as the
command line (:mod:`cypp.reports.voice`), so every page and the board pack agree.
Consultation results are part of the plan: whoever may read the plan may read them.
Stories reach a page or a pack only as counts, or as the redacted text of a published
story whose teller agreed to share it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from cypp.reports.voice import AgreementResult, VoiceSection, agreements_by_priority
from cypp.reports.voice import build_voice_section as build_section
from cypp.voice import consultations as c
from cypp.web.plans import models as pm
from cypp.web.voice import actions
from cypp.web.voice import models as vm

__all__ = ["ThemeResult", "domain_consultations", "theme_results", "voice_section"]


@dataclass(frozen=True)
class ThemeResult:
    """One consultation's result for one priority, as a theme or measure page shows it."""

    result: AgreementResult
    note: str


def _rows(plan: pm.Plan) -> list[vm.Consultation]:
    return list(
        vm.Consultation.objects.filter(plan=plan).prefetch_related(
            "agreements__theme", "ranked_issues"
        )
    )


def _domain(row: vm.Consultation) -> c.Consultation:
    return c.Consultation(
        title=row.title,
        run_by=row.run_by,
        held_from=row.held_from,
        held_to=row.held_to,
        method=c.Method(row.method),
        age_groups=tuple(
            c.AgeGroup(str(g["label"]), int(g["participants"])) for g in row.age_groups
        ),
        agreements=tuple(
            c.PriorityAgreement(a.theme.key, a.agreed, a.asked) for a in row.agreements.all()
        ),
        ranked_issues=tuple(
            c.RankedIssue(i.rank, i.issue, i.votes) for i in row.ranked_issues.all()
        ),
        themes=tuple(line.strip() for line in row.themes.splitlines() if line.strip()),
    )


def domain_consultations(plan: pm.Plan) -> list[c.Consultation]:
    return [_domain(row) for row in _rows(plan)]


def theme_results(plan: pm.Plan) -> dict[str, list[ThemeResult]]:
    """Each theme's consultation results by theme key, oldest consultation first."""
    rows = _rows(plan)
    consultations = [_domain(row) for row in rows]
    notes = {(row.title, row.held_from): row.note for row in rows}
    keys = list(pm.Theme.objects.filter(plan=plan).values_list("key", flat=True))
    return {
        key: [
            ThemeResult(r, notes.get((r.consultation.title, r.consultation.held_from), ""))
            for r in results
        ]
        for key, results in agreements_by_priority(consultations, keys).items()
    }


def voice_section(plan: pm.Plan) -> VoiceSection:
    """The board pack's section on what children and young people told us."""
    themes = list(pm.Theme.objects.filter(plan=plan).order_by("section", "position"))
    themes.sort(key=lambda t: (t.section != pm.Theme.THEMES, t.position))
    # The pack summarises the latest month (local time) in which stories arrived.
    rows = vm.Story.objects.filter(plan=plan).select_related("theme")
    newest = rows.order_by("-received").values_list("received", flat=True).first()
    stories, month = [], None
    if newest is not None:
        local = timezone.localtime(newest)
        month = date(local.year, local.month, 1)
        for row in rows.filter(received__year=local.year, received__month=local.month):
            row.received = timezone.localtime(row.received)
            stories.append(actions.as_domain(row))
    people, _ = actions.village_for(plan)
    return build_section(
        [(t.key, t.title) for t in themes],
        domain_consultations(plan),
        stories,
        people,
        month=month,
    )
