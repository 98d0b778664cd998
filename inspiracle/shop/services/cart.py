"""The cart: kept by session for visitors and by account once signed in (a visitor's cart joins the account's
on sign-in)."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from inspiracle.accounts.models import User
from inspiracle.core.errors import ApplicationError, NotFound
from inspiracle.shop.models import CartLine, Product, Variant
from inspiracle.shop.selectors import buyable_problem, buyable_q


def _owner(user: User | None, session_key: str) -> dict:
    if user is not None and user.is_authenticated:
        return {"user": user, "session_key": ""}
    if not session_key:
        raise ApplicationError(
            _("Your browser did not keep the session; allow cookies and try again."), code="no_session"
        )
    return {"user": None, "session_key": session_key}


def _check_quantity(quantity: int) -> None:
    if not 1 <= quantity <= settings.SHOP_MAX_QUANTITY:
        raise ApplicationError(
            _("Choose a quantity from 1 to %(max)d.") % {"max": settings.SHOP_MAX_QUANTITY},
            code="invalid",
            fields={"quantity": [_("1 to %(max)d.") % {"max": settings.SHOP_MAX_QUANTITY}]},
        )


def cart_add(
    *, user: User | None, session_key: str, product_reference: str, variant_id: int, quantity: int
) -> CartLine:
    _check_quantity(quantity)
    product = Product.objects.filter(buyable_q(), reference=product_reference).select_related("work").first()
    variant = Variant.objects.filter(pk=variant_id).first()
    if product is None or variant is None:
        raise NotFound(_("This product is not for sale."))
    problem = buyable_problem(product, variant)
    if problem:
        raise ApplicationError(problem, code="not_buyable", status=409)
    owner = _owner(user, session_key)
    with transaction.atomic():
        line = CartLine.objects.select_for_update().filter(product=product, variant=variant, **owner).first()
        if line is None:
            if CartLine.objects.filter(**owner).count() >= settings.SHOP_MAX_CART_LINES:
                raise ApplicationError(
                    _("Your cart holds %(max)d different items already; check out or remove some first.")
                    % {"max": settings.SHOP_MAX_CART_LINES},
                    code="cart_full",
                    status=409,
                )
            try:
                with transaction.atomic():
                    return CartLine.objects.create(
                        product=product, variant=variant, quantity=quantity, **owner
                    )
            except IntegrityError:  # the same click twice at once: the other request added it
                line = CartLine.objects.select_for_update().get(product=product, variant=variant, **owner)
        line.quantity = min(line.quantity + quantity, settings.SHOP_MAX_QUANTITY)
        line.save(update_fields=["quantity"])
    return line


def cart_set_quantity(*, user: User | None, session_key: str, line_id: int, quantity: int) -> None:
    """Quantity 0 removes the line."""
    if quantity:
        _check_quantity(quantity)
    owner = _owner(user, session_key)
    line = CartLine.objects.filter(pk=line_id, **owner).first()
    if line is None:
        raise NotFound(_("This line is not in your cart."))
    if quantity:
        line.quantity = quantity
        line.save(update_fields=["quantity"])
    else:
        line.delete()


def cart_adopt(*, user: User, session_key: str) -> None:
    """On sign-in: the visitor's lines join the account's cart (quantities add up, within the limit)."""
    if not session_key:
        return
    with transaction.atomic():
        for line in CartLine.objects.select_for_update().filter(user__isnull=True, session_key=session_key):
            mine = CartLine.objects.filter(
                user=user, product_id=line.product_id, variant_id=line.variant_id
            ).first()
            if mine is None:
                line.user, line.session_key = user, ""
                line.save(update_fields=["user", "session_key"])
            else:
                mine.quantity = min(mine.quantity + line.quantity, settings.SHOP_MAX_QUANTITY)
                mine.save(update_fields=["quantity"])
                line.delete()
