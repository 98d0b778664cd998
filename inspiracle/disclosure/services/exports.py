"""An approved request's export (PRV-5): built by a job, sealed, downloaded once by one of its officers.

Sealing: the ZIP is encrypted with AES-256-GCM under a fresh key made for this export alone; that key is kept
wrapped by the PII key ring (``core.crypto``, so rotation and the key-outside-the-database rule hold), bound to
this request. Delivery deletes both the sealed file and the wrapped key, so no copy stays readable here.
"""

import base64
import hashlib
import json
import logging
import secrets
import tempfile
import zipfile

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from inspiracle.accounts.models import User
from inspiracle.accounts.permissions import DISCLOSURE_RECORD, require_capability
from inspiracle.core import crypto
from inspiracle.core.errors import ApplicationError, PermissionDenied
from inspiracle.core.storage import private_storage
from inspiracle.disclosure import transitions
from inspiracle.disclosure.models import DataKind, DisclosureRequest
from inspiracle.disclosure.scope import export_contents, file_chunks
from inspiracle.notifications.services import notify

log = logging.getLogger(__name__)
S = DisclosureRequest.Status
MAGIC = b"dx1:"


def _key_purpose(found: DisclosureRequest) -> str:
    return f"disclosure.DisclosureRequest.export_key:{found.pk}"


def _aad(found: DisclosureRequest) -> bytes:
    return f"disclosure-export:{found.pk}".encode()


def _archive(found: DisclosureRequest) -> tuple[bytes, int]:
    """The plain ZIP (disclosure.json + the files in scope) and how many files it holds."""
    manifest, files = export_contents(found, timezone.now())
    with tempfile.SpooledTemporaryFile(max_size=16 << 20) as spool:
        with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("disclosure.json", json.dumps(manifest, ensure_ascii=False, indent=2))
            for entry in files:
                with archive.open(entry.path, "w", force_zip64=True) as target:
                    for chunk in file_chunks(entry):
                        target.write(chunk)
        spool.seek(0)
        return spool.read(), len(files)


def export_build(request_id: int) -> str:
    """The job's body: build, seal and store the export of an approved request, then mark it exported. Run
    again for the same request (a redelivered message) it does nothing."""
    found = DisclosureRequest.objects.filter(pk=request_id, status=S.APPROVED).first()
    if found is None:
        return "skipped"
    data, file_count = _archive(found)
    key, nonce = AESGCM.generate_key(bit_length=256), secrets.token_bytes(12)
    sealed = MAGIC + nonce + AESGCM(key).encrypt(nonce, data, _aad(found))
    wrapped = crypto.encrypt(base64.b64encode(key).decode(), purpose=_key_purpose(found))
    name = private_storage().save(f"disclosure/exports/{secrets.token_hex(16)}.bin", ContentFile(sealed))
    try:
        with transaction.atomic():
            # Why the lock: a second job for the same request (redelivered) must not store a second export.
            locked = DisclosureRequest.objects.select_for_update().get(pk=request_id)
            if locked.status != S.APPROVED:
                private_storage().delete(name)
                return "skipped"
            locked.export_file.name = name
            locked.export_key = wrapped
            locked.export_size = len(data)
            locked.export_sha256 = hashlib.sha256(data).hexdigest()
            summary = {"sha256": locked.export_sha256, "size": len(data), "files": file_count}
            transitions.disclosure_transition(obj=locked, transition=transitions.EXPORT, data=summary)
    except BaseException:
        private_storage().delete(name)  # nothing orphaned: the row never pointed at it
        raise
    log.info("disclosure export %s built: %d bytes, %d files", request_id, len(data), file_count)
    return "exported"


def _unseal(found: DisclosureRequest) -> bytes:
    key = base64.b64decode(crypto.decrypt(found.export_key, purpose=_key_purpose(found)))
    with found.export_file.open("rb") as handle:
        sealed = handle.read()
    if not sealed.startswith(MAGIC):
        raise crypto.DecryptionError("the stored export is not in the sealed format")
    body = sealed[len(MAGIC) :]
    try:
        return AESGCM(key).decrypt(body[:12], body[12:], _aad(found))
    except Exception as exc:  # InvalidTag: altered, or not this request's export
        raise crypto.DecryptionError("the stored export could not be decrypted") from exc


def export_download(*, found: DisclosureRequest, by: User) -> bytes:
    """PRV-5: the export for one of the request's two officers, once. The first download marks it delivered,
    tells the affected users (unless notice is prohibited) and deletes the export; any other is refused."""
    require_capability(by, DISCLOSURE_RECORD)
    with transaction.atomic():
        # Why the lock: of many downloads at once exactly one may read and deliver; the others then see
        # "delivered" (PostgreSQL: the row lock; SQLite: the IMMEDIATE transaction queues the writers).
        found = DisclosureRequest.objects.select_for_update().get(pk=found.pk)
        if found.status == S.DELIVERED:
            raise ApplicationError(
                _(
                    "This export was downloaded on %(at)s by @%(name)s and then deleted; it is downloaded once only."
                )
                % {
                    "at": timezone.localtime(found.delivered_at).strftime("%Y-%m-%d %H:%M"),
                    "name": found.delivered_by,
                },
                code="already_delivered",
                status=410,
            )
        if found.status != S.EXPORTED:
            raise ApplicationError(
                _("There is no export to download: the request is “%(status)s”.")
                % {"status": found.get_status_display()},
                code="invalid_state",
                status=409,
            )
        if by.pk not in found.officers:
            raise PermissionDenied(
                _(
                    "Only the officer who recorded this request or the one who approved it may download its export."
                ),
                code="not_an_officer",
            )
        data = _unseal(found)
        if hashlib.sha256(data).hexdigest() != found.export_sha256:
            raise crypto.DecryptionError("the export does not match the digest recorded when it was built")
        stored = found.export_file.name
        notified = _notify_affected(found)
        audit = {
            "sha256": found.export_sha256,
            "notice_prohibited": found.notice_prohibited,
            "notified": notified,
        }
        transitions.disclosure_transition(obj=found, transition=transitions.DELIVER, by=by, data=audit)
        transaction.on_commit(lambda: private_storage().delete(stored), robust=True)
    return data


def _notify_affected(found: DisclosureRequest) -> list[str]:
    """The affected users' notices (inbox and e-mail), unless the authority prohibited notice: usernames told."""
    if found.notice_prohibited:
        return []
    told = []
    period = f"{found.period_from.isoformat()} – {found.period_to.isoformat()}"
    for user in found.accounts.order_by("username"):
        with translation.override(user.language):  # the kinds as a phrase in the reader's language
            kinds = ", ".join(str(DataKind(kind).label) for kind in found.kinds)
        params = {"authority": found.authority, "basis": found.legal_basis, "kinds": kinds, "period": period}
        notify(
            user=user,
            template="disclosure_delivered",
            params=params | {"reference": found.authority_reference},
        )
        told.append(user.username)
    return told


def export_response_name(found: DisclosureRequest) -> str:
    """The download's file name: the request's reference only (no personal data in file names)."""
    return f"{found.reference}.zip"
