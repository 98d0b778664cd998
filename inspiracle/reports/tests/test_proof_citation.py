"""A reporter claiming a work of their own on this platform cites its proof-of-creation certificate (RPT-3,
WRK-10): checked against the proof log when filed, shown to the legal officer as verified or with the reason
it failed."""

import json
from dataclasses import asdict

from django.core.files.uploadedfile import SimpleUploadedFile

from inspiracle.core.testing import image_bytes
from inspiracle.moderation.services import review_approve
from inspiracle.proofs.services import tree_head_sign
from inspiracle.reports.models import Report
from inspiracle.reports.services import ReportInput, report_file
from inspiracle.reports.tests.test_flow import complete_ip
from inspiracle.works.models import Work
from inspiracle.works.tests.test_upload import token_client, upload


def _bens_work(ben, django_capture_on_commit_callbacks, *, approver=None, seed=61) -> tuple[Work, bytes]:
    """One of Ben's works (published when ``approver`` approves it), its file in a signed tree head."""
    client = token_client(ben)
    response = upload(client, [("own.png", image_bytes(seed=seed))], django_capture_on_commit_callbacks)
    work = Work.objects.get(pk=response.json()["id"])
    if approver is not None:
        review_approve(actor=approver, work=work)
    tree_head_sign()  # the beat job's turn: certificates are served against signed heads only
    return work, client.get(f"/api/works/{work.pk}/certificate").content


def _report(reporter, target: Work, **extra) -> Report:
    data = asdict(complete_ip(f"/works/{target.pk}/"))
    data["category"] = "ip"
    data["files"] = [f for f in complete_ip("").files if f.kind == "identity"]  # no other proof of the right
    return report_file(reporter=reporter, data=ReportInput(**{**data, **extra}))


def test_a_verified_certificate_proves_the_right_and_the_legal_officer_sees_it(
    ben, lee, mo, published_work, client_for, django_capture_on_commit_callbacks
):
    """REQ: RPT-3, WRK-10
    GIVEN Ben's own published work in the proof log, and Ana's published work uploaded after it
    WHEN Ben reports Ana's work citing his certificate, without any other proof of the right
    THEN the report is complete, and the legal officer's page says the proof verified: leaf, tree head, owner."""
    own, certificate = _bens_work(ben, django_capture_on_commit_callbacks, approver=mo)
    target = published_work(seed=62)
    report = _report(ben, target, proof_certificate=certificate)
    assert report.status == "accepted" and report.missing == {}
    leaf_index = json.loads(certificate)["leaf_index"]
    assert report.proof_check["valid"] and report.proof_check["owner"] == ben.pk
    assert report.proof_check["leaf_index"] == leaf_index and report.proof_check["work"] == own.pk

    page = client_for(lee).get(f"/staff/reports/{report.reference}/").content.decode()
    assert "Verified proof of creation" in page and f"leaf {leaf_index}, tree head of" in page
    assert "@ben_brand" in page and "information only" not in page
    staff_api = token_client(lee).get(f"/api/staff/reports/{report.reference}")
    assert staff_api.json()["proof_check"]["valid"] is True


def test_a_tampered_certificate_is_kept_with_the_reason_and_proves_nothing(
    ben, lee, published_work, client_for, django_capture_on_commit_callbacks
):
    """REQ: RPT-3, WRK-10"""
    target = published_work(seed=63)
    _own, certificate = _bens_work(ben, django_capture_on_commit_callbacks)
    forged = certificate.replace(b'\\"owner\\":', b'\\"owner\\":1', 1)
    report = _report(ben, target, proof_certificate=forged)
    assert report.status == "incomplete" and "proof" in report.missing
    assert report.proof_check == {**report.proof_check, "valid": False}
    assert "leaf hash" in report.proof_check["reason"] or "canonical" in report.proof_check["reason"]
    page = client_for(lee).get(f"/staff/reports/{report.reference}/").content.decode()
    assert "The cited proof of creation does not verify" in page


