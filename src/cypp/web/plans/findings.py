"""The plan linter's findings, grouped by the plan path they concern.

The linter lives in the domain (:mod:`cypp.domain.lint`); pages show each finding beside
the measure it is about. Until the linter is available the pages simply show none.
"""

from __future__ import annotations

import importlib
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from cypp.domain.plan import Plan


@dataclass(frozen=True)
class Finding:
    path: str
    message: str
    severity: str = "warning"
    code: str = ""


def _lint(plan: Plan) -> list[Any]:
    try:
        lint = importlib.import_module("cypp.domain.lint")
    except ImportError:
        return []
    for name in ("lint_plan", "lint"):
        function = getattr(lint, name, None)
        if callable(function):
            return list(function(plan))
    return []


def _finding(item: Any) -> Finding:
    severity = getattr(item, "severity", None) or getattr(item, "level", None) or "warning"
    return Finding(
        path=str(getattr(item, "path", "") or ""),
        message=str(getattr(item, "message", item)),
        severity=str(getattr(severity, "value", severity)),
        code=str(getattr(item, "code", "") or getattr(item, "rule", "") or ""),
    )


def findings_by_path(plan: Plan) -> dict[str, list[Finding]]:
    grouped: dict[str, list[Finding]] = defaultdict(list)
    for item in _lint(plan):
        finding = _finding(item)
        grouped[finding.path].append(finding)
    return dict(grouped)
