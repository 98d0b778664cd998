"""Handing a decrypted certificate scan to the staff member who opened it (REG-5, MOD-7).

The bytes come from ``certificate_open``, which checked the role and wrote the audit event. The response is
for this reader only: never stored by a cache or the browser, never guessed at as another type.
"""

from django.http import HttpResponse
from django.utils.csp import CSP

from inspiracle.accounts.models import OrganizationCertificate

EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}

# The review page shows the scan in a frame of its own origin; the scan itself loads nothing and runs nothing.
# (The browser's own PDF viewer still works under this policy: checked in Chromium.)
CERTIFICATE_CSP = {
    "default-src": [CSP.NONE],
    "img-src": [CSP.SELF],  # an image scan opened on its own, as its own document
    "frame-ancestors": [CSP.SELF],
}


def certificate_response(certificate: OrganizationCertificate, data: bytes, *, inline: bool) -> HttpResponse:
    # The type was found from the content at upload (sniff_certificate), never taken from the uploader.
    content_type = (
        certificate.content_type if certificate.content_type in EXTENSIONS else "application/octet-stream"
    )
    name = f"certificate-{certificate.user.username}-{certificate.pk}.{EXTENSIONS.get(content_type, 'bin')}"
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
