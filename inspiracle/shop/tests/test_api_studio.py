"""The creator's side of the shop through the JSON API: making products and every refusal a client must be able
to act on, mockups followed to ready, withdrawing, sales without the buyer, revenue and payouts (COM-4, COM-5,
COM-6)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inspiracle.agreements.selectors import local_today
from inspiracle.licensing.services.deals import request_accept
from inspiracle.licensing.services.requests import request_send
from inspiracle.shop.models import Mockup, Product, Variant
from inspiracle.shop.services.orders import order_advance
from inspiracle.shop.services.products import product_create
from inspiracle.shop.tests.test_orders import buy
from inspiracle.works.tests.test_upload import token_client
from inspiracle.works.transitions import TAKE_DOWN, work_transition

pytestmark = pytest.mark.django_db
PRODUCTS = "/api/shop/studio/products"
MUG_PLACEMENT = {"x": 0.5, "y": 0.5, "scale": 0.3}  # the wrap is 200 x 85 mm: a 4:3 picture fits at 30%


def body(work, **changes) -> dict:
    variants = Variant.objects.filter(
        product_type__slug="tshirt", size="M", colour__in=["#ffffff", "#1f1f1f"]
    )
    data = {
        "work_id": work.pk,
        "product_type": "tshirt",
        "variants": sorted(v.pk for v in variants),
        "title": "Orange cat tee",
        "placement": {"x": 0.5, "y": 0.4, "scale": 0.6},
        "price_fen": 99_00,
    }
    return {**data, **changes}


def post(client, data, path=PRODUCTS):
    return client.post(path, data, content_type="application/json")


def licence(ana, ben, work, *, kind="production", categories=("apparel",)):
    """Ben's licence deal on Ana's work, in force from today, online in mainland China."""
    today = local_today()
    terms = {
        "kind": kind,
        "intended_use": "T-shirts for our online shop",
        "product_categories": list(categories),
        "territories": ["cn"],
        "channels": ["online"],
        "starts_on": today.isoformat(),
        "ends_on": (today + timedelta(days=364)).isoformat(),
        "fee_model": "flat",
        "flat_fee": "12000",
    }
    return request_accept(
        request=request_send(requester=ben, work_ids=[work.pk], data=terms), by=ana, number=1
    )


def test_a_creator_makes_a_product_over_the_api_and_follows_its_mockups_to_ready(
    ana, published_work, django_capture_on_commit_callbacks, client_for
):
    """REQ: COM-4
    GIVEN Ana's published work WHEN she makes a T-shirt of it in white and black M THEN 201 with the product
    awaiting review, the margins per variant, and the mockups, which the render job makes ready (one per
    colour, each with its picture)."""
    work = published_work()
    api = token_client(ana)
    with django_capture_on_commit_callbacks(execute=True):
        made = post(api, body(work))
    assert made.status_code == 201, made.content
    product = made.json()
    assert (
        product["status"] == "pending" and product["work"] == work.pk and product["product_type"] == "tshirt"
    )
    assert product["url"].endswith(f"/shop/studio/products/{product['reference']}/")
    assert {v["margin_fen"] for v in product["variants"]} == {99_00 - 45_00}
    assert product["placement"] == {"x": 0.5, "y": 0.4, "scale": 0.6} and product["deal"] is None
    # A 320 px picture at 60% of a 300 mm area reaches 45 DPI; the area needs 150.
    assert "45 DPI" in product["resolution_warning"] and "150 DPI" in product["resolution_warning"]

    read = api.get(f"{PRODUCTS}/{product['reference']}").json()
    assert sorted(m["colour"] for m in read["mockups"]) == ["#1f1f1f", "#ffffff"]
    assert {m["status"] for m in read["mockups"]} == {"ready"}
    first = read["mockups"][0]
    assert first["url"].endswith(f"/shop/p/{product['reference']}/mockups/{first['id']}.webp")
    # The picture is a page address: the maker's browser session sees it before the product is approved.
    assert client_for(ana).get(first["url"]).status_code == 200


def test_mockups_are_pending_until_the_job_has_run(ana, published_work):
    """REQ: COM-4"""
    api = token_client(ana)
    product = post(api, body(published_work())).json()
    read = api.get(f"{PRODUCTS}/{product['reference']}").json()
    assert {(m["status"], m["url"]) for m in read["mockups"]} == {("pending", None)}


def test_a_small_enough_picture_brings_no_resolution_warning(ana, published_work):
    """REQ: COM-4
    320 px over 10% of a 300 mm area (30 mm) is 270 DPI, above the 150 the T-shirt needs."""
    made = post(token_client(ana), body(published_work(), placement={"x": 0.5, "y": 0.2, "scale": 0.1}))
    assert made.status_code == 201 and made.json()["resolution_warning"] is None


@pytest.mark.parametrize(
    ("changes", "code", "words"),
    [
        ({"price_fen": 59_00}, "price_too_low", "at least ¥60.00"),
        ({"placement": {"x": 0.05, "y": 0.4, "scale": 0.6}}, "placement", "past the left edge"),
        ({"placement": {"x": 0.5, "y": 0.4, "scale": 5}}, "placement", "at most 400%"),
        ({"placement": {"x": 1.5, "y": 0.4, "scale": 0.5}}, "placement", "between 0% and 100%"),
        ({"title": "   "}, "invalid", "title of 1 to 120"),
        ({"variants": []}, "invalid", "at least one"),
        ({"product_type": "sofa"}, "invalid", "no product type “sofa”"),
        ({"price_fen": 2_000_000_00}, "invalid", "at most ¥10000"),
    ],
)
def test_bad_products_are_refused_with_400_saying_what_to_fix(ana, published_work, changes, code, words):
    """REQ: COM-4"""
    refused = post(token_client(ana), body(published_work(), **changes))
    assert refused.status_code == 400, refused.content
    error = refused.json()["error"]
    assert error["code"] == code and words in error["message"], error
    assert not Product.objects.exists()


def test_variants_of_another_product_type_are_refused(ana, published_work):
    mug = Variant.objects.filter(product_type__slug="mug").first()
    refused = post(token_client(ana), body(published_work(), variants=[mug.pk]))
    assert refused.status_code == 400
    assert refused.json()["error"]["fields"] == {"variants": ["Choose variants of the chosen product type."]}


def test_a_taken_down_work_cannot_become_a_product(ana, mo, published_work):
    """REQ: COM-4"""
    work = published_work()
    work_transition(work=work, transition=TAKE_DOWN, by=mo)
    refused = post(token_client(ana), body(work))
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "work_not_published"
    assert "Taken down" in refused.json()["error"]["message"]


def test_someone_elses_work_needs_a_production_licence_and_then_carries_the_deal(ana, ben, published_work):
    """REQ: COM-4, COM-6
    GIVEN Ana's published work WHEN Ben makes a T-shirt of it THEN 403 until he holds a licence covering apparel
    online in mainland China; with one, the product is made and names the deal."""
    work = published_work()
    api = token_client(ben)
    refused = post(api, body(work))
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "no_production_licence"
    assert "Ask the creator for such a licence" in refused.json()["error"]["message"]

    deal = licence(ana, ben, work)
    made = post(api, body(work))
    assert made.status_code == 201, made.content
    assert made.json()["deal"] == deal.reference
    # The licence covers apparel only: a mug is homeware.
    mug = Variant.objects.filter(product_type__slug="mug").first()
    refused = post(
        api, body(work, product_type="mug", variants=[mug.pk], price_fen=50_00, placement=MUG_PLACEMENT)
    )
    assert refused.status_code == 403


def test_a_work_the_maker_cannot_see_is_not_found_without_its_title(ben, submit):
    """PRV-3: Ana's work awaiting review does not exist for Ben, here as anywhere."""
    work = submit(title="Secret sketch")
    refused = post(token_client(ben), body(work))
    assert refused.status_code == 404
    assert "Secret sketch" not in refused.content.decode()


