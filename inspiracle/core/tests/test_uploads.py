"""Multipart bodies with odd names and malformed parts: no file is lost without a word, and every refusal has a
reason in the request's format (issue 10)."""

import pytest
from django.conf import settings

from inspiracle.pipeline.tests.hostile.builders import encode, picture
from inspiracle.works.models import Work
from inspiracle.works.tests.test_upload import token_client

pytestmark = pytest.mark.django_db

BOUNDARY = "----inspiracle-test-boundary"
FIELDS = {"title": "Odd names", "category": "illustration", "ai_use": "none", "rights_confirmed": "true"}
PNG = encode(picture(), "PNG")


def multipart(files: list[tuple[str, bytes]], fields: dict = FIELDS) -> bytes:
    """A body written by hand: the test client would never send these file names."""
    parts = [
        f'Content-Disposition: form-data; name="{name}"\r\n\r\n{value}'.encode()
        for name, value in fields.items()
    ]
    for filename, data in files:
        head = f'Content-Disposition: form-data; name="files"; filename="{filename}"\r\n'
        parts.append(head.encode() + b"Content-Type: image/png\r\n\r\n" + data)
    body = b"".join(f"--{BOUNDARY}\r\n".encode() + part + b"\r\n" for part in parts)
    return body + f"--{BOUNDARY}--\r\n".encode()


def post(client, path: str, body: bytes):
    return client.post(path, body, content_type=f"multipart/form-data; boundary={BOUNDARY}")


@pytest.mark.parametrize("filename", ["..", ".", "/"])
def test_a_file_whose_name_is_no_file_name_is_kept_under_a_name_of_ours(
    filename, ana, django_capture_on_commit_callbacks
):
    """REQ: WRK-1, WRK-2 -- the type comes from the content, never the name; Django dropped these files and the
    uploader read that no file was sent."""
    with django_capture_on_commit_callbacks(execute=True):
        response = post(token_client(ana), "/api/works", multipart([(filename, PNG)]))

    assert response.status_code == 201, response.json()
    row = Work.objects.get().files.get()
    assert row.original_name == "unnamed" and row.status == row.Status.READY


def test_a_file_sent_with_an_empty_name_is_refused_with_that_reason_not_read_as_text(ana):
    """REQ: WRK-1 -- Django read its bytes as a text field, and the uploader read that no file was sent."""
    response = post(token_client(ana), "/api/works", multipart([("", PNG)]))

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "bad_upload" and "“files” was sent without a file name" in error["message"]
    assert not Work.objects.exists()


def test_an_empty_file_input_of_a_browser_form_is_still_no_file_at_all(
    ana, django_capture_on_commit_callbacks
):
    """Browsers send an unused file input as an empty part with an empty file name: that is not an error."""
    with django_capture_on_commit_callbacks(execute=True):
        response = post(token_client(ana), "/api/works", multipart([("", b""), ("rain.png", PNG)]))

    assert response.status_code == 201, response.json()
    assert Work.objects.get().files.get().original_name == "rain.png"


def test_a_part_header_over_1_kb_gets_a_json_reason_on_the_api_and_a_page_elsewhere(ana, client_for):
    """REQ: UX-2 -- Django answered its bare HTML 400 on the JSON API."""
    body = multipart([("x" * 1500 + ".png", PNG)])

    api = post(token_client(ana), "/api/works", body)
    assert api.status_code == 400 and api["Content-Type"].startswith("application/json")
    assert (
        api.json()["error"]["code"] == "bad_upload" and "longer than 1 KB" in api.json()["error"]["message"]
    )

    page = post(client_for(ana), "/works/new/", body)
    assert page.status_code == 400 and page["Content-Type"].startswith("text/html")
    assert "longer than 1 KB" in page.content.decode()
    assert not Work.objects.exists()


def test_a_file_one_byte_over_the_limit_is_not_called_as_large_as_the_limit(ana, settings):
    """REQ: WRK-1 -- "50 MB; the limit is 50 MB" for 50 MB and 1 byte."""
    settings.WORK_FILE_MAX_BYTES = 50 * 1024 * 1024
    body = multipart([("big.png", PNG + bytes(settings.WORK_FILE_MAX_BYTES + 1 - len(PNG)))])

    response = post(token_client(ana), "/api/works", body)

    assert response.status_code == 400
    message = response.json()["error"]["fields"]["files"][0]
    assert "52,428,801 bytes; the limit is 52,428,800 bytes" in message, message


def test_the_upload_handlers_keep_files_past_the_memory_limit_on_disk():
    assert settings.FILE_UPLOAD_HANDLERS[0] == "inspiracle.core.uploads.OddNamesKept"
    assert "django.core.files.uploadhandler.TemporaryFileUploadHandler" in settings.FILE_UPLOAD_HANDLERS
