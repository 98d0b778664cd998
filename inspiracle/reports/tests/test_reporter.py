"""Reporting through the web pages and the API, as a visitor, a member and an uploader (RPT-1..RPT-8, RPT-13)."""

import json
import re
from datetime import datetime
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.formats import date_format

from inspiracle.agreements.models import Document
from inspiracle.agreements.services import version_publish
from inspiracle.core.errors import ApplicationError
from inspiracle.notifications.models import Notification
from inspiracle.reports.checks import missing_materials
from inspiracle.reports.models import CounterNotice, Report, RightsHolderProfile
from inspiracle.reports.services import ReportInput, Upload, report_decide, report_file
from inspiracle.reports.services.profiles import rights_profile_decide
from inspiracle.works.tests.test_upload import token_client

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
SEPT_30 = datetime(2026, 9, 30, 10, 0, tzinfo=timezone.get_current_timezone())
DECLARED = {"declared_holder": "on", "declared_infringes": "on", "declared_liability": "on"}
HOLDER: dict[str, Any] = {
    "name": "Rita Holder",
    "mailing_address": "上海市黄浦区中山东一路 1 号",
    "phone": "13900001111",
}


def pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def rows(*items: dict, total: int = 5, initial: int = 0) -> dict:
    """The address rows of the page's form, as the browser sends them."""
    data = {"items-TOTAL_FORMS": total, "items-INITIAL_FORMS": initial, "items-MIN_NUM_FORMS": 0}
    for index, item in enumerate(items):
        data.update({f"items-{index}-{key}": value for key, value in item.items()})
    return data


def code_from_outbox() -> str:
    found = re.search(r"\b(\d{6})\b", str(mail.outbox[-1].body))
    assert found is not None
    return found.group(1)


def prove_email(client: Client, address: str, capture) -> None:
    with capture(execute=True):
        sent = client.post("/reports/email/?next=/reports/new/", {"email": address})
    assert sent.status_code == 302
    proven = client.post("/reports/email/?next=/reports/new/", {"code": code_from_outbox()})
    assert proven.status_code == 302 and proven["Location"] == "/reports/new/"


def complete_ip(url: str) -> ReportInput:
    return ReportInput(
        category="ip",
        ip_kind="copyright",
        email="rita@example.com",
        description="My illustration was copied.",
        declared_holder=True,
        declared_infringes=True,
        declared_liability=True,
        items=[{"url": url, "content": "The whole picture", "right": "My copyright"}],
        files=[Upload("identity", "id.pdf", PDF), Upload("proof", "sketches.pdf", PDF)],
        **HOLDER,
    )