def test_someone_elses_certificate_is_shown_but_does_not_prove_the_reporters_right(
    ana, ben, lee, published_work, client_for, django_capture_on_commit_callbacks
):
    """REQ: RPT-3, WRK-10"""
    target = published_work(seed=64)
    _own, certificate = _bens_work(ben, django_capture_on_commit_callbacks)
    report = _report(ana, target, proof_certificate=certificate)
    assert report.proof_check["valid"] and "proof" in report.missing
    page = client_for(lee).get(f"/staff/reports/{report.reference}/").content.decode()
    assert "is not the reporter" in page


def test_citing_a_work_by_its_address_attaches_its_certificate(
    ben, mo, published_work, django_capture_on_commit_callbacks
):
    """REQ: RPT-3, WRK-10"""
    target = published_work(seed=65)
    # Published: an address resolves to public content only (RPT-4).
    own, _certificate = _bens_work(ben, django_capture_on_commit_callbacks, approver=mo)
    report = _report(ben, target, cited_work=f"/works/{own.pk}/")
    assert report.cited_work == own and report.proof_check["valid"] and report.proof_check["work"] == own.pk
    assert json.loads(report.proof_certificate)["leaf_index"] == report.proof_check["leaf_index"]


def test_a_cited_work_uploaded_after_the_reported_one_does_not_prove_the_right(
    ben, mo, published_work, django_capture_on_commit_callbacks
):
    """REQ: RPT-3
    GIVEN Ben's published work uploaded after the work he reports (it may be a copy of it) WHEN he cites it by
    its address THEN it is kept on the report but does not count as proof of his right."""
    target = published_work(seed=66)
    copy, _certificate = _bens_work(ben, django_capture_on_commit_callbacks, approver=mo)
    report = _report(ben, target, cited_work=f"/works/{copy.pk}/")
    assert report.cited_work == copy and "proof" in report.missing


def test_the_form_and_the_api_take_a_certificate_and_refuse_an_oversized_one(
    ben, published_work, client_for, django_capture_on_commit_callbacks
):
    """REQ: RPT-3, WRK-10"""
    target = published_work(seed=66)
    _own, certificate = _bens_work(ben, django_capture_on_commit_callbacks)
    client = client_for(ben)
    fields = {"category": "ip", "items": json.dumps([{"url": f"/works/{target.pk}/"}])}
    made = client.post("/api/reports", {**fields, "proof_certificate": certificate.decode()})
    assert made.status_code == 201, made.json()
    assert Report.objects.get(reference=made.json()["reference"]).proof_check["valid"]
    huge = client.post("/api/reports", {**fields, "proof_certificate": " " * 70_000})
    assert huge.status_code == 400 and "proof_certificate" in huge.json()["error"]["fields"]

    form = client.post(
        "/reports/new/?category=ip",
        {
            "category": "ip",
            "items-TOTAL_FORMS": "1",
            "items-INITIAL_FORMS": "0",
            "items-0-url": f"/works/{target.pk}/",
            "proof_certificate": SimpleUploadedFile("proof.json", certificate, "application/json"),
        },
    )
    assert form.status_code in (200, 302), form.content[:500]
    cited = Report.objects.exclude(reference=made.json()["reference"]).get()
    assert cited.proof_check["valid"] and cited.proof_check["owner"] == ben.pk


def test_a_certificate_of_a_copy_uploaded_after_the_reported_work_is_information_only(
    ben, lee, mo, published_work, client_for, django_capture_on_commit_callbacks
):
    """REQ: RPT-3, WRK-10
    GIVEN Ana's published work, and then Ben's upload (a copy of it, say), published and in the log
    WHEN Ben reports Ana's work citing the certificate of his later upload
    THEN it verifies but proves nothing: the proof is still missing, and staff see why."""
    target = published_work(seed=67)
    _copy, certificate = _bens_work(ben, django_capture_on_commit_callbacks, approver=mo, seed=68)
    report = _report(ben, target, proof_certificate=certificate)
    assert report.proof_check["valid"] and report.status == "incomplete" and "proof" in report.missing
    page = client_for(lee).get(f"/staff/reports/{report.reference}/").content.decode()
    assert "Verified proof of creation" in page
    assert "was not accepted before every reported work was uploaded" in page


