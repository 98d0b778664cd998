"""A state authority's request walked through in the browser (PRV-5): Lee records it with the authority's letter,
Lena (a second legal officer) approves it, Lee downloads the export (its archive opened here: exactly the scope),
and a second download, from a page still showing the button, is refused. One pass at phone width (390 px)
checks the register and the request page do not scroll sideways."""

import datetime as dt
import io
import json
import re
import zipfile

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from inspiracle.core.testing import PDF, make_user
from inspiracle.disclosure.models import DisclosureRequest
from inspiracle.moderation.services import review_approve
from inspiracle.notifications.models import Notification
from tests.e2e.phone import fits_the_screen
from tests.e2e.test_review_journey import _awaiting_work, _sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.browser_context_args(locale="en-US")]


def test_an_authority_request_is_recorded_approved_and_answered_once(
    page: Page, new_context, site, screenshots_dir, tmp_path
):
    """REQ: PRV-5"""
    ana, cy = make_user("ana"), make_user("cy")
    mo = make_user("mo", role="moderator")
    make_user("lee", role="legal_officer")
    make_user("lena", role="legal_officer")
    work = _awaiting_work(ana, "Koi in spring", seed=51)
    review_approve(actor=mo, work=work)
    _awaiting_work(cy, "Not in scope", seed=52)
    today = timezone.localdate()

    # Lee records the request from the register.
    _sign_in(page, site, "lee", "/staff/disclosure/")
    page.get_by_role("link", name="Record a request").click()
    page.locator("#id_authority").fill("Hangzhou Public Security Bureau")
    page.get_by_label("The authority's reference number").fill("HZ-2026-118")
    page.get_by_label("Legal basis").fill("Criminal Procedure Law art. 54")
    page.get_by_label("Accounts (usernames)").fill("@ana")
    page.get_by_label("Content (works and their files)").check()
    page.get_by_label("Publication times").check()
    page.get_by_label("Period from").fill((today - dt.timedelta(days=7)).isoformat())
    page.get_by_label("Period to").fill(today.isoformat())
    page.get_by_label("Deadline").fill((today + dt.timedelta(days=10)).isoformat())
    page.get_by_label("Document received (PDF, JPEG or PNG)").set_input_files(
        files=[{"name": "letter.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name="Record the request").click()
    expect(page).to_have_url(re.compile(r"/staff/disclosure/AR-\w+/$"))
    expect(page.locator("#status")).to_have_text("Awaiting approval")
    expect(page.locator("#decide")).to_have_count(0)  # not his own request to decide
    found = DisclosureRequest.objects.get()

    # Lena approves it; the export is built.
    lena = new_context().new_page()
    _sign_in(lena, site, "lena", f"/staff/disclosure/{found.reference}/")
    lena.get_by_label("Approve").check()
    lena.get_by_label("Reason").fill("The letter covers this account and period.")
    lena.get_by_role("button", name="Record the decision").click()
    expect(lena.locator("#status")).to_have_text("Export ready to download")

    # Lee opens the request in two tabs and downloads once.
    page.reload()
    stale = page.context.new_page()
    stale.goto(f"{site}/staff/disclosure/{found.reference}/")
    with page.expect_download() as info:
        page.get_by_role("button", name="Download the export (once)").click()
    target = tmp_path / "export.zip"
    info.value.save_as(target)
    archive = zipfile.ZipFile(io.BytesIO(target.read_bytes()))
    manifest = json.loads(archive.read("disclosure.json"))
    [account] = manifest["accounts"]
    assert account["username"] == "ana" and set(account) == {
        "username",
        "account_id",
        "works",
        "publications",
    }
    assert [w["id"] for w in account["works"]] == [work.pk]
    assert [p["work"] for p in account["publications"]] == [work.pk]
    assert set(archive.namelist()) == {"disclosure.json"} | {
        f["archive_path"] for w in account["works"] for f in w["files"]
    }
    page.goto(f"{site}/staff/disclosure/{found.reference}/")
    expect(page.locator("#status")).to_have_text("Delivered")
    expect(page.locator("#delivered")).to_contain_text("downloaded by @lee")
    assert Notification.objects.filter(user=ana, template="disclosure_delivered").count() == 1

    # The second download, from the page still showing the button, is refused and says why.
    stale.get_by_role("button", name="Download the export (once)").click()
    expect(stale.locator("main")).to_contain_text("it is downloaded once only")
    page.screenshot(path=str(screenshots_dir / "disclosure-delivered.png"), full_page=True)

    phone = new_context(viewport={"width": 390, "height": 844}).new_page()
    _sign_in(phone, site, "lena", "/staff/disclosure/")
    fits_the_screen(phone)
    phone.goto(f"{site}/staff/disclosure/{found.reference}/")
    fits_the_screen(phone)
    phone.goto(f"{site}/staff/disclosure/new/")
    fits_the_screen(phone)
    phone.screenshot(path=str(screenshots_dir / "disclosure-phone.png"), full_page=True)
