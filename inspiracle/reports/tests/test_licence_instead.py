"""A licence instead of a takedown (RPT-15): the rights holder offers it in an IP report, the legal officer
upholds the report, the uploader gets a licensing request (COM-1) and either agrees (no takedown, no strike) or
not (the takedown the officer decided, with its strike)."""

import json
from datetime import date, timedelta

import pytest
import time_machine
from django.test import Client

from config.celery import app
from inspiracle.agreements.selectors import local_today
from inspiracle.audit.models import AuditEvent
from inspiracle.core.errors import ApplicationError
from inspiracle.licensing.models import LicenceRequest
from inspiracle.licensing.services.deals import request_accept
from inspiracle.licensing.services.requests import request_decline, request_send, requests_expire
from inspiracle.moderation.models import Strike
from inspiracle.notifications.models import Notification
from inspiracle.reports.checks import missing_materials
from inspiracle.reports.models import Report
from inspiracle.reports.services import ReportInput, report_decide, report_file
from inspiracle.reports.services.settling import report_items_settle_licences
from inspiracle.reports.tasks import settle_licences
from inspiracle.reports.tests.test_flow import complete_ip, email_pass
from inspiracle.reports.tests.test_reporter import DECLARED, HOLDER, pdf, prove_email, rows
from inspiracle.works.models import Work
from inspiracle.works.services import work_republish, work_unpublish

pytestmark = pytest.mark.django_db


def offer(**changes) -> dict:
    """Terms of a non-exclusive IP licence starting tomorrow, as licensing takes them."""
    start = local_today() + timedelta(days=1)
    return {
        "kind": "ip_licence",
        "intended_use": "Keep selling the prints that use my character",
        "product_categories": ["apparel"],
        "territories": ["cn"],
        "channels": ["online"],
        "starts_on": start.isoformat(),
        "ends_on": (start + timedelta(days=364)).isoformat(),
        "fee_model": "flat",
        "flat_fee": "3000",
        **changes,
    }


def licence_report(reporter, work, *more_works, **changes) -> Report:
    """A complete IP report naming ``work``, asking for a licence instead of a takedown (and for the takedown
    of ``more_works``)."""
    data = complete_ip(f"/works/{work.pk}/")
    data.category, data.email = "ip", "rita@example.com"
    data.items[0]["remedy"] = "licence"
    data.items += [{"url": f"/works/{w.pk}/", "content": "Also", "right": "Copyright"} for w in more_works]
    data.licence_offer = offer()
    for name, value in changes.items():
        setattr(data, name, value)
    return report_file(reporter=reporter, data=data)


@pytest.fixture
def offered(ana, cy, lee, published_work):
    """Cy's licence report about Ana's work, upheld by Lee: the item and its licensing request."""
    work = published_work()
    report = licence_report(cy, work)
    report_decide(actor=lee, report=report, uphold=True, reasons="The character is Cy's.")
    item = report.items.get()
    return item, item.licence_request


def test_a_rights_holder_offers_a_licence_on_the_form_and_the_upheld_report_sends_it_to_the_uploader(
    ana, cy, lee, published_work, client_for
):
    """REQ: RPT-15, COM-1
    GIVEN Ana's published work
    WHEN Cy, signed in, files an IP report whose address asks "Offer a licence instead", with the terms, and Lee
    upholds it on the staff page with the action it suggests
    THEN Ana gets a licensing request from Cy linked to the report, her work stays published and she gets no
    strike; Cy's report page and the staff page show the request and its status."""
    work = published_work()
    client = client_for(cy)
    form = client.get("/reports/new/?category=ip").content.decode()
    assert (
        'name="items-0-remedy"' in form and 'id="licence-offer"' in form and 'value="exclusive"' not in form
    )
    terms = {f"offer-{name}": value for name, value in offer().items()}

    def post(**changes):
        return client.post(
            "/reports/new/?category=ip",
            {
                **rows({"url": f"/works/{work.pk}/", "content": "The character", "right": "My copyright"}),
                # The browser sends the checked radio button of every row, the empty ones too.
                **{f"items-{n}-remedy": "takedown" for n in range(1, 5)},
                "items-0-remedy": "licence",
                **terms,
                **HOLDER,
                **DECLARED,
                "ip_kind": "copyright",
                "acting": "holder",
                "party_kind": "person",
                "description": "My character is printed on these T-shirts.",
                "email": "rita@example.com",
                "identity": pdf("id.pdf"),
                "proof": pdf("sketches.pdf"),
                **changes,
            },
        )

    wrong = post(**{"offer-flat_fee": "-5", "offer-territories": []})
    assert wrong.status_code == 400 and not Report.objects.exists()
    assert "Enter an amount greater than zero." in wrong.content.decode()
    assert "Choose at least one." in wrong.content.decode()
    filed = post()
    assert filed.status_code == 302, filed.content.decode()
    report = Report.objects.get()
    item = report.items.get()
    assert report.status == "accepted" and item.remedy == "licence", missing_materials(report)
    assert report.licence_offer["flat_fee"] == "3000" and report.licence_offer["kind"] == "ip_licence"

    staff_url = f"/staff/reports/{report.reference}/"
    page = client_for(lee).get(staff_url).content.decode()
    assert 'value="licence" selected' in page and 'id="licence-offer"' in page
    done = client_for(lee).post(
        staff_url, {"uphold": "1", "reasons": "Cy's character.", f"actions.{item.pk}": "licence"}
    )
    assert done.status_code == 302

    item.refresh_from_db()
    request = item.licence_request
    assert item.outcome == "licence_offered" and item.fallback_strike and item.decision is None
    assert request.requester == cy and request.creator == ana and request.report_reference == report.reference
    assert list(request.works.all()) == [work] and request.status == "open"
    assert Work.objects.get(pk=work.pk).status == "published" and not Strike.objects.filter(user=ana).exists()
    notice = Notification.objects.get(user=ana, template="licence_request_from_report")
    assert notice.params["report"] == report.reference
    assert not Notification.objects.filter(user=ana, template="report_against_you").exists()
    tracking = client.get(f"/reports/{report.reference}/").content.decode()
    assert f"/licensing/requests/{request.reference}/" in tracking and "Licence offered" in tracking
    staff = client_for(lee).get(staff_url).content.decode()
    assert f"/licensing/requests/{request.reference}/" in staff and "taken down with a strike" in staff


