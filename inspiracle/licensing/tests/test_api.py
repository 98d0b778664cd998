"""Licensing through the JSON API with personal access tokens: ask, counter, accept, the deal and its contact
details, the refusals a client must be able to act on, the staff's oversight (COM-1, COM-2, COM-6, PRV-4)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from inspiracle.agreements.selectors import local_today
from inspiracle.core.testing import make_user
from inspiracle.licensing.models import ContactDisclosure, Deal, Grant, LicenceRequest
from inspiracle.licensing.services.deals import request_accept
from inspiracle.licensing.services.requests import request_send
from inspiracle.moderation.services import sanction_apply
from inspiracle.works.tests.test_upload import token_client

pytestmark = pytest.mark.django_db


def body(terms, work_ids, **changes) -> dict:
    return {**terms(**changes), "works": list(work_ids), "message": "Hello"}


def exclusive_deal(ana, ben, work, terms):
    """Ben holds an exclusive licence on ``work`` for apparel in mainland China, online, for a year."""
    request = request_send(requester=ben, work_ids=[work.pk], data=terms(kind="exclusive"))
    return request_accept(request=request, by=ana, number=1)


def test_a_brand_asks_the_creator_counters_and_the_brand_accepts_into_a_deal_over_the_api(
    ana, ben, published_work, terms
):
    """REQ: COM-1, COM-2, PRV-4
    GIVEN Ana's published work WHEN Ben asks through the API, Ana counter-proposes a higher fee and Ben
    accepts the version he read THEN the deal shows the accepted terms, works, parties, agreements and grant;
    each party may read the other's contact details, and Ana sees who saw hers."""
    work = published_work()
    ben_api, ana_api = token_client(ben), token_client(ana)

    sent = ben_api.post("/api/licensing/requests", body(terms, [work.pk]), content_type="application/json")
    assert sent.status_code == 201, sent.content
    request = sent.json()
    reference = request["reference"]
    assert request["status"] == "open" and request["creator"] == "ana" and request["requester"] == "ben_brand"
    assert request["works"] == [{"id": work.pk, "title": "Spring rain"}]
    assert request["url"].endswith(f"/licensing/requests/{reference}/")
    assert request["moves"] == {"accept": False, "counter": False, "decline": False, "withdraw": True}

    read = ana_api.get(f"/api/licensing/requests/{reference}").json()
    assert read["moves"] == {"accept": True, "counter": True, "decline": True, "withdraw": True}
    assert read["proposals"][0]["terms"]["flat_fee"] == "12000.00"
    assert {"label": "Territory", "value": "Mainland China"} in read["proposals"][0]["lines"]

    countered = ana_api.post(
        f"/api/licensing/requests/{reference}/proposals",
        {**terms(flat_fee="20000"), "message": "More, please"},
        content_type="application/json",
    )
    assert countered.status_code == 201, countered.content
    second = countered.json()["proposals"][1]
    assert (second["number"], second["author"], second["changed"]) == (2, "ana", ["Flat fee (CNY)"])

    accepted = ben_api.post(
        f"/api/licensing/requests/{reference}/accept", {"number": 2}, content_type="application/json"
    )
    assert accepted.status_code == 201, accepted.content
    deal = accepted.json()
    assert (deal["licensor"], deal["licensee"], deal["accepted_by"]) == ("ana", "ben_brand", "ben_brand")
    assert deal["request"] == reference and deal["proposal"] == 2
    assert deal["terms"]["flat_fee"] == "20000.00" and deal["terms"]["territories"] == ["cn"]
    assert deal["works"] == [{"id": work.pk, "title": "Spring rain"}]
    assert deal["licensor_agreements"] and deal["licensee_agreements"]
    assert [(g["work"], g["exclusive"], g["revoked_at"]) for g in deal["grants"]] == [(work.pk, False, None)]
    assert ana_api.get(f"/api/licensing/requests/{reference}").json()["deal"] == deal["reference"]
    assert [d["reference"] for d in ana_api.get("/api/licensing/deals").json()["items"]] == [
        deal["reference"]
    ]

    card = ben_api.get(f"/api/licensing/deals/{deal['reference']}/contact")
    assert card.status_code == 200
    assert card.json()["username"] == "ana" and card.json()["name"] == "ana 真名"
    seen = ana_api.get("/api/licensing/contact-disclosures").json()["items"]
    assert [(d["viewer"], d["via"]) for d in seen] == [("ben_brand", "api"), ("ben_brand", "deal")]
    assert ContactDisclosure.objects.filter(subject=ana, viewer=ben, via="api").count() == 1


