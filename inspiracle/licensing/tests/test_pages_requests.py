"""Licensing requests through the web pages: asking from the work page, negotiating, answering (COM-1, COM-2,
COM-6, MOD-5). HTTP level, with the Django test client."""

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from inspiracle.audit.models import AuditEvent
from inspiracle.core.testing import make_user
from inspiracle.licensing.models import Deal, LicenceRequest
from inspiracle.licensing.services.deals import request_accept
from inspiracle.licensing.services.requests import request_send
from inspiracle.moderation.services import sanction_apply
from inspiracle.works.models import Work

pytestmark = pytest.mark.django_db


def _reference(response) -> str:
    assert response.status_code == 302, response.content.decode()[:2000]
    found = re.fullmatch(r"/licensing/requests/(L-\w+)/", response["Location"])
    assert found is not None
    return found.group(1)


def test_a_brand_asks_from_the_work_page_the_creator_counter_proposes_and_the_brand_accepts(
    ana, ben, published_work, terms, client_for
):
    """REQ: COM-1, COM-2
    GIVEN Ana's published work WHEN Ben asks for a licence from its page, Ana proposes a higher fee and Ben
    accepts the version he read THEN each page shows the parties, every version and what changed, and the
    accepted request links to its deal."""
    work = published_work(title="Koi in spring")
    other = published_work(title="Crane at dusk", seed=2)
    brand, creator = client_for(ben), client_for(ana)

    page = brand.get(f"/works/{work.pk}/").content.decode()
    assert f'href="/licensing/new/?works={work.pk}"' in page and "Ask for a licence" in page
    form = brand.get(f"/licensing/new/?works={work.pk}").content.decode()
    assert "Crane at dusk" in form  # the creator's other works can join the request
    assert re.search(rf'value="{work.pk}"[^>]*checked', form)
    reference = _reference(
        brand.post(
            f"/licensing/new/?works={work.pk}",
            {**terms(), "works": [work.pk, other.pk], "message": "We love the koi."},
        )
    )

    hub = creator.get("/licensing/").content.decode()
    assert reference in hub and "Received from" in hub and "@ben_brand" in hub and "version 1" in hub
    assert "Sent to" in brand.get("/licensing/?box=sent").content.decode()
    assert reference not in brand.get("/licensing/?box=received").content.decode()
    seen = creator.get(f"/licensing/requests/{reference}/").content.decode()
    assert "Koi in spring" in seen and "Crane at dusk" in seen and "We love the koi." in seen
    assert "Accept version 1" in seen and "Propose other terms" in seen
    assert "真名" not in seen  # parties by their names on the platform, never their registration details

    counter_form = creator.get(f"/licensing/requests/{reference}/counter/").content.decode()
    assert 'value="12000.00"' in counter_form and "A capsule collection of T-shirts" in counter_form
    answered = creator.post(
        f"/licensing/requests/{reference}/counter/", {**terms(flat_fee="20000"), "message": "More, please."}
    )
    assert answered.status_code == 302 and answered["Location"] == f"/licensing/requests/{reference}/"

    read = brand.get(f"/licensing/requests/{reference}/").content.decode()
    assert "Version 2 by @ana" in read and "Changed:</strong> Flat fee (CNY)" in read
    assert '<table class="diff">' in read and "<del>" in read and "<ins>" in read
    assert "Accept version 2" in read and 'name="number" value="2"' in read
    assert brand.post(f"/licensing/requests/{reference}/accept/", {"number": 2}).status_code == 302
    deal = Deal.objects.get()
    assert deal.proposal.number == 2 and deal.licensee == ben
    done = brand.get(f"/licensing/requests/{reference}/").content.decode()
    assert f'href="/licensing/deals/{deal.reference}/"' in done and "Accept version" not in done


