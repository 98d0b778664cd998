"""Who among staff reads identity documents and registration information (MOD-7), and that every reading is
in the audit log (MOD-8, AUD-1)."""

import pytest

from inspiracle.accounts.models import OrganizationCertificate, User
from inspiracle.audit.models import AuditEvent
from inspiracle.audit.services import audit_verify
from inspiracle.core.testing import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def acme(agreements) -> User:
    return make_user("acme", kind="organization", legal_name="上海艾克米设计有限公司", mobile="13911112222")


def certificate_of(user: User) -> OrganizationCertificate:
    newest = user.certificates.newest()
    assert newest is not None
    return newest


def pages(acme):
    """(method, address, what a successful request reads) for every page and endpoint that shows a scan or
    registration information, or decides on a scan."""
    cert = certificate_of(acme).pk
    return [
        ("get", "/staff/users/acme/registration/", "registration"),
        ("get", "/staff/verification/acme/", "registration"),
        ("get", f"/staff/verification/acme/certificates/{cert}/", "certificate"),
        ("get", "/api/staff/users/acme/registration", "registration"),
        ("get", f"/api/staff/users/acme/certificates/{cert}", "certificate"),
        ("get", "/staff/verification/", None),
        ("get", "/api/staff/verification", None),
        ("post", "/staff/verification/acme/", None),
        ("post", f"/api/staff/users/acme/certificates/{cert}/decision", None),
    ]


def send(client, method, url):
    if method == "get":
        return client.get(url)
    if url.startswith("/api/"):
        return client.post(url, {"accept": True}, content_type="application/json")
    return client.post(
        url, {"certificate": certificate_of(User.objects.get(username="acme")).pk, "decision": "accept"}
    )


def test_moderators_never_see_identity_documents_or_registration_information(acme, mo, client_for):
    """REQ: MOD-7
    GIVEN a moderator WHEN they open any page or endpoint with a certificate scan or registration
    information, or try to decide on a scan THEN each is refused (403), and nothing is read or decided."""
    client = client_for(mo)
    before = AuditEvent.objects.count()
    for method, url, _what in pages(acme):
        response = send(client, method, url)
        assert response.status_code == 403, url
        assert "上海艾克米" not in response.content.decode() and b"%PDF" not in response.content, url
    assert AuditEvent.objects.count() == before
    assert certificate_of(acme).status == "pending" and not User.objects.get(pk=acme.pk).is_verified


def test_members_do_not_learn_that_these_pages_exist(acme, ana, cy, client_for):
    """REQ: MOD-7, PRV-3"""
    for user in (ana, cy, acme):
        client = client_for(user)
        for method, url, _what in pages(acme):
            assert send(client, method, url).status_code == 404, (user, url)


@pytest.mark.parametrize("role", ["lee", "ada"])
def test_legal_officers_and_administrators_read_them_and_each_reading_is_audited(
    acme, role, request, client_for
):
    """REQ: MOD-7, MOD-8, AUD-1
    GIVEN a legal officer or an administrator WHEN they open each page or endpoint with personal information
    THEN it is shown, and each opening wrote one `pii.viewed` event naming who, whose and what, before the
    answer left; the queue (names and dates only) writes none."""
    reader = request.getfixturevalue(role)
    client = client_for(reader)
    for method, url, what in pages(acme):
        if method != "get":
            continue
        before = set(AuditEvent.objects.values_list("seq", flat=True))
        response = client.get(url)
        assert response.status_code == 200, url
        events = list(AuditEvent.objects.exclude(seq__in=before))
        if what is None:
            assert events == [], url
            continue
        assert [(e.action, e.actor_id, e.target_id, e.target_label, e.data["what"]) for e in events] == [
            ("pii.viewed", reader.pk, str(acme.pk), "acme", what)
        ], url
        if what == "certificate":
            assert events[0].data["certificate_id"] == certificate_of(acme).pk
            assert response.content.startswith(b"%PDF")
        else:
            shown = str(response.json()) if url.startswith("/api/") else response.content.decode()
            assert "上海艾克米设计有限公司" in shown
    assert audit_verify().intact


def test_the_review_page_reads_only_the_name_and_address_it_needs(acme, lee, client_for):
    """REQ: MOD-8, PRV-1"""
    page = client_for(lee).get("/staff/verification/acme/").content.decode()
    assert "+8613911112222" not in page
    event = AuditEvent.objects.get(action="pii.viewed")
    assert event.data["fields"] == ["legal_name", "mailing_address"]
    full = client_for(lee).get("/api/staff/users/acme/registration").json()
    assert full["mobile"] == "+8613911112222"
    assert AuditEvent.objects.filter(action="pii.viewed").order_by("-seq").first().data["fields"] == [
        "email",
        "landline",
        "legal_name",
        "mailing_address",
        "mobile",
    ]


def test_the_staff_user_page_links_personal_information_only_for_roles_that_may_read_it(
    acme, mo, lee, ada, client_for
):
    """REQ: MOD-7"""
    moderator = client_for(mo).get("/staff/users/acme/").content.decode()
    assert "/staff/users/acme/registration/" not in moderator and 'name="verify_submit"' not in moderator
    assert "/staff/verification/" not in moderator and "上海艾克米" not in moderator
    for reader in (lee, ada):
        page = client_for(reader).get("/staff/users/acme/").content.decode()
        assert "/staff/users/acme/registration/" in page and "/staff/verification/acme/" in page
        assert 'name="verify_submit"' in page
        # The page itself shows none of it: opening the information is a deliberate, audited step.
        assert "上海艾克米" not in page
    assert not AuditEvent.objects.filter(action="pii.viewed").exists()


def test_the_verification_link_is_in_the_console_only_for_roles_that_verify(mo, lee, ada, client_for):
    """REQ: MOD-7"""
    assert 'href="/staff/verification/"' not in client_for(mo).get("/staff/").content.decode()
    for reader in (lee, ada):
        assert 'href="/staff/verification/"' in client_for(reader).get("/staff/").content.decode()


def test_reading_the_audit_log_is_itself_recorded(lee, mo, client_for):
    """The log holds IP addresses and user agents: reading it is an access to personal information.

    REQ: MOD-8"""
    assert client_for(mo).get("/staff/audit/").status_code == 403
    assert client_for(lee).get("/staff/audit/?action=signin").status_code == 200
    assert client_for(lee).get("/api/staff/audit").status_code == 200
    reads = AuditEvent.objects.filter(action="pii.viewed", actor_label="lee").order_by("seq")
    assert [(e.data["what"], e.data["action"]) for e in reads] == [("audit_log", "signin"), ("audit_log", "")]


def test_the_uploaders_ip_address_is_shown_to_legal_officers_only_and_each_view_is_audited(
    ana, mo, lee, client_for, django_capture_on_commit_callbacks
):
    """REQ: MOD-7, MOD-8, WRK-7"""
    from inspiracle.core.testing import image_bytes
    from inspiracle.works.tests.test_upload import token_client, upload

    work_id = upload(
        token_client(ana), [("a.png", image_bytes(seed=1))], django_capture_on_commit_callbacks
    ).json()["id"]
    for url in (f"/staff/review/{work_id}/", f"/works/{work_id}/"):
        assert "127.0.0.1" not in client_for(mo).get(url).content.decode()
        assert "127.0.0.1" in client_for(lee).get(url).content.decode()
    views = AuditEvent.objects.filter(action="pii.viewed", data__what="upload_ip")
    assert [e.actor_label for e in views] == ["lee", "lee"]
