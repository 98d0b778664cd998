"""Resetting a forgotten password by email (REG-4). The email address is only stored encrypted, so the
account is found by its blind index."""

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _

from inspiracle.accounts.models import RegistrationInfo, User, UserSession
from inspiracle.accounts.security import password_reset_throttle
from inspiracle.accounts.services import email_index
from inspiracle.accounts.validation import normalize_email
from inspiracle.audit.services import audit_record
from inspiracle.core.errors import ApplicationError


def password_reset_request(*, email: str) -> None:
    """Send a reset link if an active account has this email. Says nothing either way (no account probing)."""
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
    if info is None:
        return
    user = info.user
    link = settings.SITE_URL + reverse(
        "accounts:password-reset-confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    with translation.override(user.language):
        subject = _("Reset your Inspiracle password")
        body = render_to_string("accounts/email/password_reset.txt", {"user": user, "link": link})
    send_mail(subject, body, None, [info.email])
    audit_record(action="password.reset_requested", actor=None, target=user)


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
