"""The nightly housekeeping job (OPS-3): expired rows and empty folders go, nothing else does."""

import os
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.files.storage import storages
from django.utils import timezone

from inspiracle.accounts.models import UserSession
from inspiracle.audit.models import AuditEvent
from inspiracle.core.models import RateCounter
from inspiracle.outbox.models import OutboxMessage
from inspiracle.reports.models import EmailProof
from inspiracle.staff.housekeeping import PRUNES
from inspiracle.staff.tasks import housekeeping
from inspiracle.works.models import WorkView
from inspiracle.works.services import work_delete

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 2, 19, 0, tzinfo=UTC)  # 03:00 in Beijing, when the job runs


def _session(key: str, expires: datetime) -> None:
    UserSession.objects.create(session_key=key, session_data="", expire_date=expires, ref=key[:16])


def _counter(key: str, *, expires: datetime) -> None:
    RateCounter.objects.create(
        scope="signin", key=key, hits=3, window_started_at=expires - timedelta(hours=1), expires_at=expires
    )


def test_expired_sessions_throttle_rows_and_email_codes_are_pruned_and_live_ones_kept(settings):
    """REQ: OPS-3, REG-4, ACC-3 (a month after it was sent, an e-mail's encrypted payload goes too)"""
    _session("expired-session-0000", NOW - timedelta(seconds=1))
    _session("live-session-000000", NOW + timedelta(days=3))
    _counter("window-and-lock-over", expires=NOW - timedelta(minutes=1))
    _counter("long-over", expires=NOW - timedelta(days=2))
    _counter("still-counting", expires=NOW + timedelta(minutes=5))
    _counter("still-locked", expires=NOW + timedelta(hours=1))
    EmailProof.objects.create(email_index="a", code_digest="x", created_at=NOW - timedelta(days=2))
    EmailProof.objects.create(email_index="b", code_digest="x", created_at=NOW - timedelta(minutes=20))
    for kind, status, age in (("old", "sent", 40), ("recent", "sent", 2), ("waiting", "pending", 40)):
        OutboxMessage.objects.create(
            kind=kind,
            payload="{}",
            status=status,
            created_at=NOW - timedelta(days=age),
            sent_at=NOW - timedelta(days=age) if status == "sent" else None,
        )

    with time_machine.travel(NOW, tick=False):
        counts = housekeeping.delay().get()

    assert counts == {
        "sessions": 1,
        "rate_counters": 2,
        "email_codes": 1,
        "sent_emails": 1,
        "work_views": 0,
        "empty_folders": 0,
    }
    assert sorted(OutboxMessage.objects.values_list("kind", flat=True)) == ["recent", "waiting"]
    assert list(UserSession.objects.values_list("session_key", flat=True)) == ["live-session-000000"]
    assert sorted(RateCounter.objects.values_list("key", flat=True)) == ["still-counting", "still-locked"]
    assert list(EmailProof.objects.values_list("email_index", flat=True)) == ["b"]
    event = AuditEvent.objects.get(action="housekeeping.pruned")
    assert event.data == counts and event.actor_id is None


def test_a_second_run_finds_nothing_and_says_so(settings):
    """Idempotent: every run is audited with its counts, zero when nothing expired."""
    _session("expired-session-0000", NOW - timedelta(days=1))
    with time_machine.travel(NOW, tick=False):
        assert housekeeping.delay().get()["sessions"] == 1
        assert housekeeping.delay().get() == dict.fromkeys(
            ["sessions", "rate_counters", "email_codes", "sent_emails", "work_views", "empty_folders"], 0
        )
    assert AuditEvent.objects.filter(action="housekeeping.pruned").count() == 2


def test_adding_a_table_to_prune_is_one_entry():
    assert [prune.name for prune in PRUNES] == [
        "sessions",
        "rate_counters",
        "email_codes",
        "sent_emails",
        "work_views",
    ]


def test_the_views_of_past_days_are_pruned_and_today_and_yesterday_kept(published_work):
    """REQ: OPS-3: a work's counted visitors (works/popularity.py) are kept only while their day may still be
    counted; the count itself stays on the work."""
    work = published_work()
    today = timezone.localdate(NOW)
    for age in (0, 1, 2, 30):
        WorkView.objects.create(work=work, day=today - timedelta(days=age), visitor=f"visitor{age}")
    with time_machine.travel(NOW, tick=False):
        assert housekeeping.delay().get()["work_views"] == 2
    assert sorted(WorkView.objects.values_list("visitor", flat=True)) == ["visitor0", "visitor1"]


def test_the_folders_left_by_a_deleted_work_go_but_not_the_top_folders_or_recent_ones(
    submit, ana, django_capture_on_commit_callbacks
):
    """REQ: OPS-3: deleting a work's files leaves works/<work>/<token>/ behind, empty."""
    deleted = submit(title="Gone", seed=1)
    kept = submit(title="Kept", seed=2)
    with django_capture_on_commit_callbacks(execute=True):
        work_delete(actor=ana, work=deleted)
    root = storages["private"].location
    gone = os.path.join(root, "works", str(deleted.pk))
    assert os.path.isdir(gone) and not any(files for _d, _s, files in os.walk(gone))
    fresh = os.path.join(root, "works", "999", "token")
    os.makedirs(fresh)

    with time_machine.travel(datetime.now(UTC) + timedelta(minutes=10)):
        assert housekeeping.delay().get()["empty_folders"] == 0
    # Changed within the grace period: an upload may be about to write into them.
    assert os.path.isdir(gone) and os.path.isdir(fresh)

    with time_machine.travel(datetime.now(UTC) + timedelta(hours=2)):
        counts = housekeeping.delay().get()
    assert not os.path.exists(gone) and not os.path.exists(os.path.dirname(fresh))
    assert counts["empty_folders"] == 4  # works/<id>/<token> and works/<id>, twice
    assert os.path.isdir(os.path.join(root, "works"))
    assert any(files for _d, _s, files in os.walk(os.path.join(root, "works", str(kept.pk))))
