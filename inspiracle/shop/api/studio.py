"""The creator's side of the shop through the API (COM-4, COM-5): make a product of a work, follow its mockups
and review, withdraw it; read sales of one's products, revenue by month, and ask for a payout.

The same services and access functions as the pages: another maker's product is "not found". Refusals carry
their code: ``price_too_low`` and ``placement`` (400, naming the field), ``no_production_licence`` and
``sanctioned`` (403), ``work_not_published``, ``licence_conflict``, ``invalid_state`` and
``below_payout_threshold`` (409).
"""

from dataclasses import asdict

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from inspiracle.core.api import Page, Rows, error_responses
from inspiracle.core.errors import ApplicationError
from inspiracle.reasons import reason_label
from inspiracle.shop import ledger, revenue, selectors
from inspiracle.shop.forms_studio import product_resolution_warning
from inspiracle.shop.mockups import Placement
from inspiracle.shop.models import Mockup, Payout, Product, ProductType
from inspiracle.shop.permissions import access_product_for_maker
from inspiracle.shop.schemas_studio import (
    StudioPayoutOut,
    StudioProductIn,
    StudioProductOut,
    StudioProductQuery,
    StudioProductRowOut,
    StudioRevenueOut,
    StudioSaleOut,
)
from inspiracle.shop.services.payouts import payout_request
from inspiracle.shop.services.products import ProductDraft, product_create, product_withdraw
from inspiracle.works.permissions import access_work_for_view

router = Router(tags=["shop"])
PAGE = 30


def mockup_out(request, product: Product, mockup: Mockup) -> dict:
    ready = mockup.status == Mockup.Status.READY
    url = reverse("shop:mockup", args=[product.reference, mockup.pk]) if ready else None
    return {
        "id": mockup.pk,
        "colour": mockup.colour,
        "status": mockup.status,
        "url": request.build_absolute_uri(url) if url else None,
    }


def product_row(request, product: Product) -> dict:
    return {
        "reference": product.reference,
        "url": request.build_absolute_uri(reverse("shop_studio:product", args=[product.reference])),
        "status": product.status,
        "status_label": product.get_status_display(),
        "title": product.title,
        "work": product.work_id,
        "product_type": product.product_type.slug,
        "price_fen": product.price_fen,
        "created_at": product.created_at,
        "mockups": [mockup_out(request, product, m) for m in product.mockups.all()],
    }


def product_out(request, product: Product) -> dict:
    area = product.print_area
    return {
        **product_row(request, product),
        "product_type_name": product.product_type.name,
        "deal": product.deal.reference if product.deal else None,
        "print_area": {
            "name": area.name,
            "width_mm": area.width_mm,
            "height_mm": area.height_mm,
            "dpi": area.dpi,
        },
        "placement": {"x": product.placement_x, "y": product.placement_y, "scale": product.placement_scale},
        "variants": [
            {
                "id": v.pk,
                "label": v.label,
                "base_cost_fen": v.base_cost_fen,
                "margin_fen": product.price_fen - v.base_cost_fen,
            }
            for v in product.variants.all()
        ],
        "decided_at": product.decided_at,
        "reason_code": product.reason_code,
        "reason_label": reason_label(product.reason_code)[0] if product.reason_code else "",
        "decision_message": product.decision_message,
        "withdrawn_at": product.withdrawn_at,
        "resolution_warning": product_resolution_warning(product),
    }


def _product_type_id(slug: str) -> int:
    found = ProductType.objects.filter(slug=slug, active=True).values_list("pk", flat=True).first()
    if found is None:
        slugs = ", ".join(ProductType.objects.filter(active=True).values_list("slug", flat=True))
        message = _("There is no product type “%(slug)s”. Choose one of: %(slugs)s.") % {
            "slug": slug,
            "slugs": slugs,
        }
        raise ApplicationError(message, fields={"product_type": [message]})
    return found


@router.post(
    "/shop/studio/products",
    response={201: StudioProductOut, **error_responses(404)},
    url_name="shop-studio-products-create",
)
def studio_product_create(request, data: StudioProductIn):
    """COM-4: make a product of a published work (yours, or one your production licence covers): it waits for
    review while its mockups are rendered (poll GET .../{reference}). ``resolution_warning`` is set when the
    picture is too small for the print area's DPI at this size. 404 for a work you cannot see."""
    work = access_work_for_view(request.user, data.work_id)
    draft = ProductDraft(
        work_id=work.pk,
        product_type_id=_product_type_id(data.product_type),
        variant_ids=tuple(data.variants),
        title=data.title,
        placement=Placement(x=data.placement.x, y=data.placement.y, scale=data.placement.scale),
        price_fen=data.price_fen,
    )
    product = product_create(maker=request.user, draft=draft)
    return Status(201, product_out(request, access_product_for_maker(request.user, product.reference)))


