"""A database lock that outlasts its wait (SQLite under a burst of writers) is a 503 with Retry-After, never a
500: nothing was written and the same request works a moment later."""

import pytest
from django.db import OperationalError

pytestmark = pytest.mark.django_db


def _locked(**kwargs):
    raise OperationalError("database is locked")


def test_a_locked_database_answers_503_with_retry_after_in_the_api_and_on_pages(ana, monkeypatch, client_for):
    client = client_for(ana)
    with monkeypatch.context() as patched:
        patched.setattr("inspiracle.notifications.selectors.unread_count", _locked)
        api = client.get("/api/inbox/unread-count")
    assert api.status_code == 503 and api["Retry-After"] == "5"
    assert api.json()["error"]["code"] == "busy"
    # Only writes wait for the lock (reads go on under WAL), so the error page itself renders.
    monkeypatch.setattr("inspiracle.notifications.selectors.notification_list_for_user", _locked)
    page = client.get("/inbox/")
    assert page.status_code == 503 and page["Retry-After"] == "5"
    assert "try again in a few seconds" in page.content.decode()


def test_other_database_errors_stay_server_errors(ana, monkeypatch, client_for):
    def broken(**kwargs):
        raise OperationalError("no such table: x")

    monkeypatch.setattr("inspiracle.notifications.selectors.unread_count", broken)
    assert client_for(ana).get("/api/inbox/unread-count").status_code == 500
