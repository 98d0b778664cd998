"""Personal access tokens (UX-2): made only with the password, limited by scopes, always expiring.

A token that leaks must not be worth more than it was made for: it cannot make more tokens (a new one needs
the password), it reaches only what its scopes allow, and it stops working on its date."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from inspiracle.accounts.models import ApiToken, User
from inspiracle.audit.services import audit_record
from inspiracle.core.errors import ApplicationError, NotFound
from inspiracle.core.rawsql import Reader
from inspiracle.standing import SIGN_IN, kinds_stopping, sanction_model

TOKEN_PREFIX = "insp_"
Scope = ApiToken.Scope
DEFAULT_SCOPES = (Scope.READ, Scope.WRITE)


class TokenRefused(ApplicationError):
    """A token of ours that no longer works: the caller learns why (401), not just "unauthenticated"."""

    status = 401
    code = "token_refused"


def _checked_scopes(user: User, scopes) -> str:
    chosen = set(scopes or ())
    unknown = chosen - set(Scope.values)
    if not chosen or unknown:
        raise ApplicationError(
            _("Choose the token's scopes among read, write and staff."),
            fields={"scopes": [_("Choose at least one of: read, write, staff.")]},
        )
    if Scope.STAFF in chosen and not user.is_staff:
        raise ApplicationError(
            _("Only staff accounts can make a token with the staff scope."),
            fields={"scopes": [_("Leave out the staff scope.")]},
        )
    return " ".join(scope for scope in Scope.values if scope in chosen)


def _checked_days(days: int | None) -> int:
    limit = settings.API_TOKEN_MAX_DAYS
    if days is None:
        return settings.API_TOKEN_DEFAULT_DAYS
    if not 1 <= days <= limit:
        raise ApplicationError(
            _("A token can last from 1 to %(max)d days.") % {"max": limit},
            fields={"expires_in_days": [_("From 1 to %(max)d.") % {"max": limit}]},
        )
    return days


def token_create(
    *, user: User, password: str, name: str, scopes=DEFAULT_SCOPES, expires_in_days: int | None = None
) -> tuple[ApiToken, str]:
    """A new token for a signed-in user, who confirms the password: whoever took over a session or a
    token cannot mint tokens of their own with it."""
    if not user.check_password(password or ""):
        raise ApplicationError(
            _("Your password is not right: a new token needs your password."),
            fields={"password": [_("Wrong password.")]},
        )
    return token_issue(user=user, name=name, scopes=scopes, expires_in_days=expires_in_days)


def token_issue(
    *, user: User, name: str, scopes=DEFAULT_SCOPES, expires_in_days: int | None = None
) -> tuple[ApiToken, str]:
    """A new token, for a caller that has just checked the password itself (``token_create``, or the API's
    sign-in with username and password). Returns the row and the token, which is shown only this once."""
    if user.cancel_requested_at is not None:
        # ACC-3: tokens are revoked when a cancellation is asked for; a new one would get around the
        # cancellation gate (which sees only sessions) for the whole cooling-off.
        raise ApplicationError(
            _("Your account is being cancelled: no new API token can be made. Restore your account first."),
            code="account_cancelling",
            status=403,
        )
    name = " ".join((name or "").split())
    if not name or len(name) > 60:
        raise ApplicationError(
            _("Give the token a name of up to 60 characters, e.g. 'upload script'."),
            fields={"name": [_("Required.")]},
        )
    scope_text = _checked_scopes(user, scopes)
    days = _checked_days(expires_in_days)
    prefix = secrets.token_hex(4)
    raw = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            name=name,
            prefix=prefix,
            digest=hashlib.sha256(raw.encode()).hexdigest(),
            scopes=scope_text,
            expires_at=timezone.now() + timedelta(days=days),
        )
        audit_record(
            action="token.created",
            actor=user,
            target=token,
            data={"scopes": token.scope_list, "days": days},
        )
    return token, raw


_token_reader, _user_reader = Reader(*ApiToken._meta.concrete_fields), Reader(*User._meta.concrete_fields)


def _token_row(digest: str, now) -> tuple[ApiToken, bool] | None:
    """The token with ``digest``, its user loaded with it, and whether a sanction in force stops the user
    signing in (MOD-5), in one plain SQL statement: it runs on every call made with a token, where building
    the ORM query with its sanction sub-query cost more than the rest of a list call (issue 14, bench/web.py).
    The sanction test is ``standing.stopping_q(SIGN_IN, now)`` written out (a test holds the two together)."""
    quote = connection.ops.quote_name
    token_table, user_table, sanction_table = (
        quote(model._meta.db_table) for model in (ApiToken, User, sanction_model())
    )
    kinds = kinds_stopping(SIGN_IN)
    at = connection.ops.adapt_datetimefield_value(now)
    selected = f"{_token_reader.columns('t')}, {_user_reader.columns('u')}"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {selected}, EXISTS (SELECT 1 FROM {sanction_table} s"  # noqa: S608
            " WHERE s.user_id = t.user_id AND s.lifted_at IS NULL AND s.starts_at <= %s"
            " AND (s.ends_at IS NULL OR s.ends_at > %s)"
            f" AND s.kind IN ({', '.join(['%s'] * len(kinds))}))"
            f" FROM {token_table} t JOIN {user_table} u ON u.id = t.user_id WHERE t.digest = %s",
            [at, at, *kinds, digest],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    split = len(_token_reader.fields)
    token = _token_reader.instance(ApiToken, row[:split])
    token.user = _user_reader.instance(User, row[split:-1])
    return token, bool(row[-1])


def token_authenticate(raw: str) -> ApiToken | None:
    """The token (with its user) that ``raw`` is, or None when it is none of ours or its account may not sign
    in. A revoked or expired token raises ``TokenRefused`` saying so, so its script's owner knows what to do."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    now = timezone.now()
    found = _token_row(hashlib.sha256(raw.encode()).hexdigest(), now)
    if found is None:
        return None
    token, signin_blocked = found
    if not token.user.is_active:
        return None
    if token.revoked_at is not None:
        raise TokenRefused(
            _("This token was revoked on %(date)s. Make a new one under Account > API tokens.")
            % {"date": date_format(timezone.localtime(token.revoked_at), "DATE_FORMAT")},
            code="token_revoked",
        )
    if token.expires_at <= now:
        raise TokenRefused(
            _("This token expired on %(date)s. Make a new one under Account > API tokens.")
            % {"date": date_format(timezone.localtime(token.expires_at), "DATE_FORMAT")},
            code="token_expired",
        )
    if signin_blocked:  # MOD-5: a token is a way of signing in
        return None
    if token.user.cancel_requested_at is not None:
        return None  # ACC-3: an account being cancelled acts only through its session, behind the gate
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def token_revoke(*, user: User, token_id: int) -> None:
    with transaction.atomic():
        updated = ApiToken.objects.filter(pk=token_id, user=user, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        if not updated:
            raise NotFound(_("You have no active token with that id."))
        audit_record(action="token.revoked", actor=user, target_label=f"ApiToken {token_id}")
