from django.urls import path
from django.views.generic import RedirectView

from cypp.web.data import views

app_name = "data"
urlpatterns = [
    path("", views.home, name="home"),
    # Sign-in moved to /account/sign-in/; old bookmarks and links still arrive there.
    path(
        "sign-in/",
        RedirectView.as_view(pattern_name="account_login", permanent=True, query_string=True),
        name="sign_in",
    ),
    path("plans/<slug:slug>/upload/", views.upload, name="upload"),
    path("plans/<slug:slug>/collections/", views.collections, name="collections"),
    path("collections/<int:pk>/", views.collection, name="collection"),
    path("returns/<int:pk>/review/", views.review, name="review"),
    path("returns/<int:pk>/", views.return_form, name="return"),
    path("returns/<int:pk>/sent/", views.return_done, name="return_done"),
    path("figures/<int:pk>/correct/", views.correct, name="correct"),
    path("link/<str:token>/", views.link, name="link"),
]
