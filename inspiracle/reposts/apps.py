from django.apps import AppConfig


class RepostsConfig(AppConfig):
    name = "inspiracle.reposts"
    verbose_name = "Reposts"

    def ready(self) -> None:
        from inspiracle.notifications.messages import register_messages
        from inspiracle.reposts.notices import MESSAGES

        register_messages(MESSAGES)
