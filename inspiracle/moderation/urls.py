from django.urls import path

from inspiracle.moderation.views import review as views

app_name = "moderation"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("bulk/", views.bulk, name="bulk"),
    path("<int:work_id>/", views.item, name="item"),
    path("<int:work_id>/claim/", views.claim, name="claim"),
    path("<int:work_id>/act/", views.act, name="act"),
    path("decisions/<int:decision_id>/reverse/", views.reverse, name="reverse"),
]
