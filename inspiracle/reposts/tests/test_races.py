"""Answers that race (WRK-12): 40 approvals of one request at the same moment make one transition, one audit
event and one notice; the others are refused with 409 invalid_state. Real threads with their own connections."""

import pytest

from inspiracle.agreements.services import DEFAULTS_DIR, agreements_load_directory
from inspiracle.audit.models import AuditEvent
from inspiracle.core.testing import fire_parallel
from inspiracle.notifications.models import Notification
from inspiracle.reposts.models import RepostPermission
from inspiracle.reposts.services import repost_approve

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def agreements(transactional_db):
    """The cast's agreements, committed: the threads read them through their own connections."""
    return agreements_load_directory(directory=DEFAULTS_DIR)


def test_forty_parallel_approvals_make_exactly_one_transition(ana, cy, repostable, ask):
    """REQ: WRK-12"""
    permission = ask(cy, repostable())
    outcomes = fire_parallel(lambda _n: repost_approve(permission=permission, actor=ana), times=40)
    assert sorted(outcomes) == ["passed"] + ["refused"] * 39
    assert RepostPermission.objects.get(pk=permission.pk).status == "approved"
    assert AuditEvent.objects.filter(action="repost.approved").count() == 1
    assert Notification.objects.filter(template="repost_approved").count() == 1


def test_the_same_request_sent_twice_at_once_is_kept_once(cy, repostable, ask):
    work = repostable()
    outcomes = fire_parallel(lambda _n: ask(cy, work), times=8)
    assert sorted(outcomes) == ["passed"] + ["refused"] * 7
    assert RepostPermission.objects.count() == 1
