"""Staff moderation of accounts through the API (UX-2, UX-3): sanctions (MOD-5), strikes and appeals (MOD-6).

The same services as the console: each checks the caller's capability, validates, and writes its audit event
and notice in one transaction. Non-staff get "not found" from every endpoint.
"""

from datetime import datetime
from typing import Annotated, Literal

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from inspiracle.accounts.models import User
from inspiracle.accounts.permissions import STAFF_CONSOLE, require_capability
from inspiracle.core.api import Page, Rows
from inspiracle.core.schemas import Id, inline_choices
from inspiracle.moderation import selectors, services
from inspiracle.moderation.forms import MAX_DAYS, sanction_end, site_time
from inspiracle.moderation.models import Appeal, AppealMessage, Sanction, Strike
from inspiracle.moderation.permissions import (
    access_appeal_for_staff,
    access_sanction_for_staff,
    access_strike_for_staff,
    can_handle_appeal,
)
from inspiracle.reasons import reason_label

router = Router(tags=["moderation"])
PAGE = 50


class SanctionIn(Schema):
    kind: Annotated[Sanction.Kind, inline_choices(Sanction.Kind)]
    reason_code: str
    message: str = Field("", max_length=2000)
    starts_at: datetime | None = Field(
        None, description="Without a zone: site time (Asia/Shanghai). None: now."
    )
    ends_at: datetime | None = Field(
        None, description="Without a zone: site time. None and no days: until lifted."
    )
    days: int | None = Field(
        None, ge=1, le=MAX_DAYS, description="Instead of ends_at: a duration from the start."
    )


class SanctionOut(Schema):
    id: int
    user: str
    kind: str
    reason_code: str
    reason: str
    message: str  # in the request's language: the platform's statement, then what staff wrote
    statement: str = ""  # the statement's code, when the platform said something (moderation/statements.py)
    state: str = Field(description="in_force, upcoming or ended")
    starts_at: datetime
    ends_at: datetime | None
    created_at: datetime
    created_by: str
    lifted_at: datetime | None
    lifted_by: str | None
    lift_reason: str
    previous_username: str


class LiftIn(Schema):
    reason: str = Field(..., max_length=2000)


class StrikeIn(Schema):
    reason_code: str
    note: str = Field("", max_length=2000)


class StrikeOut(Schema):
    id: int
    user: str
    reason_code: str
    reason: str
    note: str
    decision: int | None
    work: int | None
    created_at: datetime
    created_by: str
    expires_at: datetime
    counts: bool
    status: str
    resolved_at: datetime | None
    resolved_by: str | None
    resolution_reason: str


class ResolveIn(Schema):
    status: Literal["overruled", "dismissed"]
    reason: str = Field(..., max_length=2000)


class StaffMeasureOut(Schema):
    type: str = Field(description="decision, strike or sanction")
    id: int
    kind: str
    reason_code: str
    taken_by: str
    taken_at: datetime
    work: int | None


class StaffAppealOut(Schema):
    id: int
    user: str
    status: str
    measure: StaffMeasureOut
    statement: str
    created_at: datetime
    last_activity_at: datetime
    handler: str | None
    decided_at: datetime | None
    decided_by: str | None
    outcome_message: str


class StaffAppealMessageOut(Schema):
    id: int
    author: str
    from_staff: bool
    body: str
    created_at: datetime


class StaffAppealDetailOut(StaffAppealOut):
    can_handle: bool
    messages: list[StaffAppealMessageOut]


class AccountModerationOut(Schema):
    username: str
    strikes_counting: int
    sanctions: list[SanctionOut]
    strikes: list[StrikeOut]
    appeals: list[StaffAppealOut]


class ReplyIn(Schema):
    body: str = Field(..., max_length=4000)


class AppealDecisionIn(Schema):
    uphold: bool = Field(..., strict=True)
    message: str = Field(..., max_length=4000)


def _name(user: User | None) -> str | None:
    return user.username if user else None


