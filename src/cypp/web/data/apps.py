from django.apps import AppConfig


class DataConfig(AppConfig):
    name = "cypp.web.data"
    label = "data"
    verbose_name = "Data"