def test_a_visitor_proves_an_email_files_an_incomplete_report_sees_what_is_missing_and_completes_it(
    published_work, django_capture_on_commit_callbacks
):
    """REQ: RPT-1, RPT-3, RPT-6
    GIVEN a visitor on a work's page
    WHEN they follow "Report infringement", prove their email, file an IP report with only the address and a
    description, then complete it on the report's page
    THEN the page lists exactly what is missing until nothing is, then shows the due date in working days."""
    work = published_work()
    client = Client()
    address = f"/works/{work.pk}/"
    assert f'href="/reports/new/?url={address}"' in client.get(address).content.decode()
    start = client.get(f"/reports/new/?url={address}")
    assert "/reports/email/" in start.content.decode() and not Report.objects.exists()
    prove_email(client, "rita@example.com", django_capture_on_commit_callbacks)
    assert 'name="category"' in client.get(f"/reports/new/?url={address}").content.decode()
    form = client.get(f"/reports/new/?category=ip&url={address}").content.decode()
    assert f'value="{address}"' in form and "copyright" in form.lower() and "rita@example.com" in form
    assert form.count('type="checkbox"') == 3 and not re.search(r'type="checkbox"[^>]*checked', form)

    with django_capture_on_commit_callbacks(execute=True):
        filed = client.post(
            f"/reports/new/?category=ip&url={address}",
            {
                **rows({"url": address, "content": "The picture", "right": "My copyright"}, initial=1),
                "description": "A copy of my illustration.",
            },
        )
    report = Report.objects.get()
    assert filed.status_code == 302 and filed["Location"] == f"/reports/{report.reference}/"
    assert report.reporter is None and report.email == "rita@example.com" and report.status == "incomplete"
    assert report.access_token in mail.outbox[-1].body

    page = client.get(filed["Location"]).content.decode()
    listed = re.search(r'id="missing">(.*?)</section>', page, re.S).group(1)
    expected = [message for messages in missing_materials(report).values() for message in messages]
    assert re.findall(r"<li>(.*?)</li>", listed) == [m.replace("'", "&#x27;") for m in expected]
    assert "Attach a copy of the ID card or passport." in expected and "Answer due" not in page

    with time_machine.travel(SEPT_30, tick=False), django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            filed["Location"],
            {
                **rows(total=3),
                **HOLDER,
                **DECLARED,
                "ip_kind": "copyright",
                "acting": "holder",
                "party_kind": "person",
                "identity": pdf("id.pdf"),
                "proof": [pdf("sketch-1.pdf"), pdf("sketch-2.pdf")],
            },
        )
    assert done.status_code == 302
    report.refresh_from_db()
    assert report.status == "accepted" and report.evidence.filter(kind="proof").count() == 2
    page = client.get(done["Location"]).content.decode()
    # National Day 2026: the 15th working day after September 30 is October 27.
    assert timezone.localtime(report.due_at).date().isoformat() == "2026-10-27"
    assert "Answer due" in page and date_format(timezone.localtime(report.due_at), "DATETIME_FORMAT") in page
    assert 'id="missing"' not in page and "Complete the report" not in page

    stranger = Client()
    assert stranger.get(f"/reports/{report.reference}/").status_code == 404
    with_key = stranger.get(f"/reports/{report.reference}/?key={report.access_token}")
    assert with_key.status_code == 302 and with_key["Location"] == f"/reports/{report.reference}/"
    assert stranger.get(f"/reports/{report.reference}/").status_code == 200  # the key is kept in a cookie


def test_a_visitor_files_and_completes_a_report_through_the_api(
    published_work, django_capture_on_commit_callbacks
):
    """REQ: RPT-1, RPT-3, RPT-6"""
    work = published_work()
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(
            "/api/reports/email", {"email": "rita@example.com"}, content_type="application/json"
        )
    assert sent.status_code == 202
    confirm = {"email": "rita@example.com", "code": "000000" if code_from_outbox() != "000000" else "111111"}
    wrong = client.post("/api/reports/email/confirm", confirm, content_type="application/json")
    assert wrong.status_code == 400 and wrong.json()["error"]["fields"]["code"]
    confirm["code"] = code_from_outbox()
    email_pass = client.post("/api/reports/email/confirm", confirm, content_type="application/json").json()
    items = json.dumps([{"url": f"/works/{work.pk}/", "content": "The picture", "right": "My copyright"}])

    unproven = client.post("/api/reports", {"category": "ip", "items": items})
    assert unproven.status_code == 401 and unproven.json()["error"]["code"] == "email_unverified"
    headers = {"X-Email-Pass": email_pass["email_pass"]}
    created = client.post("/api/reports", {"category": "ip", "items": items}, headers=headers)
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["status"] == "incomplete" and body["due_at"] is None and body["access_key"]
    assert {"ip_kind", "description", "name", "identity", "proof", "declared_holder"} <= set(body["missing"])
    assert "addresses" not in body["missing"] and body["items"][0]["target"].startswith("Work")
    reference, key = body["reference"], body["access_key"]

    with time_machine.travel(SEPT_30, tick=False), django_capture_on_commit_callbacks(execute=True):
        completed = client.post(
            f"/api/reports/{reference}",
            {
                **HOLDER,
                "ip_kind": "copyright",
                "description": "Copied from my portfolio.",
                **{name: "true" for name in DECLARED},
                "identity": pdf("id.pdf"),
                "proof": pdf("proof.pdf"),
            },
            headers={"X-Report-Key": key},
        )
    assert completed.status_code == 200, completed.json()
    assert completed.json()["status"] == "accepted" and completed.json()["missing"] == {}
    assert completed.json()["due_at"].startswith("2026-10-27")
    assert (
        client.get(f"/api/reports/{reference}", headers={"X-Report-Key": key}).json()["status"] == "accepted"
    )
    assert client.get(f"/api/reports/{reference}").status_code == 404
    bad_token = client.get(
        f"/api/reports/{reference}", headers={"Authorization": "Bearer insp_nope", "X-Report-Key": key}
    )
    assert bad_token.status_code == 401


