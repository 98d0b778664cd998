"""Messages walked through in the browser at phone width (390 px): a member writes to a creator from her
profile; she sees the unread count in the header, reads and answers; he reports nothing, she reports his
second message, and a moderator hides it. Nobody's registration information shows on the way.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from inspiracle.core.testing import make_user
from inspiracle.messaging.models import Message
from tests.e2e.phone import fits_the_screen
from tests.e2e.test_review_journey import _sign_in

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.browser_context_args(locale="en-US", viewport={"width": 390, "height": 844}),
]
MESSAGES_BADGE = "header nav a[href='/messages/'] .badge"
MESSAGE_FIELD = re.compile(r"^Message:?$")


def test_a_member_writes_to_a_creator_who_answers_and_reports_abuse_at_phone_width(
    page: Page, new_context, site, screenshots_dir
):
    """REQ: COM-7, PRV-4, UX-1"""
    make_user("ana", email="ana.private@example.com", legal_name="安娜真名", mobile="13912345678")
    make_user("cy")
    make_user("mo", role="moderator")

    _sign_in(page, site, "cy", "/u/ana/")
    page.get_by_role("link", name="Message", exact=True).click()
    page.get_by_label("Subject").fill("A poster for our café")
    page.get_by_label(MESSAGE_FIELD).fill("Hello Ana, could you draw a poster for us?")
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.locator("main")).to_contain_text("Your message is sent.")
    fits_the_screen(page)
    page.screenshot(path=str(screenshots_dir / "messaging-sent.png"), full_page=True)

    ana = new_context().new_page()
    _sign_in(ana, site, "ana", "/messages/")
    expect(ana.locator(MESSAGES_BADGE)).to_have_text("1")
    fits_the_screen(ana)
    ana.screenshot(path=str(screenshots_dir / "messaging-list.png"), full_page=True)
    ana.get_by_role("link", name="A poster for our café").click()
    expect(ana.locator("main")).to_contain_text("could you draw a poster")
    expect(ana.locator(MESSAGES_BADGE)).to_have_count(0)
    ana.get_by_label(MESSAGE_FIELD).fill("Gladly. What size?")
    ana.get_by_role("button", name="Send", exact=True).click()
    expect(ana.locator("main")).to_contain_text("Gladly. What size?")
    fits_the_screen(ana)

    page.goto(f"{site}/messages/")
    expect(page.locator(MESSAGES_BADGE)).to_have_text("1")
    page.get_by_role("link", name="A poster for our café").click()
    page.get_by_label(MESSAGE_FIELD).fill("Just answer or else.")
    page.get_by_role("button", name="Send", exact=True).click()
    for shown in (page, ana):
        for secret in ("安娜真名", "13912345678", "ana.private@example.com"):
            expect(shown.locator("body")).not_to_contain_text(secret)

    ana.reload()
    ana.locator("article", has_text="Just answer or else.").get_by_role("link", name="Report").click()
    ana.get_by_label("What is wrong").fill("A threat.")
    ana.get_by_role("button", name="Send the report").click()
    expect(ana.locator("main")).to_contain_text("Staff will read the conversation")
    fits_the_screen(ana)
    ana.screenshot(path=str(screenshots_dir / "messaging-thread.png"), full_page=True)

    mo = new_context().new_page()
    _sign_in(mo, site, "mo", "/staff/messages/reports/")
    mo.locator("table a").first.click()
    expect(mo.locator("main")).to_contain_text("Just answer or else.")
    mo.get_by_label("Act: hide the reported message, or close a reported conversation").check()
    mo.get_by_role("button", name="Decide").click()
    expect(mo.locator("main")).to_contain_text("The report is decided")
    assert Message.objects.filter(hidden_at__isnull=False).count() == 1
    ana.reload()
    expect(ana.locator("main")).not_to_contain_text("Just answer or else.")
    expect(ana.locator("main")).to_contain_text("Staff hid this message")
