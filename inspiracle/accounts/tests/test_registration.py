import pytest
from django.core.files.storage import storages
from django.test import Client

from inspiracle.accounts.models import OrganizationCertificate, RegistrationInfo, User
from inspiracle.agreements.models import Consent
from inspiracle.audit.models import AuditEvent
from inspiracle.core import crypto
from inspiracle.core.testing import PASSWORD, PDF, accepted_labels

pytestmark = pytest.mark.django_db


def form(**overrides):
    data = {
        "kind": "person",
        "username": "newbie",
        "password": PASSWORD,
        "legal_name": "王小明",
        "mailing_address": "上海市徐汇区漕溪北路 88 号",
        "mobile": "139 1234 5678",
        "landline": "",
        "email": "",
        "age_attested": "on",
        "accept": accepted_labels(),
        "agree": "1",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_register_page_lists_every_agreement_with_nothing_pre_ticked(agreements):
    """REQ: REG-1"""
    html = Client().get("/accounts/register/").content.decode()
    for label in accepted_labels():
        assert f'value="{label}"' in html
    import re

    boxes = re.findall(r'<input type="checkbox" name="accept"[^>]*>', html)
    assert len(boxes) == 4 and not any("checked" in box for box in boxes)
    assert 'name="age_attested"' in html and 'name="age_attested" checked' not in html
    assert 'name="decline"' in html


def test_a_person_registers_and_each_consent_is_recorded_with_version_time_ip_and_browser(agreements):
    """REQ: REG-1, REG-2, REG-5
    GIVEN the four agreements in force WHEN a person agrees to each and attests being 18
    THEN the account exists and one consent per agreement version records who, when, IP and user agent."""
    response = Client(HTTP_USER_AGENT="TestBrowser/1.0", REMOTE_ADDR="203.0.113.7").post(
        "/accounts/register/", form()
    )
    assert response.status_code == 302
    user = User.objects.get(username="newbie")
    consents = Consent.objects.filter(user=user).select_related("version__document")
    assert sorted(c.version.label for c in consents) == sorted(accepted_labels())
    for consent in consents:
        assert consent.ip == "203.0.113.7"
        assert consent.user_agent == "TestBrowser/1.0"
        assert consent.age_attested and consent.method == "registration"
    info = user.registration
    assert (info.legal_name, info.mobile) == ("王小明", "+8613912345678")
    assert AuditEvent.objects.filter(action="account.registered", actor_id=user.pk).exists()


def test_registration_without_every_agreement_is_refused_and_nothing_is_saved(agreements):
    """REQ: REG-1"""
    response = Client().post("/accounts/register/", form(accept=accepted_labels()[:-1]))
    assert response.status_code == 200
    assert "You need to agree to every agreement" in response.content.decode()
    assert not User.objects.exists() and not Consent.objects.exists()


def test_registration_without_the_age_attestation_is_refused(agreements):
    """REQ: REG-2"""
    response = Client().post("/accounts/register/", form(age_attested=None))
    assert "at least 18" in response.content.decode()
    assert not User.objects.exists()


def test_declining_registers_nothing_and_explains_browsing_only(agreements):
    """REQ: REG-3"""
    response = Client().post("/accounts/register/", form(decline="1", agree=None), follow=True)
    assert "You did not register" in response.content.decode()
    assert not User.objects.exists()


def test_an_agreement_that_changed_while_reading_must_be_read_again(agreements):
    """REQ: REG-1"""
    stale = [label.replace("@1", "@0") for label in accepted_labels()]
    response = Client().post("/accounts/register/", form(accept=stale))
    assert "changed while you were reading" in response.content.decode()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("mobile", "12345", "not a valid number"),
        ("mobile", "abc", "is not a phone number"),
        ("mobile", "010 6552 9988", "is not a mobile number"),
        ("landline", "13912345678", "is not a landline number"),
        ("email", "not-an-email", "Enter a valid email address"),
        ("username", "Bad Name!", "lowercase letters"),
        ("password", "123", "too short"),
        ("legal_name", "  ", "This field is required"),
    ],
)
def test_bad_registration_fields_say_what_is_wrong(agreements, field, value, message):
    """REQ: REG-5"""
    response = Client().post("/accounts/register/", form(**{field: value}))
    assert message in response.content.decode()
    assert not User.objects.exists()


def test_phone_numbers_of_any_country_are_accepted_with_their_code(agreements):
    """REQ: REG-5"""
    Client().post("/accounts/register/", form(mobile="+44 7911 123456", landline="010 6552 9988"))
    info = RegistrationInfo.objects.get()
    assert (info.mobile, info.landline) == ("+447911123456", "+861065529988")


def test_a_mobile_number_registers_one_account_only(agreements):
    """REQ: REG-5"""
    Client().post("/accounts/register/", form())
    response = Client().post("/accounts/register/", form(username="other"))
    assert "registered to another account" in response.content.decode()


def test_an_organization_must_upload_its_certificate_which_is_stored_encrypted(agreements):
    """REQ: REG-5, PRV-1"""
    response = Client().post("/accounts/register/", form(kind="organization"))
    assert "registration certificate" in response.content.decode()
    assert not User.objects.exists()

    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("cert.pdf", PDF, content_type="application/pdf")
    response = Client().post("/accounts/register/", {**form(kind="organization"), "certificate": upload})
    assert response.status_code == 302
    cert = OrganizationCertificate.objects.get()
    stored = storages["private"].open(cert.file.name).read()
    assert PDF not in stored
    assert crypto.decrypt_bytes(stored, purpose="certificate") == PDF


def test_a_certificate_that_is_not_a_scan_is_refused_and_leaves_no_file(agreements):
    """REQ: REG-5"""
    import os

    from django.core.files.uploadedfile import SimpleUploadedFile

    root = os.path.join(storages["private"].location, "certificates")
    before = set(os.listdir(root)) if os.path.isdir(root) else set()
    upload = SimpleUploadedFile(
        "cert.pdf", b"<html><script>alert(1)</script>", content_type="application/pdf"
    )
    response = Client().post("/accounts/register/", {**form(kind="organization"), "certificate": upload})
    assert "must be a PDF, JPEG or PNG" in response.content.decode()
    assert not OrganizationCertificate.objects.exists()
    assert (set(os.listdir(root)) if os.path.isdir(root) else set()) == before


def test_registration_through_the_api_is_a_multipart_form(agreements):
    """REQ: REG-1, REG-5, UX-2"""
    data = form()
    data.pop("agree")
    data["age_attested"] = "true"
    response = Client().post("/api/auth/register", data)
    assert response.status_code == 201, response.content
    assert response.json()["username"] == "newbie"
    assert response.json()["may_upload"] is True

    missing = Client().post(
        "/api/auth/register",
        {**data, "username": "second", "mobile": "13912345679", "accept": accepted_labels()[:2]},
    )
    assert missing.status_code == 400
    assert missing.json()["error"]["fields"]["accept"]
