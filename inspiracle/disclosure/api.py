"""Authority requests through the API (UX-2, PRV-5), for legal officers and administrators: the register, recording
a request (multipart with its ``document``), the second officer's decision, withdrawal, the one-time export
download and the received document. The same services and access function as the console; non-staff get "not
found" from every endpoint. Refusals carry their code: ``own_request`` (403, the recorder deciding),
``not_an_officer`` (403), ``invalid_state`` (409), ``already_delivered`` (410)."""

from datetime import date, datetime
from typing import Literal

from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from ninja import Field, Form, Query, Router, Schema, Status
from ninja.pagination import paginate

from inspiracle.accounts.permissions import DISCLOSURE_RECORD, require_capability
from inspiracle.core.api import Page, Rows, error_responses, upload_fields
from inspiracle.core.files import private_document_response
from inspiracle.disclosure import permissions as perms
from inspiracle.disclosure import selectors
from inspiracle.disclosure.models import DisclosureRequest
from inspiracle.disclosure.services.exports import export_download, export_response_name
from inspiracle.disclosure.services.requests import (
    RequestInput,
    document_open,
    export_requeue,
    request_approve,
    request_record,
    request_reject,
    request_withdraw,
)
from inspiracle.pipeline.documents import read_uploads

router = Router(tags=["disclosure"])
PAGE = 50
Status_ = Literal["recorded", "approved", "rejected", "exported", "delivered", "withdrawn"]


class RequestRowOut(Schema):
    reference: str
    url: str
    authority: str
    authority_reference: str
    accounts: list[str]
    status: Status_
    status_label: str
    deadline: date
    overdue: bool


class RequestOut(RequestRowOut):
    legal_basis: str
    kinds: list[str]
    period_from: date
    period_to: date
    notice_prohibited: bool
    document_name: str
    recorded_at: datetime
    recorded_by: str
    approved_at: datetime | None
    approved_by: str | None
    rejected_at: datetime | None
    rejected_by: str | None
    decision_reason: str
    exported_at: datetime | None
    delivered_at: datetime | None
    delivered_by: str | None
    withdrawn_at: datetime | None
    withdrawn_by: str | None
    withdraw_reason: str


class RequestIn(Schema):
    authority: str = Field("", max_length=200)
    legal_basis: str = Field("", max_length=2000)
    authority_reference: str = Field("", max_length=100)
    usernames: str = Field("", max_length=4000, description="Separated by spaces, commas or new lines")
    kinds: list[str] = Field(
        default_factory=list,
        description="Repeat the field, or separate by commas: registration, content, publication_times, "
        "ip_addresses",
    )
    period_from: date | None = None
    period_to: date | None = None
    deadline: date | None = None
    notice_prohibited: bool = False


class DisclosureDecisionIn(Schema):
    decision: Literal["approve", "reject"]
    reason: str = Field(max_length=2000)


class WithdrawIn(Schema):
    reason: str = Field(max_length=2000)


def _name(user) -> str | None:
    return user.username if user else None


def _row(request, found: DisclosureRequest) -> dict:
    return {
        "reference": found.reference,
        "url": request.build_absolute_uri(reverse("disclosure:detail", args=[found.reference])),
        "authority": found.authority,
        "authority_reference": found.authority_reference,
        "accounts": sorted(user.username for user in found.accounts.all()),
        "status": found.status,
        "status_label": found.get_status_display(),
        "deadline": found.deadline,
        "overdue": found.is_open and found.deadline < timezone.localdate(),
    }


def _detail(request, found: DisclosureRequest) -> dict:
    fields = ("legal_basis", "kinds", "period_from", "period_to", "notice_prohibited", "document_name")
    moments = ("recorded_at", "approved_at", "rejected_at", "exported_at", "delivered_at", "withdrawn_at")
    people = ("recorded_by", "approved_by", "rejected_by", "delivered_by", "withdrawn_by")
    return {
        **_row(request, found),
        **{name: getattr(found, name) for name in fields + moments},
        **{name: _name(getattr(found, name)) for name in people},
        "decision_reason": found.decision_reason,
        "withdraw_reason": found.withdraw_reason,
    }


