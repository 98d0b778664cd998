"""The public transparency page and its JSON (RPT-11)."""

from datetime import datetime

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from inspiracle.core.testing import make_user
from inspiracle.reports.services import counter_notice_decide, counter_notice_file, report_decide
from inspiracle.reports.tests.test_staff import impersonation_report, ip_report
from inspiracle.reports.workdays import BEIJING

NOW = datetime(2026, 6, 15, 12, tzinfo=BEIJING)


def at(*args):
    return time_machine.travel(datetime(*args, tzinfo=BEIJING), tick=False)


@pytest.fixture
def dataset(ana, cy, lee, published_work):
    """March 2026: two IP reports. One complete on Monday the 2nd and upheld on Thursday the 5th (3 working
    days, on time; a strike for Ana), one complete on the 3rd and rejected on the 31st (20 working days, after
    its due date of the 24th). April: Ana's counter-notice on the first, restored on the 3rd. May: an
    impersonation report complete on the 11th, due on 1 June, still open on 15 June."""
    with at(2026, 2, 2, 10):  # published before it is reported: the takedown is the latest decision
        work = published_work()
    with at(2026, 3, 2, 10):
        upheld = ip_report(cy, work)
    with at(2026, 3, 3, 10):
        rejected = ip_report(cy, work)
    with at(2026, 3, 5, 16):
        report_decide(actor=lee, report=upheld, uphold=True, reasons="Copied.")
    with at(2026, 3, 31, 9):
        report_decide(actor=lee, report=rejected, uphold=False, reasons="No proof.")
    with at(2026, 4, 1, 9):
        notice = counter_notice_file(uploader=ana, item=upheld.items.get(), explanation="Mine.", files=[])
    with at(2026, 4, 3, 9):
        counter_notice_decide(actor=lee, notice=notice, restore=True, reasons="Her files convince.")
    impostor = make_user("impostor")
    with at(2026, 5, 11, 10):
        impersonation_report(cy, impostor)


def test_the_figures_of_a_small_site_per_month(dataset):
    """REQ: RPT-11
    GIVEN the dataset above
    WHEN anyone opens the page and its JSON on 15 June 2026
    THEN March shows 2 IP reports (1 upheld, 1 rejected), a median of 11.5 working days, half on time and one
    strike; April the counter-notice filed and restored; May the open, overdue impersonation report; the
    twelve months 3 reports, a third on time."""
    with at(2026, 6, 15, 12):
        page = Client().get("/reports/transparency/")
        data = Client().get("/api/reports/transparency").json()
    assert page.status_code == 200
    months = {m["month"][:7]: m for m in data["months"]}
    assert list(months)[0] == "2025-07" and list(months)[-1] == "2026-06" and len(months) == 12
    march, april, may = months["2026-03"], months["2026-04"], months["2026-05"]
    assert (march["received"], march["by_category"]["ip"], march["upheld"], march["rejected"]) == (2, 2, 1, 1)
    assert (march["median_working_days"], march["on_time_percent"], march["strikes"]) == (11.5, 50, 1)
    assert (april["received"], april["counter_notices_filed"], april["counter_notices_restored"]) == (0, 1, 1)
    assert (may["by_category"]["impersonation"], may["open"], may["on_time_percent"]) == (1, 1, 0)
    assert may["median_working_days"] is None and months["2026-06"]["received"] == 0
    total = data["total"]
    assert (total["received"], total["median_working_days"], total["on_time_percent"]) == (3, 11.5, 33)

    text = page.content.decode()
    assert text.count("<svg") == 5 and 'role="img"' in text and "<desc" in text
    assert "3 reports received, 1 upheld, 1 rejected and 1 still under review" in text
    assert "half of the reports were answered within 11.5 working days" in text
    assert "<td>11.5</td><td>50%</td>" in text and "<td>11.5</td><td>33%</td>" in text
    # Drawn without scripts: the page's one script is the site's table helper (stacked rows on phones).
    assert text.count("<script") == 1 and "js/tables.js" in text


def test_the_figures_cost_the_same_queries_however_many_reports(dataset, cy, lee, published_work):
    """REQ: RPT-11: aggregated in SQL per month, not one row at a time."""

    def queries():
        cache.clear()  # the rendered figures are kept for minutes (views/transparency.py): count them afresh
        with at(2026, 6, 15, 12), CaptureQueriesContext(connection) as captured:
            assert Client().get("/reports/transparency/").status_code == 200
        return len(captured)

    before = queries()
    work = published_work(seed=2, title="Another")
    for day in (4, 5, 6):
        with at(2026, 5, day, 10):
            report = ip_report(cy, work)
        with at(2026, 5, 20, 10):
            report_decide(actor=lee, report=report, uphold=False, reasons="No proof.")
    assert queries() == before


def test_an_empty_site_shows_zeros(db):
    """REQ: RPT-11"""
    page = Client().get("/reports/transparency/")
    data = Client().get("/api/reports/transparency").json()
    assert page.status_code == 200 and page.content.decode().count("<svg") == 5
    assert "No report was decided in these 12 months." in page.content.decode()
    assert len(data["months"]) == 12 and all(m["received"] == 0 for m in data["months"])
    total = data["total"]
    assert (total["received"], total["strikes"], total["counter_notices_filed"]) == (0, 0, 0)
    assert total["median_working_days"] is None and total["on_time_percent"] is None
    assert set(total["by_category"].values()) == {0}
