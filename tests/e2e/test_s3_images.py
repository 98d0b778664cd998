"""With both storages on S3 (moto's server on loopback), a visitor's browser shows a work's images.

Previews and thumbnails are redirects to signed addresses in the bucket; Django's test client does not
apply the Content-Security-Policy, Chromium does: ``img-src`` must name the bucket's origin, as
``config/settings.py`` makes it from the same storage options (``inspiracle.core.csp``).
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.csp import CSP
from playwright.sync_api import Page, expect

from inspiracle.core.csp import s3_image_origins
from inspiracle.core.testing import image_bytes, make_user
from inspiracle.works.models import Work
from inspiracle.works.services import work_create, work_publish

pytestmark = [pytest.mark.e2e, pytest.mark.browser_context_args(locale="en-US")]

LOADED = "img => img.complete"


@pytest.fixture
def s3_site(site, s3_storage, settings):
    """The live site on S3, its policy made from the storage settings as config/settings.py makes it."""
    settings.SECURE_CSP = {
        **settings.SECURE_CSP,
        "img-src": [CSP.SELF, "data:", *s3_image_origins(settings.STORAGES)],
    }
    return site


def _published_work(title: str, seed: int) -> Work:
    ana = make_user("ana")
    mo = make_user("mo", role="moderator")
    work = work_create(
        owner=ana,
        title=title,
        category="illustration",
        ai_use="none",
        rights_confirmed=True,
        files=[
            SimpleUploadedFile(f"{seed}.png", image_bytes("PNG", size=(640, 480), seed=seed), "image/png")
        ],
    )
    work.refresh_from_db()
    assert work.status == Work.Status.AWAITING_REVIEW  # the eager pipeline wrote the derivatives to S3
    return work_publish(actor=mo, work=work)


def _blocked_by_policy(page: Page) -> list[str]:
    messages: list[str] = []
    page.on("console", lambda m: messages.append(m.text) if "Content Security Policy" in m.text else None)
    return messages


def _from_bucket(page: Page, endpoint: str) -> list[tuple[str, int]]:
    """(path, status) of every answer the browser got from the S3 server."""
    answers: list[tuple[str, int]] = []
    page.on(
        "response",
        lambda r: (
            answers.append((r.url.removeprefix(endpoint).split("?")[0], r.status))
            if r.url.startswith(endpoint)
            else None
        ),
    )
    return answers


def test_a_visitor_sees_the_work_images_stored_on_s3(page: Page, s3_site, s3_storage, screenshots_dir):
    """REQ: OPS-2, WRK-3, PRV-2
    GIVEN a published work whose derivatives are in the bucket WHEN a visitor opens the gallery and the work
    page in Chromium THEN the thumbnail and the preview load (the policy allows the bucket's origin)."""
    work = _published_work("Harbour lights", seed=11)
    blocked = _blocked_by_policy(page)
    from_bucket = _from_bucket(page, s3_storage.endpoint)

    page.goto(f"{s3_site}/gallery/")
    thumbnail = page.locator(f"main a[href='/works/{work.pk}/'] img")
    expect(thumbnail).to_have_count(1)
    thumbnail.scroll_into_view_if_needed()
    page.wait_for_function(LOADED, arg=thumbnail.element_handle())
    assert thumbnail.evaluate("img => img.naturalWidth") > 0, blocked

    page.goto(f"{s3_site}/works/{work.pk}/")
    preview = page.locator(".previews img")
    expect(preview).to_have_count(1)
    preview.scroll_into_view_if_needed()
    page.wait_for_function(LOADED, arg=preview.element_handle())
    assert preview.evaluate("img => img.naturalWidth") == 640, blocked
    # Both came from the bucket, through the signed redirect, not through the web server.
    assert {(path.rsplit("/", 1)[-1], status) for path, status in from_bucket} >= {
        ("thumbnail.webp", 200),
        ("preview.webp", 200),
    }, from_bucket
    assert blocked == []
    page.screenshot(path=str(screenshots_dir / "work-public-s3.png"), full_page=True)