def test_terms_out_of_range_are_refused_field_by_field_and_nothing_is_sent(ben, published_work, terms):
    """REQ: COM-1"""
    work = published_work()
    start = local_today() + timedelta(days=10)
    bad = body(
        terms,
        [work.pk],
        fee_model="guarantee_royalty",
        minimum_guarantee="-5",
        royalty_percent="150",
        starts_on=start.isoformat(),
        ends_on=(start - timedelta(days=1)).isoformat(),
        territories=["atlantis"],
    )
    answer = token_client(ben).post("/api/licensing/requests", bad, content_type="application/json")
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert error["code"] == "invalid"
    assert error["fields"]["minimum_guarantee"] == ["Enter an amount greater than zero."]
    assert error["fields"]["royalty_percent"] == ["A royalty cannot exceed 100%."]
    assert error["fields"]["ends_on"] == ["The term must end on or after its start."]
    assert "atlantis" in error["fields"]["territories"][0]

    negative = body(terms, [work.pk], flat_fee=-5)
    answer = token_client(ben).post("/api/licensing/requests", negative, content_type="application/json")
    assert answer.status_code == 400
    assert answer.json()["error"]["fields"] == {"flat_fee": ["Enter an amount greater than zero."]}
    huge = body(terms, [work.pk], flat_fee="1e999999999")
    answer = token_client(ben).post("/api/licensing/requests", huge, content_type="application/json")
    assert answer.status_code == 400 and list(answer.json()["error"]["fields"]) == ["flat_fee"]
    assert not LicenceRequest.objects.exists()


def test_an_overlapping_request_is_refused_with_the_conflict_shown_and_no_private_terms(
    ana, ben, bea, published_work, terms
):
    """REQ: COM-6
    GIVEN Ben's exclusive licence on Ana's work WHEN Bea asks for an overlapping licence THEN 409
    licence_conflict lists Ben's grant (who, what, when) without its fee or intended use; anyone may read the
    work's exclusive licences the same way."""
    work = published_work()
    deal = exclusive_deal(ana, ben, work, terms)
    overlapping = body(terms, [work.pk], territories=["all"], flat_fee="99999")
    answer = token_client(bea).post("/api/licensing/requests", overlapping, content_type="application/json")
    assert answer.status_code == 409
    error = answer.json()["error"]
    assert error["code"] == "licence_conflict" and deal.reference in error["message"]
    expected = {
        "deal": deal.reference,
        "work": work.pk,
        "work_title": "Spring rain",
        "holder": "ben_brand",
        "exclusive": True,
        "product_categories": "Apparel",
        "territories": "Mainland China",
        "channels": "Online shops",
        "starts_on": deal.proposal.starts_on.isoformat(),
        "ends_on": deal.proposal.ends_on.isoformat(),
    }
    assert error["conflicts"] == [expected]
    assert "12000" not in answer.content.decode() and "T-shirts" not in answer.content.decode()

    public = Client().get(f"/api/works/{work.pk}/licence-grants")
    assert public.status_code == 200 and public.json()["items"] == [expected]
    elsewhere = body(terms, [work.pk], territories=["eu"])
    assert (
        token_client(bea)
        .post("/api/licensing/requests", elsewhere, content_type="application/json")
        .status_code
        == 201
    )


def test_the_grants_of_a_work_that_is_not_published_are_not_found(ana, submit):
    """REQ: PRV-3"""
    work = submit()
    assert Client().get(f"/api/works/{work.pk}/licence-grants").status_code == 404
    assert token_client(ana).get(f"/api/works/{work.pk}/licence-grants").json()["items"] == []


def test_accepting_a_version_that_is_no_longer_the_latest_is_refused(ana, ben, published_work, terms):
    """REQ: COM-2"""
    work = published_work()
    request = request_send(requester=ben, work_ids=[work.pk], data=terms())
    ana_api = token_client(ana)
    ana_api.post(
        f"/api/licensing/requests/{request.reference}/proposals",
        terms(flat_fee="15000"),
        content_type="application/json",
    )
    stale = token_client(ben).post(
        f"/api/licensing/requests/{request.reference}/accept", {"number": 1}, content_type="application/json"
    )
    assert stale.status_code == 409
    assert stale.json()["error"]["code"] == "proposal_changed"
    assert "version 2" in stale.json()["error"]["message"]
    own = ana_api.post(
        f"/api/licensing/requests/{request.reference}/accept", {"number": 2}, content_type="application/json"
    )
    assert own.status_code == 409 and own.json()["error"]["code"] == "not_your_turn"
    assert not Deal.objects.exists()


