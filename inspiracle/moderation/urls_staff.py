from django.urls import path

from inspiracle.moderation.views import staff as views

app_name = "moderation_staff"
urlpatterns = [
    path("accounts/<str:username>/", views.account, name="account"),
    path("sanctions/<int:sanction_id>/lift/", views.sanction_lift, name="sanction-lift"),
    path("strikes/<int:strike_id>/resolve/", views.strike_resolve, name="strike-resolve"),
    path("appeals/", views.appeals, name="appeals"),
    path("appeals/<int:appeal_id>/", views.appeal, name="appeal"),
]
