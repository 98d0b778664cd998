"""The shapes of the shop in the JSON API for buyers (COM-4, COM-5): products, the catalogue, the cart, orders.

Amounts are integer fen (¥12.30 is 1230), never floats. Quantities come in as plain integers so that the
cart's own rule answers an out-of-range one (400 naming ``quantity``, with the allowed range), as the pages do.
"""

from datetime import datetime

from ninja import Field, Schema

from inspiracle.core.schemas import Id

PRICE_HELP = "In fen (1/100 yuan)"


class ShopProductQuery(Schema):
    q: str = Field("", max_length=100, description="Words of the product's or the work's title")
    type: str = Field("", max_length=40, description="A product type's slug (GET /api/shop/product-types)")
    creator: str = Field("", max_length=150, description="The maker's username")
    min_fen: int | None = Field(None, ge=0, le=2**31 - 1, description=f"Lowest price. {PRICE_HELP}")
    max_fen: int | None = Field(None, ge=0, le=2**31 - 1, description=f"Highest price. {PRICE_HELP}")


class ShopPersonOut(Schema):
    username: str
    display_name: str
    url: str = Field(description="Their public profile page")


class ShopVariantOut(Schema):
    id: int
    size: str
    colour: str = Field(description="#rrggbb")
    label: str = Field(description="Size and colour name, in the request's language")


class ShopMockupOut(Schema):
    id: int
    colour: str
    url: str = Field(description="The picture (WebP)")


class ShopProductRowOut(Schema):
    reference: str
    url: str = Field(description="The product's page")
    title: str
    product_type: str = Field(description="The type's slug")
    product_type_name: str
    price_fen: int = Field(description=PRICE_HELP)
    creator: ShopPersonOut
    mockups: list[ShopMockupOut] = Field(description="Rendered pictures, one per colour")


class ShopProductOut(ShopProductRowOut):
    work: int = Field(description="The work's id (GET /api/works/{id})")
    status: str = Field(description="approved when for sale; its maker and moderators see others too")
    for_sale: bool
    variants: list[ShopVariantOut] = Field(description="What can be put in the cart (variant_id)")


class ShopCatalogueVariantOut(ShopVariantOut):
    base_cost_fen: int = Field(description=f"What making one costs. {PRICE_HELP}")


class ShopPrintAreaOut(Schema):
    name: str
    box: list[int] = Field(description="x, y, width, height on the type's template picture, in pixels")
    width_mm: int
    height_mm: int
    dpi: int = Field(description="The print resolution the picture should reach")


class ShopProductTypeOut(Schema):
    slug: str
    name: str
    category: str = Field(description="The licence category (COM-6)")
    min_margin_fen: int = Field(description=f"The least a maker must add to each base cost. {PRICE_HELP}")
    variants: list[ShopCatalogueVariantOut]
    print_areas: list[ShopPrintAreaOut]


class ShopCartAddIn(Schema):
    product: str = Field(max_length=100, description="The product's reference (P…)")
    variant_id: Id = Field(description="One of the product's variants (``variants`` of the product)")
    quantity: int = Field(1, description="1 up to the shop's limit per line (20 by default)")


class ShopCartLineIn(Schema):
    quantity: int = Field(description="The new quantity; 0 removes the line")


class ShopCartLineOut(Schema):
    id: int
    product: str = Field(description="The product's reference")
    title: str
    variant: ShopVariantOut
    quantity: int
    unit_price_fen: int
    subtotal_fen: int
    mockup_url: str | None = Field(description="The product in the line's colour")
    problem: str | None = Field(description="Why it cannot be bought now (remove it), or null")


class ShopCartOut(Schema):
    lines: list[ShopCartLineOut]
    total_fen: int
    buyable: bool = Field(description="Whether POST /api/shop/orders can place it as it is")


class ShopAddressIn(Schema):
    name: str = Field(max_length=1000, description="Who receives the parcel (up to 60 characters)")
    phone: str = Field(max_length=1000, description="Up to 30 characters")
    address: str = Field(max_length=1000, description="The full delivery address (up to 300 characters)")


class ShopPayIn(Schema):
    card: str | None = Field(
        None,
        max_length=40,
        description="The card number when the provider takes cards here (never stored or logged); "
        "with the test provider, one of its test cards",
    )


class ShopOrderLineOut(Schema):
    product: str
    title: str
    variant: ShopVariantOut
    quantity: int
    unit_price_fen: int
    mockup_url: str | None


class ShopOrderStepOut(Schema):
    status: str
    label: str
    at: datetime


class ShopPaymentOut(Schema):
    status: str
    amount_fen: int
    message: str = Field(description="The provider's word on a refused try")
    created_at: datetime


class ShopAddressOut(Schema):
    name: str
    phone: str
    address: str


class ShopOrderRowOut(Schema):
    reference: str
    url: str
    status: str
    status_label: str
    total_fen: int
    placed_at: datetime
    items: int = Field(description="How many pieces")


class ShopOrderOut(ShopOrderRowOut):
    steps: list[ShopOrderStepOut] = Field(description="Each step the order went through, with its moment")
    tracking: str = Field(description="The parcel's tracking number once shipped")
    shipping: ShopAddressOut
    lines: list[ShopOrderLineOut]
    payments: list[ShopPaymentOut]
