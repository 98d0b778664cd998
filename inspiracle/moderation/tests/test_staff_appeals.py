"""Appeals in the staff console and the staff API (MOD-6, UX-3): the queue, taking an appeal (never the one who
took the measure), the written exchange and the decision, every step audited (MOD-8)."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from inspiracle.audit.models import AuditEvent
from inspiracle.moderation.models import Appeal, Sanction, Strike
from inspiracle.moderation.services import (
    appeal_decide,
    appeal_open,
    appeal_take,
    content_take_down,
    sanction_apply,
    strike_record,
)
from inspiracle.notifications.models import Notification
from inspiracle.standing import PUBLISH, restriction_for
from inspiracle.works.models import Work

OWN_MEASURE = "You took the measure under appeal; another staff member must handle the appeal."


def post_json(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


@pytest.fixture
def takedown(published_work, ana, mo):
    """Mo took Ana's published work down with a strike; Ana appealed."""
    work = published_work()
    decision = content_take_down(actor=mo, work=work, reason_code="third_party_rights", strike=True)
    appeal = appeal_open(user=ana, target=decision, statement="I drew it myself; the sketches are attached.")
    return work, decision.strikes.get(), appeal


def test_an_appeal_against_a_takedown_is_handled_by_someone_else_and_upheld_through_the_pages(
    takedown, ana, mo, lee, client_for
):
    """REQ: MOD-6, MOD-8
    GIVEN Mo took down Ana's work with a strike, and Ana appealed
    WHEN Mo tries to take the appeal, then Lee takes it, writes to Ana and upholds it
    THEN Mo is refused with the reason, Ana is told of Lee's message and of the outcome, the work is public
    again and the strike is overruled by Lee with the reasons given."""
    work, strike, appeal = takedown
    url = f"/staff/appeals/{appeal.pk}/"
    mo_client, lee_client = client_for(mo), client_for(lee)

    mine = mo_client.get(url).content.decode()
    assert "Take this appeal" not in mine and "You took this measure" in mine
    assert "I drew it myself" in mine and "@mo" in mine and f"/staff/review/{work.pk}/" in mine
    refused = mo_client.post(url, {"form": "take"})
    assert refused.status_code == 403 and OWN_MEASURE in refused.content.decode()
    assert Appeal.objects.get(pk=appeal.pk).handler is None

    assert "Take this appeal" in lee_client.get(url).content.decode()
    assert lee_client.post(url, {"form": "take"}).status_code == 302
    empty = lee_client.post(url, {"form": "reply", "body": " "})
    assert empty.status_code == 400 and "This field is required" in empty.content.decode()
    assert lee_client.post(url, {"form": "reply", "body": "Please list the sketch files."}).status_code == 302
    assert Notification.objects.filter(user=ana, template="appeal_message").count() == 1
    no_reasons = lee_client.post(url, {"form": "decide", "uphold": "1", "message": ""})
    assert no_reasons.status_code == 400 and Appeal.objects.get(pk=appeal.pk).status == "open"
    decided = lee_client.post(
        url, {"form": "decide", "uphold": "1", "message": "The sketches show your work."}
    )
    assert decided.status_code == 302

    work.refresh_from_db()
    strike.refresh_from_db()
    appeal.refresh_from_db()
    assert work.status == "published"
    assert (strike.status, strike.resolved_by, strike.resolution_reason) == (
        "overruled",
        lee,
        "The sketches show your work.",
    )
    assert (appeal.status, appeal.handler, appeal.decided_by) == ("upheld", lee, lee)
    assert Notification.objects.filter(user=ana, template="appeal_decided").count() == 1
    assert list(
        AuditEvent.objects.filter(action__startswith="appeal.")
        .order_by("seq")
        .values_list("action", flat=True)
    ) == ["appeal.opened", "appeal.taken", "appeal.message", "appeal.upheld"]
    page = lee_client.get(url).content.decode()
    assert 'id="outcome"' in page and "decided by @lee" in page and "Please list the sketch files." in page
    assert "Decide the appeal" not in page


