"""Uploading works through the API and the pipeline that checks them, with a real ClamAV daemon."""

import io
import struct
import zlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from inspiracle.accounts.tokens import token_issue
from inspiracle.core.testing import EICAR, image_bytes, png_with_text_chunk
from inspiracle.pipeline import runner
from inspiracle.works.models import FileHashKey, Match, Work, WorkFile
from inspiracle.works.screening import screening_term_add
from inspiracle.works.services import work_publish


def token_client(user) -> Client:
    """A client with a token of ``user``: every scope the account may hold."""
    scopes = ["read", "write", "staff"] if user.is_staff else ["read", "write"]
    _token, raw = token_issue(user=user, name="test", scopes=scopes)
    return Client(headers={"Authorization": f"Bearer {raw}"})


def upload(client, files, django_capture_on_commit_callbacks, **fields):
    """POST a work as multipart and run what the commit starts (the pipeline, eagerly in tests)."""
    data = {
        "title": "Spring rain",
        "description": "Ink and watercolour.",
        "category": "illustration",
        "ai_use": "none",
        "rights_confirmed": "true",
        "tags": ["ink", "spring"],
        **fields,
        "files": [SimpleUploadedFile(name, content) for name, content in files],
    }
    with django_capture_on_commit_callbacks(execute=True):
        return client.post("/api/works", data)


def stored_files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


@pytest.fixture
def ana_api(ana):
    return token_client(ana)


