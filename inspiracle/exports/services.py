"""Asking for, building, handing out and expiring copies of a user's data (ACC-4).

A request is one row (status ``pending``), audited, and one build job queued after the commit. The job
claims the row with its Celery task id, writes the ZIP to an anonymous temporary file (gone with the process,
whatever kills it), stores it under the random name written to the row before the upload, and marks it ready
in one transaction with the notice (inbox and e-mail through the outbox). A job that fails is restarted from
scratch by the sweep, at most ``MAX_ATTEMPTS`` times; every restart first deletes the file the row names, so
no attempt leaves a file behind.
"""

import logging
import secrets
import tempfile
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from inspiracle.accounts.models import User
from inspiracle.audit.services import audit_record
from inspiracle.core import ratelimit
from inspiracle.core.errors import NotFound
from inspiracle.core.storage import private
from inspiracle.exports.builder import STEPS, write_archive
from inspiracle.exports.models import Export
from inspiracle.exports.transitions import BUILD, EXPIRE, FAIL, READY, export_transition
from inspiracle.notifications.services import notify

log = logging.getLogger(__name__)

KEPT_FOR = timedelta(days=7)
# The build job's own limits (the global 300 s would kill any large archive). The soft limit leaves a minute
# for the failed attempt to delete its file and drop its claim.
BUILD_TIME_LIMIT: int = settings.EXPORT_BUILD_TIME_LIMIT
BUILD_SOFT_TIME_LIMIT = BUILD_TIME_LIMIT - min(60, BUILD_TIME_LIMIT // 10)
# A claim is taken over only once its job can no longer be running: progress renews it, but some steps are
# silent for long (a section's rows, the upload of a multi-GB ZIP), and the hard limit kills any job that
# ran this long without renewing. A shorter delay would restart live builds of large archives forever.
STALE = timedelta(seconds=BUILD_TIME_LIMIT + 60)
LOST = timedelta(minutes=2)  # a pending export nobody claimed this long ago: its job message was lost
MAX_ATTEMPTS = 3
LINK_SALT = "inspiracle.exports.download"

REQUEST_LIMIT = ratelimit.Limit(
    scope="exports.request",
    hits=2,
    window=24 * 3600,
    refusal=lambda wait: (
        _("You can ask for two archives a day. Try again in %(wait)s.") % {"wait": ratelimit.wait_text(wait)}
    ),
)


class ClaimLost(Exception):
    """Another worker took the build over (this one was thought dead): stop without touching the row."""


def export_request(*, user: User) -> tuple[Export, bool]:
    """ACC-4: a new archive for ``user``, or the one already in progress (``created`` False). Two a day."""
    try:
        with transaction.atomic():
            # Why the lock: parallel requests of one user queue here, so the second sees the first's row
            # (SQLite's IMMEDIATE transactions queue them anyway; the unique constraint is the backstop).
            User.objects.select_for_update().filter(pk=user.pk).first()
            current = Export.objects.filter(user=user, status__in=Export.IN_PROGRESS).first()
            if current is not None:
                return current, False
            ratelimit.hit((REQUEST_LIMIT, ratelimit.key(f"user:{user.pk}")))
            export = Export(user=user, steps_total=STEPS)
            export.full_clean()
            export.save()
            audit_record(action="exports.requested", actor=user, target=export)
            transaction.on_commit(lambda: _queue(export.pk))
            return export, True
    except IntegrityError:
        return Export.objects.get(user=user, status__in=Export.IN_PROGRESS), False


def _queue(export_id: int) -> None:
    from inspiracle.exports.tasks import build_export

    build_export.delay(export_id)


def _delete_file(name: str | None) -> None:
    if name:
        private.delete(name)  # no error for a name that was never stored


def _closed_accounts(now: datetime) -> Q:
    """ACC-3: exports of accounts that are closed (no sign-in), anonymized, or whose cancellation's
    cooling-off is over (the privacy job is about to anonymize them). Their archives must not outlive them."""
    return (
        Q(user__is_active=False)
        | Q(user__anonymized_at__isnull=False)
        | Q(user__cancel_requested_at__isnull=False, user__cancel_effective_at__lte=now)
    )


def _claim(export_id: int, claim: str, now: datetime) -> Export | None:
    with transaction.atomic():
        export = Export.objects.select_for_update().select_related("user").filter(pk=export_id).first()
        if export is None or not export.in_progress:
            return None  # built, failed or expired meanwhile: a duplicate message
        if Export.objects.filter(_closed_accounts(now), pk=export_id).exists():
            _delete_file(export.file.name)
            export_transition(
                export=export, transition=FAIL, now=now, file="", claimed_by="", claimed_at=None
            )
            return None
        alive = export.claimed_at is not None and export.claimed_at > now - STALE
        if export.claimed_by and export.claimed_by != claim and alive:
            return None  # another worker is building it
        _delete_file(export.file.name)  # what an earlier attempt may have stored
        if export.attempts >= MAX_ATTEMPTS:
            export_transition(
                export=export, transition=FAIL, now=now, file="", claimed_by="", claimed_at=None
            )
            return None
        return export_transition(
            export=export,
            transition=BUILD,
            now=now,
            claimed_by=claim,
            claimed_at=now,
            attempts=export.attempts + 1,
            steps_done=0,
            steps_total=STEPS,
            # Random, written before the upload: the row always names the one file that may exist.
            file=f"exports/{secrets.token_hex(16)}.zip",
        )


def _progress(export_id: int, claim: str, done: int) -> None:
    updated = Export.objects.filter(pk=export_id, claimed_by=claim, status=Export.Status.BUILDING).update(
        steps_done=done, claimed_at=timezone.now()
    )
    if not updated:
        raise ClaimLost


def export_build(*, export_id: int, claim: str) -> Export | None:
    """Build the archive of ``export_id`` under the claim ``claim`` (the job's id). None when there was
    nothing to do (a duplicate message, another worker on it, too many attempts)."""
    export = _claim(export_id, claim, timezone.now())
    if export is None:
        return None
    name = export.file.name or ""  # random, this attempt's alone: whatever happens, it may always delete it
    try:
        with tempfile.TemporaryFile() as scratch:
            write_archive(scratch, user=export.user, progress=lambda done: _progress(export_id, claim, done))
            size = scratch.tell()
            scratch.seek(0)
            stored = private.save(export.file.name, File(scratch))
        if stored != export.file.name:  # the storage picked another name: never expected for a random one
            _delete_file(stored)
            raise RuntimeError("the storage renamed an export")
        return _finish(export_id, claim, size)
    except ClaimLost:
        # The row names another attempt's file now (or none): the one this attempt may have stored would
        # be an orphan nobody knows of, the account's personal data kept without end.
        log.warning("export %s: the build was taken over by another worker", export_id)
        _delete_file(name)
        return None
    except Exception:
        # Logged with the export's id only; the sweep restarts the build (MAX_ATTEMPTS in all).
        log.exception("export %s: attempt %s failed", export_id, export.attempts)
        _release(export_id, claim, name)
        return None


def _release(export_id: int, claim: str, name: str) -> None:
    """A failed attempt: its file ``name`` goes, even when the claim was lost meanwhile (nobody else knows
    that name); the row, if still this attempt's, drops the claim so the sweep restarts the build."""
    _delete_file(name)
    Export.objects.filter(pk=export_id, claimed_by=claim, file=name).update(
        claimed_by="", claimed_at=None, file=""
    )


def _finish(export_id: int, claim: str, size: int) -> Export | None:
    now = timezone.now()
    with transaction.atomic():
        export = Export.objects.select_for_update().select_related("user").get(pk=export_id)
        if export.claimed_by != claim or export.status != Export.Status.BUILDING:
            raise ClaimLost
        expires_at = now + KEPT_FOR
        export_transition(
            export=export,
            transition=READY,
            now=now,
            size=size,
            steps_done=STEPS,
            expires_at=expires_at,
            claimed_by="",
            claimed_at=None,
        )
        notify(
            user=export.user,
            template="export_ready",
            params={"until": expires_at},
            link=reverse("exports:list"),
        )
    return export


def export_link_token(export: Export) -> str:
    """The signed part of a download link: this export only, valid as long as the archive is kept."""
    return signing.dumps({"export": export.pk}, salt=LINK_SALT)


def export_download(*, export: Export, token: str) -> Export:
    """Record one download of ``export`` (already checked to be the signed-in owner's and ready) if ``token``
    is a link made for it and not older than the archive's life; the caller then streams the file."""
    try:
        signed = signing.loads(token, salt=LINK_SALT, max_age=KEPT_FOR)
    except signing.BadSignature:  # includes SignatureExpired
        signed = None
    if not isinstance(signed, dict) or signed.get("export") != export.pk:
        raise NotFound(_("This download link is not valid. Open “Download my data” and use the link there."))
    now = timezone.now()
    with transaction.atomic():
        locked = Export.objects.select_for_update().get(pk=export.pk)
        locked.downloads += 1
        locked.downloaded_at = locked.downloaded_at or now
        locked.save(update_fields=["downloads", "downloaded_at"])
        audit_record(
            action="exports.downloaded", actor=locked.user, target=locked, data={"count": locked.downloads}
        )
    return locked


def exports_expire(*, now: datetime | None = None) -> int:
    """Delete the archives whose seven days are over. The file is deleted inside the transaction that marks
    the row expired: if the commit fails, the row stays ready and the next run deletes (nothing) again."""
    now = now or timezone.now()
    ids = list(
        Export.objects.filter(status=Export.Status.READY, expires_at__lte=now).values_list("pk", flat=True)
    )
    for export_id in ids:
        with transaction.atomic():
            export = Export.objects.select_for_update().select_related("user").get(pk=export_id)
            if export.status != Export.Status.READY:
                continue
            name = export.file.name
            export_transition(export=export, transition=EXPIRE, now=now, file="")
            _delete_file(name)
    return len(ids)


def exports_close(*, now: datetime | None = None) -> int:
    """ACC-3/ACC-4: the archives of closed or anonymized accounts (see ``_closed_accounts``) go at once:
    ready ones expire with their file, pending and building ones fail (a build still running loses its
    claim and deletes what it stored). As in the expiry, the file is deleted inside the row's transaction."""
    now = now or timezone.now()
    ids = list(
        Export.objects.filter(_closed_accounts(now), status__in=[*Export.IN_PROGRESS, Export.Status.READY])
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for export_id in ids:
        with transaction.atomic():
            export = Export.objects.select_for_update().select_related("user").get(pk=export_id)
            name = export.file.name
            if export.status == Export.Status.READY:
                export_transition(export=export, transition=EXPIRE, now=now, file="")
            elif export.in_progress:
                export_transition(
                    export=export, transition=FAIL, now=now, file="", claimed_by="", claimed_at=None
                )
            else:
                continue
            _delete_file(name)
    return len(ids)


def exports_stalled(*, now: datetime | None = None) -> list[int]:
    """The exports whose job was lost: pending and never claimed for a while, or building without progress."""
    now = now or timezone.now()
    pending = Export.objects.filter(status=Export.Status.PENDING, claimed_by="", requested_at__lt=now - LOST)
    building = Export.objects.filter(status=Export.Status.BUILDING).exclude(claimed_at__gt=now - STALE)
    return sorted(set(pending.values_list("pk", flat=True)) | set(building.values_list("pk", flat=True)))
