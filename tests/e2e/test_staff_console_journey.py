"""The staff console at phone width (390 px): Lee finds an account by its e-mail address, writes an internal note
on it, reads the dashboard's counts and filters the audit log; no staff page scrolls sideways."""

import re

import pytest
from playwright.sync_api import Page, expect

from inspiracle.core.testing import make_user
from tests.e2e.phone import fits_the_screen
from tests.e2e.test_review_journey import _awaiting_work, _sign_in

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.browser_context_args(locale="en-US", viewport={"width": 390, "height": 844}),
]


def test_a_legal_officer_searches_notes_and_filters_on_a_phone(page: Page, site):
    """REQ: MOD-8, AUD-1"""
    ana = make_user("ana", email="ana.lin@example.com")
    make_user("lee", role="legal_officer")
    work = _awaiting_work(ana, "Koi in spring", seed=61)

    _sign_in(page, site, "lee", "/staff/")
    expect(page.locator('[data-count="awaiting_review"] strong')).to_have_text("1")
    fits_the_screen(page, "/staff/")

    page.goto(f"{site}/staff/users/")
    page.get_by_label("Search by").select_option("email")
    page.get_by_label("Search for").fill("ana.lin@example.com")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"by=email"))
    found = page.get_by_role("link", name="ana", exact=True)
    expect(found).to_be_visible()
    fits_the_screen(page, "/staff/users/?by=email")
    found.click()
    expect(page).to_have_url(re.compile(r"/staff/users/ana/$"))
    page.get_by_label("New internal note").fill("Asked for the layered file by mail.")
    page.get_by_role("button", name="Add the note").click()
    expect(page.locator("#notes")).to_contain_text("Asked for the layered file by mail.")
    fits_the_screen(page, "/staff/users/ana/")

    page.goto(f"{site}/staff/audit/")
    page.get_by_label("Action starts with").fill("pii.searched")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("tbody tr")).to_have_count(1)
    fits_the_screen(page, "/staff/audit/")

    for path in ("/staff/screening/", "/staff/works/", f"/staff/review/{work.pk}/", "/staff/verification/"):
        page.goto(site + path)
        fits_the_screen(page, path)
