"""The register of state authorities' requests in the staff console (PRV-5), for legal officers and
administrators. Non-staff get "not found", other staff a refusal (the selectors and services check the role)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_GET, require_POST

from inspiracle.accounts.permissions import DISCLOSURE_RECORD, require_capability
from inspiracle.core.errors import ApplicationError
from inspiracle.core.files import DOCUMENT_CSP, private_document_response
from inspiracle.core.privacy import no_store
from inspiracle.core.views import add_errors, form_page
from inspiracle.disclosure import permissions as perms
from inspiracle.disclosure import selectors
from inspiracle.disclosure.forms import DecideForm, FilterForm, RecordForm, WithdrawForm
from inspiracle.disclosure.services.exports import export_download, export_response_name
from inspiracle.disclosure.services.requests import (
    document_open,
    export_requeue,
    request_approve,
    request_record,
    request_reject,
    request_withdraw,
)

PAGE_SIZE = 50


@login_required
@require_GET
def register(request):
    """REQ: PRV-5"""
    form = FilterForm(request.GET)
    values = form.cleaned_data if form.is_valid() else {}
    found = selectors.request_list_for_register(
        request.user,
        state=values.get("state") or "all",
        overdue_only=bool(values.get("overdue")),
        search=values.get("q") or "",
    )
    kept = {name: value for name, value in values.items() if value not in (None, "", False, "all")}
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode(kept) + "&" if kept else ""
    context = {"page": page, "form": form, "query": query, "can_record": perms.can_record(request.user)}
    return render(request, "disclosure/register.html", context)


@login_required
@no_store  # re-shown with what was typed: names and the authority's letter
def record(request):
    """REQ: PRV-5"""
    require_capability(request.user, DISCLOSURE_RECORD)  # not found / refused before the form is shown
    form = RecordForm(request.POST or None, request.FILES or None)
    refusal = None
    if form.is_bound and form.is_valid():
        try:
            found = request_record(by=request.user, data=form.service_input())
        except ApplicationError as exc:
            add_errors(form, exc)
            refusal = exc
        else:
            messages.success(request, _("The request is recorded; a second officer must now approve it."))
            return redirect("disclosure:detail", found.reference)
    status = refusal.status if refusal else 400 if form.is_bound else 200
    return form_page(request, "disclosure/record.html", {"form": form}, refusal, status=status)


@login_required
def detail(request, reference):
    """REQ: PRV-5 (the second officer's decision)"""
    found = perms.access_request_for_officer(request.user, reference)
    form = DecideForm(request.POST or None)
    status = 200
    if form.is_bound and form.is_valid():
        decide = request_approve if form.cleaned_data["decision"] == "approve" else request_reject
        try:
            decide(found=found, by=request.user, reason=form.cleaned_data["reason"])
        except ApplicationError as exc:
            add_errors(form, exc)
            status = exc.status
        else:
            messages.success(request, _("Your decision is recorded."))
            return redirect("disclosure:detail", found.reference)
    elif form.is_bound:
        status = 400
    return render(request, "disclosure/detail.html", _detail_context(request, found, form), status=status)


def _detail_context(request, found, form, withdraw_form=None) -> dict:
    return {
        "found": found,
        "accounts": found.accounts.order_by("username"),
        "form": form,
        "withdraw_form": withdraw_form or WithdrawForm(),
        "can_decide": perms.can_decide(request.user, found),
        "can_download": perms.can_download(request.user, found),
        "can_withdraw": perms.can_withdraw(request.user, found),
    }


@login_required
@require_POST
def withdraw(request, reference):
    found = perms.access_request_for_officer(request.user, reference)
    form = WithdrawForm(request.POST)
    try:
        if not form.is_valid():
            raise ApplicationError(_("Give a reason: it is kept with the withdrawal."))
        request_withdraw(found=found, by=request.user, reason=form.cleaned_data["reason"])
    except ApplicationError as exc:
        add_errors(form, exc)
        context = _detail_context(request, found, DecideForm(), form)
        return render(request, "disclosure/detail.html", context, status=exc.status)
    messages.success(request, _("The request is withdrawn."))
    return redirect("disclosure:detail", found.reference)


@login_required
@require_POST
def download(request, reference):
    """REQ: PRV-5 (once: the export is deleted after this download)"""
    found = perms.access_request_for_officer(request.user, reference)
    # Streamed: decrypted chunk by chunk after the delivery committed (never whole in memory).
    stream = export_download(found=found, by=request.user)
    response = StreamingHttpResponse(stream, content_type="application/zip")
    response["Content-Length"] = str(stream.found.export_size)  # lets the client see a stream cut short
    response["Content-Disposition"] = f'attachment; filename="{export_response_name(found)}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
@csp_override(DOCUMENT_CSP)  # the document loads and runs nothing, even opened on its own
def document(request, reference):
    found = perms.access_request_for_officer(request.user, reference)
    data = document_open(found=found, by=request.user)
    return private_document_response(
        data, content_type=found.document_type, stem=f"{found.reference}-document", inline=True
    )


@login_required
@require_POST
def requeue(request, reference):
    found = perms.access_request_for_officer(request.user, reference)
    export_requeue(found=found, by=request.user)
    messages.success(request, _("The export is queued again."))
    return redirect("disclosure:detail", found.reference)
