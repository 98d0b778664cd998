"""Filing and following a report in web pages (RPT-1..RPT-6, RPT-13), for everyone: signed-in reporters, and
visitors who prove an email address first. A visitor's proof is kept in their session; the key of a report's
tracking link is exchanged for a cookie of that report's pages, so that no address needs the key after that."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from inspiracle.core.errors import ApplicationError
from inspiracle.core.views import add_errors, form_page
from inspiracle.reports import selectors
from inspiracle.reports.forms import ROWS, CategoryForm, CodeForm, EmailForm, ReportForm, RightsProfileForm
from inspiracle.reports.models import Category, Report
from inspiracle.reports.notices import report_link, tracking_link
from inspiracle.reports.permissions import access_report_for_reporter
from inspiracle.reports.services import (
    email_from_pass,
    email_proof_confirm,
    email_proof_start,
    report_complete,
    report_file,
)
from inspiracle.reports.services.intake import MAX_ITEMS
from inspiracle.reports.services.profiles import rights_profile_create

PASS_KEY = "reports.email_pass"
PENDING_KEY = "reports.email_pending"
KEY_COOKIE = "report_key"
KEY_SALT = "reports.tracking-link"
# Long enough to follow a report to its end (the deadline, then a counter-notice); after that the emailed link
# opens it again.
KEY_COOKIE_AGE = 180 * 24 * 3600


def visitor_email(request) -> str:
    """The address a visitor proved in this session, or "" (an expired proof is forgotten)."""
    token = request.session.get(PASS_KEY, "")
    if request.user.is_authenticated or not token:
        return ""
    try:
        return email_from_pass(token)
    except ApplicationError:
        request.session.pop(PASS_KEY, None)
        return ""


def with_key_cookie(response, report: Report):
    """The report's key as a signed cookie sent only to this report's pages (path), never to scripts
    (HttpOnly), over TLS only in production, and not on requests other sites start (SameSite=Lax)."""
    if report.access_token:
        response.set_signed_cookie(
            KEY_COOKIE,
            report.access_token,
            salt=KEY_SALT,
            max_age=KEY_COOKIE_AGE,
            path=report_link(report),
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
    return response


def _cookie_key(request) -> str:
    return request.get_signed_cookie(KEY_COOKIE, default="", salt=KEY_SALT, max_age=KEY_COOKIE_AGE)


def _rows(request) -> int:
    rows = request.GET.get("rows", "")
    return int(rows) if rows.isdecimal() and rows.isascii() else ROWS


def _more_rows(request, form: ReportForm) -> str:
    """The query that shows every row the report may still take, or "" when all are shown."""
    if form.items.total_form_count() >= MAX_ITEMS:
        return ""
    query = request.GET.copy()
    query["rows"] = MAX_ITEMS
    return query.urlencode()


def _next(request) -> str:
    target = request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("reports:new")


@login_required
def mine(request):
    return render(request, "reports/mine.html", {"reports": selectors.report_list_for_reporter(request.user)})


@never_cache
def new(request):
    member, email = request.user.is_authenticated, visitor_email(request)
    if not member and not email:
        return render(request, "reports/start.html", {"next": request.get_full_path()})
    category, url = request.GET.get("category", ""), request.GET.get("url", "")
    if category not in Category.values:
        return render(request, "reports/category.html", {"form": CategoryForm(initial={"url": url})})
    profiles = selectors.rights_profiles_usable_for(request.user)
    form = ReportForm(
        request.POST or None,
        request.FILES or None,
        category=category,
        member=member,
        profiles=profiles,
        rows=_rows(request),
        url=url,
    )
    result = _file(request, form) if request.method == "POST" else None
    if isinstance(result, Report):
        messages.success(request, _("Your report %(reference)s is filed.") % {"reference": result.reference})
        return with_key_cookie(redirect("reports:detail", result.reference), result)
    context = {
        "form": form,
        "category": Category(category),
        "email": email,
        "rows": _rows(request),
        "url": url,
    }
    status = result.status if result else (400 if request.method == "POST" else 200)
    return form_page(request, "reports/new.html", context, result, status=status)


def _file(request, form: ReportForm) -> Report | ApplicationError | None:
    """The report filed, or the service's refusal, or None when the form itself is not valid."""
    if not form.is_valid():
        return None
    try:
        report = report_file(
            reporter=request.user, email_pass=request.session.get(PASS_KEY, ""), data=form.report_input()
        )
    except ApplicationError as exc:
        form.add_service_errors(exc)
        return exc
    return report


