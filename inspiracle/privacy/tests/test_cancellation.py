"""Asking for a cancellation and restoring the account during the cooling-off (ACC-3), through the pages and
the API: the date the user is told, the e-mails, the gate during the cooling-off, and hostile input."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.test import Client

from inspiracle.accounts.models import ApiToken
from inspiracle.audit.models import AuditEvent
from inspiracle.core.testing import PASSWORD
from inspiracle.works.tests.test_upload import token_client

pytestmark = pytest.mark.django_db
BEIJING = ZoneInfo("Asia/Shanghai")
# A Thursday without holidays in the next four weeks: 15 working days end on Thursday 24 December.
MONDAY_MORNING = datetime(2026, 12, 3, 10, 0, tzinfo=BEIJING)


def cancel(client: Client, password: str = PASSWORD):
    return client.post("/privacy/cancel/", {"password": password})


def test_the_cancel_page_shows_what_will_happen_before_asking_for_the_password(
    ana, client_for, published_work
):
    """REQ: ACC-3"""
    published_work()
    page = client_for(ana).get("/privacy/cancel/").content.decode()
    assert "1 published work is unpublished." in page
    assert "1 work is deleted with its files." in page
    assert "The audit log and your consents" in page
    assert "Records under a legal hold" in page
    assert 'name="password"' in page


def test_a_cancellation_tells_the_date_within_15_working_days_and_emails_it(
    ana, client_for, django_capture_on_commit_callbacks
):
    """REQ: ACC-3
    GIVEN Ana signed in WHEN she confirms the cancellation with her password on 3 December 2026 THEN the
    cooling-off ends 15 days later, she is told it will be done by 24 December (15 PRC working days), API
    tokens stop working, the request is audited and e-mailed."""
    client = client_for(ana)
    scripted = token_client(ana)
    with time_machine.travel(MONDAY_MORNING, tick=False), django_capture_on_commit_callbacks(execute=True):
        response = cancel(client)
    assert response.status_code == 302 and response["Location"] == "/privacy/cancel/"
    ana.refresh_from_db()
    assert ana.cancel_effective_at == datetime(2026, 12, 18, 10, 0, tzinfo=BEIJING)
    assert ana.cancel_due_at.astimezone(BEIJING).date().isoformat() == "2026-12-24"
    with time_machine.travel(MONDAY_MORNING, tick=False):
        page = client.get("/privacy/cancel/").content.decode()
    assert "Your account will be cancelled by Dec. 24, 2026 at the latest." in page
    assert "Restore my account" in page
    assert AuditEvent.objects.filter(action="account.cancel_requested", target_id=str(ana.pk)).count() == 1
    assert not ApiToken.objects.filter(user=ana, revoked_at__isnull=True).exists()
    assert scripted.get("/api/account/cancellation").status_code == 401
    assert [m.to for m in mail.outbox] == [["ana@example.com"]]
    assert "2026年12月24日" in mail.outbox[0].body  # in Ana's language (zh-hans)


def test_during_the_cooling_off_the_account_can_only_restore_itself(ana, client_for, published_work):
    """REQ: ACC-3"""
    work = published_work()
    client = client_for(ana)
    cancel(client)
    response = client.get("/accounts/me/")
    assert response.status_code == 302 and response["Location"] == "/privacy/cancel/"
    refused = client.post(f"/works/{work.pk}/unpublish/")
    assert refused.status_code == 403 and "being cancelled" in refused.content.decode()
    api = client.get("/api/works")
    assert api.status_code == 403 and api.json()["error"]["code"] == "account_cancelling"
    assert client.get("/privacy/").status_code == 200
    assert client.get("/api/account/cancellation").json()["state"] == "requested"


def test_restoring_during_the_cooling_off_withdraws_the_request_and_emails_it(
    ana, client_for, django_capture_on_commit_callbacks
):
    """REQ: ACC-3"""
    client = client_for(ana)
    cancel(client)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/privacy/cancel/restore/")
    assert response.status_code == 302 and response["Location"] == "/accounts/me/"
    ana.refresh_from_db()
    assert ana.cancel_requested_at is None and ana.cancel_due_at is None
    assert client.get("/accounts/me/").status_code == 200
    assert AuditEvent.objects.filter(action="account.cancel_restored").count() == 1
    assert "restored" in mail.outbox[-1].subject or "已恢复" in mail.outbox[-1].subject  # zh-hans if compiled


def test_after_the_cooling_off_the_account_cannot_be_restored(ana, client_for):
    """REQ: ACC-3"""
    client = client_for(ana)
    with time_machine.travel(MONDAY_MORNING, tick=False):
        cancel(client)
    with time_machine.travel(datetime(2026, 12, 18, 10, 1, tzinfo=BEIJING), tick=False):
        client = client_for(ana)  # sessions last 14 days: she signs in again
        page = client.get("/privacy/cancel/").content.decode()
        response = client.delete("/api/account/cancellation")
    assert "can no longer be undone" in page and "Restore my account" not in page
    assert response.status_code == 409 and response.json()["error"]["code"] == "cooling_off_over"


def test_a_wrong_password_is_a_clear_error_and_tries_are_limited(ana, client_for):
    """REQ: ACC-3"""
    client = client_for(ana)
    response = cancel(client, "wrong")
    assert response.status_code == 400 and "Your password is not right" in response.content.decode()
    for _try in range(4):
        cancel(client, "wrong")
    throttled = cancel(client)
    assert throttled.status_code == 429 and int(throttled["Retry-After"]) > 0
    assert "Too many wrong passwords" in throttled.content.decode()
    ana.refresh_from_db()
    assert ana.cancel_requested_at is None


def test_a_double_submit_records_one_cancellation(ana, client_for):
    """REQ: ACC-3"""
    client = client_for(ana)
    assert cancel(client).status_code == 302
    again = client.post("/api/account/cancellation", {"password": PASSWORD}, content_type="application/json")
    assert again.status_code == 409 and again.json()["error"]["code"] == "invalid_state"
    assert AuditEvent.objects.filter(action="account.cancel_requested").count() == 1


def test_a_staff_account_cannot_cancel_itself_while_it_holds_a_role(lee, client_for):
    """REQ: ACC-3"""
    client = client_for(lee)
    assert "Staff accounts cannot be cancelled" in client.get("/privacy/cancel/").content.decode()
    response = client.post(
        "/api/account/cancellation", {"password": PASSWORD}, content_type="application/json"
    )
    assert response.status_code == 403 and response.json()["error"]["code"] == "staff_account"
    lee.refresh_from_db()
    assert lee.cancel_requested_at is None


def test_the_api_asks_reads_and_restores(ana, client_for):
    """REQ: ACC-3"""
    client = client_for(ana)
    assert client.get("/api/account/cancellation").json()["state"] == "active"
    wrong = client.post("/api/account/cancellation", {"password": "nope"}, content_type="application/json")
    assert wrong.status_code == 400 and wrong.json()["error"]["fields"]["password"] == ["Wrong password."]
    made = client.post("/api/account/cancellation", {"password": PASSWORD}, content_type="application/json")
    assert made.status_code == 201
    body = made.json()
    assert body["state"] == "requested" and body["can_restore"] and body["due_at"] >= body["effective_at"]
    restored = client.delete("/api/account/cancellation")
    assert restored.status_code == 200 and restored.json()["state"] == "active"
    assert client.delete("/api/account/cancellation").status_code == 409
    assert Client().get("/api/account/cancellation").status_code == 401


def test_someone_who_has_not_accepted_new_agreements_may_still_cancel(ana, client_for, settings):
    """REQ: ACC-3, AGR-4"""
    from inspiracle.agreements.models import Consent

    Consent.objects.filter(user=ana).delete()
    client = client_for(ana)
    assert 'href="/privacy/cancel/"' in client.get("/agreements/accept/").content.decode()
    assert cancel(client).status_code == 302


def test_the_rights_page_links_every_right(ana, client_for):
    """REQ: ACC-3, ACC-4"""
    page = client_for(ana).get("/privacy/").content.decode()
    for href in (
        "/privacy/export/",
        "/accounts/me/registration/",
        "/accounts/me/profile/",
        "/privacy/cancel/",
    ):
        assert f'href="{href}"' in page
    assert "Withdrawing consent" in page and "complain" in page
    assert 'href="/privacy/"' in client_for(ana).get("/accounts/me/").content.decode()
    assert Client().get("/privacy/").status_code == 200


def test_the_chinese_pages_are_translated_where_the_catalogue_has_them(ana, client_for):
    client = client_for(ana)
    client.cookies["django_language"] = "zh-hans"
    assert client.get("/privacy/cancel/", HTTP_ACCEPT_LANGUAGE="zh-hans").status_code == 200
