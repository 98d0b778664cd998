"""Verifying organizations from their certificate scan (REG-5, ACC-2): the queue, the review page, the
decision, the notice, a new scan after a refusal, and the API."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from inspiracle.accounts.models import OrganizationCertificate, User
from inspiracle.accounts.services import certificate_review
from inspiracle.audit.models import AuditEvent
from inspiracle.core.errors import ApplicationError
from inspiracle.core.testing import PDF, image_bytes, make_user
from inspiracle.notifications.models import Notification

pytestmark = pytest.mark.django_db


def org(name: str = "acme", **extra) -> User:
    """A registered organization whose certificate scan (a PDF) waits for review."""
    return make_user(name, kind="organization", email=f"{name}@example.com", **extra)


def scan(user: User) -> OrganizationCertificate:
    newest = user.certificates.newest()
    assert newest is not None
    return newest


def review_url(user: User) -> str:
    return f"/staff/verification/{user.username}/"


def decision_url(user: User, certificate: OrganizationCertificate) -> str:
    return f"/api/staff/users/{user.username}/certificates/{certificate.pk}/decision"


def decide(client, user, certificate, **body):
    return client.post(decision_url(user, certificate), body, content_type="application/json")


def test_the_queue_lists_organizations_waiting_oldest_first_with_links_to_review(lee, client_for):
    """REQ: REG-5"""
    first, second = org("first_co"), org("second_co")
    make_user("plain_person")
    page = client_for(lee).get("/staff/verification/")
    html = page.content.decode()
    assert page.status_code == 200
    assert html.index("@first_co") < html.index("@second_co") and "plain_person" not in html
    assert review_url(first) in html and review_url(second) in html
    listed = client_for(lee).get("/api/staff/verification").json()["items"]
    assert [row["username"] for row in listed] == ["first_co", "second_co"]
    assert listed[0]["certificate_id"] == scan(first).pk and listed[0]["content_type"] == "application/pdf"


def test_the_review_page_shows_the_scan_inline_and_the_registered_name(lee, client_for):
    """REQ: REG-5, MOD-8"""
    acme = org(legal_name="北京艾克米文化有限公司")
    page = client_for(lee).get(review_url(acme)).content.decode()
    file_url = f"/staff/verification/acme/certificates/{scan(acme).pk}/"
    assert f'<iframe src="{file_url}"' in page
    assert "北京艾克米文化有限公司" in page and 'name="decision" value="refuse"' in page
    served = client_for(lee).get(file_url)
    assert served.status_code == 200 and served.content == PDF
    assert served["Content-Type"] == "application/pdf"
    assert served["Content-Disposition"] == f'inline; filename="certificate-acme-{scan(acme).pk}.pdf"'
    assert served["X-Content-Type-Options"] == "nosniff"
    assert served["Cache-Control"] == "private, no-store"
    # The review page frames the scan, so the scan (alone) may be framed by this site.
    assert (
        served["X-Frame-Options"] == "SAMEORIGIN"
        and "frame-ancestors 'self'" in served["Content-Security-Policy"]
    )


def test_an_image_scan_is_shown_as_an_image(lee, client_for):
    """REQ: REG-5"""
    acme = org()
    png = image_bytes("PNG")
    client_for(acme).post(
        "/accounts/me/certificate/", {"certificate": SimpleUploadedFile("scan.png", png, "image/png")}
    )
    newest = scan(acme)
    assert newest.content_type == "image/png"
    page = client_for(lee).get(review_url(acme)).content.decode()
    assert f'<img src="/staff/verification/acme/certificates/{newest.pk}/"' in page
    assert client_for(lee).get(f"/staff/verification/acme/certificates/{newest.pk}/").content == png


def test_accepting_verifies_the_organization_which_then_carries_the_badge(
    lee, client_for, django_capture_on_commit_callbacks, mailoutbox
):
    """REQ: REG-5, ACC-2, UX-4, MOD-8
    GIVEN an organization waiting for review WHEN a legal officer accepts its scan in the console
    THEN the account is verified, shows the badge, leaves the queue, is told so, and both are audited."""
    acme = org()
    certificate = scan(acme)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(lee).post(
            review_url(acme), {"certificate": certificate.pk, "decision": "accept", "reason": ""}
        )
    assert response.status_code == 302 and response["Location"] == "/staff/verification/"
    certificate.refresh_from_db()
    assert (certificate.status, certificate.accepted_by) == ("accepted", lee)
    acme.refresh_from_db()
    assert acme.is_verified and acme.verified_by == lee
    assert client_for(lee).get("/api/profiles/acme").json()["verified"] is True
    assert "badge verified" in client_for(lee).get("/u/acme/").content.decode()
    assert client_for(lee).get("/api/staff/verification").json()["items"] == []
    notice = Notification.objects.get(user=acme)
    assert notice.template == "org_verified" and notice.link == "/accounts/me/registration/#verification"
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["acme@example.com"]
    actions = set(
        AuditEvent.objects.filter(actor_id=lee.pk, target_id=str(acme.pk)).values_list("action", flat=True)
    )
    assert {"certificate.accepted", "account.verified"} <= actions
    mine = client_for(acme).get("/accounts/me/registration/").content.decode()
    assert "Your organization is verified since" in mine


def test_a_refusal_needs_a_reason_which_the_organization_reads_in_its_language(
    ada, client_for, django_capture_on_commit_callbacks, mailoutbox
):
    """REQ: REG-5, UX-4
    GIVEN an organization that reads Inspiracle in Chinese WHEN an administrator refuses its scan
    THEN a refusal without a reason is not taken, and with one the organization gets the notice and the
    email in Chinese with the staff's reason, and sees the reason on its registration page."""
    acme = org()
    User.objects.filter(pk=acme.pk).update(language="zh-hans")
    certificate = scan(acme)
    staff = client_for(ada)
    missing = staff.post(
        review_url(acme), {"certificate": certificate.pk, "decision": "refuse", "reason": "  "}
    )
    assert missing.status_code == 400 and "A reason is required to refuse." in missing.content.decode()
    assert OrganizationCertificate.objects.get(pk=certificate.pk).status == "pending"
    assert not Notification.objects.filter(user=acme).exists()

    reason = "The scan is cut off: the registration number is not readable."
    with django_capture_on_commit_callbacks(execute=True):
        refused = staff.post(
            review_url(acme), {"certificate": certificate.pk, "decision": "refuse", "reason": reason}
        )
    assert refused.status_code == 302
    certificate.refresh_from_db()
    assert (certificate.status, certificate.refused_by, certificate.refusal_reason) == (
        "refused",
        ada,
        reason,
    )
    acme.refresh_from_db()
    assert not acme.is_verified
    notice = Notification.objects.get(user=acme)
    assert notice.template == "org_verification_refused" and notice.params["message"] == reason
    with translation.override("zh-hans"):
        subject, body = notice.rendered()
        assert mailoutbox[0].subject == translation.gettext("Inspiracle: %(subject)s") % {"subject": subject}
    assert reason in body and reason in mailoutbox[0].body
    assert AuditEvent.objects.get(action="certificate.refused", actor_id=ada.pk).reason == reason
    inbox = client_for(acme).get("/api/inbox").json()["items"]
    assert reason in inbox[0]["body"]
    mine = client_for(acme).get("/accounts/me/registration/").content.decode()
    assert (
        "Staff could not verify your organization" in mine and "registration number is not readable" in mine
    )


