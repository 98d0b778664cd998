"""Appeals (MOD-6): once per measure, handled by someone other than the decider, upheld appeals undo."""

import pytest
from django.test import Client

from inspiracle.audit.models import AuditEvent
from inspiracle.core.errors import ApplicationError
from inspiracle.moderation.models import Appeal, Decision
from inspiracle.moderation.services import (
    appeal_decide,
    appeal_open,
    appeal_reply,
    appeal_take,
    content_take_down,
    decision_reverse,
    review_claim,
    review_decide,
    sanction_apply,
    strike_record,
    strike_resolve,
)
from inspiracle.notifications.models import Notification
from inspiracle.standing import SIGN_IN, restriction_for


def test_an_upheld_appeal_against_a_rejection_publishes_the_work_and_overrules_its_strike(
    ana, mo, lee, submit
):
    """REQ: MOD-6
    GIVEN Mo rejected Ana's work with a strike
    WHEN Ana appeals, Lee (not Mo) writes to her, she answers, and Lee upholds the appeal
    THEN the work is public, the approval is on record, the strike no longer counts, and Ana is told why."""
    work = submit()
    review_claim(actor=mo, work=work)
    decision = review_decide(
        actor=mo, work=work, kind="reject", reason_code="third_party_rights", strike=True
    )
    strike = decision.strikes.get()
    appeal = appeal_open(user=ana, target=decision, statement="I drew it; here are my sketches.")
    with pytest.raises(ApplicationError, match="another staff member"):
        appeal_take(actor=mo, appeal=appeal)
    with pytest.raises(ApplicationError, match="another staff member"):
        appeal_decide(actor=mo, appeal=appeal, uphold=False, message="No.")
    with pytest.raises(ApplicationError, match="Take the appeal"):
        appeal_reply(author=lee, appeal=appeal, body="Please send the sketch file names.")
    appeal_take(actor=lee, appeal=appeal)
    appeal_reply(author=lee, appeal=appeal, body="Please send the sketch file names.")
    appeal_reply(author=ana, appeal=appeal, body="sketch-01.psd, sketch-02.psd")
    assert [(m.from_staff, m.author) for m in appeal.messages.all()] == [(True, lee), (False, ana)]
    appeal_decide(actor=lee, appeal=appeal, uphold=True, message="The sketches show your process.")

    work.refresh_from_db()
    strike.refresh_from_db()
    appeal.refresh_from_db()
    decision.refresh_from_db()
    assert work.status == "published" and work.published_by == lee
    assert Client().get(f"/works/{work.pk}/").status_code == 200
    assert decision.reversed_by == lee
    assert work.decisions.filter(kind="approve", decided_by=lee).exists()
    assert strike.status == "overruled" and strike.resolved_by == lee
    assert appeal.status == "upheld" and appeal.decided_by == lee and appeal.handler == lee
    notices = list(Notification.objects.filter(user=ana).order_by("pk").values_list("template", flat=True))
    assert notices[-2:] == ["appeal_message", "appeal_decided"]
    assert AuditEvent.objects.filter(action="appeal.upheld", actor_label="lee").exists()
    with pytest.raises(ApplicationError, match="already decided"):
        appeal_reply(author=ana, appeal=appeal, body="Thanks!")


def test_a_measure_is_appealed_once(ana, mo, submit):
    """REQ: MOD-6"""
    strike = strike_record(actor=mo, user=ana, reason_code="abuse")
    appeal_open(user=ana, target=strike, statement="It was not me.")
    with pytest.raises(ApplicationError, match="once") as refused:
        appeal_open(user=ana, target=strike, statement="Really, it was not me.")
    assert refused.value.status == 409
    assert Appeal.objects.count() == 1


def test_a_denied_appeal_leaves_the_measure_in_place_and_says_why(ana, mo, lee):
    """REQ: MOD-6, UX-4"""
    sanction = sanction_apply(actor=mo, user=ana, kind="suspension", reason_code="abuse")
    appeal = appeal_open(user=ana, target=sanction, statement="Sorry.")
    with pytest.raises(ApplicationError) as refused:
        appeal_decide(actor=lee, appeal=appeal, uphold=False, message="")
    assert "message" in refused.value.fields
    appeal_decide(actor=lee, appeal=appeal, uphold=False, message="The messages were abusive.")
    assert restriction_for(ana, SIGN_IN) == sanction
    notice = Notification.objects.get(user=ana, template="appeal_decided")
    assert notice.params == {"outcome": "Denied: the measure stands", "message": "The messages were abusive."}


