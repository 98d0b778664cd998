"""Payments that race (COM-5): real threads, each with its own database connection, released together. On
SQLite the IMMEDIATE transactions queue them, on PostgreSQL the charge's row lock and the unique idempotency
key do. Whatever the interleaving, no more is refunded than was captured and a key moves money once."""

import pytest

from inspiracle.core.testing import fire_parallel
from inspiracle.payments.models import ReceivedWebhook, TestCharge, TestOperation
from inspiracle.payments.providers.test import webhook_for
from inspiracle.payments.services import webhook_receive
from inspiracle.payments.tests.conftest import SUCCEEDS

pytestmark = pytest.mark.django_db(transaction=True)


def test_forty_parallel_refunds_never_exceed_the_captured_amount(provider, captured):
    """REQ: COM-5"""
    ref = captured(10_000)
    answers = []

    def refund(n: int) -> None:
        answers.append(provider.refund(provider_ref=ref, amount_fen=1_000, idempotency_key=f"refund-{n}"))

    assert fire_parallel(refund) == ["passed"] * 40
    assert sum(answer.ok for answer in answers) == 10
    assert TestCharge.objects.get(provider_ref=ref).refunded_fen == 10_000


def test_forty_parallel_captures_with_one_key_capture_once_and_all_get_the_same_answer(provider, authorized):
    """REQ: COM-5"""
    ref = authorized(10_000)
    answers = []

    def capture(_n: int) -> None:
        answers.append(provider.capture(provider_ref=ref, amount_fen=10_000, idempotency_key="double-click"))

    assert fire_parallel(capture) == ["passed"] * 40
    assert answers[0].ok and answers == [answers[0]] * 40
    assert TestOperation.objects.filter(operation="capture").count() == 1


def test_forty_parallel_authorizations_with_one_key_make_one_charge(provider):
    """REQ: COM-5 — there is no charge to queue on yet: the unique key decides."""
    answers = []

    def authorize(_n: int) -> None:
        answers.append(
            provider.authorize(
                amount_fen=500, currency="CNY", reference="ORD-9", card=SUCCEEDS, idempotency_key="order-9"
            )
        )

    assert fire_parallel(authorize) == ["passed"] * 40
    assert answers[0].status == "authorized" and answers == [answers[0]] * 40
    assert TestCharge.objects.count() == 1


def test_forty_parallel_deliveries_of_one_event_are_processed_once(handled):
    """REQ: COM-5 — a provider that retries while the first delivery is still being handled."""
    body, headers = webhook_for(type="payment.captured", provider_ref="tch_1", amount_fen=100)
    receipts = []

    def deliver(_n: int) -> None:
        receipts.append(webhook_receive(provider_name="test", body=body, headers=headers).status)

    assert fire_parallel(deliver) == ["passed"] * 40
    assert sorted(receipts) == ["duplicate"] * 39 + ["processed"]
    assert len(handled) == 1 and ReceivedWebhook.objects.count() == 1
