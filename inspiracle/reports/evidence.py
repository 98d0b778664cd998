"""Documents attached to reports (RPT-3, RPT-10): checked like uploads (real type by content, size, pixel
limits, the malware scanner), then stored encrypted in private storage under a random name."""

import hashlib
import secrets
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.http import HttpResponse
from django.utils.translation import gettext as _

from inspiracle.accounts.validation import DOCUMENT_SIGNATURES
from inspiracle.core import crypto
from inspiracle.core.errors import ApplicationError
from inspiracle.core.files import private_document_response
from inspiracle.core.storage import private_storage
from inspiracle.pipeline.clamav import ScannerUnavailable, scan_file_and_unpacked
from inspiracle.pipeline.errors import FileRefused
from inspiracle.pipeline.sandbox import inspect_bytes_limited
from inspiracle.reports.models import Evidence

PURPOSE = "report-evidence"


@dataclass
class Upload:
    """A document as a reporter, rights holder or uploader sent it, before any check: its bytes, or the
    uploaded file as Django keeps it (on disk past FILE_UPLOAD_MAX_MEMORY_SIZE), read only when checked and
    when stored, one at a time and never past the size limit (issue 10: reading every attachment first grew
    a worker by 225 MB)."""

    kind: str
    name: str
    source: bytes | File

    @property
    def size(self) -> int:
        return len(self.source) if isinstance(self.source, bytes) else self.source.size

    def read(self, limit: int) -> bytes:
        """At most ``limit + 1`` bytes: enough to tell a file over the limit without holding all of it."""
        if isinstance(self.source, bytes):
            return self.source[: limit + 1]
        self.source.seek(0)
        return self.source.read(limit + 1)


def read_uploads(kinds: Iterable[str], files_of: Callable[[str], Iterable | None]) -> list[Upload]:
    """The uploaded files of each kind (``files_of(kind)``: a request's or a form's), not read yet."""
    return [Upload(kind, f.name, f) for kind in kinds for f in files_of(kind) or []]


def evidence_check(upload: Upload) -> str:
    """The file's real type, or an error naming the file and what to do."""
    limit, name = settings.REPORT_EVIDENCE_MAX_BYTES, upload.name
    too_large = ApplicationError(
        _("“%(name)s” is larger than %(max).0f MB. Scan it at a lower resolution or split it.")
        % {"name": name, "max": limit / 1e6}
    )
    if upload.size > limit:
        raise too_large
    data = upload.read(limit)
    if not data:
        raise ApplicationError(_("“%(name)s” is empty. Attach a PDF, JPEG or PNG file.") % {"name": name})
    if len(data) > limit:
        raise too_large
    content_type = next((kind for magic, kind in DOCUMENT_SIGNATURES if data.startswith(magic)), None)
    if content_type is None:
        raise ApplicationError(
            _("“%(name)s” is not a PDF, JPEG or PNG file. Save or scan it in one of these formats.")
            % {"name": name}
        )
    packed: tuple = ()
    if content_type != "application/pdf":
        try:
            packed = inspect_bytes_limited(data, name=name, max_bytes=limit).packed
        except FileRefused as refusal:
            raise ApplicationError(f"“{name}”: {refusal.message}") from None
    _scan(data, name, packed)
    return content_type


def _scan(data: bytes, name: str, packed: tuple) -> None:
    with tempfile.NamedTemporaryFile(prefix="evidence-") as handle:
        handle.write(data)
        handle.flush()
        try:
            result = scan_file_and_unpacked(Path(handle.name), packed)
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


def evidence_checked(
    uploads: list[Upload], errors: dict, *, kinds: Iterable[str], field: str = ""
) -> list[tuple[Upload, str]]:
    """Check every upload before anything is stored: (upload, its real type) for the good ones; each refusal
    goes into ``errors`` under its kind (or ``field``). A scanner that is down stops everything (503)."""
    checked = []
    for upload in uploads:
        if upload.kind not in kinds:
            errors.setdefault("files", []).append(
                _("Unknown kind of document: %(kind)s.") % {"kind": upload.kind}
            )
            continue
        try:
            checked.append((upload, evidence_check(upload)))
        except ApplicationError as exc:
            if exc.status == 503:
                raise
            errors.setdefault(field or upload.kind, []).append(exc.message)
    return checked


@contextmanager
def evidence_saving() -> Iterator[Callable[..., None]]:
    """``with evidence_saving() as save: save(checked, report=...)`` inside the caller's transaction: the
    documents stored are deleted again if anything in the block fails, so nothing is left orphaned."""
    stored: list[str] = []

    def save(checked: list[tuple[Upload, str]], **owner) -> None:
        for upload, content_type in checked:
            data = upload.read(settings.REPORT_EVIDENCE_MAX_BYTES)  # checked: within the limit
            document = evidence_store(
                kind=upload.kind, data=data, name=upload.name, content_type=content_type, **owner
            )
            stored.append(cast(str, document.file.name))  # just stored: the stubs allow None for no file

    try:
        yield save
    except BaseException:
        for name in stored:
            private_storage().delete(name)
        raise


def evidence_store(*, kind: str, data: bytes, name: str, content_type: str, **owner) -> Evidence:
    """Store one checked document for its owner (``report=``, ``profile=`` or ``counter_notice=``)."""
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


def evidence_response(evidence: Evidence, data: bytes) -> HttpResponse:
    """The decrypted document for the staff member who opened it (``services.reading.evidence_open``)."""
    return private_document_response(
        data, content_type=evidence.content_type, stem=f"{evidence.kind}-{evidence.pk}", inline=True
    )
