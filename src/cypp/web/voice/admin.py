from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from cypp.web.voice import models as vm


@admin.register(vm.Consultation)
class ConsultationAdmin(SimpleHistoryAdmin):
    list_display = ("title", "plan", "run_by", "held_from", "method")


@admin.register(vm.Story)
class StoryAdmin(SimpleHistoryAdmin):
    list_display = ("pk", "plan", "theme", "teller", "status", "received")
    list_filter = ("status", "teller")
    readonly_fields = ("client_key", "flags", "received")


@admin.register(vm.VillageFigure)
class VillageFigureAdmin(admin.ModelAdmin):
    list_display = ("plan", "measure", "would", "position")


@admin.register(vm.ChildWording)
class ChildWordingAdmin(SimpleHistoryAdmin):
    list_display = ("theme", "title", "plain_words")
