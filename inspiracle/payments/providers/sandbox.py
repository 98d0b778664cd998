"""The test provider's side of each operation: what a remote provider does on its own servers, done here on
``TestCharge`` rows.

Every operation is one transaction that first locks its charge (select_for_update; on SQLite the IMMEDIATE
transaction does it): forty refunds arriving at once are answered one after another, each seeing what the ones
before it refunded. The answer is recorded under its idempotency key (``TestOperation``) in the same
transaction, so a repeat of the key returns it and changes nothing.

Answers are stored as a message code with parameters, and put into words in the language of whoever asks.
"""

import secrets
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from inspiracle.payments.models import TestCharge, TestOperation
from inspiracle.payments.providers.base import IdempotencyConflict

Result = dict[str, Any]  # {"ok": bool} or {"status": str}, and "provider_ref", "code", "params"
Act = Callable[[TestCharge | None], Result]

MESSAGES = {
    "authorized": gettext_noop("The test card was accepted; %(amount)s is reserved until it is captured."),
    "declined": gettext_noop("The card was declined. Try another card or another way to pay."),
    "expired": gettext_noop("The card has expired. Use another card."),
    "not_a_test_card": gettext_noop(
        "This is not a test card: only the test cards shown on the checkout page work here. Nothing was charged."
    ),
    "captured": gettext_noop("%(amount)s was captured."),
    "capture_failed": gettext_noop(
        "The bank refused to capture the payment; nothing was taken. Void it and ask the payer to pay again."
    ),
    "capture_too_much": gettext_noop("Only %(amount)s was authorized; capture at most that."),
    "not_capturable": gettext_noop(
        "This payment is in the state “%(status)s”; only an authorized payment can be captured, once."
    ),
    "refunded": gettext_noop("%(amount)s was refunded."),
    "refund_too_much": gettext_noop("Only %(amount)s of this payment can still be refunded."),
    "not_refundable": gettext_noop(
        "This payment is in the state “%(status)s”; only a captured payment can be refunded."
    ),
    "voided": gettext_noop("The authorization was voided; the reserved amount is released."),
    "not_voidable": gettext_noop(
        "This payment is in the state “%(status)s”; only an authorized payment can be voided. Refund a captured "
        "one instead."
    ),
    "no_such_charge": gettext_noop("The test provider has no payment %(ref)s."),
}


def message(result: Result) -> str:
    params = dict(result["params"])
    if "amount" in params:
        params["amount"] = "¥{:,.2f}".format(params["amount"] / 100)
    if "status" in params:
        params["status"] = TestCharge.Status(params["status"]).label
    return _(MESSAGES[result["code"]]) % params


def outcome(charge: TestCharge, code: str, ok: bool = False, **params: Any) -> Result:
    return {"ok": ok, "provider_ref": charge.provider_ref, "code": code, "params": params}


def once(*, key: str, operation: str, request: dict[str, Any], provider_ref: str | None, act: Act) -> Result:
    """``act`` on the locked charge (None when there is none) once per idempotency ``key``."""
    if not 0 < len(key) <= 200:
        raise ValueError("idempotency_key must be 1 to 200 characters")
    try:
        return _run(key=key, operation=operation, request=request, provider_ref=provider_ref, act=act)
    except IntegrityError:
        # Two first calls with one key raced (an authorization has no charge to queue on): the loser's
        # transaction is gone, and it answers what the winner recorded.
        done = TestOperation.objects.filter(key=key).first()
        if done is None:
            raise
        return _replay(done, operation, request)


def _run(*, key: str, operation: str, request: dict[str, Any], provider_ref: str | None, act: Act) -> Result:
    with transaction.atomic():
        # The lock before the key is looked up: repeats of a key on one charge queue here, and the later one
        # finds the earlier one's answer.
        charge = None
        if provider_ref is not None:
            charge = TestCharge.objects.select_for_update().filter(provider_ref=provider_ref).first()
        done = TestOperation.objects.filter(key=key).first()
        if done is not None:
            return _replay(done, operation, request)
        result = act(charge)
        record = TestOperation(key=key, operation=operation, request=request, result=result)
        record.full_clean(validate_unique=False)  # the insert checks the key: a racing twin fails there
        record.save()
        return result


def _replay(done: TestOperation, operation: str, request: dict[str, Any]) -> Result:
    if (done.operation, done.request) != (operation, request):
        raise IdempotencyConflict(
            f"idempotency key {done.key!r} was used for {done.operation} {done.request}, not {operation} {request}"
        )
    return done.result


def authorize(*, behaviour: str | None, amount_fen: int, reference: str) -> Result:
    """A charge for every attempt, declined ones too (their reference shows in the payment's history)."""
    outcomes: dict[str, tuple[TestCharge.Status, str]] = {
        TestCharge.Behaviour.SUCCEEDS: (TestCharge.Status.AUTHORIZED, "authorized"),
        TestCharge.Behaviour.CAPTURE_FAILS: (TestCharge.Status.AUTHORIZED, "authorized"),
        TestCharge.Behaviour.EXPIRED: (TestCharge.Status.EXPIRED, "expired"),
        TestCharge.Behaviour.DECLINED: (TestCharge.Status.DECLINED, "declined"),
    }
    status, code = outcomes.get(behaviour or "", (TestCharge.Status.DECLINED, "not_a_test_card"))
    charge = TestCharge(
        provider_ref=f"tch_{secrets.token_hex(12)}",
        reference=reference,
        behaviour=behaviour or TestCharge.Behaviour.DECLINED,
        amount_fen=amount_fen,
        status=status,
    )
    charge.full_clean()
    charge.save()
    return {
        "status": str(status),
        "provider_ref": charge.provider_ref,
        "code": code,
        "params": {"amount": amount_fen},
    }


def missing(provider_ref: str) -> Result:
    return {
        "ok": False,
        "provider_ref": provider_ref,
        "code": "no_such_charge",
        "params": {"ref": provider_ref},
    }


def capture(charge: TestCharge, amount_fen: int) -> Result:
    if charge.status != TestCharge.Status.AUTHORIZED:
        return outcome(charge, "not_capturable", status=charge.status)
    if amount_fen > charge.amount_fen:
        return outcome(charge, "capture_too_much", amount=charge.amount_fen)
    if charge.behaviour == TestCharge.Behaviour.CAPTURE_FAILS:
        return outcome(charge, "capture_failed")
    charge.captured_fen, charge.status = amount_fen, TestCharge.Status.CAPTURED
    _save(charge, "captured_fen", "status")
    return outcome(charge, "captured", ok=True, amount=amount_fen)


def refund(charge: TestCharge, amount_fen: int) -> Result:
    if charge.status != TestCharge.Status.CAPTURED:
        return outcome(charge, "not_refundable", status=charge.status)
    available = charge.captured_fen - charge.refunded_fen
    if amount_fen > available:
        return outcome(charge, "refund_too_much", amount=available)
    charge.refunded_fen += amount_fen  # safe: the row is locked until this transaction ends
    _save(charge, "refunded_fen")
    return outcome(charge, "refunded", ok=True, amount=amount_fen)


def void(charge: TestCharge) -> Result:
    if charge.status != TestCharge.Status.AUTHORIZED:
        return outcome(charge, "not_voidable", status=charge.status)
    charge.status = TestCharge.Status.VOIDED
    _save(charge, "status")
    return outcome(charge, "voided", ok=True)


def _save(charge: TestCharge, *fields: str) -> None:
    charge.full_clean()
    charge.save(update_fields=fields)
