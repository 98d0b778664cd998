"""Every access function of privacy, for every role and every record, and the same answers through the API
and the pages. A cancellation is only ever the caller's own (no id in any address); legal holds are for legal
officers and admins. REQ: ACC-3, PRV-3"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from inspiracle.core.testing import PASSWORD, access_outcome
from inspiracle.privacy import permissions
from inspiracle.privacy.services import legal_hold_place

pytestmark = pytest.mark.django_db

ROLES = ("visitor", "member", "creator", "moderator", "legal_officer", "admin")
HOLDERS = {"legal_officer", "admin"}
ONLY_HOLDERS = {
    role: "ok" if role in HOLDERS else "refused" if role == "moderator" else "not_found" for role in ROLES
}


@pytest.fixture
def world(ana, cy, mo, lee, ada):
    users = {
        "visitor": AnonymousUser(),
        "member": cy,
        "creator": ana,
        "moderator": mo,
        "legal_officer": lee,
        "admin": ada,
    }
    return users, legal_hold_place(actor=lee, username="ana", reason="Authority request 12")


def client(user) -> Client:
    c = Client()
    if user.is_authenticated:
        c.force_login(user)
    return c


@pytest.mark.parametrize("role", ROLES)
def test_own_cancellation_is_reached_by_every_signed_in_account_only(world, role):
    users, _hold = world
    user = users[role]
    expected = "not_found" if role == "visitor" else "ok"
    assert access_outcome(lambda: permissions.access_cancellation_for_owner(user)) == expected
    answer = client(user).get("/api/account/cancellation")
    assert answer.status_code == (401 if role == "visitor" else 200)
    if role != "visitor":
        assert answer.json()["can_cancel"] is (role not in {"moderator", "legal_officer", "admin"})
    page = client(user).get("/privacy/cancel/")
    assert page.status_code == (302 if role == "visitor" else 200)
    assert client(user).get("/privacy/").status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_legal_holds_are_for_legal_officers_and_admins(world, role):
    users, hold = world
    user = users[role]
    assert (
        access_outcome(lambda: permissions.access_legal_hold_for_staff(user, hold.pk)) == ONLY_HOLDERS[role]
    )
    status = {"ok": 200, "refused": 403, "not_found": 404}[ONLY_HOLDERS[role]]
    c = client(user)
    assert c.get("/api/staff/privacy/holds").status_code == (401 if role == "visitor" else status)
    placed = c.post(
        "/api/staff/privacy/holds", {"username": "cy", "reason": "Case 5"}, content_type="application/json"
    )
    assert placed.status_code == (401 if role == "visitor" else 201 if status == 200 else status)
    released = c.delete(f"/api/staff/privacy/holds/{hold.pk}")
    assert released.status_code == (401 if role == "visitor" else status)


def test_a_missing_hold_is_not_found_for_holders_too(world):
    users, hold = world
    lee = users["legal_officer"]
    assert access_outcome(lambda: permissions.access_legal_hold_for_staff(lee, hold.pk + 100)) == "not_found"
    assert client(lee).delete(f"/api/staff/privacy/holds/{hold.pk + 100}").status_code == 404


def test_another_account_cannot_cancel_or_restore_someone_else(world):
    """There is no address naming another account: Cy's request cancels Cy, never Ana."""
    users, _hold = world
    cy, ana = users["member"], users["creator"]
    made = client(cy).post(
        "/api/account/cancellation", {"password": PASSWORD}, content_type="application/json"
    )
    assert made.status_code == 201
    ana.refresh_from_db()
    cy.refresh_from_db()
    assert ana.cancel_requested_at is None and cy.cancel_requested_at is not None
    assert client(ana).delete("/api/account/cancellation").status_code == 409
