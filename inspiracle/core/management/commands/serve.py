import os
import signal
import socket
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from config.celery import WORKER_READY_FILE
from inspiracle.core.management.commands.worker import celery_beat_argv, celery_worker_argv
from inspiracle.core.supervisor import Child, GaveUp, restart_dead, stop_all


def site_url_for(bind: str) -> str:
    """The address e-mailed links use when SITE_URL is not set: the one `--bind` names. A wildcard address
    (0.0.0.0, [::]) is reached by this machine's name."""
    host, _, port = bind.rpartition(":")
    if host in {"0.0.0.0", "[::]", ""}:  # noqa: S104 - reading the bind address, not binding
        host = socket.getfqdn()
    return f"http://{host}:{port}"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect is an answer to report, not to follow (to https:// that is not there)


class Command(BaseCommand):
    help = (
        "Run Inspiracle: migrate, load the demo data once, then the web server, a Celery worker and beat, "
        "each restarted if it dies, until Ctrl-C."
    )

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=os.environ.get("BIND", "127.0.0.1:8000"))
        parser.add_argument("--web-workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2")))
        parser.add_argument(
            "--worker-concurrency",
            type=int,
            default=int(os.environ.get("WORKER_CONCURRENCY", "2")),
            help="jobs run at once (at least 2, so that one slow file does not hold up other uploads)",
        )
        parser.add_argument("--no-demo", action="store_true", help="do not load demo users")
        parser.add_argument(
            "--no-worker", action="store_true", help="web only (workers and beat run elsewhere)"
        )

    def handle(self, *args, **o):
        if o["worker_concurrency"] < 2 and not o["no_worker"]:
            raise CommandError(
                "--worker-concurrency must be at least 2: one slow file would hold up every upload"
            )
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        call_command("load_agreements", verbosity=0)
        if not o["no_demo"]:
            call_command("load_demo")
        env = self._child_env(o["bind"])
        children = [
            Child(
                "web server",
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
                env,
            )
        ]
        worker_ready = Path(settings.DATA_DIR) / WORKER_READY_FILE
        worker_ready.unlink(missing_ok=True)
        if not o["no_worker"]:
            # The prefork pool: the time limits hold (the solo pool ignores them) and a slow file takes one
            # of the processes, not the worker. Beat is its own process, so exactly one runs whatever dies.
            pool = ["--pool=prefork", f"--concurrency={o['worker_concurrency']}", "-Ofair"]
            children.append(Child("worker", celery_worker_argv(beat=False, pool_args=pool), env))
            children.append(Child("beat", celery_beat_argv(), env))
        for child in children:
            child.start()

        def terminate(*_) -> None:
            stop_all(children)
            sys.exit(0)

        signal.signal(signal.SIGTERM, terminate)
        try:
            self._wait_ready(
                o["bind"], env["SITE_URL"], children, worker_ready=None if o["no_worker"] else worker_ready
            )
            self.stdout.write(
                self.style.SUCCESS(
                    f"Inspiracle is ready at {env['SITE_URL']}/ (demo sign-in: admin, ana, ben_brand, dora_studio, mo, "
                    "lee or cy, password inspiracle-demo). Press Ctrl-C to stop."
                ),
                ending="\n",
            )
            self.stdout.flush()
            while True:
                restart_dead(children, say=self._say)
                time.sleep(0.5)
        except GaveUp as exc:
            raise CommandError(f"{exc}; see the messages above") from None
        except KeyboardInterrupt:
            self.stdout.write("stopping")
        finally:
            stop_all(children)

    def _say(self, line: str) -> None:
        self.stderr.write(line)
        self.stderr.flush()

    def _child_env(self, bind: str) -> dict[str, str]:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "config.settings"),
        }
        # Links in e-mails point where the server listens, unless the operator says otherwise.
        env.setdefault("SITE_URL", site_url_for(bind))
        if "ALLOWED_HOSTS" not in os.environ and not settings.PRODUCTION:
            host = urlsplit(env["SITE_URL"]).hostname or ""
            env["ALLOWED_HOSTS"] = ",".join(dict.fromkeys([*settings.ALLOWED_HOSTS, host]))
        return env

    def _wait_ready(self, bind: str, site_url: str, children, *, worker_ready: Path | None) -> None:
        """Ready means both: the web server answers and the worker takes jobs (an upload made at once is
        checked at once)."""
        deadline = time.monotonic() + 60
        web = False
        while time.monotonic() < deadline:
            if not all(child.alive() for child in children):
                raise CommandError(
                    "the web server, the worker or beat failed to start; see the messages above"
                )
            web = web or self._answers(bind, site_url)
            if web and (worker_ready is None or worker_ready.exists()):
                return
            time.sleep(0.3)
        raise CommandError(f"the web server or the worker was not ready on {bind} within 60 seconds")

    def _answers(self, bind: str, site_url: str) -> bool:
        """Ask the health endpoint as the reverse proxy would: for the public host name, saying the request
        came over HTTPS. Under PRODUCTION=true a plain request is redirected to https:// (which this port
        does not speak) and a request for 127.0.0.1 is not an allowed host."""
        scheme_header = settings.SECURE_PROXY_SSL_HEADER
        headers = {"Host": urlsplit(site_url).netloc}
        if scheme_header:
            headers[scheme_header[0].removeprefix("HTTP_").replace("_", "-").title()] = scheme_header[1]
        request = urllib.request.Request(f"http://{bind}/health/", headers=headers)  # noqa: S310
        try:
            with urllib.request.build_opener(_NoRedirect).open(request, timeout=2) as response:
                return response.status == 200
        except OSError:  # not listening yet, or an error status (HTTPError is an OSError)
            return False
