"""The inbox page and API (UX-4, UX-2): a user's own notices, newest first; nobody else's, ever."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from inspiracle.notifications.context_processors import inbox
from inspiracle.notifications.models import Notification
from inspiracle.notifications.services import notify
from inspiracle.works.tests.test_upload import token_client


def notices(user, *titles: str) -> list[Notification]:
    """One notice per title, a minute apart, the last one newest."""
    start = timezone.now() - timedelta(hours=1)
    made = []
    for i, title in enumerate(titles):
        notice = notify(user=user, template="work_approved", params={"title": title}, link=f"/works/{i + 1}/")
        Notification.objects.filter(pk=notice.pk).update(created_at=start + timedelta(minutes=i))
        made.append(notice)
    return made


def read(*made: Notification) -> None:
    Notification.objects.filter(pk__in=[n.pk for n in made]).update(read_at=timezone.now())


@pytest.fixture
def header_count(settings):
    """The context processor as config/settings.py lists it."""
    engine = {**settings.TEMPLATES[0]}
    options = {**engine["OPTIONS"]}
    processor = "inspiracle.notifications.context_processors.inbox"
    if processor not in options["context_processors"]:
        options["context_processors"] = [*options["context_processors"], processor]
    settings.TEMPLATES = [{**engine, "OPTIONS": options}, *settings.TEMPLATES[1:]]


def test_the_inbox_lists_newest_first_and_sets_unread_notices_apart(ana, client_for, header_count):
    """REQ: UX-4"""
    old, middle, new = notices(ana, "Old", "Middle", "New")
    read(middle)
    page = client_for(ana).get("/inbox/")
    html = page.content.decode()
    assert page.status_code == 200
    assert html.index("“New”") < html.index("“Middle”") < html.index("“Old”")
    assert f'class="notice unread" id="n{new.pk}"' in html
    assert f'class="prose read" id="n{middle.pk}"' in html
    assert page.context["inbox_unread"] == 2


def test_the_inbox_shows_only_the_users_own_notices(ana, cy, client_for):
    """REQ: UX-4, PRV-3"""
    notices(ana, "Ana's work")
    notices(cy, "Cy's work")
    html = client_for(cy).get("/inbox/").content.decode()
    assert "Cy’s work" in html or "Cy&#x27;s work" in html
    assert "Ana" not in html


def test_opening_a_notice_marks_it_read_and_goes_to_its_link(ana, client_for):
    """REQ: UX-4"""
    (notice,) = notices(ana, "Dawn")
    response = client_for(ana).get(f"/inbox/{notice.pk}/")
    assert response.status_code == 302 and response["Location"] == "/works/1/"
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_a_notice_without_a_link_or_with_a_foreign_one_opens_the_inbox(ana, client_for):
    plain = notify(user=ana, template="work_approved", params={"title": "Dawn"})
    forged = notify(user=ana, template="work_approved", params={"title": "Dusk"})
    Notification.objects.filter(pk=forged.pk).update(link="//evil.example/")  # bypassing validation
    for notice in (plain, forged):
        response = client_for(ana).get(f"/inbox/{notice.pk}/")
        assert response.status_code == 302 and response["Location"] == "/inbox/"


def test_another_users_notice_is_not_found_and_stays_unread(ana, cy, client_for):
    """REQ: UX-4, PRV-3"""
    (notice,) = notices(ana, "Dawn")
    assert client_for(cy).get(f"/inbox/{notice.pk}/").status_code == 404
    assert client_for(cy).get(f"/inbox/{notice.pk + 1000}/").status_code == 404
    notice.refresh_from_db()
    assert notice.read_at is None


def test_mark_all_read_marks_only_the_users_own(ana, cy, client_for):
    """REQ: UX-4"""
    notices(ana, "One", "Two")
    (cys,) = notices(cy, "Three")
    response = client_for(ana).post("/inbox/read/")
    assert response.status_code == 302 and response["Location"] == "/inbox/"
    assert not Notification.objects.filter(user=ana, read_at__isnull=True).exists()
    cys.refresh_from_db()
    assert cys.read_at is None


def test_visitors_are_sent_to_sign_in_and_the_api_refuses_them(ana):
    """REQ: UX-4"""
    (notice,) = notices(ana, "Dawn")
    visitor = Client()
    for url in ("/inbox/", f"/inbox/{notice.pk}/"):
        response = visitor.get(url)
        assert response.status_code == 302 and "/accounts/" in response["Location"], url
    assert visitor.post("/inbox/read/").status_code in (302, 403)
    for method, url in (
        ("get", "/api/inbox"),
        ("get", "/api/inbox/unread-count"),
        ("post", "/api/inbox/read"),
    ):
        assert getattr(visitor, method)(url).status_code == 401, url
    notice.refresh_from_db()
    assert notice.read_at is None


def test_the_api_lists_counts_and_marks_read(ana):
    """REQ: UX-4, UX-2"""
    old, middle, new = notices(ana, "Old", "Middle", "New")
    read(middle)
    api = token_client(ana)
    listed = api.get("/api/inbox").json()["items"]
    assert [n["id"] for n in listed] == [new.pk, middle.pk, old.pk]
    assert listed[0]["subject"] == "Your work “New” is published"
    assert listed[0]["kind"] == "work.approved" and listed[0]["link"] == "http://testserver/works/3/"
    assert [n["id"] for n in api.get("/api/inbox?unread=true").json()["items"]] == [new.pk, old.pk]
    assert api.get("/api/inbox?page=2").json()["items"] == []
    assert api.get("/api/inbox/unread-count").json() == {"unread": 2}

    assert api.post("/api/inbox/read", {"ids": [new.pk]}, content_type="application/json").json() == {
        "marked": 1,
        "unread": 1,
    }
    assert api.post("/api/inbox/read", {"ids": []}, content_type="application/json").json()["marked"] == 0
    # An empty body (curl -X POST with no data) marks them all.
    assert api.post("/api/inbox/read", "", content_type="application/json").json() == {
        "marked": 1,
        "unread": 0,
    }


def test_the_api_ignores_another_users_ids_without_saying_they_exist(ana, cy):
    """REQ: UX-4, PRV-3"""
    (anas,) = notices(ana, "Dawn")
    (cys,) = notices(cy, "Dusk")
    response = token_client(cy).post(
        "/api/inbox/read", {"ids": [anas.pk, cys.pk, anas.pk + 1000]}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json() == {"marked": 1, "unread": 0}
    anas.refresh_from_db()
    assert anas.read_at is None
    assert [n["id"] for n in token_client(cy).get("/api/inbox").json()["items"]] == [cys.pk]


def test_the_api_speaks_the_requests_language(ana):
    """REQ: UX-4, UX-1"""
    notify(user=ana, template="appeal_decided", params={"outcome": "Published"})
    listed = token_client(ana).get("/api/inbox", headers={"accept-language": "zh-hans"}).json()["items"]
    assert "已发布" in listed[0]["body"]


def test_inbox_query_counts_do_not_grow_with_the_notices(ana, client_for, header_count):
    """REQ: UX-4"""
    page, api = client_for(ana), token_client(ana)

    def queries(client, url):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    notices(ana, "One")
    queries(api, "/api/inbox")  # the token's first use is recorded once
    one = (queries(page, "/inbox/"), queries(api, "/api/inbox"))
    notices(ana, *[f"Work {i}" for i in range(20)])
    assert (queries(page, "/inbox/"), queries(api, "/api/inbox")) == one


@pytest.mark.django_db
def test_the_header_count_costs_visitors_nothing_and_users_one_query(ana, django_assert_num_queries):
    """REQ: UX-4"""
    notices(ana, "One", "Two")
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with django_assert_num_queries(0):
        assert inbox(request) == {"inbox_unread": 0}
    request.user = ana
    with django_assert_num_queries(1):
        assert inbox(request) == {"inbox_unread": 2}
