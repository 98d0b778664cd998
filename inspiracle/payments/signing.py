"""Signed webhooks, Stripe's scheme: ``Inspiracle-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>`` over
``f"{t}.{body}"`` with the shared webhook secret. The timestamp is signed too, so an old delivery cannot be
replayed with a fresh one; more than five minutes off is refused. Several ``v1`` may be sent (while a secret is
being rotated): one that matches is enough.

The body is a JSON object: ``{"id", "type", "provider_ref", "amount_fen", "created"}`` (``created`` in unix
seconds). Providers that speak this scheme use ``event_encode`` and ``event_decode``.
"""

import hashlib
import hmac
import json
import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from django.utils import timezone
from django.utils.translation import gettext as _

from inspiracle.payments.providers.base import EVENT_TYPES, EventType, WebhookEvent, WebhookRejected

SIGNATURE_HEADER = "Inspiracle-Signature"
TOLERANCE = timedelta(minutes=5)
# Ids as providers make them; nothing else (no NUL, no spaces) reaches the database.
ID = re.compile(r"[A-Za-z0-9_.:-]{1,100}")


def signature(body: bytes, *, secret: str, timestamp: int) -> str:
    signed = f"{timestamp}.".encode() + body
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def sign(body: bytes, *, secret: str, at: datetime | None = None) -> dict[str, str]:
    """The headers that make ``body`` a delivery the endpoint accepts."""
    timestamp = int((at or timezone.now()).timestamp())
    value = f"t={timestamp},v1={signature(body, secret=secret, timestamp=timestamp)}"
    return {SIGNATURE_HEADER: value, "Content-Type": "application/json"}


def header(headers: Mapping[str, str], name: str) -> str:
    """A header by name, in any case (Django's ``request.headers`` is case-blind, a plain dict is not)."""
    wanted = name.lower()
    return next((value for key, value in headers.items() if key.lower() == wanted), "")


def verify(body: bytes, *, headers: Mapping[str, str], secret: str, now: datetime | None = None) -> None:
    """Raise ``WebhookRejected`` unless ``body`` carries a valid, recent signature."""
    parts = [part.partition("=") for part in header(headers, SIGNATURE_HEADER).split(",")]
    stamps = [value.strip() for key, _sep, value in parts if key.strip() == "t"]
    given = [value.strip() for key, _sep, value in parts if key.strip() == "v1"]
    if len(stamps) != 1 or not stamps[0].isdigit() or not given:
        raise WebhookRejected(
            _("The %(header)s header is missing or not of the form t=<unix time>,v1=<hex>.")
            % {"header": SIGNATURE_HEADER}
        )
    timestamp = int(stamps[0])
    expected = signature(body, secret=secret, timestamp=timestamp)
    if not any(hmac.compare_digest(expected.encode(), value.encode()) for value in given):
        raise WebhookRejected(_("The signature does not match the body and the webhook secret."))
    moment = (now or timezone.now()).timestamp()
    if abs(moment - timestamp) > TOLERANCE.total_seconds():
        raise WebhookRejected(
            _("The signature's timestamp is more than five minutes off: send a fresh delivery.")
        )


def event_encode(event: WebhookEvent) -> bytes:
    data = {
        "id": event.event_id,
        "type": event.type,
        "provider_ref": event.provider_ref,
        "amount_fen": event.amount_fen,
        "created": int(event.created.timestamp()),
    }
    return json.dumps(data, separators=(",", ":")).encode()


def event_decode(body: bytes) -> WebhookEvent:
    """The event in a (verified) body, or ``WebhookRejected`` naming what is wrong with it."""
    try:
        data: Any = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise WebhookRejected(_("The body is not JSON.")) from None
    if not isinstance(data, dict):
        raise WebhookRejected(_("The body must be a JSON object."))
    for field in ("id", "provider_ref"):
        if not isinstance(data.get(field), str) or not ID.fullmatch(data[field]):
            raise WebhookRejected(
                _("“%(field)s” must be 1 to 100 letters, digits or _.:-") % {"field": field}
            )
    if data.get("type") not in EVENT_TYPES:
        raise WebhookRejected(_("“type” must be one of %(types)s.") % {"types": ", ".join(EVENT_TYPES)})
    amount, created = data.get("amount_fen"), data.get("created")
    if type(amount) is not int or not 0 < amount < 2**63:
        raise WebhookRejected(_("“amount_fen” must be a whole number of fen above zero."))
    if type(created) is not int or not 0 < created < 2**33:
        raise WebhookRejected(_("“created” must be a time in unix seconds."))
    return WebhookEvent(
        event_id=data["id"],
        type=cast(EventType, data["type"]),
        provider_ref=data["provider_ref"],
        amount_fen=amount,
        created=datetime.fromtimestamp(created, tz=UTC),
    )
