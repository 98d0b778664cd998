"""The shop in the staff console: moderators review products (COM-4); operations staff move orders to delivery,
refund them, read an address only with a reason (PRV-1), settle payouts (COM-5) and keep the catalogue."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inspiracle.audit.models import AuditEvent
from inspiracle.core.testing import make_user
from inspiracle.shop import ledger
from inspiracle.shop.models import Order, Payout, PrintArea, Product, ProductType, Variant
from inspiracle.shop.selectors import product_list_for_shop
from inspiracle.shop.services.orders import order_advance
from inspiracle.shop.services.payouts import payout_request
from inspiracle.shop.services.products import product_create
from inspiracle.shop.tests.conftest import ADDRESS
from inspiracle.shop.tests.test_api_studio import licence
from inspiracle.shop.tests.test_orders import buy
from inspiracle.works.models import Match

pytestmark = pytest.mark.django_db
REVIEW = "/staff/shop/review/"
ORDERS = "/staff/shop/orders/"


@pytest.fixture
def pending(ana, published_work, draft, django_capture_on_commit_callbacks):
    """``pending(work=None, maker=ana, **changes)``: a T-shirt awaiting review, its mockups rendered."""

    def pending(work=None, maker=None, **changes) -> Product:
        with django_capture_on_commit_callbacks(execute=True):
            return product_create(maker=maker or ana, draft=draft(work or published_work(), **changes))

    return pending


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def text(response) -> str:
    return response.content.decode()


# --- Review -----------------------------------------------------------------------------------------------


def test_moderators_see_products_awaiting_review_oldest_first_in_constant_queries(
    pending, published_work, draft, ana, mo, client_for, django_assert_num_queries
):
    """REQ: COM-4"""
    work = published_work()
    first = pending(work, title="First tee")
    client = client_for(mo)
    once = queries(client, REVIEW)
    for n in range(4):
        product_create(maker=ana, draft=draft(work, title=f"Later tee {n}"))
    with django_assert_num_queries(once):
        page = text(client.get(REVIEW))
    assert page.index("First tee") < page.index("Later tee 0") < page.index("Later tee 3")
    assert f"/shop/p/{first.reference}/mockups/" in page


def test_the_review_page_shows_the_mockups_the_work_its_similar_works_and_the_price(
    pending, published_work, mo, client_for
):
    product = pending(price_fen=88_00)
    other = published_work(title="Somebody's rain", seed=2)
    Match.objects.create(file=product.work.files.get(), other=other.files.get(), kind="near", distance=6)
    page = text(client_for(mo).get(f"{REVIEW}{product.reference}/"))
    for mockup in product.mockups.all():
        assert f"/shop/p/{product.reference}/mockups/{mockup.pk}.webp" in page
    assert "Somebody&#x27;s rain" in page and "distance 6 of 64" in page
    assert "¥88.00" in page and "¥43.00" in page  # the price, and the margin on a ¥45 shirt
    assert "The maker owns the work" in page


def test_a_product_made_under_a_licence_shows_the_deal_to_the_reviewer(
    pending, published_work, ana, ben, mo, client_for
):
    """REQ: COM-4, COM-6"""
    work = published_work()
    deal = licence(ana, ben, work)
    product = pending(work, maker=ben)
    page = text(client_for(mo).get(f"{REVIEW}{product.reference}/"))
    assert deal.reference in page and "@ana" in page and "@ben_brand" in page


def test_a_product_is_in_the_shop_only_after_a_moderator_approves_it(pending, mo, client_for):
    """REQ: COM-4"""
    product = pending()
    assert product not in product_list_for_shop()
    response = client_for(mo).post(f"{REVIEW}{product.reference}/approve/")
    assert response.status_code == 302 and response["Location"] == REVIEW
    assert list(product_list_for_shop()) == [product]
    event = AuditEvent.objects.get(action="shop.product_approved")
    assert (event.actor_label, event.target_label) == ("mo", product.reference)


def test_a_rejection_needs_a_reason_and_keeps_the_product_out_of_the_shop(pending, mo, client_for):
    """REQ: COM-4"""
    product = pending()
    client = client_for(mo)
    url = f"{REVIEW}{product.reference}/reject/"
    missing = client.post(url, {"reason_code": "", "message": "Blurry"})
    assert missing.status_code == 400 and "This field is required." in text(missing)
    assert Product.objects.get(pk=product.pk).status == Product.Status.PENDING
    rejected = client.post(url, {"reason_code": "third_party_rights", "message": "Someone else's drawing"})
    assert rejected.status_code == 302
    product.refresh_from_db()
    assert (product.status, product.reason_code, product.decision_message) == (
        "rejected",
        "third_party_rights",
        "Someone else's drawing",
    )
    assert product not in product_list_for_shop()
    assert "Someone else&#x27;s drawing" in text(client.get(f"{REVIEW}{product.reference}/"))


def test_a_second_moderator_deciding_the_same_product_is_told_it_was_decided(pending, mo, client_for):
    """REQ: COM-4"""
    product = pending()
    mia = make_user("mia", role="moderator")
    assert client_for(mo).post(f"{REVIEW}{product.reference}/approve/").status_code == 302
    late = client_for(mia).post(f"{REVIEW}{product.reference}/reject/", {"reason_code": "third_party_rights"})
    assert late.status_code == 409
    assert "This cannot be done while it is “In the shop”" in text(late) and "Decided by @mo" in text(late)
    assert client_for(mia).post(f"{REVIEW}{product.reference}/approve/").status_code == 409
    assert Product.objects.get(pk=product.pk).decided_by == mo


# --- Orders -----------------------------------------------------------------------------------------------


def test_the_orders_list_filters_by_status_in_constant_queries(
    on_sale, ben, ada, client_for, django_assert_num_queries
):
    product = on_sale()
    first = buy(ben, product, attempt="o0")
    client = client_for(ada)
    once = queries(client, ORDERS)
    later = [buy(ben, product, attempt=f"o{n}") for n in range(1, 4)]
    order_advance(staff=ada, order=later[0], step="produce")
    with django_assert_num_queries(once):
        everything = text(client.get(ORDERS))
    assert all(o.reference in everything for o in [first, *later])
    in_production = text(client.get(ORDERS, {"status": "in_production"}))
    assert later[0].reference in in_production and first.reference not in in_production


def test_operations_move_an_order_to_delivered_and_the_makers_margin_becomes_available(
    on_sale, ben, ana, ada, client_for
):
    """REQ: COM-5
    GIVEN a paid ¥99 T-shirt (base cost ¥45) WHEN operations start production, ship it (a tracking number is
    required) and mark it delivered THEN Ana's ¥54 margin moves from pending to available."""
    order = buy(ben, on_sale())
    client = client_for(ada)
    url = f"{ORDERS}{order.reference}/"
    assert ledger.balances_for(ana).pending == 54_00
    assert client.post(url + "advance/", {"step": "produce"}).status_code == 302
    no_tracking = client.post(url + "advance/", {"step": "ship", "tracking": ""})
    assert no_tracking.status_code == 400 and "tracking number" in text(no_tracking)
    assert client.post(url + "advance/", {"step": "ship", "tracking": "SF1234567890"}).status_code == 302
    assert "SF1234567890" in text(client.get(url))
    assert client.post(url + "advance/", {"step": "deliver"}).status_code == 302
    order.refresh_from_db()
    assert order.status == Order.Status.DELIVERED and order.delivered_by == ada
    assert ledger.balances_for(ana) == ledger.Balances(pending=0, available=54_00, requested=0, paid=0)
    again = client.post(url + "advance/", {"step": "deliver"})
    assert again.status_code == 409 and "Delivered" in text(again)


