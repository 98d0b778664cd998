"""Sanctions bind at every entry point and end on time (MOD-5); strikes keep who and why (MOD-6)."""

from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from inspiracle.accounts.models import UserSession
from inspiracle.accounts.tokens import token_issue
from inspiracle.audit.models import AuditEvent
from inspiracle.core.errors import ApplicationError
from inspiracle.core.testing import PASSWORD, image_bytes
from inspiracle.moderation.models import Sanction, Strike
from inspiracle.moderation.services import (
    sanction_apply,
    sanction_lift,
    sanctions_expire,
    strike_record,
    strike_resolve,
)
from inspiracle.moderation.tasks import expire_sanctions
from inspiracle.notifications.models import Notification
from inspiracle.standing import PARTICIPATE, PUBLISH, SIGN_IN, restriction_for
from inspiracle.works.models import Work
from inspiracle.works.services import work_unpublish
from inspiracle.works.tests.test_upload import upload


def signin(username, password=PASSWORD) -> tuple[Client, object]:
    client = Client()
    return client, client.post("/accounts/signin/", {"username": username, "password": password})


def suspend(actor, user, days=7, **kwargs):
    return sanction_apply(
        actor=actor,
        user=user,
        kind=kwargs.pop("kind", "suspension"),
        reason_code=kwargs.pop("reason_code", "abuse"),
        ends_at=timezone.now() + timedelta(days=days) if days else None,
        **kwargs,
    )


def test_a_suspended_user_cannot_sign_in_in_any_way(ana, mo, client_for):
    """REQ: MOD-5
    GIVEN Ana signed in on the web and holding an API token
    WHEN a moderator suspends her
    THEN her session ends, her token stops working, and neither the sign-in page nor the API signs her in."""
    session = client_for(ana)
    _token, raw = token_issue(user=ana, name="script")
    bearer = Client(headers={"Authorization": f"Bearer {raw}"})
    assert bearer.get("/api/me").status_code == 200

    suspend(mo, ana)

    assert session.get("/accounts/me/").status_code == 302  # back to sign-in: no longer signed in
    assert session.get("/api/me").status_code == 401
    assert bearer.get("/api/me").status_code == 401
    assert not UserSession.objects.filter(user=ana).exists()
    client, response = signin("ana")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/appeal/")
    assert "_auth_user_id" not in client.session
    api = Client().post(
        "/api/auth/tokens",
        {"username": "ana", "password": PASSWORD, "name": "new"},
        content_type="application/json",
    )
    assert api.status_code == 403
    error = api.json()["error"]
    assert error["code"] == "sanctioned" and "Suspension" in error["message"] and "appeal" in error["message"]
    assert AuditEvent.objects.filter(action="signin.refused", target_id=str(ana.pk)).count() == 2


def test_a_wrong_password_of_a_suspended_account_says_nothing_about_the_suspension(ana, mo):
    """REQ: MOD-5"""
    suspend(mo, ana)
    _client, response = signin("ana", "not-the-password")
    assert response.status_code == 200
    assert "Wrong username or password" in response.content.decode()
    assert "Suspension" not in response.content.decode()


def test_a_suspension_ends_on_its_minute_even_before_the_periodic_job_runs(
    ana, mo, django_capture_on_commit_callbacks
):
    """REQ: MOD-5
    GIVEN a three-day suspension
    WHEN its end passes
    THEN Ana signs in at once; the periodic job then records the end and tells her, once."""
    sanction = suspend(mo, ana, days=3)
    with time_machine.travel(sanction.ends_at - timedelta(seconds=1), tick=False):
        assert signin("ana")[1]["Location"].startswith("/accounts/appeal/")
    with time_machine.travel(sanction.ends_at + timedelta(seconds=1), tick=False):
        client, response = signin("ana")
        assert response.status_code == 302 and "_auth_user_id" in client.session
        with django_capture_on_commit_callbacks(execute=True):
            assert expire_sanctions.delay().get() == 1
        assert sanctions_expire() == 0
    sanction.refresh_from_db()
    assert sanction.lifted_at == sanction.ends_at and sanction.lifted_by is None
    assert Notification.objects.filter(user=ana, template="sanction_lifted").count() == 1
    assert AuditEvent.objects.filter(action="sanction.ended").count() == 1


def test_a_measure_that_starts_later_binds_from_its_start(ana, mo):
    """REQ: MOD-5"""
    start = timezone.now() + timedelta(days=1)
    sanction_apply(actor=mo, user=ana, kind="suspension", reason_code="abuse", starts_at=start)
    assert restriction_for(ana, SIGN_IN) is None
    assert signin("ana")[1]["Location"] == "/accounts/me/"
    with time_machine.travel(start + timedelta(minutes=1), tick=False):
        assert restriction_for(ana, SIGN_IN) is not None
        assert signin("ana")[1]["Location"].startswith("/accounts/appeal/")


