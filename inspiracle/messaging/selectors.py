"""Reads of threads (COM-7). Each side is shown by username and display name only: never registration
information (legal name, address, phones, e-mail; PRV-4). Query counts do not grow with a page's length."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Case, Count, F, IntegerField, OuterRef, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce

from inspiracle.accounts.models import User
from inspiracle.messaging.models import (
    Attachment,
    DirectMessagesSetting,
    Message,
    Participant,
    Thread,
    ThreadReport,
)

THREADS_PAGE = 30
MESSAGES_PAGE = 50


@dataclass(frozen=True)
class Person:
    """How a participant appears to the other: what their public profile shows anyway."""

    username: str
    display_name: str

    @classmethod
    def of(cls, user: User) -> "Person":
        profile = getattr(user, "profile", None)
        return cls(user.username, profile.display_name if profile else user.username)


@dataclass(frozen=True)
class ThreadRow:
    thread: Thread
    other: Person
    unread: int


@dataclass(frozen=True)
class MessageView:
    message: Message
    sender: Person
    mine: bool
    body: str  # empty when staff hid the message
    attachments: list[Attachment] = field(default_factory=list)

    @property
    def hidden(self) -> bool:
        return self.message.is_hidden


def accepts_direct(user: User) -> bool:
    """Whether others may start a direct thread with ``user``: on unless they turned it off."""
    setting = DirectMessagesSetting.objects.filter(user=user).first()
    return user.is_active and (setting is None or setting.accepts_direct)


def direct_thread_between(user: User, other: User) -> Thread | None:
    low, high = sorted((user.pk, other.pk))
    return Thread.objects.filter(kind=Thread.Kind.DIRECT, direct_key=f"{low}-{high}").first()


def _unread() -> Subquery:
    """For a Participant row: the other side's visible messages past what it has read."""
    counted = (
        Message.objects.filter(
            thread=OuterRef("thread"), pk__gt=OuterRef("read_up_to"), hidden_at__isnull=True
        )
        .exclude(sender=OuterRef("user"))
        .order_by()
        .values("thread")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Subquery(counted, output_field=IntegerField())


def participations_for_user(user: User) -> "QuerySet[Participant]":
    """The user's threads as their Participant rows, unread ones first, then the latest activity first, with
    the unread count and the other side's names annotated (three subqueries, one query)."""
    other = Participant.objects.filter(thread=OuterRef("thread")).exclude(user=OuterRef("user"))
    return (
        Participant.objects.filter(user=user)
        .select_related("thread")
        .annotate(
            unread=Coalesce(_unread(), Value(0)),
            other_username=Subquery(other.values("user__username")[:1]),
            other_display=Subquery(other.values("user__profile__display_name")[:1]),
        )
        .order_by(
            Case(When(unread__gt=0, then=Value(0)), default=Value(1)),
            F("thread__last_message_at").desc(nulls_last=True),
            "-thread_id",
        )
    )


def thread_rows(participations: Iterable[Participant]) -> list[ThreadRow]:
    """Rows of ``participations_for_user`` (a page of them) as the list shows them."""
    rows = []
    for p in participations:
        username, display = getattr(p, "other_username", "") or "", getattr(p, "other_display", "") or ""
        rows.append(ThreadRow(p.thread, Person(username, display or username), getattr(p, "unread", 0)))
    return rows


def unread_count(participant: Participant) -> int:
    return (
        Message.objects.filter(
            thread_id=participant.thread_id, pk__gt=participant.read_up_to, hidden_at__isnull=True
        )
        .exclude(sender_id=participant.user_id)
        .count()
    )


def unread_messages_count(user: User) -> int:
    """Every visible message others wrote to ``user`` past what they read, over all their threads."""
    return (
        Message.objects.filter(
            thread__participants__user=user,
            pk__gt=F("thread__participants__read_up_to"),
            hidden_at__isnull=True,
        )
        .exclude(sender=user)
        .count()
    )


def thread_other(user: User, thread: Thread) -> Person:
    other = Participant.objects.select_related("user__profile").exclude(user=user).get(thread=thread)
    return Person.of(other.user)


def thread_messages(thread: Thread) -> "QuerySet[Message]":
    """Oldest first, with what showing them needs (senders' display names, attachments) fetched up front."""
    return (
        Message.objects.filter(thread=thread)
        .select_related("sender__profile")
        .prefetch_related("attachments")
        .order_by("pk")
    )


def message_views(user: User, messages: Iterable[Message]) -> list[MessageView]:
    """Messages as a participant sees them: a hidden one keeps its place but shows neither text nor files."""
    return [
        MessageView(
            message=m,
            sender=Person.of(m.sender),
            mine=m.sender_id == user.pk,
            body="" if m.is_hidden else m.body,
            attachments=[] if m.is_hidden else list(m.attachments.all()),
        )
        for m in messages
    ]


def thread_report_queue(*, status: str = "open") -> "QuerySet[ThreadReport]":
    """Staff's queue: open reports the longest waiting first; decided ones the latest decided first."""
    reports = ThreadReport.objects.select_related("thread", "reporter", "reported_user", "decided_by")
    if status == ThreadReport.Status.OPEN:
        return reports.filter(status=status).order_by("created_at", "pk")
    return reports.exclude(status=ThreadReport.Status.OPEN).order_by("-decided_at", "-pk")