def test_an_exclusive_licence_of_another_holder_keeps_the_category_from_the_shop(ana, ben, published_work):
    """REQ: COM-6
    GIVEN Ben's exclusive licence on Ana's work for apparel online in mainland China WHEN Ana makes a T-shirt
    of it THEN 409 naming the holder and the deal; a mug (another category) is still fine."""
    work = published_work()
    deal = licence(ana, ben, work, kind="exclusive")
    refused = post(token_client(ana), body(work))
    assert refused.status_code == 409
    error = refused.json()["error"]
    assert (
        error["code"] == "licence_conflict"
        and "ben_brand" in error["message"]
        and deal.reference in error["message"]
    )
    mug = Variant.objects.filter(product_type__slug="mug").first()
    assert (
        post(
            token_client(ana),
            body(work, product_type="mug", variants=[mug.pk], price_fen=50_00, placement=MUG_PLACEMENT),
        ).status_code
        == 201
    )


@pytest.mark.parametrize(
    "changes",
    [
        {"price_fen": "a lot"},
        {"price_fen": 10**30},
        {"work_id": 2**70},
        {"variants": "white"},
        {"placement": {"x": "left", "y": 0.5, "scale": 0.5}},
        {"placement": None},
        {"title": "Cat\x00tee"},
        {"product_type": "tshirt\x00"},
    ],
)
def test_wrong_types_huge_numbers_and_nul_bytes_are_refused_as_422_naming_the_field(
    ana, published_work, changes
):
    refused = post(token_client(ana), body(published_work(), **changes))
    assert refused.status_code == 422, refused.content
    assert refused.json()["error"]["fields"]


def test_non_finite_placements_are_refused_not_crashed(ana, published_work):
    """JSON as Python reads it accepts NaN and Infinity; a placement must be a finite number."""
    work_id = published_work().pk
    for value in ("NaN", "Infinity", "-Infinity"):
        raw = (
            f'{{"work_id": {work_id}, "product_type": "tshirt", "variants": [1], "title": "T", "price_fen": 9900, '
            f'"placement": {{"x": {value}, "y": 0.5, "scale": 0.5}}}}'
        )
        refused = token_client(ana).post(PRODUCTS, raw, content_type="application/json")
        assert refused.status_code == 422, refused.content