def test_accepting_the_licence_settles_the_address_as_licensed_without_a_strike(ana, cy, offered):
    """REQ: RPT-15, COM-2
    GIVEN an upheld report whose licence Ana received
    WHEN Ana accepts it and the periodic job runs (twice)
    THEN the address is licensed, the work stays published, Ana has no strike, Cy is told, once."""
    item, request = offered
    request_accept(request=request, by=ana, number=1)
    assert app.conf.beat_schedule["reports-settle-licences"]["task"] == "reports.settle_licences"
    assert settle_licences.apply().get() == 1
    assert report_items_settle_licences() == 0  # idempotent
    item.refresh_from_db()
    assert item.outcome == "licensed" and item.settled_at and item.strike is None
    assert Work.objects.get(pk=item.work_id).status == "published"
    assert not Strike.objects.filter(user=ana).exists()
    assert Notification.objects.filter(user=cy, template="report_licence_agreed").count() == 1
    assert AuditEvent.objects.filter(action="report.item_licensed", data__item=item.pk).count() == 1


def test_declining_the_licence_applies_the_takedown_with_the_strike_the_officer_decided(
    ana, cy, lee, offered
):
    """REQ: RPT-15, RPT-9
    GIVEN an upheld report whose licence Ana received
    WHEN Ana declines it and the periodic job runs (twice)
    THEN the work is taken down by Lee's decision, Ana gets one strike (and the warning it brings) and may
    counter-notice; Ana and Cy are told."""
    item, request = offered
    request_decline(request=request, by=ana, reason="I drew this character myself.")
    assert report_items_settle_licences() == 1
    assert report_items_settle_licences() == 0
    item.refresh_from_db()
    assert item.outcome == "takedown" and item.decision.decided_by == lee and item.settled_at
    assert Work.objects.get(pk=item.work_id).status == "taken_down"
    strike = Strike.objects.get(user=ana)
    assert item.strike == strike and strike.note == item.report.reference
    assert ana.sanctions.filter(kind="warning").exists()
    fallback = Notification.objects.get(user=ana, template="report_licence_fallback")
    assert fallback.link == f"/reports/notices/{item.pk}/" and "Cy" not in str(fallback.params)
    assert Client().get(f"/works/{item.work_id}/").status_code == 404
    assert (
        Notification.objects.get(user=cy, template="report_licence_not_agreed").params["outcome"]
        == "Declined"
    )
    assert AuditEvent.objects.filter(action="report.item_licence_fallback", actor_id=lee.pk).count() == 1


def test_an_expired_licence_waits_while_the_uploader_keeps_the_work_unpublished(ana, cy, offered):
    """REQ: RPT-15
    GIVEN Ana's licence request from a report, and Ana unpublishes the work
    WHEN the request expires unanswered
    THEN nothing is taken down while the work is not public; when Ana publishes it again, the takedown and its
    strike follow on the next run."""
    item, request = offered
    work_unpublish(actor=ana, work=item.work)
    with time_machine.travel(request.expires_at + timedelta(minutes=1)):
        assert requests_expire() == 1
        assert report_items_settle_licences() == 0
        item.refresh_from_db()
        assert item.outcome == "licence_offered" and not Strike.objects.filter(user=ana).exists()
        work_republish(actor=ana, work=Work.objects.get(pk=item.work_id))
        assert report_items_settle_licences() == 1
    item.refresh_from_db()
    assert item.outcome == "takedown" and Work.objects.get(pk=item.work_id).status == "taken_down"
    assert Strike.objects.filter(user=ana).count() == 1


