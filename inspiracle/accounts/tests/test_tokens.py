"""Personal access tokens (UX-2): made only with the password, limited by scopes, always expiring."""

import json
from datetime import datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from inspiracle.accounts.models import ApiToken
from inspiracle.accounts.tokens import token_issue
from inspiracle.core.testing import PASSWORD

NOON = datetime(2026, 10, 12, 4, 0, tzinfo=timezone.get_current_timezone())


def bearer(raw: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def session_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post_json(client: Client, path: str, data: dict, **extra):
    return client.post(path, json.dumps(data), content_type="application/json", **extra)


def test_a_token_expires_after_the_default_term_and_then_says_so(ana, settings):
    """REQ: UX-2
    GIVEN a token made without a term WHEN it is used after API_TOKEN_DEFAULT_DAYS THEN it is refused with a
    401 that says it expired and when, and what to do."""
    settings.API_TOKEN_DEFAULT_DAYS = 30
    with time_machine.travel(NOON, tick=False):
        created = post_json(
            Client(), "/api/auth/tokens", {"username": "ana", "password": PASSWORD, "name": "s"}
        )
    assert created.status_code == 201
    body = created.json()
    assert body["expires_at"] == "2026-11-10T20:00:00Z" and body["scopes"] == ["read", "write"]
    with time_machine.travel(NOON + timedelta(days=29), tick=False):
        assert Client().get("/api/me", **bearer(body["token"])).status_code == 200
    with time_machine.travel(NOON + timedelta(days=30), tick=False):
        refused = Client().get("/api/me", **bearer(body["token"]))
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "token_expired"
    assert (
        "expired on" in refused.json()["error"]["message"]
        and "API tokens" in refused.json()["error"]["message"]
    )


def test_a_revoked_token_is_refused_with_its_reason_and_a_foreign_one_stays_unauthenticated(ana):
    """REQ: UX-2"""
    token, raw = token_issue(user=ana, name="s")
    assert Client().delete(f"/api/me/tokens/{token.pk}", **bearer(raw)).status_code == 204
    refused = Client().get("/api/me", **bearer(raw))
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "token_revoked"
    unknown = Client().get("/api/me", HTTP_AUTHORIZATION="Bearer insp_0000_nope")
    assert unknown.status_code == 401 and unknown.json()["error"]["code"] == "unauthenticated"


def test_a_term_beyond_the_maximum_is_refused_naming_the_limit(ana, settings):
    """REQ: UX-2"""
    settings.API_TOKEN_MAX_DAYS = 100
    data = {"username": "ana", "password": PASSWORD, "name": "s", "expires_in_days": 101}
    refused = post_json(Client(), "/api/auth/tokens", data)
    assert refused.status_code == 400 and "from 1 to 100 days" in refused.json()["error"]["message"]
    data["expires_in_days"] = 100
    assert post_json(Client(), "/api/auth/tokens", data).status_code == 201


def test_a_read_token_only_reads_and_a_write_token_changes_the_owners_state(ana):
    """REQ: UX-2"""
    _token, read = token_issue(user=ana, name="reader", scopes=["read"])
    assert Client().get("/api/me/profile", **bearer(read)).status_code == 200
    refused = Client().patch(
        "/api/me/profile", json.dumps({"bio": "x"}), content_type="application/json", **bearer(read)
    )
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "token_scope"
    assert "needs the write scope" in refused.json()["error"]["message"]
    _token, write = token_issue(user=ana, name="writer", scopes=["write"])
    patched = Client().patch(
        "/api/me/profile", json.dumps({"bio": "画"}), content_type="application/json", **bearer(write)
    )
    assert patched.status_code == 200 and patched.json()["bio"] == "画"
    assert Client().get("/api/me/profile", **bearer(write)).status_code == 200  # write includes read


def test_staff_endpoints_need_the_staff_scope_which_only_staff_accounts_get(ana, ada):
    """REQ: UX-2, MOD-7"""
    _token, plain = token_issue(user=ada, name="own", scopes=["read", "write"])
    refused = Client().get("/api/staff/protected-names", **bearer(plain))
    assert refused.status_code == 403 and "needs the staff scope" in refused.json()["error"]["message"]
    _token, staff = token_issue(user=ada, name="console", scopes=["staff"])
    assert Client().get("/api/staff/protected-names", **bearer(staff)).status_code == 200
    assert Client().get("/api/me", **bearer(staff)).status_code == 403  # staff is not read
    data = {"username": "ana", "password": PASSWORD, "name": "s", "scopes": ["read", "staff"]}
    refused = post_json(Client(), "/api/auth/tokens", data)
    assert refused.status_code == 400 and refused.json()["error"]["fields"]["scopes"]
    data["scopes"] = ["admin"]
    assert post_json(Client(), "/api/auth/tokens", data).status_code == 400


def test_a_new_token_needs_the_password_and_a_token_cannot_make_tokens(ana):
    """REQ: UX-2
    GIVEN a signed-in session and a token of Ana WHEN either asks for a new token THEN the session needs the
    password, and the token is refused even with it (a stolen token cannot mint more)."""
    session = session_of(ana)
    missing = post_json(session, "/api/me/tokens", {"name": "s"})
    assert missing.status_code == 422 and "password" in missing.json()["error"]["fields"]
    wrong = post_json(session, "/api/me/tokens", {"name": "s", "password": "guess"})
    assert wrong.status_code == 400 and wrong.json()["error"]["fields"]["password"]
    made = post_json(session, "/api/me/tokens", {"name": "s", "password": PASSWORD, "scopes": ["read"]})
    assert made.status_code == 201 and made.json()["scopes"] == ["read"]
    _token, raw = token_issue(user=ana, name="all", scopes=["read", "write"])
    minted = post_json(Client(), "/api/me/tokens", {"name": "more", "password": PASSWORD}, **bearer(raw))
    assert minted.status_code == 403 and minted.json()["error"]["code"] == "token_cannot_create_tokens"
    assert ApiToken.objects.filter(user=ana).count() == 2
    listed = Client().get("/api/me/tokens", **bearer(raw)).json()["items"]
    assert {t["name"]: t["scopes"] for t in listed} == {"s": ["read"], "all": ["read", "write"]}


def test_the_tokens_page_asks_for_the_password_and_shows_scopes_and_expiry(ana, settings):
    """REQ: UX-2"""
    session = session_of(ana)
    page = session.get("/accounts/me/tokens/").content.decode()
    assert 'name="password"' in page and 'value="90"' in page and 'value="staff"' not in page
    refused = session.post("/accounts/me/tokens/", {"name": "s", "scopes": ["read"], "expires_in_days": 10})
    assert refused.status_code == 400 and not ApiToken.objects.exists()
    with time_machine.travel(NOON, tick=False):
        made = session.post(
            "/accounts/me/tokens/",
            {"name": "s", "scopes": ["read"], "expires_in_days": 10, "password": PASSWORD},
        )
    assert made.status_code == 200 and "Copy it now" in made.content.decode()
    assert "no-store" in made["Cache-Control"]
    row = made.content.decode().split('id="token-')[1]
    assert "Read: look, change nothing" in row and "2026-10-22" in row and "Write" not in row


@pytest.mark.django_db(transaction=True)
def test_existing_tokens_get_their_old_powers_and_an_end(ana, ada, settings):
    """REQ: UX-2
    GIVEN tokens made before scopes and ends existed WHEN the migration runs THEN each keeps read and write
    (staff tokens also staff), one without an end ends API_TOKEN_DEFAULT_DAYS later, none beyond the maximum."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [("accounts", "0005_signin_throttle_counts_in_core_ratelimit")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    tokens = executor.loader.project_state(before).apps.get_model("accounts", "ApiToken").objects
    far = timezone.now() + timedelta(days=3000)
    tokens.create(user_id=ana.pk, name="old", prefix="a1", digest="a" * 64)
    tokens.create(user_id=ada.pk, name="staff", prefix="b1", digest="b" * 64, expires_at=far)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    old, staff = ApiToken.objects.get(prefix="a1"), ApiToken.objects.get(prefix="b1")
    assert old.scope_list == ["read", "write"] and staff.scope_list == ["read", "write", "staff"]
    now = timezone.now()
    assert abs(old.expires_at - (now + timedelta(days=settings.API_TOKEN_DEFAULT_DAYS))) < timedelta(
        minutes=5
    )
    assert abs(staff.expires_at - (now + timedelta(days=settings.API_TOKEN_MAX_DAYS))) < timedelta(minutes=5)
