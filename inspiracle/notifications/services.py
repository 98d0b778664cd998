"""Telling a user about a decision (UX-4): a row in their inbox and an e-mail in the outbox, both now.

``notify`` is called by the service that takes the decision, inside its transaction: the notice exists if
and only if the decision does. It writes no audit event of its own: the decision it reports is audited by
its service, and a notice is neither a staff action nor an access to personal information (AUD-1).
"""

from collections.abc import Collection, Mapping

from django.db import transaction
from django.utils import timezone

from inspiracle.accounts.models import User
from inspiracle.notifications.messages import CATALOGUE, stored_params
from inspiracle.notifications.models import Notification
from inspiracle.outbox.services import outbox_email


def notify(
    *,
    user: User,
    template: str,
    params: Mapping[str, object] | None = None,
    reason_code: str = "",
    link: str = "",
    email: bool = True,
) -> Notification:
    """A notice for ``user`` from the catalogue entry ``template`` (messages.py), emailed once committed
    unless ``email`` is False (a caller that spaces out its e-mails, such as messaging, says so)."""
    if template not in CATALOGUE:
        raise ValueError(f"unknown notification template {template!r}")
    with transaction.atomic():
        notification = Notification(
            user=user,
            kind=CATALOGUE[template].kind,
            template=template,
            params=stored_params(params),
            reason_code=reason_code,
            link=link,
        )
        notification.full_clean()
        notification.save()
        if email:
            # The outbox row commits with the decision: a broker that is down delays the e-mail, never loses it.
            outbox_email(kind="notifications.notice", payload={"notification": notification.pk})
    return notification


def notification_mark_read(*, user: User, ids: Collection[int] | None = None) -> int:
    """Mark the user's unread notices read: those of ``ids`` (others' ids are ignored), or all with None.
    Returns how many changed."""
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())
