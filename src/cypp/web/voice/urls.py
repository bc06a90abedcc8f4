from django.urls import path

from cypp.web.voice import views

app_name = "voice"
urlpatterns = [
    path("children/<slug:slug>/", views.children_page, name="children"),
    path("children/<slug:slug>/tell-us/", views.tell_us, name="tell_us"),
    path("children/<slug:slug>/thank-you/", views.thanks, name="thanks"),
    path("voice/<slug:slug>/", views.overview, name="overview"),
    path("voice/<slug:slug>/consultations/new/", views.consultation_new, name="consultation_new"),
    path("voice/<slug:slug>/stories/", views.moderation_queue, name="moderation"),
    path("voice/<slug:slug>/stories/<int:pk>/", views.moderate, name="moderate"),
    path("voice/<slug:slug>/summary/<int:year>/<int:month>/", views.summary, name="summary"),
    path("voice/<slug:slug>/wording/<str:key>/", views.wording, name="wording"),
]
