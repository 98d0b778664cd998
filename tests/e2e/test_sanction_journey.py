"""Sanctions and appeals walked through in the browser: a moderator suspends a creator, who can then not sign
in but is led to the appeal; the moderator who took the measure cannot handle the appeal; a legal officer
takes it and overturns the suspension; the creator signs in again and reads the outcome.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from inspiracle.core.testing import PASSWORD, make_user
from inspiracle.moderation.models import Appeal, Sanction
from tests.e2e.test_review_journey import INBOX_BADGE, _sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.browser_context_args(locale="en-US")]


def _try_sign_in(page: Page, site: str, username: str) -> None:
    page.goto(f"{site}/accounts/signin/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type='submit']").click()


def test_a_suspended_creator_cannot_sign_in_appeals_and_another_staff_member_overturns_it(
    page: Page, new_context, site, screenshots_dir
):
    """REQ: MOD-5, MOD-6, UX-4"""
    make_user("ana")
    make_user("mo", role="moderator")
    make_user("lee", role="legal_officer")

    # The moderator suspends Ana for a week from her moderation record.
    _sign_in(page, site, "mo", "/staff/accounts/ana/")
    form = page.locator("form", has=page.locator("input[name='form'][value='sanction']"))
    form.get_by_label("Measure").select_option(label="Suspension")
    form.get_by_label("Reason").select_option(label="Abuse of the platform")
    form.get_by_label("Message to the user").fill("Repeated insulting messages to other creators.")
    form.get_by_label("…or a duration in days").fill("7")
    form.get_by_role("button", name="Apply the measure").click()
    expect(page.locator("#sanctions ~ table").first).to_contain_text("Suspension")
    page.screenshot(path=str(screenshots_dir / "sanction-applied.png"), full_page=True)
    assert Sanction.objects.get().kind == "suspension"

    # Ana's password is right, yet she is not signed in: she sees the measure and its appeal form.
    ana = new_context().new_page()
    _try_sign_in(ana, site, "ana")
    expect(ana).to_have_url(re.compile(r"/accounts/appeal/"))
    expect(ana.locator("main")).to_contain_text("Suspension")
    expect(ana.locator("main")).to_contain_text("Abuse of the platform")
    expect(ana.locator("main")).to_contain_text("You cannot sign in")
    ana.get_by_label("Your statement").fill("Those messages were sent by someone who had my password.")
    ana.get_by_role("button", name="Send the appeal").click()
    expect(ana.locator("main")).to_contain_text("Those messages were sent by someone who had my password.")
    ana.screenshot(path=str(screenshots_dir / "sanction-blocked-appeal.png"), full_page=True)
    ana.goto(f"{site}/accounts/me/")
    expect(ana).to_have_url(re.compile(r"/accounts/signin/"))

    # The moderator who suspended her sees the appeal but may not handle it.
    page.goto(f"{site}/staff/appeals/")
    page.locator("main table tbody tr", has_text="@ana").get_by_role("link", name="Suspension").click()
    expect(page.locator("main")).to_contain_text("Those messages were sent by someone who had my password.")
    expect(page.get_by_role("button", name="Take this appeal")).to_have_count(0)
    expect(page.get_by_role("button", name="Decide the appeal")).to_have_count(0)

    # A legal officer takes it and upholds it.
    lee = new_context().new_page()
    _sign_in(lee, site, "lee", "/staff/appeals/")
    lee.locator("main table tbody tr", has_text="@ana").get_by_role("link", name="Suspension").click()
    lee.get_by_role("button", name="Take this appeal").click()
    lee.get_by_label("Uphold: undo the measure").check()
    lee.get_by_label("Reasons, sent to the user").fill(
        "The sign-in log shows another device; the suspension is lifted."
    )
    lee.get_by_role("button", name="Decide the appeal").click()
    expect(lee.locator("main")).to_contain_text("Upheld")
    lee.screenshot(path=str(screenshots_dir / "sanction-appeal-upheld.png"), full_page=True)
    appeal = Appeal.objects.get()
    assert appeal.status == "upheld" and appeal.decided_by.username == "lee"

    # Ana signs in again and reads the outcome in her inbox.
    _sign_in(ana, site, "ana", "/accounts/me/standing/")
    expect(ana.locator("main")).to_contain_text("Upheld")
    expect(ana.locator(INBOX_BADGE)).to_be_visible()
    ana.locator("header nav a[href='/inbox/']").click()
    expect(ana.locator("main")).to_contain_text("Your appeal was decided")
    expect(ana.locator("main")).to_contain_text("The sign-in log shows another device")
