"""Every access function of licensing, for every role and every record: who gets it, who gets "not found"
(or, for staff without the right, a refusal); what each role may do next in a request; and the same answers
through the API. REQ: PRV-3, PRV-4"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from inspiracle.core.testing import access_outcome
from inspiracle.licensing import permissions
from inspiracle.licensing.models import Deal, LicenceRequest
from inspiracle.licensing.services.deals import request_accept
from inspiracle.licensing.services.requests import latest_proposal, request_send
from inspiracle.works.tests.test_upload import token_client

pytestmark = pytest.mark.django_db

ROLES = (
    "visitor",
    "member",
    "requester",
    "creator",
    "other_brand",
    "moderator",
    "legal_officer",
    "admin",
)
PARTIES = {"requester", "creator"}
OVERSEERS = {"legal_officer", "admin"}


@pytest.fixture
def world(ana, ben, bea, cy, mo, lee, ada, published_work, terms):
    """Ben (the requester) has an open request to Ana (the creator) and a deal with her; Bea (another brand)
    has a request of her own to Ana; Cy is a member party to nothing."""
    first, second = published_work(seed=1), published_work(title="Autumn", seed=2)
    open_request = request_send(requester=ben, work_ids=[first.pk], data=terms())
    dealt = request_send(requester=ben, work_ids=[second.pk], data=terms())
    deal = request_accept(request=dealt, by=ana, number=1)
    request_send(requester=bea, work_ids=[first.pk], data=terms())
    users = {
        "visitor": AnonymousUser(),
        "member": cy,
        "requester": ben,
        "creator": ana,
        "other_brand": bea,
        "moderator": mo,
        "legal_officer": lee,
        "admin": ada,
    }
    return users, {"request": open_request, "dealt_request": dealt, "deal": deal}


outcome = access_outcome


ONLY_PARTIES = {role: "ok" if role in PARTIES else "not_found" for role in ROLES}
ONLY_OVERSEERS = {
    role: "ok" if role in OVERSEERS else "refused" if role == "moderator" else "not_found" for role in ROLES
}

MATRIX = {
    # access function, record it is asked for -> expected outcome per role
    ("request_for_party", "request"): ONLY_PARTIES,
    ("request_for_party", "dealt_request"): ONLY_PARTIES,
    ("deal_for_party", "deal"): ONLY_PARTIES,
    ("request_for_staff", "request"): ONLY_OVERSEERS,
    ("request_for_staff", "dealt_request"): ONLY_OVERSEERS,
    ("deal_for_staff", "deal"): ONLY_OVERSEERS,
}


def call_for(name: str, user, reference: str):
    return lambda: getattr(permissions, f"access_{name}")(user, reference)


def test_the_matrix_covers_every_access_function():
    names = {name.removeprefix("access_") for name in dir(permissions) if name.startswith("access_")}
    assert names == {name for name, _kind in MATRIX}


@pytest.mark.parametrize(("name", "kind"), list(MATRIX))
def test_each_role_reaches_exactly_the_records_it_should(world, name, kind):
    users, records = world
    seen = {role: outcome(call_for(name, users[role], records[kind].reference)) for role in ROLES}
    assert seen == MATRIX[(name, kind)]


@pytest.mark.parametrize(("name", "kind"), list(MATRIX))
def test_an_unknown_reference_is_not_found_for_everyone_but_a_moderator_is_refused_first(world, name, kind):
    users, records = world
    ghost = "D-NOSUCHXX" if kind == "deal" else "L-NOSUCHXX"
    seen = {outcome(call_for(name, users[role], ghost)) for role in ROLES if role != "moderator"}
    assert seen == {"not_found"}
    expected = "refused" if name.endswith("_for_staff") else "not_found"
    assert outcome(call_for(name, users["moderator"], ghost)) == expected


def test_only_legal_officers_and_admins_oversee(world):
    users, _records = world
    assert {role for role in ROLES if permissions.can_oversee(users[role])} == OVERSEERS


def test_only_the_party_whose_turn_it_is_may_answer_and_either_party_may_withdraw(world):
    """REQ: COM-2"""
    users, records = world
    request = records["request"]
    latest = latest_proposal(request)
    moves = {role: permissions.moves_for(users[role], request, latest) for role in ROLES}
    answering = {role for role, m in moves.items() if m.accept and m.counter and m.decline}
    assert answering == {"creator"}  # Ben wrote the latest proposal: Ana answers it
    assert {role for role, m in moves.items() if m.withdraw} == PARTIES
    assert not any(m.accept or m.counter or m.decline for role, m in moves.items() if role != "creator")
    closed = LicenceRequest.objects.get(pk=records["dealt_request"].pk)
    nothing = permissions.Moves(accept=False, counter=False, decline=False, withdraw=False)
    assert {permissions.moves_for(users[role], closed, latest_proposal(closed)) for role in ROLES} == {
        nothing
    }


def client_of(user) -> Client:
    return Client() if not user.is_authenticated else token_client(user)


def status_by_role(users, url: str) -> dict[str, int]:
    return {role: client_of(users[role]).get(url).status_code for role in ROLES}


def test_through_the_api_only_the_parties_read_a_request_a_deal_and_its_contact_details(world):
    """Visitors must sign in; everyone else who is not a party gets "not found", staff included (they
    oversee deals through the staff endpoints)."""
    users, records = world
    party_only = {role: 200 if role in PARTIES else 401 if role == "visitor" else 404 for role in ROLES}
    deal = records["deal"]
    for url in (
        f"/api/licensing/requests/{records['request'].reference}",
        f"/api/licensing/requests/{records['dealt_request'].reference}",
        f"/api/licensing/deals/{deal.reference}",
        f"/api/licensing/deals/{deal.reference}/contact",
    ):
        assert status_by_role(users, url) == party_only, url


def test_through_the_api_only_overseers_reach_the_staff_endpoints(world):
    users, records = world
    deal = records["deal"]
    # Non-staff tokens lack the staff scope (403 token_scope); the moderator's role lacks the right.
    expected = {role: 200 if role in OVERSEERS else 401 if role == "visitor" else 403 for role in ROLES}
    for url in (
        "/api/staff/licensing/deals",
        f"/api/staff/licensing/deals/{deal.reference}",
        "/api/staff/licensing/register",
        "/api/staff/licensing/disclosures",
    ):
        assert status_by_role(users, url) == expected, url
    signed_in = Client()
    signed_in.force_login(users["requester"])
    assert signed_in.get("/api/staff/licensing/register").status_code == 404


def test_each_party_lists_only_its_own_requests_deals_and_disclosures(world):
    users, records = world
    mine = {
        role: {
            r["reference"] for r in token_client(users[role]).get("/api/licensing/requests").json()["items"]
        }
        for role in ROLES
        if role != "visitor"
    }
    bea_request = LicenceRequest.objects.get(requester=users["other_brand"]).reference
    bens = {records["request"].reference, records["dealt_request"].reference}
    assert mine == {
        "member": set(),
        "requester": bens,
        "creator": bens | {bea_request},
        "other_brand": {bea_request},
        "moderator": set(),
        "legal_officer": set(),
        "admin": set(),
    }
    deals = {
        role: [d["reference"] for d in token_client(users[role]).get("/api/licensing/deals").json()["items"]]
        for role in ROLES
        if role != "visitor"
    }
    assert {role for role, found in deals.items() if found} == PARTIES
    assert Deal.objects.count() == 1
    seen = {
        role: {
            d["viewer"]
            for d in token_client(users[role]).get("/api/licensing/contact-disclosures").json()["items"]
        }
        for role in ROLES
        if role != "visitor"
    }
    assert seen == {
        **{role: set() for role in ROLES if role != "visitor"},
        "requester": {"ana"},
        "creator": {"ben_brand"},
    }