@router.get("/disclosure/requests", response=list[RequestRowOut], url_name="staff-disclosure-requests")
@paginate(Page, page_size=PAGE)
def requests_list(
    request,
    state: Literal["all", "open", Status_] = "all",
    overdue: bool = False,
    q: str = Query("", max_length=100),
):
    """The register: open requests past their deadline first, then by deadline; 50 a page."""
    found = selectors.request_list_for_register(request.user, state=state, overdue_only=overdue, search=q)
    return Rows(found, each=lambda r: _row(request, r))


@router.post(
    "/disclosure/requests",
    response={201: RequestOut},
    url_name="staff-disclosure-record",
    openapi_extra=upload_fields("document"),
)
def request_create(request, data: Form[RequestIn]):
    """Record a request as it arrived (multipart: the fields and the ``document``, a PDF, JPEG or PNG). Every
    wrong field is named in ``fields``: unknown usernames, reversed dates, a document that is not one."""
    require_capability(request.user, DISCLOSURE_RECORD)
    documents = read_uploads(["document"], request.FILES.getlist)
    kinds = [kind.strip() for value in data.kinds for kind in value.split(",") if kind.strip()]
    found = request_record(
        by=request.user,
        data=RequestInput(
            **data.dict(exclude={"kinds"}), kinds=kinds, document=documents[0] if documents else None
        ),
    )
    return Status(201, _detail(request, found))


@router.get("/disclosure/requests/{reference}", response=RequestOut, url_name="staff-disclosure-request")
def request_get(request, reference: str):
    return _detail(request, perms.access_request_for_officer(request.user, reference))


@router.post(
    "/disclosure/requests/{reference}/decision",
    response=RequestOut,
    url_name="staff-disclosure-decide",
)
def request_decide(request, reference: str, data: DisclosureDecisionIn):
    """A second legal officer or an administrator approves (the export is then built) or rejects."""
    found = perms.access_request_for_officer(request.user, reference)
    decide = request_approve if data.decision == "approve" else request_reject
    return _detail(request, decide(found=found, by=request.user, reason=data.reason))


@router.post(
    "/disclosure/requests/{reference}/withdraw", response=RequestOut, url_name="staff-disclosure-withdraw"
)
def request_withdraw_api(request, reference: str, data: WithdrawIn):
    found = perms.access_request_for_officer(request.user, reference)
    return _detail(request, request_withdraw(found=found, by=request.user, reason=data.reason))


@router.post(
    "/disclosure/requests/{reference}/export",
    response={200: None, **error_responses(410)},
    url_name="staff-disclosure-download",
)
def export_get(request, reference: str):
    """The export (application/zip), once, for the officer who recorded or approved the request; it is then
    deleted and the request is delivered. Any further download answers 410 ``already_delivered``."""
    found = perms.access_request_for_officer(request.user, reference)
    # Streamed: decrypted chunk by chunk after the delivery committed (never whole in memory).
    stream = export_download(found=found, by=request.user)
    response = StreamingHttpResponse(stream, content_type="application/zip")
    response["Content-Length"] = str(stream.found.export_size)  # lets the client see a stream cut short
    response["Content-Disposition"] = f'attachment; filename="{export_response_name(found)}"'
    response["Cache-Control"] = "private, no-store"
    return response


@router.post(
    "/disclosure/requests/{reference}/export/requeue",
    response=RequestOut,
    url_name="staff-disclosure-requeue",
)
def export_requeue_api(request, reference: str):
    found = perms.access_request_for_officer(request.user, reference)
    return _detail(request, export_requeue(found=found, by=request.user))


@router.get(
    "/disclosure/requests/{reference}/document", response={200: None}, url_name="staff-disclosure-document"
)
def document_get(request, reference: str):
    """The document the authority sent, decrypted (inline, never cached). Audited."""
    found = perms.access_request_for_officer(request.user, reference)
    data = document_open(found=found, by=request.user)
    return private_document_response(
        data, content_type=found.document_type, stem=f"{found.reference}-document", inline=True
    )
