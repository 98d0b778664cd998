from django.apps import AppConfig


class BackupConfig(AppConfig):
    name = "inspiracle.backup"
    verbose_name = "Backup and restore"
