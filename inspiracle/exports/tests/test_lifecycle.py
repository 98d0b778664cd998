"""An archive's life (ACC-4) through the API and the page: asked for, built with progress, announced,
downloaded through its signed link, expired after 7 days; the limit of two a day; one at a time; a build
that fails or whose worker died starts again cleanly, with no file left behind."""

import io
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from inspiracle.audit.models import AuditEvent
from inspiracle.core.storage import private
from inspiracle.exports import sections
from inspiracle.exports.models import Export
from inspiracle.exports.services import MAX_ATTEMPTS, STALE, _claim, export_build, export_request
from inspiracle.exports.tasks import sweep
from inspiracle.notifications.models import Notification
from inspiracle.outbox.models import OutboxMessage

pytestmark = pytest.mark.django_db
API = "/api/account/exports"


def stored_files(root: Path) -> list[Path]:
    folder = root / "private" / "exports"
    return sorted(folder.iterdir()) if folder.exists() else []


def actions(export: Export) -> list[str]:
    return list(
        AuditEvent.objects.filter(target_type="exports.Export", target_id=str(export.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )


def test_an_archive_is_asked_for_built_announced_and_downloaded_through_the_api(
    ana, client_for, django_capture_on_commit_callbacks
):
    """REQ: ACC-4"""
    client = client_for(ana)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(API)
    assert response.status_code == 202, response.content
    export_id = response.json()["id"]

    shown = client.get(f"{API}/{export_id}").json()
    assert shown["status"] == "ready" and shown["steps_done"] == shown["steps_total"] > 10
    assert client.get(API).json()["items"][0]["id"] == export_id
    notice = Notification.objects.get(user=ana, template="export_ready")
    assert notice.link == reverse("exports:list")
    assert OutboxMessage.objects.filter(kind="notifications.notice").count() == 1

    download = client.get(shown["download_url"])
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"
    assert download["Cache-Control"] == "private, no-store"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    assert "README.txt" in archive.namelist() and "account.json" in archive.namelist()
    export = Export.objects.get(pk=export_id)
    assert export.downloads == 1 and export.downloaded_at is not None
    assert actions(export) == [
        "exports.requested",
        "exports.build_started",
        "exports.built",
        "exports.downloaded",
    ]


def test_the_page_asks_for_an_archive_and_shows_the_link_once_ready(
    ana, client_for, django_capture_on_commit_callbacks
):
    client = client_for(ana)
    page = client.get(reverse("exports:list"))
    assert page.status_code == 200 and b"You have not asked" in page.content
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(reverse("exports:new"))
    assert response.status_code == 302
    building = client.get(reverse("exports:list"))
    assert b'http-equiv="refresh"' in building.content and b"Step 0 of" in building.content
    for callback in queued:
        callback()
    ready = client.get(reverse("exports:list"))
    export = Export.objects.get(user=ana)
    assert b'http-equiv="refresh"' not in ready.content
    link = reverse("exports:download", args=[export.pk, "x"]).rsplit("x/", 1)[0]
    assert link.encode() in ready.content


def test_only_one_archive_is_built_at_a_time(ana, client_for, django_capture_on_commit_callbacks):
    """REQ: ACC-4 — asking again while one is being built answers with that one (200), creating nothing."""
    client = client_for(ana)
    with django_capture_on_commit_callbacks(execute=False):
        first = client.post(API)
        second = client.post(API)
    assert (first.status_code, second.status_code) == (202, 200)
    assert first.json()["id"] == second.json()["id"]
    assert Export.objects.filter(user=ana).count() == 1


def test_two_archives_a_day_then_429_with_retry_after(ana, client_for, django_capture_on_commit_callbacks):
    """REQ: ACC-4"""
    client = client_for(ana)
    with time_machine.travel(timezone.now(), tick=False):
        for _ in range(2):
            with django_capture_on_commit_callbacks(execute=True):
                assert client.post(API).status_code == 202
        refused = client.post(API)
        assert refused.status_code == 429 and int(refused["Retry-After"]) > 23 * 3600
        assert refused.json()["error"]["code"] == "throttled"
        page = client.post(reverse("exports:new"))
        assert page.status_code == 429 and "Retry-After" in page and b"two archives a day" in page.content
    assert Export.objects.filter(user=ana).count() == 2
    with (
        time_machine.travel(timezone.now() + timedelta(days=1, minutes=1), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert client.post(API).status_code == 202


def test_an_archive_expires_after_seven_days_and_its_file_is_deleted(
    ana, client_for, fresh_storage, django_capture_on_commit_callbacks
):
    """REQ: ACC-4"""
    client = client_for(ana)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            export_id = client.post(API).json()["id"]
        url = client.get(f"{API}/{export_id}").json()["download_url"]
    assert len(stored_files(fresh_storage)) == 1
    with time_machine.travel(start + timedelta(days=6, hours=23), tick=False):
        sweep()
        assert Export.objects.get(pk=export_id).status == "ready"
    with time_machine.travel(start + timedelta(days=7, minutes=1), tick=False):
        assert client.get(url).status_code == 404  # past its time even before the sweep ran
        assert sweep() == 1
    export = Export.objects.get(pk=export_id)
    assert export.status == "expired" and export.file.name == "" and stored_files(fresh_storage) == []
    assert actions(export)[-1] == "exports.expired"
    assert client.get(url).status_code == 404


def test_a_forged_or_foreign_link_is_refused(ana, client_for, django_capture_on_commit_callbacks):
    client = client_for(ana)
    with django_capture_on_commit_callbacks(execute=True):
        export_id = client.post(API).json()["id"]
    url = client.get(f"{API}/{export_id}").json()["download_url"]
    token = url.rstrip("/").rsplit("/", 1)[1]
    assert client.get(f"{API}/{export_id}/download/{token}x").status_code == 404
    assert client.get(reverse("exports:download", args=[export_id, "forged"])).status_code == 404
    assert client.get(reverse("exports:download", args=[export_id, token])).status_code == 200


def test_a_build_that_fails_restarts_from_scratch_and_leaves_no_file(
    ana, fresh_storage, monkeypatch, django_capture_on_commit_callbacks
):
    """REQ: ACC-4 — a crash mid-build leaves no partial file; the sweep restarts it; after MAX_ATTEMPTS it
    is marked failed, still without a file."""

    def broken(user):
        raise RuntimeError("disk full")

    failing = sections.Section("works.json", "fails half-way", broken)
    monkeypatch.setattr("inspiracle.exports.builder.SECTIONS", (*sections.SECTIONS[:3], failing))
    start = timezone.now()
    with time_machine.travel(start, tick=False), django_capture_on_commit_callbacks(execute=True):
        export, _ = export_request(user=ana)
    export.refresh_from_db()
    assert export.status == "building" and export.claimed_by == "" and export.file.name == ""
    assert stored_files(fresh_storage) == []
    for attempt in range(2, MAX_ATTEMPTS + 2):
        with time_machine.travel(start + timedelta(minutes=10 * attempt), tick=False):
            sweep()
    export.refresh_from_db()
    assert export.status == "failed" and export.attempts == MAX_ATTEMPTS and stored_files(fresh_storage) == []
    assert actions(export)[-1] == "exports.failed"


def test_a_build_whose_worker_died_after_storing_is_taken_over_without_an_orphan(
    ana, fresh_storage, django_capture_on_commit_callbacks
):
    """REQ: ACC-4 — the row names its file before the upload, so the restart deletes what the dead worker
    stored and ends with exactly one archive."""
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        with django_capture_on_commit_callbacks(execute=False):
            export, _ = export_request(user=ana)
        claimed = _claim(export.pk, "dead-worker", start)
        assert claimed is not None
        private.save(claimed.file.name, ContentFile(b"half an archive"))
        assert export_build(export_id=export.pk, claim="another") is None  # the claim is still fresh
    with time_machine.travel(start + STALE + timedelta(minutes=1), tick=False):
        sweep()
    export.refresh_from_db()
    assert export.status == "ready" and export.attempts == 2
    assert [p.name for p in stored_files(fresh_storage)] == [Path(export.file.name).name]
    assert zipfile.is_zipfile(fresh_storage / "private" / export.file.name)


def test_the_list_costs_the_same_queries_however_many_archives(
    ana, client_for, django_assert_num_queries, django_capture_on_commit_callbacks
):
    client = client_for(ana)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(API)
    client.get(API)  # the session's first touch
    with django_assert_num_queries(4):  # session, user, its standing, the archives
        assert len(client.get(API).json()["items"]) == 1
    with (
        time_machine.travel(timezone.now() + timedelta(hours=1)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        client.post(API)
    with django_assert_num_queries(4):
        assert len(client.get(API).json()["items"]) == 2