def test_a_refund_from_the_order_page_reverses_the_sale(on_sale, ben, ana, ada, client_for):
    """REQ: COM-5"""
    order = buy(ben, on_sale())
    client = client_for(ada)
    url = f"{ORDERS}{order.reference}/refund/"
    assert client.post(url).status_code == 302
    order.refresh_from_db()
    assert order.status == Order.Status.REFUNDED and order.refunded_by == ada
    assert all(total == 0 for total in ledger.account_sums().values())
    twice = client.post(url)
    assert twice.status_code == 409 and "Only a paid order can be refunded" in text(twice)


def test_the_address_is_shown_only_with_a_reason_and_each_showing_is_audited(on_sale, ben, ada, client_for):
    """REQ: PRV-1
    GIVEN a paid order WHEN an administrator opens it THEN the address is not on the page; asked for without a
    reason it stays hidden; with a reason it is shown, never cached, and the audit log names who, whose, why."""
    order = buy(ben, on_sale())
    client = client_for(ada)
    url = f"{ORDERS}{order.reference}/"
    assert ADDRESS.address not in text(client.get(url))
    refused = client.post(url + "address/", {"reason": ""})
    assert refused.status_code == 400 and ADDRESS.address not in text(refused)
    assert not AuditEvent.objects.filter(action="pii.viewed").exists()
    shown = client.post(url + "address/", {"reason": "printing the parcel label"})
    assert shown.status_code == 200 and ADDRESS.address in text(shown) and ADDRESS.phone in text(shown)
    assert "no-store" in shown["Cache-Control"]
    event = AuditEvent.objects.get(action="pii.viewed")
    assert (event.actor_label, event.target_id, event.reason) == (
        "ada",
        str(ben.pk),
        "printing the parcel label",
    )
    assert event.data["order"] == order.reference


