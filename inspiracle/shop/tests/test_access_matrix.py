"""Every access function of the shop, for every role and every object: who gets it, who gets "not found" (the
object's existence is not leaked), and which staff are refused; then the same answers through the staff pages
and API. REQ: COM-4, COM-5, PRV-3"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from inspiracle.core.testing import access_outcome
from inspiracle.shop import permissions
from inspiracle.shop.services.cart import cart_add
from inspiracle.shop.services.orders import order_advance, order_place
from inspiracle.shop.services.payouts import payout_request
from inspiracle.shop.services.products import product_approve, product_create
from inspiracle.shop.tests.conftest import ADDRESS
from inspiracle.shop.tests.test_orders import buy
from inspiracle.works.tests.test_upload import token_client
from inspiracle.works.transitions import TAKE_DOWN, work_transition

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "buyer", "maker", "other_user", "moderator", "legal_officer", "admin")
STAFF = {"moderator", "legal_officer", "admin"}


@pytest.fixture
def make(ana, mo, published_work, draft, django_capture_on_commit_callbacks):
    """``make(seed, approve=True)``: a T-shirt of a new work of Ana's, mockups rendered, approved by Mo."""

    def make(seed: int, *, approve: bool = True, **changes):
        with django_capture_on_commit_callbacks(execute=True):
            product = product_create(maker=ana, draft=draft(published_work(seed=seed), **changes))
        return product_approve(moderator=mo, product=product) if approve else product

    return make


@pytest.fixture
def world(ana, ben, cy, mo, lee, ada, make):
    """Ana makes three T-shirts: one on sale, one awaiting review, one whose work was taken down after approval.
    Ben (the buyer) has an order placed and not paid, and a paid one; Ana asked for a payout of an earlier,
    delivered sale. Cy is a member with no part in any of it."""
    approved = make(1, price_fen=200_00)
    taken_down = make(2)
    work_transition(work=taken_down.work, transition=TAKE_DOWN, by=mo)
    pending = make(3, approve=False)
    delivered = buy(ben, approved, attempt="d")
    for step in ("produce", "ship", "deliver"):
        order_advance(staff=ada, order=delivered, step=step, tracking="SF1")
    payout = payout_request(creator=ana)
    paid = buy(ben, approved, attempt="p")
    cart_add(
        user=ben,
        session_key="",
        product_reference=approved.reference,
        variant_id=approved.variants.first().pk,
        quantity=1,
    )
    placed = order_place(buyer=ben, address=ADDRESS)
    users = {
        "anonymous": AnonymousUser(),
        "buyer": ben,
        "maker": ana,
        "other_user": cy,
        "moderator": mo,
        "legal_officer": lee,
        "admin": ada,
    }
    objects = {
        "pending": pending.reference,
        "approved": approved.reference,
        "taken_down": taken_down.reference,
        "placed": placed.reference,
        "paid": paid.reference,
        "payout": payout.pk,
    }
    return users, objects


def only(*roles: str) -> dict[str, str]:
    return {role: "ok" if role in roles else "not_found" for role in ROLES}


EVERYONE = only(*ROLES)
MAKER_AND_STAFF = only("maker", *STAFF)
OPERATIONS = {
    role: "ok" if role == "admin" else "refused" if role in STAFF else "not_found" for role in ROLES
}

MATRIX = {
    # access function, object -> expected outcome per role
    ("product_for_view", "approved"): EVERYONE,
    ("product_for_view", "pending"): MAKER_AND_STAFF,
    ("product_for_view", "taken_down"): MAKER_AND_STAFF,
    ("product_for_maker", "approved"): only("maker"),
    ("product_for_maker", "pending"): only("maker"),
    ("product_for_maker", "taken_down"): only("maker"),
    ("product_for_review", "approved"): only(*STAFF),
    ("product_for_review", "pending"): only(*STAFF),
    ("product_for_review", "taken_down"): only(*STAFF),
    ("order_for_buyer", "placed"): only("buyer"),
    ("order_for_buyer", "paid"): only("buyer"),
    ("order_for_maker", "placed"): only(),  # awaiting payment: the buyer's business only
    ("order_for_maker", "paid"): only("maker"),
    ("order_for_operations", "placed"): OPERATIONS,
    ("order_for_operations", "paid"): OPERATIONS,
    ("payout_for_operations", "payout"): OPERATIONS,
}
GHOSTS = {"product": "PNOSUCHXX", "order": "O-NOSUCHXX", "payout": 2**31}


