import os
import sys

from django.conf import settings
from django.core.management.base import BaseCommand


def celery_worker_argv(*, beat: bool, pool_args: list[str]) -> list[str]:
    argv = [sys.executable, "-m", "celery", "-A", "config", "worker", "--loglevel=INFO", *pool_args]
    if beat:
        argv += ["--beat", "--schedule", settings.CELERY_BEAT_SCHEDULE_FILENAME]
    return argv


class Command(BaseCommand):
    help = "Run a Celery worker for this installation (with --beat: also the periodic-job scheduler)."

    def add_arguments(self, parser):
        parser.add_argument("--beat", action="store_true")
        parser.add_argument("--concurrency", type=int, default=2)

    def handle(self, *args, **o):
        argv = celery_worker_argv(beat=o["beat"], pool_args=[f"--concurrency={o['concurrency']}"])
        os.execv(sys.executable, argv)  # noqa: S606 - replaces this process with the worker
