"""The shop through the API (UX-2, COM-4, COM-5): products and the catalogue for anyone; the signed-in account's
cart and orders, paying with the configured provider. The same services and access functions as the pages:
someone else's order is "not found" (PRV-3). Refusals: 400 naming the field (a quantity out of range, an
incomplete address), 402 ``payment_declined`` with the provider's reason (try again with another card),
404 for a product not for sale or an unknown variant, 409 ``not_buyable`` (with the reason), ``cart_empty``
or ``invalid_state``.
"""

import secrets
from typing import Annotated

from django.urls import reverse
from ninja import Header, Query, Router, Status
from ninja.pagination import paginate

from inspiracle.accounts.api_auth import SessionTokenOrVisitor
from inspiracle.accounts.typing import SignedInRequest
from inspiracle.core.api import Page, Rows, Shared, error_responses
from inspiracle.core.schemas import Id
from inspiracle.shop.cart_token import cart_for
from inspiracle.shop.models import Order, Product, ProductType, Variant
from inspiracle.shop.permissions import access_order_for_buyer, access_product_for_view
from inspiracle.shop.schemas_public import (
    ShopAddressIn,
    ShopCartAddIn,
    ShopCartLineIn,
    ShopCartOut,
    ShopOrderOut,
    ShopOrderRowOut,
    ShopPayIn,
    ShopProductOut,
    ShopProductQuery,
    ShopProductRowOut,
    ShopProductTypeOut,
)
from inspiracle.shop.selectors import order_list_for_buyer, product_for_sale, product_list_for_shop
from inspiracle.shop.services.cart import cart_add, cart_set_quantity
from inspiracle.shop.services.orders import Address, order_cancel, order_pay, order_place
from inspiracle.shop.views.buyer import order_lines, order_steps
from inspiracle.shop.views.public import CONTENT_GENERATIONS, PAGE_SIZE, gallery

router = Router(tags=["shop"])
visitor_or_user = SessionTokenOrVisitor()
ORDERS_PAGE = 20
# The attempt a client names for one payment (as Stripe's and Alipay's APIs do): a retry with the same key
# never pays twice. Without one, every call is a new attempt.
IDEMPOTENCY_KEY = Annotated[str | None, Header(alias="Idempotency-Key", max_length=100)]


def _url(request, name: str, *args) -> str:
    return request.build_absolute_uri(reverse(name, args=args))


def _variant(variant: Variant) -> dict:
    return {"id": variant.pk, "size": variant.size, "colour": variant.colour, "label": variant.label}


def product_row(request, product: Product) -> dict:
    profile = product.maker.profile
    return {
        "reference": product.reference,
        "url": _url(request, "shop:product", product.reference),
        "title": product.title,
        "product_type": product.product_type.slug,
        "product_type_name": product.product_type.name,
        "price_fen": product.price_fen,
        "creator": {
            "username": product.maker.username,
            "display_name": profile.display_name,
            "url": _url(request, "profile", product.maker.username),
        },
        "mockups": [
            {
                "id": p.mockup.pk,
                "colour": p.mockup.colour,
                "url": _url(request, "shop:mockup", product.reference, p.mockup.pk),
            }
            for p in gallery(product)
        ],
    }


@router.get(
    "/shop/products", response=list[ShopProductRowOut], auth=visitor_or_user, url_name="shop-products"
)
@paginate(Page, page_size=PAGE_SIZE)
def products(request, query: Query[ShopProductQuery]):
    """The shop: products for sale, newest first, 24 a page; by words of the title, type, maker and price."""
    found = product_list_for_shop(
        q=query.q, product_type=query.type, maker=query.creator, min_fen=query.min_fen, max_fen=query.max_fen
    )
    # The same for every caller, as the shop page's cards are (views/public.py): kept under the same generations;
    # the links carry the address the caller used.
    shared = Shared(
        "shop-products",
        depends_on=CONTENT_GENERATIONS,
        parts=(
            query.q,
            query.type,
            query.creator,
            query.min_fen,
            query.max_fen,
            request.build_absolute_uri("/"),
        ),
    )
    return Rows(found, each=lambda product: product_row(request, product), shared=shared)


@router.get(
    "/shop/products/{reference}", response=ShopProductOut, auth=visitor_or_user, url_name="shop-product"
)
def product(request, reference: str):
    """A product in the shop with its variants (``variant_id`` for the cart) and mockups; its maker and
    moderators also see it while it is in review or after it left the shop."""
    found = access_product_for_view(request.user, reference)
    return {
        **product_row(request, found),
        "work": found.work_id,
        "status": found.status,
        "for_sale": product_for_sale(found),
        "variants": [_variant(v) for v in found.variants.filter(active=True)],
    }


@router.get(
    "/shop/product-types",
    response=list[ShopProductTypeOut],
    auth=visitor_or_user,
    url_name="shop-product-types",
)
@paginate(Page)
def product_types(request):
    """The catalogue (COM-4): the product types made now, their variants with base costs, their print areas;
    30 a page."""
    types = ProductType.objects.filter(active=True).prefetch_related("variants", "print_areas")
    return Rows(types, each=_product_type)


def _product_type(t: ProductType) -> dict:
    return {
        "slug": t.slug,
        "name": t.name,
        "category": t.category,
        "min_margin_fen": t.min_margin_fen,
        "variants": [{**_variant(v), "base_cost_fen": v.base_cost_fen} for v in t.variants.all() if v.active],
        "print_areas": [
            {
                "name": a.name,
                "box": list(a.spec.box),
                "width_mm": a.width_mm,
                "height_mm": a.height_mm,
                "dpi": a.dpi,
            }
            for a in t.print_areas.all()
        ],
    }


