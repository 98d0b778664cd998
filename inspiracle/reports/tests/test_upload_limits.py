"""Filing through the API: who is asking is settled before the body is read, and attached documents are read
one at a time and never past their limit (issue 10: a 300 MB filing without a pass grew a worker by 225 MB)."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.http.multipartparser import MultiPartParser
from django.test import Client

from inspiracle.reports.services import ReportInput, report_file
from inspiracle.reports.tests.test_flow import email_pass

pytestmark = pytest.mark.django_db

BIG = 300 * 1024  # over the fields-only allowance: a body that carries files


@pytest.fixture
def body_never_read(monkeypatch):
    def parse(self):
        raise AssertionError("the body was read")

    monkeypatch.setattr(MultiPartParser, "parse", parse)


def attachment(size: int = BIG) -> SimpleUploadedFile:
    return SimpleUploadedFile("proof.pdf", b"%PDF-1.4\n" + bytes(size), content_type="application/pdf")


def test_a_visitor_without_a_pass_is_refused_before_the_body_with_its_files_is_read(body_never_read):
    """REQ: RPT-1"""
    response = Client().post("/api/reports", {"category": "ip", "proof": attachment()})

    assert response.status_code == 401
    error = response.json()["error"]
    assert error["code"] == "email_unverified" and "X-Email-Pass" in error["message"]


def test_a_wrong_pass_in_the_header_is_refused_before_the_body_is_read(body_never_read):
    """REQ: RPT-1"""
    response = Client().post(
        "/api/reports", {"category": "ip", "proof": attachment()}, headers={"X-Email-Pass": "forged"}
    )

    assert response.status_code == 401 and response.json()["error"]["code"] == "email_unverified"


def test_a_report_addressed_with_a_wrong_key_is_not_found_before_the_body_is_read(
    django_capture_on_commit_callbacks, monkeypatch
):
    """REQ: RPT-1, PRV-3"""
    token = email_pass("rita@example.com", django_capture_on_commit_callbacks)
    report = report_file(reporter=None, email_pass=token, data=ReportInput(category="ip"))
    monkeypatch.setattr(MultiPartParser, "parse", lambda self: pytest.fail("the body was read"))

    response = Client().post(f"/api/reports/{report.reference}?key=wrong", {"proof": attachment()})

    assert response.status_code == 404


def test_a_visitor_with_a_pass_in_the_form_may_still_send_fields_alone(django_capture_on_commit_callbacks):
    """REQ: RPT-1 -- the form field stays usable for small bodies, so existing clients keep working."""
    token = email_pass("rita@example.com", django_capture_on_commit_callbacks)

    response = Client().post("/api/reports", {"category": "privacy", "email_pass": token})

    assert response.status_code == 201, response.json()


def test_attached_documents_are_read_one_at_a_time_never_past_their_limit(
    django_capture_on_commit_callbacks, settings, monkeypatch
):
    """REQ: RPT-3 -- files over FILE_UPLOAD_MAX_MEMORY_SIZE wait on disk; the check reads at most the limit
    and one byte of each."""
    settings.REPORT_EVIDENCE_MAX_BYTES = 1024 * 1024
    token = email_pass("rita@example.com", django_capture_on_commit_callbacks)
    reads = []

    def reader(upload):  # Django's uploaded files hand out their file's read() through a property
        def read(size=-1):
            reads.append(size)
            return upload.file.read(size)

        return read

    monkeypatch.setattr(TemporaryUploadedFile, "read", property(reader), raising=False)

    response = Client().post(
        "/api/reports",
        {"category": "privacy", "proof": [attachment(6 * 1024 * 1024), attachment(100)]},
        headers={"X-Email-Pass": token},
    )

    assert response.status_code == 400
    assert "larger than 1 MB" in json.dumps(response.json())
    assert reads and all(0 < size <= 1024 * 1024 + 1 for size in reads), reads
