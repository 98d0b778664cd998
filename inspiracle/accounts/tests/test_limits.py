"""Sign-in, password reset and registration limits (REG-4, issue 10): atomic under parallel requests, per
account and network, lifted by staff, and nothing in an answer tells whether an address has an account."""

import json
import re
from urllib.parse import urlsplit

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone

from inspiracle.accounts import security
from inspiracle.accounts.models import User
from inspiracle.accounts.password_reset import password_reset_request
from inspiracle.agreements.services import DEFAULTS_DIR, agreements_load_directory
from inspiracle.audit.models import AuditEvent
from inspiracle.core.testing import PASSWORD, accepted_labels, fire_parallel, make_user
from inspiracle.outbox.models import OutboxMessage

pytestmark = pytest.mark.django_db


def sign_in(client, username, password):
    return client.post("/accounts/signin/", {"username": username, "password": password})


def lock_out(client, username="ana"):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for _n in range(8):
            sign_in(client, username, "wrong password")
            clock.shift(61)


@pytest.fixture
def cast(transactional_db):
    agreements_load_directory(directory=DEFAULTS_DIR)
    return make_user("ana", email="ana@example.com", mobile="13900000001")


@pytest.mark.django_db(transaction=True)
def test_forty_parallel_passwords_for_one_account_check_only_the_free_tries(cast, settings):
    """REQ: REG-4 — before: 9-10 of 40 were checked where the slow-down starts after 3."""
    with time_machine.travel(timezone.now(), tick=False):
        outcomes = fire_parallel(
            lambda n: security.check_password_signin(None, username="ana", password="wrong password")
        )
    assert outcomes.count("refused") == settings.SIGNIN_SLOWDOWN_AFTER == 3
    assert outcomes.count("throttled") == 37


@pytest.mark.django_db(transaction=True)
def test_forty_parallel_reset_requests_send_exactly_the_allowed_mails(cast, settings):
    """REQ: REG-4 — before: 40 of 40 mails went to one address."""
    with time_machine.travel(timezone.now(), tick=False):
        outcomes = fire_parallel(lambda n: password_reset_request(email="ana@example.com"))
    assert outcomes.count("passed") == settings.PASSWORD_RESETS_PER_HOUR_PER_ADDRESS == 3
    assert len(mail.outbox) == 3


@pytest.mark.django_db(transaction=True)
def test_forty_parallel_reset_requests_from_one_network_pass_exactly_its_limit(cast, settings):
    with time_machine.travel(timezone.now(), tick=False):
        outcomes = fire_parallel(lambda n: password_reset_request(email=f"someone{n}@example.com"))
    assert outcomes.count("passed") == settings.PASSWORD_RESETS_PER_HOUR_PER_IP == 10


@pytest.mark.django_db(transaction=True)
def test_forty_parallel_registration_probes_are_slowed_like_sign_in(cast, settings):
    """Before: 40 of 40 probes were told the mobile number is registered, in 0.3 s."""
    from inspiracle.accounts.services import RegistrationData, user_register

    def probe(n):
        user_register(
            data=RegistrationData(
                username=f"probe{n}",
                password=PASSWORD,
                kind="person",
                legal_name="Probe",
                mailing_address="Somewhere 1",
                mobile="13900000001",
            ),
            accepted=accepted_labels(),
            age_attested=True,
        )

    with time_machine.travel(timezone.now(), tick=False):
        outcomes = fire_parallel(probe)
    assert outcomes.count("refused") == settings.SIGNIN_SLOWDOWN_AFTER == 3
    assert outcomes.count("throttled") == 37


def test_a_lockout_from_one_network_leaves_the_owner_signing_in_from_another(ana):
    """REQ: REG-4 — before: eight wrong passwords from anywhere locked the owner out everywhere."""
    attacker = Client(REMOTE_ADDR="198.51.100.9")
    lock_out(attacker)
    locked = sign_in(attacker, "ana", PASSWORD)
    assert locked.status_code == 429 and "sign-in is locked" in locked.content.decode()
    assert int(locked["Retry-After"]) > 60
    assert sign_in(Client(REMOTE_ADDR="203.0.113.50"), "ana", PASSWORD).status_code == 302


def test_staff_lift_a_lockout_from_the_console_and_it_is_audited(ana, lee, client_for):
    """REQ: REG-4, AUD-1, UX-3"""
    attacker = Client(REMOTE_ADDR="198.51.100.9")
    lock_out(attacker)
    console = client_for(lee)
    page = console.get("/staff/users/ana/").content.decode()
    assert "from 1 network" in page
    lifted = console.post("/staff/users/ana/signin-locks/clear/", {"reason": "owner called"})
    assert lifted.status_code == 302
    assert sign_in(attacker, "ana", PASSWORD).status_code == 302
    event = AuditEvent.objects.get(action="signin.locks_cleared")
    assert (event.actor_id, event.target_id, event.reason) == (lee.pk, str(ana.pk), "owner called")


