import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_runs_the_platform_on_its_embedded_defaults_with_demo_data(tmp_path):
    """REQ: OPS-1, UX-5
    GIVEN no configuration at all WHEN `inspiracle serve` starts THEN it migrates SQLite, loads the agreements and
    demo users, starts the web server and a Celery worker with beat, and says when it is ready."""
    port = free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "PII_KEYRING", "SECRET_KEY", "DJANGO_SETTINGS_MODULE"}
    }
    env["INSPIRACLE_DATA_DIR"] = str(tmp_path)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "inspiracle.cli",
            "serve",
            "--bind",
            f"127.0.0.1:{port}",
            "--web-workers",
            "1",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            lines.append(line)
            if "Inspiracle is ready at" in line:
                break
        output = "".join(lines)
        assert "Inspiracle is ready at http://127.0.0.1:" in output, output[-3000:]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/agreements") as response:
            assert len(__import__("json").load(response)) == 4
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/u/ana/") as response:
            assert response.status == 200
        deadline = time.monotonic() + 60
        while "ready." not in output and time.monotonic() < deadline:  # celery prints "celery@host ready."
            output += process.stdout.readline()
        assert "ready." in output, output[-3000:]
        assert (tmp_path / "inspiracle.sqlite3").exists() and (tmp_path / "pii-keyring.json").exists()
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            pytest.fail("serve did not stop on SIGTERM")
