"""The API refuses what it cannot take with a JSON answer naming the field, and never answers an HTML page or
a server error (UX-2)."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from inspiracle.accounts.models import OrganizationCertificate, User
from inspiracle.core.testing import PASSWORD, PDF, accepted_labels
from inspiracle.notifications.models import Notification
from inspiracle.works.tests.test_upload import token_client

TOO_BIG = 2**63  # one past the largest id a 64-bit key holds


def patch(client, url, data):
    return client.patch(url, json.dumps(data), content_type="application/json")


def refused(response, *fields):
    assert response.status_code == 422, response.content
    assert response["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert set(error["fields"]) == set(fields)
    return error


@pytest.mark.parametrize("field", ["bio", "location", "website", "display_name", "show_bio"])
def test_a_null_profile_field_is_refused_by_name_and_nothing_changes(ana, field):
    """REQ: REG-6, UX-2. {"bio": null} reached a NOT NULL column: an IntegrityError and an HTML 500 page."""
    client = token_client(ana)
    before = client.get("/api/me/profile").json()
    refused(patch(client, "/api/me/profile", {"bio": "still here", field: None}), field)
    assert client.get("/api/me/profile").json() == before
    assert patch(client, "/api/me/profile", {"bio": "Ink painter"}).json()["bio"] == "Ink painter"


def test_a_null_registration_field_is_refused_by_name(ana):
    """REQ: REG-6, UX-2"""
    refused(patch(token_client(ana), "/api/me/registration", {"mobile": None}), "mobile")


def test_a_null_no_ai_training_is_refused_and_the_default_stays_on(submit):
    """REQ: WRK-11, UX-2. null once turned the "no AI training" default off without a word."""
    work = submit()
    client = token_client(work.owner)
    refused(patch(client, f"/api/works/{work.pk}", {"no_ai_training": None}), "no_ai_training")
    work.refresh_from_db()
    assert work.no_ai_training is True


def test_an_id_past_64_bits_is_refused_by_name_not_overflowed(ana):
    """REQ: UX-2. On SQLite the query overflowed: an OverflowError and an HTML 500 page."""
    Notification.objects.create(user=ana, kind="work.approved", params={})
    client = token_client(ana)
    response = client.post(
        "/api/inbox/read", json.dumps({"ids": [1, TOO_BIG]}), content_type="application/json"
    )
    refused(response, "ids.1")
    assert client.get("/api/inbox/unread-count").json() == {"unread": 1}


@pytest.mark.parametrize(
    ("url", "field"),
    [
        (f"/api/works/{TOO_BIG}", "path.work_id"),
        ("/api/works/0", "path.work_id"),
        (f"/api/agreements/service-agreement/versions/{TOO_BIG}", "path.number"),
    ],
)
def test_an_id_out_of_range_in_the_path_is_refused_by_name(ana, url, field):
    """REQ: UX-2"""
    refused(token_client(ana).get(url), field)


def test_a_huge_page_is_refused_not_overflowed(ada):
    """REQ: UX-2"""
    refused(token_client(ada).get("/api/staff/audit", {"page": 2**62}), "page")


def test_text_with_a_nul_character_is_refused_by_name_before_the_database(ana):
    """REQ: UX-2. PostgreSQL cannot store NUL; a query holding one failed with a server error."""
    client = token_client(ana)
    refused(patch(client, "/api/me/profile", {"bio": "a\x00b"}), "bio")
    refused(client.get("/api/works", {"status": "a\x00"}), "status")
    refused(client.get("/api/profiles/a%00b"), "path")


def test_an_unknown_api_address_answers_json_not_a_page(db):
    """REQ: UX-2"""
    response = Client().get("/api/no/such/thing")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert Client().get("/no/such/page/")["Content-Type"].startswith("text/html")


def test_a_method_an_address_does_not_take_answers_json_with_allow(ana):
    """REQ: UX-2"""
    response = token_client(ana).put("/api/me/profile")
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"
    assert "PATCH" in response["Allow"]


def test_an_unexpected_failure_is_still_a_json_answer(ana, monkeypatch):
    """REQ: UX-2. Nothing on /api/ answers the HTML error page, whatever fails."""
    from inspiracle.accounts import api as accounts_api

    def broken(user):
        raise RuntimeError("boom")

    monkeypatch.setattr(accounts_api, "_me", broken)
    client = token_client(ana)
    client.raise_request_exception = False
    response = client.get("/api/me")
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "server_error"
    assert "boom" not in response.content.decode()


def test_an_organization_registers_through_the_api_with_its_certificate(agreements):
    """REQ: REG-5, UX-2. The certificate was read from the query string, so no organization could register."""
    response = Client().post(
        "/api/auth/register",
        {
            "kind": "organization",
            "username": "brand_co",
            "password": PASSWORD,
            "legal_name": "奔牌文创有限公司",
            "mailing_address": "上海市徐汇区漕溪北路 88 号",
            "mobile": "139 1234 5678",
            "age_attested": "true",
            "accept": accepted_labels(),
            "certificate": SimpleUploadedFile("licence.pdf", PDF, content_type="application/pdf"),
        },
    )
    assert response.status_code == 201, response.content
    user = User.objects.get(username="brand_co")
    assert user.kind == "organization"
    assert OrganizationCertificate.objects.filter(user=user).count() == 1


def test_a_body_that_is_not_a_json_object_is_refused_not_taken_as_empty(ana):
    """REQ: UX-2. [null, null] passed as an empty update: POST /api/inbox/read marked everything read."""
    Notification.objects.create(user=ana, kind="work.approved", params={})
    client = token_client(ana)
    response = client.post("/api/inbox/read", "[null, null]", content_type="application/json")
    refused(response, "request")
    assert client.get("/api/inbox/unread-count").json() == {"unread": 1}


def test_a_multipart_body_without_its_boundary_is_a_clear_refusal(ana):
    """REQ: UX-2. Django's parser failed with a server error."""
    response = token_client(ana).post("/api/me/avatar", b"--x--", content_type="multipart/form-data")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_upload"


def test_a_value_the_database_refuses_is_a_refusal_not_a_server_error(ana, monkeypatch):
    """REQ: UX-2. PostgreSQL checks lengths and ranges that SQLite does not; whatever slips past the schema is
    still a 400 in JSON."""
    from django.db import DataError

    from inspiracle.accounts import services

    def too_long(**kwargs):
        raise DataError("value too long for type character varying(80)")

    monkeypatch.setattr(services, "profile_update", too_long)
    response = patch(token_client(ana), "/api/me/profile", {"bio": "x" * 5000})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