def test_another_persons_report_is_not_found_in_page_and_api_like_one_that_does_not_exist(
    ana, cy, published_work, client_for
):
    """REQ: RPT-1, PRV-3"""
    work = published_work()
    report = report_file(reporter=cy, data=complete_ip(f"/works/{work.pk}/"))
    assert client_for(cy).get(f"/reports/{report.reference}/").status_code == 200
    assert client_for(cy).get(f"/api/reports/{report.reference}").status_code == 200
    for response in (
        client_for(ana).get(f"/reports/{report.reference}/"),
        Client().get(f"/reports/{report.reference}/?key=guess"),
        client_for(ana).get("/reports/R-NOSUCH99/"),
    ):
        assert response.status_code == 404
        message = re.search(r'<p class="notice">(.*?)</p>', response.content.decode()).group(1)
        assert (
            message == "There is no such report, or the link is incomplete. Check the reference and the link."
        )
    api_missing = token_client(ana).get("/api/reports/R-NOSUCH99")
    for response in (token_client(ana).get(f"/api/reports/{report.reference}"), api_missing):
        assert response.status_code == 404 and response.json() == api_missing.json()
    assert (
        Client().get(f"/api/reports/{report.reference}", headers={"X-Report-Key": "guess"}).status_code == 404
    )


def test_a_private_works_address_gets_the_same_refusal_as_a_missing_one(cy, submit, client_for):
    """REQ: RPT-4"""
    private = submit()
    client = client_for(cy)
    answers = []
    for address in (f"/works/{private.pk}/", "/works/999999/"):
        response = client.post("/reports/new/?category=ip", {**rows({"url": address, "content": "x"})})
        assert response.status_code == 400
        error = re.search(r'<p class="error">(.*?)</p>', response.content.decode()).group(1)
        answers.append(error.replace(str(private.pk), "N").replace("999999", "N"))
    assert answers[0] == answers[1] and "does not exist or no longer exists" in answers[0]
    assert not Report.objects.exists()


def test_an_invalid_address_says_which_attached_documents_to_attach_again(cy, published_work, client_for):
    """REQ: RPT-3
    GIVEN a report with two good documents and one address that does not exist WHEN it is sent THEN nothing
    is saved, and the page names both documents to attach again (a browser does not send them twice)."""
    work = published_work()
    client = client_for(cy)
    response = client.post(
        "/reports/new/?category=ip",
        {
            **rows({"url": f"/works/{work.pk}/", "content": "x"}, {"url": "/works/999999/", "content": "y"}),
            "identity": [pdf("passport-scan.pdf")],
            "proof": [pdf("sketches-2024.pdf")],
        },
    )
    page = response.content.decode()
    assert response.status_code == 400 and not Report.objects.exists()
    alert = page.split('class="errors" role="alert"')[1].split("</div>")[0]
    assert "attach them again" in alert
    assert "passport-scan.pdf (ID card or passport copy)" in alert
    assert "sketches-2024.pdf (Proof of the right)" in alert


def test_script_in_every_text_field_is_shown_as_text(cy, published_work, client_for):
    """REQ: RPT-3 (and the page never runs what a reporter typed)"""
    work = published_work()
    script = "<script>alert(1)</script>"
    client = client_for(cy)
    filed = client.post(
        "/reports/new/?category=defamation",
        {
            **rows({"url": f"/works/{work.pk}/", "content": script, "right": script, "statement": script}),
            "name": script,
            "mailing_address": script,
            "description": script,
            "email": "cy@example.com",
        },
    )
    assert filed.status_code == 302
    page = client.get(filed["Location"]).content.decode()
    assert script not in page and page.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 6
    refused = client.post("/reports/new/?category=ip", rows({"url": f"/works/{script}/"}))
    assert refused.status_code == 400 and script not in refused.content.decode()
    assert "&lt;script&gt;" in refused.content.decode()


