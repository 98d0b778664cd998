import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from inspiracle.core.errors import ApplicationError
from inspiracle.core.testing import PASSWORD
from inspiracle.shop.models import CartLine, Order, Payment, Product
from inspiracle.shop.services.cart import cart_add
from inspiracle.shop.services.orders import order_pay, order_place
from inspiracle.shop.templatetags.shop_money import fen
from inspiracle.shop.tests.conftest import ADDRESS, DECLINED_CARD, GOOD_CARD
from inspiracle.works.transitions import TAKE_DOWN, work_transition

SHIP = {"name": ADDRESS.name, "phone": ADDRESS.phone, "address": ADDRESS.address}


def first_variant(product: Product) -> int:
    return product.variants.order_by("pk")[0].pk


def add(client, product, quantity=1):
    return client.post(
        f"/shop/p/{product.reference}/add/", {"variant": first_variant(product), "quantity": quantity}
    )


def attempt_in(page: str) -> str:
    found = re.search(r'name="attempt" value="([^"]+)"', page)
    assert found, "the page has no pay form"
    return found.group(1)


def checkout(client, card):
    attempt = attempt_in(client.get("/shop/checkout/").content.decode())
    return client.post("/shop/checkout/", {**SHIP, "card": card, "attempt": attempt})


@pytest.fixture
def placed(on_sale, ben):
    """One of Ben's orders, placed and not paid."""
    product = on_sale()
    cart_add(
        user=ben,
        session_key="",
        product_reference=product.reference,
        variant_id=first_variant(product),
        quantity=1,
    )
    return order_place(buyer=ben, address=ADDRESS)


def test_fen_shows_yuan_with_two_decimals():
    assert (fen(1230), fen(5), fen(1_234_500), fen(-99), fen("12"), fen(None)) == (
        "¥12.30",
        "¥0.05",
        "¥12,345.00",
        "-¥0.99",
        "",
        "",
    )


def test_visitors_browse_the_shop_and_filter_it_by_words_type_creator_and_price(on_sale, ana):
    """REQ: COM-4"""
    tee = on_sale(title="Orange cat tee", price_fen=99_00)
    dear = on_sale(title="Blue whale tee", price_fen=150_00)
    client = Client()

    def listed(query=""):
        page = client.get(f"/shop/{query}")
        assert page.status_code == 200
        return [ref for ref in (tee.reference, dear.reference) if ref in page.content.decode()]

    assert listed() == [tee.reference, dear.reference]
    assert listed("?q=whale") == [dear.reference]
    assert listed("?type=tshirt&creator=ana") == [tee.reference, dear.reference]
    assert listed("?type=mug") == []
    assert listed("?creator=ben_brand") == []
    assert listed("?price_min=100&price_max=200") == [dear.reference]
    assert listed("?price_max=99.00") == [tee.reference]
    wrong = client.get("/shop/?price_min=cheap&q=%00")
    assert wrong.status_code == 200 and "Enter a number." in wrong.content.decode()
    shown = client.get("/shop/").content.decode()
    assert "¥99.00" in shown and f'href="/u/{ana.username}/"' in shown


def test_a_product_page_shows_a_mockup_for_each_colour_the_creator_and_the_variants(on_sale, ana):
    """REQ: COM-4"""
    product = on_sale()
    client = Client()
    page = client.get(f"/shop/p/{product.reference}/").content.decode()
    mockups = re.findall(rf"/shop/p/{product.reference}/mockups/(\d+)\.webp", page)
    assert len(set(mockups)) == 2 and "White" in page and "Black" in page
    assert f'href="/u/{ana.username}/"' in page and "M · White" in page and "¥99.00" in page
    picture = client.get(f"/shop/p/{product.reference}/mockups/{mockups[0]}.webp")
    assert picture.status_code == 200 and picture["Content-Type"] == "image/webp"
    assert picture["Cache-Control"].startswith("private")
    assert b"".join(picture.streaming_content)[:4] == b"RIFF"
    assert client.get(f"/shop/p/{product.reference}/mockups/{10**30}.webp").status_code == 404
    assert client.get("/shop/p/P-NOTHING/").status_code == 404


def test_a_visitors_cart_survives_signing_in_and_joins_the_account(on_sale, ben):
    """REQ: COM-5
    GIVEN a visitor who put a T-shirt in their cart WHEN they sign in THEN the cart page shows it, now kept in
    their account, and the visitor's token is gone."""
    product = on_sale()
    visitor = Client()
    assert add(visitor, product, quantity=2).url == "/shop/cart/"
    assert "Orange cat tee" in visitor.get("/shop/cart/").content.decode()
    token = visitor.session["shop_cart"]
    signin = visitor.post(
        "/accounts/signin/?next=/shop/cart/", {"username": ben.username, "password": PASSWORD}
    )
    assert signin.status_code == 302 and signin.url == "/shop/cart/"
    assert visitor.session["shop_cart"] == token  # the session key changed at sign-in; its data did not
    cart = visitor.get("/shop/cart/").content.decode()
    assert "Orange cat tee" in cart and "¥198.00" in cart
    assert CartLine.objects.get().user == ben and "shop_cart" not in visitor.session


