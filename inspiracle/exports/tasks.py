import logging

from celery import shared_task

from inspiracle.exports.services import (
    BUILD_SOFT_TIME_LIMIT,
    BUILD_TIME_LIMIT,
    export_build,
    exports_close,
    exports_expire,
    exports_stalled,
)

log = logging.getLogger(__name__)


@shared_task(
    name="exports.build",
    bind=True,
    acks_late=True,
    # Its own limits: a large archive takes far longer than the global 300 s (EXPORT_BUILD_TIME_LIMIT).
    time_limit=BUILD_TIME_LIMIT,
    soft_time_limit=BUILD_SOFT_TIME_LIMIT,
)
def build_export(self, export_id: int) -> bool:
    """ACC-4: one archive, off the request. Its task id is the claim: the same message redelivered after a
    worker died takes the build back; another message waits for the claim to go stale."""
    return export_build(export_id=export_id, claim=self.request.id or f"local-{export_id}") is not None


@shared_task(name="exports.sweep")
def sweep() -> int:
    """Delete the archives of closed accounts and those older than seven days; queue again the builds whose
    job was lost. Closed accounts first, so none of their builds is queued again."""
    closed = exports_close()
    expired = exports_expire()
    stalled = exports_stalled()
    for export_id in stalled:
        build_export.delay(export_id)
    if closed or expired or stalled:
        log.info(
            "exports: %d of closed accounts deleted, %d expired, %d builds queued again",
            closed,
            expired,
            len(stalled),
        )
    return expired
