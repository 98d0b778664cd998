"""Threads and messages (COM-7): starting a thread, writing in it, reading it, closing it.

Who may write is checked here, whatever the entry point: a participant of an open thread whom no sanction
keeps from participating (MOD-5), within the limits. Attachments are checked (and scanned) before the
transaction, so no database lock is held while a file is inspected.
"""

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from inspiracle.accounts.models import User
from inspiracle.audit.services import audit_record
from inspiracle.core import ratelimit
from inspiracle.core.errors import ApplicationError, NotFound
from inspiracle.core.ratelimit import Limit, wait_text
from inspiracle.messaging.actions import Action
from inspiracle.messaging.attachments import Checked, attachments_check, attachments_saving
from inspiracle.messaging.models import DirectMessagesSetting, Message, Participant, Thread
from inspiracle.messaging.selectors import accepts_direct, direct_thread_between
from inspiracle.notifications.models import Notification
from inspiracle.notifications.services import notification_mark_read, notify
from inspiracle.pipeline.documents import Upload
from inspiracle.standing import PARTICIPATE, require_allowed

BODY_LIMIT = 4000
TOPIC_LIMIT = 120


def clean_text(value: str | None, *, limit: int, field: str) -> str:
    """Text as stored: without NUL characters or surrounding space, required, at most ``limit`` characters."""
    text = (value or "").replace("\x00", "").strip()
    if not text:
        raise ApplicationError(_("Write your text first."), fields={field: [_("Required.")]})
    if len(text) > limit:
        raise ApplicationError(
            _("The text has at most %(n)d characters.") % {"n": limit},
            fields={field: [_("Shorten it to %(n)d characters.") % {"n": limit}]},
        )
    return text


def thread_link(thread: Thread) -> str:
    """Where a participant reads the thread: the page it belongs to (a request, a deal), or its own page."""
    return thread.topic_path or reverse("messaging:thread", args=[thread.pk])


def _subject(user: User) -> str:
    return ratelimit.key(f"user:{user.pk}")


def _send_limit() -> Limit:
    return Limit(
        scope="messaging.send",
        hits=settings.MESSAGES_PER_10_MINUTES,
        window=600,
        refusal=lambda wait: (
            _("You sent many messages in a short time. Wait %(wait)s, then send again.")
            % {"wait": wait_text(wait)}
        ),
    )


def _direct_limit() -> Limit:
    return Limit(
        scope="messaging.direct",
        hits=settings.DIRECT_THREADS_PER_DAY,
        window=24 * 3600,
        refusal=lambda wait: (
            _("You started many new conversations today. Wait %(wait)s, or write in a conversation you have.")
            % {"wait": wait_text(wait)}
        ),
    )


def thread_start(
    *, kind: str, first: User, second: User, topic: str, topic_path: str = "", now: datetime | None = None
) -> Thread:
    """A new thread between two users, for the app that owns its topic (licensing: a request, a deal). It
    checks no sanction: the caller decides whether its users may start one."""
    if first.pk == second.pk:
        raise ApplicationError(_("A conversation needs two different people."))
    now = now or timezone.now()
    low, high = sorted((first.pk, second.pk))
    thread = Thread(
        kind=kind,
        topic=clean_text(topic, limit=TOPIC_LIMIT, field="topic"),
        topic_path=topic_path,
        direct_key=f"{low}-{high}" if kind == Thread.Kind.DIRECT else "",
        created_at=now,
    )
    with transaction.atomic():
        thread.full_clean()
        thread.save()
        Participant.objects.bulk_create([Participant(thread=thread, user=u) for u in (first, second)])
        audit_record(
            action=Action.THREAD_STARTED, actor=first, target=thread, data={"kind": kind, "with": second.pk}
        )
    return thread


def _prepare(sender: User, body: str, files: Sequence[Upload], limits: list[Limit]) -> tuple[str, Checked]:
    """What can be refused before the transaction, after the sanction check: the text, a limit already
    reached, then the files (read and scanned only for someone who may send)."""
    text = clean_text(body, limit=BODY_LIMIT, field="body")
    for limit in limits:
        ratelimit.check(limit, _subject(sender))
    return text, attachments_check(list(files))


def _require_open(thread: Thread) -> None:
    if thread.is_closed:
        raise ApplicationError(
            _("This conversation is closed; nobody can write in it any more."),
            code="thread_closed",
            status=409,
        )


def message_send(
    *, thread: Thread, sender: User, body: str, files: Sequence[Upload] = (), now: datetime | None = None
) -> Message:
    """A participant writes in a thread (the access function found it theirs); the other side is told."""
    require_allowed(sender, PARTICIPATE)  # MOD-5: says which measure, why and until when
    _require_open(thread)
    text, checked = _prepare(sender, body, files, [_send_limit()])
    with attachments_saving() as save, transaction.atomic():
        # Counted with the message: a refused or failed send does not use up the limit.
        ratelimit.hit((_send_limit(), _subject(sender)))
        # Why the lock: a send and a close (or a second send) of the same thread take their turn.
        thread = Thread.objects.select_for_update().get(pk=thread.pk)
        return _store(thread, sender, text, checked, save, now or timezone.now())