# --- Payouts ----------------------------------------------------------------------------------------------


def test_operations_mark_a_requested_payout_paid(on_sale, ben, ana, ada, client_for):
    """REQ: COM-5"""
    order = buy(ben, on_sale(price_fen=200_00))
    for step in ("produce", "ship", "deliver"):
        order_advance(staff=ada, order=order, step=step, tracking="SF1")
    payout = payout_request(creator=ana)
    client = client_for(ada)
    page = text(client.get("/staff/shop/payouts/"))
    assert "¥155.00" in page and "Mark paid" in page
    assert client.post(f"/staff/shop/payouts/{payout.pk}/settle/").status_code == 302
    assert Payout.objects.get(pk=payout.pk).settled_by == ada
    assert ledger.balances_for(ana) == ledger.Balances(pending=0, available=0, requested=0, paid=155_00)
    again = client.post(f"/staff/shop/payouts/{payout.pk}/settle/", follow=True)
    assert "already settled" in text(again)


# --- Catalogue --------------------------------------------------------------------------------------------


def test_the_catalogue_lists_every_type_with_its_variants_in_constant_queries(
    ada, client_for, django_assert_num_queries
):
    client = client_for(ada)
    once = queries(client, "/staff/shop/catalogue/")
    extra = ProductType.objects.create(
        slug="tote",
        name_en="Tote bag",
        name_zh="帆布袋",
        template="poster",
        category="accessories",
        min_margin_fen=5_00,
    )
    Variant.objects.create(
        product_type=extra,
        colour="#f5f0e6",
        colour_name_en="Natural",
        colour_name_zh="本色",
        base_cost_fen=20_00,
    )
    PrintArea.objects.create(
        product_type=extra,
        name="front",
        box_x=300,
        box_y=300,
        box_w=600,
        box_h=600,
        width_mm=300,
        height_mm=300,
        dpi=150,
    )
    with django_assert_num_queries(once):
        page = text(client.get("/staff/shop/catalogue/"))
    assert "Tote bag" in page and "Heather grey" in page and "¥20.00" in page


def test_staff_edit_a_type_and_add_retire_and_reprice_variants(tshirt, ada, client_for):
    client = client_for(ada)
    url = "/staff/shop/catalogue/tshirt/"
    saved = client.post(url, {"name_en": "Tee", "name_zh": "T 恤", "min_margin": "18.50", "active": "on"})
    assert saved.status_code == 302
    tshirt.refresh_from_db()
    assert (tshirt.name_en, tshirt.min_margin_fen) == ("Tee", 18_50)
    navy = {
        "size": "XXL",
        "colour": "#22304f",
        "colour_name_en": "Navy",
        "colour_name_zh": "藏青色",
        "base_cost": "55.50",
    }
    assert client.post(url + "variants/", navy).status_code == 302
    variant = Variant.objects.get(product_type=tshirt, size="XXL")
    assert variant.base_cost_fen == 55_50
    twice = client.post(url + "variants/", navy)
    assert twice.status_code == 409 and "already comes in size" in text(twice)
    wrong = client.post(url + "variants/", {**navy, "size": "3XL", "colour": "navy"})
    assert wrong.status_code == 400 and "#rrggbb" in text(wrong)
    assert (
        client.post(f"/staff/shop/catalogue/variants/{variant.pk}/", {"base_cost": "60"}).status_code == 302
    )
    assert (
        client.post(f"/staff/shop/catalogue/variants/{variant.pk}/active/", {"active": "0"}).status_code
        == 302
    )
    variant.refresh_from_db()
    assert (variant.base_cost_fen, variant.active) == (60_00, False)
    assert "Offer again" in text(client.get(url))


