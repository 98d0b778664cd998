"""The staff console in the JSON API (UX-3). Each endpoint checks its capability in the service it calls."""

import re
from datetime import date, datetime
from typing import Annotated, Literal

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import StrictBool, field_validator

from inspiracle.accounts import security
from inspiracle.accounts import services as account_services
from inspiracle.accounts.models import OrganizationCertificate, ProtectedName, User
from inspiracle.accounts.permissions import (
    NAMES_MANAGE,
    PII_READ,
    SIGNIN_LOCKS_CLEAR,
    STAFF_CONSOLE,
    require_capability,
)
from inspiracle.accounts.schemas import RegistrationOut
from inspiracle.agreements.selectors import document_get
from inspiracle.agreements.services import version_publish
from inspiracle.core.api import MAX_PAGE_SIZE, Page, Rows
from inspiracle.core.files import private_document_response
from inspiracle.core.schemas import Id, inline_choices
from inspiracle.staff.models import NOTE_MAX_CHARS, StaffNote
from inspiracle.staff.selectors import (
    access_certificate_for_staff,
    access_note_subject_for_staff,
    access_user_for_staff,
    review_item_for_staff,
    verification_queue_for_staff,
    work_list_for_staff,
)
from inspiracle.staff.services import (
    audit_log_open,
    dashboard_counts,
    note_add,
    note_list,
    user_search,
)
from inspiracle.works.models import Match, ScreeningTerm, Work
from inspiracle.works.screening import screening_term_add, screening_term_remove

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


class RoleIn(Schema):
    role: Annotated[User.StaffRole, inline_choices(User.StaffRole)]
    reason: str


class VerifyIn(Schema):
    verified: StrictBool
    reason: str


class StaffUserOut(Schema):
    username: str
    staff_role: str
    verified: bool


class WaitingOut(Schema):
    certificate_id: int
    username: str
    display_name: str
    verified: bool
    uploaded_at: datetime
    content_type: str
    size: int


class CertificateDecisionIn(Schema):
    # Strict: "yes", 1 or "false" must not pass for a decision on someone's verification.
    accept: StrictBool
    reason: str = Field("", max_length=2000)


class CertificateOut(Schema):
    id: int
    username: str
    status: str
    uploaded_at: datetime
    accepted_at: datetime | None
    accepted_by: str | None
    refused_at: datetime | None
    refused_by: str | None
    refusal_reason: str
    verified: bool


class NameIn(Schema):
    name: str
    note: str = ""


class NameOut(Schema):
    id: int
    name: str
    note: str


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


def _user(username: str) -> User:
    return get_object_or_404(User, username=username.lower())


@router.post("/users/{username}/role", response=StaffUserOut, url_name="staff-role")
def role(request, username: str, data: RoleIn):
    user = account_services.role_set(
        actor=request.user, user=_user(username), role=data.role, reason=data.reason
    )
    return {"username": user.username, "staff_role": user.staff_role, "verified": user.is_verified}


@router.post("/users/{username}/verification", response=StaffUserOut, url_name="staff-verify")
def verify(request, username: str, data: VerifyIn):
    user = account_services.account_verify(
        actor=request.user, user=_user(username), verified=data.verified, reason=data.reason
    )
    return {"username": user.username, "staff_role": user.staff_role, "verified": user.is_verified}


class SigninLocksOut(Schema):
    username: str
    blocked_networks: int = Field(description="networks the account is slowed down or locked for now")


class SigninLocksClearIn(Schema):
    reason: str = Field("", max_length=500)


class SigninLocksClearedOut(Schema):
    username: str
    cleared_networks: int


@router.get("/users/{username}/signin-locks", response=SigninLocksOut, url_name="staff-signin-locks")
def signin_locks(request, username: str):
    """REG-4: whether an account's sign-in is slowed down or locked, and from how many networks."""
    user = access_user_for_staff(request.user, username, SIGNIN_LOCKS_CLEAR)
    return {
        "username": user.username,
        "blocked_networks": security.signin_locks_count(actor=request.user, user=user),
    }