def test_creator_uploads_through_the_api_and_the_work_awaits_review(
    ana, ana_api, django_capture_on_commit_callbacks
):
    """REQ: WRK-1, WRK-2, WRK-7
    GIVEN Ana, who accepted the agreements, with an API token
    WHEN she uploads two images with their details
    THEN the work is processing at once, then awaiting review, each file checked, scanned and fingerprinted."""
    response = upload(
        ana_api,
        [("one.png", image_bytes("PNG", seed=1)), ("two.jpg", image_bytes("JPEG", seed=2))],
        django_capture_on_commit_callbacks,
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "processing"
    assert body["tags"] == ["ink", "spring"]
    work = Work.objects.get(pk=body["id"])
    assert work.status == Work.Status.AWAITING_REVIEW
    assert work.upload_ip == "127.0.0.1" and work.uploaded_at and work.rights_confirmed_at
    got = ana_api.get(f"/api/works/{work.pk}").json()
    assert got["status"] == "awaiting_review"
    assert [f["format"] for f in got["files"]] == ["PNG", "JPEG"]
    assert {f["scan"] for f in got["files"]} == {"clean"}
    for row in work.files.all():
        assert row.status == WorkFile.Status.READY
        assert len(row.sha256) == 64 and row.phash is not None and row.dhash is not None
        # Every step, then the search for copies of a part that follows (jsonb does not keep key order).
        assert set(row.timings) == {name for name, _step in runner.STEPS} | {"copy search"}
        assert row.search_queued_at is None and not row.searching
        assert FileHashKey.objects.filter(file=row).exists()
    thumb = ana_api.get(got["files"][0]["thumbnail_url"])
    assert thumb.status_code == 200 and thumb["Content-Type"] == "image/webp"


def test_an_upload_with_missing_fields_says_what_is_wrong_and_stores_nothing(
    ana_api, fresh_storage, django_capture_on_commit_callbacks
):
    """REQ: WRK-1"""
    response = upload(
        ana_api,
        [("one.png", image_bytes("PNG"))],
        django_capture_on_commit_callbacks,
        title=" ",
        rights_confirmed="false",
    )
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert "title" in fields and "rights_confirmed" in fields
    assert not Work.objects.exists()
    assert stored_files(fresh_storage) == []


def test_upload_without_files_or_with_wrong_choices_is_refused(ana_api, django_capture_on_commit_callbacks):
    """REQ: WRK-1"""
    response = upload(ana_api, [], django_capture_on_commit_callbacks)
    assert response.status_code in (400, 422)
    response = upload(
        ana_api, [("a.png", image_bytes())], django_capture_on_commit_callbacks, category="weapons"
    )
    assert response.status_code in (400, 422)
    assert not Work.objects.exists()


def test_a_member_without_current_consent_cannot_upload(ana, ana_api, django_capture_on_commit_callbacks):
    """REQ: REG-3"""
    from inspiracle.agreements.models import Consent

    Consent.objects.filter(user=ana).delete()
    response = upload(ana_api, [("one.png", image_bytes())], django_capture_on_commit_callbacks)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "consent_required"
    assert not Work.objects.exists()


def test_malware_hidden_in_an_image_is_refused_with_its_signature_and_nothing_is_kept(
    ana_api, fresh_storage, django_capture_on_commit_callbacks
):
    """REQ: WRK-2"""
    response = upload(
        ana_api,
        [("clean.png", image_bytes()), ("cat.png", png_with_text_chunk(EICAR))],
        django_capture_on_commit_callbacks,
    )
    work = ana_api.get(f"/api/works/{response.json()['id']}").json()
    assert work["status"] == "rejected"
    refused = [f for f in work["files"] if f["status"] == "refused"]
    assert [f["refusal_code"] for f in refused] == ["malware"]
    assert "Malware signature Eicar-Test-Signature found" in refused[0]["refusal"]
    assert all(f["thumbnail_url"] is None for f in work["files"])
    assert stored_files(fresh_storage) == []


def _with_corrupt_pixels(png: bytes) -> bytes:
    """``png`` with its pixel data garbled but every chunk's checksum right: the structure check passes it,
    only the decode finds it damaged."""
    at = png.index(b"IDAT") - 4
    (length,) = struct.unpack(">I", png[at : at + 4])
    chunk = b"IDAT" + png[at + 8 : at + 10] + bytes(b ^ 0x5A for b in png[at + 10 : at + 8 + length])
    return (
        png[:at] + png[at : at + 4] + chunk + struct.pack(">I", zlib.crc32(chunk)) + png[at + 12 + length :]
    )


def test_malware_in_a_file_that_is_damaged_too_is_refused_as_malware(
    ana_api, fresh_storage, django_capture_on_commit_callbacks
):
    """REQ: WRK-2: the scan runs beside the decode (decision 0025), and its verdict still comes first."""
    response = upload(
        ana_api,
        [("cat.png", _with_corrupt_pixels(png_with_text_chunk(EICAR)))],
        django_capture_on_commit_callbacks,
    )
    row = WorkFile.objects.get(work_id=response.json()["id"])
    assert row.status == WorkFile.Status.REFUSED and row.refusal_code == "malware"
    assert stored_files(fresh_storage) == []


def test_a_damaged_file_is_not_judged_while_the_scanner_is_down(
    ana_api, settings, django_capture_on_commit_callbacks
):
    """REQ: WRK-2: with no verdict from the scanner the file waits for the retry, whatever the decode found."""
    settings.CLAMD_ADDRESS = "tcp://127.0.0.1:9"
    response = upload(
        ana_api, [("one.png", _with_corrupt_pixels(image_bytes()))], django_capture_on_commit_callbacks
    )
    row = WorkFile.objects.get(work_id=response.json()["id"])
    assert row.status == WorkFile.Status.PENDING and row.attempts == 0 and row.refusal_code == ""


def test_without_a_scanner_files_are_marked_not_scanned_never_silently_passed(
    settings, ana_api, client_for, mo, django_capture_on_commit_callbacks
):
    """REQ: WRK-2"""
    settings.CLAMD_ADDRESS = ""
    response = upload(ana_api, [("one.png", image_bytes())], django_capture_on_commit_callbacks)
    work = Work.objects.get(pk=response.json()["id"])
    assert work.status == Work.Status.AWAITING_REVIEW
    assert work.files.get().scan == WorkFile.Scan.NOT_SCANNED
    page = client_for(mo).get(f"/works/{work.pk}/")
    assert "Not scanned" in page.content.decode()


def test_derivatives_carry_no_metadata_and_originals_stay_byte_for_byte(
    ana, ana_api, django_capture_on_commit_callbacks
):
    """REQ: WRK-2, WRK-3"""
    image = Image.open(io.BytesIO(image_bytes("JPEG", size=(800, 600))))
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (39.0, 54.0, 26.0), 3: "E", 4: (116.0, 23.0, 29.0)}  # GPS: Beijing
    exif[0x010F] = "Camera maker"
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    response = upload(ana_api, [("gps.jpg", out.getvalue())], django_capture_on_commit_callbacks)
    work = ana_api.get(f"/api/works/{response.json()['id']}").json()
    for kind in ("thumbnail_url", "preview_url"):
        derivative = Image.open(io.BytesIO(b"".join(ana_api.get(work["files"][0][kind]).streaming_content)))
        assert not derivative.getexif()
        assert not {"exif", "xmp", "icc_profile"} & set(derivative.info)
    original = b"".join(ana_api.get(work["files"][0]["original_url"]).streaming_content)
    assert original == out.getvalue()


