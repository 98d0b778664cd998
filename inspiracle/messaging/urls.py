from django.urls import path

from inspiracle.messaging.views import threads as views

app_name = "messaging"
urlpatterns = [
    path("", views.threads, name="threads"),
    path("<int:thread_id>/", views.thread, name="thread"),
    path("<int:thread_id>/report/", views.report, name="report"),
    path("new/<str:username>/", views.direct_new, name="direct-new"),
    path("settings/", views.settings_page, name="settings"),
    path("attachments/<int:attachment_id>/", views.attachment, name="attachment"),
]