@router.post(
    "/users/{username}/signin-locks/clear",
    response=SigninLocksClearedOut,
    url_name="staff-signin-locks-clear",
)
def signin_locks_clear(request, username: str, data: SigninLocksClearIn):
    """REG-4: lift every sign-in slow-down and lockout of an account, from every network (audited)."""
    user = access_user_for_staff(request.user, username, SIGNIN_LOCKS_CLEAR)
    cleared = security.signin_locks_clear(actor=request.user, user=user, reason=data.reason)
    return {"username": user.username, "cleared_networks": cleared}


@router.get("/protected-names", response=list[NameOut], url_name="staff-names")
@paginate(Page, page_size=MAX_PAGE_SIZE)
def names(request):
    """Protected names in alphabetical order, 100 a page."""
    require_capability(request.user, NAMES_MANAGE)
    return ProtectedName.objects.order_by("name")


@router.post("/protected-names", response={201: NameOut}, url_name="staff-names")
def name_add(request, data: NameIn):
    return Status(
        201, account_services.protected_name_add(actor=request.user, name=data.name, note=data.note)
    )


@router.delete("/protected-names/{name_id}", response={204: None}, url_name="staff-name")
def name_remove(request, name_id: Id):
    require_capability(request.user, NAMES_MANAGE)
    account_services.protected_name_remove(
        actor=request.user, protected=get_object_or_404(ProtectedName, pk=name_id)
    )
    return Status(204, None)


@router.get("/verification", response=list[WaitingOut], url_name="staff-verification")
@paginate(Page, page_size=MAX_PAGE_SIZE)
def verification(request):
    """REG-5: organizations whose newest certificate scan waits for review, the longest waiting first, 100 a
    page."""
    return Rows(verification_queue_for_staff(request.user), each=_waiting)


def _waiting(c: OrganizationCertificate) -> dict:
    return {
        "certificate_id": c.pk,
        "username": c.user.username,
        "display_name": c.user.profile.display_name,
        "verified": c.user.is_verified,
        "uploaded_at": c.uploaded_at,
        "content_type": c.content_type,
        "size": c.size,
    }


@router.get(
    "/users/{username}/certificates/{int:certificate_id}",
    response={200: None},
    url_name="staff-certificate",
)
def certificate_file(request, username: str, certificate_id: Id):
    """The decrypted scan as a download (legal officers, administrators; MOD-7). Audited (MOD-8)."""
    certificate = access_certificate_for_staff(request.user, username, certificate_id)
    data = account_services.certificate_open(actor=request.user, certificate=certificate)
    return private_document_response(
        data,
        content_type=certificate.content_type,
        stem=f"certificate-{certificate.user.username}-{certificate.pk}",
        inline=False,
    )


def _certificate(certificate: OrganizationCertificate) -> dict:
    return {
        "id": certificate.pk,
        "username": certificate.user.username,
        "status": certificate.status,
        "uploaded_at": certificate.uploaded_at,
        "accepted_at": certificate.accepted_at,
        "accepted_by": certificate.accepted_by.username if certificate.accepted_by else None,
        "refused_at": certificate.refused_at,
        "refused_by": certificate.refused_by.username if certificate.refused_by else None,
        "refusal_reason": certificate.refusal_reason,
        "verified": User.objects.filter(pk=certificate.user_id, verified_at__isnull=False).exists(),
    }


@router.post(
    "/users/{username}/certificates/{int:certificate_id}/decision",
    response=CertificateOut,
    url_name="staff-certificate-decision",
)
def certificate_decide(request, username: str, certificate_id: Id, data: CertificateDecisionIn):
    """REG-5, ACC-2: accept the organization's newest scan (verifies the account) or refuse it with a
    ``reason`` the organization reads. 409 when it is decided already or a newer scan replaced it."""
    certificate = access_certificate_for_staff(request.user, username, certificate_id)
    return _certificate(
        account_services.certificate_review(
            actor=request.user, certificate=certificate, accept=data.accept, reason=data.reason
        )
    )


