"""Reports through the API (RPT-1..RPT-8, RPT-13), as in the web pages: anyone may report; a caller without an
account first proves an email address and sends the pass it gets (``X-Email-Pass``), then follows the report
with its reference and the ``access_key`` the filing returns, sent as the ``X-Report-Key`` header (never in the
address, which lands in logs). Bad credentials are refused, never anonymous."""

import json
from datetime import datetime
from typing import Annotated, Any, overload

from django.utils.translation import gettext as _
from ninja import Form, Header, Router, Schema, Status
from ninja.pagination import paginate

from inspiracle.accounts.api_auth import SessionTokenOrVisitor
from inspiracle.core.api import Page, Rows, error_responses, upload_fields
from inspiracle.core.errors import ApplicationError
from inspiracle.core.schemas import Id
from inspiracle.pipeline.documents import read_uploads
from inspiracle.reports import selectors
from inspiracle.reports.models import (
    PROFILE_KINDS,
    REPORT_KINDS,
    CounterNotice,
    Evidence,
    Report,
    ReportItem,
    RightsHolderProfile,
)
from inspiracle.reports.notices import report_link
from inspiracle.reports.permissions import (
    access_item_for_uploader,
    access_profile_for_owner,
    access_report_for_reporter,
)
from inspiracle.reports.services import (
    ReportInput,
    counter_notice_file,
    email_from_pass,
    email_proof_confirm,
    email_proof_start,
    report_complete,
    report_file,
)
from inspiracle.reports.services.intake import EMAIL_PROOF_HOURS
from inspiracle.reports.services.profiles import rights_profile_create

# The key of a report filed without an account: a header, never in the address (which lands in logs).
REPORT_KEY = Annotated[str, Header(alias="X-Report-Key")]

router = Router(tags=["reports"])
visitor_or_user = SessionTokenOrVisitor()
# A visitor's filing without the pass in its header may still carry it as a form field, so its body must be
# read to know who is asking: that is allowed for the fields alone, never for attachments (issue 10).
FIELDS_ONLY_BYTES = 256 * 1024


class ReporterFirst(SessionTokenOrVisitor):
    """Who is filing, settled before a byte of the body is read (ninja authenticates before it parses the
    form): a member or token, or a visitor whose ``X-Email-Pass`` header holds a valid pass. Without either,
    a visitor may send only the form's fields; a body large enough to carry files is refused unread
    (a 300 MB filing without a pass grew a worker by 225 MB)."""

    def __call__(self, request):
        user = super().__call__(request)
        if user is None or user.is_authenticated:
            return user
        header = request.headers.get("X-Email-Pass", "")
        if header:
            email_from_pass(header)
        elif _content_length(request) > FIELDS_ONLY_BYTES:
            raise ApplicationError(
                _(
                    "Prove your email address first and send the pass as the X-Email-Pass header with any files."
                ),
                code="email_unverified",
                status=401,
            )
        return user


class ReportOwnerFirst(SessionTokenOrVisitor):
    """Completing a report: its reporter (signed in, or with the report's ``key``) is checked before the body
    with its files is read."""

    def __call__(self, request):
        user = super().__call__(request)
        if user is not None:
            reference = request.resolver_match.kwargs.get("reference", "")
            # The same key the endpoint reads: the X-Report-Key header (never the address, which is logged).
            key = request.headers.get("X-Report-Key", "")
            access_report_for_reporter(user, reference, key)
        return user


def multipart_only(request) -> None:
    """A filing sent as JSON would arrive as an empty form (ninja reads form fields from a form body only),
    and be refused for a missing category: say what to send instead (issue 15)."""
    if request.content_type not in ("multipart/form-data", "application/x-www-form-urlencoded"):
        raise ApplicationError(
            _(
                "Send reports as multipart/form-data (the fields as form fields, “items” as JSON text, documents "
                "as files), not as %(type)s."
            )
            % {"type": request.content_type or _("a body without a Content-Type")},
            code="unsupported_media_type",
            status=415,
        )


def _content_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


class EmailIn(Schema):
    email: str


class ConfirmIn(Schema):
    email: str
    code: str


class PassOut(Schema):
    email_pass: str
    expires_in: int


class DetailOut(Schema):
    detail: str


