import logging

from celery import shared_task

from inspiracle.licensing.services.deals import exclusive_marks_sync
from inspiracle.licensing.services.requests import requests_expire

log = logging.getLogger(__name__)


@shared_task(name="licensing.expire_requests")
def expire_requests() -> int:
    """COM-2: requests nobody answered in time expire; both parties are told."""
    expired = requests_expire()
    log.info("expired %d licensing requests", expired)
    return expired


@shared_task(name="licensing.sync_exclusive_marks")
def sync_exclusive_marks() -> int:
    """COM-3: exclusive marks start and end with the terms of their grants."""
    return exclusive_marks_sync()
