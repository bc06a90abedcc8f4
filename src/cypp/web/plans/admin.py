"""Admin pages for stored plans: for looking and correcting, with history on each change."""

from django.contrib import admin
from django.shortcuts import redirect
from simple_history.admin import SimpleHistoryAdmin

from cypp.web.plans import models as m


class ThemeInline(admin.TabularInline):
    model = m.Theme
    fields = (
        "section",
        "position",
        "key",
        "title",
    )
    extra = 0
    show_change_link = True


class BoardInline(admin.TabularInline):
    model = m.Board
    fields = (
        "position",
        "name",
    )
    extra = 0


@admin.register(m.Plan)
class PlanAdmin(SimpleHistoryAdmin):
    list_display = (
        "slug",
        "area_name",
        "title",
        "period",
        "status",
        "updated_at",
    )
    search_fields = (
        "slug",
        "area_name",
        "title",
    )
    inlines = (
        ThemeInline,
        BoardInline,
    )


class OutcomeInline(admin.TabularInline):
    model = m.Outcome
    fields = (
        "position",
        "key",
        "title",
    )
    extra = 0


class ActionInline(admin.TabularInline):
    model = m.Action
    fields = (
        "position",
        "key",
        "title",
        "owner",
        "status",
    )
    extra = 0


class MeasureInline(admin.TabularInline):
    model = m.Measure
    fields = (
        "position",
        "key",
        "name",
        "unit",
        "polarity",
    )
    extra = 0
    show_change_link = True


@admin.register(m.Theme)
class ThemeAdmin(SimpleHistoryAdmin):
    list_display = (
        "title",
        "plan",
        "section",
        "position",
    )
    list_filter = (
        "section",
        "plan",
    )
    inlines = (
        OutcomeInline,
        ActionInline,
        MeasureInline,
    )


@admin.register(m.CrossCuttingTheme)
class CrossCuttingThemeAdmin(ThemeAdmin):
    list_filter = ("plan",)

    def history_view(self, request, object_id, extra_context=None):  # type: ignore[no-untyped-def]
        """A proxy has no history table of its own: show the theme's history."""
        return redirect("admin:plans_theme_history", object_id)


class TargetInline(admin.StackedInline):
    model = m.Target
    fk_name = "measure"
    extra = 0


class BreakdownInline(admin.TabularInline):
    model = m.Breakdown
    fields = (
        "position",
        "label",
        "baseline_value",
        "baseline_period",
    )
    extra = 0


class ComparatorInline(admin.TabularInline):
    model = m.ComparatorValue
    extra = 0


@admin.register(m.Measure)
class MeasureAdmin(SimpleHistoryAdmin):
    list_display = (
        "name",
        "theme",
        "unit",
        "polarity",
        "baseline_value",
        "baseline_period",
    )
    list_filter = (
        "unit",
        "polarity",
        "theme__plan",
    )
    search_fields = (
        "name",
        "key",
        "quote",
    )
    inlines = (
        TargetInline,
        BreakdownInline,
        ComparatorInline,
    )


for model in (m.Outcome, m.Action, m.Target, m.Breakdown, m.Board):
    admin.site.register(model, SimpleHistoryAdmin)
