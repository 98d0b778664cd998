"""ACC-3 e-mails, rendered when the outbox delivers them (in the user's language). The last one carries its
address in its (encrypted) payload: when it is sent, the account no longer has one."""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inspiracle.accounts.models import RegistrationInfo
from inspiracle.outbox.registry import Email, renderer


def _to_user(payload: dict, subject, template: str) -> Email | None:
    info = RegistrationInfo.objects.select_related("user").filter(user_id=payload["user"]).first()
    if info is None or not info.email:
        return None
    user = info.user
    with translation.override(user.language):
        context = {"user": user, "link": settings.SITE_URL + reverse("privacy:cancel")}
        return Email(to=info.email, subject=str(subject), body=render_to_string(template, context))


@renderer("privacy.cancel_requested")
def cancel_requested(payload: dict) -> Email | None:
    return _to_user(
        payload,
        gettext_lazy("Your Inspiracle account will be cancelled"),
        "privacy/email/cancel_requested.txt",
    )


@renderer("privacy.cancel_restored")
def cancel_restored(payload: dict) -> Email | None:
    return _to_user(
        payload, gettext_lazy("Your Inspiracle account was restored"), "privacy/email/cancel_restored.txt"
    )


@renderer("privacy.cancel_done")
def cancel_done(payload: dict) -> Email:
    with translation.override(payload.get("language") or settings.LANGUAGE_CODE):
        return Email(
            to=payload["email"],
            subject=_("Your Inspiracle account has been cancelled"),
            body=render_to_string("privacy/email/cancel_done.txt", {"site_url": settings.SITE_URL}),
        )
