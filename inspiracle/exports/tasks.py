import logging

from celery import shared_task

from inspiracle.exports.services import export_build, exports_expire, exports_stalled

log = logging.getLogger(__name__)


@shared_task(name="exports.build", bind=True, acks_late=True)
def build_export(self, export_id: int) -> bool:
    """ACC-4: one archive, off the request. Its task id is the claim: the same message redelivered after a
    worker died takes the build back; another message waits for the claim to go stale."""
    return export_build(export_id=export_id, claim=self.request.id or f"local-{export_id}") is not None


@shared_task(name="exports.sweep")
def sweep() -> int:
    """Delete archives older than seven days; queue again the builds whose job was lost."""
    expired = exports_expire()
    stalled = exports_stalled()
    for export_id in stalled:
        build_export.delay(export_id)
    if expired or stalled:
        log.info("exports: %d expired, %d builds queued again", expired, len(stalled))
    return expired
