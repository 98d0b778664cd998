"""No archive outlives its account or its attempt (ACC-3, ACC-4): the sweep deletes the archives of closed
and anonymized accounts; a build that loses its claim deletes the file it stored; a large archive has time
to be built and its live build is not taken over."""

from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone

from inspiracle.accounts.models import User
from inspiracle.core.storage import private
from inspiracle.exports.models import Export
from inspiracle.exports.services import (
    STALE,
    _claim,
    export_build,
    export_request,
    exports_close,
    exports_stalled,
)
from inspiracle.exports.tasks import build_export, sweep

pytestmark = pytest.mark.django_db


def stored_files(root: Path) -> list[Path]:
    folder = root / "private" / "exports"
    return sorted(folder.iterdir()) if folder.exists() else []


def close(user: User, how: str, now) -> None:
    """Put ``user`` in one of the account states of ACC-3 (the dates kept together as the model requires)."""
    day = timedelta(days=1)
    changes = {
        "inactive": {"is_active": False},
        "anonymized": {
            "cancel_requested_at": now - 20 * day,
            "cancel_effective_at": now - 5 * day,
            "cancel_due_at": now - 5 * day,
            "anonymized_at": now - day,
        },
        "cooling_off_over": {
            "cancel_requested_at": now - 16 * day,
            "cancel_effective_at": now - timedelta(minutes=1),
            "cancel_due_at": now + 5 * day,
        },
        "cooling_off_running": {
            "cancel_requested_at": now - day,
            "cancel_effective_at": now + 14 * day,
            "cancel_due_at": now + 20 * day,
        },
    }[how]
    User.objects.filter(pk=user.pk).update(**changes)


@pytest.mark.parametrize("how", ["inactive", "anonymized", "cooling_off_over"])
def test_the_sweep_deletes_the_ready_archive_of_a_closed_account(
    ana, how, fresh_storage, django_capture_on_commit_callbacks
):
    """REQ: ACC-3, ACC-4 — a closed or anonymized account keeps no copy of its data, days before the
    archive's seven days are over."""
    with django_capture_on_commit_callbacks(execute=True):
        export, _ = export_request(user=ana)
    export.refresh_from_db()
    assert export.status == "ready" and len(stored_files(fresh_storage)) == 1
    close(ana, how, timezone.now())
    sweep()
    export.refresh_from_db()
    assert export.status == "expired" and export.file.name == "" and stored_files(fresh_storage) == []


def test_an_archive_is_kept_during_the_cooling_off(ana, fresh_storage, django_capture_on_commit_callbacks):
    """REQ: ACC-3 — the user may still withdraw the cancellation: their archive stays."""
    with django_capture_on_commit_callbacks(execute=True):
        export, _ = export_request(user=ana)
    close(ana, "cooling_off_running", timezone.now())
    sweep()
    export.refresh_from_db()
    assert export.status == "ready" and len(stored_files(fresh_storage)) == 1


def test_the_sweep_fails_the_builds_of_a_closed_account_and_queues_none_again(
    ana, ben, fresh_storage, django_capture_on_commit_callbacks, monkeypatch
):
    """REQ: ACC-3, ACC-4 — pending and dead builds of a closed account fail (their file deleted) instead of
    being queued again; a build message arriving later builds nothing."""
    start = timezone.now()
    with time_machine.travel(start, tick=False), django_capture_on_commit_callbacks(execute=False):
        pending, _ = export_request(user=ana)
        building, _ = export_request(user=ben)
        claimed = _claim(building.pk, "dead-worker", start)
        assert claimed is not None
        private.save(claimed.file.name, ContentFile(b"half an archive"))
    close(ana, "anonymized", start)
    close(ben, "inactive", start)
    queued: list[int] = []
    monkeypatch.setattr(build_export, "delay", queued.append)
    with time_machine.travel(start + STALE + timedelta(minutes=1), tick=False):
        sweep()
        assert export_build(export_id=pending.pk, claim="late-message") is None
    assert queued == []
    for export in (pending, building):
        export.refresh_from_db()
        assert export.status == "failed" and export.file.name == "" and export.claimed_by == ""
    assert stored_files(fresh_storage) == []


