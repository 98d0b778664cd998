"""Language and e-mail choices (UX-4): the language switch sets the account's language, which notices are
e-mailed is the user's choice for optional topics, and mandatory notices are always e-mailed."""

import json

import pytest

from inspiracle.accounts.models import User
from inspiracle.audit.models import AuditEvent
from inspiracle.notifications.messages import CATALOGUE
from inspiracle.notifications.models import Notification
from inspiracle.notifications.preferences import TOPICS, topic_for_kind
from inspiracle.notifications.services import email_preferences_set, notify
from inspiracle.outbox.models import OutboxMessage


def test_the_language_switch_sets_a_signed_in_users_account_language_and_audits_it(ana, client_for):
    """REQ: UX-4: GIVEN Ana registered in Chinese WHEN she switches the site to English THEN her account's
    language (that of her e-mails and notices) is English too, and the change is in the audit log."""
    User.objects.filter(pk=ana.pk).update(language="zh-hans")
    client = client_for(ana)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/gallery/"})
    assert response.status_code == 302
    ana.refresh_from_db()
    assert ana.language == "en"
    event = AuditEvent.objects.get(action="account.language_changed")
    assert (event.actor_id, event.data) == (ana.pk, {"from": "zh-hans", "to": "en"})
    client.post("/i18n/setlang/", {"language": "en", "next": "/gallery/"})
    assert AuditEvent.objects.filter(action="account.language_changed").count() == 1  # no change, no event


def test_the_language_switch_for_a_visitor_and_an_unknown_language_changes_no_account(ana, client):
    User.objects.filter(pk=ana.pk).update(language="zh-hans")
    assert client.post("/i18n/setlang/", {"language": "en"}).status_code == 302
    from django.test import Client

    signed = Client()
    signed.force_login(ana)
    signed.post("/i18n/setlang/", {"language": "xx"})
    ana.refresh_from_db()
    assert ana.language == "zh-hans"


def test_the_language_api_reads_and_changes_the_account_language(ana, client_for):
    client = client_for(ana)
    User.objects.filter(pk=ana.pk).update(language="zh-hans")
    assert client.get("/api/me/language").json() == {"language": "zh-hans", "choices": ["zh-hans", "en"]}
    changed = client.patch(
        "/api/me/language", json.dumps({"language": "en"}), content_type="application/json"
    )
    assert changed.status_code == 200
    assert changed.json()["language"] == "en"
    ana.refresh_from_db()
    assert ana.language == "en"
    refused = client.patch(
        "/api/me/language", json.dumps({"language": "fr"}), content_type="application/json"
    )
    assert refused.status_code == 422


def test_every_notice_kind_of_the_catalogue_is_in_exactly_one_topic():
    """A kind no topic names would be e-mailed (fail safe) but shown nowhere in the settings."""
    for entry in CATALOGUE.values():
        assert topic_for_kind(entry.kind) is not None, entry.kind
        assert sum(entry.kind in topic.kinds for topic in TOPICS) == 1, entry.kind


def test_a_muted_optional_notice_is_in_the_inbox_but_not_emailed(ana):
    """REQ: UX-4: GIVEN Ana turned off e-mails about new messages WHEN someone writes to her THEN the notice
    is in her inbox and nothing is queued for her e-mail."""
    email_preferences_set(user=ana, muted=["messages"])
    notify(user=ana, template="message_received", params={"username": "ben", "title": "Hi"})
    assert Notification.objects.filter(user=ana, kind="message.received").exists()
    assert not OutboxMessage.objects.exists()


def test_an_optional_notice_not_muted_is_emailed(ana):
    email_preferences_set(user=ana, muted=["reposts"])
    notify(user=ana, template="message_received", params={"username": "ben", "title": "Hi"})
    assert OutboxMessage.objects.filter(kind="notifications.notice").count() == 1


def test_a_mandatory_notice_is_emailed_whatever_the_preferences(ana):
    """REQ: MOD-4, UX-4: a takedown notice is always e-mailed, even to a user who turned off every optional
    topic."""
    email_preferences_set(user=ana, muted=["messages", "licensing", "reposts", "deliveries"])
    notify(user=ana, template="work_taken_down", params={"title": "Spring rain"})
    assert OutboxMessage.objects.filter(kind="notifications.notice").count() == 1


@pytest.mark.parametrize("muted", [["decisions"], ["reports"], ["nonsense"]])
def test_a_mandatory_or_unknown_topic_cannot_be_turned_off(ana, client_for, muted):
    client = client_for(ana)
    refused = client.patch(
        "/api/me/notification-preferences", json.dumps({"email_off": muted}), content_type="application/json"
    )
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "mandatory_notice"
    assert client.get("/api/me/notification-preferences").json()["email_off"] == []


def test_the_preferences_api_and_page_show_and_change_the_choices(ana, client_for):
    client = client_for(ana)
    shown = client.get("/api/me/notification-preferences").json()
    by_key = {topic["key"]: topic for topic in shown["topics"]}
    assert by_key["decisions"]["mandatory"] and by_key["decisions"]["email"]
    assert not by_key["messages"]["mandatory"] and by_key["messages"]["email"]
    changed = client.patch(
        "/api/me/notification-preferences",
        json.dumps({"email_off": ["messages"]}),
        content_type="application/json",
    )
    assert changed.json()["email_off"] == ["messages"]
    assert AuditEvent.objects.filter(
        action="notifications.email_preferences_changed", actor_id=ana.pk
    ).exists()

    page = client.get("/inbox/settings/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "always sent" in html
    # The page's form: ticking only reposts turns the other optional topics off.
    client.post("/inbox/settings/", {"email": ["reposts"]})
    shown = client.get("/api/me/notification-preferences").json()
    assert shown["email_off"] == ["deliveries", "licensing", "messages"]
