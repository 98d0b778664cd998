"""Untrusted files read while someone waits (avatars, certificate scans, report documents) are decoded in a child
process under CPU, memory and time limits, never in the web worker (issue 10: two 20,000-scan JPEGs held both
web workers until gunicorn killed them)."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from inspiracle.core.testing import make_user
from inspiracle.pipeline import imaging, sandbox
from inspiracle.pipeline.documents import Upload, document_check
from inspiracle.pipeline.errors import FileRefused
from inspiracle.pipeline.tests.hostile.builders import encode, picture, progressive_scan_bomb

pytestmark = pytest.mark.django_db

SCAN_BOMB = progressive_scan_bomb(64, 64, 600)


def spin(*args, **kwargs):
    while True:
        pass


def test_a_job_that_runs_past_its_cpu_limit_is_stopped_and_refused_as_too_slow(settings):
    settings.DECODE_CPU_SECONDS = 1

    with pytest.raises(FileRefused) as refused:
        sandbox.run_limited(spin)

    assert refused.value.code == "too_slow" and refused.value.params == {"seconds": "1"}


def test_a_job_that_needs_more_memory_than_allowed_is_refused_with_that_reason(settings):
    settings.DECODE_MEMORY_BYTES = 64 * 1024 * 1024

    with pytest.raises(FileRefused) as refused:
        sandbox.run_limited(lambda: {"size": len(bytearray(512 * 1024 * 1024))})

    assert refused.value.code == "damaged"
    assert refused.value.params == {"detail": "reading it needs more memory than we allow"}


def test_a_refusal_in_the_child_reaches_the_caller_with_its_reason_and_an_answer_with_its_values():
    def refuse():
        raise FileRefused("too_many_frames", frames="301", limit="300")

    with pytest.raises(FileRefused) as refused:
        sandbox.run_limited(refuse)

    assert (refused.value.code, refused.value.params) == (
        "too_many_frames",
        {"frames": "301", "limit": "300"},
    )
    assert sandbox.run_limited(lambda: {"answer": [42]}) == {"answer": [42]}


def test_an_avatar_whose_decoding_never_ends_is_refused_when_its_limit_strikes(
    ana, client_for, settings, monkeypatch
):
    """REQ: WRK-2 -- the web worker waits on the child, and is free again at the limit."""
    settings.DECODE_CPU_SECONDS = 1
    monkeypatch.setattr(imaging, "decode", spin)

    response = client_for(ana).post(
        "/api/me/avatar", {"avatar": SimpleUploadedFile("me.png", encode(picture(), "PNG"))}
    )

    assert response.status_code == 400
    assert "longer than 1 seconds" in response.json()["error"]["message"]
    ana.profile.refresh_from_db()
    assert not ana.profile.avatar


def test_a_progressive_jpeg_with_too_many_scans_is_refused_as_avatar_certificate_and_report_document(
    ana, client_for, agreements
):
    """REQ: WRK-2, REG-5, RPT-3"""
    avatar = client_for(ana).post("/api/me/avatar", {"avatar": SimpleUploadedFile("me.jpg", SCAN_BOMB)})
    assert avatar.status_code == 400
    assert "600 progressive passes; the limit is 500" in avatar.json()["error"]["message"]

    acme = make_user("acme", kind="organization")
    certificate = client_for(acme).post(
        "/api/me/certificate", {"certificate": SimpleUploadedFile("scan.jpg", SCAN_BOMB)}
    )
    assert certificate.status_code == 400
    assert "600 progressive passes" in json.dumps(certificate.json(), ensure_ascii=False)
    assert acme.certificates.count() == 1  # the one from registration only

    with pytest.raises(Exception, match="600 progressive passes") as refused:
        document_check(Upload("identity", "id.jpg", SCAN_BOMB))
    assert "id.jpg" in str(refused.value)


def test_a_report_document_with_malware_in_a_compressed_text_chunk_is_refused():
    """REQ: RPT-3, WRK-2"""
    import zlib

    from inspiracle.pipeline.tests.hostile.builders import EICAR, png_chunk, png_with

    png = png_with(encode(picture(), "PNG"), png_chunk(b"zTXt", b"Comment\x00\x00" + zlib.compress(EICAR)))

    with pytest.raises(Exception, match="contains malware") as refused:
        document_check(Upload("proof", "proof.png", png))
    assert "Eicar" in str(refused.value)
