"""Every access function of messaging, for every role and every record: nobody reads a thread, message or file
they are not party to; staff handling abuse read a thread only while a report about it is open.
REQ: COM-7, PRV-3, MOD-7"""

import pytest
from django.contrib.auth.models import AnonymousUser

from inspiracle.core.testing import access_outcome, make_user
from inspiracle.messaging import permissions
from inspiracle.messaging.models import Message, Thread
from inspiracle.messaging.services import thread_report, thread_report_decide, thread_start
from inspiracle.messaging.tests.conftest import PDF_FILE

ROLES = ("visitor", "outsider", "writer", "reader", "moderator", "legal_officer", "admin")
STAFF = {"moderator", "legal_officer", "admin"}
PARTIES = {"writer", "reader"}


@pytest.fixture
def world(ana, cy, olga, mo, lee, ada, thread, send):
    """Cy (writer) and Ana (reader) share a thread with a file, reported by Ana and still open; a second
    thread of theirs was reported and the report decided; Olga (outsider) has a thread with Mo of her own."""
    message = send(thread, cy, "A brief for you", files=[PDF_FILE])
    other = thread_start(kind=Thread.Kind.REQUEST, first=cy, second=ana, topic="Licence", topic_path="/x/1/")
    decided_message = send(other, cy, "Another")
    decided = thread_report(reporter=ana, thread=other, message=decided_message, reason="Spam")
    thread_report_decide(actor=lee, report=decided, outcome="dismiss")
    records = {
        "thread": thread,
        "message": message,
        "attachment": message.attachments.get(),
        "report": thread_report(reporter=ana, thread=thread, message=message, reason="Rude"),
        "decided_thread": other,
        "decided_report": decided,
    }
    foreign = thread_start(kind=Thread.Kind.DIRECT, first=olga, second=make_user("pia"), topic="Hi")
    send(foreign, olga, "Olga's own")
    users = {
        "visitor": AnonymousUser(),
        "outsider": olga,
        "writer": cy,
        "reader": ana,
        "moderator": mo,
        "legal_officer": lee,
        "admin": ada,
    }
    return users, records


outcome = access_outcome


ONLY_PARTIES = {role: "ok" if role in PARTIES else "not_found" for role in ROLES}
ONLY_READER = {role: "ok" if role == "reader" else "not_found" for role in ROLES}
ONLY_STAFF = {role: "ok" if role in STAFF else "not_found" for role in ROLES}
NOBODY = dict.fromkeys(ROLES, "not_found")

MATRIX = {
    # access function, record -> expected outcome per role
    ("thread_for_participant", "thread"): ONLY_PARTIES,
    ("thread_for_participant", "decided_thread"): ONLY_PARTIES,
    # Only the other side reports a message: Cy wrote it (he cannot report his own in the service).
    ("message_for_report", "message"): ONLY_PARTIES,
    ("attachment_for_download", "attachment"): ONLY_PARTIES,
    ("report_for_staff", "report"): ONLY_STAFF,
    ("report_for_staff", "decided_report"): ONLY_STAFF,
    ("thread_for_staff_review", "thread"): ONLY_STAFF,
    # No open report any more: not even staff read the thread.
    ("thread_for_staff_review", "decided_thread"): NOBODY,
    ("attachment_for_staff_review", "attachment"): ONLY_STAFF,
}


@pytest.mark.parametrize(("name", "kind"), list(MATRIX))
def test_each_role_reaches_exactly_the_records_it_should(world, name, kind):
    users, records = world
    function = getattr(permissions, f"access_{name}")
    seen = {role: outcome(lambda role=role: function(users[role], records[kind].pk)) for role in ROLES}
    assert seen == MATRIX[(name, kind)]


@pytest.mark.parametrize(("name", "kind"), list(MATRIX))
def test_an_unknown_id_is_not_found_for_everyone(world, name, kind):
    users, _records = world
    function = getattr(permissions, f"access_{name}")
    assert {outcome(lambda role=role: function(users[role], 10**9)) for role in ROLES} == {"not_found"}


def test_a_hidden_message_and_its_file_are_no_longer_reachable_by_the_parties(world, lee):
    """REQ: COM-7"""
    users, records = world
    thread_report_decide(actor=lee, report=records["report"], outcome="action")
    assert Message.objects.get(pk=records["message"].pk).is_hidden
    for role in PARTIES:
        user = users[role]
        assert (
            outcome(lambda u=user: permissions.access_message_for_report(u, records["message"].pk))
            == "not_found"
        )
        assert outcome(
            lambda u=user: permissions.access_attachment_for_download(u, records["attachment"].pk)
        ) == ("not_found")
        assert (
            outcome(lambda u=user: permissions.access_thread_for_participant(u, records["thread"].pk)) == "ok"
        )


@pytest.mark.parametrize(
    ("page", "api_url"),
    [
        ("/messages/{thread}/", "/api/threads/{thread}"),
        ("/messages/{thread}/report/", None),
        ("/messages/attachments/{attachment}/", "/api/messages/attachments/{attachment}"),
    ],
)
def test_pages_and_api_answer_not_found_to_an_outsider_as_for_a_missing_id(world, client_for, page, api_url):
    """REQ: COM-7, PRV-3"""
    users, records = world
    ids = {"thread": records["thread"].pk, "attachment": records["attachment"].pk}
    missing = {"thread": 10**9, "attachment": 10**9}
    for url in filter(None, (page, api_url)):
        assert client_for(users["outsider"]).get(url.format(**ids)).status_code == 404
        assert client_for(users["writer"]).get(url.format(**missing)).status_code == 404
        assert client_for(users["writer"]).get(url.format(**ids)).status_code == 200


def test_staff_pages_and_api_are_not_found_for_non_staff(world, client_for, api):
    """REQ: MOD-7"""
    users, records = world
    for role in ("outsider", "writer", "reader"):
        client = client_for(users[role])
        assert client.get("/staff/messages/reports/").status_code == 404
        assert client.get(f"/staff/messages/reports/{records['report'].pk}/").status_code == 404
        assert api(users[role]).get("/api/staff/message-reports").status_code in (403, 404)
    assert client_for(users["moderator"]).get("/staff/messages/reports/").status_code == 200


def test_the_matrix_names_every_access_function():
    functions = {name.removeprefix("access_") for name in dir(permissions) if name.startswith("access_")}
    assert functions == {name for name, _kind in MATRIX}
