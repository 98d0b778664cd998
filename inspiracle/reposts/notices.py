"""What the parties of a repost request are told (inbox and e-mail; visitors by e-mail only, emails.py)."""

from django.utils.translation import gettext_lazy as _

from inspiracle.notifications.messages import Message

MESSAGES = {
    "repost_requested": Message(
        "repost.requested",
        _("%(party)s asks to repost “%(title)s”"),
        _("%(party)s asks to repost your work “%(title)s” on %(site)s until %(ends)s."),
        _("Open your repost requests to read the purpose and approve or decline."),
    ),
    "repost_approved": Message(
        "repost.approved",
        _("You may repost “%(title)s” on %(site)s"),
        _(
            "The creator approved your request %(reference)s: you may repost “%(title)s” on %(site)s until "
            "%(ends)s, with the attribution shown on the permission's page."
        ),
        _("Open the permission to copy the attribution; link to its page where you repost the work."),
    ),
    "repost_declined": Message(
        "repost.declined",
        _("Your request to repost “%(title)s” was declined"),
        _("The creator declined your request %(reference)s to repost “%(title)s” on %(site)s."),
    ),
    "repost_revoked": Message(
        "repost.revoked",
        _("The permission to repost “%(title)s” was revoked"),
        _(
            "The creator revoked permission %(reference)s to repost “%(title)s” on %(site)s. Remove the work "
            "from that site."
        ),
    ),
}
