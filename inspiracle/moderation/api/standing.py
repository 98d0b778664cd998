"""A user's own standing and appeals through the API (MOD-5, MOD-6): the measures on their account and works,
and the one appeal each allows, with its written exchange. Only ever the caller's own; staff are not named."""

from datetime import datetime
from typing import Literal

from ninja import Router, Schema, Status
from ninja.pagination import paginate

from inspiracle.core.api import Page, Rows, error_responses
from inspiracle.core.schemas import Id
from inspiracle.moderation import selectors, services
from inspiracle.moderation.models import Appeal, AppealMessage
from inspiracle.moderation.permissions import access_appeal_for_appellant, access_measure_for_appeal

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
    message: str
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
