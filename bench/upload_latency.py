"""Upload to "awaiting review" on the embedded default, end to end. Target: under 3 s for a 12 MP JPEG.

Run: uv run --offline python bench/upload_latency.py [--runs 5] [--no-clamd]

Starts the platform as ``inspiracle serve`` does (migrate, demo data, gunicorn, a Celery worker with beat on the
SQLite broker) in a temporary data folder on a free port, takes an API token for the demo user ana, then for each
run uploads a different 12-megapixel JPEG with ``POST /api/works`` and polls ``GET /api/works/{id}`` every 50 ms
until the work leaves "processing". The time is from the start of the upload request to the poll that saw
"awaiting_review". The embedded default has no CLAMD_ADDRESS, so its files are "not scanned"; unless --no-clamd,
the same is then measured with a clamd of our own (the project's test signatures) as the scanner.
Only the standard library talks HTTP, so the client adds nothing a browser would not.
"""

import argparse
import json
import os
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.pipeline_baseline import photo_like  # noqa: E402

TARGET_S = 3.0
POLL_S = 0.05
START_TIMEOUT_S = 180
READY_LINE = "Inspiracle is ready at"
DEMO_USER, DEMO_PASSWORD = "ana", "inspiracle-demo"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """``inspiracle serve`` in a session of its own, so that stopping it reaches gunicorn and the worker too."""

    def __init__(self, data_dir: Path, *, clamd_address: str = ""):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.data_dir = data_dir
        self.log = data_dir / "serve.log"
        env = {key: value for key, value in os.environ.items() if key not in _NOT_INHERITED}
        env.update(INSPIRACLE_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="config.settings")
        if clamd_address:
            env["CLAMD_ADDRESS"] = clamd_address
        data_dir.mkdir(parents=True, exist_ok=True)
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(  # noqa: S603 - our own command line
                # The project's own command, next to the interpreter running this bench (the venv's).
                [str(Path(sys.executable).parent / "inspiracle"), "serve", "--bind", f"127.0.0.1:{self.port}"],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def wait_ready(self) -> float:
        started = time.monotonic()
        while time.monotonic() - started < START_TIMEOUT_S:
            if READY_LINE in self.log.read_text(errors="replace"):
                return time.monotonic() - started
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        tail = "\n".join(self.log.read_text(errors="replace").splitlines()[-30:])
        raise RuntimeError(f"the server did not say it was ready:\n{tail}")

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


# The caller's database, broker or scanner must not leak into the throwaway installation.
_NOT_INHERITED = {
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "CLAMD_ADDRESS",
    "PRODUCTION",
    "DJANGO_SETTINGS_MODULE",
}


def call(method: str, url: str, *, body: bytes | None = None, headers: dict[str, str] | None = None) -> dict:
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - http://127.0.0.1 only
            return json.loads(response.read())
    except urllib.error.HTTPError as error:
        raise RuntimeError(f"{method} {url}: {error.code} {error.read()[:500]!r}") from None


def multipart(fields: dict[str, str], files: list[tuple[str, str, bytes]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    for part_name, filename, content in files:
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{part_name}"; filename="{filename}"\r\n'
            "Content-Type: image/jpeg\r\n\r\n"
        )
        parts += [head.encode(), content, b"\r\n"]
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def token(base: str) -> str:
    body = json.dumps({"username": DEMO_USER, "password": DEMO_PASSWORD, "name": "bench"}).encode()
    return call("POST", f"{base}/api/auth/tokens", body=body, headers={"Content-Type": "application/json"})[
        "token"
    ]


@dataclass
class Upload:
    work_id: int
    started: float  # time.time() at the start of the upload request, to compare with the server's timestamps
    total: float  # seconds from the start of the upload request to the poll that saw the final status
    request: float  # seconds the upload request took
    status: str
    scan: str
    phases: dict[str, float] = field(default_factory=dict)


def upload_and_wait(base: str, auth: str, picture: Path) -> Upload:
    fields = {"title": picture.stem, "category": "illustration", "ai_use": "none", "rights_confirmed": "true"}
    body, content_type = multipart(fields, [("files", picture.name, picture.read_bytes())])
    headers = {"Authorization": f"Bearer {auth}"}
    started_at, started = time.time(), time.perf_counter()
    work = call("POST", f"{base}/api/works", body=body, headers={**headers, "Content-Type": content_type})
    request = time.perf_counter() - started
    while work["status"] == "processing":
        if time.perf_counter() - started > 60:
            raise RuntimeError(f"work {work['id']} still processing after 60 s")
        time.sleep(POLL_S)
        work = call("GET", f"{base}/api/works/{work['id']}", headers=headers)
    total = time.perf_counter() - started
    return Upload(work["id"], started_at, total, request, work["status"], work["files"][0]["scan"])


def add_phases(database: Path, uploads: list[Upload]) -> None:
    """Where the time went, from the file rows' own timestamps (same machine, same clock): the request until
    the row was made, the queue until the worker claimed it, the pipeline until it recorded the result, and
    the rest (the move to review, the poll)."""
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as connection:
        for upload in uploads:
            made, claimed, processed = (
                datetime.fromisoformat(value).replace(tzinfo=UTC).timestamp()
                for value in connection.execute(
                    "SELECT uploaded_at, claimed_at, processed_at FROM works_workfile WHERE work_id = ?",
                    (upload.work_id,),
                ).fetchone()
            )
            upload.phases = {
                "request until the file's row": made - upload.started,
                "queue until claimed": claimed - made,
                "pipeline until recorded": processed - claimed,
                "to review, seen by a poll": upload.started + upload.total - processed,
            }


def measure(label: str, server: Server, pictures: list[Path]) -> None:
    try:
        ready_s = server.wait_ready()
        auth = token(server.base)
        first = upload_and_wait(server.base, auth, pictures[0])
        uploads = [upload_and_wait(server.base, auth, picture) for picture in pictures[1:]]
    finally:
        server.stop()
    add_phases(server.data_dir / "inspiracle.sqlite3", uploads)
    totals = [upload.total for upload in uploads]
    statuses = sorted({upload.status for upload in [first, *uploads]})
    scans = sorted({upload.scan for upload in [first, *uploads]})
    median, worst = statistics.median(totals), max(totals)
    verdict = "PASS" if worst < TARGET_S and statuses == ["awaiting_review"] else "FAIL"
    phases = ", ".join(
        f"{phase} {statistics.median(upload.phases[phase] for upload in uploads):.2f}"
        for phase in uploads[0].phases
    )
    print(
        f"{label}: server ready {ready_s:.1f} s after it was started\n"
        f"  first upload right after 'ready' (the worker may still be starting): {first.total:.2f} s, not counted\n"
        f"  {len(uploads)} uploads, upload start -> 'awaiting_review': median {median:.2f} s, max {worst:.2f} s"
        f" -> {verdict} (target < {TARGET_S:.0f} s, every upload)\n"
        f"  each: {', '.join(f'{total:.2f}' for total in totals)} s;"
        f" the upload request alone: median {statistics.median(upload.request for upload in uploads):.2f} s\n"
        f"  medians by phase, s: {phases}\n"
        f"  final statuses: {statuses}; files' scan: {scans}",
        flush=True,
    )


def make_pictures(tmpdir: Path, count: int) -> list[Path]:
    pictures = []
    for number in range(count):
        pictures.append(tmpdir / f"photo_12mp_{number}.jpg")
        photo_like(4000, 3000, seed=300 + number).save(pictures[-1], quality=90)
    return pictures


def start_clamd():
    """A clamd with the project's test signatures; clamd_server reads settings, so configure a bare minimum."""
    from django.conf import settings

    settings.configure(CLAMD_ADDRESS="", CLAMD_TIMEOUT=60)
    from inspiracle.pipeline.clamd_server import start_clamd as start

    return start(Path(tempfile.mkdtemp(prefix="clamd-")))  # short: a socket path has at most 107 bytes


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-clamd", action="store_true", help="only the embedded default (no scanner)")
    options = parser.parse_args(argv)
    load = os.getloadavg()
    print(
        f"bench/upload_latency.py: {os.cpu_count()} cores, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f};"
        f" a different 4000 x 3000 JPEG (quality 90) per upload; polling every {POLL_S * 1000:.0f} ms",
        flush=True,
    )
    with tempfile.TemporaryDirectory(prefix="inspiracle-latency-") as tmp:
        tmpdir = Path(tmp)
        # The pictures are made while the server starts: its start is not measured, the uploads are.
        server = Server(tmpdir / "plain")
        try:
            pictures = make_pictures(tmpdir, options.runs + 1)
        except BaseException:
            server.stop()
            raise
        size = statistics.mean(p.stat().st_size for p in pictures) / 1e6
        print(f"pictures: {size:.1f} MB on average", flush=True)
        measure("embedded default (no CLAMD_ADDRESS: files are 'not scanned')", server, pictures)
        if not options.no_clamd:
            # A new data folder and a new clamd: the same pictures are new to both (clamd caches clean files).
            clamd = start_clamd()
            try:
                server = Server(tmpdir / "scanned", clamd_address=clamd.address)
                measure(
                    "embedded default + CLAMD_ADDRESS (clamd, test signatures, clamd_server.py's configuration)",
                    server,
                    pictures,
                )
            finally:
                clamd.stop()
                shutil.rmtree(clamd.workdir, ignore_errors=True)
    load = os.getloadavg()
    print(
        f"load average after {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}. Included: the multipart upload over"
        " loopback, storing the original, the Celery hand-off through the SQLite broker (polled every"
        " 0.25 s), the whole pipeline in the worker, the move to review, and up to one 50 ms poll interval."
    )


if __name__ == "__main__":
    main()
