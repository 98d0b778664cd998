"""The shapes of the creator's side of the shop in the JSON API (COM-4, COM-5): making products, their mockups,
sales of them, revenue and payouts.

Amounts are integer fen (¥12.30 is 1230). A placement comes in as fractions of the print area; values outside
its range are answered by the product rules (400 ``placement``, naming the edge to move away from), not by the
schema, so that the API and the page say the same thing.
"""

from datetime import datetime
from typing import Annotated, Literal

from ninja import Field, Schema

from inspiracle.core.schemas import Id

PRICE_HELP = "In fen (1/100 yuan)"
Finite = Annotated[float, Field(allow_inf_nan=False)]


class StudioPlacementIn(Schema):
    x: Finite = Field(
        description="The picture's centre, across the print area: 0 (left edge) to 1 (right edge)"
    )
    y: Finite = Field(
        description="The picture's centre, down the print area: 0 (top edge) to 1 (bottom edge)"
    )
    scale: Finite = Field(
        description="The picture's width as a fraction of the print area's width: above 0, at most 4"
    )


class StudioProductIn(Schema):
    work_id: Id = Field(description="A published work of yours, or one you hold a production licence for")
    product_type: str = Field(
        max_length=40, description="A product type's slug (GET /api/shop/product-types)"
    )
    variants: list[Id] = Field(max_length=100, description="Ids of that type's variants (sizes and colours)")
    title: str = Field(max_length=1000, description="1 to 120 characters")
    placement: StudioPlacementIn
    price_fen: int = Field(
        ge=1,
        le=2**31 - 1,
        description=f"The retail price of every chosen variant: at least the dearest base cost plus the type's "
        f"minimum margin. {PRICE_HELP}",
    )


class StudioProductQuery(Schema):
    status: Literal["", "pending", "approved", "rejected", "withdrawn"] = Field("", description="Only these")


class StudioMockupOut(Schema):
    id: int
    colour: str = Field(description="#rrggbb")
    status: str = Field(description="pending (being rendered), ready or failed")
    url: str | None = Field(description="The picture (WebP), once ready")


class StudioVariantOut(Schema):
    id: int
    label: str = Field(description="Size and colour name, in the request's language")
    base_cost_fen: int = Field(description=PRICE_HELP)
    margin_fen: int = Field(description=f"What you earn on one sold at the product's price. {PRICE_HELP}")


class StudioPlacementOut(Schema):
    x: float
    y: float
    scale: float


class StudioPrintAreaOut(Schema):
    name: str
    width_mm: int
    height_mm: int
    dpi: int


class StudioProductRowOut(Schema):
    reference: str
    url: str = Field(description="The product's page in your studio")
    status: str = Field(
        description="pending (awaiting review), approved (in the shop), rejected or withdrawn"
    )
    status_label: str
    title: str
    work: int = Field(description="The work's id")
    product_type: str = Field(description="The type's slug")
    price_fen: int = Field(description=PRICE_HELP)
    created_at: datetime
    mockups: list[StudioMockupOut]


class StudioProductOut(StudioProductRowOut):
    product_type_name: str
    deal: str | None = Field(description="The licence deal relied on, for someone else's work")
    print_area: StudioPrintAreaOut
    placement: StudioPlacementOut
    variants: list[StudioVariantOut]
    decided_at: datetime | None
    reason_code: str = Field(description="Why it was rejected (empty otherwise)")
    reason_label: str
    decision_message: str
    withdrawn_at: datetime | None
    resolution_warning: str | None = Field(
        description="Set when the picture has fewer pixels than the print area's DPI needs at this size; the "
        "product can still be made"
    )


class StudioSaleLineOut(Schema):
    product: str = Field(description="The product's reference")
    title: str
    variant: str = Field(description="Size and colour")
    quantity: int
    unit_price_fen: int
    unit_base_cost_fen: int
    margin_fen: int = Field(description="Your margin on the line. In fen")


class StudioSaleOut(Schema):
    """An order with your products: never the buyer's name or address."""

    reference: str
    status: str
    status_label: str
    placed_at: datetime
    paid_at: datetime | None
    lines: list[StudioSaleLineOut] = Field(description="Your lines only")
    margin_fen: int = Field(description="Your margin on the order. In fen")


class StudioBalancesOut(Schema):
    pending: int = Field(description="Earned on orders not yet delivered. In fen")
    available: int = Field(description="Delivered, free to be paid out. In fen")
    requested: int = Field(description="Asked for in payouts not yet paid. In fen")
    paid: int = Field(description="Paid out so far. In fen")


class StudioMonthOut(Schema):
    month: str = Field(description="YYYY-MM, Beijing time")
    earned_fen: int
    refunded_fen: int
    released_fen: int
    paid_out_fen: int


class StudioRevenueOut(Schema):
    balances: StudioBalancesOut
    payout_min_fen: int = Field(description="The least available balance a payout can be asked for. In fen")
    months: list[StudioMonthOut] = Field(description="Oldest first, from your first sale to this month")


class StudioPayoutOut(Schema):
    id: int
    amount_fen: int
    status: str = Field(description="requested or settled (paid, outside the platform)")
    status_label: str
    requested_at: datetime
    settled_at: datetime | None