class ReportIn(Schema):
    category: str = ""
    ip_kind: str = ""
    acting: str = ""
    party_kind: str = ""
    name: str = ""
    mailing_address: str = ""
    phone: str = ""
    email: str = ""
    description: str = ""
    cited_work: str = ""
    proof_certificate: str = ""  # RPT-3, WRK-10: the certificate's JSON text, checked against the proof log
    profile: Id | None = None
    declared_holder: bool = False
    declared_infringes: bool = False
    declared_liability: bool = False
    items: str = ""
    licence_offer: str = ""
    email_pass: str = ""


class CounterStateOut(Schema):
    status: str
    status_label: str
    created_at: datetime
    decided_at: datetime | None
    decision_reasons: str


class LicenceRequestRefOut(Schema):
    reference: str
    status: str
    status_label: str
    url: str


class ReportItemOut(Schema):
    id: int
    url: str
    target: str
    content: str
    right: str
    statement: str
    remedy: str
    outcome: str
    outcome_label: str
    counter_notice: CounterStateOut | None
    licence_request: LicenceRequestRefOut | None


class ReportSummaryOut(Schema):
    reference: str
    url: str
    category: str
    ip_kind: str
    status: str
    status_label: str
    created_at: datetime
    due_at: datetime | None
    decided_at: datetime | None


class ReportOut(ReportSummaryOut):
    missing: dict[str, list[str]]
    completed_at: datetime | None
    due_conservative: bool
    decision_reasons: str
    licence_offer: dict[str, Any] | None
    items: list[ReportItemOut]


class ReportCreatedOut(ReportOut):
    access_key: str | None


class CounterIn(Schema):
    explanation: str


class CounterOut(CounterStateOut):
    id: int


class NoticeOut(Schema):
    item: int
    target: str
    category: str
    category_label: str
    ip_kind: str
    content: str
    right: str
    statement: str
    outcome: str
    outcome_label: str
    counter_notice: CounterStateOut | None


class RightsProfileIn(Schema):
    party_kind: str
    name: str
    mailing_address: str
    phone: str
    email: str
    rights: str


class RightsProfileOut(Schema):
    id: int
    party_kind: str
    name: str
    rights: str
    status: str
    status_label: str
    usable: bool
    created_at: datetime
    verified_at: datetime | None
    valid_until: datetime | None
    refused_reason: str
    documents: int  # how many documents were registered with it


class ProfileDocumentOut(Schema):
    id: int
    kind: str
    kind_label: str
    name: str  # as you sent it; empty once purged
    content_type: str
    size: int
    uploaded_at: datetime
    purged: bool


class RightsProfileDetailOut(RightsProfileOut):
    files: list[ProfileDocumentOut]


@overload
def _counter(notice: CounterNotice) -> dict: ...
@overload
def _counter(notice: None) -> None: ...
def _counter(notice: CounterNotice | None) -> dict | None:
    if notice is None:
        return None
    return {
        "status": notice.status,
        "status_label": notice.get_status_display(),
        "created_at": notice.created_at,
        "decided_at": notice.decided_at,
        "decision_reasons": notice.decision_reasons,
    }


def _item(request, item: ReportItem) -> dict:
    keys = ("id", "url", "content", "right", "statement", "remedy", "outcome")
    return {
        **{key: getattr(item, key) for key in keys},
        "target": item.target_label,
        "outcome_label": item.get_outcome_display(),
        "counter_notice": _counter(item.notice),
        "licence_request": _licence(request, item),
    }


def _licence(request, item: ReportItem) -> dict | None:
    """RPT-15: the licensing request sent instead of a takedown, which the reporter negotiates as its sender."""
    found = item.licence_request
    if found is None:
        return None
    return {
        "reference": found.reference,
        "status": found.status,
        "status_label": found.get_status_display(),
        "url": request.build_absolute_uri(item.licence_path),
    }


def _summary(request, report: Report) -> dict:
    return {
        **{key: getattr(report, key) for key in ("reference", "category", "ip_kind", "status")},
        **{key: getattr(report, key) for key in ("created_at", "due_at", "decided_at")},
        "url": request.build_absolute_uri(report_link(report)),
        "status_label": report.get_status_display(),
    }


def _report(request, report: Report) -> dict:
    detail = selectors.report_detail_for_reporter(report)
    return {
        **_summary(request, report),
        "completed_at": report.completed_at,
        "due_conservative": report.due_conservative,
        "decision_reasons": report.decision_reasons,
        "licence_offer": report.licence_offer,
        "missing": detail["missing"],
        "items": [_item(request, item) for item in detail["items"]],
    }