def test_copies_of_another_creators_work_are_matched_with_their_distance(
    ana_api, ben, django_capture_on_commit_callbacks
):
    """REQ: WRK-9
    GIVEN Ana's work
    WHEN Ben uploads the same file, and a half-size recompressed copy
    THEN the first is an exact match and the second a near-duplicate, both naming Ana's file."""
    original = image_bytes("PNG", size=(640, 480), seed=42)
    first = upload(ana_api, [("mine.png", original)], django_capture_on_commit_callbacks).json()
    smaller = io.BytesIO()
    Image.open(io.BytesIO(original)).resize((320, 240)).convert("RGB").save(smaller, "JPEG", quality=60)
    second = upload(
        token_client(ben),
        [("copy.png", original), ("smaller.jpg", smaller.getvalue()), ("other.png", image_bytes(seed=7))],
        django_capture_on_commit_callbacks,
    ).json()
    ana_file = WorkFile.objects.get(work_id=first["id"])
    matches = {m.file.original_name: m for m in Match.objects.filter(file__work_id=second["id"])}
    assert matches["copy.png"].kind == Match.Kind.EXACT and matches["copy.png"].other == ana_file
    assert matches["smaller.jpg"].kind == Match.Kind.NEAR and matches["smaller.jpg"].other == ana_file
    assert 0 <= matches["smaller.jpg"].distance <= 20
    assert "other.png" not in matches