def test_a_publishing_restriction_stops_uploads_edits_and_publishing_but_not_withdrawing(
    ana, mo, submit, published_work, client_for, django_capture_on_commit_callbacks
):
    """REQ: MOD-5
    GIVEN Ana has a published work, a work with a requested correction, and is then restricted from publishing
    WHEN she uploads, edits the content, resubmits or republishes, on the page or through the API
    THEN each is refused with the measure and its end; tags and unpublishing still work."""
    work = published_work(title="Old", seed=3)
    sanction = sanction_apply(
        actor=mo,
        user=ana,
        kind="publishing",
        reason_code="repeat_infringement",
        ends_at=timezone.now() + timedelta(days=30),
    )
    client = client_for(ana)
    assert (
        "Publishing restriction" in client.get("/works/new/").content.decode()
    )  # told before choosing files
    response = upload(client, [("a.png", image_bytes(seed=9))], django_capture_on_commit_callbacks)
    assert response.status_code == 403
    error = response.json()["error"]
    assert error["code"] == "sanctioned" and error["sanction"] == sanction.pk
    assert "Publishing restriction" in error["message"] and "Repeated infringement" in error["message"]
    page = client.post(
        "/works/new/",
        {
            "title": "Paged",
            "category": "illustration",
            "ai_use": "none",
            "rights_confirmed": "on",
            "files": SimpleUploadedFile("a.png", image_bytes(seed=8)),
        },
    )
    assert "Publishing restriction" in page.content.decode()
    assert Work.objects.filter(owner=ana).count() == 1
    edit = client.patch(f"/api/works/{work.pk}", {"title": "New title"}, content_type="application/json")
    assert edit.status_code == 403
    tags = client.patch(f"/api/works/{work.pk}", {"tags": ["rain"]}, content_type="application/json")
    assert tags.status_code == 200
    work_unpublish(actor=ana, work=work)
    assert client.post(f"/api/works/{work.pk}/republish").status_code == 403
    work.refresh_from_db()
    assert work.status == "unpublished" and work.title == "Old"


def test_participation_and_warnings_stop_what_they_say(ana, mo):
    """REQ: MOD-5"""
    sanction_apply(actor=mo, user=ana, kind="warning", reason_code="abuse")
    assert all(restriction_for(ana, action) is None for action in (SIGN_IN, PUBLISH, PARTICIPATE))
    sanction_apply(actor=mo, user=ana, kind="participation", reason_code="abuse")
    assert restriction_for(ana, PARTICIPATE).kind == "participation"
    assert restriction_for(ana, PUBLISH) is None and restriction_for(ana, SIGN_IN) is None


def test_the_longest_measure_is_the_one_named(ana, mo):
    """REQ: MOD-5"""
    suspend(mo, ana, days=2)
    long = suspend(mo, ana, days=20)
    assert restriction_for(ana, SIGN_IN) == long


def test_staff_lift_a_measure_with_a_reason_and_the_user_is_told(ana, mo):
    """REQ: MOD-5, UX-4"""
    sanction = suspend(mo, ana)
    with pytest.raises(ApplicationError) as refused:
        sanction_lift(actor=mo, sanction=sanction, reason=" ")
    assert "reason" in refused.value.fields
    sanction_lift(actor=mo, sanction=sanction, reason="Explained and apologised.")
    sanction.refresh_from_db()
    assert sanction.lifted_by == mo and sanction.lift_reason == "Explained and apologised."
    assert restriction_for(ana, SIGN_IN) is None
    with pytest.raises(ApplicationError, match="already ended"):
        sanction_lift(actor=mo, sanction=sanction, reason="again")
    assert Notification.objects.filter(user=ana, template="sanction_lifted").exists()


def test_bad_sanctions_are_refused_with_what_to_fix_and_nothing_is_recorded(ana, mo, lee, ada):
    """REQ: MOD-5"""
    now = timezone.now()
    cases = [
        (mo, ana, {"kind": "exile"}, "kind"),
        (mo, ana, {"reason_code": "because"}, "reason_code"),
        (mo, ana, {"ends_at": now - timedelta(hours=1)}, "ends_at"),
        (lee, ana, {"kind": "termination", "ends_at": now + timedelta(days=1)}, "ends_at"),
        (mo, mo, {}, "user"),
        (mo, lee, {}, "user"),
    ]
    for actor, user, changes, field in cases:
        params = {"kind": "suspension", "reason_code": "abuse", **changes}
        with pytest.raises(ApplicationError) as refused:
            sanction_apply(actor=actor, user=user, **params)
        assert field in refused.value.fields, (changes, refused.value.fields)
    with pytest.raises(ApplicationError, match="staff role does not allow"):
        sanction_apply(actor=mo, user=ana, kind="termination", reason_code="abuse")
    with pytest.raises(ApplicationError, match="does not exist"):
        sanction_apply(actor=ana, user=lee, kind="warning", reason_code="abuse")
    assert not Sanction.objects.exists() and not Notification.objects.exists()
    sanction_apply(actor=ada, user=ana, kind="termination", reason_code="abuse")
    assert restriction_for(ana, SIGN_IN).ends_at is None


