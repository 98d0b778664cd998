"""Repost permissions through the API (WRK-12, UX-2): prove an e-mail address (visitors), ask, list one's
requests as asker and as owner, approve, decline, revoke, read a permission (public once granted) and the
active permissions of a work. The same services and access functions as the pages: a request one is not party
to is "not found" (PRV-3). Refusals carry their code: ``repost_not_allowed``, ``exclusive`` (WRK-6),
``already_pending`` (409), ``invalid_state`` (409), ``email_unverified`` (401), ``throttled`` (429)."""

from datetime import date, datetime
from typing import Literal

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from inspiracle.accounts.api_auth import SessionTokenOrVisitor
from inspiracle.core.api import Page, Rows, error_responses
from inspiracle.core.schemas import Id
from inspiracle.reposts import selectors
from inspiracle.reposts.emailcodes import repost_email_confirm, repost_email_start
from inspiracle.reposts.models import RepostPermission
from inspiracle.reposts.permissions import (
    access_permission_for_owner,
    access_permission_for_view,
    is_party,
    shows_work,
)
from inspiracle.reposts.services import (
    AskInput,
    permission_path,
    repost_approve,
    repost_ask,
    repost_decline,
    repost_revoke,
)
from inspiracle.works.permissions import access_work_for_view
from inspiracle.works.presenters import attribution

router = Router(tags=["reposts"])
PAGE = 30


class RepostEmailIn(Schema):
    email: str = Field(max_length=254)


class RepostConfirmIn(Schema):
    email: str = Field(max_length=254)
    code: str = Field(max_length=12)


class RepostDetailOut(Schema):
    detail: str


class RepostPassOut(Schema):
    email_pass: str


class AskIn(Schema):
    work: Id
    site_url: str = Field(description="http(s) address of the site or page where the work would be reposted")
    purpose: str
    ends_on: date | None = Field(None, description="the last day; or give months")
    months: int | None = Field(None, description="the term in months from today (1 to 24); or give ends_on")
    name: str = Field("", description="who asks, as the creator sees it (members: the username if empty)")
    email_pass: str = Field(
        "", description="visitors: the pass from /reposts/email/confirm (or X-Email-Pass)"
    )


class AnswerIn(Schema):
    message: str = Field("", description="optional, to the asker (at most 2000 characters)")


class RepostWorkRef(Schema):
    id: int
    title: str


class RepostOut(Schema):
    reference: str
    url: str
    status: str
    state: str = Field(
        description="requested, declined, active, expired, revoked or withdrawn (work not public)"
    )
    state_label: str
    work: RepostWorkRef | None = Field(
        description="null for others than the parties once the work is not public"
    )
    owner: str | None = Field(description="null for others than the parties once the work is not public")
    requester_name: str | None = Field(
        description="null for others than the parties once the work is not public"
    )
    site_url: str
    site_host: str
    ends_on: date
    requested_at: datetime
    approved_at: datetime | None
    declined_at: datetime | None
    revoked_at: datetime | None
    purpose: str | None = Field(description="the parties only")
    owner_message: str | None = Field(description="the parties only")
    attribution: str | None = Field(description="once granted: the text to show with the reposted work")


def repost_out(request, permission: RepostPermission) -> dict:
    view = selectors.views_of([permission])[0]
    party = is_party(request.user, permission)
    work = permission.work
    # A work no longer public is not named to others: only the reference, state, site and term remain.
    shown = shows_work(request.user, permission)
    return {
        **{
            name: getattr(permission, name)
            for name in ("reference", "status", "site_url", "site_host", "ends_on")
        },
        **{
            name: getattr(permission, name)
            for name in ("requested_at", "approved_at", "declined_at", "revoked_at")
        },
        "url": request.build_absolute_uri(permission_path(permission)),
        "state": view.state,
        "state_label": view.state_label,
        "work": {"id": work.pk, "title": work.shown_title} if shown else None,
        "owner": permission.owner.username if shown else None,
        "requester_name": permission.requester_name if shown else None,
        "purpose": permission.purpose if party else None,
        "owner_message": permission.owner_message if party else None,
        "attribution": attribution(request, work) if permission.issued and shown else None,
    }


