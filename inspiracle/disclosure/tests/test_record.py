"""Recording a state authority's request and deciding it (PRV-5): what is kept, what is refused and why, and the
four-eyes rule, through the pages, the API and the services."""

import pytest
from django.test import Client

from inspiracle.audit.models import AuditEvent
from inspiracle.core.errors import ApplicationError
from inspiracle.core.testing import PDF, image_bytes
from inspiracle.disclosure.models import DisclosureRequest
from inspiracle.disclosure.services.requests import (
    document_open,
    parse_usernames,
    request_approve,
    request_record,
    request_reject,
    request_withdraw,
)
from inspiracle.disclosure.tests.conftest import document_file, request_input
from inspiracle.works.tests.test_upload import token_client

pytestmark = pytest.mark.django_db

FORM = {
    "authority": "Shanghai Cyberspace Administration",
    "authority_reference": "SH-77",
    "legal_basis": "Personal Information Protection Law art. 13",
    "usernames": "@ana, cy",
    "kinds": ["registration", "ip_addresses"],
    "period_from": "2026-03-01",
    "period_to": "2026-03-31",
    "deadline": "2026-04-15",
}


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def stored_files(tmp_path) -> list:
    return (
        [p for p in (tmp_path / "private").rglob("*") if p.is_file()]
        if (tmp_path / "private").exists()
        else []
    )


