"""A user's own standing and appeals through the API (MOD-5, MOD-6): the measures on their account and works,
and the one appeal each allows, with its written exchange. Only ever the caller's own; staff are not named."""

from datetime import datetime
from typing import Annotated, Literal

from django.utils.translation import gettext as _
from ninja import Header, Router, Schema, Status
from ninja.pagination import paginate

from inspiracle.core.api import Page, Rows, error_responses
from inspiracle.core.errors import ApplicationError
from inspiracle.core.schemas import Id
from inspiracle.moderation import selectors, services
from inspiracle.moderation.models import Appeal, AppealMessage
from inspiracle.moderation.permissions import (
    access_appeal_for_appellant,
    access_measure_for_appeal,
    access_sanction_by_pass,
)

router = Router(tags=["standing"])


class WorkRef(Schema):
    id: int
    title: str


class MeasureOut(Schema):
    type: Literal["decision", "strike", "sanction"]
    id: int
    kind: str
    label: str
    reason_code: str
    reason: str
    explanation: str
    message: str  # in the request's language: the platform's statement, then what staff wrote
    statement: str = ""  # the statement's code, when the platform said something (moderation/statements.py)
    starts_at: datetime
    ends_at: datetime | None
    ended_at: datetime | None
    until: str
    effects: list[str]
    work: WorkRef | None
    status: str
    counts: bool
    appealable: bool
    appeal: int | None


class AppealOut(Schema):
    id: int
    status: str
    status_label: str
    measure: MeasureOut
    statement: str
    created_at: datetime
    last_activity_at: datetime
    decided_at: datetime | None
    outcome_message: str


class AppealMessageOut(Schema):
    id: int
    from_staff: bool
    body: str
    created_at: datetime


class AppealDetailOut(AppealOut):
    messages: list[AppealMessageOut]


class StandingOut(Schema):
    in_force: list[MeasureOut]
    upcoming: list[MeasureOut]
    past: list[MeasureOut]
    strikes: list[MeasureOut]
    strikes_counting: int
    decisions: list[MeasureOut]
    appeals: list[AppealOut]


class BlockedOut(Schema):
    measure: MeasureOut
    appeal: AppealDetailOut | None


class StatementIn(Schema):
    statement: str


class AppealIn(Schema):
    kind: Literal["decision", "strike", "sanction"]
    id: Id
    statement: str


class MessageIn(Schema):
    body: str


def _measure(summary: dict) -> dict:
    work, appeal = summary["work"], summary["appeal"]
    return {
        **summary,
        "work": {"id": work.pk, "title": work.title} if work else None,
        "appeal": appeal.pk if appeal else None,
    }


def _appeal(appeal: Appeal, measure: dict) -> dict:
    return {
        "id": appeal.pk,
        "status": appeal.status,
        "status_label": appeal.get_status_display(),
        "measure": _measure(measure),
        "statement": appeal.statement,
        "created_at": appeal.created_at,
        "last_activity_at": appeal.last_activity_at,
        "decided_at": appeal.decided_at,
        "outcome_message": appeal.outcome_message,
    }


def _message(message: AppealMessage) -> dict:
    # Staff messages carry no author: staff identities are not shown to users.
    return {
        "id": message.pk,
        "from_staff": message.from_staff,
        "body": message.body,
        "created_at": message.created_at,
    }


def _detail(appeal: Appeal) -> dict:
    detail = selectors.appeal_detail_for_appellant(appeal)
    return {**_appeal(appeal, detail["measure"]), "messages": [_message(m) for m in detail["exchange"]]}


@router.get("/me/standing", response=StandingOut, url_name="me-standing")
def standing(request):
    """Your measures: ``in_force`` (with ``effects``, what each stops, and ``until``), ``upcoming``, ``past``;
    your ``strikes`` (``ends_at`` is when one expires) and how many count now; the rejections, takedowns and
    masks of your works; your appeals. ``appealable`` is true while a measure stands and has no appeal yet."""
    page = selectors.standing_page_for_user(request.user)
    lists = ("in_force", "upcoming", "past", "strikes", "decisions")
    return {
        **{key: [_measure(m) for m in page[key]] for key in lists},
        "strikes_counting": page["strikes_counting"],
        "appeals": [_appeal(a, a.measure) for a in page["appeals"]],
    }


