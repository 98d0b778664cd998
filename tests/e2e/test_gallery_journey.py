"""A visitor searches, sorts and pages the gallery and enlarges a work's picture; a reviewer compares two matched
pictures side by side and zooms (issue 15), in Chromium at desktop and phone width."""

from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from inspiracle.accounts.services.profile import profile_update
from inspiracle.core.testing import make_user
from inspiracle.moderation.services import review_approve
from inspiracle.works.models import Match, Work
from tests.e2e.phone import fits_the_screen
from tests.e2e.test_matched_region_journey import ASTRONAUT, _upload
from tests.e2e.test_review_journey import _awaiting_work, _sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.browser_context_args(locale="en-US")]

WIDTHS = (1280, 390)


def _viewer(page: Page, new_context, width: int) -> Page:
    return page if width == 1280 else new_context(viewport={"width": 390, "height": 844}).new_page()


def _copies(original: Work, count: int) -> None:
    """``count`` published copies of ``original`` (its files too), older than it."""
    files = list(original.files.all())
    for n in range(count):
        copy = Work.objects.get(pk=original.pk)
        copy.pk = copy.id = None
        copy.title = f"Study {n}"
        copy.published_at = original.published_at - timedelta(minutes=n + 1)
        copy.save()
        for row in files:
            row.pk = row.id = None
            row.work = copy
            row.save()


def test_a_visitor_searches_sorts_and_pages_the_gallery(page: Page, new_context, site, screenshots_dir):
    """GIVEN 26 works by Ana ("Ana Brushwork") and an older one by Cy that a visitor opened
    WHEN visitors search by creator, sort by most viewed and follow the page links, at 1280 and 390 px
    THEN each finds Cy's work by name, sees it first when sorted by views, and reaches the second page."""
    ana, cy, mo = make_user("ana"), make_user("cy"), make_user("mo", role="moderator")
    profile_update(user=ana, changes={"display_name": "Ana Brushwork"})
    kingfisher = _awaiting_work(cy, "Kingfisher", seed=51)
    review_approve(actor=mo, work=kingfisher)
    heron = _awaiting_work(ana, "Heron at dawn", seed=52)
    review_approve(actor=mo, work=heron)
    heron.refresh_from_db()
    _copies(heron, 25)
    page.goto(f"{site}/works/{kingfisher.pk}/")  # one view: Cy's work is now the most viewed

    for width in WIDTHS:
        viewer = _viewer(page, new_context, width)
        viewer.goto(f"{site}/gallery/")
        expect(viewer.locator(".gallery-count")).to_contain_text("27 works")
        cards = viewer.locator("ul.grid li.card")
        expect(cards.first).to_contain_text("Heron at dawn")

        viewer.locator("nav.pages").get_by_role("link", name="2", exact=True).click()
        expect(viewer.locator('nav.pages a[aria-current="page"]')).to_have_text("2")
        expect(cards).to_have_count(3)
        fits_the_screen(viewer)

        viewer.get_by_label("Sort by").select_option("views")
        viewer.get_by_role("button", name="Search").click()
        expect(cards.first).to_contain_text("Kingfisher")
        expect(viewer).to_have_url(f"{site}/gallery/?q=&category=&ai_use=&sort=views")

        viewer.get_by_role("searchbox").fill("brushwork heron")
        viewer.get_by_role("button", name="Search").click()
        expect(cards).to_have_count(1)
        expect(cards.first).to_contain_text("Heron at dawn")
        viewer.get_by_role("searchbox").fill("cy")
        viewer.get_by_role("button", name="Search").click()
        expect(cards).to_have_count(1)
        expect(cards.first).to_contain_text("Kingfisher")
        fits_the_screen(viewer)
        viewer.screenshot(path=str(screenshots_dir / f"gallery-search-{width}.png"), full_page=True)


