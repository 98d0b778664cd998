"""The built-in test provider (COM-5): the embedded default, so that the shop works without any contract with
a real provider. No money moves. It keeps its books like a remote provider would (``sandbox``), and signs its
webhooks with the project's scheme (``payments.signing``).

The test cards below are shown on the checkout page; any other number is declined.
"""

import re
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy

from inspiracle.payments import signing
from inspiracle.payments.models import TestCharge, TestOperation
from inspiracle.payments.providers import sandbox
from inspiracle.payments.providers.base import (
    Authorization,
    AuthorizationStatus,
    EventType,
    Outcome,
    WebhookEvent,
    require_amount,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

Behaviour = TestCharge.Behaviour
Kind = TestOperation.Kind


@dataclass(frozen=True)
class TestCard:
    __test__ = False  # not a pytest test class

    behaviour: Behaviour
    label: "StrOrPromise"


TEST_CARDS: dict[str, TestCard] = {
    "4242 4242 4242 4242": TestCard(Behaviour.SUCCEEDS, gettext_lazy("Authorizes and captures")),
    "4000 0000 0000 0002": TestCard(Behaviour.DECLINED, gettext_lazy("Declined")),
    "4000 0000 0000 0069": TestCard(Behaviour.EXPIRED, gettext_lazy("Expired card")),
    "4000 0000 0000 0341": TestCard(
        Behaviour.CAPTURE_FAILS, gettext_lazy("Authorizes, but the capture fails")
    ),
}
_BY_DIGITS = {number.replace(" ", ""): card.behaviour for number, card in TEST_CARDS.items()}


def card_behaviour(card: str | None) -> Behaviour | None:
    """What a typed card number stands for (spaces and hyphens allowed), or None for any other number."""
    return _BY_DIGITS.get(re.sub(r"[\s-]", "", card or ""))


class TestProvider:
    """The test provider; ``settings.PAYMENT_WEBHOOK_SECRET`` signs and checks its webhooks."""

    __test__ = False  # not a pytest test class

    name = "test"
    label: "StrOrPromise" = gettext_lazy("Test payments (no real money)")
    collects_card = True

    def authorize(
        self, *, amount_fen: int, currency: str, reference: str, card: str | None, idempotency_key: str
    ) -> Authorization:
        require_amount(amount_fen, currency)
        if not 0 < len(reference) <= 100:
            raise ValueError("reference must be 1 to 100 characters")
        behaviour = card_behaviour(card)  # the number itself goes no further than this line
        result = sandbox.once(
            key=idempotency_key,
            operation=Kind.AUTHORIZE,
            request={"amount_fen": amount_fen, "reference": reference},
            provider_ref=None,
            act=lambda _none: sandbox.authorize(
                behaviour=behaviour, amount_fen=amount_fen, reference=reference
            ),
        )
        status: AuthorizationStatus = result["status"]
        return Authorization(
            status=status, provider_ref=result["provider_ref"], message=sandbox.message(result)
        )

    def capture(self, *, provider_ref: str, amount_fen: int, idempotency_key: str) -> Outcome:
        require_amount(amount_fen)
        act = partial(sandbox.capture, amount_fen=amount_fen)
        return _operate(Kind.CAPTURE, provider_ref, amount_fen, idempotency_key, act)

    def refund(self, *, provider_ref: str, amount_fen: int, idempotency_key: str) -> Outcome:
        require_amount(amount_fen)
        act = partial(sandbox.refund, amount_fen=amount_fen)
        return _operate(Kind.REFUND, provider_ref, amount_fen, idempotency_key, act)

    def void(self, *, provider_ref: str, idempotency_key: str) -> Outcome:
        return _operate(Kind.VOID, provider_ref, None, idempotency_key, sandbox.void)

    def verify_webhook(self, *, body: bytes, headers: Mapping[str, str]) -> WebhookEvent:
        signing.verify(body, headers=headers, secret=settings.PAYMENT_WEBHOOK_SECRET)
        return signing.event_decode(body)


def _operate(
    operation: str,
    provider_ref: str,
    amount_fen: int | None,
    key: str,
    act: Callable[[TestCharge], sandbox.Result],
) -> Outcome:
    result = sandbox.once(
        key=key,
        operation=operation,
        request={"provider_ref": provider_ref, "amount_fen": amount_fen},
        provider_ref=provider_ref,
        act=lambda charge: sandbox.missing(provider_ref) if charge is None else act(charge),
    )
    return Outcome(ok=result["ok"], provider_ref=result["provider_ref"], message=sandbox.message(result))


def webhook_for(
    *,
    type: EventType,
    provider_ref: str,
    amount_fen: int,
    event_id: str | None = None,
    at: datetime | None = None,
) -> tuple[bytes, dict[str, str]]:
    """A delivery of one event as the test provider sends it: the body and its signed headers, which
    POST /api/payments/webhooks/test accepts (for tests, and for staff to replay what a provider would send)."""
    at = at or timezone.now()
    event = WebhookEvent(
        event_id=event_id or f"evt_{secrets.token_hex(12)}",
        type=type,
        provider_ref=provider_ref,
        amount_fen=amount_fen,
        created=at,
    )
    body = signing.event_encode(event)
    return body, signing.sign(body, secret=settings.PAYMENT_WEBHOOK_SECRET, at=at)
