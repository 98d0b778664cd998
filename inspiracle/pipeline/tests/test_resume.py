"""A file whose worker died is resumed within a minute, whatever the broker did with the message: a live
run renews its claim (the heartbeat), a claim that stopped beating is taken over by the sweep."""

import time
from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from config.celery import app
from inspiracle.core.testing import image_bytes
from inspiracle.pipeline import runner, tasks
from inspiracle.works import services
from inspiracle.works.models import WorkFile


def upload_unqueued(owner) -> WorkFile:
    return services.work_create(
        owner=owner,
        title="Spring rain",
        category="illustration",
        ai_use="none",
        rights_confirmed=True,
        files=[SimpleUploadedFile("rain.png", image_bytes("PNG"))],
    ).files.get()


def test_a_file_whose_worker_died_is_taken_over_within_a_minute(
    ana, monkeypatch, django_capture_on_commit_callbacks
):
    """REQ: WRK-2, OPS-2
    GIVEN a file claimed by a run whose worker was killed (the embedded SQLite broker never gives the message
    back) WHEN the sweep runs on its schedule THEN the file runs again within a minute of the death, and not
    while the claim still beats."""
    monkeypatch.setattr(services, "_enqueue", lambda rows: None)
    row = upload_unqueued(ana)
    died = row.uploaded_at
    WorkFile.objects.filter(pk=row.pk).update(claimed_by="killed-task", claimed_at=died, attempts=1)
    with time_machine.travel(died + runner.STALE - timedelta(seconds=1), tick=False):
        assert runner.stalled_files() == []  # a live run beat at most HEARTBEAT ago
    sweep_every = app.conf.beat_schedule["pipeline-requeue-stalled"]["schedule"]
    assert runner.HEARTBEAT * 3 <= runner.STALE and runner.STALE + timedelta(seconds=sweep_every) < timedelta(
        minutes=1
    )
    with (
        time_machine.travel(died + runner.STALE + timedelta(seconds=1), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert tasks.requeue_stalled() == 1
    row.refresh_from_db()
    assert row.status == WorkFile.Status.READY and row.attempts == 2


@pytest.mark.django_db(transaction=True)
def test_a_live_run_keeps_its_claim_fresh_while_a_step_takes_long(agreements, monkeypatch):
    """A step that spends long in one call (a big decode) does not make its run look dead."""
    from inspiracle.core.testing import make_user

    monkeypatch.setattr(services, "_enqueue", lambda rows: None)
    monkeypatch.setattr(runner, "HEARTBEAT", timedelta(milliseconds=50))
    row = upload_unqueued(make_user("ana", email="ana@example.com"))
    seen = []

    def slow_step(job):
        first = WorkFile.objects.get(pk=job.file.pk).claimed_at
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            time.sleep(0.05)
            now = WorkFile.objects.get(pk=job.file.pk).claimed_at
            if now > first:
                seen.append(now - first)
                return
        pytest.fail("the claim was not renewed while the step ran")

    monkeypatch.setattr(runner, "STEPS", [("slow", slow_step), *runner.STEPS])
    assert runner.process_file(row.pk, token="live-task") == "ready"
    assert seen and WorkFile.objects.get(pk=row.pk).claimed_by == ""
