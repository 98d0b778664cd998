"""Who may open a notice: its recipient only. Anyone else gets "not found", as for an id that does not
exist (PRV-3)."""

from django.utils.translation import gettext as _

from inspiracle.core.errors import NotFound
from inspiracle.notifications.models import Notification


def access_notification_for_recipient(user, notification_id: int) -> Notification:
    notification = None
    if user.is_authenticated:
        notification = Notification.objects.filter(pk=notification_id, user=user).first()
    if notification is None:
        raise NotFound(_("There is no such notification."))
    return notification
