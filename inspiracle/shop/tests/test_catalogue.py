"""Staff keep the catalogue (COM-4): product types, variants and print areas, every change checked and audited;
a variant sold in an order is retired, never deleted. And the two reads operations staff need besides: a
buyer's address (audited, PRV-1) and the payouts to settle."""

import pytest
from django.db.models import ProtectedError

from inspiracle.audit.models import AuditEvent
from inspiracle.core.errors import ApplicationError, NotFound, PermissionDenied
from inspiracle.shop.models import OrderLine, PrintArea, ProductType, Variant
from inspiracle.shop.selectors import payout_list_for_operations
from inspiracle.shop.services.cart import cart_add
from inspiracle.shop.services.catalogue import (
    VariantDraft,
    print_area_update,
    product_type_get,
    product_type_update,
    variant_add,
    variant_update,
)
from inspiracle.shop.services.orders import order_address_open, order_advance
from inspiracle.shop.services.payouts import payout_request, payout_settle
from inspiracle.shop.services.products import product_create
from inspiracle.shop.tests.conftest import ADDRESS
from inspiracle.shop.tests.test_orders import buy

pytestmark = pytest.mark.django_db

NAVY_XXL = VariantDraft(
    size="XXL", colour="#22304F", colour_name_en="Navy", colour_name_zh="藏青色", base_cost_fen=55_00
)


def refusal(call) -> ApplicationError:
    with pytest.raises(ApplicationError) as refused:
        call()
    return refused.value


def test_staff_rename_a_type_and_change_its_margin_and_the_change_is_audited(tshirt, ada):
    product_type_update(staff=ada, product_type=tshirt, name_en=" Tee ", min_margin_fen=20_00, active=False)
    tshirt.refresh_from_db()
    assert (tshirt.name_en, tshirt.min_margin_fen, tshirt.active) == ("Tee", 20_00, False)
    event = AuditEvent.objects.get(action="shop.product_type_changed")
    assert event.actor_label == "ada" and event.target_label == "tshirt"
    assert event.data["changed"] == {
        "name_en": ["T-shirt", "Tee"],
        "min_margin_fen": [15_00, 20_00],
        "active": [True, False],
    }


def test_saving_a_type_unchanged_writes_no_audit_event(tshirt, ada):
    product_type_update(staff=ada, product_type=tshirt, name_en="T-shirt", min_margin_fen=15_00)
    assert not AuditEvent.objects.filter(action="shop.product_type_changed").exists()


def test_a_type_needs_its_names_and_a_margin_within_the_price_limit(tshirt, ada, settings):
    blank = refusal(lambda: product_type_update(staff=ada, product_type=tshirt, name_zh="  "))
    assert blank.status == 400 and "name_zh" in blank.fields
    huge = refusal(
        lambda: product_type_update(
            staff=ada, product_type=tshirt, min_margin_fen=settings.SHOP_MAX_PRICE_FEN + 1
        )
    )
    assert "min_margin_fen" in huge.fields
    tshirt.refresh_from_db()
    assert tshirt.name_zh == "T 恤" and tshirt.min_margin_fen == 15_00


def test_a_new_minimum_margin_applies_to_products_made_from_then_on(
    on_sale, published_work, draft, ana, ada, tshirt
):
    """REQ: COM-4"""
    on_sale(price_fen=61_00)  # M costs 45: a margin of 16 was enough
    product_type_update(staff=ada, product_type=tshirt, min_margin_fen=20_00)
    again = refusal(lambda: product_create(maker=ana, draft=draft(published_work(seed=5), price_fen=61_00)))
    assert again.code == "price_too_low"


def test_staff_add_a_variant_that_creators_can_then_choose(tshirt, ada, ana, published_work, draft):
    variant = variant_add(staff=ada, product_type=tshirt, draft=NAVY_XXL)
    assert (variant.size, variant.colour, variant.base_cost_fen, variant.active) == (
        "XXL",
        "#22304f",
        55_00,
        True,
    )
    assert AuditEvent.objects.get(action="shop.variant_added").data["colour"] == "#22304f"
    product = product_create(
        maker=ana, draft=draft(published_work(), variant_ids=(variant.pk,), price_fen=80_00)
    )
    assert list(product.variants.all()) == [variant]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"colour": "navy"}, "colour"),
        ({"colour": "#22304"}, "colour"),
        ({"base_cost_fen": 0}, "base_cost_fen"),
        ({"colour_name_en": " "}, "colour_name_en"),
        ({"size": "X" * 21}, "size"),
    ],
)
def test_a_variant_with_a_wrong_value_is_refused_naming_the_field(tshirt, ada, changes, field):
    values = {**NAVY_XXL.__dict__, **changes}
    refused = refusal(lambda: variant_add(staff=ada, product_type=tshirt, draft=VariantDraft(**values)))
    assert refused.status == 400 and field in refused.fields
    assert not Variant.objects.filter(product_type=tshirt, size=values["size"]).exists()


def test_the_same_size_and_colour_cannot_be_added_twice(tshirt, ada):
    twice = VariantDraft(
        size="M", colour="#FFFFFF", colour_name_en="White", colour_name_zh="白色", base_cost_fen=1
    )
    refused = refusal(lambda: variant_add(staff=ada, product_type=tshirt, draft=twice))
    assert refused.status == 409 and refused.code == "variant_exists"


