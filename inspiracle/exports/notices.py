"""What the owner of an export is told when their archive is ready (inbox and e-mail, through the outbox)."""

from django.utils.translation import gettext_lazy as _

from inspiracle.notifications.messages import Message

MESSAGES = {
    "export_ready": Message(
        "exports.ready",
        _("Your data archive is ready"),
        _(
            "The copy of your data you asked for is ready. You can download it, signed in to your account, "
            "until %(until)s; after that it is deleted."
        ),
        _("Open “Download my data” on the privacy pages to download it."),
    ),
}
