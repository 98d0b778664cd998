"""Reports in the staff console and the staff API (RPT-6..RPT-10, RPT-13, RPT-14, RPT-16, MOD-7, MOD-8)."""

from datetime import datetime

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from config.celery import app
from inspiracle.audit.models import AuditEvent
from inspiracle.core.testing import make_user
from inspiracle.notifications.models import Notification
from inspiracle.reports.models import CounterNotice, Report, RightsHolderProfile
from inspiracle.reports.services import (
    ReportInput,
    Upload,
    counter_notice_file,
    report_decide,
    report_file,
)
from inspiracle.reports.services.profiles import rights_profile_create
from inspiracle.reports.tasks import purge
from inspiracle.reports.tests.test_flow import PDF, complete_ip
from inspiracle.reports.workdays import BEIJING
from inspiracle.works.models import Work


def post_json(client, url, data):
    return client.post(url, data, content_type="application/json")


def ip_report(reporter, work) -> Report:
    """A complete intellectual property report by ``reporter`` about ``work``: accepted, its deadline running."""
    data = complete_ip(f"/works/{work.pk}/")
    data.category, data.email = "ip", "rita@example.com"
    return report_file(reporter=reporter, data=data)


def impersonation_report(reporter, account) -> Report:
    return report_file(
        reporter=reporter,
        data=ReportInput(
            category="impersonation",
            name="Rita Holder",
            mailing_address="上海市黄浦区中山东一路 1 号",
            phone="13900001111",
            email="rita@example.com",
            description="This account uses my name and my portrait to pass as me.",
            declared_holder=True,
            declared_infringes=True,
            declared_liability=True,
            items=[{"url": f"/u/{account.username}/", "content": "The whole profile", "right": "My name"}],
            files=[Upload("identity", "id.pdf", PDF), Upload("proof", "press.pdf", PDF)],
        ),
    )


def pii_views(what: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action="pii.viewed", data__what=what).order_by("seq"))


@pytest.fixture
def report(cy, published_work) -> Report:
    return ip_report(cy, published_work())


# --- The queue (RPT-6, RPT-16) -------------------------------------------------------------------------------


def test_the_queue_lists_reports_by_due_date_with_the_overdue_first_and_marked(
    cy, lee, published_work, client_for
):
    """REQ: RPT-6
    GIVEN a report filed in April, then one filed in March
    WHEN a legal officer opens the queue in mid-April
    THEN the March report, overdue, comes first and is marked; the April one is not."""
    work = published_work()
    with time_machine.travel(datetime(2026, 4, 13, 10, tzinfo=BEIJING), tick=False):
        recent = ip_report(cy, work)
    with time_machine.travel(datetime(2026, 3, 2, 10, tzinfo=BEIJING), tick=False):
        old = ip_report(cy, work)
    with time_machine.travel(datetime(2026, 4, 15, 10, tzinfo=BEIJING), tick=False):
        page = client_for(lee).get("/staff/reports/").content.decode()
        api = client_for(lee).get("/api/staff/reports").json()["items"]
    assert page.index(f'id="report-{old.reference}"') < page.index(f'id="report-{recent.reference}"')
    old_row = page[page.index(f'id="report-{old.reference}"') : page.index(f'id="report-{recent.reference}"')]
    assert 'class="overdue"' in old_row and "overdue</strong>" in old_row and "@cy" in old_row
    assert "overdue</strong>" not in page[page.index(f'id="report-{recent.reference}"') :]
    assert [(r["reference"], r["overdue"]) for r in api] == [(old.reference, True), (recent.reference, False)]
    assert api[0]["reporter"] == "cy" and api[0]["reporter_key"] == f"u{cy.pk}" and api[0]["addresses"] == 1


