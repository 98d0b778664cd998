"""A report from filing to counter-notice, through the services (RPT-1..RPT-9)."""

import re
from datetime import datetime

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from inspiracle.audit.models import AuditEvent
from inspiracle.core.errors import ApplicationError
from inspiracle.core.testing import EICAR, image_bytes, make_user
from inspiracle.moderation.models import Sanction, Strike
from inspiracle.notifications.models import Notification
from inspiracle.reports.checks import only_vague_labels, resolve_address
from inspiracle.reports.models import Report
from inspiracle.reports.services import (
    ReportInput,
    Upload,
    counter_notice_decide,
    counter_notice_file,
    email_proof_confirm,
    email_proof_start,
    report_complete,
    report_decide,
    report_file,
)

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def email_pass(address: str, django_capture_on_commit_callbacks) -> str:
    with django_capture_on_commit_callbacks(execute=True):
        email_proof_start(email=address)
    found = re.search(r"\b(\d{6})\b", str(mail.outbox[-1].body))
    assert found is not None
    return email_proof_confirm(email=address, code=found.group(1))


def complete_ip(url: str) -> ReportInput:
    return ReportInput(
        ip_kind="copyright",
        name="Rita Holder",
        mailing_address="上海市黄浦区中山东一路 1 号",
        phone="13900001111",
        description="My illustration was copied and uploaded as someone else's.",
        declared_holder=True,
        declared_infringes=True,
        declared_liability=True,
        items=[{"url": url, "content": "The whole picture", "right": "My copyright in the illustration"}],
        files=[Upload("identity", "id.pdf", PDF), Upload("proof", "sketches.pdf", PDF)],
    )


