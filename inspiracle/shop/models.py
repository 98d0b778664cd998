"""The shop (COM-4, COM-5): the catalogue of product types, creators' products and their mockups, carts, orders
with their payments, and the creators' revenue ledger.

Money is integer fen everywhere (never floats). A product has one retail price; for each of its variants the
creator's margin is that price minus the variant's base cost, and it must reach the type's minimum margin.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from inspiracle.core.fields import EncryptedTextField
from inspiracle.licensing.terms import ProductCategory
from inspiracle.shop.art import TEMPLATE_KEYS, AreaSpec


def _localised(en: str, zh: str) -> str:
    return zh if (get_language() or "").startswith("zh") and zh else en


class ProductType(models.Model):
    """A blank the supply chain can print on (COM-4), kept by staff."""

    slug = models.SlugField(max_length=40, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=60)
    name_zh = models.CharField(_("name (Chinese)"), max_length=60)
    template = models.CharField(max_length=20, choices=[(key, key) for key in TEMPLATE_KEYS])
    # The licence category the product falls in: the exclusive register (COM-6) is checked against it.
    category = models.CharField(max_length=16, choices=ProductCategory.choices)
    min_margin_fen = models.PositiveIntegerField(_("minimum margin (fen)"))
    active = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.slug

    @property
    def name(self) -> str:
        return _localised(self.name_en, self.name_zh)


class PrintArea(models.Model):
    """Where a picture may go: a box on the type's template picture and the real size it prints at."""

    product_type = models.ForeignKey(ProductType, on_delete=models.CASCADE, related_name="print_areas")
    name = models.CharField(max_length=20)
    box_x = models.PositiveSmallIntegerField()
    box_y = models.PositiveSmallIntegerField()
    box_w = models.PositiveSmallIntegerField()
    box_h = models.PositiveSmallIntegerField()
    width_mm = models.PositiveSmallIntegerField()
    height_mm = models.PositiveSmallIntegerField()
    dpi = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["product_type", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["product_type", "name"], name="print_area_name_once"),
            models.CheckConstraint(
                condition=Q(box_w__gt=0, box_h__gt=0, width_mm__gt=0, height_mm__gt=0, dpi__gt=0),
                name="print_area_positive",
            ),
        ]

    def __str__(self):
        return f"{self.product_type_id}:{self.name}"

    @property
    def spec(self) -> AreaSpec:
        return AreaSpec(
            name=self.name,
            box=(self.box_x, self.box_y, self.box_w, self.box_h),
            width_mm=self.width_mm,
            height_mm=self.height_mm,
            dpi=self.dpi,
        )


class Variant(models.Model):
    """One size and colour of a product type, with what the supply chain charges for it."""

    product_type = models.ForeignKey(ProductType, on_delete=models.CASCADE, related_name="variants")
    size = models.CharField(max_length=20, blank=True)
    colour = models.CharField(max_length=7)  # "#rrggbb"
    colour_name_en = models.CharField(max_length=30)
    colour_name_zh = models.CharField(max_length=30)
    base_cost_fen = models.PositiveIntegerField(_("base cost (fen)"))
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["product_type", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["product_type", "size", "colour"], name="variant_once"),
            models.CheckConstraint(condition=Q(colour__regex=r"^#[0-9a-f]{6}$"), name="variant_colour_hex"),
        ]

    def __str__(self):
        return f"{self.product_type_id}:{self.size}:{self.colour}"

    @property
    def colour_name(self) -> str:
        return _localised(self.colour_name_en, self.colour_name_zh)

    @property
    def label(self) -> str:
        return f"{self.size} · {self.colour_name}" if self.size else self.colour_name


class Product(models.Model):
    """A work placed on a product type by its maker: the work's owner, or a licensee whose deal covers it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting review")
        APPROVED = "approved", _("In the shop")
        REJECTED = "rejected", _("Rejected in review")
        WITHDRAWN = "withdrawn", pgettext_lazy("product status", "Withdrawn")

    reference = models.CharField(max_length=12, unique=True)
    maker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="products")
    work = models.ForeignKey("works.Work", on_delete=models.PROTECT, related_name="products")
    # The production licence the maker relies on when the work is someone else's.
    deal = models.ForeignKey(
        "licensing.Deal", null=True, blank=True, on_delete=models.PROTECT, related_name="products"
    )
    product_type = models.ForeignKey(ProductType, on_delete=models.PROTECT, related_name="products")
    print_area = models.ForeignKey(PrintArea, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=120)
    placement_x = models.FloatField()
    placement_y = models.FloatField()
    placement_scale = models.FloatField()
    price_fen = models.PositiveIntegerField(_("price (fen)"))
    variants = models.ManyToManyField(Variant, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason_code = models.CharField(max_length=30, blank=True)
    decision_message = models.TextField(max_length=2000, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "-decided_at"], name="product_shop_order")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=["approved", "rejected"])
                | Q(decided_at__isnull=False, decided_by__isnull=False),
                name="product_decided_at_by",
            ),
            models.CheckConstraint(
                condition=~Q(status="withdrawn") | Q(withdrawn_at__isnull=False), name="product_withdrawn_at"
            ),
        ]

    def __str__(self):
        return self.reference


class ProductClaim(models.Model):
    """One moderator holds a product while deciding it, as with works: two never decide the same product at once.
    A claim older than CLAIM_MINUTES is free for anyone (the holder went away)."""

    product = models.OneToOneField(Product, on_delete=models.CASCADE, related_name="review_claim")
    moderator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    claimed_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.product_id} held by {self.moderator_id}"


class Mockup(models.Model):
    """The product pictured in one colour, rendered by a worker job from the work's display derivative."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Being rendered")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="mockups")
    colour = models.CharField(max_length=7)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    name = models.CharField(max_length=200, blank=True)  # in the derivatives storage once ready
    rendered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["product", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["product", "colour"], name="mockup_once_per_colour"),
            models.CheckConstraint(
                condition=~Q(status="ready") | (~Q(name="") & Q(rendered_at__isnull=False)),
                name="mockup_ready_has_file",
            ),
        ]

    def __str__(self):
        return f"{self.product_id}:{self.colour}"


