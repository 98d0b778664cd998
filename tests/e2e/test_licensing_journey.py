"""Licensing walked through in the browser (issue 11): a verified brand asks to license a creator's published
work exclusively, the creator proposes a higher fee, the brand accepts the version it read, the deal is made and
the work carries the exclusive mark; a second brand's overlapping request is refused with the conflict shown.
One pass at phone width (390 px) checks that the request page does not scroll sideways.
"""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from inspiracle.accounts.services import account_verify
from inspiracle.agreements.selectors import local_today
from inspiracle.core.testing import make_user
from inspiracle.licensing.models import ContactDisclosure, Deal, LicenceRequest
from inspiracle.moderation.services import review_approve
from inspiracle.works.models import Work
from tests.e2e.phone import fits_the_screen
from tests.e2e.test_review_journey import _awaiting_work, _sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.browser_context_args(locale="en-US")]
EXCLUSIVE_MARK = "Exclusive License, No Reposting"


def _verified_brand(username: str, admin):
    return account_verify(
        actor=admin,
        user=make_user(username, kind="organization"),
        verified=True,
        reason="certificate checked",
    )


def _ask(page: Page, *, kind: str, use: str, territory: str, fee: str) -> None:
    """On the request form: one work, apparel sold online in ``territory``, from today for a year, flat fee."""
    today = local_today()
    page.get_by_label(kind, exact=True).check()
    page.get_by_label("Intended use").fill(use)
    page.locator("#id_product_categories").get_by_label("Apparel").check()
    page.locator("#id_territories").get_by_label(territory, exact=True).check()
    page.locator("#id_channels").get_by_label("Online shops").check()
    page.get_by_label("Term starts on").fill(today.isoformat())
    page.get_by_label("Term ends on").fill((today + timedelta(days=365)).isoformat())
    page.get_by_label("Flat fee", exact=True).check()
    expect(page.get_by_label("Royalty (%)")).to_be_hidden()  # only the amount this fee model needs
    page.get_by_label("Flat fee (CNY)").fill(fee)
    page.get_by_role("button", name="Send the request").click()


