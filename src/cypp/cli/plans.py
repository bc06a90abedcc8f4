"""`cypp plan load|dump|list|delete` and `cypp migrate`: plans in the database."""

from __future__ import annotations

from pathlib import Path

import click

from cypp.cli import _django


def _load_files(paths: tuple[Path, ...]) -> list:
    """Read and validate every file before anything is stored; all problems at once."""
    from cypp.domain.planfile import PlanFileError, load_plan

    plans, problems = [], []
    for path in paths:
        try:
            plans.append((path, load_plan(path)))
        except PlanFileError as error:
            problems.append(str(error))
        except (OSError, UnicodeDecodeError) as error:
            problems.append(f"{path}: cannot be read: {error}")
    if problems:
        click.echo("\n".join(problems), err=True)
        click.echo("Nothing was loaded.", err=True)
        raise SystemExit(2)
    ids = [plan.id for _, plan in plans]
    repeated = sorted({plan_id for plan_id in ids if ids.count(plan_id) > 1})
    if repeated:
        click.echo(f"plan id given by more than one file: {', '.join(repeated)}", err=True)
        click.echo("Nothing was loaded.", err=True)
        raise SystemExit(2)
    return plans


def describe(result) -> str:
    plan = result.plan
    if result.change == "updated":
        detail = (
            f"updated ({result.measures_changed} measures changed, "
            f"{result.measures_added} added, {result.measures_removed} removed)"
        )
        figures = sum(n["figures"] for n in result.data_removed.values())
        items = sum(n["return_items"] for n in result.data_removed.values())
        if figures or items:
            detail += f"; deleted {figures} figures and {items} return items of removed measures"
    else:
        detail = result.change
    return f"{plan.slug} ({plan.area_name}): {detail}"


@click.group("plan")
def plan() -> None:
    """Load, dump and list the plans stored in the database."""


@plan.command("load")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--remove-figures",
    is_flag=True,
    help="Also delete the stored figures and return items of measures the file leaves out.",
)
def load(files: tuple[Path, ...], remove_figures: bool) -> None:
    """Store plan FILES (YAML or JSON), all or nothing.

    A plan already stored under the same id is brought in line with the file: measures
    keep their identity (and their data), unchanged plans are left alone. A measure that
    holds figures is only removed with --remove-figures. Every load is recorded in the
    audit log.
    """
    plans = _load_files(files)
    _django.require_database()
    from django.db import transaction

    from cypp.web.plans.actions import MeasuresHoldData, store_plan

    try:
        with transaction.atomic():
            results = [
                store_plan(p, actor="cli", source=str(path), remove_figures=remove_figures)
                for path, p in plans
            ]
    except MeasuresHoldData as error:
        click.echo(str(error), err=True)
        click.echo("Nothing was loaded.", err=True)
        raise SystemExit(2) from None
    for result in results:
        click.echo(describe(result))


@plan.command("dump")
@click.argument("plan_id")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write (.json for JSON, otherwise YAML); standard output when omitted.",
)
@click.option("--format", "format_", type=click.Choice(["yaml", "json"]), default=None)
def dump(plan_id: str, output: Path | None, format_: str | None) -> None:
    """Write stored plan PLAN_ID (its id or database number) as a plan file."""
    _django.require_database()
    from cypp.domain.planfile import dump_plan
    from cypp.web.plans import models as m
    from cypp.web.plans.actions import find_plan, plan_to_domain

    try:
        stored = find_plan(plan_id)
    except m.Plan.DoesNotExist as error:
        raise click.ClickException(f"{error} (see `cypp plan list`)") from error
    fmt = format_ or ("json" if output and output.suffix.lower() == ".json" else "yaml")
    text = dump_plan(plan_to_domain(stored), fmt)  # type: ignore[arg-type]
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"Wrote {stored.slug} to {output}", err=True)


@plan.command("list")
def list_plans() -> None:
    """List the stored plans."""
    _django.require_database()
    from django.db.models import Count

    from cypp.web.plans import models as m

    rows = m.Plan.objects.annotate(measures=Count("all_themes__measures")).order_by("slug")
    if not rows:
        click.echo("No plans stored. Load one with `cypp plan load FILE`.")
        return
    table = [("ID", "AREA", "PERIOD", "STATUS", "MEASURES")] + [
        (row.slug, row.area_name, str(row.period or ""), row.status or "", str(row.measures))
        for row in rows
    ]
    widths = [max(len(line[i]) for line in table) for i in range(len(table[0]))]
    for line in table:
        cells = (cell.ljust(width) for cell, width in zip(line, widths, strict=True))
        click.echo("  ".join(cells).rstrip())


@plan.command("delete")
@click.argument("plan_id")
@click.confirmation_option(prompt="Delete the plan and everything recorded against it?")
def delete(plan_id: str) -> None:
    """Delete stored plan PLAN_ID and everything in it (audited)."""
    _django.require_database()
    from cypp.web.plans import models as m
    from cypp.web.plans.actions import delete_plan, find_plan

    try:
        stored = find_plan(plan_id)
    except m.Plan.DoesNotExist as error:
        raise click.ClickException(str(error)) from error
    delete_plan(stored, actor="cli")
    click.echo(f"Deleted {stored.slug}")


@click.command("migrate")
def migrate() -> None:
    """Create or upgrade the database tables."""
    _django.start()
    applied = _django.migrate()
    where = _django.database_label()
    click.echo(f"{where}: {len(applied)} migrations applied" if applied else f"{where}: up to date")


commands = [plan, migrate]