def test_one_strike_per_report_and_uploader_when_a_takedown_and_a_failed_licence_meet(
    ana, cy, lee, published_work
):
    """REQ: RPT-15, RPT-9
    GIVEN a report on two of Ana's works, one taken down at once, one with a licence offered
    WHEN the licence is declined
    THEN the second takedown carries the report's one strike, not a second one."""
    works = [published_work(seed=seed, title=f"Copy {seed}") for seed in (1, 2)]
    report = licence_report(cy, *works)
    report_decide(actor=lee, report=report, uphold=True, reasons="Both copied.")
    licensed, taken = report.items.order_by("pk")
    licensed.refresh_from_db()
    taken.refresh_from_db()
    assert taken.outcome == "takedown" and taken.strike and licensed.strike is None
    request_decline(request=licensed.licence_request, by=ana, reason="No.")
    report_items_settle_licences()
    licensed.refresh_from_db()
    assert licensed.outcome == "takedown" and licensed.strike == taken.strike
    assert Strike.objects.filter(user=ana).count() == 1


def test_when_licensing_refuses_the_request_the_decision_changes_nothing_and_the_officer_takes_it_down(
    ana, ben, cy, lee, published_work, client_for
):
    """REQ: RPT-15, COM-6
    GIVEN Ana's work under Ben's exclusive licence, and Cy's report offering an overlapping licence
    WHEN Lee upholds it with the licence
    THEN the decision is refused with the conflict shown beside the address, and nothing changed; Lee then
    chooses "take down" for it and the decision goes through."""
    work = published_work()
    exclusive = request_send(requester=ben, work_ids=[work.pk], data=offer(kind="exclusive"))
    request_accept(request=exclusive, by=ana, number=1)
    report = licence_report(cy, Work.objects.get(pk=work.pk))
    item = report.items.get()
    url = f"/staff/reports/{report.reference}/"
    refused = client_for(lee).post(
        url, {"uphold": "1", "reasons": "Copied.", f"actions.{item.pk}": "licence"}
    )
    assert refused.status_code == 409
    assert "overlap the exclusive licence" in refused.content.decode()
    report.refresh_from_db()
    assert report.status == "accepted" and LicenceRequest.objects.filter(requester=cy).count() == 0
    assert Work.objects.get(pk=work.pk).status == "published"

    api = client_for(lee).post(
        f"/api/staff/reports/{report.reference}/decision",
        {"uphold": True, "reasons": "Copied."},
        content_type="application/json",
    )
    assert api.status_code == 409 and api.json()["error"]["fields"][f"actions.{item.pk}"]
    done = client_for(lee).post(url, {"uphold": "1", "reasons": "Copied.", f"actions.{item.pk}": "takedown"})
    assert done.status_code == 302
    item.refresh_from_db()
    assert (
        item.outcome == "takedown"
        and item.licence_request is None
        and Strike.objects.filter(user=ana).count() == 1
    )


def test_a_licence_term_that_should_have_started_while_the_report_waited_starts_on_the_decision_day(
    ana, cy, lee, published_work
):
    """REQ: RPT-15
    GIVEN a licence offered from tomorrow for a year
    WHEN the report is decided ten days later
    THEN the request's term starts on the day of the decision and lasts the same year."""
    report = licence_report(cy, published_work())
    with time_machine.travel(date.today() + timedelta(days=10)):
        report_decide(actor=lee, report=report, uphold=True, reasons="Copied.")
        today = local_today()
    proposal = report.items.get().licence_request.proposals.get()
    assert proposal.starts_on == today and proposal.ends_on == today + timedelta(days=364)