def test_checkout_asks_a_visitor_to_sign_in_first(on_sale):
    response = Client().get("/shop/checkout/")
    assert response.status_code == 302 and response.url == "/accounts/signin/?next=/shop/checkout/"


def test_checkout_with_the_good_test_card_pays_the_order(on_sale, ben, client_for):
    """REQ: COM-5"""
    product = on_sale()
    client = client_for(ben)
    add(client, product)
    form = client.get("/shop/checkout/").content.decode()
    assert GOOD_CARD in form and DECLINED_CARD in form and "Authorizes and captures" in form
    response = checkout(client, GOOD_CARD)
    order = Order.objects.get(buyer=ben)
    assert response.status_code == 302 and response.url == f"/shop/orders/{order.reference}/"
    page = client.get(response.url).content.decode()
    assert order.status == Order.Status.PAID and "Paid" in page and "is paid" in page
    assert ADDRESS.address in page and "¥99.00" in page
    assert "4242" not in str(dict(client.session.items()))  # the card number is not kept anywhere


def test_a_declined_card_leaves_the_order_placed_with_the_reason_and_another_card_pays_it(
    on_sale, ben, client_for
):
    """REQ: COM-5"""
    product = on_sale()
    client = client_for(ben)
    add(client, product)
    response = checkout(client, DECLINED_CARD)
    order = Order.objects.get(buyer=ben)
    assert order.status == Order.Status.PLACED and response.url == f"/shop/orders/{order.reference}/"
    page = client.get(response.url).content.decode()
    assert (
        "did not go through" in page
        and "declined" in page.lower()
        and DECLINED_CARD.replace(" ", "") not in page
    )
    again = client.post(
        f"/shop/orders/{order.reference}/pay/", {"card": GOOD_CARD, "attempt": attempt_in(page)}
    )
    order.refresh_from_db()
    assert again.status_code == 302 and order.status == Order.Status.PAID


def test_a_double_submitted_pay_form_takes_the_money_once(placed, ben, client_for):
    """REQ: COM-5"""
    client = client_for(ben)
    attempt = attempt_in(client.get(f"/shop/orders/{placed.reference}/").content.decode())
    for _press in range(2):
        client.post(f"/shop/orders/{placed.reference}/pay/", {"card": GOOD_CARD, "attempt": attempt})
    assert Payment.objects.filter(order=placed, status=Payment.Status.CAPTURED).count() == 1
    assert "Paid" in client.get(f"/shop/orders/{placed.reference}/").content.decode()


def test_a_double_submitted_checkout_places_one_order_and_pays_it_once(on_sale, ben, client_for):
    """REQ: COM-5"""
    client = client_for(ben)
    add(client, on_sale())
    attempt = attempt_in(client.get("/shop/checkout/").content.decode())
    first = client.post("/shop/checkout/", {**SHIP, "card": GOOD_CARD, "attempt": attempt})
    second = client.post("/shop/checkout/", {**SHIP, "card": GOOD_CARD, "attempt": attempt})
    order = Order.objects.get(buyer=ben)
    assert first.url == second.url == f"/shop/orders/{order.reference}/"
    assert Payment.objects.filter(status=Payment.Status.CAPTURED).count() == 1


def test_checkout_marks_each_missing_part_of_the_address_and_does_not_show_the_card_again(
    on_sale, ben, client_for
):
    client = client_for(ben)
    add(client, on_sale())
    attempt = attempt_in(client.get("/shop/checkout/").content.decode())
    response = client.post(
        "/shop/checkout/",
        {"name": "Wang", "phone": "", "address": "x" * 301, "card": GOOD_CARD, "attempt": attempt},
    )
    page = response.content.decode()
    assert response.status_code == 400 and page.count('class="error"') == 2
    assert GOOD_CARD not in page.split("<table")[0] and not Order.objects.exists()


def test_a_buyer_cancels_a_placed_order(placed, ben, client_for):
    client = client_for(ben)
    client.post(f"/shop/orders/{placed.reference}/cancel/")
    placed.refresh_from_db()
    assert placed.status == Order.Status.CANCELLED
    page = client.get(f"/shop/orders/{placed.reference}/").content.decode()
    assert "Cancelled" in page and "Pay ¥" not in page


