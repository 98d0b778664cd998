"""The pipeline's jobs: thin shells around ``runner`` that take ids only."""

import logging
from functools import partial

from billiard.exceptions import SoftTimeLimitExceeded, TimeLimitExceeded
from celery import Task, shared_task
from django.conf import settings
from django.db import connections

from inspiracle.pipeline import copy_search, runner
from inspiracle.pipeline.clamav import ScannerUnavailable
from inspiracle.pipeline.errors import FileRefused

log = logging.getLogger(__name__)

SCANNER_RETRIES = 5


def _too_slow() -> FileRefused:
    return FileRefused(
        "too_slow", seconds=settings.CELERY_TASK_SOFT_TIME_LIMIT or settings.CELERY_TASK_TIME_LIMIT
    )


class ProcessFileTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        # The hard time limit killed the run (a decompression bomb, a decoder stuck in a loop): the worker's
        # main process calls this. Refuse the file at once; trying it again would only block a slot again.
        if isinstance(exc, TimeLimitExceeded):
            file_id = args[0] if args else kwargs["file_id"]
            log.warning("pipeline run killed at the time limit", extra={"file": file_id})
            runner.give_up(file_id, _too_slow(), token=task_id)
            connections.close_all()  # the main process forks new pool processes; they must not share it


@shared_task(
    name="pipeline.process_file", bind=True, base=ProcessFileTask, acks_late=True, max_retries=SCANNER_RETRIES
)
def process_file(self, file_id: int) -> str:
    # The task id is the claim token: the same message redelivered after a worker died takes its file back.
    try:
        outcome = runner.process_file(
            file_id, token=self.request.id, accepted=partial(_search_after_acceptance, file_id)
        )
    except SoftTimeLimitExceeded:
        log.warning("pipeline run stopped at the soft time limit", extra={"file": file_id})
        runner.give_up(file_id, _too_slow(), token=self.request.id)
        return "refused"
    except ScannerUnavailable as exc:
        if self.request.retries >= SCANNER_RETRIES:
            runner.give_up(file_id, FileRefused("scan_failed", detail="the malware scanner is not reachable"))
            return "refused"
        log.warning("scanner unavailable, retrying file %s: %s", file_id, exc)
        countdown = min(300, 10 * 2**self.request.retries)
        runner.hold_for_retry(file_id, self.request.id, seconds=countdown)
        raise self.retry(exc=exc, countdown=countdown) from None
    return outcome


def _search_after_acceptance(file_id: int, clean) -> None:
    """The search for copies of a part (decision 0027), run by the same task once the file's acceptance is
    committed (the work is in review meanwhile), with the clean preview still in memory. Whatever stops it
    leaves the file marked, and the sweep queues ``search_copies`` for it."""
    try:
        _search(file_id, clean)
    except Exception:  # the file is accepted whatever happens here; the sweep searches again
        log.exception("copy search failed after acceptance", extra={"file": file_id})


def _search(file_id: int, clean=None) -> str:
    try:
        return copy_search.search_copies(file_id, clean=clean)
    except SoftTimeLimitExceeded:
        # Bounded work that ran out of time: record the file as searched (with the matches the upload found),
        # so that its work can still be published, rather than queue it for ever.
        log.warning("copy search stopped at the soft time limit", extra={"file": file_id})
        copy_search.finish(file_id, None)
        return "stopped"


class SearchCopiesTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        # Killed at the hard time limit: record the file as searched rather than queue it again and again.
        if isinstance(exc, TimeLimitExceeded):
            file_id = args[0] if args else kwargs["file_id"]
            log.warning("copy search killed at the time limit", extra={"file": file_id})
            copy_search.finish(file_id, None)
            connections.close_all()  # the main process forks new pool processes; they must not share it


@shared_task(name="pipeline.search_copies", base=SearchCopiesTask, acks_late=True)
def search_copies(file_id: int) -> str:
    """The search for copies of a file whose search after acceptance did not finish (the sweep queues it)."""
    return _search(file_id)


@shared_task(name="pipeline.requeue_stalled", acks_late=True)
def requeue_stalled() -> int:
    """Files whose job was lost (a broker restart, a worker that died, a message the broker never gave
    back) run again; every 20 seconds, so that interrupted work resumes within a minute. Searches for copies
    whose task was lost are queued again too."""
    stalled = runner.stalled_files()
    for file_id in stalled:
        process_file.delay(file_id)
    searches = copy_search.stale_searches()
    for file_id in searches:
        search_copies.delay(file_id)
    return len(stalled) + len(searches)
