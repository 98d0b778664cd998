"""A notice and takedown walked through in the browser (issue 5): a visitor proves an email address, files an
IP report that lacks materials, completes it and sees its due date; a legal officer upholds it and the work
leaves the public site; the uploader reads the notice and the strike, sends a counter-notice; the work is
restored; the reporter is told each step by email.
"""

import re
from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from inspiracle.core.testing import make_user
from inspiracle.moderation.services import review_approve
from inspiracle.reports.models import Report
from tests.e2e.test_review_journey import _awaiting_work, _sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.browser_context_args(locale="en-US")]
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def test_an_anonymous_ip_report_is_completed_upheld_countered_and_restored(
    page: Page, new_context, site, screenshots_dir, tmp_path: Path
):
    """REQ: RPT-1, RPT-3, RPT-6, RPT-7, RPT-8, RPT-9"""
    ana = make_user("ana")
    make_user("lee", role="legal_officer")
    mo = make_user("mo", role="moderator")
    work = _awaiting_work(ana, "Fox in the snow", seed=21)
    review_approve(actor=mo, work=work)
    proof = tmp_path / "proof.pdf"
    proof.write_bytes(PDF)
    identity = tmp_path / "id.pdf"
    identity.write_bytes(PDF)

    # A visitor proves an email address, then files a copyright report with one address and no documents.
    page.goto(f"{site}/works/{work.pk}/")
    page.get_by_role("link", name="Report infringement").first.click()
    page.get_by_role("link", name="Continue without an account").click()
    page.get_by_label("Your email address").fill("rita@example.com")
    page.get_by_role("button", name="Send the code").click()
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    page.get_by_label("The six-digit code we sent").fill(code)
    page.get_by_role("button", name="Confirm").click()
    page.get_by_label("Intellectual property").check()
    page.get_by_role("button", name="Next").click()
    page.get_by_label("Copyright").check()
    page.get_by_label("Which content").first.fill("The whole picture")
    page.get_by_label("Which right it infringes").first.fill("My copyright in the illustration")
    page.get_by_role("button", name="File the report").click()
    expect(page).to_have_url(re.compile(r"/reports/R-"))
    main = page.locator("main")
    expect(main).to_contain_text("Not accepted")
    expect(main).to_contain_text("Attach a copy of the ID card or passport.")
    expect(main).to_contain_text("Confirm that you bear legal liability if the report is untrue.")
    page.screenshot(path=str(screenshots_dir / "report-incomplete.png"), full_page=True)
    assert "not accepted yet" in mail.outbox[-1].subject

    # The reporter completes the same report: details, documents, the three declarations.
    page.get_by_label("Name of the rights holder").fill("Rita Holder")
    page.get_by_label(re.compile(r"^Mailing address:?$")).fill("上海市黄浦区中山东一路 1 号")
    page.get_by_label(re.compile(r"^Phone:?$")).fill("13900001111")
    page.get_by_label(re.compile(r"^Description of the infringement:?$")).fill(
        "My illustration was copied and uploaded as someone else's."
    )
    page.get_by_label("ID card or passport copy").set_input_files(str(identity))
    page.get_by_label("Proof of the right").set_input_files(str(proof))
    page.get_by_label(
        "I am the rights holder, or authorized by the rights holder to report for them."
    ).check()
    page.get_by_label("I believe in good faith that the content infringes the right I name.").check()
    page.get_by_label("I understand that I bear legal liability if this report is untrue.").check()
    page.get_by_role("button", name="Save the additions").click()
    expect(main).to_contain_text("Accepted")
    report = Report.objects.get()
    assert report.status == "accepted" and report.due_at
    expect(main).to_contain_text(str(report.due_at.astimezone().year))
    page.screenshot(path=str(screenshots_dir / "report-accepted.png"), full_page=True)
    assert "is accepted" in mail.outbox[-1].subject

    # A legal officer upholds it from the queue: the work leaves the public site.
    lee = new_context().new_page()
    _sign_in(lee, site, "lee", "/staff/reports/")
    lee.get_by_role("link", name=report.reference).click()
    lee.get_by_label("Uphold: act on each address as chosen beside it").check()
    lee.get_by_label("Reasons, sent to the reporter").fill("The sketches predate the upload.")
    lee.get_by_role("button", name="Decide the report").click()
    expect(lee.locator("main")).to_contain_text("Upheld")
    visitor = new_context().new_page()
    assert visitor.goto(f"{site}/works/{work.pk}/").status == 404
    assert "was upheld" in mail.outbox[-1].subject

    # The uploader reads the notice and the strike, and sends a counter-notice.
    creator = new_context().new_page()
    _sign_in(creator, site, "ana", "/inbox/")
    expect(creator.locator("main")).to_contain_text("A report about your content was upheld")
    creator.locator("main a", has_text="A report about your content was upheld").first.click()
    expect(creator.locator("main")).not_to_contain_text("Rita")
    creator.get_by_label("Your explanation").fill("I drew it in 2019; the layered file is attached.")
    creator.get_by_role("button", name="Send the counter-notice").click()
    expect(creator.locator("main")).to_contain_text("Under review")
    creator.goto(f"{site}/accounts/me/standing/")
    expect(creator.locator("main")).to_contain_text("Strike")
    assert "contested" in mail.outbox[-1].subject

    # The legal officer restores the work; the reporter is told.
    lee.goto(f"{site}/staff/reports/counter-notices/")
    lee.locator("main table tbody tr", has_text=report.reference).get_by_role("link").first.click()
    lee.get_by_label("Restore the content (the measure and its strike are undone)").check()
    lee.get_by_label("Reasons, sent to the uploader and the reporter").fill(
        "The 2019 file history convinces."
    )
    lee.get_by_role("button").filter(has_text=re.compile("Decide|Save")).first.click()
    expect(lee.locator("main")).to_contain_text("Content restored")
    assert visitor.goto(f"{site}/works/{work.pk}/").status == 200
    assert "Counter-notice decided" in mail.outbox[-1].subject
