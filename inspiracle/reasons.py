"""The prohibited-content catalogue (MOD-2): why a work may be refused or taken down.

The union of the two lists of the platform's documents (the user service agreement and the upload compliance
statement), plus "infringes third-party rights" and "the platform deems it unsuitable". Each reason has a
short label and an explanation for the person whose work it concerns, in their language.

Below every app that decides about content (moderation reviews works, the shop's review decides products), so
that none of them imports another for it.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Reason:
    code: str
    label: Promise
    explanation: Promise


REASONS = [
    Reason(
        "constitution",
        _("Against the Constitution"),
        _(
            "The content opposes the basic principles of the Constitution or incites people to resist laws and regulations."
        ),
    ),
    Reason(
        "national_security",
        _("Endangers national security"),
        _(
            "The content endangers national security or unity, leaks state secrets or incites subversion of state power."
        ),
    ),
    Reason(
        "national_honour",
        _("Harms national honour"),
        _("The content damages the honour or interests of the nation."),
    ),
    Reason(
        "heroes_martyrs",
        _("Defames heroes and martyrs"),
        _(
            "The content distorts, mocks or denies the deeds of heroes and martyrs, or infringes their names, images or reputation."
        ),
    ),
    Reason(
        "terrorism_extremism",
        _("Terrorism or extremism"),
        _("The content promotes or incites terrorism or extremism."),
    ),
    Reason(
        "ethnic_hatred",
        _("Ethnic hatred or discrimination"),
        _(
            "The content incites hatred of or discrimination against an ethnic group, or undermines ethnic unity."
        ),
    ),
    Reason(
        "religion_cults",
        _("Cults or superstition"),
        _("The content undermines the state's religious policy or promotes cults or feudal superstition."),
    ),
    Reason(
        "rumours",
        _("Rumours"),
        _("The content spreads rumours that disturb social or economic order."),
    ),
    Reason(
        "obscenity_violence",
        _("Obscenity, gambling or violence"),
        _(
            "The content shows or promotes obscenity, pornography, gambling, violence, murder or terror, or incites crime."
        ),
    ),
    Reason(
        "insult_defamation",
        _("Insults or defamation"),
        _(
            "The content insults or defames someone, or infringes their reputation, privacy or other lawful rights."
        ),
    ),
    Reason(
        "other_unlawful",
        _("Otherwise prohibited by law"),
        _("The content is restricted or prohibited by other laws or administrative regulations."),
    ),
    Reason(
        "third_party_rights",
        _("Infringes third-party rights"),
        _("The content infringes someone else's rights, such as their copyright, trademark or likeness."),
    ),
    Reason(
        "unsuitable",
        _("Unsuitable for the platform"),
        _("The platform considers the content unsuitable for display here."),
    ),
]
# Why an account (not a work) may be sanctioned (MOD-5): conduct the content catalogue does not name.
ACCOUNT_REASONS = [
    Reason(
        "impersonation",
        _("Impersonation"),
        _("The account passes itself off as another person or organization."),
    ),
    Reason(
        "repeat_infringement",
        _("Repeated infringement"),
        _("Works of this account have infringed other people's rights again and again."),
    ),
    Reason(
        "false_information",
        _("False registration information"),
        _("The registration information of this account is untrue or belongs to someone else."),
    ),
    Reason(
        "abuse",
        _("Abuse of the platform"),
        _("The account harasses others, sends spam or interferes with the platform's operation."),
    ),
]
BY_CODE = {reason.code: reason for reason in REASONS + ACCOUNT_REASONS}
CHOICES = [(reason.code, reason.label) for reason in REASONS]
# A sanction or strike may rest on a content reason or an account reason.
ACCOUNT_CHOICES = [(reason.code, reason.label) for reason in ACCOUNT_REASONS + REASONS]
CONTENT_CODES = frozenset(reason.code for reason in REASONS)


def reason_label(code: str) -> tuple[str, str]:
    """(label, explanation) of a code in the active language; an unknown code shows as itself."""
    reason = BY_CODE.get(code)
    if reason is None:
        return code, ""
    return str(reason.label), str(reason.explanation)
