"""A creator's revenue, read from the ledger (COM-5): the month table, its chart and CSV, their sales and payouts.

Months are Beijing calendar months: a sale at 00:30 on the 1st in Beijing belongs to that month, whatever the
server's clock says. Amounts stay integer fen until they are written out as yuan.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from django.db.models import QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from inspiracle.accounts.models import User
from inspiracle.shop.models import (
    LedgerAccount,
    LedgerEntry,
    LedgerTransaction,
    Order,
    OrderLine,
    Payout,
    Product,
    Variant,
)
from inspiracle.shop.templatetags.shop_money import fen_text

BEIJING = ZoneInfo("Asia/Shanghai")
CHART_MONTHS = 12

Kind = LedgerAccount.Kind
Posting = LedgerTransaction.Kind


@dataclass(frozen=True)
class MonthRow:
    """One Beijing calendar month of a creator's ledger, in fen: margins earned on paid orders, margins taken
    back by refunds, margins made available by deliveries, and payouts settled."""

    month: date  # the 1st
    earned: int = 0
    refunded: int = 0
    released: int = 0
    paid_out: int = 0

    @property
    def label(self) -> str:
        return self.month.strftime("%Y-%m")


# How a ledger entry on one of the creator's accounts counts in the month table: (posting, account) -> column
# and sign. The creator's accounts are credit-normal (what is owed to them is negative), so a sale's credit to
# "pending" is earned, a refund's debit is money taken back, and so on.
_COLUMNS: dict[tuple[str, str], tuple[str, int]] = {
    (Posting.SALE, Kind.PENDING): ("earned", -1),
    (Posting.REFUND, Kind.PENDING): ("refunded", 1),
    (Posting.REFUND, Kind.AVAILABLE): ("refunded", 1),
    (Posting.RELEASE, Kind.AVAILABLE): ("released", -1),
    (Posting.PAYOUT, Kind.PAYOUT): ("paid_out", 1),
}


def _months_between(first: date, last: date) -> list[date]:
    months, month = [], first
    while month <= last:
        months.append(month)
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return months


def revenue_months(creator: User) -> list[MonthRow]:
    """Every month from the creator's first ledger entry to this month, oldest first (months without
    movement as zeros, so that the chart's bars stand where their months are)."""
    sums = (
        LedgerEntry.objects.filter(account__owner=creator)
        .annotate(month=TruncMonth("transaction__created_at", tzinfo=BEIJING))
        .values_list("month", "transaction__kind", "account__kind")
        .annotate(total=Sum("amount_fen"))
        .order_by()
    )
    columns: dict[date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for moment, posting, account_kind, total in sums:
        column = _COLUMNS.get((posting, account_kind))
        if column is not None:
            columns[timezone.localtime(moment, BEIJING).date()][column[0]] += column[1] * total
    if not columns:
        return []
    this_month = timezone.localtime(timezone.now(), BEIJING).date().replace(day=1)
    months = _months_between(min(columns), max(max(columns), this_month))
    return [MonthRow(month=month, **columns.get(month, {})) for month in months]


def _plain_yuan(fen: int) -> str:
    """1230 -> "12.30": what a spreadsheet reads as a number (no currency sign, no thousands separator)."""
    whole, cents = divmod(abs(fen), 100)
    return f"{'-' if fen < 0 else ''}{whole}.{cents:02d}"


def revenue_csv_rows(rows: list[MonthRow]) -> list[list[str]]:
    """The month table as CSV cells: a header, then one line per month with amounts in yuan."""
    header = [_("Month"), _("Earned (CNY)"), _("Refunded (CNY)"), _("Released (CNY)"), _("Paid out (CNY)")]
    amounts = ("earned", "refunded", "released", "paid_out")
    return [header] + [[row.label, *(_plain_yuan(getattr(row, name)) for name in amounts)] for row in rows]


@dataclass(frozen=True)
class Bar:
    x: int
    y: int
    width: int
    height: int
    series: str  # "earned" or "paid_out": the CSS class that colours it
    title: str


@dataclass(frozen=True)
class Chart:
    """Bars of the last months as SVG geometry (a viewBox of ``width`` x ``height``), drawn by the template."""

    width: int
    height: int
    baseline: int
    bars: list[Bar]
    labels: list[tuple[int, str]]  # (x of the label's centre, "2025-03")
    top: str  # the amount at the top of the scale, "¥120.00"


CHART_HEIGHT, CHART_PLOT, GROUP, BAR, GAP = 180, 150, 48, 18, 4


def revenue_chart(rows: list[MonthRow]) -> Chart | None:
    """Earned and paid out per month, the last CHART_MONTHS months; None when nothing was ever earned."""
    shown = rows[-CHART_MONTHS:]
    top = max([max(row.earned, row.paid_out) for row in shown], default=0)
    if top <= 0:
        return None
    bars, labels = [], []
    for index, row in enumerate(shown):
        left = index * GROUP + (GROUP - 2 * BAR - GAP) // 2
        for offset, series, value, words in (
            (0, "earned", row.earned, _("%(month)s: earned %(amount)s")),
            (BAR + GAP, "paid_out", row.paid_out, _("%(month)s: paid out %(amount)s")),
        ):
            height = max(value, 0) * CHART_PLOT // top
            title = words % {"month": row.label, "amount": fen_text(value)}
            bars.append(Bar(left + offset, CHART_PLOT - height, BAR, height, series, title))
        labels.append((index * GROUP + GROUP // 2, row.label))
    return Chart(
        width=len(shown) * GROUP,
        height=CHART_HEIGHT,
        baseline=CHART_PLOT,
        bars=bars,
        labels=labels,
        top=fen_text(top),
    )


def payout_list_for_creator(creator: User) -> QuerySet[Payout]:
    return Payout.objects.filter(creator=creator)


@dataclass(frozen=True)
class SaleRow:
    """An order as the maker sees it: its reference, dates and status, and only their own lines (never the
    buyer's name or address)."""

    order: Order
    lines: list[OrderLine]

    @property
    def margin_fen(self) -> int:
        return sum(line.margin_fen for line in self.lines)


def sale_rows(orders) -> list[SaleRow]:
    """Rows of orders from ``selectors.order_list_for_maker`` (whose prefetch holds the maker's lines only)."""
    return [SaleRow(order=order, lines=list(order.lines.all())) for order in orders]


def variant_margins(product: Product) -> list[tuple[Variant, int]]:
    """Each of the product's variants with what its maker earns on one sold: the price minus its base cost."""
    return [(variant, product.price_fen - variant.base_cost_fen) for variant in product.variants.all()]
