"""Messages through the API (COM-7, UX-2), as in the web pages: your threads, a thread's messages, writing
(multipart, with optional ``files``), starting a direct thread with a creator, marking read, reporting abuse,
the direct-messages switch. A thread you are not party to is "not found"; a participation restriction is a
403 ``sanctioned`` with its end (``ends_at``, MOD-5); a limit is a 429 with Retry-After."""

from datetime import datetime

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.urls import reverse
from ninja import Field, Form, Query, Router, Schema, Status
from ninja.pagination import paginate

from inspiracle.accounts.api_auth import SessionOrToken
from inspiracle.accounts.models import User
from inspiracle.accounts.selectors import profile_get_public
from inspiracle.accounts.typing import SignedInRequest
from inspiracle.core.api import Page, Rows, error_responses, upload_fields
from inspiracle.core.schemas import ID_MAX, Id
from inspiracle.messaging import selectors, services
from inspiracle.messaging.attachments import attachment_response, uploads_from
from inspiracle.messaging.models import Attachment, Message, Participant, Thread, ThreadReport
from inspiracle.messaging.panels import can_write_text
from inspiracle.messaging.permissions import (
    access_attachment_for_download,
    access_message_for_report,
    access_thread_for_participant,
)
from inspiracle.messaging.selectors import MessageView, Person
from inspiracle.standing import PARTICIPATE, require_allowed

router = Router(tags=["messages"])


class WriterFirst(SessionOrToken):
    """Writing: a participation restriction (MOD-5), and for a thread its participant, are checked before a
    byte of the body with its files is read."""

    def __call__(self, request: SignedInRequest) -> User | None:
        user = super().__call__(request)
        if user is not None:
            thread_id = request.resolver_match.kwargs.get("thread_id") if request.resolver_match else None
            if isinstance(thread_id, int) and 1 <= thread_id <= ID_MAX:  # else the endpoint answers 422
                access_thread_for_participant(user, thread_id)
            require_allowed(user, PARTICIPATE)
        return user


class ThreadPersonOut(Schema):
    username: str
    display_name: str


class ThreadOut(Schema):
    id: int
    kind: str
    topic: str
    url: str = Field(
        description="The page where the thread is read (a request's or a deal's page, or its own)"
    )
    other: ThreadPersonOut = Field(description="The other participant: username and display name only")
    unread: int
    created_at: datetime
    last_message_at: datetime | None
    closed_at: datetime | None


class ThreadAttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    url: str


class ThreadMessageOut(Schema):
    id: int
    sender: ThreadPersonOut
    mine: bool
    hidden: bool = Field(description="Hidden by staff after an abuse report: no body, no attachments")
    body: str
    created_at: datetime
    attachments: list[ThreadAttachmentOut]


class ThreadDetailOut(ThreadOut):
    page: int
    pages: int
    messages: list[ThreadMessageOut] = Field(
        description="Oldest first, 50 a page; the newest page by default"
    )
    restriction: str | None = Field(description="Why, and until when, you cannot write now (MOD-5)")


class ThreadPageQuery(Schema):
    page: int | None = Field(None, ge=1, le=10_000)


class ThreadMessageIn(Schema):
    body: str


class DirectThreadIn(Schema):
    creator: str = Field(max_length=30, description="The creator's username")
    topic: str = Field("", description="The title of a new thread (ignored when the two of you have one)")
    body: str


class ThreadReportIn(Schema):
    reason: str


class ThreadReportOut(Schema):
    id: int
    thread: int
    message: int | None
    status: str
    status_label: str
    created_at: datetime
    decided_at: datetime | None


class DirectMessagesSettingOut(Schema):
    accepts_direct: bool = Field(description="Whether others may start a direct thread with you")


class DirectMessagesSettingIn(Schema):
    accepts_direct: bool = Field(..., strict=True, description="true or false")


def _person(person: Person) -> dict:
    return {"username": person.username, "display_name": person.display_name}


def _thread(request: SignedInRequest, thread: Thread, other: Person, unread: int) -> dict:
    return {
        **{
            key: getattr(thread, key)
            for key in ("id", "kind", "topic", "created_at", "last_message_at", "closed_at")
        },
        "url": request.build_absolute_uri(services.thread_link(thread)),
        "other": _person(other),
        "unread": unread,
    }


def _attachment(request: SignedInRequest, attachment: Attachment) -> dict:
    url = reverse("api:message-attachment", args=[attachment.pk])
    fields = ("id", "name", "content_type", "size")
    return {**{key: getattr(attachment, key) for key in fields}, "url": request.build_absolute_uri(url)}


def message_out(request: SignedInRequest, view: MessageView) -> dict:
    return {
        "id": view.message.pk,
        "sender": _person(view.sender),
        "mine": view.mine,
        "hidden": view.hidden,
        "body": view.body,
        "created_at": view.message.created_at,
        "attachments": [_attachment(request, a) for a in view.attachments],
    }


def _report(report: ThreadReport) -> dict:
    return {
        **{key: getattr(report, key) for key in ("id", "status", "created_at", "decided_at")},
        "thread": report.thread_id,
        "message": report.message_id,
        "status_label": report.get_status_display(),
    }


