"""Regression tests for the review findings on cancellations (ACC-3): tokens during the cooling-off, what keeps
a work, kept works erased later, legal holds that stay quiet, continued use, restore races, appeals, rights
holder profiles."""

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from inspiracle.accounts.cancellation import Step, cancellation_transition
from inspiracle.accounts.models import ApiToken, User
from inspiracle.accounts.tests.test_gate import publish
from inspiracle.accounts.tokens import token_authenticate, token_issue
from inspiracle.agreements.models import Consent
from inspiracle.audit.models import AuditEvent
from inspiracle.core.errors import ApplicationError
from inspiracle.core.testing import PASSWORD
from inspiracle.licensing.models import Grant
from inspiracle.licensing.tests.conftest import bea, terms  # noqa: F401  (fixtures)
from inspiracle.moderation.models import Appeal, Decision, Strike
from inspiracle.privacy import anonymize, tasks
from inspiracle.privacy.selectors import held_work_ids
from inspiracle.privacy.services import cancellation_request, legal_hold_place, legal_hold_release
from inspiracle.privacy.tests.test_anonymize import leaving, run  # noqa: F401  (fixture)
from inspiracle.reports.models import CounterNotice, Report, ReportItem, RightsHolderProfile
from inspiracle.works.models import Work

pytestmark = pytest.mark.django_db


def _report(reporter: User, status: str, reference: str) -> Report:
    now = timezone.now()
    decided = status in (Report.Status.UPHELD, Report.Status.REJECTED)
    return Report.objects.create(
        reference=reference,
        category="privacy",
        reporter=reporter,
        email_index="x",
        email="r@example.com",
        status=status,
        completed_at=now,
        due_at=now + timedelta(days=15),
        decided_at=now if decided else None,
        decided_by=reporter if decided else None,
        decision_reasons="Because." if decided else "",
    )


def test_no_api_token_is_issued_or_accepted_during_the_cooling_off(ana):
    """REQ: ACC-3 (finding 1)
    GIVEN Ana asked to cancel WHEN she asks for a token with her password THEN 403 account_cancelling; and a
    token of hers that was somehow not revoked does not authenticate."""
    _token, raw = token_issue(user=ana, name="script")
    cancellation_request(user=ana, password=PASSWORD)
    ApiToken.objects.filter(user=ana).update(revoked_at=None)  # one the revocation missed
    response = Client().post(
        "/api/auth/tokens",
        json.dumps({"username": "ana", "password": PASSWORD, "name": "sneaky"}),
        content_type="application/json",
    )
    assert response.status_code == 403 and response.json()["error"]["code"] == "account_cancelling"
    assert token_authenticate(raw) is None
    assert Client(headers={"Authorization": f"Bearer {raw}"}).get("/api/works").status_code == 401


def test_a_strike_appeal_and_an_open_counter_notice_keep_the_work(ana, mo, ben, published_work):
    """REQ: ACC-3, MOD-6, RPT-8 (finding 2)"""
    struck, contested, free = (
        published_work(seed=1),
        published_work(title="B", seed=2),
        published_work(seed=3),
    )
    decision = Decision.objects.create(
        work=struck, revision=1, kind=Decision.Kind.TAKEDOWN, reason_code="constitution", decided_by=mo
    )
    strike = Strike.objects.create(
        user=ana,
        reason_code="impersonation",
        decision=decision,
        created_by=mo,
        expires_at=timezone.now() + timedelta(days=365),
    )
    Appeal.objects.create(user=ana, strike=strike, statement="Not mine to answer for.")
    item = ReportItem.objects.create(
        report=_report(ben, Report.Status.UPHELD, "R-1"), url="/w/", work=contested, content="c", right="r"
    )
    CounterNotice.objects.create(item=item, uploader=ana, explanation="It is mine.")
    assert held_work_ids(ana) == {struck.pk, contested.pk}
    assert free.pk not in held_work_ids(ana)


