from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "cypp.web.audit"
    label = "audit"
    verbose_name = "Audit"

    def ready(self) -> None:
        from cypp.web.audit import signals  # noqa: F401  (copies admin edits to the audit log)
