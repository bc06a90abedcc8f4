"""`cypp import-plan`: read a plan document into a plan file for review.

Works without a database: the result is a plan file (YAML or JSON) whose
every extracted item keeps the quote and line it came from, so a person can
check it before loading it with `cypp plan load`.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

import click

from cypp.domain.planfile import PlanFileError, dump_plan, plan_from_data
from cypp.importer.errors import DocumentError
from cypp.importer.pipeline import ImportResult, import_document


class ImportFailed(click.ClickException):
    """The document could not be imported; exit code 2 as for other bad input."""

    exit_code = 2


_FORMATS = {".yaml": "yaml", ".yml": "yaml", ".json": "json"}


def _output_format(path: Path) -> str:
    fmt = _FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ImportFailed(f"{path.name}: the output must end in .yaml, .yml or .json")
    return fmt


def _write_atomically(path: Path, text: str) -> None:
    """Write the whole file or nothing, so a failed run never leaves half a plan behind."""
    directory = path.parent if str(path.parent) else Path(".")
    try:
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise ImportFailed(f"{path}: cannot write here ({error.strerror})") from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise ImportFailed(f"{path}: cannot write ({error.strerror})") from None


def _summary(result: ImportResult) -> str:
    plan = result.plan
    themes = plan.get("themes", [])
    measures = sum(len(t.get("measures", [])) for t in themes)
    low = len(result.low_confidence())
    return (
        f"{result.document}: {plan['area']['name']}, {len(themes)} themes, {measures} measures"
        f" ({low} to check), {len(result.warnings)} warnings"
    )


def _render(result: ImportResult, fmt: str, draft: bool) -> str:
    if draft:
        payload: dict[str, Any] = {"draft": result.draft, "warnings": result.warnings}
        return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
    try:
        plan = plan_from_data(result.plan, origin=result.document)
    except PlanFileError as error:  # the pipeline validates; this guards the guarantee
        raise ImportFailed(str(error)) from None
    return dump_plan(plan, "yaml" if fmt == "yaml" else "json")


@click.command("import-plan")
@click.argument("document", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the plan file here (.yaml, .yml or .json); otherwise JSON goes to stdout.",
)
@click.option(
    "--draft",
    is_flag=True,
    help="Write the review draft instead (every item with quote, location and confidence).",
)
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
@click.option("-q", "--quiet", is_flag=True, help="Do not list warnings on standard error.")
def import_plan(document: Path, output: Path | None, draft: bool, force: bool, quiet: bool) -> None:
    """Read a plan DOCUMENT (.txt, .md, .pdf, .docx, .html) into a plan file for review."""
    fmt = _output_format(output) if output is not None else "json"
    if draft and fmt != "json":
        raise ImportFailed("--draft is written as JSON: use an output ending in .json")
    if output is not None and output.exists() and not force:
        raise ImportFailed(f"{output} already exists (use --force to replace it)")
    try:
        result = import_document(document)
    except DocumentError as error:
        raise ImportFailed(str(error)) from None
    text = _render(result, fmt, draft)
    if output is None:
        click.echo(text, nl=not text.endswith("\n"))
    else:
        _write_atomically(output, text)
    if not quiet:
        click.echo(_summary(result), err=True)
        for warning in result.warnings:
            quote = f" — {warning['quote'][:80]!r}" if warning.get("quote") else ""
            click.echo(f"  warning: {warning['path']}: {warning['message']}{quote}", err=True)


commands = [import_plan]
