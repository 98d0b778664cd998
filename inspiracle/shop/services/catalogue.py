"""What shop operations staff (SHOP_OPERATIONS, COM-4, COM-5) do besides moving orders on: keep the catalogue
(product types, their variants and print areas), open a buyer's shipping address, and read the payouts to
settle. Each change is checked, ``full_clean``ed and audited in its own transaction.

Catalogue changes reach products made from then on: a variant sold in an order is never deleted (the order
line protects it), only deactivated, which takes it out of every product's choices at once. Orders keep the
prices and base costs of their moment.
"""

import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model, Prefetch, QuerySet
from django.utils.translation import gettext as _

from inspiracle.accounts.models import User
from inspiracle.accounts.permissions import SHOP_OPERATIONS, require_capability
from inspiracle.audit.services import audit_record
from inspiracle.core.errors import ApplicationError, NotFound
from inspiracle.core.generations import generation_bump
from inspiracle.shop.art import TEMPLATE_SIZE
from inspiracle.shop.models import PrintArea, Product, ProductType, Variant

COLOUR = re.compile(r"#[0-9a-f]{6}")
ASPECT_TOLERANCE = 0.01  # a box and its print size may differ this much in shape: a pixel of rounding
MAX_PRINT_MM = 2000
MAX_DPI = 1200


@dataclass(frozen=True)
class VariantDraft:
    """A new size and colour of a product type, as staff typed it (money in fen)."""

    size: str
    colour: str
    colour_name_en: str
    colour_name_zh: str
    base_cost_fen: int


# --- Reads ------------------------------------------------------------------------------------------------


def catalogue_list_for_staff() -> QuerySet[ProductType]:
    """Every product type, active or not, with its variants and print areas (two queries, however many)."""
    return ProductType.objects.prefetch_related(
        Prefetch("variants", queryset=Variant.objects.order_by("pk")),
        Prefetch("print_areas", queryset=PrintArea.objects.order_by("pk")),
    )


def product_type_get(*, staff: User, slug: str) -> ProductType:
    require_capability(staff, SHOP_OPERATIONS)
    found = catalogue_list_for_staff().filter(slug=slug).first()
    if found is None:
        raise NotFound(_("There is no such product type."))
    return found


def variant_get(*, staff: User, variant_id: int) -> Variant:
    require_capability(staff, SHOP_OPERATIONS)
    found = Variant.objects.select_related("product_type").filter(pk=variant_id).first()
    if found is None:
        raise NotFound(_("There is no such variant."))
    return found


def print_area_get(*, staff: User, area_id: int) -> PrintArea:
    require_capability(staff, SHOP_OPERATIONS)
    found = PrintArea.objects.select_related("product_type").filter(pk=area_id).first()
    if found is None:
        raise NotFound(_("There is no such print area."))
    return found


# --- Catalogue changes ------------------------------------------------------------------------------------


def _clean(obj: Model) -> None:
    """``full_clean``, its complaints as a refusal naming each field."""
    try:
        obj.full_clean()
    except ValidationError as exc:
        fields = {name: list(messages) for name, messages in exc.message_dict.items()}
        raise ApplicationError(
            _("Some values are not valid; correct the marked fields."),
            code="invalid",
            fields={("request" if name == "__all__" else name): msgs for name, msgs in fields.items()},
        ) from exc


def _fen_problem(value: int, *, least: int) -> str | None:
    if least <= value <= settings.SHOP_MAX_PRICE_FEN:
        return None
    return _("From ¥%(least).2f to ¥%(most)d.") % {
        "least": least / 100,
        "most": settings.SHOP_MAX_PRICE_FEN // 100,
    }


def _refuse(fields: dict[str, list[str]]) -> None:
    if fields:
        raise ApplicationError(
            _("Some values are not valid; correct the marked fields."), code="invalid", fields=fields
        )


def _apply(obj: Model, values: dict[str, Any]) -> dict[str, list[Any]]:
    """Set the given values (None: leave as it is); what changed, as field -> [before, after] for the audit."""
    changed: dict[str, list[Any]] = {}
    for name, value in values.items():
        if value is None or getattr(obj, name) == value:
            continue
        changed[name] = [getattr(obj, name), value]
        setattr(obj, name, value)
    return changed


