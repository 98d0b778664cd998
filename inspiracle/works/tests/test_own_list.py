"""GET /api/works, one's own works, is read in plain SQL and never cached (works/selectors.py ``OwnerSummaries``,
issue 14): it answers what the ORM's query answers, and an upload, an edit or a change of status shows on the very
next call."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inspiracle.moderation.services import content_mask, review_approve
from inspiracle.works import selectors
from inspiracle.works.files import derivative_url
from inspiracle.works.services import work_delete, work_unpublish, work_update
from inspiracle.works.tests.test_upload import token_client

pytestmark = pytest.mark.django_db


def test_the_plain_statements_answer_what_the_orm_query_answers(published_work, submit, ana, ben, mo):
    """REQ: WRK-3, MOD-4: the same works, order, states, titles and covers (a masked cover is skipped; a
    published work's cover has its public address, another's the checked one), page by page."""
    shown = published_work(title="Shown", seed=1)
    masked = published_work(title="Masked", seed=2)
    content_mask(actor=mo, work=masked, part="title", reason_code="insult_defamation", message="a name")
    cover = masked.files.get()
    content_mask(actor=mo, work=masked, part="file", file_id=cover.pk, reason_code="insult_defamation")
    waiting = submit(title="Waiting", seed=3)
    gone = submit(title="Gone", seed=4)
    work_delete(actor=ana, work=gone)
    for status in ("", "published", "awaiting_review", "deleted", "no such status"):
        orm = selectors.as_summaries(selectors.work_list_for_owner(ana, status=status))
        plain = selectors.OwnerSummaries(ana.pk, status=status)
        assert len(plain) == orm.count()
        for start, stop in ((0, 24), (0, 1), (1, 3), (5, 8)):
            assert plain[start:stop] == selectors.summaries(list(orm[start:stop])), (status, start, stop)
    mine = {summary.id: summary for summary in selectors.OwnerSummaries(ana.pk)[0:24]}
    assert set(mine) == {shown.pk, masked.pk, waiting.pk}
    assert mine[masked.pk].thumbnail_url is None and mine[masked.pk].title == "Masked"
    assert mine[shown.pk].thumbnail_url == derivative_url(shown, shown.files.get(), "thumbnail")
    assert mine[shown.pk].thumbnail_url.startswith("/works/public/")
    assert mine[waiting.pk].thumbnail_url == derivative_url(waiting, waiting.files.get(), "thumbnail")
    assert mine[waiting.pk].thumbnail_url.startswith(f"/works/{waiting.pk}/files/")
    assert selectors.OwnerSummaries(ben.pk)[0:24] == [] and len(selectors.OwnerSummaries(ben.pk)) == 0


def test_an_upload_an_edit_and_a_change_of_status_show_on_the_next_call(
    submit, published_work, ana, mo, client_for
):
    """REQ: UX-2, WRK-8"""
    client = token_client(ana)

    def rows(**query):
        response = client.get("/api/works", query)
        assert response.status_code == 200, response.content
        return [(item["title"], item["status"]) for item in response.json()["items"]]

    assert rows() == []
    work = published_work(title="Spring rain", seed=1)
    assert rows() == [("Spring rain", "published")]
    submit(title="Harbour", seed=2)
    assert rows() == [("Harbour", "awaiting_review"), ("Spring rain", "published")]
    work_update(actor=ana, work=work, changes={"title": "Autumn rain"})
    assert rows(status="awaiting_review") == [
        ("Harbour", "awaiting_review"),
        ("Autumn rain", "awaiting_review"),
    ]
    assert rows(status="published") == []
    work.refresh_from_db()
    review_approve(actor=mo, work=work)
    work.refresh_from_db()
    work = work_unpublish(actor=ana, work=work)
    work.refresh_from_db()
    assert rows(status="unpublished") == [("Autumn rain", "unpublished")]
    item = client.get("/api/works", {"status": "unpublished"}).json()["items"][0]
    assert item["thumbnail_url"] == derivative_url(work, work.files.get(), "thumbnail")
    assert item["url"] == f"http://testserver/works/{work.pk}/"
    assert client_for(ana).get(item["thumbnail_url"]).status_code == 200


def test_a_full_page_costs_one_more_statement_than_a_short_one(submit, ana):
    """REQ: UX-2: the token, the rows, the covers, and the count only when a page is full."""
    for seed in range(1, 4):
        submit(title=f"Work {seed}", seed=seed)
    client = token_client(ana)
    client.get("/api/works")
    with CaptureQueriesContext(connection) as short:
        body = client.get("/api/works", {"page_size": 6}).json()
    with CaptureQueriesContext(connection) as full:
        first = client.get("/api/works", {"page_size": 2}).json()
    assert len(short) == 3 and len(full) == 4, [q["sql"] for q in full]
    assert body["count"] == first["count"] == 3 and len(first["items"]) == 2
    last = client.get("/api/works", {"page_size": 2, "page": 2}).json()
    assert [item["title"] for item in first["items"] + last["items"]] == ["Work 3", "Work 2", "Work 1"]
