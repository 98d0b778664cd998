"""Housekeeping (OPS-3): rows and folders nothing will read again, removed by a nightly job.

- Rows: each entry of ``PRUNES`` names a table and the rows of it that have expired; adding a table is one
  line. Rows go in small batches, so no delete holds a table's locks for long.
- Folders: deleting a file leaves its folder behind (``works/<work>/<token>/`` of a refused or deleted work).
  Empty folders of the local storages are removed, deepest first; the top folders (``works``, ``avatars``)
  stay, and a folder changed within ``GRACE`` is left alone because an upload may be about to write into it.
  Object storage (S3) has no folders.

Each run is idempotent and writes its counts to the audit log and to the log.
"""

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.core.files.storage import FileSystemStorage, storages
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from inspiracle.accounts.models import UserSession
from inspiracle.audit.services import audit_record
from inspiracle.core.models import RateCounter
from inspiracle.outbox.models import OutboxMessage
from inspiracle.pipeline.orphans import GRACE
from inspiracle.reports.models import EmailProof
from inspiracle.works.models import WorkView

log = logging.getLogger(__name__)
BATCH = 1000
# An e-mail code is good for 30 minutes and the limits on asking for codes count the last hour; a day is
# well past both (reports.services.intake).
EMAIL_PROOF_KEEP = timedelta(days=1)
# A delivered (or abandoned) e-mail's payload may hold an address or a code, encrypted; a month is long enough to
# answer "did you send it?", and an erased account's last e-mail must not keep its address for ever (ACC-3).
OUTBOX_KEEP = timedelta(days=30)
# A work's views are counted once a day (works/popularity.py): only today's rows are read. Yesterday's stay too,
# so that a request begun before midnight still finds its day's row when the job runs just after it.
WORK_VIEWS_KEEP = timedelta(days=1)


@dataclass(frozen=True)
class Prune:
    name: str
    expired: Callable[[datetime], QuerySet]


PRUNES = [
    Prune("sessions", lambda now: UserSession.objects.filter(expire_date__lt=now)),
    Prune("rate_counters", lambda now: RateCounter.objects.filter(expires_at__lt=now)),
    Prune("email_codes", lambda now: EmailProof.objects.filter(created_at__lt=now - EMAIL_PROOF_KEEP)),
    Prune(
        "sent_emails",
        lambda now: OutboxMessage.objects.exclude(status=OutboxMessage.Status.PENDING).filter(
            created_at__lt=now - OUTBOX_KEEP
        ),
    ),
    Prune(
        "work_views", lambda now: WorkView.objects.filter(day__lt=timezone.localdate(now) - WORK_VIEWS_KEEP)
    ),
]


def _prune(prune: Prune, now: datetime) -> int:
    removed = 0
    while True:
        with transaction.atomic():
            batch = list(prune.expired(now).values_list("pk", flat=True)[:BATCH])
            if not batch:
                return removed
            # The condition again, with the keys: a row that came back to life since the read stays.
            removed += prune.expired(now).filter(pk__in=batch).delete()[0]


def _local_roots() -> list[Path]:
    roots = []
    for alias in ("default", "private"):
        storage = storages[alias]
        if isinstance(storage, FileSystemStorage) and Path(storage.location) not in roots:
            roots.append(Path(storage.location))
    return roots


def empty_folders_remove(root: Path, *, now: datetime) -> int:
    """Empty folders at least two levels under ``root`` untouched for ``GRACE``. Times are read before any
    removal, so a folder emptied by this run is judged by when its content last changed."""
    cutoff = (now - GRACE).timestamp()
    if not root.is_dir():
        return 0
    candidates = []
    for folder, subfolders, _files in os.walk(root):
        for name in subfolders:
            path = Path(folder, name)
            depth = len(path.relative_to(root).parts)
            if depth >= 2:
                candidates.append((depth, path, path.stat().st_mtime))
    removed = 0
    for _depth, path, mtime in sorted(candidates, key=lambda c: -c[0]):
        if mtime >= cutoff:
            continue
        try:
            path.rmdir()  # refuses a folder that is not empty: a file written since the walk stays
        except OSError:
            continue
        removed += 1
    return removed


def housekeeping_run(*, now: datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    counts = {prune.name: _prune(prune, now) for prune in PRUNES}
    counts["empty_folders"] = sum(empty_folders_remove(root, now=now) for root in _local_roots())
    audit_record(action="housekeeping.pruned", data=counts)
    log.info("housekeeping pruned", extra={"pruned": counts})
    return counts
