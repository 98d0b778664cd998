"""The backfill of files accepted before the proof log existed (WRK-10): each gets its leaf, in the order
the files were accepted, with the time they were accepted.

Idempotent and resumable: a file that has a leaf is never appended again (the unique ``file_id`` and a
re-check under the file's row lock), and each batch commits on its own, so a run that stops keeps what it
did and the next one carries on from there. The pipeline may append at the same time: the log head's lock
orders both.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models.functions import Coalesce

from inspiracle.audit.services import audit_record
from inspiracle.proofs.models import ProofLeaf
from inspiracle.proofs.services import proof_append
from inspiracle.works.models import FileHashKey, WorkFile

BATCH = 100


@dataclass(frozen=True)
class BackfillReport:
    appended: int
    # Accepted files without a stored perceptual hash cannot be fingerprinted without decoding them again.
    skipped: list[int]


def _waiting():
    leaves = ProofLeaf.objects.values("file_id")
    return (
        WorkFile.objects.filter(status=WorkFile.Status.READY)
        .exclude(pk__in=leaves)
        # The time the leaf states (processed_at, else uploaded_at): a bare "processed_at" put files without
        # one first on SQLite and last on PostgreSQL, so the two databases built different logs.
        .order_by(Coalesce("processed_at", "uploaded_at"), "pk")
    )


def proofs_backfill(*, batch: int = BATCH, limit: int | None = None) -> BackfillReport:
    """Append every accepted file without a leaf (at most ``limit``), oldest acceptance first."""
    appended, skipped = 0, list[int]()
    while limit is None or appended < limit:
        size = batch if limit is None else min(batch, limit - appended)
        ids = list(_waiting().exclude(pk__in=skipped).values_list("pk", flat=True)[:size])
        if not ids:
            break
        done, missing = _append_batch(ids)
        appended += done
        skipped += missing
    return BackfillReport(appended=appended, skipped=skipped)


def _append_batch(ids: list[int]) -> tuple[int, list[int]]:
    done, missing, files = 0, list[int](), list[int]()
    with transaction.atomic():
        # The rows locked, then checked again: a second backfill (or the pipeline) may have got there first.
        rows = _waiting().filter(pk__in=ids).select_related("work").select_for_update(of=("self",))
        for row in rows:
            if row.phash is None or row.dhash is None:
                missing.append(row.pk)
                continue
            proof_append(
                work_id=row.work_id,
                file_id=row.pk,
                owner_id=row.work.owner_id,
                sha256=row.sha256,
                phash=row.phash,
                dhash=row.dhash,
                keys=FileHashKey.objects.filter(file=row).values_list("key", flat=True),
                accepted_at=row.processed_at or row.uploaded_at,
            )
            files.append(row.pk)
            done += 1
        if files:
            audit_record(action="proofs.backfilled", data={"files": files})
    return done, missing
