"""What an affected user is told when their data went to a state authority (PRV-5), unless notice is
prohibited; registered with notifications."""

from django.utils.translation import gettext_lazy as _

from inspiracle.notifications.messages import Message

MESSAGES = {
    "disclosure_delivered": Message(
        "disclosure.delivered",
        _("Your information was disclosed to %(authority)s"),
        _(
            "Under %(basis)s, the platform disclosed the following information about your account to "
            "%(authority)s (their reference %(reference)s): %(kinds)s, for %(period)s."
        ),
        _("If you have questions about this disclosure, contact the authority named above."),
    ),
}
