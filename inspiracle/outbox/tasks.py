"""The outbox's jobs, thin shells that take ids only. Failures are retried by the sweep (``due_at``), not
by Celery: a retry through the broker is exactly what a broker outage would lose."""

from celery import shared_task

from inspiracle.outbox.services import DELIVER_TIME_LIMIT, outbox_deliver, outbox_due


@shared_task(
    name="outbox.deliver",
    acks_late=True,
    time_limit=DELIVER_TIME_LIMIT,
    soft_time_limit=DELIVER_TIME_LIMIT - 15,
)
def deliver(message_id: int) -> str:
    return outbox_deliver(message_id=message_id)


@shared_task(name="outbox.sweep")
def sweep() -> int:
    """Every minute: rows whose job was lost (the broker was down at commit, a worker died) or whose retry
    is due are queued again."""
    due = outbox_due()
    for message_id in due:
        deliver.delay(message_id)
    return len(due)
