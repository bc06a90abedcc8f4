"""Paths to the real public data files the data-layer tests read."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def public_data(shared_dir: Path) -> Path:
    return shared_dir / "data"
