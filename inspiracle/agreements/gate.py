"""The consent gate (REG-3, AGR-4): one place that decides whether a request may upload information.

Fail-closed: every request that changes something (POST, PUT, PATCH, DELETE) needs an account that has
accepted the agreements in force, unless its URL name is in CONSENT_EXEMPT below: signing in and out, the
agreements themselves, correcting registration information (REG-6), security settings. Pages that only show
an upload form carry ``@consent_required`` so the refusal comes before the form is filled in.

Web pages are gated by the middleware; the API by its authentication class (tokens are only known there).
Both call ``consent_refusal``. Notice-only versions are accepted by continued use (AGR-4): the first
signed-in request after one comes into force records it.

Staff decisions are the platform's work, not the staff member's own uploads: a moderator, legal officer or
admin works in the staff console (``/staff/``, ``/api/staff/``) whatever they have accepted, so a new version
never stops claims, report decisions and their deadlines; a banner asks them to accept. Their own uploads
elsewhere are gated like anyone's. A refused form never loses what was typed: the refusal page shows it back.
"""

from django.contrib import messages
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from inspiracle.agreements.models import Consent
from inspiracle.agreements.selectors import GateStatus, gate_status
from inspiracle.agreements.services import consent_accept
from inspiracle.core.errors import ApplicationError

SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}
STAFF_PATHS = ("/staff/", "/api/staff/")
# Fields never echoed back on the refusal page: secrets, not something the user typed to keep.
SECRET_FIELD_PARTS = ("password", "token", "secret")
SECRET_FIELD_NAMES = {"code", "otp", "totp", "card"}

CONSENT_EXEMPT = {
    "set_language",
    "accounts:register",
    "accounts:register-declined",
    "accounts:signin",
    "accounts:signin-totp",
    "accounts:signout",
    "accounts:password-reset",
    "accounts:password-reset-confirm",
    "accounts:email-confirm",
    "accounts:password-change",
    "accounts:registration",
    "accounts:sessions",
    "accounts:session-revoke",
    "accounts:totp",
    "accounts:tokens",
    "accounts:token-revoke",
    "agreements:accept",
    "api:auth-register",
    "api:auth-tokens",
    "api:auth-password-reset",
    "api:auth-password-reset-confirm",
    "api:me-consents",
    "api:me-registration",
    "api:me-password",
    "api:me-sessions",
    "api:me-sessions-sign-out-others",
    "api:me-session",
    "api:auth-email-confirm",
    "api:me-tokens",
    "api:me-token",
    "api:me-totp",
    "api:me-totp-confirm",
    # The language and e-mail choices of the account: how the user is told about the new terms themselves.
    "api:me-language",
    "api:me-notification-preferences",
    "notifications:settings",
    # Someone who does not accept new terms may still withdraw their works from the platform.
    "works:unpublish",
    "works:delete",
    "api:work-unpublish",
    # AGR-4: someone who does not accept new terms may instead cancel the account (ACC-3), or restore it.
    "privacy:cancel",
    "privacy:restore",
    "api:account-cancellation",
    # ... and take a copy of their data first (ACC-4: a right that does not depend on accepting new terms).
    "exports:new",
    "api:account-exports",
    # Reading one's notices changes nothing but their read marks.
    "notifications:read",
    "api:inbox-read",
    # A measure can always be contested (MOD-6), whatever the user thinks of new terms.
    "standing:appeal-new",
    "standing:appeal",
    "standing:blocked",
    "api:appeal-messages",
    "api:blocked-appeal",
    "api:blocked-messages",
    # Infringement reports are open to everyone, even without accepting the terms (RPT-1, REG-3's exception),
    # and so is contesting an upheld report (RPT-8).
    "reports:new",
    "reports:email",
    "reports:detail",
    "reports:profiles",
    "reports:counter",
    "api:reports",
    "api:report",
    "api:reports-profiles",
    "api:reports-counter",
    # Asking for a repost permission is open to visitors who proved an e-mail address (WRK-12), like a report.
    "reposts:ask",
    "reposts:email",
    # A visitor fills a cart before registering; buying (checkout) is gated.
    "shop:cart-add",
    "shop:cart-update",
}
# API operations that share their path with others resolve to the first one's name; these are exempt by
# (name, method): deleting a work through the API is DELETE on the work's own address, opening an appeal
# is POST on the list of one's appeals.
CONSENT_EXEMPT_METHODS = {("api:work", "DELETE"), ("api:appeals", "POST")}


