"""The shop's staff API (COM-4, COM-5, UX-2), the same services and access functions as the staff pages.

Moderators (STAFF_CONSOLE) review products: approve, or reject with a reason code of /api/staff/review/reasons;
a product decided meanwhile answers 409. Operations staff (SHOP_OPERATIONS, administrators) move orders on,
refund them, open a buyer's address (audited, with a reason), settle payouts and keep the catalogue. Others
get "not found", staff without the right 403.
"""

from typing import Literal

from django.urls import reverse
from ninja import Router, Status
from ninja.pagination import paginate

from inspiracle.accounts.permissions import SHOP_OPERATIONS, STAFF_CONSOLE, require_capability
from inspiracle.core.api import Page, Rows, error_responses
from inspiracle.core.schemas import Id
from inspiracle.licensing.terms import terms_lines
from inspiracle.shop.models import Order, OrderLine, Payout, PrintArea, Product, ProductType, Variant
from inspiracle.shop.permissions import (
    access_order_for_operations,
    access_payout_for_operations,
    access_product_for_review,
)
from inspiracle.shop.schemas_staff import (
    StaffShopAddressIn,
    StaffShopAddressOut,
    StaffShopAdvanceIn,
    StaffShopOrderOut,
    StaffShopOrderRowOut,
    StaffShopPayoutOut,
    StaffShopPrintAreaOut,
    StaffShopPrintAreaPatchIn,
    StaffShopProductTypeOut,
    StaffShopProductTypePatchIn,
    StaffShopRejectIn,
    StaffShopReviewProductOut,
    StaffShopReviewRowOut,
    StaffShopVariantIn,
    StaffShopVariantOut,
    StaffShopVariantPatchIn,
)
from inspiracle.shop.selectors import (
    order_list_for_operations,
    payout_list_for_operations,
    product_list_for_review,
)
from inspiracle.shop.services import catalogue as staff_services
from inspiracle.shop.services import orders as order_services
from inspiracle.shop.services import payouts as payout_services
from inspiracle.shop.services.products import product_approve, product_claim, product_reject
from inspiracle.works.selectors import work_matches

router = Router(tags=["shop"])
PAGE = 30


def _username(user) -> str | None:
    return user.username if user is not None else None


def _variant(v: Variant) -> dict:
    names = ("id", "size", "colour", "colour_name_en", "colour_name_zh", "label", "base_cost_fen", "active")
    return {name: getattr(v, name) for name in names}


def _review_row(request, p: Product) -> dict:
    return {
        "reference": p.reference,
        "title": p.title,
        "status": p.status,
        "maker": p.maker.username,
        "work": p.work_id,
        "work_title": p.work.title,
        "product_type": p.product_type.slug,
        "price_fen": p.price_fen,
        "licensed": p.deal_id is not None,
        "created_at": p.created_at,
        "mockups": [
            {
                "id": m.pk,
                "colour": m.colour,
                "status": m.status,
                "url": request.build_absolute_uri(reverse("shop:mockup", args=[p.reference, m.pk]))
                if m.status == "ready"
                else None,
            }
            for m in p.mockups.all()
        ],
        "variants": [_variant(v) for v in p.variants.all()],
    }


def _review_out(request, p: Product) -> dict:
    deal = p.deal
    return {
        **_review_row(request, p),
        "status_label": p.get_status_display(),
        "work_status": p.work.status,
        "placement": {"x": p.placement_x, "y": p.placement_y, "scale": p.placement_scale},
        "matches": [
            {
                "file": m.file_id,
                "other_work": m.other.work_id,
                "other_title": m.other.work.title,
                "other_owner": m.other.work.owner.username,
                "kind": m.kind,
                "distance": m.distance,
                "inliers": m.inliers,
                "mirrored": m.mirrored,
                "file_box": m.file_box,
                "other_box": m.other_box,
            }
            for m in work_matches(p.work)
        ],
        "deal": None
        if deal is None
        else {
            "reference": deal.reference,
            "licensor": deal.licensor.username,
            "licensee": deal.licensee.username,
            "annulled": deal.is_annulled,
            "terms": [{"label": label, "value": value} for label, value in terms_lines(deal.proposal.terms)],
        },
        "decided_at": p.decided_at,
        "decided_by": _username(p.decided_by),
        "reason_code": p.reason_code,
        "decision_message": p.decision_message,
    }


