import logging

from celery import shared_task
from django.db import IntegrityError, transaction

from inspiracle.accounts.models import RegistrationInfo
from inspiracle.agreements.models import VersionNotice
from inspiracle.agreements.selectors import versions_in_force
from inspiracle.audit.services import audit_record
from inspiracle.outbox.services import outbox_email_many

log = logging.getLogger(__name__)


@shared_task(name="agreements.announce_versions_in_force", acks_late=True, max_retries=3)
def announce_versions_in_force() -> int:
    """Tell every user with an email that a new version came into force (AGR-4). Runs hourly; the notice
    row claims a version, so a version is announced once however often the job runs, and the e-mails go
    to the outbox in the same transaction: all of them are sent, or the version is not marked announced."""
    announced = 0
    for version in versions_in_force():
        if version.number == 1 or VersionNotice.objects.filter(version=version).exists():
            continue
        # Only ids: the address and the language are read when each mail is delivered.
        users = list(
            RegistrationInfo.objects.exclude(email="")
            .filter(user__is_active=True)
            .values_list("user_id", flat=True)
        )
        try:
            with transaction.atomic():
                VersionNotice.objects.create(version=version, recipients=len(users))
                audit_record(action="agreement.announced", target=version)
                outbox_email_many(
                    kind="agreements.version_in_force",
                    payloads=[{"version": version.pk, "user": user_id} for user_id in users],
                )
        except IntegrityError:
            continue  # another worker claimed it
        announced += 1
        log.info("announced %s to %d users", version.label, len(users))
    return announced
