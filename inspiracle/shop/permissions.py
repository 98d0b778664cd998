"""Who may see and act on a product, an order or a payout. Someone who may not gets "not found", exactly as for a
reference that does not exist: products in review are seen by their maker and moderators only, an order by its
buyer, its makers (their own lines, never the address) and operations staff."""

from django.db.models import Q
from django.utils.translation import gettext as _

from inspiracle.accounts.permissions import SHOP_OPERATIONS, STAFF_CONSOLE, has_capability, require_capability
from inspiracle.core.errors import NotFound
from inspiracle.shop.models import Order, Payout, Product
from inspiracle.shop.selectors import product_for_sale


def _no_product() -> NotFound:
    return NotFound(_("There is no such product."))


def _no_order() -> NotFound:
    return NotFound(_("There is no such order."))


def _products():
    return Product.objects.select_related("product_type", "print_area", "maker__profile", "work", "deal")


def access_product_for_view(user, reference: str) -> Product:
    """A product in the shop for anyone; any other product for its maker and moderators."""
    found = _products().filter(reference=reference).first()
    if found is None:
        raise _no_product()
    if product_for_sale(found):
        return found
    if user.is_authenticated and (found.maker_id == user.pk or has_capability(user, STAFF_CONSOLE)):
        return found
    raise _no_product()


def access_product_for_maker(user, reference: str) -> Product:
    found = (
        _products().filter(reference=reference, maker_id=user.pk).first() if user.is_authenticated else None
    )
    if found is None:
        raise _no_product()
    return found


def access_product_for_review(user, reference: str) -> Product:
    require_capability(user, STAFF_CONSOLE)
    found = _products().filter(reference=reference).first()
    if found is None:
        raise _no_product()
    return found


def access_order_for_buyer(user, reference: str) -> Order:
    found = (
        Order.objects.filter(reference=reference, buyer_id=user.pk).first() if user.is_authenticated else None
    )
    if found is None:
        raise _no_order()
    return found


def access_order_for_maker(user, reference: str) -> Order:
    """A maker's view of an order with their products (placed orders are the buyer's business until paid)."""
    found = None
    if user.is_authenticated:
        found = (
            Order.objects.filter(Q(lines__maker_id=user.pk), reference=reference)
            .exclude(status=Order.Status.PLACED)
            .distinct()
            .first()
        )
    if found is None:
        raise _no_order()
    return found


def access_order_for_operations(user, reference: str) -> Order:
    require_capability(user, SHOP_OPERATIONS)
    found = Order.objects.select_related("buyer").filter(reference=reference).first()
    if found is None:
        raise _no_order()
    return found


def access_payout_for_operations(user, payout_id: int) -> Payout:
    require_capability(user, SHOP_OPERATIONS)
    found = Payout.objects.select_related("creator").filter(pk=payout_id).first()
    if found is None:
        raise NotFound(_("There is no such payout."))
    return found


def can_operate(user) -> bool:
    return has_capability(user, SHOP_OPERATIONS)