class CartLine(models.Model):
    """What a visitor (by session) or a signed-in user (by account) means to buy."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    session_key = models.CharField(max_length=64, blank=True)
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    variant = models.ForeignKey(Variant, on_delete=models.CASCADE, related_name="+")
    quantity = models.PositiveSmallIntegerField()
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["added_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(user__isnull=False) & Q(session_key=""))
                | (Q(user__isnull=True) & ~Q(session_key="")),
                name="cart_line_owner",
            ),
            models.UniqueConstraint(
                fields=["user", "product", "variant"], condition=Q(user__isnull=False), name="cart_user_line"
            ),
            models.UniqueConstraint(
                fields=["session_key", "product", "variant"],
                condition=Q(user__isnull=True),
                name="cart_session_line",
            ),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="cart_quantity_positive"),
        ]

    def __str__(self):
        return f"{self.product_id}:{self.variant_id}x{self.quantity}"


class Order(models.Model):
    class Status(models.TextChoices):
        PLACED = "placed", _("Placed, awaiting payment")
        PAID = "paid", _("Paid")
        IN_PRODUCTION = "in_production", _("In production")
        SHIPPED = "shipped", _("Shipped")
        DELIVERED = "delivered", _("Delivered")
        CANCELLED = "cancelled", _("Cancelled")
        REFUNDED = "refunded", _("Refunded")

    reference = models.CharField(max_length=12, unique=True)
    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="orders")
    status = models.CharField(max_length=14, choices=Status.choices, default=Status.PLACED)
    total_fen = models.PositiveIntegerField()
    # The buyer's address (PRV-1): encrypted at rest; makers never see it.
    ship_name = EncryptedTextField()
    ship_phone = EncryptedTextField()
    ship_address = EncryptedTextField()
    tracking = models.CharField(max_length=60, blank=True)
    placed_at = models.DateTimeField(default=timezone.now)
    paid_at = models.DateTimeField(null=True, blank=True)
    in_production_at = models.DateTimeField(null=True, blank=True)
    in_production_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    shipped_at = models.DateTimeField(null=True, blank=True)
    shipped_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    delivered_at = models.DateTimeField(null=True, blank=True)
    delivered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    refunded_at = models.DateTimeField(null=True, blank=True)
    refunded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-placed_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(total_fen__gt=0), name="order_total_positive"),
            models.CheckConstraint(
                condition=Q(status__in=["placed", "cancelled"]) | Q(paid_at__isnull=False),
                name="order_paid_at",
            ),
            models.CheckConstraint(
                condition=~Q(status="in_production")
                | Q(in_production_at__isnull=False, in_production_by__isnull=False),
                name="order_in_production_at_by",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["shipped", "delivered"])
                | Q(shipped_at__isnull=False, shipped_by__isnull=False),
                name="order_shipped_at_by",
            ),
            models.CheckConstraint(
                condition=~Q(status="delivered") | Q(delivered_at__isnull=False), name="order_delivered_at"
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | Q(cancelled_at__isnull=False), name="order_cancelled_at"
            ),
            models.CheckConstraint(
                condition=~Q(status="refunded") | Q(refunded_at__isnull=False), name="order_refunded_at"
            ),
        ]

    def __str__(self):
        return self.reference


class OrderLine(models.Model):
    """What was bought, with the prices of that moment (a later price change does not touch it)."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="order_lines")
    variant = models.ForeignKey(Variant, on_delete=models.PROTECT, related_name="+")
    maker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveSmallIntegerField()
    unit_price_fen = models.PositiveIntegerField()
    unit_base_cost_fen = models.PositiveIntegerField()

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="order_line_quantity"),
            models.CheckConstraint(
                condition=Q(unit_price_fen__gt=models.F("unit_base_cost_fen")), name="order_line_margin"
            ),
        ]

    def __str__(self):
        return f"{self.order_id}:{self.variant_id}x{self.quantity}"

    @property
    def margin_fen(self) -> int:
        return (self.unit_price_fen - self.unit_base_cost_fen) * self.quantity

    @property
    def base_cost_fen(self) -> int:
        return self.unit_base_cost_fen * self.quantity


