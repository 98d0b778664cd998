"""A registration's email address is the account's once its owner confirms it by a mailed link (issue 10):
registering or correcting an address never says whether another account has it; that account's owner is
told instead. A confirmed address is proven, which reports rely on (RPT-1)."""

import base64
import json

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from inspiracle.accounts.models import RegistrationInfo, User
from inspiracle.audit.services import audit_record
from inspiracle.core import crypto
from inspiracle.core.errors import ApplicationError
from inspiracle.outbox.services import outbox_email

CONFIRMATION_PURPOSE = "accounts.email-confirmation"
CONFIRMATION_DAYS = 3


def email_index(email: str) -> str:
    return crypto.blind_index(email.lower(), purpose="email") if email else ""


def email_confirmation_token(*, user: User, email: str) -> str:
    """A link's secret: the account and the address, encrypted (the address never appears in a URL)."""
    payload = json.dumps({"user": user.pk, "email": email, "at": int(timezone.now().timestamp())})
    sealed = crypto.encrypt(payload, purpose=CONFIRMATION_PURPOSE)
    return base64.urlsafe_b64encode(sealed.encode()).decode().rstrip("=")


def email_confirmation_send(*, user: User, email: str) -> None:
    """Mail ``email``: a confirmation link, or, when another account has the address, a notice to its owner
    that someone gave it (nothing changes). Both paths do the same work, and the person who typed the
    address is told the same either way."""
    owner = (
        RegistrationInfo.objects.select_related("user")
        .filter(email_index=email_index(email))
        .exclude(user=user)
        .first()
    )
    token = email_confirmation_token(user=user, email=email)
    link = settings.SITE_URL + reverse("accounts:email-confirm", kwargs={"token": token})
    recipient = owner.user if owner else user
    with translation.override(recipient.language):
        if owner is None:
            subject = _("Confirm your email address for Inspiracle")
            template = "accounts/email/email_confirm.txt"
        else:
            subject = _("Someone gave your email address on Inspiracle")
            template = "accounts/email/email_taken.txt"
            link = settings.SITE_URL + reverse("accounts:password-reset")
        body = render_to_string(template, {"user": recipient, "username": user.username, "link": link})
    audit_record(action="registration.email_confirmation_sent", actor=user, target=user)
    # Rendered now: the link's token exists nowhere else. The payload is encrypted at rest (outbox).
    outbox_email(kind="outbox.rendered", payload={"to": email, "subject": subject, "body": body})


def email_confirm(*, token: str) -> User:
    """The link was opened: the address becomes the account's (it is proven to be its owner's now)."""
    invalid = ApplicationError(
        _(
            "This confirmation link is invalid or has expired (links last %(days)d days). Enter the address "
            "again under your registration information to get a new one."
        )
        % {"days": CONFIRMATION_DAYS},
        code="confirmation_invalid",
    )
    try:
        sealed = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        data = json.loads(crypto.decrypt(sealed, purpose=CONFIRMATION_PURPOSE))
    except (ValueError, crypto.DecryptionError):
        raise invalid from None
    if timezone.now().timestamp() - data["at"] > CONFIRMATION_DAYS * 86400:
        raise invalid
    with transaction.atomic():
        info = (
            RegistrationInfo.objects.select_for_update(of=("self",))
            .select_related("user")
            .filter(user_id=data["user"], user__is_active=True)
            .first()
        )
        if info is None:
            raise invalid
        if info.email != data["email"]:
            taken = ApplicationError(
                _("This email address belongs to another account now; it was not added."),
                code="email_taken",
                status=409,
            )
            if RegistrationInfo.objects.filter(email_index=email_index(data["email"])).exists():
                raise taken
            info.email, info.email_index = data["email"], email_index(data["email"])
            try:
                with transaction.atomic():  # the unique index decides a race between two confirmations
                    info.save(update_fields=["email", "email_index"])
            except IntegrityError:
                raise taken from None
            audit_record(
                action="registration.updated", actor=info.user, target=info.user, data={"fields": ["email"]}
            )
    return info.user
