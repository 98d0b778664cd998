"""Registration and the consent gate, walked through in a real browser (Chromium via Playwright)."""

import re

import pytest
from django.utils import timezone, translation
from playwright.sync_api import Page, expect

from inspiracle.accounts.models import User
from inspiracle.agreements.models import Consent, Document
from inspiracle.agreements.selectors import required_versions_in_force
from inspiracle.agreements.services import version_publish
from inspiracle.core.testing import PASSWORD, make_user

pytestmark = pytest.mark.e2e

AGREE = "button[name='agree']"
DECLINE = "button[name='decline']"
ACCEPT_BOXES = "input[type='checkbox'][name='accept']"


def _path_is(site: str, path: str) -> re.Pattern:
    return re.compile(re.escape(site + path) + r"(\?.*)?$")


def test_a_new_person_registers_edits_the_public_profile_and_only_chosen_fields_are_public(page: Page, site):
    """Nothing is pre-ticked; registering records one consent per agreement with IP and browser; the public
    page shows the chosen display name and about text, never the real name or phone.

    REQ: REG-1, REG-2, PRV-6
    """
    page.goto(f"{site}/accounts/register/")
    expect(page.locator("h1")).to_be_visible()
    css_loaded = page.evaluate("() => [...document.styleSheets].some(s => s.cssRules.length > 0)")
    assert css_loaded, "site.css did not load"

    boxes = page.locator(ACCEPT_BOXES)
    in_force = required_versions_in_force()
    expect(boxes).to_have_count(len(in_force))
    assert len(in_force) == 4
    for i in range(boxes.count()):
        expect(boxes.nth(i)).not_to_be_checked()  # REG-1: nothing ticked for the user
    expect(page.locator("#id_age_attested")).not_to_be_checked()

    page.fill("#id_username", "zhang_san")
    page.fill("#id_password", PASSWORD)
    page.fill("#id_legal_name", "张三")
    page.fill("#id_mailing_address", "北京市东城区景山前街 4 号")
    page.fill("#id_mobile", "13912345678")
    for i in range(boxes.count()):
        boxes.nth(i).check()
    page.check("#id_age_attested")
    page.click(AGREE)
    expect(page).to_have_url(_path_is(site, "/accounts/me/"))

    page.goto(f"{site}/accounts/me/profile/")
    page.fill("#id_display_name", "Sunny Sketches")
    page.fill("#id_bio", "I draw cats and tea houses.")
    page.locator("main form", has=page.locator("#id_display_name")).locator("button[type='submit']").click()
    expect(page).to_have_url(_path_is(site, "/accounts/me/profile/"))
    expect(page.locator("ul.messages li.success")).to_be_visible()

    response = page.goto(f"{site}/u/zhang_san/")
    assert response is not None and response.status == 200
    expect(page.locator("main h1")).to_contain_text("Sunny Sketches")
    expect(page.locator("main")).to_contain_text("I draw cats and tea houses.")
    public_html = page.content()
    assert "张三" not in public_html  # PRV-6: registration information never public
    assert "13912345678" not in public_html
    assert "景山前街" not in public_html

    user = User.objects.get(username="zhang_san")
    consents = list(Consent.objects.filter(user=user).select_related("version"))
    assert len(consents) == 4
    assert {c.version.label for c in consents} == {v.label for v in in_force}
    for consent in consents:
        assert consent.ip == "127.0.0.1"
        assert consent.user_agent.strip()
        assert consent.method == Consent.Method.REGISTRATION


def test_a_visitor_who_declines_can_browse_but_is_refused_the_upload_page(page: Page, site):
    """Declining leads to the declined page; the agreements stay readable; an upload page answers 403 with
    the gate page, which links to the agreements. No account and no consent is created.

    REQ: REG-3
    """
    page.goto(f"{site}/accounts/register/")
    page.click(DECLINE)
    expect(page).to_have_url(_path_is(site, "/accounts/register/declined/"))
    expect(page.locator("main a[href='/agreements/']")).to_be_visible()

    response = page.goto(f"{site}/agreements/")
    assert response is not None and response.status == 200
    for version in required_versions_in_force():
        expect(page.locator(f"main a[href='/agreements/{version.document.slug}/']")).to_be_visible()

    response = page.goto(f"{site}/accounts/me/profile/")
    assert response is not None and response.status == 403
    expect(page.locator("main a[href='/agreements/']")).to_be_visible()
    expect(page.locator("main a[href='/accounts/register/']")).to_be_visible()
    assert not User.objects.exists()
    assert not Consent.objects.exists()


def test_the_registration_page_reads_in_chinese_and_in_english(page: Page, site, screenshots_dir):
    """The language switcher serves the registration page in Simplified Chinese and in English; screenshots
    of both are kept in test-results/.

    REQ: UX-1
    """
    page.goto(f"{site}/accounts/register/")

    with page.expect_navigation():
        page.click("button[name='language'][value='zh-hans']")
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    with translation.override("zh-hans"):
        heading_zh = translation.gettext("Create your Inspiracle account")
    expect(page.locator("main h1")).to_have_text(heading_zh)
    page.screenshot(path=str(screenshots_dir / "register-zh-hans.png"), full_page=True)

    with page.expect_navigation():
        page.click("button[name='language'][value='en']")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("main h1")).to_have_text("Create your Inspiracle account")
    expect(page).to_have_url(_path_is(site, "/accounts/register/"))
    page.screenshot(path=str(screenshots_dir / "register-en.png"), full_page=True)


def test_a_user_with_outdated_agreements_is_gated_until_they_accept_the_new_version(page: Page, site):
    """A new privacy policy needing re-acceptance comes into force today: the signed-in user may browse but
    the upload page is refused (403) until they tick and accept it on /agreements/accept/.

    REQ: AGR-4, REG-3
    """
    user = make_user("returning")
    version_publish(
        actor=None,
        document=Document.objects.get(slug="privacy-policy"),
        text_zh="新的隐私政策\n",
        text_en="New privacy policy\n",
        effective_date=timezone.localdate(),
        requires_reacceptance=True,
    )

    page.goto(f"{site}/accounts/signin/")
    page.fill("#id_username", "returning")
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type='submit']").click()
    expect(page).to_have_url(_path_is(site, "/accounts/me/"))

    response = page.goto(f"{site}/accounts/me/profile/")
    assert response is not None and response.status == 403
    expect(page.locator("main .consent-banner")).to_be_visible()
    accept_link = page.locator("main a.button[href='/agreements/accept/?next=/accounts/me/profile/']")
    expect(accept_link).to_be_visible()
    accept_link.click()
    expect(page).to_have_url(_path_is(site, "/agreements/accept/"))
    expect(page.locator("main .consent-banner")).to_have_count(0)

    boxes = page.locator(ACCEPT_BOXES)
    expect(boxes).to_have_count(1)
    expect(boxes.first).not_to_be_checked()
    expect(page.locator("main .agreement-box")).to_contain_text(re.compile("New privacy policy|新的隐私政策"))
    boxes.first.check()
    page.locator("main form button[type='submit']").click()
    # Back where the gate stopped them, the page now open to them.
    expect(page).to_have_url(_path_is(site, "/accounts/me/profile/"))
    expect(page.locator("main .consent-banner")).to_have_count(0)
    expect(page.locator("#id_display_name")).to_be_visible()
    consent = Consent.objects.get(user=user, version__document__slug="privacy-policy", version__number=2)
    assert consent.method == Consent.Method.REACCEPTANCE
    assert consent.ip == "127.0.0.1"
