"""Works through the API (UX-2): upload (multipart, WRK-1), read, edit, unpublish, delete; the public gallery."""

from datetime import datetime
from typing import Literal

from django.http import HttpResponse
from django.urls import reverse
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate
from pydantic import StrictBool, ValidationInfo, field_validator

from inspiracle.accounts.api_auth import SessionTokenOrVisitor
from inspiracle.core.api import Page, Rows, Shared, choices_message
from inspiracle.core.routes import route
from inspiracle.core.schemas import Id, PatchIn, left_out
from inspiracle.works import selectors, services
from inspiracle.works.files import file_response, robots_headers
from inspiracle.works.models import AIUse, Category, Work
from inspiracle.works.permissions import (
    access_file_for_download,
    access_work_for_edit,
    access_work_for_view,
    can_view_original,
)
from inspiracle.works.presenters import attribution, exclusive_mark

router = Router(tags=["works"])
visitor_or_user = SessionTokenOrVisitor()


class FileOut(Schema):
    id: int
    name: str
    status: str
    refusal_code: str
    refusal: str
    scan: str
    format: str
    width: int | None
    height: int | None
    ai_labels: list[str]
    thumbnail_url: str | None
    preview_url: str | None
    original_url: str | None


class LicenceOut(Schema):
    kind: str
    agreement: str
    agreement_url: str


class WorkOut(Schema):
    id: int
    url: str
    title: str
    description: str
    category: str
    tags: list[str]
    ai_use: str
    status: str
    status_label: str
    owner: str
    uploaded_at: datetime
    published_at: datetime | None
    licence: LicenceOut
    repost_allowed: bool
    attribution: str | None
    exclusive: bool
    exclusive_mark: str | None
    no_ai_training: bool
    open_to_licensing: bool
    files: list[FileOut]


class WorkSummaryOut(Schema):
    """A row of a list of works: what a card shows. GET /api/works/{id} has the rest."""

    id: int
    url: str
    title: str
    owner: str
    owner_name: str
    category: str
    ai_use: str
    exclusive: bool
    thumbnail_url: str | None
    uploaded_at: datetime
    published_at: datetime | None


class OwnWorkSummaryOut(WorkSummaryOut):
    """A row of your own works: the summary and the work's state."""

    status: str


class WorkIn(Schema):
    title: str
    description: str = ""
    category: Category
    tags: list[str] = []
    ai_use: AIUse
    rights_confirmed: bool = False
    repost_allowed: bool = False
    no_ai_training: bool = True


class WorkPatch(PatchIn):
    title: str = left_out()
    description: str = left_out()
    category: Category = left_out()
    tags: list[str] = left_out()
    ai_use: AIUse = left_out()
    repost_allowed: StrictBool = left_out()
    no_ai_training: StrictBool = left_out()  # WRK-11: on unless turned off; null must not turn it off
    open_to_licensing: StrictBool = left_out()  # COM-1: whether licensing requests may be sent


class GalleryQuery(Schema):
    q: str = Field(
        "",
        max_length=selectors.SEARCH_MAX_LENGTH,
        description="Words, each found in the public title or in the creator's username or display name "
        f"(the first {selectors.SEARCH_WORDS} words).",
    )
    category: str = Field(
        "", json_schema_extra={"enum": ["", *Category.values]}, description="Any when empty."
    )
    tag: str = Field("", max_length=40, description="One tag, as the work page links it.")
    ai_use: str = Field(
        "",
        json_schema_extra={"enum": ["", *AIUse.values]},
        description="The creator's declaration of AI use; any when empty.",
    )
    owner: str = Field("", max_length=150, description="A creator's username: their portfolio.")
    sort: Literal["newest", "views"] = Field(
        "newest",
        description="``newest`` published first, or most ``views`` first (visitors a day, each once).",
    )

    @field_validator("category", "ai_use")
    @classmethod
    def one_of_the_choices(cls, value: str, info: ValidationInfo) -> str:
        choices = Category.values if info.field_name == "category" else AIUse.values
        if value and value not in choices:
            raise ValueError(choices_message([f'"{choice}"' for choice in choices]))
        return value