def test_a_kept_work_is_erased_by_a_later_beat_once_its_case_closes(
    leaving,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    """REQ: ACC-3 (finding 3)
    GIVEN Ana's erasure kept her licensed work (a running deal) WHEN the deal's licence ends THEN the next beat
    run deletes it."""
    ana, _free, licensed, _files = leaving
    assert run(ana, django_capture_on_commit_callbacks) == "done"
    with django_capture_on_commit_callbacks(execute=True):
        tasks.anonymize_due()
    licensed.refresh_from_db()
    assert licensed.status == Work.Status.UNPUBLISHED  # still held
    Grant.objects.filter(work=licensed).update(revoked_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        tasks.anonymize_due()
    licensed.refresh_from_db()
    assert licensed.status == Work.Status.DELETED
    assert anonymize.kept_works_owner_ids() == []


def test_a_held_closed_account_is_not_requeued_and_reruns_write_no_audit(
    leaving,  # noqa: F811
    lee,
    django_capture_on_commit_callbacks,
):
    """REQ: ACC-3, AUD-1 (finding 4)"""
    ana = leaving[0]
    hold = legal_hold_place(actor=lee, username="ana", reason="Court order 2026-17")
    assert run(ana, django_capture_on_commit_callbacks) == "held"
    before = AuditEvent.objects.count()
    later = ana.cancel_effective_at + timedelta(minutes=1)
    assert anonymize.due_user_ids(later) == []
    assert run(ana, django_capture_on_commit_callbacks) == "held"  # a job already queued changes nothing
    assert AuditEvent.objects.count() == before
    legal_hold_release(actor=lee, hold_id=hold.pk)
    assert anonymize.due_user_ids(later) == [ana.pk]


def test_a_cancelling_account_accepts_no_notice_only_version_by_continued_use(ana, client_for):
    """REQ: AGR-4, ACC-3 (finding 8)"""
    client = client_for(ana)
    cancellation_request(user=ana, password=PASSWORD)
    publish("upload-compliance", reaccept=False)
    assert client.get("/privacy/").status_code == 200
    assert not Consent.objects.filter(user=ana, method="continued_use").exists()


def test_a_restore_cannot_win_against_the_job(ana, django_capture_on_commit_callbacks):
    """REQ: ACC-3 (finding 11)
    The transition itself refuses a restore once the cooling-off has ended or the job has closed access; the
    job's first step leaves a restored account alone."""
    cancellation_request(user=ana, password=PASSWORD)
    ana.refresh_from_db()
    late = ana.cancel_effective_at + timedelta(seconds=1)
    with pytest.raises(ApplicationError) as refused:
        cancellation_transition(user=ana, step=Step.RESTORE, now=late, actor=ana)
    assert refused.value.code == "cooling_off_over"
    User.objects.filter(pk=ana.pk).update(is_active=False)  # the job closed access a moment ago
    with pytest.raises(ApplicationError):
        cancellation_transition(user=ana, step=Step.RESTORE, now=timezone.now(), actor=ana)
    User.objects.filter(pk=ana.pk).update(is_active=True)
    stale = User.objects.get(pk=ana.pk)  # what the job read before the restore
    cancellation_transition(user=ana, step=Step.RESTORE, now=timezone.now(), actor=ana)
    assert anonymize.step_close_access(stale, late) is False
    ana.refresh_from_db()
    assert ana.is_active


def test_the_appeal_pages_stay_open_during_the_cooling_off(ana, client_for):
    """REQ: MOD-6, ACC-3 (finding 13)"""
    client = client_for(ana)
    cancellation_request(user=ana, password=PASSWORD)
    assert client.get("/accounts/me/standing/").status_code == 200
    assert client.get("/api/appeals").status_code == 200
    assert client.get("/accounts/me/").status_code == 302  # everything else stays gated


def test_rights_holder_profiles_are_cleared_unless_an_open_report_uses_them(
    leaving,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    """REQ: ACC-3, RPT-13 (finding 7)"""
    ana = leaving[0]
    fields = {"name": "安娜", "mailing_address": "北京", "phone": "13800000000", "email": "a@example.com"}
    unused = RightsHolderProfile.objects.create(owner=ana, party_kind="person", rights="r", **fields)
    in_use = RightsHolderProfile.objects.create(owner=ana, party_kind="person", rights="r", **fields)
    report = _report(ana, Report.Status.ACCEPTED, "R-2")
    Report.objects.filter(pk=report.pk).update(profile=in_use)
    assert run(ana, django_capture_on_commit_callbacks) == "done"
    unused.refresh_from_db()
    in_use.refresh_from_db()
    assert (unused.name, unused.mailing_address, unused.phone, unused.email) == ("",) * 4
    assert in_use.name == "安娜"


def test_a_closed_accounts_kept_work_leaves_the_review_queue_and_cannot_be_published(submit, ana, mo):
    """REQ: ACC-3 (finding 12)
    GIVEN a work of Ana's awaiting review, kept when her account was closed WHEN a moderator looks at the queue
    or approves it THEN it is not listed, and approving is refused with the reason; it stays unpublished."""
    from inspiracle.moderation.selectors import review_queue
    from inspiracle.moderation.services import review_approve

    work = submit(title="Kept for a case")
    User.objects.filter(pk=ana.pk).update(is_active=False)  # what the erasure job's first step does
    assert work.pk not in [w.pk for w in review_queue(mo)]
    with pytest.raises(ApplicationError) as refused:
        review_approve(actor=mo, work=work)
    assert refused.value.code == "account_closed"
    work.refresh_from_db()
    assert work.status == Work.Status.AWAITING_REVIEW
