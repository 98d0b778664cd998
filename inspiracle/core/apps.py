from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "inspiracle.core"
    label = "core"
