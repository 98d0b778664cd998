"""The e-mail of a notice (UX-4), rendered when the outbox delivers it, in the reader's language."""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from inspiracle.accounts.models import RegistrationInfo
from inspiracle.notifications.models import Notification
from inspiracle.outbox.registry import Email, renderer


@renderer("notifications.notice")
def notice(payload: dict) -> Email | None:
    """A user without an e-mail address has the notice in the inbox only."""
    notification = Notification.objects.select_related("user").filter(pk=payload["notification"]).first()
    if notification is None or notification.emailed_at is not None:
        return None
    info = RegistrationInfo.objects.filter(user_id=notification.user_id).first()
    if info is None or not info.email:
        return None
    with translation.override(notification.user.language):
        subject, body = notification.rendered()
        url = settings.SITE_URL + reverse("notifications:open", args=[notification.pk])
        return Email(
            to=info.email,
            subject=_("Inspiracle: %(subject)s") % {"subject": subject},
            body=render_to_string("notifications/email/notification.txt", {"body": body, "url": url}),
            on_sent=lambda: Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now()),
        )
