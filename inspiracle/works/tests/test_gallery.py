"""The gallery and GET /api/works/public: search by creator and title, filters, newest or most viewed first, page
links, a creator's portfolio through the API, and bad parameters answered clearly (issue 15)."""

from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from inspiracle.accounts.models import User
from inspiracle.accounts.services.profile import profile_update
from inspiracle.core.testing import make_user
from inspiracle.works.models import Work, WorkView
from inspiracle.works.selectors import PAGE_SIZE

pytestmark = pytest.mark.django_db


def _copies(original: Work, titles_and_owners: list[tuple[str, User]]) -> list[Work]:
    """Published copies of ``original`` (its files too) under other titles and owners, a second apart."""
    assert original.published_at is not None
    files = list(original.files.all())
    works = []
    for n, (title, owner) in enumerate(titles_and_owners):
        copy = Work.objects.get(pk=original.pk)
        copy.pk = copy.id = None
        copy.title, copy.owner = title, owner
        copy.published_at = original.published_at + timedelta(seconds=n + 1)
        copy.save()
        for row in files:
            row.pk = row.id = None
            row.work = copy
            row.save()
        works.append(copy)
    return works


@pytest.fixture
def shelf(published_work, ana):
    """Ana's "Spring rain" and "Harbour at dusk", Cy's "Winter harbour"; Ana is shown as "Ana Brushwork"."""
    profile_update(user=ana, changes={"display_name": "Ana Brushwork"})
    spring = published_work(title="Spring rain")
    dusk, winter = _copies(spring, [("Harbour at dusk", ana), ("Winter harbour", make_user("cyan"))])
    return {"spring": spring, "dusk": dusk, "winter": winter}


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [w["id"] for w in response.json()["items"]]


def _listed(html: str, works: list[Work]) -> list[int]:
    return [w.pk for w in works if f'href="/works/{w.pk}/"' in html]


def test_a_visitor_finds_works_by_title_and_by_creator_on_the_page_and_through_the_api(shelf):
    """GIVEN works by Ana (shown as "Ana Brushwork") and by Cyan WHEN a visitor searches a creator's username,
    part of a display name, a title word, or both THEN the works that match every word are listed."""
    works = list(shelf.values())
    visitor = Client()
    cases = {
        "cyan": [shelf["winter"].pk],
        "brushwork": [shelf["dusk"].pk, shelf["spring"].pk],
        "harbour": [shelf["winter"].pk, shelf["dusk"].pk],
        "harbour ana": [shelf["dusk"].pk],
    }
    for q, expected in cases.items():
        assert _ids(visitor.get("/api/works/public", {"q": q})) == expected, q
        page = visitor.get("/gallery/", {"q": q}).content.decode()
        assert sorted(_listed(page, works)) == sorted(expected), q


def test_a_creators_portfolio_is_a_filter_of_the_public_list(shelf, ana):
    """GIVEN two creators WHEN a client asks for ``owner=<username>`` THEN only that creator's published works
    come back (any case of the name); an unknown name gives an empty list."""
    visitor = Client()
    assert _ids(visitor.get("/api/works/public", {"owner": "ANA"})) == [shelf["dusk"].pk, shelf["spring"].pk]
    assert _ids(visitor.get("/api/works/public", {"owner": "cyan"})) == [shelf["winter"].pk]
    assert _ids(visitor.get("/api/works/public", {"owner": "nobody"})) == []


def test_filters_by_category_and_ai_use_combine(shelf):
    Work.objects.filter(pk=shelf["winter"].pk).update(category="photography", ai_use="generated")
    visitor = Client()
    assert _ids(visitor.get("/api/works/public", {"category": "photography"})) == [shelf["winter"].pk]
    assert _ids(visitor.get("/api/works/public", {"ai_use": "none"})) == [
        shelf["dusk"].pk,
        shelf["spring"].pk,
    ]
    assert _ids(visitor.get("/api/works/public", {"ai_use": "generated", "category": "design"})) == []
    page = visitor.get("/gallery/", {"ai_use": "generated"}).content.decode()
    assert _listed(page, list(shelf.values())) == [shelf["winter"].pk]


def _visit(work: Work, ip: str) -> None:
    assert Client(REMOTE_ADDR=ip).get(f"/works/{work.pk}/").status_code == 200


