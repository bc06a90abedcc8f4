"""Sign-in pages, served by django-allauth's views under /account/.

Only the views the service uses are mounted: sign in and out, password change (and
set, for an account made without one), password reset by e-mail, the closed sign-up
page and the page for inactive accounts. The URL names are allauth's
own (``account_login`` …) because allauth reverses them.
"""

from allauth.account import views
from django.contrib.auth.decorators import login_required
from django.urls import path, register_converter
from django.views.generic import TemplateView


class Uidb36:
    """The user id part of a reset link; the key after the hyphen may hold hyphens too."""

    regex = "[0-9A-Za-z]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(Uidb36, "uidb36")

urlpatterns = [
    path("sign-in/", views.login, name="account_login"),
    path("sign-out/", views.logout, name="account_logout"),
    path("sign-up/", views.signup, name="account_signup"),
    path("inactive/", views.account_inactive, name="account_inactive"),
    path("password/change/", views.password_change, name="account_change_password"),
    path("password/set/", views.password_set, name="account_set_password"),
    path(
        "password/changed/",
        login_required(TemplateView.as_view(template_name="account/password_changed.html")),
        name="account_password_changed",
    ),
    path("password/reset/", views.password_reset, name="account_reset_password"),
    path("password/reset/done/", views.password_reset_done, name="account_reset_password_done"),
    path(
        "password/reset/key/<uidb36:uidb36>-<str:key>/",
        views.password_reset_from_key,
        name="account_reset_password_from_key",
    ),
    path(
        "password/reset/key/done/",
        views.password_reset_from_key_done,
        name="account_reset_password_from_key_done",
    ),
]
