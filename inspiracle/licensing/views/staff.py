"""Licensing in the staff console (UX-3), for legal officers and administrators (LICENSING_OVERSEE, MOD-7): every
deal, a deal with both parties' contact details (each showing logged, PRV-4, MOD-8) and its annulment, the
register of grants (COM-6) and the contact-disclosure log. Other staff are refused, everyone else gets "not
found"; the reads and the service check the role themselves."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from inspiracle.core.errors import ApplicationError
from inspiracle.core.views import add_errors
from inspiracle.licensing import deal_selectors as selectors
from inspiracle.licensing.permissions import access_deal_for_staff
from inspiracle.licensing.services.deals import contact_cards_disclose_to_staff, deal_annul
from inspiracle.licensing.staff_forms import AnnulForm, DealFilterForm, RegisterFilterForm

PAGE_SIZE = 50


def _filters(form) -> tuple[dict, str]:
    """The valid filters of a list page, and the query string that keeps them across its pages."""
    values = form.cleaned_data if form.is_valid() else {}
    kept = {name: value for name, value in values.items() if value not in (None, "", False, "all")}
    return values, urlencode(kept) + "&" if kept else ""


@login_required
@require_GET
def deals(request):
    form = DealFilterForm(request.GET)
    values, query = _filters(form)
    found = selectors.deal_list_for_oversight(
        request.user, state=values.get("state") or "all", reference=values.get("reference") or ""
    )
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "licensing/staff_deals.html", {"page": page, "form": form, "query": query})


@login_required
def deal_detail(request, reference):
    """REQ: COM-2, PRV-4 (the annulment, and both parties' details shown to the officer, logged)"""
    deal = access_deal_for_staff(request.user, reference)
    form = AnnulForm(request.POST or None)
    status = 200
    if form.is_bound and form.is_valid():
        try:
            deal_annul(deal=deal, by=request.user, **form.service_kwargs())
        except ApplicationError as exc:
            add_errors(form, exc)
            status = exc.status
        else:
            messages.success(request, _("The deal is annulled; both parties are told."))
            return redirect("licensing_staff:deal", deal.reference)
    elif form.is_bound:
        status = 400
    licensor, licensee = contact_cards_disclose_to_staff(deal=deal, viewer=request.user)
    context = {
        "summary": selectors.deal_summary(deal, viewer=request.user),
        "licensor": licensor,
        "licensee": licensee,
        "form": form,
    }
    return render(request, "licensing/staff_deal.html", context, status=status)


@login_required
@require_GET
def register(request):
    """REQ: COM-6"""
    form = RegisterFilterForm(request.GET)
    values, query = _filters(form)
    found = selectors.register_for_oversight(
        request.user, work_id=values.get("work"), exclusive_only=bool(values.get("exclusive"))
    )
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "rows": selectors.grant_lines(page.object_list), "form": form, "query": query}
    return render(request, "licensing/staff_register.html", context)


@login_required
@require_GET
def disclosures(request):
    """REQ: PRV-4"""
    page = Paginator(selectors.disclosures_for_oversight(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "licensing/staff_disclosures.html", {"page": page})
