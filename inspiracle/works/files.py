"""Handing out a work's stored files, after the access check (WRK-3, PRV-3).

Originals, and every file of a work that is not published, go out through ``file_response`` after the access
check: streamed from local storage, or a redirect to a signed S3 URL that expires in minutes; never cached.
A published work's derivatives also have a public, content-addressed address (``derivative_url``) that browsers
keep for a year.
"""

import hashlib
from urllib.parse import quote

from django.http import FileResponse, HttpRequest, HttpResponseNotModified, HttpResponseRedirect
from django.http.response import HttpResponseBase

from inspiracle.core.http import same_for_everyone
from inspiracle.core.routes import route
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
    public = (
        work.is_public
        and not row.masked_at
        and kind != "original"
        and not isinstance(response, HttpResponseRedirect)
    )
    response["Cache-Control"] = "public, max-age=60" if public else "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return robots_headers(response, work)


# --- public derivatives (issue 14) ----------------------------------------------------------------------------
# A published work's thumbnail and preview are public anyway (WRK-3), so they get an address of their own that a
# browser may keep for a year: a repeat visit then costs no request at all. The address carries a digest of the
# original's SHA-256 and the derivative's stored name. Both are fixed once the file is accepted (the pipeline
# writes each derivative once, under a folder unique to the upload; new files are new rows), so a different
# picture always has a different address, and the digest cannot be guessed from the file's id.
PUBLIC_CACHE = "public, max-age=31536000, immutable"
# On S3 the address answers with a redirect to a signed URL. The redirect is kept by browsers for a day and the
# URL it names lasts two, so a kept redirect never points at an expired URL.
PUBLIC_REDIRECT_SECONDS = 24 * 3600
PUBLIC_SIGNED_SECONDS = 2 * PUBLIC_REDIRECT_SECONDS


def public_digest(row: WorkFile, kind: str) -> str:
    """The content address of one derivative of ``row`` (see above)."""
    return _digest(row.sha256, getattr(row, kind).name)


def _digest(sha256: str, stored: str) -> str:
    return hashlib.sha256(f"{sha256}\0{stored}".encode()).hexdigest()[:32]


# Lists make one of these a row (core/routes.py).
_public_file, _file = route("works:public-file"), route("works:file")


def derivative_url(work: Work, row: WorkFile, kind: str) -> str:
    """Where a page points for a derivative: the cacheable public address for a published work's file that
    staff did not mask, the access-checked address otherwise (owners and staff see unpublished works)."""
    return derivative_address(
        work_id=work.pk,
        work_status=work.status,
        file_id=row.pk,
        sha256=row.sha256,
        stored=getattr(row, kind).name or "",
        masked=row.masked_at is not None,
        kind=kind,
    )


def derivative_address(
    *, work_id: int, work_status: str, file_id: int, sha256: str, stored: str, masked: bool, kind: str
) -> str:
    """``derivative_url`` from the columns it reads, for a list that reads them without loading the rows."""
    if work_status == Work.Status.PUBLISHED and not masked and stored:
        return _public_file(file_id, _digest(sha256, stored), kind)
    return _file(work_id, file_id, kind)


def public_file_response(request: HttpRequest, row: WorkFile, kind: str, digest: str) -> HttpResponseBase:
    """The derivative for everyone, cacheable for a year (local storage) or a redirect to a signed URL that
    says the same to the browser (S3). ``row`` was found by ``permissions.access_public_derivative``."""
    storage = private_storage()
    name = getattr(row, kind).name
    etag = f'"{digest}"'
    response: HttpResponseBase
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponseNotModified()
    else:
        try:
            storage.path(name)
        except NotImplementedError:
            return robots_headers(_public_redirect(storage, name), row.work)
        response = FileResponse(storage.open(name, "rb"), content_type="image/webp")
        response["Content-Disposition"] = "inline"
    response["ETag"] = etag
    response["Cache-Control"] = PUBLIC_CACHE
    response["X-Content-Type-Options"] = "nosniff"
    return robots_headers(same_for_everyone(response), row.work)


def _public_redirect(storage, name: str) -> HttpResponseRedirect:
    parameters = {
        "ResponseContentType": "image/webp",
        "ResponseContentDisposition": "inline",
        "ResponseCacheControl": PUBLIC_CACHE,
    }
    response = HttpResponseRedirect(storage.url(name, parameters=parameters, expire=PUBLIC_SIGNED_SECONDS))
    response["Cache-Control"] = f"public, max-age={PUBLIC_REDIRECT_SECONDS}"
    return same_for_everyone(response)