@time_machine.travel("2026-12-04 10:00 +0800", tick=False)
def test_most_viewed_counts_each_visitor_once_a_day(shelf, ana, mo):
    """GIVEN three published works WHEN visitors open them, some many times, and the owner and staff open them
    too THEN each visitor counts once a day, the owner and staff never; "most viewed" lists the works by
    those counts, on the page and through the API, each order kept under its own key."""
    cache.clear()
    spring, dusk, winter = shelf["spring"], shelf["dusk"], shelf["winter"]
    visitor = Client()
    newest = _ids(visitor.get("/api/works/public"))  # the newest-first page, now in the cache
    assert newest == [winter.pk, dusk.pk, spring.pk]
    for _ in range(5):
        _visit(spring, "203.0.113.1")  # a reload does not count again
    _visit(spring, "203.0.113.2")
    _visit(spring, "2001:db8::1")
    _visit(spring, "2001:db8::2")  # the same /64 network: the same visitor
    _visit(dusk, "203.0.113.1")
    for insider in (ana, mo):
        client = Client()
        client.force_login(insider)
        client.get(f"/works/{dusk.pk}/")  # Ana's own work
    assert dict(Work.objects.values_list("pk", "view_count")) == {spring.pk: 3, dusk.pk: 1, winter.pk: 0}

    assert _ids(visitor.get("/api/works/public", {"sort": "views"})) == [spring.pk, dusk.pk, winter.pk]
    assert _ids(visitor.get("/api/works/public")) == newest
    page = visitor.get("/gallery/", {"sort": "views"}).content.decode()
    assert page.index(f'href="/works/{spring.pk}/"') < page.index(f'href="/works/{dusk.pk}/"')
    assert page.index(f'href="/works/{dusk.pk}/"') < page.index(f'href="/works/{winter.pk}/"')
    newest_page = visitor.get("/gallery/").content.decode()
    assert newest_page.index(f'href="/works/{winter.pk}/"') < newest_page.index(f'href="/works/{spring.pk}/"')

    with time_machine.travel(timezone.now() + timedelta(days=1), tick=False):
        _visit(spring, "203.0.113.1")  # the next day counts again
    assert Work.objects.get(pk=spring.pk).view_count == 4


@time_machine.travel("2026-12-04 10:00 +0800", tick=False)
def test_a_visitor_counts_once_a_day_even_across_server_processes(shelf):
    """GIVEN a visitor whose views reach two server processes (each with its own cache, as with the default
    cache: emptying the cache between the requests stands for the second process)
    WHEN they open the same work again, then the next day
    THEN the second process does not count them again; the next day counts once more. What is kept of the
    visitor is a keyed hash, never the address."""
    spring = shelf["spring"]
    _visit(spring, "203.0.113.7")
    cache.clear()  # the other process: it has not seen this visitor
    _visit(spring, "203.0.113.7")
    assert Work.objects.get(pk=spring.pk).view_count == 1
    with time_machine.travel("2026-12-05 09:00 +0800", tick=False):
        _visit(spring, "203.0.113.7")
        cache.clear()
        _visit(spring, "203.0.113.7")
    assert Work.objects.get(pk=spring.pk).view_count == 2
    kept = list(WorkView.objects.order_by("day").values_list("work_id", "day", "visitor"))
    assert [(work, day.isoformat()) for work, day, _visitor in kept] == [
        (spring.pk, "2026-12-04"),
        (spring.pk, "2026-12-05"),
    ]
    assert kept[0][2] == kept[1][2] and "203.0.113.7" not in kept[0][2] and len(kept[0][2]) == 32


def test_page_links_carry_the_search_and_mark_the_current_page(shelf):
    """GIVEN more works than a page holds WHEN a visitor searches and sorts THEN numbered page links keep the
    search, the current page is marked, and the count is said."""
    _copies(shelf["spring"], [(f"Harbour study {n}", shelf["spring"].owner) for n in range(PAGE_SIZE + 1)])
    page = Client().get("/gallery/", {"q": "harbour", "sort": "views", "page": 2}).content.decode()
    assert 'aria-current="page" href="?q=harbour&amp;sort=views&amp;page=2"' in page
    assert 'href="?q=harbour&amp;sort=views&amp;page=1"' in page
    assert f"{PAGE_SIZE + 3} works" in page


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"sort": "oldest"}, "sort"),
        ({"category": "paintings"}, "category"),
        ({"ai_use": "some"}, "ai_use"),
        ({"q": "x" * 201}, "q"),
        ({"owner": "a" * 151}, "owner"),
        ({"q": "rain\x00"}, "q"),
    ],
)
def test_the_api_refuses_a_bad_parameter_naming_it(db, query, field):
    response = Client().get("/api/works/public", query)
    assert response.status_code == 422, response.content
    assert set(response.json()["error"]["fields"]) == {field}


@pytest.mark.parametrize(
    "query",
    [
        {"sort": "oldest"},
        {"page": "0"},
        {"page": str(10**12)},
        {"page": "x"},
        {"q": "harbour " * 2000},
        {"q": "rain\x00", "tag": "\x00"},
        {"category": "paintings", "ai_use": "some"},
    ],
)
def test_the_page_answers_bad_parameters_with_the_gallery(shelf, query):
    """A visitor who edits the address gets the gallery (the first or last page, everything for an unknown
    choice), never an error."""
    response = Client().get("/gallery/", query)
    assert response.status_code == 200
    assert 'role="search"' in response.content.decode()
