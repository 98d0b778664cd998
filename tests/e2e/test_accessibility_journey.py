"""Every role's main pages in Simplified Chinese and in English, at desktop and at phone width (issue 15).

The audit in conftest.py runs axe-core on each page these visits open and checks, at 390 px, that no page
scrolls sideways; the other journeys walk the same pages through their actions, mostly in English at 1280 px.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import Page, expect

from inspiracle.core.testing import image_bytes, make_user
from inspiracle.moderation.services import review_approve
from inspiracle.works.services import work_create
from tests.e2e.test_review_journey import _awaiting_work, _sign_in

pytestmark = pytest.mark.e2e

VISITOR_PAGES = [
    "/",
    "/gallery/",
    "/shop/",
    "/agreements/",
    "/reports/new/",
    "/reports/transparency/",
    "/privacy/",
    "/accounts/signin/",
    "/accounts/register/",
    "/accounts/password-reset/",
    "/u/ana/",
    "/u/ana/works/",
]
MEMBER_PAGES = [
    "/works/mine/",
    "/works/new/",
    "/accounts/me/",
    "/accounts/me/profile/",
    "/accounts/me/password/",
    "/accounts/me/sessions/",
    "/accounts/me/two-factor/",
    "/accounts/me/tokens/",
    "/accounts/me/consents/",
    "/inbox/",
    "/messages/",
    "/messages/settings/",
    "/licensing/",
    "/reports/",
    "/reposts/mine/",
    "/privacy/export/",
    "/shop/cart/",
    "/shop/orders/",
    "/shop/studio/",
]
MODERATOR_PAGES = ["/staff/", "/staff/review/", "/staff/works/", "/staff/users/", "/staff/appeals/"]
LEGAL_OFFICER_PAGES = [
    "/staff/reports/",
    "/staff/reports/counter-notices/",
    "/staff/reports/profiles/",
    "/staff/disclosure/",
    "/staff/licensing/",
    "/staff/licensing/register/",
    "/staff/licensing/disclosures/",
    "/staff/messages/reports/",
    "/staff/audit/",
    "/staff/verification/",
    "/staff/users/ana/",
]
ADMIN_PAGES = [
    "/staff/agreements/",
    "/staff/screening/",
    "/staff/names/",
    "/staff/shop/review/",
    "/staff/shop/orders/",
    "/staff/shop/payouts/",
    "/staff/shop/catalogue/",
]

LANGUAGES = {"zh-CN": "zh-Hans", "en-US": "en"}
WIDTHS = {1280: {"width": 1280, "height": 900}, 390: {"width": 390, "height": 844}}


def _visit(page: Page, site: str, paths: list[str], lang: str) -> None:
    for path in paths:
        response = page.goto(site + path)
        assert response is not None and response.ok, f"{path} answered {response and response.status}"
        expect(page.locator("html")).to_have_attribute("lang", lang)


@pytest.mark.parametrize("locale", LANGUAGES)
@pytest.mark.parametrize("width", WIDTHS)
def test_every_roles_main_pages_are_accessible_and_fit_a_phone_in_both_languages(
    new_context, site, locale: str, width: int
):
    """Visitor, creator, moderator, legal officer and administrator open their main pages; the audit
    (axe-core, WCAG 2.1 A and AA; no sideways scrolling at 390 px) checks each one.

    REQ: UX-1
    """
    ana = make_user("ana")
    make_user("mo", role="moderator")
    make_user("lee", role="legal_officer")
    make_user("root", role="admin")
    mo = make_user("ben", role="moderator")
    published = work_create(
        owner=ana,
        title="Teahouse at dusk",
        category="illustration",
        ai_use="none",
        rights_confirmed=True,
        repost_allowed=True,
        files=[SimpleUploadedFile("31.png", image_bytes("PNG", seed=31), content_type="image/png")],
    )
    review_approve(actor=mo, work=published)
    work = _awaiting_work(ana, "Cat on the stairs", seed=32)
    lang = LANGUAGES[locale]

    def browser() -> Page:
        return new_context(locale=locale, viewport=WIDTHS[width]).new_page()

    visitor = browser()
    _visit(visitor, site, [*VISITOR_PAGES, f"/works/{published.pk}/"], lang)
    # The attribution to copy is shown whole, "Source: Inspiracle" included, at both widths.
    attribution = visitor.locator("#attribution")
    expect(attribution).to_contain_text("Inspiracle")
    assert attribution.evaluate(
        "box => box.scrollHeight <= box.clientHeight + 1 && box.scrollWidth <= box.clientWidth + 1"
    )
    # The transparency charts keep their labels at 11 px or more: drawn at their own size, never shrunk.
    visitor.goto(f"{site}/reports/transparency/")
    charts = visitor.locator("svg.chart")
    expect(charts.first).to_be_visible()
    for k in range(charts.count()):
        assert charts.nth(k).evaluate("svg => svg.getBoundingClientRect().width >= svg.viewBox.baseVal.width")

    creator = browser()
    _sign_in(creator, site, "ana", "/works/mine/")
    _visit(creator, site, [*MEMBER_PAGES, f"/works/{work.pk}/"], lang)

    moderator = browser()
    _sign_in(moderator, site, "mo", "/staff/")
    _visit(moderator, site, [*MODERATOR_PAGES, f"/staff/review/{work.pk}/"], lang)

    legal = browser()
    _sign_in(legal, site, "lee", "/staff/")
    _visit(legal, site, LEGAL_OFFICER_PAGES, lang)

    admin = browser()
    _sign_in(admin, site, "root", "/staff/")
    _visit(admin, site, ADMIN_PAGES, lang)


@pytest.mark.browser_context_args(locale="en-US")
def test_the_processing_status_is_told_in_words_and_announced(page: Page, site, monkeypatch):
    """While the files are checked, the work page's status box is a polite live region; when a file passes,
    its badge says so in words, not only in colour. The broker is down here (the checks never start), and
    the page's poll of the API is answered as if one file had just passed.

    REQ: UX-1
    """
    from inspiracle.pipeline import tasks

    monkeypatch.setattr(tasks.process_file, "delay", lambda *args, **kwargs: None)
    ana = make_user("ana")
    work = work_create(
        owner=ana,
        title="Still being checked",
        category="illustration",
        ai_use="none",
        rights_confirmed=True,
        files=[SimpleUploadedFile("41.png", image_bytes("PNG", seed=41), content_type="image/png")],
    )
    file = work.files.get()
    page.route(
        "**/api/works/*",
        lambda route: route.fulfill(
            json={"id": work.pk, "status": "processing", "files": [{"id": file.pk, "status": "ready"}]}
        ),
    )
    _sign_in(page, site, "ana", f"/works/{work.pk}/")
    status = page.locator("#work-status")
    expect(status).to_have_attribute("role", "status")
    expect(status).to_have_attribute("aria-live", "polite")
    badge = status.locator(f"[data-file='{file.pk}'] .badge")
    expect(badge).to_have_text("Passed the checks")
    expect(badge).to_have_class("badge state-ready")