def test_a_new_scan_after_a_refusal_goes_back_to_the_queue(lee, client_for):
    """REQ: REG-5"""
    acme = org()
    certificate_review(actor=lee, certificate=scan(acme), accept=False, reason="Blurred.")
    assert client_for(lee).get("/api/staff/verification").json()["items"] == []
    uploaded = client_for(acme).post(
        "/accounts/me/certificate/", {"certificate": SimpleUploadedFile("new.pdf", PDF, "application/pdf")}
    )
    assert uploaded.status_code == 302 and uploaded["Location"] == "/accounts/me/registration/#verification"
    newest = scan(acme)
    assert newest.status == "pending" and acme.certificates.count() == 2
    assert [
        row["certificate_id"] for row in client_for(lee).get("/api/staff/verification").json()["items"]
    ] == [newest.pk]
    assert (
        "is waiting for staff review" in client_for(acme).get("/accounts/me/registration/").content.decode()
    )
    review = client_for(lee).get(review_url(acme)).content.decode()
    assert "Blurred." in review and f'name="certificate" value="{newest.pk}"' in review


def test_the_second_of_two_staff_deciding_the_same_scan_is_refused(lee, ada, client_for):
    """REQ: REG-5
    GIVEN two staff with the same scan open WHEN one accepts it and the other then refuses it
    THEN the second is told who decided first, and nothing of the second decision is kept."""
    acme = org()
    certificate = scan(acme)
    stale = OrganizationCertificate.objects.get(pk=certificate.pk)
    assert client_for(lee).get(review_url(acme)).status_code == 200
    assert client_for(ada).get(review_url(acme)).status_code == 200
    accepted = client_for(ada).post(review_url(acme), {"certificate": certificate.pk, "decision": "accept"})
    assert accepted.status_code == 302
    late = client_for(lee).post(
        review_url(acme), {"certificate": certificate.pk, "decision": "refuse", "reason": "Looks forged."}
    )
    assert late.status_code == 400
    assert "@ada accepted this certificate already; nothing was changed." in late.content.decode()
    via_api = decide(client_for(lee), acme, certificate, accept=False, reason="Looks forged.")
    assert via_api.status_code == 409 and via_api.json()["error"]["code"] == "already_decided"
    # The service re-reads the row under its lock: an object read before the first decision changes nothing.
    with pytest.raises(ApplicationError, match="@ada accepted this certificate already"):
        certificate_review(actor=lee, certificate=stale, accept=False, reason="Looks forged.")
    certificate.refresh_from_db()
    assert (certificate.status, certificate.accepted_by, certificate.refusal_reason) == ("accepted", ada, "")
    assert Notification.objects.filter(user=acme).count() == 1
    assert not AuditEvent.objects.filter(action="certificate.refused").exists()


