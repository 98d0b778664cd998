"""Reports for staff through the API (UX-2): the queue (RPT-6), one report with its addresses, documents and
the reporter's record, a notifier's record and reports (RPT-14), decisions (RPT-7), counter-notices (RPT-8) and
rights holder profiles (RPT-13).

The same selectors and services as the console: only the roles that handle reports (MOD-7); contact details
and documents are audited before they are returned (MOD-8). Non-staff get "not found" from every endpoint."""

from datetime import datetime
from typing import Any, Literal

from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from inspiracle.core.api import Page, Rows
from inspiracle.core.schemas import Id
from inspiracle.reports import staff_selectors as selectors
from inspiracle.reports.evidence import evidence_response
from inspiracle.reports.models import CounterNotice, Evidence, Report, ReportItem, RightsHolderProfile
from inspiracle.reports.services.counters import counter_notice_decide
from inspiracle.reports.services.decisions import report_decide
from inspiracle.reports.services.profiles import rights_profile_decide
from inspiracle.reports.services.reading import contact_open, evidence_open

router = Router(tags=["reports"])
PAGE = 50


class ReportRowOut(Schema):
    reference: str
    category: str
    ip_kind: str
    status: str
    reporter: str | None = Field(description="The member's username; None for a visitor")
    reporter_key: str = Field(description="u<user id> or e<16 hex of the email's index>: the notifier")
    addresses: int
    created_at: datetime
    completed_at: datetime | None
    due_at: datetime | None
    due_conservative: bool
    overdue: bool
    decided_at: datetime | None


class MatchOut(Schema):
    cited_file: int
    reported_file: int
    kind: str
    distance: int


class StaffLicenceOut(Schema):
    reference: str
    status: str
    fallback_strike: bool = Field(description="If it is not agreed, the takedown comes with a strike")
    settled_at: datetime | None = Field(description="When its end settled the address")


class StaffReportItemOut(Schema):
    id: int
    url: str
    work: int | None
    work_title: str | None
    work_status: str | None
    account: str | None
    owner: str
    content: str
    right: str
    statement: str
    remedy: str = Field(description='"takedown", or "licence": the rights holder offers one instead (RPT-15)')
    outcome: str
    counter_notice: int | None
    licence_request: StaffLicenceOut | None
    matches: list[MatchOut]


class EvidenceOut(Schema):
    id: int
    kind: str
    name: str
    content_type: str
    size: int
    uploaded_at: datetime
    purged_at: datetime | None


class ContactOut(Schema):
    name: str
    mailing_address: str
    phone: str
    email: str


class RecordOut(Schema):
    key: str
    total: int
    upheld: int
    rejected: int
    open: int
    recent_creators: int
    flags: list[str]


class StaffReportOut(ReportRowOut):
    acting: str
    party_kind: str
    description: str
    cited_work: int | None
    # RPT-3, WRK-10: the cited certificate's check: valid, reason, leaf_index, tree_size, signed_at, owner ...
    proof_check: dict | None
    profile: int | None
    decided_by: str | None
    decision_reasons: str
    licence_offer: dict[str, Any] | None
    items: list[StaffReportItemOut]
    evidence: list[EvidenceOut]
    contact: ContactOut
    record: RecordOut


class ReportDecisionIn(Schema):
    uphold: bool = Field(..., strict=True)
    reasons: str = Field(..., max_length=4000)
    actions: dict[Id, str] = Field(
        default_factory=dict,
        description='Item id -> "takedown", "keep", "reclaim", "mask:title", "mask:description", '
        '"mask:file:<id>" or, where the rights holder offers one, "licence" (RPT-15: a licensing request instead '
        "of a takedown; if it is not agreed, the work is taken down with a strike). Unnamed addresses: what the "
        "rights holder asked for a work (a takedown or the licence), profiles kept.",
    )


class CounterNoticeOut(Schema):
    id: int
    status: str
    uploader: str
    report: str
    item: int
    work: int | None
    outcome: str
    explanation: str
    created_at: datetime
    decided_at: datetime | None
    decided_by: str | None
    decision_reasons: str
    evidence: list[EvidenceOut]


class CounterDecisionIn(Schema):
    restore: bool = Field(..., strict=True)
    reasons: str = Field(..., max_length=4000)


