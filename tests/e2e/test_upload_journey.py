"""Uploading a work, walked through in a real browser (Chromium via Playwright): the upload page and its
script, the checks, the work page, publication by staff and what a visitor then sees.

Celery is eager in the tests, so the live server runs the checks inside the upload request, after commit: the
work page usually opens on the outcome, and otherwise its script reloads it when the status changes.
"""

import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from playwright.sync_api import Page, expect

from inspiracle.core.testing import PASSWORD, image_bytes, make_user
from inspiracle.works.models import Work, WorkFile
from inspiracle.works.services import work_create

# English unless a test switches language with the header buttons, whatever the machine's own locale is.
pytestmark = [pytest.mark.e2e, pytest.mark.browser_context_args(locale="en-US")]

WORK_PAGE = re.compile(r"/works/(\d+)/$")
SUBMIT = "#upload-form button[type='submit']"
WORK_STATUS = "#work-status > p .badge"


def _sign_in(page: Page, site: str, username: str, then: str) -> None:
    page.goto(f"{site}/accounts/signin/?next={then}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type='submit']").click()
    expect(page).to_have_url(site + then)
    page.wait_for_load_state()  # the page's scripts too (they run after the address changes)


def _png(name: str, seed: int) -> dict:
    return {"name": name, "mimeType": "image/png", "buffer": image_bytes("PNG", seed=seed)}


def _zip_named_png() -> dict:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("readme.txt", "not a picture")
    return {"name": "evil.png", "mimeType": "image/png", "buffer": archive.getvalue()}


def _fill_details(page: Page, *, title: str, tags: str = "") -> None:
    page.fill("#id_title", title)
    page.fill("#id_description", "Ink and watercolour, 2024.")
    page.select_option("#id_category", "illustration")
    page.fill("#id_tags", tags)
    page.check("#id_ai_use_0")  # "No AI"


def _submitted_work(page: Page) -> Work:
    page.click(SUBMIT)
    expect(page).to_have_url(WORK_PAGE)
    match = WORK_PAGE.search(page.url)
    assert match is not None
    return Work.objects.get(pk=int(match.group(1)))


def test_a_creator_uploads_two_images_and_the_work_waits_for_review(page: Page, site, screenshots_dir):
    """Both chosen files are listed with a progress bar; the form posts to the API and the creator lands on
    the work page, which shows the outcome of the checks: awaiting review.

    REQ: WRK-1, WRK-2, WRK-4, WRK-11
    """
    ana = make_user("ana")
    _sign_in(page, site, "ana", "/works/new/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#id_no_ai_training")).to_be_checked()  # WRK-11: on by default
    expect(page.locator("#id_rights_confirmed")).not_to_be_checked()

    page.set_input_files("#files", [_png("teahouse.png", 1), _png("cat.png", 2)])
    items = page.locator("#file-list li")
    expect(items).to_have_count(2)
    expect(items.nth(0)).to_contain_text("teahouse.png")
    expect(items.nth(1)).to_contain_text("cat.png")
    expect(page.locator("#file-list li progress")).to_have_count(2)

    _fill_details(page, title="Tea house cats", tags="cats, tea houses")
    page.check("#id_rights_confirmed")
    page.screenshot(path=str(screenshots_dir / "upload-form-en.png"), full_page=True)
    work = _submitted_work(page)

    # The eager pipeline has usually finished already; if not, work.js reloads the page when it has.
    expect(page.locator(WORK_STATUS)).to_have_text("Awaiting review")
    expect(page.locator("#work-status .file-status li")).to_have_count(2)
    expect(page.locator("main h1")).to_have_text("Tea house cats")
    # Screen readers hear the outcome, not only see its colour: the live region says it once on arrival.
    announced = page.locator("#work-status-announce[role='status'] p")
    expect(announced).to_have_text(
        ["Status: Awaiting review", "The files passed the checks; a reviewer will look at the work soon."]
    )
    page.reload()
    expect(page.locator(WORK_STATUS)).to_have_text("Awaiting review")
    expect(page.locator("#work-status-announce")).to_be_empty()  # a reload is not news
    page.screenshot(path=str(screenshots_dir / "upload-awaiting-review.png"), full_page=True)

    work.refresh_from_db()
    assert work.owner == ana
    assert work.status == Work.Status.AWAITING_REVIEW
    assert work.rights_confirmed_at is not None
    assert work.licence_version.document.slug == "creator-display-authorization"  # WRK-4
    assert work.no_ai_training and work.ai_use == "none"
    assert sorted(t.name for t in work.tags.all()) == ["cats", "tea houses"]
    assert [f.original_name for f in work.files.order_by("position")] == ["teahouse.png", "cat.png"]
    assert {f.status for f in work.files.all()} == {WorkFile.Status.READY}


