"""Memberships (a person's role, scoped to an organisation for measure owners) and API tokens.

Only :mod:`cypp.web.accounts.actions` writes these models, so every grant and every token
is audited.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone

from cypp.web.accounts.roles import GRANTABLE, Role

ROLE_CHOICES = [(role.value, role.label) for role in GRANTABLE]


class Membership(models.Model):
    """One role held by one person; measure owners hold it for one organisation."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=30, choices=ROLE_CHOICES)
    organisation = models.ForeignKey(
        "data.Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="memberships",
        help_text="The partner whose measures a measure owner answers for.",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("user", "role")
        constraints = (
            models.UniqueConstraint(
                fields=["user", "role", "organisation"], name="membership_unique"
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=models.Q(organisation__isnull=True),
                name="membership_unique_without_organisation",
            ),
            models.CheckConstraint(
                condition=~models.Q(role=Role.MEASURE_OWNER.value)
                | models.Q(organisation__isnull=False),
                name="measure_owner_has_organisation",
            ),
        )

    def __str__(self) -> str:
        where = f" for {self.organisation}" if self.organisation_id else ""
        return f"{self.user}: {Role(self.role).label}{where}"


class ApiToken(models.Model):
    """A bearer token for the REST API. Only its SHA-256 digest is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=200, blank=True, default="")
    #: The first characters of the token, shown so people can tell their tokens apart.
    prefix = models.CharField(max_length=16, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("user", "-created_at")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @staticmethod
    def digest_of(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    def is_usable(self, now=None) -> bool:  # type: ignore[no-untyped-def]
        now = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)
