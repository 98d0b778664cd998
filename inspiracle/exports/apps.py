from django.apps import AppConfig


class ExportsConfig(AppConfig):
    name = "inspiracle.exports"
    verbose_name = "Data exports"

    def ready(self) -> None:
        from inspiracle.exports.notices import MESSAGES
        from inspiracle.notifications.messages import register_messages

        register_messages(MESSAGES)
