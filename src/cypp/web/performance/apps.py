from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "cypp.web.performance"
    label = "performance"
    verbose_name = "Performance"