def test_a_certificate_of_an_unpublished_work_is_information_only(
    ben, lee, published_work, client_for, django_capture_on_commit_callbacks
):
    """REQ: RPT-3, WRK-10 — a work nobody reviewed proves no right, even one in the log before the report."""
    _own, certificate = _bens_work(ben, django_capture_on_commit_callbacks, seed=69)
    target = published_work(seed=70)
    report = _report(ben, target, proof_certificate=certificate)
    assert report.proof_check["valid"] and "proof" in report.missing
    page = client_for(lee).get(f"/staff/reports/{report.reference}/").content.decode()
    assert "The certified work is not published" in page


# The start of a PNG: its signature, then a chunk length with NUL bytes.
SMALL_PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"


def test_a_file_that_is_not_a_certificate_keeps_only_the_failed_check(ben, published_work, client_for):
    """Any small PNG sent as the certificate: its bytes (NUL included) were stored as text, which PostgreSQL
    refuses (a 500). Now only the check is kept. REQ: RPT-3, WRK-10"""
    target = published_work(seed=71)
    response = client_for(ben).post(
        "/reports/new/?category=ip",
        {
            "category": "ip",
            "items-TOTAL_FORMS": "1",
            "items-INITIAL_FORMS": "0",
            "items-0-url": f"/works/{target.pk}/",
            "proof_certificate": SimpleUploadedFile("proof.png", SMALL_PNG, "image/png"),
        },
    )
    assert response.status_code in (200, 302), response.content[:500]
    report = Report.objects.get()
    assert report.proof_certificate == ""
    assert report.proof_check["valid"] is False and "not a certificate" in report.proof_check["reason"]
    # A JSON object is kept, canonically: NUL as an escape, never as a character.
    listed = _report(ben, target, proof_certificate=b'{"leaf": "a\\u0000b", "z": 1}')
    assert listed.proof_certificate == '{"leaf":"a\\u0000b","z":1}' and not listed.proof_check["valid"]


def test_a_cited_certificate_goes_with_the_reports_documents(
    ben, lee, mo, published_work, settings, django_capture_on_commit_callbacks
):
    """RPT-10: the certificate is purged when the report's documents are; the check's outcome stays."""
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    from inspiracle.reports.services import reports_purge

    settings.REPORT_DOCUMENTS_RETENTION_DAYS = 30
    _own, certificate = _bens_work(ben, django_capture_on_commit_callbacks, approver=mo, seed=73)
    target = published_work(seed=74)
    report = _report(ben, target, proof_certificate=certificate, files=[])  # a draft: no document at all
    assert report.status == "incomplete" and report.proof_certificate and not report.evidence.exists()
    with time_machine.travel(timezone.now() + timedelta(days=31), tick=False):
        reports_purge()
    report.refresh_from_db()
    assert report.proof_certificate == "" and report.proof_check["valid"] and report.purged_at is not None


def test_a_counter_notice_shows_the_contested_works_proof_of_creation(
    ana, cy, lee, published_work, client_for
):
    """REQ: RPT-8, WRK-10
    GIVEN Ana's work, in the proof log under a signed tree head before Cy reported it WHEN the report is upheld
    and Ana counter-notices THEN the legal officer's counter-notice page shows the work's verified proof of
    creation, without the warning that it came after the report."""
    from inspiracle.reports.services import counter_notice_file, report_decide
    from inspiracle.reports.tests.test_staff import ip_report

    work = published_work(seed=67, title="Harbour at dawn")
    tree_head_sign()
    report = ip_report(cy, work)
    report_decide(actor=lee, report=report, uphold=True, reasons="Copied.")
    notice = counter_notice_file(
        uploader=ana, item=report.items.get(), explanation="Mine since 2019.", files=[]
    )
    page = client_for(lee).get(f"/staff/reports/counter-notices/{notice.pk}/").content.decode()
    assert "The contested work's proof of creation" in page and "Verified proof of creation" in page
    assert "accepted after the report was filed" not in page
