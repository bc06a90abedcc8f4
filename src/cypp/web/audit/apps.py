from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "cypp.web.audit"
    label = "audit"
    verbose_name = "Audit"
