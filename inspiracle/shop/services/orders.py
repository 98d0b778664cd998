"""Orders (COM-5): placing from the cart, paying through the configured provider, the provider's webhooks, and
operations staff moving an order through production, shipping, delivery or a refund. Every money movement is
posted to the ledger in the transaction that changes the order."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from inspiracle.accounts.models import User
from inspiracle.accounts.permissions import SHOP_OPERATIONS, require_capability
from inspiracle.audit.services import audit_record
from inspiracle.core.errors import ApplicationError
from inspiracle.core.references import new_reference
from inspiracle.notifications.services import notify
from inspiracle.payments.providers.base import ProviderUnavailable, WebhookEvent
from inspiracle.payments.registry import provider
from inspiracle.shop import ledger, transitions
from inspiracle.shop.models import CartLine, Order, OrderLine, Payment
from inspiracle.shop.selectors import buyable_problem

CURRENCY = "CNY"


@dataclass(frozen=True)
class Address:
    name: str
    phone: str
    address: str


def _address_problems(address: Address) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    for field, value, limit in (
        ("name", address.name, 60),
        ("phone", address.phone, 30),
        ("address", address.address, 300),
    ):
        text = value.strip()
        if not text:
            problems[field] = [_("Required for the delivery.")]
        elif len(text) > limit or "\x00" in text:
            problems[field] = [_("At most %(n)d characters.") % {"n": limit}]
    return problems


def order_place(*, buyer: User, address: Address) -> Order:
    """Turn the buyer's cart into an order awaiting payment; the cart empties."""
    problems = _address_problems(address)
    if problems:
        raise ApplicationError(
            _("The shipping address is incomplete; fill in the marked fields."),
            code="invalid",
            fields=problems,
        )
    with transaction.atomic():
        lines = list(
            CartLine.objects.select_for_update()
            .filter(user=buyer)
            .select_related("product__work", "variant", "product__maker")
        )
        if not lines:
            raise ApplicationError(_("Your cart is empty."), code="cart_empty", status=409)
        for line in lines:
            problem = buyable_problem(line.product, line.variant)
            if problem:
                raise ApplicationError(problem, code="not_buyable", status=409)
        order = Order(
            reference=new_reference(Order, "O-"),
            buyer=buyer,
            total_fen=sum(line.product.price_fen * line.quantity for line in lines),
            ship_name=address.name.strip(),
            ship_phone=address.phone.strip(),
            ship_address=address.address.strip(),
        )
        order.full_clean()
        order.save()
        OrderLine.objects.bulk_create(
            OrderLine(
                order=order,
                product=line.product,
                variant=line.variant,
                maker=line.product.maker,
                quantity=line.quantity,
                unit_price_fen=line.product.price_fen,
                unit_base_cost_fen=line.variant.base_cost_fen,
            )
            for line in lines
        )
        CartLine.objects.filter(pk__in=[line.pk for line in lines]).delete()
        audit_record(action="shop.order_placed", actor=buyer, target=order, target_label=order.reference)
    return order


def _yuan(fen: int) -> str:
    return f"{fen / 100:.2f}"


def _tell_buyer(order: Order, template: str, **params: object) -> None:
    notify(
        user=order.buyer,
        template=template,
        params={"reference": order.reference, "total": _yuan(order.total_fen), **params},
        link=reverse("shop:order", args=[order.reference]),
    )


def _tell_makers(order: Order) -> None:
    sold: dict[User, list[OrderLine]] = {}
    for line in order.lines.select_related("maker"):
        sold.setdefault(line.maker, []).append(line)
    for maker, lines in sold.items():
        notify(
            user=maker,
            template="shop_order_sold",
            params={
                "reference": order.reference,
                "count": sum(line.quantity for line in lines),
                "margin": _yuan(sum(line.margin_fen for line in lines)),
            },
            link=reverse("shop_studio:sales"),
        )


def _locked(order: Order) -> Order:
    return Order.objects.select_for_update().get(pk=order.pk)


def _paid(order: Order, payment: Payment) -> None:
    payment.status, payment.captured_at = Payment.Status.CAPTURED, timezone.now()
    payment.save()
    transitions.shop_transition(obj=order, transition=transitions.ORDER_PAY, data={"payment": payment.pk})
    ledger.post_sale(order)
    _tell_buyer(order, "shop_order_paid")
    _tell_makers(order)


