import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from config.celery import WORKER_READY_FILE
from inspiracle.core.management.commands.worker import celery_worker_argv


class Command(BaseCommand):
    help = (
        "Run Inspiracle: migrate, load the demo data once, then the web server with a Celery worker and "
        "beat, until Ctrl-C."
    )

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=os.environ.get("BIND", "127.0.0.1:8000"))
        parser.add_argument("--web-workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2")))
        parser.add_argument("--no-demo", action="store_true", help="do not load demo users")
        parser.add_argument("--no-worker", action="store_true", help="web only (workers run elsewhere)")

    def handle(self, *args, **o):
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        call_command("load_agreements", verbosity=0)
        if not o["no_demo"]:
            call_command("load_demo")
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "config.settings"),
        }
        children = [
            subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "config.wsgi",
                    "--bind",
                    o["bind"],
                    "--workers",
                    str(o["web_workers"]),
                    "--access-logfile",
                    "-",
                    "--graceful-timeout",
                    "10",
                ],
                env=env,
            )
        ]
        worker_ready = Path(settings.DATA_DIR) / WORKER_READY_FILE
        worker_ready.unlink(missing_ok=True)
        if not o["no_worker"]:
            children.append(
                subprocess.Popen(  # noqa: S603
                    celery_worker_argv(beat=True, pool_args=["--pool=solo"]),
                    env=env,
                )
            )

        def stop(*_args):
            for child in children:
                if child.poll() is None:
                    child.terminate()
            for child in children:
                try:
                    child.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    child.kill()

        signal.signal(signal.SIGTERM, lambda *a: (stop(), sys.exit(0)))
        try:
            self._wait_ready(o["bind"], children, worker_ready=None if o["no_worker"] else worker_ready)
            self.stdout.write(
                self.style.SUCCESS(
                    f"Inspiracle is ready at http://{o['bind']}/ (demo sign-in: admin, ana, ben_brand, dora_studio, mo, lee or cy, "
                    "password inspiracle-demo). Press Ctrl-C to stop."
                ),
                ending="\n",
            )
            self.stdout.flush()
            while all(child.poll() is None for child in children):
                time.sleep(0.5)
            raise CommandError("a process stopped unexpectedly; shutting down")
        except KeyboardInterrupt:
            self.stdout.write("stopping")
        finally:
            stop()

    def _wait_ready(self, bind: str, children, *, worker_ready: Path | None) -> None:
        """Ready means both: the web server answers and the worker takes jobs (an upload made at once is
        checked at once)."""
        deadline = time.monotonic() + 60
        web = False
        while time.monotonic() < deadline:
            if any(child.poll() is not None for child in children):
                raise CommandError("the web server or the worker failed to start; see the messages above")
            if not web:
                try:
                    with urllib.request.urlopen(f"http://{bind}/health/", timeout=2) as response:  # noqa: S310
                        web = response.status == 200
                except OSError:
                    pass
            if web and (worker_ready is None or worker_ready.exists()):
                return
            time.sleep(0.3)
        raise CommandError(f"the web server or the worker was not ready on {bind} within 60 seconds")
