"""`cypp lint PLAN`: SMART problems in a plan file.

Exit status: 0 when the plan is clean, 1 when there are findings, 2 when the file
cannot be read or is not a valid plan file (nothing is linted then).
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import click

from cypp.domain.lint import Finding, lint_plan
from cypp.domain.plan import Plan
from cypp.domain.planfile import PlanFileError, load_plan

CLEAN, FINDINGS, INVALID = 0, 1, 2


@click.command("lint")
@click.argument("plan_file", metavar="PLAN", type=click.Path(dir_okay=False, allow_dash=True))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text for people, json for machines.",
)
def lint(plan_file: str, output_format: str) -> None:
    """Report SMART problems in the plan file PLAN (YAML or JSON; - reads standard input).

    Checks: missing baselines, targets and target dates; targets due before their
    baseline or outside the plan; targets that move against the measure's polarity or
    the plan's own words; baseline and target in different units; repeated measures;
    themes and outcomes with no measure; measures with no owner.
    """
    try:
        plan = _read(plan_file)
    except PlanFileError as error:
        _invalid(plan_file, error, output_format)
        raise SystemExit(INVALID) from None
    findings = lint_plan(plan)
    if output_format == "json":
        click.echo(json.dumps(_report(plan_file, plan, findings), indent=2, ensure_ascii=False))
    else:
        for finding in findings:
            click.echo(str(finding))
        click.echo(_summary(plan_file, findings))
    raise SystemExit(FINDINGS if findings else CLEAN)


def _read(plan_file: str) -> Plan:
    if plan_file == "-":
        return load_plan(sys.stdin.read())
    path = Path(plan_file)
    if not path.is_file():
        raise PlanFileError(f"{plan_file}: no such file")
    return load_plan(path)


def _invalid(plan_file: str, error: PlanFileError, output_format: str) -> None:
    if output_format == "json":
        problems = [problem.as_dict() for problem in error.errors]
        report = {"plan_file": plan_file, "valid": False, "problems": problems}
        click.echo(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        click.echo(str(error), err=True)
        click.echo(f"{plan_file}: nothing was linted.", err=True)


def _counts(findings: list[Finding]) -> Counter[str]:
    return Counter(finding.severity.value for finding in findings)


def _summary(plan_file: str, findings: list[Finding]) -> str:
    if not findings:
        return f"{plan_file}: no problems found."
    counts = _counts(findings)
    parts = [
        f"{counts[severity]} {severity}{'s' if counts[severity] != 1 else ''}"
        for severity in ("error", "warning")
        if counts[severity]
    ]
    total = len(findings)
    return f"{plan_file}: {total} finding{'s' if total != 1 else ''} ({', '.join(parts)})."


def _report(plan_file: str, plan: Plan, findings: list[Finding]) -> dict[str, object]:
    return {
        "plan_file": plan_file,
        "valid": True,
        "plan": plan.id,
        "counts": dict(_counts(findings)),
        "findings": [finding.as_dict() for finding in findings],
    }


commands = [lint]