def test_reclaiming_renames_resets_and_locks_the_impersonating_account(
    ana, lee, client_for, django_capture_on_commit_callbacks
):
    """REQ: MOD-5
    GIVEN Ana's account passes itself off as someone else, with their name and picture
    WHEN a legal officer reclaims it
    THEN it is renamed, its display name and picture are reset, it is locked, and the notice names the new
    username to sign in with for the appeal."""
    client_for(ana).post(
        "/accounts/me/avatar/", {"avatar": SimpleUploadedFile("me.png", image_bytes(seed=5))}
    )
    ana.profile.refresh_from_db()
    assert ana.profile.avatar
    with django_capture_on_commit_callbacks(execute=True):
        sanction = sanction_apply(actor=lee, user=ana, kind="reclaim", reason_code="impersonation")
    ana.refresh_from_db()
    ana.profile.refresh_from_db()
    assert ana.username == f"reclaimed_{ana.pk}" and ana.profile.display_name == ana.username
    assert not ana.profile.avatar and ana.profile.avatar_keys == []
    assert sanction.previous_username == "ana"
    assert Client().get("/u/ana/").status_code == 404
    assert signin(ana.username)[1]["Location"].startswith("/accounts/appeal/")
    notice = Notification.objects.get(user=ana, template="account_reclaimed")
    assert notice.params["username"] == ana.username


def test_strikes_expire_and_their_overruling_keeps_who_and_why(ana, mo, settings):
    """REQ: MOD-6"""
    settings.STRIKE_EXPIRY_DAYS = 90
    strike = strike_record(actor=mo, user=ana, reason_code="third_party_rights", note="Copied artwork.")
    assert strike.expires_at - strike.created_at == timedelta(days=90)
    assert strike.counts(timezone.now()) and not strike.counts(strike.expires_at)
    with pytest.raises(ApplicationError) as refused:
        strike_resolve(actor=mo, strike=strike, status="forgotten", reason="")
    assert set(refused.value.fields) == {"status", "reason"}
    strike_resolve(actor=mo, strike=strike, status="dismissed", reason="First time; licence shown later.")
    strike.refresh_from_db()
    assert strike.status == "dismissed" and strike.resolved_by == mo and not strike.counts(timezone.now())
    with pytest.raises(ApplicationError, match="already"):
        strike_resolve(actor=mo, strike=strike, status="overruled", reason="again")
    assert [n.template for n in Notification.objects.filter(user=ana).order_by("pk")] == [
        "strike_recorded",
        "strike_resolved",
    ]
    assert AuditEvent.objects.filter(action="strike.dismissed", reason__startswith="First time").exists()
    with pytest.raises(ApplicationError):
        strike_record(actor=mo, user=mo, reason_code="abuse")
    assert Strike.objects.count() == 1


def test_a_termination_takes_the_accounts_works_off_the_public_pages(ana, lee, published_work):
    """REQ: MOD-5"""
    work = published_work()
    with pytest.raises(ApplicationError) as refused:
        sanction_apply(
            actor=lee,
            user=ana,
            kind="termination",
            reason_code="repeat_infringement",
            starts_at=timezone.now() + timedelta(days=1),
        )
    assert "starts_at" in refused.value.fields
    sanction_apply(actor=lee, user=ana, kind="termination", reason_code="repeat_infringement")
    work.refresh_from_db()
    assert work.status == "unpublished"
    assert Client().get(f"/works/{work.pk}/").status_code == 404
    event = AuditEvent.objects.get(action="sanction.applied")
    assert event.data["works_unpublished"] == [work.pk]


def test_ending_a_termination_takes_the_standing_of_imposing_one(ana, mo, lee):
    """REQ: MOD-5, MOD-7"""
    sanction = sanction_apply(actor=lee, user=ana, kind="termination", reason_code="abuse")
    with pytest.raises(ApplicationError, match="staff role does not allow"):
        sanction_lift(actor=mo, sanction=sanction, reason="Changed my mind.")
    sanction.refresh_from_db()
    assert sanction.lifted_at is None
    with pytest.raises(ApplicationError) as refused:
        sanction_apply(
            actor=mo,
            user=ana,
            kind="warning",
            reason_code="abuse",
            starts_at=timezone.now() - timedelta(days=2),
        )
    assert "starts_at" in refused.value.fields
