import random

import pytest

from inspiracle.core.errors import ApplicationError
from inspiracle.payments.providers.base import ProviderUnavailable
from inspiracle.payments.providers.test import TestProvider, webhook_for
from inspiracle.payments.services import webhook_receive
from inspiracle.shop import ledger
from inspiracle.shop.models import LedgerEntry, LedgerTransaction, Order, Payment
from inspiracle.shop.services.cart import cart_add
from inspiracle.shop.services.orders import order_advance, order_pay, order_place, order_refund
from inspiracle.shop.services.payouts import payout_request, payout_settle
from inspiracle.shop.tests.conftest import ADDRESS, CAPTURE_FAILS_CARD, DECLINED_CARD, EXPIRED_CARD, GOOD_CARD
from inspiracle.works.transitions import TAKE_DOWN, work_transition


def add_to_cart(buyer, product, *, quantity=1):
    variant = product.variants.order_by("pk")[0]
    cart_add(
        user=buyer,
        session_key="",
        product_reference=product.reference,
        variant_id=variant.pk,
        quantity=quantity,
    )


def buy(buyer, product, *, quantity=1, card=GOOD_CARD, attempt="a1"):
    add_to_cart(buyer, product, quantity=quantity)
    order = order_place(buyer=buyer, address=ADDRESS)
    order_pay(buyer=buyer, order=order, card=card, attempt=attempt)
    order.refresh_from_db()
    return order


def assert_balanced():
    sums = ledger.account_sums()
    assert sum(sums.values()) == 0, sums
    for posted in LedgerTransaction.objects.all():
        assert sum(e.amount_fen for e in posted.entries.all()) == 0, posted.key


def test_a_paid_order_posts_the_sale_base_cost_to_the_platform_and_the_margin_to_the_maker(on_sale, ben, ana):
    """REQ: COM-5
    GIVEN an approved T-shirt at ¥99 (base cost ¥45) WHEN Ben buys two with the test card THEN the order is paid
    and the ledger holds ¥198 at the provider, ¥90 platform revenue and ¥108 pending for Ana."""
    product = on_sale()
    order = buy(ben, product, quantity=2)
    assert order.status == Order.Status.PAID and order.total_fen == 198_00
    sums = ledger.account_sums()
    assert sums["provider:-"] == 198_00 and sums["platform:-"] == -90_00
    assert ledger.balances_for(ana) == ledger.Balances(pending=108_00, available=0, requested=0, paid=0)
    assert_balanced()


@pytest.mark.parametrize("card", [DECLINED_CARD, EXPIRED_CARD, CAPTURE_FAILS_CARD])
def test_a_refused_card_leaves_the_order_unpaid_and_the_ledger_untouched(on_sale, ben, card):
    """REQ: COM-5"""
    product = on_sale()
    add_to_cart(ben, product, quantity=1)
    order = order_place(buyer=ben, address=ADDRESS)
    with pytest.raises(ApplicationError) as refused:
        order_pay(buyer=ben, order=order, card=card, attempt="x")
    assert refused.value.status == 402 and "card" in str(refused.value.message).lower()
    order.refresh_from_db()
    assert order.status == Order.Status.PLACED
    assert not LedgerEntry.objects.exists()
    # The buyer can try again with another card.
    order_pay(buyer=ben, order=order, card=GOOD_CARD, attempt="y")
    order.refresh_from_db()
    assert order.status == Order.Status.PAID


def test_pay_pressed_twice_takes_the_money_once(on_sale, ben):
    product = on_sale()
    order = buy(ben, product)
    with pytest.raises(ApplicationError) as again:
        order_pay(buyer=ben, order=order, card=GOOD_CARD, attempt="a1")
    assert again.value.status == 409
    assert Payment.objects.filter(order=order, status=Payment.Status.CAPTURED).count() == 1
    assert LedgerTransaction.objects.filter(kind="sale").count() == 1


def test_delivery_makes_the_margin_available_and_a_payout_moves_it_out(on_sale, ben, ana, ada):
    """REQ: COM-5"""
    product = on_sale(price_fen=200_00)
    order = buy(ben, product)
    for step in ("produce", "ship", "deliver"):
        order = order_advance(staff=ada, order=order, step=step, tracking="SF1234567890")
    assert ledger.balances_for(ana).available == 155_00
    payout = payout_request(creator=ana)
    assert ledger.balances_for(ana) == ledger.Balances(pending=0, available=0, requested=155_00, paid=0)
    payout_settle(staff=ada, payout=payout)
    assert ledger.balances_for(ana) == ledger.Balances(pending=0, available=0, requested=0, paid=155_00)
    assert_balanced()


