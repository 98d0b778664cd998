"""Every access function of moderation, for every role and every record: who gets it, who gets "not found"
(or, for staff without the right, a refusal). REQ: MOD-7, PRV-3"""

import pytest
from django.contrib.auth.models import AnonymousUser

from inspiracle.core.testing import access_outcome, make_user
from inspiracle.moderation import permissions
from inspiracle.moderation.services import (
    appeal_open,
    content_take_down,
    sanction_apply,
    strike_record,
)
from inspiracle.notifications.models import Notification
from inspiracle.notifications.permissions import access_notification_for_recipient

ROLES = ("visitor", "member", "creator", "other_creator", "moderator", "legal_officer", "admin")
STAFF = {"moderator", "legal_officer", "admin"}


@pytest.fixture
def world(ana, mo, lee, ada, published_work):
    """Ana (the creator) has a taken-down work, a strike, a sanction, an appeal and a notice; Olga is another
    creator with records of her own; Cy is a member with none."""
    other = make_user("olga")
    work = published_work()
    decision = content_take_down(actor=mo, work=work, reason_code="unsuitable")
    records = {
        "decision": decision,
        "strike": strike_record(actor=mo, user=ana, reason_code="abuse"),
        "sanction": sanction_apply(actor=mo, user=ana, kind="warning", reason_code="abuse"),
    }
    records["appeal"] = appeal_open(user=ana, target=records["strike"], statement="Not me.")
    records["notification"] = Notification.objects.filter(user=ana).first()
    strike_record(actor=mo, user=other, reason_code="abuse")
    users = {
        "visitor": AnonymousUser(),
        "member": make_user("cy"),
        "creator": ana,
        "other_creator": other,
        "moderator": mo,
        "legal_officer": lee,
        "admin": ada,
    }
    return users, records


outcome = access_outcome


ONLY_CREATOR = {role: "ok" if role == "creator" else "not_found" for role in ROLES}
ONLY_STAFF = {role: "ok" if role in STAFF else "not_found" for role in ROLES}

MATRIX = {
    # access function, record it is asked for -> expected outcome per role
    ("measure_for_appeal", "decision"): ONLY_CREATOR,
    ("measure_for_appeal", "strike"): ONLY_CREATOR,
    ("measure_for_appeal", "sanction"): ONLY_CREATOR,
    ("appeal_for_appellant", "appeal"): ONLY_CREATOR,
    ("notification_for_recipient", "notification"): ONLY_CREATOR,
    ("appeal_for_staff", "appeal"): ONLY_STAFF,
    ("sanction_for_staff", "sanction"): ONLY_STAFF,
    ("strike_for_staff", "strike"): ONLY_STAFF,
}


def call_for(name: str, kind: str, user, record):
    if name == "measure_for_appeal":
        return lambda: permissions.access_measure_for_appeal(user, kind, record.pk)
    if name == "notification_for_recipient":
        return lambda: access_notification_for_recipient(user, record.pk)
    return lambda: getattr(permissions, f"access_{name}")(user, record.pk)


@pytest.mark.parametrize(("name", "kind"), list(MATRIX))
def test_each_role_reaches_exactly_the_records_it_should(world, name, kind):
    users, records = world
    seen = {role: outcome(call_for(name, kind, users[role], records[kind])) for role in ROLES}
    assert seen == MATRIX[(name, kind)]


@pytest.mark.parametrize(("name", "kind"), list(MATRIX))
def test_an_unknown_id_is_not_found_for_everyone(world, name, kind):
    users, records = world
    ghost = type(records[kind])(pk=10**9)
    assert {outcome(call_for(name, kind, users[role], ghost)) for role in ROLES} == {"not_found"}


def test_a_kind_that_is_not_a_measure_is_not_found(world):
    users, records = world
    for kind in ("appeal", "notification", ""):
        call = call_for("measure_for_appeal", kind, users["creator"], records["appeal"])
        assert outcome(call) == "not_found"


def test_only_staff_other_than_the_decider_may_handle_an_appeal(world):
    """REQ: MOD-6"""
    users, records = world
    appeal = records["appeal"]
    handle = {role: permissions.can_handle_appeal(users[role], appeal) for role in ROLES}
    assert handle == {
        "visitor": False,
        "member": False,
        "creator": False,
        "other_creator": False,
        "moderator": False,  # Mo recorded the strike under appeal
        "legal_officer": True,
        "admin": True,
    }