def test_a_job_cut_off_half_way_runs_again_without_losing_or_duplicating_anything(
    ana, ana_api, fresh_storage, monkeypatch, django_capture_on_commit_callbacks
):
    """WHEN the worker dies after writing the derivatives but before recording them
    THEN the redelivered job finishes, with one copy of each derivative and one set of hash keys."""
    real_finish = runner._finish
    calls = {"n": 0}

    def dies_once(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise SystemExit("worker killed")
        return real_finish(*args, **kwargs)

    monkeypatch.setattr(runner, "_finish", dies_once)
    with pytest.raises(SystemExit):
        upload(ana_api, [("one.png", image_bytes())], django_capture_on_commit_callbacks)
    row = WorkFile.objects.get()
    assert row.status == WorkFile.Status.PENDING and row.attempts == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert runner.process_file(row.pk, token=row.claimed_by) == "ready"
    row.refresh_from_db()
    assert row.status == WorkFile.Status.READY and row.work.status == "awaiting_review"
    folder = Path(row.original.name).parent
    assert sorted(p.name for p in (fresh_storage / "private" / folder).iterdir()) == [
        "original",
        "preview.webp",
        "thumbnail.webp",
    ]
    assert FileHashKey.objects.filter(file=row).count() == len(
        set(FileHashKey.objects.values_list("key", flat=True))
    )


def test_a_claimed_file_is_left_to_its_live_job_and_a_done_file_is_not_redone(
    ana, ana_api, django_capture_on_commit_callbacks
):
    response = upload(ana_api, [("one.png", image_bytes())], django_capture_on_commit_callbacks)
    row = WorkFile.objects.get(work_id=response.json()["id"])
    assert runner.process_file(row.pk, token="another") == "skipped"
    WorkFile.objects.filter(pk=row.pk).update(
        status="pending", claimed_by="live-job", claimed_at=row.processed_at
    )
    assert runner.process_file(row.pk, token="another") == "skipped"


def test_a_file_that_kills_the_worker_again_and_again_is_refused(
    ana, ana_api, monkeypatch, django_capture_on_commit_callbacks
):
    """A poison file is not retried for ever: after the last attempt it is refused with a reason."""

    def crash(job):
        raise MemoryError

    monkeypatch.setattr(runner, "STEPS", [("crash", crash)])
    upload(ana_api, [("one.png", image_bytes())], django_capture_on_commit_callbacks)
    row = WorkFile.objects.get()
    assert row.status == WorkFile.Status.PENDING and row.attempts == 1
    WorkFile.objects.filter(pk=row.pk).update(attempts=runner.MAX_ATTEMPTS)
    with django_capture_on_commit_callbacks(execute=True):
        assert runner.process_file(row.pk, token=row.claimed_by) == "refused"
    work = Work.objects.get()
    assert work.status == Work.Status.REJECTED
    assert work.files.get().refusal_code == "damaged"


def test_titles_and_descriptions_are_screened_against_the_term_list(
    ana_api, mo, client_for, django_capture_on_commit_callbacks
):
    """REQ: MOD-3: found folded, and the reviewer is told where, in words of their language."""
    screening_term_add(actor=mo, term="Replica")
    response = upload(
        ana_api,
        [("one.png", image_bytes())],
        django_capture_on_commit_callbacks,
        title="ＲＥＰＬＩＣＡ watch design",
    )
    work = Work.objects.get(pk=response.json()["id"])
    assert work.screening_hits == [{"field": "title", "term": "Replica"}]
    assert "“Replica” in the title" in client_for(mo).get(f"/staff/review/{work.pk}/").content.decode()
    chinese = client_for(mo).get(f"/staff/review/{work.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "标题中的“Replica”" in chinese


def test_staff_publish_and_the_work_records_who_approved_it(ana_api, mo, django_capture_on_commit_callbacks):
    """REQ: WRK-7"""
    response = upload(ana_api, [("one.png", image_bytes())], django_capture_on_commit_callbacks)
    work = work_publish(actor=mo, work=Work.objects.get(pk=response.json()["id"]))
    assert work.status == "published" and work.published_by == mo and work.published_at


def test_a_member_cannot_publish(ana, ana_api, django_capture_on_commit_callbacks):
    response = upload(ana_api, [("one.png", image_bytes())], django_capture_on_commit_callbacks)
    refused = ana_api.post(f"/api/staff/works/{response.json()['id']}/publish")
    assert refused.status_code in (403, 404)
    assert Work.objects.get().status == "awaiting_review"


def test_ai_labels_embedded_in_a_file_are_read_and_a_mismatch_is_shown_to_staff(
    ana_api, mo, client_for, django_capture_on_commit_callbacks
):
    """REQ: WRK-11: a file whose IPTC digital source type says "AI-generated", declared as made without AI."""
    xmp = (
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        b'<rdf:Description xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/" '
        b'Iptc4xmpExt:DigitalSourceType="http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"/>'
        b"</rdf:RDF></x:xmpmeta>"
    )
    out = io.BytesIO()
    Image.open(io.BytesIO(image_bytes("JPEG"))).save(out, "JPEG", xmp=xmp)
    response = upload(
        ana_api, [("ai.jpg", out.getvalue())], django_capture_on_commit_callbacks, ai_use="none"
    )
    work = Work.objects.get(pk=response.json()["id"])
    assert work.files.get().ai_labels == ["iptc:trainedAlgorithmicMedia"]
    page = client_for(mo).get(f"/works/{work.pk}/").content.decode()
    assert "does not match the declaration (No AI)" in page
    assert "does not match" not in client_for(work.owner).get(f"/works/{work.pk}/").content.decode()
