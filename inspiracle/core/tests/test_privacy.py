"""Pages and endpoints that show registration information, identity documents or secrets are never stored by
a cache (``Cache-Control: no-store``); public pages stay cacheable (PRV-1, PRV-2)."""

import pytest
from django.test import Client

from inspiracle.accounts import security
from inspiracle.core.testing import PDF, make_user
from inspiracle.reports.services import Upload
from inspiracle.reports.services.profiles import rights_profile_create
from inspiracle.reports.tests.test_staff import ip_report

pytestmark = pytest.mark.django_db


def no_store(response) -> bool:
    return "no-store" in [part.strip() for part in response.get("Cache-Control", "").split(",")]


@pytest.fixture
def scene(cy, lee, published_work):
    acme = make_user("acme", kind="organization", legal_name="上海艾克米设计有限公司")
    report = ip_report(cy, published_work())
    profile = rights_profile_create(
        owner=cy,
        party_kind="person",
        name="Cy Holder",
        mailing_address="北京市东城区景山前街 4 号",
        phone="13900001111",
        email="cy@example.com",
        rights="Copyright in my drawings",
        files=[Upload("identity", "id.pdf", PDF), Upload("proof", "proof.pdf", PDF)],
    )
    security.totp_begin(user=cy)
    return {
        "cert": acme.certificates.newest().pk,
        "report": report.reference,
        "evidence": report.evidence.first().pk,
        "profile": profile.pk,
    }


def member_pages(s):
    return [
        "/accounts/me/registration/",
        "/api/me/registration",
        "/accounts/me/tokens/",
        "/accounts/me/two-factor/",
        f"/reports/{s['report']}/",
        f"/api/reports/{s['report']}",
        "/reports/profiles/",
    ]


def staff_pages(s):
    return [
        "/staff/users/acme/registration/",
        "/api/staff/users/acme/registration",
        "/staff/verification/acme/",
        f"/staff/verification/acme/certificates/{s['cert']}/",
        f"/api/staff/users/acme/certificates/{s['cert']}",
        f"/staff/reports/{s['report']}/",
        f"/api/staff/reports/{s['report']}",
        f"/staff/reports/evidence/{s['evidence']}/",
        f"/api/staff/reports/evidence/{s['evidence']}",
        f"/staff/reports/profiles/{s['profile']}/",
        "/api/staff/reports/profiles",
    ]


PUBLIC_PAGES = ["/", "/gallery/", "/u/ana/", "/reports/transparency/", "/api/works/public"]


def test_every_page_with_registration_information_documents_or_secrets_is_sent_no_store(
    scene, ana, cy, lee, client_for
):
    """REQ: PRV-1, PRV-2
    GIVEN a member's own pages and the staff pages that show registration information, certificates, report
    contacts, documents, a new token or a two-factor secret WHEN each is opened THEN the answer is 200 and
    says no-store; public pages do not."""
    for client, pages in ((client_for(cy), member_pages(scene)), (client_for(lee), staff_pages(scene))):
        for page in pages:
            response = client.get(page)
            assert response.status_code == 200, page
            assert no_store(response), page
    for page in PUBLIC_PAGES:
        response = Client().get(page)
        assert response.status_code == 200, page
        assert not no_store(response), page


def test_a_registration_form_shown_again_with_what_was_typed_is_not_stored(agreements):
    """REQ: PRV-1
    GIVEN a registration with an error WHEN the page comes back with the typed name, address and phone
    THEN it is not stored by any cache either (nothing was decrypted, the view says so itself)."""
    typed = {"username": "x", "legal_name": "王明文", "mailing_address": "明文路 1 号", "mobile": "139"}
    response = Client().post("/accounts/register/", typed)
    assert response.status_code in (200, 400) and "王明文" in response.content.decode()
    assert no_store(response)