def test_a_restricted_user_is_told_why_and_until_when_and_still_reads_and_withdraws(
    ana, ben, mo, published_work, terms
):
    """REQ: MOD-5
    GIVEN a participation restriction on Ben for a week WHEN he asks for a licence or accepts THEN 403
    sanctioned says which measure and until when; he still reads his requests and may withdraw one."""
    work = published_work()
    request = request_send(requester=ben, work_ids=[work.pk], data=terms())
    ends = timezone.now() + timedelta(days=7)
    sanction = sanction_apply(actor=mo, user=ben, kind="participation", reason_code="abuse", ends_at=ends)
    ben_api = token_client(ben)
    refused = ben_api.post("/api/licensing/requests", body(terms, [work.pk]), content_type="application/json")
    assert refused.status_code == 403
    error = refused.json()["error"]
    assert error["code"] == "sanctioned" and error["sanction"] == sanction.pk
    assert "until" in error["message"] and error["ends_at"] == ends.isoformat()
    assert ben_api.get(f"/api/licensing/requests/{request.reference}").status_code == 200
    withdrawn = ben_api.post(
        f"/api/licensing/requests/{request.reference}/withdraw", {}, content_type="application/json"
    )
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    assert LicenceRequest.objects.count() == 1


def test_an_unverified_organization_and_staff_cannot_ask(ada, published_work, terms):
    """REQ: COM-1"""
    work = published_work()
    dora = make_user("dora", kind="organization")
    refused = token_client(dora).post(
        "/api/licensing/requests", body(terms, [work.pk]), content_type="application/json"
    )
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "organization_not_verified"
    staff = token_client(ada).post(
        "/api/licensing/requests", body(terms, [work.pk]), content_type="application/json"
    )
    assert staff.status_code == 403 and staff.json()["error"]["code"] == "not_a_party"


def test_decline_needs_a_reason_and_ends_the_request(ana, ben, published_work, terms):
    """REQ: COM-2"""
    request = request_send(requester=ben, work_ids=[published_work().pk], data=terms())
    url = f"/api/licensing/requests/{request.reference}/decline"
    ana_api = token_client(ana)
    empty = ana_api.post(url, {"reason": " "}, content_type="application/json")
    assert empty.status_code == 400 and "reason" in empty.json()["error"]["fields"]
    declined = ana_api.post(url, {"reason": "Not for food packaging."}, content_type="application/json")
    assert declined.status_code == 200
    assert (declined.json()["status"], declined.json()["decline_reason"]) == (
        "declined",
        "Not for food packaging.",
    )
    again = ana_api.post(url, {"reason": "Still no."}, content_type="application/json")
    assert again.status_code == 409 and again.json()["error"]["code"] == "request_closed"


def test_lists_come_a_page_at_a_time_in_the_caller_boxes_with_a_fixed_number_of_queries(
    ana, ben, published_work, terms, settings
):
    """REQ: COM-1. 30 a page; the page after the last is empty; the number of queries does not grow with the
    number of rows."""
    settings.LICENSING_REQUESTS_PER_DAY = 100
    works = [published_work(title=f"Work {n}", seed=n) for n in (1, 2)]
    for n in range(31):
        request_send(requester=ben, work_ids=[works[n % 2].pk], data=terms())
    ana_api, ben_api = token_client(ana), token_client(ben)
    # The first call of a token records its use; the page after the last one is empty.
    assert ana_api.get("/api/licensing/requests?box=received&page=3").json()["items"] == []
    with CaptureQueriesContext(connection) as full:
        first = ana_api.get("/api/licensing/requests?box=received")
    with CaptureQueriesContext(connection) as short:
        second = ana_api.get("/api/licensing/requests?box=received&page=2")
    assert [len(first.json()["items"]), len(second.json()["items"])] == [30, 1]
    assert [first.json()["count"], second.json()["count"]] == [31, 31]
    assert len(full) == len(short) + 1  # a full page counts the rows; the last page knows how many there are
    assert ana_api.get("/api/licensing/requests?box=sent").json()["items"] == []
    assert len(ben_api.get("/api/licensing/requests?box=sent").json()["items"]) == 30
    assert set(first.json()["items"][0]) == {
        "reference", "url", "status", "status_label", "requester", "creator", "works", "created_at",
        "expires_at", "report_reference",
    }  # fmt: skip
    wrong = ana_api.get("/api/licensing/requests?page=0")
    assert wrong.status_code == 422 and "page" in wrong.json()["error"]["fields"]
    unknown = ana_api.get("/api/licensing/requests?box=everything")
    assert unknown.status_code == 422 and "box" in unknown.json()["error"]["fields"]