def test_a_flood_of_reports_from_one_address_is_throttled_with_a_clear_message(cy, settings, client_for):
    """REQ: RPT-1 (abuse of an open form)"""
    settings.REPORTS_PER_HOUR_PER_IP = 2
    client = client_for(cy)
    for _n in range(2):
        assert client.post("/reports/new/?category=privacy", rows()).status_code == 302
    page = client.post("/reports/new/?category=privacy", rows())
    assert page.status_code == 429
    assert "Too many reports were filed from your network in the last hour" in page.content.decode()
    api = token_client(cy).post("/api/reports", {"category": "privacy"})
    assert api.status_code == 429 and "up to 20 addresses" in api.json()["error"]["message"]
    assert Report.objects.count() == 2


@pytest.fixture
def upheld(ana, cy, lee, published_work):
    """Cy's IP report on two of Ana's works, upheld by Lee: both taken down."""
    works = [published_work(seed=seed, title=f"Copy {seed}") for seed in (1, 2)]
    data = complete_ip(f"/works/{works[0].pk}/")
    data.items.append({"url": f"/works/{works[1].pk}/", "content": "The other picture", "right": "Copyright"})
    report = report_file(reporter=cy, data=data)
    report_decide(actor=lee, report=report, uphold=True, reasons="The sketches predate the upload.")
    return list(report.items.all())


def test_the_uploader_counter_notices_through_page_and_api_and_nobody_else_can(
    ana, cy, mo, upheld, client_for, django_capture_on_commit_callbacks
):
    """REQ: RPT-8
    GIVEN an upheld report about two of Ana's works
    WHEN Ana opens the notice's link and counter-notices one by the page, the other by the API
    THEN she sees what was reported and the measure but not who reported it; strangers get 404."""
    first, second = upheld
    notice = Notification.objects.filter(user=ana, template="report_against_you").first()
    assert notice.link in (f"/reports/notices/{first.pk}/", f"/reports/notices/{second.pk}/")
    client = client_for(ana)
    page = client.get(f"/reports/notices/{first.pk}/").content.decode()
    assert "The whole picture" in page and "Taken down" in page and "Intellectual property" in page
    for private in ("Rita", "上海市", "13900001111", "rita@", f"@{cy.username}", cy.registration.legal_name):
        assert private not in page
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(
            f"/reports/notices/{first.pk}/", {"explanation": "I drew it in 2019.", "files": pdf("layers.pdf")}
        )
    assert sent.status_code == 302
    assert CounterNotice.objects.get(item=first).evidence.count() == 1
    assert "Under review" in client.get(f"/reports/notices/{first.pk}/").content.decode()

    api = token_client(ana)
    assert "Rita" not in api.get(f"/api/reports/notices/{second.pk}").content.decode()
    created = api.post(f"/api/reports/notices/{second.pk}/counter", {"explanation": "Mine too."})
    assert created.status_code == 201 and created.json()["status"] == "open"
    again = api.post(f"/api/reports/notices/{second.pk}/counter", {"explanation": "Again."})
    assert again.status_code == 409

    for stranger in (cy, mo):
        assert client_for(stranger).get(f"/reports/notices/{first.pk}/").status_code == 404
        refused = token_client(stranger).post(
            f"/api/reports/notices/{second.pk}/counter", {"explanation": "x"}
        )
        assert refused.status_code == 404
    assert CounterNotice.objects.count() == 2


def test_a_member_who_has_not_accepted_new_agreements_can_still_report_and_counter_notice(
    ana, cy, upheld, client_for
):
    """REQ: RPT-1, REG-3 (reports are the exception), RPT-8"""
    version_publish(
        actor=None,
        document=Document.objects.get(slug="privacy-policy"),
        text_zh="新版本\n",
        text_en="New version\n",
        effective_date=timezone.localdate(),
        requires_reacceptance=True,
    )
    client = client_for(cy)
    assert client.post("/works/new/", {"title": "x"}).status_code == 403
    assert client.post("/reports/new/?category=privacy", rows()).status_code == 302
    assert token_client(cy).post("/api/reports", {"category": "privacy"}).status_code == 201
    assert (
        client_for(ana).post(f"/reports/notices/{upheld[0].pk}/", {"explanation": "Mine."}).status_code == 302
    )


