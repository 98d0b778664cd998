"""Telling a user about a decision (UX-4): a row in their inbox and an e-mail in the outbox, both now.

``notify`` is called by the service that takes the decision, inside its transaction: the notice exists if
and only if the decision does. It writes no audit event of its own: the decision it reports is audited by
its service, and a notice is neither a staff action nor an access to personal information (AUD-1).
"""

from collections.abc import Collection, Mapping

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inspiracle.accounts.models import User
from inspiracle.audit.services import audit_record
from inspiracle.core.errors import ApplicationError
from inspiracle.notifications.messages import CATALOGUE, stored_params
from inspiracle.notifications.models import EmailPreference, Notification
from inspiracle.notifications.preferences import optional_topic_key, unknown_or_mandatory
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
    unless ``email`` is False (a caller that spaces out its e-mails, such as messaging, says so) or the notice
    is of an optional topic the user turned off (preferences.py); mandatory notices are always e-mailed."""
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
        if email and email_wanted(user=user, kind=notification.kind):
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


def email_muted(*, user: User) -> list[str]:
    """The optional topics ``user`` turned off, sorted."""
    preference = EmailPreference.objects.filter(user=user).first()
    return list(preference.muted) if preference is not None else []


def email_wanted(*, user: User, kind: str) -> bool:
    """Whether a notice of ``kind`` is e-mailed to ``user``: always for a mandatory one."""
    topic = optional_topic_key(kind)
    return topic is None or topic not in email_muted(user=user)


def email_preferences_set(*, user: User, muted: Collection[str]) -> list[str]:
    """Turn off e-mail for the optional topics in ``muted`` and on for the others. A mandatory or unknown
    topic is refused: those notices are always sent. Audited when it changes, like other account settings."""
    refused = unknown_or_mandatory(muted)
    if refused:
        raise ApplicationError(
            _("Only optional notices can be turned off; the others are always sent."),
            fields={"email_off": [_("Choose only notices that can be turned off.")]},
            code="mandatory_notice",
            extra={"refused": refused},
        )
    wanted = sorted(set(muted))
    with transaction.atomic():
        preference, _created = EmailPreference.objects.select_for_update().get_or_create(user=user)
        if preference.muted == wanted:
            return wanted
        before = preference.muted
        preference.muted = wanted
        preference.updated_at = timezone.now()
        preference.save(update_fields=["muted", "updated_at"])
        audit_record(
            action="notifications.email_preferences_changed",
            actor=user,
            target=user,
            data={"from": before, "to": wanted},
        )
    return wanted