def test_a_refund_reverses_the_sale(on_sale, ben, ana, ada):
    product = on_sale()
    order = buy(ben, product)
    order_refund(staff=ada, order=order)
    order.refresh_from_db()
    assert order.status == Order.Status.REFUNDED
    assert all(total == 0 for total in ledger.account_sums().values())
    with pytest.raises(ApplicationError):
        order_refund(staff=ada, order=order)


def test_a_taken_down_work_cannot_be_bought_any_more(on_sale, ben, mo):
    """REQ: COM-4"""
    product = on_sale()
    add_to_cart(ben, product, quantity=1)
    work = product.work
    work_transition(work=work, transition=TAKE_DOWN, by=mo)
    with pytest.raises(ApplicationError) as refused:
        order_place(buyer=ben, address=ADDRESS)
    assert refused.value.code == "not_buyable"


def _webhook(type_, payment, amount=None, event_id=None):
    body, headers = webhook_for(
        type=type_,
        provider_ref=payment.provider_ref,
        amount_fen=amount or payment.amount_fen,
        event_id=event_id,
    )
    return webhook_receive(provider_name="test", body=body, headers=headers)


def test_webhooks_replayed_unknown_or_oversized_leave_the_ledger_balanced_and_the_order_in_one_state(
    on_sale, ben, ada, settings
):
    """REQ: COM-5
    GIVEN paid orders WHEN a random sequence of provider webhooks (replays, unknown payments, refunds larger than
    the payment), staff refunds and deliveries arrives THEN every transaction balances, the whole ledger sums to
    zero and each order has exactly one state consistent with its payment."""
    rng = random.Random(7)
    product = on_sale()
    orders = [buy(ben, product, attempt=f"o{n}") for n in range(4)]
    for step in range(30):
        order = rng.choice(orders)
        order.refresh_from_db()
        payment = order.payments.get(status=Payment.Status.CAPTURED)
        move = rng.choice(
            ["refund_hook", "refund_hook_again", "too_big", "unknown", "captured", "staff_refund", "deliver"]
        )
        try:
            if move in ("refund_hook", "refund_hook_again"):
                _webhook("payment.refunded", payment, event_id=f"ev-{order.pk}")
            elif move == "too_big":
                _webhook("payment.refunded", payment, amount=payment.amount_fen + 1, event_id=f"big-{step}")
            elif move == "unknown":
                body, headers = webhook_for(type="payment.captured", provider_ref="tp_nobody", amount_fen=100)
                webhook_receive(provider_name="test", body=body, headers=headers)
            elif move == "captured":
                _webhook("payment.captured", payment, event_id=f"cap-{step}")
            elif move == "staff_refund":
                order_refund(staff=ada, order=order)
            else:
                for advance in ("produce", "ship", "deliver"):
                    order_advance(staff=ada, order=order, step=advance, tracking="T1")
        except ApplicationError:
            pass
        assert_balanced()
    for order in orders:
        order.refresh_from_db()
        refunds = LedgerTransaction.objects.filter(key=f"refund:{order.pk}").count()
        assert refunds == (1 if order.status == Order.Status.REFUNDED else 0)
        assert LedgerTransaction.objects.filter(key=f"sale:{order.pk}").count() == 1


class UnreachableProvider(TestProvider):
    """The test provider behind a network that is down."""

    def authorize(self, **kwargs):
        raise ProviderUnavailable("connection refused")


def test_an_unreachable_provider_records_nothing_and_says_to_try_again(on_sale, ben, settings):
    """REQ: COM-5"""
    product = on_sale()
    add_to_cart(ben, product)
    order = order_place(buyer=ben, address=ADDRESS)
    settings.PAYMENT_PROVIDER = f"{__name__}.UnreachableProvider"
    with pytest.raises(ApplicationError) as refused:
        order_pay(buyer=ben, order=order, card=GOOD_CARD, attempt="down")
    assert refused.value.status == 503 and refused.value.code == "provider_unavailable"
    assert not Payment.objects.filter(order=order).exists()
    settings.PAYMENT_PROVIDER = "inspiracle.payments.providers.test.TestProvider"
    order_pay(buyer=ben, order=order, card=GOOD_CARD, attempt="down")
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
