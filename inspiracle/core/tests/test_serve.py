import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[3]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Serve:
    """`inspiracle serve` as a real process on a free port with its own data folder; its output is collected
    by a thread, so that every wait is bounded."""

    def __init__(self, data_dir: Path, port: int, **env_extra: str):
        env = {
            k: v
            for k, v in os.environ.items()
            if k
            not in {
                "DATABASE_URL",
                "PII_KEYRING",
                "PROOF_SIGNING_KEY",
                "PAYMENT_WEBHOOK_SECRET",
                "SECRET_KEY",
                "DJANGO_SETTINGS_MODULE",
                "SITE_URL",
            }
        }
        env.update(INSPIRACLE_DATA_DIR=str(data_dir), **env_extra)
        argv = [
            sys.executable,
            "-m",
            "inspiracle.cli",
            "serve",
            "--bind",
            f"127.0.0.1:{port}",
            "--web-workers",
            "1",
        ]
        self.process = subprocess.Popen(
            argv, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        self.lines: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None  # started with stdout=PIPE
        for line in self.process.stdout:
            self.lines.append(line)

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def wait_for(self, text: str, seconds: float) -> str:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if text in self.output:
                return self.output
            if self.process.poll() is not None:
                break
            time.sleep(0.2)
        pytest.fail(f"no {text!r} within {seconds} s: {self.output[-3000:]}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            pytest.fail("serve did not stop on SIGTERM")


def processes() -> list[tuple[int, int, int, str]]:
    """(pid, parent pid, process group, command line) of every process."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        found.append((int(entry.name), int(fields[1]), int(fields[2]), cmdline))
    return found


def test_serve_runs_the_platform_on_its_embedded_defaults_with_demo_data(tmp_path):
    """REQ: OPS-1, UX-5
    GIVEN no configuration at all WHEN `inspiracle serve --bind 127.0.0.1:PORT` starts THEN it migrates SQLite,
    loads the agreements and demo users, starts the web server, a Celery worker and beat, and says when it is
    ready; the mail it prints is readable text whose links point at the address it was bound to."""
    port = free_port()
    serve = Serve(tmp_path, port)
    try:
        serve.wait_for(f"Inspiracle is ready at http://127.0.0.1:{port}/", 300)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/agreements") as response:
            assert len(json.load(response)) == 4
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/u/ana/") as response:
            assert response.status == 200
        serve.wait_for("ready.", 60)  # celery prints "celery@host ready."
        assert (tmp_path / "inspiracle.sqlite3").exists() and (tmp_path / "pii-keyring.json").exists()

        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/auth/password-reset",
            data=json.dumps({"email": "ana@demo.inspiracle.example"}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request) as response:
            assert response.status == 200
        output = serve.wait_for(f"http://127.0.0.1:{port}/accounts/password-reset/", 60)
        assert "To: ana@demo.inspiracle.example" in output
        assert "base64" not in output and "127.0.0.1:8000" not in output
    finally:
        serve.stop()


def _health(port: int) -> int:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/health/", headers={"Host": "inspiracle.test", "X-Forwarded-Proto": "https"}
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        return response.status


def test_serve_starts_under_production_and_restarts_a_killed_worker_with_one_beat(tmp_path):
    """REQ: OPS-1, OPS-3
    GIVEN `serve` under PRODUCTION=true (its readiness probe once followed the HTTPS redirect and gave up)
    WHEN its worker is killed with SIGKILL THEN the web keeps answering, the worker's pool goes with it, a new
    worker comes up, and exactly one beat runs throughout."""
    port = free_port()
    serve = Serve(
        tmp_path,
        port,
        PRODUCTION="true",
        SECRET_KEY=os.environ["SECRET_KEY"],
        PII_KEYRING=os.environ["PII_KEYRING"],
        PROOF_SIGNING_KEY=os.environ["PROOF_SIGNING_KEY"],
        PAYMENT_WEBHOOK_SECRET=os.environ["PAYMENT_WEBHOOK_SECRET"],
        PAYMENT_TEST_MODE="true",
        CLAMD_ADDRESS=settings.CLAMD_ADDRESS,
        ALLOWED_HOSTS="inspiracle.test",
        SITE_URL="https://inspiracle.test",
        EMAIL_HOST="127.0.0.1",
    )
    schedule = str(tmp_path / "celerybeat-schedule")

    def workers() -> dict[int, list[int]]:
        """The worker's main processes (children of serve) and the pool processes of each."""
        found = [p for p in processes() if "celery -A config worker" in p[3]]
        return {
            pid: [child for child, parent, _g, _c in found if parent == pid]
            for pid, parent, _group, _cmd in found
            if parent == serve.process.pid
        }

    def beats() -> list[int]:
        return [p[0] for p in processes() if "celery -A config beat" in p[3] and schedule in p[3]]

    try:
        serve.wait_for("Inspiracle is ready at https://inspiracle.test/", 300)
        assert _health(port) == 200
        ((killed, pool),) = workers().items()
        assert len(pool) == 2 and len(beats()) == 1  # prefork, two processes: the time limits hold

        os.kill(killed, signal.SIGKILL)
        serve.wait_for("the worker stopped (exit code -9); starting it again", 30)
        assert _health(port) == 200
        deadline = time.monotonic() + 60
        while not (len(now := workers()) == 1 and killed not in now and len(next(iter(now.values()))) == 2):
            if time.monotonic() > deadline:
                pytest.fail(f"no new worker with its pool within 60 s: {serve.output[-3000:]}")
            time.sleep(0.3)
        assert not [p for p in processes() if p[2] == killed], "a process of the killed worker outlived it"
        assert len(beats()) == 1 and _health(port) == 200
        assert serve.process.poll() is None
        started = {pid for main, pool in workers().items() for pid in (main, *pool)}
    finally:
        serve.stop()
    alive = {p[0] for p in processes()}
    assert beats() == [] and not started & alive, "serve left a worker or beat behind"
