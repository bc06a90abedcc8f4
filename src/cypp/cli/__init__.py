"""The `cypp` command line.

Each module in this package contributes its sub-commands through a module-level
``commands`` list, so areas of the product add commands without touching this file.
"""

from __future__ import annotations

import importlib
import pkgutil

import click


@click.group()
@click.version_option(package_name="cypp")
def main() -> None:
    """Run a Children and Young People's Plan: plans, data, ratings and reports."""


def _register() -> None:
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        for command in getattr(module, "commands", []):
            main.add_command(command)


_register()
