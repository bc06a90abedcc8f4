"""Consultation results: agreement counts, intervals and what can be recovered from print."""

import json
import re
from datetime import date

import pytest

from cypp.voice.consultations import (
    AgeGroup,
    Consultation,
    ConsultationError,
    Method,
    PriorityAgreement,
    RankedIssue,
    agreement_from_percent,
    agreement_table,
    infer_asked,
)
from tests.paths import SHARED


def _bucks_percentages() -> list[float]:
    gold = json.loads(next((SHARED / "plans" / "gold").glob("003_*.json")).read_text())
    text = json.dumps(gold)
    return [float(x) for x in re.findall(r"([\d.]+)% of children and young people consulted", text)]


def test_buckinghamshire_figures_reveal_how_many_children_were_asked() -> None:
    percents = _bucks_percentages()
    assert len(percents) == 5
    # "about 200 children" were asked: only one group size prints all five figures.
    assert infer_asked(percents, 150, 250) == [197]
    agreed = [agreement_from_percent("p", value, 197).agreed for value in percents]
    assert agreed == [193, 180, 188, 187, 192]


def test_a_percentage_no_count_can_give_is_reported_not_rounded() -> None:
    with pytest.raises(ConsultationError, match="not a whole number of 197"):
        agreement_from_percent("Transitions", 91.45, 197)


def test_agreement_interval_is_wilson_and_narrower_with_more_children() -> None:
    small = PriorityAgreement("Safe", 9, 10)
    large = PriorityAgreement("Safe", 180, 200)
    assert small.percent == large.percent == 90.0
    lo_small, hi_small = small.interval()
    lo_large, hi_large = large.interval()
    assert lo_small == pytest.approx(59.58, abs=0.01)
    assert hi_small == pytest.approx(98.21, abs=0.01)
    assert hi_large - lo_large < hi_small - lo_small
    assert "9 of 10 children and young people asked (90.0%)" in small.sentence()


@pytest.mark.parametrize(("agreed", "asked"), [(11, 10), (-1, 10), (0, 0)])
def test_impossible_agreement_is_refused(agreed: int, asked: int) -> None:
    with pytest.raises(ConsultationError):
        PriorityAgreement("Healthy", agreed, asked)


def _consultation(**changes: object) -> Consultation:
    fields: dict[str, object] = {
        "title": "Make Your Mark",
        "run_by": "Youth Cabinet",
        "held_from": date(2013, 9, 1),
        "held_to": date(2013, 10, 31),
        "method": Method.BALLOT,
        "age_groups": (AgeGroup("11-15", 120), AgeGroup("16-18", 80)),
        "agreements": (PriorityAgreement("Safe", 150, 200),),
        "ranked_issues": (RankedIssue(2, "Work experience"), RankedIssue(1, "Bullying")),
    }
    fields.update(changes)
    return Consultation(**fields)  # type: ignore[arg-type]


def test_consultation_totals_and_ranked_issues() -> None:
    consultation = _consultation()
    assert consultation.participants == 200
    assert [i.issue for i in consultation.top_issues()] == ["Bullying", "Work experience"]
    assert consultation.agreement_for("Safe") == PriorityAgreement("Safe", 150, 200)
    assert consultation.agreement_for("Healthy") is None


def test_consultation_inconsistencies_name_the_field() -> None:
    with pytest.raises(ConsultationError, match="held_to"):
        _consultation(held_to=date(2013, 8, 1))
    with pytest.raises(ConsultationError, match="share a rank"):
        _consultation(ranked_issues=(RankedIssue(1, "a"), RankedIssue(1, "b")))
    with pytest.raises(ConsultationError, match="only 200 took part"):
        _consultation(agreements=(PriorityAgreement("Safe", 150, 250),))


def test_agreement_table_is_in_date_order() -> None:
    later = _consultation(
        held_from=date(2015, 1, 1),
        held_to=date(2015, 1, 2),
        agreements=(PriorityAgreement("Safe", 190, 200),),
    )
    table = agreement_table([later, _consultation()], "Safe")
    assert [a.agreed for a in table] == [150, 190]
