"""`cypp report`: a board pack from a plan file and an observations file, without the server."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

_SUFFIX_FORMATS = {".pdf": "pdf", ".docx": "docx", ".xlsx": "xlsx", ".html": "html", ".htm": "html"}


@click.command("report")
@click.argument("plan_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--period", required=True, help="Reporting period, as plans write it: 2014/15, Q2 2015/16."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["pdf", "docx", "xlsx", "html"]),
    help="Output format (default: from the output file's extension).",
)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write.",
)
@click.option(
    "--observations",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Long-format CSV: measure_id, area_code, period, value, lower_ci, upper_ci, count, "
    "denominator (England rows: E92000001).",
)
@click.option(
    "--exceptions",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="CSV of exception details: measure_id, cause, recovery_action, owner, review_date.",
)
@click.option(
    "--voice",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="YAML file of consultations with children and young people, and measures to show "
    "as a village of 100 (see docs/voice.md).",
)
def report(
    plan_file: Path,
    period: str,
    fmt: str | None,
    output: Path,
    observations: Path | None,
    exceptions: Path | None,
    voice: Path | None,
) -> None:
    """Write the board pack of PLAN_FILE for --period as PDF, Word, Excel or HTML.

    Measures are rated against their targets with the data in --observations; without it
    every measure is shown as awaiting data. Exceptions (red, worsening or significantly
    worse measures) show the details given in --exceptions, and the pack says which still
    need a cause, recovery action, owner and review date before it can be signed off.
    """
    from cypp.data.errors import DataImportError
    from cypp.data.observations import empty_observations
    from cypp.domain.periods import PeriodError
    from cypp.domain.planfile import PlanFileError, load_plan
    from cypp.reports.inputs import (
        rate_plan,
        read_exception_notes,
        read_observations_csv,
        report_period,
        series_from_observations,
    )
    from cypp.reports.model import build_board_pack
    from cypp.reports.render import render

    fmt = fmt or _SUFFIX_FORMATS.get(output.suffix.lower())
    if fmt is None:
        raise click.UsageError(
            f"cannot tell the format from {output.name!r}: give --format pdf|docx|xlsx|html"
        )
    try:
        plan = load_plan(plan_file)
    except PlanFileError as error:
        raise click.ClickException(str(error)) from None
    try:
        when = report_period(period)
    except PeriodError as error:
        raise click.BadParameter(str(error), param_hint="--period") from None
    try:
        frame = read_observations_csv(observations, plan) if observations else empty_observations()
        notes = read_exception_notes(exceptions, plan) if exceptions else {}
    except DataImportError as error:
        raise click.ClickException(f"{error}\nNo report was written.") from None
    series = series_from_observations(plan, frame, when)
    ratings = rate_plan(plan, frame, when, series)
    section = _voice_section(voice, plan, series) if voice else None
    pack = build_board_pack(plan, ratings, series, when, exception_notes=notes, voice=section)
    data = render(pack, fmt)
    output.write_bytes(data)
    counts = ", ".join(f"{n} {status.value.lower()}" for status, n in pack.counts().items())
    click.echo(
        f"Wrote {output} ({fmt}, {len(data):,} bytes): {len(pack.measures())} measures "
        f"({counts}); {len(pack.exceptions)} exceptions"
        + ("" if pack.ready_for_sign_off else ", some still need details before sign-off")
    )


commands = [report]


def _voice_section(path: Path, plan: Any, series: Any) -> Any:
    """What children and young people told us, from a voice file; village problems are warned."""
    from cypp.reports.voice import build_voice_section, village_from_series
    from cypp.voice.files import VoiceFileError, read_voice_file

    themes = [(t.id, t.title) for _, _, t in plan.all_themes()]
    try:
        found = read_voice_file(
            path, [key for key, _ in themes], [m.id for _, _, m in plan.measures()]
        )
    except VoiceFileError as error:
        raise click.ClickException(f"{error}\nNo report was written.") from None
    people, problems = village_from_series(plan, found.village, series)
    for problem in problems:
        click.echo(f"Village of 100: {problem}; left out", err=True)
    return build_voice_section(themes, found.consultations, [], people)
