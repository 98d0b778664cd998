from django.urls import path

from inspiracle.staff import views

app_name = "staff"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("agreements/", views.agreements, name="agreements"),
    path("audit/", views.audit, name="audit"),
    path("users/", views.users, name="users"),
    path("users/<str:username>/", views.user_detail, name="user"),
    path("users/<str:username>/registration/", views.user_registration, name="user-registration"),
    path("users/<str:username>/signin-locks/clear/", views.user_signin_locks_clear, name="user-signin-locks"),
    path("notes/<str:kind>/<str:key>/", views.note_create, name="note-add"),
    path("verification/", views.verification, name="verification"),
    path("verification/<str:username>/", views.verification_review, name="verification-review"),
    path(
        "verification/<str:username>/certificates/<int:certificate_id>/",
        views.certificate_file,
        name="certificate-file",
    ),
    path("names/", views.names, name="names"),
    path("works/", views.works, name="works"),
    path("works/<int:work_id>/publish/", views.work_publish, name="work-publish"),
    path("screening/", views.screening, name="screening"),
]
