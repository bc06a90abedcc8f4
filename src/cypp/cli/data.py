"""`cypp data …`: import observation files, refresh national figures, manage partners.

Commands read and validate everything before anything is stored, and store through
:mod:`cypp.web.data.actions`, so a file is imported whole or not at all and every
changed figure is recorded as a revision.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from cypp.cli import _django

#: Files with more rows than this show a progress bar while they are stored.
PROGRESS_FROM = 20_000
INVALID = 2


def _plan(plan_id: str) -> Any:
    from cypp.web.plans.actions import find_plan
    from cypp.web.plans.models import Plan

    try:
        return find_plan(plan_id)
    except Plan.DoesNotExist:
        raise click.ClickException(
            f"no plan with id {plan_id!r}: `cypp plan list` shows the stored plans"
        ) from None


def _fail_with_problems(error: Any) -> None:
    for problem in error.problems:
        click.echo(str(problem), err=True)
    count = len(error.problems)
    click.echo(f"{count} problem{'s' if count != 1 else ''}; nothing was imported.", err=True)
    raise SystemExit(INVALID)


def _describe(summary: Any, what: str) -> str:
    return (
        f"{what}: {summary.created} new, {summary.revised} revised, {summary.unchanged} unchanged"
    )


def _store(batch: Any, plan: Any, *, reason: str, source: str = "") -> Any:
    """Store a batch through the import action, with a progress bar on long files."""
    from cypp.data.errors import DataImportError
    from cypp.web.data.actions import import_observations

    rows = batch.frame.height
    try:
        if rows < PROGRESS_FROM:
            return import_observations(batch, plan=plan, actor="cli", reason=reason, source=source)
        with click.progressbar(length=rows, label=f"Storing {rows:,} rows", file=None) as bar:
            return import_observations(
                batch, plan=plan, actor="cli", reason=reason, source=source, progress=bar.update
            )
    except DataImportError as error:
        _fail_with_problems(error)


@click.group("data")
def data() -> None:
    """Import and refresh the figures behind a plan's measures."""


@data.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--plan", "plan_id", required=True, help="Id (slug) of the stored plan.")
@click.option(
    "--measure",
    default=None,
    help="Put every row under this plan measure (a publisher file with one series).",
)
@click.option(
    "--format",
    "file_format",
    type=click.Choice(["long", "fingertips", "ees", "lait"]),
    default=None,
    help="The file's format (default: recognised from its header).",
)
@click.option("--reason", default="", help="Why figures that change are being revised.")
def import_file(
    file: Path, plan_id: str, measure: str | None, file_format: str | None, reason: str
) -> None:
    """Import observations from FILE (CSV, XLSX, ODS or Parquet) for a plan, all or nothing.

    Every problem is listed by file, row and column and nothing is stored (exit status 2).
    Importing the same file again changes nothing; a changed figure is stored as a revision.
    """
    from cypp.data.errors import DataImportError
    from cypp.data.formats import read_observations
    from cypp.data.indicators import measure_specs

    _django.require_database()
    from cypp.web.plans.actions import plan_to_domain

    plan = _plan(plan_id)
    specs = measure_specs(plan_to_domain(plan))
    if measure is not None and measure not in specs:
        raise click.ClickException(
            f"the plan {plan.slug!r} has no measure {measure!r} "
            f"(its measures: {', '.join(sorted(specs)[:12])}…)"
        )
    click.echo(f"Reading {file.name} …", err=True)
    try:
        batch = read_observations(
            file,
            format=file_format,
            plan_measures=specs,
            default_measure=measure,  # type: ignore[arg-type]
        )
    except DataImportError as error:
        _fail_with_problems(error)
    except OSError as error:
        raise click.ClickException(f"{file}: cannot be read: {error}") from None
    for note in batch.notes:
        click.echo(f"note: {note}", err=True)
    summary = _store(batch, plan, reason=reason)
    click.echo(_describe(summary, f"{file.name} ({batch.format}) into {plan.slug}"))