def test_another_makers_product_is_not_found_for_reading_and_withdrawing(on_sale, ben):
    product = on_sale()
    api = token_client(ben)
    assert api.get(f"{PRODUCTS}/{product.reference}").status_code == 404
    assert post(api, {}, f"{PRODUCTS}/{product.reference}/withdraw").status_code == 404
    product.refresh_from_db()
    assert product.status == Product.Status.APPROVED


def test_the_maker_withdraws_a_product_once(on_sale, ana):
    """REQ: COM-4"""
    product = on_sale()
    api = token_client(ana)
    withdrawn = post(api, {}, f"{PRODUCTS}/{product.reference}/withdraw")
    assert withdrawn.status_code == 200, withdrawn.content
    assert withdrawn.json()["status"] == "withdrawn" and withdrawn.json()["withdrawn_at"]
    again = post(api, {}, f"{PRODUCTS}/{product.reference}/withdraw")
    assert again.status_code == 409 and again.json()["error"]["code"] == "invalid_state"


def test_my_products_filter_by_status_at_a_constant_query_count(ana, published_work, draft, on_sale):
    """UX: the list costs the same queries for one product or three."""
    api = token_client(ana)
    on_sale()
    api.get(PRODUCTS)  # the token's first use of the day is recorded once

    def count(url):
        with CaptureQueriesContext(connection) as captured:
            answer = api.get(url)
        assert answer.status_code == 200
        return len(captured), answer.json()["items"]

    one, rows = count(PRODUCTS)
    assert [r["status"] for r in rows] == ["approved"]
    work = published_work(title="Second", seed=2)
    for _ in range(2):
        product_create(maker=ana, draft=draft(work))
    many, rows = count(PRODUCTS)
    assert many == one and len(rows) == 3
    _, pending = count(f"{PRODUCTS}?status=pending")
    assert [r["status"] for r in pending] == ["pending", "pending"]
    assert Mockup.objects.filter(status="pending").count() == 4


def test_sales_show_my_lines_and_margin_never_the_buyer_at_a_constant_query_count(on_sale, ana, ben, cy):
    """REQ: COM-5
    GIVEN Ben's paid order of Ana's T-shirt WHEN Ana reads her sales THEN she sees the order reference, status,
    her line and margin, and nothing of Ben's name or address; three orders cost the queries of one."""
    product = on_sale()
    api = token_client(ana)
    api.get(PRODUCTS)  # the token's first use of the day is recorded once
    order = buy(ben, product, quantity=2)

    def sales():
        with CaptureQueriesContext(connection) as captured:
            answer = api.get("/api/shop/studio/sales")
        return len(captured), answer

    one, answer = sales()
    sale = answer.json()["items"][0]
    assert sale["reference"] == order.reference and sale["status"] == "paid"
    assert sale["margin_fen"] == 2 * 54_00
    assert sale["lines"][0]["product"] == product.reference and sale["lines"][0]["quantity"] == 2
    text = answer.content.decode()
    for private in ("Wang", "王买家", "13800001234", "上海", "ben_brand"):
        assert private not in text
    buy(ben, product, attempt="b")
    buy(cy, product, attempt="c")
    many, answer = sales()
    assert many == one and len(answer.json()["items"]) == 3


def test_revenue_and_payouts_over_the_api(on_sale, ana, ben, ada, settings):
    """REQ: COM-5
    GIVEN a delivered order with ¥155 of Ana's margin WHEN she reads her revenue and asks for a payout THEN
    the balances and this month's row show it, the payout takes the whole available balance, and asking
    again is refused below the threshold."""
    product = on_sale(price_fen=200_00)
    api = token_client(ana)
    assert post(api, {}, "/api/shop/studio/payouts").status_code == 409
    order = buy(ben, product)
    for step in ("produce", "ship", "deliver"):
        order = order_advance(staff=ada, order=order, step=step, tracking="SF1")
    revenue = api.get("/api/shop/studio/revenue").json()
    assert revenue["balances"] == {"pending": 0, "available": 155_00, "requested": 0, "paid": 0}
    assert revenue["payout_min_fen"] == settings.SHOP_PAYOUT_MIN_FEN
    assert revenue["months"][-1] | {"month": "-"} == {
        "month": "-",
        "earned_fen": 155_00,
        "refunded_fen": 0,
        "released_fen": 155_00,
        "paid_out_fen": 0,
    }
    asked = post(api, {}, "/api/shop/studio/payouts")
    assert (
        asked.status_code == 201
        and asked.json()["amount_fen"] == 155_00
        and asked.json()["status"] == "requested"
    )
    again = post(api, {}, "/api/shop/studio/payouts")
    assert again.status_code == 409 and again.json()["error"]["code"] == "below_payout_threshold"
    assert [p["amount_fen"] for p in api.get("/api/shop/studio/payouts").json()["items"]] == [155_00]
    assert api.get("/api/shop/studio/revenue").json()["balances"]["requested"] == 155_00
