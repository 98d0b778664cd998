"""Works for staff through the API (UX-3): screening terms (MOD-3), works by status and the review item with
its matches and the uploader's record (MOD-1, WRK-9). Each endpoint checks its capability in the service or
access function it calls."""

from datetime import datetime
from typing import Annotated

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from inspiracle.accounts.permissions import STAFF_CONSOLE, require_capability
from inspiracle.core.api import MAX_PAGE_SIZE, Page, Rows
from inspiracle.core.schemas import Id, inline_choices
from inspiracle.staff.selectors import review_item_for_staff, work_list_for_staff
from inspiracle.works.models import Match, ScreeningTerm, Work
from inspiracle.works.screening import screening_term_add, screening_term_remove

router = Router(tags=["staff"])

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
    searching: bool = Field(
        description="the search for copies of parts of other works has not finished on this file: its matches"
        " may still grow, and the work cannot be published yet"
    )


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
                "searching": f.searching,
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
