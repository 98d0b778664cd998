"""The staff console's own records in the API (UX-3): the audit log (AUD-1), publishing agreement versions,
the dashboard's counts and internal notes on users, works and reports. Each endpoint checks its capability in the
service or access function it calls."""

import re
from datetime import date, datetime

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import StrictBool, field_validator

from inspiracle.agreements.selectors import document_get
from inspiracle.agreements.services import version_publish
from inspiracle.core.api import MAX_PAGE_SIZE, Page, Rows
from inspiracle.core.schemas import Id
from inspiracle.staff.models import NOTE_MAX_CHARS, StaffNote
from inspiracle.staff.selectors import access_note_subject_for_staff
from inspiracle.staff.services import audit_log_open, dashboard_counts, note_add, note_list

router = Router(tags=["staff"])


class AuditEventOut(Schema):
    seq: int
    at: datetime
    actor_id: int | None
    actor_label: str
    action: str
    target_type: str
    target_id: str
    target_label: str
    ip: str
    user_agent: str
    reason: str
    data: dict
    hash: str


class PublishIn(Schema):
    text_zh: str
    text_en: str
    effective_date: date
    requires_reacceptance: StrictBool = False
    summary_zh: str = ""
    summary_en: str = ""


class PublishedOut(Schema):
    document: str
    number: int
    effective_date: date
    requires_reacceptance: bool


class AuditQuery(Schema):
    action: str = Field("", max_length=80, description="actions starting with this, e.g. ``pii.``")
    actor: str = Field("", max_length=150, description="the acting staff member's or user's username")
    target: str = Field("", max_length=200, description="part of the target's label, or its id")
    since: date | None = Field(None, description="from this day (YYYY-MM-DD, inclusive)")
    until: date | None = Field(None, description="up to this day (YYYY-MM-DD, inclusive)")

    @field_validator("since", "until", mode="before")
    @classmethod
    def a_calendar_day(cls, value):
        # pydantic would also take a number of seconds ("0") as a day; the schema says YYYY-MM-DD.
        if value is not None and not (isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value)):
            raise ValueError(_("Enter a date as YYYY-MM-DD."))
        return value


@router.get("/audit", response=list[AuditEventOut], url_name="staff-audit")
@paginate(Page, page_size=MAX_PAGE_SIZE)
def audit(request, query: Query[AuditQuery]):
    """The audit log, newest first, 100 a page, filtered by action, actor, target and days (AUD-1). Reading it
    is itself audited (MOD-8)."""
    return audit_log_open(request.user, **query.dict())


@router.post("/agreements/{slug}/versions", response={201: PublishedOut}, url_name="staff-publish")
def publish(request, slug: str, data: PublishIn):
    version = version_publish(actor=request.user, document=document_get(slug), **data.dict())
    return Status(
        201,
        {
            "document": slug,
            "number": version.number,
            "effective_date": version.effective_date,
            "requires_reacceptance": version.requires_reacceptance,
        },
    )


# Dashboard ----------------------------------------------------------------------------------------------------


class DashboardCountOut(Schema):
    key: str = Field(
        description="awaiting_review, open_appeals, reports_overdue, reports_due_soon (within 3 PRC working "
        "days), reports_due_later, awaiting_verification"
    )
    label: str
    count: int
    url: str = Field(description="the console page listing them")


class DashboardOut(Schema):
    counts: list[DashboardCountOut]


@router.get("/dashboard", response=DashboardOut, url_name="staff-dashboard")
def dashboard(request):
    """The console's counts, only those of lists the caller's role may open."""
    return {"counts": [c.__dict__ for c in dashboard_counts(request.user)]}


# Internal notes -----------------------------------------------------------------------------------------------


class NoteIn(Schema):
    text: str = Field(min_length=1, max_length=NOTE_MAX_CHARS)


class NoteOut(Schema):
    id: int
    author: str
    created_at: datetime
    text: str


def _note(note: StaffNote) -> dict:
    return {"id": note.pk, "author": note.author.username, "created_at": note.created_at, "text": note.text}


def _notes(request, kind: str, key: str):
    subject = access_note_subject_for_staff(request.user, kind, key)
    return Rows(note_list(request.user, subject), each=_note)


def _note_add(request, kind: str, key: str, data: NoteIn):
    subject = access_note_subject_for_staff(request.user, kind, key)
    return Status(201, _note(note_add(actor=request.user, subject=subject, text=data.text)))


@router.get("/users/{username}/notes", response=list[NoteOut], url_name="staff-user-notes")
@paginate(Page, page_size=MAX_PAGE_SIZE)
def user_notes(request, username: str):
    """Internal staff notes on an account, newest first."""
    return _notes(request, "user", username)


@router.post("/users/{username}/notes", response={201: NoteOut}, url_name="staff-user-notes")
def user_note_add(request, username: str, data: NoteIn):
    """Append an internal note (at most 2,000 characters; never edited or deleted; audited)."""
    return _note_add(request, "user", username, data)


@router.get("/works/{int:work_id}/notes", response=list[NoteOut], url_name="staff-work-notes")
@paginate(Page, page_size=MAX_PAGE_SIZE)
def work_notes(request, work_id: Id):
    """Internal staff notes on a work, newest first."""
    return _notes(request, "work", str(work_id))


@router.post("/works/{int:work_id}/notes", response={201: NoteOut}, url_name="staff-work-notes")
def work_note_add(request, work_id: Id, data: NoteIn):
    """Append an internal note to a work (audited)."""
    return _note_add(request, "work", str(work_id), data)


@router.get("/reports/{reference}/notes", response=list[NoteOut], url_name="staff-report-notes")
@paginate(Page, page_size=MAX_PAGE_SIZE)
def report_notes(request, reference: str):
    """Internal notes on a report, newest first (legal officers, administrators)."""
    return _notes(request, "report", reference)


@router.post("/reports/{reference}/notes", response={201: NoteOut}, url_name="staff-report-notes")
def report_note_add(request, reference: str, data: NoteIn):
    """Append an internal note to a report (legal officers, administrators; audited)."""
    return _note_add(request, "report", reference, data)
