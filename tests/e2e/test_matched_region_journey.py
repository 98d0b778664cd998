"""A reviewer sees where a new upload copies part of an earlier work, in a real browser (Chromium via Playwright),
at desktop and phone width (WRK-9, decision 0025)."""

import io
from pathlib import Path

import pytest
import skimage.data
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from playwright.sync_api import Page, expect

from inspiracle.core.testing import PASSWORD, make_user
from inspiracle.works.models import Match, Work
from inspiracle.works.services import work_create
from tests.e2e.phone import fits_the_screen

pytestmark = [pytest.mark.e2e, pytest.mark.browser_context_args(locale="en-US")]

ASTRONAUT = Image.open(Path(skimage.data.__file__).parent / "astronaut.png").convert("RGB")


def _upload(owner, title: str, picture: Image.Image) -> Work:
    out = io.BytesIO()
    picture.save(out, "PNG")
    work = work_create(
        owner=owner,
        title=title,
        category="illustration",
        ai_use="none",
        rights_confirmed=True,
        files=[SimpleUploadedFile(f"{title}.png", out.getvalue(), content_type="image/png")],
    )
    work.refresh_from_db()
    assert work.status == Work.Status.AWAITING_REVIEW
    return work


def _sign_in(page: Page, site: str, then: str) -> None:
    page.goto(f"{site}/accounts/signin/?next={then}")
    page.fill("#id_username", "mo")
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type='submit']").click()
    expect(page).to_have_url(site + then)


def test_the_shared_region_is_outlined_on_both_pictures_at_both_widths(
    page: Page, new_context, site, screenshots_dir
):
    """REQ: WRK-9
    GIVEN Ana's picture, and Ben's upload of its lower right part
    WHEN a moderator opens Ben's work for review
    THEN the matches table outlines the part on Ana's picture and the whole of Ben's, says how many points
    agree, and fits a phone's width."""
    _upload(make_user("ana"), "Astronaut", ASTRONAUT)
    copy = _upload(make_user("ben"), "Detail", ASTRONAUT.crop((200, 200, 512, 512)))
    match = Match.objects.get(file__work=copy)
    make_user("mo", role="moderator")
    for viewer, width in (
        (page, 1280),
        (new_context(viewport={"width": 390, "height": 844}).new_page(), 390),
    ):
        _sign_in(viewer, site, f"/staff/review/{copy.pk}/")
        rects = viewer.locator("table.matches .matched svg rect")
        expect(rects).to_have_count(2)
        expect(viewer.locator("table.matches")).to_contain_text("matching points")
        # Measure only once both pictures have loaded: before that an image has no height yet.
        for img in viewer.locator("table.matches .matched img").all():
            expect(img).to_have_js_property("complete", True)
            expect(img).not_to_have_js_property("naturalHeight", 0)
        picture = viewer.locator("table.matches td:nth-child(2) .matched img").bounding_box()
        outline = rects.nth(1).bounding_box()
        assert picture and outline
        left = (outline["x"] - picture["x"]) / picture["width"]
        top = (outline["y"] - picture["y"]) / picture["height"]
        assert left == pytest.approx(match.other_box[0], abs=0.02) and left == pytest.approx(0.39, abs=0.06)
        assert top == pytest.approx(0.39, abs=0.06)
        fits_the_screen(viewer)
        viewer.screenshot(path=str(screenshots_dir / f"matched-region-{width}.png"), full_page=True)


def test_a_work_whose_search_still_runs_cannot_be_approved_until_its_match_is_in(
    page: Page, new_context, site, monkeypatch, screenshots_dir
):
    """REQ: WRK-9, MOD-2
    GIVEN Ben's crop of Ana's picture, accepted, whose search for copies of a part has not run yet (held back)
    WHEN a moderator on a phone opens it, claims it and approves it, then the search runs and the page is
    reloaded
    THEN the page says the search is running and the approval is refused with the reason; afterwards the
    shared region is shown and the approval goes through."""
    from inspiracle.pipeline import copy_search, tasks

    _upload(make_user("ana"), "Astronaut", ASTRONAUT)
    monkeypatch.setattr(tasks, "_search_after_acceptance", lambda file_id, clean: None)
    copy = _upload(make_user("ben"), "Detail", ASTRONAUT.crop((200, 200, 512, 512)))
    make_user("mo", role="moderator")
    phone = new_context(viewport={"width": 390, "height": 844}).new_page()
    item = f"/staff/review/{copy.pk}/"
    _sign_in(phone, site, item)
    notice = phone.locator("main p.notice[role='status']", has_text="still running")
    expect(notice).to_be_visible()
    expect(phone.locator("table.matches")).to_have_count(0)
    phone.get_by_role("button", name="Claim this work").click()
    phone.check("input[name='kind'][value='approve']")
    phone.get_by_role("button", name="Decide").click()
    expect(phone.locator("main")).to_contain_text("publish it when the matches are in")
    fits_the_screen(phone)
    phone.screenshot(path=str(screenshots_dir / "review-search-running-390.png"), full_page=True)
    copy.refresh_from_db()
    assert copy.status == Work.Status.AWAITING_REVIEW

    assert copy_search.search_copies(copy.files.get().pk) == "done"
    phone.goto(site + item)
    expect(notice).to_have_count(0)
    expect(phone.locator("table.matches .matched svg rect")).to_have_count(2)
    phone.check("input[name='kind'][value='approve']")
    phone.get_by_role("button", name="Decide").click()
    expect(phone).to_have_url(f"{site}/staff/review/")
    copy.refresh_from_db()
    assert copy.status == Work.Status.PUBLISHED
