import json
import re

import pyotp
import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone

from inspiracle.accounts.models import UserSession
from inspiracle.audit.models import AuditEvent
from inspiracle.core.testing import PASSWORD

pytestmark = pytest.mark.django_db


def sign_in(client, username, password):
    return client.post("/accounts/signin/", {"username": username, "password": password})


def test_signing_in_and_out_is_audited(ana):
    """REQ: REG-4, AUD-1"""
    client = Client()
    assert sign_in(client, "ana", "wrong password").status_code == 200
    assert sign_in(client, "ana", PASSWORD).status_code == 302
    assert client.get("/accounts/me/").status_code == 200
    actions = list(AuditEvent.objects.filter(target_id=str(ana.pk)).values_list("action", flat=True))
    assert "signin.failed" in actions and "signin.succeeded" in actions
    client.post("/accounts/signout/")
    assert client.get("/accounts/me/").status_code == 302


def test_repeated_wrong_passwords_slow_down_then_lock_the_account_with_a_message(ana, settings):
    """REQ: REG-4
    GIVEN three wrong passwords THEN the next try must wait; AFTER eight the account is locked for a while,
    even for the right password, and the message says so."""
    client = Client()
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        for _i in range(3):
            sign_in(client, "ana", "wrong")
        slowed = sign_in(client, "ana", PASSWORD).content.decode()
        assert "wait 1 second" in slowed
        for _i in range(5):
            clock.shift(61)
            sign_in(client, "ana", "wrong")
        clock.shift(61)
        locked = sign_in(client, "ana", PASSWORD)
        assert "sign-in is locked for 14 minutes" in locked.content.decode()
        assert locked.status_code == 429 and locked["Retry-After"] == str(15 * 60 - 61)
        clock.shift(15 * 60)
        assert sign_in(client, "ana", PASSWORD).status_code == 302


def test_the_api_refuses_token_requests_while_locked_out(ana):
    """REQ: REG-4, UX-2"""
    for _i in range(3):
        Client().post(
            "/api/auth/tokens",
            json.dumps({"username": "ana", "password": "x", "name": "t"}),
            content_type="application/json",
        )
    response = Client().post(
        "/api/auth/tokens",
        json.dumps({"username": "ana", "password": PASSWORD, "name": "t"}),
        content_type="application/json",
    )
    assert response.status_code == 429
    assert response.json()["error"]["retry_after"] >= 1


def test_two_factor_sign_in_with_a_code_or_a_recovery_code_used_once(ana, client_for):
    """REQ: REG-4"""
    owner = client_for(ana)
    owner.post("/accounts/me/two-factor/", {"action": "begin"})
    page = owner.get("/accounts/me/two-factor/").content.decode()
    secret = re.search(r"<code>([A-Z2-7]{32})</code>", page).group(1)
    confirmed = owner.post(
        "/accounts/me/two-factor/", {"action": "confirm", "code": pyotp.TOTP(secret).now()}
    )
    codes = re.findall(r"<code>([0-9a-f]{8}-[0-9a-f]{8})</code>", confirmed.content.decode())
    assert len(codes) == 10

    client = Client()
    assert sign_in(client, "ana", PASSWORD)["Location"].startswith("/accounts/signin/code/")
    assert client.get("/accounts/me/").status_code == 302  # not signed in until the code
    with time_machine.travel(timezone.now() + timezone.timedelta(seconds=60), tick=False):
        response = client.post("/accounts/signin/code/", {"code": pyotp.TOTP(secret).now()})
        assert response.status_code == 302
        assert client.get("/accounts/me/").status_code == 200
        replay = Client()
        sign_in(replay, "ana", PASSWORD)
        again = replay.post("/accounts/signin/code/", {"code": pyotp.TOTP(secret).now()})
        assert "That code is not right" in again.content.decode()

    recovery = Client()
    sign_in(recovery, "ana", PASSWORD)
    assert recovery.post("/accounts/signin/code/", {"code": codes[0]}).status_code == 302
    reuse = Client()
    sign_in(reuse, "ana", PASSWORD)
    assert reuse.post("/accounts/signin/code/", {"code": codes[0]}).status_code == 200


def two_factor_on(client) -> tuple[str, str]:
    """Turn two-factor sign-in on through the page; returns the secret and the code that turned it on."""
    client.post("/accounts/me/two-factor/", {"action": "begin"})
    page = client.get("/accounts/me/two-factor/").content.decode()
    found = re.search(r"<code>([A-Z2-7]{32})</code>", page)
    assert found is not None
    secret, code = found.group(1), pyotp.TOTP(found.group(1)).now()
    assert client.post("/accounts/me/two-factor/", {"action": "confirm", "code": code}).status_code == 200
    return secret, code


