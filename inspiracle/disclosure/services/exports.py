"""An approved request's export (PRV-5): built by a job, sealed, downloaded once by one of its officers.

Sealing: the ZIP is encrypted with AES-256-GCM, one seal per 1 MiB chunk, under a fresh key made for this export alone; that key is kept
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
from collections.abc import Iterator

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.core.files.base import File
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

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
MAGIC = b"dx2:"  # chunked (CHUNK plaintext bytes per AES-GCM seal)
LEGACY_MAGIC = b"dx1:"  # one AES-GCM seal of the whole ZIP (read only)


def _key_purpose(found: DisclosureRequest) -> str:
    return f"disclosure.DisclosureRequest.export_key:{found.pk}"


def _aad(found: DisclosureRequest) -> bytes:
    return f"disclosure-export:{found.pk}".encode()


CHUNK = 1 << 20  # plaintext bytes per sealed chunk
TAG = 16  # AES-GCM tag per chunk
PREFIX = 7  # random nonce prefix; the nonce is prefix | chunk index (4 bytes) | last flag (1 byte)


def _archive(found: DisclosureRequest, target) -> int:
    """Write the plain ZIP (disclosure.json + the files in scope) to ``target``; how many files it holds."""
    manifest, files = export_contents(found, timezone.now())
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("disclosure.json", json.dumps(manifest, ensure_ascii=False, indent=2))
        for entry in files:
            with archive.open(entry.path, "w", force_zip64=True) as target_entry:
                for chunk in file_chunks(entry):
                    target_entry.write(chunk)
    return len(files)


def _chunk_params(found: DisclosureRequest, prefix: bytes, index: int, last: bool) -> tuple[bytes, bytes]:
    """The nonce and associated data of chunk ``index``: both bind its position and whether it is the last,
    so a reordered, dropped or cut-off chunk fails its tag (a stream cut at a chunk boundary ends on a chunk
    not sealed as the last)."""
    if index >= 1 << 32:
        raise ValueError("export too large to seal")
    position = index.to_bytes(4, "big") + (b"\x01" if last else b"\x00")
    return prefix + position, _aad(found) + b":" + position


def _read_full(handle, size: int) -> bytes:
    parts, left = [], size
    while left:
        part = handle.read(left)
        if not part:
            break
        parts.append(part)
        left -= len(part)
    return b"".join(parts)


def _seal(found: DisclosureRequest, key: bytes, plain, sealed) -> tuple[int, str]:
    """Encrypt the file ``plain`` into ``sealed`` chunk by chunk (memory: about two chunks); the plain size
    and SHA-256."""
    aead, prefix, digest, size = AESGCM(key), secrets.token_bytes(PREFIX), hashlib.sha256(), 0
    sealed.write(MAGIC + prefix)
    block, index = _read_full(plain, CHUNK), 0
    while True:
        following = _read_full(plain, CHUNK)  # read ahead: the last chunk is sealed as such
        nonce, aad = _chunk_params(found, prefix, index, last=not following)
        sealed.write(aead.encrypt(nonce, block, aad))
        digest.update(block)
        size += len(block)
        if not following:
            return size, digest.hexdigest()
        block, index = following, index + 1


def export_build(request_id: int) -> str:
    """The job's body: build, seal and store the export of an approved request, then mark it exported. Run
    again for the same request (a redelivered message) it does nothing. The ZIP and its sealed copy go
    through temporary files, never whole in memory (exports may exceed the 2 GiB one AES-GCM call allows)."""
    found = DisclosureRequest.objects.filter(pk=request_id, status=S.APPROVED).first()
    if found is None:
        return "skipped"
    key = AESGCM.generate_key(bit_length=256)
    wrapped = crypto.encrypt(base64.b64encode(key).decode(), purpose=_key_purpose(found))
    with tempfile.TemporaryFile() as plain, tempfile.TemporaryFile() as sealed:
        file_count = _archive(found, plain)
        plain.seek(0)
        size, sha256 = _seal(found, key, plain, sealed)
        plain.truncate(0)  # the plain ZIP leaves the disk as soon as it is sealed
        sealed.seek(0)
        name = private_storage().save(f"disclosure/exports/{secrets.token_hex(16)}.bin", File(sealed))
    try:
        with transaction.atomic():
            # Why the lock: a second job for the same request (redelivered) must not store a second export.
            locked = DisclosureRequest.objects.select_for_update().get(pk=request_id)
            if locked.status != S.APPROVED:
                private_storage().delete(name)
                return "skipped"
            locked.export_file.name = name
            locked.export_key = wrapped
            locked.export_size = size
            locked.export_sha256 = sha256
            summary = {"sha256": sha256, "size": size, "files": file_count}
            transitions.disclosure_transition(obj=locked, transition=transitions.EXPORT, data=summary)
    except BaseException:
        private_storage().delete(name)  # nothing orphaned: the row never pointed at it
        raise
    log.info("disclosure export %s built: %d bytes, %d files", request_id, size, file_count)
    return "exported"


class ExportStream:
    """The delivered export, decrypted chunk by chunk as the response is sent (memory: about two chunks).

    Why delete at the end rather than at commit: the stored file is opened only after the delivery committed
    (no storage I/O under the row lock; on S3 opening downloads the object), so it cannot be deleted before
    it is read. This is safe for a one-time download because the wrapped key left the row in that same
    commit: only this stream holds the key, so the file is unreadable ciphertext for anyone else from then on.
    The file is deleted when the stream ends, fails or is closed (Django closes the response's iterator even
    when the client goes away); if the worker dies mid-stream, only unreadable ciphertext is left behind.

    Every chunk is authenticated (position and last flag bound), and the SHA-256 recorded at build time is
    checked at the end: a tampered, truncated or reordered file aborts the stream with an error rather than
    sending altered bytes. The delivery is already recorded by then (the key is gone), as it must be for the
    download to stay one-time."""

    def __init__(self, found: DisclosureRequest, key: bytes, name: str):
        self.found, self.key, self.name = found, key, name
        self._done = False

    def __iter__(self) -> Iterator[bytes]:
        try:
            yield from self._chunks()
        finally:
            self.close()

    def _chunks(self) -> Iterator[bytes]:
        found, aead, digest = self.found, AESGCM(self.key), hashlib.sha256()
        with private_storage().open(self.name, "rb") as handle:
            magic = _read_full(handle, len(MAGIC))
            if magic == LEGACY_MAGIC:  # an export sealed whole before chunking
                body = handle.read()
                chunk = self._open(lambda: aead.decrypt(body[:12], body[12:], _aad(found)))
                digest.update(chunk)
                yield chunk
            elif magic == MAGIC:
                prefix = _read_full(handle, PREFIX)
                block, index = _read_full(handle, CHUNK + TAG), 0
                while True:
                    following = _read_full(handle, CHUNK + TAG)
                    nonce, aad = _chunk_params(found, prefix, index, last=not following)
                    chunk = self._open(lambda: aead.decrypt(nonce, block, aad))  # noqa: B023 (called now)
                    digest.update(chunk)
                    yield chunk
                    if not following:
                        break
                    block, index = following, index + 1
            else:
                raise crypto.DecryptionError("the stored export is not in the sealed format")
        if digest.hexdigest() != found.export_sha256:
            raise crypto.DecryptionError("the export does not match the digest recorded when it was built")

    @staticmethod
    def _open(decrypt) -> bytes:
        try:
            return decrypt()
        except Exception as exc:  # InvalidTag: altered, cut off, reordered, or not this request's export
            log.error("disclosure export could not be decrypted while streaming")
            raise crypto.DecryptionError("the stored export could not be decrypted") from exc

    def close(self) -> None:
        if self._done:
            return
        self._done = True
        self.key = b""
        try:
            private_storage().delete(self.name)
        except Exception:  # the delivery stands; a stray ciphertext without its key is harmless
            log.exception("could not delete the delivered disclosure export %s", self.name)


def export_download(*, found: DisclosureRequest, by: User) -> ExportStream:
    """PRV-5: the export for one of the request's two officers, once. The first download marks it delivered
    (and drops the wrapped key) under the row lock, tells the affected users (unless notice is prohibited)
    and commits; only then is the file read, decrypted as it is streamed, and deleted. Any other is refused.
    Callers must iterate or close the returned stream (a response does both)."""
    require_capability(by, DISCLOSURE_RECORD)
    with transaction.atomic():
        # Why the lock: of many downloads at once exactly one may deliver; the others then see "delivered"
        # (PostgreSQL: the row lock; SQLite: the IMMEDIATE transaction queues the writers). Nothing slow runs
        # under it: no file is read here.
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
        key = base64.b64decode(crypto.decrypt(found.export_key, purpose=_key_purpose(found)))
        stored = str(found.export_file.name)  # set while exported (a CheckConstraint)
        notified = _notify_affected(found)
        audit = {
            "sha256": found.export_sha256,
            "notice_prohibited": found.notice_prohibited,
            "notified": notified,
        }
        transitions.disclosure_transition(obj=found, transition=transitions.DELIVER, by=by, data=audit)
    return ExportStream(found, key, stored)


def _notify_affected(found: DisclosureRequest) -> list[str]:
    """The affected users' notices (inbox and e-mail), unless the authority prohibited notice: usernames told."""
    if found.notice_prohibited:
        return []
    told = []
    period = f"{found.period_from.isoformat()} – {found.period_to.isoformat()}"
    for user in found.accounts.order_by("username"):
        with translation.override(user.language):  # the kinds as a phrase in the reader's language
            kinds = pgettext("list separator", ", ").join(str(DataKind(kind).label) for kind in found.kinds)
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
