"""What stops a message: a participation restriction (MOD-5), the rate limits, a creator who does not accept
direct messages, a closed thread. Each refusal says why and what to do; nothing is half-done."""

from datetime import timedelta

import pytest
from django.utils import timezone

from inspiracle.messaging.models import Message, Thread
from inspiracle.messaging.services import thread_close
from inspiracle.moderation.services import sanction_apply


@pytest.fixture
def restricted(cy, mo):
    """Cy is under a participation restriction for 7 days."""
    return sanction_apply(
        actor=mo,
        user=cy,
        kind="participation",
        reason_code="abuse",
        ends_at=timezone.now() + timedelta(days=7),
    )


def test_a_restricted_user_is_refused_with_why_and_until_when_and_still_reads(
    cy, ana, olga, thread, restricted, api, client_for
):
    """REQ: MOD-5
    GIVEN Cy under a participation restriction WHEN he writes in his thread or to a creator, by API or page
    THEN he is refused with the measure, its reason and its end; his existing thread stays readable."""
    cy_api = api(cy)
    for url, data in (
        (f"/api/threads/{thread.pk}/messages", {"body": "Still here"}),
        ("/api/threads/direct", {"creator": "ana", "body": "Hello again"}),
    ):
        response = cy_api.post(url, data)
        assert response.status_code == 403, response.content
        error = response.json()["error"]
        assert error["code"] == "sanctioned" and error["kind"] == "participation"
        assert error["ends_at"] == restricted.ends_at.isoformat()
        assert "Abuse of the platform" in error["message"] and "until" in error["message"]
    assert cy_api.get(f"/api/threads/{thread.pk}").json()["restriction"]
    assert [m["body"] for m in cy_api.get(f"/api/threads/{thread.pk}").json()["messages"]] == ["Hello Ana!"]

    client = client_for(cy)
    page = client.get(f"/messages/{thread.pk}/")
    html = page.content.decode()
    assert page.status_code == 200 and "Hello Ana!" in html and "Abuse of the platform" in html
    assert 'name="body"' not in html  # no form to fill in for nothing
    refused = client.post(f"/messages/{thread.pk}/", {"body": "Still here"})
    assert refused.status_code == 403 and "Abuse of the platform" in refused.content.decode()
    assert "Abuse of the platform" in client.get("/messages/new/olga/").content.decode()
    assert Message.objects.count() == 1


def test_the_restriction_ends_on_its_minute(cy, thread, restricted, api):
    """REQ: MOD-5"""
    import time_machine

    with time_machine.travel(restricted.ends_at + timedelta(seconds=1)):
        assert api(cy).post(f"/api/threads/{thread.pk}/messages", {"body": "Back"}).status_code == 201


def test_a_restricted_user_may_still_report_abuse(cy, ana, thread, send, restricted, api):
    """REQ: MOD-5: a restriction takes away writing, not protection."""
    message = send(thread, ana, "Rude words")
    response = api(cy).post(
        f"/api/messages/{message.pk}/report", {"reason": "She insulted me."}, content_type="application/json"
    )
    assert response.status_code == 201


def test_too_many_messages_are_refused_with_retry_after(cy, thread, api, client_for, settings):
    """REQ: COM-7: threads are rate limited; every 429 says when to come back."""
    settings.MESSAGES_PER_10_MINUTES = 3
    cy_api = api(cy)
    for n in range(2):  # the fixture's first message counted too
        assert cy_api.post(f"/api/threads/{thread.pk}/messages", {"body": f"n{n}"}).status_code == 201
    refused = cy_api.post(f"/api/threads/{thread.pk}/messages", {"body": "one too many"})
    assert refused.status_code == 429 and 0 < int(refused["Retry-After"]) <= 600
    assert refused.json()["error"]["code"] == "throttled"
    page = client_for(cy).post(f"/messages/{thread.pk}/", {"body": "and from the page"})
    assert page.status_code == 429 and page["Retry-After"] and "and from the page" in page.content.decode()
    assert thread.messages.count() == 3