class ConsentRequired(ApplicationError):
    status = 403
    code = "consent_required"


def consent_required(view):
    """Mark a page that shows an upload form: refused up front to anyone the gate would refuse anyway."""
    view.consent_required = True
    return view


def gate_status_for(request) -> GateStatus:
    """The gate's status for this request's user, computed once per request."""
    if not hasattr(request, "_gate_status"):
        request._gate_status = gate_status(request.user)
    return request._gate_status


def record_continued_use(request) -> None:
    """AGR-4: a notice-only version is accepted by using the service after it came into force."""
    if getattr(request.user, "cancel_requested_at", None) is not None:
        return  # ACC-3: an account being cancelled is not using the service; it accepts nothing by it
    status = gate_status_for(request)
    if not status.ok or not status.by_notice:
        return
    consent_accept(user=request.user, versions=status.by_notice, method=Consent.Method.CONTINUED_USE)
    if hasattr(request, "_messages"):
        for version in status.by_notice:
            messages.info(
                request,
                _(
                    "%(title)s was updated (version %(number)d, in force since %(date)s). By continuing to use "
                    "Inspiracle you accept it; you can read what changed on its page."
                )
                % {"title": version.document.title, "number": version.number, "date": version.effective_date},
            )
    status.by_notice = []


def is_staff_work(request) -> bool:
    """A staff member acting in the staff console: the platform's work, which no agreement version stops."""
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and user.is_staff) and (
        request.path_info.startswith(STAFF_PATHS)
    )


def consent_refusal(request) -> ConsentRequired | None:
    """The refusal for a request that would upload information, or None when it may go ahead."""
    match = getattr(request, "resolver_match", None)
    if match is not None and (
        match.view_name in CONSENT_EXEMPT or (match.view_name, request.method) in CONSENT_EXEMPT_METHODS
    ):
        return None
    if is_staff_work(request):
        return None
    status = gate_status_for(request)
    if status.ok:
        return None
    missing = [
        {"document": v.document.slug, "version": v.number, "title": v.document.title} for v in status.missing
    ]
    if request.user.is_authenticated:
        message = _(
            "You have not accepted the agreements in force, so you can browse but not upload or send "
            "anything. Read and accept them to continue."
        )
    else:
        message = _(
            "Only registered users who have accepted the agreements can upload or send information. "
            "Register or sign in; you can keep browsing without an account."
        )
    return ConsentRequired(
        message, extra={"missing": missing, "agreements_url": reverse("agreements:accept")}
    )


class ConsentGateMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path.startswith("/api/"):
            return None  # gated in the API's authentication, where token users are known
        if request.user.is_authenticated:
            record_continued_use(request)
        if request.method in SAFE_METHODS and not getattr(view_func, "consent_required", False):
            return None
        refusal = consent_refusal(request)
        if refusal is None:
            return None
        context = {"refusal": refusal, "missing": gate_status_for(request).missing, **_kept(request)}
        return render(request, "agreements/gate.html", context, status=refusal.status)


def _kept(request) -> dict:
    """What a refused form carried, shown back so nothing typed is lost (secrets and files excepted)."""
    if request.method in SAFE_METHODS:
        return {}
    kept = [
        (name, value)
        for name, values in request.POST.lists()
        if name.lower() not in SECRET_FIELD_NAMES and not any(p in name.lower() for p in SECRET_FIELD_PARTS)
        for value in values
    ]
    return {"kept": kept, "files_not_kept": bool(request.FILES)}
