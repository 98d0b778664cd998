"""Handing out a stored archive, after the access check and the signed link: streamed from local storage, or
a signed S3 address valid for minutes. The name the browser saves says nothing about the user."""

from django.http import FileResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _

from inspiracle.core.errors import NotFound
from inspiracle.core.storage import private
from inspiracle.exports.models import Export

DISPOSITION = 'attachment; filename="inspiracle-data.zip"'


def archive_response(export: Export) -> HttpResponseBase:
    name = export.file.name
    response: HttpResponseBase
    try:
        private.path(name)
    except NotImplementedError:
        url = private.url(
            name,
            parameters={"ResponseContentDisposition": DISPOSITION, "ResponseContentType": "application/zip"},
        )
        response = HttpResponseRedirect(url)
    else:
        try:
            handle = private.open(name, "rb")
        except FileNotFoundError:
            raise NotFound(_("This archive has been deleted. Ask for a new one.")) from None
        response = FileResponse(handle, content_type="application/zip")
        response["Content-Disposition"] = DISPOSITION
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
