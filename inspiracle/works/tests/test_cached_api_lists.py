"""GET /api/works/public keeps its pages in the cache (core/api.py ``Shared``): every change a summary shows
reaches the next caller at once, an unchanged page costs one small query, and a page is shared only by callers
who would read the same words and links. The owner's own list is never shared (issue 14, bench/web.py)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from inspiracle.accounts.services.profile import profile_update
from inspiracle.moderation.services import content_mask
from inspiracle.works.marks import work_exclusive_lift, work_exclusive_mark
from inspiracle.works.services import work_unpublish, work_update
from inspiracle.works.tests.test_upload import token_client

pytestmark = pytest.mark.django_db


def public(client: Client | None = None, **query) -> dict:
    response = (client or Client()).get("/api/works/public", query)
    assert response.status_code == 200, response.content
    return response.json()


def test_a_change_to_what_a_summary_shows_reaches_the_next_caller_at_once(published_work, ana, mo):
    """REQ: MOD-4, WRK-3
    GIVEN the public list answered once (and kept) WHEN the work's tags, exclusive mark, its maker's display
    name, a staff mask or an unpublication change THEN the very next call shows the change."""
    work = published_work(title="Spring rain", seed=1)
    assert public()["items"][0]["title"] == "Spring rain"
    assert public(tag="harbour")["items"] == []

    work_update(actor=ana, work=work, changes={"tags": ["harbour"]})
    assert [item["id"] for item in public(tag="harbour")["items"]] == [work.pk]

    now = timezone.now()
    work_exclusive_mark(work=work, since=now, until=now + timedelta(days=30), reason="test")
    assert public()["items"][0]["exclusive"] is True
    work_exclusive_lift(work=work, reason="test")
    assert public()["items"][0]["exclusive"] is False

    profile_update(user=ana, changes={"display_name": "Ana Brushwork"})
    assert public()["items"][0]["owner_name"] == "Ana Brushwork"

    content_mask(actor=mo, work=work, part="title", reason_code="insult_defamation", message="a name")
    assert public()["items"][0]["title"] == "(title hidden by the platform)"

    work_unpublish(actor=ana, work=work)
    assert public() == {"items": [], "count": 0, "page": 1, "page_size": 24}


def test_an_unchanged_page_costs_one_query(published_work):
    for seed in range(1, 4):
        published_work(title=f"Work {seed}", seed=seed)
    for query in ({}, {"q": "work", "page_size": 2}, {"page": 2, "page_size": 2}):
        first = public(**query)
        with CaptureQueriesContext(connection) as captured:
            again = public(**query)
        assert again == first
        assert len(captured) == 1, [q["sql"] for q in captured]  # the generations


def test_a_kept_page_is_shared_only_by_callers_who_read_the_same_words_and_links(published_work, mo):
    """REQ: MOD-4: a masked title is said in the caller's language; links carry the address the caller used."""
    work = published_work(title="Spring rain", seed=1)
    content_mask(actor=mo, work=work, part="title", reason_code="insult_defamation", message="a name")
    assert public()["items"][0]["title"] == "(title hidden by the platform)"
    chinese = public(Client(headers={"Accept-Language": "zh-hans"}))["items"][0]["title"]
    assert chinese != "(title hidden by the platform)" and "Spring rain" not in chinese

    assert public()["items"][0]["url"] == f"http://testserver/works/{work.pk}/"
    elsewhere = public(Client(SERVER_NAME="localhost"))["items"][0]["url"]
    assert elsewhere == f"http://localhost/works/{work.pk}/"


def test_the_owner_reads_the_real_title_even_after_the_public_list_was_kept(published_work, ana, ben, mo):
    """REQ: MOD-4, PRV-3: the public list kept for everyone never answers a signed-in caller's own list."""
    work = published_work(title="Spring rain", seed=1)
    content_mask(actor=mo, work=work, part="title", reason_code="insult_defamation", message="a name")
    assert public(token_client(ana))["items"][0]["title"] == "(title hidden by the platform)"
    mine = token_client(ana).get("/api/works").json()["items"]
    assert [(item["id"], item["title"], item["status"]) for item in mine] == [
        (work.pk, "Spring rain", "published")
    ]
    assert token_client(ben).get("/api/works").json()["items"] == []


def test_your_own_list_loads_a_page_in_queries_that_do_not_grow_with_it(submit, ana):
    """REQ: UX-2: the token, the rows, the covers and (for a full page) the count."""
    for seed in range(1, 4):
        submit(title=f"Work {seed}", seed=seed)
    client = token_client(ana)
    client.get("/api/works")
    with CaptureQueriesContext(connection) as short:
        items = client.get("/api/works", {"page_size": 6}).json()["items"]
    with CaptureQueriesContext(connection) as full:
        client.get("/api/works", {"page_size": 2})
    assert len(items) == 3 and all(item["thumbnail_url"] for item in items)
    assert len(full) == len(short) + 1  # a full page asks for the count; a short first page knows it
