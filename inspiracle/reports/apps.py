from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "inspiracle.reports"
    verbose_name = "Reports"

    def ready(self) -> None:
        from inspiracle.notifications.messages import register_messages
        from inspiracle.reports.notices import MESSAGES

        register_messages(MESSAGES)
