"""Edges found in review: failures between steps, races with the owner, floods and odd input."""

import pytest
from django.test import Client
from django.utils import timezone

from inspiracle.agreements.models import Consent
from inspiracle.core.testing import image_bytes
from inspiracle.pipeline import runner, tasks
from inspiracle.works import services
from inspiracle.works.models import FileHashKey, Work, WorkFile
from inspiracle.works.services import work_publish, work_update
from inspiracle.works.tests.test_hostile import CASES
from inspiracle.works.tests.test_upload import stored_files, token_client, upload


def test_a_broker_that_is_down_does_not_undo_a_committed_upload(
    ana, monkeypatch, fresh_storage, django_capture_on_commit_callbacks
):
    """The upload is kept, with its file; the stalled-job sweep queues it when the broker is back."""

    def broker_down(*args, **kwargs):
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr(tasks.process_file, "delay", broker_down)
    response = upload(token_client(ana), [("one.png", image_bytes())], django_capture_on_commit_callbacks)
    assert response.status_code == 201
    row = WorkFile.objects.get()
    assert row.status == WorkFile.Status.PENDING and row.original.storage.exists(row.original.name)


def test_a_work_deleted_while_its_file_is_checked_keeps_nothing(
    ana, monkeypatch, fresh_storage, django_capture_on_commit_callbacks
):
    """REQ: WRK-8"""
    monkeypatch.setattr(services, "_enqueue", lambda rows: None)
    client = token_client(ana)
    response = upload(client, [("one.png", image_bytes())], django_capture_on_commit_callbacks)
    row = WorkFile.objects.get(work_id=response.json()["id"])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.delete(f"/api/works/{row.work_id}").status_code == 204
    runner.process_file(row.pk)
    assert stored_files(fresh_storage) == []
    assert not FileHashKey.objects.exists()
    assert WorkFile.objects.get(pk=row.pk).status == WorkFile.Status.PENDING


def test_a_rejected_work_goes_to_review_only_with_new_files(ana, mo, django_capture_on_commit_callbacks):
    """REQ: WRK-2: a new title does not carry refused files to review."""
    zip_case = next(c for c in CASES if c.expect == "not_image")
    response = upload(
        token_client(ana), [(zip_case.filename, zip_case.data)], django_capture_on_commit_callbacks
    )
    work = Work.objects.get(pk=response.json()["id"])
    assert work.status == "rejected"
    work = work_update(actor=ana, work=work, changes={"title": "Try again"})
    assert work.status == "rejected"
    with pytest.raises(services.ApplicationError):
        work_publish(actor=mo, work=work)
    from django.core.files.uploadedfile import SimpleUploadedFile

    with django_capture_on_commit_callbacks(execute=True):
        work_update(actor=ana, work=work, changes={}, files=[SimpleUploadedFile("ok.png", image_bytes())])
    assert Work.objects.get(pk=work.pk).status == "awaiting_review"


def test_staff_publish_only_the_revision_they_looked_at(ana, mo, django_capture_on_commit_callbacks):
    response = upload(token_client(ana), [("one.png", image_bytes())], django_capture_on_commit_callbacks)
    work = Work.objects.get(pk=response.json()["id"])
    seen = work.revision
    work_update(actor=ana, work=work, changes={"description": "Changed after the reviewer opened it."})
    with pytest.raises(services.ApplicationError, match="changed this work"):
        work_publish(actor=mo, work=work, revision=seen)
    assert Work.objects.get(pk=work.pk).status == "awaiting_review"


def test_a_flood_of_tags_is_refused_at_once(ana, django_capture_on_commit_callbacks):
    client = token_client(ana)
    many = upload(
        client,
        [("one.png", image_bytes())],
        django_capture_on_commit_callbacks,
        tags=[str(i) for i in range(100)],
    )
    assert many.status_code == 400 and "tags" in many.json()["error"]["fields"]
    too_many_fields = upload(
        client,
        [("one.png", image_bytes())],
        django_capture_on_commit_callbacks,
        tags=[str(i) for i in range(5000)],
    )
    assert too_many_fields.status_code == 400 and too_many_fields.json()["error"]["code"] == "too_large"
    assert not Work.objects.exists()
    work = upload(client, [("one.png", image_bytes())], django_capture_on_commit_callbacks).json()
    flood = client.patch(
        f"/api/works/{work['id']}",
        {"tags": [str(i) for i in range(200_000)]},
        content_type="application/json",
    )
    assert flood.status_code == 400 and "tags" in flood.json()["error"]["fields"]


def test_nul_characters_never_reach_the_database(ana, django_capture_on_commit_callbacks):
    # The API refuses them by name, as the pages' forms do (core.api.ApiParser).
    response = upload(
        token_client(ana),
        [("one.png", image_bytes())],
        django_capture_on_commit_callbacks,
        title="Night\x00fall",
        tags=["a\x00b"],
    )
    assert response.status_code == 422
    assert set(response.json()["error"]["fields"]) == {"title", "tags.0"}
    assert not Work.objects.exists()
    public = Client().get("/api/works/public?q=a\x00b&tag=x\x00")
    assert public.status_code == 422 and set(public.json()["error"]["fields"]) == {"q", "tag"}
    assert Client().get("/gallery/?q=a\x00b").status_code == 200
    assert Client().get("/api/works/public?page=100000000000000000000").status_code == 422


