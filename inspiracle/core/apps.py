from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "inspiracle.core"
    label = "core"

    def ready(self):
        from inspiracle.core.logging import connect_celery_signals

        # A task queued while serving a request logs under that request's id (OPS-3).
        connect_celery_signals()