def test_a_licence_is_refused_outside_ip_reports_and_to_reporters_without_an_account(
    ana, cy, published_work, django_capture_on_commit_callbacks
):
    """REQ: RPT-15
    GIVEN Ana's work
    WHEN a privacy report asks for a licence, a visitor's IP report asks for one, an exclusive licence is
    offered, terms come without an address that asks for a licence, or a profile is named
    THEN nothing is saved and each reporter is told what to do; an address that asks for a licence without terms
    leaves the report not accepted."""
    work = published_work()
    address = {"url": f"/works/{work.pk}/", "content": "Mine", "right": "Copyright", "remedy": "licence"}
    with pytest.raises(ApplicationError) as privacy:
        report_file(reporter=cy, data=ReportInput(category="privacy", items=[address]))
    assert "only in an intellectual property report" in privacy.value.fields["items.1.remedy"][0]

    token = email_pass("rita@example.com", django_capture_on_commit_callbacks)
    with pytest.raises(ApplicationError) as visitor:
        report_file(reporter=None, email_pass=token, data=ReportInput(category="ip", items=[address]))
    assert "Sign in or register" in visitor.value.fields["items.1.remedy"][0]
    browser = Client()
    prove_email(browser, "visitor@example.com", django_capture_on_commit_callbacks)
    page = browser.get("/reports/new/?category=ip").content.decode()
    assert "remedy" not in page and 'id="licence-offer"' not in page and "/accounts/register/" in page
    assert "remedy" not in browser.get("/reports/new/?category=privacy").content.decode()

    with pytest.raises(ApplicationError) as exclusive:
        licence_report(cy, work, licence_offer=offer(kind="exclusive"))
    assert "exclusive licence cannot be offered" in exclusive.value.fields["licence_offer.kind"][0]
    with pytest.raises(ApplicationError) as bad_terms:
        licence_report(cy, work, licence_offer=offer(flat_fee="-1", territories=["atlantis"]))
    assert {"licence_offer.flat_fee", "licence_offer.territories"} <= set(bad_terms.value.fields)
    takedown_only = {**address, "remedy": "takedown"}
    with pytest.raises(ApplicationError) as unused:
        report_file(
            reporter=cy, data=ReportInput(category="ip", items=[takedown_only], licence_offer=offer())
        )
    assert "no address asks for a licence" in unused.value.fields["licence_offer"][0]
    with pytest.raises(ApplicationError) as profile:
        report_file(reporter=cy, data=ReportInput(category="ip", items=[{**address, "url": "/u/ana/"}]))
    assert "not for a profile" in profile.value.fields["items.1.remedy"][0]
    assert not Report.objects.exists()

    no_terms = licence_report(cy, work, licence_offer=None)
    assert no_terms.status == "incomplete" and "licence_offer" in no_terms.missing


def test_the_api_takes_the_remedy_and_the_terms_and_shows_the_licence_request(
    ana, cy, lee, published_work, client_for
):
    """REQ: RPT-15, COM-1
    GIVEN Ana's work
    WHEN Cy files by the API an IP report whose item asks for a licence, with the terms as JSON, and Lee
    upholds it by the staff API without naming actions
    THEN the licence is sent; both APIs show the item's licensing request; bad terms are refused field by
    field."""
    work = published_work()
    data = complete_ip(f"/works/{work.pk}/")
    fields = {
        **{
            name: getattr(data, name)
            for name in ("ip_kind", "description", "name", "mailing_address", "phone")
        },
        **{name: "true" for name in DECLARED},
        "category": "ip",
        "email": "rita@example.com",
        "items": json.dumps([{**data.items[0], "remedy": "licence"}]),
    }
    client = client_for(cy)

    def post(terms: str):
        documents = {"identity": pdf("id.pdf"), "proof": pdf("proof.pdf")}
        return client.post("/api/reports", {**fields, **documents, "licence_offer": terms})

    bad = post(json.dumps(offer(royalty_percent="120", fee_model="royalty")))
    assert bad.status_code == 400 and "licence_offer.royalty_percent" in bad.json()["error"]["fields"]
    odd = post(json.dumps(offer(territories=5, product_categories=[{"a": 1}], flat_fee=3000)))
    assert odd.status_code == 400 and {
        "licence_offer.territories",
        "licence_offer.product_categories",
    } == set(odd.json()["error"]["fields"]) - {"attachments"}  # that one lists the documents to send again
    not_json = post("[1]")
    assert not_json.status_code == 400 and "licence_offer" in not_json.json()["error"]["fields"]
    created = post(json.dumps(offer()))
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["status"] == "accepted" and body["items"][0]["remedy"] == "licence"
    assert body["licence_offer"]["territories"] == ["cn"] and body["items"][0]["licence_request"] is None

    decided = client_for(lee).post(
        f"/api/staff/reports/{body['reference']}/decision",
        {"uphold": True, "reasons": "The character is Cy's."},
        content_type="application/json",
    )
    assert decided.status_code == 200, decided.json()
    staff_item = decided.json()["items"][0]
    assert staff_item["outcome"] == "licence_offered" and staff_item["remedy"] == "licence"
    assert (
        staff_item["licence_request"]["status"] == "open" and staff_item["licence_request"]["fallback_strike"]
    )
    mine = client.get(f"/api/reports/{body['reference']}").json()["items"][0]
    reference = staff_item["licence_request"]["reference"]
    assert mine["licence_request"]["reference"] == reference and mine["outcome_label"] == "Licence offered"
    assert mine["licence_request"]["url"].endswith(f"/licensing/requests/{reference}/")
    assert Work.objects.get(pk=work.pk).status == "published"
