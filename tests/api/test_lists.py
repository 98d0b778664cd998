"""Every list of the API answers one shape, ``{"items", "count", "page", "page_size"}``, pages within bounds
and shows summaries (issue 14, UX-2): a client pages every list the same way, no request asks the database for
an unbounded page, and a list of works does not carry each work's licence text."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from config.api import api
from inspiracle.core.api import MAX_PAGE, MAX_PAGE_SIZE
from inspiracle.works.files import derivative_url
from inspiracle.works.models import Work
from inspiracle.works.tests.test_upload import token_client

PAGED = {"items", "count", "page", "page_size"}


def _document() -> dict:
    return api.get_openapi_schema()


def _answer(operation: dict) -> dict:
    content = operation["responses"].get(200, {}).get("content", {})
    return content.get("application/json", {}).get("schema", {})


def _list_paths() -> list[str]:
    """Every GET whose answer is a page: the paginator names its schema ``Paged<row schema>``."""
    paths = _document()["paths"]
    return sorted(
        path
        for path, methods in paths.items()
        if "get" in methods and _answer(methods["get"]).get("$ref", "").rsplit("/", 1)[-1].startswith("Paged")
    )


LISTS = _list_paths()


def test_no_endpoint_answers_a_bare_array():
    """REQ: UX-2. A list that answered ``[...]`` could not say how many rows there are nor be paged alike."""
    bare = [
        (method, path)
        for path, methods in _document()["paths"].items()
        for method, operation in methods.items()
        if method == "get" and _answer(operation).get("type") == "array"
    ]
    assert bare == []
    assert len(LISTS) >= 40  # every list of the API, found by its schema, not listed by hand


@pytest.mark.parametrize("path", LISTS)
def test_each_list_answers_the_paginated_shape_with_bounded_parameters(path):
    """REQ: UX-2"""
    document = _document()
    operation = document["paths"][path]["get"]
    name = _answer(operation)["$ref"].rsplit("/", 1)[-1]
    schema = document["components"]["schemas"][name]
    assert set(schema["properties"]) == PAGED
    assert set(schema["required"]) == PAGED
    assert schema["properties"]["items"]["type"] == "array"
    parameters = {p["name"]: p["schema"] for p in operation["parameters"] if p["in"] == "query"}
    assert parameters["page"]["minimum"] == 1 and parameters["page"]["maximum"] == MAX_PAGE
    page_size = parameters["page_size"]
    bounds = page_size.get("anyOf", [page_size])[0]
    assert bounds["minimum"] == 1 and bounds["maximum"] == MAX_PAGE_SIZE
    assert 422 in operation["responses"]


def test_the_description_documents_the_shape_once():
    """REQ: UX-2"""
    description = _document()["info"]["description"]
    assert description.count('"count"') == 1 and "page_size" in description


@pytest.fixture
def gallery(published_work) -> list[Work]:
    """Five published works: one through upload and review, four copies of it (its files and tags too),
    published a second apart, the newest last."""
    original = published_work(title="Spring rain")
    files, tags = list(original.files.all()), list(original.tags.all())
    works = [original]
    for n in range(4):
        copy = Work.objects.get(pk=original.pk)
        copy.pk = copy.id = None
        copy.title = f"Copy {n}"
        copy.published_at = original.published_at + timedelta(seconds=n + 1)
        copy.save()
        copy.tags.set(tags)
        for row in files:
            row.pk = row.id = None
            row.work = copy
            row.save()
        works.append(copy)
    return works


def test_pages_of_the_gallery_add_up_to_the_count(gallery):
    """REQ: UX-2: every page says the whole count; the pages together are the list, newest first; a page
    past the last is empty and still counts."""
    visitor = Client()
    pages = [visitor.get("/api/works/public", {"page": n, "page_size": 2}).json() for n in (1, 2, 3, 4)]
    assert [page["count"] for page in pages] == [5, 5, 5, 5]
    assert [page["page"] for page in pages] == [1, 2, 3, 4]
    assert {page["page_size"] for page in pages} == {2}
    ids = [item["id"] for page in pages for item in page["items"]]
    assert ids == [w.pk for w in reversed(gallery)]
    assert pages[3]["items"] == []
    assert visitor.get("/api/works/public", {"q": "Copy"}).json()["count"] == 4


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"page": 0}, "page"),
        ({"page": -1}, "page"),
        ({"page": MAX_PAGE + 1}, "page"),
        ({"page": 2**70}, "page"),
        ({"page": "x"}, "page"),
        ({"page_size": 0}, "page_size"),
        ({"page_size": -5}, "page_size"),
        ({"page_size": MAX_PAGE_SIZE + 1}, "page_size"),
        ({"page_size": 2**70}, "page_size"),
    ],
)
def test_a_page_out_of_bounds_is_refused_naming_the_field(db, query, field):
    """REQ: UX-2: refused with 422, never a server error or an unbounded query."""
    response = Client().get("/api/works/public", query)
    assert response.status_code == 422, response.content
    assert set(response.json()["error"]["fields"]) == {field}


def test_the_largest_page_is_answered(gallery):
    """REQ: UX-2"""
    found = Client().get("/api/works/public", {"page": MAX_PAGE, "page_size": MAX_PAGE_SIZE}).json()
    assert found["items"] == [] and found["count"] == 5


def test_a_gallery_summary_says_what_a_card_shows_and_no_licence_text(gallery):
    """REQ: WRK-3, UX-2: about 13 KB of agreement text per work made a page of the gallery slow to load."""
    response = Client().get("/api/works/public")
    item = response.json()["items"][0]
    assert set(item) == {
        "id",
        "url",
        "title",
        "owner",
        "owner_name",
        "category",
        "ai_use",
        "exclusive",
        "thumbnail_url",
        "uploaded_at",
        "published_at",
    }
    newest = gallery[-1]
    cover = newest.files.order_by("position", "pk").first()
    assert item["id"] == newest.pk and item["owner"] == "ana"
    assert item["thumbnail_url"] == derivative_url(newest, cover, "thumbnail")  # the address the pages use
    agreement = gallery[0].licence_version
    body = response.content.decode()
    assert agreement.label not in body and "licence" not in body
    assert len(response.content) < 600 * len(gallery)


def test_your_own_list_adds_the_status_and_never_shows_another_users_works(gallery, ana, ben, submit):
    """REQ: WRK-3, PRV-3"""
    waiting = submit(title="Awaiting", seed=7)
    mine = token_client(ana).get("/api/works", {"page_size": 100}).json()
    assert mine["count"] == 6
    assert {item["status"] for item in mine["items"]} == {"published", "awaiting_review"}
    assert waiting.pk in {item["id"] for item in mine["items"]}
    theirs = token_client(ben).get("/api/works").json()
    assert theirs == {"items": [], "count": 0, "page": 1, "page_size": 24}


def test_the_gallery_loads_a_page_in_queries_that_do_not_grow_with_it(gallery):
    """REQ: UX-2: the row, the covers, the count; never the tags, the licence or every file."""
    with CaptureQueriesContext(connection) as two:
        Client().get("/api/works/public", {"page_size": 2})
    with CaptureQueriesContext(connection) as six:
        Client().get("/api/works/public", {"page_size": 6})
    assert len(two) == len(six) + 1  # a full page asks for the count; a short first page knows it
    sql = " ".join(q["sql"] for q in two.captured_queries).lower()
    assert "agreements_version" not in sql and "works_tag" not in sql
