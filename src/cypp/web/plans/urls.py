from django.urls import path

from cypp.web.plans import views

app_name = "plans"
urlpatterns = [
    path("", views.home, name="home"),
    path("plans/<slug:slug>/", views.plan_detail, name="detail"),
]
