"""The built-in test provider: its test cards, and the rules a real provider enforces on its side."""

import json

import pytest

from inspiracle.payments.models import TestCharge, TestOperation
from inspiracle.payments.providers.base import IdempotencyConflict
from inspiracle.payments.providers.test import TEST_CARDS
from inspiracle.payments.tests.conftest import CAPTURE_FAILS, DECLINED, EXPIRED, SUCCEEDS

pytestmark = pytest.mark.django_db


def authorize(provider, card, key="k1", amount_fen=5_000):
    return provider.authorize(
        amount_fen=amount_fen, currency="CNY", reference="ORD-1", card=card, idempotency_key=key
    )


def test_the_success_card_authorizes_and_captures(provider):
    """REQ: COM-5"""
    answer = authorize(provider, SUCCEEDS)
    assert answer.status == "authorized"
    outcome = provider.capture(provider_ref=answer.provider_ref, amount_fen=5_000, idempotency_key="c1")
    assert outcome.ok and outcome.message == "¥50.00 was captured."
    charge = TestCharge.objects.get(provider_ref=answer.provider_ref)
    assert (charge.status, charge.captured_fen) == ("captured", 5_000)


@pytest.mark.parametrize(
    ("card", "status", "words"),
    [(DECLINED, "declined", "was declined"), (EXPIRED, "expired", "has expired")],
)
def test_the_decline_and_expired_cards_are_refused_with_a_reason(provider, card, status, words):
    """REQ: COM-5"""
    answer = authorize(provider, card)
    assert answer.status == status and words in answer.message
    assert TestCharge.objects.get(provider_ref=answer.provider_ref).status == status
    refused = provider.capture(provider_ref=answer.provider_ref, amount_fen=5_000, idempotency_key="c1")
    assert not refused.ok and "only an authorized payment can be captured" in refused.message


def test_the_capture_failure_card_authorizes_but_its_capture_fails_and_it_can_be_voided(provider):
    """REQ: COM-5"""
    answer = authorize(provider, CAPTURE_FAILS)
    assert answer.status == "authorized"
    failed = provider.capture(provider_ref=answer.provider_ref, amount_fen=5_000, idempotency_key="c1")
    assert not failed.ok and "refused to capture" in failed.message
    assert provider.void(provider_ref=answer.provider_ref, idempotency_key="v1").ok
    assert TestCharge.objects.get(provider_ref=answer.provider_ref).captured_fen == 0


@pytest.mark.parametrize("card", ["4242-4242-4242-4242", "4242424242424242", " 4242 4242-4242 4242 "])
def test_card_numbers_may_be_typed_with_spaces_or_hyphens(provider, card):
    assert authorize(provider, card).status == "authorized"


@pytest.mark.parametrize("card", ["4111 1111 1111 1111", "", None, "4242 4242 4242 424"])
def test_any_other_number_is_declined_as_not_a_test_card(provider, card):
    answer = authorize(provider, card)
    assert answer.status == "declined" and "not a test card" in answer.message


def test_every_documented_test_card_behaves_as_its_label_says(provider):
    """REQ: COM-5 — the table the checkout page shows is the one the provider follows."""
    assert len(TEST_CARDS) == 4
    for n, (number, card) in enumerate(TEST_CARDS.items()):
        answer = authorize(provider, number, key=f"k{n}")
        assert TestCharge.objects.get(provider_ref=answer.provider_ref).behaviour == card.behaviour
        assert str(card.label)


def test_a_payment_is_captured_only_once_and_at_most_the_authorized_amount(provider, authorized):
    ref = authorized(10_000)
    too_much = provider.capture(provider_ref=ref, amount_fen=10_001, idempotency_key="c0")
    assert not too_much.ok and "Only ¥100.00 was authorized" in too_much.message
    assert provider.capture(provider_ref=ref, amount_fen=8_000, idempotency_key="c1").ok
    again = provider.capture(provider_ref=ref, amount_fen=2_000, idempotency_key="c2")
    assert not again.ok and "in the state “Captured”" in again.message
    assert TestCharge.objects.get(provider_ref=ref).captured_fen == 8_000


def test_a_refund_beyond_what_was_captured_and_not_yet_refunded_is_refused(provider, captured):
    ref = captured(10_000)
    assert provider.refund(provider_ref=ref, amount_fen=6_000, idempotency_key="r1").ok
    refused = provider.refund(provider_ref=ref, amount_fen=4_001, idempotency_key="r2")
    assert not refused.ok and refused.message == "Only ¥40.00 of this payment can still be refunded."
    assert provider.refund(provider_ref=ref, amount_fen=4_000, idempotency_key="r3").ok
    assert TestCharge.objects.get(provider_ref=ref).refunded_fen == 10_000


