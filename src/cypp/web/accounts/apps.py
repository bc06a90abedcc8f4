from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "cypp.web.accounts"
    label = "accounts"
    verbose_name = "Accounts and roles"

    def ready(self) -> None:
        from django.contrib import admin

        from cypp.web.accounts import signals  # noqa: F401  (connects the audit of passwords)
        from cypp.web.accounts.policy import can

        # The admin site follows the policy too: only administrators may use it.
        def has_permission(request) -> bool:  # type: ignore[no-untyped-def]
            return can(request.user, "admin")

        admin.site.has_permission = has_permission  # type: ignore[method-assign]
