"""Reports in the staff console (UX-3): the queue by due date (RPT-6), deciding a report (RPT-7), counter-notices
(RPT-8), rights holder profiles (RPT-13) and a notifier's record (RPT-14). Only the roles that handle reports
get in (MOD-7); every reading of personal information or a document is audited by the service that returns it
(MOD-8). A refusal goes back onto the form that was filled in, and nothing is changed."""

from functools import partial

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_GET

from inspiracle.core.errors import ApplicationError
from inspiracle.core.files import DOCUMENT_CSP
from inspiracle.core.views import add_errors
from inspiracle.reports import staff_forms
from inspiracle.reports import staff_selectors as selectors
from inspiracle.reports.citations import counter_proof_shown, proof_shown
from inspiracle.reports.evidence import evidence_response
from inspiracle.reports.selectors import licence_offer_lines
from inspiracle.reports.services.counters import counter_notice_decide
from inspiracle.reports.services.decisions import report_decide
from inspiracle.reports.services.profiles import rights_profile_decide
from inspiracle.reports.services.reading import contact_open, evidence_open
from inspiracle.reports.workdays import missing_years
from inspiracle.reposts.selectors import permission_list_for_report

TABS = ("accepted", "incomplete", "decided")


def _run(request, form, call, success) -> tuple[bool, int]:
    """Call the service with the form's decision: (True, 200), or (False, the status the API would answer)
    with the refusal on the form."""
    if not form.is_valid():
        return False, 400
    try:
        call(**form.decision())
    except ApplicationError as exc:
        add_errors(form, exc)
        return False, exc.status
    messages.success(request, success)
    return True, 200


@login_required
def queue(request):
    tab = request.GET.get("tab") if request.GET.get("tab") in TABS else "accepted"
    found = selectors.report_queue(request.user, status=tab)
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "tab": tab,
        "now": timezone.now(),
        "deadline_days": settings.REPORT_DEADLINE_WORKING_DAYS,
        "missing_calendar_years": missing_years(),
    }
    return render(request, "reports/staff_queue.html", context)


@login_required
def report(request, reference):
    report = selectors.access_report_for_staff(request.user, reference)
    items = selectors.report_items(report)
    form = staff_forms.ReportDecideForm(request.POST or None, items=items, category=report.category)
    status = 200
    if form.is_bound:
        decide = partial(report_decide, actor=request.user, report=report)
        done, status = _run(request, form, decide, _("The report is decided; the people concerned are told."))
        if done:
            return redirect("reports_staff:report", report.reference)
    context = {
        "report": report,
        "items": items,
        "form": form,
        "form_id": staff_forms.DECIDE_FORM_ID,
        "evidence": selectors.report_evidence(report),
        "licence_offer": licence_offer_lines(report),
        # WRK-12: repost permissions granted for a site the report names (its addresses and descriptions).
        "repost_permissions": permission_list_for_report(
            [report.description, *(f"{i.url} {i.content}" for i in items)]
        ),
        "proof": proof_shown(report),
        "contact": contact_open(actor=request.user, record=report),
        "record": selectors.reporter_record(request.user, report.reporter_key),
        "now": timezone.now(),
    }
    return render(request, "reports/staff_report.html", context, status=status)


@login_required
@require_GET
@xframe_options_sameorigin
@csp_override(DOCUMENT_CSP)
def evidence(request, evidence_id):
    """MOD-7, MOD-8, RPT-10: the decrypted document, audited before it is returned; a purged one says so."""
    evidence = selectors.access_evidence_for_staff(request.user, evidence_id)
    return evidence_response(evidence, evidence_open(actor=request.user, evidence=evidence))


@login_required
def counter_notices(request):
    page = Paginator(selectors.counter_notice_queue(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "reports/staff_counter_notices.html", {"page": page})


@login_required
def counter_notice(request, notice_id):
    notice = selectors.access_counter_notice_for_staff(request.user, notice_id)
    form = staff_forms.CounterNoticeDecideForm(request.POST or None)
    status = 200
    if form.is_bound:
        decide = partial(counter_notice_decide, actor=request.user, notice=notice)
        done, status = _run(request, form, decide, _("The counter-notice is decided; both sides are told."))
        if done:
            return redirect("reports_staff:counter-notice", notice.pk)
    context = {
        "notice": notice,
        "item": notice.item,
        "evidence": list(notice.evidence.all()),
        "form": form,
        "proof": counter_proof_shown(notice),
    }
    return render(request, "reports/staff_counter_notice.html", context, status=status)


@login_required
def profiles(request):
    page = Paginator(selectors.profile_queue(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "reports/staff_profiles.html", {"page": page})


@login_required
def profile(request, profile_id):
    profile = selectors.access_profile_for_staff(request.user, profile_id)
    form = staff_forms.ProfileDecideForm(request.POST or None)
    status = 200
    if form.is_bound:
        decide = partial(rights_profile_decide, actor=request.user, profile=profile)
        done, status = _run(request, form, decide, _("The profile is decided; the rights holder is told."))
        if done:
            return redirect("reports_staff:profile", profile.pk)
    context = {
        "profile": profile,
        "evidence": list(profile.evidence.all()),
        "contact": contact_open(actor=request.user, record=profile),
        "form": form,
    }
    return render(request, "reports/staff_profile.html", context, status=status)


@login_required
def reporter(request, key):
    record = selectors.reporter_record(request.user, key)
    page = Paginator(selectors.reporter_reports(request.user, key), 50).get_page(request.GET.get("page"))
    context = {"record": record, "page": page, "now": timezone.now()}
    return render(request, "reports/staff_reporter.html", context)
