"""Asking for a licence, negotiating it and making the deal, through the services (COM-1, COM-2, COM-3, COM-6)."""

from datetime import date, timedelta

import pytest
import time_machine

from inspiracle.audit.models import AuditEvent
from inspiracle.core.errors import ApplicationError, PermissionDenied
from inspiracle.core.testing import make_user
from inspiracle.licensing.models import ContactDisclosure, Grant, LicenceRequest
from inspiracle.licensing.selectors import proposal_views
from inspiracle.licensing.services.deals import (
    contact_card_disclose,
    deal_annul,
    exclusive_marks_sync,
    request_accept,
)
from inspiracle.licensing.services.requests import (
    request_counter,
    request_decline,
    request_send,
    request_withdraw,
    requests_expire,
)
from inspiracle.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_a_verified_brand_asks_the_creator_counter_proposes_and_the_brand_accepts_into_a_deal(
    ana, ben, published_work, terms
):
    """REQ: COM-1, COM-2, PRV-4
    GIVEN Ana's published work WHEN Ben asks, Ana counter-proposes a higher fee and Ben accepts
    THEN a deal holds the accepted terms, the agreements each side had accepted and one grant per work,
    and each party's contact details are shared with the other, logged."""
    work = published_work()
    request = request_send(requester=ben, work_ids=[work.pk], data=terms(), message="Hello")
    assert Notification.objects.filter(user=ana, template="licence_request_received").exists()
    request_counter(request=request, by=ana, data=terms(flat_fee="20000"), message="More, please")
    views = proposal_views(request)
    assert views[1].changed == ["Flat fee (CNY)"]
    deal = request_accept(request=request, by=ben, number=2)
    request.refresh_from_db()
    assert request.status == LicenceRequest.Status.ACCEPTED
    assert deal.proposal.flat_fee == 20000 and deal.licensor == ana and deal.licensee == ben
    assert list(deal.works.all()) == [work]
    assert deal.licensor_agreements.exists() and deal.licensee_agreements.exists()
    assert Grant.objects.get(deal=deal).exclusive is False
    card = contact_card_disclose(deal=deal, viewer=ben, via="page")
    assert card.username == "ana" and card.name
    assert (
        ContactDisclosure.objects.filter(subject=ana, viewer=ben).count() == 2
    )  # at the deal, then on the page
    assert AuditEvent.objects.filter(action="licensing.contact_disclosed").count() == 3


def test_only_the_party_whose_turn_it_is_answers_and_a_changed_proposal_is_not_accepted_unseen(
    ana, ben, published_work, terms
):
    """REQ: COM-2"""
    request = request_send(requester=ben, work_ids=[published_work().pk], data=terms())
    with pytest.raises(ApplicationError) as own:
        request_accept(request=request, by=ben, number=1)
    assert own.value.code == "not_your_turn"
    request_counter(request=request, by=ana, data=terms(flat_fee="15000"))
    with pytest.raises(ApplicationError) as stale:
        request_accept(request=request, by=ben, number=1)
    assert stale.value.code == "proposal_changed"


def test_terms_out_of_range_are_refused_field_by_field(ana, ben, published_work, terms):
    """REQ: COM-1"""
    bad = terms(
        flat_fee="-5",
        ends_on=(date.today() - timedelta(days=3)).isoformat(),
        territories=["atlantis"],
        fee_model="flat",
    )
    with pytest.raises(ApplicationError) as refused:
        request_send(requester=ben, work_ids=[published_work().pk], data=bad)
    assert set(refused.value.fields) == {"flat_fee", "ends_on", "territories"}
    with pytest.raises(ApplicationError) as royalty:
        request_send(
            requester=ben,
            work_ids=[published_work(seed=2).pk],
            data=terms(fee_model="royalty", royalty_percent="101"),
        )
    assert set(royalty.value.fields) == {"royalty_percent"}
    assert not LicenceRequest.objects.exists()


def test_unverified_organizations_closed_works_and_own_works_are_refused_with_a_reason(
    ana, ben, published_work, terms
):
    """REQ: COM-1"""
    work = published_work()
    dora = make_user("dora", kind="organization")
    with pytest.raises(PermissionDenied) as unverified:
        request_send(requester=dora, work_ids=[work.pk], data=terms())
    assert unverified.value.code == "organization_not_verified"
    with pytest.raises(ApplicationError):
        request_send(requester=ana, work_ids=[work.pk], data=terms())
    work.open_to_licensing = False
    work.save()
    with pytest.raises(ApplicationError) as closed:
        request_send(requester=ben, work_ids=[work.pk], data=terms())
    assert closed.value.code == "closed_to_licensing"


def test_an_exclusive_deal_marks_the_work_and_an_overlapping_request_is_refused_with_the_conflict_shown(
    ana, ben, bea, published_work, terms
):
    """REQ: COM-3, COM-6, WRK-6"""
    work = published_work()
    work.repost_allowed = True
    work.save()
    today = date.today()
    exclusive = terms(
        kind="exclusive", starts_on=today.isoformat(), ends_on=(today + timedelta(days=30)).isoformat()
    )
    request = request_send(requester=ben, work_ids=[work.pk], data=exclusive)
    request_accept(request=request, by=ana, number=1)
    work.refresh_from_db()
    assert work.is_exclusive and not work.repost_allowed
    with pytest.raises(ApplicationError) as refused:
        request_send(requester=bea, work_ids=[work.pk], data=terms(territories=["all"], channels=["all"]))
    assert refused.value.code == "licence_conflict" and refused.value.status == 409
    conflict = refused.value.extra["conflicts"][0]
    assert conflict["holder"] == "ben_brand" and conflict["exclusive"] is True
    assert "flat_fee" not in conflict and "intended_use" not in conflict
    # Another territory is free.
    request_send(requester=bea, work_ids=[work.pk], data=terms(territories=["eu"]))