def test_the_same_flow_through_the_api(takedown, ana, mo, lee, client_for):
    """REQ: MOD-6, UX-2"""
    work, strike, appeal = takedown
    base = f"/api/staff/appeals/{appeal.pk}"
    listed = client_for(lee).get("/api/staff/appeals").json()["items"]
    assert [a["id"] for a in listed] == [appeal.pk]
    assert listed[0]["measure"] == {
        "type": "decision",
        "id": appeal.decision_id,
        "kind": "takedown",
        "reason_code": "third_party_rights",
        "taken_by": "mo",
        "taken_at": listed[0]["measure"]["taken_at"],
        "work": work.pk,
    }
    assert client_for(mo).get(base).json()["can_handle"] is False

    refused = post_json(client_for(mo), f"{base}/take")
    assert refused.status_code == 403
    assert refused.json()["error"] | {"fields": {}} == {
        "code": "own_decision",
        "message": OWN_MEASURE,
        "fields": {},
    }
    not_yet = post_json(client_for(lee), f"{base}/messages", {"body": "Hello"})
    assert not_yet.status_code == 409 and "Take the appeal" in not_yet.json()["error"]["message"]

    taken = post_json(client_for(lee), f"{base}/take")
    assert taken.status_code == 200 and taken.json()["handler"] == "lee"
    sent = post_json(client_for(lee), f"{base}/messages", {"body": "Which sketches?"})
    assert sent.status_code == 201 and sent.json()["from_staff"] is True
    assert Notification.objects.filter(user=ana, template="appeal_message").count() == 1
    decided = post_json(client_for(lee), f"{base}/decision", {"uphold": True, "message": "Original work."})
    assert decided.status_code == 200, decided.content
    body = decided.json()
    assert (body["status"], body["decided_by"], body["outcome_message"]) == (
        "upheld",
        "lee",
        "Original work.",
    )
    assert [m["body"] for m in body["messages"]] == ["Which sketches?"]
    assert Work.objects.get(pk=work.pk).status == "published"
    assert Strike.objects.get(pk=strike.pk).status == "overruled"
    again = post_json(client_for(lee), f"{base}/decision", {"uphold": False, "message": "Changed my mind."})
    assert again.status_code == 409 and "already decided" in again.json()["error"]["message"]


def test_a_denied_appeal_leaves_the_measure_standing(takedown, ana, mo, lee, client_for):
    """REQ: MOD-6
    GIVEN Ana appealed Mo's takedown and the publishing restriction Mo put on her account
    WHEN Lee denies both appeals
    THEN the work stays down, the strike still counts, the restriction is still in force, and Ana is told."""
    work, strike, appeal = takedown
    restriction = sanction_apply(actor=mo, user=ana, kind="publishing", reason_code="repeat_infringement")
    second = appeal_open(user=ana, target=restriction, statement="Please lift it.")

    page = client_for(lee).post(
        f"/staff/appeals/{appeal.pk}/", {"form": "decide", "uphold": "0", "message": "The match is exact."}
    )
    assert page.status_code == 302
    api = post_json(
        client_for(lee),
        f"/api/staff/appeals/{second.pk}/decision",
        {"uphold": False, "message": "It stands."},
    )
    assert api.status_code == 200 and api.json()["status"] == "denied"

    assert Work.objects.get(pk=work.pk).status == "taken_down"
    assert Strike.objects.get(pk=strike.pk).counts(timezone.now())
    assert restriction_for(ana, PUBLISH) == restriction
    assert Sanction.objects.get(pk=restriction.pk).lifted_at is None
    assert Notification.objects.filter(user=ana, template="appeal_decided").count() == 2
    outcome = client_for(mo).get(f"/staff/appeals/{appeal.pk}/").content.decode()
    assert "Denied: the measure stands" in outcome and "The match is exact." in outcome


def test_an_upheld_appeal_against_a_sanction_lifts_it(ana, mo, ada, client_for):
    """REQ: MOD-5, MOD-6"""
    restriction = sanction_apply(actor=mo, user=ana, kind="publishing", reason_code="abuse")
    appeal = appeal_open(user=ana, target=restriction, statement="That was my sister.")
    response = post_json(
        client_for(ada), f"/api/staff/appeals/{appeal.pk}/decision", {"uphold": True, "message": "Accepted."}
    )
    assert response.status_code == 200 and response.json()["measure"]["type"] == "sanction"
    restriction.refresh_from_db()
    assert (restriction.lifted_by, restriction.lift_reason) == (ada, "Accepted.")
    assert restriction_for(ana, PUBLISH) is None


def test_the_queue_shows_the_longest_waiting_first_and_decided_ones_in_their_tab(ana, mo, lee, client_for):
    """REQ: MOD-6, UX-3"""
    start = timezone.now()
    appeals = []
    for hours, reason in ((0, "abuse"), (1, "rumours"), (2, "unsuitable")):
        with time_machine.travel(start + timedelta(hours=hours), tick=False):
            strike = strike_record(actor=mo, user=ana, reason_code=reason)
            appeals.append(appeal_open(user=ana, target=strike, statement=f"Not {reason}."))
    appeal_decide(actor=lee, appeal=appeals[1], uphold=False, message="It stands.")
    client = client_for(lee)

    page = client.get("/staff/appeals/").content.decode()
    assert page.index(f'id="appeal-{appeals[0].pk}"') < page.index(f'id="appeal-{appeals[2].pk}"')
    assert f'id="appeal-{appeals[1].pk}"' not in page
    assert [a["id"] for a in client.get("/api/staff/appeals").json()["items"]] == [
        appeals[0].pk,
        appeals[2].pk,
    ]
    denied = client.get("/staff/appeals/?status=denied").content.decode()
    assert f'id="appeal-{appeals[1].pk}"' in denied and "@lee" in denied
    assert [a["id"] for a in client.get("/api/staff/appeals?status=denied").json()["items"]] == [
        appeals[1].pk
    ]
    assert client.get("/api/staff/appeals?status=upheld").json()["items"] == []
    assert client.get("/staff/appeals/?status=bogus").status_code == 200  # falls back to the open ones
    bogus = client.get("/api/staff/appeals?status=bogus")
    assert bogus.status_code == 422 and "status" in str(bogus.json()["error"]["fields"])


