"""Documents attached to reports (RPT-3, RPT-10): checked like uploads (real type by content, size, pixel
limits, the malware scanner), then stored encrypted in private storage under a random name."""

import hashlib
import secrets
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from inspiracle.accounts.validation import open_image
from inspiracle.core import crypto
from inspiracle.core.errors import ApplicationError
from inspiracle.pipeline.clamav import ScannerUnavailable, scan_file
from inspiracle.pipeline.errors import FileRefused
from inspiracle.reports.models import Evidence

SIGNATURES = [
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
]
PURPOSE = "report-evidence"


def evidence_check(data: bytes, name: str) -> str:
    """The file's real type, or an error naming the file and what to do."""
    limit = settings.REPORT_EVIDENCE_MAX_BYTES
    if not data:
        raise ApplicationError(_("“%(name)s” is empty. Attach a PDF, JPEG or PNG file.") % {"name": name})
    if len(data) > limit:
        raise ApplicationError(
            _("“%(name)s” is larger than %(max).0f MB. Scan it at a lower resolution or split it.")
            % {"name": name, "max": limit / 1e6}
        )
    content_type = next((kind for magic, kind in SIGNATURES if data.startswith(magic)), None)
    if content_type is None:
        raise ApplicationError(
            _("“%(name)s” is not a PDF, JPEG or PNG file. Save or scan it in one of these formats.")
            % {"name": name}
        )
    if content_type != "application/pdf":
        try:
            open_image(data, what=name)
        except ValidationError as exc:
            raise ApplicationError(exc.messages[0]) from None
    _scan(data, name)
    return content_type


def _scan(data: bytes, name: str) -> None:
    with tempfile.NamedTemporaryFile(prefix="evidence-") as handle:
        handle.write(data)
        handle.flush()
        try:
            result = scan_file(Path(handle.name))
        except (ScannerUnavailable, FileRefused):
            raise ApplicationError(
                _("“%(name)s” could not be checked for malware just now. Try again in a few minutes.")
                % {"name": name},
                status=503,
                code="scanner_unavailable",
            ) from None
    if result.status == "infected":
        raise ApplicationError(
            _("“%(name)s” contains malware (%(signature)s) and was not accepted.")
            % {"name": name, "signature": result.signature},
            code="malware",
        )


def evidence_store(*, kind: str, data: bytes, name: str, content_type: str, **owner) -> Evidence:
    """Store one checked document for its owner (``report=``, ``profile=`` or ``counter_notice=``). Call inside
    the caller's transaction; on failure the caller deletes ``evidence.file.name``."""
    record = Evidence(
        kind=kind,
        name=Path(name).name[:200] or kind,
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        **owner,
    )
    sealed = crypto.encrypt_bytes(data, purpose=PURPOSE)
    record.file.save(f"{secrets.token_hex(16)}.bin", ContentFile(sealed), save=False)
    record.save()
    return record


def evidence_read(evidence: Evidence) -> bytes:
    with evidence.file.open("rb") as handle:
        return crypto.decrypt_bytes(handle.read(), purpose=PURPOSE)
