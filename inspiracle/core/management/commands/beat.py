import os
import sys

from django.core.management.base import BaseCommand

from inspiracle.core.management.commands.worker import celery_beat_argv


class Command(BaseCommand):
    help = "Run the periodic-job scheduler (Celery beat). Run exactly one per installation."

    def handle(self, *args, **o):
        os.execv(sys.executable, celery_beat_argv())  # noqa: S606 - replaces this process with beat