def test_a_stranger_gets_not_found_for_a_request_and_a_deal_and_a_visitor_must_sign_in(
    ana, ben, cy, published_work, terms
):
    """REQ: PRV-3, PRV-4"""
    deal = exclusive_deal(ana, ben, published_work(), terms)
    cy_api = token_client(cy)
    for url in (
        f"/api/licensing/requests/{deal.request.reference}",
        f"/api/licensing/deals/{deal.reference}",
        f"/api/licensing/deals/{deal.reference}/contact",
    ):
        assert cy_api.get(url).status_code == 404
        assert Client().get(url).status_code == 401
    assert (
        cy_api.post(
            f"/api/licensing/requests/{deal.request.reference}/withdraw", {}, content_type="application/json"
        ).status_code
        == 404
    )
    assert not ContactDisclosure.objects.filter(viewer=cy).exists()


def test_a_read_only_token_reads_deals_but_cannot_ask(ben, published_work, terms):
    """REQ: UX-2"""
    from inspiracle.accounts.tokens import token_issue

    _token, raw = token_issue(user=ben, name="reader", scopes=["read"])
    reader = Client(headers={"Authorization": f"Bearer {raw}"})
    assert reader.get("/api/licensing/deals").status_code == 200
    refused = reader.post(
        "/api/licensing/requests", body(terms, [published_work().pk]), content_type="application/json"
    )
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "token_scope"


def test_a_legal_officer_oversees_deals_the_register_and_disclosures_and_annuls_a_deal(
    ana, ben, lee, mo, published_work, terms
):
    """REQ: COM-6, PRV-4
    GIVEN Ben's exclusive deal WHEN Lee annuls it through the staff API THEN its grant is revoked, the work's
    exclusive licences are free again, and Ben can no longer read Ana's contact details. Non-staff get "not
    found", a moderator a refusal."""
    work = published_work()
    deal = exclusive_deal(ana, ben, work, terms)
    lee_api = token_client(lee)
    assert [d["reference"] for d in lee_api.get("/api/staff/licensing/deals").json()["items"]] == [
        deal.reference
    ]
    register = lee_api.get(f"/api/staff/licensing/register?work={work.pk}&exclusive=true").json()["items"]
    assert [(g["deal"], g["licensee"], g["territories"]) for g in register] == [
        (deal.reference, "ben_brand", ["cn"])
    ]
    disclosures = lee_api.get("/api/staff/licensing/disclosures").json()["items"]
    assert {(d["subject"], d["viewer"], d["via"]) for d in disclosures} == {
        ("ana", "ben_brand", "deal"),
        ("ben_brand", "ana", "deal"),
    }
    annulled = lee_api.post(
        f"/api/staff/licensing/deals/{deal.reference}/annul",
        {"reason": "A court order of 3 March."},
        content_type="application/json",
    )
    assert annulled.status_code == 200, annulled.content
    assert (
        annulled.json()["annulled_by"] == "lee"
        and annulled.json()["annul_reason"] == "A court order of 3 March."
    )
    assert Grant.objects.get(deal=deal).revoked_at is not None
    assert Client().get(f"/api/works/{work.pk}/licence-grants").json()["items"] == []
    standing = lee_api.get("/api/staff/licensing/deals?state=standing").json()["items"]
    assert standing == []
    ben_api = token_client(ben)
    assert ben_api.get(f"/api/licensing/deals/{deal.reference}").json()["annulled_at"] is not None
    gone = ben_api.get(f"/api/licensing/deals/{deal.reference}/contact")
    assert gone.status_code == 409 and gone.json()["error"]["code"] == "deal_annulled"
    again = lee_api.post(
        f"/api/staff/licensing/deals/{deal.reference}/annul",
        {"reason": "Twice"},
        content_type="application/json",
    )
    assert again.status_code == 409

    signed_in_ana = Client()
    signed_in_ana.force_login(ana)
    assert signed_in_ana.get("/api/staff/licensing/deals").status_code == 404
    assert token_client(mo).get(f"/api/staff/licensing/deals/{deal.reference}").status_code == 403
