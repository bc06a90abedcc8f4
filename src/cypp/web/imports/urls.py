from django.urls import path

from cypp.web.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.upload, name="upload"),
    path("<int:pk>/", views.review_page, name="review"),
    path("<int:pk>/items/<slug:key>/", views.correct, name="correct"),
    path("<int:pk>/create/", views.create, name="create"),
    path("<int:pk>/discard/", views.discard, name="discard"),
]
