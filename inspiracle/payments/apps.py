from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "inspiracle.payments"
    verbose_name = "Payments"
