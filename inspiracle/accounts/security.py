"""Signing in and keeping an account safe (REG-4): throttling, TOTP, sessions (tokens: ``tokens.py``)."""

import hashlib
import secrets
from collections.abc import Callable
from datetime import timedelta

import pyotp
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inspiracle.accounts.models import RecoveryCode, TotpDevice, User, UserSession
from inspiracle.accounts.permissions import SIGNIN_LOCKS_CLEAR, require_capability
from inspiracle.audit.services import audit_record
from inspiracle.core import ratelimit
from inspiracle.core.errors import ApplicationError, NotFound
from inspiracle.core.ratelimit import SLOWDOWN_CAP_SECONDS, Limit, wait_text
from inspiracle.standing import SIGN_IN, refusal, restriction_for

# --- Throttling ---------------------------------------------------------------------------------------------
# REG-4: guessing is slowed and then stopped per account *and network*, so that someone guessing from
# elsewhere cannot lock the rightful owner out; a network that tries many accounts is locked on its own.
# Every try is counted before its password is checked (core.ratelimit), so parallel tries cannot all pass.
SIGNIN_ACCOUNT = "signin.account"
SIGNIN_NETWORK = "signin.network"


def _signin_refusal(wait: int) -> str:
    if wait > SLOWDOWN_CAP_SECONDS:
        return _(
            "Too many wrong passwords: sign-in is locked for %(wait)s. Wait, or reset your password by email."
        ) % {"wait": wait_text(wait)}
    return _("Several wrong passwords in a row: wait %(wait)s before the next try.") % {
        "wait": wait_text(wait)
    }


def _code_refusal(wait: int) -> str:
    """The second step counts against the same limits as the password (guesses of either add up), but the
    person is typing a code: the message says what they did, not "wrong passwords"."""
    if wait > SLOWDOWN_CAP_SECONDS:
        return _(
            "Too many wrong tries: sign-in is locked for %(wait)s. Wait, then sign in again with your password "
            "and a new code."
        ) % {"wait": wait_text(wait)}
    return _("Several wrong tries in a row: wait %(wait)s before you enter the next code.") % {
        "wait": wait_text(wait)
    }


def _account_limit(refusal: Callable[[int], str]) -> Limit:
    return Limit(
        scope=SIGNIN_ACCOUNT,
        hits=settings.SIGNIN_LOCKOUT_AFTER,
        window=settings.SIGNIN_WINDOW_SECONDS,
        lockout=settings.SIGNIN_LOCKOUT_SECONDS,
        slowdown_after=settings.SIGNIN_SLOWDOWN_AFTER,
        refusal=refusal,
    )


def _network_limit(refusal: Callable[[int], str]) -> Limit:
    return Limit(
        scope=SIGNIN_NETWORK,
        hits=settings.SIGNIN_IP_LOCKOUT_AFTER,
        window=settings.SIGNIN_WINDOW_SECONDS,
        lockout=settings.SIGNIN_LOCKOUT_SECONDS,
        refusal=refusal,
    )


def _account_key(username: str) -> str:
    return ratelimit.key(f"user:{username.strip().lower()}")


def _signin_counted(username: str, *, code: bool = False) -> list[tuple[Limit, str]]:
    net = ratelimit.network() or "net:"
    refusal = _code_refusal if code else _signin_refusal
    return [
        (_account_limit(refusal), ratelimit.key(f"user:{username.strip().lower()}", net)),
        (_network_limit(refusal), ratelimit.key(net)),
    ]


def throttle_try(username: str, *, code: bool = False) -> None:
    """Count a sign-in try (password, or with ``code`` a second-factor code) before checking it; refuse it,
    without checking anything, while this account is slowed down or locked for this network, or the network
    is locked."""
    ratelimit.hit(*_signin_counted(username, code=code))


def throttle_refund(username: str) -> None:
    """The try was right (a password, a code): it gives its count back, so only wrong answers add up (a
    busy office's good sign-ins do not lock its network). Lifting the account's count is for a completed
    sign-in: a right password alone must not reset the count of guessed second-factor codes."""
    for limit, subject in _signin_counted(username):
        ratelimit.release(limit, subject)


def password_reset_throttle(email: str) -> None:
    """REG-4: reset mails per address (a mailbox is not flooded) and requests per network (addresses are
    not sprayed). Counted whether or not an account has the address, so the answer tells nothing."""
    per_address = Limit(
        scope="password_reset.address",
        hits=settings.PASSWORD_RESETS_PER_HOUR_PER_ADDRESS,
        window=3600,
        refusal=lambda wait: (
            _(
                "A reset link was sent to this address several times in the last hour; use the latest one or "
                "wait %(wait)s."
            )
            % {"wait": wait_text(wait)}
        ),
    )
    per_network = Limit(
        scope="password_reset.network",
        hits=settings.PASSWORD_RESETS_PER_HOUR_PER_IP,
        window=3600,
        refusal=lambda wait: (
            _("Too many password resets were asked for from your network; wait %(wait)s.")
            % {"wait": wait_text(wait)}
        ),
    )
    counted = [(per_address, ratelimit.key(f"email:{email.lower()}"))]
    if net := ratelimit.network():
        counted.append((per_network, ratelimit.key(net)))
    ratelimit.hit(*counted)


