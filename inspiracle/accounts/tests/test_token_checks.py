"""A token is checked on every call in one plain SQL statement (accounts/tokens.py, issue 14): whatever stops it
(revocation, its end, a sanction that stops signing in, a cancellation, a closed account) stops the very next
call made with it, and the statement reads exactly what the ORM's rules say."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from inspiracle.accounts.models import ApiToken, User
from inspiracle.accounts.tokens import token_authenticate, token_issue, token_revoke
from inspiracle.moderation.services.sanctions import sanction_apply, sanction_lift
from inspiracle.standing import SIGN_IN, restriction_for

pytestmark = pytest.mark.django_db

NOON = datetime(2026, 10, 12, 4, 0, tzinfo=timezone.get_current_timezone())


def answers(raw: str) -> int:
    return Client().get("/api/works", headers={"Authorization": f"Bearer {raw}"}).status_code


def test_the_token_and_its_user_load_as_the_orm_loads_them(ana):
    """REQ: UX-2: every field of the token and of its user, in one query."""
    token, raw = token_issue(user=ana, name="script", scopes=["read"])
    with CaptureQueriesContext(connection) as captured:
        assert token_authenticate(raw) is not None
    assert len(captured) == 2  # the look-up, and marking the token used (once in 5 minutes)
    with CaptureQueriesContext(connection) as captured:
        found = token_authenticate(raw)
    assert found is not None and len(captured) == 1
    expected_token, expected_user = ApiToken.objects.get(pk=token.pk), User.objects.get(pk=ana.pk)
    for model, loaded, expected in ((ApiToken, found, expected_token), (User, found.user, expected_user)):
        for field in model._meta.concrete_fields:
            assert getattr(loaded, field.attname) == getattr(expected, field.attname), field.name
            assert type(getattr(loaded, field.attname)) is type(getattr(expected, field.attname)), field.name
    assert found.last_used_at is not None and found.user_id == ana.pk and not found.user._state.adding
    assert token_authenticate(raw[:-1] + ("A" if raw[-1] != "A" else "B")) is None


def test_a_revoked_or_ended_token_stops_on_the_very_next_call(ana):
    """REQ: UX-2"""
    with time_machine.travel(NOON, tick=False):
        token, raw = token_issue(user=ana, name="script", expires_in_days=1)
        assert answers(raw) == 200
    with time_machine.travel(NOON + timedelta(days=1) - timedelta(seconds=1), tick=False):
        assert answers(raw) == 200
    with time_machine.travel(NOON + timedelta(days=1), tick=False):
        assert answers(raw) == 401
    other, raw = token_issue(user=ana, name="other")
    assert answers(raw) == 200
    token_revoke(user=ana, token_id=other.pk)
    assert answers(raw) == 401


@pytest.mark.parametrize("kind", ["suspension", "termination", "reclaim"])
def test_a_sanction_that_stops_signing_in_stops_the_next_call_and_its_lifting_restores_it(kind, ana, ada):
    """REQ: MOD-5"""
    _token, raw = token_issue(user=ana, name="script")
    assert answers(raw) == 200
    sanction = sanction_apply(actor=ada, user=ana, kind=kind, reason_code="abuse")
    assert answers(raw) == 401
    if kind == "suspension":
        sanction_lift(actor=ada, sanction=sanction, reason="appeal upheld")
        assert answers(raw) == 200


def test_a_sanction_counts_from_its_start_to_its_end_and_other_measures_do_not_stop_tokens(ana, ada, mo):
    """REQ: MOD-5"""
    with time_machine.travel(NOON, tick=False):
        _token, raw = token_issue(user=ana, name="script", expires_in_days=30)
        sanction_apply(
            actor=ada,
            user=ana,
            kind="suspension",
            reason_code="abuse",
            starts_at=NOON + timedelta(days=1),
            ends_at=NOON + timedelta(days=2),
        )
        for kind in ("warning", "publishing", "participation"):
            sanction_apply(actor=mo, user=ana, kind=kind, reason_code="abuse")
        assert answers(raw) == 200
    with time_machine.travel(NOON + timedelta(days=1) - timedelta(seconds=1), tick=False):
        assert answers(raw) == 200
    with time_machine.travel(NOON + timedelta(days=1), tick=False):
        assert answers(raw) == 401
    with time_machine.travel(NOON + timedelta(days=2) - timedelta(seconds=1), tick=False):
        assert answers(raw) == 401
    with time_machine.travel(NOON + timedelta(days=2), tick=False):
        assert answers(raw) == 200


def test_the_statement_blocks_exactly_when_the_standing_rule_does(ana, ben, cy, ada):
    """REQ: MOD-5: the sanction test written out in SQL says what ``standing.restriction_for`` says, for every
    kind and every moment of a measure (before it starts, in force, ended, lifted, without an end)."""
    users = {"ana": ana, "ben": ben, "cy": cy}
    tokens = {
        name: token_issue(user=user, name="script", expires_in_days=30)[1] for name, user in users.items()
    }
    with time_machine.travel(NOON, tick=False):
        for kind in ("warning", "publishing", "participation", "suspension"):
            sanction_apply(
                actor=ada,
                user=ana,
                kind=kind,
                reason_code="abuse",
                starts_at=NOON + timedelta(days=1),
                ends_at=NOON + timedelta(days=2),
            )
        sanction_apply(actor=ada, user=ben, kind="termination", reason_code="abuse")
        lifted = sanction_apply(actor=ada, user=cy, kind="suspension", reason_code="abuse")
        sanction_lift(actor=ada, sanction=lifted, reason="appeal upheld")
        sanction_apply(actor=ada, user=cy, kind="warning", reason_code="abuse")
    seen = set()
    for days in (0, 1, 2, 3):
        with time_machine.travel(NOON + timedelta(days=days, hours=1), tick=False):
            for name, user in users.items():
                blocked = restriction_for(user, SIGN_IN) is not None
                assert (token_authenticate(tokens[name]) is None) == blocked, (name, days)
                seen.add((name, blocked))
    assert seen == {("ana", False), ("ana", True), ("ben", True), ("cy", False)}
