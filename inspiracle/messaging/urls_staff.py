from django.urls import path

from inspiracle.messaging.views import staff as views

app_name = "messaging_staff"
urlpatterns = [
    path("reports/", views.reports, name="reports"),
    path("reports/<int:report_id>/", views.report, name="report"),
    path("attachments/<int:attachment_id>/", views.attachment, name="attachment"),
]
