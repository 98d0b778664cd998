"""The work page keeps the part every visitor sees alike rendered (works/views.py, core/fragments.py): each change
that part shows must reach the next visitor at once, and what only the owner or staff see must never be kept in
it for a visitor (issue 14)."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from inspiracle.accounts.services import account_verify
from inspiracle.accounts.services.profile import profile_update
from inspiracle.moderation.services import content_mask, review_approve
from inspiracle.reposts.services import AskInput, repost_approve, repost_ask, repost_revoke
from inspiracle.works.services import work_unpublish, work_update

pytestmark = pytest.mark.django_db


def page(url: str, client: Client | None = None) -> str:
    response = (client or Client()).get(url)
    if response.status_code == 404:
        return ""
    assert response.status_code == 200, response.status_code
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())


def test_an_edit_shows_on_the_work_page_at_once(published_work, ana, mo):
    """REQ: WRK-8, MOD-4, WRK-6
    GIVEN a published work's page seen by a visitor (and kept) WHEN its tags, settings, its maker's name or
    badge, a staff mask, a new title or an unpublication change THEN the very next visitor sees the change."""
    work = published_work(title="Spring rain", seed=1)
    url = f"/works/{work.pk}/"
    assert "Spring rain" in page(url) and "#harbour" not in page(url)

    work_update(actor=ana, work=work, changes={"tags": ["harbour"], "open_to_licensing": False})
    shown = page(url)
    assert "#harbour" in shown and "does not take licensing requests" in shown

    work_update(actor=ana, work=work, changes={"repost_allowed": True})
    assert "Attribution to use when reposting" in page(url)

    profile_update(user=ana, changes={"display_name": "Ana Brushwork"})
    assert "Ana Brushwork" in page(url)

    work_update(actor=ana, work=work, changes={"title": "Autumn wind"})
    assert page(url) == ""  # back in review (WRK-8): not public until approved again
    work.refresh_from_db()
    review_approve(actor=mo, work=work)
    assert "Autumn wind" in page(url) and "Spring rain" not in page(url)

    work.refresh_from_db()
    content_mask(actor=mo, work=work, part="title", reason_code="insult_defamation", message="a name")
    assert "Autumn wind" not in page(url)

    work.refresh_from_db()
    work_unpublish(actor=ana, work=work)
    assert page(url) == ""


def test_a_verified_badge_shows_at_once(published_work, ana, ada):
    """REQ: ACC-2"""
    work = published_work(seed=1)
    url = f"/works/{work.pk}/"
    assert 'class="verified"' not in page(url)
    account_verify(actor=ada, user=ana, verified=True, reason="checked")
    assert 'class="verified"' in page(url)


def test_a_repost_permission_shows_and_goes_at_once(published_work, ana, cy):
    """REQ: WRK-12"""
    work = published_work(seed=1)
    work_update(actor=ana, work=work, changes={"repost_allowed": True})
    url = f"/works/{work.pk}/"
    assert "blog.example.com" not in page(url)
    data = AskInput(work_id=work.pk, site_url="https://blog.example.com/1", purpose="A review", months=6)
    granted = repost_approve(permission=repost_ask(requester=cy, data=data), actor=ana)
    assert "blog.example.com" in page(url)
    repost_revoke(permission=granted, actor=ana)
    assert "blog.example.com" not in page(url)


def test_a_visitor_never_gets_what_the_owner_or_staff_see(published_work, ana, mo, cy, client_for):
    """REQ: WRK-3, MOD-4
    GIVEN a published work whose title staff masked WHEN the owner, staff, a member and a visitor open it in
    turns THEN each sees their own page: the hidden title, the owner's actions, the staff facts and the originals
    stay with the owner and staff, whoever came first."""
    work = published_work(title="Spring rain", seed=1)
    content_mask(actor=mo, work=work, part="title", reason_code="insult_defamation", message="a name")
    url = f"/works/{work.pk}/"
    readers = {
        "owner": client_for(ana),
        "staff": client_for(mo),
        "member": client_for(cy),
        "visitor": Client(),
    }
    for _round in range(2):
        seen = {name: page(url, client) for name, client in readers.items()}
        for insider in ("owner", "staff"):
            assert "Spring rain" in seen[insider] and "Download the original" in seen[insider]
        assert "Manage" in seen["owner"] and "For staff" in seen["staff"]
        for outsider in ("member", "visitor"):
            text = seen[outsider]
            assert "Spring rain" not in text and "Download the original" not in text
            assert "Manage" not in text and "For staff" not in text and "masked" not in text
        assert "Ask for a licence" in seen["member"] and "Sign in to ask" in seen["visitor"]


def test_an_unchanged_work_page_costs_two_small_queries(published_work):
    work = published_work(seed=1)
    url = f"/works/{work.pk}/"
    first = page(url)
    with CaptureQueriesContext(connection) as captured:
        again = page(url)
    assert again == first
    # The work's status and title, then the generation numbers; the rest comes from the cache.
    assert len(captured) == 2, [q["sql"] for q in captured]
