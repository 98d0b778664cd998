"""Works on S3-compatible object storage (OPS-2), against moto's S3 server on loopback.

Every test here runs with both storages on a fresh bucket (the ``s3_storage`` fixture of
``inspiracle.pipeline.pytest_s3``). Files are never public: the views check access and then redirect to a
signed URL that expires in minutes (WRK-3, PRV-3).
"""

import time
import urllib.request
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.test import Client
from django.utils import timezone

from inspiracle.core.testing import image_bytes
from inspiracle.pipeline.orphans import orphan_files, orphans_delete
from inspiracle.pipeline.tests.hostile import zipped
from inspiracle.works.models import Work, WorkFile
from inspiracle.works.services import work_publish
from inspiracle.works.tests.test_upload import token_client, upload

FILE_KINDS = ("thumbnail", "preview", "original")

# Straight to the S3 server, as a browser following the redirect would: no Django, and no proxy.
_direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def fetch(url: str):
    assert url.startswith("http://127.0.0.1:")  # loopback only
    with _direct.open(url, timeout=5) as response:
        return response.headers, response.read()


def expires_in(url: str) -> float:
    """Seconds until a signed URL stops working, for SigV4 (X-Amz-Expires) and SigV2 (Expires) alike."""
    query = parse_qs(urlsplit(url).query)
    if "X-Amz-Expires" in query:
        return int(query["X-Amz-Expires"][0])
    return int(query["Expires"][0]) - time.time()


def is_webp(data: bytes) -> bool:
    return data[:4] == b"RIFF" and data[8:12] == b"WEBP"


@pytest.fixture(autouse=True)
def bucket(s3_storage):
    return s3_storage


@pytest.fixture
def ana_api(ana):
    return token_client(ana)


@pytest.fixture
def uploaded(ana_api, django_capture_on_commit_callbacks):
    """Ana's work of one PNG, through the API and the whole pipeline; the work and its file's URLs."""
    response = upload(
        ana_api, [("spring.png", image_bytes("PNG", seed=3))], django_capture_on_commit_callbacks
    )
    assert response.status_code == 201, response.content
    work = Work.objects.get(pk=response.json()["id"])
    urls = {kind: f"/api/works/{work.pk}/files/{work.files.get().pk}/{kind}" for kind in FILE_KINDS}
    return work, urls


def test_the_private_storage_keeps_its_files_in_the_bucket_under_private(bucket):
    """REQ: OPS-2, PRV-3"""
    storage = storages["private"]
    name = storage.save("certificates/7/certificate.pdf", ContentFile(b"%PDF-1.7 test"))
    assert bucket.object_keys() == ["private/certificates/7/certificate.pdf"]
    with storage.open(name, "rb") as stored:
        assert stored.read() == b"%PDF-1.7 test"
    assert storage.listdir("certificates") == (["7"], [])
    assert storage.listdir("certificates/7") == ([], ["certificate.pdf"])
    # Never overwritten: a second file under the same name gets a name of its own.
    second = storage.save(name, ContentFile(b"another"))
    assert second != name and len(bucket.object_keys("private/certificates/7/")) == 2
    # Objects are private to the account; only signed URLs open them.
    grants = bucket.client.get_object_acl(Bucket=bucket.name, Key=f"private/{name}")["Grants"]
    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]
    assert all("URI" not in grant["Grantee"] for grant in grants)  # no AllUsers / AuthenticatedUsers
    storage.delete(name)
    storage.delete(second)
    assert bucket.object_keys() == []


def test_the_default_storage_keeps_its_files_under_media(bucket):
    """REQ: OPS-2"""
    storages["default"].save("avatars/ana.webp", ContentFile(b"RIFF"))
    assert bucket.object_keys() == ["media/avatars/ana.webp"]


def test_an_upload_is_checked_from_the_bucket_and_its_derivatives_land_next_to_the_original(bucket, uploaded):
    """REQ: OPS-2, WRK-2, WRK-3
    GIVEN both storages on S3
    WHEN Ana uploads a work through the API
    THEN the pipeline fetches the original from the bucket, the work awaits review, and the original and both
    derivatives sit together under private/works/<work id>/."""
    work, _urls = uploaded
    assert work.status == Work.Status.AWAITING_REVIEW
    row = work.files.get()
    assert row.status == WorkFile.Status.READY and row.scan == WorkFile.Scan.CLEAN
    folder = row.original.name.rsplit("/", 1)[0]
    assert folder.startswith(f"works/{work.pk}/")
    assert bucket.object_keys(f"private/works/{work.pk}/") == [
        f"private/{folder}/original",
        f"private/{folder}/preview.webp",
        f"private/{folder}/thumbnail.webp",
    ]
    assert (row.thumbnail.name, row.preview.name) == (f"{folder}/thumbnail.webp", f"{folder}/preview.webp")


