"""The five shared text plans rendered as PDF, Word and HTML, once per test session.

The renderings are made by :mod:`tests.unit.importer_formats.render` from
``../shared/plans/docs/*.txt`` with reportlab and python-docx (see that module
for the layout); nothing generated is committed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .render import render_all


@pytest.fixture(scope="session")
def plan_texts(shared_dir: Path) -> list[Path]:
    texts = sorted((shared_dir / "plans" / "docs").glob("*.txt"))
    if len(texts) < 5:
        pytest.fail(f"expected the five shared plans in {shared_dir / 'plans' / 'docs'}")
    return texts


@pytest.fixture(scope="session")
def rendered_plans(plan_texts: list[Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding NAME.pdf, NAME.docx and NAME.html for each shared plan."""
    out = tmp_path_factory.mktemp("rendered-plans")
    render_all(plan_texts, out)
    return out