def test_the_queue_has_tabs_for_reports_not_accepted_and_decided(cy, lee, report, client_for):
    """REQ: RPT-6, RPT-7"""
    draft = report_file(reporter=cy, data=ReportInput(category="privacy"))
    client = client_for(lee)
    assert draft.reference not in client.get("/staff/reports/").content.decode()
    assert draft.reference in client.get("/staff/reports/?tab=incomplete").content.decode()
    report_decide(actor=lee, report=report, uphold=False, reasons="No proof of the right.")
    decided = client.get("/staff/reports/?tab=decided").content.decode()
    assert report.reference in decided and draft.reference not in decided
    assert [r["reference"] for r in client.get("/api/staff/reports?status=decided").json()["items"]] == [
        report.reference
    ]
    assert [r["reference"] for r in client.get("/api/staff/reports?status=incomplete").json()["items"]] == [
        draft.reference
    ]


def test_the_queue_costs_the_same_queries_for_one_report_or_five(
    cy, lee, published_work, client_for, django_assert_num_queries
):
    """REQ: RPT-6"""
    work = published_work()
    ip_report(cy, work)
    client = client_for(lee)

    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    one = queries("/staff/reports/"), queries("/api/staff/reports")
    for _i in range(4):
        ip_report(make_user(f"rita{_i}"), work)
    with django_assert_num_queries(one[0]):
        client.get("/staff/reports/")
    with django_assert_num_queries(one[1]):
        client.get("/api/staff/reports")


def test_staff_are_alerted_when_the_holiday_calendar_of_a_year_is_missing(
    cy, lee, mo, published_work, client_for
):
    """REQ: RPT-16
    GIVEN a year no calendar covers
    WHEN a report is filed and staff open the console
    THEN its due date is marked conservative, and the queue and dashboard say which calendars are missing
    (not to moderators, who do not handle reports)."""
    work = published_work()
    with time_machine.travel(datetime(2090, 3, 2, 10, tzinfo=BEIJING), tick=False):
        report = ip_report(cy, work)
        queue = client_for(lee).get("/staff/reports/").content.decode()
        dashboard = client_for(lee).get("/staff/").content.decode()
        moderator = client_for(mo).get("/staff/").content.decode()
    for page in (queue, dashboard):
        assert "calendar-alert" in page and "2090, 2091" in page
    assert report.due_conservative and ">conservative</span>" in queue
    assert 'href="/staff/reports/"' in dashboard
    assert "calendar-alert" not in moderator and 'href="/staff/reports/"' not in moderator


# --- Least privilege and the audit of every reading (MOD-7, MOD-8, RPT-10) ----------------------------------


def test_a_moderator_cannot_open_reports_their_documents_or_contact_details(cy, mo, report, client_for):
    """REQ: MOD-7, RPT-10
    GIVEN an accepted report with an ID copy
    WHEN a moderator, or a member, tries each page and endpoint
    THEN the moderator is refused (403) and the member told nothing exists (404); nothing was read."""
    evidence = report.evidence.first()
    pages = [
        "/staff/reports/",
        f"/staff/reports/{report.reference}/",
        f"/staff/reports/evidence/{evidence.pk}/",
        "/staff/reports/counter-notices/",
        "/staff/reports/profiles/",
        f"/staff/reports/reporters/u{cy.pk}/",
        "/api/staff/reports",
        f"/api/staff/reports/{report.reference}",
        f"/api/staff/reports/evidence/{evidence.pk}",
        "/api/staff/reports/counter-notices",
        "/api/staff/reports/profiles",
    ]
    for user, status in ((mo, 403), (cy, 404)):
        client = client_for(user)
        for url in pages:
            response = client.get(url)
            assert response.status_code == status, (user, url)
            assert b"Rita Holder" not in response.content and PDF not in response.content
        refused = post_json(
            client, f"/api/staff/reports/{report.reference}/decision", {"uphold": False, "reasons": "x"}
        )
        assert refused.status_code == status
    report.refresh_from_db()
    assert report.status == "accepted" and not AuditEvent.objects.filter(action="pii.viewed").exists()


