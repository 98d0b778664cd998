"""An organization's own side of verification (REG-5, ACC-2): where it stands, and a new scan."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from inspiracle.accounts.models import OrganizationCertificate
from inspiracle.accounts.services import certificate_review
from inspiracle.core.testing import PDF, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def acme(agreements):
    return make_user("acme", kind="organization")


def upload(client, content: bytes = PDF, name: str = "scan.pdf"):
    return client.post("/accounts/me/certificate/", {"certificate": SimpleUploadedFile(name, content)})


def test_an_organization_sees_its_scan_waiting_for_review(acme, client_for):
    """REQ: REG-5"""
    client = client_for(acme)
    page = client.get("/accounts/me/registration/").content.decode()
    assert 'id="verification"' in page and "is waiting for staff review" in page
    assert 'action="/accounts/me/certificate/"' in page and 'enctype="multipart/form-data"' in page
    state = client.get("/api/me/verification").json()
    assert state["verified"] is False and state["certificate"]["status"] == "pending"


def test_a_refused_organization_reads_why_and_uploads_a_new_scan(acme, lee, client_for):
    """REQ: REG-5"""
    certificate_review(
        actor=lee, certificate=acme.certificates.newest(), accept=False, reason="The stamp is missing."
    )
    client = client_for(acme)
    page = client.get("/accounts/me/registration/").content.decode()
    assert "The stamp is missing." in page and "status-rejected" in page
    state = client.get("/api/me/verification").json()["certificate"]
    assert (state["id"], state["status"], state["refusal_reason"]) == (
        acme.certificates.newest().pk,
        "refused",
        "The stamp is missing.",
    )
    assert upload(client).status_code == 302
    assert client.get("/api/me/verification").json()["certificate"]["status"] == "pending"
    assert "is waiting for staff review" in client.get("/accounts/me/registration/").content.decode()


def test_a_verified_organization_sees_its_badge(acme, lee, client_for):
    """REQ: ACC-2"""
    certificate_review(actor=lee, certificate=acme.certificates.newest(), accept=True, reason="")
    client = client_for(acme)
    assert "Your organization is verified since" in client.get("/accounts/me/registration/").content.decode()
    state = client.get("/api/me/verification").json()
    assert state["verified"] is True and state["certificate"]["status"] == "accepted"


def test_a_scan_that_is_not_a_pdf_or_image_is_refused_and_nothing_is_queued(acme, client_for):
    """REQ: REG-5"""
    response = upload(client_for(acme), b"<html><script>alert(1)</script>", "scan.pdf")
    assert response.status_code == 400
    assert "must be a PDF, JPEG or PNG" in response.content.decode()
    assert acme.certificates.count() == 1
    assert upload(client_for(acme), b"", "empty.pdf").status_code == 400
    assert client_for(acme).post("/accounts/me/certificate/", {}).status_code == 400


def test_a_person_has_no_verification_to_upload_for(ana, client_for):
    """REQ: REG-5"""
    client = client_for(ana)
    page = client.get("/accounts/me/registration/").content.decode()
    assert 'id="verification"' not in page
    response = upload(client)
    assert response.status_code == 400
    assert "Only organization accounts upload a registration certificate." in response.content.decode()
    assert not OrganizationCertificate.objects.filter(user=ana).exists()
    assert client.get("/api/me/verification").json() == {
        "verified": False,
        "verified_at": None,
        "certificate": None,
    }


def test_the_organization_never_reaches_the_staff_copy_of_its_scan(acme, client_for):
    """REQ: MOD-7, PRV-3"""
    certificate = acme.certificates.newest()
    assert client_for(acme).get(f"/staff/verification/acme/certificates/{certificate.pk}/").status_code == 404
    assert client_for(acme).get(f"/api/staff/users/acme/certificates/{certificate.pk}").status_code == 404
