"""Every access function of the disclosure register, for every role and every state of a request: who gets it,
who gets "not found" (everyone who is not staff) and who a refusal (staff without the right); what each role may
do next; and the same answers through the pages and the API. REQ: PRV-5, PRV-3"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from inspiracle.core.testing import access_outcome
from inspiracle.disclosure import permissions
from inspiracle.disclosure.services.requests import request_approve
from inspiracle.works.tests.test_upload import token_client

pytestmark = pytest.mark.django_db

ROLES = ("visitor", "member", "creator", "moderator", "recorder", "second_officer", "admin")
OFFICERS = {"recorder", "second_officer", "admin"}


@pytest.fixture
def world(ana, cy, mo, lee, lena, ada, recorded, django_capture_on_commit_callbacks):
    users = {
        "visitor": AnonymousUser(),
        "member": cy,
        "creator": ana,
        "moderator": mo,
        "recorder": lee,
        "second_officer": lena,
        "admin": ada,
    }
    waiting = recorded()
    exported = recorded()
    with django_capture_on_commit_callbacks(execute=True):
        request_approve(found=exported, by=ada, reason="Basis checked")
    exported.refresh_from_db()
    assert exported.status == "exported"
    return users, {"recorded": waiting, "exported": exported}


ONLY_OFFICERS = {
    role: "ok" if role in OFFICERS else "refused" if role == "moderator" else "not_found" for role in ROLES
}
MATRIX = {
    ("request_for_officer", "recorded"): ONLY_OFFICERS,
    ("request_for_officer", "exported"): ONLY_OFFICERS,
}


def test_the_matrix_covers_every_access_function():
    names = {name.removeprefix("access_") for name in dir(permissions) if name.startswith("access_")}
    assert names == {name for name, _kind in MATRIX}


@pytest.mark.parametrize(("name", "kind"), list(MATRIX))
def test_each_role_reaches_exactly_the_requests_it_should(world, name, kind):
    users, records = world
    call = getattr(permissions, f"access_{name}")
    seen = {role: access_outcome(lambda u=users[role]: call(u, records[kind].reference)) for role in ROLES}
    assert seen == MATRIX[(name, kind)]


def test_an_unknown_reference_is_not_found_for_everyone_but_a_moderator_is_refused_first(world):
    users, _records = world
    seen = {
        role: access_outcome(lambda u=users[role]: permissions.access_request_for_officer(u, "AR-NOSUCHXX"))
        for role in ROLES
    }
    assert seen == {role: "refused" if role == "moderator" else "not_found" for role in ROLES}


def test_only_a_second_officer_may_decide_and_only_the_two_officers_may_download(world):
    users, records = world
    waiting, exported = records["recorded"], records["exported"]
    assert {r for r in ROLES if permissions.can_decide(users[r], waiting)} == {"second_officer", "admin"}
    assert not any(permissions.can_decide(users[r], exported) for r in ROLES)
    # Lee recorded it, Ada approved it: Lena, another officer, may not download it.
    assert {r for r in ROLES if permissions.can_download(users[r], exported)} == {"recorder", "admin"}
    assert {r for r in ROLES if permissions.can_withdraw(users[r], waiting)} == OFFICERS


def _client(user, api: bool) -> Client:
    if not user.is_authenticated:
        return Client()
    if api:
        return token_client(user)
    client = Client()
    client.force_login(user)
    return client


def test_pages_answer_not_found_to_non_staff_and_refuse_a_moderator(world):
    users, records = world
    expected = {
        role: 200 if role in OFFICERS else 403 if role == "moderator" else 302 if role == "visitor" else 404
        for role in ROLES
    }
    reference = records["recorded"].reference
    for url in ("/staff/disclosure/", "/staff/disclosure/new/", f"/staff/disclosure/{reference}/"):
        seen = {role: _client(users[role], api=False).get(url).status_code for role in ROLES}
        assert seen == expected, url


def test_through_the_api_only_officers_reach_the_register(world):
    users, records = world
    # Non-staff tokens lack the staff scope (403 token_scope); the moderator's role lacks the right.
    expected = {role: 200 if role in OFFICERS else 401 if role == "visitor" else 403 for role in ROLES}
    reference = records["recorded"].reference
    for url in ("/api/staff/disclosure/requests", f"/api/staff/disclosure/requests/{reference}"):
        seen = {role: _client(users[role], api=True).get(url).status_code for role in ROLES}
        assert seen == expected, url
    signed_in = Client()
    signed_in.force_login(users["creator"])
    answer = signed_in.get(f"/api/staff/disclosure/requests/{reference}")
    assert answer.status_code == 404 and reference not in answer.content.decode()


def test_a_creator_cannot_download_an_export_through_page_or_api(world):
    users, records = world
    reference = records["exported"].reference
    page = _client(users["creator"], api=False).post(f"/staff/disclosure/{reference}/export/")
    assert page.status_code == 404
    signed_in = Client()
    signed_in.force_login(users["creator"])
    assert signed_in.post(f"/api/staff/disclosure/requests/{reference}/export").status_code == 404
    other = _client(users["second_officer"], api=True).post(
        f"/api/staff/disclosure/requests/{reference}/export"
    )
    assert (other.status_code, other.json()["error"]["code"]) == (403, "not_an_officer")
    records["exported"].refresh_from_db()
    assert records["exported"].status == "exported"
