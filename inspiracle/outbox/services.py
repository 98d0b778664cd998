"""Writing to the outbox (inside the change's transaction) and delivering from it (a job).

Delivery is at least once with one Message-ID per row, so it is exactly once from the reader's point of
view: a claim (a conditional UPDATE) keeps two jobs from sending the same row at the same time; a worker
killed between the mail server's "accepted" and our "sent" leaves the row claimed, and after the lease it
is sent again under the same Message-ID, which mail servers and clients treat as the same message.
"""

import json
import logging
import uuid
from datetime import timedelta
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from inspiracle.outbox.models import OutboxMessage
from inspiracle.outbox.registry import RENDERERS

log = logging.getLogger(__name__)

# A claim older than this belongs to a job that died; the deliver job's hard time limit is shorter.
LEASE = timedelta(minutes=2)
DELIVER_TIME_LIMIT = 90
# Tried this many times, waiting 1, 2, 4 ... minutes (at most an hour) between tries: about 4 hours in all.
MAX_ATTEMPTS = 10
# The sweep leaves a new row this long to the job its commit queued, so that it does not queue a second.
SWEEP_GRACE = timedelta(seconds=30)
SWEEP_BATCH = 500


def outbox_email(*, kind: str, payload: dict) -> OutboxMessage:
    """Queue one e-mail of ``kind`` (a registered renderer). Call inside the transaction of the change that
    causes it: the mail exists if and only if the change does. The delivery job is queued after the commit;
    if the broker is down then, the sweep (beat) queues it later."""
    if kind not in RENDERERS:
        raise ValueError(f"unknown outbox kind {kind!r}")
    with transaction.atomic():
        message = OutboxMessage.objects.create(kind=kind, payload=json.dumps(payload, sort_keys=True))
        transaction.on_commit(lambda: _enqueue([message.pk]), robust=True)
    return message


def outbox_email_many(*, kind: str, payloads: list[dict]) -> int:
    """``outbox_email`` for many recipients at once (announcements to every user)."""
    if kind not in RENDERERS:
        raise ValueError(f"unknown outbox kind {kind!r}")
    with transaction.atomic():
        rows = OutboxMessage.objects.bulk_create(
            OutboxMessage(kind=kind, payload=json.dumps(payload, sort_keys=True)) for payload in payloads
        )
        ids = [row.pk for row in rows]
        transaction.on_commit(lambda: _enqueue(ids), robust=True)
    return len(ids)


def _enqueue(ids: list[int]) -> None:
    from inspiracle.outbox.tasks import deliver

    for message_id in ids:
        deliver.delay(message_id)


def backoff(attempts: int) -> timedelta:
    return timedelta(minutes=min(60, 2 ** max(0, attempts - 1)))


def message_id_header(message: OutboxMessage) -> str:
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "inspiracle.invalid"
    return f"<outbox.{message.pk}.{int(message.created_at.timestamp())}@{domain}>"


def outbox_deliver(*, message_id: int) -> str:
    """Send one row if it is due and nobody else is sending it. Returns what happened, for logs and tests."""
    now = timezone.now()
    token = uuid.uuid4().hex
    free = Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - LEASE)
    claimed = OutboxMessage.objects.filter(
        free, pk=message_id, status=OutboxMessage.Status.PENDING, due_at__lte=now
    ).update(claimed_by=token, claimed_at=now, attempts=F("attempts") + 1)
    if not claimed:
        return "skipped"
    message = OutboxMessage.objects.get(pk=message_id)
    mine = OutboxMessage.objects.filter(pk=message_id, claimed_by=token)
    try:
        email = RENDERERS[message.kind](json.loads(message.payload))
        if email is not None:
            EmailMessage(
                subject=email.subject,
                body=email.body,
                to=[email.to],
                headers={"Message-ID": message_id_header(message)},
            ).send()
    except Exception as exc:  # noqa: BLE001 - any failure is retried later, none may lose the message
        return _failed(message, mine, exc)
    done = timezone.now()
    if email is None:
        mine.update(status=OutboxMessage.Status.SKIPPED, claimed_by="", claimed_at=None)
        return "nothing to send"
    mine.update(status=OutboxMessage.Status.SENT, sent_at=done, claimed_by="", claimed_at=None, last_error="")
    if email.on_sent is not None:
        email.on_sent()
    log.info("outbox sent message", extra={"outbox": message.pk, "kind": message.kind})
    return "sent"


def _failed(message: OutboxMessage, mine, exc: Exception) -> str:
    # The exception's class only: SMTP errors quote the recipient's address.
    error = type(exc).__name__[:200]
    if message.attempts >= MAX_ATTEMPTS:
        mine.update(status=OutboxMessage.Status.FAILED, claimed_by="", claimed_at=None, last_error=error)
        log.error(
            "outbox gave up on a message", extra={"outbox": message.pk, "kind": message.kind, "error": error}
        )
        return "failed"
    due = timezone.now() + backoff(message.attempts)
    mine.update(due_at=due, claimed_by="", claimed_at=None, last_error=error)
    log.warning(
        "outbox message not sent, will retry",
        extra={"outbox": message.pk, "kind": message.kind, "error": error, "attempt": message.attempts},
    )
    return "retry"


def outbox_due() -> list[int]:
    """Rows the sweep queues: due, and neither just written (their own job is on its way) nor being sent."""
    now = timezone.now()
    free = Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - LEASE)
    due = OutboxMessage.objects.filter(
        free, status=OutboxMessage.Status.PENDING, due_at__lte=now - SWEEP_GRACE
    )
    return list(due.order_by("due_at").values_list("pk", flat=True)[:SWEEP_BATCH])
