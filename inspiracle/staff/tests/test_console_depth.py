"""The staff console's depth (issue 15): user search through the blind indexes, the dashboard's counts,
internal notes, deadline reminders to legal officers, the audit log's filters and menus without dead ends."""

import re
from datetime import datetime, timedelta

import pytest
import time_machine
from django.utils import translation

from inspiracle.accounts.models import User
from inspiracle.audit.models import AuditEvent
from inspiracle.core.testing import make_user
from inspiracle.outbox.models import OutboxMessage
from inspiracle.reports.tests.test_staff import ip_report
from inspiracle.reports.workdays import BEIJING
from inspiracle.staff.models import DeadlineReminder, StaffNote
from inspiracle.staff.tasks import deadline_reminders

pytestmark = pytest.mark.django_db


# --- User search -------------------------------------------------------------------------------------------


def test_staff_find_accounts_by_part_of_the_username_or_display_name(ana, mo, client_for):
    client = client_for(mo)
    page = client.get("/staff/users/", {"q": "AN", "by": "name"}).content.decode()
    assert 'href="/staff/users/ana/"' in page and 'href="/staff/users/mo/"' not in page
    found = client.get("/api/staff/users", {"q": ana.profile.display_name[:3]}).json()["items"]
    assert [u["username"] for u in found] == ["ana"]
    # Without a query: the staff accounts.
    assert 'href="/staff/users/mo/"' in client.get("/staff/users/").content.decode()
    assert not AuditEvent.objects.filter(action="pii.searched").exists()


def test_an_exact_email_or_mobile_finds_the_account_and_the_search_is_audited_without_the_value(
    lee, client_for
):
    """REQ: MOD-8, PRV-1"""
    rita = make_user("rita", email="Rita.Holder@Example.com", mobile="13912345678")
    client = client_for(lee)
    by_mail = client.get("/staff/users/", {"q": "Rita.Holder@example.COM", "by": "email"})
    assert by_mail.status_code == 200 and 'href="/staff/users/rita/"' in by_mail.content.decode()
    by_phone = client.get("/api/staff/users", {"q": "+86 139 1234 5678", "by": "phone"}).json()["items"]
    assert [u["username"] for u in by_phone] == ["rita"]
    # A part of the address is not a search through a blind index: nothing is found.
    assert (
        client.get("/api/staff/users", {"q": "rita.holder@example.org", "by": "email"}).json()["items"] == []
    )
    events = list(AuditEvent.objects.filter(action="pii.searched").order_by("seq"))
    assert [(e.data["by"], e.data["found"], e.actor_label) for e in events] == [
        ("email", [rita.pk], "lee"),
        ("phone", [rita.pk], "lee"),
        ("email", [], "lee"),
    ]
    for event in events:
        logged = f"{event.data} {event.reason} {event.target_label}".lower()
        assert "rita.holder" not in logged and "1234" not in logged


def test_a_malformed_phone_or_email_gets_a_clear_error_and_a_moderator_may_not_search_personal_data(
    lee, mo, client_for
):
    """REQ: MOD-7"""
    refused = client_for(lee).get("/staff/users/", {"q": "12ab", "by": "phone"})
    assert refused.status_code == 400 and "is not a phone number" in refused.content.decode()
    api = client_for(lee).get("/api/staff/users", {"q": "not-an-address", "by": "email"})
    assert api.status_code == 422 and "q" in api.json()["error"]["fields"]
    assert client_for(mo).get("/api/staff/users", {"q": "a@b.cn", "by": "email"}).status_code == 403
    page = client_for(mo).get("/staff/users/").content.decode()
    assert 'value="email"' not in page and 'value="phone"' not in page
    assert client_for(mo).get("/staff/users/", {"q": "a@b.cn", "by": "email"}).status_code == 400
    assert not AuditEvent.objects.filter(action="pii.searched").exists()