def _detail(request: SignedInRequest, thread: Thread, page_number: int | None) -> dict:
    participant = Participant.objects.get(thread=thread, user=request.user)
    paginator = Paginator(selectors.thread_messages(thread), selectors.MESSAGES_PAGE)
    page = paginator.get_page(page_number or paginator.num_pages)
    other = selectors.thread_other(request.user, thread)
    return {
        **_thread(request, thread, other, selectors.unread_count(participant)),
        "page": page.number,
        "pages": paginator.num_pages,
        "messages": [
            message_out(request, v) for v in selectors.message_views(request.user, page.object_list)
        ],
        "restriction": can_write_text(request.user) or None,
    }


@router.get("/threads", response=list[ThreadOut], url_name="threads")
@paginate(Page, page_size=selectors.THREADS_PAGE)
def threads(request: SignedInRequest) -> Rows:
    """Your threads, 30 a page: those with unread messages first, then the latest active first."""
    return Rows(
        selectors.participations_for_user(request.user),
        page=selectors.thread_rows,
        each=lambda row: _thread(request, row.thread, row.other, row.unread),
    )


@router.get("/threads/{int:thread_id}", response=ThreadDetailOut, url_name="thread")
def thread(request: SignedInRequest, thread_id: Id, query: Query[ThreadPageQuery]) -> dict:
    """One of your threads with a page of its messages. Reading it here does not mark it read."""
    return _detail(request, access_thread_for_participant(request.user, thread_id), query.page)


@router.post(
    "/threads/{int:thread_id}/messages",
    response={201: ThreadMessageOut, **error_responses(429)},
    auth=WriterFirst(),
    url_name="thread-messages",
    openapi_extra=upload_fields("files"),
)
def message_send(request: SignedInRequest, thread_id: Id, data: Form[ThreadMessageIn]) -> Status:
    """Write in a thread: multipart (or form) with ``body`` and up to 5 ``files`` (PDF, JPEG, PNG, checked
    like report documents). The other participant is told."""
    thread = access_thread_for_participant(request.user, thread_id)
    files = uploads_from(request.FILES.getlist("files"))
    message = services.message_send(thread=thread, sender=request.user, body=data.body, files=files)
    view = selectors.message_views(request.user, [message])[0]
    return Status(201, message_out(request, view))


@router.post(
    "/threads/direct",
    response={201: ThreadOut, **error_responses(404, 429)},
    auth=WriterFirst(),
    url_name="thread-direct",
    openapi_extra=upload_fields("files"),
)
def direct(request: SignedInRequest, data: Form[DirectThreadIn]) -> Status:
    """Write to a creator who accepts direct messages (403 ``direct_closed`` if not), in the one direct thread
    the two of you have, started now (with ``topic`` as its title) if there is none."""
    creator = profile_get_public(data.creator).user
    files = uploads_from(request.FILES.getlist("files"))
    thread = services.direct_thread_open(
        sender=request.user, creator=creator, topic=data.topic, body=data.body, files=files
    )
    return Status(201, _thread(request, thread, Person.of(creator), 0))


@router.post("/threads/{int:thread_id}/read", response=ThreadOut, url_name="thread-read")
def thread_read(request: SignedInRequest, thread_id: Id) -> dict:
    """Mark every message of the thread read (and its notices in the inbox)."""
    thread = access_thread_for_participant(request.user, thread_id)
    services.thread_mark_read(user=request.user, thread=thread)
    return _thread(request, thread, selectors.thread_other(request.user, thread), 0)


@router.post("/threads/{int:thread_id}/report", response={201: ThreadReportOut}, url_name="thread-report")
def thread_report(request: SignedInRequest, thread_id: Id, data: ThreadReportIn) -> Status:
    """Report abuse in the whole thread; staff handling abuse read it and tell you what they decided."""
    thread = access_thread_for_participant(request.user, thread_id)
    return Status(
        201, _report(services.thread_report(reporter=request.user, thread=thread, reason=data.reason))
    )


@router.post("/messages/{int:message_id}/report", response={201: ThreadReportOut}, url_name="message-report")
def message_report(request: SignedInRequest, message_id: Id, data: ThreadReportIn) -> Status:
    """Report one message the other participant wrote."""
    message: Message = access_message_for_report(request.user, message_id)
    report = services.thread_report(
        reporter=request.user, thread=message.thread, message=message, reason=data.reason
    )
    return Status(201, _report(report))


@router.get("/messages/attachments/{int:attachment_id}", response={200: None}, url_name="message-attachment")
def attachment(request: SignedInRequest, attachment_id: Id) -> HttpResponse:
    """A file of a message in one of your threads, as a download (never cached)."""
    return attachment_response(access_attachment_for_download(request.user, attachment_id))


@router.get("/messages/settings", response=DirectMessagesSettingOut, url_name="messages-settings")
def settings_get(request: SignedInRequest) -> dict:
    return {"accepts_direct": selectors.accepts_direct(request.user)}


@router.put("/messages/settings", response=DirectMessagesSettingOut, url_name="messages-settings-set")
def settings_set(request: SignedInRequest, data: DirectMessagesSettingIn) -> dict:
    """Whether others may start direct threads with you; threads you have stay open."""
    setting = services.direct_messages_set(user=request.user, accepts=data.accepts_direct)
    return {"accepts_direct": setting.accepts_direct}
