"""ACC-3: asking for an account's cancellation, withdrawing it during the cooling-off, legal holds.

The cancellation's state is ``accounts``' (``cancellation_transition``); this module decides when it happens,
checks the password under a rate limit, and sends the e-mails. The erasure itself is ``anonymize.py``.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inspiracle.accounts.cancellation import Step, cancellation_transition
from inspiracle.accounts.models import ApiToken, User
from inspiracle.accounts.permissions import PII_READ, require_capability
from inspiracle.audit.services import audit_record
from inspiracle.core import ratelimit
from inspiracle.core.errors import ApplicationError, NotFound
from inspiracle.core.ratelimit import Limit, wait_text
from inspiracle.outbox.services import outbox_email
from inspiracle.privacy.models import LegalHold
from inspiracle.reports.workdays import add_working_days

# ACC-3: the law's limit, on the same calendar as report deadlines (RPT-6).
DUE_WORKING_DAYS = 15
PASSWORD_TRIES = 5
PASSWORD_WINDOW = 15 * 60


def cancellation_dates(now: datetime) -> tuple[datetime, datetime]:
    """The end of the cooling-off (the job may erase from then on) and the date the user is told: the end of
    the 15th PRC working day after the request, never before the cooling-off ends (settings keep the cooling-off
    at 15 calendar days at most, which 15 working days never undercut; the max() is the promise, not a fix)."""
    effective = now + timedelta(days=settings.ACCOUNT_CANCEL_COOLING_OFF_DAYS)
    due, _conservative = add_working_days(now, DUE_WORKING_DAYS)
    return effective, max(due, effective)


def _password_limit() -> Limit:
    return Limit(
        scope="privacy.cancel_password",
        hits=PASSWORD_TRIES,
        window=PASSWORD_WINDOW,
        lockout=PASSWORD_WINDOW,
        refusal=lambda wait: (
            _("Too many wrong passwords: wait %(wait)s before trying to cancel your account again.")
            % {"wait": wait_text(wait)}
        ),
    )


def _password_check(user: User, password: str) -> None:
    """Counted before the check (core.ratelimit), given back when right: only wrong passwords add up, and
    parallel guesses cannot all pass."""
    limit, subject = _password_limit(), ratelimit.key(f"privacy.cancel:{user.pk}")
    ratelimit.hit((limit, subject))
    if not user.check_password(password or ""):
        raise ApplicationError(
            _("Your password is not right. Type the password you sign in with."),
            fields={"password": [_("Wrong password.")]},
            code="wrong_password",
        )
    ratelimit.release(limit, subject)


def cancellation_request(*, user: User, password: str, now: datetime | None = None) -> User:
    """ACC-3: confirm with the password, start the cooling-off, tell the user the date by e-mail. API tokens
    are revoked now: scripts should not keep acting for an account that is leaving (decision-privacy)."""
    now = now or timezone.now()
    if user.is_staff:
        raise ApplicationError(
            _(
                "Staff accounts cannot be cancelled while they hold a staff role: their decisions must stay "
                "attributable. Ask an administrator to remove your role first, then cancel."
            ),
            code="staff_account",
            status=403,
        )
    if user.cancel_requested_at is not None:
        raise ApplicationError(
            _("Your account's cancellation was asked for already; this page shows its date."),
            code="invalid_state",
            status=409,
        )
    _password_check(user, password)
    effective, due = cancellation_dates(now)
    with transaction.atomic():
        cancellation_transition(
            user=user,
            step=Step.REQUEST,
            now=now,
            actor=user,
            effective_at=effective,
            due_at=due,
            data={"effective_at": effective.isoformat(), "due_at": due.isoformat()},
        )
        ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now)
        outbox_email(kind="privacy.cancel_requested", payload={"user": user.pk})
    return user


def cancellation_restore(*, user: User, now: datetime | None = None) -> User:
    """During the cooling-off the user keeps their account: the request is withdrawn (audited, e-mailed)."""
    now = now or timezone.now()
    if user.cancel_effective_at is not None and user.cancel_effective_at <= now:
        raise ApplicationError(
            _("The cooling-off period has ended, so the account can no longer be restored."),
            code="cooling_off_over",
            status=409,
        )
    with transaction.atomic():
        cancellation_transition(user=user, step=Step.RESTORE, now=now, actor=user)
        outbox_email(kind="privacy.cancel_restored", payload={"user": user.pk})
    return user


def legal_hold_place(*, actor: User, username: str, reason: str) -> LegalHold:
    """A legal officer or admin keeps an account's records through a cancellation (audited)."""
    require_capability(actor, PII_READ)
    reason = " ".join((reason or "").split())[:2000]
    if not reason:
        raise ApplicationError(
            _("Say why the records must be kept (the court, authority or case)."),
            fields={"reason": [_("This field is required.")]},
        )
    user = User.objects.filter(username=(username or "").strip().lower()).first()
    if user is None:
        raise ApplicationError(
            _("There is no account with that username."), fields={"username": [_("Unknown username.")]}
        )
    with transaction.atomic():
        hold = LegalHold(user=user, reason=reason, placed_by=actor)
        hold.full_clean()
        hold.save()
        audit_record(action="privacy.legal_hold_placed", actor=actor, target=user, data={"hold": hold.pk})
    return hold


def legal_hold_release(*, actor: User, hold_id: int, now: datetime | None = None) -> LegalHold:
    require_capability(actor, PII_READ)
    now = now or timezone.now()
    with transaction.atomic():
        hold = LegalHold.objects.select_for_update().filter(pk=hold_id).first()
        if hold is None:
            raise NotFound(_("There is no such legal hold."))
        if hold.released_at is not None:
            return hold
        hold.released_at, hold.released_by = now, actor
        hold.full_clean()
        hold.save()
        audit_record(
            action="privacy.legal_hold_released", actor=actor, target=hold.user, data={"hold": hold.pk}
        )
    return hold