def signin_locks_clear(*, actor: User, user: User, reason: str = "") -> int:
    """Staff lift every sign-in slow-down and lockout of an account, from every network (audited), e.g.
    for an owner who was locked out. Returns how many networks were blocked."""
    require_capability(actor, SIGNIN_LOCKS_CLEAR)
    with transaction.atomic():
        blocked = ratelimit.clear(SIGNIN_ACCOUNT, _account_key(user.username), prefix=True)
        audit_record(
            action="signin.locks_cleared",
            actor=actor,
            target=user,
            reason=" ".join((reason or "").split())[:500],
            data={"networks": blocked},
        )
    return blocked


def signin_locks_count(*, actor: User, user: User) -> int:
    """How many networks this account is slowed down or locked for now (staff who may lift them)."""
    require_capability(actor, SIGNIN_LOCKS_CLEAR)
    return ratelimit.blocked_count(SIGNIN_ACCOUNT, _account_key(user.username), prefix=True)


def check_password_signin(request, *, username: str, password: str) -> User:
    """The password step. Returns the user; the caller then asks for a TOTP code when the user has one."""
    username = (username or "").strip().lower()
    throttle_try(username)
    user = authenticate(request, username=username, password=password or "")
    if user is None:
        with transaction.atomic():
            known = User.objects.filter(username=username).first()
            audit_record(
                action="signin.failed",
                actor=None,
                target=known,
                data={"reason": "inactive" if known and not known.is_active else "password"},
            )
        raise ApplicationError(_("Wrong username or password."), code="invalid_credentials", status=401)
    throttle_refund(username)
    signin_sanction_check(user)
    return user


def signin_sanction_check(user: User) -> None:
    """MOD-5: a suspended, terminated or reclaimed account does not sign in, whatever the way (password,
    second factor, new token). The refusal names the measure, so the user can appeal it."""
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
    account, subject = _signin_counted(user.username)[0]
    ratelimit.clear(account.scope, subject)  # for this network only: elsewhere stays as it is
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


def _verify_totp_code(device: TotpDevice, code: str, *, spend: bool = True) -> bool:
    """Whether ``code`` is the device's code for now (one step of drift either way) and newer than the last
    code spent. With ``spend`` the code's step is recorded, so that it cannot pass a second time."""
    code = "".join(code.split())
    if not (code.isdigit() and len(code) == 6):
        return False
    totp = pyotp.TOTP(device.secret)
    now = timezone.now()
    for offset in (0, -1, 1):  # one step of clock drift either way
        step = totp.timecode(now) + offset
        if step > device.last_step and secrets.compare_digest(totp.generate_otp(step), code):
            if not spend:
                return True
            # Why the conditional update: two requests with the same code must not both pass (replay).
            return TotpDevice.objects.filter(pk=device.pk, last_step__lt=step).update(last_step=step) == 1
    return False


def totp_confirm(*, user: User, code: str) -> list[str]:
    device = TotpDevice.objects.filter(user=user, confirmed_at__isnull=True).first()
    if device is None:
        raise ApplicationError(_("Start the set-up first: no device is waiting for confirmation."))
    # Why the set-up code is not spent: replay protection is for sign-in, so that a code seen while someone
    # signs in cannot open a second session. The set-up code is typed by the owner in a session that is open
    # already and opens nothing; spending it locked the owner out of signing in for up to 90 seconds right
    # after turning two-factor on ("not right" for the code the app still shows). Every sign-in code is
    # spent (``totp_check``), the first one included.
    if not _verify_totp_code(device, code, spend=False):
        wrong = _("That code is not right. Enter the 6-digit code your app shows now.")
        raise ApplicationError(wrong, fields={"code": [wrong]})
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
    throttle_try(user.username, code=True)
    method = totp_check(user=user, code=code)
    if method is None:
        raise ApplicationError(
            _("That code is not right. Enter the current 6-digit code, or a recovery code.")
        )
    throttle_refund(user.username)
    return method


def totp_disable(*, user: User, password: str, code: str) -> None:
    if not user.check_password(password or ""):
        wrong = _("Your password is not right.")
        raise ApplicationError(wrong, fields={"password": [wrong]})
    if totp_check(user=user, code=code) is None:
        wrong = _("That code is not right.")
        raise ApplicationError(wrong, fields={"code": [wrong]})
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