def test_an_anonymous_ip_report_is_completed_upheld_counter_noticed_and_restored(
    ana, lee, published_work, django_capture_on_commit_callbacks
):
    """REQ: RPT-1, RPT-3, RPT-6, RPT-7, RPT-8, RPT-9
    GIVEN a visitor who proves their email address
    WHEN they file an IP report missing materials, then complete it
    THEN its deadline starts at completion; a legal officer upholds it, the work is taken down, Ana gets a strike
    and a warning without the reporter's details, counters, and the work is restored; the reporter hears of
    every step by email."""
    work = published_work()
    token = email_pass("rita@example.com", django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        report = report_file(reporter=None, email_pass=token, data=ReportInput(category="ip"))
    assert report.status == "incomplete" and report.due_at is None
    assert {"ip_kind", "addresses", "description", "name", "identity", "proof", "declared_holder"} <= set(
        report.missing
    )
    assert "not accepted yet" in mail.outbox[-1].subject and report.access_token in mail.outbox[-1].body

    with (
        time_machine.travel(datetime(2026, 9, 30, 10, 0, tzinfo=timezone.get_current_timezone()), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        report = report_complete(report=report, data=complete_ip(f"http://127.0.0.1:8000/works/{work.pk}/"))
    assert report.status == "accepted" and report.missing == {}
    # National Day 2026: Oct 1–7 off, Saturday Oct 10 worked: the 15th working day after Sep 30 is Oct 27.
    assert timezone.localtime(report.due_at).date().isoformat() == "2026-10-27"
    assert "is accepted" in mail.outbox[-1].subject

    with django_capture_on_commit_callbacks(execute=True):
        report_decide(actor=lee, report=report, uphold=True, reasons="The sketches predate the upload.")
    work.refresh_from_db()
    assert work.status == "taken_down"
    strike = Strike.objects.get(user=ana)
    assert strike.decision.work == work and Sanction.objects.get(user=ana).kind == "warning"
    notice = Notification.objects.get(user=ana, template="report_against_you")
    assert "Rita" not in str(notice.params) and "rita@" not in str(notice.params)
    assert "was upheld" in mail.outbox[-1].subject

    item = report.items.get()
    with django_capture_on_commit_callbacks(execute=True):
        counter = counter_notice_file(uploader=ana, item=item, explanation="I drew it in 2019.", files=[])
    assert "contested" in mail.outbox[-1].subject
    with pytest.raises(ApplicationError, match="already sent"):
        counter_notice_file(uploader=ana, item=item, explanation="Again.", files=[])
    with django_capture_on_commit_callbacks(execute=True):
        counter_notice_decide(
            actor=lee, notice=counter, restore=True, reasons="Her 2019 file history is convincing."
        )
    work.refresh_from_db()
    strike.refresh_from_db()
    assert work.status == "published" and strike.status == "overruled"
    assert "Counter-notice decided" in mail.outbox[-1].subject
    assert AuditEvent.objects.filter(action="report.counter_notice_restored").exists()


def test_three_upheld_ip_reports_escalate_to_a_ban(ana, lee, published_work, client_for):
    """REQ: RPT-9"""
    reporter = make_user("rita", email="rita@example.com")
    kinds = []
    works = [published_work(seed=seed, title=f"Copy {seed}") for seed in (1, 2, 3)]
    for work in works:
        report = report_file(reporter=reporter, data=ReportInput(category="ip", **_fields(work)))
        report_decide(actor=lee, report=report, uphold=True, reasons="Copied.")
        kinds.append(Sanction.objects.filter(user=ana).order_by("pk").last().kind)
    assert kinds == ["warning", "publishing", "termination"]


def _fields(work) -> dict:
    data = complete_ip(f"/works/{work.pk}/").__dict__
    data.pop("category")
    return data


def test_addresses_resolve_to_public_content_only_and_private_works_stay_secret(ana, submit, published_work):
    """REQ: RPT-4"""
    public = published_work(seed=1)
    private = submit(seed=2)
    assert resolve_address(f"http://127.0.0.1:8000/works/{public.pk}/") == (public, None)
    assert resolve_address("/u/ana/") == (None, ana)
    missing = f"/works/{10**6}/"
    for bad, message in (
        ("https://example.org/works/1/", "not an address on this platform"),
        ("/gallery/", "not the page of a work or a profile"),
        (missing, "does not exist or no longer exists"),
        (f"/works/{private.pk}/", "does not exist or no longer exists"),
        ("javascript:alert(1)", "not an address on this platform"),
    ):
        with pytest.raises(ApplicationError, match=message):
            resolve_address(bad)


@pytest.mark.parametrize(
    ("text", "vague"),
    [
        ("negative", True),
        ("Negative and not objective!", True),
        ("内容负面，不客观", True),
        ("虚假", True),
        ("内容不实，请删除", True),
        ("这是诽谤，请删除", True),
        ("Please delete: biased", True),
        ("Lies! Remove it now.", True),
        ("请立即下架，纯属造谣", True),
        ("他说我偷东西", False),
        ("The caption says I stole the design.", False),
        ("The post says I was fined in 2023; I never was (court record attached).", False),
        ("文中称我2023年被罚款，实际没有，附法院证明。", False),
    ],
)
def test_grounds_that_are_only_labels_or_demands_are_recognised(text, vague):
    """REQ: RPT-5"""
    assert only_vague_labels(text) is vague


def test_a_defamation_report_needs_quoted_statements_and_proof_not_labels(ana, published_work):
    """REQ: RPT-5"""
    work = published_work()
    report = report_file(
        reporter=make_user("rita", email="rita@example.com"),
        data=ReportInput(
            category="defamation",
            items=[
                {
                    "url": f"/works/{work.pk}/",
                    "content": "the caption",
                    "right": "my reputation",
                    "statement": "不客观",
                }
            ],
        ),
    )
    assert "Labels such as" in " ".join(report.missing["items.1.statement"])
    assert "falsity" in report.missing


@pytest.mark.parametrize("grounds", ["内容不实，请删除", "这是诽谤，请删除", "Please delete: biased"])
def test_a_defamation_claim_made_of_labels_and_a_demand_is_refused_even_with_proof(
    ana, published_work, grounds
):
    """REQ: RPT-5
    GIVEN a defamation report with proof attached whose statement and description are a label and a demand
    THEN it is not accepted, and the reporter is told to quote the statement; quoting one accepts it."""
    work = published_work()
    rita = make_user("rita", email="rita@example.com")
    data = complete_ip(f"/works/{work.pk}/")
    data.category, data.ip_kind, data.description = "defamation", "", grounds
    data.items = [
        {"url": f"/works/{work.pk}/", "content": "The caption", "right": "名誉权", "statement": grounds}
    ]
    data.files = [Upload("identity", "id.pdf", PDF), Upload("falsity", "court.pdf", PDF)]
    report = report_file(reporter=rita, data=data)
    assert report.status == "incomplete"
    assert "Quote the exact statement" in " ".join(report.missing["items.1.statement"])
    assert "please delete" in " ".join(report.missing["description"])

    data.description = "The caption says I was fined for fraud in 2023; the court record shows I was not."
    data.items[0]["statement"] = "此人2023年因诈骗被罚款"
    assert report_file(reporter=rita, data=data).status == "accepted"


def test_malware_and_oversized_evidence_is_refused_and_nothing_is_kept(ana, published_work, settings):
    """REQ: RPT-3, RPT-10"""
    work = published_work()
    reporter = make_user("rita", email="rita@example.com")
    settings.REPORT_EVIDENCE_MAX_BYTES = 2000
    for name, data, message in (
        ("virus.pdf", b"%PDF-1.4\n" + EICAR, "malware"),
        ("huge.png", image_bytes(size=(400, 400)), "larger than"),
        ("page.html", b"<html><script>alert(1)</script>", "not a PDF, JPEG or PNG"),
    ):
        fields = _fields(work)
        fields["files"] = [Upload("proof", name, data)]
        with pytest.raises(ApplicationError) as refused:
            report_file(reporter=reporter, data=ReportInput(category="ip", **fields))
        assert message in " ".join(refused.value.fields.get("proof", [])), refused.value.fields
    assert not Report.objects.exists()


def test_an_address_filed_without_its_details_can_be_completed_later(ana, published_work):
    """REQ: RPT-3"""
    work = published_work()
    fields = _fields(work)
    fields["items"] = [{"url": f"/works/{work.pk}/"}]
    report = report_file(
        reporter=make_user("rita", email="rita@example.com"), data=ReportInput(category="ip", **fields)
    )
    assert set(report.missing) == {"items.1.content", "items.1.right"}
    item = report.items.get()
    report = report_complete(
        report=report,
        data=ReportInput(items=[{"id": item.pk, "content": "The picture", "right": "My copyright"}]),
    )
    assert report.status == "accepted" and report.items.count() == 1
    with pytest.raises(ApplicationError):
        report_complete(report=report, data=ReportInput(items=[{"id": item.pk, "content": "x"}]))


def test_restoring_content_lifts_the_escalation_its_strike_caused(ana, lee, published_work):
    """REQ: RPT-8, RPT-9"""
    reporter = make_user("rita", email="rita@example.com")
    works = [published_work(seed=seed, title=f"Copy {seed}") for seed in (1, 2)]
    for work in works:
        report = report_file(reporter=reporter, data=ReportInput(category="ip", **_fields(work)))
        report_decide(actor=lee, report=report, uphold=True, reasons="Copied.")
    restriction = Sanction.objects.get(user=ana, kind="publishing")
    item = Report.objects.order_by("pk").last().items.get()
    counter = counter_notice_file(uploader=ana, item=item, explanation="Mine.", files=[])
    counter_notice_decide(actor=lee, notice=counter, restore=True, reasons="Licence shown.")
    restriction.refresh_from_db()
    assert restriction.lifted_by == lee
    assert Sanction.objects.get(user=ana, kind="warning").lifted_at is None  # one strike still counts


def test_documents_are_purged_when_their_owner_closed_drafts_included(
    ana, lee, published_work, settings, django_capture_on_commit_callbacks
):
    """REQ: RPT-10"""
    from datetime import timedelta

    from inspiracle.core.storage import private_storage
    from inspiracle.reports.models import Evidence
    from inspiracle.reports.services import reports_purge

    settings.REPORT_DOCUMENTS_RETENTION_DAYS = 30
    reporter = make_user("rita", email="rita@example.com")
    work = published_work()
    decided = report_file(reporter=reporter, data=ReportInput(category="ip", **_fields(work)))
    report_decide(actor=lee, report=decided, uphold=True, reasons="Copied.")
    draft = report_file(
        reporter=reporter, data=ReportInput(category="privacy", files=[Upload("identity", "id.pdf", PDF)])
    )
    counter = counter_notice_file(
        uploader=ana, item=decided.items.get(), explanation="Mine.", files=[Upload("counter", "p.pdf", PDF)]
    )
    files = [doc.file.name for doc in Evidence.objects.all()]
    assert all(private_storage().exists(name) for name in files)
    start = timezone.now()
    with (
        time_machine.travel(start + timedelta(days=31), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert reports_purge() == 1  # the draft's; the decided report waits for its open counter-notice
        counter_notice_decide(actor=lee, notice=counter, restore=False, reasons="Not convincing.")
    with (
        time_machine.travel(start + timedelta(days=40), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert reports_purge() == 2  # the report's documents; the counter-notice closed only 9 days ago
    with (
        time_machine.travel(start + timedelta(days=62), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert reports_purge() == 1
    assert not Evidence.objects.filter(purged_at__isnull=True).exists()
    assert not any(private_storage().exists(name) for name in files)  # gone from storage, not only marked
    assert draft.evidence.get().file.name == ""


def test_codes_are_limited_per_network_as_well_as_per_address(db):
    """REQ: RPT-1"""
    from inspiracle.core.http import Origin, current_origin

    token = current_origin.set(Origin(ip="203.0.113.9"))
    try:
        for n in range(20):
            email_proof_start(email=f"r{n}@example.com")
        with pytest.raises(ApplicationError, match="from your network"):
            email_proof_start(email="another@example.com")
    finally:
        current_origin.reset(token)


def test_documents_stored_before_a_failure_are_deleted_again(ana, published_work):
    """REQ: RPT-10"""
    from inspiracle.core.storage import private_storage
    from inspiracle.reports.evidence import evidence_saving

    report = report_file(
        reporter=make_user("rita", email="rita@example.com"), data=ReportInput(category="privacy")
    )
    with pytest.raises(RuntimeError), evidence_saving() as save:
        save([(Upload("identity", "id.pdf", PDF), "application/pdf")], report=report)
        stored = report.evidence.get().file.name
        assert private_storage().exists(stored)
        raise RuntimeError("the transaction fails after the file was written")
    assert not private_storage().exists(stored)