def test_a_legal_officer_records_a_request_with_its_document_encrypted(lee, ana, cy, fresh_storage):
    """REQ: PRV-5
    GIVEN Lee WHEN he records a request naming @ana and cy with the letter THEN it awaits approval, holds the
    scope as given, the letter is stored encrypted (not as sent) and the recording is audited."""
    answer = signed_in(lee).post("/staff/disclosure/new/", {**FORM, "document": document_file()})
    assert answer.status_code == 302
    found = DisclosureRequest.objects.get()
    assert answer["Location"] == f"/staff/disclosure/{found.reference}/"
    assert found.status == "recorded" and found.recorded_by == lee
    assert sorted(found.accounts.values_list("username", flat=True)) == ["ana", "cy"]
    assert found.kinds == ["registration", "ip_addresses"] and not found.notice_prohibited
    [stored] = stored_files(fresh_storage)
    assert PDF not in stored.read_bytes()
    assert document_open(found=found, by=lee) == PDF
    actions = list(
        AuditEvent.objects.filter(action__startswith="disclosure.")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == ["disclosure.recorded", "disclosure.document_viewed"]


def test_unknown_usernames_are_named_and_nothing_is_stored(lee, ana, fresh_storage):
    """REQ: PRV-5"""
    answer = signed_in(lee).post(
        "/staff/disclosure/new/", {**FORM, "usernames": "ana nobody ghost_1", "document": document_file()}
    )
    assert answer.status_code == 400
    page = answer.content.decode()
    assert "No account has these usernames: nobody, ghost_1." in page
    assert DisclosureRequest.objects.count() == 0 and stored_files(fresh_storage) == []


def test_reversed_dates_and_every_other_wrong_field_are_named_at_once(lee, ana):
    with pytest.raises(ApplicationError) as caught:
        request_record(
            by=lee,
            data=request_input(
                authority=" ", kinds=["registration", "browsing_history"], usernames="", period_from=None
            ),
        )
    assert set(caught.value.fields) == {"authority", "kinds", "usernames", "period_from"}
    with pytest.raises(ApplicationError) as caught:
        request_record(
            by=lee,
            data=request_input(period_from=request_input().period_to, period_to=request_input().period_from),
        )
    assert caught.value.fields["period_to"] == [
        "The period ends (2026-01-01) before it begins (2026-12-31). Swap the two dates."
    ]


@pytest.mark.parametrize(
    ("name", "data", "problem"),
    [
        ("letter.pdf", b"MZ\x90\x00 not a document", "is not a PDF, JPEG or PNG file"),
        ("letter.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), "is larger than"),
        ("letter.pdf", b"", "is empty"),
    ],
)
def test_a_non_document_or_oversized_upload_is_refused_with_what_to_do(
    lee, ana, fresh_storage, name, data, problem
):
    """REQ: PRV-5"""
    answer = token_client(lee).post(
        "/api/staff/disclosure/requests", {**FORM, "document": document_file(name, data)}
    )
    assert answer.status_code == 400, answer.content
    assert problem in answer.json()["error"]["fields"]["document"][0]
    assert DisclosureRequest.objects.count() == 0 and stored_files(fresh_storage) == []


def test_through_the_api_a_request_is_recorded_with_an_image_scan(lee, ana, cy):
    answer = token_client(lee).post(
        "/api/staff/disclosure/requests",
        {
            **FORM,
            "kinds": "content,publication_times",
            "notice_prohibited": "true",
            "document": document_file("scan.png", image_bytes(seed=3)),
        },
    )
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["status"] == "recorded" and body["accounts"] == ["ana", "cy"]
    assert body["kinds"] == ["content", "publication_times"] and body["notice_prohibited"] is True
    assert DisclosureRequest.objects.get().document_type == "image/png"


def test_the_recorder_cannot_approve_or_reject_their_own_request(lee, recorded):
    """REQ: PRV-5"""
    found = recorded()
    for decide in (request_approve, request_reject):
        with pytest.raises(ApplicationError) as caught:
            decide(found=found, by=lee, reason="Looks fine")
        assert (caught.value.status, caught.value.code) == (403, "own_request")
    answer = token_client(lee).post(
        f"/api/staff/disclosure/requests/{found.reference}/decision",
        {"decision": "approve", "reason": "ok"},
        content_type="application/json",
    )
    assert (answer.status_code, answer.json()["error"]["code"]) == (403, "own_request")
    found.refresh_from_db()
    assert found.status == "recorded" and found.approved_by is None


def test_a_second_officer_approves_once_and_a_second_decision_is_refused(
    lena, ada, recorded, django_capture_on_commit_callbacks
):
    """REQ: PRV-5"""
    found = recorded()
    with django_capture_on_commit_callbacks(execute=True):
        answer = signed_in(lena).post(
            f"/staff/disclosure/{found.reference}/", {"decision": "approve", "reason": "Basis checked"}
        )
    assert answer.status_code == 302
    found.refresh_from_db()
    assert (found.status, found.approved_by, found.decision_reason) == ("exported", lena, "Basis checked")
    again = token_client(ada).post(
        f"/api/staff/disclosure/requests/{found.reference}/decision",
        {"decision": "reject", "reason": "No"},
        content_type="application/json",
    )
    assert (again.status_code, again.json()["error"]["code"]) == (409, "invalid_state")


def test_a_rejection_needs_a_reason_and_produces_no_export(lena, recorded, fresh_storage):
    found = recorded()
    with pytest.raises(ApplicationError):
        request_reject(found=found, by=lena, reason="  ")
    request_reject(found=found, by=lena, reason="The legal basis does not cover IP addresses.")
    found.refresh_from_db()
    assert found.status == "rejected" and found.rejected_by == lena and not found.export_file
    assert len(stored_files(fresh_storage)) == 1  # the letter only


def test_a_moderator_is_refused_and_a_creator_gets_not_found_when_recording(mo, ana):
    assert (
        signed_in(mo).post("/staff/disclosure/new/", {**FORM, "document": document_file()}).status_code == 403
    )
    assert (
        signed_in(ana).post("/staff/disclosure/new/", {**FORM, "document": document_file()}).status_code
        == 404
    )
    assert DisclosureRequest.objects.count() == 0


def test_usernames_are_read_as_written_in_a_letter():
    assert parse_usernames("@Ana, ben_brand；cy\n@ana  ") == ["ana", "ben_brand", "cy"]


def test_withdrawing_is_audited_with_its_reason(lee, recorded):
    found = recorded()
    request_withdraw(found=found, by=lee, reason="The authority withdrew it by letter.")
    event = AuditEvent.objects.filter(action="disclosure.withdrawn").get()
    assert event.reason == "The authority withdrew it by letter." and event.actor_id == lee.pk


def test_the_authority_document_opens_for_an_officer_only_and_each_opening_is_audited(lena, ana, recorded):
    """REQ: PRV-5"""
    found = recorded()
    answer = signed_in(lena).get(f"/staff/disclosure/{found.reference}/document/")
    assert answer.status_code == 200 and answer.content == PDF
    assert answer["Content-Type"] == "application/pdf" and answer["Cache-Control"] == "private, no-store"
    assert "default-src 'none'" in answer["Content-Security-Policy"]
    viewed = AuditEvent.objects.get(action="disclosure.document_viewed")
    assert viewed.actor_id == lena.pk and viewed.target_label == found.reference
    assert signed_in(ana).get(f"/staff/disclosure/{found.reference}/document/").status_code == 404
