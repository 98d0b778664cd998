"""The revenue ledger (COM-5): double entry in integer fen. Every transaction's entries sum to zero, nothing is
edited, and each posting has a key so that it happens once (a replayed webhook or a double click adds nothing).

Debits are positive, credits negative. The accounts and what moves between them:

- sale:            provider +total | platform -base costs | each maker's pending -their margin
- release:         (the order is delivered) each maker's pending +margin | available -margin
- refund:          the sale's entries reversed; a margin already released comes back out of "available"
- payout request:  maker's available +amount | payout -amount
- payout settled:  maker's payout +amount | provider -amount (the money leaves the platform)
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Sum

from inspiracle.accounts.models import User
from inspiracle.shop.models import LedgerAccount, LedgerEntry, LedgerTransaction, Order, Payout

Kind = LedgerAccount.Kind


class UnbalancedPosting(ValueError):
    """A programming error: a transaction whose entries do not sum to zero is never written."""


def account(kind: str, owner: User | None = None) -> LedgerAccount:
    found, _created = LedgerAccount.objects.get_or_create(kind=kind, owner=owner)
    return found


def post(
    *,
    key: str,
    kind: str,
    entries: Iterable[tuple[LedgerAccount, int]],
    order: Order | None = None,
    payout: Payout | None = None,
) -> LedgerTransaction | None:
    """Write one balanced transaction, or nothing if ``key`` was posted before (then None)."""
    merged: dict[LedgerAccount, int] = defaultdict(int)
    for acc, amount in entries:
        merged[acc] += amount
    lines = [(acc, amount) for acc, amount in merged.items() if amount]
    if sum(amount for _acc, amount in lines) != 0 or not lines:
        raise UnbalancedPosting(f"{key}: {[(str(acc), amount) for acc, amount in lines]}")
    if LedgerTransaction.objects.filter(key=key).exists():
        return None
    try:
        # The savepoint: when a parallel request posted the same key first, only this insert rolls back.
        with transaction.atomic():
            posted = LedgerTransaction.objects.create(key=key, kind=kind, order=order, payout=payout)
    except IntegrityError:
        return None
    LedgerEntry.objects.bulk_create(
        LedgerEntry(transaction=posted, account=acc, amount_fen=amount) for acc, amount in lines
    )
    return posted


def _margins(order: Order) -> dict[User, int]:
    margins: dict[User, int] = defaultdict(int)
    for line in order.lines.select_related("maker"):
        margins[line.maker] += line.margin_fen
    return margins


def _sale_entries(order: Order) -> list[tuple[LedgerAccount, int]]:
    lines = list(order.lines.all())
    entries = [
        (account(Kind.PROVIDER), order.total_fen),
        (account(Kind.PLATFORM), -sum(line.base_cost_fen for line in lines)),
    ]
    entries += [(account(Kind.PENDING, maker), -margin) for maker, margin in _margins(order).items()]
    return entries


def post_sale(order: Order) -> None:
    post(key=f"sale:{order.pk}", kind=LedgerTransaction.Kind.SALE, entries=_sale_entries(order), order=order)


def post_release(order: Order) -> None:
    entries: list[tuple[LedgerAccount, int]] = []
    for maker, margin in _margins(order).items():
        entries += [(account(Kind.PENDING, maker), margin), (account(Kind.AVAILABLE, maker), -margin)]
    post(key=f"release:{order.pk}", kind=LedgerTransaction.Kind.RELEASE, entries=entries, order=order)


def post_refund(order: Order) -> None:
    released = LedgerTransaction.objects.filter(key=f"release:{order.pk}").exists()
    entries = []
    for acc, amount in _sale_entries(order):
        if released and acc.kind == Kind.PENDING:
            acc = account(Kind.AVAILABLE, acc.owner)
        entries.append((acc, -amount))
    post(key=f"refund:{order.pk}", kind=LedgerTransaction.Kind.REFUND, entries=entries, order=order)


def post_payout_request(payout: Payout) -> None:
    creator = payout.creator
    post(
        key=f"payout-request:{payout.pk}",
        kind=LedgerTransaction.Kind.PAYOUT_REQUEST,
        entries=[
            (account(Kind.AVAILABLE, creator), payout.amount_fen),
            (account(Kind.PAYOUT, creator), -payout.amount_fen),
        ],
        payout=payout,
    )


def post_payout_settled(payout: Payout) -> None:
    post(
        key=f"payout:{payout.pk}",
        kind=LedgerTransaction.Kind.PAYOUT,
        entries=[
            (account(Kind.PAYOUT, payout.creator), payout.amount_fen),
            (account(Kind.PROVIDER), -payout.amount_fen),
        ],
        payout=payout,
    )


@dataclass(frozen=True)
class Balances:
    """What a creator is owed, in fen: earned on undelivered orders, free to pay out, asked for, and paid."""

    pending: int
    available: int
    requested: int
    paid: int


def balances_for(creator: User) -> Balances:
    # Accounts of a creator are credit-normal: what is owed to them is the negated sum of their entries.
    sums = dict(
        LedgerEntry.objects.filter(account__owner=creator)
        .values_list("account__kind")
        .annotate(total=Sum("amount_fen"))
        .values_list("account__kind", "total")
    )
    paid = Payout.objects.filter(creator=creator, status=Payout.Status.SETTLED).aggregate(
        total=Sum("amount_fen")
    )
    return Balances(
        pending=-(sums.get(Kind.PENDING) or 0),
        available=-(sums.get(Kind.AVAILABLE) or 0),
        requested=-(sums.get(Kind.PAYOUT) or 0),
        paid=paid["total"] or 0,
    )


def account_sums() -> dict[str, int]:
    """Every account's balance: the whole ledger sums to zero (a test checks this after any sequence)."""
    rows = LedgerEntry.objects.values_list("account__kind", "account__owner").annotate(
        total=Sum("amount_fen")
    )
    return {f"{kind}:{owner or '-'}": total for kind, owner, total in rows}