def test_a_rights_holder_registers_a_profile_once_and_reuses_it_once_verified(
    ben, cy, lee, published_work, client_for, django_capture_on_commit_callbacks
):
    """REQ: RPT-13
    GIVEN Cy registers his identity and proof of rights
    WHEN a legal officer verifies them
    THEN his next report names the profile instead of the documents and is accepted at once."""
    client = client_for(cy)
    incomplete = client.post(
        "/reports/profiles/",
        {**HOLDER, "party_kind": "person", "email": "cy@example.com", "rights": "Copyright in Moon Rabbit"},
    )
    assert incomplete.status_code == 400 and not RightsHolderProfile.objects.exists()
    assert "Attach a copy of the ID card or passport." in incomplete.content.decode()
    registered = client.post(
        "/reports/profiles/",
        {
            **HOLDER,
            "party_kind": "person",
            "email": "cy@example.com",
            "rights": "Copyright in Moon Rabbit",
            "identity": pdf("id.pdf"),
            "proof": pdf("registration.pdf"),
        },
    )
    assert registered.status_code == 302
    profile = RightsHolderProfile.objects.get(owner=cy)
    assert profile.status == "pending" and profile.evidence.count() == 2
    assert 'name="profile"' not in client.get("/reports/new/?category=ip").content.decode()

    with pytest.raises(ApplicationError):
        rights_profile_decide(actor=lee, profile=profile, verify=False, reason="")
    rights_profile_decide(actor=lee, profile=profile, verify=True, reason="")
    assert Notification.objects.filter(user=cy, template="rights_profile_verified").exists()
    assert token_client(cy).get("/api/reports/profiles").json()["items"][0]["usable"] is True
    assert "Verified" in client.get("/reports/profiles/").content.decode()

    work = published_work()
    form = client.get("/reports/new/?category=ip").content.decode()
    assert f'value="{profile.pk}"' in form
    filed = client.post(
        "/reports/new/?category=ip",
        {
            **rows(
                {"url": f"/works/{work.pk}/", "content": "The picture", "right": "Copyright in Moon Rabbit"}
            ),
            **DECLARED,
            "ip_kind": "copyright",
            "acting": "holder",
            "party_kind": "person",
            "profile": profile.pk,
            "email": "cy@example.com",
            "description": "Moon Rabbit redrawn.",
        },
    )
    assert filed.status_code == 302
    report = Report.objects.get()
    assert report.profile == profile and report.status == "accepted" and not report.evidence.exists()

    api = token_client(cy).post(
        "/api/reports/profiles",
        {**HOLDER, "party_kind": "organization", "email": "cy@example.com", "rights": "Trademark 1"},
    )
    assert api.status_code == 400 and "certificate" in api.json()["error"]["fields"]
    other = token_client(ben).get("/api/reports/profiles").json()["items"]
    assert other == []


def test_my_reports_are_listed_in_page_and_api_in_a_constant_number_of_queries(cy, client_for):
    """REQ: RPT-1"""
    page, api = client_for(cy), token_client(cy)

    def queries() -> tuple[int, int]:
        counts = []
        for client, path in ((page, "/reports/"), (api, "/api/reports")):
            with CaptureQueriesContext(connection) as captured:
                assert client.get(path).status_code == 200
            counts.append(len(captured))
        return counts[0], counts[1]

    report_file(reporter=cy, data=ReportInput(category="privacy"))
    queries()  # the first use of a session and a token records when they were used
    one = queries()
    for _n in range(3):
        report_file(reporter=cy, data=ReportInput(category="privacy"))
    assert queries() == one
    assert len(api.get("/api/reports").json()["items"]) == 4
    assert page.get("/reports/").content.decode().count('href="/reports/R-') == 4


