import logging

from celery import shared_task

from inspiracle.reports.services.decisions import reports_purge

log = logging.getLogger(__name__)


@shared_task(name="reports.purge")
def purge() -> int:
    """RPT-10: delete the documents of reports closed longer than the retention period; daily."""
    purged = reports_purge()
    log.info("purged %d report documents", purged)
    return purged
