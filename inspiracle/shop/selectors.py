"""Reads of the shop: what is for sale, carts, orders by audience, a creator's revenue."""

from django.db.models import Case, F, Prefetch, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from inspiracle.accounts.models import User
from inspiracle.shop.models import CartLine, Mockup, Order, OrderLine, Payout, Product, Variant
from inspiracle.works.models import Work


def buyable_q() -> Q:
    """For sale: approved, and its work still published. A work taken down, unpublished or deleted takes its
    products out of the shop at once, without touching them (an upheld appeal brings them back)."""
    return Q(status=Product.Status.APPROVED, work__status=Work.Status.PUBLISHED)


def product_for_sale(product: Product) -> bool:
    """``buyable_q`` for one product already loaded with its work."""
    return product.status == Product.Status.APPROVED and product.work.status == Work.Status.PUBLISHED


def buyable_problem(product: Product, variant: Variant) -> str | None:
    """Why this variant of this product cannot be bought now, or None."""
    if not product_for_sale(product):
        return _("“%(title)s” is no longer for sale; remove it from your cart.") % {"title": product.title}
    if not variant.active or not product.variants.filter(pk=variant.pk).exists():
        return _("“%(title)s” is no longer made in %(variant)s; choose another size or colour.") % {
            "title": product.title,
            "variant": variant.label,
        }
    return None


def _with_pictures(qs: QuerySet[Product]) -> QuerySet[Product]:
    return qs.select_related("product_type", "maker__profile", "work").prefetch_related(
        Prefetch("mockups", queryset=Mockup.objects.order_by("pk")), "variants"
    )


# What a shop card shows, and no more: a product row, its type's names, its maker's name (COM-4). Loading whole
# rows of works, types and users cost more than the queries themselves (bench/shop.py).
CARD_FIELDS = (
    "reference",
    "title",
    "price_fen",
    "decided_at",
    "maker_id",
    "product_type_id",
    "product_type__slug",
    "product_type__name_en",
    "product_type__name_zh",
    "maker__username",
    "maker__profile__display_name",
)


def product_list_for_shop(
    *,
    q: str = "",
    product_type: str = "",
    maker: str = "",
    min_fen: int | None = None,
    max_fen: int | None = None,
) -> QuerySet[Product]:
    qs = Product.objects.filter(buyable_q())
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(work__title__icontains=q))
    if product_type:
        qs = qs.filter(product_type__slug=product_type)
    if maker:
        qs = qs.filter(maker__username=maker)
    if min_fen is not None:
        qs = qs.filter(price_fen__gte=min_fen)
    if max_fen is not None:
        qs = qs.filter(price_fen__lte=max_fen)
    ready = (
        Mockup.objects.filter(status=Mockup.Status.READY)
        .only("product_id", "colour", "status")
        .order_by("pk")
    )
    names = Variant.objects.only("colour", "colour_name_en", "colour_name_zh", "size")
    return (
        qs.select_related("product_type", "maker__profile")
        .only(*CARD_FIELDS)
        .prefetch_related(Prefetch("mockups", queryset=ready), Prefetch("variants", queryset=names))
        .order_by("-decided_at", "-pk")
    )


def product_list_for_maker(maker: User) -> QuerySet[Product]:
    return _with_pictures(Product.objects.filter(maker=maker))


def product_list_for_review() -> QuerySet[Product]:
    return _with_pictures(Product.objects.filter(status=Product.Status.PENDING)).order_by("created_at", "pk")


def cart_lines(*, user: User | None, session_key: str) -> list[CartLine]:
    owner = (
        Q(user=user)
        if user is not None and user.is_authenticated
        else Q(user__isnull=True, session_key=session_key)
    )
    if not session_key and (user is None or not user.is_authenticated):
        return []
    return list(
        CartLine.objects.filter(owner)
        .select_related("product__work", "product__product_type", "variant")
        .order_by("pk")
    )


def order_list_for_buyer(buyer: User) -> QuerySet[Order]:
    return Order.objects.filter(buyer=buyer).prefetch_related("lines__product", "lines__variant")


def order_list_for_maker(maker: User) -> QuerySet[Order]:
    """Paid orders with a product of ``maker``; pages show makers their own lines only, never the address."""
    return (
        Order.objects.filter(lines__maker=maker)
        .exclude(status__in=[Order.Status.PLACED, Order.Status.CANCELLED])
        .distinct()
        .prefetch_related(Prefetch("lines", queryset=_maker_lines(maker)))
    )


def _maker_lines(maker: User) -> QuerySet[OrderLine]:
    return OrderLine.objects.filter(maker=maker).select_related("product", "variant")


def order_list_for_operations(*, status: str = "") -> QuerySet[Order]:
    qs = Order.objects.exclude(status=Order.Status.PLACED)
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("buyer").prefetch_related(
        "lines__product", "lines__variant", "lines__maker", "lines__print_file"
    )


def payout_list_for_operations() -> QuerySet[Payout]:
    """Payouts to settle first, the longest waiting at the top; then the settled ones, the latest first."""
    return (
        Payout.objects.select_related("creator", "settled_by")
        .annotate(done=Case(When(status=Payout.Status.REQUESTED, then=Value(0)), default=Value(1)))
        .order_by("done", F("settled_at").desc(nulls_first=True), "requested_at", "pk")
    )
