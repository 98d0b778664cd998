from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "inspiracle.reports"
    verbose_name = "Reports"
