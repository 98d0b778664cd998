from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class OutboxConfig(AppConfig):
    name = "inspiracle.outbox"
    verbose_name = "Outbox"

    def ready(self):
        # Each app that sends mail says how to render its kinds in its own ``emails.py`` (registry.py);
        # found the way the admin finds ``admin.py``, so that the outbox depends on no app above it.
        autodiscover_modules("emails")
