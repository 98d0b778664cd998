from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "inspiracle.agreements"
    label = "agreements"
