"""Every access function of reposts, for every role and every kind of record, and the same answers through
the pages and the API (WRK-12, PRV-3): a granted permission is public; a request never granted is its two
parties' only; only the owner answers or revokes. REQ: WRK-12, PRV-3"""

from functools import partial

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from inspiracle.core.testing import access_outcome
from inspiracle.reposts import permissions
from inspiracle.reposts.services import repost_approve, repost_decline, repost_revoke
from inspiracle.works.tests.test_upload import token_client

pytestmark = pytest.mark.django_db

ROLES = ("visitor", "member", "requester", "owner", "moderator", "legal_officer", "admin")
KINDS = ("requested", "approved", "declined", "revoked")
PARTIES = {"requester", "owner"}


@pytest.fixture
def world(ana, ben, cy, mo, lee, ada, repostable, ask):
    """Cy asked to repost Ana's work on four sites: one pending, one approved, one declined, one revoked."""
    work = repostable()
    records = {kind: ask(cy, work, site_url=f"https://{kind}.example.com/") for kind in KINDS}
    records["approved"] = repost_approve(permission=records["approved"], actor=ana)
    records["declined"] = repost_decline(permission=records["declined"], actor=ana)
    records["revoked"] = repost_revoke(
        permission=repost_approve(permission=records["revoked"], actor=ana), actor=ana
    )
    users = {
        "visitor": AnonymousUser(),
        "member": ben,
        "requester": cy,
        "owner": ana,
        "moderator": mo,
        "legal_officer": lee,
        "admin": ada,
    }
    return users, records


ISSUED = {"approved", "revoked"}


def expected(name: str, kind: str, role: str) -> str:
    if name == "permission_for_owner":
        return "ok" if role == "owner" else "not_found"
    return "ok" if kind in ISSUED or role in PARTIES else "not_found"


MATRIX = [(name, kind) for name in ("permission_for_view", "permission_for_owner") for kind in KINDS]


def test_the_matrix_covers_every_access_function():
    names = {name.removeprefix("access_") for name in dir(permissions) if name.startswith("access_")}
    assert names == {name for name, _kind in MATRIX}


@pytest.mark.parametrize(("name", "kind"), MATRIX)
def test_each_role_reaches_exactly_the_records_it_should(world, name, kind):
    users, records = world
    function = getattr(permissions, f"access_{name}")
    seen = {role: access_outcome(partial(function, users[role], records[kind].reference)) for role in ROLES}
    assert seen == {role: expected(name, kind, role) for role in ROLES}


def test_an_unknown_reference_is_not_found_for_everyone(world):
    users, _records = world
    for function in (permissions.access_permission_for_view, permissions.access_permission_for_owner):
        assert {access_outcome(partial(function, users[role], "RP-NOSUCHXX")) for role in ROLES} == {
            "not_found"
        }


def test_only_the_owner_may_answer_a_pending_request_and_revoke_an_approved_one(world):
    users, records = world
    answer = {role for role in ROLES if permissions.can_answer(users[role], records["requested"])}
    revoke = {role for role in ROLES if permissions.can_revoke(users[role], records["approved"])}
    assert answer == revoke == {"owner"}
    assert not any(
        permissions.can_answer(users[r], records[k]) for r in ROLES for k in KINDS if k != "requested"
    )


def client_of(user) -> Client:
    return Client() if not user.is_authenticated else token_client(user)


def test_through_the_api_and_the_pages_the_same_roles_read_each_record(world):
    users, records = world
    for kind in KINDS:
        ref = records[kind].reference
        api = {role: client_of(users[role]).get(f"/api/reposts/{ref}").status_code for role in ROLES}
        assert api == {
            role: 200 if expected("permission_for_view", kind, role) == "ok" else 404 for role in ROLES
        }
        pages = {}
        for role in ROLES:
            client = Client()
            if users[role].is_authenticated:
                client.force_login(users[role])
            pages[role] = client.get(f"/reposts/{ref}/").status_code
        assert pages == api, kind


def test_through_the_api_only_the_owner_answers_and_others_get_not_found(world):
    users, records = world
    ref = records["requested"].reference
    for role in ROLES:
        if role == "owner":
            continue
        status = client_of(users[role]).post(
            f"/api/reposts/{ref}/approve", {}, content_type="application/json"
        )
        assert status.status_code == (401 if role == "visitor" else 404), role
    answered = token_client(users["owner"]).post(
        f"/api/reposts/{ref}/approve", {}, content_type="application/json"
    )
    assert answered.status_code == 200 and answered.json()["state"] == "active"


def test_purpose_and_messages_are_for_the_parties_only(world):
    users, records = world
    ref = records["approved"].reference
    assert client_of(users["requester"]).get(f"/api/reposts/{ref}").json()["purpose"] == "A review"
    assert client_of(users["owner"]).get(f"/api/reposts/{ref}").json()["purpose"] == "A review"
    assert Client().get(f"/api/reposts/{ref}").json()["purpose"] is None
    assert client_of(users["member"]).get(f"/api/reposts/{ref}").json()["purpose"] is None
