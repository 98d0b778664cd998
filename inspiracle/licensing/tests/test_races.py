"""Acceptances that race (COM-2, COM-6): however many arrive at once, the register never holds two grants of
the same exclusive right, and a request makes at most one deal. Real threads, each with its own database
connection, released together; on SQLite the IMMEDIATE transactions queue the writers, on PostgreSQL the row
locks (``lock_open`` on the request, ``lock_works`` on the works) do."""

import threading

import pytest
from django.db import connection

from inspiracle.agreements.services import DEFAULTS_DIR, agreements_load_directory
from inspiracle.core.errors import ApplicationError
from inspiracle.core.testing import fire_parallel
from inspiracle.licensing.models import Deal, Grant, LicenceRequest
from inspiracle.licensing.services.deals import request_accept
from inspiracle.licensing.services.requests import request_send

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def agreements(transactional_db):
    """The cast's agreements, committed: the threads read them through their own connections."""
    return agreements_load_directory(directory=DEFAULTS_DIR)


def test_two_overlapping_exclusive_requests_accepted_at_the_same_moment_make_exactly_one_deal(
    ana, ben, bea, published_work, terms
):
    """REQ: COM-6
    GIVEN Ben's and Bea's overlapping requests for an exclusive licence on Ana's work, both sent before any
    grant WHEN Ana accepts both at the same moment from two threads THEN exactly one deal is made and the other
    acceptance is refused with 409 licence_conflict naming the winner's deal."""
    work = published_work()
    requests = [
        request_send(requester=brand, work_ids=[work.pk], data=terms(kind="exclusive"))
        for brand in (ben, bea)
    ]
    barrier = threading.Barrier(len(requests))
    outcomes: dict[str, object] = {}

    def accept(request: LicenceRequest) -> None:
        try:
            barrier.wait()
            outcomes[request.reference] = request_accept(request=request, by=ana, number=1)
        except Exception as exc:  # noqa: BLE001 - recorded for the assertions below, whatever it is
            outcomes[request.reference] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(request,)) for request in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    deals = [found for found in outcomes.values() if isinstance(found, Deal)]
    refusals = [found for found in outcomes.values() if not isinstance(found, Deal)]
    assert len(deals) == 1 and len(refusals) == 1, outcomes
    refusal = refusals[0]
    assert isinstance(refusal, ApplicationError), refusal
    assert (refusal.status, refusal.code) == (409, "licence_conflict")
    assert refusal.extra["conflicts"][0]["deal"] == deals[0].reference
    assert Deal.objects.count() == 1 and Grant.objects.filter(work=work).count() == 1
    statuses = sorted(LicenceRequest.objects.values_list("status", flat=True))
    assert statuses == ["accepted", "open"]


def test_forty_parallel_acceptances_of_one_request_make_exactly_one_deal(ana, ben, published_work, terms):
    """REQ: COM-2"""
    request = request_send(requester=ben, work_ids=[published_work().pk], data=terms(kind="exclusive"))
    codes: list[str] = []

    def accept(_n: int) -> None:
        try:
            request_accept(request=request, by=ana, number=1)
        except ApplicationError as exc:
            codes.append(exc.code)
            raise

    outcomes = fire_parallel(accept)
    assert outcomes.count("passed") == 1
    assert codes == ["request_closed"] * 39
    assert Deal.objects.count() == 1 and Grant.objects.count() == 1
