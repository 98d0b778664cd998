from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "inspiracle.notifications"
    verbose_name = "Notifications"
