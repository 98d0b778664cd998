"""The search for copies of a part (WRK-9, decisions 0024 and 0027), run right after an upload is accepted.

The upload finds exact copies and near-duplicates of the whole picture (``matching.find_matches``) and stores
the new file's local features, so that later uploads are compared with it. Finding the earlier works of which
the new file shows only a part (a crop, a border, a turn, a screenshot) costs more than the rest of the upload
together: the query at four sizes with up to 1,024 probes, the candidates among every stored key, up to 30
verifications. So the upload's task runs it only once the acceptance is committed, with the clean preview it
still holds: the creator's work reaches review without waiting for it, and nobody can publish the work until
it has run (``works.services.work_publish``), so a reviewer never approves a copy before its matches are in.

A search records in one transaction, under the file's row lock and only while the file is still marked: new
matches added, known ones given their shared region, the mark cleared. A search that dies changes nothing; the
sweep (``stale_searches``) queues the task ``pipeline.search_copies`` for it, which decodes the original again
with the pipeline's limits (it passed them once). So every accepted file is searched once in effect, however
often a search runs.
"""

import logging
import time
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from PIL import Image

from inspiracle.pipeline import imaging, matching
from inspiracle.pipeline.errors import FileRefused
from inspiracle.pipeline.originals import original_path
from inspiracle.similarity import local
from inspiracle.works.models import Match, WorkFile

log = logging.getLogger(__name__)

# A search queued this long ago and not finished lost its task (a broker restart, a worker that died): it is
# queued again. Well above the time a search takes (under a second; the task's time limit is minutes).
REQUEUE_AFTER = timedelta(minutes=5)


def search_copies(file_id: int, *, clean: Image.Image | None = None) -> str:
    """Search earlier works for what the file shows a part of, and record it. ``clean``: the clean preview the
    upload made, when the caller still has it; otherwise the original is decoded again. Returns what happened,
    for logs and tests: "done", "skipped" (nothing due), or "unreadable" (the original no longer decodes:
    recorded as searched, with the matches the upload found). A storage error is raised: the sweep tries
    again."""
    row = (
        WorkFile.objects.filter(pk=file_id, search_queued_at__isnull=False)
        .select_related("work")
        .only("pk", "status", "phash", "original", "work__status")
        .first()
    )
    if row is None:
        return "skipped"
    if row.status != WorkFile.Status.READY or not row.original or row.work.status in matching.GONE:
        finish(file_id, None)  # deleted or rejected meanwhile: nothing left to search for
        return "skipped"
    started = time.perf_counter()
    if clean is None:
        try:
            with original_path(row.original.name or "") as path:
                clean = imaging.clean_preview(imaging.decode(path, max_pixels=settings.IMAGE_MAX_PIXELS))
        except (FileRefused, FileNotFoundError) as exc:  # decoded once, so this is for good: do not retry
            log.warning(
                "copy search: original unreadable", extra={"file": file_id, "error": type(exc).__name__}
            )
            finish(file_id, None)
            return "unreadable"
    query = local.extract_query(clean)
    known = [matching.Found(m.other_id, m.kind, m.distance) for m in Match.objects.filter(file_id=file_id)]
    found = matching.find_local(work_id=row.work_id, phash=row.phash, query=query, known=known)
    recorded = finish(file_id, found, ms=(time.perf_counter() - started) * 1000)
    log.info("copy search done", extra={"file": file_id, "matches": len(found)})
    return "done" if recorded else "skipped"


def finish(file_id: int, found: list[matching.Found] | None, *, ms: float | None = None) -> bool:
    """Record a search's outcome (``None``: none could be made) and clear the file's flag, if the search is
    still due. False when it was not (recorded by another run, or the file is gone)."""
    with transaction.atomic():
        row = WorkFile.objects.select_for_update().filter(pk=file_id, search_queued_at__isnull=False).first()
        if row is None:
            return False
        known = {m.other_id: m for m in Match.objects.filter(file=row)}
        for result in found or ():
            match = known.get(result.other)
            if match is None:
                matching.as_match(row.pk, result).save()
            elif result.region is not None and match.file_box is None:
                fresh = matching.as_match(row.pk, result)
                match.inliers, match.mirrored = fresh.inliers, fresh.mirrored
                match.file_box, match.other_box = fresh.file_box, fresh.other_box
                match.save(update_fields=["inliers", "mirrored", "file_box", "other_box"])
        row.search_queued_at = None
        if ms is not None:
            row.timings = {**row.timings, "copy search": round(ms, 2)}
        row.save(update_fields=["search_queued_at", "timings"])
    return True


def stale_searches() -> list[int]:
    """Files whose search was queued more than ``REQUEUE_AFTER`` ago and has not finished; marked as queued
    now, for the sweep to queue them again."""
    now = timezone.now()
    stale = WorkFile.objects.filter(search_queued_at__lt=now - REQUEUE_AFTER)
    ids = list(stale.order_by("pk").values_list("pk", flat=True))
    WorkFile.objects.filter(pk__in=ids).update(search_queued_at=now)
    return ids
