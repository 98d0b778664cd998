"""Documents attached to reports (RPT-3, RPT-10): checked like every document (``pipeline.documents``), then
stored encrypted in private storage under a random name."""

import hashlib
import secrets
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import cast

from django.conf import settings
from django.core.files.base import ContentFile
from django.http import HttpResponse
from django.utils.translation import gettext as _

from inspiracle.core import crypto
from inspiracle.core.errors import ApplicationError
from inspiracle.core.files import private_document_response
from inspiracle.core.storage import private_storage
from inspiracle.pipeline.documents import Upload, document_check
from inspiracle.reports.models import Evidence

PURPOSE = "report-evidence"


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
            checked.append((upload, document_check(upload)))
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
