"""The audit log in words (AUD-1, MOD-8): staff read a translated action and readable details, not codes and
Python dicts."""

import re
import subprocess
from pathlib import Path

from django.utils import translation

from inspiracle.audit.labels import ACTION_LABELS, action_label, details_text, target_text
from inspiracle.audit.models import AuditEvent
from inspiracle.audit.services import audit_record

ROOT = Path(__file__).resolve().parents[2]


def test_every_action_code_written_in_the_code_has_a_label():
    """A literal ``action="..."`` in any app is labelled; codes built from a status are listed in the table."""
    found = subprocess.run(
        ["grep", "-rhoE", r'action="[a-z_]+\.[a-z_]+"', str(ROOT), "--include=*.py"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    codes = {re.sub(r'^action="|"$', "", line) for line in found.split()}
    codes.discard("test.event")  # tests' own
    assert sorted(codes - set(ACTION_LABELS)) == []


def test_an_action_is_labelled_in_the_active_language_and_an_unknown_one_shows_its_code():
    assert action_label("report.upheld") == "Report upheld"
    with translation.override("zh-hans"):
        assert action_label("report.upheld") == translation.gettext("Report upheld")
    assert action_label("brand.new") == "Other action (brand.new)"


def test_details_are_readable_text_not_a_python_dict(db):
    audit_record(action="profile.updated", data={"fields": ["bio", "display_name"], "from": None, "ok": True})
    event = AuditEvent.objects.get(action="profile.updated")
    text = details_text(event)
    assert text == "fields: bio, display_name; from: —; ok: yes"
    assert "{" not in text and "[" not in text


def test_the_audit_page_shows_labels_and_details(lee, client_for):
    """REQ: MOD-8: GIVEN a legal officer reading the audit log THEN each row's action is a label and its
    details are readable text."""
    audit_record(action="profile.updated", data={"fields": ["bio"]})
    page = client_for(lee).get("/staff/audit/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Public profile changed" in html
    assert "fields: bio" in html
    assert "{&#x27;fields&#x27;" not in html


def test_code_values_in_details_are_shown_as_labels_in_the_readers_language(db):
    """Issue 15: values such as a consent method, a sanction kind, a repost status or where contact details
    were shown are labels, not codes; other values stay as written."""
    audit_record(action="consent.accepted", data={"method": "reacceptance"})
    audit_record(action="sanction.applied", data={"kind": "suspension"})
    audit_record(action="repost.approved", data={"from": "requested", "to": "approved", "site": "page"})
    audit_record(action="licensing.contact_disclosed", data={"via": "page"})
    texts = [details_text(e) for e in AuditEvent.objects.order_by("seq")]
    assert texts == [
        "method: explicit re-acceptance",
        "kind: Suspension",
        "from: Awaiting the creator's answer; site: page; to: Approved",
        "via: Deal page",
    ]
    with translation.override("zh-hans"):
        chinese = " ".join(details_text(e) for e in AuditEvent.objects.all())
    for code in ("reacceptance", "suspension", "requested", "Deal page"):
        assert code not in chinese


def test_a_target_named_by_its_model_is_shown_in_the_readers_language():
    """Issue 15: "thread report 1" and "rights profile 1 of 2" are stored in English (hashed, so kept); the
    page names them in the reader's language. A label the caller chose is shown as stored."""
    first = AuditEvent(target_type="messaging.ThreadReport", target_label="thread report 7")
    second = AuditEvent(target_type="reports.RightsHolderProfile", target_label="rights profile 3 of 9")
    third = AuditEvent(target_type="reposts.RepostPermission", target_label="RP-123")
    assert target_text(first) == "message report #7"
    assert target_text(second) == "rights holder profile #3 of account #9"
    assert target_text(third) == "RP-123"
    with translation.override("zh-hans"):
        assert target_text(first) == translation.gettext("message report #%(id)s") % {"id": "7"}
        assert "thread report" not in target_text(first)
        assert "rights profile" not in target_text(second)
