"""Issue 15: what the platform says about a decision is kept as a code and shown in the reader's language,
not in the language of the officer who took it."""

from django.utils import translation

from inspiracle.accounts.models import User
from inspiracle.moderation.models import Decision, Sanction
from inspiracle.notifications.models import Notification
from inspiracle.reports.services import report_decide
from inspiracle.reports.tests.test_staff import ip_report
from inspiracle.works.tests.test_upload import token_client


def chinese(msgid: str, **values) -> str:
    with translation.override("zh-hans"):
        return translation.gettext(msgid) % values


def test_a_chinese_uploader_reads_in_chinese_the_decision_of_an_english_speaking_officer(
    ana, cy, lee, published_work, client_for
):
    """REQ: UX-1, UX-4
    GIVEN Ana, who reads Chinese, and Lee, a legal officer reading English
    WHEN Lee upholds an IP report about Ana's work (a takedown, then a strike and a warning)
    THEN Ana's standing page, her inbox and the standing API say it in Chinese; Lee still reads it in English;
    the officer's own reasons stay as he typed them."""
    User.objects.filter(pk=ana.pk).update(language="zh-hans")
    report = ip_report(cy, published_work())
    with translation.override("en"):
        report_decide(actor=lee, report=report, uphold=True, reasons="Copied from the rights holder's site.")
    upheld_en = f"Report {report.reference} upheld."
    upheld_zh = chinese("Report %(reference)s upheld.", reference=report.reference)
    assert upheld_zh != upheld_en
    decision = Decision.objects.get(work__owner=ana, kind="takedown")
    assert decision.message == "" and decision.statement == "report_upheld"
    warning = Sanction.objects.get(user=ana)
    assert warning.statement == "strikes_escalated" and warning.message == ""

    page = client_for(ana).get("/accounts/me/standing/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert upheld_zh in page and upheld_en not in page
    assert "You have 1 strikes" not in page and "1 次违规" in page

    standing = token_client(ana).get("/api/me/standing", headers={"accept-language": "zh-hans"}).json()
    (taken,) = standing["decisions"]
    assert taken["statement"] == "report_upheld" and taken["message"] == upheld_zh

    inbox = client_for(ana).get("/inbox/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert upheld_zh in inbox and upheld_en not in inbox
    taken_down = Notification.objects.get(user=ana, template="work_taken_down")
    assert taken_down.params["statement"] == "Report %(reference)s upheld."  # the msgid, not a sentence

    # The officer reads the same records in English, with the code next to the text for API clients.
    account = token_client(lee).get(f"/api/staff/accounts/{ana.username}/moderation").json()
    (sanction,) = account["sanctions"]
    assert sanction["statement"] == "strikes_escalated" and sanction["message"].startswith(
        "You have 1 strikes"
    )


def test_an_old_decision_stored_as_finished_text_shows_as_it_is(ana, mo, published_work, client_for):
    """Issue 15: rows written before the statements were codes keep their text."""
    from inspiracle.moderation.services import content_take_down

    work = published_work()
    content_take_down(actor=mo, work=work, reason_code="third_party_rights", message="Report R-1 upheld.")
    standing = client_for(ana).get("/accounts/me/standing/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "Report R-1 upheld." in standing


def test_a_measure_taken_by_a_chinese_speaking_officer_is_notified_to_an_english_reader_in_english(ana, mo):
    """REQ: UX-4
    GIVEN Mo working in Chinese WHEN he warns Ana, who reads English
    THEN the notice keeps the measure's label as its msgid and Ana reads "Warning", not its Chinese."""
    from inspiracle.moderation.services import sanction_apply

    with translation.override("zh-hans"):
        sanction_apply(actor=mo, user=ana, kind="warning", reason_code="abuse")
    notice = Notification.objects.get(user=ana, template="sanction_applied")
    assert notice.params["kind"] == "Warning"
    with translation.override("en"):
        subject, _body = notice.rendered()
    assert subject == "A measure was applied to your account: Warning"