def test_a_base_cost_may_not_reach_the_price_of_a_product_on_sale_in_that_variant(on_sale, ada):
    product = on_sale(price_fen=70_00)
    white_m = product.variants.get(colour="#ffffff")
    refused = refusal(lambda: variant_update(staff=ada, variant=white_m, base_cost_fen=70_00))
    assert (
        refused.status == 409
        and refused.code == "below_product_price"
        and product.reference in str(refused.message)
    )
    variant_update(staff=ada, variant=white_m, base_cost_fen=69_99)
    white_m.refresh_from_db()
    assert white_m.base_cost_fen == 69_99
    assert AuditEvent.objects.get(action="shop.variant_changed").data["changed"] == {
        "base_cost_fen": [45_00, 69_99]
    }


def test_orders_keep_the_base_cost_of_their_moment(on_sale, ben, ada):
    """REQ: COM-5"""
    product = on_sale()
    order = buy(ben, product)
    variant = order.lines.get().variant
    variant_update(staff=ada, variant=variant, base_cost_fen=50_00)
    assert order.lines.get().unit_base_cost_fen == 45_00


def test_a_variant_sold_in_an_order_is_retired_not_deleted_and_can_be_offered_again(on_sale, ben, cy, ada):
    """REQ: COM-4"""
    product = on_sale()
    order = buy(ben, product)
    variant = order.lines.get().variant
    with pytest.raises(ProtectedError):
        variant.delete()  # the order line holds it: history is never rewritten
    variant_update(staff=ada, variant=variant, active=False)
    variant.refresh_from_db()
    assert not variant.active and OrderLine.objects.filter(order=order, variant=variant).exists()
    retired = refusal(
        lambda: cart_add(
            user=cy, session_key="", product_reference=product.reference, variant_id=variant.pk, quantity=1
        )
    )
    assert retired.code == "not_buyable"
    variant_update(staff=ada, variant=variant, active=True)
    cart_add(user=cy, session_key="", product_reference=product.reference, variant_id=variant.pk, quantity=1)


def _front(tshirt) -> PrintArea:
    return tshirt.print_areas.get(name="front")


def test_a_print_area_may_move_and_resize_keeping_its_shape(tshirt, ada):
    area = print_area_update(staff=ada, area=_front(tshirt), box_x=300, box_w=450, box_h=600)
    assert (area.box_x, area.box_y, area.box_w, area.box_h) == (300, 300, 450, 600)
    event = AuditEvent.objects.get(action="shop.print_area_changed")
    assert event.data["changed"]["box_w"] == [360, 450]


@pytest.mark.parametrize(
    "changes",
    [
        {"box_x": 900},  # 900 + 360 leaves the template
        {"box_y": 800},  # 800 + 480
        {"box_w": 365},  # 365 / 480 = 0.760 against 300 / 400 = 0.750: 1.4% off
        {"height_mm": 410},
        {"dpi": 0},
        {"width_mm": 5000},
    ],
)
def test_a_print_area_must_lie_inside_the_template_and_match_the_print_shape(tshirt, ada, changes):
    area = _front(tshirt)
    refused = refusal(lambda: print_area_update(staff=ada, area=area, **changes))
    assert refused.status == 400 and refused.fields
    area.refresh_from_db()
    assert (area.box_x, area.box_y, area.box_w, area.box_h, area.width_mm, area.height_mm, area.dpi) == (
        420,
        300,
        360,
        480,
        300,
        400,
        150,
    )
    assert not AuditEvent.objects.filter(action="shop.print_area_changed").exists()


def test_a_shape_within_one_percent_is_accepted(tshirt, ada):
    area = print_area_update(staff=ada, area=_front(tshirt), box_w=363)  # 363 / 480 is 0.8% wider than 3:4
    assert area.box_w == 363


def test_only_operations_staff_change_the_catalogue(tshirt, mo, ana):
    with pytest.raises(PermissionDenied):
        product_type_update(staff=mo, product_type=tshirt, active=False)
    with pytest.raises(NotFound):
        variant_add(staff=ana, product_type=tshirt, draft=NAVY_XXL)
    with pytest.raises(NotFound):
        product_type_get(staff=ana, slug="tshirt")
    assert ProductType.objects.get(slug="tshirt").active


def test_opening_an_address_needs_a_reason_and_is_audited(on_sale, ben, ada):
    """REQ: PRV-1"""
    order = buy(ben, on_sale())
    blank = refusal(lambda: order_address_open(staff=ada, order=order, reason="  "))
    assert "reason" in blank.fields
    assert not AuditEvent.objects.filter(action="pii.viewed").exists()
    address = order_address_open(staff=ada, order=order, reason="courier asks for the door number")
    assert address == ADDRESS
    event = AuditEvent.objects.get(action="pii.viewed")
    assert (event.actor_label, event.target_id, event.reason) == (
        "ada",
        str(ben.pk),
        "courier asks for the door number",
    )
    assert event.data == {"what": "shipping_address", "order": order.reference}


def test_payouts_waiting_come_first(on_sale, ben, ana, ada, cy):
    product = on_sale(price_fen=200_00)
    for n in range(2):
        order = buy(ben, product, attempt=f"p{n}")
        for step in ("produce", "ship", "deliver"):
            order_advance(staff=ada, order=order, step=step, tracking="SF1")
        payout = payout_request(creator=ana)
        if n == 0:
            payout_settle(staff=ada, payout=payout)
    assert [p.status for p in payout_list_for_operations()] == ["requested", "settled"]
