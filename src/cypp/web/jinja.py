"""The Jinja2 environment for the web pages.

Templates come from ``cypp/web/templates`` and the GOV.UK Frontend macros from the
govuk-frontend-jinja package (imported as ``govuk_frontend_jinja/...``). Django's Jinja2
backend adds ``request``, ``csrf_input`` and ``csrf_token`` to every page's context.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, PrefixLoader


def url(name: str, *args: Any, **kwargs: Any) -> str:
    """``url('plans:detail', slug)``: reverse a URL name inside a template."""
    return reverse(name, args=args or None, kwargs=kwargs or None)


def cells(mapping: dict[str, Any], *keys: str) -> list[dict[str, Any]]:
    """A table row for govukTable: ``rows|map("cells", "label", "value")``."""
    return [{"text": mapping[key]} for key in keys]


def environment(**options: Any) -> Environment:
    loader = options.pop("loader", None) or FileSystemLoader(settings.TEMPLATES[0]["DIRS"])
    options["loader"] = ChoiceLoader(
        [
            loader,
            PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
        ]
    )
    options["extensions"] = [*options.get("extensions", ()), "jinja2.ext.do"]
    options.setdefault("autoescape", True)
    options.setdefault("trim_blocks", True)
    options.setdefault("lstrip_blocks", True)
    env = Environment(**options)
    config = settings.CYPP
    env.filters["cells"] = cells
    env.globals.update(
        static=static,
        url=url,
        partnership_name=config.partnership_name,
        service_name=config.service_name,
        phase=config.phase,
    )
    return env