def test_the_code_that_turned_two_factor_on_signs_in_right_after_and_sign_in_codes_pass_once(ana, client_for):
    """REQ: REG-4
    GIVEN Ana turned two-factor sign-in on with the code her app shows WHEN she signs in within the same
    30 seconds with that code THEN she is in; the same code does not open a second session."""
    with time_machine.travel(timezone.now(), tick=False):
        _secret, code = two_factor_on(client_for(ana))
        client = Client()
        sign_in(client, "ana", PASSWORD)
        assert client.post("/accounts/signin/code/", {"code": code}).status_code == 302
        assert client.get("/accounts/me/").status_code == 200
        replay = Client()
        sign_in(replay, "ana", PASSWORD)
        again = replay.post("/accounts/signin/code/", {"code": code})
        assert again.status_code == 200 and "That code is not right" in again.content.decode()


def test_a_wrong_code_says_the_code_is_wrong_and_only_repeated_ones_slow_down(ana, client_for):
    """REQ: REG-4
    GIVEN two mistyped passwords and then the right one WHEN Ana types a wrong code THEN she reads that the
    code is wrong (not a slow-down about passwords); only the next try, after three wrong ones, waits, and
    the message speaks of wrong tries and the next code."""
    with time_machine.travel(timezone.now(), tick=False) as clock:
        secret, _code = two_factor_on(client_for(ana))
        clock.shift(60)
        client = Client()
        sign_in(client, "ana", "wrong")
        sign_in(client, "ana", "wrong")
        assert sign_in(client, "ana", PASSWORD).status_code == 302
        wrong = client.post("/accounts/signin/code/", {"code": "000000"}).content.decode()
        assert "That code is not right" in wrong and "wait" not in wrong
        slowed = client.post("/accounts/signin/code/", {"code": pyotp.TOTP(secret).now()})
        text = slowed.content.decode()
        assert slowed.status_code == 429
        assert "Several wrong tries in a row: wait 1 second before you enter the next code." in text
        assert "password" not in text.split('role="alert"')[1].split("</div>")[0]
        clock.shift(2)
        assert client.post("/accounts/signin/code/", {"code": pyotp.TOTP(secret).now()}).status_code == 302


def test_one_wrong_code_after_the_right_password_does_not_slow_the_next_one(ana, client_for):
    """REQ: REG-4"""
    with time_machine.travel(timezone.now(), tick=False) as clock:
        secret, _code = two_factor_on(client_for(ana))
        clock.shift(60)
        client = Client()
        sign_in(client, "ana", PASSWORD)
        assert (
            "That code is not right" in client.post("/accounts/signin/code/", {"code": "1"}).content.decode()
        )
        assert client.post("/accounts/signin/code/", {"code": pyotp.TOTP(secret).now()}).status_code == 302


def test_a_wrong_set_up_code_shows_its_error_once_at_the_field(ana, client_for):
    owner = client_for(ana)
    owner.post("/accounts/me/two-factor/", {"action": "begin"})
    page = owner.post("/accounts/me/two-factor/", {"action": "confirm", "code": "000000"}).content.decode()
    assert page.count("That code is not right") == 1
    assert 'id="id_code_error"' in page


def test_a_user_sees_active_sessions_and_revokes_another_one(ana):
    """REQ: REG-4"""
    laptop, phone = Client(HTTP_USER_AGENT="Laptop"), Client(HTTP_USER_AGENT="Phone")
    sign_in(laptop, "ana", PASSWORD)
    sign_in(phone, "ana", PASSWORD)
    sessions = laptop.get("/api/me/sessions").json()["items"]
    assert {s["user_agent"] for s in sessions} == {"Laptop", "Phone"}
    phone_ref = next(s["id"] for s in sessions if s["user_agent"] == "Phone")
    assert laptop.post(f"/accounts/me/sessions/{phone_ref}/revoke/").status_code == 302
    assert phone.get("/accounts/me/").status_code == 302
    assert laptop.get("/accounts/me/").status_code == 200
    assert UserSession.objects.filter(user=ana).count() == 1


def test_all_other_sessions_are_signed_out_through_the_api_and_each_names_its_browser(ana):
    """REQ: REG-4, UX-2"""
    chrome = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
    other, current = Client(HTTP_USER_AGENT="curl/8.5.0"), Client(HTTP_USER_AGENT=chrome)
    sign_in(other, "ana", PASSWORD)
    sign_in(current, "ana", PASSWORD)
    listed = current.get("/api/me/sessions").json()["items"]
    assert sorted(s["browser"] for s in listed) == ["Chrome 131 on Linux", "curl 8.5"]
    done = current.post("/api/me/sessions/sign-out-others")
    assert done.status_code == 200 and done.json() == {"count": 1, "message": "Signed out 1 other session."}
    assert other.get("/accounts/me/").status_code == 302 and current.get("/accounts/me/").status_code == 200