@contextmanager
def _provider_reachable() -> Iterator[None]:
    """A provider that cannot be reached: the transaction rolls back (nothing is recorded as paid or refunded)
    and the person is told to try again; the same attempt key makes the retry safe."""
    try:
        yield
    except ProviderUnavailable:
        raise ApplicationError(
            _(
                "The payment provider cannot be reached just now; nothing was charged or refunded. Try again in "
                "a minute."
            ),
            code="provider_unavailable",
            status=503,
        ) from None


def order_pay(*, buyer: User, order: Order, card: str | None, attempt: str) -> Payment:
    """Authorize and capture the order's total. ``attempt`` identifies one press of "pay": the same attempt
    sent twice (a double click, a retry) reaches the provider as one operation."""
    gateway = provider()
    with _provider_reachable(), transaction.atomic():
        # The order's row lock: a second "pay" waits here, then finds the order paid.
        locked = _locked(order)
        if locked.status != Order.Status.PLACED:
            raise ApplicationError(
                _("This order is %(status)s; there is nothing to pay.")
                % {"status": locked.get_status_display()},
                code="invalid_state",
                status=409,
            )
        for line in locked.lines.select_related("product__work", "variant"):
            problem = buyable_problem(line.product, line.variant)
            if problem:
                raise ApplicationError(problem, code="not_buyable", status=409)
        key = f"{locked.reference}:{attempt[:40]}"
        auth = gateway.authorize(
            amount_fen=locked.total_fen,
            currency=CURRENCY,
            reference=locked.reference,
            card=card,
            idempotency_key=f"{key}:authorize",
        )
        payment = Payment(
            order=locked, provider=gateway.name, provider_ref=auth.provider_ref, amount_fen=locked.total_fen
        )
        if auth.status != "authorized":
            payment.status, payment.message = Payment.Status.DECLINED, auth.message[:200]
            payment.provider_ref = ""  # a refused try holds no money at the provider
            payment.save()
        else:
            capture = gateway.capture(
                provider_ref=auth.provider_ref, amount_fen=locked.total_fen, idempotency_key=f"{key}:capture"
            )
            if capture.ok:
                payment.status = Payment.Status.AUTHORIZED
                payment.save()
                _paid(locked, payment)
            else:
                payment.status, payment.message = Payment.Status.FAILED, capture.message[:200]
                payment.save()
                gateway.void(provider_ref=auth.provider_ref, idempotency_key=f"{key}:void")
    if payment.status != Payment.Status.CAPTURED:
        raise ApplicationError(
            _("The payment did not go through: %(reason)s Try another card or payment method.")
            % {"reason": payment.message or _("the provider refused it.")},
            code="payment_declined",
            status=402,
        )
    return payment


def order_cancel(*, user: User, order: Order) -> Order:
    with transaction.atomic():
        locked = _locked(order)
        transitions.shop_transition(obj=locked, transition=transitions.ORDER_CANCEL, by=user)
    return locked


def order_advance(*, staff: User, order: Order, step: str, tracking: str = "") -> Order:
    """Operations staff move a paid order on: into production, shipped (with a tracking number), delivered.
    Delivery makes the makers' margins available for payout."""
    require_capability(staff, SHOP_OPERATIONS)
    steps = {
        "produce": transitions.ORDER_START_PRODUCTION,
        "ship": transitions.ORDER_SHIP,
        "deliver": transitions.ORDER_DELIVER,
    }
    if step not in steps:
        raise ApplicationError(_("Unknown step; use produce, ship or deliver."), code="invalid")
    if step == "ship" and not (0 < len(tracking.strip()) <= 60):
        raise ApplicationError(
            _("Enter the parcel's tracking number (up to 60 characters)."),
            code="invalid",
            fields={"tracking": [_("Required.")]},
        )
    with transaction.atomic():
        locked = _locked(order)
        if step == "ship":
            locked.tracking = tracking.strip()
        transitions.shop_transition(obj=locked, transition=steps[step], by=staff)
        if step == "produce":
            transaction.on_commit(lambda: _print_files_later(locked.pk), robust=True)
        if step == "ship":
            _tell_buyer(locked, "shop_order_shipped", tracking=locked.tracking)
        if step == "deliver":
            ledger.post_release(locked)
            _tell_buyer(locked, "shop_order_delivered")
    return locked