def test_exclusivity_over_an_existing_grant_is_refused(ana, ben, bea, published_work, terms):
    """REQ: COM-6"""
    work = published_work()
    request_accept(request=request_send(requester=ben, work_ids=[work.pk], data=terms()), by=ana, number=1)
    with pytest.raises(ApplicationError) as refused:
        request_send(requester=bea, work_ids=[work.pk], data=terms(kind="exclusive"))
    assert refused.value.code == "licence_conflict"


def test_the_exclusive_mark_is_lifted_by_itself_when_the_term_ends(ana, ben, published_work, terms):
    """REQ: COM-3"""
    work = published_work()
    today = date.today()
    data = terms(
        kind="exclusive", starts_on=today.isoformat(), ends_on=(today + timedelta(days=2)).isoformat()
    )
    request_accept(request=request_send(requester=ben, work_ids=[work.pk], data=data), by=ana, number=1)
    with time_machine.travel(today + timedelta(days=4)):
        assert exclusive_marks_sync() == 1
    work.refresh_from_db()
    assert not work.is_exclusive
    assert Notification.objects.filter(user=ana, template="licence_exclusive_ended").exists()


def test_an_annulled_deal_frees_the_rights_and_stops_sharing_contact_details(
    ana, ben, bea, lee, published_work, terms
):
    """REQ: COM-6, PRV-4"""
    work = published_work()
    deal = request_accept(
        request=request_send(requester=ben, work_ids=[work.pk], data=terms(kind="exclusive")),
        by=ana,
        number=1,
    )
    deal = deal_annul(deal=deal, by=lee, reason="Signed under a false identity")
    assert Notification.objects.filter(template="licence_deal_annulled").count() == 2
    with pytest.raises(ApplicationError):
        contact_card_disclose(deal=deal, viewer=ben, via="page")
    request_send(requester=bea, work_ids=[work.pk], data=terms(kind="exclusive"))


def test_decline_withdraw_and_expiry_end_the_request_and_tell_the_other_side(ana, ben, published_work, terms):
    """REQ: COM-2"""
    first = request_send(requester=ben, work_ids=[published_work().pk], data=terms())
    with pytest.raises(ApplicationError):
        request_decline(request=first, by=ana, reason=" ")
    request_decline(request=first, by=ana, reason="Not for apparel")
    second = request_send(requester=ben, work_ids=[published_work(seed=2).pk], data=terms())
    request_withdraw(request=second, by=ben)
    assert Notification.objects.filter(user=ana, template="licence_request_withdrawn").exists()
    third = request_send(requester=ben, work_ids=[published_work(seed=3).pk], data=terms())
    with time_machine.travel(third.expires_at + timedelta(minutes=1)):
        assert requests_expire() == 1
    third.refresh_from_db()
    assert third.status == LicenceRequest.Status.EXPIRED
    assert Notification.objects.filter(template="licence_request_expired").count() == 2
    with pytest.raises(ApplicationError) as closed:
        request_counter(request=third, by=ana, data=terms())
    assert closed.value.code == "request_closed"


def test_a_licence_offered_instead_of_a_takedown_is_granted_by_the_rights_holder_to_the_uploader(
    ana, ben, published_work, terms
):
    """REQ: RPT-15, COM-2
    GIVEN a rights holder's offer sent for an upheld report WHEN the uploader accepts it
    THEN the rights holder is the licensor and the uploader the licensee of the deal and its grant."""
    work = published_work()
    request = request_send(requester=ben, work_ids=[work.pk], data=terms(), report_reference="R-TESTTEST")
    deal = request_accept(request=request, by=ana, number=1)
    assert (deal.licensor, deal.licensee) == (ben, ana)
    assert Grant.objects.get(deal=deal).licensee == ana


def test_the_parties_talk_in_the_requests_thread_without_seeing_each_others_contact_details(
    ana, ben, published_work, terms, client_for
):
    """REQ: COM-7, PRV-4
    GIVEN a licensing request WHEN the brand writes in its thread THEN the creator reads it on the request's page,
    which shows usernames only, and a stranger cannot reach the thread."""
    from inspiracle.core.testing import make_user

    request = request_send(requester=ben, work_ids=[published_work().pk], data=terms())
    assert request.thread is not None
    brand = client_for(ben)
    sent = brand.post(
        f"/messages/{request.thread_id}/",
        {"body": "Could the print be larger?", "next": f"/licensing/requests/{request.reference}/"},
    )
    assert sent.status_code == 302
    page = client_for(ana).get(f"/licensing/requests/{request.reference}/")
    html = page.content.decode()
    assert "Could the print be larger?" in html
    assert "ben_brand 真名" not in html and "景山前街" not in html
    assert client_for(make_user("sam")).get(f"/messages/{request.thread_id}/").status_code == 404
