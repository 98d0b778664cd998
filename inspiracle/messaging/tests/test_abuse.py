"""Abuse in threads (COM-7, MOD-5, MOD-8): a participant reports, staff who handle abuse read the thread
(audited) and hide the message or close the thread, the people concerned are told, and a sanction follows
from the staff account page."""

import json

import pytest

from inspiracle.audit.models import AuditEvent
from inspiracle.messaging.models import Message, Thread, ThreadReport
from inspiracle.messaging.services import thread_report, thread_report_decide
from inspiracle.messaging.tests.conftest import PDF_FILE
from inspiracle.notifications.models import Notification


def post_json(client, url: str, data: dict):
    return client.post(url, json.dumps(data), content_type="application/json")


def test_a_reported_message_is_hidden_by_staff_and_the_sender_is_restricted_from_his_account_page(
    ana, cy, mo, thread, send, client_for, api
):
    """REQ: COM-7, MOD-5, MOD-8
    GIVEN Cy insults Ana in their thread WHEN Ana reports the message, Mo reads the thread and acts on the
    report, then restricts Cy from the staff account page the report links to THEN the message is hidden
    from both, Ana learns the outcome, Cy is told his message was hidden and can no longer write."""
    insult = send(thread, cy, "You are worthless", files=[PDF_FILE])
    ana_client = client_for(ana)
    form = ana_client.get(f"/messages/{thread.pk}/report/?message={insult.pk}")
    assert form.status_code == 200 and "You are worthless" in form.content.decode()
    sent = ana_client.post(f"/messages/{thread.pk}/report/?message={insult.pk}", {"reason": "An insult."})
    assert sent.status_code == 302
    report = ThreadReport.objects.get()
    assert (report.message, report.reported_user, report.status) == (insult, cy, "open")

    mo_client = client_for(mo)
    queue = mo_client.get("/staff/messages/reports/")
    assert f"/staff/messages/reports/{report.pk}/" in queue.content.decode()
    page = mo_client.get(f"/staff/messages/reports/{report.pk}/")
    html = page.content.decode()
    assert "You are worthless" in html and "Hello Ana!" in html and "An insult." in html
    assert "/staff/accounts/cy/" in html
    assert AuditEvent.objects.filter(
        action="thread.reviewed", actor_id=mo.pk, target_id=str(thread.pk)
    ).exists()
    attachment = insult.attachments.get()
    assert mo_client.get(f"/staff/messages/attachments/{attachment.pk}/").status_code == 200

    decided = mo_client.post(
        f"/staff/messages/reports/{report.pk}/", {"outcome": "action", "note": "Clear insult."}
    )
    assert decided.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.decided_by, report.staff_note) == ("actioned", mo, "Clear insult.")
    assert Message.objects.get(pk=insult.pk).hidden_by == mo
    assert Notification.objects.filter(user=ana, kind="message.report_decided").exists()
    hidden_notice = Notification.objects.get(user=cy, kind="message.hidden")
    assert "You are worthless" not in str(hidden_notice.rendered())

    for user in (ana, cy):
        shown = client_for(user).get(f"/messages/{thread.pk}/").content.decode()
        assert "You are worthless" not in shown and "Staff hid this message" in shown
        message = api(user).get(f"/api/threads/{thread.pk}").json()["messages"][-1]
        assert (message["hidden"], message["body"], message["attachments"]) == (True, "", [])
    assert client_for(ana).get(f"/messages/attachments/{attachment.pk}/").status_code == 404
    # Decided: the thread is no longer open to staff.
    assert "Hello Ana!" not in mo_client.get(f"/staff/messages/reports/{report.pk}/").content.decode()
    assert mo_client.get(f"/staff/messages/attachments/{attachment.pk}/").status_code == 404

    restricted = mo_client.post(
        "/staff/accounts/cy/",
        {
            "form": "sanction",
            "kind": "participation",
            "reason_code": "abuse",
            "days": 7,
        },
    )
    assert restricted.status_code == 302
    refused = api(cy).post(f"/api/threads/{thread.pk}/messages", {"body": "Sorry?"})
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "sanctioned"


