from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "cypp.web.plans"
    label = "plans"
    verbose_name = "Plans"