def test_an_upheld_appeal_lifts_a_sanction_and_gives_a_reclaimed_account_its_names_back(ana, lee, ada):
    """REQ: MOD-5, MOD-6"""
    sanction = sanction_apply(actor=lee, user=ana, kind="reclaim", reason_code="impersonation")
    ana.refresh_from_db()
    appeal = appeal_open(user=ana, target=sanction, statement="Ana is my real name.")
    appeal_decide(actor=ada, appeal=appeal, uphold=True, message="Identity confirmed.")
    ana.refresh_from_db()
    sanction.refresh_from_db()
    assert ana.username == "ana" and ana.profile.display_name == "ana"
    assert sanction.lifted_by == ada and restriction_for(ana, SIGN_IN) is None
    assert not Notification.objects.filter(
        user=ana, template="sanction_lifted"
    ).exists()  # one notice: the outcome


def test_an_upheld_appeal_against_a_takedown_restores_the_work(ana, mo, lee, published_work):
    """REQ: MOD-4, MOD-6"""
    work = published_work()
    decision = content_take_down(actor=mo, work=work, reason_code="unsuitable")
    appeal = appeal_open(user=ana, target=decision, statement="It is a painting of a flower.")
    appeal_decide(actor=lee, appeal=appeal, uphold=True, message="Nothing unsuitable.")
    work.refresh_from_db()
    assert work.status == "published"


def test_what_has_ended_or_changed_cannot_be_appealed_or_undone(ana, mo, lee, published_work):
    """REQ: MOD-6"""
    work = published_work()
    decision = content_take_down(actor=mo, work=work, reason_code="unsuitable")
    appeal = appeal_open(user=ana, target=decision, statement="Please look again.")
    decision_reverse(actor=mo, decision=decision, reason="Mistake.")
    with pytest.raises(ApplicationError, match="changed since"):
        appeal_decide(actor=lee, appeal=appeal, uphold=True, message="Fine.")
    appeal.refresh_from_db()
    assert appeal.status == "open"
    approval = Decision.objects.get(work=work, kind="approve")
    with pytest.raises(ApplicationError, match="nothing to appeal"):
        appeal_open(user=ana, target=approval, statement="?")
    strike = strike_record(actor=mo, user=ana, reason_code="abuse")
    strike_resolve(actor=mo, strike=strike, status="dismissed", reason="Forgiven.")
    with pytest.raises(ApplicationError, match="nothing to appeal"):
        appeal_open(user=ana, target=strike, statement="?")


def test_an_appeal_needs_a_statement_of_reasonable_length(ana, mo):
    """REQ: MOD-6"""
    strike = strike_record(actor=mo, user=ana, reason_code="abuse")
    for statement, message in (("  ", "Write your text"), ("x" * 4001, "4,000")):
        with pytest.raises(ApplicationError, match=message) as refused:
            appeal_open(user=ana, target=strike, statement=statement)
        assert "statement" in refused.value.fields
    assert not Appeal.objects.exists()


def test_a_user_waits_for_staff_after_five_unanswered_messages(ana, mo, lee):
    """REQ: MOD-6"""
    appeal = appeal_open(
        user=ana, target=strike_record(actor=mo, user=ana, reason_code="abuse"), statement="No."
    )
    for n in range(5):
        appeal_reply(author=ana, appeal=appeal, body=f"Also {n}.")
    with pytest.raises(ApplicationError, match="wait for their reply") as refused:
        appeal_reply(author=ana, appeal=appeal, body="Hello?")
    assert refused.value.status == 409 and refused.value.code == "awaiting_staff"
    appeal_take(actor=lee, appeal=appeal)
    appeal_reply(author=lee, appeal=appeal, body="Reading them now.")
    appeal_reply(author=ana, appeal=appeal, body="Thank you.")
    assert appeal.messages.count() == 7