def test_another_users_session_cannot_be_revoked(ana, cy):
    """REQ: REG-4, PRV-3"""
    ana_client, cy_client = Client(), Client()
    sign_in(ana_client, "ana", PASSWORD)
    sign_in(cy_client, "cy", PASSWORD)
    ana_ref = ana_client.get("/api/me/sessions").json()["items"][0]["id"]
    response = cy_client.delete(f"/api/me/sessions/{ana_ref}", HTTP_X_CSRFTOKEN="x")
    assert response.status_code in (403, 404)
    assert ana_client.get("/accounts/me/").status_code == 200


def test_a_forgotten_password_is_reset_through_an_emailed_link(ana, django_capture_on_commit_callbacks):
    """REQ: REG-4"""
    with django_capture_on_commit_callbacks(execute=True):
        Client().post("/accounts/password-reset/", {"email": "ANA@example.com"})
    assert len(mail.outbox) == 1
    link = re.search(r"http://\S+", mail.outbox[0].body).group(0)
    path = link.split("127.0.0.1:8000")[1]
    response = Client().post(path, {"new_password": "a brand new passphrase"})
    assert response.status_code == 302
    assert sign_in(Client(), "ana", "a brand new passphrase").status_code == 302
    used = Client().get(path)
    assert "This link does not work" in used.content.decode()


def test_asking_for_a_reset_does_not_reveal_whether_an_email_is_registered(
    ana, django_capture_on_commit_callbacks
):
    """REQ: REG-4: GIVEN one address with an account and one without WHEN a reset is asked for each THEN both
    answers are the same page after the same work (one outbox row, one audit event each), and only the owner
    of the address learns from the mail whether an account uses it."""
    from inspiracle.audit.models import AuditEvent
    from inspiracle.outbox.models import OutboxMessage

    pages = []
    for address in ("ana@example.com", "nobody@example.com"):
        with django_capture_on_commit_callbacks(execute=True):
            response = Client().post("/accounts/password-reset/", {"email": address})
        page = re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "", response.content.decode())
        pages.append(page.replace("ana@example.com", "nobody@example.com"))
    assert "If an account has this email address" in pages[0] and pages[0] == pages[1]
    assert OutboxMessage.objects.filter(status="sent").count() == 2
    assert AuditEvent.objects.filter(action="password.reset_requested").count() == 2
    assert [m.to for m in mail.outbox] == [["ana@example.com"], ["nobody@example.com"]]
    assert "/accounts/password-reset/" in mail.outbox[0].body
    assert "no account uses this address" in mail.outbox[1].body


def test_personal_access_tokens_act_for_their_owner_until_revoked(ana):
    """REQ: UX-2"""
    created = Client().post(
        "/api/auth/tokens",
        json.dumps({"username": "ana", "password": PASSWORD, "name": "uploader"}),
        content_type="application/json",
    )
    assert created.status_code == 201
    raw, token_id = created.json()["token"], created.json()["id"]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert Client().get("/api/me", **auth).json()["username"] == "ana"
    patched = Client().patch(
        "/api/me/profile", json.dumps({"bio": "画画的人"}), content_type="application/json", **auth
    )
    assert patched.json()["bio"] == "画画的人"
    assert Client().delete(f"/api/me/tokens/{token_id}", **auth).status_code == 204
    assert Client().get("/api/me", **auth).status_code == 401
    assert Client().get("/api/me", HTTP_AUTHORIZATION="Bearer insp_bogus").status_code == 401


def test_the_api_needs_the_csrf_token_for_browser_sessions(ana):
    """REQ: UX-2, PRV-2"""
    client = Client(enforce_csrf_checks=True)
    client.force_login(ana)
    response = client.patch("/api/me/profile", json.dumps({"bio": "x"}), content_type="application/json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["error"]["message"]


def test_passwords_are_stored_with_argon2(ana, settings):
    """REQ: REG-4"""
    from config import settings as production_settings

    settings.PASSWORD_HASHERS = production_settings.PASSWORD_HASHERS
    ana.set_password(PASSWORD)
    ana.save()
    assert ana.password.startswith("argon2$argon2id$")
    assert sign_in(Client(), "ana", PASSWORD).status_code == 302


def test_the_sessions_page_says_how_many_other_sessions_it_signed_out_in_a_sentence(ana):
    """REQ: REG-4: "1 other session", "2 other sessions", never "session(s)"."""
    phone, tablet, current = Client(), Client(), Client()
    for client in (phone, tablet, current):
        sign_in(client, "ana", PASSWORD)
    page = current.post("/accounts/me/sessions/", follow=True).content.decode()
    assert "Signed out 2 other sessions." in page
    sign_in(phone, "ana", PASSWORD)
    assert (
        "Signed out 1 other session." in current.post("/accounts/me/sessions/", follow=True).content.decode()
    )
