"""`cypp demo` and `cypp serve`: the web app on this machine."""

from __future__ import annotations

import os
from pathlib import Path

import click

from cypp.cli import _django


def examples_dir() -> Path:
    """The folder of example plan files: CYPP_EXAMPLES_DIR, or the repository's examples/."""
    from django.conf import settings

    configured = settings.CYPP.examples_dir
    candidates = [configured] if configured else []
    candidates += [Path(__file__).resolve().parents[3] / "examples", Path.cwd() / "examples"]
    for folder in candidates:
        if folder is not None and folder.is_dir() and any(folder.glob("*.yaml")):
            return folder
    raise click.ClickException(
        "no example plans found (looked in "
        + ", ".join(str(folder) for folder in candidates)
        + "); set CYPP_EXAMPLES_DIR to a folder of plan files"
    )


def _serve(host: str, port: int, threads: int) -> None:
    from waitress import serve

    from cypp.web.wsgi import application

    click.echo(f"Serving on http://{host}:{port}/  (press Ctrl+C to stop)")
    serve(application, host=host, port=port, threads=threads, ident="cypp")


_host = click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
_port = click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
_threads = click.option("--threads", default=4, show_default=True, type=int)


@click.command("serve")
@_host
@_port
@_threads
def serve(host: str, port: int, threads: int) -> None:
    """Serve the web app with waitress (static files included)."""
    _django.require_database()
    _serve(host, port, threads)


@click.command("demo")
@_host
@_port
@_threads
@click.option("--no-serve", is_flag=True, help="Set up the database and plans, then stop.")
def demo(host: str, port: int, threads: int, no_serve: bool) -> None:
    """Set up the database, load the example plans and serve them.

    Safe to run again: the database is only migrated forward, and plans already loaded
    are left as they are (or updated if their files changed).
    """
    os.environ.setdefault("CYPP_DEBUG", "false")
    _django.start()
    applied = _django.migrate()
    where = _django.database_label()
    click.echo(f"{where}: {'created' if applied else 'ready'}")

    from cypp.cli.plans import _load_files, describe
    from cypp.web.plans.actions import store_plan

    folder = examples_dir()
    for path, plan in _load_files(tuple(sorted(folder.glob("*.yaml")))):
        click.echo("  " + describe(store_plan(plan, actor="demo", source=path.name)))
    from cypp.web.performance.demo import load_demo_figures

    click.echo("  " + load_demo_figures(folder))
    from cypp.web.voice.demo import load_demo_voice

    click.echo("  " + load_demo_voice(folder))
    if no_serve:
        click.echo(f"Ready. Start the web app with `cypp serve`, then open http://{host}:{port}/")
        return
    _serve(host, port, threads)


commands = [demo, serve]
