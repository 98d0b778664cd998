"""The review queue: claiming, deciding, bulk decisions and undoing them (MOD-1, MOD-2)."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from inspiracle.core.errors import ApplicationError
from inspiracle.core.testing import make_user
from inspiracle.moderation.models import Decision
from inspiracle.moderation.services import (
    decision_reverse,
    review_bulk,
    review_claim,
    review_decide,
    sanction_apply,
)
from inspiracle.notifications.models import Notification
from inspiracle.works.models import Work


def test_two_moderators_never_hold_the_same_work(submit, mo):
    """REQ: MOD-1"""
    work = submit()
    other = make_user("mod2", role="moderator")
    review_claim(actor=mo, work=work)
    with pytest.raises(ApplicationError, match="@mo is reviewing"):
        review_claim(actor=other, work=work)
    with pytest.raises(ApplicationError, match="Claim the work"):
        review_decide(actor=other, work=work, kind="approve")


def test_approving_publishes_and_tells_the_creator(submit, mo, ana):
    """REQ: MOD-2, UX-4"""
    work = submit()
    review_claim(actor=mo, work=work)
    review_decide(actor=mo, work=work, kind="approve", revision=work.revision)
    work.refresh_from_db()
    assert work.status == "published" and work.published_by == mo
    notice = Notification.objects.get(user=ana)
    assert notice.template == "work_approved" and notice.link == f"/works/{work.pk}/"


def test_a_rejection_needs_a_catalogue_reason_and_the_creator_reads_it(submit, mo, ana, client_for):
    """REQ: MOD-2"""
    work = submit()
    review_claim(actor=mo, work=work)
    with pytest.raises(ApplicationError) as refused:
        review_decide(actor=mo, work=work, kind="reject", reason_code="because")
    assert "reason_code" in refused.value.fields
    review_decide(actor=mo, work=work, kind="reject", reason_code="third_party_rights")
    page = client_for(ana).get(f"/works/{work.pk}/").content.decode()
    assert "Rejected in review" in page and "Infringes third-party rights" in page
    assert Notification.objects.get(user=ana).reason_code == "third_party_rights"
    assert Client().get(f"/works/{work.pk}/").status_code == 404


def test_a_correction_is_asked_with_a_message_and_the_creator_resubmits(submit, mo, ana, client_for):
    """REQ: MOD-2
    GIVEN a work in review
    WHEN the moderator asks for a correction
    THEN the creator reads the message, resubmits, and the work is back in the queue."""
    work = submit()
    review_claim(actor=mo, work=work)
    with pytest.raises(ApplicationError):
        review_decide(actor=mo, work=work, kind="correction")
    review_decide(
        actor=mo, work=work, kind="correction", message="Please remove the watermark of another site."
    )
    page = client_for(ana).get(f"/works/{work.pk}/").content.decode()
    assert "Please remove the watermark of another site." in page
    response = client_for(ana).post(f"/api/works/{work.pk}/resubmit")
    assert response.json()["status"] == "awaiting_review"
    assert [w["id"] for w in client_for(mo).get("/api/staff/review").json()["items"]] == [work.pk]


def test_bulk_decisions_are_audited_one_by_one_and_can_be_undone(submit, mo, ana):
    """REQ: MOD-2"""
    from inspiracle.audit.models import AuditEvent

    works = [submit(title=f"Work {i}", seed=i) for i in range(3)]
    other = make_user("mod2", role="moderator")
    review_claim(actor=other, work=works[2])
    done, skipped = review_bulk(actor=mo, works=works, kind="reject", reason_code="unsuitable")
    assert [d.work_id for d in done] == [works[0].pk, works[1].pk]
    assert [w.pk for w, _why in skipped] == [works[2].pk]
    assert AuditEvent.objects.filter(action="review.reject").count() == 2
    decision_reverse(actor=mo, decision=done[0], reason="selected by mistake")
    assert Work.objects.get(pk=works[0].pk).status == "awaiting_review"
    assert Decision.objects.get(pk=done[0].pk).reversed_by == mo
    with pytest.raises(ApplicationError):
        decision_reverse(actor=mo, decision=done[0], reason="again")


def test_members_cannot_reach_the_queue_or_decide(submit, ana, cy, client_for):
    """REQ: MOD-7"""
    work = submit()
    for client in (client_for(cy), client_for(ana)):
        assert client.get("/staff/review/").status_code == 404
        assert client.get(f"/staff/review/{work.pk}/").status_code == 404
        assert client.post(f"/api/staff/review/{work.pk}/claim").status_code in (403, 404)
        assert client.post(
            f"/api/staff/review/{work.pk}/decision", {"kind": "approve"}, content_type="application/json"
        ).status_code in (403, 404)
    assert Work.objects.get(pk=work.pk).status == "awaiting_review"


def test_the_queue_in_the_console_and_through_the_api(submit, mo, client_for):
    """REQ: MOD-1, UX-3"""
    first, second = submit(title="First", seed=1), submit(title="Second", seed=2)
    client = client_for(mo)
    assert [w["id"] for w in client.get("/api/staff/review").json()["items"]] == [first.pk, second.pk]
    page = client.get("/staff/review/").content.decode()
    assert page.index("First") < page.index("Second")
    assert client.post(f"/staff/review/{first.pk}/claim/").status_code == 302
    item = client.get(f"/staff/review/{first.pk}/")
    assert item.status_code == 200 and "Decide" in item.content.decode()
    decided = client.post(f"/staff/review/{first.pk}/", {"kind": "approve", "revision": first.revision})
    assert decided.status_code == 302
    assert Work.objects.get(pk=first.pk).status == "published"
    via_api = client.post(f"/api/staff/review/{second.pk}/claim")
    assert via_api.status_code == 204
    decision = client.post(
        f"/api/staff/review/{second.pk}/decision",
        {"kind": "reject", "reason_code": "rumours"},
        content_type="application/json",
    )
    assert decision.status_code == 200 and decision.json()["reason_code"] == "rumours"


def test_the_queue_query_count_does_not_grow_with_its_length(submit, mo, client_for):
    """The console stays fast however long the queue is."""
    client = client_for(mo)

    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    submit(seed=1)
    one = (queries("/staff/review/"), queries("/api/staff/review"))
    for seed in range(2, 6):
        submit(seed=seed)
    assert (queries("/staff/review/"), queries("/api/staff/review")) == one


def test_the_uploader_history_query_count_does_not_grow_with_the_record(submit, mo, ana, client_for):
    """MOD-1: the item page shows the uploader's decisions, strikes and sanctions at a fixed cost."""
    client = client_for(mo)
    work = submit(seed=1)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/staff/review/{work.pk}/").status_code == 200
        return len(captured)

    def add_record(seed):
        earlier = submit(seed=seed, title=f"Earlier {seed}")
        review_claim(actor=mo, work=earlier)
        review_decide(actor=mo, work=earlier, kind="reject", reason_code="rumours", strike=True)
        sanction_apply(actor=mo, user=ana, kind="warning", reason_code="abuse")

    add_record(2)
    one = queries()
    for seed in range(3, 7):
        add_record(seed)
    assert queries() == one
