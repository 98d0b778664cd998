"""The tracking link of a report filed without an account: its key is in one request line only (PRV-1)."""

import re
from urllib.parse import urlsplit

from django.core import mail
from django.test import Client

from inspiracle.reports.models import Report
from inspiracle.reports.services import ReportInput, report_file
from inspiracle.reports.tests.test_reporter import prove_email, rows


def file_as_visitor(client: Client, work, capture) -> Report:
    prove_email(client, "rita@example.com", capture)
    address = f"/works/{work.pk}/"
    with capture(execute=True):
        client.post(
            f"/reports/new/?category=ip&url={address}",
            {
                **rows({"url": address, "content": "The picture", "right": "My copyright"}),
                "description": "A copy.",
            },
        )
    return Report.objects.get()


def test_the_emailed_link_is_exchanged_once_for_a_cookie_and_a_clean_address(
    published_work, settings, django_capture_on_commit_callbacks
):
    """REQ: RPT-1, PRV-1
    GIVEN a visitor who filed a report and got its tracking link by email
    WHEN they open the link in another browser
    THEN they land on the address without the key, with a signed cookie only this report's pages get
    (HttpOnly, SameSite=Lax, Secure in production), and no address they see afterwards carries the key."""
    settings.SESSION_COOKIE_SECURE = True  # as in production
    report = file_as_visitor(Client(), published_work(), django_capture_on_commit_callbacks)
    link = re.search(r"https?://\S+", mail.outbox[-1].body).group(0)
    assert f"/reports/{report.reference}/?key={report.access_token}" in link

    browser = Client()
    parts = urlsplit(link)
    opened = browser.get(f"{parts.path}?{parts.query}")
    clean = f"/reports/{report.reference}/"
    assert opened.status_code == 302 and opened["Location"] == clean
    cookie = opened.cookies["report_key"]
    assert cookie["path"] == clean and cookie["httponly"] and cookie["secure"] and cookie["samesite"] == "Lax"

    page = browser.get(clean)
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    hrefs = re.findall(r'(?:href|action)="([^"]*)"', page.content.decode())
    assert hrefs and not [href for href in hrefs if report.access_token in href]
    assert browser.post(clean, {**rows(total=3), "description": "More."}).status_code != 404


def test_a_key_cookie_opens_its_own_report_only_and_a_forged_one_nothing(
    published_work, django_capture_on_commit_callbacks
):
    """REQ: RPT-1, PRV-3"""
    browser = Client()
    first = file_as_visitor(browser, published_work(), django_capture_on_commit_callbacks)
    assert browser.get(f"/reports/{first.reference}/").status_code == 200  # filing left the cookie
    other = report_file(
        reporter=None, email_pass=browser.session["reports.email_pass"], data=ReportInput("ip")
    )
    # The cookie of the first report, sent to the second one's page by hand (a browser would not: path).
    stolen = Client()
    stolen.cookies["report_key"] = browser.cookies["report_key"].value
    assert stolen.get(f"/reports/{other.reference}/").status_code == 404
    forged = Client()
    forged.cookies["report_key"] = first.access_token
    assert forged.get(f"/reports/{first.reference}/").status_code == 404
    assert Client().get(f"/reports/{first.reference}/?key=guess").status_code == 404


def test_the_api_takes_the_key_in_a_header_and_answers_addresses_without_it(
    published_work, django_capture_on_commit_callbacks
):
    """REQ: RPT-1, PRV-1"""
    browser = Client()
    report = file_as_visitor(browser, published_work(), django_capture_on_commit_callbacks)
    key = report.access_token
    assert Client().get(f"/api/reports/{report.reference}?key={key}").status_code == 404
    answer = Client().get(f"/api/reports/{report.reference}", headers={"X-Report-Key": key})
    assert answer.status_code == 200 and key not in answer.content.decode()
    assert answer.json()["url"].endswith(f"/reports/{report.reference}/")


def test_a_form_sent_to_an_address_with_the_key_is_saved_and_lands_on_the_clean_address(
    published_work, django_capture_on_commit_callbacks
):
    """REQ: RPT-3
    GIVEN a report page opened before the key was exchanged (its form posts to the address with the key)
    WHEN the visitor sends additions THEN they are saved and the browser lands on the clean address with the
    cookie, so nothing typed is lost."""
    report = file_as_visitor(Client(), published_work(), django_capture_on_commit_callbacks)
    other = Client()
    sent = other.post(
        f"/reports/{report.reference}/?key={report.access_token}",
        {**rows(total=3), "description": "A copy of my illustration, in more words."},
    )
    assert sent.status_code == 302 and sent["Location"] == f"/reports/{report.reference}/"
    report.refresh_from_db()
    assert report.description == "A copy of my illustration, in more words."
    assert other.get(sent["Location"]).status_code == 200