def test_wrong_terms_are_shown_field_by_field_and_everything_typed_is_kept(
    ben, published_work, terms, client_for
):
    """REQ: COM-1"""
    work = published_work()
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    response = client_for(ben).post(
        f"/licensing/new/?works={work.pk}",
        {
            **terms(fee_model="royalty", royalty_percent="150", ends_on=yesterday, territories=[]),
            "intended_use": "Enamel pins for our museum shop",
            "works": [work.pk],
            "message": "Looking forward to it",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "A royalty cannot exceed 100%." in page and 'value="150"' in page
    assert "The term must end on or after its start." in page and f'value="{yesterday}"' in page
    assert "Choose at least one." in page
    assert "Enamel pins for our museum shop" in page and "Looking forward to it" in page
    assert re.search(r'value="apparel"[^>]*checked', page)
    assert not LicenceRequest.objects.exists()


def test_an_overlapping_request_shows_the_conflicting_grant_without_its_private_terms(
    ana, ben, bea, published_work, terms, client_for
):
    """REQ: COM-6"""
    work = published_work()
    held = request_send(
        requester=ben, work_ids=[work.pk], data=terms(kind="exclusive", intended_use="Secret sneaker drop")
    )
    deal = request_accept(request=held, by=ana, number=1)
    response = client_for(bea).post(
        f"/licensing/new/?works={work.pk}",
        {**terms(flat_fee="777", intended_use="Our own T-shirts"), "works": [work.pk]},
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "These rights are already licensed" in page and "@ben_brand" in page and deal.reference in page
    assert "Secret sneaker drop" not in page and "12000" not in page
    assert "Our own T-shirts" in page and 'value="777"' in page  # what Bea typed is kept
    assert LicenceRequest.objects.count() == 1


def test_someone_who_is_not_a_party_finds_neither_the_request_nor_its_actions(
    ana, ben, cy, published_work, terms, client_for
):
    """REQ: COM-2, PRV-3"""
    lreq = request_send(requester=ben, work_ids=[published_work().pk], data=terms())
    stranger = client_for(cy)
    base = f"/licensing/requests/{lreq.reference}/"
    assert stranger.get(base).status_code == 404
    assert stranger.get(base + "counter/").status_code == 404
    assert stranger.post(base + "counter/", terms(flat_fee="1")).status_code == 404
    assert stranger.post(base + "accept/", {"number": 1}).status_code == 404
    assert stranger.post(base + "decline/", {"reason": "No"}).status_code == 404
    assert stranger.post(base + "withdraw/", {"confirm": "on"}).status_code == 404
    assert lreq.reference not in stranger.get("/licensing/").content.decode()
    lreq.refresh_from_db()
    assert lreq.status == LicenceRequest.Status.OPEN and lreq.proposals.count() == 1


def test_a_restricted_user_is_told_why_and_until_when_and_cannot_send(
    ben, mo, published_work, terms, client_for
):
    """REQ: MOD-5
    GIVEN a participation restriction on Ben WHEN he opens the request form and sends it THEN the page says
    which measure stops him and until when, and nothing is sent."""
    work = published_work()
    ends = timezone.now() + timedelta(days=10)
    sanction_apply(
        actor=mo,
        user=ben,
        kind="participation",
        reason_code="abuse",
        ends_at=ends,
    )
    client = client_for(ben)
    shown = client.get(f"/licensing/new/?works={work.pk}").content.decode()
    assert "Participation restriction" in shown and "until" in shown
    refused = client.post(f"/licensing/new/?works={work.pk}", {**terms(), "works": [work.pk]})
    assert refused.status_code == 403
    page = refused.content.decode()
    assert "Participation restriction" in page and f"{ends.year}" in page and "until" in page
    assert "A capsule collection of T-shirts" in page
    assert not LicenceRequest.objects.exists()


def test_the_owner_closes_a_work_to_licensing_and_it_offers_no_request(
    ana, ben, published_work, terms, client_for
):
    """REQ: COM-1
    GIVEN Ana's published work WHEN she turns "open to licensing requests" off on its edit page THEN the change
    is audited, the work page says so and shows no button, and a request sent anyway is refused with why."""
    work = published_work()
    owner = client_for(ana)
    edit = owner.get(f"/works/{work.pk}/edit/").content.decode()
    assert re.search(r'name="open_to_licensing"[^>]*checked', edit)
    saved = owner.post(
        f"/works/{work.pk}/edit/",
        {
            "title": work.title,
            "description": work.description,
            "category": work.category,
            "tags": ", ".join(work.tags.values_list("name", flat=True)),
            "ai_use": work.ai_use,
            "no_ai_training": "on",
        },
    )
    assert saved.status_code == 302
    work.refresh_from_db()
    assert work.open_to_licensing is False and work.status == Work.Status.PUBLISHED
    assert "open_to_licensing" in AuditEvent.objects.filter(action="work.edited").last().data["fields"]

    brand = client_for(ben)
    page = brand.get(f"/works/{work.pk}/").content.decode()
    assert "does not take licensing requests" in page and "/licensing/new/" not in page
    refused = brand.post(f"/licensing/new/?works={work.pk}", {**terms(), "works": [work.pk]})
    assert refused.status_code == 400 and "does not accept licensing requests" in refused.content.decode()
    assert not LicenceRequest.objects.exists()

    reopened = owner.patch(
        f"/api/works/{work.pk}", {"open_to_licensing": True}, content_type="application/json"
    )
    assert reopened.status_code == 200 and reopened.json()["open_to_licensing"] is True
    assert "/licensing/new/" in brand.get(f"/works/{work.pk}/").content.decode()


def test_visitors_are_asked_to_sign_in_and_owners_see_no_button(ana, published_work, client, client_for):
    """REQ: COM-1"""
    work = published_work()
    page = client.get(f"/works/{work.pk}/").content.decode()
    assert "Sign in to ask the creator for a licence" in page
    assert f"/accounts/signin/?next=/licensing/new/%3Fworks%3D{work.pk}" in page
    visitor = client.get(f"/licensing/new/?works={work.pk}")
    assert visitor.status_code == 403 and "Register or sign in" in visitor.content.decode()
    assert "Ask for a licence" not in client_for(ana).get(f"/works/{work.pk}/").content.decode()


def test_every_work_page_says_how_to_ask_for_a_licence_and_promises_none_that_is_not_offered(
    ana, ben, published_work, client, client_for
):
    """REQ: COM-1
    GIVEN a work that may not be reposted WHEN a visitor or a member reads its rights THEN "ask the creator for
    a licence" links to the licensing request; once the creator takes no requests, no page promises one."""
    work = published_work()
    owner = client_for(ana)
    owner.patch(f"/api/works/{work.pk}", {"repost_allowed": False}, content_type="application/json")
    for reader in (client, client_for(ben)):
        page = reader.get(f"/works/{work.pk}/").content.decode()
        assert '<a href="#licence-request">Ask the creator for a licence</a>' in page
        assert 'id="licence-request"' in page
    owner.patch(f"/api/works/{work.pk}", {"open_to_licensing": False}, content_type="application/json")
    for reader in (client, client_for(ben), owner):
        page = reader.get(f"/works/{work.pk}/").content.decode()
        assert "Ask the creator for a licence" not in page and "/licensing/new/" not in page
        assert "The creator does not take licensing requests for this work." in page


def test_decline_needs_a_reason_and_withdraw_a_confirmation(ana, ben, published_work, terms, client_for):
    """REQ: COM-2"""
    lreq = request_send(requester=ben, work_ids=[published_work().pk], data=terms())
    base = f"/licensing/requests/{lreq.reference}/"
    creator, brand = client_for(ana), client_for(ben)
    unsent = creator.post(base + "decline/", {"reason": " "})
    assert unsent.status_code == 400 and "This field is required." in unsent.content.decode()
    not_confirmed = brand.post(base + "withdraw/", {"reason": "Budget cut"})
    assert not_confirmed.status_code == 400 and "Budget cut" in not_confirmed.content.decode()
    lreq.refresh_from_db()
    assert lreq.status == LicenceRequest.Status.OPEN
    assert creator.post(base + "decline/", {"reason": "Not for apparel"}).status_code == 302
    closed = brand.get(base).content.decode()
    assert "Declined" in closed and "Not for apparel" in closed and "Withdraw the request" not in closed


def test_a_proposal_changed_since_it_was_read_is_not_accepted(ana, ben, published_work, terms, client_for):
    """REQ: COM-2"""
    lreq = request_send(requester=ben, work_ids=[published_work().pk], data=terms())
    base = f"/licensing/requests/{lreq.reference}/"
    client_for(ana).post(base + "counter/", terms(flat_fee="15000"))
    stale = client_for(ben).post(base + "accept/", {"number": 1})
    assert stale.status_code == 409 and "version 2 is the latest" in stale.content.decode()
    assert not Deal.objects.exists()


def test_a_licence_offered_instead_of_a_takedown_says_so(ana, ben, published_work, terms, client_for):
    """REQ: RPT-15"""
    lreq = request_send(
        requester=ben, work_ids=[published_work().pk], data=terms(), report_reference="R-2026-000042"
    )
    page = client_for(ana).get(f"/licensing/requests/{lreq.reference}/").content.decode()
    assert "Offered instead of a takedown after report R-2026-000042" in page


def test_the_licensing_hub_costs_the_same_queries_for_one_request_or_five(
    ana, ben, published_work, terms, client_for, django_assert_num_queries
):
    """REQ: COM-1, COM-2: the hub does not grow a query per request."""
    works = [published_work(title=f"Work {n}", seed=n) for n in range(1, 6)]
    request_send(requester=ben, work_ids=[works[0].pk], data=terms())
    client = client_for(ana)
    client.get("/licensing/")  # the first request of a session records things once
    with CaptureQueriesContext(connection) as one:
        assert client.get("/licensing/").status_code == 200
    for work in works[1:4]:
        request_send(requester=ben, work_ids=[work.pk], data=terms())
    cara = make_user("cara")  # a creator asking too, for two works at once
    request_send(requester=cara, work_ids=[works[3].pk, works[4].pk], data=terms())
    with django_assert_num_queries(len(one)):
        page = client.get("/licensing/").content.decode()
    assert page.count("Received from") == 5 and "@cara" in page


def test_an_organization_waiting_for_verification_learns_it_before_filling_the_form_in(
    published_work, client_for
):
    """REQ: COM-1"""
    work = published_work()
    dora = make_user("dora_studio", kind="organization")
    page = client_for(dora).get(f"/licensing/new/?works={work.pk}").content.decode()
    assert "Only verified organizations can send licensing requests." in page