def test_the_owner_is_sent_to_a_short_lived_signed_url_for_a_thumbnail(bucket, uploaded, ana_api):
    """REQ: OPS-2, WRK-3, PRV-3"""
    work, urls = uploaded
    response = ana_api.get(urls["thumbnail"])
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(f"{bucket.endpoint}/{bucket.name}/private/works/{work.pk}/")
    assert 0 < expires_in(location) <= 300
    assert response["Cache-Control"] == "private, no-store"
    headers, data = fetch(location)
    assert is_webp(data) and headers["Content-Type"] == "image/webp"
    stored = bucket.client.get_object(Bucket=bucket.name, Key=f"private/{work.files.get().thumbnail.name}")
    assert data == stored["Body"].read()


def test_a_stranger_and_a_visitor_get_nothing_of_an_unpublished_work(uploaded, cy):
    """REQ: WRK-3, PRV-3"""
    _work, urls = uploaded
    for client in (token_client(cy), Client()):
        for kind in FILE_KINDS:
            assert client.get(urls[kind]).status_code == 404, kind


def test_once_published_a_visitor_is_redirected_to_the_derivatives_but_never_to_the_original(uploaded, mo):
    """REQ: OPS-2, WRK-3
    GIVEN Ana's work on S3, published by Mo
    WHEN a visitor asks for its files
    THEN thumbnail and preview redirect to signed URLs that shared caches may keep; the original is not found."""
    work, urls = uploaded
    work_publish(actor=mo, work=work)
    visitor = Client()
    for kind in ("thumbnail", "preview"):
        response = visitor.get(urls[kind])
        assert response.status_code == 302, kind
        assert response["Cache-Control"] == "private, no-store"
        assert is_webp(fetch(response["Location"])[1])
    assert visitor.get(urls["original"]).status_code == 404


def test_the_signed_url_of_an_original_downloads_it_under_its_uploaded_name(uploaded, ana_api):
    """REQ: WRK-3"""
    _work, urls = uploaded
    response = ana_api.get(urls["original"])
    assert response.status_code == 302
    query = parse_qs(urlsplit(response["Location"]).query)
    assert query["response-content-disposition"] == ["attachment; filename*=UTF-8''spring.png"]
    headers, data = fetch(response["Location"])
    assert headers["Content-Disposition"].startswith("attachment")
    assert data == image_bytes("PNG", seed=3)


def test_deleting_a_work_removes_its_objects_from_the_bucket(
    bucket, uploaded, ana_api, django_capture_on_commit_callbacks
):
    """REQ: OPS-2, WRK-8"""
    work, urls = uploaded
    assert len(bucket.object_keys(f"private/works/{work.pk}/")) == 3
    with django_capture_on_commit_callbacks(execute=True):
        assert ana_api.delete(f"/api/works/{work.pk}").status_code == 204
    assert bucket.object_keys(f"private/works/{work.pk}/") == []
    assert ana_api.get(urls["thumbnail"]).status_code == 404


def test_a_refused_file_leaves_no_object_in_the_bucket(bucket, ana_api, django_capture_on_commit_callbacks):
    """REQ: OPS-2, WRK-2"""
    png = image_bytes("PNG", seed=4)
    response = upload(ana_api, [("photo.png", zipped("photo.png", png))], django_capture_on_commit_callbacks)
    work = Work.objects.get(pk=response.json()["id"])
    assert work.status == Work.Status.REJECTED
    assert work.files.get().refusal_code == "not_image"
    assert bucket.object_keys() == []


def test_an_object_no_row_refers_to_is_found_after_the_grace_period_and_removed(bucket, uploaded):
    """REQ: OPS-2
    GIVEN Ana's work on S3, and an object under private/works/ that no row refers to
    WHEN the orphan sweep runs two hours later
    THEN it finds that object only, and deleting what it found leaves Ana's files alone."""
    work, _urls = uploaded
    bucket.client.put_object(Bucket=bucket.name, Key="private/works/999/stray/original", Body=b"left behind")
    assert orphan_files() == []  # younger than the grace period: its upload may still be committing
    found = orphan_files(now=timezone.now() + timedelta(hours=2))
    assert found == [("private", "works/999/stray/original")]
    orphans_delete(found)
    assert bucket.object_keys("private/works/999/") == []
    assert len(bucket.object_keys(f"private/works/{work.pk}/")) == 3
