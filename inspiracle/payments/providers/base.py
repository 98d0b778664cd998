"""What every payment provider offers the shop (COM-5), after Saleor's gateway interface.

Money is a whole number of fen (1/100 yuan) above zero, in CNY only. A provider answers with the typed results
below; a refusal by the card's bank is a result (``declined``, ``ok=False``), while a provider that cannot be
reached raises ``ProviderUnavailable`` so the caller can try again later with the same idempotency key.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Literal, Protocol, runtime_checkable

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

CURRENCY = "CNY"

AuthorizationStatus = Literal["authorized", "declined", "expired", "failed"]
EventType = Literal["payment.captured", "payment.capture_failed", "payment.refunded", "payment.voided"]
EVENT_TYPES: tuple[EventType, ...] = (
    "payment.captured",
    "payment.capture_failed",
    "payment.refunded",
    "payment.voided",
)


@dataclass(frozen=True)
class Authorization:
    """The answer to ``authorize``: only ``authorized`` holds money; ``message`` is for the payer."""

    status: AuthorizationStatus
    provider_ref: str
    message: str


@dataclass(frozen=True)
class Outcome:
    """The answer to ``capture``, ``refund`` and ``void``."""

    ok: bool
    provider_ref: str
    message: str


@dataclass(frozen=True)
class WebhookEvent:
    """A verified notice from the provider. ``event_id`` is unique per provider: a replay carries the same."""

    event_id: str
    type: EventType
    provider_ref: str
    amount_fen: int
    created: datetime


class WebhookRejected(Exception):
    """A webhook that is not (provably) from the provider: bad signature, stale timestamp, bad body."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class ProviderUnavailable(Exception):
    """The provider could not be asked (network, timeout, its own outage): nothing is known to have happened."""


class IdempotencyConflict(Exception):
    """An idempotency key reused for another operation or other amounts: a caller's bug, never the payer's."""


def require_amount(amount_fen: int, currency: str = CURRENCY) -> None:
    """Refuse what no caller should ever send (these are programming errors, not the payer's)."""
    if type(amount_fen) is not int or amount_fen <= 0:
        raise ValueError(f"amount_fen must be a whole number of fen above zero, not {amount_fen!r}")
    if currency != CURRENCY:
        raise ValueError(f"only {CURRENCY} is supported, not {currency!r}")


@runtime_checkable
class PaymentProvider(Protocol):
    """The contract; see ``payments.registry`` for how one is chosen and what a real one must do.

    Every call that moves money takes an ``idempotency_key``: the same key for the same operation returns the
    first answer and changes nothing, so a double click or a retry after a timeout is harmless."""

    name: str  # in the webhook address: /api/payments/webhooks/<name>
    label: "StrOrPromise"  # shown to the payer
    collects_card: bool  # True: our checkout asks the card number and passes it straight to ``authorize``

    def authorize(
        self, *, amount_fen: int, currency: str, reference: str, card: str | None, idempotency_key: str
    ) -> Authorization: ...

    def capture(self, *, provider_ref: str, amount_fen: int, idempotency_key: str) -> Outcome: ...

    def refund(self, *, provider_ref: str, amount_fen: int, idempotency_key: str) -> Outcome: ...

    def void(self, *, provider_ref: str, idempotency_key: str) -> Outcome: ...

    def verify_webhook(self, *, body: bytes, headers: Mapping[str, str]) -> WebhookEvent:
        """The event in ``body``, or ``WebhookRejected``."""
        ...
