"""What the parties of a licensing request or deal are told (inbox and e-mail), registered with notifications."""

from django.utils.translation import gettext_lazy as _

from inspiracle.notifications.messages import Message

OPEN_IT = _("Open the request to read the terms and answer.")

MESSAGES = {
    "licence_request_received": Message(
        "licensing.request_received",
        _("Licensing request %(reference)s from %(party)s"),
        _(
            "%(party)s asks to license %(works)s (%(kind)s). The request expires on %(until)s if it is not answered."
        ),
        OPEN_IT,
    ),
    "licence_request_from_report": Message(
        "licensing.request_from_report",
        _("A licence is offered instead of a takedown (%(reference)s)"),
        _(
            "Report %(report)s about %(works)s was upheld. Instead of a takedown, the rights holder %(party)s "
            "offers you a licence. If you accept it, the report is resolved without a strike; if you decline it "
            "or let it expire on %(until)s, the work is taken down."
        ),
        OPEN_IT,
    ),
    "licence_proposal_received": Message(
        "licensing.proposal_received",
        _("New proposal in licensing request %(reference)s"),
        _(
            "%(party)s proposed new terms (version %(number)s). The request expires on %(until)s if it is not answered."
        ),
        _("Open the request to see what changed and answer."),
    ),
    "licence_request_declined": Message(
        "licensing.request_declined",
        _("Licensing request %(reference)s was declined"),
        _("%(party)s declined the licensing request %(reference)s."),
    ),
    "licence_request_withdrawn": Message(
        "licensing.request_withdrawn",
        _("Licensing request %(reference)s was withdrawn"),
        _("%(party)s withdrew the licensing request %(reference)s. Nothing was agreed."),
    ),
    "licence_request_expired": Message(
        "licensing.request_expired",
        _("Licensing request %(reference)s expired"),
        _("Nobody answered the last proposal of licensing request %(reference)s in time, so it expired."),
        _("You can send a new request if you still want to agree."),
    ),
    "licence_deal_made": Message(
        "licensing.deal_made",
        _("Deal %(deal)s is agreed"),
        _(
            "%(party)s and you agreed the terms of licensing request %(reference)s. The deal page shows the "
            "agreed terms and both parties' contact details, and offers a summary to print and sign."
        ),
    ),
    "licence_deal_annulled": Message(
        "licensing.deal_annulled",
        _("Deal %(deal)s was annulled"),
        _("A legal officer annulled deal %(deal)s. The rights it granted are no longer granted."),
    ),
    "licence_exclusive_ended": Message(
        "licensing.exclusive_ended",
        _("The exclusive licence on “%(title)s” has ended"),
        _(
            "The term of the exclusive licence on your work “%(title)s” is over: the mark “Exclusive License, "
            "No Reposting” is lifted. Reposting stays off until you allow it again."
        ),
    ),
}