def test_the_user_detail_endpoint_describes_the_account_without_personal_information(ana, mo, client_for):
    detail = client_for(mo).get("/api/staff/users/ana").json()
    assert detail["username"] == "ana" and detail["kind"] == "person" and detail["is_active"] is True
    assert "email" not in detail and "mobile" not in detail
    assert client_for(mo).get("/api/staff/users/nobody").status_code == 404
    assert client_for(mo).post("/staff/notes/work/99999999999999999999999/", {"text": "x"}).status_code == 404
    assert client_for(mo).post("/staff/notes/shop/1/", {"text": "x"}).status_code == 404


# --- Dashboard ---------------------------------------------------------------------------------------------


def test_the_dashboard_counts_what_waits_and_shows_each_role_only_the_lists_it_may_open(
    cy, mo, lee, published_work, submit, client_for
):
    """REQ: RPT-6, MOD-7
    GIVEN a work awaiting review, a report filed in March and one filed in mid-April
    WHEN a legal officer opens the dashboard in mid-April THEN one report is overdue, one due later; a moderator
    sees only the counts of lists they may open."""
    work = published_work()
    submit(title="Second", seed=2)
    with time_machine.travel(datetime(2026, 3, 2, 10, tzinfo=BEIJING), tick=False):
        ip_report(cy, work)
    with time_machine.travel(datetime(2026, 4, 13, 10, tzinfo=BEIJING), tick=False):
        ip_report(cy, work)
    with time_machine.travel(datetime(2026, 4, 15, 10, tzinfo=BEIJING), tick=False):
        counts = {
            c["key"]: (c["count"], c["url"])
            for c in client_for(lee).get("/api/staff/dashboard").json()["counts"]
        }
        page = client_for(lee).get("/staff/").content.decode()
        mo_counts = {c["key"] for c in client_for(mo).get("/api/staff/dashboard").json()["counts"]}
    assert counts == {
        "awaiting_review": (1, "/staff/review/"),
        "open_appeals": (0, "/staff/appeals/"),
        "reports_overdue": (1, "/staff/reports/"),
        "reports_due_soon": (0, "/staff/reports/"),
        "reports_due_later": (1, "/staff/reports/"),
        "awaiting_verification": (0, "/staff/verification/"),
    }
    assert re.search(r'data-count="reports_overdue"><strong>1</strong>', page)
    assert mo_counts == {"awaiting_review", "open_appeals"}


def test_a_report_three_working_days_from_its_deadline_counts_as_due_soon(
    cy, lee, published_work, client_for
):
    """REQ: RPT-6"""
    with time_machine.travel(datetime(2026, 4, 13, 10, tzinfo=BEIJING), tick=False):
        report = ip_report(cy, published_work())
    # Three working days before the deadline's day (the deadline is a Monday to Friday end of day).
    with time_machine.travel(report.due_at - timedelta(days=3), tick=False):
        counts = {c["key"]: c["count"] for c in client_for(lee).get("/api/staff/dashboard").json()["counts"]}
    assert counts["reports_due_soon"] == 1 and counts["reports_due_later"] == 0


# --- Notes -------------------------------------------------------------------------------------------------


def test_staff_append_notes_to_a_user_and_a_work_shown_on_their_staff_pages_and_audited(
    ana, mo, submit, client_for
):
    work = submit()
    client = client_for(mo)
    added = client.post("/staff/notes/user/ana/", {"text": "Asked for the RAW files by mail."})
    assert added.status_code == 302 and added["Location"] == "/staff/users/ana/#notes"
    assert "Asked for the RAW files by mail." in client.get("/staff/users/ana/").content.decode()
    api = client.post(
        f"/api/staff/works/{work.pk}/notes", {"text": "Same shoot as #12"}, content_type="application/json"
    )
    assert api.status_code == 201 and api.json()["author"] == "mo"
    assert "Same shoot as #12" in client.get(f"/staff/review/{work.pk}/").content.decode()
    assert [n["text"] for n in client.get(f"/api/staff/works/{work.pk}/notes").json()["items"]] == [
        "Same shoot as #12"
    ]
    events = AuditEvent.objects.filter(action="staff.note_added").order_by("seq")
    assert [(e.target_type, e.actor_label) for e in events] == [("accounts.User", "mo"), ("works.Work", "mo")]
    # Append-only: a saved note cannot be changed.
    note = StaffNote.objects.first()
    assert note is not None
    note.text = "changed"
    with pytest.raises(ValueError):
        note.save()


