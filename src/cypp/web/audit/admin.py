from django.contrib import admin

from cypp.web.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: audit events are written by actions, never edited."""

    list_display = (
        "at",
        "actor",
        "actor_label",
        "verb",
        "object_type",
        "object_repr",
    )
    list_filter = (
        "verb",
        "object_type",
    )
    search_fields = (
        "object_repr",
        "object_id",
    )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