def test_an_upload_without_title_or_rights_confirmation_shows_the_errors_in_place(page: Page, site):
    """The API's field errors appear next to the title and the rights confirmation; nothing is created.

    REQ: WRK-1
    """
    make_user("ana")
    _sign_in(page, site, "ana", "/works/new/")
    page.set_input_files("#files", [_png("untitled.png", 3)])
    page.select_option("#id_category", "design")
    with page.expect_response(f"{site}/api/works") as answer:
        page.click(SUBMIT)
    assert answer.value.status == 400
    assert set(answer.value.json()["error"]["fields"]) == {"title", "rights_confirmed"}

    # The script puts the API's messages in place (class "js"); the page itself was not reloaded.
    expect(page.locator("#upload-form .errors.js[role='alert']")).to_have_text(
        "Nothing was uploaded; correct the fields marked below."
    )
    title_field = page.locator(".field.invalid", has=page.locator("#id_title"))
    expect(title_field.locator("p.error.js")).to_have_text("Give the work a title.")
    rights_field = page.locator(".field.invalid", has=page.locator("#id_rights_confirmed"))
    expect(rights_field.locator("p.error.js")).to_have_text(
        "Confirm that you own this work or are authorized by its owner to upload it."
    )
    expect(page.locator("#file-list li")).to_have_count(1)  # the chosen file stays for the next try
    expect(page).to_have_url(f"{site}/works/new/")
    assert Work.objects.count() == 0
    assert WorkFile.objects.count() == 0


def test_a_zip_archive_named_like_a_picture_is_rejected_with_its_reason(page: Page, site, screenshots_dir):
    """The real type is read from the content, not the name: the work is rejected by the checks and the
    owner is told the file is a ZIP archive.

    REQ: WRK-2
    """
    make_user("ana")
    _sign_in(page, site, "ana", "/works/new/")
    page.set_input_files("#files", [_zip_named_png()])
    _fill_details(page, title="Totally a picture")
    page.check("#id_rights_confirmed")
    work = _submitted_work(page)

    expect(page.locator(WORK_STATUS)).to_have_text("Rejected by checks")
    expect(page.locator("#work-status-announce p").first).to_have_text("Status: Rejected by checks")
    refused = page.locator("#work-status .file-status li", has_text="evil.png")
    expect(refused.locator(".reason")).to_contain_text("ZIP archive")
    expect(page.locator(".previews img")).to_have_count(0)
    page.screenshot(path=str(screenshots_dir / "upload-rejected-zip.png"), full_page=True)

    work.refresh_from_db()
    assert work.status == Work.Status.REJECTED
    assert work.files.get().status == WorkFile.Status.REFUSED


