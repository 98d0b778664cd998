import os
import sys

from django.conf import settings
from django.core.management.base import BaseCommand


def celery_worker_argv(*, beat: bool, pool_args: list[str]) -> list[str]:
    argv = [sys.executable, "-m", "celery", "-A", "config", "worker", "--loglevel=INFO", *pool_args]
    if beat:
        argv += ["--beat", "--schedule", settings.CELERY_BEAT_SCHEDULE_FILENAME]
    return argv


def celery_beat_argv() -> list[str]:
    """Beat as a process of its own: exactly one per installation, whatever happens to the workers."""
    return [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "config",
        "beat",
        "--loglevel=INFO",
        "--schedule",
        settings.CELERY_BEAT_SCHEDULE_FILENAME,
    ]


class Command(BaseCommand):
    help = (
        "Run a Celery worker for this installation (prefork: the time limits hold). With --beat: also the "
        "periodic-job scheduler, which must run exactly once per installation."
    )

    def add_arguments(self, parser):
        parser.add_argument("--beat", action="store_true")
        parser.add_argument("--concurrency", type=int, default=2)

    def handle(self, *args, **o):
        argv = celery_worker_argv(
            beat=o["beat"], pool_args=["--pool=prefork", f"--concurrency={o['concurrency']}", "-Ofair"]
        )
        os.execv(sys.executable, argv)  # noqa: S606 - replaces this process with the worker