def test_a_note_is_at_most_2000_characters_and_never_empty(ana, mo, client_for):
    client = client_for(mo)
    long = client.post("/api/staff/users/ana/notes", {"text": "x" * 2001}, content_type="application/json")
    assert long.status_code == 422
    blank = client.post("/api/staff/users/ana/notes", {"text": "   "}, content_type="application/json")
    assert blank.status_code == 400 and "text" in blank.json()["error"]["fields"]
    page = client.post("/staff/notes/user/ana/", {"text": "y" * 2001}, follow=True).content.decode()
    assert "2000" in page or "2,000" in page
    assert not StaffNote.objects.exists()


def _note_field(page: str) -> str:
    found = re.search(r'<textarea name="text"[^>]*>(.*?)</textarea>', page, re.S)
    assert found is not None
    return found.group(0)


@pytest.mark.parametrize("text", ["y" * 2001, "   "], ids=["too long", "blank"])
def test_a_refused_note_shows_its_error_at_the_form_and_keeps_the_typed_text(
    text, ana, mo, lee, cy, submit, published_work, client_for
):
    """GIVEN a staff member writing a note on a user, a work and a report
    WHEN the note is refused (too long, or blank)
    THEN the page the form returns to says why at the field and the text is still there to correct, once:
    opening the page again shows an empty form."""
    work = submit()
    report = ip_report(cy, published_work())
    pages = [
        (client_for(mo), "/staff/notes/user/ana/", "/staff/users/ana/"),
        (client_for(mo), f"/staff/notes/work/{work.pk}/", f"/staff/review/{work.pk}/"),
        (client_for(lee), f"/staff/notes/report/{report.reference}/", f"/staff/reports/{report.reference}/"),
    ]
    for client, action, page_url in pages:
        response = client.post(action, {"text": text})
        assert response["Location"] == page_url + "#notes"
        page = client.get(page_url).content.decode()
        field = _note_field(page)
        assert 'aria-invalid="true"' in field, page_url
        assert ("2000" in page or "2,000" in page) if text.strip() else "This field is required." in page
        assert "The note was not added; correct it below." in page
        if text.strip():
            assert text in field
        assert 'aria-invalid="true"' not in _note_field(client.get(page_url).content.decode())
    assert not StaffNote.objects.exists()


def test_report_notes_are_for_the_roles_that_handle_reports(cy, mo, lee, published_work, client_for):
    """REQ: MOD-7"""
    report = ip_report(cy, published_work())
    url = f"/api/staff/reports/{report.reference}/notes"
    assert client_for(mo).post(url, {"text": "x"}, content_type="application/json").status_code == 403
    assert client_for(cy).get(url).status_code == 404
    assert (
        client_for(lee)
        .post(url, {"text": "Called the reporter."}, content_type="application/json")
        .status_code
        == 201
    )
    page = client_for(lee).get(f"/staff/reports/{report.reference}/").content.decode()
    assert "Called the reporter." in page and 'id="notes"' in page


# --- Deadline reminders ------------------------------------------------------------------------------------


