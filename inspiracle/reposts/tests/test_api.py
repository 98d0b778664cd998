"""Repost permissions through the API (WRK-12, UX-2): every action, the visitor's e-mail pass, the lists,
hostile input and limits."""

import pytest
from django.core import mail
from django.test import Client

from inspiracle.reposts.models import RepostPermission
from inspiracle.reposts.tests.conftest import code_from_outbox
from inspiracle.works.tests.test_upload import token_client

pytestmark = pytest.mark.django_db
JSON = "application/json"


def body(work_, **changes) -> dict:
    data = {"work": work_.pk, "site_url": "https://blog.example.com/", "purpose": "A review", "months": 3}
    data.update(changes)
    return data


def test_a_member_asks_the_owner_lists_and_approves_and_anyone_reads_the_permission(ana, cy, repostable):
    """REQ: WRK-12"""
    work = repostable()
    sent = token_client(cy).post("/api/reposts", body(work), content_type=JSON)
    assert sent.status_code == 201, sent.json()
    ref = sent.json()["reference"]
    assert sent.json()["state"] == "requested" and sent.json()["attribution"] is None
    owner = token_client(ana)
    assert [r["reference"] for r in owner.get("/api/reposts?box=received").json()["items"]] == [ref]
    assert owner.get("/api/reposts?box=sent").json()["items"] == []
    assert [r["reference"] for r in token_client(cy).get("/api/reposts?box=sent").json()["items"]] == [ref]
    approved = owner.post(f"/api/reposts/{ref}/approve", {"message": "Yes"}, content_type=JSON).json()
    assert approved["state"] == "active" and approved["owner_message"] == "Yes"
    public = Client().get(f"/api/reposts/{ref}").json()
    assert public["attribution"].startswith("ana") and public["attribution"].endswith("Source: Inspiracle")
    assert f"/works/{work.pk}/" in public["attribution"]
    listed = Client().get(f"/api/works/{work.pk}/reposts").json()["items"]
    assert [(p["reference"], p["site_host"]) for p in listed] == [(ref, "blog.example.com")]
    revoked = owner.post(f"/api/reposts/{ref}/revoke", {}, content_type=JSON).json()
    assert (
        revoked["state"] == "revoked" and Client().get(f"/api/works/{work.pk}/reposts").json()["items"] == []
    )
    again = owner.post(f"/api/reposts/{ref}/revoke", {}, content_type=JSON)
    assert again.status_code == 409 and again.json()["error"]["code"] == "invalid_state"


def test_the_owner_declines_with_a_message(ana, cy, repostable):
    ref = token_client(cy).post("/api/reposts", body(repostable()), content_type=JSON).json()["reference"]
    declined = token_client(ana).post(f"/api/reposts/{ref}/decline", {"message": "No"}, content_type=JSON)
    assert declined.json()["state"] == "declined"
    assert token_client(cy).get(f"/api/reposts/{ref}").json()["owner_message"] == "No"
    assert Client().get(f"/api/reposts/{ref}").status_code == 404


def test_a_visitor_proves_an_address_and_asks_with_the_pass(
    agreements, ana, repostable, django_capture_on_commit_callbacks
):
    """REQ: WRK-12"""
    work = repostable()
    visitor = Client()
    refused = visitor.post("/api/reposts", body(work, name="Rita"), content_type=JSON)
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "email_unverified"
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            visitor.post("/api/reposts/email", {"email": "rita@example.com"}, content_type=JSON).status_code
            == 202
        )
    confirmed = visitor.post(
        "/api/reposts/email/confirm",
        {"email": "rita@example.com", "code": code_from_outbox()},
        content_type=JSON,
    )
    email_pass = confirmed.json()["email_pass"]
    sent = visitor.post(
        "/api/reposts", body(work, name="Rita"), content_type=JSON, headers={"X-Email-Pass": email_pass}
    )
    assert sent.status_code == 201 and sent.json()["requester_name"] == "Rita"
    assert RepostPermission.objects.get().requester_email == "rita@example.com"


