"""The gallery and portfolios keep their cards rendered (core/fragments.py): every change a card shows must
reach the next visitor at once, and an unchanged page must cost one small query for its content."""

import re
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

pytestmark = pytest.mark.django_db


def cards(url: str) -> str:
    page = Client().get(url).content.decode()
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page)  # masked afresh on every page


def test_a_change_to_what_a_card_shows_reaches_the_next_visitor_at_once(published_work, ana, mo):
    """REQ: MOD-4, WRK-6
    GIVEN the gallery and Ana's portfolio rendered once (and kept) WHEN her tags, the work's exclusive mark, her
    display name, a staff mask or an unpublication change THEN the very next visit shows the change."""
    work = published_work(title="Spring rain", seed=1)
    urls = ("/gallery/", f"/u/{ana.username}/works/")
    for url in urls:
        assert "Spring rain" in cards(url)
    assert cards("/gallery/?tag=harbour").count(f'href="/works/{work.pk}/"') == 0

    work_update(actor=ana, work=work, changes={"tags": ["harbour"]})
    assert f'href="/works/{work.pk}/"' in cards("/gallery/?tag=harbour")

    now = timezone.now()
    work_exclusive_mark(work=work, since=now, until=now + timedelta(days=30), reason="test")
    assert all("mark exclusive" in cards(url) for url in urls)
    work_exclusive_lift(work=work, reason="test")
    assert not any("mark exclusive" in cards(url) for url in urls)

    profile_update(user=ana, changes={"display_name": "Ana Brushwork"})
    assert "Ana Brushwork" in cards("/gallery/")

    content_mask(actor=mo, work=work, part="title", reason_code="insult_defamation", message="a name")
    assert not any("Spring rain" in cards(url) for url in urls)

    work_unpublish(actor=ana, work=work)
    assert not any(f'href="/works/{work.pk}/"' in cards(url) for url in urls)


def test_an_unchanged_gallery_costs_one_query_for_its_content(published_work, ana):
    for seed in range(1, 4):
        published_work(title=f"Work {seed}", seed=seed)
    for url in ("/gallery/", f"/u/{ana.username}/works/", "/gallery/?q=work&page=1"):
        first = cards(url)
        with CaptureQueriesContext(connection) as captured:
            again = cards(url)
        assert again == first
        # The portfolio also loads its profile; the cards come from the cache after one generations query.
        assert len(captured) <= (2 if "/u/" in url else 1), [q["sql"] for q in captured]
