"""Read-only admin pages for data collection.

Figures, returns and partners change only through :mod:`cypp.web.data.actions` (the web
pages and ``cypp data``), so every change is audited and every revised figure keeps its
revision; the admin is for looking things up.
"""

from django.contrib import admin

from cypp.web.data import models as dm


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(dm.Organisation)
class OrganisationAdmin(ReadOnlyAdmin):
    list_display = ("name", "kind", "contact_email")
    search_fields = ("name",)


@admin.register(dm.MeasureOwner)
class MeasureOwnerAdmin(ReadOnlyAdmin):
    list_display = ("measure", "organisation")
    list_select_related = ("measure", "organisation")


@admin.register(dm.Observation)
class ObservationAdmin(ReadOnlyAdmin):
    list_display = ("measure", "area_code", "period", "breakdown", "value", "quality", "source")
    list_filter = ("quality",)
    search_fields = ("area_code", "period", "measure__key", "measure__name")
    list_select_related = ("measure",)


@admin.register(dm.Revision)
class RevisionAdmin(ReadOnlyAdmin):
    list_display = ("observation", "old_value", "new_value", "at", "who", "reason")
    list_select_related = ("observation__measure", "actor")


@admin.register(dm.DataImport)
class DataImportAdmin(ReadOnlyAdmin):
    list_display = ("at", "plan", "file", "format", "source", "created", "revised", "unchanged")


@admin.register(dm.Collection)
class CollectionAdmin(ReadOnlyAdmin):
    list_display = ("plan", "period", "opens", "due", "status")


@admin.register(dm.Return)
class ReturnAdmin(ReadOnlyAdmin):
    list_display = ("collection", "organisation", "status", "submitted_at", "decided_at")
    list_filter = ("status",)