def _input(request, data: ReportIn) -> ReportInput:
    """The form fields as the service takes them, ``items`` parsed from JSON, files named by their kind."""
    fields = data.dict(exclude={"items", "licence_offer", "email_pass", "proof_certificate"})
    files = read_uploads(REPORT_KINDS, request.FILES.getlist)
    offer = _json(data.licence_offer, dict, "licence_offer", _("Not a JSON object of licence terms."))
    proof = data.proof_certificate.encode()
    return ReportInput(
        **fields, items=_items(data.items), files=files, licence_offer=offer or None, proof_certificate=proof
    )


def _items(raw: str) -> list[dict]:
    items = _json(raw, list, "items", _("Not a JSON list of objects."))
    if not all(isinstance(item, dict) for item in items or []):
        raise _wrong("items", _("Not a JSON list of objects."))
    return items or []


def _json(raw: str, kind: type, field: str, problem: str):
    """A form field holding JSON (multipart has no nesting): ``kind`` or None when empty."""
    if not raw.strip():
        return None
    if len(raw) > 100_000:  # 20 addresses of a few thousand characters each, at most
        raise _wrong(field, problem)
    try:
        value = json.loads(raw)
    except (ValueError, RecursionError):
        raise _wrong(field, problem) from None
    if not isinstance(value, kind):
        raise _wrong(field, problem)
    return value


def _wrong(field: str, problem: str) -> ApplicationError:
    message = (
        _(
            "“items” must be a JSON list of objects with “url”, “content”, “right” and, for rumours, “statement”."
        )
        if field == "items"
        else _(
            "“licence_offer” must be a JSON object of licence terms: kind, intended_use, product_categories, "
            "territories, channels, starts_on, ends_on, fee_model and its amounts."
        )
    )
    return ApplicationError(message, fields={field: [problem]})


@router.post(
    "/reports/email", response={202: DetailOut, **error_responses(429)}, auth=None, url_name="reports-email"
)
def email_start(request, data: EmailIn):
    """RPT-1 without an account: send a six-digit code to ``email`` (at most five an hour)."""
    email_proof_start(email=data.email)
    return Status(
        202, {"detail": _("A code was sent to %(email)s; it is valid for 30 minutes.") % data.dict()}
    )


@router.post("/reports/email/confirm", response=PassOut, auth=None, url_name="reports-email-confirm")
def email_confirm(request, data: ConfirmIn):
    """The code from the email: returns an ``email_pass`` to send as ``X-Email-Pass`` when filing (24 hours)."""
    return {
        "email_pass": email_proof_confirm(email=data.email, code=data.code),
        "expires_in": EMAIL_PROOF_HOURS * 3600,
    }


@router.get("/reports/profiles", response=list[RightsProfileOut], url_name="reports-profiles")
@paginate(Page)
def profiles(request):
    """RPT-13: your rights holder profiles, 30 a page; ``usable`` ones (verified, still valid) can be named in
    a report."""
    return Rows(selectors.rights_profile_list_for_owner(request.user), each=_profile)


@router.post(
    "/reports/profiles",
    response={201: RightsProfileOut},
    url_name="reports-profile-create",
    openapi_extra=upload_fields(*PROFILE_KINDS),
)
def profile_create(request, data: Form[RightsProfileIn]):
    """Register a profile for verification by a legal officer: multipart with the fields and the files
    ``identity`` (a person) or ``certificate`` (an organization), and ``proof`` (each may repeat)."""
    files = read_uploads(PROFILE_KINDS, request.FILES.getlist)
    profile = rights_profile_create(owner=request.user, files=files, **data.dict())
    profile.is_usable, profile.documents = False, len(files)
    return Status(201, _profile(profile))


@router.get(
    "/reports/profiles/{int:profile_id}",
    response={200: RightsProfileDetailOut, **error_responses(404)},
    url_name="reports-profile",
)
def profile_detail(request, profile_id: Id):
    """RPT-13: one of your rights holder profiles with the documents registered with it (what each is, not
    its content: the documents are shown to legal officers only, and purged with the profile's data)."""
    profile, documents = selectors.rights_profile_with_documents(
        access_profile_for_owner(request.user, profile_id)
    )
    return {**_profile(profile), "files": [_document(d) for d in documents]}


