from django.apps import AppConfig


class LicensingConfig(AppConfig):
    name = "inspiracle.licensing"
    verbose_name = "Licensing"

    def ready(self) -> None:
        from inspiracle.licensing.notices import MESSAGES
        from inspiracle.notifications.messages import register_messages

        register_messages(MESSAGES)
