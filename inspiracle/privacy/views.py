"""The privacy rights page and the cancellation pages (ACC-3). Thin: parse, check access, one service."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from inspiracle.core.errors import ApplicationError
from inspiracle.core.views import add_errors, form_page
from inspiracle.privacy import selectors, services
from inspiracle.privacy.forms import CancelForm
from inspiracle.privacy.permissions import access_cancellation_for_owner


def export_url() -> str:
    """ACC-4's page is another app's; the plain address when it is not installed (yet)."""
    try:
        return reverse("exports:list")
    except NoReverseMatch:
        return "/privacy/export/"


@require_GET
def rights(request):
    return render(request, "privacy/rights.html", {"export_url": export_url()})


@login_required
def cancel(request):
    """GET: what will happen (or, once asked for, the date and the way back); POST: confirm with the password."""
    user = access_cancellation_for_owner(request.user)
    form, refusal = CancelForm(request.POST or None), None
    if request.method == "POST" and form.is_valid():
        try:
            services.cancellation_request(user=user, password=form.cleaned_data["password"])
        except ApplicationError as exc:
            add_errors(form, exc)
            refusal = exc
        else:
            messages.success(
                request,
                _("Your cancellation is recorded; you can restore your account until the date shown."),
            )
            return redirect("privacy:cancel")
    context = {
        "form": form,
        "status": selectors.cancellation_status(user),
        "preview": selectors.cancellation_preview(user),
        "cooling_off_days": settings.ACCOUNT_CANCEL_COOLING_OFF_DAYS,
        "export_url": export_url(),
    }
    status = refusal.status if refusal is not None else 200
    return form_page(request, "privacy/cancel.html", context, refusal, status=status)


@login_required
@require_POST
def restore(request):
    user = access_cancellation_for_owner(request.user)
    services.cancellation_restore(user=user)  # a refusal becomes the error page (ErrorPageMiddleware)
    messages.success(request, _("Your account is restored. Nothing was deleted."))
    return redirect("accounts:me")
