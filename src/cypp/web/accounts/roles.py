"""The roles a person can hold in a partnership, from most to least trusted."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ADMINISTRATOR = "administrator"
    PERFORMANCE_OFFICER = "performance_officer"
    MEASURE_OWNER = "measure_owner"
    BOARD_MEMBER = "board_member"
    PUBLIC = "public"

    @property
    def label(self) -> str:
        return LABELS[self]

    @classmethod
    def parse(cls, text: str) -> Role:
        """Read a role as people type it: ``performance-officer``, ``Board member`` …"""
        key = text.strip().lower().replace("-", "_").replace(" ", "_")
        try:
            return cls(key)
        except ValueError:
            known = ", ".join(role.value.replace("_", "-") for role in cls)
            raise ValueError(f"unknown role {text!r}; use one of {known}") from None


LABELS = {
    Role.ADMINISTRATOR: "Administrator",
    Role.PERFORMANCE_OFFICER: "Performance officer",
    Role.MEASURE_OWNER: "Measure owner",
    Role.BOARD_MEMBER: "Board member",
    Role.PUBLIC: "Public",
}

#: Roles that a membership can grant (everyone, signed in or not, is at least public).
GRANTABLE = (Role.ADMINISTRATOR, Role.PERFORMANCE_OFFICER, Role.MEASURE_OWNER, Role.BOARD_MEMBER)