def test_a_legal_officer_reads_contact_details_and_documents_and_each_reading_is_audited(
    lee, report, client_for
):
    """REQ: MOD-7, MOD-8, RPT-10
    GIVEN an accepted report
    WHEN the legal officer opens it, its ID copy and its API detail
    THEN each shows what it should (the document inline, never cached, never sniffed) and each reading wrote
    one `pii.viewed` event naming who read what."""
    client = client_for(lee)
    page = client.get(f"/staff/reports/{report.reference}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Rita Holder" in text and "13900001111" in text and "中山东一路" in text
    identity = report.evidence.get(kind="identity")
    assert f"/staff/reports/evidence/{identity.pk}/" in text
    [event] = pii_views("report_contact")
    assert (event.actor_label, event.target_label, event.data["report"]) == (
        "lee",
        report.reference,
        report.pk,
    )

    document = client.get(f"/staff/reports/evidence/{identity.pk}/")
    assert document.status_code == 200 and document.content == PDF
    assert document["Content-Type"] == "application/pdf" and document["Content-Disposition"].startswith(
        "inline"
    )
    assert (
        document["X-Content-Type-Options"] == "nosniff" and document["Cache-Control"] == "private, no-store"
    )
    [read] = pii_views("report_evidence")
    assert (read.actor_label, read.data["evidence"], read.data["report"]) == ("lee", identity.pk, report.pk)

    detail = client.get(f"/api/staff/reports/{report.reference}").json()
    assert detail["contact"]["name"] == "Rita Holder" and len(pii_views("report_contact")) == 2
    assert {e["kind"] for e in detail["evidence"]} == {"identity", "proof"}
    assert client.get(f"/api/staff/reports/evidence/{identity.pk}").content == PDF
    assert len(pii_views("report_evidence")) == 2


def test_a_purged_document_says_so_instead_of_opening(lee, report, client_for, settings):
    """REQ: RPT-10"""
    report_decide(actor=lee, report=report, uphold=False, reasons="No proof of the right.")
    with time_machine.travel(datetime(2099, 1, 1, tzinfo=BEIJING)):
        assert purge() == 2  # the daily task
    assert app.conf.beat_schedule["reports-purge"]["task"] == "reports.purge"
    identity = report.evidence.get(kind="identity")
    client = client_for(lee)
    response = client.get(f"/staff/reports/evidence/{identity.pk}/")
    assert response.status_code == 410 and "was deleted on" in response.content.decode()
    assert "after the report closed" in client.get(f"/staff/reports/{report.reference}/").content.decode()
    assert client.get(f"/api/staff/reports/evidence/{identity.pk}").json()["error"]["code"] == "purged"
    assert not pii_views("report_evidence")


# --- Deciding (RPT-7, RPT-8, RPT-9) --------------------------------------------------------------------------


def test_upholding_through_the_page_takes_the_work_down_and_its_public_page_is_gone(
    ana, lee, report, client_for
):
    """REQ: RPT-7, RPT-9
    GIVEN an accepted IP report about Ana's published work
    WHEN the legal officer first forgets the reasons, then keeps every address, then upholds with a takedown
    THEN the first two are refused on the form with nothing changed; the last takes the work down (the public
    page answers 404) and records a strike."""
    client = client_for(lee)
    item = report.items.get()
    url = f"/staff/reports/{report.reference}/"
    page = client.get(url).content.decode()
    assert f'name="actions.{item.pk}"' in page and 'value="takedown" selected' in page
    assert "Mask the title" in page and 'form="decide"' in page

    missing = client.post(url, {"uphold": "1", f"actions.{item.pk}": "takedown"})
    kept = client.post(url, {"uphold": "1", "reasons": "Copied.", f"actions.{item.pk}": "keep"})
    assert missing.status_code == 400 and "This field is required" in missing.content.decode()
    assert kept.status_code == 400 and "at least one address" in kept.content.decode()
    report.refresh_from_db()
    assert report.status == "accepted" and Work.objects.get(pk=item.work_id).status == "published"

    done = client.post(
        url, {"uphold": "1", "reasons": "The sketches predate it.", f"actions.{item.pk}": "takedown"}
    )
    assert done.status_code == 302 and done["Location"] == url
    report.refresh_from_db()
    assert report.status == "upheld" and report.decided_by == lee
    assert Work.objects.get(pk=item.work_id).status == "taken_down"
    assert Client().get(f"/works/{item.work_id}/").status_code == 404
    assert ana.strikes.count() == 1
    assert "The sketches predate it." in client.get(url).content.decode()


def test_rejecting_through_the_page_sends_the_reasons_to_the_reporter(cy, lee, report, client_for):
    """REQ: RPT-7"""
    item = report.items.get()
    response = client_for(lee).post(
        f"/staff/reports/{report.reference}/",
        {"uphold": "0", "reasons": "The earlier publication is not yours.", f"actions.{item.pk}": "takedown"},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "rejected" and Work.objects.get(pk=item.work_id).status == "published"
    notice = Notification.objects.get(user=cy, template="report_rejected")
    assert notice.params["message"] == "The earlier publication is not yours."


def test_an_impersonating_profile_is_reclaimed_by_default_and_other_profiles_are_kept(cy, lee, client_for):
    """REQ: RPT-7"""
    impostor = make_user("rita_official")
    report = impersonation_report(cy, impostor)
    page = client_for(lee).get(f"/staff/reports/{report.reference}/").content.decode()
    assert 'value="reclaim" selected' in page and "@rita_official" in page


def test_an_ip_report_about_a_work_already_taken_down_is_upheld_with_a_strike(
    ana, mo, lee, report, client_for
):
    """REQ: RPT-7, RPT-9
    GIVEN a report whose only address is a work a moderator has taken down meanwhile
    WHEN a legal officer upholds it with the default action
    THEN the report is upheld and the uploader gets the strike the IP report calls for."""
    from inspiracle.moderation.services import content_take_down

    item = report.items.get()
    content_take_down(actor=mo, work=item.work, reason_code="third_party_rights", message="Copied.")
    done = post_json(
        client_for(lee),
        f"/api/staff/reports/{report.reference}/decision",
        {"uphold": True, "reasons": "Copied."},
    )
    assert done.status_code == 200 and done.json()["status"] == "upheld"
    assert done.json()["items"][0]["outcome"] == "takedown"
    assert ana.strikes.count() == 1 and Work.objects.get(pk=item.work_id).status == "taken_down"


def test_upholding_through_the_api_and_refusals_change_nothing(ana, lee, report, client_for):
    """REQ: RPT-7"""
    client = client_for(lee)
    item = report.items.get()
    url = f"/api/staff/reports/{report.reference}/decision"
    bad = post_json(client, url, {"uphold": True, "reasons": "Copied.", "actions": {str(item.pk): "reclaim"}})
    assert bad.status_code == 400 and f"actions.{item.pk}" in bad.json()["error"]["fields"]
    assert Work.objects.get(pk=item.work_id).status == "published"
    done = post_json(
        client, url, {"uphold": True, "reasons": "Copied.", "actions": {str(item.pk): "mask:title"}}
    )
    assert done.status_code == 200 and done.json()["status"] == "upheld"
    assert done.json()["items"][0]["outcome"] == "mask"
    again = post_json(client, url, {"uphold": False, "reasons": "Again."})
    assert again.status_code == 409


def test_a_counter_notice_is_decided_through_the_page_and_through_the_api(
    ana, cy, lee, published_work, client_for
):
    """REQ: RPT-8, RPT-9
    GIVEN two upheld IP reports, each countered by Ana with an explanation (one with proof)
    WHEN the legal officer restores the first through the page and the second through the API
    THEN both works are published again, the strikes overruled, and the lists put open notices first."""
    notices = []
    for seed in (1, 2):
        report = ip_report(cy, published_work(seed=seed, title=f"Rain {seed}"))
        report_decide(actor=lee, report=report, uphold=True, reasons="Copied.")
        files = [Upload("counter", "sketch.pdf", PDF)] if seed == 1 else []
        notices.append(
            counter_notice_file(
                uploader=ana, item=report.items.get(), explanation="I drew it in 2019.", files=files
            )
        )
    client = client_for(lee)
    listed = client.get("/staff/reports/counter-notices/").content.decode()
    assert f'id="counter-notice-{notices[0].pk}"' in listed
    page = client.get(f"/staff/reports/counter-notices/{notices[0].pk}/").content.decode()
    proof = notices[0].evidence.get()
    assert (
        "I drew it in 2019." in page and f"/staff/reports/evidence/{proof.pk}/" in page and "Copied." in page
    )
    assert f"/works/{notices[0].item.work_id}/files/" in page  # the contested work beside its notice
    assert client.get(f"/staff/reports/evidence/{proof.pk}/").content == PDF

    url = f"/staff/reports/counter-notices/{notices[0].pk}/"
    assert client.post(url, {"restore": "1"}).status_code == 400
    assert client.post(url, {"restore": "1", "reasons": "Her 2019 files convince."}).status_code == 302
    response = post_json(
        client,
        f"/api/staff/reports/counter-notices/{notices[1].pk}/decision",
        {"restore": True, "reasons": "Same."},
    )
    assert response.status_code == 200 and response.json()["status"] == "restored"
    assert set(CounterNotice.objects.values_list("status", flat=True)) == {"restored"}
    assert set(Work.objects.values_list("status", flat=True)) == {"published"}
    assert set(ana.strikes.values_list("status", flat=True)) == {"overruled"}
    assert [n["status"] for n in client.get("/api/staff/reports/counter-notices").json()["items"]] == [
        "restored"
    ] * 2


# --- The notifier's record (RPT-14) --------------------------------------------------------------------------


def test_a_notifier_reporting_many_creators_and_often_rejected_is_flagged(cy, lee, client_for):
    """REQ: RPT-14
    GIVEN Cy reports five different creators' profiles within a month, and three reports are rejected
    WHEN the legal officer opens a report of Cy's and Cy's record
    THEN both flags show, with the counts, on the page and in the API."""
    reports = [impersonation_report(cy, make_user(f"creator{n}")) for n in range(5)]
    for report in reports[:3]:
        report_decide(actor=lee, report=report, uphold=False, reasons="Not an impersonation.")
    client = client_for(lee)
    page = client.get(f"/staff/reports/{reports[4].reference}/").content.decode()
    assert "Reported 5 different creators within 30 days." in page and "3 reports rejected." in page
    record = client.get(f"/staff/reports/reporters/u{cy.pk}/").content.decode()
    assert "5 reports: 0 upheld, 3 rejected, 2 open." in record
    assert all(f'id="report-{r.reference}"' in record for r in reports)
    api = client.get(f"/api/staff/reports/{reports[4].reference}").json()["record"]
    assert (api["total"], api["rejected"], api["recent_creators"], len(api["flags"])) == (5, 3, 5, 2)


def test_a_notifier_with_a_clean_record_is_not_flagged_and_visitors_have_a_key(
    lee, report, client_for, django_capture_on_commit_callbacks
):
    """REQ: RPT-14"""
    from inspiracle.reports.tests.test_flow import email_pass

    token = email_pass("rita@example.com", django_capture_on_commit_callbacks)
    visitor = report_file(reporter=None, email_pass=token, data=ReportInput(category="privacy"))
    client = client_for(lee)
    key = f"e{visitor.email_index[:16]}"
    listed = client.get("/staff/reports/?tab=incomplete").content.decode()
    assert "visitor" in listed and f"/staff/reports/reporters/{key}/" in listed
    record = client.get(f"/staff/reports/reporters/{key}/").content.decode()
    assert "No flags." in record and visitor.reference in record and report.reference not in record
    assert client.get("/staff/reports/reporters/x1/").status_code == 404


def test_a_notifiers_record_and_reports_are_in_the_api_for_a_legal_officer_only(
    cy, lee, mo, published_work, client_for
):
    """REQ: RPT-14, MOD-7, UX-2
    GIVEN Cy filed three reports, one of them rejected, and Rita one
    WHEN each role asks the API for Cy's record and reports
    THEN the legal officer gets the record and Cy's reports only, the newest first, in pages of the API's one
    shape; a moderator is refused (403), a member told nothing exists (404), a visitor asked to sign in (401)."""
    work = published_work()
    filed = [ip_report(cy, work) for _n in range(3)]
    other = ip_report(make_user("rita"), work)
    report_decide(actor=lee, report=filed[0], uphold=False, reasons="No proof of the right.")
    record_url, reports_url = (
        f"/api/staff/reports/reporters/u{cy.pk}",
        f"/api/staff/reports/reporters/u{cy.pk}/reports",
    )
    client = client_for(lee)

    record = client.get(record_url).json()
    assert (record["key"], record["total"], record["rejected"], record["open"]) == (f"u{cy.pk}", 3, 1, 2)
    page = client.get(reports_url + "?page_size=2").json()
    assert (page["count"], page["page"], page["page_size"]) == (3, 1, 2)
    listed = page["items"] + client.get(reports_url + "?page_size=2&page=2").json()["items"]
    assert [r["reference"] for r in listed] == [r.reference for r in reversed(filed)]
    assert other.reference not in {r["reference"] for r in listed}
    assert {r["reporter_key"] for r in listed} == {f"u{cy.pk}"} and listed[-1]["status"] == "rejected"
    assert client.get("/api/staff/reports/reporters/x1/reports").status_code == 404
    for user, status in ((mo, 403), (cy, 404)):
        assert [client_for(user).get(url).status_code for url in (record_url, reports_url)] == [status] * 2
    assert [Client().get(url).status_code for url in (record_url, reports_url)] == [401, 401]


# --- Rights holder profiles (RPT-13) -------------------------------------------------------------------------


def test_a_rights_holder_profile_is_verified_through_the_page_and_refused_through_the_api(
    cy, lee, client_for
):
    """REQ: RPT-13, MOD-8"""
    profiles = [
        rights_profile_create(
            owner=cy,
            party_kind="person",
            name=f"Cy Holder {n}",
            mailing_address="北京市东城区 1 号",
            phone="13900002222",
            email="cy@example.com",
            rights="Copyright in my illustrations.",
            files=[Upload("identity", "id.pdf", PDF), Upload("proof", "registration.pdf", PDF)],
        )
        for n in (1, 2)
    ]
    client = client_for(lee)
    listed = client.get("/staff/reports/profiles/").content.decode()
    assert f'id="profile-{profiles[0].pk}"' in listed
    url = f"/staff/reports/profiles/{profiles[0].pk}/"
    page = client.get(url).content.decode()
    identity = profiles[0].evidence.get(kind="identity")
    assert "Cy Holder 1" in page and f"/staff/reports/evidence/{identity.pk}/" in page
    assert pii_views("rights_profile_contact")[0].data["profile"] == profiles[0].pk
    assert client.post(url, {"verify": "0"}).status_code == 400  # a refusal needs a reason
    assert client.post(url, {"verify": "1"}).status_code == 302
    api = post_json(
        client,
        f"/api/staff/reports/profiles/{profiles[1].pk}/decision",
        {"verify": False, "reason": "Blurred ID."},
    )
    assert api.status_code == 200 and api.json()["status"] == "refused"
    statuses = dict(RightsHolderProfile.objects.values_list("pk", "status"))
    assert statuses == {profiles[0].pk: "verified", profiles[1].pk: "refused"}
    assert {p["status"] for p in client.get("/api/staff/reports/profiles").json()["items"]} == {
        "verified",
        "refused",
    }
