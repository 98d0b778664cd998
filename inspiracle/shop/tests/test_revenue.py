"""A creator's revenue (COM-5): balances, the month table in Beijing time with its chart and CSV export, and
payout requests below and above the threshold."""

import csv
import io
from datetime import UTC, date, datetime

import pytest
from django.utils import timezone

from inspiracle.shop import revenue
from inspiracle.shop.models import LedgerTransaction, Payout
from inspiracle.shop.services.orders import order_advance, order_refund
from inspiracle.shop.services.payouts import payout_settle
from inspiracle.shop.tests.test_orders import buy

pytestmark = pytest.mark.django_db


def deliver(order, ada):
    for step in ("produce", "ship", "deliver"):
        order = order_advance(staff=ada, order=order, step=step, tracking="SF1234567890")
    return order


def this_month() -> str:
    return timezone.localtime(timezone.now(), revenue.BEIJING).strftime("%Y-%m")


def test_the_revenue_page_shows_balances_the_month_and_a_chart_after_a_sale_and_its_delivery(
    on_sale, ana, ben, ada, client_for
):
    """REQ: COM-5
    GIVEN Ana's T-shirt at ¥200 (base cost ¥45) WHEN Ben buys one THEN her revenue shows ¥155 pending; once it
    is delivered, ¥155 available, and this month's row reads earned ¥155, released ¥155, with a bar chart."""
    order = buy(ben, on_sale(price_fen=200_00))
    client = client_for(ana)
    page = client.get("/shop/studio/revenue/").content.decode()
    assert "<dt>Pending (orders not yet delivered)</dt><dd>¥155.00</dd>" in page
    assert "<dt>Available</dt><dd><strong>¥0.00</strong></dd>" in page

    deliver(order, ada)
    page = client.get("/shop/studio/revenue/").content.decode()
    assert "<dt>Available</dt><dd><strong>¥155.00</strong></dd>" in page
    assert "<dt>Pending (orders not yet delivered)</dt><dd>¥0.00</dd>" in page
    row = f'<tr><th scope="row">{this_month()}</th><td>¥155.00</td><td>¥0.00</td><td>¥155.00</td><td>¥0.00</td></tr>'
    assert row in page
    assert '<svg viewBox="0 0 48 180"' in page and 'class="earned"' in page
    assert f"{this_month()}: earned ¥155.00" in page
    assert "Request a payout of ¥155.00" in page


def test_a_refund_shows_in_its_month_and_takes_the_margin_back(on_sale, ana, ben, ada):
    """REQ: COM-5"""
    order = deliver(buy(ben, on_sale()), ada)
    order_refund(staff=ada, order=order)
    (row,) = revenue.revenue_months(ana)
    assert (row.earned, row.released, row.refunded, row.paid_out) == (54_00, 54_00, 54_00, 0)


def test_months_are_beijing_months(on_sale, ana, ben, ada):
    """REQ: COM-5
    GIVEN a sale at 16:30 UTC on 31 March (00:30 on 1 April in Beijing) and its delivery at 15:59 UTC on
    30 April (23:59 in Beijing) THEN both count in April; May has nothing; the months run on to this month
    with zeros."""
    order = deliver(buy(ben, on_sale()), ada)
    LedgerTransaction.objects.filter(kind="sale").update(created_at=datetime(2025, 3, 31, 16, 30, tzinfo=UTC))
    LedgerTransaction.objects.filter(kind="release").update(
        created_at=datetime(2025, 4, 30, 15, 59, tzinfo=UTC)
    )
    rows = revenue.revenue_months(ana)
    assert rows[0] == revenue.MonthRow(month=date(2025, 4, 1), earned=54_00, released=54_00)
    assert rows[1] == revenue.MonthRow(month=date(2025, 5, 1))
    assert rows[-1].label == this_month() and order.status == "delivered"
    assert len({row.month for row in rows}) == len(rows)


def test_the_csv_holds_the_same_table_with_a_bom_for_excel(on_sale, ana, ben, ada, client_for):
    """REQ: COM-5"""
    payout_settle(
        staff=ada, payout=_payout(ana, deliver(buy(ben, on_sale(price_fen=200_00)), ada), client_for)
    )
    answer = client_for(ana).get("/shop/studio/revenue.csv")
    assert answer.status_code == 200 and answer["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="revenue.csv"' in answer["Content-Disposition"]
    raw = answer.content
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["Month", "Earned (CNY)", "Refunded (CNY)", "Released (CNY)", "Paid out (CNY)"]
    assert len(rows) == 2
    assert rows[1] == [this_month(), "155.00", "0.00", "155.00", "155.00"]


def _payout(ana, order, client_for) -> Payout:
    assert order.status == "delivered"
    client_for(ana).post("/shop/studio/payouts/")
    return Payout.objects.get(creator=ana)


def test_a_payout_is_refused_below_the_threshold_and_recorded_above_it(on_sale, ana, ben, ada, client_for):
    """REQ: COM-5
    GIVEN Ana's ¥54 available (below the ¥100 threshold) WHEN she asks for a payout THEN she is told why and
    nothing is recorded; with ¥155 more available, the payout of ¥209 is listed as requested and later as
    paid."""
    client = client_for(ana)
    deliver(buy(ben, on_sale()), ada)
    refused = client.post("/shop/studio/payouts/", follow=True)
    assert refused.redirect_chain[-1][0] == "/shop/studio/revenue/"
    assert (
        "A payout can be asked for from ¥100.00 of available balance; you have ¥54.00."
        in refused.content.decode()
    )
    assert not Payout.objects.exists()

    deliver(buy(ben, on_sale(price_fen=200_00), attempt="b"), ada)
    asked = client.post("/shop/studio/payouts/", follow=True).content.decode()
    assert "You asked for a payout of ¥209.00" in asked
    assert "<dt>Payout requested</dt><dd>¥209.00</dd>" in asked and "Requested" in asked
    payout_settle(staff=ada, payout=Payout.objects.get())
    page = client.get("/shop/studio/revenue/").content.decode()
    assert "<dt>Paid out</dt><dd>¥209.00</dd>" in page and "paid " in page
    assert client.get("/shop/studio/payouts/").status_code == 405


def test_the_chart_scales_to_the_best_month_and_is_absent_before_any_sale(ana):
    assert revenue.revenue_chart([]) is None
    rows = [
        revenue.MonthRow(month=date(2025, 1, 1), earned=100_00),
        revenue.MonthRow(month=date(2025, 2, 1), earned=50_00, paid_out=100_00),
    ]
    chart = revenue.revenue_chart(rows)
    assert chart is not None and chart.top == "¥100.00" and chart.width == 2 * revenue.GROUP
    heights = [(bar.series, bar.height) for bar in chart.bars]
    assert heights == [("earned", 150), ("paid_out", 0), ("earned", 75), ("paid_out", 150)]
    assert all(bar.y + bar.height == chart.baseline for bar in chart.bars)
