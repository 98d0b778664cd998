"""The creator's studio pages: making a product through the form (and every refusal, shown on the form), the
product's page with its mockups, review decision and withdrawal, my products and my sales (COM-4, COM-5,
COM-6)."""

import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from inspiracle.shop.models import Mockup, Product, ProductType, Variant
from inspiracle.shop.services.products import product_create, product_reject
from inspiracle.shop.tests.test_api_studio import licence
from inspiracle.shop.tests.test_orders import buy
from inspiracle.works.transitions import TAKE_DOWN, work_transition

pytestmark = pytest.mark.django_db
NEW = "/shop/studio/new/"


def form(made_of, **changes) -> dict:
    tshirt = ProductType.objects.get(slug="tshirt")
    variants = Variant.objects.filter(product_type=tshirt, size="M", colour__in=["#ffffff", "#1f1f1f"])
    data = {
        "work": made_of.pk,
        "product_type": tshirt.pk,
        "variants": [v.pk for v in variants],
        "x": "50",
        "y": "40",
        "scale": "60",
        "title": "Orange cat tee",
        "price": "99.00",
    }
    return {**data, **changes}


def text(response) -> str:
    return response.content.decode()


def test_a_creator_makes_a_product_through_the_page_and_sees_its_mockups(
    ana, published_work, client_for, django_capture_on_commit_callbacks
):
    """REQ: COM-4
    GIVEN Ana's published work WHEN she opens "Make a product" from it, chooses a T-shirt in white and black M,
    places the picture and sets ¥99 THEN the product awaits review, she is told the picture is too small for
    the print resolution (a warning, not a refusal) and its page shows one rendered mockup per colour."""
    work = published_work()
    client = client_for(ana)
    page = client.get(f"{NEW}?work={work.pk}")
    assert page.status_code == 200
    html = text(page)
    assert re.search(
        rf'<option value="{work.pk}" data-preview="/works/{work.pk}/files/\d+/preview"[^>]* selected>', html
    )
    assert "/shop/studio/art/tshirt/ffffff.webp" in html and "js/shop-studio.js" in html
    assert "Print area 300 × 400 mm at 150 DPI" in html and "Minimum margin ¥15.00" in html

    with django_capture_on_commit_callbacks(execute=True):
        made = client.post(NEW, form(work))
    product = Product.objects.get()
    assert made.status_code == 302 and made["Location"] == f"/shop/studio/products/{product.reference}/"
    assert (product.price_fen, product.placement_scale, product.status) == (99_00, 0.6, "pending")
    shown = client.get(made["Location"])
    html = text(shown)
    assert "awaits review" in html and "The picture reaches 45 DPI at this size" in html
    for mockup in product.mockups.all():
        assert mockup.status == Mockup.Status.READY
        assert f'src="/shop/p/{product.reference}/mockups/{mockup.pk}.webp"' in html
    assert "data-poll" not in html
    assert "¥54.00" in html  # the margin on each variant: ¥99 - ¥45


def test_the_form_offers_licensed_works_of_others_and_says_when_the_asked_work_is_not_one(
    ana, ben, published_work, client_for
):
    """REQ: COM-4, COM-6"""
    work = published_work()
    page = text(client_for(ben).get(f"{NEW}?work={work.pk}"))
    assert "You cannot make products of the work you came from" in page
    assert "no published work to make a product of yet" in page
    deal = licence(ana, ben, work)
    page = text(client_for(ben).get(f"{NEW}?work={work.pk}"))
    assert "You cannot make products" not in page
    assert f"by @ana, licence {deal.reference}" in page


@pytest.mark.parametrize(
    ("changes", "status", "words"),
    [
        ({"price": "59.99"}, 400, "The price must be at least ¥60.00"),
        ({"x": "5"}, 400, "sticks out 75 mm past the left edge of the print area. Move it to the right."),
        ({"scale": "500"}, 400, "it must be more than 0% and at most 400%"),
        (
            {"variants": [Variant.objects.filter(product_type__slug="mug").first]},
            400,
            "Choose variants of the chosen",
        ),
        ({"title": ""}, 400, "This field is required"),
        ({"title": "Cat\x00tee"}, 400, "Null characters are not allowed"),
        ({"work": "99999999999999999999999"}, 400, "less than or equal to"),
        ({"price": "1e400"}, 400, "no more than 9 digits"),
        ({"scale": "nan"}, 400, "Enter a number"),
    ],
)
def test_bad_input_comes_back_on_the_form_with_what_to_fix(
    ana, published_work, client_for, changes, status, words
):
    """REQ: COM-4"""
    changes = {k: [v().pk for v in value] if k == "variants" else value for k, value in changes.items()}
    refused = client_for(ana).post(NEW, form(published_work(), **changes))
    assert refused.status_code == status
    assert words in text(refused)
    assert 'value="Orange cat tee"' in text(refused) or changes.get("title") is not None
    assert not Product.objects.exists()


def test_a_refused_form_still_shows_the_resolution_warning(ana, published_work, client_for):
    """A warning never blocks, but it is shown with the refusal that does."""
    refused = client_for(ana).post(NEW, form(published_work(), price="10.00"))
    assert refused.status_code == 400
    assert "The picture reaches 45 DPI at this size" in text(refused)


def test_work_refusals_on_the_form_taken_down_someone_elses_and_under_an_exclusive_licence(
    ana, ben, mo, published_work, client_for
):
    """REQ: COM-4, COM-6
    A taken-down work (409), someone else's work without a licence (403) and a category held exclusively by
    another (409) are each refused on the form with the reason."""
    taken = published_work()
    work_transition(work=taken, transition=TAKE_DOWN, by=mo)
    refused = client_for(ana).post(NEW, form(taken))
    assert refused.status_code == 409 and "is Taken down" in text(refused)

    work = published_work(title="Second", seed=2)
    refused = client_for(ben).post(NEW, form(work))
    assert refused.status_code == 403 and "Ask the creator for such a licence first" in text(refused)

    deal = licence(ana, ben, work, kind="exclusive")
    refused = client_for(ana).post(NEW, form(work))
    assert refused.status_code == 409
    assert "licensed exclusively for Apparel to ben_brand" in text(refused)
    assert deal.reference in text(refused)
    assert not Product.objects.exists()


