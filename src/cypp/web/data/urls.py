from django.urls import path

from cypp.web.data import views

app_name = "data"
urlpatterns = [
    path("", views.home, name="home"),
    path("sign-in/", views.sign_in, name="sign_in"),
    path("sign-out/", views.sign_out, name="sign_out"),
    path("plans/<slug:slug>/upload/", views.upload, name="upload"),
    path("plans/<slug:slug>/collections/", views.collections, name="collections"),
    path("collections/<int:pk>/", views.collection, name="collection"),
    path("returns/<int:pk>/review/", views.review, name="review"),
    path("returns/<int:pk>/", views.return_form, name="return"),
    path("returns/<int:pk>/sent/", views.return_done, name="return_done"),
    path("figures/<int:pk>/correct/", views.correct, name="correct"),
    path("link/<str:token>/", views.link, name="link"),
]
