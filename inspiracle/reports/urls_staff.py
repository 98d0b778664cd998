from django.urls import path

from inspiracle.reports.views import staff as views

app_name = "reports_staff"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("evidence/<int:evidence_id>/", views.evidence, name="evidence"),
    path("counter-notices/", views.counter_notices, name="counter-notices"),
    path("counter-notices/<int:notice_id>/", views.counter_notice, name="counter-notice"),
    path("profiles/", views.profiles, name="profiles"),
    path("profiles/<int:profile_id>/", views.profile, name="profile"),
    path("reporters/<str:key>/", views.reporter, name="reporter"),
    path("<str:reference>/", views.report, name="report"),
]
