"""The outbox: an e-mail is written with the change that causes it and delivered by a job, retried with
backoff, swept up when its job was lost, sent once as far as the reader can tell, and stored encrypted."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection, transaction
from django.test import Client
from kombu.exceptions import OperationalError

from inspiracle.outbox import services, tasks
from inspiracle.outbox.models import OutboxMessage
from inspiracle.outbox.services import MAX_ATTEMPTS, outbox_deliver, outbox_email


@pytest.fixture
def broker_down(monkeypatch):
    """Publishing a job fails the way kombu fails when the broker is unreachable."""

    def refuse(*args, **kwargs):
        raise OperationalError("[Errno 111] Connection refused")

    monkeypatch.setattr(tasks.deliver, "delay", refuse)
    return monkeypatch


@pytest.fixture
def smtp_down(monkeypatch):
    from smtplib import SMTPServerDisconnected

    from django.core.mail import EmailMessage

    def down(self, *args, **kwargs):
        raise SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr(EmailMessage, "send", down)
    return monkeypatch


def test_a_code_asked_for_while_the_broker_is_down_is_sent_once_it_is_back(
    agreements, broker_down, django_capture_on_commit_callbacks
):
    """REQ: RPT-1: GIVEN the broker is down WHEN a visitor asks for an e-mail code THEN the answer "a code
    was sent" is true: the code waits in the outbox, and the sweep sends it, once, when the broker is back."""
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(
            "/api/reports/email", {"email": "rita@example.com"}, content_type="application/json"
        )
    assert response.status_code == 202 and "A code was sent" in response.json()["detail"]
    row = OutboxMessage.objects.get(kind="reports.code")
    assert row.status == "pending" and mail.outbox == []

    broker_down.undo()
    assert tasks.sweep() == 0  # its own job may still be on its way: the sweep leaves it a grace period
    with time_machine.travel(row.created_at + timedelta(minutes=1), tick=False):
        assert tasks.sweep() == 1
        assert tasks.sweep() == 0
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["rita@example.com"]
    code = re.search(r"\b(\d{6})\b", mail.outbox[0].body).group(1)
    confirmed = Client().post(
        "/api/reports/email/confirm",
        {"email": "rita@example.com", "code": code},
        content_type="application/json",
    )
    assert confirmed.status_code == 200


def test_a_failed_send_is_retried_with_growing_waits_then_given_up(ana, smtp_down):
    """The mail server refuses: each try waits longer (1, 2, 4 ... minutes, at most an hour); after
    MAX_ATTEMPTS the row is marked failed (and logged), never silently dropped."""
    with transaction.atomic():
        row = outbox_email(kind="accounts.password_reset", payload={"user": ana.pk})
    waits = []
    moment = row.due_at
    for attempt in range(1, MAX_ATTEMPTS + 1):
        with time_machine.travel(moment, tick=False):
            assert outbox_deliver(message_id=row.pk) == ("failed" if attempt == MAX_ATTEMPTS else "retry")
            assert outbox_deliver(message_id=row.pk) == "skipped"  # not due yet
        row.refresh_from_db()
        assert row.attempts == attempt and row.last_error == "SMTPServerDisconnected"
        waits.append(round((row.due_at - moment).total_seconds() / 60))
        moment = row.due_at
    assert waits[:6] == [1, 2, 4, 8, 16, 32] and max(waits) == 60
    assert row.status == "failed" and mail.outbox == []


def test_a_message_whose_sender_died_mid_send_goes_again_under_the_same_message_id(ana):
    """At least once, with one Message-ID per row: the reader's mail system sees one message. A claim
    held by a dead job blocks others only for the lease."""
    with transaction.atomic():
        row = outbox_email(kind="accounts.password_reset", payload={"user": ana.pk})
    # A job claimed it and died before recording "sent".
    OutboxMessage.objects.filter(pk=row.pk).update(claimed_by="dead", claimed_at=row.created_at, attempts=1)
    with time_machine.travel(row.created_at + timedelta(seconds=90), tick=False):
        assert outbox_deliver(message_id=row.pk) == "skipped"  # still within the lease
        assert services.outbox_due() == []
    with time_machine.travel(row.created_at + services.LEASE + timedelta(seconds=1), tick=False):
        assert services.outbox_due() == [row.pk]
        assert outbox_deliver(message_id=row.pk) == "sent"
    row.refresh_from_db()
    assert row.status == "sent" and row.attempts == 2
    assert mail.outbox[0].extra_headers["Message-ID"] == services.message_id_header(row)
    assert re.fullmatch(r"<outbox\.\d+\.\d+@inspiracle\.example>", services.message_id_header(row))


def test_an_email_of_a_change_that_rolls_back_is_never_sent(ana, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        outbox_email(kind="accounts.password_reset", payload={"user": ana.pk})
        raise RuntimeError("the change failed")
    assert not OutboxMessage.objects.exists() and mail.outbox == []


def test_the_outbox_keeps_addresses_and_codes_only_encrypted(agreements, django_capture_on_commit_callbacks):
    """REQ: PRV-1: the raw column holds neither the address nor the code."""
    with transaction.atomic():
        outbox_email(
            kind="reports.code", payload={"email": "rita@example.com", "code": "123456", "language": "en"}
        )
    with connection.cursor() as cursor:
        cursor.execute("SELECT kind, payload FROM outbox_outboxmessage")
        kind, raw = cursor.fetchone()
    assert kind == "reports.code" and "rita" not in raw and "123456" not in raw
    assert '"rita@example.com"' in OutboxMessage.objects.get().payload


def test_a_message_with_nothing_to_send_any_more_is_closed_without_mail(mo):
    """A user without an e-mail address: the notice stays in the inbox, the outbox row is closed."""
    with transaction.atomic():
        row = outbox_email(kind="accounts.password_reset", payload={"user": mo.pk})
    assert outbox_deliver(message_id=row.pk) == "nothing to send"
    row.refresh_from_db()
    assert row.status == "skipped" and mail.outbox == []


def test_unknown_kinds_are_refused_when_written():
    with pytest.raises(ValueError, match="unknown outbox kind"):
        outbox_email(kind="nobody.registered", payload={})


def test_a_mail_rendered_where_it_is_caused_is_delivered_as_written(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        outbox_email(
            kind="outbox.rendered",
            payload={"to": "ana@example.com", "subject": "确认您的邮箱", "body": "http://x/confirm/secret\n"},
        )
    assert [(m.to, m.subject, m.body) for m in mail.outbox] == [
        (["ana@example.com"], "确认您的邮箱", "http://x/confirm/secret\n")
    ]
