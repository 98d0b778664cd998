"""The disclosure cast: Lee records, Lena (a second legal officer) or Ada (an admin) approves."""

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from inspiracle.core.testing import PDF, make_user
from inspiracle.disclosure.services.requests import RequestInput, request_record
from inspiracle.pipeline.documents import Upload


@pytest.fixture
def lena(agreements):
    return make_user("lena", role="legal_officer")


def request_input(**changes) -> RequestInput:
    values: dict[str, Any] = {
        "authority": "Beijing Municipal Public Security Bureau",
        "legal_basis": "Cybersecurity Law art. 28",
        "authority_reference": "JG-2026-0042",
        "usernames": "ana",
        "kinds": ["registration", "content", "publication_times", "ip_addresses"],
        "period_from": dt.date(2026, 1, 1),
        "period_to": dt.date(2026, 12, 31),
        "deadline": dt.date(2027, 1, 15),
        "notice_prohibited": False,
        "document": Upload("document", "letter.pdf", PDF),
    }
    return RequestInput(**(values | changes))


def document_file(name: str = "letter.pdf", data: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


@pytest.fixture
def recorded(lee, ana):
    """``recorded(**changes)``: a request Lee recorded (about Ana unless told otherwise)."""

    def recorded(**changes):
        return request_record(by=lee, data=request_input(**changes))

    return recorded
