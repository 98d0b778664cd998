"""The time limits hold where uploads are checked: a real prefork worker (as `serve` and `worker` run it)
kills a run that outlives the hard limit and refuses its file, while another upload goes through."""

import os
import time
import uuid

import pytest
from celery import Celery
from django.core.files.uploadedfile import SimpleUploadedFile

from inspiracle.core.testing import image_bytes, make_user
from inspiracle.pipeline.tests.slow_jpeg import slow_progressive_jpeg
from inspiracle.pipeline.tests.test_worker_killed import BROKER, start_worker
from inspiracle.works import services
from inspiracle.works.models import WorkFile

HARD_LIMIT = 3


def _upload(owner, name: str, content: bytes) -> WorkFile:
    return services.work_create(
        owner=owner,
        title=name,
        category="illustration",
        ai_use="none",
        rights_confirmed=True,
        files=[SimpleUploadedFile(name, content)],
    ).files.get()


@pytest.mark.django_db(transaction=True)
def test_a_run_past_the_hard_limit_is_killed_and_refused_while_another_upload_goes_through(
    agreements, fresh_storage, monkeypatch
):
    """REQ: WRK-2
    GIVEN a prefork worker with two processes and a hard limit of 3 s, a JPEG that takes about 6 s to decode
    queued first and an ordinary image of another user queued next
    WHEN the worker runs them THEN the ordinary image is accepted while the slow one still runs, and the slow
    one is killed at the limit and refused with a reason ("too_slow"), not accepted, not retried."""
    monkeypatch.setattr(services, "_enqueue", lambda rows: None)  # sent below, to this test's own queue
    slow = _upload(make_user("ana", email="ana@example.com"), "slow.jpg", slow_progressive_jpeg())
    plain = _upload(make_user("ben", email="ben@example.com"), "plain.png", image_bytes("PNG"))
    queue = f"limit-test-{uuid.uuid4().hex[:8]}"
    sender = Celery("limit-test", broker=BROKER, set_as_current=False)
    for row in (slow, plain):
        sender.send_task(
            "pipeline.process_file", args=[row.pk], queue=queue, task_id=f"task-{row.pk}-{queue}"
        )

    worker = start_worker(
        queue,
        fresh_storage,
        pool=("--pool=prefork", "--concurrency=2", "-Ofair"),
        # No soft limit: the hard limit itself is under test.
        env={"CELERY_TASK_TIME_LIMIT": str(HARD_LIMIT), "CELERY_TASK_SOFT_TIME_LIMIT": "0"},
    )
    plain_done_while_slow_ran = False
    try:
        deadline = time.monotonic() + 90
        while not WorkFile.objects.filter(pk=slow.pk, status=WorkFile.Status.REFUSED).exists():
            if worker.poll() is not None:
                pytest.fail(f"the worker exited: {worker.stderr.read().decode()[-2000:]}")
            if time.monotonic() > deadline:
                pytest.fail("the slow file was not refused within 90 s")
            if (
                not plain_done_while_slow_ran
                and WorkFile.objects.filter(pk=plain.pk, status="ready").exists()
            ):
                plain_done_while_slow_ran = WorkFile.objects.get(pk=slow.pk).status == WorkFile.Status.PENDING
            time.sleep(0.05)
    finally:
        os.killpg(worker.pid, 9)
        worker.wait(10)
    slow.refresh_from_db()
    plain.refresh_from_db()
    assert plain.status == WorkFile.Status.READY and plain_done_while_slow_ran
    assert slow.refusal_code == "too_slow" and slow.refusal_params == {"seconds": str(HARD_LIMIT)}
    assert slow.attempts == 1 and not slow.original
