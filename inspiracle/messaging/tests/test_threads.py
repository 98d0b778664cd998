"""Writing and reading threads through the pages and the API (COM-7): unread counts, the list's order, files
checked like report documents and stored encrypted, and nothing of anyone's registration information."""

from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from inspiracle.audit.models import AuditEvent
from inspiracle.core.testing import EICAR, PDF, image_bytes
from inspiracle.messaging import selectors
from inspiracle.messaging.models import Attachment, Message, Thread
from inspiracle.messaging.panels import thread_panel_open
from inspiracle.messaging.services import thread_start
from inspiracle.notifications.models import Notification


def test_a_member_writes_to_a_creator_from_the_profile_and_both_read_the_thread(ana, cy, client_for):
    """REQ: COM-7
    GIVEN Ana's public profile WHEN Cy follows its "Message" link and writes THEN one direct thread holds his
    message, Ana sees it unread in her list and in the header, and opening it marks it read."""
    cy_client, ana_client = client_for(cy), client_for(ana)
    assert "/messages/new/ana/" in cy_client.get("/u/ana/").content.decode()
    assert "/messages/new/" not in ana_client.get("/u/ana/").content.decode()  # not to herself
    response = cy_client.post("/messages/new/ana/", {"topic": "Commission a poster", "body": "Hello Ana!"})
    thread = Thread.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/messages/{thread.pk}/"
    assert thread.kind == "direct" and thread.topic == "Commission a poster"

    listing = ana_client.get("/messages/")
    assert listing.context["messages_unread"] == 1
    assert listing.context["rows"][0].unread == 1 and "Commission a poster" in listing.content.decode()
    page = ana_client.get(f"/messages/{thread.pk}/")
    assert "Hello Ana!" in page.content.decode() and "@cy" in page.content.decode()
    assert ana_client.get("/messages/").context["messages_unread"] == 0

    # A second visit to the new-message page goes to the thread the two already have.
    assert cy_client.get("/messages/new/ana/")["Location"] == f"/messages/{thread.pk}/"
    reply = ana_client.post(f"/messages/{thread.pk}/", {"body": "Hi Cy, tell me more."})
    assert reply.status_code == 302 and reply["Location"].startswith(f"/messages/{thread.pk}/#message-")
    assert Thread.objects.count() == 1 and thread.messages.count() == 2


def test_the_api_lists_reads_writes_and_marks_read(ana, cy, thread, api):
    """REQ: COM-7, UX-2"""
    ana_api, cy_api = api(ana), api(cy)
    listed = ana_api.get("/api/threads").json()["items"]
    assert [(t["id"], t["unread"], t["other"]) for t in listed] == [
        (thread.pk, 1, {"username": "cy", "display_name": cy.profile.display_name})
    ]
    detail = ana_api.get(f"/api/threads/{thread.pk}").json()
    assert [m["body"] for m in detail["messages"]] == ["Hello Ana!"] and detail["restriction"] is None
    sent = ana_api.post(f"/api/threads/{thread.pk}/messages", {"body": "Hello Cy"})
    assert sent.status_code == 201 and sent.json()["mine"] is True
    assert cy_api.get("/api/threads").json()["items"][0]["unread"] == 1
    assert cy_api.post(f"/api/threads/{thread.pk}/read").json()["unread"] == 0
    assert cy_api.get("/api/threads").json()["items"][0]["unread"] == 0
    started = cy_api.post("/api/threads/direct", {"creator": "ana", "body": "One more thing"})
    assert started.status_code == 201 and started.json()["id"] == thread.pk  # the thread they have


def test_unread_threads_come_first_then_the_latest(ana, cy, olga, thread, send, client_for):
    """REQ: COM-7"""
    later = thread_start(
        kind=Thread.Kind.REQUEST, first=olga, second=ana, topic="Licence", topic_path="/x/2/"
    )
    send(later, olga, "About the licence")
    client = client_for(ana)
    client.get(f"/messages/{later.pk}/")  # read
    assert [row.thread.pk for row in client.get("/messages/").context["rows"]] == [thread.pk, later.pk]
    client.get(f"/messages/{thread.pk}/")
    assert [row.thread.pk for row in client.get("/messages/").context["rows"]] == [later.pk, thread.pk]


