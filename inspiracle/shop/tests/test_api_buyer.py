import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from inspiracle.shop.models import CartLine, Order, Payment, Variant
from inspiracle.shop.tests.conftest import ADDRESS, DECLINED_CARD, GOOD_CARD
from inspiracle.works.transitions import TAKE_DOWN, work_transition

SHIP = {"name": ADDRESS.name, "phone": ADDRESS.phone, "address": ADDRESS.address}


def post(client, url, body=None, **headers):
    return client.post(
        url, body if body is not None else {}, content_type="application/json", headers=headers
    )


def put_in_cart(client, product, quantity=1):
    variant = product.variants.order_by("pk").first()
    return post(
        client,
        "/api/shop/cart",
        {"product": product.reference, "variant_id": variant.pk, "quantity": quantity},
    )


@pytest.fixture
def placed(on_sale, ben, client_for):
    """Ben's client and an order of his, placed through the API and not paid."""
    client = client_for(ben)
    put_in_cart(client, on_sale())
    response = post(client, "/api/shop/orders", SHIP)
    assert response.status_code == 201, response.json()
    return client, response.json()["reference"]


def test_anyone_lists_and_filters_products_with_prices_in_fen_and_mockups(on_sale, ana):
    """REQ: COM-4"""
    tee = on_sale(title="Orange cat tee", price_fen=99_00)
    whale = on_sale(title="Blue whale tee", price_fen=150_00)
    client = Client()

    def refs(query=""):
        response = client.get(f"/api/shop/products{query}")
        assert response.status_code == 200, response.json()
        return [row["reference"] for row in response.json()["items"]]

    assert refs() == [whale.reference, tee.reference] or refs() == [tee.reference, whale.reference]
    assert refs("?q=whale") == [whale.reference]
    assert refs("?type=tshirt&creator=ana&min_fen=10000") == [whale.reference]
    assert refs("?max_fen=9900") == [tee.reference]
    assert refs("?page=2") == []
    row = client.get("/api/shop/products?q=cat").json()["items"][0]
    assert (
        row["price_fen"] == 99_00 and row["creator"]["username"] == ana.username and len(row["mockups"]) == 2
    )
    assert client.get(row["mockups"][0]["url"]).status_code == 200
    detail = client.get(f"/api/shop/products/{tee.reference}").json()
    assert detail["for_sale"] and {v["label"] for v in detail["variants"]} == {"M · White", "M · Black"}


def test_the_catalogue_lists_types_with_variants_base_costs_and_print_areas(catalogue):
    """REQ: COM-4"""
    types = {t["slug"]: t for t in Client().get("/api/shop/product-types").json()["items"]}
    assert {"poster", "tshirt", "mug", "acrylic_stand", "enamel_pin"} <= set(types)
    tee = types["tshirt"]
    assert tee["min_margin_fen"] == 15_00 and len(tee["variants"]) == 16
    assert {v["base_cost_fen"] for v in tee["variants"]} == {45_00, 50_00}
    assert tee["print_areas"] and tee["print_areas"][0]["dpi"] > 0 and len(tee["print_areas"][0]["box"]) == 4


def test_the_cart_adds_changes_and_removes_lines(on_sale, ben, client_for):
    """REQ: COM-5"""
    client = client_for(ben)
    product = on_sale()
    added = put_in_cart(client, product, quantity=2)
    assert added.status_code == 201 and added.json()["total_fen"] == 198_00
    line = added.json()["lines"][0]
    assert line["mockup_url"] and line["problem"] is None
    changed = client.patch(f"/api/shop/cart/{line['id']}", {"quantity": 3}, content_type="application/json")
    assert changed.json()["lines"][0]["quantity"] == 3 and changed.json()["total_fen"] == 297_00
    assert client.delete(f"/api/shop/cart/{line['id']}").json() == {
        "lines": [],
        "total_fen": 0,
        "buyable": False,
    }
    assert Client().get("/api/shop/cart").status_code == 401


@pytest.mark.parametrize(
    ("quantity", "status"), [(0, 400), (-1, 400), (10**12, 400), ("x", 422), (None, 422), (1.5, 422)]
)
def test_a_wrong_quantity_is_refused_with_what_to_send(on_sale, ben, client_for, quantity, status):
    client = client_for(ben)
    response = put_in_cart(client, on_sale(), quantity=quantity)
    assert response.status_code == status and "quantity" in response.json()["error"]["fields"]
    assert not CartLine.objects.exists()


def test_unknown_variants_products_and_lines_are_not_found_and_bad_text_is_refused(on_sale, ben, client_for):
    client = client_for(ben)
    product = on_sale()
    other = (
        Variant.objects.filter(product_type=product.product_type)
        .exclude(colour__in=["#ffffff", "#1f1f1f"])
        .first()
    )
    for body, status in [
        ({"product": product.reference, "variant_id": 10**9, "quantity": 1}, 404),
        ({"product": "P-NOTHING", "variant_id": other.pk, "quantity": 1}, 404),
        ({"product": "P" * 10_000, "variant_id": other.pk, "quantity": 1}, 422),
        ({"product": "P\x00", "variant_id": other.pk, "quantity": 1}, 422),
        ({"product": product.reference, "variant_id": 2**70, "quantity": 1}, 422),
    ]:
        response = post(client, "/api/shop/cart", body)
        assert response.status_code == status, (body, response.json())
    refused = post(
        client, "/api/shop/cart", {"product": product.reference, "variant_id": other.pk, "quantity": 1}
    )
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "not_buyable"
    assert "choose another size or colour" in refused.json()["error"]["message"]
    assert (
        client.patch("/api/shop/cart/999", {"quantity": 1}, content_type="application/json").status_code
        == 404
    )
    assert client.delete(f"/api/shop/cart/{2**70}").status_code == 422