def test_legal_officers_are_mailed_once_when_a_report_nears_its_deadline_and_once_when_overdue(
    cy, lee, published_work, mailoutbox, django_capture_on_commit_callbacks
):
    """REQ: RPT-6
    GIVEN two legal officers with addresses, one reading English, one Chinese
    WHEN the reminder job runs twice at each of: just after filing, 3 working days before the deadline,
    after the deadline THEN each officer gets exactly one "due soon" and one "overdue" mail, in their language,
    and the job's messages carry ids only."""
    leo = make_user("leo", role="legal_officer", email="leo@example.com")
    lan = make_user("lan", role="legal_officer", email="lan@example.com")
    User.objects.filter(pk=leo.pk).update(language="en")
    User.objects.filter(pk=lan.pk).update(language="zh-hans")
    with time_machine.travel(datetime(2026, 4, 13, 10, tzinfo=BEIJING), tick=False):
        report = ip_report(cy, published_work())
    mailoutbox.clear()

    def run_twice():
        with django_capture_on_commit_callbacks(execute=True):
            first = deadline_reminders()
        with django_capture_on_commit_callbacks(execute=True):
            second = deadline_reminders()
        return first, second

    with time_machine.travel(datetime(2026, 4, 14, 10, tzinfo=BEIJING), tick=False):
        assert run_twice() == (0, 0)
    with time_machine.travel(report.due_at - timedelta(days=3), tick=False):
        assert run_twice() == (1, 0)
    soon = {m.to[0]: m for m in mailoutbox}
    assert set(soon) == {"leo@example.com", "lan@example.com"}  # Lee has no address
    assert (
        report.reference in soon["leo@example.com"].subject
        and "3 working days" in soon["leo@example.com"].subject
    )
    local_due = report.due_at.astimezone(BEIJING)
    assert f"{local_due.year}年{local_due.month}月{local_due.day}日" in soon["lan@example.com"].body
    assert f"{local_due.year}年" not in soon["leo@example.com"].body
    mailoutbox.clear()
    with time_machine.travel(report.due_at + timedelta(hours=1), tick=False):
        assert run_twice() == (1, 0)
    assert sorted(m.to[0] for m in mailoutbox) == ["lan@example.com", "leo@example.com"]
    with translation.override("en"):
        assert all("overdue" in m.subject for m in mailoutbox if m.to[0] == "leo@example.com")
    assert DeadlineReminder.objects.filter(report=report).count() == 2
    assert all("@" not in m.payload for m in OutboxMessage.objects.filter(kind="staff.deadline"))


def test_a_report_found_overdue_first_gets_only_the_overdue_mail(
    cy, published_work, mailoutbox, django_capture_on_commit_callbacks
):
    """REQ: RPT-6"""
    leo = make_user("leo", role="legal_officer", email="leo@example.com")
    User.objects.filter(pk=leo.pk).update(language="en")
    with time_machine.travel(datetime(2026, 4, 13, 10, tzinfo=BEIJING), tick=False):
        report = ip_report(cy, published_work())
    mailoutbox.clear()
    late = report.due_at + timedelta(days=2)
    with time_machine.travel(late, tick=False), django_capture_on_commit_callbacks(execute=True):
        deadline_reminders()
    assert [("overdue" in m.subject) for m in mailoutbox] == [True]


# --- Audit log filters -------------------------------------------------------------------------------------


def test_the_audit_log_filters_by_action_actor_target_and_day(ana, ada, mo, client_for):
    """REQ: AUD-1"""
    client = client_for(ada)
    with time_machine.travel(datetime(2026, 5, 1, 10, tzinfo=BEIJING), tick=False):
        client.post("/api/staff/users/ana/notes", {"text": "first"}, content_type="application/json")
    with time_machine.travel(datetime(2026, 5, 3, 10, tzinfo=BEIJING), tick=False):
        client_for(mo).post("/api/staff/users/mo/notes", {"text": "second"}, content_type="application/json")
    found = client.get(
        "/api/staff/audit",
        {"action": "staff.note", "target": "ana", "since": "2026-05-01", "until": "2026-05-02"},
    ).json()["items"]
    assert [(e["action"], e["actor_label"]) for e in found] == [("staff.note_added", "ada")]
    by_actor = client.get("/api/staff/audit", {"action": "staff.note", "actor": "mo"}).json()["items"]
    assert [e["target_label"] for e in by_actor] == ["mo"]
    page = client.get("/staff/audit/", {"action": "staff.note", "since": "2026-05-02"}).content.decode()
    assert page.count("staff.note_added") == 1
    assert client.get("/staff/audit/", {"since": "2026-13-01"}).status_code == 400
    assert client.get("/api/staff/audit", {"since": "2026-05-03", "until": "2026-05-01"}).status_code == 422
    assert client.get("/api/staff/audit", {"since": "soon"}).status_code == 422