def test_only_the_newest_scan_of_an_organization_is_decided(lee, client_for):
    """REQ: REG-5"""
    acme = org()
    older = scan(acme)
    client_for(acme).post(
        "/api/me/certificate", {"certificate": SimpleUploadedFile("b.pdf", PDF, "application/pdf")}
    )
    response = decide(client_for(lee), acme, older, accept=True)
    assert response.status_code == 409 and response.json()["error"]["code"] == "superseded"
    assert "review the newest scan instead" in response.json()["error"]["message"]
    assert OrganizationCertificate.objects.get(pk=older.pk).status == "pending"
    page = client_for(lee).get(review_url(acme)).content.decode()
    assert "Not reviewed: a newer scan replaced it" in page


def test_a_person_is_not_verified_from_a_certificate(lee, ana, client_for):
    """REQ: REG-5, ACC-2"""
    stray = OrganizationCertificate.objects.create(
        user=ana, file="certificates/stray.bin", content_type="application/pdf", size=1, sha256="0" * 64
    )
    page = client_for(lee).get("/staff/verification/ana/")
    assert page.status_code == 404 and "@ana is an individual account" in page.content.decode()
    response = decide(client_for(lee), ana, stray, accept=True)
    assert response.status_code == 409 and response.json()["error"]["code"] == "not_organization"
    assert "only organizations are verified" in response.json()["error"]["message"]
    ana.refresh_from_db()
    assert not ana.is_verified


