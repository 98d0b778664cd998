"""The same shop request many times at once (COM-5): real threads, each with its own database connection,
released together. However many arrive, an order is paid once, refunded once and a balance is paid out once,
and the ledger still balances."""

import pytest

from inspiracle.agreements.services import DEFAULTS_DIR, agreements_load_directory
from inspiracle.core.testing import fire_parallel
from inspiracle.shop import ledger
from inspiracle.shop.models import LedgerTransaction, Order, Payment, Payout
from inspiracle.shop.services.orders import order_advance, order_pay, order_place, order_refund
from inspiracle.shop.services.payouts import payout_request
from inspiracle.shop.tests.conftest import ADDRESS, GOOD_CARD
from inspiracle.shop.tests.test_orders import add_to_cart

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def agreements(transactional_db):
    """The cast's agreements, committed: the threads read them through their own connections."""
    return agreements_load_directory(directory=DEFAULTS_DIR)


def _placed(buyer, product) -> Order:
    add_to_cart(buyer, product)
    return order_place(buyer=buyer, address=ADDRESS)


def test_forty_presses_of_pay_at_once_take_the_money_once(on_sale, ben):
    """REQ: COM-5"""
    order = _placed(ben, on_sale())
    outcomes = fire_parallel(
        lambda n: order_pay(buyer=ben, order=order, card=GOOD_CARD, attempt=f"press-{n}")
    )
    assert outcomes.count("passed") == 1 and outcomes.count("refused") == 39
    assert Payment.objects.filter(order=order, status=Payment.Status.CAPTURED).count() == 1
    assert LedgerTransaction.objects.filter(kind="sale").count() == 1
    assert sum(ledger.account_sums().values()) == 0


def test_forty_refunds_at_once_refund_once_and_forty_payout_requests_ask_once(
    on_sale, ben, ana, ada, settings
):
    """REQ: COM-5"""
    settings.SHOP_PAYOUT_MIN_FEN = 10_00
    product = on_sale()
    refunded, delivered = _placed(ben, product), _placed(ben, product)
    for order in (refunded, delivered):
        order_pay(buyer=ben, order=order, card=GOOD_CARD, attempt="once")
    for step in ("produce", "ship", "deliver"):
        order_advance(staff=ada, order=delivered, step=step, tracking="SF1")

    outcomes = fire_parallel(lambda n: order_refund(staff=ada, order=refunded))
    assert outcomes.count("passed") == 1
    assert LedgerTransaction.objects.filter(kind="refund").count() == 1

    outcomes = fire_parallel(lambda n: payout_request(creator=ana))
    assert outcomes.count("passed") == 1
    assert Payout.objects.get().amount_fen == ledger.balances_for(ana).requested == 54_00
    assert sum(ledger.account_sums().values()) == 0
