"""Download my data (ACC-4) walked through in the browser: a member asks for the archive, sees it ready (the
build runs when the request commits; the page refreshes itself while it builds), downloads it, and the ZIP
opens with the expected files. One pass at phone width (390 px) checks the page does not scroll sideways.
"""

import json
import zipfile

import pytest
from playwright.sync_api import Page, expect

from inspiracle.core.testing import make_user
from inspiracle.exports.models import Export
from tests.e2e.phone import fits_the_screen
from tests.e2e.test_review_journey import _sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.browser_context_args(locale="en-US")]


def test_a_member_downloads_a_copy_of_her_data(page: Page, new_context, site, screenshots_dir, tmp_path):
    """REQ: ACC-4"""
    make_user("ana")
    make_user("cy")
    _sign_in(page, site, "ana", "/privacy/export/")
    expect(page.get_by_text("You have not asked for a copy of your data yet.")).to_be_visible()
    page.get_by_role("button", name="Ask for a copy of my data").click()

    expect(page.get_by_text("Ready to download")).to_be_visible(timeout=30_000)
    assert Export.objects.get().status == Export.Status.READY
    page.screenshot(path=str(screenshots_dir / "exports-ready.png"), full_page=True)
    with page.expect_download() as info:
        page.get_by_role("link", name="Download the archive").click()
    saved = tmp_path / "archive.zip"
    info.value.save_as(saved)

    with zipfile.ZipFile(saved) as archive:
        names = set(archive.namelist())
        assert {"README.txt", "account.json", "consents.json", "works.json", "sessions.json"} <= names
        account = json.loads(archive.read("account.json"))
        assert account["user"]["username"] == "ana"
        assert account["registration"]["legal_name"] == "ana 真名"
        assert "cy 真名" not in archive.read("account.json").decode()
    assert Export.objects.get().downloads == 1

    # Someone else signed in cannot use Ana's link.
    link = page.get_by_role("link", name="Download the archive").get_attribute("href")
    other = new_context().new_page()
    _sign_in(other, site, "cy", "/privacy/export/")
    response = other.goto(site + str(link))
    assert response is not None and response.status == 404

    phone = new_context(viewport={"width": 390, "height": 844}).new_page()
    _sign_in(phone, site, "ana", "/privacy/export/")
    fits_the_screen(phone)
    phone.screenshot(path=str(screenshots_dir / "exports-phone.png"), full_page=True)
