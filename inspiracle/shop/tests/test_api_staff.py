"""The shop's staff API: product review (COM-4), orders to delivery and refunds, the buyer's address (PRV-1),
payouts (COM-5) and the catalogue, with the same rules and refusals as the staff pages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inspiracle.audit.models import AuditEvent
from inspiracle.core.testing import make_user
from inspiracle.shop import ledger
from inspiracle.shop.models import Order, Product, Variant
from inspiracle.shop.selectors import product_list_for_shop
from inspiracle.shop.services.orders import order_advance
from inspiracle.shop.services.payouts import payout_request
from inspiracle.shop.services.products import product_create
from inspiracle.shop.tests.conftest import ADDRESS
from inspiracle.shop.tests.test_orders import buy
from inspiracle.works.tests.test_upload import token_client

pytestmark = pytest.mark.django_db
API = "/api/staff/shop"


@pytest.fixture
def pending(ana, published_work, draft, django_capture_on_commit_callbacks):
    def pending(work=None, **changes) -> Product:
        with django_capture_on_commit_callbacks(execute=True):
            return product_create(maker=ana, draft=draft(work or published_work(), **changes))

    return pending


def post(client, url: str, data: dict | None = None):
    return client.post(url, data or {}, content_type="application/json")


def patch(client, url: str, data: dict):
    return client.patch(url, data, content_type="application/json")


def count(client, url: str) -> tuple[int, list]:
    client.get(url)  # the token's use is recorded at most every 5 minutes: not part of the list's cost
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(captured.captured_queries), response.json()["items"]


def test_a_moderator_reads_the_queue_and_a_product_with_its_mockups_and_variants(
    pending, published_work, draft, ana, mo, django_assert_num_queries
):
    """REQ: COM-4"""
    work = published_work()
    first = pending(work, title="First tee", price_fen=90_00)
    api = token_client(mo)
    once, rows = count(api, f"{API}/review")
    for n in range(3):
        product_create(maker=ana, draft=draft(work, title=f"Later {n}"))
    again, rows = count(api, f"{API}/review")
    assert again == once
    assert [row["title"] for row in rows] == ["First tee", "Later 0", "Later 1", "Later 2"]
    one = api.get(f"{API}/review/{first.reference}").json()
    assert one["price_fen"] == 90_00 and one["deal"] is None and one["matches"] == []
    assert {m["status"] for m in one["mockups"]} == {"ready"}
    assert all(m["url"].endswith(".webp") for m in one["mockups"])
    assert sorted(v["label"] for v in one["variants"]) == ["M · Black", "M · White"]


def test_approving_over_the_api_puts_the_product_in_the_shop(pending, mo):
    """REQ: COM-4"""
    product = pending()
    assert product not in product_list_for_shop()
    answer = post(token_client(mo), f"{API}/review/{product.reference}/approve")
    assert answer.status_code == 200 and answer.json()["status"] == "approved"
    assert answer.json()["decided_by"] == "mo"
    assert list(product_list_for_shop()) == [product]


def test_a_rejection_over_the_api_needs_a_known_reason(pending, mo):
    """REQ: COM-4"""
    product = pending()
    api = token_client(mo)
    url = f"{API}/review/{product.reference}/reject"
    for wrong in ({}, {"reason_code": ""}, {"reason_code": "ugly"}):
        refused = post(api, url, wrong)
        assert refused.status_code == 422 and "reason_code" in refused.json()["error"]["fields"], wrong
    assert Product.objects.get(pk=product.pk).status == Product.Status.PENDING
    done = post(api, url, {"reason_code": "third_party_rights", "message": "Not your drawing"})
    assert done.status_code == 200
    assert (done.json()["status"], done.json()["reason_code"], done.json()["decision_message"]) == (
        "rejected",
        "third_party_rights",
        "Not your drawing",
    )
    assert product not in product_list_for_shop()


def test_a_second_decision_on_the_same_product_is_a_conflict(pending, mo):
    """REQ: COM-4"""
    product = pending()
    mia = make_user("mia", role="moderator")
    assert post(token_client(mo), f"{API}/review/{product.reference}/approve").status_code == 200
    late = post(token_client(mia), f"{API}/review/{product.reference}/reject", {"reason_code": "unsuitable"})
    assert late.status_code == 409 and late.json()["error"]["code"] == "invalid_state"
    assert post(token_client(mia), f"{API}/review/{product.reference}/approve").status_code == 409
    assert Product.objects.get(pk=product.pk).status == Product.Status.APPROVED


def test_operations_deliver_an_order_over_the_api_and_the_margin_becomes_available(
    on_sale, ben, ana, ada, django_assert_num_queries
):
    """REQ: COM-5"""
    product = on_sale()
    order = buy(ben, product, attempt="first")
    api = token_client(ada)
    once, rows = count(api, f"{API}/orders")
    for n in range(3):
        buy(ben, product, attempt=f"more{n}")
    again, rows = count(api, f"{API}/orders")
    assert again == once and len(rows) == 4
    url = f"{API}/orders/{order.reference}"
    assert "ship_address" not in api.get(url).json() and ADDRESS.address not in api.get(url).content.decode()
    assert post(api, url + "/advance", {"step": "produce"}).json()["status"] == "in_production"
    no_tracking = post(api, url + "/advance", {"step": "ship"})
    assert no_tracking.status_code == 400 and "tracking" in no_tracking.json()["error"]["fields"]
    shipped = post(api, url + "/advance", {"step": "ship", "tracking": "SF99"}).json()
    assert (shipped["status"], shipped["tracking"], shipped["shipped_by"]) == ("shipped", "SF99", "ada")
    delivered = post(api, url + "/advance", {"step": "deliver"})
    assert delivered.status_code == 200 and delivered.json()["delivered_by"] == "ada"
    assert ledger.balances_for(ana).available == 54_00
    assert post(api, url + "/advance", {"step": "deliver"}).status_code == 409
    filtered = api.get(f"{API}/orders", {"status": "delivered"}).json()["items"]
    assert [row["reference"] for row in filtered] == [order.reference]
    assert filtered[0]["lines"][0]["maker"] == "ana" and filtered[0]["lines"][0]["margin_fen"] == 54_00


def test_a_refund_over_the_api_reverses_the_sale(on_sale, ben, ada):
    """REQ: COM-5"""
    order = buy(ben, on_sale())
    api = token_client(ada)
    refunded = post(api, f"{API}/orders/{order.reference}/refund")
    assert refunded.status_code == 200 and refunded.json()["status"] == "refunded"
    assert refunded.json()["payments"][0]["refunded_fen"] == order.total_fen
    assert all(total == 0 for total in ledger.account_sums().values())
    assert post(api, f"{API}/orders/{order.reference}/refund").status_code == 409
    assert Order.objects.get(pk=order.pk).status == Order.Status.REFUNDED


def test_the_address_over_the_api_needs_a_reason_and_is_audited(on_sale, ben, ada):
    """REQ: PRV-1"""
    order = buy(ben, on_sale())
    api = token_client(ada)
    url = f"{API}/orders/{order.reference}/address"
    assert post(api, url, {"reason": " "}).status_code == 400
    assert post(api, url).status_code == 422
    assert not AuditEvent.objects.filter(action="pii.viewed").exists()
    shown = post(api, url, {"reason": "courier needs the phone"})
    assert shown.json() == {"name": ADDRESS.name, "phone": ADDRESS.phone, "address": ADDRESS.address}
    event = AuditEvent.objects.get(action="pii.viewed")
    assert (event.actor_label, event.reason, event.data["order"]) == (
        "ada",
        "courier needs the phone",
        order.reference,
    )


def test_payouts_over_the_api_waiting_first_and_settled_once(on_sale, ben, ana, ada):
    """REQ: COM-5"""
    order = buy(ben, on_sale(price_fen=200_00))
    for step in ("produce", "ship", "deliver"):
        order_advance(staff=ada, order=order, step=step, tracking="SF1")
    payout = payout_request(creator=ana)
    api = token_client(ada)
    assert [(p["id"], p["status"], p["amount_fen"]) for p in api.get(f"{API}/payouts").json()["items"]] == [
        (payout.pk, "requested", 155_00)
    ]
    settled = post(api, f"{API}/payouts/{payout.pk}/settle")
    assert settled.status_code == 200 and settled.json()["settled_by"] == "ada"
    assert post(api, f"{API}/payouts/{payout.pk}/settle").status_code == 409
    assert ledger.balances_for(ana).paid == 155_00


def test_the_catalogue_over_the_api(tshirt, ada):
    api = token_client(ada)
    types = api.get(f"{API}/catalogue/types").json()["items"]
    assert [t["slug"] for t in types] == ["poster", "tshirt", "mug", "acrylic_stand", "enamel_pin"]
    shirt = api.get(f"{API}/catalogue/types/tshirt").json()
    assert len(shirt["variants"]) == 16 and shirt["print_areas"][0]["box_w"] == 360
    changed = patch(api, f"{API}/catalogue/types/tshirt", {"min_margin_fen": 16_00, "active": False})
    assert (changed.json()["min_margin_fen"], changed.json()["active"], changed.json()["name_en"]) == (
        16_00,
        False,
        "T-shirt",
    )
    assert patch(api, f"{API}/catalogue/types/tshirt", {"name_en": None}).status_code == 422
    body = {
        "size": "XXL",
        "colour": "#22304F",
        "colour_name_en": "Navy",
        "colour_name_zh": "藏青色",
        "base_cost_fen": 55_00,
    }
    added = post(api, f"{API}/catalogue/types/tshirt/variants", body)
    assert added.status_code == 201 and added.json()["colour"] == "#22304f"
    assert post(api, f"{API}/catalogue/types/tshirt/variants", body).status_code == 409
    variant = added.json()["id"]
    retired = patch(api, f"{API}/catalogue/variants/{variant}", {"active": False, "base_cost_fen": 56_00})
    assert (retired.json()["active"], retired.json()["base_cost_fen"]) == (False, 56_00)
    assert api.get(f"{API}/catalogue/variants/{variant}").json()["active"] is False
    area = shirt["print_areas"][0]["id"]
    squashed = patch(api, f"{API}/catalogue/print-areas/{area}", {"height_mm": 300})
    assert squashed.status_code == 400 and "box" in squashed.json()["error"]["fields"]
    moved = patch(api, f"{API}/catalogue/print-areas/{area}", {"box_x": 400, "dpi": 200})
    assert (moved.json()["box_x"], moved.json()["dpi"]) == (400, 200)
    assert api.get(f"{API}/catalogue/types/nosuch").status_code == 404


def test_a_base_cost_at_a_products_price_is_a_conflict_over_the_api(on_sale, ada):
    product = on_sale(price_fen=70_00)
    variant = product.variants.get(colour="#ffffff")
    refused = patch(token_client(ada), f"{API}/catalogue/variants/{variant.pk}", {"base_cost_fen": 70_00})
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "below_product_price"
    assert Variant.objects.get(pk=variant.pk).base_cost_fen == 45_00
