"""A party's deals (COM-2): the list, the deal with the other party's contact details (PRV-4), its printable
summary and PDF to sign, and "who saw my contact details". Reading stays open under a participation
restriction (MOD-5): it stops new requests and answers, not a party's access to what was agreed.

A reader who is not a party gets "not found" (PRV-3). Every showing of the other party's details goes through
``contact_card_disclose``, which logs it for the subject to see; an annulled deal shows none."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET

from inspiracle.licensing.deal_selectors import deal_summary
from inspiracle.licensing.models import ContactDisclosure, Deal
from inspiracle.licensing.pdf import deal_pdf
from inspiracle.licensing.permissions import access_deal_for_party
from inspiracle.licensing.selectors import deal_list_for_party, disclosure_list_for_subject
from inspiracle.licensing.services.deals import ContactCard, contact_card, contact_card_disclose

PAGE_SIZE = 50
Via = ContactDisclosure.Via


def _other_card(deal: Deal, user, via: str) -> ContactCard | None:
    return None if deal.is_annulled else contact_card_disclose(deal=deal, viewer=user, via=via)


def _both_cards(deal: Deal, user, via: str) -> dict[str, ContactCard | None]:
    """The licensor's and the licensee's cards for a summary each party signs: the reader's own details as
    registered, the other party's disclosed (and logged)."""
    other = _other_card(deal, user, via)
    own = contact_card(user) if other else None
    licensor, licensee = (own, other) if user.pk == deal.licensor_id else (other, own)
    return {"licensor": licensor, "licensee": licensee}


@login_required
@require_GET
def deal_list(request):
    page = Paginator(deal_list_for_party(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "licensing/deal_list.html", {"page": page})


@login_required
@require_GET
def deal_detail(request, reference):
    """REQ: COM-2, COM-6, PRV-4"""
    deal = access_deal_for_party(request.user, reference)
    context = {
        "summary": deal_summary(deal, viewer=request.user),
        "other": deal.other_party(request.user),
        "contact": _other_card(deal, request.user, Via.PAGE),
    }
    return render(request, "licensing/deal_detail.html", context)


@login_required
@require_GET
def deal_print(request, reference):
    deal = access_deal_for_party(request.user, reference)
    context = {
        "summary": deal_summary(deal, viewer=request.user),
        **_both_cards(deal, request.user, Via.PRINT),
    }
    return render(request, "licensing/deal_print.html", context)


@login_required
@require_GET
def deal_pdf_download(request, reference):
    deal = access_deal_for_party(request.user, reference)
    summary = deal_summary(deal, viewer=request.user)
    response = HttpResponse(deal_pdf(summary, **_both_cards(deal, request.user, Via.PDF)), "application/pdf")
    # The file is named after the deal only: no names or other personal data in a file name.
    response["Content-Disposition"] = f'attachment; filename="{deal.reference}.pdf"'
    add_never_cache_headers(response)
    return response


@login_required
@require_GET
def contact_disclosures(request):
    """REQ: PRV-4 (who saw my contact details, when, through which deal, how)"""
    page = Paginator(disclosure_list_for_subject(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "licensing/deal_contacts.html", {"page": page, "staff_via": Via.STAFF})
