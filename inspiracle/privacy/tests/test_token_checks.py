"""API tokens stop on the very next call once their account is being cancelled or closed (ACC-3). Here, not in
accounts' tests: no app below privacy imports it (test_layers)."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from inspiracle.accounts.models import User
from inspiracle.accounts.tokens import token_issue
from inspiracle.core.testing import PASSWORD
from inspiracle.privacy.anonymize import step_close_access
from inspiracle.privacy.services import cancellation_dates, cancellation_request

pytestmark = pytest.mark.django_db

NOON = datetime(2026, 10, 12, 4, 0, tzinfo=timezone.get_current_timezone())


def answers(raw: str) -> int:
    return Client().get("/api/works", headers={"Authorization": f"Bearer {raw}"}).status_code


def test_a_cancellation_or_a_closed_account_stops_the_next_call(ana, cy):
    """REQ: ACC-3"""
    _token, raw = token_issue(user=ana, name="script")
    assert answers(raw) == 200
    cancellation_request(user=ana, password=PASSWORD)
    assert answers(raw) == 401

    _token, raw = token_issue(user=cy, name="script")
    assert answers(raw) == 200
    # A token made before the cancellation that escaped its revocation still stops at the cancellation.
    effective, due = cancellation_dates(timezone.now())
    User.objects.filter(pk=cy.pk).update(
        cancel_requested_at=timezone.now(), cancel_effective_at=effective, cancel_due_at=due
    )
    assert answers(raw) == 401
    User.objects.filter(pk=cy.pk).update(
        cancel_requested_at=None, cancel_effective_at=None, cancel_due_at=None, is_active=False
    )
    assert answers(raw) == 401


def test_closing_access_at_the_end_of_the_cooling_off_stops_every_token(ana):
    """REQ: ACC-3"""
    with time_machine.travel(NOON, tick=False):
        _token, raw = token_issue(user=ana, name="script")
        assert answers(raw) == 200
        cancellation_request(user=ana, password=PASSWORD)
        assert answers(raw) == 401
    ana.refresh_from_db()
    with time_machine.travel(ana.cancel_effective_at + timedelta(minutes=1), tick=False):
        assert step_close_access(ana, timezone.now())
        assert answers(raw) == 401
    assert not User.objects.get(pk=ana.pk).is_active