def _sanction(s: Sanction, now) -> dict:
    return {
        "id": s.pk,
        "user": s.user.username,
        "kind": s.kind,
        "reason_code": s.reason_code,
        "reason": reason_label(s.reason_code)[0],
        "message": s.shown_message,
        "statement": s.statement,
        "state": selectors.sanction_state(s, now),
        "starts_at": s.starts_at,
        "ends_at": s.ends_at,
        "created_at": s.created_at,
        "created_by": s.created_by.username,
        "lifted_at": s.lifted_at,
        "lifted_by": _name(s.lifted_by),
        "lift_reason": s.lift_reason,
        "previous_username": s.previous_username,
    }


def _strike(s: Strike, now) -> dict:
    return {
        "id": s.pk,
        "user": s.user.username,
        "reason_code": s.reason_code,
        "reason": reason_label(s.reason_code)[0],
        "note": s.note,
        "decision": s.decision_id,
        "work": s.decision.work_id if s.decision is not None else None,
        "created_at": s.created_at,
        "created_by": s.created_by.username,
        "expires_at": s.expires_at,
        "counts": s.counts(now),
        "status": s.status,
        "resolved_at": s.resolved_at,
        "resolved_by": _name(s.resolved_by),
        "resolution_reason": s.resolution_reason,
    }


def _measure(a: Appeal) -> dict:
    m = a.target
    return {
        "type": "decision" if a.decision_id else "strike" if a.strike_id else "sanction",
        "id": m.pk,
        "kind": "strike" if a.strike_id else m.kind,
        "reason_code": m.reason_code,
        "taken_by": (m.decided_by if a.decision_id else m.created_by).username,
        "taken_at": m.decided_at if a.decision_id else m.created_at,
        "work": m.work_id if a.decision_id else None,
    }


def _appeal(a: Appeal) -> dict:
    return {
        "id": a.pk,
        "user": a.user.username,
        "status": a.status,
        "measure": _measure(a),
        "statement": a.statement,
        "created_at": a.created_at,
        "last_activity_at": a.last_activity_at,
        "handler": _name(a.handler),
        "decided_at": a.decided_at,
        "decided_by": _name(a.decided_by),
        "outcome_message": a.outcome_message,
    }


def _message(m: AppealMessage) -> dict:
    return {
        "id": m.pk,
        "author": m.author.username,
        "from_staff": m.from_staff,
        "body": m.body,
        "created_at": m.created_at,
    }


def _subject(request, username: str) -> User:
    # The capability first: non-staff learn nothing, not even whether the account exists.
    require_capability(request.user, STAFF_CONSOLE)
    return get_object_or_404(User, username=username.lower())


def _appeal_detail(request, appeal: Appeal) -> dict:
    return {
        **_appeal(appeal),
        "can_handle": can_handle_appeal(request.user, appeal),
        "messages": [_message(m) for m in selectors.appeal_messages(appeal)],
    }


@router.get(
    "/accounts/{username}/moderation", response=AccountModerationOut, url_name="staff-account-moderation"
)
def account(request, username: str):
    """Everything moderation holds on one account: sanctions, strikes (and how many count), appeals."""
    subject = _subject(request, username)
    record = selectors.account_moderation(subject)
    now = record["now"]
    return {
        "username": subject.username,
        "strikes_counting": record["strikes_counting"],
        "sanctions": [_sanction(s, now) for s in record["sanctions"]],
        "strikes": [_strike(s, now) for s in record["strikes"]],
        "appeals": [_appeal(a) for a in record["appeals"]],
    }


@router.post(
    "/accounts/{username}/sanctions", response={201: SanctionOut}, url_name="staff-account-sanctions"
)
def sanction_apply(request, username: str, data: SanctionIn):
    """MOD-5: apply a measure with a reason from the account catalogue, from ``starts_at`` (now) until
    ``ends_at`` or for ``days`` (neither: until lifted). Termination and reclaim need the legal officer's or
    administrator's role (403 otherwise); the user is notified."""
    subject = _subject(request, username)
    sanction = services.sanction_apply(
        actor=request.user,
        user=subject,
        kind=data.kind,
        reason_code=data.reason_code,
        message=data.message,
        starts_at=site_time(data.starts_at),
        ends_at=sanction_end(starts_at=data.starts_at, ends_at=data.ends_at, days=data.days),
    )
    return Status(201, _sanction(sanction, timezone.now()))