def _print_files_later(order_id: int) -> None:
    from inspiracle.shop.tasks import render_print_files

    render_print_files.delay(order_id)


def _refunded(order: Order, payment: Payment, by: User | None) -> None:
    payment.refunded_fen = payment.amount_fen
    payment.save()
    transitions.shop_transition(obj=order, transition=transitions.ORDER_REFUND, by=by)
    ledger.post_refund(order)
    _tell_buyer(order, "shop_order_refunded")


def order_refund(*, staff: User, order: Order) -> Order:
    """Refund the whole payment: the provider returns the money and the ledger reverses the sale."""
    require_capability(staff, SHOP_OPERATIONS)
    gateway = provider()
    with _provider_reachable(), transaction.atomic():
        locked = _locked(order)
        payment = locked.payments.filter(status=Payment.Status.CAPTURED).first()
        if payment is None or locked.status not in transitions.ORDER_REFUND.sources:
            raise ApplicationError(
                _("Only a paid order can be refunded; this one is %(status)s.")
                % {"status": locked.get_status_display()},
                code="invalid_state",
                status=409,
            )
        outcome = gateway.refund(
            provider_ref=payment.provider_ref,
            amount_fen=payment.amount_fen,
            idempotency_key=f"refund:{locked.reference}",
        )
        if not outcome.ok:
            raise ApplicationError(
                _("The payment provider refused the refund: %(reason)s") % {"reason": outcome.message},
                code="refund_refused",
                status=502,
            )
        _refunded(locked, payment, staff)
    return locked


def on_payment_event(event: WebhookEvent) -> None:
    """The provider's word on a payment (COM-5), called by ``payments`` inside the webhook's transaction (a replay
    never gets here). An event for a payment we do not know changes nothing."""
    payment = Payment.objects.select_for_update().filter(provider_ref=event.provider_ref).first()
    if payment is None:
        return
    order = _locked(payment.order)
    if event.type == "payment.captured" and payment.status == Payment.Status.AUTHORIZED:
        _paid(order, payment)
    elif event.type == "payment.capture_failed" and payment.status == Payment.Status.AUTHORIZED:
        payment.status, payment.message = Payment.Status.FAILED, _("The provider could not take the money.")
        payment.save()
    elif event.type == "payment.voided" and payment.status == Payment.Status.AUTHORIZED:
        payment.status = Payment.Status.VOIDED
        payment.save()
    elif event.type == "payment.refunded" and order.status != Order.Status.REFUNDED:
        if event.amount_fen != payment.amount_fen or payment.status != Payment.Status.CAPTURED:
            raise ApplicationError(
                _(
                    "Only whole refunds of a captured payment are accepted (%(paid)d fen paid, %(asked)d refunded)."
                )
                % {"paid": payment.amount_fen, "asked": event.amount_fen},
                code="refund_mismatch",
            )
        _refunded(order, payment, None)


def order_address_open(*, staff: User, order: Order, reason: str) -> Address:
    """The shipping address of an order, for operations staff who say why they need it (a parcel to send, a
    courier's question). Reading it is an access to personal information: audited with the reason (MOD-8),
    like every other reading of registration or contact details."""
    require_capability(staff, SHOP_OPERATIONS)
    reason = reason.strip()
    if not reason or len(reason) > 200:
        raise ApplicationError(
            _("Say why you need the address (up to 200 characters); it is kept in the audit log."),
            code="invalid",
            fields={"reason": [_("Required, up to 200 characters.")]},
        )
    # Decrypted before the audit event: a reading that fails is not recorded as one that happened.
    address = Address(name=order.ship_name, phone=order.ship_phone, address=order.ship_address)
    with transaction.atomic():
        audit_record(
            action="pii.viewed",
            actor=staff,
            target=order.buyer,
            reason=reason,
            data={"what": "shipping_address", "order": order.reference},
        )
    return address
