"""The register page and list (PRV-5): open requests past their deadline first, then by deadline; filters; a
query count that does not grow with the page."""

import datetime as dt

import pytest
import time_machine
from django.test import Client

from inspiracle.disclosure.services.requests import request_reject
from inspiracle.works.tests.test_upload import token_client

pytestmark = pytest.mark.django_db
TODAY = dt.datetime(2026, 6, 10, 4, tzinfo=dt.UTC)


@pytest.fixture
def register(ana, ben, lee, lena, recorded):
    """Four requests: one open past its deadline, one open due later, one due soon, one rejected (past)."""
    with time_machine.travel(TODAY, tick=False):
        late = recorded(deadline=dt.date(2026, 6, 1), authority="Late bureau")
        later = recorded(deadline=dt.date(2026, 7, 1), usernames="ben_brand")
        soon = recorded(deadline=dt.date(2026, 6, 12))
        rejected = recorded(deadline=dt.date(2026, 5, 1))
        request_reject(found=rejected, by=lena, reason="Out of scope")
    return late, soon, later, rejected


def test_overdue_requests_come_first_then_by_deadline(register, lee):
    """REQ: PRV-5"""
    late, soon, later, rejected = register
    with time_machine.travel(TODAY, tick=False):
        rows = token_client(lee).get("/api/staff/disclosure/requests").json()["items"]
    assert [r["reference"] for r in rows] == [
        late.reference,
        rejected.reference,
        soon.reference,
        later.reference,
    ]
    assert [r["overdue"] for r in rows] == [True, False, False, False]


def test_filters_by_status_overdue_and_search(register, lee):
    late, soon, later, rejected = register
    client = token_client(lee)

    def refs(query: str) -> list[str]:
        with time_machine.travel(TODAY, tick=False):
            return [
                r["reference"] for r in client.get(f"/api/staff/disclosure/requests?{query}").json()["items"]
            ]

    assert refs("state=open") == [late.reference, soon.reference, later.reference]
    assert refs("state=rejected") == [rejected.reference]
    assert refs("overdue=true") == [late.reference]
    assert refs("q=Late") == [late.reference]
    assert refs("q=@ben_brand") == [later.reference]
    assert refs(f"q={soon.reference}") == [soon.reference]
    wrong = client.get("/api/staff/disclosure/requests?state=lost")
    assert wrong.status_code == 422 and "state" in wrong.json()["error"]["fields"]


def test_the_register_page_shows_overdue_marks_and_its_query_count_does_not_grow(
    register, lee, recorded, django_assert_max_num_queries
):
    client = Client()
    client.force_login(lee)
    with time_machine.travel(TODAY, tick=False):
        page = client.get("/staff/disclosure/?state=open")
        assert page.status_code == 200
        assert page.content.decode().count("Overdue</span>") == 1
        for _n in range(5):
            recorded()
        with django_assert_max_num_queries(12):
            assert client.get("/staff/disclosure/").status_code == 200