def _order_row(o: Order) -> dict:
    return {
        "reference": o.reference,
        "status": o.status,
        "status_label": o.get_status_display(),
        "buyer": o.buyer.username,
        "total_fen": o.total_fen,
        "placed_at": o.placed_at,
        "paid_at": o.paid_at,
        "tracking": o.tracking,
        "lines": [
            {
                "product": line.product.reference,
                "title": line.product.title,
                "variant": line.variant_id,
                "variant_label": line.variant.label,
                "maker": line.maker.username,
                "quantity": line.quantity,
                "unit_price_fen": line.unit_price_fen,
                "unit_base_cost_fen": line.unit_base_cost_fen,
                "margin_fen": line.margin_fen,
                "print_file": _print_file_url(o, line),
            }
            for line in o.lines.all()
        ],
    }


def _order_out(request, reference: str) -> dict:
    o = access_order_for_operations(request.user, reference)
    o = Order.objects.prefetch_related(
        "lines__product", "lines__variant", "lines__maker", "lines__print_file"
    ).get(pk=o.pk)
    payment_fields = (
        "provider",
        "status",
        "amount_fen",
        "refunded_fen",
        "message",
        "created_at",
        "captured_at",
    )
    return {
        **_order_row(o),
        **{
            f"{event}_at": getattr(o, f"{event}_at")
            for event in ("in_production", "shipped", "delivered", "refunded")
        },
        **{
            f"{event}_by": _username(getattr(o, f"{event}_by"))
            for event in ("in_production", "shipped", "delivered", "refunded")
        },
        "payments": [{name: getattr(p, name) for name in payment_fields} for p in o.payments.order_by("pk")],
    }


def _print_file_url(order: Order, line: OrderLine) -> str | None:
    made = getattr(line, "print_file", None)  # prefetched with the lines
    return reverse("shop_staff:print_file", args=[order.reference, line.pk]) if made else None


def _payout(p: Payout) -> dict:
    return {
        "id": p.pk,
        "creator": p.creator.username,
        "amount_fen": p.amount_fen,
        "status": p.status,
        "status_label": p.get_status_display(),
        "requested_at": p.requested_at,
        "settled_at": p.settled_at,
        "settled_by": _username(p.settled_by),
    }


def _area(a: PrintArea) -> dict:
    names = ("id", "name", "box_x", "box_y", "box_w", "box_h", "width_mm", "height_mm", "dpi")
    return {name: getattr(a, name) for name in names}


def _type(t: ProductType) -> dict:
    names = ("id", "slug", "name_en", "name_zh", "template", "category", "min_margin_fen", "active")
    return {
        **{name: getattr(t, name) for name in names},
        "variants": [_variant(v) for v in t.variants.all()],
        "print_areas": [_area(a) for a in t.print_areas.all()],
    }


# --- Review (COM-4) ---------------------------------------------------------------------------------------


@router.get("/shop/review", response=list[StaffShopReviewRowOut], url_name="staff-shop-review")
@paginate(Page, page_size=PAGE)
def review(request):
    """Products awaiting review, the longest waiting first, 30 a page."""
    require_capability(request.user, STAFF_CONSOLE)
    return Rows(product_list_for_review(), each=lambda p: _review_row(request, p))


@router.get(
    "/shop/review/{reference}", response=StaffShopReviewProductOut, url_name="staff-shop-review-product"
)
def review_product(request, reference: str):
    """A product with its mockups, variants, the work's similarity matches and the maker's licence (when the
    maker is not the work's owner)."""
    return _review_out(request, access_product_for_review(request.user, reference))


