from django.urls import path

from inspiracle.reposts import views

app_name = "reposts"
urlpatterns = [
    path("ask/<int:work_id>/", views.ask, name="ask"),
    path("email/", views.email, name="email"),
    path("mine/", views.mine, name="mine"),
    path("<str:reference>/", views.detail, name="detail"),
    path("<str:reference>/approve/", views.approve, name="approve"),
    path("<str:reference>/decline/", views.decline, name="decline"),
    path("<str:reference>/revoke/", views.revoke, name="revoke"),
]