# --- Menus -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["mo", "lee", "ada"])
def test_each_role_sees_only_links_it_may_open_on_the_dashboard(role, request, client_for):
    """REQ: MOD-7: no staff menu link answers 403."""
    user = request.getfixturevalue(role)
    client = client_for(user)
    page = client.get("/staff/").content.decode()
    links = set(re.findall(r'href="(/staff/[^"#?]*)', page))
    assert links
    refused = {link for link in links if client.get(link).status_code == 403}
    assert refused == set()


# --- API parity: screening terms, works by status, the review item -------------------------------------------


def test_screening_terms_are_listed_added_and_removed_through_the_api_and_each_change_is_audited(
    mo, client_for
):
    """REQ: MOD-3"""
    client = client_for(mo)
    added = client.post(
        "/api/staff/screening-terms",
        {"term": "  free   download ", "note": "spam"},
        content_type="application/json",
    )
    assert added.status_code == 201 and added.json()["term"] == "free download"
    again = client.post(
        "/api/staff/screening-terms", {"term": "free download"}, content_type="application/json"
    )
    assert again.status_code == 400
    assert [t["term"] for t in client.get("/api/staff/screening-terms").json()["items"]] == ["free download"]
    assert "free download" in client.get("/staff/screening/").content.decode()
    assert client.delete(f"/api/staff/screening-terms/{added.json()['id']}").status_code == 204
    assert client.get("/api/staff/screening-terms").json()["items"] == []
    assert client.delete(f"/api/staff/screening-terms/{added.json()['id']}").status_code == 404
    assert list(
        AuditEvent.objects.filter(action__startswith="screening.")
        .order_by("seq")
        .values_list("action", flat=True)
    ) == ["screening.term_added", "screening.term_removed"]


def test_staff_list_works_by_status_through_the_api(mo, published_work, submit, client_for):
    published = published_work(title="Out", seed=3)
    waiting = submit(title="Waiting", seed=4)
    client = client_for(mo)
    assert [w["id"] for w in client.get("/api/staff/works").json()["items"]] == [waiting.pk]
    assert [w["id"] for w in client.get("/api/staff/works?status=published").json()["items"]] == [
        published.pk
    ]
    assert client.get("/api/staff/works?status=gone").status_code == 422


def test_the_review_item_endpoint_gives_files_matches_with_distances_and_the_uploaders_record(
    mo, published_work, submit, client_for
):
    """REQ: MOD-1, WRK-9"""
    original = published_work(title="Original", seed=7)
    copy = submit(title="Copy", seed=7)
    item = client_for(mo).get(f"/api/staff/review/{copy.pk}").json()
    assert item["id"] == copy.pk and item["status"] == "awaiting_review" and len(item["files"]) == 1
    assert item["similar"] and item["similar"][0]["other_work_id"] == original.pk
    assert item["similar"][0]["distance"] == 0 and item["similar"][0]["other_owner"] == "ana"
    history = item["uploader_history"]
    assert history["approved"] == 1 and history["decisions"][0]["work_id"] == original.pk
    assert history["decisions"][0]["decided_by"] == "mo"
    assert client_for(mo).get("/api/staff/review/999999").status_code == 404