def test_another_persons_order_is_not_found(placed, ana, client_for):
    """REQ: COM-5"""
    client = client_for(ana)
    assert client.get(f"/shop/orders/{placed.reference}/").status_code == 404
    assert (
        client.post(
            f"/shop/orders/{placed.reference}/pay/", {"card": GOOD_CARD, "attempt": "a" * 20}
        ).status_code
        == 404
    )
    assert client.post(f"/shop/orders/{placed.reference}/cancel/").status_code == 404
    placed.refresh_from_db()
    assert placed.status == Order.Status.PLACED


def test_a_taken_down_works_product_leaves_the_shop_and_cannot_be_added(on_sale, ben, mo, client_for):
    """REQ: COM-4"""
    product = on_sale()
    client = client_for(ben)
    add(client, product)
    work_transition(work=product.work, transition=TAKE_DOWN, by=mo)
    assert product.reference not in client.get("/shop/").content.decode()
    assert client.get(f"/shop/p/{product.reference}/").status_code == 404
    assert add(client, product).status_code == 404
    cart = client.get("/shop/cart/").content.decode()
    assert "no longer for sale" in cart and "Check out" not in cart


def test_an_order_page_shows_each_step_with_its_date_the_thumbnails_and_the_tracking_number(
    placed, ben, ada, client_for
):
    from inspiracle.shop.services.orders import order_advance

    order_pay(buyer=ben, order=placed, card=GOOD_CARD, attempt="t1")
    for step in ("produce", "ship"):
        order_advance(staff=ada, order=placed, step=step, tracking="SF1234567890")
    page = client_for(ben).get(f"/shop/orders/{placed.reference}/").content.decode()
    for label in ("Placed, awaiting payment", "Paid", "In production", "Shipped"):
        assert label in page
    assert "SF1234567890" in page and re.search(r"/mockups/\d+\.webp", page)


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_shop_list_costs_the_same_queries_for_one_product_or_many(on_sale, ben, client_for):
    """UX-3"""
    client = client_for(ben)
    on_sale()
    one = count_queries(client, "/shop/")
    for n in range(3):
        on_sale(title=f"Tee {n}")
    assert count_queries(client, "/shop/") == one


def test_the_orders_list_costs_the_same_queries_for_one_order_or_many(on_sale, ben, client_for):
    """UX-3"""
    client = client_for(ben)
    product = on_sale()

    def order():
        cart_add(
            user=ben,
            session_key="",
            product_reference=product.reference,
            variant_id=first_variant(product),
            quantity=1,
        )
        return order_place(buyer=ben, address=ADDRESS)

    order()
    one = count_queries(client, "/shop/orders/")
    for _n in range(3):
        order()
    assert count_queries(client, "/shop/orders/") == one
    assert client.get("/shop/orders/").content.decode().count("/shop/orders/O-") == 4


def test_a_cart_holds_a_bounded_number_of_different_items(on_sale, ben, settings):
    """A cart (and so an order, its page and its checks) cannot grow without end."""
    settings.SHOP_MAX_CART_LINES = 2
    product = on_sale()
    variants = list(product.variants.order_by("pk"))
    for variant in variants:
        cart_add(
            user=ben, session_key="", product_reference=product.reference, variant_id=variant.pk, quantity=1
        )
    other = on_sale(title="Second tee")
    with pytest.raises(ApplicationError) as full:
        cart_add(
            user=ben, session_key="", product_reference=other.reference, variant_id=variants[0].pk, quantity=1
        )
    assert full.value.code == "cart_full" and "2" in str(full.value.message)


def test_the_shop_page_shows_a_takedown_an_approval_and_a_renamed_maker_at_once_although_it_is_cached(
    on_sale, mo, ana, client, django_assert_num_queries
):
    """REQ: COM-4
    GIVEN the shop page was rendered (and its cards cached) WHEN a product's work is taken down, another product
    is approved or the maker renames herself THEN the next view shows it; an unchanged shop costs one query
    (the generation counters)."""
    from inspiracle.accounts.services.profile import profile_update

    first = on_sale(title="First tee")
    assert "First tee" in client.get("/shop/").content.decode()
    with django_assert_num_queries(1):  # the generation counters; the rest comes from the cache
        client.get("/shop/")
    second = on_sale(title="Second tee")
    assert "Second tee" in client.get("/shop/").content.decode()
    work_transition(work=first.work, transition=TAKE_DOWN, by=mo)
    page = client.get("/shop/").content.decode()
    assert "First tee" not in page and "Second tee" in page
    profile_update(user=ana, changes={"display_name": "Ana Renamed"})
    assert "Ana Renamed" in client.get("/shop/").content.decode()
    assert second.reference in client.get("/shop/?type=tshirt").content.decode()