def direct_thread_open(
    *,
    sender: User,
    creator: User,
    topic: str,
    body: str,
    files: Sequence[Upload] = (),
    now: datetime | None = None,
) -> Thread:
    """A message to a creator who accepts direct messages, in the one direct thread the two have (started
    now if they have none: ``topic`` is its title then). Turning direct messages off stops new threads only:
    a thread the two have stays open."""
    require_allowed(sender, PARTICIPATE)  # MOD-5
    if sender.pk == creator.pk:
        raise ApplicationError(_("This is your own account: write to someone else."))
    existing = direct_thread_between(sender, creator)
    if existing is None and not accepts_direct(creator):
        raise ApplicationError(
            _("@%(username)s does not accept direct messages. You can still reach them about a licence.")
            % {"username": creator.username},
            code="direct_closed",
            status=403,
        )
    limits = [_send_limit()] if existing else [_send_limit(), _direct_limit()]
    if existing is None:
        topic = clean_text(topic, limit=TOPIC_LIMIT, field="topic")
    else:
        _require_open(existing)
    text, checked = _prepare(sender, body, files, limits)
    now = now or timezone.now()
    with attachments_saving() as save, transaction.atomic():
        # Why the lock on both users: two first messages between the same two people must not both start
        # a thread (the unique constraint would refuse the second with a server error).
        list(User.objects.select_for_update().filter(pk__in=[sender.pk, creator.pk]).order_by("pk"))
        thread = direct_thread_between(sender, creator)
        ratelimit.hit(*[(limit, _subject(sender)) for limit in (limits if thread is None else limits[:1])])
        if thread is None:
            thread = thread_start(kind=Thread.Kind.DIRECT, first=sender, second=creator, topic=topic, now=now)
        _store(thread, sender, text, checked, save, now)
    return thread


def _store(
    thread: Thread,
    sender: User,
    text: str,
    checked: Checked,
    save: Callable[[Checked, Message], None],
    now: datetime,
) -> Message:
    _require_open(thread)  # as it is now, under the lock
    sides = {p.user_id: p for p in thread.participants.select_related("user")}
    if sender.pk not in sides:
        raise NotFound(_("There is no such conversation."))
    message = Message(thread=thread, sender=sender, body=text, created_at=now)
    message.full_clean()
    message.save()
    save(checked, message)
    thread.last_message_at = now
    thread.save(update_fields=["last_message_at"])
    # The sender has read what they wrote (and everything before it).
    Participant.objects.filter(pk=sides[sender.pk].pk).update(read_up_to=message.pk, read_at=now)
    audit_record(
        action=Action.MESSAGE_SENT,
        actor=sender,
        target=thread,
        data={"message": message.pk, "attachments": len(checked)},
    )
    (other,) = [side for user_id, side in sides.items() if user_id != sender.pk]
    _tell(other, thread, message, now)
    return message


def _tell(reader: Participant, thread: Thread, message: Message, now: datetime) -> None:
    """One notice per batch of unread messages: when this is the first the reader has not read (the rest of
    a batch shows as the thread's unread count), so a chat does not fill their inbox. Its e-mail goes at
    most once per MESSAGE_EMAIL_EVERY_MINUTES for this thread: a quick exchange is one e-mail, not twenty."""
    earlier_unread = (
        Message.objects.filter(
            thread=thread, pk__gt=reader.read_up_to, pk__lt=message.pk, hidden_at__isnull=True
        )
        .exclude(sender_id=reader.user_id)
        .exists()
    )
    if earlier_unread:
        return
    interval = timedelta(minutes=settings.MESSAGE_EMAIL_EVERY_MINUTES)
    email = reader.emailed_at is None or now - reader.emailed_at >= interval
    notify(
        user=reader.user,
        template="message_received",
        params={"username": message.sender.username, "title": thread.topic},
        link=thread_link(thread),
        email=email,
    )
    if email:
        Participant.objects.filter(pk=reader.pk).update(emailed_at=now)


def thread_mark_read(*, user: User, thread: Thread, now: datetime | None = None) -> None:
    """The user has seen every message of the thread: its unread count and its notices are cleared."""
    latest = thread.messages.aggregate(latest=Max("pk"))["latest"] or 0
    changed = Participant.objects.filter(thread=thread, user=user, read_up_to__lt=latest).update(
        read_up_to=latest, read_at=now or timezone.now()
    )
    if changed:
        notices = Notification.objects.filter(
            user=user, kind="message.received", link=thread_link(thread), read_at__isnull=True
        )
        notification_mark_read(user=user, ids=list(notices.values_list("pk", flat=True)))


def thread_close(*, thread: Thread, actor: User | None = None, now: datetime | None = None) -> Thread:
    """Nobody can write in the thread any more; what was written stays readable to both sides."""
    with transaction.atomic():
        thread = Thread.objects.select_for_update().get(pk=thread.pk)
        if thread.closed_at is None:
            thread.closed_at = now or timezone.now()
            thread.save(update_fields=["closed_at"])
            audit_record(action=Action.THREAD_CLOSED, actor=actor, target=thread)
    return thread


def direct_messages_set(*, user: User, accepts: bool) -> DirectMessagesSetting:
    """Whether others may start direct threads with ``user``; threads already started stay open."""
    with transaction.atomic():
        setting, _created = DirectMessagesSetting.objects.update_or_create(
            user=user, defaults={"accepts_direct": accepts, "updated_at": timezone.now()}
        )
        audit_record(action=Action.DIRECT_SETTING, actor=user, target=user, data={"accepts_direct": accepts})
    return setting
