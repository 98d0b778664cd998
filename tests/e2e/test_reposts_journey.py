"""Repost permissions walked through in the browser (issue 13, WRK-12): a member asks from the work page to
repost a creator's work on a blog, the creator approves it from her repost requests, the permission's public
page shows the thumbnail, the site, the term and the attribution, and the work page lists the permission. At
phone width (390 px) the permission page does not scroll sideways and the attribution is shown whole.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from inspiracle.core.testing import make_user
from inspiracle.moderation.services import review_approve
from inspiracle.reposts.models import RepostPermission
from inspiracle.works.models import Work
from tests.e2e.phone import fits_the_screen
from tests.e2e.test_review_journey import _awaiting_work, _sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.browser_context_args(locale="en-US")]


def test_a_member_asks_to_repost_the_owner_approves_and_the_permission_shows_the_attribution(
    page: Page, new_context, site, screenshots_dir
):
    """REQ: WRK-12, WRK-5"""
    ana = make_user("ana")
    make_user("cy")
    mo = make_user("mo", role="moderator")
    work = _awaiting_work(ana, "Heron at dawn", seed=41)
    review_approve(actor=mo, work=work)
    Work.objects.filter(pk=work.pk).update(repost_allowed=True)

    # The member asks from the work page.
    _sign_in(page, site, "cy", f"/works/{work.pk}/")
    page.locator("#reposts").get_by_role("link", name="Ask to repost").click()
    expect(page).to_have_url(f"{site}/reposts/ask/{work.pk}/")
    page.get_by_label("Where (the address of the site or page)").fill("ftp://cy.example.com/")
    page.get_by_label("Purpose").fill("A post about herons on my birding blog")
    page.get_by_label("Term in months").fill("6")
    page.get_by_role("button", name="Send the request").click()
    expect(page.locator("main")).to_contain_text("http:// or https://")
    page.get_by_label("Where (the address of the site or page)").fill(
        "https://birds.cy-example.com/2026/12/a-very-long-path-about-herons-at-dawn-on-the-river"
    )
    page.get_by_role("button", name="Send the request").click()
    expect(page).to_have_url(f"{site}/reposts/mine/?box=sent")
    expect(page.locator("ul.messages li.success")).to_contain_text("is sent")
    permission = RepostPermission.objects.get()
    expect(page.locator("main")).to_contain_text(permission.reference)

    # The creator approves it from her repost requests.
    owner = new_context().new_page()
    _sign_in(owner, site, "ana", "/reposts/mine/?box=received")
    row = owner.locator(f"li#{permission.reference}")
    expect(row).to_contain_text("A post about herons")
    row.get_by_label("Message to the asker (optional)").fill("Happy birding!")
    row.get_by_role("button", name="Approve").click()
    expect(owner.locator("ul.messages li.success")).to_contain_text("You approved")
    assert RepostPermission.objects.get().status == "approved"

    # The permission's public page, for anyone: thumbnail, site, term, the attribution to copy.
    visitor = new_context().new_page()
    visitor.goto(f"{site}/reposts/{permission.reference}/")
    expect(visitor.locator("#state")).to_contain_text("Active")
    expect(visitor.locator("img.repost-thumb")).to_be_visible()
    expect(visitor.locator("main")).to_contain_text("birds.cy-example.com")
    snippet = visitor.locator("#attribution")
    expect(snippet).to_contain_text(re.compile(rf"^ana.*/works/{work.pk}/.*Source: Inspiracle$"))
    visitor.screenshot(path=str(screenshots_dir / "reposts-permission.png"), full_page=True)

    # The work page lists the permission.
    visitor.goto(f"{site}/works/{work.pk}/")
    expect(visitor.locator("#reposts")).to_contain_text("birds.cy-example.com")
    expect(visitor.locator("#reposts").get_by_role("link", name="birds.cy-example.com")).to_have_attribute(
        "href", f"/reposts/{permission.reference}/"
    )

    # At phone width nothing scrolls sideways and the attribution is shown whole, not cut off.
    phone = new_context(viewport={"width": 390, "height": 844}).new_page()
    phone.goto(f"{site}/reposts/{permission.reference}/")
    fits_the_screen(phone, "the permission page")
    cut = phone.evaluate(
        "(() => { const s = document.getElementById('attribution');"
        " return [s.scrollWidth - s.clientWidth, s.scrollHeight - s.clientHeight]; })()"
    )
    assert cut[0] <= 0 and cut[1] <= 0, f"the attribution is cut off by {cut}"
    box = phone.locator("#attribution").bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    phone.screenshot(path=str(screenshots_dir / "reposts-permission-phone.png"), full_page=True)
    _sign_in(phone, site, "ana", "/reposts/mine/?box=received")
    fits_the_screen(phone, "the owner's repost requests")
    phone.goto(f"{site}/reposts/ask/{work.pk}/")
    fits_the_screen(phone, "the ask page")