def test_a_scanner_outage_is_retried_and_ends_as_scan_failed_not_as_a_damaged_file(
    ana, settings, django_capture_on_commit_callbacks
):
    """REQ: WRK-2"""
    settings.CLAMD_ADDRESS = "tcp://127.0.0.1:9"
    response = upload(token_client(ana), [("one.png", image_bytes())], django_capture_on_commit_callbacks)
    row = WorkFile.objects.get(work_id=response.json()["id"])
    # The first run found no scanner: the file waits for the retry, and the attempt was not counted. The claim
    # stays with the task until its retry is due, so the stalled-file sweep does not start a second run.
    assert row.status == WorkFile.Status.PENDING and row.attempts == 0 and row.claimed_at > timezone.now()
    assert runner.stalled_files() == []
    with django_capture_on_commit_callbacks(execute=True):
        retry = tasks.process_file.apply(args=[row.pk], retries=tasks.SCANNER_RETRIES, task_id=row.claimed_by)
        assert retry.get() == "refused"
    row.refresh_from_db()
    assert row.status == WorkFile.Status.REFUSED and row.refusal_code == "scan_failed"
    assert "not reachable" in row.refusal_message
    assert Work.objects.get(pk=row.work_id).status == "rejected"


def test_a_member_without_current_consent_may_still_delete_a_work(ana, django_capture_on_commit_callbacks):
    """REQ: REG-3: withdrawing a work is always possible."""
    client = token_client(ana)
    response = upload(client, [("one.png", image_bytes())], django_capture_on_commit_callbacks)
    Consent.objects.filter(user=ana).delete()
    assert (
        client.patch(
            f"/api/works/{response.json()['id']}", {"title": "x"}, content_type="application/json"
        ).status_code
        == 403
    )
    assert client.delete(f"/api/works/{response.json()['id']}").status_code == 204


def test_the_public_record_of_a_work_omits_the_uploads_file_name(ana, mo, django_capture_on_commit_callbacks):
    """REQ: PRV-3"""
    response = upload(
        token_client(ana), [("张三_IMG_home.png", image_bytes())], django_capture_on_commit_callbacks
    )
    work_publish(actor=mo, work=Work.objects.get(pk=response.json()["id"]))
    public = Client().get(f"/api/works/{response.json()['id']}").json()
    assert public["files"][0]["name"] == "" and public["files"][0]["scan"] == ""
    assert (
        token_client(ana).get(f"/api/works/{response.json()['id']}").json()["files"][0]["name"]
        == "张三_IMG_home.png"
    )


def test_staff_publish_from_the_console_never_redirects_off_site_and_hides_from_members(
    ana, mo, cy, client_for, django_capture_on_commit_callbacks
):
    response = upload(token_client(ana), [("one.png", image_bytes())], django_capture_on_commit_callbacks)
    url = f"/staff/works/{response.json()['id']}/publish/"
    assert client_for(cy).post(url).status_code == 404
    assert client_for(cy).post("/staff/works/999999/publish/").status_code == 404
    published = client_for(mo).post(url, {"next": "https://evil.example/phish"})
    assert published.status_code == 302 and published["Location"] == "/staff/works/"
    assert Work.objects.get(pk=response.json()["id"]).status == "published"


def test_a_request_larger_than_any_upload_is_refused_before_it_is_read(ana, settings, client_for):
    """WRK-1: a clear refusal, in the API's shape or as a page, and nothing stored."""
    settings.REQUEST_MAX_BYTES = 1000
    client = token_client(ana)
    response = client.post("/api/works", {"title": "x" * 5000})
    assert response.status_code == 413 and response.json()["error"]["code"] == "too_large"
    page = client_for(ana).post("/works/new/", {"title": "x" * 5000})
    assert page.status_code == 413 and "at most" in page.content.decode()
    assert not Work.objects.exists()


def test_a_work_deleted_in_the_middle_of_its_job_keeps_nothing(
    ana, monkeypatch, fresh_storage, django_capture_on_commit_callbacks
):
    """REQ: WRK-8: the job finds its work gone when it records the outcome, and removes what it stored."""
    monkeypatch.setattr(services, "_enqueue", lambda rows: None)
    response = upload(token_client(ana), [("one.png", image_bytes())], django_capture_on_commit_callbacks)
    work = Work.objects.get(pk=response.json()["id"])

    def owner_deletes(job):
        with django_capture_on_commit_callbacks(execute=True):
            services.work_delete(actor=ana, work=work)

    steps = list(runner.STEPS)
    steps.insert(len(steps) - 1, ("owner deletes", owner_deletes))
    monkeypatch.setattr(runner, "STEPS", steps)
    assert runner.process_file(work.files.get().pk) == "skipped"
    assert stored_files(fresh_storage) == []
    assert not FileHashKey.objects.exists()