class StaffRightsProfileOut(Schema):
    id: int
    owner: str
    party_kind: str
    status: str
    rights: str
    created_at: datetime
    verified_at: datetime | None
    verified_by: str | None
    valid_until: datetime | None
    refused_reason: str


class ProfileDecisionIn(Schema):
    verify: bool = Field(..., strict=True)
    reason: str = Field("", max_length=2000)


def _row(report: selectors.StaffReport) -> dict:
    return {
        "reference": report.reference,
        "category": report.category,
        "ip_kind": report.ip_kind,
        "status": report.status,
        "reporter": report.reporter.username if report.reporter is not None else None,
        "reporter_key": report.reporter_key,
        "addresses": getattr(report, "address_count", 0),
        "created_at": report.created_at,
        "completed_at": report.completed_at,
        "due_at": report.due_at,
        "due_conservative": report.due_conservative,
        "overdue": report.status == Report.Status.ACCEPTED
        and report.due_at is not None  # always, once accepted (report_complete_has_due_date)
        and report.due_at < timezone.now(),
        "decided_at": report.decided_at,
    }


def _item(item: ReportItem) -> dict:
    work = item.work
    owner = work.owner if work else item.account
    assert owner is not None  # an address is a work or an account (report_item_one_target)
    return {
        "id": item.pk,
        "url": item.url,
        "work": item.work_id,
        "work_title": work.title if work else None,
        "work_status": work.status if work else None,
        "account": item.account.username if item.account is not None else None,
        "owner": owner.username,
        "content": item.content,
        "right": item.right,
        "statement": item.statement,
        "remedy": item.remedy,
        "outcome": item.outcome,
        "counter_notice": getattr(getattr(item, "counter_notice", None), "pk", None),
        "licence_request": _licence(item),
        "matches": [
            {"cited_file": m.cited.pk, "reported_file": m.reported.pk, "kind": m.kind, "distance": m.distance}
            for m in item.matches
        ],
    }


def _licence(item: ReportItem) -> dict | None:
    if item.licence_request is None:
        return None
    return {
        "reference": item.licence_request.reference,
        "status": item.licence_request.status,
        "fallback_strike": item.fallback_strike,
        "settled_at": item.settled_at,
    }


def _evidence(doc: Evidence) -> dict:
    fields = ("id", "kind", "name", "content_type", "size", "uploaded_at", "purged_at")
    return {name: getattr(doc, "pk" if name == "id" else name) for name in fields}


def _notice(notice: CounterNotice) -> dict:
    return {
        "id": notice.pk,
        "status": notice.status,
        "uploader": notice.uploader.username,
        "report": notice.item.report.reference,
        "item": notice.item_id,
        "work": notice.item.work_id,
        "outcome": notice.item.outcome,
        "explanation": notice.explanation,
        "created_at": notice.created_at,
        "decided_at": notice.decided_at,
        "decided_by": notice.decided_by.username if notice.decided_by is not None else None,
        "decision_reasons": notice.decision_reasons,
        "evidence": [_evidence(doc) for doc in notice.evidence.all()],
    }


def _profile(profile: RightsHolderProfile) -> dict:
    return {
        "id": profile.pk,
        "owner": profile.owner.username,
        "party_kind": profile.party_kind,
        "status": profile.status,
        "rights": profile.rights,
        "created_at": profile.created_at,
        "verified_at": profile.verified_at,
        "verified_by": profile.verified_by.username if profile.verified_by is not None else None,
        "valid_until": profile.valid_until,
        "refused_reason": profile.refused_reason,
    }


@router.get("/reports", response=list[ReportRowOut], url_name="staff-reports")
@paginate(Page, page_size=PAGE)
def reports(request, status: Literal["accepted", "incomplete", "decided", "upheld", "rejected"] = "accepted"):
    """RPT-6: reports under review by due date (the overdue first), or not accepted yet, or decided; 50 a
    page."""
    return Rows(selectors.report_queue(request.user, status=status), each=_row)


@router.get("/reports/evidence/{int:evidence_id}", response={200: None}, url_name="staff-report-evidence")
def evidence(request, evidence_id: Id):
    """A decrypted document (inline, never cached). Audited; a purged one answers 410 with when it went."""
    doc = selectors.access_evidence_for_staff(request.user, evidence_id)
    return evidence_response(doc, evidence_open(actor=request.user, evidence=doc))


