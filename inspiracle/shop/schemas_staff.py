"""The shapes of the shop's staff API: products in review, orders for operations, payouts, the catalogue.
Money is integer fen, as in the database."""

from datetime import datetime
from typing import Annotated, Any, Literal

from django.conf import settings
from ninja import Field, Schema
from pydantic import StrictBool, WithJsonSchema, field_validator

from inspiracle.core.schemas import PatchIn
from inspiracle.reasons import CONTENT_CODES
from inspiracle.shop.art import TEMPLATE_SIZE
from inspiracle.shop.services.catalogue import MAX_DPI, MAX_PRINT_MM

MAX_FEN = settings.SHOP_MAX_PRICE_FEN
REASON_CODE = WithJsonSchema({"type": "string", "enum": sorted(CONTENT_CODES)})


# --- Review -----------------------------------------------------------------------------------------------


class StaffShopMockupOut(Schema):
    id: int
    colour: str
    status: str
    url: str | None = Field(description="The picture, once rendered")


class StaffShopVariantOut(Schema):
    id: int
    size: str
    colour: str
    colour_name_en: str
    colour_name_zh: str
    label: str
    base_cost_fen: int
    active: bool


class StaffShopReviewRowOut(Schema):
    reference: str
    title: str
    status: str
    maker: str
    work: int
    work_title: str
    product_type: str
    price_fen: int
    licensed: bool = Field(description="The maker is not the work's owner and sells under a licence (deal)")
    created_at: datetime
    mockups: list[StaffShopMockupOut]
    variants: list[StaffShopVariantOut]


class StaffShopMatchOut(Schema):
    file: int
    other_work: int
    other_title: str
    other_owner: str
    kind: str = Field(description="exact, near (the whole picture) or local (a shared region)")
    distance: int = Field(description="Perceptual-hash distance, of 64 bits")
    inliers: int | None = Field(
        description="Keypoints that agree on one transform, when local features compared"
    )
    mirrored: bool
    file_box: list[float] | None = Field(
        description="The shared region in this file: left, top, right, bottom fractions"
    )
    other_box: list[float] | None = Field(description="The same region in the other work's file")


class StaffShopTermLineOut(Schema):
    label: str
    value: str


class StaffShopReviewDealOut(Schema):
    reference: str
    licensor: str
    licensee: str
    annulled: bool
    terms: list[StaffShopTermLineOut]


class StaffShopReviewProductOut(StaffShopReviewRowOut):
    status_label: str
    work_status: str
    placement: dict[str, float]
    matches: list[StaffShopMatchOut]
    deal: StaffShopReviewDealOut | None
    decided_at: datetime | None
    decided_by: str | None
    reason_code: str
    decision_message: str


class StaffShopRejectIn(Schema):
    reason_code: Annotated[str, REASON_CODE] = Field(description="A code of /api/staff/review/reasons")
    message: str = Field("", max_length=2000, description="To the maker, with the decision")

    @field_validator("reason_code")
    @classmethod
    def known_reason(cls, value: str) -> str:
        if value not in CONTENT_CODES:
            raise ValueError("Choose a reason from /api/staff/review/reasons.")
        return value


# --- Orders and payouts -------------------------------------------------------------------------------


class StaffShopOrderLineOut(Schema):
    product: str
    title: str
    variant: int
    variant_label: str
    maker: str
    quantity: int
    unit_price_fen: int
    unit_base_cost_fen: int
    margin_fen: int
    print_file: str | None = Field(
        None, description="Download address of the print file, once production began"
    )


class StaffShopOrderRowOut(Schema):
    reference: str
    status: str
    status_label: str
    buyer: str
    total_fen: int
    placed_at: datetime
    paid_at: datetime | None
    tracking: str
    lines: list[StaffShopOrderLineOut]


class StaffShopPaymentOut(Schema):
    provider: str
    status: str
    amount_fen: int
    refunded_fen: int
    message: str
    created_at: datetime
    captured_at: datetime | None


class StaffShopOrderOut(StaffShopOrderRowOut):
    in_production_at: datetime | None
    in_production_by: str | None
    shipped_at: datetime | None
    shipped_by: str | None
    delivered_at: datetime | None
    delivered_by: str | None
    refunded_at: datetime | None
    refunded_by: str | None
    payments: list[StaffShopPaymentOut]


class StaffShopAdvanceIn(Schema):
    step: Literal["produce", "ship", "deliver"]
    tracking: str = Field("", max_length=60, description="The parcel's tracking number; required to ship")


class StaffShopAddressIn(Schema):
    reason: str = Field(max_length=200, description="Why you need it; kept in the audit log")


class StaffShopAddressOut(Schema):
    name: str
    phone: str
    address: str


class StaffShopPayoutOut(Schema):
    id: int
    creator: str
    amount_fen: int
    status: str
    status_label: str
    requested_at: datetime
    settled_at: datetime | None
    settled_by: str | None


# --- Catalogue --------------------------------------------------------------------------------------------


class StaffShopPrintAreaOut(Schema):
    id: int
    name: str
    box_x: int
    box_y: int
    box_w: int
    box_h: int
    width_mm: int
    height_mm: int
    dpi: int


class StaffShopProductTypeOut(Schema):
    id: int
    slug: str
    name_en: str
    name_zh: str
    template: str
    category: str
    min_margin_fen: int
    active: bool
    variants: list[StaffShopVariantOut]
    print_areas: list[StaffShopPrintAreaOut]


def _patch(**constraints: Any) -> Any:
    """A PatchIn field with limits: left out keeps the value, null is refused."""
    return Field(None, **constraints)


class StaffShopProductTypePatchIn(PatchIn):
    name_en: str = _patch(min_length=1, max_length=60)
    name_zh: str = _patch(min_length=1, max_length=60)
    min_margin_fen: int = _patch(ge=0, le=MAX_FEN)
    active: StrictBool = _patch()


class StaffShopVariantIn(Schema):
    size: str = Field("", max_length=20, description="Empty for a one-size product")
    colour: str = Field(pattern=r"^#[0-9a-fA-F]{6}$", description="#rrggbb")
    colour_name_en: str = Field(min_length=1, max_length=30)
    colour_name_zh: str = Field(min_length=1, max_length=30)
    base_cost_fen: int = Field(ge=1, le=MAX_FEN)


class StaffShopVariantPatchIn(PatchIn):
    base_cost_fen: int = _patch(ge=1, le=MAX_FEN)
    colour_name_en: str = _patch(min_length=1, max_length=30)
    colour_name_zh: str = _patch(min_length=1, max_length=30)
    active: StrictBool = _patch(description="false retires the variant: products no longer offer it")


class StaffShopPrintAreaPatchIn(PatchIn):
    box_x: int = _patch(ge=0, le=TEMPLATE_SIZE)
    box_y: int = _patch(ge=0, le=TEMPLATE_SIZE)
    box_w: int = _patch(ge=1, le=TEMPLATE_SIZE)
    box_h: int = _patch(ge=1, le=TEMPLATE_SIZE)
    width_mm: int = _patch(ge=1, le=MAX_PRINT_MM)
    height_mm: int = _patch(ge=1, le=MAX_PRINT_MM)
    dpi: int = _patch(ge=1, le=MAX_DPI)
