"""The account's moderation page and its API (UX-3): sanctions (MOD-5), strikes (MOD-6), all audited (MOD-8)."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from inspiracle.audit.models import AuditEvent
from inspiracle.moderation.models import Sanction, Strike
from inspiracle.moderation.services import review_claim, sanction_apply, strike_record
from inspiracle.notifications.models import Notification
from inspiracle.works.models import Work

NOW = datetime(2026, 3, 2, 4, 0, tzinfo=UTC)  # 12:00 in Shanghai


def post_json(client, url, data):
    return client.post(url, data, content_type="application/json")


def error_fields(response) -> set[str]:
    """The fields an API refusal names (a validation error prefixes them with the body's name)."""
    return {name.rsplit(".", 1)[-1] for name in response.json()["error"]["fields"]}


def suspend_form(**extra):
    return {"form": "sanction", "kind": "suspension", "reason_code": "abuse", "message": "Spam.", **extra}


@time_machine.travel(NOW, tick=False)
def test_a_moderator_suspends_ana_for_seven_days_through_the_page(ana, mo, client_for):
    """REQ: MOD-5, MOD-8
    GIVEN Mo on Ana's moderation page
    WHEN Mo suspends her for 7 days
    THEN the suspension runs from now for 7 days, the audit log says who did what and why, Ana is told, and
    the page shows the measure in force with who applied it."""
    client = client_for(mo)
    page = client.get("/staff/accounts/ana/")
    assert page.status_code == 200 and "Apply the measure" in page.content.decode()

    response = client.post("/staff/accounts/ana/", suspend_form(days="7"))

    assert response.status_code == 302 and response["Location"] == "/staff/accounts/ana/"
    sanction = Sanction.objects.get(user=ana)
    assert (sanction.kind, sanction.starts_at, sanction.ends_at) == (
        "suspension",
        NOW,
        NOW + timedelta(days=7),
    )
    assert sanction.created_by == mo and sanction.message == "Spam."
    event = AuditEvent.objects.get(action="sanction.applied")
    assert (event.actor_id, event.target_id, event.reason) == (mo.pk, str(ana.pk), "abuse")
    assert Notification.objects.get(user=ana).template == "sanction_applied"
    shown = client.get("/staff/accounts/ana/").content.decode()
    assert f'id="sanction-{sanction.pk}"' in shown and "Suspension" in shown and "@mo" in shown
    assert "1 measure in force" in shown


@time_machine.travel(NOW, tick=False)
def test_a_moderator_suspends_ana_for_seven_days_through_the_api(ana, mo, client_for):
    """REQ: MOD-5, MOD-8"""
    client = client_for(mo)
    response = post_json(
        client, "/api/staff/accounts/ana/sanctions", {"kind": "suspension", "reason_code": "abuse", "days": 7}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["kind"], body["state"], body["created_by"]) == ("suspension", "in_force", "mo")
    assert datetime.fromisoformat(body["ends_at"]) == NOW + timedelta(days=7)
    assert AuditEvent.objects.filter(action="sanction.applied", actor_id=mo.pk).count() == 1
    assert Notification.objects.filter(user=ana, template="sanction_applied").count() == 1
    record = client.get("/api/staff/accounts/ana/moderation").json()
    assert [s["id"] for s in record["sanctions"]] == [body["id"]]


@time_machine.travel(NOW, tick=False)
def test_times_without_a_zone_are_read_in_shanghai_time(ana, mo, client_for):
    """REQ: MOD-5 — a datetime-local input (and a zoneless API time) means China Standard Time."""
    client = client_for(mo)
    client.post(
        "/staff/accounts/ana/", suspend_form(starts_at="2026-03-03T08:00", ends_at="2026-03-04T08:00")
    )
    sanction = Sanction.objects.get(user=ana)
    assert sanction.starts_at == datetime(2026, 3, 3, 0, 0, tzinfo=UTC)
    assert sanction.ends_at == datetime(2026, 3, 4, 0, 0, tzinfo=UTC)
    assert "Not started yet" in client.get("/staff/accounts/ana/").content.decode()
    via_api = post_json(
        client,
        "/api/staff/accounts/ana/sanctions",
        {"kind": "warning", "reason_code": "abuse", "ends_at": "2026-03-05T08:00:00"},
    ).json()
    assert datetime.fromisoformat(via_api["ends_at"]) == datetime(2026, 3, 5, 0, 0, tzinfo=UTC)
    assert via_api["state"] == "in_force"


def test_a_moderator_cannot_terminate_but_a_legal_officer_can(ana, mo, lee, client_for):
    """REQ: MOD-5, MOD-7"""
    termination = {"kind": "termination", "reason_code": "impersonation"}
    assert 'value="termination"' not in client_for(mo).get("/staff/accounts/ana/").content.decode()
    refused = post_json(client_for(mo), "/api/staff/accounts/ana/sanctions", termination)
    assert refused.status_code == 403
    assert "Your staff role does not allow this" in refused.json()["error"]["message"]
    page = client_for(mo).post("/staff/accounts/ana/", {"form": "sanction", **termination})
    assert page.status_code == 403 and "Your staff role does not allow this" in page.content.decode()
    assert not Sanction.objects.exists()

    assert 'value="termination"' in client_for(lee).get("/staff/accounts/ana/").content.decode()
    done = post_json(client_for(lee), "/api/staff/accounts/ana/sanctions", termination)
    assert done.status_code == 201 and done.json()["ends_at"] is None
    terminated = Sanction.objects.get()
    assert terminated.created_by == lee
    lift = f"/staff/sanctions/{terminated.pk}/lift/"
    assert lift in client_for(lee).get("/staff/accounts/ana/").content.decode()
    assert (
        lift not in client_for(mo).get("/staff/accounts/ana/").content.decode()
    )  # ended only by whom may apply it


def test_lifting_a_measure_needs_a_reason_and_keeps_who_and_why(ana, mo, lee, client_for):
    """REQ: MOD-5, MOD-8"""
    first = sanction_apply(actor=mo, user=ana, kind="publishing", reason_code="repeat_infringement")
    second = sanction_apply(actor=mo, user=ana, kind="participation", reason_code="abuse")
    client = client_for(mo)

    refused = client.post(f"/staff/sanctions/{first.pk}/lift/", {"reason": "  "})
    assert refused.status_code == 400 and "This field is required" in refused.content.decode()
    assert Sanction.objects.get(pk=first.pk).lifted_at is None
    lifted = client.post(f"/staff/sanctions/{first.pk}/lift/", {"reason": "The works were licensed."})
    assert lifted.status_code == 302 and lifted["Location"] == "/staff/accounts/ana/"
    first.refresh_from_db()
    assert (first.lifted_by, first.lift_reason) == (mo, "The works were licensed.")
    assert AuditEvent.objects.filter(action="sanction.lifted", actor_id=mo.pk).count() == 1
    assert "lifted by @mo" in client.get("/staff/accounts/ana/").content.decode()

    api = client_for(lee)
    no_reason = post_json(api, f"/api/staff/sanctions/{second.pk}/lift", {"reason": ""})
    assert no_reason.status_code == 400 and "reason" in error_fields(no_reason)
    done = post_json(api, f"/api/staff/sanctions/{second.pk}/lift", {"reason": "Apologised."})
    assert done.status_code == 200 and (done.json()["lifted_by"], done.json()["state"]) == ("lee", "ended")
    again = post_json(api, f"/api/staff/sanctions/{second.pk}/lift", {"reason": "Again."})
    assert again.status_code == 409 and "already ended" in again.json()["error"]["message"]


def test_a_strike_recorded_and_dismissed_keeps_who_and_why(ana, mo, lee, client_for):
    """REQ: MOD-6, MOD-8
    GIVEN Mo records a strike on Ana's page
    WHEN Lee dismisses it through the API with a reason
    THEN the strike stays on record, no longer counts, and shows who dismissed it and why."""
    page = client_for(mo).post(
        "/staff/accounts/ana/", {"form": "strike", "reason_code": "abuse", "note": "Spam in comments."}
    )
    assert page.status_code == 302
    strike = Strike.objects.get(user=ana)
    assert (strike.created_by, strike.note, strike.decision) == (mo, "Spam in comments.", None)
    assert client_for(mo).get("/api/staff/accounts/ana/moderation").json()["strikes_counting"] == 1

    refused = post_json(client_for(lee), f"/api/staff/strikes/{strike.pk}/resolve", {"status": "dismissed"})
    assert refused.status_code == 422 and "reason" in error_fields(refused)
    done = post_json(
        client_for(lee),
        f"/api/staff/strikes/{strike.pk}/resolve",
        {"status": "dismissed", "reason": "A first mistake."},
    )
    assert done.status_code == 200, done.content
    body = done.json()
    assert (body["status"], body["resolved_by"], body["resolution_reason"], body["counts"]) == (
        "dismissed",
        "lee",
        "A first mistake.",
        False,
    )
    assert AuditEvent.objects.filter(
        action="strike.dismissed", actor_id=lee.pk, reason="A first mistake."
    ).exists()
    shown = client_for(mo).get("/staff/accounts/ana/").content.decode()
    assert "Dismissed" in shown and "by @lee" in shown and "A first mistake." in shown
    twice = client_for(mo).post(
        f"/staff/strikes/{strike.pk}/resolve/", {"status": "overruled", "reason": "Changed my mind."}
    )
    assert twice.status_code == 409 and "already overruled or dismissed" in twice.content.decode()


def test_a_strike_is_overruled_from_the_page_and_a_missing_reason_shows_on_its_form(ana, mo, client_for):
    """REQ: MOD-6"""
    strike = strike_record(actor=mo, user=ana, reason_code="abuse")
    client = client_for(mo)
    missing = client.post(f"/staff/strikes/{strike.pk}/resolve/", {"status": "overruled"})
    assert missing.status_code == 400
    assert "<details open>" in missing.content.decode()  # the failed form is the open one, with its errors
    client.post(f"/staff/strikes/{strike.pk}/resolve/", {"status": "overruled", "reason": "Wrong account."})
    strike.refresh_from_db()
    assert (strike.status, strike.resolved_by, strike.resolution_reason) == (
        "overruled",
        mo,
        "Wrong account.",
    )


def test_rejecting_with_a_strike_records_one_linked_to_the_decision(
    submit, published_work, ana, mo, client_for
):
    """REQ: MOD-2, MOD-6"""
    client = client_for(mo)
    work = submit(title="Copied", seed=1)
    review_claim(actor=mo, work=work)
    page = client.post(
        f"/staff/review/{work.pk}/",
        {"kind": "reject", "reason_code": "third_party_rights", "strike": "on", "revision": work.revision},
    )
    assert page.status_code == 302
    decision = work.decisions.get()
    assert Strike.objects.get(decision=decision).reason_code == "third_party_rights"

    bulk = [submit(title=f"Bulk {i}", seed=10 + i) for i in range(2)]
    response = post_json(
        client,
        "/api/staff/review/bulk",
        {"works": [w.pk for w in bulk], "kind": "reject", "reason_code": "unsuitable", "strike": True},
    )
    assert len(response.json()["decided"]) == 2
    assert Strike.objects.filter(user=ana, decision__work__in=bulk).count() == 2

    shown = published_work(title="Shown", seed=20)
    client.post(
        f"/staff/review/{shown.pk}/act/", {"action": "takedown", "reason_code": "rumours", "strike": "1"}
    )
    assert Strike.objects.filter(decision__work=shown, decision__kind="takedown").count() == 1
    masked = post_json(
        client,
        f"/api/staff/works/{shown.pk}/mask",
        {"part": "title", "reason_code": "rumours", "strike": True},
    )
    assert masked.status_code == 409  # taken down: nothing to mask, and no strike either
    assert Strike.objects.filter(user=ana).count() == 4

    record = client.get("/api/staff/accounts/ana/moderation").json()
    assert record["strikes_counting"] == 4
    assert {s["work"] for s in record["strikes"]} == {work.pk, shown.pk, *(w.pk for w in bulk)}


def test_a_strike_only_comes_with_a_rejection(submit, mo, client_for):
    """REQ: MOD-6"""
    work = submit()
    review_claim(actor=mo, work=work)
    page = client_for(mo).post(
        f"/staff/review/{work.pk}/", {"kind": "approve", "strike": "on", "revision": work.revision}
    )
    assert page.status_code == 400 and "Only a rejection can come with a strike." in page.content.decode()
    assert Work.objects.get(pk=work.pk).status == "awaiting_review" and not Strike.objects.exists()


def test_the_review_item_shows_the_uploaders_measures_and_links_to_the_account(submit, ana, mo, client_for):
    """REQ: MOD-1, UX-3"""
    work = submit()
    sanction_apply(actor=mo, user=ana, kind="warning", reason_code="abuse")
    strike_record(actor=mo, user=ana, reason_code="rumours")
    page = client_for(mo).get(f"/staff/review/{work.pk}/").content.decode()
    assert "Warning" in page and "in force" in page and "Rumours" in page and "counts" in page
    assert 'href="/staff/accounts/ana/"' in page


def test_hostile_input_gets_a_clear_error_and_changes_nothing(ana, mo, ada, client_for):
    """REQ: MOD-5"""
    client = client_for(mo)
    url = "/api/staff/accounts/ana/sanctions"
    unknown = post_json(client, url, {"kind": "banishment", "reason_code": "abuse"})
    assert unknown.status_code == 422 and "kind" in error_fields(unknown)
    backwards = post_json(
        client,
        url,
        {
            "kind": "suspension",
            "reason_code": "abuse",
            "starts_at": "2031-01-02T00:00",
            "ends_at": "2031-01-01T00:00",
        },
    )
    assert backwards.status_code == 400 and "ends_at" in error_fields(backwards)
    both = post_json(
        client, url, {"kind": "suspension", "reason_code": "abuse", "ends_at": "2031-01-01T00:00", "days": 3}
    )
    assert both.status_code == 400 and "days" in error_fields(both)
    for bad in (
        {"days": "seven"},
        {"days": 0},
        {"days": 10**9},
        {"starts_at": "tomorrow"},
        {"message": "x" * 2001},
    ):
        wrong = post_json(client, url, {"kind": "suspension", "reason_code": "abuse", **bad})
        assert wrong.status_code == 422, bad
    reason = post_json(client, url, {"kind": "suspension", "reason_code": "because"})
    assert reason.status_code == 400 and "reason_code" in error_fields(reason)
    staff = post_json(
        client, "/api/staff/accounts/ada/sanctions", {"kind": "warning", "reason_code": "abuse"}
    )
    assert staff.status_code == 400 and "Remove the staff role first" in str(staff.json()["error"]["fields"])
    assert (
        post_json(
            client, "/api/staff/accounts/nobody/sanctions", {"kind": "warning", "reason_code": "abuse"}
        ).status_code
        == 404
    )
    assert post_json(client, "/api/staff/sanctions/999999/lift", {"reason": "x"}).status_code == 404
    assert (
        post_json(
            client, "/api/staff/strikes/999999/resolve", {"status": "dismissed", "reason": "x"}
        ).status_code
        == 404
    )
    assert post_json(client, "/api/staff/accounts/ana/strikes", {"reason_code": 5}).status_code == 422
    assert (
        client.post(
            "/api/staff/accounts/ana/sanctions", "{not json", content_type="application/json"
        ).status_code
        == 400
    )

    page = client.post("/staff/accounts/ana/", suspend_form(kind="banishment"))
    assert page.status_code == 400 and "Select a valid choice" in page.content.decode()
    page = client.post(
        "/staff/accounts/ana/", suspend_form(starts_at="2031-01-02T00:00", ends_at="2031-01-01T00:00")
    )
    assert page.status_code == 400 and "The end must be later than the start" in page.content.decode()
    page = client.post("/staff/accounts/ana/", suspend_form(ends_at="2031-01-01T00:00", days="3"))
    assert page.status_code == 400 and "not both" in page.content.decode()
    page = client.post("/staff/accounts/ana/", suspend_form(days="-1"))
    assert page.status_code == 400
    assert not Sanction.objects.exists() and not AuditEvent.objects.filter(action="sanction.applied").exists()


def test_a_reclaim_follows_the_account_to_its_new_name(ana, lee, client_for):
    """REQ: MOD-5"""
    response = client_for(lee).post(
        "/staff/accounts/ana/", {"form": "sanction", "kind": "reclaim", "reason_code": "impersonation"}
    )
    assert response.status_code == 302 and response["Location"] == f"/staff/accounts/reclaimed_{ana.pk}/"
    page = client_for(lee).get(response["Location"]).content.decode()
    assert "was @ana" in page


@pytest.mark.parametrize("who", ["ana", "cy"])
def test_non_staff_get_not_found_on_every_page_and_endpoint(who, request, ana, mo, client_for):
    """REQ: MOD-7, PRV-3"""
    sanction = sanction_apply(actor=mo, user=ana, kind="warning", reason_code="abuse")
    strike = strike_record(actor=mo, user=ana, reason_code="abuse")
    client = client_for(request.getfixturevalue(who))
    for url in ("/staff/accounts/ana/", "/staff/accounts/nobody/", "/api/staff/accounts/ana/moderation"):
        assert client.get(url).status_code == 404, url
    posts = [
        ("/staff/accounts/ana/", {"form": "sanction", "kind": "warning", "reason_code": "abuse"}),
        ("/staff/accounts/ana/", {"form": "strike", "reason_code": "abuse"}),
        (f"/staff/sanctions/{sanction.pk}/lift/", {"reason": "x"}),
        (f"/staff/strikes/{strike.pk}/resolve/", {"status": "dismissed", "reason": "x"}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 404, url
    api = [
        ("/api/staff/accounts/ana/sanctions", {"kind": "warning", "reason_code": "abuse"}),
        ("/api/staff/accounts/ana/strikes", {"reason_code": "abuse"}),
        (f"/api/staff/sanctions/{sanction.pk}/lift", {"reason": "x"}),
        (f"/api/staff/strikes/{strike.pk}/resolve", {"status": "dismissed", "reason": "x"}),
    ]
    for url, data in api:
        response = post_json(client, url, data)
        assert response.status_code == 404 and response.json()["error"]["code"] == "not_found", url
    assert Sanction.objects.count() == 1 and Strike.objects.get().status == "active"
    assert Sanction.objects.get().lifted_at is None


def test_the_account_page_and_its_api_take_the_same_queries_however_long_the_record(
    ana, mo, client_for, django_assert_num_queries
):
    """UX-3: the record page stays fast for an account with a long history."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(mo)

    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    sanction_apply(actor=mo, user=ana, kind="warning", reason_code="abuse")
    strike_record(actor=mo, user=ana, reason_code="abuse")
    one = (queries("/staff/accounts/ana/"), queries("/api/staff/accounts/ana/moderation"))
    for _i in range(4):
        sanction_apply(
            actor=mo,
            user=ana,
            kind="warning",
            reason_code="abuse",
            ends_at=timezone.now() + timedelta(days=1),
        )
        strike_record(actor=mo, user=ana, reason_code="rumours")
    with django_assert_num_queries(one[0]):
        client.get("/staff/accounts/ana/")
    with django_assert_num_queries(one[1]):
        client.get("/api/staff/accounts/ana/moderation")
