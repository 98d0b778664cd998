"""Asking to repost and the owner's answers, service by service (WRK-12), with the refusals hostile or
mistaken input gets (WRK-5, WRK-6)."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail

from inspiracle.agreements.selectors import local_today
from inspiracle.audit.models import AuditEvent
from inspiracle.core.errors import ApplicationError
from inspiracle.notifications.models import Notification
from inspiracle.reposts.emailcodes import CODE_ATTEMPTS, repost_email_confirm, repost_email_start
from inspiracle.reposts.models import RepostEmailCode, RepostPermission
from inspiracle.reposts.rules import add_months, hosts_named
from inspiracle.reposts.selectors import permission_list_for_report, permission_state
from inspiracle.reposts.services import repost_approve, repost_decline, repost_revoke
from inspiracle.reposts.tests.conftest import code_from_outbox
from inspiracle.works.marks import work_exclusive_mark

pytestmark = pytest.mark.django_db


def refusal(call) -> ApplicationError:
    with pytest.raises(ApplicationError) as caught:
        call()
    return caught.value


def test_a_member_asks_and_the_owner_is_told_in_the_inbox_and_by_email(ana, cy, repostable, ask):
    """REQ: WRK-12"""
    work = repostable()
    permission = ask(cy, work)
    assert permission.status == "requested" and permission.site_host == "blog.example.com"
    assert permission.reference.startswith("RP-") and permission.requester_name == "cy"
    assert permission.ends_on == add_months(local_today(), 6)
    notice = Notification.objects.get(user=ana, template="repost_requested")
    assert notice.params["site"] == "blog.example.com" and "reposts/mine" in notice.link
    assert AuditEvent.objects.filter(action="repost.requested", actor_id=cy.pk).count() == 1


def test_the_owner_approves_and_the_asker_is_told_then_revokes(ana, cy, repostable, ask):
    """REQ: WRK-12"""
    permission = ask(cy, repostable())
    approved = repost_approve(permission=permission, actor=ana, message="Enjoy")
    assert approved.status == "approved" and approved.approved_by == ana and approved.approved_at
    assert permission_state(approved) == "active"
    assert (
        Notification.objects.get(user=cy, template="repost_approved").link
        == f"/reposts/{permission.reference}/"
    )
    revoked = repost_revoke(permission=approved, actor=ana)
    assert (
        revoked.status == "revoked" and revoked.revoked_by == ana and permission_state(revoked) == "revoked"
    )
    actions = list(AuditEvent.objects.filter(target_id=str(permission.pk)).values_list("action", flat=True))
    assert {"repost.requested", "repost.approved", "repost.revoked"} <= set(actions)


def test_a_declined_request_can_be_asked_again_but_not_twice_while_pending(ana, cy, repostable, ask):
    work = repostable()
    first = ask(cy, work)
    twice = refusal(lambda: ask(cy, work, site_url="https://www.blog.example.com/other"))
    assert twice.code == "already_pending" and twice.status == 409
    repost_decline(permission=first, actor=ana, message="Not on that blog")
    assert RepostPermission.objects.get(pk=first.pk).declined_by == ana
    assert ask(cy, work).status == "requested"


def test_only_the_owner_answers_and_each_answer_once(ana, cy, ben, repostable, ask):
    permission = ask(cy, repostable())
    assert refusal(lambda: repost_approve(permission=permission, actor=ben)).status == 404
    assert refusal(lambda: repost_approve(permission=permission, actor=cy)).status == 404
    repost_decline(permission=permission, actor=ana)
    again = refusal(lambda: repost_approve(permission=permission, actor=ana))
    assert again.code == "invalid_state" and again.status == 409
    assert refusal(lambda: repost_revoke(permission=permission, actor=ana)).code == "invalid_state"


def test_works_whose_setting_forbids_reposting_refuse_requests(cy, published_work, ask):
    """REQ: WRK-5"""
    found = refusal(lambda: ask(cy, published_work()))
    assert found.code == "repost_not_allowed" and "does not allow reposting" in found.message
    assert not RepostPermission.objects.exists()


def test_exclusive_works_refuse_requests_and_approvals(ana, cy, repostable, ask):
    """REQ: WRK-6, WRK-12: the mark may come between the request and the answer."""
    work = repostable()
    pending = ask(cy, work)
    now = local_today()
    work_exclusive_mark(
        work=work, since=pending.requested_at, until=pending.requested_at + timedelta(days=90), reason="deal"
    )
    assert refusal(lambda: ask(cy, work, site_url="https://other.example.org/")).code == "exclusive"
    found = refusal(lambda: repost_approve(permission=pending, actor=ana))
    assert found.code == "exclusive" and "Exclusive License, No Reposting" in found.message
    assert RepostPermission.objects.get(pk=pending.pk).status == "requested" and now


def test_nobody_asks_for_their_own_or_an_unpublished_work(ana, cy, repostable, submit, ask):
    assert refusal(lambda: ask(ana, repostable())).code == "own_work"
    assert refusal(lambda: ask(cy, submit(seed=5))).status == 404


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"site_url": "javascript:alert(1)"}, "site_url", "http:// or https://"),
        ({"site_url": "ftp://example.com/x"}, "site_url", "http:// or https://"),
        ({"site_url": "https://127.0.0.1/"}, "site_url", "numeric address"),
        ({"site_url": "https://" + "a" * 600 + ".com/"}, "site_url", "at most 500"),
        ({"site_url": ""}, "site_url", "Give the address"),
        ({"purpose": "x" * 2001}, "purpose", "At most 2000"),
        ({"purpose": "  "}, "purpose", "Say how"),
        ({"name": "n" * 121}, "name", "At most 120"),
        ({"months": 25}, "months", "1 to 24 months"),
        ({"months": 0}, "months", "1 to 24 months"),
        ({"months": 10**20}, "months", "1 to 24 months"),
        ({"months": None, "ends_on": date(2999, 1, 1)}, "ends_on", "at most 24 months"),
        ({"months": None, "ends_on": date(2000, 1, 1)}, "ends_on", "after today"),
        ({"months": 3, "ends_on": date(2999, 1, 1)}, "months", "not both"),
        ({"months": None}, "ends_on", "end date or a term"),
    ],
)
def test_bad_input_is_refused_with_what_to_fix_and_nothing_is_written(
    cy, repostable, ask, changes, field, words
):
    """REQ: WRK-12"""
    work = repostable()
    found = refusal(lambda: ask(cy, work, **changes))
    assert words in " ".join(found.fields[field])
    assert not RepostPermission.objects.exists()
    assert not AuditEvent.objects.filter(action="repost.requested").exists()


def test_a_visitor_proves_an_address_then_asks_and_hears_the_answer_by_email(
    ana, repostable, ask, django_capture_on_commit_callbacks
):
    """REQ: WRK-12"""
    with django_capture_on_commit_callbacks(execute=True):
        repost_email_start(email="rita@example.com")
    email_pass = repost_email_confirm(email="rita@example.com", code=code_from_outbox())
    permission = ask(None, repostable(), email_pass=email_pass, name="Rita's blog")
    assert permission.requester is None and permission.requester_email == "rita@example.com"
    assert refusal(lambda: ask(None, permission.work, name="x")).code == "email_unverified"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        repost_approve(permission=permission, actor=ana)
    assert [m.to for m in mail.outbox] == [["rita@example.com"]]
    assert f"/reposts/{permission.reference}/" in mail.outbox[0].body


def test_wrong_codes_are_counted_and_stop_after_five(repostable):
    repost_email_start(email="rita@example.com")
    for _n in range(CODE_ATTEMPTS):
        assert refusal(lambda: repost_email_confirm(email="rita@example.com", code="nope")).fields["code"]
    assert RepostEmailCode.objects.get().attempts == CODE_ATTEMPTS


def test_a_permission_shows_as_expired_after_its_last_day(ana, cy, repostable, ask):
    """REQ: WRK-12: expiry is derived from the Beijing calendar day, never stored."""
    permission = repost_approve(permission=ask(cy, repostable(), months=1), actor=ana)
    assert permission_state(permission, today=permission.ends_on) == "active"
    assert permission_state(permission, today=permission.ends_on + timedelta(days=1)) == "expired"
    with time_machine.travel(permission.ends_on + timedelta(days=2)):
        assert permission_state(permission) == "expired"


def test_a_report_naming_a_permitted_site_finds_its_permissions(ana, cy, ben, repostable, ask):
    """REQ: WRK-12"""
    work = repostable()
    granted = repost_approve(permission=ask(cy, work), actor=ana)
    ask(ben, work, site_url="https://news.example.net/")  # never granted: not shown
    assert hosts_named(["see img.blog.example.com/x and www.Other.org"]) >= {"blog.example.com", "other.org"}
    found = permission_list_for_report(["It is copied on https://img.blog.example.com/post/9 without leave."])
    assert [(v.permission.pk, v.state) for v in found] == [(granted.pk, "active")]
    assert permission_list_for_report(["news.example.net"]) == []
    assert permission_list_for_report(["nothing here"]) == []
