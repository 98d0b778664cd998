"""Staff review through the API (MOD-1, MOD-2): the queue, claims, decisions, bulk decisions, undo."""

from datetime import datetime
from typing import Annotated

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import StrictBool

from inspiracle.accounts.permissions import STAFF_CONSOLE, require_capability
from inspiracle.core.api import MAX_PAGE_SIZE, Page, Rows
from inspiracle.core.schemas import Id, inline_choices
from inspiracle.moderation import selectors, services
from inspiracle.moderation.models import Decision
from inspiracle.reasons import REASONS
from inspiracle.works.api import WorkOut, work_out
from inspiracle.works.models import Work

router = Router(tags=["review"])


class QueueItemOut(Schema):
    id: int
    title: str
    owner: str
    category: str
    ai_use: str
    submitted_at: datetime | None
    revision: int
    matches: int
    screening_hits: list[dict]
    claimed_by: str | None


DecisionKind = Annotated[Decision.Kind, inline_choices(Decision.Kind)]


class DecisionIn(Schema):
    kind: DecisionKind
    reason_code: str = ""
    message: str = ""
    revision: Id | None = None
    strike: StrictBool = False


class BulkIn(Schema):
    works: list[Id] = Field(..., max_length=200)
    kind: DecisionKind
    reason_code: str = ""
    strike: StrictBool = False


class DecisionOut(Schema):
    id: int
    work: int
    kind: str
    reason_code: str
    message: str  # in the request's language: the platform's statement, then what staff wrote
    statement: str = ""  # the statement's code, when the platform said something (moderation/statements.py)
    decided_by: str
    decided_at: datetime
    reversed_at: datetime | None


class BulkOut(Schema):
    decided: list[DecisionOut]
    skipped: list[dict]


class ReasonOut(Schema):
    code: str
    label: str
    explanation: str


class ReverseIn(Schema):
    reason: str


def _decision(d: Decision) -> dict:
    return {
        "id": d.pk,
        "work": d.work_id,
        "kind": d.kind,
        "reason_code": d.reason_code,
        "message": d.shown_message,
        "statement": d.statement,
        "decided_by": d.decided_by.username,
        "decided_at": d.decided_at,
        "reversed_at": d.reversed_at,
    }


@router.get("/review/reasons", response=list[ReasonOut], url_name="review-reasons")
@paginate(Page, page_size=MAX_PAGE_SIZE)
def reasons(request):
    """The prohibited-content catalogue, in the reader's language (all of it on one page of 100)."""
    require_capability(request.user, STAFF_CONSOLE)
    return Rows(
        REASONS, each=lambda r: {"code": r.code, "label": str(r.label), "explanation": str(r.explanation)}
    )


def _queue_item(w: selectors.QueuedWork) -> dict:
    return {
        "id": w.pk,
        "title": w.title,
        "owner": w.owner.username,
        "category": w.category,
        "ai_use": w.ai_use,
        "submitted_at": w.submitted_at,
        "revision": w.revision,
        "matches": w.match_count,
        "screening_hits": w.screening_hits,
        "claimed_by": w.review_claim.moderator.username if hasattr(w, "review_claim") else None,
    }


@router.get("/review", response=list[QueueItemOut], url_name="review-queue")
@paginate(Page, page_size=50)
def queue(request, category: str = "", flag: str = "", uploader: str = ""):
    """Works awaiting review, the longest waiting first, 50 a page."""
    works = selectors.review_queue(request.user, category=category, flag=flag, uploader=uploader)
    return Rows(works, each=_queue_item)


def _work(request, work_id: Id) -> Work:
    require_capability(request.user, STAFF_CONSOLE)
    return get_object_or_404(Work, pk=work_id)


@router.post("/review/{int:work_id}/claim", response={204: None}, url_name="review-claim")
def claim(request, work_id: Id):
    """Hold a work while deciding it; refused (409) while another moderator holds it."""
    services.review_claim(actor=request.user, work=_work(request, work_id))
    return Status(204, None)


@router.post("/review/{int:work_id}/decision", response=DecisionOut, url_name="review-decide")
def decide(request, work_id: Id, data: DecisionIn):
    """Approve (publishes), reject with a ``reason_code`` from /review/reasons, or ask for a correction with a
    ``message``. Send the ``revision`` you looked at: if the creator changed the work since, nothing happens.
    A rejection with ``strike`` also records a strike on the creator's record (MOD-6)."""
    decision = services.review_decide(actor=request.user, work=_work(request, work_id), **data.dict())
    return _decision(decision)


@router.post("/review/bulk", response=BulkOut, url_name="review-bulk")
def bulk(request, data: BulkIn):
    """Approve or reject a selection; each work is decided and audited on its own, and can be undone."""
    require_capability(request.user, STAFF_CONSOLE)
    works = list(Work.objects.filter(pk__in=data.works).order_by("submitted_at", "pk"))
    done, skipped = services.review_bulk(
        actor=request.user, works=works, kind=data.kind, reason_code=data.reason_code, strike=data.strike
    )
    return {
        "decided": [_decision(d) for d in done],
        "skipped": [{"work": w.pk, "why": why} for w, why in skipped],
    }


class TakedownIn(Schema):
    reason_code: str
    message: str = ""
    strike: StrictBool = False


class MaskIn(Schema):
    part: Annotated[Decision.Part, inline_choices(Decision.Part)]
    file_id: Id | None = None
    reason_code: str
    message: str = ""
    strike: StrictBool = False


@router.post("/works/{int:work_id}/takedown", response=DecisionOut, url_name="content-takedown")
def takedown(request, work_id: Id, data: TakedownIn):
    """MOD-4: take a published work off the public pages, with a catalogue reason sent to its owner."""
    return _decision(
        services.content_take_down(actor=request.user, work=_work(request, work_id), **data.dict())
    )


@router.post("/works/{int:work_id}/mask", response=DecisionOut, url_name="content-mask")
def mask(request, work_id: Id, data: MaskIn):
    """MOD-4: hide the title, the description or one file (``file_id``) of a published work from the public."""
    return _decision(services.content_mask(actor=request.user, work=_work(request, work_id), **data.dict()))


@router.post("/works/{int:work_id}/publish", response=WorkOut, url_name="staff-work-publish")
def publish(request, work_id: Id, revision: Id | None = None):
    """Claim and approve a work awaiting review in one call (the queue's rules, record and notice)."""
    work = _work(request, work_id)
    services.review_approve(actor=request.user, work=work, revision=revision)
    work.refresh_from_db()
    return work_out(request, work)


@router.post("/decisions/{int:decision_id}/reverse", response=DecisionOut, url_name="decision-reverse")
def reverse(request, decision_id: Id, data: ReverseIn):
    require_capability(request.user, STAFF_CONSOLE)
    decision = get_object_or_404(Decision, pk=decision_id)
    return _decision(services.decision_reverse(actor=request.user, decision=decision, reason=data.reason))
