from django.urls import path

from inspiracle.moderation.views import standing as views

app_name = "standing"
urlpatterns = [
    path("me/standing/", views.standing, name="standing"),
    path("me/appeals/new/<str:kind>/<int:measure_id>/", views.appeal_new, name="appeal-new"),
    path("me/appeals/<int:appeal_id>/", views.appeal, name="appeal"),
    path("appeal/<str:token>/", views.blocked, name="blocked"),
]
