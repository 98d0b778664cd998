from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "inspiracle.accounts"
    label = "accounts"
