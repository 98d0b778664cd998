import logging
from smtplib import SMTPException

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from inspiracle.accounts.models import RegistrationInfo
from inspiracle.notifications.models import Notification

log = logging.getLogger(__name__)


@shared_task(
    name="notifications.email",
    acks_late=True,
    autoretry_for=(SMTPException, OSError),
    retry_backoff=60,
    max_retries=5,
)
def email(notification_id: int) -> bool:
    """Email one notice to its recipient, in their language (UX-4). Sends at most once per notice
    (``emailed_at``); a user without an email address has the notice in the inbox only."""
    notification = Notification.objects.select_related("user").filter(pk=notification_id).first()
    if notification is None or notification.emailed_at is not None:
        return False
    info = RegistrationInfo.objects.filter(user_id=notification.user_id).first()
    if info is None or not info.email:
        return False
    # Claim before sending, by a conditional UPDATE: the same message redelivered (acks_late) or queued
    # twice sends once. No transaction is held open while talking to the mail server (on SQLite that would
    # hold the write lock). The price: a worker killed mid-send leaves the notice in the inbox only.
    now = timezone.now()
    if not Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(emailed_at=now):
        return False
    with translation.override(notification.user.language):
        subject, body = notification.rendered()
        url = settings.SITE_URL + reverse("notifications:open", args=[notification.pk])
        message = EmailMessage(
            subject=_("Inspiracle: %(subject)s") % {"subject": subject},
            body=render_to_string("notifications/email/notification.txt", {"body": body, "url": url}),
            to=[info.email],
        )
    try:
        message.send()
    except Exception:
        # Not sent: give the claim back so that the retry (autoretry_for) sends it.
        Notification.objects.filter(pk=notification.pk, emailed_at=now).update(emailed_at=None)
        raise
    log.info("emailed notification %s (%s)", notification.pk, notification.kind)
    return True
