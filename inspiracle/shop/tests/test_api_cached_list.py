"""GET /api/shop/products keeps its pages in the cache under the generations of the shop page's cards (issue 14,
bench/web.py): every change a row shows reaches the next caller at once, and an unchanged page costs one query."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from inspiracle.accounts.services.profile import profile_update
from inspiracle.shop.services.products import product_withdraw
from inspiracle.works.services import work_unpublish

pytestmark = pytest.mark.django_db


def products(client: Client | None = None, **query) -> dict:
    response = (client or Client()).get("/api/shop/products", query)
    assert response.status_code == 200, response.content
    return response.json()


def test_a_change_to_what_a_row_shows_reaches_the_next_caller_at_once(on_sale, ana):
    """REQ: COM-4"""
    tee = on_sale(title="Orange cat tee")
    assert [row["title"] for row in products()["items"]] == ["Orange cat tee"]
    assert products(q="whale")["items"] == []
    whale = on_sale(title="Blue whale tee")
    assert [row["reference"] for row in products(q="whale")["items"]] == [whale.reference]
    assert {row["reference"] for row in products()["items"]} == {tee.reference, whale.reference}

    profile_update(user=ana, changes={"display_name": "Ana Brushwork"})
    assert {row["creator"]["display_name"] for row in products()["items"]} == {"Ana Brushwork"}

    product_withdraw(user=ana, product=tee)
    assert [row["reference"] for row in products()["items"]] == [whale.reference]
    work_unpublish(actor=ana, work=whale.work)
    assert products() == {"items": [], "count": 0, "page": 1, "page_size": 24}


def test_an_unchanged_page_costs_one_query_and_links_carry_the_callers_address(on_sale):
    product = on_sale()
    for query in ({}, {"type": "tshirt", "min_fen": 1}, {"page_size": 1, "page": 2}):
        first = products(**query)
        with CaptureQueriesContext(connection) as captured:
            again = products(**query)
        assert again == first
        assert len(captured) == 1, [q["sql"] for q in captured]  # the generations
    assert products()["items"][0]["url"].startswith("http://testserver/") and product.reference in str(
        products()
    )
    elsewhere = products(Client(SERVER_NAME="localhost"))["items"][0]
    assert elsewhere["url"].startswith("http://localhost/")
    assert all(mockup["url"].startswith("http://localhost/") for mockup in elsewhere["mockups"])
