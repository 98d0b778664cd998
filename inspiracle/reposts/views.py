"""Repost permissions in the web pages (WRK-12): asking (members directly, visitors after proving an e-mail
address), the owner's and the asker's lists, one view per answer, and the permission's public page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inspiracle.core.errors import ApplicationError
from inspiracle.core.views import add_errors, form_page
from inspiracle.reposts import selectors
from inspiracle.reposts.emailcodes import repost_email_confirm, repost_email_start
from inspiracle.reposts.forms import AnswerForm, AskForm, CodeForm, EmailForm
from inspiracle.reposts.permissions import (
    access_permission_for_owner,
    access_permission_for_view,
    is_party,
    shows_work,
)
from inspiracle.reposts.services import (
    AskInput,
    repost_approve,
    repost_ask,
    repost_decline,
    repost_refusal,
    repost_revoke,
)
from inspiracle.works.permissions import access_work_for_view
from inspiracle.works.presenters import attribution, attribution_html

PASS_KEY = "reposts_email_pass"
BOXES = ("received", "sent")


def ask(request, work_id):
    work = access_work_for_view(request.user, work_id)
    if not request.user.is_authenticated and not request.session.get(PASS_KEY):
        return redirect(reverse("reposts:email") + "?next=" + request.path)
    form = AskForm(request.POST or None)
    refusal = closed = repost_refusal(work)
    if request.method == "POST" and form.is_valid():
        data = AskInput(work_id=work.pk, **form.cleaned_data)
        try:
            sent = repost_ask(requester=request.user, data=data, email_pass=request.session.get(PASS_KEY, ""))
        except ApplicationError as exc:
            add_errors(form, exc)
            refusal = exc
        else:
            messages.success(
                request,
                _("Your request %(reference)s is sent to the creator.") % {"reference": sent.reference},
            )
            return redirect(
                reverse("reposts:mine") + "?box=sent" if request.user.is_authenticated else work_path(work)
            )
    context = {"work": work, "form": form, "refusal": refusal, "closed": closed}
    status = refusal.status if refusal and form.is_bound else 400 if form.errors else 200
    return form_page(request, "reposts/ask.html", context, refusal, status=status)


def work_path(work) -> str:
    return reverse("works:detail", args=[work.pk])


def email(request):
    """A visitor proves an address: the address, then the code; the pass is kept in the session."""
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = ""
    step = "code" if "code" in request.POST else "email"
    form = (CodeForm if step == "code" else EmailForm)(request.POST or None)
    refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            if step == "code":
                request.session[PASS_KEY] = repost_email_confirm(**form.cleaned_data)
                return redirect(target or "home")
            repost_email_start(email=form.cleaned_data["email"])
        except ApplicationError as exc:
            add_errors(form, exc)
            refusal = exc
        else:
            step, form = "code", CodeForm(initial={"email": form.cleaned_data["email"]})
    context = {"form": form, "step": step, "next": target}
    return form_page(request, "reposts/email.html", context, refusal, status=400 if form.errors else 200)


@login_required
def mine(request):
    box = request.GET.get("box") if request.GET.get("box") in BOXES else "received"
    rows = (
        selectors.permission_list_for_owner(request.user)
        if box == "received"
        else selectors.permission_list_for_requester(request.user)
    )
    page = Paginator(rows, 20).get_page(request.GET.get("page"))
    context = {"box": box, "page": page, "rows": selectors.views_of(page.object_list)}
    return render(request, "reposts/mine.html", context)


def _answer(request, reference, service, done: str):
    permission = access_permission_for_owner(request.user, reference)
    form = AnswerForm(request.POST)
    try:
        if not form.is_valid():
            raise ApplicationError(_("The message is too long; at most 2000 characters."))
        service(permission=permission, actor=request.user, message=form.cleaned_data["message"])
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done % {"reference": permission.reference})
    return redirect(reverse("reposts:mine") + "?box=received")


@require_POST
@login_required
def approve(request, reference):
    return _answer(request, reference, repost_approve, _("You approved %(reference)s; the asker is told."))


@require_POST
@login_required
def decline(request, reference):
    return _answer(request, reference, repost_decline, _("You declined %(reference)s; the asker is told."))


@require_POST
@login_required
def revoke(request, reference):
    return _answer(request, reference, repost_revoke, _("You revoked %(reference)s; the asker is told."))


def detail(request, reference):
    permission = access_permission_for_view(request.user, reference)
    work = permission.work
    context = {
        "permission": permission,
        "view": selectors.views_of([permission])[0],
        "party": is_party(request.user, permission),
        "owner_view": request.user.is_authenticated and request.user.pk == permission.owner_id,
    }
    if not shows_work(request.user, permission):
        # The work is no longer public: the template leaves out its title, creator, picture and attribution.
        return render(request, "reposts/permission.html", context)
    context |= {
        "work": work,
        "thumbnail": selectors.permission_thumbnail(work),
        "attribution": attribution(request, work),
        "attribution_html": attribution_html(request, work),
    }
    return render(request, "reposts/permission.html", context)