@router.get("/shop/studio/products", response=list[StudioProductRowOut], url_name="shop-studio-products")
@paginate(Page, page_size=PAGE)
def studio_products(request, query: Query[StudioProductQuery]):
    """Your products, newest first, 30 a page; only those of one ``status`` if given."""
    products = selectors.product_list_for_maker(request.user)
    if query.status:
        products = products.filter(status=query.status)
    return Rows(products, each=lambda p: product_row(request, p))


@router.get("/shop/studio/products/{reference}", response=StudioProductOut, url_name="shop-studio-product")
def studio_product(request, reference: str):
    """One of your products: review status and decision, price and margins, and each colour's mockup with its
    status (pending while being rendered, then ready with its picture, or failed)."""
    return product_out(request, access_product_for_maker(request.user, reference))


@router.post(
    "/shop/studio/products/{reference}/withdraw",
    response=StudioProductOut,
    url_name="shop-studio-product-withdraw",
)
def studio_product_withdraw(request, reference: str):
    """Take a product out of review or out of the shop for good. 409 ``invalid_state`` when it was rejected or
    withdrawn already."""
    product_withdraw(user=request.user, product=access_product_for_maker(request.user, reference))
    return product_out(request, access_product_for_maker(request.user, reference))


def sale_out(row: revenue.SaleRow) -> dict:
    order = row.order
    return {
        "reference": order.reference,
        "status": order.status,
        "status_label": order.get_status_display(),
        "placed_at": order.placed_at,
        "paid_at": order.paid_at,
        "lines": [
            {
                "product": line.product.reference,
                "title": line.product.title,
                "variant": line.variant.label,
                "quantity": line.quantity,
                "unit_price_fen": line.unit_price_fen,
                "unit_base_cost_fen": line.unit_base_cost_fen,
                "margin_fen": line.margin_fen,
            }
            for line in row.lines
        ],
        "margin_fen": row.margin_fen,
    }


@router.get("/shop/studio/sales", response=list[StudioSaleOut], url_name="shop-studio-sales")
@paginate(Page, page_size=PAGE)
def studio_sales(request):
    """Orders with your products, newest first, 30 a page: your lines and margin only, never the buyer."""
    return Rows(selectors.order_list_for_maker(request.user), page=revenue.sale_rows, each=sale_out)


@router.get("/shop/studio/revenue", response=StudioRevenueOut, url_name="shop-studio-revenue")
def studio_revenue(request):
    """COM-5: your balances (pending, available, requested, paid) and each month since your first sale
    (Beijing time): margins earned, refunded, released on delivery, and paid out."""
    months = [
        {
            "month": row.label,
            "earned_fen": row.earned,
            "refunded_fen": row.refunded,
            "released_fen": row.released,
            "paid_out_fen": row.paid_out,
        }
        for row in revenue.revenue_months(request.user)
    ]
    balances = ledger.balances_for(request.user)
    return {"balances": asdict(balances), "payout_min_fen": settings.SHOP_PAYOUT_MIN_FEN, "months": months}


def payout_out(payout: Payout) -> dict:
    fields = ("id", "amount_fen", "status", "requested_at", "settled_at")
    return {**{name: getattr(payout, name) for name in fields}, "status_label": payout.get_status_display()}


@router.get("/shop/studio/payouts", response=list[StudioPayoutOut], url_name="shop-studio-payouts")
@paginate(Page, page_size=PAGE)
def studio_payouts(request):
    """Your payouts, newest first, 30 a page."""
    return Rows(revenue.payout_list_for_creator(request.user), each=payout_out)


@router.post("/shop/studio/payouts", response={201: StudioPayoutOut}, url_name="shop-studio-payout-request")
def studio_payout_request(request):
    """COM-5: ask to be paid your whole available balance; staff pay it outside the platform. 409
    ``below_payout_threshold`` under ``payout_min_fen`` (GET /api/shop/studio/revenue)."""
    return Status(201, payout_out(payout_request(creator=request.user)))
