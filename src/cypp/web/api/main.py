"""The API object mounted at /api/: OpenAPI at /api/openapi.json, docs at /api/docs."""

from __future__ import annotations

from ninja import NinjaAPI

from cypp.web.api import comments, observations, plans, ratings
from cypp.web.api.auth import TokenAuth

api = NinjaAPI(
    title="cypp API",
    version="1",
    description=(
        "Plans, measures, targets, actions, observations and ratings of the Children and "
        "Young People's Plan. Send `Authorization: Bearer <token>` (tokens come from "
        "`cypp token create`); without it you see what the public sees: published plans "
        "and their published figures."
    ),
    auth=TokenAuth(),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
api.add_router("", plans.router)
api.add_router("", observations.router)
api.add_router("", ratings.router)
api.add_router("", comments.router)