@router.post(
    "/reposts/email",
    response={202: RepostDetailOut, **error_responses(429)},
    auth=None,
    url_name="reposts-email",
)
def email_start(request, data: RepostEmailIn):
    """Visitors: send a six-digit code to ``email`` (at most five an hour per address)."""
    repost_email_start(email=data.email)
    return Status(
        202, {"detail": _("A code was sent to %(email)s; it is valid for 30 minutes.") % data.dict()}
    )


@router.post("/reposts/email/confirm", response=RepostPassOut, auth=None, url_name="reposts-email-confirm")
def email_confirm(request, data: RepostConfirmIn):
    """The code from the email: returns an ``email_pass`` (24 hours) to ask with."""
    return {"email_pass": repost_email_confirm(email=data.email, code=data.code)}


@router.post(
    "/reposts",
    response={201: RepostOut, **error_responses(401, 404, 409, 429)},
    auth=SessionTokenOrVisitor(),
    url_name="reposts",
)
def ask(request, data: AskIn):
    """WRK-12: ask to repost a published work on one site until ``ends_on`` (or for ``months``). Members ask
    as themselves; visitors send their pass (``X-Email-Pass`` or ``email_pass``)."""
    fields = data.dict(include={"site_url", "purpose", "ends_on", "months", "name"})
    found = repost_ask(
        requester=request.user,
        data=AskInput(work_id=data.work, **fields),
        email_pass=request.headers.get("X-Email-Pass", "") or data.email_pass,
    )
    # A visitor is no party of record (no account): the answer is built from the row just written.
    return Status(201, repost_out(request, found))


@router.get("/reposts", response=list[RepostOut], url_name="reposts-mine")
@paginate(Page, page_size=PAGE)
def mine(request, box: Literal["received", "sent"] = "received"):
    """Your requests: ``received`` (about your works, awaiting an answer first) or ``sent``; 30 a page."""
    rows = (
        selectors.permission_list_for_owner(request.user)
        if box == "received"
        else selectors.permission_list_for_requester(request.user)
    )
    return Rows(rows, each=lambda p: repost_out(request, p))


@router.get("/reposts/{reference}", response=RepostOut, auth=SessionTokenOrVisitor(), url_name="repost")
def detail(request, reference: str):
    """A granted permission, for anyone (its state today: active, expired, revoked ...); a request never
    granted, for its two parties only."""
    return repost_out(request, access_permission_for_view(request.user, reference))


def _answer(request, reference: str, service, message: str) -> dict:
    permission = access_permission_for_owner(request.user, reference)
    service(permission=permission, actor=request.user, message=message)
    return repost_out(request, access_permission_for_owner(request.user, reference))


@router.post(
    "/reposts/{reference}/approve",
    response={200: RepostOut, **error_responses(409)},
    url_name="repost-approve",
)
def approve(request, reference: str, data: AnswerIn):
    """The owner approves a request (409 ``invalid_state`` if it was answered already, ``exclusive`` or
    ``repost_not_allowed`` if the work's setting changed since)."""
    return _answer(request, reference, repost_approve, data.message)


@router.post(
    "/reposts/{reference}/decline",
    response={200: RepostOut, **error_responses(409)},
    url_name="repost-decline",
)
def decline(request, reference: str, data: AnswerIn):
    return _answer(request, reference, repost_decline, data.message)


@router.post(
    "/reposts/{reference}/revoke", response={200: RepostOut, **error_responses(409)}, url_name="repost-revoke"
)
def revoke(request, reference: str, data: AnswerIn):
    """The owner revokes an approved permission; its page then says revoked."""
    return _answer(request, reference, repost_revoke, data.message)


class ActiveOut(Schema):
    reference: str
    url: str
    site_host: str
    site_url: str
    ends_on: date


@router.get(
    "/works/{int:work_id}/reposts",
    response=list[ActiveOut],
    auth=SessionTokenOrVisitor(),
    url_name="work-reposts",
)
@paginate(Page)
def work_reposts(request, work_id: Id):
    """The active repost permissions of a work anyone may see: site, last day, the permission's address; 30 a
    page."""
    work = access_work_for_view(request.user, work_id)
    return Rows(selectors.permission_list_active_for_work(work), each=lambda p: _active(request, p))


def _active(request, p: RepostPermission) -> dict:
    return {
        "reference": p.reference,
        "url": request.build_absolute_uri(permission_path(p)),
        "site_host": p.site_host,
        "site_url": p.site_url,
        "ends_on": p.ends_on,
    }