def cart_out(request: SignedInRequest) -> dict:
    cart = cart_for(request)
    lines = [
        {
            "id": row.line.pk,
            "product": row.line.product.reference,
            "title": row.line.product.title,
            "variant": _variant(row.line.variant),
            "quantity": row.line.quantity,
            "unit_price_fen": row.line.product.price_fen,
            "subtotal_fen": row.subtotal_fen,
            "mockup_url": _url(request, "shop:mockup", row.line.product.reference, row.mockup.pk)
            if row.mockup
            else None,
            "problem": row.problem,
        }
        for row in cart.rows
    ]
    return {"lines": lines, "total_fen": cart.total_fen, "buyable": cart.buyable}


@router.get("/shop/cart", response=ShopCartOut, url_name="shop-cart")
def cart(request: SignedInRequest):
    """Your cart (the account's; a visitor's cart in the web pages joins it when they sign in there)."""
    return cart_out(request)


@router.post("/shop/cart", response={201: ShopCartOut, **error_responses(404)}, url_name="shop-cart-add")
def cart_line_add(request: SignedInRequest, data: ShopCartAddIn):
    """Put a variant of a product in your cart (quantities of the same variant add up, to the limit)."""
    cart_add(
        user=request.user,
        session_key="",
        product_reference=data.product,
        variant_id=data.variant_id,
        quantity=data.quantity,
    )
    return Status(201, cart_out(request))


@router.patch("/shop/cart/{line_id}", response=ShopCartOut, url_name="shop-cart-line")
def cart_line_update(request: SignedInRequest, line_id: Id, data: ShopCartLineIn):
    """Change a line's quantity; 0 removes it."""
    cart_set_quantity(user=request.user, session_key="", line_id=line_id, quantity=data.quantity)
    return cart_out(request)


@router.delete("/shop/cart/{line_id}", response=ShopCartOut, url_name="shop-cart-line-remove")
def cart_line_remove(request: SignedInRequest, line_id: Id):
    """Take a line out of your cart."""
    cart_set_quantity(user=request.user, session_key="", line_id=line_id, quantity=0)
    return cart_out(request)


def order_row(request, order: Order) -> dict:
    return {
        "reference": order.reference,
        "url": _url(request, "shop:order", order.reference),
        "status": order.status,
        "status_label": order.get_status_display(),
        "total_fen": order.total_fen,
        "placed_at": order.placed_at,
        "items": sum(line.quantity for line in order.lines.all()),
    }


def order_out(request, order: Order) -> dict:
    lines = order_lines(order)
    return {
        **order_row(request, order),
        "steps": [vars(step) for step in order_steps(order)],
        "tracking": order.tracking,
        "shipping": {"name": order.ship_name, "phone": order.ship_phone, "address": order.ship_address},
        "lines": [
            {
                "product": item.line.product.reference,
                "title": item.line.product.title,
                "variant": _variant(item.line.variant),
                "quantity": item.line.quantity,
                "unit_price_fen": item.line.unit_price_fen,
                "mockup_url": _url(request, "shop:mockup", item.line.product.reference, item.mockup.pk)
                if item.mockup
                else None,
            }
            for item in lines
        ],
        "payments": list(
            order.payments.order_by("pk").values("status", "amount_fen", "message", "created_at")
        ),
    }


@router.post("/shop/orders", response={201: ShopOrderOut}, url_name="shop-orders-place")
def order_create(request: SignedInRequest, data: ShopAddressIn):
    """Place an order of everything in your cart, to this address (encrypted at rest; only you and operations
    staff read it). It awaits payment: POST /api/shop/orders/{reference}/pay."""
    order = order_place(
        buyer=request.user, address=Address(name=data.name, phone=data.phone, address=data.address)
    )
    return Status(201, order_out(request, order))


@router.get("/shop/orders", response=list[ShopOrderRowOut], url_name="shop-orders")
@paginate(Page, page_size=ORDERS_PAGE)
def orders(request: SignedInRequest):
    """Your orders, newest first, 20 a page."""
    return Rows(order_list_for_buyer(request.user), each=lambda order: order_row(request, order))


@router.get("/shop/orders/{reference}", response=ShopOrderOut, url_name="shop-order")
def order(request: SignedInRequest, reference: str):
    """One of your orders: each step with its moment, the lines, the address, the tracking number once
    shipped, every payment try (a refused one with the provider's reason)."""
    return order_out(request, access_order_for_buyer(request.user, reference))


@router.post(
    "/shop/orders/{reference}/pay",
    response={200: ShopOrderOut, **error_responses(402)},
    url_name="shop-order-pay",
)
def pay(request: SignedInRequest, reference: str, data: ShopPayIn, idempotency_key: IDEMPOTENCY_KEY = None):
    """Pay a placed order: the total is authorized and captured. Send the same ``Idempotency-Key`` header to
    retry one payment safely (it is paid once); a refused card answers 402 and a new key may try another."""
    found = access_order_for_buyer(request.user, reference)
    order_pay(
        buyer=request.user, order=found, card=data.card, attempt=idempotency_key or secrets.token_urlsafe(16)
    )
    return order_out(request, access_order_for_buyer(request.user, reference))


@router.post("/shop/orders/{reference}/cancel", response=ShopOrderOut, url_name="shop-order-cancel")
def cancel(request: SignedInRequest, reference: str):
    """Cancel an order that is not paid yet (409 ``invalid_state`` once it is)."""
    found = access_order_for_buyer(request.user, reference)
    return order_out(request, order_cancel(user=request.user, order=found))