@router.post("/sanctions/{int:sanction_id}/lift", response=SanctionOut, url_name="staff-sanction-lift")
def sanction_lift(request, sanction_id: Id, data: LiftIn):
    """End a measure now, with the reason sent to the user."""
    sanction = access_sanction_for_staff(request.user, sanction_id)
    sanction = services.sanction_lift(actor=request.user, sanction=sanction, reason=data.reason)
    return _sanction(sanction, timezone.now())


@router.post("/accounts/{username}/strikes", response={201: StrikeOut}, url_name="staff-account-strikes")
def strike_record(request, username: str, data: StrikeIn):
    """MOD-6: a strike on the account's record, on its own (a decision can bring one: ``strike`` there)."""
    strike = services.strike_record(actor=request.user, user=_subject(request, username), **data.dict())
    return Status(201, _strike(strike, timezone.now()))


@router.post("/strikes/{int:strike_id}/resolve", response=StrikeOut, url_name="staff-strike-resolve")
def strike_resolve(request, strike_id: Id, data: ResolveIn):
    """MOD-6: overrule (it should not have been given) or dismiss (it no longer counts), with why."""
    strike = access_strike_for_staff(request.user, strike_id)
    strike = services.strike_resolve(
        actor=request.user, strike=strike, status=data.status, reason=data.reason
    )
    return _strike(strike, timezone.now())


@router.get("/appeals", response=list[StaffAppealOut], url_name="staff-appeals")
@paginate(Page, page_size=PAGE)
def appeals(request, status: Annotated[Appeal.Status, inline_choices(Appeal.Status)] = Appeal.Status.OPEN):
    """Appeals by status: open ones the longest waiting first, decided ones the latest first; 50 a page."""
    return Rows(selectors.appeal_queue(request.user, status=status), each=_appeal)


@router.get("/appeals/{int:appeal_id}", response=StaffAppealDetailOut, url_name="staff-appeal")
def appeal(request, appeal_id: Id):
    """One appeal with the measure, the user's statement and the exchange in order."""
    return _appeal_detail(request, access_appeal_for_staff(request.user, appeal_id))


@router.post("/appeals/{int:appeal_id}/take", response=StaffAppealDetailOut, url_name="staff-appeal-take")
def appeal_take(request, appeal_id: Id):
    """Handle the appeal (or take it over). Refused (403) to the staff member who took the measure."""
    appeal = services.appeal_take(actor=request.user, appeal=access_appeal_for_staff(request.user, appeal_id))
    return _appeal_detail(request, access_appeal_for_staff(request.user, appeal.pk))


@router.post(
    "/appeals/{int:appeal_id}/messages",
    response={
        201: StaffAppealMessageOut,
    },
    url_name="staff-appeal-messages",
)
def appeal_reply(request, appeal_id: Id, data: ReplyIn):
    """Write to the appellant (take the appeal first); they are notified."""
    appeal = access_appeal_for_staff(request.user, appeal_id)
    return Status(201, _message(services.appeal_reply(author=request.user, appeal=appeal, body=data.body)))


@router.post(
    "/appeals/{int:appeal_id}/decision", response=StaffAppealDetailOut, url_name="staff-appeal-decide"
)
def appeal_decide(request, appeal_id: Id, data: AppealDecisionIn):
    """Uphold (the measure is undone: the work restored, the strike overruled, the sanction lifted) or deny
    (it stands), with the reasons sent to the user."""
    appeal = access_appeal_for_staff(request.user, appeal_id)
    services.appeal_decide(actor=request.user, appeal=appeal, uphold=data.uphold, message=data.message)
    return _appeal_detail(request, access_appeal_for_staff(request.user, appeal_id))
