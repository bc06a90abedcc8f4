"""Memberships and tokens in the admin, read-only: they change through `cypp user` and
`cypp token`, which audit every change."""

from django.contrib import admin

from cypp.web.accounts.models import ApiToken, Membership


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ("user", "role", "organisation", "created_at")
    list_filter = ("role",)
    list_select_related = ("user", "organisation")


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ("prefix", "user", "name", "created_at", "expires_at", "last_used_at")
    list_select_related = ("user",)
    exclude = ("digest",)