def test_a_base_cost_above_a_products_price_is_refused_on_the_page(on_sale, ada, client_for):
    product = on_sale(price_fen=70_00)
    variant = product.variants.get(colour="#ffffff")
    refused = client_for(ada).post(f"/staff/shop/catalogue/variants/{variant.pk}/", {"base_cost": "75.00"})
    assert refused.status_code == 409 and product.reference in text(refused)
    assert Variant.objects.get(pk=variant.pk).base_cost_fen == 45_00


def test_a_print_area_is_edited_inside_the_template_with_the_prints_shape(tshirt, ada, client_for):
    client = client_for(ada)
    area = tshirt.print_areas.get()
    values = {
        "box_x": 420,
        "box_y": 300,
        "box_w": 360,
        "box_h": 480,
        "width_mm": 300,
        "height_mm": 400,
        "dpi": 150,
    }
    outside = client.post(f"/staff/shop/catalogue/areas/{area.pk}/", {**values, "box_x": 900})
    assert outside.status_code == 400 and "inside the 1200 × 1200 px template" in text(outside)
    squashed = client.post(f"/staff/shop/catalogue/areas/{area.pk}/", {**values, "height_mm": 300})
    assert squashed.status_code == 400 and "same shape" in text(squashed)
    assert client.post(f"/staff/shop/catalogue/areas/{area.pk}/", {**values, "dpi": 200}).status_code == 302
    assert PrintArea.objects.get(pk=area.pk).dpi == 200


def test_production_makes_each_lines_print_file_from_the_original_for_operations_only(
    on_sale, ben, ada, mo, client_for, django_capture_on_commit_callbacks
):
    """REQ: COM-4
    GIVEN a paid T-shirt order WHEN operations start production THEN a job makes the print file at the print
    area's real size (300 x 400 mm at 150 DPI: 1772 x 2362 px, transparent around the picture), the order page
    links it, operations download it, and nobody else can."""
    from io import BytesIO

    from PIL import Image

    order = buy(ben, on_sale())
    with django_capture_on_commit_callbacks(execute=True):
        order_advance(staff=ada, order=order, step="produce")
    line = order.lines.get()
    url = f"/staff/shop/orders/{order.reference}/print/{line.pk}.png"
    assert url in text(client_for(ada).get(f"/staff/shop/orders/{order.reference}/"))
    response = client_for(ada).get(url)
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    picture = Image.open(BytesIO(b"".join(response.streaming_content)))
    assert picture.size == (1772, 2362) and picture.mode == "RGBA"
    assert picture.getpixel((0, 0))[3] == 0 and picture.getpixel((886, 945))[3] == 255
    for outsider in (mo, ben, make_user("nosy")):
        assert client_for(outsider).get(url).status_code in (403, 404)
    api = client_for(ada).get(f"/api/staff/shop/orders/{order.reference}").json()
    assert api["lines"][0]["print_file"] == url


def test_a_product_claimed_by_one_moderator_cannot_be_decided_by_another_until_the_claim_lapses(
    pending, mo, client_for, time_machine
):
    """REQ: COM-4
    GIVEN Mo claimed a product for review WHEN another moderator tries to claim or approve it THEN both are
    refused naming Mo; 30 minutes later the claim has lapsed and the other moderator may decide."""
    from datetime import timedelta

    from django.utils import timezone

    mia = make_user("mia", role="moderator")
    product = pending()
    time_machine.move_to(timezone.now(), tick=False)
    assert client_for(mo).post(f"/staff/shop/review/{product.reference}/claim/").status_code == 302
    page = client_for(mia).get(f"/staff/shop/review/{product.reference}/")
    assert "@mo is reviewing this product" in text(page)
    for action in ("claim", "approve"):
        refused = client_for(mia).post(f"/api/staff/shop/review/{product.reference}/{action}")
        assert refused.status_code == 409 and refused.json()["error"]["code"] == "claimed"
    time_machine.shift(timedelta(minutes=31))
    assert client_for(mia).post(f"/api/staff/shop/review/{product.reference}/approve").status_code == 200
    product.refresh_from_db()
    assert product.status == Product.Status.APPROVED and product.decided_by == mia