@data.command("refresh")
@click.argument("plan_id")
@click.option(
    "--mapping",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="A mapping file naming each measure's national indicator (beside the plan's own).",
)
@click.option(
    "--model",
    type=click.Choice(["2021", "2025"]),
    default="2025",
    show_default=True,
    help="The DfE statistical-neighbour model for the comparators.",
)
@click.option(
    "--retries",
    type=click.IntRange(1, 10),
    default=4,
    show_default=True,
    help="Tries per request before giving up (with backoff between them).",
)
def refresh(plan_id: str, mapping: Path | None, model: str, retries: int) -> None:
    """Fetch national figures for the mapped measures of a plan and its comparators.

    For the plan area, England, its region and its statistical neighbours.

    Everything is fetched before anything is stored; if a service cannot be reached,
    nothing is stored and the failures are listed (exit status 1).
    """
    from cypp.data.indicators import MappingError, load_mapping

    _django.require_database()
    from cypp.web.data.refresh import fetch_national

    plan = _plan(plan_id)
    try:
        loaded = load_mapping(mapping) if mapping else None
    except MappingError as error:
        raise click.ClickException(str(error)) from None
    from cypp.data.clients import EesClient, FingertipsClient, RetryPolicy
    from cypp.data.errors import PublicDataError

    try:
        policy = RetryPolicy(attempts=retries)
        with FingertipsClient(policy=policy) as fingertips, EesClient(policy=policy) as ees:
            result = fetch_national(
                plan, mapping=loaded, model=model, fingertips=fingertips, ees=ees
            )
    except PublicDataError as error:
        raise click.ClickException(str(error)) from None
    for line in result.fetched:
        click.echo(f"fetched {line}", err=True)
    for line in result.needs_file:
        click.echo(f"no API for {line}: import its file with `cypp data import`", err=True)
    for line in result.needs_id:
        click.echo(f"not fetched {line}", err=True)
    if result.failures:
        for line in result.failures:
            click.echo(f"failed {line}", err=True)
        raise click.ClickException(
            f"{len(result.failures)} series could not be fetched; nothing was stored. "
            "Check the connection (is this computer offline?) and try again."
        )
    if not result.fetched and result.needs_id:
        raise click.ClickException(
            f"nothing was fetched: {len(result.needs_id)} EES series need an API data-set id"
        )
    if not result.fetched:
        raise click.ClickException(
            f"no measure of {plan.slug!r} is mapped to a Fingertips indicator or an EES "
            "series: name them in the plan file or give --mapping"
        )
    for note in result.batch.notes:
        click.echo(f"note: {note}", err=True)
    summary = _store(result.batch, plan, reason="", source="national refresh")
    click.echo(_describe(summary, f"refresh of {plan.slug}"))


@data.command("organisation")
@click.argument("name")
@click.option(
    "--kind",
    type=click.Choice(["council", "nhs", "police", "schools", "voluntary", "other"]),
    default="other",
    show_default=True,
)
@click.option("--email", default="", help="Contact address for returns.")
def organisation(name: str, kind: str, email: str) -> None:
    """Add a partner organisation that owns measures and sends returns."""
    _django.require_database()
    from cypp.web.data.actions import ReturnFormError, create_organisation

    try:
        created = create_organisation(name, kind=kind, email=email, actor="cli")
    except ReturnFormError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"{created.name} ({created.get_kind_display()}): slug {created.slug}")


@data.command("owner")
@click.argument("plan_id")
@click.argument("organisation_slug")
@click.argument("measures", nargs=-1, required=True)
def owner(plan_id: str, organisation_slug: str, measures: tuple[str, ...]) -> None:
    """Make an organisation report MEASURES (their ids in the plan) of a plan."""
    _django.require_database()
    from django.db import transaction

    from cypp.web.data.actions import assign_measure_owner, plan_measures
    from cypp.web.data.models import Organisation

    plan = _plan(plan_id)
    found = Organisation.objects.filter(slug=organisation_slug).first()
    if found is None:
        raise click.ClickException(f"no organisation with slug {organisation_slug!r}")
    known = plan_measures(plan)
    missing = [m for m in measures if m not in known]
    if missing:
        raise click.ClickException(f"the plan {plan.slug!r} has no measure {', '.join(missing)}")
    with transaction.atomic():
        for key in measures:
            assign_measure_owner(known[key], found, actor="cli")
    click.echo(f"{found.name} now reports {len(measures)} measure(s) of {plan.slug}")


commands = [data]