def test_a_work_the_maker_cannot_see_is_not_found_on_the_form(ben, submit, client_for):
    work = submit(title="Secret sketch")
    refused = client_for(ben).post(NEW, form(work))
    assert refused.status_code == 404 and "Secret sketch" not in text(refused)


def test_pending_mockups_are_polled_and_failed_ones_say_so(ana, published_work, draft, client_for):
    """REQ: COM-4"""
    product = product_create(maker=ana, draft=draft(published_work()))
    page = text(client_for(ana).get(f"/shop/studio/products/{product.reference}/"))
    assert f'data-poll="/api/shop/studio/products/{product.reference}"' in page
    assert page.count("Being rendered") >= 2
    product.mockups.update(status=Mockup.Status.FAILED)
    page = text(client_for(ana).get(f"/shop/studio/products/{product.reference}/"))
    assert "data-poll" not in page and "Rendering failed" in page


def test_a_rejected_product_shows_the_reason_and_the_moderators_message(
    ana, mo, published_work, draft, client_for
):
    """REQ: COM-4"""
    product = product_create(maker=ana, draft=draft(published_work()))
    product_reject(
        moderator=mo, product=product, reason_code="third_party_rights", message="The logo is Nike's."
    )
    page = text(client_for(ana).get(f"/shop/studio/products/{product.reference}/"))
    assert "Rejected in review on" in page and "The logo is Nike" in page
    assert "Reason: Infringes third-party rights" in page
    assert "Withdraw the product" not in page


def test_the_maker_withdraws_a_product_and_others_find_nothing(on_sale, ana, ben, client_for):
    """REQ: COM-4"""
    product = on_sale()
    url = f"/shop/studio/products/{product.reference}/"
    assert client_for(ben).get(url).status_code == 404
    assert client_for(ben).post(f"{url}withdraw/").status_code == 404
    assert client_for(ana).get(f"{url}withdraw/").status_code == 405
    done = client_for(ana).post(f"{url}withdraw/", follow=True)
    assert done.redirect_chain[-1][0] == url
    assert "is withdrawn: it is no longer reviewed or sold" in text(done)
    product.refresh_from_db()
    assert product.status == Product.Status.WITHDRAWN
    again = client_for(ana).post(f"{url}withdraw/", follow=True)
    assert "This cannot be done while it is “Withdrawn”" in text(again)


def test_studio_pages_need_a_signed_in_creator(client):
    for url in (
        "/shop/studio/",
        NEW,
        "/shop/studio/sales/",
        "/shop/studio/revenue/",
        "/shop/studio/revenue.csv",
    ):
        answer = client.get(url)
        assert answer.status_code == 302 and "/accounts/signin" in answer["Location"], url


def count_queries(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        answer = client.get(url)
    assert answer.status_code == 200
    return len(captured), text(answer)


def test_my_products_filter_by_status_and_cost_the_same_queries_for_one_or_many(
    ana, on_sale, published_work, draft, client_for
):
    """UX: a list page does not grow with its length."""
    client = client_for(ana)
    on_sale()
    one, page = count_queries(client, "/shop/studio/")
    assert "In the shop" in page
    work = published_work(title="Second", seed=2)
    for _ in range(3):
        product_create(maker=ana, draft=draft(work, title="Pending tee"))
    many, page = count_queries(client, "/shop/studio/")
    assert many == one and page.count("Pending tee") == 3
    _, page = count_queries(client, "/shop/studio/?status=approved")
    assert "Pending tee" not in page and "Orange cat tee" in page
    _, page = count_queries(client, "/shop/studio/?status=rejected")
    assert "No products with this status" in page


def test_sales_list_my_lines_and_margin_without_the_buyer_at_a_constant_query_count(
    on_sale, ana, ben, cy, client_for
):
    """REQ: COM-5
    The maker sees the order reference, date, status, their lines and margin; never the buyer's name, phone or
    address (PRV-1)."""
    product = on_sale()
    client = client_for(ana)
    order = buy(ben, product, quantity=2)
    one, page = count_queries(client, "/shop/studio/sales/")
    assert order.reference in page and "Paid" in page and "your margin ¥108.00" in page
    for private in ("Wang", "王买家", "13800001234", "上海", "ben_brand"):
        assert private not in page
    buy(ben, product, attempt="b")
    buy(cy, product, attempt="c")
    many, page = count_queries(client, "/shop/studio/sales/")
    assert many == one and page.count("your margin") >= 6


def test_the_template_picture_is_public_cached_and_only_in_the_types_colours(client, catalogue):
    """REQ: COM-4"""
    picture = client.get("/shop/studio/art/tshirt/1f1f1f.webp")
    assert picture.status_code == 200 and picture["Content-Type"] == "image/webp"
    assert "public" in picture["Cache-Control"] and "max-age" in picture["Cache-Control"]
    assert Image.open(io.BytesIO(picture.content)).size == (600, 600)
    for missing in ("/shop/studio/art/sofa/ffffff.webp", "/shop/studio/art/tshirt/123456.webp"):
        assert client.get(missing).status_code == 404
    assert client.get("/shop/studio/art/tshirt/FFFFFF.webp").status_code == 404
    assert client.post("/shop/studio/art/tshirt/ffffff.webp").status_code in (403, 405)