def test_an_authorized_payment_is_refunded_by_voiding_it_not_by_a_refund(provider, authorized):
    ref = authorized()
    assert not provider.refund(provider_ref=ref, amount_fen=100, idempotency_key="r1").ok
    assert provider.void(provider_ref=ref, idempotency_key="v1").ok
    after = provider.capture(provider_ref=ref, amount_fen=100, idempotency_key="c1")
    assert not after.ok and "in the state “Voided”" in after.message


def test_a_captured_payment_cannot_be_voided(provider, captured):
    refused = provider.void(provider_ref=captured(), idempotency_key="v1")
    assert not refused.ok and "Refund a captured one instead." in refused.message


def test_an_unknown_payment_is_a_refusal_not_an_error(provider):
    outcome = provider.capture(provider_ref="tch_nope", amount_fen=100, idempotency_key="c1")
    assert (outcome.ok, outcome.provider_ref) == (False, "tch_nope")


def test_repeating_an_idempotency_key_returns_the_first_answer_and_changes_nothing(provider, captured):
    """REQ: COM-5 — a double click or a retry after a timeout moves money once."""
    first = authorize(provider, SUCCEEDS, key="order-1-auth")
    assert authorize(provider, SUCCEEDS, key="order-1-auth") == first
    assert TestCharge.objects.count() == 1
    ref = captured(10_000)
    refunds = [
        provider.refund(provider_ref=ref, amount_fen=3_000, idempotency_key="order-2-r") for _ in range(3)
    ]
    assert refunds[0].ok and refunds == [refunds[0]] * 3
    assert TestCharge.objects.get(provider_ref=ref).refunded_fen == 3_000
    voids = [provider.void(provider_ref=first.provider_ref, idempotency_key="order-1-void") for _ in range(2)]
    assert voids[0].ok and voids[1] == voids[0]


def test_a_repeated_key_answers_the_first_result_even_when_it_was_a_refusal(provider, captured):
    ref = captured(1_000)
    first = provider.refund(provider_ref=ref, amount_fen=2_000, idempotency_key="r1")
    assert not first.ok
    assert provider.refund(provider_ref=ref, amount_fen=2_000, idempotency_key="r1") == first


def test_an_idempotency_key_reused_for_another_operation_or_amount_is_a_programming_error(provider, captured):
    ref = captured(10_000)
    provider.refund(provider_ref=ref, amount_fen=1_000, idempotency_key="r1")
    with pytest.raises(IdempotencyConflict):
        provider.refund(provider_ref=ref, amount_fen=2_000, idempotency_key="r1")
    with pytest.raises(IdempotencyConflict):
        provider.void(provider_ref=ref, idempotency_key="r1")


@pytest.mark.parametrize("amount", [0, -1, 1.5, True])
def test_amounts_are_whole_fen_above_zero(provider, amount):
    with pytest.raises(ValueError, match="amount_fen"):
        authorize(provider, SUCCEEDS, amount_fen=amount)


def test_only_yuan_are_accepted(provider):
    with pytest.raises(ValueError, match="CNY"):
        provider.authorize(amount_fen=100, currency="USD", reference="R", card=SUCCEEDS, idempotency_key="k")


def test_the_card_number_is_stored_nowhere(provider):
    """REQ: COM-5 — the provider keeps only the behaviour a test card stands for."""
    numbers = [*TEST_CARDS, "4111-1111-1111-1111"]
    for n, number in enumerate(numbers):
        ref = authorize(provider, number, key=f"a{n}").provider_ref
        provider.capture(provider_ref=ref, amount_fen=5_000, idempotency_key=f"c{n}")
        provider.refund(provider_ref=ref, amount_fen=1_000, idempotency_key=f"r{n}")
        provider.void(provider_ref=ref, idempotency_key=f"v{n}")
    stored = [
        json.dumps(row, default=str)
        for model in (TestCharge, TestOperation)
        for row in model.objects.values()
    ]
    assert len(stored) == 5 + 4 * 5
    digits = [number.replace(" ", "").replace("-", "") for number in numbers]
    for text in stored:
        flat = text.replace(" ", "").replace("-", "")
        assert not any(d in flat for d in digits), text
