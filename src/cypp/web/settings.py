"""Django settings, read from the environment (CYPP_* variables and DATABASE_URL).

SQLite in ./var/cypp.sqlite3 by default; PostgreSQL (or any database) through DATABASE_URL.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import dj_database_url
from pydantic_settings import BaseSettings, SettingsConfigDict


class Config(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CYPP_", extra="ignore")

    debug: bool = False
    secret_key: str = "cypp-local-demo-key-change-me-in-production-0123456789"
    allowed_hosts: list[str] = ["127.0.0.1", "localhost", "testserver"]
    data_dir: Path = Path.cwd() / "var"
    database_url: str | None = None
    partnership_name: str = "Children and Young People's Partnership"
    service_name: str = "Children and Young People's Plan"
    phase: str = "Beta"
    #: Folder of plan files that `cypp demo` loads (default: the examples shipped with cypp).
    examples_dir: Path | None = None
    #: Where `collectstatic` gathers static files for a front web server (optional).
    static_root: Path | None = None
    #: How e-mail (password reset links) is sent: "console" (printed), "file" (into
    #: <data_dir>/mail) or "smtp" (with the email_* settings below).
    email: Literal["console", "file", "smtp"] = "console"
    email_host: str = "localhost"
    email_port: int = 25
    email_username: str = ""
    email_password: str = ""
    email_use_tls: bool = False
    default_from_email: str = "cypp@localhost"


CONFIG = Config()
BASE_DIR = Path(__file__).resolve().parent
DEBUG = CONFIG.debug
SECRET_KEY = CONFIG.secret_key
ALLOWED_HOSTS = CONFIG.allowed_hosts

_env_url = __import__("os").environ.get("DATABASE_URL") or CONFIG.database_url
if _env_url:
    DATABASES = {"default": dj_database_url.parse(_env_url, conn_max_age=60)}
else:
    CONFIG.data_dir.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": CONFIG.data_dir / "cypp.sqlite3",
            # Each server thread keeps its connection: opening one (WAL pragmas) costs more
            # than a whole cached page.
            "CONN_MAX_AGE": None,
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }

# Rendered page parts (the scorecard body) are kept here, keyed on a data version stamp.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "cypp",
        "OPTIONS": {"MAX_ENTRIES": 1000},
    }
}

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "simple_history",
    "django_htmx",
    # django-ninja: the API docs page serves Swagger UI from local static files, no CDN
    "ninja",
    # django-allauth: sign-in, sign-out and password reset (no self sign-up)
    "allauth",
    "allauth.account",
    # cypp apps: one per area of the product
    "cypp.web.audit",
    "cypp.web.plans",
    "cypp.web.data",
    "cypp.web.voice",
    "cypp.web.performance",
    "cypp.web.accounts",
    "cypp.web.imports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "cypp.web.urls"
WSGI_APPLICATION = "cypp.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates"],
        # Each app's own pages live in its jinja2/ folder.
        "APP_DIRS": True,
        "OPTIONS": {"environment": "cypp.web.jinja.environment"},
    },
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    },
]

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = CONFIG.static_root
# The compiled GOV.UK assets ship inside the package, so WhiteNoise serves them through the
# finders: no collectstatic step before `cypp demo` or a WSGI server. Set CYPP_STATIC_ROOT
# only to hand the files to another web server with `collectstatic`.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_TZ = True
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "data:home"
LOGOUT_REDIRECT_URL = "plans:home"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
# Accounts are made by administrators (admin site or `cypp user`): sign-up stays closed.
ACCOUNT_ADAPTER = "cypp.web.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_EMAIL_VERIFICATION = "none"
# A reset asked for an unknown address sends nothing (no invitation to sign up).
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = True
# allauth's default rate limits stay on (failed sign-ins per address and per account).
# New passwords (changed, set or reset): at least 8 characters, not a common password and
# not like the username or e-mail address (the NCSC's advice: length and a deny list).
ACCOUNT_PASSWORD_MIN_LENGTH = 8
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
_MAILERS: dict[str, tuple[str, dict[str, Any]]] = {
    "console": ("console", {}),
    "file": ("filebased", {"file_path": str(CONFIG.data_dir / "mail")}),
    "smtp": (
        "smtp",
        {
            "host": CONFIG.email_host,
            "port": CONFIG.email_port,
            "username": CONFIG.email_username or None,
            "password": CONFIG.email_password or None,
            "use_tls": CONFIG.email_use_tls,
        },
    ),
}
_backend, _options = _MAILERS[CONFIG.email]
MAILERS = {
    "default": {
        "BACKEND": f"django.core.mail.backends.{_backend}.EmailBackend",
        "OPTIONS": _options,
    }
}
DEFAULT_FROM_EMAIL = CONFIG.default_from_email

#: The validated configuration, for code that needs more than Django's settings.
CYPP = CONFIG