def test_a_file_is_stored_encrypted_and_handed_only_to_the_participants(
    ana, cy, olga, thread, api, client_for
):
    """REQ: COM-7, PRV-1"""
    response = api(cy).post(
        f"/api/threads/{thread.pk}/messages",
        {"body": "The brief", "files": [SimpleUploadedFile("身份证_110101.pdf", PDF)]},
    )
    assert response.status_code == 201
    attachment = Attachment.objects.get()
    with attachment.file.open("rb") as handle:
        stored = handle.read()
    assert PDF not in stored and b"%PDF" not in stored
    assert "110101" not in attachment.file.name
    url = response.json()["attachments"][0]["url"]
    download = client_for(ana).get(url)
    assert download.status_code == 200 and download.content == PDF
    assert (
        download["Content-Disposition"].startswith("attachment;")
        and "110101" not in download["Content-Disposition"]
    )
    assert "no-store" in download["Cache-Control"] and download["X-Content-Type-Options"] == "nosniff"
    assert client_for(olga).get(url).status_code == 404


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("virus.pdf", b"%PDF-1.4\n" + EICAR, "malware"),  # the report tests' hostile document
        ("page.html", b"<html><script>alert(1)</script>", "not a PDF, JPEG or PNG"),
        ("empty.png", b"", "is empty"),
        ("huge.png", image_bytes(size=(400, 400)), "larger than"),
    ],
)
def test_files_are_refused_like_report_documents_and_nothing_is_kept(
    cy, thread, api, settings, name, data, message
):
    """REQ: COM-7, RPT-3"""
    settings.REPORT_EVIDENCE_MAX_BYTES = 2000
    response = api(cy).post(
        f"/api/threads/{thread.pk}/messages",
        {"body": "See attached", "files": [SimpleUploadedFile(name, data)]},
    )
    assert response.status_code == 400, response.content
    assert message in " ".join(response.json()["error"]["fields"]["files"])
    assert thread.messages.count() == 1 and not Attachment.objects.exists()


def test_the_page_shows_a_refused_file_on_the_form_and_keeps_the_text(cy, thread, client_for):
    """REQ: COM-7"""
    page = client_for(cy).post(
        f"/messages/{thread.pk}/",
        {"body": "Keep me", "files": [SimpleUploadedFile("virus.pdf", b"%PDF-1.4\n" + EICAR)]},
    )
    assert (
        page.status_code == 400 and "malware" in page.content.decode() and "Keep me" in page.content.decode()
    )
    assert thread.messages.count() == 1


def test_an_empty_or_overlong_message_is_refused_by_field(cy, thread, api):
    """REQ: COM-7, UX-2"""
    for body in ("   ", "x" * 4001):
        response = api(cy).post(f"/api/threads/{thread.pk}/messages", {"body": body})
        assert response.status_code == 400 and "body" in response.json()["error"]["fields"]


