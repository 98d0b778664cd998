"""`serve` on the embedded default (SQLite broker) against a slow file and a killed worker. Prints figures.

Run: uv run --offline python bench/serve_recovery.py [--limit 10]

Starts `inspiracle serve` in a temporary data folder with CELERY_TASK_TIME_LIMIT=--limit (the default is 300 s;
a shorter one keeps the run short, the mechanism is the same), then:
1. uploads a progressive JPEG that takes about 30 s to decode, and an ordinary photo right after it: how long the
   photo took to reach review while the slow file ran, and when the slow file was refused (issue 10: with the
   solo pool a bomb ran 346 s past the 300 s limit, was accepted, and every upload behind it waited);
2. uploads the slow file again and kills the worker's main process (SIGKILL) once the file is claimed: whether
   the web kept answering, how long until a new worker was up, how many beat processes ran, and how long until
   the file was taken up again (issue 10: 6 minutes; the SQLite broker never hands the message back).
"""

import argparse
import io
import os
import signal
import sqlite3
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.pipeline_baseline import photo_like  # noqa: E402
from bench.upload_latency import Server, call, multipart, token  # noqa: E402
from inspiracle.pipeline.tests.slow_jpeg import slow_progressive_jpeg  # noqa: E402


def upload(base: str, auth: str, name: str, content: bytes) -> int:
    fields = {"title": name, "category": "illustration", "ai_use": "none", "rights_confirmed": "true"}
    body, content_type = multipart(fields, [("files", name, content)])
    headers = {"Authorization": f"Bearer {auth}", "Content-Type": content_type}
    return call("POST", f"{base}/api/works", body=body, headers=headers)["id"]


def file_row(database: Path, work_id: int) -> tuple[str, int, str]:
    with sqlite3.connect(database, timeout=10) as db:
        return db.execute(
            "SELECT status, attempts, refusal_code FROM works_workfile WHERE work_id = ?", (work_id,)
        ).fetchone()


def wait(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(0.05)
    raise RuntimeError(f"timed out after {seconds} s waiting for {what}")


def processes(data_dir: Path, word: str) -> list[tuple[int, int]]:
    """(pid, parent pid) of this installation's celery processes of one kind (worker or beat)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            if f"celery -A config {word}" not in cmdline:
                continue
            if f"INSPIRACLE_DATA_DIR={data_dir}".encode() not in (entry / "environ").read_bytes():
                continue
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError):
            continue
        found.append((int(entry.name), parent))
    return found


def memory_mb(pids: list[int], field: str) -> float:
    """Resident memory from smaps_rollup: "Rss" counts pages a forked pool shares with its parent in every
    process, "Pss" divides them among their sharers (what the processes together cost the machine)."""
    total = 0
    for pid in pids:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith(f"{field}:"):
                total += int(line.split()[1])
    return total / 1024


def main_worker(data_dir: Path) -> int | None:
    workers = processes(data_dir, "worker")
    pids = {pid for pid, _ in workers}
    mains = [pid for pid, parent in workers if parent not in pids]
    return mains[0] if len(mains) == 1 else None


def web_answers(base: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base}/health/", timeout=2) as response:  # noqa: S310 - loopback
            return response.status == 200
    except OSError:
        return False


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=int, default=10, help="the hard time limit in seconds")
    args = parser.parse_args()
    os.environ.update(CELERY_TASK_TIME_LIMIT=str(args.limit), CELERY_TASK_SOFT_TIME_LIMIT="0")
    slow = slow_progressive_jpeg(size=6000, scans=400)
    buffer = io.BytesIO()
    photo_like(4000, 3000, seed=3).save(buffer, "JPEG", quality=90)
    photo = buffer.getvalue()
    with tempfile.TemporaryDirectory(prefix="inspiracle-recovery-") as folder:
        data_dir = Path(folder)
        server = Server(data_dir)
        try:
            print(f"serve ready in {server.wait_ready():.1f} s; hard time limit {args.limit} s")
            database = data_dir / "inspiracle.sqlite3"
            workers = [pid for pid, _ in processes(data_dir, "worker")]
            beat = [pid for pid, _ in processes(data_dir, "beat")]
            print(
                f"memory at rest: worker, {len(workers)} processes: RSS {memory_mb(workers, 'Rss'):.0f} MB, PSS "
                f"{memory_mb(workers, 'Pss'):.0f} MB; beat: RSS {memory_mb(beat, 'Rss'):.0f} MB, PSS "
                f"{memory_mb(beat, 'Pss'):.0f} MB"
            )
            auth = token(server.base)

            started = time.monotonic()
            slow_work = upload(server.base, auth, "slow.jpg", slow)
            wait(lambda: file_row(database, slow_work)[1] >= 1, 30, "the slow file to be claimed")
            photo_work = upload(server.base, auth, "photo.jpg", photo)
            wait(lambda: file_row(database, photo_work)[0] == "ready", 60, "the photo to be checked")
            photo_s = time.monotonic() - started
            slow_state = file_row(database, slow_work)[0]
            wait(
                lambda: file_row(database, slow_work)[0] == "refused", args.limit + 60, "the slow file's end"
            )
            print(
                f"1. photo checked {photo_s:.1f} s after the slow upload (slow file then: {slow_state}); slow file "
                f"refused ({file_row(database, slow_work)[2]}) {time.monotonic() - started:.1f} s after its upload"
            )

            again = upload(server.base, auth, "slow-again.jpg", slow)
            wait(lambda: file_row(database, again)[1] >= 1, 30, "the file to be claimed")
            killed = wait(lambda: main_worker(data_dir), 10, "the worker's main process")
            os.kill(killed, signal.SIGKILL)
            died = time.monotonic()
            web_up = all(web_answers(server.base) or time.sleep(0.2) for _ in range(10))
            new = wait(
                lambda: (pid := main_worker(data_dir)) not in (None, killed) and pid, 60, "a new worker"
            )
            new_s = time.monotonic() - died
            wait(lambda: file_row(database, again)[1] >= 2, 120, "the file to be taken up again")
            resumed_s = time.monotonic() - died
            beats = len(processes(data_dir, "beat"))
            print(
                f"2. worker {killed} killed: web answered throughout: {web_up}; new worker {new} after {new_s:.1f} s; "
                f"beat processes: {beats}; the file was taken up again {resumed_s:.1f} s after the kill"
            )
        finally:
            server.stop()


if __name__ == "__main__":
    main()
