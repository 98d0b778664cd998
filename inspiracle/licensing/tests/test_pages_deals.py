"""A party's deal pages: the deal, its printable summary and PDF, the list of deals and "who saw my contact
details" (COM-2, COM-6, PRV-4), through HTTP."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from inspiracle.licensing.models import ContactDisclosure
from inspiracle.licensing.services.deals import deal_annul, request_accept
from inspiracle.licensing.services.requests import request_send
from inspiracle.moderation.services import sanction_apply

pytestmark = pytest.mark.django_db


@pytest.fixture
def make_deal(ana, ben, published_work, terms):
    """``make_deal(work=None, **terms)``: Ben asks for a licence on one of Ana's published works, Ana accepts."""

    def make_deal(work=None, **changes):
        work = work or published_work()
        request = request_send(requester=ben, work_ids=[work.pk], data=terms(**changes), message="Hello")
        return request_accept(request=request, by=ana, number=1)

    return make_deal


def shown(deal, viewer, via) -> int:
    return ContactDisclosure.objects.filter(deal=deal, viewer=viewer, via=via).count()


def test_each_party_sees_the_deal_and_the_other_partys_contact_details_and_every_showing_is_logged(
    ana, ben, make_deal, client_for
):
    """REQ: COM-2, PRV-4
    GIVEN a deal between Ana (licensor) and Ben (licensee) WHEN each opens the deal page, Ben twice
    THEN each reads the agreed terms, the register entry, the agreements accepted and the other's name,
    mailing address, phone and email; and each showing is one more row on the subject's disclosure list."""
    deal = make_deal(flat_fee="20000")
    ben_client = client_for(ben)
    page = ben_client.get(f"/licensing/deals/{deal.reference}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "ana 真名" in html and "北京市东城区景山前街 4 号" in html and "ana@example.com" in html
    assert ana.registration.mobile in html
    assert "20000" in html and "Flat fee (CNY)" in html  # the accepted terms
    assert "Non-exclusive" in html and "Mainland China" in html  # the register entry
    assert "/agreements/" in html and "version 1" in html  # the agreements each side had accepted
    assert "no-store" in page["Cache-Control"]
    assert shown(deal, ben, "page") == 1
    ben_client.get(f"/licensing/deals/{deal.reference}/")
    assert shown(deal, ben, "page") == 2

    html = client_for(ana).get(f"/licensing/deals/{deal.reference}/").content.decode()
    assert "ben_brand 真名" in html and "ben@example.com" in html
    assert "ana@example.com" not in html  # her own details are not on her page
    assert ContactDisclosure.objects.filter(deal=deal, viewer=ana, subject=ben, via="page").count() == 1


def test_someone_who_is_not_a_party_finds_no_deal_page_summary_or_pdf(
    ana, ben, cy, lee, make_deal, client_for
):
    """REQ: PRV-3, PRV-4 (not even legal staff on the party pages: they have the console)"""
    deal = make_deal()
    before = ContactDisclosure.objects.count()
    for user in (cy, lee):
        client = client_for(user)
        for suffix in ("", "print/", "pdf/"):
            assert client.get(f"/licensing/deals/{deal.reference}/{suffix}").status_code == 404
    assert client_for(cy).get("/licensing/deals/D-NOSUCH00/").status_code == 404
    visitor = Client().get(f"/licensing/deals/{deal.reference}/")
    assert visitor.status_code == 302 and "/accounts/signin/" in visitor["Location"]
    assert ContactDisclosure.objects.count() == before


def test_the_printable_summary_shows_both_parties_details_for_signing(ana, ben, make_deal, client_for):
    """REQ: COM-2, PRV-4"""
    deal = make_deal()
    page = client_for(ben).get(f"/licensing/deals/{deal.reference}/print/")
    html = page.content.decode()
    assert page.status_code == 200 and "css/print.css" in html
    assert "ana 真名" in html and "ben_brand 真名" in html and "Signature or seal" in html
    assert (
        shown(deal, ben, "print") == 1
        and not ContactDisclosure.objects.filter(viewer=ben, subject=ben).exists()
    )


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_pdf_is_a_pdf_named_after_the_deal_only_and_never_cached(
    language, ana, ben, make_deal, client_for, settings
):
    """REQ: COM-2, PRV-4"""
    settings.LANGUAGE_CODE = language
    deal = make_deal()
    response = client_for(ana).get(f"/licensing/deals/{deal.reference}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert deal.reference.encode() in response.content
    assert response["Content-Disposition"] == f'attachment; filename="{deal.reference}.pdf"'
    assert "no-store" in response["Cache-Control"]
    assert shown(deal, ana, "pdf") == 1


def test_an_annulled_deal_stays_readable_without_contact_details(ana, ben, lee, make_deal, client_for):
    """REQ: COM-2, PRV-4
    GIVEN a deal a legal officer annulled WHEN a party opens it THEN they read what was agreed, when it was
    annulled and why (not who annulled it), and no contact details are shown or logged."""
    deal = make_deal()
    deal_annul(deal=deal, by=lee, reason="A court order")
    before = ContactDisclosure.objects.count()
    client = client_for(ben)
    html = client.get(f"/licensing/deals/{deal.reference}/").content.decode()
    assert "Annulled" in html and "A court order" in html and "@lee" not in html
    assert "ana 真名" not in html
    printed = client.get(f"/licensing/deals/{deal.reference}/print/").content.decode()
    assert "ana 真名" not in printed and "ben_brand 真名" not in printed
    assert client.get(f"/licensing/deals/{deal.reference}/pdf/").content.startswith(b"%PDF")
    assert ContactDisclosure.objects.count() == before


def test_a_party_under_a_participation_restriction_still_reads_their_deals(
    ana, ben, mo, make_deal, client_for
):
    """REQ: MOD-5 (participation stops new requests and answers, not reading what was agreed)"""
    deal = make_deal()
    sanction_apply(actor=mo, user=ben, kind="participation", reason_code="abuse")
    client = client_for(ben)
    assert client.get("/licensing/deals/").status_code == 200
    page = client.get(f"/licensing/deals/{deal.reference}/")
    assert page.status_code == 200 and "ana 真名" in page.content.decode()


def test_my_deals_lists_both_sides_newest_first_with_annulled_ones_marked(
    ana, ben, lee, make_deal, published_work, client_for
):
    """REQ: COM-2"""
    first = make_deal()
    second = make_deal(work=published_work(title="Exclusive one", seed=2), kind="exclusive")
    deal_annul(deal=first, by=lee, reason="A mistake")
    for user in (ana, ben):
        html = client_for(user).get("/licensing/deals/").content.decode()
        assert html.index(second.reference) < html.index(first.reference)
        assert "Annulled" in html and "Exclusive licence" in html and "“Exclusive one”" in html
    assert "You license to" in client_for(ana).get("/licensing/deals/").content.decode()


def test_who_saw_my_contact_details_lists_the_viewer_the_deal_and_how(ana, ben, lee, make_deal, client_for):
    """REQ: PRV-4
    GIVEN a deal WHEN Ben opens the deal page and the PDF, and a legal officer oversees the deal
    THEN Ana's list shows @ben_brand at the deal, on the page and in the PDF, and the staff viewing
    without the officer's name."""
    deal = make_deal()
    client_for(ben).get(f"/licensing/deals/{deal.reference}/")
    client_for(ben).get(f"/licensing/deals/{deal.reference}/pdf/")
    client_for(lee).get(f"/staff/licensing/deals/{deal.reference}/")
    page = client_for(ana).get("/licensing/contacts/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "@ben_brand" in html and deal.reference in html
    for label in ("Shared when the deal was made", "Deal page", "PDF summary", "Inspiracle legal staff"):
        assert label in html
    assert "@lee" not in html
    assert "/licensing/contacts/" in client_for(ana).get("/accounts/me/").content.decode()


def test_the_deal_list_and_the_contact_list_cost_the_same_queries_for_one_deal_or_three(
    ana, ben, make_deal, published_work, client_for, django_assert_num_queries
):
    """UX: list pages do not grow with their length."""
    client = client_for(ana)

    def count(url):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    deal = make_deal()
    client_for(ben).get(f"/licensing/deals/{deal.reference}/")
    one = (count("/licensing/deals/"), count("/licensing/contacts/"))
    for seed in (2, 3):
        other = make_deal(work=published_work(title=f"Work {seed}", seed=seed))
        client_for(ben).get(f"/licensing/deals/{other.reference}/")
    with django_assert_num_queries(one[0]):
        client.get("/licensing/deals/")
    with django_assert_num_queries(one[1]):
        client.get("/licensing/contacts/")