def test_the_api_reviews_a_scan(ada, client_for):
    """REQ: REG-5, ACC-2, UX-2"""
    acme = org()
    certificate = scan(acme)
    staff = client_for(ada)
    download = staff.get(f"/api/staff/users/acme/certificates/{certificate.pk}")
    assert download.status_code == 200 and download.content == PDF
    assert download["Content-Disposition"].startswith("attachment;")
    assert (
        download["Cache-Control"] == "private, no-store" and download["X-Content-Type-Options"] == "nosniff"
    )
    missing = decide(staff, acme, certificate, accept=False, reason="")
    assert missing.status_code == 400 and "reason" in missing.json()["error"]["fields"]
    done = decide(staff, acme, certificate, accept=False, reason="Expired certificate.")
    assert done.status_code == 200
    body = done.json()
    assert (body["status"], body["refused_by"], body["refusal_reason"], body["verified"]) == (
        "refused",
        "ada",
        "Expired certificate.",
        False,
    )
    again = decide(staff, acme, certificate, accept=True)
    assert (
        again.status_code == 409
        and "@ada refused this certificate already" in again.json()["error"]["message"]
    )


@pytest.mark.parametrize(
    "body",
    [
        {"accept": "yes", "reason": "x"},
        {"accept": 1, "reason": "x"},
        {"reason": "x"},
        {"accept": False, "reason": 123},
        {"accept": False, "reason": "x" * 2001},
        {"accept": None},
    ],
)
def test_a_decision_of_the_wrong_shape_is_refused_before_anything_changes(ada, client_for, body):
    """REQ: REG-5, UX-2"""
    acme = org()
    certificate = scan(acme)
    response = decide(client_for(ada), acme, certificate, **body)
    assert response.status_code == 422 and response.json()["error"]["code"] == "invalid"
    assert OrganizationCertificate.objects.get(pk=certificate.pk).status == "pending"


def test_another_accounts_certificate_id_is_not_found(lee, ben, client_for):
    """REQ: REG-5, PRV-3"""
    acme = org()
    bens = scan(ben)
    staff = client_for(lee)
    assert staff.get(f"/staff/verification/acme/certificates/{bens.pk}/").status_code == 404
    assert staff.get(f"/api/staff/users/acme/certificates/{bens.pk}").status_code == 404
    assert staff.get("/api/staff/users/acme/certificates/999999").status_code == 404
    assert staff.get("/api/staff/users/acme/certificates/abc").status_code == 404
    assert decide(staff, acme, bens, accept=True).status_code == 404
    # The page's form names the scan: a scan of another account is not found either.
    assert staff.post(review_url(acme), {"certificate": bens.pk, "decision": "accept"}).status_code == 404
    hostile = staff.post(review_url(acme), {"certificate": "1 OR 1=1", "decision": "accept"})
    assert hostile.status_code == 400
    assert (
        staff.post(review_url(acme), {"certificate": scan(acme).pk, "decision": "maybe"}).status_code == 400
    )
    assert OrganizationCertificate.objects.filter(status="pending").count() == 2
    assert not AuditEvent.objects.filter(action__startswith="pii.viewed", data__what="certificate").exists()


def test_the_queue_query_count_does_not_grow_with_its_length(lee, client_for, django_assert_num_queries):
    """REQ: REG-5. The queue stays fast however many organizations wait."""
    client = client_for(lee)
    org("org1")
    client.get("/staff/verification/")  # first request of the session: one-off work

    def counted(url):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    one = {url: counted(url) for url in ("/staff/verification/", "/api/staff/verification")}
    for n in range(2, 6):
        org(f"org{n}")
    for url, count in one.items():
        with django_assert_num_queries(count):
            response = client.get(url)
        assert all(f"org{n}" in response.content.decode() for n in range(1, 6))


def test_the_queue_reads_in_chinese(lee, client_for):
    """REQ: UX-1"""
    org()
    page = client_for(lee).get("/staff/verification/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 200 and '<html lang="zh-Hans">' in page.content.decode()
