"""Cancelling an account walked through in the browser (ACC-3): Ana opens "Cancel my account" from her account
settings, reads what will happen, confirms with her password and is told the date; signing in during the
cooling-off leads to "Restore my account", which she uses; she cancels again, and when the cooling-off has
ended the job (run here directly with the clock moved past it, as the live server cannot be time-travelled)
anonymizes the account, after which signing in fails. One pass at phone width (390 px) checks the privacy
pages do not scroll sideways.
"""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from inspiracle.accounts.models import User
from inspiracle.core.testing import PASSWORD, make_user
from inspiracle.moderation.services import review_approve
from inspiracle.privacy.anonymize import account_anonymize
from inspiracle.works.models import Work
from tests.e2e.phone import fits_the_screen
from tests.e2e.test_review_journey import _awaiting_work, _sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.browser_context_args(locale="en-US")]


def _cancel(page: Page) -> None:
    expect(page.get_by_text("What the law requires us to keep")).to_be_visible()
    page.get_by_label("Your password").fill(PASSWORD)
    page.locator("main form button.danger").click()
    expect(page.locator("#cancellation-status")).to_contain_text("will be cancelled by")


def test_a_user_cancels_restores_cancels_again_and_is_anonymized(
    page: Page, new_context, site, screenshots_dir
):
    """REQ: ACC-3"""
    ana = make_user("ana", email="ana@example.com")
    mo = make_user("mo", role="moderator")
    make_user("cy")
    work = _awaiting_work(ana, "Koi in spring", seed=43)
    review_approve(actor=mo, work=work)

    # From account settings to the cancel page: what will happen, then the password.
    _sign_in(page, site, "ana", "/accounts/me/")
    page.get_by_role("link", name="Cancel my account").click()
    expect(page.get_by_text("1 published work is unpublished.")).to_be_visible()
    page.screenshot(path=str(screenshots_dir / "privacy-cancel.png"), full_page=True)
    page.get_by_label("Your password").fill("not my password")
    page.locator("main form button.danger").click()
    expect(page.get_by_text("Your password is not right.")).to_be_visible()
    _cancel(page)
    page.screenshot(path=str(screenshots_dir / "privacy-cancel-requested.png"), full_page=True)

    # Signing in again during the cooling-off leads to the way back.
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in", exact=True)).to_be_visible()
    _sign_in(page, site, "ana", "/privacy/cancel/")
    page.goto(f"{site}/accounts/me/")
    expect(page).to_have_url(f"{site}/privacy/cancel/")
    page.get_by_role("button", name="Restore my account").click()
    expect(page).to_have_url(f"{site}/accounts/me/")
    expect(page.get_by_text("Your account is restored.")).to_be_visible()

    # She cancels again; the cooling-off passes and the job runs.
    page.goto(f"{site}/privacy/cancel/")
    _cancel(page)
    ana.refresh_from_db()
    assert account_anonymize(user_id=ana.pk, now=ana.cancel_effective_at + timedelta(minutes=1)) == "done"
    ana = User.objects.get(pk=ana.pk)
    assert ana.username == f"deleted-{ana.pk}" and ana.anonymized_at is not None
    assert Work.objects.get(pk=work.pk).status == Work.Status.DELETED

    # Signing in is impossible now.
    visitor = new_context().new_page()
    visitor.goto(f"{site}/accounts/signin/")
    visitor.fill("#id_username", "ana")
    visitor.fill("#id_password", PASSWORD)
    visitor.locator("main form button[type='submit']").click()
    expect(visitor.get_by_text("Wrong username or password.")).to_be_visible()
    expect(visitor).to_have_url(re.compile(r"/accounts/signin/"))


def test_the_privacy_pages_fit_a_phone(new_context, site, screenshots_dir):
    """REQ: ACC-3"""
    make_user("cy")
    phone = new_context(viewport={"width": 390, "height": 844}).new_page()
    _sign_in(phone, site, "cy", "/privacy/")
    expect(phone.get_by_role("heading", name="Your privacy rights")).to_be_visible()
    fits_the_screen(phone)
    phone.goto(f"{site}/privacy/cancel/")
    fits_the_screen(phone)
    phone.screenshot(path=str(screenshots_dir / "privacy-cancel-phone.png"), full_page=True)
