from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "cypp.web.imports"
    label = "imports"
    verbose_name = "Plan document imports"
