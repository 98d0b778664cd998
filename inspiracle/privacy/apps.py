from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "inspiracle.privacy"
    verbose_name = "Privacy"
