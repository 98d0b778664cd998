"""Every file of the hostile corpus, uploaded through the API and run through the whole pipeline with a real
ClamAV daemon: no crash, no 500, nothing published, a clear reason for each refusal, no leftover files."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from inspiracle.pipeline.tests.hostile import hostile_cases
from inspiracle.works.models import FileHashKey, Work
from inspiracle.works.tests.test_upload import stored_files, token_client

CASES = hostile_cases()


def test_the_corpus_is_large_and_varied():
    """REQ: WRK-2"""
    assert len(CASES) >= 40
    assert len({c.id for c in CASES}) == len(CASES)
    assert {c.expect for c in CASES} >= {
        None,
        "not_image",
        "hidden_content",
        "too_many_pixels",
        "damaged",
        "malware",
    }


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_a_hostile_file_is_refused_with_its_reason_or_processed_safely(
    case, ana, settings, fresh_storage, django_capture_on_commit_callbacks
):
    """REQ: WRK-2, WRK-3"""
    if case.max_bytes:
        settings.WORK_FILE_MAX_BYTES = case.max_bytes
    client = token_client(ana)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/works",
            {
                "title": "Hostile",
                "category": "other",
                "ai_use": "none",
                "rights_confirmed": "true",
                "files": [SimpleUploadedFile(case.filename, case.data)],
            },
        )
    assert response.status_code in (201, 400), response.content
    if response.status_code == 400:
        # Refused at the door (the size limit): a reason, and nothing stored.
        assert case.expect == "too_large"
        assert "limit" in response.json()["error"]["fields"]["files"][0]
        assert not Work.objects.exists() and stored_files(fresh_storage) == []
        return
    work = Work.objects.get(pk=response.json()["id"])
    assert work.status != Work.Status.PUBLISHED
    row = work.files.get()
    if case.expect is None:
        assert work.status == Work.Status.AWAITING_REVIEW, row.refusal_message
        for kind in ("thumbnail", "preview"):
            derivative = Image.open(
                io.BytesIO(
                    b"".join(client.get(f"/api/works/{work.pk}/files/{row.pk}/{kind}").streaming_content)
                )
            )
            assert derivative.format == "WEBP"
            assert not derivative.getexif() and "exif" not in derivative.info
        assert "/" not in row.original_name and "\x00" not in row.original_name
        return
    assert work.status == Work.Status.REJECTED
    assert row.refusal_code == case.expect, row.refusal_message
    message = client.get(f"/api/works/{work.pk}").json()["files"][0]["refusal"]
    assert message and "Error" not in message and "Traceback" not in message
    assert stored_files(fresh_storage) == []
    assert not FileHashKey.objects.exists()


def test_every_reason_the_corpus_produces_reads_in_chinese(tmp_path):
    """REQ: WRK-2, UX-1: the phrases inside a reason ("a ZIP archive") are translated too."""
    from django.utils import translation

    from inspiracle.pipeline.checks import inspect_upload
    from inspiracle.pipeline.errors import PHRASE_PARAMS, FileRefused
    from inspiracle.pipeline.phrases import PHRASES

    path = tmp_path / "upload"
    for case in CASES:
        path.write_bytes(case.data)
        try:
            inspect_upload(
                path,
                name=case.filename,
                max_bytes=case.max_bytes or 50_000_000,
                max_pixels=50_000_000,
                max_frames=300,
            )
        except FileRefused as refusal:
            for key in PHRASE_PARAMS:
                value = refusal.params.get(key)
                if value and refusal.code != "unsupported_image":
                    assert value in PHRASES, (case.id, value)
            with translation.override("zh-hans"):
                assert "图" in refusal.message or "文件" in refusal.message, refusal.message
