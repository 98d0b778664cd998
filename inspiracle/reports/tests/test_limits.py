"""Report and email-code limits (RPT-1, issue 10): atomic under parallel requests, with Retry-After."""

import json

import pytest
import time_machine
from django.core import signing
from django.test import Client
from django.utils import timezone

from inspiracle.agreements.services import DEFAULTS_DIR, agreements_load_directory
from inspiracle.core.testing import fire_parallel, make_user
from inspiracle.reports.models import EmailProof, Report
from inspiracle.reports.services import ReportInput, email_proof_start, report_file
from inspiracle.reports.services.intake import CODES_PER_ADDRESS_HOUR, CODES_PER_IP_HOUR, EMAIL_SALT

pytestmark = pytest.mark.django_db


@pytest.mark.django_db(transaction=True)
def test_forty_parallel_reports_from_one_network_file_exactly_the_limit(settings):
    """REQ: RPT-1 — before: 11-14 of 20 parallel reports got through a limit of 10 (40 of 40 here)."""
    agreements_load_directory(directory=DEFAULTS_DIR)
    cy = make_user("cy")
    email_pass = signing.dumps({"email": "visitor@example.com"}, salt=EMAIL_SALT)

    def file(n):
        if n % 2:
            report_file(reporter=cy, data=ReportInput(category="privacy"))
        else:
            report_file(reporter=None, email_pass=email_pass, data=ReportInput(category="privacy"))

    with time_machine.travel(timezone.now(), tick=False):
        outcomes = fire_parallel(file)
    assert outcomes.count("passed") == settings.REPORTS_PER_HOUR_PER_IP == 10
    assert Report.objects.count() == 10


@pytest.mark.django_db(transaction=True)
def test_forty_parallel_code_requests_send_exactly_five_to_one_address():
    """REQ: RPT-1 — before: 6-8 codes went out through a limit of 5."""
    with time_machine.travel(timezone.now(), tick=False):
        outcomes = fire_parallel(lambda n: email_proof_start(email="visitor@example.com"))
    assert outcomes.count("passed") == CODES_PER_ADDRESS_HOUR == 5
    assert EmailProof.objects.count() == 5


@pytest.mark.django_db(transaction=True)
def test_forty_parallel_code_requests_from_one_network_send_exactly_twenty():
    """Before: 40 of 40 went out through a limit of 20 a network."""
    with time_machine.travel(timezone.now(), tick=False):
        outcomes = fire_parallel(lambda n: email_proof_start(email=f"visitor{n}@example.com"))
    assert outcomes.count("passed") == CODES_PER_IP_HOUR == 20


def test_a_refused_filing_does_not_use_up_a_report(cy, settings, client_for):
    """Counting inside the filing's transaction: a report refused for its content leaves the count as it was."""
    settings.REPORTS_PER_HOUR_PER_IP = 1
    client = client_for(cy)
    refused = client.post("/api/reports", {"category": "nonsense"})
    assert refused.status_code in (400, 422)
    assert client.post("/api/reports", {"category": "privacy"}).status_code == 201


def test_throttled_code_requests_say_when_to_come_back_on_the_page_and_in_the_api(agreements):
    page_client = Client()
    for _n in range(CODES_PER_ADDRESS_HOUR):
        email_proof_start(email="visitor@example.com")
    page = page_client.post("/reports/email/?next=/reports/new/", {"email": "visitor@example.com"})
    assert page.status_code == 429 and 3500 < int(page["Retry-After"]) <= 3600
    api = Client().post(
        "/api/reports/email", json.dumps({"email": "visitor@example.com"}), content_type="application/json"
    )
    assert api.status_code == 429 and api["Retry-After"] == str(api.json()["error"]["retry_after"])


def test_a_throttled_report_page_says_when_to_come_back(cy, settings, client_for):
    settings.REPORTS_PER_HOUR_PER_IP = 1
    client = client_for(cy)
    assert client.post("/api/reports", {"category": "privacy"}).status_code == 201
    page = client.post("/reports/new/?category=privacy", {"items-TOTAL_FORMS": 0, "items-INITIAL_FORMS": 0})
    assert page.status_code == 429 and int(page["Retry-After"]) > 3000
