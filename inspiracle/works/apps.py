from django.apps import AppConfig


class WorksConfig(AppConfig):
    name = "inspiracle.works"
    verbose_name = "Works"
