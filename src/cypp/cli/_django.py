"""Start Django for a command and check that the database is ready."""

from __future__ import annotations

import click


def start() -> None:
    """Configure Django (settings from the environment) once per process."""
    from cypp.web.django_setup import setup

    setup()


def pending_migrations() -> list[str]:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _ in plan]


def migrate(verbosity: int = 0) -> list[str]:
    """Apply any pending migrations; returns the ones applied."""
    from django.core.management import call_command

    pending = pending_migrations()
    if pending:
        call_command("migrate", interactive=False, verbosity=verbosity)
    return pending


def require_database() -> None:
    """Stop with a clear message when the database has not been set up."""
    start()
    pending = pending_migrations()
    if pending:
        raise click.ClickException(
            f"the database is not set up ({len(pending)} migrations pending): "
            "run `cypp migrate` first"
        )


def database_label() -> str:
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        return f"SQLite database {database['NAME']}"
    host = database.get("HOST") or "localhost"
    return f"{database['ENGINE'].rsplit('.', 1)[-1]} database {database['NAME']} on {host}"
