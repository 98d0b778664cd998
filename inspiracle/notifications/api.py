"""The inbox through the API (UX-2, UX-4): list, unread count, mark read. Only ever the caller's own."""

from datetime import datetime

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from inspiracle.core.api import Page, Rows
from inspiracle.core.schemas import Id
from inspiracle.notifications import selectors
from inspiracle.notifications.models import Notification
from inspiracle.notifications.services import notification_mark_read

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    kind: str
    subject: str
    body: str
    reason_code: str
    link: str | None
    created_at: datetime
    read_at: datetime | None


class InboxQuery(Schema):
    unread: bool = False


class CountOut(Schema):
    unread: int


class ReadIn(Schema):
    ids: list[Id] | None = Field(None, max_length=1000)


class ReadOut(Schema):
    marked: int
    unread: int


def notification_out(request, notification: Notification) -> dict:
    subject, body = notification.rendered()
    return {
        "id": notification.pk,
        "kind": notification.kind,
        "subject": subject,
        "body": body,
        "reason_code": notification.reason_code,
        "link": request.build_absolute_uri(notification.link) if notification.link else None,
        "created_at": notification.created_at,
        "read_at": notification.read_at,
    }


@router.get("/inbox", response=list[NotificationOut], url_name="inbox")
@paginate(Page, page_size=selectors.PAGE_SIZE)
def inbox(request, query: Query[InboxQuery]):
    """Your notifications, newest first, 30 a page, written in the request's language (``Accept-Language``);
    ``unread=true`` for the unread ones only. Listing them does not mark them read."""
    found = selectors.notification_list_for_user(user=request.user, unread_only=query.unread)
    return Rows(found, each=lambda n: notification_out(request, n))


@router.get("/inbox/unread-count", response=CountOut, url_name="inbox-unread-count")
def inbox_unread_count(request):
    return {"unread": selectors.unread_count(user=request.user)}


@router.post("/inbox/read", response=ReadOut, url_name="inbox-read")
def inbox_read(request, data: ReadIn | None = None):
    """Mark notifications read: ``{"ids": [1, 2]}`` for those, an empty body (or no ``ids``) for all.
    Ids that are not yours are ignored."""
    ids = data.ids if data is not None else None
    marked = notification_mark_read(user=request.user, ids=ids)
    return {"marked": marked, "unread": selectors.unread_count(user=request.user)}
