"""A real Celery worker, on a real broker (RabbitMQ), killed with SIGKILL in the middle of a job: the message
comes back, a second worker takes the file over and finishes it, and nothing is lost or duplicated."""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from celery import Celery
from django.conf import settings
from django.db import connection

from inspiracle.core.testing import image_bytes, make_user
from inspiracle.works import services
from inspiracle.works.models import FileHashKey, Work, WorkFile

BROKER = os.environ.get("TEST_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672//")
ROOT = Path(__file__).resolve().parents[3]


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def start_worker(
    queue: str, data_dir: Path, *, pool: tuple[str, ...] = ("--pool=solo",), env: dict | None = None
) -> subprocess.Popen:
    """A Celery worker process on the real broker, consuming only ``queue``."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": BROKER,
        "INSPIRACLE_DATA_DIR": str(data_dir),
        "CLAMD_ADDRESS": settings.CLAMD_ADDRESS,
        "LOG_LEVEL": "WARNING",
        **(env or {}),
    }
    # A node name of its own: a killed worker's exclusive control queue lingers until the broker notices.
    argv = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "config",
        "worker",
        *pool,
        "-Q",
        queue,
        "--without-heartbeat",
        "-n",
        f"{queue}-{uuid.uuid4().hex[:6]}@%h",
    ]
    return subprocess.Popen(
        argv, cwd=ROOT, env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )


def _wait(condition, *, seconds: float, what: str, worker: subprocess.Popen):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if worker.poll() is not None:
            assert worker.stderr is not None  # started with stderr=PIPE
            pytest.fail(
                f"the worker exited while waiting for {what}: {worker.stderr.read().decode()[-2000:]}"
            )
        result = condition()
        if result:
            return result
        time.sleep(0.01)
    pytest.fail(f"timed out waiting for {what}")


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_job_loses_nothing_and_duplicates_nothing(agreements, fresh_storage, monkeypatch):
    """REQ: WRK-2, OPS-2
    GIVEN a 12-megapixel file queued on RabbitMQ and a worker that has claimed it
    WHEN the worker is killed (SIGKILL) before it finishes
    THEN the broker hands the same message to a new worker, which takes the file back and finishes it:
    one set of derivatives, one set of hash keys, the work awaiting review."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    monkeypatch.setattr(services, "_enqueue", lambda rows: None)  # sent below, to this test's own queue
    ana = make_user("ana")
    work = services.work_create(
        owner=ana,
        title="Killed half-way",
        category="illustration",
        ai_use="none",
        rights_confirmed=True,
        files=[SimpleUploadedFile("big.jpg", image_bytes("JPEG", size=(4000, 3000), seed=5, quality=95))],
    )
    row = work.files.get()
    queue = f"kill-test-{uuid.uuid4().hex[:8]}"
    # Not the current app: the suite's own tasks must stay eager after this test.
    sender = Celery("kill-test", broker=BROKER, set_as_current=False)
    sender.send_task("pipeline.process_file", args=[row.pk], queue=queue, task_id=f"task-{row.pk}-{queue}")

    first = start_worker(queue, fresh_storage)
    try:
        _wait(
            lambda: WorkFile.objects.filter(pk=row.pk).exclude(claimed_by="").exists(),
            seconds=60,
            what="the first worker to claim the file",
            worker=first,
        )
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(10)
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)
    killed = WorkFile.objects.get(pk=row.pk)
    assert killed.status == WorkFile.Status.PENDING and killed.attempts == 1

    second = start_worker(queue, fresh_storage)
    try:
        _wait(
            lambda: WorkFile.objects.filter(pk=row.pk, status=WorkFile.Status.READY).exists(),
            seconds=120,
            what="the second worker to finish the file",
            worker=second,
        )
        _wait(
            lambda: Work.objects.filter(pk=work.pk, status=Work.Status.AWAITING_REVIEW).exists(),
            seconds=30,
            what="the work to reach review",
            worker=second,
        )
    finally:
        os.killpg(second.pid, signal.SIGKILL)
        second.wait(10)
    done = WorkFile.objects.get(pk=row.pk)
    assert done.attempts == 2
    folder = fresh_storage / "private" / Path(done.original.name).parent
    assert sorted(p.name for p in folder.iterdir()) == ["original", "preview.webp", "thumbnail.webp"]
    keys = list(FileHashKey.objects.filter(file=done).values_list("key", flat=True))
    assert keys and len(keys) == len(set(keys))
