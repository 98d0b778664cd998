"""The inbox through the API (UX-2, UX-4): list, unread count, mark read. Only ever the caller's own."""

from datetime import datetime

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from inspiracle.core.api import Page, Rows
from inspiracle.core.schemas import Id
from inspiracle.notifications import selectors
from inspiracle.notifications.models import Notification
from inspiracle.notifications.preferences import TOPICS
from inspiracle.notifications.services import email_muted, email_preferences_set, notification_mark_read

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


class TopicOut(Schema):
    key: str
    label: str
    help: str
    mandatory: bool = Field(description="Always e-mailed: the law or the platform's rules require it.")
    email: bool = Field(description="E-mailed to you (always true for a mandatory topic).")


class PreferencesOut(Schema):
    topics: list[TopicOut]
    email_off: list[str]


class PreferencesIn(Schema):
    email_off: list[str] = Field(
        max_length=50, description="Keys of the optional topics not to e-mail; every other topic is e-mailed."
    )


def preferences_out(user) -> dict:
    muted = set(email_muted(user=user))
    return {
        "topics": [
            {
                "key": topic.key,
                "label": str(topic.label),
                "help": str(topic.help),
                "mandatory": topic.mandatory,
                "email": topic.mandatory or topic.key not in muted,
            }
            for topic in TOPICS
        ],
        "email_off": sorted(muted),
    }


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


@router.get("/me/notification-preferences", response=PreferencesOut, url_name="me-notification-preferences")
def preferences_get(request):
    """Which notices are e-mailed to you, by topic, in the request's language. Every notice is in the inbox;
    mandatory topics are always e-mailed."""
    return preferences_out(request.user)


@router.patch("/me/notification-preferences", response=PreferencesOut, url_name="me-notification-preferences")
def preferences_patch(request, data: PreferencesIn):
    """Set the optional topics not to e-mail (``email_off``), replacing the previous choice; a mandatory or
    unknown topic is refused. Audited."""
    email_preferences_set(user=request.user, muted=data.email_off)
    return preferences_out(request.user)