class PrintFile(models.Model):
    """What the print shop receives for one order line: the print area at its real size and DPI, made from the
    work's original when the order goes into production. Private: only operations staff download it."""

    line = models.OneToOneField(OrderLine, on_delete=models.CASCADE, related_name="print_file")
    name = models.CharField(max_length=200)  # in private storage
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    rendered_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.line_id}: {self.width}x{self.height}"


class Payment(models.Model):
    """One try to pay an order through the configured provider (COM-5). The provider's reference identifies it
    in webhooks; no card number is ever stored."""

    class Status(models.TextChoices):
        AUTHORIZED = "authorized", _("Authorized")
        CAPTURED = "captured", _("Paid")
        DECLINED = "declined", _("Declined")
        FAILED = "failed", _("Failed")
        VOIDED = "voided", _("Voided")

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="payments")
    provider = models.CharField(max_length=40)
    provider_ref = models.CharField(max_length=80, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices)
    amount_fen = models.PositiveIntegerField()
    refunded_fen = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    captured_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "provider_ref"],
                condition=~Q(provider_ref=""),
                name="payment_provider_ref_once",
            ),
            # A paid order has one captured payment: a double-clicked "pay" cannot take the money twice.
            models.UniqueConstraint(
                fields=["order"], condition=Q(status__in=["authorized", "captured"]), name="payment_one_live"
            ),
            models.CheckConstraint(
                condition=Q(refunded_fen__lte=models.F("amount_fen")), name="payment_refund_not_above_amount"
            ),
            models.CheckConstraint(
                condition=~Q(status="captured") | Q(captured_at__isnull=False), name="payment_captured_at"
            ),
        ]

    def __str__(self):
        return f"{self.provider}:{self.provider_ref}"


class LedgerAccount(models.Model):
    """An account of the double-entry ledger. Per creator: earned on orders not yet delivered (pending),
    available, and asked for in payouts; for the platform: the money at the provider and its base-cost revenue.
    A settled payout leaves the provider account: what a creator was paid is the sum of their settled payouts."""

    class Kind(models.TextChoices):
        PROVIDER = "provider", _("Money held at the payment provider")
        PLATFORM = "platform", _("Platform revenue (base costs)")
        PENDING = "pending", _("Pending")
        AVAILABLE = "available", _("Available")
        PAYOUT = "payout", _("Payout requested")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "owner"], name="ledger_account_once"),
            models.UniqueConstraint(
                fields=["kind"], condition=Q(owner__isnull=True), name="ledger_platform_once"
            ),
        ]

    def __str__(self):
        return f"{self.kind}:{self.owner_id or 'platform'}"


class LedgerTransaction(models.Model):
    """A balanced set of entries, never edited. ``key`` makes each posting happen once (a replayed webhook or a
    double click posts nothing new)."""

    class Kind(models.TextChoices):
        SALE = "sale", _("Sale")
        RELEASE = "release", _("Delivered: margin available")
        REFUND = "refund", _("Refund")
        PAYOUT_REQUEST = "payout_request", _("Payout requested")
        PAYOUT = "payout", _("Payout settled")

    key = models.CharField(max_length=80, unique=True)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    order = models.ForeignKey(Order, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    payout = models.ForeignKey("Payout", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.key


class LedgerEntry(models.Model):
    """Debit positive, credit negative: the entries of a transaction sum to zero."""

    transaction = models.ForeignKey(LedgerTransaction, on_delete=models.PROTECT, related_name="entries")
    account = models.ForeignKey(LedgerAccount, on_delete=models.PROTECT, related_name="entries")
    amount_fen = models.BigIntegerField()

    class Meta:
        ordering = ["transaction", "pk"]
        constraints = [models.CheckConstraint(condition=~Q(amount_fen=0), name="ledger_entry_not_zero")]

    def __str__(self):
        return f"{self.transaction_id}:{self.account_id}:{self.amount_fen}"


class Payout(models.Model):
    """A creator's request to be paid their available balance; staff settle it outside the platform and record
    that here."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        SETTLED = "settled", _("Paid")

    creator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="payouts")
    amount_fen = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)
    requested_at = models.DateTimeField(default=timezone.now)
    settled_at = models.DateTimeField(null=True, blank=True)
    settled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="payout_positive"),
            models.CheckConstraint(
                condition=~Q(status="settled") | Q(settled_at__isnull=False, settled_by__isnull=False),
                name="payout_settled_at_by",
            ),
        ]

    def __str__(self):
        return f"{self.creator_id}:{self.amount_fen}"