@never_cache
def detail(request, reference):
    key = request.GET.get("key", "")
    if key and request.method == "GET":
        return _exchange_key(request, reference)
    # A form sent from a page opened before the exchange existed still carries the key: it is not lost.
    report = access_report_for_reporter(request.user, reference, key or _cookie_key(request))
    form = _complete_form(request, report) if report.status == Report.Status.INCOMPLETE else None
    status: int | None = 200
    if form is not None and request.method == "POST":
        status = _complete(request, report, form)
        if status is None:
            messages.success(request, _("Your additions are saved."))
            return with_key_cookie(redirect("reports:detail", reference), report)
    context = {**selectors.report_detail_for_reporter(report), "form": form}
    context["more_rows"] = _more_rows(request, form) if form else ""
    context["link"] = request.build_absolute_uri(tracking_link(report)) if report.access_token else ""
    return render(request, "reports/detail.html", context, status=status)


def _exchange_key(request, reference):
    """The tracking link opened: its key becomes the cookie of this report's pages, and the browser goes on
    to the address without the key, so that the key is in no later address, history entry or log line."""
    report = access_report_for_reporter(request.user, reference, request.GET.get("key", ""))
    query = request.GET.copy()
    query.pop("key")
    target = report_link(report) + (f"?{query.urlencode()}" if query else "")
    return with_key_cookie(redirect(target), report)


def _complete(request, report: Report, form: ReportForm) -> int | None:
    """None when the additions are saved; otherwise the status of the page that shows what was wrong."""
    if not form.is_valid():
        return 400
    try:
        report_complete(report=report, data=form.report_input())
    except ApplicationError as exc:
        form.add_service_errors(exc)
        return exc.status
    return None


def _complete_form(request, report: Report) -> ReportForm:
    initial = {
        name: getattr(report, name) for name in ("acting", "party_kind", "name", "mailing_address", "phone")
    }
    return ReportForm(
        request.POST or None,
        request.FILES or None,
        category=report.category,
        member=report.reporter_id is not None,
        profiles=selectors.rights_profiles_usable_for(report.reporter) if report.reporter_id else [],
        report=report,
        rows=_rows(request),
        initial={**initial, "description": report.description},
    )


@never_cache
def email_proof(request):
    """RPT-1: a visitor proves an email address (a code is sent to it) before filing."""
    if request.GET.get("change"):
        for key in (PASS_KEY, PENDING_KEY):
            request.session.pop(key, None)
    if request.user.is_authenticated or visitor_email(request):
        return redirect(_next(request))
    pending = request.session.get(PENDING_KEY, "")
    form = (CodeForm if pending else EmailForm)(request.POST or None)
    refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            if pending:
                request.session[PASS_KEY] = email_proof_confirm(email=pending, code=form.cleaned_data["code"])
            else:
                email_proof_start(email=form.cleaned_data["email"])
        except ApplicationError as exc:
            refusal = exc
            add_errors(form, exc)
        else:
            return _email_step_done(request, pending or form.cleaned_data["email"], proven=bool(pending))
    context = {"form": form, "pending": pending, "next": _next(request)}
    return form_page(request, "reports/email.html", context, refusal, status=400 if form.errors else 200)


def _email_step_done(request, email: str, *, proven: bool):
    if proven:
        request.session.pop(PENDING_KEY, None)
        messages.success(request, _("Your address %(email)s is proven for 24 hours.") % {"email": email})
        return redirect(_next(request))
    request.session[PENDING_KEY] = email
    messages.info(request, _("We sent a code to %(email)s. It is valid for 30 minutes.") % {"email": email})
    return redirect(f"{reverse('reports:email')}?{urlencode({'next': _next(request)})}")


@login_required
def profiles(request):
    """RPT-13: the user's rights holder profiles, and registering one for verification."""
    form = RightsProfileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            rights_profile_create(owner=request.user, **form.profile_data())
        except ApplicationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Your profile is registered; a legal officer will verify it."))
            return redirect("reports:profiles")
    context = {
        "profiles": selectors.rights_profile_list_for_owner(request.user),
        "form": form,
        "valid_days": settings.RIGHTS_PROFILE_VALID_DAYS,
    }
    return render(request, "reports/profiles.html", context, status=400 if form.errors else 200)
