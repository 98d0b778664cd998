"""Signing in and keeping an account safe (REG-4): throttling, TOTP, sessions (tokens: ``tokens.py``)."""

import hashlib
import math
import secrets
from datetime import timedelta

import pyotp
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from inspiracle.accounts.models import RecoveryCode, SigninThrottle, TotpDevice, User, UserSession
from inspiracle.audit.services import audit_record
from inspiracle.core import crypto
from inspiracle.core.errors import ApplicationError, NotFound, Throttled
from inspiracle.core.http import current_origin

# --- Throttling ---------------------------------------------------------------------------------------------


def _throttle_keys(username: str) -> list[tuple[str, int]]:
    """(key, lockout threshold) for the account tried and the address trying."""
    account = crypto.blind_index(f"user:{username.strip().lower()}", purpose="signin")
    address = crypto.blind_index(f"ip:{current_origin.get().ip}", purpose="signin")
    return [(account, settings.SIGNIN_LOCKOUT_AFTER), (address, settings.SIGNIN_IP_LOCKOUT_AFTER)]


def _wait_text(seconds: int) -> str:
    if seconds >= 120:
        minutes = (seconds + 59) // 60
        return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}
    return ngettext("%(n)d second", "%(n)d seconds", seconds) % {"n": seconds}


def throttle_check(username: str) -> None:
    """Refuse a sign-in try while the account or the address is slowed down or locked out. A refused try
    does not check the password at all, so guessing cannot go on during the wait."""
    now = timezone.now()
    for row in SigninThrottle.objects.filter(key__in=[key for key, _limit in _throttle_keys(username)]):
        if row.locked_until and row.locked_until > now:
            wait = math.ceil((row.locked_until - now).total_seconds())
            raise Throttled(
                _(
                    "Too many wrong passwords: sign-in is locked for %(wait)s. Wait, or reset your password by "
                    "email."
                )
                % {"wait": _wait_text(wait)},
                extra={"retry_after": wait},
            )
        extra = row.failures - settings.SIGNIN_SLOWDOWN_AFTER
        if extra >= 0 and now - row.window_started_at < timedelta(seconds=settings.SIGNIN_WINDOW_SECONDS):
            ready = row.last_failure_at + timedelta(seconds=min(2**extra, 60))
            if ready > now:
                wait = math.ceil((ready - now).total_seconds())
                raise Throttled(
                    _("Several wrong passwords in a row: wait %(wait)s before the next try.")
                    % {"wait": _wait_text(wait)},
                    extra={"retry_after": wait},
                )


def throttle_fail(username: str) -> None:
    now = timezone.now()
    window = timedelta(seconds=settings.SIGNIN_WINDOW_SECONDS)
    for key, limit in _throttle_keys(username):
        with transaction.atomic():
            row, _created = SigninThrottle.objects.select_for_update().get_or_create(
                key=key, defaults={"window_started_at": now, "last_failure_at": now}
            )
            expired_lock = row.locked_until is not None and row.locked_until <= now
            if now - row.window_started_at > window or expired_lock:
                row.failures, row.window_started_at, row.locked_until = 0, now, None
            row.failures += 1
            row.last_failure_at = now
            if row.failures >= limit:
                row.locked_until = now + timedelta(seconds=settings.SIGNIN_LOCKOUT_SECONDS)
            row.save()


def throttle_clear(username: str) -> None:
    SigninThrottle.objects.filter(key=_throttle_keys(username)[0][0]).delete()


def check_password_signin(request, *, username: str, password: str) -> User:
    """The password step. Returns the user; the caller then asks for a TOTP code when the user has one."""
    username = (username or "").strip().lower()
    throttle_check(username)
    user = authenticate(request, username=username, password=password or "")
    if user is None:
        with transaction.atomic():
            throttle_fail(username)
            known = User.objects.filter(username=username).first()
            audit_record(
                action="signin.failed",
                actor=None,
                target=known,
                data={"reason": "inactive" if known and not known.is_active else "password"},
            )
        raise ApplicationError(_("Wrong username or password."), code="invalid_credentials", status=401)
    signin_sanction_check(user)
    return user


def signin_sanction_check(user: User) -> None:
    """MOD-5: a suspended, terminated or reclaimed account does not sign in, whatever the way (password,
    second factor, new token). The refusal names the measure, so the user can appeal it."""
    from inspiracle.moderation.restrictions import SIGN_IN, refusal, restriction_for

    sanction = restriction_for(user, SIGN_IN)
    if sanction is not None:
        audit_record(
            action="signin.refused",
            actor=None,
            target=user,
            data={"reason": "sanction", "sanction": sanction.pk},
        )
        raise refusal(sanction)


def signin_completed(user: User, *, method: str) -> None:
    throttle_clear(user.username)
    audit_record(action="signin.succeeded", actor=user, target=user, data={"method": method})


# --- TOTP ---------------------------------------------------------------------------------------------------
RECOVERY_CODES = 10


def totp_enabled(user: User) -> bool:
    return TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).exists()