def test_the_appeals_queue_costs_the_same_queries_for_one_appeal_or_five(
    published_work, ana, mo, lee, client_for, django_assert_num_queries
):
    """UX-3: the queue and its API do not grow with the number of appeals, whatever they contest."""
    client = client_for(lee)

    def count(url):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    decision = content_take_down(actor=mo, work=published_work(), reason_code="rumours")
    appeal_open(user=ana, target=decision, statement="One.")
    one = (count("/staff/appeals/"), count("/api/staff/appeals"))

    for target in (
        strike_record(actor=mo, user=ana, reason_code="abuse"),
        strike_record(actor=mo, user=ana, reason_code="rumours"),
        sanction_apply(actor=mo, user=ana, kind="warning", reason_code="abuse"),
        content_take_down(actor=mo, work=published_work(title="Two", seed=2), reason_code="rumours"),
    ):
        appeal_take(actor=lee, appeal=appeal_open(user=ana, target=target, statement="More."))
    assert Appeal.objects.filter(status="open").count() == 5

    with django_assert_num_queries(one[0]):
        client.get("/staff/appeals/")
    with django_assert_num_queries(one[1]):
        assert len(client.get("/api/staff/appeals").json()["items"]) == 5


def test_another_staff_member_can_take_over_an_appeal(takedown, lee, ada, client_for):
    """REQ: MOD-6"""
    _work, _strike, appeal = takedown
    appeal_take(actor=lee, appeal=appeal)
    page = client_for(ada).get(f"/staff/appeals/{appeal.pk}/").content.decode()
    assert (
        "@lee handles this appeal" in page
        and "Take over this appeal" in page
        and "Decide the appeal" not in page
    )
    late = client_for(ada).post(
        f"/staff/appeals/{appeal.pk}/", {"form": "decide", "uphold": "0", "message": "No."}
    )
    assert late.status_code == 409 and "Another staff member handles this appeal" in late.content.decode()
    assert post_json(client_for(ada), f"/api/staff/appeals/{appeal.pk}/take").json()["handler"] == "ada"


def test_hostile_input_to_appeals_gets_a_clear_error(takedown, lee, client_for):
    """REQ: MOD-6"""
    _work, _strike, appeal = takedown
    client = client_for(lee)
    base = f"/api/staff/appeals/{appeal.pk}"
    for data in ({"uphold": "maybe", "message": "x"}, {"uphold": 1, "message": "x"}, {"message": "x"}):
        response = post_json(client, f"{base}/decision", data)
        assert response.status_code == 422 and "uphold" in str(response.json()["error"]["fields"]), data
    blank = post_json(client, f"{base}/decision", {"uphold": True, "message": "   "})
    assert blank.status_code == 400 and "message" in blank.json()["error"]["fields"]
    long = post_json(client, f"{base}/decision", {"uphold": True, "message": "x" * 4001})
    assert long.status_code == 422
    assert client.get("/api/staff/appeals/999999").status_code == 404
    assert post_json(client, "/api/staff/appeals/999999/take").status_code == 404
    assert client.get("/api/staff/appeals/abc").status_code == 404
    assert client.get("/staff/appeals/999999/").status_code == 404
    page = client.post(
        f"/staff/appeals/{appeal.pk}/", {"form": "decide", "uphold": "perhaps", "message": "x"}
    )
    assert page.status_code == 400 and "Select a valid choice" in page.content.decode()
    assert Appeal.objects.get(pk=appeal.pk).status == "open"


@pytest.mark.parametrize("who", ["ana", "cy"])
def test_non_staff_get_not_found_on_every_appeal_page_and_endpoint(who, request, takedown, client_for):
    """REQ: MOD-7, PRV-3 — even Ana, whose appeal it is, reaches it only through her own pages."""
    _work, _strike, appeal = takedown
    client = client_for(request.getfixturevalue(who))
    for url in (
        "/staff/appeals/",
        f"/staff/appeals/{appeal.pk}/",
        "/api/staff/appeals",
        f"/api/staff/appeals/{appeal.pk}",
    ):
        assert client.get(url).status_code == 404, url
    for data in (
        {"form": "take"},
        {"form": "reply", "body": "x"},
        {"form": "decide", "uphold": "1", "message": "x"},
    ):
        assert client.post(f"/staff/appeals/{appeal.pk}/", data).status_code == 404
    for suffix, data in (
        ("take", {}),
        ("messages", {"body": "x"}),
        ("decision", {"uphold": True, "message": "x"}),
    ):
        response = post_json(client, f"/api/staff/appeals/{appeal.pk}/{suffix}", data)
        assert response.status_code == 404 and response.json()["error"]["code"] == "not_found", suffix
    appeal.refresh_from_db()
    assert (appeal.status, appeal.handler, appeal.messages.count()) == ("open", None, 0)