def test_staff_lift_a_lockout_through_the_api_with_the_capability_only(ana, lee, mo, client_for):
    """REQ: REG-4, MOD-7, UX-2"""
    lock_out(Client(REMOTE_ADDR="198.51.100.9"))
    api = client_for(lee)
    assert api.get("/api/staff/users/ana/signin-locks").json()["blocked_networks"] == 1
    moderator = client_for(mo).post(
        "/api/staff/users/ana/signin-locks/clear", json.dumps({}), content_type="application/json"
    )
    assert moderator.status_code == 403
    cleared = api.post(
        "/api/staff/users/ana/signin-locks/clear",
        json.dumps({"reason": "owner called"}),
        content_type="application/json",
    )
    assert cleared.json() == {"username": "ana", "cleared_networks": 1}
    assert api.get("/api/staff/users/ana/signin-locks").json()["blocked_networks"] == 0


def test_password_resets_are_limited_per_address_with_retry_after(ana, settings):
    """REQ: REG-4"""
    for _n in range(settings.PASSWORD_RESETS_PER_HOUR_PER_ADDRESS):
        assert Client().post("/accounts/password-reset/", {"email": "ana@example.com"}).status_code == 200
    page = Client().post("/accounts/password-reset/", {"email": "ana@example.com"})
    assert page.status_code == 429 and int(page["Retry-After"]) > 3000
    api = Client().post(
        "/api/auth/password-reset", json.dumps({"email": "ANA@example.com"}), content_type="application/json"
    )
    assert api.status_code == 429 and api["Retry-After"] == str(api.json()["error"]["retry_after"])
    assert OutboxMessage.objects.count() == 3  # three mails, delivered by the outbox after each commit


def test_an_unknown_address_is_limited_like_a_known_one(agreements, settings):
    """The refusal must not tell which addresses have accounts."""
    for _n in range(settings.PASSWORD_RESETS_PER_HOUR_PER_ADDRESS):
        Client().post("/accounts/password-reset/", {"email": "nobody@example.com"})
    assert Client().post("/accounts/password-reset/", {"email": "nobody@example.com"}).status_code == 429


def register(client, username, email="", mobile="13911112222", **extra):
    return client.post(
        "/accounts/register/",
        {
            "username": username,
            "password": PASSWORD,
            "kind": "person",
            "legal_name": "Someone",
            "mailing_address": "Somewhere 1",
            "mobile": mobile,
            "email": email,
            "age_attested": "on",
            "accept": accepted_labels(),
            **extra,
        },
    )


def test_registering_with_a_taken_email_is_answered_as_any_other_and_its_owner_is_told(
    ana, django_capture_on_commit_callbacks
):
    """Before: "This email address is registered to another account." told anyone who has an account."""
    with django_capture_on_commit_callbacks(execute=True):
        taken = register(Client(), "prober", email="ana@example.com", mobile="13911112222")
        free = register(Client(), "newbie", email="newbie@example.com", mobile="13911113333")
    assert taken.status_code == free.status_code == 302
    assert User.objects.get(username="prober").registration.email == ""
    to_ana, to_newbie = mail.outbox
    assert to_ana.to == ["ana@example.com"] and "prober" in to_ana.body and "confirm" not in to_ana.body
    assert to_newbie.to == ["newbie@example.com"]
    link = re.search(r"https?://\S+/accounts/email/confirm/\S+/", to_newbie.body).group(0)
    assert "newbie" not in link
    assert (
        Client().get(urlsplit(link).path).status_code == 200
    )  # a page with a button: scanners confirm nothing
    assert User.objects.get(username="newbie").registration.email == ""
    assert Client().post(urlsplit(link).path).status_code == 302
    assert User.objects.get(username="newbie").registration.email == "newbie@example.com"


def test_a_forged_or_expired_confirmation_link_is_refused_with_a_way_forward(ana):
    from inspiracle.accounts.services import email_confirmation_token

    forged = Client().post("/accounts/email/confirm/bm90LWEtdG9rZW4/")
    assert forged.status_code == 400 and "invalid or has expired" in forged.content.decode()
    token = email_confirmation_token(user=ana, email="ana@elsewhere.example")
    with time_machine.travel(timezone.now() + timezone.timedelta(days=4)):
        assert Client().post(f"/accounts/email/confirm/{token}/").status_code == 400


def test_registration_tries_from_one_network_are_slowed_with_retry_after(agreements):
    client = Client(REMOTE_ADDR="198.51.100.20")
    with time_machine.travel(timezone.now(), tick=False):
        for n in range(3):
            assert register(client, f"user{n}", password="x", mobile="13911112222").status_code == 200
        slowed = register(client, "user9", mobile="13911112222")
    assert slowed.status_code == 429 and slowed["Retry-After"] == "1"
    assert "Too many registrations were tried from your network" in slowed.content.decode()


def test_a_member_trying_other_mobile_numbers_is_slowed_too(ana, cy, client_for):
    """Phone uniqueness answers (REG-5) are throttled wherever they are given."""
    client = client_for(cy)
    with time_machine.travel(timezone.now(), tick=False):
        for n in range(3):
            changed = client.patch(
                "/api/me/registration",
                json.dumps({"mobile": f"1370000000{n}"}),
                content_type="application/json",
            )
            assert changed.status_code == 200
        probe = client.patch(
            "/api/me/registration", json.dumps({"mobile": "13900000001"}), content_type="application/json"
        )
    assert probe.status_code == 429 and probe["Retry-After"] == "1"
    assert "registered to another account" not in probe.content.decode()
