"""A work's status changes only along the transitions table (works/transitions.py), each change audited."""

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
import time_machine
from django.db import transaction

from inspiracle.agreements.models import Version
from inspiracle.audit.models import AuditEvent
from inspiracle.core.errors import ApplicationError
from inspiracle.moderation.services import appeal_decide, appeal_open, appeal_take, content_take_down
from inspiracle.works.models import Work
from inspiracle.works.services import work_delete, work_publish
from inspiracle.works.tests.test_upload import token_client
from inspiracle.works.transitions import BY, EDGES, NOW, TRANSITIONS, work_transition

S = Work.Status
MOMENT = datetime(2026, 3, 2, 4, 0, tzinfo=UTC)
PUBLISHED_ONCE = (S.PUBLISHED, S.TAKEN_DOWN, S.UNPUBLISHED)


def work_in(status: str, owner) -> Work:
    """A work put straight into ``status`` (with the fields its constraints ask for), no pipeline run."""
    return Work.objects.create(
        owner=owner,
        title="Spring rain",
        category="illustration",
        ai_use="none",
        rights_confirmed_at=MOMENT,
        licence_version=Version.objects.earliest("pk"),
        status=status,
        published_at=MOMENT if status in PUBLISHED_ONCE else None,
        published_by=owner if status in PUBLISHED_ONCE else None,
        deleted_at=MOMENT if status == S.DELETED else None,
    )


def move(work: Work, transition, by) -> Work:
    with transaction.atomic():
        locked = Work.objects.select_for_update().get(pk=work.pk)
        return work_transition(work=locked, transition=transition, by=by, data={"test": True})


def test_the_table_draws_the_graph_of_work_statuses():
    drawn = {
        S.PROCESSING: {S.AWAITING_REVIEW, S.REJECTED, S.DELETED},
        S.REJECTED: {S.PROCESSING, S.DELETED},
        S.AWAITING_REVIEW: {
            S.PROCESSING,
            S.AWAITING_REVIEW,
            S.PUBLISHED,
            S.DECLINED,
            S.CHANGES_REQUESTED,
            S.DELETED,
        },
        S.CHANGES_REQUESTED: {S.PROCESSING, S.AWAITING_REVIEW, S.DELETED},
        S.DECLINED: {S.PROCESSING, S.AWAITING_REVIEW, S.DELETED},
        S.PUBLISHED: {S.PROCESSING, S.AWAITING_REVIEW, S.TAKEN_DOWN, S.UNPUBLISHED, S.DELETED},
        S.TAKEN_DOWN: {S.PROCESSING, S.PUBLISHED, S.DELETED},
        S.UNPUBLISHED: {S.PROCESSING, S.AWAITING_REVIEW, S.PUBLISHED, S.DELETED},
        S.DELETED: set(),
    }
    assert drawn == EDGES
    assert len({t.name for t in TRANSITIONS}) == len(TRANSITIONS)


@time_machine.travel(MOMENT, tick=False)
def test_every_transition_of_the_table_goes_from_each_of_its_sources(ana, mo):
    """Each edge sets the status and the transition's fields, and writes its audit event."""
    for transition in TRANSITIONS:
        for source in sorted(transition.sources):
            work = move(work_in(source, ana), transition, mo)
            work.refresh_from_db()
            assert work.status == transition.target, (transition.name, source)
            for name, value in transition.sets.items():
                expected = MOMENT if value is NOW else mo if value is BY else value
                assert getattr(work, name) == expected, (transition.name, source, name)
            event = AuditEvent.objects.filter(target_type="works.Work", target_id=str(work.pk)).get()
            assert (event.action, event.actor_id, event.data) == (transition.action, mo.pk, {"test": True})


def test_every_other_start_is_refused_with_a_conflict_and_changes_nothing(ana, mo):
    refused = 0
    for transition in TRANSITIONS:
        for source in set(S.values) - transition.sources:
            work = work_in(source, ana)
            with pytest.raises(ApplicationError) as error:
                move(work, transition, mo)
            assert (error.value.status, error.value.code) == (409, "invalid_state"), (transition.name, source)
            work.refresh_from_db()
            assert work.status == source
            refused += 1
    assert refused > 60 and not AuditEvent.objects.filter(target_type="works.Work").exists()


def test_a_deleted_work_is_never_published_again(published_work, ana, mo):
    """GIVEN Ana deleted her published work
    WHEN staff try to publish it, through the API or the service
    THEN both are refused with a conflict (409, not a server error) and the work stays deleted."""
    work = published_work()
    work_delete(actor=ana, work=work)

    response = token_client(mo).post(f"/api/staff/works/{work.pk}/publish")
    assert response.status_code == 409 and response.json()["error"]["code"] == "invalid_state"
    with pytest.raises(ApplicationError, match="this one is Deleted") as error:
        work_publish(actor=mo, work=work)
    assert error.value.status == 409
    work.refresh_from_db()
    assert work.status == S.DELETED
    assert AuditEvent.objects.filter(action="work.published").count() == 1  # the approval before, only