@router.post(
    "/shop/review/{reference}/claim", response=StaffShopReviewProductOut, url_name="staff-shop-review-claim"
)
def review_claim(request, reference: str):
    """Hold the product while deciding it, so no other moderator decides it at the same time (a claim lapses
    after 30 minutes). 409 when another moderator holds it or it is no longer awaiting review."""
    product_claim(moderator=request.user, product=access_product_for_review(request.user, reference))
    return _review_out(request, access_product_for_review(request.user, reference))


@router.post(
    "/shop/review/{reference}/approve",
    response=StaffShopReviewProductOut,
    url_name="staff-shop-review-approve",
)
def review_approve(request, reference: str):
    """Put the product in the shop. 409 when it was decided (or withdrawn) meanwhile, or another moderator holds
    it."""
    product_approve(moderator=request.user, product=access_product_for_review(request.user, reference))
    return _review_out(request, access_product_for_review(request.user, reference))


@router.post(
    "/shop/review/{reference}/reject", response=StaffShopReviewProductOut, url_name="staff-shop-review-reject"
)
def review_reject(request, reference: str, data: StaffShopRejectIn):
    """Refuse the product with a reason the maker reads, and an optional message. 409 when it was decided
    meanwhile."""
    product = access_product_for_review(request.user, reference)
    product_reject(
        moderator=request.user, product=product, reason_code=data.reason_code, message=data.message
    )
    return _review_out(request, access_product_for_review(request.user, reference))


# --- Orders and payouts (COM-5) ---------------------------------------------------------------------------


@router.get("/shop/orders", response=list[StaffShopOrderRowOut], url_name="staff-shop-orders")
@paginate(Page, page_size=PAGE)
def orders(
    request,
    status: Literal["paid", "in_production", "shipped", "delivered", "cancelled", "refunded"] | None = None,
):
    """Paid orders and later (orders awaiting payment are the buyer's), newest first, 30 a page; of one
    ``status`` if given."""
    require_capability(request.user, SHOP_OPERATIONS)
    rows = order_list_for_operations(status=status or "").prefetch_related("lines__maker")
    return Rows(rows, each=_order_row)


@router.get("/shop/orders/{reference}", response=StaffShopOrderOut, url_name="staff-shop-order")
def order(request, reference: str):
    """An order with its lines, payments and who moved it on when; never the address (see /address)."""
    return _order_out(request, reference)


@router.post(
    "/shop/orders/{reference}/address", response=StaffShopAddressOut, url_name="staff-shop-order-address"
)
def order_address(request, reference: str, data: StaffShopAddressIn):
    """PRV-1: the buyer's shipping address. Every call is recorded in the audit log with its ``reason``."""
    found = access_order_for_operations(request.user, reference)
    return order_services.order_address_open(staff=request.user, order=found, reason=data.reason)


@router.post(
    "/shop/orders/{reference}/advance", response=StaffShopOrderOut, url_name="staff-shop-order-advance"
)
def order_advance(request, reference: str, data: StaffShopAdvanceIn):
    """A paid order into production (``produce``), shipped with its ``tracking`` number (``ship``), delivered
    (``deliver``: the makers' margins become available). 409 when the order is not at that step."""
    found = access_order_for_operations(request.user, reference)
    order_services.order_advance(staff=request.user, order=found, step=data.step, tracking=data.tracking)
    return _order_out(request, reference)


@router.post(
    "/shop/orders/{reference}/refund",
    response={200: StaffShopOrderOut, **error_responses(502)},
    url_name="staff-shop-order-refund",
)
def order_refund(request, reference: str):
    """Refund the whole payment; the ledger takes the sale back. 409 when the order was not paid or is
    refunded already, 502 when the payment provider refused."""
    order_services.order_refund(
        staff=request.user, order=access_order_for_operations(request.user, reference)
    )
    return _order_out(request, reference)


@router.get("/shop/payouts", response=list[StaffShopPayoutOut], url_name="staff-shop-payouts")
@paginate(Page, page_size=PAGE)
def payouts(request):
    """Payouts to settle first (the longest waiting at the top), then the settled ones; 30 a page."""
    require_capability(request.user, SHOP_OPERATIONS)
    return Rows(payout_list_for_operations(), each=_payout)


