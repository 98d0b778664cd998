"""Resetting a forgotten password by email (REG-4). The email address is only stored encrypted, so the
account is found by its blind index."""

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _

from inspiracle.accounts.models import RegistrationInfo, User, UserSession
from inspiracle.accounts.security import password_reset_throttle
from inspiracle.accounts.services import email_index
from inspiracle.accounts.validation import normalize_email
from inspiracle.audit.services import audit_record
from inspiracle.core.errors import ApplicationError
from inspiracle.outbox.services import outbox_email


def password_reset_request(*, email: str) -> None:
    """Mail a reset link if an active account has this email, otherwise a mail saying that no account uses
    the address. Says nothing either way to the asker (no account probing)."""
    try:
        email = normalize_email(email)
    except ValidationError as exc:
        raise ApplicationError(exc.messages[0], fields={"email": exc.messages}) from None
    if not email:
        raise ApplicationError(
            _("Enter the email address of your account."), fields={"email": [_("Required.")]}
        )
    password_reset_throttle(email)
    info = (
        RegistrationInfo.objects.select_related("user")
        .filter(email_index=email_index(email), user__is_active=True)
        .first()
    )
    # Both answers do the same work (one outbox row, one audit event, one e-mail), so neither the time taken
    # nor the page tells whether the address has an account; the owner of an address without one learns
    # that from the mail, nobody else does.
    with transaction.atomic():
        if info is not None:
            outbox_email(kind="accounts.password_reset", payload={"user": info.user_id})
            audit_record(action="password.reset_requested", actor=None, target=info.user)
        else:
            language = translation.get_language() or settings.LANGUAGE_CODE
            outbox_email(
                kind="accounts.password_reset_no_account", payload={"email": email, "language": language}
            )
            audit_record(action="password.reset_requested", actor=None, target_label="no account")


def password_reset_user(uidb64: str, token: str) -> User | None:
    try:
        user = User.objects.get(pk=int(force_str(urlsafe_base64_decode(uidb64))), is_active=True)
    except (ValueError, TypeError, OverflowError, User.DoesNotExist):
        return None
    return user if default_token_generator.check_token(user, token) else None


def password_reset_confirm(*, uidb64: str, token: str, new_password: str) -> User:
    user = password_reset_user(uidb64, token)
    if user is None:
        raise ApplicationError(
            _(
                "This reset link is invalid or has expired (links last one hour and work once). Ask for a new one."
            ),
            code="reset_link_invalid",
        )
    try:
        validate_password(new_password or "", user=user)
    except ValidationError as exc:
        raise ApplicationError(
            _("Choose a stronger password."), fields={"new_password": exc.messages}
        ) from None
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        UserSession.objects.filter(user=user).delete()  # whoever knew the old password is signed out
        audit_record(action="password.reset", actor=user, target=user)
    return user
