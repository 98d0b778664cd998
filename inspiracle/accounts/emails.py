"""Password-reset mails (REG-4), rendered when the outbox delivers them: the link's token is made then, so
it is valid for its full hour from when the mail goes out."""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from inspiracle.accounts.models import RegistrationInfo
from inspiracle.outbox.registry import Email, renderer


@renderer("accounts.password_reset")
def password_reset(payload: dict) -> Email | None:
    info = (
        RegistrationInfo.objects.select_related("user")
        .filter(user_id=payload["user"], user__is_active=True)
        .first()
    )
    if info is None or not info.email:
        return None
    user = info.user
    link = settings.SITE_URL + reverse(
        "accounts:password-reset-confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    with translation.override(user.language):
        return Email(
            to=info.email,
            subject=_("Reset your Inspiracle password"),
            body=render_to_string("accounts/email/password_reset.txt", {"user": user, "link": link}),
        )


@renderer("accounts.password_reset_no_account")
def password_reset_no_account(payload: dict) -> Email:
    with translation.override(payload["language"]):
        return Email(
            to=payload["email"],
            subject=_("Reset your Inspiracle password"),
            body=render_to_string(
                "accounts/email/password_reset_no_account.txt",
                {"site_url": settings.SITE_URL, "register": settings.SITE_URL + reverse("accounts:register")},
            ),
        )