@router.get("/appeals", response=list[AppealOut], url_name="appeals")
@paginate(Page)
def appeals(request):
    """Your appeals, newest first, 30 a page."""
    return Rows(
        selectors.appeal_records_for_appellant(request.user),
        page=selectors.appeals_with_measures,
        each=lambda a: _appeal(a, a.measure),
    )


@router.post("/appeals", response={201: AppealDetailOut, **error_responses(404)}, url_name="appeal-open")
def appeal_open(request, data: AppealIn):
    """Appeal one of your measures, once: ``kind`` and ``id`` as /me/standing lists them, and a ``statement``
    of at most 4,000 characters. A second appeal of the same measure is refused (409)."""
    measure = access_measure_for_appeal(request.user, data.kind, data.id)
    appeal = services.appeal_open(user=request.user, target=measure, statement=data.statement)
    return Status(201, _detail(appeal))


@router.get("/appeals/{int:appeal_id}", response=AppealDetailOut, url_name="appeal")
def appeal(request, appeal_id: Id):
    """One of your appeals with the written exchange, oldest message first, and the outcome once decided."""
    return _detail(access_appeal_for_appellant(request.user, appeal_id))


@router.post(
    "/appeals/{int:appeal_id}/messages",
    response={
        201: AppealMessageOut,
    },
    url_name="appeal-messages",
)
def appeal_message(request, appeal_id: Id, data: MessageIn):
    """Write to the staff member handling your appeal while it is open (at most 4,000 characters)."""
    appeal = access_appeal_for_appellant(request.user, appeal_id)
    return Status(201, _message(services.appeal_reply(author=request.user, appeal=appeal, body=data.body)))


# MOD-6 for a user who cannot sign in: POST /api/auth/tokens refuses them (403, ``sanctioned``) with an
# ``appeal_pass`` once their password was right, as the sign-in page hands out the appeal page's link. The
# pass goes in a header, never in the address (addresses land in logs), and reaches that measure's appeal only.
APPEAL_PASS = Annotated[str, Header(alias="X-Appeal-Pass")]


def _blocked(sanction) -> dict:
    detail = selectors.measure_detail_for_user(sanction)
    appeal = detail["appeal"]
    return {"measure": _measure(detail), "appeal": _detail(appeal) if appeal else None}


@router.get("/appeal-pass", auth=None, response={200: BlockedOut, **error_responses(404)}, url_name="blocked")
def blocked(request, token: APPEAL_PASS):
    """The measure that stops you signing in, and its appeal with the exchange once you appealed (the page
    the sign-in refusal leads to). ``X-Appeal-Pass``: the ``appeal_pass`` of the refusal, valid for an hour."""
    return _blocked(access_sanction_by_pass(token))


@router.post(
    "/appeal-pass/appeal",
    auth=None,
    response={201: AppealDetailOut, **error_responses(404)},
    url_name="blocked-appeal",
)
def blocked_appeal(request, token: APPEAL_PASS, data: StatementIn):
    """Appeal the measure that stops you signing in, once (``statement``: at most 4,000 characters)."""
    sanction = access_sanction_by_pass(token)
    appeal = services.appeal_open(user=sanction.user, target=sanction, statement=data.statement)
    return Status(201, _detail(appeal))


@router.post(
    "/appeal-pass/messages",
    auth=None,
    response={201: AppealMessageOut, **error_responses(404)},
    url_name="blocked-messages",
)
def blocked_message(request, token: APPEAL_PASS, data: MessageIn):
    """Write to the staff member handling the appeal of the measure that stops you signing in."""
    sanction = access_sanction_by_pass(token)
    appeal = selectors.measure_detail_for_user(sanction)["appeal"]
    if appeal is None:
        raise ApplicationError(
            _("Appeal the measure first (POST /api/appeal-pass/appeal); then you can write to staff."),
            code="no_appeal",
            status=409,
        )
    return Status(201, _message(services.appeal_reply(author=sanction.user, appeal=appeal, body=data.body)))