def _save_changes(*, staff: User, obj: Model, changed: dict[str, list[Any]], action: str, label: str) -> None:
    if not changed:
        return
    _clean(obj)
    obj.save()
    audit_record(action=action, actor=staff, target=obj, target_label=label, data={"changed": changed})
    generation_bump("products")  # type names and colour names are on the shop's cached cards


def product_type_update(
    *,
    staff: User,
    product_type: ProductType,
    name_en: str | None = None,
    name_zh: str | None = None,
    min_margin_fen: int | None = None,
    active: bool | None = None,
) -> ProductType:
    """Rename a type, set its minimum margin, or take it out of the product form (``active``). A new minimum
    applies to products made from then on; an inactive type's products already in the shop stay on sale."""
    require_capability(staff, SHOP_OPERATIONS)
    problem = None if min_margin_fen is None else _fen_problem(min_margin_fen, least=0)
    _refuse({"min_margin_fen": [problem]} if problem else {})
    with transaction.atomic():
        locked = ProductType.objects.select_for_update().get(pk=product_type.pk)
        values = {
            "name_en": name_en.strip() if name_en is not None else None,
            "name_zh": name_zh.strip() if name_zh is not None else None,
            "min_margin_fen": min_margin_fen,
            "active": active,
        }
        changed = _apply(locked, values)
        _save_changes(
            staff=staff, obj=locked, changed=changed, action="shop.product_type_changed", label=locked.slug
        )
    return locked


def variant_add(*, staff: User, product_type: ProductType, draft: VariantDraft) -> Variant:
    require_capability(staff, SHOP_OPERATIONS)
    colour = draft.colour.strip().lower()
    size = draft.size.strip()
    problems: dict[str, list[str]] = {}
    if not COLOUR.fullmatch(colour):
        problems["colour"] = [_("Write the colour as #rrggbb, for example #22304f.")]
    cost_problem = _fen_problem(draft.base_cost_fen, least=1)
    if cost_problem:
        problems["base_cost_fen"] = [cost_problem]
    _refuse(problems)
    with transaction.atomic():
        # The type's row lock: two staff adding the same size and colour at once get one variant and a refusal.
        ProductType.objects.select_for_update().filter(pk=product_type.pk).first()
        if Variant.objects.filter(product_type=product_type, size=size, colour=colour).exists():
            raise ApplicationError(
                _(
                    "%(type)s already comes in size “%(size)s” and colour %(colour)s. Edit that variant, or "
                    "reactivate it if it was retired."
                )
                % {"type": product_type.name, "size": size, "colour": colour},
                code="variant_exists",
                status=409,
            )
        variant = Variant(
            product_type=product_type,
            size=size,
            colour=colour,
            colour_name_en=draft.colour_name_en.strip(),
            colour_name_zh=draft.colour_name_zh.strip(),
            base_cost_fen=draft.base_cost_fen,
        )
        _clean(variant)
        variant.save()
        audit_record(
            action="shop.variant_added",
            actor=staff,
            target=variant,
            target_label=f"{product_type.slug} {variant.label}",
            data={"size": size, "colour": colour, "base_cost_fen": draft.base_cost_fen},
        )
    return variant


def _priced_at_or_below(variant: Variant, cost_fen: int) -> list[Product]:
    return list(
        Product.objects.filter(
            variants=variant,
            status__in=[Product.Status.PENDING, Product.Status.APPROVED],
            price_fen__lte=cost_fen,
        ).order_by("price_fen", "pk")[:5]
    )