@router.get("/users/{username}/registration", response=RegistrationOut, url_name="staff-registration")
def registration(request, username: str):
    """A user's registration information (legal officers, administrators; MOD-7). Audited (MOD-8)."""
    user = access_user_for_staff(request.user, username, PII_READ)
    return account_services.registration_open(actor=request.user, user=user)


# User search and detail ---------------------------------------------------------------------------------------


class UserRowOut(Schema):
    username: str
    display_name: str
    kind: str
    staff_role: str
    verified: bool
    date_joined: datetime


class UserDetailOut(UserRowOut):
    is_active: bool
    cancel_pending: bool


def _user_row(u: User) -> dict:
    return {
        "username": u.username,
        "display_name": u.profile.display_name if hasattr(u, "profile") else "",
        "kind": u.kind,
        "staff_role": u.staff_role,
        "verified": u.is_verified,
        "date_joined": u.date_joined,
    }


class UserSearchQuery(Schema):
    q: str = Field("", max_length=254, description="what to look for; empty lists the staff accounts")
    by: Literal["name", "email", "phone"] = Field(
        "name",
        description="``name``: part of the username or display name (any staff). ``email``, ``phone``: the "
        "exact e-mail address or mobile number, through their blind indexes (legal officers, administrators); "
        "such a search is audited without the value",
    )


@router.get("/users", response=list[UserRowOut], url_name="staff-users")
@paginate(Page, page_size=50)
def users(request, query: Query[UserSearchQuery]):
    """Find accounts (at most 50). Without ``q``, the staff accounts."""
    return Rows(user_search(request.user, query=query.q, by=query.by), each=_user_row)


@router.get("/users/{username}", response=UserDetailOut, url_name="staff-user")
def user_detail(request, username: str):
    """One account as the staff user page shows it (no personal information: see ``/registration``)."""
    user = access_user_for_staff(request.user, username, STAFF_CONSOLE)
    return {**_user_row(user), "is_active": user.is_active, "cancel_pending": user.cancel_pending}


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


# Screening terms ----------------------------------------------------------------------------------------------


class ScreeningTermIn(Schema):
    term: str = Field(max_length=80)
    note: str = Field("", max_length=200)


class ScreeningTermOut(Schema):
    id: int
    term: str
    note: str
    created_at: datetime


@router.get("/screening-terms", response=list[ScreeningTermOut], url_name="staff-screening-terms")
@paginate(Page, page_size=MAX_PAGE_SIZE)
def screening_terms(request):
    """MOD-3: the terms that flag a title or description for the reviewer, alphabetically."""
    require_capability(request.user, STAFF_CONSOLE)
    return ScreeningTerm.objects.order_by("term")


@router.post("/screening-terms", response={201: ScreeningTermOut}, url_name="staff-screening-terms")
def screening_term_create(request, data: ScreeningTermIn):
    """MOD-3: add a term (audited); 400 when it is listed already."""
    return Status(201, screening_term_add(actor=request.user, term=data.term, note=data.note))


@router.delete("/screening-terms/{int:term_id}", response={204: None}, url_name="staff-screening-term")
def screening_term_delete(request, term_id: Id):
    """MOD-3: stop screening a term (audited)."""
    require_capability(request.user, STAFF_CONSOLE)
    screening_term_remove(actor=request.user, term=get_object_or_404(ScreeningTerm, pk=term_id))
    return Status(204, None)


# Works by status and the review item --------------------------------------------------------------------------


class StaffWorkOut(Schema):
    id: int
    title: str
    owner: str
    status: str
    category: str
    ai_use: str
    revision: int
    uploaded_at: datetime
    submitted_at: datetime | None
    matches: int
    screening_hits: list


