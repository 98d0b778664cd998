from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    name = "inspiracle.disclosure"
    verbose_name = "Disclosure to authorities"

    def ready(self) -> None:
        from inspiracle.disclosure.notices import MESSAGES
        from inspiracle.notifications.messages import register_messages

        register_messages(MESSAGES)
