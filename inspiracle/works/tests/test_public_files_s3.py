"""A published work's public derivative address on S3 (OPS-2): a redirect that browsers keep for a day to a signed
URL that lasts two, whose object answers with the year-long cache header (works/files.py, issue 14)."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from inspiracle.core.testing import image_bytes
from inspiracle.works.models import Work
from inspiracle.works.services import work_publish
from inspiracle.works.tests.test_public_files import addresses
from inspiracle.works.tests.test_s3 import expires_in, fetch, is_webp
from inspiracle.works.tests.test_upload import token_client, upload


@pytest.fixture(autouse=True)
def bucket(s3_storage):
    return s3_storage


@pytest.fixture
def uploaded(ana, django_capture_on_commit_callbacks) -> Work:
    """Ana's work of one PNG, through the API and the whole pipeline, awaiting review."""
    files = [("spring.png", image_bytes("PNG", seed=3))]
    response = upload(token_client(ana), files, django_capture_on_commit_callbacks)
    assert response.status_code == 201, response.content
    return Work.objects.get(pk=response.json()["id"])


def test_the_public_address_redirects_to_a_signed_url_that_browsers_keep(bucket, uploaded, mo):
    """REQ: OPS-2, WRK-3"""
    work = uploaded
    work_publish(actor=mo, work=work)
    [preview] = addresses(f"/works/{work.pk}/")
    response = Client().get(preview)
    assert response.status_code == 302
    assert response["Cache-Control"] == "public, max-age=86400"
    location = response["Location"]
    assert location.startswith(f"{bucket.endpoint}/{bucket.name}/private/works/{work.pk}/")
    assert expires_in(location) == 2 * 86400
    query = parse_qs(urlsplit(location).query)
    assert query["response-cache-control"] == ["public, max-age=31536000, immutable"]
    headers, data = fetch(location)
    assert is_webp(data) and headers["Cache-Control"] == "public, max-age=31536000, immutable"


def test_an_unpublished_work_has_no_public_address_on_s3(uploaded):
    """REQ: WRK-3, PRV-3"""
    work = uploaded
    row = work.files.get()
    assert not addresses(f"/works/{work.pk}/")
    assert Client().get(f"/works/public/{row.pk}/{'0' * 32}/preview.webp").status_code == 404