def test_a_visitor_enlarges_a_picture_and_closes_it_with_the_keyboard(
    page: Page, new_context, site, screenshots_dir
):
    """GIVEN a published work WHEN a visitor opens its picture enlarged, by mouse and by keyboard THEN a dialog
    shows the larger picture; Esc closes it and the focus returns to the picture's link."""
    mo = make_user("mo", role="moderator")
    work = _awaiting_work(make_user("ana"), "Heron at dawn", seed=53)
    review_approve(actor=mo, work=work)
    for width in WIDTHS:
        viewer = _viewer(page, new_context, width)
        viewer.goto(f"{site}/works/{work.pk}/")
        link = viewer.locator("a[data-enlarge]").first
        dialog = viewer.locator("dialog#lightbox")
        link.click()
        expect(dialog).to_be_visible()
        viewer.wait_for_function("document.querySelector('#lightbox img').naturalWidth > 0")
        fits_the_screen(viewer)
        viewer.screenshot(path=str(screenshots_dir / f"work-enlarged-{width}.png"))
        viewer.keyboard.press("Escape")
        expect(dialog).to_be_hidden()
        expect(link).to_be_focused()

        viewer.keyboard.press("Enter")  # the link still has the focus
        expect(dialog).to_be_visible()
        dialog.get_by_role("button", name="Full size").click()
        expect(dialog.get_by_role("button", name="Full size")).to_have_attribute("aria-pressed", "true")
        dialog.get_by_role("button", name="Close").click()
        expect(dialog).to_be_hidden()


def _region_across(viewer: Page, dialog) -> float:
    """Where the outline on the other picture starts, as a share of that picture's width."""
    picture = dialog.locator(".compare-pane img").nth(1).bounding_box()
    outline = dialog.locator(".compare-pane svg rect").nth(1).bounding_box()
    assert picture and outline
    return (outline["x"] - picture["x"]) / picture["width"]


def test_a_reviewer_compares_the_matched_pictures_side_by_side_and_zooms(
    page: Page, new_context, site, screenshots_dir
):
    """REQ: WRK-9
    GIVEN Ana's picture and Ben's copy of its lower right part, awaiting review
    WHEN a moderator compares them side by side and zooms in with the keyboard and the buttons
    THEN both pictures show at full size, side by side at 1280 px and stacked at 390 px, the outline stays on
    the shared part at every zoom, and Esc closes the comparison."""
    _upload(make_user("ana"), "Astronaut", ASTRONAUT)
    copy = _upload(make_user("ben"), "Detail", ASTRONAUT.crop((200, 200, 512, 512)))
    match = Match.objects.get(file__work=copy)
    make_user("mo", role="moderator")
    for width in WIDTHS:
        viewer = _viewer(page, new_context, width)
        _sign_in(viewer, site, "mo", f"/staff/review/{copy.pk}/")
        viewer.get_by_role("button", name="Compare side by side").click()
        dialog = viewer.locator(f"dialog#compare-{match.pk}")
        expect(dialog).to_be_visible()
        viewer.wait_for_function(
            f"[...document.querySelectorAll('#compare-{match.pk} .compare-pane img')]"
            ".every(i => i.complete && i.naturalWidth > 0 && i.style.width)"
        )
        images = dialog.locator(".compare-pane img")
        widths = images.evaluate_all("l => l.map(i => [i.getBoundingClientRect().width, i.naturalWidth])")
        assert all(abs(shown - natural) <= 1 for shown, natural in widths)  # full size
        assert _region_across(viewer, dialog) == pytest.approx(0.39, abs=0.06)

        viewer.keyboard.press("+")
        viewer.keyboard.press("+")
        expect(dialog.locator(".compare-level")).to_have_text("200%")
        shown, natural = images.nth(1).evaluate("i => [i.getBoundingClientRect().width, i.naturalWidth]")
        assert shown == pytest.approx(natural * 2, abs=2)
        assert _region_across(viewer, dialog) == pytest.approx(0.39, abs=0.06)
        dialog.get_by_role("button", name="Zoom out").click()
        expect(dialog.locator(".compare-level")).to_have_text("150%")
        dialog.get_by_role("button", name="Fit").click()
        assert _region_across(viewer, dialog) == pytest.approx(0.39, abs=0.06)

        panes = [dialog.locator(".compare-pane").nth(n).bounding_box() for n in (0, 1)]
        assert panes[0] and panes[1]
        if width == 1280:
            assert panes[1]["x"] > panes[0]["x"] + panes[0]["width"] - 1  # side by side
        else:
            assert panes[1]["y"] > panes[0]["y"] + panes[0]["height"] - 1  # stacked
        fits_the_screen(viewer)
        viewer.screenshot(path=str(screenshots_dir / f"compare-{width}.png"))
        viewer.keyboard.press("Escape")
        expect(dialog).to_be_hidden()