@router.get("/reports/counter-notices", response=list[CounterNoticeOut], url_name="staff-counter-notices")
@paginate(Page, page_size=PAGE)
def counter_notices(request):
    """RPT-8: open counter-notices first, the longest waiting first; 50 a page."""
    return Rows(selectors.counter_notice_queue(request.user).prefetch_related("evidence"), each=_notice)


@router.post(
    "/reports/counter-notices/{int:notice_id}/decision",
    response=CounterNoticeOut,
    url_name="staff-counter-notice-decide",
)
def counter_notice_decision(request, notice_id: Id, data: CounterDecisionIn):
    """Restore the content (the measure undone, the report's strike overruled) or refuse; the uploader and
    the reporter are told the reasons."""
    notice = selectors.access_counter_notice_for_staff(request.user, notice_id)
    counter_notice_decide(actor=request.user, notice=notice, restore=data.restore, reasons=data.reasons)
    return _notice(selectors.access_counter_notice_for_staff(request.user, notice_id))


@router.get("/reports/profiles", response=list[StaffRightsProfileOut], url_name="staff-rights-profiles")
@paginate(Page, page_size=PAGE)
def profiles(request):
    """RPT-13: rights holder profiles, awaiting verification first; 50 a page. Their documents are listed
    with each profile's page in the console."""
    return Rows(selectors.profile_queue(request.user), each=_profile)


@router.post(
    "/reports/profiles/{int:profile_id}/decision",
    response=StaffRightsProfileOut,
    url_name="staff-rights-profile-decide",
)
def profile_decision(request, profile_id: Id, data: ProfileDecisionIn):
    """Verify (reports may reuse it until ``valid_until``) or refuse with a reason the rights holder reads."""
    profile = selectors.access_profile_for_staff(request.user, profile_id)
    profile = rights_profile_decide(
        actor=request.user, profile=profile, verify=data.verify, reason=data.reason
    )
    return _profile(profile)


@router.get("/reports/reporters/{key}", response=RecordOut, url_name="staff-reporter")
def reporter(request, key: str):
    """RPT-14: one notifier's record (``key`` as ``reporter_key`` gives it: u<user id> or e<16 hex>): upheld,
    rejected and open reports, and the flags. Their reports: ``/reports/reporters/{key}/reports``."""
    return selectors.reporter_record(request.user, key)


@router.get(
    "/reports/reporters/{key}/reports", response=list[ReportRowOut], url_name="staff-reporter-reports"
)
@paginate(Page, page_size=PAGE)
def reporter_reports(request, key: str):
    """RPT-14: every report one notifier filed, the newest first; 50 a page."""
    return Rows(selectors.reporter_reports(request.user, key), each=_row)


@router.get("/reports/{reference}", response=StaffReportOut, url_name="staff-report")
def report(request, reference: str):
    """One report with its addresses (and the similarity between the cited work and each reported one), its
    documents, the rights holder's contact details (audited) and the reporter's record."""
    found = selectors.access_report_for_staff(request.user, reference)
    return _detail(request, found)


def _detail(request, report: selectors.StaffReport) -> dict:
    return {
        **_row(report),
        "addresses": report.items.count(),
        "acting": report.acting,
        "party_kind": report.party_kind,
        "description": report.description,
        "cited_work": report.cited_work_id,
        "proof_check": report.proof_check,
        "profile": report.profile_id,
        "decided_by": report.decided_by.username if report.decided_by is not None else None,
        "decision_reasons": report.decision_reasons,
        "licence_offer": report.licence_offer,
        "items": [_item(item) for item in selectors.report_items(report)],
        "evidence": [_evidence(doc) for doc in selectors.report_evidence(report)],
        "contact": contact_open(actor=request.user, record=report),
        "record": selectors.reporter_record(request.user, report.reporter_key),
    }


@router.post("/reports/{reference}/decision", response=StaffReportOut, url_name="staff-report-decide")
def report_decision(request, reference: str, data: ReportDecisionIn):
    """RPT-7: uphold (act on each address per ``actions``) or reject, with the reasons sent to the reporter.
    Nothing changes when any action is refused."""
    found = selectors.access_report_for_staff(request.user, reference)
    report_decide(
        actor=request.user, report=found, uphold=data.uphold, reasons=data.reasons, actions=data.actions
    )
    return _detail(request, selectors.access_report_for_staff(request.user, reference))
