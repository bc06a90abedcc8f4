from django.urls import path

from cypp.web.performance import comments, views

app_name = "performance"
urlpatterns = [
    path("plans/<slug:slug>/performance/", views.overview, name="overview"),
    path("plans/<slug:slug>/scorecard/", views.scorecard, name="scorecard"),
    path("plans/<slug:slug>/ratings/", views.calculate, name="calculate"),
    path("plans/<slug:slug>/measures/<str:key>/", views.measure, name="measure"),
    path(
        "plans/<slug:slug>/measures/<str:key>/comments/",
        comments.measure_comments,
        name="measure_comments",
    ),
    path("plans/<slug:slug>/exceptions/", views.exceptions, name="exceptions"),
    path("plans/<slug:slug>/exceptions/<str:key>/", views.exception_note, name="exception_note"),
    path("plans/<slug:slug>/review/", views.review, name="review"),
    path("plans/<slug:slug>/review/<int:theme_id>/", views.review_edit, name="review_edit"),
    path("plans/<slug:slug>/actions/", views.actions, name="actions"),
    path("plans/<slug:slug>/actions/<int:action_id>/", views.action_update, name="action_update"),
    path("plans/<slug:slug>/board-pack.<str:fmt>", views.board_pack, name="board_pack"),
    path("public/", views.public_home, name="public_home"),
    path("public/<slug:slug>/", views.public_plan, name="public_plan"),
]
