"""The pipeline's jobs: thin shells around ``runner`` that take ids only."""

import logging

from celery import shared_task

from inspiracle.pipeline import runner
from inspiracle.pipeline.clamav import ScannerUnavailable
from inspiracle.pipeline.errors import FileRefused

log = logging.getLogger(__name__)

SCANNER_RETRIES = 5


@shared_task(name="pipeline.process_file", bind=True, acks_late=True, max_retries=SCANNER_RETRIES)
def process_file(self, file_id: int) -> str:
    # The task id is the claim token: the same message redelivered after a worker died takes its file back.
    try:
        return runner.process_file(file_id, token=self.request.id)
    except ScannerUnavailable as exc:
        if self.request.retries >= SCANNER_RETRIES:
            runner.give_up(file_id, FileRefused("scan_failed", detail="the malware scanner is not reachable"))
            return "refused"
        log.warning("scanner unavailable, retrying file %s: %s", file_id, exc)
        raise self.retry(exc=exc, countdown=min(300, 10 * 2**self.request.retries)) from None


@shared_task(name="pipeline.requeue_stalled", acks_late=True)
def requeue_stalled() -> int:
    """Files whose job was lost (a broker restart, a worker that died past its redelivery) run again."""
    stalled = runner.stalled_files()
    for file_id in stalled:
        process_file.delay(file_id)
    return len(stalled)
