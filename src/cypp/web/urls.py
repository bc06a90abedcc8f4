"""URL map: the public plan pages at the root, Django admin under /admin/."""

from django.contrib import admin
from django.urls import include, path

from cypp.web.api.main import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("account/", include("cypp.web.accounts.urls")),
    path("data/", include("cypp.web.data.urls")),
    path("imports/", include("cypp.web.imports.urls")),
    path("", include("cypp.web.performance.urls")),
    path("", include("cypp.web.voice.urls")),
    path("", include("cypp.web.plans.urls")),
]

handler404 = "cypp.web.views.not_found"
handler500 = "cypp.web.views.server_error"
