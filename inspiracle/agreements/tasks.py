import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation

from inspiracle.accounts.models import RegistrationInfo
from inspiracle.agreements.models import VersionNotice
from inspiracle.agreements.selectors import versions_in_force
from inspiracle.audit.services import audit_record

log = logging.getLogger(__name__)


@shared_task(name="agreements.announce_versions_in_force", acks_late=True, max_retries=3)
def announce_versions_in_force() -> int:
    """Tell every user with an email that a new version came into force (AGR-4). Runs hourly; the notice
    row claims a version, so a version is announced once however often the job runs."""
    announced = 0
    for version in versions_in_force():
        if version.number == 1 or VersionNotice.objects.filter(version=version).exists():
            continue
        try:
            with transaction.atomic():
                notice = VersionNotice.objects.create(version=version)
                audit_record(action="agreement.announced", target=version)
        except IntegrityError:
            continue  # another worker claimed it
        messages = []
        for info in (
            RegistrationInfo.objects.exclude(email="").select_related("user").filter(user__is_active=True)
        ):
            with translation.override(info.user.language):
                subject = render_to_string("agreements/email/subject.txt", {"version": version}).strip()
                body = render_to_string(
                    "agreements/email/version_in_force.txt",
                    {"version": version, "site_url": settings.SITE_URL},
                )
            messages.append((subject, body, None, [info.email]))
        send_mass_mail(messages, fail_silently=False)
        VersionNotice.objects.filter(pk=notice.pk).update(recipients=len(messages))
        announced += 1
        log.info("announced %s to %d users", version.label, len(messages))
    return announced