def test_an_address_of_a_draft_is_corrected_on_its_page(ana, published_work, client_for):
    """REQ: RPT-3"""
    from inspiracle.core.testing import make_user
    from inspiracle.reports.services import ReportInput, report_file

    work = published_work()
    rita = make_user("rita", email="rita@example.com")
    report = report_file(
        reporter=rita, data=ReportInput(category="ip", items=[{"url": f"/works/{work.pk}/"}])
    )
    item = report.items.get()
    page = client_for(rita).get(f"/reports/{report.reference}/")
    assert f'value="{item.pk}"' in page.content.decode()
    response = client_for(rita).post(
        f"/reports/{report.reference}/",
        {
            "items-TOTAL_FORMS": "1",
            "items-INITIAL_FORMS": "1",
            "items-0-id": str(item.pk),
            "items-0-url": f"/works/{work.pk}/",
            "items-0-content": "The whole picture",
            "items-0-right": "My copyright",
        },
    )
    assert response.status_code in (200, 302)
    item.refresh_from_db()
    assert (item.content, item.right) == ("The whole picture", "My copyright")
    assert report.items.count() == 1


def test_every_category_can_be_filed_and_ip_tells_its_three_rights_apart(ana, published_work, client_for):
    """REQ: RPT-2"""
    from inspiracle.core.testing import make_user
    from inspiracle.reports.models import Category, IpKind
    from inspiracle.reports.services import ReportInput, report_file

    rita = make_user("rita", email="rita@example.com")
    page = client_for(rita).get("/reports/new/").content.decode()
    for category in Category:
        assert f'value="{category.value}"' in page
        report = report_file(reporter=rita, data=ReportInput(category=category.value))
        assert report.category == category.value
    ip_page = client_for(rita).get("/reports/new/?category=ip").content.decode()
    assert all(f'value="{kind.value}"' in ip_page for kind in IpKind)


def test_the_reports_contact_address_is_configuration_shown_where_people_look(client, settings, db):
    """REQ: RPT-12"""
    settings.CONTACT_EMAIL = "rights@example.cn"
    for url in ("/", "/reports/new/", "/reports/transparency/"):
        assert "rights@example.cn" in client.get(url).content.decode(), url


def test_a_rights_holder_reads_a_profiles_documents_through_the_api_and_nobody_else_can(cy, ben, client_for):
    """REQ: RPT-13, UX-2"""
    client = client_for(cy)
    client.post(
        "/reports/profiles/",
        {
            **HOLDER,
            "party_kind": "person",
            "email": "cy@example.com",
            "rights": "Copyright in Moon Rabbit",
            "identity": pdf("id.pdf"),
            "proof": pdf("registration.pdf"),
        },
    )
    profile = RightsHolderProfile.objects.get(owner=cy)
    assert token_client(cy).get("/api/reports/profiles").json()["items"][0]["documents"] == 2
    detail = token_client(cy).get(f"/api/reports/profiles/{profile.pk}").json()
    assert [(f["kind"], f["name"], f["content_type"]) for f in detail["files"]] == [
        ("identity", "id.pdf", "application/pdf"),
        ("proof", "registration.pdf", "application/pdf"),
    ]
    assert detail["status"] == "pending" and detail["documents"] == 2
    assert token_client(ben).get(f"/api/reports/profiles/{profile.pk}").status_code == 404


def test_a_report_sent_as_json_is_told_to_use_multipart(cy, published_work):
    """REQ: RPT-1, UX-2"""
    work = published_work()
    body = {"category": "ip", "items": [{"url": f"/works/{work.pk}/"}], "description": "Copied."}
    response = token_client(cy).post("/api/reports", json.dumps(body), content_type="application/json")
    error = response.json()["error"]
    assert response.status_code == 415 and error["code"] == "unsupported_media_type"
    assert "multipart/form-data" in error["message"] and "application/json" in error["message"]
    assert not Report.objects.exists()


def test_a_deadline_reads_the_same_in_the_reporters_and_the_staff_api(cy, lee, published_work, client_for):
    """REQ: RPT-6, UX-2 — ISO 8601 with its time zone, one format everywhere."""
    work = published_work()
    with time_machine.travel(SEPT_30, tick=False):
        report = report_file(reporter=cy, data=complete_ip(f"/works/{work.pk}/"))
    assert report.status == Report.Status.ACCEPTED
    mine = token_client(cy).get(f"/api/reports/{report.reference}").json()["due_at"]
    staff = next(
        row["due_at"]
        for row in client_for(lee).get("/api/staff/reports").json()["items"]
        if row["reference"] == report.reference
    )
    assert mine == staff
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)", mine)
