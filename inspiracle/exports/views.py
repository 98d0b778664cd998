"""The "Download my data" page (ACC-4): the owner's archives with their progress, asking for a new one, and
downloading a ready one through its signed link, signed in as its owner."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inspiracle.accounts.typing import SignedInRequest
from inspiracle.core.errors import ApplicationError
from inspiracle.core.privacy import no_store
from inspiracle.core.views import form_page
from inspiracle.exports.files import archive_response
from inspiracle.exports.models import Export
from inspiracle.exports.permissions import access_export_for_download
from inspiracle.exports.selectors import export_list_for_owner
from inspiracle.exports.services import export_download, export_link_token, export_request

POLL_SECONDS = 3


@login_required
def export_list(request: SignedInRequest):
    return _page(request, None)


def _page(request: SignedInRequest, refusal: ApplicationError | None):
    exports = export_list_for_owner(request.user)
    rows = [(export, download_path(export)) for export in exports]
    # No script needed: the page reloads itself while an archive is being built.
    poll = POLL_SECONDS if any(export.in_progress for export in exports) else 0
    context = {"rows": rows, "poll": poll, "refusal": refusal}
    return form_page(
        request, "exports/list.html", context, refusal, status=refusal.status if refusal else 200
    )


def download_path(export: Export) -> str:
    """The signed link of a ready archive ('' otherwise); it works only for its owner, signed in."""
    if export.status != Export.Status.READY:
        return ""
    return reverse("exports:download", args=[export.pk, export_link_token(export)])


@login_required
@require_POST
def export_new(request: SignedInRequest):
    try:
        export, created = export_request(user=request.user)
    except ApplicationError as exc:  # two a day: the page says when to come back (429 with Retry-After)
        return _page(request, exc)
    if created:
        messages.success(request, _("Your archive is being built. This page shows its progress."))
    else:
        messages.info(request, _("An archive is already being built; it is shown below."))
    return redirect("exports:list")


@login_required
@no_store
def export_file(request: SignedInRequest, export_id: int, token: str) -> HttpResponseBase:
    export = export_download(export=access_export_for_download(request.user, export_id), token=token)
    return archive_response(export)
