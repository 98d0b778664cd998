"""The bomb cases of issue 10, before and after: what a hostile upload costs the web worker that receives it.

Run: uv run --offline python bench/hostile.py [--before TREE] [--cap 600] [--body-mb 300] [--skip-decode]

1. The progressive-JPEG scan bomb: 7000 x 7000 pixels, 20,000 scans, built here (about 1.3 MB). Printed: how long
   the checks take to refuse it now, how long an avatar upload of it keeps the request busy now, and how long
   decoding it takes the way avatars, certificates and report documents were decoded before, inside the
   request (Pillow at 1/8 scale, as the avatar path did): measured in a child process, cut off at --cap seconds.
2. ``POST /api/reports`` with a --body-mb body of attachments and no email pass, against gunicorn with one sync
   worker (as in production) started from this tree and, with --before, from another checkout (e.g. main, made
   with ``git archive main | tar -x -C /tmp/main``): the answer, and how much the worker's peak memory (VmHWM)
   grew while answering it.
"""

import argparse
import http.client
import os
import resource
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("INSPIRACLE_DATA_DIR", tempfile.mkdtemp(prefix="bench-hostile-"))

import django  # noqa: E402

django.setup()

from inspiracle.pipeline import checks, imaging  # noqa: E402
from inspiracle.pipeline.avatars import avatar_check  # noqa: E402
from inspiracle.pipeline.errors import FileRefused  # noqa: E402
from inspiracle.pipeline.tests.hostile.builders import progressive_scan_bomb  # noqa: E402

BOUNDARY = "----bench-hostile"


def scan_bomb(cap: int, skip_decode: bool) -> None:
    started = time.perf_counter()
    data = progressive_scan_bomb(7000, 7000, 20_000)
    print(
        f"scan bomb: 7000 x 7000, 20,000 scans, {len(data) / 1e6:.2f} MB (built in {time.perf_counter() - started:.1f} s)"
    )
    path = Path(tempfile.mkdtemp(prefix="bench-bomb-")) / "bomb.jpg"
    path.write_bytes(data)

    times = []
    for _ in range(5):
        started = time.perf_counter()
        try:
            checks.inspect_upload(
                path, name="bomb.jpg", max_bytes=50 << 20, max_pixels=50_000_000, max_frames=300
            )
        except FileRefused as refusal:
            code = refusal.code
        times.append(time.perf_counter() - started)
    print(f"  after:  the checks refuse it ({code}) in {sorted(times)[2] * 1000:.0f} ms (median of 5)")

    started = time.perf_counter()
    try:
        avatar_check(data, name="bomb.jpg")
    except Exception as exc:  # ApplicationError with the reason
        answer = getattr(exc, "message", repr(exc))
    print(
        f"  after:  an avatar upload of it is answered in {(time.perf_counter() - started) * 1000:.0f} ms: {answer}"
    )

    if skip_decode:
        return
    # Before: avatar_check decoded it in the request with imaging.decode (1/8 scale for a 512 px target);
    # certificates and report documents decoded it at full size (accounts.validation.open_image), slower still.
    child = os.fork()
    if child == 0:
        try:
            imaging.decode(path, max_pixels=50_000_000, target=512)
        finally:
            os._exit(0)
    started = time.perf_counter()
    while time.perf_counter() - started < cap:
        done, _status = os.waitpid(child, os.WNOHANG)
        if done:
            break
        time.sleep(0.2)
    else:
        os.kill(child, 9)
        os.waitpid(child, 0)
        print(f"  before: decoding it in the request took more than {cap} s (stopped there)")
        return
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(
        f"  before: decoding it in the request took {time.perf_counter() - started:.1f} s "
        f"({usage.ru_utime:.1f} s of CPU) before any answer"
    )


def report_body(tree: Path, label: str, body_mb: int) -> None:
    port = _free_port()
    data_dir = tempfile.mkdtemp(prefix="bench-hostile-web-")
    env = {
        **os.environ,
        "INSPIRACLE_DATA_DIR": data_dir,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "PYTHONPATH": str(tree),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    subprocess.run([sys.executable, "-m", "django", "migrate", "-v0"], cwd=tree, env=env, check=True)
    server = subprocess.Popen(  # noqa: S603 - our own command line
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "-w",
            "1",
            "-b",
            f"127.0.0.1:{port}",
            "--timeout",
            "600",
        ],
        cwd=tree,
        env=env,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(port)
        worker = _worker_of(server.pid)
        # gunicorn imports the project in the worker when the first request comes: that is not the upload's.
        warm = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        warm.request("GET", "/health/")
        warm.getresponse().read()
        before = _peak_kb(worker)
        status, sent, seconds = _post_attachments(port, body_mb)
        after = _peak_kb(worker)
        print(
            f"  {label}: {status} after {sent / 1e6:,.0f} MB of {body_mb * 1.048576:,.0f} MB sent, in {seconds:.1f} s; "
            f"worker peak memory {before / 1024:,.0f} MB -> {after / 1024:,.0f} MB (+{(after - before) / 1024:,.0f} MB)"
        )
    finally:
        server.terminate()
        server.wait(timeout=30)


def _post_attachments(port: int, body_mb: int) -> tuple[str, int, float]:
    """A visitor's filing without a pass: ``body_mb`` MB of attachments in 10 MB "proof" files."""
    files = max(1, body_mb // 10)
    head = f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="category"\r\n\r\nip\r\n'.encode()
    part = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="proof"; filename="proof.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode()
    size = 10 << 20
    tail = f"--{BOUNDARY}--\r\n".encode()
    length = len(head) + files * (len(part) + size + 2) + len(tail)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    started, sent = time.perf_counter(), 0
    connection.putrequest("POST", "/api/reports")
    connection.putheader("Content-Type", f"multipart/form-data; boundary={BOUNDARY}")
    connection.putheader("Content-Length", str(length))
    connection.endheaders()
    chunk = bytes(1 << 20)
    try:
        connection.send(head)
        for _ in range(files):
            connection.send(part)
            for _ in range(size >> 20):
                connection.send(chunk)
                sent += len(chunk)
            connection.send(b"\r\n")
        connection.send(tail)
    except OSError:
        pass  # the server answered and closed without reading the rest
    try:
        response = connection.getresponse()
        status = f"HTTP {response.status} {response.read()[:60]!r}"
    except OSError as exc:
        status = f"connection closed ({exc.__class__.__name__})"
    return status, sent, time.perf_counter() - started


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def _worker_of(master: int) -> int:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        if children:
            return int(children[0])
        time.sleep(0.2)
    raise RuntimeError("no gunicorn worker")


def _peak_kb(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(next(line for line in status.splitlines() if line.startswith("VmHWM")).split()[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, help="another checkout to measure the report filing against")
    parser.add_argument("--cap", type=int, default=600, help="seconds after which the old decode is stopped")
    parser.add_argument("--body-mb", type=int, default=300)
    parser.add_argument("--skip-decode", action="store_true", help="do not measure the old in-request decode")
    args = parser.parse_args()
    scan_bomb(args.cap, args.skip_decode)
    print(f"POST /api/reports, {args.body_mb} MB of attachments, no email pass (gunicorn, 1 sync worker):")
    if args.before:
        report_body(args.before.resolve(), "before", args.body_mb)
    report_body(ROOT, "after ", args.body_mb)


if __name__ == "__main__":
    main()