def totp_begin(*, user: User) -> tuple[TotpDevice, str]:
    """Start enrolment: a new secret, not yet active. Returns the device and the otpauth:// address."""
    if totp_enabled(user):
        raise ApplicationError(
            _("Two-factor sign-in is on already. Turn it off first to enrol a new device.")
        )
    with transaction.atomic():
        TotpDevice.objects.filter(user=user).delete()
        device = TotpDevice.objects.create(user=user, secret=pyotp.random_base32())
    uri = pyotp.TOTP(device.secret).provisioning_uri(name=user.username, issuer_name="Inspiracle")
    return device, uri


def _hash_code(code: str) -> str:
    return hashlib.sha256(code.replace("-", "").strip().lower().encode()).hexdigest()


def _verify_totp_code(device: TotpDevice, code: str) -> bool:
    code = "".join(code.split())
    if not (code.isdigit() and len(code) == 6):
        return False
    totp = pyotp.TOTP(device.secret)
    now = timezone.now()
    for offset in (0, -1, 1):  # one step of clock drift either way
        step = totp.timecode(now) + offset
        if step > device.last_step and secrets.compare_digest(totp.generate_otp(step), code):
            # Why the conditional update: two requests with the same code must not both pass (replay).
            return TotpDevice.objects.filter(pk=device.pk, last_step__lt=step).update(last_step=step) == 1
    return False


def totp_confirm(*, user: User, code: str) -> list[str]:
    device = TotpDevice.objects.filter(user=user, confirmed_at__isnull=True).first()
    if device is None:
        raise ApplicationError(_("Start the set-up first: no device is waiting for confirmation."))
    if not _verify_totp_code(device, code):
        raise ApplicationError(
            _("That code is not right. Enter the 6-digit code your app shows now."),
            fields={"code": [_("Wrong code.")]},
        )
    codes = [f"{secrets.token_hex(4)}-{secrets.token_hex(4)}" for _i in range(RECOVERY_CODES)]
    with transaction.atomic():
        TotpDevice.objects.filter(pk=device.pk).update(confirmed_at=timezone.now())
        RecoveryCode.objects.filter(user=user).delete()
        RecoveryCode.objects.bulk_create(RecoveryCode(user=user, digest=_hash_code(c)) for c in codes)
        audit_record(action="totp.enabled", actor=user, target=user)
    return codes


def totp_check(*, user: User, code: str) -> str | None:
    """The second sign-in step: a current TOTP code, or an unused recovery code. Returns which one passed."""
    device = TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).first()
    if device is None:
        return None
    if _verify_totp_code(device, code):
        return "totp"
    updated = RecoveryCode.objects.filter(user=user, digest=_hash_code(code), used_at__isnull=True).update(
        used_at=timezone.now()
    )
    return "recovery_code" if updated else None


def totp_signin_check(*, user: User, code: str) -> str:
    """The second sign-in step, throttled like the password (REG-4). Returns which kind of code passed."""
    signin_sanction_check(user)  # a measure applied between the two steps
    throttle_check(user.username)
    method = totp_check(user=user, code=code)
    if method is None:
        throttle_fail(user.username)
        raise ApplicationError(
            _("That code is not right. Enter the current 6-digit code, or a recovery code.")
        )
    return method


def totp_disable(*, user: User, password: str, code: str) -> None:
    if not user.check_password(password or ""):
        raise ApplicationError(_("Your password is not right."), fields={"password": [_("Wrong password.")]})
    if totp_check(user=user, code=code) is None:
        raise ApplicationError(_("That code is not right."), fields={"code": [_("Wrong code.")]})
    with transaction.atomic():
        TotpDevice.objects.filter(user=user).delete()
        RecoveryCode.objects.filter(user=user).delete()
        audit_record(action="totp.disabled", actor=user, target=user)


# --- Passwords ----------------------------------------------------------------------------------------------


def password_change(*, user: User, current: str, new: str, keep_session_key: str | None = None) -> None:
    """Change the password and sign out every other session."""
    if not user.check_password(current or ""):
        raise ApplicationError(
            _("Your current password is not right."), fields={"current_password": [_("Wrong password.")]}
        )
    try:
        validate_password(new or "", user=user)
    except ValidationError as exc:
        raise ApplicationError(
            _("Choose a stronger password."), fields={"new_password": exc.messages}
        ) from None
    with transaction.atomic():
        user.set_password(new)
        user.save(update_fields=["password"])
        UserSession.objects.filter(user=user).exclude(session_key=keep_session_key or "").delete()
        audit_record(action="password.changed", actor=user, target=user)


# --- Sessions -----------------------------------------------------------------------------------------------


def session_revoke(*, user: User, ref: str) -> None:
    with transaction.atomic():
        deleted, _rows = UserSession.objects.filter(user=user, ref=ref).delete()
        if not deleted:
            raise NotFound(_("You have no active session with that id."))
        audit_record(action="session.revoked", actor=user, target=user, data={"session": ref})


def sessions_revoke_others(*, user: User, current_key: str) -> int:
    with transaction.atomic():
        deleted, _rows = UserSession.objects.filter(user=user).exclude(session_key=current_key).delete()
        audit_record(action="session.revoked_others", actor=user, target=user, data={"count": deleted})
    return deleted


def session_touch(session_key: str) -> None:
    """Keep "last seen" roughly current without a write on every request."""
    cutoff = timezone.now() - timedelta(minutes=5)
    UserSession.objects.filter(session_key=session_key, last_seen_at__lt=cutoff).update(
        last_seen_at=timezone.now()
    )