def test_a_build_message_for_a_closed_account_fails_it_without_building(
    ana, fresh_storage, django_capture_on_commit_callbacks
):
    """REQ: ACC-3, ACC-4"""
    with django_capture_on_commit_callbacks(execute=False) as queued:
        export, _ = export_request(user=ana)
    close(ana, "cooling_off_over", timezone.now())
    for callback in queued:
        callback()
    export.refresh_from_db()
    assert export.status == "failed" and stored_files(fresh_storage) == []


class TakenOverWhileUploading:
    """The private storage, but while the ZIP is being uploaded ``take_over`` happens (the sweep or another
    worker); then the upload succeeds or, with ``error``, fails after the file was stored."""

    def __init__(self, take_over, error: Exception | None = None):
        self.take_over, self.error = take_over, error

    def save(self, name, content):
        stored = private.save(name, content)
        self.take_over()
        if self.error is not None:
            raise self.error
        return stored

    def delete(self, name):
        private.delete(name)


def other_worker(export_id: int):
    """Another worker's claim, with its own file name (as ``_claim`` writes it)."""
    return lambda: Export.objects.filter(pk=export_id).update(
        claimed_by="other-worker", claimed_at=timezone.now(), file="exports/other-attempt.zip"
    )


@pytest.mark.parametrize("error", [None, OSError("connection reset after the upload")])
def test_a_build_that_loses_its_claim_after_storing_deletes_its_file(
    ana, error, fresh_storage, monkeypatch, django_capture_on_commit_callbacks
):
    """REQ: ACC-4 — the file name is random and this attempt's alone: when the row names another attempt's
    file by the time the upload returns (ClaimLost) or the upload fails, nobody else would ever delete it."""
    with django_capture_on_commit_callbacks(execute=False):
        export, _ = export_request(user=ana)
    monkeypatch.setattr(
        "inspiracle.exports.services.private", TakenOverWhileUploading(other_worker(export.pk), error)
    )
    assert export_build(export_id=export.pk, claim="this-worker") is None
    assert stored_files(fresh_storage) == []
    export.refresh_from_db()  # the row is the other worker's, untouched
    assert export.claimed_by == "other-worker" and export.file.name == "exports/other-attempt.zip"


def test_an_account_closed_while_its_archive_is_uploaded_keeps_no_file(
    ana, fresh_storage, monkeypatch, django_capture_on_commit_callbacks
):
    """REQ: ACC-3, ACC-4 — the sweep fails the build while it uploads; the build then deletes what it
    stored."""

    def closed_and_swept():
        close(ana, "inactive", timezone.now())
        assert exports_close() == 1

    with django_capture_on_commit_callbacks(execute=False):
        export, _ = export_request(user=ana)
    monkeypatch.setattr("inspiracle.exports.services.private", TakenOverWhileUploading(closed_and_swept))
    assert export_build(export_id=export.pk, claim="this-worker") is None
    export.refresh_from_db()
    assert export.status == "failed" and export.file.name == "" and stored_files(fresh_storage) == []


def test_the_build_job_has_its_own_longer_time_limits():
    """REQ: ACC-4 — the global 240 s / 300 s limits would kill every large archive."""
    assert settings.EXPORT_BUILD_TIME_LIMIT == 3600
    assert build_export.time_limit == settings.EXPORT_BUILD_TIME_LIMIT
    assert settings.CELERY_TASK_TIME_LIMIT < build_export.soft_time_limit < build_export.time_limit


def test_a_live_build_silent_for_minutes_is_not_taken_over(ana, django_capture_on_commit_callbacks):
    """REQ: ACC-4 — an upload of a large ZIP reports no progress; its claim goes stale only once the job's
    hard time limit has certainly ended it."""
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        with django_capture_on_commit_callbacks(execute=False):
            export, _ = export_request(user=ana)
        assert _claim(export.pk, "uploading-worker", start) is not None
    assert timedelta(seconds=build_export.time_limit) < STALE
    with time_machine.travel(start + timedelta(minutes=30), tick=False):
        assert exports_stalled() == []
        assert export_build(export_id=export.pk, claim="another") is None
    export.refresh_from_db()
    assert export.claimed_by == "uploading-worker"
    with time_machine.travel(start + STALE + timedelta(seconds=1), tick=False):
        assert exports_stalled() == [export.pk]
