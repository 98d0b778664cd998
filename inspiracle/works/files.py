"""Handing out a work's stored files, after the access check (WRK-3, PRV-3).

Nothing of a work has a public URL: the page and the API route every file through here. On local storage the
file is streamed; on S3 the reader is redirected to a signed URL that expires in minutes.
"""

from urllib.parse import quote

from django.http import FileResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase

from inspiracle.pipeline.checks import MIME
from inspiracle.works.models import Work, WorkFile, private_storage

NO_AI_ROBOTS = "noai, noimageai"


def robots_headers[R: HttpResponseBase](response: R, work: Work) -> R:
    """WRK-11: "no AI training" travels with every response about the work."""
    if work.no_ai_training:
        response["X-Robots-Tag"] = NO_AI_ROBOTS
    return response


def file_response(row: WorkFile, kind: str) -> HttpResponseBase:
    storage = private_storage()
    name = getattr(row, kind).name
    work = row.work
    if kind == "original":
        content_type = MIME.get(row.format, "application/octet-stream")
        disposition = f"attachment; filename*=UTF-8''{quote(row.original_name, safe='')}"
    else:
        content_type, disposition = "image/webp", "inline"
    response: HttpResponseBase
    try:
        storage.path(name)
    except NotImplementedError:
        url = storage.url(
            name, parameters={"ResponseContentDisposition": disposition, "ResponseContentType": content_type}
        )
        response = HttpResponseRedirect(url)
    else:
        response = FileResponse(storage.open(name, "rb"), content_type=content_type)
        response["Content-Disposition"] = disposition
    # Only a published work's derivatives may sit in shared caches, briefly (it may be unpublished); the
    # rest, and every signed S3 address, is for this reader alone.
    public = work.is_public and kind != "original" and not isinstance(response, HttpResponseRedirect)
    response["Cache-Control"] = "public, max-age=60" if public else "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return robots_headers(response, work)