def test_a_whole_thread_reported_and_acted_on_is_closed_and_both_are_told(ana, cy, lee, thread, api):
    """REQ: COM-7"""
    response = post_json(api(ana), f"/api/threads/{thread.pk}/report", {"reason": "He keeps pestering me."})
    assert response.status_code == 201 and response.json()["message"] is None
    report_id = response.json()["id"]
    lee_api = api(lee)
    listed = lee_api.get("/api/staff/message-reports").json()["items"]
    assert [r["id"] for r in listed] == [report_id] and listed[0]["reported_user"] == "cy"
    assert listed[0]["account_url"].endswith("/staff/accounts/cy/")
    detail = lee_api.get(f"/api/staff/message-reports/{report_id}").json()
    assert [m["body"] for m in detail["messages"]] == ["Hello Ana!"]
    decided = post_json(lee_api, f"/api/staff/message-reports/{report_id}/decide", {"outcome": "action"})
    assert decided.status_code == 200 and decided.json()["status"] == "actioned"
    assert Thread.objects.get(pk=thread.pk).closed_at is not None
    assert Notification.objects.filter(user=cy, kind="message.thread_closed").exists()
    assert Notification.objects.filter(user=ana, kind="message.report_decided").exists()
    again = post_json(lee_api, f"/api/staff/message-reports/{report_id}/decide", {"outcome": "dismiss"})
    assert again.status_code == 409
    assert lee_api.get(f"/api/staff/message-reports/{report_id}").json()["messages"] == []


def test_a_dismissed_report_changes_nothing_but_the_reporter_learns_it(ana, cy, mo, thread, api):
    """REQ: COM-7, UX-4"""
    message = thread.messages.get()
    report = thread_report(reporter=ana, thread=thread, message=message, reason="Not sure")
    thread_report_decide(actor=mo, report=report, outcome="dismiss")
    assert not Message.objects.get(pk=message.pk).is_hidden
    notice = Notification.objects.get(user=ana, kind="message.report_decided")
    assert "No action taken" in notice.rendered()[0]
    assert not Notification.objects.filter(
        user=cy, kind__in=["message.hidden", "message.thread_closed"]
    ).exists()


def test_a_report_is_refused_twice_for_ones_own_message_and_for_a_stranger(ana, cy, olga, thread, api):
    """REQ: COM-7, PRV-3"""
    message = thread.messages.get()
    url = f"/api/messages/{message.pk}/report"
    assert post_json(api(ana), url, {"reason": "Spam"}).status_code == 201
    twice = post_json(api(ana), url, {"reason": "Spam again"})
    assert twice.status_code == 409 and twice.json()["error"]["code"] == "already_reported"
    assert post_json(api(cy), url, {"reason": "Mine"}).status_code == 400  # his own: nothing to report
    assert post_json(api(olga), url, {"reason": "Nosy"}).status_code == 404
    assert post_json(api(ana), url, {"reason": "  "}).status_code == 400
    assert ThreadReport.objects.count() == 1


def test_staff_taking_part_in_a_thread_do_not_decide_its_report(ana, mo, lee, send):
    """REQ: MOD-6 in spirit: nobody decides their own case."""
    from inspiracle.messaging.services import thread_start

    thread = thread_start(kind=Thread.Kind.DIRECT, first=mo, second=ana, topic="Hello")
    message = send(thread, mo, "Hi")
    report = thread_report(reporter=ana, thread=thread, message=message, reason="Odd")
    with pytest.raises(Exception, match="another staff member"):
        thread_report_decide(actor=mo, report=report, outcome="dismiss")
    assert thread_report_decide(actor=lee, report=report, outcome="dismiss").status == "dismissed"


def test_every_step_is_audited_without_what_was_written(ana, cy, mo, thread):
    """REQ: AUD-1, MOD-8"""
    report = thread_report(reporter=ana, thread=thread, message=thread.messages.get(), reason="Secret reason")
    thread_report_decide(actor=mo, report=report, outcome="action", note="Staff note")
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "thread.started",
        "message.sent",
        "thread_report.filed",
        "thread_report.decided",
        "message.hidden",
    } <= actions
    recorded = json.dumps(list(AuditEvent.objects.values("data", "target_label")))
    assert "Hello Ana!" not in recorded and "Secret reason" not in recorded