def test_the_owner_api_answers_a_forbidden_transition_with_409(published_work, ana, mo):
    """A transition the work's status does not allow is a conflict the owner can act on, never a 500."""
    work = published_work()
    client = token_client(ana)
    cases = [
        ("republish", "Only an unpublished work can be published again."),
        ("resubmit", "Only a work with a requested correction can be resubmitted."),
    ]
    for action, message in cases:
        response = client.post(f"/api/works/{work.pk}/{action}")
        assert response.status_code == 409, action
        assert response.json()["error"] == {"code": "invalid_state", "message": message, "fields": {}}
    assert client.post(f"/api/works/{work.pk}/unpublish").status_code == 200
    again = client.post(f"/api/works/{work.pk}/unpublish")
    assert again.status_code == 409 and again.json()["error"]["message"] == "This work is not published."

    content_take_down(actor=mo, work=work_publish(actor=mo, work=work), reason_code="rumours")
    taken_down = client.post(f"/api/works/{work.pk}/republish")
    assert taken_down.status_code == 409
    work.refresh_from_db()
    assert work.status == S.TAKEN_DOWN


def test_a_termination_unpublishes_each_work_with_its_own_audit_event(ana, lee, published_work):
    """REQ: MOD-5, AUD-1
    GIVEN Ana has three published works
    WHEN a legal officer terminates her account through the staff API
    THEN each work is unpublished on its own, with one audit event per work naming who, why and the
    sanction, and the sanction's event lists the three works."""
    works = [published_work(title=f"Work {n}", seed=n) for n in range(3)]

    response = token_client(lee).post(
        "/api/staff/accounts/ana/sanctions",
        {"kind": "termination", "reason_code": "repeat_infringement"},
        content_type="application/json",
    )

    assert response.status_code == 201
    sanction_id = response.json()["id"]
    events = AuditEvent.objects.filter(action="work.unpublished").order_by("seq")
    assert sorted(int(e.target_id) for e in events) == sorted(w.pk for w in works)
    for event in events:
        assert (event.actor_id, event.reason, event.data) == (
            lee.pk,
            "repeat_infringement",
            {"sanction": sanction_id},
        )
    for work in works:
        work.refresh_from_db()
        assert work.status == S.UNPUBLISHED and work.unpublished_at is not None
    applied = AuditEvent.objects.get(action="sanction.applied")
    assert sorted(applied.data["works_unpublished"]) == sorted(w.pk for w in works)


def test_an_upheld_appeal_against_a_takedown_is_audited_on_the_work(published_work, ana, mo, lee):
    """REQ: MOD-6, AUD-1: the work goes public again through the table, recorded as a reversal of the decision."""
    work = published_work()
    decision = content_take_down(actor=mo, work=work, reason_code="third_party_rights")
    appeal = appeal_open(user=ana, target=decision, statement="I drew it myself; the sketches are attached.")
    appeal_take(actor=lee, appeal=appeal)

    appeal_decide(actor=lee, appeal=appeal, uphold=True, message="The sketches show it is hers.")

    work.refresh_from_db()
    assert work.status == S.PUBLISHED
    event = AuditEvent.objects.get(action="review.reversed", target_id=str(work.pk))
    assert event.actor_id == lee.pk and event.data == {"decision": decision.pk, "appeal": appeal.pk}


# What assigning a work's status looks like in source: ``work.status = ...``, ``setattr(work, "status", ...)``,
# or an ``update(status=Work.Status...)`` / ``update(status=Status...)`` on a queryset.
STATUS_WRITES = [
    re.compile(r"\bwork\w*\.status\s*=(?!=)", re.IGNORECASE),
    re.compile(r"\.status\s*=\s*(?:Work\.)?Status\.\w+"),
    re.compile(r"setattr\(\s*\w*work\w*\s*,\s*[\"']status[\"']", re.IGNORECASE),
    re.compile(r"\.update\([^)]*\bstatus\s*=\s*(?:Work\.)?Status\.", re.DOTALL),
]
OWNER = Path("works") / "transitions.py"


def status_writes(source: str) -> list[str]:
    return [m.group(0) for pattern in STATUS_WRITES for m in pattern.finditer(source)]


def test_the_scan_finds_status_writes_and_nothing_else():
    for write in [
        "work.status = Status.PUBLISHED",
        "work.status = Work.Status.DECLINED if kind else Work.Status.CHANGES_REQUESTED",
        "current.status = Work.Status.DELETED",
        'setattr(work, "status", to)',
        "published.update(status=Work.Status.UNPUBLISHED, unpublished_at=now)",
        "Work.objects.filter(pk=pk).update(\n    status=Status.DELETED,\n)",
    ]:
        assert status_writes(write), write
    for other in [
        "if work.status == Work.Status.DELETED:",
        "Work.objects.filter(owner=user, status=Work.Status.PUBLISHED)",
        "appeal.status = Appeal.Status.UPHELD",
        "mine.update(status=OutboxMessage.Status.SENT, sent_at=done)",
        "current.status = WorkFile.Status.REFUSED",
    ]:
        assert not status_writes(other), other


def test_no_module_but_the_transitions_table_assigns_a_works_status():
    root = Path(__file__).resolve().parents[2]
    found = {}
    for path in root.rglob("*.py"):
        relative = path.relative_to(root)
        if relative == OWNER or {"tests", "migrations"} & set(relative.parts):
            continue
        if writes := status_writes(path.read_text(encoding="utf-8")):
            found[str(relative)] = writes
    assert found == {}, "change a work's status with works.transitions.work_transition"
    assert status_writes((root / OWNER).read_text(encoding="utf-8"))  # the scan does see the one owner
