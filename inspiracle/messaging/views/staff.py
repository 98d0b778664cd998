"""Abuse reports about threads in the staff console (COM-7, MOD-5, MOD-7, MOD-8): the queue, and a report
with the reported thread while it is open (each reading audited), to dismiss it or act on it. A sanction on
the reported account is applied from the staff account page the report links to."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from inspiracle.accounts.permissions import require_capability
from inspiracle.accounts.typing import SignedInRequest
from inspiracle.messaging import selectors, services
from inspiracle.messaging.attachments import attachment_response
from inspiracle.messaging.forms import DecideForm
from inspiracle.messaging.models import ThreadReport
from inspiracle.messaging.permissions import (
    REVIEW,
    access_attachment_for_staff_review,
    access_report_for_staff,
    access_thread_for_staff_review,
)
from inspiracle.messaging.services.abuse import Outcome
from inspiracle.messaging.views.helpers import posted, submit

TABS = ("open", "decided")


@login_required
def reports(request: SignedInRequest) -> HttpResponse:
    require_capability(request.user, REVIEW)
    tab = request.GET.get("tab") or "open"
    tab = tab if tab in TABS else "open"
    page = Paginator(selectors.thread_report_queue(status=tab), 50).get_page(request.GET.get("page"))
    return render(request, "messaging/staff_reports.html", {"page": page, "tab": tab})


@login_required
def report(request: SignedInRequest, report_id: int) -> HttpResponse:
    report = access_report_for_staff(request.user, report_id)
    form = DecideForm(posted(request))
    status = 200
    if request.method == "POST":

        def decide(outcome: Outcome, note: str) -> ThreadReport:
            return services.thread_report_decide(
                actor=request.user, report=report, outcome=outcome, note=note
            )

        decided, refusal = submit(form, decide)
        if refusal is None:
            messages.success(request, _("The report is decided; the people concerned are told."))
            return redirect("messaging_staff:report", decided.pk)
        status = refusal.status
    thread = None
    if report.status == ThreadReport.Status.OPEN:
        thread = access_thread_for_staff_review(request.user, report.thread_id)
    context = {
        "report": report,
        "form": form,
        "thread_messages": services.thread_review_open(actor=request.user, report=report) if thread else [],
    }
    return render(request, "messaging/staff_report.html", context, status=status)


@login_required
@require_GET
def attachment(request: SignedInRequest, attachment_id: int) -> HttpResponse:
    found = access_attachment_for_staff_review(request.user, attachment_id)
    return attachment_response(services.attachment_review_open(actor=request.user, attachment=found))
