import os
import sys

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run a Celery worker for this installation (with --beat: also the periodic-job scheduler)."

    def add_arguments(self, parser):
        parser.add_argument("--beat", action="store_true")
        parser.add_argument("--concurrency", type=int, default=2)

    def handle(self, *args, **o):
        argv = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--loglevel=INFO",
            f"--concurrency={o['concurrency']}",
        ]
        if o["beat"]:
            argv += ["--beat", "--schedule", settings.CELERY_BEAT_SCHEDULE_FILENAME]
        os.execv(sys.executable, argv)  # noqa: S606 - replaces this process with the worker