def test_a_brand_licenses_a_work_exclusively_after_a_counter_proposal_and_a_second_brand_is_refused(
    page: Page, new_context, site, screenshots_dir
):
    """REQ: COM-1, COM-2, COM-3, COM-6, WRK-6, PRV-4"""
    ana = make_user("ana")
    mo = make_user("mo", role="moderator")
    ada = make_user("ada", role="admin")
    _verified_brand("ben_brand", ada)
    _verified_brand("cleo_brand", ada)
    work = _awaiting_work(ana, "Koi in spring", seed=31)
    review_approve(actor=mo, work=work)

    # The brand asks from the work page for an exclusive licence.
    _sign_in(page, site, "ben_brand", f"/works/{work.pk}/")
    page.get_by_role("link", name="Ask for a licence").click()
    expect(page).to_have_url(f"{site}/licensing/new/?works={work.pk}")
    _ask(
        page,
        kind="Exclusive licence",
        use="A capsule collection of T-shirts",
        territory="Mainland China",
        fee="30000",
    )
    expect(page).to_have_url(re.compile(r"/licensing/requests/L-\w+/$"))
    expect(page.locator("ul.messages li.success")).to_contain_text("is sent")
    request_url = page.url
    reference = LicenceRequest.objects.get().reference
    page.screenshot(path=str(screenshots_dir / "licensing-request-sent.png"), full_page=True)

    # The creator finds it in her licensing hub and proposes a higher fee.
    creator = new_context().new_page()
    _sign_in(creator, site, "ana", "/works/mine/")
    creator.locator("header nav").get_by_role("link", name="Licensing").click()
    row = creator.locator("main .requests li", has_text=reference)
    expect(row).to_contain_text("Received from")
    expect(row).to_contain_text("@ben_brand")
    row.get_by_role("link", name=reference).click()
    expect(creator.locator("main")).to_contain_text("A capsule collection of T-shirts")
    creator.get_by_role("link", name="Propose other terms").click()
    expect(creator.get_by_label("Flat fee (CNY)")).to_have_value("30000.00")
    creator.get_by_label("Flat fee (CNY)").fill("36000")
    creator.get_by_label("Message (optional)").fill("Exclusivity costs a little more.")
    creator.get_by_role("button", name="Send the proposal").click()
    expect(creator).to_have_url(request_url)
    expect(creator.locator("main")).to_contain_text("Version 2 by @ana")
    expect(creator.get_by_role("button", name=re.compile("Accept version"))).to_have_count(0)

    # The brand reads what changed and accepts version 2.
    page.reload()
    latest = page.locator("article#v2")
    expect(latest).to_contain_text("Changed: Flat fee (CNY)")
    expect(latest.locator("table.diff ins")).to_contain_text("36000")
    page.screenshot(path=str(screenshots_dir / "licensing-counter-proposal.png"), full_page=True)
    page.get_by_role("button", name="Accept version 2").click()
    expect(page.locator("ul.messages li.success")).to_contain_text("deal")
    deal = Deal.objects.get()
    assert deal.proposal.number == 2 and deal.licensee.username == "ben_brand"
    expect(page.get_by_role("link", name="Open the deal")).to_have_attribute(
        "href", f"/licensing/deals/{deal.reference}/"
    )
    creator.reload()
    expect(creator.get_by_role("link", name="Open the deal")).to_be_visible()
    # Both parties open the deal and see each other's contact details (PRV-4), each showing logged.
    page.get_by_role("link", name="Open the deal").click()
    expect(page.locator("main #contact")).to_contain_text("ana 真名")
    expect(page.locator("main #contact")).to_contain_text("北京市东城区景山前街 4 号")
    creator.get_by_role("link", name="Open the deal").click()
    expect(creator.locator("main #contact")).to_contain_text("ben_brand 真名")
    page.screenshot(path=str(screenshots_dir / "licensing-deal.png"), full_page=True)
    assert ContactDisclosure.objects.filter(deal=deal, via=ContactDisclosure.Via.PAGE).count() == 2

    # The work carries the exclusive mark.
    creator.goto(f"{site}/works/{work.pk}/")
    expect(creator.locator("main .mark.exclusive")).to_contain_text(EXCLUSIVE_MARK)
    assert Work.objects.get(pk=work.pk).is_exclusive

    # A second brand's overlapping request is refused, with the grant in the way shown (no private terms).
    cleo = new_context().new_page()
    _sign_in(cleo, site, "cleo_brand", f"/works/{work.pk}/")
    expect(cleo.locator("main .mark.exclusive")).to_contain_text(EXCLUSIVE_MARK)
    cleo.get_by_role("link", name="Ask for a licence").click()
    _ask(cleo, kind="IP licence", use="Tote bags for our stores", territory="All", fee="5000")
    conflict = cleo.locator("main .conflicts")
    expect(conflict).to_contain_text("These rights are already licensed")
    expect(conflict).to_contain_text("@ben_brand")
    expect(conflict).to_contain_text(deal.reference)
    expect(cleo.locator("main")).not_to_contain_text("36000")
    expect(cleo.locator("main")).not_to_contain_text("A capsule collection of T-shirts")
    expect(cleo.get_by_label("Intended use")).to_have_value("Tote bags for our stores")
    cleo.screenshot(path=str(screenshots_dir / "licensing-conflict.png"), full_page=True)
    assert LicenceRequest.objects.count() == 1

    # At phone width the request page (and the hub) fit the screen: nothing scrolls sideways.
    phone = new_context(viewport={"width": 390, "height": 844}).new_page()
    _sign_in(phone, site, "ben_brand", f"/licensing/requests/{reference}/")
    for path in (f"/licensing/requests/{reference}/", "/licensing/", f"/licensing/new/?works={work.pk}"):
        phone.goto(site + path)
        fits_the_screen(phone, path)
    phone.goto(f"{site}/licensing/requests/{reference}/")
    phone.screenshot(path=str(screenshots_dir / "licensing-request-phone.png"), full_page=True)
