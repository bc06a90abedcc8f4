"""A plan imported from PDF, Word or HTML scores as well as the same plan imported from text.

The renderings carry exactly the text plans' content (see ``render.py``), so any
loss in F1 or field accuracy is the format reader's fault. Goal: within 0.02.
Scores come from the evaluator's own matching (``cypp.importer.evaluate``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from cypp.importer.evaluate import FIELDS, Report, score_document
from cypp.importer.pipeline import import_document

TOLERANCE = 0.02
#: Reading the 62 rendered PDF pages takes several seconds.
SUFFIXES = [pytest.param(".pdf", marks=pytest.mark.slow), ".docx", ".html"]


def _report(documents: dict[str, Path], gold_dir: Path) -> tuple[Report, dict[str, list[Any]]]:
    scores, measures = [], {}
    for stem, document in sorted(documents.items()):
        gold = json.loads((gold_dir / f"{stem}.json").read_text(encoding="utf-8"))
        found = import_document(document).measures
        measures[stem] = found
        scores.append(score_document(stem, found, gold.get("measures", [])))
    return Report(scores), measures


@pytest.fixture(scope="module")
def gold_dir(shared_dir: Path) -> Path:
    return shared_dir / "plans" / "gold"


@pytest.fixture(scope="module")
def text_import(plan_texts: list[Path], gold_dir: Path) -> tuple[Report, dict[str, list[Any]]]:
    return _report({p.stem: p for p in plan_texts}, gold_dir)


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_rendered_plans_score_like_text(
    suffix: str,
    rendered_plans: Path,
    plan_texts: list[Path],
    gold_dir: Path,
    text_import: tuple[Report, dict[str, list[Any]]],
) -> None:
    text_report, text_measures = text_import
    report, measures = _report(
        {p.stem: rendered_plans / f"{p.stem}{suffix}" for p in plan_texts}, gold_dir
    )
    overall, text = report.overall, text_report.overall
    assert overall.gold == 154
    assert overall.f1 >= text.f1 - TOLERANCE, report.table()
    for field in FIELDS:
        assert overall.accuracy(field) >= text.accuracy(field) - TOLERANCE, (field, report.table())
    by_name = {d.name: d for d in text_report.documents}
    for document in report.documents:
        assert document.f1 >= by_name[document.name].f1 - TOLERANCE, report.table()
    # Beyond the score: the same measures, by name, as the text import.
    for stem, found in measures.items():
        assert sorted(m["name"] for m in found) == sorted(m["name"] for m in text_measures[stem])


@pytest.mark.slow
def test_pdf_printed_from_html_scores_like_text(
    plan_texts: list[Path],
    gold_dir: Path,
    text_import: tuple[Report, dict[str, list[Any]]],
    tmp_path: Path,
) -> None:
    """A second PDF producer (WeasyPrint): different layout, same score."""
    from .render import render_pdf_from_html

    documents = {p.stem: render_pdf_from_html(p, tmp_path / f"{p.stem}.pdf") for p in plan_texts}
    report, _ = _report(documents, gold_dir)
    assert report.overall.f1 >= text_import[0].overall.f1 - TOLERANCE, report.table()
    for field in FIELDS:
        want = text_import[0].overall.accuracy(field) - TOLERANCE
        assert report.overall.accuracy(field) >= want, (field, report.table())
