"""Making, reviewing and withdrawing products (COM-4), with the exclusive register checked first (COM-6)."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from inspiracle import standing
from inspiracle.accounts.models import User
from inspiracle.audit.services import audit_record
from inspiracle.core.errors import ApplicationError, NotFound
from inspiracle.core.references import new_reference
from inspiracle.licensing.models import Grant
from inspiracle.licensing.register import conflicts_for, lock_works
from inspiracle.licensing.terms import Channel, Territory
from inspiracle.notifications.services import notify
from inspiracle.reasons import REASONS
from inspiracle.shop import transitions
from inspiracle.shop.mockups import Placement, placement_problems
from inspiracle.shop.models import Mockup, PrintArea, Product, ProductClaim, ProductType, Variant
from inspiracle.works.models import Work

# What the shop sells under (COM-6): online, in mainland China. A product in a category someone else holds
# exclusively there, today, cannot be sold.
SHOP_TERRITORY = Territory.MAINLAND
SHOP_CHANNEL = Channel.ONLINE
CLAIM_MINUTES = 30  # as long as a claim on a work in review holds


@dataclass(frozen=True)
class ProductDraft:
    """What a creator chose on the product form, already parsed to the right types."""

    work_id: int
    product_type_id: int
    variant_ids: tuple[int, ...]
    title: str
    placement: Placement
    price_fen: int


def _shop_scope(category: str, today: date) -> dict:
    return {
        "product_categories": [category],
        "territories": [SHOP_TERRITORY],
        "channels": [SHOP_CHANNEL],
        "starts_on": today,
        "ends_on": today,
    }


def exclusive_holders_in_the_way(*, work: Work, category: str, maker: User, today: date) -> list[Grant]:
    """Exclusive grants of someone other than ``maker`` that cover selling this work in this category now."""
    scope = _shop_scope(category, today)
    return [
        c.grant
        for c in conflicts_for(work_ids=[work.pk], scope=scope, exclusive=False)
        if c.grant.licensee_id != maker.pk
    ]


def production_grant(*, work: Work, category: str, maker: User, today: date) -> Grant | None:
    """The maker's licence to make this product of someone else's work: a grant in force covering the category,
    mainland China and online shops."""
    scope = _shop_scope(category, today)
    for conflict in conflicts_for(work_ids=[work.pk], scope=scope, exclusive=True):
        if conflict.grant.licensee_id == maker.pk and not conflict.grant.deal.is_annulled:
            return conflict.grant
    return None


def _require_may_sell(*, work: Work, product_type: ProductType, maker: User, today: date) -> Grant | None:
    if work.owner_id != maker.pk and work.status != Work.Status.PUBLISHED:
        raise NotFound(_("There is no such work."))  # someone else's unpublished work: never named
    if work.status != Work.Status.PUBLISHED:
        raise ApplicationError(
            _("Only an approved, published work can become a product; “%(title)s” is %(status)s.")
            % {"title": work.title, "status": work.get_status_display()},
            code="work_not_published",
            status=409,
        )
    grant = None
    if work.owner_id != maker.pk:
        grant = production_grant(work=work, category=product_type.category, maker=maker, today=today)
        if grant is None:
            raise ApplicationError(
                _(
                    "You can make products only of your own works, or of works you hold a licence for that "
                    "covers %(category)s sold online in mainland China. Ask the creator for such a licence first."
                )
                % {"category": product_type.get_category_display()},
                code="no_production_licence",
                status=403,
            )
    held = exclusive_holders_in_the_way(work=work, category=product_type.category, maker=maker, today=today)
    if held:
        raise ApplicationError(
            _(
                "“%(title)s” is licensed exclusively for %(category)s to %(holder)s until %(ends)s (licence "
                "%(deal)s), so it cannot be sold as this product. Choose a product of another category."
            )
            % {
                "title": work.title,
                "category": product_type.get_category_display(),
                "holder": held[0].licensee.username,
                "ends": held[0].ends_on,
                "deal": held[0].deal.reference,
            },
            code="licence_conflict",
            status=409,
        )
    return grant


def _check_variants_and_price(product_type: ProductType, draft: ProductDraft) -> list[Variant]:
    variants = list(
        Variant.objects.filter(product_type=product_type, active=True, pk__in=set(draft.variant_ids))
    )
    if not variants or len(variants) != len(set(draft.variant_ids)):
        raise ApplicationError(
            _("Choose at least one of this product type's sizes and colours."),
            code="invalid",
            fields={"variants": [_("Choose variants of the chosen product type.")]},
        )
    floor = max(v.base_cost_fen for v in variants) + product_type.min_margin_fen
    if draft.price_fen < floor:
        raise ApplicationError(
            _(
                "The price must be at least ¥%(floor).2f: the dearest variant you chose costs ¥%(base).2f to make "
                "and the minimum margin is ¥%(margin).2f."
            )
            % {
                "floor": floor / 100,
                "base": (floor - product_type.min_margin_fen) / 100,
                "margin": product_type.min_margin_fen / 100,
            },
            code="price_too_low",
            fields={"price": [_("At least ¥%(floor).2f.") % {"floor": floor / 100}]},
        )
    if draft.price_fen > settings.SHOP_MAX_PRICE_FEN:
        raise ApplicationError(
            _("The price may be at most ¥%(max)d.") % {"max": settings.SHOP_MAX_PRICE_FEN // 100},
            code="invalid",
            fields={"price": [_("Too high.")]},
        )
    return variants


def _picture_size(work: Work) -> tuple[int, int]:
    first = work.files.filter(status="ready").order_by("position", "pk").first()
    if first is None or not first.width or not first.height:
        raise ApplicationError(
            _("This work has no picture that passed the checks."), code="invalid", status=409
        )
    return first.width, first.height


def product_create(*, maker: User, draft: ProductDraft) -> Product:
    """A creator places a published work on a product type; the product waits for review while its mockups are
    rendered by a worker (one per colour)."""
    standing.require_allowed(maker, standing.PUBLISH)
    product_type = ProductType.objects.filter(pk=draft.product_type_id, active=True).first()
    if product_type is None:
        raise ApplicationError(_("Choose a product type from the catalogue."), code="invalid")
    area = PrintArea.objects.filter(product_type=product_type).order_by("pk").first()
    if area is None:
        raise ApplicationError(_("This product type has no print area yet."), code="invalid", status=409)
    title = draft.title.strip()
    if not title or len(title) > 120:
        raise ApplicationError(
            _("Give the product a title of 1 to 120 characters."),
            code="invalid",
            fields={"title": [_("1 to 120 characters.")]},
        )
    variants = _check_variants_and_price(product_type, draft)
    now = timezone.now()
    with transaction.atomic():
        # The work's row lock: a takedown or an exclusive grant made meanwhile is seen before this insert.
        works = lock_works([draft.work_id])
        if not works:
            raise NotFound(_("There is no such work."))
        work = works[0]
        grant = _require_may_sell(
            work=work, product_type=product_type, maker=maker, today=timezone.localdate(now)
        )
        problems = placement_problems(
            picture_size=_picture_size(work), placement=draft.placement, area=area.spec
        )
        if problems:
            raise ApplicationError(
                " ".join(problems),
                code="placement",
                fields={"placement": problems},
            )
        product = Product(
            reference=new_reference(Product, "P"),
            maker=maker,
            work=work,
            deal=grant.deal if grant else None,
            product_type=product_type,
            print_area=area,
            title=title,
            placement_x=draft.placement.x,
            placement_y=draft.placement.y,
            placement_scale=draft.placement.scale,
            price_fen=draft.price_fen,
            created_at=now,
        )
        product.full_clean(exclude=["variants"])
        product.save()
        product.variants.set(variants)
        Mockup.objects.bulk_create(
            Mockup(product=product, colour=c) for c in sorted({v.colour for v in variants})
        )
        audit_record(
            action="shop.product_submitted", actor=maker, target=product, target_label=product.reference
        )
        transaction.on_commit(lambda: _render_later(product.pk), robust=True)
    return product


def _render_later(product_id: int) -> None:
    from inspiracle.shop.tasks import render_mockups

    render_mockups.delay(product_id)


def _tell_maker(product: Product, template: str, reason_code: str = "") -> None:
    notify(
        user=product.maker,
        template=template,
        params={"title": product.title, "reference": product.reference},
        reason_code=reason_code,
        link=reverse("shop_studio:product", args=[product.reference]),
    )


def _locked(product_id: int) -> Product:
    return Product.objects.select_for_update().get(pk=product_id)


def claim_holder(product: Product, now: datetime) -> User | None:
    """Who holds the product for review now, if anyone (a claim older than CLAIM_MINUTES holds nothing)."""
    claim = ProductClaim.objects.filter(product=product).select_related("moderator").first()
    if claim is None or now - claim.claimed_at > timedelta(minutes=CLAIM_MINUTES):
        return None
    return claim.moderator


def _require_free(locked: Product, moderator: User, now: datetime) -> None:
    holder = claim_holder(locked, now)
    if holder is not None and holder.pk != moderator.pk:
        raise ApplicationError(
            _("@%(name)s is reviewing this product; pick another one.") % {"name": holder.username},
            code="claimed",
            status=409,
        )


def product_claim(*, moderator: User, product: Product) -> ProductClaim:
    """Hold a product for deciding. Taking over a fresh claim of someone else is refused with their name."""
    now = timezone.now()
    with transaction.atomic():
        # The product's row lock: two moderators claiming at once do not both succeed.
        locked = _locked(product.pk)
        if locked.status != Product.Status.PENDING:
            raise ApplicationError(
                _("This product is not awaiting review."), code="invalid_state", status=409
            )
        _require_free(locked, moderator, now)
        claim, _created = ProductClaim.objects.update_or_create(
            product=locked, defaults={"moderator": moderator, "claimed_at": now}
        )
        audit_record(
            action="shop.product_claimed", actor=moderator, target=locked, target_label=locked.reference
        )
    return claim


def product_approve(*, moderator: User, product: Product) -> Product:
    with transaction.atomic():
        locked = _locked(product.pk)
        _require_free(locked, moderator, timezone.now())
        transitions.shop_transition(obj=locked, transition=transitions.PRODUCT_APPROVE, by=moderator)
        _tell_maker(locked, "shop_product_approved")
    return locked


def product_reject(*, moderator: User, product: Product, reason_code: str, message: str) -> Product:
    if reason_code not in {reason.code for reason in REASONS}:
        raise ApplicationError(
            _("Choose the reason for the rejection."),
            code="invalid",
            fields={"reason": [_("Required.")]},
        )
    with transaction.atomic():
        locked = _locked(product.pk)
        _require_free(locked, moderator, timezone.now())
        locked.reason_code, locked.decision_message = reason_code, message.strip()[:2000]
        transitions.shop_transition(
            obj=locked, transition=transitions.PRODUCT_REJECT, by=moderator, reason=reason_code
        )
        _tell_maker(locked, "shop_product_rejected", reason_code=reason_code)
    return locked


def product_withdraw(*, user: User, product: Product) -> Product:
    with transaction.atomic():
        locked = _locked(product.pk)
        transitions.shop_transition(obj=locked, transition=transitions.PRODUCT_WITHDRAW, by=user)
    return locked