def call_for(name: str, user, key):
    return lambda: getattr(permissions, f"access_{name}")(user, key)


def test_the_matrix_covers_every_access_function():
    names = {name.removeprefix("access_") for name in dir(permissions) if name.startswith("access_")}
    assert names == {name for name, _kind in MATRIX}


def test_each_role_reaches_exactly_the_objects_it_should(world):
    """One world for the whole matrix (it takes seconds to build): the difference names every wrong cell."""
    users, objects = world
    seen = {
        (name, kind): {role: access_outcome(call_for(name, users[role], objects[kind])) for role in ROLES}
        for name, kind in MATRIX
    }
    assert seen == MATRIX


def test_an_unknown_object_is_not_found_for_everyone_but_staff_without_the_right_are_refused_first(world):
    users, _objects = world
    for name in sorted({name for name, _kind in MATRIX}):
        ghost = GHOSTS[name.split("_for_")[0]]
        seen = {role: access_outcome(call_for(name, users[role], ghost)) for role in ROLES}
        refused = STAFF - {"admin"} if name.endswith("_for_operations") else set()
        assert seen == {role: "refused" if role in refused else "not_found" for role in ROLES}, name


def test_only_admins_operate_the_shop(world):
    users, _objects = world
    assert {role for role in ROLES if permissions.can_operate(users[role])} == {"admin"}


def client_of(user, *, token: bool = False) -> Client:
    if not user.is_authenticated:
        return Client()
    if token:
        return token_client(user)
    client = Client()
    client.force_login(user)
    return client


def test_through_the_staff_pages_non_staff_get_not_found_and_moderators_review_only(world):
    users, objects = world
    review = f"/staff/shop/review/{objects['pending']}/"
    operations = [
        f"/staff/shop/orders/{objects['paid']}/",
        "/staff/shop/orders/",
        "/staff/shop/payouts/",
        "/staff/shop/catalogue/",
    ]

    def status(role: str, url: str) -> int:
        return client_of(users[role]).get(url).status_code

    signed_in = {role: 404 for role in ("buyer", "maker", "other_user")}
    assert {role: status(role, review) for role in ROLES if role != "anonymous"} == {
        **signed_in,
        "moderator": 200,
        "legal_officer": 200,
        "admin": 200,
    }
    for url in operations:
        seen = {role: status(role, url) for role in ROLES if role != "anonymous"}
        assert seen == {**signed_in, "moderator": 403, "legal_officer": 403, "admin": 200}, url
    assert client_of(users["anonymous"]).get(review).status_code == 302  # to sign in


def test_through_the_api_sessions_of_non_staff_get_not_found_and_moderators_review_only(world):
    users, objects = world
    review = f"/api/staff/shop/review/{objects['pending']}"
    operations = [
        f"/api/staff/shop/orders/{objects['paid']}",
        "/api/staff/shop/orders",
        "/api/staff/shop/payouts",
        "/api/staff/shop/catalogue/types",
    ]

    def status(role: str, url: str) -> int:
        return client_of(users[role]).get(url).status_code

    signed_in = {role: 404 for role in ("buyer", "maker", "other_user")}
    assert {role: status(role, review) for role in ROLES} == {
        "anonymous": 401,
        **signed_in,
        "moderator": 200,
        "legal_officer": 200,
        "admin": 200,
    }
    for url in operations:
        seen = {role: status(role, url) for role in ROLES}
        assert seen == {
            "anonymous": 401,
            **signed_in,
            "moderator": 403,
            "legal_officer": 403,
            "admin": 200,
        }, url
    # A member's token lacks the staff scope: refused before any lookup.
    assert client_of(users["buyer"], token=True).get(review).status_code == 403
