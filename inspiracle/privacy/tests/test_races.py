"""Cancellations that race (ACC-3): however many requests arrive at once, one cancellation is recorded, one
audit event written and one e-mail queued. The user row is locked (IMMEDIATE transactions on SQLite, row locks
on PostgreSQL), so every later request sees the first one's result."""

import pytest

from inspiracle.agreements.services import DEFAULTS_DIR, agreements_load_directory
from inspiracle.audit.models import AuditEvent
from inspiracle.core.testing import PASSWORD, fire_parallel
from inspiracle.outbox.models import OutboxMessage
from inspiracle.privacy.services import cancellation_request

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def agreements(transactional_db):
    return agreements_load_directory(directory=DEFAULTS_DIR)


def test_forty_parallel_requests_create_one_cancellation(ana):
    """REQ: ACC-3"""
    outcomes = fire_parallel(lambda _n: cancellation_request(user=ana, password=PASSWORD))
    assert outcomes.count("passed") == 1, outcomes
    assert AuditEvent.objects.filter(action="account.cancel_requested").count() == 1
    assert OutboxMessage.objects.filter(kind="privacy.cancel_requested").count() == 1
    ana.refresh_from_db()
    assert ana.cancel_requested_at is not None
