from django.urls import path

from inspiracle.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("read/", views.inbox_mark_read, name="read"),
    path("settings/", views.notice_settings, name="settings"),
    path("<int:notification_id>/", views.notification_open, name="open"),
]
