import logging

from celery import shared_task

from inspiracle.reports.services.decisions import reports_purge
from inspiracle.reports.services.settling import report_items_settle_licences

log = logging.getLogger(__name__)


@shared_task(name="reports.purge")
def purge() -> int:
    """RPT-10: delete the documents of reports closed longer than the retention period; daily."""
    purged = reports_purge()
    log.info("purged %d report documents", purged)
    return purged


@shared_task(name="reports.settle_licences")
def settle_licences() -> int:
    """RPT-15: addresses whose licence (offered instead of a takedown) was agreed or not; every minute."""
    settled = report_items_settle_licences()
    if settled:
        log.info("settled %d licences offered instead of a takedown", settled)
    return settled
