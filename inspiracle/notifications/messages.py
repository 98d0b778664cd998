"""What a notification says (UX-4): one catalogue entry per template, rendered when it is read.

A notification stores a template key, its parameters and an optional reason code, never rendered text, so
that each reader sees it in the language they use now and a corrected translation reaches old notices too.

Parameters are of three sorts:
- plain text (a work's title, a moderator's message): shown as written;
- phrases (``PHRASE_PARAMS``: a sanction's kind, an appeal's outcome): the caller passes a lazy translation
  (a choice label, ``gettext_lazy``), its English msgid is stored and translated again when shown; the
  platform's ``statement`` about a decision is such a phrase too, with placeholders for the other parameters;
- moments (``DATE_PARAMS``): stored in ISO 8601 and shown in the reader's language and the site's time zone;
- counts (``COUNT_PARAMS``): a number that chooses the plural form of a text written with ``ngettext_lazy(...,
  "count")`` ("1 item", "3 items"; Chinese has one form).

A reason code (MOD-2's catalogue of prohibited content, a report's outcome) is turned into a label and an
explanation by the functions other apps register with ``register_reason_labels``; until one knows the code,
the code itself is shown rather than nothing.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Message:
    kind: str  # what happened, for filters and clients: "work.approved"
    subject: Promise
    body: Promise
    action: Promise | None = None  # what the reader can do next, after the reason and the message


# MOD-6: every measure can be appealed once, from the standing page; a measure that stops the user signing
# in shows its appeal form on the sign-in page instead.
APPEAL = _(
    "If you believe this is wrong, you can appeal once from the “Standing” page of your account. If the "
    "measure stops you signing in, sign in as usual and you will be shown the appeal form."
)

CATALOGUE: dict[str, Message] = {
    "work_approved": Message(
        "work.approved",
        _("Your work “%(title)s” is published"),
        _("Your work “%(title)s” passed review and is now public in the gallery and on your portfolio."),
    ),
    "work_rejected": Message(
        "work.rejected",
        _("Your work “%(title)s” was not published"),
        _("After review, your work “%(title)s” was not published. It stays private."),
        APPEAL,
    ),
    "work_correction_requested": Message(
        "work.correction_requested",
        _("Your work “%(title)s” needs a correction"),
        _("A moderator asked for a correction before your work “%(title)s” can be published."),
        _(
            "Edit the work as the moderator asks, then use “Resubmit for review” on the work page (a new title, "
            "description or files resubmit it by themselves). Until then it stays private."
        ),
    ),
    "work_back_in_review": Message(
        "work.back_in_review",
        _("Your work “%(title)s” is back in review"),
        _("Staff undid the last decision about your work “%(title)s”; it is being reviewed again."),
        _("You do not need to do anything: you will be told the new decision."),
    ),
    "work_restored": Message(
        "work.restored",
        _("Your work “%(title)s” is public again"),
        _("Staff undid the measure on your work “%(title)s”; it is shown in full again."),
    ),
    "work_taken_down": Message(
        "work.taken_down",
        _("Your work “%(title)s” was taken down"),
        _("Your work “%(title)s” was taken down and is no longer public."),
        APPEAL,
    ),
    "work_masked": Message(
        "work.masked",
        _("Part of your work “%(title)s” was masked"),
        _("Part of your work “%(title)s” was masked; the rest of it stays public."),
        APPEAL,
    ),
    "sanction_applied": Message(
        "sanction.applied",
        _("A measure was applied to your account: %(kind)s"),
        _("The platform applied this measure to your account: %(kind)s.\nIt ends: %(until)s."),
        APPEAL,
    ),
    "account_reclaimed": Message(
        "sanction.applied",
        _("Your account was reclaimed for impersonation"),
        _(
            "Your account passed itself off as another person or organization, so the platform reclaimed it: "
            "it is renamed @%(username)s, its display name and picture are reset, and it is locked."
        ),
        _(
            "If you believe this is wrong, sign in with the name @%(username)s and your password: you will be "
            "shown the appeal form. An appeal can be made once."
        ),
    ),
    "sanction_lifted": Message(
        "sanction.lifted",
        _("A measure on your account has ended: %(kind)s"),
        _("This measure on your account has ended: %(kind)s. You can use the platform as before."),
    ),
    "appeal_decided": Message(
        "appeal.decided",
        _("Your appeal was decided: %(outcome)s"),
        _(
            "A staff member who did not take the original decision reviewed your appeal.\nOutcome: %(outcome)s."
        ),
        _("An appeal can be made once, so this is the platform's final decision on the matter."),
    ),
    "strike_resolved": Message(
        "strike.resolved",
        _("A strike on your account was removed: %(outcome)s"),
        _("Staff removed a strike from your account (%(outcome)s). It no longer counts against you."),
    ),
    "appeal_message": Message(
        "appeal.message",
        _("Staff replied to your appeal"),
        _("The staff member handling your appeal wrote to you."),
        _("Answer on the appeal's page; the appeal is decided once the exchange is complete."),
    ),
    "org_verified": Message(
        "account.verified",
        _("Your organization is verified"),
        _(
            "Staff checked your registration certificate. Your account now carries the verified badge, and "
            "other accounts can no longer take your name."
        ),
    ),
    "org_verification_refused": Message(
        "account.verification_refused",
        _("Your organization could not be verified"),
        _("Staff checked your registration certificate and could not verify your organization with it."),
        _(
            "Upload a new scan of the certificate from your registration information page; it is checked "
            "again."
        ),
    ),
    "report_incomplete": Message(
        "report.incomplete",
        _("Your report %(reference)s is not accepted yet"),
        _(
            "Your report %(reference)s lacks some of the materials its category needs; the report's page lists "
            "each one. The deadline starts when the report is complete."
        ),
        _("Open the report and add what is missing."),
    ),
    "report_accepted": Message(
        "report.accepted",
        _("Your report %(reference)s is accepted"),
        _(
            "Your report %(reference)s is complete and under review. The platform answers by %(until)s "
            "(working days on the PRC calendar)."
        ),
    ),
    "report_upheld": Message(
        "report.upheld",
        _("Your report %(reference)s was upheld"),
        _("Staff upheld your report %(reference)s and acted on the content it names."),
    ),
    "report_rejected": Message(
        "report.rejected",
        _("Your report %(reference)s was not upheld"),
        _("Staff examined your report %(reference)s and did not uphold it."),
    ),
    "report_against_you": Message(
        "report.against_you",
        _("A report about your content was upheld: “%(title)s”"),
        _(
            "A rights holder reported “%(title)s”, and staff upheld the report. The reporter's personal details "
            "are not shared."
        ),
        _(
            "If you believe the report is wrong, send a counter-notice with your explanation and proof from the "
            "link below; staff may restore the content."
        ),
    ),
    "counter_notice_received": Message(
        "report.counter_notice",
        _("The uploader contested your report %(reference)s"),
        _(
            "The person whose content your report %(reference)s named sent a counter-notice asking for it to be "
            "restored. Staff will decide and tell you."
        ),
    ),
    "counter_notice_decided": Message(
        "report.counter_notice_decided",
        _("Counter-notice decided: %(outcome)s"),
        _("Staff decided the counter-notice about “%(title)s”: %(outcome)s."),
    ),
    "strike_recorded": Message(
        "strike.recorded",
        _("A strike was recorded on your account"),
        _(
            "A strike was recorded on your account. Strikes within a set period add up and lead, step by step, "
            "to a warning, a publishing restriction and a permanent ban, as the agreements explain."
        ),
        APPEAL,
    ),
    "rights_profile_verified": Message(
        "report.rights_profile_verified",
        _("Your rights holder profile is verified"),
        _(
            "A legal officer checked your identity and proof of rights. Until %(until)s your reports can use "
            "this profile instead of attaching the same documents again."
        ),
        _("Choose the profile in the “Who” step of a report; register it again before it expires."),
    ),
    "rights_profile_refused": Message(
        "report.rights_profile_refused",
        _("Your rights holder profile could not be verified"),
        _(
            "A legal officer checked your identity and proof of rights and could not verify the profile with them."
        ),
        _("Register a new profile with the documents the message asks for, or attach them to each report."),
    ),
    # --- Messaging (COM-7) ------------------------------------------------------------------------------
    # A notice never carries what was written: messages may hold contact details, and notices and e-mails
    # are not encrypted. It names the sender by username and the thread by its title.
    "message_received": Message(
        "message.received",
        _("New message from @%(username)s: “%(title)s”"),
        _("@%(username)s wrote to you in the thread “%(title)s”. The message is shown only on the platform."),
        _(
            "Open the thread to read and answer. Your name, address and phone number stay hidden unless a "
            "deal needs them."
        ),
    ),
    "message_report_decided": Message(
        "message.report_decided",
        _("Your report about a message was decided: %(outcome)s"),
        _("Staff examined what you reported in the thread “%(title)s”.\nOutcome: %(outcome)s."),
    ),
    "message_hidden": Message(
        "message.hidden",
        _("A message of yours was hidden: “%(title)s”"),
        _(
            "After an abuse report, staff hid a message you sent in the thread “%(title)s”; the other "
            "participant no longer sees it."
        ),
        _("Keep to the platform's rules in messages: repeated abuse leads to a participation restriction."),
    ),
    "thread_closed": Message(
        "message.thread_closed",
        _("A thread was closed: “%(title)s”"),
        _("After an abuse report, staff closed the thread “%(title)s”: nobody can write in it any more."),
    ),
}

PHRASE_PARAMS = frozenset({"kind", "outcome"})
DATE_PARAMS = frozenset({"until"})
COUNT_PARAMS = frozenset({"count"})
# Free text written by a person (a moderator's message): shown as its own paragraph, never translated.
MESSAGE_PARAM = "message"
# A sentence of the platform's about the decision ("Report %(reference)s upheld."): the caller passes a lazy
# translation, its msgid is stored and it is shown in the reader's language, filled with the other parameters.
STATEMENT_PARAM = "statement"


def register_messages(entries: Mapping[str, Message]) -> None:
    """Add the catalogue entries of an app above this one; call it from its AppConfig.ready(). A key is
    registered once: the same entry again has no effect, a different one under a taken key is refused."""
    for key, message in entries.items():
        if CATALOGUE.setdefault(key, message) != message:
            raise ValueError(f"notification template {key!r} is already registered")


ReasonLabels = Callable[[str], tuple[str, str] | None]
_reason_labels: list[ReasonLabels] = []


def register_reason_labels(fn: ReasonLabels) -> None:
    """Register ``fn(code) -> (label, explanation)`` in the active language, or None for a code it does not
    know. Call it from an AppConfig.ready(); registering the same function twice has no effect."""
    if fn not in _reason_labels:
        _reason_labels.append(fn)


def reason_label(code: str) -> tuple[str, str]:
    for fn in _reason_labels:
        found = fn(code)
        if found is not None:
            return str(found[0]), str(found[1] or "")
    return code, ""


def stored_params(params: Mapping[str, object] | None) -> dict[str, str]:
    """Parameters as they are kept: phrases as their English msgid, moments in ISO 8601, the rest as text."""
    stored = {}
    for key, value in (params or {}).items():
        if isinstance(value, Promise):
            value = _msgid(value)
        elif isinstance(value, datetime):
            value = value.isoformat()
        stored[key] = "" if value is None else str(value)
    return stored


def _msgid(value: Promise) -> str:
    # With translation deactivated, gettext_lazy gives back its msgid: what gettext() finds again later.
    with translation.override(None):
        return str(value)


def _shown(key: str, value: str) -> str | int:
    if key in COUNT_PARAMS and value.isdigit():
        return int(value)  # a number, so that a plural text chooses its form by it
    if key in PHRASE_PARAMS and value:
        return gettext(value)
    if key in DATE_PARAMS:
        moment = parse_datetime(value) if value else None
        if moment is None:
            return value or gettext("no end date")
        return date_format(timezone.localtime(moment), "DATETIME_FORMAT")
    return value


class _Values(dict):
    # A parameter a caller forgot shows as "?" rather than breaking every page that lists the notice.
    def __missing__(self, key):
        return "?"


def _fill(text: Promise, values: _Values) -> str:
    # ``text % values`` rather than ``str(text) % values``: a plural text (ngettext_lazy) picks its form from
    # the count among the values before it is filled.
    try:
        return str(text % values)
    except (TypeError, ValueError):
        # A translation that mangled a placeholder: the English sentence rather than a broken inbox.
        with translation.override(None):
            return str(text % values)


def _fill_msgid(msgid: str, values: _Values) -> str:
    # Parameters are stored as text; a statement counts with %(n)d, so whole numbers become numbers again.
    numbers = _Values({key: int(v) if isinstance(v, str) and v.isdigit() else v for key, v in values.items()})
    for text in (gettext(msgid), msgid):  # a translation that mangled a placeholder: the English sentence
        try:
            return text % numbers
        except (TypeError, ValueError):
            continue
    return msgid


def render(*, template: str, params: Mapping[str, str], reason_code: str = "") -> tuple[str, str]:
    """(subject, body) in the active language."""
    entry = CATALOGUE.get(template)
    if entry is None:
        return template, ""
    values = _Values({key: _shown(key, value) for key, value in params.items()})
    for key in DATE_PARAMS:
        values[key] = _shown(key, params.get(key, ""))  # no end given: the measure has none
    # A subject is one line (an email header): a title with a line break must not split it.
    subject = " ".join(_fill(entry.subject, values).split())
    parts = [_fill(entry.body, values)]
    if reason_code:
        label, explanation = reason_label(reason_code)
        parts.append(
            gettext("Reason: %(reason)s") % {"reason": label} + (f"\n{explanation}" if explanation else "")
        )
    if params.get(STATEMENT_PARAM):
        parts.append(_fill_msgid(params[STATEMENT_PARAM], values))
    if params.get(MESSAGE_PARAM):
        parts.append(gettext("Message from the staff:") + "\n" + params[MESSAGE_PARAM])
    if entry.action is not None:
        parts.append(_fill(entry.action, values))
    return subject, "\n\n".join(parts)
