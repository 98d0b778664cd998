"""Receiving a provider's webhook (COM-5): verified, recorded once, handed to the apps above."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from inspiracle.core.errors import ApplicationError
from inspiracle.payments import events, registry
from inspiracle.payments.models import ReceivedWebhook
from inspiracle.payments.providers.base import WebhookEvent, WebhookRejected


@dataclass(frozen=True)
class Receipt:
    status: Literal["processed", "duplicate"]
    event: WebhookEvent


def webhook_receive(*, provider_name: str, body: bytes, headers: Mapping[str, str]) -> Receipt:
    """Verify a delivery with its provider, record it and call the registered handlers, all in one
    transaction: a handler's refusal undoes the record, so the provider's next delivery is processed anew.
    A replay (same provider and event id) changes nothing and answers "duplicate".

    No audit row: ``ReceivedWebhook`` is the record of the delivery; what it changed is audited by the handler
    that changed it."""
    provider = registry.provider_named(provider_name)
    try:
        event = provider.verify_webhook(body=body, headers=headers)
    except WebhookRejected as exc:
        raise ApplicationError(
            _("The webhook was refused: %(reason)s") % {"reason": exc.reason}, code="webhook_rejected"
        ) from exc
    with transaction.atomic():
        seen = ReceivedWebhook.objects.filter(provider=provider.name, event_id=event.event_id)
        if seen.exists():
            return Receipt(status="duplicate", event=event)
        row = ReceivedWebhook(
            provider=provider.name,
            event_id=event.event_id,
            type=event.type,
            provider_ref=event.provider_ref,
            amount_fen=event.amount_fen,
        )
        row.full_clean(validate_constraints=False)  # uniqueness is the insert's job, just below
        try:
            # The unique key is the lock: a second delivery of the same event arriving meanwhile waits here
            # for the first's transaction, then fails and answers "duplicate" without running the handlers.
            with transaction.atomic():
                row.save()
        except IntegrityError:
            return Receipt(status="duplicate", event=event)
        for handler in events.handlers():
            handler(event)
    return Receipt(status="processed", event=event)
