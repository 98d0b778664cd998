from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "inspiracle.audit"
    label = "audit"