def _profile(profile: RightsHolderProfile) -> dict:
    fields = ("party_kind", "name", "rights", "status", "created_at", "verified_at", "valid_until")
    return {
        **{key: getattr(profile, key) for key in fields},
        "refused_reason": profile.refused_reason,
        "id": profile.pk,
        "status_label": profile.get_status_display(),
        "usable": profile.is_usable,
        "documents": profile.documents,
    }


def _document(document: Evidence) -> dict:
    fields = ("kind", "name", "content_type", "size", "uploaded_at")
    return {
        **{key: getattr(document, key) for key in fields},
        "id": document.pk,
        "kind_label": document.get_kind_display(),
        "purged": document.purged_at is not None,
    }


@router.get("/reports/notices/{int:item_id}", response=NoticeOut, url_name="reports-notice")
def notice(request, item_id: Id):
    """RPT-8 for the uploader: what an upheld report said about your content (never who filed it)."""
    detail = selectors.counter_detail_for_uploader(access_item_for_uploader(request.user, item_id))
    item, report = detail["item"], detail["item"].report
    return {
        **{key: getattr(item, key) for key in ("content", "right", "statement", "outcome")},
        "item": item.pk,
        "target": detail["target"],
        "category": report.category,
        "category_label": detail["category"],
        "ip_kind": report.ip_kind,
        "outcome_label": item.get_outcome_display(),
        "counter_notice": _counter(detail["notice"]),
    }


@router.post(
    "/reports/notices/{int:item_id}/counter",
    response={201: CounterOut},
    url_name="reports-counter",
    openapi_extra=upload_fields("files"),
)
def counter(request, item_id: Id, data: Form[CounterIn]):
    """Contest the measure once: multipart with ``explanation`` and up to 10 ``files`` of proof."""
    item = access_item_for_uploader(request.user, item_id)
    files = read_uploads([Evidence.Kind.COUNTER], lambda _kind: request.FILES.getlist("files"))
    notice = counter_notice_file(uploader=request.user, item=item, explanation=data.explanation, files=files)
    return Status(201, {**_counter(notice), "id": notice.pk})


@router.post(
    "/reports",
    response={201: ReportCreatedOut, **error_responses(415, 429)},
    auth=ReporterFirst(),
    url_name="reports",
    openapi_extra=upload_fields(*REPORT_KINDS),
)
def report_create(request, data: Form[ReportIn]):
    """File a report (multipart): the fields, ``items`` as a JSON list of {url, content, right, statement,
    remedy}, and files named by their kind (``identity``, ``certificate``, ``authorization``, ``proof``,
    ``falsity``; each may repeat). RPT-15: in an intellectual property report filed from an account, an item
    about a work may have ``remedy`` "licence" (instead of "takedown"), with the terms offered in
    ``licence_offer``, a JSON object as a licensing request takes them. Without an account send the pass as ``X-Email-Pass``; keep the ``access_key`` the
    answer gives (send it as ``X-Report-Key`` to read or complete the report). ``missing`` lists what the
    report still lacks; the deadline starts when nothing does."""
    multipart_only(request)
    email_pass = request.headers.get("X-Email-Pass", "") or data.email_pass
    report = report_file(reporter=request.user, email_pass=email_pass, data=_input(request, data))
    return Status(201, {**_report(request, report), "access_key": report.access_token or None})


@router.get("/reports", response=list[ReportSummaryOut], url_name="reports-mine")
@paginate(Page)
def reports_mine(request):
    """The reports you filed while signed in, newest first, 30 a page."""
    return Rows(
        selectors.report_list_for_reporter(request.user), each=lambda report: _summary(request, report)
    )


@router.get("/reports/{reference}", response=ReportOut, auth=visitor_or_user, url_name="report")
def report_get(request, reference: str, key: REPORT_KEY = ""):
    """One of your reports: signed in as its reporter, or with its ``access_key`` as ``X-Report-Key``."""
    return _report(request, access_report_for_reporter(request.user, reference, key))


@router.post(
    "/reports/{reference}",
    response={200: ReportOut, **error_responses(415)},
    auth=ReportOwnerFirst(),
    url_name="report-complete",
    openapi_extra=upload_fields(*REPORT_KINDS),
)
def report_add(request, reference: str, data: Form[ReportIn], key: REPORT_KEY = ""):
    """Complete a report that is not accepted yet, like filing: empty fields keep what it has; addresses and
    files are added. Without an account, send the ``access_key`` as ``X-Report-Key``."""
    multipart_only(request)
    report = access_report_for_reporter(request.user, reference, key)
    return _report(request, report_complete(report=report, data=_input(request, data)))
