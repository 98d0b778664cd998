"""Notices and their emails (UX-4): made in the decision's transaction, emailed once, in the reader's
language, rendered from the catalogue when read."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy

from inspiracle.accounts.models import User
from inspiracle.notifications import messages
from inspiracle.notifications.messages import CATALOGUE, render
from inspiracle.notifications.models import Notification
from inspiracle.notifications.services import notify
from inspiracle.outbox.models import OutboxMessage
from inspiracle.outbox.services import outbox_deliver


def notify_committed(capture, **kwargs) -> Notification:
    """``notify`` and what its commit starts (the outbox's delivery job, eager in tests)."""
    with capture(execute=True):
        return notify(**kwargs)


@pytest.fixture
def labels(monkeypatch):
    """A reason-label function that says which language it was asked in."""

    def label(code):
        if code != "spam":
            return None
        return f"Spam label in {translation.get_language()}", "Why spam is refused."

    monkeypatch.setattr(messages, "_reason_labels", [])
    messages.register_reason_labels(label)
    return label


def test_notify_stores_a_notice_and_emails_it_once_in_the_recipients_language(
    ana, mailoutbox, labels, settings, django_capture_on_commit_callbacks
):
    """REQ: UX-4: GIVEN Ana reads Inspiracle in Chinese WHEN a work of hers is rejected THEN she has the
    notice in her inbox and one email, rendered in Chinese although the request that decided was English."""
    User.objects.filter(pk=ana.pk).update(language="zh-hans")
    ana.refresh_from_db()
    notice = notify_committed(
        django_capture_on_commit_callbacks,
        user=ana,
        template="work_rejected",
        params={"title": "Spring rain", "message": "Please crop the watermark."},
        reason_code="spam",
        link="/works/12/",
    )
    notice.refresh_from_db()
    assert notice.kind == "work.rejected" and notice.read_at is None and notice.emailed_at is not None
    assert len(mailoutbox) == 1
    sent = mailoutbox[0]
    with translation.override("zh-hans"):
        subject, body = notice.rendered()
        assert sent.subject == translation.gettext("Inspiracle: %(subject)s") % {"subject": subject}
    assert sent.to == ["ana@example.com"]
    assert (
        body in sent.body
        and "Spam label in zh-hans" in sent.body
        and "Please crop the watermark." in sent.body
    )
    assert f"{settings.SITE_URL}/inbox/{notice.pk}/" in sent.body


def test_a_user_without_an_email_address_has_the_notice_in_the_inbox_only(
    mo, mailoutbox, django_capture_on_commit_callbacks
):
    """REQ: UX-4"""
    notice = notify_committed(
        django_capture_on_commit_callbacks, user=mo, template="work_approved", params={"title": "Dawn"}
    )
    assert Notification.objects.filter(user=mo).count() == 1
    assert mailoutbox == []
    notice.refresh_from_db()
    assert notice.emailed_at is None


def test_the_email_is_sent_once_however_often_the_job_runs(
    ana, mailoutbox, django_capture_on_commit_callbacks
):
    """REQ: UX-4: a redelivered or duplicated job does not email twice."""
    notify_committed(
        django_capture_on_commit_callbacks, user=ana, template="work_approved", params={"title": "Dawn"}
    )
    row = OutboxMessage.objects.get(kind="notifications.notice")
    assert outbox_deliver(message_id=row.pk) == "skipped"
    assert outbox_deliver(message_id=row.pk) == "skipped"
    assert len(mailoutbox) == 1


def test_a_failed_send_is_kept_and_sent_by_a_later_attempt(ana, mailoutbox, monkeypatch):
    """REQ: UX-4"""
    from smtplib import SMTPServerDisconnected

    from django.core.mail import EmailMessage

    notice = notify(user=ana, template="work_approved", params={"title": "Dawn"})  # the job not yet run
    row = OutboxMessage.objects.get(kind="notifications.notice")

    def down(self, *args, **kwargs):
        raise SMTPServerDisconnected("mail server went away")

    with monkeypatch.context() as patched:
        patched.setattr(EmailMessage, "send", down)
        assert outbox_deliver(message_id=row.pk) == "retry"
    notice.refresh_from_db()
    assert notice.emailed_at is None and mailoutbox == []
    with time_machine.travel(row.created_at + timedelta(minutes=2)):
        assert outbox_deliver(message_id=row.pk) == "sent"
    notice.refresh_from_db()
    assert notice.emailed_at is not None and len(mailoutbox) == 1


def test_a_notice_of_a_decision_that_rolls_back_is_neither_kept_nor_emailed(
    ana, mailoutbox, django_capture_on_commit_callbacks
):
    """REQ: UX-4"""
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        notify(user=ana, template="work_approved", params={"title": "Dawn"})
        raise RuntimeError("the decision failed")
    assert not Notification.objects.filter(user=ana).exists()
    assert mailoutbox == []


def test_unknown_templates_and_links_off_the_site_are_refused(ana):
    with pytest.raises(ValueError, match="unknown notification template"):
        notify(user=ana, template="work_exploded")
    for link in ("https://evil.example/", "//evil.example/", "/\\evil.example", "works/1/"):
        with pytest.raises(ValidationError):
            notify(user=ana, template="work_approved", params={"title": "x"}, link=link)
    assert not Notification.objects.filter(user=ana).exists()


def test_a_reason_code_shows_as_itself_until_an_app_registers_its_labels(monkeypatch):
    """REQ: MOD-2: the owner is told the reason, with its label and explanation once they are known."""
    monkeypatch.setattr(messages, "_reason_labels", [])
    _subject, body = render(template="work_rejected", params={"title": "Dawn"}, reason_code="spam")
    assert "Reason: spam" in body

    messages.register_reason_labels(
        lambda code: ("Spam", "Repeated, unwanted content.") if code == "spam" else None
    )
    _subject, body = render(template="work_rejected", params={"title": "Dawn"}, reason_code="spam")
    assert "Reason: Spam\nRepeated, unwanted content." in body
    assert "Reason: other" in render(template="work_rejected", params={}, reason_code="other")[1]


def test_phrases_are_stored_in_english_and_shown_in_the_readers_language(ana):
    """REQ: UX-4, UX-1: a stored notice follows the reader's language, not the sender's."""
    with translation.override("zh-hans"):
        notice = notify(user=ana, template="appeal_decided", params={"outcome": gettext_lazy("Published")})
    assert notice.params == {"outcome": "Published"}
    with translation.override("en"):
        assert "Outcome: Published." in notice.rendered()[1]
    with translation.override("zh-hans"):
        assert "已发布" in notice.rendered()[1]


def test_a_sanction_without_an_end_says_so_and_one_with_an_end_shows_it(ana):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    permanent = notify(user=ana, template="sanction_applied", params={"kind": "Suspension"})
    assert "It ends: no end date." in permanent.rendered()[1]
    until = datetime(2031, 5, 4, 12, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    timed = notify(user=ana, template="sanction_applied", params={"kind": "Suspension", "until": until})
    assert timed.params["until"] == until.isoformat()
    assert "2031" in timed.rendered()[1] and "no end date" not in timed.rendered()[1]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_every_catalogue_entry_renders_with_its_parameters(language):
    """REQ: UX-4"""
    params = {
        "title": "Dawn",
        "kind": "Warning",
        "outcome": "Upheld",
        "until": "",
        "message": "Note.",
        "reference": "R-ABCD2345",
        "username": "reclaimed_7",
        # Licensing notices (licensing.notices), and reports' licence-instead-of-takedown ones (RPT-15).
        "party": "@mei",
        "works": "“Dawn”",
        "number": "2",
        "deal": "D-ABCD2345",
        "report": "R-ABCD2345",
        "request": "L-ABCD2345",
        # Shop notices (shop.notices).
        "count": "2",
        "margin": "54.00",
        "total": "99.00",
        "tracking": "SF1234567890",
        "amount": "154.00",
        "requested": "2026-12-01",
        # Repost permissions (reposts.notices) and authority requests (disclosure.notices).
        "site": "blog.example.com",
        "ends": "2027-06-30",
        "authority": "Public Security Bureau",
        "basis": "Article 28",
        "kinds": "registration information",
        "period": "2026-01-01 – 2026-06-30",
    }
    with translation.override(language):
        for template in CATALOGUE:
            subject, body = render(template=template, params=params, reason_code="spam")
            assert subject and body and "%(" not in subject + body and "?" not in subject, template
            assert "\n" not in subject


def test_a_missing_parameter_shows_a_question_mark_instead_of_failing():
    subject, _body = render(template="work_approved", params={})
    assert subject == "Your work “?” is published"
    assert render(template="no_longer_exists", params={}) == ("no_longer_exists", "")


def test_a_count_chooses_the_plural_form_of_a_notice_when_it_is_read():
    """REQ: UX-4: "1 item", "3 items", not "item(s)"; the count is stored as text like every parameter."""
    params = {"reference": "O-ABCD2345", "count": "1", "margin": "5.00"}
    assert render(template="shop_order_sold", params=params)[0] == "You sold 1 item in order O-ABCD2345"
    params["count"] = "3"
    assert render(template="shop_order_sold", params=params)[0] == "You sold 3 items in order O-ABCD2345"
