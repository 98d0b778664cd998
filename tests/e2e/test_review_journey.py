"""Reviewing works, walked through in a real browser (Chromium via Playwright): the review queue, claiming an
item, the decision form, and what the creator is then told on the work page and in the inbox.

The uploads are set up through the same service the upload page calls (the upload journey covers the page);
Celery is eager, so with the live server's transactional database the checks run when the upload commits.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from playwright.sync_api import Page, expect

from inspiracle.core.testing import PASSWORD, image_bytes, make_user
from inspiracle.moderation.models import Decision, ReviewClaim
from inspiracle.moderation.services import review_claim, review_decide
from inspiracle.notifications.models import Notification
from inspiracle.works.models import Work
from inspiracle.works.services import work_create

# English unless a test switches language with the header buttons, whatever the machine's own locale is.
pytestmark = [pytest.mark.e2e, pytest.mark.browser_context_args(locale="en-US")]

QUEUE = "/staff/review/"
WORK_STATUS = "#work-status > p .badge"
INBOX_BADGE = "header nav a[href='/inbox/'] .badge"


def _sign_in(page: Page, site: str, username: str, then: str) -> None:
    page.goto(f"{site}/accounts/signin/?next={then}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type='submit']").click()
    expect(page).to_have_url(site + then)
    page.wait_for_load_state()  # the page's scripts too (they run after the address changes)


def _awaiting_work(owner, title: str, seed: int, **extra) -> Work:
    work = work_create(
        owner=owner,
        title=title,
        category="illustration",
        ai_use="none",
        rights_confirmed=True,
        files=[SimpleUploadedFile(f"{seed}.png", image_bytes("PNG", seed=seed), content_type="image/png")],
        **extra,
    )
    work.refresh_from_db()
    assert work.status == Work.Status.AWAITING_REVIEW
    return work


def _queue_row(page: Page, title: str):
    return page.locator("main table tbody tr", has_text=title)


def _open_and_claim(page: Page, site: str, work: Work) -> None:
    """From the queue: open the item and claim it; the decision form then replaces the claim button."""
    page.goto(site + QUEUE)
    _queue_row(page, work.title).get_by_role("link", name=work.title).click()
    expect(page).to_have_url(f"{site}{QUEUE}{work.pk}/")
    page.get_by_role("button", name="Claim this work").click()
    expect(page).to_have_url(f"{site}{QUEUE}{work.pk}/")
    expect(page.get_by_role("button", name="Decide")).to_be_visible()
    expect(page.get_by_role("button", name="Claim this work")).to_have_count(0)


def _decide(page: Page, kind: str, *, reason: str = "", message: str = "") -> None:
    page.check(f"input[name='kind'][value='{kind}']")
    if reason:
        page.select_option("#id_reason_code", label=reason)
    if message:
        page.fill("#id_message", message)
    page.get_by_role("button", name="Decide").click()


def test_a_moderator_approves_a_work_and_it_is_public_and_the_creator_is_told(
    page: Page, new_context, site, screenshots_dir
):
    """The moderator finds the work in the queue, opens it, claims it and approves it; the queue says so, a
    visitor finds the work in the gallery, and the creator has one unread notice saying it is published.

    REQ: MOD-1, MOD-2, UX-4
    """
    ana = make_user("ana")
    make_user("mo", role="moderator")
    work = _awaiting_work(ana, "Lanterns at dusk", seed=11)

    _sign_in(page, site, "mo", QUEUE)
    row = _queue_row(page, "Lanterns at dusk")
    expect(row).to_contain_text("@ana")
    expect(row.locator("img")).to_have_count(1)  # the cover thumbnail
    page.screenshot(path=str(screenshots_dir / "review-queue.png"), full_page=True)

    _open_and_claim(page, site, work)
    expect(page.locator("main h1")).to_have_text("Lanterns at dusk")
    expect(page.locator(".previews img")).to_have_count(1)
    page.screenshot(path=str(screenshots_dir / "review-item-claimed.png"), full_page=True)
    _decide(page, "approve")

    expect(page).to_have_url(site + QUEUE)
    expect(page.locator("ul.messages li.success")).to_have_text("Decided: “Lanterns at dusk”.")
    expect(_queue_row(page, "Lanterns at dusk")).to_have_count(0)
    work.refresh_from_db()
    assert work.status == Work.Status.PUBLISHED
    assert work.published_by.username == "mo"
    assert not ReviewClaim.objects.filter(work=work).exists()

    visitor = new_context().new_page()
    visitor.goto(f"{site}/gallery/")
    expect(visitor.locator(f"main .card a[href='/works/{work.pk}/']")).to_contain_text("Lanterns at dusk")

    creator = new_context().new_page()
    _sign_in(creator, site, "ana", f"/works/{work.pk}/")
    expect(creator.locator(WORK_STATUS)).to_have_text("Published")
    expect(creator.locator(INBOX_BADGE)).to_have_text("1")
    creator.locator("header nav a[href='/inbox/']").click()
    expect(creator).to_have_url(f"{site}/inbox/")
    notice = creator.locator("main article.unread")
    expect(notice).to_have_count(1)
    expect(notice).to_contain_text("Your work “Lanterns at dusk” is published")
    creator.screenshot(path=str(screenshots_dir / "review-inbox-published.png"), full_page=True)


def test_a_correction_is_read_and_resubmitted_then_the_work_is_rejected_with_a_reason(
    page: Page, new_context, site, screenshots_dir
):
    """The moderator asks for a correction with a message; the creator reads it on the work page and
    resubmits; the work is back in the queue, where the moderator rejects it for infringing third-party
    rights, and the work page tells the creator so.

    REQ: MOD-2
    """
    ana = make_user("ana")
    make_user("mo", role="moderator")
    work = _awaiting_work(ana, "Borrowed mouse", seed=12)
    note = "Please credit the original character designer in the description."

    _sign_in(page, site, "mo", QUEUE)
    _open_and_claim(page, site, work)
    _decide(page, "correction", message=note)
    expect(page).to_have_url(site + QUEUE)
    expect(page.locator("ul.messages li.success")).to_contain_text("Borrowed mouse")
    expect(_queue_row(page, "Borrowed mouse")).to_have_count(0)

    creator = new_context().new_page()
    _sign_in(creator, site, "ana", f"/works/{work.pk}/")
    expect(creator.locator(WORK_STATUS)).to_have_text("Changes requested")
    decision_note = creator.locator("#work-status .notice")
    expect(decision_note).to_contain_text("Correction requested")
    expect(decision_note).to_contain_text(note)
    expect(creator.locator(".owner-actions").get_by_role("link", name="Edit")).to_be_visible()
    creator.screenshot(path=str(screenshots_dir / "review-correction-requested.png"), full_page=True)
    creator.get_by_role("button", name="Resubmit for review").click()
    expect(creator.locator("ul.messages li.success")).to_have_text("The work is back in review.")
    expect(creator.locator(WORK_STATUS)).to_have_text("Awaiting review")
    expect(creator.get_by_role("button", name="Resubmit for review")).to_have_count(0)

    page.goto(site + QUEUE)
    expect(_queue_row(page, "Borrowed mouse")).to_have_count(1)
    _open_and_claim(page, site, work)
    expect(page.locator("main .meta")).to_contain_text("revision 2")
    _decide(page, "reject", reason="Infringes third-party rights")
    expect(page).to_have_url(site + QUEUE)
    expect(page.locator("ul.messages li.success")).to_contain_text("Borrowed mouse")

    creator.reload()
    expect(creator.locator(WORK_STATUS)).to_have_text("Rejected in review")
    decision_note = creator.locator("#work-status .notice")
    expect(decision_note).to_contain_text("Rejected")
    expect(decision_note).to_contain_text("Infringes third-party rights")
    expect(creator.get_by_role("button", name="Resubmit for review")).to_have_count(0)
    creator.screenshot(path=str(screenshots_dir / "review-rejected.png"), full_page=True)

    work.refresh_from_db()
    assert work.status == Work.Status.DECLINED
    assert list(work.decisions.order_by("pk").values_list("kind", "reason_code", "revision")) == [
        (Decision.Kind.CORRECTION, "", 1),
        (Decision.Kind.REJECT, "third_party_rights", 2),
    ]


def test_a_second_moderator_sees_who_holds_a_work_and_cannot_decide_it(
    page: Page, new_context, site, screenshots_dir
):
    """Moderator A claims a work; B sees it held by A in the queue and, on the item, "@A is reviewing this
    work" and no decision form; B's attempt to claim it anyway is refused with A's name.

    REQ: MOD-1
    """
    ana = make_user("ana")
    make_user("amy", role="moderator")
    make_user("ben", role="moderator")
    work = _awaiting_work(ana, "Harbour at night", seed=13)

    _sign_in(page, site, "amy", QUEUE)
    _open_and_claim(page, site, work)

    ben = new_context().new_page()
    _sign_in(ben, site, "ben", QUEUE)
    expect(_queue_row(ben, "Harbour at night").locator("td").nth(6)).to_have_text("@amy")
    ben.goto(f"{site}{QUEUE}{work.pk}/")
    expect(ben.locator("main .notice.warn")).to_have_text("@amy is reviewing this work.")
    expect(ben.locator("input[name='kind']")).to_have_count(0)
    expect(ben.get_by_role("button", name="Decide")).to_have_count(0)
    ben.screenshot(path=str(screenshots_dir / "review-held-by-another.png"), full_page=True)

    expect(ben.get_by_role("button", name="Claim this work")).to_have_count(0)
    assert ReviewClaim.objects.get(work=work).moderator.username == "amy"
    work.refresh_from_db()
    assert work.status == Work.Status.AWAITING_REVIEW


def test_the_inbox_reads_in_chinese(page: Page, site, screenshots_dir):
    """After switching to 中文 the inbox is in Simplified Chinese, the notice of an approved work included.

    REQ: UX-1, UX-4
    """
    ana = make_user("ana")
    mo = make_user("mo", role="moderator")
    work = _awaiting_work(ana, "茶馆里的猫", seed=14)
    # The decision itself is the first journey's; here it is made through the service, to save time.
    review_claim(actor=mo, work=work)
    review_decide(actor=mo, work=work, kind=Decision.Kind.APPROVE, revision=work.revision)
    assert Notification.objects.filter(user=ana).count() == 1

    _sign_in(page, site, "ana", "/inbox/")
    with page.expect_navigation():
        page.click("button[name='language'][value='zh-hans']")
    expect(page).to_have_url(f"{site}/inbox/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    with translation.override("zh-hans"):
        inbox = translation.gettext("Inbox")
        subject = translation.gettext("Your work “%(title)s” is published") % {"title": "茶馆里的猫"}
    assert "已发布" in subject  # the catalogue really has the translation
    expect(page.locator("main h1")).to_have_text(inbox)
    notice = page.locator("main article.unread")
    expect(notice).to_contain_text(subject)
    expect(notice).to_contain_text("已发布")
    expect(page.locator(INBOX_BADGE)).to_have_text("1")
    page.screenshot(path=str(screenshots_dir / "review-inbox-zh-hans.png"), full_page=True)
