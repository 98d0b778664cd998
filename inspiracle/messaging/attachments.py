"""Files sent with messages (COM-7): checked exactly like a report's documents (``pipeline.documents``: real
type by content, PDF, JPEG or PNG only, size, pixel limits in the limited child, the malware scanner), then
stored encrypted in private storage under a random name, and handed only to the thread's participants.
One rule for every document a user sends the platform, kept below both reports and messaging."""

import hashlib
import secrets
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.http import HttpResponse
from django.utils.translation import gettext as _

from inspiracle.core import crypto
from inspiracle.core.errors import ApplicationError
from inspiracle.core.files import private_document_response
from inspiracle.core.storage import private_storage
from inspiracle.messaging.models import Attachment, Message
from inspiracle.pipeline.documents import Upload, document_check

PURPOSE = "message-attachment"
FIELD = "files"
MAX_ATTACHMENTS = 5

Checked = list[tuple[Upload, str]]


def uploads_from(files: Iterable) -> list[Upload]:
    """Uploaded files (a request's or a form's), not read yet."""
    return [Upload(FIELD, f.name, f) for f in files]


def attachments_check(uploads: list[Upload]) -> Checked:
    """Every file checked before anything is stored: (upload, its real type). Refusals name each file; a
    scanner that is down stops everything (503: try again later)."""
    if len(uploads) > MAX_ATTACHMENTS:
        raise ApplicationError(
            _("Attach at most %(n)d files to one message.") % {"n": MAX_ATTACHMENTS},
            fields={FIELD: [_("Too many files.")]},
        )
    checked: list[tuple[Upload, str]] = []
    errors: list[str] = []
    for upload in uploads:
        try:
            checked.append((upload, document_check(upload)))
        except ApplicationError as exc:
            if exc.status == 503:
                raise
            errors.append(str(exc.message))
    if errors:
        raise ApplicationError(
            _("Nothing was sent; see what is wrong with the files."), fields={FIELD: errors}
        )
    return checked


@contextmanager
def attachments_saving() -> Iterator[Callable[[Checked, Message], None]]:
    """``with attachments_saving() as save: save(checked, message)`` inside the caller's transaction: the files
    written are deleted again if anything in the block fails, so nothing is left orphaned."""
    stored: list[str] = []

    def save(checked: Checked, message: Message) -> None:
        for upload, content_type in checked:
            name = attachment_store(message=message, upload=upload, content_type=content_type).file.name
            assert name is not None  # just stored
            stored.append(name)

    try:
        yield save
    except BaseException:
        for name in stored:
            private_storage().delete(name)
        raise


def attachment_store(*, message: Message, upload: Upload, content_type: str) -> Attachment:
    data = upload.read(settings.REPORT_EVIDENCE_MAX_BYTES)  # checked: within the limit
    record = Attachment(
        message=message,
        name=Path(upload.name).name[:200],
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )
    record.file.save(
        f"{secrets.token_hex(16)}.bin", ContentFile(crypto.encrypt_bytes(data, purpose=PURPOSE)), save=False
    )
    record.full_clean()
    record.save()
    return record


def attachment_response(attachment: Attachment) -> HttpResponse:
    """The decrypted file for a reader the access function let through: a download, never shown inline (it
    comes from another user), never cached, never sniffed as another type."""
    with attachment.file.open("rb") as handle:
        data = crypto.decrypt_bytes(handle.read(), purpose=PURPOSE)
    return private_document_response(
        data, content_type=attachment.content_type, stem=f"attachment-{attachment.pk}", inline=False
    )