def variant_update(
    *,
    staff: User,
    variant: Variant,
    base_cost_fen: int | None = None,
    colour_name_en: str | None = None,
    colour_name_zh: str | None = None,
    active: bool | None = None,
) -> Variant:
    """Change what a variant costs to make, its colour's names, or retire it (``active=False``: it leaves every
    product's choices and carts refuse it) and bring it back. Size and colour stay: products, their mockups
    and past orders were made in them. A base cost may not reach the price of a product on sale or in review
    in this variant: such a sale could not be booked."""
    require_capability(staff, SHOP_OPERATIONS)
    problem = None if base_cost_fen is None else _fen_problem(base_cost_fen, least=1)
    _refuse({"base_cost_fen": [problem]} if problem else {})
    with transaction.atomic():
        locked = Variant.objects.select_for_update().select_related("product_type").get(pk=variant.pk)
        if base_cost_fen is not None and base_cost_fen > locked.base_cost_fen:
            below = _priced_at_or_below(locked, base_cost_fen)
            if below:
                raise ApplicationError(
                    _(
                        "Products on sale or in review in this variant cost no more than ¥%(cost).2f (%(products)s). "
                        "Their sales could not be booked at that base cost: retire this variant instead, or "
                        "choose a lower cost."
                    )
                    % {
                        "cost": base_cost_fen / 100,
                        "products": ", ".join(f"{p.reference} ¥{p.price_fen / 100:.2f}" for p in below),
                    },
                    code="below_product_price",
                    status=409,
                    fields={"base_cost_fen": [_("Higher than the price of a product in this variant.")]},
                )
        values = {
            "base_cost_fen": base_cost_fen,
            "colour_name_en": colour_name_en.strip() if colour_name_en is not None else None,
            "colour_name_zh": colour_name_zh.strip() if colour_name_zh is not None else None,
            "active": active,
        }
        changed = _apply(locked, values)
        label = f"{locked.product_type.slug} {locked.label}"
        _save_changes(staff=staff, obj=locked, changed=changed, action="shop.variant_changed", label=label)
    return locked


def _area_problems(area: PrintArea) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    x, y, w, h = area.box_x, area.box_y, area.box_w, area.box_h
    if min(w, h) < 1 or x + w > TEMPLATE_SIZE or y + h > TEMPLATE_SIZE:
        problems["box"] = [
            _(
                "The box must lie inside the %(size)d × %(size)d px template: x + width and y + height at most "
                "%(size)d, width and height at least 1 (now %(x)d + %(w)d and %(y)d + %(h)d)."
            )
            % {"size": TEMPLATE_SIZE, "x": x, "y": y, "w": w, "h": h}
        ]
    for name, value, most in (
        ("width_mm", area.width_mm, MAX_PRINT_MM),
        ("height_mm", area.height_mm, MAX_PRINT_MM),
    ):
        if not 1 <= value <= most:
            problems[name] = [_("From 1 to %(most)d mm.") % {"most": most}]
    if not 1 <= area.dpi <= MAX_DPI:
        problems["dpi"] = [_("From 1 to %(most)d dpi.") % {"most": MAX_DPI}]
    if not problems:
        box_aspect, print_aspect = w / h, area.width_mm / area.height_mm
        if abs(box_aspect / print_aspect - 1) > ASPECT_TOLERANCE:
            problems["box"] = [
                _(
                    "The box (%(w)d × %(h)d px, width/height %(box).3f) and the print size (%(mw)d × %(mh)d mm, "
                    "%(print).3f) must have the same shape, within 1%%: change the box or the size."
                )
                % {
                    "w": w,
                    "h": h,
                    "box": box_aspect,
                    "mw": area.width_mm,
                    "mh": area.height_mm,
                    "print": print_aspect,
                }
            ]
    return problems


def print_area_update(
    *,
    staff: User,
    area: PrintArea,
    box_x: int | None = None,
    box_y: int | None = None,
    box_w: int | None = None,
    box_h: int | None = None,
    width_mm: int | None = None,
    height_mm: int | None = None,
    dpi: int | None = None,
) -> PrintArea:
    """Move or resize where a picture goes on the type's template, and the size and resolution it prints at.
    The box must fit the template and have the print's shape, or mockups would stretch the picture. Mockups
    already rendered stay as they are; those rendered later use the new box."""
    require_capability(staff, SHOP_OPERATIONS)
    with transaction.atomic():
        locked = PrintArea.objects.select_for_update().select_related("product_type").get(pk=area.pk)
        values = {
            "box_x": box_x,
            "box_y": box_y,
            "box_w": box_w,
            "box_h": box_h,
            "width_mm": width_mm,
            "height_mm": height_mm,
            "dpi": dpi,
        }
        if any(v is not None and v < 0 for v in values.values()):
            _refuse({name: [_("Not below 0.")] for name, v in values.items() if v is not None and v < 0})
        changed = _apply(locked, values)
        _refuse(_area_problems(locked))
        label = f"{locked.product_type.slug} {locked.name}"
        _save_changes(staff=staff, obj=locked, changed=changed, action="shop.print_area_changed", label=label)
    return locked