@router.post(
    "/shop/payouts/{int:payout_id}/settle", response=StaffShopPayoutOut, url_name="staff-shop-payout-settle"
)
def payout_settle(request, payout_id: Id):
    """Record a payout as paid (the money is sent outside the platform). 409 when it already was."""
    settled = payout_services.payout_settle(
        staff=request.user, payout=access_payout_for_operations(request.user, payout_id)
    )
    return _payout(access_payout_for_operations(request.user, settled.pk))


# --- Catalogue (COM-4) ------------------------------------------------------------------------------------


@router.get("/shop/catalogue/types", response=list[StaffShopProductTypeOut], url_name="staff-shop-catalogue")
@paginate(Page)
def catalogue(request):
    """Every product type, offered or not, with its variants and print areas; 30 a page."""
    require_capability(request.user, SHOP_OPERATIONS)
    return Rows(staff_services.catalogue_list_for_staff(), each=_type)


@router.get(
    "/shop/catalogue/types/{slug}", response=StaffShopProductTypeOut, url_name="staff-shop-catalogue-type"
)
def catalogue_type(request, slug: str):
    return _type(staff_services.product_type_get(staff=request.user, slug=slug))


@router.patch(
    "/shop/catalogue/types/{slug}",
    response=StaffShopProductTypeOut,
    url_name="staff-shop-catalogue-type-patch",
)
def catalogue_type_patch(request, slug: str, data: StaffShopProductTypePatchIn):
    """Rename a type, set its minimum margin (for products made from now on) or stop offering it."""
    found = staff_services.product_type_get(staff=request.user, slug=slug)
    staff_services.product_type_update(
        staff=request.user, product_type=found, **data.dict(exclude_unset=True)
    )
    return _type(staff_services.product_type_get(staff=request.user, slug=slug))


@router.post(
    "/shop/catalogue/types/{slug}/variants",
    response={201: StaffShopVariantOut},
    url_name="staff-shop-catalogue-variant-add",
)
def variant_add(request, slug: str, data: StaffShopVariantIn):
    """A new size and colour of the type. 409 ``variant_exists`` when it already has it (retired or not)."""
    found = staff_services.product_type_get(staff=request.user, slug=slug)
    draft = staff_services.VariantDraft(**data.dict())
    return Status(
        201, _variant(staff_services.variant_add(staff=request.user, product_type=found, draft=draft))
    )


@router.get(
    "/shop/catalogue/variants/{int:variant_id}",
    response=StaffShopVariantOut,
    url_name="staff-shop-catalogue-variant",
)
def variant(request, variant_id: Id):
    return _variant(staff_services.variant_get(staff=request.user, variant_id=variant_id))


@router.patch(
    "/shop/catalogue/variants/{int:variant_id}",
    response=StaffShopVariantOut,
    url_name="staff-shop-catalogue-variant-patch",
)
def variant_patch(request, variant_id: Id, data: StaffShopVariantPatchIn):
    """Change the base cost or colour names, or retire (``active: false``) and bring back a variant. 409
    ``below_product_price`` when a product on sale or in review in it is priced at or below the new cost."""
    found = staff_services.variant_get(staff=request.user, variant_id=variant_id)
    return _variant(
        staff_services.variant_update(staff=request.user, variant=found, **data.dict(exclude_unset=True))
    )


@router.patch(
    "/shop/catalogue/print-areas/{int:area_id}",
    response=StaffShopPrintAreaOut,
    url_name="staff-shop-catalogue-print-area-patch",
)
def print_area_patch(request, area_id: Id, data: StaffShopPrintAreaPatchIn):
    """Move or resize the box on the 1200 px template, or change the print size and resolution; the box must
    fit the template and have the print's shape within 1%."""
    found = staff_services.print_area_get(staff=request.user, area_id=area_id)
    return _area(
        staff_services.print_area_update(staff=request.user, area=found, **data.dict(exclude_unset=True))
    )
