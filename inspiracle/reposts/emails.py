"""E-mails to people who asked to repost without an account (WRK-12), rendered when the outbox delivers them."""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from inspiracle.notifications.messages import render
from inspiracle.outbox.registry import Email, renderer
from inspiracle.reposts.models import RepostPermission


@renderer("reposts.code")
def code(payload: dict) -> Email:
    """The code that proves a visitor's address; the (encrypted) payload is the only place it is in clear."""
    with translation.override(payload["language"]):
        return Email(
            to=payload["email"],
            subject=_("Inspiracle: your code is %(code)s") % {"code": payload["code"]},
            body=render_to_string("reposts/email/code.txt", {"code": payload["code"]}),
        )


@renderer("reposts.visitor")
def visitor(payload: dict) -> Email | None:
    """An answer to a visitor's request, in the language they asked in."""
    permission = RepostPermission.objects.filter(pk=payload["permission"]).first()
    if permission is None or not permission.requester_email:
        return None
    with translation.override(permission.language):
        subject, body = render(template=payload["template"], params=payload["params"])
        return Email(
            to=permission.requester_email,
            subject=_("Inspiracle: %(subject)s") % {"subject": subject},
            body=render_to_string(
                "notifications/email/notification.txt",
                {
                    "body": body,
                    "url": settings.SITE_URL + reverse("reposts:detail", args=[permission.reference]),
                    "footer": _(
                        "You receive this email because you asked to repost a work with this address."
                    ),
                },
            ),
        )
