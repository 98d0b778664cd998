"""Copies of one's data through the API (UX-2, ACC-4): ask for one, follow its progress, download it. Only the
caller's own archives exist for them; anyone else's id is "not found" (PRV-3). Refusals: 429 with Retry-After
after two requests a day."""

from datetime import datetime

from django.urls import reverse
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from inspiracle.accounts.typing import SignedInRequest
from inspiracle.core.api import Page, Rows, error_responses
from inspiracle.core.schemas import Id
from inspiracle.exports.files import archive_response
from inspiracle.exports.models import Export
from inspiracle.exports.permissions import access_export_for_download, access_export_for_owner
from inspiracle.exports.selectors import export_list_for_owner
from inspiracle.exports.services import export_download, export_link_token, export_request

router = Router(tags=["exports"])


class ExportOut(Schema):
    id: int
    status: str
    steps_done: int
    steps_total: int
    size: int
    requested_at: datetime
    built_at: datetime | None
    expires_at: datetime | None
    downloaded_at: datetime | None
    download_url: str | None  # while ready: a signed link that works with this account's credentials only


def export_out(request, export: Export) -> dict:
    url = None
    if export.status == Export.Status.READY:
        url = request.build_absolute_uri(
            reverse("api:account-export-download", args=[export.pk, export_link_token(export)])
        )
    fields = ExportOut.model_fields.keys() - {"download_url"}
    return {**{name: getattr(export, name) for name in fields}, "id": export.pk, "download_url": url}


@router.post(
    "/account/exports",
    response={200: ExportOut, 202: ExportOut, **error_responses(429)},
    url_name="account-exports",
)
def exports_request(request: SignedInRequest):
    """Ask for a copy of your data (a ZIP of JSON files and your originals, README.txt inside). 202 with the
    new archive; 200 with the one already being built (one at a time). Follow ``steps_done`` / ``steps_total``
    on GET /api/account/exports/{id}; it is kept 7 days once ready. Two requests a day."""
    export, created = export_request(user=request.user)
    return Status(202 if created else 200, export_out(request, export))


@router.get("/account/exports", response=list[ExportOut], url_name="account-exports-list")
@paginate(Page)
def exports_list(request: SignedInRequest):
    """Your latest archives (10), newest first."""
    return Rows(export_list_for_owner(request.user), each=lambda export: export_out(request, export))


@router.get("/account/exports/{export_id}", response=ExportOut, url_name="account-export")
def export_detail(request: SignedInRequest, export_id: Id):
    """One of your archives, with its progress and, once ready, ``download_url``."""
    return export_out(request, access_export_for_owner(request.user, export_id))


@router.get(
    "/account/exports/{export_id}/download/{token}",
    response={200: None, 302: None, **error_responses(404)},
    url_name="account-export-download",
)
def export_file(request: SignedInRequest, export_id: Id, token: str):
    """The archive (application/zip), or on S3 a redirect to a signed address valid for minutes. Needs the
    signed ``download_url`` and the owner's own session or token."""
    export = export_download(export=access_export_for_download(request.user, export_id), token=token)
    return archive_response(export)
