"""The shop walked through in the browser (issue 12): a creator makes a T-shirt of her approved work and sees its
mockups, a moderator approves it, a buyer fills a cart and pays with the test card, a second purchase is
declined with the declining card, operations staff ship and deliver the first order, and the creator's revenue
page shows her margin. One pass at phone width (390 px) checks the shop and the
product page do not scroll sideways.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from inspiracle.core.testing import make_user
from inspiracle.moderation.services import review_approve
from inspiracle.shop.models import Mockup, Order, Product
from tests.e2e.phone import fits_the_screen
from tests.e2e.test_review_journey import _awaiting_work, _sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.browser_context_args(locale="en-US")]
GOOD_CARD = "4242 4242 4242 4242"
DECLINED_CARD = "4000 0000 0000 0002"


def _buy(page: Page, site: str, product: Product, card: str) -> None:
    page.goto(f"{site}/shop/p/{product.reference}/")
    page.get_by_label("Size and colour").select_option(label="M · Black")
    page.get_by_role("button", name="Add to cart").click()
    page.goto(f"{site}/shop/cart/")
    page.get_by_role("link", name="Check out").click()
    page.get_by_label("Recipient's name").fill("Wang Buyer 王买家")
    page.get_by_label("Phone").fill("13800001234")
    page.get_by_label("Delivery address").fill("上海市黄浦区 Somewhere Road 1")
    page.get_by_label("Card number").fill(card)
    page.get_by_role("button", name=re.compile("Place the order and pay")).click()


def test_a_creator_sells_a_tshirt_and_sees_her_margin(page: Page, new_context, site, screenshots_dir):
    """REQ: COM-4, COM-5"""
    ana = make_user("ana")
    mo = make_user("mo", role="moderator")
    make_user("ada", role="admin")
    make_user("sam")
    work = _awaiting_work(ana, "Koi in spring", seed=41)
    review_approve(actor=mo, work=work)

    # Ana makes a T-shirt: white and black M, a price above the floor.
    _sign_in(page, site, "ana", f"/shop/studio/new/?work={work.pk}")
    page.locator("label.type-card", has_text="T-shirt").click()
    group = page.locator(".variant-group", has_text="T-shirt")
    group.get_by_label(re.compile(r"\bM · White")).check()
    group.get_by_label(re.compile(r"\bM · Black")).check()
    page.get_by_role("spinbutton", name="Size (% of the print area's width)").fill("70")
    page.get_by_label("Title").fill("Koi tee")
    page.get_by_label("Price (CNY)").fill("99")
    page.get_by_role("button", name="Make the product").click()
    expect(page).to_have_url(re.compile(r"/shop/studio/products/P\w+/$"))
    product = Product.objects.get()
    assert product.status == Product.Status.PENDING
    # The job rendered one mockup per colour; the page shows both.
    assert set(product.mockups.values_list("status", flat=True)) == {Mockup.Status.READY}
    expect(page.locator("#studio-mockups img")).to_have_count(2)
    page.screenshot(path=str(screenshots_dir / "shop-studio-product.png"), full_page=True)

    # Mo approves it from the review queue.
    staff = new_context().new_page()
    _sign_in(staff, site, "mo", "/staff/shop/review/")
    staff.get_by_role("link", name="Koi tee").click()
    staff.get_by_role("button", name="Approve: put it in the shop").click()
    product.refresh_from_db()
    assert product.status == Product.Status.APPROVED

    # Sam buys a black M with the test card.
    buyer = new_context().new_page()
    _sign_in(buyer, site, "sam", "/shop/")
    expect(buyer.get_by_text("Koi tee")).to_be_visible()
    buyer.screenshot(path=str(screenshots_dir / "shop-list.png"), full_page=True)
    _buy(buyer, site, product, GOOD_CARD)
    expect(buyer).to_have_url(re.compile(r"/shop/orders/O-\w+/$"))
    expect(buyer.locator("main")).to_contain_text("Paid")
    first = Order.objects.get(status=Order.Status.PAID)

    # A second purchase with the declining card is refused with the provider's reason; nothing is paid.
    _buy(buyer, site, product, DECLINED_CARD)
    expect(buyer.locator("main")).to_contain_text("declined")
    assert Order.objects.filter(status=Order.Status.PLACED).count() == 1
    assert Order.objects.filter(status=Order.Status.PAID).count() == 1

    # Operations staff (an admin) ship and deliver the first order.
    ops = new_context().new_page()
    _sign_in(ops, site, "ada", f"/staff/shop/orders/{first.reference}/")
    ops.get_by_role("button", name="Start production").click()
    ops.get_by_label(re.compile("Tracking")).fill("SF1234567890")
    ops.get_by_role("button", name="Mark shipped").click()
    ops.get_by_role("button", name="Mark delivered").click()
    first.refresh_from_db()
    assert first.status == Order.Status.DELIVERED

    # Ana's ledger: ¥99 - ¥45 base cost = ¥54 available.
    page.goto(f"{site}/shop/studio/revenue/")
    expect(page.locator("dl.balances")).to_contain_text("¥54.00")
    page.screenshot(path=str(screenshots_dir / "shop-revenue.png"), full_page=True)

    # Phone width: the shop and the product page stay within the screen.
    phone = new_context(viewport={"width": 390, "height": 844}).new_page()
    for path in ("/shop/", f"/shop/p/{product.reference}/"):
        phone.goto(site + path)
        fits_the_screen(phone)
    phone.screenshot(path=str(screenshots_dir / "shop-product-phone.png"), full_page=True)
