from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "inspiracle.messaging"
    verbose_name = "Messaging"
