"""Reads of a user's own notices; nobody reads another's."""

from django.db.models import QuerySet

from inspiracle.accounts.models import User
from inspiracle.notifications.models import Notification

PAGE_SIZE = 30


def notification_list_for_user(*, user: User, unread_only: bool = False) -> QuerySet[Notification]:
    """Newest first. Rendering needs nothing beyond the row, so no query per notice."""
    qs = Notification.objects.filter(user=user)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-pk")


def unread_count(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
