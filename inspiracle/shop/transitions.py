"""The one owner of ``Product.status`` and ``Order.status``: every change is a named transition of these tables,
with its ``<event>_at``/``_by`` fields and its audit event, written by ``shop_transition`` alone."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inspiracle.accounts.models import User
from inspiracle.audit.services import audit_record
from inspiracle.core.errors import ApplicationError
from inspiracle.core.generations import generation_bump
from inspiracle.shop.models import Order, Product

NOW, BY = object(), object()  # in ``sets``: the transition's moment, the user making it


@dataclass(frozen=True)
class Transition:
    model: type[Product] | type[Order]
    sources: frozenset[str]
    target: str
    action: str
    sets: tuple[tuple[str, Any], ...]


def _t(
    model: type[Product] | type[Order], sources: Iterable[str], target: str, action: str, **sets: Any
) -> Transition:
    return Transition(model, frozenset(sources), target, action, tuple(sets.items()))


P, OS = Product.Status, Order.Status
# Review (COM-4): like works, a product is in the shop only once a moderator approved it.
PRODUCT_APPROVE = _t(Product, [P.PENDING], P.APPROVED, "shop.product_approved", decided_at=NOW, decided_by=BY)
PRODUCT_REJECT = _t(Product, [P.PENDING], P.REJECTED, "shop.product_rejected", decided_at=NOW, decided_by=BY)
PRODUCT_WITHDRAW = _t(
    Product, [P.PENDING, P.APPROVED], P.WITHDRAWN, "shop.product_withdrawn", withdrawn_at=NOW, withdrawn_by=BY
)
# Orders (COM-5): paid by the provider's answer or webhook; production and shipping moved by operations staff.
ORDER_PAY = _t(Order, [OS.PLACED], OS.PAID, "shop.order_paid", paid_at=NOW)
ORDER_START_PRODUCTION = _t(
    Order, [OS.PAID], OS.IN_PRODUCTION, "shop.order_in_production", in_production_at=NOW, in_production_by=BY
)
ORDER_SHIP = _t(Order, [OS.IN_PRODUCTION], OS.SHIPPED, "shop.order_shipped", shipped_at=NOW, shipped_by=BY)
ORDER_DELIVER = _t(
    Order, [OS.SHIPPED], OS.DELIVERED, "shop.order_delivered", delivered_at=NOW, delivered_by=BY
)
ORDER_CANCEL = _t(Order, [OS.PLACED], OS.CANCELLED, "shop.order_cancelled", cancelled_at=NOW, cancelled_by=BY)
ORDER_REFUND = _t(
    Order,
    [OS.PAID, OS.IN_PRODUCTION, OS.SHIPPED, OS.DELIVERED],
    OS.REFUNDED,
    "shop.order_refunded",
    refunded_at=NOW,
    refunded_by=BY,
)


def shop_transition(
    *,
    obj: Product | Order,
    transition: Transition,
    by: User | None = None,
    now: datetime | None = None,
    reason: str = "",
    data: dict[str, Any] | None = None,
) -> None:
    """Move ``obj`` along ``transition`` (409 if it may not start from its status), save it and write the audit
    event. Call it inside the caller's transaction with the row locked (``select_for_update``)."""
    assert isinstance(obj, transition.model)
    if obj.status not in transition.sources:
        raise ApplicationError(
            _("This cannot be done while it is “%(status)s”; reload the page to see its current state.")
            % {"status": obj.get_status_display()},
            code="invalid_state",
            status=409,
        )
    now = now or timezone.now()
    for name, value in transition.sets:
        setattr(obj, name, now if value is NOW else by if value is BY else value)
    obj.status = transition.target
    obj.save()
    if isinstance(obj, Product):
        generation_bump("products")  # the shop's cached cards (views/public.py)
    audit_record(
        action=transition.action, actor=by, target=obj, target_label=obj.reference, reason=reason, data=data
    )