@pytest.mark.parametrize(
    ("changes", "status", "field"),
    [
        ({"site_url": "javascript:alert(1)"}, 400, "site_url"),
        ({"purpose": "p" * 100_000}, 400, "purpose"),
        ({"months": 99}, 400, "months"),
        ({"months": 10**30}, 400, "months"),
        ({"months": None, "ends_on": "3000-01-01"}, 400, "ends_on"),
        ({"work": 2**70}, 422, "work"),
        ({"site_url": "https://blog.example.com/\x00"}, 422, "site_url"),
    ],
)
def test_hostile_input_is_refused_with_the_field_named(cy, repostable, changes, status, field):
    response = token_client(cy).post("/api/reposts", body(repostable(), **changes), content_type=JSON)
    assert response.status_code == status, response.json()
    assert field in response.json()["error"]["fields"]
    assert not RepostPermission.objects.exists()


def test_asking_twice_for_the_same_site_is_refused_while_pending(cy, repostable):
    client, work = token_client(cy), repostable()
    assert client.post("/api/reposts", body(work), content_type=JSON).status_code == 201
    twice = client.post(
        "/api/reposts", body(work, site_url="http://BLOG.example.com/other"), content_type=JSON
    )
    assert twice.status_code == 409 and twice.json()["error"]["code"] == "already_pending"


def test_other_users_ids_and_references_are_not_found(ana, ben, cy, repostable, submit):
    work = repostable()
    ref = token_client(cy).post("/api/reposts", body(work), content_type=JSON).json()["reference"]
    for path in (f"/api/reposts/{ref}/approve", f"/api/reposts/{ref}/decline", f"/api/reposts/{ref}/revoke"):
        assert token_client(ben).post(path, {}, content_type=JSON).status_code == 404
        assert token_client(cy).post(path, {}, content_type=JSON).status_code == 404
    private = submit(seed=7)
    assert token_client(cy).post("/api/reposts", body(private), content_type=JSON).status_code == 404
    assert token_client(cy).get(f"/api/works/{private.pk}/reposts").status_code == 404


def test_codes_are_limited_per_address_with_retry_after(agreements):
    client = Client()
    for _n in range(5):
        assert (
            client.post("/api/reposts/email", {"email": "rita@example.com"}, content_type=JSON).status_code
            == 202
        )
    refused = client.post("/api/reposts/email", {"email": "rita@example.com"}, content_type=JSON)
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert len(mail.outbox) <= 5


def test_asks_are_limited_per_day(cy, repostable, monkeypatch):
    from inspiracle.reposts import services

    monkeypatch.setattr(services, "ASKS_PER_DAY", 2)
    client, work = token_client(cy), repostable()
    codes = [
        client.post(
            "/api/reposts", body(work, site_url=f"https://s{n}.example.com/"), content_type=JSON
        ).status_code
        for n in range(3)
    ]
    assert codes == [201, 201, 429]


@pytest.mark.parametrize("status", ["unpublished", "taken_down", "deleted"])
def test_a_permission_whose_work_is_no_longer_public_names_no_work_to_others(
    ana, ben, cy, repostable, status
):
    """REQ: WRK-12, PRV-3 (review finding 5)"""
    from django.utils.timezone import now

    from inspiracle.works.models import Work

    work = repostable(title="Secret sketch")
    ref = (
        token_client(cy)
        .post("/api/reposts", body(work, name="Cy's blog"), content_type=JSON)
        .json()["reference"]
    )
    token_client(ana).post(f"/api/reposts/{ref}/approve", {}, content_type=JSON)
    Work.objects.filter(pk=work.pk).update(status=status, deleted_at=now() if status == "deleted" else None)
    for client in (Client(), token_client(ben)):
        seen = client.get(f"/api/reposts/{ref}").json()
        assert seen["state"] == "withdrawn" and seen["site_host"] == "blog.example.com" and seen["ends_on"]
        assert seen["work"] is None and seen["owner"] is None and seen["attribution"] is None
        assert seen["requester_name"] is None
        assert "Secret sketch" not in str(seen) and "ana" not in str(seen)
    mine = token_client(cy).get(f"/api/reposts/{ref}").json()
    assert mine["work"]["title"] == "Secret sketch" and mine["owner"] == "ana"