def _file_url(work: Work, row, kind: str) -> str:
    return reverse("api:work-file", kwargs={"work_id": work.pk, "file_id": row.pk, "kind": kind})


def work_out(request, work: Work) -> dict:
    # The owner and staff see every file and what the checks said; others see the published pictures only,
    # without the upload's own file name (it may carry personal details).
    insider = can_view_original(request.user, work)
    files = []
    for row in work.files.all():
        ready = row.status == row.Status.READY and bool(row.thumbnail)
        if not insider and (not ready or row.masked_at):
            continue
        files.append(
            {
                "id": row.pk,
                "name": row.original_name if insider else "",
                "status": row.status,
                "refusal_code": row.refusal_code,
                "refusal": row.refusal_message,
                "scan": row.scan if insider else "",
                "format": row.format,
                "width": row.width,
                "height": row.height,
                "ai_labels": row.ai_labels if insider else [],
                "thumbnail_url": _file_url(work, row, "thumbnail") if ready else None,
                "preview_url": _file_url(work, row, "preview") if ready else None,
                "original_url": _file_url(work, row, "original") if ready and insider else None,
            }
        )
    version = work.licence_version
    return {
        "id": work.pk,
        "url": request.build_absolute_uri(reverse("works:detail", args=[work.pk])),
        "title": work.title if insider else work.shown_title,
        "description": work.description if insider else work.shown_description,
        "category": work.category,
        "tags": [t.name for t in work.tags.all()],
        "ai_use": work.ai_use,
        "status": work.status,
        "status_label": str(work.get_status_display()),
        "owner": work.owner.username,
        "uploaded_at": work.uploaded_at,
        "published_at": work.published_at,
        "licence": {
            "kind": "display, free, non-exclusive",
            "agreement": version.label,
            "agreement_url": request.build_absolute_uri(
                reverse("agreements:version", args=[version.document.slug, version.number])
            ),
        },
        "repost_allowed": work.repost_allowed,
        "attribution": attribution(request, work) if work.repost_allowed and work.is_public else None,
        "exclusive": work.is_exclusive,
        "exclusive_mark": exclusive_mark(work),
        "no_ai_training": work.no_ai_training,
        "open_to_licensing": work.open_to_licensing,
        "files": files,
    }


@router.post("/works", response={201: WorkOut}, url_name="works-create")
def work_create(request, data: Form[WorkIn], files: File[list[UploadedFile]]):
    """Upload a work (WRK-1): multipart form with one or more ``files`` (JPEG, PNG, WebP, GIF, TIFF) and
    ``rights_confirmed=true``. The work starts as ``processing``; poll GET /api/works/{id} for the outcome."""
    work = services.work_create(owner=request.user, files=files, **data.dict())
    return Status(201, work_out(request, work))


_detail = route("works:detail")  # a list makes one a row (core/routes.py)


def work_summary(request, work: selectors.WorkSummary, *, own: bool) -> dict:
    """A work as a list shows it: the owner reads the title and status of their own works; others read what
    the public sees (MOD-4)."""
    return {
        "id": work.id,
        "url": request.build_absolute_uri(_detail(work.id)),
        "title": work.title if own else work.shown_title,
        "owner": work.owner,
        "owner_name": work.owner_name,
        "category": work.category,
        "ai_use": work.ai_use,
        "exclusive": work.exclusive_since is not None,
        "thumbnail_url": work.thumbnail_url,
        "uploaded_at": work.uploaded_at,
        "published_at": work.published_at,
        **({"status": work.status} if own else {}),
    }


@router.get("/works", response=list[OwnWorkSummaryOut], url_name="works-mine")
@paginate(Page, page_size=selectors.PAGE_SIZE)
def works_mine(request, status: str = ""):
    """Your own works, in every state but deleted, newest first, 24 a page."""
    works = selectors.OwnerSummaries(request.user.pk, status=status)
    return Rows(works, each=lambda work: work_summary(request, work, own=True))


