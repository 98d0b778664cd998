"""Liveness and readiness (OPS-3): what a load balancer, an orchestrator and ``serve`` ask."""

import logging
import threading

import pytest
from celery import current_app
from django.test import Client

from inspiracle.core import health

pytestmark = pytest.mark.django_db

ALL_OK = {"database": "ok", "broker": "ok", "storage": "ok", "scanner": "ok"}


def test_liveness_answers_without_touching_the_database(django_assert_num_queries):
    """REQ: OPS-3: a database outage must not make the orchestrator restart healthy processes."""
    with django_assert_num_queries(0):
        response = Client().get("/health/live")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_readiness_checks_database_broker_storage_and_scanner():
    """REQ: OPS-3"""
    response = Client().get("/health/ready")
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "checks": ALL_OK, "failed": []}
    assert response["Cache-Control"] == "no-store"


def test_the_old_health_address_still_answers_as_readiness():
    """REQ: OPS-3: monitors set up before the split keep working."""
    response = Client().get("/health/")
    assert response.status_code == 200 and response.json()["checks"] == ALL_OK


def test_without_a_scanner_configured_readiness_says_so_and_is_ready(settings):
    """REQ: OPS-3: the embedded default has no clamd; files are marked "not scanned" for the reviewer."""
    settings.CLAMD_ADDRESS = ""
    response = Client().get("/health/ready")
    assert response.status_code == 200 and response.json()["checks"]["scanner"] == "not configured"


def test_a_scanner_that_is_down_makes_the_instance_not_ready_and_is_named(settings):
    """REQ: OPS-3: uploads cannot be checked, so the instance is not ready."""
    settings.CLAMD_ADDRESS = "tcp://127.0.0.1:9"
    response = Client().get("/health/ready")
    assert response.status_code == 503
    assert response.json()["status"] == "not ready"
    assert response.json()["failed"] == ["scanner"]
    assert response.json()["checks"] == {**ALL_OK, "scanner": "failed"}


def test_a_broker_that_is_down_makes_the_instance_not_ready(monkeypatch):
    """REQ: OPS-3: jobs (checks of uploads, e-mails) could not be queued."""
    monkeypatch.setitem(current_app.conf, "broker_url", "amqp://guest:secret-pw@127.0.0.1:9//")
    response = Client().get("/health/ready")
    assert response.status_code == 503 and response.json()["failed"] == ["broker"]


def test_a_storage_folder_that_cannot_be_written_makes_the_instance_not_ready(settings, tmp_path):
    """REQ: OPS-3"""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the storage's folder should be")
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": blocker / "private"},
        },
    }
    response = Client().get("/health/ready")
    assert response.status_code == 503 and response.json()["failed"] == ["storage"]


def test_a_storage_folder_not_made_yet_is_ready_when_it_can_be_made(settings, tmp_path):
    """A fresh install has no media folder until the first upload: that is not an outage."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "new" / "media"},
        },
    }
    assert Client().get("/health/ready").status_code == 200


def test_a_check_that_hangs_is_reported_as_a_timeout_within_the_bound(settings, monkeypatch):
    """REQ: OPS-3: a probe gets an answer within the timeout whatever hangs behind it."""
    settings.HEALTH_CHECK_TIMEOUT = 0.2
    release = threading.Event()
    monkeypatch.setattr(health, "_scanner", lambda: release.wait(30))
    try:
        response = Client().get("/health/ready")
    finally:
        release.set()
    assert response.status_code == 503
    assert response.json()["checks"]["scanner"] == "timeout" and response.json()["failed"] == ["scanner"]


def test_readiness_on_s3_asks_the_bucket(s3_storage, s3_client):
    """REQ: OPS-3, OPS-2: on S3 the bucket must exist and answer."""
    assert Client().get("/health/ready").json()["checks"]["storage"] == "ok"
    s3_client.delete_bucket(Bucket=s3_storage.name)
    try:
        response = Client().get("/health/ready")
    finally:
        s3_client.create_bucket(Bucket=s3_storage.name)
    assert response.status_code == 503 and response.json()["failed"] == ["storage"]


@pytest.mark.parametrize("path", ["/health/live", "/health/ready", "/health/"])
def test_probes_over_plain_http_by_address_are_answered_not_redirected_or_logged_as_errors(
    path, settings, caplog
):
    """REQ: OPS-3, PRV-2: in production every page redirects to HTTPS and refuses unknown host names; a
    probe asks over HTTP by the instance's address and still gets its answer, with no ERROR logged."""
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["inspiracle.example"]
    client = Client(HTTP_HOST="10.0.3.7:8000")
    with caplog.at_level(logging.INFO):
        response = client.get(path)
    assert response.status_code == 200, response
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []
    # The same request for a page is redirected (HTTPS) and refused (unknown host) as before.
    assert client.get("/", secure=True).status_code == 400
    assert Client(HTTP_HOST="inspiracle.example").get("/").status_code == 301
