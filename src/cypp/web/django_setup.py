"""Start Django from the CLI without a manage.py."""

from __future__ import annotations

import os


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cypp.web.settings")
    import django

    django.setup()
