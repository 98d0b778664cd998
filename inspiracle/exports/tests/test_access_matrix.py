"""Who reaches an archive (ACC-4, PRV-3): its owner, signed in, and nobody else: another member, every staff
role and a visitor get "not found" from the access functions, the page link and the API alike."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from inspiracle.core.testing import access_outcome, make_user
from inspiracle.exports import permissions
from inspiracle.exports.services import export_link_token, export_request
from inspiracle.works.tests.test_upload import token_client

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "owner", "other_user", "moderator", "legal_officer", "admin")


@pytest.fixture
def world(ana, cy, mo, lee, ada, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ready, _ = export_request(user=ana)
    with django_capture_on_commit_callbacks(execute=False):
        pending, _ = export_request(user=make_user("dora"))  # another user's, not built yet
    users = {"anonymous": AnonymousUser(), "owner": ana, "other_user": cy, "moderator": mo}
    users |= {"legal_officer": lee, "admin": ada}
    ready.refresh_from_db()
    return {"users": users, "ready": ready, "pending": pending}


EXPECTED = {
    # (function, object): the roles that get it; every other role gets "not found"
    ("access_export_for_owner", "ready"): {"owner"},
    ("access_export_for_download", "ready"): {"owner"},
    ("access_export_for_owner", "pending"): set(),
    ("access_export_for_download", "pending"): set(),
}


@pytest.mark.parametrize("role", ROLES)
def test_the_access_functions_give_an_archive_to_its_owner_only(world, role):
    """REQ: ACC-4"""
    user = world["users"][role]
    for (function, name), allowed in EXPECTED.items():
        check = getattr(permissions, function)
        outcome = access_outcome(lambda check=check, name=name: check(user, world[name].pk))
        assert outcome == ("ok" if role in allowed else "not_found"), (function, name)


@pytest.mark.parametrize("role", ROLES)
def test_the_signed_link_downloads_only_for_the_owner_signed_in(world, role):
    """REQ: ACC-4 — the link is not a bearer link: without the owner's session it is "not found" (or the
    sign-in page for a visitor)."""
    export = world["ready"]
    client = Client()
    if role != "anonymous":
        client.force_login(world["users"][role])
    response = client.get(f"/privacy/export/{export.pk}/download/{export_link_token(export)}/")
    expected = {"owner": 200, "anonymous": 302}.get(role, 404)
    assert response.status_code == expected
    if role == "anonymous":
        assert "/accounts/signin" in response["Location"] or "login" in response["Location"]


@pytest.mark.parametrize("role", ROLES)
def test_the_api_shows_and_downloads_an_archive_for_its_owner_only(world, role):
    """REQ: ACC-4"""
    export = world["ready"]
    user = world["users"][role]
    client = Client() if role == "anonymous" else token_client(user)
    detail = client.get(f"/api/account/exports/{export.pk}")
    download = client.get(f"/api/account/exports/{export.pk}/download/{export_link_token(export)}")
    if role == "owner":
        assert (detail.status_code, download.status_code) == (200, 200)
    elif role == "anonymous":
        assert (detail.status_code, download.status_code) == (401, 401)
    else:
        assert (detail.status_code, download.status_code) == (404, 404)
        assert detail.json()["error"]["code"] == "not_found"
        assert str(export.pk) not in [
            str(e["id"]) for e in client.get("/api/account/exports").json()["items"]
        ]
