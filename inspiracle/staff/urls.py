from django.urls import path

from inspiracle.staff import views

app_name = "staff"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("agreements/", views.agreements, name="agreements"),
    path("audit/", views.audit, name="audit"),
    path("users/", views.users, name="users"),
    path("users/<str:username>/", views.user_detail, name="user"),
    path("names/", views.names, name="names"),
    path("works/", views.works, name="works"),
    path("works/<int:work_id>/publish/", views.work_publish, name="work-publish"),
    path("screening/", views.screening, name="screening"),
]
