"""The transparency page keeps its rendered figures for minutes, and says so (RPT-11, issue 14)."""

from datetime import datetime

import pytest
import time_machine
from django.test import Client

from inspiracle.reports.tests.test_staff import ip_report
from inspiracle.reports.views.transparency import FIGURES_SECONDS
from inspiracle.reports.workdays import BEIJING

pytestmark = pytest.mark.django_db


def received_this_month(text: str) -> str:
    """The "received" cell of the table's last month."""
    rows = text.split('id="received"')[1].split("<tbody>")[1].split("</tbody>")[0].split("<tr>")
    return rows[-1].split("<td>")[1].split("</td>")[0]


def test_the_figures_are_kept_for_minutes_and_the_page_says_how_old_they_may_be(cy, published_work):
    """REQ: RPT-11
    GIVEN the page seen once WHEN a report arrives THEN the page keeps its figures (and says they are at most
    ten minutes old) until ten minutes have passed, then counts again."""
    work = published_work(seed=1)
    start = datetime(2026, 6, 15, 12, tzinfo=BEIJING)
    with time_machine.travel(start, tick=False):
        first = Client().get("/reports/transparency/").content.decode()
        assert received_this_month(first) == "0"
        assert "They are at most 10 minutes old." in first
        ip_report(cy, work)
        assert received_this_month(Client().get("/reports/transparency/").content.decode()) == "0"
    with time_machine.travel(start.timestamp() + FIGURES_SECONDS + 1, tick=False):
        assert received_this_month(Client().get("/reports/transparency/").content.decode()) == "1"
