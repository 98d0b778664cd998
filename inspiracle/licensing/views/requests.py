"""Licensing requests in the web pages (COM-1, COM-2, COM-6, MOD-5): the hub of my requests, the request form,
the request's page with every version and what changed, and one view per answer (accept, counter-propose,
decline, withdraw). A reader who is not a party gets "not found", for the page and for every action."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inspiracle.agreements.gate import consent_required
from inspiracle.core.errors import ApplicationError
from inspiracle.core.views import add_errors, form_page
from inspiracle.licensing import selectors
from inspiracle.licensing.forms import (
    AcceptForm,
    DeclineForm,
    RequestForm,
    TermsForm,
    WithdrawForm,
    terms_initial,
)
from inspiracle.licensing.permissions import access_request_for_party
from inspiracle.licensing.services.common import request_refusal
from inspiracle.licensing.services.deals import request_accept
from inspiracle.licensing.services.requests import (
    latest_proposal,
    request_counter,
    request_decline,
    request_path,
    request_send,
    request_withdraw,
)
from inspiracle.messaging.panels import thread_panel_open
from inspiracle.works.permissions import access_work_for_view

BOXES = ("all", "received", "sent")
PAGE_SIZE = 20


def _conflicts(refusal: ApplicationError | None) -> list[dict]:
    return refusal.extra.get("conflicts", []) if refusal else []


@login_required
def hub(request):
    box = request.GET.get("box") if request.GET.get("box") in BOXES else "all"
    requests = selectors.request_list_for_party(request.user, box=box)
    page = Paginator(requests, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"box": box, "page": page, "query": f"box={box}&"}
    return render(request, "licensing/request_list.html", context)


def _terms_page(request, template: str, form, context: dict, send):
    """The request form and the counter-proposal form: on a valid POST ``send()`` returns the request and what
    to say, and the person goes to the request's page; otherwise the page again, with the refusal (wrong
    fields, a conflicting grant, a restriction) and everything that was typed."""
    refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            lreq, done = send()
        except ApplicationError as exc:
            add_errors(form, exc)
            refusal = exc
        else:
            messages.success(request, done)
            return redirect(request_path(lreq))
    context = {**context, "form": form, "refusal": refusal, "conflicts": _conflicts(refusal)}
    status = refusal.status if refusal else 400 if form.errors else 200
    return form_page(request, template, context, refusal, status=status)


def _asked_work_ids(request) -> list[int]:
    return [int(v) for v in request.GET.getlist("works") if v.isdigit() and len(v) < 19]


@login_required
@consent_required
def request_new(request):
    asked = _asked_work_ids(request)
    if not asked:
        raise ApplicationError(_("Choose a work first: open its page and press “Ask for a licence”."))
    creator = access_work_for_view(request.user, asked[0]).owner
    works = selectors.work_list_licensable(creator, including=asked)
    form = RequestForm(request.POST or None, works=works, initial={"works": asked})

    def send():
        sent = request_send(
            requester=request.user,
            work_ids=[work.pk for work in form.cleaned_data["works"]],
            data=form.terms(),
            message=form.cleaned_data["message"],
        )
        return sent, _("Your request %(reference)s is sent.") % {"reference": sent.reference}

    # MOD-5, COM-1: who may not ask learns it before filling the form in, not after sending it.
    restriction = None if form.is_bound else request_refusal(request.user)
    context = {"creator": creator, "restriction": restriction}
    return _terms_page(request, "licensing/request_new.html", form, context, send)


def _page(request, lreq, *, status=200, refusal=None, **forms):
    context = {
        "page": selectors.request_page_for_party(request.user, lreq),
        # COM-7: the parties' conversation, embedded (reading it here counts as read).
        "panel": thread_panel_open(request, lreq.thread) if lreq.thread_id else None,
        "accept_form": AcceptForm(),
        "decline_form": DeclineForm(),
        "withdraw_form": WithdrawForm(),
        **forms,
        "refusal": refusal,
        "conflicts": _conflicts(refusal),
    }
    return form_page(request, "licensing/request_detail.html", context, refusal, status=status)


@login_required
def request_detail(request, reference):
    return _page(request, access_request_for_party(request.user, reference))


def _answer(request, reference, form_class, name: str, call, done):
    """One answer to a request: the form's data to ``call(lreq, **data)``; then back to the request's page
    with ``done(result)`` said, or the page again with the refusal and the form as it was sent."""
    lreq = access_request_for_party(request.user, reference)
    form = form_class(request.POST)
    if not form.is_valid():
        return _page(request, lreq, status=400, **{name: form})
    try:
        result = call(lreq, **form.cleaned_data)
    except ApplicationError as exc:
        # The message heads the page (the form is further down); the form marks its own fields.
        for field, errors in exc.fields.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
        return _page(request, lreq, status=exc.status, refusal=exc, **{name: form})
    messages.success(request, done(result))
    return redirect(request_path(lreq))


@require_POST
@login_required
def accept(request, reference):
    return _answer(
        request,
        reference,
        AcceptForm,
        "accept_form",
        lambda lreq, number: request_accept(request=lreq, by=request.user, number=number),
        lambda deal: _("You accepted the terms: deal %(deal)s is made.") % {"deal": deal.reference},
    )


@require_POST
@login_required
def decline(request, reference):
    return _answer(
        request,
        reference,
        DeclineForm,
        "decline_form",
        lambda lreq, reason: request_decline(request=lreq, by=request.user, reason=reason),
        lambda _lreq: _("You declined the request."),
    )


@require_POST
@login_required
def withdraw(request, reference):
    return _answer(
        request,
        reference,
        WithdrawForm,
        "withdraw_form",
        lambda lreq, reason, confirm: request_withdraw(request=lreq, by=request.user, reason=reason),
        lambda _lreq: _("You withdrew the request."),
    )


@login_required
def counter(request, reference):
    lreq = access_request_for_party(request.user, reference)
    form = TermsForm(request.POST or None, initial=terms_initial(latest_proposal(lreq)))

    def send():
        proposal = request_counter(
            request=lreq, by=request.user, data=form.terms(), message=form.cleaned_data["message"]
        )
        return lreq, _("Version %(number)s is sent.") % {"number": proposal.number}

    context = {"page": selectors.request_page_for_party(request.user, lreq)}
    return _terms_page(request, "licensing/request_counter.html", form, context, send)