def test_a_moderator_publishes_a_work_and_a_visitor_sees_it_without_the_original(
    page: Page, new_context, site, screenshots_dir
):
    """Staff publish from /staff/works/; a visitor then finds the work in the gallery and on its page the
    licence, the reposting terms, the AI label and "No AI training", but no way to the original file.

    REQ: WRK-3, WRK-4, WRK-11
    """
    ana = make_user("ana")
    mo = make_user("mo", role="moderator")
    # The upload itself is the first journey's; here it is set up through the same service, to save time.
    work = work_create(
        owner=ana,
        title="Lanterns at dusk",
        category="illustration",
        ai_use="assisted",
        rights_confirmed=True,
        repost_allowed=True,
        files=[SimpleUploadedFile("lanterns.png", image_bytes("PNG", seed=5), content_type="image/png")],
    )
    work.refresh_from_db()
    assert work.status == Work.Status.AWAITING_REVIEW
    row = work.files.get()

    _sign_in(page, site, "mo", "/staff/works/")
    page.locator("main tr", has_text="Lanterns at dusk").locator("button[type='submit']").click()
    expect(page.locator("ul.messages li.success")).to_contain_text("Lanterns at dusk")
    work.refresh_from_db()
    assert work.status == Work.Status.PUBLISHED
    assert work.published_by == mo

    visitor = new_context().new_page()
    visitor.goto(f"{site}/gallery/")
    card = visitor.locator(f"main .card a[href='/works/{work.pk}/']")
    expect(card).to_contain_text("Lanterns at dusk")
    card.click()
    expect(visitor).to_have_url(f"{site}/works/{work.pk}/")

    expect(visitor.locator(".rights")).to_contain_text("Creator Display Authorization")  # WRK-4
    expect(visitor.locator(".rights")).to_contain_text("Allowed with attribution")
    expect(visitor.locator("#attribution")).to_contain_text("Source: Inspiracle")
    expect(visitor.locator(".labels .mark.ai")).to_have_text("AI-assisted")  # WRK-11
    expect(visitor.locator(".labels")).to_contain_text("No AI training")
    expect(visitor.locator("meta[name='robots']")).to_have_attribute("content", "noai, noimageai")
    expect(visitor.locator(".previews img")).to_have_count(1)
    expect(visitor.locator("#work-status")).to_have_count(0)  # the owner's and staff's view only
    expect(visitor.locator("a[href*='/original']")).to_have_count(0)  # WRK-3
    visitor.screenshot(path=str(screenshots_dir / "work-public.png"), full_page=True)

    files = f"{site}/works/{work.pk}/files/{row.pk}"
    preview = visitor.request.get(f"{files}/preview")
    assert preview.status == 200 and preview.headers["x-robots-tag"] == "noai, noimageai"
    assert visitor.request.get(f"{files}/original").status == 404
    assert visitor.request.get(f"{site}/api/works/{work.pk}/files/{row.pk}/original").status == 404


def test_the_upload_page_reads_in_chinese_and_still_uploads(page: Page, site, screenshots_dir):
    """The header's language switch serves the upload page in Simplified Chinese; the script and the API
    work the same, including tags separated by a full-width comma.

    REQ: WRK-1, UX-1
    """
    make_user("ana")
    _sign_in(page, site, "ana", "/works/new/")
    with page.expect_navigation():
        page.click("button[name='language'][value='zh-hans']")
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(page).to_have_url(f"{site}/works/new/")

    page.set_input_files("#files", [_png("茶馆.png", 6)])
    expect(page.locator("#file-list li")).to_have_count(1)
    _fill_details(page, title="茶馆里的猫", tags="猫，茶馆")
    page.check("#id_rights_confirmed")
    page.screenshot(path=str(screenshots_dir / "upload-form-zh-hans.png"), full_page=True)
    work = _submitted_work(page)

    expect(page.locator("#work-status")).to_have_attribute("data-status", "awaiting_review")
    with translation.override("zh-hans"):
        awaiting = translation.gettext("Awaiting review")
    expect(page.locator(WORK_STATUS)).to_have_text(awaiting)
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    page.screenshot(path=str(screenshots_dir / "upload-awaiting-review-zh-hans.png"), full_page=True)

    work.refresh_from_db()
    assert work.title == "茶馆里的猫"
    assert sorted(t.name for t in work.tags.all()) == sorted(["猫", "茶馆"])
    assert work.files.get().original_name == "茶馆.png"


@pytest.mark.browser_context_args(locale="zh-CN")
def test_the_outcome_of_the_checks_is_read_out_in_chinese_too(page: Page, site):
    """Screen readers hear the outcome in the page's language: "状态：等待审核", then what it means."""
    make_user("ana")  # an account reads Chinese unless it chose otherwise
    _sign_in(page, site, "ana", "/works/new/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    page.set_input_files("#files", [_png("teahouse.png", 3)])
    _fill_details(page, title="茶馆里的猫")
    page.check("#id_rights_confirmed")
    _submitted_work(page)
    announced = page.locator("#work-status-announce[role='status'] p")
    expect(announced.first).to_have_text("状态：等待审核")
    expect(announced.nth(1)).to_contain_text("审核")