def _staff_work(w: Work) -> dict:
    return {
        "id": w.pk,
        "title": w.title,
        "owner": w.owner.username,
        "status": w.status,
        "category": w.category,
        "ai_use": w.ai_use,
        "revision": w.revision,
        "uploaded_at": w.uploaded_at,
        "submitted_at": w.submitted_at,
        "matches": getattr(w, "match_count", 0),
        "screening_hits": w.screening_hits,
    }


class WorksQuery(Schema):
    status: Annotated[Work.Status, inline_choices(Work.Status)] = Field(
        Work.Status.AWAITING_REVIEW, description="the works' state"
    )


@router.get("/works", response=list[StaffWorkOut], url_name="staff-works")
@paginate(Page, page_size=50)
def works(request, query: Query[WorksQuery]):
    """Works in one state, the longest waiting first, 50 a page."""
    require_capability(request.user, STAFF_CONSOLE)
    return Rows(work_list_for_staff(status=query.status), each=_staff_work)


class ReviewFileOut(Schema):
    id: int
    position: int
    status: str
    format: str
    width: int | None
    height: int | None
    masked: bool


class ReviewMatchOut(Schema):
    file_id: int
    kind: str
    distance: int = Field(description="perceptual-hash distance, of 64 bits (0: the same picture)")
    inliers: int | None = Field(description="keypoints that agreed, for a shared region")
    mirrored: bool
    other_work_id: int
    other_work_title: str
    other_owner: str
    other_file_id: int


class HistoryDecisionOut(Schema):
    work_id: int
    work_title: str
    kind: str
    reason_code: str
    decided_at: datetime
    decided_by: str | None
    reversed: bool


class UploaderHistoryOut(Schema):
    approved: int
    rejected: int
    corrections: int
    decisions: list[HistoryDecisionOut] = Field(description="the 20 latest decisions on their works")
    strikes: int
    sanctions: int


class ReviewItemOut(StaffWorkOut):
    description: str
    files: list[ReviewFileOut]
    similar: list[ReviewMatchOut]
    uploader_history: UploaderHistoryOut


def _match(m: Match) -> dict:
    return {
        "file_id": m.file_id,
        "kind": m.kind,
        "distance": m.distance,
        "inliers": m.inliers,
        "mirrored": m.mirrored,
        "other_work_id": m.other.work_id,
        "other_work_title": m.other.work.title,
        "other_owner": m.other.work.owner.username,
        "other_file_id": m.other_id,
    }


@router.get("/review/{int:work_id}", response=ReviewItemOut, url_name="staff-review-item")
def review_item(request, work_id: Id):
    """MOD-1, WRK-9: what the review page shows: the work, its files, the similar files found with their
    distances, and the uploader's record (earlier decisions, strikes, sanctions)."""
    item = review_item_for_staff(request.user, work_id)
    work, history = item["work"], item["history"]
    return {
        **_staff_work(work),
        "matches": len(item["matches"]),
        "description": work.description,
        "files": [
            {
                "id": f.pk,
                "position": f.position,
                "status": f.status,
                "format": f.format,
                "width": f.width,
                "height": f.height,
                "masked": f.masked_at is not None,
            }
            for f in item["files"]
        ],
        "similar": [_match(m) for m in item["matches"]],
        "uploader_history": {
            "approved": history["approved"],
            "rejected": history["rejected"],
            "corrections": history["corrections"],
            "decisions": [
                {
                    "work_id": d.work_id,
                    "work_title": d.work.title,
                    "kind": d.kind,
                    "reason_code": d.reason_code,
                    "decided_at": d.decided_at,
                    "decided_by": d.decided_by.username if d.decided_by else None,
                    "reversed": d.reversed_at is not None,
                }
                for d in history["decisions"]
            ],
            "strikes": len(history["strikes"]),
            "sanctions": len(history["sanctions"]),
        },
    }
