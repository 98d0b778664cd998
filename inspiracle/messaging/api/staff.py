"""Abuse reports about threads through the staff API (COM-7, MOD-7, MOD-8): the queue, a report with the
reported thread while it is open (each reading audited), the decision, a file of the thread. Only the roles
that handle abuse get in; everyone else gets "not found"."""

from datetime import datetime
from typing import Literal

from django.http import HttpResponse
from django.urls import reverse
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from inspiracle.accounts.permissions import require_capability
from inspiracle.accounts.typing import SignedInRequest
from inspiracle.core.api import Page, Rows
from inspiracle.core.schemas import Id
from inspiracle.messaging import selectors, services
from inspiracle.messaging.attachments import attachment_response
from inspiracle.messaging.models import Attachment, Message, ThreadReport
from inspiracle.messaging.permissions import (
    REVIEW,
    access_attachment_for_staff_review,
    access_report_for_staff,
    access_thread_for_staff_review,
)

router = Router(tags=["messages"])
PAGE = 50


class ThreadReportQuery(Schema):
    status: Literal["open", "decided"] = "open"


class StaffThreadReportOut(Schema):
    id: int
    status: str
    status_label: str
    thread: int
    topic: str
    message: int | None = Field(description="The reported message; none when the whole thread is reported")
    reporter: str
    reported_user: str
    reason: str
    created_at: datetime
    decided_at: datetime | None
    decided_by: str | None
    staff_note: str
    account_url: str = Field(description="The reported account's staff page, where a sanction is applied")


class StaffThreadAttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    url: str


class StaffThreadMessageOut(Schema):
    id: int
    sender: str
    body: str
    created_at: datetime
    hidden_at: datetime | None
    attachments: list[StaffThreadAttachmentOut]


class StaffThreadReportDetailOut(StaffThreadReportOut):
    messages: list[StaffThreadMessageOut] = Field(description="The whole thread while the report is open")


class ThreadReportDecideIn(Schema):
    outcome: Literal["dismiss", "action"] = Field(
        description="dismiss; or action: hide the reported message, or close a reported thread"
    )
    note: str = Field("", max_length=2000, description="For the record; staff only")


def _report(request: SignedInRequest, report: ThreadReport) -> dict:
    fields = ("id", "status", "reason", "created_at", "decided_at", "staff_note")
    account = reverse("moderation_staff:account", args=[report.reported_user.username])
    return {
        **{key: getattr(report, key) for key in fields},
        "status_label": report.get_status_display(),
        "thread": report.thread_id,
        "topic": report.thread.topic,
        "message": report.message_id,
        "reporter": report.reporter.username,
        "reported_user": report.reported_user.username,
        "decided_by": report.decided_by.username if report.decided_by else None,
        "account_url": request.build_absolute_uri(account),
    }


def _message(request: SignedInRequest, message: Message) -> dict:
    def attachment(a: Attachment) -> dict:
        url = reverse("api:staff-message-attachment", args=[a.pk])
        fields = ("id", "name", "content_type", "size")
        return {**{key: getattr(a, key) for key in fields}, "url": request.build_absolute_uri(url)}

    return {
        **{key: getattr(message, key) for key in ("id", "body", "created_at", "hidden_at")},
        "sender": message.sender.username,
        "attachments": [attachment(a) for a in message.attachments.all()],
    }


@router.get("/message-reports", response=list[StaffThreadReportOut], url_name="staff-message-reports")
@paginate(Page, page_size=PAGE)
def reports(request: SignedInRequest, query: Query[ThreadReportQuery]) -> Rows:
    """Open reports the longest waiting first, or decided ones the latest first; 50 a page."""
    require_capability(request.user, REVIEW)
    return Rows(selectors.thread_report_queue(status=query.status), each=lambda r: _report(request, r))


@router.get(
    "/message-reports/{int:report_id}", response=StaffThreadReportDetailOut, url_name="staff-message-report"
)
def report(request: SignedInRequest, report_id: Id) -> dict:
    """A report, with the whole reported thread while it is open (your reading is audited, MOD-8)."""
    found = access_report_for_staff(request.user, report_id)
    messages: list[Message] = []
    if found.status == ThreadReport.Status.OPEN:
        access_thread_for_staff_review(request.user, found.thread_id)
        messages = services.thread_review_open(actor=request.user, report=found)
    return {**_report(request, found), "messages": [_message(request, m) for m in messages]}


@router.post(
    "/message-reports/{int:report_id}/decide",
    response=StaffThreadReportOut,
    url_name="staff-message-report-decide",
)
def decide(request: SignedInRequest, report_id: Id, data: ThreadReportDecideIn) -> dict:
    """Dismiss the report or act on it; the reporter and the reported user are told. A sanction is applied
    on the account's page (``account_url``) or through /api/staff/accounts/{username}/sanctions."""
    found = access_report_for_staff(request.user, report_id)
    decided = services.thread_report_decide(
        actor=request.user, report=found, outcome=data.outcome, note=data.note
    )
    return _report(request, decided)


@router.get(
    "/message-attachments/{int:attachment_id}", response={200: None}, url_name="staff-message-attachment"
)
def attachment(request: SignedInRequest, attachment_id: Id) -> HttpResponse:
    """A file of a thread an open report names, as a download (audited)."""
    found = access_attachment_for_staff_review(request.user, attachment_id)
    return attachment_response(services.attachment_review_open(actor=request.user, attachment=found))