def test_an_order_is_placed_from_the_cart_paid_with_the_good_card_and_read_back(placed):
    """REQ: COM-5"""
    client, reference = placed
    assert client.get("/api/shop/cart").json()["lines"] == []
    paid = post(client, f"/api/shop/orders/{reference}/pay", {"card": GOOD_CARD})
    assert paid.status_code == 200, paid.json()
    order = paid.json()
    assert order["status"] == "paid" and [s["status"] for s in order["steps"]] == ["placed", "paid"]
    assert order["shipping"]["address"] == ADDRESS.address and order["lines"][0]["mockup_url"]
    assert [o["reference"] for o in client.get("/api/shop/orders").json()["items"]] == [reference]


def test_a_declined_card_answers_402_with_the_reason_and_another_card_pays(placed):
    """REQ: COM-5"""
    client, reference = placed
    declined = post(client, f"/api/shop/orders/{reference}/pay", {"card": DECLINED_CARD})
    assert declined.status_code == 402 and declined.json()["error"]["code"] == "payment_declined"
    assert "declined" in declined.json()["error"]["message"].lower()
    order = client.get(f"/api/shop/orders/{reference}").json()
    assert order["status"] == "placed" and order["payments"][0]["status"] == "declined"
    assert post(client, f"/api/shop/orders/{reference}/pay", {"card": GOOD_CARD}).json()["status"] == "paid"


def test_the_same_idempotency_key_twice_takes_the_money_once(placed):
    """REQ: COM-5"""
    client, reference = placed
    first = post(
        client, f"/api/shop/orders/{reference}/pay", {"card": GOOD_CARD}, **{"Idempotency-Key": "k1"}
    )
    second = post(
        client, f"/api/shop/orders/{reference}/pay", {"card": GOOD_CARD}, **{"Idempotency-Key": "k1"}
    )
    assert first.status_code == 200 and second.status_code == 409
    assert Payment.objects.filter(order__reference=reference, status=Payment.Status.CAPTURED).count() == 1


def test_another_persons_order_is_not_found(placed, ana, client_for):
    """REQ: COM-5"""
    _client, reference = placed
    other = client_for(ana)
    assert other.get(f"/api/shop/orders/{reference}").status_code == 404
    assert post(other, f"/api/shop/orders/{reference}/pay", {"card": GOOD_CARD}).status_code == 404
    assert post(other, f"/api/shop/orders/{reference}/cancel").status_code == 404
    assert other.get("/api/shop/orders").json()["items"] == []
    assert Order.objects.get(reference=reference).status == Order.Status.PLACED


def test_a_placed_order_is_cancelled_and_then_cannot_be_paid(placed):
    client, reference = placed
    assert post(client, f"/api/shop/orders/{reference}/cancel").json()["status"] == "cancelled"
    refused = post(client, f"/api/shop/orders/{reference}/pay", {"card": GOOD_CARD})
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "invalid_state"


def test_an_incomplete_address_is_refused_field_by_field(on_sale, ben, client_for):
    client = client_for(ben)
    put_in_cart(client, on_sale())
    response = post(client, "/api/shop/orders", {"name": " ", "phone": "1" * 31, "address": "Road 1"})
    assert response.status_code == 400 and set(response.json()["error"]["fields"]) == {"name", "phone"}
    nul = post(client, "/api/shop/orders", {**SHIP, "address": "x\x00"})
    assert nul.status_code == 422 and client.get("/api/shop/cart").json()["lines"]


def test_a_taken_down_works_product_leaves_the_shop_and_its_cart_line_cannot_be_ordered(
    on_sale, ben, mo, client_for
):
    """REQ: COM-4"""
    client = client_for(ben)
    product = on_sale()
    put_in_cart(client, product)
    work_transition(work=product.work, transition=TAKE_DOWN, by=mo)
    assert client.get("/api/shop/products").json()["items"] == []
    assert client.get(f"/api/shop/products/{product.reference}").status_code == 404
    assert put_in_cart(client, product).status_code == 404
    assert client.get("/api/shop/cart").json()["lines"][0]["problem"]
    refused = post(client, "/api/shop/orders", SHIP)
    assert refused.status_code == 409 and "no longer for sale" in refused.json()["error"]["message"]


def test_the_product_list_costs_the_same_queries_for_one_product_or_many(on_sale, ben, client_for):
    """UX-3"""
    client = client_for(ben)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/api/shop/products").status_code == 200
        return len(captured)

    on_sale()
    one = count()
    for n in range(3):
        on_sale(title=f"Tee {n}")
    assert count() == one
