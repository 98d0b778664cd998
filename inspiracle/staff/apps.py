from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "inspiracle.staff"
    label = "staff"
