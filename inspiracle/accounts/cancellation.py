"""ACC-3: the one owner of an account's cancellation state (``User.cancel_*`` and ``anonymized_at``).

Three steps: ``request`` (the cooling-off starts), ``restore`` (the request is withdrawn during the cooling-off)
and ``anonymize`` (the privacy job finished). ``cancellation_transition`` checks the step against the state the
row is in now (locked), writes the dates and the audit event in the caller's transaction. What the steps mean
for the rest of the platform (works, files, e-mails) is decided above, in ``inspiracle.privacy``.
"""

from datetime import datetime
from enum import StrEnum

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from inspiracle.accounts.models import User
from inspiracle.audit.services import audit_record
from inspiracle.core.errors import ApplicationError

FIELDS = ["cancel_requested_at", "cancel_effective_at", "cancel_due_at", "anonymized_at"]


class Step(StrEnum):
    REQUEST = "account.cancel_requested"
    RESTORE = "account.cancel_restored"
    ANONYMIZE = "account.anonymized"


def cancellation_state(user: User) -> str:
    if user.anonymized_at is not None:
        return "anonymized"
    if user.cancel_requested_at is not None:
        return "requested"
    return "active"


SOURCES = {Step.REQUEST: "active", Step.RESTORE: "requested", Step.ANONYMIZE: "requested"}
_REFUSALS = {
    Step.REQUEST: _("Your account's cancellation was asked for already; this page shows its date."),
    Step.RESTORE: _("There is no cancellation to withdraw: your account is not being cancelled."),
    Step.ANONYMIZE: _("This account is not waiting for cancellation."),
}


def cancellation_transition(
    *,
    user: User,
    step: Step,
    now: datetime,
    actor: User | None = None,
    effective_at: datetime | None = None,
    due_at: datetime | None = None,
    data: dict | None = None,
) -> User:
    """Move ``user`` one step, with the row locked: two parallel requests see each other's result, so a
    second "request" (a double submit, 40 parallel calls) is refused with 409 and nothing is written twice.
    Returns the user as it is now."""
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        state = cancellation_state(locked)
        if state != SOURCES[step]:
            raise ApplicationError(_REFUSALS[step], code="invalid_state", status=409, extra={"state": state})
        if step is Step.RESTORE and (
            locked.cancel_effective_at is None or locked.cancel_effective_at <= now or not locked.is_active
        ):
            # Checked here, on the locked row, so a restore racing the privacy job cannot win after the job
            # started (it closes access, ``is_active``, under the same lock) or after the cooling-off ended.
            raise ApplicationError(
                _("The cooling-off period has ended, so the account can no longer be restored."),
                code="cooling_off_over",
                status=409,
            )
        if step is Step.REQUEST:
            if effective_at is None or due_at is None:
                raise ValueError("a request needs its effective and due dates")
            locked.cancel_requested_at, locked.cancel_effective_at, locked.cancel_due_at = (
                now,
                effective_at,
                due_at,
            )
        elif step is Step.RESTORE:
            locked.cancel_requested_at = locked.cancel_effective_at = locked.cancel_due_at = None
        else:
            locked.anonymized_at = now
        locked.full_clean(exclude=["password", "username"])
        locked.save(update_fields=FIELDS)
        audit_record(action=step.value, actor=actor, target=locked, data=data or {})
    for name in FIELDS:
        setattr(user, name, getattr(locked, name))
    return user
