"""Documents people send the platform (report evidence, identity and proof, counter-notices, message
attachments): checked the same way wherever they arrive (real type by content, size, pixel limits in a limited
child process, the malware scanner), before anything is stored. Model-free, below every app that receives
documents (decision 0015: reports and messaging both use it, neither imports the other for it)."""

import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.base import File
from django.utils.translation import gettext as _

from inspiracle.core.errors import ApplicationError
from inspiracle.pipeline.clamav import ScannerUnavailable, scan_file_and_unpacked
from inspiracle.pipeline.errors import FileRefused
from inspiracle.pipeline.sandbox import inspect_bytes_limited

# What a scanner or phone produces. Checked by content, never by file name. (The limit, REPORT_EVIDENCE_MAX_BYTES,
# is the one size limit for every such document.)
DOCUMENT_SIGNATURES = [
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
]


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


def document_check(upload: Upload) -> str:
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