def test_too_many_new_direct_threads_in_a_day_are_refused(cy, api, settings, agreements):
    """REQ: COM-7"""
    from inspiracle.core.testing import make_user

    settings.DIRECT_THREADS_PER_DAY = 2
    for name in ("dana", "eli", "fay"):
        make_user(name)
    cy_api = api(cy)
    assert (
        cy_api.post("/api/threads/direct", {"creator": "dana", "topic": "Hi", "body": "1"}).status_code == 201
    )
    assert (
        cy_api.post("/api/threads/direct", {"creator": "eli", "topic": "Hi", "body": "2"}).status_code == 201
    )
    refused = cy_api.post("/api/threads/direct", {"creator": "fay", "topic": "Hi", "body": "3"})
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 600
    # Writing on in a thread one has is not a new thread.
    assert cy_api.post("/api/threads/direct", {"creator": "dana", "body": "more"}).status_code == 201
    assert Thread.objects.count() == 2


def test_a_creator_who_turned_direct_messages_off_cannot_be_written_to(ana, cy, api, client_for):
    """REQ: COM-7
    GIVEN Ana turns direct messages off on her settings page WHEN Cy tries to write to her THEN the profile
    shows no "Message" link, the page says she does not accept them, and the API refuses with 403."""
    ana_client = client_for(ana)
    assert ana_client.get("/messages/settings/").context["form"].initial == {"accepts_direct": True}
    assert ana_client.post("/messages/settings/", {}).status_code == 302
    assert api(ana).get("/api/messages/settings").json() == {"accepts_direct": False}
    cy_client = client_for(cy)
    assert "/messages/new/ana/" not in cy_client.get("/u/ana/").content.decode()
    page = cy_client.get("/messages/new/ana/")
    assert (
        "does not accept direct messages" in page.content.decode()
        and 'name="body"' not in page.content.decode()
    )
    refused = cy_client.post("/messages/new/ana/", {"topic": "Hi", "body": "Hello"})
    assert refused.status_code == 403
    response = api(cy).post("/api/threads/direct", {"creator": "ana", "topic": "Hi", "body": "Hello"})
    assert response.status_code == 403 and response.json()["error"]["code"] == "direct_closed"
    assert not Thread.objects.exists()
    assert api(ana).put(
        "/api/messages/settings", {"accepts_direct": True}, content_type="application/json"
    ).json() == {"accepts_direct": True}
    assert (
        api(cy).post("/api/threads/direct", {"creator": "ana", "topic": "Hi", "body": "Hello"}).status_code
        == 201
    )


def test_turning_direct_messages_off_keeps_the_threads_one_has(ana, cy, thread, api, client_for):
    """REQ: COM-7"""
    api(ana).put("/api/messages/settings", {"accepts_direct": False}, content_type="application/json")
    assert api(cy).post(f"/api/threads/{thread.pk}/messages", {"body": "Still ok"}).status_code == 201
    assert api(cy).post("/api/threads/direct", {"creator": "ana", "body": "And here"}).status_code == 201
    assert "/messages/new/ana/" in client_for(cy).get("/u/ana/").content.decode()  # leads to their thread


def test_nobody_writes_in_a_closed_thread_but_both_still_read_it(ana, cy, thread, api):
    """REQ: COM-7"""
    thread_close(thread=thread)
    response = api(ana).post(f"/api/threads/{thread.pk}/messages", {"body": "Late"})
    assert response.status_code == 409 and response.json()["error"]["code"] == "thread_closed"
    assert api(cy).get(f"/api/threads/{thread.pk}").json()["closed_at"]


def test_nobody_writes_to_themselves(ana, api):
    response = api(ana).post("/api/threads/direct", {"creator": "ana", "topic": "Me", "body": "Note"})
    assert response.status_code == 400 and not Thread.objects.exists()
