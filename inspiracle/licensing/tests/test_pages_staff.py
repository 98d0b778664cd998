"""Licensing in the staff console: every deal, a deal with both parties' contact details and its annulment, the
register and the contact-disclosure log, for legal officers and administrators only (COM-2, COM-6, PRV-4, MOD-7)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inspiracle.audit.models import AuditEvent
from inspiracle.licensing.models import ContactDisclosure, Deal, Grant
from inspiracle.licensing.services.deals import deal_annul, request_accept
from inspiracle.licensing.services.requests import request_send
from inspiracle.notifications.models import Notification

pytestmark = pytest.mark.django_db

PAGES = ("/staff/licensing/", "/staff/licensing/register/", "/staff/licensing/disclosures/")


@pytest.fixture
def make_deal(ana, ben, published_work, terms):
    def make_deal(work=None, **changes):
        work = work or published_work()
        request = request_send(requester=ben, work_ids=[work.pk], data=terms(**changes))
        return request_accept(request=request, by=ana, number=1)

    return make_deal


def test_a_legal_officer_sees_every_deal_and_finds_one_by_state_or_reference(
    lee, ada, make_deal, published_work, client_for
):
    """REQ: COM-2"""
    standing = make_deal()
    annulled = make_deal(work=published_work(title="Second", seed=2))
    deal_annul(deal=annulled, by=lee, reason="A mistake")
    for user in (lee, ada):
        html = client_for(user).get("/staff/licensing/").content.decode()
        assert standing.reference in html and annulled.reference in html
    client = client_for(lee)
    only_standing = client.get("/staff/licensing/?state=standing").content.decode()
    assert standing.reference in only_standing and annulled.reference not in only_standing
    only_annulled = client.get("/staff/licensing/?state=annulled").content.decode()
    assert annulled.reference in only_annulled and standing.reference not in only_annulled
    found = client.get(f"/staff/licensing/?reference={standing.reference[2:6].lower()}").content.decode()
    assert standing.reference in found and annulled.reference not in found


def test_the_officer_reads_both_parties_contact_details_and_each_showing_is_logged(
    ana, ben, lee, make_deal, client_for
):
    """REQ: PRV-4, MOD-8
    GIVEN a deal WHEN a legal officer opens it in the console THEN both parties' details are shown, and each
    party's disclosure list and the audit log record the officer's viewing."""
    deal = make_deal()
    page = client_for(lee).get(f"/staff/licensing/deals/{deal.reference}/")
    html = page.content.decode()
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    assert "ana 真名" in html and "ben_brand 真名" in html and "ben@example.com" in html
    rows = ContactDisclosure.objects.filter(deal=deal, viewer=lee, via="staff")
    assert sorted(rows.values_list("subject__username", flat=True)) == ["ana", "ben_brand"]
    assert (
        AuditEvent.objects.filter(action="pii.viewed", actor_id=lee.pk, data__deal=deal.reference).count()
        == 2
    )


def test_the_officer_annuls_a_deal_with_a_confirmed_reason_and_both_parties_are_told(
    ana, ben, lee, make_deal, client_for
):
    """REQ: COM-2, COM-6
    GIVEN a standing deal WHEN the officer sends the annul form without a reason or without confirming THEN
    nothing changes; WHEN with both THEN the deal is annulled, its grants revoked and both parties notified."""
    deal = make_deal()
    client = client_for(lee)
    url = f"/staff/licensing/deals/{deal.reference}/"
    missing_reason = client.post(url, {"reason": " ", "confirm": "on"})
    assert missing_reason.status_code == 400 and "This field is required" in missing_reason.content.decode()
    unconfirmed = client.post(url, {"reason": "Fraud"})
    assert unconfirmed.status_code == 400
    assert Deal.objects.get(pk=deal.pk).annulled_at is None

    done = client.post(url, {"reason": "Fraud shown by a court order", "confirm": "on"})
    assert done.status_code == 302 and done["Location"] == url
    deal.refresh_from_db()
    assert (
        deal.is_annulled and deal.annulled_by == lee and deal.annul_reason == "Fraud shown by a court order"
    )
    assert not Grant.objects.filter(deal=deal, revoked_at__isnull=True).exists()
    for party in (ana, ben):
        assert Notification.objects.filter(user=party, template="licence_deal_annulled").exists()
    page = client.get(url).content.decode()
    assert "Annulled" in page and "@lee" in page and 'id="annul"' not in page
    again = client.post(url, {"reason": "Twice", "confirm": "on"})
    assert again.status_code == 409 and "already annulled" in again.content.decode()


def test_moderators_are_refused_and_everyone_else_finds_nothing(ana, ben, mo, cy, make_deal, client_for):
    """REQ: MOD-7, PRV-4"""
    deal = make_deal()
    before = ContactDisclosure.objects.count()
    deal_page = f"/staff/licensing/deals/{deal.reference}/"
    for page in (*PAGES, deal_page):
        assert client_for(mo).get(page).status_code == 403
        for user in (ana, ben, cy):
            assert client_for(user).get(page).status_code == 404
    assert client_for(mo).post(deal_page, {"reason": "No", "confirm": "on"}).status_code == 403
    assert Deal.objects.get(pk=deal.pk).annulled_at is None
    assert ContactDisclosure.objects.count() == before
    assert "/staff/licensing/" not in client_for(mo).get("/staff/").content.decode()


def test_the_register_shows_every_grant_by_work_and_exclusive_ones_only(
    lee, make_deal, published_work, client_for
):
    """REQ: COM-6"""
    open_work, exclusive_work = published_work(), published_work(title="Exclusive", seed=2)
    shared = make_deal(work=open_work)
    exclusive = make_deal(work=exclusive_work, kind="exclusive")
    client = client_for(lee)
    html = client.get("/staff/licensing/register/").content.decode()
    assert shared.reference in html and exclusive.reference in html and "Mainland China" in html
    by_work = client.get(f"/staff/licensing/register/?work={open_work.pk}").content.decode()
    assert shared.reference in by_work and exclusive.reference not in by_work
    only = client.get("/staff/licensing/register/?exclusive=on").content.decode()
    assert exclusive.reference in only and shared.reference not in only
    bad = client.get("/staff/licensing/register/?work=abc")
    assert bad.status_code == 200 and "Enter a work number" in bad.content.decode()


def test_the_disclosure_log_shows_whose_details_were_shown_to_whom(ana, ben, lee, make_deal, client_for):
    """REQ: PRV-4"""
    deal = make_deal()
    client_for(ben).get(f"/licensing/deals/{deal.reference}/")
    html = client_for(lee).get("/staff/licensing/disclosures/").content.decode()
    assert deal.reference in html and "@ana" in html and "@ben_brand" in html and "Deal page" in html
    dashboard = client_for(lee).get("/staff/").content.decode()
    assert "/staff/licensing/" in dashboard


def test_the_staff_lists_cost_the_same_queries_for_one_deal_or_three(
    ben, lee, make_deal, published_work, client_for, django_assert_num_queries
):
    """UX-3: the console's lists do not grow with their length."""
    client = client_for(lee)

    def counts():
        result = []
        for url in PAGES:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            result.append(len(captured))
        return result

    deal = make_deal()
    client_for(ben).get(f"/licensing/deals/{deal.reference}/")
    one = counts()
    for seed in (2, 3):
        other = make_deal(work=published_work(title=f"Work {seed}", seed=seed))
        client_for(ben).get(f"/licensing/deals/{other.reference}/")
    for url, expected in zip(PAGES, one, strict=True):
        with django_assert_num_queries(expected):
            client.get(url)