def test_messages_are_encrypted_at_rest(ana, cy, thread):
    """REQ: COM-7, PRV-1: people put contact details in messages."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM messaging_message")
        (raw,) = cursor.fetchone()
    assert "Hello Ana!" not in raw and raw.startswith("enc1:")
    assert Message.objects.get().body == "Hello Ana!"


def test_no_registration_information_appears_in_thread_pages_or_api(ana, cy, thread, send, api, client_for):
    """REQ: COM-7, PRV-4: each side sees the other's username and display name, never the legal name, mobile,
    mailing address or e-mail address given at registration."""
    send(thread, ana, "Thanks, Cy")
    secrets = []
    for user in (ana, cy):
        info = user.registration
        secrets += [info.legal_name, info.mobile, info.mailing_address, info.email]
    answers = []
    for user in (ana, cy):
        client = client_for(user)
        answers += [client.get("/messages/"), client.get(f"/messages/{thread.pk}/")]
        answers += [api(user).get("/api/threads"), api(user).get(f"/api/threads/{thread.pk}")]
    answers.append(client_for(cy).get("/messages/new/ana/"))
    for answer in answers:
        text = answer.content.decode()
        assert answer.status_code in (200, 302)
        assert not [secret for secret in secrets if secret and secret in text]
    assert "cy.private@example.com" not in str(list(Notification.objects.values_list("params", flat=True)))


def test_each_message_is_audited_without_its_text(cy, thread):
    """REQ: AUD-1"""
    event = AuditEvent.objects.get(action="message.sent")
    assert event.actor_id == cy.pk and event.target_id == str(thread.pk)
    assert "Hello" not in str(event.data) + event.reason


def test_the_first_unread_message_is_noticed_and_e_mailed_at_most_every_15_minutes(
    ana, cy, thread, send, client_for, mailoutbox
):
    """REQ: COM-7, UX-4
    GIVEN Cy's first message told Ana (inbox and e-mail) WHEN he writes again before she reads THEN nothing
    more is sent; after she reads, his next message is noticed again, but e-mailed only once 15 minutes
    have passed since the last e-mail."""
    notices = Notification.objects.filter(user=ana, kind="message.received")
    assert notices.count() == 1 and len(mailoutbox) == 1
    assert "@cy" in mailoutbox[0].subject and "Hello Ana!" not in mailoutbox[0].body
    send(thread, cy, "Are you there?")
    assert notices.count() == 1 and len(mailoutbox) == 1
    client_for(ana).get(f"/messages/{thread.pk}/")
    assert not notices.filter(read_at__isnull=True).exists()  # reading the thread reads its notice
    send(thread, cy, "Third")
    assert notices.count() == 2 and len(mailoutbox) == 1
    client_for(ana).get(f"/messages/{thread.pk}/")
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        send(thread, cy, "Fourth")
    assert notices.count() == 3 and len(mailoutbox) == 2
    assert Notification.objects.filter(user=cy, kind="message.received").count() == 0


def test_the_thread_list_and_thread_do_not_grow_a_query_per_row(ana, cy, thread, send, client_for, api, olga):
    """REQ: COM-7"""
    client, token = client_for(ana), api(ana)
    client.get("/messages/")  # the first request of a session (or with a token) records things once
    token.get("/api/threads")
    paths = ("/messages/", f"/messages/{thread.pk}/", "/api/threads", f"/api/threads/{thread.pk}")
    counts = {}
    for path in paths:
        caller = token if path.startswith("/api/") else client
        with CaptureQueriesContext(connection) as queries:
            assert caller.get(path).status_code == 200
        counts[path] = len(queries)
    for n in range(4):
        other = thread_start(
            kind=Thread.Kind.REQUEST, first=olga, second=ana, topic=f"T{n}", topic_path=f"/x/{n}/"
        )
        send(other, olga, "More", files=[("a.pdf", PDF)])
        send(thread, cy, f"More {n}", files=[("b.pdf", PDF)])
    for path, count in counts.items():
        caller = token if path.startswith("/api/") else client
        with CaptureQueriesContext(connection) as queries:
            assert caller.get(path).status_code == 200
        assert len(queries) == count, (path, [q["sql"] for q in queries.captured_queries])


def test_a_licensing_thread_points_to_its_page_and_its_notice_links_there(ana, cy, send):
    """REQ: COM-7: a thread about a request is read on the request's page."""
    thread = thread_start(
        kind=Thread.Kind.REQUEST, first=cy, second=ana, topic="Licence for “Dawn”", topic_path="/r/7/"
    )
    send(thread, cy, "Request details")
    assert Notification.objects.get(user=ana).link == "/r/7/"
    with pytest.raises(Exception, match="two different people"):
        thread_start(kind=Thread.Kind.REQUEST, first=cy, second=cy, topic="Self")


def test_a_page_embeds_a_thread_with_one_call_and_its_form_comes_back_to_that_page(
    ana, thread, client_for, rf
):
    """REQ: COM-7: a licensing request's page shows its thread (``thread_panel_open`` + ``_thread.html``)."""
    request = rf.get("/r/7/")
    request.user = ana
    html = render_to_string(
        "messaging/_thread.html", {"panel": thread_panel_open(request, thread)}, request=request
    )
    assert "Hello Ana!" in html and 'name="next" value="/r/7/"' in html
    assert f'action="/messages/{thread.pk}/"' in html
    assert not Notification.objects.filter(user=ana, read_at__isnull=True).exists()  # opened: read
    client = client_for(ana)
    back = client.post(f"/messages/{thread.pk}/", {"body": "From the request page", "next": "/r/7/"})
    assert back["Location"].startswith("/r/7/#message-")
    elsewhere = client.post(f"/messages/{thread.pk}/", {"body": "Again", "next": "//evil.example/"})
    assert elsewhere["Location"].startswith(f"/messages/{thread.pk}/#message-")


def test_a_long_thread_opens_on_its_newest_messages_with_the_earlier_ones_a_page_away(
    ana, cy, thread, send, client_for, api, monkeypatch
):
    """REQ: COM-7"""
    monkeypatch.setattr(selectors, "MESSAGES_PAGE", 2)
    for n in range(2, 6):
        send(thread, cy, f"Message {n}")
    page = client_for(ana).get(f"/messages/{thread.pk}/").content.decode()
    assert "Message 5" in page and "Message 4" not in page and "?thread_page=2" in page
    earlier = client_for(ana).get(f"/messages/{thread.pk}/?thread_page=1").content.decode()
    assert "Hello Ana!" in earlier and "Message 2" in earlier and "Message 5" not in earlier
    detail = api(ana).get(f"/api/threads/{thread.pk}").json()
    assert (detail["page"], detail["pages"], [m["body"] for m in detail["messages"]]) == (3, 3, ["Message 5"])
    first = api(ana).get(f"/api/threads/{thread.pk}?page=1").json()
    assert [m["body"] for m in first["messages"]] == ["Hello Ana!", "Message 2"]