@router.get("/works/public", response=list[WorkSummaryOut], auth=visitor_or_user, url_name="works-public")
@paginate(Page, page_size=selectors.PAGE_SIZE)
def works_public(request, query: Query[GalleryQuery]):
    """The public gallery: published works, 24 a page, newest first or most viewed first (``sort``); filter
    by category, tag, AI use or creator (``owner``: a creator's portfolio), search titles and creators (``q``).
    The order by views may lag the counts by a few minutes."""
    works = selectors.work_list_for_public(
        category=query.category,
        tag=query.tag,
        q=query.q,
        ai_use=query.ai_use,
        owner=query.owner,
        sort=query.sort,
    )
    # The same for every caller, signed in or not (each reads the public titles); the links carry the address
    # the caller used. Every parameter is part of the key.
    shared = Shared(
        "works-public",
        depends_on=selectors.CARD_GENERATIONS,
        parts=(sorted(query.dict().items()), request.build_absolute_uri("/")),
    )
    return Rows(
        selectors.as_summaries(works),
        page=selectors.summaries,
        each=lambda work: work_summary(request, work, own=False),
        shared=shared,
    )


@router.get("/works/{int:work_id}", response=WorkOut, auth=visitor_or_user, url_name="work")
def work_get(request, work_id: Id, response: HttpResponse):
    """A work: anyone for a published work; otherwise only its owner and staff (others get 404)."""
    work = access_work_for_view(request.user, work_id)
    robots_headers(response, work)
    return work_out(request, work)


@router.patch("/works/{int:work_id}", response=WorkOut, url_name="work-update")
def work_update(request, work_id: Id, data: WorkPatch):
    """Edit (WRK-8). A new title or description sends the work back to review."""
    work = access_work_for_edit(request.user, work_id)
    work = services.work_update(actor=request.user, work=work, changes=data.dict(exclude_unset=True))
    return work_out(request, work)


@router.post("/works/{int:work_id}/files", response=WorkOut, url_name="work-files-replace")
def work_files_replace(request, work_id: Id, files: File[list[UploadedFile]]):
    """Replace all the files of a work (WRK-8); the work goes through the checks and review again."""
    work = access_work_for_edit(request.user, work_id)
    work = services.work_update(actor=request.user, work=work, changes={}, files=files)
    return work_out(request, work)


@router.post("/works/{int:work_id}/resubmit", response=WorkOut, url_name="work-resubmit")
def work_resubmit(request, work_id: Id):
    """After a requested correction: send the work back to review."""
    work = services.work_resubmit(actor=request.user, work=access_work_for_edit(request.user, work_id))
    return work_out(request, work)


@router.post("/works/{int:work_id}/unpublish", response=WorkOut, url_name="work-unpublish")
def work_unpublish(request, work_id: Id):
    work = services.work_unpublish(actor=request.user, work=access_work_for_edit(request.user, work_id))
    return work_out(request, work)


@router.post("/works/{int:work_id}/republish", response=WorkOut, url_name="work-republish")
def work_republish(request, work_id: Id):
    work = services.work_republish(actor=request.user, work=access_work_for_edit(request.user, work_id))
    return work_out(request, work)


@router.delete("/works/{int:work_id}", response={204: None}, url_name="work-delete")
def work_delete(request, work_id: Id):
    """Delete (WRK-8): the files are removed; the upload record stays for legal requests."""
    services.work_delete(actor=request.user, work=access_work_for_edit(request.user, work_id))
    return Status(204, None)


@router.get(
    "/works/{int:work_id}/files/{int:file_id}/{kind}",
    auth=visitor_or_user,
    url_name="work-file",
    response={200: None, 302: None},
)
def work_file(request, work_id: Id, file_id: Id, kind: Literal["thumbnail", "preview", "original"]):
    """A stored file: ``thumbnail`` and ``preview`` (WebP) for whoever may see the work, ``original`` for its
    owner and staff only."""
    return file_response(access_file_for_download(request.user, work_id, file_id, kind), kind)
