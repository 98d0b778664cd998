"""Handing a decrypted private document (a certificate scan, a report's evidence) to the one reader who opened
it. The caller checked the reader's role and wrote the audit event before reading the bytes."""

from django.http import HttpResponse
from django.utils.csp import CSP

EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}

# Review pages show a document in a frame of their own origin; the document itself loads nothing and runs
# nothing. (The browser's own PDF viewer still works under this policy: checked in Chromium.)
DOCUMENT_CSP = {
    "default-src": [CSP.NONE],
    "img-src": [CSP.SELF],  # an image scan opened on its own, as its own document
    "frame-ancestors": [CSP.SELF],
}


def private_document_response(data: bytes, *, content_type: str, stem: str, inline: bool) -> HttpResponse:
    """For this reader only: never stored by a cache or the browser, never guessed at as another type. The
    type was found from the content when the document was stored, never taken from the sender."""
    content_type = content_type if content_type in EXTENSIONS else "application/octet-stream"
    response = HttpResponse(data, content_type=content_type)
    name = f"{stem}.{EXTENSIONS.get(content_type, 'bin')}"
    response["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
